/* The command line: shared pieces of the subcommands. Only analyzer/cli prints
 * usage, talks to the terminal or calls exit(). */
#ifndef IL_CLI_H
#define IL_CLI_H

#include "output/output.h"
#include "core/run.h"

/* Exit status, documented in docs/usage.md. */
enum {
  EXIT_CLEAN = 0,    /* ran; no finding at or above the fail level */
  EXIT_FINDINGS = 1, /* ran; findings at or above the fail level */
  EXIT_TROUBLE = 2,  /* could not run as asked: bad option, missing path, bad config, I/O error */
};

extern const char cli_usage_text[];      /* `isolint --help` */
extern const char cli_scan_usage_text[]; /* `isolint scan --help`, then: */
extern const char cli_scan_options_text[]; /* the scan options (both helps end with them) */

/* Prints "isolint: <fmt with arg>" and a hint to stderr, exits 2. */
_Noreturn void cli_die_usage(const char *fmt, const char *arg);

/* Nearest isolint.json from `start` (a file or directory) up to the root, or NULL. */
char *cli_find_config(const char *start);

/* True when `path` exists and is neither a regular file nor a directory (a
 * device such as /dev/null, a FIFO): such outputs are written in place. */
bool cli_is_special_file(const char *path);

/* Writes `path` with write(fp, ctx) through a temporary file in its directory,
 * fsync and rename(), so the file is either complete or untouched; a special
 * file is written in place. Errors name the path and `what` on stderr. */
bool cli_write_with(const char *path, bool (*write)(FILE *, void *), void *ctx,
                    const char *what);

/* cli_write_with for a report. */
bool cli_write_atomic(const char *path, const il_output_opts *o, const il_config *cfg,
                      const il_result *r);

/* Initializes base with the built-in knowledge base (kb_dir or the default); exits 2 with
 * a message on error. */
void cli_config_base(il_config *base, const char *kb_dir);
/* The per-directory configurations over base (core/run.h, il_config_set_new): `config`
 * (--config FILE) for every file if given, none with no_config, else each directory's
 * isolint.json files. Exits 2 with a message naming the file on error (base is freed). */
il_config_set *cli_config_set(il_config *base, const il_config_layer *cli, const char *config,
                              bool no_config);
/* Exits 2 (freeing set and base) when set met a bad isolint.json. */
void cli_config_check(il_config_set *set, il_config *base);

/* Everything `isolint scan` accepts. */
typedef struct {
  il_output_opts o;
  const char *output, *config, *kb_dir, *baseline, *stdin_filename;
  bool no_config, no_prefilter, staged, exit_zero;
  bool all_files, no_ignore;
  bool force; /* --force: files named on the command line even when "exclude" matches them */
  bool no_progress; /* --no-progress: no progress line on stderr even on a terminal */
  const char *compile_commands; /* --compile-commands PATH (C front-end), or NULL */
  il_level fail_level; /* findings at or above it make exit 1 (default warning) */
  int color;           /* -1 auto, 0 off, 1 on */
  unsigned jobs;
  uint32_t shard_k, shard_n;
  IL_ARRAY(const char *) paths;
  IL_ARRAY(const char *) excludes;
  IL_ARRAY(const char *) rule_levels; /* --rule id=level */
  int target; /* --target: an il_target, or -1 when not given (the config's "target") */
  int64_t max_file_size;    /* --max-file-size in bytes, 0 no limit; -1 not given (default) */
  int64_t parse_timeout_ms; /* --parse-timeout, 0 none; -1 not given (default) */
  bool cache;             /* --cache / --cache-dir (the last of them and --no-cache wins) */
  const char *cache_dir;  /* --cache-dir DIR, or NULL: .isolint-cache in the project root */
} cli_scan_args;

/* Parses scan options into a (zeroed by the caller); exits 2 on a bad option. */
void cli_scan_parse(cli_scan_args *a, int argc, char **argv);
/* Runs a parsed scan and writes the report; returns the exit status. */
int cli_scan_run(cli_scan_args *a);
void cli_scan_args_fini(cli_scan_args *a);

/* --staged (staged.c): the staged content of every added, copied, modified or
 * renamed source file in the git index of the current directory's repository,
 * as in-memory sources with the paths as the user sees them. False with *err
 * set when git cannot be asked (not a repository, git missing). The caller
 * frees with cli_staged_free. */
bool cli_staged_sources(il_source **out, uint32_t *n, char **err);
void cli_staged_free(il_source *s, uint32_t n);

/* Subcommands, one file each. */
int cmd_scan(int argc, char **argv);         /* scan_cmd.c */
int cmd_rules(int argc, char **argv);        /* main.c */
int cmd_baseline(int argc, char **argv);     /* baseline_cmd.c */
int cmd_config(int argc, char **argv);       /* config_cmd.c */
int cmd_merge(int argc, char **argv);        /* merge.c */
int cmd_install_hook(int argc, char **argv); /* hook.c */
int cmd_lsp(int argc, char **argv);          /* lsp.c */
int cmd_explain(int argc, char **argv);      /* explain.c */

#endif
