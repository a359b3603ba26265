/* The warm-run cache (facts/cache.h, docs/cache.md).
 *
 * One pack file, <dir>/facts.pack, mapped (mmap, read-only) when a scan starts and
 * rewritten (temporary file in the same directory, then rename(), so a reader sees
 * the old pack or the new one, never a mix; the last writer wins) when the scan
 * changed something. Layout, host byte order:
 *   header: "ISOLPACK", u32 0x01020304 (byte order), u32 PACK_FORMAT, 16-byte key,
 *           u32 entry count, u32 reserved, u64 payload size, 16-byte payload hash
 *   payload: per entry u32 path length, the path (absolute), u64 text length,
 *           16-byte text hash, u8 language, u8 prefilter (bit 0 keep, bit 1 feeds, 0xff unknown),
 *           u8 has facts, u8 flags (bit 0 stat data, bit 1 candidate info, bit 2 candidate,
 *           bit 3 facts of the blanked text), u32 blob length, the blob (il_facts_save:
 *           detached facts, loaded without the text on a stat hit), then the stat data (u64 mtime ns,
 *           ctime ns, inode, device, and the time the run that recorded them started),
 *           u64 prefilter extension key, u32 specifier bytes, the specifiers (each
 *           NUL-terminated: the module specifiers of a candidate the prefilter skipped)
 * The key hashes everything besides the text that facts depend on: the facts
 * format, the isolint version and build (the sources that produce facts), the
 * grammar and tree-sitter versions, and the knowledge base. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/config.h"
#include "base/path.h"
#include "facts/cache.h"

#ifndef IL_CACHE_BUILD_ID
#define IL_CACHE_BUILD_ID "unknown"
#endif

enum {
  PACK_FORMAT = 4, /* 3: stat data and candidate info (the stat fast path); 4: detached facts */
  HEADER_SIZE = 8 + 4 + 4 + 16 + 4 + 4 + 8 + 16,
  STAT_SIZE = 5 * 8 + 8 + 4,
  ENTRY_MIN = 4 + 1 + 8 + 16 + 4 + 4 + STAT_SIZE, /* a one-byte path, no facts, no specifiers */
  FLAG_STAT = 1,
  FLAG_CAND_INFO = 2,
  FLAG_CANDIDATE = 4,
  FLAG_BLANKED = 8,
};
static const char PACK_NAME[] = "facts.pack";

/* ---- hashing ---------------------------------------------------------------------- */

static uint64_t rotl64(uint64_t x, int r) {
  return (x << r) | (x >> (64 - r));
}

static uint64_t fmix64(uint64_t k) {
  k ^= k >> 33;
  k *= 0xff51afd7ed558ccdull;
  k ^= k >> 33;
  k *= 0xc4ceb9fe1a85ec53ull;
  k ^= k >> 33;
  return k;
}

/* Two 64-bit lanes over 16-byte blocks (multiply, rotate, cross-feed), the tail
 * zero-padded, the length mixed into the finalization. */
il_hash128 il_hash128_of(const void *data, size_t n, uint64_t seed) {
  const uint8_t *p = data;
  const uint64_t c1 = 0x87c37b91114253d5ull, c2 = 0x4cf5ad432745937full;
  uint64_t h1 = seed ^ 0x9E3779B97F4A7C15ull, h2 = seed ^ 0xC2B2AE3D27D4EB4Full;
  size_t blocks = n / 16;
  for (size_t i = 0; i < blocks; i++, p += 16) {
    uint64_t k1, k2;
    memcpy(&k1, p, 8);
    memcpy(&k2, p + 8, 8);
    k1 *= c1;
    k1 = rotl64(k1, 31);
    k1 *= c2;
    h1 ^= k1;
    h1 = rotl64(h1, 27) + h2;
    h1 = h1 * 5 + 0x52dce729;
    k2 *= c2;
    k2 = rotl64(k2, 33);
    k2 *= c1;
    h2 ^= k2;
    h2 = rotl64(h2, 31) + h1;
    h2 = h2 * 5 + 0x38495ab5;
  }
  uint8_t tail[16] = {0};
  memcpy(tail, p, n % 16);
  uint64_t k1, k2;
  memcpy(&k1, tail, 8);
  memcpy(&k2, tail + 8, 8);
  h1 ^= rotl64(k1 * c1, 31) * c2;
  h2 ^= rotl64(k2 * c2, 33) * c1;
  h1 ^= (uint64_t)n;
  h2 ^= (uint64_t)n;
  h1 += h2;
  h2 += h1;
  h1 = fmix64(h1);
  h2 = fmix64(h2);
  h1 += h2;
  h2 += h1;
  return (il_hash128){h1, h2};
}

static void hash_str(il_hash128 *h, const char *s) {
  /* chained: each piece is hashed with the running state as the seed */
  il_hash128 x = il_hash128_of(s ? s : "\xff", s ? strlen(s) + 1 : 1, h->lo ^ rotl64(h->hi, 17));
  h->lo ^= x.lo;
  h->hi = x.hi + rotl64(h->hi, 5);
}

/* Everything besides a file's text that its phase-1 facts depend on. */
static il_hash128 cache_key(const il_config *cfg) {
  il_hash128 h = {0, 0};
  char buf[256];
  snprintf(buf, sizeof buf, "isolint %s facts %d pack %d sizes %zu %zu %zu %zu %zu %zu %zu %zu",
           IL_VERSION, IL_FACTS_FORMAT, PACK_FORMAT, sizeof(il_scope), sizeof(il_decl),
           sizeof(il_ctor), sizeof(il_assign), sizeof(il_ref), sizeof(il_call),
           sizeof(il_lnode), sizeof(il_suppression));
  hash_str(&h, buf);
  hash_str(&h, IL_CACHE_BUILD_ID);
  /* the knowledge base decides the prefilter (and C facts, which are not cached) */
  uint32_t n = il_kb_count(cfg->kb);
  for (uint32_t i = 0; i < n; i++) {
    const il_kb_row *r = il_kb_row_at(cfg->kb, i);
    snprintf(buf, sizeof buf, "%d %d %d %d %d", (int)r->form, (int)r->level, r->inherits, r->c,
             r->out_arg);
    hash_str(&h, buf);
    hash_str(&h, r->module);
    hash_str(&h, r->export);
    hash_str(&h, r->name);
    hash_str(&h, r->io);
    hash_str(&h, r->handle);
  }
  snprintf(buf, sizeof buf, "unknownCalls %u", (unsigned)il_kb_unknown_calls(cfg->kb));
  hash_str(&h, buf); /* value flow's summaries decide the prefilter of importers */
  return h;
}

/* ---- the pack in memory ------------------------------------------------------------- */

typedef struct {
  const char *path; /* into the file buffer, not NUL-terminated */
  uint32_t path_len;
  uint64_t len;
  il_hash128 hash;
  uint8_t lang, prefilter, has_facts, flags;
  const uint8_t *blob;
  uint32_t blob_len;
  il_file_stat st; /* st.size unused: the text length */
  uint64_t recorded_ns, ext_key;
  const uint8_t *specs; /* NUL-terminated strings, specs_len bytes in all */
  uint32_t specs_len;
  bool used; /* a slot of this run took its path */
} entry;

struct il_cache_slot {
  char *key;
  uint64_t len;
  il_hash128 hash;
  il_lang lang;
  const entry *old; /* the pack's entry for the same content, or NULL */
  int prefilter;    /* -1 unknown */
  bool has_facts;
  bool blanked;        /* the facts come from the text with long comment runs blanked */
  const uint8_t *blob; /* old->blob, or own_blob */
  uint32_t blob_len;
  uint8_t *own_blob;
  bool dirty; /* differs from the pack */
  bool loaded, parsed; /* facts came from the pack / were extracted (ISOLINT_CACHE_STATS) */
  bool by_stat;        /* taken on its stat data: the text was not hashed */
  bool unread;         /* asked for by its stat data alone: the text was not read */
  bool forgotten;      /* il_cache_slot_forget: not part of the update */
  bool has_st;         /* st and recorded_ns are known */
  il_file_stat st;
  uint64_t recorded_ns;
  bool has_cand, candidate; /* candidate info for ext_key */
  uint64_t ext_key;
  const uint8_t *specs; /* old->specs or own_specs */
  uint32_t specs_len;
  uint8_t *own_specs;
  struct il_cache_slot *next;
};

struct il_cache {
  char *dir, *pack_path, *display;
  il_hash128 key;
  uint8_t *file; /* the pack, mapped */
  size_t file_len;
  entry *entries;
  uint32_t n_entries;
  uint32_t *table; /* open addressing: entry index + 1 */
  uint32_t table_cap;
  pthread_mutex_t lock;
  il_cache_slot *slots; /* every slot of the run, newest first */
  uint64_t start_ns;    /* when the run started (CLOCK_REALTIME): stat data recorded now are
                           trusted later only for files whose times are clearly older */
};

static uint32_t path_hash(const char *s, size_t n) {
  il_hash128 h = il_hash128_of(s, n, 7);
  return (uint32_t)h.lo;
}

static const entry *find_entry(const il_cache *c, const char *key) {
  if (!c->table_cap)
    return NULL;
  size_t n = strlen(key);
  for (uint32_t j = path_hash(key, n) & (c->table_cap - 1);; j = (j + 1) & (c->table_cap - 1)) {
    uint32_t e = c->table[j];
    if (!e)
      return NULL;
    const entry *x = &c->entries[e - 1];
    if (x->path_len == n && memcmp(x->path, key, n) == 0)
      return x;
  }
}

typedef struct {
  const uint8_t *p, *end;
} cursor;

static bool take(cursor *k, void *out, size_t n) {
  if ((size_t)(k->end - k->p) < n)
    return false;
  memcpy(out, k->p, n);
  k->p += n;
  return true;
}

/* Parses the pack; false with *why on anything unexpected. */
static bool parse_pack(il_cache *c, const uint8_t *data, size_t n, const char **why) {
  cursor k = {data, data + n};
  char magic[8];
  uint32_t order, format, count, reserved;
  il_hash128 key, sum;
  uint64_t payload;
  if (!take(&k, magic, 8) || !take(&k, &order, 4) || !take(&k, &format, 4) ||
      !take(&k, &key, 16) || !take(&k, &count, 4) || !take(&k, &reserved, 4) ||
      !take(&k, &payload, 8) || !take(&k, &sum, 16))
    return *why = "it is truncated", false;
  if (memcmp(magic, "ISOLPACK", 8) != 0)
    return *why = "it is not an isolint cache", false;
  if (order != 0x01020304u || format != PACK_FORMAT)
    return *why = "it was written in another format", false;
  if (key.lo != c->key.lo || key.hi != c->key.hi)
    return *why = "it was written by another isolint build or for another knowledge base", false;
  if (payload != (uint64_t)(k.end - k.p))
    return *why = "it is truncated or has trailing data", false;
  il_hash128 got = il_hash128_of(k.p, (size_t)payload, 0x15011a7);
  if (got.lo != sum.lo || got.hi != sum.hi)
    return *why = "its checksum does not match (corrupt)", false;
  if (count > payload / ENTRY_MIN)
    return *why = "its entry count exceeds its size", false;
  c->entries = il_xcalloc(count + 1, sizeof *c->entries);
  uint32_t cap = 16;
  while (cap < count * 2 + 1)
    cap *= 2;
  c->table = il_xcalloc(cap, sizeof *c->table);
  c->table_cap = cap;
  for (uint32_t i = 0; i < count; i++) {
    entry *e = &c->entries[i];
    uint8_t flags[4];
    if (!take(&k, &e->path_len, 4) || e->path_len == 0 ||
        e->path_len > (size_t)(k.end - k.p))
      return *why = "an entry is malformed", false;
    e->path = (const char *)k.p;
    k.p += e->path_len;
    if (memchr(e->path, '\0', e->path_len) || !take(&k, &e->len, 8) || !take(&k, &e->hash, 16) ||
        !take(&k, flags, 4) || !take(&k, &e->blob_len, 4) ||
        e->blob_len > (size_t)(k.end - k.p))
      return *why = "an entry is malformed", false;
    e->lang = flags[0];
    e->prefilter = flags[1];
    e->has_facts = flags[2];
    e->flags = flags[3];
    if (e->lang > IL_LANG_C || (e->prefilter > 3 && e->prefilter != 0xff) || e->has_facts > 1 ||
        (flags[3] & ~(FLAG_STAT | FLAG_CAND_INFO | FLAG_CANDIDATE | FLAG_BLANKED)) ||
        (!e->has_facts && (e->blob_len || (flags[3] & FLAG_BLANKED))))
      return *why = "an entry is malformed", false;
    e->blob = k.p;
    k.p += e->blob_len;
    if (!take(&k, &e->st.mtime_ns, 8) || !take(&k, &e->st.ctime_ns, 8) ||
        !take(&k, &e->st.ino, 8) || !take(&k, &e->st.dev, 8) || !take(&k, &e->recorded_ns, 8) ||
        !take(&k, &e->ext_key, 8) || !take(&k, &e->specs_len, 4) ||
        e->specs_len > (size_t)(k.end - k.p))
      return *why = "an entry is malformed", false;
    e->specs = k.p;
    k.p += e->specs_len;
    /* specifiers: only for candidate info, each NUL-terminated */
    if ((e->specs_len && (!(e->flags & FLAG_CAND_INFO) || e->specs[e->specs_len - 1])) ||
        (!(e->flags & FLAG_CAND_INFO) && (e->flags & FLAG_CANDIDATE)))
      return *why = "an entry is malformed", false;
    uint32_t j = path_hash(e->path, e->path_len) & (cap - 1);
    for (; c->table[j]; j = (j + 1) & (cap - 1)) {
      const entry *o = &c->entries[c->table[j] - 1];
      if (o->path_len == e->path_len && memcmp(o->path, e->path, e->path_len) == 0)
        return *why = "an entry is repeated", false;
    }
    c->table[j] = i + 1;
    c->n_entries = i + 1;
  }
  if (k.p != k.end)
    return *why = "it has trailing data", false;
  return true;
}

static char *display_path(const char *abs) {
  char cwd[4096];
  if (getcwd(cwd, sizeof cwd)) {
    size_t n = strlen(cwd);
    if (strncmp(abs, cwd, n) == 0 && abs[n] == '/')
      return il_xstrdup(abs + n + 1);
  }
  return il_xstrdup(abs);
}

il_cache *il_cache_open(const char *dir, const il_config *cfg, char **note) {
  *note = NULL;
  il_cache *c = il_xcalloc(1, sizeof *c);
  c->dir = il_abs_path(dir);
  c->pack_path = il_xasprintf("%s/%s", c->dir, PACK_NAME);
  c->display = display_path(c->pack_path);
  c->key = cache_key(cfg);
  struct timespec now;
  clock_gettime(CLOCK_REALTIME, &now);
  c->start_ns = (uint64_t)now.tv_sec * 1000000000ull + (uint64_t)now.tv_nsec;
  pthread_mutex_init(&c->lock, NULL);
  int fd = open(c->pack_path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) {
    if (errno != ENOENT)
      *note = il_xasprintf("Cache: cannot read the cache file (%s); it is rebuilt.",
                           strerror(errno));
    return c;
  }
  struct stat st;
  const char *why = NULL;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    why = "it is not a regular file";
  } else if (st.st_size > 0) {
    /* a private read-only mapping: a writer replaces the file by rename, never in place */
    void *m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
    if (m == MAP_FAILED) {
      why = "it could not be mapped";
    } else {
      c->file = m;
      c->file_len = (size_t)st.st_size;
      parse_pack(c, c->file, c->file_len, &why);
    }
  } else {
    why = "it is empty";
  }
  close(fd);
  if (why) {
    *note = il_xasprintf("Cache: ignored the cache file because %s; it is rebuilt.", why);
    free(c->entries);
    free(c->table);
    if (c->file)
      munmap(c->file, c->file_len);
    c->entries = NULL;
    c->table = NULL;
    c->file = NULL;
    c->n_entries = c->table_cap = 0;
  }
  return c;
}

const char *il_cache_path(const il_cache *c) {
  return c->display;
}

/* ---- slots ------------------------------------------------------------------------- */

static bool recorded_trusted(const il_file_stat *st, uint64_t recorded_ns) {
  return st->mtime_ns < recorded_ns && st->ctime_ns < recorded_ns &&
         recorded_ns - st->mtime_ns > IL_CACHE_RACY_NS && recorded_ns - st->ctime_ns > IL_CACHE_RACY_NS;
}

/* May the entry be taken on these stat data alone? Same size, times, inode and
 * device, and recorded by a run that started clearly after the file last changed
 * (git's "racily clean" rule: an edit in the same clock tick as the recording run
 * leaves the times as they were, so such an entry proves nothing). */
static bool stat_trusted(const entry *e, const il_file_stat *st) {
  return (e->flags & FLAG_STAT) && e->len == st->size && e->st.mtime_ns == st->mtime_ns &&
         e->st.ctime_ns == st->ctime_ns && e->st.ino == st->ino && e->st.dev == st->dev &&
         recorded_trusted(&e->st, e->recorded_ns);
}

bool il_cache_stat_hit(const il_cache *c, const char *key, il_lang lang, const il_file_stat *st) {
  const entry *e = c ? find_entry(c, key) : NULL;
  return e && e->lang == (uint8_t)lang && stat_trusted(e, st);
}

il_cache_slot *il_cache_slot_get_st(il_cache *c, const char *key, const char *text, size_t len,
                                    il_lang lang, const il_file_stat *st) {
  if (!c)
    return NULL;
  const entry *e = find_entry(c, key);
  bool by_stat = e && st && e->lang == (uint8_t)lang && stat_trusted(e, st) &&
                 (!text || (uint64_t)len == e->len);
  if (!text && !by_stat)
    return NULL;
  il_cache_slot *s = il_xcalloc(1, sizeof *s);
  s->key = il_xstrdup(key);
  if (by_stat) {
    s->len = e->len;
    s->hash = e->hash;
    s->by_stat = true;
    s->unread = !text;
  } else {
    s->len = len;
    s->hash = il_hash128_of(text, len, 0);
  }
  s->lang = lang;
  s->prefilter = -1;
  if (e && e->len == s->len && e->hash.lo == s->hash.lo && e->hash.hi == s->hash.hi &&
      e->lang == (uint8_t)lang) {
    s->old = e;
    s->prefilter = e->prefilter == 0xff ? -1 : e->prefilter;
    s->has_facts = e->has_facts;
    s->blanked = (e->flags & FLAG_BLANKED) != 0;
    s->blob = e->blob;
    s->blob_len = e->blob_len;
    if (e->flags & FLAG_CAND_INFO) {
      s->has_cand = true;
      s->candidate = (e->flags & FLAG_CANDIDATE) != 0;
      s->ext_key = e->ext_key;
      s->specs = e->specs;
      s->specs_len = e->specs_len;
    }
    if (e->flags & FLAG_STAT) { /* the same content: its stat data still describe it */
      s->has_st = true;
      s->st = e->st;
      s->st.size = e->len;
      s->recorded_ns = e->recorded_ns;
    }
  } else {
    s->dirty = true;
  }
  if (st && !by_stat) {
    /* recorded now; an entry that was not trusted by its stat data (new, touched,
     * racily clean) is rewritten once this record would be trusted */
    s->has_st = true;
    s->st = *st;
    s->recorded_ns = c->start_ns;
    if (recorded_trusted(st, c->start_ns))
      s->dirty = true;
  }
  pthread_mutex_lock(&c->lock);
  s->next = c->slots;
  c->slots = s;
  pthread_mutex_unlock(&c->lock);
  return s;
}

il_cache_slot *il_cache_slot_get(il_cache *c, const char *key, const char *text, size_t len,
                                 il_lang lang) {
  return il_cache_slot_get_st(c, key, text, len, lang, NULL);
}

void il_cache_slot_forget(il_cache_slot *s) {
  if (s)
    s->forgotten = true;
}

bool il_cache_slot_by_stat(const il_cache_slot *s) {
  return s && s->by_stat;
}

bool il_cache_slot_candidate(const il_cache_slot *s, uint64_t ext_key, bool *candidate,
                             char ***specs, uint32_t *n) {
  *specs = NULL;
  *n = 0;
  if (!s || !s->has_cand || s->ext_key != ext_key)
    return false;
  *candidate = s->candidate;
  uint32_t count = 0;
  for (uint32_t i = 0; i < s->specs_len; i++)
    count += s->specs[i] == 0;
  if (count) { /* one allocation: the pointers, then the strings (as lex_specifiers) */
    char **v = il_xmalloc(count * sizeof *v + s->specs_len);
    char *w = memcpy(v + count, s->specs, s->specs_len);
    for (uint32_t i = 0; i < count; i++) {
      v[i] = w;
      w += strlen(w) + 1;
    }
    *specs = v;
    *n = count;
  }
  return true;
}

void il_cache_slot_set_candidate(il_cache_slot *s, uint64_t ext_key, bool candidate,
                                 char *const *specs, uint32_t n) {
  if (!s)
    return;
  size_t total = 0;
  for (uint32_t i = 0; i < n; i++)
    total += strlen(specs[i]) + 1;
  uint8_t *buf = total ? il_xmalloc(total) : NULL, *w = buf;
  for (uint32_t i = 0; i < n; i++) {
    size_t k = strlen(specs[i]) + 1;
    memcpy(w, specs[i], k);
    w += k;
  }
  if (total > UINT32_MAX) {
    free(buf);
    return;
  }
  if (s->has_cand && s->ext_key == ext_key && s->candidate == candidate &&
      s->specs_len == total && (!total || memcmp(s->specs, buf, total) == 0)) {
    free(buf);
    return;
  }
  free(s->own_specs);
  s->own_specs = buf;
  s->specs = buf;
  s->specs_len = (uint32_t)total;
  s->has_cand = true;
  s->candidate = candidate;
  s->ext_key = ext_key;
  s->dirty = true;
}

int il_cache_slot_prefilter(const il_cache_slot *s) {
  return s ? s->prefilter : -1;
}

void il_cache_slot_set_prefilter(il_cache_slot *s, int verdict) {
  if (!s || s->prefilter == verdict)
    return;
  s->prefilter = verdict;
  s->dirty = true;
}

bool il_cache_slot_has_facts(const il_cache_slot *s) {
  return s && s->has_facts;
}

bool il_cache_slot_blanked(const il_cache_slot *s) {
  return s && s->has_facts && s->blanked;
}

il_facts *il_cache_slot_facts(il_cache_slot *s, const char *path, const char *text, size_t len) {
  if (!s || !s->has_facts || (uint64_t)len != s->len)
    return NULL;
  char *err = NULL;
  il_facts *f = il_facts_load(s->blob, s->blob_len, path, s->lang, text, len, &err);
  if (!f) { /* rejected: forget it, the fresh facts replace it */
    free(err);
    s->has_facts = false;
    s->blanked = false;
    s->blob = NULL;
    s->blob_len = 0;
    s->dirty = true;
  }
  s->loaded = f != NULL;
  return f;
}

void il_cache_slot_set_facts(il_cache_slot *s, const il_facts *f, bool blanked) {
  if (!s)
    return;
  uint8_t *blob = NULL;
  size_t n = 0;
  free(s->own_blob);
  s->own_blob = NULL;
  s->has_facts = false;
  s->blanked = false;
  s->blob = NULL;
  s->blob_len = 0;
  s->dirty = true;
  s->parsed = true;
  if (f->len != s->len || !il_facts_save(f, &blob, &n) || n > UINT32_MAX) {
    free(blob);
    return;
  }
  s->own_blob = blob;
  s->blob = blob;
  s->blob_len = (uint32_t)n;
  s->has_facts = true;
  s->blanked = blanked;
}

/* ---- writing ----------------------------------------------------------------------- */

typedef IL_ARRAY(uint8_t) bytes;

static void put(bytes *b, const void *p, size_t n) {
  il_array_grow(b, (uint32_t)n);
  memcpy(b->data + b->len, p, n);
  b->len += (uint32_t)n;
}

enum { MAX_PAYLOAD = 1u << 30 }; /* the pack stays under 1 GiB: later entries are left out */

/* What an entry holds besides its path, text and facts. */
typedef struct {
  uint8_t flags; /* FLAG_STAT, FLAG_CAND_INFO, FLAG_CANDIDATE */
  il_file_stat st;
  uint64_t recorded_ns, ext_key;
  const uint8_t *specs;
  uint32_t specs_len;
} extra;

static bool put_entry(bytes *b, const char *path, size_t path_len, uint64_t len, il_hash128 hash,
                      uint8_t lang, uint8_t prefilter, bool has_facts, const uint8_t *blob,
                      uint32_t blob_len, const extra *x) {
  if ((uint64_t)b->len + ENTRY_MIN + path_len + blob_len + x->specs_len > MAX_PAYLOAD)
    return false;
  uint32_t pl = (uint32_t)path_len;
  uint8_t flags[4] = {lang, prefilter, has_facts, x->flags};
  put(b, &pl, 4);
  put(b, path, path_len);
  put(b, &len, 8);
  put(b, &hash, 16);
  put(b, flags, 4);
  put(b, &blob_len, 4);
  if (blob_len)
    put(b, blob, blob_len);
  put(b, &x->st.mtime_ns, 8);
  put(b, &x->st.ctime_ns, 8);
  put(b, &x->st.ino, 8);
  put(b, &x->st.dev, 8);
  put(b, &x->recorded_ns, 8);
  put(b, &x->ext_key, 8);
  put(b, &x->specs_len, 4);
  if (x->specs_len)
    put(b, x->specs, x->specs_len);
  return true;
}

static bool mkdirs(const char *dir) {
  char *p = il_xstrdup(dir);
  bool ok = true;
  for (char *s = p + 1; ok; s++) {
    if (*s != '/' && *s != '\0')
      continue;
    char saved = *s;
    *s = '\0';
    if (mkdir(p, 0777) != 0 && errno != EEXIST)
      ok = false;
    *s = saved;
    if (!saved)
      break;
  }
  free(p);
  return ok;
}

static bool write_pack(il_cache *c, const bytes *payload, uint32_t count, const char **what,
                       int *err) {
  struct stat st;
  bool existed = stat(c->dir, &st) == 0;
  if (!mkdirs(c->dir))
    return *err = errno, *what = "cannot create the directory", false;
  if (!existed) {
    /* a directory made here is nobody's source: keep it out of git (as pytest does) */
    char *ign = il_xasprintf("%s/.gitignore", c->dir);
    FILE *fp = fopen(ign, "wx");
    if (fp) {
      fputs("# written by isolint: the warm-run cache (docs/cache.md)\n*\n", fp);
      fclose(fp);
    }
    free(ign);
  }
  char *tmp = il_xasprintf("%s/.%s.XXXXXX", c->dir, PACK_NAME);
  int fd = mkstemp(tmp);
  if (fd < 0) {
    *err = errno;
    free(tmp);
    return *what = "cannot create a temporary file", false;
  }
  mode_t mask = umask(0); /* mkstemp makes 0600: give the pack the usual mode */
  umask(mask);
  fchmod(fd, 0666 & ~mask);
  uint8_t head[HEADER_SIZE];
  uint32_t order = 0x01020304u, format = PACK_FORMAT, reserved = 0;
  uint64_t size = payload->len;
  il_hash128 sum = il_hash128_of(payload->data, payload->len, 0x15011a7);
  memcpy(head, "ISOLPACK", 8);
  memcpy(head + 8, &order, 4);
  memcpy(head + 12, &format, 4);
  memcpy(head + 16, &c->key, 16);
  memcpy(head + 32, &count, 4);
  memcpy(head + 36, &reserved, 4);
  memcpy(head + 40, &size, 8);
  memcpy(head + 48, &sum, 16);
  bool ok = true;
  const uint8_t *parts[2] = {head, payload->data};
  size_t sizes[2] = {sizeof head, payload->len};
  for (int i = 0; i < 2 && ok; i++) {
    size_t done = 0;
    while (done < sizes[i]) {
      ssize_t w = write(fd, parts[i] + done, sizes[i] - done);
      if (w < 0 && errno == EINTR)
        continue;
      if (w <= 0) {
        *err = w < 0 ? errno : ENOSPC;
        ok = false;
        break;
      }
      done += (size_t)w;
    }
  }
  if (close(fd) != 0 && ok) {
    *err = errno;
    ok = false;
  }
  if (!ok)
    *what = "cannot write a temporary file";
  if (ok && rename(tmp, c->pack_path) != 0) {
    *err = errno;
    ok = false;
    *what = "cannot rename the temporary file";
  }
  if (!ok)
    unlink(tmp);
  free(tmp);
  return ok;
}

static bool is_file(const char *path, size_t n) {
  char *p = il_xstrndup(path, n);
  struct stat st;
  bool ok = stat(p, &st) == 0 && S_ISREG(st.st_mode);
  free(p);
  return ok;
}

static void free_cache(il_cache *c) {
  for (il_cache_slot *s = c->slots, *next; s; s = next) {
    next = s->next;
    free(s->key);
    free(s->own_blob);
    free(s->own_specs);
    free(s);
  }
  pthread_mutex_destroy(&c->lock);
  free(c->entries);
  free(c->table);
  if (c->file)
    munmap(c->file, c->file_len);
  free(c->dir);
  free(c->pack_path);
  free(c->display);
  free(c);
}

void il_cache_close(il_cache *c, char **note) {
  *note = NULL;
  if (!c)
    return;
  /* slots are newest first: the newest slot of a path wins; an older one with the
   * same content adds what it knows (a file seen twice: skipped, then parsed) */
  IL_ARRAY(il_cache_slot *) keep = {0};
  uint32_t n_slots = 0;
  for (il_cache_slot *s = c->slots; s; s = s->next)
    n_slots += !s->forgotten;
  uint32_t cap = 16;
  while (cap < n_slots * 2 + 1)
    cap *= 2;
  il_cache_slot **seen = il_xcalloc(cap, sizeof *seen);
  bool dirty = false;
  for (il_cache_slot *s = c->slots; s; s = s->next) {
    if (s->forgotten)
      continue;
    il_cache_slot *first = NULL;
    uint32_t j = path_hash(s->key, strlen(s->key)) & (cap - 1);
    for (; seen[j]; j = (j + 1) & (cap - 1))
      if (strcmp(seen[j]->key, s->key) == 0) {
        first = seen[j];
        break;
      }
    if (!first) {
      seen[j] = s;
      il_array_push(&keep, s);
      dirty |= s->dirty;
      if (s->old)
        ((entry *)s->old)->used = true;
      else {
        const entry *e = find_entry(c, s->key);
        if (e)
          ((entry *)e)->used = true;
      }
      continue;
    }
    if (first->len != s->len || first->hash.lo != s->hash.lo || first->hash.hi != s->hash.hi)
      continue;
    if (first->prefilter < 0 && s->prefilter >= 0)
      first->prefilter = s->prefilter;
    if (!first->has_facts && s->has_facts) {
      first->has_facts = true;
      first->blanked = s->blanked;
      first->blob = s->blob;
      first->blob_len = s->blob_len;
    }
    if (!first->has_cand && s->has_cand) {
      first->has_cand = true;
      first->candidate = s->candidate;
      first->ext_key = s->ext_key;
      first->specs = s->specs;
      first->specs_len = s->specs_len;
    }
    if (!first->has_st && s->has_st) {
      first->has_st = true;
      first->st = s->st;
      first->recorded_ns = s->recorded_ns;
    }
  }
  if (dirty) {
    bytes payload = {0};
    uint32_t count = 0;
    for (uint32_t i = 0; i < keep.len; i++) {
      const il_cache_slot *s = keep.data[i];
      extra x = {(uint8_t)((s->has_st ? FLAG_STAT : 0) | (s->has_cand ? FLAG_CAND_INFO : 0) |
                           (s->has_cand && s->candidate ? FLAG_CANDIDATE : 0) |
                           (s->has_facts && s->blanked ? FLAG_BLANKED : 0)),
                 s->has_st ? s->st : (il_file_stat){0},
                 s->has_st ? s->recorded_ns : 0,
                 s->has_cand ? s->ext_key : 0,
                 s->has_cand ? s->specs : NULL,
                 s->has_cand ? s->specs_len : 0};
      count += put_entry(&payload, s->key, strlen(s->key), s->len, s->hash, (uint8_t)s->lang,
                         (uint8_t)(s->prefilter < 0 ? 0xff : s->prefilter), s->has_facts, s->blob,
                         s->has_facts ? s->blob_len : 0, &x);
    }
    /* files this run did not see stay while they exist (a --staged run, a subdirectory) */
    for (uint32_t i = 0; i < c->n_entries; i++) {
      const entry *e = &c->entries[i];
      if (e->used || !is_file(e->path, e->path_len))
        continue;
      extra x = {e->flags, e->st, e->recorded_ns, e->ext_key, e->specs, e->specs_len};
      count += put_entry(&payload, e->path, e->path_len, e->len, e->hash, e->lang, e->prefilter,
                         e->has_facts, e->blob, e->blob_len, &x);
    }
    const char *what = NULL;
    int err = 0;
    if (!write_pack(c, &payload, count, &what, &err))
      *note = il_xasprintf("Cache: %s (%s); the cache was not updated.", what, strerror(err));
    il_array_free(&payload);
  }
  if (getenv("ISOLINT_CACHE_STATS")) { /* a debugging and benchmarking aid (docs/cache.md) */
    uint32_t loaded = 0, parsed = 0, skipped = 0, by_stat = 0, unread = 0;
    for (uint32_t i = 0; i < keep.len; i++) {
      const il_cache_slot *s = keep.data[i];
      loaded += s->loaded;
      parsed += s->parsed;
      skipped += s->prefilter == 0 && !s->loaded && !s->parsed;
      by_stat += s->by_stat;
      unread += s->unread;
    }
    fprintf(stderr,
            "isolint: cache: %u loaded, %u parsed, %u skipped by the prefilter; %u not hashed "
            "(stat data unchanged), %u not read; %s\n",
            loaded, parsed, skipped, by_stat, unread, dirty ? "pack written" : "pack unchanged");
  }
  il_array_free(&keep);
  free(seen);
  free_cache(c);
}
