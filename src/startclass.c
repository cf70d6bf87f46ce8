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

typedef struct {
    uint8_t ascii[16]; /* bit c: ASCII character c can come first */
    int high;          /* any character above U+007F can come first */
} cset;

typedef struct {
    cset first;
    int nullable;
} info;

typedef struct {
    const char *s;
    size_t i, n;
    int fail; /* beyond the reader: give up */
} reader;

static void set_bit(cset *c, unsigned ch) { c->ascii[ch >> 3] |= (uint8_t)(1u << (ch & 7)); }
static int has_bit(const cset *c, unsigned ch) { return (c->ascii[ch >> 3] >> (ch & 7)) & 1; }

static void set_all(cset *c)
{
    memset(c->ascii, 0xFF, sizeof c->ascii);
    c->high = 1;
}

static void set_union(cset *a, const cset *b)
{
    for (int k = 0; k < 16; k++)
        a->ascii[k] |= b->ascii[k];
    a->high |= b->high;
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
            c->high = 1;
    }
}

static void add_range(cset *c, uint32_t lo, uint32_t hi, int caseless)
{
    for (uint32_t ch = lo; ch <= hi && ch < 128; ch++)
        add_char(c, ch, caseless);
    if (hi >= 128) {
        c->high = 1;
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
    case 'd':
        set_range(c, '0', '9');
        c->high = 1;
        return 1;
    case 'w':
        set_range(c, '0', '9');
        set_range(c, 'A', 'Z');
        set_range(c, 'a', 'z');
        set_bit(c, '_');
        c->high = 1;
        return 1;
    case 's':
        set_range(c, '\t', '\r');
        set_bit(c, ' ');
        c->high = 1;
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

/* [...], the reader on the '['. */
static void read_class(reader *r, cset *out, int caseless)
{
    cset c = {0};
    int exact = 1, negated = 0;
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
            if (read_escape(r, &c, &lo, caseless, 1, &exact) != 0)
                continue; /* a set: a following '-' is literal */
        } else {
            lo = next_char(r);
        }
        if (peek(r, 0) == '-' && peek(r, 1) >= 0 && peek(r, 1) != ']') {
            r->i++;
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
        }
    }
    if (negated) {
        if (!exact) {
            set_all(out);
            return;
        }
        for (unsigned ch = 0; ch < 128; ch++)
            if (!has_bit(&c, ch))
                set_bit(out, ch);
        out->high = 1;
        return;
    }
    set_union(out, &c);
}

static info read_alt(reader *r, int caseless);

/* A group's body up to and past its ')'. */
static info read_group_body(reader *r, int caseless)
{
    info in = read_alt(r, caseless);
    if (peek(r, 0) != ')')
        r->fail = 1;
    r->i++;
    return in;
}

static info zero_width(void)
{
    info z = {{{0}, 0}, 1};
    return z;
}

/* (...) in all its forms, the reader on the '('. *caseless may change for
 * the rest of the enclosing group ("(?i)"). */
static info read_paren(reader *r, int *caseless)
{
    r->i++;
    if (peek(r, 0) == '*') {
        r->fail = 1; /* verbs */
        return zero_width();
    }
    if (peek(r, 0) != '?')
        return read_group_body(r, *caseless);
    r->i++;
    int p = peek(r, 0);
    if (p == '#') {
        while (peek(r, 0) >= 0 && r->s[r->i] != ')')
            r->i++;
        r->i++;
        return zero_width();
    }
    if (p == ':' || p == '>' || p == '|') {
        r->i++;
        return read_group_body(r, *caseless);
    }
    if (p == '=' || p == '!') {
        r->i++;
        read_group_body(r, *caseless);
        return zero_width();
    }
    if (p == '<' && (peek(r, 1) == '=' || peek(r, 1) == '!')) {
        r->i += 2;
        read_group_body(r, *caseless);
        return zero_width();
    }
    if (p == '<' || p == '\'' || (p == 'P' && peek(r, 1) == '<')) {
        int close = p == '\'' ? '\'' : '>';
        while (peek(r, 0) >= 0 && r->s[r->i] != close)
            r->i++;
        r->i++;
        return read_group_body(r, *caseless);
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
        } else if (o == 'm' || o == 's' || o == 'n' || o == 'U' || o == 'J') {
            /* no effect on which character comes first */
        } else if (o == ':') {
            r->i++;
            return read_group_body(r, ci);
        } else if (o == ')') {
            r->i++;
            *caseless = ci;
            return zero_width();
        } else {
            r->fail = 1; /* x, conditionals, recursion, callouts ... */
            return zero_width();
        }
        r->i++;
    }
}

/* A quantifier after an atom, if any: returns its minimum, or -1 when there
 * is none. */
static long read_quant(reader *r)
{
    int p = peek(r, 0);
    long min = -1;
    if (p == '*' || p == '?') {
        min = 0;
        r->i++;
    } else if (p == '+') {
        min = 1;
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
        if (k < r->n && r->s[k] == ',') {
            k++;
            while (k < r->n && r->s[k] >= '0' && r->s[k] <= '9')
                k++;
        }
        if (k >= r->n || r->s[k] != '}')
            return -1;
        r->i = k + 1;
        min = v;
    }
    if (min >= 0 && (peek(r, 0) == '?' || peek(r, 0) == '+'))
        r->i++;
    return min;
}

/* One atom and its quantifier. */
static info read_atom(reader *r, int *caseless)
{
    info a = {{{0}, 0}, 0};
    int p = peek(r, 0);
    if (p == '(') {
        a = read_paren(r, caseless);
    } else if (p == '[') {
        read_class(r, &a.first, *caseless);
    } else if (p == '\\') {
        r->i++;
        uint32_t ch;
        int exact = 1, k = read_escape(r, &a.first, &ch, *caseless, 0, &exact);
        if (k == 0)
            add_char(&a.first, ch, *caseless);
        else if (k == 2)
            a = zero_width();
    } else if (p == '.') {
        r->i++;
        set_all(&a.first);
    } else if (p == '^' || p == '$') {
        r->i++;
        a = zero_width();
    } else {
        add_char(&a.first, next_char(r), *caseless);
    }
    long min = read_quant(r);
    if (min == 0)
        a.nullable = 1;
    return a;
}

/* A sequence up to '|', ')' or the end. */
static info read_seq(reader *r, int *caseless)
{
    info s = zero_width();
    while (!r->fail && r->i < r->n && r->s[r->i] != '|' && r->s[r->i] != ')') {
        info a = read_atom(r, caseless);
        if (s.nullable) {
            set_union(&s.first, &a.first);
            s.nullable = a.nullable;
        }
    }
    return s;
}

static info read_alt(reader *r, int caseless)
{
    int ci = caseless; /* "(?i)" reaches later alternatives of the group */
    info all = read_seq(r, &ci);
    while (!r->fail && peek(r, 0) == '|') {
        r->i++;
        info b = read_seq(r, &ci);
        set_union(&all.first, &b.first);
        all.nullable |= b.nullable;
    }
    return all;
}

static size_t put_item(char *out, size_t at, size_t len, unsigned lo, unsigned hi)
{
    int w = lo == hi ? snprintf(out + at, at < len ? len - at : 0, "\\x{%x}", lo)
                     : snprintf(out + at, at < len ? len - at : 0, "\\x{%x}-\\x{%x}", lo, hi);
    return at + (size_t)w;
}

size_t start_class(const char *pat, size_t n, int caseless, char *out, size_t outlen)
{
    reader r = {pat, 0, n, 0};
    info in = read_alt(&r, caseless);
    if (r.fail || r.i != n || in.nullable)
        return 0;
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
