/* rulefile.h - reading the rules/ folder into plain data.
 *
 * Owns the rule-file syntax (documented in rules/README.md): `define`
 * lines, `rule` blocks with field/priority/head/case/set/match/example/reject lines,
 * and tables (rules/tables/NAME.tsv). Every item remembers file, line and
 * column so later stages can report problems where they are. Nothing is
 * compiled here. */
#ifndef EVX_RULEFILE_H
#define EVX_RULEFILE_H
#include "diag.h"

typedef struct {
    const char *file; /* points into rf_set.files */
    int line;
    int col;
} rf_pos;

typedef struct {
    char *key;
    char *value;
} rf_pair;

typedef struct {
    char *input;      /* with \n, \t, \" and \\ unescaped */
    rf_pair *expect;  /* key=value pairs that must come out */
    int nexpect;
    int must_match;   /* 1: `example`, 0: `reject` */
    rf_pos pos;
} rf_example;

typedef struct {
    char *name;       /* "file-stem/rule-name" */
    rf_pos pos;
    char *field;
    rf_pos field_pos;
    int priority;
    int case_sensitive;
    int head;         /* `head N`: matches start in the first N lines with text; 0: anywhere */
    rf_pair *sets;    /* constant attributes attached to every match */
    int nsets;
    char *match;      /* the pattern as written, before @reference expansion */
    rf_pos match_pos; /* position of the pattern's first character */
    rf_example *examples;
    int nexamples;
} rf_rule;

typedef struct {
    char *name;
    char *body;
    rf_pos pos;      /* the name */
    rf_pos body_pos; /* the body's first character */
} rf_define;

typedef struct {
    char *name;      /* file stem: tables/month.tsv is "month" */
    char **keys;     /* surface forms, lower-cased */
    char **values;
    int n;
    rf_pos pos;
} rf_table;

/* "gate NAME": a define worth one pre-scan per document, so that the
 * single-line rules that need it run only on the lines where it matches. */
typedef struct {
    char *name;
    rf_pos pos;
} rf_gate;

typedef struct {
    rf_define *defines;
    int ndefines;
    rf_gate *gates;
    int ngates;
    rf_table *tables;
    int ntables;
    rf_rule *rules;
    int nrules;
    char **files;    /* owned copies of the file names used in rf_pos */
    int nfiles;
} rf_set;

/* Reads DIR/tables/NAME.tsv and DIR/NAME.rules files in sorted order. Every problem is
 * reported to d; returns the number of errors (0 = usable set). The set is
 * filled even on error so callers can report more; free it with rf_set_free. */
int rf_load_dir(const char *dir, rf_set *set, diag_sink *d);
void rf_set_free(rf_set *set);
/* One rule file (rf_parse_rules) or table (rf_parse_table) already in
 * memory, added to set (zeroed or partly filled): `name` is the file name
 * problems are reported at, `stem` the rule-name prefix or the table's name.
 * `text` need not be NUL-terminated; a NUL byte in it is an error. Returns
 * the number of errors reported to d. rf_load_dir reads files through the
 * same parser. */
int rf_parse_rules(rf_set *set, const char *name, const char *stem, const char *text, size_t len,
                   diag_sink *d);
int rf_parse_table(rf_set *set, const char *name, const char *stem, const char *text, size_t len,
                   diag_sink *d);
/* Looks up a table by name; NULL when absent. */
const rf_table *rf_find_table(const rf_set *set, const char *name);
/* Table lookup of a surface form (compared lower-cased); NULL when absent. */
const char *rf_table_lookup(const rf_table *t, const char *surface);

#endif
