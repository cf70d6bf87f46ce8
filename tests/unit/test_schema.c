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
#include "golden.h"

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

/* ---- the fast check agrees with the reference walker ---- */

static int agree(const schema *s, const json_t *v)
{
    int fast = schema_conforms(s, v);
    int ref = schema_explain(s, v, err, sizeof err) == 0;
    if (fast != ref) {
        char *dump = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
        fprintf(stderr, "  fast %d, reference %d (%s) on %.400s\n", fast, ref, ref ? "valid" : err, dump);
        free(dump);
    }
    return fast == ref;
}

/* What a slot (an object member or an array item) is replaced with. */
static const char *const REPLACEMENTS[] = {
    "null", "true", "false", "0", "-1", "7", "1.5", "-0.5", "\"\"", "\"x\"", "\"Zoom\"", "\"2021-05-12\"",
    "\"2021-02-30\"", "\"10:00\"", "\"25:00\"", "\"2021-05-12T10:00:00+02:00\"", "\"+4646355000\"", "\"online\"",
    "\"cancelled\"", "\"1.1.0\"", "\"ä\"", "[]", "[0]", "[0, 1]", "[1, 0, 2]", "[\"a\"]", "[null]", "{}",
    "{\"text\": \"x\", \"span\": [0, 1], \"rule\": \"r\"}", NULL /* NULL: delete the slot */
};
#define NREPL (sizeof REPLACEMENTS / sizeof *REPLACEMENTS)

/* Mutates the k-th slot (preorder) of v with replacement r, or, for r ==
 * NREPL, adds a member "zz" to (or appends a copy of the first item of) the
 * k-th container. Returns 1 once done, 0 when v has fewer slots. */
static int mutate(json_t *v, int *k, size_t r)
{
    if (!json_is_object(v) && !json_is_array(v))
        return 0;
    if (r == NREPL && (*k)-- == 0) {
        if (json_is_object(v))
            json_object_set_new(v, "zz", json_string("x"));
        else
            json_array_append_new(v, json_array_size(v) ? json_deep_copy(json_array_get(v, 0)) : json_null());
        return 1;
    }
    size_t n = json_is_object(v) ? json_object_size(v) : json_array_size(v);
    void *it = json_is_object(v) ? json_object_iter(v) : NULL;
    for (size_t i = 0; i < n; i++, it = it ? json_object_iter_next(v, it) : NULL) {
        json_t *child = it ? json_object_iter_value(it) : json_array_get(v, i);
        if (r < NREPL && (*k)-- == 0) {
            json_t *val = REPLACEMENTS[r] ? json_loads(REPLACEMENTS[r], JSON_DECODE_ANY, NULL) : NULL;
            if (it && val)
                json_object_set_new(v, json_object_iter_key(it), val);
            else if (it)
                json_object_del(v, json_object_iter_key(it));
            else if (val)
                json_array_set_new(v, i, val);
            else
                json_array_remove(v, i);
            return 1;
        }
        if (mutate(child, k, r))
            return 1;
    }
    return 0;
}

/* Every mutation of every slot of rec, one at a time. */
static void agree_mutations(const schema *s, const json_t *rec, const char *name)
{
    int tried = 0, bad = 0, valid = 0;
    CHECK(agree(s, rec));
    for (size_t r = 0; r <= NREPL; r++) {
        for (int slot = 0;; slot++) {
            json_t *m = json_deep_copy(rec);
            int k = slot;
            int done = mutate(m, &k, r);
            if (done) {
                tried++;
                valid += schema_explain(s, m, err, sizeof err) == 0;
                bad += !agree(s, m);
            }
            json_decref(m);
            if (!done)
                break;
        }
    }
    CHECK(bad == 0);
    CHECK(tried > 100 && valid > 0 && valid < tried); /* both verdicts were exercised */
    printf("  %s: %d mutations (%d valid), %d disagreements\n", name, tried, valid, bad);
}

static void test_agreement(const schema *s)
{
    json_t *rec = full();
    agree_mutations(s, rec, "FULL");
    json_decref(rec);
    rec = minimal();
    agree_mutations(s, rec, "minimal");
    json_decref(rec);
    for (size_t i = 0; i < GOLDEN_COUNT; i++) {
        rec = golden_record(i);
        CHECK(rec != NULL);
        if (!rec)
            continue;
        agree_mutations(s, rec, golden_names[i]);
        json_decref(rec);
    }
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
    CHECK(agree(s, v));
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

    /* a $ref cycle fails at the depth limit; odd keyword values, both checkers */
    s = load_text("{\"$defs\": {\"a\": {\"$ref\": \"#/$defs/a\"}}, \"$ref\": \"#/$defs/a\"}", path, sizeof path);
    CHECK(s != NULL);
    CHECK(!valid(s, "1"));
    CHECK(strstr(err, "nested too deeply") != NULL);
    schema_free(s);
    s = load_text("{\"type\": [\"string\", 3, \"null\"], \"enum\": [null, \"a\", \"\u00e5\u00e5\"], \"minLength\": 2,"
                  " \"anyOf\": [], \"required\": [\"a\", \"a\", 4]}", path, sizeof path);
    CHECK(s != NULL);
    CHECK(!valid(s, "null")); /* an empty anyOf */
    CHECK(!valid(s, "\"a\""));
    schema_free(s);
    s = load_text("{\"properties\": {\"a\": {\"type\": \"number\", \"minimum\": 1}, \"b\": true},"
                  " \"required\": [\"a\", \"a\", \"c\"], \"additionalProperties\": false,"
                  " \"prefixItems\": [{\"const\": 1}], \"items\": {\"type\": \"string\"}, \"maxItems\": 3}",
                  path, sizeof path);
    CHECK(s != NULL);
    CHECK(valid(s, "{\"a\": 1.5, \"c\": 0, \"b\": [1]}") == 0); /* c not allowed */
    CHECK(valid(s, "{\"a\": 1, \"b\": null}") == 0);              /* c missing */
    CHECK(valid(s, "[1, \"x\", \"y\"]"));
    CHECK(!valid(s, "[2]"));
    CHECK(!valid(s, "[1, \"x\", 3]"));
    CHECK(!valid(s, "[1, \"x\", \"y\", \"z\"]"));
    CHECK(valid(s, "\"anything\""));
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
        test_agreement(s);
        schema_free(s);
    }
    test_keywords();
    return CHECK_DONE("test_schema");
}
