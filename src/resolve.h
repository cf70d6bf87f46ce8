/* resolve.h - stage 4: from matches to the record's values.
 *
 * Owns the meaning of each field: which dates are the event's own, ISO 8601
 * dates and times, year inference, Europe/Stockholm offsets (ICU calendar),
 * the deadline, title, venues, attendance mode, cost and status, and (in people.c)
 * speakers, agenda, contacts and organisers. Every value keeps the span of
 * the normalised text it came from and the rule that found it; emit maps
 * spans back to the original bytes. Strings in a record are owned by it. */
#ifndef EVX_RESOLVE_H
#define EVX_RESOLVE_H
#include "extract.h"

typedef struct {
    size_t start, end;  /* normalised text offsets */
    const char *rule;   /* rule name, owned by the rule set */
} res_src;

typedef struct {
    char date[11];      /* YYYY-MM-DD */
    char start[6], end[6]; /* HH:MM or "" */
    char start_dt[32], end_dt[32]; /* ISO 8601 with offset or "" */
    char *city;
    size_t time_at;     /* where its time was written (normalised offset), SIZE_MAX: no time */
    res_src src;
} res_occurrence;

typedef struct { char *name; int online; res_src src; } res_venue;
typedef struct { char *name, *role, *organization; res_src src; } res_speaker;
typedef struct {
    char date[11], start[6], end[6];
    char *title;
    char **speakers;
    int nspeakers;
    res_src src;
} res_agenda;
typedef struct { char *name, *role, *email, *phone, *phone_e164; res_src src; } res_contact;
typedef struct { char *name; res_src src; } res_organizer;

#define RES_LIST(type, name) type *name; int n_##name

typedef struct {
    char *title;
    int has_title;
    res_src title_src;
    RES_LIST(res_occurrence, occurrences);
    RES_LIST(res_occurrence, related);
    int has_deadline;
    char deadline[11];
    res_src deadline_src;
    RES_LIST(res_venue, venues);
    const char *mode;   /* "onsite", "online", "hybrid" or NULL */
    int has_cost;
    int cost_free;      /* 1, 0, or -1 when the text does not say */
    int has_amount;
    double amount;
    char currency[8];
    res_src cost_src;
    const char *status; /* "scheduled", "cancelled" or "postponed" (static) */
    int has_status_src; /* 0: scheduled because nothing said otherwise */
    res_src status_src;
    RES_LIST(res_speaker, speakers);
    RES_LIST(res_agenda, agenda);
    RES_LIST(res_contact, contacts);
    RES_LIST(res_organizer, organizers);
    const char *warnings[8];
    int n_warnings;
} evx_record;

/* Fills rec (zeroed by the caller) from the matches of one document. Cannot
 * fail; free with record_free. */
void res_record(const ext_matches *ms, const evx_text *t, evx_record *rec);
void record_free(evx_record *rec);

/* ISO 8601 local date-time with the Europe/Stockholm offset in force then
 * ("2021-05-12T10:00:00+02:00"). Returns 0, or -1 if ICU fails. */
int res_stockholm_datetime(int y, int mo, int d, int h, int mi, char *buf, size_t len);

/* Helpers shared with people.c. */
/* "HH:MM" into buf (6 bytes); the hour taken modulo 24. */
void res_fmt_hhmm(char *buf, int h, int mi);
/* Copies s[0, n) without surrounding spaces; a UTF-8 character cut at the
 * end (a byte limit fell inside it) is dropped, so the copy stays valid. */
char *res_strndup_trim(const char *s, size_t n);
/* Where d[s, e) ends without a trailing connective left before a person
 * who was cut off ("samt", "och", "&", "av", "med"): a last word of at
 * most four lower-case ASCII bytes, after another word. */
size_t res_drop_connective(const char *d, size_t s, size_t e);
/* The longest prefix of valid UTF-8 s[0, n) that does not end inside a
 * character: n, or less when the last character is incomplete. */
size_t res_utf8_cut(const char *s, size_t n);
void res_push(void **arr, int *n, size_t size, const void *item);
/* people.c: speakers, agenda, contacts and organisers, in that order (the
 * agenda links the speakers found before it). Each lives in its own file. */
void res_people(const ext_matches *ms, const evx_text *t, evx_record *rec);
void res_speakers(const ext_matches *ms, const evx_text *t, evx_record *rec);   /* speakers.c */
void res_programme(const ext_matches *ms, const evx_text *t, evx_record *rec);  /* agenda.c */
void res_contacts(const ext_matches *ms, const evx_text *t, evx_record *rec);   /* contacts.c */
void res_organizers(const ext_matches *ms, const evx_text *t, evx_record *rec); /* contacts.c */

#endif
