/* fuzz_common.h - where the harnesses find the shipped rules and schema.
 *
 * $EVX_RULES and $EVX_SCHEMA win (as for evx itself), else the checkout's
 * rules/ and schema/ (paths compiled in by fuzz/CMakeLists.txt). */
#ifndef EVX_FUZZ_COMMON_H
#define EVX_FUZZ_COMMON_H
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

#endif
