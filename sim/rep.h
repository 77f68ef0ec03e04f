/*
 * rep — independent replications of a model, run on a pool of threads, with
 * results that do not depend on how many threads ran them.
 *
 * A model is anything that can run replication r into a vector of metric
 * values. Threads take replication indices from a shared counter; each
 * writes its vector into row r of the caller's results matrix, so the
 * matrix (and everything computed from it, in index order) is identical
 * whatever the number of threads or the order they finish in. Each
 * replication's randomness depends only on (seed, r) — see rng.h.
 *
 * Across machines (`make MPI=1`, then `mpirun -np N` or `srun`): each rank
 * of the MPI job runs a contiguous block of the replications on its own
 * threads (cluster_share), then the rows are exchanged, so rep_run returns
 * on every rank with the whole matrix, bit for bit what one process would
 * have computed, and the same return code and message. A command needs
 * nothing more to be distributed than to let only rep_is_root() print and
 * write files (caseflow's main silences the other ranks). In the plain
 * build, or an MPI build run as a single process, none of this happens and
 * rep_run is the thread pool alone.
 *
 * Thread-safety: run_one is called concurrently on different workers; the
 * model's ctx must be read-only during rep_run. worker_create/destroy are
 * called on the worker's own thread. rep_run and rep_agree must be called
 * from the thread that started MPI (main) and, in an MPI job, by every rank
 * in the same order (they are collectives).
 */
#ifndef CASEFLOW_REP_H
#define CASEFLOW_REP_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"

typedef struct rep_model {
    size_t n_metrics; /* length of each replication's result vector */
    void *ctx;        /* shared by all workers, read-only during the run */
    /* Per-thread state (e.g. a sim with its pools), or NULL with e set. */
    void *(*worker_create)(void *ctx, err_info *e);
    void (*worker_destroy)(void *worker);
    /* Runs replication rep, writing n_metrics values to out. 0 or an ERR_* code. */
    int (*run_one)(void *worker, uint32_t rep, double *out, err_info *e);
} rep_model;

typedef struct rep_options {
    uint32_t replications;             /* >= 1 */
    unsigned jobs;                     /* threads; 0 = number of online CPUs */
    const volatile sig_atomic_t *stop; /* when set, remaining replications are skipped */
    /* Called (serialised by a lock, from any worker thread) after each
     * replication completes; may be NULL. */
    void (*progress)(void *ud, uint32_t done, uint32_t total);
    void *progress_ud;
} rep_options;

/*
 * Runs replications 0 .. o->replications-1 of m, writing replication r's
 * vector to results[r * m->n_metrics ...]. Returns 0, or the error of the
 * lowest-numbered failing replication (so the message is the same for any
 * number of threads or ranks); ERR_INTERRUPT if stopped. Spawns
 * min(jobs, its share of reps) threads; o->progress counts this process's
 * share (done of its share), since a rank cannot see the others' progress.
 *
 * In an MPI job: every rank must pass the same m->n_metrics and
 * o->replications; results must hold all rows on every rank (rows of
 * other ranks are overwritten). A stop on one rank ends that rank's share;
 * the others finish theirs, then all return ERR_INTERRUPT together (mpirun
 * and srun pass Ctrl-C to every rank, so in practice all stop at once).
 * On failure results is partly written, as in the plain build.
 */
int rep_run(const rep_model *m, const rep_options *o, double *results, err_info *e);

/*
 * For a rank that failed before reaching rep_run, where the other ranks may
 * call it: stands in for that rep_run (the same collective), so no rank
 * waits for ever. Every rank that did reach rep_run returns this failure
 * too; the lowest rank's message wins. Returns rc with e as given (plain
 * build, one process), or the agreed failure. rc must not be 0.
 */
int rep_agree(int rc, err_info *e);

/* True on the process that prints and writes outputs: always in the plain
 * build, on rank 0 only in an MPI job. */
bool rep_is_root(void);

/* Processes the replications are shared among: the MPI job's ranks, else 1.
 * With more than one, rep_options.progress counts this process's block only;
 * rank 0's block is never smaller than another's. */
unsigned rep_ranks(void);

/* Threads per process when not told: online CPUs; in an MPI job, the CPUs
 * this rank may use, shared among its machine's ranks (cluster.h). >= 1. */
unsigned rep_default_jobs(void);

#endif
