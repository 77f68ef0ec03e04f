/* test_design — one-at-a-time structure, one point per stratum in every
 * dimension of a Latin hypercube, GSL's published Sobol points, determinism
 * by seed, rounding of whole-number dimensions, every refusal, and no leak
 * when an allocation fails. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "design.h"
#include "support/failing_mem.h"

static void test_kind_words(void **state)
{
    (void)state;
    static const char *const words[] = {"oat", "lhs", "sobol"};
    for (int k = 0; k < 3; k++) {
        design_kind kind;
        assert_int_equal(design_kind_parse(words[k], &kind), 0);
        assert_int_equal(kind, k);
        assert_string_equal(design_kind_name(kind), words[k]);
    }
    design_kind kind = DESIGN_LHS;
    assert_int_equal(design_kind_parse("OAT", &kind), -1);
    assert_int_equal(design_kind_parse("", &kind), -1);
    assert_int_equal(design_kind_parse("sobol2", &kind), -1);
    assert_int_equal(kind, DESIGN_LHS);
}

/* The baseline first; then each dimension alone over evenly spaced values,
 * its ends exactly low and high, every other dimension at its base. */
static void test_oat_structure(void **state)
{
    (void)state;
    const design_dim dims[] = {
        {0.1, 0.7, 0.3, false}, {6000.0, 9000.0, 6900.0, false}, {-2.0, 5.0, 9.0, false}};
    design d;
    err_info e;
    assert_int_equal(design_make(&d, DESIGN_OAT, dims, 3, 4, 1, &e), 0);
    assert_int_equal(d.n_points, 1 + 3 * 4);
    assert_int_equal(d.n_dims, 3);
    assert_non_null(d.varied);
    assert_int_equal(d.varied[0], -1);
    for (size_t i = 0; i < 3; i++)
        assert_true(design_at(&d, 0, i) == dims[i].base);
    for (size_t i = 0; i < 3; i++)
        for (size_t j = 0; j < 4; j++) {
            size_t p = 1 + i * 4 + j;
            assert_int_equal(d.varied[p], (int)i);
            for (size_t o = 0; o < 3; o++)
                if (o != i)
                    assert_true(design_at(&d, p, o) == dims[o].base);
            double want = dims[i].low + (dims[i].high - dims[i].low) * (double)j / 3.0;
            assert_true(fabs(design_at(&d, p, i) - want) <= 1e-12 * fabs(want));
        }
    /* The ends are the range's own numbers, bit for bit. */
    for (size_t i = 0; i < 3; i++) {
        assert_true(design_at(&d, 1 + i * 4, i) == dims[i].low);
        assert_true(design_at(&d, 1 + i * 4 + 3, i) == dims[i].high);
    }
    design_fini(&d);
    assert_null(d.x);
    design_fini(&d); /* twice is safe */
}

/* Every dimension: each of the n strata [low + s w, low + (s+1) w) holds
 * exactly one point, and every point is inside the range. */
static void check_strata(const design *d, const design_dim *dims)
{
    size_t n = d->n_points;
    int *seen = calloc(n, sizeof *seen);
    assert_non_null(seen);
    for (size_t i = 0; i < d->n_dims; i++) {
        memset(seen, 0, n * sizeof *seen);
        double w = (dims[i].high - dims[i].low) / (double)n;
        for (size_t p = 0; p < n; p++) {
            double v = design_at(d, p, i);
            assert_true(v >= dims[i].low && v < dims[i].high);
            size_t s = (size_t)floor((v - dims[i].low) / w);
            assert_true(s < n);
            seen[s]++;
        }
        for (size_t s = 0; s < n; s++)
            if (seen[s] != 1)
                fail_msg("dimension %zu, stratum %zu of %zu holds %d points; expected 1", i, s, n,
                         seen[s]);
    }
    free(seen);
}

static void test_lhs_one_point_per_stratum(void **state)
{
    (void)state;
    const design_dim dims[] = {{0.0, 1.0, 0, false},
                               {6200.0, 7600.0, 0, false},
                               {-3.0, -1.0, 0, false},
                               {0.05, 0.2, 0, false},
                               {1e-6, 2e-6, 0, false}};
    static const size_t sizes[] = {2, 3, 7, 16, 100, 997};
    for (size_t t = 0; t < sizeof sizes / sizeof sizes[0]; t++)
        for (uint64_t seed = 0; seed < 4; seed++) {
            design d;
            assert_int_equal(design_make(&d, DESIGN_LHS, dims, 5, sizes[t], seed, NULL), 0);
            assert_int_equal(d.n_points, sizes[t]);
            assert_null(d.varied);
            check_strata(&d, dims);
            design_fini(&d);
        }
}

/* Same seed, same design; another seed, another design. */
static void test_lhs_determinism(void **state)
{
    (void)state;
    const design_dim dims[] = {{0.0, 1.0, 0, false}, {10.0, 20.0, 0, false}};
    design a, b, c;
    assert_int_equal(design_make(&a, DESIGN_LHS, dims, 2, 20, 2023, NULL), 0);
    assert_int_equal(design_make(&b, DESIGN_LHS, dims, 2, 20, 2023, NULL), 0);
    assert_int_equal(design_make(&c, DESIGN_LHS, dims, 2, 20, 2024, NULL), 0);
    assert_memory_equal(a.x, b.x, 40 * sizeof *a.x);
    assert_true(memcmp(a.x, c.x, 40 * sizeof *a.x) != 0);
    /* The strata are shuffled independently per dimension: the points do
     * not lie along the diagonal (the same stratum in both dimensions). */
    size_t diagonal = 0;
    for (size_t p = 0; p < 20; p++)
        diagonal += floor(design_at(&a, p, 0) * 20) == floor((design_at(&a, p, 1) - 10.0) * 2);
    assert_true(diagonal < 20);
    design_fini(&a);
    design_fini(&b);
    design_fini(&c);
}

/* The first points of GSL's two-dimensional Sobol sequence, as printed in
 * GSL's manual (section "Quasi-Random Sequences", example program). */
static void test_sobol_known_points(void **state)
{
    (void)state;
    static const double known[][2] = {
        {0.5, 0.5}, {0.75, 0.25}, {0.25, 0.75}, {0.375, 0.375}, {0.875, 0.875}};
    const design_dim unit[] = {{0.0, 1.0, 0, false}, {0.0, 1.0, 0, false}};
    const design_dim ranged[] = {{10.0, 20.0, 0, false}, {-1.0, 1.0, 0, false}};
    design d, r;
    assert_int_equal(design_make(&d, DESIGN_SOBOL, unit, 2, 5, 99, NULL), 0);
    assert_int_equal(design_make(&r, DESIGN_SOBOL, ranged, 2, 5, 1, NULL), 0);
    for (size_t p = 0; p < 5; p++) {
        assert_true(design_at(&d, p, 0) == known[p][0]);
        assert_true(design_at(&d, p, 1) == known[p][1]);
        assert_true(design_at(&r, p, 0) == 10.0 + 10.0 * known[p][0]);
        assert_true(design_at(&r, p, 1) == -1.0 + 2.0 * known[p][1]);
    }
    design_fini(&d);
    design_fini(&r);
}

/* 40 dimensions (GSL's most): every point inside the box, the seed playing
 * no part, and the stratification that makes Sobol points even. Each
 * dimension of a Sobol sequence is a (0,1)-sequence: its points 0 .. 2^m - 1
 * fall one in each of 2^m equal strata. GSL starts from point 1 (point 0 is
 * the corner, 0 in every dimension), so its first 2^m - 1 points must fill
 * strata 1 .. 2^m - 1 once each and leave stratum 0 empty. */
static void test_sobol_stratified(void **state)
{
    (void)state;
    enum { M = 8, N = 1 << M };
    design_dim dims[DESIGN_SOBOL_MAX_DIMS];
    for (size_t i = 0; i < DESIGN_SOBOL_MAX_DIMS; i++)
        dims[i] = (design_dim){(double)i, (double)i + 0.5, 0, false};
    design a, b;
    assert_int_equal(design_make(&a, DESIGN_SOBOL, dims, DESIGN_SOBOL_MAX_DIMS, N - 1, 1, NULL), 0);
    assert_int_equal(design_make(&b, DESIGN_SOBOL, dims, DESIGN_SOBOL_MAX_DIMS, N - 1, 7, NULL), 0);
    assert_memory_equal(a.x, b.x, (N - 1) * DESIGN_SOBOL_MAX_DIMS * sizeof *a.x);
    for (size_t i = 0; i < DESIGN_SOBOL_MAX_DIMS; i++) {
        int seen[N] = {0};
        for (size_t p = 0; p < N - 1; p++) {
            double v = design_at(&a, p, i);
            assert_true(v >= dims[i].low && v < dims[i].high);
            seen[(size_t)floor((v - dims[i].low) / 0.5 * N)]++;
        }
        for (size_t s = 0; s < N; s++)
            if (seen[s] != (s > 0))
                fail_msg("dimension %zu: stratum %zu of %d holds %d points; expected %d", i, s, N,
                         seen[s], s > 0);
    }
    design_fini(&a);
    design_fini(&b);
}

static void test_integer_dimensions_are_rounded(void **state)
{
    (void)state;
    const design_dim dims[] = {{80.0, 120.0, 100.0, true}, {0.5, 3.0, 1.0, true}};
    for (int kind = 0; kind < 3; kind++) {
        design d;
        assert_int_equal(design_make(&d, (design_kind)kind, dims, 2, 7, 5, NULL), 0);
        for (size_t p = 0; p < d.n_points; p++)
            for (size_t i = 0; i < 2; i++) {
                double v = design_at(&d, p, i);
                assert_true(v == round(v));
                assert_true(v >= round(dims[i].low) && v <= dims[i].high);
            }
        design_fini(&d);
    }
}

/* Each refusal: ERR_INPUT, a message saying what was expected, d zeroed. */
static void test_bad_arguments(void **state)
{
    (void)state;
    const design_dim ok = {0.0, 1.0, 0.5, false};
    struct {
        design_kind kind;
        design_dim dim;
        size_t n_dims, points;
        const char *says;
    } cases[] = {
        {DESIGN_OAT, {0.0, 1.0, 0.5, false}, 0, 3, "at least one dimension"},
        {DESIGN_LHS, {0.0, 1.0, 0.5, false}, 1, 1, "expected at least 2"},
        {DESIGN_SOBOL, {0.0, 1.0, 0.5, false}, 1, 0, "expected at least 2"},
        {DESIGN_OAT, {1.0, 0.0, 0.5, false}, 1, 3, "low < high"},
        {DESIGN_LHS, {1.0, 1.0, 0.5, false}, 1, 3, "low < high"},
        {DESIGN_LHS, {NAN, 1.0, 0.5, false}, 1, 3, "finite"},
        {DESIGN_SOBOL, {0.0, INFINITY, 0.5, false}, 1, 3, "finite"},
        {DESIGN_OAT, {0.0, 1.0, NAN, false}, 1, 3, "baseline"},
        {DESIGN_SOBOL, {0.0, 1.0, 0.5, false}, DESIGN_SOBOL_MAX_DIMS + 1, 3, "at most 40"},
        {DESIGN_LHS, {0.0, 1.0, 0.5, false}, 1, DESIGN_MAX_POINTS + 1, "at most"},
        {DESIGN_OAT, {0.0, 1.0, 0.5, false}, 3, DESIGN_MAX_POINTS / 2, "at most"},
    };
    design_dim dims[DESIGN_SOBOL_MAX_DIMS + 1];
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        for (size_t i = 0; i < DESIGN_SOBOL_MAX_DIMS + 1; i++)
            dims[i] = ok;
        dims[cases[c].n_dims > 1 ? cases[c].n_dims - 1 : 0] = cases[c].dim;
        design d;
        err_info e;
        err_clear(&e);
        memset(&d, 0xff, sizeof d);
        int rc = design_make(&d, cases[c].kind, dims, cases[c].n_dims, cases[c].points, 1, &e);
        if (rc != ERR_INPUT || strstr(e.text, cases[c].says) == NULL)
            fail_msg("case %zu: %d \"%s\"; expected ERR_INPUT saying \"%s\"", c, rc, e.text,
                     cases[c].says);
        assert_null(d.x);
        assert_null(d.varied);
        assert_int_equal(d.n_points, 0);
    }
    /* A base outside the range is fine for OAT, and ignored by LHS. */
    design d;
    const design_dim outside = {0.0, 1.0, 7.0, false};
    assert_int_equal(design_make(&d, DESIGN_OAT, &outside, 1, 2, 1, NULL), 0);
    design_fini(&d);
}

/* Every allocation of every kind failed in turn: ERR_NOMEM, nothing leaked. */
static void test_allocation_failure(void **state)
{
    (void)state;
    const design_dim dims[] = {{0.0, 1.0, 0.5, false}, {2.0, 3.0, 2.5, false}};
    for (int kind = 0; kind < 3; kind++) {
        for (long n = 1;; n++) {
            failing fa = {0};
            fa.fail_at = n;
            const mem_hooks hooks = {failing_alloc, failing_resize, failing_release, &fa};
            design d;
            err_info e;
            mem_set_hooks(&hooks);
            int rc = design_make(&d, (design_kind)kind, dims, 2, 9, 3, &e);
            if (rc == 0)
                design_fini(&d);
            mem_set_hooks(NULL);
            assert_int_equal(fa.live, 0);
            if (rc == 0) {
                assert_true(fa.calls < n); /* every allocation has been failed once */
                break;
            }
            assert_int_equal(rc, ERR_NOMEM);
            assert_null(d.x);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kind_words),
        cmocka_unit_test(test_oat_structure),
        cmocka_unit_test(test_lhs_one_point_per_stratum),
        cmocka_unit_test(test_lhs_determinism),
        cmocka_unit_test(test_sobol_known_points),
        cmocka_unit_test(test_sobol_stratified),
        cmocka_unit_test(test_integer_dimensions_are_rounded),
        cmocka_unit_test(test_bad_arguments),
        cmocka_unit_test(test_allocation_failure),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
