/* pipeline.c - read -> normalise -> extract -> resolve -> emit. */
#include "pipeline.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "diag.h"
#include "emit.h"
#include "extract.h"
#include "normalize.h"
#include "read.h"
#include "resolve.h"
#include "rules.h"
#include "schema.h"

struct pipeline {
    ruleset *rules;
    schema *schema;
    rules_matcher matcher;
    ext_matches matches; /* reused: cleared, not freed, between documents */
};

pipeline *pipeline_open(const char *rules_dir, const char *schema_path)
{
    return pipeline_open_diag(rules_dir, schema_path, stderr, NULL);
}

pipeline *pipeline_open_diag(const char *rules_dir, const char *schema_path, FILE *out, int *failed)
{
    diag_sink d;
    diag_init(&d, out);
    pipeline *p = calloc(1, sizeof *p);
    p->rules = rules_load(rules_dir, &d);
    char err[512];
    p->schema = schema_load(schema_path, err, sizeof err);
    if (!p->schema)
        fprintf(out, "%s\n", err);
    if (!p->rules || !p->schema || rules_matcher_init(&p->matcher, p->rules) < 0) {
        if (!p->rules)
            fprintf(out, "evx: %d error(s) in the rules at %s; nothing was processed\n", d.errors, rules_dir);
        if (failed)
            *failed = p->schema ? PIPELINE_FAIL_RULES : PIPELINE_FAIL_SCHEMA;
        pipeline_close(p);
        return NULL;
    }
    return p;
}

void pipeline_close(pipeline *p)
{
    if (!p)
        return;
    if (p->matcher.md)
        rules_matcher_free(&p->matcher);
    ext_matches_free(&p->matches);
    rules_free(p->rules);
    schema_free(p->schema);
    free(p);
}

static int run(pipeline *p, const char *source, read_input *in, json_t **record, char *err, size_t errlen)
{
    evx_text norm = {0};
    char why[512];
    if (norm_text(&in->utf8, &norm, why, sizeof why) < 0) {
        snprintf(err, errlen, "%s: normalisation failed: %s", source, why);
        return -1;
    }
    ext_matches_clear(&p->matches);
    if (ext_run(p->rules, &p->matcher, &norm, &p->matches) < 0) {
        snprintf(err, errlen, "%s: %s", source, p->matches.error);
        text_free(&norm);
        return -1;
    }
    evx_record rec = {0};
    res_record(&p->matches, &norm, &rec);
    json_t *j = emit_record(source, &rec, &norm, in->warning);
    record_free(&rec);
    text_free(&norm);
    if (schema_validate(p->schema, j, why, sizeof why) < 0) {
        snprintf(err, errlen, "%s: record does not match the schema (a bug in evx): %s", source, why);
        json_decref(j);
        return -2;
    }
    *record = j;
    return 0;
}

int pipeline_process(pipeline *p, const char *path, json_t **record, char *err, size_t errlen)
{
    read_input in = {0};
    if (read_from_path(path, &in, err, errlen) < 0)
        return -1;
    int rc = run(p, path, &in, record, err, errlen);
    read_input_free(&in);
    return rc;
}

int pipeline_process_buffer(pipeline *p, const char *source, const char *bytes, size_t len,
                            json_t **record, char *err, size_t errlen)
{
    read_input in = {0};
    if (read_from_buffer(bytes, len, &in, err, errlen) < 0)
        return -1;
    int rc = run(p, source, &in, record, err, errlen);
    read_input_free(&in);
    return rc;
}

int pipeline_selftest(pipeline *p, char *const *names, int n)
{
    return rules_selftest(p->rules, names, n, stdout);
}
