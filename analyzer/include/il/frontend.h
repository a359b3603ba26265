/* Front-ends: each lowers one file's text to raw facts (il/facts.h). */
#ifndef IL_FRONTEND_H
#define IL_FRONTEND_H

#include "il/facts.h"

/* TypeScript/JavaScript through tree-sitter. Fills f's raw facts from f->src.
 * Syntax errors are data (f->n_syntax_errors), not failures. Returns false only
 * when the parser could not produce a tree, with *err a malloc'd message.
 * Thread-safe: each call uses its own parser. The tree walk is iterative. */
bool il_ts_extract(il_facts *f, char **err);

#endif
