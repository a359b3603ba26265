/* GitHub Actions reporter: one workflow command per finding, which the runner
 * turns into an annotation on the file and line (in the job summary and the
 * pull request diff):
 *
 *     ::error file=P,line=L,endLine=L2,col=C,endColumn=C2,title=RULE-ID::message
 *
 * `error`, `warning` or `notice` by level; col and endColumn (1-based UTF-16
 * columns, end exclusive, as in SARIF) only when the region is on one line.
 * The message is the finding's, followed by one "note: ... at path:line:col"
 * line per related location. Analyzer notifications (unreadable file, syntax
 * error...) become annotations too, titled with their id (ISOL0002...), after
 * the findings: GitHub shows only the first few annotations of each kind per
 * step, so findings come first.
 *
 * Escaping follows the runner's parser (actions/runner ActionCommand.cs) and
 * @actions/core's command.ts: in the message `%` -> %25, CR -> %0D, LF -> %0A;
 * in property values also `:` -> %3A and `,` -> %2C. So every command is one
 * line, and a path holding commas, colons or newlines still names its file.
 * Invalid UTF-8 and control characters other than CR, LF and tab (which the
 * log viewer would interpret) become U+FFFD. */
#include "output/output.h"

#include <inttypes.h>
#include <string.h>

#include "base/position.h"

static const char REPLACEMENT[] = "\xef\xbf\xbd"; /* U+FFFD */

/* Writes s escaped for a workflow command: as a property value when
 * `property`, else as the message. */
static void put_escaped(FILE *out, const char *s, bool property) {
  if (!s)
    return;
  const unsigned char *p = (const unsigned char *)s;
  size_t n = strlen(s);
  for (size_t i = 0; i < n;) {
    size_t len = il_utf8_seq_len(p + i, n - i);
    if (!len) { /* invalid UTF-8: one replacement per byte */
      fputs(REPLACEMENT, out);
      i++;
      continue;
    }
    unsigned char c = p[i];
    if (len == 1 && c == '%')
      fputs("%25", out);
    else if (len == 1 && c == '\r')
      fputs("%0D", out);
    else if (len == 1 && c == '\n')
      fputs("%0A", out);
    else if (len == 1 && property && c == ':')
      fputs("%3A", out);
    else if (len == 1 && property && c == ',')
      fputs("%2C", out);
    else if ((len == 1 && ((c < 0x20 && c != '\t') || c == 0x7F)) ||
             (len == 2 && c == 0xC2 && p[i + 1] < 0xA0)) /* C0, DEL, C1 */
      fputs(REPLACEMENT, out);
    else
      fwrite(p + i, 1, len, out);
    i += len;
  }
}

static const char *command_of(il_level l) {
  switch (l) {
  case IL_LEVEL_ERROR:
    return "error";
  case IL_LEVEL_WARNING:
    return "warning";
  case IL_LEVEL_NOTE:
  case IL_LEVEL_OFF:
    break;
  }
  return "notice";
}

/* "::CMD file=P,line=L,endLine=L2[,col=C,endColumn=C2],title=T::" for a region
 * normalised as in SARIF: lines from 1, an empty or reversed range on one line
 * one column wide. */
static void put_head(FILE *out, il_level level, const char *path, uint32_t start_line,
                     uint32_t start_col, uint32_t end_line, uint32_t end_col, const char *title) {
  if (!start_line)
    start_line = 1;
  if (!start_col)
    start_col = 1;
  if (!end_col)
    end_col = 1;
  if (end_line < start_line) {
    end_line = start_line;
    end_col = start_col + 1;
  } else if (end_line == start_line && end_col <= start_col) {
    end_col = start_col + 1;
  }
  fprintf(out, "::%s file=", command_of(level));
  put_escaped(out, path, true);
  fprintf(out, ",line=%" PRIu32 ",endLine=%" PRIu32, start_line, end_line);
  if (start_line == end_line)
    fprintf(out, ",col=%" PRIu32 ",endColumn=%" PRIu32, start_col, end_col);
  fputs(",title=", out);
  put_escaped(out, title, true);
  fputs("::", out);
}

static void print_finding(FILE *out, const il_finding *f) {
  const il_location *l = &f->loc;
  put_head(out, f->level, f->path, l->span.start.line, l->start_col16, l->span.end.line,
           l->end_col16, f->rule_id);
  put_escaped(out, f->message, false);
  for (uint32_t i = 0; i < f->n_related; i++) {
    const il_location *rel = &f->related[i];
    put_escaped(out, "\nnote: ", false);
    put_escaped(out, rel->message && *rel->message ? rel->message : "related location", false);
    put_escaped(out, " at ", false);
    put_escaped(out, rel->path ? rel->path : f->path, false);
    fprintf(out, ":%" PRIu32 ":%" PRIu32, rel->span.start.line, rel->start_col16);
  }
  fputc('\n', out);
}

static void print_notification(FILE *out, const il_notification *n) {
  const char *id = il_note_id(n->kind);
  if (n->path && n->line) {
    uint32_t col = n->col16 ? n->col16 : 1;
    put_head(out, n->level, n->path, n->line, col, n->line, col + 1, id);
  } else if (n->path) { /* about the whole file */
    fprintf(out, "::%s file=", command_of(n->level));
    put_escaped(out, n->path, true);
    fputs(",title=", out);
    put_escaped(out, id, true);
    fputs("::", out);
  } else {
    fprintf(out, "::%s title=", command_of(n->level));
    put_escaped(out, id, true);
    fputs("::", out);
  }
  put_escaped(out, n->message, false);
  fputc('\n', out);
}

bool il_output_github(FILE *out, const il_output_opts *o, const il_config *cfg,
                      const il_result *r) {
  (void)o;
  (void)cfg; /* findings already carry their effective level */
  for (uint32_t i = 0; i < r->findings.len; i++) {
    const il_finding *f = &r->findings.data[i];
    if (f->level != IL_LEVEL_OFF) /* disabled by the config: never shown */
      print_finding(out, f);
  }
  for (uint32_t i = 0; i < r->notes.len; i++)
    print_notification(out, &r->notes.data[i]);
  return fflush(out) == 0 && !ferror(out);
}
