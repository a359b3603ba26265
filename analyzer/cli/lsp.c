/* PLACEHOLDER: replaced by the helper that owns this file before merge. */
#include <stdio.h>

#include "cli.h"

int cmd_lsp(int argc, char **argv) {
  (void)argc;
  (void)argv;
  fputs("isolint: not built yet\n", stderr);
  return EXIT_TROUBLE;
}
