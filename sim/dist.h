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
 * a variable number, and exponential, one word but more on the ziggurat's
 * rare slow path (see dist_exponential_draw).
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
#include <stdint.h>

#include "err.h"
#include "rng.h"

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
 * An exponential draw of the given mean (days): mean * E, E ~ Exp(1) by the
 * ziggurat of Marsaglia and Tsang (2000) on the stream's 32-bit words
 * (sim/dist_ziggurat.c says how). Not the inverse CDF -mean log(1 - u): the
 * logarithm was a fifth of the engine's time, and the ziggurat needs none on
 * 97.8% of draws: one word, a table look-up, a compare and two multiplications.
 *
 * Draws: one word on the fast path; on the slow path (2.2% of words) one or
 * more further words or uniforms, a variable number: 1.034 per draw on average. What this
 * means for common random numbers: a stream is per purpose (one source's
 * arrivals, one node's services), so two scenarios stay aligned on it as long
 * as they make the same sequence of calls on it: the k-th call returns mean
 * times the k-th Exp(1) of the stream, whatever the mean, so changing a mean
 * still couples the runs monotonically (a bigger mean, a longer draw). Only
 * mixing kinds on one stream (an exponential in one scenario where another
 * draws a uniform) shifts what follows, as it already did for gamma. Callers
 * that need exactly one uniform per draw, increasing in it (antithetic pairs,
 * replaying a draw from a uniform) use dist_exponential_inverse.
 *
 * r must give 32 random bits per word (gsl_rng_min 0, gsl_rng_max 2^32 - 1),
 * as every rng_open stream (MT19937) does; the word comes from rng_word.
 */
enum { DIST_ZIG_N = 256 };
extern const uint32_t dist_zig_k[DIST_ZIG_N];
extern const double dist_zig_w[DIST_ZIG_N];

/* Exp(1) from a word u whose fast test failed; draws further words as needed. */
double dist_exp1_slow(gsl_rng *r, uint32_t u);

static inline double dist_exponential_draw(gsl_rng *r, double mean)
{
    uint32_t u = rng_word(r);
    uint32_t i = u & (DIST_ZIG_N - 1), j = u >> 8;
    if (j < dist_zig_k[i])
        return mean * (((double)j + 0.5) * dist_zig_w[i]);
    return mean * dist_exp1_slow(r, u);
}

/*
 * An exponential draw of the given mean (days) by inversion of one uniform:
 * -mean * log(1 - u), increasing in u (with GSL's uniforms on a 2^-32 grid,
 * 1 - u is exact, so this agrees with log1p(-u) to rounding and is three
 * times faster in glibc). Slower than dist_exponential_draw; one draw always.
 */
double dist_exponential_inverse(gsl_rng *r, double mean);

/* Frees any table d owns and zeroes it; dist_fini on a zeroed dist is a no-op. */
void dist_fini(dist *d);

/* Deep copy of src into dst (dst must not own memory). 0, or ERR_NOMEM. */
int dist_copy(dist *dst, const dist *src);

/* One draw, in days, of any kind: dist_sample's out-of-line part. */
double dist_sample_kind(const dist *d, gsl_rng *r);

/* One draw, in days. Advances r; d is not modified. The exponential is
 * inline: it is the engine's commonest service time, and the call and the
 * switch cost as much as the draw. */
static inline double dist_sample(const dist *d, gsl_rng *r)
{
    if (d->kind == DIST_EXPONENTIAL)
        return dist_exponential_draw(r, d->p[0]);
    return dist_sample_kind(d, r);
}

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
 *   deterministic 1; exponential two dist_exponential_draw (two independent
 *   exponentials: a Gamma(2) split uniformly); lognormal, uniform, empirical, histogram 2
 * (inversion); gamma, weibull: a gsl_ran_gamma (variable) + 1; triangular: rejection, 2 per attempt
 * (acceptance x / max >= 1/3) + 1. O(1), O(log n) for empirical and histogram; no allocation.
 * Thread-safety as dist_sample: d is read-only, r is advanced.
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
