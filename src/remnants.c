/* remnants.c - markup left in a text input (see remnants.h). */
#include "remnants.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define TAG_MAX 400   /* bytes: a longer "<...>" is no tag but text */
#define REF_NAME_MAX 8 /* the longest name below */

typedef struct {
    const char *name;
    uint32_t cp;
} named_ref;

/* The named references pages in Swedish use; the full HTML list is 2,231
 * names, nearly all of them never seen in an announcement. */
static const named_ref NAMED[] = {
    {"amp", '&'},       {"lt", '<'},        {"gt", '>'},       {"quot", '"'},      {"apos", '\''},
    {"nbsp", 0xA0},     {"shy", 0xAD},      {"ndash", 0x2013}, {"mdash", 0x2014},  {"minus", 0x2212},
    {"hellip", 0x2026}, {"bull", 0x2022},   {"middot", 0xB7},  {"laquo", 0xAB},    {"raquo", 0xBB},
    {"lsquo", 0x2018},  {"rsquo", 0x2019},  {"sbquo", 0x201A}, {"ldquo", 0x201C},  {"rdquo", 0x201D},
    {"bdquo", 0x201E},  {"aring", 0xE5},    {"Aring", 0xC5},   {"auml", 0xE4},     {"Auml", 0xC4},
    {"ouml", 0xF6},     {"Ouml", 0xD6},     {"eacute", 0xE9},  {"Eacute", 0xC9},   {"egrave", 0xE8},
    {"aacute", 0xE1},   {"uuml", 0xFC},     {"Uuml", 0xDC},    {"oslash", 0xF8},   {"Oslash", 0xD8},
    {"aelig", 0xE6},    {"AElig", 0xC6},    {"copy", 0xA9},    {"reg", 0xAE},      {"trade", 0x2122},
    {"euro", 0x20AC},   {"deg", 0xB0},      {"plusmn", 0xB1},  {"times", 0xD7},    {"frac12", 0xBD},
    {"sect", 0xA7},     {"para", 0xB6},     {"rarr", 0x2192},  {"larr", 0x2190},   {"ensp", 0x2002},
    {"emsp", 0x2003},   {"thinsp", 0x2009},
};

/* Tags after which a browser starts a new line. */
static const char *const BREAKING[] = {"br", "p", "div", "li", "ul", "ol", "tr", "table", "h1", "h2", "h3",
                                       "h4", "h5", "h6", "section", "article", "header", "footer", "blockquote",
                                       "dt", "dd", "hr"};

static int is_alpha(unsigned char c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; }
static int is_alnum(unsigned char c) { return is_alpha(c) || (c >= '0' && c <= '9'); }

/* The code point of the reference at s[0] == '&' and its length, or 0. */
static size_t ref_at(const char *s, size_t n, uint32_t *cp)
{
    size_t i = 1;
    if (i < n && s[i] == '#') {
        int hex = i + 1 < n && (s[i + 1] == 'x' || s[i + 1] == 'X');
        i += 1 + hex;
        uint32_t v = 0;
        size_t digits = 0;
        for (; i < n && digits < 7; i++, digits++) {
            unsigned char c = (unsigned char)s[i];
            int d = c >= '0' && c <= '9' ? c - '0' : hex && (c | 0x20) >= 'a' && (c | 0x20) <= 'f' ? (c | 0x20) - 'a' + 10 : -1;
            if (d < 0)
                break;
            v = v * (hex ? 16 : 10) + (uint32_t)d;
        }
        if (!digits || i >= n || s[i] != ';' || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF) ||
            (v < 0x20 && v != '\t' && v != '\n'))
            return 0;
        *cp = v;
        return i + 1;
    }
    while (i < n && i <= REF_NAME_MAX && is_alnum((unsigned char)s[i]))
        i++;
    if (i == 1 || i >= n || s[i] != ';')
        return 0;
    for (size_t k = 0; k < sizeof NAMED / sizeof *NAMED; k++)
        if (strlen(NAMED[k].name) == i - 1 && !memcmp(NAMED[k].name, s + 1, i - 1)) {
            *cp = NAMED[k].cp;
            return i + 1;
        }
    return 0;
}

/* The length of the tag or comment at s[0] == '<', or 0; *breaks says
 * whether it breaks a line. */
static size_t tag_at(const char *s, size_t n, int *breaks)
{
    *breaks = 0;
    if (n >= 4 && !memcmp(s, "<!--", 4)) {
        for (size_t i = 4; i + 3 <= n && i < TAG_MAX; i++)
            if (!memcmp(s + i, "-->", 3))
                return i + 3;
        return 0;
    }
    size_t i = 1 + (n > 1 && s[1] == '/');
    size_t name = i;
    while (i < n && is_alnum((unsigned char)s[i]))
        i++;
    if (i == name || !is_alpha((unsigned char)s[name]))
        return 0;
    size_t name_len = i - name;
    if (i < n && s[i] != '>' && s[i] != ' ' && s[i] != '/' && s[i] != '\t')
        return 0; /* "<12" was never a tag, nor "<abc-" */
    while (i < n && i < TAG_MAX && s[i] != '>' && s[i] != '<' && s[i] != '\n')
        i++;
    if (i >= n || s[i] != '>')
        return 0;
    for (size_t k = 0; k < sizeof BREAKING / sizeof *BREAKING; k++)
        if (strlen(BREAKING[k]) == name_len && !strncasecmp(BREAKING[k], s + name, name_len))
            *breaks = 1;
    return i + 1;
}

/* How many bytes of remnant start at s[0] (0: none), with the code point a
 * reference stands for (*cp, or -1 for a tag) and whether a tag breaks a
 * line. */
static size_t remnant_at(const char *s, size_t n, int32_t *cp, int *breaks)
{
    uint32_t v = 0;
    size_t k = 0;
    *breaks = 0;
    if (*s == '&' && (k = ref_at(s, n, &v)))
        *cp = (int32_t)v;
    else if (*s == '<' && (k = tag_at(s, n, breaks)))
        *cp = -1;
    return k;
}

int remnants_clean(const evx_text *in, evx_text *out)
{
    const char *s = in->data;
    size_t n = in->len, first = n;
    int32_t cp;
    int breaks;
    for (size_t i = 0; i < n && first == n; i++)
        if ((s[i] == '&' || s[i] == '<') && remnant_at(s + i, n - i, &cp, &breaks))
            first = i;
    if (first == n)
        return 0;
    /* A reference is never shorter than the UTF-8 it stands for, and a tag
     * leaves at most one byte: the text only shrinks. */
    evx_text t = {0};
    t.data = malloc(n + 1);
    t.orig = malloc((n + 1) * sizeof *t.orig);
    if (!t.data || !t.orig) {
        text_free(&t);
        return -1;
    }
    memcpy(t.data, s, first);
    memcpy(t.orig, in->orig, first * sizeof *t.orig);
    t.len = first;
    for (size_t i = first; i < n;) {
        size_t k = (s[i] == '&' || s[i] == '<') ? remnant_at(s + i, n - i, &cp, &breaks) : 0;
        if (!k) {
            t.data[t.len] = s[i];
            t.orig[t.len++] = in->orig[i++];
            continue;
        }
        if (cp >= 0)
            text_put_utf8(&t, (uint32_t)cp, in->orig[i]);
        else if (breaks && t.len && t.data[t.len - 1] != '\n' && i + k < n && s[i + k] != '\n') {
            t.data[t.len] = '\n';
            t.orig[t.len++] = in->orig[i];
        }
        i += k;
    }
    t.data[t.len] = '\0';
    t.orig[t.len] = in->orig[n];
    *out = t;
    return 1;
}
