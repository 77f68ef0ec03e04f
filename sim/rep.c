/*
 * rep — a fixed pool of POSIX threads pulling replication indices from a
 * mutex-protected counter. Replications take milliseconds to seconds, so one
 * lock per replication costs nothing measurable and keeps the code plain.
 * A failure stops new replications from starting; the error reported is the
 * one from the lowest replication index that failed, which is deterministic
 * because replications below it all ran (indices are handed out in order).
 *
 * In an MPI job each rank runs the pool on its block [lo, hi) of indices
 * (cluster_share). The same argument holds per block, so the lowest of the
 * ranks' lowest failures is the lowest failure overall: one agreement at
 * the end gives every rank the single-process answer, and no rank needs to
 * interrupt another. Blocks rather than striding keep each rank's rows
 * contiguous for the exchange; replications of one scenario cost about the
 * same, so blocks balance as well as striding would.
 */
#include "rep.h"

#include <pthread.h>
#include <string.h>
#include <unistd.h>

#include "cluster.h"
#include "mem.h"

typedef struct shared {
    const rep_model *m;
    const rep_options *o;
    double *results;
    pthread_mutex_t lock;
    uint32_t begin, end; /* this process's block of replication indices */
    uint32_t next;       /* the next index to hand out */
    uint32_t done;       /* replications finished here */
    int failed;          /* set once any replication fails */
    uint32_t fail_rep;   /* lowest failing replication */
    err_info fail_err;   /* its error */
} shared;

static void record_failure(shared *sh, uint32_t rep, const err_info *e)
{
    pthread_mutex_lock(&sh->lock);
    if (!sh->failed || rep < sh->fail_rep) {
        sh->failed = 1;
        sh->fail_rep = rep;
        sh->fail_err = *e;
    }
    pthread_mutex_unlock(&sh->lock);
}

static void *worker_main(void *arg)
{
    shared *sh = arg;
    err_info e;
    err_clear(&e);
    void *w = sh->m->worker_create(sh->m->ctx, &e);
    if (w == NULL) {
        record_failure(sh, sh->begin, &e); /* before any replication: the block's first */
        return NULL;
    }
    size_t width = sh->m->n_metrics;
    for (;;) {
        pthread_mutex_lock(&sh->lock);
        int stop = sh->failed || sh->next >= sh->end || (sh->o->stop != NULL && *sh->o->stop);
        uint32_t rep = sh->next++;
        pthread_mutex_unlock(&sh->lock);
        if (stop)
            break;
        err_clear(&e);
        int rc = sh->m->run_one(w, rep, sh->results + (size_t)rep * width, &e);
        if (rc != 0) {
            if (e.code == ERR_OK)
                err_set(&e, rc, NULL, 0, "replication %u failed", rep);
            record_failure(sh, rep, &e);
            break;
        }
        pthread_mutex_lock(&sh->lock);
        uint32_t done = ++sh->done;
        if (sh->o->progress)
            sh->o->progress(sh->o->progress_ud, done, sh->end - sh->begin);
        pthread_mutex_unlock(&sh->lock);
    }
    sh->m->worker_destroy(w);
    return NULL;
}

unsigned rep_default_jobs(void)
{
    unsigned hint = cluster_default_threads();
    if (hint > 0)
        return hint;
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (unsigned)n : 1u;
}

bool rep_is_root(void)
{
    return cluster_is_root();
}

unsigned rep_ranks(void)
{
    return cluster_size();
}

int rep_agree(int rc, err_info *e)
{
    /* Keyed by rank, as rep_run's opening agreement: the lowest rank's message wins. */
    return cluster_first_error(rc, cluster_rank(), e);
}

/* Runs replications [lo, hi) on this process's threads into sh. */
static void run_block(shared *sh, uint32_t lo, uint32_t hi)
{
    sh->begin = sh->next = lo;
    sh->end = hi;
    if (hi <= lo)
        return; /* more ranks than replications: nothing here, not even a worker */
    unsigned jobs = sh->o->jobs ? sh->o->jobs : rep_default_jobs();
    if (jobs > hi - lo)
        jobs = hi - lo;
    pthread_t *threads = jobs > 1 ? mem_calloc(jobs, sizeof *threads) : NULL;
    unsigned started = 0;
    if (threads != NULL)
        for (; started < jobs; started++)
            if (pthread_create(&threads[started], NULL, worker_main, sh) != 0)
                break;
    if (started == 0)
        worker_main(sh); /* one job, or no thread could start: run here */
    for (unsigned i = 0; i < started; i++)
        pthread_join(threads[i], NULL);
    mem_free(threads);
}

/* The outcome of every block, the same on every rank: the lowest failure,
 * else an interruption if any block fell short, else 0 with all rows here. */
static int finish(shared *sh, uint32_t lo, uint32_t hi, double *results, err_info *e)
{
    int rc = 0;
    if (sh->failed) {
        if (e != NULL)
            *e = sh->fail_err;
        rc = sh->fail_err.code ? sh->fail_err.code : ERR_INPUT;
    }
    if ((rc = cluster_first_error(rc, sh->fail_rep, e)) != 0)
        return rc;
    uint64_t counts[2] = {sh->done, sh->done < hi - lo}; /* finished; blocks cut short */
    cluster_sum(counts, 2);
    if (counts[1] > 0)
        return err_set(e, ERR_INTERRUPT, NULL, 0, "interrupted after %llu of %u replications",
                       (unsigned long long)counts[0], sh->o->replications);
    cluster_allgather_rows(results, sh->m->n_metrics, sh->o->replications);
    return 0;
}

int rep_run(const rep_model *m, const rep_options *o, double *results, err_info *e)
{
    /* Every rank arrives here, or at rep_agree if it failed on the way. */
    int rc = cluster_first_error(0, cluster_rank(), e);
    if (rc != 0)
        return rc;
    shared sh;
    memset(&sh, 0, sizeof sh);
    sh.m = m;
    sh.o = o;
    sh.results = results;
    uint32_t lo, hi;
    cluster_share(o->replications, cluster_rank(), cluster_size(), &lo, &hi);
    /* A rank that cannot even lock still takes part in the agreement. */
    if (pthread_mutex_init(&sh.lock, NULL) != 0) {
        sh.failed = 1;
        sh.fail_rep = lo;
        err_set(&sh.fail_err, ERR_NOMEM, NULL, 0, "cannot create a lock for the worker threads");
    } else {
        run_block(&sh, lo, hi);
        pthread_mutex_destroy(&sh.lock);
    }
    return finish(&sh, lo, hi, results, e);
}
