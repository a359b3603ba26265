/* Value flow within a file: function summaries and their application at calls
 * (flow/values.h). Linear in the facts: the returns are chained by function once,
 * each function is summarized once (memoized; a function met again while its own
 * summary is computed, recursion, gives nothing), calls are looked at once. */
#include "flow/values.h"

#include <stdlib.h>
#include <string.h>

#include "base/config.h"

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
  uint8_t import_arg1; /* C, with import: what it leaves in this (1-based) argument instead */
  const char *member;
  bool passes;     /* no client: a parameter of the function (what the call is given) */
  bool held;       /* the client was handed to a call flow knows nothing of, which holds it */
} fval;

typedef struct {
  il_facts *f;
  int32_t cur;       /* the function summary() is summarizing (its parameters pass), -1 */
  int32_t *ret_head; /* by scope: first return of the function, -1 */
  int32_t *ret_next; /* by return: the next return of the same function, -1 */
  uint8_t *state;    /* by scope: 0 not summarized, 1 in progress, 2 done */
  fval *sum;         /* by scope */
  /* what running a function builds (builds_of), made on first use: */
  int32_t *ctor_head, *ctor_next; /* constructions and calls, chained by scope */
  int32_t *kid_head, *kid_next;   /* function scopes, chained by parent */
  uint8_t *bstate;
  fval *bsum;
  /* the arguments of each call (arg_value), made on first use: */
  int32_t *kid_ctor_head, *kid_ctor_next; /* constructions by the construction holding them */
  int32_t *ref_head, *ref_next;           /* references by the construction holding them */
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

/* Items [0, n) of f chained by a key in [0, n_keys) (key < 0: left out): *head holds
 * each key's first item, *next the item after each with the same key, in item order;
 * -1 ends a chain. Every index this file walks "by scope" or "by holder" is one. */
typedef int32_t (*key_of)(const il_facts *f, uint32_t i);

static void chain(const il_facts *f, uint32_t n_keys, uint32_t n, key_of key, int32_t **head,
                  int32_t **next) {
  *head = il_xmalloc((n_keys + 1) * sizeof **head);
  *next = il_xmalloc((n + 1) * sizeof **next);
  for (uint32_t k = 0; k < n_keys; k++)
    (*head)[k] = -1;
  for (uint32_t i = n; i-- > 0;) {
    int32_t k = key(f, i);
    (*next)[i] = k >= 0 ? (*head)[k] : -1;
    if (k >= 0)
      (*head)[k] = (int32_t)i;
  }
}

static int32_t ret_scope(const il_facts *f, uint32_t i) { return f->rets.data[i].scope; }
static int32_t ctor_scope(const il_facts *f, uint32_t i) { return f->ctors.data[i].scope; }
static int32_t ctor_outer(const il_facts *f, uint32_t i) { return f->ctors.data[i].outer; }
static int32_t ref_in_ctor(const il_facts *f, uint32_t i) { return f->refs.data[i].in_ctor; }
static int32_t scope_parent(const il_facts *f, uint32_t i) {
  return i ? f->scopes.data[i].parent : -1;
}
/* the callees of the calls made in each scope: the call graph */
static int32_t called_ref_scope(const il_facts *f, uint32_t i) {
  return f->refs.data[i].called ? f->refs.data[i].scope : -1;
}
static int32_t assign_decl(const il_facts *f, uint32_t i) {
  int32_t d = f->assigns.data[i].decl;
  return d >= 0 && (uint32_t)d < f->decls.len ? d : -1;
}

static fval none(void) {
  fval v = {.origin = -1, .xorigin = -1, .import = -1};
  return v;
}

/* The better of two values: a client over none, the higher level, else the first. */
static bool better(const fval *a, const fval *b) {
  if (a->client)
    return !b->client || a->level > b->level;
  if (b->client)
    return false;
  if (a->passes)
    return !b->passes;
  return !b->passes && b->import < 0 && a->import >= 0;
}

static fval summary(flow *F, int32_t s, int depth);
static fval arg_value(flow *F, int32_t c, int depth);
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
  /* before the cross-file pass: "what extern function d returns", or leaves in its
   * out_arg1-th argument (a chain of wrappers across files: the summary says so, and
   * the pass follows it) */
  fval v = none();
  v.import = d;
  v.import_arg1 = k->out_arg1;
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
    if (x->decl != d || !x->client ||
        (x->member ? !member || strcmp(x->member, member) != 0 : member != NULL))
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

/* Does call record k of an imported callee without a client (no knowledge-base row, no
 * summary) hold what its arguments hold (il_hold: `new Wrapper(client)` by default;
 * with "all", also a call of a function imported from a package)? */
static bool holds(const il_facts *f, const il_ctor *k, const il_decl *dp) {
  if (f->unknown_calls == IL_HOLD_NONE || k->program)
    return false;
  if (k->is_new)
    return true;
  return f->unknown_calls == IL_HOLD_ALL && dp->module && dp->module[0] != '.' &&
         dp->module[0] != '/';
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
  if (k->local_call) {
    fval v = dp->fn > 0 ? summary(F, dp->fn, depth + 1) : none();
    /* `wrap(x) => ({ x })`: the call holds what its arguments hold */
    return v.passes ? arg_value(F, c, depth + 1) : v;
  }
  if (k->from && dp->kind == IL_DECL_IMPORT && !dp->type_only) {
    fval v = imported_call(f, k, d);
    if (!v.client && holds(f, k, dp)) { /* `new Wrapper(client)`: isolint.json unknownCalls */
      fval a = arg_value(F, c, depth + 1);
      if (a.client) {
        a.held = true;
        return a;
      }
    }
    return v;
  }
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
  if (dp->kind == IL_DECL_PARAM && f->lang != IL_LANG_C) {
    /* a parameter of the function being summarized passes through; one of an enclosing
     * function (a closure's) is not what a call of this one is given */
    fval v = none();
    v.passes = F->cur >= 0 && dp->scope == F->cur;
    return v;
  }
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
      if (better(&v, &best) && (v.client || v.import >= 0)) {
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

/* What the arguments of call c hold: the best value of the constructions and calls
 * directly in them and of the bindings they name. */
static fval arg_value(flow *F, int32_t c, int depth) {
  const il_facts *f = F->f;
  if (depth > MAX_DEPTH)
    return none();
  if (!F->kid_ctor_head) {
    chain(f, f->ctors.len, f->ctors.len, ctor_outer, &F->kid_ctor_head, &F->kid_ctor_next);
    chain(f, f->ctors.len, f->refs.len, ref_in_ctor, &F->ref_head, &F->ref_next);
  }
  fval best = none();
  for (int32_t a = F->kid_ctor_head[c]; a >= 0; a = F->kid_ctor_next[a]) {
    if (f->ctors.data[a].program)
      continue;
    fval v = ctor_value(F, a, depth + 1);
    if (better(&v, &best))
      best = v;
  }
  for (int32_t r = F->ref_head[c]; r >= 0; r = F->ref_next[r]) {
    if (f->refs.data[r].called)
      continue;
    fval v = decl_value(F, il_facts_ref_decl(f, &f->refs.data[r]), depth + 1);
    if (better(&v, &best))
      best = v;
  }
  return best;
}

static fval summary(flow *F, int32_t s, int depth) {
  if (F->state[s] == 2)
    return F->sum[s];
  if (F->state[s] == 1 || depth > MAX_DEPTH)
    return none(); /* recursion, or too deep: nothing */
  F->state[s] = 1;
  int32_t saved = F->cur;
  F->cur = s;
  fval best = none();
  for (int32_t r = F->ret_head[s]; r >= 0; r = F->ret_next[r]) {
    const il_ret *rt = &F->f->rets.data[r];
    fval v = rt->value_ctor >= 0 ? ctor_value(F, rt->value_ctor, depth)
                                 : decl_value(F, rt->value_decl, depth);
    if (better(&v, &best))
      best = v;
  }
  F->cur = saved;
  F->sum[s] = best;
  F->state[s] = 2;
  return best;
}

/* false (and nothing to free) when f has no return and no call value flow can follow */
static bool flow_init(flow *F, il_facts *f) {
  memset(F, 0, sizeof *F);
  F->f = f;
  F->cur = -1;
  bool c = f->lang == IL_LANG_C && f->scopes.len > 1, calls = c;
  for (uint32_t i = 0; i < f->ctors.len && !calls; i++) {
    const il_ctor *k = &f->ctors.data[i];
    calls = k->local_call || (k->from && !k->client && f->unknown_calls != IL_HOLD_NONE &&
                              (k->is_new || f->unknown_calls == IL_HOLD_ALL) &&
                              !f->scopes.data[k->scope].at_load);
  }
  if (!f->rets.len && !calls)
    return false;
  if (c) {
    uint32_t ns = f->scopes.len, nd = f->decls.len, na = f->assigns.len;
    chain(f, nd, na, assign_decl, &F->asg_head, &F->asg_next);
    F->out_state = il_xcalloc(ns, 1);
    F->out_arg1 = il_xcalloc(ns, 1);
    F->out_sum = il_xmalloc(ns * sizeof *F->out_sum);
    F->dstate = il_xcalloc(nd + 1, 1);
    F->dsum = il_xmalloc((nd + 1) * sizeof *F->dsum);
    F->pfirst = il_xmalloc(ns * sizeof *F->pfirst);
    for (uint32_t i = 0; i < ns; i++)
      F->pfirst[i] = -1;
    for (uint32_t d = 0; d < nd; d++) {
      const il_decl *dp = &f->decls.data[d];
      if (dp->kind == IL_DECL_PARAM && dp->scope > 0 && (uint32_t)dp->scope < ns &&
          F->pfirst[dp->scope] < 0)
        F->pfirst[dp->scope] = (int32_t)d;
    }
  }
  uint32_t ns = f->scopes.len;
  chain(f, ns, f->rets.len, ret_scope, &F->ret_head, &F->ret_next);
  F->state = il_xcalloc(ns, 1);
  F->sum = il_xmalloc(ns * sizeof *F->sum);
  return true;
}

static void flow_fini(flow *F) {
  free(F->ret_head);
  free(F->ret_next);
  free(F->state);
  free(F->sum);
  free(F->ctor_head);
  free(F->ctor_next);
  free(F->kid_head);
  free(F->kid_next);
  free(F->bstate);
  free(F->bsum);
  free(F->kid_ctor_head);
  free(F->kid_ctor_next);
  free(F->ref_head);
  free(F->ref_next);
  free(F->asg_head);
  free(F->asg_next);
  free(F->out_state);
  free(F->out_arg1);
  free(F->out_sum);
  free(F->dstate);
  free(F->dsum);
  free(F->pfirst);
}

/* The client running function s builds: a client construction in its body or in a
 * function nested in it (a callback it hands on, as `Effect.tryPromise(async () =>
 * new Pool())`; not a request handler), or what the functions it calls by name
 * return or build. Memoized per scope; recursion gives nothing. */
static fval builds_of(flow *F, int32_t s, int depth) {
  const il_facts *f = F->f;
  if (!F->bstate) {
    uint32_t ns = f->scopes.len;
    chain(f, ns, f->ctors.len, ctor_scope, &F->ctor_head, &F->ctor_next);
    chain(f, ns, ns, scope_parent, &F->kid_head, &F->kid_next);
    F->bstate = il_xcalloc(ns, 1);
    F->bsum = il_xmalloc(ns * sizeof *F->bsum);
  }
  if (F->bstate[s] == 2)
    return F->bsum[s];
  if (F->bstate[s] == 1 || depth > MAX_DEPTH)
    return none();
  F->bstate[s] = 1;
  fval best = none();
  for (int32_t c = F->ctor_head[s]; c >= 0; c = F->ctor_next[c]) {
    const il_ctor *k = &f->ctors.data[c];
    fval v = none();
    if (k->client && !k->program) {
      v = ctor_value(F, c, depth);
    } else if (k->local_call) {
      int32_t d = il_facts_lookup(f, k->scope, k->root);
      int32_t fn = d >= 0 ? f->decls.data[d].fn : 0;
      if (fn > 0) {
        v = summary(F, fn, depth + 1);
        if (!v.client)
          v = builds_of(F, fn, depth + 1);
      }
    }
    if (v.client && better(&v, &best))
      best = v;
  }
  for (int32_t t = F->kid_head[s]; t >= 0; t = F->kid_next[t]) {
    if (f->scopes.data[t].is_handler || f->scopes.data[t].kind != IL_SCOPE_FUNCTION)
      continue;
    fval v = builds_of(F, t, depth + 1);
    if (v.client && better(&v, &best))
      best = v;
  }
  F->bsum[s] = best;
  F->bstate[s] = 2;
  return best;
}

/* Which functions run while the module loads: those a call at load names (a named
 * callback of `[a].forEach(setup)` is such a call: the front-end records it), the
 * functions written as arguments of a call at load of a function of the file that
 * calls its parameter (`init(() => ...)`), the constructor and field initializers of a
 * class of the file instantiated at load, then, breadth first, the functions they
 * call by name (the call graph of `called` references; callbacks they hand to other
 * calls inside functions are not followed). */
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
  /* `export const db = new Db()`: Db's constructor and field initializers run at load */
  int32_t *new_at = NULL; /* by class declaration: a `new` of it at load, -1 */
  for (uint32_t i = 0; i < f->calls.len; i++) {
    const il_call *c = &f->calls.data[i];
    if (!c->is_new || c->path[0] || c->decl < 0 || !f->scopes.data[c->scope].at_load ||
        f->decls.data[c->decl].kind != IL_DECL_CLASS)
      continue;
    if (!new_at) {
      new_at = il_xmalloc(f->decls.len * sizeof *new_at);
      for (uint32_t d = 0; d < f->decls.len; d++)
        new_at[d] = -1;
    }
    if (new_at[c->decl] < 0)
      new_at[c->decl] = (int32_t)i;
  }
  for (uint32_t s = 1; new_at && s < ns; s++) {
    il_scope *sp = &f->scopes.data[s];
    if (!sp->is_instance || sp->class_decl < 0 || new_at[sp->class_decl] < 0 ||
        sp->load_site >= 0 || sp->at_load ||
        (strcmp(sp->name, "constructor") != 0 && strcmp(sp->name, "<field initializer>") != 0))
      continue;
    if (!queue)
      queue = il_xmalloc(ns * sizeof *queue);
    sp->load_site = new_at[sp->class_decl];
    queue[qn++] = (int32_t)s;
  }
  free(new_at);
  /* `init(() => ...)`: the callback runs when init calls one of its parameters */
  uint8_t *calls_param = NULL;
  for (uint32_t s = 1; s < ns; s++) {
    int32_t cb = f->scopes.data[s].cb_call;
    if (cb < 0 || (uint32_t)cb >= f->calls.len || f->calls.data[cb].decl < 0 ||
        f->scopes.data[s].load_site >= 0)
      continue;
    int32_t fn = f->decls.data[f->calls.data[cb].decl].fn;
    if (fn <= 0)
      continue;
    if (!calls_param) {
      calls_param = il_xcalloc(ns, 1);
      for (uint32_t r = 0; r < f->refs.len; r++) {
        const il_ref *rf = &f->refs.data[r];
        int32_t d = rf->called ? il_facts_ref_decl(f, rf) : -1;
        if (d >= 0 && f->decls.data[d].kind == IL_DECL_PARAM &&
            f->decls.data[d].scope == rf->scope)
          calls_param[rf->scope] = 1;
      }
    }
    if (!calls_param[fn])
      continue;
    if (!queue)
      queue = il_xmalloc(ns * sizeof *queue);
    f->scopes.data[s].load_site = cb;
    queue[qn++] = (int32_t)s;
  }
  free(calls_param);
  if (!queue)
    return;
  chain(f, ns, f->refs.len, called_ref_scope, &head, &next);
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

/* `export const config = await loadConfig()` with loadConfig imported from a file
 * where calling it fetches: the call at load does what the function does. */
static void imported_ops(il_facts *f) {
  for (uint32_t i = 0; i < f->calls.len; i++) {
    il_call *c = &f->calls.data[i];
    if (c->op != IL_OP_NONE || c->is_new || c->decl < 0 || !f->scopes.data[c->scope].at_load)
      continue;
    const il_decl *d = &f->decls.data[c->decl];
    bool star = d->kind == IL_DECL_IMPORT && strcmp(d->imported, "*") == 0;
    const char *member = star ? c->path : NULL;
    if (d->kind != IL_DECL_IMPORT || (star ? !*c->path || strchr(c->path, '.') : *c->path != 0))
      continue;
    for (uint32_t k = 0; k < f->xcalls.len; k++) {
      const il_xcall *x = &f->xcalls.data[k];
      if (x->decl != c->decl || x->op == IL_OP_NONE ||
          (x->member ? !member || strcmp(x->member, member) != 0 : member != NULL))
        continue;
      c->op = x->op;
      c->xstep = x->op_step;
      break;
    }
  }
}

/* Call k holds v's client (program: built by what the call returns, when it runs). */
static void give(il_facts *f, il_ctor *k, const fval *v, bool program) {
  k->client = v->client;
  k->module = v->module;
  k->level = v->level;
  k->origin = v->origin;
  k->xorigin = v->xorigin;
  k->via = *k->path ? il_arena_printf(f->arena, "%s.%s", k->root, k->path) : k->root;
  k->program = program;
  k->held = v->held;
}

bool il_flow_apply(il_facts *f) {
  load_reach(f);
  if (f->xcalls.len)
    imported_ops(f);
  flow F;
  bool have_flow = flow_init(&F, f);
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
    /* an imported callee: given a client by the cross-file pass, or holding what it is
     * handed (unknownCalls) where it is stored or wrapped, off load */
    bool may_hold = have_flow && f->unknown_calls != IL_HOLD_NONE &&
                    (k->is_new || f->unknown_calls == IL_HOLD_ALL) &&
                    (k->decl >= 0 || k->assign >= 0 || k->outer >= 0) &&
                    !f->scopes.data[k->scope].at_load;
    if (k->client || !(k->local_call ? have_flow : k->from && (f->xcalls.len || may_hold)))
      continue;
    fval v;
    if (k->local_call) {
      v = ctor_value(&F, (int32_t)i, -1);
    } else {
      int32_t d = il_facts_lookup(f, k->scope, k->root);
      v = d < 0 || f->decls.data[d].kind != IL_DECL_IMPORT ? none() : imported_call(f, k, d);
      /* what it holds (unknownCalls) matters where it is stored or wrapped, not at load */
      if (!v.client && d >= 0 && may_hold)
        v = ctor_value(&F, (int32_t)i, -1);
    }
    /* a client handed to a wrapper at load is reported where it is built */
    if (!v.client || (v.held && f->scopes.data[k->scope].at_load))
      continue;
    give(f, k, &v, false);
    any = true;
  }
  /* a call handed directly to a construction (not a value stored or returned) whose
   * function returns no client but builds one when what it returns runs:
   * `Effect.acquireRelease(acquirePool(url), ...)` */
  bool *is_value = NULL;
  for (uint32_t i = 0; have_flow && f->lang != IL_LANG_C && i < f->ctors.len; i++) {
    il_ctor *k = &f->ctors.data[i];
    if (k->client || !k->local_call || k->decl >= 0 || k->assign >= 0 || k->outer < 0)
      continue;
    if (!is_value) {
      is_value = il_xcalloc(f->ctors.len, sizeof *is_value);
      for (uint32_t r = 0; r < f->rets.len; r++)
        if (f->rets.data[r].value_ctor >= 0)
          is_value[f->rets.data[r].value_ctor] = true;
    }
    if (is_value[i])
      continue;
    int32_t d = il_facts_lookup(f, k->scope, k->root);
    int32_t fn = d >= 0 ? f->decls.data[d].fn : 0;
    fval v = fn > 0 ? builds_of(&F, fn, 0) : none();
    if (!v.client)
      continue;
    give(f, k, &v, true);
    any = true;
  }
  free(is_value);
  if (have_flow)
    flow_fini(&F);
  if (any)
    il_facts_relink(f);
  return any;
}

bool il_flow_feeds(const il_facts *f) {
  for (uint32_t i = 0; i < f->fsums.len; i++) {
    const il_fsum *s = &f->fsums.data[i];
    if (s->client || s->op == IL_OP_FETCH || s->op == IL_OP_CONNECT)
      return true;
  }
  return false;
}

/* The load-time operations a function does when it runs, in its body or in the
 * functions it calls by name: memoized per function, recursion gives nothing. */
typedef struct {
  const il_facts *f;
  int32_t *call_head, *call_next; /* calls with an operation, chained by scope */
  int32_t *ref_head, *ref_next;   /* called references, chained by scope */
  int32_t *op;                    /* by scope: a call doing an operation, -1 */
  uint8_t *state;
} opflow;

static bool load_op(il_load_op op) {
  return op == IL_OP_RANDOM || op == IL_OP_FETCH || op == IL_OP_CONNECT || op == IL_OP_TIMER ||
         op == IL_OP_ABORT;
}

static int32_t op_of(opflow *O, int32_t s, int depth) {
  if (O->state[s] == 2)
    return O->op[s];
  if (O->state[s] == 1 || depth > MAX_DEPTH)
    return -1;
  O->state[s] = 1;
  int32_t best = O->call_head[s];
  for (int32_t r = O->ref_head[s]; r >= 0 && best < 0; r = O->ref_next[r]) {
    int32_t d = il_facts_ref_decl(O->f, &O->f->refs.data[r]);
    int32_t fn = d >= 0 ? O->f->decls.data[d].fn : 0;
    if (fn > 0)
      best = op_of(O, fn, depth + 1);
  }
  O->op[s] = best;
  O->state[s] = 2;
  return best;
}

static int32_t op_call_scope(const il_facts *f, uint32_t i) {
  return load_op(f->calls.data[i].op) ? f->calls.data[i].scope : -1;
}

static bool opflow_init(opflow *O, const il_facts *f) {
  memset(O, 0, sizeof *O);
  O->f = f;
  bool any = false;
  for (uint32_t i = 0; i < f->calls.len && !any; i++)
    any = load_op(f->calls.data[i].op) && !f->scopes.data[f->calls.data[i].scope].at_load;
  if (!any)
    return false;
  uint32_t ns = f->scopes.len;
  chain(f, ns, f->calls.len, op_call_scope, &O->call_head, &O->call_next);
  chain(f, ns, f->refs.len, called_ref_scope, &O->ref_head, &O->ref_next);
  O->op = il_xmalloc(ns * sizeof *O->op);
  O->state = il_xcalloc(ns, 1);
  return true;
}

static void opflow_fini(opflow *O) {
  free(O->call_head);
  free(O->call_next);
  free(O->ref_head);
  free(O->ref_next);
  free(O->op);
  free(O->state);
}

static const char *const op_words[] = {
    [IL_OP_RANDOM] = "random values", [IL_OP_FETCH] = "a fetch subrequest",
    [IL_OP_CONNECT] = "a TCP socket", [IL_OP_TIMER] = "a timer",
    [IL_OP_ABORT] = "an AbortController"};

void il_flow_summarize(il_facts *f) {
  f->fsums.len = 0;
  flow F;
  opflow O;
  bool c = f->lang == IL_LANG_C;
  bool have_flow = flow_init(&F, f), have_ops = !c && opflow_init(&O, f);
  if (!have_flow && !have_ops)
    return;
  for (uint32_t d = 0; d < f->decls.len * (c ? 2u : 1u); d++) {
    /* C: each function (not `static`: those stay in their translation unit) twice,
     * for what it returns, then for what it leaves in an out-parameter */
    bool out = d >= f->decls.len;
    const il_decl *dp = &f->decls.data[out ? d - f->decls.len : d];
    if (dp->scope != 0 || dp->fn <= 0 || (c && !dp->exported))
      continue;
    uint8_t arg1 = 0;
    fval v = !have_flow ? none() : out ? out_summary(&F, dp->fn, 0, &arg1) : summary(&F, dp->fn, 0);
    int32_t op = have_ops && !out ? op_of(&O, dp->fn, 0) : -1;
    if (c && out && !v.client && v.import < 0)
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
    } else if (!v.client && v.import >= 0) {
      s.import = v.import;
      s.import_arg1 = v.import_arg1;
      s.member = v.member;
    }
    if (op >= 0) {
      const il_call *oc = &f->calls.data[op];
      s.op = oc->op;
      s.op_span = oc->span;
      il_location l = il_make_location(f, oc->span);
      s.op_col16 = l.start_col16;
      s.op_end_col16 = l.end_col16;
      s.op_message = il_arena_printf(f->arena, "%s here, when '%s' runs", op_words[oc->op],
                                     dp->name);
    }
    if (s.client || s.import >= 0 || s.op != IL_OP_NONE)
      il_array_push(&f->fsums, s);
  }
  if (have_flow)
    flow_fini(&F);
  if (have_ops)
    opflow_fini(&O);
}
