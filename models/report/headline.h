/*
 * headline — the measures a report leads with, in the order a head of service
 * reads them: flows through the front door and beyond, the numbers of children
 * in each service at the end, timeliness, then workforce and cost.
 *
 * Each entry names the metric as summary.csv and compare.csv spell it, the
 * column stem in timeseries.csv and annual.csv, its label (an i18n key) and
 * how its numbers read (a count, a share shown as a percentage, money).
 * A measure a run did not produce is simply skipped wherever it is used, so
 * the workforce and cost rows appear once those metrics exist.
 *
 * Adding a measure: add a row to the table in headline.c (and its label key to
 * i18n.h, with both translations).
 */
#ifndef CASEFLOW_HEADLINE_H
#define CASEFLOW_HEADLINE_H

#include <stddef.h>

#include "report/i18n.h"

typedef enum headline_kind {
    HEADLINE_FLOW,  /* children counted over a period: a whole number */
    HEADLINE_STOCK, /* children at a moment: a whole number, and per 10,000 */
    HEADLINE_SHARE, /* a share 0-1, shown as a percentage */
    HEADLINE_COUNT, /* other counts (cases) */
    HEADLINE_MONEY  /* pounds */
} headline_kind;

typedef enum headline_group {
    HEADLINE_G_FLOWS,
    HEADLINE_G_STOCKS,
    HEADLINE_G_KPIS,
    HEADLINE_G_WORKFORCE
} headline_group;

typedef struct headline {
    const char *metric; /* in summary.csv / compare.csv: "stock.looked_after.end" */
    const char *series; /* column stem in timeseries.csv / annual.csv: "stock.looked_after" */
    i18n_key label;     /* what a reader sees */
    headline_kind kind;
    headline_group group;
} headline;

/* The table, and its length. */
const headline *headline_all(size_t *n);

/* The entry whose metric is name, or NULL. */
const headline *headline_find(const char *metric);

/* The entry whose series (column stem) is stem, or NULL. */
const headline *headline_find_series(const char *stem);

#endif
