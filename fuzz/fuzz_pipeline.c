/* fuzz_pipeline.c - libFuzzer harness: any bytes through the whole pipeline.
 *
 * read -> normalise -> extract -> resolve -> emit -> schema validation, with
 * the shipped rules and schema loaded once. An input may be refused with an
 * error code (that is a handled outcome), but it must never crash, leak,
 * hit undefined behaviour, fail inside evx (EVX_E_internal) or produce a
 * record the schema rejects (EVX_E_schema): those abort here so libFuzzer
 * keeps the input. */
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "error.h"
#include "fuzz_common.h"
#include "pipeline.h"

static pipeline *pl;

static void close_pipeline(void) { pipeline_close(pl); }

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    pl = pipeline_open(fuzz_rules_dir(), fuzz_schema_path());
    if (!pl) {
        fprintf(stderr, "fuzz_pipeline: cannot load the shipped rules or schema\n");
        exit(2);
    }
    atexit(close_pipeline); /* so LeakSanitizer and valgrind see a clean exit */
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    json_t *record = NULL;
    evx_error err;
    if (pipeline_process_buffer(pl, "fuzz-input", (const char *)data, size, &record, &err) < 0) {
        /* Refusing an input (empty, binary, a limit ...) is a handled
         * outcome; a record the schema rejects or a failure inside evx is
         * a bug. */
        if (err.code == EVX_E_schema || err.code == EVX_E_internal) {
            fprintf(stderr, "fuzz_pipeline: %s: %s\n", evx_code_name(err.code), err.message);
            abort();
        }
        return 0;
    }
    char *line = json_dumps(record, JSON_COMPACT); /* what emit_ndjson writes */
    if (!line)
        abort();
    free(line);
    json_decref(record);
    return 0;
}
