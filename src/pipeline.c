/* pipeline.c - read -> normalise -> extract -> resolve -> emit. */
#include "pipeline.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "diag.h"
#include "emit.h"
#include "extract.h"
#include "html.h"
#include "remnants.h"
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
    evx_limits limits;
    const volatile sig_atomic_t *cancel;
    int borrowed;        /* a worker: rules and schema belong to another pipeline */
    evx_input_format input_format; /* auto: .html, .htm and sniffed pages are HTML */
    /* Reused from document to document (no large allocation per document,
     * which also made malloc consolidate its free lists each time); let go
     * after a document bigger than REUSE_MAX. */
    read_input in;
    evx_text norm;
    size_t norm_cap;
};

#define REUSE_MAX (1024 * 1024)

/* Lets go of the reused buffers when a big document made them big. */
static void trim_buffers(pipeline *p)
{
    if (p->in.bytes_cap > REUSE_MAX || p->in.text_cap > REUSE_MAX)
        read_input_free(&p->in);
    if (p->norm_cap > REUSE_MAX) {
        text_free(&p->norm);
        p->norm_cap = 0;
    }
}

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
    evx_limits dflt = EVX_LIMITS_DEFAULT;
    if (!p->rules || !p->schema || rules_matcher_init(&p->matcher, p->rules) < 0 ||
        pipeline_set_limits(p, &dflt) < 0) {
        if (!p->rules)
            fprintf(out, "evx: %d error(s) in the rules at %s; nothing was processed\n", d.errors, rules_dir);
        if (failed)
            *failed = p->schema ? PIPELINE_FAIL_RULES : PIPELINE_FAIL_SCHEMA;
        pipeline_close(p);
        return NULL;
    }
    return p;
}

pipeline *pipeline_worker(const pipeline *p)
{
    pipeline *w = calloc(1, sizeof *w);
    if (!w)
        return NULL;
    w->rules = p->rules;
    w->schema = p->schema;
    w->borrowed = 1;
    w->cancel = p->cancel;
    w->input_format = p->input_format;
    if (rules_matcher_init(&w->matcher, w->rules) < 0 || pipeline_set_limits(w, &p->limits) < 0) {
        pipeline_close(w);
        return NULL;
    }
    w->matcher.options = p->matcher.options; /* EVX_NO_JIT */
    return w;
}

void pipeline_close(pipeline *p)
{
    if (!p)
        return;
    rules_matcher_free(&p->matcher); /* safe on a zeroed or half-made matcher */
    ext_matches_free(&p->matches);
    read_input_free(&p->in);
    text_free(&p->norm);
    if (!p->borrowed) {
        rules_free(p->rules);
        schema_free(p->schema);
    }
    free(p);
}

int pipeline_set_limits(pipeline *p, const evx_limits *l)
{
    p->limits = *l;
    rules_matcher *m = &p->matcher;
    pcre2_set_match_limit(m->mctx, l->match_limit);
    pcre2_set_depth_limit(m->mctx, l->depth_limit);
    pcre2_set_heap_limit(m->mctx, l->heap_limit);
    /* The JIT matcher ignores the depth and heap limits; its stack is its
     * memory, so the same number caps it. */
    size_t jit_max = (size_t)l->heap_limit * 1024;
    if (jit_max < 32 * 1024)
        jit_max = 32 * 1024;
    pcre2_jit_stack *jit = pcre2_jit_stack_create(32 * 1024, jit_max, NULL);
    if (!jit)
        return -1;
    pcre2_jit_stack_free(m->jit);
    m->jit = jit;
    pcre2_jit_stack_assign(m->mctx, NULL, m->jit);
    return 0;
}

void pipeline_set_jit(pipeline *p, int jit)
{
    p->matcher.options = jit ? 0 : PCRE2_NO_JIT;
    rules_set_jit(p->rules, jit);
}

void pipeline_set_cancel(pipeline *p, const volatile sig_atomic_t *flag) { p->cancel = flag; }

/* The first line longer than max bytes (1-based), or 0. Checked on the
 * decoded text before anything else runs: a huge line would cost the
 * line-based rules time in proportion to its square. CR, LF and CRLF end
 * lines. */
static size_t next_of(const evx_text *t, size_t from, char c)
{
    const char *p = from < t->len ? memchr(t->data + from, c, t->len - from) : NULL;
    return p ? (size_t)(p - t->data) : t->len;
}

static size_t long_line(const evx_text *t, size_t max, size_t *len)
{
    /* The next LF and the next CR are found by memchr, each looked for
     * again only once passed; t->len stands for the end. */
    size_t line = 1, start = 0, lf = next_of(t, 0, '\n'), cr = next_of(t, 0, '\r');
    for (;;) {
        size_t i = lf < cr ? lf : cr;
        if (i - start > max) {
            *len = i - start;
            return line;
        }
        if (i >= t->len)
            return 0;
        if (i == cr && lf == i + 1)
            i++; /* CRLF ends one line */
        line++;
        start = i + 1;
        if (lf < start)
            lf = next_of(t, start, '\n');
        if (cr < start)
            cr = next_of(t, start, '\r');
    }
}

static int blank(const evx_text *t)
{
    for (size_t i = 0; i < t->len; i++)
        if (!strchr(" \t\n\r\f\v", t->data[i]))
            return 0;
    return 1;
}

static void rule_failure(const ext_matches *ms, const evx_limits *l, evx_error *err)
{
    const rule *r = ms->error_rule;
    const char *name = r ? r->src->name : "?";
    const char *file = r ? r->src->pos.file : "?";
    int line = r ? r->src->pos.line : 0;
    switch (ms->error_rc) {
    case PCRE2_ERROR_MATCHLIMIT:
        evx_error_set(err, EVX_E_match_limit,
                      "rule '%s' (%s:%d) hit the match limit (%u) on this input: the rule backtracks too much "
                      "here; fix the rule ('evx rules lint' warns of nested quantifiers) or raise --match-limit",
                      name, file, line, l->match_limit);
        break;
    case PCRE2_ERROR_DEPTHLIMIT:
        evx_error_set(err, EVX_E_depth_limit,
                      "rule '%s' (%s:%d) hit the depth limit (%u) on this input; fix the rule or raise --depth-limit",
                      name, file, line, l->depth_limit);
        break;
    case PCRE2_ERROR_HEAPLIMIT:
    case PCRE2_ERROR_JIT_STACKLIMIT:
    case PCRE2_ERROR_NOMEMORY:
        evx_error_set(err, EVX_E_heap_limit,
                      "rule '%s' (%s:%d) hit the heap limit (%u KiB) on this input; fix the rule or raise --heap-limit",
                      name, file, line, l->heap_limit);
        break;
    default:
        evx_error_set(err, EVX_E_internal, "%s", ms->error);
    }
}

void pipeline_set_input_format(pipeline *p, evx_input_format f) { p->input_format = f; }

static int run(pipeline *p, const char *source, read_input *in, json_t **record, evx_error *err)
{
    evx_text page = {0}, *norm = &p->norm;
    char why[512];
    /* read -> (html) -> normalise: the HTML stage's text maps into the same
     * original bytes as read's, so spans stay spans of the input as written. */
    const evx_text *text = &in->utf8;
    int html = html_is_input(p->input_format, source, in);
    if (html) {
        int hrc = html_to_text(in, &page, &in->warning, why, sizeof why);
        if (hrc < 0) {
            evx_error_set(err, hrc == -2 ? EVX_E_html_too_deep : EVX_E_internal, "HTML: %s", why);
            return -1;
        }
        text = &page;
    } else {
        /* "&nbsp;", "&#8211;", "<strong>" a scraper left in the text */
        int crc = remnants_clean(text, &page);
        if (crc < 0) {
            evx_error_set(err, EVX_E_internal, "out of memory cleaning markup left in the text");
            return -1;
        }
        if (crc > 0)
            text = &page;
    }
    /* Before normalising: a huge line would cost the line-based rules time
     * in proportion to its square. For HTML, the lines of the page's text. */
    size_t len, line = p->limits.max_line ? long_line(text, p->limits.max_line, &len) : 0;
    if (line) {
        evx_error_set(err, EVX_E_line_too_long,
                      "line %zu%s is %zu bytes long, over the limit of %zu (raise it with --max-line)", line,
                      !html ? "" : " of the page's text", len, p->limits.max_line);
        text_free(&page);
        return -1;
    }
    int nrc = norm_text_reuse(text, norm, &p->norm_cap, why, sizeof why);
    text_free(&page);
    if (nrc < 0) {
        evx_error_set(err, EVX_E_internal, "normalisation failed: %s", why);
        return -1;
    }
    if (blank(norm)) {
        evx_error_set(err, EVX_E_empty,
                      !html ? "holds only white space (%zu bytes), no text"
                                        : "an HTML page (%zu bytes) with no text outside markup and page chrome",
                      in->len);
        return -1;
    }
    ext_matches_clear(&p->matches);
    if (ext_run(p->rules, &p->matcher, norm, &p->matches) < 0) {
        rule_failure(&p->matches, &p->limits, err);
        return -1;
    }
    evx_record rec = {0};
    res_record(&p->matches, norm, &rec);
    json_t *j = emit_record(source, &rec, norm, in->warning);
    record_free(&rec);
    if (schema_validate(p->schema, j, why, sizeof why) < 0) {
        evx_error_set(err, EVX_E_schema, "record does not match the schema (a bug in evx, please report it): %s",
                      why);
        json_decref(j);
        return -1;
    }
    *record = j;
    return 0;
}

int pipeline_process(pipeline *p, const char *path, json_t **record, evx_error *err)
{
    *record = NULL;
    read_opts o = {p->limits.max_size, p->cancel};
    int rc = read_from_path_reuse(path, &o, &p->in, err) < 0 ? -1 : run(p, path, &p->in, record, err);
    trim_buffers(p);
    return rc;
}

int pipeline_process_buffer(pipeline *p, const char *source, const char *bytes, size_t len,
                            json_t **record, evx_error *err)
{
    *record = NULL;
    if (p->limits.max_size && len > p->limits.max_size) {
        evx_error_set(err, EVX_E_too_large, "is %zu bytes, over the limit of %zu bytes (raise it with --max-size)",
                      len, p->limits.max_size);
        return -1;
    }
    read_input in = {0};
    if (read_from_buffer(bytes, len, &in, err) < 0)
        return -1;
    int rc = run(p, source, &in, record, err);
    read_input_free(&in);
    trim_buffers(p);
    return rc;
}

int pipeline_selftest(pipeline *p, char *const *names, int n)
{
    return rules_selftest(p->rules, names, n, stdout);
}
