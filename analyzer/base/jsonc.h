/* JSONC: JSON with comments and trailing commas (what tsc, Wrangler and isolint.json accept). */
#ifndef IL_JSONC_H
#define IL_JSONC_H

#include <stdbool.h>
#include <stddef.h>

/* Makes t[0..n) strict JSON in place: `//` and block comments and a comma before a closing
 * bracket become spaces (line breaks kept), so a JSON parser's line and column numbers stay
 * those of the file. False, with *line set to where it starts, on an unterminated block
 * comment (blanked to the end of t). */
bool il_jsonc_blank(char *t, size_t n, int *line);

#endif
