/* html.c - HTML page to mapped text (see html.h). */
#include "html.h"
#include <ctype.h>
#include <gumbo.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unicode/ucnv.h>
#include <unicode/ustring.h>

static const char UNKNOWN_CHARSET[] = "the page declares a charset ICU does not know; read as UTF-8 (Windows-1252 where "
                                      "not valid UTF-8)";
static const char MISDECLARED[] = "the page declares a charset other than UTF-8 but its bytes are UTF-8; read as UTF-8";

int html_parse_input_format(const char *name, evx_input_format *fmt)
{
    static const char *const names[] = {"auto", "text", "html"};
    for (int i = 0; i < 3; i++)
        if (!strcmp(name, names[i])) {
            *fmt = (evx_input_format)i;
            return 0;
        }
    return -1;
}

static int has_suffix_ci(const char *s, const char *suf)
{
    size_t a = strlen(s), b = strlen(suf);
    return a > b && !strcasecmp(s + a - b, suf);
}

int html_is_html_name(const char *name) { return has_suffix_ci(name, ".html") || has_suffix_ci(name, ".htm"); }

static int starts_ci(const char *s, size_t n, const char *prefix)
{
    size_t k = strlen(prefix);
    return n >= k && !strncasecmp(s, prefix, k);
}

int html_is_input(evx_input_format fmt, const char *path, const read_input *in)
{
    if (fmt != EVX_INPUT_AUTO)
        return fmt == EVX_INPUT_HTML;
    if (html_is_html_name(path))
        return 1;
    if (has_suffix_ci(path, ".txt"))
        return 0;
    const char *s = in->utf8.data;
    size_t n = in->utf8.len, i = 0;
    while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
        i++;
    return starts_ci(s + i, n - i, "<!doctype html") || starts_ci(s + i, n - i, "<html") ||
           starts_ci(s + i, n - i, "<!--");
}

/* ---- the charset ----------------------------------------------------- */

/* The charset a <meta> in the first 1024 bytes declares ("<meta
 * charset=x>" or "<meta http-equiv=Content-Type content='text/html;
 * charset=x'>"), copied into name; 0 when there is none. */
static int declared_charset(const char *b, size_t n, char *name, size_t len)
{
    size_t lim = n < 1024 ? n : 1024;
    for (size_t i = 0; i + 5 < lim; i++) {
        if (b[i] != '<' || strncasecmp(b + i + 1, "meta", 4))
            continue;
        size_t end = i + 5;
        while (end < n && end < lim + 512 && b[end] != '>')
            end++;
        for (size_t k = i + 5; k + 7 < end; k++) {
            if (strncasecmp(b + k, "charset", 7))
                continue;
            size_t p = k + 7;
            while (p < end && (b[p] == ' ' || b[p] == '\t'))
                p++;
            if (p >= end || b[p] != '=')
                continue;
            for (p++; p < end && (b[p] == ' ' || b[p] == '\t' || b[p] == '"' || b[p] == '\''); p++)
                ;
            size_t q = 0;
            while (p < end && q + 1 < len &&
                   (isalnum((unsigned char)b[p]) || b[p] == '-' || b[p] == '_' || b[p] == '.' || b[p] == ':'))
                name[q++] = b[p++];
            name[q] = '\0';
            if (q)
                return 1;
        }
    }
    return 0;
}

/* WHATWG's reading of a label: Latin-1 and ASCII mean Windows-1252, a
 * UTF-16 declaration in the page itself means UTF-8. NULL for UTF-8. */
static const char *charset_for(const char *label)
{
    static const char *const w1252[] = {"iso-8859-1", "iso8859-1", "iso_8859-1", "latin1", "l1",    "us-ascii",
                                        "ascii",      "cp1252",    "windows-1252", "x-cp1252", "cp819", "ibm819"};
    if (!strcasecmp(label, "utf-8") || !strcasecmp(label, "utf8") || !strncasecmp(label, "utf-16", 6))
        return NULL;
    for (size_t i = 0; i < sizeof w1252 / sizeof *w1252; i++)
        if (!strcasecmp(label, w1252[i]))
            return "windows-1252";
    return label;
}

static int utf8_valid(const char *b, size_t n, int *ascii)
{
    *ascii = 1;
    for (size_t i = 0; i < n && *ascii; i++)
        *ascii = (unsigned char)b[i] < 0x80;
    if (*ascii)
        return 1;
    UErrorCode st = U_ZERO_ERROR;
    int32_t need = 0;
    u_strFromUTF8(NULL, 0, &need, b, (int32_t)n, &st);
    return st != U_INVALID_CHAR_FOUND && st != U_ILLEGAL_ARGUMENT_ERROR;
}

/* bytes in `charset` to mapped UTF-8 (each character to its first byte).
 * Returns 0; 1 when ICU does not know the charset; -1 out of memory. */
static int decode_as(const char *charset, const char *bytes, size_t len, evx_text *out)
{
    UErrorCode st = U_ZERO_ERROR;
    UConverter *cv = ucnv_open(charset, &st);
    if (U_FAILURE(st))
        return 1;
    size_t cap = len * 2 + 2;
    UChar *u = malloc(cap * sizeof *u);
    int32_t *offs = malloc(cap * sizeof *offs);
    out->data = malloc(cap * 2 + 1);
    out->orig = malloc((cap * 2 + 1) * sizeof *out->orig);
    out->len = 0;
    int rc = -1;
    if (u && offs && out->data && out->orig) {
        UChar *tgt = u;
        const char *src = bytes;
        ucnv_toUnicode(cv, &tgt, u + cap, &src, bytes + len, offs, 1, &st);
        size_t n = (size_t)(tgt - u), last = 0;
        for (size_t i = 0; i < n; i++) {
            uint32_t c = u[i];
            size_t o = offs[i] >= 0 ? (size_t)offs[i] : last; /* -1: no source byte of its own */
            if (c >= 0xD800 && c <= 0xDBFF && i + 1 < n && u[i + 1] >= 0xDC00 && u[i + 1] <= 0xDFFF)
                c = 0x10000 + ((c - 0xD800) << 10) + (u[++i] - 0xDC00);
            else if (c >= 0xD800 && c <= 0xDFFF)
                c = 0xFFFD;
            text_put_utf8(out, c, o);
            last = o;
        }
        out->data[out->len] = '\0';
        out->orig[out->len] = len;
        rc = U_FAILURE(st) ? -1 : 0;
    }
    ucnv_close(cv);
    free(u);
    free(offs);
    if (rc)
        text_free(out);
    return rc;
}

/* ---- the text sink --------------------------------------------------- */

typedef struct {
    char *data;
    size_t *off; /* offset in the parsed buffer of each byte */
    size_t len, cap;
    int pending_nl;    /* line breaks owed before the next text (the most asked for) */
    int pending_tab;   /* a cell ended */
    int pending_space; /* white space seen since the last text */
    size_t space_off;
    size_t last_end;   /* just past the source of the last text written */
    size_t *map;       /* per text node: decoded byte -> buffer offset (reused) */
    size_t mapcap;
    int oom;
} sink;

static void put(sink *s, const char *b, size_t n, const size_t *offs, size_t one)
{
    if (s->oom)
        return;
    if (s->len + n + 2 > s->cap) {
        size_t cap = (s->cap + n) * 2 + 256;
        char *d = realloc(s->data, cap);
        if (d)
            s->data = d;
        size_t *o = realloc(s->off, cap * sizeof *o);
        if (o)
            s->off = o;
        if (!d || !o) {
            s->oom = 1;
            return;
        }
        s->cap = cap;
    }
    for (size_t i = 0; i < n; i++) {
        s->data[s->len] = b[i];
        s->off[s->len++] = offs ? offs[i] : one;
    }
}

static void need_nl(sink *s, int k)
{
    if (k > s->pending_nl)
        s->pending_nl = k;
}

static int trailing_nl(const sink *s)
{
    int k = 0;
    while (k < 2 && (size_t)k < s->len && s->data[s->len - 1 - k] == '\n')
        k++;
    return k;
}

/* Writes what is owed before the next text: line breaks, else a tab, else
 * one space (never at the start of a line or after a tab). */
static void flush(sink *s)
{
    if (s->len) {
        char last = s->data[s->len - 1];
        if (s->pending_nl)
            for (int k = trailing_nl(s); k < s->pending_nl; k++)
                put(s, "\n", 1, NULL, s->last_end);
        else if (s->pending_tab)
            put(s, "\t", 1, NULL, s->last_end);
        else if (s->pending_space && last != '\n' && last != '\t' && last != ' ')
            put(s, " ", 1, NULL, s->space_off);
    }
    s->pending_nl = s->pending_tab = s->pending_space = 0;
}

/* ---- text nodes: decoded bytes back to their source --------------------- */

static int is_cont(unsigned char c) { return (c & 0xC0) == 0x80; }

/* raw[i] starts a tag ("<b", "</tr", "<!x"), not a literal "<" ("< b", "<3"). */
static int tag_at(const char *raw, size_t n, size_t i)
{
    return raw[i] == '<' && i + 1 < n && (isalpha((unsigned char)raw[i + 1]) || raw[i + 1] == '/' || raw[i + 1] == '!');
}

/* End of the character reference at raw[r] == '&' (name or number, and its
 * ';' when there is one). */
static size_t ref_end(const char *raw, size_t n, size_t r)
{
    size_t i = r + 1;
    if (i < n && raw[i] == '#') {
        i++;
        if (i < n && (raw[i] == 'x' || raw[i] == 'X'))
            i++;
        while (i < n && isxdigit((unsigned char)raw[i]))
            i++;
    } else {
        while (i < n && isalnum((unsigned char)raw[i]))
            i++;
    }
    return i < n && raw[i] == ';' ? i + 1 : i;
}

/* How many decoded bytes the reference produced: the smallest k (at a
 * character boundary) after which the decoded text goes on as the source
 * does - the next few visible source bytes, stepping over tags the parser
 * ignored. SIZE_MAX when no k fits. */
static size_t resync(const char *raw, size_t rn, const char *dec, size_t dn)
{
    char want[16];
    size_t nw = 0, i = 0;
    for (; i < rn && nw < sizeof want && raw[i] != '&' && raw[i] != '\0'; i++) {
        if (raw[i] == '\r') { /* read as a line feed, CR LF as one */
            want[nw++] = '\n';
            i += i + 1 < rn && raw[i + 1] == '\n';
            continue;
        }
        if (tag_at(raw, rn, i)) {
            const char *gt = memchr(raw + i, '>', rn - i);
            if (!gt)
                break;
            i = (size_t)(gt - raw);
            continue;
        }
        want[nw++] = raw[i];
    }
    int at_end = i >= rn; /* then the decoded text must end with what was seen */
    for (size_t k = 1; k <= dn && k <= 64; k++) {
        if (k < dn && is_cont((unsigned char)dec[k]))
            continue;
        if ((at_end ? dn - k == nw : dn - k >= nw) && !memcmp(dec + k, want, nw))
            return k;
    }
    return SIZE_MAX;
}

/* map[d] = buffer offset of decoded byte d; map[dn] = end of the node. A
 * text node's source may hold tags the parser ignored (stray end tags):
 * their bytes produce nothing and are stepped over. */
static void align(const char *raw, size_t rn, size_t r0, const char *dec, size_t dn, size_t *map)
{
    size_t r = 0, d = 0;
    while (d < dn && r < rn) {
        unsigned char c = (unsigned char)raw[r];
        if (c == '&') {
            size_t e = ref_end(raw, rn, r), k = resync(raw + e, rn - e, dec + d, dn - d);
            if (k != SIZE_MAX) {
                /* left as written ("&foo;", not a reference): byte for byte */
                int verbatim = k == e - r && !memcmp(dec + d, raw + r, k);
                for (size_t i = 0; i < k; i++)
                    map[d + i] = r0 + r + (verbatim ? i : 0);
                d += k;
                r = e;
                continue;
            }
        }
        if (c == '\r' && dec[d] == '\n') { /* CR LF and lone CR read as LF */
            map[d++] = r0 + r;
            r += r + 1 < rn && raw[r + 1] == '\n' ? 2 : 1;
            continue;
        }
        if (c == '\0' && dn - d >= 3 && !memcmp(dec + d, "\xEF\xBF\xBD", 3)) { /* NUL read as U+FFFD */
            map[d] = map[d + 1] = map[d + 2] = r0 + r;
            d += 3;
            r++;
            continue;
        }
        if (tag_at(raw, rn, r)) { /* a tag the parser ignored ("</tr>" out of a table), unless it is text */
            const char *gt = memchr(raw + r, '>', rn - r);
            size_t tl = gt ? (size_t)(gt - raw) + 1 - r : 0;
            if (gt && (dn - d < tl || memcmp(dec + d, raw + r, tl))) {
                r += tl;
                continue;
            }
        }
        if (c != (unsigned char)dec[d])
            break; /* out of step: the rest points at where it happened */
        map[d++] = r0 + r++;
    }
    for (; d < dn; d++)
        map[d] = r0 + r;
    map[dn] = r0 + rn;
}

static int is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

static int utf8_len(unsigned char c) { return c < 0xC0 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4; }

static void text_node(sink *s, const GumboText *t, const char *base, int pre)
{
    const char *dec = t->text;
    size_t dn = strlen(dec);
    if (dn + 1 > s->mapcap) {
        size_t *m = realloc(s->map, (dn + 1) * sizeof *m);
        if (!m) {
            s->oom = 1;
            return;
        }
        s->map = m;
        s->mapcap = dn + 1;
    }
    align(t->original_text.data, t->original_text.length, (size_t)(t->original_text.data - base), dec, dn, s->map);
    for (size_t d = 0; d < dn;) {
        size_t n = (size_t)utf8_len((unsigned char)dec[d]);
        n = d + n <= dn ? n : dn - d;
        if (!pre && is_space(dec[d])) {
            if (!s->pending_space) {
                s->pending_space = 1;
                s->space_off = s->map[d];
            }
        } else if (pre && dec[d] == '\n') {
            s->pending_space = s->pending_tab = 0;
            flush(s);
            put(s, "\n", 1, NULL, s->map[d]);
            s->last_end = s->map[d + 1];
        } else {
            flush(s);
            put(s, dec + d, n, s->map + d, 0);
            s->last_end = s->map[d + n];
        }
        d += n;
    }
}

/* ---- elements -------------------------------------------------------- */

static const char *attr(const GumboElement *e, const char *name)
{
    const GumboAttribute *a = gumbo_get_attribute(&e->attributes, name);
    return a ? a->value : NULL;
}

static int contains_ci(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    for (; hay && *hay; hay++)
        if (!strncasecmp(hay, needle, n))
            return 1;
    return 0;
}

/* Does the subtree hold an <h1>? (A "hero banner" holds the page's title;
 * a cookie banner does not.) Looks at a bounded number of nodes. */
static int holds_h1(const GumboNode *root)
{
    const GumboNode *stack[256];
    int top = 0, seen = 0;
    stack[top++] = root;
    while (top && seen++ < 4096) {
        const GumboNode *n = stack[--top];
        if (n->type != GUMBO_NODE_ELEMENT)
            continue;
        if (n->v.element.tag == GUMBO_TAG_H1)
            return 1;
        const GumboVector *ch = &n->v.element.children;
        for (unsigned i = 0; i < ch->length && top < 256; i++)
            stack[top++] = ch->data[i];
    }
    return 0;
}

/* Page chrome and invisible content: never the announcement. Class and id
 * words are the web's conventions, not Swedish. */
static int dropped(const GumboNode *node, int in_article)
{
    const GumboElement *e = &node->v.element;
    switch (e->tag) {
    case GUMBO_TAG_SCRIPT: case GUMBO_TAG_STYLE: case GUMBO_TAG_NOSCRIPT: case GUMBO_TAG_TEMPLATE:
    case GUMBO_TAG_HEAD: case GUMBO_TAG_TITLE: case GUMBO_TAG_NAV: case GUMBO_TAG_ASIDE:
    case GUMBO_TAG_IFRAME: case GUMBO_TAG_OBJECT: case GUMBO_TAG_EMBED: case GUMBO_TAG_SVG:
    case GUMBO_TAG_MATH: case GUMBO_TAG_CANVAS: case GUMBO_TAG_BUTTON: case GUMBO_TAG_SELECT:
    case GUMBO_TAG_DATALIST: case GUMBO_TAG_TEXTAREA: case GUMBO_TAG_AUDIO: case GUMBO_TAG_VIDEO: case GUMBO_TAG_MENU:
        return 1;
    case GUMBO_TAG_HEADER: case GUMBO_TAG_FOOTER:
        if (!in_article) /* the site's header; an article's own header holds its title */
            return 1;
        break;
    default:
        break;
    }
    if (gumbo_get_attribute(&e->attributes, "hidden"))
        return 1;
    const char *v = attr(e, "aria-hidden");
    if (v && !strcasecmp(v, "true"))
        return 1;
    static const char *const roles[] = {"navigation", "banner", "contentinfo", "complementary", "search",
                                        "menu",       "menubar", "dialog", "alertdialog"};
    if ((v = attr(e, "role")))
        for (size_t i = 0; i < sizeof roles / sizeof *roles; i++)
            if (!strcasecmp(v, roles[i]))
                return 1;
    if ((v = attr(e, "style"))) {
        char compact[128];
        size_t k = 0;
        for (; *v && k + 1 < sizeof compact; v++)
            if (!is_space(*v))
                compact[k++] = *v;
        compact[k] = '\0';
        if (contains_ci(compact, "display:none") || contains_ci(compact, "visibility:hidden"))
            return 1;
    }
    static const char *const chrome[] = {"cookie", "consent", "gdpr", "banner", "menu", "breadcrumb",
                                         "navbar", "skip-link", "skiplink", "sr-only", "visually-hidden",
                                         "screen-reader"};
    const char *names[2] = {attr(e, "id"), attr(e, "class")};
    for (int a = 0; a < 2; a++)
        for (size_t i = 0; names[a] && i < sizeof chrome / sizeof *chrome; i++)
            if (contains_ci(names[a], chrome[i]))
                return !holds_h1(node);
    return 0;
}

/* Line breaks a block asks for before and after itself: 2 for paragraph-
 * like blocks (a blank line, as between paragraphs of a text), 1 for other
 * blocks, 0 for inline elements. */
static int block_breaks(const GumboNode *node)
{
    switch (node->v.element.tag) {
    case GUMBO_TAG_P: case GUMBO_TAG_H1: case GUMBO_TAG_H2: case GUMBO_TAG_H3: case GUMBO_TAG_H4:
    case GUMBO_TAG_H5: case GUMBO_TAG_H6: case GUMBO_TAG_TABLE: case GUMBO_TAG_BLOCKQUOTE:
    case GUMBO_TAG_PRE: case GUMBO_TAG_DL: case GUMBO_TAG_HR:
        return 2;
    case GUMBO_TAG_UL: case GUMBO_TAG_OL: /* a nested list is part of its item */
        return node->parent && node->parent->type == GUMBO_NODE_ELEMENT &&
                       node->parent->v.element.tag == GUMBO_TAG_LI ? 1 : 2;
    case GUMBO_TAG_DIV: case GUMBO_TAG_LI: case GUMBO_TAG_DT: case GUMBO_TAG_DD: case GUMBO_TAG_TR:
    case GUMBO_TAG_CAPTION: case GUMBO_TAG_SECTION: case GUMBO_TAG_ARTICLE: case GUMBO_TAG_MAIN:
    case GUMBO_TAG_HEADER: case GUMBO_TAG_FOOTER: case GUMBO_TAG_FORM: case GUMBO_TAG_FIELDSET:
    case GUMBO_TAG_LEGEND: case GUMBO_TAG_DETAILS: case GUMBO_TAG_SUMMARY: case GUMBO_TAG_FIGURE:
    case GUMBO_TAG_FIGCAPTION: case GUMBO_TAG_ADDRESS: case GUMBO_TAG_CENTER: case GUMBO_TAG_BODY:
    case GUMBO_TAG_HTML: case GUMBO_TAG_THEAD: case GUMBO_TAG_TBODY: case GUMBO_TAG_TFOOT:
    case GUMBO_TAG_HGROUP: case GUMBO_TAG_OPTION:
        return 1;
    default:
        return 0;
    }
}

typedef struct {
    const GumboNode *node;
    unsigned next;  /* next child to visit */
    int breaks;     /* line breaks again on leaving */
    int counter;    /* <ol>: items so far */
} frame;

typedef struct {
    frame *f;
    int n, cap;
    int pre, article; /* inside <pre>, inside article/main/section */
} walk;

static frame *nearest_list(walk *w)
{
    for (int i = w->n - 1; i >= 0 && i >= w->n - 64; i--) {
        GumboTag t = w->f[i].node->v.element.tag;
        if (t == GUMBO_TAG_OL || t == GUMBO_TAG_UL)
            return &w->f[i];
    }
    return NULL;
}

static int is_article(GumboTag t) { return t == GUMBO_TAG_ARTICLE || t == GUMBO_TAG_MAIN || t == GUMBO_TAG_SECTION; }

/* An element starts: breaks, markers, and whether to descend. */
static int enter(sink *s, walk *w, const GumboNode *node)
{
    const GumboElement *e = &node->v.element;
    if (dropped(node, w->article))
        return 0;
    int breaks = block_breaks(node);
    need_nl(s, breaks);
    if (e->tag == GUMBO_TAG_BR) {
        s->pending_space = s->pending_tab = 0;
        flush(s);
        put(s, "\n", 1, NULL, s->last_end);
        return 0;
    }
    if (e->tag == GUMBO_TAG_LI) {
        frame *list = nearest_list(w);
        char mark[16] = "\xE2\x80\xA2 "; /* "• " */
        if (list && list->node->v.element.tag == GUMBO_TAG_OL)
            snprintf(mark, sizeof mark, "%d. ", ++list->counter);
        flush(s);
        put(s, mark, strlen(mark), NULL, e->start_pos.offset);
        s->last_end = e->start_pos.offset;
    }
    if (w->n == w->cap) {
        int cap = w->cap ? w->cap * 2 : 64;
        frame *f = realloc(w->f, (size_t)cap * sizeof *f);
        if (!f) {
            s->oom = 1;
            return 0;
        }
        w->f = f;
        w->cap = cap;
    }
    w->f[w->n++] = (frame){node, 0, breaks, 0};
    w->pre += e->tag == GUMBO_TAG_PRE;
    w->article += is_article(e->tag);
    return 1;
}

static void leave(sink *s, walk *w)
{
    const frame *f = &w->f[--w->n];
    GumboTag t = f->node->v.element.tag;
    need_nl(s, f->breaks);
    if (t == GUMBO_TAG_TD || t == GUMBO_TAG_TH)
        s->pending_tab = 1;
    w->pre -= t == GUMBO_TAG_PRE;
    w->article -= is_article(t);
}

/* Depth-first over the tree without recursion: pages nest deeply. */
static void walk_tree(sink *s, const GumboNode *doc, const char *base)
{
    walk w = {0};
    const GumboVector *top = &doc->v.document.children;
    for (unsigned i = 0; i < top->length && !s->oom; i++) {
        const GumboNode *c = top->data[i];
        if (c->type != GUMBO_NODE_ELEMENT || !enter(s, &w, c))
            continue;
        while (w.n && !s->oom) {
            frame *f = &w.f[w.n - 1];
            const GumboVector *ch = &f->node->v.element.children;
            if (f->next >= ch->length) {
                leave(s, &w);
                continue;
            }
            c = ch->data[f->next++];
            if (c->type == GUMBO_NODE_ELEMENT || c->type == GUMBO_NODE_TEMPLATE)
                enter(s, &w, c);
            else if (c->type == GUMBO_NODE_TEXT || c->type == GUMBO_NODE_WHITESPACE || c->type == GUMBO_NODE_CDATA)
                text_node(s, &c->v.text, base, w.pre > 0);
        }
    }
    free(w.f);
}

/* ---- nesting ----------------------------------------------------------- */

/* HTML5 tree construction looks through the stack of open elements for
 * most start tags, so a page nesting N elements costs gumbo O(N^2): 200,000
 * nested <div>s take minutes. Browsers cap the depth; evx refuses a page
 * before parsing when a linear estimate of its depth passes HTML_MAX_DEPTH.
 * The estimate counts start tags minus end tags, skipping void elements,
 * self-closed tags, comments, script/style/textarea/title contents and
 * the elements whose start tag closes a sibling (p, li, td, ...), so it does
 * not overcount ordinary sloppy pages. */
#define HTML_MAX_DEPTH 4096

static int tag_in(const char *name, size_t n, const char *const *list)
{
    for (; *list; list++)
        if (strlen(*list) == n && !strncasecmp(name, *list, n))
            return 1;
    return 0;
}

/* First `needle` (k bytes, caseless) in s[0..n), or NULL. k is small. */
static const char *find_ci(const char *s, size_t n, const char *needle, size_t k)
{
    for (size_t i = 0; i + k <= n; i++)
        if (!strncasecmp(s + i, needle, k))
            return s + i;
    return NULL;
}

static int too_deep(const char *s, size_t n)
{
    static const char *const flat[] = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                                       "param", "source", "track", "wbr", "p", "li", "dt", "dd", "option", "tr",
                                       "td", "th", "tbody", "thead", "tfoot", "html", "head", "body", NULL};
    static const char *const raw[] = {"script", "style", "textarea", "title", "xmp", "noembed", NULL};
    long depth = 0;
    for (size_t i = 0; i + 1 < n; i++) {
        if (s[i] != '<')
            continue;
        if (!strncmp(s + i, "<!--", 4)) {
            const char *e = find_ci(s + i + 4, n - i - 4, "-->", 3);
            i = e ? (size_t)(e - s) + 2 : n;
            continue;
        }
        int end = s[i + 1] == '/';
        size_t a = i + 1 + (size_t)end, b = a;
        while (b < n && isalnum((unsigned char)s[b]))
            b++;
        if (b == a || !isalpha((unsigned char)s[a]))
            continue;
        size_t g = b;
        while (g < n && s[g] != '>')
            g++;
        int self = g < n && g > b && s[g - 1] == '/';
        if (end) {
            depth -= depth > 0 && !tag_in(s + a, b - a, flat);
        } else if (tag_in(s + a, b - a, raw)) {
            char close[16];
            int k = snprintf(close, sizeof close, "</%.*s", (int)(b - a), s + a);
            const char *e = g < n ? find_ci(s + g, n - g, close, (size_t)k) : NULL;
            i = e ? (size_t)(e - s) : n;
            continue;
        } else if (!self && !tag_in(s + a, b - a, flat) && ++depth > HTML_MAX_DEPTH) {
            return 1;
        }
        i = g < n ? g : n;
    }
    return 0;
}

int html_to_text(const read_input *in, evx_text *out, const char **warning, char *err, size_t errlen)
{
    const evx_text *src = &in->utf8;
    evx_text decoded = {0};
    const unsigned char *b = (const unsigned char *)in->bytes;
    int bom = in->len >= 2 && ((b[0] == 0xEF && in->len >= 3 && b[1] == 0xBB && b[2] == 0xBF) ||
                               (b[0] == 0xFE && b[1] == 0xFF) || (b[0] == 0xFF && b[1] == 0xFE));
    char label[64];
    const char *cs = !bom && declared_charset(in->bytes, in->len, label, sizeof label) ? charset_for(label) : NULL;
    if (cs) {
        int ascii, valid = utf8_valid(in->bytes, in->len, &ascii);
        if (!valid) {
            int rc = decode_as(cs, in->bytes, in->len, &decoded);
            if (rc < 0) {
                snprintf(err, errlen, "cannot decode the page as %s (declared charset)", cs);
                return -1;
            }
            if (rc == 0) {
                src = &decoded;
                *warning = NULL; /* decoded as declared: nothing to warn about */
            } else {
                *warning = UNKNOWN_CHARSET;
            }
        } else if (!ascii) {
            *warning = MISDECLARED;
        }
    }
    if (too_deep(src->data, src->len)) {
        snprintf(err, errlen, "elements nested deeper than %d (parsing it would take quadratic time); "
                              "a real page never does: check what produced it", HTML_MAX_DEPTH);
        text_free(&decoded);
        return -2;
    }
    GumboOptions opt = kGumboDefaultOptions;
    opt.max_errors = 0; /* the tree is all we want; do not keep parse errors */
    GumboOutput *g = gumbo_parse_with_options(&opt, src->data, src->len);
    sink s = {0};
    if (g)
        walk_tree(&s, g->document, src->data);
    if (s.len && s.data[s.len - 1] != '\n')
        put(&s, "\n", 1, NULL, s.last_end);
    put(&s, "", 0, NULL, 0); /* room for the NUL even when empty */
    if (g)
        gumbo_destroy_output(&opt, g);
    free(s.map);
    int rc = 0;
    if (!g || s.oom) {
        snprintf(err, errlen, "out of memory parsing the HTML");
        free(s.data);
        free(s.off);
        rc = -1;
    } else {
        /* Compose: output byte -> parsed buffer offset -> original input byte. */
        for (size_t i = 0; i < s.len; i++)
            s.off[i] = src->orig[s.off[i] <= src->len ? s.off[i] : src->len];
        s.off[s.len] = src->orig[src->len];
        s.data[s.len] = '\0';
        out->data = s.data;
        out->orig = s.off;
        out->len = s.len;
    }
    text_free(&decoded);
    return rc;
}
