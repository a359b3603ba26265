/* GitLab Code Quality reporter (--format gitlab): the JSON array GitLab reads from a
 * job's artifacts:reports:codequality (a subset of the Code Climate issue format):
 *
 *     [{"description": "...", "check_name": "module-scope-client",
 *       "fingerprint": "<32 hex>", "severity": "major",
 *       "location": {"path": "src/db.ts", "lines": {"begin": 7}},
 *       "type": "issue", "categories": ["Bug Risk"]}]
 *
 * severity: error -> major, warning -> minor, note -> info. The fingerprint, which GitLab
 * uses to tell new issues from fixed ones between a merge request and its target, hashes
 * the path, the rule and isolint's own fingerprint (the rule and the primary line's text,
 * and which occurrence of the pair in the file it is), so it survives edits of other lines.
 * Findings switched off are left out; notifications are not issues (the exit status and
 * stderr carry them). */
#include "output/output.h"

#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/jsonw.h"

static const char *severity(il_level l) {
  return l == IL_LEVEL_ERROR ? "major" : l == IL_LEVEL_WARNING ? "minor" : "info";
}

static char *fingerprint(const il_finding *f) {
  char *key = il_xasprintf("%s\n%s\n%s", f->path, f->rule_id,
                           f->fingerprint ? f->fingerprint : "");
  size_t n = strlen(key);
  uint64_t a = il_fnv64(0xcbf29ce484222325ull, key, n);
  uint64_t b = il_fnv64(0x84222325cbf29ce4ull ^ a, key, n);
  free(key);
  return il_xasprintf("%016" PRIx64 "%016" PRIx64, a, b);
}

bool il_output_gitlab(FILE *out, const il_output_opts *o, const il_config *cfg,
                      const il_result *r) {
  (void)o;
  (void)cfg; /* findings already carry their effective level */
  json_t *root = il_json_must(json_array());
  for (uint32_t i = 0; i < r->findings.len; i++) {
    const il_finding *f = &r->findings.data[i];
    if (f->level == IL_LEVEL_OFF)
      continue;
    json_t *issue = il_json_must(json_object());
    il_json_set(issue, "description", il_json_str(f->message));
    il_json_set(issue, "check_name", il_json_str(f->rule_id));
    il_json_set(issue, "fingerprint", il_json_str_own(fingerprint(f)));
    il_json_set(issue, "severity", il_json_str(severity(f->level)));
    json_t *loc = il_json_must(json_object());
    il_json_set(loc, "path", il_json_str(f->path));
    json_t *lines = il_json_must(json_object());
    il_json_set(lines, "begin", json_integer(f->loc.span.start.line ? f->loc.span.start.line : 1));
    il_json_set(loc, "lines", lines);
    il_json_set(issue, "location", loc);
    il_json_set(issue, "type", il_json_str("issue"));
    json_t *cats = il_json_must(json_array());
    il_json_push(cats, il_json_str("Bug Risk"));
    il_json_set(issue, "categories", cats);
    il_json_push(root, issue);
  }
  bool ok = json_dumpf(root, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER) == 0;
  json_decref(root);
  if (ok)
    ok = fputc('\n', out) != EOF;
  return fflush(out) == 0 && ok && !ferror(out);
}
