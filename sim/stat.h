/*
 * stat — the statistics a simulation keeps, and how replications combine.
 *
 *   stat_tw    time-weighted average of a piecewise-constant quantity (number
 *              in a node, queue length, busy servers) over an observation
 *              window that starts at stat_tw_reset and ends at stat_tw_mean.
 *   stat_ci    mean and 95% Student-t confidence interval across replications.
 *
 * All are plain values with no heap memory: init by assignment or *_reset.
 * Times are in simulated days. Not thread-safe per object; each replication
 * owns its own. Complexity O(1) per update.
 */
#ifndef CASEFLOW_STAT_H
#define CASEFLOW_STAT_H

#include <stddef.h>

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
