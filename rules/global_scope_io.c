/* global-scope-io: I/O, timers and random values while the module loads, which
 * the Workers runtime rejects ("Disallowed operation called within global
 * scope", deploy error 10021). */
#include <string.h>

#include "rule_util.h"

/* "crypto.randomUUID()", "new AbortController()", "env.DB.prepare().all()". */
static const char *call_text(const il_facts *f, const il_call *c) {
  const char *sep = c->path[0] && c->path[0] != '(' ? "." : "";
  return il_arena_printf(f->arena, "%s%s%s%s()", c->is_new ? "new " : "", c->root, sep, c->path);
}

static const char *where(const il_facts *f, int32_t scope) {
  if (scope == 0)
    return "at module scope";
  if (f->scopes.data[scope].kind == IL_SCOPE_STATIC)
    return "at module scope (in a static class initializer)";
  return "at module scope (in a function invoked while the module loads)";
}

/* The xcall of an imported function whose call fetches or opens a socket in its own
 * file (value flow), for call record k (`load()`, `ns.load()`), or NULL. Timers and
 * random values are left out: one function away from the load, they are as often set
 * after an await on I/O, which does not finish while the module loads (a heartbeat
 * `setInterval` after `await connected`), and the prefilter does not follow them either. */
static const il_xcall *imported_op(const il_facts *f, const il_ctor *k) {
  if (!k->from || k->is_new)
    return NULL;
  int32_t d = il_facts_lookup(f, k->scope, k->root);
  if (d < 0 || f->decls.data[d].kind != IL_DECL_IMPORT)
    return NULL;
  bool star = strcmp(f->decls.data[d].imported, "*") == 0;
  if (star ? !*k->path || strchr(k->path, '.') : *k->path != 0)
    return NULL;
  for (uint32_t i = 0; i < f->xcalls.len; i++) {
    const il_xcall *x = &f->xcalls.data[i];
    if (x->decl == d && (x->op == IL_OP_FETCH || x->op == IL_OP_CONNECT) && x->op_step >= 0 &&
        (x->member ? star && strcmp(x->member, k->path) == 0 : !star))
      return x;
  }
  return NULL;
}


/* An imported function called inside a function that runs while the module loads,
 * which does I/O in its own file: `function setup() { loadConfig(); } setup();`. (Calls
 * of imported functions at load itself are call records: check() reports them.) */
static void check_imported_in_load(il_rule_ctx *rc, const il_facts *f) {
  for (uint32_t i = 0; i < f->ctors.len && f->xcalls.len; i++) {
    const il_ctor *k = &f->ctors.data[i];
    const il_scope *s = &f->scopes.data[k->scope];
    if (s->at_load || s->load_site < 0 || (uint32_t)s->load_site >= f->calls.len)
      continue;
    const il_xcall *x = imported_op(f, k);
    if (!x || (uint32_t)x->op_step >= f->xuses.len)
      continue;
    const il_call *sc = &f->calls.data[s->load_site];
    il_rel rel[2] = {{f->xuses.data[x->op_step].span, f->xuses.data[x->op_step].message},
                     {sc->span, il_arena_printf(f->arena, "'%s' called here at module scope",
                                                sc->root)}};
    const char *what = *k->path ? il_arena_printf(f->arena, "%s.%s()", k->root, k->path)
                                : il_arena_printf(f->arena, "%s()", k->root);
    const char *at =
        strcmp(s->name, sc->root) == 0
            ? il_arena_printf(f->arena, "in '%s', which runs while the module loads", s->name)
            : il_arena_printf(f->arena,
                              "in '%s', which runs while the module loads (through '%s')",
                              s->name, sc->root);
    il_report(rc, IL_LEVEL_ERROR, k->span, rel, 2,
              "'%s' %s %s. Workers do not allow I/O, timers or random values in global scope: "
              "loading the Worker fails with 'Disallowed operation called within global scope'. "
              "Move it into the request handler, or compute it lazily inside the request.",
              what, x->op == IL_OP_FETCH ? "makes a fetch subrequest" : "opens a TCP socket", at);
  }
}

static void check(il_rule_ctx *rc, const il_facts *f) {
  if (f->lang != IL_LANG_C)
    check_imported_in_load(rc, f);
  for (uint32_t i = 0; i < f->calls.len; i++) {
    const il_call *c = &f->calls.data[i];
    if (c->op == IL_OP_NONE)
      continue;
    int32_t site = -1;
    if (!f->scopes.data[c->scope].at_load) {
      /* in a function that runs at load: value flow's call graph says which */
      site = f->scopes.data[c->scope].load_site;
      if (site < 0 || c->op == IL_OP_BINDING || c->op == IL_OP_EFFECT_RUN)
        continue;
    }
    if (c->op == IL_OP_EFFECT_RUN && c->io_call < 0)
      continue;
    const char *what = call_text(f, c);
    const char *does = "";
    il_rel rel[IL_MAX_REL];
    uint32_t n = 0;
    switch (c->op) {
    case IL_OP_RANDOM:
      does = "generates random values";
      break;
    case IL_OP_FETCH:
      does = "makes a fetch subrequest";
      break;
    case IL_OP_CONNECT:
      does = "opens a TCP socket";
      break;
    case IL_OP_TIMER:
      does = "sets a timer";
      break;
    case IL_OP_ABORT:
      does = "creates an AbortController, which the runtime ties to a request";
      break;
    case IL_OP_BINDING:
      what = il_arena_printf(f->arena, "await %s", what);
      does = "calls a binding (I/O)";
      break;
    case IL_OP_EFFECT_RUN: {
      const il_call *io = &f->calls.data[c->io_call];
      does = il_arena_printf(
          f->arena, "runs an Effect program that does I/O (%s)",
          io->ctor >= 0 && f->ctors.data[io->ctor].client
              ? il_arena_printf(f->arena, "builds %s", il_ru_client(f, &f->ctors.data[io->ctor]))
              : call_text(f, io));
      rel[n].span = io->span;
      rel[n++].message = "the program does I/O here";
      if (c->io_decl >= 0) {
        rel[n].span = f->decls.data[c->io_decl].span;
        rel[n++].message =
            il_arena_printf(f->arena, "program '%s' defined here", f->decls.data[c->io_decl].name);
      }
      break;
    }
    case IL_OP_NONE:
      break;
    }
    if ((c->op == IL_OP_CONNECT || c->op == IL_OP_BINDING) && c->decl >= 0) {
      rel[n].span = f->decls.data[c->decl].span;
      rel[n++].message = il_arena_printf(f->arena, "'%s' imported from '%s' here",
                                         f->decls.data[c->decl].name, c->module);
    }
    if (c->xstep >= 0 && (uint32_t)c->xstep < f->xuses.len && n < IL_MAX_REL) {
      /* an imported function that does it in its own file (value flow) */
      rel[n].span = f->xuses.data[c->xstep].span;
      rel[n++].message = f->xuses.data[c->xstep].message;
    }
    const char *at = where(f, c->scope);
    if (site >= 0) {
      const il_call *sc = &f->calls.data[site];
      const char *fn = f->scopes.data[c->scope].name;
      at = strcmp(fn, sc->root) == 0
               ? il_arena_printf(f->arena, "in '%s', which runs while the module loads", fn)
               : il_arena_printf(f->arena,
                                 "in '%s', which runs while the module loads (through '%s')", fn,
                                 sc->root);
      rel[n].span = sc->span;
      rel[n++].message =
          il_arena_printf(f->arena, "'%s' called here at module scope", sc->root);
    }
    il_report(rc, IL_LEVEL_ERROR, c->span, rel, n,
              "'%s' %s %s. Workers do not allow I/O, timers or random values in global scope: "
              "loading the Worker fails with 'Disallowed operation called within global scope'. "
              "Move it into the request handler, or compute it lazily inside the request.",
              what, does, at);
  }
}

const il_rule rule_global_scope_io = {
    .id = "global-scope-io",
    .name = "GlobalScopeIo",
    .level = IL_LEVEL_ERROR,
    .precision = "high",
    .summary = "I/O, timer or random value at module scope",
    .description =
        "Cloudflare Workers evaluate the global scope of a Worker without a request context and "
        "reject asynchronous I/O (fetch, connect, binding calls), timers (setTimeout, "
        "setInterval, AbortSignal.timeout) and random values (crypto.randomUUID, "
        "crypto.getRandomValues) there: the upload fails with error 10021 'Disallowed operation "
        "called within global scope', and wrangler dev fails at startup. Module scope includes "
        "functions invoked while the module loads (IIFEs), static class initializers and "
        "top-level await.",
    .help = "Move the call into the request handler (fetch, scheduled, queue, a route or a "
            "middleware), or compute the value lazily the first time a request needs it. "
            "Values that must be unique per isolate can be created on the first request.",
    .check = check,
};
