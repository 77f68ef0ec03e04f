/*
 * sweep_args — the command line of `caseflow sweep` (cmd_sweep.c): what to
 * vary, over which design, which metrics, and the run flags of `run`.
 *
 * Checked here, before any scenario is read: KEY=LOW:HIGH's form, LOW and
 * HIGH finite with LOW < HIGH, a key given twice (by the same text), the
 * design's name, --points from 2, at most DESIGN_SOBOL_MAX_DIMS keys for a
 * Sobol design, --lang as `report` checks it (en or cy), and flags sweep
 * does not take (--events, --suppress-below).
 * Whether a key names a numeric setting is the scenario's business
 * (cmd_sweep.c, through inherit_find).
 */
#ifndef CASEFLOW_SWEEP_ARGS_H
#define CASEFLOW_SWEEP_ARGS_H

#include <stdbool.h>
#include <stddef.h>

#include "cli.h"
#include "design.h"
#include "report/i18n.h"

#define SWEEP_MAX_KEYS     64 /* settings one sweep varies */
#define SWEEP_MAX_METRICS  64 /* --metric options */
#define SWEEP_WHERE_MAX    4112
#define DEFAULT_POINTS_OAT 3  /* LOW, the middle, HIGH */
#define DEFAULT_POINTS     16 /* LHS and Sobol (a power of two balances Sobol) */

/* One --vary. */
typedef struct sweep_key {
    const char *path; /* as given (points to text) */
    char text[512];
    double low, high;            /* the range given */
    double base;                 /* the scenario's own value */
    bool integer;                /* a whole-number setting: values are rounded */
    bool share;                  /* the p of an outcome or route: its siblings are rescaled */
    char where[SWEEP_WHERE_MAX]; /* FILE:LINE of the setting, for notes */
} sweep_key;

typedef struct sweep_args {
    cli_args run; /* FILE and the run flags */
    sweep_key keys[SWEEP_MAX_KEYS];
    size_t n_keys;
    design_kind kind;
    size_t points; /* 0: the design's default */
    const char *metrics[SWEEP_MAX_METRICS];
    size_t n_metrics;
    i18n_lang lang; /* --lang: the words on the tornado charts (English by default) */
    bool help;
} sweep_args;

/*
 * Parses argv[0 .. argc-1] (the words after `sweep`) into s: sweep's own
 * options here, the rest (FILE, --out, --replications, --seed, --jobs) by
 * cli_parse_args. --points defaults to DEFAULT_POINTS_OAT or DEFAULT_POINTS.
 * Returns 0 (s->help may be set) or ERR_INPUT/ERR_NOMEM with the message in
 * e. Keys' paths are copied into s; argv is not changed.
 */
int cli_sweep_parse(int argc, char **argv, sweep_args *s, err_info *e);

#endif
