/* batch.h - an ordered worker pool for batches of independent items.
 *
 * Owns the threads of `evx extract -j N`: items 0, 1, 2, ... are claimed
 * (`next`) and handed out to `jobs` worker threads in index order until
 * `next` says there are no more; each result is handed to `emit` in the
 * calling thread, strictly in index order, so output is the same for any
 * number of jobs. At most `window` items are in flight (claimed but not yet
 * handed to emit), plus the one result emit is writing, so memory depends
 * on the window, never on the number of items: a slow item holds the others
 * back instead of letting finished results pile up.
 *
 * Each worker has its own state (worker_init/worker_free), e.g. a pipeline
 * with its own PCRE2 match data and JIT stack; everything shared must be
 * read-only. With jobs == 1 no thread is started: items run in the caller's
 * thread, one after the other. */
#ifndef EVX_BATCH_H
#define EVX_BATCH_H
#include <stddef.h>

typedef struct {
    /* Claims item i (called for 0, 1, 2, ... one call at a time): 1 when
     * there is an item i, 0 when the items ended before it. Item i's input
     * must stay valid until emit(i) returns, so it may reuse the place of
     * item i - window - 2. */
    int (*next)(void *ctx, size_t i);
    void *next_ctx;
    size_t n_max;  /* at most this many items, when known (0: not known) */
    int jobs;      /* worker threads (1: run inline) */
    size_t window; /* items in flight at most; 0 picks 4 * jobs */
    void *shared;  /* handed to worker_init */
    /* Per-worker state; NULL return is a failure (the batch stops). */
    void *(*worker_init)(void *shared);
    void (*worker_free)(void *state);
    /* Processes item i in a worker; the result goes to emit (or discard). */
    void *(*work)(void *state, size_t i);
    /* In the caller's thread, in index order. Nonzero stops the batch: no
     * more items are started, the ones in flight are discarded. */
    int (*emit)(void *ctx, size_t i, void *result);
    void *emit_ctx;
    /* Frees a result that will never be emitted (after a stop). */
    void (*discard)(void *result);
} batch_spec;

/* Runs the batch. Returns 0 when every item was emitted, the nonzero value
 * emit returned when it stopped the batch, or -1 when a worker could not be
 * set up (threads or worker_init). */
int batch_run(const batch_spec *b);

/* The number of online processors (at least 1): the default of -j. */
int batch_cores(void);

#endif
