/* test_batch.c - the ordered worker pool: order, window, stop, states. */
#include "batch.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "check.h"

typedef struct {
    pthread_mutex_t mu;
    int states, live_states;  /* made / not yet freed */
    long produced, freed;     /* results allocated / freed */
    long in_flight, max_in_flight; /* produced but not emitted or discarded */
    size_t expect;            /* next index emit expects */
    int out_of_order;
    size_t stop_at;           /* emit returns 7 here (SIZE_MAX: never) */
    int fail_init_at;         /* worker_init fails on this call (-1: never) */
    size_t n, window;         /* items, the batch's window */
    size_t claimed;           /* items next() said yes to */
    int claims_out_of_order;  /* next() asked for an index out of turn */
    int ring_overrun;         /* an item claimed while one window + 2 back was not emitted */
} world;

typedef struct {
    world *w;
    int id;
} state;

static void *w_init(void *shared)
{
    world *w = shared;
    pthread_mutex_lock(&w->mu);
    int n = w->states++;
    pthread_mutex_unlock(&w->mu);
    if (n == w->fail_init_at)
        return NULL;
    state *s = malloc(sizeof *s);
    s->w = w;
    s->id = n;
    pthread_mutex_lock(&w->mu);
    w->live_states++;
    pthread_mutex_unlock(&w->mu);
    return s;
}

static void w_free(void *st)
{
    state *s = st;
    pthread_mutex_lock(&s->w->mu);
    s->w->live_states--;
    pthread_mutex_unlock(&s->w->mu);
    free(s);
}

static int next(void *ctx, size_t i)
{
    world *w = ctx;
    pthread_mutex_lock(&w->mu);
    if (i != w->claimed)
        w->claims_out_of_order++;
    int yes = i < w->n;
    if (yes)
        w->claimed = i + 1;
    pthread_mutex_unlock(&w->mu);
    return yes;
}

static void *work(void *st, size_t i)
{
    state *s = st;
    /* Uneven work, so that later items often finish first. */
    struct timespec ts = {0, (long)((i * 7919) % 13) * 20000};
    nanosleep(&ts, NULL);
    size_t *r = malloc(sizeof *r);
    *r = i * 3 + 1;
    pthread_mutex_lock(&s->w->mu);
    s->w->produced++;
    if (++s->w->in_flight > s->w->max_in_flight)
        s->w->max_in_flight = s->w->in_flight;
    pthread_mutex_unlock(&s->w->mu);
    return r;
}

static void release(world *w, size_t *r)
{
    pthread_mutex_lock(&w->mu);
    w->freed++;
    w->in_flight--;
    pthread_mutex_unlock(&w->mu);
    free(r);
}

static world *the_world;

static int emit(void *ctx, size_t i, void *result)
{
    world *w = ctx;
    size_t *r = result;
    pthread_mutex_lock(&w->mu);
    /* Item i's input may live in a ring of window + 2 places (batch.h). */
    if (w->claimed > i + (w->window ? w->window : 4) + 2)
        w->ring_overrun++;
    pthread_mutex_unlock(&w->mu);
    if (i != w->expect || *r != i * 3 + 1)
        w->out_of_order++;
    w->expect = i + 1;
    release(w, r);
    return i == w->stop_at ? 7 : 0;
}

static void discard(void *result) { release(the_world, result); }

static int run(world *w, size_t n, int jobs, size_t window, size_t n_max)
{
    pthread_mutex_init(&w->mu, NULL);
    the_world = w;
    w->n = n;
    w->window = window ? window : 4 * (size_t)jobs;
    batch_spec b = {.next = next, .next_ctx = w, .n_max = n_max, .jobs = jobs, .window = window, .shared = w, .worker_init = w_init,
                    .worker_free = w_free, .work = work, .emit = emit, .emit_ctx = w, .discard = discard};
    int rc = batch_run(&b);
    pthread_mutex_destroy(&w->mu);
    CHECK(w->claims_out_of_order == 0);
    CHECK(w->ring_overrun == 0);
    return rc;
}

int main(void)
{
    for (int jobs = 1; jobs <= 4; jobs++) {
        world w = {.stop_at = (size_t)-1, .fail_init_at = -1};
        CHECK(run(&w, 500, jobs, 6, 0) == 0);
        CHECK(w.expect == 500);
        CHECK(w.out_of_order == 0);
        CHECK(w.produced == 500 && w.freed == 500);
        /* The window bounds what is held at once, whatever n is: the
         * window's results and the one emit is writing (the window moves
         * on before emit runs, so that writing overlaps the work). */
        CHECK(w.max_in_flight <= (jobs == 1 ? 1 : 6 + 1));
        CHECK(w.states == jobs && w.live_states == 0);
    }
    /* A stop from emit: nothing after it is emitted, nothing leaks, and
     * only the window's worth was started past it. */
    for (int jobs = 1; jobs <= 3; jobs += 2) {
        world w = {.stop_at = 100, .fail_init_at = -1};
        CHECK(run(&w, 1000, jobs, 8, 0) == 7);
        CHECK(w.expect == 101);
        CHECK(w.out_of_order == 0);
        CHECK(w.produced == w.freed);
        CHECK(w.produced <= 101 + 8);
        CHECK(w.live_states == 0);
    }
    /* A worker that cannot be set up: the batch fails before it starts. */
    {
        world w = {.stop_at = (size_t)-1, .fail_init_at = 1};
        CHECK(run(&w, 50, 3, 0, 0) == -1);
        CHECK(w.produced == 0 && w.live_states == 0);
    }
    /* Empty batch and more jobs than items. */
    {
        world w = {.stop_at = (size_t)-1, .fail_init_at = -1};
        CHECK(run(&w, 0, 4, 0, 0) == 0);
        CHECK(w.produced == 0 && w.live_states == 0);
        /* n_max known: no more workers than items */
        world v = {.stop_at = (size_t)-1, .fail_init_at = -1};
        CHECK(run(&v, 2, 8, 0, 2) == 0);
        CHECK(v.expect == 2 && v.out_of_order == 0 && v.states == 2);
        /* not known: the idle workers find the end and leave */
        world u = {.stop_at = (size_t)-1, .fail_init_at = -1};
        CHECK(run(&u, 2, 8, 0, 0) == 0);
        CHECK(u.expect == 2 && u.out_of_order == 0 && u.states == 8 && u.live_states == 0);
    }
    CHECK(batch_cores() >= 1);
    return CHECK_DONE("test_batch");
}
