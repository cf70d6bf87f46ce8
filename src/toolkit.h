/* toolkit.h - the rule maintainers' commands: lint, explain, coverage.
 *
 * `evx rules test` is rules_selftest (rules.c); these are the others. Each
 * returns the process exit status (0 fine, 1 problems found, 2 unusable
 * rules) and prints to `out`; problems with the rules themselves go to
 * stderr in file:line:column form, as for `evx extract`. See rules/README.md. */
#ifndef EVX_TOOLKIT_H
#define EVX_TOOLKIT_H
#include <stdio.h>

/* Loads and compiles every rule file in dir and checks it; every problem is
 * printed to out as "file:line:column: error|warning: message", sorted by
 * place. Returns 1 when there was any error, else 0 (warnings alone pass). */
int tk_lint(const char *dir, FILE *out);

/* Shows why the record of `path` came out as it did: the normalised text
 * with each surviving match, the matches that lost and why, the record.
 * `json` prints one JSON document instead; `color` adds ANSI colours. */
int tk_explain(const char *dir, const char *path, int json, int color, FILE *out);

/* How often each rule fired over the inputs (files, already listed), and
 * which rules never did. */
int tk_coverage(const char *dir, char *const *inputs, int n, FILE *out);

#endif
