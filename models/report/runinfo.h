/*
 * runinfo — what a run folder (written by `caseflow run`) or a comparison
 * folder (written by `caseflow compare`) holds, read back for a report.
 *
 * A run folder has summary.csv, timeseries.csv, scenario.cfg (the scenario as
 * resolved, so its settings are the ones that ran), and usually annual.csv
 * and run.txt. A comparison folder has compare.csv and one run folder per
 * scenario: the variants named in compare.csv's `variant` column, and one more,
 * the baseline.
 *
 * Only what a report shows is read from scenario.cfg: name, description, the
 * run's dates and settings, the population, the contacts and each stage's
 * places and starting stock. Everything else stays in the file, which the
 * report points to.
 *
 * Errors name the file, and the line where there is one. Ownership: a runinfo
 * owns its strings and tables until runinfo_fini. Not thread-safe.
 */
#ifndef CASEFLOW_RUNINFO_H
#define CASEFLOW_RUNINFO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "report/csvin.h"

typedef struct runinfo_stage {
    char *name;      /* as in the scenario */
    int64_t servers; /* places; 0 = no limit */
    int64_t initial; /* children there on day 0 */
} runinfo_stage;

typedef struct runinfo {
    char *dir;           /* the folder, as given */
    char *name;          /* scenario name */
    char *description;   /* "" if the scenario has none */
    char *version;       /* caseflow version from run.txt, "" if unknown */
    long start_day;      /* start_date as days since 1970-01-01 */
    double horizon_days; /* days simulated */
    double warmup_days;  /* days not counted */
    uint32_t replications;
    int64_t seed;
    double population;        /* children in the area; 0 if not given */
    double contacts_per_year; /* NaN if not given */
    double growth_per_year;   /* fraction a year; NaN if not given */
    runinfo_stage *stages;
    size_t n_stages;
    csvin *summary;    /* summary.csv */
    csvin *timeseries; /* timeseries.csv */
    csvin *annual;     /* annual.csv, or NULL if absent */
} runinfo;

/*
 * Reads the run folder dir. ERR_IO naming a missing file (summary.csv,
 * timeseries.csv — a network scenario has none, and is refused with a
 * message saying so — or scenario.cfg), ERR_INPUT with FILE:LINE for a
 * malformed one, ERR_NOMEM. On failure ri needs only runinfo_fini.
 */
int runinfo_load(runinfo *ri, const char *dir, err_info *e);
void runinfo_fini(runinfo *ri);

/* True if the timeseries has the columns M, M.ci95_low and M.ci95_high. */
bool runinfo_has_series(const csvin *t, const char *stem);

/* Day d (days since 1970-01-01) as a calendar date, and back. */
void runinfo_civil(long d, int *y, int *m, int *day);
long runinfo_days(int y, int m, int d);

/* A comparison folder. */
typedef struct runcompare {
    char *dir;
    csvin *table;      /* compare.csv */
    runinfo baseline;  /* the subfolder not named as a variant */
    runinfo *variants; /* in the order compare.csv first names them */
    size_t n_variants;
} runcompare;

/* True if dir holds a compare.csv. */
bool runinfo_is_compare(const char *dir);

/*
 * Reads a comparison folder: compare.csv (its columns checked), each
 * variant's run folder DIR/<variant>/, and the baseline: the one other
 * subfolder holding a summary.csv. ERR_INPUT if there is no such folder or
 * more than one (naming them); otherwise as runinfo_load. On failure c needs
 * only runinfo_compare_fini.
 */
int runinfo_compare_load(runcompare *c, const char *dir, err_info *e);
void runinfo_compare_fini(runcompare *c);

/* The name of ri's folder inside the comparison folder: for a variant, the
 * name compare.csv gives it (caseflow compare names folders after the
 * scenario files). Points into ri->dir. */
const char *runinfo_compare_folder(const runcompare *c, const runinfo *ri);

#endif
