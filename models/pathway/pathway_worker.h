/*
 * pathway_worker.h — one worker thread's state for a replication of the
 * pathway, shared by pathway_run.c (children), workforce.c (teams and
 * their staff) and placements.c. Internal to models/pathway/.
 *
 * Levels: quantities that change at events and are reported as time
 * averages or as costs (staff in post, cases held, children in each kind of
 * placement). Each keeps its integral over the statistics window and over
 * the current month, so monthly series and window totals come from the same
 * bookkeeping; pw_level_set must be called at every change, and the month
 * event flushes every level to the month's end.
 */
#ifndef CASEFLOW_PATHWAY_WORKER_H
#define CASEFLOW_PATHWAY_WORKER_H

#include <gsl/gsl_rng.h>

#include "pathway/mintree.h"
#include "pathway/pathway_internal.h"

enum {
    EV_CONTACT = SIM_EV_USER,
    EV_MONTH,
    EV_AGE_OUT,
    EV_RENEGE,
    EV_REVIEW,
    EV_STAFF_LEAVES,     /* arg: team << 24 | slot */
    EV_RECRUITED,        /* arg: team */
    EV_AGENCY_STARTS,    /* arg: team */
    EV_ABSENCE,          /* arg: team << 24 | slot: starts or ends a spell */
    EV_TRAINEE_INTAKE,   /* arg: team */
    EV_QUALIFIED,        /* arg: team << 24 | slot */
    EV_TEAM_CHANGE,      /* arg: team << 16 | change */
    EV_PLACEMENT_BREAKS, /* subject: the child */
};

#define DAYS_PER_YEAR 365.25
#define AGE_OUT_YEARS 18.0

typedef struct pw_level {
    double value;  /* current level */
    double last;   /* sim day of the last flush */
    double window; /* integral over the statistics window so far */
    double month;  /* integral over the current month so far */
} pw_level;

enum { STAFF_NONE, STAFF_PERMANENT, STAFF_AGENCY, STAFF_TRAINEE };

/* One person in a team (a slot of the team's staff array). */
typedef struct pw_staff {
    uint8_t kind;           /* STAFF_* */
    uint8_t absent;         /* 1 during an absence spell: takes no new cases */
    uint32_t gen;           /* changes whenever the slot gets a new person */
    double load;            /* weighted cases held */
    double leaves_at;       /* sim day this person leaves (matches EV_STAFF_LEAVES) */
    double absence_at;      /* sim day of the next absence change (matches EV_ABSENCE) */
    double qualifies_at;    /* trainees: sim day they qualify */
    struct pw_child *cases; /* head of the list of children held */
} pw_staff;

typedef struct pw_team_state {
    pw_staff *staff;
    uint32_t n_slots;
    uint32_t permanent, agency, trainees, rounds; /* people; recruitment rounds under way */
    uint32_t agency_pending;                      /* agency staff booked, not yet started */
    double established, funded, agency_fill, turnover, fill_p, cap, intake; /* current settings */
    double posts;       /* round(established): permanent posts */
    double capacity[2]; /* a person's capacity, weighted cases: [1] trainees, [0] the others */
    struct pw_child *wait_head, *wait_tail; /* cases waiting for allocation, FIFO */
    uint32_t waiting;
    uint32_t present; /* permanent and agency staff not absent: effective FTE */
    double load;      /* weighted cases held by the team */
    gsl_rng *turnover_rng, *recruit_rng, *absence_rng;
    /* The present people by load, one tree per capacity class (STAFF_TRAINEE
     * or not), kept only while `exact`: every case weight of the team is a
     * multiple of 1/1024 (exact_weights), so loads and rooms are exact and
     * within a class the least loaded is also the one with most room and the
     * lowest load ratio (workforce.c, choose), and no load has outgrown the
     * keys (track). Otherwise choose scans the team. */
    mintree least[2];
    bool exact_weights, exact;
} pw_team_state;

typedef struct pw_worker {
    const pw_model *m;
    sim *s;
    uint32_t closed_node;
    gsl_rng *arrivals, *attributes;
    gsl_rng **warm, **patience, **reviews, **reref;
    gsl_rng **reseed_r;          /* scratch for reseed: the streams used, ... */
    unsigned long *reseed_seeds; /* ... and their seeds */
    double *vars;
    double *out; /* the current replication's vector */
    double *flows, *kpi_num, *kpi_den, *month_kpi_num, *month_kpi_den;
    uint64_t *entries, *exits;
    /* Per stage, over the window: days of service drawn at its service
     * starts (cut short at 18; warm starts' remaining times left out) and the
     * number of those starts, for stage.S.offered_load (finish_summary). */
    double *svc_days;
    uint64_t *svc_starts;
    size_t month;
    /* This month's slices of out, month_kpi_num and month_kpi_den: set with
     * month (set_month, pathway_run.c), so counting needs no arithmetic. */
    double *month_flows, *month_num, *month_den;
    uint32_t life_clock, rep;
    double unit_clock; /* contacts so far on the unit-rate scale (nhpp_inverse) */
    bool in_window;
    int rc; /* a failure inside a hook that cannot return one */
    const volatile sig_atomic_t *stop;
    char *log;
    size_t log_len, log_cap;
    /* Workforce and placements. */
    pw_team_state *teams;
    pw_level *levels;     /* m->n_lv */
    double *month_levels; /* n_months x n_lv: each month's integrals */
    double *year_levels;  /* scratch: integrals over a financial year or the window */
    double window_start;
    uint32_t *placed;  /* children in each placement type now */
    double *place_cap; /* places of each type now (carers change over time) */
    gsl_rng *placement_rng;
    struct pw_child *unregistered_head, *unregistered_tail;
} pw_worker;

/* pathway_run.c */
void pw_fail(pw_worker *w, int rc);
/* Counting is inline: a flow or KPI is counted several times per event, and
 * out of line the calls took 3% of a Bridgend run (cachegrind). */
static inline void pw_count_flow(pw_worker *w, int32_t flow)
{
    if (flow < 0)
        return;
    if (w->in_window)
        w->flows[flow] += 1.0;
    w->month_flows[flow] += 1.0;
}
/* A KPI is a mean of values: shares count 1 for met and 0 for missed. */
static inline void pw_count_kpi_value(pw_worker *w, int32_t kpi, double value)
{
    if (!w->in_window || kpi < 0)
        return;
    w->kpi_den[kpi] += 1.0;
    w->kpi_num[kpi] += value;
    w->month_den[kpi] += 1.0;
    w->month_num[kpi] += value;
}
bool pw_holds(pw_worker *w, const struct pw_child *c, const expr *x);
/* Enters the stage for real (flows, clocks, reviews, patience) and sends the
 * child there: used when a waiting case is allocated. */
int pw_admit(pw_worker *w, struct pw_child *c, uint32_t stage);

/* Levels. */
void pw_level_set(pw_worker *w, uint32_t level, double value);
void pw_level_add(pw_worker *w, uint32_t level, double delta);
/* The integrals of l brought up to day t (no-op unless t is later). */
static inline void pw_level_flush(pw_level *l, double t, bool in_window)
{
    double dt = t - l->last;
    if (dt <= 0.0)
        return;
    if (in_window)
        l->window += l->value * dt;
    l->month += l->value * dt;
    l->last = t;
}
/* Levels first .. first + n - 1 set to value[0 .. n-1], the clock read once.
 * A level whose value is unchanged is not flushed: its integral then grows by
 * value x (t2 - t0) at its next flush instead of value x (t1 - t0) + value x
 * (t2 - t1), equal but for the last bit's rounding. Inline so that a constant
 * n unrolls (a team's levels are set on every case it takes or closes). */
static inline void pw_levels_set_changed(pw_worker *w, uint32_t first, uint32_t n,
                                         const double *value)
{
    pw_level *l = &w->levels[first];
    double t = sim_now(w->s);
    for (uint32_t i = 0; i < n; i++) {
        if (l[i].value == value[i])
            continue;
        pw_level_flush(&l[i], t, w->in_window);
        l[i].value = value[i];
    }
}
void pw_levels_flush(pw_worker *w, double t);

/* workforce.c: NULL-safe no-ops when the scenario has no teams. */
int pw_wf_worker_init(pw_worker *w);
void pw_wf_worker_fini(pw_worker *w);
/* The teams' streams and their seeds for replication rep, into r and seed
 * (3 per team); returns how many. pathway_run.c reseeds them with the rest. */
size_t pw_wf_streams(pw_worker *w, uint32_t rep, gsl_rng **r, unsigned long *seed);
int pw_wf_start(pw_worker *w);
/* A child is about to enter stage: returns the node to send it to (the
 * stage, or the team's unallocated node under a hard cap). */
uint32_t pw_wf_enter(pw_worker *w, struct pw_child *c, uint32_t stage, bool *admitted);
void pw_wf_leave(pw_worker *w, struct pw_child *c, uint32_t stage);
int pw_wf_event(pw_worker *w, const heap_event *ev);
void pw_wf_unqueue(pw_worker *w, struct pw_child *c);
/* Inline: asked on every service time. */
static inline bool pw_wf_is_waiting_node(const pw_worker *w, uint32_t node)
{
    return node > w->m->n_stages && node < w->m->n_stages + 1 + w->m->n_teams;
}
static inline double pw_wf_duration_factor(const pw_worker *w, const struct pw_child *c,
                                           uint32_t stage)
{
    int32_t team = w->m->stages[stage].team;
    return team >= 0 && c->overloaded ? w->m->teams[team].soft_factor : 1.0;
}

/* placements.c */
int pw_pl_enter(pw_worker *w, struct pw_child *c);
void pw_pl_leave(pw_worker *w, struct pw_child *c);
int pw_pl_event(pw_worker *w, const heap_event *ev);
void pw_pl_month(pw_worker *w);
void pw_pl_start(pw_worker *w);

#endif
