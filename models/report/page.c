/*
 * page — writing report.html (see page.h).
 *
 * The page is written top to bottom straight to the output file; every figure
 * is read from the CSV tables as it is needed, so a malformed number is
 * reported at its FILE:LINE. Layout is plain block elements and tables with a
 * short inline style sheet: one column that narrows to a phone's width, wide
 * tables scrolling sideways inside their box, images scaled to fit.
 */
#include "page.h"

#include <math.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>

#include "report/headline.h"
#include "report/html.h"
#include "report/numfmt.h"

#define TEXT_MAX 1024

static const char style_sheet[] =
    "body{font-family:Arial,'Liberation Sans',Helvetica,sans-serif;line-height:1.5;"
    "color:#1b1b1b;background:#fff;max-width:62em;margin:0 auto;padding:1em}"
    "h1{font-size:1.7em;line-height:1.25;margin:.1em 0 .4em}"
    "h2{font-size:1.3em;margin:1.8em 0 .5em;padding-bottom:.2em;border-bottom:3px solid #0072B2}"
    ".kicker{color:#555;margin:0;text-transform:uppercase;letter-spacing:.05em;font-size:.85em}"
    ".meta{color:#444}"
    ".scroll{overflow-x:auto}"
    "table{border-collapse:collapse;width:100%;margin:.5em 0;font-size:.95em}"
    "th,td{padding:.35em .5em;border-bottom:1px solid #ccc;text-align:left;vertical-align:top}"
    "thead th{border-bottom:2px solid #444}"
    ".n{text-align:right;white-space:nowrap}"
    "tr.group th{background:#eef4fa;padding-top:.6em}"
    ".ci{color:#444;font-size:.9em}"
    ".note{background:#fff7e0;border-left:4px solid #E69F00;padding:.6em .9em}"
    ".figure{margin:1.6em 0;page-break-inside:avoid}"
    ".figure img{display:block;max-width:100%;height:auto;border:1px solid #ddd}"
    ".caption{font-size:.92em;color:#333;margin:.4em 0 0}"
    "@media print{body{max-width:none}.scroll{overflow:visible}}";

/* ---- reading figures -------------------------------------------------------- */

typedef struct figure {
    double mean, lo, hi;
} figure;

/* The row of metric in a summary-like table (column 0 is the name), trying
 * metric and metric.mean; -1 if absent. */
static long find_metric(const csvin *t, const char *metric)
{
    long r = csvin_find(t, 0, metric);
    if (r < 0) {
        char alt[256];
        snprintf(alt, sizeof alt, "%s.mean", metric);
        r = csvin_find(t, 0, alt);
    }
    return r;
}

static int check_columns(const csvin *t, const char *const *cols, size_t n, err_info *e)
{
    for (size_t i = 0; i < n; i++)
        if (csvin_col(t, cols[i]) < 0)
            return err_set(e, ERR_INPUT, csvin_name(t), 1, "no column '%s'; expected %s", cols[i],
                           "metric,mean,ci95_low,ci95_high,sd,n");
    return 0;
}

/* Reads a figure from row r, columns mean/lo/hi of t. */
static int read_figure(const csvin *t, long r, long cm, long cl, long ch, figure *f, err_info *e)
{
    int rc = csvin_number(t, (size_t)r, (size_t)cm, &f->mean, e);
    if (rc == 0)
        rc = csvin_number(t, (size_t)r, (size_t)cl, &f->lo, e);
    if (rc == 0)
        rc = csvin_number(t, (size_t)r, (size_t)ch, &f->hi, e);
    return rc;
}

/* metric from summary.csv: 1 found, 0 absent, or an error code. */
static int summary_figure(const csvin *t, const char *metric, figure *f, err_info *e)
{
    long r = find_metric(t, metric);
    if (r < 0)
        return 0;
    int rc = read_figure(t, r, csvin_col(t, "mean"), csvin_col(t, "ci95_low"),
                         csvin_col(t, "ci95_high"), f, e);
    return rc != 0 ? rc : 1;
}

/* ---- formatting ------------------------------------------------------------- */

static const char *fmt_kind(char *buf, size_t n, double v, headline_kind k)
{
    switch (k) {
    case HEADLINE_SHARE:
        return numfmt_percent(buf, n, v);
    case HEADLINE_MONEY:
        return numfmt_money(buf, n, v);
    case HEADLINE_COUNT:
        return numfmt_number(buf, n, v, 1);
    default:
        return numfmt_number(buf, n, v, 0);
    }
}

/* "lo – hi", or "not available" when the run has no interval (one run). */
static void put_interval(FILE *fp, const figure *f, headline_kind k, i18n_lang lang)
{
    char a[NUMFMT_MAX], b[NUMFMT_MAX];
    if (!isfinite(f->lo) || !isfinite(f->hi)) {
        html_escape(fp, i18n_get(lang, I18N_NOT_AVAILABLE));
        return;
    }
    fprintf(fp, "%s \xe2\x80\x93 %s", fmt_kind(a, sizeof a, f->lo, k),
            fmt_kind(b, sizeof b, f->hi, k));
}

/* Writes an i18n format with one or two already-formatted strings, escaped. */
static void put_fmt(FILE *fp, i18n_lang lang, i18n_key key, const char *a, const char *b)
{
    char buf[TEXT_MAX];
    snprintf(buf, sizeof buf, i18n_get(lang, key), a, b);
    html_escape(fp, buf);
}

static void put_text(FILE *fp, i18n_lang lang, i18n_key key)
{
    html_escape(fp, i18n_get(lang, key));
}

/* The run's first and last counted days. */
static void period(const runinfo *ri, i18n_lang lang, char *first, char *last, size_t n)
{
    long from = ri->start_day + (long)floor(ri->warmup_days);
    long to = ri->start_day + (long)ceil(ri->horizon_days) - 1;
    numfmt_date(first, n, from, lang);
    numfmt_date(last, n, to, lang);
}

/* ---- the page's frame ------------------------------------------------------- */

static void put_head(FILE *fp, const runinfo *ri, i18n_key title, i18n_lang lang)
{
    fprintf(fp, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n", i18n_lang_code(lang));
    fputs("<meta charset=\"utf-8\" />\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\" />\n<title>",
          fp);
    html_escape(fp, ri->name);
    fputs(" \xe2\x80\x93 ", fp);
    put_text(fp, lang, title);
    fprintf(fp, "</title>\n<style>%s</style>\n</head>\n<body>\n", style_sheet);
    fputs("<div class=\"header\">\n<p class=\"kicker\">", fp);
    put_text(fp, lang, title);
    fputs("</p>\n<h1>", fp);
    html_escape(fp, ri->name);
    fputs("</h1>\n", fp);
    if (ri->description[0] != '\0') {
        fputs("<p class=\"description\">", fp);
        html_escape(fp, ri->description);
        fputs("</p>\n", fp);
    }
    char first[NUMFMT_MAX], last[NUMFMT_MAX], buf[TEXT_MAX];
    period(ri, lang, first, last, sizeof first);
    fputs("<p class=\"meta\">", fp);
    put_fmt(fp, lang, I18N_PAGE_PERIOD, first, last);
    fputc(' ', fp);
    snprintf(buf, sizeof buf, i18n_get(lang, I18N_PAGE_RUNS), ri->replications);
    html_escape(fp, buf);
    if (ri->version[0] != '\0') {
        fputc(' ', fp);
        put_fmt(fp, lang, I18N_PAGE_PRODUCED, ri->version, "");
    }
    fputs("</p>\n</div>\n", fp);
}

static void put_tail(FILE *fp)
{
    fputs("</body>\n</html>\n", fp);
}

static void heading(FILE *fp, const char *id, i18n_key key, i18n_lang lang)
{
    fprintf(fp, "<h2 id=\"%s\">", id);
    put_text(fp, lang, key);
    fputs("</h2>\n", fp);
}

static void paragraph(FILE *fp, const char *cls, i18n_key key, i18n_lang lang)
{
    fprintf(fp, "<p%s%s%s>", cls ? " class=\"" : "", cls ? cls : "", cls ? "\"" : "");
    put_text(fp, lang, key);
    fputs("</p>\n", fp);
}

/* ---- the headline table ----------------------------------------------------- */

static void group_row(FILE *fp, headline_group g, const runinfo *ri, int cols, i18n_lang lang)
{
    char first[NUMFMT_MAX], last[NUMFMT_MAX];
    period(ri, lang, first, last, sizeof first);
    fprintf(fp, "<tr class=\"group\"><th colspan=\"%d\">", cols);
    if (g == HEADLINE_G_FLOWS)
        put_fmt(fp, lang, I18N_ROWS_FLOWS, first, last);
    else if (g == HEADLINE_G_STOCKS)
        put_fmt(fp, lang, I18N_ROWS_STOCKS, last, "");
    else
        put_text(fp, lang, g == HEADLINE_G_KPIS ? I18N_ROWS_KPIS : I18N_ROWS_WORKFORCE);
    fputs("</th></tr>\n", fp);
}

static int headline_row(FILE *fp, const runinfo *ri, const char *metric, const char *label,
                        headline_kind kind, bool rate_col, i18n_lang lang, err_info *e)
{
    figure f;
    char m[NUMFMT_MAX];
    int rc = summary_figure(ri->summary, metric, &f, e);
    if (rc <= 0)
        return rc;
    fputs("<tr><td>", fp);
    html_escape(fp, label);
    fprintf(fp, "</td><td class=\"n\">%s</td><td class=\"n\">",
            fmt_kind(m, sizeof m, f.mean, kind));
    put_interval(fp, &f, kind, lang);
    fputs("</td>", fp);
    if (rate_col) {
        char per[256];
        figure r;
        snprintf(per, sizeof per, "%s_per_10k", metric);
        rc = kind == HEADLINE_STOCK ? summary_figure(ri->summary, per, &r, e) : 0;
        if (rc < 0)
            return rc;
        fprintf(fp, "<td class=\"n\">%s</td>", rc > 0 ? numfmt_number(m, sizeof m, r.mean, 1) : "");
    }
    fputs("</tr>\n", fp);
    return 0;
}

/* Caseload rows: every workforce.<team>.caseload_per_fte metric. */
static int caseload_rows(FILE *fp, const runinfo *ri, bool rate_col, i18n_lang lang, err_info *e)
{
    int rc = 0;
    for (size_t r = 0; r < csvin_rows(ri->summary) && rc == 0; r++) {
        const char *m = csvin_cell(ri->summary, r, 0);
        const char *tail = strstr(m, ".caseload_per_fte");
        if (strncmp(m, "workforce.", 10) != 0 || tail == NULL ||
            (tail[17] != '\0' && strcmp(tail + 17, ".mean") != 0))
            continue;
        char team[256], label[TEXT_MAX];
        snprintf(team, sizeof team, "%.*s", (int)(tail - (m + 10)), m + 10);
        snprintf(label, sizeof label, i18n_get(lang, I18N_W_CASELOAD), team);
        rc = headline_row(fp, ri, m, label, HEADLINE_COUNT, rate_col, lang, e);
    }
    return rc;
}

static bool group_present(const runinfo *ri, headline_group g)
{
    size_t n;
    const headline *h = headline_all(&n);
    for (size_t i = 0; i < n; i++)
        if (h[i].group == g && find_metric(ri->summary, h[i].metric) >= 0)
            return true;
    if (g != HEADLINE_G_WORKFORCE)
        return false;
    for (size_t r = 0; r < csvin_rows(ri->summary); r++)
        if (strstr(csvin_cell(ri->summary, r, 0), ".caseload_per_fte") != NULL)
            return true;
    return false;
}

static int headline_table(FILE *fp, const runinfo *ri, i18n_lang lang, err_info *e)
{
    static const char *const cols[] = {"metric", "mean", "ci95_low", "ci95_high"};
    int rc = check_columns(ri->summary, cols, 4, e);
    if (rc != 0)
        return rc;
    bool rate_col = ri->population > 0 && group_present(ri, HEADLINE_G_STOCKS);
    int ncols = rate_col ? 4 : 3;
    char buf[TEXT_MAX];
    heading(fp, "headline", I18N_HEADLINE_HEADING, lang);
    snprintf(buf, sizeof buf, i18n_get(lang, I18N_HEADLINE_INTRO), ri->replications);
    fputs("<p>", fp);
    html_escape(fp, buf);
    fputs("</p>\n<div class=\"scroll\"><table class=\"headline\">\n<thead><tr><th>", fp);
    put_text(fp, lang, I18N_COL_MEASURE);
    fputs("</th><th class=\"n\">", fp);
    put_text(fp, lang, I18N_COL_MEAN);
    fputs("</th><th class=\"n\">", fp);
    put_text(fp, lang, I18N_COL_CI);
    if (rate_col) {
        fputs("</th><th class=\"n\">", fp);
        put_text(fp, lang, I18N_COL_PER_10K);
    }
    fputs("</th></tr></thead>\n<tbody>\n", fp);
    size_t n;
    const headline *h = headline_all(&n);
    for (int g = HEADLINE_G_FLOWS; g <= HEADLINE_G_WORKFORCE && rc == 0; g++) {
        if (!group_present(ri, (headline_group)g))
            continue;
        group_row(fp, (headline_group)g, ri, ncols, lang);
        for (size_t i = 0; i < n && rc == 0; i++)
            if (h[i].group == (headline_group)g)
                rc = headline_row(fp, ri, h[i].metric, i18n_get(lang, h[i].label), h[i].kind,
                                  rate_col, lang, e);
        if (rc == 0 && g == HEADLINE_G_WORKFORCE)
            rc = caseload_rows(fp, ri, rate_col, lang, e);
    }
    fputs("</tbody>\n</table></div>\n<p class=\"note\">", fp);
    put_text(fp, lang, I18N_INTERVALS_SENTENCE);
    fputs("</p>\n", fp);
    return rc;
}

/* ---- by financial year ------------------------------------------------------ */

static int year_row(FILE *fp, const csvin *t, const headline *h, i18n_lang lang, err_info *e)
{
    char lo[256], hi[256];
    snprintf(lo, sizeof lo, "%s.ci95_low", h->series);
    snprintf(hi, sizeof hi, "%s.ci95_high", h->series);
    long cm = csvin_col(t, h->series), cl = csvin_col(t, lo), ch = csvin_col(t, hi);
    fputs("<tr><td>", fp);
    put_text(fp, lang, h->label);
    fputs("</td>", fp);
    for (size_t r = 0; r < csvin_rows(t); r++) {
        figure f;
        char m[NUMFMT_MAX];
        int rc = read_figure(t, (long)r, cm, cl, ch, &f, e);
        if (rc != 0)
            return rc;
        fprintf(fp, "<td class=\"n\">%s<br /><span class=\"ci\">",
                fmt_kind(m, sizeof m, f.mean, h->kind));
        put_interval(fp, &f, h->kind, lang);
        fputs("</span></td>", fp);
    }
    fputs("</tr>\n", fp);
    return 0;
}

static int year_table(FILE *fp, const runinfo *ri, i18n_lang lang, err_info *e)
{
    const csvin *t = ri->annual;
    if (t == NULL || csvin_rows(t) < 2)
        return 0;
    long fy = csvin_col(t, "financial_year");
    if (fy < 0)
        return err_set(e, ERR_INPUT, csvin_name(t), 1, "no column 'financial_year'");
    heading(fp, "years", I18N_FY_HEADING, lang);
    paragraph(fp, NULL, I18N_FY_INTRO, lang);
    fputs("<div class=\"scroll\"><table class=\"years\">\n<thead><tr><th>", fp);
    put_text(fp, lang, I18N_COL_MEASURE);
    fputs("</th>", fp);
    for (size_t r = 0; r < csvin_rows(t); r++) {
        fputs("<th class=\"n\">", fp);
        html_escape(fp, csvin_cell(t, r, (size_t)fy));
        fputs("</th>", fp);
    }
    fputs("</tr></thead>\n<tbody>\n", fp);
    size_t n;
    const headline *h = headline_all(&n);
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++)
        if (runinfo_has_series(t, h[i].series))
            rc = year_row(fp, t, &h[i], lang, e);
    fputs("</tbody>\n</table></div>\n", fp);
    return rc;
}

/* ---- charts ----------------------------------------------------------------- */

static int put_charts(FILE *fp, const char *dir, const chart_list *cl, i18n_lang lang, err_info *e)
{
    if (cl->n == 0)
        return 0;
    heading(fp, "charts", I18N_CHARTS_HEADING, lang);
    paragraph(fp, NULL, I18N_CHARTS_INTRO, lang);
    for (size_t i = 0; i < cl->n; i++) {
        const chart *c = &cl->v[i];
        char path[4096 + CHARTS_ID_MAX + 16];
        struct stat st;
        snprintf(path, sizeof path, "%s/charts/%s.svg", dir, c->id);
        if (stat(path, &st) != 0)
            continue;
        fprintf(fp, "<div class=\"figure\" id=\"chart-%s\">\n<img alt=\"", c->id);
        html_escape(fp, c->title);
        fputs("\" src=\"", fp);
        int rc = html_data_uri(fp, path, "image/svg+xml", e);
        if (rc != 0)
            return rc;
        fputs("\" />\n<p class=\"caption\">", fp);
        html_escape(fp, c->caption);
        fputs("</p>\n</div>\n", fp);
    }
    return 0;
}

/* ---- assumptions ------------------------------------------------------------ */

static void setting_row(FILE *fp, i18n_lang lang, i18n_key key, const char *value)
{
    fputs("<tr><th>", fp);
    put_text(fp, lang, key);
    fputs("</th><td>", fp);
    html_escape(fp, value);
    fputs("</td></tr>\n", fp);
}

static void settings_table(FILE *fp, const runinfo *ri, i18n_lang lang)
{
    char a[NUMFMT_MAX], b[NUMFMT_MAX], buf[TEXT_MAX];
    fputs("<div class=\"scroll\"><table class=\"assumptions\">\n<tbody>\n", fp);
    setting_row(fp, lang, I18N_PAGE_SCENARIO, ri->name);
    setting_row(fp, lang, I18N_A_START, numfmt_date(a, sizeof a, ri->start_day, lang));
    numfmt_number(a, sizeof a, ri->horizon_days, 0);
    numfmt_date(b, sizeof b, ri->start_day + (long)ceil(ri->horizon_days) - 1, lang);
    snprintf(buf, sizeof buf, i18n_get(lang, I18N_A_LENGTH_VALUE), a, b);
    setting_row(fp, lang, I18N_A_LENGTH, buf);
    if (ri->warmup_days > 0) {
        snprintf(buf, sizeof buf, i18n_get(lang, I18N_A_DAYS),
                 numfmt_number(a, sizeof a, ri->warmup_days, 0));
        setting_row(fp, lang, I18N_A_WARMUP, buf);
    }
    snprintf(buf, sizeof buf, "%u", ri->replications);
    setting_row(fp, lang, I18N_A_REPLICATIONS, buf);
    snprintf(buf, sizeof buf, "%lld", (long long)ri->seed);
    setting_row(fp, lang, I18N_A_SEED, buf);
    if (ri->population > 0)
        setting_row(fp, lang, I18N_A_POPULATION, numfmt_number(a, sizeof a, ri->population, 0));
    if (isfinite(ri->contacts_per_year))
        setting_row(fp, lang, I18N_A_CONTACTS,
                    numfmt_number(a, sizeof a, ri->contacts_per_year, 0));
    if (isfinite(ri->growth_per_year))
        setting_row(fp, lang, I18N_A_GROWTH, numfmt_percent(a, sizeof a, ri->growth_per_year));
    fputs("</tbody>\n</table></div>\n", fp);
}

/* A stage's name for reading: underscores as spaces. */
static void put_stage_name(FILE *fp, const char *name)
{
    char buf[256];
    snprintf(buf, sizeof buf, "%s", name);
    for (char *p = buf; *p; p++)
        if (*p == '_')
            *p = ' ';
    html_escape(fp, buf);
}

static void stages_table(FILE *fp, const runinfo *ri, i18n_lang lang)
{
    if (ri->n_stages == 0)
        return;
    fputs("<h3>", fp);
    put_text(fp, lang, I18N_A_STAGES);
    fputs("</h3>\n<div class=\"scroll\"><table class=\"stages\">\n<thead><tr><th>", fp);
    put_text(fp, lang, I18N_COL_STAGE);
    fputs("</th><th class=\"n\">", fp);
    put_text(fp, lang, I18N_COL_PLACES);
    fputs("</th><th class=\"n\">", fp);
    put_text(fp, lang, I18N_COL_INITIAL);
    fputs("</th></tr></thead>\n<tbody>\n", fp);
    for (size_t i = 0; i < ri->n_stages; i++) {
        const runinfo_stage *s = &ri->stages[i];
        char a[NUMFMT_MAX];
        fputs("<tr><td>", fp);
        put_stage_name(fp, s->name);
        fputs("</td><td class=\"n\">", fp);
        if (s->servers == 0)
            put_text(fp, lang, I18N_UNLIMITED);
        else
            fputs(numfmt_number(a, sizeof a, (double)s->servers, 0), fp);
        fprintf(fp, "</td><td class=\"n\">%s</td></tr>\n",
                numfmt_number(a, sizeof a, (double)s->initial, 0));
    }
    fputs("</tbody>\n</table></div>\n", fp);
}

static void assumptions(FILE *fp, const runinfo *ri, i18n_lang lang)
{
    heading(fp, "assumptions", I18N_ASSUMPTIONS_HEADING, lang);
    paragraph(fp, NULL, I18N_ASSUMPTIONS_INTRO, lang);
    settings_table(fp, ri, lang);
    stages_table(fp, ri, lang);
}

/* ---- a run ------------------------------------------------------------------ */

int page_write_run(FILE *fp, const runinfo *ri, const chart_list *cl, i18n_lang lang, err_info *e)
{
    put_head(fp, ri, I18N_PAGE_TITLE, lang);
    int rc = headline_table(fp, ri, lang, e);
    if (rc == 0)
        rc = year_table(fp, ri, lang, e);
    if (rc == 0)
        rc = put_charts(fp, ri->dir, cl, lang, e);
    if (rc == 0)
        assumptions(fp, ri, lang);
    put_tail(fp);
    return rc;
}

/* ---- a comparison ----------------------------------------------------------- */

/* An option by its folder's name (the name compare.csv and the charts use),
 * then its scenario's description. */
static void option_item(FILE *fp, const runcompare *c, const runinfo *ri, i18n_lang lang)
{
    const char *folder = runinfo_compare_folder(c, ri);
    fputs("<li><strong>", fp);
    if (ri == &c->baseline)
        put_fmt(fp, lang, I18N_OPTION_BASELINE, folder, "");
    else
        html_escape(fp, folder);
    fputs("</strong>", fp);
    if (ri->description[0] != '\0') {
        fputs(": ", fp);
        html_escape(fp, ri->description);
    }
    fputs("</li>\n", fp);
}

static void options_list(FILE *fp, const runcompare *c, i18n_lang lang)
{
    heading(fp, "options", I18N_OPTIONS_HEADING, lang);
    fputs("<ul>\n", fp);
    option_item(fp, c, &c->baseline, lang);
    for (size_t i = 0; i < c->n_variants; i++)
        option_item(fp, c, &c->variants[i], lang);
    fputs("</ul>\n", fp);
}

/* A signed figure: "+12", "-3.5". */
static const char *fmt_signed(char *buf, size_t n, double v, headline_kind k)
{
    size_t o = 0;
    if (isfinite(v) && v > 0 && n > 1)
        buf[o++] = '+';
    if (k == HEADLINE_STOCK || k == HEADLINE_FLOW)
        numfmt_number(buf + o, n - o, v, 1);
    else
        fmt_kind(buf + o, n - o, v, k);
    return buf;
}

static void put_distinguishable(FILE *fp, const char *v, i18n_lang lang)
{
    if (strcmp(v, "yes") == 0 || strcmp(v, "true") == 0 || strcmp(v, "1") == 0)
        put_text(fp, lang, I18N_YES);
    else if (strcmp(v, "no") == 0 || strcmp(v, "false") == 0 || strcmp(v, "0") == 0)
        put_text(fp, lang, I18N_NO);
    else
        html_escape(fp, v);
}

static int diff_row(FILE *fp, const csvin *t, size_t r, const headline *h, i18n_lang lang,
                    err_info *e)
{
    double base, var = NAN, d, lo, hi;
    long cvm = csvin_col(t, "variant_mean"), cd = csvin_col(t, "distinguishable");
    int rc = csvin_number(t, r, (size_t)csvin_col(t, "baseline_mean"), &base, e);
    if (rc == 0 && cvm >= 0)
        rc = csvin_number(t, r, (size_t)cvm, &var, e);
    if (rc == 0)
        rc = csvin_number(t, r, (size_t)csvin_col(t, "diff_mean"), &d, e);
    if (rc == 0)
        rc = csvin_number(t, r, (size_t)csvin_col(t, "diff_ci95_low"), &lo, e);
    if (rc == 0)
        rc = csvin_number(t, r, (size_t)csvin_col(t, "diff_ci95_high"), &hi, e);
    if (rc != 0)
        return rc;
    if (cvm < 0)
        var = base + d;
    char a[NUMFMT_MAX], b[NUMFMT_MAX], c[NUMFMT_MAX];
    fputs("<tr><td>", fp);
    put_text(fp, lang, h->label);
    fputs("</td><td>", fp);
    html_escape(fp, csvin_cell(t, r, (size_t)csvin_col(t, "variant")));
    fprintf(fp, "</td><td class=\"n\">%s</td><td class=\"n\">%s</td>",
            fmt_kind(a, sizeof a, base, h->kind), fmt_kind(b, sizeof b, var, h->kind));
    fprintf(fp, "<td class=\"n\">%s<br /><span class=\"ci\">", fmt_signed(a, sizeof a, d, h->kind));
    if (isfinite(lo) && isfinite(hi))
        fprintf(fp, "%s \xe2\x80\x93 %s", fmt_signed(b, sizeof b, lo, h->kind),
                fmt_signed(c, sizeof c, hi, h->kind));
    else
        put_text(fp, lang, I18N_NOT_AVAILABLE);
    fputs("</span></td>", fp);
    if (cd >= 0) {
        fputs("<td>", fp);
        put_distinguishable(fp, csvin_cell(t, r, (size_t)cd), lang);
        fputs("</td>", fp);
    }
    fputs("</tr>\n", fp);
    return 0;
}

static void diff_header(FILE *fp, bool distinguishable, i18n_lang lang)
{
    static const i18n_key cols[] = {I18N_COL_MEASURE,       I18N_COL_OPTION,
                                    I18N_COL_BASELINE_MEAN, I18N_COL_OPTION_MEAN,
                                    I18N_COL_DIFFERENCE,    I18N_COL_DISTINGUISHABLE};
    fputs("<thead><tr>", fp);
    for (size_t i = 0; i < (distinguishable ? 6u : 5u); i++) {
        fputs(i >= 2 && i <= 4 ? "<th class=\"n\">" : "<th>", fp);
        put_text(fp, lang, cols[i]);
        fputs("</th>", fp);
    }
    fputs("</tr></thead>\n", fp);
}

static int diff_table(FILE *fp, const runcompare *c, i18n_lang lang, err_info *e)
{
    const csvin *t = c->table;
    size_t n;
    const headline *h = headline_all(&n);
    heading(fp, "differences", I18N_DIFF_HEADING, lang);
    paragraph(fp, NULL, I18N_DIFF_INTRO, lang);
    fputs("<div class=\"scroll\"><table class=\"differences\">\n", fp);
    diff_header(fp, csvin_col(t, "distinguishable") >= 0, lang);
    fputs("<tbody>\n", fp);
    int rc = 0;
    size_t mc = (size_t)csvin_col(t, "metric");
    for (size_t i = 0; i < n && rc == 0; i++)
        for (size_t r = 0; r < csvin_rows(t) && rc == 0; r++) {
            const char *m = csvin_cell(t, r, mc);
            size_t len = strlen(h[i].metric);
            if (strncmp(m, h[i].metric, len) == 0 &&
                (m[len] == '\0' || strcmp(m + len, ".mean") == 0))
                rc = diff_row(fp, t, r, &h[i], lang, e);
        }
    fputs("</tbody>\n</table></div>\n", fp);
    return rc;
}

int page_write_compare(FILE *fp, const runcompare *c, const chart_list *cl, i18n_lang lang,
                       err_info *e)
{
    put_head(fp, &c->baseline, I18N_PAGE_TITLE_COMPARE, lang);
    options_list(fp, c, lang);
    int rc = headline_table(fp, &c->baseline, lang, e);
    if (rc == 0)
        rc = diff_table(fp, c, lang, e);
    if (rc == 0)
        rc = put_charts(fp, c->dir, cl, lang, e);
    if (rc == 0)
        assumptions(fp, &c->baseline, lang);
    put_tail(fp);
    return rc;
}
