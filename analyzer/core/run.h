/* A run: configuration, file discovery, parallel analysis and the collected,
 * sorted results. The CLI, the fixture runner and the tests drive the core
 * through this header. */
#ifndef IL_RUN_H
#define IL_RUN_H

#include "base/finding.h"
#include "facts/kb.h"
#include "base/config.h"
#include "base/path.h"
#include "discover/discover.h"

#define IL_DEFAULT_MAX_FILE_SIZE (4u << 20) /* 4 MiB */
#define IL_DEFAULT_PARSE_TIMEOUT_MS 10000u
/* Facts records of one kind a file may hold before it is dropped (ISOL0006). The
 * environment variable ISOLINT_MAX_FACTS lowers it (a testing knob only). */
#define IL_MAX_FACTS_PER_KIND 1000000u
uint32_t il_max_facts(void);

/* Initializes a config with the built-in knowledge base loaded from `kb_dir`
 * (NULL: the installed or source-tree rules/kb, see il_kb_default_dir()). */
bool il_config_init(il_config *cfg, const char *kb_dir, char **err);
void il_config_fini(il_config *cfg);
/* Applies one isolint.json (JSON with comments and trailing commas, docs/config.md): {"rules":
 * {"id": "error|warning|note|off"}, "include": [globs], "exclude": [globs], "handlers":
 * [names], "clients": [kb rows], "target": "workers|node|auto", "docsUrl": "url", "overrides":
 * [{"files": [globs], "rules": {...}}], "root": true, "$schema": "uri"}, its globs matched
 * against display paths (as --config FILE is) and its "clients" added to cfg->kb; its
 * "overrides" need a file's path, so only a config set (below) applies them. Unknown keys
 * and bad values fail with *err naming the key and the file. */
bool il_config_load(il_config *cfg, const char *path, char **err);
/* Fills dst with a copy of src sharing src's knowledge base (dst->kb_borrowed). */
void il_config_copy(il_config *dst, const il_config *src);

/* What one layer of configuration sets (-1: not set): the command line's --rule,
 * --target and --all-files over every file's, or one entry of "overrides". */
typedef struct il_config_layer {
  int8_t rule_level[IL_MAX_RULES]; /* an il_level, or -1 */
  int8_t target;                   /* an il_target, or -1 */
  int8_t all_files;                /* 0, 1, or -1 */
  int32_t node_code;               /* IL_CODE_* bits, or -1 */
} il_config_layer;

void il_config_layer_init(il_config_layer *l); /* nothing set */
void il_config_apply_layer(il_config *cfg, const il_config_layer *l);

/* ---- per-directory configuration (core/config_set.c, docs/config.md) ----------------
 * Each file's configuration is made of the isolint.json files from its directory up to
 * the first one with "root": true, or to the top of the repository (a directory holding
 * .git), or to "/", merged farthest first; then the "overrides" entries whose globs match
 * the file, in order; then the command line. Each directory is resolved once (a table by
 * absolute path), so a scan adds no per-file walk up the tree. */
typedef struct il_config_set il_config_set;

/* base: the run's options (knowledge base, limits, --exclude, --force...; its kb receives
 * the "clients" rows, the rest is copied into every configuration); borrowed, it outlives
 * the set. cli: --rule/--target/--all-files (NULL: none). fixed: --config FILE, applied to
 * every file with its globs relative to the current directory (as Ruff does); no_config:
 * no file at all. NULL with *err when the fixed file is bad. */
il_config_set *il_config_set_new(il_config *base, const il_config_layer *cli, const char *fixed,
                                 bool no_config, char **err);
void il_config_set_free(il_config_set *s); /* NULL: no-op */
/* The configuration of the entries of directory abs_dir (absolute, normalized); names: its
 * entries sorted by strcmp when the caller listed it (spares two stat() calls), else NULL.
 * Never NULL: a bad isolint.json is left out and recorded (il_config_set_error). Lives
 * as long as the set. */
const il_config *il_config_set_dir(il_config_set *s, const char *abs_dir, char *const *names,
                                   uint32_t n);
/* dir_cfg (from il_config_set_dir of the file's directory) with the "overrides" matching
 * the file abs_path (display: how it is reported; NULL: abs_path). */
const il_config *il_config_set_file(il_config_set *s, const il_config *dir_cfg,
                                    const char *abs_path, const char *display);
/* The configuration of path (a file: its directory's with its overrides; a directory: its
 * own; a path that does not exist: as a file in its nearest existing directory). */
const il_config *il_config_set_path(il_config_set *s, const char *path);
/* The first bad isolint.json met ("FILE:LINE:COL: message"), or NULL. */
const char *il_config_set_error(const il_config_set *s);
/* The discovery callbacks (discover/discover.h) over s. */
il_config_source il_config_set_source(il_config_set *s);
/* Once the files of a run are known: adds the "clients" of every isolint.json read so far
 * to the knowledge base (sorted by path, so farther files first and argument order does
 * not matter), and notes (into notes, NULL: none) the run-wide keys ("docsUrl") set by a
 * file that run_cfg does not come from, which are not used. A file read later (an import
 * leading outside the scanned paths) gets a note when it has "clients". */
void il_config_set_seal(il_config_set *s, const il_config *run_cfg, il_file_out *notes);
/* Moves the notes about files read after the seal into notes. */
void il_config_set_notes(il_config_set *s, il_file_out *notes);

/* The effective configuration of path (a file or directory, which need not exist), as a
 * scan resolves it, for one-off users (the language server): cfg (il_config_init) gets the
 * merged isolint.json files, the overrides matching path and their "clients". False with
 * *err naming the file on a bad isolint.json (cfg then unchanged). */
bool il_config_load_for(il_config *cfg, const char *path, char **err);
/* The directory holding the built-in knowledge base: $ISOLINT_KB_DIR, else the
 * installed data dir, else the source tree's rules/kb. */
const char *il_kb_default_dir(void);
/* "auto", "workers", "node". */
const char *il_target_name(il_target t);
/* isolint.json "nodeCode" names, in IL_CODE_* bit order, NULL-terminated. */
extern const char *const il_code_class_names[];
/* Effective level of rule `i` for a finding reported at `level`. */
il_level il_config_level(const il_config *cfg, uint32_t rule_index, il_level level);

typedef struct il_result {
  IL_ARRAY(il_finding) findings;       /* sorted by (path, line, col, rule id) */
  IL_ARRAY(il_notification) notes;     /* sorted by (path, line, message) */
  uint32_t n_files;                    /* files analyzed */
  bool missing_path;                   /* an explicit path did not exist: exit 2 */
  char *config_error;                  /* a bad isolint.json met during the scan (arena), or
                                          NULL: nothing was analyzed, exit 2 */
  bool read_error;                     /* a file could not be read (ISOL0001): exit 2 */
  il_arena *arena;                     /* owns every string above, with arenas */
  IL_ARRAY(il_arena *) arenas;         /* per-file arenas holding findings (owned) */
} il_result;

typedef struct il_scan_opts {
  const char *const *paths; /* files or directories; NULL/0: "." */
  uint32_t n_paths;
  const il_source *sources; /* when n_sources > 0: analyze these instead of discovering paths */
  uint32_t n_sources;
  /* Files read from memory instead of disk when an import leads to them (context files:
   * an editor's unsaved buffers), by absolute, normalized path (il_abs_path); not owned. */
  const il_source *overlays;
  uint32_t n_overlays;
  unsigned jobs;            /* 0: all cores */
  const char *root;         /* display paths are relative to it; NULL: the current directory */
  uint32_t shard_index;     /* --shard K/N: analyze only shard K (1-based) of N; 0/0: all */
  uint32_t shard_count;
  const char *cache_dir;    /* the warm-run cache's directory (facts/cache.h), NULL: no cache */
  il_config_set *configs;   /* each file's isolint.json files (sealed by il_scan once the
                               files are known); NULL: cfg for every file */
  /* Called from the scan's threads (one at a time, at most about 10 times a second, and
   * once more with done == total) while the files are read and parsed; NULL: none. */
  void (*progress)(void *ctx, uint32_t done, uint32_t total);
  void *progress_ctx;
} il_scan_opts;

/* Discovers and analyzes every file under the paths in parallel. Results are
 * deterministic whatever jobs is. Never fails as a whole: per-path problems
 * are notifications (and missing_path). */
void il_scan(const il_config *cfg, const il_scan_opts *opts, il_result *out);

/* Analyzes one in-memory file as if it lived at display path `path` and appends
 * its findings and notifications to out (unsorted; call il_result_sort). */
void il_analyze_text(const il_config *cfg, const char *path, const char *text, size_t len,
                     il_result *out);

/* Sets every finding's fingerprint (il_finding.fingerprint); r must be sorted. */
void il_result_fingerprint(il_result *r);

void il_result_init(il_result *r);
void il_result_fini(il_result *r);
void il_result_sort(il_result *r);


#endif
