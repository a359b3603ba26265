/* Configuration: the built-in knowledge base plus a user's isolint.json. */
#include "core/run.h"

#include <assert.h>
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/jsonc.h"
#include "base/path.h"
#include "core/config_int.h"
#include "rules/rule.h"

static bool is_dir(const char *p) {
  struct stat st;
  return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

const char *il_kb_default_dir(void) {
  const char *env = getenv("ISOLINT_KB_DIR");
  if (env && *env)
    return env;
  /* next to the executable's prefix when installed, else the source tree */
  static char exe_rel[4200];
  char exe[4096];
  ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (n > 0) {
    exe[n] = '\0';
    char *slash = strrchr(exe, '/');
    if (slash) {
      *slash = '\0';
      snprintf(exe_rel, sizeof exe_rel, "%s/../share/isolint/kb", exe);
      if (is_dir(exe_rel))
        return exe_rel;
    }
  }
  if (is_dir(IL_SOURCE_KB_DIR))
    return IL_SOURCE_KB_DIR;
  return IL_INSTALL_KB_DIR;
}

bool il_config_init(il_config *cfg, const char *kb_dir, char **err) {
  memset(cfg, 0, sizeof *cfg);
  memset(cfg->rule_level, -1, sizeof cfg->rule_level);
  cfg->max_file_size = IL_DEFAULT_MAX_FILE_SIZE;
  cfg->parse_timeout_ms = IL_DEFAULT_PARSE_TIMEOUT_MS;
  cfg->node_code = IL_CODE_ALL;
  cfg->kb = il_kb_new();
  bool ok = il_kb_load_dir(cfg->kb, kb_dir ? kb_dir : il_kb_default_dir(), err);
  cfg->n_builtin_clients = il_kb_count(cfg->kb);
  return ok;
}

static void globs_free(void *array) {
  IL_ARRAY(il_glob) *a = array;
  for (uint32_t i = 0; i < a->len; i++) {
    free(a->data[i].pat);
    free(a->data[i].base);
  }
  il_array_free(a);
}

static void strings_free(void *array) {
  IL_ARRAY(char *) *a = array;
  for (uint32_t i = 0; i < a->len; i++)
    free(a->data[i]);
  il_array_free(a);
}

void il_config_fini(il_config *cfg) {
  if (!cfg->kb_borrowed)
    il_kb_free(cfg->kb);
  free(cfg->compile_commands);
  free(cfg->docs_url);
  globs_free(&cfg->includes);
  globs_free(&cfg->excludes);
  strings_free(&cfg->handlers);
  strings_free(&cfg->sources);
  free(cfg->path);
  memset(cfg, 0, sizeof *cfg);
}

static char *dup_or_null(const char *s) {
  return s ? il_xstrdup(s) : NULL;
}

static void globs_copy(void *dst_array, const void *src_array) {
  IL_ARRAY(il_glob) *dst = dst_array;
  const IL_ARRAY(il_glob) *src = src_array;
  for (uint32_t i = 0; i < src->len; i++) {
    il_glob g = {il_xstrdup(src->data[i].pat), dup_or_null(src->data[i].base)};
    il_array_push(dst, g);
  }
}

static void strings_copy(void *dst_array, const void *src_array) {
  IL_ARRAY(char *) *dst = dst_array;
  const IL_ARRAY(char *) *src = src_array;
  for (uint32_t i = 0; i < src->len; i++)
    il_array_push(dst, il_xstrdup(src->data[i]));
}

void il_config_copy(il_config *dst, const il_config *src) {
  *dst = *src;
  dst->kb_borrowed = true;
  memset(&dst->includes, 0, sizeof dst->includes);
  memset(&dst->excludes, 0, sizeof dst->excludes);
  memset(&dst->handlers, 0, sizeof dst->handlers);
  memset(&dst->sources, 0, sizeof dst->sources);
  globs_copy(&dst->includes, &src->includes);
  globs_copy(&dst->excludes, &src->excludes);
  strings_copy(&dst->handlers, &src->handlers);
  strings_copy(&dst->sources, &src->sources);
  dst->path = dup_or_null(src->path);
  dst->docs_url = dup_or_null(src->docs_url);
  dst->compile_commands = dup_or_null(src->compile_commands);
}

void il_config_layer_init(il_config_layer *l) {
  memset(l->rule_level, -1, sizeof l->rule_level);
  l->target = -1;
  l->all_files = -1;
  l->node_code = -1;
}

void il_config_apply_layer(il_config *cfg, const il_config_layer *l) {
  for (uint32_t r = 0; r < IL_MAX_RULES; r++)
    if (l->rule_level[r] >= 0)
      cfg->rule_level[r] = l->rule_level[r];
  if (l->target >= 0)
    cfg->target = (il_target)l->target;
  if (l->all_files >= 0)
    cfg->all_files = l->all_files;
  if (l->node_code >= 0)
    cfg->node_code = (uint32_t)l->node_code;
}

const char *il_target_name(il_target t) {
  switch (t) {
  case IL_TARGET_WORKERS:
    return "workers";
  case IL_TARGET_NODE:
    return "node";
  case IL_TARGET_AUTO:
    break;
  }
  return "auto";
}

il_level il_config_level(const il_config *cfg, uint32_t rule_index, il_level level) {
  int8_t set = rule_index < IL_MAX_RULES ? cfg->rule_level[rule_index] : -1;
  if (set < 0)
    return level;
  if (set == IL_LEVEL_OFF)
    return IL_LEVEL_OFF;
  /* a configured level replaces the rule's level, but a note-level finding
   * (a fetch-only client) never becomes louder than note */
  return level == IL_LEVEL_NOTE ? IL_LEVEL_NOTE : (il_level)set;
}

static bool string_list(json_t *v, const char *path, const char *key, void *out_array,
                        char **err) {
  IL_ARRAY(char *) *out = out_array;
  if (!json_is_array(v)) {
    *err = il_xasprintf("%s: \"%s\" must be an array of strings", path, key);
    return false;
  }
  size_t i;
  json_t *s;
  json_array_foreach(v, i, s) {
    if (!json_is_string(s) || !*json_string_value(s)) {
      *err = il_xasprintf("%s: \"%s\"[%zu] must be a non-empty string", path, key, i);
      return false;
    }
    il_array_push(out, il_xstrdup(json_string_value(s)));
  }
  return true;
}

/* The keys of isolint.json, in the order the documentation lists them. */
static const char *const config_keys[] = {"$schema",  "root",     "rules",    "include",
                                          "exclude",  "overrides", "handlers", "clients",
                                          "target",   "nodeCode", "allFiles", "docsUrl",
                                          "unknownCalls", "//"};
enum { N_CONFIG_KEYS = sizeof config_keys / sizeof config_keys[0] };

/* "unknown key" message: every accepted key, so the fix is in the message. */
static char *unknown_key(const char *path, const char *where, const char *key,
                         const char *const *keys, size_t n_keys) {
  size_t n = 0;
  for (size_t i = 0; i < n_keys; i++)
    n += strlen(keys[i]) + 2;
  char *list = il_xmalloc(n + 1), *w = list;
  for (size_t i = 0; i < n_keys; i++)
    w += sprintf(w, "%s%s", i ? ", " : "", keys[i]);
  char *msg =
      il_xasprintf("%s: %sunknown key \"%s\" (expected one of: %s)", path, where, key, list);
  free(list);
  return msg;
}

/* where: "" at the top, "overrides[0]: " inside an override */
static bool load_rules(il_config_layer *l, json_t *val, const char *path, const char *where,
                       char **err) {
  if (!json_is_object(val)) {
    *err = il_xasprintf("%s: %s\"rules\" must be an object of rule id to level", path, where);
    return false;
  }
  const char *id;
  json_t *lv;
  json_object_foreach(val, id, lv) {
    uint32_t ri = 0;
    while (ri < il_n_rules && strcmp(il_rules[ri]->id, id) != 0)
      ri++;
    if (ri == il_n_rules || ri >= IL_MAX_RULES) {
      *err = il_xasprintf("%s: %s\"rules\": unknown rule \"%s\" (see `isolint rules`)", path,
                          where, id);
      return false;
    }
    il_level level;
    if (!json_is_string(lv) || !il_level_parse(json_string_value(lv), &level)) {
      *err = il_xasprintf("%s: %s\"rules\".\"%s\" must be \"error\", \"warning\", \"note\" or "
                          "\"off\"",
                          path, where, id);
      return false;
    }
    l->rule_level[ri] = (int8_t)level;
  }
  return true;
}

static bool load_target(il_config_layer *l, json_t *val, const char *path, const char *where,
                        char **err) {
  static const il_target targets[] = {IL_TARGET_WORKERS, IL_TARGET_NODE, IL_TARGET_AUTO};
  const char *s = json_is_string(val) ? json_string_value(val) : NULL;
  for (size_t i = 0; s && i < sizeof targets / sizeof targets[0]; i++)
    if (strcmp(s, il_target_name(targets[i])) == 0) {
      l->target = (int8_t)targets[i];
      return true;
    }
  *err = il_xasprintf("%s: %s\"target\" must be \"workers\", \"node\" or \"auto\"", path, where);
  return false;
}

const char *const il_code_class_names[] = {"tests", "scripts", "configs", "migrations", "assets",
                                           NULL};

static bool load_node_code(il_config_layer *l, json_t *val, const char *path, const char *where,
                           char **err) {
  if (!json_is_array(val)) {
    *err = il_xasprintf("%s: %s\"nodeCode\" must be an array of \"tests\", \"scripts\", "
                        "\"configs\", \"migrations\"",
                        path, where);
    return false;
  }
  uint32_t bits = 0;
  size_t i;
  json_t *s;
  json_array_foreach(val, i, s) {
    uint32_t k = 0;
    while (json_is_string(s) && il_code_class_names[k] &&
           strcmp(il_code_class_names[k], json_string_value(s)) != 0)
      k++;
    if (!json_is_string(s) || !il_code_class_names[k]) {
      *err = il_xasprintf("%s: %s\"nodeCode\"[%zu] must be \"tests\", \"scripts\", \"configs\" "
                          "or \"migrations\"",
                          path, where, i);
      return false;
    }
    bits |= 1u << k;
  }
  l->node_code = (int32_t)bits;
  return true;
}

static bool load_all_files(il_config_layer *l, json_t *val, const char *path, const char *where,
                           char **err) {
  if (!json_is_boolean(val)) {
    *err = il_xasprintf("%s: %s\"allFiles\" must be true or false", path, where);
    return false;
  }
  l->all_files = json_is_true(val);
  return true;
}

static void push_globs(void *dst_array, const void *src_array, const char *base) {
  IL_ARRAY(il_glob) *dst = dst_array;
  const IL_ARRAY(char *) *src = src_array;
  for (uint32_t i = 0; i < src->len; i++) {
    il_glob g = {il_xstrdup(src->data[i]), dup_or_null(base)};
    il_array_push(dst, g);
  }
}

/* The keys an entry of "overrides" takes. */
static const char *const override_keys[] = {"files", "rules", "target", "nodeCode", "allFiles",
                                            "//"};

static bool load_overrides(il_config_file *f, json_t *val, const char *path, char **err) {
  if (!json_is_array(val)) {
    *err = il_xasprintf("%s: \"overrides\" must be an array of {\"files\": [globs], \"rules\": "
                        "{...}} objects",
                        path);
    return false;
  }
  size_t i;
  json_t *o;
  json_array_foreach(val, i, o) {
    char where[48];
    snprintf(where, sizeof where, "overrides[%zu]: ", i);
    if (!json_is_object(o)) {
      *err = il_xasprintf("%s: %smust be an object with \"files\" and \"rules\"", path, where);
      return false;
    }
    il_config_override ov = {0};
    il_config_layer_init(&ov.set);
    il_array_push(&f->overrides, ov);
    il_config_override *cur = &f->overrides.data[f->overrides.len - 1];
    const char *key;
    json_t *v;
    json_object_foreach(o, key, v) {
      bool ok = true;
      if (strcmp(key, "//") == 0)
        continue;
      else if (strcmp(key, "files") == 0) {
        char *k = il_xasprintf("overrides[%zu].files", i);
        IL_ARRAY(char *) globs = {0};
        ok = string_list(v, path, k, &globs, err);
        push_globs(&cur->files, &globs, f->dir);
        strings_free(&globs);
        free(k);
      } else if (strcmp(key, "rules") == 0)
        ok = load_rules(&cur->set, v, path, where, err);
      else if (strcmp(key, "target") == 0)
        ok = load_target(&cur->set, v, path, where, err);
      else if (strcmp(key, "nodeCode") == 0)
        ok = load_node_code(&cur->set, v, path, where, err);
      else if (strcmp(key, "allFiles") == 0)
        ok = load_all_files(&cur->set, v, path, where, err);
      else {
        *err = unknown_key(path, where, key, override_keys,
                           sizeof override_keys / sizeof override_keys[0]);
        ok = false;
      }
      if (!ok)
        return false;
    }
    if (!cur->files.len) {
      *err = il_xasprintf("%s: %s\"files\" must list at least one glob", path, where);
      return false;
    }
  }
  return true;
}


/* The whole file, or NULL with *err. */
static char *read_text(const char *path, size_t *len, char **err) {
  char *buf;
  if (!il_read_file(path, &buf, len)) {
    *err = il_xasprintf("%s: %s", path, strerror(errno));
    return NULL;
  }
  return buf;
}

void il_config_file_free(il_config_file *f) {
  if (!f)
    return;
  free(f->path);
  free(f->dir);
  strings_free(&f->includes);
  strings_free(&f->excludes);
  strings_free(&f->handlers);
  free(f->docs_url);
  json_decref(f->clients);
  for (uint32_t i = 0; i < f->overrides.len; i++)
    globs_free(&f->overrides.data[i].files);
  il_array_free(&f->overrides);
  free(f);
}

il_config_file *il_config_file_read(const char *path, char **err) {
  size_t len = 0;
  char *text = read_text(path, &len, err);
  if (!text)
    return NULL;
  int line = 0;
  if (!il_jsonc_blank(text, len, &line)) {
    *err = il_xasprintf("%s:%d: a /* comment is not closed", path, line);
    free(text);
    return NULL;
  }
  json_error_t je;
  json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
  free(text);
  if (!root) {
    *err = il_xasprintf("%s:%d:%d: %s", path, je.line, je.column, je.text);
    return NULL;
  }
  il_config_file *f = il_xcalloc(1, sizeof *f);
  f->unknown_calls = -1;
  f->path = il_xstrdup(path);
  char *abs = il_abs_path(path);
  f->dir = il_path_dir_of(abs);
  free(abs);
  il_config_layer_init(&f->layer);
  bool ok = false;
  if (!json_is_object(root)) {
    *err = il_xasprintf("%s: the configuration must be a JSON object", path);
    goto out;
  }
  const char *key;
  json_t *val;
  json_object_foreach(root, key, val) {
    if (strcmp(key, "//") == 0) {
      continue; /* a comment: any value */
    } else if (strcmp(key, "$schema") == 0) {
      if (!json_is_string(val)) { /* for editors only, but a typo should not pass */
        *err = il_xasprintf("%s: \"$schema\" must be a string (the URI of a JSON schema)", path);
        goto out;
      }
    } else if (strcmp(key, "root") == 0) {
      if (!json_is_boolean(val)) {
        *err = il_xasprintf("%s: \"root\" must be true or false", path);
        goto out;
      }
      f->root = json_is_true(val);
    } else if (strcmp(key, "rules") == 0) {
      if (!load_rules(&f->layer, val, path, "", err))
        goto out;
    } else if (strcmp(key, "include") == 0) {
      if (!string_list(val, path, key, &f->includes, err))
        goto out;
      if (json_array_size(val) == 0) {
        *err = il_xasprintf("%s: \"include\" must list at least one glob (leave it out to scan "
                            "every source file)",
                            path);
        goto out;
      }
      f->has_include = true;
    } else if (strcmp(key, "exclude") == 0) {
      if (!string_list(val, path, key, &f->excludes, err))
        goto out;
    } else if (strcmp(key, "overrides") == 0) {
      if (!load_overrides(f, val, path, err))
        goto out;
    } else if (strcmp(key, "handlers") == 0) {
      if (!string_list(val, path, key, &f->handlers, err))
        goto out;
    } else if (strcmp(key, "clients") == 0) {
      if (!json_is_array(val)) {
        *err = il_xasprintf("%s: \"clients\" must be an array of knowledge-base rows", path);
        goto out;
      }
      il_kb *check = il_kb_new(); /* its rows are checked now, added once per run */
      bool rows_ok = il_kb_load_json_value(check, val, path, err);
      il_kb_free(check);
      if (!rows_ok)
        goto out;
      f->clients = json_incref(val);
    } else if (strcmp(key, "target") == 0) {
      if (!load_target(&f->layer, val, path, "", err))
        goto out;
    } else if (strcmp(key, "nodeCode") == 0) {
      if (!load_node_code(&f->layer, val, path, "", err))
        goto out;
    } else if (strcmp(key, "allFiles") == 0) {
      if (!load_all_files(&f->layer, val, path, "", err))
        goto out;
    } else if (strcmp(key, "unknownCalls") == 0) {
      static const char *const modes[] = {[IL_HOLD_NEW] = "new", [IL_HOLD_NONE] = "none",
                                          [IL_HOLD_ALL] = "all"};
      const char *m = json_is_string(val) ? json_string_value(val) : "";
      uint8_t k = 0;
      while (k < 3 && strcmp(m, modes[k]) != 0)
        k++;
      if (k == 3) {
        *err = il_xasprintf("%s: \"unknownCalls\" must be \"new\", \"none\" or \"all\"", path);
        goto out;
      }
      f->unknown_calls = (int8_t)k;
    } else if (strcmp(key, "docsUrl") == 0) {
      const char *u = json_is_string(val) ? json_string_value(val) : "";
      if (strncmp(u, "https://", 8) != 0 && strncmp(u, "http://", 7) != 0) {
        *err = il_xasprintf("%s: \"docsUrl\" must be an http(s) URL of the rule pages "
                            "(\"https://example.com/isolint/rules/\" or one holding {rule})",
                            path);
        goto out;
      }
      free(f->docs_url);
      f->docs_url = il_xstrdup(u);
    } else {
      *err = unknown_key(path, "", key, config_keys, N_CONFIG_KEYS);
      goto out;
    }
  }
  ok = true;
out:
  json_decref(root);
  if (!ok) {
    il_config_file_free(f);
    return NULL;
  }
  return f;
}

void il_config_apply_file(il_config *cfg, const il_config_file *f, bool anchored) {
  const char *base = anchored ? f->dir : NULL;
  il_config_apply_layer(cfg, &f->layer);
  if (f->has_include) {
    globs_free(&cfg->includes);
    push_globs(&cfg->includes, &f->includes, base);
  }
  push_globs(&cfg->excludes, &f->excludes, base);
  strings_copy(&cfg->handlers, &f->handlers);
  if (f->docs_url) {
    free(cfg->docs_url);
    cfg->docs_url = il_xstrdup(f->docs_url);
  }
  free(cfg->path);
  cfg->path = il_xstrdup(f->path);
  il_array_push(&cfg->sources, il_xstrdup(f->path));
}

void il_config_add_clients(struct il_kb *kb, const il_config_file *f) {
  char *err = NULL;
  if (f->clients && !il_kb_load_json_value(kb, f->clients, f->path, &err))
    assert(!"rows checked when the file was read");
  if (f->unknown_calls >= 0) /* files come farthest first: the nearest one's value stays */
    il_kb_set_unknown_calls(kb, (uint8_t)f->unknown_calls);
  free(err);
}

bool il_config_load(il_config *cfg, const char *path, char **err) {
  il_config_file *f = il_config_file_read(path, err);
  if (!f)
    return false;
  il_config_apply_file(cfg, f, false);
  il_config_add_clients(cfg->kb, f);
  il_config_file_free(f);
  return true;
}
