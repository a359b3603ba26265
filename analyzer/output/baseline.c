/* --baseline: marks each finding new or unchanged against the results of an
 * earlier isolint SARIF log (normally one written by `isolint baseline`).
 *
 * A baseline result and a finding match when they have the same rule id, the
 * same artifactLocation.uri (the finding's path spelled by the SARIF writer's
 * own encoder) and the same fingerprint: isolint's own
 * (partialFingerprints."isolintFingerprint/v1": the rule and the offending
 * line's text without white space, and which occurrence of that pair in the
 * file it is) when every result of the baseline has one, else GitHub's
 * primaryLocationLineHash (the line and up to 100 characters after it, so an
 * edit just below a finding changes it). Neither depends on the line number, so
 * code that moved up or down stays matched, while changing the offending line
 * makes the finding new. Each baseline result matches at most one finding: a
 * second copy of a baselined line is new. */
#include "core/run.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "output/output.h"

typedef struct {
  const char *rule, *uri, *hash; /* borrowed from the loaded JSON */
  bool used;
  const char *fp; /* isolint's own fingerprint, or NULL (older logs) */
} entry;

typedef IL_ARRAY(entry) entries;

static int cmp_key(const char *rule, const char *uri, const char *hash, const entry *e) {
  int c = strcmp(rule, e->rule);
  if (c)
    return c;
  c = strcmp(uri, e->uri);
  return c ? c : strcmp(hash, e->hash);
}

static int cmp_entry(const void *pa, const void *pb) {
  const entry *a = pa, *b = pb;
  return cmp_key(a->rule, a->uri, a->hash, b);
}

/* A string member of obj, or NULL. */
static const char *get_str(json_t *obj, const char *key) {
  return json_string_value(json_object_get(obj, key));
}

/* Collects the results of one run. False with *err set on a result that is not
 * shaped like the ones isolint writes. */
static bool collect_run(json_t *run, size_t ri, const char *path, entries *out, char **err) {
  json_t *results = json_object_get(run, "results");
  if (!json_is_array(results)) {
    *err = il_xasprintf("%s: runs[%zu] has no \"results\" array", path, ri);
    return false;
  }
  size_t i;
  json_t *res;
  json_array_foreach(results, i, res) {
    const char *state = json_is_object(res) ? get_str(res, "baselineState") : NULL;
    if (state && strcmp(state, "absent") == 0)
      continue; /* a result that was already gone when this log was written */
    json_t *loc = json_array_get(json_object_get(res, "locations"), 0);
    json_t *art = json_object_get(json_object_get(loc, "physicalLocation"), "artifactLocation");
    entry e = {get_str(res, "ruleId"), get_str(art, "uri"),
               get_str(json_object_get(res, "partialFingerprints"), "primaryLocationLineHash"),
               false, get_str(json_object_get(res, "partialFingerprints"), FINGERPRINT_KEY)};
    const char *missing = !json_is_object(res) ? "is not an object"
                          : !e.rule            ? "has no ruleId"
                          : !e.uri  ? "has no locations[0].physicalLocation.artifactLocation.uri"
                          : !e.hash ? "has no partialFingerprints.primaryLocationLineHash"
                                    : NULL;
    if (missing) {
      *err = il_xasprintf("%s: runs[%zu].results[%zu] %s", path, ri, i, missing);
      return false;
    }
    il_array_push(out, e);
  }
  return true;
}

/* Loads and checks the log; on success *root owns the JSON the entries point into. */
static bool load_baseline(const char *path, json_t **root, entries *out, char **err) {
  struct stat st;
  if (stat(path, &st) != 0) {
    *err = il_xasprintf("%s: %s", path, strerror(errno));
    return false;
  }
  if (S_ISDIR(st.st_mode)) {
    *err = il_xasprintf("%s: is a directory, not a SARIF file", path);
    return false;
  }
  json_error_t je;
  json_t *j = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
  if (!j) {
    if (S_ISREG(st.st_mode) && st.st_size == 0)
      *err = il_xasprintf("%s: the file is empty, not a SARIF log", path);
    else if (je.line < 0) /* could not even read it */
      *err = il_xasprintf("%s: cannot read the file: %s", path, je.text);
    else
      *err = il_xasprintf("%s:%d:%d: not a SARIF log: %s", path, je.line, je.column, je.text);
    return false;
  }
  *root = j;
  const char *version = get_str(j, "version");
  json_t *runs = json_object_get(j, "runs");
  if (!json_is_object(j) || !version || !json_is_array(runs)) {
    *err = il_xasprintf("%s: not a SARIF log (no \"version\" and \"runs\")", path);
    return false;
  }
  if (strcmp(version, "2.1.0") != 0) {
    *err = il_xasprintf("%s: SARIF version \"%s\" is not supported (expected \"2.1.0\")", path,
                        version);
    return false;
  }
  if (json_array_size(runs) == 0) {
    *err = il_xasprintf("%s: the SARIF log holds no run, not an isolint baseline", path);
    return false;
  }
  size_t ri;
  json_t *run;
  json_array_foreach(runs, ri, run) {
    const char *tool = get_str(json_object_get(json_object_get(run, "tool"), "driver"), "name");
    if (!tool || strcmp(tool, "isolint") != 0) {
      if (tool)
        *err = il_xasprintf("%s: runs[%zu] was written by '%s', not isolint", path, ri, tool);
      else
        *err = il_xasprintf("%s: runs[%zu] names no tool.driver.name, not an isolint run", path,
                            ri);
      return false;
    }
    if (!collect_run(run, ri, path, out, err))
      return false;
  }
  return true;
}

bool il_baseline_apply(il_result *r, const char *sarif_path, char **err) {
  json_t *root = NULL;
  entries es = {0};
  bool ok = load_baseline(sarif_path, &root, &es, err);
  /* isolint's fingerprint when the whole baseline has it (logs of 0.1.0 lack it) */
  bool own = true;
  for (uint32_t i = 0; i < es.len; i++)
    own &= es.data[i].fp != NULL;
  if (own)
    for (uint32_t i = 0; i < es.len; i++)
      es.data[i].hash = es.data[i].fp;
  if (ok) {
    if (es.len > 1)
      qsort(es.data, es.len, sizeof *es.data, cmp_entry);
    /* identical keys (two findings of one rule on one line) take one entry each */
    for (uint32_t i = 0; i < r->findings.len; i++) {
      il_finding *f = &r->findings.data[i];
      char *uri = il_sarif_uri(f->path);
      const char *hash = own ? f->fingerprint : f->line_hash;
      if (!hash)
        hash = "";
      /* lower bound of the key, then the first unused entry with it */
      uint32_t lo = 0, hi = es.len;
      while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (cmp_key(f->rule_id, uri, hash, &es.data[mid]) > 0)
          lo = mid + 1;
        else
          hi = mid;
      }
      f->baseline = IL_BASELINE_NEW;
      for (uint32_t k = lo; k < es.len && cmp_key(f->rule_id, uri, hash, &es.data[k]) == 0; k++)
        if (!es.data[k].used) {
          es.data[k].used = true;
          f->baseline = IL_BASELINE_UNCHANGED;
          break;
        }
      free(uri);
    }
  }
  il_array_free(&es);
  json_decref(root);
  return ok;
}
