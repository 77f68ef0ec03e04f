/*
 * cluster — MPI for rep (see cluster.h). All state lives in the MPI library
 * (MPI_Initialized, MPI_Comm_rank), so this file keeps no globals of its own.
 *
 * Communication is a handful of collectives per rep_run: two allreduces and
 * at most one broadcast to agree on a failure, one allreduce to count
 * finished replications, and one broadcast per rank's block of results.
 * Replications take milliseconds to minutes and a result row is a few
 * kilobytes, so this is negligible next to the simulation and was kept plain
 * rather than overlapped with it. MPI's default error handler
 * (MPI_ERRORS_ARE_FATAL) is kept on purpose: a broken link ends the job
 * instead of leaving ranks waiting.
 */
#if defined(CASEFLOW_MPI) && !defined(_GNU_SOURCE)
#define _GNU_SOURCE /* sched_getaffinity, CPU_COUNT */
#endif
#include "cluster.h"

#include <limits.h>
#include <string.h>

#ifdef CASEFLOW_MPI
#include <mpi.h>
#include <sched.h>
#include <unistd.h>
#endif

void cluster_share(uint32_t n, unsigned rank, unsigned size, uint32_t *lo, uint32_t *hi)
{
    if (size == 0)
        size = 1;
    /* The first n % size ranks take one more; 64-bit products cannot wrap. */
    uint64_t base = n / size, extra = n % size, r = rank < size ? rank : size;
    *lo = (uint32_t)(r * base + (r < extra ? r : extra));
    *hi = rank < size ? (uint32_t)(*lo + base + (r < extra ? 1 : 0)) : *lo;
}

#ifndef CASEFLOW_MPI

int cluster_start(int *argc, char ***argv, err_info *e)
{
    (void)argc;
    (void)argv;
    (void)e;
    return 0;
}

void cluster_finish(void) {}

void cluster_abort(int code)
{
    (void)code;
}

unsigned cluster_rank(void)
{
    return 0;
}

unsigned cluster_size(void)
{
    return 1;
}

unsigned cluster_default_threads(void)
{
    return 0;
}

int cluster_first_error(int rc, uint64_t key, err_info *e)
{
    (void)key;
    (void)e;
    return rc;
}

void cluster_sum(uint64_t *v, int n)
{
    (void)v;
    (void)n;
}

void cluster_allgather_rows(double *rows, size_t width, uint32_t n)
{
    (void)rows;
    (void)width;
    (void)n;
}

#else

/* In the job: initialised and not yet finalised. */
static bool active(void)
{
    int init = 0, fini = 0;
    MPI_Initialized(&init);
    MPI_Finalized(&fini);
    return init && !fini;
}

/* Ranks of the job on this machine: process-wide configuration, set once by
 * cluster_start before any thread exists (as mem_set_hooks), so that
 * cluster_default_threads needs no collective call. */
static unsigned local_ranks = 1;

/* Collective: ranks of the job sharing memory with this one. */
static unsigned count_local_ranks(void)
{
    MPI_Comm node;
    int n = 1;
    if (MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, 0, MPI_INFO_NULL, &node) !=
        MPI_SUCCESS)
        return 1;
    MPI_Comm_size(node, &n);
    MPI_Comm_free(&node);
    return n > 0 ? (unsigned)n : 1u;
}

int cluster_start(int *argc, char ***argv, err_info *e)
{
    if (active())
        return 0;
    int provided = MPI_THREAD_SINGLE;
    if (MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &provided) != MPI_SUCCESS)
        return err_set(e, ERR_IO, NULL, 0, "cannot start MPI (MPI_Init_thread failed)");
    /* Worker threads make no MPI calls, but they exist: SINGLE would not allow them. */
    if (provided < MPI_THREAD_FUNNELED) {
        MPI_Finalize();
        return err_set(e, ERR_IO, NULL, 0,
                       "the MPI library gives no thread support (MPI_THREAD_FUNNELED needed)");
    }
    local_ranks = count_local_ranks();
    return 0;
}

void cluster_finish(void)
{
    if (active())
        MPI_Finalize();
}

void cluster_abort(int code)
{
    if (active())
        MPI_Abort(MPI_COMM_WORLD, code);
}

unsigned cluster_rank(void)
{
    int r = 0;
    if (active())
        MPI_Comm_rank(MPI_COMM_WORLD, &r);
    return (unsigned)r;
}

unsigned cluster_size(void)
{
    int n = 1;
    if (active())
        MPI_Comm_size(MPI_COMM_WORLD, &n);
    return n > 0 ? (unsigned)n : 1u;
}

unsigned cluster_default_threads(void)
{
    if (!active())
        return 0;
    long online = sysconf(_SC_NPROCESSORS_ONLN);
    cpu_set_t set;
    CPU_ZERO(&set);
    long usable = sched_getaffinity(0, sizeof set, &set) == 0 ? CPU_COUNT(&set) : online;
    if (online < 1 || usable < 1)
        return 1;
    /* Bound to a subset (mpirun --bind-to core, srun -c J): that subset is ours alone. */
    if (usable < online)
        return (unsigned)usable;
    long share = online / (long)local_ranks;
    return share > 0 ? (unsigned)share : 1u;
}

/* What travels from the failing rank: its code and message. */
typedef struct failure {
    int rc;
    err_info e;
} failure;

int cluster_first_error(int rc, uint64_t key, err_info *e)
{
    if (!active() || cluster_size() == 1)
        return rc;
    /* UINT64_MAX means "no failure here", so a failure's key stays below it. */
    uint64_t mine = rc == 0 ? UINT64_MAX : key < UINT64_MAX ? key : UINT64_MAX - 1;
    uint64_t low = UINT64_MAX;
    MPI_Allreduce(&mine, &low, 1, MPI_UINT64_T, MPI_MIN, MPI_COMM_WORLD);
    if (low == UINT64_MAX)
        return 0;
    int me = (int)cluster_rank(), owner = INT_MAX;
    int candidate = mine == low ? me : INT_MAX;
    MPI_Allreduce(&candidate, &owner, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
    failure f;
    memset(&f, 0, sizeof f);
    if (owner == me) {
        f.rc = rc;
        if (e != NULL)
            f.e = *e;
        else
            err_set(&f.e, rc, NULL, 0, "rank %d failed", me);
    }
    MPI_Bcast(&f, (int)sizeof f, MPI_BYTE, owner, MPI_COMM_WORLD);
    if (e != NULL)
        *e = f.e;
    return f.rc;
}

void cluster_sum(uint64_t *v, int n)
{
    if (!active() || cluster_size() == 1 || n <= 0)
        return;
    MPI_Allreduce(MPI_IN_PLACE, v, n, MPI_UINT64_T, MPI_SUM, MPI_COMM_WORLD);
}

void cluster_allgather_rows(double *rows, size_t width, uint32_t n)
{
    unsigned size = cluster_size();
    if (!active() || size == 1 || width == 0)
        return;
    /* Counts are ints in MPI: pieces of whole rows under 2^30 values. */
    size_t piece = ((size_t)1 << 30) / width;
    if (piece == 0)
        piece = 1;
    for (unsigned k = 0; k < size; k++) {
        uint32_t lo, hi;
        cluster_share(n, k, size, &lo, &hi);
        for (size_t r = lo; r < hi; r += piece) {
            size_t rows_now = hi - r < piece ? hi - r : piece;
            MPI_Bcast(rows + r * width, (int)(rows_now * width), MPI_DOUBLE, (int)k,
                      MPI_COMM_WORLD);
        }
    }
}

#endif

bool cluster_is_root(void)
{
    return cluster_rank() == 0;
}
