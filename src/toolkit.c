/* toolkit.c - `evx rules lint`, `evx explain`, `evx rules coverage`.
 *
 * Developer tools over the same stages the pipeline runs: nothing here
 * changes what extract or resolve produce; explain only compares what they
 * produced with the matches that fed them. */
#include "toolkit.h"
#include "html.h"
#include "remnants.h"
#include <ctype.h>
#include <jansson.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "emit.h"
#include "extract.h"
#include "normalize.h"
#include "pipeline.h"
#include "read.h"
#include "resolve.h"
#include "rules.h"

/* ==== lint =========================================================== */

static int in_keys(const char *const *keys, const char *name)
{
    for (; *keys; keys++)
        if (!strcmp(*keys, name))
            return 1;
    return 0;
}

static void keys_list(evx_field f, char *buf, size_t len)
{
    const char *const *k = field_keys(f);
    size_t n = 0;
    buf[0] = '\0';
    for (; *k && n < len; k++)
        n += (size_t)snprintf(buf + n, len - n, "%s%s", n ? ", " : "", *k);
}

/* Where capture `name` is declared in the rule's own pattern: (?<name>,
 * (?P<name> or (?'name'. Falls back to the pattern's start. */
static rf_pos capture_pos(const rf_rule *r, const char *name)
{
    rf_pos p = r->match_pos;
    size_t nl = strlen(name);
    for (const char *s = r->match; (s = strstr(s, "(?")); s++) {
        const char *q = s + 2;
        if (*q == 'P')
            q++;
        if ((*q == '<' || *q == '\'') && !strncmp(q + 1, name, nl) && (q[1 + nl] == '>' || q[1 + nl] == '\'')) {
            p.col += (int)(s - r->match);
            return p;
        }
    }
    return p;
}

static void lint_keys(const rule *r, diag_sink *d)
{
    char list[256];
    keys_list(r->field, list, sizeof list);
    for (int i = 0; i < r->ncaps; i++) {
        if (in_keys(field_keys(r->field), r->caps[i].name))
            continue;
        rf_pos p = capture_pos(r->src, r->caps[i].name);
        diag_warning(d, p.file, p.line, p.col, "in rule '%s': capture '%s' fills nothing (field '%s' reads %s)",
                     r->src->name, r->caps[i].name, field_name(r->field), *list ? list : "no captures");
    }
    for (int i = 0; i < r->src->nsets; i++) {
        if (in_keys(field_keys(r->field), r->src->sets[i].key))
            continue;
        rf_pos p = r->src->pos;
        diag_warning(d, p.file, p.line, p.col, "in rule '%s': 'set %s' fills nothing (field '%s' reads %s)",
                     r->src->name, r->src->sets[i].key, field_name(r->field), *list ? list : "nothing");
    }
}

static void lint_examples(const rule *r, diag_sink *d)
{
    for (int i = 0; i < r->src->nexamples; i++)
        if (r->src->examples[i].must_match)
            return;
    diag_warning(d, r->src->pos.file, r->src->pos.line, r->src->pos.col,
                 "rule '%s' has no examples (add 'example \"...\" => capture=value')", r->src->name);
}

/* A rule that can match nothing finds nothing (extract skips empty
 * matches) yet costs a match attempt at every position of every text. */
static void lint_empty(const rule *r, rules_matcher *m, diag_sink *d)
{
    uint32_t minlen = 1;
    pcre2_pattern_info(r->code, PCRE2_INFO_MINLENGTH, &minlen);
    int rc = pcre2_match(rule_code(r), (PCRE2_SPTR) "", 0, 0, 0, m->md, m->mctx);
    if (rc >= 0 || minlen == 0)
        diag_error(d, r->src->match_pos.file, r->src->match_pos.line, r->src->match_pos.col,
                   "in rule '%s': the pattern can match the empty string", r->src->name);
}

/* ---- nested quantifiers --------------------------------------------- */

/* Reads a quantifier at p (*, +, ?, {n}, {n,}, {n,m}, {,m}) and its lazy or
 * possessive suffix. Returns its length, 0 when there is none. */
static size_t quantifier(const char *p, int *unbounded, int *possessive)
{
    size_t n = 0;
    *unbounded = *possessive = 0;
    if (*p == '*' || *p == '+') {
        *unbounded = 1;
        n = 1;
    } else if (*p == '?') {
        n = 1;
    } else if (*p == '{') {
        const char *q = p + 1;
        int digits = 0, comma = 0, max_digits = 0;
        while (isdigit((unsigned char)*q))
            q++, digits++;
        if (*q == ',') {
            comma = 1;
            for (q++; isdigit((unsigned char)*q); q++)
                max_digits++;
        }
        if (*q != '}' || (!digits && !max_digits))
            return 0; /* a literal brace */
        *unbounded = comma && !max_digits;
        n = (size_t)(q - p) + 1;
    } else {
        return 0;
    }
    if (p[n] == '+') {
        *possessive = 1;
        n++;
    } else if (p[n] == '?') {
        n++;
    }
    return n;
}

/* Skips an escape at p (p[0] == '\\'): \Q...\E, \p{..}, \x{..}, \k<..> ... */
static size_t escape_len(const char *p)
{
    if (!p[1])
        return 1;
    if (p[1] == 'Q') {
        const char *e = strstr(p + 2, "\\E");
        return e ? (size_t)(e - p) + 2 : strlen(p);
    }
    if (strchr("pPxNgko", p[1]) && (p[2] == '{' || p[2] == '<')) {
        const char *e = strchr(p + 3, p[2] == '{' ? '}' : '>');
        return e ? (size_t)(e - p) + 1 : strlen(p);
    }
    return 2;
}

static size_t class_len(const char *p)
{
    const char *q = p + 1;
    if (*q == '^')
        q++;
    if (*q == ']')
        q++;
    while (*q && *q != ']') {
        if (*q == '\\')
            q += escape_len(q);
        else if (q[0] == '[' && q[1] == ':' && strstr(q + 2, ":]"))
            q = strstr(q + 2, ":]") + 2;
        else
            q++;
    }
    return (size_t)(q - p) + (*q ? 1 : 0);
}

/* The prefix of a group after "(": "?:", "?<name>", "?=", "?i)", ... */
static size_t group_prefix(const char *p, int *atomic)
{
    *atomic = 0;
    if (*p != '?')
        return 0;
    const char *q = p + 1;
    if (*q == '>')
        *atomic = 1;
    if (*q == 'P' && q[1] == '<')
        q++;
    if ((*q == '<' && (isalpha((unsigned char)q[1]) || q[1] == '_')) || *q == '\'') {
        const char *e = strchr(q + 1, *q == '<' ? '>' : '\'');
        return e ? (size_t)(e - p) + 1 : strlen(p);
    }
    while (*q && strchr(":=!<>|-^imnsxJU", *q)) {
        if (*q++ == ':')
            break;
    }
    return (size_t)(q - p);
}

typedef struct {
    size_t open;
    int inner;  /* holds an unbounded, backtracking quantifier */
    int atomic;
    int items;  /* items read so far in the group's body */
    char delim; /* the body starts with this punctuation character, or 0 */
    int eaten;  /* an unbounded item inside can match delim */
} qframe;

typedef struct {
    rf_pos *at;
    int n;
} pos_seen;

static int seen_before(pos_seen *s, rf_pos p)
{
    for (int i = 0; i < s->n; i++)
        if (s->at[i].file == p.file && s->at[i].line == p.line && s->at[i].col == p.col)
            return 1;
    s->at = realloc(s->at, sizeof(rf_pos) * (size_t)(s->n + 1));
    s->at[s->n++] = p;
    return 0;
}

/* The literal punctuation character an atom stands for, or 0. */
static char literal_punct(const char *a, size_t n)
{
    if (n == 1 && ispunct((unsigned char)a[0]) && !strchr(".[](){}|^$*+?\\", a[0]))
        return a[0];
    if (n == 2 && a[0] == '\\' && ispunct((unsigned char)a[1]))
        return a[1];
    return 0;
}

/* Can the atom a[0..n) match punctuation character c? Errs towards yes. */
static int atom_can_match(const char *a, size_t n, char c)
{
    if (a[0] == '.')
        return 1;
    if (a[0] == '\\') {
        if (literal_punct(a, n))
            return literal_punct(a, n) == c;
        if (strchr("swdhvRbBAzZGK", a[1]))
            return 0; /* word, digit and space classes hold no punctuation */
        if (a[1] == 'p')
            return n > 3 && (a[3] == 'P' || a[3] == 'S' || a[3] == '^');
        return 1; /* \S \W \D \P{..} \N ... */
    }
    if (a[0] == '[') {
        if (a[1] == '^')
            return 1;
        for (size_t i = 1; i + 1 < n; i++) {
            if (a[i] == '\\' && i + 2 < n) {
                if (strchr("SWDPNHV", a[i + 1]) || a[i + 1] == c)
                    return 1;
                i++;
            } else if (a[i] == c) {
                return 1;
            } else if (a[i] == '-' && i > 1 && i + 2 < n && a[i - 1] <= c && c <= a[i + 1]) {
                return 1;
            }
        }
        return 0;
    }
    return literal_punct(a, n) == c;
}

static void warn_nested(const rule *r, const rf_pos *pos, size_t open, diag_sink *d, pos_seen *seen)
{
    if (seen_before(seen, pos[open]))
        return;
    diag_warning(d, pos[open].file, pos[open].line, pos[open].col,
                 "in rule '%s': nested quantifier: a group repeated without bound repeats "
                 "something unbounded inside; this can backtrack catastrophically (bound it, "
                 "or make it atomic (?>...) or possessive)",
                 r->src->name);
}

/* A group repeated without bound that itself repeats something without
 * bound ("(a+)+", "(?:\w+\s*)*") can try exponentially many splits of the
 * same text before failing. Exempt: atomic groups and possessive
 * quantifiers (they never give back what they took), and groups that start
 * with a punctuation character nothing unbounded inside can match
 * ("(?:,\s*\w+)*"): each repetition then begins at a known place. */
static void lint_nested(const ruleset *rs, const rule *r, diag_sink *d, pos_seen *seen)
{
    rf_pos *pos;
    char *s = rules_expand(rs, r->src, &pos, d);
    if (!s)
        return;
    qframe stack[128];
    int top = 0;
    stack[0] = (qframe){0};
    size_t i = 0, n = strlen(s);
    while (i < n) {
        int closes = 0;
        size_t atom = i;
        qframe done = {0};
        if (s[i] == '\\') {
            i += escape_len(s + i);
        } else if (s[i] == '[') {
            i += class_len(s + i);
        } else if (s[i] == '(' && (s[i + 1] == '*' || (s[i + 1] == '?' && s[i + 2] == '#'))) {
            const char *e = strchr(s + i, ')'); /* a verb or a comment */
            i = e ? (size_t)(e - s) + 1 : n;
            continue;
        } else if (s[i] == '(') {
            int atomic;
            size_t open = i++;
            i += group_prefix(s + i, &atomic);
            stack[top].items++;
            if (top + 1 < (int)(sizeof stack / sizeof *stack))
                stack[++top] = (qframe){.open = open, .atomic = atomic};
            continue;
        } else if (s[i] == ')') {
            i++;
            if (top == 0)
                continue;
            done = stack[top--];
            closes = 1;
        } else if (s[i] == '|') {
            stack[top].delim = 0; /* alternatives start in different places */
            i++;
            continue;
        } else if (s[i] == '^' || s[i] == '$') {
            i++;
            continue;
        } else {
            i++;
            while (i < n && ((unsigned char)s[i] & 0xC0) == 0x80)
                i++;
        }
        size_t atom_len = i - atom;
        int unbounded, possessive;
        size_t ql = quantifier(s + i, &unbounded, &possessive);
        i += ql;
        int backtracks = unbounded && !possessive;
        if (closes) {
            int delimited = done.delim && !done.eaten;
            if (backtracks && done.inner && !done.atomic && !delimited)
                warn_nested(r, pos, done.open, d, seen);
            stack[top].inner |= (done.inner && !done.atomic) || backtracks;
            if (backtracks) /* what the group may eat is not tracked: assume the worst */
                for (int k = 0; k <= top; k++)
                    stack[k].eaten = 1;
            continue;
        }
        qframe *f = &stack[top];
        if (!f->items++ && !ql)
            f->delim = literal_punct(s + atom, atom_len);
        if (!backtracks)
            continue;
        f->inner = 1;
        for (int k = 0; k <= top; k++)
            if (stack[k].delim && atom_can_match(s + atom, atom_len, stack[k].delim))
                stack[k].eaten = 1;
    }
    free(s);
    free(pos);
}

static void lint_fields(const ruleset *rs, const char *dir, diag_sink *d)
{
    for (int f = 0; f < FIELD_COUNT; f++) {
        int filled = 0;
        for (int i = 0; i < rs->src.nrules && !filled; i++)
            filled = rs->src.rules[i].field && !strcmp(rs->src.rules[i].field, field_name((evx_field)f));
        if (!filled)
            diag_warning(d, dir, 0, 0, "no rule fills field '%s'", field_name((evx_field)f));
    }
}

/* ---- sorting the report --------------------------------------------- */

typedef struct {
    char *text;
    char file[512];
    long line, col;
    int order;
} diag_line;

/* "file:line:col: ..." -> parts; lines without a place sort last. */
static void parse_place(diag_line *l)
{
    l->line = l->col = LONG_MAX;
    snprintf(l->file, sizeof l->file, "%s", l->text);
    for (char *c = strchr(l->text, ':'); c; c = strchr(c + 1, ':')) {
        char *e1, *e2;
        long line = strtol(c + 1, &e1, 10);
        if (e1 == c + 1 || *e1 != ':')
            continue;
        long col = strtol(e1 + 1, &e2, 10);
        if (e2 == e1 + 1 || *e2 != ':')
            continue;
        snprintf(l->file, sizeof l->file, "%.*s", (int)(c - l->text), l->text);
        l->line = line;
        l->col = col;
        return;
    }
    l->file[0] = '\x7f'; /* after every path */
    l->file[1] = '\0';
}

static int cmp_diag(const void *pa, const void *pb)
{
    const diag_line *a = pa, *b = pb;
    int c = strcmp(a->file, b->file);
    if (c)
        return c;
    if (a->line != b->line)
        return a->line < b->line ? -1 : 1;
    if (a->col != b->col)
        return a->col < b->col ? -1 : 1;
    return a->order - b->order;
}

static void print_sorted(char *buf, FILE *out)
{
    diag_line *lines = NULL;
    int n = 0;
    for (char *p = buf, *nl; p && *p; p = nl) {
        nl = strchr(p, '\n');
        if (nl)
            *nl++ = '\0';
        lines = realloc(lines, sizeof *lines * (size_t)(n + 1));
        lines[n].text = p;
        lines[n].order = n;
        parse_place(&lines[n]);
        n++;
    }
    if (n > 1) /* lines is NULL when lint printed nothing: qsort(NULL) is UB */
        qsort(lines, (size_t)n, sizeof *lines, cmp_diag);
    for (int i = 0; i < n; i++)
        fprintf(out, "%s\n", lines[i].text);
    free(lines);
}

int tk_lint(const char *dir, FILE *out)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&buf, &len);
    if (!mem)
        return 2;
    diag_sink d;
    diag_init(&d, mem);
    ruleset *rs = rules_load_all(dir, &d);
    rules_matcher m;
    if (rules_matcher_init(&m, rs) < 0) {
        fclose(mem);
        free(buf);
        rules_free(rs);
        return 2;
    }
    pos_seen seen = {0};
    for (int i = 0; i < rs->nrules; i++) {
        const rule *r = &rs->rules[i];
        if (!r->code)
            continue; /* its error is reported */
        lint_keys(r, &d);
        lint_examples(r, &d);
        lint_empty(r, &m, &d);
        lint_nested(rs, r, &d, &seen);
    }
    if (rs->src.nfiles)
        lint_fields(rs, dir, &d);
    free(seen.at);
    rules_matcher_free(&m);
    rules_free(rs);
    fclose(mem);
    print_sorted(buf, out);
    free(buf);
    return d.errors ? 1 : 0;
}

/* ==== explain ======================================================== */

typedef struct {
    ruleset *rs;
    rules_matcher m;
    read_input in;
    evx_text norm;
    ext_matches ms;
    evx_record rec;
    int loaded; /* 1 after every stage ran */
} doc_run;

static ruleset *load_rules(const char *dir)
{
    diag_sink d;
    diag_init(&d, stderr);
    ruleset *rs = rules_load(dir, &d);
    if (!rs)
        fprintf(stderr, "evx: %d error(s) in the rules at %s (run 'evx rules lint')\n", d.errors, dir);
    return rs;
}

/* read -> (html) -> normalise -> extract (keeping the losers) -> resolve. */
static int run_doc(doc_run *r, const char *path, char *err, size_t errlen)
{
    char why[512];
    evx_error e;
    read_opts o = {EVX_DEFAULT_MAX_SIZE, NULL};
    if (read_from_path(path, &o, &r->in, &e) < 0) {
        snprintf(err, errlen, "%s: %s [%s]", path, e.message, evx_code_name(e.code));
        return -1;
    }
    evx_text page = {0}; /* an HTML page goes through the same stage as in extract */
    const evx_text *text = &r->in.utf8;
    if (html_is_input(EVX_INPUT_AUTO, path, &r->in)) {
        if (html_to_text(&r->in, &page, &r->in.warning, why, sizeof why) < 0) {
            snprintf(err, errlen, "%s: HTML: %s", path, why);
            return -1;
        }
        text = &page;
    } else if (remnants_clean(text, &page) < 0) { /* as extract does */
        snprintf(err, errlen, "%s: out of memory cleaning markup left in the text", path);
        return -1;
    } else if (page.data) {
        text = &page;
    }
    int rc = norm_text(text, &r->norm, why, sizeof why);
    text_free(&page);
    if (rc < 0) {
        snprintf(err, errlen, "%s: normalisation failed: %s", path, why);
        return -1;
    }
    ext_matches_clear(&r->ms);
    r->ms.keep_lost = 1;
    if (ext_run(r->rs, &r->m, &r->norm, &r->ms) < 0) {
        snprintf(err, errlen, "%s: %s", path, r->ms.error);
        return -1;
    }
    res_record(&r->ms, &r->norm, &r->rec);
    r->loaded = 1;
    return 0;
}

/* Frees one document's state; the rules and matcher stay. */
static void doc_clear(doc_run *r)
{
    if (r->loaded)
        record_free(&r->rec);
    memset(&r->rec, 0, sizeof r->rec);
    text_free(&r->norm);
    memset(&r->norm, 0, sizeof r->norm);
    read_input_free(&r->in);
    memset(&r->in, 0, sizeof r->in);
    r->loaded = 0;
}

/* ---- what became of each match -------------------------------------- */

static int same_src(const res_src *s, const ext_match *x)
{
    return s->rule && !strcmp(s->rule, x->rule->src->name) && s->start < x->end && x->start < s->end;
}

/* The record parts a match fed, by rule name and overlapping span; written
 * into buf ("" when it fed nothing). */
static void uses_of(const evx_record *rec, const ext_match *x, char *buf, size_t len)
{
    size_t n = 0;
    buf[0] = '\0';
#define USE(cond, name)                                                                   \
    do {                                                                                  \
        if ((cond) && !strstr(buf, name) && n < len)                                      \
            n += (size_t)snprintf(buf + n, len - n, "%s%s", n ? ", " : "", name);        \
    } while (0)
    USE(rec->has_title && same_src(&rec->title_src, x), "title");
    for (int i = 0; i < rec->n_occurrences; i++)
        USE(same_src(&rec->occurrences[i].src, x), "occurrence");
    for (int i = 0; i < rec->n_related; i++)
        USE(same_src(&rec->related[i].src, x), "related event");
    USE(rec->has_deadline && same_src(&rec->deadline_src, x), "deadline label");
    if (x->field == FIELD_date && rec->has_deadline && rec->deadline_src.start <= x->start &&
        x->end <= rec->deadline_src.end)
        USE(1, "deadline");
    for (int i = 0; i < rec->n_venues; i++)
        USE(same_src(&rec->venues[i].src, x), "venue");
    USE(rec->has_cost && same_src(&rec->cost_src, x), "cost");
    USE(rec->has_status_src && same_src(&rec->status_src, x), "status");
    for (int i = 0; i < rec->n_speakers; i++)
        USE(same_src(&rec->speakers[i].src, x), "speaker");
    for (int i = 0; i < rec->n_agenda; i++)
        USE(same_src(&rec->agenda[i].src, x), "agenda");
    for (int i = 0; i < rec->n_contacts; i++)
        USE(same_src(&rec->contacts[i].src, x), "contact");
    for (int i = 0; i < rec->n_organizers; i++)
        USE(same_src(&rec->organizers[i].src, x), "organizer");
#undef USE
}

static int is_label(evx_field f) { return f == FIELD_deadline || f == FIELD_publication || f == FIELD_past; }

/* Mirrors resolve's rule for a label's date (resolve.c labelled_date): a
 * date inside the label's match, else the first one starting within its
 * `window` (default 80 bytes) after it. Explanation only. */
static const ext_match *claiming_label(const ext_matches *ms, const ext_match *date)
{
    for (int i = 0; i < ms->n; i++) {
        const ext_match *l = &ms->items[i];
        if (!is_label(l->field))
            continue;
        const char *w = rule_set_value(l->rule, "window");
        size_t window = w ? (size_t)atoi(w) : 80;
        const ext_match *first = NULL;
        for (int j = 0; j < ms->n && !first; j++) {
            const ext_match *x = &ms->items[j];
            if (x->field == FIELD_date && x->start < l->end && l->start < x->end)
                first = x;
        }
        for (int j = 0; j < ms->n && !first; j++) {
            const ext_match *x = &ms->items[j];
            if (x->field == FIELD_date && x->start >= l->end && x->start <= l->end + window)
                first = x;
        }
        if (first == date)
            return l;
    }
    return NULL;
}

/* Why a date match fed no occurrence; NULL when it did or is the deadline. */
static const char *date_verdict(const doc_run *r, const ext_match *x, const char *used, char *buf, size_t len)
{
    if (*used)
        return NULL;
    char v[64];
    if (!ext_value(x, &r->norm, "day", v, sizeof v) && !ext_value(x, &r->norm, "month", v, sizeof v)) {
        snprintf(buf, len, "a year only: used as the year hint for dates without one");
        return buf;
    }
    const ext_match *l = claiming_label(&r->ms, x);
    if (l) {
        snprintf(buf, len, "claimed by the %s label %s at [%zu,%zu)", field_name(l->field), l->rule->src->name,
                 r->norm.orig[l->start], r->norm.orig[l->end]);
        return buf;
    }
    snprintf(buf, len, "not chosen as occurrence: %s",
             r->rec.n_occurrences ? "other dates are stronger (a time near them, or in the first lines)"
                                  : "no valid date (check day, month and year)");
    return buf;
}

/* Why a loser lost its overlap (mirrors extract.c beats()). */
static void overlap_reason(const ext_lost *l, char *buf, size_t len)
{
    const ext_match *x = &l->loser;
    int pw = l->winner->src->priority, px = x->rule->src->priority;
    size_t lw = l->win_end - l->win_start, lx = x->end - x->start;
    if (pw != px)
        snprintf(buf, len, "higher priority %d > %d", pw, px);
    else if (lw != lx)
        snprintf(buf, len, "longer match %zu > %zu bytes", lw, lx);
    else
        snprintf(buf, len, "same priority and length; the rule written first wins");
}

/* ---- printing ------------------------------------------------------- */

typedef struct {
    FILE *out;
    int color;
} printer;

static const char *field_color(evx_field f)
{
    static const char *const colors[] = {"\033[36m", "\033[32m", "\033[33m", "\033[35m", "\033[34m"};
    return colors[f % 5];
}

static void paint(const printer *p, const char *code)
{
    if (p->color)
        fputs(code, p->out);
}

/* A span of the text on one line: newlines and tabs made visible. */
static void put_quoted(FILE *out, const char *s, size_t n, size_t max)
{
    fputc('"', out);
    for (size_t i = 0; i < n && i < max; i++) {
        if (s[i] == '\n')
            fputs("\\n", out);
        else if (s[i] == '\t')
            fputs("\\t", out);
        else if (s[i] == '"' || s[i] == '\\')
            fprintf(out, "\\%c", s[i]);
        else
            fputc(s[i], out);
    }
    if (n > max) {
        /* don't cut a UTF-8 sequence: finish it */
        for (size_t i = max; i < n && ((unsigned char)s[i] & 0xC0) == 0x80; i++)
            fputc(s[i], out);
        fputs("...", out);
    }
    fputc('"', out);
}

static void put_values(const printer *p, const doc_run *r, const ext_match *x)
{
    char buf[256];
    for (int i = 0; i < x->rule->ncaps; i++) {
        const char *name = x->rule->caps[i].name;
        const char *v = ext_value(x, &r->norm, name, buf, sizeof buf);
        if (v && x->cap[i][0] != SIZE_MAX) {
            fprintf(p->out, " %s=", name);
            put_quoted(p->out, v, strlen(v), 60);
        }
    }
    for (int i = 0; i < x->rule->src->nsets; i++)
        fprintf(p->out, " %s=%s", x->rule->src->sets[i].key, x->rule->src->sets[i].value);
}

static void put_match(const printer *p, const doc_run *r, const ext_match *x)
{
    paint(p, field_color(x->field));
    fprintf(p->out, "%-12s %s", field_name(x->field), x->rule->src->name);
    paint(p, "\033[0m");
    fprintf(p->out, " @%zu-%zu ", r->norm.orig[x->start], r->norm.orig[x->end]);
    put_quoted(p->out, r->norm.data + x->start, x->end - x->start, 60);
    put_values(p, r, x);
}

static size_t line_end_at(const evx_text *t, size_t s)
{
    const char *nl = memchr(t->data + s, '\n', t->len - s);
    return nl ? (size_t)(nl - t->data) : t->len;
}

/* The line's text, with matched bytes coloured by field on a terminal. */
static void put_line_text(const printer *p, const doc_run *r, size_t s, size_t e, const signed char *cover)
{
    int cur = -1;
    for (size_t i = s; i < e; i++) {
        if (p->color && cover[i] != cur) {
            fputs("\033[0m", p->out);
            if (cover[i] >= 0)
                fprintf(p->out, "\033[4m%s", field_color((evx_field)cover[i]));
            cur = cover[i];
        }
        fputc(r->norm.data[i], p->out);
    }
    paint(p, "\033[0m");
}

static void explain_text(const printer *p, const doc_run *r)
{
    const evx_text *t = &r->norm;
    signed char *cover = malloc(t->len + 1);
    memset(cover, -1, t->len + 1);
    for (int i = 0; i < r->ms.n; i++)
        for (size_t b = r->ms.items[i].start; b < r->ms.items[i].end; b++)
            if (cover[b] < 0)
                cover[b] = (signed char)r->ms.items[i].field;
    int line = 1;
    for (size_t s = 0; s <= t->len; line++) {
        size_t e = line_end_at(t, s);
        fprintf(p->out, "%5d | ", line);
        put_line_text(p, r, s, e, cover);
        fputc('\n', p->out);
        for (int i = 0; i < r->ms.n; i++) {
            const ext_match *x = &r->ms.items[i];
            if (x->start < s || x->start > e || (x->start == e && e < t->len))
                continue;
            char used[128], why[256];
            uses_of(&r->rec, x, used, sizeof used);
            fputs("      |   ", p->out);
            put_match(p, r, x);
            if (*used) {
                paint(p, "\033[1;32m");
                fprintf(p->out, "  -> %s", used);
                paint(p, "\033[0m");
            } else if (x->field == FIELD_date && date_verdict(r, x, used, why, sizeof why)) {
                paint(p, "\033[31m");
                fprintf(p->out, "  -> unused: see lost");
                paint(p, "\033[0m");
            }
            fputc('\n', p->out);
        }
        if (e >= t->len)
            break;
        s = e + 1;
    }
    free(cover);
}

static void explain_lost(const printer *p, const doc_run *r)
{
    paint(p, "\033[1m");
    fprintf(p->out, "\nlost:\n");
    paint(p, "\033[0m");
    int any = 0;
    for (int i = 0; i < r->ms.nlost; i++) {
        const ext_lost *l = &r->ms.lost[i];
        char why[128];
        overlap_reason(l, why, sizeof why);
        fputs("  ", p->out);
        put_match(p, r, &l->loser);
        paint(p, "\033[31m");
        fprintf(p->out, "\n      overlap: lost to %s @%zu-%zu (%s)\n", l->winner->src->name,
                r->norm.orig[l->win_start], r->norm.orig[l->win_end], why);
        paint(p, "\033[0m");
        any = 1;
    }
    for (int i = 0; i < r->ms.n; i++) {
        const ext_match *x = &r->ms.items[i];
        char used[128], why[256];
        if (x->field != FIELD_date)
            continue;
        uses_of(&r->rec, x, used, sizeof used);
        if (!date_verdict(r, x, used, why, sizeof why))
            continue;
        fputs("  ", p->out);
        put_match(p, r, x);
        paint(p, "\033[31m");
        fprintf(p->out, "\n      %s\n", why);
        paint(p, "\033[0m");
        any = 1;
    }
    if (!any)
        fprintf(p->out, "  (nothing lost)\n");
}

/* ---- JSON ----------------------------------------------------------- */

static json_t *match_json(const doc_run *r, const ext_match *x)
{
    char buf[256];
    json_t *values = json_object();
    for (int i = 0; i < x->rule->ncaps; i++) {
        const char *v = ext_value(x, &r->norm, x->rule->caps[i].name, buf, sizeof buf);
        if (v && x->cap[i][0] != SIZE_MAX)
            json_object_set_new(values, x->rule->caps[i].name, json_string(v));
    }
    for (int i = 0; i < x->rule->src->nsets; i++)
        json_object_set_new(values, x->rule->src->sets[i].key, json_string(x->rule->src->sets[i].value));
    return json_pack("{s:s, s:s, s:I, s:I, s:s%, s:o}", "rule", x->rule->src->name, "field",
                     field_name(x->field), "start", (json_int_t)r->norm.orig[x->start], "end",
                     (json_int_t)r->norm.orig[x->end], "text", r->norm.data + x->start,
                     x->end - x->start, "values", values);
}

static json_t *explain_json(const doc_run *r, const char *path)
{
    json_t *matches = json_array(), *lost = json_array();
    for (int i = 0; i < r->ms.n; i++) {
        const ext_match *x = &r->ms.items[i];
        char used[128], why[256];
        uses_of(&r->rec, x, used, sizeof used);
        json_t *m = match_json(r, x);
        json_t *uses = json_array();
        for (char *u = used, *sep; *u; u = sep ? sep + 2 : u + strlen(u)) {
            sep = strstr(u, ", ");
            json_array_append_new(uses, json_stringn(u, sep ? (size_t)(sep - u) : strlen(u)));
        }
        json_object_set_new(m, "used_for", uses);
        json_array_append_new(matches, m);
        if (x->field == FIELD_date && date_verdict(r, x, used, why, sizeof why)) {
            json_t *l = match_json(r, x);
            json_object_set_new(l, "reason", json_string(strncmp(why, "claimed", 7) ? "not_chosen" : "claimed"));
            json_object_set_new(l, "detail", json_string(why));
            json_array_append_new(lost, l);
        }
    }
    for (int i = 0; i < r->ms.nlost; i++) {
        const ext_lost *ol = &r->ms.lost[i];
        char why[128];
        overlap_reason(ol, why, sizeof why);
        json_t *l = match_json(r, &ol->loser);
        json_object_set_new(l, "reason", json_string("overlap"));
        json_object_set_new(l, "detail", json_string(why));
        json_object_set_new(l, "lost_to", json_pack("{s:s, s:I, s:I}", "rule", ol->winner->src->name, "start",
                                                     (json_int_t)r->norm.orig[ol->win_start], "end",
                                                     (json_int_t)r->norm.orig[ol->win_end]));
        json_array_append_new(lost, l);
    }
    json_t *rec = emit_record(path, &r->rec, &r->norm, r->in.warning);
    return json_pack("{s:s, s:s%, s:o, s:o, s:o}", "source", path, "text", r->norm.data, r->norm.len, "matches",
                     matches, "lost", lost, "record", rec);
}

int tk_explain(const char *dir, const char *path, int json, int color, FILE *out)
{
    doc_run r = {0};
    r.rs = load_rules(dir);
    if (r.rs) /* one document: the JIT would not pay (cli.c, jit_pays) */
        rules_set_jit(r.rs, 0);
    if (!r.rs || rules_matcher_init(&r.m, r.rs) < 0) {
        rules_free(r.rs);
        return 2;
    }
    char err[1024];
    int rc = run_doc(&r, path, err, sizeof err);
    if (rc < 0) {
        fprintf(stderr, "evx: %s\n", err);
    } else if (json) {
        json_t *j = explain_json(&r, path);
        json_dumpf(j, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        fputc('\n', out);
        json_decref(j);
    } else {
        printer p = {out, color};
        paint(&p, "\033[1m");
        fprintf(out, "explain %s: %zu bytes normalised, %d matches, %d lost overlaps\n", path, r.norm.len,
                r.ms.n, r.ms.nlost);
        paint(&p, "\033[0m");
        fprintf(out, "(FIELD RULE @original-byte-span \"text\" captures -> what the record used it for)\n\n");
        explain_text(&p, &r);
        explain_lost(&p, &r);
        json_t *rec = emit_record(path, &r.rec, &r.norm, r.in.warning);
        paint(&p, "\033[1m");
        fprintf(out, "\nrecord:\n");
        paint(&p, "\033[0m");
        json_dumpf(rec, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        fputc('\n', out);
        json_decref(rec);
    }
    doc_clear(&r);
    ext_matches_free(&r.ms);
    rules_matcher_free(&r.m);
    rules_free(r.rs);
    return rc < 0 ? 1 : 0;
}

/* ==== coverage ======================================================= */

typedef struct {
    int index;
    long kept, lost, docs;
} rule_count;

static int cmp_count(const void *pa, const void *pb)
{
    const rule_count *a = pa, *b = pb;
    long ta = a->kept + a->lost, tb = b->kept + b->lost;
    if (ta != tb)
        return ta > tb ? -1 : 1;
    return a->index - b->index;
}

static void count_doc(const doc_run *r, rule_count *counts)
{
    int nr = r->rs->nrules;
    char *hit = calloc((size_t)nr + 1, 1);
    for (int i = 0; i < r->ms.n; i++) {
        int k = (int)(r->ms.items[i].rule - r->rs->rules);
        counts[k].kept++;
        hit[k] = 1;
    }
    for (int i = 0; i < r->ms.nlost; i++) {
        int k = (int)(r->ms.lost[i].loser.rule - r->rs->rules);
        counts[k].lost++;
        hit[k] = 1;
    }
    for (int k = 0; k < nr; k++)
        counts[k].docs += hit[k];
    free(hit);
}

int tk_coverage(const char *dir, char *const *inputs, int n, FILE *out)
{
    doc_run r = {0};
    r.rs = load_rules(dir);
    if (!r.rs || rules_matcher_init(&r.m, r.rs) < 0) {
        rules_free(r.rs);
        return 2;
    }
    int nr = r.rs->nrules, failed = 0;
    rule_count *counts = calloc((size_t)nr + 1, sizeof *counts);
    for (int k = 0; k < nr; k++)
        counts[k].index = k;
    for (int i = 0; i < n; i++) {
        char err[1024];
        if (run_doc(&r, inputs[i], err, sizeof err) < 0) {
            fprintf(stderr, "evx: %s\n", err);
            failed++;
        } else {
            count_doc(&r, counts);
        }
        doc_clear(&r);
    }
    qsort(counts, (size_t)nr, sizeof *counts, cmp_count);
    int never = 0;
    for (int k = 0; k < nr; k++)
        never += counts[k].kept + counts[k].lost == 0;
    fprintf(out, "coverage: %d document(s), %d rules, %d fired, %d never fired\n", n - failed, nr, nr - never,
            never);
    fprintf(out, "%8s %8s %8s %6s  %s\n", "matches", "kept", "lost", "docs", "rule (field)");
    for (int k = 0; k < nr && counts[k].kept + counts[k].lost; k++) {
        const rule *ru = &r.rs->rules[counts[k].index];
        fprintf(out, "%8ld %8ld %8ld %6ld  %s (%s)\n", counts[k].kept + counts[k].lost, counts[k].kept,
                counts[k].lost, counts[k].docs, ru->src->name, field_name(ru->field));
    }
    fprintf(out, "never fired:%s\n", never ? "" : " (none)");
    for (int k = nr - never; k < nr; k++) {
        const rule *ru = &r.rs->rules[counts[k].index];
        fprintf(out, "  %s (%s)  %s:%d\n", ru->src->name, field_name(ru->field), ru->src->pos.file,
                ru->src->pos.line);
    }
    free(counts);
    ext_matches_free(&r.ms);
    rules_matcher_free(&r.m);
    rules_free(r.rs);
    return failed ? 1 : 0;
}
