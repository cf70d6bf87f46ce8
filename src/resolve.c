/* resolve.c - dates, times, occurrences, deadline, title, venues, mode, cost.
 *
 * The policy in one paragraph: a date is the event's own unless a label
 * (deadline, publication, past) claims it or it sits below a `related`
 * heading. Dates with a time near them, or in the heading, are strong; when
 * any date is strong the strong ones are the occurrences, otherwise the first
 * free date is. Missing years come from the nearest date that has one. */
#include "resolve.h"
#include "lines.h"
#include <ctype.h>
#include <limits.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unicode/ucal.h>

#define MAX_RANGE_DAYS 31
#define MAX_WEEKLY_DAYS 366 /* "varje tisdag" over a term or a year */
#define MAX_TIMES_PER_DATE 3
#define MAX_MOVES 4 /* days a page says were moved */
#define MOVE_YEAR_MONTHS 6 /* a day moved this many months earlier in the year moved into the next */
#define LABEL_TIME_LINES 3 /* how far a "Tid:" line reaches a date */
#define LIST_JOIN_BYTES 6     /* ", ", " och ": what may part two dates of a list */
#define STATED_START_LINES 10 /* how far below an untimed date "Vi börjar kl 14" reaches it */
#define SHORT_TITLE_MAX 100 /* bytes: a heading, not a paragraph */
#define CHROME_MATCH_MAX 400 /* bytes: a longer page_chrome match is a page run into one line */
#define RUN_ON_SENTENCES 3  /* sentence ends inside a chrome match that make it a page run into one line */
#define CHROME_BLOCK_LINES 8 /* how far a footer's sign widens to its block, either way */
#define CHROME_GUESS_LINES 3 /* the same without a blank line to end the block */
#define CHROME_LINE_MAX 120  /* bytes: a longer line is prose, no footer's */
#define CHROME_RUN_ON_REACH 120 /* bytes after a footer's sign in a page run into one line */
#define TIME_JOIN_GAP 10   /* bytes between two times of one date */
#define JOIN_WORD_MAX 4    /* letters of the word joining them */
#define LABELLED_TIME_LABEL 30 /* bytes of a session's label before its time ("  • Pass 1: ") */
#define LABELLED_TIME_REST 3   /* non-blank bytes after it: none but a stop */
#define TIME_AFTER_WEEKDAY 12 /* "på söndagen kl. 15", "onsdag 12 mars kl. 8.30" */
#define TIME_BEFORE_GAP 6  /* bytes from a time to the date it precedes ("17.30 på onsdagen") */
#define ALT_TIME_GAP 60    /* minutes: "kl. 12.30 och 12.45" are departures, not sessions */
#define NIGHT_END_BEFORE "06:00" /* an end before this after a start from NIGHT_START_FROM is the next morning's */
#define NIGHT_START_FROM "12:00" /* an afternoon or evening start */
#define LIST_MARK_BYTES 6  /* a list item's bullet and blanks before its date: "  – " */
#define COLUMN_SLACK 2     /* dates a column apart start within this many bytes of each other */
#define LIST_TIME_ITEMS 12 /* the dated lines under a "Teorikvällar kl. 18.30–21.30:" a time reaches */
#define END_TIME_LINES 20  /* how far below its date an end time ("Återkomst ca kl. 17", "Föreläsningen pågår till ca 20.30") stands */
#define RANGE_MEMBER_REACH 4000 /* bytes after a range where its days are spelt out */
#define LINKED_DAYS_MAX 10 /* "4 augusti kl. 10 – 7 augusti kl. 14": days between a start and an end joined */
#define PERIOD_MIN_DAYS 5      /* a range this long with timed sessions in it is their period */
#define LONG_PERIOD_DAYS 14    /* a range this long with any day of its own in it is its period */
#define HISTORY_YEARS 2        /* a date this many years before the page's latest lends no year */
#define MARK_HEADING_WORDS 4   /* a year's heading line: "Vårterminen 2026", "Höstens träffar 2025" */
#define TITLE_MARK_WORDS 8     /* a heading naming its term: "Vuxensimskola – nybörjare, vårterminen 2025" */
#define FUTURE_YEARS 3         /* a bare year this far after the page's latest dated year names no date's year */
#define MAX_REFINED_OCCURRENCES 62 /* a programme refines a few days, not a listing */
#define SAME_LINE_REACH 160
#define VENUE_MERGE_WINDOW 64 /* venues a new one is compared with */ /* bytes after a date its time may stand; a paragraph is no line */
#define HEADING_LINES 3
#define TITLE_MAX_LINES 8   /* the title is near the top: among the first 8 lines with text */
#define TITLE_HEAD_LINES 24 /* not counting the site's chrome (title_skip) in the first 24 (`head 24`) */
#define TITLE_CANDIDATES 3  /* the lines a title hint or a series' name may pass the choice on to */
#define TITLE_QUESTION_WORDS 20 /* a heading that asks, then ends in a full stop, is this short */
#define TITLE_SITE_WORDS 4  /* a first heading this short may be the site's name */
#define SERIES_MAX_WORDS 4  /* a series' name over a day ("Gästföreläsning i moderna språk onsdag 11 mars") is this short */
#define CRUMB_TITLE_WORDS 2 /* a last crumb this long may name a page with no heading */
#define TITLE_CRUMB_REACH 8 /* how many lines with text under a breadcrumb may repeat its last crumb */
#define TITLE_MAX_BYTES 160

/* Grows by doubling: the capacity is implicit, the next power of two, so
 * pushing n items costs O(n) copies, not O(n^2). */
void res_push(void **arr, int *n, size_t size, const void *item)
{
    if ((*n & (*n - 1)) == 0)
        *arr = realloc(*arr, size * (size_t)(*n ? 2 * *n : 1));
    memcpy((char *)*arr + size * (size_t)*n, item, size);
    (*n)++;
}
#define PUSH(list, item) res_push((void **)&(list), &n_##list, sizeof *(list), &(item))

size_t res_utf8_cut(const char *s, size_t n)
{
    size_t i = n, cont = 0;
    while (i > 0 && ((unsigned char)s[i - 1] & 0xC0) == 0x80 && cont < 3)
        i--, cont++;
    if (i == 0)
        return n;
    unsigned char lead = (unsigned char)s[i - 1];
    size_t need = lead >= 0xF0 ? 3 : lead >= 0xE0 ? 2 : lead >= 0xC0 ? 1 : 0;
    return need > cont ? i - 1 : n;
}

size_t res_drop_connective(const char *d, size_t s, size_t e)
{
    size_t i = e;
    while (i > s && isspace((unsigned char)d[i - 1]))
        i--;
    size_t w = i;
    while (w > s && !isspace((unsigned char)d[w - 1]))
        w--;
    if (w == s || i - w > 4)
        return e;
    for (size_t j = w; j < i; j++)
        if (!islower((unsigned char)d[j]) && d[j] != '&')
            return e;
    return w;
}

char *res_strndup_trim(const char *s, size_t n)
{
    while (n && isspace((unsigned char)*s))
        s++, n--;
    while (n && (isspace((unsigned char)s[n - 1])))
        n--;
    n = res_utf8_cut(s, n);
    char *p = malloc(n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

/* ---- time zone ------------------------------------------------------ */

/* Opening a calendar (its time zone loaded from ICU's data) cost seven
 * times more than using it, twice per document; so one calendar is opened
 * once and shared, a mutex around its use (a UCalendar is not thread-safe).
 * It lives as long as the process, like ICU's own caches. */
static UCalendar *stockholm_cal;
static pthread_once_t stockholm_once = PTHREAD_ONCE_INIT;
static pthread_mutex_t stockholm_lock = PTHREAD_MUTEX_INITIALIZER;

static void stockholm_open(void)
{
    static const UChar zone[] = u"Europe/Stockholm";
    UErrorCode st = U_ZERO_ERROR;
    UCalendar *cal = ucal_open(zone, -1, "sv_SE", UCAL_GREGORIAN, &st);
    if (U_SUCCESS(st))
        stockholm_cal = cal;
    else if (cal)
        ucal_close(cal);
}

int res_stockholm_datetime(int y, int mo, int d, int h, int mi, char *buf, size_t len)
{
    pthread_once(&stockholm_once, stockholm_open);
    if (!stockholm_cal)
        return -1;
    UErrorCode st = U_ZERO_ERROR;
    pthread_mutex_lock(&stockholm_lock);
    ucal_clear(stockholm_cal); /* as new: every field unset */
    ucal_setDateTime(stockholm_cal, y, mo - 1, d, h, mi, 0, &st);
    int32_t off = ucal_get(stockholm_cal, UCAL_ZONE_OFFSET, &st) + ucal_get(stockholm_cal, UCAL_DST_OFFSET, &st);
    pthread_mutex_unlock(&stockholm_lock);
    if (U_FAILURE(st))
        return -1;
    int mins = off / 60000;
    snprintf(buf, len, "%04d-%02d-%02dT%02d:%02d:00%c%02d:%02d", y, mo, d, h, mi,
             mins < 0 ? '-' : '+', abs(mins) / 60, abs(mins) % 60);
    return 0;
}

/* ---- small helpers -------------------------------------------------- */

static int days_in_month(int y, int m)
{
    static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100) || y % 400 == 0))
        return 29;
    return dm[m - 1];
}

/* Days from y/m/d to y2/m2/d2 (positive when the second is later). */
static int days_between(int y, int m, int d, int y2, int m2, int d2)
{
    int n = 0;
    while (y < y2 || (y == y2 && m < m2)) {
        n += days_in_month(y, m) - d + 1;
        d = 1;
        if (++m > 12) {
            m = 1;
            y++;
        }
    }
    return n + d2 - d;
}


static int overlaps(size_t a0, size_t a1, size_t b0, size_t b1) { return a0 < b1 && b0 < a1; }

/* Does a match of field f overlap [s, e)? The matches are sorted by field,
 * then start, and those of one field do not overlap: two binary searches. */
static int field_overlaps(const ext_matches *ms, evx_field f, size_t s, size_t e)
{
    int lo = 0, hi = ms->n;
    while (lo < hi) { /* the first match of field f, or of a later field */
        int mid = (lo + hi) / 2;
        if (ms->items[mid].field < f)
            lo = mid + 1;
        else
            hi = mid;
    }
    int first = lo;
    hi = ms->n;
    while (lo < hi) { /* the first of field f starting at or after e */
        int mid = (lo + hi) / 2;
        if (ms->items[mid].field == f && ms->items[mid].start < e)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo > first && ms->items[lo - 1].field == f && ms->items[lo - 1].end > s;
}

/* A set of short strings (open addressing), so that "seen before?" stays
 * constant time however many occurrences a page lists. */
#define KEY_LEN 32
typedef struct {
    char (*keys)[KEY_LEN];
    size_t cap, n;
} keyset;

static uint64_t key_hash(const char *k)
{
    uint64_t h = 1469598103934665603u;
    for (; *k; k++)
        h = (h ^ (unsigned char)*k) * 1099511628211u;
    return h;
}

/* Adds key; returns 1 when it was new, 0 when it was there already. */
static int keyset_add(keyset *s, const char *key)
{
    if (2 * (s->n + 1) > s->cap) {
        keyset bigger = {calloc(s->cap ? 2 * s->cap : 64, KEY_LEN), s->cap ? 2 * s->cap : 64, 0};
        for (size_t i = 0; i < s->cap; i++)
            if (s->keys[i][0])
                keyset_add(&bigger, s->keys[i]);
        free(s->keys);
        *s = bigger;
    }
    for (size_t i = key_hash(key) & (s->cap - 1);; i = (i + 1) & (s->cap - 1)) {
        if (!s->keys[i][0]) {
            snprintf(s->keys[i], KEY_LEN, "%s", key);
            s->n++;
            return 1;
        }
        if (!strcmp(s->keys[i], key))
            return 0;
    }
}

static int keyset_has(const keyset *s, const char *key)
{
    if (!s->cap)
        return 0;
    for (size_t i = key_hash(key) & (s->cap - 1); s->keys[i][0]; i = (i + 1) & (s->cap - 1))
        if (!strcmp(s->keys[i], key))
            return 1;
    return 0;
}

/* ---- dates and times ------------------------------------------------ */

typedef struct {
    const ext_match *x;
    int y, m, d;       /* y == 0: year not written */
    int y2, m2, d2;    /* end of a range, d2 == 0: none */
    int line;
    int claimed;       /* taken by a deadline/publication/past label */
    evx_field claimed_as; /* which label took it */
    int updated;       /* claimed by a label of when the page was updated */
    int related;       /* below a related-events heading */
    int weekday;       /* ISO 1..7 when written, else 0 */
    int strong;
    int time;          /* index into times, -1 none */
    int more_times[MAX_TIMES_PER_DATE]; /* "08.30–12.30 samt 18.00–20.00" */
    int n_more;
    int time_is_end;   /* "14 maj kl 12.00 - fredag 15 maj 13.00": 13.00 ends */
    int end_time;      /* index into times of a scope=end time, -1 none */
    int in_range;      /* "onsdagen den 13 maj" inside "13-17 maj": index of that range, -1 none */
    int range_start;   /* a range's first-day start time (index into times), -1 none */
    const struct time_mention *range_end; /* its last day's end time, NULL none */
    int day_time[7];     /* "torsdag kl. 10–18, fredag kl. 9–14", "Dag 1 pågår 10–17": per day of a range, time +1 (0 none) */
    int day_timed;       /* day_time is set */
    int day_n;           /* "Dag 2" (kind=dayn): the range's day it names, else 0 */
    int week, week2;     /* "v. 25 och 26" (`week`, `week2`): ISO weeks the days were given by, else 0 */
    int weekday_last;    /* "måndag–torsdag kl. 9–16" (kind=weekday): the run's last weekday, else 0 */
    int weekly;          /* "varje tisdag 12 januari–23 februari" (kind=weekly): ISO weekday, else 0 */
    int weekly2;         /* "tisdagar och torsdagar ...": the second weekday, else 0 */
    int weekly_span;     /* "måndag–fredag 17–28 juni" (`set span=yes`): every weekday from weekly to weekly2 */
    int weekly_count;    /* "sex gånger med start 4 februari" (`number`): the series' sessions, else 0 */
    int time_below;      /* time came from a line below the date's */
    size_t city_s, city_e; /* "Leksand 26 januari": the town, when written */
} date_mention;

typedef enum { SCOPE_NONE, SCOPE_EVENT, SCOPE_END, SCOPE_ALL } time_scope;

typedef struct time_mention {
    const ext_match *x;
    int h, mi, h2, mi2; /* h2 < 0: no end */
    int line;
    time_scope scope; /* the rule's `set scope=`: event (a "Tid:" label), end, all */
} time_mention;

typedef struct {
    const ext_matches *ms;
    const evx_text *t;
    line_index li;
    date_mention *dates;
    int n_dates;
    time_mention *times;
    int n_times;
    time_mention *end_times; /* scope=end: "Återkomst ca kl. 17.00" */
    int n_end_times;
    date_mention *weekday_refs; /* "på söndagen": a day named by its weekday alone */
    int n_weekday_refs;
    int *time_owner;        /* per time: the first date that took it, -1 none */
    int *prev_dated, *next_dated; /* per date: the nearest date with a year before/after it, -1 none */
    int *next_date_line;    /* per date: the line of the next date below its line, li.n none */
    unsigned char *line_flags; /* per line: LINE_HAS_DATE, and the mostly_date memo */
    unsigned char *covered; /* per byte: inside a date or time match (built on first use) */
    keyset seen_occurrences, seen_related; /* "date|start|end" already listed */
    int year_hint;
    int latest_year;        /* the latest year a date of the page writes */
    int year_hint_event;    /* "2014 års konferens": the event's own year */
    int year_hint_unsure;   /* "Konferens 19": trusted only if a weekday agrees */
    size_t (*year_marks)[2];   /* where each plain year hint stands, and the year */
    int n_year_marks;
    int *years_anywhere;    /* every other bare year ("i advent 2024"): the last resort */
    int n_years_anywhere;
    int (*first_pub)[2];    /* per year a publication date has: its earliest day (month * 32 + day) */
    int n_first_pub;
    int relative[8];        /* relative_day's answer per weekday: yyyymmdd, -1 none, 0 not asked yet */
    keyset cancelled;       /* "YYYY-MM-DD" of days called off (cancelled_days) */
    uint64_t cancelled_weeks; /* bit w: ISO week w called off ("uppehåll vecka 44") */
    int cancelled_known;
    /* "flyttas från onsdag 15 februari till onsdag 22 februari": the day
     * moved from and the day moved to, "YYYY-MM-DD" (`set moves=yes`). */
    int move_pairs[MAX_MOVES][2]; /* date indexes: the day moved, the day it moved to */
    int n_moves;
} ctx;

/* The number at *i (its digits, then *i past them). */
static int list_number(const char *data, size_t *i, size_t e)
{
    int d = 0;
    while (*i < e && isdigit((unsigned char)data[*i]) && d < 1000)
        d = d * 10 + (data[(*i)++] - '0');
    return d;
}

/* Past a dash between two days (". – ", "-"), or i when there is none:
 * any dash @dash takes (rules/common.rules), U+2010-2015 and the minus. */
static size_t after_dash(const char *data, size_t i, size_t e)
{
    size_t k = i;
    while (k < e && (data[k] == '.' || data[k] == ' '))
        k++;
    if (k < e && data[k] == '-')
        k++;
    else if (k + 2 < e && (unsigned char)data[k] == 0xE2 &&
             (((unsigned char)data[k + 1] == 0x80 && (unsigned char)data[k + 2] >= 0x90 &&
               (unsigned char)data[k + 2] <= 0x95) ||
              ((unsigned char)data[k + 1] == 0x88 && (unsigned char)data[k + 2] == 0x92)))
        k += 3;
    else
        return i;
    while (k < e && data[k] == ' ')
        k++;
    return k;
}

/* "3, 17 och 31 mars": a `days` capture lists days of one month (or
 * ranges of them, "2–3 och 9–10"); each is a date of its own, sharing the
 * match (its span) and the month. */
static void push_each_day(ctx *c, date_mention *dm)
{
    size_t s, e;
    if (ext_span(dm->x, "days", &s, &e)) {
        res_push((void **)&c->dates, &c->n_dates, sizeof *dm, dm);
        return;
    }
    dm->weekday = 0; /* one weekday cannot be right for every day of a list */
    const char *data = c->t->data;
    for (size_t i = s; i < e;) {
        if (!isdigit((unsigned char)data[i])) {
            i++;
            continue;
        }
        int d = list_number(data, &i, e), last = d;
        size_t k = after_dash(data, i, e); /* "2–3 och 9–10 december": each day of each range */
        if (k != i && k < e && isdigit((unsigned char)data[k])) {
            size_t j = k;
            int d2 = list_number(data, &j, e);
            if (d2 > d && d2 <= 31) {
                last = d2;
                i = j;
            }
        }
        for (int day = d; day >= 1 && day <= last && day <= 31; day++) {
            dm->d = day;
            res_push((void **)&c->dates, &c->n_dates, sizeof *dm, dm);
        }
    }
}

#define LINE_HAS_DATE 1
#define LINE_MOSTLY_KNOWN 2
#define LINE_MOSTLY_DATE 4

/* "på torsdag" on a page published on Tuesday 11 February 2025: Thursday
 * 13 February, the first such weekday after the publication date (a week
 * on, when that is the same weekday). The publication date is the first
 * full date a publication label holds or is followed by within its
 * window. Returns 0 when the page has none. */
static int label_window(const ext_match *x);
static int iso_weekday(int y, int m, int d);

/* "Onsdag 19 mars 2025" over "ett samtal på onsdag kl. 18.00" on a page
 * with no publication date: the one full date the page gives that falls
 * on that weekday. Returns 0 when there is none, or more than one. */
static int day_of_weekday(const ctx *c, int weekday, date_mention *dm)
{
    int found = 0, fy = 0, fm = 0, fd = 0;
    for (int i = 0; i < c->ms->n; i++) {
        const ext_match *x = &c->ms->items[i];
        size_t s, e;
        if (x->field != FIELD_date || !ext_span(x, "day2", &s, &e))
            continue; /* a range names several days */
        int y = ext_int(x, c->t, "year", 0), m = ext_int(x, c->t, "month", 0), d = ext_int(x, c->t, "day", 0);
        if (y < 1900 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m) || iso_weekday(y, m, d) != weekday)
            continue;
        if (found && (y != fy || m != fm || d != fd))
            return 0;
        found = 1, fy = y, fm = m, fd = d;
    }
    if (!found)
        return 0;
    dm->y = fy, dm->m = fm, dm->d = fd;
    return 1;
}

static int relative_day_of(const ctx *c, int weekday, date_mention *dm);

/* relative_day_of, asked once per weekday: a page of many "på onsdag"
 * scans its matches seven times at most. */
static int relative_day(ctx *c, int weekday, date_mention *dm)
{
    if (weekday < 1 || weekday > 7)
        return 0;
    if (!c->relative[weekday]) {
        date_mention found = {0};
        c->relative[weekday] = relative_day_of(c, weekday, &found) ? found.y * 10000 + found.m * 100 + found.d : -1;
    }
    int v = c->relative[weekday];
    if (v < 0)
        return 0;
    dm->y = v / 10000, dm->m = v / 100 % 100, dm->d = v % 100;
    return 1;
}

static int relative_day_of(const ctx *c, int weekday, date_mention *dm)
{
    const ext_match *pub = NULL;
    for (int i = 0; i < c->ms->n && !pub; i++)
        if (c->ms->items[i].field == FIELD_publication)
            pub = &c->ms->items[i];
    if (!pub)
        return day_of_weekday(c, weekday, dm);
    for (int i = 0; i < c->ms->n; i++) {
        const ext_match *x = &c->ms->items[i];
        if (x->field != FIELD_date || x->end <= pub->start || x->start > pub->end + (size_t)label_window(pub))
            continue;
        int y = ext_int(x, c->t, "year", 0), m = ext_int(x, c->t, "month", 0), d = ext_int(x, c->t, "day", 0);
        if (y < 1900 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
            continue;
        int ahead = (weekday - iso_weekday(y, m, d) + 7) % 7;
        for (d += ahead ? ahead : 7; d > days_in_month(y, m); m = m % 12 + 1, y += m == 1)
            d -= days_in_month(y, m);
        dm->y = y, dm->m = m, dm->d = d;
        return 1;
    }
    return 0;
}

/* Does [s, e) of the text hold a letter (ASCII, or Latin-1's "åäö")? */
static int letter_between(const evx_text *t, size_t s, size_t e)
{
    for (size_t i = s; i < e; i++)
        if (isalpha((unsigned char)t->data[i]) || (unsigned char)t->data[i] == 0xC3)
            return 1;
    return 0;
}

/* dm's days from its ISO weeks in year y: Monday of `week` through Sunday
 * of `week2` (a series' weekdays then pick the days: "v. 32,
 * måndag–fredag"). */
/* Day n of year y (1 is 1 January; before 1 or past 31 December runs into
 * the year next to it) as y/m/d. */
static void day_of_year(int y, int n, int *oy, int *om, int *od)
{
    int m = 1;
    if (n < 1) { /* week 1 may start in the December before */
        y--;
        m = 12;
        n += 31;
    }
    while (n > days_in_month(y, m)) {
        n -= days_in_month(y, m);
        if (++m > 12) {
            m = 1;
            y++;
        }
    }
    *oy = y, *om = m, *od = n;
}

static void week_days(date_mention *dm, int y)
{
    int monday1 = 4 - (iso_weekday(y, 1, 4) - 1); /* week 1 holds 4 January */
    day_of_year(y, monday1 + (dm->week - 1) * 7, &dm->y, &dm->m, &dm->d);
    day_of_year(y, monday1 + dm->week2 * 7 - 1, &dm->y2, &dm->m2, &dm->d2);
}

static void collect_dates(ctx *c)
{
    for (int i = 0; i < c->ms->n; i++) {
        const ext_match *x = &c->ms->items[i];
        if (x->field != FIELD_date)
            continue;
        date_mention dm = {0};
        dm.x = x;
        size_t ds, de;
        dm.d = ext_span(x, "days", &ds, &de) ? ext_int(x, c->t, "day", 0) : 1; /* a list: days set below */
        dm.m = ext_int(x, c->t, "month", 0);
        dm.y = ext_int(x, c->t, "year", 0);
        if (dm.y && dm.y < 100)
            dm.y += 2000;
        const char *kind = rule_set_value(x->rule, "kind");
        if (kind && !strcmp(kind, "relative") && !relative_day(c, ext_int(x, c->t, "weekday", 0), &dm))
            continue;
        if (kind && (!strcmp(kind, "weekday") || !strcmp(kind, "dayn"))) {
            dm.weekday = ext_int(x, c->t, "weekday", 0);
            dm.day_n = ext_int(x, c->t, "dayn", 0);
            dm.weekday_last = ext_int(x, c->t, "weekday3", 0);
            dm.line = line_of(&c->li, x->start);
            dm.time = dm.end_time = dm.in_range = dm.range_start = -1;
            if (dm.weekday || (dm.day_n >= 1 && dm.day_n <= 7))
                res_push((void **)&c->weekday_refs, &c->n_weekday_refs, sizeof dm, &dm);
            continue;
        }
        dm.week = ext_int(x, c->t, "week", 0);
        if (!dm.d && !dm.m && !dm.week) {
            /* "Kursen gick senast våren 2025": a year a past label holds
             * says when it was, not when this is. */
            if (ext_covering(c->ms, FIELD_past, x->start, x->end))
                continue;
            const char *hint = rule_set_value(x->rule, "hint");
            if (hint && !strcmp(hint, "anywhere")) {
                if (dm.y)
                    res_push((void **)&c->years_anywhere, &c->n_years_anywhere, sizeof dm.y, &dm.y);
                continue;
            }
            int *slot = !hint                     ? &c->year_hint
                        : !strcmp(hint, "event")  ? &c->year_hint_event
                        : !strcmp(hint, "unsure") ? &c->year_hint_unsure
                                                  : &c->year_hint;
            if (dm.y && !*slot)
                *slot = dm.y; /* a bare year, as in a heading "Konferens 2020" */
            if (dm.y && slot == &c->year_hint) {
                size_t mark[2] = {x->start, (size_t)dm.y};
                res_push((void **)&c->year_marks, &c->n_year_marks, sizeof mark, mark);
            }
            continue;
        }
        dm.weekday = ext_int(x, c->t, "weekday", 0);
        if (kind && !strcmp(kind, "weekly")) {
            dm.weekly = ext_int(x, c->t, "weekday2", 0);
            dm.weekly2 = ext_int(x, c->t, "weekday3", 0);
            const char *span = rule_set_value(x->rule, "span");
            dm.weekly_span = span && !strcmp(span, "yes") && dm.weekly2;
            dm.weekly_count = ext_int(x, c->t, "number", 0);
            /* the series' day, not the first date's; but a counted series
             * starts on its day ("tisdagar ... med start 4 februari") */
            dm.weekday = dm.weekly_count > 0 ? dm.weekly : 0;
        }
        if (ext_span(x, "city", &dm.city_s, &dm.city_e))
            dm.city_s = dm.city_e = 0;
        dm.d2 = ext_int(x, c->t, "day2", 0);
        dm.m2 = ext_int(x, c->t, "month2", dm.m);
        if (!dm.m && dm.d2) /* "17–28 juni": the month, written once, holds for both ends */
            dm.m = dm.m2;
        /* "Lördag–söndag 14–15 november": weekdays that only name the
         * range's days make no series of it. */
        if (dm.weekly_span && dm.m >= 1 && dm.m <= 12 && dm.m2 >= 1 && dm.m2 <= 12 &&
            days_between(2001, dm.m, dm.d, dm.m2 < dm.m ? 2002 : 2001, dm.m2, dm.d2) + 1 <=
                (dm.weekly2 - dm.weekly + 7) % 7 + 1)
            dm.weekly = dm.weekly2 = dm.weekly_span = 0;
        dm.y2 = ext_int(x, c->t, "year2", 0);
        if (dm.y2 && dm.y2 < 100)
            dm.y2 += 2000;
        dm.week2 = ext_int(x, c->t, "week2", dm.week);
        if (dm.week) {
            if (dm.week < 1 || dm.week > 53 || dm.week2 < dm.week || dm.week2 > 53)
                continue;
            int written = dm.y;
            week_days(&dm, written ? written : 2001); /* a year for now; weeks_in_year() settles it */
            if (!written)
                dm.y = dm.y2 = 0;
        }
        if (dm.m < 1 || dm.m > 12 || dm.d < 1 || dm.d > 31) {
            if (dm.y && dm.m) /* "i juni 2023": no day, but a year for the last resort */
                res_push((void **)&c->years_anywhere, &c->n_years_anywhere, sizeof dm.y, &dm.y);
            continue;
        }
        if (dm.d2 && (dm.m2 < 1 || dm.m2 > 12 || dm.d2 > 31))
            dm.d2 = 0;
        /* "Kyrkvägen 3 – tis 10 mars": a weekday before a range's second
         * day only, never its first, makes the first number a house's. */
        size_t d1s, d1e, d2s, d2e, m2s, m2e;
        if (dm.d2 && !dm.weekday && !dm.weekly && ext_span(x, "month2", &m2s, &m2e) && !ext_span(x, "day", &d1s, &d1e) &&
            !ext_span(x, "day2", &d2s, &d2e) && letter_between(c->t, d1e, d2s)) {
            dm.d = dm.d2;
            dm.d2 = 0;
        }
        /* "14-15 maj 2020": the year, written once, belongs to both ends. */
        if (dm.d2 && !dm.y && dm.y2)
            dm.y = dm.y2;
        dm.line = line_of(&c->li, x->start);
        dm.time = -1;
        dm.end_time = dm.in_range = dm.range_start = -1;
        push_each_day(c, &dm);
    }
}

static int iso_weekday(int y, int m, int d);

/* "torsdag den 7 november" early on and "den 7 november" further down are
 * the same day: the weekday, written once, pins the year of both. */
typedef struct {
    int key, index;
} day_key;

static int by_day_key(const void *a, const void *b)
{
    const day_key *p = a, *q = b;
    return p->key != q->key ? (p->key < q->key ? -1 : 1) : (p->index > q->index) - (p->index < q->index);
}

static void share_weekdays(ctx *c)
{
    if (c->n_dates < 2)
        return;
    day_key *keys = malloc(sizeof *keys * (size_t)c->n_dates);
    for (int i = 0; i < c->n_dates; i++)
        keys[i] = (day_key){(c->dates[i].y * 13 + c->dates[i].m) * 32 + c->dates[i].d, i};
    qsort(keys, (size_t)c->n_dates, sizeof *keys, by_day_key);
    for (int g = 0; g < c->n_dates;) {
        int end = g, weekday = 0;
        while (end < c->n_dates && keys[end].key == keys[g].key)
            end++;
        for (int k = g; k < end && !weekday; k++) {
            const date_mention *o = &c->dates[keys[k].index];
            if (o->weekday && !o->d2)
                weekday = o->weekday; /* the first written in the text */
        }
        for (int k = g; k < end && weekday; k++)
            if (!c->dates[keys[k].index].weekday)
                c->dates[keys[k].index].weekday = weekday;
        g = end;
    }
    free(keys);
}

/* Per line and per date, what the attachment and year rules look up. */
static void index_dates(ctx *c)
{
    int n = c->n_dates ? c->n_dates : 1;
    c->line_flags = calloc((size_t)(c->li.n ? c->li.n : 1), 1);
    c->next_date_line = malloc(sizeof(int) * (size_t)n);
    c->prev_dated = malloc(sizeof(int) * (size_t)n);
    c->next_dated = malloc(sizeof(int) * (size_t)n);
    int last = -1;
    for (int i = 0; i < c->n_dates; i++) {
        c->line_flags[c->dates[i].line] |= LINE_HAS_DATE;
        c->prev_dated[i] = last;
        if (c->dates[i].y)
            last = i;
        if (c->dates[i].y > c->latest_year)
            c->latest_year = c->dates[i].y;
    }
    last = -1;
    int next_line = c->li.n;
    for (int i = c->n_dates - 1; i >= 0; i--) {
        c->next_dated[i] = last;
        if (c->dates[i].y)
            last = i;
        c->next_date_line[i] = next_line;
        if (i > 0 && c->dates[i - 1].line < c->dates[i].line)
            next_line = c->dates[i].line;
    }
}

/* An event year ("2014 års föreläsning") outranks a year merely written
 * near the top; a two-digit one ("Konferens 19") counts only when a written
 * weekday agrees with it. */
static void settle_year_hints(ctx *c)
{
    if (c->year_hint_event) {
        c->year_hint = c->year_hint_event;
        return;
    }
    if (c->year_hint)
        return;
    for (int i = 0; i < c->n_dates && c->year_hint_unsure; i++) {
        const date_mention *dm = &c->dates[i];
        if (dm->weekday && !dm->y && iso_weekday(c->year_hint_unsure, dm->m, dm->d) == dm->weekday) {
            c->year_hint = c->year_hint_unsure;
            return;
        }
    }
    /* Last resort: the year the page names most often, the later on a tie
     * (a written weekday still moves it by a year or two: infer_year). */
    int best = 0, best_n = 0;
    for (int i = 0; i < c->n_years_anywhere; i++) {
        int y = c->years_anywhere[i], n = 0;
        for (int j = 0; j < c->n_years_anywhere; j++)
            n += c->years_anywhere[j] == y;
        if (n > best_n || (n == best_n && y > best)) {
            best = y;
            best_n = n;
        }
    }
    c->year_hint = best;
}

static time_scope scope_of(const ext_match *x)
{
    const char *scope = rule_set_value(x->rule, "scope");
    return !scope                  ? SCOPE_NONE
           : !strcmp(scope, "event") ? SCOPE_EVENT
           : !strcmp(scope, "end")   ? SCOPE_END
           : !strcmp(scope, "all")   ? SCOPE_ALL
                                     : SCOPE_NONE;
}

static int is_label_time(const time_mention *tm) { return tm->scope == SCOPE_EVENT; }
static int is_end_time(const time_mention *tm) { return tm->scope == SCOPE_END; }

#define PRESS_TIME_REACH 24 /* bytes after a programme line's time where a press word (slot_press) marks it */
/* A spoken hour ("klockan tre", "halv sju") is on a 12-hour clock: up to
 * this one it is an afternoon hour (no one meets at half past three in the
 * night); a later one is a morning hour unless the text says otherwise. */
#define SPOKEN_PM_UNTIL 6
#define SPOKEN_CONTEXT_LINES 6 /* how far above an afternoon time still sets the half of the day */

/* Is the last time above `line`, in its paragraph and within
 * SPOKEN_CONTEXT_LINES, an afternoon or evening one? Then a spoken "kvart
 * över åtta" after "klockan 18" is 20.15. The times collected so far are
 * the ones above. */
static int afternoon_above(const ctx *c, int line)
{
    const time_mention *last = c->n_times ? &c->times[c->n_times - 1] : NULL;
    if (c->n_end_times && (!last || c->end_times[c->n_end_times - 1].x->start > last->x->start))
        last = &c->end_times[c->n_end_times - 1];
    if (!last || last->h < 12 || line - last->line > SPOKEN_CONTEXT_LINES)
        return 0;
    for (int l = last->line + 1; l < line; l++)
        if (line_blank(&c->li, c->t, l))
            return 0;
    return 1;
}

static void collect_times(ctx *c)
{
    for (int i = 0; i < c->ms->n; i++) {
        const ext_match *x = &c->ms->items[i];
        if (x->field != FIELD_time)
            continue;
        time_mention tm = {x, -1, 0, -1, 0, 0, SCOPE_NONE};
        int spoken = ext_clock(x, c->t, 0, &tm.h, &tm.mi), spoken_end = ext_clock(x, c->t, 1, &tm.h2, &tm.mi2);
        if (tm.h < 0 || tm.h > 24 || tm.mi > 59 || tm.h2 > 24 || tm.mi2 > 59)
            continue;
        if (ext_covering(c->ms, FIELD_date, x->start, x->end))
            continue; /* "24.11" in "19.10–24.11.2024" is a day */
        if (ext_covering(c->ms, FIELD_publication, x->start, x->end))
            continue; /* "Upplagd av Ateljéföreningen kl. 10:12": when the post was written */
        tm.line = line_of(&c->li, x->start);
        size_t le = line_end(&c->li, c->t, tm.line), ls = c->li.start[tm.line];
        while (ls < x->start && isspace((unsigned char)c->t->data[ls]))
            ls++;
        if (ls == x->start &&
            ext_first_in(c->ms, FIELD_slot_press, x->end, x->end + PRESS_TIME_REACH < le ? x->end + PRESS_TIME_REACH : le))
            continue; /* "10.30 Samling för media vid presstältet": the press's hour, not the event's */
        size_t ps, pe;
        int pm = !ext_span(x, "pm", &ps, &pe), am = !ext_span(x, "am", &ps, &pe);
        if (pm) { /* "3.15–4.30 pm", not "9.30 am – 7.30 pm" */
            tm.h += tm.h < 12 && !am ? 12 : 0;
            tm.h2 += tm.h2 >= 0 && tm.h2 < 12 ? 12 : 0;
        } else if (spoken && !am && tm.h < 12 && (tm.h <= SPOKEN_PM_UNTIL || afternoon_above(c, tm.line)))
            tm.h += 12;
        if (spoken_end && !pm && tm.h2 < 12 && (tm.h2 <= SPOKEN_PM_UNTIL || tm.h2 * 60 + tm.mi2 < tm.h * 60 + tm.mi))
            tm.h2 += 12; /* "från kvart över fyra till sex" */
        if (tm.h == 24)
            tm.h = 0;
        tm.scope = scope_of(x);
        if (is_end_time(&tm))
            res_push((void **)&c->end_times, &c->n_end_times, sizeof tm, &tm);
        else
            res_push((void **)&c->times, &c->n_times, sizeof tm, &tm);
    }
}


static int date_on_line(const ctx *c, int line) { return c->line_flags[line] & LINE_HAS_DATE; }

/* Does s..e hold a note calling a day off ("Obs! Inget språkcafé onsdag
 * 26 februari": a `past` match with `set cancels=...`)? */
static int day_off_note(const ctx *c, size_t s, size_t e)
{
    for (const ext_match *x = ext_first_in(c->ms, FIELD_past, s, e);
         x && x < c->ms->items + c->ms->n && x->field == FIELD_past && x->start < e; x++)
        if (rule_set_value(x->rule, "cancels"))
            return 1;
    return 0;
}

/* Does a line after `from` and before `to` hold a date of another event:
 * not one whose date a publication or deadline label on the line claims
 * ("Publicerad 2023-10-02", "Anmäl dig senast 3 maj": they date the page
 * or the sign-up), nor a note calling a day off? */
static int event_dated_between(const ctx *c, int from, int to)
{
    for (int l = from + 1; l < to; l++) {
        if (!date_on_line(c, l))
            continue;
        size_t s = c->li.start[l], e = line_end(&c->li, c->t, l);
        if (!ext_first_in(c->ms, FIELD_publication, s, e) && !ext_first_in(c->ms, FIELD_deadline, s, e) &&
            !day_off_note(c, s, e))
            return 1;
    }
    return 0;
}

/* Times, dates and matches of one field are sorted by start and do not
 * overlap, so their ends are sorted too: the lookups below are binary
 * searches, which keeps resolving linear-logarithmic in the document. */
static size_t time_start(const void *p) { return ((const time_mention *)p)->x->start; }
static size_t time_end(const void *p) { return ((const time_mention *)p)->x->end; }
static size_t date_start(const void *p) { return ((const date_mention *)p)->x->start; }

/* The first of n items, `size` bytes apart, whose position is >= pos. */
static int lower_bound(const void *items, int n, size_t size, size_t (*position)(const void *), size_t pos)
{
    int lo = 0, hi = n;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (position((const char *)items + size * (size_t)mid) < pos)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static int first_time_from(const ctx *c, size_t pos)
{
    return lower_bound(c->times, c->n_times, sizeof *c->times, time_start, pos);
}

static int first_time_ending_from(const time_mention *times, int n, size_t pos)
{
    return lower_bound(times, n, sizeof *times, time_end, pos);
}

static int first_date_from(const date_mention *dates, int n, size_t pos)
{
    return lower_bound(dates, n, sizeof *dates, date_start, pos);
}

/* Is time k already the time of a date before date i? Dates take their
 * times in order, so the first taker is recorded once. */
static int time_taken(const ctx *c, int i, int k) { return c->time_owner[k] >= 0 && c->time_owner[k] < i; }

static void own_times(ctx *c, int i)
{
    const date_mention *dm = &c->dates[i];
    if (dm->time >= 0 && c->time_owner[dm->time] < 0)
        c->time_owner[dm->time] = i;
    for (int m = 0; m < dm->n_more; m++)
        if (c->time_owner[dm->more_times[m]] < 0)
            c->time_owner[dm->more_times[m]] = i;
}

/* Is the time t alone on its line after a short label with a letter in
 * it ("  • Pass 1: klockan 9.30–12")? Its label in [*ls, *le). */
static int labelled_time_line(const ctx *c, const time_mention *t, size_t *ls, size_t *le)
{
    size_t s = c->li.start[t->line], e = line_end(&c->li, c->t, t->line), rest = 0;
    for (size_t i = t->x->end; i < e; i++)
        rest += !isspace((unsigned char)c->t->data[i]);
    int letter = 0;
    for (size_t i = s; i < t->x->start; i++)
        letter |= isalpha((unsigned char)c->t->data[i]) || (unsigned char)c->t->data[i] >= 0x80;
    *ls = s, *le = t->x->start;
    return letter && rest <= LABELLED_TIME_REST && t->x->start - s <= LABELLED_TIME_LABEL;
}

/* "  • Pass 1: klockan 9.30–12" over "  • Pass 2: klockan 13.30–16": two
 * times on consecutive lines under labels alike but for their numbers are
 * two sessions of one date. */
static int parallel_time_lines(const ctx *c, const time_mention *a, const time_mention *b)
{
    size_t as, ae, bs, be;
    if (b->line != a->line + 1 || !labelled_time_line(c, a, &as, &ae) || !labelled_time_line(c, b, &bs, &be))
        return 0;
    const char *t = c->t->data;
    while (as < ae && bs < be) {
        if (isdigit((unsigned char)t[as]) && isdigit((unsigned char)t[bs])) {
            while (as < ae && isdigit((unsigned char)t[as]))
                as++;
            while (bs < be && isdigit((unsigned char)t[bs]))
                bs++;
        } else if (t[as++] != t[bs++]) {
            return 0;
        }
    }
    return as == ae && bs == be;
}

/* Times written one after the other ("08.30–12.30 samt 18.00–20.00") are
 * sessions of the same date: only a short gap without digits between them,
 * or a line each under labels alike (parallel_time_lines). */
static void attach_more_times(ctx *c, date_mention *dm, size_t limit)
{
    int k = dm->time;
    while (dm->n_more < MAX_TIMES_PER_DATE && k + 1 < c->n_times) {
        const time_mention *a = &c->times[k], *b = &c->times[k + 1];
        if (!date_on_line(c, b->line) && parallel_time_lines(c, a, b)) {
            dm->more_times[dm->n_more++] = ++k;
            continue;
        }
        if (b->x->start >= limit || b->x->start < a->x->end || b->x->start - a->x->end > TIME_JOIN_GAP)
            return;
        /* Only a short joining word may stand between ("samt", "och"),
         * not a label of its own ("mingel 15.00-16.00"). */
        int letters = 0;
        for (size_t i = a->x->end; i < b->x->start; i++) {
            unsigned char ch = (unsigned char)c->t->data[i];
            if (isdigit(ch))
                return;
            letters += isalpha(ch) || ch >= 0x80;
        }
        if (letters > JOIN_WORD_MAX)
            return;
        if (a->h2 < 0 && b->h2 < 0) {
            int gap = (b->h * 60 + b->mi) - (a->h * 60 + a->mi);
            if (gap > 0 && gap < ALT_TIME_GAP)
                return; /* one start, given for two meeting points */
        }
        dm->more_times[dm->n_more++] = ++k;
    }
}

/* "Samling klockan 17.30 på onsdagen den 13 maj": a time written right
 * before a date, joined by at most a short word, is that date's. */
static int time_just_before(const ctx *c, size_t at, int date_index)
{
    for (int k = first_time_ending_from(c->times, c->n_times, at > TIME_BEFORE_GAP ? at - TIME_BEFORE_GAP : 0);
         k < c->n_times && c->times[k].x->end <= at; k++) {
        const time_mention *tm = &c->times[k];
        if (date_index >= 0 && time_taken(c, date_index, k))
            continue;
        int letters = 0, clean = 1;
        for (size_t i = tm->x->end; i < at && clean; i++) {
            unsigned char ch = (unsigned char)c->t->data[i];
            clean = !isdigit(ch) && ch != '.' && ch != '\n';
            letters += isalpha(ch) || ch >= 0x80;
        }
        if (clean && letters <= JOIN_WORD_MAX)
            return k;
    }
    return -1;
}

/* "Onsdag 20 maj, kl. 12.30 ... Återkomst beräknas till ca kl. 17.00": an
 * end time a few lines below a timed date, before the next date line, ends
 * that date's event when its own time gave no end. */
static void attach_end_times(ctx *c)
{
    for (int i = 0; i < c->n_dates; i++) {
        date_mention *dm = &c->dates[i];
        if (dm->time < 0 || c->times[dm->time].h2 >= 0 || dm->n_more || dm->d2)
            continue;
        const time_mention *start = &c->times[dm->time];
        /* "Start: 2025-10-14 18:00" over "Slut: 2025-10-14 19:30": a date
         * naming the same day again does not part the end from its start. */
        int next = i + 1, same_day = 0;
        while (next < c->n_dates && c->dates[next].d == dm->d && c->dates[next].m == dm->m && !c->dates[next].d2 &&
               (!c->dates[next].y || !dm->y || c->dates[next].y == dm->y) && c->dates[next].line > dm->line)
            next++, same_day = 1;
        int next_line = same_day ? (next < c->n_dates ? c->dates[next].line : c->li.n) : c->next_date_line[i];
        for (int k = first_time_ending_from(c->end_times, c->n_end_times, start->x->end + 1);
             k < c->n_end_times && dm->end_time < 0; k++) {
            const time_mention *e = &c->end_times[k];
            if (e->line >= next_line || e->line - dm->line > END_TIME_LINES)
                break;
            /* "startar 4 augusti kl. 10.00 och avslutas torsdag 7 augusti
             * kl. 14.00": the end of another date's day (link_dated_ends). */
            if (next < c->n_dates && c->dates[next].x->start > start->x->end && c->dates[next].x->end <= e->x->start)
                break;
            if (e->x->start > start->x->end && e->h * 60 + e->mi > start->h * 60 + start->mi)
                dm->end_time = k;
        }
    }
}

/* "måndag 4 augusti kl. 10.00 – torsdag 7 augusti kl. 14.00", "startar
 * ... kl. 10.00 och avslutas torsdag 7 augusti kl. 14.00": a timed date
 * and, on its line, a later date whose time ends the event (after a dash,
 * or a scope=end time) make one event over the days between, each of them
 * a day of it: the first date becomes the range, with the start of its own
 * time and the end of the other's. */
static void link_dated_ends(ctx *c)
{
    for (int i = 0; i + 1 < c->n_dates; i++) {
        date_mention *a = &c->dates[i], *b = &c->dates[i + 1];
        if (a->d2 || b->d2 || a->time < 0 || c->times[a->time].h2 >= 0 || a->n_more || a->line != b->line ||
            b->x == a->x || (b->y && a->y && b->y != a->y))
            continue;
        const time_mention *end = NULL;
        if (b->time_is_end && b->time >= 0) {
            end = &c->times[b->time];
        } else if (b->time < 0 && a->end_time < 0) {
            int k = first_time_ending_from(c->end_times, c->n_end_times, b->x->end);
            if (k < c->n_end_times && c->end_times[k].line == b->line && c->end_times[k].x->start >= b->x->end)
                end = &c->end_times[k];
        }
        int span = (b->m - a->m) * 31 + b->d - a->d; /* a bound: exact days do not matter here */
        if (!end || span < 1 || span > LINKED_DAYS_MAX)
            continue;
        a->d2 = b->d;
        a->m2 = b->m;
        a->y2 = b->y;
        a->range_start = a->time;
        a->range_end = end;
        a->time = -1;
        b->in_range = i;
        b->time = -1;
    }
}

/* Is another date than i between the end of time k and date i? */
static int date_between(const ctx *c, int i, int k)
{
    const date_mention *dm = &c->dates[i];
    for (int j = i - 1; j >= 0; j--) {
        if (c->dates[j].x == dm->x)
            continue; /* a day of the same list */
        return c->dates[j].x->start >= c->times[k].x->end && c->dates[j].x->end <= dm->x->start;
    }
    return 0;
}

/* A time belongs to a date when it follows it on the same line before the
 * next date, or, for the last date of a line, when it stands before it on
 * that line, on a labelled "Tid:" line near it, or on one of the next two
 * lines that name no date of their own. */
/* Whether s[0..n) holds one of the bytes of set. */
static int memchr_any(const char *s, size_t n, const char *set)
{
    for (; *set; set++)
        if (memchr(s, *set, n))
            return 1;
    return 0;
}

static int line_mostly_date(ctx *c, int line);

/* Whether line l opens with a date, after bullets and blanks at most
 * ("– tisdag 4 februari: Viltarter och artkunskap"). */
static int opens_with_date(const ctx *c, int l)
{
    size_t s = c->li.start[l];
    int i = first_date_from(c->dates, c->n_dates, s);
    return i < c->n_dates && c->dates[i].line == l && c->dates[i].x->start - s <= LIST_MARK_BYTES;
}

/* "Gruppen träffas varannan onsdag kl. 18.00–19.30:" over "4 september,
 * 18 september, 2 oktober och 13 november.": a time range on a line that
 * ends in a colon is the time of each date listed on the line or lines
 * below it. The time's index, or -1. */
static int time_over_list(ctx *c, int line)
{
    if (!line_mostly_date(c, line) && !opens_with_date(c, line))
        return -1;
    /* "Teorikvällar kl. 18.30–21.30:" over a list of dates a line each,
     * each with its topic: past the list's lines above this one. */
    int above = line - 1, items = 0;
    while (above >= 0 && items < LIST_TIME_ITEMS && !line_blank(&c->li, c->t, above) && opens_with_date(c, above)) {
        above--;
        items++;
    }
    while (above >= 0 && above >= line - items - 2 && line_blank(&c->li, c->t, above))
        above--;
    if (above < 0 || line_blank(&c->li, c->t, above))
        return -1;
    size_t s = c->li.start[above], e = line_end(&c->li, c->t, above);
    while (e > s && isspace((unsigned char)c->t->data[e - 1]))
        e--;
    if (e == s || c->t->data[e - 1] != ':')
        return -1;
    int found = -1;
    for (int k = first_time_from(c, s); k < c->n_times && c->times[k].x->start < e; k++)
        if (c->times[k].h2 >= 0)
            found = k;
    return found;
}

static int same_column(const ctx *c, int a, int b);

/* How many lines with text lie between lines a and b? */
static int text_lines_between(const ctx *c, int a, int b)
{
    int n = 0;
    for (int l = a + 1; l < b; l++)
        n += !line_blank(&c->li, c->t, l);
    return n;
}

static void attach_one(ctx *c, int i)
{
    date_mention *dm = &c->dates[i];
    size_t line_s = c->li.start[dm->line], limit = line_end(&c->li, c->t, dm->line);
    int last_on_line = 1;
    for (int j = i + 1; j < c->n_dates && c->dates[j].line == dm->line; j++)
        if (c->dates[j].x->start >= dm->x->end) {
            limit = c->dates[j].x->start;
            last_on_line = 0;
            break;
        }
    /* "Tid: 19.00 den 4 december, mingel från 18.30": the labelled time
     * before the date is the event's, not the one after it. */
    for (int k = first_time_from(c, line_s); k < c->n_times && dm->time < 0 && c->times[k].x->end <= dm->x->start; k++)
        if (is_label_time(&c->times[k]) && !time_taken(c, i, k))
            dm->time = k;
    if (dm->time < 0) {
        dm->time = time_just_before(c, dm->x->start, i);
        /* "kl. 9.30–16.30 (registrering från 08.30), onsdag 12 mars kl.
         * 08.30–15.00": a time set off by a comma or a bracket belongs to
         * what came before when the date has one of its own right after. */
        int k = first_time_from(c, dm->x->end);
        if (dm->time >= 0 && k < c->n_times && c->times[k].x->start < limit &&
            c->times[k].x->start - dm->x->end <= TIME_AFTER_WEEKDAY &&
            memchr_any(c->t->data + c->times[dm->time].x->end, dm->x->start - c->times[dm->time].x->end, ",;)"))
            dm->time = k;
    }
    if (dm->time < 0) {
        int k = first_time_from(c, dm->x->end);
        if (k < c->n_times && c->times[k].x->start < limit && c->times[k].x->start - dm->x->end <= SAME_LINE_REACH)
            dm->time = k;
        /* "Torsdag 12 september. Kaffe och smörgås från 7.30. Programmet
         * börjar 8.00": a prelude's time yields to the start stated after it. */
        if (dm->time >= 0 && !is_label_time(&c->times[k]) &&
            ext_first_in(c->ms, FIELD_slot_prelude, dm->x->end, c->times[k].x->start))
            for (int j = k + 1; j < c->n_times && c->times[j].x->start < limit; j++)
                if (is_label_time(&c->times[j]) && !time_taken(c, i, j)) {
                    dm->time = j;
                    break;
                }
    }
    if (dm->time < 0)
        dm->time = time_over_list(c, dm->line);
    if (dm->time >= 0) {
        attach_more_times(c, dm, limit);
        return;
    }
    if (!last_on_line)
        return;
    for (int k = first_time_from(c, line_s); k < c->n_times && dm->time < 0 && c->times[k].x->end <= dm->x->start; k++)
        if (!time_taken(c, i, k) && !date_between(c, i, k))
            dm->time = k;
    int from_line = dm->line > LABEL_TIME_LINES ? dm->line - LABEL_TIME_LINES : 0;
    /* The nearest labelled time, one no earlier date took first:
     * "Tillfälle 1 / Datum: 2024-04-16 / Tid: 09:00–10:30 / Tillfälle 2 /
     * Datum: 2024-04-17 / Tid: 18:00–19:30". */
    int best_rank = INT_MAX;
    for (int k = first_time_from(c, c->li.start[from_line]);
         k < c->n_times && c->times[k].line <= dm->line + LABEL_TIME_LINES; k++) {
        if (dm->time >= 0 && best_rank == INT_MAX)
            break; /* a time found before this loop */
        if (!is_label_time(&c->times[k]))
            continue;
        int rank = abs(c->times[k].line - dm->line) + (time_taken(c, i, k) ? LABEL_TIME_LINES + 1 : 0);
        if (rank < best_rank) {
            best_rank = rank;
            dm->time = k;
        }
    }
    /* "Lördag 28 juni / Lördag 5 juli / ... / Lördag 2 augusti" and then
     * "Tid: kl. 11.00–12.30": a labelled time under a column of dates is
     * each one's, however long the column. */
    int last = i;
    while (dm->time < 0 && last + 1 < c->n_dates && last - i < LIST_TIME_ITEMS && same_column(c, last, last + 1))
        last++;
    /* Counted in lines with text, past a note of a day off ("Obs! Inget
     * språkcafé onsdag 26 februari") between the column and its time. */
    if (last > i || (dm->time < 0 && i > 0 && same_column(c, i - 1, i)))
        for (int k = first_time_from(c, c->dates[last].x->end);
             k < c->n_times && text_lines_between(c, c->dates[last].line, c->times[k].line) < LABEL_TIME_LINES; k++)
            if (is_label_time(&c->times[k])) {
                if (!event_dated_between(c, c->dates[last].line, c->times[k].line))
                    dm->time = k;
                break;
            }
    int seen = 0; /* below the line the date ends on: "15\nMAR\n2026\nSÖN\n11:00–16:00" */
    for (int l = line_of(&c->li, dm->x->end - 1) + 1; l < c->li.n && seen < 2 && dm->time < 0; l++) {
        if (line_blank(&c->li, c->t, l))
            continue;
        seen++;
        if (date_on_line(c, l))
            break;
        int k = first_time_from(c, c->li.start[l]);
        /* "Insläpp från kl. 18.00. Samtalet börjar kl 18.30": past a
         * prelude's time to the start. */
        for (size_t from = c->li.start[l]; k + 1 < c->n_times && c->times[k + 1].line == l &&
                                           ext_first_in(c->ms, FIELD_slot_prelude, from, c->times[k].x->start);
             k++)
            from = c->times[k].x->end;
        if (k < c->n_times && c->times[k].line == l) {
            /* "Insläpp: 18.30" over "Konsert: 19.30": the doors' line
             * yields to a time on the next line. */
            if (seen == 1 && ext_first_in(c->ms, FIELD_slot_prelude, c->li.start[l], c->times[k].x->start) &&
                (k + 1 >= c->n_times || c->times[k + 1].line != l)) {
                int n = l + 1;
                if (n < c->li.n && !line_blank(&c->li, c->t, n) && !date_on_line(c, n) && k + 1 < c->n_times && c->times[k + 1].line == n &&
                    !ext_first_in(c->ms, FIELD_slot_prelude, c->li.start[n], c->times[k + 1].x->start))
                    k++, l = n;
            }
            dm->time = k;
            dm->time_below = 1;
            attach_more_times(c, dm, line_end(&c->li, c->t, l)); /* "kl. 16.00 och kl. 18.00" */
        }
    }
    /* "Månadsmöte torsdag 12 februari" and, a paragraph down, "Vi börjar
     * som vanligt kl 14": a start said so (`set reach=paragraph`), or a
     * labelled one ("Tider: 18.00 och 19.30" under a heading "Kvällsvisning
     * torsdag 23 oktober"), before any other date. */
    for (int k = first_time_from(c, dm->x->end); dm->time < 0 && k < c->n_times &&
                                                 c->times[k].line <= dm->line + STATED_START_LINES; k++) {
        int l = c->times[k].line;
        if (l > dm->line && date_on_line(c, l))
            break;
        const char *reach = rule_set_value(c->times[k].x->rule, "reach");
        int said = (reach && !strcmp(reach, "paragraph")) || is_label_time(&c->times[k]);
        if (said && !time_taken(c, i, k) && !event_dated_between(c, dm->line, l)) {
            dm->time = k;
            if (is_label_time(&c->times[k]))
                attach_more_times(c, dm, line_end(&c->li, c->t, l));
        }
    }
}

#define LIST_GAP_WORDS 2 /* "14 maj och söndag 15 maj": words between two dates of one list */

/* Do dates a and b stand close enough to share a time: at most
 * LIST_GAP_WORDS words between them ("och söndag"), and no digit? */
static int listed_near(const ctx *c, int a, int b)
{
    const date_mention *x = &c->dates[a], *y = &c->dates[b];
    if (x->x == y->x)
        return 1;
    if (y->x->start < x->x->end)
        return 0;
    int words = 0, in_word = 0, bracket = 0;
    for (size_t i = x->x->end; i < y->x->start; i++) {
        unsigned char ch = (unsigned char)c->t->data[i];
        /* "12/2 (INSTÄLLD p.g.a. sportlov), 26/2": a note in brackets is
         * no break in the list */
        bracket += ch == '(' ? 1 : ch == ')' && bracket ? -1 : 0;
        if (bracket || ch == ')')
            continue;
        /* "… samt 2 och 9 mars. Provet skrivs måndag 16 mars kl. 18": a
         * sentence's end ends the list. */
        if (isdigit(ch) || ch == '.' || ch == '!' || ch == '?')
            return 0;
        int letter = isalpha(ch) || ch >= 0x80;
        words += letter && !in_word;
        in_word = letter;
    }
    return words <= LIST_GAP_WORDS;
}

#define SIBLING_HEADING_GAP 8 /* lines between two dated headings of one list */

/* Is time k (-1: none) the hours of each day of its range (`set each=yes`)? */
static int for_each_day(const ctx *c, int k)
{
    const char *v = k >= 0 ? rule_set_value(c->times[k].x->rule, "each") : NULL;
    return v && !strcmp(v, "yes");
}

/* "Vi börjar kl. 19.00 och slutar kl. 21.00." over "Tisdag 21 januari",
 * "Tisdag 4 februari", ... each a heading of its own with a talk under it,
 * or "Tid: kl. 8.30–10.00" under the last of them: a time said (a label,
 * or `reach=paragraph`) above the first of such headings or below the
 * last is the time of each of them, not of the nearest alone. */
static void sibling_headings_share_time(ctx *c)
{
    for (int i = 0; i < c->n_dates; i++) {
        const date_mention *first = &c->dates[i];
        if (first->d2 || !line_mostly_date(c, first->line))
            continue;
        int last = i, k = first->time, mixed = 0;
        for (int j = i + 1; j < c->n_dates; j++) {
            const date_mention *dm = &c->dates[j];
            if (dm->line == c->dates[last].line)
                continue;
            if (dm->line - c->dates[last].line > SIBLING_HEADING_GAP || dm->x->rule != first->x->rule || dm->d2 ||
                !line_mostly_date(c, dm->line))
                break;
            if (dm->time >= 0 && k >= 0 && dm->time != k)
                mixed = 1;
            if (k < 0)
                k = dm->time;
            last = j;
        }
        if (last > i && k >= 0 && !mixed) {
            const char *reach = rule_set_value(c->times[k].x->rule, "reach");
            int said = is_label_time(&c->times[k]) || (reach && !strcmp(reach, "paragraph"));
            int outside = c->times[k].line < first->line || c->times[k].line > c->dates[last].line;
            for (int j = i; said && outside && j <= last; j++)
                if (c->dates[j].time < 0)
                    c->dates[j].time = k;
        }
        i = last;
    }
}

static void attach_times(ctx *c)
{
    c->time_owner = malloc(sizeof(int) * (size_t)(c->n_times ? c->n_times : 1));
    for (int k = 0; k < c->n_times; k++)
        c->time_owner[k] = -1;
    for (int i = 0; i < c->n_dates; i++) {
        attach_one(c, i);
        own_times(c, i);
    }
    /* "Torsdag 14 maj kl 12.00 - fredag 15 maj 13.00": a date joined by a
     * dash to the time of the date before it is where that event ends. */
    for (int i = 1; i < c->n_dates; i++) {
        date_mention *a = &c->dates[i - 1], *b = &c->dates[i];
        if (a->time < 0 || b->time < 0 || a->time == b->time || a->line != b->line)
            continue;
        size_t from = c->times[a->time].x->end, to = b->x->start;
        int dash_only = from <= to, dashes = 0;
        for (size_t k = from; k < to && dash_only; k++) {
            unsigned char ch = (unsigned char)c->t->data[k];
            dashes += ch == '-' || ch == 0xE2;
            dash_only = isspace(ch) || ch == '-' || ch >= 0x80;
        }
        b->time_is_end = dash_only && dashes;
    }
    /* Dates listed on one line share the time given after the last of them;
     * not across more than a list's joint ("3/9, 10/9 och 1/10 samt
     * exkursion lör 21/9 kl. 10–14": the outing's time is its own). */
    for (int i = c->n_dates - 1; i > 0; i--)
        if (c->dates[i - 1].time < 0 && c->dates[i - 1].line == c->dates[i].line && listed_near(c, i - 1, i)) {
            c->dates[i - 1].time = c->dates[i].time;
            /* "Två guidningar varje dag: klockan 10.00 och klockan 13.00" */
            c->dates[i - 1].n_more = c->dates[i].n_more;
            memcpy(c->dates[i - 1].more_times, c->dates[i].more_times, sizeof c->dates[i].more_times);
        }
    /* "tisdagar 18.00–20.00 den 5, 12 och 19 september": the days of one
     * list share the time written before the first of them. */
    for (int i = 1; i < c->n_dates; i++)
        if (c->dates[i].time < 0 && c->dates[i].x == c->dates[i - 1].x)
            c->dates[i].time = c->dates[i - 1].time;
    /* "Tid: kl. 17.15–18.30" over "• Torsdag 5 februari – …", "• Torsdag
     * 5 mars – …", "• Torsdag 9 april – …": a labelled time the first
     * dates of a column reached holds for the rest of it. */
    for (int i = 1; i < c->n_dates; i++) {
        date_mention *dm = &c->dates[i];
        const date_mention *above = &c->dates[i - 1];
        if (dm->time < 0 && above->time >= 0 && is_label_time(&c->times[above->time]) &&
            c->times[above->time].line < above->line && same_column(c, i - 1, i))
            dm->time = above->time;
    }
    sibling_headings_share_time(c);
}

static int label_window(const ext_match *x)
{
    const char *w = rule_set_value(x->rule, "window");
    return w ? atoi(w) : 80;
}

/* The date a label speaks of: one inside the label's own match, else the
 * first date that starts within the label's window after it. */
static int labelled_date(const ctx *c, const ext_match *x)
{
    /* Dates do not overlap each other, so at most the one starting before
     * the label and those starting inside it can overlap it. */
    int i = first_date_from(c->dates, c->n_dates, x->start);
    if (i > 0 && overlaps(c->dates[i - 1].x->start, c->dates[i - 1].x->end, x->start, x->end)) {
        while (i > 1 && c->dates[i - 2].x == c->dates[i - 1].x)
            i--; /* the first day of a list */
        return i - 1;
    }
    if (i < c->n_dates && c->dates[i].x->start < x->end)
        return i;
    i = first_date_from(c->dates, c->n_dates, x->end);
    if (i < c->n_dates && c->dates[i].x->start <= x->end + (size_t)label_window(x))
        return i;
    return -1;
}

/* ISO weekday (1 = Monday) of a Gregorian date (Sakamoto's method). */
static int iso_weekday(int y, int m, int d)
{
    static const int t[] = {0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4};
    if (m < 3)
        y--;
    int dow = (y + y / 4 - y / 100 + y / 400 + t[m - 1] + d) % 7;
    return dow ? dow : 7;
}

static int nearest_year(const ctx *c, const date_mention *dm);
static int year_hint_before(const ctx *c, size_t pos);

/* Does dm's written weekday fall on its date in year y ("fredag–lördag
 * 7–8 feb": either day's)? */
static int weekday_fits(int y, const date_mention *dm)
{
    return dm->d <= days_in_month(y, dm->m) &&
           (iso_weekday(y, dm->m, dm->d) == dm->weekday || (dm->d2 && iso_weekday(y, dm->m2, dm->d2) == dm->weekday));
}

/* A written weekday pins the year: "lördag 7 december" near a 2025 page
 * date is 2024. Search outwards from the nearest year, a year either way:
 * any weekday fits some year within three, so one further off says the
 * weekday is a slip, not the year. */
static int infer_year(const ctx *c, const date_mention *dm)
{
    if (dm->y)
        return dm->y;
    int base = nearest_year(c, dm);
    /* "Översiktsplan 2040" names a plan, not the year of a date near it. */
    if (c->latest_year && base > c->latest_year + FUTURE_YEARS)
        base = c->latest_year;
    if (!base || !dm->weekday)
        return base;
    /* "Onsdag 4/6" between "16 juni 2025" and "12 oktober 2023": when the
     * nearest year's 4 June is no Wednesday, the page's latest year, if it
     * fits the weekday, is likelier than a year next to the nearest. */
    if (!weekday_fits(base, dm) && c->latest_year && c->latest_year != base && weekday_fits(c->latest_year, dm))
        return c->latest_year;
    /* "onsdag 21/5" under "STÄMMOHANDLINGAR 2025", nearest to minutes
     * of 2023: a year the page writes on its own that fits the weekday. */
    if (!weekday_fits(base, dm)) {
        int best = 0;
        for (int i = 0; i < c->n_year_marks; i++) {
            int y = (int)c->year_marks[i][1];
            if (weekday_fits(y, dm) && (!best || abs(y - base) < abs(best - base)))
                best = y;
        }
        if (best)
            return best;
        /* "Lördag 15/11" after "grundad 9 november 1950", on a page of
         * "© 2025": the year the page names anywhere that fits. */
        for (int i = 0; i < c->n_years_anywhere; i++) {
            int y = c->years_anywhere[i];
            if (weekday_fits(y, dm) && (!best || abs(y - base) < abs(best - base)))
                best = y;
        }
        if (best)
            return best;
    }
    for (int k = 0; k <= 2; k++) {
        int y = base + (k % 2 ? (k + 1) / 2 : -(k / 2));
        if (weekday_fits(y, dm))
            return y;
    }
    return base;
}

/* "Söndagar i oktober 2023, klockan 14: 8, 22 och 29 oktober": a year
 * written earlier on the date's own line, with no dated mention between,
 * is the date's year, whatever a dated mention further off says. */
/* The last plain year hint (a year mark) before pos, or -1. */
static int last_mark_before(const ctx *c, size_t pos)
{
    int lo = 0, hi = c->n_year_marks; /* marks stand in text order */
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        if (c->year_marks[mid][0] < pos)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo - 1;
}

/* Is year mark k a short line of its own ("Vårterminen 2026", "Höstens
 * träffar 2025"), not a year in running text ("från hösten 2027")? */
static int mark_is_heading(const ctx *c, int k, int max_words)
{
    int l = line_of(&c->li, c->year_marks[k][0]);
    size_t s = c->li.start[l], e = line_end(&c->li, c->t, l);
    int words = 0;
    for (size_t i = s; i < e; i++)
        words += !isspace((unsigned char)c->t->data[i]) && (i == s || isspace((unsigned char)c->t->data[i - 1]));
    return words <= max_words;
}

static int year_mark_on_line(const ctx *c, const date_mention *dm, int prev_dated)
{
    int k = last_mark_before(c, dm->x->start);
    if (k < 0)
        return 0;
    size_t at = c->year_marks[k][0];
    if (line_of(&c->li, at) != dm->line || (prev_dated >= 0 && c->dates[prev_dated].x->end > at))
        return 0;
    return (int)c->year_marks[k][1];
}

/* A date's place in its year (month * 32 + day); a range's by its last
 * day: "26 juni–7 augusti" on a page updated 27 June is this summer's. */
static int year_place(const date_mention *dm)
{
    return dm->d2 ? (dm->m2 ? dm->m2 : dm->m) * 32 + dm->d2 : dm->m * 32 + dm->d;
}

/* The earliest publication date of o's year (o is one): "Publicerad
 * 2024-05-20   Uppdaterad 2024-06-27" was announced in May, and "26/6"
 * is that summer's, not the next. */
static int first_published(const ctx *c, const date_mention *o)
{
    int first = o->m * 32 + o->d;
    for (int i = 0; i < c->n_first_pub; i++)
        if (c->first_pub[i][0] == o->y && c->first_pub[i][1] < first)
            first = c->first_pub[i][1];
    return first;
}

/* Fills c->first_pub once the labels have claimed their dates. */
static void note_first_published(ctx *c)
{
    for (int i = 0; i < c->n_dates; i++) {
        const date_mention *p = &c->dates[i];
        if (!p->claimed || p->claimed_as != FIELD_publication || p->updated || !p->y)
            continue;
        int k = 0;
        while (k < c->n_first_pub && c->first_pub[k][0] != p->y)
            k++;
        if (k == c->n_first_pub) {
            int entry[2] = {p->y, p->m * 32 + p->d};
            res_push((void **)&c->first_pub, &c->n_first_pub, sizeof entry, entry);
        } else if (p->m * 32 + p->d < c->first_pub[k][1]) {
            c->first_pub[k][1] = p->m * 32 + p->d;
        }
    }
}

/* Was the page first published in year y ("Publicerad: 1 december 2025"
 * beside "Uppdaterad: 8 december 2025")? Then an update stamp of that
 * year moves "10/1" as the publication would. */
static int published_in(const ctx *c, int y)
{
    for (int i = 0; i < c->n_first_pub; i++)
        if (c->first_pub[i][0] == y)
            return 1;
    return 0;
}

/* Does the page write year y, in a date or alone ("våren 2026")? An
 * update stamp ("Uppdaterad 2025-12-02") may postdate the event, so it
 * moves "17/1" to the next year only on a page that names that year. */
static int writes_year(const ctx *c, int y)
{
    if (c->latest_year == y)
        return 1;
    for (int i = 0; i < c->n_year_marks; i++)
        if ((int)c->year_marks[i][1] == y)
            return 1;
    for (int i = 0; i < c->n_years_anywhere; i++)
        if (c->years_anywhere[i] == y)
            return 1;
    return 0;
}

static int nearest_year(const ctx *c, const date_mention *dm)
{
    size_t best = SIZE_MAX;
    int y = 0, self = (int)(dm - c->dates);
    int on_line = year_mark_on_line(c, dm, c->prev_dated[self]);
    if (on_line)
        return on_line;
    int around[2] = {c->prev_dated[self], c->next_dated[self]};
    for (int a = 0; a < 2; a++) {
        /* "Den 12 mars 1950 bildades klubben" on a page of 2025 is
         * history: the dated mention beyond it counts. */
        /* Nor does last year's edition say anything of this year's: the
         * dated mention beyond it counts. */
        while (around[a] >= 0 && (c->dates[around[a]].y < c->latest_year - HISTORY_YEARS ||
                                  (c->dates[around[a]].claimed && c->dates[around[a]].claimed_as == FIELD_past)))
            around[a] = a ? c->next_dated[around[a]] : c->prev_dated[around[a]];
        if (around[a] < 0)
            continue;
        const date_mention *o = &c->dates[around[a]];
        size_t dist = o->x->start > dm->x->start ? o->x->start - dm->x->start : dm->x->start - o->x->start;
        if (dist < best) {
            best = dist;
            /* Published 10 December 2024, "fredag 17 januari": an
             * announcement comes before its event, so a day earlier in the
             * year than the publication date falls in the next year. */
            int after_pub = o->claimed && o->claimed_as == FIELD_publication &&
                            (!o->updated || writes_year(c, o->y + 1) || published_in(c, o->y)) && !dm->claimed &&
                            year_place(dm) < first_published(c, o);
            y = o->y + after_pub;
            /* "Senast uppdaterad: 8 december 2025", then "Vårterminen 2026"
             * over "15/1": a year written between a page's stamp and the
             * date is the date's. */
            int k = o->claimed && o->claimed_as == FIELD_publication && o->x->end <= dm->x->start
                        ? last_mark_before(c, dm->x->start) : -1;
            if (k >= 0 && c->year_marks[k][0] >= o->x->end && mark_is_heading(c, k, MARK_HEADING_WORDS))
                y = (int)c->year_marks[k][1];
            /* "vårterminen 2025" above "den 6 februari" and "Senast
             * uppdaterad: 2024-12-09" below: the stamp's year only brackets
             * the year written above the date, it does not overrule it. */
            k = o->claimed && o->claimed_as == FIELD_publication && o->x->start >= dm->x->end
                    ? last_mark_before(c, dm->x->start) : -1;
            if (k >= 0 && (int)c->year_marks[k][1] >= o->y && (int)c->year_marks[k][1] <= o->y + 1 &&
                mark_is_heading(c, k, TITLE_MARK_WORDS))
                y = (int)c->year_marks[k][1];
        }
    }
    return y ? y : year_hint_before(c, dm->x->start);
}

/* The year hint for a date at pos with no dated neighbour: the event's own
 * year if written, else the last plain hint before it ("Efter succén våren
 * 2023 ... Speldatum våren 2025: fredag 14 mars"), else the first. */
static int year_hint_before(const ctx *c, size_t pos)
{
    if (c->year_hint_event)
        return c->year_hint;
    int y = 0;
    for (int i = 0; i < c->n_year_marks; i++)
        if (c->year_marks[i][0] < pos)
            y = (int)c->year_marks[i][1];
    return y ? y : c->year_hint;
}

void res_fmt_hhmm(char *buf, int h, int mi)
{
    h = ((h % 24) + 24) % 24;
    mi = ((mi % 60) + 60) % 60;
    buf[0] = (char)('0' + h / 10);
    buf[1] = (char)('0' + h % 10);
    buf[2] = ':';
    buf[3] = (char)('0' + mi / 10);
    buf[4] = (char)('0' + mi % 10);
    buf[5] = '\0';
}

static void add_occurrence(evx_record *rec, ctx *c, const date_mention *dm, int y, int m, int d,
                           int time, int related)
{
    res_occurrence o = {0};
    snprintf(o.date, sizeof o.date, "%04d-%02d-%02d", y, m, d);
    o.time_at = time >= 0 ? c->times[time].x->start : SIZE_MAX;
    if (dm->city_e > dm->city_s)
        o.city = res_strndup_trim(c->t->data + dm->city_s, dm->city_e - dm->city_s);
    if (time >= 0 && dm->time_is_end) {
        const time_mention *tm = &c->times[time];
        res_fmt_hhmm(o.end, tm->h, tm->mi);
        res_stockholm_datetime(y, m, d, tm->h, tm->mi, o.end_dt, sizeof o.end_dt);
    } else if (time >= 0) {
        const time_mention *tm = &c->times[time];
        res_fmt_hhmm(o.start, tm->h, tm->mi);
        res_stockholm_datetime(y, m, d, tm->h, tm->mi, o.start_dt, sizeof o.start_dt);
        if (tm->h2 >= 0) {
            res_fmt_hhmm(o.end, tm->h2, tm->mi2);
            res_stockholm_datetime(y, m, d, tm->h2, tm->mi2, o.end_dt, sizeof o.end_dt);
        } else if (dm->end_time >= 0 && time == dm->time) {
            const time_mention *end = &c->end_times[dm->end_time];
            res_fmt_hhmm(o.end, end->h, end->mi);
            res_stockholm_datetime(y, m, d, end->h, end->mi, o.end_dt, sizeof o.end_dt);
        }
    }
    o.src = (res_src){dm->x->start, dm->x->end, dm->x->rule->src->name};
    char key[KEY_LEN];
    snprintf(key, sizeof key, "%s|%s|%s", o.date, o.start, o.end);
    if (!keyset_add(related ? &c->seen_related : &c->seen_occurrences, key)) {
        free(o.city);
        return; /* the same date and time count once */
    }
    if (related)
        res_push((void **)&rec->related, &rec->n_related, sizeof o, &o);
    else
        res_push((void **)&rec->occurrences, &rec->n_occurrences, sizeof o, &o);
}

static const date_mention *member_on(const ctx *c, const date_mention *R, int m, int d);

static int clock_of(const time_mention *tm) { return tm->h * 60 + tm->mi; }

/* Gives the occurrence of y-m-d, just added, the end time tm. */
static void set_last_end(evx_record *rec, int related, int y, int m, int d, const time_mention *tm)
{
    res_occurrence *list = related ? rec->related : rec->occurrences;
    int n = related ? rec->n_related : rec->n_occurrences;
    char date[11];
    snprintf(date, sizeof date, "%04d-%02d-%02d", y, m, d);
    for (int i = n - 1; i >= 0; i--)
        if (!strcmp(list[i].date, date)) {
            res_fmt_hhmm(list[i].end, tm->h, tm->mi);
            res_stockholm_datetime(y, m, d, tm->h, tm->mi, list[i].end_dt, sizeof list[i].end_dt);
            return;
        }
}

static void next_day(int *y, int *m, int *d)
{
    if (++*d > days_in_month(*y, *m)) {
        *d = 1;
        if (++*m > 12) {
            *m = 1;
            ++*y;
        }
    }
}

/* ISO 8601 week number of a date. */
static int iso_week(int y, int m, int d)
{
    int doy = d;
    for (int k = 1; k < m; k++)
        doy += days_in_month(y, k);
    int w = (doy - iso_weekday(y, m, d) + 10) / 7;
    if (w < 1)
        return iso_week(y - 1, 12, 31);
    /* 31 December's weekday tells whether the year has a week 53. */
    int dec31 = iso_weekday(y, 12, 31);
    if (w == 53 && dec31 < 4)
        return 1;
    return w;
}

/* The days a `cancels=day` label calls off ("Ingen kurs tisdag 25
 * februari"), as "YYYY-MM-DD" keys, and the weeks a `cancels=week` label
 * does ("uppehåll vecka 44"); made on first use. */
static const keyset *cancelled_days(ctx *c)
{
    if (c->cancelled_known)
        return &c->cancelled;
    c->cancelled_known = 1;
    for (int i = 0; i < c->ms->n; i++) {
        const ext_match *x = &c->ms->items[i];
        const char *cancels = x->field == FIELD_past ? rule_set_value(x->rule, "cancels") : NULL;
        if (cancels && !strcmp(cancels, "week")) {
            int w = ext_int(x, c->t, "week", 0), w2 = ext_int(x, c->t, "week2", 0);
            if (w >= 1 && w <= 53)
                c->cancelled_weeks |= (uint64_t)1 << w;
            if (w2 >= 1 && w2 <= 53)
                c->cancelled_weeks |= (uint64_t)1 << w2;
            continue;
        }
        /* The labelled day, and every other day inside the label's match:
         * "Uppehåll: 25 februari (sportlov) och 8 april (påsklov)". */
        int di = cancels && !strcmp(cancels, "day") ? labelled_date(c, x) : -1;
        for (int k = di; k >= 0 && k < c->n_dates && (k == di || c->dates[k].x->end <= x->end); k++) {
            int y = infer_year(c, &c->dates[k]);
            if (y && !c->dates[k].d2) {
                char key[11];
                snprintf(key, sizeof key, "%04d-%02d-%02d", y, c->dates[k].m, c->dates[k].d);
                keyset_add(&c->cancelled, key);
            }
        }
    }
    return &c->cancelled;
}

/* Is the day "YYYY-MM-DD" called off, by its date or its week? */
static int is_cancelled(ctx *c, const char *date)
{
    const keyset *off = cancelled_days(c);
    int y, m, d;
    if (keyset_has(off, date))
        return 1;
    return c->cancelled_weeks && sscanf(date, "%d-%d-%d", &y, &m, &d) == 3 &&
           (c->cancelled_weeks >> iso_week(y, m, d)) & 1;
}

/* Is o, after a counted series' first day dm (of year y), one of its
 * sessions listed below it: a day with a time, not on the line of the last
 * one found (*last_line), or one of the series' weekday ("Träffdatum:
 * 10/9, 24/9, 8/10")? Sets *oy to an untimed day's year. */
static int listed_session(ctx *c, const date_mention *dm, int y, const date_mention *o, int *last_line, int *oy)
{
    if (o->x == dm->x || o->d2 || o->claimed || o->related || (o->time >= 0 && o->line == *last_line) ||
        year_place(o) <= year_place(dm))
        return 0;
    *oy = o->time >= 0 ? 0 : infer_year(c, o);
    if (o->time < 0 && !(*oy == y && o->d <= days_in_month(y, o->m) && iso_weekday(y, o->m, o->d) == dm->weekly))
        return 0;
    *last_line = o->line;
    return 1;
}

/* "Tisdagar kl. 19.00–19.45, sex gånger med start 4 februari. Ingen kurs
 * tisdag 25 februari": the given number of sessions a week apart from the
 * first date; a day called off is no session, so the series runs a week
 * longer (drop_cancelled_days then takes the day out). */
static void add_counted_series(evx_record *rec, ctx *c, const date_mention *dm, int y, int related)
{
    /* "Startdatum: onsdag 13 januari, Antal tillfällen: 4" over a table of
     * the four days ("ons 13/1", "ons 27/1", ...): the days listed are the
     * sessions, a week apart or not. So are days of the series' weekday
     * listed without a time ("Träffar (varannan torsdag):" over "22/1 – Vad
     * händer i hjärnan?", "5/2 – ..."): they take the series' time. */
    int listed = 0, untimed = 0, last_line = dm->line, oy, first = (int)(dm - c->dates) + 1;
    for (int j = first; j < c->n_dates && listed < dm->weekly_count; j++)
        if (listed_session(c, dm, y, &c->dates[j], &last_line, &oy)) {
            listed++;
            untimed += c->dates[j].time < 0;
        }
    if (listed >= dm->weekly_count - 1) {
        add_occurrence(rec, c, dm, y, dm->m, dm->d, dm->time, related);
        last_line = dm->line;
        for (int j = first, k = 0; j < c->n_dates && untimed && k < listed; j++) {
            const date_mention *o = &c->dates[j];
            if (!listed_session(c, dm, y, o, &last_line, &oy))
                continue;
            if (o->time < 0) /* a timed one is an occurrence of its own */
                add_occurrence(rec, c, o, oy, o->m, o->d, dm->time, related);
            k++;
        }
        return;
    }
    int cy = y, cm = dm->m, cd = dm->d;
    for (int held = 0, weeks = 0; held < dm->weekly_count && weeks < MAX_WEEKLY_DAYS / 7; weeks++) {
        char key[11];
        snprintf(key, sizeof key, "%04d-%02d-%02d", cy, cm, cd);
        add_occurrence(rec, c, dm, cy, cm, cd, dm->time, related);
        held += !is_cancelled(c, key);
        for (int k = 0; k < 7; k++)
            next_day(&cy, &cm, &cd);
    }
}

/* A range "13-17 maj" is one occurrence per day; the time, when given,
 * applies to each day. */
static void add_mention(evx_record *rec, ctx *c, const date_mention *dm, int related)
{
    int y = infer_year(c, dm);
    if (!y || dm->d > days_in_month(y, dm->m))
        return;
    if (dm->weekly_count > 0 && !dm->d2) {
        add_counted_series(rec, c, dm, y, related);
        return;
    }
    if (!dm->d2) {
        add_occurrence(rec, c, dm, y, dm->m, dm->d, dm->time, related);
        for (int k = 0; k < dm->n_more; k++)
            add_occurrence(rec, c, dm, y, dm->m, dm->d, dm->more_times[k], related);
        return;
    }
    int y2 = dm->y2 ? dm->y2 : (dm->m2 < dm->m ? y + 1 : y);
    /* "varje lördag i november" ends at day 31 of any month: its last day. */
    int d2 = dm->d2 > days_in_month(y2, dm->m2) ? days_in_month(y2, dm->m2) : dm->d2;
    int cy = y, cm = dm->m, cd = dm->d;
    int folded = dm->range_start >= 0 || dm->range_end;
    /* "Tid 08.30–16.00 båda dagarna" (`set each=yes`): every day of the
     * range has those hours, not the first its start and the last its end. */
    int each = dm->range_start >= 0 ? dm->range_start : dm->time;
    if (!for_each_day(c, each) || dm->weekly)
        each = -1;
    /* "Varje tisdag 12 januari–23 februari": that weekday of each week. */
    int days = dm->weekly ? MAX_WEEKLY_DAYS : MAX_RANGE_DAYS;
    for (int k = 0; k < days; k++) {
        int last = cy == y2 && cm == dm->m2 && cd >= d2;
        int by_day = k < 7 ? dm->day_time[k] - 1 : -1;
        if (dm->weekly) {
            int wd = iso_weekday(cy, cm, cd);
            int on = dm->weekly_span ? (dm->weekly <= dm->weekly2 ? wd >= dm->weekly && wd <= dm->weekly2
                                                                  : wd >= dm->weekly || wd <= dm->weekly2)
                                     : wd == dm->weekly || wd == dm->weekly2;
            if (on) {
                add_occurrence(rec, c, dm, cy, cm, cd, dm->time, related);
                for (int t = 0; t < dm->n_more; t++) /* "Söndagar 7–28 juni kl. 13.00 och 15.00" */
                    add_occurrence(rec, c, dm, cy, cm, cd, dm->more_times[t], related);
            }
        } else if (by_day >= 0) {
            add_occurrence(rec, c, dm, cy, cm, cd, by_day, related);
        } else if (each >= 0) {
            add_occurrence(rec, c, dm, cy, cm, cd, each, related);
        } else if (!folded) {
            add_occurrence(rec, c, dm, cy, cm, cd, dm->time, related);
        } else if (k == 0) {
            add_occurrence(rec, c, dm, cy, cm, cd, dm->range_start, related);
            const date_mention *m = member_on(c, dm, cm, cd);
            for (int t = 0; m && m->time == dm->range_start && t < m->n_more; t++)
                add_occurrence(rec, c, dm, cy, cm, cd, m->more_times[t], related);
        } else if (last && dm->range_end) {
            add_occurrence(rec, c, dm, cy, cm, cd, -1, related);
            set_last_end(rec, related, cy, cm, cd, dm->range_end);
        } else {
            const date_mention *m = member_on(c, dm, cm, cd);
            if (m && m->time_is_end) {
                add_occurrence(rec, c, dm, cy, cm, cd, -1, related);
                set_last_end(rec, related, cy, cm, cd, &c->times[m->time]);
            } else {
                /* "Måndag 5 oktober 09.00–13.00 samt 14.30–16.30": each
                 * session of the day */
                add_occurrence(rec, c, dm, cy, cm, cd, m ? m->time : -1, related);
                for (int t = 0; m && t < m->n_more; t++)
                    add_occurrence(rec, c, dm, cy, cm, cd, m->more_times[t], related);
            }
        }
        if (cy == y2 && cm == dm->m2 && cd >= d2)
            break;
        next_day(&cy, &cm, &cd);
    }
}


/* "Alla föreläsningar börjar kl. 18.00": a time stated once for a series
 * goes to every free date that has none of its own. */
static void time_for_all(ctx *c, size_t related_from)
{
    int all = -1;
    /* "Språkcafé – torsdagar kl. 17.00–18.30" under "Fler evenemang" is
     * another series' time. */
    for (int k = 0; k < c->n_times && all < 0; k++)
        if (c->times[k].scope == SCOPE_ALL && c->times[k].x->start < related_from)
            all = k;
    if (all < 0)
        return;
    int above = all, next = all + 1;
    for (int i = 0; i < c->n_dates; i++) {
        date_mention *dm = &c->dates[i];
        /* A time a line or two below a date ("Entrébiljetter säljs från
         * kl. 18.30") is a weaker guess than the one stated for all,
         * unless it says when things start ("börjar konserten kl. 19"). */
        int weak = dm->time >= 0 && dm->time_below && dm->n_more == 0 && !is_label_time(&c->times[dm->time]);
        if ((dm->time < 0 || weak) && !dm->claimed && !dm->related &&
            dm->in_range < 0 && dm->range_start < 0 && !dm->range_end && !dm->day_timed) {
            /* "Måndagar kl. 15.00–16.30 på Hagaby bibliotek" over one
             * list of days, "Torsdagar kl 17.30–19 på Stadsbiblioteket"
             * over another: each list has the time stated above it. */
            /* (dates come in the text's order: one pass over the times) */
            for (; next < c->n_times && c->times[next].x->start < dm->x->start && c->times[next].x->start < related_from; next++)
                if (c->times[next].scope == SCOPE_ALL)
                    above = next;
            int own = above;
            /* "Alla vandringar startar kl. 10.00 … och pågår 10.00–ca 15":
             * the same start said again with its end. */
            const time_mention *a = &c->times[own], *b = own + 1 < c->n_times ? &c->times[own + 1] : NULL;
            if (b && b->line == a->line && a->h2 < 0 && b->h2 >= 0 && b->h == a->h && b->mi == a->mi)
                own++;
            dm->time = own;
        }
    }
}

static const time_mention *later_end(const ctx *c, const time_mention *a, const time_mention *b)
{
    (void)c;
    return !a ? b : !b ? a : clock_of(b) > clock_of(a) ? b : a;
}

/* "Hemresa: söndag 16 juni ca kl. 15.00": a scope=end time on the line of a
 * day. */
static const time_mention *end_time_after(const ctx *c, const date_mention *d)
{
    int k = first_time_ending_from(c->end_times, c->n_end_times, c->li.start[d->line]);
    return k < c->n_end_times && c->end_times[k].line == d->line ? &c->end_times[k] : NULL;
}

/* "13-17 maj" and, further down, "klockan 17.30 på onsdagen den 13 maj",
 * "klockan 15.00 på söndagen": the dates inside a range are its days, not
 * events of their own. Their times say when the first day starts and, for
 * a weekday named alone on the last day, when the last day ends. */
/* "I år pågår veckan 25 september–1 oktober" over "Tis 26/9 kl 18–19.30",
 * "Ons 27/9 kl 18–19.30": a week or more with sessions of their own, two
 * days of it or more and one timed at least ("Psykiska hälsans vecka 9–15
 * mars (med temadagen den 10 mars)" over "onsdag 11 mars, kl. 13.00"), is
 * the period they fall in, not a day of the event each. The range is then
 * claimed and its sessions stand alone. */
static int period_of_sessions(ctx *c, int r, int y, int from, int to, size_t reach)
{
    date_mention *R = &c->dates[r];
    if (days_between(y, R->m, R->d, y, R->m2, R->d2) < PERIOD_MIN_DAYS)
        return 0;
    int timed = 0, days = 0, last_day = -1, bounds = 0;
    for (int j = r + 1; j < c->n_dates && c->dates[j].x->start <= reach; j++) {
        const date_mention *m = &c->dates[j];
        int at = m->m * 32 + m->d;
        if (m->d2 || m->claimed || (m->y && m->y != y) || at < from || at > to || at == last_day)
            continue;
        days++;
        timed += m->time >= 0;
        bounds += at == from || at == to;
        last_day = at;
    }
    /* "Lägret pågår 29 juni–5 juli" over "bussen går måndag 29 juni kl.
     * 9.00 och är tillbaka söndag 5 juli ca kl. 16.00": the first and the
     * last day alone tell when the period starts and ends. */
    if (timed < 1 || days < 2 || (days == 2 && bounds == 2))
        return 0;
    R->claimed = 1;
    R->claimed_as = FIELD_date; /* not the event's days, but its year holds for them */
    return 1;
}

/* Does weekday reference w label a line of that day's doings ("Lördag:
 * gruppspel kl 9–17", `set time=line`)? Its time starts that day, even
 * alone: it is no end of the range's last day. */
static int labels_line(const date_mention *w)
{
    const char *where = rule_set_value(w->x->rule, "time");
    return where && !strcmp(where, "line");
}

/* "Datum: 23–24 september", "Tid: måndag kl. 09.00–16.30, tisdag kl.
 * 08.30–15.00", "Dag 1 pågår 10.00–17.00 ... Dag 2 pågår 08.30–12.30":
 * within a week, days named by their weekday or number with a time range
 * each have that range. Two or more such days are needed: one alone is as
 * often a remark ("på fredagen kl 9–12 är det öppet hus"). Returns whether
 * R's days took their times so. */
static int day_times(ctx *c, date_mention *R, int y, size_t reach)
{
    int span = days_between(y, R->m, R->d, y, R->m2, R->d2);
    if (span > 6)
        return 0;
    int first_wd = iso_weekday(y, R->m, R->d);
    int found[7] = {0}, n = 0;
    /* a day named alone first: "Fredag kl. 9–13" beats "måndag–fredag kl. 9–16" */
    for (int runs = 0; runs < 2; runs++)
        for (int k = first_date_from(c->weekday_refs, c->n_weekday_refs, R->x->end + 1);
             k < c->n_weekday_refs && c->weekday_refs[k].x->start <= reach; k++) {
            const date_mention *w = &c->weekday_refs[k];
            if (!w->weekday_last != !runs || w->time < 0 || (c->times[w->time].h2 < 0 && !labels_line(w)))
                continue;
            int run = w->weekday_last ? (w->weekday_last - w->weekday + 7) % 7 : 0;
            for (int i = 0; i <= run; i++) {
                int wd = (w->weekday - 1 + i) % 7 + 1;
                int at = w->day_n ? w->day_n - 1 : w->weekday >= 1 && w->weekday <= 7 ? (wd - first_wd + 7) % 7 : -1;
                if (at < 0 || at > span || found[at])
                    continue;
                found[at] = w->time + 1;
                n++;
            }
        }
    if (n < 2)
        return 0;
    memcpy(R->day_time, found, sizeof found);
    R->day_timed = 1;
    R->time = -1;
    R->n_more = 0;
    return 1;
}

/* "Samrådstiden pågår 25 mars–22 april" and "Datum: tisdag 16 april",
 * "Lördagen den 10 juni är alla välkomna på invigning!" and "Livräddare
 * finns på plats dagligen 1 juli–8 augusti": a range of weeks on a page
 * that names a day of its own (single_days: free dates of one day) is a
 * period (a consultation, an exhibition, a term, a season), not the
 * event's days. The range is then claimed, as period_of_sessions does. */
static int long_period(ctx *c, int r, int y, int y2, int single_days)
{
    date_mention *R = &c->dates[r];
    if (!single_days || days_between(y, R->m, R->d, y2, R->m2, R->d2) < LONG_PERIOD_DAYS)
        return 0;
    R->claimed = 1;
    R->claimed_as = FIELD_date;
    return 1;
}

static int line_has_phone_or_email(const ctx *c, int line)
{
    size_t s = c->li.start[line], e = line_end(&c->li, c->t, line);
    for (const ext_match *x = ext_first_in(c->ms, FIELD_contact, s, e);
         x && x < c->ms->items + c->ms->n && x->field == FIELD_contact && x->start < e; x++) {
        const char *kind = rule_set_value(x->rule, "kind");
        if (kind && (!strcmp(kind, "phone") || !strcmp(kind, "email")))
            return 1;
    }
    return 0;
}

static void fold_range_members(ctx *c)
{
    for (int k = 0; k < c->n_weekday_refs; k++) {
        date_mention *w = &c->weekday_refs[k];
        /* "torsdag kl. 10–18" (`set time=after`): the time that follows,
         * or a labelled one that holds the weekday ("Tid: torsdag kl.
         * 10–18"); with `set time=line`, the first time on its line; else
         * "klockan 15.00 på söndagen": the one before. */
        const char *where = rule_set_value(w->x->rule, "time");
        int t = first_time_from(c, w->x->end);
        w->time = -1;
        /* "0173-190 45 (tisdag–torsdag 9–12)": a contact's hours, not the event's */
        if (line_has_phone_or_email(c, w->line))
            continue;
        if (labels_line(w)) { /* "Lördag: gruppspel kl 9–17" */
            if (t < c->n_times && c->times[t].line == w->line)
                w->time = t;
            continue;
        }
        if (where && !strcmp(where, "after")) {
            if (t > 0 && c->times[t - 1].x->end > w->x->end)
                w->time = t - 1;
            else if (t < c->n_times && c->times[t].x->start - w->x->end <= TIME_AFTER_WEEKDAY)
                w->time = t;
            continue;
        }
        w->time = time_just_before(c, w->x->start, -1);
        if (w->time < 0 && t < c->n_times && c->times[t].x->start - w->x->end <= TIME_AFTER_WEEKDAY)
            w->time = t;
    }
    int single_days = 0;
    for (int i = 0; i < c->n_dates; i++)
        single_days += !c->dates[i].d2 && !c->dates[i].claimed && !c->dates[i].related;
    for (int r = 0; r < c->n_dates; r++) {
        date_mention *R = &c->dates[r];
        if (!R->d2 || R->claimed || R->related || R->weekly)
            continue; /* a weekly series' range is no period nor days of its own */
        int y = infer_year(c, R);
        int y2 = R->y2 ? R->y2 : (R->m2 < R->m ? y + 1 : y);
        if (y && long_period(c, r, y, y2, single_days))
            continue;
        if (!y || y2 != y)
            continue; /* a range over the new year is rare enough to leave whole */
        int from = R->m * 32 + R->d, to = R->m2 * 32 + R->d2, start = -1, start_below = 0;
        const time_mention *end = NULL;
        int last_timed = 0; /* "Söndag 7 december: 11–15": the last day's own hours */
        size_t reach = R->x->end + RANGE_MEMBER_REACH;
        if (period_of_sessions(c, r, y, from, to, reach))
            continue;
        /* "14–15 november, kl. 11–16 båda dagarna" over "LÖRDAG 14/11" and
         * "11.30 Sagostund": hours written with the range hold for its days;
         * a day heading's time from the programme below it is a slot's. */
        int own_hours = R->time >= 0 && c->times[R->time].h2 >= 0 && c->times[R->time].line == R->line;
        int first_day_line = -1;
        for (int j = r + 1; j < c->n_dates && c->dates[j].x->start <= reach; j++) {
            date_mention *m = &c->dates[j];
            int at = m->m * 32 + m->d;
            if (m->d2 || m->claimed || (m->y && m->y != y) || at < from || at > to || m->in_range >= 0)
                continue;
            m->in_range = r;
            if (own_hours && m->time_below)
                continue;
            if (at == from && m->time >= 0)
                first_day_line = m->line;
            if (at == to)
                end = later_end(c, end, end_time_after(c, m));
            /* "åker måndag 29 juni kl. 9.00 och är tillbaka söndag 5 juli
             * ca kl. 16.00": the last day's one time, in the sentence that
             * timed the first day, is when the period ends. */
            if (at == to && from != to && m->time >= 0 && c->times[m->time].h2 < 0 && m->line == first_day_line &&
                !m->time_below)
                end = later_end(c, end, &c->times[m->time]);
            if (at == to && m->time >= 0 && c->times[m->time].h2 >= 0)
                last_timed = 1;
            /* The earliest time of the first day; one written with its date
             * ("17 april kl. 13–17") before one a day heading took from the
             * programme below it ("12:00 Registrering"); never a prelude's
             * ("| Incheckning | Lördag 6 mars | 08.30–09.30 |"). */
            const ext_match *pre = m->time >= 0 ? ext_first_in(c->ms, FIELD_slot_prelude, c->li.start[m->line],
                                                               c->times[m->time].x->start)
                                                 : NULL;
            /* not "Registreringen öppnar klockan 9 med kaffe, och
             * konferensen inleds onsdagen den 11 mars klockan 10.00": a
             * prelude in a clause of its own */
            int prelude = pre && !(pre->end < m->x->start && c->times[m->time].x->start >= m->x->end &&
                                   memchr_any(c->t->data + pre->end, m->x->start - pre->end, ",;"));
            if (m->time >= 0 && at == from && !prelude &&
                (start < 0 || (start_below && !m->time_below) ||
                 (start_below == m->time_below && clock_of(&c->times[m->time]) < clock_of(&c->times[start])))) {
                start = m->time;
                start_below = m->time_below;
            }
        }
        /* "Retreaten börjar fredag kl. 17.30 ... och avslutas söndag kl.
         * 13.30": the first weekday's time starts the range, the last one's
         * ends it. */
        int first_wd = iso_weekday(y, R->m, R->d), last_wd = iso_weekday(y, R->m2, R->d2);
        for (int k = first_date_from(c->weekday_refs, c->n_weekday_refs, R->x->end + 1);
             !own_hours && k < c->n_weekday_refs && c->weekday_refs[k].x->start <= reach; k++) {
            /* "måndag–torsdag 16–19 juni, kl. 9–15" holds for each day, whatever
             * "torsdag kl. 14.00" says further down */
            const date_mention *w = &c->weekday_refs[k];
            if (labels_line(w))
                continue; /* day_times' */
            int single = w->time < 0 || c->times[w->time].h2 < 0;
            if (!last_timed && w->weekday == last_wd && single)
                end = later_end(c, end, w->time >= 0 ? &c->times[w->time] : end_time_after(c, w));
            else if (start < 0 && first_wd != last_wd && w->weekday == first_wd && w->time >= 0 && single)
                start = w->time;
        }
        if (day_times(c, R, y, reach))
            continue;
        if (start < 0 && !end)
            continue;
        if (for_each_day(c, R->time))
            continue; /* the range's own hours hold for each of its days */
        R->range_start = start;
        R->range_end = end;
        R->time = -1;
        R->n_more = 0;
    }
}

/* A timed member date of range R on day m/d, or NULL. */
static const date_mention *member_on(const ctx *c, const date_mention *R, int m, int d)
{
    int r = (int)(R - c->dates);
    for (int j = r + 1; j < c->n_dates && c->dates[j].x->start <= R->x->end + RANGE_MEMBER_REACH; j++)
        if (c->dates[j].in_range == r && c->dates[j].m == m && c->dates[j].d == d && c->dates[j].time >= 0)
            return &c->dates[j];
    return NULL;
}

/* A series: several free dates, each heading a line of its own ("Söndag 18
 * september"), and one time range stated once for all ("på söndagar
 * klockan 13.00-14.00"). Gives every such date that time; returns whether
 * it did. */
static int series_time(ctx *c, size_t related_from)
{
    int range = -1, nranges = 0, nlines = 0;
    for (int k = 0; k < c->n_times && c->times[k].x->start < related_from; k++) /* not the times of other events listed below */
        if (c->times[k].h2 >= 0) {
            range = k;
            nranges++;
        }
    for (int i = 0; i < c->n_dates; i++) {
        date_mention *dm = &c->dates[i];
        if (!dm->claimed && !dm->related && line_mostly_date(c, dm->line))
            nlines++;
    }
    if (nranges != 1 || nlines < 2)
        return 0;
    for (int i = 0; i < c->n_dates; i++) {
        date_mention *dm = &c->dates[i];
        if (!dm->claimed && !dm->related && line_mostly_date(c, dm->line))
            dm->time = range;
    }
    return 1;
}

/* Removes, in place and in order, the occurrences `drop` says go. */
static void drop_occurrences_if(evx_record *rec, int (*drop)(const res_occurrence *, const void *), const void *arg)
{
    int kept = 0;
    for (int i = 0; i < rec->n_occurrences; i++) {
        res_occurrence *o = &rec->occurrences[i];
        if (drop(o, arg))
            free(o->city);
        else
            rec->occurrences[kept++] = *o;
    }
    rec->n_occurrences = kept;
}

static int untimed_on_timed_day(const res_occurrence *o, const void *timed)
{
    return !o->start[0] && !o->end[0] && keyset_has(timed, o->date);
}

/* "14-15 maj" in the heading and "Torsdag 14 maj kl 12.00" below are one
 * day: an occurrence without a time yields to a timed one of the same date. */
static void drop_untimed_duplicates(evx_record *rec)
{
    keyset timed = {0};
    for (int i = 0; i < rec->n_occurrences; i++)
        if (rec->occurrences[i].start[0] || rec->occurrences[i].end[0])
            keyset_add(&timed, rec->occurrences[i].date);
    drop_occurrences_if(rec, untimed_on_timed_day, &timed);
    free(timed.keys);
}

/* "Passet den 5 februari är inställt": a day of a series called off (a
 * `past` match with `set cancels=day`, or in a week `set cancels=week`
 * calls off) is none of its occurrences, wherever else it is listed. */
/* Does the record hold an occurrence on date with this start? */
static int has_occurrence(const evx_record *rec, const char *date, const char *start)
{
    for (int i = 0; i < rec->n_occurrences; i++)
        if (!strcmp(rec->occurrences[i].date, date) && !strcmp(rec->occurrences[i].start, start))
            return 1;
    return 0;
}

/* Sets o's day, keeping its hours ("Samma tid och plats"). */
static void move_occurrence(res_occurrence *o, const char *date)
{
    int y, m, d;
    sscanf(date, "%d-%d-%d", &y, &m, &d);
    snprintf(o->date, sizeof o->date, "%s", date);
    o->start_dt[0] = o->end_dt[0] = '\0';
    if (o->start[0])
        res_stockholm_datetime(y, m, d, atoi(o->start), atoi(o->start + 3), o->start_dt, sizeof o->start_dt);
    if (o->end[0])
        res_stockholm_datetime(y, m, d, atoi(o->end), atoi(o->end + 3), o->end_dt, sizeof o->end_dt);
}

/* Occurrences on a day called off go; one on a day moved goes to the day
 * it moved to, with its hours, unless that day is listed already. */
static void drop_cancelled_days(ctx *c, evx_record *rec)
{
    /* The years of moved days are inferred only now, when every label has
     * claimed its dates. A day moved without a year of its own ("den 11
     * mars flyttas till torsdag 12 mars") is in the year of the day it
     * moved to, or the year before when it moved from late in a year to
     * early in the next: claimed as past, it would otherwise take the year
     * of a publication stamp below it as if it were over. */
    char moved_from[MAX_MOVES][11], moved_to[MAX_MOVES][11];
    int moves = 0;
    for (int k = 0; k < c->n_moves; k++) {
        const date_mention *a = &c->dates[c->move_pairs[k][0]], *b = &c->dates[c->move_pairs[k][1]];
        int yb = b->y ? b->y : infer_year(c, b);
        int ya = a->y ? a->y : yb - (a->m - b->m >= MOVE_YEAR_MONTHS);
        if (!ya || !yb)
            continue;
        snprintf(moved_from[moves], 11, "%04d-%02d-%02d", ya, a->m, a->d);
        snprintf(moved_to[moves], 11, "%04d-%02d-%02d", yb, b->m, b->d);
        moves++;
    }
    const keyset *off = cancelled_days(c);
    if (!off->keys && !c->cancelled_weeks)
        return;
    int kept = 0;
    for (int i = 0; i < rec->n_occurrences; i++) {
        res_occurrence *o = &rec->occurrences[i];
        const char *to = NULL;
        for (int k = 0; k < moves && !to; k++)
            if (!strcmp(moved_from[k], o->date))
                to = moved_to[k];
        if (to && !is_cancelled(c, to) && !has_occurrence(rec, to, o->start)) {
            move_occurrence(o, to);
            rec->occurrences[kept++] = *o;
        } else if (is_cancelled(c, o->date)) {
            free(o->city);
        } else {
            rec->occurrences[kept++] = *o;
        }
    }
    rec->n_occurrences = kept;
}

/* A `set moves=yes` past label's day and the next day on its line, or,
 * for a label with a `window`, the first day on its line within that many
 * bytes after it: "den 23 april skjuts upp till hösten. Det nya datumet
 * är torsdag 8 oktober" (the rule's look-ahead has seen the words). */
static void note_move(ctx *c, int from, const ext_match *label)
{
    const date_mention *a = &c->dates[from];
    int to = -1;
    if (rule_set_value(label->rule, "window")) {
        int k = first_date_from(c->dates, c->n_dates, label->end);
        if (k < c->n_dates && c->dates[k].line == a->line && c->dates[k].x->start <= label->end + (size_t)label_window(label))
            to = k;
    }
    for (int k = to >= 0 ? to : from + 1; k < c->n_dates && c->n_moves < MAX_MOVES; k++) {
        const date_mention *b = &c->dates[k];
        if (b->x == a->x || b->d2 || a->d2)
            continue;
        if (k != to) {
            if (b->line != a->line)
                return;
            /* A short word joins the two days ("till"); a comma alone would
             * make them a list of days moved from. */
            size_t gap = b->x->start - a->x->end;
            int worded = 0;
            for (size_t i = 0; i < gap && !worded; i++)
                worded = isalpha((unsigned char)c->t->data[a->x->end + i]);
            if (gap > 12 || !worded)
                return;
        }
        c->move_pairs[c->n_moves][0] = from;
        c->move_pairs[c->n_moves][1] = k;
        c->n_moves++;
        return;
    }
}

static void refine_with_programme(const ctx *c, evx_record *rec);
static size_t related_start(const ext_matches *ms);

/* Is date b the next item of a list after date a: a comma, "&" or one
 * short word ("och", "and") between them, nothing more? */
static int listed_after(const ctx *c, int a, int b)
{
    const date_mention *x = &c->dates[a], *y = &c->dates[b];
    if (x->x == y->x)
        return 1; /* days of one match: "8, 15 och 22 oktober" */
    if (y->x->start < x->x->end || y->x->start - x->x->end > LIST_JOIN_BYTES)
        return 0;
    const char *p = c->t->data + x->x->end, *end = c->t->data + y->x->start;
    if (p < end && (*p == ',' || *p == '&'))
        return p + 1 == end || (p + 2 == end && p[1] == ' ');
    if (end - p < 3 || p[0] != ' ' || end[-1] != ' ')
        return 0;
    for (const char *q = p + 1; q < end - 1; q++)
        if (!isalpha((unsigned char)*q) && *q != '&')
            return 0;
    return 1;
}

static int is_timed(const date_mention *dm)
{
    return dm->time >= 0 || dm->range_start >= 0 || dm->range_end || dm->day_timed;
}

/* Do dates a and b stand in one column: on adjacent lines, found by the same
 * rule, starting at the same byte of their lines (give or take a bullet's
 * width)? */
static int same_column(const ctx *c, int a, int b)
{
    const date_mention *x = &c->dates[a], *y = &c->dates[b];
    if (y->line != x->line + 1 || x->x->rule != y->x->rule)
        return 0;
    size_t cx = x->x->start - c->li.start[x->line], cy = y->x->start - c->li.start[y->line];
    return (cx > cy ? cx - cy : cy - cx) <= COLUMN_SLACK;
}

/* Is a date of date i's column, above or below it (within a list's
 * length), timed? */
static int timed_in_column(const ctx *c, int i)
{
    for (int j = i; j > 0 && i - j < LIST_TIME_ITEMS && same_column(c, j - 1, j); j--)
        if (is_timed(&c->dates[j - 1]) && !c->dates[j - 1].claimed && !c->dates[j - 1].related)
            return 1;
    for (int j = i; j + 1 < c->n_dates && j - i < LIST_TIME_ITEMS && same_column(c, j, j + 1); j++)
        if (is_timed(&c->dates[j + 1]) && !c->dates[j + 1].claimed && !c->dates[j + 1].related)
            return 1;
    return 0;
}

static int header_line(const ctx *c, int k);

/* Where the page's heading ends: after its first HEADING_LINES lines with
 * text, not counting the site's header lines (a cookie notice) above. */
static int heading_lines_end(const ctx *c)
{
    int l = 0, seen = 0;
    for (; l < c->li.n && seen < HEADING_LINES; l++)
        seen += !line_blank(&c->li, c->t, l) && !header_line(c, l);
    return l;
}

/* "Obs! Inget språkcafé onsdag 26 februari" under the timed "Tid: kl.
 * 17.00": is the date a day the text calls off (not one it moves)? Such a
 * day says nothing of which dates are the event's. */
static int called_off(ctx *c, const date_mention *dm)
{
    int y = infer_year(c, dm);
    if (!y || dm->d2)
        return 0;
    for (int k = 0; k < c->n_moves; k++) {
        const date_mention *from = &c->dates[c->move_pairs[k][0]];
        if (from->m == dm->m && from->d == dm->d)
            return 0; /* moved, its hours with it: still the event's */
    }
    char date[16];
    snprintf(date, sizeof date, "%04d-%02d-%02d", y, dm->m, dm->d);
    return is_cancelled(c, date);
}

static void resolve_dates(ctx *c, evx_record *rec)
{
    size_t related_from = related_start(c->ms);
    int deadline = -1, days_before = -1, before_weekday = 0;
    for (int i = 0; i < c->ms->n; i++) {
        const ext_match *x = &c->ms->items[i];
        if (x->field != FIELD_deadline && x->field != FIELD_publication && x->field != FIELD_past)
            continue;
        /* "senast två dagar innan": a deadline counted back from the event
         * (`number` days, or weeks with `set unit=week`: "senast en vecka
         * före"); "senast måndagen innan": back to that weekday (`weekday`). */
        int n = x->field == FIELD_deadline ? ext_int(x, c->t, "number", -1) : -1;
        const char *unit = n > 0 ? rule_set_value(x->rule, "unit") : NULL;
        if (unit && !strcmp(unit, "week"))
            n *= 7;
        int wd = x->field == FIELD_deadline && n < 0 ? ext_int(x, c->t, "weekday", 0) : 0;
        if (n >= 0 || wd) {
            if (deadline < 0 && days_before < 0 && x->start < related_from) {
                days_before = n >= 0 ? n : 0;
                before_weekday = wd;
                rec->deadline_src = (res_src){x->start, x->end, x->rule->src->name};
            }
            continue;
        }
        int di = labelled_date(c, x);
        if (di < 0)
            continue;
        if (x->field == FIELD_deadline && ext_covering(c->ms, FIELD_past, c->dates[di].x->start, c->dates[di].x->end))
            continue; /* "Early bird-rabatt vid anmälan senast 15 juni": not the deadline */
        /* "hölls den 8, 15 och 22 oktober": every day of a list; and a
         * past label claims every date inside it ("ställs föreställningarna
         * 6/7, 10/7 kl. 15.00 och 14/7 in"). */
        for (int k = di; k < c->n_dates && (c->dates[k].x == c->dates[di].x ||
                                             (x->field == FIELD_past && c->dates[k].x->end <= x->end));
             k++) {
            c->dates[k].claimed = 1;
            c->dates[k].claimed_as = x->field;
            c->dates[k].updated = rule_set_value(x->rule, "updated") != NULL;
        }
        const char *moves = x->field == FIELD_past ? rule_set_value(x->rule, "moves") : NULL;
        if (moves && !strcmp(moves, "yes"))
            note_move(c, di, x);
        /* "Fler evenemang / Mässbanketten ... sista anmälan 27 januari":
         * another event's deadline; its date is claimed all the same. */
        if (x->field == FIELD_deadline && deadline < 0 && days_before < 0 && x->start < related_from) {
            deadline = di;
            rec->deadline_src = (res_src){x->start, c->dates[di].x->end > x->end ? c->dates[di].x->end : x->end,
                                          x->rule->src->name};
        }
    }
    for (int i = 0; i < c->n_dates; i++)
        c->dates[i].related = c->dates[i].x->start >= related_from;
    note_first_published(c);
    fold_range_members(c);
    time_for_all(c, related_from);
    /* Which free dates are the event's: the timed ones; without any, the
     * dates of the heading; without those, the first date of the text. */
    int tier_timed = 0, tier_heading = 0, heading_end = heading_lines_end(c);
    for (int i = 0; i < c->n_dates; i++) {
        date_mention *dm = &c->dates[i];
        if (dm->claimed || dm->related || dm->in_range >= 0 || called_off(c, dm))
            continue;
        tier_timed |= is_timed(dm);
        tier_heading |= dm->line < heading_end;
    }
    if (!tier_timed && !tier_heading)
        tier_timed = series_time(c, related_from);
    int taken = 0, last_taken = -1;
    for (int i = 0; i < c->n_dates; i++) {
        date_mention *dm = &c->dates[i];
        if (dm->claimed || dm->in_range >= 0)
            continue;
        if (dm->related) {
            add_mention(rec, c, dm, 1);
            continue;
        }
        /* "Dag 1: ons 7/10" over "Dag 2: ons 14/10 ... Tider: 08.30–16.00
         * dag 1 och 2": a date in a column of dates, one of them timed, is
         * one of the event's days like them. */
        int timed = is_timed(dm) || (tier_timed && timed_in_column(c, i));
        /* "sex gånger: 4/3, 18/3, 1/4 och 13/5": the first date of the
         * text with the list it opens. */
        int want = tier_timed ? timed : tier_heading ? dm->line < heading_end
                                                     : !taken || (last_taken == i - 1 && listed_after(c, i - 1, i));
        if (want) {
            add_mention(rec, c, dm, 0);
            taken = 1;
            last_taken = i;
        }
    }
    drop_untimed_duplicates(rec);
    drop_cancelled_days(c, rec);
    if (days_before >= 0 && rec->n_occurrences) {
        int y, m, d;
        sscanf(rec->occurrences[0].date, "%d-%d-%d", &y, &m, &d);
        if (before_weekday) { /* the last such weekday before the first day */
            days_before = (iso_weekday(y, m, d) - before_weekday + 7) % 7;
            if (!days_before)
                days_before = 7;
        }
        for (int k = 0; k < days_before; k++)
            if (--d < 1) {
                if (--m < 1) {
                    m = 12;
                    y--;
                }
                d = days_in_month(y, m);
            }
        rec->has_deadline = 1;
        snprintf(rec->deadline, sizeof rec->deadline, "%04d-%02d-%02d", y, m, d);
    } else if (deadline >= 0) {
        date_mention *dm = &c->dates[deadline];
        int y = dm->y;
        if (!y && dm->weekday)
            y = infer_year(c, dm);
        if (!y && rec->n_occurrences) {
            /* A deadline lies before the event it belongs to: the latest
             * occurrence is on or after it. */
            const char *latest = rec->occurrences[0].date;
            for (int i = 1; i < rec->n_occurrences; i++)
                if (strcmp(rec->occurrences[i].date, latest) > 0)
                    latest = rec->occurrences[i].date;
            int ey, em, ed;
            sscanf(latest, "%d-%d-%d", &ey, &em, &ed);
            y = (dm->m > em || (dm->m == em && dm->d > ed)) ? ey - 1 : ey;
        }
        if (!y)
            y = infer_year(c, dm);
        if (y && dm->d <= days_in_month(y, dm->m)) {
            rec->has_deadline = 1;
            snprintf(rec->deadline, sizeof rec->deadline, "%04d-%02d-%02d", y, dm->m, dm->d);
        }
    }
}

/* ---- title ---------------------------------------------------------- */

/* Marks, once, every byte that a date or time match covers. */
static void build_coverage(ctx *c)
{
    c->covered = calloc(c->t->len ? c->t->len : 1, 1);
    for (int i = 0; i < c->ms->n; i++) {
        const ext_match *x = &c->ms->items[i];
        size_t from = x->start, cs, ce;
        /* "Kommunfullmäktige 22 maj 2023": the word before a dateline's
         * date may be a town or the event's name; it is no date. */
        if (x->field == FIELD_date && !ext_span(x, "city", &cs, &ce) && cs == x->start)
            from = ce;
        if (x->field == FIELD_date || x->field == FIELD_time)
            memset(c->covered + from, 1, x->end - from);
    }
}

/* Share of the line's non-space bytes that date and time matches cover:
 * a line that is mostly a date is a date line, not a heading. */
static int mostly_date(ctx *c, size_t s, size_t e)
{
    if (!c->covered)
        build_coverage(c);
    size_t total = 0, cov = 0;
    for (size_t i = s; i < e; i++) {
        if (isspace((unsigned char)c->t->data[i]))
            continue;
        total++;
        cov += c->covered[i];
    }
    return total && cov * 10 >= total * 7;
}

static int line_mostly_date(ctx *c, int line)
{
    if (!(c->line_flags[line] & LINE_MOSTLY_KNOWN))
        c->line_flags[line] |= LINE_MOSTLY_KNOWN |
                               (mostly_date(c, c->li.start[line], line_end(&c->li, c->t, line)) ? LINE_MOSTLY_DATE : 0);
    return c->line_flags[line] & LINE_MOSTLY_DATE;
}

/* Any match of field f that starts inside [s, e)? */
static const ext_match *match_in(const ctx *c, evx_field f, size_t s, size_t e)
{
    return ext_first_in(c->ms, f, s, e);
}

/* Does a date with a day (not a bare year) start inside [s, e)? */
static int day_in(const ctx *c, size_t s, size_t e)
{
    size_t ds, de;
    for (int i = 0; i < c->ms->n; i++) {
        const ext_match *x = &c->ms->items[i];
        if (x->field == FIELD_date && x->start >= s && x->start < e &&
            (!ext_span(x, "day", &ds, &de) || !ext_span(x, "days", &ds, &de)))
            return 1;
    }
    return 0;
}

/* The best `title` rule match starting in the line, or NULL. */
static const ext_match *title_rule(const ctx *c, size_t s, size_t e)
{
    const ext_match *best = NULL;
    size_t ts, te;
    for (int i = 0; i < c->ms->n; i++) {
        const ext_match *x = &c->ms->items[i];
        if (x->field == FIELD_title && x->start >= s && x->start < e && !ext_span(x, "title", &ts, &te) &&
            (!best || x->rule->src->priority > best->rule->src->priority))
            best = x;
    }
    return best;
}

/* The event named as a sentence's subject with its date (a title_subject
 * match), for a page that opens with prose; or, with box set, a news
 * article's fact box ("FAKTA" over "Nationaldagsfirande i Ljusdal",
 * "FAKTA: Mästerkatten på Kvarnbacken"; `set box=yes`), which names the
 * event whatever the headline says. Matches from `before` on, among other
 * events, do not count. */
static const ext_match *subject_title(const ctx *c, int box, size_t before)
{
    for (int i = 0; i < c->ms->n; i++) {
        const ext_match *x = &c->ms->items[i];
        size_t ts, te;
        if (x->field != FIELD_title_subject || x->start >= before || ext_span(x, "title", &ts, &te))
            continue;
        const char *b = rule_set_value(x->rule, "box");
        if ((b && !strcmp(b, "yes")) == box)
            return x;
    }
    return NULL;
}

/* Words of [s, e): runs of bytes other than blanks that hold a letter or
 * a digit (a lone "," or "–" is none). */
static int count_words(const ctx *c, size_t s, size_t e)
{
    int words = 0, in_word = 0, counted = 0;
    for (size_t i = s; i < e; i++) {
        unsigned char b = (unsigned char)c->t->data[i];
        int blank = isspace(b);
        if (!blank && !in_word)
            counted = 0;
        if (!blank && !counted && (isalnum(b) || b >= 0xC3)) {
            words++;
            counted = 1;
        }
        in_word = !blank;
    }
    return words;
}

static int words_within(const char *a, const char *b);
static int word_share(const char *a, const char *b, int *total);

/* Is the text between a line ending at e and one starting at s only white
 * space (s is on the next line with text)? */
static int next_text_line(const ctx *c, size_t e, size_t s)
{
    for (size_t p = e; p < s; p++)
        if (!isspace((unsigned char)c->t->data[p]))
            return 0;
    return 1;
}

/* Does a match of field f that starts in [s, e) say `set key=value`
 * (value NULL: any value), ending at end_at (SIZE_MAX: anywhere)? */
static int match_with_set(const ctx *c, evx_field f, size_t s, size_t e, const char *key, const char *value,
                          size_t end_at)
{
    const ext_match *end = c->ms->items + c->ms->n;
    for (const ext_match *x = match_in(c, f, s, e); x && x < end && x->field == f && x->start < e; x++) {
        const char *v = rule_set_value(x->rule, key);
        if (v && (!value || !strcmp(v, value)) && (end_at == SIZE_MAX || x->end == end_at))
            return 1;
    }
    return 0;
}

/* Is the line [s, e) an event's format and nothing else: no date, at most
 * two words, ending in an event word (`set kind=format` on a title_hint:
 * "Frukostseminarium", "Öppen föreläsning"), or a title_hint with `set
 * kind=series` covering the whole line? Not the tail of a compound with a
 * hyphen: "Starta eget-kväll" is a name. */
static int format_only(const ctx *c, size_t s, size_t e)
{
    if (match_in(c, FIELD_date, s, e))
        return 0;
    int short_line = count_words(c, s, e) <= 2;
    const ext_match *end = c->ms->items + c->ms->n;
    for (const ext_match *x = match_in(c, FIELD_title_hint, s, e); x && x < end && x->field == FIELD_title_hint && x->start < e; x++) {
        const char *kind = rule_set_value(x->rule, "kind");
        if (short_line && kind && !strcmp(kind, "format") && x->end == e && !(x->start > s && c->t->data[x->start - 1] == '-'))
            return 1;
        /* "Högre seminariet i litteraturvetenskap": a series named whole. */
        if (kind && !strcmp(kind, "series") && x->start == s && x->end == e)
            return 1;
    }
    return 0;
}

/* Is the heading [s, e) a series' name and a day only: a date and at most
 * SERIES_MAX_WORDS words besides ("Frukostmöte 12 september", "Lunchklubb onsdag 1
 * december", "Hudiksvalls Rotaryklubb – Veckomöte 2024-03-12"), or a
 * format only ("Frukostseminarium") over the line [next_s, next_e)? */
static int series_heading(const ctx *c, size_t s, size_t e, size_t next_s, size_t next_e)
{
    const ext_match *t = title_rule(c, s, e);
    size_t ts, te;
    if (format_only(c, s, e))
        ts = s, te = e;
    else if (!t || !day_in(c, s, e) || ext_span(t, "title", &ts, &te) || count_words(c, ts, te) > SERIES_MAX_WORDS)
        return 0;
    /* "Ordinarie föreningsstämma 2024-05-29" over "Kallelse ordinarie
     * föreningsstämma 2024" names the same thing again: no topic. */
    char *series = res_strndup_trim(c->t->data + ts, te - ts), *next = res_strndup_trim(c->t->data + next_s, next_e - next_s);
    int again = words_within(series, next);
    free(series);
    free(next);
    return !again;
}

/* A byte of UTF-8 text folded to lower case: ASCII, and the Latin-1 letters
 * (lead byte 0xC3), whose capitals are 0x20 below their small letters. */
static unsigned char folded(const char *s, size_t i)
{
    unsigned char b = (unsigned char)s[i];
    if (i > 0 && (unsigned char)s[i - 1] == 0xC3 && b >= 0x80 && b <= 0x9E && b != 0x97)
        return (unsigned char)(b + 0x20);
    return (unsigned char)tolower(b);
}

/* Are a and b, n bytes each, the same text case aside? */
static int same_folded(const char *a, const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (folded(a, i) != folded(b, i))
            return 0;
    return 1;
}

/* Does the line b (m bytes) open with all of line a (n bytes), case aside,
 * and go on with more words? */
static int opens_with_words(const char *a, size_t n, const char *b, size_t m)
{
    if (n == 0 || m <= n + 1 || isalnum((unsigned char)b[n]) || (unsigned char)b[n] >= 0x80)
        return 0;
    return same_folded(a, b, n);
}

/* "Återkommande · Vuxna · Gratis", "Kurs | 65+ | Svenska": a row of tags
 * set apart by middle dots or bars, no topic. */
static int tag_row(const ctx *c, size_t s, size_t e)
{
    const unsigned char *p = (const unsigned char *)c->t->data;
    for (size_t i = s; i < e; i++)
        if (p[i] == '|' || (p[i] == 0xC2 && i + 1 < e && p[i + 1] == 0xB7) ||
            (p[i] == 0xE2 && i + 2 < e && p[i + 1] == 0x80 && p[i + 2] == 0xA2))
            return 1;
    return 0;
}

/* Is candidate i a series' name over a topic on the next line with text,
 * itself a heading that is neither a date line nor a sentence? */
static int series_over_topic(const ctx *c, const size_t *cs, const size_t *ce, const int *shaped, int i, int n)
{
    return i + 1 < n && next_text_line(c, ce[i], cs[i + 1]) && series_heading(c, cs[i], ce[i], cs[i + 1], ce[i + 1]) &&
           shaped[i + 1] && !day_in(c, cs[i + 1], ce[i + 1]) && c->t->data[ce[i + 1] - 1] != '!' &&
           c->t->data[ce[i + 1] - 1] != '.' && !tag_row(c, cs[i + 1], ce[i + 1]);
}

/* Could the line be the site's or the organiser's name rather than the
 * event's: a few words ("Göteborgs universitet"; a logo's text scraped
 * twice, "Region Örebro län Region Örebro län", counts once), or a row
 * split by bars ("Interreg Aurora | CiHaB - Circular Harbours")? */
static int site_like(const ctx *c, size_t s, size_t e)
{
    const char *p = c->t->data + s;
    size_t n = e - s, half = (n - 1) / 2;
    int words = count_words(c, s, e);
    if (n > 2 && p[half] == ' ' && !memcmp(p, p + half + 1, half) && n == 2 * half + 1)
        words /= 2;
    return words <= TITLE_SITE_WORDS || memchr(p, '|', n) != NULL;
}

/* Shape tests that hold in any language: a heading starts with a capital or
 * a digit, has some letters, and is not a long sentence. */
static int heading_shape(const ctx *c, size_t s, size_t e)
{
    const unsigned char *p = (const unsigned char *)c->t->data;
    int letters = 0, words = 1;
    for (size_t i = s; i < e; i++) {
        letters += isalpha(p[i]) || p[i] >= 0xC3;
        words += p[i] == ' ' && i + 1 < e && p[i + 1] != ' ';
    }
    int lower_start = islower(p[s]) || (p[s] == 0xC3 && s + 1 < e && p[s + 1] >= 0xA0 && p[s + 1] <= 0xBE);
    /* "Vad händer nu? Ställer vi om? – i skuggan av covid-19." is a heading
     * with a full stop; a line that asks and then ends in one is not prose. */
    int asks = 0;
    for (size_t i = s; i + 1 < e && !asks; i++)
        asks = p[i] == '?' && p[i + 1] == ' ';
    /* "... på Gården i Skillingaryd. Välkomna!": two sentences make prose. */
    int several = 0;
    for (size_t i = s; i + 2 < e && !several; i++)
        several = (p[i] == '.' || p[i] == '!') && p[i + 1] == ' ' && isupper(p[i + 2]);
    /* A question in a long line is prose ("Vill du samåka från Tanum
     * station? Hör av dig till ... senast torsdagen innan."). */
    int sentence = (p[e - 1] == '.' && words > 5 && (!asks || words > TITLE_QUESTION_WORDS)) ||
                   (several && (p[e - 1] == '.' || p[e - 1] == '!'));
    return letters >= 3 && !lower_start && !sentence && e - s <= TITLE_MAX_BYTES;
}

/* The title: among the first lines of the page, the first that looks like a
 * heading, unless one of the next few carries a title hint (an event word,
 * a year) and it does not. A `title` rule narrows the chosen line. */
/* Is the line [s, e) a place and nothing else ("Galleri Norrsken,
 * Storgatan 14, Kramfors" under an event's date)? */
static int names_place_only(const ctx *c, size_t s, size_t e)
{
    size_t ns, ne;
    for (int i = 0; i < c->ms->n; i++) {
        const ext_match *x = &c->ms->items[i];
        /* also "Sara kulturhus , Skellefteå och online": the name opens
         * the line and the match runs to its end */
        if (x->field == FIELD_venue && !ext_span(x, "name", &ns, &ne) && ns <= s && (ne >= e || x->end >= e))
            return 1;
    }
    return 0;
}

/* Does line k hold nothing but white space? */
static int blank_line(const line_index *li, const evx_text *t, int k)
{
    for (size_t p = li->start[k], e = line_end(li, t, k); p < e; p++)
        if (!isspace((unsigned char)t->data[p]))
            return 0;
    return 1;
}

/* Is line k the site's header: does a title_skip match with `set
 * header=yes` start in it, and no date? */
static int header_line(const ctx *c, int k)
{
    size_t s = c->li.start[k], e = line_end(&c->li, c->t, k);
    if (match_in(c, FIELD_publication, s, e) || match_in(c, FIELD_date, s, e))
        return 0; /* "Publicerad 2025-10-13": the page's, under its heading */
    return match_with_set(c, FIELD_title_skip, s, e, "header", NULL, SIZE_MAX);
}

/* Is line l among the text lines a title_skip match says it covers above
 * it (`set above=N`: the site's name over its menu)? Lines of the
 * header between them do not count ("Tierps kommun" over "Meny", "Sök"
 * and a cookie notice, then the breadcrumb). */
static int skipped_above(const ctx *c, int l)
{
    for (int i = 0; i < c->ms->n; i++) {
        const ext_match *x = &c->ms->items[i];
        const char *above = x->field == FIELD_title_skip ? rule_set_value(x->rule, "above") : NULL;
        if (!above)
            continue;
        int xl = line_of(&c->li, x->start), n = atoi(above), between = 0;
        if (xl <= l)
            continue;
        for (int k = l + 1; k < xl && between < n; k++)
            between += !blank_line(&c->li, c->t, k) && !header_line(c, k);
        if (between < n)
            return 1;
    }
    return 0;
}

/* The length of the gap between menu items at p (before end): a line
 * break, two spaces or more, or a bar, bullet or dash with spaces around;
 * 0 when there is none. */
/* What separates the steps of a path: "/", ">", "›", "»", "~" spaced
 * (the normaliser writes "»" as '"'). */
static const char *const path_marks[] = {"/", ">", "\xE2\x80\xBA", "\"", "~"};

/* The length of the path mark at p with a space either side, or 0. */
static size_t path_mark_at(const char *p, const char *end)
{
    if (p >= end || *p != ' ')
        return 0;
    for (size_t k = 0; k < sizeof path_marks / sizeof *path_marks; k++) {
        size_t ml = strlen(path_marks[k]);
        if ((size_t)(end - p) >= ml + 2 && !memcmp(p + 1, path_marks[k], ml) && p[ml + 1] == ' ')
            return ml + 2;
    }
    return 0;
}

static size_t menu_gap_at(const char *p, const char *end)
{
    static const char *const marks[] = {"|", "\xE2\x80\xA2", "\xC2\xB7", "\xE2\x80\x93", "\xE2\x80\x94"}; /* after "|": spaced only */
    const char *q = p;
    while (q < end && (*q == ' ' || *q == '\t'))
        q++;
    size_t spaces = (size_t)(q - p);
    if (q < end && *q == '\n')
        return spaces + 1;
    size_t ml = spaces ? path_mark_at(q - 1, end) : 0;
    if (ml)
        q += ml - 1; /* the mark and the space after it */
    for (size_t k = 0; !ml && k < sizeof marks / sizeof *marks; k++) {
        size_t kl = strlen(marks[k]);
        if ((size_t)(end - q) >= kl && !memcmp(q, marks[k], kl) && (k == 0 || spaces)) {
            q += kl;
            ml = kl;
        }
    }
    if (!ml)
        return spaces >= 2 ? spaces : 0;
    while (q < end && (*q == ' ' || *q == '\t'))
        q++;
    return (size_t)(q - p);
}

/* The gap between a breadcrumb's crumbs at p: its path marks where it has
 * any ("Start " Mjörnloppet " Mjörnloppet 2025 – info och anmälan" has
 * three crumbs, the last with a dash in it), else a menu's gaps. */
static size_t crumb_gap_at(const char *p, const char *end, int by_path)
{
    return by_path ? path_mark_at(p, end) : menu_gap_at(p, end);
}

static int has_path_mark(const char *p, const char *end)
{
    for (; p < end; p++)
        if (path_mark_at(p, end))
            return 1;
    return 0;
}

/* The next item of a menu, or crumb of a path, at or after *p (before
 * end); *p moves to its end. NULL when none is left. */
static const char *next_item(const char **p, const char *end, int by_path)
{
    size_t g;
    while (*p < end && (g = crumb_gap_at(*p, end, by_path)) > 0)
        *p += g;
    const char *item = *p;
    while (*p < end && !crumb_gap_at(*p, end, by_path))
        (*p)++;
    return *p > item ? item : NULL;
}

/* Is s..e one of the items of a menu (a title_skip match with `set
 * items=yes`) or a crumb of a breadcrumb before its last (`set
 * items=leading`) in the page's head? "Aktuellt" under "Hem | Uthyrning |
 * Aktuellt | Kontakt", "Näringsliv och arbete" over "Startsida /
 * Näringsliv och arbete / Evenemang / ...": the section the page is in,
 * not the event. */
static int echoes_menu(const ctx *c, size_t s, size_t e)
{
    /* "Konferenser / Barnsjukvårdsdagarna 2026" under a menu that holds
     * "Konferenser": a path that starts at a menu item is a breadcrumb. */
    size_t first = s;
    while (first < e && !path_mark_at(c->t->data + first, c->t->data + e))
        first++;
    for (int i = 0; i < c->ms->n; i++) {
        const ext_match *x = &c->ms->items[i];
        const char *items = x->field == FIELD_title_skip ? rule_set_value(x->rule, "items") : NULL;
        if (!items || x->start == s)
            continue;
        int leading = !strcmp(items, "leading");
        const char *p = c->t->data + x->start, *end = c->t->data + x->end;
        int by_path = leading && has_path_mark(p, end);
        const char *item;
        while ((item = next_item(&p, end, by_path))) {
            if (leading && p >= end)
                break; /* the last crumb: the page itself */
            /* Case aside: "Kultur & Nöje" under "NYHETER   KULTUR & NÖJE". */
            if ((size_t)(p - item) == e - s && same_folded(item, c->t->data + s, e - s))
                return 1;
            if (first < e && (size_t)(p - item) == first - s && same_folded(item, c->t->data + s, first - s))
                return 1;
        }
    }
    return 0;
}

/* Line l without the white space around it, into [*s, *e): 0 when
 * nothing is left. */
static int line_text(const ctx *c, int l, size_t *s, size_t *e)
{
    *s = c->li.start[l];
    *e = line_end(&c->li, c->t, l);
    while (*s < *e && isspace((unsigned char)c->t->data[*s]))
        (*s)++;
    while (*e > *s && isspace((unsigned char)c->t->data[*e - 1]))
        (*e)--;
    return *s < *e;
}

/* The last crumb of breadcrumb match x ("Hem / Program 2026 / Vandring i
 * Östra Lund" -> "Vandring i Östra Lund") in *crumb..*crumb_end; 0 when x
 * is no breadcrumb with a crumb before its last. */
static int last_crumb(const ctx *c, const ext_match *x, const char **crumb, const char **crumb_end)
{
    const char *items = x->field == FIELD_title_skip ? rule_set_value(x->rule, "items") : NULL;
    if (!items || strcmp(items, "leading"))
        return 0;
    const char *p = c->t->data + x->start, *end = c->t->data + x->end, *item;
    int by_path = has_path_mark(p, end);
    *crumb = NULL;
    while ((item = next_item(&p, end, by_path)))
        *crumb = item, *crumb_end = p;
    if (!*crumb || *crumb == c->t->data + x->start)
        return 0; /* no crumb before it: no path */
    /* "Start  ›  Aktiviteter  ›  Paddelhelg": the gaps' extra spaces are
     * no part of the crumb. */
    while (*crumb < *crumb_end && isspace((unsigned char)**crumb))
        ++*crumb;
    while (*crumb_end > *crumb && isspace((unsigned char)(*crumb_end)[-1]))
        --*crumb_end;
    return *crumb < *crumb_end;
}

/* A page with no heading of its own ("Hem » Program 2026 » Vandring i
 * Östra Lund – trästaden på 1800-talet" and then prose): its name is the
 * last crumb of the path, when that is no category the rules skip. */
static int crumb_title(const ctx *c, size_t *s, size_t *e)
{
    for (int i = 0; i < c->ms->n; i++) {
        const ext_match *x = &c->ms->items[i];
        const char *crumb, *crumb_end;
        if (!last_crumb(c, x, &crumb, &crumb_end) || !has_path_mark(c->t->data + x->start, c->t->data + x->end))
            continue;
        *s = (size_t)(crumb - c->t->data);
        *e = (size_t)(crumb_end - c->t->data);
        while (*e > *s && isspace((unsigned char)c->t->data[*e - 1]))
            --*e;
        return count_words(c, *s, *e) >= CRUMB_TITLE_WORDS && !match_with_set(c, FIELD_title_skip, *s, *e, "header", "yes", 1);
    }
    return 0;
}

/* The line among the few lines with text under a breadcrumb (a title_skip
 * match with `set items=leading`) that repeats its last crumb, or the
 * first heading there when it holds half the crumb's words or more:
 * "Start > Lov > Sportlov 2026 > Robotverkstad på biblioteket" over
 * "Sportlov 2026 – vecka 9" and "Robotverkstad på biblioteket", "... >
 * Valpkurs hösten 2026" over "Valpkurs (3–6 månader) – hösten 2026". The
 * crumb names the page, so that line is its heading. -1 when none. */
static int format_only(const ctx *c, size_t s, size_t e);

/* Is [p, p+n) a space and a year, the rest of a heading after its crumb? */
static int crumb_and_year(const char *p, size_t n)
{
    size_t i = 0;
    while (i < n && (p[i] == ' ' || p[i] == '\t'))
        i++;
    if (i == 0 || n - i != 4)
        return 0;
    for (size_t k = i; k < n; k++)
        if (!isdigit((unsigned char)p[k]))
            return 0;
    return (p[i] == '1' && p[i + 1] == '9') || (p[i] == '2' && p[i + 1] == '0');
}

static int crumb_heading(ctx *c)
{
    for (int i = 0; i < c->ms->n; i++) {
        const ext_match *x = &c->ms->items[i];
        const char *crumb, *crumb_end;
        if (!last_crumb(c, x, &crumb, &crumb_end))
            continue;
        size_t n = (size_t)(crumb_end - crumb);
        char *name = res_strndup_trim(crumb, n);
        /* The crumb's own words further down beat a first heading that
         * shares half of them ("LÖRDAG 14 MARS · FÖR HELA FAMILJEN" over
         * "Vikingadag för hela familjen"). */
        int found = -1, shared_found = -1, headings = 0;
        for (int l = line_of(&c->li, x->end) + 1, seen = 0; l < c->li.n && seen < TITLE_CRUMB_REACH && found < 0; l++) {
            size_t s, e;
            if (!line_text(c, l, &s, &e))
                continue;
            seen++;
            /* "... > Grundkurs i miljötillsyn" over "Grundkurs i miljötillsyn
             * 2025": the crumb and the year. */
            if (e - s >= n && !strncasecmp(c->t->data + s, crumb, n) &&
                (e - s == n || crumb_and_year(c->t->data + s + n, e - s - n))) {
                /* "... / Kalender / Seminarium" over "Seminarium": a
                 * category the rules skip, or a format alone ("... /
                 * Författarsamtal"), names the section, not the page. */
                if (!match_in(c, FIELD_title_skip, s, e) && !format_only(c, s, e))
                    found = l;
            } else if (!headings && heading_shape(c, s, e) && !mostly_date(c, s, e) &&
                       !match_in(c, FIELD_publication, s, e) && !match_in(c, FIELD_title_skip, s, e)) {
                headings++; /* the first heading under the path may name the page in other words */
                char *line = res_strndup_trim(c->t->data + s, e - s);
                int total, shared = word_share(name, line, &total);
                free(line);
                if (total && 2 * shared >= total)
                    shared_found = l;
            }
        }
        if (found < 0)
            found = shared_found;
        free(name);
        if (found >= 0)
            return found;
    }
    return -1;
}

/* Is the line [s, e) under a breadcrumb ("Hem / Turné / Höstturné 2024",
 * a path by "/", ">" or similar, not a menu row by "|") without merely
 * echoing one of its crumbs ("FORTBILDNING" under "... / Fortbildning
 * för pedagoger")? */
static int under_crumb(const ctx *c, size_t s, size_t e)
{
    const ext_match *end = c->ms->items + c->ms->n;
    for (const ext_match *x = match_in(c, FIELD_title_skip, 0, s); x && x < end && x->field == FIELD_title_skip && x->start < s; x++) {
        const char *items = rule_set_value(x->rule, "items");
        if (!items || strcmp(items, "leading") || x->end > s || !has_path_mark(c->t->data + x->start, c->t->data + x->end))
            continue;
        char *line = res_strndup_trim(c->t->data + s, e - s), *path = res_strndup_trim(c->t->data + x->start, x->end - x->start);
        int echo = words_within(line, path);
        free(line);
        free(path);
        if (!echo)
            return 1;
    }
    return 0;
}

/* A menu row: three items or more, each of one to three words, parted by
 * gaps of two spaces or more, a tab, " | " or " · " ("Hem  Kurser
 * Kontakt"). */
static int menu_row(const char *p, const char *end)
{
    int items = 0, words = 0, in_word = 0;
    while (p < end) {
        int gap = 0;
        if (*p == '\t' || (*p == ' ' && p + 1 < end && p[1] == ' '))
            gap = 1;
        else if (p + 2 < end && p[0] == ' ' && p[1] == '|' && p[2] == ' ')
            gap = 1;
        else if (p + 3 < end && p[0] == ' ' && !memcmp(p + 1, "\xC2\xB7", 2) && p[3] == ' ')
            gap = 1;
        if (gap) {
            items += words > 0;
            if (words > 3)
                return 0;
            words = in_word = 0;
            while (p < end && (*p == ' ' || *p == '\t' || *p == '|' || (unsigned char)*p == 0xC2 || (unsigned char)*p == 0xB7))
                p++;
            continue;
        }
        int space = *p == ' ';
        words += !space && !in_word;
        in_word = !space;
        p++;
    }
    items += words > 0;
    return words <= 3 && items >= 3;
}

/* Three to six capitalised words of letters alone ("Hem Kurser Kontakt",
 * a menu row whose gaps a page's markup did not keep). */
static int capital_words_row(const char *p, const char *end)
{
    int words = 0;
    while (p < end) {
        while (p < end && *p == ' ')
            p++;
        if (p == end)
            break;
        const unsigned char *u = (const unsigned char *)p;
        int capital = (u[0] >= 'A' && u[0] <= 'Z') ||
                      (end - p >= 2 && u[0] == 0xC3 && u[1] >= 0x80 && u[1] <= 0x9E && u[1] != 0x97);
        if (!capital)
            return 0;
        words++;
        while (p < end && *p != ' ') {
            unsigned char ch = (unsigned char)*p++;
            if (ch < 0x80 && !isalpha(ch))
                return 0;
        }
    }
    return words >= 3 && words <= 6;
}

/* Is a chrome or skip match over s..e a page run into one line rather than
 * a header or footer line: longer than one, or holding prose (a menu, a
 * desk's hours or an address card ends no three sentences)? */
static int run_on_page(const evx_text *t, size_t s, size_t e)
{
    if (e - s > CHROME_MATCH_MAX)
        return 1;
    int sentences = 0;
    for (size_t i = s; i + 2 < e && sentences < RUN_ON_SENTENCES; i++)
        sentences += (t->data[i] == '.' || t->data[i] == '!' || t->data[i] == '?') && t->data[i + 1] == ' ' &&
                     (isupper((unsigned char)t->data[i + 2]) || (unsigned char)t->data[i + 2] == 0xC3);
    return sentences >= RUN_ON_SENTENCES;
}

/* Does a title rule find a heading of a heading's length in s..e? */
static int short_title_rule(const ctx *c, size_t s, size_t e)
{
    const ext_match *x = title_rule(c, s, e);
    size_t ts, te;
    return x && !ext_span(x, "title", &ts, &te) && te - ts <= SHORT_TITLE_MAX;
}

static void resolve_title(ctx *c, evx_record *rec)
{
    size_t cand_s[TITLE_CANDIDATES], cand_e[TITLE_CANDIDATES];
    int cand_shaped[TITLE_CANDIDATES], cand_after_prose[TITLE_CANDIDATES];
    int ncand = 0, seen = 0, text_lines = 0, prose_first = -1, prose_seen = 0;
    int crumb = crumb_heading(c);
    for (int l = crumb >= 0 ? crumb : 0; l < c->li.n && ncand < TITLE_CANDIDATES && seen < TITLE_MAX_LINES && text_lines < TITLE_HEAD_LINES; l++) {
        size_t s, e;
        if (!line_text(c, l, &s, &e))
            continue;
        text_lines++;
        if (mostly_date(c, s, e) || match_in(c, FIELD_deadline, s, e) || match_in(c, FIELD_publication, s, e)) {
            seen++;
            continue;
        }
        int skip = 0;
        for (int i = 0; i < c->ms->n && !skip; i++) {
            const ext_match *x = &c->ms->items[i];
            /* A skip rule may match anywhere in the line ("... webbplats"),
             * so that it need not scan every line from its start; one
             * longer than a header is a page run into one line, and a title
             * rule may find its heading inside. */
            if (x->field == FIELD_title_skip && run_on_page(c->t, x->start, x->end) && short_title_rule(c, s, e))
                continue;
            skip = (x->field == FIELD_title_skip && x->start >= c->li.start[l] && x->start < e) ||
                   ((x->field == FIELD_title_skip || x->field == FIELD_related) && x->start <= s && x->end > s);
        }
        /* The line a breadcrumb names is the heading, whatever menu follows it. */
        skip = skip || (l != crumb && (skipped_above(c, l) || echoes_menu(c, s, e))) || names_place_only(c, s, e);
        seen += !skip || prose_first == 1; /* chrome counts once prose began: the header is over */
        int shaped = heading_shape(c, s, e);
        if (prose_first < 0 && !skip)
            prose_first = !shaped && !title_rule(c, s, e);
        if (!skip && !shaped && !title_rule(c, s, e))
            prose_seen = 1;
        if (skip || (!shaped && !title_rule(c, s, e)))
            continue;
        cand_after_prose[ncand] = prose_seen;
        cand_shaped[ncand] = shaped;
        cand_s[ncand] = s;
        cand_e[ncand++] = e;
    }
    /* A page that opens with prose has no heading at the top; a later short
     * line is a sub-heading, and the sentence that names the event with its
     * date ("Gymnasiemässan i Fryshuset är den 7 november") says more. */
    const ext_match *named = subject_title(c, 1, related_start(c->ms));
    if (!named && prose_first == 1)
        named = subject_title(c, 0, SIZE_MAX);
    /* An e-mail that opens with "Hej!" and prose: its subject line. */
    if (!named && prose_first == 1)
        for (int i = 0; i < c->ms->n && !named; i++) {
            const ext_match *x = &c->ms->items[i];
            const char *subject = x->field == FIELD_title_skip ? rule_set_value(x->rule, "subject") : NULL;
            size_t ts, te;
            if (subject && !strcmp(subject, "yes") && !ext_span(x, "title", &ts, &te))
                named = x;
        }
    if (named) {
        size_t ts, te;
        ext_span(named, "title", &ts, &te);
        rec->title = res_strndup_trim(c->t->data + ts, te - ts);
        rec->title_src = (res_src){ts, te, named->rule->src->name};
        rec->has_title = 1;
        return;
    }
    /* Prose under a breadcrumb ("... > Vuxna > Bokcirkel: Svenska
     * klassiker", then "Läs och samtala om ..."): the page's name is its
     * last crumb, not a sub-heading further down. */
    if (!ncand || prose_first == 1) {
        size_t s, e;
        if (crumb_title(c, &s, &e)) {
            rec->title = res_strndup_trim(c->t->data + s, e - s);
            rec->title_src = (res_src){s, e, "resolve/crumb"};
            rec->has_title = 1;
            return;
        }
        if (!ncand)
            return;
    }
    int pick = 0;
    /* "Folkuniversitetet" over "Hem  Kurser  Kontakt" (a menu row that a
     * title_skip rule matches) and then "Italienska för nybörjare": the
     * page's first line, over the site's menu, is the site's name. */
    size_t first_s, first_e;
    int first = 0;
    while (first < c->li.n && !line_text(c, first, &first_s, &first_e))
        first++;
    if (crumb < 0 && ncand > 1 && first < c->li.n && first_s == cand_s[0]) {
        size_t ns, ne;
        int next = line_of(&c->li, cand_e[0]) + 1;
        while (next < c->li.n && !line_text(c, next, &ns, &ne))
            next++;
        /* "Pressmeddelande   •   02.03.2026 09:00 CET" under it is the
         * page's dateline, spaced like a menu: the first line is the heading. */
        if (next < c->li.n && ne <= cand_s[1] && (menu_row(c->t->data + ns, c->t->data + ne) || capital_words_row(c->t->data + ns, c->t->data + ne)) &&
            match_in(c, FIELD_title_skip, ns, ne) && !match_in(c, FIELD_publication, ns, ne) &&
            !match_in(c, FIELD_agenda, cand_s[1], cand_e[1]) && !memchr(c->t->data + cand_s[1], '|', cand_e[1] - cand_s[1]))
            pick = 1;
    }
    /* A later line that holds a date ("Torsdag 21 mars 2024 kl. 18,
     * Stadsbiblioteket") is where and when, not the name: its year is no
     * hint. A long first heading is a name, not the site's or the
     * organiser's ("Bönder, baroner och brukspatroner – makten över
     * 1700-talets Uppland" over "Föreläsning med Ulrika von Schéele"). */
    /* Under a breadcrumb the site's name is behind: a short first heading
     * there is the page's ("Hem / Turné / Höstturné 2024" over "Sista
     * färjan"). */
    if (crumb < 0 && !under_crumb(c, cand_s[0], cand_e[0]) && !match_in(c, FIELD_title_hint, cand_s[0], cand_e[0]) &&
        site_like(c, cand_s[0], cand_e[0]))
        for (int i = 1, looked = 0; i < ncand && looked < 1; i++) {
            /* "Dokumentär | Sverige 2023 | 92 min": facts; "Regional
             * utveckling | Integration" under the site's name: its
             * tagline. Neither is the name, and the look goes past them. */
            if (memchr(c->t->data + cand_s[i], '|', cand_e[i] - cand_s[i]))
                continue;
            /* "17.00 Skolan öppnar – rundvandring" under "Öppet hus på
             * Kvarnbyskolan": the programme has begun; its slots are no name. */
            if (match_in(c, FIELD_agenda, cand_s[i], cand_e[i]))
                break;
            looked++;
            if (cand_shaped[i] && match_in(c, FIELD_title_hint, cand_s[i], cand_e[i]) &&
                (!day_in(c, cand_s[i], cand_e[i]) || series_over_topic(c, cand_s, cand_e, cand_shaped, i, ncand)))
                pick = i;
        }
    /* "REGIONALT CANCERCENTRUM NORR", "INBJUDAN", "Patientdag om
     * prostatacancer": the heading a framing word announces, not the
     * sender above it; a "Välkommen!" after the text frames no line. */
    for (int i = 1; pick == 0 && crumb < 0 && i < ncand; i++)
        if (!cand_after_prose[i] && match_with_set(c, FIELD_title_skip, cand_e[0], cand_s[i], "frames", "next", SIZE_MAX))
            pick = i;
    /* "SÄKERHETSFORUM VÄST" over "Säkerhetsforum Väst 2027 – Cyber
     * resilience i praktiken": the site's name that the page's heading
     * opens with; the heading is the event's whole name. */
    for (int i = 1; pick == 0 && i < ncand; i++)
        if (opens_with_words(c->t->data + cand_s[0], cand_e[0] - cand_s[0], c->t->data + cand_s[i], cand_e[i] - cand_s[i]) &&
            !match_in(c, FIELD_agenda, cand_s[i], cand_e[i]))
            pick = i;
    /* "Frukostmöte 12 september" over "Så hittar besöksnäringen rätt
     * kompetens": a heading that names only a series and a day; the
     * session's topic on the next line is the name. */
    if (series_over_topic(c, cand_s, cand_e, cand_shaped, pick, ncand))
        pick++;
    size_t s = cand_s[pick], e = cand_e[pick];
    const ext_match *best = title_rule(c, s, e);
    if (best) {
        ext_span(best, "title", &s, &e);
        rec->title_src.rule = best->rule->src->name;
    } else {
        rec->title_src.rule = "resolve/heading";
    }
    rec->title = res_strndup_trim(c->t->data + s, e - s);
    rec->title_src.start = s;
    rec->title_src.end = e;
    rec->has_title = 1;
}

/* ---- venues, mode, cost --------------------------------------------- */

/* How many of the words of `a` are also words of `b`, with *total the
 * words of `a`. Words are runs of letters and digits (any non-ASCII byte
 * counts as a letter), compared case-blind. */
static int word_share(const char *a, const char *b, int *total)
{
    int shared = 0;
    *total = 0;
    for (const char *p = a; *p;) {
        while (*p && !isalnum((unsigned char)*p) && (unsigned char)*p < 0x80)
            p++;
        const char *w = p;
        while (*p && (isalnum((unsigned char)*p) || (unsigned char)*p >= 0x80))
            p++;
        size_t n = (size_t)(p - w);
        if (!n)
            continue;
        int found = 0;
        for (const char *q = b; *q && !found;) {
            while (*q && !isalnum((unsigned char)*q) && (unsigned char)*q < 0x80)
                q++;
            const char *u = q;
            while (*q && (isalnum((unsigned char)*q) || (unsigned char)*q >= 0x80))
                q++;
            found = (size_t)(q - u) == n && !strncasecmp(u, w, n);
        }
        shared += found;
        ++*total;
    }
    return shared;
}

/* Is every word of `a` also a word of `b`? */
static int words_within(const char *a, const char *b)
{
    int total;
    return word_share(a, b, &total) == total;
}

/* Adds one venue. A name whose words another venue already has is the same
 * place named shorter; a longer naming of a listed place replaces it. */
static void add_venue(evx_record *rec, const char *name, size_t len, int online, res_src src)
{
    res_venue v = {0};
    v.name = res_strndup_trim(name, len);
    size_t l = strlen(v.name);
    while (l && strchr(",.;:", v.name[l - 1]))
        v.name[--l] = '\0';
    /* A page naming more places than the window is a listing; comparing
     * each with the last few keeps the work linear there. */
    int from = rec->n_venues > VENUE_MERGE_WINDOW ? rec->n_venues - VENUE_MERGE_WINDOW : 0;
    int dup = !l;
    for (int k = from; k < rec->n_venues && !dup; k++)
        dup = rec->venues[k].online == online && words_within(v.name, rec->venues[k].name);
    if (dup) {
        free(v.name);
        return;
    }
    int kept = from;
    for (int k = from; k < rec->n_venues; k++) {
        res_venue *o = &rec->venues[k];
        if (o->online == online && words_within(o->name, v.name))
            free(o->name);
        else
            rec->venues[kept++] = *o;
    }
    rec->n_venues = kept;
    v.online = online;
    v.src = src;
    res_push((void **)&rec->venues, &rec->n_venues, sizeof v, &v);
}

/* "Stockholm, Umeå och Malmö": one venue per item. The separators are the
 * rule's `split` words (set split=och) besides the comma; `split=lines`
 * makes each line an item, its bullet dropped, the commas kept: "Arenor"
 * over "- Norrvikens IP, Norrviksvägen 50" and "- Sollentunahallen". */
static void add_venue_list(evx_record *rec, const char *list, const char *joiner, int online, res_src src)
{
    if (joiner && !strcmp(joiner, "lines")) {
        for (const char *p = list; *p;) {
            const char *end = strchr(p, '\n');
            if (!end)
                end = p + strlen(p);
            while (p < end && (strchr(" \t-*", *p) || !strncmp(p, "\u2022", 3) || !strncmp(p, "\u2013", 3)))
                p += (unsigned char)*p < 0x80 ? 1 : 3;
            if (p < end)
                add_venue(rec, p, (size_t)(end - p), online, src);
            p = *end ? end + 1 : end;
        }
        return;
    }
    char word[32];
    snprintf(word, sizeof word, " %s ", joiner ? joiner : "");
    const char *p = list;
    while (*p) {
        const char *comma = strchr(p, ','), *j = joiner ? strstr(p, word) : NULL;
        const char *end = comma && (!j || comma < j) ? comma : j ? j : p + strlen(p);
        add_venue(rec, p, (size_t)(end - p), online, src);
        p = *end == ',' ? end + 1 : *end ? end + strlen(word) : end;
    }
}

/* Adds the venue one match names. */
static void add_venue_match(ctx *c, evx_record *rec, const ext_match *x)
{
    const char *on = rule_set_value(x->rule, "online");
    int online = on && !strcmp(on, "true");
    res_src src = {x->start, x->end, x->rule->src->name};
    char buf[512];
    const char *v;
    if ((v = ext_value(x, c->t, "list", buf, sizeof buf)) && rule_capture_index(x->rule, "list") >= 0)
        add_venue_list(rec, v, rule_set_value(x->rule, "split"), online, src);
    else if ((v = ext_value(x, c->t, "platform", buf, sizeof buf)) && rule_capture_index(x->rule, "platform") >= 0)
        add_venue(rec, v, strlen(v), online, src);
    else if ((v = ext_value(x, c->t, "name", buf, sizeof buf)) && rule_capture_index(x->rule, "name") >= 0)
        add_venue(rec, v, strlen(v), online, src);
}

#define TABLE_PLACE_COLUMNS 4

/* The offset of cell `cell` (0 = first) of the line [s, e) parted by tabs,
 * its end in *ce; SIZE_MAX when the line has fewer cells. */
static size_t tab_cell(const char *t, size_t s, size_t e, int cell, size_t *ce)
{
    for (int k = 0; k < cell && s < e; s++)
        k += t[s] == '\t';
    if (s >= e && cell > 0)
        return SIZE_MAX;
    *ce = s;
    while (*ce < e && t[*ce] != '\t')
        ++*ce;
    return s;
}

/* Does a platform ("Zoom", "Teams") stand in [s, e)? */
static int online_in(const ctx *c, size_t s, size_t e)
{
    for (const ext_match *x = ext_first_in(c->ms, FIELD_venue, s, e);
         x && x < c->ms->items + c->ms->n && x->field == FIELD_venue && x->start < e; x++) {
        const char *on = rule_set_value(x->rule, "online");
        if (on && !strcmp(on, "true"))
            return 1;
    }
    return 0;
}

/* Is [s, e) a way of taking part and nothing else ("Digitalt", "Online"):
 * a mode match covering all of it? */
static int mode_only(const ctx *c, size_t s, size_t e)
{
    for (const ext_match *x = ext_first_in(c->ms, FIELD_mode, s, e);
         x && x < c->ms->items + c->ms->n && x->field == FIELD_mode && x->start < e; x++)
        if (x->start == s && x->end == e)
            return 1;
    return 0;
}

/* "Datum<TAB>Ort<TAB>Lokal<TAB>Tid" over "2025-11-06<TAB>Halmstad<TAB>
 * Stadsbiblioteket, hörsalen<TAB>19.00": a table of dated sessions whose
 * header names columns of places (`set venue=yes`) gives each row's places
 * as one venue. A table of times alone is a programme: its rooms and
 * stages are no venues. */
static void table_venues(ctx *c, evx_record *rec, size_t related_from)
{
    const char *t = c->t->data;
    for (int i = 0; i < c->ms->n; i++) {
        const ext_match *x = &c->ms->items[i];
        const char *v = x->field == FIELD_table_column ? rule_set_value(x->rule, "venue") : NULL;
        int head = v && !strcmp(v, "yes") && x->start < related_from ? line_of(&c->li, x->start) : -1;
        if (head < 0 || (i > 0 && c->ms->items[i - 1].field == FIELD_table_column &&
                         line_of(&c->li, c->ms->items[i - 1].start) == head))
            continue; /* one pass per header line, from its first column match */
        /* a header of three cells or more; "Plats<TAB>Norra Latin" is a label */
        int cells = 0;
        for (size_t p = c->li.start[head], e = line_end(&c->li, c->t, head); p < e; p++)
            cells += t[p] != '\t' && !isspace((unsigned char)t[p]) && (p == c->li.start[head] || t[p - 1] == '\t');
        if (cells < 3)
            continue;
        int cols[TABLE_PLACE_COLUMNS], n_cols = 0;
        for (int j = i; j < c->ms->n && c->ms->items[j].field == FIELD_table_column &&
                        line_of(&c->li, c->ms->items[j].start) == head && n_cols < TABLE_PLACE_COLUMNS;
             j++) {
            const ext_match *y = &c->ms->items[j];
            const char *vj = rule_set_value(y->rule, "venue");
            if (vj && !strcmp(vj, "yes")) {
                /* in the row's order, a space between: the text holds the name */
                cols[n_cols++] = line_cell_at(c->t, c->li.start[head], y->start);
            }
        }
        for (int l = head + 1; l < c->li.n && !line_blank(&c->li, c->t, l); l++) {
            size_t s = c->li.start[l], e = line_end(&c->li, c->t, l);
            if (!memchr(t + s, '\t', e - s) || !ext_first_in(c->ms, FIELD_date, s, e) ||
                field_overlaps(c->ms, FIELD_past, s, e))
                continue; /* a row of cells with its date, not called off */
            char name[512];
            size_t n = 0, from = SIZE_MAX, to = 0;
            for (int k = 0; k < n_cols; k++) {
                size_t ce, cs = tab_cell(t, s, e, cols[k], &ce);
                if (cs == SIZE_MAX)
                    continue;
                while (cs < ce && isspace((unsigned char)t[cs]))
                    cs++;
                while (ce > cs && isspace((unsigned char)t[ce - 1]))
                    ce--;
                int letters = 0;
                for (size_t p = cs; p < ce; p++)
                    letters += isalpha((unsigned char)t[p]) || (unsigned char)t[p] >= 0x80;
                if (!letters || n + (ce - cs) + 3 > sizeof name || online_in(c, cs, ce) || mode_only(c, cs, ce))
                    continue; /* "Zoom": the platform's own rule names it; "Digitalt" names no place */
                n += (size_t)snprintf(name + n, sizeof name - n, "%s%.*s", n ? " " : "", (int)(ce - cs), t + cs);
                from = cs < from ? cs : from;
                to = ce > to ? ce : to;
            }
            if (n)
                add_venue(rec, name, n, 0, (res_src){from, to, x->rule->src->name});
        }
    }
}

static int has_onsite_venue(const evx_record *rec)
{
    for (int k = 0; k < rec->n_venues; k++)
        if (!rec->venues[k].online)
            return 1;
    return 0;
}

static void resolve_venues(ctx *c, evx_record *rec)
{
    int hint_online = 0, hint_onsite = 0, hint_hybrid = 0;
    /* A place named in passing ("i Sankt Nicolai kyrka söndag 6 april")
     * is as often another event's as this one's: such matches (`set
     * fallback=yes`) count only on a page that names no place otherwise,
     * and then only the first, which is the event's more often than a
     * later one ("Tidigare i vår sjöng kören i Domkyrkan"). */
    const ext_match *fallback = NULL;
    for (int i = 0; i < c->ms->n; i++) {
        const ext_match *x = &c->ms->items[i];
        if (x->field == FIELD_mode) {
            const char *m = rule_set_value(x->rule, "mode");
            hint_online |= m && !strcmp(m, "online");
            hint_onsite |= m && !strcmp(m, "onsite");
            hint_hybrid |= m && !strcmp(m, "hybrid");
            continue;
        }
        if (x->field != FIELD_venue)
            continue;
        /* A place in a sentence about the past ("skulle ha hållits ... i
         * Eskilstuna") is not where this event is. */
        if (field_overlaps(c->ms, FIELD_venue_skip, x->start, x->end) ||
            field_overlaps(c->ms, FIELD_past, x->start, x->end))
            continue;
        const char *fb = rule_set_value(x->rule, "fallback");
        if (fb && !strcmp(fb, "yes")) {
            if (!fallback || x->start < fallback->start)
                fallback = x;
            continue;
        }
        add_venue_match(c, rec, x);
    }
    table_venues(c, rec, related_start(c->ms));
    if (fallback && !has_onsite_venue(rec))
        add_venue_match(c, rec, fallback);
    int online = hint_online, onsite = hint_onsite;
    for (int k = 0; k < rec->n_venues; k++) {
        online |= rec->venues[k].online;
        onsite |= !rec->venues[k].online;
    }
    rec->mode = hint_hybrid || (online && onsite) ? "hybrid" : online ? "online" : onsite ? "onsite" : NULL;
}

/* The cost: the highest-priority `cost` match decides whether it is free;
 * when that match names no price ("medlemmar gratis" beside "Entré: 50
 * kr"), the price comes from the highest-priority match that writes one. */
/* Does x capture an amount above zero? */
static int positive_amount(const ext_match *x, const evx_text *t)
{
    char buf[64];
    const char *a = ext_value(x, t, "amount", buf, sizeof buf);
    for (; a && *a && *a != ',' && *a != '.'; a++)
        if (*a >= '1' && *a <= '9')
            return 1;
    return 0;
}

static void resolve_cost(ctx *c, evx_record *rec)
{
    const ext_match *best = NULL, *priced = NULL;
    char buf[64];
    size_t related_from = related_start(c->ms);
    for (int i = 0; i < c->ms->n; i++) {
        const ext_match *x = &c->ms->items[i];
        if (x->field != FIELD_cost || x->start >= related_from)
            continue; /* "Fler evenemang ... Entré 80 kr": another event's price */
        const char *kind = rule_set_value(x->rule, "kind");
        if (kind && !strcmp(kind, "other"))
            continue; /* what joining or buying costs, not attending */
        if (!best || x->rule->src->priority > best->rule->src->priority)
            best = x;
        if ((!priced || x->rule->src->priority > priced->rule->src->priority) &&
            ext_value(x, c->t, "amount", buf, sizeof buf))
            priced = x;
    }
    if (!best)
        return;
    /* "Barnlopp: gratis" beside "10 km: 250 kr", "fri entré" for another
     * activity beside "Kursavgift: 1 350 kr": a price written out says
     * attending costs, whatever is free besides. */
    if (priced && priced != best && positive_amount(priced, c->t)) {
        const char *fv = ext_value(best, c->t, "free", buf, sizeof buf);
        /* ... but "Pris: Fritt inträde" (`set label=yes`) is the event's
         * own, and only a price that opens a line of its own overrules it,
         * not "Avgiften för studerande är oförändrad, 100 kr" in a notice */
        const char *label = rule_set_value(best->rule, "label");
        size_t ls = c->li.start[line_of(&c->li, priced->start)];
        while (ls < priced->start && (c->t->data[ls] == ' ' || c->t->data[ls] == '\t'))
            ls++;
        int priced_opens_line = priced->start == ls;
        if (fv && !strcmp(fv, "true") && (!label || priced_opens_line))
            best = priced;
    }
    rec->has_cost = 1;
    rec->cost_src = (res_src){best->start, best->end, best->rule->src->name};
    const char *free_v = ext_value(best, c->t, "free", buf, sizeof buf);
    rec->cost_free = free_v ? !strcmp(free_v, "true") : -1;
    if (rec->cost_free != 1 && priced)
        best = priced;
    const char *amount = ext_value(best, c->t, "amount", buf, sizeof buf);
    if (amount) {
        double v = 0;
        int digits = 0;
        for (const char *p = amount; *p; p++)
            if (isdigit((unsigned char)*p)) {
                v = v * 10 + (*p - '0');
                digits++;
            } else if (*p == ',' || *p == '.') {
                break; /* öre are not worth a float parse */
            }
        if (digits) {
            rec->has_amount = 1;
            rec->amount = v;
            if (rec->cost_free < 0)
                rec->cost_free = v == 0;
        }
    }
    const char *cur = ext_value(best, c->t, "currency", buf, sizeof buf);
    snprintf(rec->currency, sizeof rec->currency, "%s", cur ? cur : "");
}

/* The event's status: the highest-priority `status` match decides (the
 * rules give "postponed" precedence over "cancelled": an event called off
 * and given a new date has moved, not gone); no match means scheduled. */
static void resolve_status(ctx *c, evx_record *rec)
{
    const ext_match *best = NULL;
    rec->status = "scheduled";
    for (int i = 0; i < c->ms->n; i++) {
        const ext_match *x = &c->ms->items[i];
        if (x->field == FIELD_status && rule_set_value(x->rule, "status") &&
            (!best || x->rule->src->priority > best->rule->src->priority))
            best = x;
    }
    if (!best)
        return;
    const char *v = rule_set_value(best->rule, "status");
    rec->status = !strcmp(v, "cancelled") ? "cancelled" : !strcmp(v, "postponed") ? "postponed" : "scheduled";
    rec->has_status_src = 1;
    rec->status_src = (res_src){best->start, best->end, best->rule->src->name};
}

/* ---- occurrences from the programme -------------------------------- */

static int slot_is(const ctx *c, const res_agenda *a, evx_field f)
{
    for (int i = 0; i < c->ms->n; i++) {
        const ext_match *x = &c->ms->items[i];
        if (x->field == f && x->start >= a->src.start && x->start < a->src.end)
            return 1;
    }
    return 0;
}

/* "Program 15 november" followed by "8:00-9:00 Registrering ... 17:00
 * Slut": the date took its time from the first programme line, but the
 * event starts with the first slot that is not a prelude and ends with the
 * programme (the last slot's end, or a slot that only marks the end). */
/* Whether an end "HH:MM" comes after a start: later the same day, or in
 * the small hours after an afternoon or evening start ("17.30 Mottagning
 * ... 02.00 Balen avslutas"). */
static int ends_after(const char *end, const char *start)
{
    return strcmp(end, start) > 0 || (strcmp(end, NIGHT_END_BEFORE) < 0 && strcmp(start, NIGHT_START_FROM) >= 0);
}

/* When the programme of the day that first..last belong to ends: its last
 * closing slot ("16.30 Dagen avslutas", whatever follows it: "18.30
 * Konferensmiddag"), else the end its last slot writes; "" when unknown. */
static const char *programme_end(const ctx *c, const res_agenda *first, const res_agenda *last)
{
    /* "11.45–12.00 Avslutning" ends the day unless a timed session of its
     * own follows ("13.00–15.00 Bokade 1:1-möten"); a lunch, coffee or a
     * trip home after it ("12.30 Lunch och hemfärd") does not count. */
    int later_session = 0;
    for (const res_agenda *a = last; a >= first; a--) {
        if (strcmp(a->date, first->date))
            continue;
        if (slot_is(c, a, FIELD_slot_closing))
            return later_session ? last->end : a->end[0] ? a->end : a->start;
        later_session |= a->end[0] && !slot_is(c, a, FIELD_slot_prelude);
    }
    /* The latest end the day's slots write: a slot out of time order after
     * the programme ("Middag serveras från 18.00" under "20.00–23.00
     * Poetry slam") does not cut it short. */
    const char *end = last->end;
    for (const res_agenda *a = first; a <= last; a++)
        if (!strcmp(a->date, first->date) && strcmp(a->start, last->start) > 0 && a->end[0] &&
            (!end[0] || ends_after(a->end, end)))
            end = a->end;
    return end;
}

static int by_span_start(const void *a, const void *b)
{
    size_t x = ((const res_src *)a)->start, y = ((const res_src *)b)->start;
    return (x > y) - (x < y);
}

/* Is `at` (an occurrence's time) inside one of the n slot spans, sorted by
 * start? Slots do not overlap, so the last one starting at or before it is
 * the only one that can hold it. */
static int on_slot(const res_src *slots, int n, size_t at)
{
    int lo = 0, hi = n;
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        if (slots[mid].start <= at)
            lo = mid + 1;
        else
            hi = mid;
    }
    return at != SIZE_MAX && lo > 0 && at < slots[lo - 1].end;
}

typedef struct {
    const res_src *slots;
    int n;
    const keyset *hours; /* days with a start and an end not from a slot */
} slot_days;

static int slot_timed_on_day_with_hours(const res_occurrence *o, const void *arg)
{
    const slot_days *d = arg;
    return o->start[0] && !o->end[0] && keyset_has(d->hours, o->date) && on_slot(d->slots, d->n, o->time_at);
}

/* "Tid: tisdag 4 februari, kl 9–16.30" and below it "Program dag 1 (4/2)"
 * over "kl. 8.30 Kaffe och registrering": the programme's day heading took
 * its first slot's time, but the day has its hours already. An occurrence
 * timed by a slot alone yields to one of the same day with a start and an
 * end of its own. */
static void drop_slot_timed_days(evx_record *rec)
{
    int n = rec->n_agenda;
    res_src *slots = n ? malloc(sizeof *slots * (size_t)n) : NULL;
    if (!n || !slots) {
        free(slots);
        return;
    }
    for (int k = 0; k < n; k++)
        slots[k] = rec->agenda[k].src;
    qsort(slots, (size_t)n, sizeof *slots, by_span_start);
    keyset hours = {0}; /* days with a start and an end not from a slot */
    for (int i = 0; i < rec->n_occurrences; i++) {
        const res_occurrence *o = &rec->occurrences[i];
        if (o->start[0] && o->end[0] && !on_slot(slots, n, o->time_at))
            keyset_add(&hours, o->date);
    }
    slot_days days = {slots, n, &hours};
    drop_occurrences_if(rec, slot_timed_on_day_with_hours, &days);
    free(hours.keys);
    free(slots);
}

static void refine_with_programme(const ctx *c, evx_record *rec)
{
    for (int i = 0; i < rec->n_occurrences; i++) {
        res_occurrence *o = &rec->occurrences[i];
        res_agenda *first = NULL, *last = NULL;
        for (int k = 0; k < rec->n_agenda; k++) {
            res_agenda *a = &rec->agenda[k];
            if (strcmp(a->date, o->date) && (a->date[0] || rec->n_occurrences > 1))
                continue;
            if (!first)
                first = a;
            last = a;
        }
        int on_slot = o->time_at == SIZE_MAX;
        for (int k = 0; k < rec->n_agenda && !on_slot; k++)
            on_slot = o->time_at >= rec->agenda[k].src.start && o->time_at < rec->agenda[k].src.end;
        if (first && o->start[0] && !o->end[0] && (strcmp(o->start, first->start) || (!on_slot && !slot_is(c, first, FIELD_slot_prelude))) &&
            last != first) {
            /* "årsstämma torsdag 21/3 kl 18" over "17.30 Kaffe ... 18.00
             * Årsstämman öppnas ... 20.30 Kvällen avslutas": a programme
             * with a slot at the event's start tells when it ends (also
             * when it opens with that slot: "Parade: starts at 13.00" over
             * "13.00 Paraden avgår ... 22.00 Parken stänger"). */
            int at_start = 0;
            for (const res_agenda *a = first; a <= last && !at_start; a++)
                at_start = !strcmp(a->date, first->date) && !strcmp(a->start, o->start);
            const char *end = programme_end(c, first, last);
            if (at_start && *end && ends_after(end, o->start)) {
                int y, m, d;
                sscanf(o->date, "%d-%d-%d", &y, &m, &d);
                snprintf(o->end, sizeof o->end, "%s", end);
                res_stockholm_datetime(y, m, d, atoi(end), atoi(end + 3), o->end_dt, sizeof o->end_dt);
            }
            continue;
        }
        if (!first || (o->start[0] && strcmp(o->start, first->start)))
            continue;
        /* "När: torsdag 13 mars, kl. 17.30–20.30" over "17.30 Dörrarna
         * öppnar": the hours written with the date are the event's, the
         * prelude's included; a "Tid:" line of its own shares its start
         * with the programme, and the programme tells what starts then. */
        int with_date = !on_slot && o->start[0] && !memchr(c->t->data + o->src.start, '\n',
                                                           o->time_at > o->src.start ? o->time_at - o->src.start : 0);
        if (!on_slot && !with_date && !slot_is(c, first, FIELD_slot_prelude))
            continue; /* a time of its own that the programme happens to share */
        int from_slot = !o->start[0] || !o->end[0] || !strcmp(o->end, first->end);
        const res_agenda *start = first;
        if (!with_date && slot_is(c, first, FIELD_slot_prelude))
            for (const res_agenda *a = first + 1; a <= last; a++)
                if (!strcmp(a->date, first->date) && !slot_is(c, a, FIELD_slot_prelude)) {
                    if (!slot_is(c, a, FIELD_slot_closing))
                        start = a; /* "12:00 Konferensen avslutas" ends what the prelude began */
                    break;
                }
        int y, m, d;
        sscanf(o->date, "%d-%d-%d", &y, &m, &d);
        snprintf(o->start, sizeof o->start, "%s", start->start);
        res_stockholm_datetime(y, m, d, atoi(o->start), atoi(o->start + 3), o->start_dt, sizeof o->start_dt);
        if (!from_slot || last == first)
            continue;
        const char *end = programme_end(c, first, last);
        if (!*end && o->end[0] && with_date)
            continue; /* "När: lördag 7 oktober, kl. 11.00–15.00" keeps its end over an open programme */
        snprintf(o->end, sizeof o->end, "%s", end);
        o->end_dt[0] = '\0';
        if (*end)
            res_stockholm_datetime(y, m, d, atoi(end), atoi(end + 3), o->end_dt, sizeof o->end_dt);
    }
}

/* "Tid: fredag 14 november kl. 08.30–12.00" and, over the programme,
 * "Fredag 14 november" with "08.30 Studiebesök": one day, one start, told
 * twice. The first told stands (the programme's end only fills in one it
 * lacks); a day's sessions never start at the same time. */
static int by_date_start_key(const res_occurrence *a, const res_occurrence *b)
{
    int r = strcmp(a->date, b->date);
    return r ? r : strcmp(a->start, b->start);
}

static _Thread_local const res_occurrence *sort_base; /* qsort has no context argument */

/* Occurrence indices by date, start and then text order. */
static int by_date_start(const void *a, const void *b)
{
    int i = *(const int *)a, k = *(const int *)b;
    int r = by_date_start_key(&sort_base[i], &sort_base[k]);
    return r ? r : (i > k) - (i < k);
}

static void merge_same_starts(evx_record *rec)
{
    int n = rec->n_occurrences;
    if (n < 2)
        return;
    int *order = malloc(sizeof *order * (size_t)n);
    char *drop = calloc((size_t)n, 1);
    if (!order || !drop) {
        free(order);
        free(drop);
        return;
    }
    for (int i = 0; i < n; i++)
        order[i] = i;
    sort_base = rec->occurrences;
    qsort(order, (size_t)n, sizeof *order, by_date_start);
    for (int g = 0; g < n;) {
        res_occurrence *first = &rec->occurrences[order[g]];
        int e = g + 1;
        while (e < n && !by_date_start_key(first, &rec->occurrences[order[e]]))
            e++;
        for (int k = g + 1; k < e && first->start[0]; k++) {
            res_occurrence *o = &rec->occurrences[order[k]];
            if (!first->end[0] && o->end[0]) {
                memcpy(first->end, o->end, sizeof first->end);
                memcpy(first->end_dt, o->end_dt, sizeof first->end_dt);
            }
            drop[order[k]] = 1;
        }
        g = e;
    }
    int kept = 0;
    for (int i = 0; i < n; i++) {
        if (drop[i])
            free(rec->occurrences[i].city);
        else
            rec->occurrences[kept++] = rec->occurrences[i];
    }
    rec->n_occurrences = kept;
    free(order);
    free(drop);
}

/* ---- the record ----------------------------------------------------- */

/* Where the events listed under a related-events heading begin: at the
 * first such heading below a date. One above every date heads the page
 * ("Kommande program" over a programme of lectures): those are its events. */
static size_t related_start(const ext_matches *ms)
{
    size_t first_date = SIZE_MAX, from = SIZE_MAX, s, e;
    for (int i = 0; i < ms->n; i++) {
        const ext_match *x = &ms->items[i];
        /* A year alone in the breadcrumb ("Kalendarium > Forskningsdagen
         * 2026") is the site's path, not yet the page's text. */
        /* Nor does a utility's notice over the page ("Vattenavstängning
         * ... Tisdag 3 september", then "Visa alla driftstörningar") or
         * its publication stamp: a related heading above the event's own
         * first date heads the site's box, not a list of other events. */
        if (x->field == FIELD_date && x->start < first_date &&
            (!ext_span(x, "day", &s, &e) || !field_overlaps(ms, FIELD_title_skip, x->start, x->end)) &&
            !field_overlaps(ms, FIELD_past, x->start, x->end) && !field_overlaps(ms, FIELD_publication, x->start, x->end))
            first_date = x->start;
    }
    for (int i = 0; i < ms->n; i++) {
        const ext_match *x = &ms->items[i];
        if (x->field == FIELD_related && x->start > first_date && x->start < from)
            from = x->start;
    }
    return from;
}

/* Does a match of the field named `name` start inside [s, e)? */
static int field_in_span(const ext_matches *ms, const char *name, size_t s, size_t e)
{
    for (int f = 0; f < FIELD_COUNT; f++)
        if (!strcmp(field_name((evx_field)f), name))
            return ext_first_in(ms, (evx_field)f, s, e) != NULL;
    return 0;
}

/* Does a phone number or an e-mail address (a contact match of that
 * kind) start inside [s, e)? A name alone is no way to reach anyone:
 * "Location / Science Park Jönköping / Gjuterigatan 9, 553 18 Jönköping"
 * is the event's place, not a footer. */
static int reach_in_span(const ext_matches *ms, size_t s, size_t e)
{
    for (const ext_match *x = ext_first_in(ms, FIELD_contact, s, e);
         x && x < ms->items + ms->n && x->field == FIELD_contact && x->start < e; x++) {
        const char *kind = rule_set_value(x->rule, "kind");
        if (kind && (!strcmp(kind, "phone") || !strcmp(kind, "email")))
            return 1;
    }
    return 0;
}

/* Does [s, e) of a page_chrome match cover position pos? */
static int in_spans(const size_t (*spans)[2], int n, size_t pos)
{
    for (int i = 0; i < n; i++)
        if (pos >= spans[i][0] && pos < spans[i][1])
            return 1;
    return 0;
}

/* Can line k belong to a block of the site's chrome: short, not prose? */
static int chrome_sized(const line_index *li, const evx_text *t, int k)
{
    return line_end(li, t, k) - li->start[k] <= CHROME_LINE_MAX;
}

/* Is line k the event's own, never a footer's: one that gives a day of the
 * month and a time ("Fredag 22 januari 2027 kl. 13.00, Aulan"), or one
 * that ends in an exclamation ("Opponent: professor Tuomas Virtanen,
 * Helsingfors universitet. Alla välkomna!")? */
static int event_own_line(const ext_matches *ms, const line_index *li, const evx_text *t, int k)
{
    size_t ls = li->start[k], le = line_end(li, t, k), ds, de;
    size_t end = le;
    while (end > ls && (t->data[end - 1] == ' ' || t->data[end - 1] == '\t' || t->data[end - 1] == '\r'))
        end--;
    if (end > ls && t->data[end - 1] == '!')
        return 1;
    if (!ext_first_in(ms, FIELD_time, ls, le))
        return 0;
    for (const ext_match *x = ext_first_in(ms, FIELD_date, ls, le);
         x && x < ms->items + ms->n && x->field == FIELD_date && x->start < le; x++)
        if (!ext_span(x, "day", &ds, &de))
            return 1;
    return 0;
}

/* The block of lines around [s, e): up to the blank lines before and
 * after. A page scraped without blank lines is one block, and its footer's
 * sign must not take the announcement with it: where no blank line comes
 * within CHROME_BLOCK_LINES short lines, the block is a guess and kept
 * small (CHROME_GUESS_LINES either way, and short of the event's own
 * lines). */
static void widen_to_block(const ext_matches *ms, const line_index *li, const evx_text *t, size_t *s, size_t *e)
{
    int a = line_of(li, *s), b = line_of(li, *e > *s ? *e - 1 : *e);
    int up = 0, down = 0;
    /* A sign inside a page run into one long line ("... Boka Spara Dela
     * ... Org.nr 817602-0103 Cookies"): the footer is what follows it on
     * that line, not the line. */
    if (a == b && !chrome_sized(li, t, a)) {
        size_t le = line_end(li, t, a);
        *e = *e + CHROME_RUN_ON_REACH < le ? *e + CHROME_RUN_ON_REACH : le;
        return;
    }
    while (up < CHROME_BLOCK_LINES && a - up > 0 && !blank_line(li, t, a - up - 1) && chrome_sized(li, t, a - up - 1))
        up++;
    /* no blank line above (or none up to the page's top): a guess */
    if (a - up == 0 ? up > 0 : !blank_line(li, t, a - up - 1)) {
        up = up < CHROME_GUESS_LINES ? up : CHROME_GUESS_LINES;
        for (int k = 1; k <= up; k++)
            if (event_own_line(ms, li, t, a - k)) {
                up = k - 1;
                break;
            }
    }
    while (down < CHROME_BLOCK_LINES && b + down + 1 < li->n && !blank_line(li, t, b + down + 1) &&
           chrome_sized(li, t, b + down + 1))
        down++;
    if (b + down + 1 < li->n && !blank_line(li, t, b + down + 1)) {
        down = down < CHROME_GUESS_LINES ? down : CHROME_GUESS_LINES;
        for (int k = 1; k <= down; k++)
            if (event_own_line(ms, li, t, b + k)) {
                down = k - 1;
                break;
            }
    }
    a -= up;
    b += down;
    *s = li->start[a];
    *e = line_end(li, t, b);
}

/* Does a publication label ("Publicerad", "Uppdaterad") stand before the
 * date x on its line? */
static int stamped(const ext_matches *ms, const line_index *li, const ext_match *x)
{
    return ext_first_in(ms, FIELD_publication, li->start[line_of(li, x->start)], x->start) != NULL;
}

/* The matches the record is built from: none inside the site's chrome (a
 * footer's address, switchboard and e-mail are the organisation's, not
 * the event's), and no place, person or programme slot below a
 * related-events heading (they belong to the events listed there). */
static void keep_event_matches(const ext_matches *ms, const evx_text *t, const line_index *li, ext_matches *kept)
{
    *kept = *ms;
    kept->items = malloc(sizeof *kept->items * (ms->n > 0 ? (size_t)ms->n : 1));
    kept->n = kept->cap = 0;
    size_t(*chrome)[2] = NULL;
    int nchrome = 0;
    size_t related_from = related_start(ms);
    for (int i = 0; i < ms->n; i++) {
        const ext_match *x = &ms->items[i];
        /* A page scraped into one long line is no footer line, however a
         * chrome rule's words turn up in it. */
        if (x->field == FIELD_page_chrome && run_on_page(t, x->start, x->end))
            continue;
        if (x->field == FIELD_page_chrome) {
            size_t sp[2] = {x->start, x->end};
            const char *block = rule_set_value(x->rule, "block");
            if (!block || strcmp(block, "no"))
                widen_to_block(ms, li, t, &sp[0], &sp[1]); /* a rule matches a sign; the block is chrome */
            const char *needs = rule_set_value(x->rule, "needs");
            if (!needs || (!strcmp(needs, "contact") ? reach_in_span(ms, sp[0], sp[1]) : field_in_span(ms, needs, sp[0], sp[1])))
                res_push((void **)&chrome, &nchrome, sizeof sp, sp);
        }
    }
    for (int i = 0; i < ms->n; i++) {
        const ext_match *x = &ms->items[i];
        int below_related = x->start >= related_from && (x->field == FIELD_venue || x->field == FIELD_speaker || x->field == FIELD_agenda);
        /* The footer's "© 2024" still dates the page: the last-resort year.
         * So does its "Publicerad 2022-09-05" (the label and its date), which
         * a page without blank lines may put in its footer's block: claimed
         * by the label, it is no occurrence, only the year of the dates
         * without one. */
        const char *hint = x->field == FIELD_date ? rule_set_value(x->rule, "hint") : NULL;
        int page_year = (hint && !strcmp(hint, "anywhere")) || x->field == FIELD_publication ||
                        (x->field == FIELD_date && stamped(ms, li, x));
        /* The title has its own account of the page's top (title_skip). */
        int title_kind = x->field == FIELD_title || x->field == FIELD_title_skip || x->field == FIELD_title_hint ||
                         x->field == FIELD_title_subject;
        if (x->field != FIELD_page_chrome && !title_kind &&
            (below_related || (!page_year && in_spans(chrome, nchrome, x->start))))
            continue;
        kept->items[kept->n++] = *x;
    }
    kept->cap = kept->n;
    free(chrome);
}

/* Is the contact at pos labelled as this event's by a question about it
 * ("Frågor om anmälan:") on its line or on the filled line above? */
static int asked_about_event(const ext_matches *ms, const evx_text *t, const line_index *li, size_t pos)
{
    int line = line_of(li, pos);
    int above = line - 1;
    while (above >= 0 && blank_line(li, t, above))
        above--;
    size_t from = li->start[above >= 0 ? above : line];
    for (const ext_match *x = ext_first_in(ms, FIELD_contact, from, pos);
         x && x < ms->items + ms->n && x->field == FIELD_contact && x->start < pos; x++) {
        const char *about = rule_set_value(x->rule, "about");
        if (about && !strcmp(about, "event"))
            return 1;
    }
    return 0;
}

/* Below the list of other events, an address or number with no one's name
 * ("Kontakt / Länsstyrelsen / Telefon: 010-223 60 00 / info@...") is the
 * site's mailbox in its footer, unless a question about the event labels
 * it; a named person there may still be the event's contact ("Frågor om
 * webbinariet: Anna Ek, 08-..."). */
static void drop_related_mailboxes(evx_record *rec, const ctx *c)
{
    size_t related_from = related_start(c->ms);
    int kept = 0;
    for (int i = 0; i < rec->n_contacts; i++) {
        res_contact *k = &rec->contacts[i];
        if (!k->name && k->src.start >= related_from && !asked_about_event(c->ms, c->t, &c->li, k->src.start)) {
            free(k->role);
            free(k->email);
            free(k->phone);
            free(k->phone_e164);
            continue;
        }
        rec->contacts[kept++] = *k;
    }
    rec->n_contacts = kept;
}

/* Days given by week number take the year the page gives them, now that
 * its year hints are known. */
static void weeks_in_year(ctx *c)
{
    for (int i = 0; i < c->n_dates; i++) {
        date_mention *dm = &c->dates[i];
        if (!dm->week || dm->y)
            continue;
        int y = infer_year(c, dm);
        if (y)
            week_days(dm, y);
    }
}

void res_record(const ext_matches *all, const evx_text *t, evx_record *rec)
{
    ctx c = {0};
    c.t = t;
    lines_build(&c.li, t);
    ext_matches event;
    keep_event_matches(all, t, &c.li, &event);
    const ext_matches *ms = &event;
    c.ms = ms;
    collect_dates(&c);
    share_weekdays(&c);
    index_dates(&c);
    settle_year_hints(&c);
    weeks_in_year(&c);
    collect_times(&c);
    attach_times(&c);
    attach_end_times(&c);
    link_dated_ends(&c);
    resolve_dates(&c, rec);
    resolve_title(&c, rec);
    resolve_venues(&c, rec);
    resolve_cost(&c, rec);
    resolve_status(&c, rec);
    res_people(ms, t, rec);
    drop_related_mailboxes(rec, &c);
    drop_slot_timed_days(rec);
    refine_with_programme(&c, rec);
    merge_same_starts(rec);
    free(c.dates);
    free(c.times);
    free(c.end_times);
    free(c.time_owner);
    free(c.prev_dated);
    free(c.next_dated);
    free(c.next_date_line);
    free(c.line_flags);
    free(c.covered);
    free(c.seen_occurrences.keys);
    free(c.seen_related.keys);
    free(c.cancelled.keys);
    free(c.weekday_refs);
    free(c.years_anywhere);
    free(c.first_pub);
    free(c.year_marks);
    lines_free(&c.li);
    free(event.items);
}

void record_free(evx_record *rec)
{
    if (!rec)
        return;
    free(rec->title);
    for (int i = 0; i < rec->n_occurrences; i++)
        free(rec->occurrences[i].city);
    free(rec->occurrences);
    for (int i = 0; i < rec->n_related; i++)
        free(rec->related[i].city);
    free(rec->related);
    for (int i = 0; i < rec->n_venues; i++)
        free(rec->venues[i].name);
    free(rec->venues);
    for (int i = 0; i < rec->n_speakers; i++) {
        free(rec->speakers[i].name);
        free(rec->speakers[i].role);
        free(rec->speakers[i].organization);
    }
    free(rec->speakers);
    for (int i = 0; i < rec->n_agenda; i++) {
        free(rec->agenda[i].title);
        for (int j = 0; j < rec->agenda[i].nspeakers; j++)
            free(rec->agenda[i].speakers[j]);
        free(rec->agenda[i].speakers);
    }
    free(rec->agenda);
    for (int i = 0; i < rec->n_contacts; i++) {
        res_contact *k = &rec->contacts[i];
        free(k->name);
        free(k->role);
        free(k->email);
        free(k->phone);
        free(k->phone_e164);
    }
    free(rec->contacts);
    for (int i = 0; i < rec->n_organizers; i++)
        free(rec->organizers[i].name);
    free(rec->organizers);
    memset(rec, 0, sizeof *rec);
}
