/* test_progress — the replications progress bar: its text, and when it shows
 * (a terminal, after a second), redraws and clears. */
#include <setjmp.h>
#include <stdarg.h>
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
    cli_progress_format(b, sizeof b, 12, 20, 0.8);
    assert_string_equal(b, "[############        ] 12/20 replications, 0.8 s elapsed, "
                           "about 0.5 s left");
    cli_progress_format(b, sizeof b, 0, 20, 1.2);
    assert_string_equal(b, "[                    ] 0/20 replications, 1.2 s elapsed");
    cli_progress_format(b, sizeof b, 20, 20, 3.0);
    assert_string_equal(b, "[####################] 20/20 replications, 3.0 s elapsed");
    cli_progress_format(b, sizeof b, 1, 3, 125.0);
    assert_string_equal(b, "[######              ] 1/3 replications, 2 min 05 s elapsed, "
                           "about 4 min 10 s left");
    cli_progress_format(b, sizeof b, 1, 2, 7500.0);
    assert_string_equal(b, "[##########          ] 1/2 replications, 2 h 05 min elapsed, "
                           "about 2 h 05 min left");
    /* a short buffer is cut, never overrun */
    char small[8];
    assert_int_equal(cli_progress_format(small, sizeof small, 1, 2, 1.0), 7);
    assert_string_equal(small, "[######");
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
        cmocka_unit_test(test_quiet_unless_a_terminal),
        cmocka_unit_test(test_shows_after_a_second),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
