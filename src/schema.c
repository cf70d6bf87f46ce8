/* schema.c - a small JSON Schema validator; see schema.h for the subset. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "schema.h"

#include <pcre2.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Deep enough for any record; bounds a $ref cycle in a broken schema. */
#define MAX_DEPTH 128
#define MSG_MAX 512

/* Compiled patterns live beside the document, keyed by the schema object that
 * holds the "pattern" keyword, so the Jansson tree stays the single source. */
struct pattern {
    const json_t *node;
    pcre2_code *code;
};

/* The compiled form of one subschema, for the fast check (schema_conforms):
 * every keyword the reference walker looks up by name per instance value is
 * looked up once here, at load. Only pass/fail is computed; the reference
 * walker (check below) stays the authority and writes the messages. */
enum { T_OBJECT = 1, T_ARRAY = 2, T_STRING = 4, T_INTEGER = 8, T_REAL = 16, T_BOOLEAN = 32, T_NULL = 64 };

typedef struct snode snode;
struct prop {
    const char *key;
    size_t len;
    const snode *node;
    int required;
};
struct snode {
    const json_t *src; /* the schema value this node was compiled from */
    int kind;          /* 1: true (anything), 0: false or not an object (nothing), 2: an object */
    const snode *ref;
    int has_type;
    unsigned types;                  /* T_* accepted when has_type */
    const json_t *konst, *enm;       /* NULL when absent */
    const pcre2_code *pattern;       /* NULL when absent */
    const json_t *min_length, *minimum, *min_items, *max_items; /* NULL when absent */
    const snode **prefix;
    size_t nprefix;
    const snode *items;              /* NULL when absent */
    struct prop *props;
    size_t nprops, nreq_props;       /* nreq_props: distinct required keys that are properties */
    const char **req_other;          /* required keys that are not properties */
    size_t nreq_other;
    int closed;                      /* additionalProperties is false */
    const snode **any, **one;
    size_t nany, none;
    int has_any, has_one;
};

struct schema {
    json_t *root;
    struct pattern *pats;
    size_t npats, cap;
    snode **nodes; /* every compiled node, owned; nodes[0] is the root */
    size_t nnodes, nodecap;
};

typedef struct {
    const schema *s;
    pcre2_match_data *md;
    char ptr[1024]; /* JSON pointer of the value being checked */
    size_t plen;
    char *err;
    size_t errlen;
    size_t fail_plen; /* pointer length at the last failure, to rank anyOf errors */
    int depth;
} vctx;

static void seterr(char *err, size_t errlen, const char *fmt, ...)
{
    if (!err || !errlen)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

static const json_t *resolve_ref(const json_t *root, const char *ref)
{
    static const char prefix[] = "#/$defs/";
    if (strncmp(ref, prefix, sizeof prefix - 1) != 0)
        return NULL;
    return json_object_get(json_object_get(root, "$defs"), ref + sizeof prefix - 1);
}

/* ---- load ---- */

static int add_pattern(schema *s, const json_t *node, const char *pat,
                       const char *path, char *err, size_t errlen)
{
    int code;
    PCRE2_SIZE off;
    pcre2_code *re = pcre2_compile((PCRE2_SPTR)pat, PCRE2_ZERO_TERMINATED,
                                   PCRE2_UTF, &code, &off, NULL);
    if (!re) {
        PCRE2_UCHAR msg[256];
        pcre2_get_error_message(code, msg, sizeof msg);
        seterr(err, errlen, "%s: pattern %s: %s at offset %zu", path, pat,
               (const char *)msg, (size_t)off);
        return -1;
    }
    if (s->npats == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 16;
        struct pattern *p = realloc(s->pats, cap * sizeof *p);
        if (!p) {
            pcre2_code_free(re);
            seterr(err, errlen, "%s: out of memory", path);
            return -1;
        }
        s->pats = p;
        s->cap = cap;
    }
    s->pats[s->npats].node = node;
    s->pats[s->npats].code = re;
    s->npats++;
    return 0;
}

/* Walks every subschema once: compiles patterns and checks that each $ref
 * resolves, so validation cannot meet a surprise. */
static int prepare(schema *s, const json_t *node, const char *path, char *err,
                   size_t errlen, int depth)
{
    if (json_is_boolean(node))
        return 0;
    if (!json_is_object(node) || depth > MAX_DEPTH) {
        seterr(err, errlen, "%s: a schema must be an object or a boolean", path);
        return -1;
    }
    const json_t *v = json_object_get(node, "pattern");
    if (v) {
        if (!json_is_string(v)) {
            seterr(err, errlen, "%s: \"pattern\" must be a string", path);
            return -1;
        }
        if (add_pattern(s, node, json_string_value(v), path, err, errlen))
            return -1;
    }
    v = json_object_get(node, "$ref");
    if (v && (!json_is_string(v) || !resolve_ref(s->root, json_string_value(v)))) {
        seterr(err, errlen, "%s: unsupported or unresolved $ref %s", path,
               json_is_string(v) ? json_string_value(v) : "(not a string)");
        return -1;
    }
    static const char *const maps[] = {"properties", "$defs"};
    for (size_t m = 0; m < 2; m++) {
        const char *key;
        json_t *sub;
        json_object_foreach((json_t *)json_object_get(node, maps[m]), key, sub)
            if (prepare(s, sub, path, err, errlen, depth + 1))
                return -1;
    }
    static const char *const lists[] = {"prefixItems", "anyOf", "oneOf"};
    for (size_t l = 0; l < 3; l++) {
        size_t i;
        json_t *sub;
        json_array_foreach(json_object_get(node, lists[l]), i, sub)
            if (prepare(s, sub, path, err, errlen, depth + 1))
                return -1;
    }
    v = json_object_get(node, "items");
    return v ? prepare(s, v, path, err, errlen, depth + 1) : 0;
}

/* ---- compile: the fast checker's tree ---- */

static unsigned type_bits(const char *t)
{
    static const struct {
        const char *name;
        unsigned bits;
    } names[] = {{"object", T_OBJECT},   {"array", T_ARRAY},       {"string", T_STRING},
                 {"integer", T_INTEGER}, {"number", T_INTEGER | T_REAL}, {"boolean", T_BOOLEAN},
                 {"null", T_NULL}};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (strcmp(t, names[i].name) == 0)
            return names[i].bits;
    return 0; /* an unknown type name accepts nothing, as in type_ok */
}

static unsigned inst_bit(const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT: return T_OBJECT;
    case JSON_ARRAY: return T_ARRAY;
    case JSON_STRING: return T_STRING;
    case JSON_INTEGER: return T_INTEGER;
    case JSON_REAL: return T_REAL;
    case JSON_TRUE:
    case JSON_FALSE: return T_BOOLEAN;
    default: return T_NULL;
    }
}

static const snode *compile_node(schema *s, const json_t *src);

/* The alternatives or prefix items of `list` (any JSON; a non-array gives
 * none, as json_array_foreach does in the reference walker). */
static int compile_list(schema *s, const json_t *list, const snode ***out, size_t *n)
{
    *n = json_array_size(list);
    *out = NULL;
    if (!*n)
        return 0;
    *out = calloc(*n, sizeof **out);
    if (!*out)
        return -1;
    for (size_t i = 0; i < *n; i++)
        if (!((*out)[i] = compile_node(s, json_array_get(list, i))))
            return -1;
    return 0;
}

static int compile_object(schema *s, snode *n, const json_t *sch)
{
    const json_t *props = json_object_get(sch, "properties");
    if (json_is_object(props)) {
        n->props = calloc(json_object_size(props) + 1, sizeof *n->props);
        if (!n->props)
            return -1;
        const char *key;
        json_t *sub;
        json_object_foreach((json_t *)props, key, sub) {
            struct prop *p = &n->props[n->nprops++];
            p->key = key;
            p->len = strlen(key);
            if (!(p->node = compile_node(s, sub)))
                return -1;
        }
    }
    const json_t *req = json_object_get(sch, "required");
    n->req_other = calloc(json_array_size(req) + 1, sizeof *n->req_other);
    if (!n->req_other)
        return -1;
    size_t i;
    json_t *r;
    json_array_foreach(req, i, r) {
        if (!json_is_string(r))
            continue;
        size_t k = 0;
        while (k < n->nprops && strcmp(n->props[k].key, json_string_value(r)) != 0)
            k++;
        if (k == n->nprops)
            n->req_other[n->nreq_other++] = json_string_value(r);
        else if (!n->props[k].required) {
            n->props[k].required = 1;
            n->nreq_props++;
        }
    }
    n->closed = json_is_false(json_object_get(sch, "additionalProperties"));
    return 0;
}

static int compile_keywords(schema *s, snode *n, const json_t *sch)
{
    const json_t *v = json_object_get(sch, "$ref");
    if (v && !(n->ref = compile_node(s, resolve_ref(s->root, json_string_value(v)))))
        return -1;
    if ((v = json_object_get(sch, "type"))) {
        n->has_type = 1;
        if (json_is_string(v))
            n->types = type_bits(json_string_value(v));
        size_t i;
        json_t *t;
        json_array_foreach(v, i, t) if (json_is_string(t)) n->types |= type_bits(json_string_value(t));
    }
    n->konst = json_object_get(sch, "const");
    n->enm = json_object_get(sch, "enum");
    if (json_object_get(sch, "pattern")) {
        for (size_t i = 0; i < s->npats && !n->pattern; i++)
            if (s->pats[i].node == sch)
                n->pattern = s->pats[i].code;
        if (!n->pattern)
            return -1; /* prepare compiles every reachable pattern */
    }
    n->min_length = json_object_get(sch, "minLength");
    n->minimum = json_object_get(sch, "minimum");
    n->min_items = json_object_get(sch, "minItems");
    n->max_items = json_object_get(sch, "maxItems");
    if (compile_list(s, json_object_get(sch, "prefixItems"), &n->prefix, &n->nprefix) < 0)
        return -1;
    if ((v = json_object_get(sch, "items")) && !(n->items = compile_node(s, v)))
        return -1;
    if (compile_object(s, n, sch) < 0)
        return -1;
    n->has_any = (v = json_object_get(sch, "anyOf")) != NULL;
    if (compile_list(s, v, &n->any, &n->nany) < 0)
        return -1;
    n->has_one = (v = json_object_get(sch, "oneOf")) != NULL;
    return compile_list(s, v, &n->one, &n->none);
}

/* The node for schema value src, made once: a $ref to a node being made
 * (a cycle) gets that node. */
static const snode *compile_node(schema *s, const json_t *src)
{
    if (!src)
        return NULL;
    for (size_t i = 0; i < s->nnodes; i++)
        if (s->nodes[i]->src == src)
            return s->nodes[i];
    if (s->nnodes == s->nodecap) {
        size_t cap = s->nodecap ? 2 * s->nodecap : 64;
        snode **nodes = realloc(s->nodes, cap * sizeof *nodes);
        if (!nodes)
            return NULL;
        s->nodes = nodes;
        s->nodecap = cap;
    }
    snode *n = calloc(1, sizeof *n);
    if (!n)
        return NULL;
    s->nodes[s->nnodes++] = n;
    n->src = src;
    n->kind = json_is_true(src) ? 1 : json_is_object(src) ? 2 : 0;
    if (n->kind == 2 && compile_keywords(s, n, src) < 0)
        return NULL;
    return n;
}

static void free_nodes(schema *s)
{
    for (size_t i = 0; i < s->nnodes; i++) {
        snode *n = s->nodes[i];
        free(n->prefix);
        free(n->props);
        free(n->req_other);
        free(n->any);
        free(n->one);
        free(n);
    }
    free(s->nodes);
}

schema *schema_load(const char *path, char *err, size_t errlen)
{
    json_error_t je;
    json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
    if (!root) {
        if (je.line > 0)
            seterr(err, errlen, "%s:%d:%d: %s", path, je.line, je.column, je.text);
        else
            seterr(err, errlen, "%s: %s", path, je.text);
        return NULL;
    }
    schema *s = calloc(1, sizeof *s);
    if (!s) {
        json_decref(root);
        seterr(err, errlen, "%s: out of memory", path);
        return NULL;
    }
    s->root = root;
    if (prepare(s, root, path, err, errlen, 0)) {
        schema_free(s);
        return NULL;
    }
    if (!compile_node(s, root)) {
        seterr(err, errlen, "%s: out of memory", path);
        schema_free(s);
        return NULL;
    }
    return s;
}

void schema_free(schema *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->npats; i++)
        pcre2_code_free(s->pats[i].code);
    free(s->pats);
    free_nodes(s);
    json_decref(s->root);
    free(s);
}

/* ---- validate ---- */

static int fail(vctx *c, const char *fmt, ...)
{
    char msg[MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    seterr(c->err, c->errlen, "%s: %s", c->plen ? c->ptr : "(root)", msg);
    c->fail_plen = c->plen;
    return -1;
}

/* Appends one pointer segment (RFC 6901 escaped); returns the old length so
 * the caller can pop it. A pointer too long for the buffer just stops growing. */
static size_t push(vctx *c, const char *seg)
{
    size_t old = c->plen, n = old;
    char buf[sizeof c->ptr];
    size_t b = 0;
    buf[b++] = '/';
    for (const char *p = seg; *p && b + 2 < sizeof buf; p++) {
        if (*p == '~' || *p == '/') {
            buf[b++] = '~';
            buf[b++] = *p == '~' ? '0' : '1';
        } else {
            buf[b++] = *p;
        }
    }
    if (n + b < sizeof c->ptr) {
        memcpy(c->ptr + n, buf, b);
        n += b;
    }
    c->ptr[n] = '\0';
    c->plen = n;
    return old;
}

static void pop(vctx *c, size_t old)
{
    c->plen = old;
    c->ptr[old] = '\0';
}

static const char *type_name(const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT: return "object";
    case JSON_ARRAY: return "array";
    case JSON_STRING: return "string";
    case JSON_INTEGER: return "integer";
    case JSON_REAL: return "number";
    case JSON_TRUE:
    case JSON_FALSE: return "boolean";
    default: return "null";
    }
}

static int type_ok(const char *t, const json_t *v)
{
    if (strcmp(t, "number") == 0)
        return json_is_number(v);
    return strcmp(t, type_name(v)) == 0;
}

static int check_type(vctx *c, const json_t *type, const json_t *inst)
{
    if (json_is_string(type)) {
        if (type_ok(json_string_value(type), inst))
            return 0;
        return fail(c, "expected %s, got %s", json_string_value(type), type_name(inst));
    }
    char want[128] = "";
    size_t i;
    json_t *t;
    json_array_foreach(type, i, t) {
        if (json_is_string(t) && type_ok(json_string_value(t), inst))
            return 0;
        size_t n = strlen(want);
        snprintf(want + n, sizeof want - n, "%s%s", i ? " or " : "",
                 json_is_string(t) ? json_string_value(t) : "?");
    }
    return fail(c, "expected %s, got %s", want, type_name(inst));
}

/* Fails with `what` followed by the compact JSON of v. */
static int fail_json(vctx *c, const char *what, const json_t *v)
{
    char *dump = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
    int rc = fail(c, "%s %s", what, dump ? dump : "?");
    free(dump);
    return rc;
}

static size_t utf8_chars(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        n += ((unsigned char)s[i] & 0xC0) != 0x80;
    return n;
}

static int check(vctx *c, const json_t *sch, const json_t *inst);

/* anyOf and oneOf. When nothing matches, the error reported is the one that
 * got deepest into the instance: for "null or an object", that is the
 * object's real problem rather than "expected null". */
static int check_alternatives(vctx *c, const json_t *alts, const json_t *inst,
                              int one)
{
    const char *kw = one ? "oneOf" : "anyOf";
    char best[MSG_MAX] = "", tmp[MSG_MAX];
    size_t best_plen = 0, i;
    int have = 0, matches = 0;
    char *saved = c->err;
    size_t saved_len = c->errlen;
    json_t *alt;
    c->err = tmp;
    c->errlen = sizeof tmp;
    json_array_foreach(alts, i, alt) {
        if (check(c, alt, inst) == 0) {
            if (++matches > 1 || !one)
                break;
        } else if (!have || c->fail_plen > best_plen) {
            memcpy(best, tmp, sizeof best);
            best_plen = c->fail_plen;
            have = 1;
        }
    }
    c->err = saved;
    c->errlen = saved_len;
    if (one ? matches == 1 : matches > 0)
        return 0;
    if (matches > 1)
        return fail(c, "matches more than one oneOf alternative");
    if (!have)
        return fail(c, "empty %s", kw);
    if (best_plen > c->plen) {
        seterr(c->err, c->errlen, "%s", best);
    } else {
        seterr(c->err, c->errlen, "%s (no %s alternative matched)", best, kw);
    }
    c->fail_plen = best_plen;
    return -1;
}

static int check_object(vctx *c, const json_t *sch, const json_t *inst)
{
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(sch, "required"), i, v) {
        if (json_is_string(v) && !json_object_get(inst, json_string_value(v)))
            return fail(c, "missing required property \"%s\"", json_string_value(v));
    }
    const json_t *props = json_object_get(sch, "properties");
    int closed = json_is_false(json_object_get(sch, "additionalProperties"));
    const char *key;
    json_object_foreach((json_t *)inst, key, v) {
        const json_t *sub = json_object_get(props, key);
        size_t old = push(c, key);
        int rc = sub ? check(c, sub, v)
                     : closed ? fail(c, "property not allowed (additionalProperties is false)")
                              : 0;
        pop(c, old);
        if (rc)
            return rc;
    }
    return 0;
}

static int check_array(vctx *c, const json_t *sch, const json_t *inst)
{
    size_t n = json_array_size(inst);
    const json_t *v = json_object_get(sch, "minItems");
    if (json_is_integer(v) && (json_int_t)n < json_integer_value(v))
        return fail(c, "has %zu items, at least %" JSON_INTEGER_FORMAT " required",
                    n, json_integer_value(v));
    v = json_object_get(sch, "maxItems");
    if (json_is_integer(v) && (json_int_t)n > json_integer_value(v))
        return fail(c, "has %zu items, at most %" JSON_INTEGER_FORMAT " allowed",
                    n, json_integer_value(v));
    const json_t *prefix = json_object_get(sch, "prefixItems");
    const json_t *items = json_object_get(sch, "items");
    size_t np = json_array_size(prefix);
    for (size_t i = 0; i < n; i++) {
        const json_t *sub = i < np ? json_array_get(prefix, i) : items;
        if (!sub)
            continue;
        char idx[32];
        snprintf(idx, sizeof idx, "%zu", i);
        size_t old = push(c, idx);
        int rc = check(c, sub, json_array_get(inst, i));
        pop(c, old);
        if (rc)
            return rc;
    }
    return 0;
}

static int check_string(vctx *c, const json_t *sch, const json_t *inst)
{
    const char *str = json_string_value(inst);
    size_t len = json_string_length(inst);
    const json_t *v = json_object_get(sch, "minLength");
    if (json_is_integer(v) && (json_int_t)utf8_chars(str, len) < json_integer_value(v))
        return fail(c, "shorter than minLength %" JSON_INTEGER_FORMAT, json_integer_value(v));
    v = json_object_get(sch, "pattern");
    if (!v)
        return 0;
    for (size_t i = 0; i < c->s->npats; i++) {
        if (c->s->pats[i].node != sch)
            continue;
        int rc = pcre2_match(c->s->pats[i].code, (PCRE2_SPTR)str, len, 0, 0, c->md, NULL);
        if (rc >= 0) /* 0 only means the match data is too small for captures */
            return 0;
        if (rc == PCRE2_ERROR_NOMATCH)
            return fail(c, "does not match pattern %s", json_string_value(v));
        return fail(c, "pattern %s: match error %d", json_string_value(v), rc);
    }
    return fail(c, "internal error: pattern %s was not compiled", json_string_value(v));
}

static int check(vctx *c, const json_t *sch, const json_t *inst)
{
    if (json_is_true(sch))
        return 0;
    if (!json_is_object(sch))
        return fail(c, "not allowed by the schema");
    if (c->depth >= MAX_DEPTH)
        return fail(c, "nested too deeply");
    c->depth++;
    int rc = 0;
    const json_t *v = json_object_get(sch, "$ref");
    if (v)
        rc = check(c, resolve_ref(c->s->root, json_string_value(v)), inst);
    if (!rc && (v = json_object_get(sch, "type")))
        rc = check_type(c, v, inst);
    if (!rc && (v = json_object_get(sch, "const")) && !json_equal(v, inst))
        rc = fail_json(c, "must be", v);
    if (!rc && (v = json_object_get(sch, "enum"))) {
        size_t i;
        json_t *e;
        int found = 0;
        json_array_foreach(v, i, e) found |= json_equal(e, inst);
        if (!found)
            rc = fail_json(c, "must be one of", v);
    }
    if (!rc && json_is_string(inst))
        rc = check_string(c, sch, inst);
    if (!rc && json_is_number(inst) && (v = json_object_get(sch, "minimum")) &&
        json_is_number(v) && json_number_value(inst) < json_number_value(v))
        rc = fail(c, "%g is less than minimum %g", json_number_value(inst),
                  json_number_value(v));
    if (!rc && json_is_array(inst))
        rc = check_array(c, sch, inst);
    if (!rc && json_is_object(inst))
        rc = check_object(c, sch, inst);
    if (!rc && (v = json_object_get(sch, "anyOf")))
        rc = check_alternatives(c, v, inst, 0);
    if (!rc && (v = json_object_get(sch, "oneOf")))
        rc = check_alternatives(c, v, inst, 1);
    c->depth--;
    return rc;
}

/* ---- the fast check: pass or fail, no messages ---- */

/* Mirrors check() keyword by keyword; every keyword is a condition that
 * must hold, so the order does not change the verdict. */
static int conforms(const snode *n, const json_t *inst, int depth, pcre2_match_data *md);

static int conforms_string(const snode *n, const json_t *inst, pcre2_match_data *md)
{
    const char *str = json_string_value(inst);
    size_t len = json_string_length(inst);
    if (json_is_integer(n->min_length)) {
        json_int_t min = json_integer_value(n->min_length);
        /* a string of len bytes holds at least len / 4 characters */
        if ((json_int_t)(len / 4) < min && (json_int_t)utf8_chars(str, len) < min)
            return 0;
    }
    return !n->pattern || pcre2_match(n->pattern, (PCRE2_SPTR)str, len, 0, 0, md, NULL) >= 0;
}

static int conforms_array(const snode *n, const json_t *inst, int depth, pcre2_match_data *md)
{
    size_t len = json_array_size(inst);
    if (json_is_integer(n->min_items) && (json_int_t)len < json_integer_value(n->min_items))
        return 0;
    if (json_is_integer(n->max_items) && (json_int_t)len > json_integer_value(n->max_items))
        return 0;
    for (size_t i = 0; i < len; i++) {
        const snode *sub = i < n->nprefix ? n->prefix[i] : n->items;
        if (sub && !conforms(sub, json_array_get(inst, i), depth, md))
            return 0;
    }
    return 1;
}

/* Instance members are looked up among the properties from where the last
 * one was found: records list their members in the schema's order. */
static int conforms_object(const snode *n, const json_t *inst, int depth, pcre2_match_data *md)
{
    size_t seen_req = 0, hint = 0;
    for (void *it = json_object_iter((json_t *)inst); it; it = json_object_iter_next((json_t *)inst, it)) {
        const char *key = json_object_iter_key(it);
        size_t full = json_object_iter_key_len(it), len = full;
        if (memchr(key, '\0', full))
            len = strlen(key); /* the reference looks a member up by its C string */
        const struct prop *p = NULL;
        for (size_t k = 0; k < n->nprops && !p; k++) {
            const struct prop *q = &n->props[(hint + k) % n->nprops];
            if (q->len == len && memcmp(q->key, key, len) == 0) {
                p = q;
                hint = (size_t)(q - n->props) + 1;
            }
        }
        if (!p) {
            if (n->closed)
                return 0;
            continue;
        }
        seen_req += p->required && full == len;
        if (!conforms(p->node, json_object_iter_value(it), depth, md))
            return 0;
    }
    if (seen_req != n->nreq_props)
        return 0;
    for (size_t i = 0; i < n->nreq_other; i++)
        if (!json_object_get(inst, n->req_other[i]))
            return 0;
    return 1;
}

static int conforms_alternatives(const snode *const *alts, size_t nalts, int one, const json_t *inst, int depth,
                                 pcre2_match_data *md)
{
    int matches = 0;
    for (size_t i = 0; i < nalts; i++)
        if (conforms(alts[i], inst, depth, md) && (++matches > 1 || !one))
            break;
    return one ? matches == 1 : matches > 0;
}

static int conforms(const snode *n, const json_t *inst, int depth, pcre2_match_data *md)
{
    if (n->kind != 2)
        return n->kind;
    if (depth >= MAX_DEPTH)
        return 0;
    depth++;
    if (n->ref && !conforms(n->ref, inst, depth, md))
        return 0;
    if (n->has_type && !(n->types & inst_bit(inst)))
        return 0;
    if (n->konst && !json_equal(n->konst, inst))
        return 0;
    if (n->enm) {
        size_t i, found = 0;
        json_t *e;
        json_array_foreach(n->enm, i, e) if (json_equal(e, inst)) found = 1;
        if (!found)
            return 0;
    }
    switch (json_typeof(inst)) {
    case JSON_STRING:
        if (!conforms_string(n, inst, md))
            return 0;
        break;
    case JSON_INTEGER:
    case JSON_REAL:
        if (json_is_number(n->minimum) && json_number_value(inst) < json_number_value(n->minimum))
            return 0;
        break;
    case JSON_ARRAY:
        if (!conforms_array(n, inst, depth, md))
            return 0;
        break;
    case JSON_OBJECT:
        if (!conforms_object(n, inst, depth, md))
            return 0;
        break;
    default:
        break;
    }
    if (n->has_any && !conforms_alternatives(n->any, n->nany, 0, inst, depth, md))
        return 0;
    return !n->has_one || conforms_alternatives(n->one, n->none, 1, inst, depth, md);
}

int schema_conforms(const schema *s, const json_t *instance)
{
    if (!s || !instance)
        return 0;
    pcre2_match_data *md = pcre2_match_data_create(1, NULL);
    if (!md)
        return 0;
    int ok = conforms(s->nodes[0], instance, 0, md);
    pcre2_match_data_free(md);
    return ok;
}

int schema_explain(const schema *s, const json_t *instance, char *err,
                   size_t errlen)
{
    char dummy[MSG_MAX];
    if (!err || !errlen) {
        err = dummy;
        errlen = sizeof dummy;
    }
    if (!s || !instance) {
        seterr(err, errlen, "no schema or no instance");
        return -1;
    }
    vctx c = {.s = s, .err = err, .errlen = errlen};
    c.md = pcre2_match_data_create(1, NULL);
    if (!c.md) {
        seterr(err, errlen, "out of memory");
        return -1;
    }
    int rc = check(&c, s->root, instance);
    pcre2_match_data_free(c.md);
    return rc;
}

int schema_validate(const schema *s, const json_t *instance, char *err,
                    size_t errlen)
{
    /* Nearly every record conforms: the fast check says so, and only a
     * failure walks the schema again for the message. Where the two would
     * disagree, the reference walker decides. */
    if (schema_conforms(s, instance))
        return 0;
    return schema_explain(s, instance, err, errlen);
}
