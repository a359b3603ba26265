/* reviewdog Diagnostic Format reporter (--format rdjson): the DiagnosticResult message
 * of reviewdog's proto/rdf/reviewdog.proto in JSON, for `reviewdog -f=rdjson`:
 *
 *     {"source": {"name": "isolint"}, "diagnostics": [
 *       {"message": "...", "location": {"path": "src/db.ts", "range": {
 *          "start": {"line": 7, "column": 21}, "end": {"line": 7, "column": 29}}},
 *        "severity": "ERROR", "code": {"value": "module-scope-client"}}]}
 *
 * Columns are 1-based UTF-8 byte columns as the format defines them (not the UTF-16 columns
 * of SARIF), the end exclusive. Severities ERROR, WARNING, INFO (a note). Findings switched
 * off are left out; notifications are not diagnostics. */
#include "output/output.h"

#include <jansson.h>
#include <stdio.h>

#include "base/jsonw.h"

static const char *severity(il_level l) {
  return l == IL_LEVEL_ERROR ? "ERROR" : l == IL_LEVEL_WARNING ? "WARNING" : "INFO";
}

static json_t *position(il_pos p) {
  json_t *j = il_json_must(json_object());
  il_json_set(j, "line", json_integer(p.line ? p.line : 1));
  il_json_set(j, "column", json_integer(p.col ? p.col : 1));
  return j;
}

bool il_output_rdjson(FILE *out, const il_output_opts *o, const il_config *cfg,
                      const il_result *r) {
  (void)o;
  (void)cfg; /* findings already carry their effective level */
  json_t *root = il_json_must(json_object());
  json_t *source = il_json_must(json_object());
  il_json_set(source, "name", il_json_str("isolint"));
  il_json_set(root, "source", source);
  json_t *diags = il_json_must(json_array());
  for (uint32_t i = 0; i < r->findings.len; i++) {
    const il_finding *f = &r->findings.data[i];
    if (f->level == IL_LEVEL_OFF)
      continue;
    json_t *d = il_json_must(json_object());
    il_json_set(d, "message", il_json_str(f->message));
    json_t *loc = il_json_must(json_object());
    il_json_set(loc, "path", il_json_str(f->path));
    json_t *range = il_json_must(json_object());
    il_json_set(range, "start", position(f->loc.span.start));
    il_json_set(range, "end", position(f->loc.span.end));
    il_json_set(loc, "range", range);
    il_json_set(d, "location", loc);
    il_json_set(d, "severity", il_json_str(severity(f->level)));
    json_t *code = il_json_must(json_object());
    il_json_set(code, "value", il_json_str(f->rule_id));
    il_json_set(d, "code", code);
    il_json_push(diags, d);
  }
  il_json_set(root, "diagnostics", diags);
  bool ok = json_dumpf(root, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER) == 0;
  json_decref(root);
  if (ok)
    ok = fputc('\n', out) != EOF;
  return fflush(out) == 0 && ok && !ferror(out);
}
