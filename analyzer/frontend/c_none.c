/* The C front-end of a build configured with -DIL_C_FRONTEND=OFF (no LLVM at
 * build time): C files are not analyzed, and il_c_available() says how to get a
 * build that analyzes them. analyzer/frontend/c.c is the real one. */
#include "frontend/frontend.h"

#include <stddef.h>

#define IL_C_NONE_WHY                                                                          \
  "this isolint was built without C support (-DIL_C_FRONTEND=OFF): use a build configured "  \
  "with -DIL_C_FRONTEND=ON (the default; it needs libclang-dev), or the npm package isolint"

bool il_c_available(char **why) {
  if (why)
    *why = il_xstrdup(IL_C_NONE_WHY);
  return false;
}

bool il_c_extract(il_facts *f, const struct il_config *cfg, char **err) {
  (void)f;
  (void)cfg;
  *err = il_xstrdup(IL_C_NONE_WHY);
  return false;
}

bool il_c_registers_handlers(const char *text, size_t len) {
  (void)text;
  (void)len;
  return false; /* no C file is analyzed */
}
