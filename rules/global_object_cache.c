/* global-object-cache: a client stored on globalThis (or global/self, an alias of
 * them, a cast of them) lives as long as the isolate and is shared by every
 * request it serves. */
#include <stdlib.h>
#include <string.h>

#include "rule_util.h"

static void check(il_rule_ctx *rc, const il_facts *f) {
  bool *claimed = il_xcalloc(f->ctors.len + 1, sizeof *claimed);
  for (uint32_t i = 0; i < f->assigns.len; i++) {
    const il_assign *a = &f->assigns.data[i];
    if (!a->global)
      continue;
    int32_t c = il_ru_assigned_client(f, a, false);
    if (c < 0)
      continue;
    const il_ctor *k = &f->ctors.data[c];
    claimed[c] = true;
    il_rel rel[IL_MAX_REL];
    uint32_t n = 0;
    il_ru_add_built(f, k, rel, &n, IL_MAX_REL);
    for (uint32_t g = 0; g < f->greads.len && n < 3; g++) {
      const il_global_read *r = &f->greads.data[g];
      if (r->global && strcmp(r->prop, a->prop) == 0) {
        rel[n].span = r->span;
        rel[n++].message = "read back from the global object here";
      }
    }
    const char *target = il_arena_printf(f->arena, "%s.%s", a->root, a->prop);
    il_report(rc, k->level, a->span, rel, n,
              "'%s' caches %s on the global object, so every request this isolate serves reuses "
              "it. %s Build the client per request instead.",
              target, il_ru_client(f, k), il_ru_why(k));
    if (k->via)
      il_report_mark_flow(rc); /* built, returned, stored, read back */
  }
  /* the read-or-build form with no write of the client to a global */
  for (uint32_t i = 0; i < f->ctors.len; i++) {
    const il_ctor *k = &f->ctors.data[i];
    if (!k->client || !k->global_fallback || claimed[i] || k->wrapped_by >= 0)
      continue;
    const char *name = k->decl >= 0 ? f->decls.data[k->decl].name : "the value";
    il_rel rel[IL_MAX_REL];
    uint32_t n = 0;
    il_ru_add_origin(f, k, rel, &n, IL_MAX_REL);
    il_ru_add_uses(f, k->decl, rel, &n, 3 + n);
    il_report(rc, k->level, k->span, rel, n,
              "'%s' reuses %s cached on the global object and only builds one when the cache is "
              "empty, so requests share it. %s Build the client per request instead.",
              name, il_ru_client(f, k), il_ru_why(k));
    if (k->via)
      il_report_mark_flow(rc); /* built, returned, stored, read back */
  }
  free(claimed);
}

const il_rule rule_global_object_cache = {
    .id = "global-object-cache",
    .name = "GlobalObjectCache",
    .level = IL_LEVEL_ERROR,
    .precision = "high",
    .summary = "Client cached on the global object",
    .description =
        "A database or network client stored on globalThis (or global, self, an alias or a cast "
        "of them) survives for the life of the isolate, so every request the isolate serves "
        "reuses the connection opened by the first one. On Cloudflare Workers that fails with "
        "'Cannot perform I/O on behalf of a different request' or a hung request.",
    .help = "Do not cache clients on globalThis in Workers code. Build the client inside the "
            "request (a handler, a middleware, or a per-request hook that puts it on "
            "event.context / c.set / requestInfo.ctx) and close it with ctx.waitUntil(). "
            "Hyperdrive pools connections for you.",
    .check = check,
};
