/* Running git from the command line (git.c): no shell, pipes both ways, no
 * deadlock whatever the sizes. Used by `scan --staged` and `install-hook`. */
#ifndef IL_CLI_GIT_INT_H
#define IL_CLI_GIT_INT_H

#include <stdbool.h>
#include <stddef.h>

typedef struct {
  char *out;      /* standard output, NUL-terminated (owned) */
  size_t out_len; /* its length, which may count NUL bytes of its own */
  char *err;      /* standard error, NUL-terminated, trailing white space removed (owned) */
  int status;     /* exit status; 128 + N when killed by signal N */
} cli_git_result;

/* Runs `git ARGS...` (args: NULL-terminated, without "git") found on PATH, in
 * the current directory with the caller's environment, feeding the in_len
 * bytes at `in` (NULL: nothing) to its standard input while collecting its
 * standard output and error. True when git ran, whatever its exit status
 * (look at res->status); false with *err set (free() it) when it could not be
 * started (git missing) or talked to. Free res with cli_git_result_fini in
 * both cases. Not for threaded callers: SIGPIPE is ignored while git runs. */
bool cli_git_run(const char *const *args, const char *in, size_t in_len, cli_git_result *res,
                 char **err);
void cli_git_result_fini(cli_git_result *res);

/* "git WHAT failed (exit N): <git's message>", for a run that exited non-zero
 * (free() it). */
char *cli_git_failure(const char *what, const cli_git_result *res);

/* Asks `git rev-parse --is-inside-work-tree ARG...` (query: NULL-terminated,
 * one argument with a one-line answer such as --show-prefix, or two such as
 * --git-path hooks) from the current directory and returns the answer (which
 * may hold newlines of its own; free() it). NULL with *err set (free() it)
 * when the current directory is not in a git work tree (not a repository, a
 * bare one, inside .git) or git cannot be run. */
char *cli_git_work_tree_ask(const char *const *query, char **err);

#endif
