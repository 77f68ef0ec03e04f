/*
 * progress — a progress bar on stderr while replications run:
 *
 *   [########            ] 8/20 replications, 1.6 s elapsed, about 2.4 s left
 *
 * Shown only when the stream is a terminal and only once the run has lasted
 * more than a second (a short run, a pipe or a log file stays quiet), redrawn
 * at most ten times a second, and wiped when the run ends so the next message
 * starts on a clean line. The environment variable CASEFLOW_PROGRESS=1 shows
 * it whatever the stream is (mpirun hands the ranks a pipe for stderr even
 * when it runs in a terminal), CASEFLOW_PROGRESS=0 never; any other value, or
 * none, leaves the choice to the terminal test.
 *
 * Under MPI each rank sees only its own block of the replications (rep.h), so
 * the bar on rank 0 counts rank 0's block and says so:
 *
 *   [########            ] 4/10 replications of rank 0's share (20 on 2 ranks), ...
 *
 * Rank 0's block is never smaller than another rank's (cluster_share gives
 * the extra ones to the lowest ranks) and every rank starts together, so
 * its fraction done, and its time left, stand for the whole job's. No
 * message between ranks is needed for it.
 *
 * cli_progress_update has rep_options.progress's signature: rep calls it
 * after each replication, serialised by its lock, from worker threads.
 */
#ifndef CASEFLOW_PROGRESS_H
#define CASEFLOW_PROGRESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define CLI_PROGRESS_DELAY  1.0 /* seconds before the bar appears */
#define CLI_PROGRESS_REDRAW 0.1 /* seconds between redraws */

typedef struct cli_progress {
    FILE *fp;       /* where the bar goes (stderr) */
    bool enabled;   /* fp is a terminal */
    bool shown;     /* a bar is on the screen now */
    double t0;      /* start, seconds on the monotonic clock */
    double drawn;   /* when the bar was last drawn */
    size_t width;   /* characters of the last bar, to wipe it */
    uint64_t whole; /* replications of the whole job when ranks > 1 */
    unsigned ranks; /* processes sharing them: 0 or 1 = this process runs all */
} cli_progress;

/* Starts timing; the bar is enabled when fp is a terminal (or as
 * CASEFLOW_PROGRESS says). This process runs everything it counts. */
void cli_progress_start(cli_progress *p, FILE *fp);

/* The done/total given to the bar are this process's share of `whole`
 * replications run on `ranks` processes (ranks <= 1: no sharing, as after
 * cli_progress_start). */
void cli_progress_share(cli_progress *p, uint64_t whole, unsigned ranks);

/* The rep callback: ud is the cli_progress. */
void cli_progress_update(void *ud, uint32_t done, uint32_t total);
/* As cli_progress_update, counting past 2^32: a sweep's bar counts points x
 * replications (up to DESIGN_MAX_POINTS per dimension, each with thousands). */
void cli_progress_count(cli_progress *p, uint64_t done, uint64_t total);

/* As cli_progress_update at time now (seconds, same clock as t0): for tests. */
void cli_progress_at(cli_progress *p, uint64_t done, uint64_t total, double now);

/* Wipes the bar if one is shown. */
void cli_progress_finish(cli_progress *p);

/* The bar's text (no carriage return) into buf; returns its length. whole
 * and ranks as for cli_progress_share (0, 0 for one process). */
size_t cli_progress_format(char *buf, size_t size, uint64_t done, uint64_t total, uint64_t whole,
                           unsigned ranks, double elapsed);

#endif
