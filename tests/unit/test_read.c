/* test_read.c - stage 1: decoding and the byte map. */
#include "read.h"

#include <stdio.h>
#include <string.h>

#ifndef EVX_TEST_ROOT
#define EVX_TEST_ROOT "."
#endif

#include "check.h"

static evx_error err;

static int decode(const char *bytes, size_t len, read_input *in)
{
    memset(&err, 0, sizeof err);
    return read_from_buffer(bytes, len, in, &err);
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

    /* a BOM alone is an empty text: error `empty` (test_empty_and_nul) */
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
    CHECK(decode("", 0, &in) == -1);
    CHECK(err.code == EVX_E_empty);
    CHECK(in.bytes == NULL && in.utf8.data == NULL); /* nothing left to free */
    CHECK(decode("\xEF\xBB\xBF", 3, &in) == -1 && err.code == EVX_E_empty); /* a BOM alone */
    CHECK(decode("\xFF\xFE", 2, &in) == -1 && err.code == EVX_E_empty);

    /* NUL bytes: binary, wherever they are, whatever the encoding */
    CHECK(decode("a\0b", 3, &in) == -1);
    CHECK(err.code == EVX_E_binary && strstr(err.message, "offset 1") != NULL);
    CHECK(decode("\xF6\0", 2, &in) == -1 && err.code == EVX_E_binary);
    CHECK(decode("\xFF\xFE" "a\0\0\0", 6, &in) == -1 && err.code == EVX_E_binary); /* U+0000 in UTF-16 */

    read_input zero = {0};
    read_input_free(&zero); /* must be safe */
    read_input_free(&zero);
}

static void test_utf16(void)
{
    read_input in;
    /* "Möte 😀\n" little-endian, with a BOM */
    const char le[] = "\xFF\xFE" "M\0\xF6\0t\0e\0 \0\x3D\xD8\x00\xDE\n\0";
    CHECK(decode(le, sizeof le - 1, &in) == 0);
    CHECK(in.warning && strstr(in.warning, "UTF-16"));
    CHECK(strcmp(in.utf8.data, "Möte \xF0\x9F\x98\x80\n") == 0);
    CHECK(in.utf8.orig[0] == 2 && in.utf8.orig[1] == 4 && in.utf8.orig[2] == 4 && in.utf8.orig[3] == 6);
    CHECK(in.utf8.orig[6] == 12 && in.utf8.orig[9] == 12); /* the emoji's 4 bytes: its surrogate pair */
    CHECK(in.utf8.orig[10] == 16 && in.utf8.orig[11] == sizeof le - 1);
    read_input_free(&in);

    const char be[] = "\xFE\xFF" "\0M\0\xF6\0t\0e";
    CHECK(decode(be, sizeof be - 1, &in) == 0);
    CHECK(strcmp(in.utf8.data, "Möte") == 0 && in.utf8.orig[4] == 8);
    read_input_free(&in);

    /* odd length and an unpaired surrogate are not UTF-16 */
    CHECK(decode("\xFF\xFE" "a\0b", 5, &in) == -1 && err.code == EVX_E_encoding);
    CHECK(decode("\xFF\xFE" "a\0\x3D\xD8" "b\0", 8, &in) == -1 && err.code == EVX_E_encoding);
}

static void test_damaged_utf8(void)
{
    read_input in;
    /* mostly UTF-8, one stray Latin-1 byte and a cut-off last character */
    const char *s = "Möte i Göteborg \xE9 kl 10 \xE2\x80";
    CHECK(decode(s, strlen(s), &in) == 0);
    CHECK(in.warning && strstr(in.warning, "2 damaged"));
    CHECK(strcmp(in.utf8.data, "Möte i Göteborg \xEF\xBF\xBD kl 10 \xEF\xBF\xBD") == 0);
    CHECK(in.utf8.orig[in.utf8.len - 3] == strlen(s) - 2); /* U+FFFD points at the cut sequence */
    CHECK(in.utf8.orig[in.utf8.len] == strlen(s));
    read_input_free(&in);
}

static void test_paths(void)
{
    read_input in;
    read_opts o = {0, NULL};
    const char *missing = "/nonexistent/evx-no-such-file.txt";
    CHECK(read_from_path(missing, &o, &in, &err) == -1);
    CHECK(err.code == EVX_E_not_found && strstr(err.message, "No such file") != NULL);
    read_input_free(&in);

    CHECK(read_from_path(EVX_TEST_ROOT "/corpus", &o, &in, &err) == -1);
    CHECK(err.code == EVX_E_not_a_file && strstr(err.message, "folder") != NULL);
    read_input_free(&in);

    const char *path = EVX_TEST_ROOT "/corpus/000_d3121016cd98e6c6.txt";
    CHECK(read_from_path(path, &o, &in, &err) == 0);
    CHECK(in.warning == NULL);
    CHECK(in.len > 100 && in.utf8.len == in.len);
    CHECK(strncmp(in.utf8.data, "12 maj 2021", 11) == 0);
    CHECK(strstr(in.utf8.data, "Kompetensplattform för") != NULL);
    CHECK(in.utf8.orig[in.utf8.len] == in.len);
    size_t len = in.len;
    read_input_free(&in);

    o.max_size = len - 1; /* one byte over the limit */
    CHECK(read_from_path(path, &o, &in, &err) == -1 && err.code == EVX_E_too_large);
    o.max_size = len;
    CHECK(read_from_path(path, &o, &in, &err) == 0);
    read_input_free(&in);
}

int main(void)
{
    test_valid_utf8();
    test_bom();
    test_w1252();
    test_strictness();
    test_empty_and_nul();
    test_utf16();
    test_damaged_utf8();
    test_paths();
    return CHECK_DONE("test_read");
}
