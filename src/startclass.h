/* startclass.h - which characters can begin a match of a pattern.
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
 * verbs, \Q..\E, POSIX classes, the x option) makes it give up. */
#ifndef EVX_STARTCLASS_H
#define EVX_STARTCLASS_H
#include <stddef.h>

/* Writes "(?=[...])" for pattern pat[0..n) (caseless: compiled with
 * PCRE2_CASELESS) into out and returns its length, or returns 0 when no
 * useful class exists (every character may start a match, the pattern can
 * match the empty string, or it is beyond the reader). */
size_t start_class(const char *pat, size_t n, int caseless, char *out, size_t outlen);

#endif
