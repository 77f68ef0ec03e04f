/* test_net — building and validating networks; traffic equations through
 * net_traffic; duplicate names; ownership of service distributions. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <gsl/gsl_errno.h>

#include "net.h"

static uint32_t add(net *n, const char *name, unsigned servers)
{
    dist d;
    err_info e;
    uint32_t i;
    assert_int_equal(dist_init_exponential(&d, 1.0, &e), 0);
    assert_int_equal(net_add_node(n, name, servers, &d, &i, &e), 0);
    assert_true(d.kind == DIST_EXPONENTIAL && d.table == NULL); /* ownership moved */
    return i;
}

static void test_build_and_find(void **state)
{
    (void)state;
    net n;
    err_info e;
    net_init(&n);
    /* Enough nodes and routes to exercise growth of every array. */
    char name[16];
    for (int i = 0; i < 40; i++) {
        snprintf(name, sizeof name, "n%d", i);
        assert_int_equal(add(&n, name, (unsigned)i % 3), (uint32_t)i);
    }
    for (uint32_t i = 0; i + 1 < 40; i++)
        for (int k = 0; k < 5; k++)
            assert_int_equal(net_add_route(&n, i, i + 1, 0.2, &e), 0);
    assert_int_equal(net_add_source(&n, "s", 0, 1.0, &e), 0);
    assert_int_equal(net_validate(&n, &e), 0);
    assert_int_equal(net_find_node(&n, "n17"), 17);
    assert_int_equal(net_find_node(&n, "nope"), NET_NONE);
    assert_true(n.nodes[3].routes[4].cum == 1.0);
    assert_true(fabs(n.nodes[3].routes[1].cum - 0.4) < 1e-15);
    double lambda[40];
    assert_int_equal(net_traffic(&n, lambda, &e), 0);
    for (int i = 0; i < 40; i++)
        assert_true(fabs(lambda[i] - 1.0) < 1e-12); /* a tandem line */
    net_fini(&n);
}

static void test_rejections(void **state)
{
    (void)state;
    net n;
    err_info e;
    net_init(&n);
    add(&n, "A", 1);
    dist d;
    assert_int_equal(dist_init_exponential(&d, 1.0, &e), 0);
    assert_int_equal(net_add_node(&n, "A", 1, &d, NULL, &e), ERR_INPUT);
    assert_non_null(strstr(e.text, "duplicate node name 'A'"));
    dist_fini(&d);
    assert_int_equal(net_add_source(&n, "s", 0, 1.0, &e), 0);
    assert_int_equal(net_add_source(&n, "s", 0, 2.0, &e), ERR_INPUT);
    assert_non_null(strstr(e.text, "duplicate arrival source name 's'"));
    assert_int_equal(net_add_route(&n, 0, NET_EXIT, 0.5, &e), 0);
    assert_int_equal(net_add_route(&n, 0, 0, 0.4, &e), 0);
    assert_int_equal(net_validate(&n, &e), ERR_INPUT);
    assert_non_null(strstr(e.text, "sum to 0.9"));
    n.nodes[0].routes[1].p = 0.5;
    assert_int_equal(net_validate(&n, &e), 0);
    n.nodes[0].routes[1].p = 1.0;
    n.nodes[0].routes[0].p = 0.0;
    assert_int_equal(net_validate(&n, &e), 0);
    double lambda[1];
    assert_int_equal(net_traffic(&n, lambda, &e), ERR_INPUT); /* a loop with no way out */
    n.nodes[0].routes[1].p = 0.5;
    n.nodes[0].routes[0].p = 0.5;
    n.sources[0].rate_per_day = -1.0;
    assert_int_equal(net_validate(&n, &e), ERR_INPUT);
    assert_non_null(strstr(e.text, "rate_per_day"));
    net_fini(&n);
}

int main(void)
{
    gsl_set_error_handler_off();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_build_and_find),
        cmocka_unit_test(test_rejections),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
