/*
 * design — experimental designs for sensitivity analysis: which values of k
 * uncertain inputs to run a model at. Generic: a dimension is a range of
 * numbers, nothing more (the caller knows what each one sets).
 *
 *   DESIGN_OAT    one at a time: point 0 is the baseline (every dimension at
 *                 its `base`), then for each dimension d in order, `points`
 *                 values evenly from low to high (low and high exactly) with
 *                 every other dimension at its base. 1 + k * points points.
 *                 What a tornado chart needs: the effect of each input alone.
 *   DESIGN_LHS    Latin hypercube: `points` points; in every dimension the
 *                 range is cut into `points` strata of equal width and each
 *                 stratum holds exactly one point (a random permutation of the
 *                 strata per dimension, a uniform position inside each). The
 *                 permutations and positions come from one MT19937 stream
 *                 seeded rng_seed_for(seed, 0, "design", "lhs"): the same seed
 *                 gives the same design.
 *   DESIGN_SOBOL  the first `points` points of GSL's Sobol quasi-random
 *                 sequence (gsl_qrng_sobol; it starts at the centre, 0.5 in
 *                 every dimension), scaled from [0,1) to [low, high). Fills the
 *                 box more evenly than random points; deterministic, so seed
 *                 plays no part. GSL's tables stop at 40 dimensions.
 *
 * A dimension marked `integer` has every value rounded to the nearest whole
 * number (halves away from zero) after placing it, so an integer setting
 * (servers, places) gets values it can take; rounding can put two points on
 * one value and, in LHS, two points in one stratum.
 *
 * Points are stored row by row: point p's value of dimension d is
 * x[p * n_dims + d]. Memory: n_points * (n_dims + 1) numbers, allocated
 * through mem.h. Thread-safety: a design is read-only once made.
 */
#ifndef CASEFLOW_DESIGN_H
#define CASEFLOW_DESIGN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"

/* Most dimensions GSL's Sobol generator supports. */
#define DESIGN_SOBOL_MAX_DIMS 40
/* Most points of any design (a guard against typing an extra zero). */
#define DESIGN_MAX_POINTS 100000

typedef enum design_kind { DESIGN_OAT, DESIGN_LHS, DESIGN_SOBOL } design_kind;

/* One uncertain input. */
typedef struct design_dim {
    double low, high; /* its range: finite, low < high */
    double base;      /* OAT: its value while other dimensions vary (finite; need not lie in
                         [low, high]); ignored by LHS and Sobol */
    bool integer;     /* round every value to a whole number */
} design_dim;

typedef struct design {
    design_kind kind;
    size_t n_dims;   /* dimensions (k) */
    size_t n_points; /* points (rows of x) */
    double *x;       /* n_points * n_dims values, point by point */
    int *varied;     /* OAT: the dimension point p varies, -1 for the baseline; NULL for
                        other kinds */
} design;

/* "oat", "lhs", "sobol" -> the kind; 0, or -1 for any other word. */
int design_kind_parse(const char *word, design_kind *out);
/* The kind's word ("oat", "lhs", "sobol"). */
const char *design_kind_name(design_kind kind);

/*
 * Makes a design of `kind` over dims[0 .. n_dims-1]: `points` is the number
 * of values per dimension for OAT and the number of points for LHS and
 * Sobol; seed drives LHS only. Returns 0 with d filled (free with
 * design_fini), or ERR_INPUT (no dimensions; points < 2 or, in total, more
 * than DESIGN_MAX_POINTS; a range that is not finite or not low < high,
 * naming the dimension by its index from 0; a base that is not finite; more
 * than DESIGN_SOBOL_MAX_DIMS dimensions for Sobol) or ERR_NOMEM, with d
 * zeroed.
 */
int design_make(design *d, design_kind kind, const design_dim *dims, size_t n_dims, size_t points,
                uint64_t seed, err_info *e);

/* Frees what d holds and zeroes it; safe on a zeroed design and twice. */
void design_fini(design *d);

/* Point p's value of dimension dim. */
static inline double design_at(const design *d, size_t p, size_t dim)
{
    return d->x[p * d->n_dims + dim];
}

#endif
