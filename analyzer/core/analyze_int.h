/* One file through the pipeline: front-end, resolution, rules, suppressions,
 * findings with everything the reporters need. Private to analyzer/core. */
#ifndef IL_ANALYZE_INT_H
#define IL_ANALYZE_INT_H

#include "base/diag.h"
#include "base/path.h"
#include "discover/discover.h"
#include "flow/flow.h"
#include "project/modgraph.h"
#include "facts/facts.h"
#include "core/run.h"

/* Moves o's findings, notes and arena into r. */
void il_file_out_move(il_file_out *o, il_result *r);

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

/* A shallow copy of cfg for code that runs on Node.js: every rule except the meta
 * rules about suppressions is off (module-scope clients are the recommended
 * pattern there). Not to be il_config_fini'd. */
void il_config_for_node(const il_config *cfg, il_config *out);

#endif
