/*
 * scenario — the generic network scenario: a libconfig file that describes
 * an open network of service nodes and how long and how often to run it.
 *
 *   name = "mmc";                 # required: names outputs and reports
 *   description = "...";          # optional, plain English
 *   horizon_days = 20000.0;       # simulated time, days (> 0)
 *   warmup_days = 500.0;          # statistics ignore [0, warmup); 0 <= warmup < horizon
 *   replications = 10;            # >= 1
 *   seed = 1;                     # >= 0 (64-bit)
 *   arrivals = ( { to = "A"; rate_per_day = 9.5; name = "referrals"; } );  # name optional
 *   nodes = ( { name = "A"; servers = 10;           # 0 = unlimited
 *               service = { dist = "exponential"; mean = 1.0; };
 *               routes = ( { to = "B"; p = 0.3; }, { to = "exit"; p = 0.7; } ); } );
 *   limits = { max_live_entities = 2000000; max_horizon_days = 100000.0;
 *              max_replications = 100000; max_expected_arrivals = 1e10; };  # optional
 *
 * Every problem is reported as "FILE:LINE: what is wrong; expected what".
 * Beyond types and ranges the loader checks: unknown keys (with a
 * suggestion), unknown and duplicate node names, route probabilities summing
 * to 1 (within 1e-6), service distributions that could give negative times,
 * warm-up past the horizon, and magnitudes over the limits (refused before
 * running rather than running for days).
 *
 * Ownership: a loaded scenario owns its net and the parsed file (kept so the
 * resolved scenario can be written next to the results).
 */
#ifndef CASEFLOW_SCENARIO_H
#define CASEFLOW_SCENARIO_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "cfg.h"
#include "err.h"
#include "inherit.h"
#include "net.h"

typedef struct scenario_limits {
    int64_t max_live_entities;    /* entities in the network at once */
    double max_horizon_days;      /* longest horizon accepted */
    int64_t max_replications;     /* most replications accepted */
    double max_expected_arrivals; /* external arrivals over all replications */
} scenario_limits;

typedef struct scenario {
    const char *name;        /* points into file */
    const char *description; /* points into file; "" when absent */
    double horizon_days;
    double warmup_days;
    uint32_t replications;
    uint64_t seed;
    scenario_limits limits;
    net net;
    cfg_file file;
    char warnings[2048]; /* newline-separated notes for the user, "" if none */
    inherit_log variant; /* what a variant changed in its base (empty for other files) */
} scenario;

/* The defaults of scenario_limits. */
scenario_limits scenario_default_limits(void);

/*
 * Loads and validates path. On failure returns ERR_INPUT/ERR_IO/ERR_NOMEM with
 * the message in e, and sc needs no cleanup (scenario_free is still safe).
 */
int scenario_load(scenario *sc, const char *path, err_info *e);
/* The same from text in memory (tests, fuzzing); name is used in messages. */
int scenario_load_string(scenario *sc, const char *text, const char *name, err_info *e);

/*
 * The steps of scenario_load, for models that read their own kind of
 * scenario on the same run settings: scenario_open parses the file (syntax
 * errors only) and, for a variant (a file with `base`, inherit.h), merges it
 * into its base, recording the changes in sc->variant (scenario_open_string
 * does not follow `base`: text in memory has no folder); scenario_has tells
 * what kind it is by a top-level key; scenario_load_settings reads name,
 * description, horizon_days, warmup_days, replications, seed and limits,
 * accepting only allowed_keys at the top level (NULL: the network
 * scenario's); scenario_load_network reads the rest of a network scenario.
 * After any failure scenario_free is safe and needed.
 */
int scenario_open(scenario *sc, const char *path, err_info *e);
int scenario_open_string(scenario *sc, const char *text, const char *name, err_info *e);
bool scenario_has(scenario *sc, const char *key);
int scenario_load_settings(scenario *sc, const char *const *allowed_keys, err_info *e);
int scenario_load_network(scenario *sc, err_info *e);

/* Checks shared by scenario loaders. A name (of a node, a stage, a stock)
 * becomes part of metric names: 1 to 64 letters, digits or _ - / + &. */
int scenario_check_name(const cfg_file *f, const config_setting_t *s, const char *what,
                        const char *name, err_info *e);
/* A duration distribution must not produce negative days: "WHAT can be negative". */
int scenario_check_duration(const cfg_file *f, const config_setting_t *s, const dist *d,
                            const char *what, err_info *e);
void scenario_free(scenario *sc);

/*
 * Applies command-line overrides (a NULL pointer leaves the value) and
 * re-checks the limits, updating the in-memory configuration too so the
 * resolved copy shows what actually ran.
 */
int scenario_override(scenario *sc, const uint32_t *replications, const uint64_t *seed,
                      err_info *e);

/* Writes the resolved scenario (libconfig syntax) to out. 0 or ERR_IO. */
int scenario_write(const scenario *sc, FILE *out, err_info *e);

#endif
