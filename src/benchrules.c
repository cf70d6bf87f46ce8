/* benchrules.c - read, normalise and match every input; time each phase. */
#include "benchrules.h"
#include "remnants.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "diag.h"
#include "extract.h"
#include "normalize.h"
#include "read.h"
#include "rules.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

typedef struct {
    double secs;
    long matches;
    double searched; /* bytes where a match could start */
} rule_cost;

typedef struct {
    long docs, failed, matches;
    double bytes, text_bytes; /* read; normalised, as the rules see it */
    double t_load, t_read, t_norm, t_match;
} totals;

static int by_cost(const void *a, const void *b, void *costs)
{
    const rule_cost *c = costs;
    double x = c[*(const int *)a].secs, y = c[*(const int *)b].secs;
    return x < y ? 1 : x > y ? -1 : *(const int *)a - *(const int *)b;
}

/* qsort_r is a GNU extension; a tiny insertion sort keeps this portable and
 * the rule count is small. */
static void sort_rules(int *order, int n, const rule_cost *costs)
{
    for (int i = 1; i < n; i++)
        for (int j = i; j > 0 && by_cost(&order[j - 1], &order[j], (void *)costs) > 0; j--) {
            int t = order[j];
            order[j] = order[j - 1];
            order[j - 1] = t;
        }
}

/* One document: read, normalise, match. Returns 0, or -1 (reported). */
static int scan_one(const ruleset *rs, rules_matcher *m, ext_matches *ms, const char *path, int per_rule,
                    rule_cost *costs, totals *tot)
{
    char err[1024];
    evx_error rerr = {0};
    read_input in = {0};
    evx_text norm = {0};
    double t0 = now();
    if (read_from_path(path, NULL, &in, &rerr) < 0) {
        fprintf(stderr, "evx: %s: %s\n", path, rerr.message);
        return -1;
    }
    double t1 = now();
    evx_text clean = {0}; /* markup left in the text, cleaned as extract does */
    int crc = remnants_clean(&in.utf8, &clean);
    int rc = crc < 0 ? -1 : norm_text(crc > 0 ? &clean : &in.utf8, &norm, err, sizeof err);
    if (crc < 0)
        snprintf(err, sizeof err, "out of memory cleaning markup left in the text");
    text_free(&clean);
    double t2 = now();
    tot->t_read += t1 - t0;
    tot->t_norm += t2 - t1;
    if (rc < 0) {
        fprintf(stderr, "evx: %s: normalisation failed: %s\n", path, err);
        read_input_free(&in);
        return -1;
    }
    ext_matches_clear(ms);
    if (per_rule) {
        ext_begin(rs, &norm, ms);
        for (int i = 0; i < rs->nrules && rc == 0; i++) {
            int before = ms->n;
            size_t searched = ms->searched;
            double r0 = now();
            rc = ext_run_one(rs, &rs->rules[i], m, &norm, ms);
            costs[i].secs += now() - r0;
            costs[i].matches += ms->n - before;
            costs[i].searched += (double)(ms->searched - searched);
        }
    } else {
        rc = ext_run(rs, m, &norm, ms);
    }
    tot->t_match += now() - t2;
    if (rc < 0)
        fprintf(stderr, "evx: %s: %s\n", path, ms->error);
    tot->matches += ms->n;
    tot->bytes += (double)in.len;
    tot->text_bytes += (double)norm.len;
    tot->docs++;
    text_free(&norm);
    read_input_free(&in);
    return rc;
}

static double rate(double x, double secs) { return secs > 0 ? x / secs : 0; }

static void report(const totals *t, FILE *out, int json)
{
    double scan = t->t_read + t->t_norm + t->t_match;
    if (json) {
        fprintf(out,
                "{\"documents\": %ld, \"failed\": %ld, \"bytes\": %.0f, \"matches\": %ld, "
                "\"load_ms\": %.3f, \"read_s\": %.6f, \"normalize_s\": %.6f, \"match_s\": %.6f, "
                "\"scan_mb_per_s\": %.3f, \"match_mb_per_s\": %.3f, \"docs_per_s\": %.1f}\n",
                t->docs, t->failed, t->bytes, t->matches, t->t_load * 1e3, t->t_read, t->t_norm, t->t_match,
                rate(t->bytes / 1e6, scan), rate(t->bytes / 1e6, t->t_match), rate((double)t->docs, scan));
        return;
    }
    fprintf(out, "rules loaded and compiled in %.1f ms\n", t->t_load * 1e3);
    fprintf(out, "%ld document(s), %.1f MB, %ld match(es), %ld failed\n", t->docs, t->bytes / 1e6, t->matches,
            t->failed);
    fprintf(out, "read       %8.3f s\nnormalise  %8.3f s\nmatch      %8.3f s  (%.1f MB/s)\n", t->t_read,
            t->t_norm, t->t_match, rate(t->bytes / 1e6, t->t_match));
    fprintf(out, "scan total %8.3f s  %.1f MB/s, %.0f documents/s\n", scan, rate(t->bytes / 1e6, scan),
            rate((double)t->docs, scan));
}

static const char *where_in_text(const ruleset *rs, const rule *r);

/* Where extract.c lets a rule search (rules/README.md, "Rules and speed"):
 * the lines it can match on, windows around them, or the whole text; and
 * what picks those lines. A rule author reads here which rules are worth
 * tightening. */
static const char *where_rule_runs(const ruleset *rs, const rule *r)
{
    const char *where = where_in_text(rs, r);
    if (!r->src->head)
        return where;
    static char headed[96];
    snprintf(headed, sizeof headed, "%s, first %d lines", where, r->src->head);
    return headed;
}

static const char *where_in_text(const ruleset *rs, const rule *r)
{
    static char buf[64];
    if (rs->no_prefilter)
        return "whole text";
    const char *by = r->nlits ? (r->gate >= 0 ? "words+gate" : "words")
                     : r->gate >= 0 ? "gate" : r->has_chars ? "chars" : "";
    if (!*by || (!r->single_line && (r->line_reach <= 0 || r->line_reach > EXT_MAX_LINE_REACH)))
        snprintf(buf, sizeof buf, "%s", *by && r->nlits ? "text with words" : "whole text");
    else if (r->single_line)
        snprintf(buf, sizeof buf, "lines (%s)", by);
    else if (r->nlits || r->gate < 0) /* as run_windows in extract.c takes them */
        snprintf(buf, sizeof buf, "windows -%ld/+%ld (%s)", r->nlits ? r->around.lit_before : r->around.chars_before,
                 r->nlits ? r->around.lit_after : r->around.chars_after, by);
    else
        snprintf(buf, sizeof buf, "windows -%ld/+%ld (%s)", r->line_reach, r->line_reach, by);
    return buf;
}

/* "searched" is how much of the text a rule searched for match starts:
 * 1.00 is all of it, once; the prefilter keeps most rules well below. */
static void report_rules(const ruleset *rs, const rule_cost *costs, double text_bytes, FILE *out)
{
    int *order = malloc(sizeof(int) * (size_t)(rs->nrules ? rs->nrules : 1));
    double all = 0;
    for (int i = 0; i < rs->nrules; i++) {
        order[i] = i;
        all += costs[i].secs;
    }
    sort_rules(order, rs->nrules, costs);
    fprintf(out, "\n%10s %6s %9s %8s  %-22s rule\n", "seconds", "share", "matches", "searched", "runs on");
    for (int k = 0; k < rs->nrules; k++) {
        const rule_cost *c = &costs[order[k]];
        const rule *r = &rs->rules[order[k]];
        fprintf(out, "%10.4f %5.1f%% %9ld %8.2f  %-22s %s\n", c->secs, all > 0 ? 100 * c->secs / all : 0,
                c->matches, text_bytes > 0 ? c->searched / text_bytes : 0, where_rule_runs(rs, r), r->src->name);
    }
    free(order);
}

int bench_rules(const char *rules_dir, char *const *inputs, int n, int per_rule, int json, FILE *out)
{
    diag_sink d;
    diag_init(&d, stderr);
    totals tot = {0};
    double t0 = now();
    ruleset *rs = rules_load(rules_dir, &d);
    tot.t_load = now() - t0;
    if (!rs) {
        fprintf(stderr, "evx: %d error(s) in the rules at %s; nothing was processed\n", d.errors, rules_dir);
        return 2;
    }
    rules_matcher m;
    if (rules_matcher_init(&m, rs) < 0) {
        fprintf(stderr, "evx: out of memory\n");
        rules_free(rs);
        return 2;
    }
    rule_cost *costs = calloc((size_t)(rs->nrules ? rs->nrules : 1), sizeof *costs);
    ext_matches ms = {0};
    for (int i = 0; i < n; i++)
        if (scan_one(rs, &m, &ms, inputs[i], per_rule, costs, &tot) < 0)
            tot.failed++;
    report(&tot, out, json);
    if (per_rule && !json)
        report_rules(rs, costs, tot.text_bytes, out);
    free(costs);
    ext_matches_free(&ms);
    rules_matcher_free(&m);
    rules_free(rs);
    return tot.failed ? 1 : 0;
}
