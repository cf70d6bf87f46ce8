/* read.c - stage 1: load bytes and decode them to mapped UTF-8. */
#include "read.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <unicode/ucnv.h>
#include <unicode/ucnv_err.h>

/* The bytes an ill-formed sequence at s spans: a lead byte and the
 * continuation bytes that follow it (at most 3), so that one damaged
 * character becomes one U+FFFD. */
static size_t bad_seq_len(const unsigned char *s, size_t n)
{
    size_t want = s[0] >= 0xF0 ? 4 : s[0] >= 0xE0 ? 3 : s[0] >= 0xC2 ? 2 : 1, k = 1;
    while (k < want && k < n && (s[k] & 0xC0) == 0x80)
        k++;
    return k;
}

/* Counts well-formed multi-byte sequences and ill-formed spots. */
static void utf8_census(const unsigned char *s, size_t n, size_t *good_multi, size_t *bad)
{
    *good_multi = *bad = 0;
    for (size_t i = 0; i < n;) {
        if (s[i] < 0x80) { /* most of the text: skip ASCII a word at a time */
            i++;
            while (i + 8 <= n) {
                uint64_t w;
                memcpy(&w, s + i, 8);
                if (w & 0x8080808080808080u)
                    break;
                i += 8;
            }
            continue;
        }
        size_t k = text_utf8_seq_len(s + i, n - i);
        if (!k) {
            (*bad)++;
            i += bad_seq_len(s + i, n - i);
        } else {
            *good_multi += k > 1;
            i += k;
        }
    }
}

/* Room for cap bytes (and the NUL) in t, reusing what t holds when *have
 * (its room) is enough. */
static int alloc_text(evx_text *t, size_t *have, size_t cap)
{
    t->len = 0;
    if (t->data && t->orig && *have >= cap)
        return 0;
    text_free(t);
    *have = cap;
    t->data = malloc(cap + 1);
    t->orig = malloc((cap + 1) * sizeof *t->orig);
    t->len = 0;
    if (!t->data || !t->orig) {
        text_free(t);
        return -1;
    }
    return 0;
}

/* Appends code point c (valid, not a surrogate) as UTF-8, every byte mapped
 * to original offset `at`. The caller reserved room for 4 bytes. */
static void put_cp(evx_text *t, uint32_t c, size_t at)
{
    char *d = t->data;
    size_t j = t->len, start = j;
    if (c < 0x80) {
        d[j++] = (char)c;
    } else if (c < 0x800) {
        d[j++] = (char)(0xC0 | (c >> 6));
        d[j++] = (char)(0x80 | (c & 0x3F));
    } else if (c < 0x10000) {
        d[j++] = (char)(0xE0 | (c >> 12));
        d[j++] = (char)(0x80 | ((c >> 6) & 0x3F));
        d[j++] = (char)(0x80 | (c & 0x3F));
    } else {
        d[j++] = (char)(0xF0 | (c >> 18));
        d[j++] = (char)(0x80 | ((c >> 12) & 0x3F));
        d[j++] = (char)(0x80 | ((c >> 6) & 0x3F));
        d[j++] = (char)(0x80 | (c & 0x3F));
    }
    for (size_t q = start; q < j; q++)
        t->orig[q] = at;
    t->len = j;
}

static void finish_text(evx_text *t, size_t total)
{
    t->data[t->len] = '\0';
    t->orig[t->len] = total;
}

/* Windows-1252 is single-byte and stateless, so decoding each of the 256
 * byte values once gives a table; decoding through it lets every output
 * sequence point back at its source byte. */
static int decode_w1252(const unsigned char *s, size_t n, size_t base, evx_text *t, size_t *have, evx_error *err)
{
    UErrorCode st = U_ZERO_ERROR;
    UConverter *cnv = ucnv_open("windows-1252", &st);
    if (U_FAILURE(st)) {
        evx_error_set(err, EVX_E_internal, "cannot open the ICU Windows-1252 converter: %s", u_errorName(st));
        return -1;
    }
    UChar table[256];
    for (int b = 0; b < 256; b++) {
        char in = (char)b;
        UChar u[4];
        st = U_ZERO_ERROR;
        int32_t k = ucnv_toUChars(cnv, u, 4, &in, 1, &st);
        /* Surrogates cannot come out of a single byte; be safe anyway. */
        table[b] = (U_FAILURE(st) || k != 1 || U16_IS_SURROGATE(u[0])) ? 0xFFFD : u[0];
    }
    ucnv_close(cnv);
    if (alloc_text(t, have, 3 * n) < 0) { /* a BMP code point is <= 3 bytes */
        evx_error_set(err, EVX_E_internal, "out of memory decoding %zu bytes", n);
        return -1;
    }
    for (size_t i = 0; i < n; i++)
        put_cp(t, table[s[i]], base + i);
    finish_text(t, base + n);
    return 0;
}

/* UTF-8 with damaged spots (a file cut mid-character, a stray byte): the
 * good characters stay, each damaged spot becomes U+FFFD. */
static int decode_utf8_lossy(const unsigned char *s, size_t n, size_t base, evx_text *t, size_t *have,
                             evx_error *err)
{
    if (alloc_text(t, have, 3 * n) < 0) {
        evx_error_set(err, EVX_E_internal, "out of memory decoding %zu bytes", n);
        return -1;
    }
    for (size_t i = 0; i < n;) {
        size_t k = text_utf8_seq_len(s + i, n - i);
        if (!k) {
            put_cp(t, 0xFFFD, base + i);
            i += bad_seq_len(s + i, n - i);
            continue;
        }
        for (size_t q = 0; q < k; q++) {
            t->data[t->len] = (char)s[i + q];
            t->orig[t->len++] = base + i + q;
        }
        i += k;
    }
    finish_text(t, base + n);
    return 0;
}

/* UTF-16 after its BOM, strictly: an odd byte count or an unpaired
 * surrogate means this is not UTF-16 text (binary data can start with the
 * same two bytes), so it is an `encoding` error, not a guess. */
static int decode_utf16(const unsigned char *s, size_t n, size_t base, int big_endian, evx_text *t, size_t *have,
                        evx_error *err)
{
    if (n > INT32_MAX / 2) {
        evx_error_set(err, EVX_E_too_large, "UTF-16 input of %zu bytes is too large to decode", n);
        return -1;
    }
    UErrorCode st = U_ZERO_ERROR;
    UConverter *cnv = ucnv_open(big_endian ? "UTF-16BE" : "UTF-16LE", &st);
    if (U_FAILURE(st)) {
        evx_error_set(err, EVX_E_internal, "cannot open the ICU UTF-16 converter: %s", u_errorName(st));
        return -1;
    }
    ucnv_setToUCallBack(cnv, UCNV_TO_U_CALLBACK_STOP, NULL, NULL, NULL, &st);
    size_t units = n / 2 + 1;
    UChar *u = malloc(units * sizeof *u);
    int32_t *off = malloc(units * sizeof *off);
    if (!u || !off || alloc_text(t, have, 2 * n) < 0) { /* 2 UTF-16 bytes -> at most 3 UTF-8 bytes */
        free(u);
        free(off);
        ucnv_close(cnv);
        evx_error_set(err, EVX_E_internal, "out of memory decoding %zu bytes", n);
        return -1;
    }
    UChar *target = u;
    const char *src = (const char *)s;
    ucnv_toUnicode(cnv, &target, u + units, &src, (const char *)s + n, off, 1, &st);
    size_t nu = (size_t)(target - u);
    ucnv_close(cnv);
    if (U_FAILURE(st)) {
        evx_error_set(err, EVX_E_encoding, "starts with a UTF-16 %s byte-order mark but is not UTF-16: %s near byte %zu",
                      big_endian ? "big-endian" : "little-endian",
                      st == U_TRUNCATED_CHAR_FOUND ? "it ends in half a character" : "an unpaired surrogate",
                      base + (size_t)(src - (const char *)s));
        free(u);
        free(off);
        text_free(t);
        return -1;
    }
    for (size_t i = 0; i < nu; i++) {
        uint32_t c = u[i];
        size_t at = base + (size_t)off[i];
        if (U16_IS_LEAD(c) && i + 1 < nu && U16_IS_TRAIL(u[i + 1]))
            c = U16_GET_SUPPLEMENTARY(c, u[++i]);
        put_cp(t, c, at);
    }
    finish_text(t, base + n);
    free(u);
    free(off);
    return 0;
}

static int has_nul(const evx_text *t, size_t *where)
{
    const char *z = memchr(t->data, '\0', t->len);
    if (!z)
        return 0;
    *where = t->orig[z - t->data];
    return 1;
}

static int decode(read_input *out, evx_error *err)
{
    const unsigned char *s = (const unsigned char *)out->bytes;
    size_t len = out->len;
    if (len >= 2 && ((s[0] == 0xFF && s[1] == 0xFE) || (s[0] == 0xFE && s[1] == 0xFF))) {
        if (decode_utf16(s + 2, len - 2, 2, s[0] == 0xFE, &out->utf8, &out->text_cap, err) < 0)
            return -1;
        snprintf(out->warnbuf, sizeof out->warnbuf, "input is UTF-16 (%s); decoded to UTF-8",
                 s[0] == 0xFE ? "big-endian" : "little-endian");
        out->warning = out->warnbuf;
        return 0;
    }
    size_t bom = (len >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF) ? 3 : 0;
    s += bom;
    size_t n = len - bom;
    const unsigned char *nul = memchr(s, '\0', n);
    if (nul) {
        evx_error_set(err, EVX_E_binary, "holds a NUL byte at offset %zu: binary data, not text",
                      (size_t)(nul - s) + bom);
        return -1;
    }
    size_t good_multi, bad;
    utf8_census(s, n, &good_multi, &bad);
    if (!bad) {
        if (alloc_text(&out->utf8, &out->text_cap, n) < 0) {
            evx_error_set(err, EVX_E_internal, "out of memory reading %zu bytes", n);
            return -1;
        }
        memcpy(out->utf8.data, s, n);
        for (size_t i = 0; i < n; i++)
            out->utf8.orig[i] = bom + i;
        out->utf8.len = n;
        finish_text(&out->utf8, len);
        return 0;
    }
    /* Some well-formed multi-byte characters and no more damaged spots than
     * that: UTF-8 with damage. Otherwise an 8-bit legacy text. */
    if (good_multi && good_multi >= bad) {
        if (decode_utf8_lossy(s, n, bom, &out->utf8, &out->text_cap, err) < 0)
            return -1;
        snprintf(out->warnbuf, sizeof out->warnbuf,
                 "input is not valid UTF-8: %zu damaged sequence(s) replaced by U+FFFD", bad);
    } else {
        if (decode_w1252(s, n, bom, &out->utf8, &out->text_cap, err) < 0)
            return -1;
        snprintf(out->warnbuf, sizeof out->warnbuf, "input is not valid UTF-8; decoded as Windows-1252");
    }
    out->warning = out->warnbuf;
    return 0;
}

/* Decodes the out->len bytes in out->bytes (room for one more: the NUL)
 * into out->utf8, reusing its buffer when it is big enough. */
static int decode_checked(read_input *out, evx_error *err)
{
    out->bytes[out->len] = '\0';
    out->warning = NULL;
    if (decode(out, err) < 0)
        return -1;
    size_t at;
    if (has_nul(&out->utf8, &at)) { /* U+0000 spelled in UTF-16 */
        evx_error_set(err, EVX_E_binary, "holds a NUL character at offset %zu: binary data, not text", at);
        return -1;
    }
    if (!out->utf8.len) {
        evx_error_set(err, EVX_E_empty, "is empty (%zu bytes, no text)", out->len);
        return -1;
    }
    return 0;
}

int read_from_buffer(const char *bytes, size_t len, read_input *out, evx_error *err)
{
    memset(out, 0, sizeof *out);
    char *buf = malloc(len + 1);
    if (!buf) {
        evx_error_set(err, EVX_E_internal, "out of memory reading %zu bytes", len);
        return -1;
    }
    if (len)
        memcpy(buf, bytes, len);
    out->bytes = buf;
    out->bytes_cap = len + 1;
    out->len = len;
    if (decode_checked(out, err) < 0) {
        read_input_free(out);
        return -1;
    }
    return 0;
}

/* Waits until fd (a pipe, FIFO or terminal) has data or an end, looking at
 * *cancel every 100 ms: a read blocked in one thread of -j N would not see
 * a signal delivered to another. Returns 0, or ECANCELED. */
static int wait_readable(int fd, const volatile sig_atomic_t *cancel)
{
    for (;;) {
        if (cancel && *cancel)
            return ECANCELED;
        struct pollfd pfd = {fd, POLLIN, 0};
        int n = poll(&pfd, 1, 100);
        if (n > 0)
            return 0;
        if (n < 0 && errno != EINTR && errno != EAGAIN)
            return 0; /* let read() report it */
    }
}

/* Reads fd to the end (at most max bytes; 0: no limit) into a malloc'd
 * buffer. Returns 0, EFBIG when there is more than max, ECANCELED when
 * *cancel was set, or errno. */
static int slurp(int fd, int is_stream, size_t max, size_t size_hint, const volatile sig_atomic_t *cancel,
                 char **buf, size_t *bufcap, size_t *len)
{
    /* A regular file's size, plus room for the NUL and one byte more so
     * the read that sees the end needs no bigger buffer: no 64 KiB buffer
     * per 3 KB document. The caller's buffer is used when it has that room;
     * it stays the caller's (*buf, *bufcap), on an error too. */
    size_t cap = size_hint ? size_hint + 2 : 64 * 1024, n = 0;
    char *b = *buf;
    if (b && *bufcap >= cap) {
        cap = *bufcap;
    } else {
        free(b);
        *buf = NULL;
        *bufcap = 0;
        if (!(b = malloc(cap)))
            return ENOMEM;
        *buf = b;
        *bufcap = cap;
    }
    for (;;) {
        if (n + 1 >= cap) { /* always room for the NUL decode_checked puts after the bytes */
            char *nb = cap > SIZE_MAX / 2 ? NULL : realloc(b, cap * 2);
            if (!nb)
                return ENOMEM;
            *buf = b = nb;
            *bufcap = cap *= 2;
        }
        int w = is_stream ? wait_readable(fd, cancel) : 0;
        ssize_t r = w ? -1 : read(fd, b + n, cap - 1 - n);
        if (r < 0) {
            if (!w && (errno == EAGAIN || (errno == EINTR && !(cancel && *cancel))))
                continue;
            return w ? w : errno == EINTR ? ECANCELED : errno;
        }
        if (r == 0)
            break;
        n += (size_t)r;
        if (max && n > max)
            return EFBIG;
    }
    *len = n;
    return 0;
}

static int too_large(evx_error *err, size_t max, const char *size)
{
    evx_error_set(err, EVX_E_too_large, "is %s bytes, over the limit of %zu bytes (raise it with --max-size)",
                  size, max);
    return -1;
}

int read_from_path(const char *path, const read_opts *o, read_input *out, evx_error *err)
{
    memset(out, 0, sizeof *out);
    if (read_from_path_reuse(path, o, out, err) == 0)
        return 0;
    read_input_free(out);
    return -1;
}

int read_from_path_reuse(const char *path, const read_opts *o, read_input *out, evx_error *err)
{
    out->len = 0;
    out->warning = NULL;
    out->utf8.len = 0;
    size_t max = o ? o->max_size : 0;
    int is_stdin = strcmp(path, "-") == 0;
    /* O_NONBLOCK: opening a FIFO does not wait for its writer (slurp waits,
     * interruptibly). */
    int fd = is_stdin ? STDIN_FILENO : open(path, O_RDONLY | O_NOCTTY | O_NONBLOCK);
    if (fd < 0) {
        int e = errno;
        evx_error_set(err, evx_code_from_errno(e), "cannot open: %s", strerror(e));
        return -1;
    }
    struct stat sb;
    int have = fstat(fd, &sb) == 0;
    if (have) {
        char size[32];
        if (S_ISDIR(sb.st_mode) || S_ISSOCK(sb.st_mode)) {
            if (!is_stdin)
                close(fd);
            evx_error_set(err, EVX_E_not_a_file, "is a %s, expected a text file",
                          S_ISDIR(sb.st_mode) ? "folder" : "socket");
            return -1;
        }
        if (S_ISREG(sb.st_mode) && max && (uintmax_t)sb.st_size > max) {
            if (!is_stdin)
                close(fd);
            snprintf(size, sizeof size, "%jd", (intmax_t)sb.st_size);
            return too_large(err, max, size);
        }
    }
    int is_stream = have && !S_ISREG(sb.st_mode) && !S_ISBLK(sb.st_mode);
    size_t hint = have && S_ISREG(sb.st_mode) && sb.st_size > 0 && (uintmax_t)sb.st_size < SIZE_MAX / 2
                      ? (size_t)sb.st_size
                      : 0;
    if (max && hint > max)
        hint = max; /* it grew since the check above: slurp finds out */
    size_t len = 0;
    int e = slurp(fd, is_stream, max, hint, o ? o->cancel : NULL, &out->bytes, &out->bytes_cap, &len);
    if (!is_stdin)
        close(fd);
    if (e == EFBIG) {
        evx_error_set(err, EVX_E_too_large, "is more than %zu bytes, the limit (raise it with --max-size)", max);
        return -1;
    }
    if (e) {
        evx_error_set(err, e == ECANCELED ? EVX_E_read_failed : evx_code_from_errno(e), "cannot read: %s",
                      e == ECANCELED ? "interrupted" : strerror(e));
        return -1;
    }
    out->len = len;
    return decode_checked(out, err);
}

void read_input_free(read_input *in)
{
    if (!in)
        return;
    free(in->bytes);
    text_free(&in->utf8);
    memset(in, 0, sizeof *in);
}
