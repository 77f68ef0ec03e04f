/* test_rng — stream seeds depend on (seed, replication, purpose, name) and
 * nothing else; streams are reproducible and mutually uncorrelated. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>
#include <gsl/gsl_errno.h>

#include "rng.h"

static void test_fnv1a_known_answers(void **state)
{
    (void)state;
    /* Published FNV-1a 64-bit test vectors. */
    assert_true(rng_hash_name("") == UINT64_C(0xcbf29ce484222325));
    assert_true(rng_hash_name("a") == UINT64_C(0xaf63dc4c8601ec8c));
    assert_true(rng_hash_name("foobar") == UINT64_C(0x85944171f73967e8));
}

static void test_seed_depends_on_every_component(void **state)
{
    (void)state;
    unsigned long base = rng_seed_for(1, 0, "service", "A");
    assert_true(base == rng_seed_for(1, 0, "service", "A"));
    assert_true(base != rng_seed_for(2, 0, "service", "A"));
    assert_true(base != rng_seed_for(1, 1, "service", "A"));
    assert_true(base != rng_seed_for(1, 0, "route", "A"));
    assert_true(base != rng_seed_for(1, 0, "service", "B"));
    assert_true(base != 0 && base <= 0xffffffffUL);
}

/* Seeds for 10,000 (replication, name) pairs: no collisions (expected
 * collisions at 32 bits: about 0.01). */
static void test_no_collisions_in_a_large_study(void **state)
{
    (void)state;
    enum { N = 10000 };
    static unsigned long seeds[N];
    char name[32];
    for (int i = 0; i < N; i++) {
        snprintf(name, sizeof name, "node%d", i % 100);
        seeds[i] = rng_seed_for(12345, (uint32_t)(i / 100), "service", name);
    }
    for (int i = 0; i < N; i++)
        for (int j = i + 1; j < N; j++)
            assert_true(seeds[i] != seeds[j]);
}

static void test_streams_reproducible_and_independent(void **state)
{
    (void)state;
    enum { N = 100000 };
    gsl_rng *a = rng_open(rng_seed_for(7, 3, "arrival", "contacts"));
    gsl_rng *a2 = rng_open(rng_seed_for(7, 3, "arrival", "contacts"));
    gsl_rng *b = rng_open(rng_seed_for(7, 3, "arrival", "contacts2"));
    assert_non_null(a);
    assert_non_null(a2);
    assert_non_null(b);
    double sxy = 0, sx = 0, sy = 0, sxx = 0, syy = 0;
    for (int i = 0; i < N; i++) {
        double x = gsl_rng_uniform(a), y = gsl_rng_uniform(b);
        assert_true(x == gsl_rng_uniform(a2));
        sx += x;
        sy += y;
        sxy += x * y;
        sxx += x * x;
        syy += y * y;
    }
    double cov = sxy / N - (sx / N) * (sy / N);
    double corr = cov / sqrt((sxx / N - (sx / N) * (sx / N)) * (syy / N - (sy / N) * (sy / N)));
    /* Under independence corr ~ N(0, 1/N): 5 standard errors is 0.0158. */
    assert_true(fabs(corr) < 5.0 / sqrt((double)N));
    /* Re-seeding restarts the stream. */
    rng_reseed(a, rng_seed_for(7, 3, "arrival", "contacts"));
    rng_reseed(a2, rng_seed_for(7, 3, "arrival", "contacts"));
    assert_true(gsl_rng_get(a) == gsl_rng_get(a2));
    gsl_rng_free(a);
    gsl_rng_free(a2);
    gsl_rng_free(b);
}

/* rng_word and rng_uniform are GSL's MT19937, word for word: a million words
 * (1,600 refills) from twins, interleaving GSL's calls on the inlined stream
 * (they share the state), for seeds including 0 (GSL's default 4357). */
static void test_word_matches_gsl(void **state)
{
    (void)state;
    static const unsigned long seeds[] = {0, 1, 4357, 123456789, 0xffffffffUL};
    for (size_t i = 0; i < sizeof seeds / sizeof seeds[0]; i++) {
        gsl_rng *a = rng_open(seeds[i]), *b = rng_open(seeds[i]);
        assert_true(a != NULL && b != NULL);
        for (long k = 0; k < 1000000; k++) {
            if (k % 1000 == 999) {
                assert_true(gsl_rng_get(a) == gsl_rng_get(b)); /* GSL on both */
            } else if (k % 2) {
                assert_true(rng_uniform(a) == gsl_rng_uniform(b));
            } else if (rng_word(a) != gsl_rng_get(b)) {
                print_error("seed %lu: word %ld differs from GSL's\n", seeds[i], k);
                fail();
            }
        }
        gsl_rng_free(a);
        gsl_rng_free(b);
    }
    /* Another generator type goes through its own get function. */
    gsl_rng *t1 = gsl_rng_alloc(gsl_rng_taus2), *t2 = gsl_rng_alloc(gsl_rng_taus2);
    assert_true(t1 != NULL && t2 != NULL);
    for (int k = 0; k < 1000; k++)
        assert_true(rng_word(t1) == gsl_rng_get(t2));
    gsl_rng_free(t1);
    gsl_rng_free(t2);
}

/* rng_reseed_many leaves every stream as rng_reseed does: nine streams (two
 * batches of four and one over), one of them of another type, with seeds
 * including 0, each compared for 2,000 words (three refills) with a twin. */
static void test_reseed_many_matches_reseed(void **state)
{
    (void)state;
    enum { N = 9 };
    static const unsigned long seeds[N] = {0, 1, 4357, 99, 123456789, 0xffffffffUL, 7, 8, 9};
    gsl_rng *a[N], *b[N];
    for (int i = 0; i < N; i++) {
        a[i] = i == 6 ? gsl_rng_alloc(gsl_rng_taus2) : rng_open(5);
        b[i] = i == 6 ? gsl_rng_alloc(gsl_rng_taus2) : rng_open(5);
        assert_true(a[i] != NULL && b[i] != NULL);
        (void)gsl_rng_get(a[i]); /* a used state, as between replications */
        rng_reseed(b[i], seeds[i]);
    }
    rng_reseed_many(a, seeds, N);
    for (int i = 0; i < N; i++) {
        for (int k = 0; k < 2000; k++)
            if (rng_word(a[i]) != rng_word(b[i])) {
                print_error("stream %d (seed %lu): word %d differs\n", i, seeds[i], k);
                fail();
            }
        gsl_rng_free(a[i]);
        gsl_rng_free(b[i]);
    }
    rng_reseed_many(NULL, NULL, 0);
}

int main(void)
{
    gsl_set_error_handler_off();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fnv1a_known_answers),
        cmocka_unit_test(test_seed_depends_on_every_component),
        cmocka_unit_test(test_no_collisions_in_a_large_study),
        cmocka_unit_test(test_streams_reproducible_and_independent),
        cmocka_unit_test(test_word_matches_gsl),
        cmocka_unit_test(test_reseed_many_matches_reseed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
