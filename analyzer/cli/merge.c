/* `isolint merge [-o FILE] A.sarif B.sarif...`: joins the SARIF logs of
 * `isolint scan --shard K/N --format sarif` runs into one log with one run, as
 * a scan of all the files would have written it. GitHub code scanning takes one
 * run per tool and category in an upload, so the shards of a CI matrix are
 * merged before upload-sarif.
 *
 * Every input must be SARIF 2.1.0 with exactly one run written by isolint, all
 * of the same version and the same configuration (rule descriptors), with the
 * same automationDetails, originalUriBaseIds and columnKind, and no two inputs
 * may hold results for the same file (shards are disjoint). The merged run has:
 *   - tool.driver.rules: the union of the inputs' rules by id, sorted by id (the
 *     order the scanner uses), and every result's ruleIndex pointing into it;
 *   - results: all of them, sorted by file, line, column, rule id, message;
 *   - one invocation: executionSuccessful when every input's was, the highest
 *     exitCode, and the toolExecutionNotifications of all inputs sorted by file,
 *     line and message, those every shard repeats (a missing path, a symbolic
 *     link loop found while walking) once;
 *   - everything else as in the first input.
 * The output uses the scanner's layout (2-space indent, key order kept), so
 * merging the shards of a scan gives the same bytes as the scan itself. Any
 * problem is named with its file and exits 2; nothing is written then. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "cli.h"

static const char merge_usage[] =
    "Usage: isolint merge [-o FILE] A.sarif B.sarif...\n"
    "\n"
    "Joins the SARIF logs written by `isolint scan --shard K/N --format sarif` into one\n"
    "log with one run, as one scan of all the files would have written it.\n"
    "\n"
    "  -o, --output FILE   write the merged log to FILE (atomically) instead of stdout\n"
    "  -h, --help          show this help\n"
    "\n"
    "Every input must be SARIF 2.1.0 with exactly one run written by the same version of\n"
    "isolint with the same configuration and --sarif-category, and no two inputs may hold\n"
    "results for the same file.\n"
    "Exit status: 0 merged, 2 an input is unreadable or does not fit, or FILE could not be\n"
    "written.\n";

typedef struct {
  const char *file; /* as given on the command line */
  json_t *log;      /* owned */
  json_t *run;      /* runs[0], borrowed from log */
  json_t *driver;   /* run.tool.driver */
  json_t *rules;    /* driver.rules, or NULL */
} input;

/* A result or a notification, with its sort key. */
typedef struct {
  json_t *value; /* borrowed from its input */
  uint32_t input, index;
  char *path; /* the location's file (URI decoded), or NULL */
  json_int_t line, col;
  const char *rule, *message;
} entry;

typedef IL_ARRAY(entry) entry_array;

/* Prints "isolint: merge: <message>" to stderr; returns false for `return fail(...)`. */
static bool fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static bool fail(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fputs("isolint: merge: ", stderr);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
  return false;
}

/* ---- reading ------------------------------------------------------------------------ */

static json_t *get(json_t *obj, const char *key) {
  return json_is_object(obj) ? json_object_get(obj, key) : NULL;
}

static const char *get_str(json_t *obj, const char *key) {
  return json_string_value(get(obj, key));
}

/* A short printable form of a JSON value for messages ("'x/'", "none"). */
static char *show(json_t *v) {
  if (!v)
    return il_xstrdup("none");
  if (json_is_string(v))
    return il_xasprintf("'%s'", json_string_value(v));
  char *s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
  char *r = il_xstrdup(s ? s : "?");
  free(s);
  if (strlen(r) > 80)
    strcpy(r + 77, "...");
  return r;
}

static bool load(input *in) {
  FILE *fp = fopen(in->file, "rb");
  if (!fp)
    return fail("%s: cannot read: %s", in->file, strerror(errno));
  struct stat st;
  if (fstat(fileno(fp), &st) == 0 && S_ISDIR(st.st_mode)) {
    fclose(fp);
    return fail("%s: cannot read: %s", in->file, strerror(EISDIR));
  }
  json_error_t err;
  in->log = json_loadf(fp, JSON_REJECT_DUPLICATES, &err);
  bool read_error = ferror(fp);
  fclose(fp);
  if (!in->log) {
    if (read_error)
      return fail("%s: cannot read: %s", in->file, strerror(errno));
    return fail("%s: not a SARIF log: not valid JSON (line %d, column %d: %s)", in->file,
                err.line, err.column, err.text);
  }
  if (!json_is_object(in->log))
    return fail("%s: not a SARIF log: the top level is not a JSON object", in->file);
  const char *version = get_str(in->log, "version");
  if (!version || strcmp(version, "2.1.0") != 0) {
    char *v = show(get(in->log, "version"));
    fail("%s: not a SARIF 2.1.0 log (version: %s)", in->file, v);
    free(v);
    return false;
  }
  json_t *runs = get(in->log, "runs");
  if (!json_is_array(runs) || json_array_size(runs) != 1)
    return fail("%s: has %zu runs; isolint merge takes logs with exactly one run (one "
                "`isolint scan --format sarif` each)",
                in->file, json_is_array(runs) ? json_array_size(runs) : (size_t)0);
  in->run = json_array_get(runs, 0);
  in->driver = get(get(in->run, "tool"), "driver");
  const char *name = get_str(in->driver, "name");
  if (!name || strcmp(name, "isolint") != 0)
    return fail("%s: written by %s%s%s, not by isolint", in->file, name ? "'" : "",
                name ? name : "an unnamed tool", name ? "'" : "");
  if (!json_is_string(get(in->driver, "version")))
    return fail("%s: tool.driver.version is missing", in->file);
  in->rules = get(in->driver, "rules");
  if (in->rules && !json_is_array(in->rules))
    return fail("%s: tool.driver.rules is not an array", in->file);
  for (size_t i = 0; in->rules && i < json_array_size(in->rules); i++)
    if (!get_str(json_array_get(in->rules, i), "id"))
      return fail("%s: tool.driver.rules[%zu] has no id", in->file, i);
  json_t *results = get(in->run, "results");
  if (results && !json_is_null(results) && !json_is_array(results))
    return fail("%s: runs[0].results is not an array", in->file);
  json_t *invs = get(in->run, "invocations");
  if (invs && !json_is_array(invs))
    return fail("%s: runs[0].invocations is not an array", in->file);
  for (size_t i = 0; invs && i < json_array_size(invs); i++) {
    json_t *inv = json_array_get(invs, i);
    if (!json_is_boolean(get(inv, "executionSuccessful")))
      return fail("%s: runs[0].invocations[%zu].executionSuccessful is missing", in->file, i);
    json_t *code = get(inv, "exitCode");
    if (code && !json_is_integer(code))
      return fail("%s: runs[0].invocations[%zu].exitCode is not an integer", in->file, i);
    json_t *notes = get(inv, "toolExecutionNotifications");
    if (notes && !json_is_array(notes))
      return fail("%s: runs[0].invocations[%zu].toolExecutionNotifications is not an array",
                  in->file, i);
  }
  return true;
}

/* The driver without its rules, for comparing two inputs' tools. */
static json_t *driver_sans_rules(json_t *driver) {
  json_t *d = json_copy(driver);
  if (!d)
    abort();
  json_object_del(d, "rules");
  return d;
}

/* Checks that `in` was written by the same isolint, configuration and category
 * as `first`. */
static bool same_scan(const input *first, const input *in) {
  const char *v0 = get_str(first->driver, "version"), *v = get_str(in->driver, "version");
  if (strcmp(v0, v) != 0)
    return fail("%s: written by isolint %s, but %s by isolint %s: merge the logs of one "
                "isolint version",
                in->file, v, first->file, v0);
  json_t *d0 = driver_sans_rules(first->driver), *d = driver_sans_rules(in->driver);
  bool same = json_equal(d0, d);
  json_decref(d0);
  json_decref(d);
  if (!same)
    return fail("%s: its tool.driver differs from the one in %s", in->file, first->file);
  static const struct {
    const char *key, *hint;
  } keys[] = {
      {"automationDetails", "give every shard the same --sarif-category, or none"},
      {"originalUriBaseIds", "the logs are not shards of one scan"},
      {"columnKind", "the logs are not shards of one scan"},
  };
  for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
    json_t *a = get(first->run, keys[k].key), *b = get(in->run, keys[k].key);
    if ((a || b) && !(a && b && json_equal(a, b))) {
      json_t *ida = a && json_is_string(get(a, "id")) ? get(a, "id") : a;
      json_t *idb = b && json_is_string(get(b, "id")) ? get(b, "id") : b;
      char *sa = show(ida), *sb = show(idb);
      fail("%s: %s is %s, but %s in %s (%s)", in->file, keys[k].key, sb, sa, first->file,
           keys[k].hint);
      free(sa);
      free(sb);
      return false;
    }
  }
  return true;
}

/* ---- sort keys ----------------------------------------------------------------------- */

static int hex_value(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/* The file a URI names, as the scanner displayed it: percent-decoded, without
 * "file://" (so results sort by path in the scanner's byte order). */
static char *uri_path(const char *uri) {
  if (strncmp(uri, "file://", 7) == 0)
    uri += 7;
  char *out = il_xmalloc(strlen(uri) + 1), *o = out;
  for (const char *p = uri; *p; p++) {
    int hi, lo;
    if (*p == '%' && (hi = hex_value(p[1])) >= 0 && (lo = hex_value(p[2])) >= 0) {
      *o++ = (char)(hi * 16 + lo);
      p += 2;
    } else {
      *o++ = *p;
    }
  }
  *o = '\0';
  return out;
}

static entry make_entry(json_t *value, uint32_t input_i, uint32_t index) {
  json_t *phys = get(json_array_get(get(value, "locations"), 0), "physicalLocation");
  const char *uri = get_str(get(phys, "artifactLocation"), "uri");
  json_t *region = get(phys, "region");
  const char *msg = get_str(get(value, "message"), "text");
  return (entry){.value = value,
                 .input = input_i,
                 .index = index,
                 .path = uri ? uri_path(uri) : NULL,
                 .line = json_integer_value(get(region, "startLine")),
                 .col = json_integer_value(get(region, "startColumn")),
                 .rule = get_str(value, "ruleId"),
                 .message = msg ? msg : ""};
}

/* NULL sorts first, as the scanner sorts notifications without a file. */
static int cmp_str0(const char *a, const char *b) {
  if (!a || !b)
    return a ? 1 : b ? -1 : 0;
  return strcmp(a, b);
}

static int cmp_int(json_int_t a, json_int_t b) { return a < b ? -1 : a > b; }

static int cmp_origin(const entry *a, const entry *b) {
  if (a->input != b->input)
    return a->input < b->input ? -1 : 1;
  return a->index < b->index ? -1 : a->index > b->index;
}

/* Results: file, line, column, rule id, message, then input order. */
static int cmp_result(const void *pa, const void *pb) {
  const entry *a = pa, *b = pb;
  int c = cmp_str0(a->path, b->path);
  if (!c)
    c = cmp_int(a->line, b->line);
  if (!c)
    c = cmp_int(a->col, b->col);
  if (!c)
    c = cmp_str0(a->rule, b->rule);
  if (!c)
    c = strcmp(a->message, b->message);
  return c ? c : cmp_origin(a, b);
}

/* Notifications: file, line, message (the scanner's order), then input order. */
static bool same_note_key(const entry *a, const entry *b) {
  return cmp_str0(a->path, b->path) == 0 && a->line == b->line &&
         strcmp(a->message, b->message) == 0;
}

static int cmp_note(const void *pa, const void *pb) {
  const entry *a = pa, *b = pb;
  int c = cmp_str0(a->path, b->path);
  if (!c)
    c = cmp_int(a->line, b->line);
  if (!c)
    c = strcmp(a->message, b->message);
  return c ? c : cmp_origin(a, b);
}

static void entries_free(entry_array *a) {
  for (uint32_t i = 0; i < a->len; i++)
    free(a->data[i].path);
  il_array_free(a);
}

/* ---- merging ------------------------------------------------------------------------- */

typedef struct {
  const char *id;
  json_t *descriptor; /* borrowed */
  uint32_t input;
} rule_entry;

typedef IL_ARRAY(rule_entry) rule_array;

static int cmp_rule(const void *pa, const void *pb) {
  const rule_entry *a = pa, *b = pb;
  int c = strcmp(a->id, b->id);
  if (c)
    return c;
  return a->input < b->input ? -1 : a->input > b->input;
}

/* Index of `id` in the sorted, unique rules[0..n), or -1. */
static json_int_t find_rule(const rule_entry *rules, uint32_t n, const char *id) {
  uint32_t lo = 0, hi = n;
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo) / 2;
    int c = strcmp(rules[mid].id, id);
    if (!c)
      return mid;
    if (c < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  return -1;
}

static void must(int rc) {
  if (rc != 0) {
    fputs("isolint: out of memory (merging SARIF)\n", stderr);
    abort();
  }
}

/* The union of the inputs' rules, sorted by id, into *out (unique ids); the
 * same id must be described identically everywhere. */
static bool union_rules(const input *ins, uint32_t n, rule_array *out) {
  rule_array all = {0};
  for (uint32_t i = 0; i < n; i++)
    for (size_t r = 0; ins[i].rules && r < json_array_size(ins[i].rules); r++) {
      json_t *d = json_array_get(ins[i].rules, r);
      rule_entry e = {get_str(d, "id"), d, i};
      il_array_push(&all, e);
    }
  if (all.len > 1)
    qsort(all.data, all.len, sizeof *all.data, cmp_rule);
  bool ok = true;
  for (uint32_t k = 0; k < all.len && ok; k++) {
    if (out->len && strcmp(out->data[out->len - 1].id, all.data[k].id) == 0) {
      const rule_entry *prev = &out->data[out->len - 1];
      if (!json_equal(prev->descriptor, all.data[k].descriptor))
        ok = fail("%s: rule '%s' is described differently than in %s: the logs come from "
                  "different configurations (levels) or versions",
                  ins[all.data[k].input].file, all.data[k].id, ins[prev->input].file);
      continue;
    }
    il_array_push(out, all.data[k]);
  }
  il_array_free(&all);
  return ok;
}

/* Points the result's ruleIndex into the merged rules (by its ruleId, or the id
 * its old ruleIndex named). */
static bool reindex(const input *in, json_t *res, size_t i, const rule_entry *rules, uint32_t n) {
  const char *id = get_str(res, "ruleId");
  json_t *old = get(res, "ruleIndex");
  if (old) {
    json_int_t k = json_integer_value(old);
    json_t *d = json_is_integer(old) && k >= 0 && in->rules ? json_array_get(in->rules, (size_t)k)
                                                            : NULL;
    if (!d)
      return fail("%s: results[%zu].ruleIndex does not point to a rule of the log", in->file, i);
    const char *rid = get_str(d, "id");
    if (id && strcmp(id, rid) != 0)
      return fail("%s: results[%zu] has ruleId '%s' but its ruleIndex names '%s'", in->file, i,
                  id, rid);
    id = rid;
  }
  if (!id)
    return true; /* nothing to point at */
  json_int_t k = find_rule(rules, n, id);
  if (k >= 0)
    must(json_object_set_new(res, "ruleIndex", json_integer(k)));
  return true;
}

/* Collects every result, re-indexed, and checks that no file has results in two inputs. */
static bool collect_results(input *ins, uint32_t n, const rule_entry *rules, uint32_t n_rules,
                            entry_array *out) {
  for (uint32_t i = 0; i < n; i++) {
    json_t *results = get(ins[i].run, "results");
    for (size_t r = 0; json_is_array(results) && r < json_array_size(results); r++) {
      json_t *res = json_array_get(results, r);
      if (!json_is_object(res))
        return fail("%s: results[%zu] is not an object", ins[i].file, r);
      if (!reindex(&ins[i], res, r, rules, n_rules))
        return false;
      il_array_push(out, make_entry(res, i, (uint32_t)r));
    }
  }
  if (out->len > 1)
    qsort(out->data, out->len, sizeof *out->data, cmp_result);
  for (uint32_t k = 1; k < out->len; k++) {
    const entry *a = &out->data[k - 1], *b = &out->data[k];
    if (a->path && b->path && strcmp(a->path, b->path) == 0 && a->input != b->input)
      return fail("%s and %s both have results for '%s': merge the logs of disjoint --shard "
                  "runs of one scan",
                  ins[a->input].file, ins[b->input].file, a->path);
  }
  return true;
}

/* One invocation for all inputs; NULL when no input had any. */
static json_t *merge_invocations(input *ins, uint32_t n) {
  entry_array notes = {0};
  bool any = false, success = true, any_code = false;
  json_int_t code = 0;
  for (uint32_t i = 0; i < n; i++) {
    json_t *invs = get(ins[i].run, "invocations");
    uint32_t index = 0;
    for (size_t v = 0; json_is_array(invs) && v < json_array_size(invs); v++) {
      json_t *inv = json_array_get(invs, v);
      any = true;
      success = success && json_is_true(get(inv, "executionSuccessful"));
      json_t *c = get(inv, "exitCode");
      if (c && (!any_code || json_integer_value(c) > code))
        code = json_integer_value(c);
      any_code = any_code || c;
      json_t *list = get(inv, "toolExecutionNotifications");
      for (size_t k = 0; json_is_array(list) && k < json_array_size(list); k++)
        il_array_push(&notes, make_entry(json_array_get(list, k), i, index++));
    }
  }
  if (!any) {
    entries_free(&notes);
    return NULL;
  }
  if (notes.len > 1)
    qsort(notes.data, notes.len, sizeof *notes.data, cmp_note);
  json_t *list = json_array();
  if (!list)
    must(-1);
  /* Within a group of equal keys, a notification equal to one already kept from
   * another input is a repeat (every shard reports what it met while walking). */
  uint32_t group = 0;
  IL_ARRAY(uint32_t) kept = {0};
  for (uint32_t k = 0; k < notes.len; k++) {
    if (!same_note_key(&notes.data[group], &notes.data[k])) {
      group = k;
      kept.len = 0;
    }
    bool repeat = false;
    for (uint32_t j = 0; j < kept.len && !repeat; j++) {
      const entry *e = &notes.data[kept.data[j]];
      repeat = e->input != notes.data[k].input && json_equal(e->value, notes.data[k].value);
    }
    if (repeat)
      continue;
    il_array_push(&kept, k);
    must(json_array_append(list, notes.data[k].value));
  }
  il_array_free(&kept);
  entries_free(&notes);

  json_t *inv = json_object();
  if (!inv)
    must(-1);
  must(json_object_set_new(inv, "executionSuccessful", json_boolean(success)));
  if (any_code)
    must(json_object_set_new(inv, "exitCode", json_integer(code)));
  must(json_object_set_new(inv, "toolExecutionNotifications", list));
  json_t *invs = json_array();
  if (!invs)
    must(-1);
  must(json_array_append_new(invs, inv));
  return invs;
}

/* Merges ins[0..n) into ins[0].log, which becomes the output. */
static bool merge(input *ins, uint32_t n) {
  for (uint32_t i = 1; i < n; i++)
    if (!same_scan(&ins[0], &ins[i]))
      return false;
  rule_array rules = {0};
  entry_array results = {0};
  bool ok = union_rules(ins, n, &rules) &&
            collect_results(ins, n, rules.data, rules.len, &results);
  if (ok) {
    json_t *rules_json = json_array(), *results_json = json_array();
    if (!rules_json || !results_json)
      must(-1);
    for (uint32_t k = 0; k < rules.len; k++)
      must(json_array_append(rules_json, rules.data[k].descriptor));
    for (uint32_t k = 0; k < results.len; k++)
      must(json_array_append(results_json, results.data[k].value));
    json_t *invs = merge_invocations(ins, n);
    /* replacing keeps each key where the first input had it */
    if (ins[0].rules || rules.len)
      must(json_object_set_new(ins[0].driver, "rules", rules_json));
    else
      json_decref(rules_json);
    if (invs)
      must(json_object_set_new(ins[0].run, "invocations", invs));
    must(json_object_set_new(ins[0].run, "results", results_json));
  }
  il_array_free(&rules);
  entries_free(&results);
  return ok;
}

/* ---- writing ------------------------------------------------------------------------- */

static bool dump(json_t *log, FILE *out) {
  return json_dumpf(log, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER) == 0 &&
         fputc('\n', out) != EOF && fflush(out) == 0 && !ferror(out);
}

static bool dump_cb(FILE *out, void *log) {
  return dump(log, out);
}

/* Writes through a temporary file, fsync and rename() (cli_write_with). */
static bool write_atomic(const char *path, json_t *log) {
  return cli_write_with(path, dump_cb, log, "merged log");
}

int cmd_merge(int argc, char **argv) {
  const char *output = NULL;
  IL_ARRAY(const char *) files = {0};
  bool only_files = false;
  for (int i = 0; i < argc; i++) {
    const char *arg = argv[i];
    if (only_files || arg[0] != '-') {
      il_array_push(&files, arg);
    } else if (strcmp(arg, "--") == 0) {
      only_files = true;
    } else if (strcmp(arg, "-o") == 0 || strcmp(arg, "--output") == 0) {
      if (i + 1 >= argc) {
        il_array_free(&files);
        cli_die_usage("%s needs a value", arg);
      }
      output = argv[++i];
    } else if (strncmp(arg, "--output=", 9) == 0) {
      output = arg + 9;
    } else if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
      il_array_free(&files);
      fputs(merge_usage, stdout);
      return EXIT_CLEAN;
    } else {
      il_array_free(&files);
      cli_die_usage("merge: unknown option '%s'", arg);
    }
  }
  if (output && !*output) {
    il_array_free(&files);
    cli_die_usage("--output needs a file name%s", "");
  }
  if (!files.len)
    cli_die_usage("merge needs the SARIF files to join (isolint merge [-o FILE] A.sarif "
                  "B.sarif...)%s",
                  "");

  input *ins = il_xcalloc(files.len, sizeof *ins);
  bool ok = true;
  for (uint32_t i = 0; i < files.len && ok; i++) {
    ins[i].file = files.data[i];
    ok = load(&ins[i]);
  }
  ok = ok && merge(ins, files.len);
  if (ok) {
    if (output) {
      ok = write_atomic(output, ins[0].log);
    } else {
      ok = dump(ins[0].log, stdout);
      if (!ok)
        fail("cannot write the merged log to standard output: %s", strerror(errno));
    }
  }
  for (uint32_t i = 0; i < files.len; i++)
    json_decref(ins[i].log);
  free(ins);
  il_array_free(&files);
  return ok ? EXIT_CLEAN : EXIT_TROUBLE;
}
