/* The module graph's insides, shared by project/ (modgraph.c, target.c) and flow/
 * (link.c, layers.c); nothing else includes it. */
#ifndef IL_PROJECT_GRAPH_INT_H
#define IL_PROJECT_GRAPH_INT_H

#include <sys/stat.h>

#include "project/modgraph.h"

/* ---- string -> int32 map ---- */
typedef struct {
  char **keys;
  int32_t *vals;
  uint32_t len, cap;
} il_strmap;

typedef IL_ARRAY(char *) il_path_list;

typedef struct {
  char *prefix, *suffix; /* key split at its '*' (suffix NULL: no '*', exact match) */
  IL_ARRAY(char *) subst;
} path_pattern;

typedef struct {
  char *base_url;  /* absolute, or NULL */
  char *paths_dir; /* what paths' substitutions are relative to */
  IL_ARRAY(path_pattern) patterns;
  IL_ARRAY(const char *) prefixes; /* for the prefilter */
} tsconfig;

/* What an export resolves to: a declaration of a file of the scan (file >= 0), a
 * package export (module, name), or nothing (file -1, module NULL). */
typedef struct {
  int32_t file, decl;
  const char *module, *name;
} xres;

typedef struct il_workspace il_workspace; /* workspace.c */

struct il_modgraph {
  /* files */
  IL_ARRAY(char *) abs;
  IL_ARRAY(const char *) display; /* borrowed from the scan */
  IL_ARRAY(il_facts *) facts;
  IL_ARRAY(int32_t) tsc; /* tsconfig of each file, -1 */
  IL_ARRAY(il_path_list) lex; /* files without facts: the specifiers their text names */
  il_strmap by_path;        /* absolute path -> file */
  /* tsconfig files */
  IL_ARRAY(tsconfig *) configs;
  il_strmap config_of_dir; /* directory -> config index, -1 none */
  il_strmap config_file;   /* tsconfig path -> config index, -1 broken */
  il_strmap asked;         /* probed on disk: 0 returned by il_modgraph_missing (or added), 1 no source file */
  IL_ARRAY(bool) settled; /* il_modgraph_missing: the file's specifiers can find nothing new */
  uint32_t open_probes;   /* probes that met a path returned by il_modgraph_missing */
  il_strmap memo;          /* "file\x01name" -> result index; -2 in progress */
  IL_ARRAY(xres) results;
  il_file_out *notes;
  /* target detection */
  /* each allocated alone: il_modgraph_target hands out pointers that must stay valid
   * while later lookups add signals */
  IL_ARRAY(il_target_signal *) signals;
  il_strmap signal_of_dir;
  IL_ARRAY(il_entry_hop) hop; /* per file: how the Worker's entry point reaches it */
  /* packages (each directory with a package.json or a Wrangler configuration) */
  IL_ARRAY(il_package *) packages;
  il_strmap package_of_dir;   /* directory -> nearest package at or above it, -1 none */
  IL_ARRAY(int32_t) pkg;      /* per file: its package, -1 */
  IL_ARRAY(uint8_t) reach;    /* per file: il_reach */
  char *cwd;                  /* the current directory (bounds the packages looked for) */
  /* workspaces (workspace.c) */
  IL_ARRAY(il_workspace *) workspaces;
  il_strmap ws_of_dir;       /* directory -> workspace at or above it, -1 none */
  IL_ARRAY(int32_t) wsp;     /* per file: its workspace, -1 none, -2 not looked up yet */
  il_strmap ws_prefixes;     /* "tsconfig:workspace" -> index into ws_lists */
  IL_ARRAY(il_path_list) ws_lists; /* prefilter prefixes (strings borrowed) */
  IL_ARRAY(il_entry_class) classes; /* Durable Object / Workflow classes of the configurations */
  IL_ARRAY(char *) extra_configs; /* Wrangler configurations no signal names (hops name them) */
  il_arena *arena;            /* strings that outlive the facts (hop handler names) */
  char *const *roots;         /* realpaths of the scanned paths (borrowed), for in_project */
  uint32_t n_roots;
  const il_listing *listing;  /* what the scan's walk read (borrowed), or NULL */
};

/* ---- shared helpers (modgraph.c) ---- */

int32_t *il_mg_strmap_slot(il_strmap *m, const char *key, bool insert);
/* -1 when absent */
int32_t il_mg_strmap_get(il_strmap *m, const char *key);
void il_mg_strmap_put(il_strmap *m, const char *key, int32_t val);
void il_mg_strmap_free(il_strmap *m);
/* Is path dir or below it (lexically)? */
bool il_mg_under(const char *path, const char *dir);
/* ".", "..", "./..." or "../..." */
bool il_mg_is_relative(const char *spec);
/* JSON with comments and trailing commas (what tsc accepts) into strict JSON; malloc'd. */
char *il_mg_strip_jsonc(const char *t, size_t n);
/* stat(), but a path the walk saw absent from its directory costs no system call. */
int il_mg_stat_p(const il_modgraph *g, const char *path, struct stat *st);
/* Reads a regular file whole (malloc'd, NUL-terminated); false when it cannot. */
bool il_mg_read_all(const char *path, char **data, size_t *len);
/* The file of the scan at base with a source extension or as a directory index, or -1. */
int32_t il_mg_probe_module(il_modgraph *g, const char *base, il_path_list *missing);
/* The file of the scan a specifier written in file i names (>= 0), or < 0: a package
 * (-1) or a local path that names no file we have (-2). */
int32_t il_mg_resolve_spec(il_modgraph *g, uint32_t i, const char *spec, il_path_list *missing);
/* Nothing (file -1, module NULL). */
xres il_mg_none(void);
/* What export `name` of file resolves to (memoized, cycles and chains over 64 give nothing). */
xres il_mg_resolve_export(il_modgraph *g, int32_t file, const char *name, int depth);

/* ---- workspace packages (workspace.c) ---- */

/* The file of the scan a bare specifier written in file i names through the workspace
 * above i (a member package's package.json exports / module / main), or < 0. With
 * missing, files on disk are probed as il_mg_probe_module does. */
int32_t il_mg_resolve_workspace(il_modgraph *g, uint32_t i, const char *spec,
                                il_path_list *missing);
void il_mg_workspace_free(il_workspace *w);
/* The prefilter's prefixes for a file at abs whose tsconfig is c (-1 none): those of
 * *prefixes, plus the names of the members of the workspace above the file, if any
 * (then *prefixes becomes an array owned by g). */
void il_mg_workspace_prefixes(il_modgraph *g, const char *abs, int32_t c,
                              const char *const **prefixes, uint32_t *n);

#endif
