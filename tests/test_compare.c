/*
 * test_compare — `caseflow compare`: the paired statistics of compare.csv,
 * the command itself on small network scenarios, and the reason it exists:
 * common random numbers make the interval of a difference much narrower.
 *
 * The CRN example (stated in README.md, "Comparing options"): Bridgend
 * 2023-2026 against scenarios/examples/bridgend-more-early-help.cfg (the
 * front door passes 17.5% of contacts to early help's door instead of 12.5%,
 * closing 32% instead of 37%), 20 replications, both files found through
 * CASEFLOW_ROOT. Paired on the baseline's seed, the 95% interval of the
 * difference in flow.assessments is at least three times narrower than the
 * Welch interval from running the variant on another seed (independent
 * runs). The widths are printed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <dirent.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli_internal.h"
#include "stat.h"

#define N_OF(a) (sizeof(a) / sizeof(a)[0])

/* |a - b| <= tol, saying both values when not (this cmocka has no double assert). */
#define assert_near(a, b, tol) near_or_fail((a), (b), (tol), #a, __FILE__, __LINE__)

static void near_or_fail(double a, double b, double tol, const char *what, const char *file,
                         int line)
{
    if (!(fabs(a - b) <= tol))
        fail_msg("%s:%d: %s = %.15g; expected %.15g within %g", file, line, what, a, b, tol);
}

/* ---- helpers ---- */

static void write_file(const char *path, const char *text)
{
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    assert_true(fputs(text, fp) >= 0);
    assert_int_equal(fclose(fp), 0);
}

static char *read_file(const char *path)
{
    FILE *fp = fopen(path, "r");
    if (fp == NULL)
        return NULL;
    static char buf[1 << 20];
    size_t n = fread(buf, 1, sizeof buf - 1, fp);
    fclose(fp);
    buf[n] = '\0';
    return buf;
}

static bool exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

/* rm -r of a test folder (two levels are all the command makes). */
static void remove_tree(const char *dir)
{
    DIR *d = opendir(dir);
    if (d == NULL)
        return;
    struct dirent *de;
    char p[1024];
    while ((de = readdir(d)) != NULL) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        snprintf(p, sizeof p, "%s/%s", dir, de->d_name);
        if (unlink(p) != 0)
            remove_tree(p);
    }
    closedir(d);
    rmdir(dir);
}

static int run_compare(int argc, ...)
{
    char *argv[16];
    va_list ap;
    va_start(ap, argc);
    for (int i = 0; i < argc; i++)
        argv[i] = va_arg(ap, char *);
    va_end(ap);
    return cli_cmd_compare(argc, argv, "caseflow compare (test)");
}

/* ---- the paired statistics ---- */

static void test_metric_known_answers(void **state)
{
    (void)state;
    double scratch[8];
    /* d = 1, 1, 2, 0: mean 1, sd sqrt(2/3), t(0.975, 3) = 3.182446305 */
    const double base[] = {1, 2, 3, 4}, var[] = {2, 3, 5, 4};
    cli_compare c = cli_compare_metric(base, 1, var, 1, 4, scratch);
    double h = 3.182446305284263 * sqrt(2.0 / 3.0) / 2.0;
    assert_near(c.baseline_mean, 2.5, 1e-12);
    assert_near(c.variant_mean, 3.5, 1e-12);
    assert_near(c.diff_mean, 1.0, 1e-12);
    assert_near(c.low, 1.0 - h, 1e-9);
    assert_near(c.high, 1.0 + h, 1e-9);
    assert_near(c.rel_change, 0.4, 1e-12);
    assert_false(c.distinguishable);

    /* Strided rows (metric 1 of 3 per replication): d = 10, 11, 9 */
    const double rows_b[] = {0, 100, 0, 0, 101, 0, 0, 102, 0};
    const double rows_v[] = {110, 0, 112, 0, 111, 0};
    c = cli_compare_metric(rows_b + 1, 3, rows_v, 2, 3, scratch);
    assert_near(c.diff_mean, 10.0, 1e-12);
    assert_true(c.distinguishable && c.low > 0);
    assert_near(c.rel_change, 10.0 / 101.0, 1e-12);

    /* A negative difference is distinguishable too. */
    const double down[] = {0.5, 1.5, 2.9, 3.1};
    c = cli_compare_metric(var, 1, down, 1, 4, scratch);
    assert_true(c.distinguishable && c.high < 0);
}

static void test_metric_edge_cases(void **state)
{
    (void)state;
    double scratch[4];
    const double zero[] = {0, 0, 0}, near_one[] = {1, 1.1, 0.9};
    const double some[] = {1, 2, 3}, same_shift[] = {2, 3, 4};
    /* Baseline mean 0: no relative change, though the difference is clear. */
    cli_compare c = cli_compare_metric(zero, 1, near_one, 1, 3, scratch);
    assert_true(isnan(c.rel_change));
    assert_true(c.distinguishable);
    /* A constant difference has sd 0 and an interval of one point. */
    c = cli_compare_metric(some, 1, same_shift, 1, 3, scratch);
    assert_near(c.low, 1.0, 1e-12);
    assert_true(c.distinguishable);
    /* No difference at all is never distinguishable. */
    c = cli_compare_metric(some, 1, some, 1, 3, scratch);
    assert_near(c.diff_mean, 0.0, 0.0);
    assert_false(c.distinguishable);
    /* A value that does not exist in one replication: NA, not distinguishable. */
    const double gap[] = {1, NAN, 3};
    c = cli_compare_metric(some, 1, gap, 1, 3, scratch);
    assert_true(isnan(c.variant_mean) && isnan(c.diff_mean) && isnan(c.low));
    assert_false(c.distinguishable);
    /* One replication: a mean but no interval. */
    c = cli_compare_metric(some, 1, same_shift, 1, 1, scratch);
    assert_near(c.diff_mean, 1.0, 0.0);
    assert_true(isnan(c.low) && isnan(c.high));
    assert_false(c.distinguishable);
    /* Missing on one side: only the other side's mean. */
    c = cli_compare_metric(some, 1, NULL, 1, 3, scratch);
    assert_near(c.baseline_mean, 2.0, 1e-12);
    assert_true(isnan(c.variant_mean) && isnan(c.diff_mean) && isnan(c.rel_change));
    c = cli_compare_metric(NULL, 1, some, 1, 3, scratch);
    assert_true(isnan(c.baseline_mean));
    assert_near(c.variant_mean, 2.0, 1e-12);
    assert_false(c.distinguishable);
}

/* ---- parsing several files ---- */

static void test_parse_files(void **state)
{
    (void)state;
    cli_args a;
    err_info e;
    const char *files[3];
    size_t n;
    char *w1[] = {"a.cfg", "--seed", "4", "b.cfg", "--jobs=2", "c.cfg", "--out", "o"};
    assert_int_equal(cli_parse_files(8, w1, &a, files, 3, &n, &e), 0);
    assert_int_equal(n, 3);
    assert_string_equal(files[0], "a.cfg");
    assert_string_equal(files[2], "c.cfg");
    assert_string_equal(a.scenario, "a.cfg");
    assert_true(a.has_seed && a.seed == 4 && a.jobs == 2);
    assert_string_equal(a.out, "o");
    char *w2[] = {"a.cfg", "b.cfg", "c.cfg", "d.cfg"};
    assert_int_equal(cli_parse_files(4, w2, &a, files, 3, &n, &e), ERR_INPUT);
    assert_non_null(strstr(e.text, "at most 3"));
    char *w3[] = {"--replications", "0", "a.cfg"};
    assert_int_equal(cli_parse_files(3, w3, &a, files, 3, &n, &e), ERR_INPUT);
    char *w4[] = {"--jobs", "2"};
    assert_int_equal(cli_parse_files(2, w4, &a, files, 3, &n, &e), ERR_INPUT);
    assert_non_null(strstr(e.text, "no scenario file"));
    char *w5[] = {"--help"};
    assert_int_equal(cli_parse_files(1, w5, &a, files, 3, &n, &e), 0);
    assert_true(a.help && n == 0);
}

/* ---- the command on small network scenarios ---- */

static const char small_net[] = "name = \"small\";\n"
                                "horizon_days = 400.0;\n"
                                "warmup_days = 50.0;\n"
                                "replications = 6;\n"
                                "seed = 11;\n"
                                "arrivals = ( { to = \"A\"; rate_per_day = 3.6; } );\n"
                                "nodes = ( { name = \"A\"; servers = 4;\n"
                                "  service = { dist = \"exponential\"; mean = 1.0; }; } );\n";

/* A variant with one more server, another seed and 3 replications that
 * compare must override with the baseline's; and one with a new node. */
static const char more_servers[] = "base = \"small.cfg\";\n"
                                   "name = \"five\";\n"
                                   "seed = 99;\n"
                                   "replications = 3;\n"
                                   "overrides = ( { path = \"nodes.A.servers\"; value = 5; } );\n";
static const char extra_node[] =
    "base = \"small.cfg\";\n"
    "overrides = ( { path = \"nodes.A\"; value = { name = \"A\"; servers = 4;\n"
    "  service = { dist = \"exponential\"; mean = 1.0; };\n"
    "  routes = ( { to = \"B\"; p = 1.0; } ); }; } );\n"
    "add = ( { path = \"nodes\"; value = { name = \"B\"; servers = 0;\n"
    "  service = { dist = \"deterministic\"; mean = 2.0; }; }; } );\n";

typedef struct dirs {
    char tmp[64];
    char base[128], five[128], extra[128], bad[128], out[128];
} dirs;

static void make_dirs(dirs *d)
{
    snprintf(d->tmp, sizeof d->tmp, "/tmp/caseflow-test-compare-XXXXXX");
    assert_non_null(mkdtemp(d->tmp));
    snprintf(d->base, sizeof d->base, "%s/small.cfg", d->tmp);
    snprintf(d->five, sizeof d->five, "%s/five.cfg", d->tmp);
    snprintf(d->extra, sizeof d->extra, "%s/extra.cfg", d->tmp);
    snprintf(d->bad, sizeof d->bad, "%s/bad.cfg", d->tmp);
    snprintf(d->out, sizeof d->out, "%s/out", d->tmp);
    write_file(d->base, small_net);
    write_file(d->five, more_servers);
    write_file(d->extra, extra_node);
    write_file(d->bad, "base = \"small.cfg\";\n"
                       "overrides = ( { path = \"nodes.A.server\"; value = 5; } );\n");
}

static int count_lines(const char *text, const char *prefix)
{
    int n = 0;
    for (const char *p = text; p != NULL && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
        n += strncmp(p, prefix, strlen(prefix)) == 0;
    return n;
}

static void test_command_writes_everything(void **state)
{
    (void)state;
    dirs d;
    make_dirs(&d);
    assert_int_equal(run_compare(6, d.base, d.five, d.extra, "--out", d.out, "--jobs=2"), CLI_OK);
    char p[256];
    const char *names[] = {"small", "five", "extra"};
    for (size_t i = 0; i < N_OF(names); i++) {
        snprintf(p, sizeof p, "%s/%s/summary.csv", d.out, names[i]);
        assert_true(exists(p));
        snprintf(p, sizeof p, "%s/%s/run.txt", d.out, names[i]);
        /* Every scenario ran on the baseline's seed and replications. */
        char *rec = read_file(p);
        assert_non_null(rec);
        assert_non_null(strstr(rec, "seed: 11\n"));
        assert_non_null(strstr(rec, "replications: 6\n"));
    }
    snprintf(p, sizeof p, "%s/compare.csv", d.out);
    char *csv = read_file(p);
    assert_non_null(csv);
    assert_int_equal(strncmp(csv,
                             "metric,variant,baseline_mean,variant_mean,diff_mean,diff_ci95_low,"
                             "diff_ci95_high,rel_change,distinguishable\n",
                             100),
                     0);
    /* Seven metrics per node: the baseline's seven for each variant, and B's
     * seven (only in extra) with the baseline's side NA. */
    assert_int_equal(count_lines(csv, "node.A."), 14);
    assert_int_equal(count_lines(csv, "node.B."), 7);
    assert_non_null(strstr(csv, "node.B.L,extra,NA,"));
    /* One more server: shorter waits, distinguishable; arrivals unchanged. */
    const char *wq = strstr(csv, "node.A.Wq,five,");
    assert_non_null(wq);
    double bm, vm, dm;
    assert_int_equal(sscanf(wq, "node.A.Wq,five,%lf,%lf,%lf", &bm, &vm, &dm), 3);
    assert_true(dm < 0 && vm < bm);
    assert_non_null(strstr(wq, ",1\n"));
    remove_tree(d.tmp);
}

static void test_command_refuses(void **state)
{
    (void)state;
    dirs d;
    make_dirs(&d);
    /* A bad variant: exit 1, and nothing written (not even the folder). */
    assert_int_equal(run_compare(4, d.base, d.bad, "--out", d.out), CLI_FAIL);
    assert_false(exists(d.out));
    /* Usage: one file, --events, two files with one name. */
    assert_int_equal(run_compare(3, d.base, "--out", d.out), CLI_USAGE);
    assert_int_equal(run_compare(5, d.base, d.five, "--events", "--out", d.out), CLI_USAGE);
    assert_int_equal(run_compare(4, d.base, d.base, "--out", d.out), CLI_USAGE);
    assert_int_equal(run_compare(1, "--help"), CLI_OK);
    assert_false(exists(d.out));
    remove_tree(d.tmp);
}

/* compare.csv does not depend on the number of threads. */
static void test_command_jobs_invariant(void **state)
{
    (void)state;
    dirs d;
    make_dirs(&d);
    char o1[160], o2[160], p[200];
    snprintf(o1, sizeof o1, "%s/j1", d.tmp);
    snprintf(o2, sizeof o2, "%s/j2", d.tmp);
    assert_int_equal(run_compare(6, d.base, d.five, "--out", o1, "--jobs", "1"), CLI_OK);
    assert_int_equal(run_compare(6, d.base, d.five, "--out", o2, "--jobs", "2"), CLI_OK);
    snprintf(p, sizeof p, "%s/compare.csv", o1);
    char *a = read_file(p);
    assert_non_null(a);
    char *copy = strdup(a);
    snprintf(p, sizeof p, "%s/compare.csv", o2);
    char *b = read_file(p);
    assert_non_null(b);
    assert_string_equal(copy, b);
    free(copy);
    remove_tree(d.tmp);
}

/* ---- common random numbers: the stated example ---- */

/* Index of name among r's metrics. */
static size_t metric(const cli_run *r, const char *name)
{
    for (size_t i = 0; i < r->n_metrics; i++)
        if (strcmp(r->names[i], name) == 0)
            return i;
    fail_msg("no metric %s", name);
    return 0;
}

/* Half-width of the Welch 95% interval for the difference of two means
 * from independent samples of n each. */
static double welch_halfwidth(const cli_run *a, size_t ia, const cli_run *b, size_t ib, size_t n)
{
    stat_ci ca = stat_ci_compute(a->results + ia, n, a->width, 0.95);
    stat_ci cb = stat_ci_compute(b->results + ib, n, b->width, 0.95);
    double va = ca.sd * ca.sd / (double)n, vb = cb.sd * cb.sd / (double)n;
    double df = (va + vb) * (va + vb) / (va * va / (double)(n - 1) + vb * vb / (double)(n - 1));
    return gsl_cdf_tdist_Pinv(0.975, df) * sqrt(va + vb);
}

static void load_and_run(cli_run *r, const char *path, uint64_t seed)
{
    cli_args a;
    err_info e;
    memset(&a, 0, sizeof a);
    a.has_seed = true;
    a.seed = seed;
    if (cli_run_load(r, path, &a, &e) != 0 || cli_run_simulate(r, 0, &e) != 0)
        fail_msg("%s: %s", path, e.text);
}

static void test_crn_narrows_the_interval(void **state)
{
    (void)state;
    const char *root = getenv("CASEFLOW_ROOT");
    char base[512], var[512];
    snprintf(base, sizeof base, "%s/scenarios/bridgend-2023-2026.cfg", root ? root : ".");
    snprintf(var, sizeof var, "%s/scenarios/examples/bridgend-more-early-help.cfg",
             root ? root : ".");
    cli_run b, paired, indep;
    load_and_run(&b, base, 2023);
    load_and_run(&paired, var, 2023); /* common random numbers */
    load_and_run(&indep, var, 4046);  /* independent of the baseline */
    size_t n = b.sc.replications;
    assert_int_equal(n, 20);
    double scratch[20];
    /* The headline (asserted) first, then others for the record. */
    const char *shown[] = {"flow.assessments", "flow.contacts", "flow.cp_registrations",
                           "stock.cp_register.end", "stock.looked_after.end"};
    for (size_t k = 0; k < N_OF(shown); k++) {
        size_t i = metric(&b, shown[k]), j = metric(&paired, shown[k]);
        cli_compare c = cli_compare_metric(b.results + i, b.width, paired.results + j, paired.width,
                                           n, scratch);
        double hp = (c.high - c.low) / 2.0, hi = welch_halfwidth(&b, i, &indep, j, n);
        printf("CRN %-24s difference %8.4g: paired 95%% half-width %8.4g, independent "
               "(Welch) %8.4g: %5.2fx narrower\n",
               shown[k], c.diff_mean, hp, hi, hi / hp);
        if (k == 0)
            assert_true(hi >= 3.0 * hp);
    }
    cli_run_free(&b);
    cli_run_free(&paired);
    cli_run_free(&indep);
}

int main(void)
{
    gsl_set_error_handler_off();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_metric_known_answers),
        cmocka_unit_test(test_metric_edge_cases),
        cmocka_unit_test(test_parse_files),
        cmocka_unit_test(test_command_writes_everything),
        cmocka_unit_test(test_command_refuses),
        cmocka_unit_test(test_command_jobs_invariant),
        cmocka_unit_test(test_crn_narrows_the_interval),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
