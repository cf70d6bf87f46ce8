/* test_normalize.c - stage 2: NFC, character mapping and the byte map. */
#include "normalize.h"
#include "read.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

static char err[256];

/* Reads s like the pipeline does, then normalises it. */
static int norm(const char *s, read_input *in, evx_text *out)
{
    evx_error e;
    if (read_from_buffer(s, strlen(s), in, &e) != 0) {
        snprintf(err, sizeof err, "%.200s", e.message);
        return -1;
    }
    return norm_text(&in->utf8, out, err, sizeof err);
}

static void done(read_input *in, evx_text *out)
{
    text_free(out);
    read_input_free(in);
}

static void test_spaces(void)
{
    read_input in;
    evx_text t;
    /* "12\u00A0maj\u2009kl" */
    CHECK(norm("12\xC2\xA0maj\xE2\x80\x89kl", &in, &t) == 0);
    CHECK(strcmp(t.data, "12 maj kl") == 0);
    CHECK(t.orig[2] == 2); /* the NBSP */
    CHECK(t.orig[3] == 4); /* 'm' after the 2-byte NBSP */
    CHECK(t.orig[6] == 7); /* the thin space */
    CHECK(t.orig[7] == 10);
    CHECK(t.orig[t.len] == in.len);
    done(&in, &t);

    /* A tab stays (it parts a table's cells); other controls are a space. */
    CHECK(norm("a\tb\x01" "c\xE3\x80\x80" "d", &in, &t) == 0);
    CHECK(strcmp(t.data, "a\tb c d") == 0);
    done(&in, &t);
}

static void test_dropped(void)
{
    read_input in;
    evx_text t;
    /* "kon\u00ADsert" and a zero-width space and a BOM mid-text */
    CHECK(norm("kon\xC2\xADsert\xE2\x80\x8B!\xEF\xBB\xBF?", &in, &t) == 0);
    CHECK(strcmp(t.data, "konsert!?") == 0);
    CHECK(t.orig[2] == 2);
    CHECK(t.orig[3] == 5); /* 's' skips the soft hyphen's two bytes */
    CHECK(t.orig[7] == 12); /* '!' after the ZWSP */
    CHECK(t.orig[8] == 16);
    CHECK(t.orig[9] == 17);
    done(&in, &t);
}

static void test_newlines(void)
{
    read_input in;
    evx_text t;
    CHECK(norm("a\r\nb\rc\n", &in, &t) == 0);
    CHECK(strcmp(t.data, "a\nb\nc\n") == 0);
    CHECK(t.orig[1] == 1); /* LF of CRLF maps to the CR */
    CHECK(t.orig[2] == 3);
    CHECK(t.orig[3] == 4); /* lone CR */
    CHECK(t.orig[4] == 5);
    CHECK(t.orig[6] == 7);
    done(&in, &t);

    CHECK(norm("x\xE2\x80\xA8y\xE2\x80\xA9z\xC2\x85w\r", &in, &t) == 0);
    CHECK(strcmp(t.data, "x\ny\nz\nw\n") == 0);
    done(&in, &t);
}

static void test_nfc(void)
{
    read_input in;
    evx_text t;
    /* "Ga\u030Ard" -> "Gård": both bytes of å map to the 'a' */
    CHECK(norm("Ga\xCC\x8Ard", &in, &t) == 0);
    CHECK(strcmp(t.data, "G\xC3\xA5rd") == 0);
    CHECK(t.orig[1] == 1 && t.orig[2] == 1);
    CHECK(t.orig[3] == 4);
    CHECK(t.orig[t.len] == 6);
    done(&in, &t);

    /* already NFC text is untouched */
    CHECK(norm("Möte på Skåne", &in, &t) == 0);
    CHECK(strcmp(t.data, "Möte på Skåne") == 0);
    done(&in, &t);

    /* a soft hyphen between base and mark does not block composition */
    CHECK(norm("a\xC2\xAD\xCC\x8A", &in, &t) == 0);
    CHECK(strcmp(t.data, "\xC3\xA5") == 0);
    done(&in, &t);

    /* Ohm sign is a singleton: NFC makes it Greek Omega */
    CHECK(norm("5 \xE2\x84\xA6", &in, &t) == 0);
    CHECK(strcmp(t.data, "5 \xCE\xA9") == 0);
    CHECK(t.orig[2] == 2 && t.orig[3] == 2 && t.orig[4] == 5);
    done(&in, &t);

    /* marks out of canonical order get reordered: a + dot below + ring */
    CHECK(norm("a\xCC\x8A\xCC\xA3", &in, &t) == 0);
    CHECK(strcmp(t.data, "\xE1\xBA\xA1\xCC\x8A") == 0); /* U+1EA1 U+030A */
    done(&in, &t);

    /* NFC can make text longer (U+0344 -> U+0308 U+0301: 2 bytes -> 4):
     * the output outgrows the input, and an ASCII run after it still fits */
    {
        char grow[2 * 200 + 64 + 1];
        for (int i = 0; i < 200; i++)
            memcpy(grow + 2 * i, "\xCD\x84", 2);
        memset(grow + 400, 'x', 64);
        grow[464] = '\0';
        CHECK(norm(grow, &in, &t) == 0);
        CHECK(t.len == 4 * 200 + 64);
        CHECK(memcmp(t.data, "\xCC\x88\xCC\x81", 4) == 0 && t.data[t.len - 1] == 'x');
        CHECK(t.orig[t.len - 1] == 463 && t.orig[t.len] == 464);
        done(&in, &t);
    }

    /* a lone combining mark at the start must not crash */
    CHECK(norm("\xCC\x8A" "a", &in, &t) == 0);
    CHECK(strcmp(t.data, "\xCC\x8A" "a") == 0);
    done(&in, &t);
}

static void test_quotes_and_dashes(void)
{
    read_input in;
    evx_text t;
    CHECK(norm("\xE2\x80\x9CKul\xE2\x80\x9D \xC2\xAB" "a\xC2\xBB "
               "\xE2\x80\x98" "b\xE2\x80\x99 \xE2\x80\x9E" "c",
               &in, &t) == 0);
    CHECK(strcmp(t.data, "\"Kul\" \"a\" 'b' \"c") == 0);
    CHECK(t.orig[1] == 3);
    done(&in, &t);

    const char *d = "10\xE2\x80\x93" "12 a\xE2\x80\x94" "b \xE2\x88\x92" "3 "
                    "x\xE2\x80\x90y \xE2\x80\xA6";
    CHECK(norm(d, &in, &t) == 0);
    CHECK(strcmp(t.data, d) == 0); /* dashes and the ellipsis are kept */
    done(&in, &t);
}

static void test_map_end(void)
{
    read_input in;
    evx_text t;
    /* read refuses an empty input (error `empty`); normalising an empty
     * text must still work */
    {
        size_t orig0 = 0;
        evx_text empty = {"", 0, &orig0};
        CHECK(norm_text(&empty, &t, err, sizeof err) == 0);
        CHECK(t.len == 0 && t.data[0] == '\0' && t.orig[0] == 0);
        text_free(&t);
    }

    CHECK(norm("\xEF\xBB\xBF" "ab\xC2\xAD", &in, &t) == 0);
    CHECK(strcmp(t.data, "ab") == 0);
    CHECK(t.orig[0] == 3);
    CHECK(t.orig[t.len] == 7); /* the trailing soft hyphen is in the span */
    done(&in, &t);
}

/* text[a, b) must come from original[orig[a], orig[b]). */
static int span_is(const read_input *in, const evx_text *t, const char *sub,
                   const char *want)
{
    const char *p = strstr(t->data, sub);
    if (!p)
        return 0;
    size_t a = (size_t)(p - t->data), b = a + strlen(sub);
    size_t oa = t->orig[a], ob = t->orig[b];
    return ob - oa == strlen(want) && memcmp(in->bytes + oa, want, ob - oa) == 0;
}

static void test_combined(void)
{
    read_input in;
    evx_text t;
    const char *s = "\xEF\xBB\xBF\xE2\x80\x9CVa\xCC\x88rldens\xE2\x80\x9D\r\n"
                    "12\xC2\xA0maj\xE2\x80\x93" "14 maj kl.\xE2\x80\xAF" "18\r\n"
                    "Bi\xC2\xADljetter: 100\xC2\xA0kr";
    CHECK(norm(s, &in, &t) == 0);
    CHECK(strcmp(t.data, "\"Världens\"\n12 maj\xE2\x80\x93" "14 maj kl. 18\n"
                         "Biljetter: 100 kr") == 0);
    CHECK(span_is(&in, &t, "\"Världens\"",
                  "\xE2\x80\x9CVa\xCC\x88rldens\xE2\x80\x9D"));
    CHECK(span_is(&in, &t, "Världens", "Va\xCC\x88rldens"));
    CHECK(span_is(&in, &t, "12 maj", "12\xC2\xA0maj"));
    CHECK(span_is(&in, &t, "12 maj\xE2\x80\x93" "14",
                  "12\xC2\xA0maj\xE2\x80\x93" "14"));
    CHECK(span_is(&in, &t, "kl. 18", "kl.\xE2\x80\xAF" "18"));
    CHECK(span_is(&in, &t, "Biljetter", "Bi\xC2\xADljetter"));
    /* a dropped character at a span's end falls inside the span: orig[b] is
     * where the next kept character starts */
    CHECK(span_is(&in, &t, "18\nBi", "18\r\nBi\xC2\xAD"));
    CHECK(span_is(&in, &t, "100 kr", "100\xC2\xA0kr"));
    CHECK(t.orig[t.len] == in.len);
    done(&in, &t);

    /* through the Windows-1252 path as well */
    s = "V\xE4rldens \x93" "b\xE4sta\x94 10\x96" "12";
    CHECK(norm(s, &in, &t) == 0);
    CHECK(in.warning != NULL);
    CHECK(strcmp(t.data, "Världens \"bästa\" 10\xE2\x80\x93" "12") == 0);
    CHECK(span_is(&in, &t, "\"bästa\"", "\x93" "b\xE4sta\x94"));
    CHECK(span_is(&in, &t, "10\xE2\x80\x93" "12", "10\x96" "12"));
    done(&in, &t);
}

static void test_large(void)
{
    /* 5 MB of mixed text: must finish quickly (linear time). */
    const char *unit = "M\xC3\xB6te 12\xC2\xA0maj\r\nGa\xCC\x8Ard \xE2\x80\x9Cx\xE2\x80\x9D\xC2\xAD.\n";
    size_t ul = strlen(unit), reps = 5u * 1024 * 1024 / ul;
    char *big = malloc(reps * ul + 1);
    CHECK(big != NULL);
    if (!big)
        return;
    for (size_t i = 0; i < reps; i++)
        memcpy(big + i * ul, unit, ul);
    big[reps * ul] = '\0';
    read_input in;
    evx_text t;
    CHECK(norm(big, &in, &t) == 0);
    const char *want = "Möte 12 maj\nGård \"x\".\n";
    CHECK(t.len == reps * strlen(want));
    CHECK(strncmp(t.data, want, strlen(want)) == 0);
    CHECK(t.orig[t.len] == reps * ul);
    done(&in, &t);
    free(big);
}

static void test_mark_flood(void)
{
    /* 200k alternating marks on one base: ICU would reorder them in
     * quadratic time without the segment cap; must finish at once. */
    size_t n = 200000;
    char *s = malloc(1 + 4 * n + 1);
    CHECK(s != NULL);
    if (!s)
        return;
    s[0] = 'a';
    for (size_t i = 0; i < n; i++)
        memcpy(s + 1 + 4 * i, "\xCC\xA3\xCC\x8A", 4);
    s[1 + 4 * n] = '\0';
    read_input in;
    evx_text t;
    CHECK(norm(s, &in, &t) == 0);
    CHECK(t.len <= in.len && t.orig[t.len] == in.len);
    done(&in, &t);
    free(s);
}

int main(void)
{
    test_spaces();
    test_dropped();
    test_newlines();
    test_nfc();
    test_quotes_and_dashes();
    test_map_end();
    test_combined();
    test_large();
    test_mark_flood();
    return CHECK_DONE("test_normalize");
}
