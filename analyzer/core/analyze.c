/* The per-file pipeline and the rule context: runs the front-end, resolves the
 * facts, runs every enabled rule, applies inline suppressions, then turns raw
 * findings into il_finding values (UTF-16 columns, source line, line hash)
 * while the file's text is still in memory. */
#define _GNU_SOURCE 1 /* memmem */
#include "analyze_int.h"

#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "facts/cache.h"
#include "flow/values.h"
#include "frontend/frontend.h"
#include "base/position.h"
#include "rules/rule.h"

typedef struct {
  uint32_t rule_index;
  il_level level;
  il_span span;
  char *message;
  il_rel *rel;
  uint32_t n_rel;
  bool flow;
} raw_finding;

struct il_rule_ctx {
  uint32_t rule_index;
  const il_facts *f;
  const il_config *cfg;
  IL_ARRAY(raw_finding) raws;
};

bool il_rule_on(const il_rule_ctx *rc, const char *id) {
  for (uint32_t r = 0; r < il_n_rules && r < IL_MAX_RULES; r++)
    if (strcmp(il_rules[r]->id, id) == 0)
      return rc->cfg->rule_level[r] != IL_LEVEL_OFF;
  return false;
}

void il_report(il_rule_ctx *rc, il_level level, il_span span, const il_rel *rel, uint32_t n_rel,
               const char *fmt, ...) {
  il_arena *a = rc->f->arena;
  va_list ap, aq;
  va_start(ap, fmt);
  va_copy(aq, ap);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  char *msg = il_arena_alloc(a, (size_t)(n < 0 ? 0 : n) + 1);
  vsnprintf(msg, (size_t)(n < 0 ? 0 : n) + 1, fmt, aq);
  va_end(aq);
  raw_finding r = {rc->rule_index, level, span, msg, NULL, n_rel, false};
  if (n_rel) {
    r.rel = il_arena_alloc(a, n_rel * sizeof *rel);
    memcpy(r.rel, rel, n_rel * sizeof *rel);
  }
  il_array_push(&rc->raws, r);
}

void il_report_mark_flow(il_rule_ctx *rc) {
  if (rc->raws.len)
    rc->raws.data[rc->raws.len - 1].flow = true;
}

void il_file_out_move(il_file_out *o, il_result *r) {
  for (uint32_t i = 0; i < o->findings.len; i++)
    il_array_push(&r->findings, o->findings.data[i]);
  for (uint32_t i = 0; i < o->notes.len; i++)
    il_array_push(&r->notes, o->notes.data[i]);
  if (o->findings.len || o->notes.len)
    il_array_push(&r->arenas, o->arena);
  else
    il_arena_free(o->arena); /* nothing points into it */
  o->arena = NULL;
  il_array_free(&o->findings);
  il_array_free(&o->notes);
}

enum { MAX_FRAME_LINE = 1000 };

/* The line of span s in text (NULL: not at hand, or minified code). */
static const char *line_text(il_arena *a, const char *text, size_t len, il_span s) {
  if (!text)
    return NULL;
  const char *ls = text + (s.start_byte - (s.start.col - 1));
  const char *end = text + len;
  const char *le = memchr(ls, '\n', (size_t)(end - ls));
  if (!le)
    le = end;
  if (le > ls && le[-1] == '\r')
    le--;
  if (le - ls > MAX_FRAME_LINE)
    return NULL; /* minified code: no code frame */
  char *t = il_arena_strndup(a, ls, (size_t)(le - ls));
  for (char *c = t; c < t + (le - ls); c++)
    if (*c == '\0')
      *c = ' '; /* keep the frame whole; one byte, one column */
  return t;
}

/* ---- suppressions ----------------------------------------------------------------- */

static bool suppressed(il_facts *f, uint32_t line, const char *rule_id) {
  bool hit = false;
  for (uint32_t i = 0; i < f->suppressions.len; i++) {
    il_suppression *s = &f->suppressions.data[i];
    if (s->kind == IL_SUP_LINE ? s->line != line
                               : s->kind != IL_SUP_BLOCK || line < s->line || line > s->end_line)
      continue;
    bool names = false; /* no blanket form: a directive naming no rule silences nothing */
    for (uint32_t j = 0; j < s->n_rules && !names; j++)
      names = strcmp(s->rules[j], rule_id) == 0;
    if (names) {
      s->used = true;
      hit = true;
    }
  }
  return hit;
}

/* Where each `isolint-disable` block ends: at the first `isolint-enable` after it that
 * names one of its rules or none, else at the end of the file. */
static void block_ends(il_facts *f) {
  for (uint32_t i = 0; i < f->suppressions.len; i++) {
    il_suppression *b = &f->suppressions.data[i];
    if (b->kind != IL_SUP_BLOCK)
      continue;
    b->end_line = UINT32_MAX;
    for (uint32_t j = 0; j < f->suppressions.len; j++) {
      const il_suppression *e = &f->suppressions.data[j];
      if (e->kind != IL_SUP_ENABLE || e->span.start_byte < b->span.end_byte ||
          e->line >= b->end_line)
        continue;
      bool ends = e->n_rules == 0;
      for (uint32_t x = 0; x < e->n_rules && !ends; x++)
        for (uint32_t y = 0; y < b->n_rules && !ends; y++)
          ends = strcmp(e->rules[x], b->rules[y]) == 0;
      if (ends)
        b->end_line = e->line;
    }
  }
}

/* A suppression naming only disabled rules is not "unused". */
static void mark_disabled_rules_used(const il_config *cfg, il_facts *f) {
  for (uint32_t i = 0; i < f->suppressions.len; i++) {
    il_suppression *s = &f->suppressions.data[i];
    for (uint32_t j = 0; j < s->n_rules; j++) {
      for (uint32_t r = 0; r < il_n_rules; r++)
        if (strcmp(il_rules[r]->id, s->rules[j]) == 0 &&
            il_config_level(cfg, r, il_rules[r]->level) == IL_LEVEL_OFF)
          s->used = true;
    }
  }
}

static void run_rules(const il_config *cfg, il_facts *f, il_rule_ctx *rc, bool meta) {
  for (uint32_t r = 0; r < il_n_rules; r++) {
    const il_rule *rule = il_rules[r];
    if (rule->meta != meta || il_config_level(cfg, r, rule->level) == IL_LEVEL_OFF)
      continue;
    rc->rule_index = r;
    uint32_t before = rc->raws.len;
    rule->check(rc, f);
    if (meta)
      continue;
    /* drop what inline suppressions silence */
    uint32_t w = before;
    for (uint32_t i = before; i < rc->raws.len; i++) {
      raw_finding *x = &rc->raws.data[i];
      if (!suppressed(f, x->span.start.line, rule->id))
        rc->raws.data[w++] = *x;
    }
    rc->raws.len = w;
  }
}

static char *blank_comment_lines(const char *text, size_t len);

/* The text of a detached file, read again for its findings' lines: NULL (with a
 * note) when it cannot be read or is no longer the text the facts came from. */
static char *reread(const il_prepared *p, il_file_out *out) {
  const il_facts *f = p->f;
  char *text = NULL;
  size_t n = 0;
  FILE *fp = fopen(p->reread_path, "rb");
  if (fp) {
    text = il_xmalloc(f->len + 1);
    n = fread(text, 1, f->len + 1, fp);
    fclose(fp);
  }
  if (text && n == f->len && p->blanked) { /* the facts came from the blanked copy */
    char *b = blank_comment_lines(text, n);
    free(text);
    text = b;
  }
  bool wide;
  if (!text || n != f->len || il_text_hash(text, n, &wide) != f->src_hash) {
    free(text);
    il_file_out_note(out, IL_NOTE_CANNOT_READ, IL_LEVEL_WARNING, p->path, 0, 0,
                     "The file changed or vanished while it was analyzed: its findings are those "
                     "of the text read first, without code frames or line hashes.");
    return NULL;
  }
  return text;
}

static void emit(const il_config *cfg, const il_prepared *p, il_rule_ctx *rc, il_file_out *out,
                 const char *path) {
  const il_facts *f = p->f;
  if (!rc->raws.len)
    return;
  path = il_arena_strdup(out->arena, path);
  char *own = !f->src && p->reread_path ? reread(p, out) : NULL;
  const char *text = f->src ? f->src : own;
  uint32_t n_lines = 0;
  char **hashes = text ? il_line_hashes(text, f->len, &n_lines) : NULL;
  for (uint32_t i = 0; i < rc->raws.len; i++) {
    const raw_finding *x = &rc->raws.data[i];
    il_level level = il_config_level(cfg, x->rule_index, x->level);
    if (level == IL_LEVEL_OFF)
      continue;
    il_finding fd = {.rule_id = il_rules[x->rule_index]->id,
                     .rule_index = x->rule_index,
                     .level = level,
                     .path = path,
                     .loc = il_make_location(f, x->span),
                     .message = il_arena_strdup(out->arena, x->message),
                     .line_text = line_text(out->arena, text, f->len, x->span)};
    uint32_t ln = x->span.start.line;
    if (text)
      fd.line_hash = il_arena_strdup(out->arena, ln - 1 < n_lines ? hashes[ln - 1] : "0:1");
    if (x->n_rel) {
      fd.related = il_arena_alloc(out->arena, x->n_rel * sizeof *fd.related);
      for (uint32_t j = 0; j < x->n_rel; j++) {
        const il_rel *r = &x->rel[j];
        const il_xuse *u = NULL; /* a use in another file: il_ru_add_xuses passes its message */
        for (uint32_t k = 0; k < f->xuses.len && !u; k++)
          if (f->xuses.data[k].message == r->message)
            u = &f->xuses.data[k];
        if (u) {
          il_location l = {u->span, u->start_col16, u->end_col16, NULL,
                           il_arena_strdup(out->arena, u->path)};
          fd.related[j] = l;
        } else {
          fd.related[j] = il_make_location(f, r->span);
        }
        fd.related[j].message = il_arena_strdup(out->arena, r->message);
      }
      fd.n_related = x->n_rel;
      fd.flow = x->flow;
    }
    il_array_push(&out->findings, fd);
  }
  for (uint32_t i = 0; i < n_lines; i++)
    free(hashes[i]);
  free(hashes);
  free(own);
}

/* A syntax error past the end of its line (clang's "expected ';'" after the last
 * token; the end of the file) moves back to the last character before it, so the
 * one-character region of the note lies within a line. */
static il_span on_a_character(const il_facts *f, il_span s) {
  const char *t = f->src;
  uint32_t b = s.start_byte, line = s.start.line, col = s.start.col;
  if (!t || b > f->len)
    return s;
  while (b > 0 && (b == f->len || t[b] == '\n' || t[b] == '\r')) {
    b--;
    if (t[b] == '\n') { /* into the line before: its column from its start */
      uint32_t ls = b;
      while (ls > 0 && t[ls - 1] != '\n')
        ls--;
      line--;
      col = b - ls + 1;
    } else {
      col--;
    }
  }
  if (line < 1 || col < 1)
    return s;
  s.start_byte = s.end_byte = b;
  s.start.line = s.end.line = line;
  s.start.col = s.end.col = col;
  return s;
}

/* tree-sitter 0.20.7 frees a bad pointer when about 65 535 comments follow each
 * other (upstream issue 2134): such a file would take the whole run down. Only
 * files with that many lines are examined, so the check costs nothing otherwise. */
enum { MAX_COMMENT_RUN = 60000 };

static bool comment_run_too_long(const char *text, size_t len) {
  if (len <= MAX_COMMENT_RUN)
    return false; /* fewer bytes than the lines it takes */
  const char *end = text + len;
  size_t lines = 0;
  for (const char *p = text; p < end && lines <= MAX_COMMENT_RUN;) {
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    if (!nl)
      break;
    lines++;
    p = nl + 1;
  }
  if (lines <= MAX_COMMENT_RUN)
    return false;
  size_t run = 0;
  bool in_block = false;
  for (const char *p = text; p < end;) {
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    const char *le = nl ? nl : end;
    const char *q = p;
    while (q < le && (*q == ' ' || *q == '\t' || *q == '\r'))
      q++;
    bool comment = in_block || (le - q >= 2 && q[0] == '/' && (q[1] == '/' || q[1] == '*'));
    bool blank = q == le;
    if (le - q >= 2 && q[0] == '/' && q[1] == '*')
      in_block = true;
    if (in_block && memmem(q, (size_t)(le - q), "*/", 2))
      in_block = false;
    if (comment)
      run++;
    else if (!blank)
      run = 0;
    if (run > MAX_COMMENT_RUN)
      return true;
    if (!nl)
      break;
    p = nl + 1;
  }
  return false;
}

/* A copy of text where whole-line comments become spaces: byte offsets, lines
 * and columns are unchanged, and the parser sees no comment run. Suppression
 * directives are kept. */
static char *blank_comment_lines(const char *text, size_t len) {
  char *copy = il_xmalloc(len + 1);
  memcpy(copy, text, len);
  copy[len] = '\0';
  char *end = copy + len;
  bool in_block = false;
  for (char *p = copy; p < end;) {
    char *nl = memchr(p, '\n', (size_t)(end - p));
    char *le = nl ? nl : end;
    char *q = p;
    while (q < le && (*q == ' ' || *q == '\t' || *q == '\r'))
      q++;
    bool starts_block = le - q >= 2 && q[0] == '/' && q[1] == '*';
    bool line_comment = le - q >= 2 && q[0] == '/' && q[1] == '/';
    bool was_block = in_block;
    if (starts_block || in_block) {
      /* only a block comment that ends on this line with nothing after it */
      char *close = memmem(q + (starts_block ? 2 : 0), (size_t)(le - q - (starts_block ? 2 : 0)),
                           "*/", 2);
      in_block = !close;
      bool rest_blank = true;
      for (char *r = close ? close + 2 : le; r < le; r++)
        rest_blank &= *r == ' ' || *r == '\t' || *r == '\r';
      char *stop = NULL; /* blank [p, stop) */
      if (was_block)
        stop = close && !rest_blank ? close + 2 : le; /* inside a multi-line comment */
      else if (!close)
        stop = le; /* opens a multi-line comment */
      else if (rest_blank && !memmem(p, (size_t)(le - p), "isolint-disable", 15))
        stop = le; /* a one-line block comment */
      for (char *r = p; stop && r < stop; r++)
        if (*r != '\r')
          *r = ' ';
    } else if (line_comment && !memmem(p, (size_t)(le - p), "isolint-disable", 15)) {
      for (char *r = p; r < le; r++)
        if (*r != '\r')
          *r = ' ';
    }
    if (!nl)
      break;
    p = nl + 1;
  }
  return copy;
}

static bool ident_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '$' || (unsigned char)c >= 0x80;
}

/* Is the token at t (n bytes, whole word) used the way global-scope-io reports it:
 * called (`fetch(`, `fetch?.(`), named by a string (`globalThis["fetch"]`), renamed on
 * import (`setTimeout as sleep`), built
 * (`new AbortController`, `globalThis.AbortController`) or `AbortSignal.timeout`? A
 * type annotation or a mention in a comment is not. */
static bool load_op_use(const char *text, const char *end, const char *t, size_t n) {
  if ((t > text && ident_char(t[-1])) || (t + n < end && ident_char(t[n])))
    return false;
  if (t > text && t + n < end && (t[-1] == '"' || t[-1] == '\'' || t[-1] == '`') && t[n] == t[-1])
    return true; /* a member named by a string: globalThis["fetch"](...) */
  const char *a = t + n;
  while (a < end && (*a == ' ' || *a == '\t' || *a == '\r' || *a == '\n'))
    a++;
  if (a < end && *a == '(')
    return true;
  if (end - a >= 3 && a[0] == '?' && a[1] == '.' && a[2] == '(')
    return true;
  if (end - a >= 3 && memcmp(a, "as", 2) == 0 && !ident_char(a[2]) && a > t + n)
    return true;
  if (n == 11 && memcmp(t, "AbortSignal", 11) == 0)
    return end - a >= 8 && memcmp(a, ".timeout", 8) == 0;
  if (n == 15 && memcmp(t, "AbortController", 15) == 0) {
    const char *b = t;
    while (b > text && (b[-1] == ' ' || b[-1] == '\t' || b[-1] == '\r' || b[-1] == '\n'))
      b--;
    return (b > text && b[-1] == '.') ||
           (b - text >= 3 && memcmp(b - 3, "new", 3) == 0 && b < t);
  }
  return false;
}

/* Does the text name an operation global-scope-io reports? Each one is spelled
 * with one of these tokens: the global names and the node:crypto/node:timers
 * exports at the call or in the import; `connect` and binding calls need an
 * import of cloudflare:sockets / cloudflare:workers; an Effect run is reported
 * only when its program visibly does I/O in the same file, which needs a
 * `fetch`, a cloudflare:sockets import or a knowledge-base module. A token
 * counts only where it is used that way (load_op_use), one pass per token. */
static bool names_load_op(const char *text, size_t len) {
  static const char *const calls[] = {"fetch",       "randomUUID",      "getRandomValues",
                                      "randomBytes", "randomInt",       "setTimeout",
                                      "setInterval", "AbortController", "AbortSignal",
                                      NULL};
  static const char *const modules[] = {"cloudflare:sockets", "cloudflare:workers", NULL};
  for (const char *const *m = modules; *m; m++)
    if (memmem(text, len, *m, strlen(*m)))
      return true;
  const char *end = text + len;
  for (const char *const *t = calls; *t; t++) {
    size_t n = strlen(*t);
    for (const char *q = text; (q = memmem(q, (size_t)(end - q), *t, n)); q += n)
      if (load_op_use(text, end, q, n))
        return true;
  }
  return false;
}

/* Does the text import an Effect SQL client module ("@effect/sql-pg"...)? Its
 * layers acquire I/O (boot-time-layer). An Effect import alone is not enough: a
 * sink (toWebHandler, ManagedRuntime.make, an Effect run) needs a layer acquiring
 * I/O, and that layer either builds a knowledge-base client (the text names the
 * module, or imports it from a local module: the cross-file pass), or is an SQL
 * client layer named here. */
static bool names_effect_sql(const char *text, size_t len) {
  return memmem(text, len, "\"@effect/sql-", 13) || memmem(text, len, "'@effect/sql-", 13);
}

/* Does the text name a module the cross-file pass may resolve to a file? */
static bool names_local_module(const il_prefilter_ext *ext, const char *text, size_t len) {
  if (!ext)
    return false;
  if (ext->any_import && (memmem(text, len, "from", 4) || memmem(text, len, "require", 7) ||
                          memmem(text, len, "import", 6)))
    return true;
  static const char *const rel[] = {"\"./", "'./", "`./", "\"../", "'../", "`../", NULL};
  for (const char *const *r = rel; ext->relative && *r; r++)
    if (memmem(text, len, *r, strlen(*r)))
      return true;
  for (uint32_t i = 0; i < ext->n_prefixes; i++) {
    const char *p = ext->prefixes[i];
    size_t n = strlen(p);
    for (const char *q = text; n && (q = memmem(q, len - (size_t)(q - text), p, n)); q++)
      if (q > text && (q[-1] == '"' || q[-1] == '\'' || q[-1] == '`'))
        return true;
  }
  return false;
}

/* The module specifiers a text names after `from`, `import`, `import(`, `require(`
 * (comments and strings included: an over-approximation, never an omission). They
 * are kept until phase 2: one allocation, the pointers then the strings. */
static void lex_specifiers(const char *text, size_t len, il_prepared *p) {
  typedef struct {
    size_t at, n;
  } piece;
  IL_ARRAY(piece) found = {0};
  size_t bytes = 0;
  for (size_t i = 0; i < len; i++) {
    char q = text[i];
    if (q != '"' && q != '\'' && q != '`')
      continue;
    size_t j = i;
    while (j > 0 && (text[j - 1] == ' ' || text[j - 1] == '\t' || text[j - 1] == '\n' ||
                     text[j - 1] == '\r' || text[j - 1] == '('))
      j--;
    bool named = (j >= 4 && memcmp(text + j - 4, "from", 4) == 0) ||
                 (j >= 6 && memcmp(text + j - 6, "import", 6) == 0) ||
                 (j >= 7 && memcmp(text + j - 7, "require", 7) == 0);
    size_t e = i + 1;
    while (e < len && text[e] != q && text[e] != '\n' && e - i < 1024)
      e++;
    if (named && e < len && text[e] == q && e > i + 1) {
      piece pc = {i + 1, e - i - 1};
      il_array_push(&found, pc);
      bytes += pc.n + 1;
    }
    i = e < len && text[e] == q ? e : i;
  }
  p->specs_packed = true;
  if (!found.len)
    return;
  char **v = il_xmalloc(found.len * sizeof *v + bytes);
  char *w = (char *)(v + found.len);
  for (uint32_t k = 0; k < found.len; k++) {
    v[k] = w;
    memcpy(w, text + found.data[k].at, found.data[k].n);
    w += found.data[k].n;
    *w++ = '\0';
  }
  p->specs = v;
  p->n_specs = found.len;
  il_array_free(&found);
}

/* May the text make its module an entry point (il_facts.entry_hints: `export const
 * runtime = "edge"`, a router app or fetch handler object exported as default)? Such a
 * file is parsed, so that which files are Worker code does not depend on the prefilter. */
/* Whether a quoted string equal to one of the words starts at text[i] ("edge", 'hono'). */
static bool quoted_at(const char *text, size_t len, size_t i, const char *const *words) {
  if (i >= len || (text[i] != '"' && text[i] != '\'' && text[i] != '`'))
    return false;
  for (const char *const *w = words; *w; w++) {
    size_t n = strlen(*w);
    if (i + 1 + n < len && memcmp(text + i + 1, *w, n) == 0 &&
        (text[i + 1 + n] == text[i] || ((*w)[n - 1] == '/' && n > 1)))
      return true;
  }
  return false;
}

/* Whether the text has `needle` followed (after blanks, and `=` when eq) by a quoted word. */
static bool names_quoted_after(const char *text, size_t len, const char *needle, bool eq,
                               const char *const *words) {
  size_t nl = strlen(needle);
  for (const char *p = text; (p = memmem(p, len - (size_t)(p - text), needle, nl)) != NULL; p++) {
    size_t i = (size_t)(p - text) + nl;
    while (i < len && (text[i] == ' ' || text[i] == '\t'))
      i++;
    if (eq) {
      if (i >= len || text[i] != '=')
        continue;
      i++;
      while (i < len && (text[i] == ' ' || text[i] == '\t'))
        i++;
    }
    if (quoted_at(text, len, i, words))
      return true;
  }
  return false;
}

/* May the text make its module an entry point (il_facts.entry_hints: `export const
 * runtime = "edge"`, a router app or fetch handler object exported as default)? Such a
 * file is parsed, so that which files are Worker code does not depend on the prefilter.
 * The same shapes as the facts, from the text: `runtime = "edge"`, or `export default`
 * with an import of hono / itty-router, or `export default {` naming fetch. */
static bool names_entry_hint(const char *text, size_t len) {
  static const char *const edge[] = {"edge", "experimental-edge", NULL};
  static const char *const routers[] = {"hono", "hono/", "@hono/zod-openapi", "itty-router", NULL};
  if (memmem(text, len, "runtime", 7) && names_quoted_after(text, len, "runtime", true, edge))
    return true;
  if (!memmem(text, len, "export default", 14))
    return false;
  return names_quoted_after(text, len, "from", false, routers) ||
         (memmem(text, len, "export default {", 16) && memmem(text, len, "fetch", 5));
}

/* The prefilter's verdict from the text alone (TS/JS): keep the file when it imports
 * a knowledge-base or Effect SQL module (*feeds: it can give an importer a finding),
 * holds a suppression or names an operation global-scope-io reports. The warm-run
 * cache remembers both bits. */
static bool prefilter_keeps(const il_config *cfg, const char *text, size_t len,
                            il_cache_slot *cs, bool *feeds) {
  int known = il_cache_slot_prefilter(cs);
  if (known >= 0) {
    *feeds = (known & 2) != 0;
    return (known & 1) != 0;
  }
  *feeds = il_kb_imported(cfg->kb, text, len) || names_effect_sql(text, len);
  bool keep = *feeds || memmem(text, len, "isolint-disable", 15) || names_load_op(text, len) ||
              names_entry_hint(text, len);
  il_cache_slot_set_prefilter(cs, (keep ? 1 : 0) | (*feeds ? 2 : 0));
  return keep;
}

uint32_t il_max_facts(void) {
  static atomic_uint cached; /* 0: not read yet */
  unsigned v = atomic_load(&cached);
  if (!v) {
    v = IL_MAX_FACTS_PER_KIND;
    const char *env = getenv("ISOLINT_MAX_FACTS"); /* testing knob: can only lower the bound */
    char *end;
    unsigned long e = env && *env ? strtoul(env, &end, 10) : 0;
    if (env && *env && !*end && e > 0 && e < v)
      v = (unsigned)e;
    atomic_store(&cached, v);
  }
  return v;
}

/* The kind of record of which f holds more than il_max_facts(), or NULL. */
static const char *facts_over_bound(const il_facts *f) {
  uint32_t max = il_max_facts();
  const struct {
    uint32_t n;
    const char *what;
  } kinds[] = {{f->scopes.len, "scopes"},         {f->decls.len, "declarations"},
               {f->ctors.len, "constructions"},   {f->assigns.len, "assignments"},
               {f->refs.len, "references"},       {f->calls.len, "calls"},
               {f->greads.len, "global reads"},   {f->lnodes.len, "layer nodes"},
               {f->suppressions.len, "suppression comments"},
               {f->exports.len, "exports"},       {f->xuses.len, "cross-file uses"},
               {f->xlayers.len, "imported layers"}};
  for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
    if (kinds[i].n > max)
      return kinds[i].what;
  return NULL;
}

static void bind(const il_config *cfg, il_facts *f) {
  il_facts_bind(f);
  block_ends(f);
  /* handler names from the configuration */
  for (uint32_t i = 0; i < cfg->handlers.len; i++)
    for (uint32_t s = 1; s < f->scopes.len; s++)
      if (strcmp(f->scopes.data[s].name, cfg->handlers.data[i]) == 0)
        f->scopes.data[s].is_handler = true;
}

/* Can the cross-file pass change what f reports, when f composes no layer (another
 * file's layer may come in) and holds no suppression comment (the Node.js target's
 * configuration, which turns the Workers rules off, can only differ there)? Only by
 * rewriting an import, and not when f imports no module of the scan. Uses of its
 * declarations in other files only add related locations to its findings. */
static bool local_spec(const il_prefilter_ext *ext, const char *m) {
  if (!m)
    return false;
  if (ext->any_import || m[0] == '/')
    return true;
  if (ext->relative && m[0] == '.' && (m[1] == '/' || (m[1] == '.' && m[2] == '/')))
    return true;
  for (uint32_t i = 0; i < ext->n_prefixes; i++) {
    size_t n = strlen(ext->prefixes[i]);
    if (n && strncmp(m, ext->prefixes[i], n) == 0)
      return true;
  }
  return false;
}

/* The imports and re-exports the cross-file pass may rewrite are f's facts: their
 * specifiers are checked as names_local_module checks the text's strings (without
 * a pass over the text) */
static bool local_only(const il_prefilter_ext *ext, const il_facts *f) {
  for (uint32_t i = 0; i < f->decls.len; i++)
    if (f->decls.data[i].kind == IL_DECL_IMPORT && local_spec(ext, f->decls.data[i].module))
      return false;
  for (uint32_t i = 0; i < f->exports.len; i++)
    if (local_spec(ext, f->exports.data[i].module))
      return false;
  return true;
}

/* A copy of an array of facts that resolution writes (restored after a trial). */
#define SAVE(a)                                                                  \
  void *a = il_xmalloc((f->a.len ? f->a.len : 1) * sizeof *f->a.data);           \
  if (f->a.len)                                                                  \
  memcpy(a, f->a.data, f->a.len * sizeof *f->a.data)
#define RESTORE(a)                                                               \
  if (f->a.len)                                                                  \
  memcpy(f->a.data, a, f->a.len * sizeof *f->a.data)

/* Does any rule report on f? The trial leaves f as it was (resolution writes into
 * the facts and is not idempotent): phase 3 may resolve and run the rules again,
 * with what phase 2 adds, on facts kept whole (an in-memory source is not parsed
 * again). */
static bool reports(const il_config *cfg, il_facts *f, bool rules, bool *takes_xlayers) {
  SAVE(ctors);
  SAVE(assigns);
  SAVE(refs);
  SAVE(calls);
  SAVE(greads);
  SAVE(lnodes);
  il_facts_resolve(f, cfg->kb);
  il_flow_apply(f);
  il_flow_summarize(f); /* kept: what the cross-file pass reads of f's functions */
  *takes_xlayers = false;
  bool any = false;
  if (rules) {
    for (uint32_t r = 0; r < il_n_rules && !*takes_xlayers; r++)
      if (il_rules[r]->takes_xlayers)
        *takes_xlayers = il_rules[r]->takes_xlayers(f);
    il_rule_ctx rc = {.f = f, .cfg = cfg};
    run_rules(cfg, f, &rc, false);
    for (uint32_t i = 0; i < rc.raws.len && !any; i++)
      any =
          il_config_level(cfg, rc.raws.data[i].rule_index, rc.raws.data[i].level) != IL_LEVEL_OFF;
    il_array_free(&rc.raws);
  }
  RESTORE(ctors);
  RESTORE(assigns);
  RESTORE(refs);
  RESTORE(calls);
  RESTORE(greads);
  RESTORE(lnodes);
  free(ctors);
  free(assigns);
  free(refs);
  free(calls);
  free(greads);
  free(lnodes);
  return any;
}
#undef SAVE
#undef RESTORE

void il_file_prepare(const il_config *cfg, const char *display_path, const char *text, size_t len,
                     il_lang lang, const il_prefilter_ext *ext, il_file_out *out,
                     il_prepared *p) {
  memset(p, 0, sizeof *p);
  p->path = display_path; /* copied into out's arena only with a finding */
  /* A file that names no knowledge-base module in a string, names none of the
   * operations global-scope-io looks for, imports no Effect module and holds no
   * suppression comment cannot produce a finding of its own: skip the parse. In
   * a scan, one that names a local module is a candidate, parsed later only when
   * one of those modules leads to a parsed file. A C file: one that names no
   * constructor function of the knowledge base and holds no suppression. */
  il_cache_slot *cs = ext ? ext->cache : NULL;
  /* text NULL: a file on disk taken on its stat data, whose cached facts load detached
   * (scan.c), which only the cache's verdict can have let through the prefilter */
  if (!text && (lang == IL_LANG_C || !il_cache_slot_has_facts(cs) ||
                (!cfg->no_prefilter && !(ext && ext->force) &&
                 !(il_cache_slot_prefilter(cs) > 0 && (il_cache_slot_prefilter(cs) & 1)))))
    return;
  if (lang == IL_LANG_C) {
    if (!cfg->no_prefilter && !(ext && ext->force) && !il_kb_c_mentioned(cfg->kb, text, len) &&
        !memmem(text, len, "isolint-disable", 15) &&
        !(ext && il_c_registers_handlers(text, len))) {
      /* in a scan, it is parsed later if it names a function or global of a parsed C
       * file (a wrapper defined elsewhere, a global another file fills) */
      p->candidate = ext != NULL;
      return;
    }
  } else if (!cfg->no_prefilter && !(ext && ext->force) &&
             !prefilter_keeps(cfg, text, len, cs, &p->feeds)) {
    /* it may still use, construct or re-export what a local module exports: the
     * cross-file pass decides (il_modgraph_needed) */
    if (names_local_module(ext, text, len)) {
      p->candidate = true;
      lex_specifiers(text, len, p);
    }
    return;
  }
  char *why = NULL;
  if (lang == IL_LANG_C && !il_c_available(&why)) {
    il_file_out_note(out, IL_NOTE_SKIPPED, IL_LEVEL_WARNING, p->path, 0, 0,
                     IL_C_SKIPPED_NOTE "%s.", why);
    free(why);
    return;
  }
  if (text && comment_run_too_long(text, len)) {
    p->owned_text = blank_comment_lines(text, len);
    text = p->owned_text;
  }
  /* the warm-run cache may hold this text's raw facts (TS/JS only: C facts depend
   * on headers and compile flags too) */
  il_facts *f = lang == IL_LANG_C ? NULL : il_cache_slot_facts(cs, display_path, text, len);
  bool loaded = f != NULL, extracted = loaded;
  char *err = NULL;
  if (!f && !text)
    return; /* rejected: the caller reads the text */
  if (!f) {
    f = il_facts_new(display_path, lang, text, len);
    f->parse_timeout_us = (uint64_t)cfg->parse_timeout_ms * 1000u;
    extracted = lang == IL_LANG_C ? il_c_extract(f, cfg, &err) : il_ts_extract(f, &err);
  }
  if (f->dropped_flags)
    il_file_out_note(out, IL_NOTE_CONFIG, IL_LEVEL_WARNING, p->path, 0, 0,
                     "Ignored compile_commands.json flags that could load code, write files or "
                     "read flags from elsewhere: %s.",
                     f->dropped_flags);
  const char *over = extracted ? facts_over_bound(f) : NULL;
  if (!extracted || over) {
    if (f->timed_out)
      il_file_out_note(out, IL_NOTE_LIMIT, IL_LEVEL_WARNING, p->path, 0, 0,
                       "Skipped: parsing took longer than the --parse-timeout budget of %u ms; "
                       "the file was not analyzed.",
                       cfg->parse_timeout_ms);
    else if (over)
      il_file_out_note(out, IL_NOTE_LIMIT, IL_LEVEL_WARNING, p->path, 0, 0,
                       "Skipped: the file holds more than %u %s, isolint's bound per file; the "
                       "file was not analyzed.",
                       il_max_facts(), over);
    else
      il_file_out_note(out, IL_NOTE_CANNOT_READ, IL_LEVEL_ERROR, p->path, 0, 0,
                       "Could not parse the file: %s.", err);
    free(err);
    il_facts_free(f);
    free(p->owned_text);
    p->owned_text = NULL;
    return;
  }
  if (!loaded && lang != IL_LANG_C)
    il_cache_slot_set_facts(cs, f, p->owned_text != NULL); /* raw, before il_facts_bind */
  if (f->n_syntax_errors) {
    il_location l = il_make_location(f, on_a_character(f, f->first_syntax_error));
    il_file_out_note(out, IL_NOTE_SYNTAX, IL_LEVEL_WARNING, p->path, l.span.start.line,
                     l.start_col16,
                     "The file has syntax errors (%u); the parts that could not be parsed were "
                     "not analyzed.",
                     f->n_syntax_errors);
  }
  bind(cfg, f);
  p->f = f;
  /* in a scan, a file with nothing to report that the cross-file pass can change
   * only by an import it rewrites is finished now (and parsed again if it does). A
   * file with layer nodes qualifies when no rule can be handed another file's layer
   * there; it keeps what the cross-file pass reads to summarize its own layers. */
  bool takes = false;
  /* in a scan, the functions that return clients are summarized for the cross-file
   * pass (on a trial resolution, which the check below shares) */
  bool rules = ext && !f->suppressions.len;
  bool rep = ext && (rules || f->rets.len) ? reports(cfg, f, rules, &takes) : false;
  /* a C file keeps its facts whole: the cross-file pass links it by external name */
  if (rules && !rep && !takes && lang != IL_LANG_C) {
    p->done = local_only(ext, f);
    p->pending = !p->done;
    p->layers = f->lnodes.len != 0;
  }
}

/* A pending file whose imports the cross-file pass rewrote, parsed again (its text
 * read again) with those imports and what phase 2 gave it; NULL, with a note, when
 * the text changed or cannot be parsed again. */
static il_facts *reparse(const il_config *cfg, il_prepared *p, il_file_out *out, char **text) {
  const il_facts *old = p->f;
  *text = reread(p, out);
  if (!*text)
    return NULL;
  il_facts *f = il_facts_new(old->path, old->lang, *text, old->len);
  f->parse_timeout_us = (uint64_t)cfg->parse_timeout_ms * 1000u;
  char *err = NULL;
  bool ok = old->lang == IL_LANG_C ? il_c_extract(f, cfg, &err) : il_ts_extract(f, &err);
  free(err);
  if (!ok || f->decls.len != old->decls.len) {
    il_file_out_note(out, IL_NOTE_CANNOT_READ, IL_LEVEL_WARNING, p->path, 0, 0,
                     "The file could not be parsed again for the cross-file pass's findings.");
    il_facts_free(f);
    free(*text);
    *text = NULL;
    return NULL;
  }
  bind(cfg, f);
  for (uint32_t i = 0; i < f->decls.len; i++) { /* strings in old's arena: freed after f */
    f->decls.data[i].module = old->decls.data[i].module;
    f->decls.data[i].imported = old->decls.data[i].imported;
  }
  for (uint32_t i = 0; i < old->xuses.len; i++)
    il_array_push(&f->xuses, old->xuses.data[i]);
  for (uint32_t i = 0; i < old->xlayers.len; i++)
    il_array_push(&f->xlayers, old->xlayers.data[i]);
  for (uint32_t i = 0; i < old->xcalls.len; i++)
    il_array_push(&f->xcalls, old->xcalls.data[i]);
  return f;
}

void il_file_finish(const il_config *cfg, il_prepared *p, il_file_out *out) {
  il_facts *f = p->f, *first = p->f;
  char *text = NULL;
  il_facts *again = NULL;
  bool skip = p->done || (p->pending && !(f && f->imports_rewritten));
  if (f && out && !skip && p->pending && f->detached) {
    again = reparse(cfg, p, out, &text);
    skip = !again;
    if (again)
      p->f = f = again; /* the old facts are freed below */
  }
  if (f && out && !skip) {
    il_facts_resolve(f, cfg->kb);
    il_flow_apply(f);
    il_rule_ctx rc = {.f = f, .cfg = cfg};
    run_rules(cfg, f, &rc, false);
    mark_disabled_rules_used(cfg, f);
    run_rules(cfg, f, &rc, true);
    emit(cfg, p, &rc, out, p->path);
    il_array_free(&rc.raws);
  }
  il_facts_free(f);
  if (again) {
    il_facts_free(first);
    free(text);
  }
  free(p->owned_text);
  free(p->reread_path);
  p->f = NULL;
  p->owned_text = NULL;
  p->reread_path = NULL;
}

void il_file_detach(il_prepared *p, const char *fs_path) {
  if (!p->f)
    return;
  if (p->done || p->pending)
    il_facts_reduce(p->f, p->pending, p->layers);
  else
    il_facts_drop_unbound_refs(p->f);
  /* a file finished with no layer keeps no reference either: no column is taken in it */
  bool columns = !(p->done && !p->layers);
  if (p->f->detached && !columns) /* (loaded detached from the cache, with its runs) */
    il_array_free(&p->f->wide);
  il_facts_detach(p->f, columns);
  p->blanked = p->owned_text != NULL;
  free(p->owned_text);
  p->owned_text = NULL;
  p->reread_path = il_xstrdup(fs_path);
}

void il_analyze_file(const il_config *cfg, const char *display_path, const char *text, size_t len,
                     il_lang lang, il_file_out *out) {
  il_prepared p;
  il_file_prepare(cfg, display_path, text, len, lang, NULL, out, &p);
  il_file_finish(cfg, &p, out);
}

void il_analyze_text(const il_config *cfg, const char *path, const char *text, size_t len,
                     il_result *out) {
  int lang;
  if (!il_lang_of_path(path, &lang))
    lang = IL_LANG_TSX;
  il_file_out o;
  il_file_out_init(&o);
  il_config node_cfg; /* a single file detects nothing: only an explicit "node" applies */
  if (cfg->target == IL_TARGET_NODE && lang != IL_LANG_C) { /* a JS runtime: not for C */
    il_config_for_node(cfg, &node_cfg);
    cfg = &node_cfg;
  }
  il_analyze_file(cfg, path, text, len, (il_lang)lang, &o);
  il_file_out_move(&o, out);
  out->n_files++;
}
