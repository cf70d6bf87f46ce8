/* cli.c - options, usage, input listing and the extract loop. */
#include "cli.h"
#include <errno.h>
#include <jansson.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "batch.h"
#include "benchrules.h"
#include "emit.h"
#include "formats.h"
#include "jsonout.h"
#include "inputs.h"
#include "output.h"
#include "pipeline.h"
#include "progress.h"
#include "shard.h"
#include "toolkit.h"

static const char usage[] =
    "usage: evx extract [-o DIR [--resume]] [--format FMT] [--input-format IN] [--rules DIR]\n"
    "                   [--schema FILE] [--shard I/N] [-j N] [-q] [LIMITS] PATH...\n"
    "       evx rules test [--rules DIR] [RULE...]\n"
    "       evx rules lint [--rules DIR]\n"
    "       evx rules coverage [--rules DIR] PATH...\n"
    "       evx explain [--rules DIR] [--json] FILE\n"
    "       evx bench-rules [--rules DIR] [--per-rule] [--json] PATH...\n"
    "       evx --help | --version\n"
    "\n"
    "Turns Swedish event announcements into JSON records (one per input).\n"
    "\n"
    "extract   PATH is a file, a folder (every *.txt, *.html and *.htm below it,\n"
    "          in sorted order)\n"
    "          or - for standard input. Every input gives one line of NDJSON on\n"
    "          standard output, in input order: its record, or an error object\n"
    "          {\"source\": ..., \"error\": {\"code\": ..., \"message\": ...}}.\n"
    "  -o, --output DIR   write DIR/<name>.<ext> per input, or DIR/<name>.error.json\n"
    "                     holding the error object (atomically; the other removed)\n"
    "  --resume           with -o: skip inputs whose DIR/<name>.<ext> is newer\n"
    "  --format FMT       ndjson (default; one record per line), json (pretty;\n"
    "                     an array on standard output), jsonld (schema.org\n"
    "                     Event), ics (iCalendar), csv (a row per occurrence);\n"
    "                     on standard output only ndjson carries error objects\n"
    "  --input-format IN  auto (default: *.html, *.htm and inputs that start like\n"
    "                     an HTML page are HTML, the rest text), text or html\n"
    "  --rules DIR        rule folder (default: $EVX_RULES, else the shipped rules/)\n"
    "  --schema FILE      record schema (default: the shipped schema)\n"
    "  --shard I/N        only the inputs of shard I of N (1 <= I <= N): a fixed\n"
    "                     split by each input's path below its PATH, the same on\n"
    "                     every machine; shards 1..N together are the whole\n"
    "  -j, --jobs N       N threads (default: the number of cores); the output is\n"
    "                     the same, in the same order, for every N\n"
    "  -q, --quiet        no per-input messages, no summary and no progress line\n"
    "                     on standard error (the progress line is drawn only when\n"
    "                     standard error is a terminal)\n"
    "  LIMITS (an input over one fails with that error code; K, M, G suffixes):\n"
    "  --max-size BYTES   largest input (default 4M)                -> too_large\n"
    "  --max-line BYTES   longest line (default 64K)                -> line_too_long\n"
    "  --match-limit N    PCRE2 match limit per rule (default 1000000) -> match_limit\n"
    "  --depth-limit N    PCRE2 depth limit (default 10000)          -> depth_limit\n"
    "  --heap-limit KIB   PCRE2 heap and JIT stack (default 1024)    -> heap_limit\n"
    "  (under 32K of input, PCRE2's interpreter runs, not its JIT: the only one\n"
    "  that counts the depth limit; EVX_NO_JIT=1 or 0 chooses)\n"
    "  Error codes: not_found permission_denied not_a_file symlink_loop read_failed\n"
    "  empty binary encoding too_large line_too_long match_limit depth_limit\n"
    "  heap_limit schema write_failed internal html_too_deep (README, \"Failure\n"
    "  modes\").\n"
    "  A summary goes to standard error: inputs, records, errors, warnings.\n"
    "rules test          run the inline examples of every rule (or the named ones)\n"
    "rules lint          check every rule file; file:line:col: error|warning: ...\n"
    "                    (exit 1 on any error)\n"
    "rules coverage      how often each rule fired over PATH..., which never did\n"
    "explain   why FILE's record came out as it did: matches, losers, record\n"
    "  --json             one JSON document instead of the annotated text\n"
    "bench-rules   diagnostic: read, normalise and match every rule over PATH...\n"
    "          with no resolve and no output; prints the time of each phase and\n"
    "          MB/s (the floor under extract; bench/run uses it)\n"
    "  --per-rule         also time each rule, slowest first: its matches, the share\n"
    "                     of the text it searched (1.00: all) and where it runs\n"
    "  --json             one JSON object instead of the text summary\n"
    "\n"
    "Exit status: 0 every input gave a record; 1 some inputs failed (each is\n"
    "reported on standard error); 2 usage error or unusable rules/schema;\n"
    "130 / 143 interrupted by SIGINT / SIGTERM (the input being written is\n"
    "finished, the rest are not started; the summary says how many).\n";

typedef struct {
    char **items;
    int n, cap;
} strlist;

static void strlist_add(strlist *l, const char *s)
{
    if (l->n == l->cap)
        l->items = realloc(l->items, sizeof(char *) * (size_t)(l->cap = l->cap ? l->cap * 2 : 16));
    l->items[l->n++] = strdup(s);
}

static void strlist_free(strlist *l)
{
    for (int i = 0; i < l->n; i++)
        free(l->items[i]);
    free(l->items);
}

static int exists(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0;
}

/* --rules, $EVX_RULES, next to an installed binary, the source tree. */
static const char *default_path(const char *env, const char *rel, const char *built_in, const char *installed,
                                char *buf, size_t len)
{
    const char *e = getenv(env);
    if (e && *e)
        return e;
    char exe[PATH_MAX / 2];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = '\0';
            snprintf(buf, len, "%s/../share/evx/%s", exe, rel);
            if (exists(buf))
                return buf;
        }
    }
    return exists(built_in) ? built_in : installed;
}

typedef struct {
    const char *out_dir;
    const char *rules;
    const char *schema;
    int quiet;
    int json; /* explain --json */
    shard_spec shard; /* --shard I/N; count 0: everything */
    const char *format; /* extract --format */
    const char *input_format; /* extract --input-format */
    int resume;
    evx_limits limits;
    int per_rule; /* bench-rules --per-rule */
    int jobs;     /* extract -j; 0: the number of cores */
    strlist paths; /* inputs, or rule names for `rules test` */
} options;

/* "4M", "65536", "64k": bytes (or plain counts when unit is 0). */
static int parse_size(const char *opt, const char *v, int units, unsigned long long max, unsigned long long *out)
{
    char *end;
    errno = 0;
    unsigned long long n = strtoull(v, &end, 10);
    unsigned long long mul = 1;
    if (units && *end && !end[1]) {
        const char *u = strchr("kKmMgG", *end);
        mul = !u ? 0 : (*end == 'k' || *end == 'K') ? 1ull << 10 : (*end == 'm' || *end == 'M') ? 1ull << 20 : 1ull << 30;
        end += mul ? 1 : 0;
    }
    if (errno || end == v || *end || *v == '-' || !mul || n == 0 || n > max / mul) {
        fprintf(stderr, "evx: %s: '%s' is not a number from 1 to %llu%s\n", opt, v, max,
                units ? " (K, M and G suffixes allowed)" : "");
        return -1;
    }
    *out = n * mul;
    return 0;
}

/* The limit options; 1 when a was one (v consumed), 0 when not, -1 on a bad value. */
static int parse_limit(options *o, const char *a, const char *v)
{
    unsigned long long n;
    static const char *const names[] = {"--max-size", "--max-line", "--match-limit", "--depth-limit", "--heap-limit"};
    int k = -1;
    for (int i = 0; i < 5; i++)
        if (!strcmp(a, names[i]))
            k = i;
    if (k < 0)
        return 0;
    if (parse_size(a, v, k < 2, k < 2 ? (unsigned long long)SIZE_MAX / 16 : UINT32_MAX, &n) < 0)
        return -1;
    if (k == 0)
        o->limits.max_size = (size_t)n;
    else if (k == 1)
        o->limits.max_line = (size_t)n;
    else if (k == 2)
        o->limits.match_limit = (uint32_t)n;
    else if (k == 3)
        o->limits.depth_limit = (uint32_t)n;
    else
        o->limits.heap_limit = (uint32_t)n;
    return 1;
}

static int parse(int argc, char **argv, int first, options *o)
{
    for (int i = first; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-o") || !strcmp(a, "--output") || !strcmp(a, "--rules") || !strcmp(a, "--schema") ||
            !strcmp(a, "--format") || !strcmp(a, "--input-format") || !strcmp(a, "--max-size") || !strcmp(a, "--max-line") ||
            !strcmp(a, "--match-limit") || !strcmp(a, "--depth-limit") || !strcmp(a, "--heap-limit")) {
            if (i + 1 >= argc) {
                fprintf(stderr, "evx: %s needs an argument\n%s", a, usage);
                return -1;
            }
            const char *v = argv[++i];
            int lim = parse_limit(o, a, v);
            if (lim < 0)
                return -1;
            if (lim)
                continue;
            if (!strcmp(a, "--rules"))
                o->rules = v;
            else if (!strcmp(a, "--schema"))
                o->schema = v;
            else if (!strcmp(a, "--format"))
                o->format = v;
            else if (!strcmp(a, "--input-format"))
                o->input_format = v;
            else
                o->out_dir = v;
        } else if (!strcmp(a, "--shard")) {
            char err[256] = "--shard needs an argument (I/N)";
            if (i + 1 >= argc || shard_parse(argv[++i], &o->shard, err, sizeof err) < 0) {
                fprintf(stderr, "evx: %s\n%s", err, usage);
                return -1;
            }
        } else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
            o->quiet = 1;
        } else if (!strcmp(a, "--json")) {
            o->json = 1;
        } else if (!strcmp(a, "--resume")) {
            o->resume = 1;
        } else if (!strcmp(a, "--per-rule")) {
            o->per_rule = 1;
        } else if (!strcmp(a, "-j") || !strcmp(a, "--jobs") || !strncmp(a, "-j", 2)) {
            const char *v = a[2] && a[1] == 'j' ? a + 2 : i + 1 < argc ? argv[++i] : "";
            char *end;
            long n = strtol(v, &end, 10);
            if (!*v || *end || n < 1 || n > 256) {
                fprintf(stderr, "evx: %s needs a number of threads from 1 to 256, not '%s'\n%s", a, v, usage);
                return -1;
            }
            o->jobs = (int)n;
        } else if (a[0] == '-' && a[1] && strcmp(a, "--")) {
            fprintf(stderr, "evx: unknown option '%s'\n%s", a, usage);
            return -1;
        } else if (!strcmp(a, "--")) {
            for (i++; i < argc; i++)
                strlist_add(&o->paths, argv[i]);
        } else {
            strlist_add(&o->paths, a);
        }
    }
    return 0;
}

/* --- extract: process each input to a result, then emit results in input order --- */

/* Set by SIGINT/SIGTERM: the signal number. The loop stops before the next
 * input; a read waiting on a pipe is cut short. */
static volatile sig_atomic_t interrupted;

static void on_signal(int sig) { interrupted = sig; }

static void catch_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal; /* no SA_RESTART: a blocked read returns */
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
}

/* What one input came to: its record, its error object, or skipped. */
typedef struct {
    json_t *json;    /* the record or the error object; NULL when skipped */
    int is_error;
    evx_error error; /* when is_error */
    int skipped;     /* --resume found its output current */
    /* NDJSON to standard output: the line, made by the worker (render_line);
     * json is then kept only for the warnings it holds. */
    char *line;
    size_t line_len;
} input_result;

typedef struct {
    const options *o;
    fmt_kind kind;
    fmt_writer *w;  /* standard output */
    output_dir out; /* with -o */
    size_t inputs, records, errors, warnings, skipped;
    int stdout_failed;
} extract_run;

/* DIR/<stem>.<ext> of a record, or DIR/<stem>.error.json. */
static void out_name(const extract_run *r, const evx_input *in, int is_error, char *buf, size_t len)
{
    snprintf(buf, len, "%s.%s", in->stem, is_error ? "error.json" : fmt_ext(r->kind));
}

static size_t record_warnings(const json_t *rec) { return json_array_size(json_object_get(rec, "warnings")); }

/* NDJSON to standard output: the line is made in the worker, so that the
 * one thread that writes in input order only writes, and -j N scales. A
 * line that cannot be made (out of memory) is left to emit_result. */
static void render_line(const extract_run *r, input_result *res)
{
    if (r->o->out_dir || r->kind != FMT_NDJSON || !res->json)
        return;
    jsonout line = {0};
    if (jsonout_line(&line, res->json) < 0) {
        jsonout_free(&line);
        return;
    }
    res->line = line.data;
    res->line_len = line.len;
    if (res->is_error || !record_warnings(res->json)) {
        json_decref(res->json);
        res->json = NULL;
    }
}

/* Step 1, per input, no output: safe to run for different inputs side by
 * side, each with its own pipeline. */
static void process_input(const extract_run *r, pipeline *p, const evx_input *in, input_result *res)
{
    memset(res, 0, sizeof *res);
    char name[PATH_MAX];
    const char *path = in->path;
    if (r->o->out_dir && r->o->resume && !in->failed) {
        out_name(r, in, 0, name, sizeof name);
        if (output_is_current(&r->out, name, path)) {
            res->skipped = 1;
            return;
        }
    }
    if (in->failed)
        res->error = *in->failed;
    else if (pipeline_process(p, path, &res->json, &res->error) == 0)
        return;
    res->is_error = 1;
    res->json = emit_error(path, &res->error);
}

/* -o: the record in the chosen format, or the error object; then the
 * other verdict goes. A record that cannot be written becomes an error. */
static void write_file(extract_run *r, const evx_input *in, input_result *res)
{
    char name[PATH_MAX], other[PATH_MAX], note[512];
    evx_error werr;
    if (!res->is_error) {
        char *buf = NULL;
        size_t len = 0;
        int rc = fmt_render_file(r->kind, res->json, &buf, &len, note, sizeof note);
        out_name(r, in, 0, name, sizeof name);
        if (rc < 0)
            evx_error_set(&werr, EVX_E_write_failed, "%s", note);
        else if (rc > 0 && !r->o->quiet)
            fprintf(stderr, "evx: note: %s\n", note); /* written, but something left out */
        if (rc >= 0 && output_write(&r->out, name, buf, len, &werr) == 0) {
            free(buf);
            out_name(r, in, 1, other, sizeof other);
            output_remove(&r->out, other);
            return;
        }
        free(buf);
        res->is_error = 1;
        res->error = werr;
        json_decref(res->json);
        res->json = emit_error(in->path, &werr);
    }
    char *s = json_dumps(res->json, JSON_PRESERVE_ORDER | JSON_INDENT(2));
    size_t n = s ? strlen(s) : 0;
    char *text = s ? realloc(s, n + 2) : NULL;
    out_name(r, in, 1, name, sizeof name);
    if (text) {
        text[n++] = '\n';
        if (output_write(&r->out, name, text, n, &werr) == 0) {
            out_name(r, in, 0, other, sizeof other);
            output_remove(&r->out, other);
        }
    }
    free(text ? text : s);
}


/* Step 2, in input order: the output, the messages, the counts. Frees the
 * result. */
static void emit_result(extract_run *r, const evx_input *in, input_result *res)
{
    const options *o = r->o;
    r->inputs++;
    if (res->skipped) {
        r->skipped++;
        return;
    }
    if (o->out_dir) {
        write_file(r, in, res);
    } else if (!r->stdout_failed) {
        char note[512];
        int rc = 0;
        if (res->line && !res->is_error)
            rc = fmt_write_line(r->w, res->line, res->line_len);
        else if (res->line)
            rc = fwrite(res->line, 1, res->line_len, stdout) == res->line_len ? 0 : -1;
        else if (!res->is_error)
            rc = fmt_write(r->w, res->json, note, sizeof note);
        else if (r->kind == FMT_NDJSON) /* other formats cannot hold one; stderr and the exit status tell */
            rc = emit_ndjson(stdout, res->json);
        if (rc < 0)
            r->stdout_failed = errno ? errno : EIO;
        else if (rc > 0 && !o->quiet)
            fprintf(stderr, "evx: note: %s\n", note); /* written, but something left out */
    }
    const char *path = in->path;
    if (res->is_error) {
        r->errors++;
        if (!o->quiet)
            fprintf(stderr, "evx: %s: %s [%s]\n", path, res->error.message, evx_code_name(res->error.code));
    } else {
        r->records++;
        json_t *ws = json_object_get(res->json, "warnings");
        size_t n = record_warnings(res->json);
        r->warnings += n;
        for (size_t k = 0; k < n && !o->quiet; k++)
            fprintf(stderr, "evx: %s: warning: %s\n", path, json_string_value(json_array_get(ws, k)));
    }
    json_decref(res->json);
    res->json = NULL;
    free(res->line);
    res->line = NULL;
}

static void print_summary(const extract_run *r, size_t not_started)
{
    if (r->o->quiet)
        return;
    fprintf(stderr, "evx: %zu input(s), %zu record(s), %zu error(s), %zu warning(s)", r->inputs, r->records,
            r->errors, r->warnings);
    if (r->skipped)
        fprintf(stderr, ", %zu skipped (--resume: output already current)", r->skipped);
    if (interrupted)
        fprintf(stderr, "; interrupted by %s, %zu input(s) not started", interrupted == SIGINT ? "SIGINT" : "SIGTERM",
                not_started);
    fputc('\n', stderr);
}

/* The inputs of a run as they are walked: -o names each one (before
 * sharding, so that shards writing into one DIR agree on names), --shard
 * keeps its own. */
typedef struct {
    const options *o;
    inputs_walk *walk;
    stem_namer *stems; /* -o */
} input_source;

static int source_open(input_source *src, const options *o, int with_stems)
{
    *src = (input_source){.o = o, .walk = inputs_open(o->paths.items, o->paths.n)};
    if (with_stems)
        src->stems = stems_open();
    return src->walk && (!with_stems || src->stems) ? 0 : -1;
}

static void source_close(input_source *src)
{
    inputs_close(src->walk);
    stems_close(src->stems);
}

static int source_next(input_source *src, evx_input *in)
{
    const options *o = src->o;
    while (inputs_next(src->walk, in)) {
        if (src->stems)
            in->stem = stems_name(src->stems, in->path);
        if (o->shard.count <= 1 ||
            shard_of(shard_key(in->path, o->paths.items, o->paths.n), o->shard.count) == o->shard.index)
            return 1;
        inputs_clear(in);
    }
    return 0;
}

/* The number of inputs a walk from here still gives. */
static size_t source_count(input_source *src)
{
    size_t n = 0;
    evx_input in;
    for (; source_next(src, &in); n++)
        inputs_clear(&in);
    return n;
}

/* -j N: inputs are processed by N threads (batch.c), each with its own
 * pipeline_worker, and emitted here in input order, so the output does not
 * depend on N. The inputs in flight sit in a ring one claim ahead of the
 * window (batch.h). */
typedef struct {
    extract_run *r;
    pipeline *p;
    input_source src;
    evx_input *ring;
    size_t ring_size, claimed;
    progress pg;
} batch_ctx;

typedef struct {
    input_result res;
    size_t bytes; /* input size, for the progress line */
} batch_item;

static void *batch_worker_init(void *shared) { return pipeline_worker(((batch_ctx *)shared)->p); }
static void batch_worker_free(void *state) { pipeline_close(state); }

static batch_ctx *the_batch; /* work() gets the worker's state only */

static int batch_next(void *ctx, size_t i)
{
    batch_ctx *b = ctx;
    evx_input *in = &b->ring[i % b->ring_size];
    inputs_clear(in);
    if (!source_next(&b->src, in))
        return 0;
    b->claimed = i + 1;
    return 1;
}

static void *batch_work(void *state, size_t i)
{
    batch_item *it = malloc(sizeof *it);
    if (!it)
        return NULL;
    const evx_input *in = &the_batch->ring[i % the_batch->ring_size];
    process_input(the_batch->r, state, in, &it->res);
    render_line(the_batch->r, &it->res);
    struct stat st;
    it->bytes = the_batch->pg.out && !in->failed && stat(in->path, &st) == 0 ? (size_t)st.st_size : 0;
    return it;
}

static void batch_discard(void *result)
{
    batch_item *it = result;
    if (it) {
        json_decref(it->res.json);
        free(it->res.line);
    }
    free(it);
}

static int batch_emit(void *ctx, size_t i, void *result)
{
    batch_ctx *b = ctx;
    batch_item *it = result;
    if (!it) {
        fprintf(stderr, "evx: out of memory; stopped\n");
        return 1;
    }
    input_result *res = &it->res;
    if (interrupted && res->is_error && res->error.code == EVX_E_read_failed) { /* cut short, not failed */
        batch_discard(it);
        return 1;
    }
    if (!b->r->o->quiet && (res->is_error || record_warnings(res->json)))
        progress_clear(&b->pg); /* the message gets a line of its own */
    emit_result(b->r, &b->ring[i % b->ring_size], res);
    progress_step(&b->pg, it->bytes);
    free(it);
    return interrupted || b->r->stdout_failed;
}

/* Whether PATHS name files only: then their number bounds the inputs. */
static size_t files_only(const options *o)
{
    for (int i = 0; i < o->paths.n; i++) {
        struct stat st;
        if (strcmp(o->paths.items[i], "-") && stat(o->paths.items[i], &st) == 0 && S_ISDIR(st.st_mode))
            return 0;
    }
    return (size_t)o->paths.n;
}

/* Runs the batch; returns the number of inputs not started (interrupted). */
static size_t run_batch(extract_run *r, pipeline *p)
{
    const options *o = r->o;
    int jobs = o->jobs ? o->jobs : batch_cores();
    batch_ctx b = {.r = r, .p = p, .ring_size = 4 * (size_t)jobs + 2};
    b.ring = calloc(b.ring_size, sizeof *b.ring);
    if (!b.ring || source_open(&b.src, o, o->out_dir != NULL) < 0) {
        fprintf(stderr, "evx: out of memory listing the inputs; stopped\n");
        r->errors++;
        free(b.ring);
        source_close(&b.src);
        return 0;
    }
    size_t total = 0;
    if (!o->quiet && isatty(fileno(stderr))) { /* the progress line's total: a walk of its own */
        input_source count;
        if (source_open(&count, o, 0) == 0)
            total = source_count(&count);
        source_close(&count);
    }
    progress_start(&b.pg, stderr, total, !o->quiet);
    the_batch = &b;
    batch_spec spec = {.next = batch_next, .next_ctx = &b, .n_max = files_only(o), .jobs = jobs,
                       .window = 4 * (size_t)jobs, .shared = &b, .worker_init = batch_worker_init,
                       .worker_free = batch_worker_free, .work = batch_work, .emit = batch_emit, .emit_ctx = &b,
                       .discard = batch_discard};
    if (batch_run(&spec) < 0) {
        r->errors++;
        fprintf(stderr, "evx: cannot start the worker threads (out of memory?); stopped\n");
    }
    progress_clear(&b.pg);
    the_batch = NULL;
    size_t not_started = interrupted && !o->quiet ? b.claimed - r->inputs + source_count(&b.src) : 0;
    for (size_t k = 0; k < b.ring_size; k++)
        inputs_clear(&b.ring[k]);
    free(b.ring);
    source_close(&b.src);
    return not_started;
}

/* Whether JIT-compiling the rules pays on these inputs. It takes about as
 * long as the interpreter loses over 32 KB of text (README, "Speed"), so a
 * run over less (an announcement or a few) matches without it. Standard
 * input and whatever is not a regular file count as large. */
#define JIT_PAYS_FROM (32 * 1024)
/* ... and so does a run over many inputs, however small: the look ahead
 * stops there rather than walk a million empty files twice. */
#define JIT_PAYS_FROM_INPUTS 1000

static int jit_pays(const options *o)
{
    input_source src;
    off_t total = 0;
    int pays = 0;
    evx_input x;
    if (source_open(&src, o, 0) < 0) {
        source_close(&src);
        return 1;
    }
    for (size_t n = 0; !pays && total < JIT_PAYS_FROM && source_next(&src, &x); n++) {
        if (n == JIT_PAYS_FROM_INPUTS)
            pays = 1;
        struct stat st;
        if (!x.failed && (!strcmp(x.path, "-") || stat(x.path, &st) || !S_ISREG(st.st_mode)))
            pays = 1;
        else if (!x.failed)
            total += st.st_size;
        inputs_clear(&x);
    }
    source_close(&src);
    return pays || total >= JIT_PAYS_FROM;
}

static int run_extract(options *o)
{
    if (!o->paths.n) {
        fprintf(stderr, "evx: extract needs at least one PATH (use - for standard input)\n%s", usage);
        return EVX_EXIT_USAGE;
    }
    if (o->resume && !o->out_dir) {
        fprintf(stderr, "evx: --resume needs -o DIR (it skips inputs whose output there is current)\n%s", usage);
        return EVX_EXIT_USAGE;
    }
    extract_run r = {.o = o, .kind = FMT_NDJSON};
    if (o->format && fmt_parse(o->format, &r.kind) < 0) {
        fprintf(stderr, "evx: unknown --format '%s' (use %s)\n", o->format, fmt_names());
        return EVX_EXIT_USAGE;
    }
    evx_input_format in_fmt = EVX_INPUT_AUTO;
    if (o->input_format && html_parse_input_format(o->input_format, &in_fmt) < 0) {
        fprintf(stderr, "evx: unknown --input-format '%s' (use auto, text or html)\n", o->input_format);
        return EVX_EXIT_USAGE;
    }
    char err[PATH_MAX + 128];
    if (o->out_dir && output_open(&r.out, o->out_dir, err, sizeof err) < 0) {
        fprintf(stderr, "evx: %s\n", err);
        return EVX_EXIT_USAGE;
    }
    pipeline *p = pipeline_open(o->rules, o->schema);
    if (!p || pipeline_set_limits(p, &o->limits) < 0) {
        pipeline_close(p);
        if (o->out_dir)
            output_close(&r.out);
        return EVX_EXIT_USAGE;
    }
    catch_signals();
    pipeline_set_cancel(p, &interrupted);
    pipeline_set_input_format(p, in_fmt);
    r.w = o->out_dir ? NULL : fmt_open(r.kind, stdout, NULL); /* -o: nothing goes to stdout */
    /* $EVX_NO_JIT: 1 never JIT-compiles (valgrind; the interpreter's limits), 0 always does. */
    const char *nojit = getenv("EVX_NO_JIT");
    pipeline_set_jit(p, nojit && *nojit ? !strcmp(nojit, "0") : jit_pays(o));
    size_t not_started = run_batch(&r, p);
    if (fmt_close(r.w, err, sizeof err) < 0 && !r.stdout_failed)
        r.stdout_failed = EIO;
    if (fflush(stdout) != 0 && !r.stdout_failed)
        r.stdout_failed = errno ? errno : EIO;
    if (r.stdout_failed)
        fprintf(stderr, "evx: standard output: write error: %s; stopped\n", strerror(r.stdout_failed));
    print_summary(&r, not_started);
    int failed = r.errors || r.stdout_failed;
    pipeline_close(p);
    if (o->out_dir)
        output_close(&r.out);
    if (interrupted)
        return 128 + interrupted;
    return failed ? EVX_EXIT_INPUT : EVX_EXIT_OK;
}

/* lint, coverage and explain (toolkit.c); they need no schema. */
static int run_toolkit(const char *cmd, const char *sub, options *o)
{
    if (!strcmp(sub, "lint")) {
        if (o->paths.n) {
            fprintf(stderr, "evx: rules lint takes no arguments (use --rules DIR)\n%s", usage);
            return EVX_EXIT_USAGE;
        }
        return tk_lint(o->rules, stdout);
    }
    if (!o->paths.n || (!strcmp(cmd, "explain") && o->paths.n != 1)) {
        fprintf(stderr, "evx: %s needs %s\n%s", *sub ? "rules coverage" : cmd,
                *sub || strcmp(cmd, "explain") ? "at least one PATH" : "exactly one FILE", usage);
        return EVX_EXIT_USAGE;
    }
    if (!strcmp(cmd, "explain"))
        return tk_explain(o->rules, o->paths.items[0], o->json, isatty(fileno(stdout)), stdout);
    inputs_walk *walk = inputs_open(o->paths.items, o->paths.n);
    strlist files = {0};
    int bad = !walk;
    evx_input x;
    while (walk && inputs_next(walk, &x)) {
        if (x.failed) {
            fprintf(stderr, "evx: %s: %s\n", x.path, x.failed->message);
            bad = 1;
        } else {
            strlist_add(&files, x.path);
        }
        inputs_clear(&x);
    }
    inputs_close(walk);
    int rc = !strcmp(cmd, "bench-rules") ? bench_rules(o->rules, files.items, files.n, o->per_rule, o->json, stdout)
                                         : tk_coverage(o->rules, files.items, files.n, stdout);
    strlist_free(&files);
    return rc ? rc : bad ? EVX_EXIT_INPUT : EVX_EXIT_OK;
}

int cli_main(int argc, char **argv)
{
    options o = {.limits = EVX_LIMITS_DEFAULT};
    char rules_buf[PATH_MAX], schema_buf[PATH_MAX];
    if (argc < 2) {
        fputs(usage, stderr);
        return EVX_EXIT_USAGE;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
        fputs(usage, stdout);
        return EVX_EXIT_OK;
    }
    if (!strcmp(argv[1], "--version")) {
        printf("evx %s (record schema %s)\n", EVX_VERSION, EVX_SCHEMA_VERSION);
        return EVX_EXIT_OK;
    }
    int rc;
    int is_rules = !strcmp(argv[1], "rules");
    const char *sub = is_rules && argc > 2 ? argv[2] : "";
    if (strcmp(argv[1], "extract") && strcmp(argv[1], "explain") && strcmp(argv[1], "bench-rules") &&
        !(is_rules && (!strcmp(sub, "test") || !strcmp(sub, "lint") || !strcmp(sub, "coverage")))) {
        fprintf(stderr, "evx: unknown command '%s'\n%s", argv[1], usage);
        return EVX_EXIT_USAGE;
    }
    if (parse(argc, argv, is_rules ? 3 : 2, &o) < 0) {
        strlist_free(&o.paths);
        return EVX_EXIT_USAGE;
    }
    if (o.shard.count && strcmp(argv[1], "extract")) { /* would be silently ignored */
        fprintf(stderr, "evx: --shard applies to extract only\n%s", usage);
        strlist_free(&o.paths);
        return EVX_EXIT_USAGE;
    }
    if (!o.rules)
        o.rules = default_path("EVX_RULES", "rules", EVX_DEFAULT_RULES, EVX_INSTALLED_RULES, rules_buf,
                               sizeof rules_buf);
    if (!o.schema)
        o.schema = default_path("EVX_SCHEMA", "schema/evx-record.schema.json", EVX_SCHEMA_PATH,
                                EVX_INSTALLED_SCHEMA, schema_buf, sizeof schema_buf);
    if (!strcmp(sub, "lint") || !strcmp(sub, "coverage") || !strcmp(argv[1], "explain") ||
        !strcmp(argv[1], "bench-rules")) {
        rc = run_toolkit(argv[1], sub, &o);
    } else if (is_rules) {
        pipeline *p = pipeline_open(o.rules, o.schema);
        if (p) /* a line of text per example: the JIT would not pay (jit_pays) */
            pipeline_set_jit(p, 0);
        rc = !p ? EVX_EXIT_USAGE : pipeline_selftest(p, o.paths.items, o.paths.n) ? EVX_EXIT_INPUT : EVX_EXIT_OK;
        pipeline_close(p);
    } else {
        rc = run_extract(&o);
    }
    strlist_free(&o.paths);
    return rc;
}
