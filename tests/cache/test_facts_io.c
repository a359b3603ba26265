/* Round trip of the facts encoding (analyzer/facts/facts_io.c): every TS/JS file
 * under the directories given is extracted, dumped field by field, saved, loaded
 * back and dumped again: the dumps must be equal. Then the loader is fed broken
 * blobs (every truncation of a sample, bit flips, another language, a shorter
 * text) and must reject them or return facts, never crash (run it under ASan). */
#define _XOPEN_SOURCE 700
#include <ftw.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "facts/cache.h"
#include "frontend/frontend.h"
#include "core/run.h"

#include "../check.h"

static uint32_t n_files, n_mutants_loaded, n_mutants_rejected;
static uint32_t n_detached, n_wide, n_members; /* loaded without the text; with runs, members */


typedef IL_ARRAY(char) strbuf;

static void sp(strbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sp(strbuf *b, const char *fmt, ...) {
  char tmp[4096];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
  va_end(ap);
  if (n < 0)
    return;
  if ((size_t)n >= sizeof tmp)
    n = sizeof tmp - 1;
  il_array_grow(b, (uint32_t)n + 1);
  memcpy(b->data + b->len, tmp, (size_t)n);
  b->len += (uint32_t)n;
  b->data[b->len] = '\0';
}

#define S(x) ((x) ? (x) : "(null)")

static void span(strbuf *b, il_span s) {
  sp(b, " [%u-%u %u:%u-%u:%u]", s.start_byte, s.end_byte, s.start.line, s.start.col, s.end.line,
     s.end.col);
}

/* Every field of il_facts that the front-end fills, resolved ones included. */
static char *dump(const il_facts *f) {
  strbuf b = {0};
  sp(&b, "lang %d len %zu errors %u hints %u", f->lang, f->len, f->n_syntax_errors,
     (unsigned)f->entry_hints);
  span(&b, f->first_syntax_error);
  sp(&b, "\n");
  for (uint32_t i = 0; i < f->scopes.len; i++) {
    const il_scope *s = &f->scopes.data[i];
    sp(&b, "scope %u parent %d kind %d %d%d%d%d%d%d class %d name %s arg_of %d boot %d %d %d", i,
       s->parent, s->kind, s->at_load, s->is_handler, s->is_instance, s->is_static, s->is_durable,
       s->once,
       s->class_decl, S(s->name), s->arg_of, s->is_boot, s->reach_handler, s->reach_boot);
    span(&b, s->span);
    sp(&b, "\n");
  }
  for (uint32_t i = 0; i < f->decls.len; i++) {
    const il_decl *d = &f->decls.data[i];
    sp(&b, "decl %u %s scope %d kind %d init %d exp %d mod %s imp %s %d%d ctor %d owner %d %d fn %d",
       i, S(d->name), d->scope, d->kind, d->init_kind, d->exported, S(d->module), S(d->imported),
       d->type_only, d->is_durable, d->init_ctor, d->owner, d->c_static, d->fn);
    span(&b, d->span);
    sp(&b, "\n");
  }
  for (uint32_t i = 0; i < f->ctors.len; i++) {
    const il_ctor *k = &f->ctors.data[i];
    sp(&b, "ctor %u %s.%s new %d scope %d outer %d decl %d assign %d gf %d client %p mod %s "
           "level %d inner %d wrapped %d from %s exp %s local %d",
       i, S(k->root), S(k->path), k->is_new, k->scope, k->outer, k->decl, k->assign,
       k->global_fallback, (const void *)k->client, S(k->module), k->level, k->inner,
       k->wrapped_by, S(k->from), S(k->export_path), k->local_call);
    span(&b, k->span);
    span(&b, k->full);
    sp(&b, "\n");
  }
  for (uint32_t i = 0; i < f->assigns.len; i++) {
    const il_assign *a = &f->assigns.data[i];
    sp(&b, "assign %u op %d target %d %s.%s scope %d vctor %d vname %s decl %d vdecl %d g %d", i,
       a->op, a->target, S(a->root), S(a->prop), a->scope, a->value_ctor, S(a->value_name),
       a->decl, a->value_decl, a->global);
    span(&b, a->span);
    sp(&b, "\n");
  }
  for (uint32_t i = 0; i < f->refs.len; i++) {
    const il_ref *r = &f->refs.data[i];
    sp(&b, "ref %u %.*s called %d scope %d in_ctor %d decl %d", i, (int)r->name_len, r->name,
       (int)r->called, r->scope, r->in_ctor, r->decl);
    span(&b, r->span);
    sp(&b, "\n");
  }
  for (uint32_t i = 0; i < f->calls.len; i++) {
    const il_call *c = &f->calls.data[i];
    sp(&b, "call %u %s.%s new %d aw %d scope %d run %d init %d ctor %d arg %s decl %d mod %s "
           "exp %s op %d io %d %d",
       i, S(c->root), S(c->path), c->is_new, c->awaited, c->scope, c->in_run, c->init_of, c->ctor,
       S(c->arg_root), c->decl, S(c->module), S(c->export_path), c->op, c->io_call, c->io_decl);
    span(&b, c->span);
    span(&b, c->full);
    sp(&b, "\n");
  }
  for (uint32_t i = 0; i < f->greads.len; i++) {
    const il_global_read *g = &f->greads.data[i];
    sp(&b, "gread %u %s.%s scope %d g %d", i, S(g->root), S(g->prop), g->scope, g->global);
    span(&b, g->span);
    sp(&b, "\n");
  }
  for (uint32_t i = 0; i < f->lnodes.len; i++) {
    const il_lnode *l = &f->lnodes.data[i];
    sp(&b, "lnode %u %d%d%d %s ctor %d scope %d parent %d arg %d init %d decl %d", i, l->is_name,
       l->is_pipe, l->local_opts, S(l->name), l->ctor, l->scope, l->parent, l->arg_index,
       l->init_of, l->decl);
    span(&b, l->span);
    sp(&b, "\n");
  }
  for (uint32_t i = 0; i < f->suppressions.len; i++) {
    const il_suppression *s = &f->suppressions.data[i];
    sp(&b, "supp %u kind %d word %s next %d line %u n %u reason %s used %d:", i, (int)s->kind,
       S(s->word), s->next_line, s->line, s->n_rules,
       S(s->reason), s->used);
    for (uint32_t j = 0; j < s->n_rules; j++)
      sp(&b, " %s", S(s->rules[j]));
    span(&b, s->span);
    sp(&b, "\n");
  }
  for (uint32_t i = 0; i < f->handler_names.len; i++)
    sp(&b, "handler %s\n", S(f->handler_names.data[i]));
  for (uint32_t i = 0; i < f->exports.len; i++) {
    const il_export *e = &f->exports.data[i];
    sp(&b, "export %s local %s mod %s type %d", S(e->name), S(e->local), S(e->module),
       e->type_only);
    span(&b, e->span);
    sp(&b, "\n");
  }
  for (uint32_t i = 0; i < f->rets.len; i++) {
    const il_ret *r = &f->rets.data[i];
    sp(&b, "ret %u scope %d ctor %d name %s", i, r->scope, r->value_ctor, S(r->value_name));
    span(&b, r->span);
    sp(&b, "\n");
  }
  sp(&b, "xuses %u xlayers %u bound %d\n", f->xuses.len, f->xlayers.len, f->bound);
  /* what il_facts_detach() keeps of the text */
  sp(&b, "detached %d src %d hash %016llx\n", f->detached, f->src != NULL,
     (unsigned long long)f->src_hash);
  for (uint32_t i = 0; i < f->wide.len; i++) {
    const il_wide_run *w = &f->wide.data[i];
    sp(&b, "wide %u+%u:", w->start, w->len);
    for (uint32_t k = 0; k < w->len; k++)
      sp(&b, " %02x", (unsigned char)w->bytes[k]);
    sp(&b, "\n");
  }
  for (uint32_t i = 0; i < f->ref_members.len; i++)
    sp(&b, "member %u %s\n", f->ref_members.data[i].ref, S(f->ref_members.data[i].member));
  return b.data;
}

static char *slurp(const char *path, size_t *len) {
  FILE *fp = fopen(path, "rb");
  if (!fp)
    return NULL;
  IL_ARRAY(char) b = {0};
  char tmp[65536];
  size_t n;
  while ((n = fread(tmp, 1, sizeof tmp, fp)) > 0) {
    il_array_grow(&b, (uint32_t)n);
    memcpy(b.data + b.len, tmp, n);
    b.len += (uint32_t)n;
  }
  fclose(fp);
  il_array_grow(&b, 1);
  *len = b.len;
  return b.data;
}

static uint64_t rng = 0x9E3779B97F4A7C15u;
static uint64_t next_rand(void) {
  rng ^= rng << 13;
  rng ^= rng >> 7;
  rng ^= rng << 17;
  return rng;
}

/* A broken blob: load must not crash; a load that succeeds must give facts the
 * dumper (which follows every string) can walk. */
static void try_mutant(const uint8_t *blob, size_t n, const char *path, il_lang lang,
                       const char *src, size_t len) {
  uint8_t *copy = il_xmalloc(n ? n : 1);
  memcpy(copy, blob, n);
  for (int detached = 0; detached < 2; detached++) { /* over the text, and without it */
    char *err = NULL;
    il_facts *g = il_facts_load(copy, n, path, lang, detached ? NULL : src, len, &err);
    if (g) {
      n_mutants_loaded++;
      free(dump(g));
      il_facts_bind(g); /* the symbol table over whatever was loaded */
      for (uint32_t i = 0; i < g->refs.len; i++) /* what the cross-file pass reads */
        (void)il_facts_ref_member(g, i);
      for (uint32_t i = 1; i < g->scopes.len; i++) { /* UTF-16 columns over the runs */
        il_span sp = g->scopes.data[i].span;
        (void)il_facts_col16(g, sp.end_byte - (sp.end.col - 1), sp.end.col - 1, sp.end.line == 1);
      }
      il_facts_drop_unbound_refs(g);
      il_facts_free(g);
    } else {
      n_mutants_rejected++;
      free(err);
    }
  }
  free(copy);
}

/* The facts of one file through phase 1 of a scan, from the parse (f: extracted,
 * then bound, cut down as `how` says and detached) or from the cache (g: loaded
 * detached from the blob, then bound and cut down): the same facts. how: 0 drops
 * the unbound references, 1 reduces keeping import references, 2 reduces all, 3
 * reduces keeping layers (constructions, layer nodes, the references they resolve). */
static void check_pipeline(const char *path, il_lang lang, const char *src, size_t len,
                           const uint8_t *blob, size_t n, int how) {
  il_facts *f = il_facts_new(path, lang, src, len);
  char *err = NULL;
  if (!il_ts_extract(f, &err)) {
    free(err);
    il_facts_free(f);
    return;
  }
  il_facts *g = il_facts_load(blob, n, path, lang, NULL, len, &err);
  CHECK(g != NULL, "the blob loads without its text");
  if (!g) {
    free(err);
    il_facts_free(f);
    return;
  }
  il_facts *both[2] = {f, g};
  for (int k = 0; k < 2; k++) {
    il_facts_bind(both[k]);
    if (how == 0)
      il_facts_drop_unbound_refs(both[k]);
    else
      il_facts_reduce(both[k], how == 1, how == 3);
    il_facts_detach(both[k], true);
  }
  char *a = dump(f), *b = dump(g);
  bool same = strcmp(a, b) == 0;
  char what[256];
  snprintf(what, sizeof what, "%s: parsed or loaded unread, the same detached facts (%s)", path,
           how == 0   ? "unbound references dropped"
           : how == 1 ? "reduced"
           : how == 2 ? "reduced, no refs"
                      : "reduced, layers kept");
  CHECK(same, what);
  if (!same)
    fprintf(stderr, "--- parsed\n%s--- loaded\n%s", a, b);
  free(a);
  free(b);
  il_facts_free(f);
  il_facts_free(g);
}

static void check_file(const char *path, il_lang lang) {
  size_t len = 0;
  char *src = slurp(path, &len);
  if (!src)
    return;
  il_facts *f = il_facts_new(path, lang, src, len);
  char *err = NULL;
  if (!il_ts_extract(f, &err)) {
    free(err);
    il_facts_free(f);
    free(src);
    return;
  }
  n_files++;
  char *before = dump(f);
  uint8_t *blob = NULL;
  size_t n = 0;
  bool saved = il_facts_save(f, &blob, &n);
  CHECK(saved, path);
  if (saved) {
    il_facts *g = il_facts_load(blob, n, path, lang, src, len, &err);
    if (!g)
      fprintf(stderr, "%s: %s\n", path, err);
    CHECK(g != NULL, path);
    if (g) {
      char *after = dump(g);
      bool same = strcmp(before, after) == 0;
      CHECK(same, path);
      if (!same) {
        fprintf(stderr, "--- before\n%s--- after\n%s", before, after);
      }
      free(after);
      /* the loaded facts bind and encode to the same bytes */
      uint8_t *blob2 = NULL;
      size_t n2 = 0;
      CHECK(il_facts_save(g, &blob2, &n2) && n2 == n && memcmp(blob, blob2, n) == 0, path);
      free(blob2);
      il_facts_free(g);
    }
    /* without the text: the facts il_facts_detach() makes of the parsed ones, which
     * encode to the same bytes (what the encoder computes from the text is what
     * il_facts_detach keeps) */
    il_facts *d = il_facts_new(path, lang, src, len);
    char *e3 = NULL;
    if (il_ts_extract(d, &e3)) {
      il_facts_detach(d, true);
      il_facts *u = il_facts_load(blob, n, path, lang, NULL, len, &err);
      if (!u)
        fprintf(stderr, "%s (detached): %s\n", path, err);
      CHECK(u != NULL, "a blob loads without its text");
      if (u) {
        char *x = dump(d), *y = dump(u);
        bool same = strcmp(x, y) == 0 && u->detached && !u->src && u->len == len;
        CHECK(same, path);
        if (!same)
          fprintf(stderr, "--- detached\n%s--- loaded without the text\n%s", x, y);
        n_detached += same;
        n_wide += u->wide.len > 0;
        n_members += u->ref_members.len > 0;
        free(x);
        free(y);
        uint8_t *blob3 = NULL;
        size_t n3 = 0;
        CHECK(il_facts_save(d, &blob3, &n3) && n3 == n && memcmp(blob, blob3, n) == 0,
              "detached facts encode to the bytes computed from the text");
        free(blob3);
        il_facts_free(u);
      } else {
        free(err);
        err = NULL;
      }
      /* a text length the spans do not fit */
      if (f->scopes.len > 1 && len > 2) {
        u = il_facts_load(blob, n, path, lang, NULL, 1, &err);
        CHECK(u == NULL, "a shorter text length is rejected without the text");
        if (!u)
          free(err), err = NULL;
        il_facts_free(u);
      }
    }
    free(e3);
    il_facts_free(d);
    for (int how = 0; how < 4; how++)
      check_pipeline(path, lang, src, len, blob, n, how);
    /* negative cases: another language, a text too short for the spans */
    il_facts *h = il_facts_load(blob, n, path, lang == IL_LANG_TS ? IL_LANG_TSX : IL_LANG_TS,
                                src, len, &err);
    CHECK(h == NULL, "another language is rejected");
    if (!h)
      free(err), err = NULL;
    il_facts_free(h);
    if (f->scopes.len > 1 && len > 2) {
      h = il_facts_load(blob, n, path, lang, src, 1, &err);
      CHECK(h == NULL, "a shorter text is rejected");
      if (!h)
        free(err), err = NULL;
      il_facts_free(h);
    }
    /* truncations: every one for small blobs, a sample otherwise */
    size_t step = n > 4096 ? n / 512 : 1;
    for (size_t cut = 0; cut < n; cut += step) {
      for (int detached = 0; detached < 2; detached++) {
        char *e2 = NULL;
        il_facts *t = il_facts_load(blob, cut, path, lang, detached ? NULL : src, len, &e2);
        CHECK(t == NULL, detached ? "a truncated blob is rejected (without the text)"
                                  : "a truncated blob is rejected");
        il_facts_free(t);
        free(e2);
      }
    }
    /* bit flips and random bytes */
    for (int k = 0; k < 200 && n; k++) {
      uint8_t *m = il_xmalloc(n);
      memcpy(m, blob, n);
      int flips = 1 + (int)(next_rand() % 4);
      for (int j = 0; j < flips; j++) {
        size_t at = (size_t)(next_rand() % n);
        if (k % 2)
          m[at] ^= (uint8_t)(1u << (next_rand() % 8));
        else
          m[at] = (uint8_t)next_rand();
      }
      try_mutant(m, n, path, lang, src, len);
      free(m);
    }
    free(blob);
  }
  free(before);
  il_facts_free(f);
  free(src);
}

static int visit(const char *path, const struct stat *st, int type, struct FTW *ftw) {
  (void)st;
  (void)ftw;
  if (type != FTW_F || strstr(path, "/node_modules/"))
    return 0;
  int lang;
  if (il_lang_of_path(path, &lang) && lang != IL_LANG_C)
    check_file(path, (il_lang)lang);
  return 0;
}

/* Packs with a valid checksum but mutated entries (what a crafted pack can hold):
 * a pack of a few files is written through the cache API, then bytes of its
 * payload are changed and the checksum recomputed. Opening it must either ignore
 * it with a note or give entries whose facts load or are rejected: never a crash. */
static void check_crafted_packs(const char *dir_base) {
  il_config cfg;
  char *err = NULL;
  if (!il_config_init(&cfg, NULL, &err)) {
    fprintf(stderr, "config: %s\n", err);
    free(err);
    CHECK(false, "a configuration for the pack tests");
    return;
  }
  char dir[4096];
  snprintf(dir, sizeof dir, "%s/crafted", dir_base);
  static const char *const texts[] = {
      "import { Pool } from 'pg';\nexport const pool = new Pool();\n",
      "import * as Effect from 'effect/Effect';\nexport const x = Effect.runSync(f());\n",
      "const a = 1;\n"};
  char *note = NULL;
  il_cache *c = il_cache_open(dir, &cfg, &note);
  free(note);
  for (int i = 0; i < 3; i++) {
    char key[64];
    snprintf(key, sizeof key, "/crafted/f%d.ts", i);
    il_cache_slot *slot = il_cache_slot_get(c, key, texts[i], strlen(texts[i]), IL_LANG_TS);
    il_cache_slot_set_prefilter(slot, i < 2);
    il_facts *f = il_facts_new(key, IL_LANG_TS, texts[i], strlen(texts[i]));
    char *e2 = NULL;
    if (il_ts_extract(f, &e2))
      il_cache_slot_set_facts(slot, f, false);
    free(e2);
    il_facts_free(f);
  }
  il_cache_close(c, &note);
  CHECK(note == NULL, "the pack is written");
  free(note);
  char path[4200];
  snprintf(path, sizeof path, "%s/facts.pack", dir);
  size_t n = 0;
  char *good = slurp(path, &n);
  CHECK(good && n > 64, "the pack can be read back");
  if (!good || n <= 64) {
    free(good);
    il_config_fini(&cfg);
    return;
  }
  uint32_t loaded = 0, ignored = 0;
  for (int k = 0; k < 3000; k++) {
    uint8_t *m = il_xmalloc(n);
    memcpy(m, good, n);
    int flips = 1 + (int)(next_rand() % 3);
    for (int j = 0; j < flips; j++)
      m[64 + next_rand() % (n - 64)] = (uint8_t)next_rand();
    il_hash128 sum = il_hash128_of(m + 64, n - 64, 0x15011a7);
    memcpy(m + 48, &sum, 16);
    FILE *fp = fopen(path, "wb");
    if (!fp || fwrite(m, 1, n, fp) != n) {
      CHECK(false, "a crafted pack is written");
      if (fp)
        fclose(fp);
      free(m);
      break;
    }
    fclose(fp);
    il_cache *d = il_cache_open(dir, &cfg, &note);
    ignored += note != NULL;
    free(note);
    for (int i = 0; i < 3; i++) {
      char key[64];
      snprintf(key, sizeof key, "/crafted/f%d.ts", i);
      il_cache_slot *slot = il_cache_slot_get(d, key, texts[i], strlen(texts[i]), IL_LANG_TS);
      (void)il_cache_slot_prefilter(slot);
      il_facts *f = il_cache_slot_facts(slot, key, texts[i], strlen(texts[i]));
      if (f) {
        loaded++;
        free(dump(f));
        il_facts_bind(f);
        il_facts_free(f);
      }
    }
    /* nothing changed in this run's slots unless a blob was rejected: close may write */
    il_cache_close(d, &note);
    free(note);
    free(m);
  }
  printf("crafted packs: %u ignored with a note, %u facts loaded\n", ignored, loaded);
  CHECK(ignored > 0, "some crafted packs are ignored with a note");
  free(good);
  il_config_fini(&cfg);
}

static uint8_t *read_all(const char *path, size_t *n) {
  return (uint8_t *)slurp(path, n);
}

static bool write_all(const char *path, const uint8_t *data, size_t n) {
  FILE *fp = fopen(path, "wb");
  bool ok = fp && fwrite(data, 1, n, fp) == n;
  if (fp)
    ok &= fclose(fp) == 0;
  return ok;
}

/* The stat fast path (docs/cache.md), on made-up stat data: an entry recorded for a
 * file last changed long before the run is taken on its stat data alone (no text,
 * verdict and candidate info from the pack); one recorded while the file was racily
 * clean is not, and a same-size edit of it is seen (hashed); any field that differs
 * is a miss; a touched file (stat miss) with the same text is a hash hit; a pack of
 * the format before the fast path is ignored with a note. */
static void check_stat_path(const char *dir_base) {
  il_config cfg;
  char *err = NULL;
  if (!il_config_init(&cfg, NULL, &err)) {
    fprintf(stderr, "config: %s\n", err);
    free(err);
    CHECK(false, "a configuration for the stat tests");
    return;
  }
  char dir[4096], path[4200];
  snprintf(dir, sizeof dir, "%s/stat", dir_base);
  snprintf(path, sizeof path, "%s/facts.pack", dir);
  struct timespec now;
  clock_gettime(CLOCK_REALTIME, &now);
  uint64_t t = (uint64_t)now.tv_sec * 1000000000ull + (uint64_t)now.tv_nsec;
  static const char t0[] = "const a = 1;\n", t1[] = "const b = 1;\n";
  const size_t len = sizeof t0 - 1;
  const il_file_stat old = {len, t - 10000000000ull, t - 9000000000ull, 11, 3};
  const il_file_stat racy = {len, t - 500000000ull, t - 500000000ull, 12, 3};
  const il_file_stat fresh = {len, t + 1000000000ull, t + 1000000000ull, 13, 3};
  char *const specs[] = {"./x", "y"};
  char *note = NULL;
  il_cache *c = il_cache_open(dir, &cfg, &note);
  free(note);
  il_cache_slot *s = il_cache_slot_get_st(c, "/stat/old.ts", t0, len, IL_LANG_TS, &old);
  CHECK(s && !il_cache_slot_by_stat(s), "a new entry is hashed");
  il_cache_slot_set_prefilter(s, 0);
  il_cache_slot_set_candidate(s, 42, true, specs, 2);
  s = il_cache_slot_get_st(c, "/stat/racy.ts", t0, len, IL_LANG_TS, &racy);
  il_cache_slot_set_prefilter(s, 0);
  il_cache_slot_set_candidate(s, 42, false, NULL, 0);
  s = il_cache_slot_get_st(c, "/stat/fresh.ts", t0, len, IL_LANG_TS, &fresh);
  il_cache_slot_set_prefilter(s, 0);
  il_cache_close(c, &note);
  CHECK(note == NULL, "the stat pack is written");
  free(note);
  size_t n = 0;
  uint8_t *good = read_all(path, &n);
  CHECK(good && n > 64, "the stat pack can be read back");
  if (!good || n <= 64) {
    free(good);
    il_config_fini(&cfg);
    return;
  }

  c = il_cache_open(dir, &cfg, &note);
  CHECK(note == NULL, "the stat pack opens without a note");
  free(note);
  /* il_cache_stat_hit says the same without registering anything */
  CHECK(il_cache_stat_hit(c, "/stat/old.ts", IL_LANG_TS, &old), "stat_hit: an old file");
  CHECK(!il_cache_stat_hit(c, "/stat/racy.ts", IL_LANG_TS, &racy), "stat_hit: not a racy one");
  CHECK(!il_cache_stat_hit(c, "/stat/fresh.ts", IL_LANG_TS, &fresh), "stat_hit: not a fresh one");
  CHECK(!il_cache_stat_hit(c, "/stat/old.ts", IL_LANG_TSX, &old), "stat_hit: not another language");
  CHECK(!il_cache_stat_hit(c, "/stat/none.ts", IL_LANG_TS, &old), "stat_hit: not an unknown path");
  il_file_stat moved = old;
  moved.ino++;
  CHECK(!il_cache_stat_hit(c, "/stat/old.ts", IL_LANG_TS, &moved), "stat_hit: not another inode");
  CHECK(!il_cache_stat_hit(NULL, "/stat/old.ts", IL_LANG_TS, &old), "stat_hit: no cache");
  s = il_cache_slot_get_st(c, "/stat/old.ts", NULL, 0, IL_LANG_TS, &old);
  CHECK(s && il_cache_slot_by_stat(s), "an old file with the same stat data is taken unread");
  bool cand = false;
  char **got = NULL;
  uint32_t n_got = 0;
  CHECK(il_cache_slot_prefilter(s) == 0, "its prefilter verdict comes from the pack");
  CHECK(il_cache_slot_candidate(s, 42, &cand, &got, &n_got) && cand && n_got == 2 &&
            strcmp(got[0], "./x") == 0 && strcmp(got[1], "y") == 0,
        "its candidate info and specifiers come from the pack");
  free(got); /* (one allocation) */
  CHECK(!il_cache_slot_candidate(s, 43, &cand, &got, &n_got) && !got,
        "candidate info recorded under another prefilter extension is not used");
  CHECK(il_cache_slot_get_st(c, "/stat/racy.ts", NULL, 0, IL_LANG_TS, &racy) == NULL,
        "an entry recorded while its file was racily clean is not trusted by stat");
  CHECK(il_cache_slot_get_st(c, "/stat/fresh.ts", NULL, 0, IL_LANG_TS, &fresh) == NULL,
        "an entry whose file times are after the recording run is not trusted by stat");
  s = il_cache_slot_get_st(c, "/stat/racy.ts", t1, len, IL_LANG_TS, &racy);
  CHECK(s && !il_cache_slot_by_stat(s) && il_cache_slot_prefilter(s) == -1,
        "a same-size edit with the same stat data in the racy window is hashed and seen");
  s = il_cache_slot_get_st(c, "/stat/racy.ts", t0, len, IL_LANG_TS, &racy);
  CHECK(s && !il_cache_slot_by_stat(s) && il_cache_slot_prefilter(s) == 0,
        "the racy entry's unchanged text is a hash hit");
  il_file_stat v[5];
  for (int k = 0; k < 5; k++)
    v[k] = old;
  v[0].size++;
  v[1].mtime_ns++;
  v[2].ctime_ns++;
  v[3].ino++;
  v[4].dev++;
  static const char *const what[] = {"size", "mtime", "ctime", "inode", "device"};
  for (int k = 0; k < 5; k++) {
    char m[128];
    snprintf(m, sizeof m, "another %s is a stat miss", what[k]);
    CHECK(il_cache_slot_get_st(c, "/stat/old.ts", NULL, 0, IL_LANG_TS, &v[k]) == NULL, m);
  }
  CHECK(il_cache_slot_get_st(c, "/stat/old.ts", NULL, 0, IL_LANG_TSX, &old) == NULL,
        "another language is a miss");
  s = il_cache_slot_get_st(c, "/stat/old.ts", t0, len, IL_LANG_TS, &v[2]);
  CHECK(s && !il_cache_slot_by_stat(s) && il_cache_slot_prefilter(s) == 0,
        "a touched file (stat miss) with the same text is a hash hit");
  s = il_cache_slot_get_st(c, "/stat/old.ts", t1, len, IL_LANG_TS, &v[3]);
  CHECK(s && !il_cache_slot_by_stat(s) && il_cache_slot_prefilter(s) == -1,
        "a replaced file (another inode) with another text of the same size is seen");
  s = il_cache_slot_get_st(c, "/stat/old.ts", t0, len + 1, IL_LANG_TS, &old);
  CHECK(s && !il_cache_slot_by_stat(s) && il_cache_slot_prefilter(s) == -1,
        "a text of another length than its stat data say is hashed");
  il_cache_close(c, &note);
  free(note);

  /* the format before the fast path (2): ignored with a note, never trusted */
  uint32_t format = 2;
  memcpy(good + 12, &format, 4);
  CHECK(write_all(path, good, n), "a pack of format 2 is written");
  c = il_cache_open(dir, &cfg, &note);
  CHECK(note && strstr(note, "another format"), "a pack of format 2 is ignored with a note");
  free(note);
  CHECK(il_cache_slot_get_st(c, "/stat/old.ts", NULL, 0, IL_LANG_TS, &old) == NULL,
        "nothing is taken from a pack of format 2");
  il_cache_close(c, &note);
  free(note);
  free(good);
  il_config_fini(&cfg);
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: %s DIR...\n", argv[0]);
    return 2;
  }
  for (int i = 1; i < argc; i++)
    if (nftw(argv[i], visit, 16, FTW_PHYS) != 0) {
      fprintf(stderr, "%s: cannot walk\n", argv[i]);
      return 2;
    }
  /* the content hash: zero-filled texts of every length up to 256 differ (the length
   * is mixed in), and one flipped bit anywhere changes both halves */
  {
    static uint8_t zeros[257];
    il_hash128 seen[257];
    bool distinct = true, flips = true;
    for (size_t n = 0; n <= 256; n++) {
      seen[n] = il_hash128_of(zeros, n, 0);
      for (size_t m = 0; m < n; m++)
        distinct &= seen[m].lo != seen[n].lo || seen[m].hi != seen[n].hi;
    }
    for (size_t bit = 0; bit < 256 * 8; bit++) {
      zeros[bit / 8] ^= (uint8_t)(1u << (bit % 8));
      il_hash128 h = il_hash128_of(zeros, 256, 0);
      flips &= h.lo != seen[256].lo && h.hi != seen[256].hi;
      zeros[bit / 8] ^= (uint8_t)(1u << (bit % 8));
    }
    CHECK(distinct, "texts of different lengths hash differently");
    CHECK(flips, "a flipped bit changes both halves of the hash");
    il_hash128 a = il_hash128_of("abc", 3, 0), b = il_hash128_of("abc", 3, 1);
    CHECK(a.lo != b.lo && a.hi != b.hi, "the seed changes the hash");
  }
  const char *tmp = getenv("TMPDIR");
  char base[4096];
  snprintf(base, sizeof base, "%s/isolint-test-facts-io.XXXXXX", tmp && *tmp ? tmp : "/tmp");
  if (mkdtemp(base)) {
    check_crafted_packs(base);
    check_stat_path(base);
    char cmd[4200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", base);
    if (system(cmd) != 0)
      fprintf(stderr, "could not remove %s\n", base);
  } else {
    CHECK(false, "a temporary directory");
  }
  CHECK(n_files > 100, "the fixtures were found");
  CHECK(n_detached == n_files, "every file loads without its text");
  CHECK(n_wide > 0, "some files have non-ASCII runs");
  CHECK(n_members > 0, "some files have members read after imported names");
  CHECK(n_mutants_rejected > 0, "some mutants are rejected");
  /* garbage: never a crash */
  uint8_t junk[256];
  for (size_t i = 0; i < sizeof junk; i++)
    junk[i] = (uint8_t)next_rand();
  const char text[] = "const a = 1;\n";
  for (size_t n = 0; n <= sizeof junk; n += 7)
    try_mutant(junk, n, "junk.ts", IL_LANG_TS, text, sizeof text - 1);
  printf("%u files (%u loaded without the text, %u with non-ASCII runs, %u with members), %u "
         "mutants loaded, %u rejected; %d passed, %d failed\n",
         n_files, n_detached, n_wide, n_members, n_mutants_loaded, n_mutants_rejected, passed,
         failed);
  return failed ? 1 : 0;
}
