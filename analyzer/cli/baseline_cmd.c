/* `isolint baseline`: writes a SARIF log of today's findings, which later runs
 * of `isolint scan --baseline FILE` subtract from their report. Takes the scan
 * options; the report is always SARIF, written atomically to FILE only when the
 * scan ran without trouble, so a failed run leaves an existing baseline alone. */
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

#define DEFAULT_BASELINE "isolint-baseline.sarif"

static const char baseline_usage[] =
    "Usage: isolint baseline [OPTIONS] [PATH...]\n"
    "\n"
    "Scans like `isolint scan` and writes every finding to a baseline file (SARIF).\n"
    "Commit it; `isolint scan --baseline FILE` then reports only findings that are not\n"
    "in it. Exits 0 whatever it finds, 2 when it could not run (the file is then left\n"
    "as it was).\n"
    "\n"
    "Options:\n"
    "  -o, --output FILE         the baseline to write (default: " DEFAULT_BASELINE ")\n"
    "  --format sarif            the only format of a baseline (the default here)\n"
    "  --config FILE, --no-config, --exclude GLOB, --rule ID=LEVEL, --jobs N, --kb DIR,\n"
    "  --staged, --stdin-filename PATH, --no-prefilter\n"
    "                            as for `isolint scan` (see `isolint --help`)\n";

/* Scan options that take a value: their value is never an option of ours. */
static bool takes_value(const char *arg) {
  static const char *const opts[] = {"--format", "--output", "-o",         "--jobs",
                                     "-j",       "--exclude", "--config",  "--kb",
                                     "--baseline", "--stdin-filename", "--fail-level",
                                     "--sarif-category", "--shard", "--rule"};
  for (size_t i = 0; i < sizeof opts / sizeof opts[0]; i++)
    if (strcmp(arg, opts[i]) == 0)
      return true;
  return false;
}

/* What cli_scan_parse cannot tell us: --help for this command, and whether a
 * --format other than sarif was asked for (its default is text). */
static void check_args(int argc, char **argv) {
  for (int i = 0; i < argc; i++) {
    const char *arg = argv[i];
    if (strcmp(arg, "--") == 0)
      break;
    if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
      fputs(baseline_usage, stdout);
      exit(EXIT_CLEAN);
    }
    const char *format = NULL;
    if (strncmp(arg, "--format=", 9) == 0)
      format = arg + 9;
    else if (strcmp(arg, "--format") == 0 && i + 1 < argc)
      format = argv[i + 1];
    if (format && strcmp(format, "sarif") != 0)
      cli_die_usage("baseline: a baseline is always SARIF; --format %s cannot be used", format);
    if (takes_value(arg))
      i++;
  }
}

/* Counts the results of the written log and the files they are in. */
static void summary(const char *path) {
  json_t *log = json_load_file(path, 0, NULL);
  json_t *results = json_object_get(json_array_get(json_object_get(log, "runs"), 0), "results");
  size_t n = json_array_size(results), files = 0;
  json_t *seen = json_object();
  for (size_t i = 0; seen && i < n; i++) {
    json_t *loc = json_array_get(json_object_get(json_array_get(results, i), "locations"), 0);
    const char *uri = json_string_value(json_object_get(
        json_object_get(json_object_get(loc, "physicalLocation"), "artifactLocation"), "uri"));
    if (uri && !json_object_get(seen, uri)) {
      json_object_set_new(seen, uri, json_true());
      files++;
    }
  }
  fprintf(stderr, "isolint: baseline of %zu finding%s in %zu file%s written to %s\n", n,
          n == 1 ? "" : "s", files, files == 1 ? "" : "s", path);
  json_decref(seen);
  json_decref(log);
}

int cmd_baseline(int argc, char **argv) {
  check_args(argc, argv);
  cli_scan_args a = {0};
  cli_scan_parse(&a, argc, argv);
  if (a.baseline) {
    cli_scan_args_fini(&a);
    cli_die_usage("baseline: --baseline cannot be used here: `isolint baseline` writes a new "
                  "baseline of every finding%s",
                  "");
  }
  const char *final = a.output ? a.output : DEFAULT_BASELINE;
  /* The scan writes (atomically) next to the baseline; the result replaces
   * the baseline only when the run went well. */
  bool special = cli_is_special_file(final); /* /dev/null, a FIFO: written in place */
  char *partial = special ? il_xstrdup(final)
                          : il_xasprintf("%s.partial-%ld", final, (long)getpid());
  a.output = partial;
  a.o.format = IL_FMT_SARIF;
  a.exit_zero = true;
  int code = cli_scan_run(&a);
  if (code == EXIT_CLEAN) {
    if (!special && rename(partial, final) != 0) {
      fprintf(stderr, "isolint: %s: cannot write the baseline: %s\n", final, strerror(errno));
      code = EXIT_TROUBLE;
    } else if (special) {
      /* a FIFO cannot be read back for the count */
      fprintf(stderr, "isolint: baseline written to %s\n", final);
    } else {
      summary(final);
    }
  }
  if (code != EXIT_CLEAN && !special) {
    unlink(partial);
    if (access(final, F_OK) == 0)
      fprintf(stderr, "isolint: %s left unchanged\n", final);
  }
  free(partial);
  cli_scan_args_fini(&a);
  return code;
}
