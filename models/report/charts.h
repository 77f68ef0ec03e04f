/*
 * charts — which charts a report draws, and the gnuplot script that draws them.
 *
 * A chart is a call of one of the scripts in scripts/ (fan.gp: month by month
 * with 95% bands; annual.gp: by financial year; diff.gp: differences from a
 * baseline) with its settings: the CSV it reads, the columns, the words on it
 * in the report's language. Planning looks at the columns a run actually has,
 * so charts of metrics a run lacks (workforce and cost, before a scenario
 * declares them) are left out silently, and a run shorter than two financial
 * years gets no by-year charts.
 *
 * For a run (file names relative to the run folder):
 *   stock-cp-register, stock-care-and-support, stock-looked-after,
 *   stock-early-help      fan charts of each stock, with a right-hand axis per
 *                         10,000 children when the scenario gives a population
 *   flows-front-door      contacts, assessments, strategy meetings, S47s a month
 *   flows-care            CP registrations, care entries and exits a month
 *   timeliness            the share of work done within its statutory timescale
 *   workforce-caseload, workforce-unallocated, cost    when those columns exist
 *   fy-stocks, fy-flows, fy-care    by financial year, for runs over one year
 * For a comparison:
 *   compare-<measure>     the baseline and each option over time, per measure
 *   compare-differences   paired differences with 95% CIs (from compare.csv)
 *
 * Each is drawn twice, charts/<id>.png and charts/<id>.svg. Ownership: a
 * chart_list owns its charts' strings. Not thread-safe.
 */
#ifndef CASEFLOW_CHARTS_H
#define CASEFLOW_CHARTS_H

#include <stddef.h>
#include <stdio.h>

#include "err.h"
#include "report/i18n.h"
#include "report/runinfo.h"

#define CHARTS_ID_MAX 96

typedef struct chart {
    char id[CHARTS_ID_MAX]; /* file name without extension, under charts/ */
    const char *script;     /* "fan.gp", "annual.gp" or "diff.gp" */
    char *title;            /* plain-English title; also the image's alt text */
    char *caption;          /* one or two sentences under the chart */
    char *vars;             /* gnuplot assignments, one per line, quoted */
    size_t vars_len;
} chart;

typedef struct chart_list {
    chart *v;
    size_t n, cap;
} chart_list;

/* Plans the charts of a run folder / a comparison folder into cl (which
 * starts empty: zero it first). ERR_NOMEM; cl then needs charts_fini. */
int charts_plan_run(chart_list *cl, const runinfo *ri, i18n_lang lang, err_info *e);
int charts_plan_compare(chart_list *cl, const runcompare *c, i18n_lang lang, err_info *e);
void charts_fini(chart_list *cl);

/*
 * Writes the gnuplot script that draws every chart of cl, as PNG and SVG,
 * into charts/ below the folder gnuplot runs in. scripts_dir is the folder
 * holding fan.gp, annual.gp, diff.gp and style.gp (absolute, or relative to
 * that folder).
 */
void charts_write_script(FILE *fp, const chart_list *cl, const char *scripts_dir);

/* Writes s as a gnuplot single-quoted string: quotes doubled, line breaks
 * and other control characters turned into spaces. */
void charts_put_quoted(FILE *fp, const char *s);

#endif
