/* Helpers shared by the rules (see rule_util.h). */
#include "rule_util.h"

#include <stdlib.h>
#include <string.h>

const char *il_ru_client(const il_facts *f, const il_ctor *k) {
  if (k->via && k->program)
    return il_arena_printf(f->arena, "a '%s' from '%s' (built by what '%s()' returns)",
                           k->client->name, k->module, k->via);
  if (k->via && k->held)
    return il_arena_printf(f->arena, "a '%s' from '%s' (held by '%s')", k->client->name,
                           k->module, k->via);
  if (k->via)
    return il_arena_printf(f->arena, "a '%s' from '%s' (returned by '%s()')", k->client->name,
                           k->module, k->via);
  return il_arena_printf(f->arena, "a '%s' from '%s'", k->client->name, k->module);
}

void il_ru_add_origin(const il_facts *f, const il_ctor *k, il_rel *rel, uint32_t *n,
                      uint32_t max) {
  if (*n >= max)
    return;
  if (k->origin >= 0) {
    rel[*n].span = f->ctors.data[k->origin].span;
    rel[(*n)++].message =
        k->held ? il_arena_printf(f->arena, "'%s' built here, handed to '%s'", k->client->name,
                                  k->via)
                : il_arena_printf(f->arena, "'%s' built here, returned by '%s()'",
                                  k->client->name, k->via ? k->via : "?");
  } else if (k->xorigin >= 0 && (uint32_t)k->xorigin < f->xuses.len) {
    /* the core takes the path and columns of an il_xuse (recognized by its message) */
    rel[*n].span = f->xuses.data[k->xorigin].span;
    rel[(*n)++].message = f->xuses.data[k->xorigin].message;
  }
}

void il_ru_add_built(const il_facts *f, const il_ctor *k, il_rel *rel, uint32_t *n,
                     uint32_t max) {
  il_ru_add_origin(f, k, rel, n, max); /* first: the steps of the flow in order */
  if (*n >= max)
    return;
  rel[*n].span = k->span;
  rel[(*n)++].message = k->via && k->held
                             ? il_arena_printf(f->arena, "held by '%s' here", k->via)
                         : k->via ? il_arena_printf(f->arena, "returned by '%s()' here", k->via)
                                  : il_arena_printf(f->arena, "%s built here", k->client->name);
}

const char *il_ru_why(const il_ctor *k) {
  if (k->level >= IL_LEVEL_ERROR)
    return "Its connections belong to the request that opened them, so later requests fail with "
           "'Cannot perform I/O on behalf of a different request' or hang.";
  return "It only makes fresh fetch or binding calls, but a client built once keeps the "
         "credentials and settings it was first built with.";
}

int32_t il_ru_assigned_client(const il_facts *f, const il_assign *a, bool local_only) {
  if (a->value_ctor >= 0 && f->ctors.data[a->value_ctor].client &&
      !f->ctors.data[a->value_ctor].program)
    return a->value_ctor;
  if (a->value_decl < 0)
    return -1;
  const il_decl *d = &f->decls.data[a->value_decl];
  if (d->init_ctor < 0 || !f->ctors.data[d->init_ctor].client)
    return -1;
  if (local_only && f->scopes.data[d->scope].at_load)
    return -1;
  return d->init_ctor;
}

int32_t il_ru_load_instance(const il_facts *f, int32_t class_decl) {
  if (class_decl < 0 || f->decls.data[class_decl].kind != IL_DECL_CLASS ||
      !f->scopes.data[f->decls.data[class_decl].scope].at_load)
    return -1;
  for (uint32_t i = 0; i < f->calls.len; i++) {
    const il_call *c = &f->calls.data[i];
    if (c->is_new && c->decl == class_decl && !c->path[0] && f->scopes.data[c->scope].at_load)
      return (int32_t)i;
  }
  return -1;
}

bool il_ru_runs_with_new(const il_facts *f, int32_t scope) {
  const il_scope *s = &f->scopes.data[scope];
  return s->is_instance && s->class_decl >= 0 &&
         (strcmp(s->name, "constructor") == 0 || strcmp(s->name, "<field initializer>") == 0);
}

const char *il_ru_instance_words(const il_facts *f, int32_t call) {
  const il_call *c = &f->calls.data[call];
  const il_decl *cls = &f->decls.data[c->decl];
  if (c->init_of >= 0 && strcmp(f->decls.data[c->init_of].name, "default") != 0)
    return il_arena_printf(f->arena, "'%s', the instance of '%s' built at module scope",
                           f->decls.data[c->init_of].name, cls->name);
  return il_arena_printf(f->arena, "the instance of '%s' built at module scope", cls->name);
}

const char *il_ru_function_name(const il_facts *f, int32_t scope) {
  int32_t s = il_facts_function_of(f, scope);
  return s >= 0 ? f->scopes.data[s].name : "<module>";
}

/* Is another file's use u already among rel[0, n) (the same place, by another xuse: a
 * handler's call of a function is both a use of it and a `through` use)? */
static bool has_xuse(const il_facts *f, const il_rel *rel, uint32_t n, const il_xuse *u) {
  for (uint32_t j = 0; j < n; j++) {
    if (rel[j].span.start_byte != u->span.start_byte || rel[j].span.end_byte != u->span.end_byte)
      continue;
    for (uint32_t i = 0; i < f->xuses.len; i++)
      if (f->xuses.data[i].message == rel[j].message &&
          strcmp(f->xuses.data[i].path, u->path) == 0)
        return true;
  }
  return false;
}

/* A use in function fn (not a handler): the request handlers of other files that call
 * the module-level function holding fn (the cross-file pass's `through` uses), one. */
static void add_through(const il_facts *f, int32_t fn, int32_t skip, il_rel *rel, uint32_t *n,
                        uint32_t max) {
  while (fn >= 0 && f->scopes.data[fn].parent != 0)
    fn = il_facts_function_of(f, f->scopes.data[fn].parent);
  int32_t d = fn >= 0 ? il_facts_lookup(f, 0, f->scopes.data[fn].name) : -1;
  if (d < 0 || d == skip || f->decls.data[d].fn != fn)
    return;
  for (uint32_t i = 0; i < f->xuses.len && *n < max; i++) {
    const il_xuse *u = &f->xuses.data[i];
    if (u->decl != d || !u->through || has_xuse(f, rel, *n, u))
      continue;
    rel[*n].span = u->span; /* the core takes the path and columns from the il_xuse */
    rel[(*n)++].message = u->message;
    return;
  }
}

void il_ru_add_uses(const il_facts *f, int32_t d, il_rel *rel, uint32_t *n, uint32_t max) {
  il_ru_add_uses_but(f, d, -1, rel, n, max);
}

void il_ru_add_uses_but(const il_facts *f, int32_t d, int32_t skip, il_rel *rel, uint32_t *n,
                        uint32_t max) {
  if (d < 0)
    return;
  int32_t seen[IL_MAX_REL];
  uint32_t n_seen = 0;
  for (int pass = 0; pass < 2; pass++) {
    for (uint32_t i = 0; i < f->refs.len && *n < max; i++) {
      const il_ref *r = &f->refs.data[i];
      if (r->decl != d)
        continue;
      int32_t fn = il_facts_function_of(f, r->scope);
      if (fn < 0)
        continue;
      int32_t h = il_facts_handler_of(f, r->scope);
      if ((pass == 0) != (h >= 0))
        continue;
      bool dup = false;
      for (uint32_t j = 0; j < n_seen; j++)
        dup |= seen[j] == fn;
      if (dup || n_seen == IL_MAX_REL)
        continue;
      seen[n_seen++] = fn;
      rel[*n].span = r->span;
      rel[*n].message =
          h >= 0 ? il_arena_printf(f->arena, "used in request handler '%s'", f->scopes.data[h].name)
                 : il_arena_printf(f->arena, "used in '%s'", f->scopes.data[fn].name);
      (*n)++;
      if (h < 0 && f->xuses.len)
        add_through(f, fn, skip, rel, n, max);
    }
  }
  il_ru_add_xuses(f, d, rel, n, max);
}

void il_ru_add_xuses(const il_facts *f, int32_t d, il_rel *rel, uint32_t *n, uint32_t max) {
  if (d < 0)
    return;
  /* handlers first, like local uses; the cross-file pass keeps one per function */
  for (int pass = 0; pass < 2; pass++)
    for (uint32_t i = 0; i < f->xuses.len && *n < max; i++) {
      const il_xuse *u = &f->xuses.data[i];
      if (u->decl != d || u->in_handler != (pass == 0) || u->through || has_xuse(f, rel, *n, u))
        continue;
      /* the core recognizes the use by its message pointer and takes the path
       * and columns from the il_xuse */
      rel[*n].span = u->span;
      rel[(*n)++].message = u->message;
    }
}

void il_ru_global_claims(const il_facts *f, bool *claimed) {
  for (uint32_t i = 0; i < f->ctors.len; i++)
    claimed[i] = f->ctors.data[i].client && f->ctors.data[i].global_fallback;
  for (uint32_t i = 0; i < f->assigns.len; i++) {
    const il_assign *a = &f->assigns.data[i];
    if (!a->global)
      continue;
    int32_t c = il_ru_assigned_client(f, a, false);
    if (c >= 0)
      claimed[c] = true;
  }
}
