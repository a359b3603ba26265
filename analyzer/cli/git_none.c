/* cli_git_run for builds that cannot start processes: the WebAssembly (WASI) build, whose
 * runtime has no process spawning (CMakeLists.txt compiles this file instead of git_run.c).
 * `scan --staged` and `install-hook` then stop with this message. */
#include "git_int.h"

#include <string.h>

#include "base/common.h"

bool cli_git_run(const char *const *args, const char *in, size_t in_len, cli_git_result *res,
                 char **err) {
  (void)args, (void)in, (void)in_len;
  memset(res, 0, sizeof *res);
  *err = il_xstrdup("cannot run git: the WebAssembly build of isolint cannot start processes "
                    "(use a native build for --staged and install-hook)");
  return false;
}
