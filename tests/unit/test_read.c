/* test_read.c - stage 1: decoding and the byte map. */
#include "read.h"

#include <stdio.h>
#include <string.h>

#ifndef EVX_TEST_ROOT
#define EVX_TEST_ROOT "."
#endif

static int passed, failed;
#define CHECK(cond)                                                        \
    do {                                                                   \
        if (cond) {                                                        \
            passed++;                                                      \
        } else {                                                           \
            failed++;                                                      \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__,         \
                    __LINE__, #cond);                                      \
        }                                                                  \
    } while (0)

static char err[256];

static int decode(const char *bytes, size_t len, read_input *in)
{
    err[0] = '\0';
    return read_from_buffer(bytes, len, in, err, sizeof err);
}

static void test_valid_utf8(void)
{
    read_input in;
    const char *s = "Möte 12 maj – Lund";
    CHECK(decode(s, strlen(s), &in) == 0);
    CHECK(in.warning == NULL);
    CHECK(in.len == strlen(s));
    CHECK(in.utf8.len == strlen(s));
    CHECK(strcmp(in.utf8.data, s) == 0);
    CHECK(strcmp(in.bytes, s) == 0);
    int identity = 1;
    for (size_t i = 0; i <= in.utf8.len; i++)
        identity &= in.utf8.orig[i] == i;
    CHECK(identity);
    read_input_free(&in);
}

static void test_bom(void)
{
    read_input in;
    CHECK(decode("\xEF\xBB\xBFHej", 6, &in) == 0);
    CHECK(in.warning == NULL);
    CHECK(in.len == 6);
    CHECK(strcmp(in.utf8.data, "Hej") == 0);
    CHECK(in.utf8.orig[0] == 3);
    CHECK(in.utf8.orig[2] == 5);
    CHECK(in.utf8.orig[3] == 6);
    read_input_free(&in);

    /* a BOM alone is an empty text */
    CHECK(decode("\xEF\xBB\xBF", 3, &in) == 0);
    CHECK(in.utf8.len == 0 && in.utf8.orig[0] == 3);
    read_input_free(&in);
}

static void test_w1252(void)
{
    read_input in;
    const char *s = "M\xF6te 12 maj";
    CHECK(decode(s, strlen(s), &in) == 0);
    CHECK(in.warning != NULL);
    CHECK(strcmp(in.utf8.data, "Möte 12 maj") == 0);
    CHECK(in.utf8.len == strlen(s) + 1);
    CHECK(in.utf8.orig[0] == 0);
    CHECK(in.utf8.orig[1] == 1 && in.utf8.orig[2] == 1);
    CHECK(in.utf8.orig[3] == 2);
    CHECK(in.utf8.orig[in.utf8.len] == strlen(s));
    CHECK(memcmp(in.bytes, s, strlen(s)) == 0);
    read_input_free(&in);

    /* 0x96 en dash, 0x93/0x94 curly quotes: 3 UTF-8 bytes each */
    s = "10\x96" "12 \x93Kul\x94";
    CHECK(decode(s, strlen(s), &in) == 0);
    CHECK(in.warning != NULL);
    CHECK(strcmp(in.utf8.data, "10\xE2\x80\x93" "12 \xE2\x80\x9CKul\xE2\x80\x9D") == 0);
    CHECK(in.utf8.orig[2] == 2 && in.utf8.orig[4] == 2);
    CHECK(in.utf8.orig[5] == 3);
    CHECK(in.utf8.orig[8] == 6 && in.utf8.orig[10] == 6);
    CHECK(in.utf8.orig[11] == 7);
    CHECK(in.utf8.orig[in.utf8.len] == strlen(s));
    read_input_free(&in);

    /* BOM followed by bad bytes: BOM still dropped, offsets still shifted */
    CHECK(decode("\xEF\xBB\xBF\xE5r", 5, &in) == 0);
    CHECK(in.warning != NULL);
    CHECK(strcmp(in.utf8.data, "år") == 0);
    CHECK(in.utf8.orig[0] == 3 && in.utf8.orig[2] == 4);
    read_input_free(&in);
}

static void test_strictness(void)
{
    read_input in;
    /* truncated sequence at the end */
    CHECK(decode("ab\xC3", 3, &in) == 0);
    CHECK(in.warning != NULL);
    CHECK(strcmp(in.utf8.data, "abÃ") == 0);
    read_input_free(&in);
    /* overlong '/' and an encoded surrogate are not UTF-8 */
    CHECK(decode("\xC0\xAF", 2, &in) == 0);
    CHECK(in.warning != NULL);
    read_input_free(&in);
    CHECK(decode("\xED\xA0\x80", 3, &in) == 0);
    CHECK(in.warning != NULL);
    read_input_free(&in);
    /* 4-byte sequence (emoji) is fine */
    CHECK(decode("\xF0\x9F\x98\x80", 4, &in) == 0);
    CHECK(in.warning == NULL && in.utf8.len == 4);
    read_input_free(&in);
}

static void test_empty_and_nul(void)
{
    read_input in;
    CHECK(decode("", 0, &in) == 0);
    CHECK(in.warning == NULL);
    CHECK(in.len == 0 && in.utf8.len == 0);
    CHECK(in.utf8.data && in.utf8.data[0] == '\0');
    CHECK(in.utf8.orig[0] == 0);
    read_input_free(&in);

    CHECK(decode("a\0b", 3, &in) == 0);
    CHECK(in.len == 3 && in.utf8.len == 3);
    CHECK(strcmp(in.utf8.data, "a b") == 0);
    CHECK(in.bytes[1] == '\0');
    CHECK(in.utf8.orig[2] == 2 && in.utf8.orig[3] == 3);
    read_input_free(&in);

    /* NUL inside Windows-1252 input too */
    CHECK(decode("\xF6\0", 2, &in) == 0);
    CHECK(in.warning != NULL);
    CHECK(strcmp(in.utf8.data, "ö ") == 0);
    CHECK(in.utf8.orig[2] == 1 && in.utf8.orig[3] == 2);
    read_input_free(&in);

    read_input zero = {0};
    read_input_free(&zero); /* must be safe */
    read_input_free(&zero);
}

static void test_paths(void)
{
    read_input in;
    const char *missing = "/nonexistent/evx-no-such-file.txt";
    CHECK(read_from_path(missing, &in, err, sizeof err) == -1);
    CHECK(strstr(err, missing) != NULL);
    read_input_free(&in);

    CHECK(read_from_path(EVX_TEST_ROOT "/corpus", &in, err, sizeof err) == -1);
    CHECK(strstr(err, "directory") != NULL);
    read_input_free(&in);

    const char *path = EVX_TEST_ROOT "/corpus/000_d3121016cd98e6c6.txt";
    CHECK(read_from_path(path, &in, err, sizeof err) == 0);
    CHECK(in.warning == NULL);
    CHECK(in.len > 100 && in.utf8.len == in.len);
    CHECK(strncmp(in.utf8.data, "12 maj 2021", 11) == 0);
    CHECK(strstr(in.utf8.data, "Kompetensplattform för") != NULL);
    CHECK(in.utf8.orig[in.utf8.len] == in.len);
    read_input_free(&in);
}

int main(void)
{
    test_valid_utf8();
    test_bom();
    test_w1252();
    test_strictness();
    test_empty_and_nul();
    test_paths();
    printf("test_read: %d passed, %d failed\n", passed, failed);
    return failed != 0;
}
