/*
 * csv — fixed-format numbers and the summary table. Metric names are
 * caseflow's own (node and stage names are checked by the loader), so no
 * quoting is needed; a name containing a comma or quote is a bug, CHECKed.
 */
#include "csv.h"

#include <math.h>
#include <string.h>

#include "check.h"
#include "stat.h"

const char *csv_num(char *buf, double v)
{
    if (!isfinite(v))
        snprintf(buf, CSV_NUM_MAX, "NA");
    else if (v == 0.0)
        snprintf(buf, CSV_NUM_MAX, "0");
    else
        snprintf(buf, CSV_NUM_MAX, "%.10g", v);
    return buf;
}

void csv_put_num(FILE *fp, double v)
{
    char buf[CSV_NUM_MAX];
    fputs(csv_num(buf, v), fp);
}

void csv_write_summary(FILE *fp, const char *const *names, size_t n_metrics, const double *results,
                       size_t reps)
{
    csv_write_summary_strided(fp, names, n_metrics, results, reps, n_metrics);
}

void csv_write_summary_strided(FILE *fp, const char *const *names, size_t n_metrics,
                               const double *results, size_t reps, size_t stride)
{
    CHECK(stride >= n_metrics);
    fputs("metric,mean,ci95_low,ci95_high,sd,n\n", fp);
    for (size_t i = 0; i < n_metrics; i++) {
        CHECK(strpbrk(names[i], ",\"\n") == NULL);
        stat_ci ci = stat_ci_compute(results + i, reps, stride, 0.95);
        fputs(names[i], fp);
        double cols[4] = {ci.mean, ci.low, ci.high, ci.sd};
        for (int c = 0; c < 4; c++) {
            fputc(',', fp);
            csv_put_num(fp, cols[c]);
        }
        fprintf(fp, ",%zu\n", reps);
    }
}
