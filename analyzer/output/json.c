/* JSON reporter, the stable scripting surface (independent of SARIF):
 *   {"version": 1, "tool": {...}, "results": [...], "notifications": [...],
 *    "filesAnalyzed": n}
 * With --baseline, each result also carries "baselineState": "new".
 * Keys come out in a fixed order, positions carry 1-based lines, 1-based
 * UTF-16 columns (end exclusive) and byte offsets. Bump "version" on any
 * incompatible change. */
#include "output/output.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/position.h"
#include "base/jsonw.h"

static json_t *pos(uint32_t line, uint32_t col16, uint32_t byte) {
  json_t *p = il_json_must(json_object());
  il_json_set(p, "line", json_integer(line));
  il_json_set(p, "column", json_integer(col16));
  il_json_set(p, "byte", json_integer(byte));
  return p;
}

static void set_span(json_t *obj, const il_location *loc) {
  il_json_set(obj, "start", pos(loc->span.start.line, loc->start_col16, loc->span.start_byte));
  il_json_set(obj, "end", pos(loc->span.end.line, loc->end_col16, loc->span.end_byte));
}

json_t *il_json_finding(const il_finding *f) {
  json_t *res = il_json_must(json_object());
  il_json_set(res, "ruleId", il_json_str(f->rule_id));
  il_json_set(res, "level", il_json_str(il_level_name(f->level)));
  il_json_set(res, "message", il_json_str(f->message));
  il_json_set(res, "path", il_json_str(f->path));
  set_span(res, &f->loc);
  json_t *related = il_json_must(json_array());
  for (uint32_t i = 0; i < f->n_related; i++) {
    json_t *rel = il_json_must(json_object());
    il_json_set(rel, "message", il_json_str(f->related[i].message));
    /* a related location in another file (cross-file uses) carries its own path */
    il_json_set(rel, "path", il_json_str(f->related[i].path ? f->related[i].path : f->path));
    set_span(rel, &f->related[i]);
    il_json_push(related, rel);
  }
  il_json_set(res, "related", related);
  /* only when the scan ran against a --baseline: "new" (or "unchanged" if a
   * caller keeps the findings the baseline holds) */
  if (f->baseline != IL_BASELINE_NONE)
    il_json_set(res, "baselineState", il_json_str(f->baseline == IL_BASELINE_NEW ? "new" : "unchanged"));
  return res;
}

/* {"id", "level", "message", "path", "line", "column"}: path null when the
 * notification is not about a file, line and column null when not about a position. */
static json_t *notification(const il_notification *n) {
  json_t *obj = il_json_must(json_object());
  il_json_set(obj, "id", il_json_str(il_note_id(n->kind)));
  il_json_set(obj, "level", il_json_str(il_level_name(n->level == IL_LEVEL_OFF ? IL_LEVEL_NOTE : n->level)));
  il_json_set(obj, "message", il_json_str(n->message));
  il_json_set(obj, "path", n->path ? il_json_str(n->path) : json_null());
  il_json_set(obj, "line", n->line ? json_integer(n->line) : json_null());
  il_json_set(obj, "column", n->line ? json_integer(n->col16 ? n->col16 : 1) : json_null());
  return obj;
}

bool il_output_json(FILE *out, const il_output_opts *o, const il_config *cfg, const il_result *r) {
  (void)o;
  (void)cfg; /* findings already carry their effective level */
  json_t *root = il_json_must(json_object());
  il_json_set(root, "version", json_integer(1));
  json_t *tool = il_json_must(json_object());
  il_json_set(tool, "name", il_json_str("isolint"));
  il_json_set(tool, "version", il_json_str(IL_VERSION));
  il_json_set(root, "tool", tool);

  json_t *results = il_json_must(json_array());
  for (uint32_t i = 0; i < r->findings.len; i++)
    if (r->findings.data[i].level != IL_LEVEL_OFF)
      il_json_push(results, il_json_finding(&r->findings.data[i]));
  il_json_set(root, "results", results);

  json_t *notes = il_json_must(json_array());
  for (uint32_t i = 0; i < r->notes.len; i++)
    il_json_push(notes, notification(&r->notes.data[i]));
  il_json_set(root, "notifications", notes);
  il_json_set(root, "filesAnalyzed", json_integer(r->n_files));

  bool ok = json_dumpf(root, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER) == 0;
  json_decref(root);
  if (ok)
    ok = fputc('\n', out) != EOF;
  return fflush(out) == 0 && ok && !ferror(out);
}
