/* html.h - stage 1b: an HTML page to the text a reader sees.
 *
 * Owns HTML input, between read and normalise: the page's charset (a BOM
 * wins, else <meta charset> / http-equiv in the first 1024 bytes, decoded
 * with an ICU converter), parsing with gumbo (HTML5), and turning the tree
 * into lines: block elements and <br> break lines, paragraphs and headings
 * are separated by a blank line, list items become lines starting "• " (or
 * "N. " in an <ol>), table cells are separated by a tab and rows by a line
 * break; whitespace collapses as a browser shows it (not inside <pre>).
 * Dropped: script, style, noscript, template, head, and page chrome - nav,
 * aside, header/footer outside an article, ARIA banner/navigation/
 * contentinfo, hidden elements, and elements whose id or class names a
 * cookie notice, consent, banner, menu or breadcrumb.
 *
 * Character references are decoded by gumbo; every output byte keeps the
 * ORIGINAL byte offset it came from (through gumbo's source positions and
 * the decoder's offsets), so spans still point into the HTML as written. A
 * decoded reference ("&ndash;") maps all its bytes to its '&', and the byte
 * after it to the byte after its ';'. */
#ifndef EVX_HTML_H
#define EVX_HTML_H
#include "read.h"
#include "text.h"

typedef enum { EVX_INPUT_AUTO, EVX_INPUT_TEXT, EVX_INPUT_HTML } evx_input_format;

/* "auto", "text" or "html"; returns 0, or -1 if unknown. */
int html_parse_input_format(const char *name, evx_input_format *fmt);

/* Whether an input is HTML: for EVX_INPUT_AUTO, a path ending in .html or
 * .htm (any case) is; other paths (and "-") are when the bytes start, after
 * a BOM and white space, with "<!doctype html", "<html" or "<!--". */
int html_is_input(evx_input_format fmt, const char *path, const read_input *in);
/* Whether a folder walk takes this file name (.html, .htm; any case). */
int html_is_html_name(const char *name);

/* The page in `in` as text. out (text_free) maps into in->bytes as in->utf8
 * does. *warning is updated: read's Windows-1252 fallback is dropped when
 * the page declares its charset and is decoded with it. Returns 0, or -1
 * with err (out of memory, an unusable converter), or -2 with err when the
 * page nests elements deeper than evx parses (error code html_too_deep). */
int html_to_text(const read_input *in, evx_text *out, const char **warning, char *err, size_t errlen);

#endif
