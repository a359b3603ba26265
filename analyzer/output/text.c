/* Text reporter, for humans: one GCC-style header line per finding, a code
 * frame with a caret underline, related locations as notes, then analyzer
 * notifications and a summary. Columns are 1-based UTF-16 code units, the same
 * numbers SARIF and editors use. Everything printed from the analyzed source
 * (paths, messages, the source line) is sanitised so a hostile file cannot send
 * escape sequences or invalid UTF-8 to the terminal. */
#include "output/output.h"
#include "base/position.h"

#include <inttypes.h>
#include <string.h>

/* ANSI SGR sequences, used only when o->color. */
#define SGR_RESET "\033[0m"
#define SGR_BOLD "\033[1m"
#define SGR_RED "\033[1;31m"
#define SGR_YELLOW "\033[1;33m"
#define SGR_CYAN "\033[1;36m"
#define SGR_BLUE "\033[1;34m"

enum {
  FRAME_MAX = 200,   /* longest source excerpt shown, in bytes (minified files) */
  FRAME_BEFORE = 60, /* bytes kept before the region when a line is cut */
};

/* Size in bytes of the character at s[0..n) as il_put_clean() walks it. */
static size_t char_len(const unsigned char *s, size_t n) {
  size_t len = il_utf8_seq_len(s, n);
  return len ? len : 1;
}

static void put_str(FILE *out, const char *s) {
  if (s)
    il_put_clean(out, s, strlen(s));
}

static const char *level_sgr(il_level l) {
  switch (l) {
  case IL_LEVEL_ERROR:
    return SGR_RED;
  case IL_LEVEL_WARNING:
    return SGR_YELLOW;
  case IL_LEVEL_NOTE:
  case IL_LEVEL_OFF:
    break;
  }
  return SGR_CYAN;
}

/* Starts or ends a coloured stretch; no-ops without colour. */
static void sgr(FILE *out, const il_output_opts *o, const char *seq) {
  if (o->color)
    fputs(seq, out);
}

static int digits(uint32_t n) {
  int d = 1;
  while (n >= 10) {
    n /= 10;
    d++;
  }
  return d;
}

/* The code point of a valid sequence of `len` bytes (il_utf8_seq_len() > 0). */
static uint32_t decode(const unsigned char *s, size_t len) {
  static const unsigned char lead_mask[] = {0, 0x7F, 0x1F, 0x0F, 0x07};
  uint32_t cp = s[0] & lead_mask[len];
  for (size_t k = 1; k < len; k++)
    cp = (cp << 6) | (s[k] & 0x3F);
  return cp;
}

/* Terminal cells the character at s[0..n) takes once il_put_clean() has printed
 * it: 0 for combining marks, joiners and a BOM, 2 for East Asian wide characters and
 * emoji, else 1 (a wcwidth() approximation that needs no locale). */
static int cells(const unsigned char *s, size_t n) {
  size_t len = il_utf8_seq_len(s, n);
  if (!len || il_utf8_is_control(s, len))
    return 1; /* printed as U+FFFD */
  uint32_t c = decode(s, len);
  if ((c >= 0x0300 && c <= 0x036F) || (c >= 0x1AB0 && c <= 0x1AFF) ||
      (c >= 0x1DC0 && c <= 0x1DFF) || (c >= 0x20D0 && c <= 0x20FF) || c == 0x200B || c == 0x200C ||
      c == 0x200D || (c >= 0xFE00 && c <= 0xFE0F) || (c >= 0xFE20 && c <= 0xFE2F) || c == 0xFEFF)
    return 0;
  if ((c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0x303E) ||
      (c >= 0x3041 && c <= 0xA4CF) || (c >= 0xAC00 && c <= 0xD7A3) ||
      (c >= 0xF900 && c <= 0xFAFF) || (c >= 0xFE30 && c <= 0xFE4F) ||
      (c >= 0xFF00 && c <= 0xFF60) || (c >= 0xFFE0 && c <= 0xFFE6) ||
      (c >= 0x1F300 && c <= 0x1F64F) || (c >= 0x1F900 && c <= 0x1F9FF) ||
      (c >= 0x20000 && c <= 0x3FFFD))
    return 2;
  return 1;
}

static void repeat(FILE *out, int ch, int n) {
  for (int i = 0; i < n; i++)
    fputc(ch, out);
}

/* Moves a byte offset back to the start of the character holding it. */
static size_t char_start(const char *s, size_t off) {
  while (off > 0 && ((unsigned char)s[off] & 0xC0) == 0x80)
    off--;
  return off;
}

/* Prints the source line and, under it, '^' on the region's first character
 * and '~' on the rest of its first line:
 *    12 | const prisma = new PrismaClient();
 *       |                ^~~~~~~~~~~~~~~~~~
 * The underline reproduces the line's tabs so it stays aligned in any
 * terminal, and gives other characters their cell width. Very long lines (minified
 * code) are cut to a window around the region, marked with "...". */
static void code_frame(FILE *out, const il_output_opts *o, const il_finding *f) {
  const char *line = f->line_text;
  size_t len = strlen(line);
  if (len && line[len - 1] == '\r') /* a CRLF file's line, if the core kept the CR */
    len--;
  const il_span *sp = &f->loc.span;
  size_t start = sp->start.col ? sp->start.col - 1 : 0;
  size_t end = sp->end.line == sp->start.line && sp->end.col ? sp->end.col - 1 : len;
  if (start > len)
    start = len;
  if (end > len)
    end = len;

  size_t from = 0, to = len;
  if (len > FRAME_MAX) {
    from = char_start(line, start > FRAME_BEFORE ? start - FRAME_BEFORE : 0);
    to = from + FRAME_MAX < len ? char_start(line, from + FRAME_MAX) : len;
    if (start > to)
      start = to;
    if (end > to)
      end = to;
  }
  const char *cut_before = from > 0 ? "..." : "";
  const char *cut_after = to < len ? "..." : "";

  int width = digits(sp->start.line);
  sgr(out, o, SGR_BLUE);
  fprintf(out, " %*" PRIu32 " | ", width, sp->start.line);
  sgr(out, o, SGR_RESET);
  fputs(cut_before, out);
  il_put_clean(out, line + from, to - from);
  fprintf(out, "%s\n", cut_after);

  sgr(out, o, SGR_BLUE);
  fprintf(out, " %*s | ", width, "");
  sgr(out, o, SGR_RESET);
  fputs(*cut_before ? "   " : "", out);
  const unsigned char *p = (const unsigned char *)line;
  for (size_t i = from; i < start; i += char_len(p + i, to - i)) {
    if (line[i] == '\t')
      fputc('\t', out);
    else
      repeat(out, ' ', cells(p + i, to - i));
  }
  int width_cells = 0;
  for (size_t i = start; i < end; i += char_len(p + i, to - i))
    width_cells += cells(p + i, to - i);
  sgr(out, o, level_sgr(f->level));
  fputc('^', out); /* always one caret, even for an empty region or at end of line */
  repeat(out, '~', width_cells - 1);
  sgr(out, o, SGR_RESET);
  fputc('\n', out);
}

static void print_finding(FILE *out, const il_output_opts *o, const il_finding *f) {
  sgr(out, o, SGR_BOLD);
  put_str(out, f->path);
  fprintf(out, ":%" PRIu32 ":%" PRIu32 ": ", f->loc.span.start.line, f->loc.start_col16);
  sgr(out, o, SGR_RESET);
  sgr(out, o, level_sgr(f->level));
  fputs(il_level_name(f->level), out);
  sgr(out, o, SGR_RESET);
  fputs(" [", out);
  put_str(out, f->rule_id);
  fputs("] ", out);
  sgr(out, o, SGR_BOLD);
  put_str(out, f->message);
  sgr(out, o, SGR_RESET);
  fputc('\n', out);

  if (f->line_text)
    code_frame(out, o, f);

  for (uint32_t i = 0; i < f->n_related; i++) {
    const il_location *rel = &f->related[i];
    fputs("  = ", out);
    sgr(out, o, SGR_CYAN);
    fputs("note", out);
    sgr(out, o, SGR_RESET);
    fputs(": ", out);
    put_str(out, rel->message && *rel->message ? rel->message : "related location");
    fputs(" at ", out);
    put_str(out, rel->path ? rel->path : f->path);
    fprintf(out, ":%" PRIu32 ":%" PRIu32 "\n", rel->span.start.line, rel->start_col16);
  }
}

static void print_notification(FILE *out, const il_output_opts *o, const il_notification *n) {
  sgr(out, o, SGR_BOLD);
  if (n->path) {
    put_str(out, n->path);
    if (n->line)
      fprintf(out, ":%" PRIu32 ":%" PRIu32, n->line, n->col16 ? n->col16 : 1);
  } else {
    fputs("isolint", out);
  }
  fputs(": ", out);
  sgr(out, o, SGR_RESET);
  sgr(out, o, level_sgr(n->level));
  fputs(il_level_name(n->level == IL_LEVEL_OFF ? IL_LEVEL_NOTE : n->level), out);
  sgr(out, o, SGR_RESET);
  fputs(": ", out);
  put_str(out, n->message);
  fputc('\n', out);
}

/* "3 findings (2 errors, 1 note) in 12 files." / "No findings in 12 files." */
static void print_summary(FILE *out, const il_output_opts *o, const uint32_t count[4],
                          uint32_t n_files) {
  static const struct {
    il_level level;
    const char *one, *many;
  } kinds[] = {{IL_LEVEL_ERROR, "error", "errors"},
               {IL_LEVEL_WARNING, "warning", "warnings"},
               {IL_LEVEL_NOTE, "note", "notes"}};
  uint32_t total = count[IL_LEVEL_ERROR] + count[IL_LEVEL_WARNING] + count[IL_LEVEL_NOTE];
  sgr(out, o, SGR_BOLD);
  if (total == 0) {
    fputs("No findings", out);
  } else {
    fprintf(out, "%" PRIu32 " finding%s (", total, total == 1 ? "" : "s");
    const char *sep = "";
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
      uint32_t c = count[kinds[k].level];
      if (!c)
        continue;
      fprintf(out, "%s%" PRIu32 " %s", sep, c, c == 1 ? kinds[k].one : kinds[k].many);
      sep = ", ";
    }
    fputc(')', out);
  }
  fprintf(out, " in %" PRIu32 " file%s.\n", n_files, n_files == 1 ? "" : "s");
  sgr(out, o, SGR_RESET);
}

bool il_output_text(FILE *out, const il_output_opts *o, const il_config *cfg, const il_result *r) {
  (void)cfg; /* findings already carry their effective level */
  uint32_t count[4] = {0};
  for (uint32_t i = 0; i < r->findings.len; i++) {
    const il_finding *f = &r->findings.data[i];
    if (f->level == IL_LEVEL_OFF) /* disabled by the config: never shown */
      continue;
    print_finding(out, o, f);
    count[f->level]++;
  }
  for (uint32_t i = 0; i < r->notes.len; i++)
    print_notification(out, o, &r->notes.data[i]);
  /* nothing analyzed because a named path is missing: the error (on stderr) is the report,
   * not "No findings in 0 files" */
  if (r->n_files || !r->missing_path)
    print_summary(out, o, count, r->n_files);
  return fflush(out) == 0 && !ferror(out);
}
