/* fuzz_common.h - where the harnesses find the shipped rules and schema,
 * and reading a whole file.
 *
 * $EVX_RULES and $EVX_SCHEMA win (as for evx itself), else the checkout's
 * rules/ and schema/ (paths compiled in by fuzz/CMakeLists.txt). */
#ifndef EVX_FUZZ_COMMON_H
#define EVX_FUZZ_COMMON_H
#include <stdio.h>
#include <stdlib.h>

static inline const char *fuzz_rules_dir(void)
{
    const char *e = getenv("EVX_RULES");
    return e && *e ? e : EVX_FUZZ_RULES;
}

static inline const char *fuzz_schema_path(void)
{
    const char *e = getenv("EVX_SCHEMA");
    return e && *e ? e : EVX_FUZZ_SCHEMA;
}

/* The whole file at path (malloc'd, *len bytes), or NULL when it cannot
 * be opened. */
static inline char *fuzz_slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, n = 0, r;
    char *buf = malloc(cap);
    while ((r = fread(buf + n, 1, cap - n, f)) > 0)
        if ((n += r) == cap)
            buf = realloc(buf, cap *= 2);
    fclose(f);
    *len = n;
    return buf;
}

#endif
