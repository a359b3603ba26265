/* A per-thread allocator for tree-sitter's small blocks (ts_set_allocator).
 *
 * A parse allocates and frees millions of small blocks (subtrees, their child
 * arrays, stack nodes), and glibc's malloc spends about a twentieth of the parse
 * on them: its per-thread cache holds 7 blocks of a size, so the rest go through
 * the locked bins, and every larger request merges the freed small blocks back
 * into the free lists (malloc_consolidate), to be carved out again by the next
 * parse. Here a block of up to TS_POOL_MAX bytes comes from the calling thread's
 * free list for its size class (16-byte steps), or is cut from the thread's
 * current 64 KiB slab; a freed block goes back on its list; nothing is merged.
 * Larger blocks are malloc's. A block carries its size class in an 8-byte header,
 * as a glibc chunk carries its size, so memory use stays the same.
 *
 * Every tree-sitter object must be freed by the thread that allocated it: true in
 * isolint, where a thread's parser, trees and cursors never leave il_ts_extract on
 * that thread. A thread's slabs go back to malloc with its parser
 * (ts_pool_release).
 *
 * Header-only (static functions) so that bench/parse_only.c can measure the parse
 * with the same allocator. */
#ifndef IL_TS_POOL_H
#define IL_TS_POOL_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

enum {
  TS_POOL_SLAB = 64 * 1024, /* slab size and alignment */
  TS_POOL_STEP = 16,
  TS_POOL_CLASSES = 64,
  TS_POOL_MAX = TS_POOL_CLASSES * TS_POOL_STEP - 8, /* largest pooled request */
};

typedef struct ts_pool_block {
  struct ts_pool_block *next; /* while free: the next block of its class */
} ts_pool_block;

/* The 8 bytes before every block tree-sitter gets: its size class, or TS_POOL_LARGE
 * for a block of malloc's (which then starts 16 bytes earlier). Every block comes
 * from here: the allocator is installed before the first parser exists. */
#define TS_POOL_LARGE UINT64_MAX

typedef struct {
  ts_pool_block *free[TS_POOL_CLASSES];
  char *cur, *end; /* the unused rest of the current slab */
  char **slabs;    /* every slab, to give them back */
  size_t n_slabs, cap_slabs;
} ts_pool;

static _Thread_local ts_pool ts_pool_tl;

static void *ts_pool_malloc(size_t n) {
  if (n > TS_POOL_MAX) {
    if (n > SIZE_MAX - 16)
      abort();
    char *raw = malloc(n + 16);
    if (!raw)
      abort(); /* tree-sitter's own allocator aborts too */
    *(uint64_t *)(raw + 8) = TS_POOL_LARGE;
    return raw + 16;
  }
  ts_pool *p = &ts_pool_tl;
  size_t c = (n + 8 + TS_POOL_STEP - 1) / TS_POOL_STEP - 1;
  ts_pool_block *b = p->free[c];
  if (b) {
    p->free[c] = b->next;
    return b; /* its header still holds its class */
  }
  size_t size = (c + 1) * TS_POOL_STEP;
  if ((size_t)(p->end - p->cur) < size) {
    if (p->n_slabs == p->cap_slabs) {
      size_t cap = p->cap_slabs ? p->cap_slabs * 2 : 64;
      char **s = realloc(p->slabs, cap * sizeof *s);
      if (!s)
        abort();
      p->slabs = s;
      p->cap_slabs = cap;
    }
    char *s = malloc(TS_POOL_SLAB);
    if (!s)
      abort();
    p->slabs[p->n_slabs++] = s;
    p->cur = s;
    p->end = s + TS_POOL_SLAB;
  }
  char *blk = p->cur;
  p->cur += size;
  *(uint64_t *)blk = c;
  return blk + 8;
}

static void ts_pool_free(void *ptr) {
  if (!ptr)
    return;
  uint64_t c = *(uint64_t *)((char *)ptr - 8);
  if (c == TS_POOL_LARGE) {
    free((char *)ptr - 16);
    return;
  }
  ts_pool *p = &ts_pool_tl;
  ts_pool_block *b = ptr;
  b->next = p->free[c];
  p->free[c] = b;
}

static void *ts_pool_calloc(size_t count, size_t size) {
  if (size && count > SIZE_MAX / size)
    abort();
  void *q = ts_pool_malloc(count * size);
  memset(q, 0, count * size);
  return q;
}

static void *ts_pool_realloc(void *ptr, size_t n) {
  if (!ptr)
    return ts_pool_malloc(n);
  uint64_t c = *(uint64_t *)((char *)ptr - 8);
  if (c == TS_POOL_LARGE) {
    if (n <= TS_POOL_MAX)
      n = TS_POOL_MAX + 1; /* stays large: its size is malloc's to know */
    if (n > SIZE_MAX - 16)
      abort();
    char *raw = realloc((char *)ptr - 16, n + 16);
    if (!raw)
      abort();
    return raw + 16;
  }
  size_t have = (size_t)(c + 1) * TS_POOL_STEP - 8;
  if (n <= have)
    return ptr;
  void *q = ts_pool_malloc(n);
  memcpy(q, ptr, have);
  ts_pool_free(ptr);
  return q;
}

/* Gives the calling thread's slabs back to malloc: only once every small block the
 * thread allocated is free. */
static void ts_pool_release(void) {
  ts_pool *p = &ts_pool_tl;
  for (size_t i = 0; i < p->n_slabs; i++)
    free(p->slabs[i]);
  free(p->slabs);
  memset(p, 0, sizeof *p);
}

#endif
