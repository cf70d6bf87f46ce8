/* error.c - the per-input error codes. */
#include "error.h"
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const char *const names[] = {
    "ok",
#define X(name, what) #name,
    EVX_ERROR_CODES(X)
#undef X
};

static const char *const meanings[] = {
    "no error",
#define X(name, what) what,
    EVX_ERROR_CODES(X)
#undef X
};

const char *evx_code_name(evx_code c)
{
    return (unsigned)c < EVX_E_COUNT ? names[c] : "internal";
}

const char *evx_code_meaning(evx_code c)
{
    return (unsigned)c < EVX_E_COUNT ? meanings[c] : meanings[EVX_E_internal];
}

int evx_code_from_name(const char *name)
{
    for (int i = 1; i < EVX_E_COUNT; i++)
        if (!strcmp(names[i], name))
            return i;
    return -1;
}

void evx_error_set(evx_error *e, evx_code c, const char *fmt, ...)
{
    if (!e)
        return;
    e->code = c;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->message, sizeof e->message, fmt, ap);
    va_end(ap);
}

evx_code evx_code_from_errno(int err)
{
    switch (err) {
    case ENOENT:
    case ENOTDIR:
        return EVX_E_not_found;
    case EACCES:
    case EPERM:
        return EVX_E_permission_denied;
    case EISDIR:
        return EVX_E_not_a_file;
    case ELOOP:
        return EVX_E_symlink_loop;
    case ENOMEM:
        return EVX_E_internal;
    case EFBIG:
        return EVX_E_too_large;
    default:
        return EVX_E_read_failed;
    }
}
