/* The options of a run as plain data: set up by the run (core/config.c: il_config_init,
 * il_config_load) and read by every stage (the walk's globs, the front-ends' handlers and
 * compile database, the rules' levels). Only the struct lives here, so a lower stage can
 * read it without including the run. */
#ifndef IL_BASE_CONFIG_H
#define IL_BASE_CONFIG_H

#include "base/common.h"

struct il_kb;

#define IL_MAX_RULES 32

/* isolint.json "target": the runtime the code is written for. Stored only: the
 * rules do not use it yet (target detection is a later issue). */
typedef enum { IL_TARGET_AUTO = 0, IL_TARGET_WORKERS, IL_TARGET_NODE } il_target;

/* isolint.json "nodeCode": the kinds of file taken as Node.js code (never shipped in a
 * Worker) by their path, when no entry point of their package is known. */
enum {
  IL_CODE_TESTS = 1u << 0,      /* "tests": *.test.*, *.spec.*, test/, tests/, __tests__/, e2e/... */
  IL_CODE_SCRIPTS = 1u << 1,    /* "scripts": scripts/, bin/, .github/ */
  IL_CODE_CONFIGS = 1u << 2,    /* "configs": *.config.*, .*rc.js */
  IL_CODE_MIGRATIONS = 1u << 3, /* "migrations": migrations/, seeds/, drizzle/, prisma/, seed.* */
  IL_CODE_ASSETS = 1u << 4,     /* "assets": public/, static/, htdocs/, a Vite single-page app */
  IL_CODE_ALL = (1u << 5) - 1
};

/* An include, exclude or overrides glob and the directory it is relative to: the
 * directory of the isolint.json holding it (absolute, lexically normalized), or NULL for a
 * glob matched against the display path (--exclude, --config FILE). Both owned. */
typedef struct {
  char *pat;
  char *base;
} il_glob;

/* isolint.json "unknownCalls": what a call of a function or class value flow knows
 * nothing of (imported, no knowledge-base row, no summary in the scan) holds when one of
 * its arguments holds a client (flow/values.c). The default keeps precision: an object
 * built around a client keeps it, while a function handed one (`await loadUser(db, id)`)
 * mostly returns data. */
typedef enum {
  IL_HOLD_NEW = 0, /* "new" (default): `new Wrapper(client)` holds it; plain calls do not */
  IL_HOLD_NONE,    /* "none": neither does */
  IL_HOLD_ALL,     /* "all": also a call of a function imported from a package */
} il_hold;

typedef struct il_config {
  struct il_kb *kb;                /* owned unless kb_borrowed (facts/kb.h) */
  bool kb_borrowed;                /* kb belongs to another config (a resolved per-file one) */
  int8_t rule_level[IL_MAX_RULES]; /* per il_rules[] index: -1 default, else an il_level */
  IL_ARRAY(il_glob) excludes;      /* owned */
  IL_ARRAY(il_glob) includes;      /* owned; empty: every source file */
  IL_ARRAY(char *) handlers;       /* extra handler function names (owned) */
  char *path;                      /* the nearest config file it came from, or NULL */
  IL_ARRAY(char *) sources;        /* what made it, farthest first (owned): each isolint.json,
                                      then each "FILE: overrides[i]" that matched the file */
  const void *origin;              /* core/config_set.c's resolution node (its overrides), or
                                      NULL for a configuration made by hand */
  bool force;                      /* --force: files named on the command line are analyzed
                                      even when "exclude" matches them */
  bool no_prefilter;               /* parse every file, even one that names no client module */
  bool no_ignore;                  /* --no-ignore: no .gitignore / .isolintignore, and build
                                      output directories (dist, .next...) are walked */
  il_target target;                /* "target" of isolint.json (default auto) */
  uint32_t node_code;              /* "nodeCode": IL_CODE_* bits (default IL_CODE_ALL) */
  bool all_files;                  /* --all-files / "allFiles": every file is Worker code */
  uint32_t n_builtin_clients;      /* kb rows before the config's "clients" */
  char *compile_commands;          /* C: --compile-commands file or directory (owned), or NULL */
  char *docs_url;                  /* "docsUrl": where the rule pages are published (owned), or
                                      NULL: no links to them in reports (il_rule_docs_url) */
  /* Limits (docs/security.md); command-line options only, so a scanned tree cannot lift them. */
  uint64_t max_file_size;          /* bytes; larger files are skipped (ISOL0006); 0: no limit */
  uint32_t parse_timeout_ms;       /* tree-sitter budget per file (ISOL0006); 0: no limit */
} il_config;

#endif
