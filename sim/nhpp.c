/*
 * nhpp — a piecewise-exponential Poisson process sampled by thinning.
 *
 * Design. Everything is derived once in nhpp_create and kept in one block:
 *   breaks[0..n]  the segment ends (days)
 *   base[0..n-1]  the rate at t = 0 of each segment (per day)
 *   gap[0..n-1]   1 / (the rate's maximum over the segment): the mean spacing of
 *                 the thinning candidates, INFINITY for a segment with rate 0
 *   cum[0..n]     cum[k] = expected arrivals in [breaks[0], breaks[k])
 * so sampling needs no division or allocation, and nhpp_expected is two
 * partial segments plus a difference of cum.
 *
 * Thinning. From s, a candidate comes at s + Exp(gap[k]). If it falls past the
 * segment's end, no candidate lies in [s, end): by memorylessness the search
 * restarts at the end with the next segment's bound, and the overshoot is
 * discarded (so the bound never spans two segments, and zero-rate segments
 * are skipped without a draw). A candidate inside is kept with probability
 * rate(c) / bound = exp(growth * (c - peak)), peak being the end of the segment
 * where the rate is largest; that ratio needs neither base nor the bound.
 *
 * Why thinning rather than inverting the cumulative rate: inversion would be
 * exact here too (s + log1p(growth E / rate(s)) / growth, one draw an arrival),
 * but thinning needs nothing but the rate and a bound on it, so another rate
 * shape (a smooth seasonal curve, a step change mid-segment) would change only
 * rate and peak_of; with growth 0 it already is inversion, and at realistic
 * trends its waste is under 1%.
 */
#include "nhpp.h"

#include <math.h>
#include <stdint.h>

#include "check.h"
#include "dist.h"
#include "mem.h"

struct nhpp {
    size_t n;       /* segments, >= 1 */
    double growth;  /* per day */
    double *breaks; /* n + 1, strictly increasing, days */
    double *base;   /* n, per day, >= 0 */
    double *gap;    /* n, days, > 0 or INFINITY */
    double *cum;    /* n + 1, nondecreasing from cum[0] = 0, finite */
    double data[];  /* storage for the four arrays */
};

/* The expected count over [a, b) within one segment of rate base * exp(g t):
 * base e^{g a} (b - a) expm1(x) / x with x = g (b - a), which stays accurate
 * when x is tiny (where (e^{g b} - e^{g a}) / g would cancel). */
static double seg_integral(double base, double g, double a, double b)
{
    if (base == 0 || !(b > a))
        return 0;
    double w = b - a, x = g * w;
    double f = x == 0 ? 1.0 : expm1(x) / x;
    return base * exp(g * a) * w * f;
}

/* The largest k in [0, n-1] with breaks[k] <= x, for x >= breaks[0]. O(log n). */
static size_t segment_of(const nhpp *p, double x)
{
    size_t lo = 0, hi = p->n - 1;
    while (lo < hi) {
        size_t mid = hi - (hi - lo) / 2;
        if (p->breaks[mid] <= x)
            lo = mid;
        else
            hi = mid - 1;
    }
    return lo;
}

/* Where segment k's rate is largest. */
static double peak_of(const nhpp *p, size_t k)
{
    return p->growth > 0 ? p->breaks[k + 1] : p->breaks[k];
}

/* ---- creation ---- */

static int check_input(const double *breaks, const double *base, size_t n, double growth,
                       err_info *e)
{
    if (n == 0)
        return err_set(e, ERR_INPUT, NULL, 0, "rate needs at least 1 segment (got 0)");
    if (breaks == NULL || base == NULL)
        return err_set(e, ERR_INPUT, NULL, 0, "rate %s is NULL; expected an array",
                       breaks == NULL ? "breaks" : "base");
    for (size_t i = 0; i <= n; i++) {
        if (!isfinite(breaks[i]))
            return err_set(e, ERR_INPUT, NULL, 0,
                           "rate breaks[%zu] must be a finite number of days (got %.10g)", i,
                           breaks[i]);
        if (i > 0 && !(breaks[i] > breaks[i - 1]))
            return err_set(e, ERR_INPUT, NULL, 0,
                           "rate breaks must be strictly increasing (breaks[%zu] = %.10g <= "
                           "breaks[%zu] = %.10g)",
                           i, breaks[i], i - 1, breaks[i - 1]);
    }
    for (size_t k = 0; k < n; k++)
        if (!(isfinite(base[k]) && base[k] >= 0))
            return err_set(e, ERR_INPUT, NULL, 0,
                           "rate base[%zu] must be a finite number >= 0 per day (got %.10g)", k,
                           base[k]);
    if (!isfinite(growth))
        return err_set(e, ERR_INPUT, NULL, 0,
                       "rate growth_per_day must be a finite number (got %.10g)", growth);
    return 0;
}

/* Fills gap and cum from breaks, base and growth; ERR_INPUT if the rate or the
 * expected count overflows double precision. */
static int derive(nhpp *p, err_info *e)
{
    p->cum[0] = 0;
    for (size_t k = 0; k < p->n; k++) {
        double bound = p->base[k] == 0 ? 0 : p->base[k] * exp(p->growth * peak_of(p, k));
        double mass = seg_integral(p->base[k], p->growth, p->breaks[k], p->breaks[k + 1]);
        p->cum[k + 1] = p->cum[k] + mass;
        if (!isfinite(bound) || !isfinite(p->cum[k + 1]))
            return err_set(e, ERR_INPUT, NULL, 0,
                           "rate overflows double precision in segment %zu ([%.10g, %.10g) days, "
                           "base %.10g per day, growth %.10g per day); expected a shorter span "
                           "or a smaller growth",
                           k, p->breaks[k], p->breaks[k + 1], p->base[k], p->growth);
        /* A bound so small that its reciprocal overflows is a rate of 0 for any run. */
        p->gap[k] = bound > 0 ? 1.0 / bound : INFINITY;
    }
    return 0;
}

int nhpp_create(nhpp **out, const double *breaks, const double *base, size_t n,
                double growth_per_day, err_info *e)
{
    *out = NULL;
    int rc = check_input(breaks, base, n, growth_per_day, e);
    if (rc != 0)
        return rc;
    /* 4n + 2 doubles; n + 1 already fit in memory, so only the product can wrap. */
    if (n > (SIZE_MAX - sizeof(nhpp)) / (4 * sizeof(double)) - 1)
        return err_set(e, ERR_NOMEM, NULL, 0, "out of memory for a rate of %zu segments", n);
    nhpp *p = mem_alloc(sizeof(nhpp) + (4 * n + 2) * sizeof(double));
    if (p == NULL)
        return err_set(e, ERR_NOMEM, NULL, 0, "out of memory for a rate of %zu segments", n);
    p->n = n;
    p->growth = growth_per_day;
    p->breaks = p->data;
    p->base = p->breaks + n + 1;
    p->gap = p->base + n;
    p->cum = p->gap + n;
    for (size_t i = 0; i <= n; i++)
        p->breaks[i] = breaks[i];
    for (size_t k = 0; k < n; k++)
        p->base[k] = base[k];
    if ((rc = derive(p, e)) != 0) {
        mem_free(p);
        return rc;
    }
    *out = p;
    return 0;
}

void nhpp_destroy(nhpp *p)
{
    mem_free(p);
}

/* ---- sampling ---- */

double nhpp_next(const nhpp *p, gsl_rng *r, double t)
{
    CHECK(!isnan(t));
    if (t >= p->breaks[p->n])
        return INFINITY;
    double s = t < p->breaks[0] ? p->breaks[0] : t;
    size_t k = segment_of(p, s);
    for (;;) {
        if (isfinite(p->gap[k])) {
            double c = s + dist_exponential_draw(r, p->gap[k]);
            if (c < p->breaks[k + 1]) {
                /* c <= t only when the draw is 0 or lost to rounding: not "after t". */
                if (c > t &&
                    (p->growth == 0 || gsl_rng_uniform(r) < exp(p->growth * (c - peak_of(p, k)))))
                    return c;
                s = c;
                continue;
            }
        }
        if (++k == p->n)
            return INFINITY;
        s = p->breaks[k];
    }
}

/* ---- the exact mean ---- */

double nhpp_expected(const nhpp *p, double a, double b)
{
    CHECK(!isnan(a) && !isnan(b) && a <= b);
    a = fmax(a, p->breaks[0]);
    b = fmin(b, p->breaks[p->n]);
    if (!(a < b))
        return 0;
    size_t ka = segment_of(p, a), kb = segment_of(p, b);
    if (ka == kb)
        return seg_integral(p->base[ka], p->growth, a, b);
    return seg_integral(p->base[ka], p->growth, a, p->breaks[ka + 1]) +
           (p->cum[kb] - p->cum[ka + 1]) + seg_integral(p->base[kb], p->growth, p->breaks[kb], b);
}

double nhpp_rate(const nhpp *p, double t)
{
    CHECK(!isnan(t));
    if (!(t >= p->breaks[0] && t < p->breaks[p->n]))
        return 0;
    size_t k = segment_of(p, t);
    return p->base[k] == 0 ? 0 : p->base[k] * exp(p->growth * t);
}

double nhpp_inverse(const nhpp *p, double s)
{
    if (!(s >= 0.0) || s >= p->cum[p->n])
        return INFINITY;
    /* The segment k with cum[k] <= s < cum[k + 1]: zero-rate segments have
     * cum[k] == cum[k + 1] and are never chosen. */
    size_t lo = 0, hi = p->n - 1;
    while (lo < hi) {
        size_t mid = lo + (hi - lo + 1) / 2;
        if (p->cum[mid] <= s)
            lo = mid;
        else
            hi = mid - 1;
    }
    double a = p->breaks[lo], base = p->base[lo], left = s - p->cum[lo], g = p->growth;
    double t;
    if (g == 0.0)
        t = a + left / base;
    else
        t = a + log1p(g * left * exp(-g * a) / base) / g;
    /* Rounding must not step outside the segment. */
    return fmin(fmax(t, a), p->breaks[lo + 1]);
}
