/* inputs.c - listing the inputs and naming their outputs. */
#include "inputs.h"
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "html.h"
#include "output.h"

#define PATH_BLOCK (64 * 1024)

struct path_block {
    struct path_block *next;
    size_t used, size;
    char data[];
};

/* A copy of s in l's path blocks, valid until inputs_free. */
static char *keep_path(evx_inputs *l, const char *s)
{
    size_t n = strlen(s) + 1;
    struct path_block *b = l->paths;
    if (!b || b->size - b->used < n) {
        size_t size = n > PATH_BLOCK ? n : PATH_BLOCK;
        b = malloc(sizeof *b + size);
        if (!b) {
            fputs("evx: out of memory listing inputs\n", stderr);
            abort();
        }
        b->next = l->paths;
        b->used = 0;
        b->size = size;
        l->paths = b;
    }
    char *p = b->data + b->used;
    memcpy(p, s, n);
    b->used += n;
    return p;
}

const char *inputs_path(const evx_input *in, char *buf, size_t len)
{
    if (!in->dir)
        return in->name;
    snprintf(buf, len, "%s/%s", in->dir, in->name);
    return buf;
}

/* An input named name in folder dir (kept already; NULL: name is the whole
 * path). */
static evx_input *add_in(evx_inputs *l, const char *dir, const char *name)
{
    if (l->n == l->nblocks * INPUTS_BLOCK) {
        evx_input **b = realloc(l->blocks, (l->nblocks + 1) * sizeof *b);
        evx_input *block = b ? malloc(INPUTS_BLOCK * sizeof *block) : NULL;
        if (!block) {
            fputs("evx: out of memory listing inputs\n", stderr);
            abort();
        }
        l->blocks = b;
        l->blocks[l->nblocks++] = block;
    }
    evx_input *in = inputs_at(l, l->n++);
    memset(in, 0, sizeof *in);
    in->dir = dir;
    in->name = keep_path(l, name);
    return in;
}

static evx_input *add(evx_inputs *l, const char *path) { return add_in(l, NULL, path); }

static void add_failed(evx_inputs *l, const char *path, int err, const char *what)
{
    evx_input *in = add(l, path);
    in->failed = calloc(1, sizeof *in->failed);
    evx_error_set(in->failed, evx_code_from_errno(err), "%s: %s", what, strerror(err));
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static int has_suffix(const char *s, const char *suf)
{
    size_t a = strlen(s), b = strlen(suf);
    return a >= b && !strcmp(s + a - b, suf);
}

/* What a folder walk takes: text and HTML pages (html.h). */
static int wanted(const char *name) { return has_suffix(name, ".txt") || html_is_html_name(name); }

/* Every *.txt, *.html and *.htm below dir, sorted by name at each level. */
static void walk(const char *dir, evx_inputs *out, int depth)
{
    DIR *d = opendir(dir);
    if (!d) {
        add_failed(out, dir, errno, "cannot open folder");
        return;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            names = realloc(names, cap * sizeof *names);
        }
        names[n++] = strdup(e->d_name);
    }
    closedir(d);
    if (n > 1) /* names is NULL in an empty folder: qsort(NULL) is UB */
        qsort(names, n, sizeof *names, cmp_str);
    size_t dl = strlen(dir);
    const char *kept_dir = NULL; /* kept once, with the folder's first file */
    for (size_t i = 0; i < n; i++) {
        size_t len = dl + strlen(names[i]) + 2;
        char *path = malloc(len);
        snprintf(path, len, "%s/%s", dir, names[i]);
        struct stat st;
        if (lstat(path, &st) == 0) {
            if (S_ISDIR(st.st_mode) && depth < 64) {
                walk(path, out, depth + 1);
            } else if (S_ISDIR(st.st_mode)) { /* reported, not silently dropped */
                evx_input *in = add(out, path);
                in->failed = calloc(1, sizeof *in->failed);
                evx_error_set(in->failed, EVX_E_read_failed,
                              "folder nested more than 64 levels deep below the PATH given; not walked "
                              "(give it as a PATH of its own)");
            } else if (wanted(names[i]) && (S_ISREG(st.st_mode) || S_ISLNK(st.st_mode))) {
                if (len > PATH_MAX) { /* kept whole, so that inputs_path never cuts it */
                    add(out, path);
                } else {
                    if (!kept_dir)
                        kept_dir = keep_path(out, dir);
                    add_in(out, kept_dir, names[i]);
                }
            }
        } else if (errno != ENOENT && wanted(names[i])) {
            add_failed(out, path, errno, "cannot stat");
        }
        free(path);
        free(names[i]);
    }
    free(names);
}

void inputs_collect(char *const *paths, int n, evx_inputs *out)
{
    for (int i = 0; i < n; i++) {
        struct stat st;
        if (strcmp(paths[i], "-") && stat(paths[i], &st) == 0 && S_ISDIR(st.st_mode)) {
            char *dir = strdup(paths[i]);
            size_t l = strlen(dir);
            while (l > 1 && dir[l - 1] == '/')
                dir[--l] = '\0';
            walk(dir, out, 0);
            free(dir);
        } else {
            add(out, paths[i]); /* a missing file is reported when read */
        }
    }
}

/* A set of strings (open addressing), for stems taken so far. */
typedef struct {
    char **slot;
    size_t cap;
} strset;

static uint64_t hash(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    while (*s)
        h = (h ^ (unsigned char)*s++) * 1099511628211ull;
    return h;
}

/* Adds s (owned by the caller, must outlive the set); 0 when present. */
static int strset_add(strset *set, char *s)
{
    size_t i = hash(s) & (set->cap - 1);
    while (set->slot[i]) {
        if (!strcmp(set->slot[i], s))
            return 0;
        i = (i + 1) & (set->cap - 1);
    }
    set->slot[i] = s;
    return 1;
}

/* base stem -> the next "~k" to try, so that many inputs of one name cost
 * one probe each, not one per earlier namesake. */
typedef struct {
    char *base;
    unsigned next;
} stem_count;

static stem_count *count_slot(stem_count *tab, size_t cap, const char *base)
{
    size_t i = hash(base) & (cap - 1);
    while (tab[i].base && strcmp(tab[i].base, base))
        i = (i + 1) & (cap - 1);
    return &tab[i];
}

void inputs_assign_stems(evx_inputs *in)
{
    strset set = {NULL, 64};
    while (set.cap < 2 * in->n + 2)
        set.cap *= 2;
    set.slot = calloc(set.cap, sizeof *set.slot);
    stem_count *counts = calloc(set.cap, sizeof *counts);
    if (!set.slot || !counts) {
        fputs("evx: out of memory naming outputs\n", stderr);
        abort();
    }
    for (size_t i = 0; i < in->n; i++) {
        char base[256], name[300], path[PATH_MAX];
        evx_input *x = inputs_at(in, i);
        output_stem(inputs_path(x, path, sizeof path), base, sizeof base);
        stem_count *c = count_slot(counts, set.cap, base);
        if (!c->base) {
            c->base = strdup(base);
            c->next = 2;
        }
        free(x->stem);
        x->stem = strdup(base);
        while (!strset_add(&set, x->stem)) {
            snprintf(name, sizeof name, "%s~%u", base, c->next++);
            free(x->stem);
            x->stem = strdup(name);
        }
    }
    for (size_t i = 0; i < set.cap; i++)
        free(counts[i].base);
    free(counts);
    free(set.slot);
}

void inputs_free(evx_inputs *in)
{
    for (size_t i = 0; i < in->n; i++) {
        free(inputs_at(in, i)->stem);
        free(inputs_at(in, i)->failed);
    }
    for (size_t b = 0; b < in->nblocks; b++)
        free(in->blocks[b]);
    free(in->blocks);
    for (struct path_block *b = in->paths, *next; b; b = next) {
        next = b->next;
        free(b);
    }
    memset(in, 0, sizeof *in);
}
