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
#include "il/output.h"

#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "il/position.h"
#include "il/rule.h"

#define SARIF_SCHEMA "https://json.schemastore.org/sarif-2.1.0.json"
#define INFO_URI "https://github.com/isolint/isolint"
#define HELP_URI_PREFIX INFO_URI "/blob/main/docs/rules/"
#define SRCROOT "%SRCROOT%"

/* ---- jansson helpers --------------------------------------------------------- */

/* Aborts like il_xmalloc when jansson could not allocate. */
static json_t *must(json_t *j) {
  if (!j) {
    fputs("isolint: out of memory (building SARIF)\n", stderr);
    abort();
  }
  return j;
}

static void set(json_t *obj, const char *key, json_t *value) {
  if (json_object_set_new(obj, key, must(value)) != 0)
    must(NULL);
}

static void push(json_t *arr, json_t *value) {
  if (json_array_append_new(arr, must(value)) != 0)
    must(NULL);
}

static json_t *obj(void) { return must(json_object()); }
static json_t *arr(void) { return must(json_array()); }
static json_t *integer(uint32_t v) { return json_integer(v); }


/* A JSON string for s. jansson refuses invalid UTF-8 (source names may hold
 * any bytes), so each invalid byte becomes U+FFFD. NULL gives "". */
static json_t *str(const char *s) {
  if (!s)
    return must(json_string(""));
  json_t *j = json_string(s);
  if (j)
    return j;
  char *clean = il_utf8_sanitize(s);
  j = must(json_string(clean));
  free(clean);
  return j;
}

/* A string built in a malloc'd buffer, handed to jansson and freed. */
static json_t *str_own(char *s) {
  json_t *j = str(s);
  free(s);
  return j;
}

/* {"text": s} */
static json_t *message(json_t *text) {
  json_t *m = obj();
  set(m, "text", text);
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
  json_t *a = obj();
  set(a, "uri", str_own(il_sarif_uri(path)));
  if (!(path && path[0] == '/'))
    set(a, "uriBaseId", str(SRCROOT));
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
  json_t *r = obj();
  set(r, "startLine", integer(start_line));
  set(r, "startColumn", integer(start_col));
  set(r, "endLine", integer(end_line));
  set(r, "endColumn", integer(end_col));
  return r;
}

/* {"artifactLocation", "region"}; reg may be NULL (a whole-file location). */
static json_t *physical_location(const char *path, json_t *reg) {
  json_t *phys = obj();
  set(phys, "artifactLocation", artifact_location(path));
  if (reg)
    set(phys, "region", reg);
  return phys;
}

static json_t *location(const char *path, json_t *reg) {
  json_t *loc = obj();
  set(loc, "physicalLocation", physical_location(path, reg));
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

static json_t *rule_descriptor(const il_rule *rule, il_level level, bool enabled) {
  const char *summary = rule->summary && *rule->summary ? rule->summary : rule->id;
  const char *description = rule->description && *rule->description ? rule->description : summary;
  const char *help = rule->help && *rule->help ? rule->help : description;
  char *help_uri = il_xasprintf("%s%s.md", HELP_URI_PREFIX, rule->id);

  json_t *d = obj();
  set(d, "id", str(rule->id));
  set(d, "name", str(rule->name && *rule->name ? rule->name : rule->id));
  set(d, "shortDescription", message(str(summary)));
  set(d, "fullDescription", message(str(description)));
  json_t *conf = obj();
  if (!enabled) /* listed only because a finding refers to it */
    set(conf, "enabled", json_false());
  set(conf, "level", str(sarif_level(level)));
  set(d, "defaultConfiguration", conf);
  set(d, "helpUri", str(help_uri));

  strbuf md = {0};
  md_escape(&md, description);
  sb_puts(&md, "\n\n");
  md_escape(&md, help);
  sb_puts(&md, "\n\nSee the [rule documentation](");
  sb_puts(&md, help_uri);
  sb_puts(&md, ").");
  json_t *h = message(str(help));
  set(h, "markdown", str_own(sb_take(&md)));
  set(d, "help", h);

  json_t *props = obj();
  json_t *tags = arr();
  push(tags, str("correctness"));
  push(tags, str("concurrency"));
  push(tags, str("cloudflare-workers"));
  set(props, "tags", tags);
  set(props, "precision", str(rule->precision && *rule->precision ? rule->precision : "medium"));
  set(d, "properties", props);
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
  json_t *rules = arr();
  int32_t n = 0;
  for (uint32_t i = 0; i < il_n_rules; i++) {
    il_level level = effective_level(cfg, i);
    bool enabled = level != IL_LEVEL_OFF;
    map[i] = -1;
    if (!enabled && !used[i])
      continue;
    push(rules, rule_descriptor(il_rules[i], enabled ? level : il_rules[i]->level, enabled));
    map[i] = n++;
  }
  free(used);
  return rules;
}

static json_t *driver_notifications(void) {
  json_t *list = arr();
  for (size_t k = 0; k < N_NOTE_KINDS; k++) {
    json_t *d = obj();
    set(d, "id", str(note_kinds[k].id));
    set(d, "name", str(note_kinds[k].name));
    set(d, "shortDescription", message(str(note_kinds[k].summary)));
    set(d, "fullDescription", message(str(note_kinds[k].description)));
    json_t *conf = obj();
    set(conf, "level", str(sarif_level(note_kinds[k].level)));
    set(d, "defaultConfiguration", conf);
    set(d, "help", message(str(note_kinds[k].help)));
    push(list, d);
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
  json_t *res = obj();
  set(res, "ruleId", str(f->rule_id));
  if (rule_index >= 0)
    set(res, "ruleIndex", json_integer(rule_index));
  set(res, "level", str(sarif_level(f->level)));
  set(res, "message", message(str_own(result_message(f))));

  json_t *locs = arr();
  push(locs, location(f->path, region(&f->loc)));
  set(res, "locations", locs);

  if (f->n_related) {
    json_t *rel = arr();
    for (uint32_t i = 0; i < f->n_related; i++) {
      const il_location *l = &f->related[i];
      json_t *loc = obj();
      set(loc, "id", integer(i + 1));
      set(loc, "physicalLocation", physical_location(l->path ? l->path : f->path, region(l)));
      /* GitHub rejects a file whose related location has no message (GH1007). */
      set(loc, "message",
          message(str(l->message && *l->message ? l->message : "Related location.")));
      push(rel, loc);
    }
    set(res, "relatedLocations", rel);
  }
  if (f->flow && f->n_related) {
    json_t *steps = arr();
    for (uint32_t i = 0; i < f->n_related; i++) {
      const il_location *l = &f->related[i];
      json_t *loc = location(f->path, region(l));
      set(loc, "message", message(str(l->message && *l->message ? l->message : "Step.")));
      json_t *tfl = obj();
      set(tfl, "location", loc);
      push(steps, tfl);
    }
    json_t *tf = obj();
    set(tf, "locations", steps);
    json_t *tfs = arr();
    push(tfs, tf);
    json_t *cf = obj();
    set(cf, "threadFlows", tfs);
    json_t *cfs = arr();
    push(cfs, cf);
    set(res, "codeFlows", cfs);
  }

  json_t *fp = obj();
  set(fp, "primaryLocationLineHash", str(f->line_hash));
  if (f->fingerprint)
    set(fp, FINGERPRINT_KEY, str(f->fingerprint));
  set(res, "partialFingerprints", fp);
  /* against a --baseline: "new" (unchanged results are normally dropped before
   * output; if one is kept it says so). Absent without a baseline. */
  if (f->baseline == IL_BASELINE_NEW)
    set(res, "baselineState", str("new"));
  else if (f->baseline == IL_BASELINE_UNCHANGED)
    set(res, "baselineState", str("unchanged"));
  return res;
}

/* ---- invocation ----------------------------------------------------------------- */

static json_t *tool_notification(const il_notification *n) {
  json_t *tn = obj();
  set(tn, "level", str(sarif_level(n->level)));
  set(tn, "message", message(str(n->message && *n->message ? n->message : "Problem.")));
  json_t *desc = obj();
  set(desc, "id", str(il_note_id(n->kind)));
  set(tn, "descriptor", desc);
  if (n->path) {
    json_t *reg = NULL;
    if (n->line) {
      uint32_t col = n->col16 ? n->col16 : 1;
      reg = obj();
      set(reg, "startLine", integer(n->line));
      set(reg, "startColumn", integer(col));
      set(reg, "endLine", integer(n->line));
      set(reg, "endColumn", integer(col + 1));
    }
    json_t *locs = arr();
    push(locs, location(n->path, reg));
    set(tn, "locations", locs);
  }
  return tn;
}

static json_t *invocation(const il_output_opts *o, const il_result *r) {
  json_t *inv = obj();
  set(inv, "executionSuccessful", json_boolean(o->exit_code != 2));
  set(inv, "exitCode", json_integer(o->exit_code));
  json_t *notes = arr();
  for (uint32_t i = 0; i < r->notes.len; i++)
    push(notes, tool_notification(&r->notes.data[i]));
  set(inv, "toolExecutionNotifications", notes);
  return inv;
}

/* ---- the log -------------------------------------------------------------------- */

bool il_output_sarif(FILE *out, const il_output_opts *o, const il_config *cfg, const il_result *r) {
  int32_t *map = il_xmalloc((il_n_rules ? il_n_rules : 1) * sizeof *map);

  json_t *driver = obj();
  set(driver, "name", str("isolint"));
  set(driver, "semanticVersion", str(IL_VERSION));
  set(driver, "version", str(IL_VERSION));
  set(driver, "informationUri", str(INFO_URI));
  set(driver, "rules", driver_rules(cfg, r, map));
  set(driver, "notifications", driver_notifications());
  json_t *tool = obj();
  set(tool, "driver", driver);

  json_t *invocations = arr();
  push(invocations, invocation(o, r));

  json_t *bases = obj();
  json_t *srcroot = obj();
  set(srcroot, "description", message(str("The root of the scanned project.")));
  set(bases, SRCROOT, srcroot);

  json_t *results = arr();
  for (uint32_t i = 0; i < r->findings.len; i++) {
    const il_finding *f = &r->findings.data[i];
    if (f->level == IL_LEVEL_OFF) /* disabled by the config */
      continue;
    push(results, result(f, f->rule_index < il_n_rules ? map[f->rule_index] : -1));
  }

  json_t *run = obj();
  set(run, "tool", tool);
  set(run, "invocations", invocations);
  set(run, "originalUriBaseIds", bases);
  set(run, "results", results);
  set(run, "columnKind", str("utf16CodeUnits"));
  if (o->sarif_category && *o->sarif_category) {
    /* only on request: upload-sarif fills automationDetails from its own
     * category input when it is absent */
    size_t n = strlen(o->sarif_category);
    char *id = il_xasprintf("%s%s", o->sarif_category, o->sarif_category[n - 1] == '/' ? "" : "/");
    json_t *ad = obj();
    set(ad, "id", str(id));
    set(run, "automationDetails", ad);
    free(id);
  }
  json_t *runs = arr();
  push(runs, run);

  json_t *log = obj();
  set(log, "$schema", str(SARIF_SCHEMA));
  set(log, "version", str("2.1.0"));
  set(log, "runs", runs);

  bool ok = json_dumpf(log, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER) == 0;
  json_decref(log);
  free(map);
  if (ok)
    ok = fputc('\n', out) != EOF;
  return fflush(out) == 0 && ok && !ferror(out);
}
