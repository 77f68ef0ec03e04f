/* test_err — message formatting with and without locations, truncation. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "err.h"

static void test_formats(void **state)
{
    (void)state;
    err_info e;
    assert_int_equal(err_set(&e, ERR_INPUT, "s.cfg", 12, "bad %s", "thing"), ERR_INPUT);
    assert_string_equal(e.text, "s.cfg:12: bad thing");
    assert_int_equal(e.code, ERR_INPUT);
    err_set(&e, ERR_IO, "out/x.csv", 0, "cannot write");
    assert_string_equal(e.text, "out/x.csv: cannot write");
    err_set(&e, ERR_NOMEM, NULL, 0, "plain");
    assert_string_equal(e.text, "plain");
    err_clear(&e);
    assert_int_equal(e.code, ERR_OK);
    assert_string_equal(e.text, "");
    assert_int_equal(err_set(NULL, ERR_LIMIT, NULL, 0, "x"), ERR_LIMIT);
    err_clear(NULL);
}

static void test_truncates_safely(void **state)
{
    (void)state;
    err_info e;
    char longname[3000];
    memset(longname, 'x', sizeof longname - 1);
    longname[sizeof longname - 1] = '\0';
    err_set(&e, ERR_INPUT, longname, 7, "%s", longname);
    assert_int_equal(strlen(e.text), ERR_TEXT_MAX - 1);
}

static void test_code_names(void **state)
{
    (void)state;
    assert_string_equal(err_code_name(ERR_NOMEM), "out of memory");
    assert_string_equal(err_code_name(ERR_INTERRUPT), "interrupted");
    assert_string_equal(err_code_name(-99), "unknown error");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_formats),
        cmocka_unit_test(test_truncates_safely),
        cmocka_unit_test(test_code_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
