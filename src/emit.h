/* emit.h - stage 5: the record as JSON.
 *
 * Owns the record's JSON shape (schema/evx-record.schema.json is its
 * authority), the mapping of spans to the original input bytes, and writing:
 * NDJSON lines, or one file per input written atomically (temp + rename). */
#ifndef EVX_EMIT_H
#define EVX_EMIT_H
#include <jansson.h>
#include <stdio.h>
#include "error.h"
#include "resolve.h"

/* 1.1.0 added `status` and `status_source` (additive: no field changed). */
#define EVX_SCHEMA_VERSION "1.1.0"

/* Builds the record. `t` is the normalised text whose map gives the original
 * spans; `warnings` may be NULL. Returns a new reference (json_decref). */
json_t *emit_record(const char *source, const evx_record *rec, const evx_text *t, const char *warning);

/* One compact line + "\n" to out. Returns 0, or -1 on a write error. */
int emit_ndjson(FILE *out, const json_t *record);

/* A JSON string of s; bytes that are not UTF-8 (a Latin-1 file name)
 * become U+FFFD instead of failing. */
json_t *emit_string(const char *s);

/* The error object for an input that gave no record:
 * {"source": ..., "error": {"code": ..., "message": ...}}
 * (schema/evx-error.schema.json). New reference. */
json_t *emit_error(const char *source, const evx_error *e);

/* DIR/<stem>.json where stem is output_stem(source) (output.h). The name
 * never leaves DIR. Returns 0, or -1 with err. evx extract -o writes
 * through output.c instead, with stems unique in the run. */
int emit_file(const char *dir, const char *source, const json_t *record, char *err, size_t errlen);
/* The same for any text (formats.c): DIR/<stem>.<ext>, atomically. */
int emit_file_text(const char *dir, const char *source, const char *ext, const char *text, size_t len, char *err,
                   size_t errlen);

#endif
