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
#include "rep.h"
#include "scenario.h"
#include "sha256.h"

#ifndef CASEFLOW_VERSION
#define CASEFLOW_VERSION "0.0.0"
#endif

static const char run_help[] =
    "usage: caseflow run FILE [--out DIR] [--replications N] [--seed S] [--jobs J]\n"
    "\n"
    "Simulates the scenario in FILE and writes, in DIR:\n"
    "  summary.csv    one row per metric: mean and 95% confidence interval across replications\n"
    "  scenario.cfg   the scenario as resolved (with any flags applied)\n"
    "  run.txt        the run record: version, command, scenario hash, seed, replications\n"
    "\n"
    "  --out DIR           output folder (default: output/<FILE's name without .cfg>)\n"
    "  --replications N    replications (default: the file's `replications`)\n"
    "  --seed S            master random seed (default: the file's `seed`)\n"
    "  --jobs J            worker threads (default: number of cores); results do not depend on J\n";

typedef struct run_outputs {
    outfile summary, resolved, record;
} run_outputs;

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

static int write_outputs(const char *dir, const cli_args *a, const char *command_line,
                         const scenario *sc, const netmodel *m, const double *results,
                         unsigned jobs, double elapsed, err_info *e)
{
    run_outputs o;
    memset(&o, 0, sizeof o);
    int rc;
    if ((rc = outfile_mkdirs(dir, e)) != 0 ||
        (rc = outfile_open(&o.summary, dir, "summary.csv", e)) != 0 ||
        (rc = outfile_open(&o.resolved, dir, "scenario.cfg", e)) != 0 ||
        (rc = outfile_open(&o.record, dir, "run.txt", e)) != 0)
        goto fail;
    csv_write_summary(o.summary.fp, (const char *const *)m->names, m->n_metrics, results,
                      sc->replications);
    if ((rc = scenario_write(sc, o.resolved.fp, e)) != 0)
        goto fail;
    write_record(o.record.fp, command_line, a, sc, jobs, elapsed);
    /* Commit the run record last: its presence marks a complete set. */
    if ((rc = outfile_commit(&o.summary, e)) != 0 || (rc = outfile_commit(&o.resolved, e)) != 0 ||
        (rc = outfile_commit(&o.record, e)) != 0)
        goto fail;
    return 0;
fail:
    outfile_discard(&o.summary);
    outfile_discard(&o.resolved);
    outfile_discard(&o.record);
    return rc;
}

static int run_scenario(const cli_args *a, const char *command_line, err_info *e)
{
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    scenario sc;
    netmodel m;
    double *results = NULL;
    int rc = scenario_load(&sc, a->scenario, e);
    if (rc != 0)
        return rc;
    memset(&m, 0, sizeof m);
    if ((rc = scenario_override(&sc, a->has_replications ? &a->replications : NULL,
                                a->has_seed ? &a->seed : NULL, e)) != 0)
        goto done;
    if (sc.warnings[0] != '\0')
        fputs(sc.warnings, stderr);
    if ((rc = netmodel_init(&m, &sc, e)) != 0)
        goto done;
    m.stop = &cli_stop;
    results = mem_calloc((size_t)sc.replications * m.n_metrics, sizeof *results);
    if (results == NULL) {
        rc = err_set(e, ERR_NOMEM, NULL, 0, "out of memory for %u replications' results",
                     sc.replications);
        goto done;
    }
    unsigned jobs = a->jobs ? a->jobs : rep_default_jobs();
    rep_model rm = netmodel_rep(&m);
    rep_options ro = {.replications = sc.replications, .jobs = jobs, .stop = &cli_stop};
    if ((rc = rep_run(&rm, &ro, results, e)) != 0)
        goto done;
    char dir[4096];
    if (a->out)
        snprintf(dir, sizeof dir, "%s", a->out);
    else
        cli_default_out(a->scenario, dir, sizeof dir);
    rc = write_outputs(dir, a, command_line, &sc, &m, results, jobs, seconds_since(&t0), e);
    if (rc == 0)
        printf("caseflow: %s: %u replications of %g days; results in %s/\n", sc.name,
               sc.replications, sc.horizon_days, dir);
done:
    mem_free(results);
    netmodel_fini(&m);
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
