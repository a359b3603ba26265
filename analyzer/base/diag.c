/* A file's diagnostics: findings and notifications with the arena holding their strings. */
#include "base/diag.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void il_file_out_init(il_file_out *o) {
  memset(o, 0, sizeof *o);
  o->arena = il_arena_new();
}

void il_file_out_fini(il_file_out *o) {
  il_array_free(&o->findings);
  il_array_free(&o->notes);
  il_arena_free(o->arena);
  o->arena = NULL;
}

void il_file_out_note(il_file_out *o, il_note_kind kind, il_level level, const char *path,
                      uint32_t line, uint32_t col16, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char buf[1024];
  vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  il_notification n = {kind, level, path ? il_arena_strdup(o->arena, path) : NULL, line, col16,
                       il_arena_strdup(o->arena, buf)};
  il_array_push(&o->notes, n);
}
