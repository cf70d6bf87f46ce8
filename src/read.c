/* read.c - stage 1: load bytes and decode them to mapped UTF-8. */
#include "read.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <unicode/ucnv.h>

static const char W1252_WARNING[] =
    "input is not valid UTF-8; decoded as Windows-1252";

static void set_err(char *err, size_t errlen, const char *fmt, const char *a,
                    const char *b)
{
    if (err && errlen)
        snprintf(err, errlen, fmt, a, b);
}

/* Length of the well-formed UTF-8 sequence at s, or 0. Strict: rejects
 * overlongs, surrogates and code points above U+10FFFF, so that anything we
 * accept is safe to hand to ICU and PCRE2 as UTF-8. */
static size_t utf8_seq_len(const unsigned char *s, size_t n)
{
    unsigned char c = s[0];
    if (c < 0x80)
        return 1;
    size_t len;
    unsigned char lo = 0x80, hi = 0xBF; /* allowed range of the 2nd byte */
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        if (c == 0xE0)
            lo = 0xA0; /* overlong */
        else if (c == 0xED)
            hi = 0x9F; /* surrogates */
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        if (c == 0xF0)
            lo = 0x90; /* overlong */
        else if (c == 0xF4)
            hi = 0x8F; /* > U+10FFFF */
    } else {
        return 0;
    }
    if (n < len || s[1] < lo || s[1] > hi)
        return 0;
    for (size_t i = 2; i < len; i++)
        if ((s[i] & 0xC0) != 0x80)
            return 0;
    return len;
}

static int is_valid_utf8(const unsigned char *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        size_t k = utf8_seq_len(s + i, n - i);
        if (!k)
            return 0;
        i += k;
    }
    return 1;
}

static int alloc_text(evx_text *t, size_t cap)
{
    t->data = malloc(cap + 1);
    t->orig = malloc((cap + 1) * sizeof *t->orig);
    t->len = 0;
    if (!t->data || !t->orig) {
        text_free(t);
        return -1;
    }
    return 0;
}

/* Windows-1252 is single-byte and stateless, so decoding each of the 256
 * byte values once gives a table; decoding through it lets every output
 * sequence point back at its source byte. */
static int decode_w1252(const unsigned char *s, size_t n, size_t base,
                        evx_text *t, char *err, size_t errlen)
{
    UErrorCode st = U_ZERO_ERROR;
    UConverter *cnv = ucnv_open("windows-1252", &st);
    if (U_FAILURE(st)) {
        set_err(err, errlen, "cannot open Windows-1252 converter: %s%s",
                u_errorName(st), "");
        return -1;
    }
    UChar table[256];
    for (int b = 0; b < 256; b++) {
        char in = (char)b;
        UChar u[4];
        st = U_ZERO_ERROR;
        int32_t k = ucnv_toUChars(cnv, u, 4, &in, 1, &st);
        /* Surrogates cannot come out of a single byte; be safe anyway. */
        table[b] = (U_FAILURE(st) || k != 1 || U16_IS_SURROGATE(u[0]))
                       ? 0xFFFD : u[0];
    }
    ucnv_close(cnv);

    if (alloc_text(t, 3 * n) < 0) { /* a BMP code point is <= 3 bytes */
        set_err(err, errlen, "out of memory%s%s", "", "");
        return -1;
    }
    char *d = t->data;
    size_t j = 0;
    for (size_t i = 0; i < n; i++) {
        UChar c = table[s[i]];
        size_t start = j;
        if (c == 0) {
            d[j++] = ' '; /* keep C strings whole */
        } else if (c < 0x80) {
            d[j++] = (char)c;
        } else if (c < 0x800) {
            d[j++] = (char)(0xC0 | (c >> 6));
            d[j++] = (char)(0x80 | (c & 0x3F));
        } else {
            d[j++] = (char)(0xE0 | (c >> 12));
            d[j++] = (char)(0x80 | ((c >> 6) & 0x3F));
            d[j++] = (char)(0x80 | (c & 0x3F));
        }
        for (size_t q = start; q < j; q++)
            t->orig[q] = base + i;
    }
    d[j] = '\0';
    t->orig[j] = base + n;
    t->len = j;
    return 0;
}

int read_from_buffer(const char *bytes, size_t len, read_input *out,
                     char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    out->bytes = malloc(len + 1);
    if (!out->bytes) {
        set_err(err, errlen, "out of memory%s%s", "", "");
        return -1;
    }
    if (len)
        memcpy(out->bytes, bytes, len);
    out->bytes[len] = '\0';
    out->len = len;

    const unsigned char *s = (const unsigned char *)out->bytes;
    size_t bom = (len >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF)
                     ? 3 : 0;
    s += bom;
    size_t n = len - bom;

    if (!is_valid_utf8(s, n)) {
        if (decode_w1252(s, n, bom, &out->utf8, err, errlen) < 0) {
            read_input_free(out);
            return -1;
        }
        out->warning = W1252_WARNING;
        return 0;
    }
    if (alloc_text(&out->utf8, n) < 0) {
        read_input_free(out);
        set_err(err, errlen, "out of memory%s%s", "", "");
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        out->utf8.data[i] = s[i] ? (char)s[i] : ' '; /* keep C strings whole */
        out->utf8.orig[i] = bom + i;
    }
    out->utf8.data[n] = '\0';
    out->utf8.orig[n] = len;
    out->utf8.len = n;
    return 0;
}

/* Reads fd to the end into a malloc'd buffer. Returns 0, or errno. */
static int slurp(int fd, char **buf, size_t *len)
{
    size_t cap = 64 * 1024, n = 0;
    char *b = malloc(cap);
    if (!b)
        return ENOMEM;
    for (;;) {
        if (n == cap) {
            char *nb = cap > SIZE_MAX / 2 ? NULL : realloc(b, cap * 2);
            if (!nb) {
                free(b);
                return ENOMEM;
            }
            b = nb;
            cap *= 2;
        }
        ssize_t r = read(fd, b + n, cap - n);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            int e = errno;
            free(b);
            return e;
        }
        if (r == 0)
            break;
        n += (size_t)r;
    }
    *buf = b;
    *len = n;
    return 0;
}

int read_from_path(const char *path, read_input *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    int is_stdin = strcmp(path, "-") == 0;
    const char *name = is_stdin ? "<stdin>" : path;
    int fd = is_stdin ? STDIN_FILENO : open(path, O_RDONLY);
    if (fd < 0) {
        set_err(err, errlen, "cannot open %s: %s", name, strerror(errno));
        return -1;
    }
    struct stat sb;
    if (fstat(fd, &sb) == 0 && S_ISDIR(sb.st_mode)) {
        if (!is_stdin)
            close(fd);
        set_err(err, errlen, "cannot read %s: %s", name,
                "is a directory, expected a text file");
        return -1;
    }
    char *buf = NULL;
    size_t len = 0;
    int e = slurp(fd, &buf, &len);
    if (!is_stdin)
        close(fd);
    if (e) {
        set_err(err, errlen, "cannot read %s: %s", name, strerror(e));
        return -1;
    }
    int rc = read_from_buffer(buf, len, out, err, errlen);
    free(buf);
    return rc;
}

void read_input_free(read_input *in)
{
    if (!in)
        return;
    free(in->bytes);
    text_free(&in->utf8);
    memset(in, 0, sizeof *in);
}
