/* Unit tests of the TypeScript/JavaScript front-end's facts (facts/facts.h): each
 * case lowers a small source with il_ts_extract, resolves it against the
 * knowledge base in $ISOLINT_KB_DIR (rules/kb), and checks the declarations,
 * constructions, assignments, global reads, scopes, suppressions, refs and calls
 * at load; plus the analyzer's prefilter for the operations of global-scope-io.
 * A failing check is a fact facts.h promises that the front-end did not give. */
#include "facts/facts.h"
#include "frontend/frontend.h"
#include "base/finding.h"
#include "facts/kb.h"
#include "flow/values.h"
#include "core/run.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int passed, failed;
static const char *current_case = "";
static il_kb *kb;

#define CHECK(cond)                                                                                \
  do {                                                                                             \
    if (cond) {                                                                                    \
      passed++;                                                                                    \
    } else {                                                                                       \
      failed++;                                                                                    \
      fprintf(stderr, "%s:%d: FAIL [%s]: %s\n", __FILE__, __LINE__, current_case, #cond);          \
    }                                                                                              \
  } while (0)

/* ---- helpers ------------------------------------------------------------------------ */

static bool streq(const char *a, const char *b) {
  if (!a || !b)
    return a == b;
  return strcmp(a, b) == 0;
}

static bool contains(const char *hay, const char *needle) {
  return hay && needle && strstr(hay, needle) != NULL;
}

/* Extracts and resolves src; the caller frees with il_facts_free. */
static il_facts *run_lang(il_lang lang, const char *src, size_t len) {
  const char *path = lang == IL_LANG_TSX ? "t.tsx" : lang == IL_LANG_JS ? "t.js" : "t.ts";
  il_facts *f = il_facts_new(path, lang, src, len);
  char *err = NULL;
  bool ok = il_ts_extract(f, &err);
  if (!ok) {
    failed++;
    fprintf(stderr, "%s:%d: FAIL [%s]: il_ts_extract: %s\n", __FILE__, __LINE__, current_case,
            err ? err : "(no message)");
  } else {
    passed++;
  }
  free(err);
  il_facts_resolve(f, kb);
  return f;
}
static il_facts *run(const char *src) { return run_lang(IL_LANG_TS, src, strlen(src)); }

/* Byte offset of the first occurrence of marker in src (UINT32_MAX if none). */
static uint32_t off(const il_facts *f, const char *marker) {
  const char *p = strstr(f->src, marker);
  return p ? (uint32_t)(p - f->src) : UINT32_MAX;
}

static int32_t decl_named(const il_facts *f, const char *name) {
  for (uint32_t i = 0; i < f->decls.len; i++)
    if (streq(f->decls.data[i].name, name))
      return (int32_t)i;
  return -1;
}

static uint32_t count_decls_named(const il_facts *f, const char *name) {
  uint32_t n = 0;
  for (uint32_t i = 0; i < f->decls.len; i++)
    n += streq(f->decls.data[i].name, name);
  return n;
}

/* The construction whose whole expression starts where marker starts. */
static int32_t ctor_at(const il_facts *f, const char *marker) {
  uint32_t o = off(f, marker);
  for (uint32_t i = 0; i < f->ctors.len; i++)
    if (f->ctors.data[i].full.start_byte == o)
      return (int32_t)i;
  return -1;
}

/* The first construction with that callee root (and path, unless NULL). */
static int32_t ctor_root(const il_facts *f, const char *root, const char *path) {
  for (uint32_t i = 0; i < f->ctors.len; i++)
    if (streq(f->ctors.data[i].root, root) && (!path || streq(f->ctors.data[i].path, path)))
      return (int32_t)i;
  return -1;
}

static uint32_t count_clients(const il_facts *f) {
  uint32_t n = 0;
  for (uint32_t i = 0; i < f->ctors.len; i++)
    n += f->ctors.data[i].client != NULL;
  return n;
}

/* The assignment whose target starts where marker starts. */
static int32_t assign_at(const il_facts *f, const char *marker) {
  uint32_t o = off(f, marker);
  for (uint32_t i = 0; i < f->assigns.len; i++)
    if (f->assigns.data[i].span.start_byte == o)
      return (int32_t)i;
  return -1;
}

static int32_t gread_prop(const il_facts *f, const char *prop) {
  for (uint32_t i = 0; i < f->greads.len; i++)
    if (streq(f->greads.data[i].prop, prop))
      return (int32_t)i;
  return -1;
}

/* Innermost scope whose span holds marker's offset (0, the module, if none). */
static int32_t scope_at(const il_facts *f, const char *marker) {
  uint32_t o = off(f, marker);
  if (o == UINT32_MAX)
    return -1;
  int32_t best = 0;
  uint32_t best_len = UINT32_MAX;
  for (uint32_t i = 1; i < f->scopes.len; i++) {
    const il_span *s = &f->scopes.data[i].span;
    if (s->start_byte <= o && o < s->end_byte && s->end_byte - s->start_byte < best_len) {
      best = (int32_t)i;
      best_len = s->end_byte - s->start_byte;
    }
  }
  return best;
}

/* The reference whose name starts where marker starts. */
static int32_t ref_at(const il_facts *f, const char *marker) {
  uint32_t o = off(f, marker);
  for (uint32_t i = 0; i < f->refs.len; i++)
    if (f->refs.data[i].span.start_byte == o)
      return (int32_t)i;
  return -1;
}

/* Text of a span, in a static buffer. */
static const char *span_text(const il_facts *f, il_span s) {
  static char buf[256];
  size_t n = s.end_byte >= s.start_byte ? s.end_byte - s.start_byte : 0;
  if (n >= sizeof buf)
    n = sizeof buf - 1;
  if (s.end_byte > f->len)
    n = 0;
  memcpy(buf, f->src + s.start_byte, n);
  buf[n] = '\0';
  return buf;
}

/* Safe accessors: an out-of-range index yields a sentinel that matches nothing
 * a test asks for, so a missing fact fails its checks instead of crashing. */
static const il_decl *D(const il_facts *f, int32_t i) {
  static const il_decl none = {.name = "<no decl>", .scope = -99, .kind = (il_decl_kind)99,
                               .init_kind = (il_init_kind)99, .init_ctor = -99, .owner = -99};
  return i >= 0 && (uint32_t)i < f->decls.len ? &f->decls.data[i] : &none;
}
static const il_ctor *K(const il_facts *f, int32_t i) {
  static const il_ctor none = {.root = "<no ctor>", .path = "<no ctor>", .scope = -99,
                               .outer = -99, .decl = -99, .assign = -99, .level = (il_level)99,
                               .inner = -99, .wrapped_by = -99};
  return i >= 0 && (uint32_t)i < f->ctors.len ? &f->ctors.data[i] : &none;
}
static const il_assign *A(const il_facts *f, int32_t i) {
  static const il_assign none = {.op = (il_assign_op)99, .target = (il_target_kind)99,
                                 .root = "<no assign>", .prop = "<no assign>", .scope = -99,
                                 .value_ctor = -99, .decl = -99, .value_decl = -99};
  return i >= 0 && (uint32_t)i < f->assigns.len ? &f->assigns.data[i] : &none;
}
static const il_scope *S(const il_facts *f, int32_t i) {
  static const il_scope none = {.parent = -99, .kind = (il_scope_kind)99, .class_decl = -99,
                                .name = "<no scope>"};
  return i >= 0 && (uint32_t)i < f->scopes.len ? &f->scopes.data[i] : &none;
}
static const il_global_read *G(const il_facts *f, int32_t i) {
  static const il_global_read none = {.root = "<no read>", .prop = "<no read>", .scope = -99};
  return i >= 0 && (uint32_t)i < f->greads.len ? &f->greads.data[i] : &none;
}
static const il_ref *R(const il_facts *f, int32_t i) {
  static const il_ref none = {.name = "", .scope = -99, .in_ctor = -99, .decl = -99};
  return i >= 0 && (uint32_t)i < f->refs.len ? &f->refs.data[i] : &none;
}
/* The recorded call whose whole expression starts where marker starts. */
static int32_t call_at(const il_facts *f, const char *marker) {
  uint32_t o = off(f, marker);
  for (uint32_t i = 0; i < f->calls.len; i++)
    if (f->calls.data[i].full.start_byte == o)
      return (int32_t)i;
  return -1;
}
static const il_call *C(const il_facts *f, int32_t i) {
  static const il_call none = {.root = "<no call>", .path = "<no call>", .scope = -99,
                               .in_run = -99, .init_of = -99, .ctor = -99, .decl = -99,
                               .op = (il_load_op)99, .io_call = -99, .io_decl = -99};
  return i >= 0 && (uint32_t)i < f->calls.len ? &f->calls.data[i] : &none;
}
static const il_suppression *SUP(const il_facts *f, uint32_t i) {
  static const il_suppression none = {.line = 0, .n_rules = 99};
  return i < f->suppressions.len ? &f->suppressions.data[i] : &none;
}

#define CASE(name) current_case = (name)

/* ---- imports -------------------------------------------------------------------------- */

static void test_imports(void) {
  CASE("imports: ESM forms");
  const char *src = "import { Pool } from \"pg\";\n"
                    "import Redis from \"ioredis\";\n"
                    "import * as pgns from \"pg\";\n"
                    "import { Pool as PgPool } from \"pg\";\n"
                    "import type { A } from \"a\";\n"
                    "import { type B, C } from \"b\";\n"
                    "import Def, { Named } from \"m\";\n"
                    "import pgreq = require(\"pg\");\n"
                    "import \"side-effect\";\n";
  il_facts *f = run(src);
  CHECK(f->n_syntax_errors == 0);
  int32_t d = decl_named(f, "Pool");
  CHECK(d >= 0);
  CHECK(D(f, d)->kind == IL_DECL_IMPORT);
  CHECK(streq(D(f, d)->module, "pg"));
  CHECK(streq(D(f, d)->imported, "Pool"));
  CHECK(!D(f, d)->type_only);
  CHECK(D(f, d)->scope == 0);
  CHECK(!D(f, d)->exported);
  CHECK(strcmp(span_text(f, D(f, d)->span), "Pool") == 0);

  d = decl_named(f, "Redis");
  CHECK(D(f, d)->kind == IL_DECL_IMPORT);
  CHECK(streq(D(f, d)->module, "ioredis"));
  CHECK(streq(D(f, d)->imported, "default"));

  d = decl_named(f, "pgns");
  CHECK(D(f, d)->kind == IL_DECL_IMPORT);
  CHECK(streq(D(f, d)->module, "pg"));
  CHECK(streq(D(f, d)->imported, "*"));

  d = decl_named(f, "PgPool");
  CHECK(d >= 0);
  CHECK(streq(D(f, d)->module, "pg"));
  CHECK(streq(D(f, d)->imported, "Pool"));
  CHECK(count_decls_named(f, "Pool") == 1); /* the renamed one declares PgPool only */

  d = decl_named(f, "A");
  CHECK(D(f, d)->kind == IL_DECL_IMPORT);
  CHECK(D(f, d)->type_only);
  CHECK(streq(D(f, d)->imported, "A"));

  d = decl_named(f, "B");
  CHECK(D(f, d)->type_only);
  CHECK(streq(D(f, d)->module, "b"));
  d = decl_named(f, "C");
  CHECK(d >= 0);
  CHECK(!D(f, d)->type_only);
  CHECK(streq(D(f, d)->module, "b"));
  CHECK(streq(D(f, d)->imported, "C"));

  d = decl_named(f, "Def");
  CHECK(streq(D(f, d)->imported, "default"));
  CHECK(streq(D(f, d)->module, "m"));
  d = decl_named(f, "Named");
  CHECK(streq(D(f, d)->imported, "Named"));
  CHECK(streq(D(f, d)->module, "m"));

  d = decl_named(f, "pgreq");
  CHECK(d >= 0);
  CHECK(D(f, d)->kind == IL_DECL_IMPORT);
  CHECK(streq(D(f, d)->module, "pg"));
  CHECK(streq(D(f, d)->imported, "*"));
  CHECK(!D(f, d)->type_only);

  CHECK(f->decls.len == 10); /* no declaration for the side-effect import */
  CHECK(f->ctors.len == 0);
  il_facts_free(f);

  CASE("imports: import x = require() constructs a client");
  src = "import pg = require(\"pg\");\nconst pool = new pg.Pool();\n";
  f = run(src);
  CHECK(f->n_syntax_errors == 0);
  CHECK(D(f, decl_named(f, "pg"))->kind == IL_DECL_IMPORT);
  CHECK(K(f, ctor_at(f, "new pg.Pool"))->client != NULL);
  CHECK(count_clients(f) == 1);
  il_facts_free(f);

  CASE("imports: CommonJS require");
  src = "const { Client } = require(\"pg\");\n"
        "const { Pool: P } = require(\"pg\");\n"
        "const pg = require(\"pg\");\n"
        "const a = new Client();\n"
        "const b = new P();\n"
        "const c = new pg.Pool();\n";
  f = run_lang(IL_LANG_JS, src, strlen(src));
  CHECK(f->n_syntax_errors == 0);
  d = decl_named(f, "Client");
  CHECK(D(f, d)->kind == IL_DECL_IMPORT);
  CHECK(streq(D(f, d)->module, "pg"));
  CHECK(streq(D(f, d)->imported, "Client"));
  d = decl_named(f, "P");
  CHECK(D(f, d)->kind == IL_DECL_IMPORT);
  CHECK(streq(D(f, d)->module, "pg"));
  CHECK(streq(D(f, d)->imported, "Pool"));
  CHECK(decl_named(f, "Pool") < 0); /* `Pool: P` declares P, not Pool */
  d = decl_named(f, "pg");
  CHECK(D(f, d)->kind == IL_DECL_IMPORT);
  CHECK(streq(D(f, d)->module, "pg"));
  CHECK(streq(D(f, d)->imported, "*"));
  int32_t k = ctor_at(f, "new Client()");
  CHECK(K(f, k)->client != NULL);
  CHECK(streq(K(f, k)->module, "pg"));
  CHECK(K(f, k)->decl == decl_named(f, "a"));
  k = ctor_at(f, "new P()");
  CHECK(K(f, k)->client != NULL);
  CHECK(K(f, k)->client && streq(K(f, k)->client->export, "Pool"));
  k = ctor_at(f, "new pg.Pool()");
  CHECK(K(f, k)->client != NULL);
  CHECK(streq(K(f, k)->root, "pg"));
  CHECK(streq(K(f, k)->path, "Pool"));
  CHECK(count_clients(f) == 3);
  il_facts_free(f);

  CASE("imports: require inside a function is declared in that scope");
  src = "function f() {\n  const { Pool } = require(\"pg\");\n  return new Pool();\n}\n";
  f = run_lang(IL_LANG_JS, src, strlen(src));
  d = decl_named(f, "Pool");
  CHECK(D(f, d)->kind == IL_DECL_IMPORT);
  CHECK(D(f, d)->scope == scope_at(f, "return"));
  CHECK(D(f, d)->scope != 0);
  k = ctor_at(f, "new Pool()");
  CHECK(K(f, k)->client != NULL);
  il_facts_free(f);
}

/* ---- constructions ------------------------------------------------------------------ */

static void test_constructions(void) {
  CASE("ctor: new Pool()");
  const char *src = "import { Pool } from \"pg\";\n"
                    "const a = new Pool({ connectionString: \"x\" });\n";
  il_facts *f = run(src);
  CHECK(f->n_syntax_errors == 0);
  CHECK(f->ctors.len == 1);
  int32_t k = ctor_at(f, "new Pool(");
  CHECK(k >= 0);
  CHECK(K(f, k)->client != NULL);
  CHECK(K(f, k)->client && streq(K(f, k)->client->module, "pg"));
  CHECK(K(f, k)->client && streq(K(f, k)->client->export, "Pool"));
  CHECK(streq(K(f, k)->module, "pg"));
  CHECK(K(f, k)->level == IL_LEVEL_ERROR);
  CHECK(streq(K(f, k)->root, "Pool"));
  CHECK(streq(K(f, k)->path, ""));
  CHECK(K(f, k)->is_new);
  CHECK(K(f, k)->scope == 0);
  CHECK(K(f, k)->outer == -1);
  CHECK(K(f, k)->wrapped_by == -1);
  CHECK(K(f, k)->inner == -1);
  CHECK(K(f, k)->assign == -1);
  CHECK(!K(f, k)->global_fallback);
  CHECK(strcmp(span_text(f, K(f, k)->span), "new Pool") == 0);
  CHECK(strcmp(span_text(f, K(f, k)->full), "new Pool({ connectionString: \"x\" })") == 0);
  int32_t d = decl_named(f, "a");
  CHECK(D(f, d)->kind == IL_DECL_CONST);
  CHECK(K(f, k)->decl == d);
  CHECK(D(f, d)->init_ctor == k);
  CHECK(D(f, d)->init_kind == IL_INIT_OTHER);
  il_facts_free(f);

  CASE("ctor: new pg.Pool() through default and namespace imports");
  src = "import pg from \"pg\";\n"
        "import * as ns from \"pg\";\n"
        "const a = new pg.Pool();\n"
        "const b = new ns.Client();\n";
  f = run(src);
  k = ctor_at(f, "new pg.Pool()");
  CHECK(K(f, k)->client != NULL);
  CHECK(streq(K(f, k)->root, "pg"));
  CHECK(streq(K(f, k)->path, "Pool"));
  CHECK(K(f, k)->level == IL_LEVEL_ERROR);
  CHECK(strcmp(span_text(f, K(f, k)->span), "new pg.Pool") == 0);
  CHECK(K(f, k)->decl == decl_named(f, "a"));
  k = ctor_at(f, "new ns.Client()");
  CHECK(K(f, k)->client != NULL);
  CHECK(K(f, k)->client && streq(K(f, k)->client->export, "Client"));
  CHECK(streq(K(f, k)->module, "pg"));
  il_facts_free(f);

  CASE("ctor: postgres(url) default call");
  src = "import postgres from \"postgres\";\n"
        "const sql = postgres(process.env.DATABASE_URL);\n";
  f = run(src);
  k = ctor_at(f, "postgres(process");
  CHECK(k >= 0);
  CHECK(!K(f, k)->is_new);
  CHECK(K(f, k)->client != NULL);
  CHECK(streq(K(f, k)->module, "postgres"));
  CHECK(K(f, k)->level == IL_LEVEL_ERROR);
  CHECK(strcmp(span_text(f, K(f, k)->span), "postgres") == 0);
  CHECK(K(f, k)->decl == decl_named(f, "sql"));
  il_facts_free(f);

  CASE("ctor: neon(url) is a note");
  src = "import { neon } from \"@neondatabase/serverless\";\n"
        "const sql = neon(url);\n";
  f = run(src);
  k = ctor_at(f, "neon(url)");
  CHECK(K(f, k)->client != NULL);
  CHECK(streq(K(f, k)->module, "@neondatabase/serverless"));
  CHECK(K(f, k)->level == IL_LEVEL_NOTE);
  il_facts_free(f);

  CASE("ctor: local class Pool is not a client");
  src = "class Pool {}\nconst p = new Pool();\n";
  f = run(src);
  CHECK(count_clients(f) == 0);
  CHECK(D(f, decl_named(f, "Pool"))->kind == IL_DECL_CLASS);
  il_facts_free(f);

  CASE("ctor: a relative import is not a client");
  src = "import { Pool } from \"./pool\";\nconst p = new Pool();\n";
  f = run(src);
  CHECK(count_clients(f) == 0);
  k = ctor_root(f, "Pool", NULL);
  CHECK(k < 0 || K(f, k)->client == NULL);
  il_facts_free(f);

  CASE("ctor: a type-only import is not a client");
  src = "import type { Pool } from \"pg\";\n"
        "import { type Client } from \"pg\";\n"
        "const p = new Pool();\nconst c = new Client();\n";
  f = run(src);
  CHECK(count_clients(f) == 0);
  il_facts_free(f);

  CASE("ctor: form mismatch (Pool() without new) is not a client");
  src = "import { Pool } from \"pg\";\nconst p = Pool();\n";
  f = run(src);
  CHECK(count_clients(f) == 0);
  il_facts_free(f);

  CASE("ctor: drizzle(new Pool()) nesting");
  src = "import { drizzle } from \"drizzle-orm/node-postgres\";\n"
        "import { Pool } from \"pg\";\n"
        "const db = drizzle(new Pool({ connectionString: \"x\" }));\n";
  f = run(src);
  int32_t outer = ctor_at(f, "drizzle(new");
  int32_t inner = ctor_at(f, "new Pool(");
  CHECK(outer >= 0 && inner >= 0);
  CHECK(K(f, outer)->client != NULL);
  CHECK(K(f, inner)->client != NULL);
  CHECK(K(f, inner)->outer == outer);
  CHECK(K(f, inner)->wrapped_by == outer);
  CHECK(K(f, outer)->wrapped_by == -1);
  CHECK(K(f, outer)->outer == -1);
  CHECK(K(f, outer)->inner == inner);
  CHECK(K(f, outer)->level == IL_LEVEL_ERROR);
  CHECK(K(f, outer)->decl == decl_named(f, "db"));
  /* refs: in_ctor is the innermost construction whose *arguments* hold the name, so
   * the callee `Pool` (an argument of drizzle, the callee of its own construction)
   * belongs to drizzle's construction, and drizzle's own callee to none: at module
   * scope outside any arguments no reference is recorded at all */
  CHECK(R(f, ref_at(f, "Pool({"))->in_ctor == outer);
  CHECK(ref_at(f, "drizzle(new") == -1);
  CHECK(K(f, inner)->decl == -1);
  CHECK(D(f, decl_named(f, "db"))->init_ctor == outer);
  il_facts_free(f);

  CASE("ctor: PrismaClient with PrismaD1 adapter inherits note");
  src = "import { PrismaClient } from \"@prisma/client\";\n"
        "import { PrismaD1 } from \"@prisma/adapter-d1\";\n"
        "const p = new PrismaClient({ adapter: new PrismaD1(env.DB) });\n";
  f = run(src);
  outer = ctor_at(f, "new PrismaClient");
  inner = ctor_at(f, "new PrismaD1");
  CHECK(K(f, outer)->client != NULL);
  CHECK(K(f, outer)->client && K(f, outer)->client->inherits);
  CHECK(K(f, inner)->client != NULL);
  CHECK(K(f, inner)->level == IL_LEVEL_NOTE);
  CHECK(K(f, outer)->level == IL_LEVEL_NOTE);
  CHECK(K(f, outer)->inner == inner);
  CHECK(K(f, inner)->wrapped_by == outer);
  CHECK(K(f, inner)->outer == outer);
  il_facts_free(f);

  CASE("ctor: PrismaClient with PrismaPg adapter inherits error");
  src = "import { PrismaClient } from \"@prisma/client\";\n"
        "import { PrismaPg } from \"@prisma/adapter-pg\";\n"
        "const p = new PrismaClient({ adapter: new PrismaPg({ connectionString: url }) });\n";
  f = run(src);
  outer = ctor_at(f, "new PrismaClient");
  inner = ctor_at(f, "new PrismaPg");
  CHECK(K(f, outer)->level == IL_LEVEL_ERROR);
  CHECK(K(f, outer)->inner == inner);
  CHECK(K(f, inner)->wrapped_by == outer);
  il_facts_free(f);

  CASE("ctor: adapter through a binding");
  src = "import { PrismaClient } from \"@prisma/client\";\n"
        "import { PrismaPg } from \"@prisma/adapter-pg\";\n"
        "const adapter = new PrismaPg({ connectionString: url });\n"
        "const p = new PrismaClient({ adapter });\n";
  f = run(src);
  outer = ctor_at(f, "new PrismaClient");
  inner = ctor_at(f, "new PrismaPg");
  CHECK(K(f, outer)->decl == decl_named(f, "p"));
  CHECK(K(f, inner)->decl == decl_named(f, "adapter"));
  CHECK(D(f, decl_named(f, "adapter"))->init_ctor == inner);
  CHECK(K(f, outer)->level == IL_LEVEL_ERROR);
  CHECK(K(f, inner)->wrapped_by == outer);
  CHECK(K(f, inner)->outer == -1);
  CHECK(K(f, outer)->inner == inner);
  {
    int32_t r = ref_at(f, "adapter })");
    CHECK(r >= 0);
    CHECK(R(f, r)->in_ctor == outer);
    CHECK(R(f, r)->decl == decl_named(f, "adapter"));
  }
  il_facts_free(f);

  CASE("ctor: D1 adapter through a binding inherits note");
  src = "import { PrismaClient } from \"@prisma/client\";\n"
        "import { PrismaD1 } from \"@prisma/adapter-d1\";\n"
        "export default { async fetch(req, env) {\n"
        "  const adapter = new PrismaD1(env.DB);\n"
        "  const p = new PrismaClient({ adapter });\n"
        "} };\n";
  f = run(src);
  outer = ctor_at(f, "new PrismaClient");
  inner = ctor_at(f, "new PrismaD1");
  CHECK(K(f, outer)->level == IL_LEVEL_NOTE);
  CHECK(K(f, inner)->wrapped_by == outer);
  CHECK(K(f, outer)->scope == scope_at(f, "const adapter"));
  CHECK(S(f, K(f, outer)->scope)->is_handler);
  il_facts_free(f);

  CASE("ctor: decl link through await, as, !, (), satisfies, <T>, ??, ||, ?:");
  src = "import { Pool } from \"pg\";\n"
        "import mysql from \"mysql2/promise\";\n"
        "const a = await mysql.createConnection({});\n"
        "const b = new Pool() as any;\n"
        "const c = new Pool()!;\n"
        "const d = ((new Pool()));\n"
        "const e = globalThis.pool ?? new Pool();\n"
        "const g = globalThis as unknown as { pool2?: Pool };\n"
        "const h = g.pool2 ?? new Pool();\n"
        "const i = cache ?? new Pool();\n"
        "const j = cond ? new Pool() : null;\n"
        "const k2 = cond ? null : new Pool();\n"
        "const l = x || new Pool();\n"
        "const m = new Pool() satisfies object;\n"
        "const n = <any>new Pool();\n"
        "const o = (self as any).pool3 ?? new Pool();\n";
  f = run(src);
  CHECK(f->n_syntax_errors == 0);
  CHECK(count_clients(f) == 13);
  {
    static const char *const names[] = {"a", "b", "c", "d", "e", "h", "i",
                                        "j", "k2", "l", "m", "n", "o"};
    for (size_t x = 0; x < sizeof names / sizeof names[0]; x++) {
      current_case = names[x];
      int32_t dd = decl_named(f, names[x]);
      int32_t kk = D(f, dd)->init_ctor;
      CHECK(dd >= 0);
      CHECK(kk >= 0);
      CHECK(K(f, kk)->client != NULL);
      CHECK(K(f, kk)->decl == dd);
      bool want_fb = streq(names[x], "e") || streq(names[x], "h") || streq(names[x], "o");
      CHECK(K(f, kk)->global_fallback == want_fb);
    }
    CASE("ctor: decl link through wrappers");
  }
  CHECK(streq(K(f, ctor_at(f, "mysql.createConnection"))->module, "mysql2/promise"));
  CHECK(streq(K(f, ctor_at(f, "mysql.createConnection"))->path, "createConnection"));
  CHECK(D(f, decl_named(f, "g"))->init_kind == IL_INIT_GLOBAL_ALIAS);
  il_facts_free(f);

  CASE("ctor: exported declaration");
  src = "import { Pool } from \"pg\";\nexport const pool = new Pool();\nconst q = 1;\n";
  f = run(src);
  CHECK(D(f, decl_named(f, "pool"))->exported);
  CHECK(!D(f, decl_named(f, "q"))->exported);
  CHECK(D(f, decl_named(f, "pool"))->init_ctor == ctor_at(f, "new Pool"));
  il_facts_free(f);

  CASE("ctor: static class field holds a client");
  src = "import { Pool } from \"pg\";\n"
        "class Db {\n  static pool = new Pool();\n}\n";
  f = run(src);
  {
    int32_t fd = decl_named(f, "Db.pool");
    k = ctor_at(f, "new Pool");
    CHECK(fd >= 0);
    CHECK(D(f, fd)->kind == IL_DECL_FIELD);
    CHECK(D(f, fd)->owner == decl_named(f, "Db"));
    CHECK(D(f, fd)->init_ctor == k);
    CHECK(K(f, k)->decl == fd);
    CHECK(S(f, K(f, k)->scope)->kind == IL_SCOPE_STATIC);
    CHECK(S(f, K(f, k)->scope)->at_load);
  }
  il_facts_free(f);

  CASE("ctor: JSX file");
  src = "import { Pool } from \"pg\";\n"
        "const pool = new Pool();\n"
        "export function App() { return <div title=\"new Pool()\">{pool.x}</div>; }\n";
  f = run_lang(IL_LANG_TSX, src, strlen(src));
  CHECK(f->n_syntax_errors == 0);
  CHECK(f->ctors.len == 1);
  CHECK(count_clients(f) == 1);
  CHECK(R(f, ref_at(f, "pool.x"))->decl == decl_named(f, "pool"));
  il_facts_free(f);
}

/* ---- scopes ------------------------------------------------------------------------- */

static void test_scopes(void) {
  CASE("scopes: load-time and not");
  const char *src = "const a = 1;\n"
                    "function f() { /*F*/ }\n"
                    "const g = () => { /*G*/ };\n"
                    "class K {\n"
                    "  m() { /*M*/ }\n"
                    "  static sm() { /*SM*/ }\n"
                    "  constructor() { /*CTOR*/ }\n"
                    "  static s = /*SF*/ 1;\n"
                    "  x = /*IF*/ 2;\n"
                    "  static { /*SB*/ }\n"
                    "}\n"
                    "(() => { /*IIFE1*/ })();\n"
                    "(async function () { /*IIFE2*/ })();\n"
                    "function outer() { (() => { /*IIFE3*/ })(); }\n"
                    "function mk() {\n"
                    "  class L { static s = /*SF2*/ 1; static { /*SB2*/ } }\n"
                    "}\n"
                    "const h = function named() { /*FE*/ };\n";
  il_facts *f = run(src);
  CHECK(f->n_syntax_errors == 0);
  CHECK(S(f, 0)->kind == IL_SCOPE_MODULE);
  CHECK(S(f, 0)->at_load);
  CHECK(S(f, 0)->parent == -1);
  CHECK(!S(f, 0)->is_handler);

  int32_t s = scope_at(f, "/*F*/");
  CHECK(s > 0);
  CHECK(S(f, s)->kind == IL_SCOPE_FUNCTION);
  CHECK(!S(f, s)->at_load);
  CHECK(S(f, s)->parent == 0);
  CHECK(streq(S(f, s)->name, "f"));
  CHECK(!S(f, s)->is_handler);
  CHECK(D(f, decl_named(f, "f"))->kind == IL_DECL_FUNCTION);

  s = scope_at(f, "/*G*/");
  CHECK(s > 0);
  CHECK(S(f, s)->kind == IL_SCOPE_FUNCTION);
  CHECK(!S(f, s)->at_load);
  CHECK(streq(S(f, s)->name, "g"));

  int32_t kd = decl_named(f, "K");
  CHECK(D(f, kd)->kind == IL_DECL_CLASS);
  s = scope_at(f, "/*M*/");
  CHECK(S(f, s)->kind == IL_SCOPE_FUNCTION);
  CHECK(!S(f, s)->at_load);
  CHECK(S(f, s)->is_instance);
  CHECK(!S(f, s)->is_static);
  CHECK(S(f, s)->class_decl == kd);
  CHECK(streq(S(f, s)->name, "m"));

  s = scope_at(f, "/*SM*/");
  CHECK(!S(f, s)->at_load);
  CHECK(S(f, s)->is_static);
  CHECK(!S(f, s)->is_instance);
  CHECK(S(f, s)->class_decl == kd);

  s = scope_at(f, "/*CTOR*/");
  CHECK(!S(f, s)->at_load);
  CHECK(S(f, s)->is_instance);

  s = scope_at(f, "/*SF*/");
  CHECK(s > 0);
  CHECK(S(f, s)->kind == IL_SCOPE_STATIC);
  CHECK(S(f, s)->at_load);
  CHECK(S(f, s)->is_static);
  CHECK(S(f, s)->class_decl == kd);

  s = scope_at(f, "/*IF*/");
  CHECK(s > 0);
  CHECK(S(f, s)->kind == IL_SCOPE_FUNCTION);
  CHECK(!S(f, s)->at_load);
  CHECK(S(f, s)->is_instance);

  s = scope_at(f, "/*SB*/");
  CHECK(s > 0);
  CHECK(S(f, s)->kind == IL_SCOPE_STATIC);
  CHECK(S(f, s)->at_load);
  CHECK(S(f, s)->is_static);

  s = scope_at(f, "/*IIFE1*/");
  CHECK(s > 0);
  CHECK(S(f, s)->kind == IL_SCOPE_FUNCTION);
  CHECK(S(f, s)->at_load);
  CHECK(S(f, s)->parent == 0);

  s = scope_at(f, "/*IIFE2*/");
  CHECK(s > 0);
  CHECK(S(f, s)->at_load);

  s = scope_at(f, "/*IIFE3*/");
  CHECK(s > 0);
  CHECK(!S(f, s)->at_load);
  CHECK(S(f, s)->parent == scope_at(f, "(() => { /*IIFE3"));

  s = scope_at(f, "/*SF2*/");
  CHECK(s > 0);
  CHECK(S(f, s)->kind == IL_SCOPE_STATIC);
  CHECK(!S(f, s)->at_load);
  s = scope_at(f, "/*SB2*/");
  CHECK(S(f, s)->kind == IL_SCOPE_STATIC);
  CHECK(!S(f, s)->at_load);

  s = scope_at(f, "/*FE*/");
  CHECK(!S(f, s)->at_load);
  CHECK(il_facts_function_of(f, scope_at(f, "/*IIFE1*/")) == -1);
  CHECK(il_facts_function_of(f, scope_at(f, "/*IIFE3*/")) == scope_at(f, "/*IIFE3*/"));
  CHECK(il_facts_function_of(f, scope_at(f, "/*SB*/")) == -1);
  il_facts_free(f);

  CASE("scopes: client in an IIFE and a static block runs at load");
  src = "import { Pool } from \"pg\";\n"
        "const db = (() => new Pool())();\n"
        "class C { static { this.p = new Pool(); } }\n"
        "function f() { return new Pool(); }\n";
  f = run(src);
  CHECK(count_clients(f) == 3);
  CHECK(S(f, K(f, ctor_at(f, "new Pool())()"))->scope)->at_load);
  CHECK(S(f, K(f, ctor_at(f, "new Pool(); } }"))->scope)->at_load);
  CHECK(!S(f, K(f, ctor_at(f, "new Pool(); }\n"))->scope)->at_load);
  il_facts_free(f);
}

static void test_handlers(void) {
  CASE("handlers: export default { async fetch() {} }");
  const char *src = "export default {\n"
                    "  async fetch(req, env) { /*H*/ },\n"
                    "  async scheduled(ev) { /*S*/ },\n"
                    "  helper() { /*X*/ },\n"
                    "};\n";
  il_facts *f = run(src);
  int32_t s = scope_at(f, "/*H*/");
  CHECK(s > 0);
  CHECK(streq(S(f, s)->name, "fetch"));
  CHECK(S(f, s)->is_handler);
  CHECK(!S(f, s)->at_load);
  CHECK(il_facts_handler_of(f, s) == s);
  CHECK(S(f, scope_at(f, "/*S*/"))->is_handler);
  CHECK(scope_at(f, "/*X*/") > 0);
  CHECK(!S(f, scope_at(f, "/*X*/"))->is_handler);
  CHECK(D(f, decl_named(f, "req"))->kind == IL_DECL_PARAM);
  CHECK(D(f, decl_named(f, "req"))->scope == s);
  il_facts_free(f);

  CASE("handlers: export default { fetch: async () => {} }");
  src = "export default { fetch: async (req) => { /*H*/ } };\n";
  f = run(src);
  s = scope_at(f, "/*H*/");
  CHECK(s > 0);
  CHECK(S(f, s)->is_handler);
  CHECK(streq(S(f, s)->name, "fetch"));
  il_facts_free(f);

  CASE("handlers: export default { fetch } + async function fetch()");
  src = "async function fetch(req) { /*H*/ }\n"
        "function other() { /*O*/ }\n"
        "export default { fetch };\n";
  f = run(src);
  s = scope_at(f, "/*H*/");
  CHECK(S(f, s)->is_handler);
  CHECK(streq(S(f, s)->name, "fetch"));
  CHECK(scope_at(f, "/*O*/") > 0);
  CHECK(!S(f, scope_at(f, "/*O*/"))->is_handler);
  CHECK(f->handler_names.len == 1);
  il_facts_free(f);

  CASE("handlers: export default { fetch } + const fetch = async () => {}");
  src = "const fetch = async (req) => { /*H*/ };\n"
        "export default { fetch };\n";
  f = run(src);
  CHECK(S(f, scope_at(f, "/*H*/"))->is_handler);
  il_facts_free(f);

  CASE("handlers: Hono routes and middleware");
  src = "import { Hono } from \"hono\";\n"
        "const app = new Hono();\n"
        "app.get(\"/users\", async (c) => { /*GET*/ });\n"
        "app.post(\"/users/:id\", function (c) { /*POST*/ });\n"
        "app.use(async (c, next) => { /*MW*/ });\n"
        "const notAHandler = (x) => { /*NH*/ };\n"
        "export default app;\n";
  f = run(src);
  s = scope_at(f, "/*GET*/");
  CHECK(s > 0);
  CHECK(S(f, s)->is_handler);
  CHECK(contains(S(f, s)->name, "GET /users"));
  CHECK(D(f, decl_named(f, "c"))->kind == IL_DECL_PARAM);
  s = scope_at(f, "/*POST*/");
  CHECK(S(f, s)->is_handler);
  CHECK(contains(S(f, s)->name, "POST /users/:id"));
  s = scope_at(f, "/*MW*/");
  CHECK(s > 0);
  CHECK(S(f, s)->is_handler);
  CHECK(scope_at(f, "/*NH*/") > 0);
  CHECK(!S(f, scope_at(f, "/*NH*/"))->is_handler);
  il_facts_free(f);

  CASE("handlers: addEventListener(\"fetch\")");
  src = "addEventListener(\"fetch\", (e) => { /*H*/ });\n"
        "addEventListener(\"message\", (e) => { /*NH*/ });\n";
  f = run(src);
  CHECK(S(f, scope_at(f, "/*H*/"))->is_handler);
  CHECK(!S(f, scope_at(f, "/*H*/"))->at_load);
  CHECK(scope_at(f, "/*NH*/") > 0);
  CHECK(!S(f, scope_at(f, "/*NH*/"))->is_handler);
  il_facts_free(f);

  CASE("handlers: defineEventHandler");
  src = "export default defineEventHandler(async (event) => { /*H*/ });\n";
  f = run(src);
  CHECK(S(f, scope_at(f, "/*H*/"))->is_handler);
  il_facts_free(f);

  CASE("handlers: Durable Object class");
  src = "import { DurableObject } from \"cloudflare:workers\";\n"
        "export class Counter extends DurableObject {\n"
        "  constructor(ctx, env) { super(ctx, env); /*C*/ }\n"
        "  async fetch(req) { /*H*/ }\n"
        "  async increment() { /*I*/ }\n"
        "}\n"
        "class Plain { async fetch() { /*P*/ } }\n"
        "class Q extends cf.WorkerEntrypoint { async fetch() { /*W*/ } }\n";
  f = run(src);
  {
    int32_t cd = decl_named(f, "Counter");
    CHECK(D(f, cd)->kind == IL_DECL_CLASS);
    CHECK(D(f, cd)->is_durable);
    CHECK(D(f, cd)->exported);
    s = scope_at(f, "/*H*/");
    CHECK(S(f, s)->is_handler);
    CHECK(S(f, s)->is_durable);
    CHECK(S(f, s)->is_instance);
    CHECK(S(f, s)->class_decl == cd);
    CHECK(S(f, scope_at(f, "/*I*/"))->is_handler);
    s = scope_at(f, "/*C*/");
    CHECK(S(f, s)->is_durable);
    CHECK(S(f, s)->is_instance);
    CHECK(!S(f, s)->is_handler);
    CHECK(!D(f, decl_named(f, "Plain"))->is_durable);
    CHECK(scope_at(f, "/*P*/") > 0);
    CHECK(!S(f, scope_at(f, "/*P*/"))->is_handler);
    CHECK(!S(f, scope_at(f, "/*P*/"))->is_durable);
    CHECK(D(f, decl_named(f, "Q"))->is_durable);
    CHECK(S(f, scope_at(f, "/*W*/"))->is_handler);
  }
  il_facts_free(f);

  CASE("handlers: exported route functions");
  src = "export async function GET(req) { /*G*/ }\n"
        "export const POST = async (req) => { /*P*/ };\n"
        "async function PUT(req) { /*NP*/ }\n"
        "export function helper() { /*NH*/ }\n";
  f = run(src);
  s = scope_at(f, "/*G*/");
  CHECK(S(f, s)->is_handler);
  CHECK(streq(S(f, s)->name, "GET"));
  CHECK(D(f, decl_named(f, "GET"))->exported);
  CHECK(S(f, scope_at(f, "/*P*/"))->is_handler);
  CHECK(scope_at(f, "/*NP*/") > 0);
  CHECK(!S(f, scope_at(f, "/*NP*/"))->is_handler);
  CHECK(scope_at(f, "/*NH*/") > 0);
  CHECK(!S(f, scope_at(f, "/*NH*/"))->is_handler);
  il_facts_free(f);
}

/* ---- assignments -------------------------------------------------------------------- */

static void test_assignments(void) {
  CASE("assigns: names, ?\?=, ||=, x = x || v");
  const char *src = "import { Pool } from \"pg\";\n"
                    "let x;\n"
                    "let y = null;\n"
                    "let z: Pool | undefined = undefined;\n"
                    "let w;\n"
                    "function a1() { x = new Pool(); }\n"
                    "function a2() { y ?\?= new Pool(); }\n"
                    "function a3() { z ||= new Pool(); }\n"
                    "function a4() { w = w || new Pool(); }\n"
                    "function a5() { let x; x = new Pool(); }\n"
                    "function a6() { x += 1; }\n";
  il_facts *f = run(src);
  CHECK(f->n_syntax_errors == 0);
  int32_t dx = decl_named(f, "x");
  CHECK(D(f, dx)->kind == IL_DECL_LET);
  CHECK(D(f, dx)->scope == 0);
  CHECK(D(f, dx)->init_kind == IL_INIT_NONE);
  CHECK(D(f, decl_named(f, "y"))->init_kind == IL_INIT_NONE);
  CHECK(D(f, decl_named(f, "z"))->init_kind == IL_INIT_NONE);

  int32_t a = assign_at(f, "x = new Pool(); }\nfunction a2");
  CHECK(a >= 0);
  CHECK(A(f, a)->target == IL_TARGET_NAME);
  CHECK(A(f, a)->op == IL_ASSIGN_EQ);
  CHECK(streq(A(f, a)->root, "x"));
  CHECK(A(f, a)->prop == NULL);
  CHECK(A(f, a)->decl == dx);
  CHECK(A(f, a)->scope == scope_at(f, "x = new Pool(); }\nfunction a2"));
  CHECK(!A(f, a)->global);
  int32_t k = A(f, a)->value_ctor;
  CHECK(k >= 0);
  CHECK(K(f, k)->client != NULL);
  CHECK(K(f, k)->assign == a);
  CHECK(A(f, a)->value_name == NULL);

  a = assign_at(f, "y ?\?=");
  CHECK(A(f, a)->op == IL_ASSIGN_NULLISH);
  CHECK(A(f, a)->target == IL_TARGET_NAME);
  CHECK(A(f, a)->decl == decl_named(f, "y"));
  CHECK(K(f, A(f, a)->value_ctor)->client != NULL);

  a = assign_at(f, "z ||=");
  CHECK(A(f, a)->op == IL_ASSIGN_OR);
  CHECK(A(f, a)->decl == decl_named(f, "z"));
  CHECK(K(f, A(f, a)->value_ctor)->client != NULL);

  a = assign_at(f, "w = w ||");
  CHECK(A(f, a)->op == IL_ASSIGN_EQ);
  CHECK(A(f, a)->decl == decl_named(f, "w"));
  CHECK(A(f, a)->value_ctor == ctor_at(f, "new Pool(); }\nfunction a5"));
  CHECK(K(f, A(f, a)->value_ctor)->client != NULL);

  /* a local `let x` shadows the module one */
  a = assign_at(f, "x = new Pool(); }\nfunction a6");
  CHECK(a >= 0);
  CHECK(A(f, a)->decl >= 0);
  CHECK(A(f, a)->decl != dx);
  CHECK(D(f, A(f, a)->decl)->scope == A(f, a)->scope);

  CHECK(assign_at(f, "x += 1") < 0); /* only =, ?\?= and ||= are recorded */
  il_facts_free(f);

  CASE("assigns: global object members");
  src = "import { Pool } from \"pg\";\n"
        "globalThis.db = new Pool();\n"
        "(globalThis as any).db2 = new Pool();\n"
        "globalThis[\"db3\"] = new Pool();\n"
        "const g = globalThis as unknown as { db4?: Pool };\n"
        "g.db4 = new Pool();\n"
        "function f(globalThis) { globalThis.db5 = 1; }\n"
        "function h(self) { self.db6 = 1; }\n"
        "self.db7 = 1;\n"
        "const notg = {};\n"
        "notg.db8 = 1;\n"
        "global.db9 = 1;\n";
  f = run(src);
  CHECK(f->n_syntax_errors == 0);
  a = assign_at(f, "globalThis.db =");
  CHECK(a >= 0);
  CHECK(A(f, a)->target == IL_TARGET_MEMBER);
  CHECK(A(f, a)->op == IL_ASSIGN_EQ);
  CHECK(streq(A(f, a)->root, "globalThis"));
  CHECK(streq(A(f, a)->prop, "db"));
  CHECK(A(f, a)->global);
  CHECK(A(f, a)->decl == -1);
  CHECK(K(f, A(f, a)->value_ctor)->client != NULL);
  CHECK(gread_prop(f, "db") < 0); /* an assignment target is not a read */

  a = assign_at(f, "(globalThis as any).db2");
  CHECK(a >= 0);
  CHECK(A(f, a)->global);
  CHECK(streq(A(f, a)->prop, "db2"));
  CHECK(A(f, a)->value_ctor >= 0);

  a = assign_at(f, "globalThis[\"db3\"]");
  CHECK(a >= 0);
  CHECK(A(f, a)->global);
  CHECK(streq(A(f, a)->prop, "db3"));

  int32_t dg = decl_named(f, "g");
  CHECK(D(f, dg)->init_kind == IL_INIT_GLOBAL_ALIAS);
  CHECK(D(f, dg)->kind == IL_DECL_CONST);
  a = assign_at(f, "g.db4");
  CHECK(a >= 0);
  CHECK(A(f, a)->global);
  CHECK(streq(A(f, a)->root, "g"));
  CHECK(streq(A(f, a)->prop, "db4"));
  CHECK(A(f, a)->decl == dg);

  a = assign_at(f, "globalThis.db5");
  CHECK(a >= 0);
  CHECK(!A(f, a)->global);
  CHECK(D(f, A(f, a)->decl)->kind == IL_DECL_PARAM);
  a = assign_at(f, "self.db6");
  CHECK(a >= 0);
  CHECK(!A(f, a)->global);
  a = assign_at(f, "self.db7");
  CHECK(A(f, a)->global);
  a = assign_at(f, "notg.db8");
  CHECK(a >= 0);
  CHECK(!A(f, a)->global);
  CHECK(A(f, a)->decl == decl_named(f, "notg"));
  CHECK(A(f, assign_at(f, "global.db9"))->global);
  il_facts_free(f);

  CASE("assigns: this, container.set, value_name");
  src = "import { Pool } from \"pg\";\n"
        "class Repo { m() { this.pool = new Pool(); } }\n"
        "const cache = new Map();\n"
        "function s(k) { cache.set(k, new Pool()); }\n"
        "const client = new Pool();\n"
        "let holder;\n"
        "function v() { holder = client; }\n"
        "function t() { cache.set(\"k\", client); }\n";
  f = run(src);
  a = assign_at(f, "this.pool");
  CHECK(a >= 0);
  CHECK(A(f, a)->target == IL_TARGET_THIS);
  CHECK(A(f, a)->root == NULL);
  CHECK(streq(A(f, a)->prop, "pool"));
  CHECK(!A(f, a)->global);
  CHECK(K(f, A(f, a)->value_ctor)->client != NULL);
  CHECK(S(f, A(f, a)->scope)->is_instance);

  int32_t dc = decl_named(f, "cache");
  CHECK(D(f, dc)->init_kind == IL_INIT_CONTAINER);
  a = assign_at(f, "cache.set(k");
  CHECK(a >= 0);
  CHECK(A(f, a)->op == IL_ASSIGN_SET);
  CHECK(A(f, a)->target == IL_TARGET_MEMBER);
  CHECK(streq(A(f, a)->root, "cache"));
  CHECK(A(f, a)->decl == dc);
  CHECK(A(f, a)->value_ctor == ctor_at(f, "new Pool()); }"));
  CHECK(K(f, A(f, a)->value_ctor)->client != NULL);

  a = assign_at(f, "holder = client");
  CHECK(a >= 0);
  CHECK(streq(A(f, a)->value_name, "client"));
  CHECK(A(f, a)->value_decl == decl_named(f, "client"));
  CHECK(A(f, a)->value_ctor == -1);
  CHECK(A(f, a)->decl == decl_named(f, "holder"));

  a = assign_at(f, "cache.set(\"k\"");
  CHECK(A(f, a)->op == IL_ASSIGN_SET);
  CHECK(streq(A(f, a)->value_name, "client"));
  CHECK(A(f, a)->value_decl == decl_named(f, "client"));
  il_facts_free(f);

  CASE("decls: init kinds");
  src = "const c1 = {};\n"
        "const c2 = [];\n"
        "const c3 = new Map();\n"
        "const c4 = new Set();\n"
        "const c5 = new WeakMap();\n"
        "const c6 = Object.create(null);\n"
        "let n1;\n"
        "let n2 = null;\n"
        "let n3 = undefined;\n"
        "var v1 = 5;\n"
        "const a1 = globalThis;\n"
        "const a2 = self;\n"
        "const c7 = ({} as Record<string, number>);\n";
  f = run(src);
  CHECK(D(f, decl_named(f, "c1"))->init_kind == IL_INIT_CONTAINER);
  CHECK(D(f, decl_named(f, "c2"))->init_kind == IL_INIT_CONTAINER);
  CHECK(D(f, decl_named(f, "c3"))->init_kind == IL_INIT_CONTAINER);
  CHECK(D(f, decl_named(f, "c4"))->init_kind == IL_INIT_CONTAINER);
  CHECK(D(f, decl_named(f, "c5"))->init_kind != IL_INIT_CONTAINER);
  CHECK(D(f, decl_named(f, "c5"))->init_kind == IL_INIT_OTHER);
  CHECK(D(f, decl_named(f, "c6"))->init_kind == IL_INIT_CONTAINER);
  CHECK(D(f, decl_named(f, "n1"))->init_kind == IL_INIT_NONE);
  CHECK(D(f, decl_named(f, "n2"))->init_kind == IL_INIT_NONE);
  CHECK(D(f, decl_named(f, "n3"))->init_kind == IL_INIT_NONE);
  CHECK(D(f, decl_named(f, "v1"))->init_kind == IL_INIT_OTHER);
  CHECK(D(f, decl_named(f, "v1"))->kind == IL_DECL_VAR);
  CHECK(D(f, decl_named(f, "n1"))->kind == IL_DECL_LET);
  CHECK(D(f, decl_named(f, "c1"))->kind == IL_DECL_CONST);
  CHECK(D(f, decl_named(f, "a1"))->init_kind == IL_INIT_GLOBAL_ALIAS);
  CHECK(D(f, decl_named(f, "a2"))->init_kind == IL_INIT_GLOBAL_ALIAS);
  CHECK(D(f, decl_named(f, "c7"))->init_kind == IL_INIT_CONTAINER);
  il_facts_free(f);
}

/* ---- global reads ------------------------------------------------------------------- */

static void test_global_reads(void) {
  CASE("global reads");
  const char *src = "import { PrismaClient } from \"@prisma/client\";\n"
                    "const p = globalThis.prisma ?? new PrismaClient();\n"
                    "function f(self) { return self.cached; }\n"
                    "function g() { return self.cached2; }\n"
                    "const al = globalThis as any;\n"
                    "function h() { return al[\"viaAlias\"]; }\n"
                    "const o = {};\n"
                    "function i() { return o.notGlobal; }\n";
  il_facts *f = run(src);
  int32_t r = gread_prop(f, "prisma");
  CHECK(r >= 0);
  CHECK(streq(G(f, r)->root, "globalThis"));
  CHECK(G(f, r)->global);
  CHECK(G(f, r)->scope == 0);
  CHECK(strcmp(span_text(f, G(f, r)->span), "globalThis.prisma") == 0);
  CHECK(K(f, ctor_at(f, "new PrismaClient"))->global_fallback);
  CHECK(K(f, ctor_at(f, "new PrismaClient"))->decl == decl_named(f, "p"));

  r = gread_prop(f, "cached");
  CHECK(r >= 0);
  CHECK(!G(f, r)->global);
  CHECK(streq(G(f, r)->root, "self"));
  r = gread_prop(f, "cached2");
  CHECK(r >= 0);
  CHECK(G(f, r)->global);
  r = gread_prop(f, "viaAlias");
  CHECK(r >= 0);
  CHECK(G(f, r)->global);
  CHECK(streq(G(f, r)->root, "al"));
  CHECK(gread_prop(f, "notGlobal") < 0);
  il_facts_free(f);
}

/* ---- refs --------------------------------------------------------------------------- */

static void test_refs(void) {
  CASE("refs: resolved when the file has a client");
  const char *src = "import { Pool } from \"pg\";\n"
                    "const pool = new Pool();\n"
                    "export default { async fetch(req) { return pool.query(\"x\"); } };\n";
  il_facts *f = run(src);
  int32_t r = ref_at(f, "pool.query");
  CHECK(r >= 0);
  CHECK(R(f, r)->decl == decl_named(f, "pool"));
  CHECK(R(f, r)->name_len == 4);
  CHECK(R(f, r)->name && strncmp(R(f, r)->name, "pool", 4) == 0);
  CHECK(R(f, r)->in_ctor == -1);
  CHECK(S(f, R(f, r)->scope)->is_handler);
  il_facts_free(f);

  CASE("refs: not resolved when the file has no client");
  src = "import { make } from \"./make\";\n"
        "const pool = make();\n"
        "export default { async fetch(req) { return pool.query(\"x\"); } };\n";
  f = run(src);
  CHECK(count_clients(f) == 0);
  r = ref_at(f, "pool.query");
  CHECK(r >= 0);
  CHECK(R(f, r)->decl == -1);
  il_facts_free(f);

  CASE("refs: a parameter shadows the module binding");
  src = "import { Pool } from \"pg\";\n"
        "const pool = new Pool();\n"
        "function f(pool) { return pool.query(); }\n";
  f = run(src);
  r = ref_at(f, "pool.query");
  CHECK(r >= 0);
  CHECK(R(f, r)->decl >= 0);
  CHECK(D(f, R(f, r)->decl)->kind == IL_DECL_PARAM);
  il_facts_free(f);
}

/* ---- calls at load ------------------------------------------------------------------ */

static void test_calls(void) {
  CASE("calls: recorded at load with root, path, spans and await");
  const char *src = "const id = crypto.randomUUID();\n"
                    "const c = new AbortController();\n"
                    "const r = await (fetch(\"/a\"));\n"
                    "const j = await fetch(\"/b\").then((x) => x.json());\n"
                    "const k = (await fetch(\"/c\")) as any;\n"
                    "function f() { return crypto.randomUUID(); }\n"
                    "console.log(id);\n";
  il_facts *f = run(src);
  int32_t i = call_at(f, "crypto.randomUUID();\nconst c");
  CHECK(i >= 0);
  CHECK(streq(C(f, i)->root, "crypto"));
  CHECK(streq(C(f, i)->path, "randomUUID"));
  CHECK(!C(f, i)->is_new);
  CHECK(!C(f, i)->awaited);
  CHECK(C(f, i)->scope == 0);
  CHECK(streq(span_text(f, C(f, i)->span), "crypto.randomUUID"));
  CHECK(streq(span_text(f, C(f, i)->full), "crypto.randomUUID()"));
  CHECK(C(f, i)->op == IL_OP_RANDOM);
  CHECK(C(f, i)->decl == -1);
  CHECK(C(f, i)->module == NULL);
  i = call_at(f, "new AbortController");
  CHECK(C(f, i)->is_new);
  CHECK(streq(C(f, i)->root, "AbortController"));
  CHECK(streq(C(f, i)->path, ""));
  CHECK(streq(span_text(f, C(f, i)->span), "new AbortController"));
  CHECK(C(f, i)->op == IL_OP_ABORT);
  i = call_at(f, "fetch(\"/a\")");
  CHECK(C(f, i)->awaited);
  CHECK(C(f, i)->op == IL_OP_FETCH);
  i = call_at(f, "fetch(\"/b\").then");
  CHECK(C(f, i)->awaited);
  CHECK(streq(C(f, i)->root, "fetch"));
  CHECK(streq(C(f, i)->path, "().then"));
  CHECK(C(f, i)->op == IL_OP_NONE);
  /* the inner fetch is the object of `.then`, not the await operand */
  int32_t inner = -1;
  for (uint32_t k = 0; k < f->calls.len; k++)
    if (f->calls.data[k].full.start_byte == off(f, "fetch(\"/b\")") &&
        streq(f->calls.data[k].path, ""))
      inner = (int32_t)k;
  CHECK(inner >= 0 && inner != i);
  CHECK(!C(f, inner)->awaited);
  CHECK(C(f, inner)->op == IL_OP_FETCH);
  CHECK(C(f, call_at(f, "fetch(\"/c\")"))->awaited);
  CHECK(C(f, call_at(f, "console.log"))->op == IL_OP_NONE);
  /* not at load, not in a run or a module initializer: not recorded, or (the body of
   * a module-level function: global-scope-io looks there when it is called at load)
   * recorded in a scope that is not at load */
  i = call_at(f, "crypto.randomUUID(); }");
  CHECK(i < 0 || !S(f, C(f, i)->scope)->at_load);
  il_facts_free(f);

  CASE("calls: module-level function bodies and string-named members");
  src = "function init() { return fetch(\"/i\"); }\n"
        "init();\n"
        "function deep() { return () => fetch(\"/d\"); }\n"
        "function other() { return console.log(1); }\n"
        "globalThis[\"fetch\"](\"/g\");\n"
        "globalThis[name](\"/n\");\n";
  f = run(src);
  i = call_at(f, "fetch(\"/i\")");
  CHECK(i >= 0 && !S(f, C(f, i)->scope)->at_load && S(f, C(f, i)->scope)->parent == 0);
  CHECK(C(f, i)->op == IL_OP_FETCH);
  i = call_at(f, "init();");
  CHECK(i >= 0 && C(f, i)->decl >= 0 && streq(C(f, i)->path, ""));
  /* a nested function: recorded too (value flow's call graph says whether it runs at load) */
  i = call_at(f, "fetch(\"/d\")");
  CHECK(i >= 0 && !S(f, C(f, i)->scope)->at_load && S(f, C(f, i)->scope)->parent != 0);
  CHECK(call_at(f, "console.log(1)") < 0);  /* not an operation root */
  i = call_at(f, "globalThis[\"fetch\"]");
  CHECK(i >= 0 && streq(C(f, i)->root, "globalThis") && streq(C(f, i)->path, "fetch"));
  CHECK(C(f, i)->op == IL_OP_FETCH);
  CHECK(call_at(f, "globalThis[name]") < 0); /* computed member: no chain */
  /* the callee of `init()` inside a function is a called reference; an argument is not */
  il_facts_free(f);
  f = run("function a() { return b(c); }\nfunction b(x) { return x; }\nconst c = 1;\n");
  {
    int called = 0, plain = 0;
    for (uint32_t k = 0; k < f->refs.len; k++) {
      const il_ref *r = &f->refs.data[k];
      if (r->name_len == 1 && r->name[0] == 'b')
        called += r->called;
      if (r->name_len == 1 && r->name[0] == 'c')
        plain += !r->called;
    }
    CHECK(called == 1 && plain == 1);
  }
  il_facts_free(f);

  CASE("calls: global prefixes and aliases");
  src = "const a = globalThis.fetch(\"/\");\n"
        "const b = self.crypto.randomUUID();\n"
        "const g = globalThis;\n"
        "const c = g.fetch(\"/\");\n"
        "const d = globalThis.fetch.bind(globalThis);\n"
        "const e = new globalThis.AbortController();\n"
        "const t = AbortSignal.timeout(5);\n"
        "setInterval(() => {}, 1);\n"
        "const s = crypto.subtle.digest(\"SHA-256\", new Uint8Array(1));\n";
  f = run(src);
  i = call_at(f, "globalThis.fetch(\"/\")");
  CHECK(streq(C(f, i)->root, "globalThis"));
  CHECK(streq(C(f, i)->path, "fetch"));
  CHECK(C(f, i)->op == IL_OP_FETCH);
  CHECK(C(f, call_at(f, "self.crypto"))->op == IL_OP_RANDOM);
  i = call_at(f, "g.fetch");
  CHECK(C(f, i)->decl == decl_named(f, "g"));
  CHECK(C(f, i)->op == IL_OP_FETCH);
  CHECK(C(f, call_at(f, "globalThis.fetch.bind"))->op == IL_OP_NONE);
  CHECK(C(f, call_at(f, "new globalThis.AbortController"))->op == IL_OP_ABORT);
  CHECK(C(f, call_at(f, "AbortSignal.timeout"))->op == IL_OP_TIMER);
  CHECK(C(f, call_at(f, "setInterval"))->op == IL_OP_TIMER);
  CHECK(C(f, call_at(f, "crypto.subtle"))->op == IL_OP_NONE);
  il_facts_free(f);

  CASE("calls: local bindings and parameters shadow the globals");
  src = "const fetch = make();\n"
        "const x = fetch(\"/\");\n"
        "const y = ((crypto) => crypto.randomUUID())(fake);\n"
        "class AbortController {}\n"
        "const z = new AbortController();\n";
  f = run(src);
  i = call_at(f, "fetch(\"/\")");
  CHECK(C(f, i)->decl == decl_named(f, "fetch"));
  CHECK(C(f, i)->op == IL_OP_NONE);
  i = call_at(f, "crypto.randomUUID()");
  CHECK(i >= 0);
  CHECK(S(f, C(f, i)->scope)->at_load);
  CHECK(D(f, C(f, i)->decl)->kind == IL_DECL_PARAM);
  CHECK(C(f, i)->op == IL_OP_NONE);
  CHECK(C(f, call_at(f, "new AbortController"))->op == IL_OP_NONE);
  il_facts_free(f);

  CASE("calls: imports resolve to module and export path");
  src = "import { connect } from \"cloudflare:sockets\";\n"
        "import { connect as tcp } from \"cloudflare:sockets\";\n"
        "import * as sockets from \"cloudflare:sockets\";\n"
        "import { connect as other } from \"./tcp\";\n"
        "import { env } from \"cloudflare:workers\";\n"
        "import { randomUUID } from \"node:crypto\";\n"
        "const a = connect(\"h:1\");\n"
        "const b = tcp(\"h:2\");\n"
        "const c = sockets.connect(\"h:3\");\n"
        "const d = other(\"h:4\");\n"
        "const e = await env.KV.get(\"k\");\n"
        "const g = env.KV.get(\"k2\");\n"
        "const h = await env.DB.prepare(\"q\").all();\n"
        "const u = randomUUID();\n";
  f = run(src);
  i = call_at(f, "connect(\"h:1\")");
  CHECK(streq(C(f, i)->module, "cloudflare:sockets"));
  CHECK(streq(C(f, i)->export_path, "connect"));
  CHECK(C(f, i)->op == IL_OP_CONNECT);
  CHECK(C(f, i)->ctor >= 0); /* a knowledge-base client as well */
  CHECK(C(f, call_at(f, "tcp("))->op == IL_OP_CONNECT);
  i = call_at(f, "sockets.connect");
  CHECK(streq(C(f, i)->export_path, "connect"));
  CHECK(C(f, i)->op == IL_OP_CONNECT);
  i = call_at(f, "other(");
  CHECK(streq(C(f, i)->module, "./tcp"));
  CHECK(C(f, i)->op == IL_OP_NONE);
  i = call_at(f, "env.KV.get(\"k\")");
  CHECK(C(f, i)->awaited);
  CHECK(streq(C(f, i)->export_path, "env.KV.get"));
  CHECK(C(f, i)->op == IL_OP_BINDING);
  CHECK(C(f, call_at(f, "env.KV.get(\"k2\")"))->op == IL_OP_NONE); /* not awaited */
  i = call_at(f, "env.DB.prepare(\"q\").all");
  CHECK(streq(C(f, i)->path, "DB.prepare().all"));
  CHECK(C(f, i)->op == IL_OP_BINDING);
  CHECK(C(f, call_at(f, "randomUUID()"))->op == IL_OP_RANDOM);
  il_facts_free(f);

  CASE("calls: IIFEs, their default parameters and static initializers run at load");
  src = "const a = (() => fetch(\"/1\"))();\n"
        "const b = ((p = crypto.randomUUID()) => p)();\n"
        "class K { static s = setTimeout(() => {}, 1); static { new AbortController(); } "
        "x = crypto.randomUUID(); }\n"
        "function later(p = crypto.getRandomValues(new Uint8Array(1))) { return p; }\n";
  f = run(src);
  i = call_at(f, "fetch(\"/1\")");
  CHECK(i >= 0 && C(f, i)->scope > 0 && S(f, C(f, i)->scope)->at_load);
  i = call_at(f, "crypto.randomUUID()) => p");
  CHECK(i >= 0 && S(f, C(f, i)->scope)->at_load);
  i = call_at(f, "setTimeout");
  CHECK(i >= 0 && S(f, C(f, i)->scope)->kind == IL_SCOPE_STATIC);
  CHECK(call_at(f, "new AbortController") >= 0);
  i = call_at(f, "crypto.randomUUID(); }"); /* instance field */
  CHECK(i < 0 || !S(f, C(f, i)->scope)->at_load);
  i = call_at(f, "crypto.getRandomValues"); /* default of a function not called */
  CHECK(i < 0 || !S(f, C(f, i)->scope)->at_load);
  il_facts_free(f);

  CASE("calls: Effect runs and the I/O of their programs");
  src = "import { Effect } from \"effect\";\n"
        "import * as Eff from \"effect/Effect\";\n"
        "import postgres from \"postgres\";\n"
        "const inline = Effect.runPromise(Effect.tryPromise(() => fetch(\"/x\")));\n"
        "const program = Effect.sync(() => postgres(\"u\"));\n"
        "Eff.runSync(program.pipe(Effect.orDie));\n"
        "const pure = Effect.succeed(1);\n"
        "Effect.runSync(pure);\n"
        "const worker = { run() { console.log(1); return fetch(\"/w\"); } };\n"
        "export default { fetch: () => Effect.runPromise(program) };\n";
  f = run(src);
  i = call_at(f, "Effect.runPromise(Effect.tryPromise");
  CHECK(C(f, i)->op == IL_OP_EFFECT_RUN);
  CHECK(streq(C(f, i)->export_path, "Effect.runPromise"));
  int32_t io = call_at(f, "fetch(\"/x\")");
  CHECK(io >= 0);
  CHECK(!S(f, C(f, io)->scope)->at_load);
  CHECK(C(f, io)->in_run == i);
  CHECK(C(f, i)->io_call == io);
  CHECK(C(f, i)->io_decl == -1);
  CHECK(il_facts_call_does_io(f, C(f, io)));
  i = call_at(f, "Eff.runSync");
  CHECK(C(f, i)->op == IL_OP_EFFECT_RUN);
  CHECK(streq(C(f, i)->export_path, "runSync"));
  CHECK(streq(C(f, i)->arg_root, "program"));
  io = call_at(f, "postgres(\"u\")");
  CHECK(C(f, io)->init_of == decl_named(f, "program"));
  CHECK(C(f, io)->ctor >= 0);
  CHECK(il_facts_call_does_io(f, C(f, io)));
  CHECK(C(f, i)->io_call == io);
  CHECK(C(f, i)->io_decl == decl_named(f, "program"));
  i = call_at(f, "Effect.runSync(pure)");
  CHECK(C(f, i)->op == IL_OP_EFFECT_RUN);
  CHECK(C(f, i)->io_call == -1);
  CHECK(call_at(f, "console.log(1)") < 0); /* not at load, not an I/O candidate */
  io = call_at(f, "fetch(\"/w\")");
  CHECK(C(f, io)->init_of == decl_named(f, "worker"));
  i = call_at(f, "Effect.runPromise(program)");
  CHECK(i < 0 || !S(f, C(f, i)->scope)->at_load);
  il_facts_free(f);
}

/* ---- the prefilter keeps files global-scope-io reports on ---------------------------- */

/* Each snippet names no knowledge-base module except where the operation needs
 * one, so only the prefilter's own tokens can keep it from being skipped. */
static void test_prefilter(void) {
  static const char *const snippets[] = {
      "export const a = crypto.randomUUID();\n",
      "export const a = crypto.getRandomValues(new Uint8Array(1));\n",
      "export const a = fetch(\"/\");\n",
      "setTimeout(() => {}, 1);\n",
      "setInterval(() => {}, 1);\n",
      "export const a = new AbortController();\n",
      "export const a = AbortSignal.timeout(1);\n",
      "import * as nc from \"node:crypto\";\nexport const a = nc.randomBytes(8);\n",
      "import * as nc from \"node:crypto\";\nexport const a = nc.randomInt(8);\n",
      "import * as s from \"cloudflare:sockets\";\nexport const a = s.connect(\"h:1\");\n",
      "import * as w from \"cloudflare:workers\";\nexport const a = await w.env.KV.get(\"k\");\n",
      NULL};
  const char *dir = getenv("ISOLINT_KB_DIR");
  il_config cfg;
  char *err = NULL;
  CASE("prefilter: config");
  bool ok = il_config_init(&cfg, dir, &err);
  CHECK(ok);
  free(err);
  if (!ok)
    return;
  CHECK(!cfg.no_prefilter);
  for (const char *const *sn = snippets; *sn; sn++) {
    CASE(*sn);
    il_result r;
    il_result_init(&r);
    il_analyze_text(&cfg, "snippet.ts", *sn, strlen(*sn), &r);
    uint32_t n = 0;
    for (uint32_t i = 0; i < r.findings.len; i++)
      n += streq(r.findings.data[i].rule_id, "global-scope-io");
    CHECK(n == 1);
    il_result_fini(&r);
  }
  CASE("prefilter: the same call in a function is parsed and not reported");
  const char *neg = "export function f() { return crypto.randomUUID(); }\n";
  il_result r;
  il_result_init(&r);
  il_analyze_text(&cfg, "neg.ts", neg, strlen(neg), &r);
  CHECK(r.findings.len == 0);
  il_result_fini(&r);
  il_config_fini(&cfg);
}

/* ---- suppressions ------------------------------------------------------------------- */

static void test_suppressions(void) {
  CASE("suppressions");
  const char *src = "// isolint-disable-next-line module-scope-client -- reason\n" /* 1 */
                    "const a = 1;\n"                                               /* 2 */
                    "const b = 2; // isolint-disable-line a, b\n"                   /* 3 */
                    "/* isolint-disable-next-line x -- why */\n"                   /* 4 */
                    "const c = 3;\n"                                               /* 5 */
                    "// see the isolint-disable-next-line docs for details\n"      /* 6 */
                    "const s = \"// isolint-disable-line y\";\n"                   /* 7 */
                    "// isolint-disable-next-line\n"                               /* 8 */
                    "const d = 4;\n"                                               /* 9 */
                    "// isolint-disable-lines z\n";                                /* 10 */
  il_facts *f = run(src);
  /* "isolint-disable-lines" (line 10) is no directive: recorded to be reported */
  CHECK(f->suppressions.len == 5);
  CHECK(f->suppressions.len == 5 && SUP(f, 4)->kind == IL_SUP_UNKNOWN &&
        streq(SUP(f, 4)->word, "isolint-disable-lines") && SUP(f, 4)->line == 10);
  const il_suppression *p = SUP(f, 0);
  CHECK(p->next_line);
  CHECK(p->line == 2);
  CHECK(p->span.start.line == 1);
  CHECK(p->n_rules == 1);
  CHECK(p->n_rules >= 1 && streq(p->rules[0], "module-scope-client"));
  CHECK(streq(p->reason, "reason"));
  CHECK(!p->used);

  p = SUP(f, 1);
  CHECK(!p->next_line);
  CHECK(p->line == 3);
  CHECK(p->n_rules == 2);
  CHECK(p->n_rules >= 2 && streq(p->rules[0], "a") && streq(p->rules[1], "b"));
  CHECK(p->reason == NULL);

  p = SUP(f, 2);
  CHECK(p->next_line);
  CHECK(p->line == 5);
  CHECK(p->n_rules == 1);
  CHECK(p->n_rules >= 1 && streq(p->rules[0], "x"));
  CHECK(streq(p->reason, "why"));

  p = SUP(f, 3);
  CHECK(p->next_line);
  CHECK(p->line == 9);
  CHECK(p->n_rules == 0);
  CHECK(p->reason == NULL);
  il_facts_free(f);

  CASE("suppressions: CRLF line ends");
  src = "// isolint-disable-next-line r1 -- because\r\nconst a = 1;\r\n";
  f = run(src);
  CHECK(f->suppressions.len == 1);
  CHECK(SUP(f, 0)->line == 2);
  CHECK(SUP(f, 0)->n_rules == 1);
  CHECK(SUP(f, 0)->n_rules >= 1 && streq(SUP(f, 0)->rules[0], "r1"));
  CHECK(streq(SUP(f, 0)->reason, "because"));
  il_facts_free(f);
}

/* ---- strings and comments ----------------------------------------------------------- */

static void test_strings_comments(void) {
  CASE("strings and comments hold no constructions");
  const char *src = "import { Pool } from \"pg\";\n"
                    "const s = \"new Pool()\";\n"
                    "const t = 'new Pool()';\n"
                    "const u = `new Pool()`;\n"
                    "// new Pool()\n"
                    "/* new Pool() */\n"
                    "const r = /new Pool\\(\\)/;\n";
  il_facts *f = run(src);
  CHECK(f->n_syntax_errors == 0);
  CHECK(f->ctors.len == 0);
  il_facts_free(f);

  CASE("a template substitution is code");
  src = "import { Pool } from \"pg\";\nconst s = `${new Pool()}`;\n";
  f = run(src);
  CHECK(count_clients(f) == 1);
  il_facts_free(f);
}

/* ---- robustness --------------------------------------------------------------------- */

static void test_robustness(void) {
  CASE("empty file");
  il_facts *f = run("");
  CHECK(f->n_syntax_errors == 0);
  CHECK(f->scopes.len == 1);
  CHECK(f->decls.len == 0);
  CHECK(f->ctors.len == 0);
  CHECK(f->assigns.len == 0);
  CHECK(f->refs.len == 0);
  CHECK(f->greads.len == 0);
  CHECK(f->suppressions.len == 0);
  il_facts_free(f);

  CASE("syntax error elsewhere");
  const char *src = "import { Pool } from \"pg\";\n"
                    "const = ;\n"
                    "const pool = new Pool();\n";
  f = run(src);
  CHECK(f->n_syntax_errors > 0);
  CHECK(f->first_syntax_error.start.line == 2);
  CHECK(count_clients(f) == 1);
  CHECK(K(f, ctor_at(f, "new Pool()"))->client != NULL);
  il_facts_free(f);

  CASE("syntax error after the construction");
  src = "import { Pool } from \"pg\";\n"
        "const pool = new Pool();\n"
        "function broken( { \n";
  f = run(src);
  CHECK(f->n_syntax_errors > 0);
  CHECK(count_clients(f) == 1);
  il_facts_free(f);

  CASE("20000-deep parentheses");
  {
    const size_t depth = 20000;
    const char *head = "import { Pool } from \"pg\";\nconst p = ";
    const char *mid = "new Pool()";
    size_t len = strlen(head) + depth + strlen(mid) + depth + 2;
    char *buf = malloc(len + 1);
    char *q = buf;
    memcpy(q, head, strlen(head));
    q += strlen(head);
    memset(q, '(', depth);
    q += depth;
    memcpy(q, mid, strlen(mid));
    q += strlen(mid);
    memset(q, ')', depth);
    q += depth;
    memcpy(q, ";\n", 2);
    q += 2;
    *q = '\0';
    f = run_lang(IL_LANG_TS, buf, (size_t)(q - buf));
    CHECK(f->n_syntax_errors == 0);
    CHECK(f->ctors.len == 1);
    CHECK(count_clients(f) == 1);
    il_facts_free(f);
    free(buf);
  }

  CASE("not NUL-terminated source");
  {
    const char text_[] = "import { Pool } from \"pg\";\nconst p = new Pool();\nXXXX";
    size_t n = sizeof text_ - 1 - 4;
    char *buf = malloc(n);
    memcpy(buf, text_, n);
    il_facts *g = il_facts_new("t.ts", IL_LANG_TS, buf, n);
    char *err = NULL;
    CHECK(il_ts_extract(g, &err));
    free(err);
    il_facts_resolve(g, kb);
    CHECK(count_clients(g) == 1);
    il_facts_free(g);
    free(buf);
  }

  CASE("il_facts_free(NULL)");
  il_facts_free(NULL);
  CHECK(true);
}

/* ---- more front-end facts ----------------------------------------------------------- */

static void test_more(void) {
  CASE("more: export default {...} satisfies ExportedHandler");
  const char *src = "export default {\n"
                    "  async fetch(req, env, ctx) { const f = () => { /*IN*/ }; /*H*/ },\n"
                    "} satisfies ExportedHandler<Env>;\n";
  il_facts *f = run(src);
  int32_t s = scope_at(f, "/*H*/");
  CHECK(S(f, s)->is_handler);
  CHECK(streq(S(f, s)->name, "fetch"));
  CHECK(il_facts_handler_of(f, scope_at(f, "/*IN*/")) == s);
  CHECK(scope_at(f, "/*IN*/") > 0);
  CHECK(!S(f, scope_at(f, "/*IN*/"))->is_handler);
  il_facts_free(f);

  CASE("more: extends DurableObject<Env>");
  src = "import { DurableObject } from \"cloudflare:workers\";\n"
        "export class Room extends DurableObject<Env> { async fetch(req: Request) { /*H*/ } }\n";
  f = run(src);
  CHECK(D(f, decl_named(f, "Room"))->is_durable);
  CHECK(S(f, scope_at(f, "/*H*/"))->is_handler);
  CHECK(S(f, scope_at(f, "/*H*/"))->is_durable);
  il_facts_free(f);

  CASE("more: class expression at module level");
  src = "import { Pool } from \"pg\";\n"
        "const C = class { static p = new Pool(); };\n";
  f = run(src);
  s = K(f, ctor_at(f, "new Pool"))->scope;
  CHECK(S(f, s)->kind == IL_SCOPE_STATIC);
  CHECK(S(f, s)->at_load);
  il_facts_free(f);

  CASE("more: method chain on a construction");
  src = "import { PrismaClient } from \"@prisma/client\";\n"
        "const p = new PrismaClient().$extends(ext);\n";
  f = run(src);
  CHECK(D(f, decl_named(f, "p"))->init_ctor == ctor_at(f, "new PrismaClient"));
  CHECK(K(f, ctor_at(f, "new PrismaClient"))->decl == decl_named(f, "p"));
  il_facts_free(f);

  CASE("more: nested member target and computed key");
  src = "import { Pool } from \"pg\";\n"
        "globalThis.cache.db = new Pool();\n"
        "globalThis[key] = new Pool();\n";
  f = run(src);
  int32_t a = assign_at(f, "globalThis.cache.db");
  CHECK(A(f, a)->global);
  CHECK(streq(A(f, a)->prop, "cache"));
  a = assign_at(f, "globalThis[key]");
  CHECK(A(f, a)->global);
  CHECK(streq(A(f, a)->prop, "[]"));
  il_facts_free(f);

  CASE("more: declaration patterns, params, catch");
  src = "const { a, b: c, ...rest } = obj;\n"
        "const [p, q = 1] = arr;\n"
        "function f({ x, y: z }, [m], n = 2, ...more) {}\n"
        "const g = (u) => u;\n"
        "const h = v => v;\n"
        "try {} catch (e) {}\n"
        "function typed(self: any, globalThis?: unknown) { self.k = 1; globalThis.k2 = 2; }\n";
  f = run(src);
  CHECK(f->n_syntax_errors == 0);
  CHECK(D(f, decl_named(f, "a"))->kind == IL_DECL_CONST);
  CHECK(D(f, decl_named(f, "c"))->kind == IL_DECL_CONST);
  CHECK(decl_named(f, "b") < 0);
  CHECK(D(f, decl_named(f, "rest"))->kind == IL_DECL_CONST);
  CHECK(D(f, decl_named(f, "p"))->kind == IL_DECL_CONST);
  CHECK(D(f, decl_named(f, "q"))->kind == IL_DECL_CONST);
  CHECK(D(f, decl_named(f, "x"))->kind == IL_DECL_PARAM);
  CHECK(D(f, decl_named(f, "z"))->kind == IL_DECL_PARAM);
  CHECK(decl_named(f, "y") < 0);
  CHECK(D(f, decl_named(f, "m"))->kind == IL_DECL_PARAM);
  CHECK(D(f, decl_named(f, "n"))->kind == IL_DECL_PARAM);
  CHECK(D(f, decl_named(f, "more"))->kind == IL_DECL_PARAM);
  CHECK(D(f, decl_named(f, "u"))->kind == IL_DECL_PARAM);
  CHECK(D(f, decl_named(f, "v"))->kind == IL_DECL_PARAM);
  CHECK(D(f, decl_named(f, "v"))->scope == scope_at(f, "v;"));
  CHECK(D(f, decl_named(f, "e"))->kind == IL_DECL_LET);
  CHECK(D(f, decl_named(f, "x"))->scope == scope_at(f, "{}\nconst g"));
  CHECK(!A(f, assign_at(f, "self.k"))->global);
  CHECK(!A(f, assign_at(f, "globalThis.k2"))->global);
  il_facts_free(f);

  CASE("more: generic container and arguments reference");
  src = "import { PrismaClient } from \"@prisma/client\";\n"
        "import { PrismaD1 } from \"@prisma/adapter-d1\";\n"
        "const m = new Map<string, PrismaClient>();\n"
        "export default { async fetch(req, env) {\n"
        "  const p = new PrismaClient({ adapter: new PrismaD1(env.DB) });\n"
        "} };\n";
  f = run(src);
  CHECK(D(f, decl_named(f, "m"))->init_kind == IL_INIT_CONTAINER);
  {
    int32_t r = ref_at(f, "env.DB");
    CHECK(r >= 0);
    CHECK(R(f, r)->in_ctor == ctor_at(f, "new PrismaD1"));
    CHECK(D(f, R(f, r)->decl)->kind == IL_DECL_PARAM);
  }
  il_facts_free(f);

  CASE("more: export default of a handler object declared earlier");
  src = "const worker = {\n"
        "  async fetch(req, env) { /*H*/ },\n"
        "};\n"
        "export default worker;\n";
  f = run(src);
  CHECK(S(f, scope_at(f, "/*H*/"))->is_handler);
  il_facts_free(f);
}

/* ---- composition nodes (boot-time-layer) ----------------------------------------------- */

static int32_t lnode_at(const il_facts *f, const char *marker) {
  uint32_t o = off(f, marker);
  for (uint32_t i = 0; i < f->lnodes.len; i++)
    if (f->lnodes.data[i].span.start_byte == o)
      return (int32_t)i;
  return -1;
}

static void test_lnodes(void) {
  CASE("lnodes: pipe, provideMerge, names, init_of, comments skipped");
  const char *src = "import { Layer, Effect } from \"effect\";\n"
                    "import { PgClient } from \"@effect/sql-pg\";\n"
                    "import pg from \"pg\";\n"
                    "const SqlLive = PgClient.layer({});\n"
                    "const AppLive = Routes.pipe(Layer.provideMerge(/* c */ SqlLive));\n"
                    "const Alias = AppLive;\n"
                    "const U = Layer.effect(T, Effect.gen(function* () { return { q: () => 1 }; }));\n";
  il_facts *f = run(src);
  int32_t sql = lnode_at(f, "PgClient.layer");
  int32_t pipe = lnode_at(f, "Routes.pipe");
  int32_t pm = lnode_at(f, "Layer.provideMerge");
  int32_t routes = lnode_at(f, "Routes.pipe(");
  CHECK(sql >= 0 && pipe >= 0 && pm >= 0);
  if (sql >= 0 && pipe >= 0 && pm >= 0) {
    CHECK(f->lnodes.data[sql].init_of == decl_named(f, "SqlLive"));
    CHECK(f->lnodes.data[sql].ctor >= 0);
    CHECK(streq(f->ctors.data[f->lnodes.data[sql].ctor].export_path, "PgClient.layer"));
    CHECK(streq(f->ctors.data[f->lnodes.data[sql].ctor].from, "@effect/sql-pg"));
    CHECK(f->lnodes.data[pipe].is_pipe && f->lnodes.data[pipe].ctor < 0);
    CHECK(f->lnodes.data[pipe].init_of == decl_named(f, "AppLive"));
    CHECK(f->lnodes.data[pm].parent == pipe && f->lnodes.data[pm].arg_index == 0);
    CHECK(streq(f->ctors.data[f->lnodes.data[pm].ctor].export_path, "Layer.provideMerge"));
  }
  /* the pipe receiver is a name node with arg_index -1 (same start as the callee span) */
  bool receiver = false, arg = false, alias = false;
  for (uint32_t i = 0; i < f->lnodes.len; i++) {
    const il_lnode *l = &f->lnodes.data[i];
    if (!l->is_name)
      continue;
    receiver |= streq(l->name, "Routes") && l->parent == pipe && l->arg_index == -1;
    arg |= streq(l->name, "SqlLive") && l->parent == pm && l->arg_index == 0 &&
           l->decl == decl_named(f, "SqlLive");
    alias |= streq(l->name, "AppLive") && l->parent == -1 && l->init_of == decl_named(f, "Alias");
  }
  CHECK(receiver && arg && alias);
  (void)routes;
  /* arg_of: the generator is handed to Effect.gen; the method value is not */
  int32_t gen_scope = -1, q_scope = -1;
  for (uint32_t s = 1; s < f->scopes.len; s++) {
    if (f->scopes.data[s].span.start_byte == off(f, "function* ()"))
      gen_scope = (int32_t)s;
    if (f->scopes.data[s].span.start_byte == off(f, "() => 1"))
      q_scope = (int32_t)s;
  }
  CHECK(gen_scope >= 0 && q_scope >= 0);
  if (gen_scope >= 0 && q_scope >= 0) {
    int32_t a = f->scopes.data[gen_scope].arg_of;
    CHECK(a >= 0 && streq(f->ctors.data[a].path, "gen"));
    CHECK(f->scopes.data[q_scope].arg_of == -1);
  }
  il_facts_free(f);

  CASE("lnodes: many arguments stay linked in order");
  const char *many = "import { Layer } from \"effect\";\n"
                     "const M = Layer.mergeAll(a(), Layer.merge(b, c), d(), Layer.fresh(e));\n";
  f = run(many);
  int32_t ma = lnode_at(f, "Layer.mergeAll"), mg = lnode_at(f, "Layer.merge("),
          fr = lnode_at(f, "Layer.fresh");
  CHECK(ma >= 0 && mg >= 0 && fr >= 0);
  if (ma >= 0 && mg >= 0 && fr >= 0) {
    CHECK(f->lnodes.data[mg].parent == ma && f->lnodes.data[mg].arg_index == 1);
    CHECK(f->lnodes.data[fr].parent == ma && f->lnodes.data[fr].arg_index == 3);
  }
  il_facts_free(f);

  CASE("lnodes: member bindings (static fields, namespaces, service classes)");
  const char *mem =
      "import { Layer, Effect, Context } from \"effect\";\n"
      "class Db extends Context.Tag(\"Db\")<Db, number>() {\n"
      "  static Live = Layer.sync(Db, () => 1);\n"
      "  x = 1;\n"
      "}\n"
      "const Ns = { Live: Layer.sync(T, () => 2), Al: Db.Live, n: 3 };\n"
      "let Mut = { Live: Layer.sync(T, () => 4) };\n"
      "class Svc extends Effect.Service<Svc>()(\"Svc\", { succeed: {} }) {\n"
      "  static readonly layer = Layer.effect(this, this.make);\n"
      "}\n"
      "const a = Layer.mergeAll(Db.Live, Ns.Live, Svc.DefaultWithoutDependencies, Db.x, Mut.Live, "
      "Nope.Live);\n";
  f = run(mem);
  {
    int32_t db = decl_named(f, "Db"), dl = decl_named(f, "Db.Live"), nl = decl_named(f, "Ns.Live"),
            na = decl_named(f, "Ns.Al"), sd = decl_named(f, "Svc.Default"),
            sw = decl_named(f, "Svc.DefaultWithoutDependencies"), sm = decl_named(f, "Svc.make");
    CHECK(dl >= 0 && nl >= 0 && na >= 0 && sd >= 0 && sw >= 0 && sm >= 0);
    CHECK(decl_named(f, "Ns.n") < 0 && decl_named(f, "Mut.Live") < 0 && decl_named(f, "Db.x") < 0);
    if (dl >= 0 && nl >= 0 && na >= 0 && sd >= 0 && sw >= 0 && sm >= 0) {
      CHECK(D(f, dl)->kind == IL_DECL_FIELD && D(f, dl)->owner == db);
      CHECK(D(f, nl)->kind == IL_DECL_FIELD && D(f, nl)->owner == decl_named(f, "Ns"));
      CHECK(il_facts_member(f, db, "Live") == dl);
      CHECK(il_facts_member(f, db, "x") == -1);
      char longp[300];
      memset(longp, 'p', sizeof longp - 1);
      longp[sizeof longp - 1] = '\0';
      CHECK(il_facts_member(f, db, longp) == -1); /* too long: not found, no overflow */
      CHECK(il_facts_member(f, -1, "Live") == -1 && il_facts_member(f, 100000, "Live") == -1);
      CHECK(il_facts_lookup(f, 0, "Db.Live") == -1); /* not in scope by name */
      CHECK(f->lnodes.data[lnode_at(f, "Layer.sync(Db")].init_of == dl);
      CHECK(f->lnodes.data[lnode_at(f, "Layer.sync(T, () => 2")].init_of == nl);
      int32_t svc = -1; /* the factory call's node (alias nodes share its start) */
      for (uint32_t i = 0; i < f->lnodes.len; i++)
        if (!f->lnodes.data[i].is_name && f->lnodes.data[i].ctor >= 0 &&
            streq(f->ctors.data[f->lnodes.data[i].ctor].path, "Service()"))
          svc = (int32_t)i;
      CHECK(svc >= 0 && f->lnodes.data[svc].init_of == sd && f->lnodes.data[svc].ctor >= 0 &&
            streq(f->ctors.data[f->lnodes.data[svc].ctor].export_path, "Effect.Service()"));
      int32_t ma = lnode_at(f, "Layer.mergeAll");
      const char *want[] = {"Db.Live", "Ns.Live", "Svc.DefaultWithoutDependencies", "Db.x",
                            "Mut.Live", "Nope.Live"};
      int32_t want_decl[] = {dl, nl, sw, -1, -1, -1};
      uint32_t seen = 0;
      bool alias_al = false, alias_sw = false, this_make = false;
      for (uint32_t i = 0; i < f->lnodes.len; i++) {
        const il_lnode *l = &f->lnodes.data[i];
        if (!l->is_name)
          continue;
        if (l->parent == ma && ma >= 0 && l->arg_index >= 0 && l->arg_index < 6) {
          CHECK(streq(l->name, want[l->arg_index]));
          CHECK(l->decl == want_decl[l->arg_index]);
          seen++;
        }
        alias_al |= streq(l->name, "Db.Live") && l->init_of == na && l->decl == dl;
        alias_sw |= streq(l->name, "Svc.Default") && l->init_of == sw && l->decl == sd;
        this_make |= streq(l->name, "this.make") && l->decl == sm;
      }
      CHECK(seen == 6 && alias_al && alias_sw && this_make);
    }
  }
  il_facts_free(f);

  CASE("lnodes: Effect.Service dependencies are arguments of the factory node");
  const char *deps = "import { Effect, Layer } from \"effect\";\n"
                     "class U extends Effect.Service<U>()(\"U\", {\n"
                     "  effect: Effect.succeed(1),\n"
                     "  dependencies: [A.Default, /* c */ B, Layer.fresh(C.Default)],\n"
                     "}) {}\n";
  f = run(deps);
  {
    int32_t svc = -1;
    for (uint32_t i = 0; i < f->lnodes.len; i++)
      if (!f->lnodes.data[i].is_name && f->lnodes.data[i].ctor >= 0 &&
          streq(f->ctors.data[f->lnodes.data[i].ctor].path, "Service()"))
        svc = (int32_t)i;
    CHECK(svc >= 0);
    uint32_t kids = 0;
    bool a = false, b = false, fresh = false;
    for (uint32_t i = 0; svc >= 0 && i < f->lnodes.len; i++) {
      const il_lnode *l = &f->lnodes.data[i];
      if (l->parent != svc)
        continue;
      kids++;
      CHECK(l->arg_index == 1);
      a |= l->is_name && streq(l->name, "A.Default");
      b |= l->is_name && streq(l->name, "B");
      fresh |= !l->is_name && l->ctor >= 0 && streq(f->ctors.data[l->ctor].path, "fresh");
    }
    CHECK(kids == 3 && a && b && fresh);
    int32_t c = lnode_at(f, "C.Default");
    CHECK(c >= 0 && f->lnodes.data[c].parent >= 0 &&
          f->lnodes.data[f->lnodes.data[c].parent].ctor >= 0);
  }
  il_facts_free(f);

  CASE("prefilter: an Effect-only file is parsed for boot-time-layer");
  const char *dir = getenv("ISOLINT_KB_DIR");
  il_config cfg;
  char *err = NULL;
  bool ok = il_config_init(&cfg, dir, &err);
  CHECK(ok);
  free(err);
  if (!ok)
    return;
  const char *eff = "import { Layer } from \"effect\";\n"
                    "import { HttpRouter } from \"effect/unstable/http\";\n"
                    "import { PgClient } from \"@effect/sql-pg\";\n"
                    "const SqlLive = PgClient.layer({});\n"
                    "export const h = HttpRouter.toWebHandler(Layer.provideMerge(R, SqlLive));\n";
  il_result r;
  il_result_init(&r);
  il_analyze_text(&cfg, "eff.ts", eff, strlen(eff), &r);
  CHECK(r.findings.len == 1 && streq(r.findings.data[0].rule_id, "boot-time-layer") &&
        r.findings.data[0].flow && r.findings.data[0].n_related == 3);
  il_result_fini(&r);
  il_config_fini(&cfg);
}

/* Value flow: the facts it reads (returns, local calls, a function's scope) and what
 * il_flow_apply gives calls. */
static void test_value_flow(void) {
  CASE("value flow: returns, local calls and the scope a declaration names");
  il_facts *f = run("import postgres from \"postgres\";\n"
                    "const make = (u: string) => postgres(u);\n"
                    "function wrap(u: string) { const s = make(u); return s; }\n"
                    "function cfg() { return { max: 1 }; }\n"
                    "let sql; let opts;\n"
                    "export function get(u: string) { sql ?\?= wrap(u); opts = cfg(); log(u); }\n");
  int32_t dm = decl_named(f, "make"), dw = decl_named(f, "wrap");
  CHECK(dm >= 0 && f->decls.data[dm].fn > 0 && f->decls.data[dw].fn > 0);
  CHECK(f->rets.len == 3);
  int32_t k = ctor_at(f, "wrap(u); opts");
  CHECK(k >= 0 && f->ctors.data[k].local_call && !f->ctors.data[k].client);
  CHECK(ctor_at(f, "log(u)") < 0); /* not where a value is made: no record */
  il_flow_apply(f);
  CHECK(f->ctors.data[k].client && streq(f->ctors.data[k].via, "wrap") &&
        f->ctors.data[k].origin == ctor_at(f, "postgres(u)"));
  int32_t c = ctor_at(f, "cfg(); log");
  CHECK(c >= 0 && !f->ctors.data[c].client);
  il_flow_summarize(f);
  bool get_sum = false, make_sum = false;
  for (uint32_t i = 0; i < f->fsums.len; i++) {
    get_sum |= f->fsums.data[i].decl == decl_named(f, "get");
    make_sum |= f->fsums.data[i].decl == dm && f->fsums.data[i].client != NULL;
  }
  CHECK(make_sum && !get_sum);
  il_facts_free(f);

  CASE("value flow: recursion gives nothing, and functions called at load are marked");
  f = run("function a(n: number): unknown { return n ? a(n - 1) : null; }\n"
          "let x; export function h() { x ?\?= a(3); }\n"
          "function seed() { return crypto.randomUUID(); }\n"
          "function init() { return seed(); }\n"
          "export const id = init();\n");
  il_flow_apply(f);
  int32_t r = ctor_at(f, "a(3)");
  CHECK(r >= 0 && !f->ctors.data[r].client);
  int32_t ds = decl_named(f, "seed"), di = decl_named(f, "init"), da = decl_named(f, "a");
  CHECK(f->scopes.data[f->decls.data[ds].fn].load_site >= 0);
  CHECK(f->scopes.data[f->decls.data[di].fn].load_site >= 0);
  CHECK(f->scopes.data[f->decls.data[da].fn].load_site < 0);
  il_facts_free(f);
}

int main(void) {
  const char *dir = getenv("ISOLINT_KB_DIR");
  if (!dir) {
    fprintf(stderr, "test_facts: ISOLINT_KB_DIR is not set (rules/kb)\n");
    printf("0 passed, 1 failed\n");
    return 1;
  }
  kb = il_kb_new();
  char *err = NULL;
  if (!il_kb_load_dir(kb, dir, &err)) {
    fprintf(stderr, "test_facts: cannot load %s: %s\n", dir, err ? err : "?");
    free(err);
    il_kb_free(kb);
    printf("0 passed, 1 failed\n");
    return 1;
  }
  test_imports();
  test_constructions();
  test_scopes();
  test_handlers();
  test_assignments();
  test_global_reads();
  test_refs();
  test_calls();
  test_prefilter();
  test_suppressions();
  test_strings_comments();
  test_robustness();
  test_more();
  test_lnodes();
  test_value_flow();
  il_kb_free(kb);
  printf("%d passed, %d failed\n", passed, failed);
  return failed ? 1 : 0;
}
