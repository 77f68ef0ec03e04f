/*
 * theory — closed-form steady state, computed so that it cannot overflow or
 * silently mislead.
 *
 * Erlang C goes through the Erlang-B recursion B_k = a B_{k-1} / (k + a B_{k-1}),
 * which keeps every intermediate in [0, 1]; the textbook sum of a^k / k!
 * overflows a double near c = 170 and loses digits well before that. The cost is
 * O(c), and the loop stops early once B underflows to zero (it can only stay
 * zero), so a huge c with a modest load is cheap.
 *
 * Every station is built from its mean wait Wq by Little's law (Lq = lambda Wq,
 * W = Wq + E[S], L = lambda W), so the identities hold by construction and a
 * zero arrival rate needs no special case. An unstable queue keeps its rho,
 * which is well defined and is the reason the other measures are NaN; invalid
 * parameters make every field NaN.
 *
 * The traffic equations are (I - P^T) lambda = gamma. I - P^T is a column
 * diagonally dominant M-matrix whenever every station can reach an exit, so LU
 * with partial pivoting is stable and its arithmetic only ever adds terms of
 * one sign: a negative or non-finite rate therefore means numerical breakdown,
 * never a legitimate answer. A trap (stations whose routing keeps everything
 * among themselves) makes the matrix singular; it is found structurally first,
 * so the user is told which station is stuck instead of seeing a tiny pivot.
 */
#include "theory.h"

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_permutation.h>
#include <gsl/gsl_vector.h>

#include "check.h"
#include "mem.h"

static int nonneg_finite(double x)
{
    return isfinite(x) && x >= 0.0;
}

/* A station whose measures do not exist; rho is kept (it may be NaN too). */
static theory_station station_nan(double rho)
{
    return (theory_station){.rho = rho, .L = NAN, .Lq = NAN, .W = NAN, .Wq = NAN};
}

/* The rest of a station from its mean wait, by Little's law. An overflow in
 * an extreme but valid case gives NaN rather than a misleading infinity. */
static theory_station station_from_wait(double lambda, double es, double rho, double wq)
{
    theory_station s = {.rho = rho, .Wq = wq, .Lq = lambda * wq, .W = wq + es};
    s.L = lambda * s.W;
    if (!isfinite(s.Lq) || !isfinite(s.W) || !isfinite(s.L))
        return station_nan(rho);
    return s;
}

double theory_erlang_c(unsigned c, double a)
{
    if (c == 0 || !nonneg_finite(a) || !(a < (double)c))
        return NAN;
    double b = 1.0; /* Erlang B with k servers, k = 0 so far */
    /* k counts from 0 so that c == UINT_MAX cannot wrap the loop. */
    for (unsigned k = 0; k < c && b > 0.0; k++)
        b = a * b / ((double)k + 1.0 + a * b);
    /* C = B / (1 - rho (1 - B)) with rho = a / c, multiplied through by c. */
    return (double)c * b / ((double)c - a + a * b);
}

theory_station theory_mmc(double lambda, double es, unsigned c)
{
    if (c == 0 || !nonneg_finite(lambda) || !nonneg_finite(es))
        return station_nan(NAN);
    double a = lambda * es;
    double rho = a / (double)c;
    if (!(a < (double)c)) /* also catches a product that overflowed */
        return station_nan(rho);
    /* Wq = C / (c mu - lambda) = C E[S] / (c - a). */
    double wq = theory_erlang_c(c, a) * es / ((double)c - a);
    return station_from_wait(lambda, es, rho, wq);
}

theory_station theory_mg1(double lambda, double es, double vs)
{
    if (!nonneg_finite(lambda) || !nonneg_finite(es) || !nonneg_finite(vs))
        return station_nan(NAN);
    /* A non-negative service time with mean 0 is always 0: it has no variance. */
    if (es == 0.0 && vs > 0.0)
        return station_nan(NAN);
    double rho = lambda * es;
    if (!(rho < 1.0))
        return station_nan(rho);
    double es2 = vs + es * es; /* E[S^2] */
    return station_from_wait(lambda, es, rho, lambda * es2 / (2.0 * (1.0 - rho)));
}

theory_station theory_mginf(double lambda, double es)
{
    if (!nonneg_finite(lambda) || !nonneg_finite(es))
        return station_nan(NAN);
    /* lambda E[S] spread over infinitely many servers: each is idle. */
    return station_from_wait(lambda, es, 0.0, 0.0);
}

/* ---- traffic equations ---------------------------------------------------- */

/*
 * Returns 0 when every gamma is a rate and every row of p a sub-probability
 * vector. Row sums may exceed 1 by the rounding of n additions, n DBL_EPSILON,
 * so that rows written to sum to 1 are not rejected for their last bit.
 */
static int traffic_validate(size_t n, const double *gamma, const double *p, err_info *e)
{
    for (size_t j = 0; j < n; j++)
        if (!nonneg_finite(gamma[j]))
            return err_set(e, ERR_INPUT, NULL, 0,
                           "external arrival rate into station %zu is %g per day; "
                           "expected a finite rate >= 0",
                           j, gamma[j]);
    for (size_t i = 0; i < n; i++) {
        double sum = 0.0;
        for (size_t j = 0; j < n; j++) {
            double pij = p[i * n + j];
            if (!(pij >= 0.0 && pij <= 1.0))
                return err_set(e, ERR_INPUT, NULL, 0,
                               "routing probability from station %zu to station %zu is %g; "
                               "expected a probability in [0, 1]",
                               i, j, pij);
            sum += pij;
        }
        if (sum > 1.0 + (double)n * DBL_EPSILON)
            return err_set(e, ERR_INPUT, NULL, 0,
                           "routing probabilities out of station %zu sum to %.17g; "
                           "expected at most 1 (the remainder leaves the network)",
                           i, sum);
    }
    return ERR_OK;
}

/*
 * Marks in exits[i] (1 or 0) whether station i can reach an exit, i.e. a
 * station whose routing row sums to less than 1, and returns how many cannot.
 * Repeated sweeps cost O(n^3) in the worst case, the same order as the LU that
 * follows; a reverse breadth-first search would be O(n^2) but needs a second
 * scratch array, which is not worth it for networks of tens of stations.
 */
static size_t traffic_trapped(size_t n, const double *p, size_t *exits)
{
    for (size_t i = 0; i < n; i++) {
        double sum = 0.0;
        for (size_t j = 0; j < n; j++)
            sum += p[i * n + j];
        exits[i] = sum < 1.0;
    }
    int changed = 1;
    while (changed) {
        changed = 0;
        for (size_t i = 0; i < n; i++)
            for (size_t j = 0; j < n && !exits[i]; j++)
                if (p[i * n + j] > 0.0 && exits[j])
                    exits[i] = changed = 1;
    }
    size_t trapped = 0;
    for (size_t i = 0; i < n; i++)
        trapped += !exits[i];
    return trapped;
}

static int traffic_trap_error(const size_t *exits, size_t trapped, err_info *e)
{
    size_t first = 0;
    while (exits[first])
        first++;
    char others[64] = "";
    if (trapped > 1)
        snprintf(others, sizeof others, " (and %zu other station%s)", trapped - 1,
                 trapped > 2 ? "s" : "");
    return err_set(e, ERR_INPUT, NULL, 0,
                   "routing has a loop with no way out: station %zu%s can never leave the "
                   "network, because every route from it stays among stations whose routing "
                   "probabilities sum to 1; expected every station to reach, directly or "
                   "through others, a station whose routing probabilities sum to less than 1",
                   first, others);
}

/* Fills a (row-major n x n) with I - P^T. */
static void traffic_matrix(size_t n, const double *p, double *a)
{
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++)
            a[i * n + j] = (i == j ? 1.0 : 0.0) - p[j * n + i];
}

/*
 * LU-solves a x = gamma in place of a. The scale of I - P^T is 1, not its
 * largest entry: each entry is a probability subtracted from 0 or 1, so its
 * rounding error is of order DBL_EPSILON however small the result (1 - p for a
 * p near 1 is tiny but no more accurate). A pivot within n DBL_EPSILON of that
 * scale is below the backward error of forming and factorising the matrix, so
 * it is treated as zero: a loop that leaks only by rounding has no way out.
 */
static int traffic_solve(size_t n, double *a, size_t *perm_data, const double *gamma, double *x,
                         err_info *e)
{
    gsl_matrix_view m = gsl_matrix_view_array(a, n, n);
    gsl_permutation perm = {.size = n, .data = perm_data};
    int signum = 0;
    int status = gsl_linalg_LU_decomp(&m.matrix, &perm, &signum);
    if (status == GSL_ENOMEM)
        return err_set(e, ERR_NOMEM, NULL, 0, "out of memory factorising the traffic equations");
    CHECK(status == GSL_SUCCESS); /* only size mismatches remain: a bug here */
    for (size_t i = 0; i < n; i++) {
        double pivot = fabs(gsl_matrix_get(&m.matrix, i, i));
        if (!(pivot > (double)n * DBL_EPSILON))
            return err_set(e, ERR_INPUT, NULL, 0,
                           "routing has a loop with no way out: the chance of leaving the "
                           "loop through station %zu is lost in rounding (pivot %g); expected "
                           "each loop to route a clearly positive probability out",
                           i, pivot);
    }
    gsl_vector_const_view b = gsl_vector_const_view_array(gamma, n);
    gsl_vector_view xv = gsl_vector_view_array(x, n);
    status = gsl_linalg_LU_solve(&m.matrix, &perm, &b.vector, &xv.vector);
    CHECK(status == GSL_SUCCESS); /* sizes match and the pivots are nonzero */
    for (size_t j = 0; j < n; j++)
        if (!nonneg_finite(x[j]))
            return err_set(e, ERR_INPUT, NULL, 0,
                           "the traffic equations give station %zu an arrival rate of %g per "
                           "day; expected a finite rate >= 0 (are the external rates or the "
                           "loop probabilities extreme?)",
                           j, x[j]);
    return ERR_OK;
}

/* The work of theory_traffic once its scratch exists: a holds n*(n+1) doubles
 * (I - P^T, then the solution), idx n entries. lambda is written only on success. */
static int traffic_run(size_t n, const double *gamma, const double *p, double *a, size_t *idx,
                       double *lambda, err_info *e)
{
    /* idx serves first as the reaches-an-exit marks, then as the LU permutation. */
    size_t trapped = traffic_trapped(n, p, idx);
    if (trapped > 0)
        return traffic_trap_error(idx, trapped, e);
    double *x = a + n * n;
    traffic_matrix(n, p, a);
    int rc = traffic_solve(n, a, idx, gamma, x, e);
    if (rc != ERR_OK)
        return rc;
    for (size_t j = 0; j < n; j++)
        lambda[j] = x[j];
    return ERR_OK;
}

int theory_traffic(size_t n, const double *gamma, const double *p, double *lambda, err_info *e)
{
    if (n == 0)
        return ERR_OK;
    CHECK(gamma != NULL && p != NULL && lambda != NULL);
    if (n == SIZE_MAX || n > SIZE_MAX / sizeof(double) / (n + 1))
        return err_set(e, ERR_NOMEM, NULL, 0,
                       "out of memory: %zu stations are too many for the traffic equations", n);
    int rc = traffic_validate(n, gamma, p, e);
    if (rc != ERR_OK)
        return rc;
    double *a = mem_alloc(n * (n + 1) * sizeof(double));
    size_t *idx = mem_alloc(n * sizeof(size_t));
    if (a == NULL || idx == NULL)
        rc = err_set(e, ERR_NOMEM, NULL, 0,
                     "out of memory solving the traffic equations for %zu stations", n);
    else
        rc = traffic_run(n, gamma, p, a, idx, lambda, e);
    mem_free(idx);
    mem_free(a);
    return rc;
}
