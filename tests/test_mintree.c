/* test_mintree — the tournament tree the workforce allocates from: the least
 * key with ties to the lowest index, agreeing with a scan after every one of
 * 10^5 random operations; growth keeping members; growth failure leaving the
 * tree intact. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>
#include <gsl/gsl_rng.h>

#include "err.h"
#include "mem.h"
#include "pathway/mintree.h"
#include "support/failing_mem.h"

/* The reference: the first strictly smaller key in index order. */
static uint32_t scan(const double *key, const int *member, uint32_t n)
{
    uint32_t best = MINTREE_NONE;
    for (uint32_t i = 0; i < n; i++)
        if (member[i] && (best == MINTREE_NONE || key[i] < key[best]))
            best = i;
    return best;
}

static void test_empty_and_ties(void **state)
{
    (void)state;
    mintree t;
    mintree_init(&t);
    assert_int_equal(mintree_min(&t), MINTREE_NONE);
    assert_int_equal(mintree_resize(&t, 8), 0);
    assert_int_equal(mintree_min(&t), MINTREE_NONE);
    mintree_set(&t, 6, 2.0);
    mintree_set(&t, 3, 2.0);
    mintree_set(&t, 5, 2.0);
    assert_int_equal(mintree_min(&t), 3); /* equal keys: the lowest index */
    mintree_set(&t, 6, 1.5);
    assert_int_equal(mintree_min(&t), 6);
    mintree_set(&t, 6, 2.0);
    assert_int_equal(mintree_min(&t), 3);
    mintree_remove(&t, 3);
    mintree_remove(&t, 3); /* not a member: nothing happens */
    assert_int_equal(mintree_min(&t), 5);
    mintree_clear(&t);
    assert_int_equal(mintree_min(&t), MINTREE_NONE);
    mintree_set(&t, 0, -1.0);
    assert_int_equal(mintree_min(&t), 0);
    mintree_fini(&t);
    assert_int_equal(t.n, 0);
    mintree_fini(&t); /* twice is harmless */
}

static void test_single_slot(void **state)
{
    (void)state;
    mintree t;
    mintree_init(&t);
    assert_int_equal(mintree_resize(&t, 1), 0);
    mintree_set(&t, 0, 4.0);
    assert_int_equal(mintree_min(&t), 0);
    mintree_remove(&t, 0);
    assert_int_equal(mintree_min(&t), MINTREE_NONE);
    mintree_fini(&t);
}

/* Loads as a team's are: sums of a few weights, with many ties. */
static void test_churn_against_scan(void **state)
{
    (void)state;
    enum { MAX = 128 };
    double key[MAX] = {0};
    int member[MAX] = {0};
    uint32_t n = 4;
    mintree t;
    mintree_init(&t);
    assert_int_equal(mintree_resize(&t, n), 0);
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 2024);
    for (int step = 0; step < 100000; step++) {
        uint32_t i = (uint32_t)gsl_rng_uniform_int(r, n);
        unsigned op = (unsigned)gsl_rng_uniform_int(r, 10);
        if (op == 0 && n < MAX) {
            n *= 2;
            assert_int_equal(mintree_resize(&t, n), 0);
        } else if (op <= 2) {
            mintree_remove(&t, i);
            member[i] = 0;
        } else {
            key[i] = member[i] ? key[i] + 0.5 * (double)gsl_rng_uniform_int(r, 5) - 1.0
                               : (double)gsl_rng_uniform_int(r, 8);
            member[i] = 1;
            mintree_set(&t, i, key[i]);
        }
        assert_int_equal(mintree_min(&t), scan(key, member, n));
    }
    gsl_rng_free(r);
    mintree_fini(&t);
}

static void test_growth_failure_keeps_the_tree(void **state)
{
    (void)state;
    for (long k = 1; k <= 2; k++) {
        mintree t;
        mintree_init(&t);
        assert_int_equal(mintree_resize(&t, 4), 0);
        mintree_set(&t, 2, 1.0);
        mintree_set(&t, 1, 3.0);
        failing fa = {.fail_at = k};
        const mem_hooks hooks = {failing_alloc, failing_resize, failing_release, &fa};
        mem_set_hooks(&hooks);
        assert_int_equal(mintree_resize(&t, 8), ERR_NOMEM);
        mintree_remove(&t, 2);
        mem_set_hooks(NULL);
        assert_int_equal(t.n, 4);
        assert_int_equal(mintree_min(&t), 1);
        assert_int_equal(mintree_resize(&t, 8), 0);
        assert_int_equal(mintree_min(&t), 1);
        mintree_set(&t, 7, 0.0);
        assert_int_equal(mintree_min(&t), 7);
        mintree_fini(&t);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty_and_ties),
        cmocka_unit_test(test_single_slot),
        cmocka_unit_test(test_churn_against_scan),
        cmocka_unit_test(test_growth_failure_keeps_the_tree),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
