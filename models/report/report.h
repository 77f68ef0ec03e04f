/*
 * report — `caseflow report`: charts and a one-page report for a run or a
 * comparison, from the files caseflow wrote.
 *
 * report_make reads the folder (a run folder, or a comparison folder: one
 * holding compare.csv), plans its charts, writes charts/charts.gp, runs
 * gnuplot on it to draw charts/<chart>.png and .svg, checks every chart was
 * drawn, then writes report.html (atomically: the previous report stays until
 * the new one is complete). Nothing is written if the folder cannot be read.
 *
 * The report is in one language, English or Welsh (i18n.h); the charts carry
 * the same language, so running it again in the other language redraws them.
 *
 * Thread-safety: one report at a time per folder; runs a child process.
 */
#ifndef CASEFLOW_REPORT_H
#define CASEFLOW_REPORT_H

#include <stddef.h>

#include "err.h"
#include "report/i18n.h"

typedef struct report_options {
    const char *dir;         /* the run or comparison folder */
    i18n_lang lang;          /* the report's language */
    const char *gnuplot;     /* path of the gnuplot program; NULL: draw nothing and
                                embed the charts already in charts/ (for tests) */
    const char *scripts_dir; /* folder holding fan.gp, annual.gp, diff.gp, style.gp:
                                absolute, since gnuplot runs in dir */
} report_options;

typedef struct report_result {
    size_t charts;  /* charts planned (each drawn as PNG and SVG) */
    int is_compare; /* 1 for a comparison folder */
} report_result;

/*
 * Makes the report. Returns 0, or: ERR_IO (the folder or a file in it is
 * missing or unreadable, naming it; gnuplot failed or did not draw a chart),
 * ERR_INPUT (a file is malformed: FILE:LINE), ERR_INTERRUPT (gnuplot was
 * interrupted), ERR_NOMEM. res may be NULL.
 */
int report_make(const report_options *o, report_result *res, err_info *e);

#endif
