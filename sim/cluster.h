/*
 * cluster — the processes (ranks) of an MPI job, as the rest of caseflow
 * sees them. The only module that calls MPI; rep.h builds on it so that
 * every command running replications through rep_run is spread over the
 * ranks of `mpirun -np N` or `srun` without knowing it.
 *
 * Two builds, one contract:
 *   - plain (no CASEFLOW_MPI): one process; cluster_start and the
 *     collectives do nothing, cluster_size() is 1, cluster_rank() 0.
 *   - `make MPI=1` (mpicc, -DCASEFLOW_MPI): ranks of MPI_COMM_WORLD. Until
 *     cluster_start has run (unit tests, a tool that never calls it) every
 *     function behaves as in the plain build, so the library needs no MPI
 *     job to work.
 *
 * Collectives (marked below) must be called by every rank, in the same
 * order, with consistent arguments; a rank that skips one makes the others
 * wait for ever. Thread-safety: MPI is initialised MPI_THREAD_FUNNELED, so
 * only the thread that called cluster_start may call the collectives;
 * cluster_rank/size/is_root/share are safe anywhere.
 *
 * Assumes one binary on every rank (err_info travels as bytes) and the same
 * files visible to all ranks (each rank loads the scenario itself).
 */
#ifndef CASEFLOW_CLUSTER_H
#define CASEFLOW_CLUSTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"

/* Joins the MPI job (MPI_Init_thread, FUNNELED) from main, before any thread
 * starts. argc/argv as main's. Returns 0, or ERR_IO with a message when MPI
 * cannot start or gives no thread support; no-op in the plain build. */
int cluster_start(int *argc, char ***argv, err_info *e);

/* Leaves the job (MPI_Finalize) if cluster_start joined it; safe to call
 * twice and without cluster_start. Every rank must call it. */
void cluster_finish(void);

/* Ends every rank of the job at once with status code (MPI_Abort): for a
 * failure on one rank that the others cannot learn of. Returns only when
 * there is no job (plain build, or before cluster_start). */
void cluster_abort(int code);

unsigned cluster_rank(void); /* 0 .. cluster_size()-1 */
unsigned cluster_size(void); /* >= 1 */
bool cluster_is_root(void);  /* rank 0: the one that prints and writes files */

/*
 * Replications [*lo, *hi) of n that rank `rank` of `size` runs: contiguous
 * blocks, sizes differing by at most one, lower ranks first, so the blocks
 * in rank order are 0 .. n-1. Pure arithmetic (no MPI): testable.
 */
void cluster_share(uint32_t n, unsigned rank, unsigned size, uint32_t *lo, uint32_t *hi);

/*
 * Threads a rank should use when the user did not say: the CPUs this
 * process may run on (its affinity, as mpirun --bind-to or srun
 * --cpus-per-task set it), divided among the job's ranks on this machine
 * when they are not bound. 0 = no opinion (plain build, no job): the caller
 * uses its own default.
 */
unsigned cluster_default_threads(void);

/*
 * Collective. Agrees on the first failure: each rank passes rc (0 = fine)
 * and, when rc != 0, a key ordering failures (a replication index, or its
 * rank before any replication ran). Returns 0 when no rank failed; else, on
 * every rank, the rc of the rank with the lowest key (ties: lowest rank),
 * with its message copied into e (e may be NULL). Plain build: returns rc.
 */
int cluster_first_error(int rc, uint64_t key, err_info *e);

/* Collective. Replaces v[0 .. n-1] by their sums over ranks. */
void cluster_sum(uint64_t *v, int n);

/*
 * Collective. rows holds n rows of width doubles; rank k filled its share
 * (cluster_share) and the rest are overwritten: on return every rank holds
 * all n rows, bit for bit as their owners computed them. Sent in pieces of
 * under 2^31 values, so any matrix that fits in memory goes through.
 */
void cluster_allgather_rows(double *rows, size_t width, uint32_t n);

#endif
