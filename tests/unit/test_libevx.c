/* test_libevx.c - the public API (include/evx.h) through libevx.so only:
 * opening, processing buffers and files, every error path, the messages. */
#include <evx.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

#define RULES EVX_TEST_ROOT "/rules"
#define SCHEMA EVX_TEST_ROOT "/schema/evx-record.schema.json"

static void test_open_errors(void)
{
    evx_status st = EVX_OK;
    char *msg = NULL;
    CHECK(!evx_open(EVX_TEST_ROOT "/no-such-rules", SCHEMA, &st, &msg));
    CHECK(st == EVX_ERULES);
    CHECK(msg && strstr(msg, "no-such-rules"));
    free(msg);
    msg = NULL;
    CHECK(!evx_open(RULES, EVX_TEST_ROOT "/no-such.schema.json", &st, &msg));
    CHECK(st == EVX_ESCHEMA);
    CHECK(msg && strstr(msg, "no-such.schema.json"));
    free(msg);
    /* rule-file problems come back as file:line:col text, nothing printed */
    msg = NULL;
    CHECK(!evx_open(EVX_TEST_ROOT "/tests/rules_broken", SCHEMA, &st, &msg));
    CHECK(st == EVX_ERULES);
    CHECK(msg && strstr(msg, ".rules:") && strstr(msg, "error"));
    free(msg);
    CHECK(!evx_open(EVX_TEST_ROOT "/no-such-rules", SCHEMA, NULL, NULL)); /* outputs optional */
}

static void test_process(evx *e)
{
    static const char text[] = "Seminarium om segregation\n\n12 maj 2021 klockan 10.00 - 12.00\n"
                               "Plats: Stadshuset, Malmö\nKostnad: Gratis\n";
    json_t *rec = (json_t *)1;
    CHECK(evx_process(e, "mem:1", text, sizeof text - 1, &rec) == EVX_OK);
    CHECK(rec && !strcmp(json_string_value(json_object_get(rec, "source")), "mem:1"));
    json_t *occ = json_array_get(json_object_get(rec, "occurrences"), 0);
    CHECK(occ && !strcmp(json_string_value(json_object_get(occ, "date")), "2021-05-12"));
    CHECK(!strcmp(json_string_value(json_object_get(rec, "schema_version")), evx_schema_version()));
    CHECK(evx_errmsg(e)[0] == '\0');
    json_decref(rec);

    rec = (json_t *)1;
    CHECK(evx_process(e, "mem:empty", "", 0, &rec) == EVX_EINPUT);
    CHECK(rec == NULL);
    CHECK(strstr(evx_errmsg(e), "mem:empty") && strstr(evx_errmsg(e), "[empty]"));
    CHECK(evx_process(e, "mem:bin", "a\0b\0c", 5, &rec) == EVX_EINPUT && !rec);
    CHECK(strstr(evx_errmsg(e), "[binary]"));
    /* the handle is still usable after a failure */
    CHECK(evx_process(e, NULL, text, sizeof text - 1, &rec) == EVX_OK && rec);
    CHECK(rec && !strcmp(json_string_value(json_object_get(rec, "source")), "-"));
    json_decref(rec);

    CHECK(evx_process(e, "x", NULL, 3, &rec) == EVX_EINVAL && !rec);
    CHECK(evx_process(e, "x", text, 3, NULL) == EVX_EINVAL);
    CHECK(evx_process(NULL, "x", text, 3, &rec) == EVX_EINVAL);
    CHECK(strstr(evx_errmsg(e), "NULL"));
}

static void test_file(evx *e)
{
    json_t *rec = NULL;
    CHECK(evx_process_file(e, EVX_TEST_ROOT "/corpus/000_d3121016cd98e6c6.txt", &rec) == EVX_OK && rec);
    CHECK(rec && strstr(json_string_value(json_object_get(rec, "source")), "000_d3121016cd98e6c6.txt"));
    json_decref(rec);
    CHECK(evx_process_file(e, EVX_TEST_ROOT "/no-such-file.txt", &rec) == EVX_EINPUT && !rec);
    CHECK(strstr(evx_errmsg(e), "no-such-file.txt") && strstr(evx_errmsg(e), "[not_found]"));
    CHECK(evx_process_file(e, NULL, &rec) == EVX_EINVAL);
}

static void test_strings(void)
{
    for (int s = EVX_OK; s <= EVX_EINTERNAL; s++)
        CHECK(evx_strerror((evx_status)s) && *evx_strerror((evx_status)s));
    CHECK(!strcmp(evx_strerror((evx_status)999), "unknown evx status"));
    CHECK(!strcmp(evx_strerror((evx_status)-1), "unknown evx status"));
    char want[32];
    snprintf(want, sizeof want, "%d.%d.", EVX_VERSION_MAJOR, EVX_VERSION_MINOR);
    CHECK(!strncmp(evx_version(), want, strlen(want)));
    CHECK(!strcmp(evx_errmsg(NULL), "evx_errmsg: the handle is NULL"));
    evx_close(NULL);
}

int main(void)
{
    test_open_errors();
    test_strings();
    evx_status st = EVX_EINVAL;
    evx *e = evx_open(RULES, SCHEMA, &st, NULL);
    CHECK(e && st == EVX_OK);
    if (e) {
        test_process(e);
        test_file(e);
        evx_close(e);
    }
    return CHECK_DONE("test_libevx");
}
