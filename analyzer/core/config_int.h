/* One isolint.json as read (core/config.c) before it is applied to a configuration, for
 * the per-directory resolution (core/config_set.c). Private to analyzer/core. */
#ifndef IL_CORE_CONFIG_INT_H
#define IL_CORE_CONFIG_INT_H

#include "core/run.h"

/* One entry of "overrides": the globs it applies to and what it sets. */
typedef struct {
  IL_ARRAY(il_glob) files; /* owned; relative to the file's directory (base NULL: to the
                              display path, for --config FILE) */
  il_config_layer set;
} il_config_override;

typedef struct il_config_file {
  char *path; /* as found (owned) */
  char *dir;  /* its directory, absolute and normalized (owned): where its globs start */
  bool root;  /* "root": true: no isolint.json above it is read */
  il_config_layer layer; /* rules, target, nodeCode, allFiles */
  bool has_include;
  IL_ARRAY(char *) includes, excludes, handlers; /* owned */
  char *docs_url;                                 /* owned, or NULL */
  void *clients;                                  /* its "clients" array (json_t *, owned), or NULL */
  int8_t unknown_calls;                           /* "unknownCalls": an il_hold, -1: not set */
  IL_ARRAY(il_config_override) overrides;
} il_config_file;

/* Reads and checks path (JSON with comments and trailing commas). NULL with *err naming
 * the file, and the line and column or the key, on any problem. */
il_config_file *il_config_file_read(const char *path, char **err);
void il_config_file_free(il_config_file *f);
/* Applies f over cfg (a nearer file over a farther one): rules per rule id, "include"
 * replaces, "exclude" and "handlers" add, target/nodeCode/allFiles/docsUrl replace.
 * anchored: its globs are relative to f->dir (else to the display path: --config). Does not
 * touch cfg->kb (the "clients" are added once per run: il_config_add_clients). */
void il_config_apply_file(il_config *cfg, const il_config_file *f, bool anchored);
/* Adds f's run-wide settings to kb: its "clients" rows and "unknownCalls". */
void il_config_add_clients(struct il_kb *kb, const il_config_file *f);

#endif
