/*
 * il_parse_only: the "parse-only floor" isolint is benchmarked against.
 *
 * Parses every given file with tree-sitter, single-threaded, with the same
 * grammar choice as isolint (.ts .mts .cts -> tree_sitter_typescript;
 * .tsx .jsx .js .mjs .cjs -> tree_sitter_tsx): read the file fully, parse it,
 * delete the tree. No tree walk, no analysis. Prints the number of files and
 * bytes parsed (and how many trees contain an ERROR/MISSING node, which is an
 * O(1) check on the root).
 *
 * Usage: il_parse_only [--pool] [--files-from FILE]... [PATH]...
 *   --pool: tree-sitter allocates from isolint's per-thread pool
 *   (analyzer/frontend/ts_pool.h) instead of malloc, with a parser per file whose
 *   pool is given back after the file, as isolint does: the parse isolint runs.
 *   PATH: a file (parsed if its extension is one of the eight above) or a
 *   directory, walked recursively; below the given root, directories named
 *   node_modules or .git are skipped and symbolic links to directories are
 *   not followed. FILE lists one path per line ("-" is standard input).
 * Exit status: 0, or 2 if a path could not be read or an option is wrong
 * (every other file is still parsed).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <tree_sitter/api.h>

#include "../analyzer/frontend/ts_pool.h"

const TSLanguage *tree_sitter_typescript(void);
const TSLanguage *tree_sitter_tsx(void);

enum lang { LANG_NONE, LANG_TS, LANG_TSX };

struct state {
  TSParser *parser;
  enum lang current;
  char *buf;
  size_t cap;
  unsigned long long files;
  unsigned long long bytes;
  unsigned long long with_errors;
  int failed;
  int pool; /* --pool: a parser per file, on the pool */
};

static enum lang lang_of(const char *path) {
  const char *slash = strrchr(path, '/');
  const char *base = slash ? slash + 1 : path;
  const char *dot = strrchr(base, '.');
  if (!dot || dot == base) return LANG_NONE;
  const char *ext = dot + 1;
  if (!strcmp(ext, "ts") || !strcmp(ext, "mts") || !strcmp(ext, "cts")) return LANG_TS;
  if (!strcmp(ext, "tsx") || !strcmp(ext, "jsx") || !strcmp(ext, "js") || !strcmp(ext, "mjs") ||
      !strcmp(ext, "cjs"))
    return LANG_TSX;
  return LANG_NONE;
}

/* Reads the whole file into st->buf; returns its length or -1 (errno set). */
static long long read_all(struct state *st, const char *path) {
  int fd = open(path, O_RDONLY);
  if (fd < 0) return -1;
  struct stat sb;
  if (fstat(fd, &sb) != 0) {
    int e = errno;
    close(fd);
    errno = e;
    return -1;
  }
  size_t want = sb.st_size > 0 ? (size_t)sb.st_size + 1 : 4096;
  size_t len = 0;
  for (;;) {
    if (len + 1 >= st->cap || want > st->cap) {
      size_t ncap = st->cap ? st->cap : 4096;
      while (ncap < want || ncap <= len + 1) ncap *= 2;
      char *nb = realloc(st->buf, ncap);
      if (!nb) {
        close(fd);
        errno = ENOMEM;
        return -1;
      }
      st->buf = nb;
      st->cap = ncap;
    }
    ssize_t n = read(fd, st->buf + len, st->cap - len - 1);
    if (n < 0) {
      if (errno == EINTR) continue;
      int e = errno;
      close(fd);
      errno = e;
      return -1;
    }
    if (n == 0) break;
    len += (size_t)n;
    want = len + 1;
  }
  close(fd);
  if (len > UINT32_MAX) {
    errno = EFBIG;
    return -1;
  }
  st->buf[len] = '\0';
  return (long long)len;
}

static void parse_file(struct state *st, const char *path, enum lang lang) {
  long long len = read_all(st, path);
  if (len < 0) {
    fprintf(stderr, "il_parse_only: %s: %s\n", path, strerror(errno));
    st->failed = 1;
    return;
  }
  if (!st->parser) {
    st->parser = ts_parser_new();
    st->current = LANG_NONE;
  }
  if (lang != st->current) {
    const TSLanguage *l = lang == LANG_TS ? tree_sitter_typescript() : tree_sitter_tsx();
    if (!ts_parser_set_language(st->parser, l)) {
      fprintf(stderr, "il_parse_only: grammar ABI %u not supported by this tree-sitter library\n",
              ts_language_version(l));
      exit(2);
    }
    st->current = lang;
  }
  TSTree *tree = ts_parser_parse_string(st->parser, NULL, st->buf, (uint32_t)len);
  if (!tree) {
    fprintf(stderr, "il_parse_only: %s: parse failed\n", path);
    st->failed = 1;
    ts_parser_reset(st->parser);
    return;
  }
  if (ts_node_has_error(ts_tree_root_node(tree))) st->with_errors++;
  ts_tree_delete(tree);
  if (st->pool) {
    ts_parser_delete(st->parser);
    st->parser = NULL;
    ts_pool_release();
  }
  st->files++;
  st->bytes += (unsigned long long)len;
}

static void walk(struct state *st, const char *dir) {
  DIR *d = opendir(dir);
  if (!d) {
    fprintf(stderr, "il_parse_only: %s: %s\n", dir, strerror(errno));
    st->failed = 1;
    return;
  }
  size_t dlen = strlen(dir);
  while (dlen > 1 && dir[dlen - 1] == '/') dlen--;
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    const char *name = e->d_name;
    if (!strcmp(name, ".") || !strcmp(name, "..")) continue;
    size_t nlen = strlen(name);
    char *child = malloc(dlen + 1 + nlen + 1);
    if (!child) {
      fprintf(stderr, "il_parse_only: out of memory\n");
      exit(2);
    }
    memcpy(child, dir, dlen);
    child[dlen] = '/';
    memcpy(child + dlen + 1, name, nlen + 1);
    struct stat sb;
    if (lstat(child, &sb) != 0) {
      fprintf(stderr, "il_parse_only: %s: %s\n", child, strerror(errno));
      st->failed = 1;
    } else if (S_ISDIR(sb.st_mode)) {
      if (strcmp(name, "node_modules") != 0 && strcmp(name, ".git") != 0) walk(st, child);
    } else {
      enum lang lang = lang_of(name);
      /* A symbolic link is parsed if it leads to a regular file. */
      if (lang != LANG_NONE &&
          (S_ISREG(sb.st_mode) || (S_ISLNK(sb.st_mode) && stat(child, &sb) == 0 &&
                                   S_ISREG(sb.st_mode))))
        parse_file(st, child, lang);
    }
    free(child);
  }
  closedir(d);
}

static void visit(struct state *st, const char *path) {
  struct stat sb;
  if (stat(path, &sb) != 0) {
    fprintf(stderr, "il_parse_only: %s: %s\n", path, strerror(errno));
    st->failed = 1;
    return;
  }
  if (S_ISDIR(sb.st_mode)) {
    walk(st, path);
    return;
  }
  enum lang lang = lang_of(path);
  if (lang == LANG_NONE) {
    fprintf(stderr, "il_parse_only: %s: not a .ts .tsx .mts .cts .js .jsx .mjs .cjs file\n", path);
    st->failed = 1;
    return;
  }
  parse_file(st, path, lang);
}

static void files_from(struct state *st, const char *list) {
  FILE *f = strcmp(list, "-") ? fopen(list, "r") : stdin;
  if (!f) {
    fprintf(stderr, "il_parse_only: --files-from %s: %s\n", list, strerror(errno));
    st->failed = 1;
    return;
  }
  char *line = NULL;
  size_t lcap = 0;
  ssize_t n;
  while ((n = getline(&line, &lcap, f)) > 0) {
    while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r')) line[--n] = '\0';
    if (n > 0) visit(st, line);
  }
  free(line);
  if (f != stdin) fclose(f);
}

static void usage(FILE *out) {
  fputs("usage: il_parse_only [--pool] [--files-from FILE]... [PATH]...\n"
        "Parses each .ts .tsx .mts .cts .js .jsx .mjs .cjs file (directories recursively)\n"
        "with tree-sitter, single-threaded, and prints the files and bytes parsed.\n"
        "--pool: allocate as isolint does (a per-thread pool, a parser per file).\n",
        out);
}

int main(int argc, char **argv) {
  struct state st;
  memset(&st, 0, sizeof st);
  for (int i = 1; i < argc && strcmp(argv[i], "--"); i++)
    if (!strcmp(argv[i], "--pool")) st.pool = 1;
  if (st.pool) ts_set_allocator(ts_pool_malloc, ts_pool_calloc, ts_pool_realloc, ts_pool_free);
  st.parser = ts_parser_new();
  if (!st.parser) {
    fprintf(stderr, "il_parse_only: cannot create a parser\n");
    return 2;
  }
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  int any = 0, options_done = 0;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (!options_done && !strcmp(a, "--")) {
      options_done = 1;
    } else if (!options_done && !strcmp(a, "--files-from")) {
      if (i + 1 >= argc) {
        fprintf(stderr, "il_parse_only: --files-from needs a FILE\n");
        return 2;
      }
      files_from(&st, argv[++i]);
      any = 1;
    } else if (!options_done && !strncmp(a, "--files-from=", 13)) {
      files_from(&st, a + 13);
      any = 1;
    } else if (!options_done && !strcmp(a, "--pool")) {
      /* read before the parser was made */
    } else if (!options_done && (!strcmp(a, "-h") || !strcmp(a, "--help"))) {
      usage(stdout);
      return 0;
    } else if (!options_done && a[0] == '-' && a[1] != '\0') {
      fprintf(stderr, "il_parse_only: unknown option %s\n", a);
      usage(stderr);
      return 2;
    } else {
      visit(&st, a);
      any = 1;
    }
  }
  if (!any) visit(&st, ".");
  clock_gettime(CLOCK_MONOTONIC, &t1);
  double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
  printf("files %llu\nbytes %llu\ntrees_with_errors %llu\nseconds %.3f\n", st.files, st.bytes,
         st.with_errors, secs);
  ts_parser_delete(st.parser);
  free(st.buf);
  return st.failed ? 2 : 0;
}
