/* formats.h - the record in other shapes: JSON, schema.org JSON-LD,
 * iCalendar and CSV.
 *
 * Owns `--format`: turning finished records (json_t, already validated
 * against schema/evx-record.schema.json) into the chosen output, either as
 * one stream (standard output: one header, every record, one trailer) or as
 * one file per input (DIR/<stem>.<ext>, written atomically by emit.c).
 * It reads records only through their JSON contract, never the pipeline's
 * internals, so a library user's records convert the same way.
 *
 *   ndjson  one compact record per line (default); -o: DIR/<stem>.json, pretty
 *   json    pretty; standard output gets one JSON array of all records
 *   jsonld  schema.org Event per occurrence (several: an @graph); one
 *           document per line on standard output, pretty per file
 *   ics     RFC 5545 via libical: one VEVENT per occurrence, local times
 *           with TZID=Europe/Stockholm and its VTIMEZONE
 *   csv     RFC 4180: one row per occurrence, a header once per output */
#ifndef EVX_FORMATS_H
#define EVX_FORMATS_H
#include <jansson.h>
#include <stdio.h>

typedef enum { FMT_NDJSON, FMT_JSON, FMT_JSONLD, FMT_ICS, FMT_CSV } fmt_kind;

/* "ndjson", "json", "jsonld", "ics" or "csv"; returns 0, or -1 if unknown. */
int fmt_parse(const char *name, fmt_kind *kind);
/* The names, for usage and error messages: "ndjson|json|jsonld|ics|csv". */
const char *fmt_names(void);

typedef struct fmt_writer fmt_writer;

/* A writer to `out` (dir NULL) or to one file per record in dir. Stream
 * headers (CSV header row, VCALENDAR and VTIMEZONE, "[") are written by the
 * first fmt_write or by fmt_close, so an empty run still gives a valid
 * document. Returns NULL only when out of memory. */
fmt_writer *fmt_open(fmt_kind kind, FILE *out, const char *dir);

/* Writes one record. Returns 0; 1 when it was written but something the
 * user should know was left out (e.g. no date, so no VEVENT) - err says
 * what; -1 on a write error, with err naming the file. */
int fmt_write(fmt_writer *w, const json_t *record, char *err, size_t errlen);

/* NDJSON to a stream only: writes one record's line made elsewhere (by a
 * worker thread, jsonout_line), as fmt_write would have. Returns 0, or -1
 * on a write error. */
int fmt_write_line(fmt_writer *w, const char *line, size_t len);

/* Writes the stream trailer (if any) and frees w. Returns 0, or -1 on a
 * write error (err). Safe on NULL. */
int fmt_close(fmt_writer *w, char *err, size_t errlen);

/* One record as the whole content of its own file (what -o DIR writes to
 * DIR/<stem>.<fmt_ext>): *buf (free) and *len. Returns 0; 1 when made but
 * with a note in err (as fmt_write); -1 with err. */
int fmt_render_file(fmt_kind kind, const json_t *rec, char **buf, size_t *len, char *err, size_t errlen);
/* The file extension of a format: "json", "jsonld", "ics", "csv". */
const char *fmt_ext(fmt_kind kind);

/* The pieces, for tests and library users: each appends one record's
 * output to `out`. Stream begin/end are the header and trailer. */
int fmt_jsonld(const json_t *record, json_t **doc); /* new reference in *doc */
int fmt_ics_events(FILE *out, const json_t *record); /* VEVENTs; returns the count, -1 on error */
int fmt_ics_begin(FILE *out);
int fmt_ics_end(FILE *out);
int fmt_csv_header(FILE *out);
int fmt_csv_rows(FILE *out, const json_t *record); /* returns rows written, -1 on error */

#endif
