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
    inputs_walk *w = inputs_open(paths, 7);
    stem_namer *stems = stems_open();
    evx_input in;
    size_t i = 0;
    for (; inputs_next(w, &in); i++) { /* missing files are inputs: reported when read */
        const char *stem = stems_name(stems, in.path);
        if (i < 7 && !strcmp(stem, want[i]))
            passed++;
        else
            failed++, fprintf(stderr, "stem %zu: %s, expected %s\n", i, stem, i < 7 ? want[i] : "none");
        inputs_clear(&in);
    }
    if (i == 7)
        passed++;
    else
        failed++, fprintf(stderr, "%zu inputs, expected 7\n", i);
    /* many namesakes: the table grows, and each gets the next number */
    char name[64];
    for (int k = 0; k < 3000; k++)
        stems_name(stems, "g/z.txt");
    snprintf(name, sizeof name, "z~%d", 3001);
    if (!strcmp(stems_name(stems, "h/z.txt"), name))
        passed++;
    else
        failed++, fprintf(stderr, "the 3001st namesake of z is not %s\n", name);
    stems_close(stems);
    inputs_close(w);
}

int main(void)
{
    test_stems();
    test_unique();
    printf("test_output: %d passed, %d failed\n", passed, failed);
    return failed != 0;
}
