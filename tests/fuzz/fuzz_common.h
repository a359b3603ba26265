/* Shared pieces of the libFuzzer harnesses (tests/fuzz, docs/fuzzing.md): the
 * configuration with the built-in knowledge base, a scratch file for the loaders
 * that read a path, and every output writer run over a result. */
#ifndef IL_FUZZ_COMMON_H
#define IL_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>

#include "core/run.h"

/* The configuration every harness starts from (built-in kb of the source tree);
 * aborts when the knowledge base does not load: the harness would test nothing. */
void fuzz_config_init(il_config *cfg);

/* Writes `data` to this process's scratch file and returns its path: the config
 * and baseline loaders read files, as they do in a real run. */
const char *fuzz_scratch_write(const uint8_t *data, size_t size);

/* Sorts and fingerprints r, then writes it in every format to /dev/null; `sel`
 * picks the writers' options (colour, SARIF category). Aborts when a writer
 * reports failure: /dev/null never fails, so that would be a bug. */
void fuzz_write_all(const il_config *cfg, il_result *r, unsigned sel);

/* Process-wide setup the libclang harness needs too: no libclang crash recovery
 * (it would hide crashes from the fuzzer). Called from LLVMFuzzerInitialize. */
void fuzz_process_init(void);

#endif
