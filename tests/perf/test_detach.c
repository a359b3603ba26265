/* A file's text is freed at the end of phase 1 (il_file_detach): the findings
 * must be those of a run that kept the text (UTF-16 columns from the non-ASCII
 * runs kept in the facts, code frame and line hash from the file read again in
 * phase 3), and a file that changed or vanished in between must give a note and
 * no line hash or code frame, never a wrong one. Functional only (no timing). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analyze_int.h"
#include "il/position.h"

#include "../check.h"



static bool same(const char *a, const char *b) {
  return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static bool same_loc(const il_location *a, const il_location *b) {
  return a->span.start_byte == b->span.start_byte && a->span.end_byte == b->span.end_byte &&
         a->span.start.line == b->span.start.line && a->span.start.col == b->span.start.col &&
         a->start_col16 == b->start_col16 && a->end_col16 == b->end_col16 &&
         same(a->message, b->message) && same(a->path, b->path);
}

static void write_file(const char *path, const char *text, size_t len) {
  FILE *fp = fopen(path, "wb");
  if (!fp || fwrite(text, 1, len, fp) != len || fclose(fp) != 0) {
    fprintf(stderr, "cannot write %s\n", path);
    exit(2);
  }
}

typedef enum { KEEP, CHANGE, VANISH } after;

/* The file through prepare, detach (the text overwritten and freed at once), then
 * finish, with the file on disk kept, changed (same length) or removed. */
static void detached_run(const il_config *cfg, const char *fs, const char *text, size_t len,
                         after what, il_file_out *out) {
  char *buf = il_xmalloc(len + 1);
  memcpy(buf, text, len);
  il_prefilter_ext ext = {.relative = true};
  il_prepared p;
  il_file_out_init(out);
  il_file_prepare(cfg, fs, buf, len, IL_LANG_TS, &ext, out, &p);
  il_file_detach(&p, fs);
  CHECK(!p.f || (p.f->detached && !p.f->src), "the facts no longer point into the text");
  memset(buf, '#', len); /* anything still pointing into it would read this */
  free(buf);
  if (what == CHANGE) {
    char *other = il_xmalloc(len);
    memcpy(other, text, len);
    for (size_t i = 0; i < len; i++)
      if (other[i] == ';') /* same length, same lines: only a hash can tell */
        other[i] = ',';
    write_file(fs, other, len);
    free(other);
  } else if (what == VANISH) {
    unlink(fs);
  }
  il_file_finish(cfg, &p, out);
}

static bool changed_note(const il_file_out *o) {
  for (uint32_t i = 0; i < o->notes.len; i++)
    if (strstr(o->notes.data[i].message, "changed or vanished"))
      return true;
  return false;
}

static void check_text(const il_config *cfg, const char *dir, const char *name, const char *text,
                       uint32_t min_findings) {
  size_t len = strlen(text);
  char fs[4096];
  snprintf(fs, sizeof fs, "%s/%s", dir, name);
  write_file(fs, text, len);
  il_file_out ref;
  il_file_out_init(&ref);
  il_analyze_file(cfg, fs, text, len, IL_LANG_TS, &ref);
  CHECK(ref.findings.len >= min_findings, name);

  /* unchanged: the same findings, field by field */
  il_file_out o;
  detached_run(cfg, fs, text, len, KEEP, &o);
  CHECK(o.findings.len == ref.findings.len, name);
  CHECK(!changed_note(&o), name);
  for (uint32_t i = 0; i < o.findings.len && i < ref.findings.len; i++) {
    const il_finding *a = &ref.findings.data[i], *b = &o.findings.data[i];
    CHECK(same(a->rule_id, b->rule_id) && same(a->message, b->message), name);
    CHECK(same_loc(&a->loc, &b->loc), name);
    CHECK(a->line_text && same(a->line_text, b->line_text), name);
    CHECK(a->line_hash && same(a->line_hash, b->line_hash), name);
    CHECK(a->n_related == b->n_related && a->flow == b->flow, name);
    for (uint32_t j = 0; j < a->n_related && j < b->n_related; j++)
      CHECK(same_loc(&a->related[j], &b->related[j]), name);
  }
  il_file_out_fini(&o);

  /* changed, then vanished: the findings of the text read first, no line */
  for (int w = CHANGE; w <= VANISH; w++) {
    write_file(fs, text, len);
    detached_run(cfg, fs, text, len, (after)w, &o);
    bool any = ref.findings.len > 0;
    CHECK(o.findings.len == ref.findings.len, name);
    CHECK(changed_note(&o) == any, name); /* no finding: the file is not read again */
    for (uint32_t i = 0; i < o.findings.len && i < ref.findings.len; i++) {
      CHECK(same_loc(&ref.findings.data[i].loc, &o.findings.data[i].loc), name);
      CHECK(!o.findings.data[i].line_hash && !o.findings.data[i].line_text, name);
    }
    il_file_out_fini(&o);
  }
  unlink(fs);
  il_file_out_fini(&ref);
}

/* UTF-16 columns of a detached facts object, at every line start and prefix
 * length, against il_utf16_col on the text. */
static void check_columns(const char *text, uint32_t min_positions) {
  size_t len = strlen(text);
  il_facts *f = il_facts_new("cols.ts", IL_LANG_TS, text, len);
  il_facts_detach(f);
  uint32_t bad = 0, n = 0;
  for (size_t ls = 0; ls <= len; ls++) {
    if (ls && text[ls - 1] != '\n' && text[ls - 1] != '\r')
      continue;
    size_t le = ls;
    while (le < len && text[le] != '\n')
      le++;
    for (size_t c = 0; c <= le - ls; c++, n++)
      bad += il_facts_col16(f, (uint32_t)ls, (uint32_t)c, ls == 0) !=
             il_utf16_col(text + ls, (uint32_t)c, ls == 0);
  }
  CHECK(n >= min_positions && bad == 0, "UTF-16 columns of a detached file");
  il_facts_free(f);
}

int main(void) {
  il_config cfg;
  char *err = NULL;
  if (!il_config_init(&cfg, NULL, &err)) {
    fprintf(stderr, "config: %s\n", err);
    return 2;
  }
  char dir[] = "/tmp/isolint-detach-XXXXXX";
  if (!mkdtemp(dir))
    return 2;
  check_text(&cfg, dir, "ascii.ts",
             "import { Pool } from 'pg';\n"
             "export const pool = new Pool();\n"
             "export default { async fetch() { return new Response(String(pool)); } };\n",
             1);
  check_text(&cfg, dir, "wide.ts",
             "\xEF\xBB\xBFimport { Pool } from 'pg'; const s = '\xF0\x9F\x98\x80'; export const "
             "pool = new Pool();\n"
             "// \xE6\x97\xA5\xE6\x9C\xAC \xF0\x9F\x98\x80\r\n"
             "const t = '\xC3\xA9\xF0\x9F\x98\x80'; export const p2 = new Pool(); setTimeout(() "
             "=> {}, 1);\r\n"
             "export default { async fetch() { return new Response(String(pool) + p2 + t + s); } "
             "};\n",
             3);
  check_text(&cfg, dir, "none.ts", "export const x = 1;\nexport function f() { return x; }\n", 0);
  check_columns("\xEF\xBB\xBF" "a\xC3\xA9" "b\xF0\x9F\x98\x80" "c\n"
                "\xE6\x97\xA5\xE6\x9C\xAC xyz \xFF\xC3 bad \xE2\x82 cut\r\n"
                "plain ascii line\n"
                "\xF0\x9F\x98 three of four\n\xED\xA0\x80 surrogate \xF4\x90\x80\x80 high\n",
                100);
  check_columns("only ascii\nhere\n", 16);
  rmdir(dir);
  il_config_fini(&cfg);
  printf("test_detach: %d passed, %d failed\n", passed, failed);
  return failed ? 1 : 0;
}
