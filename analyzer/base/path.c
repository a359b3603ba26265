/* Paths: lexical normalization and joining of absolute paths, and the language of a
 * path by its extension. Used by the walk, the cache's keys and module resolution. */
#include "base/path.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Collapses "//", "." and ".." in an absolute path, in place, p[0..done) being
 * normalized already (done 0, or the end of a normalized path without its final '/'). */
void il_path_normalize_at(char *p, size_t done) {
  char *out = p + done;
  const char *s = p + done;
  while (*s) {
    while (*s == '/')
      s++;
    const char *e = strchr(s, '/');
    if (!e)
      e = s + strlen(s);
    size_t n = (size_t)(e - s);
    if (n == 0)
      break;
    if (n == 1 && s[0] == '.') {
    } else if (n == 2 && s[0] == '.' && s[1] == '.') {
      while (out > p && *--out != '/') {
      }
    } else {
      *out++ = '/';
      if (out != s) /* (nothing to move until a "//", "." or ".." was dropped) */
        memmove(out, s, n);
      out += n;
    }
    s = e;
  }
  if (out == p)
    *out++ = '/';
  *out = '\0';
}

void il_path_normalize(char *p) {
  il_path_normalize_at(p, 0);
}

/* dir + "/" + name ("/" + name at the root), without printf (per directory, per name) */
char *il_path_dir_file(const char *dir, const char *name) {
  size_t nd = strlen(dir), nn = strlen(name);
  bool root = nd == 1 && dir[0] == '/';
  char *r = il_xmalloc(nd + nn + 2);
  memcpy(r, dir, nd);
  if (!root)
    r[nd++] = '/';
  memcpy(r + nd, name, nn + 1);
  return r;
}

/* "a/b" (a path join without printf: it runs for every candidate of every import) */
char *il_path_join(const char *a, const char *b) {
  size_t na = strlen(a), nb = strlen(b);
  char *r = il_xmalloc(na + nb + 2);
  memcpy(r, a, na);
  r[na] = '/';
  memcpy(r + na + 1, b, nb + 1);
  return r;
}

char *il_abs_path_in(const char *cwd, const char *path) {
  char *r = path[0] == '/' ? il_xstrdup(path) : il_path_join(cwd, path);
  il_path_normalize(r);
  return r;
}

char *il_abs_path(const char *path) {
  char cwd[PATH_MAX];
  if (path[0] != '/' && !getcwd(cwd, sizeof cwd))
    strcpy(cwd, "/");
  return il_abs_path_in(path[0] == '/' ? "" : cwd, path);
}

char *il_path_dir_of(const char *abs) {
  const char *slash = strrchr(abs, '/');
  if (!slash || slash == abs)
    return il_xstrdup("/");
  return il_xstrndup(abs, (size_t)(slash - abs));
}

char *il_path_join_norm(const char *dir, const char *rel) {
  char *r = rel[0] == '/' ? il_xstrdup(rel) : il_path_join(dir, rel);
  il_path_normalize(r);
  return r;
}

bool il_lang_of_path(const char *path, int *lang) {
  const char *dot = strrchr(path, '.');
  const char *slash = strrchr(path, '/');
  if (!dot || (slash && dot < slash))
    return false;
  static const struct {
    const char *ext;
    il_lang lang;
  } exts[] = {{".ts", IL_LANG_TS},  {".mts", IL_LANG_TS},  {".cts", IL_LANG_TS},
              {".tsx", IL_LANG_TSX}, {".js", IL_LANG_JS},  {".jsx", IL_LANG_JS},
              {".mjs", IL_LANG_JS},  {".cjs", IL_LANG_JS},  {".c", IL_LANG_C},
              {".h", IL_LANG_C}};
  for (size_t i = 0; i < sizeof exts / sizeof exts[0]; i++)
    if (strcmp(dot, exts[i].ext) == 0) {
      /* declaration files hold no code */
      if (exts[i].lang == IL_LANG_TS && dot - path >= 2 && dot[-2] == '.' && dot[-1] == 'd')
        return false;
      *lang = (int)exts[i].lang;
      return true;
    }
  return false;
}
