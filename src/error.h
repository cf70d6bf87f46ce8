/* error.h - why one input gave no record: a stable code plus a message.
 *
 * Owns the error codes evx reports per input. The codes are a contract
 * (schema/evx-error.schema.json, README "Failure modes"): scripts branch on
 * them, so a code is never renamed or reused; new ones may be added. The
 * message is for people and may change. It never repeats the input's name:
 * the caller knows which input it ran (the error object's "source"). */
#ifndef EVX_ERROR_H
#define EVX_ERROR_H
#include <stddef.h>

/* X(code, what it means) - the order is the enum order. */
#define EVX_ERROR_CODES(X)                                                          \
    X(not_found, "the input does not exist (or vanished before it was read)")      \
    X(permission_denied, "the input cannot be opened: permission denied")          \
    X(not_a_file, "the input is a folder or another thing that is not a file")     \
    X(symlink_loop, "the input is a symbolic link that loops")                     \
    X(read_failed, "reading the input failed (I/O error)")                         \
    X(empty, "the input has no text: zero bytes, or only white space")             \
    X(binary, "the input holds NUL bytes: binary data, not text")                  \
    X(encoding, "the input has a UTF-16 byte-order mark but is not valid UTF-16")  \
    X(too_large, "the input is larger than --max-size")                            \
    X(line_too_long, "a line of the input is longer than --max-line")              \
    X(match_limit, "a rule hit the PCRE2 match limit (--match-limit)")             \
    X(depth_limit, "a rule hit the PCRE2 depth limit (--depth-limit)")             \
    X(heap_limit, "a rule hit the PCRE2 heap or JIT stack limit (--heap-limit)")   \
    X(schema, "the record does not match the schema (a bug in evx)")               \
    X(write_failed, "the output could not be written")                             \
    X(internal, "out of memory or another failure inside evx")                     \
    X(html_too_deep, "an HTML input nests elements deeper than evx parses (4096)")

typedef enum {
    EVX_CODE_OK = 0, /* not an error; evx.h has its own EVX_OK */
#define X(name, what) EVX_E_##name,
    EVX_ERROR_CODES(X)
#undef X
    EVX_E_COUNT
} evx_code;

typedef struct {
    evx_code code;
    char message[512];
} evx_error;

/* "not_found" ...; "ok" for EVX_CODE_OK, "internal" for anything unknown. */
const char *evx_code_name(evx_code c);
/* One line saying what the code means (the README table). */
const char *evx_code_meaning(evx_code c);
/* The code called `name`, or -1. */
int evx_code_from_name(const char *name);
/* Sets e (when not NULL). */
void evx_error_set(evx_error *e, evx_code c, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* The code for an errno from open/read/stat. */
evx_code evx_code_from_errno(int err);

#endif
