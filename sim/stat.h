/*
 * stat — the statistics a simulation keeps, and how replications combine.
 *
 *   stat_tw    time-weighted average of a piecewise-constant quantity (number
 *              in a node, queue length, busy servers) over an observation
 *              window that starts at stat_tw_reset and ends at stat_tw_mean.
 *   stat_tally mean and variance of observations (shifted sums; see below).
 *   stat_ci    mean and 95% Student-t confidence interval across replications.
 *
 * All are plain values with no heap memory: init by assignment or *_reset.
 * Times are in simulated days. Not thread-safe per object; each replication
 * owns its own. Complexity O(1) per update.
 */
#ifndef CASEFLOW_STAT_H
#define CASEFLOW_STAT_H

#include <stddef.h>
#include <stdint.h>

typedef struct stat_tw {
    double t_start; /* days: start of the observation window */
    double t_last;  /* days: time of the last change */
    double value;   /* current level */
    double area;    /* integral of value over [t_start, t_last] */
} stat_tw;

/* Starts a window at t with the current level value (area cleared). */
void stat_tw_reset(stat_tw *s, double t, double value);

/* The level changes to value at time t (t >= t_last; not CHECKed: branch-free hot path). */
static inline void stat_tw_set(stat_tw *s, double t, double value)
{
    s->area += s->value * (t - s->t_last);
    s->t_last = t;
    s->value = value;
}

/* Adds delta to the level at time t. */
static inline void stat_tw_add(stat_tw *s, double t, double delta)
{
    stat_tw_set(s, t, s->value + delta);
}

/* Time average over [t_start, t_end] (t_end >= t_last); NaN if the window is empty. */
double stat_tw_mean(const stat_tw *s, double t_end);

/*
 * Sums of the observations' deviations from the first one, shift: no
 * division per observation (Welford's running mean divides by n at every
 * add, a long-latency operation twice per customer in the engine). The mean,
 * shift + s1 / n, is as accurate as a plain sum. The variance,
 * (s2 - s1^2 / n) / (n - 1), loses about log10((mean - shift)^2 / variance)
 * digits to cancellation: none when the first observation is typical, 5 for
 * waits of 400 +- 1 days whose first was 0 (11 left), and it is Welford's equal only
 * while the first observation is within a few thousand sd of the mean.
 */
typedef struct stat_tally {
    uint64_t n;    /* observations */
    double shift;  /* the first observation (0 while n == 0) */
    double s1, s2; /* sums of (x - shift) and of (x - shift)^2 */
} stat_tally;

void stat_tally_reset(stat_tally *s);
/* Inline: the engine adds two observations per customer. It keeps no
 * minimum and maximum: nothing reported them, and tracking them cost 5 of the
 * engine's 280 instructions per event (cachegrind, make bench). */
static inline void stat_tally_add(stat_tally *s, double x)
{
    if (s->n == 0)
        s->shift = x;
    s->n++;
    double d = x - s->shift;
    s->s1 += d;
    s->s2 += d * d;
}
/* Mean of the observations; NaN when n == 0. */
double stat_tally_mean(const stat_tally *s);
/* Unbiased sample variance; NaN when n < 2. */
double stat_tally_variance(const stat_tally *s);

/* Summary of one metric across replications. */
typedef struct stat_ci {
    size_t n;    /* replications with a finite value */
    double mean; /* mean across replications; NaN if n == 0 */
    double sd;   /* sample standard deviation; NaN if n < 2 */
    double low;  /* 95% CI lower bound (Student t, n-1 d.f.); NaN if n < 2 */
    double high; /* 95% CI upper bound; NaN if n < 2 */
} stat_ci;

/*
 * Summarises x[0], x[stride], ... x[(n-1)*stride]. If any value is not finite
 * the metric is undefined for the run and every field but n is NaN (a metric
 * such as a mean wait at a node nobody reached has no value, and averaging
 * only the replications where it exists would mislead).
 * level is the confidence level, e.g. 0.95.
 */
stat_ci stat_ci_compute(const double *x, size_t n, size_t stride, double level);

/* Half-width of the level-CI of a mean of n values with sample sd:
 * t_{(1+level)/2, n-1} * sd/sqrt(n). */
double stat_ci_halfwidth(double sd, size_t n, double level);

#endif
