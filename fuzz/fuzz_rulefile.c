/* fuzz_rulefile.c - libFuzzer harness: any bytes as a rule file.
 *
 * The input is parsed as one rule file (fuzz.rules) beside the shipped
 * tables and common.rules (so the shipped rule files, the seeds, compile
 * and the fuzzer can reach @month, @dash ...). Text after a line "%%" is a
 * table tables/t.tsv as well, usable as @t. A set that parses and compiles
 * is then used the way evx uses rules: its inline examples run (`evx rules
 * test`) and it extracts from the input's own text, through resolve, emit
 * and schema validation. Broken rule files must give errors, never a crash,
 * a leak or undefined behaviour, and no rule set may make evx write a
 * record its schema rejects. */
#include <dirent.h>
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "diag.h"
#include "emit.h"
#include "extract.h"
#include "fuzz_common.h"
#include "normalize.h"
#include "read.h"
#include "resolve.h"
#include "rulefile.h"
#include "rules.h"
#include "schema.h"

typedef struct {
    char *name; /* as reported: "tables/NAME.tsv" or "common.rules" */
    char *stem;
    char *text;
    size_t len;
} shipped_file;

static shipped_file *tables;
static int ntables;
static shipped_file common;
static schema *sch;
static FILE *sink; /* /dev/null: diagnostics and self-test output */

static void load_shipped(const char *dir)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/tables", dir);
    DIR *d = opendir(path);
    struct dirent *e;
    while (d && (e = readdir(d))) {
        size_t l = strlen(e->d_name);
        if (e->d_name[0] == '.' || l <= 4 || strcmp(e->d_name + l - 4, ".tsv"))
            continue;
        snprintf(path, sizeof path, "%s/tables/%s", dir, e->d_name);
        tables = realloc(tables, sizeof *tables * (size_t)(ntables + 1));
        shipped_file *t = &tables[ntables++];
        t->text = fuzz_slurp(path, &t->len);
        t->name = strdup(path);
        t->stem = strndup(e->d_name, l - 4);
        if (!t->text) {
            fprintf(stderr, "fuzz_rulefile: cannot read %s\n", path);
            exit(2);
        }
    }
    if (d)
        closedir(d);
    snprintf(path, sizeof path, "%s/common.rules", dir);
    common.text = fuzz_slurp(path, &common.len);
    common.name = strdup(path);
    common.stem = strdup("common");
    if (!ntables || !common.text) {
        fprintf(stderr, "fuzz_rulefile: no tables or common.rules in %s\n", dir);
        exit(2);
    }
}

static void free_file(shipped_file *f)
{
    free(f->name);
    free(f->stem);
    free(f->text);
}

static void cleanup(void)
{
    for (int i = 0; i < ntables; i++)
        free_file(&tables[i]);
    free(tables);
    free_file(&common);
    schema_free(sch);
    fclose(sink);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    /* Every input is a new rule set: the disk cache (rulecache.h) would
     * only be read and written again at every run. */
    setenv("EVX_CACHE", "0", 1);
    load_shipped(fuzz_rules_dir());
    char err[512];
    sch = schema_load(fuzz_schema_path(), err, sizeof err);
    sink = fopen("/dev/null", "w");
    if (!sch || !sink) {
        fprintf(stderr, "fuzz_rulefile: %s\n", sch ? "cannot open /dev/null" : err);
        exit(2);
    }
    atexit(cleanup);
    return 0;
}

/* The prefilter, the line gates and the windows only skip work: every
 * rule must find the same matches over the whole text (extract.h). A run
 * that fails (a limit) is not compared: skipping text may avoid a limit. */
static void same_without_prefilter(ruleset *rs, rules_matcher *m, const evx_text *t, const ext_matches *gated)
{
    ext_matches plain = {0};
    rs->no_prefilter = 1;
    int rc = ext_run(rs, m, t, &plain);
    rs->no_prefilter = 0;
    if (rc == 0) {
        int same = plain.n == gated->n;
        for (int i = 0; same && i < plain.n; i++) {
            const ext_match *a = &plain.items[i], *b = &gated->items[i];
            same = a->rule == b->rule && a->start == b->start && a->end == b->end;
            for (int k = 0; same && k < a->rule->ncaps; k++)
                same = a->cap[k][0] == b->cap[k][0] && (a->cap[k][0] == SIZE_MAX || a->cap[k][1] == b->cap[k][1]);
        }
        if (!same) {
            fprintf(stderr, "fuzz_rulefile: the prefilter changed the matches (%d with it, %d without)\n", gated->n,
                    plain.n);
            abort();
        }
    }
    ext_matches_free(&plain);
}

/* The whole document path with rule set rs over `text` (the input itself). */
static void extract_with(ruleset *rs, const char *text, size_t len)
{
    rules_matcher m;
    if (rules_matcher_init(&m, rs) < 0)
        abort();
    rules_selftest(rs, NULL, 0, sink);
    read_input in = {0};
    char err[512];
    evx_error rerr;
    if (read_from_buffer(text, len, &in, &rerr) == 0) {
        evx_text norm = {0};
        if (norm_text(&in.utf8, &norm, err, sizeof err) == 0) {
            ext_matches ms = {0};
            if (ext_run(rs, &m, &norm, &ms) == 0) {
                same_without_prefilter(rs, &m, &norm, &ms);
                evx_record rec = {0};
                res_record(&ms, &norm, &rec);
                json_t *j = emit_record("fuzz-input", &rec, &norm, in.warning);
                if (schema_validate(sch, j, err, sizeof err) < 0) {
                    fprintf(stderr, "fuzz_rulefile: record does not match the schema: %s\n", err);
                    abort();
                }
                json_decref(j);
                record_free(&rec);
            }
            ext_matches_free(&ms);
        }
        text_free(&norm);
    }
    read_input_free(&in);
    rules_matcher_free(&m);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    size_t rules_len = size, table_at = size;
    for (size_t i = 0; i + 2 <= size; i++)
        if ((i == 0 || text[i - 1] == '\n') && !memcmp(text + i, "%%", 2) &&
            (i + 2 == size || text[i + 2] == '\n')) {
            rules_len = i;
            table_at = i + 2 < size ? i + 3 : size;
            break;
        }
    diag_sink d;
    diag_init(&d, sink);
    rf_set set;
    memset(&set, 0, sizeof set);
    for (int i = 0; i < ntables; i++)
        rf_parse_table(&set, tables[i].name, tables[i].stem, tables[i].text, tables[i].len, &d);
    if (table_at < size || rules_len < size)
        rf_parse_table(&set, "fuzz/tables/t.tsv", "t", text + table_at, size - table_at, &d);
    rf_parse_rules(&set, common.name, common.stem, common.text, common.len, &d);
    rf_parse_rules(&set, "fuzz/fuzz.rules", "fuzz", text, rules_len, &d);
    ruleset *rs = rules_compile(&set, &d, 0);
    if (rs && !d.errors)
        extract_with(rs, text, size);
    rules_free(rs);
    return 0;
}
