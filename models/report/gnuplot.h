/*
 * gnuplot — running gnuplot, an external program, on a script.
 *
 * caseflow draws its charts by running gnuplot (not by linking a plotting
 * library), so the scripts in scripts/ are the charts: an analyst can run
 * them by hand and get the same pictures. Finding gnuplot on PATH is the
 * command line's job (it reads the environment); this module is handed the
 * program's path.
 *
 * gnuplot inherits stdout and stderr, so its own messages reach the user.
 * Not thread-safe with respect to other code that forks (uses fork/exec).
 */
#ifndef CASEFLOW_GNUPLOT_H
#define CASEFLOW_GNUPLOT_H

#include "err.h"

/*
 * Runs `program script` with cwd as its working folder and waits for it.
 * Returns 0 if it exited with status 0; otherwise ERR_IO saying how it
 * failed: could not start (naming program), exited with status N, or was
 * killed by signal N (ERR_INTERRUPT for SIGINT or SIGTERM).
 */
int gnuplot_run(const char *program, const char *cwd, const char *script, err_info *e);

#endif
