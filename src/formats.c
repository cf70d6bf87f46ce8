/* formats.c - records as JSON, JSON-LD, iCalendar and CSV (see formats.h). */
#include "formats.h"
#include "jsonout.h"
#include <libical/ical.h>
#include <stdint.h>
#include <time.h>
#include <stdlib.h>
#include <string.h>
#include "emit.h"
#include "resolve.h"

struct fmt_writer {
    fmt_kind kind;
    FILE *out;       /* stream mode */
    const char *dir; /* per-file mode */
    int begun, n;
    jsonout line;    /* NDJSON: each record's line, the buffer reused */
};

static const struct {
    const char *name, *ext;
} KINDS[] = {
    [FMT_NDJSON] = {"ndjson", "json"}, [FMT_JSON] = {"json", "json"}, [FMT_JSONLD] = {"jsonld", "jsonld"},
    [FMT_ICS] = {"ics", "ics"},        [FMT_CSV] = {"csv", "csv"},
};

int fmt_parse(const char *name, fmt_kind *kind)
{
    for (size_t i = 0; i < sizeof KINDS / sizeof *KINDS; i++)
        if (!strcmp(name, KINDS[i].name)) {
            *kind = (fmt_kind)i;
            return 0;
        }
    return -1;
}

const char *fmt_names(void) { return "ndjson|json|jsonld|ics|csv"; }

/* ---- reading the record ----------------------------------------------- */

/* A non-empty string member, else NULL. */
static const char *str(const json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s && *s ? s : NULL;
}

static const json_t *arr(const json_t *o, const char *key)
{
    const json_t *a = json_object_get(o, key);
    return json_is_array(a) ? a : NULL;
}

static size_t count(const json_t *o, const char *key) { return json_array_size(arr(o, key)); }

/* An agenda slot belongs to an occurrence when it has the occurrence's date
 * or no date at all (a programme without dates applies to every day). */
static int slot_on(const json_t *slot, const char *date)
{
    const char *d = str(slot, "date");
    return !d || (date && !strcmp(d, date));
}

/* ---- JSON-LD (schema.org Event) --------------------------------------- */

static const char *attendance_mode(const json_t *rec)
{
    const char *m = str(rec, "mode");
    if (!m)
        return NULL;
    return !strcmp(m, "online")   ? "https://schema.org/OnlineEventAttendanceMode"
           : !strcmp(m, "hybrid") ? "https://schema.org/MixedEventAttendanceMode"
                                  : "https://schema.org/OfflineEventAttendanceMode";
}

static const char *event_status(const json_t *rec)
{
    const char *s = str(rec, "status");
    return s && !strcmp(s, "cancelled")   ? "https://schema.org/EventCancelled"
           : s && !strcmp(s, "postponed") ? "https://schema.org/EventPostponed"
                                          : "https://schema.org/EventScheduled";
}

/* Places and virtual locations; the occurrence's city is the address. */
static json_t *ld_location(const json_t *rec, const json_t *occ)
{
    json_t *locs = json_array();
    const json_t *v;
    size_t i;
    const char *city = occ ? str(occ, "city") : NULL;
    json_array_foreach(arr(rec, "venues"), i, v)
    {
        if (json_is_true(json_object_get(v, "online"))) {
            json_array_append_new(locs, json_pack("{s:s, s:s}", "@type", "VirtualLocation", "name", str(v, "name")));
            continue;
        }
        json_t *place = json_pack("{s:s, s:s}", "@type", "Place", "name", str(v, "name"));
        if (city)
            json_object_set_new(place, "address",
                                json_pack("{s:s, s:s}", "@type", "PostalAddress", "addressLocality", city));
        json_array_append_new(locs, place);
    }
    if (!json_array_size(locs) && city)
        json_array_append_new(locs, json_pack("{s:s, s:s, s:{s:s, s:s}}", "@type", "Place", "name", city, "address",
                                              "@type", "PostalAddress", "addressLocality", city));
    return locs;
}

static json_t *ld_performers(const json_t *rec)
{
    json_t *out = json_array();
    const json_t *s;
    size_t i;
    json_array_foreach(arr(rec, "speakers"), i, s)
    {
        json_t *p = json_pack("{s:s, s:s}", "@type", "Person", "name", str(s, "name"));
        if (str(s, "role"))
            json_object_set_new(p, "jobTitle", json_string(str(s, "role")));
        if (str(s, "organization"))
            json_object_set_new(p, "affiliation",
                                json_pack("{s:s, s:s}", "@type", "Organization", "name", str(s, "organization")));
        json_array_append_new(out, p);
    }
    return out;
}

static json_t *ld_organizers(const json_t *rec)
{
    json_t *out = json_array();
    const json_t *o;
    size_t i;
    json_array_foreach(arr(rec, "organizers"), i, o)
        json_array_append_new(out, json_pack("{s:s, s:s}", "@type", "Organization", "name", str(o, "name")));
    return out;
}

/* Free: isAccessibleForFree; a price: an Offer in its currency (SEK unless
 * the text named another). Nothing when the text said nothing. */
static void ld_cost(json_t *ev, const json_t *rec)
{
    const json_t *c = json_object_get(rec, "cost");
    if (!json_is_object(c))
        return;
    const json_t *free_v = json_object_get(c, "free"), *amount = json_object_get(c, "amount");
    if (json_is_boolean(free_v))
        json_object_set_new(ev, "isAccessibleForFree", json_boolean(json_is_true(free_v)));
    if (json_is_number(amount)) {
        const char *cur = str(c, "currency");
        json_object_set_new(ev, "offers", json_pack("{s:s, s:f, s:s}", "@type", "Offer", "price",
                                                    json_number_value(amount), "priceCurrency", cur ? cur : "SEK"));
    } else if (json_is_true(free_v)) {
        json_object_set_new(ev, "offers",
                            json_pack("{s:s, s:i, s:s}", "@type", "Offer", "price", 0, "priceCurrency", "SEK"));
    }
}

/* "HH:MM" on date "YYYY-MM-DD" as an ISO date-time with the Stockholm
 * offset of that day; NULL when either is missing or ICU fails. */
static json_t *stockholm(const char *date, const char *hhmm)
{
    int y, mo, d, h, mi;
    char buf[32];
    if (!date || !hhmm || sscanf(date, "%d-%d-%d", &y, &mo, &d) != 3 || sscanf(hhmm, "%d:%d", &h, &mi) != 2 ||
        res_stockholm_datetime(y, mo, d, h, mi, buf, sizeof buf) < 0)
        return NULL;
    return json_string(buf);
}

static json_t *ld_subevents(const json_t *rec, const char *date)
{
    json_t *out = json_array();
    const json_t *a, *sp;
    size_t i, k;
    json_array_foreach(arr(rec, "agenda"), i, a)
    {
        if (!slot_on(a, date))
            continue;
        const char *d = str(a, "date") ? str(a, "date") : date;
        json_t *ev = json_pack("{s:s, s:s}", "@type", "Event", "name", str(a, "title") ? str(a, "title") : "");
        json_t *t = stockholm(d, str(a, "start"));
        if (t)
            json_object_set_new(ev, "startDate", t);
        if ((t = stockholm(d, str(a, "end"))))
            json_object_set_new(ev, "endDate", t);
        if (json_array_size(arr(a, "speakers"))) {
            json_t *ps = json_array();
            json_array_foreach(arr(a, "speakers"), k, sp)
                json_array_append_new(ps, json_pack("{s:s, s:s}", "@type", "Person", "name", json_string_value(sp)));
            json_object_set_new(ev, "performer", ps);
        }
        json_array_append_new(out, ev);
    }
    return out;
}

static void set_if(json_t *o, const char *key, json_t *v)
{
    if (v && (!json_is_array(v) || json_array_size(v)))
        json_object_set_new(o, key, v);
    else
        json_decref(v);
}

/* One Event; occ NULL when the record has no date. */
static json_t *ld_event(const json_t *rec, const json_t *occ)
{
    json_t *ev = json_pack("{s:s}", "@type", "Event");
    if (str(rec, "title"))
        json_object_set_new(ev, "name", json_string(str(rec, "title")));
    if (occ) {
        const char *sd = str(occ, "start_datetime"), *ed = str(occ, "end_datetime");
        json_object_set_new(ev, "startDate", json_string(sd ? sd : str(occ, "date")));
        if (ed)
            json_object_set_new(ev, "endDate", json_string(ed));
    }
    if (attendance_mode(rec))
        json_object_set_new(ev, "eventAttendanceMode", json_string(attendance_mode(rec)));
    json_object_set_new(ev, "eventStatus", json_string(event_status(rec)));
    set_if(ev, "location", ld_location(rec, occ));
    set_if(ev, "performer", ld_performers(rec));
    set_if(ev, "organizer", ld_organizers(rec));
    ld_cost(ev, rec);
    set_if(ev, "subEvent", ld_subevents(rec, occ ? str(occ, "date") : NULL));
    return ev;
}

int fmt_jsonld(const json_t *rec, json_t **doc)
{
    size_t n = count(rec, "occurrences");
    if (n <= 1) {
        json_t *ev = ld_event(rec, n ? json_array_get(arr(rec, "occurrences"), 0) : NULL);
        json_t *d = json_pack("{s:s}", "@context", "https://schema.org");
        json_object_update(d, ev);
        json_decref(ev);
        *doc = d;
        return 0;
    }
    json_t *graph = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(graph, ld_event(rec, json_array_get(arr(rec, "occurrences"), i)));
    *doc = json_pack("{s:s, s:o}", "@context", "https://schema.org", "@graph", graph);
    return 0;
}

/* ---- iCalendar (RFC 5545, libical) ------------------------------------- */

/* Europe/Stockholm written out rather than taken from the system's zoneinfo,
 * so the output does not change with the tzdata version: CET/CEST with the
 * EU rules (summer time from the last Sunday of March; until 1995 it ended
 * on the last Sunday of September, since 1996 of October). */
static const char VTIMEZONE[] = "BEGIN:VTIMEZONE\n"
                                "TZID:Europe/Stockholm\n"
                                "BEGIN:DAYLIGHT\n"
                                "TZOFFSETFROM:+0100\n"
                                "TZOFFSETTO:+0200\n"
                                "TZNAME:CEST\n"
                                "DTSTART:19810329T020000\n"
                                "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\n"
                                "END:DAYLIGHT\n"
                                "BEGIN:STANDARD\n"
                                "TZOFFSETFROM:+0200\n"
                                "TZOFFSETTO:+0100\n"
                                "TZNAME:CET\n"
                                "DTSTART:19810927T030000\n"
                                "RRULE:FREQ=YEARLY;BYMONTH=9;BYDAY=-1SU;UNTIL=19950924T010000Z\n"
                                "END:STANDARD\n"
                                "BEGIN:STANDARD\n"
                                "TZOFFSETFROM:+0200\n"
                                "TZOFFSETTO:+0100\n"
                                "TZNAME:CET\n"
                                "DTSTART:19961027T030000\n"
                                "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\n"
                                "END:STANDARD\n"
                                "END:VTIMEZONE\n";

#define EVX_TZID "Europe/Stockholm"

/* Serialises one component (CRLF line ends, folded by libical). */
static int put_component(FILE *out, icalcomponent *c)
{
    char *s = icalcomponent_as_ical_string_r(c);
    int rc = s && fputs(s, out) != EOF ? 0 : -1;
    free(s);
    return rc;
}

int fmt_ics_begin(FILE *out)
{
    if (fprintf(out, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//evx//evx %s//EN\r\nCALSCALE:GREGORIAN\r\n",
                EVX_VERSION) < 0)
        return -1;
    icalcomponent *tz = icalcomponent_new_from_string(VTIMEZONE);
    int rc = tz ? put_component(out, tz) : -1;
    icalcomponent_free(tz);
    return rc;
}

int fmt_ics_end(FILE *out) { return fputs("END:VCALENDAR\r\n", out) == EOF ? -1 : 0; }

/* FNV-1a, 64 bits: a stable digest for UIDs (not a security hash). */
static uint64_t fnv1a(const char *s, uint64_t h)
{
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
    return h;
}

static struct icaltimetype local_time(const char *date, const char *hhmm)
{
    struct icaltimetype t = icaltime_null_time();
    sscanf(date, "%d-%d-%d", &t.year, &t.month, &t.day);
    if (hhmm && sscanf(hhmm, "%d:%d", &t.hour, &t.minute) == 2) {
        t.is_date = 0;
    } else {
        t.is_date = 1;
    }
    return t;
}

/* A local Stockholm time: DTSTART;TZID=Europe/Stockholm:20210512T100000;
 * a date alone: DTSTART;VALUE=DATE:20210512. */
static icalproperty *timed(icalproperty *p, struct icaltimetype t)
{
    if (!t.is_date)
        icalproperty_add_parameter(p, icalparameter_new_tzid(EVX_TZID));
    return p;
}

/* DTSTAMP must be a UTC time. A run's own clock would make every run
 * differ, so evx takes SOURCE_DATE_EPOCH when set (the reproducible-builds
 * convention) and otherwise midnight UTC of the event's first date: the same
 * input always gives the same calendar. */
static struct icaltimetype dtstamp(const json_t *rec)
{
    const char *e = getenv("SOURCE_DATE_EPOCH");
    if (e && *e)
        return icaltime_from_timet_with_zone((time_t)strtoll(e, NULL, 10), 0, icaltimezone_get_utc_timezone());
    struct icaltimetype t = local_time(str(json_array_get(arr(rec, "occurrences"), 0), "date"), "00:00");
    t.zone = icaltimezone_get_utc_timezone();
    return t;
}

/* "10:00–11:30 Title (Speaker, Speaker)" per slot of the day. */
static char *agenda_text(const json_t *rec, const char *date)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    if (!m)
        return NULL;
    const json_t *a, *sp;
    size_t i, k;
    int lines = 0;
    json_array_foreach(arr(rec, "agenda"), i, a)
    {
        if (!slot_on(a, date))
            continue;
        fprintf(m, "%s%s%s%s %s", lines++ ? "\n" : "", str(a, "start"), str(a, "end") ? "\u2013" : "",
                str(a, "end") ? str(a, "end") : "", str(a, "title") ? str(a, "title") : "");
        json_array_foreach(arr(a, "speakers"), k, sp)
            fprintf(m, "%s%s", k ? ", " : " (", json_string_value(sp));
        if (json_array_size(arr(a, "speakers")))
            fputc(')', m);
    }
    fclose(m);
    return buf;
}

/* "Name, role, e-mail, phone" for CONTACT. */
static void contact_text(const json_t *c, char *buf, size_t len)
{
    static const char *const keys[] = {"name", "role", "email", "phone"};
    size_t n = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < sizeof keys / sizeof *keys && n < len; i++)
        if (str(c, keys[i]))
            n += (size_t)snprintf(buf + n, len - n, "%s%s", n ? ", " : "", str(c, keys[i]));
}

static void ics_people(icalcomponent *ev, const json_t *rec)
{
    const json_t *c;
    size_t i;
    const char *email = NULL, *cn = NULL;
    json_array_foreach(arr(rec, "contacts"), i, c)
    {
        char buf[1024];
        contact_text(c, buf, sizeof buf);
        if (*buf)
            icalcomponent_add_property(ev, icalproperty_new_contact(buf));
        if (!email && str(c, "email")) {
            email = str(c, "email");
            cn = str(c, "name");
        }
    }
    /* ORGANIZER needs an address: the first contact e-mail, named after the
     * organising body when the text names one. */
    if (email) {
        char uri[512];
        snprintf(uri, sizeof uri, "mailto:%s", email);
        icalproperty *p = icalproperty_new_organizer(uri);
        const char *org = str(json_array_get(arr(rec, "organizers"), 0), "name");
        if (org || cn)
            icalproperty_add_parameter(p, icalparameter_new_cn(org ? org : cn));
        icalcomponent_add_property(ev, p);
    }
}

static char *joined(const json_t *a, const char *key, const char *sep)
{
    size_t need = 1, i;
    const json_t *v;
    json_array_foreach(a, i, v) need += strlen(str(v, key) ? str(v, key) : "") + strlen(sep);
    char *s = calloc(1, need);
    json_array_foreach(a, i, v)
    {
        if (!str(v, key))
            continue;
        if (*s)
            strcat(s, sep);
        strcat(s, str(v, key));
    }
    return s;
}

static icalcomponent *ics_event(const json_t *rec, const json_t *occ, size_t index)
{
    icalcomponent *ev = icalcomponent_new(ICAL_VEVENT_COMPONENT);
    const char *source = str(rec, "source") ? str(rec, "source") : "-";
    char uid[64];
    snprintf(uid, sizeof uid, "%016llx-%zu@evx", (unsigned long long)fnv1a(source, 0xcbf29ce484222325ULL), index);
    icalcomponent_add_property(ev, icalproperty_new_uid(uid));
    icalcomponent_add_property(ev, icalproperty_new_dtstamp(dtstamp(rec)));

    const char *date = str(occ, "date"), *start = str(occ, "start"), *end = str(occ, "end");
    struct icaltimetype s = local_time(date, start);
    icalcomponent_add_property(ev, timed(icalproperty_new_dtstart(s), s));
    if (s.is_date) {
        struct icaltimetype e = s; /* all day: DTEND is the next day, exclusive */
        icaltime_adjust(&e, 1, 0, 0, 0);
        icalcomponent_add_property(ev, icalproperty_new_dtend(e));
    } else if (end) {
        const char *ed = str(occ, "end_datetime");
        char edate[11];
        snprintf(edate, sizeof edate, "%s", ed ? ed : date);
        struct icaltimetype e = local_time(edate, end);
        if (icaltime_compare(e, s) <= 0) /* "22.00-02.00": ends the next day */
            icaltime_adjust(&e, 1, 0, 0, 0);
        icalcomponent_add_property(ev, timed(icalproperty_new_dtend(e), e));
    }
    icalcomponent_add_property(ev, icalproperty_new_summary(str(rec, "title") ? str(rec, "title") : source));
    char *loc = joined(arr(rec, "venues"), "name", "; ");
    if (*loc)
        icalcomponent_add_property(ev, icalproperty_new_location(loc));
    else if (str(occ, "city"))
        icalcomponent_add_property(ev, icalproperty_new_location(str(occ, "city")));
    free(loc);
    char *desc = agenda_text(rec, date);
    if (desc && *desc)
        icalcomponent_add_property(ev, icalproperty_new_description(desc));
    free(desc);
    ics_people(ev, rec);
    const char *st = str(rec, "status");
    if (st && !strcmp(st, "cancelled"))
        icalcomponent_add_property(ev, icalproperty_new_status(ICAL_STATUS_CANCELLED));
    else if (st && !strcmp(st, "postponed")) /* RFC 5545 has no "postponed": not confirmed */
        icalcomponent_add_property(ev, icalproperty_new_status(ICAL_STATUS_TENTATIVE));
    return ev;
}

int fmt_ics_events(FILE *out, const json_t *rec)
{
    size_t n = count(rec, "occurrences");
    for (size_t i = 0; i < n; i++) {
        icalcomponent *ev = ics_event(rec, json_array_get(arr(rec, "occurrences"), i), i);
        int rc = put_component(out, ev);
        icalcomponent_free(ev);
        if (rc < 0)
            return -1;
    }
    return (int)n;
}

/* ---- CSV (RFC 4180) ---------------------------------------------------- */

static const char *const CSV_COLUMNS[] = {"source", "title",    "date", "start", "end",      "venue",
                                          "city",   "online",   "deadline", "free", "speakers", "status"};
#define NCOLS (sizeof CSV_COLUMNS / sizeof *CSV_COLUMNS)

/* A field quoted when it holds a comma, quote, CR or LF; quotes doubled. */
static int csv_field(FILE *out, const char *s, int last)
{
    s = s ? s : "";
    int quote = strpbrk(s, ",\"\r\n") != NULL;
    if (quote)
        fputc('"', out);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', out);
        fputc(*s, out);
    }
    if (quote)
        fputc('"', out);
    return fputs(last ? "\r\n" : ",", out) == EOF ? -1 : 0;
}

int fmt_csv_header(FILE *out)
{
    int rc = 0;
    for (size_t i = 0; i < NCOLS; i++)
        rc |= csv_field(out, CSV_COLUMNS[i], i + 1 == NCOLS);
    return rc;
}

/* online: true when the event can be attended online (an online venue, or
 * mode online/hybrid), false when it is on site only, empty when unknown. */
static const char *csv_online(const json_t *rec)
{
    const char *m = str(rec, "mode");
    return !m ? "" : !strcmp(m, "onsite") ? "false" : "true";
}

static const char *csv_free(const json_t *rec)
{
    const json_t *f = json_object_get(json_object_get(rec, "cost"), "free");
    return json_is_true(f) ? "true" : json_is_false(f) ? "false" : "";
}

static int csv_row(FILE *out, const json_t *rec, const json_t *occ, const char *venues, const char *speakers)
{
    const json_t *dl = json_object_get(rec, "deadline");
    const char *cells[NCOLS] = {str(rec, "source"), str(rec, "title"), occ ? str(occ, "date") : NULL,
                                occ ? str(occ, "start") : NULL, occ ? str(occ, "end") : NULL, venues,
                                occ ? str(occ, "city") : NULL, csv_online(rec), str(dl, "date"), csv_free(rec),
                                speakers, str(rec, "status")};
    int rc = 0;
    for (size_t i = 0; i < NCOLS; i++)
        rc |= csv_field(out, cells[i], i + 1 == NCOLS);
    return rc;
}

int fmt_csv_rows(FILE *out, const json_t *rec)
{
    char *venues = joined(arr(rec, "venues"), "name", "; ");
    char *speakers = joined(arr(rec, "speakers"), "name", "; ");
    size_t n = count(rec, "occurrences");
    int rc = 0;
    /* No date still gives a row: an input never silently disappears. */
    for (size_t i = 0; i < (n ? n : 1) && !rc; i++)
        rc = csv_row(out, rec, n ? json_array_get(arr(rec, "occurrences"), i) : NULL, venues, speakers);
    free(venues);
    free(speakers);
    return rc < 0 ? -1 : (int)(n ? n : 1);
}

/* ---- writers: stream or one file per input ------------------------------- */

#define JSON_FLAGS (JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(12))

static int begin(fmt_writer *w, FILE *out, int per_file)
{
    switch (w->kind) {
    case FMT_JSON: return per_file ? 0 : fputs("[", out) == EOF ? -1 : 0;
    case FMT_ICS: return fmt_ics_begin(out);
    case FMT_CSV: return fmt_csv_header(out);
    default: return 0;
    }
}

static int end(fmt_writer *w, FILE *out, int per_file)
{
    switch (w->kind) {
    case FMT_JSON: return per_file ? 0 : fputs(w->n ? "\n]\n" : "]\n", out) == EOF ? -1 : 0;
    case FMT_ICS: return fmt_ics_end(out);
    default: return 0;
    }
}

/* One record's body; returns what the pieces return (count or 0), -1 on error. */
static int body(fmt_writer *w, FILE *out, const json_t *rec, int per_file)
{
    size_t pretty = per_file ? JSON_INDENT(2) : JSON_COMPACT;
    json_t *doc;
    int rc;
    switch (w->kind) {
    case FMT_NDJSON:
        if (per_file)
            return json_dumpf(rec, out, JSON_FLAGS | pretty) < 0 || fputc('\n', out) == EOF ? -1 : 0;
        /* one fwrite per record instead of one per token */
        if (jsonout_line(&w->line, rec) < 0)
            return -1;
        return fwrite(w->line.data, 1, w->line.len, out) == w->line.len ? 0 : -1;
    case FMT_JSON:
        if (!per_file && fputs(w->n ? ",\n" : "\n", out) == EOF)
            return -1;
        return json_dumpf(rec, out, JSON_FLAGS | JSON_INDENT(2)) < 0 || (per_file && fputc('\n', out) == EOF) ? -1
                                                                                                                : 0;
    case FMT_JSONLD:
        fmt_jsonld(rec, &doc);
        rc = json_dumpf(doc, out, JSON_FLAGS | pretty) < 0 || fputc('\n', out) == EOF ? -1 : 0;
        json_decref(doc);
        return rc;
    case FMT_ICS: return fmt_ics_events(out, rec);
    case FMT_CSV: return fmt_csv_rows(out, rec);
    }
    return -1;
}

fmt_writer *fmt_open(fmt_kind kind, FILE *out, const char *dir)
{
    fmt_writer *w = calloc(1, sizeof *w);
    if (w) {
        w->kind = kind;
        w->out = out;
        w->dir = dir;
    }
    return w;
}

static int note_if_empty(fmt_writer *w, const json_t *rec, int written, char *err, size_t errlen)
{
    if (w->kind != FMT_ICS || written != 0)
        return 0;
    snprintf(err, errlen, "%s: no date found, so no VEVENT was written", str(rec, "source") ? str(rec, "source") : "-");
    return 1;
}

const char *fmt_ext(fmt_kind kind) { return KINDS[kind].ext; }

int fmt_render_file(fmt_kind kind, const json_t *rec, char **buf, size_t *len, char *err, size_t errlen)
{
    fmt_writer w = {.kind = kind};
    *buf = NULL;
    *len = 0;
    FILE *m = open_memstream(buf, len);
    if (!m) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    int n = begin(&w, m, 1) < 0 ? -1 : body(&w, m, rec, 1);
    if (n >= 0 && end(&w, m, 1) < 0)
        n = -1;
    fclose(m);
    if (n < 0) {
        const char *source = str(rec, "source") ? str(rec, "source") : "-";
        snprintf(err, errlen, "%s: cannot format the record as %s", source, KINDS[kind].name);
        free(*buf);
        *buf = NULL;
        return -1;
    }
    return note_if_empty(&w, rec, n, err, errlen);
}

static int write_file(fmt_writer *w, const json_t *rec, char *err, size_t errlen)
{
    char *buf;
    size_t len;
    int note = fmt_render_file(w->kind, rec, &buf, &len, err, errlen);
    if (note < 0)
        return -1;
    const char *source = str(rec, "source") ? str(rec, "source") : "-";
    char why[1024];
    int rc = emit_file_text(w->dir, source, KINDS[w->kind].ext, buf, len, why, sizeof why);
    free(buf);
    if (rc < 0) {
        snprintf(err, errlen, "%s", why);
        return -1;
    }
    return note;
}

int fmt_write(fmt_writer *w, const json_t *rec, char *err, size_t errlen)
{
    if (w->dir)
        return write_file(w, rec, err, errlen);
    if (!w->begun && begin(w, w->out, 0) < 0)
        goto fail;
    w->begun = 1;
    int n = body(w, w->out, rec, 0);
    if (n < 0)
        goto fail;
    w->n++;
    return note_if_empty(w, rec, n, err, errlen);
fail:
    snprintf(err, errlen, "standard output: write error");
    return -1;
}

int fmt_write_line(fmt_writer *w, const char *line, size_t len)
{
    w->begun = 1; /* NDJSON has no header */
    if (fwrite(line, 1, len, w->out) != len)
        return -1;
    w->n++;
    return 0;
}

int fmt_close(fmt_writer *w, char *err, size_t errlen)
{
    if (!w)
        return 0;
    int rc = 0;
    if (!w->dir && ((!w->begun && begin(w, w->out, 0) < 0) || end(w, w->out, 0) < 0)) {
        snprintf(err, errlen, "standard output: write error");
        rc = -1;
    }
    jsonout_free(&w->line);
    free(w);
    return rc;
}
