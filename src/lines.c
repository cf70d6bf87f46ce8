/* lines.c - see lines.h. */
#include "lines.h"
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

void lines_build(line_index *li, const evx_text *t)
{
    int cap = 64;
    li->n = 0;
    li->start = malloc(sizeof(size_t) * (size_t)cap);
    li->start[li->n++] = 0;
    /* memchr jumps from line end to line end instead of testing each byte */
    const char *p = t->data, *end = t->data + t->len;
    while (p < end && (p = memchr(p, '\n', (size_t)(end - p)))) {
        if (li->n == cap)
            li->start = realloc(li->start, sizeof(size_t) * (size_t)(cap *= 2));
        li->start[li->n++] = (size_t)(++p - t->data);
    }
}

void lines_free(line_index *li)
{
    free(li->start);
    li->start = NULL;
    li->n = 0;
}

int line_of(const line_index *li, size_t off)
{
    int lo = 0, hi = li->n - 1;
    while (lo < hi) {
        int mid = (lo + hi + 1) / 2;
        if (li->start[mid] <= off)
            lo = mid;
        else
            hi = mid - 1;
    }
    return lo;
}

size_t line_end(const line_index *li, const evx_text *t, int line)
{
    return line + 1 < li->n ? li->start[line + 1] - 1 : t->len;
}

int line_blank(const line_index *li, const evx_text *t, int line)
{
    for (size_t i = li->start[line]; i < line_end(li, t, line); i++)
        if (!isspace((unsigned char)t->data[i]))
            return 0;
    return 1;
}

int line_cell_at(const evx_text *t, size_t line_start, size_t pos)
{
    int cell = 0;
    for (size_t i = line_start; i < pos; i++)
        cell += t->data[i] == '\t';
    return cell;
}
