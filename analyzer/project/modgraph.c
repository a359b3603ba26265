/* The module graph: phase 2 of a scan. Works on facts only (the trees are gone):
 * resolves each file's imports and re-exports to files of the scan (relative
 * specifiers with extension and index probing, tsconfig.json paths and baseUrl)
 * or to package modules through re-export chains (memoized, cycles detected), which
 * flow/ uses so that
 *   - an import that reaches a knowledge-base module through local re-exports
 *     (`export { Pool } from "pg"` in lib/index.ts) is rewritten to import from
 *     that module, and the per-file rules match it;
 *   - a use, in a function of another file, of a module-level declaration (a
 *     client, a lazy factory) is recorded in the declaring file's facts
 *     (il_facts.xuses), where the rules turn it into a related location.
 * Every step is a hash lookup: linear in the number of imports and exports. */
#include <errno.h>
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/jsonc.h"
#include "base/path.h"
#include "project/graph_int.h"

/* ---- string -> int32 map ------------------------------------------------------------ */

/* (eight bytes at a time: the keys are mostly absolute paths, looked up for every
 * candidate of every import) */
static uint32_t hash_str(const char *s) {
  bool wide;
  uint64_t h = il_text_hash(s, strlen(s), &wide);
  return (uint32_t)(h ^ (h >> 32));
}

int32_t *il_mg_strmap_slot(il_strmap *m, const char *key, bool insert) {
  if (insert && (m->len + 1) * 2 > m->cap) {
    uint32_t ncap = m->cap ? m->cap * 2 : 64;
    char **nk = il_xcalloc(ncap, sizeof *nk);
    int32_t *nv = il_xcalloc(ncap, sizeof *nv);
    for (uint32_t i = 0; i < m->cap; i++)
      if (m->keys[i]) {
        uint32_t j = hash_str(m->keys[i]) & (ncap - 1);
        while (nk[j])
          j = (j + 1) & (ncap - 1);
        nk[j] = m->keys[i];
        nv[j] = m->vals[i];
      }
    free(m->keys);
    free(m->vals);
    m->keys = nk;
    m->vals = nv;
    m->cap = ncap;
  }
  if (!m->cap)
    return NULL;
  uint32_t j = hash_str(key) & (m->cap - 1);
  while (m->keys[j]) {
    if (strcmp(m->keys[j], key) == 0)
      return &m->vals[j];
    j = (j + 1) & (m->cap - 1);
  }
  if (!insert)
    return NULL;
  m->keys[j] = il_xstrdup(key);
  m->len++;
  return &m->vals[j];
}

int32_t il_mg_strmap_get(il_strmap *m, const char *key) {
  int32_t *v = il_mg_strmap_slot(m, key, false);
  return v ? *v : -1;
}

void il_mg_strmap_put(il_strmap *m, const char *key, int32_t val) {
  *il_mg_strmap_slot(m, key, true) = val;
}

void il_mg_strmap_free(il_strmap *m) {
  for (uint32_t i = 0; i < m->cap; i++)
    free(m->keys[i]);
  free(m->keys);
  free(m->vals);
  memset(m, 0, sizeof *m);
}

bool il_mg_is_relative(const char *spec) {
  return strcmp(spec, ".") == 0 || strcmp(spec, "..") == 0 || strncmp(spec, "./", 2) == 0 ||
         strncmp(spec, "../", 3) == 0;
}

/* ---- tsconfig.json ----------------------------------------------------------------------- */

/* JSON with comments and trailing commas (what tsc accepts) into strict JSON, in a copy
 * (base/jsonc.h: comments and trailing commas become spaces, line numbers kept). */
char *il_mg_strip_jsonc(const char *t, size_t n) {
  char *o = il_xmalloc(n + 1);
  memcpy(o, t, n);
  o[n] = '\0';
  int line = 0;
  (void)il_jsonc_blank(o, n, &line); /* an unclosed comment: the parser reports the rest */
  return o;
}

static void tsconfig_free(tsconfig *c) {
  free(c->base_url);
  free(c->paths_dir);
  for (uint32_t i = 0; i < c->patterns.len; i++) {
    path_pattern *p = &c->patterns.data[i];
    free(p->prefix);
    free(p->suffix);
    for (uint32_t j = 0; j < p->subst.len; j++)
      free(p->subst.data[j]);
    il_array_free(&p->subst);
  }
  il_array_free(&c->patterns);
  il_array_free(&c->prefixes);
  free(c);
}

void il_modgraph_set_roots(il_modgraph *g, char *const *roots, uint32_t n) {
  g->roots = roots;
  g->n_roots = n;
}

void il_modgraph_set_listing(il_modgraph *g, const il_listing *l) {
  g->listing = l;
}

/* stat(), but a path the walk saw absent from its directory costs no system call
 * (a warm run probes thousands: module candidates, tsconfig and signal files) */
int il_mg_stat_p(const il_modgraph *g, const char *path, struct stat *st) {
  if (g->listing && il_listing_absent(g->listing, path)) {
    errno = ENOENT;
    return -1;
  }
  return stat(path, st);
}

bool il_mg_under(const char *path, const char *dir) {
  size_t n = strlen(dir);
  return strncmp(path, dir, n) == 0 &&
         (path[n] == '/' || path[n] == '\0' || (n == 1 && dir[0] == '/'));
}

/* Is the path (lexically, or after resolving links when `real`) inside the scanned
 * paths or the current directory, the project an untrusted tree is confined to? */
static bool in_project(const il_modgraph *g, const char *path, bool real) {
  char *r = real ? realpath(path, NULL) : il_xstrdup(path);
  if (!r)
    return false;
  bool in = false;
  for (uint32_t i = 0; i < g->n_roots && !in; i++)
    in = il_mg_under(r, g->roots[i]);
  char cwd[PATH_MAX], cwd_real[PATH_MAX];
  if (!in && getcwd(cwd, sizeof cwd))
    in = il_mg_under(r, real && realpath(cwd, cwd_real) ? cwd_real : cwd);
  free(r);
  return in;
}

bool il_mg_read_all(const char *path, char **data, size_t *len) {
  if (!il_read_file(path, data, len))
    return false;
  if (*len > (1u << 20)) { /* a project file, not a megabyte */
    free(*data);
    return false;
  }
  return true;
}

static void config_note_as_is(il_modgraph *g, const char *path, uint32_t line, const char *what) {
  char *disp = il_xstrdup(path);
  char cwd[PATH_MAX];
  if (getcwd(cwd, sizeof cwd)) {
    size_t n = strlen(cwd);
    if (strncmp(path, cwd, n) == 0 && path[n] == '/') {
      free(disp);
      disp = il_xstrdup(path + n + 1);
    }
  }
  il_file_out_note(g->notes, IL_NOTE_CONFIG, IL_LEVEL_WARNING, disp, line, 0, "%s.", what);
  free(disp);
}

static void config_note(il_modgraph *g, const char *path, uint32_t line, const char *what) {
  char *full = il_xasprintf("%s; its compilerOptions.paths and baseUrl are ignored, so imports "
                            "through them are not followed",
                            what);
  config_note_as_is(g, path, line, full);
  free(full);
}

/* Loads a tsconfig (and what it extends, up to 8 levels) into a new config;
 * NULL with a notification when it cannot be read or parsed. */
static tsconfig *load_config(il_modgraph *g, const char *path, int depth) {
  char *text;
  size_t len;
  /* a tsconfig of the tree (not one above it) must not lead out of the tree */
  if (depth == 0 && in_project(g, path, false) && !in_project(g, path, true)) {
    config_note(g, path, 0,
                "This TypeScript configuration file is a symbolic link to a file outside the "
                "scanned paths and the current directory: not read");
    return NULL;
  }
  if (!il_mg_read_all(path, &text, &len)) {
    config_note(g, path, 0, "Cannot read this TypeScript configuration file");
    return NULL;
  }
  char *strict = il_mg_strip_jsonc(text, len);
  free(text);
  json_error_t je;
  json_t *root = json_loads(strict, JSON_ALLOW_NUL, &je);
  free(strict);
  if (!root || !json_is_object(root)) {
    char *what = il_xasprintf("This TypeScript configuration file is not valid JSON (%s)",
                              root ? "not an object" : je.text);
    config_note(g, path, root ? 0 : (uint32_t)(je.line > 0 ? je.line : 0), what);
    free(what);
    json_decref(root);
    return NULL;
  }
  char *dir = il_path_dir_of(path);
  tsconfig *c = NULL;
  json_t *ext = json_object_get(root, "extends");
  if (json_is_string(ext) && il_mg_is_relative(json_string_value(ext)) && depth < 8) {
    char *ep = il_path_join_norm(dir, json_string_value(ext));
    size_t n = strlen(ep);
    if (n < 5 || strcmp(ep + n - 5, ".json") != 0) {
      char *t = il_xasprintf("%s.json", ep);
      free(ep);
      ep = t;
    }
    struct stat st;
    if (il_mg_stat_p(g, ep, &st) == 0 && in_project(g, path, true) && !in_project(g, ep, true))
      config_note_as_is(g, path, 0,
                  "Its \"extends\" names a file outside the scanned paths and the current "
                  "directory: not followed");
    else if (il_mg_stat_p(g, ep, &st) == 0)
      c = load_config(g, ep, depth + 1);
    free(ep);
  }
  if (!c)
    c = il_xcalloc(1, sizeof *c);
  json_t *co = json_object_get(root, "compilerOptions");
  json_t *bu = json_is_object(co) ? json_object_get(co, "baseUrl") : NULL;
  json_t *paths = json_is_object(co) ? json_object_get(co, "paths") : NULL;
  if (json_is_string(bu)) {
    free(c->base_url);
    c->base_url = il_path_join_norm(dir, json_string_value(bu));
  }
  if (json_is_object(paths)) {
    for (uint32_t i = 0; i < c->patterns.len; i++) { /* the child's paths replace the parent's */
      path_pattern *p = &c->patterns.data[i];
      free(p->prefix);
      free(p->suffix);
      for (uint32_t j = 0; j < p->subst.len; j++)
        free(p->subst.data[j]);
      il_array_free(&p->subst);
    }
    c->patterns.len = 0;
    free(c->paths_dir);
    c->paths_dir = il_xstrdup(c->base_url ? c->base_url : dir);
    const char *key;
    json_t *val;
    json_object_foreach(paths, key, val) {
      if (!json_is_array(val))
        continue;
      path_pattern p = {0};
      const char *star = strchr(key, '*');
      if (star) {
        p.prefix = il_xasprintf("%.*s", (int)(star - key), key);
        p.suffix = il_xstrdup(star + 1);
      } else {
        p.prefix = il_xstrdup(key);
      }
      size_t i;
      json_t *s;
      json_array_foreach(val, i, s) {
        if (json_is_string(s))
          il_array_push(&p.subst, il_xstrdup(json_string_value(s)));
      }
      il_array_push(&c->patterns, p);
    }
  } else if (c->base_url && c->patterns.len && !c->paths_dir) {
    c->paths_dir = il_xstrdup(c->base_url);
  }
  free(dir);
  json_decref(root);
  return c;
}

static int32_t config_at(il_modgraph *g, const char *path) {
  int32_t i = il_mg_strmap_get(&g->config_file, path);
  if (i != -1 || il_mg_strmap_slot(&g->config_file, path, false))
    return i;
  tsconfig *c = load_config(g, path, 0);
  if (c) {
    for (uint32_t k = 0; k < c->patterns.len; k++)
      if (c->patterns.data[k].prefix[0])
        il_array_push(&c->prefixes, c->patterns.data[k].prefix);
    il_array_push(&g->configs, c);
    i = (int32_t)g->configs.len - 1;
  }
  il_mg_strmap_put(&g->config_file, path, i);
  return i;
}

/* The nearest tsconfig.json (or jsconfig.json) walking up from dir, -1 none. */
static int32_t config_for_dir(il_modgraph *g, const char *dir) {
  int32_t *known = il_mg_strmap_slot(&g->config_of_dir, dir, false);
  if (known)
    return *known;
  int32_t r = -1;
  static const char *const names[] = {"tsconfig.json", "jsconfig.json"};
  for (int k = 0; k < 2 && r < 0; k++) {
    char *p = il_path_dir_file(dir, names[k]);
    struct stat st;
    if (il_mg_stat_p(g, p, &st) == 0 && S_ISREG(st.st_mode)) {
      r = config_at(g, p);
      free(p);
      /* a broken nearest config is not replaced by a farther one */
      il_mg_strmap_put(&g->config_of_dir, dir, r);
      return r;
    }
    free(p);
  }
  if (strcmp(dir, "/") != 0) {
    char *up = il_path_dir_of(dir);
    r = config_for_dir(g, up);
    free(up);
  }
  il_mg_strmap_put(&g->config_of_dir, dir, r);
  return r;
}

/* ---- the graph ------------------------------------------------------------------------- */

il_modgraph *il_modgraph_new(il_file_out *notes) {
  il_modgraph *g = il_xcalloc(1, sizeof *g);
  g->notes = notes;
  g->arena = il_arena_new();
  return g;
}

void il_modgraph_free(il_modgraph *g) {
  if (!g)
    return;
  il_arena_free(g->arena);
  for (uint32_t i = 0; i < g->abs.len; i++)
    free(g->abs.data[i]);
  il_array_free(&g->abs);
  il_array_free(&g->display);
  il_array_free(&g->facts);
  il_array_free(&g->tsc);
  for (uint32_t i = 0; i < g->lex.len; i++)
    il_array_free(&g->lex.data[i]); /* the pointers and their strings: one allocation */
  il_array_free(&g->lex);
  il_array_free(&g->settled);
  il_mg_strmap_free(&g->by_path);
  for (uint32_t i = 0; i < g->configs.len; i++)
    tsconfig_free(g->configs.data[i]);
  il_array_free(&g->configs);
  il_mg_strmap_free(&g->config_of_dir);
  il_mg_strmap_free(&g->config_file);
  il_mg_strmap_free(&g->asked);
  il_mg_strmap_free(&g->memo);
  il_array_free(&g->results);
  for (uint32_t i = 0; i < g->signals.len; i++) {
    free(g->signals.data[i]->path);
    free(g->signals.data[i]);
  }
  il_array_free(&g->signals);
  il_mg_strmap_free(&g->signal_of_dir);
  il_array_free(&g->hop);
  for (uint32_t i = 0; i < g->packages.len; i++) {
    free(g->packages.data[i]->dir);
    free(g->packages.data[i]);
  }
  il_array_free(&g->packages);
  il_mg_strmap_free(&g->package_of_dir);
  il_array_free(&g->pkg);
  il_array_free(&g->reach);
  free(g->cwd);
  il_array_free(&g->classes);
  for (uint32_t i = 0; i < g->workspaces.len; i++)
    il_mg_workspace_free(g->workspaces.data[i]);
  il_array_free(&g->workspaces);
  il_mg_strmap_free(&g->ws_of_dir);
  il_array_free(&g->wsp);
  il_mg_strmap_free(&g->ws_prefixes);
  for (uint32_t i = 0; i < g->ws_lists.len; i++)
    il_array_free(&g->ws_lists.data[i]);
  il_array_free(&g->ws_lists);
  for (uint32_t i = 0; i < g->extra_configs.len; i++)
    free(g->extra_configs.data[i]);
  il_array_free(&g->extra_configs);
  free(g);
}

void il_modgraph_prefilter(il_modgraph *g, const char *abs, il_prefilter_ext *ext) {
  char *dir = il_path_dir_of(abs);
  int32_t c = config_for_dir(g, dir);
  free(dir);
  memset(ext, 0, sizeof *ext);
  ext->relative = true;
  if (c >= 0) {
    tsconfig *t = g->configs.data[c];
    ext->prefixes = t->prefixes.data;
    ext->n_prefixes = t->prefixes.len;
    ext->any_import = t->base_url != NULL;
  }
  il_mg_workspace_prefixes(g, abs, c, &ext->prefixes, &ext->n_prefixes);
}

uint32_t il_modgraph_add(il_modgraph *g, const char *abs, const char *display, il_facts *f,
                         char **specs, uint32_t n_specs, bool packed) {
  uint32_t i = g->abs.len;
  if (n_specs && !packed) { /* one allocation, as lex_specifiers makes them */
    size_t bytes = 0;
    for (uint32_t k = 0; k < n_specs; k++)
      bytes += strlen(specs[k]) + 1;
    char **v = il_xmalloc(n_specs * sizeof *v + bytes);
    char *w = (char *)(v + n_specs);
    for (uint32_t k = 0; k < n_specs; k++) {
      size_t n = strlen(specs[k]) + 1;
      v[k] = memcpy(w, specs[k], n);
      w += n;
      free(specs[k]);
    }
    free(specs);
    specs = v;
  }
  il_path_list lex = {specs, n_specs, n_specs};
  il_array_push(&g->lex, lex);
  il_array_push(&g->abs, il_xstrdup(abs));
  il_array_push(&g->display, display);
  il_array_push(&g->facts, f);
  char *dir = il_path_dir_of(abs);
  int32_t c = config_for_dir(g, dir);
  free(dir);
  il_array_push(&g->tsc, c);
  il_mg_strmap_put(&g->by_path, abs, (int32_t)i);
  il_mg_strmap_put(&g->asked, abs, 0);
  return i;
}

/* ---- resolution ---------------------------------------------------------------------- */

static const char *const exts[] = {".ts", ".tsx", ".mts", ".cts", ".js", ".jsx", ".mjs", ".cjs"};
enum { N_EXTS = 8 };

/* Looks a candidate up in the graph, or on disk when `missing` is given (then an
 * existing file the graph lacks is pushed onto it). */
static int32_t probe(il_modgraph *g, const char *cand, il_path_list *missing) {
  int32_t i = il_mg_strmap_get(&g->by_path, cand);
  if (i >= 0 || !missing)
    return i;
  int32_t *seen = il_mg_strmap_slot(&g->asked, cand, false);
  if (seen) {
    if (*seen == 0)
      g->open_probes++; /* if that file is not added, a later call probes on */
    return -1;
  }
  struct stat st;
  if (il_mg_stat_p(g, cand, &st) == 0 && S_ISREG(st.st_mode)) {
    int lang;
    if (il_lang_of_path(cand, &lang)) {
      il_mg_strmap_put(&g->asked, cand, 0);
      il_array_push(missing, il_xstrdup(cand));
      g->open_probes++;
      return -3; /* found on disk */
    }
  }
  il_mg_strmap_put(&g->asked, cand, 1); /* no source file there: not stat'ed again this run */
  return -1;
}

/* The file a module path (absolute, without probing) names: itself, `./x.js` as
 * x.ts, the path plus an extension, or its index file. -1: none. */
/* out = the first n bytes of a, then b, then c (no printf: it runs for every candidate) */
static void cat_path(char *out, const char *a, size_t n, const char *b, const char *c) {
  size_t nb = strlen(b);
  memcpy(out, a, n);
  memcpy(out + n, b, nb);
  strcpy(out + n + nb, c);
}

int32_t il_mg_probe_module(il_modgraph *g, const char *base, il_path_list *missing) {
  size_t n = strlen(base);
  char *cand = il_xmalloc(n + 16);
  int32_t r = -1;
  const char *dot = strrchr(base, '.');
  const char *slash = strrchr(base, '/');
  bool has_ext = false;
  if (dot && (!slash || dot > slash))
    for (int i = 0; i < N_EXTS; i++)
      has_ext |= strcmp(dot, exts[i]) == 0;
  if (has_ext) {
    r = probe(g, base, missing);
    /* TypeScript's convention: "./x.js" names x.ts (".jsx" x.tsx, ".mjs" x.mts, ".cjs" x.cts) */
    static const char *const js[][3] = {{".js", ".ts", ".tsx"},
                                        {".jsx", ".tsx", NULL},
                                        {".mjs", ".mts", NULL},
                                        {".cjs", ".cts", NULL}};
    for (int i = 0; r == -1 && i < 4; i++) {
      if (strcmp(dot, js[i][0]) != 0)
        continue;
      for (int k = 1; k < 3 && r == -1 && js[i][k]; k++) {
        cat_path(cand, base, (size_t)(dot - base), js[i][k], "");
        r = probe(g, cand, missing);
      }
    }
  }
  for (int i = 0; r == -1 && i < N_EXTS; i++) {
    cat_path(cand, base, n, exts[i], "");
    r = probe(g, cand, missing);
  }
  for (int i = 0; r == -1 && i < N_EXTS; i++) {
    cat_path(cand, base, n, "/index", exts[i]);
    r = probe(g, cand, missing);
  }
  free(cand);
  return r;
}

enum { R_EXTERNAL = -1, R_UNRESOLVED = -2 };

/* The file of the scan a specifier written in file i names (>= 0), R_EXTERNAL for
 * a package, or R_UNRESOLVED for a local path that names no file we have. */
int32_t il_mg_resolve_spec(il_modgraph *g, uint32_t i, const char *spec,
                            il_path_list *missing) {
  if (!spec || !*spec)
    return R_UNRESOLVED;
  if (il_mg_is_relative(spec) || spec[0] == '/') {
    /* il_path_join_norm(il_path_dir_of(file), spec), in a stack buffer when it fits (every specifier
     * of every file comes here, twice) */
    const char *abs = g->abs.data[i], *slash = strrchr(abs, '/');
    size_t dn = slash ? (size_t)(slash - abs) : 0, sn = strlen(spec);
    char buf[1024];
    char *base = dn + sn + 2 <= sizeof buf ? buf : il_xmalloc(dn + sn + 2);
    if (spec[0] == '/') {
      memcpy(base, spec, sn + 1);
    } else {
      memcpy(base, abs, dn); /* (a file at the root: "" + "/" + spec) */
      base[dn] = '/';
      memcpy(base + dn + 1, spec, sn + 1);
    }
    il_path_normalize_at(base, spec[0] == '/' ? 0 : dn); /* (the file's path is normalized) */
    int32_t r = il_mg_probe_module(g, base, missing);
    if (base != buf)
      free(base);
    return r >= 0 ? r : R_UNRESOLVED;
  }
  int32_t c = g->tsc.data[i];
  if (c < 0) {
    int32_t w = il_mg_resolve_workspace(g, i, spec, missing);
    return w >= 0 ? w : R_EXTERNAL;
  }
  const tsconfig *t = g->configs.data[c];
  /* paths: an exact key, else the matching pattern with the longest prefix */
  const path_pattern *best = NULL;
  size_t best_len = 0, sn = strlen(spec);
  for (uint32_t k = 0; k < t->patterns.len; k++) {
    const path_pattern *p = &t->patterns.data[k];
    size_t pl = strlen(p->prefix);
    if (!p->suffix) {
      if (strcmp(spec, p->prefix) == 0) {
        best = p;
        break;
      }
      continue;
    }
    size_t sl = strlen(p->suffix);
    if (sn >= pl + sl && strncmp(spec, p->prefix, pl) == 0 &&
        strcmp(spec + sn - sl, p->suffix) == 0 && (!best || pl > best_len)) {
      best = p;
      best_len = pl;
    }
  }
  if (best && t->paths_dir) {
    size_t pl = strlen(best->prefix), sl = best->suffix ? strlen(best->suffix) : 0;
    for (uint32_t k = 0; k < best->subst.len; k++) {
      const char *sub = best->subst.data[k];
      const char *star = strchr(sub, '*');
      char *rel = star && best->suffix
                      ? il_xasprintf("%.*s%.*s%s", (int)(star - sub), sub, (int)(sn - pl - sl),
                                     spec + pl, star + 1)
                      : il_xstrdup(sub);
      char *base = il_path_join_norm(t->paths_dir, rel);
      int32_t r = il_mg_probe_module(g, base, missing);
      free(rel);
      free(base);
      if (r >= 0)
        return r;
    }
  }
  if (t->base_url) {
    char *base = il_path_join_norm(t->base_url, spec);
    int32_t r = il_mg_probe_module(g, base, missing);
    free(base);
    if (r >= 0)
      return r;
  }
  int32_t w = il_mg_resolve_workspace(g, i, spec, missing); /* a workspace package by name */
  return w >= 0 ? w : R_EXTERNAL;
}

void il_modgraph_set_facts(il_modgraph *g, uint32_t file, il_facts *f) {
  g->facts.data[file] = f;
}

/* Pushes the reverse edge (file named by spec in i) <- i. */
static void needed_edge(il_modgraph *g, uint32_t i, const char *spec, uint32_t *head,
                        void *next_, void *who_) {
  IL_ARRAY(uint32_t) *next = next_, *who = who_;
  int32_t j = il_mg_resolve_spec(g, i, spec, NULL);
  if (j < 0 || (uint32_t)j == i)
    return;
  il_array_push(next, head[j]);
  il_array_push(who, i);
  head[j] = next->len - 1;
}

void il_modgraph_needed(il_modgraph *g, const bool *candidate, const bool *feeds, bool *needed) {
  uint32_t n = g->abs.len;
  bool any = false;
  for (uint32_t i = 0; i < n; i++) {
    needed[i] = false;
    any |= candidate[i];
  }
  if (!any)
    return;
  /* reverse edges: file <- a file that names it (a candidate's lexical specifiers, a
   * parsed file's imports and re-exports), as (target, importer) pairs */
  IL_ARRAY(uint32_t) head = {0}, next = {0}, who = {0};
  il_array_grow(&head, n);
  for (uint32_t i = 0; i < n; i++)
    head.data[i] = UINT32_MAX;
  head.len = n;
  for (uint32_t i = 0; i < n; i++) {
    const il_facts *f = g->facts.data[i];
    if (candidate[i]) {
      for (uint32_t k = 0; k < g->lex.data[i].len; k++)
        needed_edge(g, i, g->lex.data[i].data[k], head.data, &next, &who);
    } else if (f) {
      for (uint32_t k = 0; k < f->decls.len; k++) {
        const il_decl *d = &f->decls.data[k];
        if (d->kind == IL_DECL_IMPORT && d->module && !d->type_only)
          needed_edge(g, i, d->module, head.data, &next, &who);
      }
      for (uint32_t k = 0; k < f->exports.len; k++)
        if (f->exports.data[k].module && !f->exports.data[k].type_only)
          needed_edge(g, i, f->exports.data[k].module, head.data, &next, &who);
    }
  }
  /* from the parsed files whose exports can give an importer a finding, backwards
   * through every file that names one (parsed or candidate): linear */
  bool *reached = il_xcalloc(n + 1, sizeof *reached);
  IL_ARRAY(uint32_t) queue = {0};
  for (uint32_t i = 0; i < n; i++)
    if (g->facts.data[i] && feeds[i]) {
      reached[i] = true;
      il_array_push(&queue, i);
    }
  for (uint32_t q = 0; q < queue.len; q++)
    for (uint32_t e = head.data[queue.data[q]]; e != UINT32_MAX; e = next.data[e]) {
      uint32_t c = who.data[e];
      if (!reached[c]) {
        reached[c] = true;
        needed[c] = candidate[c];
        il_array_push(&queue, c);
      }
    }
  free(reached);
  il_array_free(&queue);
  il_array_free(&head);
  il_array_free(&next);
  il_array_free(&who);
}

static void specs_of(il_modgraph *g, uint32_t i, il_path_list *missing) {
  const il_facts *f = g->facts.data[i];
  if (!f) {
    for (uint32_t k = 0; k < g->lex.data[i].len; k++)
      il_mg_resolve_spec(g, i, g->lex.data[i].data[k], missing);
    return;
  }
  for (uint32_t k = 0; k < f->decls.len; k++) {
    const il_decl *d = &f->decls.data[k];
    if (d->kind == IL_DECL_IMPORT && d->module && !d->type_only)
      il_mg_resolve_spec(g, i, d->module, missing);
  }
  for (uint32_t k = 0; k < f->exports.len; k++)
    if (f->exports.data[k].module && !f->exports.data[k].type_only)
      il_mg_resolve_spec(g, i, f->exports.data[k].module, missing);
}

void il_modgraph_missing(il_modgraph *g, void *out) {
  il_path_list *missing = out;
  while (g->settled.len < g->abs.len)
    il_array_push(&g->settled, false);
  for (uint32_t i = 0; i < g->abs.len; i++) {
    if (g->settled.data[i])
      continue;
    uint32_t before = g->open_probes;
    specs_of(g, i, missing);
    /* every specifier resolved, or named no file on disk: later calls find the same */
    g->settled.data[i] = g->open_probes == before;
  }
}

xres il_mg_none(void) {
  xres r = {-1, -1, NULL, NULL};
  return r;
}

/* Where a module-level declaration of file j leads: through an import, on. */
static xres follow_decl(il_modgraph *g, int32_t j, int32_t d, int depth) {
  const il_decl *dp = &g->facts.data[j]->decls.data[d];
  if (dp->kind != IL_DECL_IMPORT) {
    xres r = {j, d, NULL, NULL};
    return r;
  }
  if (dp->type_only || !dp->module)
    return il_mg_none();
  int32_t k = il_mg_resolve_spec(g, (uint32_t)j, dp->module, NULL);
  if (k >= 0)
    return strcmp(dp->imported, "*") == 0 ? il_mg_none()
                                           : il_mg_resolve_export(g, k, dp->imported, depth + 1);
  if (k == R_UNRESOLVED)
    return il_mg_none();
  xres r = {-1, -1, dp->module, dp->imported};
  return r;
}

static xres resolve_export_uncached(il_modgraph *g, int32_t j, const char *name, int depth) {
  const il_facts *f = g->facts.data[j];
  if (!f)
    return il_mg_none();
  /* export { a as name } / export { x as name } from "m" / export * as name from "m" */
  for (uint32_t k = 0; k < f->exports.len; k++) {
    const il_export *e = &f->exports.data[k];
    if (e->type_only || strcmp(e->name, name) != 0 || strcmp(e->name, "*") == 0)
      continue;
    if (!e->module) {
      int32_t d = il_facts_lookup(f, 0, e->local);
      return d >= 0 ? follow_decl(g, j, d, depth) : il_mg_none();
    }
    int32_t m = il_mg_resolve_spec(g, (uint32_t)j, e->module, NULL);
    if (m >= 0)
      return strcmp(e->local, "*") == 0 ? il_mg_none() : il_mg_resolve_export(g, m, e->local, depth + 1);
    if (m == R_UNRESOLVED)
      return il_mg_none();
    xres r = {-1, -1, e->module, e->local};
    return r;
  }
  /* declarations exported in place */
  for (uint32_t k = 0; k < f->decls.len; k++) {
    const il_decl *d = &f->decls.data[k];
    if (d->exported && d->scope == 0 && d->kind != IL_DECL_IMPORT && strcmp(d->name, name) == 0)
      return follow_decl(g, j, (int32_t)k, depth);
  }
  if (strcmp(name, "default") == 0)
    return il_mg_none(); /* export * never re-exports the default export */
  /* export * from "./local": the first that has it; then the first package */
  for (uint32_t k = 0; k < f->exports.len; k++) {
    const il_export *e = &f->exports.data[k];
    if (e->type_only || strcmp(e->name, "*") != 0)
      continue;
    int32_t m = il_mg_resolve_spec(g, (uint32_t)j, e->module, NULL);
    if (m < 0)
      continue;
    xres r = il_mg_resolve_export(g, m, name, depth + 1);
    if (r.file >= 0 || r.module)
      return r;
  }
  for (uint32_t k = 0; k < f->exports.len; k++) {
    const il_export *e = &f->exports.data[k];
    if (e->type_only || strcmp(e->name, "*") != 0)
      continue;
    if (il_mg_resolve_spec(g, (uint32_t)j, e->module, NULL) == R_EXTERNAL) {
      xres r = {-1, -1, e->module, name};
      return r;
    }
  }
  return il_mg_none();
}

enum { MAX_CHAIN = 64 };

xres il_mg_resolve_export(il_modgraph *g, int32_t file, const char *name, int depth) {
  if (depth > MAX_CHAIN)
    return il_mg_none();
  char *key = il_xasprintf("%d\x01%s", file, name);
  int32_t *slot = il_mg_strmap_slot(&g->memo, key, false);
  if (slot) {
    free(key);
    return *slot >= 0 ? g->results.data[*slot] : il_mg_none(); /* -2: a cycle */
  }
  il_mg_strmap_put(&g->memo, key, -2);
  xres r = resolve_export_uncached(g, file, name, depth);
  il_array_push(&g->results, r);
  il_mg_strmap_put(&g->memo, key, (int32_t)g->results.len - 1);
  free(key);
  return r;
}

