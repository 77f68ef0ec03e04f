/* test_rep — replications land in their own rows whatever the number of
 * threads; the reported error is the lowest failing replication's; a stop
 * request ends the run; the MPI share of replications tiles 0 .. n-1.
 *
 * The same binary is an MPI test in the MPI build: `mpirun -np 2
 * build/mpi/tests/test_rep` (make check-mpi) runs every test on each rank,
 * with each rank's share, so the whole-matrix checks below prove that rows
 * from the other rank arrive intact and the agreed error is the single
 * process's. Every test calls the collectives in the same order on every
 * rank, whatever its share. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <gsl/gsl_errno.h>

#include "cluster.h"
#include "rep.h"
#include "rng.h"

/* A toy model: replication r's vector is a function of (r, a few random draws). */
typedef struct toy {
    unsigned created; /* workers created (checked after the run) */
} toy;

static void *toy_create(void *ctx, err_info *e)
{
    (void)e;
    toy *t = ctx;
    __atomic_add_fetch(&t->created, 1, __ATOMIC_RELAXED);
    return rng_open(1);
}

static void toy_destroy(void *w)
{
    gsl_rng_free(w);
}

static int toy_run(void *w, uint32_t rep, double *out, err_info *e)
{
    gsl_rng *r = w;
    rng_reseed(r, rng_seed_for(99, rep, "toy", "x"));
    out[0] = rep;
    out[1] = gsl_rng_uniform(r);
    out[2] = gsl_rng_uniform(r);
    (void)e;
    return 0;
}

/* The toy with three metrics, as most tests run it. */
static rep_model toy_model(toy *t)
{
    return (rep_model){.n_metrics = 3,
                       .ctx = t,
                       .worker_create = toy_create,
                       .worker_destroy = toy_destroy,
                       .run_one = toy_run};
}

/* Rank rank's share of reps replications. */
static uint32_t share_of(uint32_t reps, unsigned rank)
{
    uint32_t lo, hi;
    cluster_share(reps, rank, cluster_size(), &lo, &hi);
    return hi - lo;
}

/* This rank's share of reps replications. */
static uint32_t share(uint32_t reps)
{
    return share_of(reps, cluster_rank());
}

static void run_toy(unsigned jobs, uint32_t reps, double *results)
{
    toy t = {0};
    rep_model m = toy_model(&t);
    rep_options o = {.replications = reps, .jobs = jobs};
    err_info e;
    assert_int_equal(rep_run(&m, &o, results, &e), 0);
    unsigned mine = share(reps), expect = jobs < mine ? jobs : mine;
    assert_int_equal(t.created, expect);
}

static void test_results_independent_of_threads(void **state)
{
    (void)state;
    enum { REPS = 37 };
    double one[REPS * 3], four[REPS * 3];
    run_toy(1, REPS, one);
    run_toy(4, REPS, four);
    assert_memory_equal(one, four, sizeof one);
    for (uint32_t r = 0; r < REPS; r++)
        assert_true(one[3 * r] == r);
    /* Every row, whichever rank ran it, is what running it here gives. */
    for (uint32_t r = 0; r < REPS; r++) {
        double row[3];
        gsl_rng *g = rng_open(1);
        assert_non_null(g);
        assert_int_equal(toy_run(g, r, row, NULL), 0);
        gsl_rng_free(g);
        assert_memory_equal(row, one + 3 * r, sizeof row);
    }
}

/* More ranks than replications: the idle ranks create no worker. */
static void test_fewer_replications_than_ranks(void **state)
{
    (void)state;
    double one[3];
    run_toy(2, 1, one);
    assert_true(one[0] == 0.0);
}

/* Failing models: replications 14 and 17 fail, or every one from 5 on,
 * with a message naming themselves. */
static int failing_14_17(void *w, uint32_t rep, double *out, err_info *e)
{
    (void)w;
    out[0] = rep;
    if (rep == 14 || rep == 17)
        return err_set(e, ERR_IO, NULL, 0, "replication %u could not write", rep);
    return 0;
}

static int failing_from_5(void *w, uint32_t rep, double *out, err_info *e)
{
    (void)w;
    out[0] = rep;
    if (rep >= 5)
        return err_set(e, ERR_LIMIT, NULL, 0, "replication %u overflowed", rep);
    return 0;
}

static void test_lowest_failure_is_reported(void **state)
{
    (void)state;
    /* From 5 on: on 2 ranks both fail (5 and 10), the lower wins. Only 14
     * and 17: on 2 ranks only the upper block fails, the lower finishes. */
    int (*models[])(void *, uint32_t, double *, err_info *) = {failing_from_5, failing_14_17};
    const char *expect[] = {"replication 5 overflowed", "replication 14 could not write"};
    const int codes[] = {ERR_LIMIT, ERR_IO};
    for (int k = 0; k < 2; k++)
        for (unsigned jobs = 1; jobs <= 3; jobs++) {
            toy t = {0};
            rep_model m = {.n_metrics = 1,
                           .ctx = &t,
                           .worker_create = toy_create,
                           .worker_destroy = toy_destroy,
                           .run_one = models[k]};
            rep_options o = {.replications = 20, .jobs = jobs};
            double results[20];
            err_info e;
            err_clear(&e);
            assert_int_equal(rep_run(&m, &o, results, &e), codes[k]);
            assert_string_equal(e.text, expect[k]);
        }
}

/* A rank that failed before rep_run (a file missing on its machine) stands
 * in with rep_agree; the others, in rep_run, get its failure. Alone, rep_agree
 * hands back what it was given. */
static void test_agree_before_run(void **state)
{
    (void)state;
    toy t = {0};
    rep_model m = toy_model(&t);
    rep_options o = {.replications = 8, .jobs = 1};
    double results[8 * 3];
    err_info e;
    err_clear(&e);
    unsigned last = cluster_size() - 1;
    int rc;
    if (cluster_rank() == last) {
        err_set(&e, ERR_IO, "missing.cfg", 0, "cannot open");
        rc = rep_agree(ERR_IO, &e);
    } else {
        rc = rep_run(&m, &o, results, &e);
    }
    assert_int_equal(rc, ERR_IO);
    assert_string_equal(e.text, "missing.cfg: cannot open");
    assert_int_equal(t.created, 0); /* the run did not start anywhere */
}

typedef struct counter {
    uint32_t calls;
    uint32_t last_done, total;
} counter;

static void progress(void *ud, uint32_t done, uint32_t total)
{
    counter *c = ud;
    c->calls++;
    assert_true(done > c->last_done); /* serialised and increasing */
    c->last_done = done;
    c->total = total;
}

static void test_progress_and_stop(void **state)
{
    (void)state;
    toy t = {0};
    rep_model m = toy_model(&t);
    counter c = {0, 0, 0};
    double results[10 * 3];
    rep_options o = {.replications = 10, .jobs = 2, .progress = progress, .progress_ud = &c};
    err_info e;
    assert_int_equal(rep_run(&m, &o, results, &e), 0);
    assert_int_equal(c.calls, share(10)); /* each process counts its own share */
    assert_int_equal(c.total, share(10));
    assert_int_equal(rep_ranks(), cluster_size()); /* what the bar names beside its share */
    volatile sig_atomic_t stop = 1;
    rep_options stopped = {.replications = 10, .jobs = 2, .stop = &stop};
    assert_int_equal(rep_run(&m, &stopped, results, &e), ERR_INTERRUPT);
    assert_non_null(strstr(e.text, "interrupted after 0 of 10"));
    /* Stopped on rank 0 alone: the others finish their share, all stop. */
    if (cluster_size() > 1) {
        stop = cluster_rank() == 0;
        err_clear(&e);
        assert_int_equal(rep_run(&m, &stopped, results, &e), ERR_INTERRUPT);
        char text[64];
        snprintf(text, sizeof text, "interrupted after %u of 10 replications",
                 10 - share_of(10, 0));
        assert_string_equal(e.text, text);
    }
}

/* The blocks of every rank, in rank order, are 0 .. n-1 exactly, and differ
 * in size by at most one. */
static void test_share_tiles(void **state)
{
    (void)state;
    const uint32_t ns[] = {0, 1, 2, 7, 20, 37, 1000, UINT32_MAX};
    const unsigned sizes[] = {1, 2, 3, 8, 64, 1000};
    for (size_t i = 0; i < sizeof ns / sizeof *ns; i++)
        for (size_t j = 0; j < sizeof sizes / sizeof *sizes; j++) {
            uint32_t n = ns[i], next = 0, small = UINT32_MAX, big = 0;
            for (unsigned k = 0; k < sizes[j]; k++) {
                uint32_t lo, hi;
                cluster_share(n, k, sizes[j], &lo, &hi);
                assert_int_equal(lo, next);
                assert_true(hi >= lo);
                next = hi;
                small = hi - lo < small ? hi - lo : small;
                big = hi - lo > big ? hi - lo : big;
            }
            assert_int_equal(next, n);
            assert_true(big - small <= 1);
            /* Rank 0's block is the largest: its progress bar stands for the job's. */
            uint32_t lo0, hi0;
            cluster_share(n, 0, sizes[j], &lo0, &hi0);
            assert_int_equal(hi0 - lo0, big);
        }
    uint32_t lo, hi;
    cluster_share(10, 5, 2, &lo, &hi); /* a rank outside the job: nothing */
    assert_int_equal(hi - lo, 0);
    cluster_share(10, 1, 3, &lo, &hi);
    assert_int_equal(lo, 4);
    assert_int_equal(hi, 7);
}

int main(int argc, char **argv)
{
    gsl_set_error_handler_off();
    err_info e;
    if (cluster_start(&argc, &argv, &e) != 0) {
        fprintf(stderr, "test_rep: %s\n", e.text);
        return 1;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_results_independent_of_threads),
        cmocka_unit_test(test_fewer_replications_than_ranks),
        cmocka_unit_test(test_lowest_failure_is_reported),
        cmocka_unit_test(test_agree_before_run),
        cmocka_unit_test(test_progress_and_stop),
        cmocka_unit_test(test_share_tiles),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    cluster_finish();
    return failed;
}
