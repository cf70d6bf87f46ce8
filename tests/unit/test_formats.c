/* test_formats.c - --format ics parsed back with libical; CSV quoting;
 * the writers' stream and per-file shapes. */
#define _GNU_SOURCE
#include "formats.h"

#include <libical/ical.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "pipeline.h"

#ifndef EVX_TEST_ROOT
#define EVX_TEST_ROOT "."
#endif

#include "check.h"

/* Two days, a programme, a contact with an e-mail, a price. */
static const char ANNOUNCEMENT[] = "Nationella vattendagarna 2024\n"
                                   "\n"
                                   "Datum: 14-15 maj 2024\n"
                                   "Plats: Kulturhuset Spira, Jönköping\n"
                                   "\n"
                                   "Program 14 maj\n"
                                   "10.00-12.00 Vattnet i den täta staden\n"
                                   "13.00-16.00 Panelsamtal om dricksvattnets framtid\n"
                                   "\n"
                                   "Program 15 maj\n"
                                   "09.00-12.00 Studiebesök vid reningsverket\n"
                                   "\n"
                                   "Kostnad: 3 900 kr exkl. moms\n"
                                   "Kontakt: Eva Lind, eva.lind@example.se\n";

static char *ics_of(const json_t *rec)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    CHECK(fmt_ics_begin(m) == 0);
    int n = fmt_ics_events(m, rec);
    CHECK(n == (int)json_array_size(json_object_get(rec, "occurrences")));
    CHECK(fmt_ics_end(m) == 0);
    fclose(m);
    return buf;
}

static const char *tzid_of(icalproperty *p)
{
    icalparameter *tz = p ? icalproperty_get_first_parameter(p, ICAL_TZID_PARAMETER) : NULL;
    return tz ? icalparameter_get_tzid(tz) : NULL;
}

static void test_ics_roundtrip(pipeline *p)
{
    json_t *rec = NULL;
    evx_error err;
    CHECK(pipeline_process_buffer(p, "vatten.txt", ANNOUNCEMENT, strlen(ANNOUNCEMENT), &rec, &err) == 0);
    if (!rec) {
        fprintf(stderr, "%s\n", err.message);
        return;
    }
    CHECK(json_array_size(json_object_get(rec, "occurrences")) == 2);
    char *text = ics_of(rec);
    CHECK(strstr(text, "\r\n") != NULL); /* RFC 5545 lines end in CRLF */
    icalcomponent *cal = icalparser_parse_string(text);
    CHECK(cal && icalcomponent_isa(cal) == ICAL_VCALENDAR_COMPONENT);
    if (!cal)
        goto out;
    icalcomponent *tz = icalcomponent_get_first_component(cal, ICAL_VTIMEZONE_COMPONENT);
    CHECK(tz && !strcmp(icalproperty_get_tzid(icalcomponent_get_first_property(tz, ICAL_TZID_PROPERTY)),
                        "Europe/Stockholm"));
    CHECK(icalcomponent_count_components(cal, ICAL_VEVENT_COMPONENT) == 2);

    static const char *const starts[] = {"20240514T100000", "20240515T090000"};
    static const char *const ends[] = {"20240514T160000", "20240515T120000"};
    const char *uid0 = NULL;
    int i = 0;
    for (icalcomponent *ev = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT); ev && i < 2;
         ev = icalcomponent_get_next_component(cal, ICAL_VEVENT_COMPONENT), i++) {
        icalproperty *ds = icalcomponent_get_first_property(ev, ICAL_DTSTART_PROPERTY);
        icalproperty *de = icalcomponent_get_first_property(ev, ICAL_DTEND_PROPERTY);
        CHECK(ds && !strcmp(icaltime_as_ical_string(icalproperty_get_dtstart(ds)), starts[i]));
        CHECK(de && !strcmp(icaltime_as_ical_string(icalproperty_get_dtend(de)), ends[i]));
        CHECK(tzid_of(ds) && !strcmp(tzid_of(ds), "Europe/Stockholm"));
        CHECK(tzid_of(de) && !strcmp(tzid_of(de), "Europe/Stockholm"));
        /* The VTIMEZONE resolves: 10:00 CEST is 08:00 UTC. */
        struct icaltimetype s = icalcomponent_get_dtstart(ev);
        struct icaltimetype u = icaltime_convert_to_zone(s, icaltimezone_get_utc_timezone());
        CHECK(u.hour == s.hour - 2);
        CHECK(!strcmp(icalcomponent_get_summary(ev), "Nationella vattendagarna 2024"));
        CHECK(!strcmp(icalcomponent_get_location(ev), "Kulturhuset Spira, Jönköping"));
        const char *desc = icalcomponent_get_description(ev);
        CHECK(desc && strstr(desc, i ? "Studiebesök vid reningsverket" : "Vattnet i den täta staden"));
        CHECK(desc && !strstr(desc, i ? "Vattnet" : "Studiebesök")); /* each day its own programme */
        icalproperty *org = icalcomponent_get_first_property(ev, ICAL_ORGANIZER_PROPERTY);
        CHECK(org && !strcmp(icalproperty_get_organizer(org), "mailto:eva.lind@example.se"));
        icalproperty *contact = icalcomponent_get_first_property(ev, ICAL_CONTACT_PROPERTY);
        CHECK(contact && strstr(icalproperty_get_contact(contact), "Eva Lind"));
        const char *uid = icalcomponent_get_uid(ev);
        CHECK(uid && strlen(uid) > 10);
        if (i == 0)
            uid0 = uid;
        else
            CHECK(uid0 && strcmp(uid, uid0)); /* one UID per occurrence */
        struct icaltimetype st = icalcomponent_get_dtstamp(ev);
        CHECK(icaltime_is_utc(st) && st.year == 2024 && st.month == 5 && st.day == 14);
    }
    /* Same input, same calendar: UIDs and DTSTAMP do not depend on the run. */
    char *again = ics_of(rec);
    CHECK(!strcmp(text, again));
    free(again);
    icalcomponent_free(cal);
out:
    free(text);
    json_decref(rec);
}

/* A minimal schema-1.1.0-shaped record, for the shapes the corpus lacks. */
static json_t *record(const char *title, const char *date, const char *start, const char *status)
{
    return json_pack("{s:s, s:s, s:s?, s:[{s:s, s:s?, s:n, s:s?, s:n, s:n}], s:n, s:[], s:n, s:n, s:s,"
                     " s:[], s:[], s:[], s:[]}",
                     "schema_version", "1.1.0", "source", "x/y.txt", "title", title, "occurrences", "date", date,
                     "start", start, "end", "start_datetime", start ? "2024-01-10T18:00:00+01:00" : NULL,
                     "end_datetime", "city", "deadline", "venues", "mode", "cost", "status", status, "speakers",
                     "agenda", "contacts", "organizers");
}

static void test_ics_all_day_and_status(void)
{
    json_t *rec = record("Vinterdag", "2024-01-10", NULL, "cancelled");
    char *text = ics_of(rec);
    icalcomponent *cal = icalparser_parse_string(text);
    icalcomponent *ev = cal ? icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT) : NULL;
    CHECK(ev != NULL);
    if (ev) {
        struct icaltimetype s = icalcomponent_get_dtstart(ev), e = icalcomponent_get_dtend(ev);
        CHECK(s.is_date && s.year == 2024 && s.month == 1 && s.day == 10);
        CHECK(e.is_date && e.day == 11); /* DTEND of an all-day event is exclusive */
        CHECK(icalcomponent_get_status(ev) == ICAL_STATUS_CANCELLED);
        CHECK(strstr(text, "DTSTART;VALUE=DATE:20240110\r\n") != NULL);
    }
    icalcomponent_free(cal);
    free(text);
    json_decref(rec);

    rec = record("Kväll", "2024-01-10", "18:00", "postponed");
    text = ics_of(rec);
    CHECK(strstr(text, "DTSTART;TZID=Europe/Stockholm:20240110T180000\r\n") != NULL);
    CHECK(strstr(text, "STATUS:TENTATIVE\r\n") != NULL);
    CHECK(strstr(text, "DTEND") == NULL); /* no end time written: none invented */
    free(text);
    json_decref(rec);
}

static char *csv_of(const json_t *rec)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    CHECK(fmt_csv_rows(m, rec) == 1);
    fclose(m);
    return buf;
}

static void test_csv_quoting(void)
{
    json_t *rec = record("Vår \"stora\" dag, del 2\nrad två", "2024-01-10", "18:00", "scheduled");
    char *row = csv_of(rec);
    CHECK(!strcmp(row, "x/y.txt,\"Vår \"\"stora\"\" dag, del 2\nrad två\",2024-01-10,18:00,,,,,,,,scheduled\r\n"));
    free(row);
    json_decref(rec);
}

/* Stream shapes: json is one array; an ics stream with no record is still a
 * calendar; -o writes DIR/<stem>.<ext>. */
static void test_writers(void)
{
    char *buf = NULL, err[256];
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    fmt_writer *w = fmt_open(FMT_JSON, m, NULL);
    json_t *a = record("A", "2024-01-10", NULL, "scheduled"), *b = record("B", "2024-01-11", NULL, "scheduled");
    CHECK(fmt_write(w, a, err, sizeof err) == 0 && fmt_write(w, b, err, sizeof err) == 0);
    CHECK(fmt_close(w, err, sizeof err) == 0);
    fclose(m);
    json_error_t je;
    json_t *all = json_loads(buf, 0, &je);
    CHECK(json_is_array(all) && json_array_size(all) == 2);
    json_decref(all);
    free(buf);

    m = open_memstream(&buf, &len);
    w = fmt_open(FMT_ICS, m, NULL);
    CHECK(fmt_close(w, err, sizeof err) == 0);
    fclose(m);
    icalcomponent *cal = icalparser_parse_string(buf);
    CHECK(cal && icalcomponent_count_components(cal, ICAL_VEVENT_COMPONENT) == 0);
    icalcomponent_free(cal);
    free(buf);

    char dir[] = "/tmp/evx-fmt-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    fmt_kind k;
    CHECK(fmt_parse("ics", &k) == 0 && k == FMT_ICS);
    CHECK(fmt_parse("xml", &k) < 0);
    w = fmt_open(FMT_ICS, NULL, dir);
    CHECK(fmt_write(w, a, err, sizeof err) == 0);
    CHECK(fmt_close(w, err, sizeof err) == 0);
    char path[512];
    snprintf(path, sizeof path, "%s/y.ics", dir);
    FILE *f = fopen(path, "r");
    CHECK(f != NULL);
    if (f) {
        char line[64];
        CHECK(fgets(line, sizeof line, f) && !strcmp(line, "BEGIN:VCALENDAR\r\n"));
        fclose(f);
    }
    unlink(path);
    rmdir(dir);

    /* A record without a date: no VEVENT, and the caller is told. */
    json_object_set_new(a, "occurrences", json_array());
    m = open_memstream(&buf, &len);
    w = fmt_open(FMT_ICS, m, NULL);
    CHECK(fmt_write(w, a, err, sizeof err) == 1 && strstr(err, "no VEVENT"));
    CHECK(fmt_close(w, err, sizeof err) == 0);
    fclose(m);
    free(buf);
    json_decref(a);
    json_decref(b);
}

int main(void)
{
    unsetenv("SOURCE_DATE_EPOCH");
    pipeline *p = pipeline_open(EVX_TEST_ROOT "/rules", EVX_TEST_ROOT "/schema/evx-record.schema.json");
    CHECK(p != NULL);
    if (p)
        test_ics_roundtrip(p);
    pipeline_close(p);
    test_ics_all_day_and_status();
    test_csv_quoting();
    test_writers();
    return CHECK_DONE("test_formats");
}
