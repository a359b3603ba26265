/* Positions shared by every reporter: byte columns to UTF-16 columns (SARIF,
 * LSP and text output all count UTF-16 code units), and GitHub's
 * primaryLocationLineHash, computed exactly as github/codeql-action's
 * src/fingerprints.ts does so that uploads made through the API (which never
 * run that code) track alerts the same way as uploads made by the Action. */
#include "base/position.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { REPLACEMENT = 0xFFFD };

/* One step of the WHATWG UTF-8 decoder (https://encoding.spec.whatwg.org/#utf-8-decoder)
 * over s[0..n), n >= 1. Stores the code point in *cp, U+FFFD for a maximal invalid
 * subsequence, and returns how many bytes it used. A byte that breaks a sequence is
 * not consumed (it starts the next step), and a sequence cut short by the end of
 * the input is one U+FFFD: that is what Node's and VS Code's decoders do, so
 * columns and hashes agree with them on invalid input. */
static size_t utf8_next(const unsigned char *s, size_t n, uint32_t *cp) {
  unsigned char b = s[0];
  size_t need;
  unsigned char lower = 0x80, upper = 0xBF;
  uint32_t c;
  if (b < 0x80) {
    *cp = b;
    return 1;
  } else if (b >= 0xC2 && b <= 0xDF) {
    need = 1;
    c = b & 0x1F;
  } else if (b >= 0xE0 && b <= 0xEF) {
    need = 2;
    c = b & 0x0F;
    if (b == 0xE0)
      lower = 0xA0; /* overlong */
    else if (b == 0xED)
      upper = 0x9F; /* surrogates */
  } else if (b >= 0xF0 && b <= 0xF4) {
    need = 3;
    c = b & 0x07;
    if (b == 0xF0)
      lower = 0x90; /* overlong */
    else if (b == 0xF4)
      upper = 0x8F; /* above U+10FFFF */
  } else {
    *cp = REPLACEMENT; /* stray continuation byte, C0, C1, F5..FF */
    return 1;
  }
  for (size_t k = 1; k <= need; k++) {
    if (k >= n || s[k] < lower || s[k] > upper) {
      *cp = REPLACEMENT;
      return k;
    }
    c = (c << 6) | (s[k] & 0x3F);
    lower = 0x80;
    upper = 0xBF;
  }
  *cp = c;
  return need + 1;
}

uint32_t il_utf16_col(const char *line, uint32_t byte_col, bool skip_bom) {
  const unsigned char *s = (const unsigned char *)line;
  size_t i = 0;
  uint32_t col = 1;
  /* A BOM is only recognised once all three bytes are inside the prefix: the
   * contract forbids reading past line + byte_col. */
  if (skip_bom && byte_col >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF)
    i = 3;
  /* The prefix [0, byte_col) is decoded on its own, so an offset inside a
   * character counts that character (as a cut sequence, one unit). */
  while (i < byte_col) {
    uint32_t cp;
    i += utf8_next(s + i, byte_col - i, &cp);
    col += cp > 0xFFFF ? 2 : 1;
  }
  return col;
}

/* ---- primaryLocationLineHash ------------------------------------------------ */

enum {
  BLOCK_SIZE = 100,   /* hash window, in kept UTF-16 code units */
  EOF_MARKER = 65535, /* appended after the last unit (fingerprints.ts: EOF) */
};

/* Counts of hash values already emitted, to number identical hashes "h:1", "h:2"...
 * Open addressing on the 64-bit value itself. */
typedef struct {
  uint64_t *keys;
  uint32_t *counts; /* 0: empty slot */
  size_t cap, len;
} hash_counts;

static size_t slot_of(uint64_t key, size_t cap) {
  key ^= key >> 33; /* the rolling hash's low bits are weak: mix first */
  key *= 0xff51afd7ed558ccdULL;
  key ^= key >> 33;
  return (size_t)key & (cap - 1);
}

/* Increments the count of `key` and returns it. */
static uint32_t counts_bump(hash_counts *hc, uint64_t key) {
  if ((hc->len + 1) * 2 > hc->cap) {
    size_t ncap = hc->cap ? hc->cap * 2 : 64;
    uint64_t *nkeys = il_xcalloc(ncap, sizeof *nkeys);
    uint32_t *ncounts = il_xcalloc(ncap, sizeof *ncounts);
    for (size_t i = 0; i < hc->cap; i++) {
      if (!hc->counts[i])
        continue;
      size_t j = slot_of(hc->keys[i], ncap);
      while (ncounts[j])
        j = (j + 1) & (ncap - 1);
      nkeys[j] = hc->keys[i];
      ncounts[j] = hc->counts[i];
    }
    free(hc->keys);
    free(hc->counts);
    hc->keys = nkeys;
    hc->counts = ncounts;
    hc->cap = ncap;
  }
  size_t j = slot_of(key, hc->cap);
  while (hc->counts[j] && hc->keys[j] != key)
    j = (j + 1) & (hc->cap - 1);
  if (!hc->counts[j]) {
    hc->keys[j] = key;
    hc->len++;
  }
  return ++hc->counts[j];
}

/* The state of fingerprints.ts's hash(), one field per variable there. All
 * arithmetic is wrapping unsigned 64-bit, which is what its signed Long
 * arithmetic followed by toUnsigned() amounts to. */
typedef struct {
  uint16_t window[BLOCK_SIZE];
  int64_t line_numbers[BLOCK_SIZE]; /* line starting at this window slot, or -1 */
  uint64_t hash;
  uint64_t first_mod; /* 37^BLOCK_SIZE */
  uint32_t index;
  int64_t line_number;
  bool line_start, prev_cr;
  hash_counts counts;
  IL_ARRAY(char *) out; /* out.data[n - 1]: hash of line n; lines come out in order */
} hasher;

static void output_hash(hasher *h) {
  uint32_t k = counts_bump(&h->counts, h->hash);
  /* Lines are emitted in increasing order, one each: line_numbers[index] == out.len + 1. */
  il_array_push(&h->out, il_xasprintf("%" PRIx64 ":%" PRIu32, h->hash, k));
  h->line_numbers[h->index] = -1;
}

static void update_hash(hasher *h, uint16_t current) {
  uint16_t begin = h->window[h->index];
  h->window[h->index] = current;
  h->hash = 37 * h->hash + current - h->first_mod * begin;
  h->index = (h->index + 1) % BLOCK_SIZE;
}

static void process_unit(hasher *h, uint16_t current) {
  /* Spaces and tabs never count, and "\r\n" is one line break. */
  if (current == ' ' || current == '\t' || (h->prev_cr && current == '\n')) {
    h->prev_cr = false;
    return;
  }
  if (current == '\r') {
    current = '\n';
    h->prev_cr = true;
  } else {
    h->prev_cr = false;
  }
  if (h->line_numbers[h->index] != -1)
    output_hash(h);
  if (h->line_start) {
    h->line_start = false;
    h->line_numbers[h->index] = ++h->line_number;
  }
  if (current == '\n')
    h->line_start = true;
  update_hash(h, current);
}

char **il_line_hashes(const char *src, size_t len, uint32_t *n_lines) {
  hasher h;
  memset(&h, 0, sizeof h);
  for (int i = 0; i < BLOCK_SIZE; i++)
    h.line_numbers[i] = -1;
  h.first_mod = 1;
  for (int i = 0; i < BLOCK_SIZE; i++)
    h.first_mod *= 37;
  h.line_start = true;

  /* The Action reads the file as UTF-16 code units (Node's "utf8" stream
   * decoding: invalid bytes become U+FFFD, a BOM is kept as U+FEFF). */
  const unsigned char *s = (const unsigned char *)src;
  for (size_t i = 0; i < len;) {
    uint32_t cp;
    i += utf8_next(s + i, len - i, &cp);
    if (cp > 0xFFFF) {
      cp -= 0x10000;
      process_unit(&h, (uint16_t)(0xD800 + (cp >> 10)));
      process_unit(&h, (uint16_t)(0xDC00 + (cp & 0x3FF)));
    } else {
      process_unit(&h, (uint16_t)cp);
    }
  }
  process_unit(&h, EOF_MARKER);
  /* Flush: zeros push the last lines' windows out. */
  for (int i = 0; i < BLOCK_SIZE; i++) {
    if (h.line_numbers[h.index] != -1)
      output_hash(&h);
    update_hash(&h, 0);
  }

  free(h.counts.keys);
  free(h.counts.counts);
  *n_lines = h.out.len;
  return h.out.data;
}

size_t il_utf8_seq_len(const unsigned char *s, size_t n) {
  if (n == 0)
    return 0;
  size_t len;
  unsigned char lo = 0x80, hi = 0xBF;
  if (s[0] < 0x80)
    return 1;
  if (s[0] >= 0xC2 && s[0] <= 0xDF) {
    len = 2;
  } else if (s[0] >= 0xE0 && s[0] <= 0xEF) {
    len = 3;
    lo = s[0] == 0xE0 ? 0xA0 : 0x80;
    hi = s[0] == 0xED ? 0x9F : 0xBF;
  } else if (s[0] >= 0xF0 && s[0] <= 0xF4) {
    len = 4;
    lo = s[0] == 0xF0 ? 0x90 : 0x80;
    hi = s[0] == 0xF4 ? 0x8F : 0xBF;
  } else {
    return 0;
  }
  if (len > n)
    return 0;
  for (size_t k = 1; k < len; k++) {
    if (s[k] < lo || s[k] > hi)
      return 0;
    lo = 0x80;
    hi = 0xBF;
  }
  return len;
}

char *il_utf8_sanitize(const char *s) {
  size_t n = strlen(s);
  char *clean = il_xmalloc(3 * n + 1), *w = clean;
  const unsigned char *p = (const unsigned char *)s, *end = p + n;
  while (p < end) {
    size_t len = il_utf8_seq_len(p, (size_t)(end - p));
    if (len) {
      memcpy(w, p, len);
      w += len;
      p += len;
    } else {
      memcpy(w, "\xef\xbf\xbd", 3);
      w += 3;
      p++;
    }
  }
  *w = '\0';
  return clean;
}

bool il_utf8_is_control(const unsigned char *s, size_t len) {
  if (len == 1)
    return (s[0] < 0x20 && s[0] != '\t') || s[0] == 0x7F;
  return len == 2 && s[0] == 0xC2 && s[1] < 0xA0; /* U+0080..U+009F */
}

void il_put_clean(FILE *out, const char *s, size_t n) {
  const unsigned char *p = (const unsigned char *)s;
  for (size_t i = 0; i < n;) {
    size_t len = il_utf8_seq_len(p + i, n - i);
    if (!len || il_utf8_is_control(p + i, len)) {
      fputs("\xef\xbf\xbd", out); /* U+FFFD */
      i += len ? len : 1;
    } else {
      fwrite(p + i, 1, len, out);
      i += len;
    }
  }
}
