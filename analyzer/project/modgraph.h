/* The project model: the files of a scan as a module graph (project/modgraph.c), the
 * tsconfig.json/jsconfig.json paths and baseUrl, module resolution, the runtime each
 * file is written for (project/target.c: Wrangler, Nitro, Nuxt, package.json signals)
 * and the Worker's entry points with what they reach. Phase 2 of a scan, serial; the
 * value flow across files (flow/) works on this graph. */
#ifndef IL_PROJECT_MODGRAPH_H
#define IL_PROJECT_MODGRAPH_H

#include "base/diag.h"
#include "discover/discover.h"
#include "facts/facts.h"

struct il_cache_slot;

/* Extra reasons for the prefilter to keep a file in a scan (cross-file analysis):
 * a file that imports a local module can use or re-export a client defined there. */
typedef struct {
  bool relative;                 /* keep files naming a "./" or "../" module */
  const char *const *prefixes;   /* tsconfig paths prefixes ("@/"): keep files naming one */
  uint32_t n_prefixes;
  bool any_import;               /* a baseUrl applies: keep files with any import */
  bool force;                    /* parse whatever the text names (a needed candidate) */
  struct il_cache_slot *cache;   /* the file's warm-run cache entry (facts/cache.h), or NULL */
} il_prefilter_ext;

typedef struct il_modgraph il_modgraph;

typedef struct il_modgraph il_modgraph;

/* tsconfig problems are reported into notes (IL_NOTE_CONFIG warnings). */
il_modgraph *il_modgraph_new(il_file_out *notes);
/* The realpaths of the scanned paths (borrowed, must outlive g): tsconfig files of
 * the tree and what they extend are not read outside them and the current directory. */
void il_modgraph_set_roots(il_modgraph *g, char *const *roots, uint32_t n);
void il_modgraph_free(il_modgraph *g);
/* The walk's listing (borrowed, must outlive g; NULL: none): probes of paths it
 * shows absent cost no system call. */
void il_modgraph_set_listing(il_modgraph *g, const il_listing *l);
/* The prefilter extension for a file at absolute path `abs`: relative imports, and
 * the aliases of the nearest tsconfig.json/jsconfig.json (found walking up, parsed
 * once, a broken one reported into notes once and ignored). Not thread-safe: call
 * before the parallel phase. The strings live as long as g. */
void il_modgraph_prefilter(il_modgraph *g, const char *abs, il_prefilter_ext *ext);
/* Adds a file after phase 1 (f may be NULL: skipped or unreadable; then specs, if
 * any, are the specifiers its text names, taken over by the graph: one allocation when
 * packed, as lex_specifiers makes them, else each string too); returns its index. */
uint32_t il_modgraph_add(il_modgraph *g, const char *abs, const char *display, il_facts *f,
                         char **specs, uint32_t n_specs, bool packed);
/* Sets the facts of a file added without (a candidate parsed later). */
void il_modgraph_set_facts(il_modgraph *g, uint32_t file, il_facts *f);
/* Which candidates (candidate[i]) must be parsed: those naming a module that leads,
 * through the imports of parsed files and candidates, to a parsed file whose exports
 * can give an importer a finding (feeds[i]: a knowledge-base or Effect SQL module).
 * Sets needed[i]. Serial, linear. */
void il_modgraph_needed(il_modgraph *g, const bool *candidate, const bool *feeds, bool *needed);
/* Absolute paths of files on disk that local imports of the graph's files name but
 * the graph does not hold yet (each returned once over the graph's life); malloc'd
 * strings pushed onto out. */
void il_modgraph_missing(il_modgraph *g, void *out /* IL_ARRAY(char *) * */);
/* What tells the runtime of a file (target detection). */
typedef struct {
  il_target target; /* IL_TARGET_WORKERS or IL_TARGET_NODE */
  char *path;       /* absolute path of the file that says so */
  const char *what; /* "a Wrangler configuration", "a Node.js server dependency"... */
} il_target_signal;

/* The runtime file `file` is written for: Workers when it imports a cloudflare:
 * module, else what the nearest directory above it with a signal says (wrangler.toml
 * / .json / .jsonc, a Nitro or Nuxt config with a cloudflare preset, package.json
 * naming @cloudflare/vite-plugin, @opennextjs/cloudflare, wrangler or
 * @cloudflare/workers-types, or else a Node server framework, vercel.json), else
 * Workers. *signal: the signal used, NULL for none; it stays valid (and at the same
 * address) until il_modgraph_free, whatever later calls find. Serial. */
il_target il_modgraph_target(il_modgraph *g, uint32_t file, const il_target_signal **signal);
/* How the Worker's entry point (`main` of a Wrangler configuration) reaches a file
 * through imports: the entry's request handler that uses the import starting the
 * way (else the import statement), and the file that import names (via). */
typedef struct {
  bool set;
  il_location loc;    /* in the entry file */
  const char *path;   /* display path of the entry file (owned by the graph) */
  uint32_t via;       /* the file the entry's import names */
  const char *config; /* absolute path of the Wrangler configuration, or NULL */
  const char *why;    /* why the entry is one: "main in wrangler.jsonc", "a Nuxt server
                         file" (owned by the graph) */
  const char *handler; /* request handler of the entry file that uses the import (loc is
                          that use), NULL: none does (loc is the import) */
  const char *binding; /* with handler: the imported name it uses */
} il_entry_hop;

/* A package: a directory with its own package.json or Wrangler configuration. */
typedef struct {
  char *dir;         /* absolute */
  uint32_t entries;  /* entry points of the package found in the scan */
  const char *first; /* display path of its first entry point (owned by the graph), or NULL */
  const char *why;   /* why that file is an entry point: "main in wrangler.jsonc"... */
} il_package;

/* What the entry points say about a file. */
typedef enum {
  IL_REACH_UNKNOWN = 0, /* its package has no known entry point */
  IL_REACH_ENTRY,       /* it is an entry point */
  IL_REACH_REACHED,     /* an entry point (of any package) reaches it through imports */
  IL_REACH_UNREACHED    /* its package has entry points, none of which reaches it */
} il_reach;

/* Finds each package's entry points (the `main` of every Wrangler configuration of the
 * package directory, wrangler.<env>.jsonc too; framework server files: see
 * docs/projects.md) and walks the imports from them (breadth first, so the shortest
 * way): the hops (il_modgraph_hop) and what each file is (il_modgraph_reach). Call
 * after target detection (il_modgraph_target found the configurations) and before
 * il_modgraph_link. Serial, linear in the files and imports. */
void il_modgraph_entries(il_modgraph *g);
il_reach il_modgraph_reach(const il_modgraph *g, uint32_t file);
/* The package of a file, or NULL (valid until il_modgraph_free). */
const il_package *il_modgraph_package(const il_modgraph *g, uint32_t file);

/* Code that runs in Node.js, never in a Worker, by its path (isolint.json "nodeCode"):
 * IL_CODE_* bits of base/config.h. */
uint32_t il_path_code_class(const char *rel);
/* The class of file: its path taken from the outermost package directory above it
 * inside the scanned paths or the current directory (else from the scanned path). */
uint32_t il_modgraph_code_class(il_modgraph *g, uint32_t file);
/* A Durable Object or Workflow class a Wrangler configuration names (class_name of
 * durable_objects.bindings without script_name, of workflows), found in a file of the scan. */
typedef struct {
  uint32_t file;
  uint32_t start_byte, end_byte; /* what its members span */
  il_location loc;               /* its name */
  const char *message;           /* "Durable Object class Counter (wrangler.jsonc)" (the graph's) */
} il_entry_class;
/* The class of file whose members hold byte offset `at`, or NULL. */
const il_entry_class *il_modgraph_class_at(const il_modgraph *g, uint32_t file, uint32_t at);
/* The way from an entry point to file, or NULL when none reaches it (or it is one). */
const il_entry_hop *il_modgraph_hop(const il_modgraph *g, uint32_t file);
const char *il_modgraph_display(const il_modgraph *g, uint32_t file);

#endif
