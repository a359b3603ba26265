/* Value flow across files: what crosses a module boundary. Today: the uses of a
 * module-level declaration by functions of other files (flow/link.c, recorded as
 * il_facts.xuses) and the Effect layers a file exports (flow/layers.c, recorded as
 * il_facts.xlayers). Phase 2 of a scan, serial, over the module graph of project/.
 * Function summaries (value flow across functions) belong here too: a new pass is a
 * new file of this folder, declared below and called from core/scan.c after
 * il_modgraph_link. */
#ifndef IL_FLOW_H
#define IL_FLOW_H

#include "project/modgraph.h"

/* A rule's cross-file layer hook (rules/rule.h il_rule.xlayers): calls emit for each
 * module-level binding of f (resolved; its imports' xlayers filled) that is an Effect
 * layer acquiring I/O. */
typedef void (*il_xlayers_hook)(const il_facts *f, void *ctx,
                                void (*emit)(void *ctx, int32_t decl, const il_xlayer *x,
                                             const il_rel *rel, uint32_t n_rel));

/* Phase 2: resolves imports and re-exports through the graph; rewrites imports
 * that reach a knowledge-base module through local re-exports, and records in each
 * file's facts the uses of its exports by other files (il_facts.xuses). Serial. */
void il_modgraph_link(il_modgraph *g);
/* Phase 2, after il_modgraph_link: for boot-time-layer, summarizes each file's
 * exported bindings that are Effect layers acquiring I/O (files in import order,
 * memoized, cycles give nothing) and records, in each file importing one, the
 * summary as an il_xlayer with its steps as xuses. Resolves the facts of files
 * with layer compositions (resolution is repeated in phase 3). Serial, linear.
 * xlayers: the hook of the rule that has one (NULL: nothing to do). */
void il_modgraph_layers(il_modgraph *g, const il_kb *kb, il_xlayers_hook xlayers);

/* Phase 2, after il_modgraph_link: value flow across files (flow/calls.c). Each
 * import of a function that returns a client in the file it comes from (its
 * il_fsum, followed through functions returning what another imported function
 * returns, memoized, at most 16 files deep, cycles give nothing) is recorded in
 * the importing file as an il_xcall, with where the client is built as an xuse;
 * the file is then analyzed again in phase 3 (imports_rewritten). Serial, linear
 * in the imports. */
void il_flow_calls(il_modgraph *g);

/* Phase 2, C (flow/c_link.c): links the C files of the scan by external name. A call
 * of a function defined in another file (not `static`) that returns a handle or
 * leaves one in an out-parameter gets an il_xcall (decl: the caller's extern
 * declaration); a function registered as a handler in another file becomes a
 * handler; a read of a global in request-handler code is an xuse of each declaration
 * of that global in the other files. Serial, linear in the C files' facts. */
void il_flow_c_link(il_modgraph *g);

#endif
