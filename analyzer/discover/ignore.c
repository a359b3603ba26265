/* Ignore files: .gitignore and .isolintignore, read in each directory the walk enters
 * (and in the directories between the current directory and a scanned path), with
 * git's rules: blank lines and `#` comments skipped, `!` re-includes, a trailing `/`
 * matches directories only, a pattern holding a `/` is anchored to its file's
 * directory, one without matches a name at any depth below it, `*` `?` `**` as in
 * the include/exclude globs; the last matching line wins, and a deeper file's lines
 * come after a shallower one's. A directory ignored is not entered, so nothing below
 * it can be re-included (as in git). In a repository's top directory (one holding `.git`),
 * git's own excludes come first, so that every ignore file overrides them: the global
 * excludes file (core.excludesFile of ~/.gitconfig, else $XDG_CONFIG_HOME/git/ignore or
 * ~/.config/git/ignore) and .git/info/exclude. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "base/path.h"
#include "discover/discover.h"

enum { MAX_IGNORE_BYTES = 1 << 20, MAX_CHAIN = 256 };

static const char *const ignore_files[] = {".gitignore", ".isolintignore"};

/* One line of an ignore file into ig's rules (NULL: nothing to match). */
static void add_line(il_ignore *ig, char *line) {
  size_t n = strlen(line);
  while (n && (line[n - 1] == '\r' || line[n - 1] == '\n'))
    n--;
  while (n && (line[n - 1] == ' ' || line[n - 1] == '\t') && !(n >= 2 && line[n - 2] == '\\'))
    n--;
  line[n] = '\0';
  if (!n || line[0] == '#')
    return;
  il_ignore_rule r = {0};
  char *p = line;
  if (*p == '!') {
    r.neg = true;
    p++;
  } else if (*p == '\\' && (p[1] == '#' || p[1] == '!')) {
    p++;
  }
  size_t len = strlen(p);
  if (len && p[len - 1] == '/') {
    r.dir_only = true;
    p[--len] = '\0';
  }
  if (*p == '/') {
    r.anchored = true;
    p++;
  }
  if (!*p)
    return;
  if (strchr(p, '/'))
    r.anchored = true;
  r.pat = il_xstrdup(p);
  il_array_push(&ig->rules, r);
}

static void load_file(il_ignore *ig, const char *dir, const char *name) {
  char *path = il_path_dir_file(dir, name);
  FILE *fp = fopen(path, "r");
  free(path);
  if (!fp)
    return;
  char buf[4096];
  size_t total = 0;
  while (fgets(buf, sizeof buf, fp) && total < MAX_IGNORE_BYTES) {
    total += strlen(buf);
    add_line(ig, buf);
  }
  fclose(fp);
}

/* core.excludesFile from ~/.gitconfig's [core] section ("~/" expanded), else git's
 * default global excludes file; NULL when there is no home. */
static char *global_excludes(void) {
  const char *home = getenv("HOME");
  char *found = NULL;
  if (home && *home) {
    char *cfg = il_path_dir_file(home, ".gitconfig");
    FILE *fp = fopen(cfg, "r");
    free(cfg);
    char line[4096];
    bool core = false;
    while (fp && !found && fgets(line, sizeof line, fp)) {
      char *p = line;
      while (*p == ' ' || *p == '\t')
        p++;
      if (*p == '[') {
        core = strncasecmp(p, "[core]", 6) == 0;
      } else if (core && strncasecmp(p, "excludesfile", 12) == 0) {
        p += 12;
        while (*p == ' ' || *p == '\t')
          p++;
        if (*p++ != '=')
          continue;
        while (*p == ' ' || *p == '\t' || *p == '"')
          p++;
        size_t n = strcspn(p, "\"\r\n");
        while (n && (p[n - 1] == ' ' || p[n - 1] == '\t'))
          n--;
        p[n] = '\0';
        if (*p)
          found = p[0] == '~' && p[1] == '/' ? il_path_dir_file(home, p + 2) : il_xstrdup(p);
      }
    }
    if (fp)
      fclose(fp);
  }
  if (found)
    return found;
  const char *xdg = getenv("XDG_CONFIG_HOME");
  if (xdg && *xdg)
    return il_path_dir_file(xdg, "git/ignore");
  return home && *home ? il_path_dir_file(home, ".config/git/ignore") : NULL;
}

/* git's excludes of the repository whose top directory is dir (it holds `.git`). */
static void load_git_excludes(il_ignore *ig, const char *dir) {
  char *global = global_excludes();
  if (global) {
    char *slash = strrchr(global, '/');
    if (slash) {
      *slash = '\0';
      load_file(ig, *global ? global : "/", slash + 1);
    }
    free(global);
  }
  char *git = il_path_dir_file(dir, ".git");
  struct stat st;
  if (stat(git, &st) == 0 && S_ISDIR(st.st_mode))
    load_file(ig, git, "info/exclude");
  free(git);
}

int32_t il_ignore_enter(il_ignore *ig, int32_t parent, const char *abs_dir, char *const *names,
                        uint32_t n_names) {
  uint32_t first = ig->rules.len;
  bool top = false; /* the repository's top directory */
  if (names) {
    for (uint32_t i = 0; i < n_names && !top; i++)
      top = strcmp(names[i], ".git") == 0;
  } else {
    char *git = il_path_dir_file(abs_dir, ".git");
    struct stat st;
    top = lstat(git, &st) == 0;
    free(git);
  }
  if (top)
    load_git_excludes(ig, abs_dir);
  for (size_t k = 0; k < sizeof ignore_files / sizeof ignore_files[0]; k++) {
    bool present = names == NULL; /* NULL: not listed, try to open it */
    for (uint32_t i = 0; i < n_names && !present; i++)
      present = strcmp(names[i], ignore_files[k]) == 0;
    if (present)
      load_file(ig, abs_dir, ignore_files[k]);
  }
  if (ig->rules.len == first)
    return parent; /* nothing here: the directory's rules are its parent's */
  il_ignore_frame fr = {.parent = parent,
                        .dir = il_xstrdup(abs_dir),
                        .first = first,
                        .n = ig->rules.len - first};
  il_array_push(&ig->frames, fr);
  return (int32_t)ig->frames.len - 1;
}

bool il_ignore_match(const il_ignore *ig, int32_t frame, const char *abs_path, bool is_dir) {
  int32_t chain[MAX_CHAIN];
  uint32_t n = 0;
  for (int32_t f = frame; f >= 0 && n < MAX_CHAIN; f = ig->frames.data[f].parent)
    chain[n++] = f;
  const char *base = strrchr(abs_path, '/');
  base = base ? base + 1 : abs_path;
  bool ignored = false;
  for (uint32_t k = n; k-- > 0;) { /* the shallowest file first */
    const il_ignore_frame *fr = &ig->frames.data[chain[k]];
    size_t dl = strlen(fr->dir);
    const char *rel;
    if (strcmp(fr->dir, "/") == 0)
      rel = abs_path + 1;
    else if (strncmp(abs_path, fr->dir, dl) == 0 && abs_path[dl] == '/')
      rel = abs_path + dl + 1;
    else
      continue;
    for (uint32_t i = fr->first; i < fr->first + fr->n; i++) {
      const il_ignore_rule *r = &ig->rules.data[i];
      if (r->dir_only && !is_dir)
        continue;
      if (il_glob_match(r->pat, r->anchored ? rel : base))
        ignored = !r->neg;
    }
  }
  return ignored;
}

void il_ignore_fini(il_ignore *ig) {
  for (uint32_t i = 0; i < ig->rules.len; i++)
    free(ig->rules.data[i].pat);
  for (uint32_t i = 0; i < ig->frames.len; i++)
    free(ig->frames.data[i].dir);
  il_array_free(&ig->rules);
  il_array_free(&ig->frames);
}

bool il_build_dir_name(const char *name) {
  static const char *const build[] = {"dist",  ".open-next", ".output", ".svelte-kit", ".next",
                                      ".nuxt", ".vercel",    ".turbo",  ".netlify",    NULL};
  for (const char *const *b = build; *b; b++)
    if (strcmp(name, *b) == 0)
      return true;
  return false;
}

bool il_ignored_path(const il_config *cfg, const char *cwd, const char *path) {
  if (!cwd)
    return false;
  char *abs = il_abs_path_in(cwd, path);
  size_t cl = strcmp(cwd, "/") == 0 ? 0 : strlen(cwd);
  if (!(cl == 0 || (strncmp(abs, cwd, cl) == 0 && abs[cl] == '/'))) {
    free(abs);
    return false; /* outside the current directory: nothing is read there */
  }
  il_ignore ig = {0};
  int32_t frame = -1;
  bool ignored = false;
  char *dir = il_xstrdup(cwd);
  /* each directory from the current one down to the file's: its ignore files, then
   * the next component of the path against every file read so far */
  for (size_t start = cl + 1; !ignored;) {
    const char *end = strchr(abs + start, '/');
    bool last = end == NULL;
    size_t upto = last ? strlen(abs) : (size_t)(end - abs);
    char *sub = il_xmalloc(upto + 1);
    memcpy(sub, abs, upto);
    sub[upto] = '\0';
    const char *name = sub + start;
    if (!last && (il_skipped_dir_name(name) || (!cfg->no_ignore && il_build_dir_name(name))))
      ignored = true;
    if (!ignored && !cfg->no_ignore) {
      frame = il_ignore_enter(&ig, frame, dir, NULL, 0);
      ignored = il_ignore_match(&ig, frame, sub, !last);
    }
    free(dir);
    dir = sub;
    if (last)
      break;
    start = upto + 1;
  }
  free(dir);
  il_ignore_fini(&ig);
  free(abs);
  return ignored;
}
