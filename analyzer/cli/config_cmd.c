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
#include "il/position.h"
#include "il/rule.h"

static const char config_usage[] =
    "Usage: isolint config --print [OPTIONS] [PATH]\n"
    "\n"
    "Prints, as JSON, the configuration `isolint scan PATH` would use (PATH defaults to\n"
    "the current directory): the isolint.json found (or null), each rule's level, the\n"
    "include and exclude globs, handlers, target, client rows and knowledge base.\n"
    "\n"
    "Options:\n"
    "  --print                   print the effective configuration (required)\n"
    "  --config FILE             use FILE instead of the nearest isolint.json\n"
    "  --no-config               ignore isolint.json files\n"
    "  --kb DIR                  read the built-in knowledge base from DIR\n";

static json_t *must(json_t *j) {
  if (!j) {
    fputs("isolint: out of memory (building JSON)\n", stderr);
    abort();
  }
  return j;
}

static void set(json_t *obj, const char *key, json_t *value) {
  if (json_object_set_new(obj, key, must(value)) != 0)
    must(NULL);
}

static void push(json_t *arr, json_t *value) {
  if (json_array_append_new(arr, must(value)) != 0)
    must(NULL);
}

/* A JSON string; invalid UTF-8 (a path can hold any bytes) becomes U+FFFD. */
static json_t *str(const char *s) {
  if (!s)
    return must(json_null());
  json_t *j = json_string(s);
  if (j)
    return j;
  char *clean = il_utf8_sanitize(s);
  j = must(json_string(clean));
  free(clean);
  return j;
}

static json_t *string_array(char *const *items, uint32_t n) {
  json_t *a = must(json_array());
  for (uint32_t i = 0; i < n; i++)
    push(a, str(items[i]));
  return a;
}

static json_t *client_row(const il_kb_row *row) {
  static const char *const forms[] = {[IL_FORM_ANY] = "any", [IL_FORM_NEW] = "new",
                                      [IL_FORM_CALL] = "call"};
  json_t *o = must(json_object());
  set(o, "module", str(row->module));
  set(o, "export", str(row->export));
  set(o, "form", str(row->out_arg >= 0 ? "out-param" : forms[row->form]));
  set(o, "name", str(row->name));
  set(o, "io", str(row->io));
  set(o, "level", str(il_level_name(row->level)));
  set(o, "inherits", json_boolean(row->inherits));
  set(o, "why", str(row->why));
  if (row->c) {
    set(o, "lang", str("c"));
    if (row->out_arg >= 0)
      set(o, "out_arg", must(json_integer(row->out_arg)));
    set(o, "handle", str(row->handle));
  }
  return o;
}

static json_t *effective(const il_config *cfg, const char *kb_dir) {
  json_t *root = must(json_object());
  char *config_real = cfg->path ? realpath(cfg->path, NULL) : NULL;
  set(root, "config", str(config_real ? config_real : cfg->path));
  free(config_real);
  char *kb_real = realpath(kb_dir, NULL);
  set(root, "kb", str(kb_real ? kb_real : kb_dir));
  free(kb_real);
  set(root, "target", str(il_target_name(cfg->target)));
  json_t *rules = must(json_object());
  for (uint32_t i = 0; i < il_n_rules; i++)
    set(rules, il_rules[i]->id,
        str(il_level_name(il_config_level(cfg, i, il_rules[i]->level))));
  set(root, "rules", rules);
  set(root, "include", string_array(cfg->includes.data, cfg->includes.len));
  set(root, "exclude", string_array(cfg->excludes.data, cfg->excludes.len));
  set(root, "handlers", string_array(cfg->handlers.data, cfg->handlers.len));
  json_t *clients = must(json_array());
  for (uint32_t i = cfg->n_builtin_clients; i < il_kb_count(cfg->kb); i++)
    push(clients, client_row(il_kb_row_at(cfg->kb, i)));
  set(root, "clients", clients);
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

  il_config cfg;
  cli_config_setup(&cfg, kb_dir, config, no_config, path ? path : ".");
  json_t *root = effective(&cfg, kb_dir ? kb_dir : il_kb_default_dir());
  bool ok = json_dumpf(root, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER) == 0 &&
            fputc('\n', stdout) != EOF && fflush(stdout) == 0;
  json_decref(root);
  il_config_fini(&cfg);
  if (!ok) {
    fprintf(stderr, "isolint: cannot write to standard output: %s\n", strerror(errno));
    return EXIT_TROUBLE;
  }
  return EXIT_CLEAN;
}
