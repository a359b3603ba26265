/* Checkstyle XML reporter (--format checkstyle), the format Jenkins' warnings-ng, reviewdog
 * (-f=checkstyle), Danger and many CI dashboards read:
 *
 *     <?xml version="1.0" encoding="UTF-8"?>
 *     <checkstyle version="4.3">
 *       <file name="src/db.ts">
 *         <error line="7" column="21" severity="error" message="..." source="isolint.module-scope-client"/>
 *       </file>
 *     </checkstyle>
 *
 * One <file> per path, in the findings' order (path, line, column, rule); columns are the
 * 1-based UTF-16 columns of the other formats; severities error, warning and info (a note).
 * Notifications at warning or error level about a file (an unreadable file, a syntax error)
 * are errors of source isolint.ISOL000N in that file; findings switched off are left out. */
#include "output/output.h"

#include <inttypes.h>
#include <string.h>

#include "xml_int.h"

static const char *severity(il_level l) {
  return l == IL_LEVEL_ERROR ? "error" : l == IL_LEVEL_WARNING ? "warning" : "info";
}

static void open_file(FILE *out, const char **cur, const char *path) {
  if (*cur && !strcmp(*cur, path))
    return;
  if (*cur)
    fputs("  </file>\n", out);
  fputs("  <file name=\"", out);
  il_xml_put(out, path);
  fputs("\">\n", out);
  *cur = path;
}

static void error_line(FILE *out, uint32_t line, uint32_t col, il_level level, const char *message,
                       const char *source_prefix, const char *source) {
  fputs("    <error", out);
  if (line)
    fprintf(out, " line=\"%" PRIu32 "\" column=\"%" PRIu32 "\"", line, col ? col : 1);
  fprintf(out, " severity=\"%s\" message=\"", severity(level));
  il_xml_put(out, message);
  fprintf(out, "\" source=\"%s", source_prefix);
  il_xml_put(out, source);
  fputs("\"/>\n", out);
}

bool il_output_checkstyle(FILE *out, const il_output_opts *o, const il_config *cfg,
                          const il_result *r) {
  (void)o;
  (void)cfg; /* findings already carry their effective level */
  fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<checkstyle version=\"4.3\">\n", out);
  const char *cur = NULL;
  for (uint32_t i = 0; i < r->findings.len; i++) {
    const il_finding *f = &r->findings.data[i];
    if (f->level == IL_LEVEL_OFF)
      continue;
    open_file(out, &cur, f->path);
    error_line(out, f->loc.span.start.line ? f->loc.span.start.line : 1, f->loc.start_col16,
               f->level, f->message, "isolint.", f->rule_id);
  }
  for (uint32_t i = 0; i < r->notes.len; i++) {
    const il_notification *n = &r->notes.data[i];
    if (n->level < IL_LEVEL_WARNING || !n->path)
      continue;
    open_file(out, &cur, n->path);
    error_line(out, n->line, n->col16, n->level, n->message, "isolint.", il_note_id(n->kind));
  }
  if (cur)
    fputs("  </file>\n", out);
  fputs("</checkstyle>\n", out);
  return fflush(out) == 0 && !ferror(out);
}
