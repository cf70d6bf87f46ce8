/* pipeline.h - the façade over the five stages.
 *
 * Owns one loaded rule set and schema and runs a document through read,
 * normalise, extract, resolve and emit, reusing the matcher and match buffers
 * for every document. Callers see records (json_t) and error strings only. */
#ifndef EVX_PIPELINE_H
#define EVX_PIPELINE_H
#include <jansson.h>
#include <stddef.h>
#include <stdio.h>

typedef struct pipeline pipeline;

/* Loads and compiles the rules in rules_dir and the schema at schema_path.
 * Problems are printed (file:line:col) to stderr; returns NULL on any. */
pipeline *pipeline_open(const char *rules_dir, const char *schema_path);
/* The same, printing to `out`; *failed (if not NULL) says which part failed. */
enum { PIPELINE_FAIL_RULES = 1, PIPELINE_FAIL_SCHEMA = 2 };
pipeline *pipeline_open_diag(const char *rules_dir, const char *schema_path, FILE *out, int *failed);
void pipeline_close(pipeline *p);

/* Runs one input ("-" is stdin). On success returns 0 and a new record in
 * *record (json_decref). On failure returns -1 with a message in err that
 * names the input (-2 instead when the record failed the schema, a bug);
 * the next input can still be processed. */
int pipeline_process(pipeline *p, const char *path, json_t **record, char *err, size_t errlen);
/* The same for a buffer already in memory; `source` names it in the record. */
int pipeline_process_buffer(pipeline *p, const char *source, const char *bytes, size_t len,
                            json_t **record, char *err, size_t errlen);

/* `evx rules test`: runs the inline examples; returns the failure count. */
int pipeline_selftest(pipeline *p, char *const *names, int n);

#endif
