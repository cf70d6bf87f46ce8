/* test_schema.c - the record contract and the validator that enforces it. */
#include "schema.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef EVX_TEST_ROOT
#define EVX_TEST_ROOT "."
#endif

#include "check.h"

static char err[512];

/* Every array holds one item, so each item schema is exercised. */
static const char *const FULL =
    "{\"schema_version\": \"1.1.0\", \"source\": \"corpus/x.txt\","
    " \"title\": \"Träff om segregation\","
    " \"title_source\": {\"text\": \"Träff om segregation\", \"span\": [0, 22], \"rule\": \"title/title.first_line\"},"
    " \"occurrences\": [{\"date\": \"2021-05-12\", \"start\": \"10:00\", \"end\": \"12:00\","
    "   \"start_datetime\": \"2021-05-12T10:00:00+02:00\", \"end_datetime\": null, \"city\": \"Lund\","
    "   \"text\": \"12 maj 2021 klocka 10.00 - 12.00\", \"span\": [0, 32], \"rule\": \"dates/date.dmy\"}],"
    " \"deadline\": {\"date\": \"2021-05-01\", \"text\": \"senast 1 maj\", \"span\": [40, 52], \"rule\": \"dates/deadline\"},"
    " \"venues\": [{\"name\": \"Zoom\", \"online\": true, \"text\": \"via Zoom\", \"span\": [60, 68], \"rule\": \"venues/online\"}],"
    " \"mode\": \"online\","
    " \"cost\": {\"free\": false, \"amount\": 250.5, \"currency\": \"SEK\", \"text\": \"250,50 kr\", \"span\": [70, 79], \"rule\": \"cost/amount\"},"
    " \"status\": \"cancelled\", \"status_source\": {\"text\": \"INSTÄLLT\", \"span\": [0, 9], \"rule\": \"status/status.cancelled.mark\"},"
    " \"speakers\": [{\"name\": \"Anna Berg\", \"role\": null, \"organization\": \"DELMOS\","
    "   \"text\": \"Anna Berg, DELMOS\", \"span\": [80, 97], \"rule\": \"people/speaker\"}],"
    " \"agenda\": [{\"date\": null, \"start\": \"10:00\", \"end\": null, \"title\": \"Del 1\", \"speakers\": [\"Anna Berg\"],"
    "   \"text\": \"10.00 Del 1\", \"span\": [100, 111], \"rule\": \"agenda/line\"}],"
    " \"contacts\": [{\"name\": \"Per Ek\", \"role\": null, \"email\": \"per@example.se\", \"phone\": \"046-35 50 00\","
    "   \"phone_e164\": \"+4646355000\", \"text\": \"Per Ek, 046-35 50 00\", \"span\": [120, 140], \"rule\": \"contacts/phone\"}],"
    " \"organizers\": [{\"name\": \"Länsstyrelsen Skåne\", \"text\": \"Länsstyrelsen Skåne\", \"span\": [150, 171], \"rule\": \"org/arranger\"}],"
    " \"related_events\": [{\"date\": \"2021-06-01\", \"start\": null, \"end\": null, \"title\": null,"
    "   \"text\": \"1 juni\", \"span\": [180, 186], \"rule\": \"dates/related\"}],"
    " \"warnings\": [\"input decoded as Windows-1252\"]}";

static json_t *minimal(void)
{
    return json_pack("{s:s, s:s, s:n, s:n, s:[], s:n, s:[], s:n, s:n, s:s, s:n, s:[], s:[],"
                     " s:[], s:[], s:[], s:[]}",
                     "schema_version", "1.1.0", "source", "-", "title",
                     "title_source", "occurrences", "deadline", "venues", "mode",
                     "cost", "status", "scheduled", "status_source", "speakers", "agenda", "contacts", "organizers",
                     "related_events", "warnings");
}

static json_t *full(void)
{
    json_error_t je;
    json_t *r = json_loads(FULL, 0, &je);
    if (!r)
        fprintf(stderr, "FULL: %d:%d: %s\n", je.line, je.column, je.text);
    return r;
}

/* Walks a "/a/0/b" path of existing members (no escapes needed here). */
static json_t *at(json_t *v, const char *path)
{
    char buf[128];
    snprintf(buf, sizeof buf, "%s", path);
    for (char *seg = strtok(buf, "/"); seg && v; seg = strtok(NULL, "/"))
        v = json_is_array(v) ? json_array_get(v, strtoul(seg, NULL, 10))
                             : json_object_get(v, seg);
    return v;
}

/* One broken record: set parent[key] to `value` (JSON; NULL deletes it) and
 * expect a failure message that starts with `want`. */
struct variant {
    const char *parent, *key, *value, *want;
};

static const struct variant VARIANTS[] = {
    {"", "schema_version", "\"2.0.0\"", "/schema_version: must be \"1.1.0\""},
    {"", "status", "\"moved\"", "/status: must be one of"},
    {"", "status", "null", "/status: expected string, got null"},
    {"", "status_source", NULL, "(root): missing required property \"status_source\""},
    {"/status_source", "span", "[3]", "/status_source/span: has 1 items, at least 2"},
    {"", "warnings", NULL, "(root): missing required property \"warnings\""},
    {"", "extra", "1", "/extra: property not allowed"},
    {"/occurrences/0", "date", "\"2021-13-01\"", "/occurrences/0/date: does not match pattern"},
    {"/occurrences/0", "span", "[1, 2, 3]", "/occurrences/0/span: has 3 items, at most 2"},
    {"/occurrences/0", "span", "[1]", "/occurrences/0/span: has 1 items, at least 2"},
    {"/venues/0", "span", "[-1, 4]", "/venues/0/span/0: -1 is less than minimum 0"},
    {"/venues/0", "span", "[1.5, 4]", "/venues/0/span/0: expected integer, got number"},
    {"/venues/0", "online", "\"yes\"", "/venues/0/online: expected boolean, got string"},
    {"/venues/0", "name", "\"\"", "/venues/0/name: shorter than minLength 1"},
    {"", "mode", "\"remote\"", "/mode: must be one of"},
    {"/occurrences/0", "start", "\"9:00\"", "/occurrences/0/start: does not match pattern"},
    {"/occurrences/0", "end_datetime", "\"2021-05-12T12:00:00\"", "/occurrences/0/end_datetime: does not match pattern"},
    {"/occurrences/0", "rule", "\"\"", "/occurrences/0/rule: shorter than minLength 1"},
    {"/title_source", "extra", "true", "/title_source/extra: property not allowed"},
    {"/deadline", "text", NULL, "/deadline: missing required property \"text\""},
    {"/cost", "amount", "\"250\"", "/cost/amount: expected number or null, got string"},
    {"/agenda/0", "start", "\"24:00\"", "/agenda/0/start: does not match pattern"},
    {"/contacts/0", "phone_e164", "\"046355000\"", "/contacts/0/phone_e164: does not match pattern"},
    {"/related_events/0", "date", "null", "/related_events/0/date: expected string, got null"},
};

static void apply(json_t *rec, const struct variant *v)
{
    json_t *parent = *v->parent ? at(rec, v->parent) : rec;
    if (!v->value) {
        json_object_del(parent, v->key);
        return;
    }
    json_t *val = json_loads(v->value, JSON_DECODE_ANY, NULL);
    json_object_set_new(parent, v->key, val);
}

static void test_valid(const schema *s)
{
    json_t *rec = minimal();
    CHECK(rec != NULL);
    err[0] = '\0';
    CHECK(schema_validate(s, rec, err, sizeof err) == 0);
    if (err[0])
        fprintf(stderr, "minimal: %s\n", err);
    json_decref(rec);

    rec = full();
    CHECK(rec != NULL);
    err[0] = '\0';
    CHECK(schema_validate(s, rec, err, sizeof err) == 0);
    if (err[0])
        fprintf(stderr, "full: %s\n", err);
    json_decref(rec);
}

static void test_invalid(const schema *s)
{
    for (size_t i = 0; i < sizeof VARIANTS / sizeof *VARIANTS; i++) {
        const struct variant *v = &VARIANTS[i];
        json_t *rec = full();
        apply(rec, v);
        err[0] = '\0';
        int rc = schema_validate(s, rec, err, sizeof err);
        int ok = rc == -1 && strncmp(err, v->want, strlen(v->want)) == 0;
        CHECK(ok);
        if (!ok)
            fprintf(stderr, "  variant %zu: want \"%s...\", got rc %d \"%s\"\n", i,
                    v->want, rc, err);
        json_decref(rec);
    }
    /* an agenda speaker that is not a string: array items, not object members */
    json_t *rec = full();
    json_array_set_new(at(rec, "/agenda/0/speakers"), 0, json_integer(7));
    CHECK(schema_validate(s, rec, err, sizeof err) == -1);
    CHECK(strncmp(err, "/agenda/0/speakers/0: expected string", 37) == 0);
    json_decref(rec);
}

/* Writes `text` to a temporary file and loads it as a schema. */
static schema *load_text(const char *text, char *path, size_t pathlen)
{
    snprintf(path, pathlen, "/tmp/evx_test_schema_XXXXXX");
    int fd = mkstemp(path);
    if (fd < 0)
        return NULL;
    FILE *f = fdopen(fd, "w");
    fputs(text, f);
    fclose(f);
    err[0] = '\0';
    schema *s = schema_load(path, err, sizeof err);
    unlink(path);
    return s;
}

static int valid(const schema *s, const char *instance)
{
    json_t *v = json_loads(instance, JSON_DECODE_ANY, NULL);
    int rc = schema_validate(s, v, err, sizeof err);
    json_decref(v);
    return rc == 0;
}

/* Keywords the record schema does not use (oneOf) and load errors. */
static void test_keywords(void)
{
    char path[64], want[128];
    schema *s = load_text("{\"oneOf\": [{\"type\": \"integer\"}, {\"minimum\": 5}],"
                          " \"items\": false}", path, sizeof path);
    CHECK(s != NULL);
    CHECK(valid(s, "3"));
    CHECK(!valid(s, "7")); /* both alternatives match */
    CHECK(strstr(err, "more than one oneOf") != NULL);
    CHECK(valid(s, "7.5"));
    CHECK(valid(s, "[]"));
    CHECK(!valid(s, "[1]"));
    CHECK(strncmp(err, "/0: not allowed", 15) == 0);
    schema_free(s);

    s = load_text("{\"type\": \"object\",\n \"properties\": {,}}", path, sizeof path);
    CHECK(s == NULL);
    snprintf(want, sizeof want, "%s:2:", path);
    CHECK(strncmp(err, want, strlen(want)) == 0);

    s = load_text("{\"$ref\": \"#/$defs/nope\"}", path, sizeof path);
    CHECK(s == NULL);
    CHECK(strstr(err, "#/$defs/nope") != NULL);

    s = load_text("{\"pattern\": \"(\"}", path, sizeof path);
    CHECK(s == NULL);
    CHECK(strstr(err, "pattern") != NULL);

    schema_free(NULL);
}

int main(void)
{
    schema *s = schema_load(EVX_TEST_ROOT "/schema/evx-record.schema.json", err,
                            sizeof err);
    CHECK(s != NULL);
    if (!s) {
        fprintf(stderr, "%s\n", err);
    } else {
        test_valid(s);
        test_invalid(s);
        schema_free(s);
    }
    test_keywords();
    return CHECK_DONE("test_schema");
}
