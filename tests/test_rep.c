/* test_rep — replications land in their own rows whatever the number of
 * threads; the reported error is the lowest failing replication's; a stop
 * request ends the run. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <gsl/gsl_errno.h>

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

static void run_toy(unsigned jobs, uint32_t reps, double *results)
{
    toy t = {0};
    rep_model m = {.n_metrics = 3,
                   .ctx = &t,
                   .worker_create = toy_create,
                   .worker_destroy = toy_destroy,
                   .run_one = toy_run};
    rep_options o = {.replications = reps, .jobs = jobs};
    err_info e;
    assert_int_equal(rep_run(&m, &o, results, &e), 0);
    unsigned expect = jobs < reps ? jobs : reps;
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
}

/* Failing model: replications >= 5 fail with a message naming themselves. */
static int failing_run(void *w, uint32_t rep, double *out, err_info *e)
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
    for (unsigned jobs = 1; jobs <= 3; jobs++) {
        toy t = {0};
        rep_model m = {.n_metrics = 1,
                       .ctx = &t,
                       .worker_create = toy_create,
                       .worker_destroy = toy_destroy,
                       .run_one = failing_run};
        rep_options o = {.replications = 20, .jobs = jobs};
        double results[20];
        err_info e;
        assert_int_equal(rep_run(&m, &o, results, &e), ERR_LIMIT);
        assert_string_equal(e.text, "replication 5 overflowed");
    }
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
    rep_model m = {.n_metrics = 3,
                   .ctx = &t,
                   .worker_create = toy_create,
                   .worker_destroy = toy_destroy,
                   .run_one = toy_run};
    counter c = {0, 0, 0};
    double results[10 * 3];
    rep_options o = {.replications = 10, .jobs = 2, .progress = progress, .progress_ud = &c};
    err_info e;
    assert_int_equal(rep_run(&m, &o, results, &e), 0);
    assert_int_equal(c.calls, 10);
    assert_int_equal(c.total, 10);
    volatile sig_atomic_t stop = 1;
    rep_options stopped = {.replications = 10, .jobs = 2, .stop = &stop};
    assert_int_equal(rep_run(&m, &stopped, results, &e), ERR_INTERRUPT);
    assert_non_null(strstr(e.text, "interrupted after 0 of 10"));
}

int main(void)
{
    gsl_set_error_handler_off();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_results_independent_of_threads),
        cmocka_unit_test(test_lowest_failure_is_reported),
        cmocka_unit_test(test_progress_and_stop),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
