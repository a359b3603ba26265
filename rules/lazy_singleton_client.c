/* lazy-singleton-client: a module-level binding (or class static field, or
 * module-level container) filled with a client the first time a function runs,
 * then reused by every later request. */
#include <string.h>

#include "c_rules.h"
#include "rule_util.h"

/* What the assignment's target is, when it outlives the request; NULL otherwise. */
static const char *singleton_target(const il_facts *f, const il_assign *a, int32_t *decl) {
  *decl = -1;
  if (a->global)
    return NULL; /* global-object-cache */
  switch (a->target) {
  case IL_TARGET_NAME: {
    if (a->decl < 0 || a->op == IL_ASSIGN_SET)
      return NULL;
    const il_decl *d = &f->decls.data[a->decl];
    if (d->kind != IL_DECL_LET && d->kind != IL_DECL_VAR)
      return NULL;
    const il_scope *ds = &f->scopes.data[d->scope];
    if (!ds->at_load) {
      /* a variable of a closure created once per isolate (a setup callback, a factory
       * called at load), filled by a function nested in it */
      if (!ds->once || a->scope == d->scope)
        return NULL;
      *decl = a->decl;
      return il_arena_printf(f->arena, "'%s', a variable of '%s', which runs once per isolate,",
                             d->name, ds->name);
    }
    *decl = a->decl;
    return il_arena_printf(f->arena, "'%s'", d->name);
  }
  case IL_TARGET_MEMBER: {
    if (a->decl < 0)
      return NULL;
    const il_decl *d = &f->decls.data[a->decl];
    if (!f->scopes.data[d->scope].at_load)
      return NULL;
    if (d->kind == IL_DECL_CLASS && a->op != IL_ASSIGN_SET) {
      *decl = a->decl;
      return il_arena_printf(f->arena, "static field '%s.%s'", d->name, a->prop);
    }
    if (d->kind != IL_DECL_IMPORT && d->kind != IL_DECL_PARAM && d->init_kind == IL_INIT_CONTAINER) {
      *decl = a->decl;
      return a->op == IL_ASSIGN_SET
                 ? il_arena_printf(f->arena, "module-level container '%s'", d->name)
                 : il_arena_printf(f->arena, "'%s.%s' in a module-level container", d->name,
                                   a->prop);
    }
    return NULL;
  }
  case IL_TARGET_THIS: {
    const il_scope *s = &f->scopes.data[a->scope];
    if (s->is_instance && s->class_decl >= 0 && !il_ru_runs_with_new(f, a->scope)) {
      /* a method of an instance made once at load: its fields outlive every request
       * (the constructor's and field initializers' are module-scope-client's) */
      int32_t inst = il_ru_load_instance(f, s->class_decl);
      if (inst < 0)
        return NULL;
      *decl = f->calls.data[inst].init_of;
      return il_arena_printf(f->arena, "'this.%s' of %s,", a->prop,
                             il_ru_instance_words(f, inst));
    }
    if (!s->is_static || s->class_decl < 0)
      return NULL;
    const il_decl *d = &f->decls.data[s->class_decl];
    if (!f->scopes.data[d->scope].at_load)
      return NULL;
    return il_arena_printf(f->arena, "static field '%s.%s'", d->name, a->prop);
  }
  }
  return NULL;
}

static void check(il_rule_ctx *rc, const il_facts *f) {
  if (f->lang == IL_LANG_C) {
    il_c_check(rc, f, IL_C_LAZY);
    return;
  }
  for (uint32_t i = 0; i < f->assigns.len; i++) {
    const il_assign *a = &f->assigns.data[i];
    if (f->scopes.data[a->scope].at_load)
      continue; /* at load: module-scope-client reports the construction */
    int32_t c = il_ru_assigned_client(f, a, true);
    if (c < 0)
      continue;
    int32_t decl;
    const char *target = singleton_target(f, a, &decl);
    if (!target)
      continue;
    const il_ctor *k = &f->ctors.data[c];
    il_rel rel[IL_MAX_REL];
    uint32_t n = 0;
    il_ru_add_built(f, k, rel, &n, IL_MAX_REL);
    if (decl >= 0) {
      rel[n].span = f->decls.data[decl].span;
      rel[n++].message = "declared at module scope here";
    }
    /* other files calling the exported function that fills the cache: its own uses */
    int32_t fn = il_facts_function_of(f, a->scope);
    while (fn >= 0 && f->scopes.data[fn].parent != 0)
      fn = il_facts_function_of(f, f->scopes.data[fn].parent);
    int32_t fd = fn >= 0 ? il_facts_lookup(f, 0, f->scopes.data[fn].name) : -1;
    il_ru_add_uses_but(f, decl, fd, rel, &n, 5);
    il_ru_add_xuses(f, fd, rel, &n, IL_MAX_REL);
    il_report(rc, k->level, a->span, rel, n,
              "%s keeps %s built the first time '%s' runs, and every later request reuses it. %s "
              "Build the client per request instead of caching it in module state.",
              target, il_ru_client(f, k), il_ru_function_name(f, a->scope), il_ru_why(k));
    if (k->via)
      il_report_mark_flow(rc); /* built, returned, stored, read back */
  }
}

const il_rule rule_lazy_singleton_client = {
    .id = "lazy-singleton-client",
    .name = "LazySingletonClient",
    .level = IL_LEVEL_ERROR,
    .precision = "high",
    .summary = "Client lazily cached in module state",
    .description =
        "A module-level variable, class static field or module-level container that is filled "
        "with a database or network client the first time a function runs (if (!db) db = ..., "
        "db ?\?= ..., cache.set(k, client)) keeps that client for the life of the isolate. Every "
        "later request reuses the connection opened by the first one, which on Cloudflare "
        "Workers fails with 'Cannot perform I/O on behalf of a different request' or hangs.",
    .help = "Return a new client from the factory on every call (getDb(env) => new client), or "
            "keep it in per-request context (c.set, event.context, requestInfo.ctx, a WeakMap "
            "keyed by the request) and close it with ctx.waitUntil().",
    .check = check,
};
