/* people.c - the people-and-programme part of resolve, in dependency order. */
#include "resolve.h"

void res_people(const ext_matches *ms, const evx_text *t, evx_record *rec)
{
    res_speakers(ms, t, rec);
    res_programme(ms, t, rec);
    res_contacts(ms, t, rec);
    res_organizers(ms, t, rec);
}
