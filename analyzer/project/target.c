/* Target detection (the runtime a file is written for) and the Worker's entry
 * points: which Wrangler configuration's `main` reaches a file through imports. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <limits.h>
#include <unistd.h>

#include "base/path.h"
#include "project/graph_int.h"

/* ---- target detection ------------------------------------------------------------------- */

/* Does a package.json text list one of names as a dependency key ("name":)? */
static bool lists_dependency(const char *text, const char *const *names) {
  for (; *names; names++) {
    char *key = il_xasprintf("\"%s\"", *names);
    for (const char *p = strstr(text, key); p; p = strstr(p + 1, key)) {
      const char *q = p + strlen(key);
      while (*q == ' ' || *q == '\t' || *q == '\r' || *q == '\n')
        q++;
      if (*q == ':') {
        free(key);
        return true;
      }
    }
    free(key);
  }
  return false;
}

static char *read_text(const char *path) {
  char *data;
  size_t len;
  if (!il_mg_read_all(path, &data, &len))
    return NULL;
  data = il_xrealloc(data, len + 1);
  data[len] = '\0';
  for (size_t i = 0; i < len; i++)
    if (!data[i])
      data[i] = ' ';
  return data;
}

/* The target signal a directory holds, if any: a Workers configuration file, a
 * package.json naming a Workers toolchain or a Node server framework, vercel.json,
 * a Nitro/Nuxt config with a cloudflare preset. Workers signals win in one directory. */
static int32_t dir_signal(il_modgraph *g, const char *dir) {
  static const char *const workers_files[] = {"wrangler.toml", "wrangler.json", "wrangler.jsonc",
                                              NULL};
  static const char *const preset_files[] = {"nitro.config.ts", "nitro.config.js",
                                             "nitro.config.mjs", "nuxt.config.ts",
                                             "nuxt.config.js", "nuxt.config.mjs", NULL};
  static const char *const workers_deps[] = {"@cloudflare/vite-plugin", "@opennextjs/cloudflare",
                                             "wrangler", "@cloudflare/workers-types", NULL};
  static const char *const node_deps[] = {"express", "fastify", "koa", "@nestjs/core",
                                          "@hapi/hapi", "@vercel/functions", "@vercel/node",
                                          NULL};
  il_target t = IL_TARGET_AUTO;
  char *found = NULL;
  const char *what = NULL;
  struct stat st;
  for (const char *const *n = workers_files; !found && *n; n++) {
    char *p = il_path_dir_file(dir, *n);
    if (il_mg_stat_p(g, p, &st) == 0 && S_ISREG(st.st_mode)) {
      found = p;
      t = IL_TARGET_WORKERS;
      what = "a Wrangler configuration";
    } else {
      free(p);
    }
  }
  for (const char *const *n = preset_files; !found && *n; n++) {
    char *p = il_path_dir_file(dir, *n);
    char *text = il_mg_stat_p(g, p, &st) == 0 && S_ISREG(st.st_mode) ? read_text(p) : NULL;
    if (text && strstr(text, "preset") && strstr(text, "cloudflare")) {
      found = p;
      t = IL_TARGET_WORKERS;
      what = "a cloudflare preset";
    } else {
      free(p);
    }
    free(text);
  }
  if (!found) {
    char *p = il_path_dir_file(dir, "package.json");
    char *text = il_mg_stat_p(g, p, &st) == 0 && S_ISREG(st.st_mode) ? read_text(p) : NULL;
    if (text && lists_dependency(text, workers_deps)) {
      found = p;
      t = IL_TARGET_WORKERS;
      what = "a Workers toolchain dependency";
    } else if (text && lists_dependency(text, node_deps)) {
      found = p;
      t = IL_TARGET_NODE;
      what = "a Node.js server dependency";
    } else if (text && lists_dependency(text, (const char *const[]){"bin", NULL})) {
      found = p; /* a command-line package: its code runs in Node.js */
      t = IL_TARGET_NODE;
      what = "a Node.js command (\"bin\" in package.json)";
    } else {
      free(p);
    }
    free(text);
  }
  if (!found) {
    char *p = il_path_dir_file(dir, "vercel.json");
    if (il_mg_stat_p(g, p, &st) == 0 && S_ISREG(st.st_mode)) {
      found = p;
      t = IL_TARGET_NODE;
      what = "a Vercel configuration";
    } else {
      free(p);
    }
  }
  if (!found)
    return -1;
  il_target_signal *s = il_xmalloc(sizeof *s);
  *s = (il_target_signal){t, found, what};
  il_array_push(&g->signals, s);
  return (int32_t)g->signals.len - 1;
}

/* The nearest signal walking up from dir, -1 none (cached per directory). */
static int32_t signal_for_dir(il_modgraph *g, const char *dir) {
  int32_t *known = il_mg_strmap_slot(&g->signal_of_dir, dir, false);
  if (known)
    return *known;
  int32_t r = dir_signal(g, dir);
  if (r < 0 && strcmp(dir, "/") != 0) {
    char *up = il_path_dir_of(dir);
    r = signal_for_dir(g, up);
    free(up);
  }
  il_mg_strmap_put(&g->signal_of_dir, dir, r);
  return r;
}

il_target il_modgraph_target(il_modgraph *g, uint32_t file, const il_target_signal **signal) {
  *signal = NULL;
  const il_facts *f = g->facts.data[file];
  for (uint32_t k = 0; f && k < f->decls.len; k++) {
    const il_decl *d = &f->decls.data[k];
    if (d->kind == IL_DECL_IMPORT && d->module && strncmp(d->module, "cloudflare:", 11) == 0)
      return IL_TARGET_WORKERS; /* only the Workers runtime has these modules */
  }
  char *dir = il_path_dir_of(g->abs.data[file]);
  int32_t s = signal_for_dir(g, dir);
  free(dir);
  if (s < 0)
    return IL_TARGET_WORKERS; /* what isolint is for: the default */
  *signal = g->signals.data[s];
  return g->signals.data[s]->target;
}

/* ---- the Worker's entry point ------------------------------------------------------------ */

/* `main` of a Wrangler configuration (toml: a `main = "..."` line before any table;
 * json/jsonc: the top-level "main"), malloc'd, or NULL. */
static char *wrangler_main(const char *path) {
  char *text = read_text(path);
  if (!text)
    return NULL;
  char *r = NULL;
  size_t n = strlen(path);
  if (n >= 5 && strcmp(path + n - 5, ".toml") == 0) {
    for (char *line = text; line && *line && !r;) {
      char *nl = strchr(line, '\n');
      if (nl)
        *nl = '\0';
      char *p = line;
      while (*p == ' ' || *p == '\t')
        p++;
      if (*p == '[')
        break; /* a table: main is a top-level key */
      if (strncmp(p, "main", 4) == 0) {
        p += 4;
        while (*p == ' ' || *p == '\t')
          p++;
        if (*p == '=') {
          p++;
          while (*p == ' ' || *p == '\t')
            p++;
          char q = *p;
          char *e = (q == '"' || q == '\'') ? strchr(p + 1, q) : NULL;
          if (e && e > p + 1)
            r = il_xasprintf("%.*s", (int)(e - p - 1), p + 1);
        }
      }
      line = nl ? nl + 1 : NULL;
    }
  } else {
    char *strict = il_mg_strip_jsonc(text, strlen(text));
    json_error_t je;
    json_t *root = json_loads(strict, 0, &je);
    json_t *m = json_is_object(root) ? json_object_get(root, "main") : NULL;
    if (json_is_string(m) && json_string_value(m)[0])
      r = il_xstrdup(json_string_value(m));
    json_decref(root);
    free(strict);
  }
  free(text);
  return r;
}

/* ---- Durable Object and Workflow classes of a Wrangler configuration ---- */

typedef struct {
  char *name;
  bool workflow;
} wclass;
typedef IL_ARRAY(wclass) wclass_list;

/* The string value of `key = "..."` (toml) in [s, e), malloc'd, or NULL. */
static char *toml_value(const char *s, const char *e, const char *key) {
  size_t kn = strlen(key);
  for (const char *p = s; p + kn <= e; p++) {
    if (strncmp(p, key, kn) != 0 || (p > s && (p[-1] == '_' || (p[-1] >= 'a' && p[-1] <= 'z'))))
      continue;
    const char *q = p + kn;
    while (q < e && (*q == ' ' || *q == '\t'))
      q++;
    if (q >= e || *q != '=')
      continue;
    for (q++; q < e && (*q == ' ' || *q == '\t');)
      q++;
    if (q >= e || (*q != '"' && *q != '\''))
      continue;
    const char *end = memchr(q + 1, *q, (size_t)(e - q - 1));
    if (end && end > q + 1)
      return il_xasprintf("%.*s", (int)(end - q - 1), q + 1);
  }
  return NULL;
}

/* Takes cls; a class bound twice (environments) is kept once. */
static void push_class(wclass_list *out, char *cls, bool workflow) {
  for (uint32_t i = 0; i < out->len; i++)
    if (strcmp(out->data[i].name, cls) == 0) {
      free(cls);
      return;
    }
  wclass w = {cls, workflow};
  il_array_push(out, w);
}

/* A class of [s, e) (one binding) unless it names another Worker (script_name). */
static void add_class(const char *s, const char *e, bool workflow, wclass_list *out) {
  char *cls = toml_value(s, e, "class_name"), *script = toml_value(s, e, "script_name");
  if (cls && !script)
    push_class(out, cls, workflow);
  else
    free(cls);
  free(script);
}

/* Each inline table `{ ... }` of the array starting at p (after `[`): a binding. */
static const char *toml_inline_array(const char *p, bool workflow, wclass_list *out) {
  int depth = 0;
  const char *open = NULL;
  for (; *p && !(depth == 0 && *p == ']'); p++) {
    if (*p == '"' || *p == '\'') {
      const char *q = strchr(p + 1, *p);
      if (!q)
        break;
      p = q;
    } else if (*p == '{' && depth++ == 0) {
      open = p;
    } else if (*p == '}' && depth > 0 && --depth == 0 && open) {
      add_class(open, p, workflow, out);
    }
  }
  return p;
}

/* Does the toml table or key path `name` ([s, e)) end in `tail` (after a dot or alone)? */
static bool path_ends(const char *s, const char *e, const char *tail) {
  while (s < e && (*s == ' ' || *s == '\t'))
    s++;
  while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
    e--;
  size_t n = strlen(tail), len = (size_t)(e - s);
  return len >= n && strncmp(e - n, tail, n) == 0 && (len == n || e[-n - 1] == '.');
}

static void toml_classes(const char *t, wclass_list *out) {
  /* the table the current line is in: [[...durable_objects.bindings]], [[...workflows]]
   * (one binding each), [...durable_objects] (an inline `bindings = [...]`), other */
  enum { T_OTHER, T_DO_BINDING, T_WORKFLOW, T_DO };
  int table = T_OTHER;
  const char *rec = NULL; /* start of the current binding table */
  for (const char *line = t; line && *line;) {
    const char *nl = strchr(line, '\n');
    const char *end = nl ? nl : line + strlen(line);
    const char *p = line;
    while (p < end && (*p == ' ' || *p == '\t'))
      p++;
    if (*p == '[') {
      if (rec)
        add_class(rec, line, table == T_WORKFLOW, out);
      rec = NULL;
      bool array = p[1] == '[';
      const char *ns = p + (array ? 2 : 1), *ne = memchr(ns, ']', (size_t)(end - ns));
      table = T_OTHER;
      if (ne && array && path_ends(ns, ne, "durable_objects.bindings"))
        table = T_DO_BINDING;
      else if (ne && array && path_ends(ns, ne, "workflows"))
        table = T_WORKFLOW;
      else if (ne && !array && path_ends(ns, ne, "durable_objects"))
        table = T_DO;
      if (table == T_DO_BINDING || table == T_WORKFLOW)
        rec = end;
    } else if (!rec) {
      /* `bindings = [{...}]` in [durable_objects], `workflows = [{...}]` at the top or
       * `durable_objects = { bindings = [...] }` */
      const char *eq = memchr(p, '=', (size_t)(end - p));
      const char *br = eq ? strchr(eq, '[') : NULL;
      bool ws = true;
      for (const char *q = eq ? eq + 1 : end; q < (br ? br : end) && ws; q++)
        ws = *q == ' ' || *q == '\t';
      if (eq && br && ws && ((table == T_DO && path_ends(p, eq, "bindings")) ||
                             path_ends(p, eq, "durable_objects.bindings") ||
                             (table == T_OTHER && path_ends(p, eq, "workflows")))) {
        const char *after = toml_inline_array(br + 1, !path_ends(p, eq, "bindings"), out);
        nl = strchr(after, '\n');
      }
    }
    line = nl ? nl + 1 : NULL;
  }
  if (rec)
    add_class(rec, rec + strlen(rec), table == T_WORKFLOW, out);
}

static void json_bindings(json_t *arr, bool workflow, wclass_list *out) {
  size_t i;
  json_t *b;
  json_array_foreach(arr, i, b) {
    json_t *c = json_object_get(b, "class_name");
    if (json_is_string(c) && json_string_value(c)[0] && !json_object_get(b, "script_name"))
      push_class(out, il_xstrdup(json_string_value(c)), workflow);
  }
}

static void json_classes(json_t *o, wclass_list *out, int depth) {
  if (!json_is_object(o))
    return;
  json_t *dobj = json_object_get(o, "durable_objects");
  json_bindings(json_object_get(dobj, "bindings"), false, out);
  json_bindings(json_object_get(o, "workflows"), true, out);
  json_t *env = json_object_get(o, "env");
  const char *k;
  json_t *v;
  if (depth == 0 && json_is_object(env))
    json_object_foreach(env, k, v) json_classes(v, out, 1);
}

/* The Durable Object and Workflow classes a Wrangler configuration names (its
 * environments' too), each once. */
static void wrangler_classes(const char *path, wclass_list *out) {
  char *text = read_text(path);
  if (!text)
    return;
  size_t n = strlen(path);
  if (n >= 5 && strcmp(path + n - 5, ".toml") == 0) {
    toml_classes(text, out);
  } else {
    char *strict = il_mg_strip_jsonc(text, strlen(text));
    json_error_t je;
    json_t *root = json_loads(strict, 0, &je);
    json_classes(root, out, 0);
    json_decref(root);
    free(strict);
  }
  free(text);
}

/* Edges of file u in the import graph (before il_modgraph_link rewrites imports):
 * calls visit(v, span, decl) for each file of the scan a module it names resolves
 * to; decl is the import declaration, -1 for re-exports and unparsed files. Type-only
 * imports and re-exports count only when types. */
static void each_edge(il_modgraph *g, uint32_t u, bool types,
                      void (*visit)(void *, int32_t, il_span, int32_t), void *ctx) {
  const il_facts *f = g->facts.data[u];
  il_span none_span = {0};
  if (!f) {
    for (uint32_t k = 0; k < g->lex.data[u].len; k++)
      visit(ctx, il_mg_resolve_spec(g, u, g->lex.data[u].data[k], NULL), none_span, -1);
    return;
  }
  for (uint32_t k = 0; k < f->decls.len; k++) {
    const il_decl *d = &f->decls.data[k];
    if (d->kind == IL_DECL_IMPORT && d->module && (types || !d->type_only))
      visit(ctx, il_mg_resolve_spec(g, u, d->module, NULL), d->span, (int32_t)k);
  }
  for (uint32_t k = 0; k < f->exports.len; k++)
    if (f->exports.data[k].module && (types || !f->exports.data[k].type_only))
      visit(ctx, il_mg_resolve_spec(g, u, f->exports.data[k].module, NULL), f->exports.data[k].span,
            -1);
}

/* The first use of declaration d inside a request handler of f: a ref index, or -1. */
static int32_t handler_use(const il_facts *f, int32_t d) {
  for (uint32_t r = 0; r < f->refs.len; r++) {
    const il_ref *ref = &f->refs.data[r];
    if (il_facts_ref_decl(f, ref) == d && il_facts_handler_of(f, ref->scope) >= 0)
      return (int32_t)r;
  }
  return -1;
}

typedef struct {
  il_modgraph *g;
  uint32_t from, entry;
  const char *config, *why; /* the entry's (an entry reached from another keeps that hop) */
  IL_ARRAY(uint32_t) queue;
} bfs_ctx;

/* The hop starts at ref r of the entry file, inside a request handler. Strings are
 * copied: the facts are freed before findings are emitted. */
static void set_handler(il_modgraph *g, il_entry_hop *h, const il_facts *ef, int32_t r) {
  const il_ref *ref = &ef->refs.data[r];
  int32_t hs = il_facts_handler_of(ef, ref->scope);
  h->loc = il_make_location(ef, ref->span);
  h->handler = il_arena_strdup(g->arena, ef->scopes.data[hs].name);
  h->binding = il_arena_strndup(g->arena, ref->name, ref->name_len);
}

static void bfs_visit(void *vctx, int32_t v, il_span span, int32_t decl) {
  bfs_ctx *c = vctx;
  il_modgraph *g = c->g;
  if (v < 0 || (uint32_t)v == c->entry)
    return;
  il_entry_hop *h = &g->hop.data[v];
  const il_facts *ef = g->facts.data[c->entry];
  if (h->set) {
    /* an import of the entry found the file first without a handler using it: a
     * later import of the same file that a handler uses says more */
    if (c->from != c->entry || h->handler || decl < 0 || h->via != (uint32_t)v ||
        h->config != c->config || h->path != g->display.data[c->entry])
      return;
    int32_t r = handler_use(ef, decl);
    if (r >= 0)
      set_handler(g, h, ef, r);
    return;
  }
  const il_entry_hop *ph = &g->hop.data[c->from];
  h->set = true;
  if (c->from == c->entry) {
    if (!span.start.line)
      return; /* no position for the import: leave it unreached */
    h->loc = il_make_location(ef, span);
    h->path = g->display.data[c->entry];
    h->via = (uint32_t)v;
    int32_t r = decl >= 0 ? handler_use(ef, decl) : -1;
    if (r >= 0)
      set_handler(g, h, ef, r);
  } else {
    h->loc = ph->loc;
    h->path = ph->path;
    h->via = ph->via;
    h->handler = ph->handler;
    h->binding = ph->binding;
  }
  h->config = c->config;
  h->why = c->why;
  il_array_push(&c->queue, (uint32_t)v);
}

/* ---- packages ------------------------------------------------------------------------------ */

static bool is_wrangler_name(const char *n) {
  if (strncmp(n, "wrangler.", 9) != 0)
    return false;
  const char *dot = strrchr(n, '.');
  return strcmp(dot, ".toml") == 0 || strcmp(dot, ".json") == 0 || strcmp(dot, ".jsonc") == 0;
}

static bool has_file(il_modgraph *g, const char *dir, const char *name) {
  struct stat st;
  char *p = il_path_dir_file(dir, name);
  bool r = il_mg_stat_p(g, p, &st) == 0 && S_ISREG(st.st_mode);
  free(p);
  return r;
}

/* Does dir hold a file named stem + one of the usual config extensions? */
static bool has_config(il_modgraph *g, const char *dir, const char *stem) {
  static const char *const exts[] = {".ts", ".js", ".mjs", ".cjs", ".mts", ".cts", NULL};
  for (const char *const *e = exts; *e; e++) {
    char *n = il_xasprintf("%s%s", stem, *e);
    bool r = has_file(g, dir, n);
    free(n);
    if (r)
      return true;
  }
  return false;
}

/* The nearest package at or above dir, -1 none (cached per directory). */
static int32_t package_of_dir(il_modgraph *g, const char *dir) {
  int32_t *known = il_mg_strmap_slot(&g->package_of_dir, dir, false);
  if (known)
    return *known;
  int32_t r = -1;
  if (has_file(g, dir, "package.json") || has_file(g, dir, "wrangler.toml") ||
      has_file(g, dir, "wrangler.json") || has_file(g, dir, "wrangler.jsonc")) {
    il_package *p = il_xcalloc(1, sizeof *p);
    p->dir = il_xstrdup(dir);
    il_array_push(&g->packages, p);
    r = (int32_t)g->packages.len - 1;
  } else if (strcmp(dir, "/") != 0) {
    char *up = il_path_dir_of(dir);
    r = package_of_dir(g, up);
    free(up);
  }
  il_mg_strmap_put(&g->package_of_dir, dir, r);
  return r;
}

/* Inside the scanned paths or the current directory (lexically)? */
static bool in_bounds(const il_modgraph *g, const char *dir) {
  for (uint32_t i = 0; i < g->n_roots; i++)
    if (il_mg_under(dir, g->roots[i]))
      return true;
  return g->cwd && il_mg_under(dir, g->cwd);
}

/* ---- path classes (isolint.json "nodeCode") ----------------------------------------------- */

static bool seg_in(const char *s, size_t n, const char *const *names) {
  for (; *names; names++)
    if (strlen(*names) == n && strncmp(s, *names, n) == 0)
      return true;
  return false;
}

static bool starts(const char *s, const char *prefix) {
  return strncmp(s, prefix, strlen(prefix)) == 0;
}

uint32_t il_path_code_class(const char *rel) {
  static const char *const test_dirs[] = {"test", "tests", "__tests__", "__mocks__", "e2e",
                                          "spec", "cypress", "playwright", NULL};
  static const char *const script_dirs[] = {"scripts", "script", "bin", ".github", ".husky",
                                            NULL};
  static const char *const migration_dirs[] = {"migrations", "migration", "seeders", NULL};
  /* static files served to browsers as they are */
  static const char *const asset_dirs[] = {"public", "static", "htdocs", NULL};
  /* only at the top of the package or under db/: tool folders, or seeds of a database */
  static const char *const tool_dirs[] = {"drizzle", "prisma", "knex", "seeds", "seed", NULL};
  static const char *const db_dirs[] = {"db", "database", NULL};
  bool after_db = false;
  uint32_t r = 0;
  const char *seg = rel;
  bool first = true;
  for (const char *slash; (slash = strchr(seg, '/')) != NULL; seg = slash + 1, first = false) {
    size_t n = (size_t)(slash - seg);
    if (seg_in(seg, n, test_dirs))
      r |= IL_CODE_TESTS;
    if (seg_in(seg, n, script_dirs))
      r |= IL_CODE_SCRIPTS;
    if (seg_in(seg, n, migration_dirs) || ((first || after_db) && seg_in(seg, n, tool_dirs)))
      r |= IL_CODE_MIGRATIONS;
    if (seg_in(seg, n, asset_dirs))
      r |= IL_CODE_ASSETS;
    after_db = seg_in(seg, n, db_dirs);
  }
  const char *base = seg; /* the file name */
  if (strstr(base, ".test.") || strstr(base, ".spec.") || strstr(base, ".e2e.") ||
      strstr(base, ".test-d.") || starts(base, "vitest.setup") || starts(base, "jest.setup") ||
      starts(base, "vitest.workspace") || starts(base, "setupTests.") ||
      starts(base, "setup-tests.") || starts(base, "test-setup.") || starts(base, "setup.test."))
    r |= IL_CODE_TESTS;
  const char *dot = strrchr(base, '.');
  if (strstr(base, ".config.") ||
      (base[0] == '.' && dot && dot - base >= 3 && strncmp(dot - 2, "rc", 2) == 0) ||
      starts(base, "Gruntfile.") || starts(base, "gulpfile."))
    r |= IL_CODE_CONFIGS;
  if (starts(base, "migrate.") || starts(base, "migrate-") || starts(base, "seed.") ||
      strstr(base, ".seed.") ||
      strstr(base, ".migration."))
    r |= IL_CODE_MIGRATIONS;
  return r;
}

uint32_t il_modgraph_code_class(il_modgraph *g, uint32_t file) {
  const char *abs = g->abs.data[file];
  const char *base = NULL;
  char *dir = il_path_dir_of(abs);
  /* a single-page app (index.html and a Vite configuration at the top of its package)
   * with no server entry: its code runs in the browser */
  uint32_t spa = 0;
  int32_t near = package_of_dir(g, dir);
  if (near >= 0 && has_file(g, g->packages.data[near]->dir, "index.html") &&
      has_config(g, g->packages.data[near]->dir, "vite.config"))
    spa = IL_CODE_ASSETS;
  /* the outermost package inside the bounds */
  for (int32_t p = package_of_dir(g, dir); p >= 0;) {
    const char *pd = g->packages.data[p]->dir;
    if (!in_bounds(g, pd))
      break;
    base = pd;
    if (strcmp(pd, "/") == 0)
      break;
    char *up = il_path_dir_of(pd);
    p = package_of_dir(g, up);
    free(up);
  }
  free(dir);
  for (uint32_t i = 0; !base && i < g->n_roots; i++)
    if (il_mg_under(abs, g->roots[i]) && strcmp(abs, g->roots[i]) != 0)
      base = g->roots[i];
  if (!base && g->cwd && il_mg_under(abs, g->cwd))
    base = g->cwd;
  const char *rel;
  if (base && strcmp(base, "/") == 0)
    rel = abs + 1;
  else if (base)
    rel = abs + strlen(base) + 1;
  else
    rel = strrchr(abs, '/') ? strrchr(abs, '/') + 1 : abs;
  return il_path_code_class(rel) | spa;
}

/* ---- entry points ----------------------------------------------------------------------- */

typedef struct {
  uint32_t file;
  int32_t package;
  const char *config; /* absolute path of its Wrangler configuration, or NULL */
  const char *why;    /* owned by the graph's arena */
} entry;

typedef IL_ARRAY(entry) entry_list;

/* A file the framework of its package runs on the server, by its path in the package;
 * the reason, or NULL. */
enum { FW_WORKERS = 1, FW_NUXT = 2, FW_NEXT = 4, FW_SVELTEKIT = 8, FW_ASTRO = 16, FW_REMIX = 32,
       FW_TANSTACK = 64 };

static uint32_t frameworks(il_modgraph *g, const char *dir) {
  uint32_t r = 0;
  if (has_file(g, dir, "wrangler.toml") || has_file(g, dir, "wrangler.json") ||
      has_file(g, dir, "wrangler.jsonc"))
    r |= FW_WORKERS;
  if (has_config(g, dir, "nuxt.config") || has_config(g, dir, "nitro.config"))
    r |= FW_NUXT;
  if (has_config(g, dir, "next.config"))
    r |= FW_NEXT;
  if (has_config(g, dir, "svelte.config"))
    r |= FW_SVELTEKIT;
  if (has_config(g, dir, "astro.config"))
    r |= FW_ASTRO;
  if (has_config(g, dir, "react-router.config") || has_config(g, dir, "remix.config"))
    r |= FW_REMIX;
  /* TanStack Start has no config file of its own: its package dependency says */
  char *pj = il_path_dir_file(dir, "package.json");
  char *text = read_text(pj);
  static const char *const tanstack[] = {"@tanstack/react-start", "@tanstack/solid-start", NULL};
  if (text && lists_dependency(text, tanstack))
    r |= FW_TANSTACK;
  free(text);
  free(pj);
  return r;
}

static bool base_is(const char *base, const char *stem) {
  size_t n = strlen(stem);
  return strncmp(base, stem, n) == 0 && base[n] == '.' && !strchr(base + n + 1, '.');
}

static const char *framework_entry(uint32_t fw, const char *rel) {
  const char *base = strrchr(rel, '/');
  base = base ? base + 1 : rel;
  bool top = base == rel;
  if (strncmp(rel, "src/", 4) == 0 &&
      (fw & (FW_NEXT | FW_ASTRO | FW_SVELTEKIT | FW_WORKERS | FW_TANSTACK))) {
    const char *in_src = rel + 4;
    if ((fw & FW_TANSTACK) &&
        (starts(in_src, "routes/") ||
         (strcmp(in_src, base) == 0 &&
          (base_is(base, "start") || base_is(base, "server") || base_is(base, "router")))))
      return "a TanStack Start route or server entry";
    if ((fw & FW_WORKERS) && (strcmp(in_src, "worker.ts") == 0 || strcmp(in_src, "worker.tsx") == 0))
      return "a RedwoodSDK worker";
    if ((fw & FW_SVELTEKIT) && (starts(in_src, "routes/") &&
                                (base_is(base, "+server") || base_is(base, "+page.server") ||
                                 base_is(base, "+layout.server"))))
      return "a SvelteKit server route";
    if ((fw & FW_SVELTEKIT) && strcmp(in_src, base) == 0 && base_is(base, "hooks.server"))
      return "SvelteKit's server hooks";
    if ((fw & FW_ASTRO) && (starts(in_src, "pages/") || starts(in_src, "actions/") ||
                            (strcmp(in_src, base) == 0 && base_is(base, "middleware"))))
      return "an Astro page, action or middleware";
    if (fw & FW_NEXT) {
      rel = in_src; /* Next.js: src/app, src/pages, src/middleware.ts */
      top = strcmp(rel, base) == 0;
    }
  }
  if ((fw & FW_WORKERS) && starts(rel, "functions/"))
    return "a Pages Function";
  if ((fw & FW_WORKERS) && top && strcmp(base, "_worker.js") == 0)
    return "a Pages _worker.js";
  if ((fw & FW_NUXT) && starts(rel, "server/"))
    return "a Nuxt/Nitro server file";
  if (fw & FW_NEXT) {
    if (starts(rel, "app/") && (base_is(base, "route") || base_is(base, "page") ||
                                base_is(base, "layout") || base_is(base, "default") ||
                                base_is(base, "template")))
      return "a Next.js app route, page or layout";
    if (starts(rel, "pages/api/"))
      return "a Next.js API route";
    if (top && (base_is(base, "middleware") || base_is(base, "instrumentation")))
      return "Next.js middleware";
  }
  if ((fw & FW_REMIX) && (starts(rel, "app/routes/") || starts(rel, "workers/") ||
                          (starts(rel, "app/") && (base_is(base, "root") ||
                                                   base_is(base, "entry.server")) &&
                           strchr(rel + 4, '/') == NULL)))
    return "a React Router / Remix route or server entry";
  return NULL;
}

/* The module-level class declaration `name` of file i, exported (in place or by an
 * export statement), or -1. */
static int32_t exported_class(const il_facts *f, const char *name) {
  for (uint32_t k = 0; k < f->decls.len; k++) {
    const il_decl *d = &f->decls.data[k];
    if (d->kind != IL_DECL_CLASS || d->scope || strcmp(d->name, name) != 0)
      continue;
    bool exported = d->exported;
    for (uint32_t x = 0; x < f->exports.len && !exported; x++)
      exported = !f->exports.data[x].module && strcmp(f->exports.data[x].local, name) == 0;
    if (exported)
      return (int32_t)k;
  }
  return -1;
}

/* The Durable Object and Workflow classes configuration cfg (in dir) names: the file
 * declaring each is an entry point (its main exports it, maybe through re-exports:
 * that file; no main in the scan: a file of the package exporting a class of that
 * name, the first by path), and the class's members are marked for the findings. */
static void class_entries(il_modgraph *g, const char *cfg, const char *dir, int32_t main_file,
                          entry_list *out) {
  wclass_list cls = {0};
  wrangler_classes(cfg, &cls);
  const char *base = strrchr(cfg, '/');
  base = base ? base + 1 : cfg;
  for (uint32_t c = 0; c < cls.len; c++) {
    int32_t file = -1, decl = -1;
    bool via_main = false;
    if (main_file >= 0) {
      xres r = il_mg_resolve_export(g, main_file, cls.data[c].name, 0);
      if (r.file >= 0 && r.decl >= 0 && g->facts.data[r.file] &&
          g->facts.data[r.file]->decls.data[r.decl].kind == IL_DECL_CLASS) {
        file = r.file;
        decl = r.decl;
        via_main = true;
      }
    }
    for (uint32_t i = 0; !via_main && i < g->abs.len; i++) {
      if (!g->facts.data[i] || !il_mg_under(g->abs.data[i], dir) ||
          (file >= 0 && strcmp(g->display.data[i], g->display.data[file]) >= 0))
        continue;
      int32_t d = exported_class(g->facts.data[i], cls.data[c].name);
      if (d >= 0) {
        file = (int32_t)i;
        decl = d;
      }
    }
    if (file >= 0) {
      const il_facts *f = g->facts.data[file];
      char *why = il_xasprintf("%s class %s in %s",
                               cls.data[c].workflow ? "Workflow" : "Durable Object",
                               cls.data[c].name, base);
      char *msg = il_xasprintf("%s class %s (%s)",
                               cls.data[c].workflow ? "Workflow" : "Durable Object",
                               cls.data[c].name, base);
      entry en = {(uint32_t)file, package_of_dir(g, dir), cfg, il_arena_strdup(g->arena, why)};
      il_array_push(out, en);
      il_entry_class ec = {.file = (uint32_t)file,
                           .start_byte = UINT32_MAX,
                           .loc = il_make_location(f, f->decls.data[decl].span),
                           .message = il_arena_strdup(g->arena, msg)};
      for (uint32_t s = 0; s < f->scopes.len; s++)
        if (f->scopes.data[s].class_decl == decl) {
          if (f->scopes.data[s].span.start_byte < ec.start_byte)
            ec.start_byte = f->scopes.data[s].span.start_byte;
          if (f->scopes.data[s].span.end_byte > ec.end_byte)
            ec.end_byte = f->scopes.data[s].span.end_byte;
        }
      if (ec.start_byte < ec.end_byte)
        il_array_push(&g->classes, ec);
      free(why);
      free(msg);
    }
    free(cls.data[c].name);
  }
  il_array_free(&cls);
}

const il_entry_class *il_modgraph_class_at(const il_modgraph *g, uint32_t file, uint32_t at) {
  for (uint32_t k = 0; k < g->classes.len; k++) {
    const il_entry_class *c = &g->classes.data[k];
    if (c->file == file && at >= c->start_byte && at < c->end_byte)
      return c;
  }
  return NULL;
}

/* Every Wrangler configuration: those target detection found first (in that order),
 * then the others of each package directory (wrangler.<env>.jsonc...), sorted. */
static void wrangler_entries(il_modgraph *g, entry_list *out, il_path_list *owned) {
  il_path_list cfgs = {0};
  for (uint32_t s = 0; s < g->signals.len; s++) {
    const char *base = strrchr(g->signals.data[s]->path, '/');
    if (is_wrangler_name(base ? base + 1 : g->signals.data[s]->path))
      il_array_push(&cfgs, g->signals.data[s]->path);
  }
  uint32_t n_sig = cfgs.len;
  for (uint32_t p = 0; p < g->packages.len; p++) {
    DIR *dh = opendir(g->packages.data[p]->dir);
    IL_ARRAY(char *) names = {0};
    for (struct dirent *de; dh && (de = readdir(dh)) != NULL;)
      if (is_wrangler_name(de->d_name))
        il_array_push(&names, il_xstrdup(de->d_name));
    if (dh)
      closedir(dh);
    if (names.len > 1)
      qsort(names.data, names.len, sizeof *names.data, il_cmp_cstr);
    for (uint32_t k = 0; k < names.len; k++) {
      char *path = il_path_dir_file(g->packages.data[p]->dir, names.data[k]);
      bool seen = false;
      for (uint32_t j = 0; j < n_sig && !seen; j++)
        seen = strcmp(cfgs.data[j], path) == 0;
      if (seen) {
        free(path);
      } else {
        il_array_push(owned, path);
        il_array_push(&cfgs, path);
      }
      free(names.data[k]);
    }
    il_array_free(&names);
  }
  for (uint32_t c = 0; c < cfgs.len; c++) {
    char *main_rel = wrangler_main(cfgs.data[c]);
    char *dir = il_path_dir_of(cfgs.data[c]);
    char *main_abs = main_rel ? il_path_join_norm(dir, main_rel) : NULL;
    int32_t e = main_abs ? il_mg_probe_module(g, main_abs, NULL) : -1;
    if (e >= 0) {
      const char *base = strrchr(cfgs.data[c], '/');
      char *why = il_xasprintf("main in %s", base ? base + 1 : cfgs.data[c]);
      entry en = {(uint32_t)e, package_of_dir(g, dir), cfgs.data[c],
                  il_arena_strdup(g->arena, why)};
      free(why);
      il_array_push(out, en);
    }
    class_entries(g, cfgs.data[c], dir, e, out);
    free(dir);
    free(main_rel);
    free(main_abs);
  }
  il_array_free(&cfgs);
}

static void framework_entries(il_modgraph *g, entry_list *out) {
  IL_ARRAY(int32_t) fw = {0}; /* per package: frameworks + 1, 0 not yet */
  il_array_grow(&fw, g->packages.len + 1);
  memset(fw.data, 0, (g->packages.len + 1) * sizeof *fw.data);
  for (uint32_t i = 0; i < g->abs.len; i++) {
    int32_t p = g->pkg.data[i];
    if (p < 0 || (uint32_t)p >= g->packages.len)
      continue;
    if (!fw.data[p])
      fw.data[p] = (int32_t)frameworks(g, g->packages.data[p]->dir) + 1;
    if (fw.data[p] == 1)
      continue;
    const char *rel = g->abs.data[i] + strlen(g->packages.data[p]->dir) + 1;
    const char *why = framework_entry((uint32_t)fw.data[p] - 1, rel);
    if (why) {
      entry en = {i, p, NULL, why};
      il_array_push(out, en);
    }
  }
  il_array_free(&fw);
}

/* Modules that say they are entry points (il_facts.entry_hints): `export const runtime =
 * "edge"` always; a router app or a fetch handler object exported as default when its
 * package has no other entry point and its path is no test, script, configuration... */
static void hint_entries(il_modgraph *g, entry_list *out) {
  uint32_t n0 = out->len;
  for (uint32_t i = 0; i < g->abs.len; i++) {
    if (!g->facts.data[i] || !(g->facts.data[i]->entry_hints & IL_HINT_EDGE))
      continue;
    bool dup = false; /* a framework's route already */
    for (uint32_t k = 0; k < n0 && !dup; k++)
      dup = out->data[k].file == i;
    if (!dup) {
      entry en = {i, g->pkg.data[i], NULL, "export const runtime = \"edge\""};
      il_array_push(out, en);
    }
  }
  bool *known = il_xcalloc(g->packages.len + 1, sizeof *known); /* [package + 1] */
  for (uint32_t k = 0; k < out->len; k++)
    known[out->data[k].package + 1] = true;
  uint32_t n = out->len;
  for (uint32_t i = 0; i < g->abs.len; i++) {
    const il_facts *f = g->facts.data[i];
    if (!f || !(f->entry_hints & (IL_HINT_ROUTER | IL_HINT_FETCH)) || known[g->pkg.data[i] + 1] ||
        il_modgraph_code_class(g, i))
      continue;
    bool dup = false;
    for (uint32_t k = n; k < out->len && !dup; k++)
      dup = out->data[k].file == i;
    if (dup)
      continue;
    entry en = {i, g->pkg.data[i], NULL,
                (f->entry_hints & IL_HINT_ROUTER) ? "a router app exported as default"
                                                  : "a fetch handler exported as default"};
    il_array_push(out, en);
  }
  free(known);
}

typedef struct {
  const char *display;
  uint32_t index;
  entry en;
} sort_item;

static int cmp_item(const void *a, const void *b) {
  const sort_item *x = a, *y = b;
  int c = strcmp(x->display, y->display);
  return c ? c : (x->index > y->index) - (x->index < y->index);
}

/* Entries by path (then as found), so that which entry's hop a file gets does not
 * depend on the order the files were given in. */
static void sort_entries(il_modgraph *g, entry *e, uint32_t n) {
  if (n < 2)
    return;
  sort_item *items = il_xmalloc(n * sizeof *items);
  for (uint32_t k = 0; k < n; k++)
    items[k] = (sort_item){g->display.data[e[k].file], k, e[k]};
  qsort(items, n, sizeof *items, cmp_item);
  for (uint32_t k = 0; k < n; k++)
    e[k] = items[k].en;
  free(items);
}

/* The hops from entry en (the Worker's main first: the shortest way from it wins). */
static void walk_hops(il_modgraph *g, const entry *en) {
  if (!g->facts.data[en->file])
    return;
  bfs_ctx c = {.g = g, .entry = en->file, .config = en->config, .why = en->why};
  il_array_push(&c.queue, en->file);
  for (uint32_t q = 0; q < c.queue.len; q++) {
    c.from = c.queue.data[q];
    each_edge(g, c.from, false, bfs_visit, &c);
  }
  il_array_free(&c.queue);
}

typedef struct {
  il_modgraph *g;
  IL_ARRAY(uint32_t) queue;
} reach_ctx;

static void reach_visit(void *vctx, int32_t v, il_span span, int32_t decl) {
  (void)span;
  (void)decl;
  reach_ctx *c = vctx;
  if (v < 0 || c->g->reach.data[v] != IL_REACH_UNKNOWN)
    return;
  c->g->reach.data[v] = IL_REACH_REACHED;
  il_array_push(&c->queue, (uint32_t)v);
}

void il_modgraph_entries(il_modgraph *g) {
  if (!g->abs.len)
    return;
  il_array_grow(&g->hop, g->abs.len);
  memset(g->hop.data, 0, g->abs.len * sizeof *g->hop.data);
  g->hop.len = g->abs.len;
  il_array_grow(&g->reach, g->abs.len);
  memset(g->reach.data, 0, g->abs.len * sizeof *g->reach.data);
  g->reach.len = g->abs.len;
  il_array_grow(&g->pkg, g->abs.len);
  g->pkg.len = g->abs.len;
  if (!g->cwd) {
    char cwd[PATH_MAX];
    g->cwd = getcwd(cwd, sizeof cwd) ? il_xstrdup(cwd) : NULL;
  }
  for (uint32_t i = 0; i < g->abs.len; i++) {
    char *dir = il_path_dir_of(g->abs.data[i]);
    g->pkg.data[i] = package_of_dir(g, dir);
    free(dir);
  }
  entry_list entries = {0};
  il_path_list owned = {0};
  wrangler_entries(g, &entries, &owned);
  uint32_t n_wrangler = entries.len;
  framework_entries(g, &entries);
  hint_entries(g, &entries);
  if (entries.len > n_wrangler) /* (no entry at all: entries.data is NULL) */
    sort_entries(g, entries.data + n_wrangler, entries.len - n_wrangler);
  for (uint32_t k = 0; k < entries.len; k++)
    walk_hops(g, &entries.data[k]);
  /* reachability: every entry at once; files without facts pass it on too */
  reach_ctx rc = {.g = g};
  for (uint32_t k = 0; k < entries.len; k++) {
    const entry *en = &entries.data[k];
    if (g->reach.data[en->file] != IL_REACH_ENTRY)
      il_array_push(&rc.queue, en->file);
    g->reach.data[en->file] = IL_REACH_ENTRY;
    il_package *p = en->package >= 0 ? g->packages.data[en->package] : NULL;
    if (p && !p->entries++) {
      p->first = g->display.data[en->file];
      p->why = en->why;
    }
  }
  for (uint32_t q = 0; q < rc.queue.len; q++)
    each_edge(g, rc.queue.data[q], true, reach_visit, &rc); /* a file of types is its source too */
  il_array_free(&rc.queue);
  for (uint32_t i = 0; i < g->abs.len; i++)
    if (g->reach.data[i] == IL_REACH_UNKNOWN && g->pkg.data[i] >= 0 &&
        g->packages.data[g->pkg.data[i]]->entries)
      g->reach.data[i] = IL_REACH_UNREACHED;
  il_array_free(&entries);
  /* the configurations found here are named by the hops: keep them with the graph */
  for (uint32_t k = 0; k < owned.len; k++)
    il_array_push(&g->extra_configs, owned.data[k]);
  il_array_free(&owned);
}

il_reach il_modgraph_reach(const il_modgraph *g, uint32_t file) {
  return file < g->reach.len ? (il_reach)g->reach.data[file] : IL_REACH_UNKNOWN;
}

const il_package *il_modgraph_package(const il_modgraph *g, uint32_t file) {
  return file < g->pkg.len && g->pkg.data[file] >= 0 ? g->packages.data[g->pkg.data[file]]
                                                    : NULL;
}

const il_entry_hop *il_modgraph_hop(const il_modgraph *g, uint32_t file) {
  if (file >= g->hop.len || !g->hop.data[file].set || !g->hop.data[file].path)
    return NULL;
  return &g->hop.data[file];
}

const char *il_modgraph_display(const il_modgraph *g, uint32_t file) {
  return file < g->display.len ? g->display.data[file] : NULL;
}
