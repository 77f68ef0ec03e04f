/* test_progress — the replications progress bar: its text (one process, and
 * rank 0's share under MPI), and when it shows (a terminal or
 * CASEFLOW_PROGRESS, after a second), redraws and clears. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cli/progress.h"

static void test_format(void **state)
{
    (void)state;
    char b[160];
    cli_progress_format(b, sizeof b, 12, 20, 0, 0, 0.8);
    assert_string_equal(b, "[############        ] 12/20 replications, 0.8 s elapsed, "
                           "about 0.5 s left");
    cli_progress_format(b, sizeof b, 0, 20, 0, 0, 1.2);
    assert_string_equal(b, "[                    ] 0/20 replications, 1.2 s elapsed");
    cli_progress_format(b, sizeof b, 20, 20, 0, 0, 3.0);
    assert_string_equal(b, "[####################] 20/20 replications, 3.0 s elapsed");
    cli_progress_format(b, sizeof b, 1, 3, 0, 0, 125.0);
    assert_string_equal(b, "[######              ] 1/3 replications, 2 min 05 s elapsed, "
                           "about 4 min 10 s left");
    cli_progress_format(b, sizeof b, 1, 2, 0, 0, 7500.0);
    assert_string_equal(b, "[##########          ] 1/2 replications, 2 h 05 min elapsed, "
                           "about 2 h 05 min left");
    /* a short buffer is cut, never overrun */
    char small[8];
    assert_int_equal(cli_progress_format(small, sizeof small, 1, 2, 0, 0, 1.0), 7);
    assert_string_equal(small, "[######");
}

/* Under MPI the bar counts rank 0's block and says whose and of what. */
static void test_format_share(void **state)
{
    (void)state;
    char b[200];
    cli_progress_format(b, sizeof b, 4, 10, 20, 2, 1.2);
    assert_string_equal(b, "[########            ] 4/10 replications of rank 0's share (20 on 2 "
                           "ranks), 1.2 s elapsed, about 1.8 s left");
    cli_progress_format(b, sizeof b, 3, 3, 7, 3, 2.0);
    assert_string_equal(b, "[####################] 3/3 replications of rank 0's share (7 on 3 "
                           "ranks), 2.0 s elapsed");
    /* one rank is one process: no share to speak of */
    cli_progress_format(b, sizeof b, 3, 3, 3, 1, 2.0);
    assert_string_equal(b, "[####################] 3/3 replications, 2.0 s elapsed");
    /* a sweep's whole can pass 2^32 replications */
    cli_progress_format(b, sizeof b, 0, 5000000, 10000000000ULL, 2, 1.5);
    assert_string_equal(b, "[                    ] 0/5000000 replications of rank 0's share "
                           "(10000000000 on 2 ranks), 1.5 s elapsed");
    /* and so can one process's: 200,001 points of 30,000 replications */
    cli_progress_format(b, sizeof b, 3000000000ULL, 6000030000ULL, 0, 0, 10.0);
    assert_string_equal(b, "[#########           ] 3000000000/6000030000 replications, 10.0 s "
                           "elapsed, about 10.0 s left");
}

/* What p wrote to its stream so far. */
static char *written(FILE *fp)
{
    fflush(fp);
    long n = ftell(fp);
    char *s = calloc(1, (size_t)n + 1);
    assert_non_null(s);
    rewind(fp);
    assert_int_equal(fread(s, 1, (size_t)n, fp), (size_t)n);
    return s;
}

static void test_quiet_unless_a_terminal(void **state)
{
    (void)state;
    FILE *fp = tmpfile();
    assert_non_null(fp);
    cli_progress p;
    cli_progress_start(&p, fp);
    assert_false(p.enabled);
    cli_progress_at(&p, 1, 10, p.t0 + 5.0);
    cli_progress_finish(&p);
    char *s = written(fp);
    assert_string_equal(s, "");
    free(s);
    fclose(fp);
}

/* CASEFLOW_PROGRESS=1 shows the bar on any stream (a pipe from mpirun), =0
 * on none; other values leave it to the terminal test. */
static void test_forced_by_the_environment(void **state)
{
    (void)state;
    FILE *fp = tmpfile();
    assert_non_null(fp);
    cli_progress p;
    const char *values[] = {"1", "0", "yes", ""};
    const bool shown[] = {true, false, false, false};
    for (size_t i = 0; i < 4; i++) {
        assert_int_equal(setenv("CASEFLOW_PROGRESS", values[i], 1), 0);
        cli_progress_start(&p, fp);
        assert_int_equal(p.enabled, shown[i]);
    }
    assert_int_equal(unsetenv("CASEFLOW_PROGRESS"), 0);
    cli_progress_start(&p, fp);
    assert_false(p.enabled);
    assert_int_equal(setenv("CASEFLOW_PROGRESS", "1", 1), 0);
    cli_progress_start(&p, fp);
    cli_progress_share(&p, 20, 2);
    cli_progress_at(&p, 10, 10, p.t0 + 1.5);
    cli_progress_finish(&p);
    char *s = written(fp);
    assert_non_null(strstr(s, "\r[####################] 10/10 replications of rank 0's share (20 "
                              "on 2 ranks), 1.5 s elapsed"));
    free(s);
    assert_int_equal(unsetenv("CASEFLOW_PROGRESS"), 0);
    fclose(fp);
}

static void test_shows_after_a_second(void **state)
{
    (void)state;
    FILE *fp = tmpfile();
    assert_non_null(fp);
    cli_progress p;
    cli_progress_start(&p, fp);
    p.enabled = true; /* as if fp were a terminal */
    cli_progress_at(&p, 1, 4, p.t0 + 0.5);
    assert_false(p.shown); /* a short run stays quiet */
    cli_progress_at(&p, 2, 4, p.t0 + 1.5);
    assert_true(p.shown);
    cli_progress_at(&p, 3, 4, p.t0 + 1.52); /* too soon to redraw */
    char *s = written(fp);
    assert_string_equal(s, "\r[##########          ] 2/4 replications, 1.5 s elapsed, "
                           "about 1.5 s left");
    free(s);
    cli_progress_at(&p, 4, 4, p.t0 + 1.53); /* the last one always draws */
    cli_progress_finish(&p);
    assert_false(p.shown);
    s = written(fp);
    const char *tail = strstr(s, "\r[####################] 4/4 replications, 1.5 s elapsed");
    assert_non_null(tail);
    /* then the line is wiped: carriage return, spaces, carriage return */
    const char *wipe = strchr(tail + 1, '\r');
    assert_non_null(wipe);
    assert_int_equal(strspn(wipe + 1, " "), p.width);
    assert_string_equal(wipe + 1 + p.width, "\r");
    free(s);
    fclose(fp);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_format),
        cmocka_unit_test(test_format_share),
        cmocka_unit_test(test_forced_by_the_environment),
        cmocka_unit_test(test_quiet_unless_a_terminal),
        cmocka_unit_test(test_shows_after_a_second),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
