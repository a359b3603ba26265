/* Phase 2: the uses, in functions of other files, of each file's module-level
 * declarations (il_facts.xuses), and imports rewritten to the knowledge-base module
 * they reach through local re-exports. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flow/flow.h"
#include "project/graph_int.h"

enum { MAX_XUSES_PER_DECL = 8 };

/* The refs of one file that name an import declaration inside a function, chained
 * by declaration in source order: built in one pass, so following every import of a
 * file costs one walk over its refs. */
typedef struct {
  int32_t *head; /* per declaration: first ref, -1 */
  int32_t *next; /* per ref: the next ref naming the same declaration, -1 */
} use_index;

static void use_index_build(const il_facts *f, use_index *u) {
  u->head = il_xmalloc((f->decls.len + 1) * sizeof *u->head);
  u->next = il_xmalloc((f->refs.len + 1) * sizeof *u->next);
  for (uint32_t d = 0; d < f->decls.len; d++)
    u->head[d] = -1;
  for (uint32_t r = f->refs.len; r-- > 0;) {
    const il_ref *ref = &f->refs.data[r];
    int32_t d = il_facts_ref_decl(f, ref);
    u->next[r] = -1;
    if (d < 0 || f->decls.data[d].kind != IL_DECL_IMPORT ||
        il_facts_function_of(f, ref->scope) < 0)
      continue;
    u->next[r] = u->head[d];
    u->head[d] = (int32_t)r;
  }
}

static void use_index_free(use_index *u) {
  free(u->head);
  free(u->next);
}

/* Records ref (in function fn of file i) as a use of declaration e of file k. */
static void push_xuse(il_modgraph *g, uint32_t i, const il_ref *ref, int32_t fn, int32_t k,
                      int32_t e) {
  const il_facts *fi = g->facts.data[i];
  il_facts *fk = g->facts.data[k];
  int32_t h = il_facts_handler_of(fi, ref->scope);
  il_xuse u = il_xuse_at(fi, ref->span, fk->arena, g->display.data[i]);
  u.decl = e;
  u.in_handler = h >= 0;
  /* a fresh string per use: the core recognizes the use by this pointer */
  u.message = h >= 0 ? il_arena_printf(fk->arena, "used in request handler '%s'",
                                       fi->scopes.data[h].name)
                     : il_arena_printf(fk->arena, "used in '%s'", fi->scopes.data[fn].name);
  il_array_push(&fk->xuses, u);
  if (h >= 0 && ref->called && fk->decls.data[e].fn > 0) {
    /* the per-request call graph across files: what function e reads of its module is
     * used by this handler (il_ru_add_uses) */
    u.through = true;
    u.message = il_arena_printf(fk->arena, "used by request handler '%s' through '%s()'",
                                fi->scopes.data[h].name, fk->decls.data[e].name);
    il_array_push(&fk->xuses, u);
  }
}

/* Records the uses of import decl d of file i (one per function, handlers marked)
 * as uses of declaration e of file k. */
static void record_uses(il_modgraph *g, uint32_t i, const use_index *ui, int32_t d, int32_t k,
                        int32_t e, uint32_t *counts) {
  const il_facts *fi = g->facts.data[i];
  IL_ARRAY(int32_t) seen = {0};
  for (int32_t r = ui->head[d]; r >= 0 && counts[e] < MAX_XUSES_PER_DECL; r = ui->next[r]) {
    const il_ref *ref = &fi->refs.data[r];
    int32_t fn = il_facts_function_of(fi, ref->scope);
    bool dup = false;
    for (uint32_t s = 0; s < seen.len && !dup; s++)
      dup = seen.data[s] == fn;
    if (dup)
      continue;
    il_array_push(&seen, fn);
    push_xuse(g, i, ref, fn, k, e);
    counts[e]++;
  }
  il_array_free(&seen);
}

/* The member read right after ref in the source (`ns.pool`, `ns?.pool`), as a new
 * string, or NULL. */
static char *member_after(const il_facts *f, const il_ref *ref) {
  if (!f->src) { /* detached: recorded in phase 1 */
    const char *m = il_facts_ref_member(f, (uint32_t)(ref - f->refs.data));
    return m ? il_xstrdup(m) : NULL;
  }
  size_t a, e;
  return il_member_at(f->src, f->len, ref->span.end_byte, &a, &e) ? il_xstrndup(f->src + a, e - a)
                                                                  : NULL;
}

enum { MAX_NS_USES = 64 };

/* A namespace import or whole-module require d of file i naming file j: each
 * `ns.member` use (one per function and member) is a use of the declaration j
 * exports as member. */
static void record_ns_uses(il_modgraph *g, uint32_t i, const use_index *ui, int32_t d, int32_t j,
                           uint32_t **counts) {
  const il_facts *fi = g->facts.data[i];
  struct {
    int32_t fn, file, decl;
  } seen[MAX_NS_USES];
  uint32_t n_seen = 0;
  for (int32_t r = ui->head[d]; r >= 0 && n_seen < MAX_NS_USES; r = ui->next[r]) {
    const il_ref *ref = &fi->refs.data[r];
    int32_t fn = il_facts_function_of(fi, ref->scope);
    char *m = member_after(fi, ref);
    if (!m)
      continue;
    xres x = il_mg_resolve_export(g, j, m, 0);
    free(m);
    if (x.module || x.file < 0 || (uint32_t)x.file == i || x.decl < 0)
      continue;
    bool dup = false;
    for (uint32_t s = 0; s < n_seen && !dup; s++)
      dup = seen[s].fn == fn && seen[s].file == x.file && seen[s].decl == x.decl;
    if (dup)
      continue;
    seen[n_seen].fn = fn;
    seen[n_seen].file = x.file;
    seen[n_seen++].decl = x.decl;
    if (!counts[x.file])
      counts[x.file] = il_xcalloc(g->facts.data[x.file]->decls.len + 1, sizeof **counts);
    if (counts[x.file][x.decl] >= MAX_XUSES_PER_DECL)
      continue;
    push_xuse(g, i, ref, fn, x.file, x.decl);
    counts[x.file][x.decl]++;
  }
}

void il_modgraph_link(il_modgraph *g) {
  uint32_t n = g->abs.len;
  uint32_t **counts = il_xcalloc(n ? n : 1, sizeof *counts);
  for (uint32_t i = 0; i < n; i++) {
    il_facts *f = g->facts.data[i];
    if (!f)
      continue;
    use_index ui = {NULL, NULL};
    for (uint32_t k = 0; k < f->decls.len; k++) {
      il_decl *d = &f->decls.data[k];
      if (d->kind != IL_DECL_IMPORT || d->type_only || !d->module)
        continue;
      int32_t j = il_mg_resolve_spec(g, i, d->module, NULL);
      if (j < 0)
        continue;
      if (!ui.head)
        use_index_build(f, &ui);
      if (strcmp(d->imported, "*") == 0 && (uint32_t)j != i && g->facts.data[j])
        record_ns_uses(g, i, &ui, (int32_t)k, j, counts);
      xres r = strcmp(d->imported, "*") == 0 ? il_mg_none() : il_mg_resolve_export(g, j, d->imported, 0);
      if (r.module) {
        /* reaches a package through local re-exports: the rules see that import */
        d->module = il_arena_strdup(f->arena, r.module);
        d->imported = il_arena_strdup(f->arena, r.name);
        f->imports_rewritten = true;
        continue;
      }
      if (!il_mg_is_relative(d->module)) {
        /* an alias that names a file of the scan is not the package of that name */
        d->module = il_arena_strdup(f->arena, g->display.data[j]);
        f->imports_rewritten = true;
      }
      if (r.file < 0 || (uint32_t)r.file == i)
        continue;
      if (!counts[r.file])
        counts[r.file] = il_xcalloc(g->facts.data[r.file]->decls.len + 1, sizeof **counts);
      record_uses(g, i, &ui, (int32_t)k, r.file, r.decl, counts[r.file]);
    }
    use_index_free(&ui);
  }
  for (uint32_t i = 0; i < n; i++)
    free(counts[i]);
  free(counts);
}
