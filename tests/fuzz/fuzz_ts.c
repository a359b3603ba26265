/* libFuzzer harness: the TypeScript/TSX/JavaScript front-end, every rule and
 * every output writer on one in-memory file (il_analyze_text, the path `isolint
 * scan --stdin-filename` takes).
 *
 * Input: one selector byte, then the source text. Selector bits:
 *   0x03  language: 0 .ts, 1 .tsx, 2 .js, 3 .jsx
 *   0x04  keep the prefilter (a file naming no client module is not parsed);
 *         clear: parse every file (--no-prefilter)
 *   0x08  "target": "node" (clients constructed in module scope are fine there)
 *   0x10  colour in the text writer
 *   0x20  a SARIF category
 * The seed corpus (make_corpus.sh) prefixes each fixture with '0'..'3'. */
#include <stdint.h>
#include <stdlib.h>

#include "fuzz_common.h"

static il_config cfg;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  fuzz_process_init();
  fuzz_config_init(&cfg);
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1)
    return 0;
  static const char *const paths[] = {"src/fuzz.ts", "src/fuzz.tsx", "src/fuzz.js",
                                      "src/fuzz.jsx"};
  unsigned sel = data[0];
  cfg.no_prefilter = (sel & 0x04) == 0;
  cfg.target = (sel & 0x08) ? IL_TARGET_NODE : IL_TARGET_AUTO;
  il_result r;
  il_result_init(&r);
  il_analyze_text(&cfg, paths[sel & 3], (const char *)data + 1, size - 1, &r);
  fuzz_write_all(&cfg, &r, sel);
  il_result_fini(&r);
  return 0;
}
