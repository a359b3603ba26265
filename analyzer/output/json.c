/* JSON reporter, the stable scripting surface (independent of SARIF):
 *   {"version": 1, "tool": {...}, "results": [...], "notifications": [...],
 *    "filesAnalyzed": n}
 * With --baseline, each result also carries "baselineState": "new".
 * Keys come out in a fixed order, positions carry 1-based lines, 1-based
 * UTF-16 columns (end exclusive) and byte offsets. Bump "version" on any
 * incompatible change. */
#include "il/output.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "il/position.h"

/* Aborts like il_xmalloc when jansson could not allocate. */
static json_t *must(json_t *j) {
  if (!j) {
    fputs("isolint: out of memory (building JSON)\n", stderr);
    abort();
  }
  return j;
}

static void set(json_t *obj, const char *key, json_t *value) {
  if (json_object_set_new(obj, key, must(value)) != 0)
    must(NULL);
}

static void push(json_t *arr, json_t *value) {
  if (json_array_append_new(arr, must(value)) != 0)
    must(NULL);
}


/* A JSON string for s. jansson refuses invalid UTF-8 (paths and source names
 * may hold any bytes), so each invalid byte becomes U+FFFD. NULL gives "". */
static json_t *str(const char *s) {
  if (!s)
    return must(json_string(""));
  json_t *j = json_string(s);
  if (j)
    return j;
  char *clean = il_utf8_sanitize(s);
  j = must(json_string(clean));
  free(clean);
  return j;
}

static json_t *pos(uint32_t line, uint32_t col16, uint32_t byte) {
  json_t *p = must(json_object());
  set(p, "line", json_integer(line));
  set(p, "column", json_integer(col16));
  set(p, "byte", json_integer(byte));
  return p;
}

static void set_span(json_t *obj, const il_location *loc) {
  set(obj, "start", pos(loc->span.start.line, loc->start_col16, loc->span.start_byte));
  set(obj, "end", pos(loc->span.end.line, loc->end_col16, loc->span.end_byte));
}

static json_t *result(const il_finding *f) {
  json_t *res = must(json_object());
  set(res, "ruleId", str(f->rule_id));
  set(res, "level", str(il_level_name(f->level)));
  set(res, "message", str(f->message));
  set(res, "path", str(f->path));
  set_span(res, &f->loc);
  json_t *related = must(json_array());
  for (uint32_t i = 0; i < f->n_related; i++) {
    json_t *rel = must(json_object());
    set(rel, "message", str(f->related[i].message));
    /* a related location in another file (cross-file uses) carries its own path */
    set(rel, "path", str(f->related[i].path ? f->related[i].path : f->path));
    set_span(rel, &f->related[i]);
    push(related, rel);
  }
  set(res, "related", related);
  /* only when the scan ran against a --baseline: "new" (or "unchanged" if a
   * caller keeps the findings the baseline holds) */
  if (f->baseline != IL_BASELINE_NONE)
    set(res, "baselineState", str(f->baseline == IL_BASELINE_NEW ? "new" : "unchanged"));
  return res;
}

/* {"id", "level", "message", "path", "line", "column"}: path null when the
 * notification is not about a file, line and column null when not about a position. */
static json_t *notification(const il_notification *n) {
  json_t *obj = must(json_object());
  set(obj, "id", str(il_note_id(n->kind)));
  set(obj, "level", str(il_level_name(n->level == IL_LEVEL_OFF ? IL_LEVEL_NOTE : n->level)));
  set(obj, "message", str(n->message));
  set(obj, "path", n->path ? str(n->path) : json_null());
  set(obj, "line", n->line ? json_integer(n->line) : json_null());
  set(obj, "column", n->line ? json_integer(n->col16 ? n->col16 : 1) : json_null());
  return obj;
}

bool il_output_json(FILE *out, const il_output_opts *o, const il_config *cfg, const il_result *r) {
  (void)o;
  (void)cfg; /* findings already carry their effective level */
  json_t *root = must(json_object());
  set(root, "version", json_integer(1));
  json_t *tool = must(json_object());
  set(tool, "name", str("isolint"));
  set(tool, "version", str(IL_VERSION));
  set(root, "tool", tool);

  json_t *results = must(json_array());
  for (uint32_t i = 0; i < r->findings.len; i++)
    if (r->findings.data[i].level != IL_LEVEL_OFF)
      push(results, result(&r->findings.data[i]));
  set(root, "results", results);

  json_t *notes = must(json_array());
  for (uint32_t i = 0; i < r->notes.len; i++)
    push(notes, notification(&r->notes.data[i]));
  set(root, "notifications", notes);
  set(root, "filesAnalyzed", json_integer(r->n_files));

  bool ok = json_dumpf(root, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER) == 0;
  json_decref(root);
  if (ok)
    ok = fputc('\n', out) != EOF;
  return fflush(out) == 0 && ok && !ferror(out);
}
