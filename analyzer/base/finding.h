/* Findings and notifications: plain data handed from the core to the reporters.
 * Everything a reporter needs is computed by the core (UTF-16 columns, the source
 * line, the GitHub line hash; in a scan, from the file read again for its findings
 * when its text was freed after phase 1), so reporters never read source files. */
#ifndef IL_FINDING_H
#define IL_FINDING_H

#include "base/common.h"

typedef struct {
  il_span span;         /* byte-based; lines 1-based */
  uint32_t start_col16; /* 1-based UTF-16 code-unit columns; end is exclusive */
  uint32_t end_col16;
  const char *message;  /* related locations: "used in handler 'fetch'"; primary: NULL */
  const char *path;     /* related locations in another file: its display path; NULL: the
                           finding's file */
} il_location;

/* Where a finding stands against a --baseline (SARIF result.baselineState). */
typedef enum {
  IL_BASELINE_NONE,      /* no baseline given */
  IL_BASELINE_NEW,       /* not in the baseline: reported */
  IL_BASELINE_UNCHANGED, /* in the baseline: not reported, does not fail the run */
} il_baseline_state;

typedef struct {
  const char *rule_id;
  uint32_t rule_index; /* index in il_rules[] */
  il_level level;
  const char *path;    /* display path: relative to the root, '/'-separated */
  il_location loc;
  il_location *related;
  uint32_t n_related;
  const char *message;   /* plain text ending in a period */
  const char *line_text; /* the source line of loc.span.start (no newline), for code frames */
  const char *line_hash; /* GitHub primaryLocationLineHash: "hex:n" */
  const char *fingerprint; /* isolint's own, "hex:n": the rule and the primary line's text without
                            * white space, and which occurrence of that pair in the file it is;
                            * only edits of that line change it (set by il_scan) */
  il_baseline_state baseline;
  bool flow; /* related locations, in order, are the steps of a data flow (SARIF codeFlows) */
} il_finding;

typedef enum {
  IL_NOTE_CANNOT_READ,  /* ISOL0001: file could not be read (skipped) */
  IL_NOTE_SYNTAX,       /* ISOL0002: file has syntax errors (analyzed partially) */
  IL_NOTE_SKIPPED,      /* ISOL0003: file skipped (too large, not text...) */
  IL_NOTE_CONFIG,       /* ISOL0004: configuration problem */
  IL_NOTE_WALK,         /* ISOL0005: directory walk problem: symlink loop, unreadable dir */
  IL_NOTE_LIMIT,        /* ISOL0006: a resource limit was reached (file size, parse time, facts) */
} il_note_kind;

typedef struct {
  il_note_kind kind;
  il_level level; /* error: results for this file are missing; warning: partial */
  const char *path; /* display path or NULL */
  uint32_t line, col16; /* 0 when not about a position */
  const char *message;  /* plain text ending in a period */
} il_notification;

const char *il_note_id(il_note_kind k); /* "ISOL0001"... */

#endif
