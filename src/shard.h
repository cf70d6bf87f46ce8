/* shard.h - `evx extract --shard I/N`: which inputs belong to shard I of N.
 *
 * Owns the I/N syntax and the assignment rule. An input belongs to shard
 * 1 + hash(key) mod N, where key is the input's path relative to the PATH
 * argument it was found under (for a PATH that is itself a file: its base
 * name). The key does not depend on where the folder is mounted, what the
 * folder itself is called, the order the file system lists it in or which
 * other files exist, so every machine of a cluster computes the same split
 * and a file keeps its shard when the corpus grows. The hash is FNV-1a
 * (64 bit) with a final avalanche mix, fixed forever: changing it would
 * re-split every batch. */
#ifndef EVX_SHARD_H
#define EVX_SHARD_H
#include <stddef.h>
#include <stdint.h>

typedef struct {
    unsigned index; /* 1-based */
    unsigned count; /* 0 or 1: no sharding */
} shard_spec;

/* Parses "I/N" (1 <= I <= N <= 1000000). Returns 0, or -1 with a message. */
int shard_parse(const char *text, shard_spec *out, char *err, size_t errlen);

/* The stable hash of a key and the shard (1..count) it falls in. */
uint64_t shard_hash(const char *key);
unsigned shard_of(const char *key, unsigned count);

/* The key of `input`, found under one of the PATH arguments `args`. */
const char *shard_key(const char *input, char *const *args, int nargs);

/* Keeps only the inputs of shard s, in order; frees the others (strings from
 * malloc) and updates *n. */
void shard_filter(const shard_spec *s, char *const *args, int nargs, char **inputs, int *n);

#endif
