/* What isolint asks git (git_int.h): the answers of `git rev-parse` and the failure
 * messages. The child process itself is run by git_run.c. */
#include "git_int.h"

#include <stdlib.h>
#include <string.h>

#include "base/common.h"

void cli_git_result_fini(cli_git_result *res) {
  free(res->out);
  free(res->err);
  memset(res, 0, sizeof *res);
}

char *cli_git_failure(const char *what, const cli_git_result *res) {
  if (res->status > 128 && !*res->err)
    return il_xasprintf("git %s was killed by signal %d", what, res->status - 128);
  return il_xasprintf("git %s failed (exit %d)%s%s", what, res->status, *res->err ? ": " : "",
                      res->err);
}

char *cli_git_work_tree_ask(const char *const *query, char **err) {
  const char *args[8] = {"rev-parse", "--is-inside-work-tree"};
  size_t n = 2;
  for (size_t i = 0; query[i] && n < sizeof args / sizeof args[0] - 1; i++)
    args[n++] = query[i];
  args[n] = NULL;
  cli_git_result res;
  char *answer = NULL;
  if (!cli_git_run(args, NULL, 0, &res, err)) {
    /* *err says it */
  } else if (res.status != 0) {
    *err = strstr(res.err, "not a git repository")
               ? il_xasprintf("not inside a git repository (%s)", res.err)
               : cli_git_failure("rev-parse", &res);
  } else if (strncmp(res.out, "true\n", 5) != 0 || res.out_len < 6 ||
             res.out[res.out_len - 1] != '\n') {
    /* "false": a bare repository or inside .git, with no index or hooks of a work tree */
    *err = il_xstrdup("not inside a git work tree (in a bare repository or inside .git)");
  } else {
    answer = il_xstrndup(res.out + 5, res.out_len - 6); /* "true\n<answer>\n" */
  }
  cli_git_result_fini(&res);
  return answer;
}
