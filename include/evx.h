/* evx.h - the public C API of libevx: Swedish event announcements to JSON
 * records.
 *
 * This is the only header libevx installs. A handle holds one compiled rule
 * set and record schema; open it once and process any number of documents
 * with it. Records are Jansson objects (json_t *) that conform to
 * share/evx/schema/evx-record.schema.json; release them with json_decref.
 *
 * Thread safety: a handle is used by one thread at a time. Open one handle
 * per thread to process documents in parallel.
 *
 * Build: cc prog.c $(pkg-config --cflags --libs evx) */
#ifndef EVX_H
#define EVX_H
#include <jansson.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Everything else in the library is hidden (-fvisibility=hidden). */
#if defined(__GNUC__) || defined(__clang__)
#define EVX_API __attribute__((visibility("default")))
#else
#define EVX_API
#endif

/* The version of the library; matches `evx --version`. */
#define EVX_VERSION_MAJOR 0
#define EVX_VERSION_MINOR 1

/* What went wrong. 0 is success; every other value has a message from
 * evx_strerror, and the handle's evx_errmsg says where and why. */
typedef enum {
    EVX_OK = 0,
    EVX_EINVAL = 1,   /* an argument was NULL or out of range */
    EVX_ERULES = 2,   /* the rule folder is missing or has errors */
    EVX_ESCHEMA = 3,  /* the record schema is missing or unusable */
    EVX_EINPUT = 4,   /* the document could not be read or decoded, or
                         hit a limit (size, line length, PCRE2 limits) */
    EVX_EINTERNAL = 5 /* a record failed the schema: a bug in evx */
} evx_status;

/* One loaded rule set and schema. Opaque. */
typedef struct evx evx;

/* Loads and compiles the rules in rules_dir (a folder of *.rules files) and
 * the record schema at schema_path. NULL for either means: $EVX_RULES /
 * $EVX_SCHEMA if set, else the files installed with the library
 * (<prefix>/share/evx/...). Returns a handle, or NULL with the reason in
 * *status (if status is not NULL) and the details (every rule-file problem
 * as file:line:col) in *errmsg, a string to free() (if errmsg is not NULL). */
EVX_API evx *evx_open(const char *rules_dir, const char *schema_path, evx_status *status, char **errmsg);

/* Frees the handle. NULL is allowed. */
EVX_API void evx_close(evx *e);

/* Turns `len` bytes of one announcement (UTF-8; Windows-1252 is detected
 * and decoded) into a new record in *record. `source` is what the record's
 * "source" field names (a file name, URL, ...). Returns EVX_OK, or an error
 * with *record NULL and the details in evx_errmsg(e). */
EVX_API evx_status evx_process(evx *e, const char *source, const char *bytes, size_t len, json_t **record);

/* The same for a file ("-" is standard input); the path is the source. */
EVX_API evx_status evx_process_file(evx *e, const char *path, json_t **record);

/* The message of the last failed call on this handle: what, where, what to
 * do, ending with the error code of `evx extract`'s error objects in
 * brackets ("...: no such file [not_found]"; README, "Failure modes").
 * Empty after a success. Valid until the next call on the handle. */
EVX_API const char *evx_errmsg(const evx *e);

/* A short static description of a status code. */
EVX_API const char *evx_strerror(evx_status status);

/* The library version ("0.1.0") and the record schema version it emits. */
EVX_API const char *evx_version(void);
EVX_API const char *evx_schema_version(void);

#ifdef __cplusplus
}
#endif
#endif
