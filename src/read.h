/* read.h - stage 1: bytes in, valid UTF-8 out.
 *
 * Owns: loading a file or stdin within a size limit, telling why an input
 * cannot be read (error.h codes), refusing what is not text (empty input,
 * NUL bytes), and decoding: UTF-8 (a BOM dropped), UTF-16 LE/BE with a BOM
 * (ICU), UTF-8 with a few damaged bytes (each replaced by U+FFFD), and
 * anything else as Windows-1252, a superset of Latin-1's printable
 * characters (ICU). The result keeps the raw bytes (spans point into them)
 * and a UTF-8 text mapped onto them. */
#ifndef EVX_READ_H
#define EVX_READ_H
#include <signal.h>
#include "error.h"
#include "text.h"

typedef struct {
    char *bytes;         /* the original input, owned, NUL-terminated */
    size_t len;
    evx_text utf8;       /* decoded text; utf8.orig maps into bytes */
    const char *warning; /* NULL when the input was clean UTF-8, else warnbuf */
    char warnbuf[160];
    size_t bytes_cap, text_cap; /* room in bytes and utf8, for read_from_path_reuse */
} read_input;

typedef struct {
    size_t max_size;                     /* bytes; 0 means no limit */
    const volatile sig_atomic_t *cancel; /* reading stops once *cancel != 0; may be NULL */
} read_opts;

/* Decodes `len` bytes (copied). Returns 0, or -1 with err set: empty,
 * binary, encoding or internal. */
int read_from_buffer(const char *bytes, size_t len, read_input *out, evx_error *err);
/* Reads a whole file ("-" is stdin) and decodes it. Returns 0, or -1 with
 * err set (the message does not repeat the path). o may be NULL. */
int read_from_path(const char *path, const read_opts *o, read_input *out, evx_error *err);
/* The same, reusing the buffers `out` holds from an earlier call (out must
 * be zeroed or have been filled by a read_from_*): once they are big
 * enough, reading a document allocates nothing. On failure, out keeps its
 * buffers (no text in them); read_input_free frees them in the end. */
int read_from_path_reuse(const char *path, const read_opts *o, read_input *out, evx_error *err);
/* Frees everything read_from_* allocated; safe on a zeroed struct. */
void read_input_free(read_input *in);

#endif
