/* Reporter dispatch: one writer per format, chosen by the CLI's --format. */
#include "output/output.h"

bool il_output_write(FILE *out, const il_output_opts *o, const il_config *cfg, const il_result *r) {
  switch (o->format) {
  case IL_FMT_TEXT:
    return il_output_text(out, o, cfg, r);
  case IL_FMT_JSON:
    return il_output_json(out, o, cfg, r);
  case IL_FMT_SARIF:
    return il_output_sarif(out, o, cfg, r);
  case IL_FMT_CONCISE:
    return il_output_concise(out, o, cfg, r);
  case IL_FMT_GITHUB:
    return il_output_github(out, o, cfg, r);
  case IL_FMT_GITLAB:
    return il_output_gitlab(out, o, cfg, r);
  case IL_FMT_JUNIT:
    return il_output_junit(out, o, cfg, r);
  case IL_FMT_CHECKSTYLE:
    return il_output_checkstyle(out, o, cfg, r);
  case IL_FMT_RDJSON:
    return il_output_rdjson(out, o, cfg, r);
  case IL_FMT_JSON_LINES:
    return il_output_json_lines(out, o, cfg, r);
  }
  return false; /* not an il_format: nothing written */
}
