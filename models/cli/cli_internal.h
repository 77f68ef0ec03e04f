/*
 * cli_internal — what the commands share: loading and running one scenario
 * of either kind and writing its output folder (`run`, `compare`), and
 * describing a variant (`check`).
 *
 * A run's outputs are written in two steps so a command that writes several
 * folders can make them appear together: cli_outputs_write puts every file
 * under a temporary name, cli_outputs_commit renames them into place (the
 * run record last: its presence marks a complete folder).
 *
 * Thread-safety: none of this is; the replications inside cli_run_simulate
 * run on threads (rep.h).
 */
#ifndef CASEFLOW_CLI_INTERNAL_H
#define CASEFLOW_CLI_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <time.h>

#include "cli.h"
#include "netmodel.h"
#include "outfile.h"
#include "pathway/pathway.h"
#include "report/i18n.h"
#include "scenario.h"

/* One scenario: loaded by cli_run_load, run by cli_run_simulate. */
typedef struct cli_run {
    const char *path;         /* the scenario file as given (not owned) */
    scenario sc;              /* the scenario, with the command line's overrides applied */
    netmodel nm;              /* a network scenario's model; zeroed for a pathway */
    pw_model *pw;             /* a pathway scenario's model, or NULL */
    bool events;              /* --events: the pathway records every transition */
    double *results;          /* sc.replications rows of `width` values; NULL until run */
    size_t width;             /* values per replication */
    size_t n_metrics;         /* the summary metrics: the first n_metrics values of a row */
    const char *const *names; /* their names, n_metrics of them (owned by the model) */
    unsigned jobs;            /* threads the replications ran on */
    struct timespec t0;       /* when loading began (for the run record) */
    /* Set before cli_run_simulate to report progress elsewhere (sweep: one
     * bar over every point); NULL: a bar of this run's replications. */
    void (*progress)(void *ud, uint32_t done, uint32_t total);
    void *progress_ud;
} cli_run;

/*
 * Loads the scenario at path (either kind, variants resolved) and applies a's
 * --replications, --seed and --events. Returns 0 or an ERR_* code with
 * "FILE:LINE: ..." in e. r needs cli_run_free either way.
 */
int cli_run_load(cli_run *r, const char *path, const cli_args *a, err_info *e);

/*
 * cli_run_load in two steps, for a command that edits the scenario's tree in
 * between (sweep sets the values it varies): cli_run_open parses the file
 * and resolves a variant; cli_run_prepare loads the model from the tree and
 * applies a's flags. Same returns as cli_run_load; r needs cli_run_free.
 */
int cli_run_open(cli_run *r, const char *path, err_info *e);
int cli_run_prepare(cli_run *r, const cli_args *a, err_info *e);

/* Runs every replication on `jobs` threads (0: one per core); Ctrl-C
 * (cli_stop) stops it with ERR_INTERRUPT. Fills r->results. */
int cli_run_simulate(cli_run *r, unsigned jobs, err_info *e);

/* Frees everything r holds; safe after a failed load and twice. */
void cli_run_free(cli_run *r);

enum {
    CLI_OUT_SUMMARY,
    CLI_OUT_TIMESERIES,
    CLI_OUT_ANNUAL,
    CLI_OUT_EVENTS,
    CLI_OUT_SCENARIO,
    CLI_OUT_RECORD,
    CLI_OUT_COUNT
};

/* The files of one output folder between writing and committing. */
typedef struct cli_outputs {
    outfile o[CLI_OUT_COUNT];
} cli_outputs;

/*
 * Creates dir (and its parents) and writes r's outputs into it under
 * temporary names: summary.csv, for a pathway timeseries.csv and annual.csv
 * (and events.csv with --events), scenario.cfg (resolved) and run.txt
 * (command_line recorded). On failure returns ERR_IO/ERR_NOMEM and leaves
 * no temporary file (out needs no cleanup).
 */
int cli_outputs_write(cli_outputs *out, const cli_run *r, const char *dir, const char *command_line,
                      err_info *e);
/* The run record (run.txt): version, command line, the scenario's and its
 * bases' SHA-256, seed, replications, horizon, jobs, when it finished. */
void cli_write_record(FILE *fp, const char *command_line, const cli_run *r);

/* Renames the files into place, the run record last. On failure the rest
 * are discarded. */
int cli_outputs_commit(cli_outputs *out, err_info *e);
/* Removes the temporary files; safe on a zeroed or committed out. */
void cli_outputs_discard(cli_outputs *out);

/* One metric of a variant against the baseline, paired by replication. */
typedef struct cli_compare {
    double baseline_mean; /* mean over replications; NaN when missing or undefined */
    double variant_mean;  /* the same for the variant */
    double diff_mean;     /* mean of d_r = variant_r - baseline_r */
    double low, high;     /* its 95% Student-t confidence interval; NaN with 1 replication */
    double rel_change;    /* diff_mean / baseline_mean; NaN when baseline_mean is 0 */
    bool distinguishable; /* the interval excludes 0 (false when it is NaN) */
} cli_compare;

/*
 * Compares base[r * base_stride] with var[r * var_stride], r = 0 .. reps-1
 * (replication r of each ran on the same random numbers). base or var NULL:
 * the metric is missing on that side; only the other side's mean is given.
 * scratch holds reps doubles. Values that are not finite make the mean NaN
 * (csv: NA), as in summary.csv.
 */
cli_compare cli_compare_metric(const double *base, size_t base_stride, const double *var,
                               size_t var_stride, size_t reps, double *scratch);

/* The first executable `name` on PATH into out; 0 or -1 (cmd_report.c). */
int cli_find_on_path(const char *name, char *out, size_t size);
/* The absolute path of caseflow's scripts/ folder into out (4096 bytes):
 * $CASEFLOW_SCRIPTS, beside the program, or ./scripts. 0 or ERR_IO. */
int cli_find_scripts(char *out, err_info *e);
/* --lang's value v ("en" or "cy"; NULL when the flag had none) into *lang:
 * 0, or ERR_INPUT with the message report and sweep both give (cmd_report.c). */
int cli_parse_lang(const char *v, i18n_lang *lang, err_info *e);

/* For `check`: the bases of a variant and each change it made ("changed by
 * the variant:"); prints nothing for a scenario without base. */
void cli_print_variant(const scenario *sc, FILE *fp);

#endif
