/*
 * pathway_internal.h — the loaded pathway model, shared by the pathway's own
 * files (pathway.c, pathway_load.c, pathway_run.c, pathway_output.c). Not
 * part of the public contract: other modules use pathway.h.
 *
 * Invariants once pw_load has succeeded:
 *   - stage i is node i of sc->net; node n_stages is the hidden "closed"
 *     node where children wait, between episodes, for a re-referral;
 *   - every target (outcome, rule, renege, at_18, re-referral) is resolved:
 *     PW_IS_EXIT(t) ? exit PW_EXIT_INDEX(t) : stage t;
 *   - outcome probabilities of a stage sum to 1 (cum[last] forced to 1);
 *   - metric indices are valid: flows, stocks and KPIs are registered once
 *     by name; -1 means "counts nothing";
 *   - month_end[k] (k < n_months) are strictly increasing, the last equal to
 *     the horizon or the last month end before it plus a partial month.
 */
#ifndef CASEFLOW_PATHWAY_INTERNAL_H
#define CASEFLOW_PATHWAY_INTERNAL_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#include "dist.h"
#include "nhpp.h"
#include "pathway/pathway.h"
#include "pathway/calendar.h"
#include "pathway/expr.h"
#include "scenario.h"
#include "sim.h"

enum {
    PW_MAX_STAGES = 62,  /* stocks are bit sets of stages */
    PW_MAX_CLOCKS = 8,   /* stages whose entry time a KPI measures from */
    PW_MAX_LEVELS = 9,   /* levels of need */
    PW_MAX_SOURCES = 16, /* sources of contacts */
    PW_MAX_STEPS = 16,   /* steps in the rate of contacts */
    PW_EXIT_FLAG = 0x40000000u,
};
#define PW_IS_EXIT(t)    (((t)&PW_EXIT_FLAG) != 0)
#define PW_EXIT_INDEX(t) ((t) & ~PW_EXIT_FLAG)

/* Variables a condition may read. Child attributes first, then the system
 * (per stage: queue.NAME, count.NAME; per stock: stock.NAME). Adding one:
 * also child_var_names in pathway_load.c and fill_vars in pathway_run.c. */
enum {
    PW_VAR_AGE,             /* years, fractional */
    PW_VAR_NEED,            /* level of need, 1 .. levels */
    PW_VAR_SOURCE,          /* index of the contact's source; compared with "police" etc. */
    PW_VAR_EPISODES,        /* episodes before this one (re-referrals so far) */
    PW_VAR_STEP_UPS,        /* times stepped up to statutory services */
    PW_VAR_STEP_DOWNS,      /* times stepped down to early help */
    PW_VAR_STORIES,         /* front doors the family has told its story to, ever */
    PW_VAR_CP_PLANS,        /* registrations on the CP register, ever */
    PW_VAR_CARE,            /* entries to care, ever */
    PW_VAR_DAYS_HERE,       /* days in the current stage */
    PW_VAR_EPISODE_STORIES, /* front doors told so far this episode */
    PW_N_CHILD_VARS
};

/* A synthetic child. Starts with the engine's header (sim.h). */
typedef struct pw_child {
    sim_entity base;
    double birth;                /* sim day of birth (negative: before day 0) */
    double closed_at;            /* sim day the last episode closed; -INFINITY if never */
    double forced;               /* next duration in days if >= 0 (warm start, dormancy); else -1 */
    double clock[PW_MAX_CLOCKS]; /* sim day of entry to each clocked stage this episode; NaN */
    uint32_t life;               /* unique per child per run: matches its life-bound events */
    uint32_t return_to;          /* stage a dormant child re-enters */
    uint16_t need, source;
    uint16_t episodes, step_ups, step_downs, stories, cp_plans, care;
    uint8_t warm; /* 1 until a warm-start child leaves its first stage */
    /* Workforce: the worker holding the case (or the team's waiting list). */
    struct pw_child *case_next, *case_prev; /* in the worker's cases or the waiting list */
    uint32_t worker_slot, worker_gen;       /* the worker, if worker_team != PW_NO_TEAM */
    uint16_t worker_team;
    uint16_t workers;           /* workers who have held the case this episode */
    uint16_t episode_stories;   /* front doors told this episode */
    uint8_t overloaded;         /* allocated above the caseload cap (soft cap) */
    uint8_t allocated;          /* holds a worker's place for its current stage */
    int8_t placement;           /* placement type, -1 none, PW_UNREGISTERED */
    uint32_t pending;           /* stage a case waiting for allocation will enter */
    double wanted_at;           /* when it asked to enter its current stage */
    double weight;              /* case weight held with its worker */
    double placement_breaks_at; /* matches EV_PLACEMENT_BREAKS */
    double episode_start;       /* sim day of this episode's contact; NaN for a warm start */
    uint8_t served;             /* has reached a service stage this episode */
    float reref_factor;         /* re-referral multiplier from cases held above a soft cap */
    struct pw_child *pl_next, *pl_prev; /* the unregistered, in order of placement */
} pw_child;

enum { PW_NO_TEAM = 0xffff, PW_UNREGISTERED = 100, PW_MAX_PREF = 16, PW_MAX_TYPES = 16 };

/* A scheduled change to a team (NaN: unchanged). */
typedef struct pw_team_change {
    double at; /* sim day */
    double established, funded_ratio, agency_fill, turnover, fill_p, cap, intake;
} pw_team_change;

typedef struct pw_team {
    const char *name;
    bool hard_cap;       /* cases wait unallocated when nobody has room */
    double established;  /* permanent establishment, posts (FTE 1 each) */
    double funded_ratio; /* funded posts / establishment */
    double agency_fill;  /* share of funded posts without permanent staff filled by agency */
    double cap;          /* weighted cases per FTE */
    double turnover;     /* permanent leavers per person per year */
    double fill_p;       /* probability a recruitment round fills the post */
    double absence;      /* share of time absent */
    double vacancy_at_start;
    double intake; /* trainees a year (grow our own) */
    double training_days;
    double trainee_share; /* a trainee's caseload as a share of the cap */
    double soft_factor;   /* soft cap: durations x this when allocated above the cap */
    double soft_reref;    /* soft cap: re-referral probability x this after such a case */
    double annual_cost, agency_annual_cost, trainee_annual_cost; /* pounds per person-year */
    dist recruit_delay, agency_delay, absence_spell;
    pw_team_change *changes;
    size_t n_changes;
    uint32_t unalloc_node; /* hidden node where unallocated cases wait */
    uint32_t lv_load, lv_present, lv_permanent, lv_agency, lv_trainees, lv_waiting, lv_vacant;
    int32_t kpi_wait; /* kpi.unallocated_wait_days.TEAM.mean */
} pw_team;

typedef struct pw_ptype {
    const char *name;
    int64_t capacity;       /* places at the start; -1 unlimited */
    double change_per_year; /* net carers (places) gained a year */
    double weekly_cost;     /* pounds per child per week */
    uint32_t level;
} pw_ptype;

typedef struct pw_pref {
    expr *when; /* NULL: the default, last */
    uint8_t order[PW_MAX_PREF];
    size_t n;
} pw_pref;

/* A metric computed from level integrals:
 *   value = sum(coef_a[i] * I(a[i])) / (sum(I(b[j])) if n_b > 0, else T if per_time, else 1)
 * with I the integral over the window (summary) or the month (series), T its length. */
typedef struct pw_derived {
    char *name;
    uint32_t *a, *b;
    double *coef_a;
    size_t n_a, n_b;
    bool per_time;
} pw_derived;

typedef struct pw_outcome {
    uint32_t to;  /* stage index or PW_EXIT_FLAG | exit */
    double p;     /* probability */
    double cum;   /* cumulative probability up to and including this one */
    int32_t flow; /* flow counted when taken, or -1 */
    int line;     /* where it was declared, for messages */
} pw_outcome;

typedef struct pw_rule {
    uint32_t from, to;
    double p;     /* probability when the condition holds */
    expr *when;   /* NULL: always */
    int32_t flow; /* or -1 */
} pw_rule;

typedef struct pw_duration {
    expr *when; /* NULL: the default, last in the list */
    dist d;     /* days */
} pw_duration;

typedef struct pw_target {
    int32_t kpi;          /* KPI index */
    int32_t working_days; /* timescale */
    uint32_t from;        /* stage whose entry starts the clock */
    bool at_entry;        /* measured on entering this stage, else on leaving it */
} pw_target;

typedef struct pw_stage {
    const char *name;       /* points into the scenario */
    uint32_t servers;       /* 0 = unlimited */
    bool front_door;        /* entering it means telling the family's story again */
    pw_duration *durations; /* n_durations >= 1, the last without a condition */
    size_t n_durations;
    pw_outcome *outcomes; /* n_outcomes >= 1 */
    size_t n_outcomes;
    pw_rule *rules; /* rules from this stage, in file order */
    size_t n_rules;
    int32_t flow_in, flow_out; /* flows counted on entering, leaving, or -1 */
    pw_target *targets;
    size_t n_targets;
    int clock;             /* clock slot if a KPI measures from here, else -1 */
    bool has_patience;     /* families waiting here may give up */
    dist patience;         /* days of waiting before giving up */
    uint32_t renege_to;    /* where those who give up go */
    int32_t renege_flow;   /* or -1 */
    uint32_t at_18;        /* where a child in this stage goes at 18 */
    int64_t initial;       /* children here on day 0 (warm start) */
    int32_t team;          /* team holding these cases, or -1 */
    double case_weight;    /* weight of a case here in a caseload */
    double cost_per_entry; /* pounds per child entering (an intervention) */
    bool placement;        /* children here need a placement */
    bool service;          /* a service: reaching it ends kpi.days_contact_to_service */
    double session_every, session_first; /* days: a stage that meets in sessions (0: no) */
    uint32_t session_capacity;           /* families a session considers; 0 = all */
    bool has_initial_age;
    dist initial_age; /* years; else the contacts' age distribution */
    bool has_reviews; /* reviews at first_days, then every every_days */
    double review_first, review_every;
    dist review_delay; /* days late a review is held */
    int32_t review_flow, review_kpi;
    const char *places_file; /* where its places are set (servers, sessions), for warnings; */
    int places_line;         /* the file is the scenario's, which outlives the model */
} pw_stage;

/* A flow an exit counts when its condition holds (flow.closed_by_both_doors). */
typedef struct pw_exit_count {
    expr *when;
    int32_t flow;
} pw_exit_count;

typedef struct pw_exit {
    const char *name;
    double rereferral_p;   /* probability of a later re-referral */
    dist rereferral_delay; /* days from closure to the new contact */
    uint32_t return_to;    /* stage the new contact goes to */
    int64_t initial;       /* cases closed before day 0 that will come back (warm start) */
    int32_t flow;          /* flow.exit.NAME */
    pw_exit_count *counts;
    size_t n_counts;
} pw_exit;

typedef struct pw_stock {
    char *name;      /* "stock.NAME" (owned) */
    uint64_t stages; /* bit i: stage i counts */
} pw_stock;

typedef struct pw_kpi {
    char *name; /* "kpi.NAME" (owned) */
} pw_kpi;

struct pw_model {
    scenario *sc;      /* the caller's; outlives the model */
    int32_t start_day; /* civil day of sim day 0 */
    calendar *cal;
    double population; /* children aged 0-17, for rates per 10,000; 0 if not given */

    /* Contacts: a non-homogeneous Poisson stream into contacts_to. */
    nhpp *contacts;
    double contacts_per_year, growth_per_year, profile[12];
    size_t n_steps;
    int32_t step_day[PW_MAX_STEPS]; /* civil day a step starts (months starting on or after it) */
    double step_factor[PW_MAX_STEPS];
    uint32_t contacts_to;
    size_t n_sources;
    const char *source_name[PW_MAX_SOURCES];
    double source_cum[PW_MAX_SOURCES];
    dist age; /* years at contact */
    size_t n_levels;
    double need_cum[PW_MAX_LEVELS];

    pw_stage *stages;
    size_t n_stages;
    pw_exit *exits;
    size_t n_exits;
    pw_rule *rules; /* all rules; each stage's rules point into it */
    size_t n_rules;
    uint32_t n_clocks;

    /* Workforce, placements, costs. */
    pw_team *teams;
    size_t n_teams;
    pw_ptype *ptypes;
    size_t n_ptypes;
    pw_pref *prefs;
    size_t n_prefs;
    double unregistered_weekly_cost, breakdown_per_year;
    uint32_t lv_unregistered, lv_interventions;
    int32_t flow_unregistered, flow_moves;
    uint32_t n_lv; /* levels (pathway_worker.h) */
    pw_derived *derived;
    size_t n_derived;
    int32_t kpi_stories, kpi_workers, kpi_to_service;

    /* Metrics: names "flow.X", stocks, KPIs. */
    char **flow_names;
    size_t n_flows;
    pw_stock *stocks;
    size_t n_stocks;
    pw_kpi *kpis;
    size_t n_kpis;
    int32_t flow_contacts, flow_re_referrals, flow_step_ups, flow_step_downs, flow_cp_registrations,
        flow_care_entries, flow_screenings;

    /* Months and financial years of the timeseries. */
    size_t n_months;
    double *month_end;       /* sim day each month closes (exclusive) */
    int32_t *month_last_day; /* civil day of each month's last day */
    size_t n_years;
    size_t *year_last_month; /* index of each financial year's last month */
    int *year_start;         /* calendar year each financial year starts in */

    /* Result vector layout. */
    char **summary_names;
    size_t n_summary;
    size_t n_series; /* flows + stocks + KPIs, per month and per year */
    size_t width;    /* n_summary + (n_months + n_years) * n_series */

    /* Optional per-child event log, one buffer per replication. */
    bool log_events;
    char **event_log;
    size_t *event_len;
    uint32_t replications;
    const volatile sig_atomic_t *stop; /* set by pw_rep */
    double suppress_below;             /* disclosure control: 0 = off */
};

/* pathway.c: the metric registry. */
int pw_flow_index(pw_model *m, const char *name, err_info *e); /* registers if new */
int pw_kpi_index(pw_model *m, const char *name, err_info *e);  /* registers if new */
int pw_layout(pw_model *m, err_info *e); /* names of the summary, sizes of the vector */
/* Registers a derived metric; the arrays are copied. Returns its index or a negative code. */
int pw_derived_add(pw_model *m, const char *name, const uint32_t *a, const double *coef_a,
                   size_t n_a, const uint32_t *b, size_t n_b, bool per_time, err_info *e);
uint32_t pw_level_new(pw_model *m);
/* workforce.c, placements.c: loading. */
int pw_load_workforce(pw_model *m, err_info *e);
int pw_load_placements(pw_model *m, err_info *e);
void pw_free_workforce(pw_model *m);
void pw_free_placements(pw_model *m);
/* Compiles the condition at key `when` of g (NULL if absent). */
int pw_get_condition(pw_model *m, config_setting_t *g, expr **out, err_info *e);
size_t pw_summary_stage_base(const pw_model *m);
/* Each stage's metrics in summary.csv, in this order (stage.NAME.entries ...).
 * Adding one: also stage_metric_names in pathway.c, finish_summary in
 * pathway_run.c and README's table of pathway outputs. */
enum {
    PW_SM_ENTRIES,
    PW_SM_EXITS,
    PW_SM_END,
    PW_SM_L,
    PW_SM_LQ,
    PW_SM_W,
    PW_SM_WQ,
    PW_SM_UTILISATION,
    PW_SM_OFFERED_LOAD,
    PW_STAGE_METRICS
};

/* pathway_load.c */
int pw_load_all(pw_model *m, err_info *e);
int pw_var_lookup(void *ctx, const char *name, size_t len, uint32_t *slot);
uint32_t pw_n_vars(const pw_model *m);

#endif
