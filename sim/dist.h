/*
 * dist — probability distributions of durations, parametrised the way an
 * analyst thinks: by their moments in calendar days, not by GSL's shape and
 * scale. A dist is a plain value built once from a scenario (dist_init_*),
 * then sampled many times with a caller-supplied random stream.
 *
 * Kinds and their parameters (all in days):
 *   exponential  {mean}              mean > 0
 *   deterministic{mean}              mean >= 0 (always returns mean)
 *   lognormal    {mean, sd}          mean > 0, sd > 0
 *   gamma        {mean, sd}          mean > 0, sd > 0
 *   weibull      {mean, sd}          mean > 0, sd > 0; shape k solved from the
 *                                    coefficient of variation, scale from the mean
 *   uniform      {min, max}          min <= max (min == max is a point mass)
 *   triangular   {min, mode, max}    min <= mode <= max, min < max
 *   empirical    {values[]}          n >= 1 finite values, resampled uniformly
 *   histogram    {breaks[], probs[]} n+1 strictly increasing breaks, n probs >= 0
 *                                    summing to 1 (within 1e-6); uniform within
 *                                    each band [breaks[i], breaks[i+1])
 * Durations may be negative only if the user's own parameters say so
 * (uniform/triangular/empirical/histogram with negative values): the engine,
 * not this module, decides whether that is an error.
 *
 * Invariants: a dist that dist_init_* accepted can always be sampled; its
 * sample mean and variance converge to dist_mean() and dist_variance().
 * Complexity: sampling is O(1) for every kind except histogram, O(log n).
 * Memory: an empirical dist holds 2n doubles, a histogram 3n+1 (the tables for
 * dist_sample_in_progress are built at init).
 * Ownership: empirical values and histogram tables are copied into memory the
 * dist owns (mem_alloc); dist_fini frees it. A dist is read-only after init, so
 * one dist may be sampled from many threads at once, each with its own rng.
 * Every sample consumes a fixed, kind-dependent number of draws from r (one;
 * none for deterministic), except gamma, whose GSL rejection sampler consumes
 * a variable number.
 *
 * Warm starts: dist_sample_in_progress draws an episode already under way at a
 * random moment of a stationary flow (the inspection paradox: long episodes
 * are more likely to be caught), for loading today's caseload into a run.
 */
#ifndef CASEFLOW_DIST_H
#define CASEFLOW_DIST_H

#include <gsl/gsl_rng.h>
#include <math.h>
#include <stddef.h>

#include "err.h"

typedef enum dist_kind {
    DIST_EXPONENTIAL,
    DIST_DETERMINISTIC,
    DIST_LOGNORMAL,
    DIST_GAMMA,
    DIST_WEIBULL,
    DIST_UNIFORM,
    DIST_TRIANGULAR,
    DIST_EMPIRICAL,
    DIST_HISTOGRAM,
    DIST_KIND_COUNT
} dist_kind;

/*
 * A sampled distribution. Fields are the *derived* GSL parameters; only this
 * module writes them. p[] meanings by kind:
 *   exponential: p0 = mean
 *   deterministic: p0 = value
 *   lognormal: p0 = mu (log-scale location), p1 = sigma (log-scale sd)
 *   gamma: p0 = shape, p1 = scale (days)
 *   weibull: p0 = scale (days), p1 = shape
 *   uniform: p0 = min, p1 = max
 *   triangular: p0 = min, p1 = mode, p2 = max
 *   empirical: p0 = smallest value; n = count; table = the n values, then
 *              cum = table + n: the cumulative shares of their sum, cum[i] =
 *              (v_0 + ... + v_i) / sum (the length-biased pick; all 0 unless
 *              every value is >= 0 and the sum > 0)
 *   histogram: n = bands; table = breaks (n+1), then cum = cumulative probs (n),
 *              then cum + n = cumulative length-biased band weights p_i * mid_i
 *              (n; meaningful only when breaks[0] >= 0)
 */
typedef struct dist {
    dist_kind kind;
    double p[3];
    size_t n;
    double *table;
    double *cum;
    double mean;     /* days: exact mean implied by the parameters */
    double variance; /* days^2: exact variance implied by the parameters */
} dist;

/*
 * Constructors. Each returns 0 and fills d, or ERR_INPUT with a message
 * ("what is wrong; expected ...") in e and d left zeroed (nothing to free).
 * The message carries no FILE:LINE prefix: the caller (the scenario loader)
 * prepends the location of the setting. ERR_NOMEM if a table copy fails.
 * Non-finite parameters are always rejected.
 */
int dist_init_exponential(dist *d, double mean, err_info *e);
int dist_init_deterministic(dist *d, double value, err_info *e);
int dist_init_lognormal(dist *d, double mean, double sd, err_info *e);
int dist_init_gamma(dist *d, double mean, double sd, err_info *e);
int dist_init_weibull(dist *d, double mean, double sd, err_info *e);
int dist_init_uniform(dist *d, double min, double max, err_info *e);
int dist_init_triangular(dist *d, double min, double mode, double max, err_info *e);
int dist_init_empirical(dist *d, const double *values, size_t n, err_info *e);
int dist_init_histogram(dist *d, const double *breaks, const double *probs, size_t n_bands,
                        err_info *e);

/*
 * An exponential draw of the given mean (days) from one uniform: the inverse
 * CDF -mean * log(1 - u). Not gsl_ran_exponential's log1p(-u): glibc's log1p
 * is about three times slower than log, and with GSL's uniforms on a 2^-32
 * grid (MT19937) 1 - u is exact, so the two agree to rounding. Inline because
 * it is the engine's hottest arithmetic (every arrival and most services).
 */
static inline double dist_exponential_draw(gsl_rng *r, double mean)
{
    return -mean * log(1.0 - gsl_rng_uniform(r));
}

/* Frees any table d owns and zeroes it; dist_fini on a zeroed dist is a no-op. */
void dist_fini(dist *d);

/* Deep copy of src into dst (dst must not own memory). 0, or ERR_NOMEM. */
int dist_copy(dist *dst, const dist *src);

/* One draw, in days. Advances r; d is not modified. */
double dist_sample(const dist *d, gsl_rng *r);

/*
 * An episode in progress at a random moment of a stationary flow of episodes
 * whose lengths follow d: its total length S* is length-biased (density
 * x f(x) / mean), split uniformly into time already spent and time left, so
 * *remaining has the equilibrium density (1 - F(x)) / mean, and *elapsed the
 * same law. *elapsed and *remaining are days >= 0 whose sum is S* (to rounding).
 * Requires every draw of d to be >= 0 days (scenario_check_duration ensures it
 * for scenario durations; a negative support is a bug and fails a CHECK); a
 * dist with mean 0 (a point mass at 0) gives 0 and 0 and draws nothing.
 * Exact for every kind; draws (length first, then the split):
 *   deterministic 1; exponential 2 (two independent exponentials: a Gamma(2)
 *   split uniformly); lognormal, uniform, empirical, histogram 2 (inversion);
 *   gamma, weibull: a gsl_ran_gamma (variable) + 1; triangular: rejection,
 *   2 per attempt (acceptance x / max >= 1/3) + 1.
 * O(1), O(log n) for empirical and histogram; no allocation. Thread-safety as
 * dist_sample: d is read-only, r is advanced.
 */
void dist_sample_in_progress(const dist *d, gsl_rng *r, double *elapsed, double *remaining);

/* Exact moments implied by the parameters (days, days^2). */
double dist_mean(const dist *d);
double dist_variance(const dist *d);

/* Scenario spelling of a kind ("exponential", ...) and its inverse.
 * dist_kind_parse returns -1 for an unknown name. */
const char *dist_kind_name(dist_kind k);
int dist_kind_parse(const char *name);

/*
 * The Weibull shape k whose coefficient of variation sd/mean equals cv
 * (cv > 0), found by root-finding on CV(k)^2 = Gamma(1+2/k)/Gamma(1+1/k)^2 - 1.
 * Returns 0 and *k, or ERR_INPUT if cv is outside what a Weibull can reach
 * in double precision (roughly 0.005 <= cv <= 50).
 */
int dist_weibull_shape_for_cv(double cv, double *k, err_info *e);

#endif
