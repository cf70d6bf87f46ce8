/* extract.c - runs the rules and settles overlaps. */
#define _GNU_SOURCE /* memmem */
#include "extract.h"
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

int ext_run_rule(const rule *r, rules_matcher *m, const evx_text *t, ext_matches *out)
{
    PCRE2_SIZE at = 0;
    while (at <= t->len) {
        int rc = pcre2_match(r->code, (PCRE2_SPTR)t->data, t->len, at, PCRE2_NO_UTF_CHECK | m->options, m->md,
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
        if (ov[1] == ov[0]) { /* an empty match finds nothing; step one character on */
            at = ov[1] + 1;
            while (at < t->len && ((unsigned char)t->data[at] & 0xC0) == 0x80)
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
 * startclass.c) is not run over a document that holds none of them. The
 * document is folded once as the strings are: ASCII letters lower-cased,
 * and the two characters that caseless matching takes for ASCII letters,
 * U+017F (long s) and U+212A (Kelvin), written as "s" and "k". */
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
        }
        out->fold[j++] = (char)c;
    }
    out->fold[j] = '\0';
    out->foldlen = j;
    return 0;
}

int ext_begin(const ruleset *rs, const evx_text *t, ext_matches *out)
{
    if (out->seencap < rs->nlits) {
        signed char *s = realloc(out->seen, (size_t)rs->nlits);
        if (!s)
            return -1;
        out->seen = s;
        out->seencap = rs->nlits;
    }
    if (rs->nlits)
        memset(out->seen, -1, (size_t)rs->nlits);
    return fold_text(t, out);
}

static int holds(const ext_matches *ms, const char *lit)
{
    return memmem(ms->fold, ms->foldlen, lit, strlen(lit)) != NULL;
}

int ext_rule_needed(const ruleset *rs, const rule *r, ext_matches *out)
{
    if (!r->nlits || !out->fold)
        return 1;
    for (int k = 0; k < r->nlits; k++) {
        int id = r->lits[k];
        if (out->seen[id] < 0)
            out->seen[id] = (signed char)holds(out, rs->lits[id]);
        if (out->seen[id])
            return 1;
    }
    return 0;
}

int ext_run(const ruleset *rs, rules_matcher *m, const evx_text *t, ext_matches *out)
{
    out->error[0] = '\0';
    int filter = ext_begin(rs, t, out) == 0; /* out of memory: run every rule */
    for (int i = 0; i < rs->nrules; i++)
        if ((!filter || ext_rule_needed(rs, &rs->rules[i], out)) && ext_run_rule(&rs->rules[i], m, t, out) < 0)
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
}

void ext_matches_free(ext_matches *ms)
{
    free(ms->items);
    free(ms->lost);
    free(ms->fold);
    free(ms->seen);
    memset(ms, 0, sizeof *ms);
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
    if (ci >= 0 && x->cap[ci][0] != SIZE_MAX) {
        snprintf(buf, len, "%.*s", (int)(x->cap[ci][1] - x->cap[ci][0]), t->data + x->cap[ci][0]);
        const char *v = rule_capture_value(x->rule, ci, buf);
        if (v != buf)
            snprintf(buf, len, "%s", v);
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
