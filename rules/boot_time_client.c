/* boot-time-client (C), and the C side of lazy-singleton-client and
 * module-scope-client: a client handle kept in file-scope or function-static
 * storage is shared by every request a threaded server (or a Wasm instance)
 * serves. Where the handle is filled decides the rule; a finding needs a request
 * handler that fills or uses it, so a CLI tool with a global handle is fine. */
#include <string.h>

#include "c_rules.h"
#include "rule_util.h"

int32_t il_c_boot_of(const il_facts *f, int32_t s) {
  for (; s > 0; s = f->scopes.data[s].parent) {
    if (f->scopes.data[s].is_boot)
      return s;
    if (f->scopes.data[s].reach_boot > 0)
      return f->scopes.data[s].reach_boot;
  }
  return -1;
}

/* The declaration an assignment stores into when it outlives the request:
 * file-scope variables (or a member of one) and function-static locals. */
static int32_t storage(const il_facts *f, const il_assign *a, const char **what) {
  if (a->decl < 0 || a->target == IL_TARGET_THIS)
    return -1;
  const il_decl *d = &f->decls.data[a->decl];
  if (d->kind != IL_DECL_VAR)
    return -1;
  const char *name = a->target == IL_TARGET_MEMBER
                         ? il_arena_printf(f->arena, "%s.%s", d->name, a->prop)
                         : d->name;
  if (d->scope == 0)
    *what = il_arena_printf(f->arena, "file-scope '%s'", name);
  else if (d->c_static)
    *what = il_arena_printf(f->arena, "function-static '%s' in '%s'", name,
                            f->scopes.data[il_facts_c_function_of(f, d->scope)].name);
  else
    return -1;
  return a->decl;
}

/* Related locations where handler code reads declaration d, one per function.
 * Returns the handler scope of the first use, or -1. */
static int32_t handler_uses(const il_facts *f, int32_t d, il_rel *rel, uint32_t *n, uint32_t max,
                            int32_t skip_fn) {
  int32_t first = -1;
  int32_t seen[IL_MAX_REL];
  uint32_t n_seen = 0;
  for (uint32_t i = 0; i < f->refs.len && *n < max; i++) {
    const il_ref *r = &f->refs.data[i];
    int32_t h = r->decl == d ? il_facts_c_handler_of(f, r->scope) : -1;
    if (h < 0 || f->scopes.data[r->scope].c_locks)
      continue; /* (a read under a lock the function takes is guarded) */
    int32_t fn = il_facts_c_function_of(f, r->scope);
    bool dup = fn == skip_fn;
    for (uint32_t j = 0; j < n_seen; j++)
      dup |= seen[j] == fn;
    if (dup || n_seen == IL_MAX_REL)
      continue;
    seen[n_seen++] = fn;
    if (first < 0)
      first = h;
    rel[*n].span = r->span;
    rel[*n].message =
        fn == h ? il_arena_printf(f->arena, "used in request handler '%s'", f->scopes.data[h].name)
                : il_arena_printf(f->arena, "used in '%s', called from request handler '%s'",
                                  f->scopes.data[fn].name, f->scopes.data[h].name);
    (*n)++;
  }
  return first;
}

/* "PQconnectdb()", or for a call given its client by value flow "db_conn() (which
 * opens it with PQconnectdb())". */
const char *il_c_opener(const il_facts *f, const il_ctor *k) {
  if (!k->via)
    return il_arena_printf(f->arena, "%s()", k->root);
  if (k->origin >= 0)
    return il_arena_printf(f->arena, "%s() (which opens it with %s())", k->via,
                           f->ctors.data[k->origin].root);
  return il_arena_printf(f->arena, "%s() (which opens it in another file)", k->via);
}

/* The first related locations of a finding: where the handle is opened (for a
 * wrapper, where the wrapper opens it, then where it is called). */
void il_c_add_opened(const il_facts *f, const il_ctor *k, il_rel *rel, uint32_t *n) {
  if (k->via) {
    il_ru_add_built(f, k, rel, n, IL_MAX_REL);
    return;
  }
  rel[*n].span = k->span;
  rel[(*n)++].message =
      il_arena_printf(f->arena, "%s() opens the %s here", k->root,
                      k->client->handle ? k->client->handle : k->client->name);
}

/* A socket() descriptor read by a request loop: the listening socket its accept()
 * takes requests from, shared on purpose. */
static bool listening_socket(const il_facts *f, const il_ctor *k, int32_t user) {
  return user > 0 && f->scopes.data[user].parent > 0 && k->client->export &&
         strcmp(k->client->export, "socket") == 0;
}

const char *il_c_handle_of(const il_ctor *k) {
  return k->client->handle ? k->client->handle : k->client->name;
}

const char *il_c_why(const il_ctor *k) {
  return k->client->why ? k->client->why : "it is one connection, not safe to share";
}

bool il_c_reports(const il_facts *f, const il_assign *a) {
  const char *what = NULL;
  int32_t d = storage(f, a, &what);
  if (d < 0)
    return false;
  for (uint32_t i = 0; i < f->refs.len; i++) {
    const il_ref *r = &f->refs.data[i];
    if (r->decl == d && il_facts_c_handler_of(f, r->scope) >= 0 &&
        !f->scopes.data[r->scope].c_locks)
      return true;
  }
  for (uint32_t x = 0; x < f->xuses.len; x++)
    if (f->xuses.data[x].decl == d && f->xuses.data[x].in_handler)
      return true;
  return false;
}

void il_c_check(il_rule_ctx *rc, const il_facts *f, il_c_kind kind) {
  for (uint32_t i = 0; i < f->assigns.len; i++) {
    const il_assign *a = &f->assigns.data[i];
    int32_t c = il_ru_assigned_client(f, a, true);
    if (c < 0)
      continue;
    const char *what = NULL;
    int32_t d = storage(f, a, &what);
    if (d < 0)
      continue;
    const il_ctor *k = &f->ctors.data[c];
    int32_t h = il_facts_c_handler_of(f, a->scope);
    int32_t b = h < 0 ? il_c_boot_of(f, a->scope) : -1;
    il_c_kind is = h >= 0 ? IL_C_LAZY : b >= 0 ? IL_C_BOOT : IL_C_MODULE;
    if (is != kind)
      continue;
    int32_t fn = il_facts_c_function_of(f, a->scope);
    il_rel rel[IL_MAX_REL];
    uint32_t n = 0;
    il_c_add_opened(f, k, rel, &n);
    bool tls = f->decls.data[d].c_tls;
    il_level level = tls ? IL_LEVEL_NOTE : k->level;
    if (tls)
      what = il_arena_printf(f->arena, "thread-local %s", what);
    rel[n].span = f->decls.data[d].span;
    rel[n++].message = f->decls.data[d].scope == 0 ? "declared at file scope here"
                                                   : "declared function-static here";
    int32_t user = handler_uses(f, d, rel, &n, IL_MAX_REL, kind == IL_C_LAZY ? fn : -1);
    /* handlers of other translation units that read the global (flow/c_link.c) */
    const char *user_desc =
        user >= 0 ? il_arena_printf(f->arena, "request handler '%s'", f->scopes.data[user].name)
                  : NULL;
    for (uint32_t x = 0; x < f->xuses.len && !user_desc; x++)
      if (f->xuses.data[x].decl == d && f->xuses.data[x].in_handler)
        user_desc = il_arena_printf(f->arena, "request handler code in '%s'",
                                    f->xuses.data[x].path);
    il_ru_add_xuses(f, d, rel, &n, IL_MAX_REL);
    const char *fname = f->scopes.data[fn].name;
    /* a function that handler code of another file calls (flow/c_link.c) */
    const char *caller = NULL;
    if (kind == IL_C_LAZY && fn == h && !f->scopes.data[fn].is_handler) {
      int32_t fd = il_facts_lookup(f, 0, fname);
      for (uint32_t x = 0; fd >= 0 && x < f->xuses.len && !caller; x++)
        if (f->xuses.data[x].decl == fd && f->xuses.data[x].in_handler)
          caller = il_arena_printf(f->arena, " (called from request handler code in '%s')",
                                   f->xuses.data[x].path);
      il_ru_add_xuses(f, fd, rel, &n, IL_MAX_REL);
    }
    const char *from = il_c_opener(f, k);
    switch (kind) {
    case IL_C_LAZY:
      il_report(rc, level, a->span, rel, n,
                "%s keeps the %s from %s opened the first time '%s' runs%s%s%s, and every later "
                "request %s: %s. Open the handle per request (a local in the handler) or take one "
                "from a pool for the request.",
                what, il_c_handle_of(k), from, fname,
                fn == h ? (caller ? caller : "") : " (called from request handler '",
                fn == h ? "" : f->scopes.data[h].name, fn == h ? "" : "')",
                tls ? "that thread serves reuses it (one handle per thread, not per request)"
                    : "shares it, concurrently on a threaded server or in the same Wasm instance",
                il_c_why(k));
      break;
    case IL_C_BOOT:
      if (!user_desc || listening_socket(f, k, user))
        continue; /* no handler uses it */
      il_report(rc, level, a->span, rel, n,
                "%s holds the %s from %s opened at boot in '%s', and %s uses it, so every "
                "request shares one handle, concurrently on a threaded server: %s. Open the "
                "handle per request, or give handlers a pool through their user-data pointer and "
                "take one handle per request.",
                what, il_c_handle_of(k), from, f->scopes.data[b].name, user_desc, il_c_why(k));
      break;
    case IL_C_MODULE:
      if (!user_desc || listening_socket(f, k, user))
        continue;
      il_report(rc, level, a->span, rel, n,
                "%s holds the %s from %s opened in '%s', and %s uses it, so "
                "every request shares one handle: %s. Open the handle per request, or pass a pool "
                "to the handlers through their user-data pointer.",
                what, il_c_handle_of(k), from, fname, user_desc, il_c_why(k));
      break;
    }
    if (k->via)
      il_report_mark_flow(rc); /* opened, returned, stored, read back */
  }
}

/* The client a local of a function holds when it is filled outside the request
 * loops of that function (its initializer, or an assignment before the loop), or
 * -1; *at is where it is filled. */
static int32_t local_client(const il_facts *f, int32_t d, il_span *at) {
  const il_decl *dp = &f->decls.data[d];
  if (dp->init_ctor >= 0 && f->ctors.data[dp->init_ctor].client) {
    *at = dp->span;
    return dp->init_ctor;
  }
  for (uint32_t i = 0; i < f->assigns.len; i++) {
    const il_assign *a = &f->assigns.data[i];
    if (a->decl != d || a->target != IL_TARGET_NAME || il_facts_c_handler_of(f, a->scope) >= 0)
      continue;
    int32_t c = il_ru_assigned_client(f, a, true);
    if (c >= 0) {
      *at = a->span;
      return c;
    }
  }
  return -1;
}

/* Request loops (`while (1) { fd = accept(...); ... }`, `for (;;) { FCGX_Accept_r(...) }`):
 * a handle that a local of the function holds, opened before the loop and used inside
 * it, is shared by every request the loop serves. In main() (or what it calls) at the
 * rule's level; in any other function (a worker thread's loop) as a note. */
static void check_loop_locals(il_rule_ctx *rc, const il_facts *f) {
  for (uint32_t d = 0; d < f->decls.len; d++) {
    const il_decl *dp = &f->decls.data[d];
    if (dp->kind != IL_DECL_LET || dp->scope <= 0 || dp->c_tls || il_facts_c_handler_of(f, dp->scope) >= 0)
      continue;
    il_span at;
    int32_t c = local_client(f, (int32_t)d, &at);
    if (c < 0)
      continue;
    const il_ctor *k = &f->ctors.data[c];
    il_rel rel[IL_MAX_REL];
    uint32_t n = 0;
    il_c_add_opened(f, k, rel, &n);
    int32_t loop = handler_uses(f, (int32_t)d, rel, &n, IL_MAX_REL, -1);
    if (loop < 0 || f->scopes.data[loop].parent <= 0 || listening_socket(f, k, loop))
      continue; /* used by no request loop of this function */
    int32_t fn = il_facts_c_function_of(f, dp->scope);
    bool boot = il_c_boot_of(f, dp->scope) >= 0;
    il_report(rc, boot ? k->level : IL_LEVEL_NOTE, at, rel, n,
              "'%s', a local of '%s', holds the %s from %s opened before the request loop, and "
              "every request the loop serves (%s) uses it: %s. Open the handle per request inside "
              "the loop, or take one from a pool for each request.",
              dp->name, f->scopes.data[fn].name, il_c_handle_of(k), il_c_opener(f, k),
              f->scopes.data[loop].name, il_c_why(k));
    if (k->via)
      il_report_mark_flow(rc);
  }
}

static void check(il_rule_ctx *rc, const il_facts *f) {
  if (f->lang != IL_LANG_C)
    return;
  il_c_check(rc, f, IL_C_BOOT);
  il_c_check_members(rc, f, IL_C_BOOT);
  check_loop_locals(rc, f);
}

const il_rule rule_boot_time_client = {
    .id = "boot-time-client",
    .name = "BootTimeClient",
    .level = IL_LEVEL_ERROR,
    .precision = "high",
    .summary = "Client handle opened at boot and shared by request handlers (C)",
    .description =
        "A C client handle (PGconn *, MYSQL *, redisContext *, CURL *, sqlite3 *, "
        "mongoc_client_t *, SSL *...) opened in main(), a __attribute__((constructor)) function "
        "or a module/process init hook, kept in file-scope storage and used by request "
        "handlers, is one connection shared by every request: concurrently on a threaded server "
        "(libmicrohttpd, civetweb, FastCGI, Apache), or across requests in a Wasm module "
        "instantiated once per isolate. Such handles are not thread-safe and their state leaks "
        "between requests.",
    .help = "Open the handle per request inside the handler, or create a pool at boot, pass it "
            "to the handlers through their user-data pointer (the cls/cbdata argument) and take "
            "one handle per request.",
    .check = check,
};
