/* libFuzzer harness: the isolint.json loader (il_config_load: rule levels,
 * include/exclude/handlers lists, "clients" knowledge-base rows, target), then,
 * when the file loads, one TypeScript file analyzed with that configuration and
 * written in every format. The file uses the first client row the configuration
 * added (its module and export, as `new` and as a call), so the fuzzer reaches
 * the matching of user-written rows, globs included. The input is the whole
 * isolint.json. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  fuzz_process_init();
  return 0;
}

/* A TypeScript file constructing the client of `row` in module scope, called
 * from a handler, plus one built-in client and a custom handler name. */
static char *program_for(const il_kb_row *row) {
  const char *mod = row && row->module ? row->module : "pg";
  const char *exp = row && row->export ? row->export : "Pool";
  char name[64];
  size_t n = 0;
  for (const char *p = exp; *p && *p != '.' && n < sizeof name - 1; p++)
    name[n++] = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || *p == '_' ? *p : 'X';
  name[n] = '\0';
  if (!n || strcmp(exp, "default") == 0)
    strcpy(name, "Client");
  return il_xasprintf("import { %s as C } from \"%s\";\n"
                      "import * as NS from \"%s\";\n"
                      "import { Pool } from \"pg\";\n"
                      "const a = new C();\n"
                      "const b = C();\n"
                      "const c = new NS.%s();\n"
                      "const pool = new Pool();\n"
                      "export function handle(req: Request) { return [a, b, c, pool]; }\n"
                      "export default { async fetch(req: Request) { return handle(req); } };\n",
                      name, mod, mod, exp);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  il_config cfg;
  fuzz_config_init(&cfg);
  const char *path = fuzz_scratch_write(data, size);
  char *err = NULL;
  if (il_config_load(&cfg, path, &err)) {
    if (err) {
      fprintf(stderr, "fuzz: il_config_load succeeded but set an error: %s\n", err);
      abort();
    }
    uint32_t n = il_kb_count(cfg.kb);
    const il_kb_row *row =
        n > cfg.n_builtin_clients ? il_kb_row_at(cfg.kb, cfg.n_builtin_clients) : NULL;
    char *text = program_for(row);
    il_result r;
    il_result_init(&r);
    il_analyze_text(&cfg, "src/worker.ts", text, strlen(text), &r);
    fuzz_write_all(&cfg, &r, 0x30);
    il_result_fini(&r);
    free(text);
  } else if (!err || !*err) {
    fprintf(stderr, "fuzz: il_config_load failed without an error message\n");
    abort();
  }
  free(err);
  il_config_fini(&cfg);
  return 0;
}
