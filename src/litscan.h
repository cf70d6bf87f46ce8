/* litscan.h - every required literal of a rule set, found in one pass.
 *
 * Owns an Aho-Corasick automaton over the rule set's literal strings
 * (startclass.h, required_literals) and, per document, the lines each one
 * occurs on. extract.c uses it twice: a rule none of whose literals is in
 * the document does not run at all, and a single-line rule runs only over
 * the lines that hold one of its literals. One pass over the folded text
 * replaces a search per literal, so the cost does not grow with the number
 * of rules. */
#ifndef EVX_LITSCAN_H
#define EVX_LITSCAN_H
#include <stddef.h>

typedef struct litscan litscan;

/* The automaton for lits[0..n) (folded as extract.c folds the text); NULL
 * when out of memory. */
litscan *litscan_build(char *const *lits, int n);
void litscan_free(litscan *ls);

/* The automaton as one block of bytes, for the rule cache (rulecache.h):
 * litscan_save returns a malloc'd block and its size in *size (NULL when
 * out of memory); litscan_restore makes the automaton back from a block,
 * for n literals, or returns NULL when the block is not one
 * litscan_save wrote for n literals (it checks every state and literal
 * number, so a damaged block is refused, never followed). */
unsigned char *litscan_save(const litscan *ls, size_t *size);
litscan *litscan_restore(const void *block, size_t size, int n);

/* Where the literals of one document are; buffers are reused between
 * documents. Lines are numbered from 0 by the '\n's of the folded text. */
typedef struct {
    int nlits;
    int *first;  /* nlits + 1 entries: literal i is on lines[first[i] .. first[i+1]) */
    int *lines;  /* ascending, each line once per literal */
    int *last;   /* scratch: the last line each literal was seen on */
    int *pairs;  /* scratch: (literal, line) in text order */
    size_t npairs, cappairs, caplines;
    int caplits;
} litscan_hits;

/* Finds every literal in fold[0..n). Returns 0, or -1 when out of memory
 * (hits is then unusable: run every rule everywhere). */
int litscan_run(const litscan *ls, const char *fold, size_t n, litscan_hits *hits);
void litscan_hits_free(litscan_hits *hits);

#endif
