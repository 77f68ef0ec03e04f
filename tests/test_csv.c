/* test_csv — the fixed number format and the summary table. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <gsl/gsl_errno.h>

#include "csv.h"

static void test_number_format(void **state)
{
    (void)state;
    static const struct {
        double v;
        const char *text;
    } cases[] = {
        {0.0, "0"},       {-0.0, "0"},      {1.0, "1"},
        {8334.0, "8334"}, {0.1, "0.1"},     {1.0 / 3.0, "0.3333333333"},
        {-2.5, "-2.5"},   {1e-7, "1e-07"},  {123456789012.0, "1.23456789e+11"},
        {NAN, "NA"},      {INFINITY, "NA"}, {-INFINITY, "NA"},
    };
    char buf[CSV_NUM_MAX];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        assert_string_equal(csv_num(buf, cases[i].v), cases[i].text);
}

static void test_summary_table(void **state)
{
    (void)state;
    /* Two metrics over three replications, row-major by replication. */
    const char *names[] = {"node.A.L", "node.A.utilisation"};
    const double results[] = {1.0, NAN, 2.0, NAN, 3.0, NAN};
    char *text = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&text, &len);
    csv_write_summary(fp, names, 2, results, 3);
    fclose(fp);
    /* mean 2, sd 1, half-width t(0.975, 2) / sqrt(3) = 4.302652730 / 1.732050808 */
    assert_string_equal(text, "metric,mean,ci95_low,ci95_high,sd,n\n"
                              "node.A.L,2,-0.4841377118,4.484137712,1,3\n"
                              "node.A.utilisation,NA,NA,NA,NA,3\n");
    free(text);
}

static void test_one_replication_has_no_interval(void **state)
{
    (void)state;
    const char *names[] = {"x"};
    const double results[] = {4.25};
    char *text = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&text, &len);
    csv_write_summary(fp, names, 1, results, 1);
    fclose(fp);
    assert_string_equal(text, "metric,mean,ci95_low,ci95_high,sd,n\nx,4.25,NA,NA,NA,1\n");
    free(text);
}

int main(void)
{
    gsl_set_error_handler_off();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_number_format),
        cmocka_unit_test(test_summary_table),
        cmocka_unit_test(test_one_replication_has_no_interval),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
