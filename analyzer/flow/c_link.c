/* Phase 2, C: translation units linked by external name (flow/flow.h il_flow_c_link).
 * The C front-end gives a file a declaration (imported "extern") for each function it
 * calls for a value but does not define, and for each global it reads that a header
 * declares; it names in handler_names the handlers it registers but does not define.
 * This pass links them to the definitions of the other C files of the scan (functions
 * and variables that are not `static`):
 *   - a call of a function defined elsewhere that returns a handle, or leaves one in an
 *     out-parameter (its il_fsum), gets an il_xcall with where the handle is opened;
 *   - a function registered as a handler in another file becomes a handler, and one that
 *     handler code of another file calls for a value runs for requests;
 *   - a read of a global inside request-handler code is an xuse of every declaration
 *     of that global in the other files (where it may be filled).
 * Serial; linear in the declarations and references of the C files. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flow/flow.h"
#include "project/graph_int.h"

enum { MAX_XUSES_PER_DECL = 8, MAX_FILES_DEEP = 16 };

typedef struct {
  uint32_t file;
  int32_t decl;
  int32_t next; /* the next declaration of the same global, -1 */
} entry;

typedef struct {
  il_modgraph *g;
  il_strmap fns;  /* "name" -> entry of the function's definition (the first one) */
  il_strmap vars; /* "name" -> first entry of the global's declarations (a chain) */
  IL_ARRAY(entry) ents;
} c_link;

static bool is_c(const il_modgraph *g, uint32_t i) {
  return g->facts.data[i] && g->facts.data[i]->lang == IL_LANG_C;
}

static bool is_extern(const il_decl *d) { return d->imported && strcmp(d->imported, "extern") == 0; }

static void index_decls(c_link *L) {
  il_modgraph *g = L->g;
  for (uint32_t i = 0; i < g->abs.len; i++) {
    if (!is_c(g, i))
      continue;
    const il_facts *f = g->facts.data[i];
    for (uint32_t k = 0; k < f->decls.len; k++) {
      const il_decl *d = &f->decls.data[k];
      if (d->scope != 0 || !d->exported)
        continue;
      entry e = {i, (int32_t)k, -1};
      if (d->kind == IL_DECL_FUNCTION && d->fn > 0) {
        if (il_mg_strmap_get(&L->fns, d->name) < 0) {
          il_array_push(&L->ents, e);
          il_mg_strmap_put(&L->fns, d->name, (int32_t)L->ents.len - 1);
        }
      } else if (d->kind == IL_DECL_VAR) {
        e.next = il_mg_strmap_get(&L->vars, d->name);
        il_array_push(&L->ents, e);
        il_mg_strmap_put(&L->vars, d->name, (int32_t)L->ents.len - 1);
      }
    }
  }
}

/* The summary holding the client that summary s (of file j) leads to: itself, or,
 * for a function returning (or leaving in an out-parameter) what an extern function
 * returns or leaves in its import_arg1-th argument, that function's summary in the
 * file defining it (a chain of wrappers across files, at most 16 files deep; a cycle
 * gives nothing). NULL: none. */
static const il_fsum *resolve(c_link *L, uint32_t j, const il_fsum *s, uint32_t *file,
                              int depth) {
  if (s->client) {
    *file = j;
    return s;
  }
  const il_facts *fj = L->g->facts.data[j];
  if (depth >= MAX_FILES_DEEP || s->import < 0 ||
      (uint32_t)s->import >= fj->decls.len)
    return NULL;
  int32_t e = il_mg_strmap_get(&L->fns, fj->decls.data[s->import].name);
  if (e < 0 || L->ents.data[e].file == j)
    return NULL;
  const entry *def = &L->ents.data[e];
  const il_facts *fk = L->g->facts.data[def->file];
  for (uint32_t m = 0; m < fk->fsums.len; m++)
    if (fk->fsums.data[m].decl == def->decl && fk->fsums.data[m].out_arg1 == s->import_arg1)
      return resolve(L, def->file, &fk->fsums.data[m], file, depth + 1);
  return NULL;
}

/* Calls of extern function d of file i: the summaries of its definition (file j),
 * each for the call's value or for what it leaves in an argument (out_arg1 of the
 * definition's summary; the summary the chain ends in may fill another). */
static void link_calls(c_link *L, uint32_t i, int32_t d, const entry *def) {
  il_facts *f = L->g->facts.data[i];
  const il_facts *fj = L->g->facts.data[def->file];
  for (uint32_t m = 0; m < fj->fsums.len; m++) {
    uint32_t sf = def->file;
    uint8_t out_arg1 = fj->fsums.data[m].out_arg1;
    const il_fsum *s = fj->fsums.data[m].decl == def->decl
                           ? resolve(L, def->file, &fj->fsums.data[m], &sf, 0)
                           : NULL;
    if (!s)
      continue;
    bool dup = false;
    for (uint32_t x = 0; x < f->xcalls.len && !dup; x++)
      dup = f->xcalls.data[x].decl == d && f->xcalls.data[x].out_arg1 == out_arg1;
    if (dup)
      continue;
    il_xuse u = {.decl = -1,
                 .path = il_arena_strdup(f->arena, L->g->display.data[sf]),
                 .span = s->origin,
                 .start_col16 = s->start_col16,
                 .end_col16 = s->end_col16,
                 .message = il_arena_strdup(f->arena, s->message)}; /* a fresh pointer */
    il_xcall x = {.decl = d,
                  .member = f->decls.data[d].name,
                  .client = s->client,
                  .module = il_arena_strdup(f->arena, s->module),
                  .level = s->level,
                  .step = (int32_t)f->xuses.len,
                  .out_arg1 = out_arg1};
    il_array_push(&f->xuses, u);
    il_array_push(&f->xcalls, x);
  }
}

/* Reads of globals in request-handler code of file i: uses of every declaration of
 * the same global in the other files, one per handler function. */
static void link_uses(c_link *L, uint32_t i, uint32_t **counts) {
  il_modgraph *g = L->g;
  const il_facts *fi = g->facts.data[i];
  IL_ARRAY(int64_t) seen = {0}; /* (decl << 32) | function */
  for (uint32_t r = 0; r < fi->refs.len; r++) {
    const il_ref *ref = &fi->refs.data[r];
    int32_t d = il_facts_ref_decl(fi, ref);
    if (d < 0)
      continue;
    const il_decl *dp = &fi->decls.data[d];
    if (dp->scope != 0 || dp->kind != IL_DECL_VAR || !dp->exported)
      continue;
    int32_t h = il_facts_c_handler_of(fi, ref->scope);
    if (h < 0 || fi->scopes.data[ref->scope].c_locks)
      continue; /* (a read under a lock the function takes is guarded) */
    int32_t fn = il_facts_c_function_of(fi, ref->scope);
    int64_t key = ((int64_t)d << 32) | (uint32_t)fn;
    bool dup = false;
    for (uint32_t s = 0; s < seen.len && !dup; s++)
      dup = seen.data[s] == key;
    if (dup)
      continue;
    il_array_push(&seen, key);
    for (int32_t e = il_mg_strmap_get(&L->vars, dp->name); e >= 0; e = L->ents.data[e].next) {
      const entry *en = &L->ents.data[e];
      if (en->file == i)
        continue;
      il_facts *fk = g->facts.data[en->file];
      if (!counts[en->file])
        counts[en->file] = il_xcalloc(fk->decls.len + 1, sizeof **counts);
      if (counts[en->file][en->decl] >= MAX_XUSES_PER_DECL)
        continue;
      counts[en->file][en->decl]++;
      il_xuse u = il_xuse_at(fi, ref->span, fk->arena, g->display.data[i]);
      u.decl = en->decl;
      u.in_handler = true;
      /* a fresh string per use: the core recognizes the use by this pointer */
      u.message = fn == h ? il_arena_printf(fk->arena, "used in request handler '%s'",
                                            fi->scopes.data[h].name)
                          : il_arena_printf(fk->arena,
                                            "used in '%s', called from request handler '%s'",
                                            fi->scopes.data[fn].name, fi->scopes.data[h].name);
      il_array_push(&fk->xuses, u);
    }
  }
  il_array_free(&seen);
}

void il_flow_c_link(il_modgraph *g) {
  c_link L = {.g = g};
  bool any = false;
  for (uint32_t i = 0; i < g->abs.len && !any; i++)
    any = is_c(g, i);
  if (!any)
    return;
  index_decls(&L);
  /* handlers registered in one file and defined in another, first: the uses below
   * are read in handler code */
  for (uint32_t i = 0; i < g->abs.len; i++) {
    if (!is_c(g, i))
      continue;
    const il_facts *f = g->facts.data[i];
    for (uint32_t n = 0; n < f->handler_names.len; n++) {
      int32_t e = il_mg_strmap_get(&L.fns, f->handler_names.data[n]);
      if (e < 0 || L.ents.data[e].file == i)
        continue;
      il_facts *fj = g->facts.data[L.ents.data[e].file];
      fj->scopes.data[fj->decls.data[L.ents.data[e].decl].fn].is_handler = true;
    }
  }
  /* functions of one file that request-handler code of another calls for a value
   * (`PGconn *c = get_db();`): they run for requests too (as their own handler: the
   * handler is in another file) */
  for (uint32_t i = 0; i < g->abs.len; i++) {
    if (!is_c(g, i))
      continue;
    const il_facts *f = g->facts.data[i];
    for (uint32_t c = 0; c < f->ctors.len; c++) {
      const il_ctor *k = &f->ctors.data[c];
      if (!k->local_call || il_facts_c_handler_of(f, k->scope) < 0)
        continue;
      int32_t d = il_facts_lookup(f, k->scope, k->root);
      if (d < 0 || f->decls.data[d].fn > 0 || !is_extern(&f->decls.data[d]))
        continue;
      int32_t e = il_mg_strmap_get(&L.fns, k->root);
      if (e < 0 || L.ents.data[e].file == i)
        continue;
      il_facts *fj = g->facts.data[L.ents.data[e].file];
      int32_t ed = L.ents.data[e].decl;
      il_scope *sc = &fj->scopes.data[fj->decls.data[ed].fn];
      if (sc->is_handler || sc->reach_handler > 0)
        continue;
      sc->reach_handler = fj->decls.data[ed].fn;
      /* where: the call, as a use of the function (its findings name the handler) */
      int32_t h = il_facts_c_handler_of(f, k->scope);
      il_xuse u = il_xuse_at(f, k->span, fj->arena, g->display.data[i]);
      u.decl = ed;
      u.message =
          il_arena_printf(fj->arena, "called from request handler '%s'", f->scopes.data[h].name);
      u.in_handler = true;
      il_array_push(&fj->xuses, u);
    }
  }
  uint32_t **counts = il_xcalloc(g->abs.len ? g->abs.len : 1, sizeof *counts);
  for (uint32_t i = 0; i < g->abs.len; i++) {
    if (!is_c(g, i))
      continue;
    il_facts *f = g->facts.data[i];
    for (uint32_t k = 0; k < f->decls.len; k++) {
      const il_decl *d = &f->decls.data[k];
      if (d->kind != IL_DECL_FUNCTION || d->fn > 0 || !is_extern(d))
        continue;
      int32_t e = il_mg_strmap_get(&L.fns, d->name);
      if (e >= 0 && L.ents.data[e].file != i)
        link_calls(&L, i, (int32_t)k, &L.ents.data[e]);
    }
    link_uses(&L, i, counts);
  }
  for (uint32_t i = 0; i < g->abs.len; i++)
    free(counts[i]);
  free(counts);
  il_mg_strmap_free(&L.fns);
  il_mg_strmap_free(&L.vars);
  il_array_free(&L.ents);
}
