/* One file through the pipeline: front-end, resolution, rules, suppressions,
 * findings with everything the reporters need. Private to analyzer/core. */
#ifndef IL_ANALYZE_INT_H
#define IL_ANALYZE_INT_H

#include "il/facts.h"
#include "il/run.h"

typedef struct {
  il_arena *arena; /* owns the strings of findings and notes */
  IL_ARRAY(il_finding) findings;
  IL_ARRAY(il_notification) notes;
} il_file_out;

void il_file_out_init(il_file_out *o);
/* Moves o's findings, notes and arena into r. */
void il_file_out_move(il_file_out *o, il_result *r);
void il_file_out_fini(il_file_out *o);

void il_analyze_file(const il_config *cfg, const char *display_path, const char *text, size_t len,
                     il_lang lang, il_file_out *out);
void il_file_out_note(il_file_out *o, il_note_kind kind, il_level level, const char *path,
                      uint32_t line, uint32_t col16, const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));

#endif
