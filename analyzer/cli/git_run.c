/* Runs git as a child process with posix_spawnp, never through a shell, and
 * talks to it through three pipes in one poll() loop: input is written only
 * while output is drained, so a child that answers while it still reads
 * (git cat-file --batch) cannot deadlock against us. */
#include "git_int.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/common.h"

extern char **environ;

typedef struct {
  char *data;
  size_t len, cap;
} buf;

/* A pipe whose two ends are close-on-exec and above the standard descriptors,
 * so the child's dup2() onto 0, 1 and 2 never meets one of them (when isolint
 * itself was started with a standard descriptor closed). */
static bool pipe_high(int p[2]) {
  int raw[2];
  if (pipe(raw) != 0)
    return false;
  for (int i = 0; i < 2; i++) {
    p[i] = fcntl(raw[i], F_DUPFD_CLOEXEC, 3);
    if (p[i] < 0) {
      int saved = errno;
      if (i == 1)
        close(p[0]);
      close(raw[0]);
      close(raw[1]);
      errno = saved;
      return false;
    }
  }
  close(raw[0]);
  close(raw[1]);
  return true;
}

static void close_fd(int *fd) {
  if (*fd >= 0)
    close(*fd);
  *fd = -1;
}

/* Reads what is available from *fd into b; closes *fd at end of file.
 * False on a read error. */
static bool drain(int *fd, buf *b) {
  if (b->cap - b->len < 65536) {
    b->cap = b->cap ? b->cap * 2 : 65536 * 2;
    b->data = il_xrealloc(b->data, b->cap);
  }
  ssize_t r = read(*fd, b->data + b->len, b->cap - b->len - 1);
  if (r < 0)
    return errno == EINTR || errno == EAGAIN;
  if (r == 0)
    close_fd(fd);
  b->len += (size_t)r;
  return true;
}

bool cli_git_run(const char *const *args, const char *in, size_t in_len, cli_git_result *res,
                 char **err) {
  memset(res, 0, sizeof *res);
  *err = NULL;
  size_t n_args = 0;
  while (args[n_args])
    n_args++;
  char **argv = il_xcalloc(n_args + 2, sizeof *argv);
  argv[0] = "git";
  memcpy(argv + 1, args, n_args * sizeof *argv);

  int pin[2] = {-1, -1}, pout[2] = {-1, -1}, perr[2] = {-1, -1};
  buf out = {0}, errb = {0};
  bool ok = false, spawned = false, fa_init = false, attr_init = false;
  posix_spawn_file_actions_t fa;
  posix_spawnattr_t attr;
  pid_t pid = -1;
  /* A child that stops reading its input must not kill isolint with SIGPIPE:
   * ignore it while we talk to git (write() then fails with EPIPE), and give
   * git the default action back. */
  struct sigaction ign = {.sa_handler = SIG_IGN}, old_pipe;
  sigemptyset(&ign.sa_mask);
  sigaction(SIGPIPE, &ign, &old_pipe);

  if (!pipe_high(pin) || !pipe_high(pout) || !pipe_high(perr)) {
    *err = il_xasprintf("cannot run git: cannot create a pipe: %s", strerror(errno));
    goto out;
  }
  int rc = posix_spawn_file_actions_init(&fa);
  fa_init = rc == 0;
  if (!rc)
    rc = posix_spawn_file_actions_adddup2(&fa, pin[0], STDIN_FILENO);
  if (!rc)
    rc = posix_spawn_file_actions_adddup2(&fa, pout[1], STDOUT_FILENO);
  if (!rc)
    rc = posix_spawn_file_actions_adddup2(&fa, perr[1], STDERR_FILENO);
  if (!rc) {
    rc = posix_spawnattr_init(&attr);
    attr_init = rc == 0;
  }
  sigset_t def;
  sigemptyset(&def);
  sigaddset(&def, SIGPIPE);
  if (!rc)
    rc = posix_spawnattr_setsigdefault(&attr, &def);
  if (!rc)
    rc = posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGDEF);
  if (!rc)
    rc = posix_spawnp(&pid, "git", &fa, &attr, argv, environ);
  if (rc) {
    *err = rc == ENOENT ? il_xstrdup("cannot run git: not found on PATH (is git installed?)")
                        : il_xasprintf("cannot run git: %s", strerror(rc));
    goto out;
  }
  spawned = true;
  close_fd(&pin[0]);
  close_fd(&pout[1]);
  close_fd(&perr[1]);
  if (!in || in_len == 0)
    close_fd(&pin[1]);
  else
    fcntl(pin[1], F_SETFL, fcntl(pin[1], F_GETFL) | O_NONBLOCK);

  size_t written = 0;
  bool io_ok = true;
  while (pout[0] >= 0 || perr[0] >= 0) {
    struct pollfd fds[3];
    nfds_t nf = 0;
    int w = -1, o = -1, e = -1;
    if (pin[1] >= 0) {
      w = (int)nf;
      fds[nf++] = (struct pollfd){.fd = pin[1], .events = POLLOUT};
    }
    if (pout[0] >= 0) {
      o = (int)nf;
      fds[nf++] = (struct pollfd){.fd = pout[0], .events = POLLIN};
    }
    if (perr[0] >= 0) {
      e = (int)nf;
      fds[nf++] = (struct pollfd){.fd = perr[0], .events = POLLIN};
    }
    if (poll(fds, nf, -1) < 0) {
      if (errno == EINTR)
        continue;
      io_ok = false;
      break;
    }
    if (w >= 0 && fds[w].revents) {
      ssize_t r = write(pin[1], in + written, in_len - written);
      if (r > 0)
        written += (size_t)r;
      /* EPIPE: git stopped reading; what it said explains why */
      if ((r < 0 && errno != EINTR && errno != EAGAIN) || written == in_len)
        close_fd(&pin[1]);
    }
    if (o >= 0 && fds[o].revents && !drain(&pout[0], &out)) {
      io_ok = false;
      break;
    }
    if (e >= 0 && fds[e].revents && !drain(&perr[0], &errb)) {
      io_ok = false;
      break;
    }
  }
  if (!io_ok)
    *err = il_xasprintf("cannot read from git: %s", strerror(errno));
  ok = io_ok;

out:
  close_fd(&pin[0]);
  close_fd(&pin[1]);
  close_fd(&pout[0]);
  close_fd(&pout[1]);
  close_fd(&perr[0]);
  close_fd(&perr[1]);
  if (spawned) {
    int st = 0;
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
      ;
    res->status = WIFEXITED(st) ? WEXITSTATUS(st) : WIFSIGNALED(st) ? 128 + WTERMSIG(st) : 255;
  }
  sigaction(SIGPIPE, &old_pipe, NULL);
  if (attr_init)
    posix_spawnattr_destroy(&attr);
  if (fa_init)
    posix_spawn_file_actions_destroy(&fa);
  free(argv);
  /* some systems report a failed exec as exit status 127 of the child */
  if (ok && res->status == 127 && errb.len == 0) {
    ok = false;
    *err = il_xstrdup("cannot run git: not found on PATH (is git installed?)");
  }
  while (errb.len && strchr(" \t\r\n", errb.data[errb.len - 1]))
    errb.len--;
  res->out = out.data ? out.data : il_xmalloc(1);
  res->out[out.len] = '\0';
  res->out_len = out.len;
  res->err = errb.data ? errb.data : il_xmalloc(1);
  res->err[errb.len] = '\0';
  return ok;
}
