/*
 * nhpp — a non-homogeneous Poisson process with a piecewise rate and an
 * exponential trend, for arrival streams whose intensity varies over the run.
 *
 * The rate, per day, at time t (days) is
 *     lambda(t) = base[k] * exp(growth_per_day * t)   for t in [breaks[k], breaks[k+1])
 * over n segments [breaks[0], breaks[n]), and 0 outside them: before breaks[0]
 * nothing arrives and past breaks[n] the process stops. The segments are
 * whatever the caller makes them (months, terms, shifts): this module knows
 * nothing of calendars. The trend is anchored at t = 0, not at breaks[0].
 *
 * Sampling is by thinning (Lewis and Shedler): candidates from a homogeneous
 * process at the segment's bound, the rate's maximum over that segment (at its
 * right end when growth > 0, its left end otherwise), each kept with
 * probability lambda(t) / bound. The bound is per segment, so the candidates
 * wasted on a segment are a fraction 1 - exp(-|growth| * width) at most: under
 * 1% for 10% a year over a month. With growth 0 no candidate is wasted and no
 * thinning test drawn: one exponential draw per arrival. Segments many times
 * 1 / |growth| wide would waste most candidates: split them.
 *
 * Invariants: an nhpp is read-only after nhpp_create; the expected count over
 * the whole horizon is finite (nhpp_create refuses parameters that overflow).
 * Memory: one block of about 4n doubles, owned by the nhpp.
 * Thread-safety: nhpp_next, nhpp_expected and nhpp_rate only read the nhpp, so
 * many threads may share one, each with its own gsl_rng.
 */
#ifndef CASEFLOW_NHPP_H
#define CASEFLOW_NHPP_H

#include <gsl/gsl_rng.h>
#include <stddef.h>

#include "err.h"

typedef struct nhpp nhpp;

/*
 * Builds the process above from n >= 1 segments: breaks[0..n] (days, finite,
 * strictly increasing), base[0..n-1] (arrivals per day at t = 0, finite and
 * >= 0) and growth_per_day (finite; e.g. log1p(0.1) / 365.25 for 10% a year).
 * The arrays are copied; the caller keeps ownership of them.
 * Returns 0 and *out, or ERR_INPUT (which argument is wrong and what was
 * expected, no FILE:LINE prefix) or ERR_NOMEM, with *out NULL. e may be NULL.
 * O(n).
 */
int nhpp_create(nhpp **out, const double *breaks, const double *base, size_t n,
                double growth_per_day, err_info *e);

/* Frees p; nhpp_destroy(NULL) does nothing. */
void nhpp_destroy(nhpp *p);

/*
 * The first arrival strictly after t (days; t not NaN, -INFINITY allowed), or
 * INFINITY if there is none before breaks[n]. Successive calls from the last
 * arrival generate the process; each advances r only (a variable number of
 * draws: one dist_exponential_draw per candidate, usually one word (dist.h),
 * plus one uniform per thinning test in a growing or shrinking segment).
 * Expected cost O(log n + segments crossed + candidates). Thread-safe on a
 * shared nhpp, r belonging to the caller's thread.
 */
double nhpp_next(const nhpp *p, gsl_rng *r, double t);

/*
 * The expected number of arrivals in [a, b) (a <= b, neither NaN; infinite ends
 * allowed): the exact integral of the rate. O(log n). For tests, for checking a
 * scenario's demand before running it, and for the time-rescaling theorem.
 */
double nhpp_expected(const nhpp *p, double a, double b);

/* lambda(t), arrivals per day; 0 outside [breaks[0], breaks[n]). O(log n). */
double nhpp_rate(const nhpp *p, double t);

/*
 * The time t at which the expected count from breaks[0] reaches s (>= 0):
 * the inverse of the compensator, for generating arrivals by inversion
 * (arrival k at nhpp_inverse(E_1 + ... + E_k) with E_i unit exponentials).
 * Two processes that differ only in their rates then map the same unit draws
 * to corresponding times: common random numbers across scenarios that change
 * demand. INFINITY when s reaches the total. O(log n); thread-safe.
 */
double nhpp_inverse(const nhpp *p, double s);

#endif
