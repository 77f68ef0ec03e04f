/* test_pool — objects are distinct, reused, survive growth, and the
 * pool recovers from allocation failure. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "mem.h"
#include "pool.h"

typedef struct thing {
    uint64_t id;
    double payload[5];
} thing;

static void test_get_put_reuse(void **state)
{
    (void)state;
    pool p;
    pool_init(&p, sizeof(thing));
    thing *a = pool_get(&p), *b = pool_get(&p);
    assert_non_null(a);
    assert_non_null(b);
    assert_ptr_not_equal(a, b);
    assert_int_equal(p.live, 2);
    a->id = 7;
    pool_put(&p, a);
    thing *c = pool_get(&p);
    assert_ptr_equal(c, a); /* LIFO reuse */
    pool_put(&p, NULL);
    assert_int_equal(p.live, 2);
    pool_fini(&p);
}

/* Many chunks' worth of live objects: all distinct, all intact after growth. */
static void test_growth_keeps_pointers(void **state)
{
    (void)state;
    enum { N = 300000 };
    pool p;
    pool_init(&p, sizeof(thing));
    thing **all = malloc(N * sizeof *all);
    for (size_t i = 0; i < N; i++) {
        all[i] = pool_get(&p);
        assert_non_null(all[i]);
        all[i]->id = i;
    }
    for (size_t i = 0; i < N; i++)
        assert_int_equal(all[i]->id, i);
    assert_int_equal(p.peak, N);
    size_t cap = p.capacity;
    /* Reset, then the same demand allocates no new chunk. */
    pool_reset(&p);
    for (size_t i = 0; i < N; i++)
        assert_non_null(pool_get(&p));
    assert_int_equal(p.capacity, cap);
    free(all);
    pool_fini(&p);
}

static int fail_after;
static void *failing_alloc(void *ud, size_t n)
{
    (void)ud;
    return fail_after-- > 0 ? malloc(n) : NULL;
}
static void *plain_resize(void *ud, void *q, size_t n)
{
    (void)ud;
    return realloc(q, n);
}
static void plain_free(void *ud, void *q)
{
    (void)ud;
    free(q);
}

static void test_allocation_failure(void **state)
{
    (void)state;
    mem_hooks hooks = {failing_alloc, plain_resize, plain_free, NULL};
    pool p;
    pool_init(&p, sizeof(thing));
    fail_after = 1;
    mem_set_hooks(&hooks);
    size_t got = 0;
    while (pool_get(&p) != NULL)
        got++;
    mem_set_hooks(NULL);
    assert_int_equal(got, p.capacity);
    assert_int_equal(p.live, got);
    /* Once memory is back the pool carries on. */
    assert_non_null(pool_get(&p));
    pool_fini(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_get_put_reuse),
        cmocka_unit_test(test_growth_keeps_pointers),
        cmocka_unit_test(test_allocation_failure),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
