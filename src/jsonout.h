/* jsonout.h - compact JSON text of a Jansson value, fast.
 *
 * Owns writing a value as one line of compact JSON into a growing buffer
 * that the caller reuses from record to record. The text is byte for byte
 * what json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY | JSON_REAL_PRECISION(12))
 * gives (keys in insertion order, UTF-8 as is, the same escapes; numbers
 * with a fraction are formatted by Jansson itself), without Jansson's
 * per-piece callback and its per-container loop bookkeeping: the NDJSON
 * output was a fifth of everything evx does per document besides matching.
 * test_jsonout compares the two on the golden records and on every escape. */
#ifndef EVX_JSONOUT_H
#define EVX_JSONOUT_H
#include <jansson.h>
#include <stddef.h>

typedef struct {
    char *data; /* not NUL-terminated */
    size_t len, cap;
} jsonout;

/* Appends the compact JSON of v to b. Returns 0, or -1 when out of memory
 * or when v holds a string that is not UTF-8 (json_dumps fails there too);
 * b->len is then back where it was. */
int jsonout_compact(jsonout *b, const json_t *v);

/* b's text becomes v's compact JSON and a "\n": one NDJSON line. Returns
 * 0 or -1 as jsonout_compact. */
int jsonout_line(jsonout *b, const json_t *v);

/* Frees the buffer; the struct can be used again. */
void jsonout_free(jsonout *b);

#endif
