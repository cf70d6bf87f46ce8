/* diag.c - gcc-style diagnostics. */
#include "diag.h"
#include <stdarg.h>

void diag_init(diag_sink *d, FILE *out)
{
    d->errors = d->warnings = 0;
    d->out = out ? out : stderr;
}

static void report(diag_sink *d, const char *kind, const char *file, int line,
                   int col, const char *fmt, va_list ap)
{
    if (line > 0)
        fprintf(d->out, "%s:%d:%d: %s: ", file, line, col > 0 ? col : 1, kind);
    else
        fprintf(d->out, "%s: %s: ", file, kind);
    vfprintf(d->out, fmt, ap);
    fputc('\n', d->out);
}

void diag_error(diag_sink *d, const char *file, int line, int col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    report(d, "error", file, line, col, fmt, ap);
    va_end(ap);
    d->errors++;
}

void diag_warning(diag_sink *d, const char *file, int line, int col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    report(d, "warning", file, line, col, fmt, ap);
    va_end(ap);
    d->warnings++;
}
