/* check.h - the unit tests' one assertion: CHECK counts a pass or prints the
 * failed condition with its place, and the test goes on; main() ends with
 * CHECK_DONE(name), which prints the tally and gives the exit status. */
#ifndef EVX_TEST_CHECK_H
#define EVX_TEST_CHECK_H
#include <stdio.h>

static int passed, failed;

#define CHECK(cond)                                                                   \
    do {                                                                              \
        if (cond) {                                                                   \
            passed++;                                                                 \
        } else {                                                                      \
            failed++;                                                                 \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
        }                                                                             \
    } while (0)

#define CHECK_DONE(name) (printf("%s: %d passed, %d failed\n", (name), passed, failed), failed != 0)

#endif
