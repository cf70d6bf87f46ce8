/* startclass.c - the first-character set of a PCRE2 pattern, conservatively.
 *
 * A small recursive-descent reader over the subset of PCRE2 syntax that
 * rule files use. Each construct yields `first` (the characters its match
 * can begin with) and `nullable` (it can match the empty string, so what
 * follows may begin the match too). Zero-width constructs (lookarounds,
 * anchors, \b, \K) are nullable and add nothing: they constrain where a
 * match starts, but leaving them out only makes the set larger. */
#include "startclass.h"
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unicode/uchar.h>

typedef struct {
    uint8_t ascii[16]; /* bit c: ASCII character c can come first */
    int high;          /* any character above U+007F can come first */
    int high_common;   /* one above U+007F that is not a rare symbol (sc_rare_symbol) */
} cset;

/* A small set of strings (ASCII lower-cased, other bytes as they are);
 * n == -1: not known, or too many. */
typedef struct {
    int n;
    int score; /* lit_score, cached; -1: not yet */
    /* How many line breaks (counted as for line_reach) what a match looks
     * at can reach before and after the line of the string it holds,
     * within the construct the set belongs to: exact sets cover their
     * construct (0, 0). While a sequence is read, after is kept minus the
     * reach up to the end of the string's atom (read_seq). */
    long before, after;
    char s[SC_LIT_MAX][SC_LIT_LEN];
} litset;

typedef struct {
    cset first;
    int nullable;
    litset exact; /* the construct matches exactly one of these strings */
    litset req;   /* the text around a match holds one of these strings */
    char gate[SC_GATE_LEN]; /* a gated define every match holds, or "" */
    int gate_caseless;      /* the case mode it is matched in */
    long reach;             /* line breaks a match may cross (see line_reach); REACH_INF: no bound */
    cset need;              /* need_known: every match holds one of these characters */
    int need_known;
    long need_before, need_after; /* as litset's before and after, for need */
} info;

#define REACH_INF (1L << 20)

static long reach_add(long a, long b) { return a + b >= REACH_INF ? REACH_INF : a + b; }

static void lit_unknown(litset *l)
{
    l->n = -1;
    l->score = 0;
    l->before = l->after = 0;
}

/* How rarely text holds one of the strings: the weakest string counts, and
 * a character that is not a letter or digit ("(", "-") is rare, "@", "©"
 * and "€" rare enough alone; a Latin-1 letter ("ä", lead byte 0xC3) is as
 * common as an ASCII one. */
static int byte_score(unsigned char c)
{
    if (c >= 0x80 && c < 0xC0)
        return 0; /* the rest of a character: its first byte counts */
    if (c == '@' || (c >= 0xC0 && c != 0xC3))
        return 3;
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == ' ' || c == 0xC3)
        return 1;
    return 2;
}

static int str_score(const char *str)
{
    int sc = 0;
    for (const unsigned char *c = (const unsigned char *)str; *c; c++)
        sc += byte_score(*c);
    return sc;
}

/* dst = src, copying only the strings in use (a set is 1.5 KB, and
 * reading a table's pattern copies sets per atom). */
static void lit_copy(litset *dst, const litset *src)
{
    dst->n = src->n;
    dst->score = src->score;
    dst->before = src->before;
    dst->after = src->after;
    if (src->n > 0 && dst != src)
        memcpy(dst->s, src->s, (size_t)src->n * SC_LIT_LEN);
}

static void lit_one(litset *l, const char *bytes, size_t len)
{
    l->n = 1;
    l->before = l->after = 0;
    memcpy(l->s[0], bytes, len);
    l->s[0][len] = '\0';
    l->score = str_score(l->s[0]);
}

static void lit_union(litset *a, const litset *b)
{
    if (a->n < 0 || b->n < 0) {
        lit_unknown(a);
        return;
    }
    if (b->before > a->before) /* a string of either set: the farther bounds */
        a->before = b->before;
    if (b->after > a->after)
        a->after = b->after;
    for (int j = 0; j < b->n; j++) {
        int dup = 0;
        for (int i = 0; i < a->n && !dup; i++)
            dup = a->s[i][0] == b->s[j][0] && !strcmp(a->s[i], b->s[j]);
        if (dup)
            continue;
        if (a->n == SC_LIT_MAX) {
            lit_unknown(a);
            return;
        }
        strcpy(a->s[a->n], b->s[j]);
        int sc = str_score(a->s[a->n]); /* the weakest string counts */
        if (a->n == 0 || (a->score >= 0 && sc < a->score))
            a->score = sc;
        a->n++;
    }
}

/* Every string of a followed by every string of b. */
static void lit_cross(litset *out, const litset *a, const litset *b)
{
    if (a->n < 0 || b->n < 0 || a->n * b->n > SC_LIT_MAX) {
        lit_unknown(out);
        return;
    }
    if (a->n == 1 && b->n == 1 && out == a) { /* the common case: one more character */
        size_t la = strlen(a->s[0]), lb = strlen(b->s[0]);
        if (la + lb >= SC_LIT_LEN) {
            lit_unknown(out);
            return;
        }
        memcpy(out->s[0] + la, b->s[0], lb + 1);
        out->score = a->score >= 0 && b->score >= 0 ? a->score + b->score : -1;
        return;
    }
    litset r;
    r.n = 0;
    r.score = -1;
    r.before = r.after = 0;
    for (int i = 0; i < a->n; i++)
        for (int j = 0; j < b->n; j++) {
            size_t la = strlen(a->s[i]), lb = strlen(b->s[j]);
            if (la + lb >= SC_LIT_LEN) {
                lit_unknown(out);
                return;
            }
            memcpy(r.s[r.n], a->s[i], la);
            memcpy(r.s[r.n] + la, b->s[j], lb + 1);
            r.n++;
        }
    lit_copy(out, &r);
}

static int lit_score(litset *l)
{
    if (l->n <= 0)
        return 0;
    if (l->score >= 0)
        return l->score;
    int worst = 1 << 20;
    for (int i = 0; i < l->n; i++) {
        int sc = str_score(l->s[i]);
        if (sc < worst)
            worst = sc;
    }
    return l->score = worst;
}

/* Keeps in best whichever of best and cand is rarer. */
static void lit_consider(litset *best, litset *cand)
{
    int a = lit_score(best), b = lit_score(cand);
    if (b > a || (b == a && b > 0 && cand->n < best->n))
        lit_copy(best, cand);
}

typedef struct {
    const char *s;
    size_t i, n;
    int fail;    /* beyond the reader: give up */
    int newline; /* some atom can match '\n', or an anchor sees past a line (\z, \Z, \G) */
    char tag[SC_GATE_LEN]; /* "(?#@NAME)" just read: the next group is define NAME */
    int ws_class;          /* the last class read holds only white space */
    int unbounded;         /* (?s), \\z, \\Z or \\G: how far a match looks is not known */
} reader;

static int is_ws(uint32_t ch) { return ch == ' ' || (ch >= '\t' && ch <= '\r'); }

static void set_bit(cset *c, unsigned ch) { c->ascii[ch >> 3] |= (uint8_t)(1u << (ch & 7)); }
static int has_bit(const cset *c, unsigned ch) { return (c->ascii[ch >> 3] >> (ch & 7)) & 1; }

int sc_rare_symbol(uint32_t cp)
{
    if (cp < 0x100)
        return (cp >= 0xA1 && cp <= 0xBF && cp != 0xB5) || cp == 0xD7 || cp == 0xF7;
    return (cp >= 0x2010 && cp <= 0x205E) || (cp >= 0x20A0 && cp <= 0x20CF) || (cp >= 0x2190 && cp <= 0x23FF) ||
           (cp >= 0x2500 && cp <= 0x27BF) || (cp >= 0x2E00 && cp <= 0x2E7F) || cp >= 0x10000 ||
           u_charType((UChar32)cp) == U_DECIMAL_DIGIT_NUMBER;
}

/* Any character above U+007F (a letter, say) can be there. */
static void set_high(cset *c) { c->high = c->high_common = 1; }

static void set_all(cset *c)
{
    memset(c->ascii, 0xFF, sizeof c->ascii);
    set_high(c);
}

static void set_union(cset *a, const cset *b)
{
    for (int k = 0; k < 16; k++)
        a->ascii[k] |= b->ascii[k];
    a->high |= b->high;
    a->high_common |= b->high_common;
}

/* How many lines of prose hold one of the characters of c, roughly: a
 * letter or a space is on nearly every line, ",", "." and "-" on many, a
 * digit on some, other punctuation on few; a character that is not ASCII
 * (å, ä, ö) on most, and a line break on none (it is between lines, so a
 * set with one cannot be looked for in a line). */
static int set_weight(const cset *c)
{
    if (c->high_common || has_bit(c, '\n'))
        return 1000;
    /* bit masks over ASCII, as two 64-bit halves: letters and ' ', then
     * ",.-", then digits; the rest weighs 2 */
    static const uint64_t common[2] = {1ULL << ' ', 0x07FFFFFE07FFFFFEULL};
    static const uint64_t punct[2] = {(1ULL << ',') | (1ULL << '.') | (1ULL << '-'), 0};
    static const uint64_t digit[2] = {0x03FF000000000000ULL, 0};
    int w = 0;
    for (int h = 0; h < 2; h++) {
        uint64_t m = 0;
        for (int k = 7; k >= 0; k--)
            m = m << 8 | c->ascii[8 * h + k];
        int all = __builtin_popcountll(m), cm = __builtin_popcountll(m & common[h]);
        int pu = __builtin_popcountll(m & punct[h]), dg = __builtin_popcountll(m & digit[h]);
        w += 50 * cm + 10 * pu + 3 * dg + 2 * (all - cm - pu - dg);
    }
    return w + c->high; /* rare symbols, other scripts' digits: rarer than ASCII punctuation */
}

static void set_range(cset *c, unsigned lo, unsigned hi)
{
    for (unsigned ch = lo; ch <= hi && ch < 128; ch++)
        set_bit(c, ch);
}

/* One character, with its other case when caseless. Under caseless UCP
 * matching U+017F (long s) matches s and S, and U+212A (Kelvin) matches k
 * and K, so those two pairs reach across the ASCII border both ways. */
static void add_char(cset *c, uint32_t ch, int caseless)
{
    if (ch >= 128) {
        c->high = 1;
        c->high_common |= !sc_rare_symbol(ch);
        if (caseless && ch == 0x17F) {
            set_bit(c, 's');
            set_bit(c, 'S');
        } else if (caseless && ch == 0x212A) {
            set_bit(c, 'k');
            set_bit(c, 'K');
        }
        return;
    }
    set_bit(c, ch);
    if (caseless && ((ch | 0x20) >= 'a' && (ch | 0x20) <= 'z')) {
        set_bit(c, ch ^ 0x20);
        if ((ch | 0x20) == 's' || (ch | 0x20) == 'k')
            set_high(c);
    }
}

static void add_range(cset *c, uint32_t lo, uint32_t hi, int caseless)
{
    for (uint32_t ch = lo; ch <= hi && ch < 128; ch++)
        add_char(c, ch, caseless);
    if (hi >= 128) {
        c->high = 1;
        for (uint32_t ch = lo < 128 ? 128 : lo; ch <= hi && !c->high_common; ch++)
            c->high_common = !sc_rare_symbol(ch); /* stops at the first that is not */
        if (caseless && lo <= 0x212A && hi >= 0x17F) {
            add_char(c, 's', 1);
            add_char(c, 'k', 1);
        }
    }
}

static int peek(const reader *r, size_t k) { return r->i + k < r->n ? (unsigned char)r->s[r->i + k] : -1; }

/* The UTF-8 character at the reader, advancing past it. */
static uint32_t next_char(reader *r)
{
    unsigned char c = (unsigned char)r->s[r->i++];
    if (c < 0x80)
        return c;
    int extra = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : 0;
    uint32_t cp = c & (0x3F >> extra);
    for (int k = 0; k < extra && r->i < r->n; k++)
        cp = (cp << 6) | ((unsigned char)r->s[r->i++] & 0x3F);
    return cp < 0x80 ? 0x80 : cp; /* malformed: still "above ASCII" */
}

static int hexval(int c)
{
    return c >= '0' && c <= '9' ? c - '0' : (c | 0x20) >= 'a' && (c | 0x20) <= 'f' ? (c | 0x20) - 'a' + 10 : -1;
}

/* \xhh or \x{h...}, the reader just past the x. */
static uint32_t read_hex(reader *r)
{
    uint32_t v = 0;
    if (peek(r, 0) == '{') {
        r->i++;
        while (peek(r, 0) >= 0 && peek(r, 0) != '}') {
            int h = hexval(peek(r, 0));
            if (h < 0) {
                r->fail = 1;
                return 0;
            }
            v = v * 16 + (uint32_t)h;
            r->i++;
        }
        if (peek(r, 0) != '}')
            r->fail = 1;
        r->i++;
        return v;
    }
    for (int k = 0; k < 2 && hexval(peek(r, 0)) >= 0; k++)
        v = v * 16 + (uint32_t)hexval(r->s[r->i++]);
    return v;
}

/* \p{..} or \pX, the reader just past the p. Adds the property's
 * characters; *exact says whether the ASCII part is exactly right (needed
 * inside a negated class). */
static void read_prop(reader *r, cset *c, int caseless, int *exact)
{
    char name[32] = "";
    if (peek(r, 0) == '{') {
        size_t k = 0;
        r->i++;
        while (peek(r, 0) >= 0 && peek(r, 0) != '}' && k + 1 < sizeof name)
            name[k++] = r->s[r->i++];
        name[k] = '\0';
        if (peek(r, 0) != '}') {
            r->fail = 1;
            return;
        }
        r->i++;
    } else if (peek(r, 0) >= 0) {
        name[0] = r->s[r->i++];
        name[1] = '\0';
    }
    c->high = 1;
    if (strcmp(name, "Nd")) /* any decimal digit: those above U+007F are rare symbols */
        c->high_common = 1;
    /* PCRE2 10.42 leaves \p{Lu} and \p{Ll} alone under caseless matching;
     * newer releases fold them. Either way "any letter" covers it. */
    if ((!strcmp(name, "Lu") || !strcmp(name, "Lt")) && !caseless) {
        set_range(c, 'A', 'Z');
    } else if (!strcmp(name, "Ll") && !caseless) {
        set_range(c, 'a', 'z');
    } else if (!strcmp(name, "L") || !strcmp(name, "L&") || !strcmp(name, "Lu") || !strcmp(name, "Ll") ||
               !strcmp(name, "Lt")) {
        set_range(c, 'A', 'Z');
        set_range(c, 'a', 'z');
    } else if (!strcmp(name, "N") || !strcmp(name, "Nd")) {
        set_range(c, '0', '9');
    } else if (!strcmp(name, "So")) {
        /* "other symbols" (emoji, ⏰): none is ASCII, so no line break */
    } else {
        set_all(c);
        *exact = 0;
    }
}

/* An escape that stands for a set of characters or one character; the
 * reader just past the backslash. Returns 1 for a set (added to c), 0 for a
 * single character (in *ch), 2 for a zero-width assertion. in_class: \b is
 * a backspace there. */
static int read_escape(reader *r, cset *c, uint32_t *ch, int caseless, int in_class, int *exact)
{
    if (r->i >= r->n) {
        r->fail = 1;
        return 1;
    }
    int e = (unsigned char)r->s[r->i];
    if (e >= 0x80) { /* an escaped non-ASCII character is itself */
        *ch = next_char(r);
        return 0;
    }
    r->i++;
    switch (e) {
    case 'd': /* with PCRE2_UCP any decimal digit: the others are rare symbols */
        set_range(c, '0', '9');
        c->high = 1;
        return 1;
    case 'w':
        set_range(c, '0', '9');
        set_range(c, 'A', 'Z');
        set_range(c, 'a', 'z');
        set_bit(c, '_');
        set_high(c);
        return 1;
    case 's':
        set_range(c, '\t', '\r');
        set_bit(c, ' ');
        set_high(c);
        return 1;
    case 'p':
        read_prop(r, c, caseless, exact);
        return 1;
    case 'D': case 'W': case 'S': case 'P': case 'h': case 'v': case 'H': case 'V':
    case 'R': case 'X': case 'N': case 'C':
        if (e == 'P' && peek(r, 0) == '{') /* skip the name */
            while (peek(r, 0) >= 0 && r->s[r->i++] != '}')
                ;
        else if (e == 'P')
            r->i++;
        set_all(c);
        *exact = 0;
        return 1;
    case 'b':
        if (in_class) {
            *ch = 8;
            return 0;
        }
        return 2;
    case 'B': case 'A': case 'z': case 'Z': case 'G': case 'K':
        if (in_class)
            r->fail = 1;
        return 2;
    case 'x':
        *ch = read_hex(r);
        return 0;
    case 'n': *ch = '\n'; return 0;
    case 't': *ch = '\t'; return 0;
    case 'r': *ch = '\r'; return 0;
    case 'f': *ch = '\f'; return 0;
    case 'e': *ch = 0x1B; return 0;
    case 'a': *ch = 7; return 0;
    }
    if ((e >= '0' && e <= '9') || (e >= 'a' && e <= 'z') || (e >= 'A' && e <= 'Z')) {
        r->fail = 1; /* backreferences, \Q, \k, \g, \o, \c ...: beyond us */
        return 1;
    }
    *ch = (uint32_t)e; /* an escaped punctuation character is itself */
    return 0;
}

/* Whether c has other cases (caseless matching would take other bytes). */
static int has_case(UChar32 c)
{
    return u_tolower(c) != c || u_toupper(c) != c || u_totitle(c) != c ||
           u_foldCase(c, U_FOLD_CASE_DEFAULT) != c;
}

/* The literal string of one character: ASCII and À-Þ lower-cased (as
 * extract.c folds the text); another character as its UTF-8 bytes, unless
 * it is matched caselessly and has other cases (other bytes). */
static void lit_char(litset *l, uint32_t ch, int caseless)
{
    char b[4];
    size_t n;
    if (ch < 128) {
        b[0] = (char)(ch >= 'A' && ch <= 'Z' ? ch + 32 : ch);
        n = 1;
    } else if (ch >= 0xC0 && ch <= 0xFE && ch != 0xD7 && ch != 0xF7 && ch != 0xDF) {
        /* À-þ: folded like ASCII (extract.c), their other cases too */
        uint32_t low = ch <= 0xDE ? ch + 0x20 : ch;
        b[0] = (char)(0xC0 | low >> 6), b[1] = (char)(0x80 | (low & 0x3F)), n = 2;
    } else if (ch > 0x10FFFF || (caseless && has_case((UChar32)ch))) {
        lit_unknown(l);
        return;
    } else if (ch < 0x800) {
        b[0] = (char)(0xC0 | ch >> 6), b[1] = (char)(0x80 | (ch & 0x3F)), n = 2;
    } else if (ch < 0x10000) {
        b[0] = (char)(0xE0 | ch >> 12), b[1] = (char)(0x80 | (ch >> 6 & 0x3F)), b[2] = (char)(0x80 | (ch & 0x3F)), n = 3;
    } else {
        b[0] = (char)(0xF0 | ch >> 18), b[1] = (char)(0x80 | (ch >> 12 & 0x3F));
        b[2] = (char)(0x80 | (ch >> 6 & 0x3F)), b[3] = (char)(0x80 | (ch & 0x3F)), n = 4;
    }
    lit_one(l, b, n);
}

/* [...], the reader on the '['. A class of a few plain characters ("[,;]",
 * "[\\[(]") also gives them as literal strings in *lits. */
static void read_class(reader *r, cset *out, int caseless, litset *lits)
{
    cset c = {0};
    int exact = 1, negated = 0, plain = 1, ws = 1;
    litset chars;
    chars.n = 0;
    chars.score = -1;
    chars.before = chars.after = 0;
    r->i++;
    if (peek(r, 0) == '^') {
        negated = 1;
        r->i++;
    }
    int first = 1;
    while (!r->fail) {
        int p = peek(r, 0);
        if (p < 0) {
            r->fail = 1;
            break;
        }
        if (p == ']' && !first) {
            r->i++;
            break;
        }
        first = 0;
        if (p == '[' && (peek(r, 1) == ':' || peek(r, 1) == '.' || peek(r, 1) == '=')) {
            r->fail = 1; /* POSIX classes */
            break;
        }
        uint32_t lo;
        if (p == '\\') {
            r->i++;
            int e = peek(r, 0);
            if (read_escape(r, &c, &lo, caseless, 1, &exact) != 0) {
                plain = 0;
                ws &= e == 's' || e == 'v' || e == 'h';
                continue; /* a set: a following '-' is literal */
            }
        } else {
            lo = next_char(r);
        }
        ws &= is_ws(lo);
        if (peek(r, 0) == '-' && peek(r, 1) >= 0 && peek(r, 1) != ']') {
            r->i++;
            plain = 0;
            ws = 0;
            uint32_t hi;
            if (peek(r, 0) == '\\') {
                r->i++;
                cset tmp = {0};
                if (read_escape(r, &tmp, &hi, caseless, 1, &exact) != 0) {
                    /* "a-\d": PCRE2 takes the '-' literally */
                    add_char(&c, lo, caseless);
                    add_char(&c, '-', caseless);
                    set_union(&c, &tmp);
                    continue;
                }
            } else {
                hi = next_char(r);
            }
            if (hi < lo) {
                r->fail = 1;
                break;
            }
            add_range(&c, lo, hi, caseless);
        } else {
            add_char(&c, lo, caseless);
            litset one;
            lit_char(&one, lo, caseless);
            lit_union(&chars, &one);
        }
    }
    if (!negated && plain && chars.n > 0 && chars.n <= 4)
        lit_copy(lits, &chars);
    r->ws_class = ws && !negated;
    if (negated) {
        if (!exact) {
            set_all(out);
            return;
        }
        for (unsigned ch = 0; ch < 128; ch++)
            if (!has_bit(&c, ch))
                set_bit(out, ch);
        set_high(out);
        return;
    }
    set_union(out, &c);
}

static void read_alt(reader *r, int caseless, info *out);

static void zero_width(info *z)
{
    memset(&z->first, 0, sizeof z->first);
    z->nullable = 1;
    z->exact.n = 1;
    z->exact.score = 0;
    z->exact.before = z->exact.after = 0;
    z->exact.s[0][0] = '\0';
    lit_unknown(&z->req);
    z->gate[0] = '\0';
    z->gate_caseless = 0;
    z->reach = 0;
    z->need_known = 0;
    z->need_before = z->need_after = 0;
}

static void unknown_atom(info *u)
{
    memset(&u->first, 0, sizeof u->first);
    u->nullable = 0;
    lit_unknown(&u->exact);
    lit_unknown(&u->req);
    u->gate[0] = '\0';
    u->gate_caseless = 0;
    u->reach = 0;
    u->need_known = 0;
    u->need_before = u->need_after = 0;
}

/* A group's body up to and past its ')'. */
static void read_group_body(reader *r, int caseless, info *out)
{
    read_alt(r, caseless, out);
    if (peek(r, 0) != ')')
        r->fail = 1;
    r->i++;
}

/* A lookaround, the reader past its opening: zero-width, but what a
 * positive one looks for is in the text. Structs are large (the literal
 * sets), so they are filled in place, never returned by value. */
static void lookaround(reader *r, int caseless, int positive, int behind, info *out)
{
    read_group_body(r, caseless, out);
    litset need;
    lit_copy(&need, &out->req);
    lit_consider(&need, &out->exact);
    char gate[SC_GATE_LEN];
    memcpy(gate, out->gate, sizeof gate);
    long reach = out->reach; /* what it looks at counts as much as what a match takes */
    cset chars = out->need;
    int chars_known = out->need_known;
    long chars_before = out->need_before, chars_after = out->need_after;
    zero_width(out);
    out->reach = reach;
    if (positive) {
        out->need = chars;
        out->need_known = chars_known;
        out->need_before = chars_before;
        out->need_after = chars_after;
        lit_consider(&out->req, &need);
        memcpy(out->gate, gate, sizeof gate);
        /* What a lookbehind holds lies before where it stands, so a match
         * may start after it: bounded only by its reach, either way. */
        if (behind) {
            out->req.before = out->req.after = reach;
            out->need_before = out->need_after = reach;
        }
    }
}

/* (...) in all its forms, the reader on the '('. *caseless may change for
 * the rest of the enclosing group ("(?i)"). */
static void read_paren(reader *r, int *caseless, info *out)
{
    r->i++;
    if (peek(r, 0) == '*') {
        r->fail = 1; /* verbs */
        zero_width(out);
        return;
    }
    if (peek(r, 0) != '?') {
        read_group_body(r, *caseless, out);
        return;
    }
    r->i++;
    int p = peek(r, 0);
    if (p == '#') {
        size_t from = r->i + 1;
        while (peek(r, 0) >= 0 && r->s[r->i] != ')')
            r->i++;
        if (from < r->i && r->s[from] == '@' && r->i - from - 1 < SC_GATE_LEN) { /* rules.c's mark */
            memcpy(r->tag, r->s + from + 1, r->i - from - 1);
            r->tag[r->i - from - 1] = '\0';
        }
        r->i++;
        zero_width(out);
        return;
    }
    if (p == ':' || p == '>' || p == '|') {
        r->i++;
        read_group_body(r, *caseless, out);
        return;
    }
    if (p == '=' || p == '!') {
        r->i++;
        lookaround(r, *caseless, p == '=', 0, out);
        return;
    }
    if (p == '<' && (peek(r, 1) == '=' || peek(r, 1) == '!')) {
        int positive = peek(r, 1) == '=';
        r->i += 2;
        lookaround(r, *caseless, positive, 1, out);
        return;
    }
    if (p == '<' || p == '\'' || (p == 'P' && peek(r, 1) == '<')) {
        int close = p == '\'' ? '\'' : '>';
        while (peek(r, 0) >= 0 && r->s[r->i] != close)
            r->i++;
        r->i++;
        read_group_body(r, *caseless, out);
        return;
    }
    /* Options: (?i) (?-i) (?i:...) (?^) ... */
    int ci = *caseless, on = 1;
    for (;;) {
        int o = peek(r, 0);
        if (o == 'i') {
            ci = on;
        } else if (o == '-') {
            on = 0;
        } else if (o == '^') {
            ci = 0;
        } else if (o == 's') {
            r->newline |= on; /* '.' now matches '\n' */
            r->unbounded |= on;
        } else if (o == 'm' || o == 'n' || o == 'U' || o == 'J') {
            /* no effect on which character comes first */
        } else if (o == ':') {
            r->i++;
            read_group_body(r, ci, out);
            return;
        } else if (o == ')') {
            r->i++;
            *caseless = ci;
            zero_width(out);
            return;
        } else {
            r->fail = 1; /* x, conditionals, recursion, callouts ... */
            zero_width(out);
            return;
        }
        r->i++;
    }
}

/* A quantifier after an atom, if any: returns its minimum, or -1 when there
 * is none. */
static long read_quant(reader *r, long *max)
{
    int p = peek(r, 0);
    long min = -1;
    *max = 1;
    if (p == '*' || p == '?') {
        min = 0;
        *max = p == '?' ? 1 : REACH_INF;
        r->i++;
    } else if (p == '+') {
        min = 1;
        *max = REACH_INF;
        r->i++;
    } else if (p == '{') {
        size_t k = r->i + 1;
        if (k < r->n && r->s[k] == ',') {
            r->fail = 1; /* {,n}: a literal in PCRE2 10.42, a quantifier later */
            return -1;
        }
        long v = 0;
        int digits = 0;
        while (k < r->n && r->s[k] >= '0' && r->s[k] <= '9') {
            v = v * 10 + (r->s[k++] - '0');
            digits++;
        }
        if (!digits)
            return -1; /* a literal '{' */
        long hi = v;
        if (k < r->n && r->s[k] == ',') {
            k++;
            hi = k < r->n && r->s[k] >= '0' && r->s[k] <= '9' ? 0 : REACH_INF;
            while (k < r->n && r->s[k] >= '0' && r->s[k] <= '9')
                hi = hi * 10 + (r->s[k++] - '0');
        }
        if (k >= r->n || r->s[k] != '}')
            return -1;
        r->i = k + 1;
        min = v;
        *max = hi < REACH_INF ? hi : REACH_INF;
    }
    if (min >= 0 && (peek(r, 0) == '?' || peek(r, 0) == '+'))
        r->i++;
    return min;
}

/* One atom and its quantifier. */
static void read_atom(reader *r, int *caseless, info *a)
{
    unknown_atom(a);
    char tag[SC_GATE_LEN];
    memcpy(tag, r->tag, sizeof tag);
    r->tag[0] = '\0';
    int p = peek(r, 0);
    int group = p == '(', ws = 0;
    if (p == '(') {
        read_paren(r, caseless, a);
        if (tag[0]) { /* the group is a gated define */
            memcpy(a->gate, tag, sizeof tag);
            a->gate_caseless = *caseless;
        }
    } else if (p == '[') {
        read_class(r, &a->first, *caseless, &a->exact);
        r->newline |= has_bit(&a->first, '\n');
        ws = r->ws_class;
    } else if (p == '\\') {
        r->i++;
        uint32_t ch;
        int e = peek(r, 0);
        int exact = 1, k = read_escape(r, &a->first, &ch, *caseless, 0, &exact);
        if (k == 0) {
            add_char(&a->first, ch, *caseless);
            lit_char(&a->exact, ch, *caseless);
            r->newline |= has_bit(&a->first, '\n');
            ws = is_ws(ch);
        } else if (k == 2) {
            zero_width(a);
            if (e == 'z' || e == 'Z' || e == 'G')
                r->newline = r->unbounded = 1;
        } else {
            r->newline |= has_bit(&a->first, '\n');
            ws = e == 's' || e == 'v' || e == 'R';
        }
    } else if (p == '.') { /* not '\n': the rules are compiled without PCRE2_DOTALL */
        r->i++;
        set_all(&a->first);
    } else if (p == '^' || p == '$') { /* PCRE2_MULTILINE: line anchors */
        r->i++;
        zero_width(a);
    } else {
        uint32_t ch = next_char(r);
        add_char(&a->first, ch, *caseless);
        lit_char(&a->exact, ch, *caseless);
        r->newline |= ch == '\n';
        ws = is_ws(ch);
    }
    if (!group && !a->nullable) { /* one character, of the set `first` */
        a->need = a->first;
        a->need_known = 1;
        a->need_before = a->need_after = 0;
    }
    long max, min = read_quant(r, &max);
    if (min < 0)
        max = 1;
    if (min == 0)
        a->need_known = 0;
    if (group) { /* each copy may cross as many */
        if (a->reach)
            a->reach = max >= REACH_INF || a->reach * max >= REACH_INF ? REACH_INF : a->reach * max;
    } else if (has_bit(&a->first, '\n')) {
        /* A run of white space crosses blank lines up to one line with
         * text; anything else crosses a line break per character. */
        a->reach = ws ? 1 : max;
    }
    if (min == 0) {
        a->nullable = 1;
        lit_unknown(&a->exact);
        lit_unknown(&a->req);
        a->gate[0] = '\0';
    } else if (min > 0) { /* repeated: one copy at least is there */
        lit_consider(&a->req, &a->exact);
        lit_unknown(&a->exact);
    }
    /* In which copy, or where in a run of white space, is not known: as
     * far as the whole atom reaches, either way. */
    if (a->reach && (max > 1 || !group)) {
        a->req.before = a->req.after = a->reach;
        a->need_before = a->need_after = a->reach;
    }
}

/* A sequence up to '|', ')' or the end. */
static void read_seq(reader *r, int *caseless, info *s)
{
    zero_width(s);
    litset run; /* the strings of the current run of exact atoms */
    run.n = 1;
    run.score = 0;
    run.s[0][0] = '\0';
    long run_from = 0; /* the reach before the run's first atom */
    int broken = 0, need_weight = 0;
    info a;
    while (!r->fail && r->i < r->n && r->s[r->i] != '|' && r->s[r->i] != ')') {
        long before_atom = s->reach;
        read_atom(r, caseless, &a);
        s->reach = reach_add(s->reach, a.reach);
        long through = s->reach; /* up to the end of this atom */
        if (a.need_known) {
            int w = set_weight(&a.need);
            if (!s->need_known || w < need_weight) {
                s->need = a.need;
                s->need_known = 1;
                s->need_before = before_atom + a.need_before;
                s->need_after = a.need_after - through; /* the rest is added at the end */
                need_weight = w;
            }
        }
        if (!s->gate[0] && a.gate[0]) {
            memcpy(s->gate, a.gate, sizeof a.gate);
            s->gate_caseless = a.gate_caseless;
        }
        if (s->nullable) {
            set_union(&s->first, &a.first);
            s->nullable = a.nullable;
        }
        a.req.before += before_atom;
        a.req.after -= through;
        lit_consider(&s->req, &a.req);
        if (a.reach && a.exact.n == 1 && !a.exact.s[0][0]) {
            /* A lookahead that looks across lines ("senast\b(?=[ \t]+
             * @somedate)", the date on the next lines) ends the run: the
             * run's strings stand that many lines before the match ends. */
            run.before = run_from;
            run.after = -before_atom;
            lit_consider(&s->req, &run);
            broken = 1;
            run.n = 1;
            run.score = 0;
            run.s[0][0] = '\0';
            run_from = through;
            continue;
        }
        if (a.exact.n == 1 && run.n == 1) { /* one more character: no copies */
            lit_cross(&run, &run, &a.exact);
            if (run.n >= 0)
                continue;
            run.n = 1; /* too long: the run so far (a prefix) still counts */
            run.score = -1;
            run.before = run_from;
            run.after = -before_atom;
            lit_consider(&s->req, &run);
            lit_unknown(&run);
        } else {
            litset joined;
            lit_cross(&joined, &run, &a.exact);
            if (joined.n >= 0) {
                lit_copy(&run, &joined);
                continue;
            }
        }
        run.before = run_from; /* the run ended before this atom */
        run.after = -before_atom;
        lit_consider(&s->req, &run);
        broken = 1;
        if (a.exact.n >= 0) {
            lit_copy(&run, &a.exact);
            run_from = before_atom;
        } else {
            run.n = 1;
            run.score = 0;
            run.s[0][0] = '\0';
            run_from = through;
        }
    }
    run.before = run_from;
    run.after = -s->reach;
    lit_consider(&s->req, &run);
    /* after was kept minus the reach up to the end of its atom: now it
     * counts to the end of the sequence */
    s->req.after += s->reach;
    s->need_after += s->reach;
    if (broken)
        lit_unknown(&s->exact);
    else
        lit_copy(&s->exact, &run);
    s->exact.before = s->exact.after = 0; /* exact strings cover the sequence */
}

/* What one branch of an alternation requires, into need. */
static void branch_needs(info *b, litset *need)
{
    lit_copy(need, &b->req);
    lit_consider(need, &b->exact);
}

static void read_alt(reader *r, int caseless, info *all)
{
    int ci = caseless; /* "(?i)" reaches later alternatives of the group */
    read_seq(r, &ci, all);
    if (peek(r, 0) != '|')
        return; /* one branch: nothing to merge */
    litset need, nb;
    branch_needs(all, &need);
    info b;
    while (!r->fail && peek(r, 0) == '|') {
        r->i++;
        read_seq(r, &ci, &b);
        if (b.reach > all->reach)
            all->reach = b.reach;
        if (all->need_known && b.need_known) {
            set_union(&all->need, &b.need);
            if (b.need_before > all->need_before)
                all->need_before = b.need_before;
            if (b.need_after > all->need_after)
                all->need_after = b.need_after;
        } else {
            all->need_known = 0;
        }
        if (strcmp(all->gate, b.gate) || all->gate_caseless != b.gate_caseless)
            all->gate[0] = '\0'; /* every branch must hold it */
        set_union(&all->first, &b.first);
        all->nullable |= b.nullable;
        if (all->exact.n >= 0)
            lit_union(&all->exact, &b.exact);
        if (lit_score(&need) == 0)
            continue; /* stays unknown */
        branch_needs(&b, &nb);
        if (lit_score(&nb) == 0)
            lit_unknown(&need);
        else
            lit_union(&need, &nb);
    }
    all->req = need;
    if (lit_score(&all->req) == 0)
        lit_unknown(&all->req);
}

static size_t put_item(char *out, size_t at, size_t len, unsigned lo, unsigned hi)
{
    int w = lo == hi ? snprintf(out + at, at < len ? len - at : 0, "\\x{%x}", lo)
                     : snprintf(out + at, at < len ? len - at : 0, "\\x{%x}-\\x{%x}", lo, hi);
    return at + (size_t)w;
}

/* The last pattern read, per thread: rules.c asks the questions below one
 * after the other about the same pattern, and reading it is most of what
 * compiling the rule set costs (tables make patterns of thousands of
 * atoms). Keyed by the bytes, not only the address. */
typedef struct {
    const char *pat;
    size_t n;
    int caseless;
    uint64_t hash;
    int valid;
    reader r;
    info in;
} reading;

static _Thread_local reading last_read;

static uint64_t hash_bytes(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
    return h;
}

static const reading *read_pattern(const char *pat, size_t n, int caseless)
{
    reading *m = &last_read;
    uint64_t h = hash_bytes(pat, n);
    if (m->valid && m->pat == pat && m->n == n && m->caseless == caseless && m->hash == h)
        return m;
    m->r = (reader){pat, 0, n, 0, 0, "", 0, 0};
    read_alt(&m->r, caseless, &m->in);
    m->pat = pat, m->n = n, m->caseless = caseless, m->hash = h, m->valid = 1;
    return m;
}

size_t start_class(const char *pat, size_t n, int caseless, char *out, size_t outlen)
{
    const reading *m = read_pattern(pat, n, caseless);
    const info *inp = &m->in;
    if (m->r.fail || m->r.i != n || inp->nullable)
        return 0;
    const info in = *inp;
    int count = 0;
    for (unsigned ch = 0; ch < 128; ch++)
        count += has_bit(&in.first, ch);
    if (count == 128 && in.first.high)
        return 0;
    if (count == 0 && !in.first.high)
        return 0; /* nothing can start a match: leave that to PCRE2 */
    size_t at = (size_t)snprintf(out, outlen, "(?=[");
    for (unsigned ch = 0; ch < 128; ch++) {
        if (!has_bit(&in.first, ch))
            continue;
        unsigned end = ch;
        while (end + 1 < 128 && has_bit(&in.first, end + 1))
            end++;
        at = put_item(out, at, outlen, ch, end);
        ch = end;
    }
    if (in.first.high)
        at = put_item(out, at, outlen, 0x80, 0x10FFFF);
    at += (size_t)snprintf(out + (at < outlen ? at : outlen), at < outlen ? outlen - at : 0, "])");
    return at < outlen ? at : 0;
}

int required_literals(const char *pat, size_t n, int caseless, char out[][SC_LIT_LEN])
{
    const reading *m = read_pattern(pat, n, caseless);
    if (m->r.fail || m->r.i != n || m->in.nullable)
        return 0;
    info in = m->in;
    litset need;
    branch_needs(&in, &need);
    if (lit_score(&need) < 3)
        return 0;
    for (int i = 0; i < need.n; i++)
        memcpy(out[i], need.s[i], SC_LIT_LEN);
    return need.n;
}

int single_line(const char *pat, size_t n, int caseless)
{
    const reading *m = read_pattern(pat, n, caseless);
    return !m->r.fail && m->r.i == n && !m->r.newline;
}

int required_gate(const char *pat, size_t n, int caseless, char *gate, int *gate_caseless)
{
    const reading *m = read_pattern(pat, n, caseless);
    gate[0] = '\0';
    if (m->r.fail || m->r.i != n || !m->in.gate[0])
        return 0;
    memcpy(gate, m->in.gate, SC_GATE_LEN);
    *gate_caseless = m->in.gate_caseless;
    return 1;
}

static long clamp_reach(long v, long reach) { return v < 0 ? 0 : v > reach ? reach : v; }

void reach_around(const char *pat, size_t n, int caseless, sc_reach_around *out)
{
    long reach = line_reach(pat, n, caseless);
    const reading *m = read_pattern(pat, n, caseless);
    if (reach < 0) {
        out->lit_before = out->lit_after = out->chars_before = out->chars_after = -1;
        return;
    }
    info in = m->in;
    litset need;
    branch_needs(&in, &need);
    out->lit_before = clamp_reach(need.before, reach);
    out->lit_after = clamp_reach(need.after, reach);
    out->chars_before = clamp_reach(in.need_before, reach);
    out->chars_after = clamp_reach(in.need_after, reach);
}

long line_reach(const char *pat, size_t n, int caseless)
{
    const reading *m = read_pattern(pat, n, caseless);
    if (m->r.fail || m->r.i != n || m->r.unbounded || m->in.reach >= REACH_INF)
        return -1;
    return m->in.reach;
}

/* The end of the group whose '(' is at pat[i]: the index just past its ')',
 * or n when it is not closed. Escapes and classes are skipped whole. */
static size_t group_end(const char *pat, size_t n, size_t i)
{
    int depth = 0;
    while (i < n) {
        char c = pat[i];
        if (c == '\\') {
            i += 2;
        } else if (c == '[') {
            i++;
            if (i < n && pat[i] == '^')
                i++;
            if (i < n && pat[i] == ']')
                i++; /* a leading ']' is a character */
            while (i < n && pat[i] != ']')
                i += pat[i] == '\\' ? 2 : 1;
            i++;
        } else {
            depth += c == '(';
            depth -= c == ')';
            i++;
            if (!depth)
                return i;
        }
    }
    return n;
}

size_t without_lookarounds(const char *pat, size_t n, char *out)
{
    /* Beyond these, a lookaround may steer which way an atomic group or a
     * possessive quantifier commits, and the pattern without it could miss
     * where the whole one matches. */
    static const char *const refuse[] = {"(?>", "*+", "++", "?+", "}+", "\\Q", "(?(", "(*", "\\g", "\\k"};
    for (size_t k = 0; k < sizeof refuse / sizeof *refuse; k++)
        for (size_t i = 0; i + strlen(refuse[k]) <= n; i++) {
            if (memcmp(pat + i, refuse[k], strlen(refuse[k])) || (i && pat[i - 1] == '\\'))
                continue;
            if (refuse[k][0] == '}') { /* "\p{L}+" is no possessive "{2}+" */
                size_t open = i;
                while (open && pat[open] != '{')
                    open--;
                if (open >= 2 && pat[open - 2] == '\\')
                    continue;
            }
            return 0;
        }
    size_t j = 0;
    for (size_t i = 0; i < n;) {
        if (pat[i] == '\\') {
            if (i + 1 < n && pat[i + 1] >= '1' && pat[i + 1] <= '9')
                return 0; /* a backreference */
            out[j++] = pat[i++];
            if (i < n)
                out[j++] = pat[i++];
        } else if (pat[i] == '[') {
            size_t end = i + 1;
            if (end < n && pat[end] == '^')
                end++;
            if (end < n && pat[end] == ']')
                end++;
            while (end < n && pat[end] != ']')
                end += pat[end] == '\\' ? 2 : 1;
            end = end < n ? end + 1 : n;
            memcpy(out + j, pat + i, end - i);
            j += end - i;
            i = end;
        } else if (pat[i] == '(' && i + 2 < n && pat[i + 1] == '?' &&
                   (pat[i + 2] == '=' || pat[i + 2] == '!' ||
                    (pat[i + 2] == '<' && i + 3 < n && (pat[i + 3] == '=' || pat[i + 3] == '!')))) {
            i = group_end(pat, n, i);
            if (i < n && (pat[i] == '?' || pat[i] == '*' || pat[i] == '+' || pat[i] == '{'))
                return 0; /* a quantified lookaround: rare, left alone */
        } else {
            out[j++] = pat[i++];
        }
    }
    out[j] = '\0';
    return j;
}

int required_chars(const char *pat, size_t n, int caseless, unsigned char ascii[16])
{
    const reading *m = read_pattern(pat, n, caseless);
    const info *in = &m->in;
    if (m->r.fail || m->r.i != n || !in->need_known || set_weight(&in->need) > 31) /* \d is rare enough */
        return 0;
    memcpy(ascii, in->need.ascii, 16);
    if (in->need.high) /* only rare symbols, or the weight would be too high */
        ascii[SC_RARE_SYMBOL_BIT / 8] |= 1u << (SC_RARE_SYMBOL_BIT % 8);
    return 1;
}
