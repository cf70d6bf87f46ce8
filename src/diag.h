/* diag.h - the one place that prints problems.
 *
 * Rule-file problems are reported gcc style, "file:line:col: error: msg",
 * so editors can jump to them; counts are kept so callers can decide the
 * exit status. Library code never prints any other way. */
#ifndef EVX_DIAG_H
#define EVX_DIAG_H
#include <stdio.h>

typedef struct {
    int errors;
    int warnings;
    FILE *out; /* stderr unless a test redirects it */
} diag_sink;

void diag_init(diag_sink *d, FILE *out);
void diag_error(diag_sink *d, const char *file, int line, int col,
                const char *fmt, ...) __attribute__((format(printf, 5, 6)));
void diag_warning(diag_sink *d, const char *file, int line, int col,
                  const char *fmt, ...) __attribute__((format(printf, 5, 6)));

#endif
