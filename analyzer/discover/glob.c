/* The include, exclude and overrides globs of isolint.json: over the path relative to the
 * directory of the isolint.json holding them, or over display paths (--exclude). */
#include <stdlib.h>
#include <string.h>

#include "discover/discover.h"

#include "base/path.h"

/* `*` within a path segment, `**` across segments, `?` one character. Iterative
 * with backtracking points for the last `*` and `**`. */
bool il_glob_match(const char *p, const char *s) {
  const char *star_p = NULL, *star_s = NULL, *dstar_p = NULL, *dstar_s = NULL;
  for (;;) {
    if (*p == '*' && p[1] == '*') {
      p += 2;
      if (*p == '\0')
        return true; /* a trailing `**` takes everything below */
      if (*p == '/')
        p++;
      dstar_p = p;
      dstar_s = s;
      star_p = NULL;
      continue;
    }
    if (*p == '*') {
      star_p = ++p;
      star_s = s;
      continue;
    }
    if (*s && (*p == *s || (*p == '?' && *s != '/'))) {
      p++;
      s++;
      continue;
    }
    if (!*p && !*s)
      return true;
    if (star_p && *star_s && *star_s != '/') {
      p = star_p;
      s = ++star_s;
      continue;
    }
    if (dstar_p && *dstar_s) {
      /* let `**` swallow one more segment */
      const char *next = strchr(dstar_s, '/');
      if (!next)
        return false;
      dstar_s = next + 1;
      p = dstar_p;
      s = dstar_s;
      star_p = NULL;
      continue;
    }
    return false;
  }
}

/* Does the pattern match path (relative to the pattern's directory)? A pattern without
 * '/' is also tried on the base name, and a directory path ("gen", "scripts/",
 * "src/legacy") matches everything under it. */
static bool matches(const char *pat, const char *path) {
  const char *base = strrchr(path, '/');
  base = base ? base + 1 : path;
  if (il_glob_match(pat, path))
    return true;
  if (!strchr(pat, '/') && il_glob_match(pat, base))
    return true;
  size_t n = strlen(pat);
  return n && strncmp(path, pat, n) == 0 && (path[n] == '/' || pat[n - 1] == '/');
}

/* abs below dir: the rest of abs after "dir/", else NULL (dir itself too). */
static const char *under(const char *abs, const char *dir) {
  size_t n = strlen(dir);
  if (n == 1 && dir[0] == '/')
    return abs[0] == '/' && abs[1] ? abs + 1 : NULL;
  return strncmp(abs, dir, n) == 0 && abs[n] == '/' && abs[n + 1] ? abs + n + 1 : NULL;
}

/* One glob against display / abs; *owned: abs computed here once, when needed. */
static bool glob_hits(const il_glob *g, const char *display, const char **abs, char **owned) {
  if (!g->base)
    return matches(g->pat, display);
  if (!*abs)
    *abs = *owned = il_abs_path(display);
  const char *rel = under(*abs, g->base);
  return rel && matches(g->pat, rel);
}

bool il_globs_match(const il_glob *globs, uint32_t n, const char *display, const char *abs) {
  char *owned = NULL;
  bool hit = false;
  for (uint32_t i = 0; i < n && !hit; i++)
    hit = glob_hits(&globs[i], display, &abs, &owned);
  free(owned);
  return hit;
}

bool il_excluded(const il_config *cfg, const char *display, const char *abs) {
  return il_globs_match(cfg->excludes.data, cfg->excludes.len, display, abs);
}

/* "include": with no pattern every source file is in; else a file is in when
 * an include pattern matches it or one of its directories (below the pattern's own
 * directory), with the same matching as excludes (which are tried on every directory of
 * a walk). */
bool il_included(const il_config *cfg, const char *display, const char *abs) {
  if (!cfg->includes.len)
    return true;
  char *owned = NULL;
  bool in = false;
  for (uint32_t i = 0; i < cfg->includes.len && !in; i++) {
    const il_glob *g = &cfg->includes.data[i];
    if (g->base && !abs)
      abs = owned = il_abs_path(display);
    const char *rel = g->base ? under(abs, g->base) : display;
    if (!rel)
      continue;
    if (matches(g->pat, rel)) {
      in = true;
      break;
    }
    char *dir = il_xstrdup(rel);
    for (char *slash = strrchr(dir, '/'); slash && !in; slash = strrchr(dir, '/')) {
      *slash = '\0';
      in = *dir && matches(g->pat, dir);
    }
    free(dir);
  }
  free(owned);
  return in;
}
