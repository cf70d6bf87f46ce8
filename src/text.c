/* text.c - the mapped text shared by every stage. */
#include "text.h"

#include <stdint.h>
#include <stdlib.h>

void text_free(evx_text *t)
{
    if (!t)
        return;
    free(t->data);
    free(t->orig);
    t->data = NULL;
    t->orig = NULL;
    t->len = 0;
}

/* Length of the well-formed UTF-8 sequence at s, or 0. Strict: rejects
 * overlongs, surrogates and code points above U+10FFFF, so that anything we
 * accept is safe to hand to ICU and PCRE2 as UTF-8. */
size_t text_utf8_seq_len(const unsigned char *s, size_t n)
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

void text_put_utf8(evx_text *t, uint32_t c, size_t orig)
{
    char buf[4];
    int k = c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
    if (k == 1)
        buf[0] = (char)c;
    else {
        for (int i = k - 1; i > 0; i--, c >>= 6)
            buf[i] = (char)(0x80 | (c & 0x3F));
        buf[0] = (char)((k == 2 ? 0xC0 : k == 3 ? 0xE0 : 0xF0) | c);
    }
    for (int i = 0; i < k; i++) {
        t->data[t->len] = buf[i];
        t->orig[t->len++] = orig;
    }
}
