/* test_litscan.c - the one-pass literal finder extract.c gates rules with.
 *
 * Its answer (the lines each literal is on) is compared with a naive
 * search of every literal on every line, over texts built to have
 * overlapping literals, literals inside each other, at line ends, across
 * line breaks (never found) and repeated on one line (listed once); the
 * same for the automaton saved and restored (the rule cache keeps it), and
 * a damaged block is refused or, where it still reads as an automaton,
 * runs without reading out of bounds (ASan in CI). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "litscan.h"

#include "check.h"

/* Literal i's lines by brute force, as "1 4 7 ". */
static void naive(const char *lit, const char *text, char *out, size_t len)
{
    size_t used = 0;
    out[0] = '\0';
    int line = 0;
    for (const char *p = text; *p; line++) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        size_t ll = strlen(lit);
        for (size_t i = 0; i + ll <= n; i++)
            if (!memcmp(p + i, lit, ll)) {
                used += (size_t)snprintf(out + used, len - used, "%d ", line);
                break;
            }
        p += n + (nl != NULL);
    }
}

static void same_as_naive_with(litscan *ls, char *const *lits, int n, const char *text);

static void same_as_naive(char *const *lits, int n, const char *text)
{
    litscan *built = litscan_build(lits, n);
    CHECK(built != NULL);
    if (!built)
        return;
    size_t size;
    unsigned char *block = litscan_save(built, &size);
    CHECK(block != NULL);
    litscan *restored = block ? litscan_restore(block, size, n) : NULL;
    CHECK(restored != NULL);
    CHECK(!block || !litscan_restore(block, size, n + 1)); /* another rule set's */
    CHECK(!block || !litscan_restore(block, size - 1, n)); /* cut short */
    free(block);
    same_as_naive_with(built, lits, n, text);
    same_as_naive_with(restored, lits, n, text);
}

static void same_as_naive_with(litscan *ls, char *const *lits, int n, const char *text)
{
    if (!ls)
        return;
    litscan_hits h = {0};
    CHECK(litscan_run(ls, text, strlen(text), &h) == 0);
    for (int i = 0; i < n; i++) {
        char want[1024], got[1024];
        naive(lits[i], text, want, sizeof want);
        size_t used = 0;
        got[0] = '\0';
        for (int j = h.first[i]; j < h.first[i + 1]; j++)
            used += (size_t)snprintf(got + used, sizeof got - used, "%d ", h.lines[j]);
        if (strcmp(want, got))
            fprintf(stderr, "literal '%s': lines %s, expected %s\n", lits[i], got, want);
        CHECK(!strcmp(want, got));
    }
    litscan_hits_free(&h);
    litscan_free(ls);
}

int main(void)
{
    char *classic[] = {"he", "she", "his", "hers"};
    same_as_naive(classic, 4, "ushers\nhis\nhe she\nnothing\nhershe\n\nh\ne");
    char *swedish[] = {"senast", "sista", "anm", "anmälan", "\xc3\xa4lan", "kostnad", "kl.", "[at]", " och "};
    same_as_naive(swedish, 9,
                  "anmälan senast 3 maj\nsista anmälningsdag\nkostnadkostnad kl. 10\nx[at]y och z\n"
                  "sena\nst\nanm anm anm\n kl.\n och ");
    char *nested[] = {"a", "aa", "aaa", "ab", "b"};
    same_as_naive(nested, 5, "aaaa\nab\nba\n\nbbb\naab");
    same_as_naive(nested, 5, "");
    same_as_naive(classic, 0, "he she"); /* no literals at all */

    /* More states than 16 bits number (6,000 literals of 8 letters, about
     * 40,000 states): the 32-bit table, built, saved and restored. */
    enum { MANY = 6000, LEN = 8 };
    static char many_buf[MANY][LEN + 1];
    static char *many[MANY];
    unsigned seed = 12345;
    for (int i = 0; i < MANY; i++) {
        for (int k = 0; k < LEN; k++) {
            seed = seed * 1103515245u + 12345u;
            many_buf[i][k] = (char)('a' + (seed >> 16) % 26);
        }
        many[i] = many_buf[i];
    }
    char text[4096];
    size_t used = 0;
    for (int i = 0; i < 300 && used + LEN + 2 < sizeof text; i += 7) {
        memcpy(text + used, many[i * 13 % MANY], LEN);
        used += LEN;
        text[used++] = i % 3 ? ' ' : '\n';
    }
    text[used] = '\0';
    same_as_naive(many, MANY, text);

    /* Every byte of a saved block changed in turn: refused, or an automaton
     * that runs over every byte value without going astray. */
    litscan *small = litscan_build(nested, 5);
    size_t size;
    unsigned char *block = litscan_save(small, &size);
    char all[512];
    for (int i = 0; i < 511; i++)
        all[i] = (char)(i % 255 + 1);
    all[511] = '\0';
    int refused = 0;
    for (size_t i = 0; block && i < size; i++) {
        unsigned char was = block[i];
        block[i] ^= 0x5A;
        litscan *bent = litscan_restore(block, size, 5);
        refused += !bent;
        litscan_hits bh = {0};
        if (bent)
            CHECK(litscan_run(bent, all, sizeof all - 1, &bh) == 0);
        litscan_hits_free(&bh);
        litscan_free(bent);
        block[i] = was;
    }
    CHECK(refused > 0);
    free(block);
    litscan_free(small);

    /* Buffers are reused: a second, shorter document forgets the first. */
    litscan *ls = litscan_build(classic, 4);
    litscan_hits h = {0};
    CHECK(litscan_run(ls, "she\nhe\nhis", 10, &h) == 0);
    CHECK(h.first[1] - h.first[0] == 2); /* "he" on lines 0 and 1 */
    CHECK(litscan_run(ls, "x\nhers", 6, &h) == 0);
    CHECK(h.first[1] - h.first[0] == 1 && h.lines[h.first[0]] == 1);
    CHECK(h.first[3] == h.first[2]); /* no "his" */
    litscan_hits_free(&h);
    litscan_free(ls);
    return CHECK_DONE("test_litscan");
}
