/* test_mintree — the tournament tree the workforce allocates from: the least
 * key, agreeing with a scan after every one of 10^5 random operations (keys
 * packed as the workforce packs them: load above index, so ties in load go
 * to the lowest index); growth keeping members; growth failure leaving the
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

static uint64_t pack(uint32_t load, uint32_t i)
{
    return (uint64_t)load << 32 | i;
}

/* The reference: the first strictly smaller load in index order. */
static uint64_t scan(const uint32_t *load, const int *member, uint32_t n)
{
    uint32_t best = UINT32_MAX;
    for (uint32_t i = 0; i < n; i++)
        if (member[i] && (best == UINT32_MAX || load[i] < load[best]))
            best = i;
    return best == UINT32_MAX ? MINTREE_EMPTY : pack(load[best], best);
}

static void test_empty_and_ties(void **state)
{
    (void)state;
    mintree t;
    mintree_init(&t);
    assert_true(mintree_min(&t) == MINTREE_EMPTY);
    assert_int_equal(mintree_resize(&t, 8), 0);
    assert_true(mintree_min(&t) == MINTREE_EMPTY);
    mintree_set(&t, 6, pack(2, 6));
    mintree_set(&t, 3, pack(2, 3));
    mintree_set(&t, 5, pack(2, 5));
    assert_true(mintree_min(&t) == pack(2, 3)); /* equal loads: the lowest index */
    mintree_set(&t, 6, pack(1, 6));
    assert_true(mintree_min(&t) == pack(1, 6));
    mintree_set(&t, 6, pack(2, 6));
    assert_true(mintree_min(&t) == pack(2, 3));
    mintree_remove(&t, 3);
    mintree_remove(&t, 3); /* not a member: nothing happens */
    assert_true(mintree_min(&t) == pack(2, 5));
    mintree_clear(&t);
    assert_true(mintree_min(&t) == MINTREE_EMPTY);
    mintree_set(&t, 0, 0);
    assert_true(mintree_min(&t) == 0);
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
    mintree_set(&t, 0, 4);
    assert_true(mintree_min(&t) == 4);
    mintree_remove(&t, 0);
    assert_true(mintree_min(&t) == MINTREE_EMPTY);
    mintree_fini(&t);
}

/* Loads as a team's are: small, changing by a few units, with many ties. */
static void test_churn_against_scan(void **state)
{
    (void)state;
    enum { MAX = 128 };
    uint32_t load[MAX] = {0};
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
            uint32_t d = (uint32_t)gsl_rng_uniform_int(r, 5);
            load[i] = member[i] ? (load[i] + d >= 2 ? load[i] + d - 2 : 0)
                                : (uint32_t)gsl_rng_uniform_int(r, 8);
            member[i] = 1;
            mintree_set(&t, i, pack(load[i], i));
        }
        assert_true(mintree_min(&t) == scan(load, member, n));
    }
    gsl_rng_free(r);
    mintree_fini(&t);
}

static void test_growth_failure_keeps_the_tree(void **state)
{
    (void)state;
    mintree t;
    mintree_init(&t);
    assert_int_equal(mintree_resize(&t, 4), 0);
    mintree_set(&t, 2, pack(1, 2));
    mintree_set(&t, 1, pack(3, 1));
    failing fa = {.fail_at = 1};
    const mem_hooks hooks = {failing_alloc, failing_resize, failing_release, &fa};
    mem_set_hooks(&hooks);
    assert_int_equal(mintree_resize(&t, 8), ERR_NOMEM);
    mem_set_hooks(NULL);
    assert_int_equal(t.n, 4);
    assert_true(mintree_min(&t) == pack(1, 2));
    mintree_remove(&t, 2);
    assert_true(mintree_min(&t) == pack(3, 1));
    assert_int_equal(mintree_resize(&t, 8), 0);
    assert_true(mintree_min(&t) == pack(3, 1));
    mintree_set(&t, 7, pack(0, 7));
    assert_true(mintree_min(&t) == pack(0, 7));
    mintree_fini(&t);
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
