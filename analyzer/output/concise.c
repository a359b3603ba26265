/* Concise reporter, for grep, editors' problem matchers and CI logs: one line
 * per finding and nothing else,
 *
 *     path:line:col: level rule-id message
 *
 * with the same 1-based line and UTF-16 column as the text format (and SARIF).
 * Analyzer notifications at warning or error level (an unreadable file, a
 * syntax error...) get one line each in the same shape, with the
 * notification id (ISOL0002...) in the rule-id place; a notification without a
 * position drops the numbers (`path: level id message`), and one without a
 * file says `isolint:`. Note-level notifications and findings switched off are
 * not printed, and there is no summary line: an empty report means nothing was
 * found, and the exit status tells the rest. Paths and messages are sanitised
 * as in the text format, so each entry is exactly one line: control characters
 * (newlines included; tabs kept) and invalid UTF-8 are printed as U+FFFD. */
#include "output/output.h"

#include <inttypes.h>
#include <string.h>

#include "base/position.h"


static void put_clean(FILE *out, const char *s) {
  if (s)
    il_put_clean(out, s, strlen(s));
}

static void print_finding(FILE *out, const il_finding *f) {
  put_clean(out, f->path);
  fprintf(out, ":%" PRIu32 ":%" PRIu32 ": %s ", f->loc.span.start.line ? f->loc.span.start.line : 1,
          f->loc.start_col16 ? f->loc.start_col16 : 1, il_level_name(f->level));
  put_clean(out, f->rule_id);
  fputc(' ', out);
  put_clean(out, f->message);
  fputc('\n', out);
}

static void print_notification(FILE *out, const il_notification *n) {
  if (n->path) {
    put_clean(out, n->path);
    if (n->line)
      fprintf(out, ":%" PRIu32 ":%" PRIu32, n->line, n->col16 ? n->col16 : 1);
  } else {
    fputs("isolint", out);
  }
  fprintf(out, ": %s %s ", il_level_name(n->level), il_note_id(n->kind));
  put_clean(out, n->message);
  fputc('\n', out);
}

bool il_output_concise(FILE *out, const il_output_opts *o, const il_config *cfg,
                       const il_result *r) {
  (void)o;
  (void)cfg; /* findings already carry their effective level */
  for (uint32_t i = 0; i < r->findings.len; i++) {
    const il_finding *f = &r->findings.data[i];
    if (f->level != IL_LEVEL_OFF) /* disabled by the config: never shown */
      print_finding(out, f);
  }
  for (uint32_t i = 0; i < r->notes.len; i++) {
    const il_notification *n = &r->notes.data[i];
    if (n->level >= IL_LEVEL_WARNING)
      print_notification(out, n);
  }
  return fflush(out) == 0 && !ferror(out);
}
