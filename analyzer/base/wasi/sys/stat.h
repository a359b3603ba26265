/* <sys/stat.h> of wasi-libc, with what it lacks and isolint uses (WASI build only; see
 * posix.c beside this file). */
#ifndef IL_BASE_WASI_SYS_STAT_H
#define IL_BASE_WASI_SYS_STAT_H
#include_next <sys/stat.h>

mode_t umask(mode_t mask);
int chmod(const char *path, mode_t mode);
int fchmod(int fd, mode_t mode);

#endif
