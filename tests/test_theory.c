/*
 * Tests for theory: known answers, Erlang C against the textbook formula
 * computed independently (long double, and in log space for large c), the
 * special cases that tie the station formulas together (M/M/1 inside M/M/c,
 * M/M/1 and M/D/1 inside M/G/1), Little's law on every station, NaN for
 * every invalid or unstable input, and the traffic equations including every
 * error they report and injected allocation failure.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>

#include "err.h"
#include "mem.h"
#include "theory.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static void expect_close(double got, double want, double rel, const char *what)
{
    double tol = rel * fmax(fabs(want), 1.0);
    if (!(fabs(got - want) <= tol))
        fail_msg("%s: got %.17g, want %.17g (tolerance %g)", what, got, want, tol);
}

static void expect_nan_measures(theory_station s, const char *what)
{
    if (!isnan(s.L) || !isnan(s.Lq) || !isnan(s.W) || !isnan(s.Wq))
        fail_msg("%s: expected NaN measures, got L=%g Lq=%g W=%g Wq=%g", what, s.L, s.Lq, s.W,
                 s.Wq);
}

/* ---- Erlang C --------------------------------------------------------------- */

/* The textbook formula: (a^c/c! * c/(c-a)) / (sum_{k<c} a^k/k! + that). */
static long double erlang_c_direct(unsigned c, long double a)
{
    long double term = 1.0L, sum = 0.0L;
    for (unsigned k = 0; k < c; k++) {
        sum += term;
        term *= a / (long double)(k + 1);
    }
    long double tail = term * (long double)c / ((long double)c - a);
    return tail / (sum + tail);
}

/* The same formula with each term as exp(k log a - log k!), summed relative to
 * the largest, so that c in the thousands neither overflows nor underflows. */
static long double erlang_c_logspace(unsigned c, long double a)
{
    long double tail = (long double)c * logl(a) - lgammal((long double)c + 1.0L) +
                       logl((long double)c / ((long double)c - a));
    long double top = tail;
    for (unsigned k = 0; k < c; k++)
        top = fmaxl(top, (long double)k * logl(a) - lgammal((long double)k + 1.0L));
    long double sum = expl(tail - top);
    for (unsigned k = 0; k < c; k++)
        sum += expl((long double)k * logl(a) - lgammal((long double)k + 1.0L) - top);
    return expl(tail - top) / sum;
}

static void test_erlang_c_known(void **state)
{
    (void)state;
    static const struct {
        unsigned c;
        double a, want;
    } t[] = {
        {1, 0.0, 0.0},       {1, 0.3, 0.3},       {1, 0.9, 0.9},
        {1, 0.999, 0.999},   {2, 1.0, 1.0 / 3.0}, /* by hand: (1/2 * 2) / (1 + 1 + 1) */
        {3, 2.0, 4.0 / 9.0},                      /* by hand: (8/6 * 3) / (1 + 2 + 2 + 4) */
        {5, 0.0, 0.0},
    };
    for (size_t i = 0; i < COUNT(t); i++)
        expect_close(theory_erlang_c(t[i].c, t[i].a), t[i].want, 1e-15, "erlang_c known");
}

static void test_erlang_c_direct(void **state)
{
    (void)state;
    static const struct {
        unsigned c;
        double a;
    } t[] = {{10, 9.5}, {2, 1.5}, {5, 2.5}, {7, 0.1}, {20, 15.0}, {50, 49.0}, {100, 60.0}};
    for (size_t i = 0; i < COUNT(t); i++) {
        double want = (double)erlang_c_direct(t[i].c, t[i].a);
        double got = theory_erlang_c(t[i].c, t[i].a);
        if (!(fabs(got - want) <= 1e-12 * want))
            fail_msg("erlang_c(%u, %g) = %.17g, direct formula %.17g", t[i].c, t[i].a, got, want);
    }
}

static void test_erlang_c_large(void **state)
{
    (void)state;
    static const struct {
        unsigned c;
        double a;
    } t[] = {{200, 190.0}, {1000, 990.0}, {5000, 4900.0}, {2000, 1500.0}};
    for (size_t i = 0; i < COUNT(t); i++) {
        double got = theory_erlang_c(t[i].c, t[i].a);
        double want = (double)erlang_c_logspace(t[i].c, t[i].a);
        assert_true(isfinite(got) && got >= 0.0 && got <= 1.0);
        if (!(fabs(got - want) <= 1e-10 * want))
            fail_msg("erlang_c(%u, %g) = %.17g, log-space formula %.17g", t[i].c, t[i].a, got,
                     want);
    }
    /* The largest c must neither wrap the loop nor take 2^32 steps at light load. */
    double huge = theory_erlang_c(UINT_MAX, 1.0);
    assert_true(huge >= 0.0 && huge < 1e-300);
}

static void test_erlang_c_domain(void **state)
{
    (void)state;
    static const struct {
        unsigned c;
        double a;
    } t[] = {{0, 0.0},      {0, 0.5}, {1, 1.0},      {1, 1.5},       {2, 2.0},    {3, -1.0},
             {3, -DBL_MIN}, {3, NAN}, {3, INFINITY}, {3, -INFINITY}, {200, 200.0}};
    for (size_t i = 0; i < COUNT(t); i++)
        if (!isnan(theory_erlang_c(t[i].c, t[i].a)))
            fail_msg("erlang_c(%u, %g) should be NaN", t[i].c, t[i].a);
}

/* ---- stations --------------------------------------------------------------- */

static void test_mm1(void **state)
{
    (void)state;
    static const struct {
        double lambda, es;
    } t[] = {{0.5, 1.0}, {0.9, 1.0}, {3.0, 0.25}, {0.01, 20.0}, {1.0, 0.999}, {0.0, 2.0}};
    for (size_t i = 0; i < COUNT(t); i++) {
        double lambda = t[i].lambda, mu = 1.0 / t[i].es, rho = lambda * t[i].es;
        theory_station s = theory_mmc(lambda, t[i].es, 1);
        expect_close(s.rho, rho, 1e-15, "M/M/1 rho");
        expect_close(s.L, rho / (1.0 - rho), 1e-12, "M/M/1 L");
        expect_close(s.Lq, rho * rho / (1.0 - rho), 1e-12, "M/M/1 Lq");
        expect_close(s.W, 1.0 / (mu - lambda), 1e-12, "M/M/1 W");
        expect_close(s.Wq, rho / (mu - lambda), 1e-12, "M/M/1 Wq");
    }
}

static void test_mmc_known(void **state)
{
    (void)state;
    /* M/M/2, lambda 1, E[S] 1: C = 1/3, Wq = C E[S] / (c - a) = 1/3. */
    theory_station s = theory_mmc(1.0, 1.0, 2);
    expect_close(s.rho, 0.5, 1e-15, "M/M/2 rho");
    expect_close(s.Wq, 1.0 / 3.0, 1e-15, "M/M/2 Wq");
    expect_close(s.Lq, 1.0 / 3.0, 1e-15, "M/M/2 Lq");
    expect_close(s.W, 4.0 / 3.0, 1e-15, "M/M/2 W");
    expect_close(s.L, 4.0 / 3.0, 1e-15, "M/M/2 L");
    /* Instant service: nothing waits, nothing is in the station. */
    s = theory_mmc(5.0, 0.0, 3);
    assert_true(s.rho == 0.0 && s.L == 0.0 && s.Lq == 0.0 && s.W == 0.0 && s.Wq == 0.0);
}

static void test_mg1_special_cases(void **state)
{
    (void)state;
    static const struct {
        double lambda, es;
    } t[] = {{0.5, 1.0}, {0.9, 1.0}, {3.0, 0.25}, {0.01, 20.0}, {0.0, 2.0}, {2.0, 0.4999}};
    for (size_t i = 0; i < COUNT(t); i++) {
        double lambda = t[i].lambda, es = t[i].es, rho = lambda * es;
        /* Exponential service: variance es^2, so M/G/1 is M/M/1. */
        theory_station g = theory_mg1(lambda, es, es * es);
        theory_station m = theory_mmc(lambda, es, 1);
        expect_close(g.rho, m.rho, 1e-15, "M/G/1 exp rho");
        expect_close(g.L, m.L, 1e-12, "M/G/1 exp L");
        expect_close(g.Lq, m.Lq, 1e-12, "M/G/1 exp Lq");
        expect_close(g.W, m.W, 1e-12, "M/G/1 exp W");
        expect_close(g.Wq, m.Wq, 1e-12, "M/G/1 exp Wq");
        /* Deterministic service: M/D/1, Lq = rho^2 / (2 (1 - rho)). */
        theory_station d = theory_mg1(lambda, es, 0.0);
        expect_close(d.Lq, rho * rho / (2.0 * (1.0 - rho)), 1e-12, "M/D/1 Lq");
        expect_close(d.Wq, rho * es / (2.0 * (1.0 - rho)), 1e-12, "M/D/1 Wq");
    }
}

static void test_mginf(void **state)
{
    (void)state;
    static const struct {
        double lambda, es;
    } t[] = {{0.0, 1.0}, {2.0, 3.0}, {1000.0, 0.5}, {0.1, 0.0}};
    for (size_t i = 0; i < COUNT(t); i++) {
        theory_station s = theory_mginf(t[i].lambda, t[i].es);
        expect_close(s.L, t[i].lambda * t[i].es, 1e-15, "M/G/inf L");
        expect_close(s.W, t[i].es, 1e-15, "M/G/inf W");
        assert_true(s.Lq == 0.0 && s.Wq == 0.0 && s.rho == 0.0);
    }
}

enum kind { MMC, MG1, MGINF };

static theory_station station_of(enum kind k, double lambda, double es, double vs, unsigned c)
{
    switch (k) {
    case MMC:
        return theory_mmc(lambda, es, c);
    case MG1:
        return theory_mg1(lambda, es, vs);
    default:
        return theory_mginf(lambda, es);
    }
}

static void test_little_law(void **state)
{
    (void)state;
    static const struct {
        enum kind k;
        double lambda, es, vs;
        unsigned c;
    } t[] = {
        {MMC, 0.9, 1.0, 0, 1},     {MMC, 1.0, 1.0, 0, 2},    {MMC, 9.5, 1.0, 0, 10},
        {MMC, 190.0, 1.0, 0, 200}, {MMC, 4.0, 2.0, 0, 9},    {MMC, 0.0, 1.0, 0, 3},
        {MG1, 0.5, 1.0, 4.0, 0},   {MG1, 0.95, 1.0, 0.0, 0}, {MG1, 0.2, 3.0, 0.5, 0},
        {MG1, 0.0, 1.0, 1.0, 0},   {MGINF, 3.0, 7.0, 0, 0},  {MGINF, 0.0, 7.0, 0, 0},
    };
    for (size_t i = 0; i < COUNT(t); i++) {
        theory_station s = station_of(t[i].k, t[i].lambda, t[i].es, t[i].vs, t[i].c);
        assert_true(isfinite(s.L) && isfinite(s.Lq) && isfinite(s.W) && isfinite(s.Wq));
        expect_close(s.L, t[i].lambda * s.W, 1e-14, "L = lambda W");
        expect_close(s.Lq, t[i].lambda * s.Wq, 1e-14, "Lq = lambda Wq");
        expect_close(s.W, s.Wq + t[i].es, 1e-14, "W = Wq + E[S]");
        expect_close(s.L - s.Lq, t[i].lambda * t[i].es, 1e-12, "L - Lq = offered load");
        assert_true(s.Wq >= 0.0 && s.Lq >= 0.0);
    }
}

static void test_station_domain(void **state)
{
    (void)state;
    /* Invalid parameters: every field NaN, rho included. */
    static const struct {
        enum kind k;
        double lambda, es, vs;
        unsigned c;
    } bad[] = {
        {MMC, -1.0, 1.0, 0, 1},       {MMC, 1.0, -1.0, 0, 1},     {MMC, NAN, 1.0, 0, 1},
        {MMC, 1.0, NAN, 0, 1},        {MMC, INFINITY, 1.0, 0, 1}, {MMC, 0.5, 1.0, 0, 0},
        {MG1, -0.5, 1.0, 1.0, 0},     {MG1, 0.5, -1.0, 1.0, 0},   {MG1, 0.5, 1.0, -1.0, 0},
        {MG1, NAN, 1.0, 1.0, 0},      {MG1, 0.5, 1.0, NAN, 0},    {MG1, 0.5, 0.0, 1.0, 0},
        {MG1, 0.5, 1.0, INFINITY, 0}, {MGINF, -1.0, 1.0, 0, 0},   {MGINF, 1.0, -1.0, 0, 0},
        {MGINF, NAN, 1.0, 0, 0},      {MGINF, 1.0, NAN, 0, 0},    {MGINF, 1.0, INFINITY, 0, 0},
    };
    for (size_t i = 0; i < COUNT(bad); i++) {
        theory_station s = station_of(bad[i].k, bad[i].lambda, bad[i].es, bad[i].vs, bad[i].c);
        expect_nan_measures(s, "invalid station");
        assert_true(isnan(s.rho));
    }
    /* Unstable (rho >= 1): the measures are NaN but rho reports the overload. */
    static const struct {
        enum kind k;
        double lambda, es;
        unsigned c;
        double rho;
    } unstable[] = {
        {MMC, 1.0, 1.0, 1, 1.0},       {MMC, 2.5, 1.0, 2, 1.25}, {MMC, 200.0, 1.0, 200, 1.0},
        {MG1, 1.0, 1.0, 0, 1.0},       {MG1, 3.0, 0.5, 0, 1.5},  {MMC, 1e300, 1e300, 4, INFINITY},
        {MGINF, 1e300, 1e300, 0, 0.0},
    };
    for (size_t i = 0; i < COUNT(unstable); i++) {
        const double vs = 0.0;
        theory_station s =
            station_of(unstable[i].k, unstable[i].lambda, unstable[i].es, vs, unstable[i].c);
        expect_nan_measures(s, "unstable or overflowing station");
        assert_true(s.rho == unstable[i].rho);
    }
}

/* ---- traffic equations ------------------------------------------------------ */

#define MAXN 4

struct network {
    const char *name;
    size_t n;
    double gamma[MAXN];
    double p[MAXN * MAXN];
    double want[MAXN];
};

static void test_traffic_known(void **state)
{
    (void)state;
    static const struct network t[] = {
        {"single station, no routing", 1, {2.5}, {0.0}, {2.5}},
        {"tandem 0 -> 1 -> 2", 3, {2, 0, 0}, {0, 1, 0, 0, 0, 1, 0, 0, 0}, {2, 2, 2}},
        /* lambda0 = 1 + 0.3 lambda0; station 1 gets the 0.7 that leaves 0. */
        {"feedback 0 -> 0 (0.3)", 2, {1, 0}, {0.3, 0.7, 0, 0}, {1 / 0.7, 1.0}},
        /* By hand: l0 = 1 + 0.2 l1, l1 = 2 + 0.5 l0 => l0 = 14/9, l1 = 25/9,
         * l2 = 0.5 l0 + 0.5 l1 = 13/6. */
        {"3 nodes by hand",
         3,
         {1, 2, 0},
         {0, 0.5, 0.5, 0.2, 0, 0.5, 0, 0, 0},
         {14.0 / 9.0, 25.0 / 9.0, 13.0 / 6.0}},
        /* Rework loop 1 <-> 2 where half of 2 returns: l1 = 3 + 0.5 l2, l2 = l1. */
        {"loop with exit", 3, {3, 0, 0}, {0, 1, 0, 0, 0, 1, 0, 0.5, 0}, {3, 6, 6}},
        {"no arrivals", 2, {0, 0}, {0, 0.5, 0.5, 0}, {0, 0}},
    };
    for (size_t i = 0; i < COUNT(t); i++) {
        double lambda[MAXN] = {-1, -1, -1, -1};
        err_info e;
        err_clear(&e);
        int rc = theory_traffic(t[i].n, t[i].gamma, t[i].p, lambda, &e);
        if (rc != 0)
            fail_msg("%s: rc %d: %s", t[i].name, rc, e.text);
        for (size_t j = 0; j < t[i].n; j++)
            expect_close(lambda[j], t[i].want[j], 1e-14, t[i].name);
        for (size_t j = t[i].n; j < MAXN; j++)
            assert_true(lambda[j] == -1.0); /* nothing written past n */
    }
    /* No stations: nothing to do, nothing written. */
    assert_int_equal(theory_traffic(0, NULL, NULL, NULL, NULL), 0);
}

static const char trap_prefix[] = "routing has a loop with no way out: ";

static void test_traffic_traps(void **state)
{
    (void)state;
    static const struct {
        struct network net;
        const char *named; /* a phrase the message must contain */
    } t[] = {
        {{"self-loop p = 1", 1, {1}, {1.0}, {0}}, "station 0 can never leave"},
        {{"self-loop p = 1 after an exit", 2, {1, 0}, {0, 0.5, 0, 1.0}, {0}},
         "station 1 can never leave"},
        {{"two-station cycle", 3, {1, 0, 0}, {0, 1, 0, 0, 0, 1, 0, 1, 0}, {0}},
         "station 0 (and 2 other stations)"},
        {{"trap fed by nobody", 3, {1, 0, 0}, {0, 0, 0, 0, 0, 1, 0, 1, 0}, {0}},
         "station 1 (and 1 other station)"},
        {{"split between traps", 2, {1, 1}, {0.5, 0.5, 0.5, 0.5}, {0}},
         "station 0 (and 1 other station)"},
        /* Leaks only by rounding: structurally open, numerically closed. */
        {{"leak below rounding", 1, {1}, {1.0 - DBL_EPSILON / 2}, {0}}, "lost in rounding"},
    };
    for (size_t i = 0; i < COUNT(t); i++) {
        const struct network *net = &t[i].net;
        double lambda[MAXN] = {-1, -1, -1, -1};
        err_info e;
        err_clear(&e);
        int rc = theory_traffic(net->n, net->gamma, net->p, lambda, &e);
        if (rc != ERR_INPUT)
            fail_msg("%s: rc %d, expected ERR_INPUT", net->name, rc);
        assert_int_equal(e.code, ERR_INPUT);
        if (strncmp(e.text, trap_prefix, strlen(trap_prefix)) != 0 ||
            strstr(e.text, t[i].named) == NULL || strstr(e.text, "expected") == NULL)
            fail_msg("%s: unhelpful message \"%s\"", net->name, e.text);
        for (size_t j = 0; j < MAXN; j++)
            assert_true(lambda[j] == -1.0);
    }
    /* A leak a few ulps above rounding is a (very busy) open network. */
    double gamma = 1.0, p = 1.0 - 4 * DBL_EPSILON, lambda = 0;
    assert_int_equal(theory_traffic(1, &gamma, &p, &lambda, NULL), 0);
    expect_close(lambda, 1.0 / (1.0 - p), 1e-15, "tiny leak");
}

static void test_traffic_bad_input(void **state)
{
    (void)state;
    static const struct {
        struct network net;
        const char *named;
    } t[] = {
        {{"negative gamma", 2, {1, -0.5}, {0}, {0}}, "into station 1 is -0.5"},
        {{"NaN gamma", 1, {NAN}, {0}, {0}}, "into station 0"},
        {{"infinite gamma", 1, {INFINITY}, {0}, {0}}, "into station 0"},
        {{"p above 1", 2, {1, 0}, {0, 1.5, 0, 0}, {0}}, "from station 0 to station 1 is 1.5"},
        {{"p negative", 2, {1, 0}, {0, 0, -0.1, 0}, {0}}, "from station 1 to station 0 is -0.1"},
        {{"p NaN", 2, {1, 0}, {0, NAN, 0, 0}, {0}}, "from station 0 to station 1"},
        {{"row sums above 1", 2, {1, 0}, {0, 0, 0.6, 0.6}, {0}}, "out of station 1 sum to 1.2"},
        /* Overflow of a valid network: 2 * DBL_MAX is not a rate. */
        {{"rates overflow", 1, {DBL_MAX}, {0.5}, {0}}, "station 0 an arrival rate of inf"},
    };
    for (size_t i = 0; i < COUNT(t); i++) {
        const struct network *net = &t[i].net;
        double lambda[MAXN] = {-1, -1, -1, -1};
        err_info e;
        err_clear(&e);
        int rc = theory_traffic(net->n, net->gamma, net->p, lambda, &e);
        if (rc != ERR_INPUT || e.code != ERR_INPUT)
            fail_msg("%s: rc %d, expected ERR_INPUT", net->name, rc);
        if (strstr(e.text, t[i].named) == NULL || strstr(e.text, "expected") == NULL ||
            strstr(e.text, ".c:") != NULL)
            fail_msg("%s: unhelpful message \"%s\"", net->name, e.text);
        for (size_t j = 0; j < MAXN; j++)
            assert_true(lambda[j] == -1.0);
    }
    /* A row that sums to 1 only up to rounding is accepted (0.1 + 0.2 + 0.7). */
    double gamma[4] = {1, 0, 0, 0};
    double p[16] = {0, 0.1, 0.2, 0.7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    double lambda[4];
    assert_int_equal(theory_traffic(4, gamma, p, lambda, NULL), 0);
    expect_close(lambda[3], 0.7, 1e-15, "rounded row");
}

/* An allocator that fails once its budget of successful allocations is spent
 * and counts live blocks, so a leak on any error path is caught. */
struct budget {
    int left;
    int live;
};

static void *budget_alloc(void *ud, size_t size)
{
    struct budget *b = ud;
    if (b->left == 0)
        return NULL;
    b->left--;
    void *p = malloc(size);
    if (p != NULL)
        b->live++;
    return p;
}

static void *budget_resize(void *ud, void *ptr, size_t size)
{
    struct budget *b = ud;
    if (b->left == 0)
        return NULL;
    b->left--;
    return realloc(ptr, size);
}

static void budget_release(void *ud, void *ptr)
{
    struct budget *b = ud;
    b->live--;
    free(ptr);
}

static void test_traffic_nomem(void **state)
{
    (void)state;
    const double gamma[3] = {1, 2, 0};
    const double p[9] = {0, 0.5, 0.5, 0.2, 0, 0.5, 0, 0, 0};
    int failures = 0;
    for (int budget_left = 0;; budget_left++) {
        struct budget b = {budget_left, 0};
        mem_hooks h = {budget_alloc, budget_resize, budget_release, &b};
        mem_set_hooks(&h);
        double lambda[3] = {-1, -1, -1};
        err_info e;
        err_clear(&e);
        int rc = theory_traffic(3, gamma, p, lambda, &e);
        mem_set_hooks(NULL);
        assert_int_equal(b.live, 0);
        if (rc == 0) {
            expect_close(lambda[2], 13.0 / 6.0, 1e-14, "after allocation failures");
            break;
        }
        assert_int_equal(rc, ERR_NOMEM);
        assert_int_equal(e.code, ERR_NOMEM);
        assert_non_null(strstr(e.text, "out of memory"));
        assert_true(lambda[0] == -1 && lambda[1] == -1 && lambda[2] == -1);
        failures++;
        assert_true(budget_left < 100);
    }
    assert_true(failures >= 2); /* both scratch blocks were made to fail */

    /* Input errors are found before any allocation; so is an empty network. */
    struct budget none = {0, 0};
    mem_hooks h = {budget_alloc, budget_resize, budget_release, &none};
    mem_set_hooks(&h);
    const double bad_gamma[3] = {1, -2, 0};
    double lambda[3];
    assert_int_equal(theory_traffic(3, bad_gamma, p, lambda, NULL), ERR_INPUT);
    assert_int_equal(theory_traffic(0, gamma, p, lambda, NULL), 0);
    /* So many stations that the scratch size overflows: refused, nothing read. */
    err_info e;
    err_clear(&e);
    assert_int_equal(theory_traffic(SIZE_MAX, gamma, p, lambda, &e), ERR_NOMEM);
    assert_int_equal(theory_traffic((size_t)1 << (sizeof(size_t) * 4), gamma, p, lambda, &e),
                     ERR_NOMEM);
    assert_non_null(strstr(e.text, "too many"));
    mem_set_hooks(NULL);
}

int main(void)
{
    gsl_set_error_handler_off();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_erlang_c_known),
        cmocka_unit_test(test_erlang_c_direct),
        cmocka_unit_test(test_erlang_c_large),
        cmocka_unit_test(test_erlang_c_domain),
        cmocka_unit_test(test_mm1),
        cmocka_unit_test(test_mmc_known),
        cmocka_unit_test(test_mg1_special_cases),
        cmocka_unit_test(test_mginf),
        cmocka_unit_test(test_little_law),
        cmocka_unit_test(test_station_domain),
        cmocka_unit_test(test_traffic_known),
        cmocka_unit_test(test_traffic_traps),
        cmocka_unit_test(test_traffic_bad_input),
        cmocka_unit_test(test_traffic_nomem),
    };
    return cmocka_run_group_tests_name("theory", tests, NULL, NULL);
}
