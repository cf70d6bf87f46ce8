/* read.h - stage 1: bytes in, valid UTF-8 out.
 *
 * Owns: loading a file or stdin, dropping a UTF-8 BOM, and decoding input
 * that is not valid UTF-8 as Windows-1252 (ICU converter). The result keeps
 * the raw bytes (spans point into them) and a UTF-8 text mapped onto them. */
#ifndef EVX_READ_H
#define EVX_READ_H
#include "text.h"

typedef struct {
    char *bytes;         /* the original input, owned, NUL-terminated */
    size_t len;
    evx_text utf8;       /* decoded text; utf8.orig maps into bytes */
    const char *warning; /* static string, NULL when the input was clean UTF-8 */
} read_input;

/* Decodes `len` bytes (copied). Returns 0, or -1 with a message in err. */
int read_from_buffer(const char *bytes, size_t len, read_input *out,
                     char *err, size_t errlen);
/* Reads a whole file ("-" is stdin) and decodes it. Returns 0, or -1 with a
 * message naming the path and the system error in err. */
int read_from_path(const char *path, read_input *out, char *err, size_t errlen);
/* Frees everything read_from_* allocated; safe on a zeroed struct. */
void read_input_free(read_input *in);

#endif
