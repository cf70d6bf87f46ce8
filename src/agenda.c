/* agenda.c - the timed programme: one res_agenda per slot.
 *
 * Rules (rules/agenda.rules) find the slots and say how they were written
 * (`shape`); this file decides which of them form the programme, gives each
 * its day, trims its title and links the speakers named on its lines.
 *
 * - A time alone on a line ("alone") is a slot only inside a programme: a
 *   lone "12:00" above an address is the event's time, not a slot.
 * - A further slot after a comma ("follow") needs a slot that starts its line.
 * - A programme word in running text ("inline") gives way to a line slot
 *   starting at the same time: the programme says it better.
 * - The day of a slot is the last day heading above it whose date is one of
 *   the event's own; without one, the event's only date, else unknown. */
#include "resolve.h"
#include "lines.h"
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LAST_SLOT_LINES 2   /* lines of description after the last slot */
#define MIN_PROGRAMME 2     /* slots that make a programme */

typedef enum { SHAPE_LINE, SHAPE_ALONE, SHAPE_FOLLOW, SHAPE_INLINE } slot_shape;

typedef struct {
    const ext_match *x;
    int h, mi, h2, mi2;  /* h2 < 0: no end written */
    size_t ts, te;       /* title span */
    slot_shape shape;
    int line;
    int keep;
    int cell; /* one of a row's parallel tracks: its cell is all its text */
} slot;

typedef struct {
    size_t start;
    char date[11];       /* "" when the heading names no date of the event */
} day_mark;

/* ---- numbers and dates ---------------------------------------------- */


#define ARTICLE_BYTES 3     /* a short lower-case word after a speaker's name ("ett föredrag") is skipped */
#define NAME_ORG_REACH 80   /* bytes of an organisation between a slot's opening name and its colon */
#define PRESS_WORD_REACH 24 /* bytes from a slot title's start where a press word marks it */

/* Days since 1970-01-01 and back (proleptic Gregorian), for "Dag N". */
static long days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(long z, int *y, int *m, int *d)
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

static int is_event_date(const evx_record *rec, const char *date)
{
    for (int i = 0; i < rec->n_occurrences; i++)
        if (!strcmp(rec->occurrences[i].date, date))
            return 1;
    return 0;
}

/* The date a day heading names: its own day and month (the year from the
 * heading, else from the event), or "Dag N" counted from the event's first
 * date. Empty when it cannot be told or is not one of the event's days. */
static void heading_date(const ext_match *x, const evx_text *t, const evx_record *rec, char *out)
{
    int fy = 0, fm = 0, fd = 0;
    out[0] = '\0';
    if (rec->n_occurrences)
        sscanf(rec->occurrences[0].date, "%d-%d-%d", &fy, &fm, &fd);
    int n = ext_int(x, t, "n", 0);
    if (n > 0) {
        if (!fy)
            return;
        int y, m, d;
        civil_from_days(days_from_civil(fy, fm, fd) + n - 1, &y, &m, &d);
        snprintf(out, 11, "%04d-%02d-%02d", y, m, d);
        return;
    }
    int d = ext_int(x, t, "day", 0), m = ext_int(x, t, "month", 0), y = ext_int(x, t, "year", fy);
    if (d < 1 || d > 31 || m < 1 || m > 12 || y < 1900 || y > 2100)
        return;
    snprintf(out, 11, "%04d-%02d-%02d", y, m, d);
    /* A date line that is none of the event's days (a publication date, a
     * deadline alone on its line) does not head the programme. */
    if (rec->n_occurrences && !is_event_date(rec, out))
        out[0] = '\0';
}

/* ---- collecting ----------------------------------------------------- */

static slot_shape shape_of(const ext_match *x)
{
    const char *s = rule_set_value(x->rule, "shape");
    if (!s)
        return SHAPE_LINE;
    return !strcmp(s, "alone") ? SHAPE_ALONE : !strcmp(s, "follow") ? SHAPE_FOLLOW
                                             : !strcmp(s, "inline") ? SHAPE_INLINE : SHAPE_LINE;
}

#define TABLE_HEADER_REACH 30 /* lines a table's rows may run below its header */

/* The header of the table a row on `line` belongs to: the nearest line
 * above it in its block with a table_column match. Returns its first such
 * match (the line spans [*hs, *he)), or NULL. */
static const ext_match *table_header(const ext_matches *ms, const evx_text *t, const line_index *li, int line,
                                     size_t *hs, size_t *he)
{
    for (int l = line - 1; l >= 0 && line - l <= TABLE_HEADER_REACH && !line_blank(li, t, l); l--) {
        *hs = li->start[l];
        *he = line_end(li, t, l);
        const ext_match *x = ext_first_in(ms, FIELD_table_column, *hs, *he);
        if (x)
            return x;
    }
    return NULL;
}

/* Does the header over the row on `line` have a column match on its line
 * whose `set role` is one of roles (and, with cell >= 0, in that cell)? */
static int header_role(const ext_matches *ms, const evx_text *t, const line_index *li, int line, int cell,
                       const char *const *roles)
{
    size_t hs, he;
    for (const ext_match *x = table_header(ms, t, li, line, &hs, &he);
         x && x < ms->items + ms->n && x->field == FIELD_table_column && x->start < he; x++) {
        const char *role = rule_set_value(x->rule, "role");
        for (const char *const *r = roles; role && *r; r++)
            if (!strcmp(role, *r) && (cell < 0 || line_cell_at(t, hs, x->start) == cell))
                return 1;
    }
    return 0;
}

/* "Tid\tPlats\tAktivitet" over "13.00\tStora torget\tSamling och
 * introduktion", "Tid\tFöreläsare\tTitel": is cell `cell` of a row on
 * `line` in a column whose header says it holds places or people (`set
 * role=place`, `set role=person`), not what the slot is? */
static int aside_column(const ext_matches *ms, const evx_text *t, const line_index *li, int line, int cell)
{
    static const char *const aside[] = {"place", "person", NULL};
    return header_role(ms, t, li, line, cell, aside);
}

/* Is cell `cell` of the row on `line` in a column of places? */
static int place_column(const ext_matches *ms, const evx_text *t, const line_index *li, int line, int cell)
{
    static const char *const place[] = {"place", NULL};
    return header_role(ms, t, li, line, cell, place);
}

/* Is the row on `line` under a header of parallel tracks (`set
 * role=tracks`: "Tid\tSal F1\tSal F2")? */
static int under_tracks(const ext_matches *ms, const evx_text *t, const line_index *li, int line)
{
    static const char *const tracks[] = {"tracks", NULL};
    return header_role(ms, t, li, line, -1, tracks);
}

/* A row of parallel tracks, "11.00–12.00\t\tÄldres hälsa\tBarn och unga":
 * a slot for each filled cell after the time's. Returns how many. */
static int push_track_cells(const evx_text *t, const line_index *li, const slot *row, slot **out, int *n)
{
    size_t p = li->start[row->line], e = line_end(li, t, row->line);
    int pushed = 0;
    while (p < e && t->data[p] != '\t')
        p++; /* the time's cell */
    while (p < e) {
        size_t cs = ++p;
        while (p < e && t->data[p] != '\t')
            p++;
        size_t ce = p;
        while (cs < ce && (t->data[cs] == ' ' || t->data[cs] == '\t'))
            cs++;
        while (ce > cs && t->data[ce - 1] == ' ')
            ce--;
        if (ce > cs) {
            slot cell = *row;
            cell.ts = cs;
            cell.te = ce;
            cell.cell = 1;
            res_push((void **)out, n, sizeof cell, &cell);
            pushed++;
        }
    }
    return pushed;
}

static int collect_slots(const ext_matches *ms, const evx_text *t, const line_index *li, const evx_record *rec,
                         slot **out)
{
    int n = 0;
    *out = NULL;
    for (int i = 0; i < ms->n; i++) {
        const ext_match *x = &ms->items[i];
        if (x->field != FIELD_agenda)
            continue;
        slot s = {x, ext_int(x, t, "hour", -1), ext_int(x, t, "minute", 0), ext_int(x, t, "hour2", -1),
                  ext_int(x, t, "minute2", 0), 0, 0, shape_of(x), line_of(li, x->start), 0, 0};
        if (s.h < 0 || s.h > 24 || s.mi > 59 || s.h2 > 24 || s.mi2 > 59)
            continue;
        size_t ps, pe;
        if (!ext_span(x, "pm", &ps, &pe)) { /* "6.00–7.30 pm", "12.30–1.30 pm", "10.00–1.00 pm" */
            s.h2 += s.h2 >= 0 && s.h2 < 12 ? 12 : 0;
            int end = s.h2 >= 0 ? s.h2 * 60 + s.mi2 : 24 * 60;
            if (s.h < 12 && ext_span(x, "am", &ps, &pe) && (s.h + 12) * 60 + s.mi <= end)
                s.h += 12;
        }
        if (ext_span(x, "title", &s.ts, &s.te)) {
            s.ts = x->end;
            s.te = x->end;
        } else if (s.ts > li->start[s.line] && t->data[s.ts - 1] == '\t' &&
                   aside_column(ms, t, li, s.line, line_cell_at(t, li->start[s.line], s.ts)) &&
                   !place_column(ms, t, li, s.line, line_cell_at(t, li->start[s.line], s.ts) + 1)) {
            /* the place's or the people's cell: the title is the next one
             * ("Tid\tFöreläsare\tTitel", "Tid\tScen\tArtist"), unless
             * that one is a place ("Tid\tArtist\tScen": the artist names
             * the slot) */
            size_t e = line_end(li, t, s.line), n = s.te;
            while (n < e && t->data[n] != '\t')
                n++;
            while (n < e && (t->data[n] == '\t' || t->data[n] == ' '))
                n++;
            size_t ne = n;
            while (ne < e && t->data[ne] != '\t')
                ne++;
            while (ne > n && t->data[ne - 1] == ' ')
                ne--;
            if (ne > n) {
                s.ts = n;
                s.te = ne;
            }
        }
        /* "Tors 5/9\n10.30–11.00\nStadsbiblioteket, barnavdelningen": a
         * card's time over its place is when and where, not a slot. */
        if (s.shape == SHAPE_ALONE &&
            (ext_first_in(ms, FIELD_venue, s.ts, s.te) || ext_first_in(ms, FIELD_mode, s.ts, s.te)))
            continue; /* "12:00 - 13:00\nOnline": how, too */
        /* "kl 10.00–11.30     Café Mamsell, Storgatan 20, Hudiksvall": a
         * session's place, not a slot's title. */
        const ext_match *place = ext_first_in(ms, FIELD_venue, s.ts, s.te);
        size_t ns, ne;
        if (place && !ext_span(place, "name", &ns, &ne) && ns <= s.ts + 1 && ne + 1 >= s.te)
            continue;
        /* "10.40 Presskonferens och tid för enskilda intervjuer": a window
         * for the press, which the programme lists but which is no slot. */
        if (ext_first_in(ms, FIELD_slot_press, s.ts, s.te < s.ts + PRESS_WORD_REACH ? s.te : s.ts + PRESS_WORD_REACH))
            continue;
        /* "15\nMAR\n2026\nSÖN\n11:00–16:00\n\nFamiljesöndag: ...": a card's
         * time over the page's heading is the event's, not a slot. */
        if (s.shape == SHAPE_ALONE && rec->has_title && s.ts < rec->title_src.end && rec->title_src.start < s.te)
            continue;
        size_t row_end = line_end(li, t, s.line);
        if (!(s.te < row_end && memchr(t->data + s.te, '\t', row_end - s.te) && under_tracks(ms, t, li, s.line) &&
              push_track_cells(t, li, &s, out, &n)))
            res_push((void **)out, &n, sizeof s, &s);
        /* "18.15 och 19.00 Rundvandring": the item again at its second start. */
        int hb = ext_int(x, t, "hour_b", -1), mb = ext_int(x, t, "minute_b", 0);
        if (hb >= 0 && hb <= 24 && mb <= 59) {
            slot again = s;
            again.h = hb;
            again.mi = mb;
            again.h2 = -1;
            again.mi2 = 0;
            res_push((void **)out, &n, sizeof again, &again);
        }
    }
    return n;
}

static int collect_days(const ext_matches *ms, const evx_text *t, const evx_record *rec, day_mark **out)
{
    int n = 0;
    *out = NULL;
    for (int i = 0; i < ms->n; i++) {
        const ext_match *x = &ms->items[i];
        if (x->field != FIELD_day_heading)
            continue;
        day_mark d = {x->start, ""};
        heading_date(x, t, rec, d.date);
        res_push((void **)out, &n, sizeof d, &d);
    }
    return n;
}

/* ---- choosing ------------------------------------------------------- */

#define MINUTES_PER_DAY (25 * 60) /* hours run to 24 */

/* Slots are sorted by position, so the slots of one line are neighbours and
 * every test below looks at a bounded stretch or a per-minute table. */
static void choose(slot *s, int n)
{
    int firm = 0;
    for (int i = 0; i < n; i++)
        firm += s[i].shape == SHAPE_LINE || s[i].shape == SHAPE_ALONE;
    for (int i = 0; i < n; i++)
        s[i].keep = s[i].shape == SHAPE_LINE || (s[i].shape == SHAPE_ALONE && firm >= MIN_PROGRAMME);
    for (int i = 0; i < n; i++) {
        if (s[i].shape != SHAPE_FOLLOW)
            continue;
        for (int j = i - 1; j >= 0 && s[j].line == s[i].line && !s[i].keep; j--)
            s[i].keep = s[j].keep && s[j].shape == SHAPE_LINE;
        for (int j = i + 1; j < n && s[j].line == s[i].line && !s[i].keep; j++)
            s[i].keep = s[j].keep && s[j].shape == SHAPE_LINE;
    }
    unsigned char *taken = calloc(MINUTES_PER_DAY, 1); /* 1: a kept line slot, 2: an earlier inline one */
    for (int i = 0; i < n; i++)
        if (s[i].shape != SHAPE_INLINE && s[i].keep)
            taken[s[i].h * 60 + s[i].mi] |= 1;
    for (int i = 0; i < n; i++) {
        if (s[i].shape != SHAPE_INLINE)
            continue;
        int minute = s[i].h * 60 + s[i].mi;
        s[i].keep = !taken[minute];
        taken[minute] |= 2;
    }
    free(taken);
}

/* ---- titles and speakers -------------------------------------------- */

static int trim_char(unsigned char c) { return isspace(c) || strchr("-:;,.|(/", c) != NULL; }

/* Trims blanks and separators at both ends, a dash written as a
 * multibyte character (en or em dash) before the title, and one or an
 * ellipsis after it. */
static void trim_span(const char *d, size_t *s, size_t *e)
{
    for (;;) {
        if (*s < *e && trim_char((unsigned char)d[*s]) && d[*s] != '(')
            (*s)++;
        else if (*e - *s >= 3 && (unsigned char)d[*s] == 0xE2 && (unsigned char)d[*s + 1] == 0x80 &&
                 ((unsigned char)d[*s + 2] == 0x93 || (unsigned char)d[*s + 2] == 0x94))
            *s += 3;
        else
            break;
    }
    for (;;) {
        if (*e > *s && trim_char((unsigned char)d[*e - 1]))
            (*e)--;
        else if (*e - *s >= 3 && (unsigned char)d[*e - 3] == 0xE2 && (unsigned char)d[*e - 2] == 0x80 &&
                 ((unsigned char)d[*e - 1] == 0x93 || (unsigned char)d[*e - 1] == 0x94 ||
                  (unsigned char)d[*e - 1] == 0xA6)) /* "…", before a speaker cut off */
            *e -= 3;
        else
            break;
    }
}

/* The end of the last slot's description: a few written lines after its
 * title, not across a gap of two blank lines. */
static size_t description_end(const slot *sl, const line_index *li, const evx_text *t)
{
    int seen = 0, blanks = 0;
    for (int l = line_of(li, sl->te) + 1; l < li->n; l++) {
        if (line_blank(li, t, l)) {
            if (++blanks == 2)
                return li->start[l];
            continue;
        }
        blanks = 0;
        if (++seen > LAST_SLOT_LINES)
            return li->start[l];
    }
    return t->len;
}

/* The first match of field f that starts after pos, or NULL: matches are
 * sorted by field, then start. */
static const ext_match *first_after(const ext_matches *ms, evx_field f, size_t pos)
{
    int lo = 0, hi = ms->n;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        const ext_match *x = &ms->items[mid];
        if (x->field < f || (x->field == f && x->start <= pos))
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < ms->n && ms->items[lo].field == f ? &ms->items[lo] : NULL;
}

/* Where the slot's own text ends: the next kept slot, day heading or text
 * that names no speakers (a contact heading), else the end of its
 * description. A slot in running text owns its own words only. */
static size_t region_end(const slot *s, int n, int i, const ext_matches *ms, const line_index *li,
                         const evx_text *t)
{
    if (s[i].shape == SHAPE_INLINE)
        return s[i].x->end;
    size_t end = description_end(&s[i], li, t);
    for (int j = i + 1; j < n; j++)
        if (s[j].keep) {
            if (s[j].x->start < end)
                end = s[j].x->start;
            break;
        }
    const ext_match *x = first_after(ms, FIELD_day_heading, s[i].te);
    if (x && x->start < end)
        end = x->start;
    x = first_after(ms, FIELD_speaker_skip, s[i].te);
    if (x && x->start < end)
        end = x->start;
    return end;
}

/* Where the speaker's name is written inside [from, to): its own span, or
 * a later mention of the same name (a name listed once above the
 * programme and again on its slot line). SIZE_MAX when it is not. */
static size_t mention_in(const res_speaker *sp, const evx_text *t, size_t from, size_t to)
{
    if (sp->src.start >= from && sp->src.end <= to)
        return sp->src.start;
    size_t n = strlen(sp->name);
    for (size_t i = from; n && i + n <= to; i++)
        if (t->data[i] == sp->name[0] && !memcmp(t->data + i, sp->name, n))
            return i;
    return SIZE_MAX;
}

/* Where a speaker's mention at `at` begins with the role written right
 * before the name ("Inledning, moderator Emma Karlsson"), else at. */
static size_t with_role_before(const res_speaker *sp, const evx_text *t, size_t from, size_t at)
{
    size_t n = sp->role ? strlen(sp->role) : 0, k = at;
    while (k > from && (t->data[k - 1] == ' ' || t->data[k - 1] == '\t'))
        k--;
    return n && k < at && k >= from + n && !memcmp(t->data + k - n, sp->role, n) ? k - n : at;
}

/* Links the speakers and returns the one whose name opens the title, or
 * NULL. */
static const char *link_speakers(res_agenda *a, const slot *sl, size_t from, size_t to, const evx_record *rec,
                                 const evx_text *t, size_t *te, size_t *name_end)
{
    const char *lead = NULL;
    for (int k = 0; k < rec->n_speakers; k++) {
        const res_speaker *sp = &rec->speakers[k];
        size_t at = sp->name ? mention_in(sp, t, from, to) : SIZE_MAX;
        if (at == SIZE_MAX)
            continue;
        a->speakers = realloc(a->speakers, sizeof(char *) * (size_t)(a->nspeakers + 1));
        a->speakers[a->nspeakers++] = res_strndup_trim(sp->name, strlen(sp->name));
        /* A speaker named inside the title is not part of it, nor the
         * word that led to them ("Invigningstal av", "... med"). */
        if (at >= sl->ts && at < *te) {
            lead = at == sl->ts ? sp->name : lead;
            *te = res_drop_connective(t->data, sl->ts, with_role_before(sp, t, sl->ts, at));
            *name_end = at + strlen(sp->name);
        }
    }
    return lead;
}

/* Is [s, e) one word in lower case ("håller", "berättar")? */
static int lone_lower_word(const char *d, size_t s, size_t e)
{
    if (s >= e || !(islower((unsigned char)d[s]) || (unsigned char)d[s] >= 0xC3))
        return 0;
    for (size_t i = s; i < e; i++)
        if (isspace((unsigned char)d[i]) || isupper((unsigned char)d[i]))
            return 0;
    return 1;
}

/* Where the title goes on after the name that opens it and a colon or a
 * dash ("Elin Ståhl: Från ...", "Anna Ek – Brev", also with the
 * organisation between: "Anna Ek, SLU: Brev"); 0 when it does not. */
static size_t after_name_label(const evx_text *t, size_t s, size_t e, const char *name)
{
    size_t n = strlen(name), p = s + n;
    if (p >= e || memcmp(t->data + s, name, n))
        return 0;
    while (p < e && (t->data[p] == ' ' || t->data[p] == '\t'))
        p++;
    /* "Karin Sjölander, Institutionen för medicin: Sömn och hälsa": the
     * organisation after the name, then the talk */
    if (p < e && t->data[p] == ',') {
        size_t q = p + 1;
        while (q < e && q - p <= NAME_ORG_REACH && t->data[q] != ':' && t->data[q] != ',')
            q++;
        if (q < e && t->data[q] == ':')
            p = q;
    }
    if (p < e && t->data[p] == ':')
        p++;
    else if (p + 3 <= e && !memcmp(t->data + p, "\xE2\x80", 2) &&
             ((unsigned char)t->data[p + 2] == 0x93 || (unsigned char)t->data[p + 2] == 0x94))
        p += 3;
    else
        return 0;
    while (p < e && (t->data[p] == ' ' || t->data[p] == '\t'))
        p++;
    return p < e ? p : 0;
}

static void date_of(const slot *s, const day_mark *days, int nd, const evx_record *rec, char *out)
{
    out[0] = '\0';
    for (int j = 0; j < nd; j++)
        if (days[j].start < s->x->start && days[j].date[0])
            memcpy(out, days[j].date, 11);
    if (out[0] || !rec->n_occurrences)
        return;
    for (int i = 1; i < rec->n_occurrences; i++)
        if (strcmp(rec->occurrences[i].date, rec->occurrences[0].date))
            return; /* several days and no heading: the day is unknown */
    memcpy(out, rec->occurrences[0].date, 11);
}

static void emit_slot(const slot *s, int n, int i, const day_mark *days, int nd, const ext_matches *ms,
                      const line_index *li, const evx_text *t, evx_record *rec)
{
    const slot *sl = &s[i];
    res_agenda a = {0};
    res_fmt_hhmm(a.start, sl->h, sl->mi);
    if (sl->h2 >= 0)
        res_fmt_hhmm(a.end, sl->h2, sl->mi2);
    date_of(sl, days, nd, rec, a.date);
    size_t from = sl->cell ? sl->ts : sl->shape == SHAPE_INLINE ? sl->x->start : li->start[sl->line];
    size_t to = sl->cell ? sl->te : region_end(s, n, i, ms, li, t);
    size_t ts = sl->ts, te = sl->te, full_s = sl->ts, full_e = sl->te;
    size_t name_end = 0;
    const char *lead = link_speakers(&a, sl, from, to, rec, t, &te, &name_end);
    trim_span(t->data, &ts, &te);
    trim_span(t->data, &full_s, &full_e);
    /* "Kl. 14.00 håller botanikern Gunnel Åström ett föredrag om ängens
     * blommor": a sentence, its verb before the speaker; the title is what
     * the speaker gives, after the name and its article. */
    if (name_end && name_end < full_e && lone_lower_word(t->data, ts, te)) {
        size_t p = name_end;
        while (p < full_e && (t->data[p] == ' ' || t->data[p] == '\t'))
            p++;
        size_t w = p;
        while (w < full_e && islower((unsigned char)t->data[w]))
            w++;
        if (w > p && w - p <= ARTICLE_BYTES && w < full_e && t->data[w] == ' ')
            p = w + 1;
        if (p < full_e && islower((unsigned char)t->data[p]))
            ts = p, te = full_e;
    }
    size_t after = lead ? after_name_label(t, full_s, full_e, lead) : 0;
    /* "17.15 Elin Ståhl: Från juniorlandslaget till VM": the talk after the
     * name is the title; a slot labelled only by a name has the name. */
    if (ts >= te && after)
        a.title = res_strndup_trim(t->data + after, full_e - after);
    else if (ts >= te && lead)
        a.title = res_strndup_trim(lead, strlen(lead));
    else if (ts >= te)
        a.title = res_strndup_trim(t->data + full_s, full_e - full_s);
    else
        a.title = res_strndup_trim(t->data + ts, te - ts);
    a.src = (res_src){sl->x->start, sl->x->end, sl->x->rule->src->name};
    res_push((void **)&rec->agenda, &rec->n_agenda, sizeof a, &a);
}

void res_programme(const ext_matches *ms, const evx_text *t, evx_record *rec)
{
    line_index li;
    lines_build(&li, t);
    slot *s;
    day_mark *days;
    int n = collect_slots(ms, t, &li, rec, &s);
    int nd = collect_days(ms, t, rec, &days);
    choose(s, n);
    for (int i = 0; i < n; i++)
        if (s[i].keep)
            emit_slot(s, n, i, days, nd, ms, &li, t, rec);
    free(s);
    free(days);
    lines_free(&li);
}
