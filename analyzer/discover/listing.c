/* The listing of the walk (il_listing_absent): each directory read, by absolute
 * path, with its entry names sorted (strcmp); an open-addressing table over dirs. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "discover/discover.h"

static uint32_t listing_hash(const char *s, size_t n) {
  return il_fnv32(IL_FNV32_INIT, s, n);
}

static int cmp_cstr_nocase(const void *a, const void *b) {
  return strcasecmp(*(char *const *)a, *(char *const *)b);
}

void il_listing_add(il_listing *l, char *dir, char **names, uint32_t n) {
  if ((l->dirs.len + 1) * 2 > l->cap) {
    uint32_t ncap = l->cap ? l->cap * 2 : 64;
    uint32_t *nt = il_xcalloc(ncap, sizeof *nt);
    for (uint32_t i = 0; i < l->dirs.len; i++) {
      const char *d = l->dirs.data[i].dir;
      uint32_t j = listing_hash(d, strlen(d)) & (ncap - 1);
      while (nt[j])
        j = (j + 1) & (ncap - 1);
      nt[j] = i + 1;
    }
    free(l->table);
    l->table = nt;
    l->cap = ncap;
  }
  uint32_t j = listing_hash(dir, strlen(dir)) & (l->cap - 1);
  for (; l->table[j]; j = (j + 1) & (l->cap - 1))
    if (strcmp(l->dirs.data[l->table[j] - 1].dir, dir) == 0) { /* read twice: keep the first */
      free(dir);
      for (uint32_t i = 0; i < n; i++)
        free(names[i]);
      free(names);
      return;
    }
  char **folded = il_xmalloc((n ? n : 1) * sizeof *folded);
  if (n)
    memcpy(folded, names, n * sizeof *folded);
  if (n > 1)
    qsort(folded, n, sizeof *folded, cmp_cstr_nocase);
  il_listed_dir x = {dir, names, folded, n};
  il_array_push(&l->dirs, x);
  l->table[j] = l->dirs.len;
}

bool il_listing_absent(const il_listing *l, const char *path) {
  const char *slash = strrchr(path, '/');
  if (!l || !l->cap || path[0] != '/' || !slash || !slash[1])
    return false;
  size_t dn = slash == path ? 1 : (size_t)(slash - path); /* "/x": the directory "/" */
  const char *name = slash + 1;
  if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
    return false;
  for (uint32_t j = listing_hash(path, dn) & (l->cap - 1); l->table[j]; j = (j + 1) & (l->cap - 1)) {
    const il_listed_dir *d = &l->dirs.data[l->table[j] - 1];
    if (strncmp(d->dir, path, dn) != 0 || d->dir[dn] != '\0')
      continue;
    /* absent only when no name equals it even ignoring case (a case-insensitive
     * file system finds "Foo.ts" as "foo.ts"); a non-ASCII name is stat'ed */
    for (const char *c = name; *c; c++)
      if ((unsigned char)*c >= 0x80)
        return false;
    uint32_t lo = 0, hi = d->n;
    while (lo < hi) {
      uint32_t mid = lo + (hi - lo) / 2;
      int c = strcasecmp(d->folded[mid], name);
      if (c == 0)
        return false;
      if (c < 0)
        lo = mid + 1;
      else
        hi = mid;
    }
    return true;
  }
  return false;
}

void il_listing_free(il_listing *l) {
  for (uint32_t i = 0; i < l->dirs.len; i++) {
    il_listed_dir *d = &l->dirs.data[i];
    for (uint32_t k = 0; k < d->n; k++)
      free(d->names[k]);
    free(d->names);
    free(d->folded);
    free(d->dir);
  }
  il_array_free(&l->dirs);
  free(l->table);
}
