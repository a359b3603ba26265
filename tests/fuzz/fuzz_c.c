/* libFuzzer harness: the C front-end (libclang on an unsaved-file buffer, with
 * the prelude of declarations for unknown names) and every rule, then every
 * output writer. The input is the whole C file; the prefilter is off so each
 * input is parsed. The file "lives" in a directory that does not exist, so no
 * compile_commands.json of the machine applies and the flags are the defaults. */
#include <stdint.h>
#include <stdlib.h>

#include "fuzz_common.h"

static il_config cfg;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  fuzz_process_init();
  fuzz_config_init(&cfg);
  cfg.no_prefilter = true;
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  il_result r;
  il_result_init(&r);
  il_analyze_text(&cfg, "/nonexistent-isolint-fuzz/src/fuzz.c", (const char *)data, size, &r);
  fuzz_write_all(&cfg, &r, 0);
  il_result_fini(&r);
  return 0;
}
