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

/* Handles kept in a member of a struct that request handlers read through their
 * user-data pointer or file-scope storage (rules/c_members.c), as notes of one kind
 * (boot or module; a struct filled by handler code is not followed). */
void il_c_check_members(il_rule_ctx *rc, const il_facts *f, il_c_kind kind);

/* Shared by the two (rules/boot_time_client.c): */
/* The boot scope scope s runs for (main, a constructor, an init hook, or one that
 * calls its function), or -1 (the handler side: il_facts_c_handler_of). */
int32_t il_c_boot_of(const il_facts *f, int32_t s);
/* Whether il_c_check reports assignment a: a handle kept in file-scope or
 * function-static storage that request handler code reads (unlocked). */
bool il_c_reports(const il_facts *f, const il_assign *a);
/* "PQconnectdb()", or "db_conn() (which opens it with PQconnectdb())": in the arena. */
const char *il_c_opener(const il_facts *f, const il_ctor *k);
/* Appends where handle k is opened (for a wrapper: where it opens it, then the call). */
void il_c_add_opened(const il_facts *f, const il_ctor *k, il_rel *rel, uint32_t *n);
/* The handle's type ("PGconn *"), and why sharing it is wrong (the row's text). */
const char *il_c_handle_of(const il_ctor *k);
const char *il_c_why(const il_ctor *k);

#endif
