/* batch.c - ordered worker pool (pthreads) with a bounded window. */
#include "batch.h"
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

typedef struct {
    const batch_spec *b;
    size_t window;
    pthread_mutex_t mu;
    pthread_cond_t ready; /* a result landed: the emitter may go on */
    pthread_cond_t space; /* the window moved or the batch stopped */
    size_t next_claim;    /* next item a worker takes */
    size_t next_emit;     /* next item the emitter hands out */
    int ended;            /* next() said no: next_claim is the number of items */
    int stop;
    void **slot;          /* result of item i sits at i % window */
    unsigned char *done;
} pool;

typedef struct {
    pool *p;
    void *state;
} worker_arg;

int batch_cores(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > 256 ? 256 : (int)n;
}

static void *worker(void *arg)
{
    worker_arg *w = arg;
    pool *p = w->p;
    const batch_spec *b = p->b;
    pthread_mutex_lock(&p->mu);
    for (;;) {
        while (!p->stop && !p->ended && p->next_claim - p->next_emit >= p->window)
            pthread_cond_wait(&p->space, &p->mu);
        if (p->stop || p->ended)
            break;
        if (!b->next(b->next_ctx, p->next_claim)) {
            p->ended = 1;
            pthread_cond_signal(&p->ready); /* the emitter may be waiting for this item */
            break;
        }
        size_t i = p->next_claim++;
        pthread_mutex_unlock(&p->mu);
        void *r = b->work(w->state, i);
        pthread_mutex_lock(&p->mu);
        p->slot[i % p->window] = r;
        p->done[i % p->window] = 1;
        if (i == p->next_emit)
            pthread_cond_signal(&p->ready);
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

static int run_inline(const batch_spec *b)
{
    void *st = b->worker_init(b->shared);
    if (!st)
        return -1;
    int rc = 0;
    for (size_t i = 0; !rc && b->next(b->next_ctx, i); i++)
        rc = b->emit(b->emit_ctx, i, b->work(st, i));
    b->worker_free(st);
    return rc;
}

/* The caller's side: hand out results in order until done or stopped. */
static int emit_all(pool *p)
{
    const batch_spec *b = p->b;
    int rc = 0;
    for (size_t i = 0; !rc; i++) {
        pthread_mutex_lock(&p->mu);
        while (!p->done[i % p->window] && !(p->ended && i >= p->next_claim))
            pthread_cond_wait(&p->ready, &p->mu);
        if (!p->done[i % p->window]) { /* every item was emitted */
            pthread_mutex_unlock(&p->mu);
            break;
        }
        void *r = p->slot[i % p->window];
        p->done[i % p->window] = 0;
        p->next_emit = i + 1;
        pthread_cond_broadcast(&p->space);
        pthread_mutex_unlock(&p->mu);
        rc = b->emit(b->emit_ctx, i, r);
    }
    if (rc) {
        pthread_mutex_lock(&p->mu);
        p->stop = 1;
        pthread_cond_broadcast(&p->space);
        pthread_mutex_unlock(&p->mu);
    }
    return rc;
}

int batch_run(const batch_spec *b)
{
    int jobs = b->jobs < 1 ? 1 : b->jobs;
    if (b->n_max && (size_t)jobs > b->n_max)
        jobs = (int)b->n_max;
    if (jobs == 1)
        return run_inline(b);
    pool p = {.b = b, .window = b->window ? b->window : 4 * (size_t)jobs};
    if (p.window < (size_t)jobs)
        p.window = (size_t)jobs;
    p.slot = calloc(p.window, sizeof *p.slot);
    p.done = calloc(p.window, 1);
    worker_arg *w = calloc((size_t)jobs, sizeof *w);
    pthread_t *tid = calloc((size_t)jobs, sizeof *tid);
    int rc = -1, started = 0;
    if (!p.slot || !p.done || !w || !tid)
        goto out;
    /* States are made here, before any thread runs, so a failure stops the
     * batch before it starts. */
    for (int k = 0; k < jobs; k++) {
        w[k].p = &p;
        if (!(w[k].state = b->worker_init(b->shared)))
            goto out;
    }
    pthread_mutex_init(&p.mu, NULL);
    pthread_cond_init(&p.ready, NULL);
    pthread_cond_init(&p.space, NULL);
    for (; started < jobs; started++)
        if (pthread_create(&tid[started], NULL, worker, &w[started]) != 0)
            break;
    if (started == 0) { /* no thread at all: the caller's thread does it */
        rc = 0;
        for (size_t i = 0; !rc && b->next(b->next_ctx, i); i++)
            rc = b->emit(b->emit_ctx, i, b->work(w[0].state, i));
    } else { /* fewer threads than asked still finish the batch */
        rc = emit_all(&p);
    }
    for (int k = 0; k < started; k++)
        pthread_join(tid[k], NULL);
    /* After a stop, results that finished but were never emitted. */
    for (size_t s = 0; s < p.window; s++)
        if (p.done[s] && b->discard)
            b->discard(p.slot[s]);
    pthread_cond_destroy(&p.space);
    pthread_cond_destroy(&p.ready);
    pthread_mutex_destroy(&p.mu);
out:
    for (int k = 0; k < jobs; k++)
        if (w && w[k].state)
            b->worker_free(w[k].state);
    free(tid);
    free(w);
    free(p.done);
    free(p.slot);
    return rc;
}
