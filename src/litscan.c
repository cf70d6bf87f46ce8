/* litscan.c - Aho-Corasick over the rule set's literals. */
#include "litscan.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct litscan {
    int nlits;
    int nstates;
    int nclasses;      /* bytes that occur in no literal share one class */
    uint8_t cls[256];  /* byte -> class */
    /* nstates * nclasses: the full transition function on classes, each
     * entry the next state, with HAS_OUT set when literals end in it.
     * Small enough to stay in cache, which a table per byte is not; in 16
     * bits (next16, HAS_OUT16) when the states fit, half the memory to fill
     * or copy at start-up and to read per byte. One of the two is NULL. */
    uint32_t *next;
    uint16_t *next16;
    int *out_first;    /* nstates + 1: state s ends literals outs[out_first[s] .. out_first[s+1]) */
    int *outs;
};

#define HAS_OUT 0x80000000u
#define HAS_OUT16 0x8000u
#define MAX_STATES16 0x8000 /* states numbered below HAS_OUT16 */

void litscan_free(litscan *ls)
{
    if (!ls)
        return;
    free(ls->next);
    free(ls->next16);
    free(ls->out_first);
    free(ls->outs);
    free(ls);
}

static int by_bytes(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The trie's states exactly: the root and one per distinct prefix, counted
 * over the literals in sorted order, each adding the bytes it does not share
 * with the one before. The table is sized by it, not by the sum of the
 * lengths: it is most of the memory a start-up touches, and a fresh page
 * costs more than the sort. */
static size_t trie_states(char *const *lits, int n)
{
    size_t states = 1;
    const char **sorted = malloc((size_t)(n ? n : 1) * sizeof *sorted);
    if (!sorted) { /* the bound */
        for (int i = 0; i < n; i++)
            states += strlen(lits[i]);
        return states;
    }
    if (n) { /* lits may be NULL when there are none */
        memcpy(sorted, lits, (size_t)n * sizeof *sorted);
        qsort(sorted, (size_t)n, sizeof *sorted, by_bytes);
    }
    for (int i = 0; i < n; i++) {
        size_t shared = 0;
        if (i)
            while (sorted[i][shared] && sorted[i][shared] == sorted[i - 1][shared])
                shared++;
        states += strlen(sorted[i]) - shared;
    }
    free(sorted);
    return states;
}

litscan *litscan_build(char *const *lits, int n)
{
    litscan *ls = calloc(1, sizeof *ls);
    if (!ls)
        return NULL;
    ls->nlits = n;
    size_t maxstates = trie_states(lits, n);
    /* Byte classes first: the bytes of the literals one each, the rest one
     * (class 0). The automaton is built on them directly, not on all 256
     * bytes and then narrowed: that table was megabytes to clear and walk
     * at every start-up. */
    int nc = 1;
    for (int i = 0; i < n; i++)
        for (const unsigned char *c = (const unsigned char *)lits[i]; *c; c++)
            if (!ls->cls[*c])
                ls->cls[*c] = (uint8_t)nc++;
    ls->nclasses = nc;
    const size_t w = (size_t)nc;
    int32_t *next = malloc(maxstates * w * sizeof *next);
    int *fail = malloc(maxstates * sizeof *fail);
    int *own = malloc(maxstates * sizeof *own);          /* first literal ending exactly here, or -1 */
    int *own_next = malloc((size_t)(n + 1) * sizeof *own_next); /* other literals ending at the same state */
    int *order = malloc(maxstates * sizeof *order);
    ls->out_first = malloc((maxstates + 1) * sizeof *ls->out_first);
    if (!next || !fail || !own || !own_next || !order || !ls->out_first)
        goto oom;
    memset(next, 0xFF, maxstates * w * sizeof *next);
    int nstates = 1;
    own[0] = -1;
    for (int i = 0; i < n; i++) { /* the trie */
        int s = 0;
        for (const unsigned char *c = (const unsigned char *)lits[i]; *c; c++) {
            size_t at = (size_t)s * w + ls->cls[*c];
            if (next[at] < 0) {
                if ((size_t)nstates == maxstates)
                    goto oom; /* cannot be: trie_states counted them */
                own[nstates] = -1;
                next[at] = nstates++;
            }
            s = next[at];
        }
        own_next[i] = own[s];
        own[s] = i;
    }
    /* Breadth first: each state's failure link is shallower, so complete
     * before the state itself is completed. */
    int head = 0, tail = 0;
    fail[0] = 0;
    for (int c = 0; c < nc; c++) {
        int t = next[c];
        if (t < 0) {
            next[c] = 0;
        } else {
            fail[t] = 0;
            order[tail++] = t;
        }
    }
    while (head < tail) {
        int s = order[head++];
        for (int c = 0; c < nc; c++) {
            int t = next[(size_t)s * w + c];
            if (t < 0) {
                next[(size_t)s * w + c] = next[(size_t)fail[s] * w + c];
            } else {
                fail[t] = next[(size_t)fail[s] * w + c];
                order[tail++] = t;
            }
        }
    }
    /* Each state's outputs: its own literals, then its failure state's. */
    size_t nouts = 0, capouts = (size_t)n + 16;
    int *outs = malloc(capouts * sizeof *outs);
    if (!outs)
        goto oom;
    int *count = calloc((size_t)nstates, sizeof *count);
    int *start = malloc((size_t)nstates * sizeof *start);
    if (!count || !start) {
        free(outs), free(count), free(start);
        goto oom;
    }
    for (int k = -1; k < tail; k++) { /* in breadth-first order, the root first */
        int s = k < 0 ? 0 : order[k];
        int mine = 0;
        for (int id = own[s]; id >= 0; id = own_next[id])
            mine++;
        int inherited = s ? count[fail[s]] : 0;
        if (nouts + (size_t)mine + (size_t)inherited > capouts) {
            capouts = (nouts + (size_t)mine + (size_t)inherited) * 2;
            int *grown = realloc(outs, capouts * sizeof *outs);
            if (!grown) {
                free(outs), free(count), free(start);
                goto oom;
            }
            outs = grown;
        }
        start[s] = (int)nouts;
        for (int id = own[s]; id >= 0; id = own_next[id])
            outs[nouts++] = id;
        for (int j = 0; j < inherited; j++)
            outs[nouts++] = outs[start[fail[s]] + j];
        count[s] = mine + inherited;
    }
    /* Renumber nothing: out_first is indexed by state, so copy per state. */
    int *packed = malloc((nouts + 1) * sizeof *packed);
    if (!packed) {
        free(outs), free(count), free(start);
        goto oom;
    }
    size_t at = 0;
    for (int s = 0; s < nstates; s++) {
        ls->out_first[s] = (int)at;
        memcpy(packed + at, outs + start[s], (size_t)count[s] * sizeof *packed);
        at += (size_t)count[s];
    }
    ls->out_first[nstates] = (int)at;
    free(outs), free(count), free(start);
    ls->outs = packed;
    ls->nstates = nstates;
    /* The table itself, each entry flagged when literals end in its state. */
    uint32_t *table = realloc(next, (size_t)nstates * w * sizeof *table); /* states used, of maxstates */
    ls->next = table ? table : (uint32_t *)next;
    next = NULL;
    for (size_t k = 0; k < (size_t)nstates * w; k++) {
        uint32_t to = ls->next[k];
        ls->next[k] = to | (ls->out_first[to + 1] > ls->out_first[to] ? HAS_OUT : 0);
    }
    if (nstates < MAX_STATES16 && (ls->next16 = malloc((size_t)nstates * w * sizeof *ls->next16))) {
        for (size_t k = 0; k < (size_t)nstates * w; k++) {
            uint32_t to = ls->next[k];
            ls->next16[k] = (uint16_t)((to & ~HAS_OUT) | (to & HAS_OUT ? HAS_OUT16 : 0));
        }
        free(ls->next);
        ls->next = NULL;
    }
    free(next), free(fail), free(own), free(own_next), free(order);
    return ls;
oom:
    free(next), free(fail), free(own), free(own_next), free(order);
    litscan_free(ls);
    return NULL;
}

/* The block: five int32 (literals, states, classes, outputs, bytes per
 * table entry), the 256 classes, the table, out_first, outs; in the
 * machine's order (the rule cache is read only by the build that wrote
 * it). */
unsigned char *litscan_save(const litscan *ls, size_t *size)
{
    int32_t head[5] = {ls->nlits, ls->nstates, ls->nclasses, ls->out_first[ls->nstates], ls->next16 ? 2 : 4};
    size_t ntab = (size_t)ls->nstates * (size_t)ls->nclasses;
    size_t parts[5] = {sizeof head, sizeof ls->cls, ntab * (size_t)head[4],
                       ((size_t)ls->nstates + 1) * sizeof *ls->out_first, (size_t)head[3] * sizeof *ls->outs};
    const void *from[5] = {head, ls->cls, ls->next16 ? (const void *)ls->next16 : ls->next, ls->out_first, ls->outs};
    *size = parts[0] + parts[1] + parts[2] + parts[3] + parts[4];
    unsigned char *b = malloc(*size), *p = b;
    for (int i = 0; b && i < 5; p += parts[i], i++)
        memcpy(p, from[i], parts[i]);
    return b;
}

litscan *litscan_restore(const void *block, size_t size, int n)
{
    const unsigned char *p = block;
    int32_t head[5];
    if (size < sizeof head + 256)
        return NULL;
    memcpy(head, p, sizeof head);
    if (head[0] != n || head[1] < 1 || head[2] < 1 || head[2] > 256 || head[3] < 0 ||
        (head[4] != 4 && (head[4] != 2 || head[1] >= MAX_STATES16)))
        return NULL;
    size_t nstates = (size_t)head[1], ntab = nstates * (size_t)head[2], nouts = (size_t)head[3], width = (size_t)head[4];
    if (size != sizeof head + 256 + ntab * width + (nstates + 1 + nouts) * 4)
        return NULL;
    litscan *ls = calloc(1, sizeof *ls);
    if (!ls)
        return NULL;
    ls->nlits = n;
    ls->nstates = head[1];
    ls->nclasses = head[2];
    p += sizeof head;
    memcpy(ls->cls, p, 256);
    p += 256;
    void *table = malloc(ntab * width);
    if (width == 2)
        ls->next16 = table;
    else
        ls->next = table;
    ls->out_first = malloc((nstates + 1) * sizeof *ls->out_first);
    ls->outs = malloc((nouts ? nouts : 1) * sizeof *ls->outs);
    if (!table || !ls->out_first || !ls->outs) {
        litscan_free(ls);
        return NULL;
    }
    memcpy(table, p, ntab * width);
    p += ntab * width;
    memcpy(ls->out_first, p, (nstates + 1) * sizeof *ls->out_first);
    p += (nstates + 1) * sizeof *ls->out_first;
    memcpy(ls->outs, p, nouts * sizeof *ls->outs);
    int bad = ls->out_first[0] != 0 || (size_t)ls->out_first[nstates] != nouts;
    for (int c = 0; c < 256; c++)
        bad |= ls->cls[c] >= ls->nclasses;
    for (size_t s = 0; s < nstates; s++)
        bad |= ls->out_first[s] > ls->out_first[s + 1];
    for (size_t k = 0; k < nouts; k++)
        bad |= ls->outs[k] < 0 || ls->outs[k] >= n;
    for (size_t k = 0; k < ntab && width == 4; k++) {
        uint32_t to = ls->next[k] & ~HAS_OUT;
        bad |= to >= nstates || !(ls->next[k] & HAS_OUT) != (ls->out_first[to + 1] == ls->out_first[to]);
    }
    for (size_t k = 0; k < ntab && width == 2; k++) {
        uint32_t to = ls->next16[k] & ~HAS_OUT16;
        bad |= to >= nstates || !(ls->next16[k] & HAS_OUT16) != (ls->out_first[to + 1] == ls->out_first[to]);
    }
    if (bad) {
        litscan_free(ls);
        return NULL;
    }
    return ls;
}

static int grow(void **p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return 0;
    size_t c = *cap ? *cap : 64;
    while (c < need)
        c *= 2;
    void *q = realloc(*p, c * size);
    if (!q)
        return -1;
    *p = q;
    *cap = c;
    return 0;
}

/* The literals that end in state s, each noted once per line. */
static int note_outputs(const litscan *ls, uint32_t s, int line, litscan_hits *h)
{
    for (int k = ls->out_first[s]; k < ls->out_first[s + 1]; k++) {
        int id = ls->outs[k];
        if (h->last[id] == line)
            continue;
        h->last[id] = line;
        if (grow((void **)&h->pairs, &h->cappairs, 2 * (h->npairs + 1), sizeof *h->pairs) < 0)
            return -1;
        h->pairs[2 * h->npairs] = id;
        h->pairs[2 * h->npairs + 1] = line;
        h->npairs++;
    }
    return 0;
}

int litscan_run(const litscan *ls, const char *fold, size_t n, litscan_hits *h)
{
    int nl = ls->nlits;
    if (h->caplits < nl + 1) {
        int *f = realloc(h->first, (size_t)(nl + 1) * sizeof *f);
        if (f)
            h->first = f;
        int *l = realloc(h->last, (size_t)(nl + 1) * sizeof *l);
        if (l)
            h->last = l;
        if (!f || !l)
            return -1;
        h->caplits = nl + 1;
    }
    h->nlits = nl;
    for (int i = 0; i < nl; i++)
        h->last[i] = -1;
    h->npairs = 0;
    const uint32_t *next = ls->next;
    const uint16_t *next16 = ls->next16;
    const uint8_t *cls = ls->cls;
    size_t nc = (size_t)ls->nclasses;
    uint32_t s = 0;
    int line = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)fold[i];
        line += c == '\n';
        if (next16) {
            uint16_t to = next16[s * nc + cls[c]];
            s = to & ~HAS_OUT16;
            if (!(to & HAS_OUT16))
                continue;
        } else {
            uint32_t to = next[s * nc + cls[c]];
            s = to & ~HAS_OUT;
            if (!(to & HAS_OUT))
                continue;
        }
        if (note_outputs(ls, s, line, h) < 0)
            return -1;
    }
    /* Grouped by literal, each group in text order: a counting sort. */
    memset(h->first, 0, (size_t)(nl + 1) * sizeof *h->first);
    for (size_t p = 0; p < h->npairs; p++)
        h->first[h->pairs[2 * p] + 1]++;
    for (int i = 0; i < nl; i++)
        h->first[i + 1] += h->first[i];
    if (grow((void **)&h->lines, &h->caplines, h->npairs + 1, sizeof *h->lines) < 0)
        return -1;
    for (int i = 0; i < nl; i++)
        h->last[i] = h->first[i];
    for (size_t p = 0; p < h->npairs; p++)
        h->lines[h->last[h->pairs[2 * p]]++] = h->pairs[2 * p + 1];
    return 0;
}

void litscan_hits_free(litscan_hits *h)
{
    free(h->first);
    free(h->lines);
    free(h->last);
    free(h->pairs);
    memset(h, 0, sizeof *h);
}
