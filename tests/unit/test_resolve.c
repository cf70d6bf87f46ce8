/* test_resolve.c - date/time resolution end to end through the pipeline:
 * the date and time shapes of the issue, CET/CEST offsets including the
 * switch days, year inference, deadlines. Uses the shipped rules. */
#include <stdio.h>
#include <string.h>
#include "pipeline.h"
#include "resolve.h"

static int passed, failed;

#define CHECK(cond, ...)                                        \
    do {                                                        \
        if (cond) {                                             \
            passed++;                                           \
        } else {                                                \
            failed++;                                           \
            fprintf(stderr, "%s:%d: FAIL: ", __FILE__, __LINE__); \
            fprintf(stderr, __VA_ARGS__);                       \
            fputc('\n', stderr);                                \
        }                                                       \
    } while (0)

static pipeline *p;

static json_t *run(const char *text)
{
    json_t *rec = NULL;
    evx_error err;
    if (pipeline_process_buffer(p, "test.txt", text, strlen(text), &rec, &err) < 0) {
        fprintf(stderr, "pipeline failed: %s [%s]\n", err.message, evx_code_name(err.code));
        return NULL;
    }
    return rec;
}

static const char *occ(json_t *rec, size_t i, const char *key)
{
    json_t *o = json_array_get(json_object_get(rec, "occurrences"), i);
    json_t *v = json_object_get(o, key);
    return json_is_string(v) ? json_string_value(v) : "null";
}

/* The first occurrence must be date/start/end (NULL: json null). */
static void expect_occ(const char *text, const char *date, const char *start, const char *end)
{
    json_t *rec = run(text);
    size_t n = json_array_size(json_object_get(rec, "occurrences"));
    CHECK(rec && n >= 1, "no occurrence in \"%s\"", text);
    if (rec && n) {
        CHECK(!strcmp(occ(rec, 0, "date"), date), "\"%s\": date %s, want %s", text, occ(rec, 0, "date"), date);
        CHECK(!strcmp(occ(rec, 0, "start"), start ? start : "null"), "\"%s\": start %s, want %s", text,
              occ(rec, 0, "start"), start ? start : "null");
        CHECK(!strcmp(occ(rec, 0, "end"), end ? end : "null"), "\"%s\": end %s, want %s", text,
              occ(rec, 0, "end"), end ? end : "null");
    }
    json_decref(rec);
}

static void expect_datetime(const char *text, const char *start_dt)
{
    json_t *rec = run(text);
    CHECK(rec && !strcmp(occ(rec, 0, "start_datetime"), start_dt), "\"%s\": start_datetime %s, want %s", text,
          rec ? occ(rec, 0, "start_datetime") : "-", start_dt);
    json_decref(rec);
}

static void expect_deadline(const char *text, const char *date)
{
    json_t *rec = run(text);
    json_t *d = json_object_get(json_object_get(rec, "deadline"), "date");
    const char *got = json_is_string(d) ? json_string_value(d) : "null";
    CHECK(!strcmp(got, date), "\"%s\": deadline %s, want %s", text, got, date);
    json_decref(rec);
}

int main(void)
{
    p = pipeline_open(EVX_TEST_ROOT "/rules", EVX_TEST_ROOT "/schema/evx-record.schema.json");
    if (!p) {
        fprintf(stderr, "cannot open the shipped rules\n");
        return 1;
    }
    /* Date and time shapes. */
    expect_occ("Möte\n12 maj 2021 klocka 10.00 - 12.00\n", "2021-05-12", "10:00", "12:00");
    expect_occ("Möte\n03 mar 2023 kl. 9.00\n", "2023-03-03", "09:00", NULL);
    expect_occ("Möte 2021\nVi ses den 8 december kl 18:30.\n", "2021-12-08", "18:30", NULL);
    expect_occ("Möte 2024\nVälkomna tisdagen 26 juni klockan 8.30–9.45!\n", "2024-06-26", "08:30", "09:45");
    expect_occ("Möte\nDatum: 2023-03-14, kl. 10-12\n", "2023-03-14", "10:00", "12:00");
    expect_occ("Möte 2023\nVi träffas 14/3 kl. 13.00 till 16.30\n", "2023-03-14", "13:00", "16:30");
    expect_occ("Möte 2023\nVi träffas 14 dec. kl 10:00\n", "2023-12-14", "10:00", NULL);
    expect_occ("Kurs\nMåndag 30 oktober 2017 08.30–12.30 samt 18.00–20.00\n", "2017-10-30", "08:30", "12:30");
    /* Europe/Stockholm: CET in winter, CEST in summer, and the switch days
     * (2021-03-28 02:00 CET -> 03:00 CEST; 2021-10-31 03:00 CEST -> 02:00 CET). */
    expect_datetime("Möte\n12 maj 2021 kl. 10.00\n", "2021-05-12T10:00:00+02:00");
    expect_datetime("Möte\n14 december 2022 kl. 10.00\n", "2022-12-14T10:00:00+01:00");
    expect_datetime("Möte\n28 mars 2021 kl. 01.30\n", "2021-03-28T01:30:00+01:00");
    expect_datetime("Möte\n28 mars 2021 kl. 03.30\n", "2021-03-28T03:30:00+02:00");
    expect_datetime("Möte\n31 oktober 2021 kl. 01.30\n", "2021-10-31T01:30:00+02:00");
    expect_datetime("Möte\n31 oktober 2021 kl. 04.00\n", "2021-10-31T04:00:00+01:00");
    /* Missing years: from the nearest written year, and from the weekday. */
    expect_occ("Utbudsdag 2022\nlördag 5 februari kl. 11.00\n", "2022-02-05", "11:00", NULL);
    expect_occ("Nyhet 15.12.2025\nFamiljedag lördag 7 december klockan 11-15.\n", "2024-12-07", "11:00", "15:00");
    /* Deadlines: before the event, so a December deadline of a January
     * event belongs to the year before. */
    expect_deadline("Konferens\n20 januari 2022 kl. 10.00\nSista anmälningsdag: 15 december\n", "2021-12-15");
    expect_deadline("Konferens\n12 maj 2021 kl. 10.00\nSista anmälningsdag: 07 maj 2021\n", "2021-05-07");
    expect_deadline("Stämma\nTid: Torsdag 28 oktober 2021, kl. 15-16.\nAnmälan görs senast två dagar innan stämman.\n",
                    "2021-10-26");
    /* A publication date is not the event's date. */
    {
        json_t *rec = run("Publicerad 3 maj 2021\nSeminarium\nDen 12 maj 2021 kl. 10.00\n");
        CHECK(json_array_size(json_object_get(rec, "occurrences")) == 1 && !strcmp(occ(rec, 0, "date"), "2021-05-12"),
              "publication date taken as occurrence");
        json_decref(rec);
    }
    {
        json_t *rec = run("Turné 2024\nVi kommer till Leksand 26 januari, Bjurholm 11 februari och Piteå 17 mars kl. 18.00.\n");
        CHECK(json_array_size(json_object_get(rec, "occurrences")) == 3, "three towns, three occurrences");
        CHECK(!strcmp(occ(rec, 0, "city"), "Leksand") && !strcmp(occ(rec, 1, "city"), "Bjurholm"),
              "cities: %s, %s", occ(rec, 0, "city"), occ(rec, 1, "city"));
        CHECK(!strcmp(occ(rec, 1, "date"), "2024-02-11"), "Bjurholm date %s", occ(rec, 1, "date"));
        json_decref(rec);
    }
    /* A list of days and ranges: every day of each. */
    {
        json_t *rec = run("Kurs\nVi ses 2–5 och 9 december 2023 kl. 10.\n");
        size_t n = json_array_size(json_object_get(rec, "occurrences"));
        CHECK(n == 5 && !strcmp(occ(rec, 2, "date"), "2023-12-04") && !strcmp(occ(rec, 4, "date"), "2023-12-09"),
              "2–5 och 9 december: %zu occurrences, third %s", n, occ(rec, 2, "date"));
        json_decref(rec);
    }
    /* The cost: who decides whether it is free, and where the price comes from. */
    {
        json_t *rec = run("Föreläsning\n17 oktober 2023 kl. 18.00\nEntré: 50 kr (medlemmar gratis).\n");
        json_t *cost = json_object_get(rec, "cost");
        CHECK(json_is_false(json_object_get(cost, "free")), "free for members only is not free");
        CHECK(json_real_value(json_object_get(cost, "amount")) == 50.0 ||
                  json_integer_value(json_object_get(cost, "amount")) == 50,
              "the price beside 'medlemmar gratis' is kept");
        json_decref(rec);
        rec = run("Föreläsning\n17 oktober 2023 kl. 18.00\nFri entré.\n");
        cost = json_object_get(rec, "cost");
        CHECK(json_is_true(json_object_get(cost, "free")) && json_is_null(json_object_get(cost, "amount")),
              "free entry: free, no amount");
        json_decref(rec);
    }
    char buf[40];
    CHECK(res_stockholm_datetime(2020, 1, 1, 0, 0, buf, sizeof buf) == 0 && !strcmp(buf, "2020-01-01T00:00:00+01:00"),
          "res_stockholm_datetime: %s", buf);
    pipeline_close(p);
    printf("test_resolve: %d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
