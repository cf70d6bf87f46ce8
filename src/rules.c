/* rules.c - expands, compiles and self-tests the rule set. */
#include "rules.h"
#include "startclass.h"
#include "litscan.h"
#include "rulecache.h"
#include "batch.h"
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/uchar.h>
#include <unicode/utf8.h>

const char *field_name(evx_field f)
{
    static const char *const names[] = {
#define X(name) #name,
        EVX_FIELDS(X)
#undef X
    };
    return f < FIELD_COUNT ? names[f] : "?";
}

#define EVX_MAX_KEYS 20 /* with room for the NULL that ends each list */
/* What resolve reads per field, by capture or `set` name (ext_value,
 * ext_span, rule_set_value). Fields not listed read no captures. */
static const char *const keys_by_field[FIELD_COUNT][EVX_MAX_KEYS] = {
    [FIELD_date] = {"day", "month", "year", "weekday", "day2", "month2", "year2", "city", "hint", "kind", "days", "time", "dayn", "weekday2", "weekday3", "number", "span", "week", "week2"},
    [FIELD_time] = {"hour", "minute", "hour2", "minute2", "clock_hour", "clock_minute", "clock_hour2", "clock_minute2", "scope", "pm", "am", "reach", "each"},
    [FIELD_deadline] = {"number", "unit", "window", "weekday"},
    [FIELD_publication] = {"window", "updated"},
    [FIELD_past] = {"window", "cancels", "moves", "week", "week2"}, /* week: resolve.c */
    [FIELD_title] = {"title"},
    [FIELD_title_skip] = {"above", "items", "header", "subject", "title", "frames"},    /* resolve.c */
    [FIELD_page_chrome] = {"block", "needs"},                       /* resolve.c */
    [FIELD_title_subject] = {"title", "box"}, /* box: resolve.c */
    [FIELD_title_hint] = {"kind"},                                  /* resolve.c */
    [FIELD_venue] = {"name", "platform", "list", "online", "split", "fallback"}, /* fallback: resolve.c */
    [FIELD_cost] = {"amount", "currency", "free", "kind", "label"}, /* kind=other, label=yes: resolve.c */
    [FIELD_mode] = {"mode"},
    [FIELD_speaker] = {"name", "role", "organization", "kind", "first"},   /* speakers.c */
    [FIELD_speaker_skip] = {"name", "window"},                      /* speakers.c */
    [FIELD_agenda] = {"hour", "minute", "hour2", "minute2", "am", "pm", "hour_b", "minute_b", "title", "shape"}, /* agenda.c */
    [FIELD_day_heading] = {"n", "day", "month", "year"},            /* agenda.c */
    [FIELD_table_column] = {"role", "venue"}, /* role: agenda.c; venue: resolve.c */
    [FIELD_contact] = {"name", "role", "email", "phone", "phone2", "at", "kind", "line", "cue", "local", "about", "site"}, /* contacts.c; about: resolve.c */
    [FIELD_organizer] = {"orgs", "orgs2", "join"},                  /* contacts.c */
    [FIELD_status] = {"status"},
};

const char *const *field_keys(evx_field f)
{
    static const char *const none[1] = {NULL};
    return f < FIELD_COUNT ? keys_by_field[f] : none;
}

static int field_from_name(const char *s)
{
    for (int f = 0; f < FIELD_COUNT; f++)
        if (!strcmp(field_name((evx_field)f), s))
            return f;
    return -1;
}

/* ---- @reference expansion ------------------------------------------ */

/* Each table written as a trie once per rule set (put_table): the shipped
 * rules use some tables in dozens of patterns, and building the trie was
 * most of the expansion time. Entry i is table i of the rule set. */
typedef struct {
    char **text;
    size_t *len;
    int n;
} table_memo;

/* The expanded pattern and, for each of its bytes, where it was written. */
typedef struct {
    char *s;
    rf_pos *pos;
    size_t n, cap;
    int stop; /* too deep or too big: reported once, nothing more is expanded */
    int mark; /* write "(?#@NAME)" before each gated define, for required_gate */
    int gated; /* gated defines met, marked or not */
    table_memo *memo; /* tables already written as tries, or NULL */
    int no_pos; /* keep no positions (pos stays NULL): only a failed compile needs them */
} expansion;

/* Defines that use each other twice per level ("define a = @b@b") grow
 * exponentially; the shipped rules expand to under 10 KB per pattern. */
#define EVX_MAX_EXPANDED (256 * 1024)

static void put(expansion *e, const char *s, size_t n, rf_pos p, int advance)
{
    if (e->stop)
        return;
    if (e->n + n > EVX_MAX_EXPANDED) {
        e->stop = 2;
        return;
    }
    if (e->n + n + 1 > e->cap) {
        e->cap = (e->n + n + 1) * 2;
        e->s = realloc(e->s, e->cap);
        if (!e->no_pos)
            e->pos = realloc(e->pos, e->cap * sizeof(rf_pos));
    }
    if (e->no_pos) { /* 16 bytes a byte, for messages a working rule set never has */
        memcpy(e->s + e->n, s, n);
        e->n += n;
        e->s[e->n] = '\0';
        return;
    }
    for (size_t i = 0; i < n; i++) {
        e->s[e->n] = s[i];
        e->pos[e->n] = p;
        if (advance)
            p.col++;
        e->n++;
    }
    e->s[e->n] = '\0';
}

static int cmp_len_desc(const void *a, const void *b)
{
    size_t la = strlen(*(char *const *)a), lb = strlen(*(char *const *)b);
    return la < lb ? 1 : la > lb ? -1 : strcmp(*(char *const *)a, *(char *const *)b);
}

/* Bytes of the UTF-8 character at s (1 for a stray byte). */
static size_t char_len(const char *s)
{
    unsigned char c = (unsigned char)*s;
    size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    for (size_t i = 1; i < n; i++)
        if (!s[i])
            return i;
    return n;
}

/* The first character of s, case-folded (PCRE2's caseless matching treats
 * characters with the same simple fold as one), or -1 for an empty s. */
static UChar32 first_fold(const char *s)
{
    if (!*s)
        return -1;
    int32_t i = 0, n = (int32_t)char_len(s);
    UChar32 c;
    U8_NEXT((const uint8_t *)s, i, n, c);
    return c < 0 ? (unsigned char)*s : u_foldCase(c, U_FOLD_CASE_DEFAULT);
}

static void put_quoted(expansion *e, const char *k, size_t n, rf_pos p)
{
    for (size_t i = 0; i < n; i++) {
        if (strchr("\\^$.|?*+()[]{}/ #-", k[i]))
            put(e, "\\", 1, p, 0);
        put(e, k + i, 1, p, 0);
    }
}

/* The alternation of keys[0..n) minus their first `depth` bytes (which they
 * share), as a trie: keys are grouped by their next character, and a group
 * whose members all start with the same character is written once as that
 * character followed by the alternation of the rest. PCRE2 tries
 * alternatives one by one, so "(?:s(?:eptember|ep)|o(?:ktober|kt))" costs
 * one test where the flat list costs one per key; on a table of a hundred
 * words inside a lookahead that runs at every word, that is most of the
 * matching time. The matches and their order of preference are unchanged:
 * alternatives are only moved past others that start with a different
 * character (never both match at one place), and a key that ends here (the
 * empty rest) stays last, where the longest-first order put it. */
static void put_trie(expansion *e, char **keys, int n, size_t depth, rf_pos p)
{
    char *used = calloc((size_t)n, 1);
    int first = 1;
    for (int i = 0; i < n; i++) {
        if (used[i])
            continue;
        const char *rest = keys[i] + depth;
        if (!first)
            put(e, "|", 1, p, 0);
        first = 0;
        UChar32 f = first_fold(rest);
        if (f < 0)
            continue; /* the key ends here: the empty alternative */
        size_t cl = char_len(rest);
        int same = 1, members = 0;
        for (int j = i; j < n; j++)
            if (!used[j] && first_fold(keys[j] + depth) == f) {
                members++;
                same &= !strncmp(keys[j] + depth, rest, cl);
            }
        if (members > 1 && same) {
            char **sub = malloc(sizeof(char *) * (size_t)members);
            int m = 0;
            for (int j = i; j < n; j++)
                if (!used[j] && first_fold(keys[j] + depth) == f) {
                    sub[m++] = keys[j];
                    used[j] = 1;
                }
            /* The whole prefix the members share, in whole characters. */
            size_t lcp = cl;
            for (;;) {
                const char *c = sub[0] + depth + lcp;
                size_t l = char_len(c);
                int all = *c != '\0';
                for (int k = 1; k < m && all; k++)
                    all = !strncmp(sub[k] + depth + lcp, c, l);
                if (!all)
                    break;
                lcp += l;
            }
            put_quoted(e, rest, lcp, p);
            put(e, "(?:", 3, p, 0);
            put_trie(e, sub, m, depth + lcp, p);
            put(e, ")", 1, p, 0);
            free(sub);
        } else {
            /* One key, or keys whose first characters differ only in case:
             * written out whole, adjacent, in their order. */
            int k = 0;
            for (int j = i; j < n; j++)
                if (!used[j] && first_fold(keys[j] + depth) == f) {
                    if (k++)
                        put(e, "|", 1, p, 0);
                    put_quoted(e, keys[j] + depth, strlen(keys[j] + depth), p);
                    used[j] = 1;
                }
        }
    }
    free(used);
}

/* A table used as a pattern: its surface forms, longest first so that
 * "september" wins over "sep", each quoted, written as a trie. */
static void put_table_trie(expansion *e, const rf_table *t, rf_pos p)
{
    char **keys = malloc(sizeof(char *) * (size_t)(t->n ? t->n : 1));
    if (t->n) { /* an empty table has keys == NULL: memcpy/qsort(NULL) is UB */
        memcpy(keys, t->keys, sizeof(char *) * (size_t)t->n);
        qsort(keys, (size_t)t->n, sizeof(char *), cmp_len_desc);
    }
    put(e, "(?:", 3, p, 0);
    put_trie(e, keys, t->n, 0, p);
    put(e, ")", 1, p, 0);
    free(keys);
}

/* The same from e->memo: every byte of a table's trie is placed at p, so
 * the text written once serves every later use. The first use writes it
 * into a scratch expansion (limit checks and all) and keeps the text. */
static void put_table(expansion *e, const rf_set *s, const rf_table *t, rf_pos p)
{
    int i = (int)(t - s->tables);
    if (!e->memo || i < 0 || i >= e->memo->n) {
        put_table_trie(e, t, p);
        return;
    }
    if (!e->memo->text[i]) {
        expansion one = {.no_pos = 1};
        put_table_trie(&one, t, p);
        if (one.stop || !one.s) { /* over the limit on its own: no shortcut */
            free(one.s);
            free(one.pos);
            put_table_trie(e, t, p);
            return;
        }
        e->memo->text[i] = one.s;
        e->memo->len[i] = one.n;
        free(one.pos);
    }
    put(e, e->memo->text[i], e->memo->len[i], p, 0);
}

static table_memo *table_memo_new(const rf_set *s)
{
    table_memo *m = calloc(1, sizeof *m);
    if (!m)
        return NULL;
    m->n = s->ntables;
    m->text = calloc((size_t)(m->n ? m->n : 1), sizeof *m->text);
    m->len = calloc((size_t)(m->n ? m->n : 1), sizeof *m->len);
    if (!m->text || !m->len) {
        free(m->text);
        free(m->len);
        free(m);
        return NULL;
    }
    return m;
}

static void table_memo_free(table_memo *m)
{
    if (!m)
        return;
    for (int i = 0; i < m->n; i++)
        free(m->text[i]);
    free(m->text);
    free(m->len);
    free(m);
}

static const rf_define *find_define(const rf_set *s, const char *name, size_t n)
{
    for (int i = 0; i < s->ndefines; i++)
        if (strlen(s->defines[i].name) == n && !strncmp(s->defines[i].name, name, n))
            return &s->defines[i];
    return NULL;
}

static int is_gate(const rf_set *s, const char *name)
{
    for (int i = 0; i < s->ngates; i++)
        if (!strcmp(s->gates[i].name, name))
            return 1;
    return 0;
}

static int expand(const rf_set *s, const char *pat, rf_pos p, expansion *e,
                  diag_sink *d, int depth)
{
    int errs = 0;
    const rf_pos start = p;
    if (depth > 20) {
        diag_error(d, p.file, p.line, p.col, "@references nest too deeply (a cycle?)");
        e->stop = 1;
        return 1;
    }
    for (const char *c = pat; *c && !e->stop;) {
        if (*c == '\\' && c[1]) {
            put(e, c, 2, p, 1);
            p.col += 2;
            c += 2;
            continue;
        }
        if (*c != '@' || !(isalpha((unsigned char)c[1]) || c[1] == '_')) {
            size_t run = 1; /* up to the next escape or reference, in one put */
            while (c[run] && c[run] != '\\' && c[run] != '@')
                run++;
            put(e, c, run, p, 1);
            p.col += (int)run;
            c += run;
            continue;
        }
        const char *name = c + 1, *end = name;
        while (isalnum((unsigned char)*end) || *end == '_')
            end++;
        size_t n = (size_t)(end - name);
        const rf_define *def = find_define(s, name, n);
        char tname[128];
        snprintf(tname, sizeof tname, "%.*s", (int)n, name);
        const rf_table *t = def ? NULL : rf_find_table(s, tname);
        if (def) {
            if (s->ngates && is_gate(s, def->name)) {
                e->gated++;
                if (e->mark) {
                    put(e, "(?#@", 4, p, 0);
                    put(e, def->name, strlen(def->name), p, 0);
                    put(e, ")", 1, p, 0);
                }
            }
            put(e, "(?:", 3, p, 0);
            errs += expand(s, def->body, def->body_pos, e, d, depth + 1);
            put(e, ")", 1, p, 0);
        } else if (t) {
            put_table(e, s, t, p);
        } else {
            diag_error(d, p.file, p.line, p.col,
                       "unknown pattern '@%s' (no 'define %s' and no tables/%s.tsv)", tname, tname, tname);
            errs++;
            /* Inside a define it would be reported again for every use of
             * the define, exponentially often when defines nest. */
            if (depth > 0)
                e->stop = 1;
        }
        p.col += (int)(end - c);
        c = end;
    }
    if (depth == 0 && e->stop == 2) {
        diag_error(d, start.file, start.line, start.col,
                   "pattern expands to more than %d bytes (@references used too often?)", EVX_MAX_EXPANDED);
        errs++;
    }
    return errs;
}

/* ---- compiling ------------------------------------------------------ */

/* When PCRE2 found no way to skip ahead to where a match can start (no
 * first code unit, no start bitmap, not anchored at line starts: any
 * pattern that begins with a lookaround or a \p{...}), the same pattern
 * behind a lookahead of its possible first characters (startclass.c). The
 * matches are the same; the JIT now skips the other positions with a
 * bitmap. Returns code itself when there is nothing to gain. */
static pcre2_code *with_start_class(rule_cache *rc, pcre2_code *code, const char *pat, size_t n, uint32_t opts)
{
    uint32_t first = 0;
    const uint8_t *bitmap = NULL;
    pcre2_pattern_info(code, PCRE2_INFO_FIRSTCODETYPE, &first);
    pcre2_pattern_info(code, PCRE2_INFO_FIRSTBITMAP, &bitmap);
    if (first || bitmap)
        return code;
    char cls[2048];
    size_t cl = rc_start_class(rc, pat, n, (opts & PCRE2_CASELESS) != 0, cls, sizeof cls);
    if (!cl)
        return code;
    /* (?-i:...): the class already holds both cases; caseless, PCRE2 would
     * fold every character of the class again. */
    char *full = malloc(cl + n + 8);
    memcpy(full, "(?-i:", 5);
    memcpy(full + 5, cls, cl);
    full[5 + cl] = ')';
    memcpy(full + cl + 6, pat, n);
    cl += 6;
    int errcode;
    PCRE2_SIZE erroff;
    pcre2_code *better = rc_compile(rc, full, cl + n, opts, &errcode, &erroff);
    free(full);
    if (!better)
        return code;
    pcre2_code_free(code);
    return better;
}

/* What compile_rule leaves for the second, parallel pass (finish_one):
 * the expanded pattern, and the literals found in it. */
typedef struct {
    char *pat;
    rf_pos *pos; /* where each byte of pat was written, for compile errors */
    size_t n;
    uint32_t opts;
    int errcode; /* pcre2_compile's, when r->code is NULL */
    PCRE2_SIZE erroff;
    char lits[SC_LIT_MAX][SC_LIT_LEN];
    int nlits;
    char *marked; /* the pattern with its gated defines marked (expansion.mark) */
    size_t nmarked;
    char gate[SC_GATE_LEN]; /* the gated define every match needs, or "" */
    int gate_caseless;
} pending;

/* Where each of the rule set's literals is in rs->lits, by a hash of its
 * bytes (open addressing, slot = index + 1); slot NULL: searched in turn. */
typedef struct {
    int *slot;
    size_t mask;
} lit_index;

static int find_literal(const ruleset *rs, lit_index *ix, const char *lit, size_t *at)
{
    if (!ix->slot) {
        int id = 0;
        while (id < rs->nlits && strcmp(rs->lits[id], lit))
            id++;
        return id < rs->nlits ? id : -1;
    }
    size_t h = 5381;
    for (const unsigned char *c = (const unsigned char *)lit; *c; c++)
        h = (h * 33) ^ *c;
    for (*at = h & ix->mask; ix->slot[*at]; *at = (*at + 1) & ix->mask)
        if (!strcmp(rs->lits[ix->slot[*at] - 1], lit))
            return ix->slot[*at] - 1;
    return -1;
}

/* The rule's required literals, interned in the rule set so that a
 * document is searched once for a string many rules need. */
static void add_literals(ruleset *rs, lit_index *ix, rule *r, char lits[][SC_LIT_LEN], int k)
{
    if (k > (int)(sizeof r->lits / sizeof *r->lits))
        return; /* all of them or none */
    for (int i = 0; i < k; i++) {
        size_t at = 0;
        int id = find_literal(rs, ix, lits[i], &at);
        if (id < 0) {
            rs->lits = realloc(rs->lits, sizeof(char *) * (size_t)(rs->nlits + 1));
            id = rs->nlits++;
            rs->lits[id] = strdup(lits[i]);
            if (ix->slot)
                ix->slot[at] = id + 1;
        }
        r->lits[r->nlits++] = id;
        if (strchr(lits[i], '\n'))
            r->line_reach = r->single_line ? 0 : -1; /* found on the line it ends on, not where it starts */
    }
}

/* The rule's field and expanded pattern (and its marked twin, for gates)
 * into pd; problems go to d. */
static int prepare_rule(ruleset *rs, const rf_rule *src, rule *r, pending *pd, table_memo *memo, diag_sink *d)
{
    memset(r, 0, sizeof *r);
    pthread_mutex_init(&r->jit_lock, NULL);
    atomic_init(&r->jit_ready, rs->no_jit);
    r->src = src;
    int f = field_from_name(src->field);
    if (f < 0) {
        diag_error(d, src->field_pos.file, src->field_pos.line, src->field_pos.col,
                   "unknown field '%s'", src->field);
        return 1;
    }
    r->field = (evx_field)f;
    expansion e = {.memo = memo, .no_pos = 1};
    if (expand(&rs->src, src->match, src->match_pos, &e, d, 0)) {
        free(e.s);
        return 1;
    }
    pd->pat = e.s ? e.s : calloc(1, 1);
    pd->n = e.n;
    pd->opts = PCRE2_UTF | PCRE2_UCP | PCRE2_MULTILINE | PCRE2_USE_OFFSET_LIMIT; /* extract.c: run_range */
    if (!src->case_sensitive)
        pd->opts |= PCRE2_CASELESS;
    /* Without a gated define in it, the marked pattern would be this one
     * again, and would name no gate. */
    expansion marked = {.mark = 1, .memo = memo, .no_pos = 1};
    if (e.gated && !expand(&rs->src, src->match, src->match_pos, &marked, d, 0)) {
        pd->marked = marked.s;
        pd->nmarked = marked.n;
        marked.s = NULL;
    }
    free(marked.s);
    free(marked.pos);
    return 0;
}

/* pcre2_compile of a prepared rule; touches only r and pd, so rules
 * compile side by side (compile_all). */
static void compile_prepared(rule_cache *rc, rule *r, pending *pd)
{
    if (pd->pat)
        r->code = rc_compile(rc, pd->pat, pd->n, pd->opts, &pd->errcode, &pd->erroff);
}

/* Reports a rule that did not compile, or reads the named captures of one
 * that did. */
static int take_compiled(ruleset *rs, rule *r, pending *pd, diag_sink *d)
{
    const rf_rule *src = r->src;
    if (!pd->pat)
        return 0; /* its expansion failed: reported */
    if (!r->code) {
        PCRE2_UCHAR msg[256];
        pcre2_get_error_message(pd->errcode, msg, sizeof msg);
        size_t n = pd->n, erroff = pd->erroff > n ? n : pd->erroff;
        /* Where each byte came from: the same expansion again, with them. */
        expansion e = {0};
        expand(&rs->src, src->match, src->match_pos, &e, d, 0);
        pd->pos = e.pos;
        free(e.s);
        if (e.n != n) {
            free(pd->pos); /* cannot be: the same expansion */
            pd->pos = NULL;
        }
        /* An error at the very end points just past the last character. */
        rf_pos at = !pd->pos ? src->match_pos : erroff < n ? pd->pos[erroff] : n ? pd->pos[n - 1] : src->match_pos;
        if (erroff >= n && n)
            at.col++;
        diag_error(d, at.file, at.line, at.col, "in rule '%s': %s (PCRE2 error %d)", src->name,
                   (char *)msg, pd->errcode);
        free(pd->pat); /* finish_one skips it */
        pd->pat = NULL;
        return 1;
    }
    uint32_t count, size;
    PCRE2_SPTR table;
    pcre2_pattern_info(r->code, PCRE2_INFO_NAMECOUNT, &count);
    pcre2_pattern_info(r->code, PCRE2_INFO_NAMEENTRYSIZE, &size);
    pcre2_pattern_info(r->code, PCRE2_INFO_NAMETABLE, &table);
    for (uint32_t i = 0; i < count; i++) {
        const unsigned char *ent = table + i * size;
        if (r->ncaps == EVX_MAX_CAPS) {
            diag_error(d, src->match_pos.file, src->match_pos.line, src->match_pos.col,
                       "rule '%s' has more than %d named captures", src->name, EVX_MAX_CAPS);
            return 1;
        }
        rule_capture *c = &r->caps[r->ncaps++];
        c->group = (ent[0] << 8) | ent[1];
        c->name = (const char *)ent + 2;
        /* "month2" (the end of a range) reads the same table as "month". */
        char base[64];
        snprintf(base, sizeof base, "%s", c->name);
        size_t bl = strlen(base);
        while (bl && isdigit((unsigned char)base[bl - 1]))
            base[--bl] = '\0';
        c->table = rf_find_table(&rs->src, base);
    }
    return 0;
}

static int compile_rule(ruleset *rs, const rf_rule *src, rule *r, pending *pd, table_memo *memo, diag_sink *d)
{
    if (prepare_rule(rs, src, r, pd, memo, d))
        return 1;
    compile_prepared(rs->cache, r, pd);
    return take_compiled(rs, r, pd, d);
}

/* The second pass over a compiled rule: the start-class lookahead, the
 * required literals and the JIT. It is most of the start-up time and
 * touches nothing but the rule (and its pending entry), so the rules go
 * through it side by side, one thread per core (batch.c). A rule the JIT
 * cannot take runs in the interpreter. */
typedef struct {
    ruleset *rs;
    pending *pend;
    /* compile_all's preparing pass: */
    table_memo *memo;    /* every table already in it: only read */
    const rf_rule **src; /* each rule's source */
    diag_sink *quiet;    /* each rule's sink, all to one scratch file */
} finishing;

static void *finish_one(void *state, size_t i)
{
    finishing *f = state;
    rule *r = &f->rs->rules[i];
    pending *pd = &f->pend[i];
    if (!r->code || !pd->pat)
        return NULL;
    rule_cache *rc = f->rs->cache;
    pcre2_code *code = with_start_class(rc, r->code, pd->pat, pd->n, pd->opts);
    if (code != r->code) { /* the same groups; the names now live in the new code */
        uint32_t count, size;
        PCRE2_SPTR table;
        pcre2_pattern_info(code, PCRE2_INFO_NAMECOUNT, &count);
        pcre2_pattern_info(code, PCRE2_INFO_NAMEENTRYSIZE, &size);
        pcre2_pattern_info(code, PCRE2_INFO_NAMETABLE, &table);
        for (uint32_t k = 0; k < count && (int)k < r->ncaps; k++)
            r->caps[k].name = (const char *)table + k * size + 2;
        r->code = code;
    }
    pd->nlits = rc_required_literals(rc, pd->pat, pd->n, (pd->opts & PCRE2_CASELESS) != 0, pd->lits);
    int caseless = (pd->opts & PCRE2_CASELESS) != 0;
    r->single_line = rc_single_line(rc, pd->pat, pd->n, caseless);
    r->line_reach = r->single_line ? 0 : rc_line_reach(rc, pd->pat, pd->n, caseless);
    if (!r->single_line && r->line_reach > 0)
        rc_reach_around(rc, pd->pat, pd->n, caseless, &r->around);
    r->has_chars = r->line_reach >= 0 && rc_required_chars(rc, pd->pat, pd->n, caseless, r->chars);
    if (r->line_reach >= 0 && pd->marked)
        rc_required_gate(rc, pd->marked, pd->nmarked, caseless, pd->gate, &pd->gate_caseless);
    return NULL; /* the JIT comes on first use: rule_code */
}

/* code, JIT-compiled the first time it is asked for; *ready guards it. */
static pcre2_code *jit_once(pcre2_code *code, pthread_mutex_t *lock, atomic_int *ready)
{
    if (!atomic_load_explicit(ready, memory_order_acquire)) {
        pthread_mutex_lock(lock);
        if (!atomic_load_explicit(ready, memory_order_relaxed)) {
            /* A pattern the JIT cannot take runs in the interpreter. */
            if (code)
                pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);
            atomic_store_explicit(ready, 1, memory_order_release);
        }
        pthread_mutex_unlock(lock);
    }
    return code;
}

/* The ruleset is calloc'd: only its users see it const. */
pcre2_code *rule_code(const rule *r)
{
    rule *w = (rule *)r;
    return jit_once(w->code, &w->jit_lock, &w->jit_ready);
}

pcre2_code *rule_gate_code(const rule_gate *g)
{
    rule_gate *w = (rule_gate *)g;
    return jit_once(w->code, &w->jit_lock, &w->jit_ready);
}

static void *jit_behind(void *arg)
{
    ruleset *rs = arg;
    for (int g = 0; g < rs->ngates && !atomic_load_explicit(&rs->jit_stop, memory_order_relaxed); g++)
        rule_gate_code(&rs->gates[g]);
    for (int i = rs->nrules - 1; i >= 0 && !atomic_load_explicit(&rs->jit_stop, memory_order_relaxed); i--)
        rule_code(&rs->rules[i]);
    return NULL;
}

void rules_jit_begin(const ruleset *crs)
{
    ruleset *rs = (ruleset *)crs;
    if (rs->no_jit || rs->nrules < 2 || atomic_load_explicit(&rs->jit_thread_on, memory_order_relaxed))
        return;
    int off = 0; /* one caller starts it */
    if (batch_cores() < 2 || !atomic_compare_exchange_strong(&rs->jit_thread_on, &off, 1))
        return;
    atomic_init(&rs->jit_stop, 0);
    if (pthread_create(&rs->jit_thread, NULL, jit_behind, rs)) /* else: all on first use */
        atomic_store(&rs->jit_thread_on, 0);
}

void rules_set_jit(ruleset *rs, int jit)
{
    rs->no_jit = !jit;
    for (int i = 0; i < rs->nrules; i++)
        atomic_store(&rs->rules[i].jit_ready, rs->no_jit);
    for (int g = 0; g < rs->ngates; g++)
        atomic_store(&rs->gates[g].jit_ready, rs->no_jit);
}

/* The gate pattern of define `name` (its lines are where the rules that
 * need it can match, extract.c), compiled once per rule set and case
 * mode; returns its index, or -1 when it does not compile (the rules then
 * run everywhere, as without a gate). */
static int add_gate(ruleset *rs, const char *name, int caseless, table_memo *memo, diag_sink *d)
{
    for (int g = 0; g < rs->ngates; g++)
        if (!strcmp(rs->gates[g].name, name) && rs->gates[g].caseless == caseless)
            return g;
    const rf_define *def = find_define(&rs->src, name, strlen(name));
    expansion e = {.memo = memo, .no_pos = 1};
    int g = -1;
    /* A gate is scanned one match per line: it must stay on its line. */
    if (def && !expand(&rs->src, def->body, def->body_pos, &e, d, 1) && rc_single_line(rs->cache, e.s, e.n, caseless)) {
        uint32_t opts = PCRE2_UTF | PCRE2_UCP | PCRE2_MULTILINE | (caseless ? PCRE2_CASELESS : 0);
        int errcode;
        PCRE2_SIZE erroff;
        /* Only the lines matter, not the matches: the define without its
         * lookarounds finds a match on every line the define does, and is
         * much cheaper where the lookarounds try tables at every word. */
        char *loose = malloc(e.n + 1);
        size_t nl = loose ? without_lookarounds(e.s, e.n, loose) : 0;
        pcre2_code *code = nl ? rc_compile(rs->cache, loose, nl, opts, &errcode, &erroff) : NULL;
        if (code) {
            free(e.s);
            e.s = loose;
            e.n = nl;
        } else {
            free(loose);
            code = rc_compile(rs->cache, e.s, e.n, opts, &errcode, &erroff);
        }
        rule_gate *grown = code ? realloc(rs->gates, sizeof *grown * (size_t)(rs->ngates + 1)) : NULL;
        if (grown) {
            code = with_start_class(rs->cache, code, e.s, e.n, opts);
            rs->gates = grown;
            g = rs->ngates++;
            rs->gates[g] = (rule_gate){.name = def->name, .caseless = caseless, .code = code};
        } else {
            pcre2_code_free(code);
        }
    }
    free(e.s);
    free(e.pos);
    return g;
}

/* The rules still to take in a pass of each_rule. */
typedef struct {
    void *f;
    void *(*work)(void *, size_t);
    atomic_size_t next;
    size_t n;
} sweep;

static void *sweep_run(void *arg)
{
    sweep *s = arg;
    for (size_t i; (i = atomic_fetch_add(&s->next, 1)) < s->n;)
        s->work((void *)s->f, i);
    return NULL;
}

/* work(f, i) for every i < n, the calling thread and one more per further
 * core taking the next i each (no order, no hand-over: batch.c's in-order
 * emitting cost a wake-up per rule). */
static void each_of(void *f, size_t n, void *(*work)(void *, size_t))
{
    sweep s = {f, work, 0, n};
    atomic_init(&s.next, 0);
    pthread_t helper[7];
    int cores = batch_cores(), started = 0;
    while (started < cores - 1 && started < 7 && (size_t)started + 1 < s.n &&
           !pthread_create(&helper[started], NULL, sweep_run, &s))
        started++;
    sweep_run(&s);
    for (int k = 0; k < started; k++)
        pthread_join(helper[k], NULL);
}

static void each_rule(finishing *f, void *(*work)(void *, size_t))
{
    each_of(f, (size_t)f->rs->nrules, work);
}

static void *prepare_one(void *state, size_t i)
{
    finishing *f = state;
    if (!prepare_rule(f->rs, f->src[i], &f->rs->rules[i], &f->pend[i], f->memo, &f->quiet[i]))
        compile_prepared(f->rs->cache, &f->rs->rules[i], &f->pend[i]);
    return NULL;
}

typedef struct {
    table_memo *m;
    const rf_set *s;
} memo_filling;

static void *memo_one(void *state, size_t i)
{
    memo_filling *f = state;
    expansion e = {.memo = f->m, .no_pos = 1};
    put_table(&e, f->s, &f->s->tables[i], (rf_pos){0});
    free(e.s);
    return NULL;
}

/* The tables' tries, all made before the rules expand side by side; each
 * writes only its own entry, so they are made side by side too. */
static void table_memo_fill(table_memo *m, const rf_set *s)
{
    if (m)
        each_of(&(memo_filling){m, s}, (size_t)m->n, memo_one);
}

/* Every rule prepared and compiled side by side, then taken in rule
 * order. The messages would come in another order than compile_rule's one
 * rule at a time when a rule's field or expansion is wrong, so the
 * preparing reports to a scratch file first: on any problem this returns
 * 0, undone, and the caller goes rule by rule. Else returns 1 and adds the
 * compile errors (reported to d, in rule order) to *errs. */
static int compile_all(ruleset *rs, pending *pend, table_memo *memo, diag_sink *d, int *errs)
{
    int n = 0;
    for (int i = 0; i < rs->src.nrules; i++)
        n += rs->src.rules[i].match && rs->src.rules[i].field; /* the others: reported by the parser */
    FILE *scratch = memo ? tmpfile() : NULL; /* no memo: the tables would be written side by side */
    const rf_rule **src = calloc((size_t)(n ? n : 1), sizeof *src);
    diag_sink *quiet = calloc((size_t)(n ? n : 1), sizeof *quiet);
    if (!scratch || !src || !quiet) {
        if (scratch)
            fclose(scratch);
        free(src);
        free(quiet);
        return 0;
    }
    table_memo_fill(memo, &rs->src);
    for (int i = 0, k = 0; i < rs->src.nrules; i++)
        if (rs->src.rules[i].match && rs->src.rules[i].field) {
            src[k] = &rs->src.rules[i];
            diag_init(&quiet[k++], scratch);
        }
    rs->nrules = n;
    each_rule(&(finishing){rs, pend, memo, src, quiet}, prepare_one);
    int problems = 0;
    for (int i = 0; i < n; i++)
        problems += quiet[i].errors;
    fclose(scratch);
    free(src);
    free(quiet);
    if (problems) {
        for (int i = 0; i < rs->nrules; i++) {
            free(pend[i].pat);
            free(pend[i].pos);
            free(pend[i].marked);
            memset(&pend[i], 0, sizeof pend[i]);
            pcre2_code_free(rs->rules[i].code);
            pthread_mutex_destroy(&rs->rules[i].jit_lock);
            memset(&rs->rules[i], 0, sizeof rs->rules[i]);
        }
        rs->nrules = 0;
        return 0;
    }
    for (int i = 0; i < rs->nrules; i++)
        *errs += take_compiled(rs, &rs->rules[i], &pend[i], d);
    return 1;
}

typedef struct {
    ruleset *rs;
    pending *pend;
    table_memo *memo;
    diag_sink *d;
} gating;

static void *add_gates(void *arg)
{
    gating *g = arg;
    for (int i = 0; i < g->rs->nrules; i++)
        g->rs->rules[i].gate =
            g->pend[i].gate[0] ? add_gate(g->rs, g->pend[i].gate, g->pend[i].gate_caseless, g->memo, g->d) : -1;
    return NULL;
}

static void finish_all(ruleset *rs, pending *pend, table_memo *memo, diag_sink *d)
{
    each_rule(&(finishing){rs, pend, NULL, NULL, NULL}, finish_one);
    size_t total = 0, nslot = 16;
    for (int i = 0; i < rs->nrules; i++)
        total += (size_t)pend[i].nlits;
    while (nslot < 2 * total)
        nslot *= 2;
    lit_index ix = {calloc(nslot, sizeof(int)), nslot - 1}; /* NULL: searched in turn */
    for (int i = 0; i < rs->nrules; i++) /* in rule order: literal ids do not depend on threads */
        add_literals(rs, &ix, &rs->rules[i], pend[i].lits, pend[i].nlits);
    free(ix.slot);
    /* The gates and the literal scanner touch different parts of rs: made
     * side by side. */
    gating g = {rs, pend, memo, d};
    pthread_t gater;
    int beside = batch_cores() > 1 && !pthread_create(&gater, NULL, add_gates, &g);
    rs->scan = rc_litscan(rs->cache, rs->lits, rs->nlits);
    if (beside)
        pthread_join(gater, NULL);
    else
        add_gates(&g);
    for (int g = 0; g < rs->ngates; g++) { /* now that the array moves no more */
        pthread_mutex_init(&rs->gates[g].jit_lock, NULL);
        atomic_init(&rs->gates[g].jit_ready, rs->no_jit); /* JIT-compiled on first use */
    }
}

static ruleset *compile_with(rf_set *src, rule_cache *cache, diag_sink *d, int keep_partial);

ruleset *rules_compile(rf_set *src, diag_sink *d, int keep_partial)
{
    return compile_with(src, rule_cache_open(), d, keep_partial);
}

/* cache: taken over, NULL when there is none. */
static ruleset *compile_with(rf_set *src, rule_cache *cache, diag_sink *d, int keep_partial)
{
    ruleset *rs = calloc(1, sizeof *rs);
    rs->match_limit = 1000000;
    rs->depth_limit = 10000;
    /* EVX_NO_JIT=1: valgrind's memcheck cannot follow PCRE2's generated
     * code (it reads whole words at the subject's end and reports hundreds
     * of "uninitialised value" errors with no stack); the interpreter finds
     * the same matches. tests/valgrind.sh sets it. */
    const char *nj = getenv("EVX_NO_JIT");
    rs->no_jit = nj && *nj && strcmp(nj, "0");
    /* EVX_NO_PREFILTER=1: every rule over the whole of every text, for the
     * test that proves the prefilter and the line gates lose no match. */
    const char *np = getenv("EVX_NO_PREFILTER");
    rs->no_prefilter = np && *np && strcmp(np, "0");
    rs->src = *src;
    memset(src, 0, sizeof *src);
    int errs = 0;
    for (int g = 0; g < rs->src.ngates; g++) {
        const rf_gate *gt = &rs->src.gates[g];
        if (!find_define(&rs->src, gt->name, strlen(gt->name))) {
            diag_error(d, gt->pos.file, gt->pos.line, gt->pos.col,
                       "'gate %s': there is no 'define %s' to gate on", gt->name, gt->name);
            errs++;
        }
    }
    rs->cache = cache; /* NULL: everything is computed */
    table_memo *memo = table_memo_new(&rs->src); /* NULL (out of memory): tables are written each time */
    rs->rules = calloc((size_t)(rs->src.nrules ? rs->src.nrules : 1), sizeof(rule));
    pending *pend = calloc((size_t)(rs->src.nrules ? rs->src.nrules : 1), sizeof *pend);
    if (!compile_all(rs, pend, memo, d, &errs))
        for (int i = 0; i < rs->src.nrules; i++) {
            const rf_rule *r = &rs->src.rules[i];
            if (!r->match || !r->field)
                continue; /* already reported by the parser */
            errs += compile_rule(rs, r, &rs->rules[rs->nrules], &pend[rs->nrules], memo, d);
            rs->nrules++;
        }
    if (!errs || keep_partial)
        finish_all(rs, pend, memo, d);
    table_memo_free(memo);
    rule_cache_close(rs->cache);
    rs->cache = NULL;
    for (int i = 0; i < rs->nrules; i++) {
        free(pend[i].pat);
        free(pend[i].pos);
        free(pend[i].marked);
    }
    free(pend);
    if (errs && !keep_partial) {
        rules_free(rs);
        return NULL;
    }
    return rs;
}

static void *open_cache(void *out)
{
    *(rule_cache **)out = rule_cache_open();
    return NULL;
}

static ruleset *load(const char *dir, diag_sink *d, int keep_partial)
{
    /* Mapping and checking the cache file takes as long as reading the
     * rule files: the two side by side. */
    rule_cache *cache = NULL;
    pthread_t opener;
    int opening = batch_cores() > 1 && !pthread_create(&opener, NULL, open_cache, &cache);
    rf_set src;
    int errs = rf_load_dir(dir, &src, d);
    if (opening)
        pthread_join(opener, NULL);
    else
        cache = rule_cache_open();
    ruleset *rs = compile_with(&src, cache, d, keep_partial);
    if (rs && errs && !keep_partial) {
        rules_free(rs);
        return NULL;
    }
    return rs;
}

ruleset *rules_load(const char *dir, diag_sink *d) { return load(dir, d, 0); }
ruleset *rules_load_all(const char *dir, diag_sink *d) { return load(dir, d, 1); }

char *rules_expand(const ruleset *rs, const rf_rule *r, rf_pos **pos, diag_sink *d)
{
    expansion e = {0};
    *pos = NULL;
    if (!r->match || expand(&rs->src, r->match, r->match_pos, &e, d, 0)) {
        free(e.s);
        free(e.pos);
        return NULL;
    }
    *pos = e.pos;
    return e.s ? e.s : calloc(1, 1);
}

void rules_free(ruleset *rs)
{
    if (!rs)
        return;
    if (atomic_load(&rs->jit_thread_on)) { /* it finishes the rule it is on */
        atomic_store_explicit(&rs->jit_stop, 1, memory_order_relaxed);
        pthread_join(rs->jit_thread, NULL);
    }
    for (int i = 0; i < rs->nrules; i++) {
        pcre2_code_free(rs->rules[i].code);
        pthread_mutex_destroy(&rs->rules[i].jit_lock);
    }
    free(rs->rules);
    for (int g = 0; g < rs->ngates; g++) {
        pcre2_code_free(rs->gates[g].code);
        pthread_mutex_destroy(&rs->gates[g].jit_lock);
    }
    free(rs->gates);
    litscan_free(rs->scan);
    for (int i = 0; i < rs->nlits; i++)
        free(rs->lits[i]);
    free(rs->lits);
    rf_set_free(&rs->src);
    free(rs);
}

int rules_matcher_init(rules_matcher *m, const ruleset *rs)
{
    m->options = 0;
    m->mctx = pcre2_match_context_create(NULL);
    m->jit = pcre2_jit_stack_create(32 * 1024, 1024 * 1024, NULL);
    m->md = pcre2_match_data_create(64, NULL);
    if (!m->mctx || !m->md)
        return -1;
    pcre2_set_match_limit(m->mctx, rs->match_limit);
    pcre2_set_depth_limit(m->mctx, rs->depth_limit);
    if (m->jit)
        pcre2_jit_stack_assign(m->mctx, NULL, m->jit);
    return 0;
}

void rules_matcher_free(rules_matcher *m)
{
    pcre2_match_data_free(m->md);
    pcre2_jit_stack_free(m->jit);
    pcre2_match_context_free(m->mctx);
    memset(m, 0, sizeof *m);
}

int rule_capture_index(const rule *r, const char *name)
{
    for (int i = 0; i < r->ncaps; i++)
        if (!strcmp(r->caps[i].name, name))
            return i;
    return -1;
}

const char *rule_set_value(const rule *r, const char *key)
{
    for (int i = 0; i < r->src->nsets; i++)
        if (!strcmp(r->src->sets[i].key, key))
            return r->src->sets[i].value;
    return NULL;
}

const char *rule_capture_value(const rule *r, int cap, const char *text)
{
    const rf_table *t = r->caps[cap].table;
    const char *v = t ? rf_table_lookup(t, text) : NULL;
    return v ? v : text;
}

/* ---- inline examples ------------------------------------------------ */

static int wanted(const rule *r, char *const *names, int n)
{
    if (!n)
        return 1;
    const char *slash = strchr(r->src->name, '/');
    for (int i = 0; i < n; i++)
        if (!strcmp(names[i], r->src->name) || (slash && !strcmp(names[i], slash + 1)))
            return 1;
    return 0;
}

/* What an example's key names in a match: a capture (after table mapping),
 * a `set` value, or "text" for the whole match. Writes into buf. */
static const char *example_value(const rule *r, const char *in, PCRE2_SIZE *ov,
                                 const char *key, char *buf, size_t len)
{
    int ci = rule_capture_index(r, key);
    if (ci >= 0) {
        PCRE2_SIZE s = ov[2 * r->caps[ci].group], e = ov[2 * r->caps[ci].group + 1];
        if (s == PCRE2_UNSET)
            return NULL;
        snprintf(buf, len, "%.*s", (int)(e - s), in + s);
        const char *v = rule_capture_value(r, ci, buf);
        if (v != buf)
            snprintf(buf, len, "%s", v);
        return buf;
    }
    if (!strcmp(key, "text")) {
        snprintf(buf, len, "%.*s", (int)(ov[1] - ov[0]), in + ov[0]);
        return buf;
    }
    return rule_set_value(r, key);
}

static int run_example(const rule *r, const rf_example *ex, rules_matcher *m, FILE *out)
{
    int rc = pcre2_match(rule_code(r), (PCRE2_SPTR)ex->input, strlen(ex->input), 0, 0, m->md, m->mctx);
    const char *where = ex->pos.file;
    if (!ex->must_match) {
        if (rc < 0)
            return 0;
        PCRE2_SIZE *ov = pcre2_get_ovector_pointer(m->md);
        fprintf(out, "%s:%d:%d: FAIL %s: rejected input matched \"%.*s\"\n", where, ex->pos.line,
                ex->pos.col, r->src->name, (int)(ov[1] - ov[0]), ex->input + ov[0]);
        return 1;
    }
    if (rc < 0) {
        fprintf(out, "%s:%d:%d: FAIL %s: no match in \"%s\"\n", where, ex->pos.line, ex->pos.col,
                r->src->name, ex->input);
        return 1;
    }
    PCRE2_SIZE *ov = pcre2_get_ovector_pointer(m->md);
    int fails = 0;
    for (int i = 0; i < ex->nexpect; i++) {
        char buf[512];
        const char *got = example_value(r, ex->input, ov, ex->expect[i].key, buf, sizeof buf);
        if (!got || strcmp(got, ex->expect[i].value)) {
            fprintf(out, "%s:%d:%d: FAIL %s: \"%s\": expected %s=%s, got %s%s%s\n", where,
                    ex->pos.line, ex->pos.col, r->src->name, ex->input, ex->expect[i].key,
                    ex->expect[i].value, got ? "" : "(nothing)", got ? got : "", "");
            fails = 1;
        }
    }
    return fails;
}

int rules_selftest(const ruleset *rs, char *const *names, int nnames, FILE *out)
{
    rules_matcher m;
    if (rules_matcher_init(&m, rs) < 0)
        return 1;
    int failed = 0, passed = 0, rules_run = 0;
    for (int i = 0; i < rs->nrules; i++) {
        const rule *r = &rs->rules[i];
        if (!wanted(r, names, nnames))
            continue;
        rules_run++;
        for (int j = 0; j < r->src->nexamples; j++) {
            if (run_example(r, &r->src->examples[j], &m, out))
                failed++;
            else
                passed++;
        }
    }
    rules_matcher_free(&m);
    /* A misspelt filter must not pass silently as "0 failed". */
    for (int k = 0; k < nnames; k++) {
        int found = 0;
        for (int i = 0; i < rs->nrules && !found; i++)
            found = wanted(&rs->rules[i], names + k, 1);
        if (!found) {
            fprintf(out, "FAIL: no rule named '%s'\n", names[k]);
            failed++;
        }
    }
    fprintf(out, "rules test: %d rules, %d passed, %d failed\n", rules_run, passed, failed);
    return failed;
}
