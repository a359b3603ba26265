/* Pieces shared by the subcommands: usage errors, config discovery and
 * loading, atomic report files. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

_Noreturn void cli_die_usage(const char *fmt, const char *arg) {
  fprintf(stderr, "isolint: ");
  fprintf(stderr, fmt, arg);
  fprintf(stderr, "\nTry 'isolint --help'.\n");
  exit(EXIT_TROUBLE);
}

char *cli_find_config(const char *start) {
  char *dir = realpath(start, NULL);
  if (!dir)
    return NULL;
  struct stat st;
  if (stat(dir, &st) == 0 && !S_ISDIR(st.st_mode)) {
    char *slash = strrchr(dir, '/');
    if (slash)
      *(slash == dir ? slash + 1 : slash) = '\0';
  }
  for (;;) {
    char *cand = il_xasprintf("%s%sisolint.json", dir, strcmp(dir, "/") == 0 ? "" : "/");
    if (stat(cand, &st) == 0 && S_ISREG(st.st_mode)) {
      free(dir);
      return cand;
    }
    free(cand);
    char *slash = strrchr(dir, '/');
    if (!slash || strcmp(dir, "/") == 0)
      break;
    *(slash == dir ? slash + 1 : slash) = '\0';
  }
  free(dir);
  return NULL;
}

void cli_config_base(il_config *base, const char *kb_dir) {
  char *err = NULL;
  if (!il_config_init(base, kb_dir, &err)) {
    fprintf(stderr, "isolint: %s\n", err);
    free(err);
    il_config_fini(base);
    exit(EXIT_TROUBLE);
  }
}

il_config_set *cli_config_set(il_config *base, const il_config_layer *cli, const char *config,
                              bool no_config) {
  struct stat st;
  if (config && stat(config, &st) != 0) {
    fprintf(stderr, "isolint: --config %s: %s\n", config, strerror(errno));
    il_config_fini(base);
    exit(EXIT_TROUBLE);
  }
  char *err = NULL;
  il_config_set *set = il_config_set_new(base, cli, config, no_config, &err);
  if (!set) {
    fprintf(stderr, "isolint: %s\n", err);
    free(err);
    il_config_fini(base);
    exit(EXIT_TROUBLE);
  }
  return set;
}

void cli_config_check(il_config_set *set, il_config *base) {
  const char *err = il_config_set_error(set);
  if (!err)
    return;
  fprintf(stderr, "isolint: %s\n", err);
  il_config_set_free(set);
  il_config_fini(base);
  exit(EXIT_TROUBLE);
}

bool cli_is_special_file(const char *path) {
  struct stat st;
  return stat(path, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode);
}

bool cli_write_with(const char *path, bool (*write)(FILE *, void *), void *ctx,
                    const char *what) {
  /* over a file size limit (ulimit -f), a write must fail with EFBIG and leave no
   * temporary file, not kill the process half-way */
  signal(SIGXFSZ, SIG_IGN);
  if (cli_is_special_file(path)) {
    /* a device (/dev/null, /dev/stdout) or a FIFO: written in place, since a
     * rename() over it would replace it (as root, even /dev/null) */
    FILE *fp = fopen(path, "w");
    if (!fp) {
      fprintf(stderr, "isolint: %s: cannot open the output file: %s\n", path, strerror(errno));
      return false;
    }
    bool ok = write(fp, ctx) && fflush(fp) == 0;
    int saved = errno;
    if (fclose(fp) != 0 && ok) {
      ok = false;
      saved = errno;
    }
    if (!ok)
      fprintf(stderr, "isolint: %s: cannot write the %s: %s\n", path, what, strerror(saved));
    return ok;
  }
  char *tmp = il_xasprintf("%s.tmp.XXXXXX", path);
  int fd = mkstemp(tmp);
  if (fd < 0) {
    fprintf(stderr, "isolint: %s: cannot create the output file: %s\n", path, strerror(errno));
    free(tmp);
    return false;
  }
  FILE *fp = fdopen(fd, "w");
  bool ok = fp && write(fp, ctx);
  ok = ok && fflush(fp) == 0 && fsync(fileno(fp)) == 0;
  int saved = errno;
  if (fp) {
    if (fclose(fp) != 0 && ok) {
      ok = false;
      saved = errno;
    }
  } else {
    close(fd);
  }
  if (ok)
    chmod(tmp, 0644);
  if (ok && rename(tmp, path) != 0) {
    ok = false;
    saved = errno;
  }
  if (!ok) {
    fprintf(stderr, "isolint: %s: cannot write the %s: %s\n", path, what, strerror(saved));
    unlink(tmp);
  }
  free(tmp);
  return ok;
}

typedef struct {
  const il_output_opts *o;
  const il_config *cfg;
  const il_result *r;
} report_ctx;

static bool write_report(FILE *fp, void *ctx) {
  const report_ctx *c = ctx;
  return il_output_write(fp, c->o, c->cfg, c->r);
}

bool cli_write_atomic(const char *path, const il_output_opts *o, const il_config *cfg,
                      const il_result *r) {
  report_ctx c = {o, cfg, r};
  return cli_write_with(path, write_report, &c, "report");
}
