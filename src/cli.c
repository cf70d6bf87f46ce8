/* cli.c - options, usage, input listing and the extract loop. */
#include "cli.h"
#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "emit.h"
#include "formats.h"
#include "pipeline.h"
#include "shard.h"
#include "toolkit.h"

static const char usage[] =
    "usage: evx extract [-o DIR] [--format FMT] [--rules DIR] [--schema FILE] [--shard I/N] [-q] PATH...\n"
    "       evx rules test [--rules DIR] [RULE...]\n"
    "       evx rules lint [--rules DIR]\n"
    "       evx rules coverage [--rules DIR] PATH...\n"
    "       evx explain [--rules DIR] [--json] FILE\n"
    "       evx --help | --version\n"
    "\n"
    "Turns Swedish event announcements into JSON records (one per input).\n"
    "\n"
    "extract   PATH is a file, a folder (every *.txt below it, in sorted order)\n"
    "          or - for standard input. Records go to standard output as NDJSON,\n"
    "          in input order, unless -o is given.\n"
    "  -o, --output DIR   write DIR/<name>.<ext> per input (atomically)\n"
    "  --format FMT       ndjson (default; one record per line), json (pretty;\n"
    "                     an array on standard output), jsonld (schema.org\n"
    "                     Event), ics (iCalendar), csv (a row per occurrence)\n"
    "  --rules DIR        rule folder (default: $EVX_RULES, else the shipped rules/)\n"
    "  --schema FILE      record schema (default: the shipped schema)\n"
    "  --shard I/N        only the inputs of shard I of N (1 <= I <= N): a fixed\n"
    "                     split by each input's path below its PATH, the same on\n"
    "                     every machine; shards 1..N together are the whole\n"
    "  -q, --quiet        no summary on standard error\n"
    "rules test          run the inline examples of every rule (or the named ones)\n"
    "rules lint          check every rule file; file:line:col: error|warning: ...\n"
    "                    (exit 1 on any error)\n"
    "rules coverage      how often each rule fired over PATH..., which never did\n"
    "explain   why FILE's record came out as it did: matches, losers, record\n"
    "  --json             one JSON document instead of the annotated text\n"
    "\n"
    "Exit status: 0 every input gave a record; 1 some inputs failed (each is\n"
    "reported on standard error); 2 usage error or unusable rules/schema.\n";

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

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static int has_suffix(const char *s, const char *suf)
{
    size_t a = strlen(s), b = strlen(suf);
    return a >= b && !strcmp(s + a - b, suf);
}

/* Every *.txt below dir, sorted by name at each level. Symlinked folders are
 * not followed, so a link loop cannot trap the walk. */
static int list_dir(const char *dir, strlist *out, int depth)
{
    DIR *d = opendir(dir);
    if (!d) {
        fprintf(stderr, "evx: %s: cannot open folder: %s\n", dir, strerror(errno));
        return -1;
    }
    strlist names = {0};
    struct dirent *e;
    while ((e = readdir(d)))
        if (e->d_name[0] != '.')
            strlist_add(&names, e->d_name);
    closedir(d);
    qsort(names.items, (size_t)names.n, sizeof(char *), cmp_str);
    int rc = 0;
    for (int i = 0; i < names.n; i++) {
        char path[PATH_MAX];
        snprintf(path, sizeof path, "%s/%s", dir, names.items[i]);
        struct stat st;
        if (lstat(path, &st) != 0)
            continue;
        if (S_ISDIR(st.st_mode) && depth < 64)
            rc |= list_dir(path, out, depth + 1);
        else if (has_suffix(names.items[i], ".txt") && (S_ISREG(st.st_mode) || S_ISLNK(st.st_mode)))
            strlist_add(out, path);
    }
    strlist_free(&names);
    return rc;
}

static int list_inputs(char **paths, int n, strlist *out)
{
    int rc = 0;
    for (int i = 0; i < n; i++) {
        struct stat st;
        if (strcmp(paths[i], "-") && stat(paths[i], &st) == 0 && S_ISDIR(st.st_mode)) {
            char dir[PATH_MAX];
            snprintf(dir, sizeof dir, "%s", paths[i]);
            size_t l = strlen(dir);
            while (l > 1 && dir[l - 1] == '/')
                dir[--l] = '\0';
            rc |= list_dir(dir, out, 0);
        } else {
            strlist_add(out, paths[i]); /* a missing file is reported when read */
        }
    }
    return rc;
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
    strlist paths; /* inputs, or rule names for `rules test` */
} options;

static int parse(int argc, char **argv, int first, options *o)
{
    for (int i = first; i < argc; i++) {
        const char *a = argv[i];
        if ((!strcmp(a, "-o") || !strcmp(a, "--output") || !strcmp(a, "--rules") || !strcmp(a, "--schema") ||
             !strcmp(a, "--format"))) {
            if (i + 1 >= argc) {
                fprintf(stderr, "evx: %s needs an argument\n%s", a, usage);
                return -1;
            }
            const char *v = argv[++i];
            if (!strcmp(a, "--rules"))
                o->rules = v;
            else if (!strcmp(a, "--schema"))
                o->schema = v;
            else if (!strcmp(a, "--format"))
                o->format = v;
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

static int run_extract(options *o)
{
    if (!o->paths.n) {
        fprintf(stderr, "evx: extract needs at least one PATH (use - for standard input)\n%s", usage);
        return EVX_EXIT_USAGE;
    }
    if (o->out_dir) {
        struct stat st;
        if (stat(o->out_dir, &st) != 0 && mkdir(o->out_dir, 0755) != 0) {
            fprintf(stderr, "evx: %s: cannot create output folder: %s\n", o->out_dir, strerror(errno));
            return EVX_EXIT_USAGE;
        }
    }
    fmt_kind kind = FMT_NDJSON;
    if (o->format && fmt_parse(o->format, &kind) < 0) {
        fprintf(stderr, "evx: unknown --format '%s' (use %s)\n", o->format, fmt_names());
        return EVX_EXIT_USAGE;
    }
    pipeline *p = pipeline_open(o->rules, o->schema);
    if (!p)
        return EVX_EXIT_USAGE;
    fmt_writer *w = fmt_open(kind, stdout, o->out_dir);
    strlist inputs = {0};
    int failed = list_inputs(o->paths.items, o->paths.n, &inputs) ? 1 : 0, ok = 0;
    shard_filter(&o->shard, o->paths.items, o->paths.n, inputs.items, &inputs.n);
    for (int i = 0; i < inputs.n; i++) {
        json_t *rec = NULL;
        char err[1024];
        int rc = pipeline_process(p, inputs.items[i], &rec, err, sizeof err);
        if (rc == 0 && (rc = fmt_write(w, rec, err, sizeof err)) > 0) {
            fprintf(stderr, "evx: note: %s\n", err); /* written, but something left out */
            rc = 0;
        }
        json_decref(rec);
        if (rc < 0) {
            fprintf(stderr, "evx: %s\n", err);
            failed++;
        } else {
            ok++;
        }
    }
    char err[256];
    if (fmt_close(w, err, sizeof err) < 0)
        fprintf(stderr, "evx: %s\n", err);
    if (fflush(stdout) != 0)
        failed++;
    if (!o->quiet && (failed || o->out_dir))
        fprintf(stderr, "evx: %d input(s), %d record(s), %d failed\n", inputs.n, ok, failed);
    strlist_free(&inputs);
    pipeline_close(p);
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
                *sub ? "at least one PATH" : "exactly one FILE", usage);
        return EVX_EXIT_USAGE;
    }
    if (!strcmp(cmd, "explain"))
        return tk_explain(o->rules, o->paths.items[0], o->json, isatty(fileno(stdout)), stdout);
    strlist inputs = {0};
    int bad = list_inputs(o->paths.items, o->paths.n, &inputs);
    int rc = tk_coverage(o->rules, inputs.items, inputs.n, stdout);
    strlist_free(&inputs);
    return rc ? rc : bad ? EVX_EXIT_INPUT : EVX_EXIT_OK;
}

int cli_main(int argc, char **argv)
{
    options o = {0};
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
    if (strcmp(argv[1], "extract") && strcmp(argv[1], "explain") &&
        !(is_rules && (!strcmp(sub, "test") || !strcmp(sub, "lint") || !strcmp(sub, "coverage")))) {
        fprintf(stderr, "evx: unknown command '%s'\n%s", argv[1], usage);
        return EVX_EXIT_USAGE;
    }
    if (parse(argc, argv, is_rules ? 3 : 2, &o) < 0) {
        strlist_free(&o.paths);
        return EVX_EXIT_USAGE;
    }
    if (!o.rules)
        o.rules = default_path("EVX_RULES", "rules", EVX_DEFAULT_RULES, EVX_INSTALLED_RULES, rules_buf,
                               sizeof rules_buf);
    if (!o.schema)
        o.schema = default_path("EVX_SCHEMA", "schema/evx-record.schema.json", EVX_SCHEMA_PATH,
                                EVX_INSTALLED_SCHEMA, schema_buf, sizeof schema_buf);
    if (!strcmp(sub, "lint") || !strcmp(sub, "coverage") || !strcmp(argv[1], "explain")) {
        rc = run_toolkit(argv[1], sub, &o);
    } else if (is_rules) {
        pipeline *p = pipeline_open(o.rules, o.schema);
        rc = !p ? EVX_EXIT_USAGE : pipeline_selftest(p, o.paths.items, o.paths.n) ? EVX_EXIT_INPUT : EVX_EXIT_OK;
        pipeline_close(p);
    } else {
        rc = run_extract(&o);
    }
    strlist_free(&o.paths);
    return rc;
}
