/* A file's text is freed at the end of phase 1 (il_file_detach): the findings
 * must be those of a run that kept the text (UTF-16 columns from the non-ASCII
 * runs kept in the facts, code frame and line hash from the file read again in
 * phase 3), and a file that changed or vanished in between must give a note and
 * no line hash or code frame, never a wrong one. A file with layer nodes that
 * reports nothing and holds no boot sink is cut down too (il_facts_reduce with
 * layers): the cross-file boot-time-layer findings its layers give another file
 * must be those of a scan that kept every file whole (in-memory sources are not
 * detached), and a file that needs its facts must keep them. Functional only (no
 * timing). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/analyze_int.h"
#include "base/position.h"
#include "core/run.h"

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
  il_facts_detach(f, true);
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


/* ---- files with layer nodes ---------------------------------------------------------- */

typedef struct {
  const char *path; /* relative to the project directory */
  const char *text;
} src_file;

/* A layer that opens a postgres connection (a non-ASCII comment before it on the same
 * line: its steps' UTF-16 columns come from the kept runs), composed in a second file
 * that imports it, and built once by a runtime in a third. */
static const src_file project[] = {
    {"lib/config.ts", "export const url = process.env.DATABASE_URL ?? \"\";\n"},
    {"lib/db.ts",
     "import { Context, Effect, Layer } from \"effect\";\n"
     "import postgres from \"postgres\";\n"
     "import { url } from \"./config\";\n"
     "export class Db extends Context.Tag(\"Db\")<Db, postgres.Sql>() {}\n"
     "const probe = Effect.succeed(1).pipe(Effect.asVoid);\n"
     "/* \xC3\xA9t\xC3\xA9 \xF0\x9F\x98\x80 */ export const DbLive = Layer.scoped(Db, "
     "Effect.acquireRelease(Effect.sync(() => postgres(url)), (sql) => Effect.promise(() => "
     "sql.end())));\n"
     "export function ping() { return probe.pipe(Effect.map(() => url)); }\n"
     /* a wrapper that takes the level of the dialect it is handed through a binding
      * (declared after it: the wrapper is the first client with that level) */
     "import { Kysely, PostgresDialect } from \"kysely\";\n"
     "import { Pool } from \"pg\";\n"
     "export class Ky extends Context.Tag(\"Ky\")<Ky, Kysely<unknown>>() {}\n"
     "export const KyLive = Layer.effect(Ky, Effect.sync(() => { const db = new Kysely({ "
     "dialect: dialect }); const dialect = new PostgresDialect({ pool: new Pool() }); return "
     "db; }));\n"},
    {"lib/live.ts",
     "import { Layer } from \"effect\";\n"
     "import { DbLive, ping } from \"./db\";\n"
     "declare const LoggerLive: Layer.Layer<never>;\n"
     "/* \xE6\x97\xA5\xE6\x9C\xAC */ export const AppLive = Layer.provideMerge(LoggerLive, "
     "DbLive);\n"
     "export const check = () => ping();\n"},
    {"worker.ts",
     "import { Layer, ManagedRuntime } from \"effect\";\n"
     "import { AppLive } from \"./lib/live\";\n"
     "declare const ApiLive: Layer.Layer<never>;\n"
     "import { KyLive } from \"./lib/db\";\n"
     "export const runtime = ManagedRuntime.make(Layer.provide(ApiLive, AppLive));\n"
     "export const ky = ManagedRuntime.make(KyLive);\n"
     "export default { async fetch() { return new Response(String(runtime)); } };\n"},
};
enum { N_PROJECT = sizeof project / sizeof project[0] };

/* One file through phase 1 of a scan (prepare, detach); the caller frees it. */
static il_prepared phase1_file(const il_config *cfg, const char *dir, const char *name,
                               const char *text, il_file_out *out) {
  char fs[4096];
  const char *base = strrchr(name, '/');
  snprintf(fs, sizeof fs, "%s/%s", dir, base ? base + 1 : name);
  write_file(fs, text, strlen(text));
  il_prefilter_ext ext = {.relative = true, .force = true}; /* parsed whatever it names */
  il_prepared p;
  il_file_out_init(out);
  il_file_prepare(cfg, name, text, strlen(text), IL_LANG_TS, &ext, out, &p);
  il_file_detach(&p, fs);
  unlink(fs);
  return p;
}

static void done_file(const il_config *cfg, il_prepared *p, il_file_out *out) {
  il_file_finish(cfg, p, out);
  il_file_out_fini(out);
}

/* What il_file_detach keeps of each kind of file. */
static void check_reduced(const il_config *cfg, const char *dir) {
  il_file_out o;
  /* the layer file and the file that composes it: finished early, layers kept */
  for (int i = 1; i <= 2; i++) {
    il_prepared p = phase1_file(cfg, dir, project[i].path, project[i].text, &o);
    const char *n = project[i].path;
    CHECK(p.f && (p.done || p.pending) && p.layers, n);
    CHECK(p.f && p.f->lnodes.len > 0 && p.f->ctors.len > 0, n);
    CHECK(p.f && !p.f->calls.len && !p.f->assigns.len && !p.f->greads.len, n);
    done_file(cfg, &p, &o);
  }
  /* a boot sink could be handed another file's layer: kept whole */
  il_prepared p = phase1_file(cfg, dir, project[3].path, project[3].text, &o);
  CHECK(p.f && !p.done && !p.pending && !p.layers && p.f->lnodes.len > 0, "a boot sink");
  done_file(cfg, &p, &o);
  /* a layer file with a finding of its own: kept whole */
  p = phase1_file(cfg, dir, "own.ts",
                  "import { Layer, ManagedRuntime } from \"effect\";\n"
                  "import { PgClient } from \"@effect/sql-pg\";\n"
                  "import { DbLive } from \"./lib/db\";\n"
                  "const SqlLive = PgClient.layer({ database: \"app\" });\n"
                  "export const rt = ManagedRuntime.make(Layer.merge(SqlLive, DbLive));\n",
                  &o);
  CHECK(p.f && !p.done && !p.pending && !p.layers && p.f->lnodes.len > 0, "a finding of its own");
  done_file(cfg, &p, &o);
  /* a layer file with a suppression comment (the Node.js target may differ): kept whole */
  p = phase1_file(cfg, dir, "sup.ts",
                  "import { Layer } from \"effect\";\n"
                  "import { DbLive } from \"./lib/db\";\n"
                  "declare const L: Layer.Layer<never>;\n"
                  "// isolint-disable-next-line boot-time-layer -- built per request\n"
                  "export const Both = Layer.merge(L, DbLive);\n",
                  &o);
  CHECK(p.f && !p.done && !p.pending && p.f->lnodes.len > 0 && p.f->suppressions.len,
        "a suppression comment");
  done_file(cfg, &p, &o);
  /* no layer nodes: the constructions go too */
  p = phase1_file(cfg, dir, "plain.ts",
                  "import { url, Thing } from \"./lib/config\";\n"
                  "/* \xC3\xA9 */ export const t = new Thing(url);\n",
                  &o);
  CHECK(p.f && p.pending && !p.layers && !p.f->lnodes.len && !p.f->ctors.len, "no layer nodes");
  CHECK(p.f && p.f->wide.len == 1, "a pending file keeps its non-ASCII runs");
  done_file(cfg, &p, &o);
  /* done with no layer: no reference either, so no column is taken in it */
  p = phase1_file(cfg, dir, "done.ts",
                  "import { Thing } from \"some-package\";\n"
                  "/* \xC3\xA9 */ export const t = new Thing();\n",
                  &o);
  CHECK(p.f && p.done && !p.layers && !p.f->refs.len && !p.f->wide.len && p.f->detached,
        "a finished file without layers keeps no non-ASCII run");
  done_file(cfg, &p, &o);
}

static const il_finding *find_rule(const il_result *r, const char *rule, const char *path) {
  for (uint32_t i = 0; i < r->findings.len; i++)
    if (strcmp(r->findings.data[i].rule_id, rule) == 0 &&
        strcmp(r->findings.data[i].path, path) == 0)
      return &r->findings.data[i];
  return NULL;
}

/* The project scanned from disk (its layer files cut down) and from memory (every
 * file whole): the same findings, related locations, columns and flows. */
static void check_layer_scan(const il_config *cfg, const char *dir) {
  char cwd[4096];
  if (!getcwd(cwd, sizeof cwd) || chdir(dir) != 0) {
    CHECK(false, "chdir into the project");
    return;
  }
  if (mkdir("lib", 0700) != 0) {
    CHECK(false, "mkdir lib");
    return;
  }
  il_source srcs[N_PROJECT];
  for (int i = 0; i < N_PROJECT; i++) {
    write_file(project[i].path, project[i].text, strlen(project[i].text));
    srcs[i] = (il_source){project[i].path, project[i].text, strlen(project[i].text)};
  }
  il_result disk, mem;
  il_result_init(&disk);
  il_result_init(&mem);
  const char *paths[] = {"."};
  il_scan_opts od = {.paths = paths, .n_paths = 1, .jobs = 1};
  il_scan(cfg, &od, &disk);
  il_scan_opts om = {.sources = srcs, .n_sources = N_PROJECT, .jobs = 1};
  il_scan(cfg, &om, &mem);
  const il_finding *a = find_rule(&disk, "boot-time-layer", "worker.ts");
  const il_finding *b = find_rule(&mem, "boot-time-layer", "worker.ts");
  CHECK(a && b, "the runtime's boot-time-layer finding");
  if (a && b) {
    CHECK(a->flow && b->flow, "a code flow");
    CHECK(same(a->message, b->message) && same_loc(&a->loc, &b->loc), "its message and place");
    CHECK(a->n_related == b->n_related, "its related locations");
    bool in_db = false, in_live = false;
    for (uint32_t j = 0; j < a->n_related && j < b->n_related; j++) {
      CHECK(same_loc(&a->related[j], &b->related[j]), "a related location");
      in_db |= same(a->related[j].path, "lib/db.ts");
      in_live |= same(a->related[j].path, "lib/live.ts");
    }
    CHECK(in_db && in_live, "steps in both layer files");
    /* where the layer acquires I/O: UTF-16 columns past the non-ASCII comment */
    const char *db = project[1].text;
    const char *at = strstr(db, "Layer.scoped");
    const char *ls = at;
    while (ls > db && ls[-1] != '\n')
      ls--;
    uint32_t col16 = il_utf16_col(ls, (uint32_t)(at - ls), false);
    bool first = false;
    for (uint32_t j = 0; j < a->n_related; j++)
      first |= same(a->related[j].path, "lib/db.ts") && a->related[j].start_col16 == col16 &&
               a->related[j].span.start.line == 6;
    CHECK(first, "the step in lib/db.ts at its UTF-16 column");
  }
  CHECK(disk.findings.len == mem.findings.len, "as many findings from disk as from memory");
  uint32_t kysely = 0;
  for (uint32_t i = 0; i < disk.findings.len && i < mem.findings.len; i++) {
    const il_finding *x = &disk.findings.data[i], *y = &mem.findings.data[i];
    CHECK(same(x->rule_id, y->rule_id) && same(x->path, y->path) && same(x->message, y->message),
          "the same finding");
    CHECK(same_loc(&x->loc, &y->loc) && x->n_related == y->n_related && x->flow == y->flow,
          "the same finding");
    for (uint32_t j = 0; j < x->n_related && j < y->n_related; j++)
      CHECK(same_loc(&x->related[j], &y->related[j]), "the same related location");
    /* the wrapper's level, inherited through the binding: the pool it wraps is named */
    if (strstr(x->message, "'Kysely'"))
      kysely++;
  }
  CHECK(kysely == 1, "the layer that builds a Kysely over a dialect");
  il_result_fini(&disk);
  il_result_fini(&mem);
  for (int i = 0; i < N_PROJECT; i++)
    unlink(project[i].path);
  rmdir("lib");
  CHECK(chdir(cwd) == 0, "back to the directory");
}

/* il_next_wide_run against a byte-at-a-time scan, with runs at either end, across the
 * eight-byte steps, and none at all. */
static void check_wide_runs(const char *s, size_t len) {
  size_t i = 0, a, q = 0;
  uint32_t runs = 0, bad = 0;
  while (il_next_wide_run(s, len, &i, &a)) {
    const unsigned char *u = (const unsigned char *)s;
    size_t e = q; /* the next run, found one byte at a time */
    while (e < len && u[e] < 0x80)
      e++;
    size_t b = e;
    while (b < len && u[b] >= 0x80)
      b++;
    bad += a != e || i != b;
    q = i;
    runs++;
  }
  const unsigned char *u = (const unsigned char *)s;
  uint32_t expect = 0;
  for (size_t k = 0; k < len; k++)
    expect += u[k] >= 0x80 && (k == 0 || u[k - 1] < 0x80);
  CHECK(runs == expect && bad == 0 && i == len, "il_next_wide_run finds every non-ASCII run");
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
  check_wide_runs("", 0);
  check_wide_runs("plain ascii, longer than eight bytes", 36);
  check_wide_runs("\xC3\xA9", 2);
  check_wide_runs("\xC3\xA9" "abcdefghijklmnop" "\xF0\x9F\x98\x80", 22);
  check_wide_runs("abcdefg\xC3\xA9hijklmno\xE6\x97\xA5" "0123456789abcdef\xFF", 32);
  check_wide_runs("1234567\x80" "12345678" "\x80\x80\x80\x80\x80\x80\x80\x80" "x", 25);
  check_reduced(&cfg, dir);
  check_layer_scan(&cfg, dir);
  rmdir(dir);
  il_config_fini(&cfg);
  printf("test_detach: %d passed, %d failed\n", passed, failed);
  return failed ? 1 : 0;
}
