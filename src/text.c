/* text.c - the mapped text shared by every stage. */
#include "text.h"

#include <stdlib.h>

void text_free(evx_text *t)
{
    if (!t)
        return;
    free(t->data);
    free(t->orig);
    t->data = NULL;
    t->orig = NULL;
    t->len = 0;
}
