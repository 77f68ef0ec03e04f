/*
 * cmd_run — `caseflow run`: load, simulate every replication, then write all
 * outputs at once. Nothing is created on disk until the run has succeeded,
 * so a bad scenario or an interrupted run leaves no new files; each file is
 * then replaced atomically (outfile.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "csv.h"
#include "mem.h"
#include "netmodel.h"
#include "outfile.h"
#include "pathway/pathway.h"
#include "rep.h"
#include "scenario.h"
#include "sha256.h"

#ifndef CASEFLOW_VERSION
#define CASEFLOW_VERSION "0.0.0"
#endif

static const char run_help[] =
    "usage: caseflow run FILE [--out DIR] [--replications N] [--seed S] [--jobs J] [--events]\n"
    "\n"
    "Simulates the scenario in FILE and writes, in DIR:\n"
    "  summary.csv    one row per metric: mean and 95% confidence interval across replications\n"
    "  timeseries.csv every flow, stock and KPI month by month, with 95% CIs (pathway scenarios)\n"
    "  annual.csv     the same by financial year, April to March (pathway scenarios)\n"
    "  events.csv     with --events: every child's transitions, synthetic ids only\n"
    "  scenario.cfg   the scenario as resolved (with any flags applied)\n"
    "  run.txt        the run record: version, command, scenario hash, seed, replications\n"
    "\n"
    "  --out DIR           output folder (default: output/<FILE's name without .cfg>)\n"
    "  --replications N    replications (default: the file's `replications`)\n"
    "  --seed S            master random seed (default: the file's `seed`)\n"
    "  --jobs J            worker threads (default: number of cores); results do not depend on J\n"
    "  --events            also write events.csv (large: one line per transition)\n";

/* What was run: a network scenario (netmodel) or a pathway (pw_model). */
typedef struct run_model {
    const scenario *sc;
    const netmodel *net; /* or NULL */
    const pw_model *pw;  /* or NULL */
    bool events;
} run_model;

enum { OUT_SUMMARY, OUT_TIMESERIES, OUT_ANNUAL, OUT_EVENTS, OUT_SCENARIO, OUT_RECORD, OUT_COUNT };
static const char *const out_names[OUT_COUNT] = {"summary.csv", "timeseries.csv", "annual.csv",
                                                 "events.csv",  "scenario.cfg",   "run.txt"};

static double seconds_since(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0->tv_nsec);
}

static void write_record(FILE *fp, const char *command_line, const cli_args *a, const scenario *sc,
                         unsigned jobs, double elapsed)
{
    char hash[65], when[32];
    time_t now = time(NULL);
    struct tm utc;
    gmtime_r(&now, &utc);
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &utc);
    if (sha256_file(a->scenario, hash) != 0)
        snprintf(hash, sizeof hash, "unreadable");
    fprintf(fp, "caseflow_version: %s\n", CASEFLOW_VERSION);
    fprintf(fp, "command: %s\n", command_line);
    fprintf(fp, "scenario_file: %s\n", a->scenario);
    fprintf(fp, "scenario_sha256: %s\n", hash);
    fprintf(fp, "scenario_name: %s\n", sc->name);
    fprintf(fp, "seed: %llu\n", (unsigned long long)sc->seed);
    fprintf(fp, "replications: %u\n", sc->replications);
    fprintf(fp, "horizon_days: %.10g\n", sc->horizon_days);
    fprintf(fp, "warmup_days: %.10g\n", sc->warmup_days);
    fprintf(fp, "jobs: %u\n", jobs);
    fprintf(fp, "finished_utc: %s\n", when);
    fprintf(fp, "elapsed_seconds: %.3f\n", elapsed);
}

static bool wanted(const run_model *rm, int k)
{
    if (k == OUT_TIMESERIES || k == OUT_ANNUAL)
        return rm->pw != NULL;
    if (k == OUT_EVENTS)
        return rm->pw != NULL && rm->events;
    return true;
}

static int write_outputs(const char *dir, const cli_args *a, const char *command_line,
                         const run_model *rm, const double *results, unsigned jobs, double elapsed,
                         err_info *e)
{
    outfile o[OUT_COUNT];
    memset(o, 0, sizeof o);
    const scenario *sc = rm->sc;
    int rc = outfile_mkdirs(dir, e);
    for (int k = 0; k < OUT_COUNT && rc == 0; k++)
        if (wanted(rm, k))
            rc = outfile_open(&o[k], dir, out_names[k], e);
    if (rc != 0)
        goto fail;
    if (rm->pw != NULL) {
        pw_write_summary(rm->pw, results, sc->replications, o[OUT_SUMMARY].fp);
        pw_write_timeseries(rm->pw, results, sc->replications, o[OUT_TIMESERIES].fp);
        pw_write_annual(rm->pw, results, sc->replications, o[OUT_ANNUAL].fp);
        if (rm->events)
            pw_write_events(rm->pw, o[OUT_EVENTS].fp);
    } else {
        csv_write_summary(o[OUT_SUMMARY].fp, (const char *const *)rm->net->names,
                          rm->net->n_metrics, results, sc->replications);
    }
    if ((rc = scenario_write(sc, o[OUT_SCENARIO].fp, e)) != 0)
        goto fail;
    write_record(o[OUT_RECORD].fp, command_line, a, sc, jobs, elapsed);
    /* Commit the run record last: its presence marks a complete set. */
    for (int k = 0; k < OUT_COUNT && rc == 0; k++)
        if (wanted(rm, k))
            rc = outfile_commit(&o[k], e);
    if (rc != 0)
        goto fail;
    return 0;
fail:
    for (int k = 0; k < OUT_COUNT; k++)
        outfile_discard(&o[k]);
    return rc;
}

/* Loads either kind of scenario; *pw is set for a pathway, *net otherwise. */
static int load_model(const cli_args *a, scenario *sc, netmodel *nm, pw_model **pw, err_info *e)
{
    int rc = scenario_open(sc, a->scenario, e);
    if (rc != 0)
        return rc;
    if (pw_is_pathway(sc)) {
        if ((rc = pw_load(pw, sc, e)) != 0)
            return rc;
    } else if ((rc = scenario_load_network(sc, e)) != 0) {
        return rc;
    }
    if ((rc = scenario_override(sc, a->has_replications ? &a->replications : NULL,
                                a->has_seed ? &a->seed : NULL, e)) != 0)
        return rc;
    if (*pw != NULL) {
        if ((rc = pw_check_limits(*pw, e)) != 0)
            return rc;
        return a->events ? pw_enable_event_log(*pw, e) : 0;
    }
    if (a->events)
        return err_set(e, ERR_INPUT, NULL, 0,
                       "--events needs a pathway scenario (one with stages); %s is a network",
                       a->scenario);
    return netmodel_init(nm, sc, e);
}

static int run_scenario(const cli_args *a, const char *command_line, err_info *e)
{
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    scenario sc;
    netmodel nm;
    pw_model *pw = NULL;
    double *results = NULL;
    memset(&nm, 0, sizeof nm);
    int rc = load_model(a, &sc, &nm, &pw, e);
    if (rc != 0)
        goto done;
    if (sc.warnings[0] != '\0')
        fputs(sc.warnings, stderr);
    nm.stop = &cli_stop;
    rep_model rm = pw ? pw_rep(pw, &cli_stop) : netmodel_rep(&nm);
    results = mem_calloc((size_t)sc.replications * rm.n_metrics, sizeof *results);
    if (results == NULL) {
        rc = err_set(e, ERR_NOMEM, NULL, 0, "out of memory for %u replications' results",
                     sc.replications);
        goto done;
    }
    unsigned jobs = a->jobs ? a->jobs : rep_default_jobs();
    rep_options ro = {.replications = sc.replications, .jobs = jobs, .stop = &cli_stop};
    if ((rc = rep_run(&rm, &ro, results, e)) != 0)
        goto done;
    char dir[4096];
    if (a->out)
        snprintf(dir, sizeof dir, "%s", a->out);
    else
        cli_default_out(a->scenario, dir, sizeof dir);
    run_model what = {.sc = &sc, .net = pw ? NULL : &nm, .pw = pw, .events = a->events};
    rc = write_outputs(dir, a, command_line, &what, results, jobs, seconds_since(&t0), e);
    if (rc == 0)
        printf("caseflow: %s: %u replications of %g days; results in %s/\n", sc.name,
               sc.replications, sc.horizon_days, dir);
done:
    mem_free(results);
    pw_destroy(pw);
    netmodel_fini(&nm);
    scenario_free(&sc);
    return rc;
}

int cli_cmd_run(int argc, char **argv, const char *command_line)
{
    cli_args a;
    err_info e;
    err_clear(&e);
    if (cli_parse_args(argc, argv, true, &a, &e) != 0) {
        cli_error(e.text);
        fputs(run_help, stderr);
        return CLI_USAGE;
    }
    if (a.help) {
        fputs(run_help, stdout);
        return CLI_OK;
    }
    int rc = run_scenario(&a, command_line, &e);
    if (rc == 0)
        return CLI_OK;
    cli_error(e.text);
    return rc == ERR_INTERRUPT ? CLI_INTERRUPTED : CLI_FAIL;
}
