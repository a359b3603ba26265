/* Knowledge base: which (module, export) pairs construct a client that does I/O.
 * Rows are data (the JSON files in rules/kb/, plus rows from the user's isolint.json); this
 * module is the only way rules read them. */
#ifndef IL_KB_H
#define IL_KB_H

#include "base/common.h"

typedef enum {
  IL_FORM_ANY = 0, /* `new X()` or `X()` */
  IL_FORM_NEW,     /* only `new X()` */
  IL_FORM_CALL,    /* only `X()` */
} il_kb_form;

typedef struct il_kb_row {
  const char *module;  /* module specifier, may hold `*` globs: "@aws-sdk/client-*" */
  const char *export;  /* export path: "Pool", "default", "Redis.fromEnv", globs allowed: "*Client" */
  il_kb_form form;
  const char *name;    /* display name of the client: "pg Pool" */
  const char *io;      /* "tcp", "websocket", "http", "binding", ... */
  il_level level;      /* IL_LEVEL_ERROR: holds sockets; IL_LEVEL_NOTE: fresh fetch/binding calls */
  bool inherits;       /* a wrapper: takes the level of a client found among its arguments */
  const char *why;     /* one sentence on what it holds */
  const char *source;  /* file the row came from, for error messages */
  /* C rows ("lang": "c"): `export` is a constructor function, matched by name */
  bool c;
  int32_t out_arg;     /* "form": "out-param": index of the `&handle` argument, else -1 */
  const char *handle;  /* handle type for messages: "PGconn *" */
} il_kb_row;

typedef struct il_kb il_kb;

il_kb *il_kb_new(void);
void il_kb_free(il_kb *kb); /* NULL is a no-op */

/* Loads every row of a JSON file: {"clients": [ {module, export, form, name, io, level,
 * inherits, why}, ... ]}. On a bad file or row returns false and sets *err to a
 * malloc'd message naming the file and the offending row/key (caller frees). */
bool il_kb_load_file(il_kb *kb, const char *path, char **err);
/* Same, from a jansson-free caller's point of view: `rows` is a JSON text. */
bool il_kb_load_text(il_kb *kb, const char *text, const char *origin, char **err);
/* Loads rows from a jansson array (json_t *) of row objects: the "clients" of a
 * user's isolint.json. Same errors as il_kb_load_file. */
bool il_kb_load_json_value(il_kb *kb, void *clients_array, const char *origin, char **err);
/* Loads every *.json in dir (sorted by name). */
bool il_kb_load_dir(il_kb *kb, const char *dir, char **err);

/* The row matching a construction of `export_path` imported from `module`, or NULL.
 * is_new tells `new X()` from `X()`. Later-loaded rows win over earlier ones. */
const il_kb_row *il_kb_lookup(const il_kb *kb, const char *module, const char *export_path,
                              bool is_new);
/* Prefilter: does the text name a knowledge-base module as a module specifier (a string after
 * `from`, `import`, `import(` or `require(`)? A string that merely equals a module
 * name ("openai" as a provider name) does not count. */
bool il_kb_imported(const il_kb *kb, const char *text, size_t len);
/* The C row for a call of function `name` (C rows only, never matched by
 * il_kb_lookup), or NULL. Later-loaded rows win. */
const il_kb_row *il_kb_lookup_c(const il_kb *kb, const char *name);
/* Prefilter for C: does the text name a C constructor function of the knowledge
 * base (or could it, for a row whose name is a glob)? */
bool il_kb_c_mentioned(const il_kb *kb, const char *text, size_t len);
uint32_t il_kb_count(const il_kb *kb);
/* isolint.json "unknownCalls" (il_hold of base/config.h, default IL_HOLD_NEW): kept with
 * the knowledge base, which says what calls hold, and copied into each file's facts by
 * il_facts_resolve (il_facts.unknown_calls) for value flow. */
void il_kb_set_unknown_calls(il_kb *kb, uint8_t hold);
uint8_t il_kb_unknown_calls(const il_kb *kb);
const il_kb_row *il_kb_row_at(const il_kb *kb, uint32_t i);

#endif
