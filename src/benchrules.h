/* benchrules.h - `evx bench-rules`: the floor under `evx extract`.
 *
 * Owns a diagnostic that reads, normalises and runs the compiled rule set
 * over every input exactly as `evx extract` does, but stops there: no
 * resolve, no JSON, no schema check, no output. It reports documents, bytes,
 * the time spent in each of the three phases and the throughput, so the
 * benchmark (bench/run) can compare the whole pipeline with its bare rule
 * scan. With per_rule, it also times every rule separately (hot-spot hunt). */
#ifndef EVX_BENCHRULES_H
#define EVX_BENCHRULES_H
#include <stdio.h>

/* Runs the scan over inputs (files already listed). Prints a summary (and
 * the per-rule table) to out; with json, one JSON object instead.
 * Returns the process exit status: 0, 1 when an input failed, 2 when the
 * rules are unusable. */
int bench_rules(const char *rules_dir, char *const *inputs, int n, int per_rule, int json, FILE *out);

#endif
