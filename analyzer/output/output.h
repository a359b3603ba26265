/* Reporters: text (humans), json (scripts), sarif (CI, code scanning, editors). */
#ifndef IL_OUTPUT_H
#define IL_OUTPUT_H

#include <stdio.h>

#include "core/run.h"

typedef enum {
  IL_FMT_TEXT,
  IL_FMT_CONCISE,
  IL_FMT_JSON,
  IL_FMT_SARIF,
  IL_FMT_GITHUB,
  IL_FMT_GITLAB,     /* GitLab Code Quality (gitlab.c) */
  IL_FMT_JUNIT,      /* JUnit XML (junit.c) */
  IL_FMT_CHECKSTYLE, /* checkstyle XML (checkstyle.c) */
  IL_FMT_RDJSON,     /* reviewdog Diagnostic Format (rdjson.c) */
  IL_FMT_JSON_LINES, /* one JSON object per finding per line (jsonlines.c) */
} il_format;

typedef struct {
  il_format format;
  bool color;                 /* text only: ANSI colours */
  int exit_code;              /* the exit code the run will have (SARIF invocations) */
  const char *sarif_category; /* --sarif-category: runs[0].automationDetails.id = "NAME/" */
} il_output_opts;

/* Writes the whole report to out. Returns false if writing failed (ferror). */
bool il_output_write(FILE *out, const il_output_opts *o, const il_config *cfg, const il_result *r);

/* The SARIF artifactLocation.uri of a display path (malloc'd): a relative path
 * becomes an RFC 3986 reference relative to %SRCROOT% (every byte but the
 * unreserved set and '/' percent-encoded), an absolute one a file: URI. Shared
 * by the SARIF writer and the --baseline matcher so both spell paths alike. */
char *il_sarif_uri(const char *path);

/* Individual writers, same contract. */
bool il_output_text(FILE *out, const il_output_opts *o, const il_config *cfg, const il_result *r);
bool il_output_json(FILE *out, const il_output_opts *o, const il_config *cfg, const il_result *r);
bool il_output_sarif(FILE *out, const il_output_opts *o, const il_config *cfg, const il_result *r);
/* The address of a rule's page (SARIF helpUri, LSP codeDescription.href), malloc'd, from the
 * configuration's "docsUrl": its "{rule}" replaced by the rule id, else the id and ".md"
 * appended (after a '/'). NULL when cfg is NULL or has no docsUrl: isolint links nowhere
 * it does not know to exist (SARIF then carries the page itself as help.markdown). */
char *il_rule_docs_url(const il_config *cfg, const char *rule_id);

/* partialFingerprints key of isolint's own fingerprint (il_finding.fingerprint). */
#define FINGERPRINT_KEY "isolintFingerprint/v1"

bool il_output_concise(FILE *out, const il_output_opts *o, const il_config *cfg,
                       const il_result *r);
bool il_output_github(FILE *out, const il_output_opts *o, const il_config *cfg, const il_result *r);
bool il_output_gitlab(FILE *out, const il_output_opts *o, const il_config *cfg, const il_result *r);
bool il_output_junit(FILE *out, const il_output_opts *o, const il_config *cfg, const il_result *r);
bool il_output_checkstyle(FILE *out, const il_output_opts *o, const il_config *cfg,
                          const il_result *r);
bool il_output_rdjson(FILE *out, const il_output_opts *o, const il_config *cfg, const il_result *r);
bool il_output_json_lines(FILE *out, const il_output_opts *o, const il_config *cfg,
                          const il_result *r);

/* The json format's object for one finding (its "results" entries; json-lines' lines):
 * a new reference the caller json_decref()s. */
struct json_t;
struct json_t *il_json_finding(const il_finding *f);

/* Marks each finding of r IL_BASELINE_NEW or IL_BASELINE_UNCHANGED against the
 * results of a SARIF file written by `isolint baseline` (or any isolint SARIF):
 * matched by rule id, path and fingerprint, so moved code stays matched. False
 * with *err naming the file when it cannot be read or is not isolint SARIF. */
bool il_baseline_apply(il_result *r, const char *sarif_path, char **err);

#endif
