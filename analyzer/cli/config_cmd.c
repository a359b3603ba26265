/* `isolint config --print [PATH]`: the effective configuration a scan of PATH
 * would use, as JSON: which isolint.json (or none), every rule's level, the
 * include and exclude globs, extra handlers, the target, the extra client rows
 * and the knowledge-base directory. */
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "base/position.h"
#include "rules/rule.h"
#include "base/jsonw.h"

static const char config_usage[] =
    "Usage: isolint config --print [OPTIONS] [PATH]\n"
    "\n"
    "Prints, as JSON, the configuration `isolint scan` gives PATH (a file or a directory;\n"
    "default the current directory): the nearest isolint.json (or null), every isolint.json\n"
    "merged into it and the overrides matching PATH, each rule's level, the include and\n"
    "exclude globs, handlers, target, client rows and knowledge base.\n"
    "\n"
    "Options:\n"
    "  --print                   print the effective configuration (required)\n"
    "  --config FILE             use FILE instead of the isolint.json files\n"
    "  --no-config               ignore isolint.json files\n"
    "  --kb DIR                  read the built-in knowledge base from DIR\n";

/* A JSON string (invalid UTF-8 repaired), or null for NULL. */
static json_t *str(const char *s) {
  return s ? il_json_str(s) : il_json_must(json_null());
}

static json_t *string_array(char *const *items, uint32_t n) {
  json_t *a = il_json_must(json_array());
  for (uint32_t i = 0; i < n; i++)
    il_json_push(a, str(items[i]));
  return a;
}

static json_t *glob_array(const il_glob *globs, uint32_t n) {
  json_t *a = il_json_must(json_array());
  for (uint32_t i = 0; i < n; i++)
    il_json_push(a, str(globs[i].pat));
  return a;
}

/* path resolved through symbolic links when it exists; malloc'd */
static char *real_or_dup(const char *path) {
  char *r = realpath(path, NULL);
  return r ? r : il_xstrdup(path);
}

/* "files": the isolint.json files, farthest first; "overrides": "FILE: overrides[i]" that
 * match PATH, in the order they apply. */
static void sources(json_t *root, const il_config *cfg) {
  static const char tag[] = ": overrides[";
  json_t *files = il_json_must(json_array()), *ovs = il_json_must(json_array());
  for (uint32_t i = 0; i < cfg->sources.len; i++) {
    const char *src = cfg->sources.data[i];
    const char *ov = strstr(src, tag);
    char *file = ov ? il_xstrndup(src, (size_t)(ov - src)) : il_xstrdup(src);
    char *real = real_or_dup(file);
    if (ov) {
      char *entry = il_xasprintf("%s%s", real, ov);
      il_json_push(ovs, str(entry));
      free(entry);
    } else {
      il_json_push(files, str(real));
    }
    free(real);
    free(file);
  }
  il_json_set(root, "files", files);
  il_json_set(root, "overrides", ovs);
}

static json_t *client_row(const il_kb_row *row) {
  static const char *const forms[] = {[IL_FORM_ANY] = "any", [IL_FORM_NEW] = "new",
                                      [IL_FORM_CALL] = "call"};
  json_t *o = il_json_must(json_object());
  il_json_set(o, "module", str(row->module));
  il_json_set(o, "export", str(row->export));
  il_json_set(o, "form", str(row->out_arg >= 0 ? "out-param" : forms[row->form]));
  il_json_set(o, "name", str(row->name));
  il_json_set(o, "io", str(row->io));
  il_json_set(o, "level", str(il_level_name(row->level)));
  il_json_set(o, "inherits", json_boolean(row->inherits));
  il_json_set(o, "why", str(row->why));
  if (row->c) {
    il_json_set(o, "lang", str("c"));
    if (row->out_arg >= 0)
      il_json_set(o, "out_arg", il_json_must(json_integer(row->out_arg)));
    il_json_set(o, "handle", str(row->handle));
  }
  return o;
}

static json_t *effective(const il_config *cfg, const char *kb_dir) {
  json_t *root = il_json_must(json_object());
  char *config_real = cfg->path ? realpath(cfg->path, NULL) : NULL;
  il_json_set(root, "config", str(config_real ? config_real : cfg->path));
  free(config_real);
  sources(root, cfg);
  char *kb_real = realpath(kb_dir, NULL);
  il_json_set(root, "kb", str(kb_real ? kb_real : kb_dir));
  free(kb_real);
  il_json_set(root, "target", str(il_target_name(cfg->target)));
  json_t *node_code = il_json_must(json_array());
  for (uint32_t k = 0; il_code_class_names[k]; k++)
    if (cfg->node_code & (1u << k))
      il_json_push(node_code, str(il_code_class_names[k]));
  il_json_set(root, "nodeCode", node_code);
  il_json_set(root, "allFiles", json_boolean(cfg->all_files));
  static const char *const holds[] = {[IL_HOLD_NEW] = "new", [IL_HOLD_NONE] = "none",
                                      [IL_HOLD_ALL] = "all"};
  il_json_set(root, "unknownCalls", str(holds[il_kb_unknown_calls(cfg->kb) % 3]));
  json_t *rules = il_json_must(json_object());
  for (uint32_t i = 0; i < il_n_rules; i++)
    il_json_set(rules, il_rules[i]->id,
        str(il_level_name(il_config_level(cfg, i, il_rules[i]->level))));
  il_json_set(root, "rules", rules);
  il_json_set(root, "include", glob_array(cfg->includes.data, cfg->includes.len));
  il_json_set(root, "exclude", glob_array(cfg->excludes.data, cfg->excludes.len));
  il_json_set(root, "handlers", string_array(cfg->handlers.data, cfg->handlers.len));
  json_t *clients = il_json_must(json_array());
  for (uint32_t i = cfg->n_builtin_clients; i < il_kb_count(cfg->kb); i++)
    il_json_push(clients, client_row(il_kb_row_at(cfg->kb, i)));
  il_json_set(root, "clients", clients);
  il_json_set(root, "docsUrl", str(cfg->docs_url));
  return root;
}

int cmd_config(int argc, char **argv) {
  const char *config = NULL, *kb_dir = NULL, *path = NULL;
  bool print = false, no_config = false, only_paths = false;
  for (int i = 0; i < argc; i++) {
    const char *arg = argv[i];
    const char *val = NULL;
#define OPT_VALUE(name)                                                                            \
  (strcmp(arg, name) == 0                                                                          \
       ? (i + 1 < argc ? (val = argv[++i], true) : (cli_die_usage("%s needs a value", name), false)) \
       : (strncmp(arg, name "=", sizeof name) == 0 ? (val = arg + sizeof name, true) : false))
    if (only_paths || arg[0] != '-') {
      if (path)
        cli_die_usage("config takes one PATH, not also '%s'", arg);
      path = arg;
    } else if (strcmp(arg, "--") == 0) {
      only_paths = true;
    } else if (strcmp(arg, "--print") == 0) {
      print = true;
    } else if (OPT_VALUE("--config")) {
      config = val;
    } else if (OPT_VALUE("--kb")) {
      kb_dir = val;
    } else if (strcmp(arg, "--no-config") == 0) {
      no_config = true;
    } else if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
      fputs(config_usage, stdout);
      return EXIT_CLEAN;
    } else {
      cli_die_usage("config: unknown option '%s'", arg);
    }
#undef OPT_VALUE
  }
  if (!print)
    cli_die_usage("config needs --print (isolint config --print [PATH])%s", "");
  struct stat st;
  if (path && stat(path, &st) != 0) {
    fprintf(stderr, "isolint: %s: %s\n", path, strerror(errno));
    return EXIT_TROUBLE;
  }

  il_config base;
  cli_config_base(&base, kb_dir);
  il_config_set *set = cli_config_set(&base, NULL, config, no_config);
  const il_config *cfg = il_config_set_path(set, path ? path : ".");
  cli_config_check(set, &base);
  il_config_set_seal(set, cfg, NULL); /* the files' "clients" */
  json_t *root = effective(cfg, kb_dir ? kb_dir : il_kb_default_dir());
  bool ok = json_dumpf(root, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER) == 0 &&
            fputc('\n', stdout) != EOF && fflush(stdout) == 0;
  json_decref(root);
  il_config_set_free(set);
  il_config_fini(&base);
  if (!ok) {
    fprintf(stderr, "isolint: cannot write to standard output: %s\n", strerror(errno));
    return EXIT_TROUBLE;
  }
  return EXIT_CLEAN;
}
