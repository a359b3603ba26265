/* libFuzzer harness: the TypeScript/TSX/JavaScript front-end, every rule and
 * every output writer on one in-memory file (il_analyze_text, the path `isolint
 * scan --stdin-filename` takes), or on a small project written to a scratch
 * directory and scanned with il_scan (discovery, tsconfig/package.json/wrangler
 * files, the module graph and the cross-file rules).
 *
 * Input: one selector byte, then the text. Selector bits:
 *   0x03  language of the (first) file: 0 .ts, 1 .tsx, 2 .js, 3 .jsx
 *   0x04  keep the prefilter (a file naming no client module is not parsed);
 *         clear: parse every file (--no-prefilter)
 *   0x08  "target": "node"
 *   0x10  colour in the text writer
 *   0x20  a SARIF category
 *   0x40  project mode: the text is files, each after a line `//--- PATH` (the
 *         text before the first such line is src/index.<language>); PATH is kept
 *         to [A-Za-z0-9._-/] without `..`, at most 16 files
 * The seed corpus (make_corpus.sh) prefixes each fixture with '0'..'3', and each
 * project of fixtures/ts-projects, in project mode, with 't' (0x74: prefilter on). */
#define _XOPEN_SOURCE 700 /* nftw */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz_common.h"

#define MAX_FILES 16
#define MAX_PATH_LEN 96

static il_config cfg;
static char scratch[64]; /* the project directory, the working directory of a scan */
static int home_fd = -1; /* the working directory libFuzzer's relative paths need */

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
  if (ftw->level > 0)
    remove(path);
  return 0;
}

static void clear_scratch(void) { nftw(scratch, remove_entry, 16, FTW_DEPTH | FTW_PHYS); }

static void remove_scratch(void) {
  clear_scratch();
  rmdir(scratch);
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  fuzz_process_init();
  fuzz_config_init(&cfg);
  /* a project is scanned from a directory of our own, so nothing of the machine
   * is; the fuzzer's own working directory is restored after each scan */
  const char *tmp = getenv("TMPDIR");
  snprintf(scratch, sizeof scratch, "%.32s/il-fuzz-ts-XXXXXX", tmp && *tmp ? tmp : "/tmp");
  if (!mkdtemp(scratch) || (home_fd = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
    perror("fuzz: scratch directory");
    abort();
  }
  atexit(remove_scratch);
  return 0;
}

/* mkdir -p of the directories of `path` (relative to the scratch directory). */
static bool make_parents(char *path) {
  for (char *s = strchr(path, '/'); s; s = strchr(s + 1, '/')) {
    *s = '\0';
    bool ok = mkdir(path, 0755) == 0 || errno == EEXIST;
    *s = '/';
    if (!ok)
      return false;
  }
  return true;
}

/* A file name from a `//--- ` header: allowed characters only, no `..`, no
 * leading or doubled '/'; false when nothing usable is left. */
static bool clean_path(const char *s, size_t n, char *out) {
  size_t w = 0;
  for (size_t i = 0; i < n && w < MAX_PATH_LEN; i++) {
    char c = s[i];
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == '-' || c == '/';
    if (!ok || (c == '/' && (w == 0 || out[w - 1] == '/')) ||
        (c == '.' && w > 0 && out[w - 1] == '.'))
      continue;
    out[w++] = c;
  }
  while (w && out[w - 1] == '/')
    w--;
  out[w] = '\0';
  return w > 0 && strcmp(out, ".") != 0;
}

static void write_file(const char *path, const char *text, size_t len) {
  char p[MAX_PATH_LEN + 1];
  snprintf(p, sizeof p, "%s", path);
  if (!make_parents(p))
    return;
  FILE *fp = fopen(p, "wb");
  if (!fp)
    return; /* a name that is also a directory: skipped */
  fwrite(text, 1, len, fp);
  fclose(fp);
}

static void project(const char *text, size_t len, const char *first_path, il_result *r) {
  if (chdir(scratch) != 0) {
    perror("fuzz: chdir");
    abort();
  }
  static const char header[] = "//--- ";
  const size_t hn = sizeof header - 1;
  const char *end = text + len, *p = text;
  char path[MAX_PATH_LEN + 1];
  snprintf(path, sizeof path, "%s", first_path);
  for (int files = 0; p <= end && files < MAX_FILES; files++) {
    /* the next header at a line start */
    const char *h = p;
    while (h < end &&
           !((h == text || h[-1] == '\n') && (size_t)(end - h) >= hn && memcmp(h, header, hn) == 0))
      h++;
    write_file(path, p, (size_t)(h - p));
    if (h >= end)
      break;
    const char *name = h + hn, *nl = memchr(name, '\n', (size_t)(end - name));
    if (!nl)
      nl = end;
    if (!clean_path(name, (size_t)(nl - name), path))
      snprintf(path, sizeof path, "src/file%d.ts", files);
    p = nl < end ? nl + 1 : end;
  }
  static const char *const paths[] = {"."};
  il_scan_opts o = {.paths = paths, .n_paths = 1, .jobs = 1};
  il_scan(&cfg, &o, r);
  clear_scratch();
  if (fchdir(home_fd) != 0) {
    perror("fuzz: fchdir");
    abort();
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1)
    return 0;
  static const char *const paths[] = {"src/index.ts", "src/index.tsx", "src/index.js",
                                      "src/index.jsx"};
  unsigned sel = data[0];
  cfg.no_prefilter = (sel & 0x04) == 0;
  cfg.target = (sel & 0x08) ? IL_TARGET_NODE : IL_TARGET_AUTO;
  il_result r;
  il_result_init(&r);
  if (sel & 0x40)
    project((const char *)data + 1, size - 1, paths[sel & 3], &r);
  else
    il_analyze_text(&cfg, paths[sel & 3], (const char *)data + 1, size - 1, &r);
  fuzz_write_all(&cfg, &r, sel);
  il_result_fini(&r);
  return 0;
}
