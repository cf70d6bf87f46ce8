/* rules.h - the compiled rule set.
 *
 * Owns: expanding @references (defines and tables) into full patterns with a
 * map back to the rule file, compiling every rule once with PCRE2 (UTF, UCP,
 * multiline; JIT-compiled on first use, rule_code), the match limits, capture-to-table value
 * mapping, and running the rules' inline examples (`evx rules test`).
 * A ruleset is immutable after rules_load and may be shared by threads; each
 * thread matches with its own rules_matcher. */
#ifndef EVX_RULES_H
#define EVX_RULES_H
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include "diag.h"
#include "rulefile.h"
#include "startclass.h"

#define EVX_MAX_CAPS 16

/* The fields a rule can fill. The C code gives each its meaning; the words
 * that find them live in rules/. See rules/README.md for each capture. */
#define EVX_FIELDS(X) \
    X(date)           /* a calendar date or date range */            \
    X(time)           /* a clock time or time range */               \
    X(deadline)       /* label: next date is the registration deadline */ \
    X(publication)    /* label: next date is not the event's (published, updated) */ \
    X(past)           /* text that marks dates nearby as past or other events */ \
    X(related)        /* heading: dates below belong to other events */ \
    X(page_chrome)    /* the site around the announcement (a footer with the organisation's details): nothing in it is the event's */ \
    X(title)          /* the event's name inside a heading line */   \
    X(title_skip)     /* a line that is never the title */           \
    X(title_hint)     /* words that make a line likelier the title */ \
    X(title_subject)  /* the event named as a sentence's subject, with its date */ \
    X(venue)          /* a place or platform */                      \
    X(venue_skip)     /* text that is not a venue though a venue rule matches */ \
    X(cost)           /* price or free */                            \
    X(mode)           /* hints of onsite/online attendance */        \
    X(speaker)        /* a person on stage */                        \
    X(speaker_skip)   /* person names that are not speakers (credits) */ \
    X(agenda)         /* a timed programme line */                   \
    X(day_heading)    /* a programme day heading ("Dag 2", a date line) */ \
    X(slot_prelude)   /* a slot before the event proper (registration, coffee) */ \
    X(slot_closing)   /* a slot that only marks the end ("Slut") */ \
    X(slot_press)     /* a press or interview window, no programme slot */ \
    X(table_column)   /* a programme table's header cell ("Plats"): what its column holds */ \
    X(contact)        /* contact person, e-mail or phone */          \
    X(organizer)      /* an organisation behind the event */         \
    X(status)         /* the event is cancelled or postponed */

typedef enum {
#define X(name) FIELD_##name,
    EVX_FIELDS(X)
#undef X
    FIELD_COUNT
} evx_field;

const char *field_name(evx_field f);
/* The capture (and `set`) names the resolver reads for field f, NULL
 * terminated: the one list `evx rules lint` checks captures against and
 * rules/README.md documents. Keep it in step with resolve.c, speakers.c,
 * agenda.c and contacts.c. */
const char *const *field_keys(evx_field f);

typedef struct {
    const char *name;     /* capture name as written */
    int group;            /* PCRE2 group number */
    const rf_table *table; /* table that maps its text, or NULL */
} rule_capture;

typedef struct {
    const rf_rule *src;
    evx_field field;
    pcre2_code *code; /* match with rule_code(r): JIT-compiled on first use */
    /* The one part of a shared rule that changes: whether code has been
     * through the JIT (or never will be: $EVX_NO_JIT), set once under
     * jit_lock by rule_code. */
    atomic_int jit_ready;
    pthread_mutex_t jit_lock;
    int ncaps;
    rule_capture caps[EVX_MAX_CAPS];
    /* Literal strings one of which every text the rule matches in holds
     * (startclass.h, required_literals): indices into ruleset.lits; none
     * when nlits is 0. A document without any of them skips the rule. */
    int lits[SC_LIT_MAX];
    int nlits;
    /* No match can involve a line break (startclass.h, single_line): the
     * rule needs to run only over the lines that hold one of its literals. */
    int single_line;
    /* ASCII characters one of which every match holds (startclass.h,
     * required_chars), when has_chars: bit c of chars[c / 8]. */
    unsigned char chars[16];
    int has_chars;
    /* How many lines with text a match can span beyond its literal's or
     * gate's line (startclass.h, line_reach); -1: no bound. */
    long line_reach;
    /* How far that reach goes before and after the line of a literal and
     * of a character it needs (startclass.h, reach_around): the windows
     * of a rule that runs on its literals' or characters' lines. */
    sc_reach_around around;
    /* A rule every match of which needs a gated define ("gate NAME" in a
     * rule file) and that has a line_reach: index into ruleset.gates, else -1. */
    int gate;
} rule;

/* A gated define compiled on its own: extract.c scans a document with it
 * once and runs the rules that need it only on the lines it matched on. */
typedef struct {
    const char *name; /* the define's */
    int caseless;     /* the case mode of the rules that use it */
    pcre2_code *code; /* match it through rule_gate_code */
    pthread_mutex_t jit_lock;
    atomic_int jit_ready;
} rule_gate;

typedef struct {
    rf_set src;
    struct rule_cache *cache; /* rulecache.h; while rules_compile runs, else NULL */
    rule *rules;
    int nrules;
    char **lits; /* every rule's required literals, each once */
    int nlits;
    struct litscan *scan; /* finds them all in one pass (litscan.h); NULL when out of memory */
    rule_gate *gates;
    int ngates;
    uint32_t match_limit;
    uint32_t depth_limit;
    int no_jit; /* $EVX_NO_JIT set (for valgrind), or rules_set_jit(rs, 0): patterns are not JIT-compiled */
    /* JIT-compiles the gates, then the rules from the last one back, while
     * the caller goes on (rules_jit_begin starts it when there is a second
     * core; rules_free stops it): the first document's rules, asked for
     * from the first one on, meet it half way. */
    pthread_t jit_thread;
    atomic_int jit_thread_on; /* 1: started (or being started) */
    atomic_int jit_stop;
    int no_prefilter; /* $EVX_NO_PREFILTER set: no literal prefilter, no line gates (extract.c) */
} ruleset;

/* Per-thread matching state: match context, JIT stack, match data. */
typedef struct {
    pcre2_match_context *mctx;
    pcre2_jit_stack *jit;
    pcre2_match_data *md;
    uint32_t options; /* extra pcre2_match options: PCRE2_NO_JIT to test the interpreter's limits */
} rules_matcher;

/* Loads and compiles DIR. Reports every problem to d; returns NULL when there
 * was any error (a partial rule set never runs). Free with rules_free. */
ruleset *rules_load(const char *dir, diag_sink *d);
/* The same, but keeps what compiled when there were errors (rules that
 * failed have code == NULL), so `evx rules lint` can check the rest. */
ruleset *rules_load_all(const char *dir, diag_sink *d);
/* Compiles a parsed set (rf_load_dir, rf_parse_rules), taking it over: src
 * is zeroed, the ruleset frees it. Problems go to d; keep_partial as in
 * rules_load (0) and rules_load_all (1). Parse errors are the caller's to
 * count: this only reports and counts compile errors. */
ruleset *rules_compile(rf_set *src, diag_sink *d, int keep_partial);
/* r's pattern with every @reference expanded; *pos (malloc'd, one entry per
 * byte) says where each byte was written. NULL when expansion fails (the
 * problem goes to d; rules_load has reported it already for any rule that
 * failed to compile). */
char *rules_expand(const ruleset *rs, const rf_rule *r, rf_pos **pos, diag_sink *d);
void rules_free(ruleset *rs);

int rules_matcher_init(rules_matcher *m, const ruleset *rs);
void rules_matcher_free(rules_matcher *m);

/* With jit 0, the rules are never JIT-compiled: PCRE2's interpreter runs
 * them (the same matches; the limits are counted as the interpreter counts
 * them). Compiling them all takes about as long as the interpreter needs
 * for 30 KB of text more than the JIT, so a small run is faster without.
 * Only before the first match; $EVX_NO_JIT turns the JIT off at load. */
void rules_set_jit(ruleset *rs, int jit);
/* Starts the background JIT thread (ruleset.jit_thread) when the JIT is on,
 * there is a second core and it has not started: extract.c calls it as a
 * document's matching begins, so that loading the rules alone (lint,
 * tests, a run the JIT would not pay for) starts no thread. */
void rules_jit_begin(const ruleset *rs);
/* r's compiled pattern, for pcre2_match: every match must get the code
 * here (a pattern must not be matched while the JIT compiles it). The JIT
 * compiles a rule the first time any thread asks for it (threads asking at
 * once wait for that one compilation) or when ruleset.jit_thread gets to it,
 * so start-up does not wait for all of them; every match still runs JIT
 * code, as if all were compiled up front. */
pcre2_code *rule_code(const rule *r);
/* The same for a gate. */
pcre2_code *rule_gate_code(const rule_gate *g);

/* Index of the capture called `name` in r, or -1. */
int rule_capture_index(const rule *r, const char *name);
/* The value a `set key=value` line gives r, or NULL. */
const char *rule_set_value(const rule *r, const char *key);
/* Maps captured text through the capture's table; returns `text` itself when
 * the capture has no table or the table lacks the form. */
const char *rule_capture_value(const rule *r, int cap, const char *text);

/* Runs the inline examples of every rule (or of the rules whose names are
 * given, either "file/rule" or just "rule"); prints failures and a summary
 * to out. Returns the number of failed examples. */
int rules_selftest(const ruleset *rs, char *const *names, int nnames, FILE *out);

#endif
