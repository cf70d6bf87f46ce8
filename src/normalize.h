/* normalize.h - stage 2: one canonical text for the rules to match.
 *
 * Owns: ICU NFC; Unicode spaces (no-break, thin, ideographic ...) and
 * control characters to ' ', but the tab, which parts a table's cells;
 * soft hyphens and zero-width characters dropped; typographic quotes to
 * ASCII quotes; CRLF and CR (and U+2028/U+2029) to LF. Dashes (en, em,
 * minus) are kept as written so rules can tell them apart; the shared
 * pattern @dash matches all of them as a range dash. Line structure is kept;
 * a run of more than 16 spaces and tabs keeps its first and last 8.
 * The output's map points at the same original bytes as the input's map. */
#ifndef EVX_NORMALIZE_H
#define EVX_NORMALIZE_H
#include "text.h"

/* Returns 0 and fills out (caller frees with text_free), or -1 with err. */
int norm_text(const evx_text *in, evx_text *out, char *err, size_t errlen);
/* The same into the buffers out holds (zeroed, or from an earlier call, with
 * room for *cap bytes), growing them as needed and updating *cap: a batch
 * allocates nothing per document once they are big enough. On failure out
 * keeps its buffers (len 0); text_free frees them in the end. */
int norm_text_reuse(const evx_text *in, evx_text *out, size_t *cap, char *err, size_t errlen);

#endif
