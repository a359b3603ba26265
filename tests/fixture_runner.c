/* fixture_runner: analyzes fixture files one by one and compares the findings with
 * the expectations written in the files' own comments (STYLE.md section 8).
 *
 *   fixture_runner [--kb DIR] PATH...                 check every fixture under PATHs
 *                                                     (sorted; hidden entries, node_modules and
 *                                                     symlinked directories are skipped)
 *   fixture_runner --print-expect [--kb DIR] PATH...  print current findings as expect: lines
 *   fixture_runner --projects [--kb DIR] DIR...      project mode: every subdirectory of each
 *                                                     DIR is one project, scanned as a whole with
 *                                                     il_scan (cross-file analysis); each file's
 *                                                     expectations are checked against the
 *                                                     findings reported in it, and the results
 *                                                     must not depend on --jobs or --shard
 *
 * Expectations, in `//` (or block) comments:
 *   code();  // expect: rule-a, rule-b:note   a finding of each rule starts on this line
 *   //    ^ expect: rule-a                    caret line: the finding starts on the nearest
 *                                             preceding non-caret line, at the caret's
 *                                             1-based byte column
 *   // known-to-fail: reason                  the file is expected to fail (XFAIL/XPASS)
 *   // expect-notification: ISOL0002          the analyzer must emit this notification
 *                                             (any other notification fails the file; in
 *                                             project mode a notification about a file that is
 *                                             not a source file, a tsconfig.json, belongs to
 *                                             the project's first source file)
 *   code();  // expect: rule-a  // expect-related: lib/db.ts:7
 *                                             the finding starting on this line has a related
 *                                             location at that line of that file (path relative
 *                                             to the project, or to the fixture's directory)
 * A level may be pinned with `rule:level` (error, warning, note). Files without any
 * expectation must produce no finding.
 *
 * Output: one line per mismatch, then PASS/FAIL/XFAIL/XPASS and the path per file,
 * and finally "N passed, N failed". Exit 0 when every file passed, 1 when one failed,
 * 2 on a usage error or an unreadable file or directory. */
#include "base/common.h"
#include "base/finding.h"
#include "rules/rule.h"
#include "core/run.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MAX_ID 64

typedef struct {
  char rule[MAX_ID];
  uint32_t line;     /* line the finding must start on */
  uint32_t col;      /* 1-based byte column, 0: any column */
  uint32_t src_line; /* line the expectation is written on */
  bool has_level;
  il_level level;
  bool matched;
} expectation;

typedef struct {
  char id[MAX_ID];
  uint32_t src_line;
  bool matched;
} note_expectation;

typedef struct {
  char path[256]; /* relative to the project (or the fixture's directory) */
  uint32_t line;     /* of the related location */
  uint32_t at_line;  /* the finding's line (the expectation's line) */
} related_expectation;

typedef struct {
  IL_ARRAY(expectation) exps;
  IL_ARRAY(note_expectation) notes;
  IL_ARRAY(related_expectation) related;
  bool known_to_fail;
  uint32_t n_errors; /* malformed expectations (already printed) */
} fixture;

typedef IL_ARRAY(char *) path_list;

typedef struct {
  const il_config *cfg;
  bool print_expect;
} runner;

static const char *const source_exts[] = {".ts", ".tsx", ".mts", ".cts", ".c", ".h",
                                          ".js", ".jsx", ".mjs", ".cjs"};

static void usage(FILE *out) {
  fputs("usage: fixture_runner [--print-expect] [--kb DIR] PATH...\n"
        "  Analyzes every source file under PATHs (.ts .tsx .mts .cts .js .jsx .mjs .cjs .c .h, and\n"
        "  any other kind the core scans), each alone, and compares its findings with the\n"
        "  `// expect:` comments of the file.\n"
        "  --print-expect  print the current findings as expect: lines instead\n"
        "  --projects      each subdirectory of each PATH is a project scanned as a whole\n"
        "                  (cross-file analysis), results checked per file and across --jobs\n"
        "                  and --shard\n"
        "  --kb DIR        knowledge-base directory (default: the built-in one)\n",
        out);
}

/* The TS/JS extensions, plus whatever else the core scans (C files once that
 * front-end exists), so C fixtures carrying the same comments run too. */
static bool has_source_ext(const char *path) {
  const char *dot = strrchr(path, '.');
  const char *slash = strrchr(path, '/');
  if (dot && !(slash && dot < slash))
    for (size_t i = 0; i < sizeof source_exts / sizeof source_exts[0]; i++)
      if (strcmp(dot, source_exts[i]) == 0)
        return true;
  int lang;
  return il_lang_of_path(path, &lang);
}

/* ---- discovery ------------------------------------------------------------- */

static char *join_path(const char *dir, const char *name) {
  if (strcmp(dir, ".") == 0)
    return il_xstrdup(name);
  size_t n = strlen(dir);
  if (n > 0 && dir[n - 1] == '/')
    return il_xasprintf("%s%s", dir, name);
  return il_xasprintf("%s/%s", dir, name);
}

/* Recurses into real directories only (symlinked directories are not followed, so a
 * symlink loop cannot recurse); keeps regular files, and symlinks to regular files,
 * with a source extension. Skips hidden entries and node_modules. */
static bool collect_dir(const char *dir, path_list *out) {
  DIR *d = opendir(dir);
  if (!d) {
    fprintf(stderr, "fixture_runner: cannot open directory %s: %s\n", dir, strerror(errno));
    return false;
  }
  bool ok = true;
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    if (e->d_name[0] == '.' || strcmp(e->d_name, "node_modules") == 0)
      continue;
    char *p = join_path(dir, e->d_name);
    struct stat st;
    if (lstat(p, &st) != 0) {
      fprintf(stderr, "fixture_runner: cannot stat %s: %s\n", p, strerror(errno));
      ok = false;
      free(p);
      continue;
    }
    if (S_ISDIR(st.st_mode)) {
      ok = collect_dir(p, out) && ok;
      free(p);
    } else if (has_source_ext(p) &&
               (S_ISREG(st.st_mode) || (S_ISLNK(st.st_mode) && stat(p, &st) == 0 &&
                                        S_ISREG(st.st_mode)))) {
      il_array_push(out, p);
    } else {
      free(p);
    }
  }
  closedir(d);
  return ok;
}

static bool collect(const char *path, path_list *out) {
  while (path[0] == '.' && path[1] == '/') /* "./a.ts" and "a.ts" are one file */
    for (path += 2; *path == '/';)
      path++;
  if (*path == '\0')
    path = ".";
  struct stat st;
  if (stat(path, &st) != 0) {
    fprintf(stderr, "fixture_runner: %s: %s\n", path, strerror(errno));
    return false;
  }
  if (S_ISDIR(st.st_mode))
    return collect_dir(path, out);
  if (!has_source_ext(path)) {
    fprintf(stderr, "fixture_runner: %s: not a source file isolint scans\n", path);
    return false;
  }
  il_array_push(out, il_xstrdup(path));
  return true;
}

static int cmp_paths(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorts and removes duplicates (a file named twice, or inside two named dirs). */
static void sort_unique(path_list *l) {
  if (l->len == 0)
    return;
  qsort(l->data, l->len, sizeof l->data[0], cmp_paths);
  uint32_t w = 1;
  for (uint32_t i = 1; i < l->len; i++) {
    if (strcmp(l->data[i], l->data[w - 1]) == 0)
      free(l->data[i]);
    else
      l->data[w++] = l->data[i];
  }
  l->len = w;
}

static char *read_file(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f)
    return NULL;
  size_t cap = 1 << 16, n = 0;
  char *buf = il_xmalloc(cap + 1);
  for (;;) {
    size_t got = fread(buf + n, 1, cap - n, f);
    n += got;
    if (n < cap) {
      if (ferror(f)) {
        int saved = errno;
        free(buf);
        fclose(f);
        errno = saved ? saved : EIO;
        return NULL;
      }
      break;
    }
    cap *= 2;
    buf = il_xrealloc(buf, cap + 1);
  }
  fclose(f);
  buf[n] = '\0';
  *len = n;
  return buf;
}

/* ---- expectation parsing ----------------------------------------------------- */

static bool is_blank(char c) { return c == ' ' || c == '\t'; }
static bool is_id_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_';
}

/* The position just after `key` when line[i..] is a comment opener (`//` or `/` `*`),
 * optional blanks, then `key`; else 0. */
static size_t comment_key_at(const char *line, size_t n, size_t i, const char *key) {
  if (i + 1 >= n || line[i] != '/' || (line[i + 1] != '/' && line[i + 1] != '*'))
    return 0;
  size_t j = i + 2;
  while (j < n && is_blank(line[j]))
    j++;
  size_t k = strlen(key);
  if (j + k > n || memcmp(line + j, key, k) != 0)
    return 0;
  return j + k;
}

/* Finds the first comment holding `key` in the line; returns the index after key or 0. */
static size_t find_comment_key(const char *line, size_t n, const char *key) {
  for (size_t i = 0; i + 1 < n; i++) {
    size_t r = comment_key_at(line, n, i, key);
    if (r)
      return r;
  }
  return 0;
}

/* A caret line: blanks, `//`, blanks, `^`, blanks, `expect:`. Returns the index after
 * `expect:` (and the caret's 0-based index in *caret), else 0. */
static size_t caret_line(const char *line, size_t n, size_t *caret) {
  size_t i = 0;
  while (i < n && is_blank(line[i]))
    i++;
  if (i + 1 >= n || line[i] != '/' || line[i + 1] != '/')
    return 0;
  i += 2;
  while (i < n && is_blank(line[i]))
    i++;
  if (i >= n || line[i] != '^')
    return 0;
  *caret = i++;
  while (i < n && is_blank(line[i]))
    i++;
  if (i + 7 > n || memcmp(line + i, "expect:", 7) != 0)
    return 0;
  return i + 7;
}

static void bad_expectation(const char *path, uint32_t line, fixture *fx, const char *what,
                            const char *id) {
  printf("%s:%u: bad expectation: %s%s%s\n", path, line, what, id ? " " : "", id ? id : "");
  fx->n_errors++;
}

/* Parses `rule[:level] (, rule[:level])*` from line[i..n); anything after the list
 * (a closing comment, an explanation in parentheses) is ignored. */
static void parse_rule_list(const char *path, const char *line, size_t n, size_t i,
                            uint32_t src_line, uint32_t target, uint32_t col, fixture *fx) {
  bool any = false;
  for (;;) {
    while (i < n && is_blank(line[i]))
      i++;
    size_t s = i;
    while (i < n && is_id_char(line[i]))
      i++;
    if (i == s)
      break;
    expectation e = {.line = target, .col = col, .src_line = src_line};
    if (i - s >= MAX_ID) {
      bad_expectation(path, src_line, fx, "rule id too long", NULL);
      return;
    }
    memcpy(e.rule, line + s, i - s);
    e.rule[i - s] = '\0';
    if (i < n && line[i] == ':') {
      size_t ls = ++i;
      while (i < n && is_id_char(line[i]))
        i++;
      char lv[MAX_ID] = {0};
      memcpy(lv, line + ls, (i - ls) < MAX_ID - 1 ? (i - ls) : MAX_ID - 1);
      if (!il_level_parse(lv, &e.level) || e.level == IL_LEVEL_OFF) {
        bad_expectation(path, src_line, fx, "unknown level (error, warning, note):", lv);
        return;
      }
      e.has_level = true;
    }
    if (!il_rule_find(e.rule)) {
      bad_expectation(path, src_line, fx, "unknown rule id", e.rule);
      return;
    }
    il_array_push(&fx->exps, e);
    any = true;
    while (i < n && is_blank(line[i]))
      i++;
    if (i < n && line[i] == ',') {
      i++;
      continue;
    }
    break;
  }
  if (!any)
    bad_expectation(path, src_line, fx, "no rule id after expect:", NULL);
}

static void parse_notification_list(const char *line, size_t n, size_t i, uint32_t src_line,
                                    fixture *fx) {
  for (;;) {
    while (i < n && is_blank(line[i]))
      i++;
    size_t s = i;
    while (i < n && is_id_char(line[i]) && i - s < MAX_ID - 1)
      i++;
    if (i == s)
      return;
    note_expectation e = {.src_line = src_line};
    memcpy(e.id, line + s, i - s);
    il_array_push(&fx->notes, e);
    while (i < n && is_blank(line[i]))
      i++;
    if (i < n && line[i] == ',') {
      i++;
      continue;
    }
    return;
  }
}

/* `path:line` (one per comment). */
static void parse_related(const char *path, const char *line, size_t n, size_t i,
                          uint32_t src_line, fixture *fx) {
  while (i < n && is_blank(line[i]))
    i++;
  size_t s = i;
  while (i < n && !is_blank(line[i]) && line[i] != ':')
    i++;
  related_expectation e = {.at_line = src_line};
  if (i == s || i >= n || line[i] != ':' || i - s >= sizeof e.path) {
    bad_expectation(path, src_line, fx, "expect-related: needs path:line", NULL);
    return;
  }
  memcpy(e.path, line + s, i - s);
  for (i++; i < n && line[i] >= '0' && line[i] <= '9'; i++)
    e.line = e.line * 10 + (uint32_t)(line[i] - '0');
  if (!e.line) {
    bad_expectation(path, src_line, fx, "expect-related: needs path:line", NULL);
    return;
  }
  il_array_push(&fx->related, e);
}

static void parse_fixture(const char *path, const char *text, size_t len, fixture *fx) {
  uint32_t line_no = 0, last_code = 0; /* last line that is not a caret line */
  size_t pos = 0;
  while (pos < len || (pos == len && line_no == 0)) {
    const char *nl = memchr(text + pos, '\n', len - pos);
    size_t end = nl ? (size_t)(nl - text) : len;
    const char *line = text + pos;
    size_t n = end - pos;
    if (n > 0 && line[n - 1] == '\r')
      n--;
    line_no++;

    size_t caret = 0, after = caret_line(line, n, &caret);
    if (after) {
      if (last_code == 0)
        bad_expectation(path, line_no, fx, "caret line with no line above it", NULL);
      else
        parse_rule_list(path, line, n, after, line_no, last_code, (uint32_t)caret + 1, fx);
    } else {
      last_code = line_no;
      size_t k;
      if ((k = find_comment_key(line, n, "expect:")) != 0)
        parse_rule_list(path, line, n, k, line_no, line_no, 0, fx);
      if ((k = find_comment_key(line, n, "expect-notification:")) != 0)
        parse_notification_list(line, n, k, line_no, fx);
      for (size_t from = 0; from < n && (k = find_comment_key(line + from, n - from,
                                                              "expect-related:")) != 0;
           from += k)
        parse_related(path, line + from, n - from, k, line_no, fx);
      if (find_comment_key(line, n, "known-to-fail:"))
        fx->known_to_fail = true;
    }
    if (!nl)
      break;
    pos = end + 1;
  }
}

/* ---- comparison -------------------------------------------------------------- */

static expectation *match_expectation(fixture *fx, const il_finding *f, bool exact_col) {
  for (uint32_t i = 0; i < fx->exps.len; i++) {
    expectation *e = &fx->exps.data[i];
    if (e->matched || e->line != f->loc.span.start.line || strcmp(e->rule, f->rule_id) != 0)
      continue;
    if (exact_col ? e->col == f->loc.span.start.col : e->col == 0)
      return e;
  }
  return NULL;
}

/* printf to `out`, or nothing when out is NULL (the mismatches of an expected failure). */
static void say(FILE *out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void say(FILE *out, const char *fmt, ...) {
  if (!out)
    return;
  va_list ap;
  va_start(ap, fmt);
  vfprintf(out, fmt, ap);
  va_end(ap);
}

/* Does path name `rel` under directory base ("a/b/lib/db.ts" and "lib/db.ts")? */
static bool path_is(const char *path, const char *base, const char *rel) {
  size_t bn = strlen(base);
  if (bn && strncmp(path, base, bn) == 0 && path[bn] == '/')
    return strcmp(path + bn + 1, rel) == 0;
  return strcmp(path, rel) == 0;
}

/* Prints every mismatch to `out` (if not NULL); returns their number. `base` is the
 * directory expect-related paths are relative to. */
static uint32_t compare(FILE *out, const char *path, fixture *fx, const il_result *res,
                        const char *base) {
  uint32_t bad = 0;
  for (uint32_t i = 0; i < fx->related.len; i++) {
    const related_expectation *e = &fx->related.data[i];
    bool found = false;
    for (uint32_t k = 0; k < res->findings.len && !found; k++) {
      const il_finding *f = &res->findings.data[k];
      if (f->loc.span.start.line != e->at_line)
        continue;
      for (uint32_t j = 0; j < f->n_related && !found; j++) {
        const il_location *l = &f->related[j];
        found = l->span.start.line == e->line && path_is(l->path ? l->path : f->path, base, e->path);
      }
    }
    if (!found) {
      say(out, "%s:%u: missing expected related location %s:%u\n", path, e->at_line, e->path,
          e->line);
      bad++;
    }
  }
  bool *done = il_xcalloc(res->findings.len ? res->findings.len : 1, sizeof *done);
  /* Column-pinned expectations first, so a line-only one cannot take their finding. */
  for (int pass = 0; pass < 2; pass++) {
    for (uint32_t i = 0; i < res->findings.len; i++) {
      const il_finding *f = &res->findings.data[i];
      if (done[i])
        continue;
      expectation *e = match_expectation(fx, f, pass == 0);
      if (!e)
        continue;
      e->matched = done[i] = true;
      if (e->has_level && e->level != f->level) {
        say(out, "%s:%u:%u: level mismatch [%s] expected %s, got %s\n", path,
            f->loc.span.start.line, f->loc.span.start.col, f->rule_id, il_level_name(e->level),
            il_level_name(f->level));
        bad++;
      }
    }
  }
  for (uint32_t i = 0; i < res->findings.len; i++) {
    const il_finding *f = &res->findings.data[i];
    if (done[i])
      continue;
    say(out, "%s:%u:%u: unexpected finding [%s] %s\n", path, f->loc.span.start.line,
        f->loc.span.start.col, f->rule_id, f->message ? f->message : "");
    bad++;
  }
  free(done);
  for (uint32_t i = 0; i < fx->exps.len; i++) {
    const expectation *e = &fx->exps.data[i];
    if (e->matched)
      continue;
    if (e->col)
      say(out, "%s:%u:%u: missing expected finding [%s]\n", path, e->line, e->col, e->rule);
    else
      say(out, "%s:%u: missing expected finding [%s]\n", path, e->line, e->rule);
    bad++;
  }
  for (uint32_t i = 0; i < res->notes.len; i++) {
    const il_notification *nt = &res->notes.data[i];
    const char *id = il_note_id(nt->kind);
    bool ok = false;
    for (uint32_t j = 0; j < fx->notes.len && !ok; j++) {
      note_expectation *ne = &fx->notes.data[j];
      if (!ne->matched && strcmp(ne->id, id) == 0)
        ok = ne->matched = true;
    }
    if (!ok) {
      say(out, "%s:%u:%u: unexpected notification [%s] %s (if intended: // expect-notification: %s)\n",
          path, nt->line, nt->col16, id, nt->message ? nt->message : "", id);
      bad++;
    }
  }
  for (uint32_t j = 0; j < fx->notes.len; j++) {
    const note_expectation *ne = &fx->notes.data[j];
    if (!ne->matched) {
      say(out, "%s:%u: missing expected notification [%s]\n", path, ne->src_line, ne->id);
      bad++;
    }
  }
  return bad;
}

static void print_expect(const char *path, const il_result *res, bool header) {
  if (header)
    printf("== %s\n", path);
  for (uint32_t i = 0; i < res->findings.len; i++) {
    const il_finding *f = &res->findings.data[i];
    printf("%u:%u: // expect: %s:%s  (%s)\n", f->loc.span.start.line, f->loc.span.start.col,
           f->rule_id, il_level_name(f->level), f->message ? f->message : "");
  }
  for (uint32_t i = 0; i < res->notes.len; i++) {
    const il_notification *nt = &res->notes.data[i];
    printf("%u:%u: // expect-notification: %s  (%s)\n", nt->line, nt->col16, il_note_id(nt->kind),
           nt->message ? nt->message : "");
  }
}

typedef enum { OUTCOME_PASS, OUTCOME_FAIL, OUTCOME_UNREADABLE } outcome;

static outcome run_file(const runner *r, const char *path, bool header) {
  size_t len = 0;
  char *text = read_file(path, &len);
  if (!text) {
    printf("%s: cannot read: %s\n", path, strerror(errno));
    if (!r->print_expect)
      printf("FAIL %s\n", path);
    return OUTCOME_UNREADABLE;
  }
  il_result res;
  il_result_init(&res);
  il_analyze_text(r->cfg, path, text, len, &res);
  il_result_sort(&res);

  outcome out = OUTCOME_PASS;
  if (r->print_expect) {
    print_expect(path, &res, header);
  } else {
    fixture fx = {0};
    parse_fixture(path, text, len, &fx);
    /* The mismatches of an expected failure are not printed, only its status. */
    char *base = il_xstrdup(path);
    char *slash = strrchr(base, '/');
    *(slash ? slash : base) = '\0';
    uint32_t bad = fx.n_errors + compare(fx.known_to_fail ? NULL : stdout, path, &fx, &res, base);
    free(base);
    if (fx.known_to_fail) {
      printf("%s %s\n", bad ? "XFAIL" : "XPASS", path);
      out = bad ? OUTCOME_PASS : OUTCOME_FAIL;
    } else {
      printf("%s %s\n", bad ? "FAIL" : "PASS", path);
      out = bad ? OUTCOME_FAIL : OUTCOME_PASS;
    }
    il_array_free(&fx.exps);
    il_array_free(&fx.notes);
    il_array_free(&fx.related);
  }
  il_result_fini(&res);
  free(text);
  return out;
}

/* ---- project mode --------------------------------------------------------------- */

/* One line per finding with everything a reporter shows, for comparing runs. */
static char *finding_key(const il_finding *f) {
  size_t cap = 256, n = 0;
  char *b = il_xmalloc(cap);
  n += (size_t)snprintf(b, cap, "%s:%u:%u-%u:%u [%s:%s] %s", f->path, f->loc.span.start.line,
                        f->loc.start_col16, f->loc.span.end.line, f->loc.end_col16, f->rule_id,
                        il_level_name(f->level), f->message ? f->message : "");
  for (uint32_t j = 0; j <= f->n_related; j++) {
    char part[1024];
    if (j == f->n_related)
      snprintf(part, sizeof part, " fp=%s", f->fingerprint ? f->fingerprint : "");
    else
      snprintf(part, sizeof part, " | %s %s:%u:%u", f->related[j].message ? f->related[j].message : "",
               f->related[j].path ? f->related[j].path : "-", f->related[j].span.start.line,
               f->related[j].start_col16);
    size_t pn = strlen(part);
    if (n + pn + 1 > cap) {
      while (n + pn + 1 > cap)
        cap *= 2;
      b = il_xrealloc(b, cap);
    }
    memcpy(b + n, part, pn + 1);
    n += pn;
  }
  return b;
}

static void scan_project(const il_config *cfg, const char *dir, unsigned jobs, uint32_t shard,
                         uint32_t shards, il_result *res) {
  il_result_init(res);
  const char *paths[] = {dir};
  il_scan_opts o = {.paths = paths, .n_paths = 1, .jobs = jobs, .shard_index = shard,
                    .shard_count = shards};
  il_scan(cfg, &o, res);
}

static void keys_of(const il_result *r, path_list *keys) {
  for (uint32_t i = 0; i < r->findings.len; i++)
    il_array_push(keys, finding_key(&r->findings.data[i]));
}

/* The same findings whatever --jobs, and the shards of a split together report
 * exactly what one run reports (cross-file related locations included). */
static uint32_t check_stable(const il_config *cfg, const char *dir, const il_result *base) {
  path_list want = {0};
  keys_of(base, &want);
  sort_unique(&want);
  uint32_t bad = 0;
  for (int v = 0; v < 3; v++) {
    path_list got = {0};
    const char *what;
    if (v == 0) {
      il_result r;
      scan_project(cfg, dir, 4, 0, 0, &r);
      keys_of(&r, &got);
      il_result_fini(&r);
      what = "--jobs 4";
    } else {
      uint32_t n = v == 1 ? 2 : 3;
      for (uint32_t k = 1; k <= n; k++) {
        il_result r;
        scan_project(cfg, dir, 2, k, n, &r);
        keys_of(&r, &got);
        il_result_fini(&r);
      }
      what = v == 1 ? "--shard k/2" : "--shard k/3";
    }
    sort_unique(&got);
    bool same = got.len == want.len;
    for (uint32_t i = 0; same && i < got.len; i++)
      same = strcmp(got.data[i], want.data[i]) == 0;
    if (!same) {
      printf("%s: findings differ with %s (%u vs %u)\n", dir, what, got.len, want.len);
      bad++;
    }
    for (uint32_t i = 0; i < got.len; i++)
      free(got.data[i]);
    il_array_free(&got);
  }
  for (uint32_t i = 0; i < want.len; i++)
    free(want.data[i]);
  il_array_free(&want);
  return bad;
}

/* Scans one project directory and checks each of its files; returns failures. */
static uint32_t run_project(const runner *r, const char *dir, uint32_t *passed) {
  path_list files = {0};
  if (!collect_dir(dir, &files) || files.len == 0) {
    printf("FAIL %s (no source files)\n", dir);
    return 1;
  }
  sort_unique(&files);
  il_result res;
  scan_project(r->cfg, dir, 1, 0, 0, &res);
  uint32_t failed = 0;
  if (r->print_expect) {
    il_result sub;
    for (uint32_t i = 0; i < files.len; i++) {
      memset(&sub, 0, sizeof sub);
      for (uint32_t k = 0; k < res.findings.len; k++)
        if (strcmp(res.findings.data[k].path, files.data[i]) == 0)
          il_array_push(&sub.findings, res.findings.data[k]);
      for (uint32_t k = 0; k < res.notes.len; k++)
        if (res.notes.data[k].path && strcmp(res.notes.data[k].path, files.data[i]) == 0)
          il_array_push(&sub.notes, res.notes.data[k]);
      print_expect(files.data[i], &sub, true);
      il_array_free(&sub.findings);
      il_array_free(&sub.notes);
    }
  } else {
    uint32_t unstable = check_stable(r->cfg, dir, &res);
    bool *taken = il_xcalloc(res.notes.len + 1, sizeof *taken);
    for (uint32_t i = 0; i < files.len; i++) {
      const char *path = files.data[i];
      il_result sub;
      memset(&sub, 0, sizeof sub);
      for (uint32_t k = 0; k < res.findings.len; k++)
        if (strcmp(res.findings.data[k].path, path) == 0)
          il_array_push(&sub.findings, res.findings.data[k]);
      for (uint32_t k = 0; k < res.notes.len; k++) {
        const il_notification *nt = &res.notes.data[k];
        bool mine = nt->path && strcmp(nt->path, path) == 0;
        bool orphan = i == 0;
        for (uint32_t j = 0; orphan && j < files.len; j++)
          orphan = !(nt->path && strcmp(nt->path, files.data[j]) == 0);
        if ((mine || orphan) && !taken[k]) {
          taken[k] = true;
          il_array_push(&sub.notes, *nt);
        }
      }
      size_t len = 0;
      char *text = read_file(path, &len);
      fixture fx = {0};
      if (text)
        parse_fixture(path, text, len, &fx);
      else
        fx.n_errors++;
      /* (a file marked known-to-fail: its mismatches are expected, as in file mode) */
      uint32_t bad = fx.n_errors + compare(fx.known_to_fail ? NULL : stdout, path, &fx, &sub, dir);
      if (fx.known_to_fail) {
        printf("%s %s\n", bad ? "XFAIL" : "XPASS", path);
        bad = bad ? 0 : 1;
      } else
        printf("%s %s\n", bad ? "FAIL" : "PASS", path);
      if (i == 0 && unstable) {
        printf("FAIL %s (findings differ with --jobs or --shard)\n", path);
        bad += unstable;
      }
      if (bad)
        failed++;
      else
        (*passed)++;
      il_array_free(&fx.exps);
      il_array_free(&fx.notes);
      il_array_free(&fx.related);
      il_array_free(&sub.findings);
      il_array_free(&sub.notes);
      free(text);
    }
    free(taken);
  }
  il_result_fini(&res);
  for (uint32_t i = 0; i < files.len; i++)
    free(files.data[i]);
  il_array_free(&files);
  return failed;
}

/* The project directories under dir: its subdirectories, sorted. */
static bool collect_projects(const char *dir, path_list *out) {
  DIR *d = opendir(dir);
  if (!d) {
    fprintf(stderr, "fixture_runner: cannot open directory %s: %s\n", dir, strerror(errno));
    return false;
  }
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    if (e->d_name[0] == '.' || strcmp(e->d_name, "node_modules") == 0)
      continue;
    char *p = join_path(dir, e->d_name);
    struct stat st;
    if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode))
      il_array_push(out, p);
    else
      free(p);
  }
  closedir(d);
  return true;
}

int main(int argc, char **argv) {
  runner r = {0};
  const char *kb_dir = NULL;
  path_list inputs = {0};
  int status = 0;
  bool projects = false;

  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (strcmp(a, "--print-expect") == 0) {
      r.print_expect = true;
    } else if (strcmp(a, "--projects") == 0) {
      projects = true;
    } else if (strcmp(a, "--kb") == 0) {
      if (i + 1 >= argc) {
        fputs("fixture_runner: --kb needs a directory\n", stderr);
        usage(stderr);
        return 2;
      }
      kb_dir = argv[++i];
    } else if (strncmp(a, "--kb=", 5) == 0) {
      kb_dir = a + 5;
    } else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
      usage(stdout);
      return 0;
    } else if (strcmp(a, "--") == 0) {
      for (i++; i < argc; i++)
        il_array_push(&inputs, argv[i]);
    } else if (a[0] == '-' && a[1] != '\0') {
      fprintf(stderr, "fixture_runner: unknown option %s\n", a);
      usage(stderr);
      return 2;
    } else {
      il_array_push(&inputs, argv[i]);
    }
  }
  if (inputs.len == 0) {
    usage(stderr);
    return 2;
  }

  path_list files = {0};
  for (uint32_t i = 0; i < inputs.len; i++)
    if (projects ? !collect_projects(inputs.data[i], &files) : !collect(inputs.data[i], &files))
      status = 2;
  il_array_free(&inputs);
  sort_unique(&files);
  if (files.len == 0) {
    if (status == 0)
      fputs("fixture_runner: no source files found\n", stderr);
    il_array_free(&files);
    return 2;
  }

  il_config cfg;
  char *err = NULL;
  if (!il_config_init(&cfg, kb_dir, &err)) {
    fprintf(stderr, "fixture_runner: %s\n", err ? err : "cannot load the knowledge base");
    free(err);
    for (uint32_t i = 0; i < files.len; i++)
      free(files.data[i]);
    il_array_free(&files);
    return 2;
  }
  r.cfg = &cfg;

  uint32_t passed = 0, failed = 0;
  for (uint32_t i = 0; projects && i < files.len; i++) {
    failed += run_project(&r, files.data[i], &passed);
    free(files.data[i]);
  }
  if (projects)
    files.len = 0;
  for (uint32_t i = 0; i < files.len; i++) {
    outcome o = run_file(&r, files.data[i], files.len > 1);
    if (o == OUTCOME_PASS) {
      passed++;
    } else {
      failed++;
      if (o == OUTCOME_UNREADABLE)
        status = 2;
    }
    free(files.data[i]);
  }
  il_array_free(&files);
  il_config_fini(&cfg);

  if (!r.print_expect)
    printf("%u passed, %u failed\n", passed, failed);
  if (status == 0 && failed > 0 && !r.print_expect)
    status = 1;
  return status;
}
