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
/* Applies an isolint.json: {"rules": {"id": "error|warning|note|off"}, "include": [globs],
 * "exclude": [globs], "handlers": [names], "clients": [kb rows], "target":
 * "workers|node|auto", "docsUrl": "url", "$schema": "uri"}. Unknown keys and bad values fail with
 * *err naming the key and the file. */
bool il_config_load(il_config *cfg, const char *path, char **err);
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
