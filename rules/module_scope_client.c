/* module-scope-client: a client built when the module loads is shared by every
 * request the isolate serves. */
#include <stdlib.h>
#include <string.h>

#include "c_rules.h"
#include "rule_util.h"

/* A client kept in `this` of an instance made at load (`export const db = new Db()`):
 * built by the constructor (`this.pool = new Pool()`, also through a local) or a field
 * initializer (`pool = new Pool()`) when the module loads, and shared like a module
 * binding. */
static void check_instance(il_rule_ctx *rc, const il_facts *f, const il_ctor *k) {
  if (!il_ru_runs_with_new(f, k->scope))
    return;
  const il_scope *s = &f->scopes.data[k->scope];
  const char *field = NULL;
  if (strcmp(s->name, "<field initializer>") == 0) {
    if (k->outer < 0 && k->decl < 0 && k->assign < 0)
      field = il_arena_printf(f->arena, "A field of %s", "");
  } else {
    for (uint32_t i = 0; i < f->assigns.len && !field; i++) {
      const il_assign *a = &f->assigns.data[i];
      if (a->target == IL_TARGET_THIS && a->scope == k->scope &&
          il_ru_assigned_client(f, a, true) == (int32_t)(k - f->ctors.data))
        field = il_arena_printf(f->arena, "'this.%s' of %s", a->prop, "");
    }
  }
  int32_t inst = field ? il_ru_load_instance(f, s->class_decl) : -1;
  if (inst < 0)
    return;
  const il_call *ic = &f->calls.data[inst];
  il_rel rel[IL_MAX_REL];
  uint32_t n = 0;
  rel[n].span = ic->span;
  rel[n++].message = "the instance is built here, at module scope";
  uint32_t before = n;
  il_ru_add_origin(f, k, rel, &n, IL_MAX_REL);
  il_ru_add_uses(f, ic->init_of, rel, &n, 4 + (n - before));
  il_report(rc, k->level, k->span, rel, n,
            "%s%s, is %s, built when the module loads, so every request this isolate serves "
            "shares it. %s Build it inside the request handler or a per-request middleware "
            "instead, or make the instance per request.",
            field, il_ru_instance_words(f, inst), il_ru_client(f, k), il_ru_why(k));
  if (k->via)
    il_report_mark_flow(rc);
}

static void check(il_rule_ctx *rc, const il_facts *f) {
  if (f->lang == IL_LANG_C) {
    il_c_check(rc, f, IL_C_MODULE);
    il_c_check_members(rc, f, IL_C_MODULE);
    return;
  }
  if (!f->ctors.len)
    return;
  bool *claimed = il_xcalloc(f->ctors.len, sizeof *claimed);
  il_ru_global_claims(f, claimed);
  /* connect() from cloudflare:sockets at load: global-scope-io reports it (the Worker
   * does not even load), one finding for one call is enough */
  if (il_rule_on(rc, "global-scope-io"))
    for (uint32_t i = 0; i < f->calls.len; i++) {
      const il_call *c = &f->calls.data[i];
      if (c->op == IL_OP_CONNECT && c->ctor >= 0 && f->scopes.data[c->scope].at_load)
        claimed[c->ctor] = true;
    }
  for (uint32_t i = 0; i < f->ctors.len; i++) {
    const il_ctor *k = &f->ctors.data[i];
    if (!k->client || k->program || claimed[i] || k->wrapped_by >= 0)
      continue;
    if (!f->scopes.data[k->scope].at_load) {
      check_instance(rc, f, k);
      continue;
    }
    /* a module-level binding reassigned per request is the lazy rule's business,
     * but its initializer is still built at load: keep reporting it */
    const char *name;
    if (k->decl >= 0 && strcmp(f->decls.data[k->decl].name, "default") == 0)
      name = "The default export";
    else if (k->decl >= 0)
      name = il_arena_printf(f->arena, "'%s'", f->decls.data[k->decl].name);
    else if (k->assign >= 0 && f->assigns.data[k->assign].target == IL_TARGET_NAME)
      name = il_arena_printf(f->arena, "'%s'", f->assigns.data[k->assign].root);
    else
      name = "This client";
    il_rel rel[IL_MAX_REL];
    uint32_t n = 0;
    if (k->inner >= 0) {
      const il_ctor *in = &f->ctors.data[k->inner];
      rel[n].span = in->span;
      rel[n++].message = il_arena_printf(f->arena, "wraps %s", il_ru_client(f, in));
    }
    uint32_t before = n;
    il_ru_add_origin(f, k, rel, &n, IL_MAX_REL);
    il_ru_add_uses(f, k->decl, rel, &n, 4 + (n - before));
    const char *scope_word = f->scopes.data[k->scope].kind == IL_SCOPE_STATIC
                                 ? "in a static class initializer"
                                 : "at module scope";
    il_report(rc, k->level, k->span, rel, n,
              "%s is %s, built %s, so every request this isolate serves shares it. %s Build it "
              "inside the request handler or a per-request middleware instead.",
              name, il_ru_client(f, k), scope_word, il_ru_why(k));
    if (k->via)
      il_report_mark_flow(rc); /* built, returned, stored, read back */
  }
  free(claimed);
}

const il_rule rule_module_scope_client = {
    .id = "module-scope-client",
    .name = "ModuleScopeClient",
    .level = IL_LEVEL_ERROR,
    .precision = "high",
    .summary = "Client constructed at module scope",
    .description =
        "A database or network client constructed at module scope is created once per isolate "
        "and shared by every request it serves. Clients that hold sockets (pg, postgres.js, "
        "mysql2, ioredis, MongoDB, Prisma with a TCP adapter) fail on the second request with "
        "'Cannot perform I/O on behalf of a different request' or hang; fetch-based clients keep "
        "the credentials they were built with.",
    .help = "Construct the client inside the request: in the fetch handler, a route, or a "
            "middleware that stores it in per-request context (c.set, event.context, "
            "requestInfo.ctx), and close it with ctx.waitUntil(client.end()). A factory such as "
            "getDb(env) called per request is fine.",
    .check = check,
};
