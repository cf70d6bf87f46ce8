/* startclass.h - what a rule's pattern says about where it can match.
 *
 * Owns a conservative reading of an expanded rule pattern (PCRE2 syntax)
 * that finds every character the first consumed character of a match can
 * be: a set of ASCII characters plus "any non-ASCII character". rules.c
 * writes it in front of the pattern as a lookahead "(?=[...])", from which
 * PCRE2 builds its start bitmap: the JIT then skips, a byte at a time,
 * positions where no match can start instead of running the whole pattern
 * (lookbehinds, \p{...} tests, tables) at every byte of the text. PCRE2
 * makes no such bitmap itself once a pattern begins with a lookaround or a
 * Unicode property, which most rules do.
 *
 * Conservative means: the set may hold characters that cannot start a
 * match, never the reverse, so matches are exactly the same. Anything the
 * reader does not understand (backreferences, recursion, conditionals,
 * verbs, \Q..\E, POSIX classes, the x option) makes it give up.
 *
 * The same reading answers what extract.c needs to run a rule only where
 * it can match, each answer conservative in the same way, so that no match
 * is lost: the literal strings (required_literals) and rare characters
 * (required_chars) every match needs, whether a match can cross a line
 * break (single_line) and how far (line_reach), and which gated define
 * every match holds (required_gate). A pattern is read once for all of
 * them (the last one read is kept per thread). fuzz_rulefile checks the
 * answers against PCRE2 on random rule files. */
#ifndef EVX_STARTCLASS_H
#define EVX_STARTCLASS_H
#include <stddef.h>
#include <stdint.h>

/* Writes "(?=[...])" for pattern pat[0..n) (caseless: compiled with
 * PCRE2_CASELESS) into out and returns its length, or returns 0 when no
 * useful class exists (every character may start a match, the pattern can
 * match the empty string, or it is beyond the reader). */
size_t start_class(const char *pat, size_t n, int caseless, char *out, size_t outlen);

#define SC_LIT_MAX 128 /* strings in a set */
#define SC_LIT_LEN 32 /* bytes of a string, with its NUL */
#define SC_GATE_LEN 64 /* bytes of a define's name, with its NUL */

/* Strings one of which is in every text where the pattern matches: in the
 * match itself, or where a positive lookaround looked. ASCII letters and
 * À-Þ are lower-cased (the strings are looked up in a text folded the same
 * way); another character with other cases ends a string in a caseless
 * pattern, since they are other bytes. Returns how many (at most SC_LIT_MAX) were written
 * to out, or 0 when no rare enough set exists (a string of two letters is
 * found in most texts and would only cost time). */
int required_literals(const char *pat, size_t n, int caseless, char out[][SC_LIT_LEN]);

/* Whether no match of the pattern (compiled with PCRE2_MULTILINE and
 * without PCRE2_DOTALL) can involve a line break: no atom, in the match or
 * in a lookaround, can match '\n', and no anchor but ^ and $ looks for the
 * subject's ends. Such a pattern matches the same over a text and over
 * each of its lines (ending before the '\n') with the whole text as
 * context, so extract.c runs it only on the lines that can hold a match.
 * 0 also when the pattern is beyond the reader. */
int single_line(const char *pat, size_t n, int caseless);

/* How many line breaks apart any two characters a match of pat looks at
 * (in the match or a lookaround) can be, counting a run of white space
 * (\s+, [ \t\n]*) as one line break whatever blank lines it crosses:
 * 0 for a single-line pattern, -1 when there is no bound (\s between
 * repeated words, [^,]*, (?s), \z) or the pattern is beyond the reader.
 * A match with one required literal on line L then lies within the
 * lines that have text from L - reach to L + reach (extract.c). */
long line_reach(const char *pat, size_t n, int caseless);

/* How many line breaks (counted as line_reach counts them) what a match
 * of pat looks at can reach before and after the line of the literal it
 * holds (required_literals) and of the character it holds
 * (required_chars); each at most line_reach, all -1 when that is. A match
 * holding a literal on line L lies within the lines that have text from
 * L - lit_before to L + lit_after (extract.c's windows): where the
 * literal stands in the pattern decides, "Anmälan senast 12\nmaj" looks
 * a line after "senast" and none before. A literal in a lookbehind may be
 * before where the match starts: its bounds are the lookbehind's reach
 * both ways. */
typedef struct {
    long lit_before, lit_after;
    long chars_before, chars_after;
} sc_reach_around;
void reach_around(const char *pat, size_t n, int caseless, sc_reach_around *out);

/* pat without its lookarounds, into out (n + 1 bytes): it matches
 * wherever pat does, and more, at less cost (a gate's pre-scan, rules.c).
 * Returns its length, or 0 when that would not hold (atomic groups,
 * possessive quantifiers, backreferences, conditionals, verbs, a
 * quantified lookaround) or nothing would be left. */
size_t without_lookarounds(const char *pat, size_t n, char *out);

/* ASCII characters one of which every match of pat holds (in the match or
 * a positive lookaround): bit c of ascii[c / 8], and bit SC_RARE_SYMBOL_BIT
 * for any character above U+007F that sc_rare_symbol takes. Returns 1 when
 * there is such a set and it is rare enough in prose to be worth looking
 * for (the digits, "@", ":", "(", ",", "•", "»", "–" ...; no letter, space,
 * other non-ASCII character or line break), else 0. */
int required_chars(const char *pat, size_t n, int caseless, unsigned char ascii[16]);

/* The characters above U+007F that a line filter tells apart from the
 * rest (letters, spaces): punctuation and symbols, Latin-1's (« » · § but
 * not µ), general punctuation (dashes, •, ‹ ›), currency, arrows,
 * mathematical and technical symbols, box drawing, shapes, dingbats; the
 * decimal digits of other scripts (\d under PCRE2_UCP); and everything
 * beyond U+FFFF. None has another case, so a caseless pattern matches them
 * as written. extract.c marks a line that holds one with
 * SC_RARE_SYMBOL_BIT, a control character that normalised text does not
 * hold otherwise. */
int sc_rare_symbol(uint32_t cp);
#define SC_RARE_SYMBOL_BIT 1

/* Whether every match of pat (expanded by rules.c with "(?#@NAME)" before
 * each gated define) holds a match of one such define, in the match itself
 * or in a positive lookaround: writes its NAME to gate (SC_GATE_LEN bytes)
 * and the case mode it is matched in to *gate_caseless, and returns 1;
 * else returns 0 and writes "". */
int required_gate(const char *pat, size_t n, int caseless, char *gate, int *gate_caseless);

#endif
