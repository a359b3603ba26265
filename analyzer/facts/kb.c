/* The knowledge base of client libraries: rows loaded from JSON with jansson. */
#define _GNU_SOURCE 1 /* memmem */
#include "facts/kb.h"

#include <dirent.h>
#include <fnmatch.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct il_kb {
  IL_ARRAY(il_kb_row) rows;
  il_arena *arena;
  /* prefilter index: exact module names (hash set) and the literal parts of globs */
  const char **names;
  uint32_t names_cap;
  uint32_t names_rows; /* rows.len when the index was built */
  IL_ARRAY(const char *) globs;
  uint8_t unknown_calls; /* il_hold */
};

il_kb *il_kb_new(void) {
  il_kb *kb = il_xcalloc(1, sizeof *kb);
  kb->arena = il_arena_new();
  return kb;
}

void il_kb_free(il_kb *kb) {
  if (!kb)
    return;
  free(kb->names);
  il_array_free(&kb->globs);
  il_array_free(&kb->rows);
  il_arena_free(kb->arena);
  free(kb);
}

uint32_t il_kb_count(const il_kb *kb) { return kb->rows.len; }
void il_kb_set_unknown_calls(il_kb *kb, uint8_t hold) { kb->unknown_calls = hold; }
uint8_t il_kb_unknown_calls(const il_kb *kb) { return kb ? kb->unknown_calls : 0; }
const il_kb_row *il_kb_row_at(const il_kb *kb, uint32_t i) { return &kb->rows.data[i]; }

static uint32_t hash_bytes(const char *s, size_t n) { return il_fnv32(IL_FNV32_INIT, s, n); }

/* Rebuilds the prefilter index after rows were added. */
static void index_rows(il_kb *kb) {
  free(kb->names);
  kb->globs.len = 0;
  uint32_t cap = 64;
  while (cap < kb->rows.len * 2 + 1)
    cap *= 2;
  kb->names = il_xcalloc(cap, sizeof *kb->names);
  kb->names_cap = cap;
  kb->names_rows = kb->rows.len;
  for (uint32_t i = 0; i < kb->rows.len; i++) {
    const char *m = kb->rows.data[i].module;
    if (kb->rows.data[i].c)
      continue; /* C rows are matched by function name, not by a module string */
    if (strchr(m, '*')) {
      il_array_push(&kb->globs, m);
      continue;
    }
    uint32_t h = hash_bytes(m, strlen(m)) & (cap - 1);
    while (kb->names[h] && strcmp(kb->names[h], m) != 0)
      h = (h + 1) & (cap - 1);
    kb->names[h] = m;
  }
}

static bool known_module(const il_kb *kb, const char *s, size_t n) {
  uint32_t mask = kb->names_cap - 1;
  for (uint32_t h = hash_bytes(s, n) & mask; kb->names[h]; h = (h + 1) & mask)
    if (strncmp(kb->names[h], s, n) == 0 && kb->names[h][n] == '\0')
      return true;
  if (kb->globs.len) {
    char buf[256];
    memcpy(buf, s, n);
    buf[n] = '\0';
    for (uint32_t i = 0; i < kb->globs.len; i++)
      if (fnmatch(kb->globs.data[i], buf, 0) == 0)
        return true;
  }
  return false;
}

/* Is the string at text[q] (its opening quote) a module specifier: after `from`,
 * `import`, `import(`, `require(` (white space and parentheses between)? */
static bool after_import_word(const char *text, const char *q) {
  const char *j = q;
  while (j > text && (j[-1] == ' ' || j[-1] == '\t' || j[-1] == '\n' || j[-1] == '\r' ||
                      j[-1] == '('))
    j--;
  size_t n = (size_t)(j - text);
  return (n >= 4 && memcmp(j - 4, "from", 4) == 0) ||
         (n >= 6 && memcmp(j - 6, "import", 6) == 0) ||
         (n >= 7 && memcmp(j - 7, "require", 7) == 0);
}

bool il_kb_imported(const il_kb *kb, const char *text, size_t len) {
  if (!kb->names)
    return false;
  const char *end = text + len;
  for (const char *p = text; p < end; p++) {
    char q = *p;
    if (q != '"' && q != '\'' && q != '`')
      continue;
    const char *s = p + 1, *e = s;
    while (e < end && *e != q && *e != '\n' && e - s < 200)
      e++;
    if (e < end && *e == q && e > s && after_import_word(text, p) &&
        known_module(kb, s, (size_t)(e - s)))
      return true;
    p = e < end && *e == q ? e : p;
  }
  return false;
}

static bool glob_eq(const char *pattern, const char *s) {
  if (!strchr(pattern, '*'))
    return strcmp(pattern, s) == 0;
  return fnmatch(pattern, s, 0) == 0;
}

const il_kb_row *il_kb_lookup(const il_kb *kb, const char *module, const char *export_path,
                              bool is_new) {
  /* most constructions are of modules no row names: the hash set (and the few
   * globs) answer that without comparing every row */
  size_t mlen = strlen(module);
  if (kb->names && kb->names_rows == kb->rows.len && mlen < 256 &&
      !known_module(kb, module, mlen))
    return NULL;
  for (uint32_t i = kb->rows.len; i-- > 0;) {
    const il_kb_row *r = &kb->rows.data[i];
    if (r->c || (r->module[0] != module[0] && r->module[0] != '*'))
      continue;
    if (!glob_eq(r->module, module) || !glob_eq(r->export, export_path))
      continue;
    if ((r->form == IL_FORM_NEW && !is_new) || (r->form == IL_FORM_CALL && is_new))
      continue;
    return r;
  }
  return NULL;
}

const il_kb_row *il_kb_lookup_c(const il_kb *kb, const char *name) {
  for (uint32_t i = kb->rows.len; i-- > 0;) {
    const il_kb_row *r = &kb->rows.data[i];
    if (r->c && glob_eq(r->export, name))
      return r;
  }
  return NULL;
}

bool il_kb_c_mentioned(const il_kb *kb, const char *text, size_t len) {
  for (uint32_t i = 0; i < kb->rows.len; i++) {
    const il_kb_row *r = &kb->rows.data[i];
    if (!r->c)
      continue;
    const char *star = strchr(r->export, '*');
    size_t n = star ? (size_t)(star - r->export) : strlen(r->export);
    if (n == 0 || memmem(text, len, r->export, n))
      return true;
  }
  return false;
}

static const char *const row_keys[] = {"module", "export", "form", "name", "io", "level",
                                       "inherits", "why", "source", "lang", "out_arg",
                                       "handle",   NULL};

static bool load_row(il_kb *kb, json_t *row, const char *origin, size_t idx, char **err) {
  if (!json_is_object(row)) {
    *err = il_xasprintf("%s: clients[%zu] is not an object", origin, idx);
    return false;
  }
  const char *key;
  json_t *val;
  json_object_foreach(row, key, val) {
    bool known = false;
    for (const char *const *k = row_keys; *k; k++)
      known |= strcmp(*k, key) == 0;
    if (!known) {
      *err = il_xasprintf("%s: clients[%zu]: unknown key \"%s\"", origin, idx, key);
      return false;
    }
    bool is_bool = strcmp(key, "inherits") == 0, is_int = strcmp(key, "out_arg") == 0;
    if (is_bool ? !json_is_boolean(val)
                : is_int ? !json_is_integer(val) || json_integer_value(val) < 0 ||
                               json_integer_value(val) > 64
                         : !json_is_string(val)) {
      *err = il_xasprintf("%s: clients[%zu].%s must be a %s", origin, idx, key,
                          is_bool  ? "boolean"
                          : is_int ? "argument index (0 to 64)"
                                   : "string");
      return false;
    }
  }
  il_kb_row r = {0};
  const char *module = json_string_value(json_object_get(row, "module"));
  const char *export = json_string_value(json_object_get(row, "export"));
  if (!module || !*module || !export || !*export) {
    *err = il_xasprintf("%s: clients[%zu] needs \"module\" and \"export\"", origin, idx);
    return false;
  }
  r.module = il_arena_strdup(kb->arena, module);
  r.export = il_arena_strdup(kb->arena, export);
  const char *lang = json_string_value(json_object_get(row, "lang"));
  if (lang && strcmp(lang, "c") != 0 && strcmp(lang, "ts") != 0) {
    *err = il_xasprintf("%s: clients[%zu].lang must be \"c\" or \"ts\", not \"%s\"", origin, idx,
                        lang);
    return false;
  }
  r.out_arg = -1;
  json_t *out_arg = json_object_get(row, "out_arg");
  const char *form = json_string_value(json_object_get(row, "form"));
  /* an out-parameter is a C idea: "out_arg" implies "form": "out-param" and C */
  r.c = lang ? strcmp(lang, "c") == 0 : out_arg != NULL;
  if ((form && strcmp(form, "out-param") == 0) || (out_arg && !form)) {
    if (!r.c || !out_arg) {
      *err = il_xasprintf("%s: clients[%zu]: \"form\": \"out-param\" needs \"lang\": \"c\" and "
                          "\"out_arg\"",
                          origin, idx);
      return false;
    }
    r.out_arg = (int32_t)json_integer_value(out_arg);
    r.form = IL_FORM_CALL;
  } else if (out_arg) {
    *err = il_xasprintf("%s: clients[%zu].out_arg needs \"form\": \"out-param\"", origin, idx);
    return false;
  } else if (!form || strcmp(form, "any") == 0)
    r.form = IL_FORM_ANY;
  else if (strcmp(form, "new") == 0)
    r.form = IL_FORM_NEW;
  else if (strcmp(form, "call") == 0)
    r.form = IL_FORM_CALL;
  else {
    *err = il_xasprintf("%s: clients[%zu].form must be \"new\", \"call\", \"any\" or "
                        "\"out-param\", not \"%s\"",
                        origin, idx, form);
    return false;
  }
  const char *level = json_string_value(json_object_get(row, "level"));
  if (!level)
    r.level = IL_LEVEL_ERROR;
  else if (!il_level_parse(level, &r.level) || r.level == IL_LEVEL_OFF) {
    *err = il_xasprintf("%s: clients[%zu].level must be \"error\", \"warning\" or \"note\", not "
                        "\"%s\"",
                        origin, idx, level);
    return false;
  }
  const char *name = json_string_value(json_object_get(row, "name"));
  r.name = il_arena_strdup(kb->arena, name ? name : export);
  const char *io = json_string_value(json_object_get(row, "io"));
  r.io = il_arena_strdup(kb->arena, io ? io : "tcp");
  const char *why = json_string_value(json_object_get(row, "why"));
  r.why = why ? il_arena_strdup(kb->arena, why) : NULL;
  r.inherits = json_is_true(json_object_get(row, "inherits"));
  const char *handle = json_string_value(json_object_get(row, "handle"));
  r.handle = handle ? il_arena_strdup(kb->arena, handle) : NULL;
  r.source = il_arena_strdup(kb->arena, origin);
  il_array_push(&kb->rows, r);
  return true;
}

bool il_kb_load_json_value(il_kb *kb, void *clients_array, const char *origin, char **err) {
  json_t *clients = clients_array;
  size_t i;
  json_t *row;
  json_array_foreach(clients, i, row) {
    if (!load_row(kb, row, origin, i, err))
      return false;
  }
  index_rows(kb);
  return true;
}

static bool load_json(il_kb *kb, json_t *root, const char *origin, char **err) {
  json_t *clients = json_is_object(root) ? json_object_get(root, "clients") : NULL;
  if (!json_is_array(clients)) {
    *err = il_xasprintf("%s: expected an object with a \"clients\" array", origin);
    return false;
  }
  return il_kb_load_json_value(kb, clients, origin, err);
}

bool il_kb_load_text(il_kb *kb, const char *text, const char *origin, char **err) {
  json_error_t je;
  json_t *root = json_loads(text, 0, &je);
  if (!root) {
    *err = il_xasprintf("%s:%d:%d: invalid JSON: %s", origin, je.line, je.column, je.text);
    return false;
  }
  bool ok = load_json(kb, root, origin, err);
  json_decref(root);
  return ok;
}

bool il_kb_load_file(il_kb *kb, const char *path, char **err) {
  json_error_t je;
  json_t *root = json_load_file(path, 0, &je);
  if (!root) {
    *err = il_xasprintf("%s:%d:%d: %s", path, je.line, je.column, je.text);
    return false;
  }
  bool ok = load_json(kb, root, path, err);
  json_decref(root);
  return ok;
}

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

bool il_kb_load_dir(il_kb *kb, const char *dir, char **err) {
  DIR *d = opendir(dir);
  if (!d) {
    *err = il_xasprintf("%s: cannot open the knowledge base directory", dir);
    return false;
  }
  IL_ARRAY(char *) names = {0};
  struct dirent *e;
  while ((e = readdir(d))) {
    size_t n = strlen(e->d_name);
    if (n > 5 && strcmp(e->d_name + n - 5, ".json") == 0)
      il_array_push(&names, il_xasprintf("%s/%s", dir, e->d_name));
  }
  closedir(d);
  if (names.len)
    qsort(names.data, names.len, sizeof *names.data, cmp_str);
  bool ok = names.len > 0;
  if (!ok)
    *err = il_xasprintf("%s: no knowledge base files (*.json) found", dir);
  for (uint32_t i = 0; i < names.len; i++) {
    if (ok && !il_kb_load_file(kb, names.data[i], err))
      ok = false;
    free(names.data[i]);
  }
  il_array_free(&names);
  return ok;
}
