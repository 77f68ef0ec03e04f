/*
 * test_nhpp — the non-homogeneous Poisson process against its contract in
 * sim/nhpp.h and against Poisson-process theory.
 *
 * Statistical checks all use a fixed seed and reject at 0.1%, so a FAIL is a
 * finding, never flicker: counts per segment against nhpp_expected (chi-square,
 * with a check that the same test rejects a wrong expectation, so it can fail),
 * the time-rescaling theorem (compensator increments Exp(1), Kolmogorov-Smirnov,
 * again with a wrong compensator that must be rejected), the trend (year 3 over
 * year 1), and a constant rate against the homogeneous process (mean and
 * variance of counts equal). Then the exact integral, zero-rate segments, every
 * input error, and allocation failure.
 *
 * CASEFLOW_TEST_VERBOSE=1 prints each statistic and its p-value.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dist.h"
#include "err.h"
#include "mem.h"
#include "nhpp.h"
#include "support/failing_mem.h"

#define ALPHA     1e-3   /* significance of every statistical test */
#define Z_ALPHA   3.2905 /* two-sided normal quantile at ALPHA */
#define KS_CRIT   1.9495 /* asymptotic one-sample Kolmogorov-Smirnov critical value at ALPHA */
#define DAYS_YEAR 365.25
#define MAX_SEGS  120
#define YEARS     10
#define BASE_RATE 15.0 /* contacts per day: a large council's front door */

/* A school year from September, in a 365-day year: month lengths and factors. */
static const double month_days[12] = {30, 31, 30, 31, 31, 28, 31, 30, 31, 30, 31, 31};
static const double month_factor[12] = {1.05, 1.10, 1.15, 0.85, 1.05, 1.00,
                                        1.12, 0.95, 1.08, 1.10, 1.00, 0.70};

static void report(const char *fmt, ...)
{
    const char *v = getenv("CASEFLOW_TEST_VERBOSE");
    if (v == NULL || strcmp(v, "1") != 0)
        return;
    va_list ap;
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
}

static gsl_rng *rng_seeded(unsigned long seed)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    assert_non_null(r);
    gsl_rng_set(r, seed);
    return r;
}

static void check_near(const char *what, double got, double want, double tol)
{
    if (!(fabs(got - want) <= tol)) {
        print_error("%s = %.17g, expected %.17g (tolerance %.3g)\n", what, got, want, tol);
        fail();
    }
}

static nhpp *create_ok(const double *breaks, const double *base, size_t n, double growth)
{
    nhpp *p = NULL;
    err_info e;
    err_clear(&e);
    int rc = nhpp_create(&p, breaks, base, n, growth, &e);
    if (rc != 0) {
        print_error("nhpp_create failed (%d): %s\n", rc, e.text);
        fail();
    }
    return p;
}

/* YEARS of the monthly profile: breaks[0..120], base[0..119]. */
static size_t monthly_profile(double *breaks, double *base)
{
    size_t n = 0;
    breaks[0] = 0;
    for (int y = 0; y < YEARS; y++)
        for (int m = 0; m < 12; m++, n++) {
            breaks[n + 1] = breaks[n] + month_days[m];
            base[n] = BASE_RATE * month_factor[m];
        }
    return n;
}

/* Adds each arrival of one realisation in [breaks[0], breaks[n]) to count[segment]. */
static long count_by_segment(const nhpp *p, gsl_rng *r, const double *breaks, size_t n, long *count)
{
    long total = 0;
    size_t k = 0;
    for (double t = nhpp_next(p, r, -INFINITY); t < INFINITY; t = nhpp_next(p, r, t)) {
        assert_true(t >= breaks[0] && t < breaks[n]);
        while (t >= breaks[k + 1])
            k++;
        count[k]++;
        total++;
    }
    return total;
}

/* Pearson's statistic of counts against expectations, and its chi-square(n) upper tail:
 * the counts are Poisson with fixed means, so there is no constraint and no lost degree. */
static double chisq_p(const long *count, const double *want, size_t n, double *chi2)
{
    *chi2 = 0;
    for (size_t k = 0; k < n; k++)
        *chi2 += (count[k] - want[k]) * (count[k] - want[k]) / want[k];
    return gsl_cdf_chisq_Q(*chi2, (double)n);
}

/* ---- (1) counts per segment: chi-square, and a wrong expectation rejected ---- */

#define PROFILE_REPS 20

static void profile_case(double growth_per_year, unsigned long seed)
{
    double breaks[MAX_SEGS + 1], base[MAX_SEGS];
    size_t n = monthly_profile(breaks, base);
    double g = log1p(growth_per_year) / DAYS_YEAR;
    nhpp *p = create_ok(breaks, base, n, g), *no_trend = create_ok(breaks, base, n, 0);
    gsl_rng *r = rng_seeded(seed);
    long count[MAX_SEGS] = {0}, total = 0;
    for (int rep = 0; rep < PROFILE_REPS; rep++)
        total += count_by_segment(p, r, breaks, n, count);
    double want[MAX_SEGS], flat[MAX_SEGS], untrended[MAX_SEGS], aug[MAX_SEGS];
    double all = 0, all0 = 0;
    for (size_t k = 0; k < n; k++) {
        want[k] = PROFILE_REPS * nhpp_expected(p, breaks[k], breaks[k + 1]);
        untrended[k] = PROFILE_REPS * nhpp_expected(no_trend, breaks[k], breaks[k + 1]);
        /* August at 0.75 instead of 0.70: one month a year off by 7%. */
        aug[k] = want[k] * (k % 12 == 11 ? 0.75 / 0.70 : 1.0);
        all += want[k];
        all0 += untrended[k];
    }
    /* The flat and untrended expectations keep the right total: only the shape is tested. */
    for (size_t k = 0; k < n; k++) {
        flat[k] = all * (breaks[k + 1] - breaks[k]) / (breaks[n] - breaks[0]);
        untrended[k] *= all / all0;
    }
    double chi2, chi2_flat, chi2_untrended, chi2_aug;
    double pv = chisq_p(count, want, n, &chi2);
    double pv_flat = chisq_p(count, flat, n, &chi2_flat);
    double pv_untrended = chisq_p(count, untrended, n, &chi2_untrended);
    double pv_aug = chisq_p(count, aug, n, &chi2_aug);
    report("  profile, growth %+.0f%%/yr: %ld arrivals (expected %.1f); chi2(%zu) = %.1f, p = "
           "%.3f; wrong expectations: flat chi2 = %.0f (p = %.3g), no trend chi2 = %.1f (p = "
           "%.3g), August 0.75 chi2 = %.1f (p = %.3g)\n",
           100 * growth_per_year, total, all, n, chi2, pv, chi2_flat, pv_flat, chi2_untrended,
           pv_untrended, chi2_aug, pv_aug);
    assert_true(pv > ALPHA);
    assert_true(pv_flat < ALPHA);
    assert_true(pv_aug < ALPHA);
    if (growth_per_year != 0)
        assert_true(pv_untrended < ALPHA);
    gsl_rng_free(r);
    nhpp_destroy(p);
    nhpp_destroy(no_trend);
}

static void test_profile_chisq(void **state)
{
    (void)state;
    profile_case(0.03, 20240601);
    profile_case(0.0, 20240602);
    profile_case(-0.05, 20240603);
}

/* ---- (2) time rescaling: Lambda(t_i) - Lambda(t_{i-1}) ~ Exp(1) ---- */

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* sqrt(n) times the Kolmogorov-Smirnov distance of x[0..n) (sorted here) from Exp(1). */
static double ks_exp1(double *x, size_t n)
{
    qsort(x, n, sizeof *x, cmp_double);
    double d = 0;
    for (size_t i = 0; i < n; i++) {
        double f = -expm1(-x[i]);
        d = fmax(d, fmax((double)(i + 1) / (double)n - f, f - (double)i / (double)n));
    }
    return d * sqrt((double)n);
}

/* The asymptotic Kolmogorov upper tail P(sqrt(n) D > x), for reporting only. */
static double kolmogorov_q(double x)
{
    double q = 0;
    for (int k = 1; k <= 100; k++)
        q += (k % 2 ? 2 : -2) * exp(-2.0 * k * k * x * x);
    return fmin(1.0, fmax(0.0, q));
}

static void test_time_rescaling(void **state)
{
    (void)state;
    double breaks[MAX_SEGS + 1], base[MAX_SEGS];
    size_t n = monthly_profile(breaks, base);
    base[5] = base[40] = 0; /* two months with nothing: the compensator is flat there */
    nhpp *p = create_ok(breaks, base, n, log1p(0.1) / DAYS_YEAR);
    size_t cap = (size_t)(1.2 * nhpp_expected(p, breaks[0], breaks[n])), m = 0;
    double *inc = malloc(cap * sizeof *inc), *wrong = malloc(cap * sizeof *wrong);
    assert_non_null(inc);
    assert_non_null(wrong);
    /* The wrong compensator: a flat rate with the right total. */
    double flat = nhpp_expected(p, breaks[0], breaks[n]) / (breaks[n] - breaks[0]);
    gsl_rng *r = rng_seeded(777);
    double prev = breaks[0];
    for (double t = nhpp_next(p, r, prev); t < INFINITY; t = nhpp_next(p, r, t)) {
        assert_true(m < cap);
        inc[m] = nhpp_expected(p, prev, t);
        wrong[m++] = flat * (t - prev);
        prev = t;
    }
    double ks = ks_exp1(inc, m), ks_wrong = ks_exp1(wrong, m);
    report("  time rescaling: %zu increments, sqrt(n) D = %.3f (p = %.3f), critical %.4f; flat "
           "compensator sqrt(n) D = %.2f\n",
           m, ks, kolmogorov_q(ks), KS_CRIT, ks_wrong);
    assert_true(ks < KS_CRIT);
    assert_true(ks_wrong > KS_CRIT);
    free(inc);
    free(wrong);
    gsl_rng_free(r);
    nhpp_destroy(p);
}

/* ---- (3) the trend: year 3 over year 1 ---- */

static void test_growth_ratio(void **state)
{
    (void)state;
    /* 10% a year as a continuous rate, so the rate ratio two years on is e^0.2; one
     * segment of three years, so thinning works across a rate ratio of e^0.3. */
    const double breaks[] = {0, 3 * DAYS_YEAR}, base[] = {20};
    nhpp *p = create_ok(breaks, base, 1, 0.1 / DAYS_YEAR);
    check_near("expected year 3 / year 1",
               nhpp_expected(p, 2 * DAYS_YEAR, 3 * DAYS_YEAR) / nhpp_expected(p, 0, DAYS_YEAR),
               exp(0.2), 1e-12);
    gsl_rng *r = rng_seeded(4242);
    double n1 = 0, n3 = 0;
    for (int rep = 0; rep < 40; rep++)
        for (double t = nhpp_next(p, r, 0); t < INFINITY; t = nhpp_next(p, r, t)) {
            n1 += t < DAYS_YEAR;
            n3 += t >= 2 * DAYS_YEAR;
        }
    /* log(N3/N1) is normal with variance about 1/N3 + 1/N1. */
    double lr = log(n3 / n1), se = sqrt(1 / n1 + 1 / n3);
    report("  growth: N1 = %.0f, N3 = %.0f, ratio %.5f vs e^0.2 = %.5f, z = %.2f\n", n1, n3,
           n3 / n1, exp(0.2), (lr - 0.2) / se);
    check_near("log(N3 / N1)", lr, 0.2, Z_ALPHA * se);
    gsl_rng_free(r);
    nhpp_destroy(p);
}

/* ---- (4) zero-rate segments ---- */

static void test_zero_segments(void **state)
{
    (void)state;
    const double breaks[] = {5, 15, 25, 26, 40, 60, 70};
    const double base[] = {2, 0, 3, 0, 1.5, 0};
    nhpp *p = create_ok(breaks, base, 6, 0.01);
    for (size_t k = 0; k < 6; k++)
        if (base[k] == 0) {
            assert_true(nhpp_expected(p, breaks[k], breaks[k + 1]) == 0);
            assert_true(nhpp_rate(p, breaks[k]) == 0);
            assert_true(nhpp_rate(p, 0.5 * (breaks[k] + breaks[k + 1])) == 0);
        }
    gsl_rng *r = rng_seeded(99);
    long seen[6] = {0};
    for (int rep = 0; rep < 2000; rep++)
        count_by_segment(p, r, breaks, 6, seen);
    for (size_t k = 0; k < 6; k++)
        assert_true((seen[k] == 0) == (base[k] == 0));
    /* From inside a zero segment the next arrival is past it; from the last live
     * segment's end there is none. Nothing before breaks[0]. */
    for (int i = 0; i < 1000; i++) {
        assert_true(nhpp_next(p, r, 20) >= 25);
        assert_true(nhpp_next(p, r, -1e9) >= 5);
        assert_true(nhpp_next(p, r, 60) == INFINITY);
        assert_true(nhpp_next(p, r, 70) == INFINITY);
        assert_true(nhpp_next(p, r, INFINITY) == INFINITY);
    }
    /* An all-zero rate arrives never, and draws nothing to say so. */
    const double zero[] = {0, 0, 0};
    nhpp *q = create_ok(breaks, zero, 3, 0.01);
    gsl_rng *r2 = rng_seeded(5), *r3 = rng_seeded(5);
    assert_true(nhpp_next(q, r2, -INFINITY) == INFINITY);
    assert_true(nhpp_expected(q, -INFINITY, INFINITY) == 0);
    assert_true(gsl_rng_get(r2) == gsl_rng_get(r3));
    gsl_rng_free(r);
    gsl_rng_free(r2);
    gsl_rng_free(r3);
    nhpp_destroy(p);
    nhpp_destroy(q);
}

/* ---- (5) bad inputs and allocation failure ---- */

/* Any non-NULL pointer, to see nhpp_create clear *out on failure. */
static char junk;
#define NOT_NULL ((nhpp *)(void *)&junk)

typedef struct bad {
    const char *label;
    const double *breaks, *base;
    size_t n;
    double growth;
    const char *want; /* a substring of the message */
} bad;

static const double b_ok[] = {0, 10, 20}, r_ok[] = {1, 2};
static const double b_equal[] = {0, 10, 10}, b_down[] = {0, 10, 5};
static const double b_nan[] = {0, NAN, 20}, b_inf[] = {0, 10, INFINITY};
static const double b_ninf[] = {-INFINITY, 10, 20}, b_far[] = {0, 10, 1e6};
static const double r_neg[] = {1, -0.5}, r_nan[] = {NAN, 1}, r_inf[] = {1, INFINITY};
static const double r_big[] = {1e305, 1e305};

static const bad bads[] = {
    {"n 0", b_ok, r_ok, 0, 0, "rate needs at least 1 segment (got 0)"},
    {"equal breaks", b_equal, r_ok, 2, 0,
     "rate breaks must be strictly increasing (breaks[2] = 10 <= breaks[1] = 10)"},
    {"decreasing breaks", b_down, r_ok, 2, 0, "(breaks[2] = 5 <= breaks[1] = 10)"},
    {"NaN break", b_nan, r_ok, 2, 0, "rate breaks[1] must be a finite number of days (got nan)"},
    {"inf break", b_inf, r_ok, 2, 0, "breaks[2] must be a finite number of days (got inf)"},
    {"-inf break", b_ninf, r_ok, 2, 0, "breaks[0] must be a finite number of days (got -inf)"},
    {"negative rate", b_ok, r_neg, 2, 0,
     "rate base[1] must be a finite number >= 0 per day (got -0.5)"},
    {"NaN rate", b_ok, r_nan, 2, 0, "base[0] must be a finite number >= 0 per day (got nan)"},
    {"inf rate", b_ok, r_inf, 2, 0, "base[1] must be a finite number >= 0 per day (got inf)"},
    {"NaN growth", b_ok, r_ok, 2, NAN, "rate growth_per_day must be a finite number (got nan)"},
    {"inf growth", b_ok, r_ok, 2, -INFINITY, "growth_per_day must be a finite number (got -inf)"},
    {"rate overflows", b_far, r_ok, 2, 0.01,
     "rate overflows double precision in segment 1 ([10, 1000000) days"},
    {"mass overflows", b_far, r_big, 2, 0, "rate overflows double precision in segment 1"},
    {"NULL breaks", NULL, r_ok, 2, 0, "rate breaks is NULL"},
    {"NULL base", b_ok, NULL, 2, 0, "rate base is NULL"},
};

static void test_bad_inputs(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof bads / sizeof bads[0]; i++) {
        const bad *c = &bads[i];
        nhpp *p = NOT_NULL; /* nhpp_create must clear it */
        err_info e;
        err_clear(&e);
        int rc = nhpp_create(&p, c->breaks, c->base, c->n, c->growth, &e);
        if (rc != ERR_INPUT || e.code != ERR_INPUT || strstr(e.text, c->want) == NULL) {
            print_error("%s: code %d message \"%s\"; expected ERR_INPUT and \"%s\"\n", c->label, rc,
                        e.text, c->want);
            fail();
        }
        assert_null(p);
        p = NOT_NULL;
        assert_int_equal(nhpp_create(&p, c->breaks, c->base, c->n, c->growth, NULL), ERR_INPUT);
        assert_null(p);
    }
    nhpp_destroy(NULL);
}

static int restore_hooks(void **state)
{
    (void)state;
    mem_set_hooks(NULL);
    return 0;
}

/* Each allocation in turn fails until creation succeeds: ERR_NOMEM, *out NULL,
 * nothing leaked. An overflow is found after the block is allocated: it too
 * must leave nothing behind. */
static void test_alloc_failure(void **state)
{
    (void)state;
    double breaks[MAX_SEGS + 1], base[MAX_SEGS];
    size_t n = monthly_profile(breaks, base);
    int failures = 0;
    for (long k = 1;; k++) {
        failing f = {0, k, 0};
        mem_hooks hooks = {failing_alloc, failing_resize, failing_release, &f};
        mem_set_hooks(&hooks);
        nhpp *p = NOT_NULL;
        err_info e;
        err_clear(&e);
        int rc = nhpp_create(&p, breaks, base, n, 0.001, &e);
        if (rc == 0) {
            nhpp_destroy(p);
        } else {
            assert_int_equal(rc, ERR_NOMEM);
            assert_null(p);
            assert_non_null(strstr(e.text, "out of memory for a rate of 120 segments"));
            failures++;
        }
        mem_set_hooks(NULL);
        assert_int_equal(f.live, 0);
        if (rc == 0)
            break;
    }
    assert_int_equal(failures, 1); /* one block holds everything */
    failing f = {0, 0, 0};
    mem_hooks hooks = {failing_alloc, failing_resize, failing_release, &f};
    mem_set_hooks(&hooks);
    nhpp *p;
    assert_int_equal(nhpp_create(&p, b_far, r_ok, 2, 0.01, NULL), ERR_INPUT);
    mem_set_hooks(NULL);
    assert_int_equal(f.live, 0);
}

/* ---- (6) a constant rate is the homogeneous Poisson process ---- */

static void test_homogeneous(void **state)
{
    (void)state;
    /* Four equal segments: segment boundaries must not disturb the process. */
    const double breaks[] = {0, 50, 100, 150, 200}, base[] = {0.5, 0.5, 0.5, 0.5};
    nhpp *p = create_ok(breaks, base, 4, 0);
    gsl_rng *r = rng_seeded(31337);
    enum { REPS = 4000 };
    double sum = 0, ss = 0, mu = 0.5 * 100; /* counts in [40, 140) */
    for (int rep = 0; rep < REPS; rep++) {
        double c = 0;
        for (double t = nhpp_next(p, r, 0); t < INFINITY; t = nhpp_next(p, r, t))
            c += t >= 40 && t < 140;
        sum += c;
        ss += c * c;
    }
    double mean = sum / REPS, var = (ss - sum * mean) / (REPS - 1);
    /* Dispersion index: (R - 1) s^2 / mean ~ chi-square(R - 1) for Poisson counts. */
    double disp = (REPS - 1) * var / mean;
    double p_disp = 2 * fmin(gsl_cdf_chisq_P(disp, REPS - 1), gsl_cdf_chisq_Q(disp, REPS - 1));
    report("  homogeneous: mean %.3f (theory %.0f), variance %.3f, dispersion p = %.3f\n", mean, mu,
           var, p_disp);
    check_near("mean count", mean, mu, Z_ALPHA * sqrt(mu / REPS));
    assert_true(p_disp > ALPHA);
    gsl_rng_free(r);
    nhpp_destroy(p);
}

/* Known answer: with growth 0 the next arrival is t + E / rate, one Exp(1) draw E per arrival. */
static void test_known_answer(void **state)
{
    (void)state;
    const double breaks[] = {0, 1000}, base[] = {0.25};
    nhpp *p = create_ok(breaks, base, 1, 0);
    gsl_rng *r = rng_seeded(2024), *r2 = rng_seeded(2024);
    double t = 0, want = 0;
    for (int i = 0; i < 50; i++) {
        t = nhpp_next(p, r, t);
        want += dist_exponential_draw(r2, 4.0);
        assert_true(t == want);
    }
    gsl_rng_free(r);
    gsl_rng_free(r2);
    nhpp_destroy(p);
}

/* ---- the exact integral, rate, determinism, "strictly after" ---- */

/* Composite Simpson on [a, b] of the rate, b - a within one segment. */
static double simpson_rate(const nhpp *p, double a, double b)
{
    enum { M = 200 };
    double h = (b - a) / M, s = nhpp_rate(p, a) + nhpp_rate(p, b - 1e-12 * (b - a));
    for (int i = 1; i < M; i++)
        s += (i % 2 ? 4 : 2) * nhpp_rate(p, a + i * h);
    return s * h / 3;
}

static void test_expected_and_rate(void **state)
{
    (void)state;
    double breaks[MAX_SEGS + 1], base[MAX_SEGS];
    size_t n = monthly_profile(breaks, base);
    const double growths[] = {0, 1e-4, -3e-4, 1e-12};
    for (size_t gi = 0; gi < 4; gi++) {
        double g = growths[gi];
        nhpp *p = create_ok(breaks, base, n, g);
        double total = nhpp_expected(p, breaks[0], breaks[n]), sum = 0;
        for (size_t k = 0; k < n; k++) {
            double a = breaks[k], b = breaks[k + 1], mid = 0.5 * (a + b);
            double ek = nhpp_expected(p, a, b);
            /* The closed form against the integral of nhpp_rate, and its own additivity. */
            check_near("expected vs Simpson", ek, simpson_rate(p, a, b), 1e-10 * ek);
            check_near("expected additive", nhpp_expected(p, a, mid) + nhpp_expected(p, mid, b), ek,
                       1e-12 * ek);
            check_near("rate", nhpp_rate(p, mid), base[k] * exp(g * mid), 1e-14 * base[k]);
            sum += ek;
        }
        check_near("total", sum, total, 1e-11 * total);
        check_near("across segments", nhpp_expected(p, 17.5, 3000.25),
                   nhpp_expected(p, 17.5, 1000) + nhpp_expected(p, 1000, 3000.25), 1e-11 * total);
        assert_true(nhpp_expected(p, -INFINITY, INFINITY) == total);
        assert_true(nhpp_expected(p, 100, 100) == 0);
        assert_true(nhpp_expected(p, -50, -1) == 0 && nhpp_expected(p, 4000, 5000) == 0);
        assert_true(nhpp_rate(p, -1) == 0 && nhpp_rate(p, breaks[n]) == 0);
        assert_true(nhpp_rate(p, breaks[0]) == base[0]);
        nhpp_destroy(p);
    }
}

static void test_deterministic_and_strict(void **state)
{
    (void)state;
    double breaks[MAX_SEGS + 1], base[MAX_SEGS];
    size_t n = monthly_profile(breaks, base);
    nhpp *p = create_ok(breaks, base, n, 2e-4);
    gsl_rng *r1 = rng_seeded(11), *r2 = rng_seeded(11);
    double t1 = 0, t2 = 0;
    for (int i = 0; i < 20000; i++) {
        double a = nhpp_next(p, r1, t1), b = nhpp_next(p, r2, t2);
        assert_true(a == b);
        assert_true(a > t1); /* strictly after */
        t1 = a;
        t2 = b;
    }
    /* From a segment's break, exactly: arrivals strictly after it. */
    for (size_t k = 0; k < n; k += 7)
        assert_true(nhpp_next(p, r1, breaks[k]) > breaks[k]);
    gsl_rng_free(r1);
    gsl_rng_free(r2);
    nhpp_destroy(p);
}

/* nhpp_inverse inverts the compensator: Lambda(inverse(s)) = s, across
 * zero-rate segments and growth, and it is monotone. */
static void test_inverse(void **state)
{
    (void)state;
    const double breaks[] = {0.0, 10.0, 20.0, 31.0, 45.0};
    const double base[] = {2.0, 0.0, 5.0, 1.5};
    const double growths[] = {0.0, 0.01, -0.02};
    for (size_t g = 0; g < 3; g++) {
        nhpp *p;
        err_info e;
        assert_int_equal(nhpp_create(&p, breaks, base, 4, growths[g], &e), 0);
        double total = nhpp_expected(p, 0.0, 45.0), prev = 0.0;
        for (int i = 0; i <= 1000; i++) {
            double s = total * i / 1000.5;
            double t = nhpp_inverse(p, s);
            assert_true(t >= prev);
            prev = t;
            assert_true(fabs(nhpp_expected(p, 0.0, t) - s) <= 1e-9 * (1.0 + s));
            assert_false(t > 10.0 && t < 20.0); /* never inside the zero-rate segment */
        }
        assert_true(isinf(nhpp_inverse(p, total)));
        nhpp_destroy(p);
    }
}

int main(void)
{
    gsl_set_error_handler_off();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_profile_chisq),
        cmocka_unit_test(test_time_rescaling),
        cmocka_unit_test(test_growth_ratio),
        cmocka_unit_test(test_zero_segments),
        cmocka_unit_test(test_bad_inputs),
        cmocka_unit_test_teardown(test_alloc_failure, restore_hooks),
        cmocka_unit_test(test_homogeneous),
        cmocka_unit_test(test_known_answer),
        cmocka_unit_test(test_expected_and_rate),
        cmocka_unit_test(test_deterministic_and_strict),
        cmocka_unit_test(test_inverse),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
