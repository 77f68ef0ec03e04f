/* test_mem — the allocation hook: overflow guards, zeroing, hook swap. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "mem.h"

static int calls;
static void *counting_alloc(void *ud, size_t n)
{
    (void)ud;
    calls++;
    return malloc(n);
}
static void *counting_resize(void *ud, void *p, size_t n)
{
    (void)ud;
    calls++;
    return realloc(p, n);
}
static void counting_free(void *ud, void *p)
{
    (void)ud;
    calls++;
    free(p);
}

static void test_guards(void **state)
{
    (void)state;
    assert_null(mem_alloc(0));
    assert_null(mem_calloc(SIZE_MAX / 2, 4)); /* n * size overflows */
    assert_null(mem_resize(NULL, SIZE_MAX / 2, 4));
    unsigned char *z = mem_calloc(100, 1);
    assert_non_null(z);
    for (int i = 0; i < 100; i++)
        assert_int_equal(z[i], 0);
    mem_free(z);
    mem_free(NULL);
    char *s = mem_strdup("caseflow");
    assert_string_equal(s, "caseflow");
    mem_free(s);
}

static void test_hooks_route_everything(void **state)
{
    (void)state;
    mem_hooks h = {counting_alloc, counting_resize, counting_free, NULL};
    calls = 0;
    mem_set_hooks(&h);
    void *p = mem_alloc(10);
    p = mem_resize(p, 2, 10);
    mem_free(p);
    mem_set_hooks(NULL);
    assert_int_equal(calls, 3);
    p = mem_alloc(10); /* back to libc: not counted */
    mem_free(p);
    assert_int_equal(calls, 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_guards),
        cmocka_unit_test(test_hooks_route_everything),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
