/* invalid-suppression and unused-suppression: inline directives must name a
 * known rule, give a reason, and silence something. */
#include <string.h>

#include "rule_util.h"

static const char *directive(const il_suppression *s) {
  switch (s->kind) {
  case IL_SUP_BLOCK:
    return "isolint-disable";
  case IL_SUP_ENABLE:
    return "isolint-enable";
  case IL_SUP_UNKNOWN:
    return s->word;
  case IL_SUP_LINE:
    break;
  }
  return s->next_line ? "isolint-disable-next-line" : "isolint-disable-line";
}

static void check_invalid(il_rule_ctx *rc, const il_facts *f) {
  for (uint32_t i = 0; i < f->suppressions.len; i++) {
    const il_suppression *s = &f->suppressions.data[i];
    if (s->kind == IL_SUP_UNKNOWN) {
      il_report(rc, IL_LEVEL_WARNING, s->span, NULL, 0,
                "'%s' is not an isolint directive, so it silences nothing: write "
                "isolint-disable-next-line, isolint-disable-line, or an isolint-disable ... "
                "isolint-enable block.",
                s->word);
      continue;
    }
    if (s->kind == IL_SUP_ENABLE) { /* ends blocks: needs no reason, may name no rule */
      for (uint32_t j = 0; j < s->n_rules; j++)
        if (!il_rule_find(s->rules[j]))
          il_report(rc, IL_LEVEL_WARNING, s->span, NULL, 0,
                    "This 'isolint-enable' names '%s', which is not an isolint rule (see "
                    "'isolint rules').",
                    s->rules[j]);
      continue;
    }
    if (s->n_rules == 0) {
      il_report(rc, IL_LEVEL_WARNING, s->span, NULL, 0,
                "This '%s' names no rule: write the rule id it silences, then '-- reason'.",
                directive(s));
      continue;
    }
    bool bad = false;
    for (uint32_t j = 0; j < s->n_rules; j++)
      if (!il_rule_find(s->rules[j])) {
        il_report(rc, IL_LEVEL_WARNING, s->span, NULL, 0,
                  "This '%s' names '%s', which is not an isolint rule (see 'isolint rules').",
                  directive(s), s->rules[j]);
        bad = true;
      }
    if (!bad && !s->reason)
      il_report(rc, IL_LEVEL_WARNING, s->span, NULL, 0,
                "This '%s' gives no reason: add '-- why this is safe' after the rule id.",
                directive(s));
  }
}

static void check_unused(il_rule_ctx *rc, const il_facts *f) {
  for (uint32_t i = 0; i < f->suppressions.len; i++) {
    const il_suppression *s = &f->suppressions.data[i];
    if (s->used || s->n_rules == 0 || s->kind == IL_SUP_ENABLE || s->kind == IL_SUP_UNKNOWN)
      continue;
    bool known = true;
    for (uint32_t j = 0; j < s->n_rules; j++)
      known &= il_rule_find(s->rules[j]) != NULL;
    if (!known)
      continue; /* reported as invalid */
    if (s->kind == IL_SUP_BLOCK)
      il_report(rc, IL_LEVEL_WARNING, s->span, NULL, 0,
                s->end_line == UINT32_MAX
                    ? "This '%s' silences nothing: no '%s' finding starts after line %u. Remove "
                      "it."
                    : "This '%s' silences nothing: no '%s' finding starts between line %u and "
                      "its isolint-enable. Remove it.",
                directive(s), s->rules[0], s->line);
    else
      il_report(rc, IL_LEVEL_WARNING, s->span, NULL, 0,
                "This '%s' silences nothing: no '%s' finding starts on line %u. Remove it.",
                directive(s), s->rules[0], s->line);
  }
}

const il_rule rule_invalid_suppression = {
    .id = "invalid-suppression",
    .name = "InvalidSuppression",
    .level = IL_LEVEL_WARNING,
    .precision = "very-high",
    .summary = "Malformed inline suppression",
    .description = "An isolint-disable-next-line or isolint-disable-line comment must name the "
                   "rule it silences and give a reason after '--', so that every exception in "
                   "the code is deliberate and explained.",
    .help = "Write '// isolint-disable-next-line <rule-id> -- <why this is safe>'.",
    .meta = true,
    .check = check_invalid,
};

const il_rule rule_unused_suppression = {
    .id = "unused-suppression",
    .name = "UnusedSuppression",
    .level = IL_LEVEL_WARNING,
    .precision = "very-high",
    .summary = "Inline suppression that silences nothing",
    .description = "An isolint-disable-next-line or isolint-disable-line comment that does not "
                   "silence any finding is stale: the code it excused changed or moved, and it "
                   "would silently hide a future finding on that line.",
    .help = "Remove the comment, or move it to the line whose finding it is meant to silence.",
    .meta = true,
    .check = check_unused,
};
