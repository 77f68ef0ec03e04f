/*
 * csv — the tables caseflow writes, in a fixed number format so identical
 * results are identical bytes.
 *
 * Numbers: "%.10g" (ten significant digits: exact enough for any count or
 * cost a council publishes, short enough to read), "0" for zero of either
 * sign, and "NA" for a value that does not exist (NaN or infinite): the
 * spelling R, gnuplot (`set datafile missing "NA"`) and spreadsheets share.
 *
 * The summary table has the columns metric,mean,ci95_low,ci95_high,sd,n:
 * mean across replications, its 95% Student-t confidence interval, the
 * standard deviation between replications and the number of replications.
 * With one replication the interval and sd are NA.
 */
#ifndef CASEFLOW_CSV_H
#define CASEFLOW_CSV_H

#include <stddef.h>
#include <stdio.h>

#include "err.h"

#define CSV_NUM_MAX 32

/* Formats v into buf (CSV_NUM_MAX bytes) and returns buf. */
const char *csv_num(char *buf, double v);

/* Writes v to fp in the fixed format. */
void csv_put_num(FILE *fp, double v);

/*
 * Writes the summary table to fp: for each metric i, the replications'
 * values results[r * n_metrics + i], r = 0 .. reps-1.
 */
void csv_write_summary(FILE *fp, const char *const *names, size_t n_metrics, const double *results,
                       size_t reps);
/* The same when each replication's row is longer than the metrics written:
 * metric i of replication r is results[r * stride + i] (stride >= n_metrics). */
void csv_write_summary_strided(FILE *fp, const char *const *names, size_t n_metrics,
                               const double *results, size_t reps, size_t stride);

#endif
