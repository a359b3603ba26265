/* SARIF 2.1.0 reporter, for CI (GitHub code scanning), editors and other
 * tools. Follows INTEGRATION.md section 1: one run; every enabled rule in
 * tool.driver.rules; UTF-16 columns; repository-relative URIs under
 * %SRCROOT%; GitHub's primaryLocationLineHash; related locations linked from
 * the message; analyzer diagnostics as toolExecutionNotifications. The output
 * is deterministic: fixed key order, no timestamps, no absolute paths, nothing
 * from the environment, so goldens compare byte for byte.
 *
 * codeFlows only for findings whose related locations form a data flow (flow
 * set: boot-time-layer's leaf -> composition -> sink): one threadFlow over the
 * same sites, in order. Elsewhere related locations say where a shared client is
 * read back or used, which is not a step-by-step flow, and GitHub would present
 * them as one ("Show paths"). */
#include "output/output.h"

#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/position.h"
#include "rules/rule.h"
#include "rules/rule_docs.h"
#include "base/jsonw.h"

#define SARIF_SCHEMA "https://json.schemastore.org/sarif-2.1.0.json"
#define SRCROOT "%SRCROOT%"
/* tool.driver.informationUri (the validator wants one): the npm package's page, where isolint
 * is published (docs/npm.md); the rule pages themselves travel in help.markdown */
#define INFO_URI "https://www.npmjs.com/package/isolint"

char *il_rule_docs_url(const il_config *cfg, const char *rule_id) {
  const char *base = cfg ? cfg->docs_url : NULL;
  if (!base || !*base)
    return NULL;
  const char *hole = strstr(base, "{rule}");
  if (hole)
    return il_xasprintf("%.*s%s%s", (int)(hole - base), base, rule_id, hole + 6);
  size_t n = strlen(base);
  return il_xasprintf("%s%s%s.md", base, base[n - 1] == '/' ? "" : "/", rule_id);
}

/* ---- jansson helpers --------------------------------------------------------- */

static json_t *integer(uint32_t v) { return json_integer(v); }

/* {"text": s} */
static json_t *message(json_t *text) {
  json_t *m = il_json_obj();
  il_json_set(m, "text", text);
  return m;
}

/* ---- growable string (messages, markdown, URIs) ------------------------------ */

typedef IL_ARRAY(char) strbuf;

static void sb_putn(strbuf *b, const char *s, size_t n) {
  il_array_grow(b, (uint32_t)n + 1);
  memcpy(b->data + b->len, s, n);
  b->len += (uint32_t)n;
  b->data[b->len] = '\0';
}

static void sb_puts(strbuf *b, const char *s) { sb_putn(b, s, strlen(s)); }

/* The buffer's string (never NULL); the buffer is left empty. */
static char *sb_take(strbuf *b) {
  if (!b->data)
    sb_putn(b, "", 0);
  char *s = b->data;
  b->data = NULL;
  b->len = b->cap = 0;
  return s;
}

/* ---- notifications ------------------------------------------------------------ */

/* Descriptors of the analyzer's own diagnostics, indexed by il_note_kind.
 * GitHub wants help text on every descriptor, notifications included (GH2012). */
static const struct {
  const char *id, *name, *summary, *description, *help;
  il_level level;
} note_kinds[] = {
    [IL_NOTE_CANNOT_READ] = {"ISOL0001", "CannotReadFile", "A file could not be read.",
                             "The file could not be read, so it was not analyzed and results for "
                             "it are missing.",
                             "Check that the file exists and is readable by the user running "
                             "isolint, or exclude it in isolint.json.",
                             IL_LEVEL_ERROR},
    [IL_NOTE_SYNTAX] = {"ISOL0002", "SyntaxError", "A file has syntax errors.",
                        "The file has syntax errors. It was analyzed partially: code inside the "
                        "erroneous parts was skipped.",
                        "Fix the syntax error, or check that the file extension matches its "
                        "language (.ts, .tsx, .js, .c...).",
                        IL_LEVEL_WARNING},
    [IL_NOTE_SKIPPED] = {"ISOL0003", "FileSkipped", "A file was skipped.",
                         "The file was skipped (for example too large, or not text), so results "
                         "for it are missing.",
                         "Exclude the file in isolint.json if it is not source code.",
                         IL_LEVEL_WARNING},
    [IL_NOTE_CONFIG] = {"ISOL0004", "ConfigurationProblem", "A configuration problem.",
                        "The configuration could not be applied as written.",
                        "Fix the configuration key named in the message; 'isolint rules' lists "
                        "the valid rule ids.",
                        IL_LEVEL_ERROR},
    [IL_NOTE_WALK] = {"ISOL0005", "DirectoryWalkProblem", "A directory could not be walked.",
                      "A directory could not be read, or a symbolic link loop was found, while "
                      "discovering files: files below it may be missing.",
                      "Fix the permissions or the symbolic link named in the message, or "
                      "exclude the directory in isolint.json.",
                      IL_LEVEL_WARNING},
    [IL_NOTE_LIMIT] = {"ISOL0006", "ResourceLimit", "A file reached a resource limit.",
                       "A file reached one of isolint's limits (--max-file-size, "
                       "--parse-timeout, or the bound on facts per file), so it was not "
                       "analyzed and results for it are missing; the other files are unaffected.",
                       "Raise the limit named in the message (0 lifts it) if the file is "
                       "legitimate source code, or exclude it in isolint.json if it is "
                       "generated.",
                       IL_LEVEL_WARNING},
};
enum { N_NOTE_KINDS = sizeof note_kinds / sizeof note_kinds[0] };

const char *il_note_id(il_note_kind k) {
  return (unsigned)k < N_NOTE_KINDS ? note_kinds[k].id : "ISOL0000";
}

/* SARIF level of an il_level; "off" never reaches a result, but a notification
 * carrying it is shown as a note rather than an invalid value. */
static const char *sarif_level(il_level l) {
  return il_level_name(l == IL_LEVEL_OFF ? IL_LEVEL_NOTE : l);
}

/* ---- locations ---------------------------------------------------------------- */

/* RFC 3986 reference for a display path: every byte but the unreserved set and
 * '/' is percent-encoded, so spaces, '%', ':' (which would read as a scheme in
 * a first segment), '#', '?' and non-ASCII bytes (as UTF-8 %XX) are all safe. */
static char *uri_encode(const char *path) {
  static const char hex[] = "0123456789ABCDEF";
  strbuf b = {0};
  for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
    unsigned char c = *p;
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '.' || c == '_' || c == '~' || c == '/') {
      sb_putn(&b, (const char *)p, 1);
    } else {
      char esc[3] = {'%', hex[c >> 4], hex[c & 15]};
      sb_putn(&b, esc, 3);
    }
  }
  return sb_take(&b);
}

/* Display paths are relative to the scan root. A path the core could not make
 * relative (a file outside the root) becomes an absolute file: URI, the only
 * valid way to say it. */
char *il_sarif_uri(const char *path) {
  if (path && path[0] == '/') {
    char *enc = uri_encode(path);
    char *uri = il_xasprintf("file://%s", enc);
    free(enc);
    return uri;
  }
  return uri_encode(path ? path : "");
}

/* {"uri", "uriBaseId"}: no base for an absolute file: URI. */
static json_t *artifact_location(const char *path) {
  json_t *a = il_json_obj();
  il_json_set(a, "uri", il_json_str_own(il_sarif_uri(path)));
  if (!(path && path[0] == '/'))
    il_json_set(a, "uriBaseId", il_json_str(SRCROOT));
  return a;
}

/* A text region with all four of startLine, startColumn, endLine, endColumn
 * (GitHub requires them), never inverted: an empty or reversed range on one
 * line becomes one column wide. */
static json_t *region(const il_location *loc) {
  uint32_t start_line = loc->span.start.line ? loc->span.start.line : 1;
  uint32_t start_col = loc->start_col16 ? loc->start_col16 : 1;
  uint32_t end_line = loc->span.end.line, end_col = loc->end_col16 ? loc->end_col16 : 1;
  if (end_line < start_line) {
    end_line = start_line;
    end_col = start_col + 1;
  } else if (end_line == start_line && end_col <= start_col) {
    end_col = start_col + 1;
  }
  json_t *r = il_json_obj();
  il_json_set(r, "startLine", integer(start_line));
  il_json_set(r, "startColumn", integer(start_col));
  il_json_set(r, "endLine", integer(end_line));
  il_json_set(r, "endColumn", integer(end_col));
  return r;
}

/* {"artifactLocation", "region"}; reg may be NULL (a whole-file location). */
static json_t *physical_location(const char *path, json_t *reg) {
  json_t *phys = il_json_obj();
  il_json_set(phys, "artifactLocation", artifact_location(path));
  if (reg)
    il_json_set(phys, "region", reg);
  return phys;
}

static json_t *location(const char *path, json_t *reg) {
  json_t *loc = il_json_obj();
  il_json_set(loc, "physicalLocation", physical_location(path, reg));
  return loc;
}

/* ---- rules ---------------------------------------------------------------------- */

static il_level effective_level(const il_config *cfg, uint32_t i) {
  const il_rule *rule = il_rules[i];
  return cfg ? il_config_level(cfg, i, rule->level) : rule->level;
}

/* Appends plain text to markdown, escaping what Markdown would interpret
 * outside `code spans` (kept as written: plain help text quotes code that way). */
static void md_escape(strbuf *b, const char *s) {
  bool in_code = false;
  for (; *s; s++) {
    if (*s == '`')
      in_code = !in_code;
    else if (!in_code && strchr("\\*_[]<>#|", *s))
      sb_putn(b, "\\", 1);
    sb_putn(b, s, 1);
  }
}

/* The rule page as help.markdown: a link to another page of the documentation (relative:
 * `[text](other-rule.md#part)`, `[text](../c.md)`, `[text](#part)`) would resolve against
 * wherever the SARIF is shown, an address that does not exist, so it becomes its text; with
 * a "docsUrl", a link to another rule's page becomes a link to that page there. Code spans
 * and fenced code blocks are copied as they are. */
static char *page_markdown(const il_config *cfg, const char *text) {
  strbuf b = {0};
  bool fenced = false;
  const char *p = text;
  while (*p) {
    const char *eol = strchr(p, '\n');
    const char *end = eol ? eol + 1 : p + strlen(p);
    if (!strncmp(p, "```", 3) || fenced) {
      if (!strncmp(p, "```", 3))
        fenced = !fenced;
      sb_putn(&b, p, (size_t)(end - p));
      p = end;
      continue;
    }
    bool code = false;
    for (const char *q = p; q < end;) {
      if (*q == '`') {
        code = !code;
        sb_putn(&b, q++, 1);
        continue;
      }
      const char *close = NULL, *tgt_end = NULL;
      if (!code && *q == '[') {
        close = memchr(q, ']', (size_t)(end - q));
        if (close && close + 1 < end && close[1] == '(')
          tgt_end = memchr(close + 2, ')', (size_t)(end - close - 2));
      }
      if (!tgt_end) {
        sb_putn(&b, q++, 1);
        continue;
      }
      const char *tgt = close + 2;
      size_t tn = (size_t)(tgt_end - tgt);
      if ((tn > 8 && !strncmp(tgt, "https://", 8)) || (tn > 7 && !strncmp(tgt, "http://", 7))) {
        sb_putn(&b, q, (size_t)(tgt_end + 1 - q)); /* an absolute link: kept */
      } else {
        char *url = NULL;
        const char *md = tn > 3 ? strstr(tgt, ".md") : NULL;
        if (md && md < tgt_end && !memchr(tgt, '/', (size_t)(md - tgt))) {
          char *id = il_xstrndup(tgt, (size_t)(md - tgt));
          char *page = il_rule_doc_get(id) ? il_rule_docs_url(cfg, id) : NULL;
          if (page)
            url = il_xasprintf("%s%.*s", page, (int)(tgt_end - md - 3), md + 3);
          free(page);
          free(id);
        }
        if (url) {
          sb_putn(&b, q, (size_t)(close + 2 - q));
          sb_puts(&b, url);
          sb_putn(&b, ")", 1);
          free(url);
        } else {
          sb_putn(&b, q + 1, (size_t)(close - q - 1)); /* the text alone */
        }
      }
      q = tgt_end + 1;
    }
    p = end;
  }
  return sb_take(&b);
}

/* help.markdown is the rule's page (docs/rules/<id>.md, built in), so code scanning and
 * SARIF viewers show the whole documentation without a link; helpUri only when the
 * configuration says where the pages are published ("docsUrl"). */
static json_t *rule_descriptor(const il_config *cfg, const il_rule *rule, il_level level,
                               bool enabled) {
  const char *summary = rule->summary && *rule->summary ? rule->summary : rule->id;
  const char *description = rule->description && *rule->description ? rule->description : summary;
  const char *help = rule->help && *rule->help ? rule->help : description;
  char *help_uri = il_rule_docs_url(cfg, rule->id);

  json_t *d = il_json_obj();
  il_json_set(d, "id", il_json_str(rule->id));
  il_json_set(d, "name", il_json_str(rule->name && *rule->name ? rule->name : rule->id));
  il_json_set(d, "shortDescription", message(il_json_str(summary)));
  il_json_set(d, "fullDescription", message(il_json_str(description)));
  json_t *conf = il_json_obj();
  if (!enabled) /* listed only because a finding refers to it */
    il_json_set(conf, "enabled", json_false());
  il_json_set(conf, "level", il_json_str(sarif_level(level)));
  il_json_set(d, "defaultConfiguration", conf);
  if (help_uri)
    il_json_set(d, "helpUri", il_json_str(help_uri));

  const il_rule_doc *page = il_rule_doc_get(rule->id);
  json_t *h = message(il_json_str(help));
  if (page) {
    il_json_set(h, "markdown", il_json_str_own(page_markdown(cfg, (const char *)page->text)));
  } else {
    strbuf md = {0};
    md_escape(&md, description);
    sb_puts(&md, "\n\n");
    md_escape(&md, help);
    il_json_set(h, "markdown", il_json_str_own(sb_take(&md)));
  }
  il_json_set(d, "help", h);

  json_t *props = il_json_obj();
  json_t *tags = il_json_arr();
  il_json_push(tags, il_json_str("correctness"));
  il_json_push(tags, il_json_str("concurrency"));
  il_json_push(tags, il_json_str("cloudflare-workers"));
  il_json_set(props, "tags", tags);
  il_json_set(props, "precision", il_json_str(rule->precision && *rule->precision ? rule->precision : "medium"));
  il_json_set(d, "properties", props);
  free(help_uri);
  return d;
}

/* Fills driver.rules with every enabled rule, in il_rules[] order, plus (marked
 * disabled) any rule a finding refers to although the config turned it off, so
 * every result's ruleIndex is valid. map[i] receives rule i's index in the
 * emitted array, or -1 when it is not listed. */
static json_t *driver_rules(const il_config *cfg, const il_result *r, int32_t *map) {
  bool *used = il_xcalloc(il_n_rules ? il_n_rules : 1, sizeof *used);
  for (uint32_t i = 0; i < r->findings.len; i++) {
    const il_finding *f = &r->findings.data[i];
    if (f->level != IL_LEVEL_OFF && f->rule_index < il_n_rules)
      used[f->rule_index] = true;
  }
  json_t *rules = il_json_arr();
  int32_t n = 0;
  for (uint32_t i = 0; i < il_n_rules; i++) {
    il_level level = effective_level(cfg, i);
    bool enabled = level != IL_LEVEL_OFF;
    map[i] = -1;
    if (!enabled && !used[i])
      continue;
    il_json_push(rules, rule_descriptor(cfg, il_rules[i], enabled ? level : il_rules[i]->level,
                                        enabled));
    map[i] = n++;
  }
  free(used);
  return rules;
}

static json_t *driver_notifications(void) {
  json_t *list = il_json_arr();
  for (size_t k = 0; k < N_NOTE_KINDS; k++) {
    json_t *d = il_json_obj();
    il_json_set(d, "id", il_json_str(note_kinds[k].id));
    il_json_set(d, "name", il_json_str(note_kinds[k].name));
    il_json_set(d, "shortDescription", message(il_json_str(note_kinds[k].summary)));
    il_json_set(d, "fullDescription", message(il_json_str(note_kinds[k].description)));
    json_t *conf = il_json_obj();
    il_json_set(conf, "level", il_json_str(sarif_level(note_kinds[k].level)));
    il_json_set(d, "defaultConfiguration", conf);
    il_json_set(d, "help", message(il_json_str(note_kinds[k].help)));
    il_json_push(list, d);
  }
  return list;
}

/* ---- results -------------------------------------------------------------------- */

/* Appends a related location's message as embedded-link text: SARIF requires
 * '\', '[' and ']' in link text to be backslash-escaped (section 3.11.6). */
static void link_text(strbuf *b, const char *s) {
  if (!s || !*s)
    s = "related location";
  for (; *s; s++) {
    if (*s == '\\' || *s == '[' || *s == ']')
      sb_putn(b, "\\", 1);
    sb_putn(b, s, 1);
  }
}

/* The finding's message, ending with a period, then a sentence linking the
 * related locations: "... See [used in handler 'fetch'](1) and [read back
 * here](2)." GitHub renders links only when they are embedded like this. */
static char *result_message(const il_finding *f) {
  strbuf b = {0};
  const char *m = f->message && *f->message ? f->message : "Finding.";
  sb_puts(&b, m);
  if (m[strlen(m) - 1] != '.')
    sb_puts(&b, ".");
  for (uint32_t i = 0; i < f->n_related; i++) {
    if (i == 0)
      sb_puts(&b, " See ");
    else
      sb_puts(&b, i + 1 == f->n_related ? " and " : ", ");
    sb_puts(&b, "[");
    link_text(&b, f->related[i].message);
    char *dest = il_xasprintf("](%" PRIu32 ")", i + 1);
    sb_puts(&b, dest);
    free(dest);
  }
  if (f->n_related)
    sb_puts(&b, ".");
  return sb_take(&b);
}

static json_t *result(const il_finding *f, int32_t rule_index) {
  json_t *res = il_json_obj();
  il_json_set(res, "ruleId", il_json_str(f->rule_id));
  if (rule_index >= 0)
    il_json_set(res, "ruleIndex", json_integer(rule_index));
  il_json_set(res, "level", il_json_str(sarif_level(f->level)));
  il_json_set(res, "message", message(il_json_str_own(result_message(f))));

  json_t *locs = il_json_arr();
  il_json_push(locs, location(f->path, region(&f->loc)));
  il_json_set(res, "locations", locs);

  if (f->n_related) {
    json_t *rel = il_json_arr();
    for (uint32_t i = 0; i < f->n_related; i++) {
      const il_location *l = &f->related[i];
      json_t *loc = il_json_obj();
      il_json_set(loc, "id", integer(i + 1));
      il_json_set(loc, "physicalLocation", physical_location(l->path ? l->path : f->path, region(l)));
      /* GitHub rejects a file whose related location has no message (GH1007). */
      il_json_set(loc, "message",
          message(il_json_str(l->message && *l->message ? l->message : "Related location.")));
      il_json_push(rel, loc);
    }
    il_json_set(res, "relatedLocations", rel);
  }
  if (f->flow && f->n_related) {
    json_t *steps = il_json_arr();
    for (uint32_t i = 0; i < f->n_related; i++) {
      const il_location *l = &f->related[i];
      json_t *loc = location(l->path ? l->path : f->path, region(l));
      il_json_set(loc, "message", message(il_json_str(l->message && *l->message ? l->message : "Step.")));
      json_t *tfl = il_json_obj();
      il_json_set(tfl, "location", loc);
      il_json_push(steps, tfl);
    }
    json_t *tf = il_json_obj();
    il_json_set(tf, "locations", steps);
    json_t *tfs = il_json_arr();
    il_json_push(tfs, tf);
    json_t *cf = il_json_obj();
    il_json_set(cf, "threadFlows", tfs);
    json_t *cfs = il_json_arr();
    il_json_push(cfs, cf);
    il_json_set(res, "codeFlows", cfs);
  }

  json_t *fp = il_json_obj();
  if (f->line_hash) /* none when the file changed before its lines could be read again */
    il_json_set(fp, "primaryLocationLineHash", il_json_str(f->line_hash));
  if (f->fingerprint)
    il_json_set(fp, FINGERPRINT_KEY, il_json_str(f->fingerprint));
  il_json_set(res, "partialFingerprints", fp);
  /* against a --baseline: "new" (unchanged results are normally dropped before
   * output; if one is kept it says so). Absent without a baseline. */
  if (f->baseline == IL_BASELINE_NEW)
    il_json_set(res, "baselineState", il_json_str("new"));
  else if (f->baseline == IL_BASELINE_UNCHANGED)
    il_json_set(res, "baselineState", il_json_str("unchanged"));
  return res;
}

/* ---- invocation ----------------------------------------------------------------- */

static json_t *tool_notification(const il_notification *n) {
  json_t *tn = il_json_obj();
  il_json_set(tn, "level", il_json_str(sarif_level(n->level)));
  il_json_set(tn, "message", message(il_json_str(n->message && *n->message ? n->message : "Problem.")));
  json_t *desc = il_json_obj();
  il_json_set(desc, "id", il_json_str(il_note_id(n->kind)));
  il_json_set(tn, "descriptor", desc);
  if (n->path) {
    json_t *reg = NULL;
    if (n->line) {
      uint32_t col = n->col16 ? n->col16 : 1;
      reg = il_json_obj();
      il_json_set(reg, "startLine", integer(n->line));
      il_json_set(reg, "startColumn", integer(col));
      il_json_set(reg, "endLine", integer(n->line));
      il_json_set(reg, "endColumn", integer(col + 1));
    }
    json_t *locs = il_json_arr();
    il_json_push(locs, location(n->path, reg));
    il_json_set(tn, "locations", locs);
  }
  return tn;
}

static json_t *invocation(const il_output_opts *o, const il_result *r) {
  json_t *inv = il_json_obj();
  il_json_set(inv, "executionSuccessful", json_boolean(o->exit_code != 2));
  il_json_set(inv, "exitCode", json_integer(o->exit_code));
  json_t *notes = il_json_arr();
  for (uint32_t i = 0; i < r->notes.len; i++)
    il_json_push(notes, tool_notification(&r->notes.data[i]));
  il_json_set(inv, "toolExecutionNotifications", notes);
  return inv;
}

/* ---- the log -------------------------------------------------------------------- */

bool il_output_sarif(FILE *out, const il_output_opts *o, const il_config *cfg, const il_result *r) {
  int32_t *map = il_xmalloc((il_n_rules ? il_n_rules : 1) * sizeof *map);

  json_t *driver = il_json_obj();
  il_json_set(driver, "name", il_json_str("isolint"));
  il_json_set(driver, "semanticVersion", il_json_str(IL_VERSION));
  il_json_set(driver, "version", il_json_str(IL_VERSION));
  il_json_set(driver, "informationUri", il_json_str(INFO_URI));
  il_json_set(driver, "rules", driver_rules(cfg, r, map));
  il_json_set(driver, "notifications", driver_notifications());
  json_t *tool = il_json_obj();
  il_json_set(tool, "driver", driver);

  json_t *invocations = il_json_arr();
  il_json_push(invocations, invocation(o, r));

  json_t *bases = il_json_obj();
  json_t *srcroot = il_json_obj();
  il_json_set(srcroot, "description", message(il_json_str("The root of the scanned project.")));
  il_json_set(bases, SRCROOT, srcroot);

  json_t *results = il_json_arr();
  for (uint32_t i = 0; i < r->findings.len; i++) {
    const il_finding *f = &r->findings.data[i];
    if (f->level == IL_LEVEL_OFF) /* disabled by the config */
      continue;
    il_json_push(results, result(f, f->rule_index < il_n_rules ? map[f->rule_index] : -1));
  }

  json_t *run = il_json_obj();
  il_json_set(run, "tool", tool);
  il_json_set(run, "invocations", invocations);
  il_json_set(run, "originalUriBaseIds", bases);
  il_json_set(run, "results", results);
  il_json_set(run, "columnKind", il_json_str("utf16CodeUnits"));
  if (o->sarif_category && *o->sarif_category) {
    /* only on request: upload-sarif fills automationDetails from its own
     * category input when it is absent */
    size_t n = strlen(o->sarif_category);
    char *id = il_xasprintf("%s%s", o->sarif_category, o->sarif_category[n - 1] == '/' ? "" : "/");
    json_t *ad = il_json_obj();
    il_json_set(ad, "id", il_json_str(id));
    il_json_set(run, "automationDetails", ad);
    free(id);
  }
  json_t *runs = il_json_arr();
  il_json_push(runs, run);

  json_t *log = il_json_obj();
  il_json_set(log, "$schema", il_json_str(SARIF_SCHEMA));
  il_json_set(log, "version", il_json_str("2.1.0"));
  il_json_set(log, "runs", runs);

  bool ok = json_dumpf(log, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER) == 0;
  json_decref(log);
  free(map);
  if (ok)
    ok = fputc('\n', out) != EOF;
  return fflush(out) == 0 && ok && !ferror(out);
}
