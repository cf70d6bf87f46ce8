/* extract.h - stage 3: every rule over one normalised document.
 *
 * Owns: running the compiled rules (match data reused, limits from the
 * rule set), collecting each match with its captures, and settling overlaps
 * between matches of the same field (higher priority wins, then the longer
 * match, then the rule written first). It gives no match a meaning; that is resolve's job.
 *
 * Also owns where each rule runs: what rules.c learnt of its pattern
 * (literals, rare characters, gate, how many lines a match can span) and
 * one pass over the document (litscan.h, the line index) say which lines
 * can hold a match; the rule runs over those lines, or windows around
 * them, and nowhere else. The matches are exactly those of a run over the
 * whole text (tests/check_prefilter.py compares, with EVX_NO_PREFILTER=1). */
#ifndef EVX_EXTRACT_H
#define EVX_EXTRACT_H
#include <stdint.h>
#include "rules.h"
#include "text.h"
#include "litscan.h"

typedef struct {
    const rule *rule;
    evx_field field;
    size_t start, end;                   /* byte offsets in the normalised text */
    size_t cap[EVX_MAX_CAPS][2];         /* per rule capture; start == SIZE_MAX: unset */
} ext_match;

/* A match that lost an overlap to another match of its field. */
typedef struct {
    ext_match loser;
    const rule *winner;       /* the match it lost to (which may lose later) */
    size_t win_start, win_end;
} ext_lost;

/* The lines of a document where a gate (rules.h, rule_gate) matched. */
typedef struct {
    int *lines;
    size_t n, cap;
    int state; /* 0: not scanned yet, 1: scanned, -1: the scan failed */
} ext_gate_lines;

typedef struct {
    ext_match *items;
    int n, cap;
    char error[256]; /* set when a rule hit a match limit */
    int error_rc;             /* the PCRE2 error code then (PCRE2_ERROR_MATCHLIMIT ...) */
    const rule *error_rule;   /* and the rule that failed */
    /* Only `evx explain` and `evx rules coverage` want the losers: set
     * keep_lost before ext_run; settling is the same either way. */
    int keep_lost;
    ext_lost *lost;
    int nlost, caplost;
    /* The literal prefilter's state for the last document (ext_begin),
     * reused between documents: the folded text, where each line starts,
     * and the lines each literal is on. filtered: 0 when it could not be
     * built (out of memory), so every rule runs over the whole text. */
    char *fold;
    size_t foldlen, foldcap;
    size_t *line_start;
    size_t nlines, caplines;
    size_t *nb_before; /* per line: how many lines with text come before it */
    size_t *nb_line;   /* the lines with text, in order */
    size_t nnb, capnbb, capnbl;
    uint64_t *line_chars; /* per line, 2 words: bit c set when ASCII character c is in it */
    size_t capchars;
    litscan_hits hits;
    int *cand;
    size_t capcand;
    ext_gate_lines *gates;
    int ngates;
    int filtered;
    /* Bytes where a match could start, summed over every search since
     * the last ext_matches_clear: what `evx bench-rules --per-rule`
     * reports a rule searched. */
    size_t searched;
    /* A rule with `head N` looks for matches that start in the first N
     * lines with text: head_on while it runs, and head_end the end of
     * those lines (for head_lines = N, kept for the next such rule). */
    int head_on;
    int head_lines;
    size_t head_end;
} ext_matches;

/* A rule whose matches reach further than this many lines from where its
 * words are runs over the whole text: wider windows cover most of a page. */
#define EXT_MAX_LINE_REACH 16

/* Runs every rule over t (valid UTF-8) and appends the surviving matches to
 * out in document order per field. Returns 0, or -1 when a rule failed on
 * this input (limit hit); out->error then names the rule. */
int ext_run(const ruleset *rs, rules_matcher *m, const evx_text *t, ext_matches *out);
/* Prepares the literal prefilter for document t; ext_run does it itself.
 * Returns -1 when out of memory or turned off (ruleset.no_prefilter): the
 * rules then run unfiltered. */
int ext_begin(const ruleset *rs, const evx_text *t, ext_matches *out);
/* Whether rule r can match in the document of the last ext_begin: 0 when
 * the document holds none of the rule's required literals. */
int ext_rule_needed(const ruleset *rs, const rule *r, ext_matches *out);
/* Rule r over the document of the last ext_begin, only where it can match
 * (its lines, when it is single-line); matches appended unsettled. Returns
 * 0, or -1 as ext_run. */
int ext_run_one(const ruleset *rs, const rule *r, rules_matcher *m, const evx_text *t, ext_matches *out);
/* One rule only, matches appended unsettled (`evx bench-rules --per-rule`
 * times rules one by one). Returns 0, or -1 as ext_run. */
int ext_run_rule(const rule *r, rules_matcher *m, const evx_text *t, ext_matches *out);
void ext_matches_clear(ext_matches *ms); /* keeps the allocation for reuse */
void ext_matches_free(ext_matches *ms);

/* The value of capture `name` in match x: table-mapped text, written into
 * buf. Falls back to the rule's `set` value. NULL when neither exists. */
const char *ext_value(const ext_match *x, const evx_text *t, const char *name,
                      char *buf, size_t len);
/* The value of capture `name` as a number (a table may map a word to it);
 * dflt when unset or not starting with a digit. */
int ext_int(const ext_match *x, const evx_text *t, const char *name, int dflt);
/* A time's hour and minute, in digits (`hour` `minute`, or with `end` the
 * range's `hour2` `minute2`) or spoken (`clock_hour` `clock_minute`,
 * `clock_hour2` `clock_minute2`: "halv sju" is 6.30, its minute a count back
 * from the hour, -30). *h is -1 when the match has neither. Returns 1 for a
 * spoken time, whose hour is on a 12-hour clock (1-12): the caller picks
 * the half of the day. */
int ext_clock(const ext_match *x, const evx_text *t, int end, int *h, int *mi);
/* Raw span of capture `name`; returns 0 and fills s/e, or -1 when unset. */
int ext_span(const ext_match *x, const char *name, size_t *s, size_t *e);
/* The first match of field f that starts inside [s, e), or NULL. Both
 * this and ext_covering search ms as ext_run leaves it, in (field, start)
 * order (or a subset of it kept in that order), in log time. */
const ext_match *ext_first_in(const ext_matches *ms, evx_field f, size_t s, size_t e);
/* The match of field f that holds all of [s, e), or NULL. */
const ext_match *ext_covering(const ext_matches *ms, evx_field f, size_t s, size_t e);

#endif
