/* libFuzzer harness: the warm-run cache's facts loader (il_facts_load, the pure
 * decoder of analyzer/facts/facts_io.c), whose input is a cache file anyone who
 * can write the cache directory controls. When it accepts a blob, the facts go
 * through the rest of the pipeline as cached facts do in a scan (bind, knowledge
 * base, every rule) and the findings are written in every format: "facts the
 * rules can run on" is part of the loader's contract.
 *
 * Input: a selector byte (bits 0-1 the language: 0 .ts, 1 .tsx, 2 .js, 3 .jsx; bit 2:
 * load detached, without the text, as a warm run's stat hit does), a 16-bit
 * little-endian text length, that many bytes of source text (clamped to what is
 * there), then the blob. The seed corpus (fuzz_cache_seeds) holds the fixtures' real
 * blobs, in both modes. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/analyze_int.h"
#include "fuzz_common.h"
#include "facts/cache.h"
#include "facts/facts.h"

static il_config cfg;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  fuzz_process_init();
  fuzz_config_init(&cfg);
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 3)
    return 0;
  static const il_lang langs[] = {IL_LANG_TS, IL_LANG_TSX, IL_LANG_JS, IL_LANG_JS};
  static const char *const paths[] = {"src/c.ts", "src/c.tsx", "src/c.js", "src/c.jsx"};
  unsigned sel = data[0] & 3;
  bool detached = (data[0] & 4) != 0;
  size_t n = (size_t)data[1] | (size_t)data[2] << 8;
  if (n > size - 3)
    n = size - 3;
  /* the text in its own allocation, so reading past it is caught */
  char *src = il_xmalloc(n ? n : 1);
  memcpy(src, data + 3, n);
  const uint8_t *blob = data + 3 + n;
  size_t blob_len = size - 3 - n;
  char *err = NULL;
  il_facts *f = il_facts_load(blob, blob_len, paths[sel], langs[sel], detached ? NULL : src, n,
                              &err);
  if (!f && (!err || !*err)) {
    fprintf(stderr, "fuzz: il_facts_load rejected a blob without a message\n");
    abort();
  }
  if (f && err) {
    fprintf(stderr, "fuzz: il_facts_load accepted a blob but set an error: %s\n", err);
    abort();
  }
  free(err);
  if (f) {
    il_result r;
    il_result_init(&r);
    il_file_out out;
    il_file_out_init(&out);
    il_facts_bind(f);
    for (uint32_t i = 0; i < f->refs.len; i++) /* what the cross-file pass reads */
      (void)il_facts_ref_member(f, i);
    if (detached && (data[0] & 8))
      il_facts_reduce(f, true, (data[0] & 16) != 0); /* as phase 1 leaves a finished file */
    else if (detached)
      il_facts_drop_unbound_refs(f);
    il_prepared p = {.f = f, .path = il_arena_strdup(out.arena, paths[sel])};
    il_file_finish(&cfg, &p, &out); /* frees f */
    il_file_out_move(&out, &r);
    r.n_files++;
    fuzz_write_all(&cfg, &r, 0);
    il_result_fini(&r);
  }
  free(src);
  return 0;
}
