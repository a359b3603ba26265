/* JSON Lines reporter (--format json-lines): one JSON object per finding per line, the
 * object of the json format's "results" array (il_json_finding: ruleId, level, message,
 * path, start, end, related...), compact, nothing else: for jq, log shippers and
 * streaming consumers. Findings switched off are left out; an empty report means no
 * findings (the exit status and stderr carry notifications). */
#include "output/output.h"

#include <jansson.h>
#include <stdio.h>

bool il_output_json_lines(FILE *out, const il_output_opts *o, const il_config *cfg,
                          const il_result *r) {
  (void)o;
  (void)cfg; /* findings already carry their effective level */
  bool ok = true;
  for (uint32_t i = 0; i < r->findings.len && ok; i++) {
    const il_finding *f = &r->findings.data[i];
    if (f->level == IL_LEVEL_OFF)
      continue;
    json_t *obj = il_json_finding(f);
    ok = json_dumpf(obj, out, JSON_COMPACT | JSON_PRESERVE_ORDER) == 0 && fputc('\n', out) != EOF;
    json_decref(obj);
  }
  return fflush(out) == 0 && ok && !ferror(out);
}
