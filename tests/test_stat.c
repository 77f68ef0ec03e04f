/*
 * test_stat — time-weighted averages against hand-integrated signals, and
 * confidence intervals against
 * Student t quantiles from published tables.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "stat.h"

static void check_near(const char *what, double got, double want, double tol)
{
    if (!(fabs(got - want) <= tol)) {
        print_error("%s = %.17g, expected %.17g (tolerance %.3g)\n", what, got, want, tol);
        fail();
    }
}

/* ---- stat_tw ---- */

/*
 * Level 0 on [0,2), 3 on [2,5), 1 on [5,6), 3 on [6,10]:
 * area = 0*2 + 3*3 + 1*1 + 3*4 = 22 over 10 days.
 */
static void test_tw_piecewise(void **state)
{
    (void)state;
    stat_tw s;
    stat_tw_reset(&s, 0, 0);
    stat_tw_set(&s, 2, 3);
    stat_tw_set(&s, 5, 1);
    stat_tw_add(&s, 6, +2);
    check_near("mean over [0,10]", stat_tw_mean(&s, 10), 2.2, 1e-15);
    /* Closing the window at the last change, and part-way through a level. */
    check_near("mean over [0,6]", stat_tw_mean(&s, 6), 10.0 / 6.0, 1e-15);
    check_near("mean over [0,8]", stat_tw_mean(&s, 8), 16.0 / 8.0, 1e-15);
    /* Several changes at one instant contribute nothing in between. */
    stat_tw_set(&s, 10, 7);
    stat_tw_set(&s, 10, 1);
    check_near("mean over [0,12]", stat_tw_mean(&s, 12), 24.0 / 12.0, 1e-15);
}

/* A window not starting at 0, reset part-way (warm-up discarded). */
static void test_tw_reset(void **state)
{
    (void)state;
    stat_tw s;
    stat_tw_reset(&s, 0, 5);
    stat_tw_add(&s, 100, -4); /* level 5 for the warm-up, then 1 */
    stat_tw_reset(&s, 365.25, s.value);
    assert_true(s.t_start == 365.25 && s.t_last == 365.25 && s.area == 0 && s.value == 1);
    stat_tw_add(&s, 465.25, 2); /* 1 for 100 days, then 3 for 50 */
    check_near("mean after reset", stat_tw_mean(&s, 515.25), (100.0 + 150.0) / 150.0, 1e-14);
}

static void test_tw_empty_window(void **state)
{
    (void)state;
    stat_tw s;
    stat_tw_reset(&s, 3, 7);
    assert_true(isnan(stat_tw_mean(&s, 3)));
    stat_tw_set(&s, 3, 9); /* a change at the window's start keeps it empty */
    assert_true(isnan(stat_tw_mean(&s, 3)));
    check_near("mean over [3,4]", stat_tw_mean(&s, 4), 9, 0);
}

/* Closing a window before the last change is a bug: the CHECK must fire.
 * Run in a child, since check_fail aborts. */
static void test_tw_check_fires(void **state)
{
    (void)state;
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        if (freopen("/dev/null", "w", stderr) == NULL)
            _exit(2);
        stat_tw s;
        stat_tw_reset(&s, 0, 1);
        stat_tw_set(&s, 5, 2);
        (void)stat_tw_mean(&s, 4);
        _exit(0);
    }
    int status;
    assert_true(waitpid(pid, &status, 0) == pid);
    assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT);
}

/* ---- stat_ci ---- */

/* Student t quantiles t_{p, df} from standard tables (6-7 significant digits). */
typedef struct tcase {
    size_t n;
    double level, t;
} tcase;

static const tcase tquant[] = {
    {2, 0.95, 12.706205}, {5, 0.95, 2.776445},  {10, 0.95, 2.262157},
    {10, 0.90, 1.833113}, {30, 0.95, 2.045230}, {10, 0.99, 3.249836},
};

static void test_ci_known_t(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof tquant / sizeof tquant[0]; i++) {
        const tcase *c = &tquant[i];
        double h = stat_ci_halfwidth(2.0, c->n, c->level);
        check_near("half-width", h, c->t * 2.0 / sqrt((double)c->n), 1e-6 * h);
    }
    assert_true(isnan(stat_ci_halfwidth(1, 1, 0.95)));
    assert_true(isnan(stat_ci_halfwidth(1, 0, 0.95)));
    assert_true(isnan(stat_ci_halfwidth(1, 10, 1.0)));
    assert_true(isnan(stat_ci_halfwidth(1, 10, 0.0)));
    assert_true(isnan(stat_ci_halfwidth(1, 10, NAN)));
}

/* x = 1..10: mean 5.5, sd sqrt(55/6), 95% half-width 2.262157 sd / sqrt(10). */
static void test_ci_hand_computed(void **state)
{
    (void)state;
    double x[10];
    for (int i = 0; i < 10; i++)
        x[i] = i + 1;
    stat_ci ci = stat_ci_compute(x, 10, 1, 0.95);
    double sd = sqrt(55.0 / 6.0), h = 2.262157 * sd / sqrt(10.0);
    assert_true(ci.n == 10);
    check_near("ci mean", ci.mean, 5.5, 1e-15);
    check_near("ci sd", ci.sd, sd, 1e-15);
    check_near("ci low", ci.low, 5.5 - h, 1e-6);
    check_near("ci high", ci.high, 5.5 + h, 1e-6);

    /* Strided: the same values interleaved with others that must be skipped. */
    double y[20];
    for (int i = 0; i < 10; i++) {
        y[2 * i] = x[i];
        y[2 * i + 1] = NAN;
    }
    stat_ci cs = stat_ci_compute(y, 10, 2, 0.95);
    assert_true(cs.n == 10 && cs.mean == ci.mean && cs.sd == ci.sd && cs.low == ci.low &&
                cs.high == ci.high);
}

static void test_ci_degenerate(void **state)
{
    (void)state;
    double one = 42;
    stat_ci ci = stat_ci_compute(&one, 1, 1, 0.95);
    assert_true(ci.n == 1 && ci.mean == 42);
    assert_true(isnan(ci.sd) && isnan(ci.low) && isnan(ci.high));

    ci = stat_ci_compute(NULL, 0, 1, 0.95);
    assert_true(ci.n == 0);
    assert_true(isnan(ci.mean) && isnan(ci.sd) && isnan(ci.low) && isnan(ci.high));

    /* All replications equal: sd 0, a zero-width interval. */
    double same[4] = {3, 3, 3, 3};
    ci = stat_ci_compute(same, 4, 1, 0.95);
    assert_true(ci.mean == 3 && ci.sd == 0 && ci.low == 3 && ci.high == 3);
}

/* One replication without a value makes the metric undefined: every field but n is NaN. */
static void test_ci_nonfinite(void **state)
{
    (void)state;
    const double bad[] = {NAN, INFINITY, -INFINITY};
    for (size_t b = 0; b < sizeof bad / sizeof bad[0]; b++) {
        double x[5] = {1, 2, 3, 4, 5};
        x[2] = bad[b];
        stat_ci ci = stat_ci_compute(x, 5, 1, 0.95);
        assert_true(ci.n == 4);
        assert_true(isnan(ci.mean) && isnan(ci.sd) && isnan(ci.low) && isnan(ci.high));
    }
    double all_nan[2] = {NAN, NAN};
    stat_ci ci = stat_ci_compute(all_nan, 2, 1, 0.95);
    assert_true(ci.n == 0 && isnan(ci.mean) && isnan(ci.sd));
}

int main(void)
{
    gsl_set_error_handler_off();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tw_piecewise),    cmocka_unit_test(test_tw_reset),
        cmocka_unit_test(test_tw_empty_window), cmocka_unit_test(test_tw_check_fires),
        cmocka_unit_test(test_ci_known_t),      cmocka_unit_test(test_ci_hand_computed),
        cmocka_unit_test(test_ci_degenerate),   cmocka_unit_test(test_ci_nonfinite),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
