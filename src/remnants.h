/* remnants.h - stage 1c: markup a scraper left in a text input.
 *
 * Owns the clean-up of a plain-text input that still carries pieces of its
 * web page: character references ("&amp;", "&nbsp;", "&#8211;", "&#x2013;",
 * the named ones a Swedish page uses) are decoded, tags ("<strong>",
 * "<div class=\"event-meta\">", "</li>") and comments are dropped, and a
 * tag that breaks a line in a browser (br, p, div, li, headings, table
 * rows) leaves a line break where its line had none. Text without such
 * remnants is not touched ("barn <12 år", "Konsert & Kongress", an unknown
 * "&name;" stay as written). HTML inputs go through html.h instead.
 *
 * Every output byte keeps the original offset of the byte it came from; a
 * decoded reference maps all its bytes to its '&', a break left by a tag to
 * its '<'. Linear in the input. */
#ifndef EVX_REMNANTS_H
#define EVX_REMNANTS_H
#include "text.h"

/* Returns 0 when `in` holds no remnants (out untouched), 1 with the cleaned
 * text in out (text_free), -1 when out of memory. */
int remnants_clean(const evx_text *in, evx_text *out);

#endif
