/* The rule interface: a rule is a pass over one file's resolved facts that
 * reports findings through il_report(). Rules see only this header and facts.h. */
#ifndef IL_RULE_H
#define IL_RULE_H

#include "facts/facts.h"

typedef struct il_rule_ctx il_rule_ctx;

typedef struct il_rule {
  const char *id;         /* stable kebab-case id: "module-scope-client" */
  const char *name;       /* PascalCase SARIF name: "ModuleScopeClient" */
  il_level level;         /* default level (a finding may carry a lower one, e.g. note) */
  const char *precision;  /* "very-high" | "high" | "medium" | "low" */
  const char *summary;    /* one line: SARIF shortDescription */
  const char *description;/* one paragraph: SARIF fullDescription */
  const char *help;       /* plain-text fix advice: SARIF help.text */
  bool meta;              /* about suppressions: runs after they are matched, never suppressed */
  void (*check)(il_rule_ctx *rc, const il_facts *f);
  /* Optional, for the cross-file pass (serial, after imports are resolved): calls
   * emit for each module-level binding of f (resolved; its imports' xlayers filled)
   * that is an Effect layer acquiring I/O: x's level, desc and note, and the steps
   * from where it acquires I/O to the binding, as related locations in f (a step
   * whose message is one of f->xuses' stands for that use in another file). */
  void (*xlayers)(const il_facts *f, void *ctx,
                  void (*emit)(void *ctx, int32_t decl, const il_xlayer *x, const il_rel *rel,
                               uint32_t n_rel));
  /* Optional, with xlayers: may check() report on f (resolved) with what the cross-file
   * pass adds to f->xlayers (does f build a layer it could be handed)? false lets a scan
   * finish f in phase 1 when it reports nothing without them. */
  bool (*takes_xlayers)(const il_facts *f);
} il_rule;

/* Reports a finding of the running rule at `span` (must be a span of f's source).
 * `level` is the finding's own level (IL_LEVEL_ERROR for a socket client,
 * IL_LEVEL_NOTE for a fetch client); the user's config may lower or disable it.
 * The message is printf-formatted, plain text, and should end with a period.
 * rel[0..n_rel) are copied. */
void il_report(il_rule_ctx *rc, il_level level, il_span span, const il_rel *rel, uint32_t n_rel,
               const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/* Is rule `id` enabled for this file (not turned off by the config or the target)?
 * For rules that leave a case to a more precise rule when it runs. */
bool il_rule_on(const il_rule_ctx *rc, const char *id);

/* Marks the finding reported last as a data flow: its related locations, in order,
 * are the steps from where the value is made to where the finding is (SARIF
 * codeFlows). No-op when nothing was reported. */
void il_report_mark_flow(il_rule_ctx *rc);

/* The registry: rules/rules.def expanded into a table, sorted by id. */
extern const il_rule *const il_rules[];
extern const uint32_t il_n_rules;
const il_rule *il_rule_find(const char *id);

#endif
