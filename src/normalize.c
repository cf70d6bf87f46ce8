/* normalize.c - stage 2: NFC plus a fixed character mapping, keeping the
 * byte map to the original input.
 *
 * One pass maps characters straight into the output. NFC runs lazily on the
 * output side: we track the current normalisation segment (from the last
 * character with an NFC boundary before it) and only when a segment holds a
 * character that might change under NFC is that segment sent through ICU.
 * Mapping first means a dropped soft hyphen or zero-width joiner cannot keep
 * a base letter and its combining mark apart. */
#include "normalize.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utf8.h>

#define DROP (-1)
/* ICU reorders combining marks with an insertion sort, so an endless run of
 * marks would cost quadratic time. Real text has a handful per base letter
 * (UAX #15 stream-safe text allows 30), so longer runs are cut here. */
#define MAX_SEG 256

typedef struct {
    evx_text t;
    size_t cap;        /* bytes usable in t.data, excluding the NUL */
    const UNormalizer2 *nfc;
    size_t seg;        /* output offset of the current NFC segment */
    int dirty;         /* the current segment may not be NFC yet */
    UChar *u16, *u16n; /* segment scratch, reused across segments */
    size_t u16cap, u16ncap;
} out_buf;

static int reserve(out_buf *o, size_t extra)
{
    if (o->t.len + extra <= o->cap)
        return 0;
    size_t cap = o->cap ? o->cap : 64;
    while (cap < o->t.len + extra)
        cap *= 2;
    char *d = realloc(o->t.data, cap + 1);
    if (!d)
        return -1;
    o->t.data = d;
    size_t *m = realloc(o->t.orig, (cap + 1) * sizeof *m);
    if (!m)
        return -1;
    o->t.orig = m;
    o->cap = cap;
    return 0;
}

static int reserve_u16(UChar **buf, size_t *cap, size_t need)
{
    if (need <= *cap)
        return 0;
    UChar *b = realloc(*buf, need * sizeof *b);
    if (!b)
        return -1;
    *buf = b;
    *cap = need;
    return 0;
}

/* Rewrites the dirty segment at the tail of the output in NFC. Every byte
 * maps to the segment's first source offset: after composition or
 * reordering there is no finer honest answer. */
static int flush_segment(out_buf *o, char *err, size_t errlen)
{
    if (!o->dirty)
        return 0;
    o->dirty = 0;
    size_t n = o->t.len - o->seg;
    UErrorCode st = U_ZERO_ERROR;
    if (n > INT32_MAX / 4) {
        snprintf(err, errlen, "normalize: combining sequence too long");
        return -1;
    }
    int32_t ulen = 0, blen = 0;
    if (reserve_u16(&o->u16, &o->u16cap, n + 1) < 0)
        goto oom;
    u_strFromUTF8(o->u16, (int32_t)o->u16cap, &ulen, o->t.data + o->seg,
                  (int32_t)n, &st);
    if (U_FAILURE(st))
        goto icu;
    /* NFC grows a string by at most 3x (UAX #15). */
    if (reserve_u16(&o->u16n, &o->u16ncap, 3 * (size_t)ulen + 1) < 0)
        goto oom;
    int32_t nlen = unorm2_normalize(o->nfc, o->u16, ulen, o->u16n,
                                    (int32_t)o->u16ncap, &st);
    if (U_FAILURE(st))
        goto icu;
    size_t from = o->t.orig[o->seg];
    o->t.len = o->seg;
    if (reserve(o, 3 * (size_t)nlen) < 0)
        goto oom;
    u_strToUTF8(o->t.data + o->seg, (int32_t)(o->cap - o->seg), &blen,
                o->u16n, nlen, &st);
    if (U_FAILURE(st))
        goto icu;
    for (size_t j = o->seg; j < o->seg + (size_t)blen; j++)
        o->t.orig[j] = from;
    o->t.len += (size_t)blen;
    return 0;
oom:
    snprintf(err, errlen, "normalize: out of memory");
    return -1;
icu:
    snprintf(err, errlen, "normalize: ICU error %s", u_errorName(st));
    return -1;
}

/* The fixed character mapping (CR is handled by the caller: it needs to
 * look at the next byte). Returns the replacement or DROP. */
static UChar32 map_char(UChar32 c)
{
    if (c < 0x20) /* a tab stays: it parts a table's cells, a space does not */
        return c == '\n' || c == '\t' ? c : ' ';
    switch (c) {
    case 0x00A0: case 0x1680: case 0x202F: case 0x205F: case 0x3000:
        return ' ';
    case 0x00AD: case 0x200B: case 0x200C: case 0x200D: case 0x2060:
    case 0xFEFF:
        return DROP;
    case 0x2018: case 0x2019: case 0x201A: case 0x201B: case 0x2032:
        return '\'';
    case 0x201C: case 0x201D: case 0x201E: case 0x201F: case 0x00AB:
    case 0x00BB: case 0x2033:
        return '"';
    case 0x0085: case 0x2028: case 0x2029:
        return '\n';
    }
    if (c >= 0x2000 && c <= 0x200A)
        return ' ';
    return c;
}

static int emit(out_buf *o, UChar32 c, size_t src, char *err, size_t errlen)
{
    /* Below U+0300 every code point is NFC-inert with a boundary before it,
     * which covers nearly all Swedish text without asking ICU. */
    int boundary = c < 0x300 || unorm2_hasBoundaryBefore(o->nfc, c);
    if (boundary || o->t.len - o->seg >= MAX_SEG) {
        if (flush_segment(o, err, errlen) < 0)
            return -1;
        o->seg = o->t.len;
    }
    if (c >= 0x300 &&
        (u_getIntPropertyValue(c, UCHAR_NFC_QUICK_CHECK) != UNORM_YES ||
         u_getCombiningClass(c) != 0))
        o->dirty = 1;
    if (reserve(o, 4) < 0) {
        snprintf(err, errlen, "normalize: out of memory");
        return -1;
    }
    size_t j = o->t.len;
    U8_APPEND_UNSAFE(o->t.data, j, c);
    for (size_t q = o->t.len; q < j; q++)
        o->t.orig[q] = src;
    o->t.len = j;
    return 0;
}

/* The length of the run of bytes at s that map to themselves and need no
 * NFC: printable ASCII and LF. */
static size_t ascii_run(const uint8_t *s, size_t n)
{
    /* Eight bytes at a time while none is below 0x20 or above 0x7E (the
     * has-less test; 0x7F ^ DEL is zero); the word with a LF goes bytewise. */
    const uint64_t ones = 0x0101010101010101u, high = 0x8080808080808080u;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w, del;
        memcpy(&w, s + i, 8);
        del = w ^ (ones * 0x7F);
        if ((((w - ones * 0x20) & ~w) | ((del - ones) & ~del) | w) & high)
            break;
    }
    while (i < n && ((s[i] >= 0x20 && s[i] < 0x7F) || s[i] == '\n'))
        i++;
    return i;
}

/* A run of spaces and tabs longer than this (a PDF's columns, a page laid
 * out with spaces) keeps its first and last MAX_BLANK_RUN / 2 characters:
 * the rules see a wide gap all the same ("[ ]{3,}" parts columns, a tab
 * still parts cells), and a pattern that backtracks over a gap stays within
 * the match limit however wide the gap was written. */
#define MAX_BLANK_RUN 16

static int blank(char c) { return c == ' ' || c == '\t'; }

/* Moves n bytes of t (and their map) from `from` down to *w. */
static void shift(evx_text *t, size_t *w, size_t from, size_t n)
{
    if (*w != from) {
        memmove(t->data + *w, t->data + from, n);
        memmove(t->orig + *w, t->orig + from, n * sizeof *t->orig);
    }
    *w += n;
}

static void cap_blank_runs(evx_text *t)
{
    size_t w = 0, r = 0, half = MAX_BLANK_RUN / 2;
    while (r < t->len) {
        size_t s = r, e;
        while (s < t->len && !blank(t->data[s]))
            s++;
        for (e = s; e < t->len && blank(t->data[e]);)
            e++;
        if (e - s > MAX_BLANK_RUN) {
            shift(t, &w, r, s + half - r);
            shift(t, &w, e - half, half);
        } else {
            shift(t, &w, r, e - r);
        }
        r = e;
    }
    t->len = w;
}

int norm_text(const evx_text *in, evx_text *out, char *err, size_t errlen)
{
    size_t cap = 0;
    memset(out, 0, sizeof *out);
    if (norm_text_reuse(in, out, &cap, err, errlen) == 0)
        return 0;
    text_free(out);
    return -1;
}

int norm_text_reuse(const evx_text *in, evx_text *out, size_t *cap, char *err, size_t errlen)
{
    UErrorCode st = U_ZERO_ERROR;
    out_buf o = {0};
    o.t = *out; /* its buffers, reused */
    o.t.len = 0;
    o.cap = out->data && out->orig ? *cap : 0;
    o.nfc = unorm2_getNFCInstance(&st);
    if (U_FAILURE(st)) {
        snprintf(err, errlen, "normalize: no NFC data: %s", u_errorName(st));
        return -1;
    }
    const uint8_t *s = (const uint8_t *)in->data;
    size_t n = in->len;
    if (reserve(&o, n + 16) < 0) {
        snprintf(err, errlen, "normalize: out of memory");
        goto fail;
    }
    for (size_t k = 0; k < n;) {
        /* ASCII fast path: printable ASCII and LF map to themselves, each
         * is NFC-inert with a boundary before it, so a run of them is
         * copied as is; the last one may start an NFC segment (a combining
         * mark can follow it). */
        size_t run = ascii_run(s + k, n - k);
        if (run) {
            if (flush_segment(&o, err, errlen) < 0)
                goto fail;
            if (reserve(&o, run) < 0) {
                snprintf(err, errlen, "normalize: out of memory");
                goto fail;
            }
            memcpy(o.t.data + o.t.len, s + k, run);
            memcpy(o.t.orig + o.t.len, in->orig + k, run * sizeof *o.t.orig);
            o.t.len += run;
            o.seg = o.t.len - 1;
            k += run;
            continue;
        }
        size_t start = k;
        UChar32 c;
        U8_NEXT(s, k, n, c);
        if (c < 0)
            c = 0xFFFD; /* read guarantees UTF-8; stay safe if it did not */
        if (c == '\r') {
            if (k < n && s[k] == '\n')
                k++; /* the LF keeps the CR's offset */
            c = '\n';
        } else {
            c = map_char(c);
        }
        if (c != DROP && emit(&o, c, in->orig[start], err, errlen) < 0)
            goto fail;
    }
    if (flush_segment(&o, err, errlen) < 0)
        goto fail;
    cap_blank_runs(&o.t);
    o.t.data[o.t.len] = '\0';
    o.t.orig[o.t.len] = in->orig[n];
    free(o.u16);
    free(o.u16n);
    *out = o.t;
    *cap = o.cap;
    return 0;
fail:
    free(o.u16);
    free(o.u16n);
    o.t.len = 0;
    *out = o.t; /* the buffers stay the caller's */
    *cap = o.cap;
    return -1;
}
