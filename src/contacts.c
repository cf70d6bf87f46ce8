/* contacts.c - contacts and organisers (see resolve.h).
 *
 * Contacts: the rules of rules/contacts.rules find the pieces (e-mail
 * addresses, phone numbers, person names, contact labels) and say which is
 * which with `set kind=...`. This file groups them into contacts: a name with
 * the e-mail and phone that follow it on its line or in the block under a
 * contact label, an e-mail with the name it spells ("anna.berg@..." belongs
 * to Anna Berg), and bare addresses and numbers on their own. A name is only
 * a contact when such a tie exists; names elsewhere are someone else's job.
 *
 * Organisers: the rules capture a list of organisations (`orgs`, `orgs2`);
 * the list is split on commas and the rule's conjunctions (`set join`). */
#include "resolve.h"
#include "lines.h"
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* How far (bytes) a name may sit before the e-mail or phone it goes with on
 * the same line, and how far back an e-mail looks for the name it spells. */
#define NAME_GAP 90
#define SPELL_BACK 800
/* A contact label governs this many non-blank lines after it, stopping at a
 * line this long (running text ends a contact block). */
#define ZONE_LINES 10
#define ZONE_LONG_LINE 200
/* National significant number: digits after +46 or the trunk 0. */
#define PHONE_MIN 7
#define PHONE_MAX 10
#define LOCAL_MIN 5 /* digits of a number written without its area code */
#define LOCAL_MAX 6

typedef enum { P_EMAIL, P_PHONE, P_NAME, P_LABEL, P_ROLE } piece_kind;

typedef struct {
    piece_kind kind;
    const ext_match *x;
    size_t s, e;      /* the value's span (capture), or the match */
    size_t rs, re;    /* a name's span with its role */
    int line;
    int line_only;    /* a name that fills its line */
    int cue;          /* a name after a contact verb or role */
    int local;        /* a phone number without its area code */
    int zone;         /* contact block it lies in, 0 for none */
    char *value;      /* normalised e-mail / phone digits / name */
} piece;

typedef struct {
    int name, email, phone; /* piece indexes or -1 */
    int role;               /* a role line under the name, or -1 */
    int last_line;          /* line of the piece added last */
    int last_zone;
    size_t start, end;
} group;

/* ---- lines ---------------------------------------------------------- */

static int next_filled(const line_index *li, const evx_text *t, int line)
{
    for (line++; line < li->n && line_blank(li, t, line); line++)
        ;
    return line;
}

/* ---- values --------------------------------------------------------- */

/* Lower-case ASCII and fold the Latin letters with diacritics that Swedish
 * names use onto their base letter, so "Håkan" spells as "hakan" in an
 * address. Other bytes are copied. */
static char *fold(const char *s, size_t n)
{
    static const struct { const char *from; char to; } map[] = {
        {"å", 'a'}, {"ä", 'a'}, {"á", 'a'}, {"à", 'a'}, {"ö", 'o'}, {"ø", 'o'}, {"ó", 'o'},
        {"é", 'e'}, {"è", 'e'}, {"ë", 'e'}, {"ü", 'u'}, {"ú", 'u'}, {"í", 'i'}, {"æ", 'a'},
        {"Å", 'a'}, {"Ä", 'a'}, {"Ö", 'o'}, {"Ø", 'o'}, {"É", 'e'}, {"Ü", 'u'}, {"Æ", 'a'},
    };
    char *out = malloc(n + 1);
    size_t k = 0;
    for (size_t i = 0; i < n;) {
        if (!((unsigned char)s[i] & 0x80)) { /* every key of map starts with a non-ASCII byte */
            out[k++] = (char)tolower((unsigned char)s[i++]);
            continue;
        }
        size_t j;
        for (j = 0; j < sizeof map / sizeof map[0]; j++) {
            size_t l = strlen(map[j].from);
            if (i + l <= n && !memcmp(s + i, map[j].from, l)) {
                out[k++] = map[j].to;
                i += l;
                break;
            }
        }
        if (j == sizeof map / sizeof map[0]) {
            out[k++] = (char)tolower((unsigned char)s[i]);
            i++;
        }
    }
    out[k] = '\0';
    return out;
}

/* The address without the white space of a wrapped line; in a hidden
 * address ("anna [dot] berg [at] x [dot] se") the `at` capture becomes "@"
 * and every other bracketed token a dot. Lower-cased for comparing. */
static char *email_value(const ext_match *x, const evx_text *t, size_t s, size_t e)
{
    size_t as = 0, ae = 0;
    int hidden = ext_span(x, "at", &as, &ae) == 0;
    char *out = malloc(e - s + 1);
    size_t k = 0;
    for (size_t i = s; i < e; i++) {
        char c = t->data[i];
        if (hidden && i == as) {
            out[k++] = '@';
            i = ae - 1;
        } else if (hidden && (c == '[' || c == '(')) {
            while (k && out[k - 1] == ' ')
                k--;
            out[k++] = '.';
            while (i < e && t->data[i] != ']' && t->data[i] != ')')
                i++;
        } else if (!isspace((unsigned char)c)) {
            out[k++] = c;
        }
    }
    out[k] = '\0';
    return out;
}

/* The national significant number (digits after +46 / 0046 / the trunk 0,
 * and after a "(0)"), or NULL when the digit count is not a Swedish number. */
/* A local number without its area code ("ring Gunnel 210 33"), as rural
 * pages write them: its digits, or NULL unless there are LOCAL_MIN to
 * LOCAL_MAX of them, the first not a trunk 0. */
static char *local_digits(const char *s, size_t n)
{
    char *d = malloc(n + 1);
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (isdigit((unsigned char)s[i]))
            d[k++] = s[i];
    d[k] = '\0';
    if (k < LOCAL_MIN || k > LOCAL_MAX || d[0] == '0') {
        free(d);
        return NULL;
    }
    return d;
}

static char *phone_digits(const char *s, size_t n)
{
    char *d = malloc(n + 1);
    size_t k = 0;
    int intl = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '+')
            intl = 1;
        if (s[i] == '(' && i + 2 < n && s[i + 1] == '0' && s[i + 2] == ')') {
            i += 2; /* "+46 (0)31": the 0 is not dialled from abroad */
            continue;
        }
        if (isdigit((unsigned char)s[i]))
            d[k++] = s[i];
    }
    d[k] = '\0';
    size_t skip = 0;
    if (intl && k >= 2 && !strncmp(d, "46", 2))
        skip = 2;
    else if (k >= 4 && !strncmp(d, "0046", 4))
        skip = 4;
    if (skip && d[skip] == '0')
        skip++;
    if (!skip && d[0] == '0')
        skip = 1;
    size_t nsn = k - skip;
    if (!skip || nsn < PHONE_MIN || nsn > PHONE_MAX) {
        free(d);
        return NULL;
    }
    memmove(d, d + skip, nsn + 1);
    return d;
}

/* ---- pieces --------------------------------------------------------- */

static int capture(const ext_match *x, const char *name, size_t *s, size_t *e)
{
    if (ext_span(x, name, s, e) == 0)
        return 1;
    *s = x->start, *e = x->end;
    return 0;
}

/* One piece from a contact match; 0 when it is not one (skip, bad number). */
static int piece_from(const ext_match *x, const evx_text *t, const line_index *li, piece *p)
{
    char buf[32];
    const char *kind = ext_value(x, t, "kind", buf, sizeof buf);
    memset(p, 0, sizeof *p);
    p->x = x;
    if (!kind)
        return 0;
    if (!strcmp(kind, "email")) {
        p->kind = P_EMAIL;
        capture(x, "email", &p->s, &p->e);
        p->value = email_value(x, t, p->s, p->e);
        char *low = fold(p->value, strlen(p->value));
        free(p->value);
        p->value = low;
    } else if (!strcmp(kind, "phone")) {
        p->kind = P_PHONE;
        capture(x, "phone", &p->s, &p->e);
        p->local = ext_value(x, t, "local", buf, sizeof buf) != NULL;
        if (!(p->value = p->local ? local_digits(t->data + p->s, p->e - p->s) : phone_digits(t->data + p->s, p->e - p->s)))
            return 0;
    } else if (!strcmp(kind, "name")) {
        p->kind = P_NAME;
        capture(x, "name", &p->s, &p->e);
        p->value = res_strndup_trim(t->data + p->s, p->e - p->s);
        p->line_only = ext_value(x, t, "line", buf, sizeof buf) != NULL;
        p->cue = p->line_only || ext_value(x, t, "cue", buf, sizeof buf) != NULL;
        size_t rs, re;
        if (ext_span(x, "role", &rs, &re) == 0)
            p->rs = rs < p->s ? rs : p->s, p->re = re > p->e ? re : p->e;
        else
            p->rs = p->s, p->re = p->e;
    } else if (!strcmp(kind, "role")) {
        p->kind = P_ROLE;
        capture(x, "role", &p->s, &p->e);
    } else if (!strcmp(kind, "label")) {
        p->kind = P_LABEL;
        p->s = x->start, p->e = x->end;
    } else {
        return 0;
    }
    p->line = line_of(li, p->s);
    return 1;
}

/* Marks the lines each contact label governs with its zone number. A
 * heading over speakers ("Medverkande") ends a zone: the names under it
 * are the programme's, not people to ask (stop[line] set). */
static void mark_zones(piece *ps, int n, const line_index *li, const evx_text *t, const unsigned char *stop, int *zone)
{
    int id = 0;
    for (int i = 0; i < n; i++) {
        if (ps[i].kind != P_LABEL)
            continue;
        id++;
        int line = ps[i].line;
        zone[line] = id;
        for (int k = 0; k < ZONE_LINES; k++) {
            line = next_filled(li, t, line);
            if (line >= li->n || line_end(li, t, line) - li->start[line] > ZONE_LONG_LINE || (stop && stop[line]))
                break;
            zone[line] = id;
        }
    }
    for (int i = 0; i < n; i++)
        ps[i].zone = zone[ps[i].line];
}

/* ---- grouping ------------------------------------------------------- */

typedef struct {
    piece *ps;
    int n;
    group *gs;
    int ng;
    const line_index *li;
    const evx_text *t;
} grouper;

static int find_group(const grouper *g, piece_kind kind, const char *value)
{
    for (int i = 0; i < g->ng; i++) {
        int k = kind == P_EMAIL ? g->gs[i].email : kind == P_PHONE ? g->gs[i].phone : g->gs[i].name;
        if (k >= 0 && !strcmp(g->ps[k].value, value))
            return i;
    }
    return -1;
}

static int new_group(grouper *g)
{
    group z = {-1, -1, -1, -1, -1, 0, (size_t)-1, 0};
    res_push((void **)&g->gs, &g->ng, sizeof z, &z);
    return g->ng - 1;
}

static void add_piece(grouper *g, int gi, int pi)
{
    group *G = &g->gs[gi];
    const piece *p = &g->ps[pi];
    size_t s = p->kind == P_NAME ? p->rs : p->s, e = p->kind == P_NAME ? p->re : p->e;
    if (p->kind == P_EMAIL)
        G->email = pi;
    else if (p->kind == P_ROLE)
        G->role = pi;
    else if (p->kind == P_PHONE)
        G->phone = pi;
    else
        G->name = pi;
    G->last_line = p->line;
    G->last_zone = p->zone;
    if (s < G->start)
        G->start = s;
    if (e > G->end)
        G->end = e;
}

/* The group of name piece ni, made when the name has none yet. */
static int group_of_name(grouper *g, int ni)
{
    int gi = find_group(g, P_NAME, g->ps[ni].value);
    if (gi < 0)
        add_piece(g, gi = new_group(g), ni);
    return gi;
}

/* Every word of the name (folded) occurs in the address before its '@':
 * a domain names the organisation ("biljett@teaternorrsken.se" is not
 * Teater Norrsken's). */
static int spells(const char *name, const char *email)
{
    const char *at = strchr(email, '@');
    char *local = at ? res_strndup_trim(email, (size_t)(at - email)) : res_strndup_trim(email, strlen(email));
    char *f = fold(name, strlen(name));
    int ok = 1, words = 0;
    char *save = NULL;
    for (char *w = strtok_r(f, " -", &save); w; w = strtok_r(NULL, " -", &save)) {
        words++;
        if (strlen(w) < 2 || !strstr(local, w))
            ok = 0;
    }
    free(f);
    free(local);
    return ok && words >= 2;
}

/* The name an e-mail spells, searching back from piece pi. */
static int spelled_name(const grouper *g, int pi)
{
    const piece *p = &g->ps[pi];
    for (int i = pi - 1; i >= 0 && g->ps[i].e + SPELL_BACK > p->s; i--)
        if (g->ps[i].kind == P_NAME && spells(g->ps[i].value, p->value))
            return i;
    return -1;
}

/* Whether the UTF-8 character at s starts with a capital: ASCII or
 * Latin-1 (Å, Ä, Ö, É ...), the capitals that open Swedish sentences. */
static int capital_at(const unsigned char *s, size_t n)
{
    if (n && s[0] >= 'A' && s[0] <= 'Z')
        return 1;
    return n >= 2 && s[0] == 0xC3 && s[1] >= 0x80 && s[1] <= 0x9E && s[1] != 0x97;
}

/* Text between a and b holds a sentence end: ". " (or "!", "?") and a
 * capital. "tel. 0506-180 00" and "ca. 20 min" are abbreviations, not ends. */
static int sentence_between(const evx_text *t, size_t a, size_t b)
{
    const unsigned char *d = (const unsigned char *)t->data;
    for (size_t i = a; i + 1 < b; i++) {
        if ((d[i] != '.' && d[i] != '!' && d[i] != '?') || d[i + 1] != ' ')
            continue;
        size_t k = i + 1; /* what follows may be the piece at b itself */
        while (k < t->len && d[k] == ' ')
            k++;
        if (k >= t->len || capital_at(d + k, t->len - k))
            return 1;
    }
    return 0;
}

/* The name right before piece pi that it goes with: on its line, close, in
 * the same sentence, nothing but names between; or a name filling the line
 * just above. */
static int leading_name(const grouper *g, int pi)
{
    const piece *p = &g->ps[pi];
    for (int i = pi - 1; i >= 0; i--) {
        const piece *q = &g->ps[i];
        if (q->kind == P_LABEL)
            continue;
        if (q->kind != P_NAME)
            return -1;
        if (q->line == p->line)
            return q->e + NAME_GAP >= p->s && !sentence_between(g->t, q->e, p->s) ? i : -1;
        return q->line_only && next_filled(g->li, g->t, q->line) == p->line ? i : -1;
    }
    return -1;
}

/* Does piece p's value fill its line, but for white space? */
static int alone_on_line(const grouper *g, const piece *p)
{
    size_t s = g->li->start[p->line], e = line_end(g->li, g->t, p->line);
    while (s < e && (g->t->data[s] == ' ' || g->t->data[s] == '\t'))
        s++;
    while (e > s && (g->t->data[e - 1] == ' ' || g->t->data[e - 1] == '\t' || g->t->data[e - 1] == '\r'))
        e--;
    return s == p->s && e == p->e;
}

/* Whether piece p continues group gi: same line, same contact block, the
 * next line of a block that a name opened, or a named person's card of
 * lines ("... till kursledare Samira Haddou." / "samira.haddou@sv.se" /
 * "070-225 41 90"): an address alone on its line, the next one alone on
 * the next. */
static int near(const grouper *g, int gi, const piece *p)
{
    const group *G = &g->gs[gi];
    if (G->last_line == p->line)
        return 1;
    if (p->zone && G->last_zone == p->zone)
        return 1;
    if (G->name < 0 || next_filled(g->li, g->t, G->last_line) != p->line)
        return 0;
    if (g->ps[G->name].line_only)
        return 1;
    int last = G->email >= 0 && g->ps[G->email].line == G->last_line   ? G->email
               : G->phone >= 0 && g->ps[G->phone].line == G->last_line ? G->phone
                                                                        : -1;
    return last >= 0 && p->kind != P_NAME && alone_on_line(g, &g->ps[last]) && alone_on_line(g, p);
}

static int slot(const group *G, piece_kind k) { return k == P_EMAIL ? G->email : G->phone; }

/* Some word of the name (folded, three letters or more) in the address,
 * domain and all ("Fredrik Holm (info@fredrikholm.nu)"). */
static int mentions(const char *name, const char *email)
{
    char *f = fold(name, strlen(name)), *save = NULL;
    int found = 0;
    for (char *w = strtok_r(f, " -", &save); w && !found; w = strtok_r(NULL, " -", &save))
        found = strlen(w) >= 3 && strstr(email, w);
    free(f);
    return found;
}

/* "projektledare Amir Haddad, amir.haddad@..., 0700-41 26 93. Du kan också
 * skriva till hej@hackaboras.se", "till Gunnel Ström, tel. 070-943 12 87.
 * Du kan också anmäla dig via e-post: program@...": an e-mail after a
 * person who has one already, or in a later sentence or paragraph that
 * does not name the person, is an address of its own. (In the same
 * sentence, "Ring Karin på 070-... eller mejla ljusdal@...", it is hers.) */
static int anothers_address(const grouper *g, int gi, int pi)
{
    const group *G = &g->gs[gi];
    const piece *p = &g->ps[pi];
    if (p->kind != P_EMAIL || G->name < 0)
        return 0;
    if (G->email >= 0)
        return strcmp(g->ps[G->email].value, p->value) != 0;
    const piece *n = &g->ps[G->name];
    if (mentions(n->value, p->value))
        return 0;
    if (n->line == p->line)
        return p->s > n->e && sentence_between(g->t, n->e, p->s);
    /* "Maria Sandell\nTelefon: 018-617 34 52\n\nÖvriga frågor: mejla
     * grandround.medicin@...": a paragraph of its own. */
    for (int l = G->last_line + 1; l < p->line; l++)
        if (line_blank(g->li, g->t, l))
            return 1;
    return 0;
}

/* An e-mail or phone: joins its name's group, the current group, or opens
 * one of its own. An address said twice stays in its first group, unless
 * that group has no name and the second mention is a named person's
 * ("Anmäl dig till annika.forsberg@..." in the text, then "Annika
 * Forsberg / Telefon / E-post: annika.forsberg@..." under "Kontakt"): an
 * e-mail next to a name, or spelling it, moves to the person (a number
 * said twice is more often a desk's: "Kontaktcenter, 016-..."). Returns
 * the group. */
static int place_address(grouper *g, int pi, int cur)
{
    piece *p = &g->ps[pi];
    int twice = find_group(g, p->kind, p->value);
    if (twice >= 0 && (g->gs[twice].name >= 0 || p->kind != P_EMAIL))
        return twice;
    int target = -1;
    int ni = p->kind == P_EMAIL ? spelled_name(g, pi) : -1;
    if (ni < 0)
        ni = leading_name(g, pi);
    if (ni >= 0) {
        int gi = group_of_name(g, ni);
        if (slot(&g->gs[gi], p->kind) < 0)
            target = gi;
    }
    if (twice >= 0) {
        if (target < 0 || target == twice)
            return twice;
        g->gs[twice].email = -1;
        add_piece(g, target, pi);
        return target;
    }
    if (target < 0 && cur >= 0 && near(g, cur, p) && !anothers_address(g, cur, pi)) {
        if (slot(&g->gs[cur], p->kind) < 0)
            target = cur;
        else if (g->gs[cur].last_line == p->line)
            return cur; /* a second number for the same person */
    }
    if (target < 0)
        target = new_group(g);
    add_piece(g, target, pi);
    return target;
}

#define SIDE_BY_SIDE_BYTES 24 /* "073-456 78 90 eller malin@...": one person's two ways */
#define SIDE_BY_SIDE_GROUPS 4 /* how many groups either side of a number its address may be */

/* Are pieces a and b on one line, at most SIDE_BY_SIDE_BYTES apart, with
 * no sentence ending between them? */
static int side_by_side(const grouper *g, int a, int b)
{
    const piece *p = &g->ps[a], *q = &g->ps[b];
    if (p->line != q->line)
        return 0;
    size_t from = p->e < q->s ? p->e : q->e, to = p->e < q->s ? q->s : p->s;
    if (to < from || to - from > SIDE_BY_SIDE_BYTES)
        return 0;
    for (size_t i = from; i < to; i++)
        if (strchr(".!?", g->t->data[i]))
            return 0;
    return 1;
}

/* "till Malin, sms 073-456 78 90 eller malin.akesson@..." under
 * "Instruktör: Malin Åkesson": a number alone in its group, on the line of
 * an address whose group has no number, is that person's. */
static void join_phone_to_mail_line(grouper *g)
{
    char *joined = calloc((size_t)(g->ng ? g->ng : 1), 1);
    if (!joined)
        return; /* out of memory: the groups stay as they are */
    for (int i = 0; i < g->ng; i++) {
        const group *A = &g->gs[i];
        if (A->phone < 0 || A->name >= 0 || A->email >= 0)
            continue;
        /* Groups are made in text order: the address is among the groups
         * next to the number's (which keeps a page of many numbers linear). */
        int from = i > SIDE_BY_SIDE_GROUPS ? i - SIDE_BY_SIDE_GROUPS : 0;
        int to = i + SIDE_BY_SIDE_GROUPS < g->ng ? i + SIDE_BY_SIDE_GROUPS + 1 : g->ng;
        for (int k = from; k < to && !joined[i]; k++) {
            const group *B = &g->gs[k];
            if (k != i && !joined[k] && B->email >= 0 && B->phone < 0 && side_by_side(g, A->phone, B->email)) {
                add_piece(g, k, A->phone);
                joined[i] = 1;
            }
        }
    }
    int kept = 0;
    for (int i = 0; i < g->ng; i++)
        if (!joined[i])
            g->gs[kept++] = g->gs[i];
    g->ng = kept;
    free(joined);
}

static void group_pieces(grouper *g)
{
    int cur = -1;
    for (int i = 0; i < g->n; i++) {
        piece *p = &g->ps[i];
        if (p->kind == P_NAME && p->zone && p->cue)
            cur = group_of_name(g, i);
        else if (p->kind == P_ROLE && cur >= 0 && g->gs[cur].role < 0 && g->gs[cur].name >= 0 &&
                 p->zone && g->gs[cur].last_zone == p->zone &&
                 next_filled(g->li, g->t, g->ps[g->gs[cur].name].line) == p->line)
            add_piece(g, cur, i); /* "Anna Berg\nHandläggare" */
        else if (p->kind == P_EMAIL || p->kind == P_PHONE)
            cur = place_address(g, i, cur);
    }
    join_phone_to_mail_line(g);
}

static char *dup_or_null(const piece *ps, int i)
{
    return i >= 0 ? res_strndup_trim(ps[i].value, strlen(ps[i].value)) : NULL;
}

static char *e164(const char *nsn)
{
    char *s = malloc(strlen(nsn) + 4);
    strcpy(s, "+46");
    strcat(s, nsn);
    return s;
}

static void emit_groups(const grouper *g, const evx_text *t, evx_record *rec)
{
    for (int i = 0; i < g->ng; i++) {
        const group *G = &g->gs[i];
        if (G->name < 0 && G->email < 0 && G->phone < 0)
            continue; /* its address moved to the person it belongs to */
        res_contact c = {0};
        const piece *first = &g->ps[G->name >= 0 ? G->name : G->email >= 0 ? G->email : G->phone];
        c.name = dup_or_null(g->ps, G->name);
        if (G->name >= 0) {
            size_t rs, re;
            if (ext_span(g->ps[G->name].x, "role", &rs, &re) == 0)
                c.role = res_strndup_trim(t->data + rs, re - rs);
        }
        if (!c.role && G->role >= 0)
            c.role = res_strndup_trim(t->data + g->ps[G->role].s, g->ps[G->role].e - g->ps[G->role].s);
        if (G->email >= 0)
            c.email = email_value(g->ps[G->email].x, t, g->ps[G->email].s, g->ps[G->email].e);
        if (G->phone >= 0) {
            const piece *p = &g->ps[G->phone];
            c.phone = res_strndup_trim(t->data + p->s, p->e - p->s);
            c.phone_e164 = p->local ? NULL : e164(p->value); /* no area code, no full number */
        }
        c.src = (res_src){G->start, G->end, first->x->rule->src->name};
        res_push((void **)&rec->contacts, &rec->n_contacts, sizeof c, &c);
    }
}

/* The numbers skip matches name (a switchboard): not a contact anywhere in
 * the text, though a page repeats them under "Telefon". */
typedef struct {
    char **d;
    int n;
} numbers;

static void hidden_numbers(const ext_matches *ms, const evx_text *t, numbers *out)
{
    static const char *const caps[] = {"phone", "phone2"};
    char buf[32];
    for (int i = 0; i < ms->n; i++) {
        const ext_match *x = &ms->items[i];
        const char *kind = x->field == FIELD_contact ? ext_value(x, t, "kind", buf, sizeof buf) : NULL;
        if (!kind || strcmp(kind, "skip"))
            continue;
        for (size_t k = 0; k < sizeof caps / sizeof caps[0]; k++) {
            size_t s, e;
            char *d = ext_span(x, caps[k], &s, &e) ? NULL : phone_digits(t->data + s, e - s);
            if (d)
                res_push((void **)&out->d, &out->n, sizeof d, &d);
        }
    }
}

static int hidden(const numbers *h, const char *digits)
{
    for (int i = 0; i < h->n; i++)
        if (!strcmp(h->d[i], digits))
            return 1;
    return 0;
}

/* "Härnösands kommun    Kontaktcenter 0611-34 80 00    kommun@harnosand.se":
 * an address alone on the line of a site-wide desk's number (`set
 * site=yes`: switchboard, contact centre) is the desk's mailbox, like its
 * number. */
static void drop_desk_mailboxes(grouper *g, const ext_matches *ms, const line_index *li)
{
    for (int i = 0; i < ms->n; i++) {
        const ext_match *x = &ms->items[i];
        const char *site = x->field == FIELD_contact ? rule_set_value(x->rule, "site") : NULL;
        if (!site || strcmp(site, "yes"))
            continue;
        int line = line_of(li, x->start);
        for (int k = 0; k < g->ng; k++) {
            group *G = &g->gs[k];
            if (G->name < 0 && G->phone < 0 && G->email >= 0 && g->ps[G->email].line == line)
                G->email = -1;
        }
    }
}

void res_contacts(const ext_matches *ms, const evx_text *t, evx_record *rec)
{
    line_index li;
    lines_build(&li, t);
    grouper g = {0};
    numbers hid = {0};
    hidden_numbers(ms, t, &hid);
    g.li = &li;
    g.t = t;
    for (int i = 0; i < ms->n; i++) {
        piece p;
        if (ms->items[i].field != FIELD_contact)
            continue;
        if (piece_from(&ms->items[i], t, &li, &p) &&
            !(p.kind == P_PHONE && hidden(&hid, p.value)))
            res_push((void **)&g.ps, &g.n, sizeof p, &p);
        else
            free(p.value);
    }
    int *zone = calloc((size_t)li.n, sizeof(int));
    unsigned char *stop = calloc((size_t)li.n, 1);
    for (int i = 0; stop && i < ms->n; i++) {
        const char *kind = ms->items[i].field == FIELD_speaker ? rule_set_value(ms->items[i].rule, "kind") : NULL;
        if (kind && !strcmp(kind, "label"))
            stop[line_of(&li, ms->items[i].start)] = 1;
    }
    mark_zones(g.ps, g.n, &li, t, stop, zone);
    free(stop);
    group_pieces(&g);
    drop_desk_mailboxes(&g, ms, &li);
    emit_groups(&g, t, rec);
    for (int i = 0; i < g.n; i++)
        free(g.ps[i].value);
    free(g.ps);
    free(g.gs);
    for (int i = 0; i < hid.n; i++)
        free(hid.d[i]);
    free(hid.d);
    free(zone);
    lines_free(&li);
}

/* ---- organisers ----------------------------------------------------- */

/* Length of the list separator at s, or 0: a comma, or one of the words
 * of the rule's `set join=och|samt` between spaces. */
static size_t separator(const char *s, size_t n, const char *join)
{
    if (*s == ',')
        return n > 1 && s[1] == ' ' ? 2 : 1;
    if (*s != ' ' || !join)
        return 0;
    for (const char *w = join; *w;) {
        size_t l = strcspn(w, "|");
        if (l + 2 <= n && !memcmp(s + 1, w, l) && s[l + 1] == ' ')
            return l + 2;
        w += l + (w[l] == '|');
    }
    return 0;
}

static void push_org(evx_record *rec, const evx_text *t, size_t s, size_t e, const char *rule)
{
    while (s < e && isspace((unsigned char)t->data[s]))
        s++;
    while (e > s && (isspace((unsigned char)t->data[e - 1]) || t->data[e - 1] == '.'))
        e--;
    if (s == e)
        return;
    char *name = res_strndup_trim(t->data + s, e - s);
    for (int i = 0; i < rec->n_organizers; i++)
        if (!strcmp(rec->organizers[i].name, name)) {
            free(name);
            return;
        }
    res_organizer o = {name, {s, e, rule}};
    res_push((void **)&rec->organizers, &rec->n_organizers, sizeof o, &o);
}

static void split_orgs(evx_record *rec, const evx_text *t, size_t s, size_t e, const ext_match *x)
{
    const char *rule = x->rule->src->name, *join = rule_set_value(x->rule, "join");
    size_t from = s;
    for (size_t i = s; i < e;) {
        size_t l = separator(t->data + i, e - i, join);
        if (l) {
            push_org(rec, t, from, i, rule);
            from = i += l;
        } else {
            i++;
        }
    }
    push_org(rec, t, from, e, rule);
}

void res_organizers(const ext_matches *ms, const evx_text *t, evx_record *rec)
{
    static const char *const caps[] = {"orgs", "orgs2"};
    for (int i = 0; i < ms->n; i++) {
        const ext_match *x = &ms->items[i];
        if (x->field != FIELD_organizer)
            continue;
        for (size_t k = 0; k < sizeof caps / sizeof caps[0]; k++) {
            size_t s, e;
            if (ext_span(x, caps[k], &s, &e) == 0)
                split_orgs(rec, t, s, e, x);
        }
    }
}
