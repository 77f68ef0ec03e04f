/*
 * design — one-at-a-time, Latin hypercube and Sobol designs.
 *
 * Every design is first placed in the unit cube and then scaled to each
 * dimension's range, except OAT, whose levels are written from low and high
 * directly so the ends are exact (low + (high - low) * 1 can miss high by an
 * ulp, and a tornado chart labels its bars with those values).
 *
 * LHS draws, per dimension in order, a shuffle of the strata (GSL's
 * gsl_ran_shuffle, Fisher-Yates on gsl_rng_uniform_int) and then one uniform
 * position per point: a fixed order of draws from one stream, so a seed
 * names one design. The alternative of centring each point in its stratum
 * (no positions drawn) leaves every projection on a lattice; uniform
 * positions are the usual choice (McKay, Beckman and Conover 1979).
 */
#include "design.h"

#include <gsl/gsl_qrng.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <string.h>

#include "mem.h"
#include "rng.h"

static const char *const kind_names[] = {"oat", "lhs", "sobol"};

int design_kind_parse(const char *word, design_kind *out)
{
    for (int k = 0; k < 3; k++)
        if (strcmp(word, kind_names[k]) == 0) {
            *out = (design_kind)k;
            return 0;
        }
    return -1;
}

const char *design_kind_name(design_kind kind)
{
    return kind_names[kind];
}

void design_fini(design *d)
{
    mem_free(d->x);
    mem_free(d->varied);
    memset(d, 0, sizeof *d);
}

static int check_dims(design_kind kind, const design_dim *dims, size_t n_dims, size_t points,
                      err_info *e)
{
    if (n_dims == 0)
        return err_set(e, ERR_INPUT, NULL, 0, "a design needs at least one dimension to vary");
    if (points < 2)
        return err_set(e, ERR_INPUT, NULL, 0,
                       "%zu point%s; expected at least 2 (a range needs two ends)", points,
                       points == 1 ? "" : "s");
    if (kind == DESIGN_SOBOL && n_dims > DESIGN_SOBOL_MAX_DIMS)
        return err_set(e, ERR_INPUT, NULL, 0,
                       "a Sobol design of %zu dimensions; GSL's Sobol sequence has at most %d "
                       "(vary fewer settings, or use --design lhs)",
                       n_dims, DESIGN_SOBOL_MAX_DIMS);
    for (size_t i = 0; i < n_dims; i++) {
        const design_dim *dm = &dims[i];
        if (!isfinite(dm->low) || !isfinite(dm->high) || !(dm->low < dm->high))
            return err_set(e, ERR_INPUT, NULL, 0,
                           "dimension %zu has range %g to %g; expected finite numbers with low < "
                           "high",
                           i, dm->low, dm->high);
        if (kind == DESIGN_OAT && !isfinite(dm->base))
            return err_set(e, ERR_INPUT, NULL, 0,
                           "dimension %zu has baseline %g; expected a finite number", i, dm->base);
    }
    size_t total = kind == DESIGN_OAT ? 1 + n_dims * points : points;
    if (points > DESIGN_MAX_POINTS || total > DESIGN_MAX_POINTS)
        return err_set(e, ERR_INPUT, NULL, 0, "a design of %zu points; expected at most %d",
                       kind == DESIGN_OAT && points <= DESIGN_MAX_POINTS ? total : points,
                       DESIGN_MAX_POINTS);
    return 0;
}

/* u in [0, 1] to the dimension's range. */
static double scale(const design_dim *dm, double u)
{
    return dm->low + (dm->high - dm->low) * u;
}

static void make_oat(design *d, const design_dim *dims, size_t points)
{
    size_t k = d->n_dims;
    for (size_t i = 0; i < k; i++)
        d->x[i] = dims[i].base;
    d->varied[0] = -1;
    for (size_t i = 0; i < k; i++)
        for (size_t j = 0; j < points; j++) {
            size_t p = 1 + i * points + j;
            memcpy(d->x + p * k, d->x, k * sizeof *d->x);
            double v =
                j + 1 == points ? dims[i].high : scale(&dims[i], (double)j / (double)(points - 1));
            d->x[p * k + i] = v;
            d->varied[p] = (int)i;
        }
}

static int make_lhs(design *d, const design_dim *dims, uint64_t seed, err_info *e)
{
    size_t n = d->n_points, k = d->n_dims;
    gsl_rng *r = rng_open(rng_seed_for(seed, 0, "design", "lhs"));
    size_t *perm = mem_calloc(n, sizeof *perm);
    if (r == NULL || perm == NULL) {
        if (r != NULL)
            gsl_rng_free(r);
        mem_free(perm);
        return err_set(e, ERR_NOMEM, NULL, 0, "out of memory making a Latin hypercube");
    }
    for (size_t i = 0; i < k; i++) {
        for (size_t p = 0; p < n; p++)
            perm[p] = p;
        gsl_ran_shuffle(r, perm, n, sizeof *perm);
        for (size_t p = 0; p < n; p++) {
            double u = ((double)perm[p] + gsl_rng_uniform(r)) / (double)n;
            d->x[p * k + i] = scale(&dims[i], u);
        }
    }
    mem_free(perm);
    gsl_rng_free(r);
    return 0;
}

static int make_sobol(design *d, const design_dim *dims, err_info *e)
{
    size_t k = d->n_dims;
    gsl_qrng *q = gsl_qrng_alloc(gsl_qrng_sobol, (unsigned)k);
    double u[DESIGN_SOBOL_MAX_DIMS];
    if (q == NULL)
        return err_set(e, ERR_NOMEM, NULL, 0, "cannot start GSL's Sobol sequence (out of memory)");
    for (size_t p = 0; p < d->n_points; p++) {
        if (gsl_qrng_get(q, u) != 0) {
            gsl_qrng_free(q);
            return err_set(e, ERR_INPUT, NULL, 0,
                           "GSL's Sobol sequence ended after %zu points; expected %zu", p,
                           d->n_points);
        }
        for (size_t i = 0; i < k; i++)
            d->x[p * k + i] = scale(&dims[i], u[i]);
    }
    gsl_qrng_free(q);
    return 0;
}

int design_make(design *d, design_kind kind, const design_dim *dims, size_t n_dims, size_t points,
                uint64_t seed, err_info *e)
{
    memset(d, 0, sizeof *d);
    int rc = check_dims(kind, dims, n_dims, points, e);
    if (rc != 0)
        return rc;
    d->kind = kind;
    d->n_dims = n_dims;
    d->n_points = kind == DESIGN_OAT ? 1 + n_dims * points : points;
    d->x = mem_calloc(d->n_points * n_dims, sizeof *d->x);
    if (kind == DESIGN_OAT)
        d->varied = mem_calloc(d->n_points, sizeof *d->varied);
    if (d->x == NULL || (kind == DESIGN_OAT && d->varied == NULL)) {
        design_fini(d);
        return err_set(e, ERR_NOMEM, NULL, 0, "out of memory for a design of %zu points",
                       kind == DESIGN_OAT ? 1 + n_dims * points : points);
    }
    if (kind == DESIGN_OAT)
        make_oat(d, dims, points);
    else if (kind == DESIGN_LHS)
        rc = make_lhs(d, dims, seed, e);
    else
        rc = make_sobol(d, dims, e);
    if (rc != 0) {
        design_fini(d);
        return rc;
    }
    for (size_t p = 0; p < d->n_points; p++)
        for (size_t i = 0; i < n_dims; i++)
            if (dims[i].integer)
                d->x[p * n_dims + i] = round(d->x[p * n_dims + i]);
    return 0;
}
