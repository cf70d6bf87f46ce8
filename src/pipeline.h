/* pipeline.h - the façade over the five stages.
 *
 * Owns one loaded rule set and schema and runs a document through read,
 * normalise, extract, resolve and emit, reusing the matcher and match buffers
 * for every document, within the limits below. Callers see records (json_t)
 * or an evx_error (error.h): a stable code plus a message. One pipeline is
 * used by one thread at a time. */
#ifndef EVX_PIPELINE_H
#define EVX_PIPELINE_H
#include <jansson.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "error.h"
#include "html.h"

typedef struct pipeline pipeline;

/* What one input may cost; hitting a limit fails that input only. */
typedef struct {
    size_t max_size;      /* bytes of one input (--max-size) */
    size_t max_line;      /* bytes of one line as decoded, before normalisation (--max-line) */
    uint32_t match_limit; /* PCRE2 match limit per rule and input (--match-limit) */
    uint32_t depth_limit; /* PCRE2 backtracking depth limit, interpreter only (--depth-limit) */
    uint32_t heap_limit;  /* KiB: PCRE2 heap limit and the JIT stack's maximum (--heap-limit) */
} evx_limits;

#define EVX_DEFAULT_MAX_SIZE ((size_t)4 << 20)
#define EVX_DEFAULT_MAX_LINE ((size_t)64 << 10)
#define EVX_DEFAULT_MATCH_LIMIT 1000000u
#define EVX_DEFAULT_DEPTH_LIMIT 10000u
#define EVX_DEFAULT_HEAP_LIMIT 1024u
#define EVX_LIMITS_DEFAULT                                                                 \
    {EVX_DEFAULT_MAX_SIZE, EVX_DEFAULT_MAX_LINE, EVX_DEFAULT_MATCH_LIMIT, EVX_DEFAULT_DEPTH_LIMIT, \
     EVX_DEFAULT_HEAP_LIMIT}

/* Loads and compiles the rules in rules_dir and the schema at schema_path,
 * with the default limits. Problems are printed (file:line:col) to stderr;
 * returns NULL on any. */
pipeline *pipeline_open(const char *rules_dir, const char *schema_path);
/* The same, printing to `out`; *failed (if not NULL) says which part failed. */
enum { PIPELINE_FAIL_RULES = 1, PIPELINE_FAIL_SCHEMA = 2 };
pipeline *pipeline_open_diag(const char *rules_dir, const char *schema_path, FILE *out, int *failed);
/* A pipeline for another thread (`evx extract -j N`): it shares p's compiled
 * rules and schema, which are read-only once loaded, and has its own PCRE2
 * match data, JIT stack and match buffers. Close it before p. NULL when out
 * of memory. */
pipeline *pipeline_worker(const pipeline *p);
void pipeline_close(pipeline *p);
/* Replaces the limits. Returns 0, or -1 when the matcher could not be set
 * up (out of memory). */
int pipeline_set_limits(pipeline *p, const evx_limits *l);
/* jit 0: match with the PCRE2 interpreter, the rules never JIT-compiled
 * (rules_set_jit: faster for a small run; --depth-limit and the heap limit
 * proper apply). Before the first input. `evx extract` chooses by the size
 * of its inputs, or by $EVX_NO_JIT. */
void pipeline_set_jit(pipeline *p, int jit);
/* Reading stops (code read_failed, "interrupted") once *flag != 0; for a
 * signal handler. NULL turns it off. */
void pipeline_set_cancel(pipeline *p, const volatile sig_atomic_t *flag);

/* Text or HTML (html.h): auto (the default) takes *.html and *.htm files,
 * and other inputs that start like an HTML page, as HTML. */
void pipeline_set_input_format(pipeline *p, evx_input_format f);

/* Runs one input ("-" is stdin). On success returns 0 and a new record in
 * *record (json_decref). On failure returns -1, *record NULL and err set
 * (err->code EVX_E_schema: the record failed the schema, a bug in evx);
 * the next input can still be processed. */
int pipeline_process(pipeline *p, const char *path, json_t **record, evx_error *err);
/* The same for a buffer already in memory; `source` names it in the record. */
int pipeline_process_buffer(pipeline *p, const char *source, const char *bytes, size_t len,
                            json_t **record, evx_error *err);

/* `evx rules test`: runs the inline examples; returns the failure count. */
int pipeline_selftest(pipeline *p, char *const *names, int n);

#endif
