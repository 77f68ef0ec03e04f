/*
 * rep — a fixed pool of POSIX threads pulling replication indices from a
 * mutex-protected counter. Replications take milliseconds to seconds, so one
 * lock per replication costs nothing measurable and keeps the code plain.
 * A failure stops new replications from starting; the error reported is the
 * one from the lowest replication index that failed, which is deterministic
 * because replications below it all ran (indices are handed out in order).
 */
#include "rep.h"

#include <pthread.h>
#include <string.h>
#include <unistd.h>

#include "mem.h"

typedef struct shared {
    const rep_model *m;
    const rep_options *o;
    double *results;
    pthread_mutex_t lock;
    uint32_t next, done;
    int failed;        /* set once any replication fails */
    uint32_t fail_rep; /* lowest failing replication */
    err_info fail_err; /* its error */
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
        record_failure(sh, 0, &e);
        return NULL;
    }
    size_t width = sh->m->n_metrics;
    for (;;) {
        pthread_mutex_lock(&sh->lock);
        int stop =
            sh->failed || sh->next >= sh->o->replications || (sh->o->stop != NULL && *sh->o->stop);
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
            sh->o->progress(sh->o->progress_ud, done, sh->o->replications);
        pthread_mutex_unlock(&sh->lock);
    }
    sh->m->worker_destroy(w);
    return NULL;
}

unsigned rep_default_jobs(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (unsigned)n : 1u;
}

int rep_run(const rep_model *m, const rep_options *o, double *results, err_info *e)
{
    shared sh;
    memset(&sh, 0, sizeof sh);
    sh.m = m;
    sh.o = o;
    sh.results = results;
    if (pthread_mutex_init(&sh.lock, NULL) != 0)
        return err_set(e, ERR_NOMEM, NULL, 0, "cannot create a lock for the worker threads");
    unsigned jobs = o->jobs ? o->jobs : rep_default_jobs();
    if (jobs > o->replications)
        jobs = o->replications;
    pthread_t *threads = jobs > 1 ? mem_calloc(jobs, sizeof *threads) : NULL;
    unsigned started = 0;
    if (threads != NULL)
        for (; started < jobs; started++)
            if (pthread_create(&threads[started], NULL, worker_main, &sh) != 0)
                break;
    if (started == 0)
        worker_main(&sh); /* one job, or no thread could start: run here */
    for (unsigned i = 0; i < started; i++)
        pthread_join(threads[i], NULL);
    mem_free(threads);
    pthread_mutex_destroy(&sh.lock);
    if (sh.failed) {
        if (e != NULL)
            *e = sh.fail_err;
        return sh.fail_err.code ? sh.fail_err.code : ERR_INPUT;
    }
    if (sh.done < o->replications)
        return err_set(e, ERR_INTERRUPT, NULL, 0, "interrupted after %u of %u replications",
                       sh.done, o->replications);
    return 0;
}
