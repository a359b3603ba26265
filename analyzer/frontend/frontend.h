/* Front-ends: each lowers one file's text to raw facts (facts/facts.h). */
#ifndef IL_FRONTEND_H
#define IL_FRONTEND_H

#include "facts/facts.h"

/* TypeScript/JavaScript through tree-sitter. Fills f's raw facts from f->src.
 * Syntax errors are data (f->n_syntax_errors), not failures. Returns false only
 * when the parser could not produce a tree, with *err a malloc'd message.
 * Thread-safe: each call uses its own parser. The tree walk is iterative. */
bool il_ts_extract(il_facts *f, char **err);

/* C through libclang (.c, .h). Fills f's raw facts from f->src, with client
 * constructions already matched against cfg->kb's C rows and handlers/boot hooks
 * (and the functions they reach) marked on the scopes. Compiler flags come from a
 * compile_commands.json (cfg->compile_commands, else found next to or above the
 * file, also in build/), else defaults. Unknown types and identifiers (missing
 * headers) are declared by a generated prelude so their uses stay visible.
 * Returns false only when libclang could not parse at all (*err malloc'd).
 * Thread-safe: each call uses its own CXIndex. */
struct il_config;
/* Whether C files can be analyzed: false in a build without the C front-end
 * (-DIL_C_FRONTEND=OFF, analyzer/frontend/c_none.c) or when libclang cannot be
 * loaded (it is loaded by the first call). When false and why is not NULL, *why is
 * a malloc'd sentence saying how to get C support. Thread-safe. */
bool il_c_available(char **why);
/* How the note (IL_NOTE_SKIPPED, a warning) on a C file skipped for that reason
 * begins; the CLI folds a run's such notes into one. */
#define IL_C_SKIPPED_NOTE "Skipped: C files are not analyzed, as "
bool il_c_extract(il_facts *f, const struct il_config *cfg, char **err);
/* Prefilter for C in a scan: does the text name a call that registers request handlers
 * or boot hooks (`mg_set_request_handler`, `MHD_start_daemon`, `ap_hook_handler`...)?
 * Such a file is parsed even when it names no constructor: the handlers it registers
 * may be defined in another file. Does not load libclang. */
bool il_c_registers_handlers(const char *text, size_t len);

#endif
