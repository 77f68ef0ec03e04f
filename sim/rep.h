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
 * Thread-safety: run_one is called concurrently on different workers; the
 * model's ctx must be read-only during rep_run. worker_create/destroy are
 * called on the worker's own thread.
 */
#ifndef CASEFLOW_REP_H
#define CASEFLOW_REP_H

#include <signal.h>
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
 * number of threads); ERR_INTERRUPT if stopped. Spawns min(jobs, reps) threads.
 */
int rep_run(const rep_model *m, const rep_options *o, double *results, err_info *e);

/* Online CPUs (>= 1). */
unsigned rep_default_jobs(void);

#endif
