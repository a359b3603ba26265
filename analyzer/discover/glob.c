/* The include and exclude globs of isolint.json over display paths. */
#include <stdlib.h>
#include <string.h>

#include "discover/discover.h"

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

/* Does one of the patterns match the displayed path? A pattern without '/' is
 * also tried on the base name, and a directory path ("gen", "scripts/",
 * "src/legacy") matches everything under it. */
static bool matches_any(char *const *pats, uint32_t n_pats, const char *display) {
  const char *base = strrchr(display, '/');
  base = base ? base + 1 : display;
  for (uint32_t i = 0; i < n_pats; i++) {
    const char *pat = pats[i];
    if (il_glob_match(pat, display))
      return true;
    if (!strchr(pat, '/') && il_glob_match(pat, base))
      return true;
    size_t n = strlen(pat);
    if (n && strncmp(display, pat, n) == 0 && (display[n] == '/' || pat[n - 1] == '/'))
      return true;
  }
  return false;
}

bool il_excluded(const il_config *cfg, const char *display) {
  return matches_any(cfg->excludes.data, cfg->excludes.len, display);
}

/* "include": with no pattern every source file is in; else a file is in when
 * an include pattern matches it or one of its directories, with the same
 * matching as excludes (which are tried on every directory of a walk). */
bool il_included(const il_config *cfg, const char *display) {
  if (!cfg->includes.len || matches_any(cfg->includes.data, cfg->includes.len, display))
    return true;
  char *dir = il_xstrdup(display);
  bool in = false;
  for (char *slash = strrchr(dir, '/'); slash && !in; slash = strrchr(dir, '/')) {
    *slash = '\0';
    in = *dir && matches_any(cfg->includes.data, cfg->includes.len, dir);
  }
  free(dir);
  return in;
}
