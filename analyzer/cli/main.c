/* The isolint command line: dispatch to the subcommands. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "rules/rule.h"

/* The parts of the usage: the commands, what isolint finds, the scan options (also
 * `isolint scan --help`, which shows only the scan usage). */
#define USAGE_COMMANDS \
    "Usage: isolint scan [OPTIONS] [PATH...]\n" \
    "       isolint baseline [OPTIONS] [PATH...]   write a baseline (SARIF) of today's findings\n" \
    "       isolint merge [-o FILE] A.sarif B.sarif...  join the SARIF of --shard runs\n" \
    "       isolint config --print [PATH]          show the effective configuration\n" \
    "       isolint install-hook [--force|--uninstall]  install a git pre-commit hook\n" \
    "       isolint lsp                            language server on standard input/output\n" \
    "       isolint explain RULE-ID                print a rule's documentation\n" \
    "       isolint rules\n" \
    "       isolint --version | --help\n"
#define USAGE_ABOUT \
    "\n" \
    "Finds state shared across requests in Cloudflare Workers-style code and C request\n" \
    "handlers: clients built at module scope or at boot, lazily cached singletons, globalThis\n" \
    "caches, Effect layers built once, and I/O at module scope.\n"
#define USAGE_SCAN_OPTIONS \
    "\n" \
    "Scan options:\n" \
    "  --format FORMAT           text (default), concise, json, json-lines, sarif, github,\n" \
    "                            gitlab (Code Quality), junit, checkstyle or rdjson (reviewdog)\n" \
    "  --output FILE             write the report to FILE (atomically) instead of stdout\n" \
    "  --jobs N                  analyze N files in parallel (default: all cores)\n" \
    "  --exclude GLOB            skip paths matching GLOB (repeatable; `**` crosses directories)\n" \
    "  --config FILE             use FILE for every file, not the isolint.json files\n" \
    "  --no-config               ignore isolint.json files\n" \
    "  --rule ID=LEVEL           set a rule's level: off, note, warning or error (repeatable)\n" \
    "  --fail-level LEVEL        exit 1 on findings at LEVEL or above: error, warning (default)\n" \
    "                            or note\n" \
    "  --exit-zero               exit 0 even with findings (2 still means trouble)\n" \
    "  --baseline FILE.sarif     report only findings not in this baseline\n" \
    "  --staged                  scan the content staged in the git index, not the work tree\n" \
    "  --stdin-filename PATH     scan standard input as if it were the file PATH\n" \
    "  --shard K/N               scan only part K of N of the files (for a CI matrix)\n" \
    "  --target T                workers, node or auto (default: isolint.json's \"target\", else\n" \
    "                            auto: Node.js where the nearest wrangler/package.json/vercel.json\n" \
    "                            says so; the Workers rules are off for Node.js code)\n" \
    "  --sarif-category NAME     SARIF runs[0].automationDetails.id (GitHub code scanning)\n" \
    "  --cache                   reuse per-file facts of earlier runs from .isolint-cache/ in\n" \
    "                            the project root (docs/cache.md); reports are unchanged\n" \
    "  --cache-dir DIR           keep the cache in DIR (implies --cache); --no-cache: off\n" \
    "  --compile-commands PATH   C: compile_commands.json (or its directory) for compiler flags\n" \
    "  --max-file-size SIZE      skip files larger than SIZE (512k, 4M...; default 4M; 0: none)\n" \
    "  --parse-timeout MS        parse time budget per TS/JS file (default 10000; 0: none)\n" \
    "  --kb DIR                  read the built-in knowledge base from DIR (default: the\n" \
    "                            installed one; also $ISOLINT_KB_DIR)\n" \
    "  --no-prefilter            parse every file, even those that cannot produce a finding\n" \
    "                            (slower; also reports syntax errors in every file)\n" \
    "  --all-files               check every file as Worker code: also tests, scripts, configs,\n" \
    "                            migrations, browser files and files no entry point reaches\n" \
    "                            (docs/projects.md)\n" \
    "  --no-ignore               also scan what .gitignore and .isolintignore list, and build\n" \
    "                            output (dist, .next, .open-next, .output, .svelte-kit, .nuxt...)\n" \
    "  --force                   scan a file named as PATH even when \"exclude\" matches it\n" \
    "  --no-progress             no progress line on stderr (shown only on a terminal)\n" \
    "  --color, --no-color       force colours on or off in text output (default: on a\n" \
    "                            terminal, unless NO_COLOR is set)\n" \
    "\n" \
    "Directories are searched for .ts .tsx .mts .cts .js .jsx .mjs .cjs .c .h files, skipping\n" \
    "node_modules, .git and .wrangler; files named explicitly are scanned unless excluded.\n" \
    "Exit status: 0 no finding at the fail level or above, 1 findings, 2 could not run.\n"

/* (in two parts: one string literal of them all is longer than C11 compilers must take) */
const char cli_usage_text[] = USAGE_COMMANDS USAGE_ABOUT;
const char cli_scan_usage_text[] = "Usage: isolint scan [OPTIONS] [PATH...]\n" USAGE_ABOUT;
const char cli_scan_options_text[] = USAGE_SCAN_OPTIONS;

int cmd_rules(int argc, char **argv) {
  if (argc > 0)
    cli_die_usage("rules takes no arguments, not '%s'", argv[0]);
  for (uint32_t i = 0; i < il_n_rules; i++) {
    const il_rule *r = il_rules[i];
    printf("%-24s %-8s %s\n", r->id, il_level_name(r->level), r->summary);
  }
  return EXIT_CLEAN;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fputs(cli_usage_text, stderr);
    fputs(cli_scan_options_text, stderr);
    return EXIT_TROUBLE;
  }
  const char *cmd = argv[1];
  if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "-V") == 0 || strcmp(cmd, "version") == 0) {
    printf("isolint %s\n", IL_VERSION);
    return EXIT_CLEAN;
  }
  if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
    fputs(cli_usage_text, stdout);
    fputs(cli_scan_options_text, stdout);
    return EXIT_CLEAN;
  }
  static const struct {
    const char *name;
    int (*run)(int, char **);
  } cmds[] = {{"scan", cmd_scan},         {"rules", cmd_rules},
              {"baseline", cmd_baseline}, {"config", cmd_config},
              {"merge", cmd_merge},       {"install-hook", cmd_install_hook},
              {"lsp", cmd_lsp},           {"explain", cmd_explain}};
  for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++)
    if (strcmp(cmd, cmds[i].name) == 0)
      return cmds[i].run(argc - 2, argv + 2);
  cli_die_usage("unknown command '%s'", cmd);
}
