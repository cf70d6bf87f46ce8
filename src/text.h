/* text.h - a UTF-8 text that remembers where each byte came from.
 *
 * Every stage after `read` works on an evx_text. `orig[i]` is the offset in
 * the ORIGINAL input bytes of the byte that produced data[i]; orig[len] is the
 * original input length, so a half-open span [a, b) of the text maps to the
 * original span [orig[a], orig[b]). Spans reported in records always go
 * through this map. */
#ifndef EVX_TEXT_H
#define EVX_TEXT_H
#include <stddef.h>
#include <stdint.h>

typedef struct {
    char *data;   /* NUL-terminated UTF-8, owned */
    size_t len;   /* bytes, without the NUL */
    size_t *orig; /* len + 1 entries, owned */
} evx_text;

/* Frees data and map; safe on a zeroed or already-freed text. */
void text_free(evx_text *t);

/* Length of the well-formed UTF-8 sequence at s (n bytes available), or 0
 * when it is ill-formed: overlongs, surrogates and code points above
 * U+10FFFF are rejected, so what passes is safe for ICU, PCRE2 and JSON. */
size_t text_utf8_seq_len(const unsigned char *s, size_t n);

/* Appends code point c as UTF-8, each byte mapped to orig; the caller has
 * made room for 4 bytes. */
void text_put_utf8(evx_text *t, uint32_t c, size_t orig);

#endif
