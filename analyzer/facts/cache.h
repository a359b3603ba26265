/* The warm-run cache (docs/cache.md): per-file facts of phase 1 of a scan, kept
 * in one pack file under a cache directory and keyed by the file's content, the
 * grammar, the isolint build and the knowledge base. Phases 2 and 3 (module
 * graph, rules) run every time, so the results never depend on the cache. */
#ifndef IL_CACHE_H
#define IL_CACHE_H

#include "discover/discover.h"
#include "facts/facts.h"

/* ---- facts (de)serialization (facts_io.c) ---------------------------------------------- */

/* Version of the facts encoding; a pack holding another one is rebuilt.
 * 3: the detached form (names as strings, the text's hash, non-ASCII runs and the
 * members read after imported names), so that facts load without their text. */
#define IL_FACTS_FORMAT 6 /* 6: entry hints and callbacks run at load (il_scope.cb_call) */

/* Encodes raw facts, as a front-end leaves them (before il_facts_bind), into a
 * malloc'd blob, with what il_facts_detach() keeps of the text (computed from
 * f->src, or taken from facts detached without binding). False (nothing allocated)
 * when the facts hold what the encoding does not carry (cross-file results,
 * knowledge-base rows, a symbol table): do not cache them. */
bool il_facts_save(const il_facts *f, uint8_t **out, size_t *out_len);

/* The pure loader: decodes a blob written by il_facts_save for a text of src_len
 * bytes into new facts at `path`, or returns NULL with *err a malloc'd message.
 * With src (the same bytes as when saved, borrowed) the facts are over it, not
 * detached (il_facts_detach() works as after a parse); with src NULL they are
 * detached (src_hash, wide and ref_members from the blob): no text is needed. The
 * blob is untrusted: every count, offset, index, enum and span is checked, so
 * whatever the bytes, the result is either NULL or facts the rules can run on
 * without reading out of bounds or looping (tree links point backwards). */
il_facts *il_facts_load(const uint8_t *blob, size_t n, const char *path, il_lang lang,
                        const char *src, size_t src_len, char **err);

/* ---- content hash (cache.c) ------------------------------------------------------------ */

typedef struct {
  uint64_t lo, hi;
} il_hash128;

/* A 128-bit non-cryptographic hash of n bytes (the length is mixed in). */
il_hash128 il_hash128_of(const void *data, size_t n, uint64_t seed);

/* ---- the cache of a scan (cache.c) ----------------------------------------------------- */

typedef struct il_cache il_cache;
struct il_config;

/* Opens the cache in directory dir (created when first written) for a scan with
 * cfg: reads the pack (one read). A missing pack is an empty cache; an unreadable,
 * corrupt, truncated, foreign-version or foreign-configuration one is ignored and
 * rebuilt (never trusted), and *note is set to a malloc'd sentence saying so
 * (else NULL). Never NULL. */
il_cache *il_cache_open(const char *dir, const struct il_config *cfg, char **note);
/* The pack file's path for messages (relative to the current directory when under it). */
const char *il_cache_path(const il_cache *c);
/* Writes the pack (temporary file in the same directory, then rename) when this
 * run added or replaced entries; entries used by the run are kept, others only while
 * their file still exists. A failure (read-only directory...) sets *note (else
 * NULL). Frees c; NULL is a no-op. */
void il_cache_close(il_cache *c, char **note);

/* One file's entry during phase 1 (thread-safe: each slot is used by one worker). */
typedef struct il_cache_slot il_cache_slot;
/* The slot for the file at absolute path `key` with this text; NULL when c is NULL. */
il_cache_slot *il_cache_slot_get(il_cache *c, const char *key, const char *text, size_t len,
                                 il_lang lang);

/* What the stat fast path compares (docs/cache.md): a file whose size, modification
 * and change times, inode and device match its entry is taken as unchanged, unless
 * the entry was recorded when the file was "racily clean" (its times not clearly
 * older than the run that recorded it: IL_CACHE_RACY_NS). */
#define IL_CACHE_RACY_NS 2000000000ull
/* il_cache_slot_get with the file's stat data st (NULL: none, an in-memory text).
 * text NULL asks by the stat data alone: NULL unless the entry's stat data match
 * (nothing registered then). With a text whose stat data match, the text is not
 * hashed. The stat data are recorded with the entry. */
il_cache_slot *il_cache_slot_get_st(il_cache *c, const char *key, const char *text, size_t len,
                                    il_lang lang, const il_file_stat *st);
/* Would il_cache_slot_get_st take the file at `key` on its stat data st alone?
 * (Nothing is registered: a scan uses it to see whether phase 1 has work.) */
bool il_cache_stat_hit(const il_cache *c, const char *key, il_lang lang, const il_file_stat *st);
/* Drops a slot this run will not use (it is left out of the pack's update). */
void il_cache_slot_forget(il_cache_slot *s);
/* The cross-file candidate info of a file the prefilter skipped, valid for the
 * prefilter extension `ext_key` (a hash of what besides the text decides it): whether
 * it names a local module, and the module specifiers it names (*n of them, in one
 * allocation: the pointers, then the strings; free(*specs) frees them). False when
 * unknown for ext_key. */
bool il_cache_slot_candidate(const il_cache_slot *s, uint64_t ext_key, bool *candidate,
                             char ***specs, uint32_t *n);
void il_cache_slot_set_candidate(il_cache_slot *s, uint64_t ext_key, bool candidate,
                                 char *const *specs, uint32_t n);
/* Did the slot come from the stat data alone (the text was not hashed)? */
bool il_cache_slot_by_stat(const il_cache_slot *s);
/* The prefilter's verdict on the text (the part that depends only on the text and
 * the knowledge base): bit 0 keep, bit 1 feeds (imports a knowledge-base or Effect SQL
 * module), -1 unknown. */
int il_cache_slot_prefilter(const il_cache_slot *s);
void il_cache_slot_set_prefilter(il_cache_slot *s, int verdict);
/* Does the slot hold facts (not rejected yet)? */
bool il_cache_slot_has_facts(const il_cache_slot *s);
/* Were its facts extracted from a copy of the text with long comment runs blanked
 * (analyze.c)? The text read again for findings must be blanked the same way. */
bool il_cache_slot_blanked(const il_cache_slot *s);
/* The cached facts over text (see il_facts_load; text NULL: detached, len being the
 * text's length), or NULL (none, or rejected). */
il_facts *il_cache_slot_facts(il_cache_slot *s, const char *path, const char *text, size_t len);
/* Records freshly extracted raw facts (before il_facts_bind) with their text f->src;
 * blanked: f->src is the blanked copy of the file's text. */
void il_cache_slot_set_facts(il_cache_slot *s, const il_facts *f, bool blanked);

#endif
