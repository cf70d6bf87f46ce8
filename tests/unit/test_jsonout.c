/* test_jsonout.c - the fast NDJSON writer gives exactly Jansson's text. */
#include "jsonout.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef EVX_TEST_ROOT
#define EVX_TEST_ROOT "."
#endif

#include "check.h"
#include "golden.h"

#define FLAGS (JSON_COMPACT | JSON_ENCODE_ANY | JSON_REAL_PRECISION(12))

static jsonout buf; /* reused, as the writer reuses it */

/* Both texts of v are the same bytes (or both fail). */
static int same(const json_t *v, const char *what)
{
    char *want = json_dumps(v, FLAGS);
    buf.len = 0;
    int rc = jsonout_compact(&buf, v);
    int ok = want ? rc == 0 && buf.len == strlen(want) && memcmp(buf.data, want, buf.len) == 0 : rc < 0;
    if (!ok)
        fprintf(stderr, "  %s: jansson %s\n  %s: jsonout %.*s (rc %d)\n", what, want ? want : "(fails)", what,
                (int)buf.len, buf.data ? buf.data : "", rc);
    free(want);
    return ok;
}

static void test_scalars(void)
{
    static const json_int_t ints[] = {0, 1, -1, 9, 10, -10, 1234567890, INT64_MAX, INT64_MIN};
    for (size_t i = 0; i < sizeof ints / sizeof *ints; i++) {
        json_t *v = json_integer(ints[i]);
        CHECK(same(v, "integer"));
        json_decref(v);
    }
    static const double reals[] = {0.0, -0.0, 1.0, 250.5, 0.1, 1e300, -2.5e-7, 1234567890123456.0, 1.0 / 3};
    for (size_t i = 0; i < sizeof reals / sizeof *reals; i++) {
        json_t *v = json_real(reals[i]);
        CHECK(same(v, "real"));
        json_decref(v);
    }
    json_t *v = json_pack("[bbn{}[][{}[]]]", 1, 0);
    CHECK(same(v, "literals and empty containers"));
    json_decref(v);
}

/* Every ASCII byte (the NUL inside a string too), as a value and as a key,
 * and non-ASCII of every length. */
static void test_strings(void)
{
    char all[128];
    for (int c = 0; c < 128; c++)
        all[c] = (char)c;
    json_t *v = json_stringn(all, sizeof all);
    CHECK(same(v, "every ASCII byte"));
    json_t *o = json_object();
    json_object_set_new(o, "a\"b\\c/d\n\x01\x1f\x7f", json_incref(v));
    json_object_set_new(o, "", json_string(""));
    json_object_set_new(o, "\xc3\xa5r", json_string("\xc3\xa5\xc3\xa4\xc3\xb6 \xe2\x82\xac \xe2\x80\xa8 \xf0\x9f\x8e\x89 \xef\xbf\xbd"));
    CHECK(same(o, "escaped keys, non-ASCII"));
    json_decref(o);
    json_decref(v);
    /* each byte that needs care at every place of a word-sized scan */
    static const char special[] = {'\x01', '\n', '\x1f', ' ', '"', '\\', '/', '\x7f', '\xc3'};
    int bad = 0;
    for (size_t k = 0; k < sizeof special; k++)
        for (size_t at = 0; at < 20; at++) {
            char str[21];
            memset(str, 'a', 20);
            str[at] = special[k];
            size_t len = 20;
            if (special[k] == '\xc3') /* a whole two-byte character */
                str[at + 1 < 20 ? at + 1 : (len = 21, 20)] = '\xa5';
            json_t *one = json_stringn(str, len);
            bad += !one || !same(one, "a special byte inside plain ASCII");
            json_decref(one);
        }
    CHECK(bad == 0);
    /* not UTF-8 (only a _nocheck string can hold that): both refuse */
    v = json_stringn_nocheck("ab\xc3(", 4);
    CHECK(same(v, "not UTF-8"));
    CHECK(buf.len == 0);
    json_decref(v);
    v = json_stringn_nocheck("\xed\xa0\x80", 3); /* a surrogate */
    CHECK(same(v, "surrogate"));
    json_decref(v);
}

/* The golden records, as the NDJSON writer writes them: one line each. */
static void test_golden(void)
{
    for (size_t i = 0; i < GOLDEN_COUNT; i++) {
        json_t *rec = golden_record(i);
        CHECK(rec != NULL);
        if (!rec)
            continue;
        CHECK(same(rec, golden_names[i]));
        CHECK(jsonout_line(&buf, rec) == 0);
        CHECK(buf.len > 100 && buf.data[buf.len - 1] == '\n' && !memchr(buf.data, '\n', buf.len - 1));
        json_decref(rec);
    }
}

int main(void)
{
    test_scalars();
    test_strings();
    test_golden();
    jsonout_free(&buf);
    return CHECK_DONE("test_jsonout");
}
