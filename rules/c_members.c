/* The C client rules, for handles kept in a member of a struct (issue 16, item 6):
 * `app->db = PQconnectdb(...)` in main() or an init hook, where the struct is what a
 * request handler is handed through its user-data pointer (`cbdata`, `cls`, libevent's
 * `arg`, mongoose's `c->fn_data`), a module's configuration (`ap_get_module_config`,
 * `ngx_http_get_module_loc_conf`), or one reached from file-scope storage. Every request
 * that handler serves reads the one handle: a note, since the struct may hand out more
 * than the handle (the front-end records the member reads and writes by struct type:
 * il_c_member). A pool that gives each request its own connection is silent: its
 * handles are not a member the handler reads (an array of them, a get/release
 * function), and reads under a lock are guarded. */
#include <string.h>

#include "c_rules.h"
#include "rule_util.h"

/* The text of a member target, `app->db` (root.member when it was too long). */
static const char *target_text(const il_facts *f, const il_assign *a, const il_c_member *m) {
  if (m->via)
    return m->via;
  return il_arena_printf(f->arena, "%s.%s", a->root ? a->root : "?", m->member);
}

/* Related locations where request handler code reads member m->member of struct
 * m->tag through what may be shared (one per function, unlocked); returns the first
 * reading handler's scope, or -1, and the first read's record in *first. */
static int32_t shared_reads(const il_facts *f, const il_c_member *w, il_rel *rel, uint32_t *n,
                            const il_c_member **first) {
  int32_t fns[IL_MAX_REL], h0 = -1;
  uint32_t n_fns = 0;
  for (uint32_t i = 0; i < f->c_members.len && *n < IL_MAX_REL; i++) {
    const il_c_member *r = &f->c_members.data[i];
    if (r->assign >= 0 || strcmp(r->tag, w->tag) != 0 || strcmp(r->member, w->member) != 0)
      continue;
    int32_t h = il_facts_c_handler_of(f, r->scope);
    if (h < 0 || f->scopes.data[r->scope].c_locks)
      continue; /* (a read under a lock the function takes is guarded) */
    int32_t fn = il_facts_c_function_of(f, r->scope);
    bool dup = false;
    for (uint32_t j = 0; j < n_fns; j++)
      dup |= fns[j] == fn;
    if (dup || n_fns == IL_MAX_REL)
      continue;
    fns[n_fns++] = fn;
    if (h0 < 0) {
      h0 = h;
      *first = r;
    }
    rel[*n].span = r->span;
    rel[(*n)++].message =
        fn == h ? il_arena_printf(f->arena, "read through %s in request handler '%s'", r->via,
                                  f->scopes.data[h].name)
                : il_arena_printf(f->arena,
                                  "read through %s in '%s', called from request handler '%s'",
                                  r->via, f->scopes.data[fn].name, f->scopes.data[h].name);
  }
  return h0;
}

/* Whether the struct written by a is what its function returns (`s->conn = ...;
 * return s;`: a wrapper, whose calls value flow gives the handle) and a call of it is
 * kept in storage that il_c_check reports already. */
static bool reported_by_caller(const il_facts *f, const il_assign *a) {
  int32_t fn = il_facts_c_function_of(f, a->scope);
  bool returned = false;
  for (uint32_t i = 0; i < f->rets.len && !returned; i++)
    returned = f->rets.data[i].scope == fn && f->rets.data[i].value_name && a->root &&
               strcmp(f->rets.data[i].value_name, a->root) == 0;
  if (!returned)
    return false;
  const char *name = f->scopes.data[fn].name;
  for (uint32_t i = 0; i < f->assigns.len; i++) {
    const il_assign *b = &f->assigns.data[i];
    const il_ctor *k = b->value_ctor >= 0 ? &f->ctors.data[b->value_ctor] : NULL;
    if (k && k->local_call && strcmp(k->root, name) == 0 && il_ru_assigned_client(f, b, true) >= 0 &&
        il_c_reports(f, b))
      return true;
  }
  return false;
}

void il_c_check_members(il_rule_ctx *rc, const il_facts *f, il_c_kind kind) {
  for (uint32_t i = 0; i < f->c_members.len; i++) {
    const il_c_member *w = &f->c_members.data[i];
    if (w->assign < 0 || (uint32_t)w->assign >= f->assigns.len)
      continue;
    const il_assign *a = &f->assigns.data[w->assign];
    int32_t c = il_ru_assigned_client(f, a, true);
    if (c < 0 || il_facts_c_handler_of(f, a->scope) >= 0)
      continue; /* (a struct filled by request handler code is its own, or not followed) */
    int32_t b = il_c_boot_of(f, a->scope);
    if ((b >= 0 ? IL_C_BOOT : IL_C_MODULE) != kind || il_c_reports(f, a) ||
        reported_by_caller(f, a))
      continue; /* (kept in file-scope storage a handler reads: il_c_check reports it) */
    const il_ctor *k = &f->ctors.data[c];
    il_rel rel[IL_MAX_REL];
    uint32_t n = 0;
    il_c_add_opened(f, k, rel, &n);
    const il_c_member *r = NULL;
    int32_t h = shared_reads(f, w, rel, &n, &r);
    if (h < 0)
      continue;
    int32_t fn = il_facts_c_function_of(f, a->scope);
    il_report(rc, IL_LEVEL_NOTE, a->span, rel, n,
              "'%s' (member '%s' of %s) holds the %s from %s opened %s '%s', and request "
              "handler '%s' reads it through %s, so every request it serves shares one "
              "handle, concurrently on a threaded server: %s. Open the handle per request, or "
              "keep a pool in the struct and take one handle per request.",
              target_text(f, a, w), w->member, w->tag, il_c_handle_of(k), il_c_opener(f, k),
              b >= 0 ? "at boot in" : "in", f->scopes.data[b >= 0 ? b : fn].name,
              f->scopes.data[h].name, r->via, il_c_why(k));
    if (k->via)
      il_report_mark_flow(rc);
  }
}
