/* people.c - speakers, agenda, contacts and organisers (filled by the
 * people-and-programme rules). */
#include "resolve.h"

void res_people(const ext_matches *ms, const evx_text *t, evx_record *rec)
{
    (void)ms;
    (void)t;
    (void)rec;
}
