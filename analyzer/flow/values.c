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
  /* C only (NULL otherwise): assignments by target declaration, and what a function
   * leaves in an out-parameter (`int open_db(sqlite3 **out)`), and what a local
   * binding is given (`PGconn *c; c = ...; d->conn = c; return d;`) */
  int32_t *asg_head; /* by declaration: first assignment to it, -1 */
  int32_t *asg_next; /* by assignment: the next one to the same declaration, -1 */
  uint8_t *out_state; /* by scope, as state */
  uint8_t *out_arg1;  /* by scope: the 1-based parameter the client is left in, 0 */
  fval *out_sum;      /* by scope */
  uint8_t *dstate;    /* by declaration, as state */
  fval *dsum;         /* by declaration */
  int32_t *pfirst;    /* by scope: its first parameter declaration (they are consecutive), -1 */
} flow;

static fval none(void) {
  fval v = {.origin = -1, .xorigin = -1, .import = -1};
  return v;
}

static fval summary(flow *F, int32_t s, int depth);
static fval out_summary(flow *F, int32_t s, int depth, uint8_t *arg1);

/* C: what a call of a function defined in another translation unit (its extern
 * declaration d here) returns, or leaves in its out_arg1-th argument, as the
 * cross-file pass linked it by name (flow/c_link.c). */
static fval c_external_call(const il_facts *f, const il_ctor *k, int32_t d) {
  for (uint32_t i = 0; i < f->xcalls.len; i++) {
    const il_xcall *x = &f->xcalls.data[i];
    if (x->decl != d || x->out_arg1 != k->out_arg1)
      continue;
    fval v = {.client = x->client, .module = x->module, .level = x->level, .origin = -1,
              .xorigin = x->step, .import = -1};
    return v;
  }
  /* before the cross-file pass: "what extern function d returns" (a chain of wrappers
   * across files: the summary says so, and the pass follows it) */
  fval v = none();
  if (!k->out_arg1)
    v.import = d;
  return v;
}

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
  if (f->lang == IL_LANG_C && k->local_call && dp->kind == IL_DECL_FUNCTION && dp->fn <= 0)
    return c_external_call(f, k, d); /* defined in another translation unit */
  if (k->local_call && k->out_arg1) {
    uint8_t arg1 = 0;
    fval v = dp->fn > 0 ? out_summary(F, dp->fn, depth + 1, &arg1) : none();
    return arg1 == k->out_arg1 ? v : none();
  }
  if (k->local_call)
    return dp->fn > 0 ? summary(F, dp->fn, depth + 1) : none();
  if (k->from && dp->kind == IL_DECL_IMPORT && !dp->type_only)
    return imported_call(f, k, d);
  return none();
}

/* The value of a binding named in a function: what initializes it, when that is
 * made in a function (a module-level binding is shared already, and the rules
 * about module state report it). */
static bool better(const fval *a, const fval *b);
static fval assigned_value(flow *F, int32_t d, int depth);

static fval decl_value(flow *F, int32_t d, int depth) {
  const il_facts *f = F->f;
  if (d < 0)
    return none();
  const il_decl *dp = &f->decls.data[d];
  if (dp->kind == IL_DECL_IMPORT || f->scopes.data[dp->scope].at_load)
    return none();
  fval v = dp->init_ctor >= 0 ? ctor_value(F, dp->init_ctor, depth) : none();
  if (F->asg_head && !v.client && !dp->c_static && dp->kind != IL_DECL_PARAM)
    v = assigned_value(F, d, depth); /* C: `c = open(); return c;`, `d->conn = c; return d;` */
  return v;
}

/* C: the best value assigned to local d in its function, or to a member of it
 * (a struct that holds the handle). Memoized; a cycle gives nothing. */
static fval assigned_value(flow *F, int32_t d, int depth) {
  if (F->dstate[d] == 2)
    return F->dsum[d];
  if (F->dstate[d] == 1 || depth > MAX_DEPTH)
    return none();
  F->dstate[d] = 1;
  fval best = none();
  for (int32_t i = F->asg_head[d]; i >= 0; i = F->asg_next[i]) {
    const il_assign *a = &F->f->assigns.data[i];
    fval v = a->value_ctor >= 0 ? ctor_value(F, a->value_ctor, depth + 1)
                                : decl_value(F, a->value_decl, depth + 1);
    if (better(&v, &best))
      best = v;
  }
  F->dsum[d] = best;
  F->dstate[d] = 2;
  return best;
}

/* C: the client function s leaves in one of its pointer-to-pointer parameters
 * (`*out = c`, `sqlite3_open(path, out)`, `open_inner(out)`), and which one. */
static fval out_summary(flow *F, int32_t s, int depth, uint8_t *arg1) {
  *arg1 = 0;
  if (!F->asg_head)
    return none();
  if (F->out_state[s] == 2) {
    *arg1 = F->out_arg1[s];
    return F->out_sum[s];
  }
  if (F->out_state[s] == 1 || depth > MAX_DEPTH)
    return none();
  F->out_state[s] = 1;
  const il_facts *f = F->f;
  fval best = none();
  uint8_t best_arg = 0;
  uint32_t pos = 0;
  for (uint32_t d = F->pfirst[s] < 0 ? f->decls.len : (uint32_t)F->pfirst[s]; d < f->decls.len;
       d++) {
    const il_decl *dp = &f->decls.data[d];
    if (dp->scope != s || dp->kind != IL_DECL_PARAM)
      break;
    pos++;
    for (int32_t i = F->asg_head[d]; i >= 0 && pos < 256; i = F->asg_next[i]) {
      const il_assign *a = &f->assigns.data[i];
      if (a->target != IL_TARGET_NAME)
        continue;
      fval v = a->value_ctor >= 0 ? ctor_value(F, a->value_ctor, depth + 1)
                                  : decl_value(F, a->value_decl, depth + 1);
      if (better(&v, &best) && v.client) {
        best = v;
        best_arg = (uint8_t)pos;
      }
    }
  }
  F->out_sum[s] = best;
  F->out_arg1[s] = best_arg;
  F->out_state[s] = 2;
  *arg1 = best_arg;
  return best;
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
  bool c = f->lang == IL_LANG_C && f->scopes.len > 1;
  if (!f->rets.len && !c)
    return false;
  if (c) {
    uint32_t ns = f->scopes.len, nd = f->decls.len, na = f->assigns.len;
    F->asg_head = il_xmalloc((nd + 1) * sizeof *F->asg_head);
    F->asg_next = il_xmalloc((na + 1) * sizeof *F->asg_next);
    F->out_state = il_xcalloc(ns, 1);
    F->out_arg1 = il_xcalloc(ns, 1);
    F->out_sum = il_xmalloc(ns * sizeof *F->out_sum);
    F->dstate = il_xcalloc(nd + 1, 1);
    F->dsum = il_xmalloc((nd + 1) * sizeof *F->dsum);
    F->pfirst = il_xmalloc(ns * sizeof *F->pfirst);
    for (uint32_t i = 0; i < ns; i++)
      F->pfirst[i] = -1;
    for (uint32_t d = 0; d < nd; d++) {
      F->asg_head[d] = -1;
      const il_decl *dp = &f->decls.data[d];
      if (dp->kind == IL_DECL_PARAM && dp->scope > 0 && (uint32_t)dp->scope < ns &&
          F->pfirst[dp->scope] < 0)
        F->pfirst[dp->scope] = (int32_t)d;
    }
    for (uint32_t i = na; i-- > 0;) {
      int32_t d = f->assigns.data[i].decl;
      F->asg_next[i] = -1;
      if (d < 0 || (uint32_t)d >= nd)
        continue;
      F->asg_next[i] = F->asg_head[d];
      F->asg_head[d] = (int32_t)i;
    }
  }
  uint32_t ns = f->scopes.len;
  F->ret_head = il_xmalloc(ns * sizeof *F->ret_head);
  F->ret_next = il_xmalloc((f->rets.len + 1) * sizeof *F->ret_next);
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
  free(F->asg_head);
  free(F->asg_next);
  free(F->out_state);
  free(F->out_arg1);
  free(F->out_sum);
  free(F->dstate);
  free(F->dsum);
  free(F->pfirst);
}

bool il_flow_apply(il_facts *f) {
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
      v = ctor_value(&F, (int32_t)i, -1);
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
  if (!flow_init(&F, f))
    return;
  bool c = f->lang == IL_LANG_C;
  for (uint32_t d = 0; d < f->decls.len * (c ? 2u : 1u); d++) {
    /* C: each function (not `static`: those stay in their translation unit) twice,
     * for what it returns, then for what it leaves in an out-parameter */
    bool out = d >= f->decls.len;
    const il_decl *dp = &f->decls.data[out ? d - f->decls.len : d];
    if (dp->scope != 0 || dp->fn <= 0 || (c && !dp->exported))
      continue;
    uint8_t arg1 = 0;
    fval v = out ? out_summary(&F, dp->fn, 0, &arg1) : summary(&F, dp->fn, 0);
    if (!v.client && (v.import < 0 || (c && out)))
      continue;
    il_fsum s = {.decl = (int32_t)(dp - f->decls.data), .import = -1, .out_arg1 = arg1};
    if (v.client && v.origin >= 0) {
      const il_ctor *o = &f->ctors.data[v.origin];
      s.client = v.client;
      s.module = v.module;
      s.level = v.level;
      s.origin = o->span;
      il_location l = il_make_location(f, o->span);
      s.start_col16 = l.start_col16;
      s.end_col16 = l.end_col16;
      s.message = arg1 ? il_arena_printf(f->arena, "'%s' built here, left in parameter %u of '%s'",
                                         v.client->name, (unsigned)arg1, dp->name)
                       : il_arena_printf(f->arena, "'%s' built here, returned by '%s'",
                                         v.client->name, dp->name);
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
