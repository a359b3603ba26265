/* boot-time-layer: an Effect layer that opens connections, built once per isolate
 * by a boot sink (toWebHandler, ManagedRuntime.make, Layer.launch, a module-level
 * Effect run, HttpRouter.provideRequest) and then shared by every request.
 *
 * Works on composition nodes (il_lnode): from each sink, follows its layer
 * argument through module-level const bindings, member bindings (`Db.Live`: a
 * class static field, an object namespace's property, an Effect service class's
 * Default / make), `.pipe`, Layer.provide / provideMerge / merge / mergeAll and
 * Effect.provide to the leaves, and reports a leaf that acquires I/O: a known SQL
 * client layer, or a Layer.effect / scoped / sync or Effect service class factory
 * whose body builds a knowledge-base client. Linear in the facts: every node
 * is visited at most once per sink, and sinks are few. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rule_util.h"

enum { MAX_DEPTH = 32, MAX_VISIT = 4096, MAX_OUTER = 16, NAME_MAX_LEN = 64 };

typedef enum {
  C_OTHER = 0,
  C_SINK,        /* builds its layer argument once */
  C_PROVIDE_REQ, /* HttpRouter.provideRequest(L): built with the router, once */
  C_COMPOSE,     /* passes its layer arguments through */
  C_SQL_LAYER,   /* PgClient.layer*, MysqlClient.layer*, LibsqlClient.layer* */
  C_USER_LAYER,  /* Layer.effect / scoped / sync..., an Effect.Service class factory: acquires
                    I/O if its body builds a client */
} call_class;

typedef struct {
  call_class cls;
  int32_t layer_arg; /* sinks: the argument holding the layer, -1: every argument */
  bool service;      /* C_USER_LAYER: an Effect service class factory */
  char ns[NAME_MAX_LEN], member[NAME_MAX_LEN];
} call_info;

static bool effect_module(const char *m) {
  return strcmp(m, "effect") == 0 || strncmp(m, "effect/", 7) == 0 ||
         strncmp(m, "@effect/", 8) == 0;
}

static bool in_set(const char *s, const char *const *set) {
  for (; *set; set++)
    if (strcmp(s, *set) == 0)
      return true;
  return false;
}

/* "Namespace.member" of an imported callee: the last two segments of the export
 * path, with the module's last path segment as the namespace when the import
 * already names the namespace (`import * as Layer from "effect/Layer"`). */
static bool canonical(const il_ctor *k, char *ns, char *member) {
  ns[0] = member[0] = '\0';
  if (!k->from || !k->export_path)
    return false;
  const char *p = k->export_path;
  const char *last = strrchr(p, '.');
  if (last) {
    const char *prev = last;
    while (prev > p && prev[-1] != '.')
      prev--;
    size_t n = (size_t)(last - prev);
    if (n >= NAME_MAX_LEN || strlen(last + 1) >= NAME_MAX_LEN)
      return false;
    memcpy(ns, prev, n);
    ns[n] = '\0';
    strcpy(member, last + 1);
    return true;
  }
  const char *base = strrchr(k->from, '/');
  base = base ? base + 1 : k->from;
  if (strlen(base) >= NAME_MAX_LEN || strlen(p) >= NAME_MAX_LEN)
    return false;
  strcpy(ns, base);
  strcpy(member, p);
  return true;
}

static call_info classify(const il_ctor *k) {
  call_info ci = {C_OTHER, -1, false, "", ""};
  if (!canonical(k, ci.ns, ci.member))
    return ci;
  const char *ns = ci.ns, *m = ci.member;
  if (strncmp(k->from, "@effect/sql-", 12) == 0) {
    static const char *const sql_clients[] = {"PgClient", "MysqlClient", "LibsqlClient", NULL};
    if (in_set(ns, sql_clients) && strncmp(m, "layer", 5) == 0)
      ci.cls = C_SQL_LAYER;
    return ci;
  }
  if (!effect_module(k->from))
    return ci;
  static const char *const routers[] = {"HttpRouter", "HttpLayerRouter", "HttpApiBuilder", NULL};
  static const char *const apps[] = {"HttpApp", "HttpEffect", NULL};
  static const char *const layer_sinks[] = {"toRuntime", "toRuntimeWithMemoMap", "launch",
                                            "memoize", NULL};
  static const char *const runs[] = {"runSync",        "runPromise", "runSyncExit",
                                     "runPromiseExit", "runFork",    NULL};
  static const char *const composes[] = {"provide", "provideMerge", "merge", "mergeAll",
                                         "fresh",   "orDie",        NULL};
  static const char *const service_ns[] = {"Effect", "Context", "ServiceMap", NULL};
  static const char *const user_layers[] = {
      "effect",        "scoped",        "sync",         "effectDiscard", "scopedDiscard",
      "effectContext", "scopedContext", "effectServices", "syncContext", NULL};
  if (in_set(ns, routers) && strcmp(m, "toWebHandler") == 0) {
    ci.cls = C_SINK;
    ci.layer_arg = 0;
  } else if (in_set(ns, apps) &&
             (strcmp(m, "toWebHandlerLayer") == 0 || strcmp(m, "toWebHandlerLayerWith") == 0)) {
    ci.cls = C_SINK;
    ci.layer_arg = 1;
  } else if (strcmp(ns, "ManagedRuntime") == 0 && strcmp(m, "make") == 0) {
    ci.cls = C_SINK;
    ci.layer_arg = 0;
  } else if (strcmp(ns, "Layer") == 0 && in_set(m, layer_sinks)) {
    ci.cls = C_SINK;
    ci.layer_arg = 0;
  } else if (strcmp(ns, "Effect") == 0 && in_set(m, runs)) {
    ci.cls = C_SINK;
    ci.layer_arg = 0;
  } else if (strcmp(ns, "HttpRouter") == 0 && strcmp(m, "provideRequest") == 0) {
    ci.cls = C_PROVIDE_REQ;
    ci.layer_arg = 0;
  } else if (strcmp(ns, "Layer") == 0 && in_set(m, composes)) {
    ci.cls = C_COMPOSE;
  } else if (strcmp(ns, "Effect") == 0 && strcmp(m, "provide") == 0) {
    ci.cls = C_COMPOSE;
  } else if (strcmp(ns, "Layer") == 0 && in_set(m, user_layers)) {
    ci.cls = C_USER_LAYER;
  } else if (in_set(ns, service_ns) && strcmp(m, "Service()") == 0) {
    /* `class Db extends Effect.Service<Db>()("Db", { scoped: ... })`: Db.Default */
    ci.cls = C_USER_LAYER;
    ci.service = true;
    ci.member[strlen(ci.member) - 2] = '\0';
  }
  return ci;
}

/* For each construction that is a user layer (Layer.effect...), the knowledge-base
 * client its body builds while the layer is built, or -1. A client counts when
 * every function between it and the layer call is handed directly to a call of
 * that chain (Effect.gen(function* ...), Effect.sync(() => ...), acquireRelease):
 * a client built inside a service method runs per call, not at build. */
static void layer_clients(const il_facts *f, const call_info *info, int32_t *io) {
  for (uint32_t i = 0; i < f->ctors.len; i++)
    io[i] = -1;
  for (uint32_t i = 0; i < f->ctors.len; i++) {
    const il_ctor *k = &f->ctors.data[i];
    if (!k->client)
      continue;
    int32_t chain[MAX_OUTER];
    uint32_t n = 0;
    int32_t s = k->scope;
    for (int32_t o = k->outer; o >= 0 && n < MAX_OUTER; o = f->ctors.data[o].outer) {
      chain[n++] = o;
      const il_ctor *oc = &f->ctors.data[o];
      bool ok = true;
      for (int guard = 0; s != oc->scope && s >= 0 && guard < 64; guard++) {
        const il_scope *sc = &f->scopes.data[s];
        if (sc->kind == IL_SCOPE_FUNCTION) {
          bool on_chain = false;
          for (uint32_t j = 0; j < n; j++)
            on_chain |= sc->arg_of == chain[j];
          if (!on_chain) {
            ok = false;
            break;
          }
        }
        s = sc->parent;
      }
      if (!ok || s != oc->scope)
        break;
      if (info[o].cls == C_USER_LAYER) {
        if (io[o] < 0 || k->level > f->ctors.data[io[o]].level)
          io[o] = (int32_t)i;
        break;
      }
    }
  }
}

/* Is a sink at this construction built once: at load, or stored in module state
 * the first time a function runs (a lazily cached initializer)? */
static bool runs_once(const il_facts *f, const il_ctor *k) {
  if (f->scopes.data[k->scope].at_load)
    return true;
  for (uint32_t i = 0; i < f->assigns.len; i++) {
    const il_assign *a = &f->assigns.data[i];
    bool holds = (k->assign >= 0 && (uint32_t)k->assign == i) ||
                 (k->decl >= 0 && a->value_decl == k->decl);
    if (!holds || a->global)
      continue;
    if (a->target == IL_TARGET_NAME && a->decl >= 0) {
      const il_decl *d = &f->decls.data[a->decl];
      if (f->scopes.data[d->scope].at_load && (d->kind == IL_DECL_LET || d->kind == IL_DECL_VAR))
        return true;
    }
    if (a->target == IL_TARGET_MEMBER && a->decl >= 0 &&
        f->scopes.data[f->decls.data[a->decl].scope].at_load &&
        f->decls.data[a->decl].kind != IL_DECL_PARAM)
      return true;
    if (a->target == IL_TARGET_THIS && f->scopes.data[a->scope].is_static)
      return true;
  }
  for (uint32_t i = 0; i < f->assigns.len; i++)
    if (f->assigns.data[i].global &&
        ((k->assign >= 0 && (uint32_t)k->assign == i) ||
         (k->decl >= 0 && f->assigns.data[i].value_decl == k->decl)))
      return true;
  return false;
}

typedef struct {
  const il_facts *f;
  const call_info *info; /* by construction */
  const int32_t *io;     /* by construction: client a user layer builds */
  int32_t *first_child, *next_sibling; /* by node */
  int32_t *init_node;                  /* by declaration */
  int32_t *via;                        /* by node: node it was reached from, -1 */
  uint32_t *stamp;                     /* by node: search that visited it */
  const bool *barrier;                 /* by node: reported on its own (provideRequest) */
  int32_t *xlayer;                     /* by declaration: its f->xlayers entry (an import), -1 */
} graph;

/* The f->xlayers entry a name node stands for, or -1: an imported binding, or
 * `Imported.member` (a static field of an imported class, a namespace import's export). */
static int32_t xlayer_of(const graph *g, const il_lnode *l) {
  const il_facts *f = g->f;
  if (l->decl >= 0)
    return g->xlayer[l->decl];
  const char *dot = strchr(l->name, '.');
  if (!dot || !f->xlayers.len || (size_t)(dot - l->name) >= NAME_MAX_LEN)
    return -1;
  char root[NAME_MAX_LEN];
  memcpy(root, l->name, (size_t)(dot - l->name));
  root[dot - l->name] = '\0';
  int32_t d = il_facts_lookup(f, l->scope, root);
  for (uint32_t i = 0; d >= 0 && i < f->xlayers.len; i++) {
    const il_xlayer *x = &f->xlayers.data[i];
    if (x->decl == d && x->member && strcmp(x->member, dot + 1) == 0)
      return (int32_t)i;
  }
  return -1;
}

/* The I/O leaf reached from node `start`, or -1; fills g->via along the way.
 * *n_leaves counts every I/O leaf reached. */
static int32_t search(graph *g, int32_t start, uint32_t stamp_id, uint32_t *n_leaves) {
  const il_facts *f = g->f;
  int32_t stack[MAX_VISIT];
  uint8_t depth[MAX_VISIT];
  uint32_t sp = 0, visits = 0;
  int32_t found = -1;
  *n_leaves = 0;
  stack[sp] = start;
  depth[sp++] = 0;
  g->stamp[start] = stamp_id;
  g->via[start] = -1;
  while (sp && visits++ < MAX_VISIT) {
    sp--;
    int32_t x = stack[sp];
    uint8_t dx = depth[sp];
    const il_lnode *l = &f->lnodes.data[x];
    int32_t next[2 * 64 + 2];
    uint32_t nn = 0;
    if (l->is_name) {
      /* an import that is an I/O layer in another file of the scan */
      if (xlayer_of(g, l) >= 0) {
        if (found < 0)
          found = x;
        (*n_leaves)++;
        continue;
      }
      /* a module-level const, or a member binding of a module-level class or object
       * namespace (`DbService.Live`, `Db.Default`): go on with its initializer */
      const il_decl *d = l->decl >= 0 ? &f->decls.data[l->decl] : NULL;
      if (d && (d->kind == IL_DECL_CONST || d->kind == IL_DECL_FIELD) && d->scope == 0 &&
          g->init_node[l->decl] >= 0)
        next[nn++] = g->init_node[l->decl];
    } else {
      const call_info *ci = l->ctor >= 0 ? &g->info[l->ctor] : NULL;
      call_class cls = ci ? ci->cls : C_OTHER;
      if (x != start && g->barrier[x])
        continue;
      if ((cls == C_SQL_LAYER || (cls == C_USER_LAYER && g->io[l->ctor] >= 0))) {
        if (found < 0)
          found = x;
        (*n_leaves)++;
        continue;
      }
      bool pass = l->is_pipe || cls == C_COMPOSE || cls == C_SINK || cls == C_PROVIDE_REQ;
      /* a user layer whose own body builds no client may still be made of a named
       * effect that does: `Layer.effect(this, this.make)` */
      bool names_only = cls == C_USER_LAYER;
      pass |= names_only;
      if (cls == C_COMPOSE && l->local_opts && !f->scopes.data[l->scope].at_load)
        pass = false; /* Effect.provide(L, { local: true }) in a function: a fresh build */
      if (!pass)
        continue;
      int32_t only = x != start || !ci || cls == C_COMPOSE ? -1 : ci->layer_arg;
      if (x != start && (cls == C_SINK || cls == C_PROVIDE_REQ))
        only = ci->layer_arg;
      for (int32_t c = g->first_child[x]; c >= 0 && nn < sizeof next / sizeof next[0];
           c = g->next_sibling[c]) {
        const il_lnode *cl = &f->lnodes.data[c];
        if (only >= 0 && cl->arg_index != only && !(l->is_pipe && cl->arg_index < 0))
          continue;
        if (names_only && !cl->is_name)
          continue;
        next[nn++] = c;
      }
    }
    if (dx + 1 >= MAX_DEPTH)
      continue;
    /* pushed in reverse so the first argument is searched first */
    for (uint32_t i = nn; i-- > 0;) {
      int32_t c = next[i];
      if (g->stamp[c] == stamp_id || sp >= MAX_VISIT)
        continue;
      g->stamp[c] = stamp_id;
      g->via[c] = x;
      stack[sp] = c;
      depth[sp++] = (uint8_t)(dx + 1);
    }
  }
  return found;
}

/* "layer 'DbLive' ('PgClient.layerConfig' from '@effect/sql-pg')" and the level. */
static const char *describe_leaf(const graph *g, int32_t leaf, il_level *level,
                                 const char **client_note) {
  const il_facts *f = g->f;
  const il_lnode *l = &f->lnodes.data[leaf];
  if (l->is_name) {
    const il_xlayer *x = &f->xlayers.data[xlayer_of(g, l)];
    *level = x->level;
    *client_note = x->note;
    return x->desc;
  }
  const il_ctor *k = &f->ctors.data[l->ctor];
  const call_info *ci = &g->info[l->ctor];
  /* the binding that names it: the nearest const on the way from the sink */
  const char *name = NULL;
  for (int32_t x = leaf, steps = 0; x >= 0 && steps < MAX_DEPTH && !name;
       x = g->via[x], steps++) {
    const il_lnode *xl = &f->lnodes.data[x];
    if (xl->init_of >= 0)
      name = f->decls.data[xl->init_of].name;
  }
  const char *what = !name                       ? "a layer"
                     : strcmp(name, "default") == 0 ? "the layer exported as default"
                                                    : il_arena_printf(f->arena, "layer '%s'", name);
  int32_t def = l->init_of;
  if (ci->service && def >= 0 && f->decls.data[def].owner >= 0)
    what = il_arena_printf(f->arena, "the layer of service class '%s'",
                           f->decls.data[f->decls.data[def].owner].name);
  if (ci->cls == C_SQL_LAYER) {
    *level = IL_LEVEL_ERROR;
    *client_note = "whose SQL client opens a connection pool when the layer is built";
    return il_arena_printf(f->arena, "%s ('%s.%s' from '%s')", what, ci->ns, ci->member,
                           k->from);
  }
  const il_ctor *c = &f->ctors.data[g->io[l->ctor]];
  *level = c->level;
  *client_note = il_arena_printf(f->arena, "whose body builds %s", il_ru_client(f, c));
  return il_arena_printf(f->arena, "%s ('%s.%s')", what, ci->ns, ci->member);
}

static const char *sink_effect(const call_info *ci) {
  if (ci->cls == C_PROVIDE_REQ)
    return "builds its layer when the router is built, once at boot, despite its name, and "
           "hands the same services to every request";
  if (strcmp(ci->member, "toWebHandler") == 0 || strncmp(ci->member, "toWebHandlerLayer", 17) == 0)
    return "builds its layer once, on the first request, and serves every later request from "
           "that build";
  if (strcmp(ci->ns, "ManagedRuntime") == 0 || strncmp(ci->member, "toRuntime", 9) == 0)
    return "builds its layer once, on first use, and every request that runs on this runtime "
           "shares it";
  return "builds its layer once, when the module loads, and everything that runs later shares "
         "it";
}

/* The steps from the leaf to `stop` (excluded; -1: to the start of the search):
 * where the layer acquires I/O (for a layer imported from another file, its steps
 * there), then the composition sites on the way, nearest the leaf first. At most
 * max - reserve of them. */
static uint32_t steps(graph *g, int32_t leaf, int32_t stop, const char *leaf_desc, il_rel *rel,
                      uint32_t max, uint32_t reserve) {
  const il_facts *f = g->f;
  const il_lnode *ll = &f->lnodes.data[leaf];
  uint32_t n = 0;
  if (ll->is_name) {
    const il_xlayer *xl = &f->xlayers.data[xlayer_of(g, ll)];
    for (uint32_t i = 0; i < xl->n_steps && n + reserve < max; i++) {
      const il_xuse *u = &f->xuses.data[xl->steps[i]];
      rel[n].span = u->span;
      rel[n++].message = u->message; /* the core takes the path and columns from the use */
    }
  } else {
    rel[n].span = f->ctors.data[ll->ctor].span;
    rel[n++].message = il_arena_printf(f->arena, "%s acquires I/O here", leaf_desc);
  }
  for (int32_t x = g->via[leaf], hops = 0; x >= 0 && x != stop && hops < MAX_DEPTH;
       x = g->via[x], hops++) {
    const il_lnode *xl = &f->lnodes.data[x];
    if (xl->is_name || n + reserve >= max)
      continue;
    const char *what = xl->is_pipe ? "'.pipe'" : "";
    if (!xl->is_pipe && xl->ctor >= 0) {
      const call_info *xi = &g->info[xl->ctor];
      what = il_arena_printf(f->arena, "'%s.%s'", xi->ns, xi->member);
    }
    rel[n].span = xl->span;
    if (!xl->is_pipe && xl->ctor >= 0 && g->info[xl->ctor].service && xl->init_of >= 0 &&
        f->decls.data[xl->init_of].owner >= 0)
      rel[n++].message =
          il_arena_printf(f->arena, "built with service class '%s' as one of its dependencies",
                          f->decls.data[f->decls.data[xl->init_of].owner].name);
    else
      rel[n++].message = il_arena_printf(f->arena, "composed into the layer by %s", what);
  }
  return n;
}

static void report(il_rule_ctx *rc, graph *g, int32_t sink, int32_t leaf, uint32_t n_leaves) {
  const il_facts *f = g->f;
  const il_lnode *sl = &f->lnodes.data[sink];
  const call_info *ci = &g->info[sl->ctor];
  il_level level;
  const char *note;
  const char *leaf_desc = describe_leaf(g, leaf, &level, &note);
  il_rel rel[IL_MAX_REL];
  uint32_t n = steps(g, leaf, sink, leaf_desc, rel, IL_MAX_REL, 1);
  rel[n].span = sl->span;
  rel[n++].message = il_arena_printf(f->arena, "built once by '%s.%s'", ci->ns, ci->member);
  const char *more =
      n_leaves > 1 ? il_arena_printf(f->arena, " (%u other layers it builds acquire I/O too)",
                                     n_leaves - 1)
                   : "";
  il_report(rc, level, sl->span, rel, n,
            "'%s.%s' %s. It includes %s%s, %s. Later requests reuse connections opened for another "
            "request and fail with 'Cannot perform I/O on behalf of a different request' or "
            "hang. Build this layer per request instead.",
            ci->ns, ci->member, sink_effect(ci), leaf_desc, more, note);
  il_report_mark_flow(rc);
}

/* Builds the composition graph of f (info and io by construction already set). */
static void graph_init(graph *g, const il_facts *f, const call_info *info, const int32_t *io,
                       bool *barrier) {
  uint32_t nl = f->lnodes.len;
  memset(g, 0, sizeof *g);
  g->f = f;
  g->info = info;
  g->io = io;
  g->barrier = barrier;
  g->first_child = il_xmalloc((nl + 1) * sizeof *g->first_child);
  g->next_sibling = il_xmalloc((nl + 1) * sizeof *g->next_sibling);
  g->via = il_xmalloc((nl + 1) * sizeof *g->via);
  g->stamp = il_xcalloc(nl + 1, sizeof *g->stamp);
  g->init_node = il_xmalloc((f->decls.len + 1) * sizeof *g->init_node);
  g->xlayer = il_xmalloc((f->decls.len + 1) * sizeof *g->xlayer);
  for (uint32_t i = 0; i <= f->decls.len; i++)
    g->init_node[i] = g->xlayer[i] = -1;
  for (uint32_t i = 0; i < f->xlayers.len; i++) {
    int32_t d = f->xlayers.data[i].decl;
    if (d >= 0 && (uint32_t)d < f->decls.len && g->xlayer[d] < 0 && !f->xlayers.data[i].member)
      g->xlayer[d] = (int32_t)i;
  }
  for (uint32_t i = 0; i < nl; i++)
    g->first_child[i] = g->next_sibling[i] = -1;
  /* children in source order: link backwards */
  for (uint32_t i = nl; i-- > 0;) {
    const il_lnode *l = &f->lnodes.data[i];
    if (l->parent >= 0) {
      g->next_sibling[i] = g->first_child[l->parent];
      g->first_child[l->parent] = (int32_t)i;
    }
    if (l->init_of >= 0 &&
        (g->init_node[l->init_of] < 0 || (uint32_t)g->init_node[l->init_of] > i))
      g->init_node[l->init_of] = (int32_t)i;
  }
}

static void graph_free(graph *g) {
  free(g->first_child);
  free(g->next_sibling);
  free(g->via);
  free(g->stamp);
  free(g->init_node);
  free(g->xlayer);
}

static call_info *classify_all(const il_facts *f, bool *any_sink) {
  uint32_t nk = f->ctors.len;
  call_info *info = il_xcalloc(nk + 1, sizeof *info);
  *any_sink = false;
  for (uint32_t i = 0; i < nk; i++) {
    info[i] = classify(&f->ctors.data[i]);
    *any_sink |= info[i].cls == C_SINK || info[i].cls == C_PROVIDE_REQ;
  }
  return info;
}

static void check(il_rule_ctx *rc, const il_facts *f) {
  uint32_t nl = f->lnodes.len, nk = f->ctors.len;
  if (!nl || !nk)
    return;
  bool any_sink;
  call_info *info = classify_all(f, &any_sink);
  if (!any_sink) {
    free(info);
    return;
  }
  int32_t *io = il_xmalloc(nk * sizeof *io);
  layer_clients(f, info, io);
  bool *barrier = il_xcalloc(nl, sizeof *barrier);
  graph g;
  graph_init(&g, f, info, io, barrier);
  /* provideRequest first: reported on its own, and a barrier for the sinks */
  uint32_t stamp = 0;
  for (int pass = 0; pass < 2; pass++) {
    for (uint32_t i = 0; i < nl; i++) {
      const il_lnode *l = &f->lnodes.data[i];
      if (l->is_name || l->ctor < 0)
        continue;
      call_class cls = info[l->ctor].cls;
      if (cls != (pass == 0 ? C_PROVIDE_REQ : C_SINK))
        continue;
      const il_ctor *k = &f->ctors.data[l->ctor];
      if (!runs_once(f, k))
        continue;
      if (pass == 1) {
        /* a sink inside another sink's argument is reported at the outer one */
        bool nested = false;
        for (int32_t o = k->outer, s = 0; o >= 0 && s < MAX_OUTER && !nested;
             o = f->ctors.data[o].outer, s++)
          nested = info[o].cls == C_SINK;
        if (nested)
          continue;
      }
      uint32_t n_leaves;
      int32_t leaf = search(&g, (int32_t)i, ++stamp, &n_leaves);
      if (leaf < 0)
        continue;
      if (pass == 0)
        barrier[i] = true;
      report(rc, &g, (int32_t)i, leaf, n_leaves);
    }
  }
  graph_free(&g);
  free(info);
  free(io);
  free(barrier);
}

/* Is module-level declaration d exported: in place, or by `export { d as x }`? */
static bool exported(const il_facts *f, int32_t d) {
  const il_decl *dp = &f->decls.data[d];
  if (dp->exported)
    return true;
  for (uint32_t i = 0; i < f->exports.len; i++) {
    const il_export *e = &f->exports.data[i];
    if (!e->module && !e->type_only && strcmp(e->local, dp->name) == 0)
      return true;
  }
  return false;
}

/* The cross-file summary: each exported module-level const whose initializer is
 * a layer acquiring I/O, found by the same search as the sinks' (from the
 * initializer instead of a sink), with its steps. */
static void xlayers(const il_facts *f, void *ctx,
                    void (*emit)(void *ctx, int32_t decl, const il_xlayer *x, const il_rel *rel,
                                 uint32_t n_rel)) {
  uint32_t nl = f->lnodes.len, nk = f->ctors.len;
  if (!nl)
    return;
  bool any_sink;
  call_info *info = classify_all(f, &any_sink);
  int32_t *io = il_xmalloc((nk + 1) * sizeof *io);
  layer_clients(f, info, io);
  bool *barrier = il_xcalloc(nl, sizeof *barrier);
  graph g;
  graph_init(&g, f, info, io, barrier);
  uint32_t stamp = 0;
  for (uint32_t d = 0; d < f->decls.len; d++) {
    const il_decl *dp = &f->decls.data[d];
    int32_t start = g.init_node[d];
    if (start < 0 || dp->scope != 0)
      continue;
    /* an exported const, or a member binding (`Db.Live`) of an exported class or namespace */
    bool is_export = dp->kind == IL_DECL_CONST ? exported(f, (int32_t)d)
                     : dp->kind == IL_DECL_FIELD && dp->owner >= 0 &&
                         (uint32_t)dp->owner < f->decls.len && exported(f, dp->owner);
    if (!is_export)
      continue;
    const il_lnode *sl = &f->lnodes.data[start];
    if (!sl->is_name && sl->ctor >= 0 &&
        (info[sl->ctor].cls == C_SINK || info[sl->ctor].cls == C_PROVIDE_REQ))
      continue; /* a runtime or a handler, not a layer */
    uint32_t n_leaves;
    int32_t leaf = search(&g, start, ++stamp, &n_leaves);
    if (leaf < 0)
      continue;
    il_xlayer x = {.decl = (int32_t)d};
    x.desc = describe_leaf(&g, leaf, &x.level, &x.note);
    il_rel rel[IL_XLAYER_STEPS];
    uint32_t n = steps(&g, leaf, -1, x.desc, rel, IL_XLAYER_STEPS, 0);
    emit(ctx, (int32_t)d, &x, rel, n);
  }
  graph_free(&g);
  free(info);
  free(io);
  free(barrier);
}

/* Only a boot sink reaches a layer another file builds. */
static bool takes_xlayers(const il_facts *f) {
  if (!f->lnodes.len || !f->ctors.len)
    return false;
  bool any_sink;
  free(classify_all(f, &any_sink));
  return any_sink;
}

const il_rule rule_boot_time_layer = {
    .id = "boot-time-layer",
    .name = "BootTimeLayer",
    .level = IL_LEVEL_ERROR,
    .precision = "high",
    .summary = "Effect layer with I/O built once per isolate",
    .description =
        "An Effect layer that opens connections (a @effect/sql-pg, sql-mysql2 or sql-libsql "
        "client layer, or a Layer.effect / Layer.scoped or Effect service class whose body "
        "builds a database client, also when held in a class static field or an object "
        "namespace) is built once and shared when it reaches a boot sink: HttpRouter.toWebHandler, "
        "HttpLayerRouter.toWebHandler, HttpApiBuilder.toWebHandler, "
        "HttpApp.toWebHandlerLayer, ManagedRuntime.make, Layer.toRuntime, Layer.launch, "
        "Layer.memoize or a module-level Effect.runPromise. These build the layer on the "
        "first request (or at load) and serve every later request from that build, so on "
        "Cloudflare Workers request 2 uses the socket opened by request 1 and fails with "
        "'Cannot perform I/O on behalf of a different request'. HttpRouter.provideRequest "
        "does the same despite its name.",
    .help = "Build I/O layers per request: a function-form HttpRouter.middleware that runs "
            "Layer.buildWithMemoMap(layer, Layer.makeMemoMap(), scope) inside Effect.scoped, "
            "or Effect.provide(layer, { local: true }) inside the handler. Keep only layers "
            "without I/O (config, schedulers, pure services) in the boot layer.",
    .check = check,
    .xlayers = xlayers,
    .takes_xlayers = takes_xlayers,
};
