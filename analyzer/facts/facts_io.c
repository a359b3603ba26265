/* Facts (de)serialization for the warm-run cache (facts/cache.h, docs/cache.md).
 *
 * A blob holds one file's raw facts as the front-end left them (before binding),
 * in their detached form: what il_facts_detach() derives from the text is stored
 * with them, so a warm run can load them without reading the text. Layout:
 *   u32 IL_FACTS_FORMAT, u32 lang, u32 string-table size S (host byte order, the
 *   pack header records it), S bytes of NUL-terminated strings, the lengths of the
 *   eight indexed arrays (scopes ... lnodes), then the records. Fields are u8
 *   (bools, enums) or LEB128 varints: unsigned for positions and counts, zigzag for
 *   indices (-1 is one byte), string references as offset + 1 into the table (0
 *   for NULL). A span is start byte, length, start line, line count, start and end
 *   columns, where the start byte and line are differences from the previous span's
 *   (zigzag: mostly one byte). il_ref.name (a slice of the text) is stored as (offset into the table,
 *   length). The handler names, syntax errors and exports follow, then the return values
 *   (il_ret, value flow). After the records, what detaching keeps: the text's il_text_hash (8
 *   bytes), its non-ASCII runs (count; per run the gap since the previous run's end
 *   and its bytes as a string) and the members read after references named like an
 *   import (count; per member the reference index as a gap since the previous one
 *   plus one, and the member as a string).
 * The loader trusts nothing: it is a pure function of the blob (and the text, when
 * given). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "facts/cache.h"

/* A field added to a fact must be added here (save, decode) and to the dump of
 * tests/cache/test_facts_io.c: these sizes (LP64) make the build say so. (il_facts'
 * parse_timeout_us, timed_out and dropped_flags are controls of one extraction, not
 * facts: not stored; nor imports_rewritten, set by the cross-file pass; nor c_members: C facts are never
 * cached. What
 * il_facts_detach() derives from the text, src_hash, wide and ref_members, is stored:
 * il_facts_save computes it from the text of facts that are not detached yet.) */
#if UINTPTR_MAX == 0xffffffffffffffffu
_Static_assert(sizeof(il_scope) == 80 && sizeof(il_decl) == 88 && sizeof(il_ctor) == 168 &&
                   sizeof(il_assign) == 80 && sizeof(il_ref) == 48 && sizeof(il_call) == 136 &&
                   sizeof(il_global_read) == 48 && sizeof(il_lnode) == 64 &&
                   sizeof(il_suppression) == 136 && sizeof(il_export) == 56 &&
                   sizeof(il_facts) == 440,
               "a fact changed: update facts_io.c (and IL_FACTS_FORMAT)");
#endif

/* ---- writer ------------------------------------------------------------------------ */

typedef struct {
  IL_ARRAY(uint8_t) buf;  /* records */
  IL_ARRAY(char) strs;    /* string table */
  uint32_t *slots;        /* open addressing over string offsets + 1 (0: empty) */
  uint32_t n_slots, n_used;
  uint32_t last_byte, last_line; /* of the previous span: starts are stored as differences */
  bool bad;
} wbuf;

static void put_bytes(wbuf *w, const void *p, size_t n) {
  il_array_grow(&w->buf, (uint32_t)n);
  memcpy(w->buf.data + w->buf.len, p, n);
  w->buf.len += (uint32_t)n;
}

static void put_u8(wbuf *w, unsigned v) {
  uint8_t b = (uint8_t)v;
  put_bytes(w, &b, 1);
}

static void put_u32(wbuf *w, uint32_t v) {
  uint8_t b[5];
  size_t n = 0;
  do {
    b[n++] = (uint8_t)((v & 0x7f) | (v > 0x7f ? 0x80 : 0));
    v >>= 7;
  } while (v);
  put_bytes(w, b, n);
}

static void put_i32(wbuf *w, int32_t v) {
  put_u32(w, ((uint32_t)v << 1) ^ (uint32_t)(v >> 31)); /* zigzag */
}

static uint32_t str_hash(const char *s, size_t n) { return il_fnv32(IL_FNV32_INIT, s, n); }

static void slots_grow(wbuf *w) {
  uint32_t ncap = w->n_slots ? w->n_slots * 2 : 256;
  uint32_t *ns = il_xcalloc(ncap, sizeof *ns);
  for (uint32_t i = 0; i < w->n_slots; i++) {
    uint32_t e = w->slots[i];
    if (!e)
      continue;
    const char *s = w->strs.data + (e - 1);
    uint32_t j = str_hash(s, strlen(s)) & (ncap - 1);
    while (ns[j])
      j = (j + 1) & (ncap - 1);
    ns[j] = e;
  }
  free(w->slots);
  w->slots = ns;
  w->n_slots = ncap;
}

/* Offset of s in the string table, added once. */
static uint32_t intern(wbuf *w, const char *s, size_t n) {
  if ((w->n_used + 1) * 2 > w->n_slots)
    slots_grow(w);
  uint32_t j = str_hash(s, n) & (w->n_slots - 1);
  for (; w->slots[j]; j = (j + 1) & (w->n_slots - 1)) {
    const char *t = w->strs.data + (w->slots[j] - 1);
    if (strncmp(t, s, n) == 0 && t[n] == '\0')
      return w->slots[j] - 1;
  }
  uint32_t off = w->strs.len;
  il_array_grow(&w->strs, (uint32_t)n + 1);
  memcpy(w->strs.data + off, s, n);
  w->strs.data[off + n] = '\0';
  w->strs.len += (uint32_t)n + 1;
  w->slots[j] = off + 1;
  w->n_used++;
  return off;
}

static void put_str(wbuf *w, const char *s) {
  put_u32(w, s ? intern(w, s, strlen(s)) + 1 : 0);
}

static void put_span(wbuf *w, il_span s) {
  if (s.end_byte < s.start_byte || s.end.line < s.start.line)
    w->bad = true; /* not a span the loader would accept */
  put_i32(w, (int32_t)(s.start_byte - w->last_byte)); /* (modulo 2^32) */
  put_u32(w, s.end_byte - s.start_byte);
  put_i32(w, (int32_t)(s.start.line - w->last_line));
  put_u32(w, s.end.line - s.start.line);
  w->last_byte = s.start_byte;
  w->last_line = s.start.line;
  put_u32(w, s.start.col);
  put_u32(w, s.end.col);
}

static void put_u64(wbuf *w, uint64_t v) {
  put_bytes(w, &v, 8);
}

static void put_wide_run(wbuf *w, uint32_t *prev_end, uint32_t start, const char *bytes,
                         uint32_t len) {
  put_u32(w, start - *prev_end);
  put_u32(w, intern(w, bytes, len) + 1);
  *prev_end = start + len;
}

/* What il_facts_detach() keeps of the text (facts.c): its hash, its non-ASCII runs,
 * and the member read after each reference named like an import. For facts not
 * detached yet it is computed here from the text, as il_facts_detach() would (the
 * round trip of tests/cache/test_facts_io.c compares both). */
static void put_detached(wbuf *w, const il_facts *f) {
  if (w->bad)
    return; /* (not saved) */
  if (f->detached) {
    put_u64(w, f->src_hash);
    put_u32(w, f->wide.len);
    uint32_t end = 0;
    for (uint32_t i = 0; i < f->wide.len; i++)
      put_wide_run(w, &end, f->wide.data[i].start, f->wide.data[i].bytes, f->wide.data[i].len);
    put_u32(w, f->ref_members.len);
    for (uint32_t i = 0; i < f->ref_members.len; i++) {
      const il_ref_member *m = &f->ref_members.data[i];
      put_u32(w, i ? m->ref - f->ref_members.data[i - 1].ref - 1 : m->ref);
      put_str(w, m->member);
    }
    return;
  }
  bool wide = false;
  put_u64(w, il_text_hash(f->src ? f->src : "", f->len, &wide));
  uint32_t n_runs = 0;
  size_t at = 0, run;
  while (wide && il_next_wide_run(f->src, f->len, &at, &run))
    n_runs++;
  put_u32(w, n_runs);
  uint32_t end = 0;
  for (at = 0; n_runs && il_next_wide_run(f->src, f->len, &at, &run);)
    put_wide_run(w, &end, (uint32_t)run, f->src + run, (uint32_t)(at - run));
  /* references named like an import declaration: the member read after each */
  uint32_t n_imports = 0;
  for (uint32_t i = 0; i < f->decls.len; i++)
    n_imports += f->decls.data[i].kind == IL_DECL_IMPORT && f->decls.data[i].name;
  uint32_t cap = 16;
  while (cap < n_imports * 2 + 1)
    cap *= 2;
  const char **names = n_imports ? il_xcalloc(cap, sizeof *names) : NULL;
  for (uint32_t i = 0; i < f->decls.len; i++) {
    const il_decl *d = &f->decls.data[i];
    if (d->kind != IL_DECL_IMPORT || !d->name)
      continue;
    uint32_t j = str_hash(d->name, strlen(d->name)) & (cap - 1);
    while (names[j] && strcmp(names[j], d->name) != 0)
      j = (j + 1) & (cap - 1);
    names[j] = d->name;
  }
  IL_ARRAY(uint32_t) refs = {0};
  IL_ARRAY(const char *) members = {0};
  IL_ARRAY(uint32_t) member_lens = {0};
  for (uint32_t i = 0; n_imports && i < f->refs.len; i++) {
    const il_ref *r = &f->refs.data[i];
    uint32_t j = str_hash(r->name, r->name_len) & (cap - 1);
    while (names[j] &&
           !(strncmp(names[j], r->name, r->name_len) == 0 && names[j][r->name_len] == '\0'))
      j = (j + 1) & (cap - 1);
    size_t a, e;
    if (names[j] && il_member_at(f->src, f->len, r->span.end_byte, &a, &e)) {
      il_array_push(&refs, i);
      il_array_push(&members, f->src + a);
      il_array_push(&member_lens, (uint32_t)(e - a));
    }
  }
  free(names);
  put_u32(w, refs.len);
  for (uint32_t i = 0; i < refs.len; i++) {
    put_u32(w, i ? refs.data[i] - refs.data[i - 1] - 1 : refs.data[i]);
    put_u32(w, intern(w, members.data[i], member_lens.data[i]) + 1);
  }
  il_array_free(&refs);
  il_array_free(&members);
  il_array_free(&member_lens);
}

bool il_facts_save(const il_facts *f, uint8_t **out, size_t *out_len) {
  if (f->xuses.len || f->xlayers.len || f->symtab || f->bound || f->lang == IL_LANG_C ||
      f->len > UINT32_MAX || (!f->detached && !f->src && f->len))
    return false;
  wbuf w = {0};
  uint32_t counts[8] = {f->scopes.len, f->decls.len, f->ctors.len,  f->assigns.len,
                        f->refs.len,   f->calls.len, f->greads.len, f->lnodes.len};
  for (int k = 0; k < 8; k++)
    put_u32(&w, counts[k]);
  for (uint32_t i = 0; i < f->scopes.len; i++) {
    const il_scope *s = &f->scopes.data[i];
    put_i32(&w, s->parent);
    put_u8(&w, s->kind);
    put_u8(&w, s->at_load);
    put_u8(&w, s->is_handler);
    put_u8(&w, s->is_instance);
    put_u8(&w, s->is_static);
    put_u8(&w, s->is_durable);
    put_u8(&w, s->once);
    put_i32(&w, s->class_decl);
    put_str(&w, s->name);
    put_span(&w, s->span);
    put_i32(&w, s->arg_of);
    put_i32(&w, s->cb_call);
    put_u8(&w, s->is_boot);
    put_i32(&w, s->reach_handler);
    put_i32(&w, s->reach_boot);
  }
  for (uint32_t i = 0; i < f->decls.len; i++) {
    const il_decl *d = &f->decls.data[i];
    put_str(&w, d->name);
    put_span(&w, d->span);
    put_i32(&w, d->scope);
    put_u8(&w, d->kind);
    put_u8(&w, d->init_kind);
    put_u8(&w, d->exported);
    put_str(&w, d->module);
    put_str(&w, d->imported);
    put_u8(&w, d->type_only);
    put_u8(&w, d->is_durable);
    put_i32(&w, d->init_ctor);
    put_i32(&w, d->owner);
    put_u8(&w, d->c_static);
    put_i32(&w, d->fn);
  }
  for (uint32_t i = 0; i < f->ctors.len && !w.bad; i++) {
    const il_ctor *k = &f->ctors.data[i];
    w.bad |= k->client != NULL;
    put_str(&w, k->root);
    put_str(&w, k->path);
    put_u8(&w, k->is_new);
    put_span(&w, k->span);
    put_span(&w, k->full);
    put_i32(&w, k->scope);
    put_i32(&w, k->outer);
    put_i32(&w, k->decl);
    put_i32(&w, k->assign);
    put_u8(&w, k->global_fallback);
    put_str(&w, k->module);
    put_u8(&w, k->level);
    put_i32(&w, k->inner);
    put_i32(&w, k->wrapped_by);
    put_str(&w, k->from);
    put_str(&w, k->export_path);
    put_u8(&w, k->local_call);
  }
  for (uint32_t i = 0; i < f->assigns.len; i++) {
    const il_assign *a = &f->assigns.data[i];
    put_u8(&w, a->op);
    put_u8(&w, a->target);
    put_str(&w, a->root);
    put_str(&w, a->prop);
    put_span(&w, a->span);
    put_i32(&w, a->scope);
    put_i32(&w, a->value_ctor);
    put_str(&w, a->value_name);
    put_i32(&w, a->decl);
    put_i32(&w, a->value_decl);
    put_u8(&w, a->global);
  }
  for (uint32_t i = 0; i < f->refs.len; i++) {
    const il_ref *r = &f->refs.data[i];
    if (memchr(r->name, '\0', r->name_len))
      w.bad = true; /* (not an identifier: the table holds NUL-terminated strings) */
    put_u32(&w, intern(&w, r->name, r->name_len));
    put_u32(&w, r->name_len);
    put_u8(&w, r->called);
    put_span(&w, r->span);
    put_i32(&w, r->scope);
    put_i32(&w, r->in_ctor);
    put_i32(&w, r->decl);
  }
  for (uint32_t i = 0; i < f->calls.len; i++) {
    const il_call *c = &f->calls.data[i];
    put_str(&w, c->root);
    put_str(&w, c->path);
    put_u8(&w, c->is_new);
    put_u8(&w, c->awaited);
    put_span(&w, c->span);
    put_span(&w, c->full);
    put_i32(&w, c->scope);
    put_i32(&w, c->in_run);
    put_i32(&w, c->init_of);
    put_i32(&w, c->ctor);
    put_str(&w, c->arg_root);
    put_i32(&w, c->decl);
    put_str(&w, c->module);
    put_str(&w, c->export_path);
    put_u8(&w, c->op);
    put_i32(&w, c->io_call);
    put_i32(&w, c->io_decl);
  }
  for (uint32_t i = 0; i < f->greads.len; i++) {
    const il_global_read *g = &f->greads.data[i];
    put_str(&w, g->root);
    put_str(&w, g->prop);
    put_span(&w, g->span);
    put_i32(&w, g->scope);
    put_u8(&w, g->global);
  }
  for (uint32_t i = 0; i < f->lnodes.len; i++) {
    const il_lnode *l = &f->lnodes.data[i];
    put_u8(&w, l->is_name);
    put_u8(&w, l->is_pipe);
    put_u8(&w, l->local_opts);
    put_str(&w, l->name);
    put_i32(&w, l->ctor);
    put_span(&w, l->span);
    put_i32(&w, l->scope);
    put_i32(&w, l->parent);
    put_i32(&w, l->arg_index);
    put_i32(&w, l->init_of);
    put_i32(&w, l->decl);
  }
  put_u32(&w, f->suppressions.len);
  for (uint32_t i = 0; i < f->suppressions.len; i++) {
    const il_suppression *s = &f->suppressions.data[i];
    put_u8(&w, s->kind);
    put_u8(&w, s->next_line);
    put_u32(&w, s->line);
    put_str(&w, s->word);
    put_span(&w, s->span);
    put_u32(&w, s->n_rules);
    for (uint32_t j = 0; j < s->n_rules && j < 8; j++)
      put_str(&w, s->rules[j]);
    put_str(&w, s->reason);
    put_u8(&w, s->used);
  }
  put_u32(&w, f->handler_names.len);
  for (uint32_t i = 0; i < f->handler_names.len; i++)
    put_str(&w, f->handler_names.data[i]);
  put_u32(&w, f->n_syntax_errors);
  put_span(&w, f->first_syntax_error);
  put_u8(&w, f->entry_hints);
  put_u32(&w, f->exports.len);
  for (uint32_t i = 0; i < f->exports.len; i++) {
    const il_export *e = &f->exports.data[i];
    put_str(&w, e->name);
    put_str(&w, e->local);
    put_str(&w, e->module);
    put_u8(&w, e->type_only);
    put_span(&w, e->span);
  }
  put_u32(&w, f->rets.len);
  for (uint32_t i = 0; i < f->rets.len; i++) {
    const il_ret *r = &f->rets.data[i];
    put_i32(&w, r->scope);
    put_span(&w, r->span);
    put_i32(&w, r->value_ctor);
    put_str(&w, r->value_name);
  }
  put_detached(&w, f);
  free(w.slots);
  if (w.bad) {
    il_array_free(&w.buf);
    il_array_free(&w.strs);
    return false;
  }
  size_t n = 12 + (size_t)w.strs.len + w.buf.len;
  uint8_t *o = il_xmalloc(n);
  uint32_t head[3] = {IL_FACTS_FORMAT, (uint32_t)f->lang, w.strs.len};
  memcpy(o, head, 12);
  if (w.strs.len)
    memcpy(o + 12, w.strs.data, w.strs.len);
  if (w.buf.len)
    memcpy(o + 12 + w.strs.len, w.buf.data, w.buf.len);
  il_array_free(&w.buf);
  il_array_free(&w.strs);
  *out = o;
  *out_len = n;
  return true;
}

/* ---- reader ------------------------------------------------------------------------ */

typedef struct {
  const uint8_t *p, *end;
  const char *strs; /* the table, copied into the facts' arena */
  uint32_t n_strs;
  const char *src;
  size_t src_len;
  uint32_t last_byte, last_line; /* of the previous span */
  const char *err; /* first problem: a static message */
} rbuf;

static bool fail(rbuf *r, const char *why) {
  if (!r->err)
    r->err = why;
  return false;
}

static uint32_t get_u32_slow(rbuf *r);

static inline uint32_t get_u32(rbuf *r) {
  if (__builtin_expect(r->p < r->end && *r->p < 0x80, 1))
    return *r->p++; /* most numbers fit in one byte */
  return get_u32_slow(r);
}

static __attribute__((noinline)) uint32_t get_u32_slow(rbuf *r) {
  uint32_t v = 0;
  for (int shift = 0; shift < 35; shift += 7) {
    if (r->p >= r->end) {
      fail(r, "truncated");
      return 0;
    }
    uint8_t b = *r->p++;
    if (shift == 28 && b > 0x0f) {
      fail(r, "a number is too large");
      return 0;
    }
    v |= (uint32_t)(b & 0x7f) << shift;
    if (!(b & 0x80))
      return v;
  }
  return v; /* not reached: the fifth byte has no continuation bit (checked) */
}

static inline int32_t get_i32(rbuf *r) {
  uint32_t z = get_u32(r);
  uint32_t v = (z >> 1) ^ (0u - (z & 1));
  int32_t s;
  memcpy(&s, &v, 4);
  return s;
}

static inline unsigned get_u8(rbuf *r) {
  if (r->p >= r->end) {
    fail(r, "truncated");
    return 0;
  }
  return *r->p++;
}

static inline bool get_bool(rbuf *r) {
  unsigned v = get_u8(r);
  if (v > 1)
    fail(r, "a flag is neither 0 nor 1");
  return v == 1;
}

static inline unsigned get_enum(rbuf *r, unsigned max) {
  unsigned v = get_u8(r);
  if (v > max) {
    fail(r, "an enumeration is out of range");
    return 0;
  }
  return v;
}

/* A string reference; nullable says whether NULL is allowed. */
static inline const char *get_str(rbuf *r, bool nullable) {
  uint32_t off = get_u32(r);
  if (off == 0) {
    if (!nullable)
      fail(r, "a required string is missing");
    return nullable ? NULL : "";
  }
  if (--off >= r->n_strs) {
    fail(r, "a string offset is out of range");
    return "";
  }
  return r->strs + off; /* the table ends with a NUL (checked) */
}

/* An index: -1 (when allowed) or below n. */
static inline int32_t get_index(rbuf *r, uint32_t n, bool minus_one) {
  int32_t v = get_i32(r);
  if ((v == -1 && minus_one) || (v >= 0 && (uint32_t)v < n))
    return v;
  fail(r, "an index is out of range");
  return minus_one ? -1 : 0;
}

static inline il_span get_span_z(rbuf *r, bool zero_ok);
static inline il_span get_span(rbuf *r) {
  return get_span_z(r, false);
}

/* zero_ok: the all-zero span of a fact that is never reported (the module scope,
 * no syntax error) */
static inline il_span get_span_z(rbuf *r, bool zero_ok) {
  il_span s;
  uint32_t len, lines;
  s.start_byte = r->last_byte + (uint32_t)get_i32(r);
  len = get_u32(r);
  s.start.line = r->last_line + (uint32_t)get_i32(r);
  lines = get_u32(r);
  r->last_byte = s.start_byte;
  r->last_line = s.start.line;
  s.start.col = get_u32(r);
  s.end.col = get_u32(r);
  s.end_byte = s.start_byte + len;
  s.end.line = s.start.line + lines;
  if (s.end_byte < s.start_byte || s.end.line < s.start.line) {
    fail(r, "a span is out of range");
    memset(&s, 0, sizeof s);
    s.start.line = s.end.line = s.start.col = s.end.col = 1;
    return s;
  }
  static const il_span zero;
  if (zero_ok && memcmp(&s, &zero, sizeof s) == 0)
    return s;
  /* what positions are computed from: the line start of each end is inside the text */
  if (s.start_byte > s.end_byte || s.end_byte > r->src_len || s.start.line < 1 ||
      s.end.line < s.start.line || s.start.col < 1 || s.end.col < 1 ||
      s.start.col - 1 > s.start_byte || s.end.col - 1 > s.end_byte) {
    fail(r, "a span is out of range");
    memset(&s, 0, sizeof s);
    s.start.line = s.end.line = s.start.col = s.end.col = 1;
  }
  return s;
}

/* A count of records of `size` bytes at least, bounded by what is left. */
static uint32_t get_count(rbuf *r, size_t min_size) {
  uint32_t n = get_u32(r);
  if ((size_t)n > (size_t)(r->end - r->p) / min_size) {
    fail(r, "a count exceeds the data");
    return 0;
  }
  return n;
}

enum { MIN_RECORD = 8 }; /* every record holds a span: six varints, and more */

/* Bounds of the decoded records, for indices into arrays decoded later: the
 * counts are read first (in a pre-pass) so every index can be checked as it is read. */
typedef struct {
  uint32_t scopes, decls, ctors, assigns, refs, calls, greads, lnodes;
} counts;

/* Appends to an array grown beforehand to the count read (each loop pushes at most
 * that many). */
#define PUSH(a, v) ((a)->data[(a)->len++] = (v))

/* What il_facts_detach() keeps of the text: into f when it is loaded without its
 * text (detached), else checked and dropped (il_facts_detach computes it again). */
static void decode_detached(rbuf *r, il_facts *f, const counts *n) {
  if (r->err)
    return;
  uint64_t hash = 0;
  if ((size_t)(r->end - r->p) < 8) {
    fail(r, "truncated");
    return;
  }
  memcpy(&hash, r->p, 8);
  r->p += 8;
  bool keep = !r->src;
  uint32_t nw = get_count(r, 2);
  if (keep)
    il_array_grow(&f->wide, nw);
  uint64_t end = 0;
  for (uint32_t i = 0; i < nw && !r->err; i++) {
    uint64_t start = end + get_u32(r);
    const char *bytes = get_str(r, false);
    size_t len = strlen(bytes);
    if ((i && start == end) || len == 0 || len > r->src_len || start > r->src_len - len) {
      fail(r, "a non-ASCII run is out of range");
      break;
    }
    for (size_t k = 0; k < len; k++)
      if ((unsigned char)bytes[k] < 0x80) {
        fail(r, "a non-ASCII run holds an ASCII byte");
        break;
      }
    end = start + len;
    il_wide_run w = {(uint32_t)start, (uint32_t)len, bytes};
    if (keep && !r->err)
      PUSH(&f->wide, w);
  }
  uint32_t nm = get_count(r, 2);
  if (keep)
    il_array_grow(&f->ref_members, nm);
  uint64_t ref = 0;
  for (uint32_t i = 0; i < nm && !r->err; i++) {
    ref = (i ? ref + 1 : 0) + get_u32(r);
    const char *m = get_str(r, false);
    if (ref >= n->refs || !*m) {
      fail(r, "a reference member is out of range");
      break;
    }
    il_ref_member x = {(uint32_t)ref, m};
    if (keep)
      PUSH(&f->ref_members, x);
  }
  if (keep && !r->err) {
    f->src_hash = hash;
    f->detached = true;
  }
}

static bool decode(rbuf *r, il_facts *f, const counts *n) {
  il_arena *a = f->arena;
  (void)a;
  if (n->scopes < 1)
    return fail(r, "no module scope");
  f->scopes.len = 0;
  il_array_grow(&f->scopes, n->scopes);
  for (uint32_t i = 0; i < n->scopes && !r->err; i++) {
    il_scope s;
    memset(&s, 0, sizeof s);
    s.parent = get_i32(r);
    if (i == 0 ? s.parent != -1 : (s.parent < 0 || (uint32_t)s.parent >= i))
      fail(r, "a scope's parent does not come before it");
    s.kind = (il_scope_kind)get_enum(r, IL_SCOPE_STATIC);
    if ((i == 0) != (s.kind == IL_SCOPE_MODULE))
      fail(r, "the module scope is not first");
    s.at_load = get_bool(r);
    s.is_handler = get_bool(r);
    s.is_instance = get_bool(r);
    s.is_static = get_bool(r);
    s.is_durable = get_bool(r);
    s.once = get_bool(r);
    s.class_decl = get_index(r, n->decls, true);
    s.name = get_str(r, false);
    s.span = get_span_z(r, i == 0);
    s.arg_of = get_index(r, n->ctors, true);
    s.cb_call = get_index(r, n->calls, true);
    s.is_boot = get_bool(r);
    s.reach_handler = get_index(r, n->scopes, false);
    s.reach_boot = get_index(r, n->scopes, false);
    PUSH(&f->scopes, s);
  }
  il_array_grow(&f->decls, n->decls);
  for (uint32_t i = 0; i < n->decls && !r->err; i++) {
    il_decl d;
    memset(&d, 0, sizeof d);
    d.name = get_str(r, false);
    d.span = get_span(r);
    d.scope = get_index(r, n->scopes, false);
    d.kind = (il_decl_kind)get_enum(r, IL_DECL_FIELD);
    d.init_kind = (il_init_kind)get_enum(r, IL_INIT_GLOBAL_ALIAS);
    d.exported = get_bool(r);
    d.module = get_str(r, true);
    d.imported = get_str(r, true);
    d.type_only = get_bool(r);
    d.is_durable = get_bool(r);
    d.init_ctor = get_index(r, n->ctors, true);
    d.owner = get_index(r, n->decls, true);
    d.c_static = get_bool(r);
    d.fn = get_index(r, n->scopes, false);
    if (d.kind == IL_DECL_IMPORT && !d.imported)
      fail(r, "an import without an imported name");
    PUSH(&f->decls, d);
  }
  il_array_grow(&f->ctors, n->ctors);
  for (uint32_t i = 0; i < n->ctors && !r->err; i++) {
    il_ctor k;
    memset(&k, 0, sizeof k);
    k.root = get_str(r, false);
    k.path = get_str(r, false);
    k.is_new = get_bool(r);
    k.span = get_span(r);
    k.full = get_span(r);
    k.scope = get_index(r, n->scopes, false);
    k.outer = get_index(r, i, true); /* enclosing constructions come first */
    k.decl = get_index(r, n->decls, true);
    k.assign = get_index(r, n->assigns, true);
    k.global_fallback = get_bool(r);
    k.module = get_str(r, true);
    k.level = (il_level)get_enum(r, IL_LEVEL_ERROR);
    k.inner = get_index(r, n->ctors, true);
    k.wrapped_by = get_index(r, n->ctors, true);
    k.from = get_str(r, true);
    k.export_path = get_str(r, true);
    k.local_call = get_bool(r);
    PUSH(&f->ctors, k);
  }
  il_array_grow(&f->assigns, n->assigns);
  for (uint32_t i = 0; i < n->assigns && !r->err; i++) {
    il_assign x;
    memset(&x, 0, sizeof x);
    x.op = (il_assign_op)get_enum(r, IL_ASSIGN_SET);
    x.target = (il_target_kind)get_enum(r, IL_TARGET_THIS);
    x.root = get_str(r, x.target == IL_TARGET_THIS);
    x.prop = get_str(r, x.target == IL_TARGET_NAME);
    x.span = get_span(r);
    x.scope = get_index(r, n->scopes, false);
    x.value_ctor = get_index(r, n->ctors, true);
    x.value_name = get_str(r, true);
    x.decl = get_index(r, n->decls, true);
    x.value_decl = get_index(r, n->decls, true);
    x.global = get_bool(r);
    PUSH(&f->assigns, x);
  }
  il_array_grow(&f->refs, n->refs);
  for (uint32_t i = 0; i < n->refs && !r->err; i++) {
    il_ref x;
    memset(&x, 0, sizeof x);
    uint32_t off = get_u32(r);
    uint32_t name_len = get_u32(r);
    x.called = get_bool(r);
    if (off > r->n_strs || name_len > r->n_strs - off) {
      fail(r, "a name is out of range");
      off = 0;
      name_len = 0;
    }
    x.name_len = name_len;
    x.name = r->strs + off;
    x.span = get_span(r);
    x.scope = get_index(r, n->scopes, false);
    x.in_ctor = get_index(r, n->ctors, true);
    x.decl = get_index(r, n->decls, true);
    PUSH(&f->refs, x);
  }
  il_array_grow(&f->calls, n->calls);
  for (uint32_t i = 0; i < n->calls && !r->err; i++) {
    il_call c;
    memset(&c, 0, sizeof c);
    c.root = get_str(r, false);
    c.path = get_str(r, false);
    c.is_new = get_bool(r);
    c.awaited = get_bool(r);
    c.span = get_span(r);
    c.full = get_span(r);
    c.scope = get_index(r, n->scopes, false);
    c.in_run = get_index(r, i, true); /* enclosing runs come first */
    c.init_of = get_index(r, n->decls, true);
    c.ctor = get_index(r, n->ctors, true);
    c.arg_root = get_str(r, true);
    c.decl = get_index(r, n->decls, true);
    c.module = get_str(r, true);
    c.export_path = get_str(r, true);
    c.op = (il_load_op)get_enum(r, IL_OP_EFFECT_RUN);
    c.io_call = get_index(r, n->calls, true);
    c.io_decl = get_index(r, n->decls, true);
    PUSH(&f->calls, c);
  }
  il_array_grow(&f->greads, n->greads);
  for (uint32_t i = 0; i < n->greads && !r->err; i++) {
    il_global_read g;
    memset(&g, 0, sizeof g);
    g.root = get_str(r, false);
    g.prop = get_str(r, false);
    g.span = get_span(r);
    g.scope = get_index(r, n->scopes, false);
    g.global = get_bool(r);
    PUSH(&f->greads, g);
  }
  il_array_grow(&f->lnodes, n->lnodes);
  for (uint32_t i = 0; i < n->lnodes && !r->err; i++) {
    il_lnode l;
    memset(&l, 0, sizeof l);
    l.is_name = get_bool(r);
    l.is_pipe = get_bool(r);
    l.local_opts = get_bool(r);
    l.name = get_str(r, !l.is_name);
    l.ctor = get_index(r, n->ctors, true);
    l.span = get_span(r);
    l.scope = get_index(r, n->scopes, false);
    l.parent = get_index(r, i, true); /* call nodes come before their arguments */
    l.arg_index = get_i32(r);
    if (l.arg_index < -1)
      fail(r, "an argument index is out of range");
    l.init_of = get_index(r, n->decls, true);
    l.decl = get_index(r, n->decls, true);
    PUSH(&f->lnodes, l);
  }
  uint32_t ns = get_count(r, MIN_RECORD);
  il_array_grow(&f->suppressions, ns);
  for (uint32_t i = 0; i < ns && !r->err; i++) {
    il_suppression s;
    memset(&s, 0, sizeof s);
    s.kind = (il_sup_kind)get_enum(r, IL_SUP_UNKNOWN);
    s.next_line = get_bool(r);
    s.line = get_u32(r);
    s.word = get_str(r, true);
    s.span = get_span(r);
    s.n_rules = get_u32(r);
    if (s.n_rules > 8) {
      fail(r, "a suppression names too many rules");
      s.n_rules = 0;
    }
    for (uint32_t j = 0; j < s.n_rules; j++)
      s.rules[j] = get_str(r, false);
    s.reason = get_str(r, true);
    s.used = get_bool(r);
    PUSH(&f->suppressions, s);
  }
  uint32_t nh = get_count(r, 1);
  il_array_grow(&f->handler_names, nh);
  for (uint32_t i = 0; i < nh && !r->err; i++) {
    const char *h = get_str(r, false);
    PUSH(&f->handler_names, h);
  }
  f->n_syntax_errors = get_u32(r);
  f->first_syntax_error = get_span_z(r, f->n_syntax_errors == 0);
  f->entry_hints = (uint8_t)get_u8(r);
  uint32_t ne = get_count(r, MIN_RECORD);
  il_array_grow(&f->exports, ne);
  for (uint32_t i = 0; i < ne && !r->err; i++) {
    il_export e;
    memset(&e, 0, sizeof e);
    e.name = get_str(r, false);
    e.local = get_str(r, false);
    e.module = get_str(r, true);
    e.type_only = get_bool(r);
    e.span = get_span(r);
    PUSH(&f->exports, e);
  }
  uint32_t nr = get_count(r, MIN_RECORD);
  il_array_grow(&f->rets, nr);
  for (uint32_t i = 0; i < nr && !r->err; i++) {
    il_ret x;
    memset(&x, 0, sizeof x);
    x.scope = get_index(r, n->scopes, false);
    x.span = get_span(r);
    x.value_ctor = get_index(r, n->ctors, true);
    x.value_name = get_str(r, true);
    x.value_decl = -1;
    PUSH(&f->rets, x);
  }
  decode_detached(r, f, n);
  if (!r->err && r->p != r->end)
    fail(r, "trailing bytes");
  return !r->err;
}

/* The lengths of the indexed arrays, first, so an index can be checked as it is
 * read; bounded by the bytes left. */
static bool read_counts(rbuf *r, counts *n) {
  uint32_t *out[8] = {&n->scopes, &n->decls,  &n->ctors,  &n->assigns,
                      &n->refs,   &n->calls,  &n->greads, &n->lnodes};
  size_t total = 0;
  for (int k = 0; k < 8; k++) {
    *out[k] = get_u32(r);
    total += *out[k];
  }
  return !r->err && total <= (size_t)(r->end - r->p) / MIN_RECORD;
}

il_facts *il_facts_load(const uint8_t *blob, size_t n, const char *path, il_lang lang,
                        const char *src, size_t src_len, char **err) {
  uint32_t head[3];
  if (n < sizeof head) {
    *err = il_xstrdup("facts: truncated header");
    return NULL;
  }
  memcpy(head, blob, sizeof head);
  if (head[0] != IL_FACTS_FORMAT || head[1] != (uint32_t)lang || lang == IL_LANG_C) {
    *err = il_xstrdup("facts: another format version or language");
    return NULL;
  }
  if (head[2] > n - sizeof head || src_len > UINT32_MAX ||
      (head[2] && blob[sizeof head + head[2] - 1] != '\0')) {
    *err = il_xstrdup("facts: bad string table");
    return NULL;
  }
  il_facts *f = il_facts_new(path, lang, src, src_len);
  char *strs = il_arena_alloc(f->arena, head[2] + 1);
  memcpy(strs, blob + sizeof head, head[2]);
  rbuf r = {.p = blob + sizeof head + head[2], .end = blob + n, .strs = strs, .n_strs = head[2],
            .src = src, .src_len = src_len};
  counts c;
  if (!read_counts(&r, &c)) {
    *err = il_xstrdup("facts: a count exceeds the data");
    il_facts_free(f);
    return NULL;
  }
  if (!decode(&r, f, &c)) {
    *err = il_xasprintf("facts: %s", r.err ? r.err : "invalid");
    il_facts_free(f);
    return NULL;
  }
  return f;
}
