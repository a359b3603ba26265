/* Facts storage and resolution: binds names to declarations through the scope
 * chain (one hash table per file), callees to knowledge-base rows, and computes
 * the level a wrapper client inherits from what it wraps. Linear in the facts. */
#include "facts/facts.h"
#include "base/position.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

il_facts *il_facts_new(const char *path, il_lang lang, const char *src, size_t len) {
  il_facts *f = il_xcalloc(1, sizeof *f);
  f->arena = il_arena_new();
  f->path = il_arena_strdup(f->arena, path);
  f->lang = lang;
  f->src = src;
  f->len = len;
  il_scope module = {.parent = -1, .kind = IL_SCOPE_MODULE, .at_load = true, .class_decl = -1,
                     .name = "<module>", .arg_of = -1, .cb_call = -1};
  il_array_push(&f->scopes, module);
  return f;
}

void il_facts_free(il_facts *f) {
  if (!f)
    return;
  il_array_free(&f->scopes);
  il_array_free(&f->decls);
  il_array_free(&f->ctors);
  il_array_free(&f->assigns);
  il_array_free(&f->refs);
  il_array_free(&f->calls);
  il_array_free(&f->greads);
  il_array_free(&f->lnodes);
  il_array_free(&f->suppressions);
  il_array_free(&f->handler_names);
  free(f->dropped_flags);
  il_array_free(&f->exports);
  il_array_free(&f->xuses);
  il_array_free(&f->xlayers);
  il_array_free(&f->rets);
  il_array_free(&f->fsums);
  il_array_free(&f->xcalls);
  il_array_free(&f->c_members);
  il_array_free(&f->wide);
  il_array_free(&f->ref_members);
  il_arena_free(f->arena);
  free(f->symtab);
  free(f);
}

static uint32_t hash_name(int32_t scope, const char *s, size_t n) {
  return il_fnv32(IL_FNV32_INIT ^ (uint32_t)scope * 16777619u, s, n);
}

/* Member bindings ("Class.field", "Ns.prop") are keyed by their owner, not a scope:
 * they are not in scope by name, only reachable as `Owner.prop`. */
static int32_t key_scope(const il_decl *d) {
  return d->kind == IL_DECL_FIELD ? -2 - d->owner : d->scope;
}

static void symtab_build(il_facts *f) {
  uint32_t cap = 16;
  while (cap < f->decls.len * 2 + 1)
    cap *= 2;
  f->symtab = il_xmalloc(cap * sizeof *f->symtab);
  memset(f->symtab, 0xff, cap * sizeof *f->symtab);
  f->symtab_cap = cap;
  for (uint32_t i = 0; i < f->decls.len; i++) {
    const il_decl *d = &f->decls.data[i];
    if (d->kind == IL_DECL_FIELD && d->owner < 0)
      continue;
    int32_t ks = key_scope(d);
    uint32_t h = hash_name(ks, d->name, strlen(d->name)) & (cap - 1);
    for (;; h = (h + 1) & (cap - 1)) {
      int32_t e = f->symtab[h];
      if (e < 0) {
        f->symtab[h] = (int32_t)i;
        break;
      }
      const il_decl *o = &f->decls.data[e];
      if (key_scope(o) == ks && strcmp(o->name, d->name) == 0)
        break; /* the first declaration wins */
    }
  }
}

static int32_t lookup_n(const il_facts *f, int32_t scope, const char *name, size_t n) {
  if (!f->symtab)
    return -1;
  uint32_t mask = f->symtab_cap - 1;
  for (int32_t s = scope; s >= 0; s = f->scopes.data[s].parent) {
    for (uint32_t h = hash_name(s, name, n) & mask;; h = (h + 1) & mask) {
      int32_t e = f->symtab[h];
      if (e < 0)
        break;
      const il_decl *d = &f->decls.data[e];
      if (d->scope == s && d->kind != IL_DECL_FIELD && strncmp(d->name, name, n) == 0 &&
          d->name[n] == '\0')
        return e;
    }
  }
  return -1;
}

int32_t il_facts_lookup(const il_facts *f, int32_t scope, const char *name) {
  return name ? lookup_n(f, scope, name, strlen(name)) : -1;
}

int32_t il_facts_member(const il_facts *f, int32_t owner, const char *prop) {
  if (!f->symtab || owner < 0 || (uint32_t)owner >= f->decls.len || !prop)
    return -1;
  char buf[256];
  int n = snprintf(buf, sizeof buf, "%s.%s", f->decls.data[owner].name, prop);
  if (n < 0 || (size_t)n >= sizeof buf)
    return -1;
  uint32_t mask = f->symtab_cap - 1;
  for (uint32_t h = hash_name(-2 - owner, buf, (size_t)n) & mask;; h = (h + 1) & mask) {
    int32_t e = f->symtab[h];
    if (e < 0)
      return -1;
    const il_decl *d = &f->decls.data[e];
    if (d->kind == IL_DECL_FIELD && d->owner == owner && strcmp(d->name, buf) == 0)
      return e;
  }
}

/* The declaration an lnode name resolves to: an identifier, or `Owner.prop` where
 * Owner is a class (static field, service member) or a module-level object
 * namespace, or `this.prop` in a static initializer. */
static int32_t lnode_decl(const il_facts *f, const il_lnode *l) {
  const char *dot = strchr(l->name, '.');
  if (!dot)
    return il_facts_lookup(f, l->scope, l->name);
  size_t rn = (size_t)(dot - l->name);
  int32_t owner = -1;
  if (rn == 4 && strncmp(l->name, "this", 4) == 0) {
    for (int32_t s = l->scope; s >= 0; s = f->scopes.data[s].parent) {
      const il_scope *sc = &f->scopes.data[s];
      if (sc->class_decl >= 0) {
        owner = sc->is_static ? sc->class_decl : -1; /* instance `this` is not the class */
        break;
      }
    }
  } else {
    owner = lookup_n(f, l->scope, l->name, rn);
  }
  if (owner < 0)
    return -1;
  il_decl_kind k = f->decls.data[owner].kind;
  if (k != IL_DECL_CLASS && k != IL_DECL_CONST)
    return -1;
  return il_facts_member(f, owner, dot + 1);
}

int32_t il_facts_handler_of(const il_facts *f, int32_t scope) {
  for (int32_t s = scope; s >= 0; s = f->scopes.data[s].parent)
    if (f->scopes.data[s].is_handler)
      return s;
  return -1;
}

int32_t il_facts_function_of(const il_facts *f, int32_t scope) {
  for (int32_t s = scope; s >= 0; s = f->scopes.data[s].parent)
    if (!f->scopes.data[s].at_load)
      return s;
  return -1;
}

static bool is_global_name(const char *s) {
  return strcmp(s, "globalThis") == 0 || strcmp(s, "global") == 0 || strcmp(s, "self") == 0;
}

/* Is `root` as seen from `scope` the global object (or an alias of it)? */
static bool root_is_global(const il_facts *f, int32_t scope, const char *root, int32_t *decl) {
  int32_t d = il_facts_lookup(f, scope, root);
  *decl = d;
  if (d < 0)
    return is_global_name(root);
  return f->decls.data[d].init_kind == IL_INIT_GLOBAL_ALIAS;
}

static void resolve_ctor(il_facts *f, const il_kb *kb, il_ctor *k) {
  k->from = NULL;
  k->export_path = NULL;
  if (k->local_call) { /* value flow gives it what the function returns */
    k->client = NULL;
    k->module = NULL;
    k->level = IL_LEVEL_OFF;
    return;
  }
  int32_t d = il_facts_lookup(f, k->scope, k->root);
  if (d < 0)
    return;
  const il_decl *dp = &f->decls.data[d];
  if (dp->kind != IL_DECL_IMPORT || dp->type_only || !dp->module)
    return;
  const char *path;
  if (strcmp(dp->imported, "*") == 0 || strcmp(dp->imported, "default") == 0)
    path = k->path[0] ? k->path : "default";
  else if (k->path[0])
    path = il_arena_printf(f->arena, "%s.%s", dp->imported, k->path);
  else
    path = dp->imported;
  k->from = dp->module;
  k->export_path = path;
  const il_kb_row *row = il_kb_lookup(kb, dp->module, path, k->is_new);
  if (!row)
    return;
  k->client = row;
  k->module = dp->module;
  k->level = row->level;
}

/* The client construction a declaration holds, or -1. */
static int32_t decl_client(const il_facts *f, int32_t d) {
  if (d < 0)
    return -1;
  int32_t c = f->decls.data[d].init_ctor;
  return c >= 0 && f->ctors.data[c].client ? c : -1;
}

/* Wrappers (PrismaClient, Kysely, drizzle...) take the level of the clients passed
 * in, directly or through a binding. Nesting can chain, so iterate to a fixpoint
 * (bounded: levels only rise or settle, and chains are short). */
static void inherit_levels(il_facts *f) {
  uint32_t n = f->ctors.len;
  bool any_wrapper = false;
  for (uint32_t i = 0; i < n; i++)
    any_wrapper |= f->ctors.data[i].client && f->ctors.data[i].client->inherits;
  for (uint32_t i = 0; i < n; i++) {
    il_ctor *k = &f->ctors.data[i];
    if (!k->client)
      continue;
    /* nearest enclosing client construction */
    int32_t o = k->outer;
    while (o >= 0 && !f->ctors.data[o].client)
      o = f->ctors.data[o].outer;
    if (o >= 0)
      k->wrapped_by = o;
  }
  for (uint32_t i = 0; i < f->refs.len; i++) {
    const il_ref *r = &f->refs.data[i];
    if (r->in_ctor < 0)
      continue;
    int32_t o = r->in_ctor;
    while (o >= 0 && !f->ctors.data[o].client)
      o = f->ctors.data[o].outer;
    int32_t c = decl_client(f, r->decl);
    if (o >= 0 && c >= 0 && c != o && f->ctors.data[c].wrapped_by < 0 &&
        f->ctors.data[c].scope == f->ctors.data[o].scope)
      f->ctors.data[c].wrapped_by = o;
  }
  if (!any_wrapper)
    return;
  for (int pass = 0; pass < 8; pass++) {
    bool changed = false;
    for (uint32_t i = 0; i < n; i++) {
      il_ctor *k = &f->ctors.data[i];
      if (!k->client || !k->client->inherits)
        continue;
      il_level best = IL_LEVEL_OFF;
      int32_t inner = -1;
      for (uint32_t j = 0; j < n; j++) {
        const il_ctor *c = &f->ctors.data[j];
        if (c->client && c->wrapped_by == (int32_t)i && c->level > best) {
          best = c->level;
          inner = (int32_t)j;
        }
      }
      il_level lv = inner >= 0 ? best : k->client->level;
      if (lv != k->level || inner != k->inner) {
        k->level = lv;
        k->inner = inner;
        changed = true;
      }
    }
    if (!changed)
      break;
  }
}

/* ---- calls at load ----------------------------------------------------------------- */

static bool str_in(const char *s, const char *const *set) {
  for (; *set; set++)
    if (strcmp(s, *set) == 0)
      return true;
  return false;
}

/* The operation a call of a global name does: root and path after any
 * globalThis/self/global prefix. */
static il_load_op global_op(const char *root, const char *path, bool is_new) {
  if (strcmp(root, "crypto") == 0 && !is_new &&
      (strcmp(path, "randomUUID") == 0 || strcmp(path, "getRandomValues") == 0))
    return IL_OP_RANDOM;
  if (strcmp(root, "AbortSignal") == 0 && !is_new && strcmp(path, "timeout") == 0)
    return IL_OP_TIMER;
  if (path[0])
    return IL_OP_NONE;
  if (is_new)
    return strcmp(root, "AbortController") == 0 ? IL_OP_ABORT : IL_OP_NONE;
  if (strcmp(root, "fetch") == 0)
    return IL_OP_FETCH;
  if (strcmp(root, "setTimeout") == 0 || strcmp(root, "setInterval") == 0)
    return IL_OP_TIMER;
  return IL_OP_NONE;
}

/* The operation a call of an imported export does (module, export path). */
static il_load_op import_op(const char *module, const char *exp, const il_call *c) {
  static const char *const effect_runs[] = {"runSync",        "runPromise", "runSyncExit",
                                            "runPromiseExit", "runFork",    NULL};
  static const char *const node_random[] = {
      "randomUUID", "getRandomValues",           "randomBytes",
      "randomInt",  "webcrypto.getRandomValues", "webcrypto.randomUUID",
      NULL};
  static const char *const timers[] = {"setTimeout", "setInterval", NULL};
  if (strcmp(module, "cloudflare:sockets") == 0)
    return !c->is_new && strcmp(exp, "connect") == 0 ? IL_OP_CONNECT : IL_OP_NONE;
  if (strcmp(module, "cloudflare:workers") == 0)
    return c->awaited && strncmp(exp, "env.", 4) == 0 ? IL_OP_BINDING : IL_OP_NONE;
  if (c->is_new)
    return IL_OP_NONE;
  if (strcmp(module, "node:crypto") == 0 || strcmp(module, "crypto") == 0)
    return str_in(exp, node_random) ? IL_OP_RANDOM : IL_OP_NONE;
  if (strcmp(module, "node:timers") == 0 || strcmp(module, "timers") == 0 ||
      strcmp(module, "node:timers/promises") == 0 || strcmp(module, "timers/promises") == 0)
    return str_in(exp, timers) ? IL_OP_TIMER : IL_OP_NONE;
  if (strcmp(module, "effect") == 0)
    return strncmp(exp, "Effect.", 7) == 0 && str_in(exp + 7, effect_runs) ? IL_OP_EFFECT_RUN
                                                                           : IL_OP_NONE;
  if (strcmp(module, "effect/Effect") == 0 || strcmp(module, "@effect/io/Effect") == 0)
    return str_in(exp, effect_runs) ? IL_OP_EFFECT_RUN : IL_OP_NONE;
  return IL_OP_NONE;
}

static void resolve_call(il_facts *f, il_call *c) {
  c->decl = il_facts_lookup(f, c->scope, c->root);
  c->module = NULL;
  c->export_path = NULL;
  c->op = IL_OP_NONE;
  c->io_call = -1;
  c->io_decl = -1;
  const il_decl *d = c->decl >= 0 ? &f->decls.data[c->decl] : NULL;
  if (d && d->kind == IL_DECL_IMPORT && !d->type_only && d->module) {
    const char *exp;
    if (strcmp(d->imported, "*") == 0 || strcmp(d->imported, "default") == 0)
      exp = c->path[0] ? c->path : d->imported;
    else if (c->path[0])
      exp = il_arena_printf(f->arena, "%s.%s", d->imported, c->path);
    else
      exp = d->imported;
    c->module = d->module;
    c->export_path = exp;
    c->op = import_op(d->module, exp, c);
    return;
  }
  if (d && d->init_kind != IL_INIT_GLOBAL_ALIAS)
    return; /* a local binding shadows the global */
  if (d || is_global_name(c->root)) {
    /* globalThis.fetch, self.crypto.randomUUID: the first member is the global */
    const char *dot = strchr(c->path, '.');
    size_t n = dot ? (size_t)(dot - c->path) : strlen(c->path);
    if (n == 0 || n >= 64 || memchr(c->path, '(', n))
      return;
    char head[64];
    memcpy(head, c->path, n);
    head[n] = '\0';
    c->op = global_op(head, dot ? dot + 1 : "", c->is_new);
    return;
  }
  c->op = global_op(c->root, c->path, c->is_new);
}

bool il_facts_call_does_io(const il_facts *f, const il_call *c) {
  if (c->op == IL_OP_FETCH || c->op == IL_OP_CONNECT)
    return true;
  return c->ctor >= 0 && f->ctors.data[c->ctor].client != NULL;
}

/* Resolves calls, then which Effect runs execute a program that visibly does I/O:
 * one inside the run's arguments, or inside the initializer of the module-level
 * binding passed as the program. */
static void resolve_calls(il_facts *f) {
  if (!f->calls.len)
    return;
  for (uint32_t i = 0; i < f->calls.len; i++) {
    f->calls.data[i].xstep = -1; /* value flow fills it */
    resolve_call(f, &f->calls.data[i]);
  }
  int32_t *init_io = il_xmalloc((f->decls.len + 1) * sizeof *init_io);
  memset(init_io, 0xff, (f->decls.len + 1) * sizeof *init_io);
  bool any_run = false;
  for (uint32_t i = 0; i < f->calls.len; i++) {
    il_call *c = &f->calls.data[i];
    any_run |= c->op == IL_OP_EFFECT_RUN;
    if (!il_facts_call_does_io(f, c))
      continue;
    if (c->init_of >= 0 && init_io[c->init_of] < 0)
      init_io[c->init_of] = (int32_t)i;
    /* every enclosing run: stops at the first one already marked */
    for (int32_t r = c->in_run; r >= 0 && f->calls.data[r].io_call < 0; r = f->calls.data[r].in_run)
      f->calls.data[r].io_call = (int32_t)i;
  }
  for (uint32_t i = 0; any_run && i < f->calls.len; i++) {
    il_call *c = &f->calls.data[i];
    if (c->op != IL_OP_EFFECT_RUN || c->io_call >= 0 || !c->arg_root)
      continue;
    int32_t d = il_facts_lookup(f, c->scope, c->arg_root);
    if (d >= 0 && f->decls.data[d].scope == 0 && init_io[d] >= 0) {
      c->io_call = init_io[d];
      c->io_decl = d;
    }
  }
  free(init_io);
}

void il_facts_bind(il_facts *f) {
  if (f->bound)
    return;
  f->bound = true;
  symtab_build(f);
  /* module functions named as entry points elsewhere (`export default { fetch }`) */
  for (uint32_t i = 0; i < f->handler_names.len; i++)
    for (uint32_t s = 1; s < f->scopes.len; s++)
      if (f->scopes.data[s].parent == 0 &&
          strcmp(f->scopes.data[s].name, f->handler_names.data[i]) == 0)
        f->scopes.data[s].is_handler = true;
}

int32_t il_facts_ref_decl(const il_facts *f, const il_ref *r) {
  return lookup_n(f, r->scope, r->name, r->name_len);
}

void il_facts_resolve(il_facts *f, const il_kb *kb) {
  il_facts_bind(f);
  f->unknown_calls = il_kb_unknown_calls(kb);
  for (uint32_t s = 0; s < f->scopes.len; s++)
    f->scopes.data[s].load_site = -1; /* value flow fills it */
  bool any_client = false;
  for (uint32_t i = 0; i < f->ctors.len; i++) {
    il_ctor *k = &f->ctors.data[i];
    k->wrapped_by = -1;
    k->inner = -1;
    k->origin = -1;
    k->xorigin = -1;
    if (k->via) { /* resolution runs again on the same facts (the layer pass, then phase 3):
                     what value flow gave a call the last time is not kept */
      k->client = NULL;
      k->module = NULL;
      k->level = IL_LEVEL_OFF;
    }
    k->via = NULL;
    k->program = false;
    k->held = false;
    resolve_ctor(f, kb, k);
    any_client |= k->client != NULL;
  }
  for (uint32_t i = 0; i < f->assigns.len; i++) {
    il_assign *a = &f->assigns.data[i];
    if (a->target != IL_TARGET_THIS)
      a->global = root_is_global(f, a->scope, a->root, &a->decl) && a->target == IL_TARGET_MEMBER;
    a->value_decl = il_facts_lookup(f, a->scope, a->value_name);
  }
  for (uint32_t i = 0; i < f->greads.len; i++) {
    il_global_read *g = &f->greads.data[i];
    int32_t d;
    g->global = root_is_global(f, g->scope, g->root, &d);
  }
  for (uint32_t i = 0; i < f->rets.len; i++) {
    il_ret *r = &f->rets.data[i];
    r->value_decl = il_facts_lookup(f, r->scope, r->value_name);
  }
  resolve_calls(f);
  for (uint32_t i = 0; i < f->lnodes.len; i++) {
    il_lnode *l = &f->lnodes.data[i];
    l->decl = l->is_name ? lnode_decl(f, l) : -1;
  }
  if (!any_client && !f->xuses.len)
    return; /* nothing to relate references to */
  for (uint32_t i = 0; i < f->refs.len; i++) {
    il_ref *r = &f->refs.data[i];
    r->decl = lookup_n(f, r->scope, r->name, r->name_len);
  }
  inherit_levels(f);
}

int32_t il_facts_c_handler_of(const il_facts *f, int32_t s) {
  for (; s > 0; s = f->scopes.data[s].parent) {
    if (f->scopes.data[s].is_handler)
      return s;
    if (f->scopes.data[s].reach_handler > 0)
      return f->scopes.data[s].reach_handler;
  }
  return -1;
}

int32_t il_facts_c_function_of(const il_facts *f, int32_t s) {
  while (s > 0 && f->scopes.data[s].parent > 0 && !f->scopes.data[s].is_handler)
    s = f->scopes.data[s].parent;
  return s;
}

void il_facts_relink(il_facts *f) {
  for (uint32_t i = 0; i < f->refs.len; i++) {
    il_ref *r = &f->refs.data[i];
    r->decl = lookup_n(f, r->scope, r->name, r->name_len);
  }
  inherit_levels(f);
}

void il_facts_comment(il_facts *f, il_span span) {
  const char *s = f->src + span.start_byte;
  size_t len = span.end_byte - span.start_byte;
  if (len < 2)
    return;
  const char *end = s + len;
  if (s[1] == '*' && len >= 4)
    end -= 2; /* the closing star-slash */
  /* the directive must be the first word of the comment */
  const char *p = s + 2;
  while (p < end && (*p == ' ' || *p == '\t' || *p == '*'))
    p++;
  static const char key[] = "isolint-";
  if ((size_t)(end - p) < sizeof key - 1 || memcmp(p, key, sizeof key - 1) != 0)
    return;
  /* the directive: the word after "isolint-" */
  const char *w = p;
  while (p < end && *p != ' ' && *p != '\t' && *p != '\r' && *p != '\n' && *p != ',')
    p++;
  size_t wn = (size_t)(p - w);
  il_suppression sup = {0};
  sup.span = span;
#define IS(lit) (wn == sizeof lit - 1 && memcmp(w, lit, wn) == 0)
  if (IS("isolint-disable-next-line")) {
    sup.next_line = true;
    sup.line = span.end.line + 1;
  } else if (IS("isolint-disable-line")) {
    sup.line = span.start.line;
  } else if (IS("isolint-disable")) {
    sup.kind = IL_SUP_BLOCK;
    sup.line = span.start.line;
    sup.end_line = UINT32_MAX;
  } else if (IS("isolint-enable")) {
    sup.kind = IL_SUP_ENABLE;
    sup.line = span.start.line;
  } else {
    /* a word of ours that is no directive (a typo, another tool's form): reported by
     * invalid-suppression, never applied */
    sup.kind = IL_SUP_UNKNOWN;
    sup.line = span.start.line;
    sup.word = il_arena_strndup(f->arena, w, wn);
    il_array_push(&f->suppressions, sup);
    return;
  }
#undef IS
  /* rules up to "--", then the reason */
  while (p < end) {
    /* line breaks separate rules too (a block comment over several lines):
     * a rule name stops at them, so they must be skipped here or p never moves */
    while (p < end && (*p == ' ' || *p == '\t' || *p == ',' || *p == '\r' || *p == '\n'))
      p++;
    if (p >= end)
      break;
    if (end - p >= 2 && p[0] == '-' && p[1] == '-') {
      p += 2;
      while (p < end && (*p == ' ' || *p == '\t'))
        p++;
      const char *r = end;
      while (r > p && (r[-1] == ' ' || r[-1] == '\t' || r[-1] == '\r' || r[-1] == '\n' ||
                       r[-1] == '*'))
        r--;
      if (r > p)
        sup.reason = il_arena_strndup(f->arena, p, (size_t)(r - p));
      break;
    }
    const char *q = p;
    while (q < end && *q != ' ' && *q != '\t' && *q != ',' && *q != '\r' && *q != '\n')
      q++;
    if (sup.n_rules < sizeof sup.rules / sizeof sup.rules[0])
      sup.rules[sup.n_rules++] = il_arena_strndup(f->arena, p, (size_t)(q - p));
    p = q;
  }
  il_array_push(&f->suppressions, sup);
}

/* ---- detaching from the text ------------------------------------------------------ */

uint64_t il_text_hash(const char *s, size_t n, bool *non_ascii) {
  const uint64_t k = 0x9E3779B97F4A7C15ull;
  uint64_t h = 0x243F6A8885A308D3ull ^ (uint64_t)n, high = 0;
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t w;
    memcpy(&w, s + i, 8);
    high |= w;
    h = (h ^ w) * k;
    h ^= h >> 29;
  }
  uint64_t w = 0;
  memcpy(&w, s + i, n - i);
  high |= w;
  h = (h ^ w) * k;
  h ^= h >> 32;
  *non_ascii = (high & 0x8080808080808080ull) != 0;
  return h;
}

typedef struct {
  const char *s; /* NULL: empty slot */
  uint32_t len;
  bool import; /* the name of an import declaration */
} name_slot;

typedef struct {
  name_slot *slots;
  uint32_t cap;
} name_table;

/* The slot of name s (found, or empty where it goes). */
static name_slot *name_find(name_table *t, const char *s, uint32_t n) {
  uint32_t h = hash_name(0, s, n) & (t->cap - 1);
  for (;; h = (h + 1) & (t->cap - 1)) {
    name_slot *e = &t->slots[h];
    if (!e->s || (e->len == n && memcmp(e->s, s, n) == 0))
      return e;
  }
}

bool il_member_at(const char *src, size_t len, size_t p, size_t *start, size_t *end) {
  while (p < len && (src[p] == ' ' || src[p] == '\t'))
    p++;
  if (p + 1 < len && src[p] == '?' && src[p + 1] == '.')
    p++;
  if (p >= len || src[p] != '.')
    return false;
  p++;
  while (p < len && (src[p] == ' ' || src[p] == '\t'))
    p++;
  size_t a = p;
  while (p < len && il_js_ident_ascii((unsigned char)src[p]))
    p++;
  if (p == a || (src[a] >= '0' && src[a] <= '9'))
    return false;
  *start = a;
  *end = p;
  return true;
}

/* The member read right after the reference ending at byte p, in f's arena. */
static const char *member_at(il_facts *f, size_t p) {
  size_t a, e;
  return il_member_at(f->src, f->len, p, &a, &e) ? il_arena_strndup(f->arena, f->src + a, e - a)
                                                 : NULL;
}

bool il_next_wide_run(const char *s, size_t len, size_t *i, size_t *start) {
  const unsigned char *u = (const unsigned char *)s;
  size_t k = *i;
  while (k < len && u[k] < 0x80) {
    uint64_t w; /* eight ASCII bytes at a time */
    if (k + 8 <= len && (memcpy(&w, u + k, 8), !(w & 0x8080808080808080ull)))
      k += 8;
    else
      k++;
  }
  if (k >= len) {
    *i = k;
    return false;
  }
  *start = k;
  while (k < len && u[k] >= 0x80)
    k++;
  *i = k;
  return true;
}

void il_facts_detach(il_facts *f, bool columns) {
  if (f->detached)
    return;
  bool wide = false;
  f->src_hash = il_text_hash(f->src, f->len, &wide);
  if (wide && columns) { /* the runs of bytes >= 0x80 */
    size_t i = 0, a;
    while (il_next_wide_run(f->src, f->len, &i, &a)) {
      il_wide_run r = {(uint32_t)a, (uint32_t)(i - a),
                       il_arena_strndup(f->arena, f->src + a, i - a)};
      il_array_push(&f->wide, r);
    }
  }
  if (f->refs.len) {
    name_table t = {NULL, 16};
    uint32_t imports = 0;
    for (uint32_t i = 0; i < f->decls.len; i++)
      imports += f->decls.data[i].kind == IL_DECL_IMPORT;
    while (t.cap < (f->refs.len + imports) * 2 + 1)
      t.cap *= 2;
    t.slots = il_xcalloc(t.cap, sizeof *t.slots);
    for (uint32_t i = 0; i < f->decls.len; i++) {
      const il_decl *d = &f->decls.data[i];
      if (d->kind != IL_DECL_IMPORT || !d->name)
        continue;
      uint32_t n = (uint32_t)strlen(d->name);
      name_slot *e = name_find(&t, d->name, n);
      if (!e->s)
        *e = (name_slot){d->name, n, true};
    }
    for (uint32_t i = 0; i < f->refs.len; i++) {
      il_ref *r = &f->refs.data[i];
      name_slot *e = name_find(&t, r->name, r->name_len);
      if (!e->s)
        *e = (name_slot){il_arena_strndup(f->arena, r->name, r->name_len), r->name_len, false};
      else if (e->import) {
        const char *m = member_at(f, r->span.end_byte);
        if (m) {
          il_ref_member rm = {i, m};
          il_array_push(&f->ref_members, rm);
        }
      }
      r->name = e->s;
    }
    free(t.slots);
  }
  /* the arrays stay as they are until phase 3: give back what they grew beyond */
#define FIT(a)                                                                   \
  if (f->a.cap > f->a.len && f->a.len) {                                         \
    f->a.data = il_xrealloc(f->a.data, f->a.len * sizeof *f->a.data);            \
    f->a.cap = f->a.len;                                                         \
  }
  FIT(scopes);
  FIT(decls);
  FIT(ctors);
  FIT(assigns);
  FIT(refs);
  FIT(calls);
  FIT(greads);
  FIT(lnodes);
  FIT(exports);
#undef FIT
  f->src = NULL;
  f->detached = true;
}

uint32_t il_facts_col16(const il_facts *f, uint32_t line_start, uint32_t byte_col,
                        bool first_line) {
  if (f->src)
    return il_utf16_col(f->src + line_start, byte_col, first_line);
  /* the first run ending after line_start */
  uint32_t lo = 0, hi = f->wide.len;
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo) / 2;
    const il_wide_run *r = &f->wide.data[mid];
    if (r->start + r->len <= line_start)
      lo = mid + 1;
    else
      hi = mid;
  }
  /* ASCII bytes count one unit each; a run of non-ASCII bytes decodes on its own
   * (no UTF-8 sequence takes an ASCII byte), cut where the prefix ends */
  uint64_t end = (uint64_t)line_start + byte_col;
  uint32_t col = 1, pos = line_start;
  for (uint32_t i = lo; i < f->wide.len && f->wide.data[i].start < end; i++) {
    const il_wide_run *r = &f->wide.data[i];
    uint32_t a = r->start > pos ? r->start : pos;
    col += a - pos;
    uint32_t take = (uint32_t)((uint64_t)r->start + r->len < end ? r->start + r->len - a : end - a);
    col += il_utf16_col(r->bytes + (a - r->start), take, first_line && a == line_start) - 1;
    pos = a + take;
  }
  return col + (uint32_t)(end - pos);
}

const char *il_facts_ref_member(const il_facts *f, uint32_t ref) {
  uint32_t lo = 0, hi = f->ref_members.len;
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo) / 2;
    if (f->ref_members.data[mid].ref < ref)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo < f->ref_members.len && f->ref_members.data[lo].ref == ref
             ? f->ref_members.data[lo].member
             : NULL;
}

/* Reference i moves to index kept: the member recorded for it (facts loaded detached
 * from the cache have them before references are dropped) follows. *m walks the
 * members (sorted by reference), *mk counts those kept. */
static void keep_ref(il_facts *f, uint32_t i, uint32_t kept, uint32_t *m, uint32_t *mk) {
  f->refs.data[kept] = f->refs.data[i];
  while (*m < f->ref_members.len && f->ref_members.data[*m].ref < i)
    (*m)++;
  if (*m < f->ref_members.len && f->ref_members.data[*m].ref == i) {
    il_ref_member x = {kept, f->ref_members.data[*m].member};
    f->ref_members.data[(*mk)++] = x;
  }
}

void il_facts_drop_unbound_refs(il_facts *f) {
  uint32_t kept = 0, m = 0, mk = 0;
  for (uint32_t i = 0; i < f->refs.len; i++)
    if (il_facts_ref_decl(f, &f->refs.data[i]) >= 0)
      keep_ref(f, i, kept++, &m, &mk);
  f->refs.len = kept;
  f->ref_members.len = mk;
}

void il_facts_reduce(il_facts *f, bool import_refs, bool layers) {
  uint32_t kept = 0, m = 0, mk = 0;
  for (uint32_t i = 0; (import_refs || layers) && i < f->refs.len; i++) {
    const il_ref *r = &f->refs.data[i];
    int32_t d = il_facts_ref_decl(f, r);
    if (d >= 0 && ((import_refs && f->decls.data[d].kind == IL_DECL_IMPORT) ||
                   (layers && r->in_ctor >= 0 && f->decls.data[d].init_ctor >= 0)))
      keep_ref(f, i, kept++, &m, &mk);
  }
  f->ref_members.len = mk;
  if (kept) {
    f->refs.len = kept;
  } else {
    il_array_free(&f->refs);
    il_array_free(&f->ref_members);
  }
  if (!layers) {
    il_array_free(&f->ctors);
    il_array_free(&f->lnodes);
  }
  il_array_free(&f->assigns);
  il_array_free(&f->calls);
  il_array_free(&f->greads);
  il_array_free(&f->suppressions);
  il_array_free(&f->handler_names);
  if (!layers)
    il_array_free(&f->rets); /* phase 2 reads the summaries (fsums); the layer pass, these */
}
