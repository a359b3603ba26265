/* `isolint scan`: options, the run, the exit status and the report. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "frontend/frontend.h"
#include "rules/rule.h"

static unsigned parse_jobs(const char *s) {
  char *end;
  errno = 0;
  long v = strtol(s, &end, 10);
  if (errno || *end || v < 1 || v > 1024)
    cli_die_usage("--jobs expects a number from 1 to 1024, not '%s'", s);
  return (unsigned)v;
}

/* The progress line on stderr (a terminal): "[ 1234/50000] files", rewritten in place. */
typedef struct {
  bool shown;
  int width;
} progress_line;

static void show_progress(void *ctx, uint32_t done, uint32_t total) {
  progress_line *p = ctx;
  char buf[32];
  int w = snprintf(buf, sizeof buf, "%u", total);
  fprintf(stderr, "\r[%*u/%u] files", w, done, total);
  fflush(stderr);
  p->shown = true;
  p->width = 2 * w + 9;
}

static void clear_progress(progress_line *p) {
  if (p->shown)
    fprintf(stderr, "\r%*s\r", p->width, "");
  p->shown = false;
}

static bool parse_level(const char *s, il_level *out) {
  static const struct {
    const char *name;
    il_level level;
  } levels[] = {{"off", IL_LEVEL_OFF},
                {"note", IL_LEVEL_NOTE},
                {"warning", IL_LEVEL_WARNING},
                {"error", IL_LEVEL_ERROR}};
  for (size_t i = 0; i < sizeof levels / sizeof levels[0]; i++)
    if (strcmp(s, levels[i].name) == 0) {
      *out = levels[i].level;
      return true;
    }
  return false;
}

/* "K/N" with 1 <= K <= N <= 10000 */
static void parse_shard(const char *s, uint32_t *k, uint32_t *n) {
  char *end;
  errno = 0;
  long kv = strtol(s, &end, 10);
  if (errno || end == s || *end != '/')
    cli_die_usage("--shard expects K/N (for example 2/4), not '%s'", s);
  const char *ns = end + 1;
  long nv = strtol(ns, &end, 10);
  if (errno || end == ns || *end || nv < 1 || nv > 10000 || kv < 1 || kv > nv)
    cli_die_usage("--shard expects K/N with 1 <= K <= N <= 10000, not '%s'", s);
  *k = (uint32_t)kv;
  *n = (uint32_t)nv;
}

/* --max-file-size: bytes, or a number with k, M or G (binary multiples); 0 no limit */
static int64_t parse_size(const char *s) {
  char *end;
  errno = 0;
  unsigned long long v = s[0] >= '0' && s[0] <= '9' ? strtoull(s, &end, 10) : 0;
  int shift = -1;
  if (s[0] >= '0' && s[0] <= '9' && !errno) {
    if (!*end)
      shift = 0;
    else if (!end[1] && (*end == 'k' || *end == 'K'))
      shift = 10;
    else if (!end[1] && (*end == 'm' || *end == 'M'))
      shift = 20;
    else if (!end[1] && (*end == 'g' || *end == 'G'))
      shift = 30;
  }
  if (shift < 0 || v > (1ull << 40) >> shift)
    cli_die_usage("--max-file-size expects a size in bytes, optionally with k, M or G (for "
                  "example 4M; 0 for no limit; at most 1024G), not '%s'",
                  s);
  return (int64_t)(v << shift);
}

/* --parse-timeout: milliseconds, 0 for none */
static int64_t parse_ms(const char *s) {
  char *end;
  errno = 0;
  long v = s[0] >= '0' && s[0] <= '9' ? strtol(s, &end, 10) : -1;
  if (v < 0 || errno || *end || v > 3600000)
    cli_die_usage("--parse-timeout expects milliseconds from 0 (no limit) to 3600000, not '%s'",
                  s);
  return v;
}

void cli_scan_parse(cli_scan_args *a, int argc, char **argv) {
  a->o.format = IL_FMT_TEXT;
  a->max_file_size = -1;
  a->parse_timeout_ms = -1;
  a->fail_level = IL_LEVEL_WARNING;
  a->color = -1;
  a->target = -1;
  bool only_paths = false;
  for (int i = 0; i < argc; i++) {
    const char *arg = argv[i];
    const char *val = NULL;
#define OPT_VALUE(name)                                                                            \
  (strcmp(arg, name) == 0                                                                          \
       ? (i + 1 < argc ? (val = argv[++i], true) : (cli_die_usage("%s needs a value", name), false)) \
       : (strncmp(arg, name "=", sizeof name) == 0 ? (val = arg + sizeof name, true) : false))
    if (only_paths || arg[0] != '-' || strcmp(arg, "-") == 0) {
      il_array_push(&a->paths, arg);
    } else if (strcmp(arg, "--") == 0) {
      only_paths = true;
    } else if (OPT_VALUE("--format")) {
      static const struct {
        const char *name;
        il_format format;
      } formats[] = {{"text", IL_FMT_TEXT},         {"concise", IL_FMT_CONCISE},
                     {"json", IL_FMT_JSON},         {"sarif", IL_FMT_SARIF},
                     {"github", IL_FMT_GITHUB},     {"gitlab", IL_FMT_GITLAB},
                     {"junit", IL_FMT_JUNIT},       {"checkstyle", IL_FMT_CHECKSTYLE},
                     {"rdjson", IL_FMT_RDJSON},     {"json-lines", IL_FMT_JSON_LINES}};
      size_t f = 0, nf = sizeof formats / sizeof formats[0];
      while (f < nf && strcmp(val, formats[f].name) != 0)
        f++;
      if (f == nf)
        cli_die_usage("--format expects text, concise, json, sarif, github, gitlab, junit, "
                      "checkstyle, rdjson or json-lines, not '%s'", val);
      a->o.format = formats[f].format;
    } else if (OPT_VALUE("--output") || OPT_VALUE("-o")) {
      a->output = val;
    } else if (OPT_VALUE("--jobs") || OPT_VALUE("-j")) {
      a->jobs = parse_jobs(val);
    } else if (OPT_VALUE("--exclude")) {
      il_array_push(&a->excludes, val);
    } else if (OPT_VALUE("--config")) {
      a->config = val;
    } else if (OPT_VALUE("--kb")) {
      a->kb_dir = val;
    } else if (OPT_VALUE("--baseline")) {
      a->baseline = val;
    } else if (OPT_VALUE("--stdin-filename")) {
      if (!*val)
        cli_die_usage("--stdin-filename needs a path%s", "");
      a->stdin_filename = val;
    } else if (OPT_VALUE("--fail-level")) {
      if (!parse_level(val, &a->fail_level) || a->fail_level == IL_LEVEL_OFF)
        cli_die_usage("--fail-level expects error, warning or note, not '%s'", val);
    } else if (OPT_VALUE("--sarif-category")) {
      if (!*val || strchr(val, '\n'))
        cli_die_usage("--sarif-category needs a one-line name, not '%s'", val);
      a->o.sarif_category = val;
    } else if (OPT_VALUE("--shard")) {
      parse_shard(val, &a->shard_k, &a->shard_n);
    } else if (OPT_VALUE("--compile-commands")) {
      struct stat st;
      if (!*val || stat(val, &st) != 0)
        cli_die_usage("--compile-commands: cannot find '%s' (a compile_commands.json or the "
                      "directory holding it)",
                      val);
      a->compile_commands = val;
    } else if (OPT_VALUE("--target")) {
      static const il_target targets[] = {IL_TARGET_AUTO, IL_TARGET_WORKERS, IL_TARGET_NODE};
      a->target = -1;
      for (size_t t = 0; t < sizeof targets / sizeof targets[0]; t++)
        if (strcmp(val, il_target_name(targets[t])) == 0)
          a->target = (int)targets[t];
      if (a->target < 0)
        cli_die_usage("--target expects workers, node or auto, not '%s'", val);
    } else if (OPT_VALUE("--max-file-size")) {
      a->max_file_size = parse_size(val);
    } else if (OPT_VALUE("--parse-timeout")) {
      a->parse_timeout_ms = parse_ms(val);
    } else if (OPT_VALUE("--rule")) {
      il_array_push(&a->rule_levels, val);
    } else if (OPT_VALUE("--cache-dir")) {
      if (!*val)
        cli_die_usage("--cache-dir needs a directory%s", "");
      a->cache_dir = val;
      a->cache = true;
    } else if (strcmp(arg, "--cache") == 0) {
      a->cache = true;
    } else if (strcmp(arg, "--no-cache") == 0) {
      a->cache = false;
    } else if (strcmp(arg, "--exit-zero") == 0) {
      a->exit_zero = true;
    } else if (strcmp(arg, "--staged") == 0) {
      a->staged = true;
    } else if (strcmp(arg, "--no-config") == 0) {
      a->no_config = true;
    } else if (strcmp(arg, "--no-prefilter") == 0) {
      a->no_prefilter = true;
    } else if (strcmp(arg, "--all-files") == 0) {
      a->all_files = true;
    } else if (strcmp(arg, "--no-ignore") == 0) {
      a->no_ignore = true;
    } else if (strcmp(arg, "--force") == 0) {
      a->force = true;
    } else if (strcmp(arg, "--no-progress") == 0) {
      a->no_progress = true;
    } else if (strcmp(arg, "--color") == 0) {
      a->color = 1;
    } else if (strcmp(arg, "--no-color") == 0) {
      a->color = 0;
    } else if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
      fputs(cli_scan_usage_text, stdout);
      fputs(cli_scan_options_text, stdout);
      exit(EXIT_CLEAN);
    } else {
      cli_die_usage("unknown option '%s'", arg);
    }
#undef OPT_VALUE
  }
  if (a->staged && a->stdin_filename)
    cli_die_usage("--staged and --stdin-filename cannot be used together%s", "");
  if ((a->staged || a->stdin_filename) && a->paths.len)
    cli_die_usage("%s reads no PATH arguments", a->staged ? "--staged" : "--stdin-filename");
}

void cli_scan_args_fini(cli_scan_args *a) {
  il_array_free(&a->paths);
  il_array_free(&a->excludes);
  il_array_free(&a->rule_levels);
}

/* --rule id=level, over every isolint.json (checked before anything is loaded) */
static void apply_rule_levels(il_config_layer *cli, const cli_scan_args *a) {
  for (uint32_t i = 0; i < a->rule_levels.len; i++) {
    const char *spec = a->rule_levels.data[i];
    const char *eq = strchr(spec, '=');
    il_level level;
    if (!eq || !parse_level(eq + 1, &level))
      cli_die_usage("--rule expects RULE-ID=off|note|warning|error, not '%s'", spec);
    uint32_t r = 0;
    while (r < il_n_rules && (strlen(il_rules[r]->id) != (size_t)(eq - spec) ||
                              strncmp(il_rules[r]->id, spec, (size_t)(eq - spec)) != 0))
      r++;
    if (r == il_n_rules || r >= IL_MAX_RULES)
      cli_die_usage("--rule: unknown rule in '%s' (see `isolint rules`)", spec);
    cli->rule_level[r] = (int8_t)level;
  }
}

/* The directory whose configuration is the run's (run-wide keys: "docsUrl"; the SARIF
 * rule list; the cache): the deepest directory holding every PATH (whatever their order),
 * the directory of --stdin-filename, else the current directory. malloc'd. */
static char *run_dir_of(const cli_scan_args *a) {
  struct stat st;
  if (a->stdin_filename) {
    char *abs = il_abs_path(a->stdin_filename);
    char *dir = il_path_dir_of(abs);
    free(abs);
    if (stat(dir, &st) == 0)
      return dir;
    free(dir);
    return il_abs_path(".");
  }
  char *common = NULL;
  for (uint32_t i = 0; i < a->paths.len && !a->staged; i++) {
    if (stat(a->paths.data[i], &st) != 0)
      continue; /* reported by the scan */
    char *abs = il_abs_path(a->paths.data[i]);
    if (!S_ISDIR(st.st_mode)) {
      char *dir = il_path_dir_of(abs);
      free(abs);
      abs = dir;
    }
    if (!common) {
      common = abs;
      continue;
    }
    /* up from common until it holds abs */
    for (;;) {
      size_t n = strlen(common);
      if (strcmp(common, "/") == 0 ||
          (strncmp(abs, common, n) == 0 && (abs[n] == '/' || abs[n] == '\0')))
        break;
      char *up = il_path_dir_of(common);
      free(common);
      common = up;
    }
    free(abs);
  }
  return common ? common : il_abs_path(".");
}

/* The whole of standard input, or NULL with errno set. */
static char *read_stdin(size_t *len) {
  size_t cap = 65536, n = 0;
  char *buf = il_xmalloc(cap);
  for (;;) {
    if (n == cap)
      buf = il_xrealloc(buf, cap *= 2);
    ssize_t r = read(STDIN_FILENO, buf + n, cap - n);
    if (r < 0) {
      if (errno == EINTR)
        continue;
      free(buf);
      return NULL;
    }
    if (r == 0)
      break;
    n += (size_t)r;
  }
  *len = n;
  return buf;
}

/* Drops the findings a baseline already holds: they neither print nor fail the run. */
static void drop_unchanged(il_result *r) {
  uint32_t kept = 0;
  for (uint32_t i = 0; i < r->findings.len; i++)
    if (r->findings.data[i].baseline != IL_BASELINE_UNCHANGED)
      r->findings.data[kept++] = r->findings.data[i];
  r->findings.len = kept;
}

/* C files skipped because C support is missing (a build without the C front-end, or
 * no libclang) give one warning for the run, on the first such file, saying how many
 * there were and how to get C support; the other files' results are untouched. */
static void fold_c_skips(il_result *r) {
  const size_t pre = strlen(IL_C_SKIPPED_NOTE);
  uint32_t kept = 0, first = UINT32_MAX, n = 0;
  for (uint32_t i = 0; i < r->notes.len; i++) {
    const il_notification *no = &r->notes.data[i];
    if (no->kind == IL_NOTE_SKIPPED && !strncmp(no->message, IL_C_SKIPPED_NOTE, pre)) {
      if (n++)
        continue;
      first = kept;
    }
    r->notes.data[kept++] = r->notes.data[i];
  }
  r->notes.len = kept;
  if (n > 1) {
    il_notification *no = &r->notes.data[first];
    no->message = il_arena_printf(r->arena, "Skipped this file and %u other C file%s: C files are "
                                  "not analyzed, as %s",
                                  n - 1, n == 2 ? "" : "s", no->message + pre);
  }
}

/* --cache: --cache-dir, else .isolint-cache in the project root: the directory of
 * the config file, else the first path (a directory, or a file's directory), else
 * the current directory. */
static char *cache_dir_of(const cli_scan_args *a, const il_config *cfg) {
  if (a->cache_dir)
    return il_xstrdup(a->cache_dir);
  char *root = NULL;
  struct stat st;
  if (cfg->path) {
    root = il_xstrdup(cfg->path);
  } else if (a->paths.len && !a->staged && stat(a->paths.data[0], &st) == 0) {
    root = S_ISDIR(st.st_mode) ? il_xasprintf("%s/", a->paths.data[0])
                               : il_xstrdup(a->paths.data[0]);
  }
  char *slash = root ? strrchr(root, '/') : NULL;
  char *dir = slash ? il_xasprintf("%.*s/.isolint-cache", (int)(slash - root), root)
                    : il_xstrdup(".isolint-cache");
  if (slash == root && root)
    strcpy(dir, "/.isolint-cache");
  free(root);
  return dir;
}

int cli_scan_run(cli_scan_args *a) {
  /* the command line wins over every isolint.json */
  il_config_layer cli;
  il_config_layer_init(&cli);
  apply_rule_levels(&cli, a);
  if (a->target >= 0)
    cli.target = (int8_t)a->target;
  if (a->all_files)
    cli.all_files = 1;
  il_config base;
  cli_config_base(&base, a->kb_dir);
  for (uint32_t i = 0; i < a->excludes.len; i++) {
    il_glob g = {il_xstrdup(a->excludes.data[i]), NULL}; /* over display paths */
    il_array_push(&base.excludes, g);
  }
  base.no_prefilter = a->no_prefilter;
  base.no_ignore = a->no_ignore;
  base.force = a->force;
  if (a->compile_commands)
    base.compile_commands = il_xstrdup(a->compile_commands);
  if (a->max_file_size >= 0)
    base.max_file_size = (uint64_t)a->max_file_size;
  if (a->parse_timeout_ms >= 0)
    base.parse_timeout_ms = (uint32_t)a->parse_timeout_ms;
  il_config_set *set = cli_config_set(&base, &cli, a->config, a->no_config);
  char *run_dir = run_dir_of(a);
  const il_config *run_cfg = il_config_set_path(set, run_dir);
  free(run_dir);
  cli_config_check(set, &base);

  il_scan_opts so = {.paths = a->paths.data,
                     .n_paths = a->paths.len,
                     .configs = set,
                     .jobs = a->jobs,
                     .shard_index = a->shard_k,
                     .shard_count = a->shard_n};
  char *cache_dir = a->cache && !a->stdin_filename ? cache_dir_of(a, run_cfg) : NULL;
  so.cache_dir = cache_dir;
  progress_line progress = {false, 0};
  if (!a->no_progress && isatty(STDERR_FILENO)) {
    so.progress = show_progress;
    so.progress_ctx = &progress;
  }
  il_source stdin_src = {0};
  char *stdin_text = NULL;
  il_source *staged = NULL;
  uint32_t n_staged = 0;
  if (a->stdin_filename) {
    size_t len = 0;
    stdin_text = read_stdin(&len);
    if (!stdin_text) {
      fprintf(stderr, "isolint: cannot read standard input: %s\n", strerror(errno));
      il_config_set_free(set);
      il_config_fini(&base);
      return EXIT_TROUBLE;
    }
    stdin_src = (il_source){a->stdin_filename, stdin_text, len};
    so.sources = &stdin_src;
    so.n_sources = 1;
  } else if (a->staged) {
    char *err = NULL;
    if (!cli_staged_sources(&staged, &n_staged, &err)) {
      fprintf(stderr, "isolint: --staged: %s\n", err);
      free(err);
      il_config_set_free(set);
      il_config_fini(&base);
      return EXIT_TROUBLE;
    }
    if (n_staged == 0) {
      /* nothing staged to lint: a clean run, not a scan of the work tree */
      il_result empty;
      il_result_init(&empty);
      a->o.exit_code = EXIT_CLEAN;
      bool ok = a->output ? cli_write_atomic(a->output, &a->o, run_cfg, &empty)
                          : il_output_write(stdout, &a->o, run_cfg, &empty);
      il_result_fini(&empty);
      il_config_set_free(set);
      il_config_fini(&base);
      return ok ? EXIT_CLEAN : EXIT_TROUBLE;
    }
    so.sources = staged;
    so.n_sources = n_staged;
  }

  il_result r;
  il_result_init(&r);
  il_scan(run_cfg, &so, &r);
  fold_c_skips(&r);
  clear_progress(&progress);
  free(stdin_text);
  if (r.config_error) { /* a bad isolint.json below the scanned paths: as a bad --config */
    fprintf(stderr, "isolint: %s\n", r.config_error);
    il_result_fini(&r);
    free(cache_dir);
    cli_staged_free(staged, n_staged);
    il_config_set_free(set);
    il_config_fini(&base);
    return EXIT_TROUBLE;
  }

  int code = EXIT_CLEAN;
  if (a->baseline) {
    char *err = NULL;
    if (!il_baseline_apply(&r, a->baseline, &err)) {
      fprintf(stderr, "isolint: --baseline %s\n", err);
      free(err);
      code = EXIT_TROUBLE;
    }
    drop_unchanged(&r);
  }
  for (uint32_t i = 0; i < r.findings.len; i++)
    if (r.findings.data[i].level != IL_LEVEL_OFF && r.findings.data[i].level >= a->fail_level &&
        code == EXIT_CLEAN && !a->exit_zero)
      code = EXIT_FINDINGS;
  if (r.missing_path || r.read_error)
    code = EXIT_TROUBLE;
  a->o.exit_code = code;

  /* errors about paths always reach stderr; a report on stdout that prints the
   * notifications itself (text, concise, github) carries the rest: each once */
  bool notes_on_stdout = (a->o.format == IL_FMT_TEXT || a->o.format == IL_FMT_CONCISE ||
                          a->o.format == IL_FMT_GITHUB) &&
                         !a->output;
  for (uint32_t i = 0; i < r.notes.len && !notes_on_stdout; i++) {
    const il_notification *n = &r.notes.data[i];
    if (n->level < IL_LEVEL_WARNING)
      continue;
    if (n->path && n->line)
      fprintf(stderr, "%s:%u:%u: %s: %s\n", n->path, n->line, n->col16, il_level_name(n->level),
              n->message);
    else
      fprintf(stderr, "%s%s%s: %s\n", n->path ? n->path : "isolint", n->path ? ": " : "",
              il_level_name(n->level), n->message);
  }
  /* errors about paths reach stderr too when the report does not go to the same terminal
   * (a redirected report; on one terminal they would show twice) */
  if ((r.missing_path || r.read_error) && notes_on_stdout &&
      !(isatty(STDOUT_FILENO) && isatty(STDERR_FILENO)))
    for (uint32_t i = 0; i < r.notes.len; i++)
      if (r.notes.data[i].kind == IL_NOTE_CANNOT_READ && r.notes.data[i].path)
        fprintf(stderr, "isolint: %s: %s\n", r.notes.data[i].path, r.notes.data[i].message);

  if (a->o.format == IL_FMT_TEXT) {
    if (a->color >= 0) {
      a->o.color = a->color;
    } else {
      const char *nc = getenv("NO_COLOR"); /* no-color.org: only a non-empty value counts */
      a->o.color = !a->output && isatty(STDOUT_FILENO) && !(nc && *nc);
    }
  }
  bool ok;
  if (a->output) {
    ok = cli_write_atomic(a->output, &a->o, run_cfg, &r);
  } else {
    ok = il_output_write(stdout, &a->o, run_cfg, &r) && fflush(stdout) == 0;
    if (!ok)
      fprintf(stderr, "isolint: cannot write the report to standard output: %s\n",
              strerror(errno));
  }
  if (!ok)
    code = EXIT_TROUBLE;
  il_result_fini(&r);
  free(cache_dir);
  cli_staged_free(staged, n_staged);
  il_config_set_free(set);
  il_config_fini(&base);
  return code;
}


int cmd_scan(int argc, char **argv) {
  cli_scan_args a = {0};
  cli_scan_parse(&a, argc, argv);
  int code = cli_scan_run(&a);
  cli_scan_args_fini(&a);
  return code;
}
