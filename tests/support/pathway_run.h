/*
 * pathway_run.h — for tests of the pathway model: load a scenario from text,
 * run its replications on threads, and read summary metrics by name.
 * Header-only (static inline); include after <cmocka.h>.
 */
#ifndef CASEFLOW_TESTS_PATHWAY_RUN_H
#define CASEFLOW_TESTS_PATHWAY_RUN_H

#include <stdlib.h>
#include <string.h>

#include "pathway/pathway.h"
#include "rep.h"
#include "scenario.h"
#include "stat.h"

/* A loaded scenario and model with the results of its replications. */
typedef struct run {
    scenario sc;
    pw_model *m;
    double *x;
    size_t reps, width;
} run;

static inline void load(run *r, const char *text)
{
    err_info e;
    err_clear(&e);
    memset(r, 0, sizeof *r);
    if (scenario_open_string(&r->sc, text, "t.cfg", &e) != 0 || pw_load(&r->m, &r->sc, &e) != 0)
        fail_msg("load: %s\n%s", e.text, text);
}

static inline void simulate(run *r, unsigned jobs)
{
    err_info e;
    err_clear(&e);
    r->reps = r->sc.replications;
    r->width = pw_width(r->m);
    r->x = calloc(r->reps * r->width, sizeof *r->x);
    assert_non_null(r->x);
    rep_model rm = pw_rep(r->m, NULL);
    rep_options o = {.replications = (uint32_t)r->reps, .jobs = jobs};
    if (rep_run(&rm, &o, r->x, &e) != 0)
        fail_msg("run: %s", e.text);
}

static inline void done(run *r)
{
    free(r->x);
    pw_destroy(r->m);
    scenario_free(&r->sc);
}

static inline size_t metric(const run *r, const char *name)
{
    const char *const *names = pw_summary_names(r->m);
    for (size_t i = 0; i < pw_n_summary(r->m); i++)
        if (strcmp(names[i], name) == 0)
            return i;
    fail_msg("no metric %s", name);
    return 0;
}

static inline double value(const run *r, size_t rep, const char *name)
{
    return r->x[rep * r->width + metric(r, name)];
}

static inline stat_ci ci_of(const run *r, const char *name, double level)
{
    return stat_ci_compute(r->x + metric(r, name), r->reps, r->width, level);
}

#endif
