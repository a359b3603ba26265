/* Value flow within a file: function summaries and their application at calls
 * (flow/values.h). Linear in the facts: the returns are chained by function once,
 * each function is summarized once (memoized; a function met again while its own
 * summary is computed, recursion, gives nothing), calls are looked at once. */
#include "flow/values.h"

#include <stdlib.h>
#include <string.h>

enum { MAX_DEPTH = 64 }; /* calls followed from one call: deeper chains give nothing */

/* What a value may hold: a client (with where it is built), or, before the
 * cross-file pass, "what imported function `import` returns". */
typedef struct {
  const il_kb_row *client;
  const char *module;
  il_level level;
  int32_t origin;  /* construction in this file that builds it, -1 */
  int32_t xorigin; /* xuse (another file) where it is built, -1 */
  int32_t import;  /* no client: the imported function whose result it is, -1 */
  const char *member;
} fval;

typedef struct {
  il_facts *f;
  int32_t *ret_head; /* by scope: first return of the function, -1 */
  int32_t *ret_next; /* by return: the next return of the same function, -1 */
  uint8_t *state;    /* by scope: 0 not summarized, 1 in progress, 2 done */
  fval *sum;         /* by scope */
} flow;

static fval none(void) {
  fval v = {.origin = -1, .xorigin = -1, .import = -1};
  return v;
}

static fval summary(flow *F, int32_t s, int depth);

/* What a call of an imported function returns (its root names import d): the
 * cross-file pass's xcall for it, or the unresolved import itself. */
static fval imported_call(const il_facts *f, const il_ctor *k, int32_t d) {
  const il_decl *dp = &f->decls.data[d];
  bool star = dp->imported && strcmp(dp->imported, "*") == 0;
  /* `makeDb()`, or `ns.makeDb()` of `import * as ns` */
  const char *member = star ? k->path : NULL;
  if (star ? !*k->path || strchr(k->path, '.') : *k->path)
    return none();
  for (uint32_t i = 0; i < f->xcalls.len; i++) {
    const il_xcall *x = &f->xcalls.data[i];
    if (x->decl != d || (x->member ? !member || strcmp(x->member, member) != 0 : member != NULL))
      continue;
    fval v = {.client = x->client, .module = x->module, .level = x->level, .origin = -1,
              .xorigin = x->step, .import = -1};
    return v;
  }
  fval v = none();
  v.import = d;
  v.member = member;
  return v;
}

/* The value a construction or call record produces. */
static fval ctor_value(flow *F, int32_t c, int depth) {
  const il_facts *f = F->f;
  const il_ctor *k = &f->ctors.data[c];
  if (k->client) {
    fval v = {.client = k->client, .module = k->module, .level = k->level, .origin = c,
              .xorigin = -1, .import = -1};
    if (k->origin >= 0 || k->xorigin >= 0) { /* a call given its client by flow */
      v.origin = k->origin;
      v.xorigin = k->xorigin;
    }
    return v;
  }
  int32_t d = il_facts_lookup(f, k->scope, k->root);
  if (d < 0)
    return none();
  const il_decl *dp = &f->decls.data[d];
  if (k->local_call)
    return dp->fn > 0 ? summary(F, dp->fn, depth + 1) : none();
  if (k->from && dp->kind == IL_DECL_IMPORT && !dp->type_only)
    return imported_call(f, k, d);
  return none();
}

/* The value of a binding named in a function: what initializes it, when that is
 * made in a function (a module-level binding is shared already, and the rules
 * about module state report it). */
static fval decl_value(flow *F, int32_t d, int depth) {
  const il_facts *f = F->f;
  if (d < 0)
    return none();
  const il_decl *dp = &f->decls.data[d];
  if (dp->init_ctor < 0 || dp->kind == IL_DECL_IMPORT || f->scopes.data[dp->scope].at_load)
    return none();
  return ctor_value(F, dp->init_ctor, depth);
}

/* The better of two values: a client over none, the higher level, else the first. */
static bool better(const fval *a, const fval *b) {
  if (a->client)
    return !b->client || a->level > b->level;
  return !b->client && b->import < 0 && a->import >= 0;
}

static fval summary(flow *F, int32_t s, int depth) {
  if (F->state[s] == 2)
    return F->sum[s];
  if (F->state[s] == 1 || depth > MAX_DEPTH)
    return none(); /* recursion, or too deep: nothing */
  F->state[s] = 1;
  fval best = none();
  for (int32_t r = F->ret_head[s]; r >= 0; r = F->ret_next[r]) {
    const il_ret *rt = &F->f->rets.data[r];
    fval v = rt->value_ctor >= 0 ? ctor_value(F, rt->value_ctor, depth)
                                 : decl_value(F, rt->value_decl, depth);
    if (better(&v, &best))
      best = v;
  }
  F->sum[s] = best;
  F->state[s] = 2;
  return best;
}

static bool flow_init(flow *F, il_facts *f) {
  memset(F, 0, sizeof *F);
  F->f = f;
  if (!f->rets.len)
    return false;
  uint32_t ns = f->scopes.len;
  F->ret_head = il_xmalloc(ns * sizeof *F->ret_head);
  F->ret_next = il_xmalloc(f->rets.len * sizeof *F->ret_next);
  F->state = il_xcalloc(ns, 1);
  F->sum = il_xmalloc(ns * sizeof *F->sum);
  for (uint32_t s = 0; s < ns; s++)
    F->ret_head[s] = -1;
  for (uint32_t r = f->rets.len; r-- > 0;) {
    int32_t s = f->rets.data[r].scope;
    F->ret_next[r] = F->ret_head[s];
    F->ret_head[s] = (int32_t)r;
  }
  return true;
}

static void flow_fini(flow *F) {
  free(F->ret_head);
  free(F->ret_next);
  free(F->state);
  free(F->sum);
}

/* Which functions run while the module loads: those a call at load names, then,
 * breadth first, the functions they call by name (the call graph of `called`
 * references; callbacks they hand to other calls are not followed). */
static void load_reach(il_facts *f) {
  uint32_t ns = f->scopes.len;
  for (uint32_t s = 0; s < ns; s++)
    f->scopes.data[s].load_site = -1;
  int32_t *queue = NULL, *head = NULL, *next = NULL;
  uint32_t qn = 0, qi = 0;
  for (uint32_t i = 0; i < f->calls.len; i++) {
    const il_call *c = &f->calls.data[i];
    if (c->is_new || c->path[0] || c->decl < 0 || !f->scopes.data[c->scope].at_load)
      continue;
    int32_t fn = f->decls.data[c->decl].fn;
    if (fn <= 0 || f->scopes.data[fn].at_load || f->scopes.data[fn].load_site >= 0)
      continue;
    if (!queue)
      queue = il_xmalloc(ns * sizeof *queue);
    f->scopes.data[fn].load_site = (int32_t)i;
    queue[qn++] = fn;
  }
  if (!queue)
    return;
  /* the called references of each function, chained by scope */
  head = il_xmalloc(ns * sizeof *head);
  next = il_xmalloc((f->refs.len + 1) * sizeof *next);
  for (uint32_t s = 0; s < ns; s++)
    head[s] = -1;
  for (uint32_t r = f->refs.len; r-- > 0;) {
    const il_ref *ref = &f->refs.data[r];
    next[r] = -1;
    if (!ref->called)
      continue;
    next[r] = head[ref->scope];
    head[ref->scope] = (int32_t)r;
  }
  while (qi < qn) {
    int32_t s = queue[qi++];
    for (int32_t r = head[s]; r >= 0; r = next[r]) {
      int32_t d = il_facts_ref_decl(f, &f->refs.data[r]);
      int32_t fn = d >= 0 ? f->decls.data[d].fn : 0;
      if (fn <= 0 || f->scopes.data[fn].at_load || f->scopes.data[fn].load_site >= 0)
        continue;
      f->scopes.data[fn].load_site = f->scopes.data[s].load_site;
      queue[qn++] = fn;
    }
  }
  free(queue);
  free(head);
  free(next);
}

bool il_flow_apply(il_facts *f) {
  if (f->lang == IL_LANG_C)
    return false;
  load_reach(f);
  flow F;
  bool have_rets = flow_init(&F, f);
  bool any = false;
  for (uint32_t i = 0; i < f->ctors.len; i++) {
    il_ctor *k = &f->ctors.data[i];
    /* `export const db = connector(opts)`: the function runs once per isolate, and the
     * variables of its closure live as long */
    if (k->local_call && f->scopes.data[k->scope].at_load) {
      int32_t d = il_facts_lookup(f, k->scope, k->root);
      if (d >= 0 && f->decls.data[d].fn > 0)
        f->scopes.data[f->decls.data[d].fn].once = true;
    }
    if (k->client || !(k->local_call ? have_rets : k->from && f->xcalls.len))
      continue;
    fval v;
    if (k->local_call) {
      int32_t d = il_facts_lookup(f, k->scope, k->root);
      v = d >= 0 && f->decls.data[d].fn > 0 ? summary(&F, f->decls.data[d].fn, 0) : none();
    } else {
      int32_t d = il_facts_lookup(f, k->scope, k->root);
      v = d >= 0 && f->decls.data[d].kind == IL_DECL_IMPORT ? imported_call(f, k, d) : none();
    }
    if (!v.client)
      continue;
    k->client = v.client;
    k->module = v.module;
    k->level = v.level;
    k->origin = v.origin;
    k->xorigin = v.xorigin;
    k->via = *k->path ? il_arena_printf(f->arena, "%s.%s", k->root, k->path) : k->root;
    any = true;
  }
  if (have_rets)
    flow_fini(&F);
  if (any)
    il_facts_relink(f);
  return any;
}

void il_flow_summarize(il_facts *f) {
  f->fsums.len = 0;
  flow F;
  if (f->lang == IL_LANG_C || !flow_init(&F, f))
    return;
  for (uint32_t d = 0; d < f->decls.len; d++) {
    const il_decl *dp = &f->decls.data[d];
    if (dp->scope != 0 || dp->fn <= 0)
      continue;
    fval v = summary(&F, dp->fn, 0);
    if (!v.client && v.import < 0)
      continue;
    il_fsum s = {.decl = (int32_t)d, .import = -1};
    if (v.client && v.origin >= 0) {
      const il_ctor *o = &f->ctors.data[v.origin];
      s.client = v.client;
      s.module = v.module;
      s.level = v.level;
      s.origin = o->span;
      il_location l = il_make_location(f, o->span);
      s.start_col16 = l.start_col16;
      s.end_col16 = l.end_col16;
      s.message = il_arena_printf(f->arena, "'%s' built here, returned by '%s'", v.client->name,
                                  dp->name);
    } else if (!v.client) {
      s.import = v.import;
      s.member = v.member;
    } else {
      continue; /* (phase 1 knows no other file's client) */
    }
    il_array_push(&f->fsums, s);
  }
  flow_fini(&F);
}
