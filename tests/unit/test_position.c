/* Unit tests for position.c: byte columns to UTF-16 columns, and GitHub's
 * primaryLocationLineHash against the vectors of codeql-action's
 * src/fingerprints.test.ts. Standalone: links position.c and util.c only. */
#include "base/position.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int passed, failed;

#define CHECK(cond, ...)                                                                           \
  do {                                                                                             \
    if (cond) {                                                                                    \
      passed++;                                                                                    \
    } else {                                                                                       \
      failed++;                                                                                    \
      fprintf(stderr, "%s:%d: FAIL: ", __FILE__, __LINE__);                                        \
      fprintf(stderr, __VA_ARGS__);                                                                \
      fputc('\n', stderr);                                                                         \
    }                                                                                              \
  } while (0)

/* il_utf16_col(line, byte_col, skip_bom) == want. */
static void col_is(int src_line, const char *line, uint32_t byte_col, bool skip_bom,
                   uint32_t want) {
  uint32_t got = il_utf16_col(line, byte_col, skip_bom);
  CHECK(got == want, "(line %d) il_utf16_col(byte %u, bom=%d) = %u, want %u", src_line, byte_col,
        skip_bom, got, want);
}
#define COL(line, byte_col, skip_bom, want) col_is(__LINE__, line, byte_col, skip_bom, want)

static void test_columns(void) {
  /* ASCII */
  COL("abc", 0, false, 1);
  COL("abc", 2, false, 3);
  COL("abc", 3, false, 4);
  COL("", 0, false, 1);
  /* a tab is one column, not a tab stop */
  COL("\t\tx = 1", 2, false, 3);
  /* CJK: 3 bytes, 1 unit each */
  COL("\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e x", 9, false, 4);
  COL("\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e x", 10, false, 5);
  /* emoji U+1F600: 4 bytes, a surrogate pair */
  COL("\xf0\x9f\x98\x80x", 4, false, 3);
  COL("\xf0\x9f\x98\x80x", 5, false, 4);
  COL("x\xf0\x9f\x98\x80\xf0\x9f\x98\x80y", 9, false, 6);
  /* U+00E9 (2 bytes) and e + U+0301 combining acute: every code point counts */
  COL("\xc3\xa9x", 2, false, 2);
  COL("e\xcc\x81x", 3, false, 3);
  /* U+FFFF is still one unit, U+10000 two */
  COL("\xef\xbf\xbfx", 3, false, 2);
  COL("\xf0\x90\x80\x80x", 4, false, 3);
  /* BOM: ignored on line 1 when asked, a real character otherwise */
  COL("\xef\xbb\xbfxyz", 3, true, 1);
  COL("\xef\xbb\xbfxyz", 4, true, 2);
  COL("\xef\xbb\xbfxyz", 4, false, 3);
  COL("abc", 2, true, 3); /* no BOM present */
  /* NUL is a character */
  COL("a\0b", 2, false, 3);
  /* invalid UTF-8: one unit per maximal invalid subsequence (WHATWG) */
  COL("\xffz", 1, false, 2);     /* invalid lead byte */
  COL("\x80\x80z", 2, false, 3); /* two stray continuations */
  COL("\xe2\x82z", 2, false, 2); /* truncated 3-byte sequence: one unit */
  COL("\xe2\x82z", 3, false, 3);
  COL("\xf0\x9f\x98z", 4, false, 3);     /* truncated emoji: one unit */
  COL("\xc0\xafz", 2, false, 3);         /* overlong: C0 and AF both invalid */
  COL("\xe0\x80\x80z", 3, false, 4);     /* overlong 3-byte: 3 units */
  COL("\xed\xa0\x80z", 3, false, 4);     /* encoded surrogate: 3 units */
  COL("\xf4\x90\x80\x80z", 4, false, 5); /* above U+10FFFF: 4 units */
  COL("\xf5\x80z", 2, false, 3);         /* F5 is never a lead byte */
  COL("\xe2\x82\xacz", 3, false, 2);     /* valid euro sign for contrast */
  /* the prefix is decoded alone: never reads past byte_col */
  COL("\xe2\x82\xacz", 1, false, 2);
}

/* il_line_hashes(text) == want[0..n). */
static void hashes_are(int src_line, const char *text, size_t len, const char *const *want,
                       uint32_t n) {
  uint32_t got_n = 0;
  char **got = il_line_hashes(text, len, &got_n);
  CHECK(got_n == n, "(line %d) %u line hashes, want %u", src_line, got_n, n);
  for (uint32_t i = 0; i < got_n && i < n; i++)
    CHECK(strcmp(got[i], want[i]) == 0, "(line %d) line %u hash %s, want %s", src_line, i + 1,
          got[i], want[i]);
  for (uint32_t i = 0; i < got_n; i++)
    free(got[i]);
  free(got);
}
#define HASHES(text, ...)                                                                          \
  do {                                                                                             \
    static const char *const want_[] = {__VA_ARGS__};                                              \
    hashes_are(__LINE__, text, sizeof(text) - 1, want_, sizeof want_ / sizeof want_[0]);           \
  } while (0)

/* Both texts produce the same hashes. */
static void same_hashes(int src_line, const char *a, size_t alen, const char *b, size_t blen) {
  uint32_t na = 0, nb = 0;
  char **ha = il_line_hashes(a, alen, &na);
  char **hb = il_line_hashes(b, blen, &nb);
  CHECK(na == nb, "(line %d) %u vs %u lines", src_line, na, nb);
  for (uint32_t i = 0; i < na && i < nb; i++)
    CHECK(strcmp(ha[i], hb[i]) == 0, "(line %d) line %u: %s vs %s", src_line, i + 1, ha[i], hb[i]);
  for (uint32_t i = 0; i < na; i++)
    free(ha[i]);
  for (uint32_t i = 0; i < nb; i++)
    free(hb[i]);
  free(ha);
  free(hb);
}
#define SAME(a, b) same_hashes(__LINE__, a, sizeof(a) - 1, b, sizeof(b) - 1)

static void test_fingerprints(void) {
  /* github/codeql-action src/fingerprints.test.ts */
  HASHES("", "c129715d7a2bc9a3:1");
  HASHES(" a\nb\n  \t\tc\n d", "271789c17abda88f:1", "54703d4cd895b18:1", "180aee12dab6264:1",
         "a23a3dc5e078b07b:1");
  HASHES(" hello; \t\nworld!!!\n\n\n  \t\tGreetings\n End", "8b7cf3e952e7aeb2:1",
         "b1ae1287ec4718d9:1", "bff680108adb0fcc:1", "c6805c5e1288b612:1", "b86d3392aea1be30:1",
         "e6ceba753e1a442:1");
  HASHES(" hello; \t\nworld!!!\n\n\n  \t\tGreetings\n End\n", "e9496ae3ebfced30:1",
         "fb7c023a8b9ccb3f:1", "ce8ba1a563dcdaca:1", "e20e36e16fcb0cc8:1", "b3edc88f2938467e:1",
         "c8e28b0b4002a3a0:1", "c129715d7a2bc9a3:1");
  /* the same text with lone CR, CRLF, and a mix of all three line ends */
  HASHES(" hello; \t\nworld!!!\r\r\r  \t\tGreetings\r End\r", "e9496ae3ebfced30:1",
         "fb7c023a8b9ccb3f:1", "ce8ba1a563dcdaca:1", "e20e36e16fcb0cc8:1", "b3edc88f2938467e:1",
         "c8e28b0b4002a3a0:1", "c129715d7a2bc9a3:1");
  HASHES(" hello; \t\r\nworld!!!\r\n\r\n\r\n  \t\tGreetings\r\n End\r\n", "e9496ae3ebfced30:1",
         "fb7c023a8b9ccb3f:1", "ce8ba1a563dcdaca:1", "e20e36e16fcb0cc8:1", "b3edc88f2938467e:1",
         "c8e28b0b4002a3a0:1", "c129715d7a2bc9a3:1");
  HASHES(" hello; \t\nworld!!!\r\n\n\r  \t\tGreetings\r End\r\n", "e9496ae3ebfced30:1",
         "fb7c023a8b9ccb3f:1", "ce8ba1a563dcdaca:1", "e20e36e16fcb0cc8:1", "b3edc88f2938467e:1",
         "c8e28b0b4002a3a0:1", "c129715d7a2bc9a3:1");
  /* identical lines are numbered :1, :2... while their 100-unit windows agree */
#define LOREM "Lorem ipsum dolor sit amet.\n"
  HASHES(LOREM LOREM LOREM LOREM LOREM LOREM LOREM LOREM LOREM LOREM, "a7f2ff13bc495cf2:1",
         "a7f2ff13bc495cf2:2", "a7f2ff13bc495cf2:3", "a7f2ff13bc495cf2:4", "a7f2ff13bc495cf2:5",
         "a7f2ff13bc495cf2:6", "a7f2ff1481e87703:1", "a9cf91f7bbf1862b:1", "55ec222b86bcae53:1",
         "cc97dc7b1d7d8f7b:1", "c129715d7a2bc9a3:1");
#undef LOREM

  /* CRLF, CR and LF variants of one source hash the same */
  SAME("const a = 1;\nfunction f() {\n\treturn a;\n}\n",
       "const a = 1;\r\nfunction f() {\r\n\treturn a;\r\n}\r\n");
  SAME("const a = 1;\nfunction f() {\n\treturn a;\n}\n",
       "const a = 1;\rfunction f() {\r\treturn a;\r}\r");
  /* spaces and tabs never count */
  SAME("a b\tc\n", "abc\n");
  /* invalid UTF-8 hashes as U+FFFD, one per maximal invalid subsequence */
  SAME("x\xffy\n", "x\xef\xbf\xbdy\n");
  SAME("x\xe2\x82y\n", "x\xef\xbf\xbdy\n");
  SAME("x\xc0\xafy\n", "x\xef\xbf\xbd\xef\xbf\xbdy\n");
  /* values cross-checked with fingerprints.ts's hash() run by Node on these bytes:
   * a surrogate pair, CJK, a BOM (kept as U+FEFF) and an invalid byte */
  HASHES("const s = \"\xf0\x9f\x98\x80\";\n", "92e3924b1504be20:1", "c129715d7a2bc9a3:1");
  HASHES("\xef\xbb\xbflet \xe6\x97\xa5 = 1;\r\nx\xff\n", "6c047381b6b109a:1", "934c75bd9f985bfe:1",
         "c129715d7a2bc9a3:1");

  /* a long line: the window holds 100 units, the hash must not depend on more */
  {
    char buf[400];
    memset(buf, 'a', 300);
    memcpy(buf + 300, "\nb\n", 3);
    uint32_t n = 0;
    char **h = il_line_hashes(buf, 303, &n);
    CHECK(n == 3, "long line: %u lines, want 3", n);
    for (uint32_t i = 0; i < n; i++)
      free(h[i]);
    free(h);
  }
}

int main(void) {
  test_columns();
  test_fingerprints();
  printf("%d passed, %d failed\n", passed, failed);
  return failed ? 1 : 0;
}
