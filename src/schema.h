/* schema.h - checks records against the record contract before they are written.
 *
 * Owns: loading a JSON Schema (2020-12) file and validating Jansson values
 * against it, for the subset of keywords schema/evx-record.schema.json uses:
 * type, properties, required, additionalProperties (false only), items,
 * prefixItems, minItems, maxItems, enum, const, pattern, minLength, minimum,
 * anyOf, oneOf, $ref ("#/$defs/NAME" only), and boolean schemas. Other
 * keywords (description, $schema, $id, title, format ...) are ignored. All
 * patterns are compiled once at load; validation never compiles. A loaded
 * schema is read-only, so one may be shared by threads. */
#ifndef EVX_SCHEMA_H
#define EVX_SCHEMA_H
#include <stddef.h>
#include <jansson.h>

typedef struct schema schema; /* opaque */

/* Loads and prepares the schema at `path`. Returns NULL with a message in err
 * on failure: "path:line:col: ..." for unreadable or malformed JSON, and
 * "path: ..." for a bad pattern or a $ref that does not resolve. */
schema *schema_load(const char *path, char *err, size_t errlen);

/* Returns 0 when `instance` is valid. Returns -1 with a message naming the
 * JSON pointer of the first failing value, e.g.
 * "/occurrences/0/date: does not match pattern ^...$" ("(root)" for the
 * whole instance). Never modifies s or instance. Runs schema_conforms and,
 * only when that fails, schema_explain. */
int schema_validate(const schema *s, const json_t *instance, char *err,
                    size_t errlen);

/* The fast check, 1 when `instance` is valid, else 0: a tree compiled at
 * load with every keyword looked up once and no messages built (the reference
 * walker below costs several times more per record). It must agree with
 * schema_explain on every instance; test_schema proves it on the golden
 * records and thousands of mutations of them. */
int schema_conforms(const schema *s, const json_t *instance);

/* The reference walker: the schema's keywords looked up in the Jansson tree
 * as it goes, with the message of the first failure. Same contract as
 * schema_validate. */
int schema_explain(const schema *s, const json_t *instance, char *err,
                   size_t errlen);

/* Frees everything schema_load allocated; NULL is ok. */
void schema_free(schema *s);

#endif
