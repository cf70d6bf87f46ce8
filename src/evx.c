/* evx.c - the public API of libevx (include/evx.h) over the pipeline façade.
 *
 * Owns: the opaque handle, status codes and their messages, and where an
 * installed library finds its rules and schema. Nothing here prints; every
 * problem is returned as a status plus a message. */
#define _GNU_SOURCE /* dladdr: find the installed data relative to the library */
#include "evx.h"
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "emit.h"
#include "pipeline.h"

/* include/evx.h states the version too; CMake's project() is the source. */
#if EVX_VERSION_MAJOR != EVX_PROJECT_VERSION_MAJOR || EVX_VERSION_MINOR != EVX_PROJECT_VERSION_MINOR
#error "include/evx.h: EVX_VERSION_MAJOR/MINOR differ from project(evx VERSION ...) in CMakeLists.txt"
#endif

struct evx {
    pipeline *p;
    char err[1024];
};

static const char *const messages[] = {
    [EVX_OK] = "success",
    [EVX_EINVAL] = "invalid argument",
    [EVX_ERULES] = "the rule set could not be loaded",
    [EVX_ESCHEMA] = "the record schema could not be loaded",
    [EVX_EINPUT] = "the document could not be read or decoded",
    [EVX_EINTERNAL] = "internal error: a record failed the schema (please report)",
};

EVX_API const char *evx_strerror(evx_status status)
{
    if ((unsigned)status >= sizeof messages / sizeof *messages || !messages[status])
        return "unknown evx status";
    return messages[status];
}

EVX_API const char *evx_version(void) { return EVX_VERSION; }
EVX_API const char *evx_schema_version(void) { return EVX_SCHEMA_VERSION; }

static int exists(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0;
}

/* $env, else <libdir>/EVX_LIB_TO_DATA/rel beside this shared library (so an
 * installed tree can be moved), else the configured install path. A static
 * libevx.a resolves to the executable, where the relative path usually does
 * not exist, and falls through to the configured path. */
static const char *data_path(const char *env, const char *rel, const char *installed, char *buf, size_t len)
{
    const char *e = getenv(env);
    if (e && *e)
        return e;
    Dl_info info;
    if (dladdr((void *)&evx_version, &info) && info.dli_fname) {
        const char *slash = strrchr(info.dli_fname, '/');
        if (slash) {
            snprintf(buf, len, "%.*s/%s/%s", (int)(slash - info.dli_fname), info.dli_fname, EVX_LIB_TO_DATA, rel);
            if (exists(buf))
                return buf;
        }
    }
    return installed;
}

static void set_out(evx_status *status, evx_status v, char **errmsg, char *msg)
{
    if (status)
        *status = v;
    if (errmsg)
        *errmsg = msg;
    else
        free(msg);
}

EVX_API evx *evx_open(const char *rules_dir, const char *schema_path, evx_status *status, char **errmsg)
{
    char rules_buf[4096], schema_buf[4096];
    if (!rules_dir)
        rules_dir = data_path("EVX_RULES", "rules", EVX_INSTALLED_RULES, rules_buf, sizeof rules_buf);
    if (!schema_path)
        schema_path = data_path("EVX_SCHEMA", "schema/evx-record.schema.json", EVX_INSTALLED_SCHEMA, schema_buf,
                                sizeof schema_buf);
    /* Rule-file problems are collected in memory, not printed. */
    char *msg = NULL;
    size_t msglen = 0;
    FILE *diag = open_memstream(&msg, &msglen);
    if (!diag) {
        set_out(status, EVX_EINVAL, errmsg, strdup("evx_open: out of memory"));
        return NULL;
    }
    int failed = 0;
    pipeline *p = pipeline_open_diag(rules_dir, schema_path, diag, &failed);
    fclose(diag);
    evx *e = p ? calloc(1, sizeof *e) : NULL;
    if (!e) {
        pipeline_close(p);
        set_out(status, !p && failed == PIPELINE_FAIL_SCHEMA ? EVX_ESCHEMA : p ? EVX_EINVAL : EVX_ERULES, errmsg,
                msg);
        return NULL;
    }
    e->p = p;
    free(msg);
    set_out(status, EVX_OK, errmsg, NULL);
    return e;
}

EVX_API void evx_close(evx *e)
{
    if (!e)
        return;
    pipeline_close(e->p);
    free(e);
}

/* The message names the source and ends with the error code (error.h). */
static evx_status finish(evx *e, int rc, const char *source, const evx_error *err)
{
    if (rc == 0) {
        e->err[0] = '\0';
        return EVX_OK;
    }
    snprintf(e->err, sizeof e->err, "%s: %s [%s]", source, err->message, evx_code_name(err->code));
    return err->code == EVX_E_schema ? EVX_EINTERNAL : EVX_EINPUT;
}

EVX_API evx_status evx_process(evx *e, const char *source, const char *bytes, size_t len, json_t **record)
{
    if (record)
        *record = NULL;
    if (!e || !record || (!bytes && len)) {
        if (e)
            snprintf(e->err, sizeof e->err, "evx_process: %s is NULL", !record ? "record" : "bytes");
        return EVX_EINVAL;
    }
    evx_error err;
    const char *src = source ? source : "-";
    return finish(e, pipeline_process_buffer(e->p, src, bytes ? bytes : "", len, record, &err), src, &err);
}

EVX_API evx_status evx_process_file(evx *e, const char *path, json_t **record)
{
    if (record)
        *record = NULL;
    if (!e || !record || !path) {
        if (e)
            snprintf(e->err, sizeof e->err, "evx_process_file: %s is NULL", !record ? "record" : "path");
        return EVX_EINVAL;
    }
    evx_error err;
    return finish(e, pipeline_process(e->p, path, record, &err), path, &err);
}

EVX_API const char *evx_errmsg(const evx *e)
{
    return e ? e->err : "evx_errmsg: the handle is NULL";
}
