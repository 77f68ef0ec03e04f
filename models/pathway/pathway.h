/*
 * pathway — children's social care as a discrete-event model: synthetic
 * children moving between the services (stages) a scenario file declares,
 * from contact at the front door to leaving care, with step-up, step-down,
 * re-referral, ageing out at 18 and a warm start from today's caseload.
 *
 * The scenario says everything about a council (see docs/pathway.md and
 * scenarios/bridgend-2022.cfg): the stages and their capacities and
 * durations, the outcomes of each stage and the rules that override them for
 * some children, the exits and who comes back, the stocks to report, the
 * statutory timescales measured as KPIs, the stream of contacts (a yearly
 * rate, a monthly profile, a growth rate, a mix of sources) and the stocks on
 * day 0. The code supplies only behaviours: how a child moves, ages, waits,
 * gives up and is counted. Re-wiring a pathway needs no recompiling.
 *
 * Results: each replication fills a vector of pw_width() numbers: the
 * summary metrics (pw_summary_names), then for every month and then every
 * financial year the series (flows, stocks, KPIs). pw_write_* turn the
 * replications' vectors into summary.csv, timeseries.csv and annual.csv with
 * 95% confidence intervals across replications.
 *
 * Thread-safety: a loaded model is read-only during pw_rep's run; each
 * worker thread owns its simulator and counters. Results do not depend on
 * the number of threads.
 */
#ifndef CASEFLOW_PATHWAY_H
#define CASEFLOW_PATHWAY_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "err.h"
#include "rep.h"
#include "scenario.h"

typedef struct pw_model pw_model;

/* Whether an opened scenario describes a pathway (it has `stages`). */
bool pw_is_pathway(scenario *sc);

/*
 * Loads the pathway from sc (opened with scenario_open; the run settings are
 * read here too). sc must outlive the model. Returns 0, or ERR_INPUT /
 * ERR_LIMIT / ERR_IO / ERR_NOMEM with "FILE:LINE: what; expected what" in e
 * and *out NULL.
 */
int pw_load(pw_model **out, scenario *sc, err_info *e);
void pw_destroy(pw_model *m); /* NULL ok */

/* Re-checks magnitudes after scenario_override changed replications. */
int pw_check_limits(const pw_model *m, err_info *e);

/* Record every child's transitions (for --events): one buffer per replication. */
int pw_enable_event_log(pw_model *m, err_info *e);

size_t pw_width(const pw_model *m);
size_t pw_n_summary(const pw_model *m);
const char *const *pw_summary_names(const pw_model *m);

/* The series of timeseries.csv and annual.csv: metric i of month k of
 * replication r is results[r * pw_width + pw_n_summary + k * pw_n_series + i];
 * financial year y follows the months (k = pw_n_months + y). */
size_t pw_n_series(const pw_model *m);
const char *pw_series_name(const pw_model *m, size_t i);
size_t pw_n_months(const pw_model *m);

/* The rep_model view: m must outlive its use; stop may be NULL. */
rep_model pw_rep(pw_model *m, const volatile sig_atomic_t *stop);

/* Disclosure control for published outputs: figures counting children whose
 * mean is above 0 and below `below` are written as NA (0 = off). */
void pw_set_suppression(pw_model *m, double below);

/* Outputs from reps replications' vectors (results[r * pw_width + i]). */
void pw_write_summary(const pw_model *m, const double *results, size_t reps, FILE *fp);
void pw_write_timeseries(const pw_model *m, const double *results, size_t reps, FILE *fp);
void pw_write_annual(const pw_model *m, const double *results, size_t reps, FILE *fp);
void pw_write_events(const pw_model *m, FILE *fp);

/*
 * After a run: one line for each stage whose places cannot serve its demand
 * or are near it, judged on stage.S.offered_load over the replications and
 * the growth of the number there (pathway_output.c says how), written to fp
 * as "PREFIX" "FILE:LINE: warning: stage 'S' ...\n" (FILE:LINE where its
 * servers or sessions are set). Nothing for stages with unlimited places.
 * Returns the number of lines written. results as for pw_write_summary.
 */
size_t pw_write_capacity_warnings(const pw_model *m, const double *results, size_t reps,
                                  const char *prefix, FILE *fp);

/* A plain-English account of the loaded model for `caseflow check`. */
void pw_describe(const pw_model *m, FILE *fp);

#endif
