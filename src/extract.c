/* extract.c - runs the rules and settles overlaps. */
#include "extract.h"
#include "startclass.h"
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static ext_match *push(ext_matches *ms)
{
    if (ms->n == ms->cap) {
        ms->cap = ms->cap ? ms->cap * 2 : 64;
        ms->items = realloc(ms->items, sizeof(ext_match) * (size_t)ms->cap);
    }
    return &ms->items[ms->n++];
}

static int run_one(const ruleset *rs, const rule *r, rules_matcher *m, const evx_text *t, ext_matches *out);

/* Every match of r that starts in [from, last_start], the subject ending
 * at `to` (a run of a rule's lines, or a window around them), the text
 * before `from` still there for lookbehinds and ^. */
static int search_range(const rule *r, rules_matcher *m, const evx_text *t, size_t from, size_t last_start,
                        size_t to, ext_matches *out)
{
    PCRE2_SIZE at = from;
    out->searched += last_start - from;
    while (at <= last_start) {
        int rc = pcre2_match(rule_code(r), (PCRE2_SPTR)t->data, to, at, PCRE2_NO_UTF_CHECK | m->options, m->md,
                             m->mctx);
        if (rc == PCRE2_ERROR_NOMATCH)
            return 0;
        if (rc < 0) {
            PCRE2_UCHAR msg[128];
            pcre2_get_error_message(rc, msg, sizeof msg);
            snprintf(out->error, sizeof out->error, "rule '%s' (%s:%d) failed: %s", r->src->name,
                     r->src->pos.file, r->src->pos.line, (char *)msg);
            out->error_rc = rc;
            out->error_rule = r;
            return -1;
        }
        PCRE2_SIZE *ov = pcre2_get_ovector_pointer(m->md);
        if (ov[0] > last_start)
            return 0; /* another window's, or cut short by this one's end */
        if (ov[1] == ov[0]) { /* an empty match finds nothing; step one character on */
            at = ov[1] + 1;
            while (at < to && ((unsigned char)t->data[at] & 0xC0) == 0x80)
                at++;
            continue;
        }
        ext_match *x = push(out);
        x->rule = r;
        x->field = r->field;
        x->start = ov[0];
        x->end = ov[1];
        for (int i = 0; i < r->ncaps; i++) {
            int g = r->caps[i].group;
            x->cap[i][0] = ov[2 * g] == PCRE2_UNSET ? SIZE_MAX : ov[2 * g];
            x->cap[i][1] = ov[2 * g + 1];
        }
        at = ov[1];
    }
    return 0;
}

/* Every rule is compiled with PCRE2_USE_OFFSET_LIMIT: a search that finds
 * no match starting by last_start stops there instead of reading on to
 * `to` (a title rule's 24 lines of a long page, a window's core). The
 * limit is the matcher's until the search ends, then unset for the gates
 * and examples that share the match context. */
static int run_range(const rule *r, rules_matcher *m, const evx_text *t, size_t from, size_t last_start, size_t to,
                     ext_matches *out)
{
    if (out->head_on && last_start > out->head_end)
        last_start = out->head_end; /* the rule's head */
    if (from > last_start)
        return 0;
    pcre2_set_offset_limit(m->mctx, last_start);
    int rc = search_range(r, m, t, from, last_start, to, out);
    pcre2_set_offset_limit(m->mctx, PCRE2_UNSET);
    return rc;
}

int ext_run_rule(const rule *r, rules_matcher *m, const evx_text *t, ext_matches *out)
{
    return run_range(r, m, t, 0, t->len, t->len, out);
}

static int by_field_then_start(const void *pa, const void *pb)
{
    const ext_match *a = pa, *b = pb;
    if (a->field != b->field)
        return a->field < b->field ? -1 : 1;
    if (a->start != b->start)
        return a->start < b->start ? -1 : 1;
    size_t la = a->end - a->start, lb = b->end - b->start;
    if (la != lb)
        return la > lb ? -1 : 1;
    if (a->rule->src->priority != b->rule->src->priority)
        return a->rule->src->priority > b->rule->src->priority ? -1 : 1;
    return a->rule < b->rule ? -1 : a->rule > b->rule;
}

/* Does a beat b when they overlap? Higher priority, then longer, then the
 * rule written first: priority lets a rule author overrule length. */
static int beats(const ext_match *a, const ext_match *b)
{
    size_t la = a->end - a->start, lb = b->end - b->start;
    if (a->rule->src->priority != b->rule->src->priority)
        return a->rule->src->priority > b->rule->src->priority;
    if (la != lb)
        return la > lb;
    return a->rule < b->rule;
}

static void note_lost(ext_matches *ms, const ext_match *loser, const ext_match *winner)
{
    if (!ms->keep_lost)
        return;
    if (ms->nlost == ms->caplost) {
        ms->caplost = ms->caplost ? ms->caplost * 2 : 32;
        ms->lost = realloc(ms->lost, sizeof(ext_lost) * (size_t)ms->caplost);
    }
    ms->lost[ms->nlost++] = (ext_lost){*loser, winner->rule, winner->start, winner->end};
}

/* Within one field, overlapping matches are one mention: keep the best.
 * Sorted by start, so one pass with the last kept match suffices. */
static void settle(ext_matches *ms)
{
    if (ms->n > 1) /* items is NULL before the first match: qsort(NULL) is UB */
        qsort(ms->items, (size_t)ms->n, sizeof(ext_match), by_field_then_start);
    int kept = 0;
    for (int i = 0; i < ms->n; i++) {
        ext_match *x = &ms->items[i];
        if (kept) {
            ext_match *last = &ms->items[kept - 1];
            if (last->field == x->field && x->start < last->end) {
                if (beats(x, last)) {
                    note_lost(ms, last, x);
                    *last = *x;
                } else {
                    note_lost(ms, x, last);
                }
                continue;
            }
        }
        ms->items[kept++] = *x;
    }
    ms->n = kept;
}

/* ---- the literal prefilter ------------------------------------------
 * A rule whose every match needs one of a few literal strings (rules.c,
 * startclass.c) is not run over a document that holds none of them, and a
 * rule that cannot match across a line break runs only over the lines that
 * hold one (litscan.c finds them all in one pass). Neither changes a
 * match. The document is folded once as the strings are: ASCII letters
 * and the Latin-1 letters À-Þ lower-cased, and the characters that
 * caseless matching takes for them, U+017F (long s), U+212A (Kelvin) and
 * U+212B (Ångström), written as "s", "k" and "å"; a line break stays a
 * line break, so line numbers agree. */
static int fold_text(const evx_text *t, ext_matches *out)
{
    if (out->foldcap < t->len + 1) {
        char *f = realloc(out->fold, t->len + 1);
        if (!f)
            return -1;
        out->fold = f;
        out->foldcap = t->len + 1;
    }
    const unsigned char *s = (const unsigned char *)t->data;
    size_t j = 0;
    for (size_t i = 0; i < t->len; i++) {
        unsigned char c = s[i];
        if (c >= 'A' && c <= 'Z') {
            c += 32;
        } else if (c == 0xC5 && i + 1 < t->len && s[i + 1] == 0xBF) {
            c = 's';
            i++;
        } else if (c == 0xE2 && i + 2 < t->len && s[i + 1] == 0x84 && s[i + 2] == 0xAA) {
            c = 'k';
            i += 2;
        } else if (c == 0xC3 && i + 1 < t->len && s[i + 1] >= 0x80 && s[i + 1] <= 0x9E && s[i + 1] != 0x97) {
            out->fold[j++] = (char)c; /* À-Þ as à-þ */
            c = (unsigned char)(s[++i] + 0x20);
        } else if (c == 0xE2 && i + 2 < t->len && s[i + 1] == 0x84 && s[i + 2] == 0xAB) {
            out->fold[j++] = (char)0xC3; /* the Ångström sign as å */
            c = 0xA5;
            i += 2;
        }
        out->fold[j++] = (char)c;
    }
    out->fold[j] = '\0';
    out->foldlen = j;
    return 0;
}

/* Makes the array *p (of *cap elements of `size` bytes) hold `need`. */
static int grow(void *p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return 0;
    size_t c = *cap ? *cap * 2 : 256;
    while (c < need)
        c *= 2;
    void *g = realloc(*(void **)p, c * size);
    if (!g)
        return -1;
    *(void **)p = g;
    *cap = c;
    return 0;
}

/* Whether the character whose lead byte is c, its other bytes from p on,
 * is a rare symbol (startclass.h): one beyond U+FFFF (4 bytes) always. */
static int rare_symbol_at(unsigned char c, const unsigned char *p, const unsigned char *end)
{
    if (c >= 0xF0)
        return 1;
    if (c >= 0xE0 && p + 1 < end)
        return sc_rare_symbol((uint32_t)(c & 0x0F) << 12 | (uint32_t)(p[0] & 0x3F) << 6 | (p[1] & 0x3F));
    if (c >= 0xC2 && c < 0xE0 && p < end)
        return sc_rare_symbol((uint32_t)(c & 0x1F) << 6 | (p[0] & 0x3F));
    return 0; /* a byte inside a character */
}

/* Where each line of t starts; line_start[nlines] is t->len + 1, as if a
 * line break followed the text. And which lines have text: a line is
 * blank when it holds no ASCII character but white space (one of other
 * characters only counts as blank too: white space such as U+00A0 may be
 * all it holds, and taking too many lines as blank only widens windows). */
static int index_lines(const evx_text *t, ext_matches *out)
{
    size_t n = 0, nb = 0;
    const unsigned char *p = (const unsigned char *)t->data, *end = p + t->len;
    for (;;) {
        if (grow(&out->line_start, &out->caplines, n + 2, sizeof(size_t)) < 0 ||
            grow(&out->nb_before, &out->capnbb, n + 2, sizeof(size_t)) < 0 ||
            grow(&out->nb_line, &out->capnbl, nb + 2, sizeof(size_t)) < 0 ||
            grow(&out->line_chars, &out->capchars, 2 * n + 2, sizeof(uint64_t)) < 0)
            return -1;
        out->line_start[n] = (size_t)(p - (const unsigned char *)t->data);
        out->nb_before[n] = nb;
        uint64_t low = 0, high = 0; /* which ASCII characters the line holds */
        while (p < end && *p != '\n') {
            unsigned char c = *p++;
            if (c < 64)
                low |= 1ULL << c;
            else if (c < 128)
                high |= 1ULL << (c - 64);
            else if (rare_symbol_at(c, p, end))
                low |= 1ULL << SC_RARE_SYMBOL_BIT;
        }
        out->line_chars[2 * n] = low;
        out->line_chars[2 * n + 1] = high;
        /* text: an ASCII character other than white space (\t-\r, ' ');
         * the rare-symbol mark is no character */
        int text = (low & ~(0x3EULL << 8 | 1ULL << ' ' | 1ULL << SC_RARE_SYMBOL_BIT)) != 0 || high != 0;
        if (text)
            out->nb_line[nb++] = n;
        n++;
        if (p == end)
            break;
        p++;
    }
    out->line_start[n] = t->len + 1;
    out->nb_before[n] = nb;
    out->nlines = n;
    out->nnb = nb;
    return 0;
}

int ext_begin(const ruleset *rs, const evx_text *t, ext_matches *out)
{
    rules_jit_begin(rs);
    out->filtered = 0;
    out->head_lines = 0; /* a new text: no head end known */
    out->head_on = 0;
    if (out->ngates < rs->ngates) {
        ext_gate_lines *g = realloc(out->gates, sizeof *g * (size_t)rs->ngates);
        if (!g)
            return -1;
        memset(g + out->ngates, 0, sizeof *g * (size_t)(rs->ngates - out->ngates));
        out->gates = g;
        out->ngates = rs->ngates;
    }
    for (int i = 0; i < rs->ngates; i++)
        out->gates[i].state = 0;
    if (rs->no_prefilter || !rs->scan || fold_text(t, out) < 0 || index_lines(t, out) < 0 ||
        litscan_run(rs->scan, out->fold, out->foldlen, &out->hits) < 0)
        return -1;
    out->filtered = 1;
    return 0;
}

int ext_rule_needed(const ruleset *rs, const rule *r, ext_matches *out)
{
    (void)rs;
    if (!r->nlits || !out->filtered)
        return 1;
    for (int k = 0; k < r->nlits; k++)
        if (out->hits.first[r->lits[k] + 1] > out->hits.first[r->lits[k]])
            return 1;
    return 0;
}

static int by_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

static int reserve_cand(ext_matches *out, size_t n) { return grow(&out->cand, &out->capcand, n, sizeof(int)); }

/* The lines that hold one of r's literals, ascending and each once, into
 * out->cand; returns how many, or -1 when out of memory. */
static int candidate_lines(const rule *r, ext_matches *out)
{
    const litscan_hits *h = &out->hits;
    size_t n = 0;
    for (int k = 0; k < r->nlits; k++)
        n += (size_t)(h->first[r->lits[k] + 1] - h->first[r->lits[k]]);
    if (reserve_cand(out, n) < 0)
        return -1;
    n = 0;
    for (int k = 0; k < r->nlits; k++)
        for (int j = h->first[r->lits[k]]; j < h->first[r->lits[k] + 1]; j++)
            out->cand[n++] = h->lines[j];
    if (r->nlits > 1) {
        if (n > 1)
            qsort(out->cand, n, sizeof *out->cand, by_int);
        size_t u = 0;
        for (size_t j = 0; j < n; j++)
            if (!u || out->cand[u - 1] != out->cand[j])
                out->cand[u++] = out->cand[j];
        n = u;
    }
    return (int)n;
}

/* The lines where gate g matches in the document of the last ext_begin,
 * scanned on first use: one match per line is enough, so the search goes
 * on from the next line. NULL when the scan failed (a limit, memory): the
 * rules that need the gate then run without it. */
static const ext_gate_lines *gate_lines(const ruleset *rs, int g, rules_matcher *m, const evx_text *t,
                                        ext_matches *out)
{
    ext_gate_lines *gl = &out->gates[g];
    if (gl->state)
        return gl->state > 0 ? gl : NULL;
    gl->state = -1;
    gl->n = 0;
    size_t line = 0;
    PCRE2_SIZE at = 0;
    while (at <= t->len) {
        int rc = pcre2_match(rule_gate_code(&rs->gates[g]), (PCRE2_SPTR)t->data, t->len, at,
                             PCRE2_NO_UTF_CHECK | m->options, m->md, m->mctx);
        if (rc == PCRE2_ERROR_NOMATCH)
            break;
        if (rc < 0)
            return NULL;
        size_t start = pcre2_get_ovector_pointer(m->md)[0];
        while (out->line_start[line + 1] <= start)
            line++;
        if (grow(&gl->lines, &gl->cap, gl->n + 1, sizeof(int)) < 0)
            return NULL;
        gl->lines[gl->n++] = (int)line;
        at = out->line_start[line + 1];
    }
    gl->state = 1;
    return gl;
}

/* The lines where a match of r can be, ascending, into out->cand: for a
 * single-line rule, those that hold one of its literals, where its gate
 * matched and that hold one of its characters (each that it has); for a
 * rule that spans lines, those of the first of these it has (they may be
 * on different lines of a match). Returns how many, or -1 when the rule
 * must run over the whole text. */
static int rule_lines(const ruleset *rs, const rule *r, rules_matcher *m, const evx_text *t, ext_matches *out)
{
    int n = r->nlits ? candidate_lines(r, out) : -1;
    if (r->nlits && n < 0)
        return -1;
    if (!r->single_line && n >= 0)
        return n;
    const ext_gate_lines *gl = r->gate >= 0 ? gate_lines(rs, r->gate, m, t, out) : NULL;
    if (gl && n < 0) {
        if (reserve_cand(out, gl->n) < 0)
            return -1;
        if (gl->n) /* lines is NULL before the first: memcpy(NULL) is UB even for 0 bytes */
            memcpy(out->cand, gl->lines, gl->n * sizeof *gl->lines);
        n = (int)gl->n;
    } else if (gl) {
        int k = 0; /* both: the lines in both lists */
        for (size_t i = 0, j = 0; i < (size_t)n && j < gl->n;) {
            if (out->cand[i] < gl->lines[j])
                i++;
            else if (out->cand[i] > gl->lines[j])
                j++;
            else
                out->cand[k++] = out->cand[i++], j++;
        }
        n = k;
    }
    if (!r->has_chars || (!r->single_line && n >= 0))
        return n;
    uint64_t want[2] = {0, 0}; /* the characters, as index_lines keeps them per line */
    for (int c = 0; c < 128; c++)
        if (r->chars[c / 8] >> (c % 8) & 1)
            want[c / 64] |= 1ULL << (c % 64);
    const uint64_t *has = out->line_chars;
    if (n < 0) { /* every line that holds one */
        if (reserve_cand(out, out->nlines) < 0)
            return -1;
        n = 0;
        for (size_t l = 0; l < out->nlines; l++)
            if ((has[2 * l] & want[0]) | (has[2 * l + 1] & want[1]))
                out->cand[n++] = (int)l;
        return n;
    }
    int k = 0;
    for (int i = 0; i < n; i++) {
        size_t l = (size_t)out->cand[i];
        if ((has[2 * l] & want[0]) | (has[2 * l + 1] & want[1]))
            out->cand[k++] = out->cand[i];
    }
    return k;
}

/* The end of line l, before its line break. */
static size_t line_end(const ext_matches *out, size_t l) { return out->line_start[l + 1] - 1; }

/* A rule that may cross line breaks, but at most `before` lines with text
 * before its literal's (or gate's, or character's) line and `after` lines
 * after it (rules.h, around): run over the windows around the n candidate
 * lines. A window is the lines with text from before + 1 before to after
 * after a candidate (overlapping or touching windows merged); its matches
 * are those that start in it, found with the text up to the end of the
 * next line with text, so that whatever a match there looks at is as in
 * the whole text (startclass.h). */
static int run_windows(const rule *r, rules_matcher *m, const evx_text *t, ext_matches *out, int n)
{
    /* The candidates are the literals' lines, else the gate's, else the
     * characters' (rule_lines); a match reaches so far before and after
     * one (startclass.h, reach_around), a gate's as far either way. */
    long before = r->line_reach, after = r->line_reach;
    if (r->nlits)
        before = r->around.lit_before, after = r->around.lit_after;
    else if (r->gate < 0)
        before = r->around.chars_before, after = r->around.chars_after;
    long nnb = (long)out->nnb;
    if (!nnb)
        return ext_run_rule(r, m, t, out);
    size_t lo_line = 0, hi_line = 0;
    long lo = 0, hi = -1; /* hi < 0: no window yet */
    for (int j = 0; j <= n; j++) {
        long c = j < n ? (long)out->nb_before[out->cand[j]] : 0;
        long wlo = c - before - 1 < 0 ? 0 : c - before - 1;
        long whi = c + after > nnb - 1 ? nnb - 1 : c + after;
        if (j < n && hi >= 0 && wlo <= hi + 1) { /* one window */
            if (whi > hi)
                hi = whi;
            hi_line = (size_t)out->cand[j];
            continue;
        }
        if (hi >= 0) { /* the window so far */
            /* At the text's ends there is no line with text beyond the
             * window to keep a match from starting in the blank lines
             * there: the window takes them. */
            size_t first = lo == 0 ? 0 : out->nb_line[lo] < lo_line ? out->nb_line[lo] : lo_line;
            size_t last = out->nb_line[hi] > hi_line ? out->nb_line[hi] : hi_line;
            size_t next_text = out->nb_before[last + 1];
            size_t to = next_text < out->nnb ? line_end(out, out->nb_line[next_text]) : t->len;
            size_t last_start = hi == nnb - 1 ? t->len : line_end(out, last);
            if (run_range(r, m, t, out->line_start[first], last_start, to, out) < 0)
                return -1;
        }
        if (j < n) {
            lo = wlo, hi = whi;
            lo_line = hi_line = (size_t)out->cand[j];
        }
    }
    return 0;
}

/* The end of the first n lines with text (a byte that is not white
 * space, as resolve.c counts a title's lines), or the end of t. */
static size_t head_end(const evx_text *t, int n)
{
    const char *p = t->data, *end = p + t->len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end;
        for (const char *q = p; q < le; q++)
            if (!isspace((unsigned char)*q)) {
                if (--n == 0)
                    return (size_t)(le - t->data);
                break;
            }
        p = le + 1;
    }
    return t->len;
}

int ext_run_one(const ruleset *rs, const rule *r, rules_matcher *m, const evx_text *t, ext_matches *out)
{
    if (!ext_rule_needed(rs, r, out))
        return 0;
    if (r->src->head && out->head_lines != r->src->head) {
        out->head_lines = r->src->head;
        out->head_end = head_end(t, r->src->head);
    }
    out->head_on = r->src->head > 0;
    int rc = run_one(rs, r, m, t, out);
    out->head_on = 0;
    return rc;
}

static int run_one(const ruleset *rs, const rule *r, rules_matcher *m, const evx_text *t, ext_matches *out)
{
    int n;
    int bounded = r->single_line || (r->line_reach > 0 && r->line_reach <= EXT_MAX_LINE_REACH);
    if (!out->filtered || !bounded || (n = rule_lines(rs, r, m, t, out)) < 0)
        return ext_run_rule(r, m, t, out);
    if (!r->single_line)
        return run_windows(r, m, t, out, n);
    for (int j = 0; j < n;) { /* runs of adjacent lines: one search each */
        int first = out->cand[j], last = first;
        while (++j < n && out->cand[j] == last + 1)
            last = out->cand[j];
        size_t to = line_end(out, (size_t)last);
        if (run_range(r, m, t, out->line_start[first], to, to, out) < 0)
            return -1;
    }
    return 0;
}

int ext_run(const ruleset *rs, rules_matcher *m, const evx_text *t, ext_matches *out)
{
    out->error[0] = '\0';
    ext_begin(rs, t, out); /* out of memory: every rule runs over the whole text */
    for (int i = 0; i < rs->nrules; i++)
        if (ext_run_one(rs, &rs->rules[i], m, t, out) < 0)
            return -1;
    settle(out);
    return 0;
}

void ext_matches_clear(ext_matches *ms)
{
    ms->n = 0;
    ms->nlost = 0;
    ms->error[0] = '\0';
    ms->error_rc = 0;
    ms->error_rule = NULL;
    ms->searched = 0;
}

void ext_matches_free(ext_matches *ms)
{
    free(ms->items);
    free(ms->lost);
    free(ms->fold);
    free(ms->line_start);
    free(ms->nb_before);
    free(ms->nb_line);
    free(ms->line_chars);
    free(ms->cand);
    for (int i = 0; i < ms->ngates; i++)
        free(ms->gates[i].lines);
    free(ms->gates);
    litscan_hits_free(&ms->hits);
    memset(ms, 0, sizeof *ms);
}

/* The index of the first match of field f that starts at or after pos:
 * after ext_run the matches are in (field, start) order (settle). */
static int first_of_field_from(const ext_matches *ms, evx_field f, size_t pos)
{
    int lo = 0, hi = ms->n;
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        const ext_match *x = &ms->items[mid];
        if (x->field < f || (x->field == f && x->start < pos))
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

const ext_match *ext_first_in(const ext_matches *ms, evx_field f, size_t s, size_t e)
{
    int i = first_of_field_from(ms, f, s);
    return i < ms->n && ms->items[i].field == f && ms->items[i].start < e ? &ms->items[i] : NULL;
}

const ext_match *ext_covering(const ext_matches *ms, evx_field f, size_t s, size_t e)
{
    /* Matches of one field do not overlap (settle): only the last one that
     * starts at or before s can hold s..e. */
    int i = first_of_field_from(ms, f, s + 1) - 1;
    return i >= 0 && ms->items[i].field == f && ms->items[i].start <= s && ms->items[i].end >= e ? &ms->items[i]
                                                                                                 : NULL;
}

int ext_span(const ext_match *x, const char *name, size_t *s, size_t *e)
{
    int ci = rule_capture_index(x->rule, name);
    if (ci < 0 || x->cap[ci][0] == SIZE_MAX)
        return -1;
    *s = x->cap[ci][0];
    *e = x->cap[ci][1];
    return 0;
}

const char *ext_value(const ext_match *x, const evx_text *t, const char *name, char *buf, size_t len)
{
    int ci = rule_capture_index(x->rule, name);
    if (ci >= 0 && x->cap[ci][0] != SIZE_MAX && len) { /* resolve asks often: memcpy, not snprintf */
        size_t n = x->cap[ci][1] - x->cap[ci][0];
        if (n >= len)
            n = len - 1;
        memcpy(buf, t->data + x->cap[ci][0], n);
        buf[n] = '\0';
        const char *v = rule_capture_value(x->rule, ci, buf);
        if (v != buf) {
            n = strlen(v);
            if (n >= len)
                n = len - 1;
            memcpy(buf, v, n);
            buf[n] = '\0';
        }
        return buf;
    }
    return rule_set_value(x->rule, name);
}

int ext_int(const ext_match *x, const evx_text *t, const char *name, int dflt)
{
    char buf[64];
    const char *v = ext_value(x, t, name, buf, sizeof buf);
    if (!v || !isdigit((unsigned char)*v))
        return dflt;
    return atoi(v);
}

int ext_clock(const ext_match *x, const evx_text *t, int end, int *h, int *mi)
{
    *h = ext_int(x, t, end ? "hour2" : "hour", -1);
    *mi = ext_int(x, t, end ? "minute2" : "minute", 0);
    if (*h >= 0)
        return 0;
    int spoken = ext_int(x, t, end ? "clock_hour2" : "clock_hour", -1);
    if (spoken < 1 || spoken > 12)
        return 0;
    char buf[16];
    const char *v = ext_value(x, t, end ? "clock_minute2" : "clock_minute", buf, sizeof buf);
    int m = v && (*v == '-' || isdigit((unsigned char)*v)) ? atoi(v) : 0;
    if (m < 0) { /* "halv sju", "kvart i ett": minutes before the hour */
        m += 60;
        spoken = spoken == 1 ? 12 : spoken - 1;
    }
    if (m < 0 || m > 59)
        return 0;
    *h = spoken;
    *mi = m;
    return 1;
}
