/* speakers.c - the people on stage, from the `speaker` and `speaker_skip`
 * matches of rules/speakers.rules.
 *
 * The rules find contexts and capture each person as `name`; a rule's
 * `set kind=` says how much the context proves (see the header of
 * rules/speakers.rules). Here we only combine them:
 *   1. names inside a speaker_skip span (credits, contacts, quotes) go;
 *   2. kind=strong names are speakers;
 *   3. under a kind=label heading, every line that opens with a name gives
 *      speakers, until the first non-blank line that does not;
 *   4. a line holding a speaker makes the other names listed on it speakers,
 *      and a name already accepted elsewhere is accepted everywhere;
 *   5. one person once (first mention, compared without case and spacing),
 *      with role or organisation from the captures or the ", ..." after it. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "resolve.h"

enum { K_STRONG, K_LABEL, K_ITEM, K_LINE };

typedef struct {
    const ext_match *x;
    int kind;
    size_t ns, ne;      /* the name */
    size_t ls;          /* start of the name's line */
    int initial;        /* the name opens its line (after a bullet or title) */
    int skipped, accepted;
} cand;

typedef struct { size_t s, e; } span;

/* Bytes a role or organisation segment after a name may run. */
#define SEG_MAX 160

static size_t line_start(const evx_text *t, size_t pos)
{
    while (pos > 0 && t->data[pos - 1] != '\n')
        pos--;
    return pos;
}

static size_t line_end(const evx_text *t, size_t pos)
{
    while (pos < t->len && t->data[pos] != '\n')
        pos++;
    return pos;
}

static int is_blank(const evx_text *t, size_t s, size_t e)
{
    for (size_t i = s; i < e; i++)
        if (!isspace((unsigned char)t->data[i]))
            return 0;
    return 1;
}

/* A name opens its line when at most one word (a title such as "Professor")
 * and no digits stand before it; bullets and spaces do not count. */
static int opens_line(const evx_text *t, size_t ls, size_t ns)
{
    int words = 0, in_word = 0;
    for (size_t i = ls; i < ns; i++) {
        unsigned char c = (unsigned char)t->data[i];
        if (isdigit(c))
            return 0;
        int letter = isalpha(c) || c >= 0x80;
        if (letter && !in_word)
            words++;
        in_word = letter;
    }
    /* Non-ASCII bullets ("•") are bytes >= 0x80 too: a bullet alone is a
     * "word" made of no letters before a space, so allow one extra. */
    return words <= 2;
}

static int kind_of(const ext_match *x, const evx_text *t)
{
    char buf[32];
    const char *k = ext_value(x, t, "kind", buf, sizeof buf);
    if (!k || !strcmp(k, "strong"))
        return K_STRONG;
    if (!strcmp(k, "label"))
        return K_LABEL;
    if (!strcmp(k, "item"))
        return K_ITEM;
    return K_LINE;
}

/* Lower-case ASCII, single spaces: the key two mentions of a person share. */
static char *name_key(const char *s, size_t n)
{
    char *k = malloc(n + 1);
    size_t j = 0;
    int space = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (isspace(c)) {
            space = j > 0;
            continue;
        }
        if (space)
            k[j++] = ' ';
        space = 0;
        k[j++] = (char)tolower(c);
    }
    k[j] = '\0';
    return k;
}

static int same_name(const evx_text *t, const cand *a, const cand *b)
{
    char *ka = name_key(t->data + a->ns, a->ne - a->ns);
    char *kb = name_key(t->data + b->ns, b->ne - b->ns);
    int same = !strcmp(ka, kb);
    free(ka);
    free(kb);
    return same;
}

/* ---- collecting ---------------------------------------------------------- */

/* The span a skip match clears: its `name`, else all of it, plus its window
 * (cut at the next label heading, where speakers start again). */
static span skip_span(const ext_match *x, const evx_text *t, const cand *c, int nc)
{
    span sp = { x->start, x->end };
    size_t s, e;
    if (ext_span(x, "name", &s, &e) == 0) {
        sp.s = s;
        sp.e = e;
    }
    const char *w = rule_set_value(x->rule, "window");
    if (w) {
        sp.e = x->end + (size_t)atoi(w);
        if (sp.e > t->len)
            sp.e = t->len;
        for (int i = 0; i < nc; i++)
            if (c[i].kind == K_LABEL && c[i].x->start >= x->end && c[i].x->start < sp.e)
                sp.e = c[i].x->start;
    }
    return sp;
}

static int collect(const ext_matches *ms, const evx_text *t, cand **out)
{
    cand *c = NULL;
    int n = 0;
    for (int i = 0; i < ms->n; i++) {
        const ext_match *x = &ms->items[i];
        if (x->field != FIELD_speaker)
            continue;
        cand k = { .x = x, .kind = kind_of(x, t), .ns = x->start, .ne = x->end };
        if (k.kind != K_LABEL && ext_span(x, "name", &k.ns, &k.ne) != 0)
            continue;
        k.ls = line_start(t, k.ns);
        k.initial = opens_line(t, k.ls, k.ns);
        res_push((void **)&c, &n, sizeof k, &k);
    }
    for (int i = 0; i < ms->n; i++) {
        const ext_match *x = &ms->items[i];
        if (x->field != FIELD_speaker_skip)
            continue;
        span sp = skip_span(x, t, c, n);
        for (int j = 0; j < n; j++)
            if (c[j].kind != K_LABEL && c[j].ns < sp.e && c[j].ne > sp.s)
                c[j].skipped = 1;
    }
    *out = c;
    return n;
}

/* ---- accepting ----------------------------------------------------------- */

static int accept_line(cand *c, int n, size_t ls)
{
    int changed = 0;
    for (int i = 0; i < n; i++)
        if (c[i].kind != K_LABEL && !c[i].skipped && !c[i].accepted && c[i].ls == ls) {
            c[i].accepted = 1;
            changed = 1;
        }
    return changed;
}

/* Lines under a label heading: each line opened by a name is accepted. */
static void accept_section(cand *c, int n, const evx_text *t, const cand *label)
{
    size_t pos = line_end(t, label->x->end);
    while (pos < t->len) {
        size_t ls = pos + 1, le = line_end(t, ls);
        pos = le;
        if (is_blank(t, ls, le))
            continue;
        int opened = 0;
        for (int i = 0; i < n; i++)
            if (c[i].kind != K_LABEL && !c[i].skipped && c[i].ls == ls && c[i].initial)
                opened = 1;
        if (!opened)
            return;
        accept_line(c, n, ls);
    }
}

static void accept_all(cand *c, int n, const evx_text *t)
{
    for (int i = 0; i < n; i++)
        if (c[i].kind == K_STRONG && !c[i].skipped)
            c[i].accepted = 1;
    for (int i = 0; i < n; i++)
        if (c[i].kind == K_LABEL)
            accept_section(c, n, t, &c[i]);
    /* Spread over lines and names until nothing changes; n is small. */
    int changed = 1;
    while (changed) {
        changed = 0;
        for (int i = 0; i < n; i++) {
            if (!c[i].accepted)
                continue;
            changed |= accept_line(c, n, c[i].ls);
            for (int j = 0; j < n; j++)
                if (!c[j].accepted && !c[j].skipped && c[j].kind != K_LABEL && same_name(t, &c[i], &c[j])) {
                    c[j].accepted = 1;
                    changed = 1;
                }
        }
    }
}

/* ---- the record ---------------------------------------------------------- */

static char *capture(const ext_match *x, const evx_text *t, const char *name)
{
    size_t s, e;
    if (ext_span(x, name, &s, &e) != 0 || e <= s)
        return NULL;
    return res_strndup_trim(t->data + s, e - s);
}

/* The ", segment" right after a name, up to the next comma, semicolon,
 * bracket or line end; *end gets where it stops. */
static char *after_comma(const evx_text *t, size_t ne, size_t *end)
{
    size_t i = ne;
    while (i < t->len && (t->data[i] == ' ' || t->data[i] == '\t'))
        i++;
    if (i >= t->len || t->data[i] != ',')
        return NULL;
    size_t s = ++i;
    while (i < t->len && i - s < SEG_MAX && !strchr(",;()\n", t->data[i]))
        i++;
    char *seg = res_strndup_trim(t->data + s, i - s);
    if (!seg || !*seg) {
        free(seg);
        return NULL;
    }
    *end = i;
    return seg;
}

/* Whether s starts with a lower-case letter; for two-byte UTF-8 Latin
 * letters (U+00C0-U+00FF) the lower-case ones are U+00DF and up. */
static int starts_lower(const char *s)
{
    const unsigned char *u = (const unsigned char *)s;
    if (u[0] < 0x80)
        return islower(u[0]) != 0;
    return u[0] == 0xC3 && u[1] >= 0x9F;
}

static void add_speaker(const cand *k, const evx_text *t, evx_record *rec)
{
    res_speaker sp = { 0 };
    sp.name = res_strndup_trim(t->data + k->ns, k->ne - k->ns);
    sp.role = capture(k->x, t, "role");
    sp.organization = capture(k->x, t, "organization");
    sp.src.start = k->ns;
    sp.src.end = k->ne;
    sp.src.rule = k->x->rule->src->name;
    size_t end = k->ne;
    char *seg = after_comma(t, k->ne, &end);
    if (seg && !sp.role && !sp.organization) {
        /* A lower-case segment is a role ("lektor i ..."), else a name of
         * an organisation ("SKR", "Länsstyrelsen Skåne"). */
        if (starts_lower(seg))
            sp.role = seg;
        else
            sp.organization = seg;
        sp.src.end = end;
        seg = NULL;
    }
    free(seg);
    res_push((void **)&rec->speakers, &rec->n_speakers, sizeof sp, &sp);
}

static int by_position(const void *a, const void *b)
{
    const cand *x = a, *y = b;
    return x->ns < y->ns ? -1 : x->ns > y->ns;
}

void res_speakers(const ext_matches *ms, const evx_text *t, evx_record *rec)
{
    cand *c = NULL;
    int n = collect(ms, t, &c);
    accept_all(c, n, t);
    qsort(c, (size_t)n, sizeof *c, by_position);
    for (int i = 0; i < n; i++) {
        if (!c[i].accepted)
            continue;
        int seen = 0;
        for (int j = 0; j < i && !seen; j++)
            seen = c[j].accepted && same_name(t, &c[i], &c[j]);
        if (!seen)
            add_speaker(&c[i], t, rec);
    }
    free(c);
}
