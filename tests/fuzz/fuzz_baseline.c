/* libFuzzer harness: the SARIF baseline reader (il_baseline_apply, `isolint
 * scan --baseline`). The input is the whole SARIF file; it is applied to the
 * findings of a fixed file, tests/fuzz/baseline/src/worker.ts, that has
 * several (two on one line, so the one-entry-per-finding matching is exercised;
 * the seed corpus holds the SARIF isolint writes for it), then the result is written in
 * every format (SARIF carries the baselineState). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "output/output.h"

static il_config cfg;

static char *program; /* FUZZ_BASELINE_PROGRAM: tests/fuzz/baseline/src/worker.ts */
static size_t program_len;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  fuzz_process_init();
  fuzz_config_init(&cfg);
  FILE *fp = fopen(FUZZ_BASELINE_PROGRAM, "rb");
  program = il_xmalloc(1 << 16);
  program_len = fp ? fread(program, 1, 1 << 16, fp) : 0;
  if (!fp || !program_len) {
    fprintf(stderr, "fuzz: cannot read %s\n", FUZZ_BASELINE_PROGRAM);
    abort();
  }
  fclose(fp);
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  il_result r;
  il_result_init(&r);
  il_analyze_text(&cfg, "src/worker.ts", program, program_len, &r);
  il_result_sort(&r);
  il_result_fingerprint(&r);
  if (!r.findings.len) {
    fprintf(stderr, "fuzz: the fixed program has no finding: the harness tests nothing\n");
    abort();
  }
  const char *path = fuzz_scratch_write(data, size);
  char *err = NULL;
  if (il_baseline_apply(&r, path, &err)) {
    if (err) {
      fprintf(stderr, "fuzz: il_baseline_apply succeeded but set an error: %s\n", err);
      abort();
    }
  } else if (!err || !*err) {
    fprintf(stderr, "fuzz: il_baseline_apply failed without an error message\n");
    abort();
  }
  free(err);
  fuzz_write_all(&cfg, &r, 0x20);
  il_result_fini(&r);
  return 0;
}
