/* rulecache.c - the rules' disk cache (rulecache.h).
 *
 * The file: RC_MAGIC, the identity (u32 length, bytes: build ID and PCRE2
 * version), the keys (u32 count; each u32 length, bytes: a pattern, once
 * however many answers about it there are), the entries (u32 count; each
 * u32 kind, u32 options, u32 key number, u32 value length, u64 key_hash,
 * value), and key_hash of all that (u64): a file that is not whole is not
 * read. Integers in the machine's order: the build ID fixes it. */
#define _GNU_SOURCE /* dl_iterate_phdr */
#include "rulecache.h"
#include <elf.h>
#include <link.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

enum { RC_COMPILE = 1, RC_START_CLASS, RC_LITERALS, RC_SINGLE_LINE, RC_LINE_REACH, RC_GATE, RC_CHARS, RC_REACH_AROUND, RC_LITSCAN };

#define RC_MAGIC "evx rule cache 4\n"
#define RC_MAX_FILE (64u << 20) /* the shipped rules need about 7 MB */

typedef struct {
    uint64_t hash;
    uint32_t kind, opts;
    const char *key;
    const void *val;
    size_t klen, vlen;
    int owned; /* key and val malloc'd this run, else inside the file image */
    int used;  /* asked for or added this run: written back */
} entry;

struct rule_cache {
    pthread_mutex_t lock;
    char *path;
    char id[160];
    /* The file, mapped read-only: the copy a read would make was a tenth of
     * a warm start-up. save() replaces the file by rename, never in place,
     * so the mapping stays whole. */
    char *image;
    size_t image_size;
    entry *e;
    size_t n, cap;
    size_t *slot; /* open addressing: entry index + 1, 0 for none */
    size_t nslot;
    int added;
};

/* The file's checksum, and entry_hash's: four independent lanes of eight
 * bytes, so the multiplies overlap (one lane was most of a warm start-up's
 * own time). */
static uint64_t key_hash(uint32_t kind, uint32_t opts, const char *key, size_t klen)
{
    uint64_t lane[4] = {(uint64_t)kind << 32 | opts, klen * 0x9E3779B97F4A7C15u, 0x2545F4914F6CDD1Du,
                        0x94D049BB133111EBu};
    size_t i = 0;
    for (; i + 32 <= klen; i += 32)
        for (int l = 0; l < 4; l++) {
            uint64_t w;
            memcpy(&w, key + i + 8 * l, 8);
            lane[l] = (lane[l] ^ w) * 0xFF51AFD7ED558CCDu;
            lane[l] ^= lane[l] >> 32;
        }
    uint64_t h = lane[0] ^ (lane[1] * 0xC2B2AE3D27D4EB4Fu) ^ (lane[2] * 0x165667B19E3779F9u) ^
                 (lane[3] * 0x27D4EB2F165667C5u);
    for (; i + 8 <= klen; i += 8) {
        uint64_t w;
        memcpy(&w, key + i, 8);
        h = (h ^ w) * 0xFF51AFD7ED558CCDu;
        h ^= h >> 32;
    }
    uint64_t w = 0;
    memcpy(&w, key + i, klen - i);
    h = (h ^ w) * 0xC4CEB9FE1A85EC53u;
    return h ^ (h >> 29);
}

/* An entry's place: key_hash of the key, or for a long key of a sample of
 * it (its length, both ends and the middle). A pattern is hashed at every
 * question asked about it, and whole they were most of the time the
 * questions took; two keys that agree on the sample only share a chain,
 * where find() tells them apart by every byte. */
#define SAMPLE_END 256
static uint64_t entry_hash(uint32_t kind, uint32_t opts, const char *key, size_t klen)
{
    if (klen <= 3 * SAMPLE_END)
        return key_hash(kind, opts, key, klen);
    char sample[3 * SAMPLE_END];
    memcpy(sample, key, SAMPLE_END);
    memcpy(sample + SAMPLE_END, key + klen / 2 - SAMPLE_END / 2, SAMPLE_END);
    memcpy(sample + 2 * SAMPLE_END, key + klen - SAMPLE_END, SAMPLE_END);
    return key_hash(kind, opts, sample, sizeof sample) ^ klen * 0x9E3779B97F4A7C15u;
}

/* ---- the build's identity ------------------------------------------- */

static const char anchor = 0; /* an address inside the object this file is linked into */

typedef struct {
    char *out;
    size_t len;
    int found;
} id_search;

static void hex(const unsigned char *d, size_t n, char *out, size_t len)
{
    size_t k = 0;
    for (size_t i = 0; i < n && k + 3 <= len; i++)
        k += (size_t)snprintf(out + k, len - k, "%02x", d[i]);
}

static void read_notes(const char *note, const char *end, size_t align, id_search *s)
{
    while (note + sizeof(ElfW(Nhdr)) <= end) {
        const ElfW(Nhdr) *nh = (const void *)note;
        const char *name = note + sizeof *nh;
        const char *desc = name + ((nh->n_namesz + align - 1) & ~(align - 1));
        if (desc > end || desc + nh->n_descsz > end)
            return;
        if (nh->n_type == NT_GNU_BUILD_ID && nh->n_namesz == 4 && !memcmp(name, "GNU", 4) && nh->n_descsz) {
            hex((const unsigned char *)desc, nh->n_descsz, s->out, s->len);
            s->found = 1;
            return;
        }
        note = desc + ((nh->n_descsz + align - 1) & ~(align - 1));
    }
}

static int find_build_id(struct dl_phdr_info *info, size_t size, void *data)
{
    (void)size;
    id_search *s = data;
    uintptr_t a = (uintptr_t)&anchor;
    int inside = 0;
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *p = &info->dlpi_phdr[i];
        uintptr_t from = info->dlpi_addr + p->p_vaddr;
        if (p->p_type == PT_LOAD && a >= from && a < from + p->p_memsz)
            inside = 1;
    }
    if (!inside)
        return 0;
    for (int i = 0; i < info->dlpi_phnum && !s->found; i++) {
        const ElfW(Phdr) *p = &info->dlpi_phdr[i];
        if (p->p_type == PT_NOTE) {
            const char *note = (const char *)(info->dlpi_addr + p->p_vaddr);
            read_notes(note, note + p->p_memsz, p->p_align == 8 ? 8 : 4, s);
        }
    }
    return 1;
}

/* ---- where ---------------------------------------------------------- */

/* dir/name, malloc'd. */
static char *join(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = malloc(n);
    if (p)
        snprintf(p, n, "%s/%s", dir, name);
    return p;
}

static char *cache_path(void)
{
    const char *off = getenv("EVX_CACHE");
    if (off && !strcmp(off, "0"))
        return NULL;
    const char *d = getenv("EVX_CACHE_DIR"), *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
    char *dir;
    if (d && *d) {
        dir = strdup(d);
    } else if (xdg && xdg[0] == '/') {
        mkdir(xdg, 0700);
        dir = join(xdg, "evx");
    } else if (home && home[0] == '/') {
        char *parent = join(home, ".cache");
        if (parent)
            mkdir(parent, 0700);
        dir = parent ? join(parent, "evx") : NULL;
        free(parent);
    } else {
        return NULL;
    }
    if (!dir)
        return NULL;
    mkdir(dir, 0700); /* it may exist; whether it works shows when the file is written */
    char *p = join(dir, "rules.cache");
    free(dir);
    return p;
}

/* ---- the table ------------------------------------------------------ */

static entry *find(rule_cache *c, uint64_t h, uint32_t kind, uint32_t opts, const char *key, size_t klen)
{
    if (!c->nslot)
        return NULL;
    for (size_t i = h & (c->nslot - 1);; i = (i + 1) & (c->nslot - 1)) {
        if (!c->slot[i])
            return NULL;
        entry *e = &c->e[c->slot[i] - 1];
        if (e->hash == h && e->kind == kind && e->opts == opts && e->klen == klen && !memcmp(e->key, key, klen))
            return e;
    }
}

static void place(rule_cache *c, size_t idx)
{
    size_t i = c->e[idx].hash & (c->nslot - 1);
    while (c->slot[i])
        i = (i + 1) & (c->nslot - 1);
    c->slot[i] = idx + 1;
}

/* Room for one more entry; 0 when out of memory. */
static int grow(rule_cache *c)
{
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 256;
        entry *e = realloc(c->e, cap * sizeof *e);
        if (!e)
            return 0;
        c->e = e;
        c->cap = cap;
    }
    if (2 * (c->n + 1) > c->nslot) {
        size_t nslot = c->nslot ? c->nslot * 2 : 512;
        while (2 * (c->n + 1) > nslot)
            nslot *= 2;
        size_t *slot = calloc(nslot, sizeof *slot);
        if (!slot)
            return 0;
        free(c->slot);
        c->slot = slot;
        c->nslot = nslot;
        for (size_t i = 0; i < c->n; i++)
            place(c, i);
    }
    return 1;
}

/* ---- reading and writing -------------------------------------------- */

typedef struct {
    const char *p, *end;
    int bad;
} cursor;

static const char *take(cursor *k, size_t n)
{
    if (k->bad || (size_t)(k->end - k->p) < n) {
        k->bad = 1;
        return NULL;
    }
    const char *at = k->p;
    k->p += n;
    return at;
}

static uint32_t take_u32(cursor *k)
{
    uint32_t v = 0;
    const char *at = take(k, sizeof v);
    if (at)
        memcpy(&v, at, sizeof v);
    return v;
}

/* The file's entries, or none when it is not whole or not this build's. */
static void load(rule_cache *c)
{
    int fd = open(c->path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return;
    struct stat st;
    char *img = NULL;
    size_t size = 0;
    if (!fstat(fd, &st) && S_ISREG(st.st_mode) && st.st_size > 8 && (uint64_t)st.st_size <= RC_MAX_FILE) {
        size = (size_t)st.st_size;
        void *m = mmap(NULL, size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
        img = m == MAP_FAILED ? NULL : m;
    }
    close(fd);
    if (!img)
        return;
    uint64_t sum;
    memcpy(&sum, img + size - 8, 8);
    cursor k = {img, img + size - 8, 0};
    const char *magic = take(&k, sizeof RC_MAGIC - 1);
    uint32_t idlen = take_u32(&k);
    const char *id = take(&k, idlen);
    uint32_t nkeys = take_u32(&k);
    if (k.bad || sum != key_hash(0, 0, img, size - 8) || memcmp(magic, RC_MAGIC, sizeof RC_MAGIC - 1) ||
        idlen != strlen(c->id) || memcmp(id, c->id, idlen) || nkeys > (size_t)(k.end - k.p) / 4) {
        munmap(img, size);
        return;
    }
    const char **key = malloc((nkeys ? nkeys : 1) * sizeof *key);
    uint32_t *klen = malloc((nkeys ? nkeys : 1) * sizeof *klen);
    k.bad |= !key || !klen;
    for (uint32_t i = 0; i < nkeys && !k.bad; i++) {
        klen[i] = take_u32(&k);
        key[i] = take(&k, klen[i]);
    }
    uint32_t count = take_u32(&k);
    for (uint32_t i = 0; i < count && !k.bad; i++) {
        entry e = {0};
        e.kind = take_u32(&k);
        e.opts = take_u32(&k);
        uint32_t kn = take_u32(&k);
        e.vlen = take_u32(&k);
        const char *h = take(&k, sizeof e.hash); /* as save computed it: the keys are not hashed again */
        if (h)
            memcpy(&e.hash, h, sizeof e.hash);
        e.val = take(&k, e.vlen);
        k.bad |= kn >= nkeys;
        if (k.bad || !grow(c))
            break;
        e.key = key[kn];
        e.klen = klen[kn];
        if (find(c, e.hash, e.kind, e.opts, e.key, e.klen))
            continue;
        c->e[c->n] = e;
        place(c, c->n++);
    }
    free(key);
    free(klen);
    if (k.bad || k.p != k.end) { /* damaged after all: nothing from it */
        c->n = 0;
        memset(c->slot, 0, c->nslot * sizeof *c->slot);
        munmap(img, size);
        return;
    }
    c->image = img;
    c->image_size = size;
}

static char *put_u32(char *p, uint32_t v)
{
    memcpy(p, &v, sizeof v);
    return p + sizeof v;
}

static char *put_bytes(char *p, const void *v, size_t n)
{
    if (n)
        memcpy(p, v, n);
    return p + n;
}

/* Each used entry's key number (*key_of), and the distinct keys in order of
 * first use (*keys, *nkeys): entries about one pattern share its bytes in
 * the file. Returns 0 when out of memory. */
static int number_keys(const rule_cache *c, uint32_t *key_of, size_t *keys, uint32_t *nkeys)
{
    size_t nslot = 16;
    while (nslot < 2 * c->n)
        nslot *= 2;
    size_t *slot = calloc(nslot, sizeof *slot); /* index into keys + 1 */
    if (!slot)
        return 0;
    *nkeys = 0;
    for (size_t i = 0; i < c->n; i++) {
        const entry *e = &c->e[i];
        if (!e->used)
            continue;
        size_t at = entry_hash(0, 0, e->key, e->klen) & (nslot - 1);
        for (; slot[at]; at = (at + 1) & (nslot - 1)) {
            const entry *o = &c->e[keys[slot[at] - 1]];
            if (o->klen == e->klen && !memcmp(o->key, e->key, e->klen))
                break;
        }
        if (!slot[at]) {
            keys[*nkeys] = i;
            slot[at] = ++*nkeys;
        }
        key_of[i] = (uint32_t)(slot[at] - 1);
    }
    free(slot);
    return 1;
}

/* The entries this run used, into a temporary file renamed over the old
 * one: a reader sees the old file or the new one, whole. */
static void save(rule_cache *c)
{
    uint32_t *key_of = malloc((c->n ? c->n : 1) * sizeof *key_of), nkeys = 0, used = 0;
    size_t *keys = malloc((c->n ? c->n : 1) * sizeof *keys); /* the entry that holds each key's bytes */
    if (!key_of || !keys || !number_keys(c, key_of, keys, &nkeys)) {
        free(key_of);
        free(keys);
        return;
    }
    size_t idlen = strlen(c->id), size = sizeof RC_MAGIC - 1 + 4 + idlen + 4 + 4 + 8;
    for (uint32_t j = 0; j < nkeys; j++)
        size += 4 + c->e[keys[j]].klen;
    for (size_t i = 0; i < c->n; i++)
        if (c->e[i].used) {
            used++;
            size += 24 + c->e[i].vlen;
        }
    size_t n = strlen(c->path) + 8;
    char *tmp = size <= RC_MAX_FILE ? malloc(n) : NULL, *img = tmp ? malloc(size) : NULL;
    int fd = -1;
    if (tmp && img) {
        snprintf(tmp, n, "%s.XXXXXX", c->path);
        fd = mkstemp(tmp);
    }
    if (fd >= 0) {
        char *p = put_bytes(img, RC_MAGIC, sizeof RC_MAGIC - 1);
        p = put_bytes(put_u32(p, (uint32_t)idlen), c->id, idlen);
        p = put_u32(p, nkeys);
        for (uint32_t j = 0; j < nkeys; j++) {
            const entry *e = &c->e[keys[j]];
            p = put_bytes(put_u32(p, (uint32_t)e->klen), e->key, e->klen);
        }
        p = put_u32(p, used);
        for (size_t i = 0; i < c->n; i++) {
            const entry *e = &c->e[i];
            if (e->used) {
                p = put_u32(put_u32(put_u32(put_u32(p, e->kind), e->opts), key_of[i]), (uint32_t)e->vlen);
                p = put_bytes(p, &e->hash, sizeof e->hash);
                p = put_bytes(p, e->val, e->vlen);
            }
        }
        uint64_t sum = key_hash(0, 0, img, (size_t)(p - img));
        memcpy(p, &sum, sizeof sum);
        int ok = 1;
        for (size_t done = 0; ok && done < size;) {
            ssize_t w = write(fd, img + done, size - done);
            ok = w > 0;
            done += ok ? (size_t)w : 0;
        }
        ok = !close(fd) && ok;
        if (!ok || rename(tmp, c->path))
            unlink(tmp);
    }
    free(img);
    free(tmp);
    free(key_of);
    free(keys);
}

rule_cache *rule_cache_open(void)
{
    char *path = cache_path();
    if (!path)
        return NULL;
    rule_cache *c = calloc(1, sizeof *c);
    id_search s = {c ? c->id : NULL, sizeof c->id, 0};
    if (!c || !dl_iterate_phdr(find_build_id, &s) || !s.found) {
        free(c);
        free(path);
        return NULL;
    }
    char version[64] = "";
    pcre2_config(PCRE2_CONFIG_VERSION, version);
    size_t l = strlen(c->id);
    snprintf(c->id + l, sizeof c->id - l, " pcre2 %s", version);
    c->path = path;
    pthread_mutex_init(&c->lock, NULL);
    load(c);
    return c;
}

void rule_cache_close(rule_cache *c)
{
    if (!c)
        return;
    if (c->added)
        save(c);
    for (size_t i = 0; i < c->n; i++)
        if (c->e[i].owned) {
            free((void *)c->e[i].key);
            free((void *)c->e[i].val);
        }
    free(c->e);
    free(c->slot);
    if (c->image)
        munmap(c->image, c->image_size);
    free(c->path);
    pthread_mutex_destroy(&c->lock);
    free(c);
}

/* The value stored under (kind, opts, key) when it is vlen bytes long
 * (any length when vlen is 0), else NULL. */
static const void *get(rule_cache *c, uint32_t kind, uint32_t opts, const char *key, size_t klen, size_t *vlen)
{
    if (!c)
        return NULL;
    pthread_mutex_lock(&c->lock);
    entry *e = find(c, entry_hash(kind, opts, key, klen), kind, opts, key, klen);
    const void *v = NULL;
    if (e && (!*vlen || e->vlen == *vlen)) {
        e->used = 1;
        v = e->val;
        *vlen = e->vlen;
    }
    pthread_mutex_unlock(&c->lock);
    return v;
}

static void put(rule_cache *c, uint32_t kind, uint32_t opts, const char *key, size_t klen, const void *val,
                size_t vlen)
{
    if (!c)
        return;
    pthread_mutex_lock(&c->lock);
    uint64_t h = entry_hash(kind, opts, key, klen);
    entry *old = find(c, h, kind, opts, key, klen);
    char *k = old ? NULL : malloc(klen ? klen : 1);
    void *v = old ? NULL : malloc(vlen ? vlen : 1);
    if (k && v && grow(c)) {
        memcpy(k, key, klen);
        memcpy(v, val, vlen);
        c->e[c->n] = (entry){h, kind, opts, k, v, klen, vlen, 1, 1};
        place(c, c->n++);
        c->added = 1;
    } else {
        free(k);
        free(v);
    }
    pthread_mutex_unlock(&c->lock);
}

/* ---- the calls it stands for ----------------------------------------- */

pcre2_code *rc_compile(rule_cache *c, const char *pat, size_t n, uint32_t opts, int *errcode, PCRE2_SIZE *erroff)
{
    size_t len = 0;
    const void *v = get(c, RC_COMPILE, opts, pat, n, &len);
    pcre2_code *code = NULL;
    if (v && pcre2_serialize_get_number_of_codes(v) == 1 && pcre2_serialize_decode(&code, 1, v, NULL) == 1)
        return code;
    code = pcre2_compile((PCRE2_SPTR)pat, n, opts, errcode, erroff, NULL);
    uint8_t *bytes;
    PCRE2_SIZE size;
    if (c && code && pcre2_serialize_encode((const pcre2_code **)&code, 1, &bytes, &size, NULL) == 1) {
        put(c, RC_COMPILE, opts, pat, n, bytes, size);
        pcre2_serialize_free(bytes);
    }
    return code;
}

size_t rc_start_class(rule_cache *c, const char *pat, size_t n, int caseless, char *out, size_t outlen)
{
    uint32_t opts = (uint32_t)caseless | (uint32_t)outlen << 1;
    size_t len = 0;
    const char *v = get(c, RC_START_CLASS, opts, pat, n, &len);
    if (v && len < outlen) {
        memcpy(out, v, len);
        out[len] = '\0';
        return len;
    }
    size_t cl = start_class(pat, n, caseless, out, outlen);
    if (cl < outlen)
        put(c, RC_START_CLASS, opts, pat, n, out, cl);
    return cl;
}

int rc_required_literals(rule_cache *c, const char *pat, size_t n, int caseless, char out[][SC_LIT_LEN])
{
    size_t len = 0;
    const char *v = get(c, RC_LITERALS, (uint32_t)caseless, pat, n, &len);
    if (v && len % SC_LIT_LEN == 0 && len / SC_LIT_LEN <= SC_LIT_MAX) {
        memcpy(out, v, len);
        return (int)(len / SC_LIT_LEN);
    }
    int k = required_literals(pat, n, caseless, out);
    if (c && k >= 0 && k <= SC_LIT_MAX) {
        char rows[SC_LIT_MAX][SC_LIT_LEN] = {{0}}; /* the bytes after each NUL, zero: the file is all defined */
        for (int i = 0; i < k; i++)
            memcpy(rows[i], out[i], strnlen(out[i], SC_LIT_LEN - 1));
        put(c, RC_LITERALS, (uint32_t)caseless, pat, n, rows, (size_t)k * SC_LIT_LEN);
    }
    return k;
}

/* A number-valued answer: from c when it knows, else asked and kept. */
static long cached_number(rule_cache *c, uint32_t kind, const char *pat, size_t n, int caseless,
                          long (*ask)(const char *, size_t, int))
{
    long r;
    size_t len = sizeof r;
    const void *v = get(c, kind, (uint32_t)caseless, pat, n, &len);
    if (v) {
        memcpy(&r, v, sizeof r);
        return r;
    }
    r = ask(pat, n, caseless);
    put(c, kind, (uint32_t)caseless, pat, n, &r, sizeof r);
    return r;
}

static long ask_single_line(const char *pat, size_t n, int caseless) { return single_line(pat, n, caseless); }

int rc_single_line(rule_cache *c, const char *pat, size_t n, int caseless)
{
    return (int)cached_number(c, RC_SINGLE_LINE, pat, n, caseless, ask_single_line);
}

long rc_line_reach(rule_cache *c, const char *pat, size_t n, int caseless)
{
    return cached_number(c, RC_LINE_REACH, pat, n, caseless, line_reach);
}

/* An answer of a fixed size: from c when it knows, else made by fill
 * (into zeroed bytes, so the file is all defined) and kept. */
static void cached_answer(rule_cache *c, uint32_t kind, const char *pat, size_t n, int caseless, void *out,
                          size_t size, void (*fill)(const char *, size_t, int, void *))
{
    size_t len = size;
    const void *v = get(c, kind, (uint32_t)caseless, pat, n, &len);
    if (v) {
        memcpy(out, v, size);
        return;
    }
    memset(out, 0, size);
    fill(pat, n, caseless, out);
    put(c, kind, (uint32_t)caseless, pat, n, out, size);
}

typedef struct {
    int ret;
    unsigned char ascii[16];
} chars_answer;

static void ask_chars(const char *pat, size_t n, int caseless, void *out)
{
    chars_answer *a = out;
    a->ret = required_chars(pat, n, caseless, a->ascii);
}

int rc_required_chars(rule_cache *c, const char *pat, size_t n, int caseless, unsigned char ascii[16])
{
    chars_answer a;
    cached_answer(c, RC_CHARS, pat, n, caseless, &a, sizeof a, ask_chars);
    memcpy(ascii, a.ascii, 16);
    return a.ret;
}

static void ask_reach_around(const char *pat, size_t n, int caseless, void *out)
{
    reach_around(pat, n, caseless, out);
}

void rc_reach_around(rule_cache *c, const char *pat, size_t n, int caseless, sc_reach_around *out)
{
    cached_answer(c, RC_REACH_AROUND, pat, n, caseless, out, sizeof *out, ask_reach_around);
}

typedef struct {
    int ret, caseless;
    char gate[SC_GATE_LEN];
} gate_answer;

static void ask_gate(const char *pat, size_t n, int caseless, void *out)
{
    gate_answer *a = out;
    a->ret = required_gate(pat, n, caseless, a->gate, &a->caseless);
}

int rc_required_gate(rule_cache *c, const char *pat, size_t n, int caseless, char *gate, int *gate_caseless)
{
    gate_answer a;
    cached_answer(c, RC_GATE, pat, n, caseless, &a, sizeof a, ask_gate);
    memcpy(gate, a.gate, SC_GATE_LEN);
    *gate_caseless = a.caseless;
    return a.ret;
}

litscan *rc_litscan(rule_cache *c, char *const *lits, int n)
{
    if (!c)
        return litscan_build(lits, n);
    size_t klen = 0;
    for (int i = 0; i < n; i++)
        klen += strlen(lits[i]) + 1;
    char *key = malloc(klen ? klen : 1), *k = key;
    if (!key)
        return litscan_build(lits, n);
    for (int i = 0; i < n; i++) { /* each with its NUL: no two lists give one key */
        size_t l = strlen(lits[i]) + 1;
        memcpy(k, lits[i], l);
        k += l;
    }
    size_t len = 0;
    const void *v = get(c, RC_LITSCAN, (uint32_t)n, key, klen, &len);
    litscan *ls = v ? litscan_restore(v, len, n) : NULL;
    if (!ls && (ls = litscan_build(lits, n))) {
        size_t size;
        unsigned char *block = litscan_save(ls, &size);
        if (block)
            put(c, RC_LITSCAN, (uint32_t)n, key, klen, block, size);
        free(block);
    }
    free(key);
    return ls;
}
