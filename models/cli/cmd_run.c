/*
 * cmd_run — `caseflow run`: load, simulate every replication, then write all
 * outputs at once. Nothing is created on disk until the run has succeeded,
 * so a bad scenario or an interrupted run leaves no new files; each file is
 * then replaced atomically (outfile.h).
 *
 * Loading, running and writing one scenario are the cli_run_* and
 * cli_outputs_* functions of cli_internal.h, shared with `compare`.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli_internal.h"
#include "cluster.h"
#include "csv.h"
#include "mem.h"
#include "netmodel.h"
#include "outfile.h"
#include "pathway/pathway.h"
#include "progress.h"
#include "rep.h"
#include "scenario.h"
#include "sha256.h"

#ifndef CASEFLOW_VERSION
#define CASEFLOW_VERSION "0.0.0"
#endif

static const char run_help[] =
    "usage: caseflow run FILE [--out DIR] [--replications N] [--seed S] [--jobs J] [--events]\n"
    "                         [--suppress-below N]\n"
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
    "  --events            also write events.csv (large: one line per transition)\n"
    "  --suppress-below N  for publication: figures counting fewer than N children (but more\n"
    "                      than none) are written as NA (statistical disclosure control; 5 is "
    "usual)\n";

static const char *const out_names[CLI_OUT_COUNT] = {"summary.csv", "timeseries.csv", "annual.csv",
                                                     "events.csv",  "scenario.cfg",   "run.txt"};

static double seconds_since(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0->tv_nsec);
}

/* The file's hash, or "unreadable". */
static void hash_of(const char *path, char hash[65])
{
    if (sha256_file(path, hash) != 0)
        snprintf(hash, 65, "unreadable");
}

void cli_write_record(FILE *fp, const char *command_line, const cli_run *r)
{
    char hash[65], when[32];
    const scenario *sc = &r->sc;
    time_t now = time(NULL);
    struct tm utc;
    gmtime_r(&now, &utc);
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &utc);
    hash_of(r->path, hash);
    fprintf(fp, "caseflow_version: %s\n", CASEFLOW_VERSION);
    fprintf(fp, "command: %s\n", command_line);
    fprintf(fp, "scenario_file: %s\n", r->path);
    fprintf(fp, "scenario_sha256: %s\n", hash);
    /* A variant's results depend on its bases too: each is fingerprinted. */
    for (size_t i = 0; i < sc->variant.n_bases; i++) {
        hash_of(sc->variant.bases[i], hash);
        fprintf(fp, "base_file: %s\n", sc->variant.bases[i]);
        fprintf(fp, "base_sha256: %s\n", hash);
    }
    fprintf(fp, "scenario_name: %s\n", sc->name);
    fprintf(fp, "seed: %llu\n", (unsigned long long)sc->seed);
    fprintf(fp, "replications: %u\n", sc->replications);
    fprintf(fp, "horizon_days: %.10g\n", sc->horizon_days);
    fprintf(fp, "warmup_days: %.10g\n", sc->warmup_days);
    fprintf(fp, "jobs: %u\n", r->jobs);
    if (cluster_size() > 1)
        fprintf(fp, "mpi_ranks: %u\n", cluster_size()); /* jobs is then threads per rank */
    fprintf(fp, "finished_utc: %s\n", when);
    fprintf(fp, "elapsed_seconds: %.3f\n", seconds_since(&r->t0));
    /* The record keeps the loader's warnings (a node that cannot serve its
     * demand) and the run's (a stage that cannot), which the terminal may
     * have scrolled away. */
    for (const char *w = sc->warnings; *w != '\0';) {
        size_t len = strcspn(w, "\n");
        fprintf(fp, "warning: %.*s\n", (int)len, w);
        w += len + (w[len] == '\n');
    }
    if (r->pw != NULL && r->results != NULL)
        pw_write_capacity_warnings(r->pw, r->results, sc->replications, "warning: ", fp);
}

static bool wanted(const cli_run *r, int k)
{
    if (k == CLI_OUT_TIMESERIES || k == CLI_OUT_ANNUAL)
        return r->pw != NULL;
    if (k == CLI_OUT_EVENTS)
        return r->pw != NULL && r->events;
    return true;
}

int cli_outputs_write(cli_outputs *out, const cli_run *r, const char *dir, const char *command_line,
                      err_info *e)
{
    memset(out, 0, sizeof *out);
    outfile *o = out->o;
    const scenario *sc = &r->sc;
    int rc = outfile_mkdirs(dir, e);
    for (int k = 0; k < CLI_OUT_COUNT && rc == 0; k++)
        if (wanted(r, k))
            rc = outfile_open(&o[k], dir, out_names[k], e);
    if (rc != 0)
        goto fail;
    if (r->pw != NULL) {
        pw_write_summary(r->pw, r->results, sc->replications, o[CLI_OUT_SUMMARY].fp);
        pw_write_timeseries(r->pw, r->results, sc->replications, o[CLI_OUT_TIMESERIES].fp);
        pw_write_annual(r->pw, r->results, sc->replications, o[CLI_OUT_ANNUAL].fp);
        if (r->events)
            pw_write_events(r->pw, o[CLI_OUT_EVENTS].fp);
    } else {
        csv_write_summary(o[CLI_OUT_SUMMARY].fp, r->names, r->n_metrics, r->results,
                          sc->replications);
    }
    scenario_write(sc, o[CLI_OUT_SCENARIO].fp, NULL);
    cli_write_record(o[CLI_OUT_RECORD].fp, command_line, r);
    return 0;
fail:
    cli_outputs_discard(out);
    return rc;
}

int cli_outputs_commit(cli_outputs *out, err_info *e)
{
    /* The run record is last: its presence marks a complete set. */
    return outfile_commit_all(out->o, CLI_OUT_COUNT, e);
}

void cli_outputs_discard(cli_outputs *out)
{
    for (int k = 0; k < CLI_OUT_COUNT; k++)
        outfile_discard(&out->o[k]);
}

int cli_run_open(cli_run *r, const char *path, err_info *e)
{
    memset(r, 0, sizeof *r);
    clock_gettime(CLOCK_MONOTONIC, &r->t0);
    r->path = path;
    return scenario_open(&r->sc, path, e);
}

/* Loads either kind of scenario; r->pw is set for a pathway. */
int cli_run_prepare(cli_run *r, const cli_args *a, err_info *e)
{
    const char *path = r->path;
    r->events = a->events;
    scenario *sc = &r->sc;
    int rc;
    if (pw_is_pathway(sc)) {
        if ((rc = pw_load(&r->pw, sc, e)) != 0)
            return rc;
    } else if ((rc = scenario_load_network(sc, e)) != 0) {
        return rc;
    }
    if ((rc = scenario_override(sc, a->has_replications ? &a->replications : NULL,
                                a->has_seed ? &a->seed : NULL, e)) != 0)
        return rc;
    if (r->pw != NULL) {
        /* The file's own replications were checked at load: a refusal now is the flag's. */
        if ((rc = pw_check_limits(r->pw, e)) != 0) {
            if (!a->has_replications)
                return rc;
            err_info why = *e;
            return err_set(e, rc, NULL, 0, "--replications %u: %s", a->replications, why.text);
        }
        r->width = pw_width(r->pw);
        r->n_metrics = pw_n_summary(r->pw);
        r->names = pw_summary_names(r->pw);
        pw_set_suppression(r->pw, a->suppress_below);
        /* Each rank would hold only its own replications' events. */
        if (a->events && cluster_size() > 1)
            return err_set(e, ERR_INPUT, NULL, 0,
                           "--events is not available across %u MPI ranks; run the scenario in "
                           "one process to write events.csv",
                           cluster_size());
        return a->events ? pw_enable_event_log(r->pw, e) : 0;
    }
    if (a->suppress_below)
        return err_set(e, ERR_INPUT, NULL, 0,
                       "--suppress-below needs a pathway scenario (one counting children); %s "
                       "is a network",
                       path);
    if (a->events)
        return err_set(e, ERR_INPUT, NULL, 0,
                       "--events needs a pathway scenario (one with stages); %s is a network",
                       path);
    if ((rc = netmodel_init(&r->nm, sc, e)) != 0)
        return rc;
    r->width = r->n_metrics = r->nm.n_metrics;
    r->names = (const char *const *)r->nm.names;
    return 0;
}

int cli_run_load(cli_run *r, const char *path, const cli_args *a, err_info *e)
{
    int rc = cli_run_open(r, path, e);
    if (rc == 0)
        rc = cli_run_prepare(r, a, e);
    /* A rank that failed alone (a file missing on its machine) tells the others. */
    return rc != 0 ? rep_agree(rc, e) : 0;
}

int cli_run_simulate(cli_run *r, unsigned jobs, err_info *e)
{
    const scenario *sc = &r->sc;
    r->nm.stop = &cli_stop;
    rep_model rm = r->pw ? pw_rep(r->pw, &cli_stop) : netmodel_rep(&r->nm);
    r->results = mem_calloc((size_t)sc->replications * rm.n_metrics, sizeof *r->results);
    if (r->results == NULL)
        return rep_agree(err_set(e, ERR_NOMEM, NULL, 0,
                                 "out of memory for %u replications' results", sc->replications),
                         e);
    r->jobs = jobs ? jobs : rep_default_jobs();
    cli_progress bar;
    rep_options ro = {.replications = sc->replications,
                      .jobs = r->jobs,
                      .stop = &cli_stop,
                      .progress = r->progress ? r->progress : cli_progress_update,
                      .progress_ud = r->progress ? r->progress_ud : &bar};
    if (r->progress == NULL) {
        cli_progress_start(&bar, stderr);
        cli_progress_share(&bar, sc->replications, rep_ranks());
    }
    int rc = rep_run(&rm, &ro, r->results, e);
    if (r->progress == NULL)
        cli_progress_finish(&bar);
    return rc;
}

void cli_run_free(cli_run *r)
{
    mem_free(r->results);
    r->results = NULL;
    pw_destroy(r->pw);
    r->pw = NULL;
    netmodel_fini(&r->nm);
    scenario_free(&r->sc);
}

static int run_scenario(const cli_args *a, const char *command_line, err_info *e)
{
    cli_run r;
    cli_outputs out;
    char dir[4096];
    int rc = cli_run_load(&r, a->scenario, a, e);
    if (rc != 0)
        goto done;
    if (r.sc.warnings[0] != '\0')
        fputs(r.sc.warnings, stderr);
    if ((rc = cli_run_simulate(&r, a->jobs, e)) != 0)
        goto done;
    if (a->out)
        snprintf(dir, sizeof dir, "%s", a->out);
    else
        cli_default_out(a->scenario, dir, sizeof dir);
    /* Every rank holds every result; rank 0 alone writes them. */
    if (!rep_is_root())
        goto done;
    if (r.pw != NULL)
        pw_write_capacity_warnings(r.pw, r.results, r.sc.replications, "", stderr);
    if ((rc = cli_outputs_write(&out, &r, dir, command_line, e)) == 0 &&
        (rc = cli_outputs_commit(&out, e)) == 0)
        printf("caseflow: %s: %u replications of %g days; results in %s/\n", r.sc.name,
               r.sc.replications, r.sc.horizon_days, dir);
done:
    cli_run_free(&r);
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
