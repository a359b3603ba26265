/* Writes fuzz_cache's seed corpus: for each TS/JS file given, the input the
 * harness takes (selector byte, 16-bit text length, text, il_facts_save blob), once
 * loaded over the text and once without it.
 *   fuzz_cache_seeds OUT_DIR FILE... */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "facts/cache.h"
#include "facts/facts.h"
#include "frontend/frontend.h"
#include "core/run.h"

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: fuzz_cache_seeds OUT_DIR FILE...\n");
    return 2;
  }
  int written = 0;
  for (int i = 2; i < argc; i++) {
    int lang;
    if (!il_lang_of_path(argv[i], &lang) || lang == IL_LANG_C)
      continue;
    FILE *fp = fopen(argv[i], "rb");
    if (!fp)
      continue;
    char *text = il_xmalloc(65536);
    size_t n = fread(text, 1, 65535, fp);
    fclose(fp);
    il_facts *f = il_facts_new(argv[i], (il_lang)lang, text, n);
    char *err = NULL;
    uint8_t *blob = NULL;
    size_t blob_len = 0;
    if (il_ts_extract(f, &err) && il_facts_save(f, &blob, &blob_len)) {
      const char *ext = strrchr(argv[i], '.');
      unsigned sel = lang == IL_LANG_TSX ? 1 : lang == IL_LANG_JS ? (strcmp(ext, ".jsx") ? 2 : 3) : 0;
      for (unsigned detached = 0; detached < 2; detached++) { /* bit 2: loaded without the text */
        char *out = il_xasprintf("%s/seed%04d", argv[1], written);
        FILE *o = fopen(out, "wb");
        if (o) {
          unsigned char head[3] = {(unsigned char)(sel | detached << 2), (unsigned char)(n & 255),
                                   (unsigned char)(n >> 8)};
          fwrite(head, 1, 3, o);
          fwrite(text, 1, n, o);
          fwrite(blob, 1, blob_len, o);
          written += fclose(o) == 0;
        }
        free(out);
      }
    }
    free(err);
    free(blob);
    il_facts_free(f);
    free(text);
  }
  printf("fuzz_cache_seeds: %d seeds\n", written);
  return written ? 0 : 1;
}
