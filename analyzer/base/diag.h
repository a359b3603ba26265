/* What one file (or a run's own problems) produces for the reporters: findings and
 * notifications, with the arena that owns their strings. Every stage that can report
 * a problem (the walk, tsconfig parsing, the per-file pipeline) appends to one. */
#ifndef IL_BASE_DIAG_H
#define IL_BASE_DIAG_H

#include "base/finding.h"

typedef struct {
  il_arena *arena; /* owns the strings of findings and notes */
  IL_ARRAY(il_finding) findings;
  IL_ARRAY(il_notification) notes;
} il_file_out;

void il_file_out_init(il_file_out *o);
void il_file_out_fini(il_file_out *o);
/* Appends a notification (message printf-formatted, at most 1023 bytes). */
void il_file_out_note(il_file_out *o, il_note_kind kind, il_level level, const char *path,
                      uint32_t line, uint32_t col16, const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));

#endif
