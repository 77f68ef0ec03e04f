/*
 * theory — closed-form results of queueing theory that the engine must
 * reproduce, used by the validation tests and by `caseflow check` to show an
 * analyst what steady state to expect before a run.
 *
 * Units: rates per day, times in days. All functions are pure and thread-safe.
 * Every function returns NaN (never crashes) for parameters outside its
 * domain, e.g. an unstable queue (rho >= 1).
 *
 *   M/M/c     Erlang C probability of waiting, Lq, Wq, W, L.
 *   M/G/1     Pollaczek–Khinchine: Lq = lambda^2 E[S^2] / (2(1-rho)).
 *   M/G/inf   L = lambda E[S] (insensitive to the service distribution).
 *   Jackson   traffic equations lambda = gamma + P^T lambda for an open network.
 */
#ifndef CASEFLOW_THEORY_H
#define CASEFLOW_THEORY_H

#include <stddef.h>

#include "err.h"

/* Steady-state measures of one station. */
typedef struct theory_station {
    double rho; /* utilisation per server: lambda E[S] / c (for c = 0: NaN) */
    double L;   /* mean number in station */
    double Lq;  /* mean number waiting */
    double W;   /* mean time in station, days */
    double Wq;  /* mean wait before service, days */
} theory_station;

/* Erlang C: probability an arrival waits, for c servers at offered load a = lambda/mu (Erlangs).
 * Computed with the numerically stable Erlang-B recursion. NaN unless a < c. */
double theory_erlang_c(unsigned c, double a);

/* M/M/c with arrival rate lambda (/day), mean service time es (days). */
theory_station theory_mmc(double lambda, double es, unsigned c);

/* M/G/1 with arrival rate lambda, service mean es and variance vs (days^2). */
theory_station theory_mg1(double lambda, double es, double vs);

/* M/G/infinity: L = lambda es, W = es, no waiting. */
theory_station theory_mginf(double lambda, double es);

/*
 * Solves the traffic equations of an open network with n stations:
 * lambda[j] = gamma[j] + sum_i lambda[i] * p[i*n + j], where gamma[j] is the
 * external arrival rate into j and p[i*n+j] the probability of routing from i
 * to j (rows may sum to less than 1: the rest exits). Writes lambda[0..n-1].
 * Returns 0, ERR_INPUT if the network is closed or has a trap (I - P^T
 * singular, e.g. a loop with no way out), ERR_NOMEM on allocation failure.
 * Uses GSL's LU decomposition.
 */
int theory_traffic(size_t n, const double *gamma, const double *p, double *lambda, err_info *e);

#endif
