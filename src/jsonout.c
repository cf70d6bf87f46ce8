/* jsonout.c - see jsonout.h. */
#include "jsonout.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "text.h"

static int grow(jsonout *b, size_t extra)
{
    if (b->len + extra <= b->cap)
        return 0;
    size_t cap = b->cap ? b->cap : 4096;
    while (cap < b->len + extra)
        cap *= 2;
    char *d = realloc(b->data, cap);
    if (!d)
        return -1;
    b->data = d;
    b->cap = cap;
    return 0;
}

static int put(jsonout *b, const char *s, size_t n)
{
    if (grow(b, n) < 0)
        return -1;
    memcpy(b->data + b->len, s, n);
    b->len += n;
    return 0;
}

/* Which bytes need an escape: the quote, the backslash and the controls
 * (Jansson leaves '/', DEL and everything non-ASCII alone by default). */
static int needs_escape(unsigned char c) { return c < 0x20 || c == '"' || c == '\\'; }

/* The length of the run at s that is copied as is: ASCII that needs no
 * escape. Eight bytes at a time: a word passes when none of its bytes is
 * below 0x20, a quote, a backslash or above 0x7F. */
static size_t plain_run(const char *s, size_t n)
{
    const uint64_t ones = 0x0101010101010101u, high = 0x8080808080808080u;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, s + i, 8);
        /* (x - ones * k) & ~x & high is nonzero when some byte of x is
         * below k (the classic has-less test); quote and bslash have a zero
         * byte where w holds that character */
        uint64_t quote = w ^ (ones * '"'), bslash = w ^ (ones * '\\');
        uint64_t bad = ((w - ones * 0x20) & ~w) | ((quote - ones) & ~quote) | ((bslash - ones) & ~bslash) | w;
        if (bad & high)
            break;
    }
    while (i < n && !needs_escape((unsigned char)s[i]) && (unsigned char)s[i] < 0x80)
        i++;
    return i;
}

/* A string, quoted and escaped as Jansson's dump_string does. A run of
 * plain bytes is copied at once; a non-ASCII sequence is checked to be
 * UTF-8, as Jansson checks before it writes anything. */
static int put_string(jsonout *b, const char *s, size_t n)
{
    /* at most 6 bytes per input byte (\u00XX), plus the quotes */
    if (grow(b, 6 * n + 2) < 0)
        return -1;
    char *d = b->data + b->len;
    *d++ = '"';
    for (size_t i = 0; i < n;) {
        size_t run = plain_run(s + i, n - i);
        memcpy(d, s + i, run);
        d += run;
        i += run;
        if (i == n)
            break;
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x80) {
            size_t k = text_utf8_seq_len((const unsigned char *)s + i, n - i);
            if (!k)
                return -1;
            memcpy(d, s + i, k);
            d += k;
            i += k;
            continue;
        }
        i++;
        if (!needs_escape(c)) {
            *d++ = (char)c;
            continue;
        }
        *d++ = '\\';
        switch (c) {
        case '"': *d++ = '"'; break;
        case '\\': *d++ = '\\'; break;
        case '\b': *d++ = 'b'; break;
        case '\f': *d++ = 'f'; break;
        case '\n': *d++ = 'n'; break;
        case '\r': *d++ = 'r'; break;
        case '\t': *d++ = 't'; break;
        default: {
            static const char hex[] = "0123456789ABCDEF";
            memcpy(d, "u00", 3);
            d[3] = hex[c >> 4];
            d[4] = hex[c & 15];
            d += 5;
        }
        }
    }
    *d++ = '"';
    b->len = (size_t)(d - b->data);
    return 0;
}

/* Reals go through Jansson: its shortest round-trip formatting with
 * precision 12 is not worth repeating here, and records hold few reals. */
static int put_real(jsonout *b, const json_t *v)
{
    char *s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY | JSON_REAL_PRECISION(12));
    if (!s)
        return -1;
    int rc = put(b, s, strlen(s));
    free(s);
    return rc;
}

static int value(jsonout *b, const json_t *v);

static int object(jsonout *b, const json_t *v)
{
    if (put(b, "{", 1) < 0)
        return -1;
    int first = 1;
    for (void *it = json_object_iter((json_t *)v); it; it = json_object_iter_next((json_t *)v, it)) {
        if (!first && put(b, ",", 1) < 0)
            return -1;
        first = 0;
        if (put_string(b, json_object_iter_key(it), json_object_iter_key_len(it)) < 0 || put(b, ":", 1) < 0 ||
            value(b, json_object_iter_value(it)) < 0)
            return -1;
    }
    return put(b, "}", 1);
}

static int array(jsonout *b, const json_t *v)
{
    if (put(b, "[", 1) < 0)
        return -1;
    size_t n = json_array_size(v);
    for (size_t i = 0; i < n; i++)
        if ((i && put(b, ",", 1) < 0) || value(b, json_array_get(v, i)) < 0)
            return -1;
    return put(b, "]", 1);
}

static int value(jsonout *b, const json_t *v)
{
    char num[32];
    switch (json_typeof(v)) {
    case JSON_OBJECT: return object(b, v);
    case JSON_ARRAY: return array(b, v);
    case JSON_STRING: return put_string(b, json_string_value(v), json_string_length(v));
    case JSON_INTEGER: {
        /* digits from the right; the magnitude as unsigned so INT64_MIN works */
        json_int_t i = json_integer_value(v);
        unsigned long long m = i < 0 ? 0ULL - (unsigned long long)i : (unsigned long long)i;
        char *e = num + sizeof num, *d = e;
        do
            *--d = (char)('0' + m % 10);
        while (m /= 10);
        if (i < 0)
            *--d = '-';
        return put(b, d, (size_t)(e - d));
    }
    case JSON_REAL: return put_real(b, v);
    case JSON_TRUE: return put(b, "true", 4);
    case JSON_FALSE: return put(b, "false", 5);
    case JSON_NULL: return put(b, "null", 4);
    }
    return -1;
}

int jsonout_compact(jsonout *b, const json_t *v)
{
    size_t was = b->len;
    if (!v || value(b, v) < 0) {
        b->len = was;
        return -1;
    }
    return 0;
}

int jsonout_line(jsonout *b, const json_t *v)
{
    b->len = 0;
    return jsonout_compact(b, v) < 0 ? -1 : put(b, "\n", 1);
}

void jsonout_free(jsonout *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}
