/*
 * cmd_sweep — `caseflow sweep SCENARIO --vary KEY=LOW:HIGH ...`: runs a
 * scenario over a design of values of some of its numeric settings (design.h:
 * one at a time, Latin hypercube, Sobol) and writes what each point gave.
 *
 * A KEY is a path in the syntax of a variant's overrides (inherit.h), found
 * with inherit_find, so any numeric setting of either kind of scenario can
 * be varied. Each point is the scenario file opened afresh with the point's
 * values written into its tree (cli_run_open, set, cli_run_prepare): the
 * loader then checks the values as it checks any file, and the point runs
 * through cli_run_simulate, i.e. rep_run, exactly as `run` and `compare` do.
 *
 * Common random numbers: every point runs with the same seed and
 * replications, so replication r of every point sees the same children (or
 * customers) and the differences between points are the settings', not
 * noise's. The tornado swing (metric at HIGH minus at LOW) is therefore a
 * paired difference, with a paired 95% interval (cli_compare_metric).
 *
 * Order of work: parse (sweep_args.c); open the scenario and check every key against it;
 * make the design; load every point once to check it (a bad value is
 * reported before anything runs); run every point, noting any point whose
 * stages cannot serve their demand (printed after the progress bar, kept for
 * run.txt); then write_outputs, the
 * one function that touches the disk: sweep.csv, tornado.csv (OAT),
 * run.txt, then the tornado charts when gnuplot is on PATH (their words in
 * --lang's language, from report/i18n.c as `report`'s charts). When
 * replications are spread over processes (MPI), the guard of which process
 * writes belongs around its call in sweep().
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfgtree.h"
#include "cli_internal.h"
#include "csv.h"
#include "design.h"
#include "inherit.h"
#include "mem.h"
#include "progress.h"
#include "rep.h"
#include "report/charts.h"
#include "report/gnuplot.h"
#include "report/headline.h"
#include "stat.h"
#include "sweep_args.h"

#define SWEEP_MAX_CHARTS 16 /* tornado charts drawn (one per metric) */
#define PATH_LEN         4096

static const char sweep_help[] =
    "usage: caseflow sweep FILE --vary KEY=LOW:HIGH [--vary ...] [--design oat|lhs|sobol]\n"
    "                      [--points N] [--metric NAME ...] [--out DIR] [--replications N]\n"
    "                      [--seed S] [--jobs J] [--lang en|cy]\n"
    "\n"
    "Runs the scenario in FILE at each point of a design of values of its numeric\n"
    "settings, every point with the same random numbers, and writes, in DIR:\n"
    "  sweep.csv      one row per point and metric: the values of the varied settings,\n"
    "                 then the metric's mean and 95% confidence interval\n"
    "  tornado.csv    one-at-a-time designs: per metric and setting, the metric at LOW,\n"
    "                 at HIGH and at the baseline, and the swing (HIGH - LOW), with 95%\n"
    "                 CIs, largest swing first\n"
    "  charts/        one-at-a-time designs, when gnuplot is on PATH: tornado charts\n"
    "                 (PNG and SVG) and tornado.gp, the script that drew them\n"
    "  run.txt        the run record, with the design\n"
    "\n"
    "  --vary KEY=LOW:HIGH  a setting to vary, by its path as in a variant's overrides\n"
    "                       (contacts.per_year, stages.front_door.outcomes.[0].p);\n"
    "                       whole-number settings get whole numbers (rounded)\n"
    "  --design D      oat: the baseline, then each setting alone over N values from\n"
    "                  LOW to HIGH (default); lhs: N points of a Latin hypercube drawn\n"
    "                  from the seed; sobol: the first N points of the Sobol sequence\n"
    "  --points N      values per setting (oat, default 3) or points (lhs, sobol,\n"
    "                  default 16); at least 2\n"
    "  --metric NAME   write only this metric (repeatable; default: all); with oat,\n"
    "                  one tornado chart per metric named (default: children looked\n"
    "                  after and total cost, or each node's time in node)\n"
    "  --out DIR       output folder (default: output/<FILE's name without .cfg>-sweep)\n"
    "  --replications N, --seed S, --jobs J   as for run; results do not depend on J\n"
    "  --lang en|cy    language of the tornado charts: English (default) or Welsh\n"
    "                  (Cymraeg), as for report; the CSV files do not change\n";

/* The state of one sweep. */
typedef struct sweep_job {
    sweep_args *a;
    cli_run base; /* the scenario as written (names, seed, replications) */
    size_t *sel;  /* indices of the metrics written, into base.names */
    size_t n_sel;
    design d;
    uint32_t reps;
    double *vals; /* point p, replication r, selected metric m: [(p * reps + r) * n_sel + m] */
    char dir[PATH_LEN];
    cli_progress bar;   /* one bar over every point's replications (this rank's share) */
    size_t points_done; /* points finished */
    /* The points' capacity warnings, "caseflow: at sweep point P:" then the
     * lines, held until the progress bar is done (a line printed under the
     * bar would break it) and kept for run.txt. */
    char *warnings;
    size_t warnings_len;
    FILE *warnings_fp;
} sweep_job;

/* ---- the scenario's settings --------------------------------------------- */

/* The setting key k names in r's tree, checked to be a number. */
static int find_key(cli_run *r, const sweep_key *k, config_setting_t **out, err_info *e)
{
    int rc = inherit_find(&r->sc.file, "--vary", k->path, out, e);
    if (rc != 0)
        return rc;
    int kind = cfgtree_kind(*out);
    if (kind != CFGTREE_NUMBER)
        return cfg_error(&r->sc.file, *out, e, ERR_INPUT,
                         "--vary %s: the setting is %s; expected a number to vary", k->path,
                         cfgtree_kind_phrase(kind));
    return 0;
}

/* The list of outcomes or routes whose element's `p` s is, or NULL: those
 * probabilities sum to 1, so varying one must move the others. */
static config_setting_t *share_list(config_setting_t *s)
{
    config_setting_t *el = config_setting_parent(s);
    config_setting_t *list = el ? config_setting_parent(el) : NULL;
    const char *name = config_setting_name(s), *lname = list ? config_setting_name(list) : NULL;
    if (name == NULL || strcmp(name, "p") != 0 || !config_setting_is_group(el) ||
        !config_setting_is_list(list) || lname == NULL)
        return NULL;
    return strcmp(lname, "outcomes") == 0 || strcmp(lname, "routes") == 0 ? list : NULL;
}

/* Sets the p of every other element of s's list to keep the sum: each is
 * scaled by (1 - v) / (1 - p), p being s's value before the change. */
static int rescale_shares(cli_run *r, config_setting_t *s, const sweep_key *k, double v,
                          err_info *e)
{
    config_setting_t *list = share_list(s), *el = config_setting_parent(s);
    double p = config_setting_get_float(s);
    if (!(p < 1.0))
        return cfg_error(&r->sc.file, s, e, ERR_INPUT,
                         "--vary %s: the other probabilities are all 0, so none can make room; "
                         "expected a probability below 1 as written",
                         k->path);
    for (int i = 0; i < config_setting_length(list); i++) {
        config_setting_t *sib = config_setting_get_elem(list, (unsigned)i);
        config_setting_t *q = sib != el ? config_setting_get_member(sib, "p") : NULL;
        if (q == NULL || cfgtree_kind(q) != CFGTREE_NUMBER || config_setting_get_float(q) == 0.0)
            continue;
        double scaled = config_setting_get_float(q) * (1.0 - v) / (1.0 - p);
        if (config_setting_type(q) != CONFIG_TYPE_FLOAT ||
            config_setting_set_float(q, scaled) != CONFIG_TRUE)
            return cfg_error(&r->sc.file, q, e, ERR_INPUT,
                             "--vary %s: this probability must be rescaled and is written as a "
                             "whole number; expected it written with a decimal point",
                             k->path);
    }
    return 0;
}

/* Reads each key's own value and kind from the scenario as written, and
 * refuses two paths to one setting or to probabilities of one list. */
static int check_keys(sweep_job *j, sweep_key *keys, size_t n, err_info *e)
{
    config_setting_t *found[SWEEP_MAX_KEYS];
    for (size_t i = 0; i < n; i++) {
        sweep_key *k = &keys[i];
        int rc = find_key(&j->base, k, &found[i], e);
        if (rc != 0)
            return rc;
        for (size_t m = 0; m < i; m++)
            if (found[m] == found[i])
                return err_set(e, ERR_INPUT, NULL, 0,
                               "--vary %s and --vary %s name the same setting; expected each "
                               "setting once",
                               keys[m].path, k->path);
        for (size_t m = 0; m < i; m++)
            if (share_list(found[i]) != NULL && share_list(found[m]) == share_list(found[i]))
                return err_set(e, ERR_INPUT, NULL, 0,
                               "--vary %s and --vary %s are probabilities of one list, which "
                               "sum to 1; expected at most one of them varied",
                               keys[m].path, k->path);
        k->share = share_list(found[i]) != NULL;
        int type = config_setting_type(found[i]);
        k->integer = type == CONFIG_TYPE_INT || type == CONFIG_TYPE_INT64;
        k->base = k->integer ? (double)config_setting_get_int64(found[i])
                             : config_setting_get_float(found[i]);
        snprintf(k->where, sizeof k->where, "%s:%d", cfg_where_file(&j->base.sc.file, found[i]),
                 cfg_where_line(found[i]));
    }
    return 0;
}

/* Writes v into setting s (of a whole-number type when k->integer). */
static int set_value(cli_run *r, config_setting_t *s, const sweep_key *k, double v, err_info *e)
{
    int ok;
    if (config_setting_type(s) == CONFIG_TYPE_INT) {
        if (v < INT32_MIN || v > INT32_MAX)
            return cfg_error(&r->sc.file, s, e, ERR_INPUT,
                             "--vary %s: %.10g does not fit this whole-number setting; expected "
                             "%d to %d",
                             k->path, v, INT32_MIN, INT32_MAX);
        ok = config_setting_set_int(s, (int)v);
    } else if (config_setting_type(s) == CONFIG_TYPE_INT64) {
        ok = config_setting_set_int64(s, (long long)v);
    } else {
        ok = config_setting_set_float(s, v);
    }
    return ok == CONFIG_TRUE ? 0 : err_set(e, ERR_NOMEM, NULL, 0, "cannot set --vary %s", k->path);
}

/* "KEY=V, KEY=V" of point p, for messages. */
static void point_text(const sweep_job *j, size_t p, char *buf, size_t size)
{
    char num[CSV_NUM_MAX];
    buf[0] = '\0';
    for (size_t i = 0; i < j->a->n_keys; i++) {
        size_t used = strlen(buf);
        snprintf(buf + used, size - used, "%s%s=%s", i ? ", " : "", j->a->keys[i].path,
                 csv_num(num, design_at(&j->d, p, i)));
    }
}

/* Says which point a failure is about (an interrupt needs no more). */
static int at_point(const sweep_job *j, size_t p, int rc, err_info *e)
{
    if (rc == 0 || rc == ERR_INTERRUPT)
        return rc;
    char what[ERR_TEXT_MAX / 2];
    err_info why = *e;
    point_text(j, p, what, sizeof what);
    return err_set(e, rc, NULL, 0, "sweep point %zu (%s): %s", p, what, why.text);
}

/* Loads point p into r: the file with the point's values, then the model. */
static int load_point(sweep_job *j, size_t p, cli_run *r, err_info *e)
{
    const sweep_args *a = j->a;
    int rc = cli_run_open(r, a->run.scenario, e);
    for (size_t i = 0; i < a->n_keys && rc == 0; i++) {
        config_setting_t *s;
        if ((rc = find_key(r, &a->keys[i], &s, e)) == 0 && a->keys[i].share)
            rc = rescale_shares(r, s, &a->keys[i], design_at(&j->d, p, i), e);
        if (rc == 0)
            rc = set_value(r, s, &a->keys[i], design_at(&j->d, p, i), e);
    }
    if (rc == 0)
        rc = cli_run_prepare(r, &a->run, e);
    if (rc == 0 && r->n_metrics != j->base.n_metrics)
        rc = err_set(e, ERR_INPUT, NULL, 0,
                     "the scenario has %zu metrics here and %zu as written; expected the same "
                     "metrics at every point",
                     r->n_metrics, j->base.n_metrics);
    for (size_t m = 0; m < r->n_metrics && rc == 0; m++)
        if (strcmp(r->names[m], j->base.names[m]) != 0)
            rc = err_set(e, ERR_INPUT, NULL, 0,
                         "metric %s here is %s as written; expected the same metrics at every "
                         "point",
                         r->names[m], j->base.names[m]);
    return at_point(j, p, rc, e);
}

/* ---- choosing metrics ---------------------------------------------------- */

static long metric_index(const cli_run *r, const char *name)
{
    for (size_t i = 0; i < r->n_metrics; i++)
        if (strcmp(r->names[i], name) == 0)
            return (long)i;
    return -1;
}

static int unknown_metric(const cli_run *r, const char *name, err_info *e)
{
    const char *best = NULL;
    size_t best_d = 3;
    for (size_t i = 0; i < r->n_metrics; i++) {
        size_t d = cfg_edit_distance(name, r->names[i]);
        if (d < best_d) {
            best = r->names[i];
            best_d = d;
        }
    }
    char hint[256] = "";
    if (best != NULL)
        snprintf(hint, sizeof hint, " (did you mean '%s'?)", best);
    return err_set(e, ERR_INPUT, NULL, 0,
                   "--metric '%s' is not a metric of %s%s; expected a name from its "
                   "summary.csv, such as %s",
                   name, r->sc.name, hint, r->names[0]);
}

/* The metrics written: those named by --metric, in their order, or all. */
static int select_metrics(sweep_job *j, err_info *e)
{
    const sweep_args *a = j->a;
    size_t n = a->n_metrics ? a->n_metrics : j->base.n_metrics;
    j->sel = mem_calloc(n ? n : 1, sizeof *j->sel);
    if (j->sel == NULL)
        return err_set(e, ERR_NOMEM, NULL, 0, "out of memory");
    for (size_t i = 0; i < n; i++) {
        long m = a->n_metrics ? metric_index(&j->base, a->metrics[i]) : (long)i;
        if (m < 0)
            return unknown_metric(&j->base, a->metrics[i], e);
        for (size_t k = 0; k < i; k++)
            if (j->sel[k] == (size_t)m)
                return err_set(e, ERR_INPUT, NULL, 0,
                               "--metric %s is given twice; expected each metric once",
                               a->metrics[i]);
        j->sel[i] = (size_t)m;
    }
    j->n_sel = n;
    return 0;
}

/* ---- running -------------------------------------------------------------- */

/* done of total: this rank's share of the point's replications (all of them
 * in one process), the same share at every point. */
static void sweep_progress(void *ud, uint32_t done, uint32_t total)
{
    sweep_job *j = ud;
    cli_progress_count(&j->bar, (uint64_t)j->points_done * total + done,
                       (uint64_t)j->d.n_points * total);
}

/* A point whose stages cannot serve their demand (pw_write_capacity_warnings)
 * gets a header and its lines in j->warnings. */
static void note_capacity(sweep_job *j, size_t p, const cli_run *r)
{
    char *text = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&text, &len);
    if (fp == NULL)
        return; /* out of memory: the warnings are advice, the sweep goes on */
    size_t n = pw_write_capacity_warnings(r->pw, r->results, j->reps, "", fp);
    if (fclose(fp) == 0 && n > 0)
        fprintf(j->warnings_fp, "caseflow: at sweep point %zu:\n%s", p, text);
    free(text);
}

static int run_point(sweep_job *j, size_t p, err_info *e)
{
    cli_run r;
    int rc = load_point(j, p, &r, e);
    if (rc != 0)
        rc = rep_agree(rc, e);
    else {
        r.progress = sweep_progress;
        r.progress_ud = j;
        rc = at_point(j, p, cli_run_simulate(&r, j->a->run.jobs, e), e);
    }
    for (uint32_t k = 0; k < j->reps && rc == 0; k++)
        for (size_t m = 0; m < j->n_sel; m++)
            j->vals[((size_t)p * j->reps + k) * j->n_sel + m] = r.results[k * r.width + j->sel[m]];
    if (rc == 0 && r.pw != NULL && j->warnings_fp != NULL)
        note_capacity(j, p, &r);
    j->points_done++;
    cli_run_free(&r);
    return rc;
}

/* Every point loaded once before any runs, so a value the loader refuses
 * costs no simulation; then every point run. */
static int run_all(sweep_job *j, err_info *e)
{
    int rc = 0;
    for (size_t p = 0; p < j->d.n_points && rc == 0; p++) {
        cli_run r;
        rc = cli_stop ? err_set(e, ERR_INTERRUPT, NULL, 0, "interrupted") : load_point(j, p, &r, e);
        if (rc == 0 && r.sc.warnings[0] != '\0' && strcmp(r.sc.warnings, j->base.sc.warnings))
            fprintf(stderr, "caseflow: at sweep point %zu:\n%s", p, r.sc.warnings);
        cli_run_free(&r);
    }
    if (rc == 0) {
        j->vals = mem_calloc(j->d.n_points * j->reps * (j->n_sel ? j->n_sel : 1), sizeof *j->vals);
        if (j->vals == NULL)
            rc = err_set(e, ERR_NOMEM, NULL, 0, "out of memory for the sweep's results");
    }
    if (rc != 0)
        return rep_agree(rc, e);
    /* Every rank holds every result; rank 0 alone speaks. */
    if (rep_is_root())
        j->warnings_fp = open_memstream(&j->warnings, &j->warnings_len);
    cli_progress_start(&j->bar, stderr);
    cli_progress_share(&j->bar, (uint64_t)j->d.n_points * j->reps, rep_ranks());
    for (size_t p = 0; p < j->d.n_points && rc == 0; p++)
        rc = run_point(j, p, e);
    cli_progress_finish(&j->bar);
    if (j->warnings_fp != NULL) {
        if (fclose(j->warnings_fp) != 0) {
            free(j->warnings);
            j->warnings = NULL;
        }
        j->warnings_fp = NULL;
        if (rc == 0 && j->warnings != NULL)
            fputs(j->warnings, stderr);
    }
    return rc;
}

/* ---- the tornado ---------------------------------------------------------- */

/* One bar of a tornado: setting k's effect on a metric. */
typedef struct tornado_bar {
    size_t key;
    stat_ci base, at_low, at_high;
    cli_compare swing; /* diff_mean, low, high: at HIGH minus at LOW, paired */
} tornado_bar;

static const double *column(const sweep_job *j, size_t p, size_t m)
{
    return j->vals + (size_t)p * j->reps * j->n_sel + m;
}

static int by_swing(const void *pa, const void *pb)
{
    const tornado_bar *a = pa, *b = pb;
    double x = fabs(a->swing.diff_mean), y = fabs(b->swing.diff_mean);
    bool ax = isfinite(x), bx = isfinite(y);
    if (ax != bx)
        return ax ? -1 : 1;
    if (ax && x != y)
        return x > y ? -1 : 1;
    return a->key < b->key ? -1 : (a->key > b->key);
}

/* The bars of metric m (selected index), largest swing first. */
static void tornado(const sweep_job *j, size_t m, tornado_bar *bars, double *scratch)
{
    size_t pts = j->a->points, s = j->n_sel;
    for (size_t k = 0; k < j->a->n_keys; k++) {
        size_t lo = 1 + k * pts, hi = lo + pts - 1;
        tornado_bar *b = &bars[k];
        b->key = k;
        b->base = stat_ci_compute(column(j, 0, m), j->reps, s, 0.95);
        b->at_low = stat_ci_compute(column(j, lo, m), j->reps, s, 0.95);
        b->at_high = stat_ci_compute(column(j, hi, m), j->reps, s, 0.95);
        b->swing = cli_compare_metric(column(j, lo, m), s, column(j, hi, m), s, j->reps, scratch);
    }
    qsort(bars, j->a->n_keys, sizeof *bars, by_swing);
}

/* ---- writing (the only place that touches the disk) ----------------------- */

static void put_nums(FILE *fp, const double *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        fputc(',', fp);
        csv_put_num(fp, v[i]);
    }
}

static void write_sweep_csv(const sweep_job *j, FILE *fp)
{
    const sweep_args *a = j->a;
    fputs("point,varied", fp);
    for (size_t k = 0; k < a->n_keys; k++)
        fprintf(fp, ",%s", a->keys[k].path);
    fputs(",metric,mean,ci95_low,ci95_high,sd,n\n", fp);
    for (size_t p = 0; p < j->d.n_points; p++) {
        const char *varied = "all";
        if (j->d.varied != NULL)
            varied = j->d.varied[p] < 0 ? "baseline" : a->keys[j->d.varied[p]].path;
        for (size_t m = 0; m < j->n_sel; m++) {
            stat_ci ci = stat_ci_compute(column(j, p, m), j->reps, j->n_sel, 0.95);
            double cols[4] = {ci.mean, ci.low, ci.high, ci.sd};
            fprintf(fp, "%zu,%s", p, varied);
            put_nums(fp, j->d.x + p * a->n_keys, a->n_keys);
            fprintf(fp, ",%s", j->base.names[j->sel[m]]);
            put_nums(fp, cols, 4);
            fprintf(fp, ",%u\n", j->reps);
        }
    }
}

static int write_tornado_csv(const sweep_job *j, FILE *fp, err_info *e)
{
    const sweep_args *a = j->a;
    tornado_bar *bars = mem_calloc(a->n_keys, sizeof *bars);
    double *scratch = mem_calloc(j->reps, sizeof *scratch);
    if (bars == NULL || scratch == NULL) {
        mem_free(bars);
        mem_free(scratch);
        return err_set(e, ERR_NOMEM, NULL, 0, "out of memory for the tornado");
    }
    fputs("metric,rank,key,value_low,value_high,baseline,baseline_ci95_low,baseline_ci95_high,"
          "at_low,at_low_ci95_low,at_low_ci95_high,at_high,at_high_ci95_low,at_high_ci95_high,"
          "swing,swing_ci95_low,swing_ci95_high\n",
          fp);
    for (size_t m = 0; m < j->n_sel; m++) {
        tornado(j, m, bars, scratch);
        for (size_t r = 0; r < a->n_keys; r++) {
            const tornado_bar *b = &bars[r];
            const sweep_key *k = &a->keys[b->key];
            size_t lo = 1 + b->key * a->points, hi = lo + a->points - 1;
            double v[14] = {design_at(&j->d, lo, b->key),
                            design_at(&j->d, hi, b->key),
                            b->base.mean,
                            b->base.low,
                            b->base.high,
                            b->at_low.mean,
                            b->at_low.low,
                            b->at_low.high,
                            b->at_high.mean,
                            b->at_high.low,
                            b->at_high.high,
                            b->swing.diff_mean,
                            b->swing.low,
                            b->swing.high};
            fprintf(fp, "%s,%zu,%s", j->base.names[j->sel[m]], r + 1, k->path);
            put_nums(fp, v, 14);
            fputc('\n', fp);
        }
    }
    mem_free(bars);
    mem_free(scratch);
    return 0;
}

static void write_record(const sweep_job *j, FILE *fp, const char *command_line)
{
    const sweep_args *a = j->a;
    char num[3][CSV_NUM_MAX];
    cli_write_record(fp, command_line, &j->base);
    fprintf(fp, "design: %s\n", design_kind_name(j->d.kind));
    fprintf(fp, "design_points: %zu\n", j->d.n_points);
    if (j->d.kind == DESIGN_OAT)
        fprintf(fp, "values_per_setting: %zu\n", a->points);
    for (size_t k = 0; k < a->n_keys; k++)
        fprintf(fp, "vary: %s=%s:%s (as written: %s, %s%s%s)\n", a->keys[k].path,
                csv_num(num[0], a->keys[k].low), csv_num(num[1], a->keys[k].high),
                csv_num(num[2], a->keys[k].base), a->keys[k].where,
                a->keys[k].integer ? ", whole numbers" : "",
                a->keys[k].share ? ", the other probabilities of its list scaled to sum to 1" : "");
    /* The points' capacity warnings, each line as "warning: ...", as run's
     * record keeps them, after the point it belongs to. */
    for (const char *w = j->warnings ? j->warnings : ""; *w != '\0';) {
        size_t len = strcspn(w, "\n");
        if (strncmp(w, "caseflow: at sweep point ", 25) == 0)
            fprintf(fp, "%.*s\n", (int)(len - 10), w + 10);
        else
            fprintf(fp, "warning: %.*s\n", (int)len, w);
        w += len + (w[len] == '\n');
    }
}

/* The metrics drawn as tornado charts: those named by --metric, else the
 * headline ones the model has, else each node's time in node. */
static size_t chart_metrics(const sweep_job *j, size_t *out)
{
    static const char *const lead[] = {"stock.looked_after.end", "cost.total"};
    size_t n = 0;
    bool pathway = j->base.pw != NULL;
    if (j->a->n_metrics > 0) {
        for (size_t m = 0; m < j->n_sel && n < SWEEP_MAX_CHARTS; m++)
            out[n++] = m;
        return n;
    }
    for (size_t h = 0; h < 2; h++)
        for (size_t m = 0; m < j->n_sel; m++)
            if (strcmp(j->base.names[j->sel[m]], lead[h]) == 0)
                out[n++] = m;
    for (size_t m = 0; m < j->n_sel && n < SWEEP_MAX_CHARTS && !pathway; m++) {
        const char *name = j->base.names[j->sel[m]];
        size_t len = strlen(name);
        if (len > 2 && strcmp(name + len - 2, ".W") == 0)
            out[n++] = m;
    }
    if (n == 0 && j->n_sel > 0)
        out[n++] = 0;
    return n;
}

/* "tornado-stock-looked-after-end": the chart's file name without extension. */
static void chart_id(const char *metric, char *buf, size_t size)
{
    snprintf(buf, size, "tornado-%s", metric);
    for (char *c = buf; *c != '\0'; c++)
        if (*c == '.' || *c == '_' || *c == '/' || *c == ' ')
            *c = '-';
}

/* The chart's title: the language's format around the measure's label. A
 * label that does not open the title reads lower case ("What moves total
 * cost most") unless it begins with an abbreviation ("CP register"). */
static void chart_title(char *buf, size_t size, i18n_lang lang, const headline *h,
                        const char *metric)
{
    const char *fmt = i18n_get(lang, I18N_T_TORNADO);
    char label[256];
    snprintf(label, sizeof label, "%s", h ? i18n_get(lang, h->label) : metric);
    const char *at = strstr(fmt, "%s");
    if (h != NULL && at != NULL && at > fmt && label[0] >= 'A' && label[0] <= 'Z' &&
        label[1] >= 'a' && label[1] <= 'z')
        label[0] = (char)(label[0] - 'A' + 'a');
    snprintf(buf, size, fmt, label);
}

/* One gnuplot setting: NAME = 'VALUE' on a line of its own. */
static void put_setting(FILE *fp, const char *name, const char *value)
{
    fprintf(fp, "%s = ", name);
    charts_put_quoted(fp, value);
    fputc('\n', fp);
}

static void write_chart_script(const sweep_job *j, FILE *fp, const char *scripts,
                               const size_t *charts, size_t n)
{
    static const char *const formats[] = {"png", "svg"};
    i18n_lang lang = j->a->lang;
    fputs("# tornado.gp - written by `caseflow sweep`: draws a tornado chart of each\n"
          "# metric below from tornado.csv, as PNG and SVG. Run it from the sweep's folder\n"
          "# (gnuplot charts/tornado.gp) after editing a setting; the settings are\n"
          "# explained at the top of the script it calls.\n",
          fp);
    for (size_t c = 0; c < n; c++) {
        const char *metric = j->base.names[j->sel[charts[c]]];
        const headline *h = headline_find(metric);
        char id[256], out[300], title[512], script[PATH_LEN + 32];
        chart_id(metric, id, sizeof id);
        chart_title(title, sizeof title, lang, h, metric);
        snprintf(script, sizeof script, "%s/tornado.gp", scripts);
        for (size_t f = 0; f < 2; f++) {
            snprintf(out, sizeof out, "charts/%s.%s", id, formats[f]);
            fputs("\nreset session\n", fp);
            put_setting(fp, "outfile", out);
            put_setting(fp, "infile", "tornado.csv");
            put_setting(fp, "metric", metric);
            fputs("title = ", fp);
            charts_put_quoted(fp, title);
            fputs(" . \"\\n\" . ", fp);
            charts_put_quoted(fp, i18n_get(lang, I18N_C_TORNADO));
            fputc('\n', fp);
            put_setting(fp, "xlabel", h ? i18n_get(lang, h->label) : metric);
            put_setting(fp, "labellow", i18n_get(lang, I18N_L_AT_LOW));
            put_setting(fp, "labelhigh", i18n_get(lang, I18N_L_AT_HIGH));
            put_setting(fp, "rangeword", i18n_get(lang, I18N_L_RANGE_TO));
            fputs("call ", fp);
            charts_put_quoted(fp, script);
            fputc('\n', fp);
        }
    }
}

/* Draws the tornado charts into DIR/charts when gnuplot is on PATH. Returns
 * 0 (drawn, or no gnuplot: *drawn says which) or the failure. */
static int draw_charts(const sweep_job *j, size_t *drawn, err_info *e)
{
    size_t charts[SWEEP_MAX_CHARTS];
    char gnuplot[PATH_LEN], scripts[PATH_LEN], sub[PATH_LEN + 16];
    size_t n = chart_metrics(j, charts);
    *drawn = 0;
    if (n == 0 || cli_find_on_path("gnuplot", gnuplot, sizeof gnuplot) != 0)
        return 0;
    int rc = cli_find_scripts(scripts, e);
    snprintf(sub, sizeof sub, "%s/charts", j->dir);
    if (rc == 0)
        rc = outfile_mkdirs(sub, e);
    outfile o;
    if (rc == 0 && (rc = outfile_open(&o, sub, "tornado.gp", e)) == 0) {
        write_chart_script(j, o.fp, scripts, charts, n);
        rc = outfile_commit(&o, e);
    }
    if (rc == 0 && (rc = gnuplot_run(gnuplot, j->dir, "charts/tornado.gp", e)) == 0)
        *drawn = n;
    return rc;
}

enum { OUT_SWEEP, OUT_TORNADO, OUT_RECORD, OUT_COUNT };

/* Every file of the sweep: all written under temporary names, then renamed
 * into place together (the run record last), then the charts drawn. */
static int write_outputs(sweep_job *j, const char *command_line, size_t *drawn, err_info *e)
{
    static const char *const names[OUT_COUNT] = {"sweep.csv", "tornado.csv", "run.txt"};
    outfile o[OUT_COUNT];
    memset(o, 0, sizeof o);
    bool oat = j->d.kind == DESIGN_OAT;
    int rc = outfile_mkdirs(j->dir, e);
    for (int k = 0; k < OUT_COUNT && rc == 0; k++)
        if (k != OUT_TORNADO || oat)
            rc = outfile_open(&o[k], j->dir, names[k], e);
    if (rc == 0) {
        write_sweep_csv(j, o[OUT_SWEEP].fp);
        if (oat)
            rc = write_tornado_csv(j, o[OUT_TORNADO].fp, e);
        write_record(j, o[OUT_RECORD].fp, command_line);
    }
    if (rc == 0)
        rc = outfile_commit_all(o, OUT_COUNT, e); /* releases all, whatever happens */
    else
        for (int k = 0; k < OUT_COUNT; k++)
            outfile_discard(&o[k]);
    *drawn = 0;
    return rc == 0 && oat ? draw_charts(j, drawn, e) : rc;
}

/* ---- the command ------------------------------------------------------------ */

static void print_notes(const sweep_args *a)
{
    for (size_t k = 0; k < a->n_keys; k++) {
        if (a->keys[k].integer)
            fprintf(stderr,
                    "caseflow: note: %s is a whole number (%s), so its values are rounded to "
                    "whole numbers\n",
                    a->keys[k].path, a->keys[k].where);
        if (a->keys[k].share)
            fprintf(stderr,
                    "caseflow: note: %s is one of probabilities that sum to 1 (%s): the others "
                    "are scaled in proportion to make room\n",
                    a->keys[k].path, a->keys[k].where);
    }
}

/* The largest swing of each charted metric, for the terminal. */
static void print_summary(const sweep_job *j, size_t drawn)
{
    size_t charts[SWEEP_MAX_CHARTS], n = chart_metrics(j, charts);
    tornado_bar *bars = mem_calloc(j->a->n_keys, sizeof *bars);
    double *scratch = mem_calloc(j->reps, sizeof *scratch);
    for (size_t c = 0; c < n && bars != NULL && scratch != NULL; c++) {
        char v[3][CSV_NUM_MAX];
        tornado(j, charts[c], bars, scratch);
        printf("caseflow: %s moves most with %s: %s from LOW to HIGH (95%% CI %s to %s)\n",
               j->base.names[j->sel[charts[c]]], j->a->keys[bars[0].key].path,
               csv_num(v[0], bars[0].swing.diff_mean), csv_num(v[1], bars[0].swing.low),
               csv_num(v[2], bars[0].swing.high));
    }
    mem_free(bars);
    mem_free(scratch);
    if (drawn > 0)
        printf("caseflow: %zu tornado chart%s (PNG and SVG) in %s/charts/\n", drawn,
               drawn == 1 ? "" : "s", j->dir);
    else if (n > 0)
        printf("caseflow: gnuplot not found on PATH: no tornado charts drawn (install the "
               "gnuplot-nox package); tornado.csv has their data\n");
}

static int sweep(sweep_job *j, const char *command_line, err_info *e)
{
    sweep_args *a = j->a;
    int rc = cli_run_open(&j->base, a->run.scenario, e);
    if (rc == 0)
        rc = check_keys(j, a->keys, a->n_keys, e);
    if (rc == 0)
        rc = cli_run_prepare(&j->base, &a->run, e);
    if (rc == 0)
        rc = select_metrics(j, e);
    /* Under MPI a rank failing alone (a file missing on its machine) must
     * tell the others, which are about to enter rep_run. */
    if (rc != 0)
        return rep_agree(rc, e);
    if (j->base.sc.warnings[0] != '\0')
        fputs(j->base.sc.warnings, stderr);
    print_notes(a);
    design_dim dims[SWEEP_MAX_KEYS];
    for (size_t k = 0; k < a->n_keys; k++)
        dims[k] =
            (design_dim){a->keys[k].low, a->keys[k].high, a->keys[k].base, a->keys[k].integer};
    j->reps = j->base.sc.replications;
    j->base.jobs = a->run.jobs ? a->run.jobs : rep_default_jobs();
    if ((rc = design_make(&j->d, a->kind, dims, a->n_keys, a->points, j->base.sc.seed, e)) != 0 ||
        (rc = run_all(j, e)) != 0)
        return rc;
    size_t drawn;
    /* Every rank holds every result; one writes them. */
    if (!rep_is_root())
        return 0;
    if ((rc = write_outputs(j, command_line, &drawn, e)) != 0)
        return rc;
    printf("caseflow: %s: sweep of %zu points (%s design, %zu setting%s), %u replications each; "
           "results in %s/\n",
           j->base.sc.name, j->d.n_points, design_kind_name(j->d.kind), a->n_keys,
           a->n_keys == 1 ? "" : "s", j->reps, j->dir);
    if (j->d.kind == DESIGN_OAT)
        print_summary(j, drawn);
    return 0;
}

static int usage_error(const char *text)
{
    cli_error(text);
    fputs(sweep_help, stderr);
    return CLI_USAGE;
}

int cli_cmd_sweep(int argc, char **argv, const char *command_line)
{
    sweep_args *a = mem_calloc(1, sizeof *a);
    sweep_job j;
    err_info e;
    err_clear(&e);
    memset(&j, 0, sizeof j);
    if (a == NULL) {
        cli_error("out of memory");
        return CLI_FAIL;
    }
    int rc = cli_sweep_parse(argc, argv, a, &e);
    if (rc != 0 || a->help) {
        mem_free(a);
        if (rc != 0)
            return usage_error(e.text);
        fputs(sweep_help, stdout);
        return CLI_OK;
    }
    j.a = a;
    if (a->run.out)
        snprintf(j.dir, sizeof j.dir, "%s", a->run.out);
    else {
        cli_default_out(a->run.scenario, j.dir, sizeof j.dir - 8);
        strcat(j.dir, "-sweep");
    }
    rc = sweep(&j, command_line, &e);
    cli_run_free(&j.base);
    design_fini(&j.d);
    mem_free(j.sel);
    mem_free(j.vals);
    free(j.warnings); /* open_memstream's, not mem_alloc's */
    mem_free(a);
    if (rc == 0)
        return CLI_OK;
    cli_error(e.text);
    return rc == ERR_INTERRUPT ? CLI_INTERRUPTED : CLI_FAIL;
}
