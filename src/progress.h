/* progress.h - the progress line of a batch on a terminal.
 *
 * Owns one line on stderr, rewritten in place ("\r", erase to the end):
 * documents done/total, MB/s, the estimated time left. It is drawn at the
 * first document and then at most every 100 ms, so a fast batch does not
 * spend its time on the terminal; progress_clear erases it before other
 * messages and at the end. Only `evx extract` draws it, and only when
 * stderr is a terminal and --quiet was not given (progress_start decides). */
#ifndef EVX_PROGRESS_H
#define EVX_PROGRESS_H
#include <stddef.h>
#include <stdio.h>

typedef struct {
    FILE *out;       /* NULL: off */
    size_t total, done;
    double bytes;    /* input bytes done */
    double t0, last; /* start, last drawn (seconds) */
    int drawn;       /* the line is on the screen now */
} progress;

/* On when `enabled` and out is a terminal and there is more than one input. */
void progress_start(progress *pg, FILE *out, size_t total, int enabled);
/* One more document of `bytes` bytes done; redraws when due. */
void progress_step(progress *pg, size_t bytes);
/* Erases the line (if drawn) so the next message starts on a clean line. */
void progress_clear(progress *pg);
#endif
