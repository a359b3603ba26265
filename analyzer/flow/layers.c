/* Phase 2: the Effect layers each file exports, summarized through a rule's hook and
 * handed to the files that import them (il_facts.xlayers). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flow/flow.h"
#include "flow/values.h"
#include "project/graph_int.h"

enum { MAX_LAYER_DEPTH = 64 };

/* One summary of a module-level binding (a rule's xlayers hook): strings and steps
 * point into the declaring file's arena, alive until phase 3. */
typedef struct {
  il_level level;
  const char *desc, *note;
  il_xuse steps[IL_XLAYER_STEPS]; /* decl -1; path: display path of the step's file */
  uint32_t n_steps;
} lsum;

typedef struct {
  il_modgraph *g;
  const il_kb *kb;
  il_xlayers_hook xlayers;
  uint8_t *state;           /* by file: 0 not yet, 1 in progress, 2 done */
  il_strmap sum_of;            /* "file\x01decl" -> index in sums */
  IL_ARRAY(lsum) sums;
  uint32_t cur;             /* the file whose hook runs */
} layer_pass;

static void layer_emit(void *ctx, int32_t decl, const il_xlayer *x, const il_rel *rel,
                       uint32_t n_rel) {
  layer_pass *L = ctx;
  const il_facts *f = L->g->facts.data[L->cur];
  lsum s = {.level = x->level, .desc = x->desc, .note = x->note};
  for (uint32_t i = 0; i < n_rel && s.n_steps < IL_XLAYER_STEPS; i++) {
    const il_xuse *u = NULL; /* a step in another file: one of f's uses */
    for (uint32_t k = 0; k < f->xuses.len && !u; k++)
      if (f->xuses.data[k].message == rel[i].message)
        u = &f->xuses.data[k];
    il_xuse st;
    if (u) {
      st = *u;
    } else {
      il_location l = il_make_location(f, rel[i].span);
      st = (il_xuse){.decl = -1,
                     .path = L->g->display.data[L->cur],
                     .span = rel[i].span,
                     .start_col16 = l.start_col16,
                     .end_col16 = l.end_col16,
                     .message = rel[i].message};
    }
    st.decl = -1;
    st.in_handler = false;
    s.steps[s.n_steps++] = st;
  }
  if (!s.n_steps)
    return;
  char key[32];
  snprintf(key, sizeof key, "%u\x01%d", L->cur, decl);
  il_array_push(&L->sums, s);
  il_mg_strmap_put(&L->sum_of, key, (int32_t)L->sums.len - 1);
  /* a member binding "Owner.prop" is also found by its owner and property */
  const il_decl *dp = &f->decls.data[decl];
  const char *dot = strchr(dp->name, '.');
  if (dp->kind == IL_DECL_FIELD && dp->owner >= 0 && dot) {
    char *mkey = il_xasprintf("%u\x01o%d\x01%s", L->cur, dp->owner, dot + 1);
    il_mg_strmap_put(&L->sum_of, mkey, (int32_t)L->sums.len - 1);
    free(mkey);
  }
}

static void layers_of(layer_pass *L, uint32_t i, int depth);

/* The summary an import (or `Import.member`, member non-NULL) of file i leads to,
 * or -1; layers_of() has run on the file it comes from. */
static int32_t import_summary(layer_pass *L, uint32_t i, const il_decl *d, const char *member,
                              int depth) {
  il_modgraph *g = L->g;
  if (d->kind != IL_DECL_IMPORT || d->type_only || !d->module)
    return -1;
  bool star = strcmp(d->imported, "*") == 0;
  if (star && !member)
    return -1;
  int32_t j = il_mg_resolve_spec(g, i, d->module, NULL);
  if (j < 0)
    return -1;
  /* `ns.DbLive` of `import * as ns`: the export DbLive */
  xres r = il_mg_resolve_export(g, j, star ? member : d->imported, 0);
  if (r.file < 0 || (uint32_t)r.file == i)
    return -1;
  layers_of(L, (uint32_t)r.file, depth + 1);
  if (L->state[r.file] != 2)
    return -1; /* a cycle */
  char *key = star || !member ? il_xasprintf("%d\x01%d", r.file, r.decl)
                              : il_xasprintf("%d\x01o%d\x01%s", r.file, r.decl, member);
  int32_t si = il_mg_strmap_get(&L->sum_of, key);
  free(key);
  return si;
}

/* Summarizes file i: first the layers its imports name (the files they come from
 * first, depth first; a file met again on the way is a cycle and gives nothing),
 * then, through the rule, its own exported bindings. */
static void layers_of(layer_pass *L, uint32_t i, int depth) {
  il_modgraph *g = L->g;
  il_facts *f = g->facts.data[i];
  if (L->state[i] || depth > MAX_LAYER_DEPTH)
    return; /* too deep: the importer goes without; the file is summarized on its own turn */
  if (!f || !f->lnodes.len) {
    L->state[i] = 2;
    return;
  }
  L->state[i] = 1;
  il_facts_resolve(f, L->kb);
  il_flow_apply(f); /* clients built through helpers, here and in other files */
  for (uint32_t n = 0; n < f->lnodes.len; n++) {
    const il_lnode *l = &f->lnodes.data[n];
    if (!l->is_name)
      continue;
    /* `DbLive`, or `Db.Live` / `ns.DbLive` where the root is an import */
    int32_t di = l->decl;
    const char *member = NULL;
    const char *dot = strchr(l->name, '.');
    if (di < 0 && dot && !strchr(dot + 1, '.')) {
      char *root = il_xasprintf("%.*s", (int)(dot - l->name), l->name);
      di = il_facts_lookup(f, l->scope, root);
      free(root);
      member = dot + 1;
    }
    if (di < 0)
      continue;
    const il_decl *d = &f->decls.data[di];
    if (d->kind != IL_DECL_IMPORT)
      continue;
    bool have = false;
    for (uint32_t k = 0; k < f->xlayers.len && !have; k++) {
      const il_xlayer *x = &f->xlayers.data[k];
      have = x->decl == di && (x->member ? member && strcmp(x->member, member) == 0 : !member);
    }
    if (have)
      continue;
    int32_t si = import_summary(L, i, d, member, depth);
    if (si < 0)
      continue;
    const lsum *s = &L->sums.data[si];
    il_xlayer x = {.decl = di,
                   .member = member ? il_arena_strdup(f->arena, member) : NULL,
                   .level = s->level,
                   .desc = il_arena_strdup(f->arena, s->desc),
                   .note = il_arena_strdup(f->arena, s->note)};
    for (uint32_t k = 0; k < s->n_steps; k++) {
      il_xuse u = s->steps[k];
      u.path = il_arena_strdup(f->arena, u.path);
      u.message = il_arena_strdup(f->arena, u.message); /* a fresh pointer per step */
      x.steps[x.n_steps++] = (int32_t)f->xuses.len;
      il_array_push(&f->xuses, u);
    }
    il_array_push(&f->xlayers, x);
  }
  L->cur = i;
  L->xlayers(f, L, layer_emit);
  L->state[i] = 2;
}

void il_modgraph_layers(il_modgraph *g, const il_kb *kb, il_xlayers_hook xlayers) {
  uint32_t n = g->abs.len;
  if (!xlayers || !n)
    return;
  layer_pass L = {.g = g, .kb = kb, .xlayers = xlayers};
  L.state = il_xcalloc(n, 1);
  for (uint32_t i = 0; i < n; i++)
    layers_of(&L, i, 0);
  free(L.state);
  il_mg_strmap_free(&L.sum_of);
  il_array_free(&L.sums);
}
