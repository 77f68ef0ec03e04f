/*
 * main — caseflow's entry point: global set-up (GSL error handler, MPI,
 * signals), then dispatch to a command. Everything that prints lives in
 * models/cli/.
 *
 * Under MPI (`make MPI=1`, then `mpirun -np N`), every rank runs the same
 * command: rep_run shares the replications out and gives every rank all
 * the results, so each computes the same outputs. Rank 0 alone speaks:
 * the other ranks' stdout and stderr go to /dev/null (errors are agreed
 * between ranks, so rank 0 prints the one that matters; a crash on another
 * rank is reported by mpirun) and they run only the commands that run
 * replications, so `check` or `report` under mpirun work once.
 */
#include <gsl/gsl_errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "cluster.h"

#ifndef CASEFLOW_VERSION
#define CASEFLOW_VERSION "0.0.0"
#endif

static const char usage[] =
    "caseflow " CASEFLOW_VERSION " - case-flow simulation of children's social care\n"
    "\n"
    "usage: caseflow COMMAND [ARGS]\n"
    "\n"
    "commands:\n"
    "  run FILE [--out DIR] [--replications N] [--seed S] [--jobs J]\n"
    "                 simulate a scenario and write summary.csv, scenario.cfg, run.txt\n"
    "  check FILE     validate a scenario and show what it resolves to, without running\n"
    "  compare BASE VARIANT [MORE ...] [--out DIR] [--replications N] [--seed S] [--jobs J]\n"
    "                 run options against a baseline with common random numbers; write\n"
    "                 each one's outputs and compare.csv (paired differences, 95% CIs)\n"
    "  sweep FILE --vary KEY=LOW:HIGH [...] [--design oat|lhs|sobol] [--points N]\n"
    "                 [--metric NAME] [--out DIR] [--replications N] [--seed S] [--jobs J]\n"
    "                 [--lang en|cy]\n"
    "                 run a scenario over a design of values of its settings (common\n"
    "                 random numbers); write sweep.csv and, one at a time, a tornado\n"
    "  report DIR [--lang en|cy]\n"
    "                 draw the charts of a run or comparison and write DIR/report.html\n"
    "\n"
    "options:\n"
    "  --help         help for the program or a command (caseflow run --help)\n"
    "  --version      print the version\n";

/* The command line as one string for the run record (words joined by spaces,
 * quoted when they contain a space). */
static void join_args(int argc, char **argv, char *buf, size_t size)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int i = 0; i < argc && used < size; i++) {
        const char *q = strpbrk(argv[i], " \t'\"") ? "'" : "";
        int n = snprintf(buf + used, size - used, "%s%s%s%s", i ? " " : "", q, argv[i], q);
        if (n < 0)
            break;
        used += (size_t)n;
    }
}

/* The commands whose replications are spread over MPI ranks. */
static bool distributed(const char *cmd)
{
    return strcmp(cmd, "run") == 0 || strcmp(cmd, "compare") == 0 || strcmp(cmd, "sweep") == 0;
}

static int dispatch(int argc, char **argv)
{
    if (argc < 2) {
        fputs(usage, stderr);
        return CLI_USAGE;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
        fputs(usage, stdout);
        return CLI_OK;
    }
    if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "version") == 0) {
        printf("caseflow %s\n", CASEFLOW_VERSION);
        return CLI_OK;
    }
    char line[4096];
    join_args(argc, argv, line, sizeof line);
    if (strcmp(cmd, "run") == 0)
        return cli_cmd_run(argc - 2, argv + 2, line);
    if (strcmp(cmd, "check") == 0)
        return cli_cmd_check(argc - 2, argv + 2);
    if (strcmp(cmd, "compare") == 0)
        return cli_cmd_compare(argc - 2, argv + 2, line);
    if (strcmp(cmd, "sweep") == 0)
        return cli_cmd_sweep(argc - 2, argv + 2, line);
    if (strcmp(cmd, "report") == 0)
        return cli_cmd_report(argc - 2, argv + 2);
    fprintf(stderr,
            "caseflow: unknown command '%s'; expected run, check, compare, sweep or report (see "
            "caseflow --help)\n",
            cmd);
    return CLI_USAGE;
}

int main(int argc, char **argv)
{
    gsl_set_error_handler_off();
    err_info e;
    err_clear(&e);
    if (cluster_start(&argc, &argv, &e) != 0) {
        cli_error(e.text);
        return CLI_FAIL;
    }
    cli_catch_signals();
    int rc = CLI_OK;
    if (cluster_is_root()) {
        rc = dispatch(argc, argv);
    } else if (argc >= 2 && distributed(argv[1])) {
        /* Should /dev/null fail to open, freopen closes the stream: silent all the same. */
        (void)freopen("/dev/null", "w", stdout);
        (void)freopen("/dev/null", "w", stderr);
        rc = dispatch(argc, argv);
    }
    fflush(stdout);
    cluster_finish();
    return rc;
}
