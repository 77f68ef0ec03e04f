/* test_report — the report's parts: the string tables (every key in English
 * and Welsh), the CSV reader on good and malformed input, HTML escaping and
 * base64, number and date formats, gnuplot quoting, running gnuplot, and the
 * whole report on hand-made run and comparison folders (without gnuplot: the
 * binary with gnuplot is exercised by tests/e2e/report.sh). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <math.h>

#include "mem.h"
#include "report/charts.h"
#include "report/csvin.h"
#include "report/gnuplot.h"
#include "report/html.h"
#include "report/i18n.h"
#include "report/numfmt.h"
#include "report/report.h"
#include "report/runinfo.h"

/* ---- helpers ---------------------------------------------------------------- */

static void write_file(const char *dir, const char *name, const char *text)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs(text, fp);
    fclose(fp);
}

/* The whole of dir/name, NUL-terminated (caller frees). */
static char *read_all(const char *dir, const char *name)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    fseek(fp, 0, SEEK_END);
    long n = ftell(fp);
    rewind(fp);
    char *s = malloc((size_t)n + 1);
    assert_non_null(s);
    assert_int_equal(fread(s, 1, (size_t)n, fp), (size_t)n);
    s[n] = '\0';
    fclose(fp);
    return s;
}

static size_t count(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = strstr(hay, needle); p != NULL; p = strstr(p + 1, needle))
        n++;
    return n;
}

static void make_dir(const char *path)
{
    assert_int_equal(mkdir(path, 0755), 0);
}

static void remove_tree(const char *dir)
{
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

static char *temp_dir(void)
{
    char tmpl[] = "/tmp/caseflow-test-report-XXXXXX";
    char *d = mkdtemp(tmpl);
    assert_non_null(d);
    return strdup(d);
}

/* ---- i18n -------------------------------------------------------------------- */

/* The printf conversions of s, in order ("%s%u%%"), into out. */
static void conversions(const char *s, char *out, size_t size)
{
    size_t o = 0;
    out[0] = '\0';
    for (const char *p = s; *p != '\0'; p++) {
        if (*p != '%')
            continue;
        p++;
        p += strspn(p, "-+ #0123456789.lhzjt");
        if (*p == '\0')
            break;
        if (o + 3 < size) {
            out[o++] = '%';
            out[o++] = *p;
            out[o] = '\0';
        }
    }
}

static void test_every_key_in_both_languages(void **state)
{
    (void)state;
    for (int k = 0; k < I18N_COUNT; k++) {
        const char *en = i18n_raw(I18N_EN, (i18n_key)k);
        const char *cy = i18n_raw(I18N_CY, (i18n_key)k);
        if (en == NULL || en[0] == '\0')
            fail_msg("key %s has no English string", i18n_key_name((i18n_key)k));
        if (cy == NULL || cy[0] == '\0')
            fail_msg("key %s has no Welsh string", i18n_key_name((i18n_key)k));
        if (strcmp(en, cy) == 0 && !i18n_same_ok((i18n_key)k))
            fail_msg("key %s: the Welsh is the English ('%s')", i18n_key_name((i18n_key)k), en);
        if (!i18n_is_format((i18n_key)k))
            continue;
        char ce[64], cc[64];
        conversions(en, ce, sizeof ce);
        conversions(cy, cc, sizeof cc);
        if (ce[0] == '\0')
            fail_msg("key %s is a format without conversions", i18n_key_name((i18n_key)k));
        if (strcmp(ce, cc) != 0)
            fail_msg("key %s: English has conversions '%s', Welsh '%s'", i18n_key_name((i18n_key)k),
                     ce, cc);
    }
}

static size_t words(const char *s)
{
    size_t n = 0;
    for (const char *p = s; *p; p++)
        if (*p != ' ' && (p == s || p[-1] == ' '))
            n++;
    return n;
}

static void test_i18n_months_and_languages(void **state)
{
    (void)state;
    assert_int_equal(I18N_MONTH_12 - I18N_MONTH_1, 11);
    assert_int_equal(words(i18n_get(I18N_EN, I18N_MONTHS_SHORT)), 12);
    assert_int_equal(words(i18n_get(I18N_CY, I18N_MONTHS_SHORT)), 12);
    assert_string_equal(i18n_get(I18N_CY, I18N_M_LOOKED_AFTER), "Plant sy'n derbyn gofal");
    assert_string_equal(i18n_get(I18N_CY, I18N_MONTH_4), "Ebrill");
    i18n_lang l;
    assert_int_equal(i18n_lang_parse("cy", &l), 0);
    assert_int_equal(l, I18N_CY);
    assert_int_equal(i18n_lang_parse("en", &l), 0);
    assert_int_equal(l, I18N_EN);
    assert_int_equal(i18n_lang_parse("fr", &l), -1);
    assert_int_equal(i18n_lang_parse(NULL, &l), -1);
    assert_string_equal(i18n_lang_code(I18N_CY), "cy");
    assert_string_equal(i18n_key_name(I18N_M_S47), "M_S47");
}

/* ---- csvin ------------------------------------------------------------------- */

static void test_csv_good(void **state)
{
    (void)state;
    const char text[] = "metric,mean,n\r\nflow.a,1.5,NA\nflow.b,-2e3,\nflow.c,0,3";
    csvin *t;
    err_info e;
    assert_int_equal(csvin_parse(&t, "t.csv", text, strlen(text), &e), 0);
    assert_int_equal(csvin_rows(t), 3);
    assert_int_equal(csvin_cols(t), 3);
    assert_string_equal(csvin_header(t, 2), "n");
    assert_int_equal(csvin_col(t, "mean"), 1);
    assert_int_equal(csvin_col(t, "sd"), -1);
    assert_int_equal(csvin_find(t, 0, "flow.c"), 2);
    assert_int_equal(csvin_find(t, 0, "flow.x"), -1);
    assert_string_equal(csvin_cell(t, 1, 0), "flow.b");
    assert_int_equal(csvin_line(t, 2), 4);
    double v;
    assert_int_equal(csvin_number(t, 0, 1, &v, &e), 0);
    assert_true(v == 1.5);
    assert_int_equal(csvin_number(t, 1, 1, &v, &e), 0);
    assert_true(v == -2000.0);
    assert_int_equal(csvin_number(t, 0, 2, &v, &e), 0);
    assert_true(isnan(v));
    assert_int_equal(csvin_number(t, 1, 2, &v, &e), 0); /* empty: NA */
    assert_true(isnan(v));
    csvin_destroy(t);
    csvin_destroy(NULL);
    /* a spreadsheet's UTF-8 byte-order mark is not part of the first name */
    assert_int_equal(csvin_parse(&t, "b.csv", "\xEF\xBB\xBFmetric,mean\nx,1\n", 19, &e), 0);
    assert_int_equal(csvin_col(t, "metric"), 0);
    csvin_destroy(t);
    /* a header alone is a table with no rows */
    assert_int_equal(csvin_parse(&t, "h.csv", "a,b\n", 4, &e), 0);
    assert_int_equal(csvin_rows(t), 0);
    csvin_destroy(t);
}

static void test_csv_malformed(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        size_t len; /* 0: strlen */
        const char *message;
    } cases[] = {
        {"a,b\n1\n", 0, "t.csv:2: 1 fields; expected 2 as in the header"},
        {"a,b\n1,2\n1,2,3\n", 0, "t.csv:3: 3 fields; expected 2"},
        {"a,b\n\n1,2\n", 0, "t.csv:2: blank line"},
        {"a,b\n1,2\n3,4\n\n", 0, "t.csv:4: blank line"},
        {"a,,b\n", 0, "t.csv:1: column 2 has no name"},
        {"a,b,a\n", 0, "t.csv:1: column 'a' appears twice"},
        {"a,b\n\"1\",2\n", 0, "t.csv:2: quoted field"},
        {"", 0, "t.csv:1: empty file"},
        {"a,b\n1,\0\n", 7, "t.csv:2: NUL byte"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        csvin *t = (csvin *)1;
        err_info e;
        err_clear(&e);
        size_t len = cases[i].len ? cases[i].len : strlen(cases[i].text);
        assert_int_equal(csvin_parse(&t, "t.csv", cases[i].text, len, &e), ERR_INPUT);
        assert_null(t);
        if (strstr(e.text, cases[i].message) == NULL)
            fail_msg("case %zu: '%s' lacks '%s'", i, e.text, cases[i].message);
    }
}

static void test_csv_bad_numbers(void **state)
{
    (void)state;
    static const char *const bad[] = {"x1", "1x", "inf", "nan", "0x10", "1e999", " 1", "--1"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char text[64];
        snprintf(text, sizeof text, "metric,mean\nm,1\nm2,%s\n", bad[i]);
        csvin *t;
        err_info e;
        double v;
        assert_int_equal(csvin_parse(&t, "s.csv", text, strlen(text), &e), 0);
        assert_int_equal(csvin_number(t, 1, 1, &v, &e), ERR_INPUT);
        char want[128];
        snprintf(want, sizeof want, "s.csv:3: column 'mean' is '%s'; expected a number or NA",
                 bad[i]);
        assert_string_equal(e.text, want);
        csvin_destroy(t);
    }
}

static void test_csv_missing_file(void **state)
{
    (void)state;
    csvin *t;
    err_info e;
    assert_int_equal(csvin_read(&t, "/nonexistent/summary.csv", &e), ERR_IO);
    assert_non_null(strstr(e.text, "/nonexistent/summary.csv: cannot open"));
    assert_null(t);
}

/* An allocator that fails the Nth call. */
static long alloc_countdown;
static void *failing_alloc(void *ud, size_t n)
{
    (void)ud;
    return --alloc_countdown == 0 ? NULL : malloc(n);
}
static void *failing_resize(void *ud, void *p, size_t n)
{
    (void)ud;
    return --alloc_countdown == 0 ? NULL : realloc(p, n);
}
static void plain_free(void *ud, void *p)
{
    (void)ud;
    free(p);
}

static void test_csv_allocation_failures(void **state)
{
    (void)state;
    const char text[] = "a,b\n1,2\n3,4\n";
    mem_hooks h = {failing_alloc, failing_resize, plain_free, NULL};
    for (long n = 1;; n++) {
        alloc_countdown = n;
        mem_set_hooks(&h);
        csvin *t;
        err_info e;
        int rc = csvin_parse(&t, "t.csv", text, strlen(text), &e);
        mem_set_hooks(NULL);
        if (rc == 0) {
            csvin_destroy(t);
            break;
        }
        assert_int_equal(rc, ERR_NOMEM);
        assert_null(t);
    }
}

/* ---- html, numbers, quoting -------------------------------------------------- */

static char *capture(void (*fn)(FILE *, const void *), const void *arg)
{
    char *buf = NULL;
    size_t n = 0;
    FILE *fp = open_memstream(&buf, &n);
    assert_non_null(fp);
    fn(fp, arg);
    fclose(fp);
    return buf;
}

static void escape_fn(FILE *fp, const void *s)
{
    html_escape(fp, s);
}

static void test_html_escape(void **state)
{
    (void)state;
    char *s = capture(escape_fn, "<script>alert(\"x\" & 'y')</script>\x01\r\n\tsy'n");
    assert_string_equal(s, "&lt;script&gt;alert(&quot;x&quot; &amp; &#39;y&#39;)&lt;/script&gt;"
                           "\n\tsy&#39;n");
    free(s);
}

typedef struct b64case {
    const char *in, *out;
} b64case;

static void base64_fn(FILE *fp, const void *c)
{
    const char *in = ((const b64case *)c)->in;
    html_base64(fp, (const unsigned char *)in, strlen(in));
}

static void test_base64(void **state)
{
    (void)state;
    static const b64case cases[] = {{"", ""},
                                    {"f", "Zg=="},
                                    {"fo", "Zm8="},
                                    {"foo", "Zm9v"},
                                    {"foob", "Zm9vYg=="},
                                    {"fooba", "Zm9vYmE="},
                                    {"foobar", "Zm9vYmFy"},
                                    {"\xff\xfe", "//4="}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *s = capture(base64_fn, &cases[i]);
        assert_string_equal(s, cases[i].out);
        free(s);
    }
}

static void test_numbers_and_dates(void **state)
{
    (void)state;
    char b[NUMFMT_MAX];
    assert_string_equal(numfmt_number(b, sizeof b, 8359.6, 0), "8,360");
    assert_string_equal(numfmt_number(b, sizeof b, 999.4, 0), "999");
    assert_string_equal(numfmt_number(b, sizeof b, 0, 0), "0");
    assert_string_equal(numfmt_number(b, sizeof b, -1234567.2, 0), "-1,234,567");
    assert_string_equal(numfmt_number(b, sizeof b, 124.0771812, 1), "124.1");
    assert_string_equal(numfmt_number(b, sizeof b, -0.04, 1), "0.0");
    assert_string_equal(numfmt_number(b, sizeof b, 999999.96, 1), "1,000,000.0");
    assert_string_equal(numfmt_number(b, sizeof b, NAN, 0), "\xe2\x80\x93");
    assert_string_equal(numfmt_percent(b, sizeof b, 0.9199999399), "92.0%");
    assert_string_equal(numfmt_percent(b, sizeof b, 1), "100.0%");
    assert_string_equal(numfmt_money(b, sizeof b, 1234567.4), "\xc2\xa3"
                                                              "1,234,567");
    assert_string_equal(numfmt_money(b, sizeof b, -12), "-\xc2\xa3"
                                                        "12");
    long d = runinfo_days(2022, 4, 1);
    assert_string_equal(numfmt_date(b, sizeof b, d, I18N_EN), "1 April 2022");
    assert_string_equal(numfmt_date(b, sizeof b, d + 364, I18N_EN), "31 March 2023");
    assert_string_equal(numfmt_date(b, sizeof b, d, I18N_CY), "1 Ebrill 2022");
    assert_int_equal(runinfo_days(1970, 1, 1), 0);
    assert_int_equal(runinfo_days(2024, 3, 1) - runinfo_days(2024, 2, 28), 2);
    for (long z = -800000; z < 800000; z += 97) {
        int y, m, dd;
        runinfo_civil(z, &y, &m, &dd);
        assert_int_equal(runinfo_days(y, m, dd), z);
    }
}

static void quote_fn(FILE *fp, const void *s)
{
    charts_put_quoted(fp, s);
}

static void test_gnuplot_quoting(void **state)
{
    (void)state;
    char *s = capture(quote_fn, "Plant sy'n derbyn gofal\nnewydd \"x\" \\n");
    assert_string_equal(s, "'Plant sy''n derbyn gofal newydd \"x\" \\n'");
    free(s);
}

/* ---- running gnuplot ---------------------------------------------------------- */

static void test_gnuplot_run_failures(void **state)
{
    (void)state;
    char *dir = temp_dir();
    err_info e;
    assert_int_equal(gnuplot_run("/nonexistent/gnuplot", dir, "x.gp", &e), ERR_IO);
    assert_non_null(strstr(e.text, "/nonexistent/gnuplot: could not be run"));
    write_file(dir, "fails.sh", "#!/bin/sh\nexit 3\n");
    write_file(dir, "works.sh", "#!/bin/sh\ntest -f \"$1\"\n");
    write_file(dir, "x.gp", "\n");
    char fails[1024], works[1024];
    snprintf(fails, sizeof fails, "%s/fails.sh", dir);
    snprintf(works, sizeof works, "%s/works.sh", dir);
    chmod(fails, 0755);
    chmod(works, 0755);
    assert_int_equal(gnuplot_run(fails, dir, "x.gp", &e), ERR_IO);
    assert_non_null(strstr(e.text, "gnuplot failed (exit status 3)"));
    /* the program runs in the folder it is given */
    assert_int_equal(gnuplot_run(works, dir, "x.gp", &e), 0);
    assert_int_equal(gnuplot_run(works, "/nonexistent", "x.gp", &e), ERR_IO);
    assert_non_null(strstr(e.text, "/nonexistent: cannot enter"));
    remove_tree(dir);
    free(dir);
}

/* ---- a whole report on a fixture ------------------------------------------------ */

static const char summary_csv[] =
    "metric,mean,ci95_low,ci95_high,sd,n\n"
    "flow.contacts,8359.6,8315.548667,8403.651333,94.1,20\n"
    "flow.assessments,3115,3096.247429,3133.752571,40.1,20\n"
    "stock.looked_after.end,369.75,364.4357338,375.0642662,11.4,20\n"
    "stock.looked_after.end_per_10k,124.0771812,122.29,125.86,3.8,20\n"
    "kpi.assessments_within_timescale,0.9199999399,0.9176892437,0.9223106362,0.005,20\n"
    "stage.front_door.L,9.85,9.79,9.91,0.13,20\n";

static const char timeseries_csv[] =
    "date,flow.contacts,flow.contacts.ci95_low,flow.contacts.ci95_high,"
    "stock.looked_after,stock.looked_after.ci95_low,stock.looked_after.ci95_high\n"
    "2022-04-30,655.65,643.2,668.1,360.5,358.4,362.6\n"
    "2022-05-31,715.2,705.5,724.9,360.7,357.6,363.8\n";

static const char annual_csv[] =
    "financial_year,date,flow.contacts,flow.contacts.ci95_low,flow.contacts.ci95_high\n"
    "2022/23,2023-03-31,8359.6,8315.5,8403.7\n";

static const char scenario_cfg[] =
    "name = \"fixture <b>&amp;\";\n"
    "description = \"A council's test: \\\"quoted\\\" <i>words</i>.\";\n"
    "start_date = \"2022-04-01\";\n"
    "horizon_days = 365.0;\n"
    "warmup_days = 0.0;\n"
    "replications = 20;\n"
    "seed = 2022;\n"
    "population : { children = 29800; };\n"
    "contacts : { per_year = 6800.0; growth_per_year = 0.03; };\n"
    "stages = ( { name = \"front_door\"; servers = 0; initial = 10; },\n"
    "           { name = \"early_help\"; servers = 720; initial = 650; } );\n";

static const char fake_svg[] = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" "
                               "height=\"10\"><rect width=\"10\" height=\"10\"/></svg>\n";

static void make_run(const char *dir)
{
    write_file(dir, "summary.csv", summary_csv);
    write_file(dir, "timeseries.csv", timeseries_csv);
    write_file(dir, "annual.csv", annual_csv);
    write_file(dir, "scenario.cfg", scenario_cfg);
    write_file(dir, "run.txt", "caseflow_version: 9.8.7\nseed: 2022\n");
}

static int report_in(const char *dir, i18n_lang lang, err_info *e)
{
    report_options o = {.dir = dir, .lang = lang, .gnuplot = NULL, .scripts_dir = "/opt/scripts"};
    report_result r;
    return report_make(&o, &r, e);
}

/* The page references nothing outside itself and its tags balance. */
static void check_self_contained(const char *html)
{
    assert_null(strstr(html, "http:"));
    assert_null(strstr(html, "https:"));
    assert_null(strstr(html, "src=\"/"));
    assert_null(strstr(html, "src=\"file"));
    assert_null(strstr(html, "href="));
    assert_null(strstr(html, "<script"));
    assert_null(strstr(html, "=\"//"));
    static const char *const tags[] = {"table", "tr", "td", "th", "div", "p", "h2"};
    for (size_t i = 0; i < sizeof tags / sizeof tags[0]; i++) {
        char open[16], open_attr[16], close[16];
        snprintf(open, sizeof open, "<%s>", tags[i]);
        snprintf(open_attr, sizeof open_attr, "<%s ", tags[i]);
        snprintf(close, sizeof close, "</%s>", tags[i]);
        assert_int_equal(count(html, open) + count(html, open_attr), count(html, close));
    }
}

static void test_report_on_a_run(void **state)
{
    (void)state;
    char *dir = temp_dir();
    make_run(dir);
    char charts[1100];
    snprintf(charts, sizeof charts, "%s/charts", dir);
    make_dir(charts);
    write_file(charts, "stock-looked-after.svg", fake_svg);
    err_info e;
    err_clear(&e);
    if (report_in(dir, I18N_EN, &e) != 0)
        fail_msg("%s", e.text);
    char *html = read_all(dir, "report.html");
    check_self_contained(html);
    assert_non_null(strstr(html, "<html lang=\"en\">"));
    assert_non_null(strstr(html, "<meta name=\"viewport\""));
    assert_int_equal(count(html, "<table class=\"headline\">"), 1);
    assert_int_equal(count(html, "<table"), 3); /* headline, settings, stages */
    assert_non_null(strstr(html, "<h1>fixture &lt;b&gt;&amp;amp;</h1>"));
    assert_non_null(strstr(html, "A council&#39;s test: &quot;quoted&quot; &lt;i&gt;words"));
    assert_non_null(strstr(html, "<td>Contacts</td><td class=\"n\">8,360</td>"
                                 "<td class=\"n\">8,316 \xe2\x80\x93 8,404</td>"));
    assert_non_null(strstr(html, "<td>Children looked after</td><td class=\"n\">370</td>"));
    assert_non_null(strstr(html, "<td class=\"n\">124.1</td>"));
    assert_non_null(strstr(html, "92.0%"));
    assert_non_null(strstr(html, "not the uncertainty in the assumptions themselves"));
    assert_non_null(strstr(html, "Children on 31 March 2023"));
    assert_non_null(strstr(html, "<img alt=\"Children looked after\" "
                                 "src=\"data:image/svg+xml;base64,PHN2Zy"));
    assert_null(strstr(html, "stage.front_door")); /* not a headline measure */
    assert_non_null(strstr(html, "<td>early help</td><td class=\"n\">720</td>"));
    assert_non_null(strstr(html, "Produced by caseflow 9.8.7"));
    assert_null(strstr(html, "By financial year")); /* one year only */
    free(html);
    /* the chart script: every chart in both formats, from the scripts folder */
    char *gp = read_all(charts, "charts.gp");
    assert_non_null(strstr(gp, "outfile = 'charts/stock-looked-after.png'"));
    assert_non_null(strstr(gp, "outfile = 'charts/stock-looked-after.svg'"));
    assert_non_null(strstr(gp, "call '/opt/scripts/fan.gp'"));
    assert_non_null(strstr(gp, "per10k = "));
    assert_non_null(strstr(gp, "outfile = 'charts/flows-front-door.png'"));
    assert_null(strstr(gp, "stock-cp-register")); /* no such columns in the fixture */
    assert_null(strstr(gp, "workforce"));
    free(gp);

    assert_int_equal(report_in(dir, I18N_CY, &e), 0);
    html = read_all(dir, "report.html");
    check_self_contained(html);
    assert_non_null(strstr(html, "<html lang=\"cy\">"));
    assert_non_null(strstr(html, "Plant sy&#39;n derbyn gofal"));
    assert_non_null(strstr(html, "Plant ar 31 Mawrth 2023"));
    assert_non_null(strstr(html, "cyfwng hyder 95%"));
    free(html);
    gp = read_all(charts, "charts.gp");
    assert_non_null(strstr(gp, "months = 'Ion Chwef Maw Ebr"));
    free(gp);
    remove_tree(dir);
    free(dir);
}

static void test_report_by_financial_year(void **state)
{
    (void)state;
    char *dir = temp_dir();
    make_run(dir);
    write_file(dir, "annual.csv",
               "financial_year,date,flow.contacts,flow.contacts.ci95_low,flow.contacts.ci95_high\n"
               "2023/24,2024-03-31,8590,8540,8640\n"
               "2024/25,2025-03-31,8800.2,NA,NA\n");
    err_info e;
    assert_int_equal(report_in(dir, I18N_EN, &e), 0);
    char *html = read_all(dir, "report.html");
    assert_non_null(strstr(html, "By financial year"));
    assert_non_null(strstr(html, "<th class=\"n\">2024/25</th>"));
    assert_non_null(strstr(html, "8,800<br /><span class=\"ci\">not available</span>"));
    free(html);
    char charts[1100];
    snprintf(charts, sizeof charts, "%s/charts", dir);
    char *gp = read_all(charts, "charts.gp");
    assert_non_null(strstr(gp, "call '/opt/scripts/annual.gp'"));
    free(gp);
    remove_tree(dir);
    free(dir);
}

/* Workforce and cost columns, as the workforce model names them, bring their
 * rows and charts with them. */
static void test_report_with_workforce(void **state)
{
    (void)state;
    char *dir = temp_dir();
    make_run(dir);
    write_file(dir, "summary.csv",
               "metric,mean,ci95_low,ci95_high,sd,n\n"
               "flow.contacts,8359.6,8315.5,8403.7,94.1,20\n"
               "workforce.assessment_team.caseload_per_fte.mean,17.26,16.5,18,1,20\n"
               "kpi.unallocated_cases.mean,12.34,10.1,14.6,2,20\n"
               "cost.total,1234567.4,1200000,1260000,100,20\n");
    write_file(dir, "timeseries.csv",
               "date,workforce.assessment_team.caseload_per_fte.mean,"
               "workforce.assessment_team.caseload_per_fte.mean.ci95_low,"
               "workforce.assessment_team.caseload_per_fte.mean.ci95_high,"
               "kpi.unallocated_cases.mean,kpi.unallocated_cases.mean.ci95_low,"
               "kpi.unallocated_cases.mean.ci95_high,cost.total,cost.total.ci95_low,"
               "cost.total.ci95_high,cost.agency,cost.agency.ci95_low,cost.agency.ci95_high\n"
               "2022-04-30,17,16,18,12,10,14,100000,90000,110000,NA,NA,NA\n"
               "2022-05-31,17.5,16.5,18.5,13,11,15,101000,91000,111000,NA,NA,NA\n");
    err_info e;
    err_clear(&e);
    if (report_in(dir, I18N_EN, &e) != 0)
        fail_msg("%s", e.text);
    char *html = read_all(dir, "report.html");
    assert_non_null(strstr(html, "<th colspan=\"3\">Workforce and cost</th>"));
    assert_non_null(
        strstr(html, "<td>Cases not allocated to a worker</td><td class=\"n\">12.3</td>"));
    assert_non_null(strstr(html, "<td>Total cost</td><td class=\"n\">\xc2\xa3"
                                 "1,234,567</td>"));
    assert_non_null(strstr(html, "<td>assessment_team: cases per full-time worker</td>"
                                 "<td class=\"n\">17.3</td>"));
    free(html);
    char charts[1100];
    snprintf(charts, sizeof charts, "%s/charts", dir);
    char *gp = read_all(charts, "charts.gp");
    assert_non_null(strstr(gp, "outfile = 'charts/workforce-caseload.png'"));
    assert_non_null(strstr(gp, "label1 = 'assessment_team'"));
    assert_non_null(strstr(gp, "outfile = 'charts/workforce-unallocated.png'"));
    assert_non_null(strstr(gp, "outfile = 'charts/cost.png'"));
    assert_non_null(strstr(gp, "metric1 = 'cost.total'"));
    assert_null(strstr(gp, "metric2 = 'cost.agency'")); /* all NA: nothing to draw */
    assert_null(strstr(gp, "stock-looked-after"));      /* no stock columns this time */
    free(gp);
    remove_tree(dir);
    free(dir);
}

static void test_report_errors(void **state)
{
    (void)state;
    err_info e;
    assert_int_equal(report_in("/nonexistent/run", I18N_EN, &e), ERR_IO);
    assert_non_null(strstr(e.text, "/nonexistent/run: no such folder"));

    char *dir = temp_dir();
    make_run(dir);
    char path[1100];
    snprintf(path, sizeof path, "%s/timeseries.csv", dir);
    unlink(path);
    assert_int_equal(report_in(dir, I18N_EN, &e), ERR_IO);
    assert_non_null(strstr(e.text, "timeseries.csv: not found; caseflow report needs a pathway"));
    snprintf(path, sizeof path, "%s/report.html", dir);
    assert_int_not_equal(access(path, F_OK), 0); /* nothing written */

    write_file(dir, "timeseries.csv", timeseries_csv);
    write_file(dir, "summary.csv",
               "metric,mean,ci95_low,ci95_high,sd,n\n"
               "flow.contacts,8359.6,1,2,3,20\n"
               "flow.assessments,lots,1,2,3,20\n");
    assert_int_equal(report_in(dir, I18N_EN, &e), ERR_INPUT);
    assert_non_null(strstr(e.text, "summary.csv:3: column 'mean' is 'lots'"));
    assert_int_not_equal(access(path, F_OK), 0);

    write_file(dir, "summary.csv", summary_csv);
    write_file(dir, "scenario.cfg", "name = \"x\";\nhorizon_days = ;\n");
    assert_int_equal(report_in(dir, I18N_EN, &e), ERR_INPUT);
    assert_non_null(strstr(e.text, "scenario.cfg:2"));
    write_file(dir, "scenario.cfg",
               "name = \"x\";\nhorizon_days = 10.0;\nstart_date = \"2022-13-01\";\n");
    assert_int_equal(report_in(dir, I18N_EN, &e), ERR_INPUT);
    assert_non_null(strstr(e.text, "scenario.cfg:3: start_date \"2022-13-01\" is not a date"));
    remove_tree(dir);
    free(dir);
}

static void test_report_needs_gnuplot_to_draw(void **state)
{
    (void)state;
    char *dir = temp_dir();
    make_run(dir);
    char fake[1100];
    snprintf(fake, sizeof fake, "%s/gnuplot", dir);
    write_file(dir, "gnuplot", "#!/bin/sh\nexit 0\n");
    chmod(fake, 0755);
    report_options o = {.dir = dir, .lang = I18N_EN, .gnuplot = fake, .scripts_dir = "/x"};
    err_info e;
    assert_int_equal(report_make(&o, NULL, &e), ERR_IO);
    assert_non_null(strstr(e.text, "charts/stock-looked-after.png: gnuplot did not draw"));
    remove_tree(dir);
    free(dir);
}

/* Every allocation the report makes can fail: each failure is ERR_NOMEM,
 * frees what was allocated (ASan checks) and leaves no report.html. */
static void test_report_allocation_failures(void **state)
{
    (void)state;
    char *dir = temp_dir();
    make_run(dir);
    char path[1100];
    snprintf(path, sizeof path, "%s/report.html", dir);
    mem_hooks h = {failing_alloc, failing_resize, plain_free, NULL};
    long n;
    for (n = 1; n < 100000; n++) {
        alloc_countdown = n;
        mem_set_hooks(&h);
        err_info e;
        int rc = report_in(dir, I18N_EN, &e);
        mem_set_hooks(NULL);
        if (rc == 0)
            break;
        if (rc != ERR_NOMEM)
            fail_msg("allocation %ld: %s", n, e.text);
        assert_int_not_equal(access(path, F_OK), 0);
    }
    assert_true(n > 10); /* the loop did fail some allocations */
    assert_int_equal(access(path, F_OK), 0);
    remove_tree(dir);
    free(dir);
}

/* ---- a comparison ---------------------------------------------------------------- */

static const char compare_csv[] =
    "metric,variant,baseline_mean,variant_mean,diff_mean,diff_ci95_low,diff_ci95_high,"
    "rel_change,distinguishable\n"
    "flow.contacts,fewer-doors,8359.6,8359.6,0,0,0,0,no\n"
    "stock.looked_after.end,fewer-doors,369.75,350.2,-19.55,-25.1,-14,-0.0529,yes\n"
    "stage.front_door.L,fewer-doors,9.85,9.85,0,0,0,0,no\n";

static void test_report_on_a_comparison(void **state)
{
    (void)state;
    char *dir = temp_dir();
    char sub[1100];
    snprintf(sub, sizeof sub, "%s/baseline", dir);
    make_dir(sub);
    make_run(sub);
    snprintf(sub, sizeof sub, "%s/fewer-doors", dir);
    make_dir(sub);
    make_run(sub);
    write_file(sub, "scenario.cfg",
               "name = \"fewer-doors\";\nhorizon_days = 365.0;\n"
               "description = \"One front door.\";\n");
    write_file(dir, "compare.csv", compare_csv);
    err_info e;
    err_clear(&e);
    if (report_in(dir, I18N_EN, &e) != 0)
        fail_msg("%s", e.text);
    char *html = read_all(dir, "report.html");
    check_self_contained(html);
    assert_non_null(strstr(html, "Options for children&#39;s services compared"));
    assert_non_null(strstr(html, "<strong>fewer-doors</strong>: One front door."));
    assert_int_equal(count(html, "<table class=\"headline\">"), 1);
    assert_non_null(strstr(html, "<table class=\"differences\">"));
    assert_non_null(strstr(html, "<td>Children looked after</td><td>fewer-doors</td>"
                                 "<td class=\"n\">370</td><td class=\"n\">350</td>"
                                 "<td class=\"n\">-19.6<br /><span class=\"ci\">-25.1 \xe2\x80\x93 "
                                 "-14.0</span></td><td>yes</td>"));
    assert_null(strstr(html, "front_door.L"));
    free(html);
    snprintf(sub, sizeof sub, "%s/charts", dir);
    char *gp = read_all(sub, "charts.gp");
    assert_non_null(strstr(gp, "outfile = 'charts/compare-stock-looked-after.svg'"));
    assert_non_null(strstr(gp, "file1 = 'baseline/timeseries.csv'"));
    assert_non_null(strstr(gp, "file2 = 'fewer-doors/timeseries.csv'"));
    assert_non_null(strstr(gp, "outfile = 'charts/compare-differences.png'"));
    assert_non_null(strstr(gp, "metric1 = 'flow.contacts'"));
    assert_non_null(strstr(gp, "variant1 = 'fewer-doors'"));
    assert_non_null(strstr(gp, "call '/opt/scripts/diff.gp'"));
    free(gp);

    /* two folders that could be the baseline */
    snprintf(sub, sizeof sub, "%s/another", dir);
    make_dir(sub);
    make_run(sub);
    assert_int_equal(report_in(dir, I18N_EN, &e), ERR_INPUT);
    assert_non_null(strstr(e.text, "2 folders could be the baseline ('another', 'baseline')"));
    remove_tree(sub);
    /* a variant with no folder */
    snprintf(sub, sizeof sub, "%s/fewer-doors", dir);
    remove_tree(sub);
    assert_int_equal(report_in(dir, I18N_EN, &e), ERR_IO);
    assert_non_null(strstr(e.text, "fewer-doors: no such folder"));
    /* a compare.csv without its columns */
    write_file(dir, "compare.csv", "metric,variant\nx,y\n");
    assert_int_equal(report_in(dir, I18N_EN, &e), ERR_INPUT);
    assert_non_null(strstr(e.text, "compare.csv:1: no column 'baseline_mean'"));
    remove_tree(dir);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_key_in_both_languages),
        cmocka_unit_test(test_i18n_months_and_languages),
        cmocka_unit_test(test_csv_good),
        cmocka_unit_test(test_csv_malformed),
        cmocka_unit_test(test_csv_bad_numbers),
        cmocka_unit_test(test_csv_missing_file),
        cmocka_unit_test(test_csv_allocation_failures),
        cmocka_unit_test(test_html_escape),
        cmocka_unit_test(test_base64),
        cmocka_unit_test(test_numbers_and_dates),
        cmocka_unit_test(test_gnuplot_quoting),
        cmocka_unit_test(test_gnuplot_run_failures),
        cmocka_unit_test(test_report_on_a_run),
        cmocka_unit_test(test_report_by_financial_year),
        cmocka_unit_test(test_report_with_workforce),
        cmocka_unit_test(test_report_errors),
        cmocka_unit_test(test_report_needs_gnuplot_to_draw),
        cmocka_unit_test(test_report_allocation_failures),
        cmocka_unit_test(test_report_on_a_comparison),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
