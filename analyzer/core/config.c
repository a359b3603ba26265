/* Configuration: the built-in knowledge base plus a user's isolint.json. */
#include "il/run.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "il/rule.h"

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
  cfg->kb = il_kb_new();
  return il_kb_load_dir(cfg->kb, kb_dir ? kb_dir : il_kb_default_dir(), err);
}

void il_config_fini(il_config *cfg) {
  il_kb_free(cfg->kb);
  for (uint32_t i = 0; i < cfg->excludes.len; i++)
    free(cfg->excludes.data[i]);
  for (uint32_t i = 0; i < cfg->handlers.len; i++)
    free(cfg->handlers.data[i]);
  il_array_free(&cfg->excludes);
  il_array_free(&cfg->handlers);
  free(cfg->path);
  memset(cfg, 0, sizeof *cfg);
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
    if (strcmp(key, "$schema") == 0 || strcmp(key, "//") == 0) {
      continue;
    } else if (strcmp(key, "rules") == 0) {
      if (!json_is_object(val)) {
        *err = il_xasprintf("%s: \"rules\" must be an object of rule id to level", path);
        goto out;
      }
      const char *id;
      json_t *lv;
      json_object_foreach(val, id, lv) {
        uint32_t ri = 0;
        while (ri < il_n_rules && strcmp(il_rules[ri]->id, id) != 0)
          ri++;
        if (ri == il_n_rules) {
          *err = il_xasprintf("%s: \"rules\": unknown rule \"%s\" (see `isolint rules`)", path, id);
          goto out;
        }
        il_level level;
        if (!json_is_string(lv) || !il_level_parse(json_string_value(lv), &level)) {
          *err = il_xasprintf("%s: \"rules\".\"%s\" must be \"error\", \"warning\", \"note\" or "
                              "\"off\"",
                              path, id);
          goto out;
        }
        cfg->rule_level[ri] = (int8_t)level;
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
    } else {
      *err = il_xasprintf("%s: unknown key \"%s\" (expected rules, exclude, handlers, clients)",
                          path, key);
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
