/* Configuration: the built-in knowledge base plus a user's isolint.json. */
#include "core/run.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

void il_config_fini(il_config *cfg) {
  il_kb_free(cfg->kb);
  free(cfg->compile_commands);
  free(cfg->docs_url);
  for (uint32_t i = 0; i < cfg->excludes.len; i++)
    free(cfg->excludes.data[i]);
  for (uint32_t i = 0; i < cfg->includes.len; i++)
    free(cfg->includes.data[i]);
  for (uint32_t i = 0; i < cfg->handlers.len; i++)
    free(cfg->handlers.data[i]);
  il_array_free(&cfg->includes);
  il_array_free(&cfg->excludes);
  il_array_free(&cfg->handlers);
  free(cfg->path);
  memset(cfg, 0, sizeof *cfg);
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
static const char *const config_keys[] = {"$schema", "rules",  "include",  "exclude",
                                          "handlers", "clients", "target", "nodeCode",
                                          "allFiles", "docsUrl", "unknownCalls", "//"};
enum { N_CONFIG_KEYS = sizeof config_keys / sizeof config_keys[0] };

/* "unknown key" message: every accepted key, so the fix is in the message. */
static char *unknown_key(const char *path, const char *key) {
  size_t n = 0;
  for (size_t i = 0; i < N_CONFIG_KEYS; i++)
    n += strlen(config_keys[i]) + 2;
  char *list = il_xmalloc(n + 1), *w = list;
  for (size_t i = 0; i < N_CONFIG_KEYS; i++)
    w += sprintf(w, "%s%s", i ? ", " : "", config_keys[i]);
  char *msg = il_xasprintf("%s: unknown key \"%s\" (expected one of: %s)", path, key, list);
  free(list);
  return msg;
}

static bool load_rules(il_config *cfg, json_t *val, const char *path, char **err) {
  if (!json_is_object(val)) {
    *err = il_xasprintf("%s: \"rules\" must be an object of rule id to level", path);
    return false;
  }
  const char *id;
  json_t *lv;
  json_object_foreach(val, id, lv) {
    uint32_t ri = 0;
    while (ri < il_n_rules && strcmp(il_rules[ri]->id, id) != 0)
      ri++;
    if (ri == il_n_rules || ri >= IL_MAX_RULES) {
      *err = il_xasprintf("%s: \"rules\": unknown rule \"%s\" (see `isolint rules`)", path, id);
      return false;
    }
    il_level level;
    if (!json_is_string(lv) || !il_level_parse(json_string_value(lv), &level)) {
      *err = il_xasprintf("%s: \"rules\".\"%s\" must be \"error\", \"warning\", \"note\" or "
                          "\"off\"",
                          path, id);
      return false;
    }
    cfg->rule_level[ri] = (int8_t)level;
  }
  return true;
}

static bool load_target(il_config *cfg, json_t *val, const char *path, char **err) {
  static const il_target targets[] = {IL_TARGET_WORKERS, IL_TARGET_NODE, IL_TARGET_AUTO};
  const char *s = json_is_string(val) ? json_string_value(val) : NULL;
  for (size_t i = 0; s && i < sizeof targets / sizeof targets[0]; i++)
    if (strcmp(s, il_target_name(targets[i])) == 0) {
      cfg->target = targets[i];
      return true;
    }
  *err = il_xasprintf("%s: \"target\" must be \"workers\", \"node\" or \"auto\"", path);
  return false;
}

const char *const il_code_class_names[] = {"tests", "scripts", "configs", "migrations", "assets",
                                           NULL};

static bool load_node_code(il_config *cfg, json_t *val, const char *path, char **err) {
  if (!json_is_array(val)) {
    *err = il_xasprintf("%s: \"nodeCode\" must be an array of \"tests\", \"scripts\", "
                        "\"configs\", \"migrations\"",
                        path);
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
      *err = il_xasprintf("%s: \"nodeCode\"[%zu] must be \"tests\", \"scripts\", \"configs\" "
                          "or \"migrations\"",
                          path, i);
      return false;
    }
    bits |= 1u << k;
  }
  cfg->node_code = bits;
  return true;
}

bool il_config_load(il_config *cfg, const char *path, char **err) {
  json_error_t je;
  json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
  if (!root) {
    *err = il_xasprintf("%s:%d:%d: %s", path, je.line, je.column, je.text);
    return false;
  }
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
    } else if (strcmp(key, "rules") == 0) {
      if (!load_rules(cfg, val, path, err))
        goto out;
    } else if (strcmp(key, "include") == 0) {
      if (!string_list(val, path, key, &cfg->includes, err))
        goto out;
      if (json_array_size(val) == 0) {
        *err = il_xasprintf("%s: \"include\" must list at least one glob (leave it out to scan "
                            "every source file)",
                            path);
        goto out;
      }
    } else if (strcmp(key, "exclude") == 0) {
      if (!string_list(val, path, key, &cfg->excludes, err))
        goto out;
    } else if (strcmp(key, "handlers") == 0) {
      if (!string_list(val, path, key, &cfg->handlers, err))
        goto out;
    } else if (strcmp(key, "clients") == 0) {
      if (!json_is_array(val)) {
        *err = il_xasprintf("%s: \"clients\" must be an array of knowledge-base rows", path);
        goto out;
      }
      if (!il_kb_load_json_value(cfg->kb, val, path, err))
        goto out;
    } else if (strcmp(key, "target") == 0) {
      if (!load_target(cfg, val, path, err))
        goto out;
    } else if (strcmp(key, "nodeCode") == 0) {
      if (!load_node_code(cfg, val, path, err))
        goto out;
    } else if (strcmp(key, "allFiles") == 0) {
      if (!json_is_boolean(val)) {
        *err = il_xasprintf("%s: \"allFiles\" must be true or false", path);
        goto out;
      }
      cfg->all_files |= json_is_true(val);
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
      il_kb_set_unknown_calls(cfg->kb, k);
    } else if (strcmp(key, "docsUrl") == 0) {
      const char *u = json_is_string(val) ? json_string_value(val) : "";
      if (strncmp(u, "https://", 8) != 0 && strncmp(u, "http://", 7) != 0) {
        *err = il_xasprintf("%s: \"docsUrl\" must be an http(s) URL of the rule pages "
                            "(\"https://example.com/isolint/rules/\" or one holding {rule})",
                            path);
        goto out;
      }
      free(cfg->docs_url);
      cfg->docs_url = il_xstrdup(u);
    } else {
      *err = unknown_key(path, key);
      goto out;
    }
  }
  free(cfg->path);
  cfg->path = il_xstrdup(path);
  ok = true;
out:
  json_decref(root);
  return ok;
}
