/* jansson helpers shared by every JSON writer (base/jsonw.h). */
#include "base/jsonw.h"

#include <stdio.h>
#include <stdlib.h>

#include "base/position.h"

json_t *il_json_must(json_t *j) {
  if (!j) {
    fputs("isolint: out of memory (building JSON)\n", stderr);
    abort();
  }
  return j;
}

void il_json_set(json_t *obj, const char *key, json_t *value) {
  if (json_object_set_new(obj, key, il_json_must(value)) != 0)
    il_json_must(NULL);
}

void il_json_push(json_t *arr, json_t *value) {
  if (json_array_append_new(arr, il_json_must(value)) != 0)
    il_json_must(NULL);
}

json_t *il_json_obj(void) { return il_json_must(json_object()); }
json_t *il_json_arr(void) { return il_json_must(json_array()); }

json_t *il_json_str(const char *s) {
  json_t *j = json_string(s ? s : "");
  if (j)
    return j;
  char *clean = il_utf8_sanitize(s);
  j = il_json_must(json_string(clean));
  free(clean);
  return j;
}

json_t *il_json_str_own(char *s) {
  json_t *j = il_json_str(s);
  free(s);
  return j;
}
