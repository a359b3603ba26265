/* PLACEHOLDER: replaced by the helper that owns this file before merge. */
#include <stdlib.h>

#include "cli.h"

bool cli_staged_sources(il_source **out, uint32_t *n, char **err) {
  *out = NULL;
  *n = 0;
  *err = il_xstrdup("not built yet");
  return false;
}

void cli_staged_free(il_source *s, uint32_t n) {
  (void)s;
  (void)n;
}
