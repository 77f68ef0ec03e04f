/*
 * cli — process-wide pieces of the command line: the stop flag a signal
 * sets, and how errors are printed. Kept out of main.c so tests can link them.
 */
#include "cli.h"

#include <stdio.h>
#include <string.h>

volatile sig_atomic_t cli_stop = 0;

static void on_signal(int sig)
{
    (void)sig;
    cli_stop = 1;
}

void cli_catch_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
}

void cli_error(const char *msg)
{
    fprintf(stderr, "caseflow: %s\n", msg);
}
