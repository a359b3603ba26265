/* Value flow (analyzer/flow/): what a call returns, followed through the functions
 * of a file and, with the summaries the cross-file pass links, of other files.
 *
 * A function's summary is the client its return values hold: a client
 * construction, a call of a function whose summary holds one (bottom-up over the
 * file's calls, memoized; recursion gives nothing), a binding initialized with one,
 * or an imported function's summary (il_facts.xcalls). Applying the summaries gives
 * each call recorded where a value is made (il_ctor.local_call, or an imported
 * callee) the client its callee returns, so every rule that reads a construction's
 * client sees the call as one, with where the client is built (origin / xorigin). */
#ifndef IL_FLOW_VALUES_H
#define IL_FLOW_VALUES_H

#include "facts/facts.h"

/* After il_facts_resolve: gives calls the client their callee returns, then
 * relinks references and wrappers (il_facts_relink). Returns whether any call got
 * one. */
bool il_flow_apply(il_facts *f);

/* After il_flow_apply: records in f->fsums the module-level functions that return a
 * client or the result of an imported function (what the cross-file pass reads
 * once f's facts are cut down). Replaces earlier summaries. */
void il_flow_summarize(il_facts *f);

/* Can f's summaries give a file importing it a finding: a function of f returns a
 * client, or fetches or opens a socket when called (timers and random values, common
 * in libraries, do not count: the prefilter would parse most of their importers)? */
bool il_flow_feeds(const il_facts *f);

#endif
