/* test_html.c - stage 1b: HTML to text, its byte map, charsets, chrome. */
#include "html.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

typedef struct {
    read_input in;
    evx_text t;
    const char *warning;
    int rc;
} page;

static void load(page *p, const char *bytes, size_t len)
{
    memset(p, 0, sizeof *p);
    evx_error e;
    if (read_from_buffer(bytes, len, &p->in, &e) < 0) {
        p->rc = -9;
        return;
    }
    p->warning = p->in.warning;
    char err[256];
    p->rc = html_to_text(&p->in, &p->t, &p->warning, err, sizeof err);
}

static void unload(page *p)
{
    text_free(&p->t);
    read_input_free(&p->in);
}

static int text_is(const page *p, const char *want)
{
    if (p->rc == 0 && !strcmp(p->t.data, want))
        return 1;
    fprintf(stderr, "  got \"%s\"\n  want \"%s\"\n", p->rc == 0 ? p->t.data : "(failed)", want);
    return 0;
}

/* Where output byte i came from, as an offset into the source string. */
static size_t from(const page *p, const char *needle, size_t delta)
{
    const char *at = strstr(p->t.data, needle);
    return at ? p->t.orig[(size_t)(at - p->t.data) + delta] : (size_t)-1;
}

static void test_blocks_and_lines(void)
{
    static const char html[] = "<!doctype html><html><head><title>T</title><style>p{}</style></head><body>"
                               "<h1>Rubrik</h1><p>Rad ett<br>\n   rad   två</p>"
                               "<ul><li>Anna</li><li> Per </li></ul><ol><li>a</li><li>b</li></ol>"
                               "<table><tr><td>08.00</td><td>Kaffe</td></tr><tr><th>09.00</th><td>Start</td></tr></table>"
                               "<pre>  x  y\n z</pre><div>slut</div></body></html>";
    page p;
    load(&p, html, strlen(html));
    CHECK(text_is(&p, "Rubrik\n\nRad ett\nrad två\n\n\xE2\x80\xA2 Anna\n\xE2\x80\xA2 Per\n\n1. a\n2. b\n\n"
                      "08.00\tKaffe\n09.00\tStart\n\n  x  y\n z\n\nslut\n"));
    unload(&p);
}

static void test_references_map_to_source(void)
{
    static const char html[] = "<p>kl.&nbsp;08.00&ndash;09.30 R&auml;ksm&#246;rg&#xE5;s &amp; te</p>";
    page p;
    load(&p, html, strlen(html));
    CHECK(text_is(&p, "kl.\xC2\xA0" "08.00\xE2\x80\x93" "09.30 R\xC3\xA4ksm\xC3\xB6rg\xC3\xA5s & te\n"));
    const char *src = html;
    /* every byte of a decoded reference points at its '&' ... */
    CHECK(from(&p, "\xE2\x80\x93", 0) == (size_t)(strstr(src, "&ndash;") - src));
    CHECK(from(&p, "\xE2\x80\x93", 2) == (size_t)(strstr(src, "&ndash;") - src));
    CHECK(from(&p, "\xC3\xB6", 0) == (size_t)(strstr(src, "&#246;") - src));
    /* ... and the byte after it at the byte after the ';' */
    CHECK(from(&p, "09.30", 0) == (size_t)(strstr(src, "09.30") - src));
    CHECK(from(&p, "rg", 0) == (size_t)(strstr(src, "rg&#xE5;") - src));
    CHECK(from(&p, "s & te", 0) == (size_t)(strstr(src, "s &amp;") - src));
    CHECK(from(&p, "& te", 1) == (size_t)(strstr(src, " te<") - src));
    CHECK(p.t.orig[p.t.len] == strlen(html));
    unload(&p);
}

/* Text the parser joins across a stray end tag, a name that is no
 * reference, a reference without ';', a literal '<', CR LF. */
static void test_odd_text(void)
{
    static const char html[] = "<p>Anna</tr> Berg &foo; &copy2023 a < b\r\nslut</p>";
    page p;
    load(&p, html, strlen(html));
    CHECK(text_is(&p, "Anna Berg &foo; \xC2\xA9" "2023 a < b slut\n"));
    CHECK(from(&p, "Berg", 0) == (size_t)(strstr(html, "Berg") - html));
    CHECK(from(&p, "foo", 0) == (size_t)(strstr(html, "foo;") - html)); /* as written: byte for byte */
    CHECK(from(&p, "\xC2\xA9", 0) == (size_t)(strstr(html, "&copy") - html));
    CHECK(from(&p, "< b", 0) == (size_t)(strstr(html, "< b") - html));
    CHECK(from(&p, "slut", 0) == (size_t)(strstr(html, "slut") - html));
    unload(&p);
}

static void test_chrome_dropped(void)
{
    static const char html[] =
        "<body><header><nav>Meny 1 maj</nav>Sajt</header><div class=\"cookie-banner\">Kakor 2 maj</div>"
        "<div id=\"breadcrumb\">Hem</div><div role=\"navigation\">Nav</div><p hidden>Gömd</p>"
        "<p style=\"display: none\">Dold</p><p aria-hidden=\"true\">Ikon</p><noscript>JS</noscript>"
        "<script>x=1</script><template><p>Mall</p></template>"
        "<div class=\"hero-banner\"><h1>Titeln</h1></div>"
        "<main><article><header><p>Ingress</p></header><p>Text</p><footer>Artikelfot</footer></article></main>"
        "<aside>Annat 3 maj</aside><footer>Sidfot 4 maj</footer></body>";
    page p;
    load(&p, html, strlen(html));
    CHECK(text_is(&p, "Titeln\n\nIngress\n\nText\n\nArtikelfot\n"));
    unload(&p);
}

static void test_charsets(void)
{
    /* Declared ISO-8859-15: 0xA4 is the euro sign (Windows-1252: a currency sign). */
    static const char l15[] = "<meta charset=\"iso-8859-15\"><p>Pris 100 \xA4, caf\xE9</p>";
    page p;
    load(&p, l15, strlen(l15));
    CHECK(text_is(&p, "Pris 100 \xE2\x82\xAC, caf\xC3\xA9\n"));
    CHECK(p.warning == NULL); /* read's Windows-1252 warning no longer applies */
    CHECK(from(&p, "caf", 3) == (size_t)(strchr(l15, '\xE9') - l15));
    unload(&p);

    /* http-equiv, Latin-1 label: decoded as Windows-1252 per WHATWG. */
    static const char l1[] = "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=ISO-8859-1\">"
                             "<p>M\xF6te \x96 V\xE4xj\xF6</p>";
    load(&p, l1, strlen(l1));
    CHECK(text_is(&p, "M\xC3\xB6te \xE2\x80\x93 V\xC3\xA4xj\xC3\xB6\n"));
    CHECK(p.warning == NULL);
    unload(&p);

    /* Declared Latin-1 but the bytes are UTF-8: UTF-8 wins, with a warning. */
    static const char mis[] = "<meta charset=\"latin1\"><p>M\xC3\xB6te</p>";
    load(&p, mis, strlen(mis));
    CHECK(text_is(&p, "M\xC3\xB6te\n"));
    CHECK(p.warning && strstr(p.warning, "UTF-8"));
    unload(&p);

    /* A BOM wins over the declaration. */
    static const char bom[] = "\xEF\xBB\xBF<meta charset=\"iso-8859-1\"><p>M\xC3\xB6te</p>";
    load(&p, bom, strlen(bom));
    CHECK(text_is(&p, "M\xC3\xB6te\n"));
    CHECK(from(&p, "M", 0) == (size_t)(strstr(bom, "M\xC3") - bom));
    unload(&p);

    /* An unknown charset: read's decoding stays, and the record says so. */
    static const char unk[] = "<meta charset=\"x-no-such\"><p>M\xF6te</p>";
    load(&p, unk, strlen(unk));
    CHECK(p.rc == 0 && p.warning && strstr(p.warning, "ICU does not know"));
    unload(&p);
}

static void test_crlf_and_depth(void)
{
    static const char crlf[] = "<p>a\r\nb</p><pre>c\r\nd</pre>";
    page p;
    load(&p, crlf, strlen(crlf));
    CHECK(text_is(&p, "a b\n\nc\nd\n"));
    CHECK(from(&p, "d", 0) == (size_t)(strrchr(crlf, 'd') - crlf));
    unload(&p);

    size_t n = 5000;
    char *deep = malloc(n * 5 + 16);
    strcpy(deep, "<p>x</p>");
    for (size_t i = 0; i < n; i++)
        memcpy(deep + 8 + i * 5, "<div>", 5);
    deep[8 + n * 5] = '\0';
    load(&p, deep, strlen(deep));
    CHECK(p.rc == -2); /* refused before gumbo spends quadratic time */
    unload(&p);
    /* Thousands of unclosed <p> and <li> are ordinary, not deep. */
    for (size_t i = 0; i < n; i++)
        memcpy(deep + 8 + i * 5, i % 2 ? "<li>a" : "<p>bb", 5);
    load(&p, deep, strlen(deep));
    CHECK(p.rc == 0);
    unload(&p);
    free(deep);
}

static void test_detection(void)
{
    evx_input_format f;
    CHECK(html_parse_input_format("html", &f) == 0 && f == EVX_INPUT_HTML);
    CHECK(html_parse_input_format("xml", &f) < 0);
    CHECK(html_is_html_name("a/b.HTML") && html_is_html_name("x.htm") && !html_is_html_name("x.txt") &&
          !html_is_html_name(".html"));
    page p;
    static const char doc[] = "\n  <!DOCTYPE html><p>x</p>";
    load(&p, doc, strlen(doc));
    CHECK(html_is_input(EVX_INPUT_AUTO, "-", &p.in));
    CHECK(!html_is_input(EVX_INPUT_AUTO, "page.txt", &p.in));
    CHECK(!html_is_input(EVX_INPUT_TEXT, "page.html", &p.in));
    unload(&p);
    static const char txt[] = "Möte 12 maj <b>";
    load(&p, txt, strlen(txt));
    CHECK(!html_is_input(EVX_INPUT_AUTO, "-", &p.in));
    CHECK(html_is_input(EVX_INPUT_HTML, "-", &p.in));
    unload(&p);
}

int main(void)
{
    test_blocks_and_lines();
    test_references_map_to_source();
    test_odd_text();
    test_chrome_dropped();
    test_charsets();
    test_crlf_and_depth();
    test_detection();
    return CHECK_DONE("test_html");
}
