/* Building JSON with jansson for the writers (SARIF, JSON, LSP, config --print):
 * allocation failures abort like il_xmalloc, and strings that are not UTF-8
 * (paths and source text may hold any bytes) are repaired instead of refused. */
#ifndef IL_JSONW_H
#define IL_JSONW_H

#include <jansson.h>

/* j, or abort with a message when jansson could not allocate it. */
json_t *il_json_must(json_t *j);
/* obj[key] = value (stolen) */
void il_json_set(json_t *obj, const char *key, json_t *value);
/* arr.push(value) (stolen) */
void il_json_push(json_t *arr, json_t *value);
json_t *il_json_obj(void);
json_t *il_json_arr(void);
/* A JSON string for s; each invalid UTF-8 byte becomes U+FFFD. NULL gives "". */
json_t *il_json_str(const char *s);
/* il_json_str of a malloc'd string, which is freed. */
json_t *il_json_str_own(char *s);

#endif
