/* The POSIX functions isolint uses that wasi-libc (Debian 12's, WASI preview 1) lacks, for
 * the WASI build, and the start-up step that gives the module the host's working directory.
 * Declared by the stdlib.h and sys/stat.h beside this file, which wrap wasi-libc's. */
#include <stdlib.h> /* these two are the wrappers beside this file */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

void il_wasi_cwd_init(void) __attribute__((constructor));

/* wasi-libc starts every program in "/". The launcher (npm/isolint/bin/isolint.js) maps the
 * host's "/" as the guest's and passes its working directory in PWD: start there, so that
 * relative paths, and the paths that SARIF and the other outputs print, are the native
 * build's. Kept alive by -Wl,--undefined (cmake/wasi_deps.cmake). */
void il_wasi_cwd_init(void) {
  const char *pwd = getenv("PWD");
  if (pwd && pwd[0] == '/')
    (void)chdir(pwd);
}

/* WASI has no permission bits: the host decides them (Node creates files 0666 & ~its umask) */
static mode_t current_mask = 022;

mode_t umask(mode_t mask) {
  mode_t old = current_mask;
  current_mask = mask & 0777;
  return old;
}

int chmod(const char *path, mode_t mode) {
  (void)mode;
  struct stat st;
  return stat(path, &st); /* ENOENT as POSIX says, else nothing to do */
}

int fchmod(int fd, mode_t mode) {
  (void)mode;
  struct stat st;
  return fstat(fd, &st); /* EBADF as POSIX says, else nothing to do */
}

int mkstemp(char *template) {
  size_t n = strlen(template);
  if (n < 6 || memcmp(template + n - 6, "XXXXXX", 6) != 0) {
    errno = EINVAL;
    return -1;
  }
  static const char chars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  for (int attempt = 0; attempt < 100; attempt++) {
    unsigned char r[6];
    if (getentropy(r, sizeof r) != 0)
      return -1;
    for (int i = 0; i < 6; i++)
      template[n - 6 + i] = chars[r[i] % (sizeof chars - 1)];
    int fd = open(template, O_RDWR | O_CREAT | O_EXCL, 0600);
    if (fd >= 0 || errno != EEXIST)
      return fd;
  }
  errno = EEXIST;
  return -1;
}

/* realpath: absolute, no "." or ".." components, no symbolic links; every component must
 * exist (ENOENT), at most 40 links followed (ELOOP), PATH_MAX bytes (ENAMETOOLONG). The
 * links are read with readlink, relative ones against the directory holding them. */
char *realpath(const char *restrict path, char *restrict resolved) {
  if (!path) {
    errno = EINVAL;
    return NULL;
  }
  if (!*path) {
    errno = ENOENT;
    return NULL;
  }
  char out[PATH_MAX];  /* the resolved prefix: "" stands for "/" */
  char rest[PATH_MAX]; /* what is left to resolve */
  size_t len = 0;
  if (path[0] != '/') {
    if (!getcwd(out, sizeof out))
      return NULL;
    len = strlen(out);
    if (len == 1)
      len = 0; /* "/" */
  }
  if (strlen(path) >= sizeof rest) {
    errno = ENAMETOOLONG;
    return NULL;
  }
  strcpy(rest, path);
  int links = 0;
  char *p = rest;
  while (*p) {
    while (*p == '/')
      p++;
    char *end = p;
    while (*end && *end != '/')
      end++;
    size_t n = (size_t)(end - p);
    if (n == 0)
      break;
    if (n == 1 && p[0] == '.') {
      p = end;
      continue;
    }
    if (n == 2 && p[0] == '.' && p[1] == '.') {
      while (len > 0 && out[len - 1] != '/')
        len--;
      if (len > 0)
        len--; /* the slash before the last component */
      p = end;
      continue;
    }
    if (len + 1 + n >= sizeof out) {
      errno = ENAMETOOLONG;
      return NULL;
    }
    size_t before = len;
    out[len++] = '/';
    memcpy(out + len, p, n);
    len += n;
    out[len] = '\0';
    struct stat st;
    if (lstat(out, &st) != 0)
      return NULL;
    if (S_ISLNK(st.st_mode)) {
      if (++links > 40) {
        errno = ELOOP;
        return NULL;
      }
      char target[PATH_MAX];
      ssize_t t = readlink(out, target, sizeof target - 1);
      if (t < 0)
        return NULL;
      target[t] = '\0';
      size_t tail = strlen(end);
      if ((size_t)t + tail >= sizeof rest) {
        errno = ENAMETOOLONG;
        return NULL;
      }
      /* the link's text, then what came after the link */
      memmove(rest + t, end, tail + 1);
      memcpy(rest, target, (size_t)t);
      p = rest;
      len = target[0] == '/' ? 0 : before;
      continue;
    }
    if (*end && !S_ISDIR(st.st_mode)) {
      errno = ENOTDIR;
      return NULL;
    }
    p = end;
  }
  if (len == 0)
    out[len++] = '/';
  out[len] = '\0';
  if (!resolved)
    return strdup(out);
  memcpy(resolved, out, len + 1);
  return resolved;
}
