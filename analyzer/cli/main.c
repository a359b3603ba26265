/* The isolint command line: the only code that prints usage, talks to the
 * terminal or calls exit(). */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "il/output.h"
#include "il/rule.h"
#include "il/run.h"

/* Exit status, documented in docs/usage.md. */
enum {
  EXIT_CLEAN = 0,    /* ran; no finding at warning level or above */
  EXIT_FINDINGS = 1, /* ran; findings at warning or error level */
  EXIT_TROUBLE = 2,  /* could not run as asked: bad option, missing path, bad config, I/O error */
};

static const char usage_text[] =
    "Usage: isolint scan [OPTIONS] [PATH...]\n"
    "       isolint rules\n"
    "       isolint --version | --help\n"
    "\n"
    "Finds state shared across requests in Cloudflare Workers-style code: clients built at\n"
    "module scope, lazily cached singletons and globalThis caches.\n"
    "\n"
    "Scan options:\n"
    "  --format text|json|sarif  output format (default: text)\n"
    "  --output FILE             write the report to FILE (atomically) instead of stdout\n"
    "  --jobs N                  analyze N files in parallel (default: all cores)\n"
    "  --exclude GLOB            skip paths matching GLOB (repeatable; `**` crosses directories)\n"
    "  --config FILE             use FILE instead of the nearest isolint.json\n"
    "  --no-config               ignore isolint.json files\n"
    "  --kb DIR                  read the built-in knowledge base from DIR (default: the\n"
    "                            installed one; also $ISOLINT_KB_DIR)\n"
    "  --no-prefilter            parse every file, even those naming no known client module\n"
    "                            (slower; also reports syntax errors in every file)\n"
    "  --color, --no-color       force colours on or off in text output (default: on a\n"
    "                            terminal, unless NO_COLOR is set)\n"
    "\n"
    "Directories are searched for .ts .tsx .mts .cts .js .jsx .mjs .cjs files, skipping\n"
    "node_modules, .git and .wrangler; files named explicitly are always scanned.\n"
    "Exit status: 0 no finding at warning level or above, 1 findings, 2 could not run.\n";

static void die_usage(const char *fmt, const char *arg) {
  fprintf(stderr, "isolint: ");
  fprintf(stderr, fmt, arg);
  fprintf(stderr, "\nTry 'isolint --help'.\n");
  exit(EXIT_TROUBLE);
}

static int cmd_rules(void) {
  for (uint32_t i = 0; i < il_n_rules; i++) {
    const il_rule *r = il_rules[i];
    printf("%-24s %-8s %s\n", r->id, il_level_name(r->level), r->summary);
  }
  return EXIT_CLEAN;
}

/* Nearest isolint.json from `start` (a file or directory) up to the root. */
static char *find_config(const char *start) {
  char *dir = realpath(start, NULL);
  if (!dir)
    return NULL;
  struct stat st;
  if (stat(dir, &st) == 0 && !S_ISDIR(st.st_mode)) {
    char *slash = strrchr(dir, '/');
    if (slash)
      *(slash == dir ? slash + 1 : slash) = '\0';
  }
  for (;;) {
    char *cand = il_xasprintf("%s%sisolint.json", dir, strcmp(dir, "/") == 0 ? "" : "/");
    if (stat(cand, &st) == 0 && S_ISREG(st.st_mode)) {
      free(dir);
      return cand;
    }
    free(cand);
    char *slash = strrchr(dir, '/');
    if (!slash || strcmp(dir, "/") == 0)
      break;
    *(slash == dir ? slash + 1 : slash) = '\0';
  }
  free(dir);
  return NULL;
}

/* Writes the report to `path` through a temporary file and rename(), so the
 * file is either the complete new report or untouched. */
static bool write_atomic(const char *path, const il_output_opts *o, const il_config *cfg,
                         const il_result *r) {
  char *tmp = il_xasprintf("%s.tmp.XXXXXX", path);
  int fd = mkstemp(tmp);
  if (fd < 0) {
    fprintf(stderr, "isolint: %s: cannot create the output file: %s\n", path, strerror(errno));
    free(tmp);
    return false;
  }
  FILE *fp = fdopen(fd, "w");
  bool ok = fp && il_output_write(fp, o, cfg, r);
  ok = ok && fflush(fp) == 0 && fsync(fileno(fp)) == 0;
  int saved = errno;
  if (fp) {
    if (fclose(fp) != 0 && ok) {
      ok = false;
      saved = errno;
    }
  } else {
    close(fd);
  }
  if (ok)
    chmod(tmp, 0644);
  if (ok && rename(tmp, path) != 0) {
    ok = false;
    saved = errno;
  }
  if (!ok) {
    fprintf(stderr, "isolint: %s: cannot write the report: %s\n", path, strerror(saved));
    unlink(tmp);
  }
  free(tmp);
  return ok;
}

static unsigned parse_jobs(const char *s) {
  char *end;
  errno = 0;
  long v = strtol(s, &end, 10);
  if (errno || *end || v < 1 || v > 1024)
    die_usage("--jobs expects a number from 1 to 1024, not '%s'", s);
  return (unsigned)v;
}

static int cmd_scan(int argc, char **argv) {
  il_output_opts o = {.format = IL_FMT_TEXT};
  const char *output = NULL, *config = NULL, *kb_dir = NULL;
  bool no_config = false, no_prefilter = false;
  int color = -1;
  unsigned jobs = 0;
  IL_ARRAY(const char *) paths = {0};
  IL_ARRAY(const char *) excludes = {0};
  bool only_paths = false;
  for (int i = 0; i < argc; i++) {
    const char *a = argv[i];
    const char *val = NULL;
#define OPT_VALUE(name)                                                                            \
  (strcmp(a, name) == 0                                                                            \
       ? (i + 1 < argc ? (val = argv[++i], true) : (die_usage("%s needs a value", name), false))   \
       : (strncmp(a, name "=", sizeof name) == 0 ? (val = a + sizeof name, true) : false))
    if (only_paths || a[0] != '-' || strcmp(a, "-") == 0) {
      il_array_push(&paths, a);
    } else if (strcmp(a, "--") == 0) {
      only_paths = true;
    } else if (OPT_VALUE("--format")) {
      if (strcmp(val, "text") == 0)
        o.format = IL_FMT_TEXT;
      else if (strcmp(val, "json") == 0)
        o.format = IL_FMT_JSON;
      else if (strcmp(val, "sarif") == 0)
        o.format = IL_FMT_SARIF;
      else
        die_usage("--format expects text, json or sarif, not '%s'", val);
    } else if (OPT_VALUE("--output") || OPT_VALUE("-o")) {
      output = val;
    } else if (OPT_VALUE("--jobs") || OPT_VALUE("-j")) {
      jobs = parse_jobs(val);
    } else if (OPT_VALUE("--exclude")) {
      il_array_push(&excludes, val);
    } else if (OPT_VALUE("--config")) {
      config = val;
    } else if (OPT_VALUE("--kb")) {
      kb_dir = val;
    } else if (strcmp(a, "--no-config") == 0) {
      no_config = true;
    } else if (strcmp(a, "--no-prefilter") == 0) {
      no_prefilter = true;
    } else if (strcmp(a, "--color") == 0) {
      color = 1;
    } else if (strcmp(a, "--no-color") == 0) {
      color = 0;
    } else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
      fputs(usage_text, stdout);
      exit(EXIT_CLEAN);
    } else {
      die_usage("unknown option '%s'", a);
    }
#undef OPT_VALUE
  }
  il_config cfg;
  char *err = NULL;
  if (!il_config_init(&cfg, kb_dir, &err)) {
    fprintf(stderr, "isolint: %s\n", err);
    free(err);
    il_config_fini(&cfg);
    exit(EXIT_TROUBLE);
  }
  char *found = NULL;
  if (config) {
    struct stat st;
    if (stat(config, &st) != 0) {
      fprintf(stderr, "isolint: --config %s: %s\n", config, strerror(errno));
      il_config_fini(&cfg);
      exit(EXIT_TROUBLE);
    }
  } else if (!no_config) {
    found = find_config(paths.len ? paths.data[0] : ".");
    config = found;
  }
  if (config && !il_config_load(&cfg, config, &err)) {
    fprintf(stderr, "isolint: %s\n", err);
    free(err);
    free(found);
    il_config_fini(&cfg);
    exit(EXIT_TROUBLE);
  }
  free(found);
  for (uint32_t i = 0; i < excludes.len; i++)
    il_array_push(&cfg.excludes, il_xstrdup(excludes.data[i]));
  cfg.no_prefilter = no_prefilter;

  il_scan_opts so = {.paths = paths.data, .n_paths = paths.len, .jobs = jobs};
  il_result r;
  il_result_init(&r);
  il_scan(&cfg, &so, &r);

  int code = EXIT_CLEAN;
  for (uint32_t i = 0; i < r.findings.len; i++)
    if (r.findings.data[i].level >= IL_LEVEL_WARNING)
      code = EXIT_FINDINGS;
  if (r.missing_path)
    code = EXIT_TROUBLE;
  o.exit_code = code;

  /* errors about paths always reach stderr; text on a terminal carries the rest */
  bool notes_on_stdout = o.format == IL_FMT_TEXT && !output;
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
  if (r.missing_path && notes_on_stdout)
    for (uint32_t i = 0; i < r.notes.len; i++)
      if (r.notes.data[i].kind == IL_NOTE_CANNOT_READ && r.notes.data[i].path)
        fprintf(stderr, "isolint: %s: %s\n", r.notes.data[i].path, r.notes.data[i].message);

  if (o.format == IL_FMT_TEXT) {
    if (color >= 0)
      o.color = color;
    else
    {
      const char *nc = getenv("NO_COLOR"); /* no-color.org: only a non-empty value counts */
      o.color = !output && isatty(STDOUT_FILENO) && !(nc && *nc);
    }
  }
  bool ok;
  if (output) {
    ok = write_atomic(output, &o, &cfg, &r);
  } else {
    ok = il_output_write(stdout, &o, &cfg, &r) && fflush(stdout) == 0;
    if (!ok)
      fprintf(stderr, "isolint: cannot write the report to standard output: %s\n",
              strerror(errno));
  }
  if (!ok)
    code = EXIT_TROUBLE;
  il_result_fini(&r);
  il_config_fini(&cfg);
  il_array_free(&paths);
  il_array_free(&excludes);
  return code;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fputs(usage_text, stderr);
    return EXIT_TROUBLE;
  }
  const char *cmd = argv[1];
  if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "-V") == 0 || strcmp(cmd, "version") == 0) {
    printf("isolint %s\n", IL_VERSION);
    return EXIT_CLEAN;
  }
  if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
    fputs(usage_text, stdout);
    return EXIT_CLEAN;
  }
  if (strcmp(cmd, "rules") == 0)
    return cmd_rules();
  if (strcmp(cmd, "scan") == 0)
    return cmd_scan(argc - 2, argv + 2);
  die_usage("unknown command '%s'", cmd);
  return EXIT_TROUBLE;
}
