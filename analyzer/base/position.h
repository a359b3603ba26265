/* Positions: byte columns to UTF-16 columns, and GitHub's line fingerprints. */
#ifndef IL_POSITION_H
#define IL_POSITION_H

#include <stdio.h>

#include "base/common.h"

/* 1-based UTF-16 column of byte offset `byte_col` (0-based) within the line that
 * starts at `line`; the line may hold invalid UTF-8 (one unit per maximal invalid
 * subsequence, as the WHATWG decoder) and a leading BOM on line 1 is not counted
 * when `skip_bom` is true. Never reads past line + byte_col. */
uint32_t il_utf16_col(const char *line, uint32_t byte_col, bool skip_bom);

/* GitHub's primaryLocationLineHash (codeql-action src/fingerprints.ts) for every
 * line of src: returns an array of n_lines malloc'd strings "hex:k" (caller frees
 * each and the array). *n_lines receives the number of lines (a final line without
 * newline counts; an empty text has one line). */
char **il_line_hashes(const char *src, size_t len, uint32_t *n_lines);

/* Length of the valid UTF-8 sequence at s[0..n), or 0 when it is invalid
 * (overlong forms, surrogates and code points above U+10FFFF are invalid). */
size_t il_utf8_seq_len(const unsigned char *s, size_t n);
/* A malloc'd copy of the NUL-terminated s where every byte that does not start a
 * valid UTF-8 sequence becomes U+FFFD (caller frees). */
char *il_utf8_sanitize(const char *s);
/* True for the UTF-8 character s[0..len) (len from il_utf8_seq_len) when it would
 * break a line or drive a terminal: C0 controls but tab, DEL, C1 controls. */
bool il_utf8_is_control(const unsigned char *s, size_t len);
/* Writes s[0..n) to out with every invalid UTF-8 byte and every control character
 * (il_utf8_is_control) replaced by U+FFFD, so it stays on one line. */
void il_put_clean(FILE *out, const char *s, size_t n);

#endif
