/* Small shared vocabulary: allocation that aborts on failure, positions and
 * spans, finding levels, and one growable-array helper. */
#ifndef IL_COMMON_H
#define IL_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define IL_VERSION "0.1.0"

/* Allocation failure prints a message and aborts: callers never check NULL. */
void *il_xmalloc(size_t n);
void *il_xcalloc(size_t n, size_t size);
void *il_xrealloc(void *p, size_t n);
char *il_xstrdup(const char *s);
char *il_xstrndup(const char *s, size_t n);
/* The whole file at path into *data (malloc'd, not terminated) and *len; false with errno
 * set when it cannot be opened or read. */
bool il_read_file(const char *path, char **data, size_t *len);
/* printf into a new heap string (free() it). */
char *il_xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* FNV-1a over n bytes, continuing from h (IL_FNV32_INIT / IL_FNV64_INIT to start):
 * the hash of every in-memory table, the shard split and the cache's keys. */
#define IL_FNV32_INIT 2166136261u
#define IL_FNV64_INIT 1469598103934665603ull
static inline uint32_t il_fnv32(uint32_t h, const void *s, size_t n) {
  const unsigned char *p = s;
  for (size_t i = 0; i < n; i++)
    h = (h ^ p[i]) * 16777619u;
  return h;
}
static inline uint64_t il_fnv64(uint64_t h, const void *s, size_t n) {
  const unsigned char *p = s;
  for (size_t i = 0; i < n; i++)
    h = (h ^ p[i]) * 1099511628211ull;
  return h;
}

/* An ASCII byte that can be part of a JavaScript identifier (a letter, a digit, `_`, `$`). */
static inline bool il_js_ident_ascii(unsigned char c) {
  return c == '_' || c == '$' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
         (c >= 'A' && c <= 'Z');
}

typedef struct {
  uint32_t line, col; /* 1-based; col in bytes from the line start */
} il_pos;

typedef struct {
  uint32_t start_byte, end_byte;
  il_pos start, end;
} il_span;

typedef enum {
  IL_LEVEL_OFF = 0,
  IL_LEVEL_NOTE,
  IL_LEVEL_WARNING,
  IL_LEVEL_ERROR,
} il_level;

/* "error", "warning", "note", "off"; il_level_parse returns false on anything else. */
const char *il_level_name(il_level l);
bool il_level_parse(const char *s, il_level *out);

/* strcmp for qsort over an array of char * (ascending). */
int il_cmp_cstr(const void *a, const void *b);

/* Growable array of T, tree-sitter array.h style:
 *   IL_ARRAY(int) a = {0}; il_array_push(&a, 3); free(a.data);
 * Elements may move on push: never keep pointers into it across a push. */
#define IL_ARRAY(T)                                                                                \
  struct {                                                                                         \
    T *data;                                                                                       \
    uint32_t len, cap;                                                                             \
  }
#define il_array_grow(a, n)                                                                        \
  do {                                                                                             \
    if ((a)->len + (n) > (a)->cap) {                                                               \
      uint32_t nc_ = (a)->cap ? (a)->cap * 2 : 8;                                                  \
      while (nc_ < (a)->len + (n))                                                                 \
        nc_ *= 2;                                                                                  \
      (a)->data = il_xrealloc((a)->data, (size_t)nc_ * sizeof(*(a)->data));                        \
      (a)->cap = nc_;                                                                              \
    }                                                                                              \
  } while (0)
#define il_array_push(a, v)                                                                        \
  do {                                                                                             \
    il_array_grow(a, 1);                                                                           \
    (a)->data[(a)->len++] = (v);                                                                   \
  } while (0)
#define il_array_free(a)                                                                           \
  do {                                                                                             \
    free((a)->data);                                                                               \
    (a)->data = NULL;                                                                              \
    (a)->len = (a)->cap = 0;                                                                       \
  } while (0)

/* Bump allocator: everything that lives as long as one analyzed file. */
typedef struct il_arena il_arena;
il_arena *il_arena_new(void);
void il_arena_free(il_arena *a); /* NULL is a no-op */
void *il_arena_alloc(il_arena *a, size_t n); /* zeroed, 8-byte aligned, never NULL */
char *il_arena_strndup(il_arena *a, const char *s, size_t n);
char *il_arena_strdup(il_arena *a, const char *s);
char *il_arena_printf(il_arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
