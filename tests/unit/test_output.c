/* test_output.c - output names (-o DIR): safe stems and unique stems. */
#include <stdio.h>
#include <string.h>
#include "inputs.h"
#include "output.h"

static int passed, failed;
#define CHECK_STEM(src, want)                                                      \
    do {                                                                           \
        char b[256];                                                               \
        output_stem(src, b, sizeof b);                                             \
        if (!strcmp(b, want)) {                                                    \
            passed++;                                                              \
        } else {                                                                   \
            failed++;                                                              \
            fprintf(stderr, "%s:%d: stem of \"%s\" is \"%s\", expected \"%s\"\n", \
                    __FILE__, __LINE__, src, b, want);                             \
        }                                                                          \
    } while (0)

static void test_stems(void)
{
    CHECK_STEM("corpus/a.txt", "a");
    CHECK_STEM("a.b.txt", "a.b");
    CHECK_STEM("noext", "noext");
    CHECK_STEM("-", "stdin");
    CHECK_STEM("dir/", "stdin"); /* never empty */
    CHECK_STEM("../../etc/passwd", "passwd");
    CHECK_STEM("/abs/path/x.txt", "x");
    CHECK_STEM("..", "_"); /* "." and ".." never name a file in DIR */
    CHECK_STEM(".", "_");
    CHECK_STEM(".hidden.txt", "_hidden");
    CHECK_STEM(".txt", "_txt");
    CHECK_STEM("a\tb\nc\x7f.txt", "a_b_c_");
    CHECK_STEM("x.error.txt", "x.error_");
    CHECK_STEM("m\xc3\xb6te i lund.txt", "m\xc3\xb6te i lund");
    char longname[400];
    memset(longname, 'a', 300);
    strcpy(longname + 300, ".txt");
    char b[256];
    output_stem(longname, b, sizeof b);
    if (strlen(b) == 200)
        passed++;
    else
        failed++, fprintf(stderr, "a long stem is cut to 200 bytes, got %zu\n", strlen(b));
    /* cut at a character boundary: 199 x 'a' then a 2-byte letter */
    memset(longname, 'a', 199);
    strcpy(longname + 199, "\xc3\xb6\xc3\xb6.txt");
    output_stem(longname, b, sizeof b);
    if (strlen(b) == 199)
        passed++;
    else
        failed++, fprintf(stderr, "cut inside a character: %zu bytes\n", strlen(b));
}

static void test_unique(void)
{
    char *paths[] = {"a/x.txt", "b/x.txt", "c/x~2.txt", "d/x.txt", "e/y.txt", "-", "f/stdin.txt"};
    const char *want[] = {"x", "x~2", "x~2~2", "x~3", "y", "stdin", "stdin~2"};
    evx_inputs in = {0};
    for (int i = 0; i < 7; i++) {
        char *one[] = {paths[i]};
        inputs_collect(one, 1, &in); /* missing files are kept as inputs */
    }
    inputs_assign_stems(&in);
    for (size_t i = 0; i < in.n; i++) {
        if (!strcmp(inputs_at(&in, i)->stem, want[i]))
            passed++;
        else
            failed++, fprintf(stderr, "stem %zu: %s, expected %s\n", i, inputs_at(&in, i)->stem, want[i]);
    }
    inputs_free(&in);
}

int main(void)
{
    test_stems();
    test_unique();
    printf("test_output: %d passed, %d failed\n", passed, failed);
    return failed != 0;
}
