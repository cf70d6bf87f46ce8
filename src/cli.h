/* cli.h - the command line: options, usage text, inputs, the run loop.
 *
 * Exit statuses are one enum, documented in --help and the README. */
#ifndef EVX_CLI_H
#define EVX_CLI_H

typedef enum {
    EVX_EXIT_OK = 0,      /* every input produced a record */
    EVX_EXIT_INPUT = 1,   /* some inputs failed (each one reported) */
    EVX_EXIT_USAGE = 2,   /* bad command line, unusable rules or schema */
    /* 128 + the signal (130 SIGINT, 143 SIGTERM): the run was interrupted */
} evx_exit;

/* Parses argv and runs the command. Returns the process exit status. */
int cli_main(int argc, char **argv);

#endif
