/* `isolint install-hook`: writes (or with --uninstall removes) a plain POSIX sh
 * pre-commit hook that runs `isolint scan --staged --format concise`, in the
 * hooks directory git itself uses (`git rev-parse --git-path hooks` honours
 * core.hooksPath and linked worktrees). A marker line tells our hook from
 * anyone else's: a hook without it is never replaced (unless --force) and
 * never removed. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "git_int.h"

/* The line that marks a hook as ours: change it and hooks written by older
 * versions become foreign. */
#define HOOK_MARKER "# isolint-managed-hook: pre-commit"

static const char hook_usage[] =
    "Usage: isolint install-hook [--force] [--uninstall]\n"
    "\n"
    "Writes a git pre-commit hook that runs `isolint scan --staged --format concise`,\n"
    "so a commit whose staged TS/JS content has findings is stopped. The hook goes\n"
    "where git looks for it (`git rev-parse --git-path hooks`: .git/hooks, or\n"
    "core.hooksPath). It calls `isolint` from PATH when isolint is on PATH now, else\n"
    "this isolint by its absolute path. Running it again updates the hook.\n"
    "\n"
    "  --force       replace a pre-commit hook that isolint did not write\n"
    "  --uninstall   remove the hook isolint wrote (never anyone else's)\n"
    "  -h, --help    show this help\n"
    "\n"
    "Skip the hook for one commit with `git commit --no-verify`.\n"
    "Exit status: 0 done, 2 could not (not in a git work tree, a hook isolint did\n"
    "not write is in the way, I/O error).\n";

/* The hooks directory of the current directory's repository, as git sees it
 * (free() it), or NULL with a message printed. */
static char *hooks_dir(void) {
  static const char *const query[] = {"--git-path", "hooks", NULL};
  char *err = NULL;
  char *dir = cli_git_work_tree_ask(query, &err);
  if (!dir)
    fprintf(stderr, "isolint: install-hook: %s\n", err);
  free(err);
  return dir;
}

/* mkdir -p */
static bool make_dirs(const char *dir) {
  char *p = il_xstrdup(dir);
  bool ok = true;
  for (char *s = p + 1;; s++) {
    if (*s != '/' && *s)
      continue;
    char c = *s;
    *s = '\0';
    struct stat st;
    if (mkdir(p, 0777) != 0 && errno != EEXIST) {
      ok = false;
    } else if (stat(p, &st) != 0 || !S_ISDIR(st.st_mode)) {
      errno = ENOTDIR;
      ok = false;
    }
    *s = c;
    if (!ok || !c)
      break;
  }
  if (!ok)
    fprintf(stderr, "isolint: install-hook: cannot create the hooks directory '%s': %s\n", dir,
            strerror(errno));
  free(p);
  return ok;
}

typedef enum { HOOK_NONE, HOOK_OURS, HOOK_FOREIGN, HOOK_BAD } hook_state;

/* Whether `path` is absent, a hook carrying our marker line, or anything else. */
static hook_state hook_state_of(const char *path) {
  struct stat st;
  if (lstat(path, &st) != 0) {
    if (errno == ENOENT)
      return HOOK_NONE;
    fprintf(stderr, "isolint: install-hook: %s: %s\n", path, strerror(errno));
    return HOOK_BAD;
  }
  if (S_ISDIR(st.st_mode)) {
    fprintf(stderr, "isolint: install-hook: %s is a directory, not a hook\n", path);
    return HOOK_BAD;
  }
  FILE *f = fopen(path, "rb"); /* a dangling symlink or unreadable file is not ours */
  if (!f)
    return HOOK_FOREIGN;
  char line[256];
  hook_state s = HOOK_FOREIGN;
  bool at_start = true; /* fgets split a long line: its tail is no line of its own */
  for (int n = 0; n < 200 && fgets(line, sizeof line, f); n++) {
    size_t len = strlen(line);
    bool whole = len && line[len - 1] == '\n';
    if (at_start && strncmp(line, HOOK_MARKER, sizeof HOOK_MARKER - 1) == 0 &&
        strchr("\r\n", line[sizeof HOOK_MARKER - 1]))
      s = HOOK_OURS;
    at_start = whole;
  }
  fclose(f);
  return s;
}

/* 'text' quoted for sh */
static char *sh_quote(const char *text) {
  size_t n = 2;
  for (const char *p = text; *p; p++)
    n += *p == '\'' ? 4 : 1;
  char *q = il_xmalloc(n + 1), *w = q;
  *w++ = '\'';
  for (const char *p = text; *p; p++) {
    if (*p == '\'') {
      memcpy(w, "'\\''", 4);
      w += 4;
    } else {
      *w++ = *p;
    }
  }
  *w++ = '\'';
  *w = '\0';
  return q;
}

/* The executable `name` on PATH (free() it), or NULL. */
static char *find_on_path(const char *name) {
  const char *path = getenv("PATH");
  if (!path || !*path)
    return NULL;
  for (const char *p = path;;) {
    const char *colon = strchr(p, ':');
    size_t n = colon ? (size_t)(colon - p) : strlen(p);
    /* an empty entry means the current directory */
    char *cand = n ? il_xasprintf("%.*s/%s", (int)n, p, name) : il_xstrdup(name);
    struct stat st;
    if (stat(cand, &st) == 0 && S_ISREG(st.st_mode) && access(cand, X_OK) == 0)
      return cand;
    free(cand);
    if (!colon)
      return NULL;
    p = colon + 1;
  }
}

/* The hook's text. `isolint` is the command it runs: a name looked up on PATH
 * at commit time, or an absolute path. */
static char *hook_text(const char *isolint) {
  char *q = sh_quote(isolint);
  char *text = il_xasprintf(
      "#!/bin/sh\n"
      "# git pre-commit hook written by `isolint install-hook`.\n" HOOK_MARKER "\n"
      "# (this marker line lets `isolint install-hook` update the hook and\n"
      "# `isolint install-hook --uninstall` remove it; edits here are lost then.)\n"
      "#\n"
      "# Lints what is staged for this commit (the git index, not the work tree) and\n"
      "# stops the commit on findings (isolint exits 1) or when isolint cannot run\n"
      "# (exit 2). Skip it once with `git commit --no-verify`.\n"
      "isolint=%s\n"
      "if ! command -v \"$isolint\" >/dev/null 2>&1; then\n"
      "  echo \"isolint pre-commit hook: cannot run $isolint: install isolint or run\" \\\n"
      "       \"'isolint install-hook' again (git commit --no-verify skips this hook)\" >&2\n"
      "  exit 1\n"
      "fi\n"
      "\"$isolint\" scan --staged --format concise\n"
      "status=$?\n"
      "case $status in\n"
      "0) ;;\n"
      "1) echo \"isolint pre-commit hook: commit stopped: the staged files have findings\" \\\n"
      "        \"(above); git commit --no-verify skips this check once\" >&2 ;;\n"
      "*) echo \"isolint pre-commit hook: commit stopped: isolint could not check the\" \\\n"
      "        \"staged files (exit $status, above)\" >&2 ;;\n"
      "esac\n"
      "exit $status\n",
      q);
  free(q);
  return text;
}

/* Writes `text` to `path` with mode 0755 through a temporary file in the same
 * directory and rename(), so the hook is always either the old or the new one. */
static bool write_hook(const char *dir, const char *path, const char *text) {
  char *tmp = il_xasprintf("%s/.pre-commit.isolint.XXXXXX", dir);
  int fd = mkstemp(tmp);
  if (fd < 0) {
    fprintf(stderr, "isolint: install-hook: cannot create a file in '%s': %s\n", dir,
            strerror(errno));
    free(tmp);
    return false;
  }
  size_t len = strlen(text), done = 0;
  bool ok = true;
  while (ok && done < len) {
    ssize_t w = write(fd, text + done, len - done);
    if (w < 0 && errno != EINTR)
      ok = false;
    else if (w > 0)
      done += (size_t)w;
  }
  ok = ok && fchmod(fd, 0755) == 0 && fsync(fd) == 0;
  int saved = errno;
  if (close(fd) != 0 && ok) {
    ok = false;
    saved = errno;
  }
  if (ok && rename(tmp, path) != 0) {
    ok = false;
    saved = errno;
  }
  if (!ok) {
    fprintf(stderr, "isolint: install-hook: cannot write '%s': %s\n", path, strerror(saved));
    unlink(tmp);
  }
  free(tmp);
  return ok;
}

int cmd_install_hook(int argc, char **argv) {
  bool force = false, uninstall = false;
  for (int i = 0; i < argc; i++) {
    if (strcmp(argv[i], "--force") == 0) {
      force = true;
    } else if (strcmp(argv[i], "--uninstall") == 0) {
      uninstall = true;
    } else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
      fputs(hook_usage, stdout);
      return EXIT_CLEAN;
    } else if (argv[i][0] == '-') {
      cli_die_usage("install-hook: unknown option '%s'", argv[i]);
    } else {
      cli_die_usage("install-hook takes no arguments, not '%s'", argv[i]);
    }
  }
  char *dir = hooks_dir();
  if (!dir)
    return EXIT_TROUBLE;
  char *path = il_xasprintf("%s/pre-commit", dir);
  int code = EXIT_TROUBLE;
  char *exe = NULL, *text = NULL;
  hook_state state = hook_state_of(path);
  if (state == HOOK_BAD)
    goto out;

  if (uninstall) {
    if (state == HOOK_NONE) {
      printf("isolint: no pre-commit hook at %s: nothing to remove\n", path);
      code = EXIT_CLEAN;
    } else if (state == HOOK_FOREIGN) {
      fprintf(stderr,
              "isolint: install-hook: %s was not written by isolint (no '%s' line): "
              "leaving it alone\n",
              path, HOOK_MARKER);
    } else if (unlink(path) != 0) {
      fprintf(stderr, "isolint: install-hook: cannot remove %s: %s\n", path, strerror(errno));
    } else {
      printf("isolint: removed the pre-commit hook %s\n", path);
      code = EXIT_CLEAN;
    }
    goto out;
  }

  if (state == HOOK_FOREIGN && !force) {
    fprintf(stderr,
            "isolint: install-hook: %s exists and was not written by isolint: not replacing it.\n"
            "  Replace it with `isolint install-hook --force`, or add this line to it yourself:\n"
            "    isolint scan --staged --format concise || exit $?\n",
            path);
    goto out;
  }
  /* `isolint` when it is on PATH now (upgrades and moves of the installed tool
   * then need no new hook); else this binary, which may be a build tree's */
  char *on_path = find_on_path("isolint");
  const char *cmd = "isolint";
  if (!on_path) {
    exe = realpath("/proc/self/exe", NULL);
    if (!exe) {
      fprintf(stderr,
              "isolint: install-hook: isolint is not on PATH and the path of this isolint is "
              "unknown (%s): put isolint on PATH and run it again\n",
              strerror(errno));
      goto out;
    }
    cmd = exe;
  }
  text = hook_text(cmd);
  if (!make_dirs(dir) || !write_hook(dir, path, text)) {
    free(on_path);
    goto out;
  }
  printf("isolint: %s the pre-commit hook %s\n",
         state == HOOK_OURS      ? "updated"
         : state == HOOK_FOREIGN ? "replaced"
                                 : "installed",
         path);
  if (on_path)
    printf("isolint: it runs `isolint` from PATH (now %s)\n", on_path);
  else
    printf("isolint: it runs %s (isolint is not on PATH)\n", exe);
  free(on_path);
  code = EXIT_CLEAN;
out:
  free(text);
  free(exe);
  free(path);
  free(dir);
  return code;
}
