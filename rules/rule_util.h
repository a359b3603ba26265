/* Helpers shared by the rules: describing clients, finding where a binding is
 * used, and which constructions another rule already owns. Rules only. */
#ifndef IL_RULE_UTIL_H
#define IL_RULE_UTIL_H

#include "rules/rule.h"

enum { IL_MAX_REL = 6 };

/* "'PrismaClient' from '@prisma/client'" in the file's arena. */
const char *il_ru_client(const il_facts *f, const il_ctor *k);
/* Where a client that a call returns is built (value flow): one related location
 * in this file or another, when k got its client from a function; else nothing. */
void il_ru_add_origin(const il_facts *f, const il_ctor *k, il_rel *rel, uint32_t *n,
                      uint32_t max);
/* "X built here" at k, or for a call given its client by value flow, where the
 * function builds it and then "returned by 'f()' here" (the first steps of the
 * finding's flow: see il_report_mark_flow). */
void il_ru_add_built(const il_facts *f, const il_ctor *k, il_rel *rel, uint32_t *n,
                     uint32_t max);
/* The sentence explaining why sharing this client breaks, by its level. */
const char *il_ru_why(const il_ctor *k);
/* The client construction whose value an assignment stores (directly, or through
 * a binding initialized with a client), or -1. With local_only, a binding must be
 * declared inside a function (not at load). */
int32_t il_ru_assigned_client(const il_facts *f, const il_assign *a, bool local_only);
/* Appends up to max - *n related locations where declaration d is used inside
 * functions, request handlers first, one per function; after a use in a module-level
 * function of the file, a request handler of another file that calls that function
 * ("used by request handler 'fetch' through 'getUser()'", il_xuse.through). */
void il_ru_add_uses(const il_facts *f, int32_t d, il_rel *rel, uint32_t *n, uint32_t max);
/* The same, without the handlers of other files calling function declaration skip (a rule
 * that lists that function's own uses: il_ru_add_xuses). */
void il_ru_add_uses_but(const il_facts *f, int32_t d, int32_t skip, il_rel *rel, uint32_t *n,
                        uint32_t max);
/* Appends up to max - *n related locations where declaration d (exported) is
 * used in functions of other files of the scan, request handlers first (il_ru_add_uses
 * calls it after the file's own uses). */
void il_ru_add_xuses(const il_facts *f, int32_t d, il_rel *rel, uint32_t *n, uint32_t max);
/* Marks (in claimed[ctors.len]) constructions reported by global-object-cache. */
void il_ru_global_claims(const il_facts *f, bool *claimed);
/* `this` of a module-level instance: the call record of `new C()` at load (a module
 * binding, a default export, a static field `static instance = new C()`) for class
 * declaration class_decl of this file, or -1 (no instance made at load). */
int32_t il_ru_load_instance(const il_facts *f, int32_t class_decl);
/* Does scope run when its class is instantiated: the constructor, an instance field
 * initializer (not a method, which runs when called)? */
bool il_ru_runs_with_new(const il_facts *f, int32_t scope);
/* "'db', the instance of 'Db' built at module scope" for that call record (the
 * binding it initializes when there is one), in the file's arena. */
const char *il_ru_instance_words(const il_facts *f, int32_t call);
/* Name of the function a scope belongs to, for messages. */
const char *il_ru_function_name(const il_facts *f, int32_t scope);

#endif
