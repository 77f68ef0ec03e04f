/*
 * charts — planning a report's charts and writing the gnuplot script for them.
 *
 * Planning is a list of decisions about columns: a series is drawn only when
 * the CSV it reads has every column it plots (M, M.ci95_low, M.ci95_high) and
 * at least one value in them, so a chart can never fail in gnuplot for want
 * of data, and the workforce and cost charts appear by themselves once a run
 * writes those metrics. A run of one replication has no intervals: its charts
 * are drawn without bands (noband).
 *
 * Each chart's settings are kept as gnuplot assignment lines; the script
 * writer brackets them with `reset session` (so no setting leaks from one
 * chart to the next) and a `call` of the chart's script, once per format.
 */
#include "charts.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <string.h>

#include "mem.h"
#include "report/headline.h"
#include "report/numfmt.h"

#define TEXT_MAX   1024
#define SERIES_MAX 16 /* lines on one chart; the palette repeats after 8 */
#define TITLE_LINE 64 /* bytes of title on one line before it is split in two */

/* ---- building a chart ------------------------------------------------------ */

void charts_fini(chart_list *cl)
{
    for (size_t i = 0; i < cl->n; i++) {
        mem_free(cl->v[i].title);
        mem_free(cl->v[i].caption);
        mem_free(cl->v[i].vars);
    }
    mem_free(cl->v);
    memset(cl, 0, sizeof *cl);
}

static chart *new_chart(chart_list *cl, const char *id, const char *script, err_info *e)
{
    if (cl->n == cl->cap) {
        size_t cap = cl->cap ? 2 * cl->cap : 16;
        chart *v = mem_resize(cl->v, cap, sizeof *v);
        if (v == NULL) {
            err_set(e, ERR_NOMEM, NULL, 0, "out of memory planning the charts");
            return NULL;
        }
        cl->v = v;
        cl->cap = cap;
    }
    chart *c = &cl->v[cl->n++];
    memset(c, 0, sizeof *c);
    snprintf(c->id, sizeof c->id, "%s", id);
    c->script = script;
    return c;
}

/* Appends text to c->vars. */
static int append(chart *c, const char *text, err_info *e)
{
    size_t n = strlen(text);
    char *v = mem_resize(c->vars, c->vars_len + n + 1, 1);
    if (v == NULL)
        return err_set(e, ERR_NOMEM, NULL, 0, "out of memory planning the charts");
    memcpy(v + c->vars_len, text, n + 1);
    c->vars = v;
    c->vars_len += n;
    return 0;
}

/* The gnuplot single-quoted form of s into buf (at most size bytes). */
static void quote_into(char *buf, size_t size, const char *s)
{
    size_t o = 0;
    if (size < 3) {
        buf[0] = '\0';
        return;
    }
    buf[o++] = '\'';
    for (const unsigned char *p = (const unsigned char *)s; *p != '\0' && o + 3 < size; p++) {
        if (*p == '\'')
            buf[o++] = '\'';
        buf[o++] = *p < 0x20 ? ' ' : (char)*p;
    }
    buf[o++] = '\'';
    buf[o] = '\0';
}

void charts_put_quoted(FILE *fp, const char *s)
{
    char buf[2 * TEXT_MAX + 3];
    quote_into(buf, sizeof buf, s);
    fputs(buf, fp);
}

static int set_str(chart *c, const char *name, const char *value, err_info *e)
{
    char line[2 * TEXT_MAX + 64], q[2 * TEXT_MAX + 3];
    quote_into(q, sizeof q, value);
    snprintf(line, sizeof line, "%s = %s\n", name, q);
    return append(c, line, e);
}

/* The chart's title, on two lines when it is long: split at the space
 * nearest its middle, joined with a gnuplot newline. */
static int set_title(chart *c, const char *title, err_info *e)
{
    size_t len = strlen(title), cut = 0, best = SIZE_MAX;
    if (len <= TITLE_LINE)
        return set_str(c, "title", title, e);
    for (size_t i = 1; i < len; i++) {
        size_t off = i > len / 2 ? i - len / 2 : len / 2 - i; /* distance from the middle */
        if (title[i] == ' ' && off < best)
            cut = i, best = off;
    }
    if (cut == 0)
        return set_str(c, "title", title, e);
    char first[TEXT_MAX], q1[2 * TEXT_MAX + 3], q2[2 * TEXT_MAX + 3], line[4 * TEXT_MAX + 64];
    snprintf(first, sizeof first, "%.*s", (int)cut, title);
    quote_into(q1, sizeof q1, first);
    quote_into(q2, sizeof q2, title + cut + 1);
    snprintf(line, sizeof line, "title = %s . \"\\n\" . %s\n", q1, q2);
    return append(c, line, e);
}

static int set_num(chart *c, const char *name, double v, err_info *e)
{
    char line[128];
    snprintf(line, sizeof line, "%s = %.10g\n", name, v);
    return append(c, line, e);
}

/* Series i (1-based) of a chart: its column stem, legend label and file. */
static int set_series(chart *c, int i, const char *stem, const char *label, const char *file,
                      err_info *e)
{
    char name[32];
    int rc;
    snprintf(name, sizeof name, "metric%d", i);
    if ((rc = set_str(c, name, stem, e)) != 0)
        return rc;
    snprintf(name, sizeof name, "label%d", i);
    if ((rc = set_str(c, name, label, e)) != 0)
        return rc;
    if (file == NULL)
        return 0;
    snprintf(name, sizeof name, "file%d", i);
    return set_str(c, name, file, e);
}

static int set_text(char **dst, err_info *e, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int set_text(char **dst, err_info *e, const char *fmt, ...)
{
    char buf[TEXT_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    mem_free(*dst);
    *dst = mem_strdup(buf);
    return *dst == NULL ? err_set(e, ERR_NOMEM, NULL, 0, "out of memory planning the charts") : 0;
}

/* ---- what the words say ---------------------------------------------------- */

/* A series' label: the headline table's, else the stem after its last dot. */
static const char *series_label(const char *stem, i18n_lang lang)
{
    const headline *h = headline_find_series(stem);
    if (h == NULL) {
        size_t n = strlen(stem);
        if (n > 5 && strcmp(stem + n - 5, ".mean") == 0) {
            char base[256];
            snprintf(base, sizeof base, "%.*s", (int)(n - 5), stem);
            h = headline_find_series(base);
        }
    }
    if (h != NULL)
        return i18n_get(lang, h->label);
    const char *dot = strrchr(stem, '.');
    return dot != NULL ? dot + 1 : stem;
}

/* The caption of a month-by-month chart: the fan sentence, plus the rate
 * axis when there is one. */
static int fan_caption(chart *c, const runinfo *ri, i18n_lang lang, bool per10k, err_info *e)
{
    char fan[TEXT_MAX], pop[NUMFMT_MAX];
    snprintf(fan, sizeof fan, i18n_get(lang, I18N_C_FAN), ri->replications);
    if (!per10k)
        return set_text(&c->caption, e, "%s", fan);
    char rate[TEXT_MAX];
    snprintf(rate, sizeof rate, i18n_get(lang, I18N_C_PER_10K),
             numfmt_number(pop, sizeof pop, ri->population, 0));
    return set_text(&c->caption, e, "%s %s", fan, rate);
}

/* Settings every month-by-month chart shares; a single replication has no
 * intervals to shade. */
static int fan_common(chart *c, const char *infile, const char *title, i18n_key ylabel,
                      uint32_t reps, i18n_lang lang, err_info *e)
{
    int rc;
    if (reps < 2 && (rc = set_num(c, "noband", 1, e)) != 0)
        return rc;
    if ((rc = set_text(&c->title, e, "%s", title)) != 0 ||
        (rc = set_str(c, "infile", infile, e)) != 0 || (rc = set_title(c, title, e)) != 0 ||
        (rc = set_str(c, "ylabel", i18n_get(lang, ylabel), e)) != 0 ||
        (rc = set_str(c, "bandlabel", i18n_get(lang, I18N_L_BAND), e)) != 0)
        return rc;
    return set_str(c, "months", i18n_get(lang, I18N_MONTHS_SHORT), e);
}

static int set_rate_axis(chart *c, const runinfo *ri, i18n_lang lang, err_info *e)
{
    int rc = set_num(c, "per10k", 10000.0 / ri->population, e);
    return rc != 0 ? rc : set_str(c, "y2label", i18n_get(lang, I18N_Y_PER_10K), e);
}

/* ---- a run ----------------------------------------------------------------- */

/* t has stem's three columns and at least one month (or year) with a mean:
 * gnuplot refuses a chart with nothing to draw. */
static bool usable(const csvin *t, const char *stem)
{
    if (!runinfo_has_series(t, stem))
        return false;
    size_t col = (size_t)csvin_col(t, stem);
    for (size_t r = 0; r < csvin_rows(t); r++) {
        double v;
        if (csvin_number(t, r, col, &v, NULL) == 0 && isfinite(v))
            return true;
    }
    return false;
}

typedef struct stem_list {
    const char *stem[SERIES_MAX];
    int n;
} stem_list;

static void keep_present(stem_list *out, const csvin *t, const char *const *stems, size_t n)
{
    out->n = 0;
    for (size_t i = 0; i < n && out->n < SERIES_MAX; i++)
        if (usable(t, stems[i]))
            out->stem[out->n++] = stems[i];
}

/* Every stem in t's header that starts with prefix and contains part. */
static void find_stems(stem_list *out, const csvin *t, const char *prefix, const char *part,
                       const char *except)
{
    out->n = 0;
    for (size_t col = 0; col < csvin_cols(t) && out->n < SERIES_MAX; col++) {
        const char *h = csvin_header(t, col);
        if (strncmp(h, prefix, strlen(prefix)) == 0 && strstr(h, part) != NULL &&
            (except == NULL || strstr(h, except) == NULL) && usable(t, h))
            out->stem[out->n++] = h;
    }
}

static int plan_stock(chart_list *cl, const runinfo *ri, const char *stem, i18n_lang lang,
                      err_info *e)
{
    char id[CHARTS_ID_MAX], label[TEXT_MAX];
    snprintf(id, sizeof id, "stock-%s", strchr(stem, '.') + 1);
    for (char *p = id; *p; p++)
        if (*p == '_')
            *p = '-';
    chart *c = new_chart(cl, id, "fan.gp", e);
    if (c == NULL)
        return ERR_NOMEM;
    bool rate = ri->population > 0;
    snprintf(label, sizeof label, i18n_get(lang, I18N_L_MEAN), ri->replications);
    int rc;
    if ((rc = fan_common(c, "timeseries.csv", series_label(stem, lang), I18N_Y_CHILDREN,
                         ri->replications, lang, e)) != 0 ||
        (rc = set_series(c, 1, stem, label, NULL, e)) != 0 ||
        (rc = fan_caption(c, ri, lang, rate, e)) != 0)
        return rc;
    return rate ? set_rate_axis(c, ri, lang, e) : 0;
}

/* The largest value (mean or upper bound) of the series in the timeseries,
 * or -INFINITY when none is a number. */
static double series_max(const runinfo *ri, const stem_list *s)
{
    double top = -INFINITY;
    for (int i = 0; i < s->n; i++) {
        char name[300];
        const char *cols[2] = {s->stem[i], name};
        snprintf(name, sizeof name, "%s.ci95_high", s->stem[i]);
        for (int k = 0; k < 2; k++) {
            long c = csvin_col(ri->timeseries, cols[k]);
            for (size_t r = 0; c >= 0 && r < csvin_rows(ri->timeseries); r++) {
                double v;
                if (csvin_number(ri->timeseries, r, (size_t)c, &v, NULL) == 0 && v > top)
                    top = v;
            }
        }
    }
    return top;
}

/* A month-by-month chart of several series, if any is present. */
static int plan_group(chart_list *cl, const runinfo *ri, const char *id, i18n_key title,
                      i18n_key ylabel, const stem_list *s, i18n_key caption, i18n_lang lang,
                      err_info *e)
{
    if (s->n == 0)
        return 0;
    chart *c = new_chart(cl, id, "fan.gp", e);
    if (c == NULL)
        return ERR_NOMEM;
    int rc =
        fan_common(c, "timeseries.csv", i18n_get(lang, title), ylabel, ri->replications, lang, e);
    if (rc == 0)
        rc = set_num(c, "n", s->n, e);
    if (rc == 0) /* counts and money from zero, so their size reads true */
        rc = set_num(c, "ymin", 0, e);
    if (rc == 0 && !(series_max(ri, s) > 0.0)) /* all zero: a range gnuplot can draw */
        rc = set_num(c, "ymax", 1, e);
    for (int i = 0; i < s->n && rc == 0; i++) {
        const char *label = series_label(s->stem[i], lang);
        char team[256];
        if (strncmp(s->stem[i], "workforce.", 10) == 0) {
            /* workforce.<team>.caseload_per_fte: the team's name */
            const char *t = s->stem[i] + 10;
            snprintf(team, sizeof team, "%.*s", (int)strcspn(t, "."), t);
            label = team;
        }
        rc = set_series(c, i + 1, s->stem[i], label, NULL, e);
    }
    if (rc == 0 && caption == I18N_C_FAN)
        rc = fan_caption(c, ri, lang, false, e);
    else if (rc == 0)
        rc = set_text(&c->caption, e, "%s", i18n_get(lang, caption));
    return rc;
}

static int plan_timeliness(chart_list *cl, const runinfo *ri, i18n_lang lang, err_info *e)
{
    stem_list s;
    find_stems(&s, ri->timeseries, "kpi.", "within", NULL);
    size_t before = cl->n;
    int rc = plan_group(cl, ri, "timeliness", I18N_T_TIMELINESS, I18N_Y_PERCENT_IN_TIME, &s,
                        I18N_C_TIMELINESS, lang, e);
    if (rc != 0 || cl->n == before)
        return rc;
    chart *c = &cl->v[cl->n - 1];
    if ((rc = set_num(c, "scale", 100, e)) != 0 || (rc = set_num(c, "ymin", 0, e)) != 0)
        return rc;
    return set_num(c, "ymax", 100, e);
}

static int plan_workforce(chart_list *cl, const runinfo *ri, i18n_lang lang, err_info *e)
{
    stem_list s;
    find_stems(&s, ri->timeseries, "workforce.", ".caseload_per_fte", NULL);
    int rc = plan_group(cl, ri, "workforce-caseload", I18N_T_CASELOAD, I18N_Y_CASES_PER_FTE, &s,
                        I18N_C_FAN, lang, e);
    if (rc == 0) {
        find_stems(&s, ri->timeseries, "kpi.unallocated_cases", "", NULL);
        rc = plan_group(cl, ri, "workforce-unallocated", I18N_T_UNALLOCATED, I18N_Y_CASES, &s,
                        I18N_C_FAN, lang, e);
    }
    if (rc == 0) {
        find_stems(&s, ri->timeseries, "cost.", "", NULL);
        size_t before = cl->n;
        rc = plan_group(cl, ri, "cost", I18N_T_COST, I18N_Y_POUNDS_PER_MONTH, &s, I18N_C_FAN, lang,
                        e);
        if (rc == 0 && cl->n > before) /* in thousands of pounds */
            rc = set_num(&cl->v[cl->n - 1], "scale", 0.001, e);
    }
    return rc;
}

/* A by-financial-year chart of the stems annual.csv has. */
static int plan_year(chart_list *cl, const runinfo *ri, const char *id, i18n_key title,
                     i18n_key ylabel, const char *const *stems, size_t n, bool rate, i18n_lang lang,
                     err_info *e)
{
    stem_list s;
    keep_present(&s, ri->annual, stems, n);
    if (s.n == 0)
        return 0;
    chart *c = new_chart(cl, id, "annual.gp", e);
    if (c == NULL)
        return ERR_NOMEM;
    const char *t = i18n_get(lang, title);
    int rc;
    if ((rc = set_text(&c->title, e, "%s", t)) != 0 ||
        (rc = set_text(&c->caption, e, "%s", i18n_get(lang, I18N_C_FY))) != 0 ||
        (rc = set_str(c, "infile", "annual.csv", e)) != 0 || (rc = set_title(c, t, e)) != 0 ||
        (rc = set_str(c, "ylabel", i18n_get(lang, ylabel), e)) != 0 ||
        (rc = set_str(c, "errlabel", i18n_get(lang, I18N_L_BAND), e)) != 0 ||
        (ri->replications < 2 && (rc = set_num(c, "noband", 1, e)) != 0) ||
        (rc = set_num(c, "n", s.n, e)) != 0)
        return rc;
    for (int i = 0; i < s.n && rc == 0; i++)
        rc = set_series(c, i + 1, s.stem[i], series_label(s.stem[i], lang), NULL, e);
    if (rc == 0 && rate && ri->population > 0)
        rc = set_rate_axis(c, ri, lang, e);
    return rc;
}

static const char *const stock_stems[] = {"stock.cp_register", "stock.care_and_support",
                                          "stock.looked_after", "stock.early_help"};
static const char *const door_stems[] = {"flow.contacts", "flow.assessments",
                                         "flow.strategy_meetings", "flow.s47_enquiries"};
static const char *const care_stems[] = {"flow.cp_registrations", "flow.care_entries",
                                         "flow.care_exits"};
#define COUNT_OF(a) (sizeof(a) / sizeof((a)[0]))

static int plan_years(chart_list *cl, const runinfo *ri, i18n_lang lang, err_info *e)
{
    if (ri->annual == NULL || csvin_rows(ri->annual) < 2)
        return 0;
    int rc = plan_year(cl, ri, "fy-stocks", I18N_T_FY_STOCKS, I18N_Y_CHILDREN, stock_stems,
                       COUNT_OF(stock_stems), true, lang, e);
    if (rc == 0)
        rc = plan_year(cl, ri, "fy-flows", I18N_T_FY_FLOWS, I18N_Y_CHILDREN_PER_YEAR, door_stems,
                       COUNT_OF(door_stems), false, lang, e);
    if (rc == 0)
        rc = plan_year(cl, ri, "fy-care", I18N_T_FY_CARE, I18N_Y_CHILDREN_PER_YEAR, care_stems,
                       COUNT_OF(care_stems), false, lang, e);
    return rc;
}

int charts_plan_run(chart_list *cl, const runinfo *ri, i18n_lang lang, err_info *e)
{
    int rc = 0;
    for (size_t i = 0; i < COUNT_OF(stock_stems) && rc == 0; i++)
        if (usable(ri->timeseries, stock_stems[i]))
            rc = plan_stock(cl, ri, stock_stems[i], lang, e);
    stem_list s;
    if (rc == 0) {
        keep_present(&s, ri->timeseries, door_stems, COUNT_OF(door_stems));
        rc = plan_group(cl, ri, "flows-front-door", I18N_T_FLOWS_FRONT_DOOR,
                        I18N_Y_CHILDREN_PER_MONTH, &s, I18N_C_FLOWS, lang, e);
    }
    if (rc == 0) {
        keep_present(&s, ri->timeseries, care_stems, COUNT_OF(care_stems));
        rc = plan_group(cl, ri, "flows-care", I18N_T_FLOWS_CARE, I18N_Y_CHILDREN_PER_MONTH, &s,
                        I18N_C_FLOWS, lang, e);
    }
    if (rc == 0)
        rc = plan_timeliness(cl, ri, lang, e);
    if (rc == 0)
        rc = plan_workforce(cl, ri, lang, e);
    if (rc == 0)
        rc = plan_years(cl, ri, lang, e);
    return rc;
}

/* ---- a comparison ---------------------------------------------------------- */

static bool all_have(const runcompare *c, const char *stem)
{
    if (!usable(c->baseline.timeseries, stem))
        return false;
    for (size_t i = 0; i < c->n_variants; i++)
        if (!usable(c->variants[i].timeseries, stem))
            return false;
    return true;
}

/* The y axis of a month-by-month chart of measure h (NULL: a flow). */
static i18n_key monthly_unit(const headline *h)
{
    switch (h != NULL ? h->kind : HEADLINE_FLOW) {
    case HEADLINE_STOCK:
        return I18N_Y_CHILDREN;
    case HEADLINE_SHARE:
        return I18N_Y_PERCENT_IN_TIME;
    case HEADLINE_COUNT:
        return I18N_Y_CASES;
    case HEADLINE_MONEY:
        return I18N_Y_POUNDS_PER_MONTH;
    default:
        return I18N_Y_CHILDREN_PER_MONTH;
    }
}

static int plan_over_time(chart_list *cl, const runcompare *c, const char *stem, i18n_lang lang,
                          err_info *e)
{
    char id[CHARTS_ID_MAX], title[TEXT_MAX], file[TEXT_MAX], label[TEXT_MAX];
    snprintf(id, sizeof id, "compare-%s", stem);
    for (char *p = id; *p; p++)
        if (*p == '_' || *p == '.')
            *p = '-';
    chart *ch = new_chart(cl, id, "fan.gp", e);
    if (ch == NULL)
        return ERR_NOMEM;
    const headline *h = headline_find_series(stem);
    snprintf(title, sizeof title, i18n_get(lang, I18N_T_COMPARE), series_label(stem, lang));
    int rc =
        fan_common(ch, "timeseries.csv", title, monthly_unit(h), c->baseline.replications, lang, e);
    if (rc == 0)
        rc = set_num(ch, "n", (double)(c->n_variants + 1), e);
    if (rc == 0 && h != NULL && h->kind == HEADLINE_MONEY)
        rc = set_num(ch, "scale", 0.001, e);
    snprintf(label, sizeof label, i18n_get(lang, I18N_OPTION_BASELINE),
             runinfo_compare_folder(c, &c->baseline));
    snprintf(file, sizeof file, "%s/timeseries.csv", runinfo_compare_folder(c, &c->baseline));
    if (rc == 0)
        rc = set_series(ch, 1, stem, label, file, e);
    for (size_t i = 0; i < c->n_variants && rc == 0; i++) {
        snprintf(file, sizeof file, "%s/timeseries.csv",
                 runinfo_compare_folder(c, &c->variants[i]));
        rc = set_series(ch, (int)i + 2, stem, runinfo_compare_folder(c, &c->variants[i]), file, e);
    }
    if (rc == 0)
        rc = set_text(&ch->caption, e, "%s", i18n_get(lang, I18N_C_COMPARE));
    return rc;
}

/* Row r of compare.csv can be drawn: a difference and a baseline to divide by. */
static bool drawable(const csvin *t, size_t r)
{
    double base, d;
    return csvin_number(t, r, (size_t)csvin_col(t, "baseline_mean"), &base, NULL) == 0 &&
           csvin_number(t, r, (size_t)csvin_col(t, "diff_mean"), &d, NULL) == 0 && isfinite(base) &&
           base != 0 && isfinite(d);
}

/* The name compare.csv gives measure h, or NULL if it has no row for it that
 * can be drawn. */
static const char *compare_metric(const csvin *t, const headline *h)
{
    size_t mc = (size_t)csvin_col(t, "metric");
    for (size_t r = 0; r < csvin_rows(t); r++) {
        const char *m = csvin_cell(t, r, mc);
        size_t n = strlen(h->metric);
        if (strncmp(m, h->metric, n) == 0 && (m[n] == '\0' || strcmp(m + n, ".mean") == 0) &&
            drawable(t, r))
            return m;
    }
    return NULL;
}

static int plan_differences(chart_list *cl, const runcompare *c, i18n_lang lang, err_info *e)
{
    size_t nh;
    const headline *hs = headline_all(&nh);
    int n = 0;
    for (size_t i = 0; i < nh; i++)
        n += compare_metric(c->table, &hs[i]) != NULL;
    if (n == 0 || c->n_variants == 0)
        return 0;
    chart *ch = new_chart(cl, "compare-differences", "diff.gp", e);
    if (ch == NULL)
        return ERR_NOMEM;
    const char *t = i18n_get(lang, I18N_T_DIFF);
    int rc;
    if ((rc = set_text(&ch->title, e, "%s", t)) != 0 ||
        (rc = set_text(&ch->caption, e, "%s", i18n_get(lang, I18N_C_DIFF))) != 0 ||
        (rc = set_str(ch, "infile", "compare.csv", e)) != 0 || (rc = set_title(ch, t, e)) != 0 ||
        (rc = set_str(ch, "xlabel", i18n_get(lang, I18N_X_CHANGE), e)) != 0 ||
        (rc = set_num(ch, "n", n, e)) != 0 ||
        (rc = set_num(ch, "nv", (double)c->n_variants, e)) != 0)
        return rc;
    int k = 0;
    for (size_t i = 0; i < nh && rc == 0; i++) {
        const char *m = compare_metric(c->table, &hs[i]);
        if (m != NULL)
            rc = set_series(ch, ++k, m, i18n_get(lang, hs[i].label), NULL, e);
    }
    for (size_t v = 0; v < c->n_variants && rc == 0; v++) {
        char name[32];
        /* the variant as compare.csv names it: its folder's name */
        snprintf(name, sizeof name, "variant%zu", v + 1);
        rc = set_str(ch, name, runinfo_compare_folder(c, &c->variants[v]), e);
    }
    return rc;
}

int charts_plan_compare(chart_list *cl, const runcompare *c, i18n_lang lang, err_info *e)
{
    static const char *const stems[] = {
        "stock.cp_register", "stock.care_and_support", "stock.looked_after",
        "stock.early_help",  "flow.assessments",       "flow.s47_enquiries",
        "flow.care_entries", "kpi.unallocated_cases",  "cost.total"};
    int rc = 0;
    for (size_t i = 0; i < COUNT_OF(stems) && rc == 0; i++)
        if (all_have(c, stems[i]))
            rc = plan_over_time(cl, c, stems[i], lang, e);
    return rc != 0 ? rc : plan_differences(cl, c, lang, e);
}

/* ---- the script ------------------------------------------------------------ */

void charts_write_script(FILE *fp, const chart_list *cl, const char *scripts_dir)
{
    static const char *const formats[] = {"png", "svg"};
    fputs("# charts.gp - written by `caseflow report`: draws every chart of the report as\n"
          "# PNG (for Word) and SVG (for the web) into charts/. Run it from the report's\n"
          "# folder (gnuplot charts/charts.gp) after editing a setting; each block's\n"
          "# settings are explained at the top of the script it calls.\n",
          fp);
    for (size_t i = 0; i < cl->n; i++) {
        const chart *c = &cl->v[i];
        for (size_t f = 0; f < 2; f++) {
            char out[CHARTS_ID_MAX + 16], script[4096 + 32];
            snprintf(out, sizeof out, "charts/%s.%s", c->id, formats[f]);
            snprintf(script, sizeof script, "%s/%s", scripts_dir, c->script);
            fputs("\nreset session\noutfile = ", fp);
            charts_put_quoted(fp, out);
            fputc('\n', fp);
            fputs(c->vars != NULL ? c->vars : "", fp);
            fputs("call ", fp);
            charts_put_quoted(fp, script);
            fputc('\n', fp);
        }
    }
}
