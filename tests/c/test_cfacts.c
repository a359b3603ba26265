/* Unit tests of the C front-end's facts (facts/facts.h through il_c_extract): each
 * case lowers a small translation unit (no header is needed: unknown names are
 * declared by the front-end's prelude) and checks the declarations, scopes,
 * constructions, assignments, refs, handler and boot marks and suppressions the
 * shared rules read, against the knowledge base in $ISOLINT_KB_DIR. */
#include "facts/facts.h"
#include "frontend/frontend.h"
#include "facts/kb.h"
#include "core/run.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int passed, failed;
static const char *current_case = "";
static il_config cfg;

#define CHECK(cond)                                                                                \
  do {                                                                                             \
    if (cond) {                                                                                    \
      passed++;                                                                                    \
    } else {                                                                                       \
      failed++;                                                                                    \
      fprintf(stderr, "%s:%d: FAIL [%s]: %s\n", __FILE__, __LINE__, current_case, #cond);          \
    }                                                                                              \
  } while (0)

static il_facts *run(const char *src) {
  il_facts *f = il_facts_new("cfacts_case.c", IL_LANG_C, src, strlen(src));
  char *err = NULL;
  bool ok = il_c_extract(f, &cfg, &err);
  if (!ok)
    fprintf(stderr, "%s: il_c_extract: %s\n", current_case, err ? err : "(no message)");
  CHECK(ok);
  free(err);
  il_facts_resolve(f, cfg.kb);
  return f;
}

static int32_t decl(const il_facts *f, const char *name) {
  for (uint32_t i = 0; i < f->decls.len; i++)
    if (strcmp(f->decls.data[i].name, name) == 0)
      return (int32_t)i;
  return -1;
}

static int32_t scope(const il_facts *f, const char *name) {
  for (uint32_t i = 0; i < f->scopes.len; i++)
    if (strcmp(f->scopes.data[i].name, name) == 0)
      return (int32_t)i;
  return -1;
}

static void test_declarations(void) {
  current_case = "declarations";
  il_facts *f = run("typedef struct PGconn PGconn;\n"
                    "static PGconn *g;\n"
                    "const int limit = 3;\n"
                    "int get(int p) { static PGconn *s; PGconn *l = 0; (void)l; return p; }\n");
  int32_t g = decl(f, "g"), lim = decl(f, "limit"), s = decl(f, "s"), l = decl(f, "l"),
          p = decl(f, "p"), fn = decl(f, "get");
  CHECK(g >= 0 && f->decls.data[g].scope == 0 && f->decls.data[g].kind == IL_DECL_VAR);
  CHECK(g >= 0 && f->decls.data[g].init_kind == IL_INIT_NONE && !f->decls.data[g].c_static);
  CHECK(lim >= 0 && f->decls.data[lim].kind == IL_DECL_CONST);
  CHECK(s >= 0 && f->decls.data[s].c_static && f->decls.data[s].kind == IL_DECL_VAR);
  CHECK(s >= 0 && f->decls.data[s].scope == scope(f, "get"));
  CHECK(l >= 0 && f->decls.data[l].kind == IL_DECL_LET && !f->decls.data[l].c_static);
  CHECK(p >= 0 && f->decls.data[p].kind == IL_DECL_PARAM);
  CHECK(fn >= 0 && f->decls.data[fn].kind == IL_DECL_FUNCTION && f->decls.data[fn].scope == 0);
  CHECK(g >= 0 && f->decls.data[g].span.start.line == 2 && f->decls.data[g].span.start.col == 16);
  il_facts_free(f);
}

static void test_ctors_and_assigns(void) {
  current_case = "constructions and assignments";
  il_facts *f = run("static PGconn *g;\n"
                    "static sqlite3 *db;\n"
                    "static struct { CURL *c; } app;\n"
                    "void h(void) {\n"
                    "  if (!g) g = PQconnectdb(\"x\");\n"
                    "  sqlite3_open(\"a.db\", &db);\n"
                    "  app.c = curl_easy_init();\n"
                    "  PGconn *l = PQconnectdb(\"y\");\n"
                    "  g = l;\n"
                    "  SSL_CTX *ctx = SSL_CTX_new(0);\n"
                    "  (void)ctx;\n"
                    "}\n");
  /* SSL_CTX_new is not a client: a value-flow record of a call (local_call) */
  CHECK(f->ctors.len == 5 && f->ctors.data[4].local_call && !f->ctors.data[4].client &&
        strcmp(f->ctors.data[4].root, "SSL_CTX_new") == 0);
  const il_ctor *k = f->ctors.len ? &f->ctors.data[0] : NULL;
  CHECK(k && strcmp(k->root, "PQconnectdb") == 0 && k->client && k->client->c);
  CHECK(k && k->client && strcmp(k->client->handle, "PGconn *") == 0);
  CHECK(k && k->assign >= 0 && k->span.start.line == 5 && k->span.start.col == 15);
  CHECK(f->assigns.len == 4);
  if (f->assigns.len == 4) {
    const il_assign *a = f->assigns.data;
    CHECK(a[0].target == IL_TARGET_NAME && strcmp(a[0].root, "g") == 0 &&
          a[0].decl == decl(f, "g") && a[0].value_ctor == 0);
    CHECK(a[1].target == IL_TARGET_NAME && strcmp(a[1].root, "db") == 0 &&
          a[1].value_ctor == 1 && f->ctors.data[1].client->out_arg == 1);
    CHECK(a[1].span.start.line == 6 && a[1].span.start.col == 25); /* `db` in `&db` */
    CHECK(a[2].target == IL_TARGET_MEMBER && strcmp(a[2].root, "app") == 0 &&
          strcmp(a[2].prop, "c") == 0 && a[2].decl == decl(f, "app"));
    CHECK(a[3].value_ctor < 0 && a[3].value_decl == decl(f, "l"));
  }
  int32_t l = decl(f, "l");
  CHECK(l >= 0 && f->decls.data[l].init_ctor == 3 && f->ctors.data[3].decl == l);
  il_facts_free(f);
}

static void test_handlers(void) {
  current_case = "handlers and boot hooks";
  il_facts *f = run("static int helper(void) { return 1; }\n"
                    "static int deeper(void) { return helper(); }\n"
                    "static int answer(void *cls, struct MHD_Connection *c, const char *u,\n"
                    "  const char *m, const char *v, const char *d, unsigned long *s, void **p)\n"
                    "  { return deeper(); }\n"
                    "static int civet(struct mg_connection *c, void *cb) { return 0; }\n"
                    "static int ngx(ngx_http_request_t *r) { return 0; }\n"
                    "static int apache(request_rec *r) { return 0; }\n"
                    "__attribute__((export_name(\"run\"))) int run(void) { return 0; }\n"
                    "EMSCRIPTEN_KEEPALIVE int kept(void) { return 0; }\n"
                    "__attribute__((constructor)) static void boot(void) { helper(); }\n"
                    "static int plain(int x) { return x; }\n"
                    "int main(void) {\n"
                    "  mg_set_request_handler(0, \"/\", civet, 0);\n"
                    "  while (FCGI_Accept() >= 0) { plain(1); }\n"
                    "  return 0;\n"
                    "}\n");
  const char *handlers[] = {"answer", "civet", "ngx", "apache", "run", "kept", NULL};
  for (const char **h = handlers; *h; h++) {
    int32_t s = scope(f, *h);
    CHECK(s > 0 && f->scopes.data[s].is_handler);
    if (s <= 0 || !f->scopes.data[s].is_handler)
      fprintf(stderr, "  (handler '%s')\n", *h);
  }
  int32_t plain = scope(f, "plain"), boot = scope(f, "boot"), mainf = scope(f, "main");
  int32_t helper = scope(f, "helper"), deeper = scope(f, "deeper"), answer = scope(f, "answer");
  CHECK(plain > 0 && !f->scopes.data[plain].is_handler);
  CHECK(boot > 0 && f->scopes.data[boot].is_boot && mainf > 0 && f->scopes.data[mainf].is_boot);
  CHECK(deeper > 0 && f->scopes.data[deeper].reach_handler == answer);
  CHECK(helper > 0 && f->scopes.data[helper].reach_handler == answer);
  CHECK(helper > 0 && f->scopes.data[helper].reach_boot == boot);
  int32_t loop = scope(f, "FCGI_Accept loop in 'main'");
  CHECK(loop > 0 && f->scopes.data[loop].is_handler && f->scopes.data[loop].parent == mainf);
  CHECK(plain > 0 && f->scopes.data[plain].reach_handler == loop);
  il_facts_free(f);
}

static void test_handler_members(void) {
  current_case = "handler members";
  /* a `handler` member marks a request handler on an nginx struct (with and without
   * its header), not on a command table; begin_request is civetweb's */
  il_facts *f = run("typedef struct { int (*handler)(void *); } ngx_http_core_loc_conf_t;\n"
                    "struct command { const char *name; int (*handler)(void *); };\n"
                    "struct mg_callbacks { int (*begin_request)(void *); };\n"
                    "static int nh(void *r) { return 0; }\n"
                    "static int unk(void *r) { return 0; }\n"
                    "static int sub(void *a) { return 0; }\n"
                    "static int civ(void *c) { return 0; }\n"
                    "void conf(ngx_http_core_loc_conf_t *clcf, ngx_other_conf_t *oc) {\n"
                    "  clcf->handler = nh;\n"
                    "  oc->handler = unk;\n"
                    "  struct command cmd;\n"
                    "  cmd.handler = sub;\n"
                    "  struct mg_callbacks cb;\n"
                    "  cb.begin_request = civ;\n"
                    "}\n");
  const char *yes[] = {"nh", "unk", "civ", NULL};
  for (const char **h = yes; *h; h++) {
    int32_t s = scope(f, *h);
    CHECK(s > 0 && f->scopes.data[s].is_handler);
    if (s <= 0 || !f->scopes.data[s].is_handler)
      fprintf(stderr, "  (handler '%s')\n", *h);
  }
  int32_t sub = scope(f, "sub");
  CHECK(sub > 0 && !f->scopes.data[sub].is_handler);
  il_facts_free(f);
}

static void test_suppressions_and_refs(void) {
  current_case = "suppressions and refs";
  il_facts *f = run("static PGconn *g;\n"
                    "/* isolint-disable-next-line lazy-singleton-client -- one thread */\n"
                    "int h(void) { return g != 0; } // isolint-disable-line boot-time-client, x\n"
                    "const char *s = \"// isolint-disable-line not-a-comment -- no\";\n");
  CHECK(f->suppressions.len == 2);
  if (f->suppressions.len == 2) {
    const il_suppression *a = &f->suppressions.data[0], *b = &f->suppressions.data[1];
    CHECK(a->next_line && a->line == 3 && a->n_rules == 1 && a->reason &&
          strcmp(a->reason, "one thread") == 0 &&
          strcmp(a->rules[0], "lazy-singleton-client") == 0);
    CHECK(!b->next_line && b->line == 3 && b->n_rules == 2 && !b->reason);
    CHECK(b->span.start.line == 3 && b->span.start.col == 32);
  }
  il_facts_free(f);
  /* refs are resolved when the file has a client construction */
  f = run("static PGconn *g;\nvoid h(void) { g = PQconnectdb(\"x\"); PQexec(g, \"q\"); }\n");
  bool found = false;
  for (uint32_t i = 0; i < f->refs.len; i++)
    found |= f->refs.data[i].decl == decl(f, "g") && f->refs.data[i].span.start.col == 45;
  CHECK(found);
  il_facts_free(f);
}

static void test_syntax_errors(void) {
  current_case = "syntax errors";
  il_facts *f = run("#include <no/such/header.h>\nstatic PGconn *g;\nint h(void) { int x = ; }\n");
  CHECK(f->n_syntax_errors >= 1 && f->first_syntax_error.start.line == 3);
  il_facts_free(f);
  f = run("#include <no/such/header.h>\nstatic PGconn *g;\nint h(void) { return MHD_YES; }\n");
  CHECK(f->n_syntax_errors == 0); /* a missing header alone is not an error */
  il_facts_free(f);
}

static void test_missing_headers(void) {
  current_case = "missing headers: opaque structs get the members used";
  il_facts *f = run("#include <no/such/httpd.h>\n"
                    "static PGconn *conn;\n"
                    "int h(request_rec *r) {\n"
                    "  if (r->handler && !conn) conn = PQconnectdb(\"x\");\n"
                    "  FCGX_Request req;\n"
                    "  while (FCGX_Accept_r(&req) >= 0) { conn = 0; }\n"
                    "  return r->status;\n"
                    "}\n");
  CHECK(f->n_syntax_errors == 0);
  CHECK(f->ctors.len == 1 && f->assigns.len == 2);
  CHECK(f->assigns.len >= 1 && f->assigns.data[0].decl == decl(f, "conn"));
  CHECK(scope(f, "FCGX_Accept_r loop in 'h'") > 0);
  il_facts_free(f);
}

int main(void) {
  char *err = NULL;
  if (!il_config_init(&cfg, NULL, &err)) {
    fprintf(stderr, "test_cfacts: %s\n", err);
    free(err);
    return 2;
  }
  test_declarations();
  test_ctors_and_assigns();
  test_handlers();
  test_handler_members();
  test_suppressions_and_refs();
  test_syntax_errors();
  test_missing_headers();
  il_config_fini(&cfg);
  printf("%d passed, %d failed\n", passed, failed);
  return failed ? 1 : 0;
}
