/* Discovery: which files a scan reads. The walk of the scanned paths (no recursion:
 * an explicit stack; symbolic links followed only inside the scanned roots; loops
 * detected; node_modules, .git, .wrangler and .isolint-cache skipped), the include and
 * exclude globs of isolint.json, in-memory sources (standard input, the git index),
 * the --shard split, the listing of every directory read (so that module resolution
 * can tell a file absent without a system call), and which files an import may make
 * the scan read (context files). Out: the items of a scan, in a deterministic order. */
#ifndef IL_DISCOVER_H
#define IL_DISCOVER_H

#include "base/config.h"
#include "base/diag.h"

struct stat;

/* An in-memory file: text from standard input or from the git index, analyzed
 * as if it lived at `path` (a display path; language from its extension). */
typedef struct il_source {
  const char *path;
  const char *text;
  size_t len;
} il_source;

/* What the warm-run cache's stat fast path compares (docs/cache.md): a file whose
 * size, modification and change times, inode and device match its entry is taken as
 * unchanged (see facts/cache.h). */
typedef struct {
  uint64_t size, mtime_ns, ctime_ns, ino, dev;
} il_file_stat;

/* One file of a scan. */
typedef struct {
  char *fs;      /* path to open; NULL for an in-memory source */
  char *display; /* path to report */
  int lang;
  const il_source *src; /* in-memory text (not owned), or NULL */
  bool context;         /* read only for the cross-file pass: another shard's file, or a
                           file on disk an in-memory source imports; not reported */
  bool has_st;          /* st holds the stat data discovery saw (the cache's fast path) */
  il_file_stat st;
  const il_config *cfg; /* its configuration (nearest isolint.json files, overrides), or
                           NULL: the run's (il_discovery.cfg) */
} il_item;

typedef struct {
  uint64_t dev, ino; /* a dev_t and an ino_t */
} il_fid;

typedef struct {
  il_fid *slots;
  bool *used;
  uint32_t len, cap;
} il_fid_set;

/* The listing of the walk (il_listing_absent): each directory read, by absolute
 * path, with its entry names sorted (strcmp); an open-addressing table over dirs. */
typedef struct {
  char *dir;
  char **names;  /* sorted by strcmp (the walk's order) */
  char **folded; /* the same, sorted by strcasecmp */
  uint32_t n;
} il_listed_dir;

struct il_listing {
  IL_ARRAY(il_listed_dir) dirs;
  uint32_t *table; /* index + 1, 0 empty */
  uint32_t cap;
};

typedef struct il_listing il_listing;

/* Ignore files (discover/ignore.c): their lines, and per directory that has one, a
 * frame chained to the nearest enclosing directory's. */
typedef struct {
  char *pat;
  bool neg, dir_only, anchored;
} il_ignore_rule;

typedef struct {
  int32_t parent; /* enclosing frame, -1 */
  char *dir;      /* absolute */
  uint32_t first, n; /* its rules */
} il_ignore_frame;

typedef struct {
  IL_ARRAY(il_ignore_rule) rules;
  IL_ARRAY(il_ignore_frame) frames;
} il_ignore;

/* Reads abs_dir's .gitignore and .isolintignore (those in names[0..n), or, names NULL,
 * whichever exists) and returns the frame for entries of abs_dir: a new one, or parent
 * when the directory has no ignore file. */
int32_t il_ignore_enter(il_ignore *ig, int32_t parent, const char *abs_dir, char *const *names,
                        uint32_t n_names);
/* Do the ignore files of frame and its parents ignore abs_path (a directory: is_dir)? */
bool il_ignore_match(const il_ignore *ig, int32_t frame, const char *abs_path, bool is_dir);
void il_ignore_fini(il_ignore *ig);
/* Directories never walked: node_modules, .git, .wrangler, .isolint-cache. */
bool il_skipped_dir_name(const char *name);
/* Build output directories, not walked unless --no-ignore: dist, .open-next, .output,
 * .svelte-kit, .next, .nuxt, .vercel, .turbo, .netlify. */
bool il_build_dir_name(const char *name);
/* Would the walk of the current directory cwd skip path (a file named on the command
 * line, a staged file)? A directory on its way the walk never enters (node_modules,
 * .git...; build output unless cfg->no_ignore), or a line of an ignore file between cwd
 * and it (unless cfg->no_ignore). Paths outside cwd: false. */
bool il_ignored_path(const il_config *cfg, const char *cwd, const char *path);
/* The glob matching of the include/exclude patterns (`*`, `?`, `**`). */
bool il_glob_match(const char *pattern, const char *path);

/* Per-directory configuration (core/config_set.c), called from discovery only (one
 * thread): dir gives the configuration of the entries of abs_dir (names: its entries,
 * sorted, when the walk read them, else NULL); file gives the one of the file abs_path
 * found there (dir_cfg with the "overrides" that match it). Both never return NULL. */
typedef struct {
  const il_config *(*dir)(void *ctx, const char *abs_dir, char *const *names, uint32_t n);
  const il_config *(*file)(void *ctx, const il_config *dir_cfg, const char *abs_path,
                           const char *display);
  void *ctx;
} il_config_source;

typedef struct {
  const il_config *cfg; /* the run's: run-wide options; every file's when configs is NULL */
  const il_config_source *configs; /* per-directory configurations, or NULL */
  IL_ARRAY(il_item) items;
  il_ignore ignore; /* the ignore files the walk read */
  il_listing listing; /* what the walk read */
  il_fid_set dirs;  /* directories entered (loop detection) */
  il_fid_set files; /* files taken (duplicates through symlinks) */
  IL_ARRAY(char *) roots; /* realpaths of the scanned roots */
  il_file_out notes;
  bool missing;
} il_discovery;


/* Walks paths[0..n) (n 0: ".") into d: files named explicitly are taken unless an exclude
 * glob matches them (and cfg->force is off), directories are walked (excludes apply to
 * every path found, includes to the files).
 * A path that does not exist is an error note and sets d->missing. */
void il_discover_paths(il_discovery *d, const char *const *paths, uint32_t n);
/* In-memory sources: no walk, but the same language, include and exclude rules. */
void il_discover_sources(il_discovery *d, const il_source *sources, uint32_t n);
/* --shard K/N (index K 1-based, count N): marks the items of the other shards as context. */
void il_discover_shard(il_discovery *d, uint32_t shard_index, uint32_t shard_count);
/* Frees what d holds (the items' own paths are the caller's to free). */
void il_discovery_fini(il_discovery *d);

/* The shard (0-based) a display path belongs to among n: stable across runs,
 * machines and file additions elsewhere in the tree. */
uint32_t il_shard_of(const char *display_path, uint32_t n);

/* The path to report for path: without leading "./", relative to the current
 * directory when under it; malloc'd. */
char *il_display_of(const char *path);
/* The stat data the cache compares. */
void il_file_stat_of(const struct stat *st, il_file_stat *out);

/* The isolint.json globs (glob.c): is a path excluded; is it included (no "include"
 * pattern: every file is)? display: the path as reported; abs: the same, absolute and
 * normalized (NULL: computed from display when a glob needs it). */
bool il_excluded(const il_config *cfg, const char *display, const char *abs);
bool il_included(const il_config *cfg, const char *display, const char *abs);
/* Does one of globs[0..n) match the path (the matching of "exclude"; a glob relative to a
 * directory matches only paths under it)? */
bool il_globs_match(const il_glob *globs, uint32_t n, const char *display, const char *abs);

/* The listing of the walk (listing.c). */
/* True when path (absolute, normalized) is in a directory the walk read and that
 * directory had no entry of its name then: the file is absent, no stat() needed. */
bool il_listing_absent(const il_listing *l, const char *path);
/* Records directory dir (absolute, taken over) and its entry names (sorted by
 * strcmp; the array and the strings are taken over). */
void il_listing_add(il_listing *l, char *dir, char **names, uint32_t n);
void il_listing_free(il_listing *l);

/* May an import lead the scan to read this file? Only inside the scanned paths or
 * the current directory (resolved through symbolic links): an import, a tsconfig
 * alias or a link in an untrusted tree cannot make isolint read /etc or $HOME. */
typedef struct {
  char *cwd_real; /* the current directory, resolved (NULL: not yet, or unknown) */
  bool cwd_done;
  char *dir, *dir_real; /* the last directory resolved, and its realpath (NULL: none) */
} il_context_paths;

void il_context_paths_fini(il_context_paths *cp);
/* Is path readable as context (a path that is gone is: reading it fails harmlessly)?
 * *st: its lstat, when *has_st. The paths should come sorted (each directory is
 * resolved once). */
bool il_readable_context(const il_discovery *d, il_context_paths *cp, const char *path,
                         struct stat *st, bool *has_st);

#endif
