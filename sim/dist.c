/*
 * dist — duration distributions parametrised by their moments.
 *
 * Design. All the numerical work happens once, in dist_init_*: the analyst's
 * mean and sd become GSL's parameters (lognormal mu/sigma, gamma shape/scale,
 * Weibull scale/shape by root-finding), and the exact mean and variance are
 * then recomputed *from those derived parameters*. For the kinds given by
 * their moments (exponential, lognormal, gamma, weibull) the recomputed moments
 * must reproduce the request to DIST_MOMENT_RTOL; parameters so extreme that
 * double precision cannot honour them (a cv of 1e-160, a mean of 1e200 days)
 * are refused at init instead of silently sampling something else.
 *
 * Draws per sample, the number a stream advances by (common random numbers
 * depend on it; tests/test_dist.c checks it):
 *   deterministic                                   0
 *   lognormal, weibull, uniform,
 *   triangular, empirical, histogram                1, as x = F^-1(u)
 *   exponential                                     1 word, rarely more
 *   gamma                                           variable (see below)
 * Every one-draw kind is sampled by inversion of its CDF at a single
 * gsl_rng_uniform u, so a sample is increasing in u: two scenarios that differ
 * only in a duration's parameters (or even its kind) see the same quantiles, the
 * tightest coupling common random numbers can give. That is why lognormal and
 * weibull are inverted here rather than drawn with gsl_ran_lognormal (a polar
 * Box-Muller rejection loop, ~2.5 draws on average) or gsl_ran_weibull (which
 * redraws an exact 0 and is decreasing in u). The exponential is the
 * exception: mean times a ziggurat Exp(1) (dist_exponential_draw, in
 * dist_ziggurat.c), because it is the engine's hottest draw and the ziggurat
 * avoids the logarithm; its coupling across scenarios is by scaling, which is
 * as monotone as inversion when only the mean changes, and a change of kind
 * away from or to exponential shares no quantiles (see dist.h). Gamma has no
 * closed-form inverse and GSL's
 * inverse CDF iterates at every call, so gsl_ran_gamma (Marsaglia-Tsang) is
 * used and its rejection loop consumes a variable number of draws (two or more
 * per attempt, one more for shape < 1); the header says so.
 *
 * Tables. An empirical dist owns one block of 2n doubles: a copy of its n
 * values, then (d->cum) the cumulative shares of their sum. A histogram owns
 * one block of 3n+1 doubles: the n+1 breaks, then (d->cum) the n cumulative
 * probabilities, then the n cumulative length-biased band weights. d->cum
 * points into the block and is never freed on its own. The second tables serve
 * only dist_sample_in_progress; they are built at init (O(n), once) so that a
 * warm start draws each episode in O(log n) by inversion rather than scanning
 * the values per draw or rejecting at a rate mean / max, which for a long-tailed
 * empirical sample can be a few per cent.
 *
 * Episodes in progress. The length-biased law x f(x) / mean has a closed form
 * for every kind (see dist_sample_in_progress): lognormal(mu, sigma) becomes
 * lognormal(mu + sigma^2, sigma), gamma(k, theta) gamma(k + 1, theta), a Weibull
 * lambda G^(1/k) with G ~ Gamma(1 + 1/k), uniform and each histogram band the
 * density 2x / (b^2 - a^2) inverted as sqrt(a^2 + u (b^2 - a^2)). Only the
 * triangular (a cubic CDF) is drawn by rejection. The split is uniform, so
 * elapsed and remaining have the same law, the equilibrium (1 - F(x)) / mean.
 *
 * Adding a kind: also update dist_kind in dist.h (and its p[] table), kind_names,
 * dist_sample, biased_length and support_min, table_count if it owns a table,
 * and the tables in tests/test_dist.c.
 */
#include "dist.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_sf_gamma.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "check.h"
#include "mem.h"

#define STR(x)  #x
#define XSTR(x) STR(x)

/* The derived moments of a moment-parametrised kind must match the request to
 * this relative accuracy. Within the accepted ranges the derivations are good
 * to ~1e-11, so only parameters beyond double precision can fail it. */
#define DIST_MOMENT_RTOL 1e-9

/* The header's promise: histogram probabilities may be typed to six decimals
 * from a published table. They are renormalised to sum to exactly 1. */
#define DIST_HIST_PROB_TOL 1e-6

/* Coefficients of variation a Weibull accepts. Below 0.005 (shape ~ 260) the
 * duration is a point mass for every purpose we have: use deterministic. Above
 * 50 (shape ~ 0.15) the tail is so heavy that no feasible run would see its
 * variance settle. In between the solver below reproduces cv to ~1e-11. */
#define DIST_WEIBULL_CV_MIN 0.005
#define DIST_WEIBULL_CV_MAX 50.0

/* A bracket on the Weibull shape k containing the root for every accepted cv:
 * cv(0.1) ~ 430 > 50 and cv(1000) ~ 0.0013 < 0.005. */
#define DIST_WEIBULL_K_LO 0.1
#define DIST_WEIBULL_K_HI 1000.0

static const char *const kind_names[DIST_KIND_COUNT] = {
    [DIST_EXPONENTIAL] = "exponential", [DIST_DETERMINISTIC] = "deterministic",
    [DIST_LOGNORMAL] = "lognormal",     [DIST_GAMMA] = "gamma",
    [DIST_WEIBULL] = "weibull",         [DIST_UNIFORM] = "uniform",
    [DIST_TRIANGULAR] = "triangular",   [DIST_EMPIRICAL] = "empirical",
    [DIST_HISTOGRAM] = "histogram",
};

/* ---- validation helpers: 0, or ERR_INPUT with the message set ---- */

static int need_finite(const char *kind, const char *name, double x, err_info *e)
{
    if (isfinite(x))
        return 0;
    return err_set(e, ERR_INPUT, NULL, 0, "%s %s must be a finite number of days (got %.10g)", kind,
                   name, x);
}

static int need_positive(const char *kind, const char *name, double x, err_info *e)
{
    if (need_finite(kind, name, x, e))
        return ERR_INPUT;
    if (x > 0)
        return 0;
    return err_set(e, ERR_INPUT, NULL, 0, "%s %s must be > 0 days (got %.10g)", kind, name, x);
}

static int rel_close(double got, double want)
{
    return fabs(got - want) <= DIST_MOMENT_RTOL * fabs(want);
}

/*
 * The last step of every constructor, once d->mean and d->variance are set
 * from the derived parameters: they must be finite and, when want_mean is not
 * NaN, equal the requested mean and sd. On failure d's table is freed and d
 * zeroed, so every constructor's error path ends here or before any write.
 */
static int finish(dist *d, double want_mean, double want_sd, err_info *e)
{
    const char *kind = kind_names[d->kind];
    if (!isfinite(d->mean) || !isfinite(d->variance)) {
        err_set(e, ERR_INPUT, NULL, 0,
                "%s parameters are beyond double precision (mean %.10g days, variance %.10g "
                "days^2); expected both finite",
                kind, d->mean, d->variance);
        dist_fini(d);
        return ERR_INPUT;
    }
    if (!isnan(want_mean) &&
        !(rel_close(d->mean, want_mean) && rel_close(sqrt(d->variance), want_sd))) {
        err_set(e, ERR_INPUT, NULL, 0,
                "%s with mean %.10g and sd %.10g days cannot be represented in double "
                "precision (it would have mean %.10g and sd %.10g)",
                kind, want_mean, want_sd, d->mean, sqrt(d->variance));
        dist_fini(d);
        return ERR_INPUT;
    }
    return 0;
}

/* Doubles held in d->table (0 if none). */
static size_t table_count(const dist *d)
{
    if (d->table == NULL)
        return 0;
    return d->kind == DIST_HISTOGRAM ? 3 * d->n + 1 : 2 * d->n;
}

/* count doubles through mem_alloc; NULL on failure or size overflow. */
static double *table_alloc(size_t count)
{
    if (count > SIZE_MAX / sizeof(double))
        return NULL;
    return mem_alloc(count * sizeof(double));
}

/* ---- constructors ---- */

int dist_init_exponential(dist *d, double mean, err_info *e)
{
    *d = (dist){0};
    if (need_positive("exponential", "mean", mean, e))
        return ERR_INPUT;
    d->kind = DIST_EXPONENTIAL;
    d->p[0] = mean;
    d->mean = d->p[0];
    d->variance = d->p[0] * d->p[0];
    return finish(d, mean, mean, e);
}

int dist_init_deterministic(dist *d, double value, err_info *e)
{
    *d = (dist){0};
    if (need_finite("deterministic", "mean", value, e))
        return ERR_INPUT;
    if (!(value >= 0))
        return err_set(e, ERR_INPUT, NULL, 0, "deterministic mean must be >= 0 days (got %.10g)",
                       value);
    d->kind = DIST_DETERMINISTIC;
    d->p[0] = value;
    d->mean = value;
    d->variance = 0;
    return finish(d, NAN, NAN, e);
}

int dist_init_lognormal(dist *d, double mean, double sd, err_info *e)
{
    *d = (dist){0};
    if (need_positive("lognormal", "mean", mean, e) || need_positive("lognormal", "sd", sd, e))
        return ERR_INPUT;
    /* sigma^2 = ln(1 + sd^2/mean^2), written with cv and log1p so neither
     * overflows for large durations nor loses digits for small cv. */
    double cv = sd / mean;
    double s2 = log1p(cv * cv);
    d->kind = DIST_LOGNORMAL;
    d->p[0] = log(mean) - 0.5 * s2;
    d->p[1] = sqrt(s2);
    /* E = exp(mu + sigma^2/2), Var = (exp(sigma^2) - 1) E^2. */
    double sig2 = d->p[1] * d->p[1];
    d->mean = exp(d->p[0] + 0.5 * sig2);
    d->variance = expm1(sig2) * d->mean * d->mean;
    return finish(d, mean, sd, e);
}

int dist_init_gamma(dist *d, double mean, double sd, err_info *e)
{
    *d = (dist){0};
    if (need_positive("gamma", "mean", mean, e) || need_positive("gamma", "sd", sd, e))
        return ERR_INPUT;
    /* shape = mean^2/sd^2 = 1/cv^2 and scale = sd^2/mean = sd cv, without squaring days. */
    double cv = sd / mean;
    d->kind = DIST_GAMMA;
    d->p[0] = 1.0 / (cv * cv);
    d->p[1] = sd * cv;
    d->mean = d->p[0] * d->p[1];
    d->variance = d->mean * d->p[1];
    return finish(d, mean, sd, e);
}

/*
 * CV(k)^2 = Gamma(1+2/k)/Gamma(1+1/k)^2 - 1 of a Weibull with shape k, via
 * lngamma and expm1: the direct form cancels catastrophically for large k.
 * k stays within [DIST_WEIBULL_K_LO, DIST_WEIBULL_K_HI], where both lngamma
 * arguments lie in (1, 21] and GSL cannot fail.
 */
static double weibull_cv2(double k)
{
    return expm1(gsl_sf_lngamma(1.0 + 2.0 / k) - 2.0 * gsl_sf_lngamma(1.0 + 1.0 / k));
}

int dist_weibull_shape_for_cv(double cv, double *k, err_info *e)
{
    if (!(cv >= DIST_WEIBULL_CV_MIN && cv <= DIST_WEIBULL_CV_MAX))
        return err_set(e, ERR_INPUT, NULL, 0,
                       "weibull coefficient of variation sd/mean must be within [%g, %g] (got "
                       "%.10g); use deterministic for near-constant durations",
                       DIST_WEIBULL_CV_MIN, DIST_WEIBULL_CV_MAX, cv);
    /*
     * Bisection on x = log k, where log CV(k)^2 is smooth and strictly
     * decreasing (about -2x for large k, about 2 ln2 / k for small k), so the
     * method cannot fail to converge and needs no derivative. It runs until
     * the bracket is two adjacent doubles (~60 steps, a few microseconds,
     * once per dist). Brent would take fewer steps; this runs at init only.
     */
    double lo = log(DIST_WEIBULL_K_LO), hi = log(DIST_WEIBULL_K_HI);
    double target = 2.0 * log(cv);
    for (;;) {
        double mid = 0.5 * (lo + hi);
        if (mid <= lo || mid >= hi)
            break;
        if (log(weibull_cv2(exp(mid))) > target)
            lo = mid;
        else
            hi = mid;
    }
    double root = exp(0.5 * (lo + hi));
    /* The bracket and range above guarantee this; failing it is a bug here. */
    CHECK(fabs(sqrt(weibull_cv2(root)) / cv - 1.0) <= DIST_MOMENT_RTOL);
    *k = root;
    return 0;
}

int dist_init_weibull(dist *d, double mean, double sd, err_info *e)
{
    *d = (dist){0};
    if (need_positive("weibull", "mean", mean, e) || need_positive("weibull", "sd", sd, e))
        return ERR_INPUT;
    double k;
    if (dist_weibull_shape_for_cv(sd / mean, &k, e))
        return ERR_INPUT;
    double g1 = gsl_sf_gamma(1.0 + 1.0 / k);
    d->kind = DIST_WEIBULL;
    d->p[0] = mean / g1;
    d->p[1] = k;
    /* E = scale Gamma(1+1/k); Var = scale^2 [Gamma(1+2/k) - Gamma(1+1/k)^2] = E^2 CV(k)^2. */
    d->mean = d->p[0] * g1;
    d->variance = d->mean * d->mean * weibull_cv2(k);
    return finish(d, mean, sd, e);
}

int dist_init_uniform(dist *d, double min, double max, err_info *e)
{
    *d = (dist){0};
    if (need_finite("uniform", "min", min, e) || need_finite("uniform", "max", max, e))
        return ERR_INPUT;
    if (!(min <= max))
        return err_set(e, ERR_INPUT, NULL, 0,
                       "uniform min must be <= max (got min %.10g, max %.10g)", min, max);
    d->kind = DIST_UNIFORM;
    d->p[0] = min;
    d->p[1] = max;
    double w = max - min;
    d->mean = min + 0.5 * w;
    d->variance = w * w / 12.0;
    return finish(d, NAN, NAN, e);
}

int dist_init_triangular(dist *d, double min, double mode, double max, err_info *e)
{
    *d = (dist){0};
    if (need_finite("triangular", "min", min, e) || need_finite("triangular", "mode", mode, e) ||
        need_finite("triangular", "max", max, e))
        return ERR_INPUT;
    if (!(min < max))
        return err_set(e, ERR_INPUT, NULL, 0,
                       "triangular min must be < max (got min %.10g, max %.10g)", min, max);
    if (!(min <= mode && mode <= max))
        return err_set(e, ERR_INPUT, NULL, 0,
                       "triangular mode must be within [min, max] (got min %.10g, mode %.10g, "
                       "max %.10g)",
                       min, mode, max);
    d->kind = DIST_TRIANGULAR;
    d->p[0] = min;
    d->p[1] = mode;
    d->p[2] = max;
    d->mean = (min + mode + max) / 3.0;
    /* (a^2+b^2+c^2-ab-ac-bc)/18 in its difference form, which does not cancel
     * when the durations are large and the spread small. */
    double ab = mode - min, ac = max - min, bc = max - mode;
    d->variance = (ab * ab + ac * ac + bc * bc) / 36.0;
    return finish(d, NAN, NAN, e);
}

/*
 * cum[i] = (w_0 + ... + w_i) / (w_0 + ... + w_{n-1}), the last entry exactly 1,
 * for weights w_i >= 0 with a positive finite sum; all 0 otherwise (the
 * length-biased pick is then undefined and dist_sample_in_progress never
 * reads the table). weight(d, i) gives w_i.
 */
static void cumulate(double *cum, size_t n, const dist *d, double (*weight)(const dist *, size_t))
{
    double total = 0;
    for (size_t i = 0; i < n; i++) {
        double w = weight(d, i);
        if (!(w >= 0)) {
            total = NAN;
            break;
        }
        total += w;
    }
    int ok = total > 0 && isfinite(total);
    double acc = 0;
    for (size_t i = 0; i < n; i++) {
        acc += ok ? weight(d, i) : 0;
        cum[i] = ok ? acc / total : 0;
    }
    if (ok)
        cum[n - 1] = 1.0;
}

static double empirical_weight(const dist *d, size_t i)
{
    return d->table[i];
}

/* p_i * midpoint_i, from the (renormalised) cumulative probabilities. */
static double histogram_weight(const dist *d, size_t i)
{
    double p = d->cum[i] - (i > 0 ? d->cum[i - 1] : 0.0);
    return p * (d->table[i] + 0.5 * (d->table[i + 1] - d->table[i]));
}

int dist_init_empirical(dist *d, const double *values, size_t n, err_info *e)
{
    *d = (dist){0};
    if (n == 0)
        return err_set(e, ERR_INPUT, NULL, 0, "empirical needs at least 1 value (got 0)");
    for (size_t i = 0; i < n; i++)
        if (!isfinite(values[i]))
            return err_set(e, ERR_INPUT, NULL, 0,
                           "empirical values[%zu] must be finite (got %.10g)", i, values[i]);
    /* 2n cannot wrap: values already holds n doubles in memory. */
    double *t = table_alloc(2 * n);
    if (t == NULL)
        return err_set(e, ERR_NOMEM, NULL, 0, "out of memory copying %zu empirical values", n);
    memcpy(t, values, n * sizeof *t);
    d->kind = DIST_EMPIRICAL;
    d->table = t;
    d->cum = t + n;
    d->n = n;
    d->p[0] = t[0];
    for (size_t i = 1; i < n; i++)
        d->p[0] = fmin(d->p[0], t[i]);
    cumulate(d->cum, n, d, empirical_weight);
    /* Resampling gives each value probability 1/n: population moments, two-pass. */
    double sum = 0, ss = 0;
    for (size_t i = 0; i < n; i++)
        sum += t[i];
    d->mean = sum / (double)n;
    for (size_t i = 0; i < n; i++)
        ss += (t[i] - d->mean) * (t[i] - d->mean);
    d->variance = ss / (double)n;
    return finish(d, NAN, NAN, e);
}

/* Validates histogram input; on success *sum is the total probability. */
static int histogram_check(const double *breaks, const double *probs, size_t n, double *sum,
                           err_info *e)
{
    if (n == 0)
        return err_set(e, ERR_INPUT, NULL, 0, "histogram needs at least 1 band (got 0)");
    for (size_t i = 0; i <= n; i++) {
        if (!isfinite(breaks[i]))
            return err_set(e, ERR_INPUT, NULL, 0,
                           "histogram breaks[%zu] must be a finite number of days (got %.10g)", i,
                           breaks[i]);
        if (i > 0 && !(breaks[i] > breaks[i - 1]))
            return err_set(e, ERR_INPUT, NULL, 0,
                           "histogram breaks must be strictly increasing (breaks[%zu] = %.10g <= "
                           "breaks[%zu] = %.10g)",
                           i, breaks[i], i - 1, breaks[i - 1]);
    }
    *sum = 0;
    for (size_t i = 0; i < n; i++) {
        if (!(isfinite(probs[i]) && probs[i] >= 0))
            return err_set(e, ERR_INPUT, NULL, 0,
                           "histogram probs[%zu] must be a finite number >= 0 (got %.10g)", i,
                           probs[i]);
        *sum += probs[i];
    }
    if (!(fabs(*sum - 1.0) <= DIST_HIST_PROB_TOL))
        return err_set(
            e, ERR_INPUT, NULL, 0,
            "histogram probs sum to %.10g; expected 1 (within " XSTR(DIST_HIST_PROB_TOL) ")", *sum);
    return 0;
}

/* Mean and variance of the histogram in d, each band weighted by p_i: the law
 * of total variance, sum p_i (w_i^2/12 + (m_i - mean)^2), avoids E[X^2]-mean^2. */
static void histogram_moments(dist *d, const double *probs, double sum)
{
    const double *b = d->table;
    double mean = 0, var = 0;
    for (size_t i = 0; i < d->n; i++)
        mean += probs[i] / sum * (b[i] + 0.5 * (b[i + 1] - b[i]));
    for (size_t i = 0; i < d->n; i++) {
        double w = b[i + 1] - b[i], dm = b[i] + 0.5 * w - mean;
        var += probs[i] / sum * (w * w / 12.0 + dm * dm);
    }
    d->mean = mean;
    d->variance = var;
}

int dist_init_histogram(dist *d, const double *breaks, const double *probs, size_t n_bands,
                        err_info *e)
{
    *d = (dist){0};
    double sum = 0;
    if (histogram_check(breaks, probs, n_bands, &sum, e))
        return ERR_INPUT;
    /* 3n+1 cannot wrap: breaks already holds n+1 doubles in memory. */
    double *t = table_alloc(3 * n_bands + 1);
    if (t == NULL)
        return err_set(e, ERR_NOMEM, NULL, 0, "out of memory copying a histogram of %zu bands",
                       n_bands);
    memcpy(t, breaks, (n_bands + 1) * sizeof *t);
    d->kind = DIST_HISTOGRAM;
    d->table = t;
    d->cum = t + n_bands + 1;
    d->n = n_bands;
    /* Renormalised so the last entry is exactly 1: every u in [0,1) finds a band. */
    double acc = 0;
    for (size_t i = 0; i < n_bands; i++) {
        acc += probs[i];
        d->cum[i] = acc / sum;
    }
    d->cum[n_bands - 1] = 1.0;
    cumulate(d->cum + n_bands, n_bands, d, histogram_weight);
    histogram_moments(d, probs, sum);
    return finish(d, NAN, NAN, e);
}

void dist_fini(dist *d)
{
    mem_free(d->table);
    *d = (dist){0};
}

int dist_copy(dist *dst, const dist *src)
{
    *dst = *src;
    size_t count = table_count(src);
    if (count == 0)
        return 0;
    double *t = table_alloc(count);
    if (t == NULL) {
        *dst = (dist){0};
        return ERR_NOMEM;
    }
    memcpy(t, src->table, count * sizeof *t);
    dst->table = t;
    if (src->cum != NULL)
        dst->cum = t + (src->cum - src->table);
    return 0;
}

/* ---- sampling: each case consumes the draws listed in the design comment ---- */

static double sample_triangular(const dist *d, double u)
{
    double a = d->p[0], c = d->p[1], b = d->p[2], w = b - a;
    if (u < (c - a) / w)
        return a + sqrt(u * w * (c - a));
    return b - sqrt((1.0 - u) * w * (b - c));
}

static double sample_empirical(const dist *d, double u)
{
    size_t i = (size_t)(u * (double)d->n);
    /* u < 1, but u*n rounds up to n when u is within an ulp of 1 and n is large. */
    if (i >= d->n)
        i = d->n - 1;
    return d->table[i];
}

/* The first i with u < cum[i], for a nondecreasing cum of n entries ending in
 * 1 > u: it exists and has a positive share cum[i] - cum[i-1]. O(log n). */
static size_t first_above(const double *cum, size_t n, double u)
{
    size_t lo = 0, hi = n - 1;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (u < cum[mid])
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

/* Inverse CDF: the band is the first i with u < cum[i], then u's position
 * within the band's share of probability is its position within the band. */
static double sample_histogram(const dist *d, double u)
{
    size_t lo = first_above(d->cum, d->n, u);
    double c0 = lo > 0 ? d->cum[lo - 1] : 0.0;
    double frac = (u - c0) / (d->cum[lo] - c0);
    return d->table[lo] + frac * (d->table[lo + 1] - d->table[lo]);
}

double dist_sample_kind(const dist *d, gsl_rng *r)
{
    switch (d->kind) {
    case DIST_EXPONENTIAL:
        return dist_exponential_draw(r, d->p[0]);
    case DIST_DETERMINISTIC:
        return d->p[0];
    case DIST_LOGNORMAL:
        /* u == 0 gives Pinv = -inf and the limit 0 days, not a NaN. */
        return exp(d->p[0] + d->p[1] * gsl_cdf_ugaussian_Pinv(rng_uniform(r)));
    case DIST_GAMMA:
        return gsl_ran_gamma(r, d->p[0], d->p[1]);
    case DIST_WEIBULL:
        return d->p[0] * pow(-log1p(-rng_uniform(r)), 1.0 / d->p[1]);
    case DIST_UNIFORM:
        /* Not gsl_ran_flat's min(1-u) + max u, which misses min == max by an ulp. */
        return d->p[0] + (d->p[1] - d->p[0]) * rng_uniform(r);
    case DIST_TRIANGULAR:
        return sample_triangular(d, rng_uniform(r));
    case DIST_EMPIRICAL:
        return sample_empirical(d, rng_uniform(r));
    case DIST_HISTOGRAM:
        return sample_histogram(d, rng_uniform(r));
    case DIST_KIND_COUNT:
        break;
    }
    check_fail(__FILE__, __LINE__, "d->kind is a dist_kind that dist_init_* set");
}

/* ---- episodes in progress: the length-biased law x f(x) / mean ---- */

/* The infimum of d's support: every draw is >= this (days). */
static double support_min(const dist *d)
{
    switch (d->kind) {
    case DIST_DETERMINISTIC:
    case DIST_UNIFORM:
    case DIST_TRIANGULAR:
    case DIST_EMPIRICAL:
        return d->p[0];
    case DIST_HISTOGRAM:
        return d->table[0];
    default:
        return 0.0;
    }
}

/* Density 2x / (b^2 - a^2) on [a, b], 0 <= a <= b, inverted at u. */
static double biased_flat(double a, double b, double u)
{
    return sqrt(a * a + u * (b - a) * (b + a));
}

/* Rejection from the triangular itself, accepting x with probability x / max:
 * x f(x) <= max f(x) and mean >= max / 3, so on average at most 3 attempts. */
static double biased_triangular(const dist *d, gsl_rng *r)
{
    for (;;) {
        double x = sample_triangular(d, rng_uniform(r));
        if (rng_uniform(r) * d->p[2] < x)
            return x;
    }
}

/* The band, or the value, by inversion on the length-biased cumulative table;
 * within a band the density is proportional to x. */
static double biased_histogram(const dist *d, double u)
{
    const double *lb = d->cum + d->n;
    size_t i = first_above(lb, d->n, u);
    double c0 = i > 0 ? lb[i - 1] : 0.0;
    double frac = (u - c0) / (lb[i] - c0);
    return biased_flat(d->table[i], d->table[i + 1], frac);
}

/* The length-biased total length S* (days) for every kind but exponential. */
static double biased_length(const dist *d, gsl_rng *r)
{
    switch (d->kind) {
    case DIST_DETERMINISTIC:
        return d->p[0];
    case DIST_LOGNORMAL: {
        double sigma = d->p[1], u = rng_uniform(r);
        return exp(d->p[0] + sigma * sigma + sigma * gsl_cdf_ugaussian_Pinv(u));
    }
    case DIST_GAMMA:
        return gsl_ran_gamma(r, d->p[0] + 1.0, d->p[1]);
    case DIST_WEIBULL:
        return d->p[0] * pow(gsl_ran_gamma(r, 1.0 + 1.0 / d->p[1], 1.0), 1.0 / d->p[1]);
    case DIST_UNIFORM:
        return biased_flat(d->p[0], d->p[1], rng_uniform(r));
    case DIST_TRIANGULAR:
        return biased_triangular(d, r);
    case DIST_EMPIRICAL:
        return d->table[first_above(d->cum, d->n, rng_uniform(r))];
    case DIST_HISTOGRAM:
        return biased_histogram(d, rng_uniform(r));
    case DIST_EXPONENTIAL:
    case DIST_KIND_COUNT:
        break;
    }
    check_fail(__FILE__, __LINE__, "d->kind is a dist_kind with a length-biased form");
}

void dist_sample_in_progress(const dist *d, gsl_rng *r, double *elapsed, double *remaining)
{
    CHECK(support_min(d) >= 0);
    if (!(d->mean > 0)) {
        *elapsed = *remaining = 0;
        return;
    }
    if (d->kind == DIST_EXPONENTIAL) {
        /* A Gamma(2, mean) split at an independent uniform is two independent
         * exponentials: the same law in two draws, and remaining is visibly
         * memoryless. */
        *elapsed = dist_exponential_draw(r, d->p[0]);
        *remaining = dist_exponential_draw(r, d->p[0]);
        return;
    }
    double s = biased_length(d, r);
    /* u < 1, so u s <= s after rounding and remaining >= 0. */
    *elapsed = rng_uniform(r) * s;
    *remaining = s - *elapsed;
}

double dist_mean(const dist *d)
{
    return d->mean;
}

double dist_variance(const dist *d)
{
    return d->variance;
}

const char *dist_kind_name(dist_kind k)
{
    CHECK((unsigned)k < DIST_KIND_COUNT);
    return kind_names[k];
}

int dist_kind_parse(const char *name)
{
    if (name == NULL)
        return -1;
    for (int k = 0; k < DIST_KIND_COUNT; k++)
        if (strcmp(name, kind_names[k]) == 0)
            return k;
    return -1;
}
