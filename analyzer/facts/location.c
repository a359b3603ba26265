/* Locations for the reporters from facts: byte spans with UTF-16 columns. */
#include "facts/facts.h"

il_location il_make_location(const il_facts *f, il_span s) {
  il_location l = {.span = s};
  l.start_col16 = il_facts_col16(f, s.start_byte - (s.start.col - 1), s.start.col - 1,
                                 s.start.line == 1);
  l.end_col16 = il_facts_col16(f, s.end_byte - (s.end.col - 1), s.end.col - 1, s.end.line == 1);
  return l;
}

il_xuse il_xuse_at(const il_facts *at, il_span span, il_arena *into, const char *display) {
  il_location l = il_make_location(at, span);
  il_xuse u = {.decl = -1,
               .path = il_arena_strdup(into, display),
               .span = span,
               .start_col16 = l.start_col16,
               .end_col16 = l.end_col16};
  return u;
}
