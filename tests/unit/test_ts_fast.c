/* Unit tests of the TypeScript front-end's shortcuts (analyzer/frontend/ts.c and
 * ts_pool.h):
 * - the source-text pre-checks that skip node lookups: a member expression whose
 *   first token cannot be a global root, a call whose callee's first token cannot
 *   be an imported or load-op root, a member callee whose last token is none of the
 *   properties looked for. Each case here is one the pre-check must answer "maybe"
 *   for (a wrapper before the root, a name that goes on past ASCII, a comment in
 *   the chain), or "no" for (a longer or shorter name), and the facts that follow;
 * - the walk that climbs after a parent's last child (its child count): nested,
 *   empty and error-recovered nodes, facts after the deepest ones;
 * - the per-thread pool tree-sitter allocates from: sizes across its classes and
 *   past them, realloc that grows, keeps or moves, calloc, free of NULL, and the
 *   pool given back and used again; many files on threads at once.
 * A failing check is a fact the shortcut lost or invented. */
#include "facts/facts.h"
#include "frontend/frontend.h"
#include "facts/kb.h"

#include "../../analyzer/frontend/ts_pool.h"
#include "../check.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

static il_kb *kb;

static il_facts *run(const char *src) {
  il_facts *f = il_facts_new("t.ts", IL_LANG_TS, src, strlen(src));
  char *err = NULL;
  bool ok = il_ts_extract(f, &err);
  CHECK(ok, err ? err : "il_ts_extract");
  free(err);
  il_facts_resolve(f, kb);
  return f;
}

static bool streq(const char *a, const char *b) { return a && b && strcmp(a, b) == 0; }

static uint32_t greads(const il_facts *f, const char *root, const char *prop) {
  uint32_t n = 0;
  for (uint32_t i = 0; i < f->greads.len; i++)
    n += streq(f->greads.data[i].root, root) && streq(f->greads.data[i].prop, prop);
  return n;
}

static uint32_t ctors(const il_facts *f, const char *root, const char *path) {
  uint32_t n = 0;
  for (uint32_t i = 0; i < f->ctors.len; i++)
    n += streq(f->ctors.data[i].root, root) && streq(f->ctors.data[i].path, path);
  return n;
}

static uint32_t calls(const il_facts *f, const char *root, const char *path) {
  uint32_t n = 0;
  for (uint32_t i = 0; i < f->calls.len; i++)
    n += streq(f->calls.data[i].root, root) && streq(f->calls.data[i].path, path);
  return n;
}

static uint32_t pipes(const il_facts *f) {
  uint32_t n = 0;
  for (uint32_t i = 0; i < f->lnodes.len; i++)
    n += f->lnodes.data[i].is_pipe;
  return n;
}

static uint32_t sets(const il_facts *f, const char *root) {
  uint32_t n = 0;
  for (uint32_t i = 0; i < f->assigns.len; i++)
    n += f->assigns.data[i].op == IL_ASSIGN_SET && streq(f->assigns.data[i].root, root);
  return n;
}

static uint32_t handlers(const il_facts *f, const char *name) {
  uint32_t n = 0;
  for (uint32_t i = 0; i < f->scopes.len; i++)
    n += f->scopes.data[i].is_handler && streq(f->scopes.data[i].name, name);
  return n;
}

static uint32_t decls(const il_facts *f, const char *name) {
  uint32_t n = 0;
  for (uint32_t i = 0; i < f->decls.len; i++)
    n += streq(f->decls.data[i].name, name);
  return n;
}

static void test_global_reads(void) {
  il_facts *f = run("globalThis.a; (globalThis as any).b; globalThis!.c;\n"
                    "(<any>globalThis).d; self.e; global['f'];\n"
                    "globalThisX.g; myglobal.h; xself.i; selfish.j;\n");
  CHECK(greads(f, "globalThis", "a") == 1, "globalThis.a is a global read");
  CHECK(greads(f, "globalThis", "b") == 1, "a parenthesized root is a global read");
  CHECK(greads(f, "globalThis", "c") == 1, "a non-null root is a global read");
  CHECK(greads(f, "globalThis", "d") == 1, "a type-asserted root is a global read");
  CHECK(greads(f, "self", "e") == 1, "self.e is a global read");
  CHECK(greads(f, "global", "f") == 1, "global['f'] is a global read");
  CHECK(f->greads.len == 6, "a longer or shorter name is no global read");
  il_facts_free(f);

  /* an alias of the global object, and one whose name goes on past ASCII */
  f = run("const g = globalThis; g.x; const g\xc3\xa9 = globalThis; g\xc3\xa9.y; gx.z;\n");
  CHECK(greads(f, "g", "x") == 1, "an alias's read");
  CHECK(greads(f, "g\xc3\xa9", "y") == 1, "a non-ASCII alias's read");
  CHECK(greads(f, "gx", "z") == 0, "no read through a name that is no alias");
  il_facts_free(f);

  /* `await` starts the object only inside parentheses */
  f = run("async function h() { (await globalThis).k; }\n");
  CHECK(greads(f, "globalThis", "k") == 1, "an awaited root is a global read");
  il_facts_free(f);
}

static void test_call_roots(void) {
  il_facts *f = run("import { Pool } from \"pg\";\n"
                    "import { P\xc3\xb6ol } from \"pg\";\n"
                    "export function a() { return new Pool(); }\n"
                    "export function b() { return new P\xc3\xb6ol(); }\n"
                    "export function c() { return (Pool as any).connect(); }\n"
                    "export function d() { return PoolX.connect(); }\n"
                    "export function e() { return Poo.connect(); }\n");
  CHECK(ctors(f, "Pool", "") == 1, "new Pool() is a construction");
  CHECK(ctors(f, "P\xc3\xb6ol", "") == 1, "a non-ASCII imported root is a construction");
  CHECK(ctors(f, "Pool", "connect") == 1, "a wrapped imported root is a construction");
  CHECK(ctors(f, "PoolX", "connect") == 0, "a longer name is not the import");
  CHECK(ctors(f, "Poo", "connect") == 0, "a shorter name is not the import");
  il_facts_free(f);

  /* in the body of a module-level function: load-op roots */
  f = run("function a() { fetch(\"x\"); }\n"
          "function b() { (fetch)(\"y\"); }\n"
          "function c() { fetchX(\"z\"); }\n"
          "function d() { crypto.randomUUID(); }\n"
          "function e() { cryptos.randomUUID(); }\n"
          "function f() { setTimeout(() => 1, 5); }\n");
  CHECK(calls(f, "fetch", "") == 2, "fetch() and (fetch)() are recorded");
  CHECK(calls(f, "fetchX", "") == 0, "fetchX() is not");
  CHECK(calls(f, "crypto", "randomUUID") == 1, "crypto.randomUUID() is recorded");
  CHECK(calls(f, "cryptos", "randomUUID") == 0, "cryptos.randomUUID() is not");
  CHECK(calls(f, "setTimeout", "") == 1, "setTimeout() is recorded");
  il_facts_free(f);

  /* at load every call is recorded, whatever its root */
  f = run("anything.at.all(); other();\n");
  CHECK(calls(f, "anything", "at.all") == 1, "a call at load is recorded");
  CHECK(calls(f, "other", "") == 1, "a plain call at load is recorded");
  il_facts_free(f);
}

static void test_callee_props(void) {
  il_facts *f = run("export const a = x.pipe(y);\n"
                    "export const b = x./* c */pipe(y);\n"
                    "export const c = x\n  .pipe(y);\n"
                    "export const d = x.pipes(y);\n"
                    "export const e = x.ppipe(y);\n"
                    "export const g = x.pip\xc3\xa9(y);\n");
  CHECK(pipes(f) == 3, "three .pipe calls, a comment or a line break before the name");
  il_facts_free(f);

  f = run("const cache = new Map();\n"
          "export function h(k: string, v: number) {\n"
          "  cache.set(k, v); cache.sets(k, v); cache.reset(k, v); cache.\xc3\xa9set(k, v);\n"
          "}\n");
  CHECK(sets(f, "cache") == 1, "only .set(k, v) is a container write");
  il_facts_free(f);

  f = run("const app = new Hono();\n"
          "app.get(\"/a\", (c) => c.text(\"a\"));\n"
          "app.gets(\"/b\", (c) => c.text(\"b\"));\n"
          "app.forget(\"/c\", (c) => c.text(\"c\"));\n"
          "app.post(\"/d\", async (c) => c.text(\"d\"));\n"
          "self.addEventListener(\"fetch\", (e) => e);\n"
          "addEventListener(\"scheduled\", (e) => e);\n"
          "x.hook(\"request\", (r) => r);\n");
  CHECK(handlers(f, "GET /a") == 1, "app.get registers a handler");
  CHECK(handlers(f, "POST /d") == 1, "app.post registers a handler");
  CHECK(handlers(f, "fetch hook") == 1, "self.addEventListener(\"fetch\") registers one");
  CHECK(handlers(f, "scheduled listener") == 1, "addEventListener(\"scheduled\") registers one");
  CHECK(handlers(f, "request hook") == 1, "hook(\"request\") registers one");
  uint32_t all = 0;
  for (uint32_t i = 0; i < f->scopes.len; i++)
    all += f->scopes.data[i].is_handler;
  CHECK(all == 5, ".gets and .forget register nothing");
  il_facts_free(f);
}

static void test_walk(void) {
  /* deep nesting, empty nodes, facts after the deepest node of each kind */
  il_facts *f = run("function a() { return [[[[[]]]]]; }\n"
                    "function b() {}\n"
                    "class C { m() { if (x) { while (y) { z(); } } } }\n"
                    "const after = 1;\n");
  CHECK(decls(f, "a") == 1 && decls(f, "b") == 1 && decls(f, "C") == 1,
        "the declarations around nested and empty nodes");
  CHECK(decls(f, "after") == 1, "the declaration after the deepest nodes");
  il_facts_free(f);

  /* missing nodes: the walk counts them and still reaches what follows */
  f = run("const b = f(1;\nif (x { y(); }\nconst after = globalThis.q;\n");
  CHECK(f->n_syntax_errors > 0, "the syntax errors are counted");
  CHECK(decls(f, "after") == 1, "the declaration after the errors");
  CHECK(greads(f, "globalThis", "q") == 1, "the read after the errors");
  il_facts_free(f);

  /* a long statement list and a long argument list */
  size_t n = 2000;
  char *src = malloc(n * 40 + 64);
  size_t len = 0;
  for (size_t i = 0; i < n; i++)
    len += (size_t)sprintf(src + len, "const v%zu = f(%zu, %zu);\n", i, i, i);
  strcpy(src + len, "const last = globalThis.z;\n");
  f = run(src);
  CHECK(decls(f, "v0") == 1 && decls(f, "v1999") == 1, "the first and last of 2000");
  CHECK(decls(f, "last") == 1 && greads(f, "globalThis", "z") == 1, "what follows them");
  il_facts_free(f);
  free(src);
}

static void test_pool(void) {
  /* sizes across the classes and past them: writable, distinct, 8-byte aligned */
  enum { N = 200 };
  char *p[N];
  size_t sz[N];
  for (int i = 0; i < N; i++) {
    sz[i] = (size_t)i * 13 % 2100;
    p[i] = ts_pool_malloc(sz[i]);
    memset(p[i], i, sz[i]);
  }
  bool ok = true;
  for (int i = 0; i < N; i++) {
    ok &= ((uintptr_t)p[i] & 7) == 0;
    for (size_t j = 0; j < sz[i]; j++)
      ok &= p[i][j] == (char)i;
  }
  CHECK(ok, "every block keeps what was written, none overlaps another");
  /* a freed block comes back for its class */
  char *a = ts_pool_malloc(40);
  ts_pool_free(a);
  char *b = ts_pool_malloc(36);
  CHECK(a == b, "a freed block is reused for a request of its class");
  char *c = ts_pool_malloc(40);
  CHECK(c != b, "a block in use is not handed out again");
  /* realloc: within the block, to a larger class, to and from malloc's blocks */
  memcpy(b, "0123456789", 10);
  CHECK(ts_pool_realloc(b, 30) == b, "a realloc that fits stays in place");
  char *d = ts_pool_realloc(b, 500);
  CHECK(memcmp(d, "0123456789", 10) == 0, "a realloc to a larger class keeps the bytes");
  char *e = ts_pool_realloc(d, 5000);
  CHECK(memcmp(e, "0123456789", 10) == 0, "a realloc past the pool keeps the bytes");
  char *g = ts_pool_realloc(e, 10);
  CHECK(memcmp(g, "0123456789", 10) == 0, "a large block shrunk keeps the bytes");
  memset(g, 'x', TS_POOL_MAX + 1);
  g = ts_pool_realloc(g, 100000);
  CHECK(g[TS_POOL_MAX] == 'x', "a large block grown keeps the bytes");
  ts_pool_free(g);
  char *dirty = ts_pool_malloc(63);
  memset(dirty, 0xff, 63);
  ts_pool_free(dirty);
  unsigned char *z = ts_pool_calloc(7, 9);
  CHECK((char *)z == dirty, "calloc reuses the freed block of its class");
  bool zero = true;
  for (int i = 0; i < 63; i++)
    zero &= z[i] == 0;
  CHECK(zero, "calloc zeroes, even a reused block");
  ts_pool_free(z);
  ts_pool_free(NULL);
  CHECK(ts_pool_realloc(NULL, 24) != NULL, "realloc of NULL allocates");
  for (int i = 0; i < N; i++)
    ts_pool_free(p[i]);
  ts_pool_free(c);
  ts_pool_release();
  char *h = ts_pool_malloc(40);
  memset(h, 1, 40);
  CHECK(h != NULL, "the pool works again after it was given back");
  ts_pool_free(h);
  ts_pool_release();
}

/* many files parsed on threads at once: each thread's pool is its own */
static void *parse_many(void *arg) {
  int *bad = arg;
  for (int i = 0; i < 40; i++) {
    char src[256];
    snprintf(src, sizeof src,
             "import { Pool } from \"pg\";\nconst p%d = new Pool();\nglobalThis.r%d;\n", i, i);
    il_facts *f = il_facts_new("t.ts", IL_LANG_TS, src, strlen(src));
    char *err = NULL;
    if (!il_ts_extract(f, &err) || f->ctors.len != 1 || f->greads.len != 1)
      (*bad)++;
    free(err);
    il_facts_free(f);
  }
  return NULL;
}

static void test_threads(void) {
  enum { T = 4 };
  pthread_t t[T];
  int bad[T] = {0};
  for (int i = 0; i < T; i++)
    pthread_create(&t[i], NULL, parse_many, &bad[i]);
  int total = 0;
  for (int i = 0; i < T; i++) {
    pthread_join(t[i], NULL);
    total += bad[i];
  }
  CHECK(total == 0, "160 files on 4 threads give their facts");
}

int main(void) {
  const char *dir = getenv("ISOLINT_KB_DIR");
  kb = il_kb_new();
  char *err = NULL;
  if (!dir || !il_kb_load_dir(kb, dir, &err)) {
    fprintf(stderr, "test_ts_fast: cannot load the knowledge base (ISOLINT_KB_DIR): %s\n",
            err ? err : "not set");
    free(err);
    il_kb_free(kb);
    printf("0 passed, 1 failed\n");
    return 1;
  }
  test_global_reads();
  test_call_roots();
  test_callee_props();
  test_walk();
  test_pool();
  test_threads();
  il_kb_free(kb);
  printf("%d passed, %d failed\n", passed, failed);
  return failed ? 1 : 0;
}
