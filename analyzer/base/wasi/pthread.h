/* The part of <pthread.h> isolint uses, for the WebAssembly (WASI) build: wasi-libc
 * (Debian 12's, WASI preview 1) has no threads and no <pthread.h>. There is one thread:
 * pthread_create fails with EAGAIN, so the scan's pool (core/scan.c) runs every job in the
 * calling thread, as with --jobs 1; mutexes do nothing, a once-function runs on first use,
 * a key is a plain slot. Only the WASI build puts this directory on the include path
 * (cmake/wasi_deps.cmake); the code that includes <pthread.h> is the same in every build. */
#ifndef IL_BASE_WASI_PTHREAD_H
#define IL_BASE_WASI_PTHREAD_H

/* the types come from wasi-libc's musl headers, as musl's <pthread.h> takes them */
#define __NEED_pthread_once_t
#define __NEED_pthread_key_t
#include <bits/alltypes.h>
#include <sys/types.h>

#define PTHREAD_MUTEX_INITIALIZER {{{0}}}
#define PTHREAD_ONCE_INIT 0
#define PTHREAD_KEYS_MAX 8

int pthread_create(pthread_t *thread, const pthread_attr_t *attr, void *(*start)(void *),
                   void *arg);
int pthread_join(pthread_t thread, void **result);

int pthread_mutex_init(pthread_mutex_t *mutex, const pthread_mutexattr_t *attr);
int pthread_mutex_destroy(pthread_mutex_t *mutex);
int pthread_mutex_lock(pthread_mutex_t *mutex);
int pthread_mutex_unlock(pthread_mutex_t *mutex);

int pthread_once(pthread_once_t *once, void (*fn)(void));

/* At most PTHREAD_KEYS_MAX keys; the destructor is never called (the one thread never
 * exits before the program, and a thread's values are not destroyed at exit()). */
int pthread_key_create(pthread_key_t *key, void (*destructor)(void *));
void *pthread_getspecific(pthread_key_t key);
int pthread_setspecific(pthread_key_t key, const void *value);

#endif
