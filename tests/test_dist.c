/*
 * test_dist — the dist module against its contract in sim/dist.h.
 *
 * Every kind is exercised through one table of parameter sets (cases[]):
 * reproducibility, the documented number of draws per sample, inversion of
 * the CDF at the drawn u, exact moments against formulas written here
 * independently of dist.c, and sample moments of 200,000 draws against the
 * exact ones within five standard errors (the variance's standard error comes
 * from the exact fourth central moment). Then the Weibull shape solver, every
 * error message, allocation failure on each allocation in turn, and the
 * published CP-plan duration bands.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_math.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sf_gamma.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "dist.h"
#include "mem.h"

#define N_DRAWS 200000
#define N_SE    5.0 /* standard errors allowed between a sample moment and the exact one */
#define RTOL    1e-9

/* One parameter set: a, b, c in the constructor's order (mean, sd; min, max;
 * min, mode, max), or v/probs/n for empirical values and histogram tables. */
typedef struct dcase {
    const char *label;
    dist_kind kind;
    double a, b, c;
    const double *v;
    const double *probs;
    size_t n;
} dcase;

static const double emp1[] = {1, 2, 3, 4, 10};
static const double emp2[] = {42};
static const double emp3[] = {-1, 0.5, 100, 7, 7, 7};
/* Child-protection-plan durations: 0-3 months, 3-6 months, 6-12 months, 1-2 years, 2-3 years. */
static const double cp_breaks[] = {0, 91.3, 182.6, 365.25, 730.5, 1095.75};
static const double cp_probs[] = {0.159, 0.110, 0.435, 0.252, 0.044};
static const double h2_breaks[] = {0, 1, 3};
static const double h2_probs[] = {0.5, 0.5};
static const double h3_breaks[] = {0, 10, 20, 30};
static const double h3_probs[] = {0.3, 0, 0.7};

static const dcase cases[] = {
    {"exponential 1", DIST_EXPONENTIAL, 1, 0, 0, NULL, NULL, 0},
    {"exponential 30.5", DIST_EXPONENTIAL, 30.5, 0, 0, NULL, NULL, 0},
    {"exponential 365", DIST_EXPONENTIAL, 365, 0, 0, NULL, NULL, 0},
    {"deterministic 0", DIST_DETERMINISTIC, 0, 0, 0, NULL, NULL, 0},
    {"deterministic 14", DIST_DETERMINISTIC, 14, 0, 0, NULL, NULL, 0},
    {"lognormal 30/10", DIST_LOGNORMAL, 30, 10, 0, NULL, NULL, 0},
    {"lognormal 100/150", DIST_LOGNORMAL, 100, 150, 0, NULL, NULL, 0},
    {"lognormal 5/0.5", DIST_LOGNORMAL, 5, 0.5, 0, NULL, NULL, 0},
    {"gamma 30/10", DIST_GAMMA, 30, 10, 0, NULL, NULL, 0},
    {"gamma 10/30 (shape < 1)", DIST_GAMMA, 10, 30, 0, NULL, NULL, 0},
    {"gamma 200/20", DIST_GAMMA, 200, 20, 0, NULL, NULL, 0},
    {"weibull 30/10", DIST_WEIBULL, 30, 10, 0, NULL, NULL, 0},
    {"weibull 100/150", DIST_WEIBULL, 100, 150, 0, NULL, NULL, 0},
    {"weibull 50/5", DIST_WEIBULL, 50, 5, 0, NULL, NULL, 0},
    {"weibull 20/20 (exponential)", DIST_WEIBULL, 20, 20, 0, NULL, NULL, 0},
    {"uniform 0..10", DIST_UNIFORM, 0, 10, 0, NULL, NULL, 0},
    {"uniform -5..5", DIST_UNIFORM, -5, 5, 0, NULL, NULL, 0},
    {"uniform 7..7 (point mass)", DIST_UNIFORM, 7, 7, 0, NULL, NULL, 0},
    {"triangular 0/5/10", DIST_TRIANGULAR, 0, 5, 10, NULL, NULL, 0},
    {"triangular 0/0/10", DIST_TRIANGULAR, 0, 0, 10, NULL, NULL, 0},
    {"triangular 1/10/10", DIST_TRIANGULAR, 1, 10, 10, NULL, NULL, 0},
    {"triangular -3/2/20", DIST_TRIANGULAR, -3, 2, 20, NULL, NULL, 0},
    {"empirical 5 values", DIST_EMPIRICAL, 0, 0, 0, emp1, NULL, 5},
    {"empirical 1 value", DIST_EMPIRICAL, 0, 0, 0, emp2, NULL, 1},
    {"empirical with repeats", DIST_EMPIRICAL, 0, 0, 0, emp3, NULL, 6},
    {"histogram CP plans", DIST_HISTOGRAM, 0, 0, 0, cp_breaks, cp_probs, 5},
    {"histogram 2 bands", DIST_HISTOGRAM, 0, 0, 0, h2_breaks, h2_probs, 2},
    {"histogram empty band", DIST_HISTOGRAM, 0, 0, 0, h3_breaks, h3_probs, 3},
};
#define N_CASES (sizeof cases / sizeof cases[0])

static int init_case(dist *d, const dcase *c, err_info *e)
{
    switch (c->kind) {
    case DIST_EXPONENTIAL:
        return dist_init_exponential(d, c->a, e);
    case DIST_DETERMINISTIC:
        return dist_init_deterministic(d, c->a, e);
    case DIST_LOGNORMAL:
        return dist_init_lognormal(d, c->a, c->b, e);
    case DIST_GAMMA:
        return dist_init_gamma(d, c->a, c->b, e);
    case DIST_WEIBULL:
        return dist_init_weibull(d, c->a, c->b, e);
    case DIST_UNIFORM:
        return dist_init_uniform(d, c->a, c->b, e);
    case DIST_TRIANGULAR:
        return dist_init_triangular(d, c->a, c->b, c->c, e);
    case DIST_EMPIRICAL:
        return dist_init_empirical(d, c->v, c->n, e);
    case DIST_HISTOGRAM:
        return dist_init_histogram(d, c->v, c->probs, c->n, e);
    case DIST_KIND_COUNT:
        break;
    }
    return -100;
}

static void init_ok(dist *d, const dcase *c)
{
    err_info e;
    err_clear(&e);
    int rc = init_case(d, c, &e);
    if (rc != 0) {
        print_error("%s: init failed (%d): %s\n", c->label, rc, e.text);
        fail();
    }
}

static void check_near(const char *label, const char *what, double got, double want, double tol)
{
    if (!(fabs(got - want) <= tol)) {
        print_error("%s: %s = %.17g, expected %.17g (tolerance %.3g)\n", label, what, got, want,
                    tol);
        fail();
    }
}

static void check_rel(const char *label, const char *what, double got, double want)
{
    check_near(label, what, got, want, RTOL * fabs(want));
}

static gsl_rng *rng_seeded(unsigned long seed)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    assert_non_null(r);
    gsl_rng_set(r, seed);
    return r;
}

/* ---- exact moments, from the user's parameters by the textbook formulas ---- */

typedef struct moments {
    double mean, var, mu4; /* mu4: fourth central moment, for the variance's standard error */
} moments;

/* Fourth central moment from the first four raw moments. */
static double central4(const double raw[5], double m)
{
    return raw[4] - 4 * m * raw[3] + 6 * m * m * raw[2] - 3 * m * m * m * m;
}

static moments weibull_moments(const dist *d)
{
    double lambda = d->p[0], k = d->p[1], raw[5];
    for (int j = 0; j <= 4; j++)
        raw[j] = pow(lambda, j) * gsl_sf_gamma(1 + j / k);
    double var = raw[2] - raw[1] * raw[1];
    return (moments){raw[1], var, central4(raw, raw[1])};
}

static moments histogram_moments(const dcase *c)
{
    const double *b = c->v, *p = c->probs;
    double m = 0, ex2 = 0, mu4 = 0;
    for (size_t i = 0; i < c->n; i++) {
        m += p[i] * (b[i] + b[i + 1]) / 2;
        ex2 += p[i] * (b[i] * b[i] + b[i] * b[i + 1] + b[i + 1] * b[i + 1]) / 3;
    }
    for (size_t i = 0; i < c->n; i++)
        mu4 += p[i] * (pow(b[i + 1] - m, 5) - pow(b[i] - m, 5)) / (5 * (b[i + 1] - b[i]));
    return (moments){m, ex2 - m * m, mu4};
}

static moments empirical_moments(const dcase *c)
{
    double m = 0, v = 0, mu4 = 0;
    for (size_t i = 0; i < c->n; i++)
        m += c->v[i] / (double)c->n;
    for (size_t i = 0; i < c->n; i++) {
        double dev = c->v[i] - m;
        v += dev * dev / (double)c->n;
        mu4 += dev * dev * dev * dev / (double)c->n;
    }
    return (moments){m, v, mu4};
}

static moments exact_moments(const dcase *c, const dist *d)
{
    double a = c->a, b = c->b, cc = c->c;
    switch (c->kind) {
    case DIST_EXPONENTIAL:
        return (moments){a, a * a, 9 * a * a * a * a};
    case DIST_DETERMINISTIC:
        return (moments){a, 0, 0};
    case DIST_LOGNORMAL: {
        double s2 = log(1 + b * b / (a * a)), v = b * b;
        return (moments){a, v, v * v * (exp(4 * s2) + 2 * exp(3 * s2) + 3 * exp(2 * s2) - 3)};
    }
    case DIST_GAMMA: {
        double shape = a * a / (b * b), v = b * b;
        return (moments){a, v, v * v * (3 + 6 / shape)};
    }
    case DIST_WEIBULL: {
        moments m = weibull_moments(d);
        return (moments){a, b * b, m.mu4};
    }
    case DIST_UNIFORM:
        return (moments){(a + b) / 2, (b - a) * (b - a) / 12, pow(b - a, 4) / 80};
    case DIST_TRIANGULAR: {
        double v = (a * a + b * b + cc * cc - a * b - a * cc - b * cc) / 18;
        return (moments){(a + b + cc) / 3, v, 2.4 * v * v};
    }
    case DIST_EMPIRICAL:
        return empirical_moments(c);
    case DIST_HISTOGRAM:
        return histogram_moments(c);
    case DIST_KIND_COUNT:
        break;
    }
    fail();
    return (moments){0, 0, 0};
}

/* ---- (1) reproducibility, draw counts, inversion ---- */

static void test_reproducible(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_CASES; i++) {
        dist d;
        init_ok(&d, &cases[i]);
        double first[8], again[8];
        gsl_rng *r = rng_seeded(20240501);
        for (int j = 0; j < 8; j++)
            first[j] = dist_sample(&d, r);
        gsl_rng_set(r, 20240501);
        for (int j = 0; j < 8; j++)
            again[j] = dist_sample(&d, r);
        for (int j = 0; j < 8; j++)
            assert_true(memcmp(&first[j], &again[j], sizeof first[j]) == 0);
        /* Another seed, another sequence (unless the dist is a point mass). */
        gsl_rng_set(r, 20240502);
        int same = 1;
        for (int j = 0; j < 8; j++)
            same &= dist_sample(&d, r) == first[j];
        if (dist_variance(&d) > 0 && same) {
            print_error("%s: seeds 20240501 and 20240502 agree\n", cases[i].label);
            fail();
        }
        gsl_rng_free(r);
        dist_fini(&d);
    }
}

/* The header promises a fixed number of draws per kind (dist.c lists them):
 * after k samples the stream must stand where k * draws raw draws leave it. */
static void test_draw_counts(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_CASES; i++) {
        if (cases[i].kind == DIST_GAMMA)
            continue; /* documented as variable: GSL's rejection sampler */
        unsigned long draws = cases[i].kind == DIST_DETERMINISTIC ? 0 : 1;
        dist d;
        init_ok(&d, &cases[i]);
        gsl_rng *r1 = rng_seeded(7 + i), *r2 = rng_seeded(7 + i);
        for (int k = 0; k < 1000; k++)
            (void)dist_sample(&d, r1);
        for (unsigned long k = 0; k < 1000 * draws; k++)
            (void)gsl_rng_get(r2);
        if (gsl_rng_get(r1) != gsl_rng_get(r2)) {
            print_error("%s: not %lu draw(s) per sample\n", cases[i].label, draws);
            fail();
        }
        gsl_rng_free(r1);
        gsl_rng_free(r2);
        dist_fini(&d);
    }
}

static double triangular_cdf(double a, double c, double b, double x)
{
    if (x <= c)
        return c == a ? 0 : (x - a) * (x - a) / ((b - a) * (c - a));
    return 1 - (b - x) * (b - x) / ((b - a) * (b - c));
}

static double histogram_cdf(const dcase *c, double x)
{
    double acc = 0;
    for (size_t i = 0; i < c->n; i++) {
        if (x < c->v[i + 1])
            return acc + c->probs[i] * (x - c->v[i]) / (c->v[i + 1] - c->v[i]);
        acc += c->probs[i];
    }
    return acc;
}

/* CDF of the case at x, by GSL or by hand; NaN for kinds not sampled by inversion. */
static double case_cdf(const dcase *c, const dist *d, double x)
{
    switch (c->kind) {
    case DIST_EXPONENTIAL:
        return gsl_cdf_exponential_P(x, c->a);
    case DIST_LOGNORMAL:
        return gsl_cdf_lognormal_P(x, log(c->a) - 0.5 * log(1 + c->b * c->b / (c->a * c->a)),
                                   sqrt(log(1 + c->b * c->b / (c->a * c->a))));
    case DIST_WEIBULL:
        return gsl_cdf_weibull_P(x, d->p[0], d->p[1]);
    case DIST_UNIFORM:
        return c->a == c->b ? NAN : gsl_cdf_flat_P(x, c->a, c->b);
    case DIST_TRIANGULAR:
        return triangular_cdf(c->a, c->b, c->c, x);
    case DIST_HISTOGRAM:
        return histogram_cdf(c, x);
    default:
        return NAN;
    }
}

/* Known answers: each one-draw kind returns F^-1(u) for the u the stream gives,
 * so F(sample) == u; empirical returns values[floor(u n)]. */
static void test_inversion(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_CASES; i++) {
        dist d;
        init_ok(&d, &cases[i]);
        gsl_rng *r1 = rng_seeded(99), *r2 = rng_seeded(99);
        for (int k = 0; k < 2000; k++) {
            double x = dist_sample(&d, r1);
            if (cases[i].kind == DIST_GAMMA || cases[i].kind == DIST_DETERMINISTIC)
                continue;
            double u = gsl_rng_uniform(r2);
            if (cases[i].kind == DIST_EMPIRICAL) {
                assert_true(x == cases[i].v[(size_t)(u * (double)cases[i].n)]);
                continue;
            }
            double f = case_cdf(&cases[i], &d, x);
            if (!isnan(f))
                check_near(cases[i].label, "F(sample) - u", f, u, 1e-9);
        }
        gsl_rng_free(r1);
        gsl_rng_free(r2);
        dist_fini(&d);
    }
}

/* ---- (2) exact moments and sample moments ---- */

static void test_exact_moments(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_CASES; i++) {
        const dcase *c = &cases[i];
        dist d;
        init_ok(&d, c);
        moments m = exact_moments(c, &d);
        check_rel(c->label, "dist_mean", dist_mean(&d), m.mean);
        check_rel(c->label, "dist_variance", dist_variance(&d), m.var);
        if (c->kind == DIST_EXPONENTIAL || c->kind == DIST_LOGNORMAL || c->kind == DIST_GAMMA ||
            c->kind == DIST_WEIBULL) {
            double sd = c->kind == DIST_EXPONENTIAL ? c->a : c->b;
            check_rel(c->label, "mean requested", dist_mean(&d), c->a);
            check_rel(c->label, "sd requested", sqrt(dist_variance(&d)), sd);
        }
        dist_fini(&d);
    }
}

static void test_sample_moments(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_CASES; i++) {
        const dcase *c = &cases[i];
        dist d;
        init_ok(&d, c);
        moments m = exact_moments(c, &d);
        gsl_rng *r = rng_seeded(1000 + i);
        double mean = 0, m2 = 0, lo = INFINITY, hi = -INFINITY;
        for (long k = 1; k <= N_DRAWS; k++) {
            double x = dist_sample(&d, r), delta = x - mean;
            mean += delta / (double)k;
            m2 += delta * (x - mean);
            lo = fmin(lo, x);
            hi = fmax(hi, x);
        }
        double n = N_DRAWS, var = m2 / (n - 1);
        double se_var = sqrt((m.mu4 - m.var * m.var) / n + 2 * m.var * m.var / (n * (n - 1)));
        check_near(c->label, "sample mean", mean, m.mean, N_SE * sqrt(m.var / n));
        check_near(c->label, "sample variance", var, m.var, N_SE * se_var);
        /* Support: nothing below the minimum a kind allows, or above its maximum. */
        if (c->kind == DIST_UNIFORM || c->kind == DIST_TRIANGULAR)
            assert_true(lo >= c->a && hi <= (c->kind == DIST_UNIFORM ? c->b : c->c));
        if (c->kind == DIST_HISTOGRAM)
            assert_true(lo >= c->v[0] && hi <= c->v[c->n]);
        if (c->kind == DIST_EXPONENTIAL || c->kind == DIST_LOGNORMAL || c->kind == DIST_GAMMA ||
            c->kind == DIST_WEIBULL)
            assert_true(lo >= 0);
        gsl_rng_free(r);
        dist_fini(&d);
    }
}

/* ---- (3) the Weibull shape solver ---- */

static double weibull_cv(double k)
{
    double g1 = gsl_sf_gamma(1 + 1 / k);
    return sqrt(gsl_sf_gamma(1 + 2 / k) / (g1 * g1) - 1);
}

static void test_weibull_solver(void **state)
{
    (void)state;
    err_info e;
    double k, k_prev = INFINITY;
    for (int i = 0; i <= 400; i++) {
        double cv = 0.01 * pow(2000.0, i / 400.0); /* 0.01 .. 20, log-spaced */
        assert_int_equal(dist_weibull_shape_for_cv(cv, &k, &e), 0);
        check_rel("weibull solver", "cv round trip", weibull_cv(k), cv);
        assert_true(k < k_prev);
        k_prev = k;
    }
    const double edges[] = {0.005, 50};
    for (int i = 0; i < 2; i++) {
        assert_int_equal(dist_weibull_shape_for_cv(edges[i], &k, &e), 0);
        check_rel("weibull solver", "cv round trip at range edge", weibull_cv(k), edges[i]);
    }
    /* Known shapes: k = 1 is the exponential (cv 1), k = 2 the Rayleigh (cv^2 = 4/pi - 1). */
    assert_int_equal(dist_weibull_shape_for_cv(1.0, &k, &e), 0);
    check_near("weibull solver", "k for cv 1", k, 1.0, 1e-12);
    assert_int_equal(dist_weibull_shape_for_cv(sqrt(4 / M_PI - 1), &k, &e), 0);
    check_near("weibull solver", "k for Rayleigh cv", k, 2.0, 1e-11);

    dist d;
    assert_int_equal(dist_init_weibull(&d, 30, 10, &e), 0);
    assert_int_equal(dist_weibull_shape_for_cv(10.0 / 30.0, &k, &e), 0);
    assert_true(d.kind == DIST_WEIBULL && d.p[1] == k);
    check_rel("weibull 30/10", "scale", d.p[0], 30 / gsl_sf_gamma(1 + 1 / k));
    dist_fini(&d);
}

/* ---- (4) every error condition ---- */

typedef struct ecase {
    dcase in;
    const char *want; /* a substring of the message */
} ecase;

static const double emp_nan[] = {1, 2, NAN};
static const double emp_inf[] = {-INFINITY};
static const double hb_ok[] = {0, 1, 2};
static const double hb_equal[] = {0, 5, 5, 6};
static const double hb_down[] = {0, 5, 4};
static const double hb_nan[] = {0, NAN, 2};
static const double hb_inf[] = {0, 1, INFINITY};
static const double hb_huge[] = {-1e308, 0, 1e308};
static const double hp_equal[] = {0.3, 0.3, 0.4};
static const double hp_neg[] = {1.1, -0.1};
static const double hp_nan[] = {NAN, 1};
static const double hp_inf[] = {0.5, INFINITY};
static const double hp_97[] = {0.5, 0.47};
static const double hp_over[] = {0.5, 0.5000015};
static const double hp_zero[] = {0, 0};
static const double hp_half[] = {0.5, 0.5};

static const ecase errors[] = {
    {{"exp 0", DIST_EXPONENTIAL, 0, 0, 0, NULL, NULL, 0},
     "exponential mean must be > 0 days (got 0)"},
    {{"exp -3", DIST_EXPONENTIAL, -3, 0, 0, NULL, NULL, 0}, "mean must be > 0 days (got -3)"},
    {{"exp nan", DIST_EXPONENTIAL, NAN, 0, 0, NULL, NULL, 0},
     "exponential mean must be a finite number of days (got nan)"},
    {{"exp inf", DIST_EXPONENTIAL, INFINITY, 0, 0, NULL, NULL, 0},
     "finite number of days (got inf)"},
    {{"exp -inf", DIST_EXPONENTIAL, -INFINITY, 0, 0, NULL, NULL, 0}, "(got -inf)"},
    {{"exp huge", DIST_EXPONENTIAL, 1e200, 0, 0, NULL, NULL, 0},
     "exponential parameters are beyond double precision"},
    {{"exp tiny", DIST_EXPONENTIAL, 1e-200, 0, 0, NULL, NULL, 0},
     "exponential with mean 1e-200 and sd 1e-200 days cannot be represented"},
    {{"det -1", DIST_DETERMINISTIC, -1, 0, 0, NULL, NULL, 0},
     "deterministic mean must be >= 0 days (got -1)"},
    {{"det nan", DIST_DETERMINISTIC, NAN, 0, 0, NULL, NULL, 0},
     "deterministic mean must be a finite"},
    {{"det inf", DIST_DETERMINISTIC, INFINITY, 0, 0, NULL, NULL, 0}, "(got inf)"},
    {{"logn mean 0", DIST_LOGNORMAL, 0, 1, 0, NULL, NULL, 0},
     "lognormal mean must be > 0 days (got 0)"},
    {{"logn mean -1", DIST_LOGNORMAL, -1, 1, 0, NULL, NULL, 0}, "lognormal mean must be > 0"},
    {{"logn sd 0", DIST_LOGNORMAL, 1, 0, 0, NULL, NULL, 0},
     "lognormal sd must be > 0 days (got 0)"},
    {{"logn sd -3", DIST_LOGNORMAL, 1, -3, 0, NULL, NULL, 0}, "sd must be > 0 days (got -3)"},
    {{"logn mean nan", DIST_LOGNORMAL, NAN, 1, 0, NULL, NULL, 0},
     "lognormal mean must be a finite"},
    {{"logn sd inf", DIST_LOGNORMAL, 1, INFINITY, 0, NULL, NULL, 0},
     "lognormal sd must be a finite"},
    {{"logn sd tiny", DIST_LOGNORMAL, 1, 1e-160, 0, NULL, NULL, 0},
     "lognormal with mean 1 and sd 1e-160 days cannot be represented in double precision"},
    {{"logn cv huge", DIST_LOGNORMAL, 1, 1e200, 0, NULL, NULL, 0},
     "lognormal parameters are beyond double precision"},
    {{"gamma mean 0", DIST_GAMMA, 0, 1, 0, NULL, NULL, 0}, "gamma mean must be > 0 days (got 0)"},
    {{"gamma sd -3", DIST_GAMMA, 1, -3, 0, NULL, NULL, 0}, "gamma sd must be > 0 days (got -3)"},
    {{"gamma sd nan", DIST_GAMMA, 1, NAN, 0, NULL, NULL, 0}, "gamma sd must be a finite"},
    {{"gamma mean -inf", DIST_GAMMA, -INFINITY, 1, 0, NULL, NULL, 0},
     "gamma mean must be a finite"},
    {{"gamma sd tiny", DIST_GAMMA, 1, 1e-160, 0, NULL, NULL, 0}, "gamma parameters are beyond"},
    {{"weibull sd 0", DIST_WEIBULL, 1, 0, 0, NULL, NULL, 0}, "weibull sd must be > 0 days (got 0)"},
    {{"weibull mean nan", DIST_WEIBULL, NAN, 1, 0, NULL, NULL, 0}, "weibull mean must be a finite"},
    {{"weibull sd inf", DIST_WEIBULL, 1, INFINITY, 0, NULL, NULL, 0},
     "weibull sd must be a finite"},
    {{"weibull cv small", DIST_WEIBULL, 1000, 1, 0, NULL, NULL, 0},
     "weibull coefficient of variation sd/mean must be within [0.005, 50] (got 0.001)"},
    {{"weibull cv large", DIST_WEIBULL, 1, 100, 0, NULL, NULL, 0}, "within [0.005, 50] (got 100)"},
    {{"weibull huge", DIST_WEIBULL, 1e300, 1e300, 0, NULL, NULL, 0},
     "weibull parameters are beyond"},
    {{"uniform reversed", DIST_UNIFORM, 5, 3, 0, NULL, NULL, 0},
     "uniform min must be <= max (got min 5, max 3)"},
    {{"uniform min nan", DIST_UNIFORM, NAN, 3, 0, NULL, NULL, 0}, "uniform min must be a finite"},
    {{"uniform max inf", DIST_UNIFORM, 0, INFINITY, 0, NULL, NULL, 0},
     "uniform max must be a finite"},
    {{"uniform huge", DIST_UNIFORM, -1e308, 1e308, 0, NULL, NULL, 0},
     "uniform parameters are beyond"},
    {{"tri point", DIST_TRIANGULAR, 2, 2, 2, NULL, NULL, 0},
     "triangular min must be < max (got min 2, max 2)"},
    {{"tri reversed", DIST_TRIANGULAR, 5, 4, 3, NULL, NULL, 0}, "triangular min must be < max"},
    {{"tri mode high", DIST_TRIANGULAR, 0, 7, 5, NULL, NULL, 0},
     "triangular mode must be within [min, max] (got min 0, mode 7, max 5)"},
    {{"tri mode low", DIST_TRIANGULAR, 0, -1, 5, NULL, NULL, 0}, "mode must be within [min, max]"},
    {{"tri min inf", DIST_TRIANGULAR, -INFINITY, 0, 5, NULL, NULL, 0},
     "triangular min must be a finite"},
    {{"tri mode nan", DIST_TRIANGULAR, 0, NAN, 5, NULL, NULL, 0},
     "triangular mode must be a finite"},
    {{"tri max nan", DIST_TRIANGULAR, 0, 1, NAN, NULL, NULL, 0}, "triangular max must be a finite"},
    {{"tri huge", DIST_TRIANGULAR, -1e308, 0, 1e308, NULL, NULL, 0},
     "triangular parameters are beyond"},
    {{"emp none", DIST_EMPIRICAL, 0, 0, 0, emp1, NULL, 0},
     "empirical needs at least 1 value (got 0)"},
    {{"emp nan", DIST_EMPIRICAL, 0, 0, 0, emp_nan, NULL, 3},
     "empirical values[2] must be finite (got nan)"},
    {{"emp inf", DIST_EMPIRICAL, 0, 0, 0, emp_inf, NULL, 1},
     "empirical values[0] must be finite (got -inf)"},
    {{"emp huge", DIST_EMPIRICAL, 0, 0, 0, hb_huge, NULL, 3}, "empirical parameters are beyond"},
    {{"hist none", DIST_HISTOGRAM, 0, 0, 0, hb_ok, hp_half, 0},
     "histogram needs at least 1 band (got 0)"},
    {{"hist equal", DIST_HISTOGRAM, 0, 0, 0, hb_equal, hp_equal, 3},
     "histogram breaks must be strictly increasing (breaks[2] = 5 <= breaks[1] = 5)"},
    {{"hist down", DIST_HISTOGRAM, 0, 0, 0, hb_down, hp_half, 2},
     "(breaks[2] = 4 <= breaks[1] = 5)"},
    {{"hist break nan", DIST_HISTOGRAM, 0, 0, 0, hb_nan, hp_half, 2},
     "histogram breaks[1] must be a finite number of days (got nan)"},
    {{"hist break inf", DIST_HISTOGRAM, 0, 0, 0, hb_inf, hp_half, 2}, "breaks[2] must be a finite"},
    {{"hist prob neg", DIST_HISTOGRAM, 0, 0, 0, hb_ok, hp_neg, 2},
     "histogram probs[1] must be a finite number >= 0 (got -0.1)"},
    {{"hist prob nan", DIST_HISTOGRAM, 0, 0, 0, hb_ok, hp_nan, 2},
     "probs[0] must be a finite number >= 0 (got nan)"},
    {{"hist prob inf", DIST_HISTOGRAM, 0, 0, 0, hb_ok, hp_inf, 2},
     "probs[1] must be a finite number >= 0 (got inf)"},
    {{"hist sum 0.97", DIST_HISTOGRAM, 0, 0, 0, hb_ok, hp_97, 2},
     "histogram probs sum to 0.97; expected 1 (within 1e-6)"},
    {{"hist sum over", DIST_HISTOGRAM, 0, 0, 0, hb_ok, hp_over, 2},
     "histogram probs sum to 1.0000015; expected 1 (within 1e-6)"},
    {{"hist sum 0", DIST_HISTOGRAM, 0, 0, 0, hb_ok, hp_zero, 2},
     "histogram probs sum to 0; expected 1"},
    {{"hist huge", DIST_HISTOGRAM, 0, 0, 0, hb_huge, hp_half, 2},
     "histogram parameters are beyond"},
};
#define N_ERRORS (sizeof errors / sizeof errors[0])

static void check_zeroed(const char *label, const dist *d)
{
    if (!(d->kind == 0 && d->p[0] == 0 && d->p[1] == 0 && d->p[2] == 0 && d->n == 0 &&
          d->table == NULL && d->cum == NULL && d->mean == 0 && d->variance == 0)) {
        print_error("%s: dist not left zeroed\n", label);
        fail();
    }
}

static void check_message(const char *label, const err_info *e, int code, const char *want)
{
    if (e->code != code || strstr(e->text, want) == NULL) {
        print_error("%s: code %d message \"%s\"; expected code %d and \"%s\"\n", label, e->code,
                    e->text, code, want);
        fail();
    }
}

static void test_errors(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_ERRORS; i++) {
        const ecase *c = &errors[i];
        dist d;
        err_info e;
        err_clear(&e);
        memset(&d, 0xA5, sizeof d); /* the constructor must zero it, not rely on the caller */
        assert_int_equal(init_case(&d, &c->in, &e), ERR_INPUT);
        check_message(c->in.label, &e, ERR_INPUT, c->want);
        check_zeroed(c->in.label, &d);
        /* No err_info: the same code, no crash. */
        assert_int_equal(init_case(&d, &c->in, NULL), ERR_INPUT);
        check_zeroed(c->in.label, &d);
    }
    const double bad_cv[] = {0, -1, NAN, INFINITY, 0.0049, 50.01};
    for (size_t i = 0; i < sizeof bad_cv / sizeof bad_cv[0]; i++) {
        err_info e;
        double k = -7;
        assert_int_equal(dist_weibull_shape_for_cv(bad_cv[i], &k, &e), ERR_INPUT);
        check_message("weibull solver", &e, ERR_INPUT, "must be within [0.005, 50]");
        assert_true(k == -7);
    }
}

/* A sum within the tolerance is accepted, and the cumulative table renormalised. */
static void test_histogram_tolerance(void **state)
{
    (void)state;
    const double probs[] = {0.25, 0.75 - 9e-7};
    dist d;
    err_info e;
    assert_int_equal(dist_init_histogram(&d, hb_ok, probs, 2, &e), 0);
    assert_true(d.cum[1] == 1.0);
    check_rel("histogram tolerance", "cum[0]", d.cum[0], 0.25 / (1 - 9e-7));
    dist_fini(&d);
}

/* ---- (5) allocation failure ---- */

typedef struct failing {
    long calls;   /* allocations attempted */
    long fail_at; /* the call that fails (1-based); 0 for none */
    long live;    /* blocks allocated and not yet released */
} failing;

static void *failing_alloc(void *ud, size_t size)
{
    failing *f = ud;
    if (++f->calls == f->fail_at)
        return NULL;
    void *p = malloc(size);
    f->live += p != NULL;
    return p;
}

static void *failing_resize(void *ud, void *ptr, size_t size)
{
    failing *f = ud;
    if (++f->calls == f->fail_at)
        return NULL;
    void *p = realloc(ptr, size);
    f->live += ptr == NULL && p != NULL;
    return p;
}

static void failing_release(void *ud, void *ptr)
{
    failing *f = ud;
    f->live -= ptr != NULL;
    free(ptr);
}

static int restore_hooks(void **state)
{
    (void)state;
    mem_set_hooks(NULL);
    return 0;
}

/* Builds a dist from c (and, when copy is set, then copies it), making the
 * Nth allocation of that step fail for N = 1, 2, ... until the step succeeds.
 * Every failure must return ERR_NOMEM, leave the target zeroed and leak nothing. */
static void fail_each_allocation(const dcase *c, int copy)
{
    int failures = 0;
    for (long n = 1;; n++) {
        failing f = {0, copy ? 0 : n, 0};
        mem_hooks hooks = {failing_alloc, failing_resize, failing_release, &f};
        mem_set_hooks(&hooks);
        dist src, dst;
        err_info e;
        err_clear(&e);
        int rc = init_case(&src, c, &e);
        if (copy) {
            assert_int_equal(rc, 0);
            long src_blocks = f.live;
            f.fail_at = f.calls + n;
            rc = dist_copy(&dst, &src);
            if (rc != 0) {
                check_zeroed(c->label, &dst);
                assert_int_equal(f.live, src_blocks);
            }
            if (rc == 0)
                dist_fini(&dst);
            dist_fini(&src);
        } else if (rc != 0) {
            check_message(c->label, &e, ERR_NOMEM, "out of memory");
            check_zeroed(c->label, &src);
        } else {
            dist_fini(&src);
        }
        mem_set_hooks(NULL);
        assert_int_equal(f.live, 0);
        if (rc == 0)
            break;
        assert_int_equal(rc, ERR_NOMEM);
        failures++;
    }
    assert_true(failures >= 1);
}

static void test_alloc_failure(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_CASES; i++) {
        if (cases[i].kind != DIST_EMPIRICAL && cases[i].kind != DIST_HISTOGRAM)
            continue;
        fail_each_allocation(&cases[i], 0);
        fail_each_allocation(&cases[i], 1);
    }
}

/* ---- (6) the published CP-plan bands ---- */

static void test_cp_plan_bands(void **state)
{
    (void)state;
    dist d;
    err_info e;
    assert_int_equal(dist_init_histogram(&d, cp_breaks, cp_probs, 5, &e), 0);
    gsl_rng *r = rng_seeded(31337);
    long count[5] = {0};
    double pos[5] = {0}; /* sum of each sample's position within its band, in [0, 1] */
    for (long k = 0; k < N_DRAWS; k++) {
        double x = dist_sample(&d, r);
        assert_true(x >= cp_breaks[0] && x <= cp_breaks[5]);
        int b = 0;
        while (b < 4 && x >= cp_breaks[b + 1])
            b++;
        count[b]++;
        pos[b] += (x - cp_breaks[b]) / (cp_breaks[b + 1] - cp_breaks[b]);
    }
    double chi2 = 0;
    for (int b = 0; b < 5; b++) {
        double p = cp_probs[b], n = N_DRAWS, got = (double)count[b];
        check_near("CP bands", "band frequency", got / n, p, N_SE * sqrt(p * (1 - p) / n));
        chi2 += (got - n * p) * (got - n * p) / (n * p);
        /* Uniform within the band: mean position 1/2, sd 1/sqrt(12). */
        check_near("CP bands", "mean position in band", pos[b] / got, 0.5, N_SE / sqrt(12.0 * got));
    }
    /* 4 degrees of freedom; a fixed seed, so a threshold at p = 1e-6 never flickers. */
    assert_true(chi2 < gsl_cdf_chisq_Qinv(1e-6, 4));
    gsl_rng_free(r);
    dist_fini(&d);
}

static void test_empty_band_never_sampled(void **state)
{
    (void)state;
    dist d;
    err_info e;
    assert_int_equal(dist_init_histogram(&d, h3_breaks, h3_probs, 3, &e), 0);
    gsl_rng *r = rng_seeded(5);
    for (int k = 0; k < 100000; k++) {
        double x = dist_sample(&d, r);
        assert_false(x >= 10 && x < 20);
    }
    gsl_rng_free(r);
    dist_fini(&d);
}

/* ---- names, copies, fini ---- */

static void test_kind_names(void **state)
{
    (void)state;
    const char *names[DIST_KIND_COUNT] = {"exponential", "deterministic", "lognormal",
                                          "gamma",       "weibull",       "uniform",
                                          "triangular",  "empirical",     "histogram"};
    for (int k = 0; k < DIST_KIND_COUNT; k++) {
        assert_string_equal(dist_kind_name((dist_kind)k), names[k]);
        assert_int_equal(dist_kind_parse(names[k]), k);
    }
    const char *unknown[] = {"", "Exponential", "normal", "gamma ", "histograms"};
    for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; i++)
        assert_int_equal(dist_kind_parse(unknown[i]), -1);
    assert_int_equal(dist_kind_parse(NULL), -1);
}

static void test_copy_and_fini(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_CASES; i++) {
        dist src, dst;
        init_ok(&src, &cases[i]);
        assert_int_equal(dist_copy(&dst, &src), 0);
        if (src.table != NULL)
            assert_true(dst.table != src.table);
        gsl_rng *r1 = rng_seeded(3), *r2 = rng_seeded(3);
        double want[16], want_mean = dist_mean(&src), want_var = dist_variance(&src);
        for (int k = 0; k < 16; k++)
            want[k] = dist_sample(&src, r1);
        dist_fini(&src); /* the copy must not share the original's tables */
        check_zeroed(cases[i].label, &src);
        for (int k = 0; k < 16; k++)
            assert_true(dist_sample(&dst, r2) == want[k]);
        assert_true(dist_mean(&dst) == want_mean && dist_variance(&dst) == want_var);
        gsl_rng_free(r1);
        gsl_rng_free(r2);
        dist_fini(&dst);
        dist_fini(&dst); /* fini of a zeroed dist is a no-op */
    }
}

int main(void)
{
    gsl_set_error_handler_off();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reproducible),
        cmocka_unit_test(test_draw_counts),
        cmocka_unit_test(test_inversion),
        cmocka_unit_test(test_exact_moments),
        cmocka_unit_test(test_sample_moments),
        cmocka_unit_test(test_weibull_solver),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_histogram_tolerance),
        cmocka_unit_test_teardown(test_alloc_failure, restore_hooks),
        cmocka_unit_test(test_cp_plan_bands),
        cmocka_unit_test(test_empty_band_never_sampled),
        cmocka_unit_test(test_kind_names),
        cmocka_unit_test(test_copy_and_fini),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
