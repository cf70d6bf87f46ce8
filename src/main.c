/* main.c - evx: Swedish event announcements to validated JSON records. */
#include "cli.h"

int main(int argc, char **argv)
{
    return cli_main(argc, argv);
}
