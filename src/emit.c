/* emit.c - builds, serialises and writes records. */
#include "emit.h"
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "jsonout.h"
#include "output.h"
#include "text.h"

json_t *emit_string(const char *s)
{
    json_t *j = json_string(s);
    if (j)
        return j;
    /* Not UTF-8 (a file name in Latin-1, say): each bad byte becomes U+FFFD
     * so the name still says which input it was. */
    size_t n = strlen(s), k = 0;
    char *buf = malloc(3 * n + 1);
    if (!buf)
        return json_string("?");
    for (size_t i = 0; i < n;) {
        size_t q = text_utf8_seq_len((const unsigned char *)s + i, n - i);
        if (q) {
            memcpy(buf + k, s + i, q);
            k += q;
            i += q;
        } else {
            memcpy(buf + k, "\xEF\xBF\xBD", 3);
            k += 3;
            i++;
        }
    }
    j = json_stringn(buf, k);
    free(buf);
    return j ? j : json_string("?");
}

json_t *emit_error(const char *source, const evx_error *e)
{
    json_t *err = json_object(), *j = json_object();
    json_object_set_new(err, "code", json_string(evx_code_name(e->code)));
    json_object_set_new(err, "message", emit_string(e->message));
    json_object_set_new(j, "source", emit_string(source));
    json_object_set_new(j, "error", err);
    return j;
}

/* Every key below is an ASCII literal: Jansson need not check it is UTF-8
 * (one check per member, ninety members per record). */
#define set_new(obj, key, v) json_object_set_new_nocheck((obj), (key), (v))

/* {"name": name}, or NULL when name is no JSON string (as json_pack gave):
 * the item is then left out. */
static json_t *named(const char *name)
{
    json_t *n = name ? json_string(name) : NULL, *o = n ? json_object() : NULL;
    if (!o) {
        json_decref(n);
        return NULL;
    }
    set_new(o, "name", n);
    return o;
}

static json_t *str_or_null(const char *s) { return s && *s ? json_string(s) : json_null(); }

/* Adds text, span and rule: the text as normalised, the span in original bytes. */
static json_t *with_src(json_t *obj, res_src src, const evx_text *t)
{
    size_t s = src.start <= t->len ? src.start : t->len, e = src.end <= t->len ? src.end : t->len;
    /* A span cut by a byte limit (resolve caps some lengths) is widened to
     * whole characters: the text must stay valid UTF-8 for JSON. */
    while (s > 0 && ((unsigned char)t->data[s] & 0xC0) == 0x80)
        s--;
    while (e < t->len && ((unsigned char)t->data[e] & 0xC0) == 0x80)
        e++;
    if (e < s)
        e = s;
    set_new(obj, "text", json_stringn(t->data + s, e - s));
    size_t a = t->orig[s], b = t->orig[e];
    if (b < a) /* HTML5 parsing moved text (out of a table): cover every source byte of the item */
        for (size_t i = s; i < e; i++) {
            a = t->orig[i] < a ? t->orig[i] : a;
            b = t->orig[i] + 1 > b ? t->orig[i] + 1 : b;
        }
    json_t *span = json_array();
    json_array_append_new(span, json_integer((json_int_t)a));
    json_array_append_new(span, json_integer((json_int_t)b));
    set_new(obj, "span", span);
    set_new(obj, "rule", json_string(src.rule ? src.rule : "resolve"));
    return obj;
}

static json_t *occurrence(const res_occurrence *o, const evx_text *t)
{
    json_t *j = json_object();
    set_new(j, "date", json_string(o->date));
    set_new(j, "start", str_or_null(o->start));
    set_new(j, "end", str_or_null(o->end));
    set_new(j, "start_datetime", str_or_null(o->start_dt));
    set_new(j, "end_datetime", str_or_null(o->end_dt));
    set_new(j, "city", str_or_null(o->city));
    return with_src(j, o->src, t);
}

static json_t *related(const res_occurrence *o, const evx_text *t)
{
    json_t *j = json_object();
    set_new(j, "date", json_string(o->date));
    set_new(j, "start", str_or_null(o->start));
    set_new(j, "end", str_or_null(o->end));
    set_new(j, "title", json_null());
    return with_src(j, o->src, t);
}

static json_t *cost(const evx_record *r, const evx_text *t)
{
    if (!r->has_cost)
        return json_null();
    json_t *j = json_object();
    set_new(j, "free", r->cost_free < 0 ? json_null() : json_boolean(r->cost_free));
    set_new(j, "amount", r->has_amount ? json_real(r->amount) : json_null());
    set_new(j, "currency", str_or_null(r->has_amount ? r->currency : NULL));
    return with_src(j, r->cost_src, t);
}

static json_t *agenda(const res_agenda *a, const evx_text *t)
{
    json_t *j = json_object(), *sp = json_array();
    set_new(j, "date", str_or_null(a->date));
    set_new(j, "start", json_string(a->start));
    set_new(j, "end", str_or_null(a->end));
    set_new(j, "title", json_string(a->title ? a->title : ""));
    for (int i = 0; i < a->nspeakers; i++)
        json_array_append_new(sp, json_string(a->speakers[i]));
    set_new(j, "speakers", sp);
    return with_src(j, a->src, t);
}

json_t *emit_record(const char *source, const evx_record *r, const evx_text *t, const char *warning)
{
    json_t *rec = json_object(), *a;
    set_new(rec, "schema_version", json_string(EVX_SCHEMA_VERSION));
    set_new(rec, "source", emit_string(source));
    set_new(rec, "title", r->has_title ? json_string(r->title) : json_null());
    set_new(rec, "title_source", r->has_title ? with_src(json_object(), r->title_src, t) : json_null());

    set_new(rec, "occurrences", a = json_array());
    for (int i = 0; i < r->n_occurrences; i++)
        json_array_append_new(a, occurrence(&r->occurrences[i], t));

    json_t *dl = json_null();
    if (r->has_deadline) {
        dl = json_object();
        set_new(dl, "date", json_string(r->deadline));
        with_src(dl, r->deadline_src, t);
    }
    set_new(rec, "deadline", dl);

    set_new(rec, "venues", a = json_array());
    for (int i = 0; i < r->n_venues; i++) {
        json_t *v = named(r->venues[i].name);
        set_new(v, "online", json_boolean(r->venues[i].online));
        json_array_append_new(a, with_src(v, r->venues[i].src, t));
    }
    set_new(rec, "mode", str_or_null(r->mode));
    set_new(rec, "cost", cost(r, t));
    set_new(rec, "status", json_string(r->status ? r->status : "scheduled"));
    set_new(rec, "status_source",
                        r->has_status_src ? with_src(json_object(), r->status_src, t) : json_null());

    set_new(rec, "speakers", a = json_array());
    for (int i = 0; i < r->n_speakers; i++) {
        const res_speaker *s = &r->speakers[i];
        json_t *j = json_object();
        set_new(j, "name", json_string(s->name));
        set_new(j, "role", str_or_null(s->role));
        set_new(j, "organization", str_or_null(s->organization));
        json_array_append_new(a, with_src(j, s->src, t));
    }
    set_new(rec, "agenda", a = json_array());
    for (int i = 0; i < r->n_agenda; i++)
        json_array_append_new(a, agenda(&r->agenda[i], t));
    set_new(rec, "contacts", a = json_array());
    for (int i = 0; i < r->n_contacts; i++) {
        const res_contact *k = &r->contacts[i];
        json_t *j = json_object();
        set_new(j, "name", str_or_null(k->name));
        set_new(j, "role", str_or_null(k->role));
        set_new(j, "email", str_or_null(k->email));
        set_new(j, "phone", str_or_null(k->phone));
        set_new(j, "phone_e164", str_or_null(k->phone_e164));
        json_array_append_new(a, with_src(j, k->src, t));
    }
    set_new(rec, "organizers", a = json_array());
    for (int i = 0; i < r->n_organizers; i++)
        json_array_append_new(a, with_src(named(r->organizers[i].name),
                                          r->organizers[i].src, t));
    set_new(rec, "related_events", a = json_array());
    for (int i = 0; i < r->n_related; i++)
        json_array_append_new(a, related(&r->related[i], t));
    set_new(rec, "warnings", a = json_array());
    if (warning)
        json_array_append_new(a, json_string(warning));
    for (int i = 0; i < r->n_warnings; i++)
        json_array_append_new(a, json_string(r->warnings[i]));
    return rec;
}

/* Keys in a fixed order (insertion order), compact, UTF-8 as is: jsonout.h. */
int emit_ndjson(FILE *out, const json_t *record)
{
    jsonout line = {0};
    int rc = jsonout_line(&line, record) < 0 || fwrite(line.data, 1, line.len, out) != line.len ? -1 : 0;
    jsonout_free(&line);
    return rc;
}

int emit_file(const char *dir, const char *source, const json_t *record, char *err, size_t errlen)
{
    char *s = json_dumps(record, JSON_PRESERVE_ORDER | JSON_INDENT(2) | JSON_REAL_PRECISION(12));
    size_t n = strlen(s);
    s = realloc(s, n + 2);
    s[n++] = '\n';
    int rc = emit_file_text(dir, source, "json", s, n, err, errlen);
    free(s);
    return rc;
}

int emit_file_text(const char *dir, const char *source, const char *ext, const char *text, size_t n, char *err,
                   size_t errlen)
{
    char stem[512], path[4096], tmp[4200];
    output_stem(source, stem, sizeof stem);
    snprintf(path, sizeof path, "%s/%s.%s", dir, stem, ext);
    snprintf(tmp, sizeof tmp, "%s/.%s.%s.tmp.%ld", dir, stem, ext, (long)getpid());
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) {
        snprintf(err, errlen, "%s: cannot create: %s", tmp, strerror(errno));
        return -1;
    }
    size_t off = 0;
    int ok = 1;
    while (ok && off < n) {
        ssize_t w = write(fd, text + off, n - off);
        ok = w > 0;
        off += ok ? (size_t)w : 0;
    }
    ok = ok && fsync(fd) == 0;
    if (close(fd) != 0)
        ok = 0;
    if (!ok || rename(tmp, path) != 0) {
        snprintf(err, errlen, "%s: cannot write: %s", path, strerror(errno));
        unlink(tmp);
        return -1;
    }
    return 0;
}
