/* rulecache.h - a disk cache of what compiling the rules computes.
 *
 * Owns: remembering across runs, for each expanded pattern, the code PCRE2
 * compiled from it (pcre2_serialize) and the answers of the pattern readers
 * (startclass.h), and the literal scanner of the rule set's literals
 * (litscan.h), which together are most of the time rules_load takes
 * before the first match. One file, rules.cache, in $EVX_CACHE_DIR, else
 * $XDG_CACHE_HOME/evx, else $HOME/.cache/evx; EVX_CACHE=0 turns it off.
 *
 * An entry is found by its whole key (what was asked, the options, every
 * byte of the pattern), and a file is read only by the build of evx that
 * wrote it (its GNU build ID) with the PCRE2 version it ran with: a changed
 * rule is another key, a changed reader another build, so an answer from
 * the cache is the answer the call would give. The cache is never needed:
 * a missing, unreadable, foreign or damaged file counts as empty, and
 * writing it (a temporary file renamed over the old one, only when a run
 * computed something new; it then holds what that run used) may fail
 * without a word. Safe to use from several threads. */
#ifndef EVX_RULECACHE_H
#define EVX_RULECACHE_H
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stddef.h>
#include "litscan.h"
#include "startclass.h"

typedef struct rule_cache rule_cache;

/* The cache of this build, or NULL when it is off or there is no build ID
 * or no place for it (every call below then computes). */
rule_cache *rule_cache_open(void);
/* Writes the file back when this run added to it, and frees c. */
void rule_cache_close(rule_cache *c);

/* The functions they stand for, answered from c when it knows (c may be
 * NULL). rc_compile reports no error it did not compute: a pattern that
 * fails to compile is never cached. */
pcre2_code *rc_compile(rule_cache *c, const char *pat, size_t n, uint32_t opts, int *errcode,
                       PCRE2_SIZE *erroff);
size_t rc_start_class(rule_cache *c, const char *pat, size_t n, int caseless, char *out, size_t outlen);
int rc_required_literals(rule_cache *c, const char *pat, size_t n, int caseless, char out[][SC_LIT_LEN]);
int rc_single_line(rule_cache *c, const char *pat, size_t n, int caseless);
long rc_line_reach(rule_cache *c, const char *pat, size_t n, int caseless);
int rc_required_gate(rule_cache *c, const char *pat, size_t n, int caseless, char *gate, int *gate_caseless);
int rc_required_chars(rule_cache *c, const char *pat, size_t n, int caseless, unsigned char ascii[16]);
void rc_reach_around(rule_cache *c, const char *pat, size_t n, int caseless, sc_reach_around *out);
/* litscan_build, keyed by the literals in their order. */
litscan *rc_litscan(rule_cache *c, char *const *lits, int n);

#endif
