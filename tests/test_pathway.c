/*
 * test_pathway — the children's social care model on small pathways whose
 * answers are known: conservation of children, Little's law per stage,
 * rules on attributes, ageing out at 18, a warm start that stays stationary,
 * working-day KPIs, more contacts giving more of everything downstream,
 * reproducibility across threads, each stage's offered load against
 * lambda E[S] / c and the capacity warning after a run, and the loader's
 * errors with FILE:LINE.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <gsl/gsl_errno.h>

#include "mem.h"
#include "pathway/pathway.h"
#include "rep.h"
#include "scenario.h"
#include "stat.h"
#include "support/failing_mem.h"
#include "support/pathway_run.h"

/* ---- a small pathway ------------------------------------------------------ */

#define HEAD(horizon, warmup, reps)                                                                \
    "name = \"t\"; start_date = \"2022-04-01\"; horizon_days = " horizon "; warmup_days = " warmup \
    "; replications = " reps "; seed = 7;\n"                                                       \
    "children = { age_years = { dist = \"uniform\"; min = 0.0; max = 17.0; };\n"                   \
    "             need_levels = [0.6, 0.3, 0.1]; };\n"

#define EXITS                                                                                      \
    "exits = ( { name = \"nfa\"; }, { name = \"closed\"; }, { name = \"disengaged\"; },\n"         \
    "          { name = \"home\"; } );\n"

static const char small[] = HEAD(
    "1095.0", "0.0",
    "8") "contacts = { per_year = 2000.0; to = \"front_door\";\n"
         "  monthly_profile = [1.1, 1.1, 1.0, 1.0, 1.0, 1.0, 1.0, 0.7, 1.0, 1.1, 1.1, 0.9]; };\n"
         "stages = (\n"
         "  { name = \"front_door\"; servers = 3; front_door = true; flow_in = \"screenings\";\n"
         "    duration = { dist = \"exponential\"; mean = 0.4; };\n"
         "    targets = ( { kpi = \"screened_within_1_day\"; working_days = 1; } );\n"
         "    outcomes = ( { to = \"nfa\"; p = 0.4; }, { to = \"early_help\"; p = 0.3; },\n"
         "                 { to = \"assessment\"; p = 0.3; } ); initial = 5; },\n"
         "  { name = \"early_help\"; servers = 60; flow_in = \"early_help_starts\";\n"
         "    duration = { dist = \"lognormal\"; mean = 120.0; sd = 60.0; };\n"
         "    patience = { dist = \"exponential\"; mean = 30.0; }; renege_to = \"disengaged\";\n"
         "    outcomes = ( { to = \"closed\"; p = 0.85; },\n"
         "                 { to = \"assessment\"; p = 0.15; flow = \"step_ups\"; } ); initial = "
         "50; },\n"
         "  { name = \"assessment\"; flow_out = \"assessments\";\n"
         "    duration = { dist = \"gamma\"; mean = 33.0; sd = 15.0; };\n"
         "    targets = ( { kpi = \"assessments_within_timescale\"; working_days = 42; } );\n"
         "    outcomes = ( { to = \"nfa\"; p = 0.5; }, { to = \"early_help\"; p = 0.2; flow = "
         "\"step_downs\"; },\n"
         "                 { to = \"care\"; p = 0.3; } ); initial = 40; },\n"
         "  { name = \"care\"; flow_in = \"care_entries\"; flow_out = \"care_exits\"; at_18 = "
         "\"home\";\n"
         "    duration = { dist = \"histogram\"; breaks = [0.0, 90.0, 365.0, 1500.0];\n"
         "                 probs = [0.3, 0.3, 0.4]; };\n"
         "    outcomes = ( { to = \"home\"; p = 1.0; } ); initial = 100; }\n"
         ");\n" EXITS "stocks = ( { name = \"looked_after\"; stages = [\"care\"]; },\n"
         "           { name = \"open\"; stages = [\"early_help\", \"assessment\", \"care\"]; } "
         ");\n";

static const char *const stage_names[] = {"front_door", "early_help", "assessment", "care"};
static const double stage_initial[] = {5, 50, 40, 100};

static void test_conservation(void **state)
{
    (void)state;
    run r;
    load(&r, small);
    simulate(&r, 2);
    for (size_t k = 0; k < r.reps; k++) {
        double in_stages = 0.0, initial = 0.0, exits = 0.0;
        char name[96];
        for (size_t s = 0; s < 4; s++) {
            snprintf(name, sizeof name, "stage.%s.entries", stage_names[s]);
            double entries = value(&r, k, name);
            snprintf(name, sizeof name, "stage.%s.exits", stage_names[s]);
            double left = value(&r, k, name);
            snprintf(name, sizeof name, "stage.%s.end", stage_names[s]);
            double end = value(&r, k, name);
            /* Each stage: end = start + entries - exits. */
            assert_true(end == stage_initial[s] + entries - left);
            in_stages += end;
            initial += stage_initial[s];
        }
        const char *exits_[] = {"flow.exit.nfa", "flow.exit.closed", "flow.exit.disengaged",
                                "flow.exit.home", "flow.exit.turned_18"};
        for (size_t i = 0; i < 5; i++)
            exits += value(&r, k, exits_[i]);
        /* The whole system: everyone who came is somewhere or has left. */
        assert_true(initial + value(&r, k, "flow.contacts") == in_stages + exits);
        assert_true(value(&r, k, "stock.open.end") == value(&r, k, "stage.early_help.end") +
                                                          value(&r, k, "stage.assessment.end") +
                                                          value(&r, k, "stage.care.end"));
        assert_true(value(&r, k, "stock.looked_after.end") == value(&r, k, "stage.care.end"));
        assert_true(value(&r, k, "flow.exit.disengaged") > 0); /* the queue for early help */
    }
    done(&r);
}

/* Little's law per stage on a long stationary run: L = (exits per day) W. */
static void test_little_law(void **state)
{
    (void)state;
    char text[8192];
    snprintf(text, sizeof text, "%s", small);
    char *h = strstr(text, "horizon_days = 1095.0; warmup_days = 0.0");
    assert_non_null(h);
    memcpy(h, "horizon_days = 7300.0; warmup_days = 3000", 41);
    run r;
    load(&r, text);
    simulate(&r, 2);
    double span = 7300.0 - 3000.0;
    for (size_t s = 0; s < 4; s++) {
        double *d = calloc(r.reps, sizeof *d);
        char n_l[96], n_w[96], n_x[96];
        snprintf(n_l, sizeof n_l, "stage.%s.L", stage_names[s]);
        snprintf(n_w, sizeof n_w, "stage.%s.W", stage_names[s]);
        snprintf(n_x, sizeof n_x, "stage.%s.exits", stage_names[s]);
        for (size_t k = 0; k < r.reps; k++)
            d[k] = value(&r, k, n_l) - value(&r, k, n_x) / span * value(&r, k, n_w);
        stat_ci ci = stat_ci_compute(d, r.reps, 1, 0.999);
        stat_ci L = ci_of(&r, n_l, 0.95);
        /* The residual is the edge effect (stays that straddle the window)
         * and must be within its interval or under 1% of L. */
        if (!(ci.low <= 0.0 && 0.0 <= ci.high) && fabs(ci.mean) > 0.01 * L.mean)
            fail_msg("%s: L - lambda W = %g [%g, %g], L = %g", stage_names[s], ci.mean, ci.low,
                     ci.high, L.mean);
        free(d);
    }
    done(&r);
}

/* A rule on age sends exactly the babies to care. */
static void test_rule_on_attributes(void **state)
{
    (void)state;
    static const char text[] =
        HEAD("730.0", "0.0",
             "10") "contacts = { per_year = 3650.0; to = \"door\"; };\n"
                   "stages = (\n"
                   "  { name = \"door\"; duration = { dist = \"deterministic\"; mean = 0.1; };\n"
                   "    outcomes = ( { to = \"nfa\"; p = 1.0; } ); },\n"
                   "  { name = \"care\"; flow_in = \"care_entries\";\n"
                   "    duration = { dist = \"deterministic\"; mean = 1.0; };\n"
                   "    outcomes = ( { to = \"home\"; p = 1.0; } ); }\n"
                   ");\n" EXITS "rules = ( { from = \"door\"; to = \"care\"; p = 1.0; when = \"age "
                   "< 1 && need >= 2\"; } );\n";
    run r;
    load(&r, text);
    simulate(&r, 2);
    /* P(age < 1) = 1/17 with ages U(0, 17); P(need >= 2) = 0.4. */
    double p = (1.0 / 17.0) * 0.4;
    for (size_t k = 0; k < r.reps; k++) {
        double n = value(&r, k, "flow.contacts"), x = value(&r, k, "flow.care_entries");
        double sd = sqrt(n * p * (1 - p));
        if (fabs(x - n * p) > 4.5 * sd)
            fail_msg("rep %zu: %g care entries of %g contacts, expected %g +- %g", k, x, n, n * p,
                     sd);
        assert_true(value(&r, k, "flow.exit.nfa") == n - x - value(&r, k, "stage.door.end"));
    }
    done(&r);
}

/* Children aged 17 to 17.5 at contact leave at 18, however long the stage. */
static void test_age_out(void **state)
{
    (void)state;
    static const char text[] =
        "name = \"t\"; start_date = \"2022-04-01\"; horizon_days = 1461.0; replications = 10;\n"
        "seed = 3;\n"
        "children = { age_years = { dist = \"uniform\"; min = 17.0; max = 17.5; }; };\n"
        "contacts = { per_year = 1000.0; to = \"care\"; };\n"
        "stages = ( { name = \"care\"; flow_out = \"care_exits\"; at_18 = \"independent\";\n"
        "    duration = { dist = \"deterministic\"; mean = 36500.0; };\n"
        "    outcomes = ( { to = \"home\"; p = 1.0; } ); } );\n"
        "exits = ( { name = \"home\"; }, { name = \"independent\"; } );\n";
    run r;
    load(&r, text);
    simulate(&r, 2);
    /* In the stage at the end: those who arrived in the last 18 - a years,
     * E[18 - a] = 0.75 years, so about 750 children. */
    stat_ci end = ci_of(&r, "stage.care.end", 0.999);
    if (!(end.low <= 750.0 && 750.0 <= end.high))
        fail_msg("in care at the end %g [%g, %g], expected 750", end.mean, end.low, end.high);
    for (size_t k = 0; k < r.reps; k++) {
        assert_true(value(&r, k, "flow.exit.home") == 0.0);
        assert_true(value(&r, k, "flow.exit.independent") + value(&r, k, "stage.care.end") ==
                    value(&r, k, "flow.contacts"));
        /* Leaving at 18 is a care exit. */
        assert_true(value(&r, k, "flow.care_exits") == value(&r, k, "flow.exit.independent"));
    }
    done(&r);
}

/*
 * A warm start of long, variable episodes with inflow = stock / mean stays
 * stationary month by month. Starting every child with a full new episode
 * (mean 400 days) instead of the remaining part of one (mean
 * E[S^2] / 2E[S] = 312.5 days) would push the stock about 10% high by month 9.
 */
static void test_warm_start_stationary(void **state)
{
    (void)state;
    static const char text[] =
        "name = \"t\"; start_date = \"2023-04-01\"; horizon_days = 730.0; replications = 40;\n"
        "seed = 5;\n"
        "children = { age_years = { dist = \"uniform\"; min = 0.0; max = 5.0; }; };\n"
        "contacts = { per_year = 456.5625; to = \"cp\"; };\n" /* 500 / 400 days * 365.25 */
        "stages = ( { name = \"cp\"; initial = 500;\n"
        "    duration = { dist = \"lognormal\"; mean = 400.0; sd = 300.0; };\n"
        "    outcomes = ( { to = \"off\"; p = 1.0; } ); } );\n"
        "exits = ( { name = \"off\"; } );\n"
        "stocks = ( { name = \"cp_register\"; stages = [\"cp\"]; } );\n";
    run r;
    load(&r, text);
    simulate(&r, 2);
    size_t months = pw_n_months(r.m), n_series = pw_n_series(r.m), stock = n_series;
    for (size_t i = 0; i < n_series; i++)
        if (strcmp(pw_series_name(r.m, i), "stock.cp_register") == 0)
            stock = i;
    assert_true(months == 24 && stock < n_series);
    for (size_t k = 0; k < months; k++) {
        const double *x = r.x + pw_n_summary(r.m) + k * n_series + stock;
        stat_ci ci = stat_ci_compute(x, r.reps, r.width, 0.999);
        if (!(ci.low <= 500.0 * 1.04 && ci.high >= 500.0 * 0.96))
            fail_msg("month %zu: stock %g [%g, %g], expected 500 within 4%%", k + 1, ci.mean,
                     ci.low, ci.high);
    }
    done(&r);
}

/* Screening that takes exactly two days meets a one-working-day target
 * only for contacts on Friday or Saturday: 2/7 of them. */
static void test_working_day_kpi(void **state)
{
    (void)state;
    static const char text[] =
        HEAD("1463.0", "0.0",
             "8") "contacts = { per_year = 3000.0; to = \"door\"; };\n"
                  "stages = ( { name = \"door\";\n"
                  "    duration = { dist = \"deterministic\"; mean = 2.0; };\n"
                  "    targets = ( { kpi = \"screened_within_1_day\"; working_days = 1; } );\n"
                  "    outcomes = ( { to = \"nfa\"; p = 1.0; } ); } );\n" EXITS;
    run r;
    load(&r, text);
    simulate(&r, 2);
    stat_ci ci = ci_of(&r, "kpi.screened_within_1_day", 0.999);
    if (!(ci.low <= 2.0 / 7.0 && 2.0 / 7.0 <= ci.high))
        fail_msg("share %g [%g, %g], expected 2/7", ci.mean, ci.low, ci.high);
    done(&r);
}

/* Downstream flows arise only from routing: 10% more contacts, same seed,
 * gives more assessments, S47s and registrations, by about 10%. */
static const char chain_fmt[] = HEAD(
    "365.0", "0.0",
    "20") "contacts = { per_year = %g; to = \"door\"; };\n"
          "stages = (\n"
          "  { name = \"door\"; duration = { dist = \"exponential\"; mean = 0.5; };\n"
          "    outcomes = ( { to = \"nfa\"; p = 0.5; }, { to = \"assessment\"; p = 0.4; },\n"
          "                 { to = \"strategy\"; p = 0.1; } ); },\n"
          "  { name = \"assessment\"; flow_out = \"assessments\";\n"
          "    duration = { dist = \"exponential\"; mean = 30.0; };\n"
          "    outcomes = ( { to = \"nfa\"; p = 0.8; }, { to = \"strategy\"; p = 0.2; } ); },\n"
          "  { name = \"strategy\"; flow_out = \"strategy_meetings\";\n"
          "    duration = { dist = \"exponential\"; mean = 2.0; };\n"
          "    outcomes = ( { to = \"s47\"; p = 0.7; }, { to = \"nfa\"; p = 0.3; } ); },\n"
          "  { name = \"s47\"; flow_out = \"s47_enquiries\";\n"
          "    duration = { dist = \"exponential\"; mean = 15.0; };\n"
          "    outcomes = ( { to = \"cp\"; p = 0.3; flow = \"cp_registrations\"; },\n"
          "                 { to = \"nfa\"; p = 0.7; } ); },\n"
          "  { name = \"cp\"; duration = { dist = \"exponential\"; mean = 250.0; };\n"
          "    outcomes = ( { to = \"closed\"; p = 1.0; } ); }\n"
          ");\n" EXITS;

static void test_more_contacts_more_downstream(void **state)
{
    (void)state;
    char a[8192], b[8192];
    snprintf(a, sizeof a, chain_fmt, 4000.0);
    snprintf(b, sizeof b, chain_fmt, 4400.0);
    run ra, rb;
    load(&ra, a);
    load(&rb, b);
    simulate(&ra, 2);
    simulate(&rb, 2);
    const char *const downstream[] = {"flow.contacts", "flow.assessments", "flow.strategy_meetings",
                                      "flow.s47_enquiries", "flow.cp_registrations"};
    /* Contacts by inversion: the extra 10% are paired replication by
     * replication, so the difference varies far less than the counts. */
    double diff[64], base[64];
    for (size_t k = 0; k < ra.reps; k++) {
        base[k] = value(&ra, k, "flow.contacts");
        diff[k] = value(&rb, k, "flow.contacts") - base[k];
    }
    stat_ci cd = stat_ci_compute(diff, ra.reps, 1, 0.95);
    stat_ci ca = stat_ci_compute(base, ra.reps, 1, 0.95);
    if (!(cd.sd < 0.5 * ca.sd))
        fail_msg("paired sd of the difference %g, sd of the contacts %g: no common random numbers",
                 cd.sd, ca.sd);
    for (size_t i = 0; i < 5; i++) {
        stat_ci x = ci_of(&ra, downstream[i], 0.95), y = ci_of(&rb, downstream[i], 0.95);
        double ratio = y.mean / x.mean;
        if (!(y.mean > x.mean) || fabs(ratio - 1.1) > 0.05)
            fail_msg("%s: %g -> %g (ratio %g), expected about 1.1", downstream[i], x.mean, y.mean,
                     ratio);
    }
    done(&ra);
    done(&rb);
}

/* Two front doors: every family is passed from one to the other and turned
 * away by both; a family sent on to a service reaches it after exactly the
 * two screenings. */
static void test_front_doors(void **state)
{
    (void)state;
    static const char text[] = HEAD(
        "400.0", "0.0",
        "4") "contacts = { per_year = 1000.0; to = \"iaa\"; };\n"
             "stages = (\n"
             "  { name = \"iaa\"; front_door = true; duration = { dist = \"deterministic\"; mean = "
             "1.0; };\n"
             "    outcomes = ( { to = \"eh_door\"; p = 1.0; flow = \"handoffs\"; } ); },\n"
             "  { name = \"eh_door\"; front_door = true; duration = { dist = \"deterministic\"; "
             "mean = 2.0; };\n"
             "    outcomes = ( { to = \"nfa\"; p = 0.5; }, { to = \"help\"; p = 0.5; } ); },\n"
             "  { name = \"help\"; service = true; duration = { dist = \"deterministic\"; mean = "
             "1.0; };\n"
             "    outcomes = ( { to = \"closed\"; p = 1.0; } ); }\n"
             ");\n"
             "exits = ( { name = \"nfa\"; counts = ( { flow = \"closed_by_both_doors\";\n"
             "                                        when = \"episode_stories >= 2\"; } ); },\n"
             "          { name = \"closed\"; } );\n";
    run r;
    load(&r, text);
    simulate(&r, 2);
    for (size_t k = 0; k < r.reps; k++) {
        double contacts = value(&r, k, "flow.contacts");
        double in_doors = value(&r, k, "stage.iaa.end") + value(&r, k, "stage.eh_door.end");
        assert_true(value(&r, k, "flow.handoffs") == contacts - value(&r, k, "stage.iaa.end"));
        assert_true(value(&r, k, "flow.closed_by_both_doors") == value(&r, k, "flow.exit.nfa"));
        assert_true(value(&r, k, "flow.exit.nfa") + value(&r, k, "stage.help.entries") ==
                    contacts - in_doors);
        assert_true(fabs(value(&r, k, "kpi.days_contact_to_service.mean") - 3.0) < 1e-9);
        /* Every closed episode told its story at both doors. */
        assert_true(value(&r, k, "kpi.stories_told.mean") == 2.0);
    }
    done(&r);
}

/* A step in demand: from 1 April 2023 contacts arrive at 1.5 times the rate. */
static void test_contact_step(void **state)
{
    (void)state;
    static const char text[] =
        HEAD("730.0", "365.0", "10") "contacts = { per_year = 2000.0; to = \"door\";\n"
                                     "  steps = ( { from = \"2023-04-01\"; factor = 1.5; } ); };\n"
                                     "stages = ( { name = \"door\"; duration = { dist = "
                                     "\"deterministic\"; mean = 0.1; };\n"
                                     "    outcomes = ( { to = \"nfa\"; p = 1.0; } ); } );\n" EXITS;
    run r;
    load(&r, text);
    simulate(&r, 2);
    /* The window is the year after the step: 3,000 expected (a 365-day year). */
    stat_ci ci = ci_of(&r, "flow.contacts", 0.999);
    if (!(ci.low <= 3000.0 && 3000.0 <= ci.high))
        fail_msg("contacts %g [%g, %g], expected 3000", ci.mean, ci.low, ci.high);
    done(&r);
}

/* A panel that meets weekly with room for everyone: families wait half a
 * week on average (Poisson arrivals see the time to the next meeting). */
static void test_weekly_panel(void **state)
{
    (void)state;
    static const char text[] = HEAD(
        "3650.0", "70.0",
        "10") "contacts = { per_year = 2000.0; to = \"panel\"; };\n"
              "stages = ( { name = \"panel\"; sessions = { every_days = 7.0; first_day = 3.0; };\n"
              "    duration = { dist = \"deterministic\"; mean = 0.0; };\n"
              "    outcomes = ( { to = \"nfa\"; p = 1.0; } ); } );\n" EXITS;
    run r;
    load(&r, text);
    simulate(&r, 2);
    stat_ci w = ci_of(&r, "stage.panel.W", 0.999);
    if (!(w.low <= 3.5 && 3.5 <= w.high) || w.high - w.low > 0.1)
        fail_msg("mean wait for the panel %g [%g, %g], expected 3.5", w.mean, w.low, w.high);
    done(&r);
}

static void test_threads_identical(void **state)
{
    (void)state;
    run a, b;
    load(&a, small);
    load(&b, small);
    simulate(&a, 1);
    simulate(&b, 2);
    assert_memory_equal(a.x, b.x, a.reps * a.width * sizeof *a.x);
    done(&a);
    done(&b);
}

/* ---- capacity: offered load and the warning after a run ------------------- */

/* Ten contacts a day (a flat profile: per_year / 365) straight into the
 * stage `support`, whose places are set on line 6 (%s); children under 10,
 * so nobody turns 18 within the year. `idle` is never reached. */
static const char capacity_fmt[] =
    "name = \"t\"; start_date = \"2022-04-01\"; horizon_days = 365.0; warmup_days = 0.0;\n"
    "replications = %d; seed = 7;\n"
    "children = { age_years = { dist = \"uniform\"; min = 0.0; max = 10.0; }; };\n"
    "contacts = { per_year = 3650.0; to = \"support\"; };\n"
    "stages = (\n"
    "  { name = \"support\"; %s\n"
    "    duration = %s;\n"
    "    outcomes = ( { to = \"closed\"; p = 1.0; } ); initial = %d; },\n"
    "  { name = \"idle\"; duration = { dist = \"exponential\"; mean = 1.0; };\n"
    "    outcomes = ( { to = \"closed\"; p = 1.0; } ); }\n"
    ");\n"
    "exits = ( { name = \"closed\"; } );\n";

static void load_capacity(run *r, int reps, const char *places, const char *duration, int initial)
{
    char text[2048];
    snprintf(text, sizeof text, capacity_fmt, reps, places, duration, initial);
    load(r, text);
}

/* The capacity lines pw_write_capacity_warnings writes for r's results (or
 * for x when not NULL, with reps replications), as a string to free. */
static char *capacity_text(const run *r, const double *x, size_t reps, size_t *lines)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);
    assert_non_null(fp);
    *lines = pw_write_capacity_warnings(r->m, x ? x : r->x, x ? reps : r->reps, "> ", fp);
    fclose(fp);
    return buf;
}

/* 20 places, services of 3 days on average: lambda E[S] / c = 10 x 3 / 20 =
 * 1.5. The queue grows all year, and the warning says so. */
static void test_capacity_overloaded(void **state)
{
    (void)state;
    run r;
    load_capacity(&r, 10, "servers = 20;", "{ dist = \"exponential\"; mean = 3.0; }", 0);
    simulate(&r, 2);
    for (size_t k = 0; k < r.reps; k++) {
        double rho = value(&r, k, "stage.support.offered_load");
        if (!(rho > 1.35 && rho < 1.65))
            fail_msg("replication %zu: offered load %g, expected 1.5 within 10%%", k, rho);
        assert_true(isnan(value(&r, k, "stage.idle.offered_load"))); /* unlimited */
    }
    stat_ci rho = ci_of(&r, "stage.support.offered_load", 0.999);
    if (!(rho.low <= 1.5 && 1.5 <= rho.high) || fabs(rho.mean - 1.5) > 0.04)
        fail_msg("offered load %g [%g, %g], expected 1.5", rho.mean, rho.low, rho.high);
    /* W - Wq, the obvious estimate, is biased low here: W averages over
     * departures, Wq over service starts, and waits grow all year. */
    stat_ci w = ci_of(&r, "stage.support.W", 0.95), wq = ci_of(&r, "stage.support.Wq", 0.95);
    assert_true(w.mean - wq.mean < 2.8);
    size_t lines;
    char *text = capacity_text(&r, NULL, 0, &lines);
    assert_int_equal(lines, 1);
    const char *want = "> t.cfg:6: warning: stage 'support' cannot serve its demand: it needs 1.";
    if (strncmp(text, want, strlen(want)) != 0 || strstr(text, " times its 20 places") == NULL ||
        strstr(text, "the number there grows through the run") == NULL ||
        strstr(text, "depend on the horizon\n") == NULL)
        fail_msg("warning: %s", text);
    free(text);
    done(&r);
}

/* 40 places for services of exactly 3 days: the load is 0.75, and exactly
 * (entries per day) x 3 / 40 in every replication, so the mean service time
 * is the drawn one, with the warm start's remaining times (shorter) left
 * out. No warning. */
static void test_capacity_underloaded(void **state)
{
    (void)state;
    run r;
    load_capacity(&r, 6, "servers = 40;", "{ dist = \"deterministic\"; mean = 3.0; }", 30);
    simulate(&r, 2);
    for (size_t k = 0; k < r.reps; k++) {
        double rho = value(&r, k, "stage.support.offered_load");
        double want = value(&r, k, "stage.support.entries") / 365.0 * 3.0 / 40.0;
        if (fabs(rho - want) > 1e-12 * want)
            fail_msg("replication %zu: offered load %.17g, expected %.17g", k, rho, want);
        assert_true(rho > 0.7 && rho < 0.8);
    }
    size_t lines;
    char *text = capacity_text(&r, NULL, 0, &lines);
    assert_int_equal(lines, 0);
    assert_string_equal(text, "");
    free(text);
    done(&r);
}

/* A weekly session taking 50: 70 arrivals a session need 1.4 sessions'
 * places, exactly (entries per day) x 7 / 50 in each replication. */
static void test_capacity_sessions(void **state)
{
    (void)state;
    run r;
    load_capacity(&r, 4, "sessions = { every_days = 7.0; first_day = 1.0; capacity = 50; };",
                  "{ dist = \"deterministic\"; mean = 0.0; }", 0);
    simulate(&r, 2);
    for (size_t k = 0; k < r.reps; k++) {
        double rho = value(&r, k, "stage.support.offered_load");
        double want = value(&r, k, "stage.support.entries") / 365.0 * 7.0 / 50.0;
        if (fabs(rho - want) > 1e-12 * want || !(rho > 1.3 && rho < 1.5))
            fail_msg("replication %zu: offered load %.17g, expected %.17g (1.4)", k, rho, want);
    }
    size_t lines;
    char *text = capacity_text(&r, NULL, 0, &lines);
    assert_int_equal(lines, 1);
    if (strstr(text, "> t.cfg:6: warning: stage 'support' cannot serve its demand") != text ||
        strstr(text, " times its 50 places a session") == NULL)
        fail_msg("warning: %s", text);
    free(text);
    done(&r);
}

/* The verdicts on made-up replications: offered loads and the number at the
 * end minus its average (growth), all replications of one case. */
typedef struct capacity_case {
    size_t reps;
    double load[3], growth[3];
    const char *want;  /* a fragment of the line, or NULL for none */
    const char * not ; /* a fragment that must not be there, or NULL */
} capacity_case;

static const capacity_case capacity_cases[] = {
    /* Clearly under: nothing. */
    {3, {0.90, 0.91, 0.89}, {0, 0, 0}, NULL, NULL},
    /* A mean of 1 whose interval straddles it: near, not over. */
    {3,
     {1.00, 0.98, 1.02},
     {0, 0, 0},
     "is at or near capacity: its demand needs 1 [0.95, 1.05]",
     "cannot serve"},
    /* 0.95 or more, interval below 1: near. */
    {3, {0.96, 0.96, 0.96}, {0, 0, 0}, "is at or near capacity", "grows"},
    /* A mean of 0.93 whose interval reaches 1: near. */
    {3, {0.86, 0.93, 1.00}, {0, 0, 0}, "is at or near capacity", NULL},
    /* Interval above 1: over; no growth: not steady, without the growth clause. */
    {3,
     {1.2, 1.21, 1.19},
     {0, 0, 0},
     "cannot serve its demand: it needs 1.2 [1.18, 1.22]",
     "grows"},
    /* Over, and the number there grows: the clause gives its interval. */
    {3,
     {1.2, 1.21, 1.19},
     {10, 12, 11},
     "grows through the run (11 [8.52, 13.5] more at the end",
     NULL},
    /* One replication: its value decides, and it says so. */
    {1,
     {1.0},
     {50},
     "cannot serve its demand: it needs 1 times its 20 places (offered load, one "
     "replication); waits and numbers there are not a steady state",
     "grows"},
    {1, {0.949}, {0}, NULL, NULL},
};

static void test_capacity_verdicts(void **state)
{
    (void)state;
    run r;
    load_capacity(&r, 3, "servers = 20;", "{ dist = \"exponential\"; mean = 3.0; }", 0);
    size_t width = pw_width(r.m), ol = metric(&r, "stage.support.offered_load");
    size_t end = metric(&r, "stage.support.end"), L = metric(&r, "stage.support.L");
    size_t idle = metric(&r, "stage.idle.offered_load");
    const char *head = "> t.cfg:6: warning: stage 'support' ";
    double *x = calloc(3 * width, sizeof *x);
    assert_non_null(x);
    for (size_t i = 0; i < sizeof capacity_cases / sizeof capacity_cases[0]; i++) {
        const capacity_case *c = &capacity_cases[i];
        for (size_t k = 0; k < c->reps; k++) {
            x[k * width + ol] = c->load[k];
            x[k * width + L] = 100.0;
            x[k * width + end] = 100.0 + c->growth[k];
            x[k * width + idle] = NAN; /* unlimited: never a line */
        }
        size_t lines;
        char *text = capacity_text(&r, x, c->reps, &lines);
        if (lines != (c->want != NULL) || (c->want && strstr(text, c->want) == NULL) ||
            (c->not &&strstr(text, c->not ) != NULL) ||
            (lines && strncmp(text, head, strlen(head)) != 0))
            fail_msg("case %zu: %zu lines: %s; expected %s", i, lines, text,
                     c->want ? c->want : "none");
        free(text);
    }
    free(x);
    done(&r);
}

/* ---- errors --------------------------------------------------------------- */

typedef struct bad_case {
    const char *replace, *with; /* applied to `small` */
    const char *message;        /* a fragment of the message */
    int line;                   /* expected line, 0 = any */
} bad_case;

static const bad_case bad_cases[] = {
    {"{ to = \"nfa\"; p = 0.4; }", "{ to = \"nfx\"; p = 0.4; }", "'nfx' is not a stage or an exit",
     10},
    {"{ to = \"nfa\"; p = 0.4; }", "{ to = \"nfa\"; p = 0.5; }", "sum to 1.1", 10},
    {"start_date = \"2022-04-01\"", "start_date = \"2022-02-30\"", "not a date", 1},
    {"flow = \"step_ups\"; }", "flow = \"step ups\"; }", "flow name 'step ups' is not allowed", 16},
    {"{ name = \"open\"; stages", "{ name = \"open\"; stages", "", 0}, /* valid: control row */
    {"stages = [\"care\"]", "stages = [\"carre\"]", "'carre' is not a stage", 29},
    {"name = \"early_help\"; servers = 60;", "name = \"early_help\"; servers = 0;",
     "patience never applies", 14},
    {"renege_to = \"disengaged\"", "renege_to = \"nowhere\"", "'nowhere' is not a stage", 14},
    {"targets = ( { kpi = \"assessments_within_timescale\"; working_days = 42; } );",
     "targets = ( { kpi = \"x\"; working_days = -1; } );", "working_days", 19},
    {"per_year = 2000.0;", "per_year = -5.0;", "per_year", 4},
    {"monthly_profile = [1.1,", "monthly_profile = [", "monthly_profile", 5},
    {"outcomes = ( { to = \"home\"; p = 1.0; } ); initial = 100;",
     "outcomes = ( { to = \"home\"; p = 1.0; } ); initial = 100; colour = 1;", "colour", 25},
    {"need_levels = [0.6, 0.3, 0.1]", "need_levels = [0.6, 0.3, 0.2]", "need_levels", 3},
};

static char *replace_once(const char *text, const char *from, const char *to)
{
    const char *at = strstr(text, from);
    if (at == NULL)
        fail_msg("test table: '%s' not found", from);
    size_t n = strlen(text) - strlen(from) + strlen(to) + 1;
    char *out = malloc(n);
    assert_non_null(out);
    snprintf(out, n, "%.*s%s%s", (int)(at - text), text, to, at + strlen(from));
    return out;
}

static void test_errors(void **state)
{
    (void)state;
    int failures = 0;
    for (size_t i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++) {
        const bad_case *c = &bad_cases[i];
        char *text = replace_once(small, c->replace, c->with);
        scenario sc;
        pw_model *m = NULL;
        err_info e;
        err_clear(&e);
        int rc = scenario_open_string(&sc, text, "t.cfg", &e);
        if (rc == 0)
            rc = pw_load(&m, &sc, &e);
        char want[32];
        snprintf(want, sizeof want, "t.cfg:%d: ", c->line);
        if (c->message[0] == '\0') {
            if (rc != 0) {
                printf("case %zu: control row failed: %s\n", i, e.text);
                failures++;
            }
        } else if (rc == 0 || strstr(e.text, c->message) == NULL ||
                   (c->line > 0 && strncmp(e.text, want, strlen(want)) != 0) ||
                   strncmp(e.text, "t.cfg:", 6) != 0) {
            printf("case %zu: rc %d, message \"%s\"; expected \"%s%s\"\n", i, rc, e.text,
                   c->line ? want : "t.cfg:N: ", c->message);
            failures++;
        }
        pw_destroy(m);
        scenario_free(&sc);
        free(text);
    }
    assert_int_equal(failures, 0);
}

/* Every allocation of a load can fail without a leak or a crash. */
static void test_load_allocation_failures(void **state)
{
    (void)state;
    for (long n = 1;; n++) {
        failing fa = {.fail_at = n};
        const mem_hooks hooks = {failing_alloc, failing_resize, failing_release, &fa};
        scenario sc;
        pw_model *m = NULL;
        err_info e;
        mem_set_hooks(&hooks);
        int rc = scenario_open_string(&sc, small, "t.cfg", &e);
        if (rc == 0)
            rc = pw_load(&m, &sc, &e);
        pw_destroy(m);
        scenario_free(&sc);
        mem_set_hooks(NULL);
        if (fa.live != 0)
            fail_msg("allocation %ld failing leaks %ld blocks (rc %d: %s)", n, fa.live, rc, e.text);
        if (rc == 0)
            break;
        assert_int_equal(rc, ERR_NOMEM);
        assert_true(n < 100000);
    }
}

int main(void)
{
    gsl_set_error_handler_off();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_conservation),
        cmocka_unit_test(test_little_law),
        cmocka_unit_test(test_rule_on_attributes),
        cmocka_unit_test(test_age_out),
        cmocka_unit_test(test_warm_start_stationary),
        cmocka_unit_test(test_working_day_kpi),
        cmocka_unit_test(test_more_contacts_more_downstream),
        cmocka_unit_test(test_front_doors),
        cmocka_unit_test(test_contact_step),
        cmocka_unit_test(test_weekly_panel),
        cmocka_unit_test(test_threads_identical),
        cmocka_unit_test(test_capacity_overloaded),
        cmocka_unit_test(test_capacity_underloaded),
        cmocka_unit_test(test_capacity_sessions),
        cmocka_unit_test(test_capacity_verdicts),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_load_allocation_failures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
