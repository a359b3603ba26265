/* Phase 2: value flow across files (flow/flow.h il_flow_calls). Phase 1 left in each
 * file's facts the summaries of its module-level functions (il_fsum: the client a
 * function returns, or the imported function whose result it returns); this pass
 * follows imports to those summaries and gives each importing file an il_xcall per
 * imported function that returns a client. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flow/flow.h"
#include "project/graph_int.h"

enum { MAX_FILES_DEEP = 16 };

/* A resolved summary: the client and where it is built (a file of the scan). */
typedef struct {
  const il_fsum *s; /* the summary holding the client, NULL: none */
  uint32_t file;    /* the file s belongs to */
} resolved;

typedef struct {
  il_modgraph *g;
  il_strmap memo;           /* "file\x01decl" -> index in results; -2 in progress */
  IL_ARRAY(resolved) results;
} calls_pass;

static resolved nothing(void) {
  resolved r = {NULL, 0};
  return r;
}

static resolved summary_of(calls_pass *P, uint32_t j, int32_t decl, int depth);

/* What imported function `d` (`d.member` of a namespace import) of file j returns. */
static resolved import_result(calls_pass *P, uint32_t j, const il_decl *d, const char *member,
                              int depth) {
  if (d->kind != IL_DECL_IMPORT || d->type_only || !d->module)
    return nothing();
  bool star = strcmp(d->imported, "*") == 0;
  if (star != (member != NULL))
    return nothing();
  int32_t k = il_mg_resolve_spec(P->g, j, d->module, NULL);
  if (k < 0)
    return nothing();
  xres r = il_mg_resolve_export(P->g, k, star ? member : d->imported, 0);
  if (r.file < 0 || (uint32_t)r.file == j)
    return nothing();
  return summary_of(P, (uint32_t)r.file, r.decl, depth + 1);
}

static resolved summary_uncached(calls_pass *P, uint32_t j, int32_t decl, int depth) {
  const il_facts *f = P->g->facts.data[j];
  if (!f)
    return nothing();
  for (uint32_t i = 0; i < f->fsums.len; i++) {
    const il_fsum *s = &f->fsums.data[i];
    if (s->decl != decl)
      continue;
    if (s->client || s->op != IL_OP_NONE) {
      resolved r = {s, j};
      return r;
    }
    if (s->import >= 0 && (uint32_t)s->import < f->decls.len)
      return import_result(P, j, &f->decls.data[s->import], s->member, depth);
  }
  return nothing();
}

static resolved summary_of(calls_pass *P, uint32_t j, int32_t decl, int depth) {
  if (depth > MAX_FILES_DEEP)
    return nothing();
  char key[32];
  snprintf(key, sizeof key, "%u\x01%d", j, decl);
  int32_t *slot = il_mg_strmap_slot(&P->memo, key, false);
  if (slot)
    return *slot >= 0 ? P->results.data[*slot] : nothing(); /* -2: a cycle */
  il_mg_strmap_put(&P->memo, key, -2);
  resolved r = summary_uncached(P, j, decl, depth);
  il_array_push(&P->results, r);
  il_mg_strmap_put(&P->memo, key, (int32_t)P->results.len - 1);
  return r;
}

/* Records in file i that calls of import d (`d.member`) return r's client. */
static void add_xcall(calls_pass *P, uint32_t i, int32_t d, const char *member, resolved r) {
  il_facts *f = P->g->facts.data[i];
  const il_fsum *s = r.s;
  for (uint32_t k = 0; k < f->xcalls.len; k++) /* a re-run of the pass adds nothing */
    if (f->xcalls.data[k].decl == d &&
        (member ? f->xcalls.data[k].member && strcmp(f->xcalls.data[k].member, member) == 0
                : !f->xcalls.data[k].member))
      return;
  const char *path = il_arena_strdup(f->arena, P->g->display.data[r.file]);
  il_xcall x = {.decl = d,
                .member = member ? il_arena_strdup(f->arena, member) : NULL,
                .client = s->client,
                .level = s->level,
                .step = -1,
                .op = s->op,
                .op_step = -1};
  if (s->client) {
    il_xuse u = {.decl = -1,
                 .path = path,
                 .span = s->origin,
                 .start_col16 = s->start_col16,
                 .end_col16 = s->end_col16,
                 .message = il_arena_strdup(f->arena, s->message)}; /* a fresh pointer */
    x.module = il_arena_strdup(f->arena, s->module);
    x.step = (int32_t)f->xuses.len;
    il_array_push(&f->xuses, u);
  }
  if (s->op != IL_OP_NONE) {
    il_xuse u = {.decl = -1,
                 .path = path,
                 .span = s->op_span,
                 .start_col16 = s->op_col16,
                 .end_col16 = s->op_end_col16,
                 .message = il_arena_strdup(f->arena, s->op_message)};
    x.op_step = (int32_t)f->xuses.len;
    il_array_push(&f->xuses, u);
  }
  il_array_push(&f->xcalls, x);
  f->imports_rewritten = true; /* a file finished in phase 1 is analyzed again */
}

void il_flow_calls(il_modgraph *g) {
  calls_pass P = {.g = g};
  for (uint32_t i = 0; i < g->abs.len; i++) {
    il_facts *f = g->facts.data[i];
    if (!f || f->lang == IL_LANG_C)
      continue;
    for (uint32_t k = 0; k < f->decls.len; k++) {
      const il_decl *d = &f->decls.data[k];
      if (d->kind != IL_DECL_IMPORT || d->type_only || !d->module)
        continue;
      if (strcmp(d->imported, "*") != 0) {
        resolved r = import_result(&P, i, d, NULL, 0);
        if (r.s)
          add_xcall(&P, i, (int32_t)k, NULL, r);
        continue;
      }
      /* `import * as ns`: each function of the module that returns a client */
      int32_t j = il_mg_resolve_spec(g, i, d->module, NULL);
      if (j < 0 || (uint32_t)j == i || !g->facts.data[j])
        continue;
      const il_facts *fj = g->facts.data[j];
      for (uint32_t m = 0; m < fj->fsums.len; m++) {
        const il_decl *e = &fj->decls.data[fj->fsums.data[m].decl];
        if (!e->exported)
          continue;
        resolved r = import_result(&P, i, d, e->name, 0);
        if (r.s)
          add_xcall(&P, i, (int32_t)k, e->name, r);
        d = &f->decls.data[k]; /* (add_xcall may grow other arrays, not decls) */
      }
    }
  }
  il_mg_strmap_free(&P.memo);
  il_array_free(&P.results);
}
