/* Target detection (the runtime a file is written for) and the Worker's entry
 * points: which Wrangler configuration's `main` reaches a file through imports. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

/* Edges of file u in the import graph (before il_modgraph_link rewrites imports):
 * calls visit(v, span, decl) for each file of the scan a module it names resolves
 * to; decl is the import declaration, -1 for re-exports and unparsed files. */
static void each_edge(il_modgraph *g, uint32_t u,
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
    if (d->kind == IL_DECL_IMPORT && d->module && !d->type_only)
      visit(ctx, il_mg_resolve_spec(g, u, d->module, NULL), d->span, (int32_t)k);
  }
  for (uint32_t k = 0; k < f->exports.len; k++)
    if (f->exports.data[k].module && !f->exports.data[k].type_only)
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
        h->config != g->hop.data[c->entry].config)
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
  h->config = ph->config ? ph->config : h->config;
  il_array_push(&c->queue, (uint32_t)v);
}

void il_modgraph_entries(il_modgraph *g) {
  if (!g->abs.len)
    return;
  il_array_grow(&g->hop, g->abs.len);
  memset(g->hop.data, 0, g->abs.len * sizeof *g->hop.data);
  g->hop.len = g->abs.len;
  /* every Wrangler configuration any file found, in the order they were found */
  for (uint32_t s = 0; s < g->signals.len; s++) {
    const il_target_signal *sig = g->signals.data[s];
    const char *base = strrchr(sig->path, '/');
    base = base ? base + 1 : sig->path;
    if (strncmp(base, "wrangler.", 9) != 0)
      continue;
    char *main_rel = wrangler_main(sig->path);
    if (!main_rel)
      continue;
    char *dir = il_path_dir_of(sig->path);
    char *main_abs = il_path_join_norm(dir, main_rel);
    int32_t e = il_mg_probe_module(g, main_abs, NULL);
    free(dir);
    free(main_rel);
    free(main_abs);
    if (e < 0 || !g->facts.data[e])
      continue;
    bfs_ctx c = {.g = g, .entry = (uint32_t)e};
    g->hop.data[e].config = sig->path;
    il_array_push(&c.queue, (uint32_t)e);
    for (uint32_t q = 0; q < c.queue.len; q++) {
      c.from = c.queue.data[q];
      g->hop.data[c.from].config = sig->path;
      each_edge(g, c.from, bfs_visit, &c);
    }
    il_array_free(&c.queue);
  }
}

const il_entry_hop *il_modgraph_hop(const il_modgraph *g, uint32_t file) {
  if (file >= g->hop.len || !g->hop.data[file].set || !g->hop.data[file].path)
    return NULL;
  return &g->hop.data[file];
}

const char *il_modgraph_display(const il_modgraph *g, uint32_t file) {
  return file < g->display.len ? g->display.data[file] : NULL;
}
