/* One-thread <pthread.h> for the WASI build (see pthread.h beside this file). */
#include "pthread.h"

#include <errno.h>

int pthread_create(pthread_t *thread, const pthread_attr_t *attr, void *(*start)(void *),
                   void *arg) {
  (void)thread, (void)attr, (void)start, (void)arg;
  return EAGAIN; /* callers run the work themselves */
}

int pthread_join(pthread_t thread, void **result) {
  (void)thread, (void)result;
  return ESRCH; /* no thread was ever created */
}

int pthread_mutex_init(pthread_mutex_t *mutex, const pthread_mutexattr_t *attr) {
  (void)mutex, (void)attr;
  return 0;
}

int pthread_mutex_destroy(pthread_mutex_t *mutex) {
  (void)mutex;
  return 0;
}

int pthread_mutex_lock(pthread_mutex_t *mutex) {
  (void)mutex;
  return 0;
}

int pthread_mutex_unlock(pthread_mutex_t *mutex) {
  (void)mutex;
  return 0;
}

int pthread_once(pthread_once_t *once, void (*fn)(void)) {
  if (!*once) {
    *once = 1;
    fn();
  }
  return 0;
}

static const void *key_values[PTHREAD_KEYS_MAX];
static unsigned n_keys;

int pthread_key_create(pthread_key_t *key, void (*destructor)(void *)) {
  (void)destructor;
  if (n_keys == PTHREAD_KEYS_MAX)
    return EAGAIN;
  *key = n_keys++;
  return 0;
}

void *pthread_getspecific(pthread_key_t key) {
  return key < n_keys ? (void *)key_values[key] : NULL;
}

int pthread_setspecific(pthread_key_t key, const void *value) {
  if (key >= n_keys)
    return EINVAL;
  key_values[key] = value;
  return 0;
}
