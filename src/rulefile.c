/* rulefile.c - lexer and parser for rules/ (see rules/README.md). */
#include "rulefile.h"
#include <pthread.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/ucasemap.h>

#define GROW(arr, n) ((arr) = realloc((arr), sizeof(*(arr)) * (size_t)((n) + 1)))

static char *dupn(const char *s, size_t n)
{
    char *p = malloc(n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

/* One case map for the process, opened once even when threads look up
 * tables at the same time (`evx extract -j N`); using it is read-only. */
static UCaseMap *case_map;
static pthread_once_t case_map_once = PTHREAD_ONCE_INIT;

static void open_case_map(void)
{
    UErrorCode st = U_ZERO_ERROR;
    case_map = ucasemap_open("sv", 0, &st);
}

/* Lower-cases UTF-8 with ICU so that "MAJ" and "Maj" find "maj". */
static char *lower_utf8(const char *s)
{
    pthread_once(&case_map_once, open_case_map);
    UCaseMap *map = case_map;
    UErrorCode st = U_ZERO_ERROR;
    size_t n = strlen(s);
    char *out = malloc(2 * n + 4);
    if (!map) {
        memcpy(out, s, n + 1);
        return out;
    }
    st = U_ZERO_ERROR;
    int32_t len = ucasemap_utf8ToLower(map, out, (int32_t)(2 * n + 4), s, (int32_t)n, &st);
    if (U_FAILURE(st)) {
        memcpy(out, s, n + 1);
        return out;
    }
    out[len] = '\0';
    return out;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted list of DIR entries ending in `suffix`; sorted so loading order,
 * and with it rule order and error order, never depends on the file system. */
static int list_files(const char *dir, const char *suffix, char ***out)
{
    DIR *d = opendir(dir);
    int n = 0;
    *out = NULL;
    if (!d)
        return -1;
    struct dirent *e;
    size_t sl = strlen(suffix);
    while ((e = readdir(d))) {
        size_t l = strlen(e->d_name);
        if (e->d_name[0] == '.' || l <= sl || strcmp(e->d_name + l - sl, suffix))
            continue;
        GROW(*out, n);
        (*out)[n++] = strdup(e->d_name);
    }
    closedir(d);
    if (n > 1) /* *out is NULL when nothing matched: qsort(NULL) is UB */
        qsort(*out, (size_t)n, sizeof(char *), cmp_names);
    return n;
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, n = 0, r;
    char *buf = malloc(cap);
    while ((r = fread(buf + n, 1, cap - n - 1, f)) > 0) {
        n += r;
        if (cap - n < 2)
            buf = realloc(buf, cap *= 2);
    }
    fclose(f);
    buf[n] = '\0';
    *len = n;
    return buf;
}

static const char *remember_file(rf_set *set, const char *path)
{
    GROW(set->files, set->nfiles);
    set->files[set->nfiles] = strdup(path);
    return set->files[set->nfiles++];
}

/* A NUL byte would silently cut the file short (lines are C strings), so
 * it is an error at its line and column instead. */
static int has_nul(const char *buf, size_t len, const char *file, diag_sink *d)
{
    const char *z = memchr(buf, '\0', len);
    if (!z)
        return 0;
    int line = 1;
    const char *bol = buf;
    for (const char *p = buf; p < z; p++)
        if (*p == '\n') {
            line++;
            bol = p + 1;
        }
    diag_error(d, file, line, (int)(z - bol) + 1, "NUL byte in a text file (is it binary?)");
    return 1;
}

/* ---- tables -------------------------------------------------------- */

/* The text of one table, NUL-terminated and writable (lines are cut in
 * place). `file` is already remembered in set. */
static void parse_table(rf_set *set, const char *file, const char *stem, char *buf, diag_sink *d)
{
    GROW(set->tables, set->ntables);
    rf_table *t = &set->tables[set->ntables++];
    memset(t, 0, sizeof *t);
    t->name = strdup(stem);
    t->pos = (rf_pos){file, 1, 1};
    int lineno = 0;
    for (char *line = buf, *next; line && *line; line = next) {
        lineno++;
        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        size_t l = strlen(line);
        if (l && line[l - 1] == '\r')
            line[--l] = '\0';
        if (!l || line[0] == '#')
            continue;
        char *tab = strchr(line, '\t');
        if (!tab || tab == line || !tab[1]) {
            diag_error(d, file, lineno, 1, "expected 'surface<TAB>value' in table '%s'", stem);
            continue;
        }
        *tab = '\0';
        GROW(t->keys, t->n);
        GROW(t->values, t->n);
        t->keys[t->n] = lower_utf8(line);
        t->values[t->n] = strdup(tab + 1);
        t->n++;
    }
}

static void load_table(rf_set *set, const char *path, const char *stem, diag_sink *d)
{
    size_t len;
    char *buf = slurp(path, &len);
    const char *file = remember_file(set, path);
    if (!buf) {
        diag_error(d, file, 0, 0, "cannot read table: %s", strerror(errno));
        return;
    }
    if (!has_nul(buf, len, file, d))
        parse_table(set, file, stem, buf, d);
    free(buf);
}

const rf_table *rf_find_table(const rf_set *set, const char *name)
{
    for (int i = 0; i < set->ntables; i++)
        if (!strcmp(set->tables[i].name, name))
            return &set->tables[i];
    return NULL;
}

const char *rf_table_lookup(const rf_table *t, const char *surface)
{
    char *low = lower_utf8(surface);
    const char *hit = NULL;
    for (int i = 0; i < t->n && !hit; i++)
        if (!strcmp(t->keys[i], low))
            hit = t->values[i];
    free(low);
    return hit;
}

/* ---- rule files ---------------------------------------------------- */

typedef struct {
    rf_set *set;
    diag_sink *d;
    const char *file;
    const char *stem;
    int line;
    rf_rule *rule; /* the open rule block, or NULL */
} parser;

static int is_word(int c) { return isalnum(c) || c == '_' || c == '.' || c == '-'; }

static const char *skip_ws(const char *p)
{
    while (*p == ' ' || *p == '\t')
        p++;
    return p;
}

/* Reads a "quoted string" at *pp with \n \t \" \\ escapes. */
static char *read_quoted(parser *ps, const char *line, const char **pp)
{
    const char *p = *pp;
    if (*p != '"') {
        diag_error(ps->d, ps->file, ps->line, (int)(p - line) + 1, "expected a quoted string");
        return NULL;
    }
    size_t cap = strlen(p) + 1, n = 0;
    char *out = malloc(cap);
    for (p++; *p && *p != '"'; p++) {
        if (*p == '\\' && p[1]) {
            p++;
            out[n++] = *p == 'n' ? '\n' : *p == 't' ? '\t' : *p;
        } else {
            out[n++] = *p;
        }
    }
    if (*p != '"') {
        diag_error(ps->d, ps->file, ps->line, (int)(*pp - line) + 1, "unterminated string");
        free(out);
        return NULL;
    }
    out[n] = '\0';
    *pp = p + 1;
    return out;
}

static void free_pairs(rf_pair *p, int n)
{
    for (int i = 0; i < n; i++) {
        free(p[i].key);
        free(p[i].value);
    }
    free(p);
}

/* Parses "k=v k2=v2" (values may be "quoted"). Returns count, -1 on error. */
static int read_pairs(parser *ps, const char *line, const char *p, rf_pair **out)
{
    int n = 0;
    *out = NULL;
    for (p = skip_ws(p); *p; p = skip_ws(p)) {
        const char *k = p;
        while (is_word((unsigned char)*p))
            p++;
        if (p == k || *p != '=') {
            diag_error(ps->d, ps->file, ps->line, (int)(k - line) + 1, "expected key=value");
            free_pairs(*out, n); /* the pairs before the bad one would leak */
            *out = NULL;
            return -1;
        }
        char *key = dupn(k, (size_t)(p - k)), *val;
        p++;
        if (*p == '"') {
            val = read_quoted(ps, line, &p);
            if (!val) {
                free(key);
                free_pairs(*out, n);
                *out = NULL;
                return -1;
            }
        } else {
            const char *v = p;
            while (*p && *p != ' ' && *p != '\t')
                p++;
            val = dupn(v, (size_t)(p - v));
        }
        GROW(*out, n);
        (*out)[n++] = (rf_pair){key, val};
    }
    return n;
}

static void parse_example(parser *ps, const char *line, const char *p, int must_match)
{
    rf_rule *r = ps->rule;
    rf_example ex = {0};
    ex.must_match = must_match;
    ex.pos = (rf_pos){ps->file, ps->line, (int)(p - line) + 1};
    ex.input = read_quoted(ps, line, &p);
    if (!ex.input)
        return;
    p = skip_ws(p);
    if (must_match && p[0] == '=' && p[1] == '>') {
        ex.nexpect = read_pairs(ps, line, p + 2, &ex.expect);
        if (ex.nexpect < 0) {
            free(ex.input);
            return;
        }
    } else if (*p) {
        diag_error(ps->d, ps->file, ps->line, (int)(p - line) + 1,
                   must_match ? "expected '=> key=value ...' or end of line after the example"
                              : "unexpected text after the rejected input");
    }
    GROW(r->examples, r->nexamples);
    r->examples[r->nexamples++] = ex;
}

static void parse_rule_line(parser *ps, const char *line, const char *p)
{
    rf_rule *r = ps->rule;
    const char *kw = p;
    while (isalpha((unsigned char)*p))
        p++;
    size_t kl = (size_t)(p - kw);
    const char *arg = skip_ws(p);
    int col = (int)(arg - line) + 1;
#define KW(s) (kl == sizeof(s) - 1 && !strncmp(kw, s, kl))
    if (KW("field")) {
        free(r->field);
        r->field = strdup(arg);
        r->field_pos = (rf_pos){ps->file, ps->line, col};
    } else if (KW("priority")) {
        char *end;
        long v = strtol(arg, &end, 10);
        if (end == arg || *skip_ws(end))
            diag_error(ps->d, ps->file, ps->line, col, "priority must be an integer");
        r->priority = (int)v;
    } else if (KW("head")) {
        char *end;
        long v = strtol(arg, &end, 10);
        if (end == arg || *skip_ws(end) || v < 1 || v > 10000)
            diag_error(ps->d, ps->file, ps->line, col, "head must be a number of lines from 1 to 10000");
        else
            r->head = (int)v;
    } else if (KW("case")) {
        if (strcmp(arg, "sensitive"))
            diag_error(ps->d, ps->file, ps->line, col, "expected 'case sensitive'");
        r->case_sensitive = 1;
    } else if (KW("set")) {
        rf_pair *pairs;
        int n = read_pairs(ps, line, arg, &pairs);
        for (int i = 0; i < n; i++) {
            GROW(r->sets, r->nsets);
            r->sets[r->nsets++] = pairs[i];
        }
        free(pairs);
    } else if (KW("match")) {
        if (r->match)
            diag_error(ps->d, ps->file, ps->line, col, "rule '%s' already has a pattern", r->name);
        else if (!*arg)
            diag_error(ps->d, ps->file, ps->line, col, "empty pattern");
        else {
            r->match = strdup(arg);
            r->match_pos = (rf_pos){ps->file, ps->line, col};
        }
    } else if (KW("example")) {
        parse_example(ps, line, arg, 1);
    } else if (KW("reject")) {
        parse_example(ps, line, arg, 0);
    } else {
        diag_error(ps->d, ps->file, ps->line, (int)(kw - line) + 1,
                   "unknown keyword '%.*s' (expected field, priority, head, case, set, match, example or reject)",
                   (int)kl, kw);
    }
#undef KW
}

static void close_rule(parser *ps)
{
    rf_rule *r = ps->rule;
    if (!r)
        return;
    if (!r->match)
        diag_error(ps->d, r->pos.file, r->pos.line, r->pos.col, "rule '%s' has no 'match' line", r->name);
    if (!r->field)
        diag_error(ps->d, r->pos.file, r->pos.line, r->pos.col, "rule '%s' has no 'field' line", r->name);
    ps->rule = NULL;
}

static void parse_line(parser *ps, const char *line)
{
    const char *p = skip_ws(line);
    if (!*p || *p == '#')
        return;
    int indented = p != line;
    if (indented && ps->rule) {
        parse_rule_line(ps, line, p);
        return;
    }
    close_rule(ps);
    const char *kw = p;
    while (isalpha((unsigned char)*p))
        p++;
    size_t kl = (size_t)(p - kw);
    p = skip_ws(p);
    const char *name = p;
    while (is_word((unsigned char)*p))
        p++;
    size_t nl = (size_t)(p - name);
    int name_col = (int)(name - line) + 1;
    if (kl == 4 && !strncmp(kw, "rule", 4)) {
        if (!nl || *skip_ws(p)) {
            diag_error(ps->d, ps->file, ps->line, name_col, "expected 'rule NAME'");
            return;
        }
        rf_set *set = ps->set;
        GROW(set->rules, set->nrules);
        rf_rule *r = &set->rules[set->nrules++];
        memset(r, 0, sizeof *r);
        size_t full = strlen(ps->stem) + 1 + nl + 1;
        r->name = malloc(full);
        snprintf(r->name, full, "%s/%.*s", ps->stem, (int)nl, name);
        r->pos = (rf_pos){ps->file, ps->line, name_col};
        for (int i = 0; i < set->nrules - 1; i++)
            if (!strcmp(set->rules[i].name, r->name))
                diag_error(ps->d, ps->file, ps->line, name_col,
                           "duplicate rule name '%s' (first at %s:%d)", r->name,
                           set->rules[i].pos.file, set->rules[i].pos.line);
        ps->rule = r;
    } else if (kl == 6 && !strncmp(kw, "define", 6)) {
        const char *eq = skip_ws(p);
        if (!nl || *eq != '=') {
            diag_error(ps->d, ps->file, ps->line, (int)(eq - line) + 1, "expected 'define NAME = PATTERN'");
            return;
        }
        const char *body = skip_ws(eq + 1);
        rf_set *set = ps->set;
        for (int i = 0; i < set->ndefines; i++)
            if (strlen(set->defines[i].name) == nl && !strncmp(set->defines[i].name, name, nl))
                diag_error(ps->d, ps->file, ps->line, name_col, "'%.*s' is defined twice (first at %s:%d)",
                           (int)nl, name, set->defines[i].pos.file, set->defines[i].pos.line);
        GROW(set->defines, set->ndefines);
        rf_define *def = &set->defines[set->ndefines++];
        def->name = dupn(name, nl);
        def->body = strdup(body);
        def->pos = (rf_pos){ps->file, ps->line, name_col};
        def->body_pos = (rf_pos){ps->file, ps->line, (int)(body - line) + 1};
        if (!*body)
            diag_error(ps->d, ps->file, ps->line, def->body_pos.col, "empty pattern for '%s'", def->name);
    } else if (kl == 4 && !strncmp(kw, "gate", 4)) {
        if (!nl || *skip_ws(p)) {
            diag_error(ps->d, ps->file, ps->line, nl ? (int)(skip_ws(p) - line) + 1 : name_col,
                       "expected 'gate NAME' (NAME: a define)");
            return;
        }
        rf_set *set = ps->set;
        for (int i = 0; i < set->ngates; i++)
            if (strlen(set->gates[i].name) == nl && !strncmp(set->gates[i].name, name, nl))
                diag_error(ps->d, ps->file, ps->line, name_col, "'gate %.*s' is written twice (first at %s:%d)",
                           (int)nl, name, set->gates[i].pos.file, set->gates[i].pos.line);
        GROW(set->gates, set->ngates);
        set->gates[set->ngates++] = (rf_gate){dupn(name, nl), {ps->file, ps->line, name_col}};
    } else if (indented) {
        diag_error(ps->d, ps->file, ps->line, (int)(kw - line) + 1, "indented line outside a rule block");
    } else {
        diag_error(ps->d, ps->file, ps->line, (int)(kw - line) + 1,
                   "expected 'rule NAME', 'define NAME = PATTERN' or 'gate NAME'");
    }
}

static void parse_rule_text(rf_set *set, const char *file, const char *stem, char *buf, diag_sink *d)
{
    parser ps = {set, d, file, stem, 0, NULL};
    for (char *line = buf, *next; line && *line; line = next) {
        ps.line++;
        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        size_t l = strlen(line);
        while (l && (line[l - 1] == '\r' || line[l - 1] == ' ' || line[l - 1] == '\t'))
            line[--l] = '\0';
        parse_line(&ps, line);
    }
    close_rule(&ps);
}

static void load_rule_file(rf_set *set, const char *path, const char *stem, diag_sink *d)
{
    size_t len;
    char *buf = slurp(path, &len);
    const char *file = remember_file(set, path);
    if (!buf) {
        diag_error(d, file, 0, 0, "cannot read rule file: %s", strerror(errno));
        return;
    }
    if (!has_nul(buf, len, file, d))
        parse_rule_text(set, file, stem, buf, d);
    free(buf);
}

/* The in-memory twins of load_table and load_rule_file (fuzz/, tests). */
static int parse_buffer(rf_set *set, const char *name, const char *stem, const char *text,
                        size_t len, diag_sink *d, int table)
{
    int before = d->errors;
    const char *file = remember_file(set, name);
    if (has_nul(text, len, file, d))
        return d->errors - before;
    char *buf = dupn(text, len);
    if (table)
        parse_table(set, file, stem, buf, d);
    else
        parse_rule_text(set, file, stem, buf, d);
    free(buf);
    return d->errors - before;
}

int rf_parse_rules(rf_set *set, const char *name, const char *stem, const char *text, size_t len,
                   diag_sink *d)
{
    return parse_buffer(set, name, stem, text, len, d, 0);
}

int rf_parse_table(rf_set *set, const char *name, const char *stem, const char *text, size_t len,
                   diag_sink *d)
{
    return parse_buffer(set, name, stem, text, len, d, 1);
}

static char *join(const char *a, const char *b, const char *c)
{
    size_t n = strlen(a) + strlen(b) + strlen(c) + 1;
    char *s = malloc(n);
    snprintf(s, n, "%s%s%s", a, b, c);
    return s;
}

int rf_load_dir(const char *dir, rf_set *set, diag_sink *d)
{
    memset(set, 0, sizeof *set);
    int before = d->errors;
    char **names;
    char *tdir = join(dir, "/", "tables");
    int n = list_files(tdir, ".tsv", &names);
    for (int i = 0; i < n; i++) {
        char *path = join(tdir, "/", names[i]);
        names[i][strlen(names[i]) - 4] = '\0';
        load_table(set, path, names[i], d);
        free(path);
        free(names[i]);
    }
    free(names);
    free(tdir);
    n = list_files(dir, ".rules", &names);
    if (n < 0)
        diag_error(d, dir, 0, 0, "cannot open rules folder: %s (use --rules DIR)", strerror(errno));
    else if (n == 0)
        diag_error(d, dir, 0, 0, "no *.rules files in the rules folder");
    for (int i = 0; i < n; i++) {
        char *path = join(dir, "/", names[i]);
        names[i][strlen(names[i]) - 6] = '\0';
        load_rule_file(set, path, names[i], d);
        free(path);
        free(names[i]);
    }
    free(names);
    return d->errors - before;
}

void rf_set_free(rf_set *set)
{
    if (!set)
        return;
    for (int i = 0; i < set->nrules; i++) {
        rf_rule *r = &set->rules[i];
        free(r->name);
        free(r->field);
        free(r->match);
        free_pairs(r->sets, r->nsets);
        for (int j = 0; j < r->nexamples; j++) {
            free(r->examples[j].input);
            free_pairs(r->examples[j].expect, r->examples[j].nexpect);
        }
        free(r->examples);
    }
    free(set->rules);
    for (int i = 0; i < set->ndefines; i++) {
        free(set->defines[i].name);
        free(set->defines[i].body);
    }
    free(set->defines);
    for (int i = 0; i < set->ngates; i++)
        free(set->gates[i].name);
    free(set->gates);
    for (int i = 0; i < set->ntables; i++) {
        rf_table *t = &set->tables[i];
        for (int j = 0; j < t->n; j++) {
            free(t->keys[j]);
            free(t->values[j]);
        }
        free(t->keys);
        free(t->values);
        free(t->name);
    }
    free(set->tables);
    for (int i = 0; i < set->nfiles; i++)
        free(set->files[i]);
    free(set->files);
    memset(set, 0, sizeof *set);
}
