/* output.h - the -o DIR folder: safe names, atomic files, --resume.
 *
 * Owns: the output name of an input (its stem, made safe: it never leaves
 * DIR, never starts with '.', holds no control characters), writing
 * DIR/<stem>.json or DIR/<stem>.error.json atomically (a temporary
 * .<name>.tmp.<pid> in DIR, fsync, rename, fsync of DIR) so a reader sees a
 * whole file or none, removing the other verdict (the CLI writes
 * DIR/<stem>.<ext> or DIR/<stem>.error.json, never both), cleaning temporaries a killed run left behind, and the
 * --resume test. Temporaries start with '.' and do not end in .json, so no
 * reader (and no evx folder walk) mistakes them for output. */
#ifndef EVX_OUTPUT_H
#define EVX_OUTPUT_H
#include <stddef.h>
#include "error.h"

typedef struct {
    char *dir;
    int dirfd; /* the folder, kept open to fsync it after each rename */
} output_dir;

/* Creates DIR when missing (one level), opens it and removes temporaries
 * of runs that are no longer alive. Returns 0, or -1 with a message. */
int output_open(output_dir *od, const char *dir, char *err, size_t errlen);
void output_close(output_dir *od);

/* The stem of source: its file name without folders and without the last
 * extension ("stdin" for "-"); control characters become '_', a leading '.'
 * becomes '_', a stem ending in ".error" gets a '_' appended (so it cannot
 * pose as another input's error file), cut to 200 bytes. Never empty. */
void output_stem(const char *source, char *buf, size_t len);

/* Writes DIR/<name> atomically: .<name>.tmp.<pid>, fsync, rename, fsync of
 * DIR. name is a stem plus extension. Returns 0, or -1 with err set
 * (write_failed). */
int output_write(output_dir *od, const char *name, const char *text, size_t len, evx_error *err);
/* Removes DIR/<name> if present (the other verdict) and syncs DIR. */
void output_remove(output_dir *od, const char *name);

/* --resume: 1 when DIR/<name> exists and was modified after input. */
int output_is_current(const output_dir *od, const char *name, const char *input);

#endif
