/* <stdlib.h> of wasi-libc, with what it lacks and isolint uses (WASI build only; see
 * posix.c beside this file). */
#ifndef IL_BASE_WASI_STDLIB_H
#define IL_BASE_WASI_STDLIB_H
#include_next <stdlib.h>

char *realpath(const char *restrict path, char *restrict resolved);
int mkstemp(char *template);

#endif
