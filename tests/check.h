/* The assertion counter of the C test programs that name each check
 * (tests/cache/test_facts_io.c, tests/perf/test_detach.c): CHECK(cond, what)
 * counts a pass or prints the failure; main() prints the counts and fails when
 * `failed` is not 0. */
#ifndef IL_TESTS_CHECK_H
#define IL_TESTS_CHECK_H

#include <stdio.h>

static int passed, failed;

#define CHECK(cond, what)                                                                          \
  do {                                                                                             \
    if (cond) {                                                                                    \
      passed++;                                                                                    \
    } else {                                                                                       \
      failed++;                                                                                    \
      fprintf(stderr, "FAIL: %s: %s\n", what, #cond);                                            \
    }                                                                                              \
  } while (0)

#endif
