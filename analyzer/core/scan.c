/* A scan: takes the files discover/ finds under the given paths, analyzes them on a
 * pool of threads in three phases (phase 2: project/ and flow/), and merges the
 * per-file results in a deterministic order whatever the number of threads
 * (docs/architecture.md). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "analyze_int.h"
#include "facts/cache.h"
#include "flow/values.h"
#include "rules/rule.h"

void il_result_init(il_result *r) {
  memset(r, 0, sizeof *r);
  r->arena = il_arena_new();
}

void il_result_fini(il_result *r) {
  for (uint32_t i = 0; i < r->arenas.len; i++)
    il_arena_free(r->arenas.data[i]);
  il_array_free(&r->arenas);
  il_array_free(&r->findings);
  il_array_free(&r->notes);
  il_arena_free(r->arena);
  memset(r, 0, sizeof *r);
}

static int strcmp0(const char *a, const char *b) {
  if (!a || !b)
    return a ? 1 : b ? -1 : 0;
  return strcmp(a, b);
}

static int cmp_finding(const void *pa, const void *pb) {
  const il_finding *a = pa, *b = pb;
  int c = strcmp(a->path, b->path);
  if (c)
    return c;
  if (a->loc.span.start.line != b->loc.span.start.line)
    return a->loc.span.start.line < b->loc.span.start.line ? -1 : 1;
  if (a->loc.span.start.col != b->loc.span.start.col)
    return a->loc.span.start.col < b->loc.span.start.col ? -1 : 1;
  c = strcmp(a->rule_id, b->rule_id);
  return c ? c : strcmp(a->message, b->message);
}

static int cmp_note(const void *pa, const void *pb) {
  const il_notification *a = pa, *b = pb;
  int c = strcmp0(a->path, b->path);
  if (c)
    return c;
  if (a->line != b->line)
    return a->line < b->line ? -1 : 1;
  return strcmp(a->message, b->message);
}

/* Related locations of one finding: those in the finding's file (owner; path NULL or
 * owner) first, in the order the rule gave them (built here, declared here, used
 * here: from that file's facts alone), then those in other files by a key of their
 * own: path, line, column, message. So the order does not depend on the order the
 * files came in (a walk, explicit paths, --staged). 0: keep the two in place. */
static int cmp_related(const il_location *a, const il_location *b, const char *owner) {
  const char *pa = a->path ? a->path : owner, *pb = b->path ? b->path : owner;
  bool oa = strcmp(pa, owner) == 0, ob = strcmp(pb, owner) == 0;
  if (oa || ob)
    return oa == ob ? 0 : oa ? -1 : 1;
  int c = strcmp(pa, pb);
  if (c)
    return c;
  if (a->span.start.line != b->span.start.line)
    return a->span.start.line < b->span.start.line ? -1 : 1;
  if (a->start_col16 != b->start_col16)
    return a->start_col16 < b->start_col16 ? -1 : 1;
  return strcmp0(a->message, b->message);
}

void il_result_sort(il_result *r) {
  for (uint32_t i = 0; i < r->findings.len; i++) {
    il_finding *f = &r->findings.data[i];
    if (f->flow) /* a flow's steps keep their order */
      continue;
    for (uint32_t j = 1; j < f->n_related; j++) { /* insertion sort: a few, stable */
      il_location x = f->related[j];
      uint32_t k = j;
      for (; k > 0 && cmp_related(&f->related[k - 1], &x, f->path) > 0; k--)
        f->related[k] = f->related[k - 1];
      f->related[k] = x;
    }
  }
  if (r->findings.len > 1)
    qsort(r->findings.data, r->findings.len, sizeof *r->findings.data, cmp_finding);
  if (r->notes.len > 1)
    qsort(r->notes.data, r->notes.len, sizeof *r->notes.data, cmp_note);
}

/* ---- analysis on a thread pool ------------------------------------------------------- */

/* One file through the three phases: phase 1 reads it and extracts its facts
 * (parallel), phase 2 links every file's facts (serial, modgraph.c), phase 3 runs
 * the rules and emits (parallel). The text stays in memory between phases. */
typedef struct {
  il_prefilter_ext ext;
  il_prepared prep;
  char *data; /* the file's text, read in phase 1 */
  il_file_out out;
  const char *abs; /* phase 1: the absolute path (the cache key), else NULL */
  bool node;  /* runs on Node.js (--target node, or detected): Workers rules off */
  bool read_failed; /* phase 1 could not read the file (ISOL0001): exit 2 */
  /* why it is a Workers file (auto target): a related location for its findings */
  il_location target_loc; /* target_msg NULL: none */
  char *target_msg;
  char *target_path; /* display path of the signal's file; NULL: this file */
} work;

typedef IL_ARRAY(work) work_list;

typedef struct {
  const il_config *cfg; /* the run's: the configuration of items without their own */
  const il_item *items;
  work *works;
  uint32_t start, n;
  int phase; /* 1, 2 (parse the needed candidates) or 3 */
  const bool *only; /* phase 2: the items to do */
  il_cache *cache;  /* phases 1 and 2: the warm-run cache, or NULL */
  atomic_uint next;
  struct scan_progress *progress; /* phase 1: the progress line, or NULL */
  const uint32_t *order;          /* phase 1: the order to take the items in (offsets from
                                     start), or NULL: in order */
  uint32_t n_big;                 /* phase 1: order's first n_big items are big files */
  atomic_uint next_big;           /* the next of them */
  atomic_bool big_busy;           /* a job is on one of them */
} pool;

/* The progress callback of a scan: files done in phase 1 over the files known, reported
 * by whichever thread first sees that 100 ms have passed (a compare-and-swap on the time
 * of the next report, so one report at a time). */
typedef struct scan_progress {
  const il_scan_opts *opts;
  atomic_uint done;
  uint32_t total;
  atomic_ullong next_ns;
  pthread_mutex_t lock; /* the callback is called by one thread at a time */
  bool shown;           /* under lock */
} scan_progress;

static unsigned long long now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (unsigned long long)ts.tv_sec * 1000000000ull + (unsigned long long)ts.tv_nsec;
}

static void progress_tick(scan_progress *sp) {
  unsigned done = atomic_fetch_add(&sp->done, 1u) + 1u;
  unsigned long long t = now_ns(), next = atomic_load(&sp->next_ns);
  if (t < next || !atomic_compare_exchange_strong(&sp->next_ns, &next, t + 100000000ull))
    return;
  pthread_mutex_lock(&sp->lock);
  sp->opts->progress(sp->opts->progress_ctx, done, sp->total);
  sp->shown = true;
  pthread_mutex_unlock(&sp->lock);
}

/* Reads a regular file whole; false with *err set. A file larger than max bytes
 * (0: no limit) is not read: false with *too_big set to its size. */
static bool read_file(const char *path, uint64_t max, char **data, size_t *len, int *err,
                      uint64_t *too_big, il_file_stat *sd) {
  /* O_NONBLOCK: a FIFO must not block the scan; regular files ignore it */
  int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) {
    *err = errno;
    return false;
  }
  struct stat st;
  bool stat_ok = fstat(fd, &st) == 0;
  if (!stat_ok || !S_ISREG(st.st_mode)) {
    /* (replaced by a directory or a FIFO since discovery) */
    *err = !stat_ok ? errno : S_ISDIR(st.st_mode) ? EISDIR : EINVAL;
    close(fd);
    return false;
  }
  if (max && (uint64_t)st.st_size > max) {
    *too_big = (uint64_t)st.st_size;
    close(fd);
    return false;
  }
  il_file_stat_of(&st, sd);
  size_t cap = (size_t)st.st_size + 1, n = 0;
  char *buf = il_xmalloc(cap);
  for (;;) {
    if (n == cap) {
      cap *= 2;
      buf = il_xrealloc(buf, cap);
    }
    ssize_t r = read(fd, buf + n, cap - n);
    if (r < 0) {
      if (errno == EINTR)
        continue;
      *err = errno;
      free(buf);
      close(fd);
      return false;
    }
    if (r == 0)
      break;
    n += (size_t)r;
    if (max && n > max) { /* it grew after fstat */
      *too_big = n;
      free(buf);
      close(fd);
      return false;
    }
  }
  close(fd);
  *data = buf;
  *len = n;
  if (sd->size != n) /* it changed while read: no stat data for the cache */
    memset(sd, 0, sizeof *sd);
  return true;
}

/* The file's entry in the warm-run cache, keyed by its absolute path; sd: the stat
 * data of the file read (NULL: an in-memory text; size 0: unknown). */
static void cache_slot(il_cache *cache, const il_item *it, const char *text, size_t len, work *w,
                       const il_file_stat *sd) {
  w->ext.cache = NULL;
  if (!cache || it->lang == IL_LANG_C) /* C facts depend on headers and flags: not cached */
    return;
  char *key = w->abs ? NULL : il_abs_path(it->fs ? it->fs : it->display);
  w->ext.cache = il_cache_slot_get_st(cache, w->abs ? w->abs : key, text, len, (il_lang)it->lang,
                                      sd && sd->size ? sd : NULL);
  free(key);
}

/* What besides a file's text decides whether the prefilter makes it a candidate
 * (names_local_module in analyze.c): the cached candidate info holds for this key. */
static uint64_t ext_key(const il_prefilter_ext *e) {
  uint64_t h = IL_FNV64_INIT;
  h = (h ^ (uint64_t)(e->relative ? 1 : 0)) * 1099511628211ull;
  h = (h ^ (uint64_t)(e->any_import ? 1 : 0)) * 1099511628211ull;
  h = (h ^ (uint64_t)e->n_prefixes) * 1099511628211ull;
  for (uint32_t i = 0; i < e->n_prefixes; i++) /* each with its NUL */
    h = il_fnv64(h, e->prefixes[i], strlen(e->prefixes[i]) + 1);
  return h;
}

/* The stat fast path (docs/cache.md): a file on disk whose stat data match its
 * cache entry is not read. One the prefilter skipped takes its verdict and its
 * candidate info from the pack; one with facts (a file the prefilter keeps, or any
 * with --no-prefilter, or a candidate phase 2 needs) loads them detached (the facts
 * carry what phase 3 needs of the text; it reads the file again only for findings).
 * True when w is done. */
static bool prepare_from_stat(const il_config *cfg, il_cache *cache, const il_item *it, work *w) {
  if (!cache || it->src || it->lang == IL_LANG_C)
    return false;
  il_file_stat sd;
  if (it->has_st) {
    sd = it->st;
  } else {
    struct stat st;
    if (stat(it->fs, &st) != 0 || !S_ISREG(st.st_mode))
      return false;
    il_file_stat_of(&st, &sd);
  }
  if (cfg->max_file_size && sd.size > cfg->max_file_size)
    return false; /* the note comes from the read */
  char *key = w->abs ? NULL : il_abs_path(it->fs);
  il_cache_slot *s = il_cache_slot_get_st(cache, w->abs ? w->abs : key, NULL, 0,
                                          (il_lang)it->lang, &sd);
  free(key);
  int verdict = il_cache_slot_prefilter(s);
  if (s && (cfg->no_prefilter || w->ext.force || (verdict >= 0 && (verdict & 1)))) {
    if (il_cache_slot_has_facts(s)) {
      w->ext.cache = s;
      il_file_prepare(cfg, it->display, NULL, (size_t)sd.size, (il_lang)it->lang, &w->ext,
                      &w->out, &w->prep);
      if (il_cache_slot_has_facts(s)) { /* else rejected: nothing done, the text is read */
        il_file_detach(&w->prep, it->fs);
        w->prep.blanked = il_cache_slot_blanked(s);
        return true;
      }
      w->ext.cache = NULL;
    }
    il_cache_slot_forget(s);
    return false;
  }
  bool candidate = false;
  char **specs = NULL;
  uint32_t n_specs = 0;
  if (!s || verdict < 0 || cfg->no_prefilter || w->ext.force ||
      !il_cache_slot_candidate(s, ext_key(&w->ext), &candidate, &specs, &n_specs)) {
    il_cache_slot_forget(s); /* the text is read, and its stat data checked again */
    return false;
  }
  /* as il_file_prepare leaves a file its prefilter skips */
  memset(&w->prep, 0, sizeof w->prep);
  w->prep.path = il_arena_strdup(w->out.arena, it->display);
  w->prep.feeds = (verdict & 2) != 0;
  w->prep.candidate = candidate;
  w->prep.specs = specs;
  w->prep.n_specs = n_specs;
  w->prep.specs_packed = true; /* (one allocation) */
  w->ext.cache = s;
  return true;
}

/* "4.0 MiB", "512 KiB", "17 bytes" */
static void size_text(uint64_t n, char *buf, size_t cap) {
  if (n >= (1u << 20))
    snprintf(buf, cap, "%.1f MiB", (double)n / (1u << 20));
  else if (n >= 1024)
    snprintf(buf, cap, "%.1f KiB", (double)n / 1024);
  else
    snprintf(buf, cap, "%llu bytes", (unsigned long long)n);
}

static void note_too_big(const il_config *cfg, const il_item *it, work *w, uint64_t size) {
  char got[32], max[32];
  size_text(size, got, sizeof got);
  size_text(cfg->max_file_size, max, sizeof max);
  il_file_out_note(&w->out, IL_NOTE_LIMIT, IL_LEVEL_WARNING, it->display, 0, 0,
                   "Skipped: the file is %s, larger than the --max-file-size limit of %s; it was "
                   "not analyzed.",
                   got, max);
}

/* After a file this big (its tree is several times its size), the pages the parse
 * freed are given back to the system: each job's thread allocates from its own malloc
 * heap, which keeps them otherwise, so the jobs' largest trees would add up. */
enum { TRIM_AFTER = 1u << 20 };
static void prepare_item(const il_config *cfg, il_cache *cache, const il_item *it, work *w) {
  il_file_out_init(&w->out);
  if (it->src && cfg->max_file_size && it->src->len > cfg->max_file_size) {
    note_too_big(cfg, it, w, it->src->len);
    return;
  }
  if (it->src) {
    cache_slot(cache, it, it->src->text, it->src->len, w, NULL);
    il_file_prepare(cfg, it->display, it->src->text, it->src->len, (il_lang)it->lang, &w->ext,
                    &w->out, &w->prep);
    return;
  }
  if (prepare_from_stat(cfg, cache, it, w))
    return;
  size_t len = 0;
  int err = 0;
  uint64_t too_big = 0;
  il_file_stat sd = {0};
  if (!read_file(it->fs, cfg->max_file_size, &w->data, &len, &err, &too_big, &sd)) {
    w->data = NULL;
    w->prep.f = NULL;
    if (too_big) {
      note_too_big(cfg, it, w, too_big);
      return;
    }
    w->read_failed = true;
    il_file_out_note(&w->out, IL_NOTE_CANNOT_READ, IL_LEVEL_ERROR, it->display, 0, 0,
                     "Cannot read the file: %s.", strerror(err));
    return;
  }
  cache_slot(cache, it, w->data, len, w, &sd);
  il_file_prepare(cfg, it->display, w->data, len, (il_lang)it->lang, &w->ext, &w->out, &w->prep);
  int verdict = il_cache_slot_prefilter(w->ext.cache);
  if (!w->prep.f && !cfg->no_prefilter && !w->ext.force && verdict >= 0 && !(verdict & 1))
    /* skipped by the prefilter: remember what the cross-file pass takes from it */
    il_cache_slot_set_candidate(w->ext.cache, ext_key(&w->ext), w->prep.candidate, w->prep.specs,
                                w->prep.n_specs);
  /* the facts stop pointing into the text: phase 3 reads it again for findings */
  il_file_detach(&w->prep, it->fs);
  free(w->data);
  w->data = NULL;
#ifdef __GLIBC__
  if (len >= TRIM_AFTER)
    malloc_trim(0); /* its tree's pages, free now in this thread's heap (see TRIM_AFTER) */
#endif
}

/* The next item (an offset from start, through order in phase 1), UINT32_MAX when none
 * is left. The n_big big files of phase 1 come first, one job at a time: another job
 * takes the next small file meanwhile, so two big trees are not in memory at once,
 * unless the small files ran out first. (Other phases: n_big is 0, items in order.) */
static uint32_t next_item(pool *p) {
  if (atomic_load(&p->next_big) < p->n_big) {
    bool free_lane = false;
    if (atomic_compare_exchange_strong(&p->big_busy, &free_lane, true)) {
      unsigned i = atomic_fetch_add(&p->next_big, 1u);
      if (i < p->n_big)
        return i; /* big_busy until it is done */
      atomic_store(&p->big_busy, false);
    }
  }
  unsigned i = atomic_fetch_add(&p->next, 1u);
  if (i < p->n - p->n_big)
    return p->n_big + i;
  unsigned b = atomic_fetch_add(&p->next_big, 1u); /* only big files are left */
  return b < p->n_big ? b : UINT32_MAX;
}

/* Item k's configuration: its isolint.json files' (il_item.cfg), else the run's. */
static const il_config *item_cfg(const il_config *run, const il_item *it) {
  return it->cfg ? it->cfg : run;
}

static void *worker(void *arg) {
  pool *p = arg;
  for (;;) {
    uint32_t i = next_item(p);
    if (i == UINT32_MAX)
      break;
    uint32_t k = p->start + (p->order ? p->order[i] : i);
    work *w = &p->works[k];
    const il_config *cfg = item_cfg(p->cfg, &p->items[k]);
    if (p->phase == 1) {
      prepare_item(cfg, p->cache, &p->items[k], w);
      if (i < p->n_big)
        atomic_store(&p->big_busy, false);
      if (p->progress)
        progress_tick(p->progress);
    } else if (p->phase == 2) {
      if (!p->only[k])
        continue;
      il_file_out_fini(&w->out);
      w->ext.force = true;
      prepare_item(cfg, p->cache, &p->items[k], w);
    } else {
      il_config node_cfg; /* (a shallow copy: nothing to free) */
      if (w->node) {
        il_config_for_node(cfg, &node_cfg);
        cfg = &node_cfg;
      }
      il_file_finish(cfg, &w->prep, p->items[k].context ? NULL : &w->out);
      free(w->data);
      w->data = NULL;
    }
  }
  return NULL;
}

static void run_pool(pool *p, unsigned jobs) {
  atomic_init(&p->next, 0u);
  atomic_init(&p->next_big, 0u);
  atomic_init(&p->big_busy, false);
  if (jobs > p->n)
    jobs = p->n ? p->n : 1;
  if (jobs <= 1) {
    worker(p);
    return;
  }
  pthread_t *th = il_xcalloc(jobs, sizeof *th);
  unsigned started = 0;
  for (; started < jobs; started++)
    if (pthread_create(&th[started], NULL, worker, p) != 0)
      break;
  if (started == 0)
    worker(p);
  for (unsigned i = 0; i < started; i++)
    pthread_join(th[i], NULL);
  free(th);
}

/* ---- fingerprints ---------------------------------------------------------------------- */

typedef struct {
  uint64_t hash;
  uint32_t index;
} fp_key;

static int cmp_fp_key(const void *pa, const void *pb) {
  const fp_key *a = pa, *b = pb;
  if (a->hash != b->hash)
    return a->hash < b->hash ? -1 : 1;
  return a->index < b->index ? -1 : a->index > b->index;
}

static uint64_t fp_hash(const char *rule, const char *line) {
  /* FNV-1a over rule, NUL, line without white space */
  uint64_t h = il_fnv64(IL_FNV64_INIT, rule, strlen(rule) + 1);
  for (const unsigned char *p = (const unsigned char *)(line ? line : ""); *p; p++)
    if (*p != ' ' && *p != '\t' && *p != '\r' && *p != '\f' && *p != '\v')
      h = (h ^ *p) * 1099511628211ull;
  return h;
}

void il_result_fingerprint(il_result *r) {
  IL_ARRAY(fp_key) keys = {0};
  for (uint32_t start = 0; start < r->findings.len;) {
    /* the findings of one file are adjacent (sorted by path) */
    uint32_t end = start + 1;
    while (end < r->findings.len && strcmp0(r->findings.data[end].path,
                                            r->findings.data[start].path) == 0)
      end++;
    keys.len = 0;
    for (uint32_t i = start; i < end; i++) {
      const il_finding *f = &r->findings.data[i];
      fp_key k = {fp_hash(f->rule_id, f->line_text), i};
      il_array_push(&keys, k);
    }
    qsort(keys.data, keys.len, sizeof *keys.data, cmp_fp_key);
    uint32_t occurrence = 0;
    for (uint32_t j = 0; j < keys.len; j++) {
      occurrence = j && keys.data[j].hash == keys.data[j - 1].hash ? occurrence + 1 : 0;
      r->findings.data[keys.data[j].index].fingerprint =
          il_arena_printf(r->arena, "%016llx:%u", (unsigned long long)keys.data[j].hash,
                          occurrence + 1);
    }
    start = end;
  }
  il_array_free(&keys);
}

enum { MAX_CONTEXT_ROUNDS = 16, MAX_CONTEXT_FILES = 4096 };

/* The largest files first: a file's parse is the biggest allocation of a scan (the
 * corpus's 3.4 MB bundle builds a 19 MB tree), and the facts kept of the files done
 * before it add to it. Parsed first, it meets almost none, so peak RSS is the largest
 * parse or the facts kept, not their sum; and no long parse is left for the end, when
 * the other jobs have nothing more to do. Files of TRIM_AFTER bytes or more ("big")
 * are taken one job at a time (next_item). Ties keep the discovery order. */
static uint32_t *largest_first(const il_item *items, uint32_t n, uint32_t *n_big) {
  fp_key *r = il_xmalloc((n ? n : 1) * sizeof *r); /* key: the size's complement */
  for (uint32_t i = 0; i < n; i++)
    r[i] = (fp_key){UINT64_MAX - (items[i].src     ? items[i].src->len
                                  : items[i].has_st ? items[i].st.size
                                                    : 0),
                    i};
  qsort(r, n, sizeof *r, cmp_fp_key);
  uint32_t *order = il_xmalloc((n ? n : 1) * sizeof *order);
  *n_big = 0;
  for (uint32_t i = 0; i < n; i++) {
    order[i] = r[i].index;
    *n_big += UINT64_MAX - r[i].hash >= TRIM_AFTER;
  }
  free(r);
  return order;
}

/* Phase 1 over items [start, end), then adds them to the graph in order. */
static void phase1(const il_config *cfg, il_discovery *d, work_list *works, il_modgraph *g,
                   uint32_t start, unsigned jobs, scan_progress *sp, il_cache *cache) {
  il_array_grow(works, d->items.len - start);
  for (uint32_t i = start; i < d->items.len; i++) {
    work w;
    memset(&w, 0, sizeof w);
    il_array_push(works, w);
  }
  char **abs = il_xcalloc(d->items.len - start + 1, sizeof *abs);
  char cwd[PATH_MAX];
  if (!getcwd(cwd, sizeof cwd))
    strcpy(cwd, "/");
  for (uint32_t i = start; i < d->items.len; i++) {
    const il_item *it = &d->items.data[i];
    abs[i - start] = il_abs_path_in(cwd, it->fs ? it->fs : it->display);
    il_modgraph_prefilter(g, abs[i - start], &works->data[i].ext);
    works->data[i].abs = abs[i - start];
  }
  pool p = {.cfg = cfg, .items = d->items.data, .works = works->data, .start = start,
            .n = d->items.len - start, .phase = 1, .progress = sp,
            .cache = cache};
  if (sp)
    sp->total = d->items.len;
  /* a warm run in which every file is unchanged (stat data) reads none: one thread
   * does that sooner than several (each new thread's heap starts empty) */
  bool all_hits = cache && jobs > 1;
  for (uint32_t i = start; i < d->items.len && all_hits; i++) {
    const il_item *it = &d->items.data[i];
    all_hits = !it->src && it->has_st && it->lang != IL_LANG_C &&
               il_cache_stat_hit(cache, abs[i - start], (il_lang)it->lang, &it->st);
  }
  uint32_t *order = all_hits ? NULL : largest_first(d->items.data + start, p.n, &p.n_big);
  p.order = order;
  run_pool(&p, all_hits ? 1 : jobs);
  free(order);
  for (uint32_t i = start; i < d->items.len; i++) {
    il_prepared *pp = &works->data[i].prep;
    il_modgraph_add(g, abs[i - start], d->items.data[i].display, pp->f, pp->specs, pp->n_specs,
                    pp->specs_packed);
    pp->specs = NULL; /* the graph owns them */
    pp->n_specs = 0;
    works->data[i].abs = NULL;
    free(abs[i - start]);
  }
  free(abs);
}

/* ---- C files linked by external name ---------------------------------------------- */

enum { MAX_C_ROUNDS = 4 };

typedef IL_ARRAY(const char *) name_vec;

static int cmp_name(const void *a, const void *b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int cmp_name(const void *a, const void *b);

/* May the value of construction record c of f hold a handle: a constructor's, or a
 * call of a function named in the sorted names (a wrapper another file defines)? */
static bool c_may_hold(const il_facts *f, int32_t c, const name_vec *names) {
  if (c < 0)
    return false;
  const il_ctor *k = &f->ctors.data[c];
  if (k->client)
    return true;
  return k->local_call && names->len &&
         bsearch(&k->root, names->data, names->len, sizeof *names->data, cmp_name);
}

/* The names other C files may link to in f (flow/c_link.c): its functions (not
 * `static`) that return a handle or leave one in an out-parameter (c_link_fns), and
 * the globals it fills with a handle or with what a function named in names (sorted)
 * returns (c_link_globals). */
static void c_link_fns(const il_facts *f, name_vec *out) {
  for (uint32_t i = 0; i < f->fsums.len; i++)
    if (f->fsums.data[i].client)
      il_array_push(out, f->decls.data[f->fsums.data[i].decl].name);
  /* and those that store a handle (`if (!conn) conn = PQconnectdb(...)` in get_db()):
   * a handler of another file that calls them fills it */
  for (uint32_t i = 0; i < f->assigns.len; i++) {
    const il_assign *a = &f->assigns.data[i];
    if (a->value_ctor < 0 || !f->ctors.data[a->value_ctor].client || a->scope <= 0 || !a->root)
      continue;
    int32_t t = il_facts_lookup(f, a->scope, a->root); /* long-lived storage only */
    if (t < 0 || f->decls.data[t].kind != IL_DECL_VAR ||
        (f->decls.data[t].scope != 0 && !f->decls.data[t].c_static))
      continue;
    int32_t fn = a->scope;
    while (fn > 0 && f->scopes.data[fn].parent > 0)
      fn = f->scopes.data[fn].parent;
    if (f->scopes.data[fn].is_boot || f->scopes.data[fn].is_handler)
      continue; /* (main() and handlers are nobody's callee) */
    for (uint32_t d = 0; d < f->decls.len; d++)
      if (f->decls.data[d].fn == fn && f->decls.data[d].scope == 0 && f->decls.data[d].exported) {
        il_array_push(out, f->decls.data[d].name);
        break;
      }
  }
}

/* ... and those that return what a function named in names (sorted) returns (a chain
 * of wrappers across files). */
static void c_link_chains(const il_facts *f, const name_vec *names, name_vec *out) {
  for (uint32_t i = 0; i < f->fsums.len && names->len; i++) {
    const il_fsum *s = &f->fsums.data[i];
    if (s->client || s->import < 0 || (uint32_t)s->import >= f->decls.len)
      continue;
    const char *callee = f->decls.data[s->import].name;
    if (bsearch(&callee, names->data, names->len, sizeof *names->data, cmp_name))
      il_array_push(out, f->decls.data[s->decl].name);
  }
}

static void c_link_globals(const il_facts *f, const name_vec *names, name_vec *out) {
  for (uint32_t i = 0; i < f->assigns.len; i++) {
    const il_assign *a = &f->assigns.data[i];
    if (a->target == IL_TARGET_THIS || !a->root || a->scope <= 0)
      continue;
    int32_t v = a->value_ctor;
    if (v < 0 && a->value_name) {
      int32_t vd = il_facts_lookup(f, a->scope, a->value_name);
      v = vd >= 0 ? f->decls.data[vd].init_ctor : -1;
    }
    if (!c_may_hold(f, v, names))
      continue;
    int32_t d = il_facts_lookup(f, a->scope, a->root);
    if (d >= 0 && f->decls.data[d].scope == 0 && f->decls.data[d].kind == IL_DECL_VAR &&
        f->decls.data[d].exported)
      il_array_push(out, f->decls.data[d].name);
  }
}

/* Does the text name (as an identifier) one of the sorted names? */
static bool text_names(const char *t, size_t n, const char *const *names, uint32_t n_names) {
  char buf[128];
  for (size_t i = 0; i < n;) {
    char c = t[i];
    bool start = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    if (!start) {
      i++;
      continue;
    }
    size_t j = i + 1;
    while (j < n && ((t[j] >= 'a' && t[j] <= 'z') || (t[j] >= 'A' && t[j] <= 'Z') ||
                     (t[j] >= '0' && t[j] <= '9') || t[j] == '_'))
      j++;
    if (j - i < sizeof buf) {
      memcpy(buf, t + i, j - i);
      buf[j - i] = '\0';
      const char *key = buf;
      if (bsearch(&key, names, n_names, sizeof *names, cmp_name))
        return true;
    }
    i = j;
  }
  return false;
}

/* C files the prefilter skipped (they name no constructor) are parsed when they name
 * what a parsed C file links by external name (c_link_names), in rounds: a wrapper's
 * caller parsed in one round may fill the global the next round's handlers read. */
static void c_rounds(const il_config *cfg, il_discovery *d, work_list *works, il_modgraph *g,
                     unsigned jobs, il_cache *cache) {
  uint32_t n = d->items.len;
  bool *needed = il_xcalloc(n + 1, sizeof *needed);
  bool *named = il_xcalloc(n + 1, sizeof *named); /* its names are in the list already */
  name_vec names = {0};
  for (int round = 0; round < MAX_C_ROUNDS; round++) {
    uint32_t before = names.len;
    for (uint32_t i = 0; i < n; i++) {
      const il_facts *f = works->data[i].prep.f;
      if (f && f->lang == IL_LANG_C && !named[i])
        c_link_fns(f, &names);
    }
    if (names.len > 1)
      qsort(names.data, names.len, sizeof *names.data, cmp_name);
    name_vec found = {0};
    for (uint32_t i = 0; i < n; i++) {
      const il_facts *f = works->data[i].prep.f;
      if (f && f->lang == IL_LANG_C && !named[i])
        c_link_chains(f, &names, &found);
    }
    for (uint32_t i = 0; i < found.len; i++)
      il_array_push(&names, found.data[i]);
    found.len = 0;
    if (names.len > 1)
      qsort(names.data, names.len, sizeof *names.data, cmp_name);
    for (uint32_t i = 0; i < n; i++) {
      const il_facts *f = works->data[i].prep.f;
      if (f && f->lang == IL_LANG_C && !named[i]) {
        named[i] = true;
        c_link_globals(f, &names, &found);
      }
    }
    for (uint32_t i = 0; i < found.len; i++)
      il_array_push(&names, found.data[i]);
    il_array_free(&found);
    if (names.len == before)
      break;
    if (names.len > 1)
      qsort(names.data, names.len, sizeof *names.data, cmp_name);
    uint32_t n_needed = 0;
    for (uint32_t i = 0; i < n; i++) {
      work *w = &works->data[i];
      const il_item *it = &d->items.data[i];
      needed[i] = false;
      if (w->prep.f || !w->prep.candidate || it->lang != IL_LANG_C)
        continue;
      char *data = NULL;
      size_t len = 0;
      int err = 0;
      uint64_t too_big = 0;
      il_file_stat sd = {0};
      if (it->src)
        needed[i] = text_names(it->src->text, it->src->len, names.data, names.len);
      else if (read_file(it->fs, cfg->max_file_size, &data, &len, &err, &too_big, &sd)) {
        needed[i] = text_names(data, len, names.data, names.len);
        free(data);
      }
      if (needed[i]) {
        w->prep.candidate = false;
        n_needed++;
      }
    }
    if (!n_needed)
      break;
    pool p = {.cfg = cfg, .items = d->items.data, .works = works->data, .start = 0, .n = n,
              .phase = 2, .only = needed, .cache = cache};
    run_pool(&p, n_needed < jobs ? n_needed : jobs);
    for (uint32_t i = 0; i < n; i++)
      if (needed[i])
        il_modgraph_set_facts(g, i, works->data[i].prep.f);
  }
  il_array_free(&names);
  free(named);
  free(needed);
}

void il_config_for_node(const il_config *cfg, il_config *out) {
  *out = *cfg;
  for (uint32_t r = 0; r < il_n_rules && r < IL_MAX_RULES; r++)
    if (!il_rules[r]->meta)
      out->rule_level[r] = IL_LEVEL_OFF;
}

/* Adds a related location to each finding of o but the meta rules' (path NULL: the
 * finding's file). Where a finding already has one at the same place (the handler's
 * use is also "used in request handler ..."), this message replaces its message. */
static void add_related(il_file_out *o, const il_location *loc, const char *path,
                        const char *msg) {
  for (uint32_t k = 0; k < o->findings.len; k++) {
    il_finding *f = &o->findings.data[k];
    if (il_rules[f->rule_index]->meta)
      continue;
    il_location *rel = il_arena_alloc(o->arena, (f->n_related + 1) * sizeof *rel);
    if (f->n_related)
      memcpy(rel, f->related, f->n_related * sizeof *rel);
    uint32_t j = 0;
    while (j < f->n_related &&
           !(((!rel[j].path && !path) || (rel[j].path && path && strcmp(rel[j].path, path) == 0)) &&
             rel[j].span.start_byte == loc->span.start_byte &&
             rel[j].span.end_byte == loc->span.end_byte &&
             rel[j].span.start.line == loc->span.start.line))
      j++;
    if (j == f->n_related) {
      rel[j] = *loc;
      rel[j].path = path ? il_arena_strdup(o->arena, path) : NULL;
      f->n_related++;
    }
    rel[j].message = il_arena_strdup(o->arena, msg);
    f->related = rel;
  }
}

/* A finding in a module the Worker's entry point imports (directly or not) gets a
 * related location at the entry's import that leads to it. */
static void add_entry_hop(const il_modgraph *g, uint32_t file, il_file_out *o) {
  const il_entry_hop *h = il_modgraph_hop(g, file);
  if (!h || !o->findings.len)
    return;
  const char *why = h->why; /* "main in wrangler.jsonc", "a Nuxt/Nitro server file" */
  char *msg;
  if (h->handler && h->via == file)
    msg = il_xasprintf("reached from %s (%s): its request handler '%s' uses '%s' from this "
                       "module",
                       h->path, why, h->handler, h->binding);
  else if (h->handler)
    msg = il_xasprintf("reached from %s (%s) through %s: its request handler '%s' uses '%s' "
                       "from there",
                       h->path, why, il_modgraph_display(g, h->via), h->handler, h->binding);
  else if (h->via == file)
    msg = il_xasprintf("reached from %s (%s), which imports this module", h->path, why);
  else
    msg = il_xasprintf("reached from %s (%s) through %s", h->path, why,
                       il_modgraph_display(g, h->via));
  add_related(o, &h->loc, h->path, msg);
  free(msg);
}

/* A finding inside a Durable Object or Workflow class a Wrangler configuration names
 * gets a related location at the class's name saying so. */
static void add_entry_class(const il_modgraph *g, uint32_t file, il_file_out *o) {
  for (uint32_t k = 0; k < o->findings.len; k++) {
    il_finding *f = &o->findings.data[k];
    const il_entry_class *c =
        il_rules[f->rule_index]->meta ? NULL
                                      : il_modgraph_class_at(g, file, f->loc.span.start_byte);
    if (!c)
      continue;
    il_location *rel = il_arena_alloc(o->arena, (f->n_related + 1) * sizeof *rel);
    if (f->n_related)
      memcpy(rel, f->related, f->n_related * sizeof *rel);
    rel[f->n_related] = c->loc;
    rel[f->n_related].path = NULL;
    rel[f->n_related].message = il_arena_strdup(o->arena, c->message);
    f->related = rel;
    f->n_related++;
  }
}

/* After the findings of w's file: why it is a Worker, unless a Worker's entry point
 * reaches the file (that location already says so, naming its configuration). */
static void add_target_reason(const il_modgraph *g, uint32_t file, work *w) {
  if (w->target_msg) {
    if (!il_modgraph_hop(g, file))
      add_related(&w->out, &w->target_loc, w->target_path, w->target_msg);
  }
  free(w->target_msg);
  free(w->target_path);
  w->target_msg = w->target_path = NULL;
}

/* Says in w's findings why its file is treated as a Worker: the cloudflare: import
 * it has, or the file above it that says so (s). */
static void target_reason(work *w, const il_target_signal *s) {
  const il_facts *f = w->prep.f;
  for (uint32_t k = 0; f && k < f->decls.len; k++) {
    const il_decl *dc = &f->decls.data[k];
    if (dc->kind == IL_DECL_IMPORT && dc->module && strncmp(dc->module, "cloudflare:", 11) == 0) {
      w->target_loc = il_make_location(f, dc->span);
      w->target_msg = il_xasprintf("target: Cloudflare Workers, detected from this module's "
                                   "import of '%s'",
                                   dc->module);
      return;
    }
  }
  if (!s)
    return; /* the default: nothing says so */
  il_location l;
  memset(&l, 0, sizeof l);
  l.span.start.line = l.span.end.line = 1;
  l.span.start.col = l.span.end.col = 1;
  l.start_col16 = l.end_col16 = 1;
  w->target_loc = l;
  w->target_path = il_display_of(s->path);
  w->target_msg = il_xasprintf("target: Cloudflare Workers, detected from %s here", s->what);
}

/* n_walked: the items discovery named (the others are context files imports led to);
 * an item below it that is context belongs to another shard, and counts in the
 * notification all the same, so every shard writes the full scan's (merge keeps one). */
static void choose_targets(const il_config *cfg, il_discovery *d, work *works, il_modgraph *g,
                           uint32_t n_walked) {
  IL_ARRAY(const il_target_signal *) sigs = {0};
  IL_ARRAY(uint32_t) counts = {0};
  for (uint32_t i = 0; i < d->items.len; i++) {
    il_target target = item_cfg(cfg, &d->items.data[i])->target; /* "target", --target */
    if (target != IL_TARGET_AUTO) {
      const il_target_signal *s;
      il_modgraph_target(g, i, &s); /* finds the Wrangler configurations all the same */
      works[i].node = target == IL_TARGET_NODE && d->items.data[i].lang != IL_LANG_C;
      continue;
    }
    if (d->items.data[i].context && i >= n_walked)
      continue;
    const il_target_signal *s;
    bool node = il_modgraph_target(g, i, &s) == IL_TARGET_NODE && d->items.data[i].lang != IL_LANG_C;
    if (!d->items.data[i].context)
      works[i].node = node;
    if (!node) {
      if (d->items.data[i].context)
        continue;
      if (d->items.data[i].lang != IL_LANG_C)
        target_reason(&works[i], s);
      continue;
    }
    if (!s)
      continue;
    uint32_t k = 0;
    while (k < sigs.len && sigs.data[k] != s)
      k++;
    if (k == sigs.len) {
      il_array_push(&sigs, s);
      il_array_push(&counts, 0u);
    }
    counts.data[k]++;
  }
  for (uint32_t k = 0; k < sigs.len; k++) {
    char *disp = il_display_of(sigs.data[k]->path);
    il_file_out_note(&d->notes, IL_NOTE_CONFIG, IL_LEVEL_NOTE, disp, 0, 0,
                     "Target: Node.js (%s here), not Cloudflare Workers, for %u file%s below this "
                     "directory: a client shared at module scope is the recommended pattern on a "
                     "Node server, so the Workers rules are off for %s. Use --target workers (or "
                     "\"target\": \"workers\" in isolint.json) to check %s anyway.",
                     sigs.data[k]->what, counts.data[k], counts.data[k] == 1 ? "" : "s",
                     counts.data[k] == 1 ? "it" : "them", counts.data[k] == 1 ? "it" : "them");
    free(disp);
  }
  il_array_free(&sigs);
  il_array_free(&counts);
}

/* Code that never runs in a Worker gets no Workers findings (it is analyzed as Node.js
 * code): files of a package with entry points that none of them reaches, and, in a
 * package with no known entry point, the path classes of isolint.json "nodeCode".
 * One note per class and per package says how many files, and how to check them. */
static void choose_code(const il_config *cfg, il_discovery *d, work *works, il_modgraph *g,
                        uint32_t n_walked) {
  static const struct {
    uint32_t bit;
    const char *name, *what, *where;
  } classes[] = {
      {IL_CODE_TESTS, "tests", "test file", "on Node.js"},
      {IL_CODE_SCRIPTS, "scripts", "script", "on Node.js"},
      {IL_CODE_CONFIGS, "configs", "tool configuration", "on Node.js"},
      {IL_CODE_MIGRATIONS, "migrations", "migration or seed file", "on Node.js"},
      {IL_CODE_ASSETS, "assets", "browser file", "in the browser"},
  };
  enum { N_CLASSES = sizeof classes / sizeof classes[0] };
  uint32_t count[N_CLASSES] = {0};
  int32_t first[N_CLASSES];
  for (uint32_t c = 0; c < N_CLASSES; c++)
    first[c] = -1;
  IL_ARRAY(const il_package *) pkgs = {0};
  IL_ARRAY(uint32_t) pcount = {0};
  IL_ARRAY(uint32_t) pfirst = {0};
  /* the notes count the files of every shard (another shard's files are context here),
   * so that each shard says the same and `isolint merge` gives what one scan gives */
  for (uint32_t i = 0; i < d->items.len; i++) {
    const il_config *icfg = item_cfg(cfg, &d->items.data[i]);
    if ((d->items.data[i].context && i >= n_walked) || works[i].node ||
        d->items.data[i].lang == IL_LANG_C || icfg->all_files || icfg->target == IL_TARGET_NODE)
      continue;
    const il_target_signal *sig;
    if (d->items.data[i].context && icfg->target == IL_TARGET_AUTO &&
        il_modgraph_target(g, i, &sig) == IL_TARGET_NODE)
      continue; /* what choose_targets says of it in its own shard */
    il_reach r = il_modgraph_reach(g, i);
    if (r == IL_REACH_ENTRY || r == IL_REACH_REACHED)
      continue;
    if (r == IL_REACH_UNREACHED) {
      const il_package *p = il_modgraph_package(g, i);
      uint32_t k = 0;
      while (k < pkgs.len && pkgs.data[k] != p)
        k++;
      if (k == pkgs.len) {
        il_array_push(&pkgs, p);
        il_array_push(&pcount, 0u);
        il_array_push(&pfirst, i);
      }
      /* the note names the file first by path, whatever order the files came in */
      if (strcmp(d->items.data[i].display, d->items.data[pfirst.data[k]].display) < 0)
        pfirst.data[k] = i;
      pcount.data[k]++;
      works[i].node |= !d->items.data[i].context;
      continue;
    }
    uint32_t cls = il_modgraph_code_class(g, i) & icfg->node_code;
    if (!cls)
      continue;
    works[i].node |= !d->items.data[i].context;
    for (uint32_t c = 0; c < N_CLASSES; c++)
      if (cls & classes[c].bit) {
        if (first[c] < 0 || strcmp(d->items.data[i].display, d->items.data[first[c]].display) < 0)
          first[c] = (int32_t)i;
        count[c]++;
        break; /* counted once, in its first class */
      }
  }
  for (uint32_t c = 0; c < N_CLASSES; c++) {
    if (!count[c])
      continue;
    il_file_out_note(&d->notes, IL_NOTE_CONFIG, IL_LEVEL_NOTE, d->items.data[first[c]].display,
                     0, 0,
                     "Not Worker code: %u %s%s (this one%s), by %s path, run%s %s, not "
                     "in a Worker (no entry point of %s package is known), so the Workers rules "
                     "are off for %s. Remove \"%s\" from \"nodeCode\" in isolint.json, or use "
                     "--all-files, to check %s anyway.",
                     count[c], classes[c].what, count[c] == 1 ? "" : "s",
                     count[c] == 1 ? "" : " and others", count[c] == 1 ? "its" : "their",
                     count[c] == 1 ? "s" : "", classes[c].where, count[c] == 1 ? "its" : "their",
                     count[c] == 1 ? "it" : "them", classes[c].name,
                     count[c] == 1 ? "it" : "them");
  }
  for (uint32_t k = 0; k < pkgs.len; k++) {
    const il_package *p = pkgs.data[k];
    uint32_t n = pcount.data[k];
    il_file_out_note(&d->notes, IL_NOTE_CONFIG, IL_LEVEL_NOTE,
                     d->items.data[pfirst.data[k]].display, 0, 0,
                     "Not Worker code: %u file%s of this package (this one%s) %s not reached "
                     "through imports from its Worker entry points (the first: %s, %s), so the "
                     "Workers rules are off for %s. Use --all-files (or \"allFiles\": true in "
                     "isolint.json) to check %s anyway.",
                     n, n == 1 ? "" : "s", n == 1 ? "" : " and others", n == 1 ? "is" : "are",
                     p->first, p->why, n == 1 ? "it" : "them", n == 1 ? "it" : "them");
  }
  il_array_free(&pkgs);
  il_array_free(&pcount);
  il_array_free(&pfirst);
}

/* The warm-run cache (--cache): its problems are run-level notes. */
static il_cache *open_cache(const il_config *cfg, const il_scan_opts *opts, il_discovery *d) {
  if (!opts->cache_dir)
    return NULL;
  char *note = NULL;
  il_cache *c = il_cache_open(opts->cache_dir, cfg, &note);
  if (note)
    il_file_out_note(&d->notes, IL_NOTE_CONFIG, IL_LEVEL_NOTE, il_cache_path(c), 0, 0, "%s", note);
  free(note);
  return c;
}

static void close_cache(il_cache *c, il_discovery *d, work *works) {
  if (!c)
    return;
  char *path = il_xstrdup(il_cache_path(c));
  char *note = NULL;
  il_cache_close(c, &note);
  if (note)
    il_file_out_note(&d->notes, IL_NOTE_CONFIG, IL_LEVEL_NOTE, path, 0, 0, "%s", note);
  free(note);
  free(path);
  for (uint32_t i = 0; i < d->items.len; i++)
    works[i].ext.cache = NULL; /* freed with the cache */
}

/* A bad isolint.json met during discovery or the context rounds: nothing is reported but
 * the error (exit 2, as for a bad configuration found before the scan). */
static bool config_failed(const il_scan_opts *opts, il_result *out) {
  const char *err = opts->configs ? il_config_set_error(opts->configs) : NULL;
  if (err && !out->config_error)
    out->config_error = il_arena_strdup(out->arena, err);
  return err != NULL;
}

/* The in-memory text standing for a context file (an editor's unsaved buffer), or NULL. */
static const il_source *overlay_of(const il_scan_opts *opts, const char *path) {
  if (!opts->n_overlays)
    return NULL;
  char *abs = il_abs_path(path);
  const il_source *found = NULL;
  for (uint32_t i = 0; i < opts->n_overlays && !found; i++)
    if (strcmp(opts->overlays[i].path, abs) == 0)
      found = &opts->overlays[i];
  free(abs);
  return found;
}

void il_scan(const il_config *cfg, const il_scan_opts *opts, il_result *out) {
  il_discovery d = {.cfg = cfg};
  il_config_source configs;
  if (opts->configs) {
    configs = il_config_set_source(opts->configs);
    d.configs = &configs;
  }
  il_file_out_init(&d.notes);
  if (opts->n_sources)
    il_discover_sources(&d, opts->sources, opts->n_sources);
  else
    il_discover_paths(&d, opts->paths, opts->n_paths);
  il_discover_shard(&d, opts->shard_index, opts->shard_count);
  uint32_t n_walked = d.items.len; /* then context files an import leads to */
  out->missing_path |= d.missing;
  if (opts->configs) /* the files' "clients" join the knowledge base before any is read */
    il_config_set_seal(opts->configs, cfg, &d.notes);
  if (config_failed(opts, out)) {
    for (uint32_t i = 0; i < d.items.len; i++) {
      free(d.items.data[i].fs);
      free(d.items.data[i].display);
    }
    il_file_out_fini(&d.notes);
    il_discovery_fini(&d);
    return;
  }

  unsigned jobs = opts->jobs;
  if (!jobs) {
    long nc = sysconf(_SC_NPROCESSORS_ONLN);
    jobs = nc > 0 ? (unsigned)nc : 1;
  }
  il_modgraph *g = il_modgraph_new(&d.notes);
  il_modgraph_set_roots(g, d.roots.data, d.roots.len);
  il_modgraph_set_listing(g, &d.listing);
  work_list works = {0};
  /* phase 1: every file found, then (in rounds) files on disk that they import but
   * the scan did not name: an in-memory source's neighbours, a directory outside
   * the scanned paths */
  scan_progress progress = {.opts = opts, .lock = PTHREAD_MUTEX_INITIALIZER};
  atomic_init(&progress.done, 0u);
  atomic_init(&progress.next_ns, now_ns() + 100000000ull); /* nothing for a short scan */
  scan_progress *sp = opts->progress ? &progress : NULL;
  il_cache *cache = open_cache(cfg, opts, &d);
  phase1(cfg, &d, &works, g, 0, jobs, sp, cache);
  uint32_t n_context = 0;
  il_context_paths cpaths = {0};
  for (int round = 0; round < MAX_CONTEXT_ROUNDS && n_context < MAX_CONTEXT_FILES; round++) {
    IL_ARRAY(char *) missing = {0};
    il_modgraph_missing(g, &missing);
    if (missing.len > 1)
      qsort(missing.data, missing.len, sizeof *missing.data, il_cmp_cstr);
    uint32_t start = d.items.len;
    for (uint32_t i = 0; i < missing.len; i++) {
      int lang;
      struct stat st;
      bool has_st = false;
      if (n_context < MAX_CONTEXT_FILES && il_lang_of_path(missing.data[i], &lang) &&
          !il_readable_context(&d, &cpaths, missing.data[i], &st, &has_st)) {
        char *disp = il_display_of(missing.data[i]);
        il_file_out_note(&d.notes, IL_NOTE_WALK, IL_LEVEL_NOTE, disp, 0, 0,
                         "Not read: an import leads to this file, which is outside the scanned "
                         "paths and the current directory.");
        free(disp);
      } else if (n_context < MAX_CONTEXT_FILES && il_lang_of_path(missing.data[i], &lang)) {
        il_item it = {il_xstrdup(missing.data[i]), il_display_of(missing.data[i]), lang,
                      overlay_of(opts, missing.data[i]), true, false, {0}, NULL};
        if (opts->configs) { /* (its directory's, cached: no system call per file) */
          char *abs = il_abs_path(it.fs), *dir = il_path_dir_of(abs);
          it.cfg = il_config_set_file(opts->configs, il_config_set_dir(opts->configs, dir, NULL, 0),
                                      abs, it.display);
          free(dir);
          free(abs);
        }
        if (has_st && S_ISREG(st.st_mode) && !it.src) { /* (a link is stat'ed when read) */
          il_file_stat_of(&st, &it.st);
          it.has_st = true;
        }
        il_array_push(&d.items, it);
        n_context++;
      }
      free(missing.data[i]);
    }
    il_array_free(&missing);
    if (start == d.items.len)
      break;
    phase1(cfg, &d, &works, g, start, jobs, sp, cache);
  }
  il_context_paths_fini(&cpaths);
  if (opts->configs)
    il_config_set_notes(opts->configs, &d.notes);
  config_failed(opts, out); /* reported, but the scan is finished: its files were fine */
  /* candidates (files that name a local module but nothing the rules look for)
   * are parsed when a module they name leads to a parsed file */
  bool *cand = il_xcalloc(d.items.len + 1, sizeof *cand);
  bool *needed = il_xcalloc(d.items.len + 1, sizeof *needed);
  bool *feeds = il_xcalloc(d.items.len + 1, sizeof *feeds);
  for (uint32_t i = 0; i < d.items.len; i++) {
    cand[i] = works.data[i].prep.candidate;
    /* a file whose functions return a client or do load-time operations (value
     * flow's summaries) can give an importer a finding too */
    feeds[i] = works.data[i].prep.feeds || (works.data[i].prep.f && il_flow_feeds(works.data[i].prep.f));
  }
  il_modgraph_needed(g, cand, feeds, needed);
  free(feeds);
  pool p2 = {.cfg = cfg, .items = d.items.data, .works = works.data, .start = 0,
             .n = d.items.len, .phase = 2, .only = needed, .cache = cache};
  uint32_t n_needed = 0;
  for (uint32_t i = 0; i < d.items.len; i++)
    n_needed += needed[i];
  if (n_needed) /* (no threads for nothing) */
    run_pool(&p2, n_needed < jobs ? n_needed : jobs);
  c_rounds(cfg, &d, &works, g, jobs, cache);
  close_cache(cache, &d, works.data); /* every file's facts are known */
  for (uint32_t i = 0; i < d.items.len; i++)
    if (needed[i])
      il_modgraph_set_facts(g, i, works.data[i].prep.f);
  free(cand);
  free(needed);
  if (sp && progress.shown) /* the final count, once a line was shown */
    opts->progress(opts->progress_ctx, atomic_load(&progress.done), progress.total);
  /* phase 2 */
  choose_targets(cfg, &d, works.data, g, n_walked);
  il_modgraph_entries(g);
  choose_code(cfg, &d, works.data, g, n_walked);
  il_modgraph_link(g);
  il_flow_calls(g);
  il_flow_c_link(g);
  const il_rule *layer_rule = NULL; /* the rule with a cross-file layer hook */
  for (uint32_t i = 0; i < il_n_rules && !layer_rule; i++)
    if (il_rules[i]->xlayers)
      layer_rule = il_rules[i];
  il_modgraph_layers(g, cfg->kb, layer_rule ? layer_rule->xlayers : NULL);
  /* phase 3 */
  pool p = {.cfg = cfg, .items = d.items.data, .works = works.data,
            .start = 0, .n = d.items.len, .phase = 3};
  run_pool(&p, jobs);
  for (uint32_t i = 0; i < d.items.len; i++)
    if (!d.items.data[i].context) {
      add_entry_hop(g, i, &works.data[i].out);
      add_entry_class(g, i, &works.data[i].out);
      add_target_reason(g, i, &works.data[i]);
    } else {
      free(works.data[i].target_msg);
      free(works.data[i].target_path);
    }
  il_file_out_move(&d.notes, out);
  for (uint32_t i = 0; i < d.items.len; i++) {
    if (d.items.data[i].context) {
      il_file_out_fini(&works.data[i].out);
    } else {
      il_file_out_move(&works.data[i].out, out);
      out->n_files++;
      out->read_error |= works.data[i].read_failed;
    }
    free(d.items.data[i].fs);
    free(d.items.data[i].display);
  }
  il_modgraph_free(g);
  il_array_free(&works);
  il_discovery_fini(&d);
  il_result_sort(out);
  il_result_fingerprint(out);
}
