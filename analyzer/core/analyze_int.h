/* One file through the pipeline: front-end, resolution, rules, suppressions,
 * findings with everything the reporters need. Private to analyzer/core. */
#ifndef IL_ANALYZE_INT_H
#define IL_ANALYZE_INT_H

#include "base/diag.h"
#include "base/path.h"
#include "discover/discover.h"
#include "facts/facts.h"
#include "il/run.h"

/* Moves o's findings, notes and arena into r. */
void il_file_out_move(il_file_out *o, il_result *r);

/* Extra reasons for the prefilter to keep a file in a scan (cross-file analysis):
 * a file that imports a local module can use or re-export a client defined there. */
typedef struct {
  bool relative;                 /* keep files naming a "./" or "../" module */
  const char *const *prefixes;   /* tsconfig paths prefixes ("@/"): keep files naming one */
  uint32_t n_prefixes;
  bool any_import;               /* a baseUrl applies: keep files with any import */
  bool force;                    /* parse whatever the text names (a needed candidate) */
  struct il_cache_slot *cache;   /* the file's warm-run cache entry (il/cache.h), or NULL */
} il_prefilter_ext;

/* A file after phase 1 of a scan: facts extracted and bound (the tree freed),
 * or f NULL when the prefilter skipped it or it could not be parsed. */
typedef struct {
  il_facts *f;
  char *owned_text; /* a blanked copy f->src points into, or NULL */
  const char *path; /* display path (borrowed from the caller) */
  /* not parsed, but names a local module: parsed later if an import of it leads
   * to a file that was (il_modgraph_needed); specs are the module specifiers its
   * text names (malloc'd, a lexical over-approximation) */
  bool candidate;
  /* names a knowledge-base module or an Effect SQL client module: what it exports
   * can give an importer a finding (il_modgraph_needed starts from these files) */
  bool feeds;
  char **specs;
  uint32_t n_specs;
  bool specs_packed; /* specs is one allocation (lex_specifiers); else each string is too */
  /* after il_file_detach(): the file to read again in phase 3 when a finding needs
   * its lines (code frame, line hash), and whether its comment lines were blanked */
  char *reread_path;
  bool blanked;
  /* the rules ran in phase 1 and found nothing. done: the cross-file pass cannot
   * change that (the file imports no module of the scan); pending: only if it
   * rewrites one of its imports, and then phase 3 parses the file again. For a file
   * on disk, il_file_detach() cuts the facts down to what phase 2 reads. */
  bool done, pending;
  /* done or pending with layer nodes: its constructions and layer nodes are kept for
   * the cross-file pass, which summarizes the layers it exports */
  bool layers;
} il_prepared;

/* Phase 1: prefilter, parse, extract and bind; notes go to out. */
void il_file_prepare(const il_config *cfg, const char *display_path, const char *text, size_t len,
                     il_lang lang, const il_prefilter_ext *ext, il_file_out *out,
                     il_prepared *p);
/* End of phase 1 for a file on disk: the facts stop pointing into the text (which
 * the caller may free at once, and the blanked copy is freed); phase 3 reads
 * fs_path again only if the file has findings. */
void il_file_detach(il_prepared *p, const char *fs_path);
/* Phase 3: resolve, run the rules, emit findings into out (when out is not NULL),
 * then free the facts. */
void il_file_finish(const il_config *cfg, il_prepared *p, il_file_out *out);

void il_analyze_file(const il_config *cfg, const char *display_path, const char *text, size_t len,
                     il_lang lang, il_file_out *out);

/* ---- the module graph (modgraph.c): the cross-file pass of a scan -------------------- */

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
/* Phase 2: resolves imports and re-exports through the graph; rewrites imports
 * that reach a knowledge-base module through local re-exports, and records in each
 * file's facts the uses of its exports by other files (il_facts.xuses). Serial. */
void il_modgraph_link(il_modgraph *g);
/* Phase 2, after il_modgraph_link: for boot-time-layer, summarizes each file's
 * exported bindings that are Effect layers acquiring I/O (files in import order,
 * memoized, cycles give nothing) and records, in each file importing one, the
 * summary as an il_xlayer with its steps as xuses. Resolves the facts of files
 * with layer compositions (resolution is repeated in phase 3). Serial, linear. */
void il_modgraph_layers(il_modgraph *g, const il_kb *kb);

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
 * Workers. *signal: the signal used, NULL for none. Serial. */
il_target il_modgraph_target(il_modgraph *g, uint32_t file, const il_target_signal **signal);
/* How the Worker's entry point (`main` of a Wrangler configuration) reaches a file
 * through imports: the entry's request handler that uses the import starting the
 * way (else the import statement), and the file that import names (via). */
typedef struct {
  bool set;
  il_location loc;    /* in the entry file */
  const char *path;   /* display path of the entry file (owned by the graph) */
  uint32_t via;       /* the file the entry's import names */
  const char *config; /* absolute path of the Wrangler configuration */
  const char *handler; /* request handler of the entry file that uses the import (loc is
                          that use), NULL: none does (loc is the import) */
  const char *binding; /* with handler: the imported name it uses */
} il_entry_hop;

/* Walks the imports from each Wrangler configuration's `main` (breadth first, so the
 * shortest way). Call after target detection (il_modgraph_target found the
 * configurations) and before il_modgraph_link. Serial, linear. */
void il_modgraph_entries(il_modgraph *g);
/* The way from an entry point to file, or NULL when none reaches it (or it is one). */
const il_entry_hop *il_modgraph_hop(const il_modgraph *g, uint32_t file);
const char *il_modgraph_display(const il_modgraph *g, uint32_t file);

/* A shallow copy of cfg for code that runs on Node.js: every rule except the meta
 * rules about suppressions is off (module-scope clients are the recommended
 * pattern there). Not to be il_config_fini'd. */
void il_config_for_node(const il_config *cfg, il_config *out);

#endif
