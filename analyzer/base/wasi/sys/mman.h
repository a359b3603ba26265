/* <sys/mman.h> for the WASI build: wasi-libc's emulation (mmap reads the file into memory;
 * linked with -lwasi-emulated-mman), and MAP_POPULATE, which it has no use for. */
#ifndef IL_BASE_WASI_SYS_MMAN_H
#define IL_BASE_WASI_SYS_MMAN_H
#ifndef _WASI_EMULATED_MMAN
#define _WASI_EMULATED_MMAN
#endif
#include_next <sys/mman.h>

#ifndef MAP_POPULATE
#define MAP_POPULATE 0
#endif

#endif
