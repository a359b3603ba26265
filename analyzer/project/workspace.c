/* Workspace packages imported by name (`import { db } from "@acme/db"`): the
 * workspace above the importing file (pnpm-workspace.yaml `packages`, or package.json
 * `workspaces`, an array or { packages: [...] }), its member packages by their
 * package.json name, and the file a specifier names through the member's package.json
 * `exports` (conditions as Wrangler's esbuild build picks them for a Worker: workerd,
 * worker, browser, import, module, default), `module`, `main`, or its index. */
#include <dirent.h>
#include <fnmatch.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/path.h"
#include "project/graph_int.h"

enum { WS_NONE = -1, WS_UNKNOWN = -2, MAX_GLOB_DEPTH = 6, MAX_MEMBERS = 4096 };

struct il_workspace {
  char *root;
  il_strmap names; /* package name -> index into dirs */
  il_path_list dirs;
  IL_ARRAY(json_t *) manifests; /* per dir: its package.json */
};

static json_t *load_json(const char *path) {
  char *text;
  size_t len;
  if (!il_mg_read_all(path, &text, &len))
    return NULL;
  char *strict = il_mg_strip_jsonc(text, len);
  free(text);
  json_error_t je;
  json_t *j = json_loads(strict, JSON_ALLOW_NUL, &je);
  free(strict);
  if (j && !json_is_object(j)) {
    json_decref(j);
    j = NULL;
  }
  return j;
}

/* The patterns of pnpm-workspace.yaml's `packages:` (a block list or a flow list),
 * malloc'd strings pushed onto out. */
static void pnpm_patterns(const char *text, il_path_list *out) {
  const char *p = strstr(text, "packages:");
  while (p && p != text && p[-1] != '\n')
    p = strstr(p + 1, "packages:");
  if (!p)
    return;
  p += 9;
  bool flow = false;
  for (const char *q = p; *q && *q != '\n'; q++)
    if (*q == '[') {
      flow = true;
      p = q + 1;
      break;
    }
  if (!flow) {
    p = strchr(p, '\n');
    p = p ? p + 1 : NULL;
  }
  while (p && *p) {
    const char *nl = strchr(p, '\n'), *e = nl ? nl : p + strlen(p);
    const char *s = p;
    while (s < e && (*s == ' ' || *s == '\t'))
      s++;
    if (!flow && s < e && *s != '-' && *s != '#')
      break; /* the next key */
    if (!flow && s < e && *s == '-')
      s++;
    /* one item (block) or the items of the line (flow) */
    for (const char *a = s; a < e;) {
      while (a < e && (*a == ' ' || *a == '\t' || *a == ','))
        a++;
      if (a >= e || *a == '#' || (flow && *a == ']'))
        break;
      const char *b;
      if (*a == '"' || *a == '\'') {
        b = memchr(a + 1, *a, (size_t)(e - a - 1));
        if (!b)
          break;
        if (b > a + 1)
          il_array_push(out, il_xasprintf("%.*s", (int)(b - a - 1), a + 1));
        a = b + 1;
      } else {
        b = a;
        while (b < e && *b != ',' && *b != ']' && *b != '#' && *b != ' ' && *b != '\t' &&
               *b != '\r')
          b++;
        if (b > a)
          il_array_push(out, il_xasprintf("%.*s", (int)(b - a), a));
        a = b;
      }
      if (!flow)
        break;
    }
    if (flow && memchr(p, ']', (size_t)(e - p)))
      break;
    p = nl ? nl + 1 : NULL;
  }
}

static bool excluded(const char *rel, const il_path_list *neg) {
  for (uint32_t k = 0; k < neg->len; k++)
    if (fnmatch(neg->data[k], rel, 0) == 0)
      return true;
  return false;
}

static void add_member(il_workspace *w, const char *dir, const il_path_list *neg) {
  if (w->dirs.len >= MAX_MEMBERS)
    return;
  const char *rel = strcmp(dir, w->root) == 0 ? "." : dir + strlen(w->root) + 1;
  if (excluded(rel, neg))
    return;
  /* a member linked out of the workspace is not read */
  char *real = realpath(dir, NULL), *real_root = realpath(w->root, NULL);
  bool inside = real && real_root && il_mg_under(real, real_root);
  free(real);
  free(real_root);
  if (!inside)
    return;
  char *pj = il_path_dir_file(dir, "package.json");
  json_t *j = load_json(pj);
  free(pj);
  json_t *name = j ? json_object_get(j, "name") : NULL;
  if (json_is_string(name) && json_string_value(name)[0] &&
      !il_mg_strmap_slot(&w->names, json_string_value(name), false)) {
    il_mg_strmap_put(&w->names, json_string_value(name), (int32_t)w->dirs.len);
    il_array_push(&w->dirs, il_xstrdup(dir));
    il_array_push(&w->manifests, j);
    return;
  }
  json_decref(j);
}

/* The directories below dir matching the pattern's segments seg[0..n) (`*`, `**` and
 * fnmatch wildcards within a segment); members are added as found. */
static void expand(il_workspace *w, const char *dir, char **seg, uint32_t n, int depth,
                   const il_path_list *neg) {
  if (depth > MAX_GLOB_DEPTH + 8)
    return;
  if (!n) {
    add_member(w, dir, neg);
    return;
  }
  bool wild = strpbrk(seg[0], "*?[") != NULL;
  if (!wild) {
    char *sub = il_path_dir_file(dir, seg[0]);
    expand(w, sub, seg + 1, n - 1, depth + 1, neg);
    free(sub);
    return;
  }
  bool globstar = strcmp(seg[0], "**") == 0;
  if (globstar)
    expand(w, dir, seg + 1, n - 1, depth + 1, neg); /* ** matches no directory too */
  DIR *dh = opendir(dir);
  IL_ARRAY(char *) names = {0};
  for (struct dirent *de; dh && (de = readdir(dh)) != NULL;) {
    if (de->d_name[0] == '.' || strcmp(de->d_name, "node_modules") == 0)
      continue;
    if (de->d_type != DT_DIR && de->d_type != DT_UNKNOWN && de->d_type != DT_LNK)
      continue;
    if (globstar || fnmatch(seg[0], de->d_name, FNM_PERIOD) == 0)
      il_array_push(&names, il_xstrdup(de->d_name));
  }
  if (dh)
    closedir(dh);
  if (names.len > 1)
    qsort(names.data, names.len, sizeof *names.data, il_cmp_cstr);
  for (uint32_t k = 0; k < names.len; k++) {
    char *sub = il_path_dir_file(dir, names.data[k]);
    struct stat st;
    if (stat(sub, &st) == 0 && S_ISDIR(st.st_mode)) {
      if (globstar && depth < MAX_GLOB_DEPTH)
        expand(w, sub, seg, n, depth + 1, neg); /* ** goes on down */
      else if (!globstar)
        expand(w, sub, seg + 1, n - 1, depth + 1, neg);
    }
    free(sub);
    free(names.data[k]);
  }
  il_array_free(&names);
}

/* The workspace rooted at dir, or NULL when dir holds none. */
static il_workspace *load_workspace(il_modgraph *g, const char *dir) {
  il_path_list pats = {0};
  char *py = il_path_dir_file(dir, "pnpm-workspace.yaml");
  struct stat st;
  bool found = false;
  if (il_mg_stat_p(g, py, &st) == 0 && S_ISREG(st.st_mode)) {
    char *text;
    size_t len;
    if (il_mg_read_all(py, &text, &len)) {
      text = il_xrealloc(text, len + 1);
      text[len] = '\0';
      pnpm_patterns(text, &pats);
      free(text);
      found = true;
    }
  }
  free(py);
  if (!found) {
    char *pj = il_path_dir_file(dir, "package.json");
    json_t *j = il_mg_stat_p(g, pj, &st) == 0 ? load_json(pj) : NULL;
    free(pj);
    json_t *ws = j ? json_object_get(j, "workspaces") : NULL;
    if (json_is_object(ws))
      ws = json_object_get(ws, "packages");
    if (json_is_array(ws)) {
      found = true;
      size_t i;
      json_t *v;
      json_array_foreach(ws, i, v) {
        if (json_is_string(v) && json_string_value(v)[0])
          il_array_push(&pats, il_xstrdup(json_string_value(v)));
      }
    }
    json_decref(j);
  }
  if (!found)
    return NULL;
  il_workspace *w = il_xcalloc(1, sizeof *w);
  w->root = il_xstrdup(dir);
  il_path_list neg = {0};
  for (uint32_t k = 0; k < pats.len; k++) {
    const char *p = pats.data[k];
    if (p[0] == '!') {
      const char *q = p + 1;
      while (q[0] == '.' && q[1] == '/')
        q += 2;
      il_array_push(&neg, il_xstrdup(q));
    }
  }
  add_member(w, dir, &neg); /* the root package */
  for (uint32_t k = 0; k < pats.len; k++) {
    char *p = pats.data[k];
    if (p[0] != '!' && !strstr(p, "..")) {
      while (p[0] == '.' && p[1] == '/')
        p += 2;
      IL_ARRAY(char *) seg = {0};
      char *save = NULL;
      for (char *s = strtok_r(p, "/", &save); s; s = strtok_r(NULL, "/", &save))
        if (*s)
          il_array_push(&seg, s);
      expand(w, dir, seg.data, seg.len, 0, &neg);
      il_array_free(&seg);
    }
    free(pats.data[k]);
  }
  il_array_free(&pats);
  for (uint32_t k = 0; k < neg.len; k++)
    free(neg.data[k]);
  il_array_free(&neg);
  return w;
}

void il_mg_workspace_free(il_workspace *w) {
  if (!w)
    return;
  free(w->root);
  il_mg_strmap_free(&w->names);
  for (uint32_t k = 0; k < w->dirs.len; k++) {
    free(w->dirs.data[k]);
    json_decref(w->manifests.data[k]);
  }
  il_array_free(&w->dirs);
  il_array_free(&w->manifests);
  free(w);
}

/* The workspace whose root is dir or above it, WS_NONE (cached per directory). */
static int32_t workspace_for_dir(il_modgraph *g, const char *dir) {
  int32_t *known = il_mg_strmap_slot(&g->ws_of_dir, dir, false);
  if (known)
    return *known;
  int32_t r = WS_NONE;
  il_workspace *w = load_workspace(g, dir);
  if (w) {
    il_array_push(&g->workspaces, w);
    r = (int32_t)g->workspaces.len - 1;
  } else if (strcmp(dir, "/") != 0) {
    char *up = il_path_dir_of(dir);
    r = workspace_for_dir(g, up);
    free(up);
  }
  il_mg_strmap_put(&g->ws_of_dir, dir, r);
  return r;
}

/* A condition Wrangler's build of a Worker resolves. */
static bool active(const char *cond) {
  static const char *const conds[] = {"workerd", "worker", "browser", "import",
                                      "module",  "default", NULL};
  for (const char *const *c = conds; *c; c++)
    if (strcmp(cond, *c) == 0)
      return true;
  return false;
}

/* The target of an exports value: a string, the first of an array that gives one, or
 * the first active condition of an object (in the object's order; `types` only with
 * types, for packages whose code entries are build output the scan does not read). */
static const char *target_of(json_t *v, bool types, int depth) {
  if (depth > 8)
    return NULL;
  if (json_is_string(v))
    return json_string_value(v);
  if (json_is_array(v)) {
    size_t i;
    json_t *x;
    json_array_foreach(v, i, x) {
      const char *t = target_of(x, types, depth + 1);
      if (t)
        return t;
    }
    return NULL;
  }
  if (!json_is_object(v))
    return NULL;
  const char *k;
  json_t *x;
  json_object_foreach(v, k, x) {
    if (types ? strcmp(k, "types") == 0 : active(k)) {
      const char *t = target_of(x, types, depth + 1);
      if (t)
        return t;
    }
    if (types && json_is_object(x)) { /* { "import": { "types": ... } } */
      const char *t = target_of(x, types, depth + 1);
      if (t)
        return t;
    }
  }
  return NULL;
}

/* The exports entry for subpath ("." or "./x"): exact, or a `*` pattern (the longest
 * prefix), the part `*` matched in *star (malloc'd). */
static json_t *exports_entry(json_t *ex, const char *subpath, char **star) {
  *star = NULL;
  if (json_is_string(ex) || json_is_array(ex))
    return strcmp(subpath, ".") == 0 ? ex : NULL;
  if (!json_is_object(ex))
    return NULL;
  const char *k;
  json_t *v;
  bool keys = false;
  json_object_foreach(ex, k, v) {
    keys |= k[0] == '.';
  }
  if (!keys) /* conditions only: the "." entry */
    return strcmp(subpath, ".") == 0 ? ex : NULL;
  json_t *e = json_object_get(ex, subpath);
  if (e)
    return e;
  size_t best = 0, sn = strlen(subpath);
  json_object_foreach(ex, k, v) {
    const char *st = strchr(k, '*');
    if (!st)
      continue;
    size_t pl = (size_t)(st - k), sl = strlen(st + 1);
    if (sn >= pl + sl && strncmp(subpath, k, pl) == 0 && strcmp(subpath + sn - sl, st + 1) == 0 &&
        pl >= best) {
      best = pl;
      e = v;
      free(*star);
      *star = il_xasprintf("%.*s", (int)(sn - pl - sl), subpath + pl);
    }
  }
  return e;
}

static int32_t probe_target(il_modgraph *g, const char *dir, const char *t, const char *star,
                            il_path_list *missing) {
  if (!t || strstr(t, "..") || strstr(t, ".d.ts") || strstr(t, ".d.mts") || strstr(t, ".d.cts"))
    return -1;
  char *rel;
  const char *st = star ? strchr(t, '*') : NULL;
  rel = st ? il_xasprintf("%.*s%s%s", (int)(st - t), t, star, st + 1) : il_xstrdup(t);
  char *abs = il_path_join_norm(dir, rel);
  int32_t r = il_mg_probe_module(g, abs, missing);
  free(abs);
  free(rel);
  return r;
}

int32_t il_mg_resolve_workspace(il_modgraph *g, uint32_t i, const char *spec,
                                il_path_list *missing) {
  if (!spec[0] || spec[0] == '#' || strchr(spec, ':'))
    return -1;
  /* the package name: "name" or "@scope/name", then the subpath */
  const char *slash = strchr(spec, '/');
  if (spec[0] == '@')
    slash = slash ? strchr(slash + 1, '/') : NULL;
  size_t nn = slash ? (size_t)(slash - spec) : strlen(spec);
  if (nn == 0 || nn > 214)
    return -1;
  while (g->wsp.len < g->abs.len)
    il_array_push(&g->wsp, WS_UNKNOWN);
  if (g->wsp.data[i] == WS_UNKNOWN) {
    char *dir = il_path_dir_of(g->abs.data[i]);
    g->wsp.data[i] = workspace_for_dir(g, dir);
    free(dir);
  }
  if (g->wsp.data[i] < 0)
    return -1;
  il_workspace *w = g->workspaces.data[g->wsp.data[i]];
  char name[216];
  memcpy(name, spec, nn);
  name[nn] = '\0';
  int32_t m = il_mg_strmap_get(&w->names, name);
  if (m < 0)
    return -1;
  const char *dir = w->dirs.data[m];
  json_t *pj = w->manifests.data[m];
  char *subpath = slash ? il_xasprintf(".%s", slash) : il_xstrdup(".");
  int32_t r = -1;
  json_t *ex = pj ? json_object_get(pj, "exports") : NULL;
  if (ex) {
    char *star;
    json_t *e = exports_entry(ex, subpath, &star);
    r = probe_target(g, dir, target_of(e, false, 0), star, missing);
    if (r < 0) /* the code is build output: the source its types name */
      r = probe_target(g, dir, target_of(e, true, 0), star, missing);
    free(star);
  } else if (slash) {
    r = probe_target(g, dir, subpath, NULL, missing);
  } else {
    static const char *const fields[] = {"module", "main", NULL};
    for (const char *const *f = fields; r < 0 && *f; f++) {
      json_t *v = pj ? json_object_get(pj, *f) : NULL;
      if (json_is_string(v))
        r = probe_target(g, dir, json_string_value(v), NULL, missing);
    }
    json_t *ty = r < 0 && pj ? json_object_get(pj, "types") : NULL;
    if (json_is_string(ty))
      r = probe_target(g, dir, json_string_value(ty), NULL, missing);
    if (r < 0)
      r = probe_target(g, dir, "./index", NULL, missing);
  }
  free(subpath);
  return r;
}

void il_mg_workspace_prefixes(il_modgraph *g, const char *abs, int32_t c,
                              const char *const **prefixes, uint32_t *n) {
  char *dir = il_path_dir_of(abs);
  int32_t w = workspace_for_dir(g, dir);
  free(dir);
  if (w < 0 || !g->workspaces.data[w]->dirs.len)
    return;
  char key[32];
  snprintf(key, sizeof key, "%d:%d", c, w);
  int32_t k = il_mg_strmap_get(&g->ws_prefixes, key);
  if (k < 0) {
    il_path_list l = {0};
    for (uint32_t i = 0; i < *n; i++)
      il_array_push(&l, (char *)(*prefixes)[i]);
    const il_workspace *ws = g->workspaces.data[w];
    for (uint32_t i = 0; i < ws->names.cap; i++)
      if (ws->names.keys[i])
        il_array_push(&l, ws->names.keys[i]);
    il_array_push(&g->ws_lists, l);
    k = (int32_t)g->ws_lists.len - 1;
    il_mg_strmap_put(&g->ws_prefixes, key, k);
  }
  *prefixes = (const char *const *)g->ws_lists.data[k].data;
  *n = g->ws_lists.data[k].len;
}
