/* The C side of the client rules (rules/boot_time_client.c): a file-scope or
 * function-static handle filled with a knowledge-base client, classified by where
 * it is filled (a request handler or what it calls: lazy-singleton-client; a boot
 * hook or what it calls: boot-time-client; elsewhere: module-scope-client) and
 * reported only when request handlers use it. Rules only. */
#ifndef IL_C_RULES_H
#define IL_C_RULES_H

#include "rules/rule.h"

typedef enum { IL_C_LAZY, IL_C_BOOT, IL_C_MODULE } il_c_kind;

/* Reports every C finding of one kind (the caller is the rule of that kind). */
void il_c_check(il_rule_ctx *rc, const il_facts *f, il_c_kind kind);

#endif
