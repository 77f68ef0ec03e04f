/* test_cli — strict parsing of command-line words and the default output
 * folder. (The binary itself is exercised by tests/e2e/run.sh.) */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "cli/cli.h"

static int parse(bool run_flags, cli_args *a, err_info *e, int argc, ...)
{
    char *argv[16];
    va_list ap;
    va_start(ap, argc);
    for (int i = 0; i < argc; i++)
        argv[i] = va_arg(ap, char *);
    va_end(ap);
    return cli_parse_args(argc, argv, run_flags, a, e);
}

static void test_numbers_are_strict(void **state)
{
    (void)state;
    uint64_t v;
    assert_int_equal(cli_parse_u64("10", 1, 100, &v), 0);
    assert_int_equal(v, 10);
    const char *bad[] = {
        "", "-1", "+1", " 1", "1 ", "10x", "1e3", "0x10", "101", "0", "99999999999999999999999"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(cli_parse_u64(bad[i], 1, 100, &v), -1);
}

static void test_run_flags(void **state)
{
    (void)state;
    cli_args a;
    err_info e;
    assert_int_equal(parse(true, &a, &e, 8, "s.cfg", "--out", "o", "--replications=5", "--seed",
                           "0", "--jobs", "3"),
                     0);
    assert_string_equal(a.scenario, "s.cfg");
    assert_string_equal(a.out, "o");
    assert_true(a.has_replications && a.replications == 5);
    assert_true(a.has_seed && a.seed == 0);
    assert_int_equal(a.jobs, 3);
    assert_int_equal(parse(true, &a, &e, 3, "s.cfg", "--replications", "abc"), ERR_INPUT);
    assert_non_null(strstr(e.text, "--replications 'abc'"));
    assert_int_equal(parse(true, &a, &e, 3, "s.cfg", "--jobs", "0"), ERR_INPUT);
    assert_int_equal(parse(true, &a, &e, 2, "s.cfg", "--seed"), ERR_INPUT);
    assert_non_null(strstr(e.text, "--seed needs a value"));
    /* a forgotten value is named, not filled with the next option */
    assert_int_equal(parse(true, &a, &e, 4, "s.cfg", "--out", "--jobs", "2"), ERR_INPUT);
    assert_non_null(strstr(e.text, "--out needs a value; got the option '--jobs'"));
    assert_int_equal(parse(true, &a, &e, 2, "s.cfg", "--out=--odd"), 0);
    assert_string_equal(a.out, "--odd");
    assert_int_equal(parse(true, &a, &e, 2, "s.cfg", "--colour"), ERR_INPUT);
    assert_non_null(strstr(e.text, "unknown option '--colour'"));
    assert_int_equal(parse(true, &a, &e, 2, "a.cfg", "b.cfg"), ERR_INPUT);
    assert_int_equal(parse(true, &a, &e, 0), ERR_INPUT);
    assert_non_null(strstr(e.text, "no scenario file"));
    assert_int_equal(parse(false, &a, &e, 3, "s.cfg", "--out", "o"), ERR_INPUT);
    assert_int_equal(parse(false, &a, &e, 1, "--help"), 0);
    assert_true(a.help);
}

static void test_default_out(void **state)
{
    (void)state;
    char buf[64];
    cli_default_out("scenarios/bridgend-2022.cfg", buf, sizeof buf);
    assert_string_equal(buf, "output/bridgend-2022");
    cli_default_out("mmc.cfg", buf, sizeof buf);
    assert_string_equal(buf, "output/mmc");
    cli_default_out("dir/plain", buf, sizeof buf);
    assert_string_equal(buf, "output/plain");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_numbers_are_strict),
        cmocka_unit_test(test_run_flags),
        cmocka_unit_test(test_default_out),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
