/*
 * cli — the command-line layer: the only code in caseflow that prints to the
 * terminal, reads the environment or decides the process's exit status.
 *
 * Exit status: 0 success; 1 the scenario or run failed (message on stderr
 * as "FILE:LINE: what is wrong; expected what"); 2 the command line itself
 * was wrong (usage on stderr); 130 interrupted by a signal.
 */
#ifndef CASEFLOW_CLI_H
#define CASEFLOW_CLI_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#include "err.h"

enum { CLI_OK = 0, CLI_FAIL = 1, CLI_USAGE = 2, CLI_INTERRUPTED = 130 };

/* Set by SIGINT/SIGTERM; polled by the running replications. */
extern volatile sig_atomic_t cli_stop;

/* What `run` (and later commands) accept after the command name. */
typedef struct cli_args {
    const char *scenario;  /* the scenario file */
    const char *out;       /* --out DIR, or NULL for output/<base>/ */
    uint32_t replications; /* --replications N, when has_replications */
    bool has_replications;
    uint64_t seed; /* --seed S, when has_seed */
    bool has_seed;
    unsigned jobs;           /* --jobs J; 0 = number of cores */
    bool events;             /* --events: write events.csv (pathway scenarios) */
    uint32_t suppress_below; /* --suppress-below N: disclosure control; 0 = off */
    bool help;               /* --help was given */
} cli_args;

/*
 * Parses argv[0..argc-1] (the words after the command). allow_run_flags says
 * whether --out/--replications/--seed/--jobs are accepted. Returns 0 or
 * ERR_INPUT with a message naming the bad word and what was expected.
 */
int cli_parse_args(int argc, char **argv, bool allow_run_flags, cli_args *a, err_info *e);

/*
 * The same for commands that take several scenario files (compare): the
 * words that are not options go to files[0 .. *n_files-1] in order (at most
 * max_files), a->scenario is the first, and the run flags are always
 * accepted. Returns 0 or ERR_INPUT.
 */
int cli_parse_files(int argc, char **argv, cli_args *a, const char **files, size_t max_files,
                    size_t *n_files, err_info *e);

/* Parses a whole decimal number in [lo, hi]; 0 or -1. */
int cli_parse_u64(const char *s, uint64_t lo, uint64_t hi, uint64_t *out);

/* output/<scenario file's base name without .cfg> into buf. */
void cli_default_out(const char *scenario, char *buf, size_t size);

int cli_cmd_run(int argc, char **argv, const char *command_line);
int cli_cmd_check(int argc, char **argv);
/* `caseflow compare BASE VARIANT ...`: common random numbers, compare.csv (cmd_compare.c). */
int cli_cmd_compare(int argc, char **argv, const char *command_line);
/* `caseflow sweep FILE --vary KEY=LOW:HIGH ...`: sensitivity designs (cmd_sweep.c). */
int cli_cmd_sweep(int argc, char **argv, const char *command_line);
/* `caseflow report DIR [--lang en|cy]`: charts and report.html (cmd_report.c). */
int cli_cmd_report(int argc, char **argv);

/* Routes SIGINT and SIGTERM to cli_stop, so a run ends cleanly: replications
 * stop, no output is committed, temporary files are removed. */
void cli_catch_signals(void);

/* Prints "caseflow: <message>" to stderr. */
void cli_error(const char *msg);

#endif
