/* The rule registry: rules/rules.def expanded into extern declarations and a table. */
#include "rules/rule.h"

#include <string.h>

#define IL_RULE(sym) extern const il_rule sym;
#include "rules.def"
#undef IL_RULE

const il_rule *const il_rules[] = {
#define IL_RULE(sym) &sym,
#include "rules.def"
#undef IL_RULE
};

const uint32_t il_n_rules = sizeof il_rules / sizeof il_rules[0];

const il_rule *il_rule_find(const char *id) {
  for (uint32_t i = 0; i < il_n_rules; i++)
    if (strcmp(il_rules[i]->id, id) == 0)
      return il_rules[i];
  return NULL;
}
