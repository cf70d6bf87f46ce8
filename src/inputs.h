/* inputs.h - the inputs of a run: command-line paths and folder walks.
 *
 * Owns: expanding folders into their *.txt files (sorted, hidden names
 * skipped, symbolic links to folders not followed so a link loop cannot trap
 * the walk), keeping a folder that cannot be read as an input that failed
 * (so it is reported and counted, not lost), and giving every input a
 * distinct output stem: the second input whose stem is taken gets
 * "<stem>~2", the next "<stem>~3", ... in input order. */
#ifndef EVX_INPUTS_H
#define EVX_INPUTS_H
#include <stddef.h>
#include "error.h"

typedef struct {
    char *path;        /* as given or found below a given folder */
    char *stem;        /* output stem, unique in the run (inputs_assign_stems) */
    evx_error *failed; /* set when listing already failed (unreadable folder) */
} evx_input;

typedef struct {
    evx_input *items;
    size_t n, cap;
    /* The paths, packed one after another in blocks that never move: a run
     * over half a million files keeps a string each, not a malloc each. */
    struct path_block *paths;
} evx_inputs;

/* Appends the inputs PATHS stand for, in order. */
void inputs_collect(char *const *paths, int n, evx_inputs *out);
/* Fills every item's stem (output.h's output_stem, made unique). */
void inputs_assign_stems(evx_inputs *in);
void inputs_free(evx_inputs *in);

#endif
