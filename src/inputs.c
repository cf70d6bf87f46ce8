/* inputs.c - walking the inputs and naming their outputs. */
#include "inputs.h"
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "html.h"
#include "output.h"

#define MAX_DEPTH 64

static void *must(void *p)
{
    if (!p) {
        fputs("evx: out of memory listing inputs\n", stderr);
        abort();
    }
    return p;
}

/* A folder the walk is inside: its sorted names and the next one to look at. */
typedef struct {
    char *dir;
    char **names;
    size_t n, next;
} folder;

struct inputs_walk {
    char *const *paths;
    int npaths, next_path;
    folder stack[MAX_DEPTH + 1];
    int depth; /* folders open */
};

inputs_walk *inputs_open(char *const *paths, int n)
{
    inputs_walk *w = calloc(1, sizeof *w);
    if (w) {
        w->paths = paths;
        w->npaths = n;
    }
    return w;
}

static void pop(inputs_walk *w)
{
    folder *f = &w->stack[--w->depth];
    for (size_t i = f->next; i < f->n; i++)
        free(f->names[i]);
    free(f->names);
    free(f->dir);
}

void inputs_close(inputs_walk *w)
{
    if (!w)
        return;
    while (w->depth)
        pop(w);
    free(w);
}

void inputs_clear(evx_input *in)
{
    free(in->path);
    free(in->failed);
    memset(in, 0, sizeof *in);
}

static void set_failed(evx_input *in, char *path, evx_code code, const char *fmt, const char *what, int err)
{
    in->path = path;
    in->failed = must(calloc(1, sizeof *in->failed));
    evx_error_set(in->failed, code, fmt, what, strerror(err));
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static int has_suffix(const char *s, const char *suf)
{
    size_t a = strlen(s), b = strlen(suf);
    return a >= b && !strcmp(s + a - b, suf);
}

/* What a folder walk takes: text and HTML pages (html.h). */
static int wanted(const char *name) { return has_suffix(name, ".txt") || html_is_html_name(name); }

/* Enters folder dir (owned from here on); 0 and *in failed when it cannot
 * be read. */
static int push(inputs_walk *w, char *dir, evx_input *in)
{
    DIR *d = opendir(dir);
    if (!d) {
        set_failed(in, dir, evx_code_from_errno(errno), "%s: %s", "cannot open folder", errno);
        return 0;
    }
    folder *f = &w->stack[w->depth++];
    *f = (folder){.dir = dir};
    size_t cap = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        if (f->n == cap) {
            cap = cap ? cap * 2 : 64;
            f->names = must(realloc(f->names, cap * sizeof *f->names));
        }
        f->names[f->n++] = must(strdup(e->d_name));
    }
    closedir(d);
    if (f->n > 1) /* names is NULL in an empty folder: qsort(NULL) is UB */
        qsort(f->names, f->n, sizeof *f->names, cmp_str);
    return 1;
}

/* The next entry of the innermost folder: 1 with *in filled, 0 when the
 * entry is no input (or a folder entered). */
static int step(inputs_walk *w, evx_input *in)
{
    folder *f = &w->stack[w->depth - 1];
    char *name = f->names[f->next++];
    size_t len = strlen(f->dir) + strlen(name) + 2;
    char *path = must(malloc(len));
    snprintf(path, len, "%s/%s", f->dir, name);
    int is_wanted = wanted(name);
    free(name);
    struct stat st;
    if (lstat(path, &st) == 0) {
        if (S_ISDIR(st.st_mode) && w->depth <= MAX_DEPTH) /* the PATH given is depth 1 */
            return !push(w, path, in);
        if (S_ISDIR(st.st_mode)) { /* reported, not silently dropped */
            in->path = path;
            in->failed = must(calloc(1, sizeof *in->failed));
            evx_error_set(in->failed, EVX_E_read_failed,
                          "folder nested more than 64 levels deep below the PATH given; not walked "
                          "(give it as a PATH of its own)");
            return 1;
        }
        if (is_wanted && (S_ISREG(st.st_mode) || S_ISLNK(st.st_mode))) {
            in->path = path;
            return 1;
        }
    } else if (errno == ENOENT && is_wanted) { /* listed, then gone: reading it reports not_found */
        in->path = path;
        return 1;
    } else if (is_wanted) {
        set_failed(in, path, evx_code_from_errno(errno), "%s: %s", "cannot stat", errno);
        return 1;
    }
    free(path);
    return 0;
}

int inputs_next(inputs_walk *w, evx_input *in)
{
    memset(in, 0, sizeof *in);
    for (;;) {
        if (w->depth) {
            if (w->stack[w->depth - 1].next == w->stack[w->depth - 1].n)
                pop(w);
            else if (step(w, in))
                return 1;
            continue;
        }
        if (w->next_path == w->npaths)
            return 0;
        const char *p = w->paths[w->next_path++];
        struct stat st;
        if (strcmp(p, "-") && stat(p, &st) == 0 && S_ISDIR(st.st_mode)) {
            char *dir = must(strdup(p));
            size_t l = strlen(dir);
            while (l > 1 && dir[l - 1] == '/')
                dir[--l] = '\0';
            if (!push(w, dir, in))
                return 1;
            continue;
        }
        in->path = must(strdup(p)); /* a missing file is reported when read */
        return 1;
    }
}

/* Open addressing over strings, grown at half full. */
typedef struct {
    char *key;
    unsigned next; /* for a base stem: the next "~k" to try */
} entry;

typedef struct {
    entry *slot;
    size_t cap, used;
} table;

struct stem_namer {
    table taken; /* stems handed out */
    table bases; /* base stem -> next suffix, so that many inputs of one
                  * name cost one probe each, not one per earlier namesake */
};

static uint64_t hash(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    while (*s)
        h = (h ^ (unsigned char)*s++) * 1099511628211ull;
    return h;
}

static entry *find(const table *t, const char *key)
{
    size_t i = hash(key) & (t->cap - 1);
    while (t->slot[i].key && strcmp(t->slot[i].key, key))
        i = (i + 1) & (t->cap - 1);
    return &t->slot[i];
}

/* The entry of key, added (with a copy of key) when missing; *added says
 * which. */
static entry *get(table *t, const char *key, int *added)
{
    if (2 * (t->used + 1) > t->cap) {
        table bigger = {must(calloc(t->cap * 2, sizeof *bigger.slot)), t->cap * 2, t->used};
        for (size_t i = 0; i < t->cap; i++)
            if (t->slot[i].key)
                *find(&bigger, t->slot[i].key) = t->slot[i];
        free(t->slot);
        *t = bigger;
    }
    entry *e = find(t, key);
    *added = !e->key;
    if (*added) {
        e->key = must(strdup(key));
        t->used++;
    }
    return e;
}

stem_namer *stems_open(void)
{
    stem_namer *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->taken = (table){calloc(64, sizeof(entry)), 64, 0};
    s->bases = (table){calloc(64, sizeof(entry)), 64, 0};
    if (!s->taken.slot || !s->bases.slot) {
        stems_close(s);
        return NULL;
    }
    return s;
}

const char *stems_name(stem_namer *s, const char *path)
{
    char base[256], name[300];
    output_stem(path, base, sizeof base);
    int added;
    entry *b = get(&s->bases, base, &added);
    if (added)
        b->next = 2;
    entry *e = get(&s->taken, base, &added);
    while (!added) {
        snprintf(name, sizeof name, "%s~%u", base, find(&s->bases, base)->next++);
        e = get(&s->taken, name, &added);
    }
    return e->key;
}

static void table_free(table *t)
{
    for (size_t i = 0; t->slot && i < t->cap; i++)
        free(t->slot[i].key);
    free(t->slot);
}

void stems_close(stem_namer *s)
{
    if (!s)
        return;
    table_free(&s->taken);
    table_free(&s->bases);
    free(s);
}
