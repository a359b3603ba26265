/* The module graph: phase 2 of a scan. Works on facts only (the trees are gone):
 * resolves each file's imports and re-exports to files of the scan (relative
 * specifiers with extension and index probing, tsconfig.json paths and baseUrl)
 * or to package modules through re-export chains (memoized, cycles detected), so
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

#include "analyze_int.h"
#include "base/path.h"
#include "il/rule.h"

/* ---- string -> int32 map ------------------------------------------------------------ */

typedef struct {
  char **keys;
  int32_t *vals;
  uint32_t len, cap;
} strmap;

/* (eight bytes at a time: the keys are mostly absolute paths, looked up for every
 * candidate of every import) */
static uint32_t hash_str(const char *s) {
  bool wide;
  uint64_t h = il_text_hash(s, strlen(s), &wide);
  return (uint32_t)(h ^ (h >> 32));
}

static int32_t *strmap_slot(strmap *m, const char *key, bool insert) {
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

static int32_t strmap_get(strmap *m, const char *key) {
  int32_t *v = strmap_slot(m, key, false);
  return v ? *v : -1;
}

static void strmap_put(strmap *m, const char *key, int32_t val) { *strmap_slot(m, key, true) = val; }

static void strmap_free(strmap *m) {
  for (uint32_t i = 0; i < m->cap; i++)
    free(m->keys[i]);
  free(m->keys);
  free(m->vals);
  memset(m, 0, sizeof *m);
}

static bool is_relative(const char *spec) {
  return strcmp(spec, ".") == 0 || strcmp(spec, "..") == 0 || strncmp(spec, "./", 2) == 0 ||
         strncmp(spec, "../", 3) == 0;
}

typedef IL_ARRAY(char *) path_list;

/* ---- tsconfig.json ----------------------------------------------------------------------- */

typedef struct {
  char *prefix, *suffix; /* key split at its '*' (suffix NULL: no '*', exact match) */
  IL_ARRAY(char *) subst;
} path_pattern;

typedef struct {
  char *base_url;  /* absolute, or NULL */
  char *paths_dir; /* what paths' substitutions are relative to */
  IL_ARRAY(path_pattern) patterns;
  IL_ARRAY(const char *) prefixes; /* for the prefilter */
} tsconfig;

/* JSON with comments and trailing commas (what tsc accepts) into strict JSON:
 * comments become spaces (line numbers kept), a comma followed only by white space
 * and comments before '}' or ']' is dropped. */
static char *strip_jsonc(const char *t, size_t n) {
  char *o = il_xmalloc(n + 1);
  size_t w = 0;
  for (size_t i = 0; i < n;) {
    char c = t[i];
    if (c == '"') {
      o[w++] = t[i++];
      while (i < n && t[i] != '"') {
        if (t[i] == '\\' && i + 1 < n)
          o[w++] = t[i++];
        o[w++] = t[i++];
      }
      if (i < n)
        o[w++] = t[i++];
    } else if (c == '/' && i + 1 < n && t[i + 1] == '/') {
      while (i < n && t[i] != '\n')
        o[w++] = ' ', i++;
    } else if (c == '/' && i + 1 < n && t[i + 1] == '*') {
      o[w++] = ' ', o[w++] = ' ', i += 2;
      while (i < n && !(t[i] == '*' && i + 1 < n && t[i + 1] == '/'))
        o[w++] = t[i] == '\n' ? '\n' : ' ', i++;
      if (i < n)
        o[w++] = ' ', o[w++] = ' ', i += 2;
    } else {
      o[w++] = t[i++];
    }
  }
  o[w] = '\0';
  /* trailing commas: the comments are gone, so only white space can follow */
  for (size_t i = 0; i < w; i++) {
    if (o[i] == '"') {
      for (i++; i < w && o[i] != '"'; i++)
        if (o[i] == '\\')
          i++;
      continue;
    }
    if (o[i] != ',')
      continue;
    size_t j = i + 1;
    while (j < w && (o[j] == ' ' || o[j] == '\t' || o[j] == '\n' || o[j] == '\r'))
      j++;
    if (j < w && (o[j] == '}' || o[j] == ']'))
      o[i] = ' ';
  }
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

/* What an export resolves to: a declaration of a file of the scan (file >= 0), a
 * package export (module, name), or nothing (file -1, module NULL). */
typedef struct {
  int32_t file, decl;
  const char *module, *name;
} xres;

struct il_modgraph {
  /* files */
  IL_ARRAY(char *) abs;
  IL_ARRAY(const char *) display; /* borrowed from the scan */
  IL_ARRAY(il_facts *) facts;
  IL_ARRAY(int32_t) tsc; /* tsconfig of each file, -1 */
  IL_ARRAY(path_list) lex; /* files without facts: the specifiers their text names */
  strmap by_path;        /* absolute path -> file */
  /* tsconfig files */
  IL_ARRAY(tsconfig *) configs;
  strmap config_of_dir; /* directory -> config index, -1 none */
  strmap config_file;   /* tsconfig path -> config index, -1 broken */
  strmap asked;         /* probed on disk: 0 returned by il_modgraph_missing (or added), 1 no source file */
  IL_ARRAY(bool) settled; /* il_modgraph_missing: the file's specifiers can find nothing new */
  uint32_t open_probes;   /* probes that met a path returned by il_modgraph_missing */
  strmap memo;          /* "file\x01name" -> result index; -2 in progress */
  IL_ARRAY(xres) results;
  il_file_out *notes;
  /* target detection */
  IL_ARRAY(il_target_signal) signals;
  strmap signal_of_dir;
  IL_ARRAY(il_entry_hop) hop; /* per file: how the Worker's entry point reaches it */
  il_arena *arena;            /* strings that outlive the facts (hop handler names) */
  char *const *roots;         /* realpaths of the scanned paths (borrowed), for in_project */
  uint32_t n_roots;
  const il_listing *listing;  /* what the scan's walk read (borrowed), or NULL */
};

void il_modgraph_set_roots(il_modgraph *g, char *const *roots, uint32_t n) {
  g->roots = roots;
  g->n_roots = n;
}

void il_modgraph_set_listing(il_modgraph *g, const il_listing *l) {
  g->listing = l;
}

/* stat(), but a path the walk saw absent from its directory costs no system call
 * (a warm run probes thousands: module candidates, tsconfig and signal files) */
static int stat_p(const il_modgraph *g, const char *path, struct stat *st) {
  if (g->listing && il_listing_absent(g->listing, path)) {
    errno = ENOENT;
    return -1;
  }
  return stat(path, st);
}

static bool under(const char *path, const char *dir) {
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
    in = under(r, g->roots[i]);
  char cwd[PATH_MAX], cwd_real[PATH_MAX];
  if (!in && getcwd(cwd, sizeof cwd))
    in = under(r, real && realpath(cwd, cwd_real) ? cwd_real : cwd);
  free(r);
  return in;
}

static bool read_all(const char *path, char **data, size_t *len) {
  FILE *fp = fopen(path, "rb");
  if (!fp)
    return false;
  size_t cap = 4096, n = 0;
  char *b = il_xmalloc(cap);
  for (;;) {
    if (n == cap)
      b = il_xrealloc(b, cap *= 2);
    size_t got = fread(b + n, 1, cap - n, fp);
    n += got;
    if (got == 0)
      break;
  }
  bool ok = !ferror(fp);
  fclose(fp);
  if (!ok || n > (1u << 20)) {
    free(b);
    return false;
  }
  *data = b;
  *len = n;
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
  if (!read_all(path, &text, &len)) {
    config_note(g, path, 0, "Cannot read this TypeScript configuration file");
    return NULL;
  }
  char *strict = strip_jsonc(text, len);
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
  if (json_is_string(ext) && is_relative(json_string_value(ext)) && depth < 8) {
    char *ep = il_path_join_norm(dir, json_string_value(ext));
    size_t n = strlen(ep);
    if (n < 5 || strcmp(ep + n - 5, ".json") != 0) {
      char *t = il_xasprintf("%s.json", ep);
      free(ep);
      ep = t;
    }
    struct stat st;
    if (stat_p(g, ep, &st) == 0 && in_project(g, path, true) && !in_project(g, ep, true))
      config_note_as_is(g, path, 0,
                  "Its \"extends\" names a file outside the scanned paths and the current "
                  "directory: not followed");
    else if (stat_p(g, ep, &st) == 0)
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
  int32_t i = strmap_get(&g->config_file, path);
  if (i != -1 || strmap_slot(&g->config_file, path, false))
    return i;
  tsconfig *c = load_config(g, path, 0);
  if (c) {
    for (uint32_t k = 0; k < c->patterns.len; k++)
      if (c->patterns.data[k].prefix[0])
        il_array_push(&c->prefixes, c->patterns.data[k].prefix);
    il_array_push(&g->configs, c);
    i = (int32_t)g->configs.len - 1;
  }
  strmap_put(&g->config_file, path, i);
  return i;
}

/* The nearest tsconfig.json (or jsconfig.json) walking up from dir, -1 none. */
static int32_t config_for_dir(il_modgraph *g, const char *dir) {
  int32_t *known = strmap_slot(&g->config_of_dir, dir, false);
  if (known)
    return *known;
  int32_t r = -1;
  static const char *const names[] = {"tsconfig.json", "jsconfig.json"};
  for (int k = 0; k < 2 && r < 0; k++) {
    char *p = il_path_dir_file(dir, names[k]);
    struct stat st;
    if (stat_p(g, p, &st) == 0 && S_ISREG(st.st_mode)) {
      r = config_at(g, p);
      free(p);
      /* a broken nearest config is not replaced by a farther one */
      strmap_put(&g->config_of_dir, dir, r);
      return r;
    }
    free(p);
  }
  if (strcmp(dir, "/") != 0) {
    char *up = il_path_dir_of(dir);
    r = config_for_dir(g, up);
    free(up);
  }
  strmap_put(&g->config_of_dir, dir, r);
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
  strmap_free(&g->by_path);
  for (uint32_t i = 0; i < g->configs.len; i++)
    tsconfig_free(g->configs.data[i]);
  il_array_free(&g->configs);
  strmap_free(&g->config_of_dir);
  strmap_free(&g->config_file);
  strmap_free(&g->asked);
  strmap_free(&g->memo);
  il_array_free(&g->results);
  for (uint32_t i = 0; i < g->signals.len; i++)
    free(g->signals.data[i].path);
  il_array_free(&g->signals);
  strmap_free(&g->signal_of_dir);
  il_array_free(&g->hop);
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
  path_list lex = {specs, n_specs, n_specs};
  il_array_push(&g->lex, lex);
  il_array_push(&g->abs, il_xstrdup(abs));
  il_array_push(&g->display, display);
  il_array_push(&g->facts, f);
  char *dir = il_path_dir_of(abs);
  int32_t c = config_for_dir(g, dir);
  free(dir);
  il_array_push(&g->tsc, c);
  strmap_put(&g->by_path, abs, (int32_t)i);
  strmap_put(&g->asked, abs, 0);
  return i;
}

/* ---- resolution ---------------------------------------------------------------------- */

static const char *const exts[] = {".ts", ".tsx", ".mts", ".cts", ".js", ".jsx", ".mjs", ".cjs"};
enum { N_EXTS = 8 };

/* Looks a candidate up in the graph, or on disk when `missing` is given (then an
 * existing file the graph lacks is pushed onto it). */
static int32_t probe(il_modgraph *g, const char *cand, path_list *missing) {
  int32_t i = strmap_get(&g->by_path, cand);
  if (i >= 0 || !missing)
    return i;
  int32_t *seen = strmap_slot(&g->asked, cand, false);
  if (seen) {
    if (*seen == 0)
      g->open_probes++; /* if that file is not added, a later call probes on */
    return -1;
  }
  struct stat st;
  if (stat_p(g, cand, &st) == 0 && S_ISREG(st.st_mode)) {
    int lang;
    if (il_lang_of_path(cand, &lang)) {
      strmap_put(&g->asked, cand, 0);
      il_array_push(missing, il_xstrdup(cand));
      g->open_probes++;
      return -3; /* found on disk */
    }
  }
  strmap_put(&g->asked, cand, 1); /* no source file there: not stat'ed again this run */
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

static int32_t probe_module(il_modgraph *g, const char *base, path_list *missing) {
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
static int32_t resolve_spec(il_modgraph *g, uint32_t i, const char *spec,
                            path_list *missing) {
  if (!spec || !*spec)
    return R_UNRESOLVED;
  if (is_relative(spec) || spec[0] == '/') {
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
    int32_t r = probe_module(g, base, missing);
    if (base != buf)
      free(base);
    return r >= 0 ? r : R_UNRESOLVED;
  }
  int32_t c = g->tsc.data[i];
  if (c < 0)
    return R_EXTERNAL;
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
      int32_t r = probe_module(g, base, missing);
      free(rel);
      free(base);
      if (r >= 0)
        return r;
    }
  }
  if (t->base_url) {
    char *base = il_path_join_norm(t->base_url, spec);
    int32_t r = probe_module(g, base, missing);
    free(base);
    if (r >= 0)
      return r;
  }
  return R_EXTERNAL;
}

void il_modgraph_set_facts(il_modgraph *g, uint32_t file, il_facts *f) {
  g->facts.data[file] = f;
}

/* Pushes the reverse edge (file named by spec in i) <- i. */
static void needed_edge(il_modgraph *g, uint32_t i, const char *spec, uint32_t *head,
                        void *next_, void *who_) {
  IL_ARRAY(uint32_t) *next = next_, *who = who_;
  int32_t j = resolve_spec(g, i, spec, NULL);
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

static void specs_of(il_modgraph *g, uint32_t i, path_list *missing) {
  const il_facts *f = g->facts.data[i];
  if (!f) {
    for (uint32_t k = 0; k < g->lex.data[i].len; k++)
      resolve_spec(g, i, g->lex.data[i].data[k], missing);
    return;
  }
  for (uint32_t k = 0; k < f->decls.len; k++) {
    const il_decl *d = &f->decls.data[k];
    if (d->kind == IL_DECL_IMPORT && d->module && !d->type_only)
      resolve_spec(g, i, d->module, missing);
  }
  for (uint32_t k = 0; k < f->exports.len; k++)
    if (f->exports.data[k].module && !f->exports.data[k].type_only)
      resolve_spec(g, i, f->exports.data[k].module, missing);
}

void il_modgraph_missing(il_modgraph *g, void *out) {
  path_list *missing = out;
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

static xres resolve_export(il_modgraph *g, int32_t file, const char *name, int depth);

static xres none(void) {
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
    return none();
  int32_t k = resolve_spec(g, (uint32_t)j, dp->module, NULL);
  if (k >= 0)
    return strcmp(dp->imported, "*") == 0 ? none()
                                           : resolve_export(g, k, dp->imported, depth + 1);
  if (k == R_UNRESOLVED)
    return none();
  xres r = {-1, -1, dp->module, dp->imported};
  return r;
}

static xres resolve_export_uncached(il_modgraph *g, int32_t j, const char *name, int depth) {
  const il_facts *f = g->facts.data[j];
  if (!f)
    return none();
  /* export { a as name } / export { x as name } from "m" / export * as name from "m" */
  for (uint32_t k = 0; k < f->exports.len; k++) {
    const il_export *e = &f->exports.data[k];
    if (e->type_only || strcmp(e->name, name) != 0 || strcmp(e->name, "*") == 0)
      continue;
    if (!e->module) {
      int32_t d = il_facts_lookup(f, 0, e->local);
      return d >= 0 ? follow_decl(g, j, d, depth) : none();
    }
    int32_t m = resolve_spec(g, (uint32_t)j, e->module, NULL);
    if (m >= 0)
      return strcmp(e->local, "*") == 0 ? none() : resolve_export(g, m, e->local, depth + 1);
    if (m == R_UNRESOLVED)
      return none();
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
    return none(); /* export * never re-exports the default export */
  /* export * from "./local": the first that has it; then the first package */
  for (uint32_t k = 0; k < f->exports.len; k++) {
    const il_export *e = &f->exports.data[k];
    if (e->type_only || strcmp(e->name, "*") != 0)
      continue;
    int32_t m = resolve_spec(g, (uint32_t)j, e->module, NULL);
    if (m < 0)
      continue;
    xres r = resolve_export(g, m, name, depth + 1);
    if (r.file >= 0 || r.module)
      return r;
  }
  for (uint32_t k = 0; k < f->exports.len; k++) {
    const il_export *e = &f->exports.data[k];
    if (e->type_only || strcmp(e->name, "*") != 0)
      continue;
    if (resolve_spec(g, (uint32_t)j, e->module, NULL) == R_EXTERNAL) {
      xres r = {-1, -1, e->module, name};
      return r;
    }
  }
  return none();
}

enum { MAX_CHAIN = 64 };

static xres resolve_export(il_modgraph *g, int32_t file, const char *name, int depth) {
  if (depth > MAX_CHAIN)
    return none();
  char *key = il_xasprintf("%d\x01%s", file, name);
  int32_t *slot = strmap_slot(&g->memo, key, false);
  if (slot) {
    free(key);
    return *slot >= 0 ? g->results.data[*slot] : none(); /* -2: a cycle */
  }
  strmap_put(&g->memo, key, -2);
  xres r = resolve_export_uncached(g, file, name, depth);
  il_array_push(&g->results, r);
  strmap_put(&g->memo, key, (int32_t)g->results.len - 1);
  free(key);
  return r;
}

/* ---- linking --------------------------------------------------------------------------- */

enum { MAX_XUSES_PER_DECL = 8 };

/* The refs of one file that name an import declaration inside a function, chained
 * by declaration in source order: built in one pass, so following every import of a
 * file costs one walk over its refs. */
typedef struct {
  int32_t *head; /* per declaration: first ref, -1 */
  int32_t *next; /* per ref: the next ref naming the same declaration, -1 */
} use_index;

static void use_index_build(const il_facts *f, use_index *u) {
  u->head = il_xmalloc((f->decls.len + 1) * sizeof *u->head);
  u->next = il_xmalloc((f->refs.len + 1) * sizeof *u->next);
  for (uint32_t d = 0; d < f->decls.len; d++)
    u->head[d] = -1;
  for (uint32_t r = f->refs.len; r-- > 0;) {
    const il_ref *ref = &f->refs.data[r];
    int32_t d = il_facts_ref_decl(f, ref);
    u->next[r] = -1;
    if (d < 0 || f->decls.data[d].kind != IL_DECL_IMPORT ||
        il_facts_function_of(f, ref->scope) < 0)
      continue;
    u->next[r] = u->head[d];
    u->head[d] = (int32_t)r;
  }
}

static void use_index_free(use_index *u) {
  free(u->head);
  free(u->next);
}

/* Records ref (in function fn of file i) as a use of declaration e of file k. */
static void push_xuse(il_modgraph *g, uint32_t i, const il_ref *ref, int32_t fn, int32_t k,
                      int32_t e) {
  const il_facts *fi = g->facts.data[i];
  il_facts *fk = g->facts.data[k];
  int32_t h = il_facts_handler_of(fi, ref->scope);
  il_location l = il_make_location(fi, ref->span);
  il_xuse u = {.decl = e,
               .path = il_arena_strdup(fk->arena, g->display.data[i]),
               .span = ref->span,
               .start_col16 = l.start_col16,
               .end_col16 = l.end_col16,
               .in_handler = h >= 0};
  /* a fresh string per use: the core recognizes the use by this pointer */
  u.message = h >= 0 ? il_arena_printf(fk->arena, "used in request handler '%s'",
                                       fi->scopes.data[h].name)
                     : il_arena_printf(fk->arena, "used in '%s'", fi->scopes.data[fn].name);
  il_array_push(&fk->xuses, u);
}

/* Records the uses of import decl d of file i (one per function, handlers marked)
 * as uses of declaration e of file k. */
static void record_uses(il_modgraph *g, uint32_t i, const use_index *ui, int32_t d, int32_t k,
                        int32_t e, uint32_t *counts) {
  const il_facts *fi = g->facts.data[i];
  IL_ARRAY(int32_t) seen = {0};
  for (int32_t r = ui->head[d]; r >= 0 && counts[e] < MAX_XUSES_PER_DECL; r = ui->next[r]) {
    const il_ref *ref = &fi->refs.data[r];
    int32_t fn = il_facts_function_of(fi, ref->scope);
    bool dup = false;
    for (uint32_t s = 0; s < seen.len && !dup; s++)
      dup = seen.data[s] == fn;
    if (dup)
      continue;
    il_array_push(&seen, fn);
    push_xuse(g, i, ref, fn, k, e);
    counts[e]++;
  }
  il_array_free(&seen);
}

/* The member read right after ref in the source (`ns.pool`, `ns?.pool`), as a new
 * string, or NULL. */
static char *member_after(const il_facts *f, const il_ref *ref) {
  if (!f->src) { /* detached: recorded in phase 1 */
    const char *m = il_facts_ref_member(f, (uint32_t)(ref - f->refs.data));
    return m ? il_xstrdup(m) : NULL;
  }
  size_t a, e;
  return il_member_at(f->src, f->len, ref->span.end_byte, &a, &e) ? il_xstrndup(f->src + a, e - a)
                                                                  : NULL;
}

enum { MAX_NS_USES = 64 };

/* A namespace import or whole-module require d of file i naming file j: each
 * `ns.member` use (one per function and member) is a use of the declaration j
 * exports as member. */
static void record_ns_uses(il_modgraph *g, uint32_t i, const use_index *ui, int32_t d, int32_t j,
                           uint32_t **counts) {
  const il_facts *fi = g->facts.data[i];
  struct {
    int32_t fn, file, decl;
  } seen[MAX_NS_USES];
  uint32_t n_seen = 0;
  for (int32_t r = ui->head[d]; r >= 0 && n_seen < MAX_NS_USES; r = ui->next[r]) {
    const il_ref *ref = &fi->refs.data[r];
    int32_t fn = il_facts_function_of(fi, ref->scope);
    char *m = member_after(fi, ref);
    if (!m)
      continue;
    xres x = resolve_export(g, j, m, 0);
    free(m);
    if (x.module || x.file < 0 || (uint32_t)x.file == i || x.decl < 0)
      continue;
    bool dup = false;
    for (uint32_t s = 0; s < n_seen && !dup; s++)
      dup = seen[s].fn == fn && seen[s].file == x.file && seen[s].decl == x.decl;
    if (dup)
      continue;
    seen[n_seen].fn = fn;
    seen[n_seen].file = x.file;
    seen[n_seen++].decl = x.decl;
    if (!counts[x.file])
      counts[x.file] = il_xcalloc(g->facts.data[x.file]->decls.len + 1, sizeof **counts);
    if (counts[x.file][x.decl] >= MAX_XUSES_PER_DECL)
      continue;
    push_xuse(g, i, ref, fn, x.file, x.decl);
    counts[x.file][x.decl]++;
  }
}

void il_modgraph_link(il_modgraph *g) {
  uint32_t n = g->abs.len;
  uint32_t **counts = il_xcalloc(n ? n : 1, sizeof *counts);
  for (uint32_t i = 0; i < n; i++) {
    il_facts *f = g->facts.data[i];
    if (!f)
      continue;
    use_index ui = {NULL, NULL};
    for (uint32_t k = 0; k < f->decls.len; k++) {
      il_decl *d = &f->decls.data[k];
      if (d->kind != IL_DECL_IMPORT || d->type_only || !d->module)
        continue;
      int32_t j = resolve_spec(g, i, d->module, NULL);
      if (j < 0)
        continue;
      if (!ui.head)
        use_index_build(f, &ui);
      if (strcmp(d->imported, "*") == 0 && (uint32_t)j != i && g->facts.data[j])
        record_ns_uses(g, i, &ui, (int32_t)k, j, counts);
      xres r = strcmp(d->imported, "*") == 0 ? none() : resolve_export(g, j, d->imported, 0);
      if (r.module) {
        /* reaches a package through local re-exports: the rules see that import */
        d->module = il_arena_strdup(f->arena, r.module);
        d->imported = il_arena_strdup(f->arena, r.name);
        f->imports_rewritten = true;
        continue;
      }
      if (!is_relative(d->module)) {
        /* an alias that names a file of the scan is not the package of that name */
        d->module = il_arena_strdup(f->arena, g->display.data[j]);
        f->imports_rewritten = true;
      }
      if (r.file < 0 || (uint32_t)r.file == i)
        continue;
      if (!counts[r.file])
        counts[r.file] = il_xcalloc(g->facts.data[r.file]->decls.len + 1, sizeof **counts);
      record_uses(g, i, &ui, (int32_t)k, r.file, r.decl, counts[r.file]);
    }
    use_index_free(&ui);
  }
  for (uint32_t i = 0; i < n; i++)
    free(counts[i]);
  free(counts);
}

/* ---- layers across files --------------------------------------------------------------- */

enum { MAX_LAYER_DEPTH = 64 };

/* One summary of a module-level binding (a rule's xlayers hook): strings and steps
 * point into the declaring file's arena, alive until phase 3. */
typedef struct {
  il_level level;
  const char *desc, *note;
  il_xuse steps[IL_XLAYER_STEPS]; /* decl -1; path: display path of the step's file */
  uint32_t n_steps;
} lsum;

typedef struct {
  il_modgraph *g;
  const il_kb *kb;
  const il_rule *rule;
  uint8_t *state;           /* by file: 0 not yet, 1 in progress, 2 done */
  strmap sum_of;            /* "file\x01decl" -> index in sums */
  IL_ARRAY(lsum) sums;
  uint32_t cur;             /* the file whose hook runs */
} layer_pass;

static void layer_emit(void *ctx, int32_t decl, const il_xlayer *x, const il_rel *rel,
                       uint32_t n_rel) {
  layer_pass *L = ctx;
  const il_facts *f = L->g->facts.data[L->cur];
  lsum s = {.level = x->level, .desc = x->desc, .note = x->note};
  for (uint32_t i = 0; i < n_rel && s.n_steps < IL_XLAYER_STEPS; i++) {
    const il_xuse *u = NULL; /* a step in another file: one of f's uses */
    for (uint32_t k = 0; k < f->xuses.len && !u; k++)
      if (f->xuses.data[k].message == rel[i].message)
        u = &f->xuses.data[k];
    il_xuse st;
    if (u) {
      st = *u;
    } else {
      il_location l = il_make_location(f, rel[i].span);
      st = (il_xuse){.decl = -1,
                     .path = L->g->display.data[L->cur],
                     .span = rel[i].span,
                     .start_col16 = l.start_col16,
                     .end_col16 = l.end_col16,
                     .message = rel[i].message};
    }
    st.decl = -1;
    st.in_handler = false;
    s.steps[s.n_steps++] = st;
  }
  if (!s.n_steps)
    return;
  char key[32];
  snprintf(key, sizeof key, "%u\x01%d", L->cur, decl);
  il_array_push(&L->sums, s);
  strmap_put(&L->sum_of, key, (int32_t)L->sums.len - 1);
  /* a member binding "Owner.prop" is also found by its owner and property */
  const il_decl *dp = &f->decls.data[decl];
  const char *dot = strchr(dp->name, '.');
  if (dp->kind == IL_DECL_FIELD && dp->owner >= 0 && dot) {
    char *mkey = il_xasprintf("%u\x01o%d\x01%s", L->cur, dp->owner, dot + 1);
    strmap_put(&L->sum_of, mkey, (int32_t)L->sums.len - 1);
    free(mkey);
  }
}

static void layers_of(layer_pass *L, uint32_t i, int depth);

/* The summary an import (or `Import.member`, member non-NULL) of file i leads to,
 * or -1; layers_of() has run on the file it comes from. */
static int32_t import_summary(layer_pass *L, uint32_t i, const il_decl *d, const char *member,
                              int depth) {
  il_modgraph *g = L->g;
  if (d->kind != IL_DECL_IMPORT || d->type_only || !d->module)
    return -1;
  bool star = strcmp(d->imported, "*") == 0;
  if (star && !member)
    return -1;
  int32_t j = resolve_spec(g, i, d->module, NULL);
  if (j < 0)
    return -1;
  /* `ns.DbLive` of `import * as ns`: the export DbLive */
  xres r = resolve_export(g, j, star ? member : d->imported, 0);
  if (r.file < 0 || (uint32_t)r.file == i)
    return -1;
  layers_of(L, (uint32_t)r.file, depth + 1);
  if (L->state[r.file] != 2)
    return -1; /* a cycle */
  char *key = star || !member ? il_xasprintf("%d\x01%d", r.file, r.decl)
                              : il_xasprintf("%d\x01o%d\x01%s", r.file, r.decl, member);
  int32_t si = strmap_get(&L->sum_of, key);
  free(key);
  return si;
}

/* Summarizes file i: first the layers its imports name (the files they come from
 * first, depth first; a file met again on the way is a cycle and gives nothing),
 * then, through the rule, its own exported bindings. */
static void layers_of(layer_pass *L, uint32_t i, int depth) {
  il_modgraph *g = L->g;
  il_facts *f = g->facts.data[i];
  if (L->state[i] || depth > MAX_LAYER_DEPTH)
    return; /* too deep: the importer goes without; the file is summarized on its own turn */
  if (!f || !f->lnodes.len) {
    L->state[i] = 2;
    return;
  }
  L->state[i] = 1;
  il_facts_resolve(f, L->kb);
  for (uint32_t n = 0; n < f->lnodes.len; n++) {
    const il_lnode *l = &f->lnodes.data[n];
    if (!l->is_name)
      continue;
    /* `DbLive`, or `Db.Live` / `ns.DbLive` where the root is an import */
    int32_t di = l->decl;
    const char *member = NULL;
    const char *dot = strchr(l->name, '.');
    if (di < 0 && dot && !strchr(dot + 1, '.')) {
      char *root = il_xasprintf("%.*s", (int)(dot - l->name), l->name);
      di = il_facts_lookup(f, l->scope, root);
      free(root);
      member = dot + 1;
    }
    if (di < 0)
      continue;
    const il_decl *d = &f->decls.data[di];
    if (d->kind != IL_DECL_IMPORT)
      continue;
    bool have = false;
    for (uint32_t k = 0; k < f->xlayers.len && !have; k++) {
      const il_xlayer *x = &f->xlayers.data[k];
      have = x->decl == di && (x->member ? member && strcmp(x->member, member) == 0 : !member);
    }
    if (have)
      continue;
    int32_t si = import_summary(L, i, d, member, depth);
    if (si < 0)
      continue;
    const lsum *s = &L->sums.data[si];
    il_xlayer x = {.decl = di,
                   .member = member ? il_arena_strdup(f->arena, member) : NULL,
                   .level = s->level,
                   .desc = il_arena_strdup(f->arena, s->desc),
                   .note = il_arena_strdup(f->arena, s->note)};
    for (uint32_t k = 0; k < s->n_steps; k++) {
      il_xuse u = s->steps[k];
      u.path = il_arena_strdup(f->arena, u.path);
      u.message = il_arena_strdup(f->arena, u.message); /* a fresh pointer per step */
      x.steps[x.n_steps++] = (int32_t)f->xuses.len;
      il_array_push(&f->xuses, u);
    }
    il_array_push(&f->xlayers, x);
  }
  L->cur = i;
  L->rule->xlayers(f, L, layer_emit);
  L->state[i] = 2;
}

void il_modgraph_layers(il_modgraph *g, const il_kb *kb) {
  const il_rule *rule = NULL;
  for (uint32_t i = 0; i < il_n_rules && !rule; i++)
    if (il_rules[i]->xlayers)
      rule = il_rules[i];
  uint32_t n = g->abs.len;
  if (!rule || !n)
    return;
  layer_pass L = {.g = g, .kb = kb, .rule = rule};
  L.state = il_xcalloc(n, 1);
  for (uint32_t i = 0; i < n; i++)
    layers_of(&L, i, 0);
  free(L.state);
  strmap_free(&L.sum_of);
  il_array_free(&L.sums);
}

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
  if (!read_all(path, &data, &len))
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
    if (stat_p(g, p, &st) == 0 && S_ISREG(st.st_mode)) {
      found = p;
      t = IL_TARGET_WORKERS;
      what = "a Wrangler configuration";
    } else {
      free(p);
    }
  }
  for (const char *const *n = preset_files; !found && *n; n++) {
    char *p = il_path_dir_file(dir, *n);
    char *text = stat_p(g, p, &st) == 0 && S_ISREG(st.st_mode) ? read_text(p) : NULL;
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
    char *text = stat_p(g, p, &st) == 0 && S_ISREG(st.st_mode) ? read_text(p) : NULL;
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
    if (stat_p(g, p, &st) == 0 && S_ISREG(st.st_mode)) {
      found = p;
      t = IL_TARGET_NODE;
      what = "a Vercel configuration";
    } else {
      free(p);
    }
  }
  if (!found)
    return -1;
  il_target_signal s = {t, found, what};
  il_array_push(&g->signals, s);
  return (int32_t)g->signals.len - 1;
}

/* The nearest signal walking up from dir, -1 none (cached per directory). */
static int32_t signal_for_dir(il_modgraph *g, const char *dir) {
  int32_t *known = strmap_slot(&g->signal_of_dir, dir, false);
  if (known)
    return *known;
  int32_t r = dir_signal(g, dir);
  if (r < 0 && strcmp(dir, "/") != 0) {
    char *up = il_path_dir_of(dir);
    r = signal_for_dir(g, up);
    free(up);
  }
  strmap_put(&g->signal_of_dir, dir, r);
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
  *signal = &g->signals.data[s];
  return g->signals.data[s].target;
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
    char *strict = strip_jsonc(text, strlen(text));
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
      visit(ctx, resolve_spec(g, u, g->lex.data[u].data[k], NULL), none_span, -1);
    return;
  }
  for (uint32_t k = 0; k < f->decls.len; k++) {
    const il_decl *d = &f->decls.data[k];
    if (d->kind == IL_DECL_IMPORT && d->module && !d->type_only)
      visit(ctx, resolve_spec(g, u, d->module, NULL), d->span, (int32_t)k);
  }
  for (uint32_t k = 0; k < f->exports.len; k++)
    if (f->exports.data[k].module && !f->exports.data[k].type_only)
      visit(ctx, resolve_spec(g, u, f->exports.data[k].module, NULL), f->exports.data[k].span,
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
    const il_target_signal *sig = &g->signals.data[s];
    const char *base = strrchr(sig->path, '/');
    base = base ? base + 1 : sig->path;
    if (strncmp(base, "wrangler.", 9) != 0)
      continue;
    char *main_rel = wrangler_main(sig->path);
    if (!main_rel)
      continue;
    char *dir = il_path_dir_of(sig->path);
    char *main_abs = il_path_join_norm(dir, main_rel);
    int32_t e = probe_module(g, main_abs, NULL);
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
