/* shard.c - the deterministic 1/N split behind --shard (see shard.h). */
#include "shard.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int shard_parse(const char *text, shard_spec *out, char *err, size_t errlen)
{
    char *end;
    errno = 0;
    unsigned long i = strtoul(text, &end, 10), n = 0;
    int ok = end != text && *text >= '0' && *text <= '9' && *end == '/';
    if (ok) {
        const char *d = end + 1;
        n = strtoul(d, &end, 10);
        ok = end != d && *d >= '0' && *d <= '9' && !*end && errno == 0;
    }
    if (!ok || i < 1 || n < 1 || i > n || n > 1000000) {
        snprintf(err, errlen, "--shard '%s': expected I/N with 1 <= I <= N (e.g. --shard 3/8)", text);
        return -1;
    }
    out->index = (unsigned)i;
    out->count = (unsigned)n;
    return 0;
}

uint64_t shard_hash(const char *key)
{
    uint64_t h = 0xcbf29ce484222325u; /* FNV-1a */
    for (const unsigned char *p = (const unsigned char *)key; *p; p++)
        h = (h ^ *p) * 0x100000001b3u;
    /* FNV's low bits mix poorly for short, similar keys (file-001.txt,
     * file-002.txt); the splitmix64 finaliser spreads them. */
    h ^= h >> 30;
    h *= 0xbf58476d1ce4e5b9u;
    h ^= h >> 27;
    h *= 0x94d049bb133111ebu;
    h ^= h >> 31;
    return h;
}

unsigned shard_of(const char *key, unsigned count)
{
    return count ? (unsigned)(shard_hash(key) % count) + 1 : 1;
}

/* The length of a PATH argument without trailing slashes ("/" stays 1). */
static size_t trimmed(const char *arg)
{
    size_t l = strlen(arg);
    while (l > 1 && arg[l - 1] == '/')
        l--;
    return l;
}

const char *shard_key(const char *input, char *const *args, int nargs)
{
    for (int i = 0; i < nargs; i++) {
        size_t l = trimmed(args[i]);
        if (!strncmp(input, args[i], l) && input[l] == '/' && input[l + 1]) {
            const char *k = input + l;
            while (*k == '/')
                k++;
            return k;
        }
    }
    const char *slash = strrchr(input, '/');
    return slash && slash[1] ? slash + 1 : input;
}

void shard_filter(const shard_spec *s, char *const *args, int nargs, char **inputs, int *n)
{
    if (s->count <= 1)
        return;
    int kept = 0;
    for (int i = 0; i < *n; i++) {
        if (shard_of(shard_key(inputs[i], args, nargs), s->count) == s->index)
            inputs[kept++] = inputs[i];
        else
            free(inputs[i]);
    }
    *n = kept;
}
