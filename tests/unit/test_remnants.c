/* test_remnants.c - stage 1c: markup a scraper left in a text input. */
#include "remnants.h"
#include "read.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

/* Reads s like the pipeline does and cleans it; returns remnants_clean's
 * answer, with the cleaned text in out when it is 1. */
static int clean(const char *s, read_input *in, evx_text *out)
{
    evx_error e;
    memset(out, 0, sizeof *out);
    if (read_from_buffer(s, strlen(s), in, &e) != 0)
        return -2;
    return remnants_clean(&in->utf8, out);
}

static void test_untouched(void)
{
    read_input in;
    evx_text t;
    /* no reference, no tag: comparisons, ampersands, unknown names */
    CHECK(clean("Barn <12 år, Konsert & Kongress, R&B; a<b, 3 < 4 > 2, &nosuch; &#xD800; &#0;", &in, &t) == 0);
    CHECK(t.data == NULL);
    read_input_free(&in);
}

static void test_references(void)
{
    read_input in;
    evx_text t;
    const char *s = "Tid: 19:00&ndash;22:00 &bull; Caf&eacute;-scenen&nbsp;&amp; &#8211; &#x2013;!";
    CHECK(clean(s, &in, &t) == 1);
    CHECK(strcmp(t.data, "Tid: 19:00\xE2\x80\x93" "22:00 \xE2\x80\xA2 Caf\xC3\xA9-scenen\xC2\xA0& \xE2\x80\x93 \xE2\x80\x93!") == 0);
    /* every byte of "&ndash;" maps to its '&', the next byte to its own */
    size_t amp = strstr(s, "&ndash;") - s;
    CHECK(t.orig[10] == amp && t.orig[11] == amp && t.orig[12] == amp);
    CHECK(t.orig[13] == amp + 7);
    CHECK(t.orig[t.len] == strlen(s));
    text_free(&t);
    read_input_free(&in);
}

static void test_tags(void)
{
    read_input in;
    evx_text t;
    /* inline tags go; a breaking tag inside a line leaves a line break, one
     * at a line's end or start does not add another; comments go */
    const char *s = "<h1>Pubquiz</h1>\n<div class=\"event-meta\">ons 5/2</div><p>Plats: <strong>Caf&eacute;t</strong><br>Storgatan 1</p><!-- x -->\n";
    CHECK(clean(s, &in, &t) == 1);
    CHECK(strcmp(t.data, "Pubquiz\nons 5/2\nPlats: Caf\xC3\xA9t\nStorgatan 1\n\n") == 0);
    size_t p = strstr(s, "Pubquiz") - s;
    CHECK(t.orig[0] == p);
    text_free(&t);
    read_input_free(&in);
}

static void test_long_lookalikes(void)
{
    /* a '<' with no '>' near it is text, whatever follows; the clean-up is
     * one pass over a long input */
    size_t n = 1 << 20;
    char *s = malloc(n + 1);
    CHECK(s != NULL);
    if (!s)
        return;
    for (size_t i = 0; i < n; i++)
        s[i] = i % 2 ? 'a' : '<';
    s[n] = '\0';
    read_input in;
    evx_text t;
    CHECK(clean(s, &in, &t) == 0);
    read_input_free(&in);
    s[n - 1] = '>';
    s[n - 2] = 'b';
    s[n - 3] = '<';
    CHECK(clean(s, &in, &t) == 1);
    CHECK(t.len == n - 3);
    text_free(&t);
    read_input_free(&in);
    free(s);
}

int main(void)
{
    test_untouched();
    test_references();
    test_tags();
    test_long_lookalikes();
    return CHECK_DONE("test_remnants");
}
