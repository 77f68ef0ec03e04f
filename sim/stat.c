/*
 * stat — time-weighted averages and across-replication intervals.
 *
 * Design. stat_tw keeps the integral of a piecewise-constant level up to the
 * last change, so the hot path (stat_tw_set, inline in the header) is one
 * multiply-add with no branch and cannot check that changes come in time
 * order; stat_tw_mean CHECKs that its t_end is not before the last change,
 * which catches a window closed early but not every misordered set. stat_ci
 * uses two passes over the replications, which are few and in memory; a single non-finite
 * replication makes the whole summary NaN (see stat.h).
 */
#include "stat.h"

#include <gsl/gsl_cdf.h>
#include <math.h>

#include "check.h"

void stat_tw_reset(stat_tw *s, double t, double value)
{
    s->t_start = t;
    s->t_last = t;
    s->value = value;
    s->area = 0;
}

double stat_tw_mean(const stat_tw *s, double t_end)
{
    CHECK(t_end >= s->t_last);
    double width = t_end - s->t_start;
    if (!(width > 0))
        return NAN;
    return (s->area + s->value * (t_end - s->t_last)) / width;
}

stat_ci stat_ci_compute(const double *x, size_t n, size_t stride, double level)
{
    stat_ci ci = {.n = 0, .mean = NAN, .sd = NAN, .low = NAN, .high = NAN};
    double sum = 0;
    for (size_t i = 0; i < n; i++) {
        if (isfinite(x[i * stride])) {
            ci.n++;
            sum += x[i * stride];
        }
    }
    if (ci.n == 0 || ci.n < n)
        return ci;
    ci.mean = sum / (double)n;
    if (n < 2)
        return ci;
    double ss = 0;
    for (size_t i = 0; i < n; i++) {
        double dev = x[i * stride] - ci.mean;
        ss += dev * dev;
    }
    ci.sd = sqrt(ss / (double)(n - 1));
    double h = stat_ci_halfwidth(ci.sd, n, level);
    ci.low = ci.mean - h;
    ci.high = ci.mean + h;
    return ci;
}

/* NaN for n < 2 (no degrees of freedom) or a level outside (0, 1). */
double stat_ci_halfwidth(double sd, size_t n, double level)
{
    if (n < 2 || !(level > 0 && level < 1))
        return NAN;
    double t = gsl_cdf_tdist_Pinv(0.5 * (1.0 + level), (double)(n - 1));
    return t * sd / sqrt((double)n);
}
