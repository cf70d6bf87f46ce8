/* lines.h - line structure of a normalised text, shared by the resolvers.
 *
 * Owns an index of line starts, so the line of any offset is a binary
 * search. Build once per document; free with lines_free. */
#ifndef EVX_LINES_H
#define EVX_LINES_H
#include <stddef.h>
#include "text.h"

typedef struct {
    size_t *start; /* start offset of each line */
    int n;         /* number of lines, at least 1 */
} line_index;

void lines_build(line_index *li, const evx_text *t);
void lines_free(line_index *li);
/* The line holding offset off. */
int line_of(const line_index *li, size_t off);
/* Offset of the line's end (its '\n', or the text's end). */
size_t line_end(const line_index *li, const evx_text *t, int line);
/* Whether the line holds only white space. */
int line_blank(const line_index *li, const evx_text *t, int line);
/* The cell of its line that offset pos is in, its line starting at
 * line_start: the tabs before it (a table's cells are parted by tabs). */
int line_cell_at(const evx_text *t, size_t line_start, size_t pos);

#endif
