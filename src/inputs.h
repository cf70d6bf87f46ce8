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
    /* The path: dir "/" name for a file found in a folder walk (the folder
     * kept once for all its files), name alone as given (dir NULL). Use
     * inputs_path. */
    const char *dir, *name;
    char *stem;        /* output stem, unique in the run (inputs_assign_stems) */
    evx_error *failed; /* set when listing already failed (unreadable folder) */
} evx_input;

typedef struct {
    /* The inputs in blocks of INPUTS_BLOCK that never move (inputs_at): a
     * list grown by doubling would hold up to twice what it needs, and
     * copies of it, at the size of half a million inputs. */
    evx_input **blocks;
    size_t n, nblocks;
    /* The folders and names, packed one after another in blocks that never
     * move: a run over half a million files keeps a short string each, not
     * a malloc each nor its folder's path again. */
    struct path_block *paths;
} evx_inputs;

#define INPUTS_BLOCK 2048

/* Input i (< n). */
static inline evx_input *inputs_at(const evx_inputs *l, size_t i)
{
    return &l->blocks[i / INPUTS_BLOCK][i % INPUTS_BLOCK];
}

/* The input's path: in->name itself, or dir "/" name written into buf
 * (len bytes, PATH_MAX is enough for what a walk finds). */
const char *inputs_path(const evx_input *in, char *buf, size_t len);

/* Appends the inputs PATHS stand for, in order. */
void inputs_collect(char *const *paths, int n, evx_inputs *out);
/* Fills every item's stem (output.h's output_stem, made unique). */
void inputs_assign_stems(evx_inputs *in);
void inputs_free(evx_inputs *in);

#endif
