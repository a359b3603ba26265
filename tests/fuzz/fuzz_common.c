#include "fuzz_common.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "output/output.h"

void fuzz_process_init(void) {
  /* libclang catches crashes of its parser in a recovery context (signal
   * handlers): the fuzzer must see them. No background thread either. */
  setenv("LIBCLANG_DISABLE_CRASH_RECOVERY", "1", 1);
  setenv("LIBCLANG_NOTHREADS", "1", 1);
}

void fuzz_config_init(il_config *cfg) {
  char *err = NULL;
  if (!il_config_init(cfg, FUZZ_KB_DIR, &err)) {
    fprintf(stderr, "fuzz: cannot load the knowledge base %s: %s\n", FUZZ_KB_DIR, err ? err : "?");
    abort();
  }
}

const char *fuzz_scratch_write(const uint8_t *data, size_t size) {
  static char path[64];
  static int fd = -1;
  if (fd < 0) {
    /* unlinked at once and reopened through /proc: nothing is left behind */
    const char *tmp = getenv("TMPDIR");
    char name[64];
    snprintf(name, sizeof name, "%.32s/il-fuzz-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    fd = mkstemp(name);
    if (fd < 0) {
      perror("fuzz: mkstemp");
      abort();
    }
    unlink(name);
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
  }
  if (ftruncate(fd, 0) != 0 || (size && pwrite(fd, data, size, 0) != (ssize_t)size)) {
    perror("fuzz: scratch file");
    abort();
  }
  return path;
}

void fuzz_write_all(const il_config *cfg, il_result *r, unsigned sel) {
  static FILE *devnull;
  if (!devnull && !(devnull = fopen("/dev/null", "w"))) {
    perror("fuzz: /dev/null");
    abort();
  }
  il_result_sort(r);
  il_result_fingerprint(r);
  static const il_format formats[] = {IL_FMT_TEXT,   IL_FMT_CONCISE,    IL_FMT_JSON,
                                      IL_FMT_SARIF,  IL_FMT_GITHUB,     IL_FMT_GITLAB,
                                      IL_FMT_JUNIT,  IL_FMT_CHECKSTYLE, IL_FMT_RDJSON,
                                      IL_FMT_JSON_LINES};
  for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++) {
    il_output_opts o = {.format = formats[i],
                        .color = (sel & 0x10) != 0,
                        .exit_code = r->findings.len ? 1 : 0,
                        .sarif_category = (sel & 0x20) ? "fuzz/category" : NULL};
    if (!il_output_write(devnull, &o, cfg, r)) {
      fprintf(stderr, "fuzz: writer %zu failed on /dev/null\n", i);
      abort();
    }
  }
}
