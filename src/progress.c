/* progress.c - a rate-limited, self-erasing progress line. */
#include "progress.h"
#include <time.h>
#include <unistd.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

void progress_start(progress *pg, FILE *out, size_t total, int enabled)
{
    *pg = (progress){0};
    if (!enabled || total < 2 || !isatty(fileno(out)))
        return;
    pg->out = out;
    pg->total = total;
    pg->t0 = now();
}

static void draw(progress *pg, double t)
{
    double secs = t - pg->t0;
    double mbs = secs > 0 ? pg->bytes / 1e6 / secs : 0;
    double left = pg->done && secs > 0 ? (double)(pg->total - pg->done) * secs / (double)pg->done : 0;
    long l = (long)(left + 0.5);
    fprintf(pg->out, "\revx: %zu/%zu documents (%.0f%%), %.1f MB/s, ETA %ld:%02ld:%02ld\033[K", pg->done, pg->total,
            100.0 * (double)pg->done / (double)pg->total, mbs, l / 3600, l / 60 % 60, l % 60);
    fflush(pg->out);
    pg->drawn = 1;
    pg->last = t;
}

void progress_step(progress *pg, size_t bytes)
{
    if (!pg->out)
        return;
    pg->done++;
    pg->bytes += (double)bytes;
    double t = now();
    if (pg->done == 1 || t - pg->last >= 0.1)
        draw(pg, t);
}

void progress_clear(progress *pg)
{
    if (!pg->out || !pg->drawn)
        return;
    fputs("\r\033[K", pg->out);
    fflush(pg->out);
    pg->drawn = 0;
}
