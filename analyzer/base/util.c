/* Allocation that aborts on failure, whole-file reads, the per-file arena, and level names. */
#include "base/common.h"

#include <stdarg.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void oom(size_t n) {
  fprintf(stderr, "isolint: out of memory (allocating %zu bytes)\n", n);
  abort();
}

void *il_xmalloc(size_t n) {
  void *p = malloc(n ? n : 1);
  if (!p)
    oom(n);
  return p;
}

void *il_xcalloc(size_t n, size_t size) {
  void *p = calloc(n ? n : 1, size ? size : 1);
  if (!p)
    oom(n * size);
  return p;
}

void *il_xrealloc(void *p, size_t n) {
  void *q = realloc(p, n ? n : 1);
  if (!q)
    oom(n);
  return q;
}

char *il_xstrndup(const char *s, size_t n) {
  char *p = il_xmalloc(n + 1);
  memcpy(p, s, n);
  p[n] = '\0';
  return p;
}

char *il_xstrdup(const char *s) { return il_xstrndup(s, strlen(s)); }

bool il_read_file(const char *path, char **data, size_t *len) {
  FILE *fp = fopen(path, "rb");
  if (!fp)
    return false;
  size_t cap = 4096, n = 0;
  char *b = il_xmalloc(cap);
  size_t got;
  while ((got = fread(b + n, 1, cap - n, fp)) > 0) {
    n += got;
    if (n == cap)
      b = il_xrealloc(b, cap *= 2);
  }
  bool bad = ferror(fp);
  int e = errno;
  fclose(fp);
  if (bad) {
    free(b);
    errno = e;
    return false;
  }
  *data = b;
  *len = n;
  return true;
}

char *il_xasprintf(const char *fmt, ...) {
  va_list ap, aq;
  va_start(ap, fmt);
  va_copy(aq, ap);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if (n < 0)
    n = 0;
  char *p = il_xmalloc((size_t)n + 1);
  vsnprintf(p, (size_t)n + 1, fmt, aq);
  va_end(aq);
  return p;
}

const char *il_level_name(il_level l) {
  switch (l) {
  case IL_LEVEL_ERROR:
    return "error";
  case IL_LEVEL_WARNING:
    return "warning";
  case IL_LEVEL_NOTE:
    return "note";
  case IL_LEVEL_OFF:
    return "off";
  }
  return "off";
}

bool il_level_parse(const char *s, il_level *out) {
  static const struct {
    const char *name;
    il_level level;
  } names[] = {{"error", IL_LEVEL_ERROR},
               {"warning", IL_LEVEL_WARNING},
               {"note", IL_LEVEL_NOTE},
               {"off", IL_LEVEL_OFF}};
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
    if (strcmp(s, names[i].name) == 0) {
      *out = names[i].level;
      return true;
    }
  return false;
}

/* Arena: a chain of blocks; big requests get a block of their own. */
typedef struct block {
  struct block *next;
  size_t used, size;
  max_align_t data[];
} block;

struct il_arena {
  block *head;
};

enum { BLOCK_SIZE = 64 * 1024, FIRST_BLOCK = 1024 };

il_arena *il_arena_new(void) { return il_xcalloc(1, sizeof(il_arena)); }

void il_arena_free(il_arena *a) {
  if (!a)
    return;
  for (block *b = a->head, *next; b; b = next) {
    next = b->next;
    free(b);
  }
  free(a);
}

void *il_arena_alloc(il_arena *a, size_t n) {
  n = (n + 15) & ~(size_t)15;
  block *b = a->head;
  if (!b || b->size - b->used < n) {
    /* blocks grow from 1 KiB to BLOCK_SIZE: most per-file arenas (a file's findings
     * and notes) hold a path or nothing, and a scan keeps one per file */
    size_t grow = !b ? FIRST_BLOCK : b->size < BLOCK_SIZE / 2 ? b->size * 2 : BLOCK_SIZE;
    size_t size = n > BLOCK_SIZE / 4 ? n : n > grow ? BLOCK_SIZE : grow;
    block *nb = il_xmalloc(sizeof(block) + size);
    nb->used = 0;
    nb->size = size;
    if (size == n && b) { /* a big one-off: keep the current block for small requests */
      nb->next = b->next;
      b->next = nb;
    } else {
      nb->next = b;
      a->head = nb;
    }
    b = nb;
  }
  void *p = (char *)b->data + b->used;
  b->used += n;
  memset(p, 0, n);
  return p;
}

char *il_arena_strndup(il_arena *a, const char *s, size_t n) {
  char *p = il_arena_alloc(a, n + 1);
  memcpy(p, s, n);
  p[n] = '\0';
  return p;
}

char *il_arena_strdup(il_arena *a, const char *s) { return il_arena_strndup(a, s, strlen(s)); }

char *il_arena_printf(il_arena *a, const char *fmt, ...) {
  va_list ap, aq;
  va_start(ap, fmt);
  va_copy(aq, ap);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if (n < 0)
    n = 0;
  char *p = il_arena_alloc(a, (size_t)n + 1);
  vsnprintf(p, (size_t)n + 1, fmt, aq);
  va_end(aq);
  return p;
}

int il_cmp_cstr(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}
