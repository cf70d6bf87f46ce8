/* golden.h - the golden records (the JSON files in tests/golden) for unit tests.
 *
 * The records evx writes for the corpus, kept in the repository: tests
 * that need real, full records take them from here. */
#ifndef EVX_TEST_GOLDEN_H
#define EVX_TEST_GOLDEN_H
#include <jansson.h>
#include <stdio.h>

static const char *const golden_names[] = {"000_d3121016cd98e6c6", "001_e12cd401087e0b11", "002_4deb089ae358abdd",
                                           "003_61fe3bb3d9bf50d1", "004_e0e6c982e9334011"};
#define GOLDEN_COUNT (sizeof golden_names / sizeof *golden_names)

/* Golden record i, or NULL (said on stderr) when it cannot be loaded. */
static json_t *golden_record(size_t i)
{
    char path[512];
    snprintf(path, sizeof path, "%s/tests/golden/%s.json", EVX_TEST_ROOT, golden_names[i]);
    json_error_t je;
    json_t *rec = json_load_file(path, 0, &je);
    if (!rec)
        fprintf(stderr, "%s: %s\n", path, je.text);
    return rec;
}

#endif
