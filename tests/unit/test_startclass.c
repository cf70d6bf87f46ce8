/* test_startclass.c - the first-character sets rules.c puts before patterns.
 *
 * Two kinds of checks: the class written for a pattern (what it may start
 * with), and, for every pattern here, that the class never rules out a
 * position where PCRE2 finds a match (same matches with and without it). */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdio.h>
#include <string.h>
#include "startclass.h"

#include "check.h"

static char cls[4096];

static const char *class_of(const char *pat, int caseless)
{
    size_t n = start_class(pat, strlen(pat), caseless, cls, sizeof cls);
    return n ? cls : "";
}

static pcre2_code *compile(const char *pat, int caseless)
{
    int err;
    PCRE2_SIZE off;
    uint32_t opts = PCRE2_UTF | PCRE2_UCP | PCRE2_MULTILINE | (caseless ? PCRE2_CASELESS : 0);
    return pcre2_compile((PCRE2_SPTR)pat, PCRE2_ZERO_TERMINATED, opts, &err, &off, NULL);
}

/* Appends "start-end " for every match of c in t[0..to) from `from` on. */
static void append_matches(pcre2_code *c, const char *t, size_t from, size_t to, char *out, size_t len,
                           size_t *used)
{
    pcre2_match_data *md = pcre2_match_data_create_from_pattern(c, NULL);
    size_t at = from;
    while (at <= to && pcre2_match(c, (PCRE2_SPTR)t, to, at, 0, md, NULL) >= 0) {
        PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
        *used += (size_t)snprintf(out + *used, *used < len ? len - *used : 0, "%zu-%zu ", (size_t)ov[0],
                                  (size_t)ov[1]);
        at = ov[1] > ov[0] ? ov[1] : ov[1] + 1;
    }
    pcre2_match_data_free(md);
}

/* Every match (start, end) of pat over text, as a string. */
static void all_matches(const char *pat, int caseless, const char *text, char *out, size_t len)
{
    pcre2_code *c = compile(pat, caseless);
    out[0] = '\0';
    if (!c) {
        snprintf(out, len, "compile error");
        return;
    }
    size_t used = 0;
    append_matches(c, text, 0, strlen(text), out, len, &used);
    pcre2_code_free(c);
}

static const char text[] =
    "Anna Berg, föreläsare i Örebro 12 maj 2021 kl. 10.00-12.00\n"
    "  - Övrigt: anmälan senast 3/5 till info@exempel.se, 0470-414 00\n"
    "ſKYDD KONFERENS (Konferens) Kostnad: 200 kr; __x__ éclair {a} \tTAB\n"
    "\xe2\x84\xabRSM\xc3\x96TE i \xc3\x85rsm\xc3\xb6te \xc3\xb6vrigt \xc3\x96VRIGT\n";

/* Same matches with the class in front (what rules.c compiles). */
static void same_matches(const char *pat, int caseless)
{
    char with[8192], plain[4096], prefixed[4096];
    size_t n = start_class(pat, strlen(pat), caseless, cls, sizeof cls);
    snprintf(with, sizeof with, "(?-i:%.*s)%s", (int)n, cls, pat);
    all_matches(pat, caseless, text, plain, sizeof plain);
    all_matches(n ? with : pat, caseless, text, prefixed, sizeof prefixed);
    if (strcmp(plain, prefixed))
        fprintf(stderr, "pattern %s: %s vs %s (class %.*s)\n", pat, plain, prefixed, (int)n, cls);
    CHECK(!strcmp(plain, prefixed));
}

/* The literals of pat, joined by '|'. */
static const char *lits_of(const char *pat, int caseless)
{
    char l[SC_LIT_MAX][SC_LIT_LEN];
    int n = required_literals(pat, strlen(pat), caseless, l);
    cls[0] = '\0';
    for (int i = 0; i < n; i++)
        snprintf(cls + strlen(cls), sizeof cls - strlen(cls), "%s%s", i ? "|" : "", l[i]);
    return cls;
}

/* Wherever pat matches a line of text, the line (ASCII lower-cased) holds
 * one of its literals: skipping a text without them loses nothing. */
static void literals_hold(const char *pat, int caseless)
{
    char l[SC_LIT_MAX][SC_LIT_LEN];
    int n = required_literals(pat, strlen(pat), caseless, l);
    if (!n)
        return;
    char line[512], low[512], got[256];
    for (const char *p = text; *p;) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        snprintf(line, sizeof line, "%.*s", (int)len, p);
        /* Folded as extract.c folds: ASCII and À-Þ lower-cased, U+017F to
         * "s", U+212B to "å". */
        size_t j = 0;
        for (size_t i = 0; i <= len; i++) {
            const unsigned char *u = (const unsigned char *)line + i;
            if (u[0] == 0xC5 && u[1] == 0xBF) {
                low[j++] = 's';
                i++;
            } else if (u[0] == 0xC3 && u[1] >= 0x80 && u[1] <= 0x9E && u[1] != 0x97) {
                low[j++] = (char)0xC3;
                low[j++] = (char)(u[1] + 0x20);
                i++;
            } else if (u[0] == 0xE2 && u[1] == 0x84 && u[2] == 0xAB) {
                low[j++] = (char)0xC3;
                low[j++] = (char)0xA5;
                i += 2;
            } else {
                low[j++] = line[i] >= 'A' && line[i] <= 'Z' ? (char)(line[i] + 32) : line[i];
            }
        }
        all_matches(pat, caseless, line, got, sizeof got);
        if (got[0]) {
            int found = 0;
            for (int k = 0; k < n && !found; k++)
                found = strstr(low, l[k]) != NULL;
            if (!found)
                fprintf(stderr, "pattern %s matches \"%s\" without its literals\n", pat, line);
            CHECK(found);
        }
        p += len + (nl != NULL);
    }
}

/* Every match of pat found the way extract.c runs a single-line rule: a
 * search per line, the subject ending before the line's '\n', the text
 * before the line still there for lookbehinds. */
static void line_matches(const char *pat, int caseless, const char *t, char *out, size_t len)
{
    pcre2_code *c = compile(pat, caseless);
    out[0] = '\0';
    if (!c)
        return;
    size_t used = 0, n = strlen(t);
    for (size_t from = 0; from <= n;) {
        const char *nl = strchr(t + from, '\n');
        size_t to = nl ? (size_t)(nl - t) : n;
        append_matches(c, t, from, to, out, len, &used);
        from = to + 1;
    }
    pcre2_code_free(c);
}

static const char lines_text[] =
    "Anna Berg,\nföreläsare  \n\n  - Per Holm; kl. 10.00\n$x\n,\n12 maj\n2021 ab\nb a\n";

/* A pattern judged single-line finds the same matches line by line. */
static void line_by_line_same(const char *pat)
{
    char whole[2048], split[2048];
    for (int ci = 0; ci < 2; ci++) {
        if (!single_line(pat, strlen(pat), ci))
            continue;
        const char *texts[] = {text, lines_text};
        for (int k = 0; k < 2; k++) {
            all_matches(pat, ci, texts[k], whole, sizeof whole);
            line_matches(pat, ci, texts[k], split, sizeof split);
            if (strcmp(whole, split))
                fprintf(stderr, "single-line pattern %s: %s vs %s\n", pat, whole, split);
            CHECK(!strcmp(whole, split));
        }
    }
}

static const char *gate_of(const char *pat, int caseless, int *gate_caseless)
{
    required_gate(pat, strlen(pat), caseless, cls, gate_caseless);
    return cls;
}

int main(void)
{
    /* Classes. */
    CHECK(!strcmp(class_of("abc", 0), "(?=[\\x{61}])"));
    CHECK(!strcmp(class_of("abc", 1), "(?=[\\x{41}\\x{61}])"));
    CHECK(!strcmp(class_of("\\d+x", 0), "(?=[\\x{30}-\\x{39}\\x{80}-\\x{10ffff}])"));
    CHECK(!strcmp(class_of("(?<![\\p{L}])\\p{Lu}\\p{Ll}+", 0), "(?=[\\x{41}-\\x{5a}\\x{80}-\\x{10ffff}])"));
    CHECK(!strcmp(class_of("(?:a|b?c)", 0), "(?=[\\x{61}-\\x{63}])"));
    CHECK(!strcmp(class_of("\\bx?(?=q)y", 0), "(?=[\\x{78}-\\x{79}])"));
    /* Caseless s and k also start with U+017F and U+212A. */
    CHECK(!strcmp(class_of("sal", 1), "(?=[\\x{53}\\x{73}\\x{80}-\\x{10ffff}])"));
    CHECK(!strcmp(class_of("(?i)k|(?-i:m)", 0), "(?=[\\x{4b}\\x{6b}\\x{6d}\\x{80}-\\x{10ffff}])"));
    /* A negated class: everything but what it lists. */
    CHECK(!strcmp(class_of("[^\\x{0}-\\x{60}\\x{62}-\\x{7f}]", 0), "(?=[\\x{61}\\x{80}-\\x{10ffff}])"));
    /* Giving up: empty match, everything, backreferences, verbs, x option. */
    CHECK(!*class_of("a*", 0));
    CHECK(!*class_of(".", 0));
    CHECK(!*class_of("(a)\\1", 0));
    CHECK(!*class_of("(*UCP)a", 0));
    CHECK(!*class_of("(?x) a", 0));
    CHECK(!*class_of("a{,3}", 0));
    CHECK(!*class_of("[[:alpha:]]", 0));
    CHECK(!*class_of("[^\\D]", 0));
    CHECK(!*class_of("(a", 0));

    /* Literals: rare strings every match needs, or none. */
    CHECK(!strcmp(lits_of("Kostnad:?\\s*\\d+", 1), "kostnad"));
    CHECK(!strcmp(lits_of("(?:sista|senast)\\s+anm", 0), "sista|senast"));
    CHECK(!strcmp(lits_of("\\w+[\\[(]at[\\])]\\w+", 0), "[at]|[at)|(at]|(at)"));
    CHECK(!strcmp(lits_of("x(?=.*avgift)", 0), "avgift"));
    CHECK(!strcmp(lits_of("Övrigt", 0), "\xc3\xb6vrigt")); /* Ö as ö, like the folded text */
    CHECK(!strcmp(lits_of("Övrigt", 1), "\xc3\xb6vrigt"));
    CHECK(!strcmp(lits_of("(?i)ställer", 0), "st\xc3\xa4ller"));
    CHECK(!strcmp(lits_of("(?i)\\x{3a3}ofia", 0), "ofia")); /* Σ: other cases beyond Latin-1 */
    CHECK(!strcmp(lits_of("[\\w.]+\\n?\\@\\w+", 0), "@")); /* one "@" is rare enough */
    CHECK(!*lits_of("\\w+:\\s*\\d", 0));           /* one ":" is not */
    CHECK(!strcmp(lits_of("\\bcookies?\\b|©|foto:", 0), "cookie|\xc2\xa9|foto:")); /* nor is "©" */
    CHECK(!*lits_of("kl\\.?\\s*\\d", 0));           /* two letters: everywhere */
    CHECK(!*lits_of("(?:abc)?\\d+", 0));               /* optional */
    CHECK(!*lits_of("abc|\\d", 0));                    /* one branch needs nothing */
    CHECK(!*lits_of("(?!avgift)\\w+", 0));             /* a negative lookahead */

    /* The class never loses a match. */
    const char *pats[] = {
        "(?<![\\p{L}])\\p{Lu}\\p{Ll}+(?:[ \\t]+\\p{Lu}\\p{Ll}+)+", "(?i:konferens)", "kostnad:?\\s*(\\d+)\\s*kr",
        "[\\w.+-]+\\@[\\w-]+\\.\\w+", "(?<!\\d)\\d{1,2}\\s+maj", "\\b(?:kl\\.?\\s*)?\\d\\d[.:]\\d\\d",
        "[-‐–—]\\s*\\d", "(?=\\p{Lu})(?!Anna)\\p{L}+", "ſkydd", "skydd", "\\(\\p{Lu}\\w+\\)", "_{2}x",
        "\\{a\\}", "[^\\n\\d]{3}\\d", "(?:é|e)clair", "\\ttab", "(?>ö|Ö)vrigt", "(?|(ann)a|(ber)g)",
        "(?#note)berg", "\\x{d6}vrigt", "[\\x{41}-\\x{43}]nna", "^\\s*-\\s*\\p{L}+", "Örebro", "ÅRSMÖTE",
        "årsmöte", "(?i:öVRIGT)",
    };
    for (size_t i = 0; i < sizeof pats / sizeof *pats; i++) {
        same_matches(pats[i], 0);
        same_matches(pats[i], 1);
        literals_hold(pats[i], 0);
        literals_hold(pats[i], 1);
    }

    /* Single-line: nothing in the match or its lookarounds takes a '\n'. */
    const char *one_line[] = {"\\p{Lu}\\p{Ll}+[ \\t]+\\p{Lu}\\p{Ll}+", "^[^\\n]*,$", "(?<=[,;] )\\w+", "a.b",
                              "(?<![\\p{L}])[\\x{41}-\\x{5a}]\\w*(?=[ \\t]*$)", "\\bb\\b", "(?!\\d)\\w+$",
                              "^[ \\t]*\\p{So}[ \\t]*\\d"};
    const char *more_lines[] = {"a\\s+b", "[^,]+", "a\\nb", "(?s)a.b", "x\\z", "[\\x{0}-\\x{1f}]a",
                                "\\D+", "b(?=\\s)", "(?<=\\n)a", "\\Ra", "a\\Z", "a\\x{a}", "[^\\d]a",
                                "[^\\p{So}]a", "\\p{Sm}a"};
    for (size_t i = 0; i < sizeof one_line / sizeof *one_line; i++) {
        CHECK(single_line(one_line[i], strlen(one_line[i]), 0));
        line_by_line_same(one_line[i]);
    }
    for (size_t i = 0; i < sizeof more_lines / sizeof *more_lines; i++)
        CHECK(!single_line(more_lines[i], strlen(more_lines[i]), 0));
    CHECK(!single_line("(a)\\1", 6, 0)); /* beyond the reader */
    for (size_t i = 0; i < sizeof pats / sizeof *pats; i++)
        line_by_line_same(pats[i]);

    /* Line reach: how many lines with text a match may span. */
    struct {
        const char *pat;
        long reach;
    } reaches[] = {
        {"[ \\t]+\\p{Lu}", 0}, {"a\\s+b", 1}, {"a\\s*[-–]\\s*b", 2}, {"(?:\\s+\\w+){0,3}x", 3},
        {"a[^\\d]{0,4}b", 4}, {"(?=\\s*x)a", 1}, {"a|b\\s+c|d\\s*\\s*e", 2}, {"a\\n\\n", 2},
        {"a[ \\t\\n]+b", 1}, {"(?:a\\s){2}", 2}, {"(?:\\s+\\w+)*x", -1}, {"[^,]+", -1},
        {"a\\z", -1}, {"(?s)a.b", -1}, {"a\\D+", -1}, {"(a)\\1", -1},
    };
    for (size_t i = 0; i < sizeof reaches / sizeof *reaches; i++) {
        long got = line_reach(reaches[i].pat, strlen(reaches[i].pat), 0);
        if (got != reaches[i].reach)
            fprintf(stderr, "line_reach(%s) = %ld, expected %ld\n", reaches[i].pat, got, reaches[i].reach);
        CHECK(got == reaches[i].reach);
    }

    /* Reach before and after the line of the required literal and of the
     * required character: where they stand in the pattern decides. */
    struct {
        const char *pat;
        long lb, la, cb, ca;
    } arounds[] = {
        {"senast\\s+\\d+\\s+maj", 0, 2, 1, 1},            /* "senast" first, the digit in the middle */
        {"\\d+\\s+maj", 1, 0, 0, 1},                        /* "maj" last, the digit first */
        {"(?:kl|tid)\\s*:\\s*\\d", 1, 1, 1, 1},            /* ":" is as rare as "kl" and fewer */
        {"x\\s+(?:abc\\s+y){2}", 3, 2, 0, 3},               /* in a repeated group: any copy */
        {"(?<=abc\\s)x\\s+y\\s+@", 1, 3, 3, 0},          /* in a lookbehind: its reach both ways */
        {"(?=\\s*abc)x\\s+y", 1, 1, 1, 1},                  /* in a lookahead: counted in the sequence */
        {"abc\\s+(?:y|z\\s+w)@", 0, 2, 2, 0},               /* a branch that reaches farther */
        {"[^,]*abc", -1, -1, -1, -1},                           /* no bound */
    };
    for (size_t i = 0; i < sizeof arounds / sizeof *arounds; i++) {
        sc_reach_around ra;
        reach_around(arounds[i].pat, strlen(arounds[i].pat), 0, &ra);
        int ok = ra.lit_before == arounds[i].lb && ra.lit_after == arounds[i].la &&
                 ra.chars_before == arounds[i].cb && ra.chars_after == arounds[i].ca;
        if (!ok)
            fprintf(stderr, "reach_around(%s) = %ld/%ld %ld/%ld, expected %ld/%ld %ld/%ld\n", arounds[i].pat,
                    ra.lit_before, ra.lit_after, ra.chars_before, ra.chars_after, arounds[i].lb, arounds[i].la,
                    arounds[i].cb, arounds[i].ca);
        CHECK(ok);
    }

    /* Without lookarounds: wherever the pattern matches on a line, the
     * loosened one matches on that line too. */
    struct {
        const char *pat, *loose;
    } loosen[] = {
        {"(?<![\\p{L}])(?=\\p{Lu})(?!Anna)\\p{L}+", "\\p{L}+"},
        {"a(?=[)(])b[(?=x)]", "ab[(?=x)]"},
        {"\\(?=x\\)", "\\(?=x\\)"}, /* escaped: no lookaround */
        {"(?<n>x)(?<=x)y", "(?<n>x)y"},
        {"\\p{L}+(?!\\d)", "\\p{L}+"},
        {"(?>a|ab)(?!c)", ""}, {"a++(?=b)", ""}, {"a{2}+(?=b)", ""}, {"(a)\\1(?=b)", ""}, {"x(?=y)?", ""},
        {"(?=a)", ""},
    };
    for (size_t i = 0; i < sizeof loosen / sizeof *loosen; i++) {
        char out[256];
        size_t n = without_lookarounds(loosen[i].pat, strlen(loosen[i].pat), out);
        if (strcmp(n ? out : "", loosen[i].loose))
            fprintf(stderr, "without_lookarounds(%s) = '%s', expected '%s'\n", loosen[i].pat, n ? out : "",
                    loosen[i].loose);
        CHECK(!strcmp(n ? out : "", loosen[i].loose));
    }
    for (size_t i = 0; i < sizeof pats / sizeof *pats; i++) {
        char loose[512], whole[2048], lw[2048];
        if (!without_lookarounds(pats[i], strlen(pats[i]), loose))
            continue;
        for (const char *p = text; *p;) { /* line by line */
            const char *nl = strchr(p, '\n');
            char line[512];
            snprintf(line, sizeof line, "%.*s", (int)(nl ? nl - p : (long)strlen(p)), p);
            all_matches(pats[i], 0, line, whole, sizeof whole);
            all_matches(loose, 0, line, lw, sizeof lw);
            if (whole[0] && !lw[0])
                fprintf(stderr, "%s matches \"%s\", without lookarounds %s does not\n", pats[i], line, loose);
            CHECK(!whole[0] || lw[0]);
            p += strlen(line) + (nl != NULL);
        }
    }

    /* Required characters: rare ones every match holds. */
    struct {
        const char *pat, *chars;
    } needs[] = {
        {"kl\\.? ?(?:[01]?[0-9]|2[0-3])", "0123456789"}, {"\\w+\\@\\w+", "@"}, {"(?:19|20)[0-9]{2}", "12"},
        {"[a-z]+:|\\(x\\)", "(:"}, {"(?=[^,]*,)\\w+", ","}, {"\\w+", ""}, {"x\\d", "\x01" "0123456789"}, /* \d: any digit, the others rare symbols */
        {"x\\p{Nd}", "\x01" "0123456789"}, {"x[\\p{Nd}ä]", ""}, {"x\\p{N}", ""},
        {"a(?:,|b)", ""}, {"a,?", ""}, {"(?!,)a", ""}, {"x\\ny", ""}, /* a line break is in no line */
        /* a rare symbol above U+007F stands as the control character SC_RARE_SYMBOL_BIT */
        {"\\d[,|•·]\\w", "\x01,|"}, {"x[»›]y", "\x01"}, {"x[-–]y", "\x01-"}, {"x[,ä]y", ""}, {"x[,µ]y", ""},
        {"x[‐-―]y", "\x01"}, {"x[¡-ÿ]y", ""},
    };
    for (size_t i = 0; i < sizeof needs / sizeof *needs; i++) {
        unsigned char set[16];
        char got[130] = "";
        if (required_chars(needs[i].pat, strlen(needs[i].pat), 0, set))
            for (int c = 0, k = 0; c < 128; c++)
                if (set[c / 8] >> (c % 8) & 1)
                    got[k++] = (char)c, got[k] = '\0';
        if (strcmp(got, needs[i].chars))
            fprintf(stderr, "required_chars(%s) = '%s', expected '%s'\n", needs[i].pat, got, needs[i].chars);
        CHECK(!strcmp(got, needs[i].chars));
    }

    /* The rare symbols: punctuation and symbols without another case. */
    CHECK(sc_rare_symbol(0x2022) && sc_rare_symbol(0xBB) && sc_rare_symbol(0x2013) && sc_rare_symbol(0x2212));
    CHECK(sc_rare_symbol(0x0663) && sc_rare_symbol(0xFF11) && sc_rare_symbol(0x1D7CE)); /* digits, and beyond U+FFFF */
    CHECK(!sc_rare_symbol(0xE4) && !sc_rare_symbol(0xB5) && !sc_rare_symbol(0x2126) && !sc_rare_symbol(0x24B6) &&
          !sc_rare_symbol('-'));

    /* Gates: a marked define every match holds. */
    int gci = -1;
    CHECK(!strcmp(gate_of("(?#@p)(?:x)y", 0, &gci), "p") && gci == 0);
    CHECK(!strcmp(gate_of("(?i:(?#@p)(?:x))y", 0, &gci), "p") && gci == 1);
    CHECK(!strcmp(gate_of("a(?=z(?#@p)(?:x))", 0, &gci), "p"));
    CHECK(!strcmp(gate_of("(?<n>(?#@p)(?:x)){2}", 0, &gci), "p"));
    CHECK(!strcmp(gate_of("(?#@p)(?:x)|(?#@p)(?:z)", 0, &gci), "p"));
    CHECK(!*gate_of("(?#@p)(?:x)|z", 0, &gci));           /* a branch without it */
    CHECK(!*gate_of("(?:(?#@p)(?:x))?y", 0, &gci));         /* optional */
    CHECK(!*gate_of("(?#@p)(?:x)*y", 0, &gci));
    CHECK(!*gate_of("a(?!(?#@p)(?:x))", 0, &gci));          /* a negative lookahead */
    CHECK(!*gate_of("(?i:(?#@p)(?:x))|(?#@p)(?:x)", 0, &gci)); /* two case modes */
    CHECK(!*gate_of("(?#note)(?:x)", 0, &gci));             /* a comment, not a mark */
    return CHECK_DONE("test_startclass");
}
