/* inputs.h - the inputs of a run: command-line paths and folder walks.
 *
 * Owns: expanding folders into their *.txt and HTML files (sorted by name
 * at each level, hidden names skipped, symbolic links to folders not
 * followed so a link loop cannot trap the walk), keeping a folder that
 * cannot be read as an input that failed (so it is reported and counted,
 * not lost), and giving every input a distinct output stem: the second
 * input whose stem is taken gets "<stem>~2", the next "<stem>~3", ... in
 * input order.
 *
 * The walk is a cursor, not a list: it holds the sorted names of the
 * folders it is inside, never the inputs it has handed out, so a run over a
 * million files costs no more memory than a run over ten. */
#ifndef EVX_INPUTS_H
#define EVX_INPUTS_H
#include <stddef.h>
#include "error.h"

typedef struct {
    char *path;        /* as given, or folder "/" name from a walk */
    const char *stem;  /* output stem, unique in the run (stems_name); NULL without -o */
    evx_error *failed; /* set when listing already failed (unreadable folder) */
} evx_input;

typedef struct inputs_walk inputs_walk;

/* A walk over the inputs PATHS stand for (borrowed until inputs_close);
 * NULL when out of memory. */
inputs_walk *inputs_open(char *const *paths, int n);
/* Fills *in with the next input, in order (inputs_clear it when done);
 * returns 0 after the last. */
int inputs_next(inputs_walk *w, evx_input *in);
void inputs_close(inputs_walk *w);
/* Frees what *in holds (not its stem) and zeroes it. */
void inputs_clear(evx_input *in);

/* The output stems taken so far in a run (the one thing that grows with the
 * number of inputs, and only with -o). */
typedef struct stem_namer stem_namer;
stem_namer *stems_open(void);
/* The stem for path (output.h's output_stem, made unique); valid until
 * stems_close. */
const char *stems_name(stem_namer *s, const char *path);
void stems_close(stem_namer *s);

#endif
