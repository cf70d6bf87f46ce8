/* speakers.c - the people on stage, from the `speaker` and `speaker_skip`
 * matches of rules/speakers.rules.
 *
 * The rules find contexts and capture each person as `name`; a rule's
 * `set kind=` says how much the context proves (see the header of
 * rules/speakers.rules). Here we only combine them:
 *   1. names inside a speaker_skip span (credits, contacts, quotes) or a
 *      menu row (a one-line title_skip with `set items=yes`) go;
 *   2. kind=strong names are speakers;
 *   3. under a kind=label heading, every line that opens with a name gives
 *      speakers, until the first non-blank line that does not;
 *   4. a line holding a speaker makes the other names listed on it speakers
 *      (not a listed name right after a speaker's comma that ends the
 *      line's names: "Ahmed Osman, Röda Korset"), and a name already
 *      accepted elsewhere is accepted everywhere;
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
    char *key;          /* name_key of the name; NULL for labels */
    int skipped, accepted;
} cand;

typedef struct { size_t s, e; } span;

/* Bytes a role or organisation segment after a name may run. */
#define SEG_MAX 160
/* A second segment longer than this is a clause, not a description. */
#define SEG_SECOND 60

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

/* A name opens its line when at most one word (a title such as "Professor"
 * or a label such as "Moderator:") and no digit stands before it, or up to
 * three words set off by a colon or a dash (the part played: "Violetta
 * Valéry: Clara Jernberg", "Solo trumpet – Leo Andersson"). Bullets and
 * punctuation are no words: a word needs an ASCII letter or a Latin
 * letter's UTF-8 lead byte (0xC3). */
static int opens_line(const evx_text *t, size_t ls, size_t ns)
{
    int words = 0, in_word = 0;
    size_t last = ls; /* just past the last byte before the name that is not white space */
    for (size_t i = ls; i < ns; i++) {
        unsigned char c = (unsigned char)t->data[i];
        if (isdigit(c))
            return 0;
        int letter = isalpha(c) || c == 0xC3 || (c >= 0x80 && c < 0xC0 && in_word);
        if (letter && !in_word)
            words++;
        in_word = letter;
        if (!isspace(c))
            last = i + 1;
    }
    if (words <= 1)
        return 1;
    const char *d = t->data;
    int dash3 = last - ls >= 3 && (!memcmp(d + last - 3, "\xE2\x80\x93", 3) || !memcmp(d + last - 3, "\xE2\x80\x94", 3));
    int set_off = last > ls && (d[last - 1] == ':' || d[last - 1] == '-' || dash3); /* ':', '-', '–', '—' */
    return words <= 3 && set_off;
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
        k[j++] = c == '-' ? ' ' : (char)tolower(c); /* "Anna-Karin" and "Anna Karin" are one */
    }
    k[j] = '\0';
    return k;
}

/* ---- collecting ---------------------------------------------------------- */

/* Index of the first candidate whose name starts at or after pos (c is
 * sorted by name start). */
static int first_from(const cand *c, int n, size_t pos)
{
    int lo = 0, hi = n;
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        if (c[mid].ns < pos)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

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
        for (int i = first_from(c, nc, x->end); i < nc && c[i].ns < sp.e; i++)
            if (c[i].kind == K_LABEL) {
                sp.e = c[i].ns;
                break;
            }
    }
    return sp;
}

static int by_position(const void *a, const void *b)
{
    const cand *x = a, *y = b;
    return x->ns < y->ns ? -1 : x->ns > y->ns;
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
        if (k.kind != K_LABEL)
            k.key = name_key(t->data + k.ns, k.ne - k.ns);
        k.initial = opens_line(t, k.ls, k.ns);
        res_push((void **)&c, &n, sizeof k, &k);
    }
    if (n > 1) /* c is NULL without candidates: qsort(NULL) is UB */
        qsort(c, (size_t)n, sizeof *c, by_position);
    for (int i = 0; i < ms->n; i++) {
        const ext_match *x = &ms->items[i];
        /* A menu row (a title_skip rule's `set items=yes` on one line:
         * "Gudstjänster  Musik  Barn & unga  Vuxna") is words two spaces
         * apart, no one's name. A list a line per item may be people. */
        int menu = x->field == FIELD_title_skip && rule_set_value(x->rule, "items") &&
                   !memchr(t->data + x->start, '\n', x->end - x->start);
        if (x->field != FIELD_speaker_skip && !menu)
            continue;
        span sp = menu ? (span){x->start, x->end} : skip_span(x, t, c, n);
        /* A name never spans lines, so one reaching into the span starts
         * on the span's first line at the earliest. */
        for (int j = first_from(c, n, line_start(t, sp.s)); j < n && c[j].ns < sp.e; j++)
            if (c[j].kind != K_LABEL && c[j].ne > sp.s)
                c[j].skipped = 1;
    }
    *out = c;
    return n;
}

/* ---- accepting ----------------------------------------------------------- */


static int is_name(const cand *k)
{
    return k->kind != K_LABEL && !k->skipped;
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
        int from = first_from(c, n, ls), opened = 0;
        for (int i = from; i < n && c[i].ns < le; i++)
            opened |= is_name(&c[i]) && c[i].initial;
        if (!opened)
            return;
        for (int i = from; i < n && c[i].ns < le; i++)
            c[i].accepted |= is_name(&c[i]);
    }
}

/* Union-find over candidate indices. */
static int root(int *up, int i)
{
    while (up[i] != i)
        i = up[i] = up[up[i]];
    return i;
}

/* qsort has no context argument; one per thread for `evx extract -j N`. */
static _Thread_local const cand *sort_base;

static int by_key(const void *a, const void *b)
{
    const cand *x = &sort_base[*(const int *)a], *y = &sort_base[*(const int *)b];
    int d = strcmp(x->key, y->key);
    return d ? d : (x->ns < y->ns ? -1 : x->ns > y->ns);
}

/* Indices of the names (not labels, not skipped), sorted by key, then by
 * position. Returns their number; *out is malloc'd. */
static int names_by_key(const cand *c, int n, int **out)
{
    int *ix = malloc(sizeof *ix * (n > 0 ? (size_t)n : 1)), m = 0;
    for (int i = 0; i < n; i++)
        if (is_name(&c[i]))
            ix[m++] = i;
    sort_base = c;
    qsort(ix, (size_t)m, sizeof *ix, by_key);
    *out = ix;
    return m;
}

/* "Ahmed Osman, Röda Korset": a listed name right after another's comma
 * that ends the line's names is where the first works, not a second
 * person. */
static int affiliation(const cand *c, int n, const evx_text *t, int prev, int i)
{
    if (c[i].kind != K_ITEM || (i + 1 < n && c[i + 1].ls == c[i].ls))
        return 0;
    size_t k = c[prev].ne;
    if (k >= c[i].ns || t->data[k] != ',')
        return 0;
    while (++k < c[i].ns)
        if (!isspace((unsigned char)t->data[k]))
            return 0;
    return 1;
}

/* A line holding a speaker makes the other names on it speakers, and a
 * name accepted once is accepted everywhere, transitively: names joined by
 * a line or by their key form groups, and a group with a speaker is one. */
static void spread(cand *c, int n, const evx_text *t, const int *ix, int m)
{
    int *up = malloc(sizeof *up * (n > 0 ? (size_t)n : 1));
    for (int i = 0; i < n; i++)
        up[i] = i;
    int last = -1;
    for (int i = 0; i < n; i++) { /* c is sorted by position: lines are runs */
        if (!is_name(&c[i]))
            continue;
        if (last >= 0 && c[last].ls == c[i].ls && !affiliation(c, n, t, last, i))
            up[root(up, i)] = root(up, last);
        last = i;
    }
    for (int k = 1; k < m; k++)
        if (!strcmp(c[ix[k]].key, c[ix[k - 1]].key))
            up[root(up, ix[k])] = root(up, ix[k - 1]);
    char *hit = calloc(n > 0 ? (size_t)n : 1, 1);
    for (int i = 0; i < n; i++)
        if (is_name(&c[i]) && c[i].accepted)
            hit[root(up, i)] = 1;
    for (int i = 0; i < n; i++)
        if (is_name(&c[i]) && hit[root(up, i)])
            c[i].accepted = 1;
    free(hit);
    free(up);
}

static void accept_all(cand *c, int n, const evx_text *t, const int *ix, int m)
{
    for (int i = 0; i < n; i++)
        if (c[i].kind == K_STRONG && !c[i].skipped)
            c[i].accepted = 1;
    for (int i = 0; i < n; i++)
        if (c[i].kind == K_LABEL)
            accept_section(c, n, t, &c[i]);
    spread(c, n, t, ix, m);
}

/* ---- the record ---------------------------------------------------------- */

/* Capture `name` of x, cut where the next person on the line starts. */
static char *capture(const ext_match *x, const evx_text *t, const char *name, size_t limit)
{
    size_t s, e;
    if (ext_span(x, name, &s, &e) != 0 || e <= s)
        return NULL;
    if (e > limit && s < limit)
        e = res_drop_connective(t->data, s, limit);
    return res_strndup_trim(t->data + s, e - s);
}

/* The ", segment" starting at pos, up to the next comma, semicolon,
 * bracket, line end or limit, without a final full stop; *end gets where
 * it stops. */
static char *after_comma(const evx_text *t, size_t pos, size_t limit, size_t *end)
{
    size_t i = pos;
    while (i < limit && (t->data[i] == ' ' || t->data[i] == '\t'))
        i++;
    if (i >= limit || t->data[i] != ',')
        return NULL;
    size_t s = ++i;
    while (i < limit && i - s < SEG_MAX && !strchr(",;()\n", t->data[i]))
        i++;
    *end = i;
    if (i == limit)
        i = res_drop_connective(t->data, s, i);
    while (i > s && (isspace((unsigned char)t->data[i - 1]) || t->data[i - 1] == '.'))
        i--;
    if (i == s)
        return NULL;
    return res_strndup_trim(t->data + s, i - s);
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

/* Fills the role and organisation the rule did not capture from the
 * ", segments" after the name. The first is a role when the rule says so
 * (`set first=role`: "Name, Enhetschef ...") or it is lower case ("lektor
 * i ..."), else an organisation ("SKR"); a short second segment fills the
 * other one ("Per Holm, SKR, utredare"). The span grows over what is used. */
static void describe(res_speaker *sp, const ext_match *x, const evx_text *t, size_t limit)
{
    const char *first = rule_set_value(x->rule, "first");
    size_t end = sp->src.end;
    char *seg = after_comma(t, sp->src.end, limit, &end);
    if (!seg)
        return;
    int role = (first && !strcmp(first, "role")) || starts_lower(seg);
    char **slot = role ? &sp->role : &sp->organization;
    if (*slot) {
        free(seg);
        return;
    }
    *slot = seg;
    sp->src.end = end;
    seg = after_comma(t, end, limit, &end);
    if (!seg)
        return;
    slot = starts_lower(seg) ? &sp->role : &sp->organization;
    if (*slot || strlen(seg) > SEG_SECOND) {
        free(seg);
        return;
    }
    *slot = seg;
    sp->src.end = end;
}

/* Where k's description must stop: the next person named on its line. */
static size_t next_name(const cand *k, const cand *c, int n, const evx_text *t)
{
    size_t limit = line_end(t, k->ne);
    for (int i = first_from(c, n, k->ne); i < n && c[i].ns < limit; i++)
        if (c[i].kind != K_LABEL)
            return c[i].ns;
    return limit;
}

static void add_speaker(const cand *k, const cand *c, int n, const evx_text *t, evx_record *rec)
{
    size_t limit = next_name(k, c, n, t);
    res_speaker sp = { 0 };
    sp.name = res_strndup_trim(t->data + k->ns, k->ne - k->ns);
    sp.role = capture(k->x, t, "role", limit);
    sp.organization = capture(k->x, t, "organization", limit);
    sp.src.start = k->ns;
    sp.src.end = k->ne;
    sp.src.rule = k->x->rule->src->name;
    /* A bracketed organisation ("(S)", "(Anna Ek, CBM)") ends the mention. */
    if (!sp.organization)
        describe(&sp, k->x, t, limit);
    res_push((void **)&rec->speakers, &rec->n_speakers, sizeof sp, &sp);
}


/* Are two mentions written alike, a run of white space being one space? */
static int same_spelling(const evx_text *t, const cand *a, const cand *b)
{
    size_t i = a->ns, j = b->ns;
    while (i < a->ne && j < b->ne) {
        int si = isspace((unsigned char)t->data[i]), sj = isspace((unsigned char)t->data[j]);
        if (si != sj || (!si && t->data[i] != t->data[j]))
            return 0;
        for (i++; si && i < a->ne && isspace((unsigned char)t->data[i]); i++)
            ;
        for (j++; sj && j < b->ne && isspace((unsigned char)t->data[j]); j++)
            ;
    }
    return i == a->ne && j == b->ne;
}

void res_speakers(const ext_matches *ms, const evx_text *t, evx_record *rec)
{
    cand *c = NULL;
    int n = collect(ms, t, &c);
    int *ix = NULL;
    int m = names_by_key(c, n, &ix);
    accept_all(c, n, t, ix, m);
    /* One person once: the first accepted mention of each key, or, where
     * the name is spelled two ways, the first one that opens its line (the
     * speaker list's spelling). */
    char *first = calloc(n > 0 ? (size_t)n : 1, 1);
    for (int k = 0, end; k < m; k = end) {
        end = k + 1;
        while (end < m && !strcmp(c[ix[end]].key, c[ix[k]].key))
            end++;
        int pick = -1;
        for (int j = k; j < end && pick < 0; j++)
            if (c[ix[j]].accepted)
                pick = ix[j];
        for (int j = k; j < end && pick >= 0; j++) {
            const cand *o = &c[ix[j]], *p = &c[pick];
            if (o->accepted && o->initial && !p->initial && !same_spelling(t, o, p)) {
                pick = ix[j];
                break;
            }
        }
        if (pick >= 0)
            first[pick] = 1;
    }
    for (int i = 0; i < n; i++)
        if (first[i])
            add_speaker(&c[i], c, n, t, rec);
    free(first);
    free(ix);
    for (int i = 0; i < n; i++)
        free(c[i].key);
    free(c);
}
