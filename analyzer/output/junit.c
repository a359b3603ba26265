/* JUnit XML reporter (--format junit), for CI test report views (GitLab
 * artifacts:reports:junit, Jenkins, Azure Pipelines, CircleCI store_test_results):
 *
 *     <?xml version="1.0" encoding="UTF-8"?>
 *     <testsuites name="isolint" tests="3" failures="2" errors="0" skipped="0">
 *       <testsuite name="isolint" tests="3" failures="2" errors="0" skipped="0">
 *         <testcase classname="src/db.ts" name="module-scope-client at src/db.ts:7:21"
 *                   file="src/db.ts" line="7">
 *           <failure type="error" message="...">src/db.ts:7:21: error module-scope-client ...</failure>
 *         </testcase>
 *         ...
 *
 * Each finding is a failed test case (type: its level). Notifications at error level
 * (a file that could not be read) are test cases with an <error>, at warning level (a
 * file skipped) test cases <skipped>; note-level ones and findings switched off are left
 * out. A report with none of these holds one passing test case, "isolint scan", so the
 * suite is never empty. */
#include "output/output.h"

#include <inttypes.h>

#include "xml_int.h"

bool il_output_junit(FILE *out, const il_output_opts *o, const il_config *cfg, const il_result *r) {
  (void)o;
  (void)cfg; /* findings already carry their effective level */
  uint32_t failures = 0, errors = 0, skipped = 0;
  for (uint32_t i = 0; i < r->findings.len; i++)
    failures += r->findings.data[i].level != IL_LEVEL_OFF;
  for (uint32_t i = 0; i < r->notes.len; i++) {
    errors += r->notes.data[i].level == IL_LEVEL_ERROR;
    skipped += r->notes.data[i].level == IL_LEVEL_WARNING;
  }
  uint32_t tests = failures + errors + skipped;
  uint32_t shown = tests ? tests : 1;
  fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", out);
#define COUNTS "tests=\"%" PRIu32 "\" failures=\"%" PRIu32 "\" errors=\"%" PRIu32 "\" skipped=\"%" PRIu32 "\""
  fprintf(out, "<testsuites name=\"isolint\" " COUNTS ">\n", shown, failures, errors, skipped);
  fprintf(out, "  <testsuite name=\"isolint\" " COUNTS ">\n", shown, failures, errors, skipped);
#undef COUNTS
  for (uint32_t i = 0; i < r->findings.len; i++) {
    const il_finding *f = &r->findings.data[i];
    if (f->level == IL_LEVEL_OFF)
      continue;
    uint32_t line = f->loc.span.start.line ? f->loc.span.start.line : 1;
    uint32_t col = f->loc.start_col16 ? f->loc.start_col16 : 1;
    fputs("    <testcase classname=\"", out);
    il_xml_put(out, f->path);
    fputs("\" name=\"", out);
    il_xml_put(out, f->rule_id);
    fputs(" at ", out);
    il_xml_put(out, f->path);
    fprintf(out, ":%" PRIu32 ":%" PRIu32 "\" file=\"", line, col);
    il_xml_put(out, f->path);
    fprintf(out, "\" line=\"%" PRIu32 "\">\n      <failure type=\"%s\" message=\"", line,
            il_level_name(f->level));
    il_xml_put(out, f->message);
    fputs("\">", out);
    il_xml_put(out, f->path);
    fprintf(out, ":%" PRIu32 ":%" PRIu32 ": %s ", line, col, il_level_name(f->level));
    il_xml_put(out, f->rule_id);
    fputc(' ', out);
    il_xml_put(out, f->message);
    for (uint32_t k = 0; k < f->n_related; k++) {
      const il_location *rel = &f->related[k];
      fputs("&#10;  note: ", out);
      il_xml_put(out, rel->message);
      fputs(" at ", out);
      il_xml_put(out, rel->path ? rel->path : f->path);
      fprintf(out, ":%" PRIu32 ":%" PRIu32, rel->span.start.line, rel->start_col16 ? rel->start_col16 : 1);
    }
    fputs("</failure>\n    </testcase>\n", out);
  }
  for (uint32_t i = 0; i < r->notes.len; i++) {
    const il_notification *n = &r->notes.data[i];
    if (n->level < IL_LEVEL_WARNING)
      continue;
    fputs("    <testcase classname=\"", out);
    il_xml_put(out, n->path ? n->path : "isolint");
    fputs("\" name=\"", out);
    il_xml_put(out, il_note_id(n->kind));
    fputs(" ", out);
    il_xml_put(out, n->path ? n->path : "isolint");
    fputs("\"", out);
    if (n->path) {
      fputs(" file=\"", out);
      il_xml_put(out, n->path);
      fputs("\"", out);
    }
    if (n->line)
      fprintf(out, " line=\"%" PRIu32 "\"", n->line);
    if (n->level == IL_LEVEL_ERROR) {
      fputs(">\n      <error type=\"", out);
      il_xml_put(out, il_note_id(n->kind));
      fputs("\" message=\"", out);
    } else {
      fputs(">\n      <skipped message=\"", out);
    }
    il_xml_put(out, n->message);
    fputs("\"/>\n    </testcase>\n", out);
  }
  if (!tests)
    fputs("    <testcase classname=\"isolint\" name=\"isolint scan\"/>\n", out);
  fputs("  </testsuite>\n</testsuites>\n", out);
  return fflush(out) == 0 && !ferror(out);
}
