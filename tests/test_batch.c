/*
 * test_batch — session nodes (scheduled batch service): a node whose queue is
 * served only at set times, up to a capacity per session, like a panel that
 * meets weekly.
 *
 *   known answers   scripted arrivals and withdrawals (a model's on_start and
 *                   events) give waits, levels, event counts and the order of
 *                   service that can be worked out by hand, exactly; they pin
 *                   down the tie rule of sim.h, first != every, a session at
 *                   the warm-up, none at the horizon, and that a departure at
 *                   a session node never hands its slot to someone waiting.
 *   theory          Poisson arrivals against closed forms and an exact
 *                   numerical solution: the unlimited session (mean wait half
 *                   the interval), the bulk-service chain with capacity K,
 *                   reneging before the session, feedback into the next
 *                   session, and scenarios/validation/weekly-panel.cfg through
 *                   the loader, netmodel and two threads.
 *   reproducibility same seed, same bits; sessions draw no random numbers, so
 *                   the arrival stream does not depend on the calendar.
 *   errors          every invalid parameter of net_set_sessions and of a net
 *                   edited by hand gives ERR_INPUT with a message.
 *
 * The statistical rule is test_validation.c's, with no bias allowance: pass
 * iff |mean - theory| is within the 99.9% Student-t half-width over
 * replications (fixed seeds) and that half-width is at most TIGHT of the
 * value, so no comparison passes on a wide interval. Every run starts empty; warm-ups are long
 * enough that the transient left is below 1e-5 of the value (computed exactly for the chain; nil
 * for the unlimited session, whose queue empties at every session, and 0.3^100 with feedback, where
 * a session's returns depend on the last one), and windows are whole numbers of session intervals,
 * so the time averages are unbiased for the periodic steady state.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "net.h"
#include "netmodel.h"
#include "rep.h"
#include "scenario.h"
#include "sim.h"
#include "stat.h"

#define LEVEL 0.999 /* confidence level of every interval */
#define TIGHT 0.02  /* a half-width over 2% of the value is too wide to mean anything */

enum { MAX_REPS = 40, MAX_LOG = 16 };

/* ---- building and running ------------------------------------------------ */

/*
 * One session node "P" (servers 0, deterministic service of svc days) fed by
 * a Poisson source at lam per day; it routes back to itself with probability
 * feedback, otherwise out.
 */
static void build_panel(net *n, double lam, double first, double every, uint32_t cap, double svc,
                        double feedback)
{
    err_info e;
    dist d;
    net_init(n);
    assert_int_equal(dist_init_deterministic(&d, svc, &e), 0);
    assert_int_equal(net_add_node(n, "P", 0, &d, NULL, &e), 0);
    assert_int_equal(net_set_sessions(n, 0, first, every, cap, &e), 0);
    if (feedback > 0.0) {
        assert_int_equal(net_add_route(n, 0, 0, feedback, &e), 0);
        assert_int_equal(net_add_route(n, 0, NET_EXIT, 1.0 - feedback, &e), 0);
    }
    assert_int_equal(net_add_source(n, "in", 0, lam, &e), 0);
    assert_int_equal(net_validate(n, &e), 0);
}

static sim_options opts(double warmup, double horizon, uint64_t seed, uint32_t rep)
{
    return (sim_options){.warmup_days = warmup,
                         .horizon_days = horizon,
                         .seed = seed,
                         .replication = rep,
                         .max_live = 1000000,
                         .stop = NULL};
}

/* The six per-node metrics in netmodel's order, by index. */
enum { M_L, M_LQ, M_W, M_WQ, M_UTIL, M_THR, N_METRICS };
static const char *const metric_name[N_METRICS] = {"L", "Lq", "W", "Wq", "util", "throughput"};

static double metric(const sim_node_result *r, int k)
{
    const double v[N_METRICS] = {r->L, r->Lq, r->W, r->Wq, r->utilisation, r->throughput_per_day};
    return v[k];
}

/*
 * One comparison over replications: prints a PASS/FAIL line and fails the
 * test outside the interval or on an interval wider than TIGHT of theory.
 * theory NaN: every replication must give NaN (a metric that does not exist).
 */
static void expect_ci(const char *label, const double *x, size_t n, double theory)
{
    if (isnan(theory)) {
        size_t finite = 0;
        for (size_t i = 0; i < n; i++)
            finite += isfinite(x[i]) != 0;
        printf("%s %-28s theory NA, %zu of %zu replications finite\n", finite ? "FAIL" : "PASS",
               label, finite, n);
        if (finite)
            fail_msg("%s: expected NA", label);
        return;
    }
    stat_ci ci = stat_ci_compute(x, n, 1, LEVEL);
    double hw = ci.high - ci.mean, err = fabs(ci.mean - theory);
    bool within = err <= hw, narrow = hw <= TIGHT * fabs(theory);
    printf("%s %-28s theory %-10.6g mean %-10.6g ci99.9 [%.6g, %.6g] hw %.2f%% |dev| %.2f hw\n",
           within && narrow ? "PASS" : "FAIL", label, theory, ci.mean, ci.low, ci.high,
           100.0 * hw / fabs(theory), hw > 0 ? err / hw : 0.0);
    if (!within)
        fail_msg("%s: mean %.6g, theory %.6g outside the 99.9%% interval", label, ci.mean, theory);
    if (!narrow)
        fail_msg("%s: half-width %.3g over %g of %.6g", label, hw, TIGHT, theory);
}

/* Compares the metrics of node 0 over reps replications with want[] (a
 * negative entry: not compared). */
static void expect_metrics(const char *name, const sim_node_result *r, size_t reps,
                           const double want[N_METRICS])
{
    double x[MAX_REPS];
    for (int k = 0; k < N_METRICS; k++) {
        if (want[k] < 0.0)
            continue;
        for (size_t i = 0; i < reps; i++)
            x[i] = metric(&r[i], k);
        char label[64];
        snprintf(label, sizeof label, "%s %s", name, metric_name[k]);
        expect_ci(label, x, reps, want[k]);
    }
}

/* reps replications of node 0 of n with hooks h (NULL: defaults). */
static void run_reps(const net *n, const sim_hooks *h, double warmup, double horizon, uint64_t seed,
                     size_t reps, sim_node_result *out)
{
    err_info e;
    sim *s = sim_create(n, sizeof(sim_entity), h, &e);
    assert_non_null(s);
    for (uint32_t r = 0; r < reps; r++) {
        sim_options o = opts(warmup, horizon, seed, r);
        if (sim_run(s, &o, &e) != 0)
            fail_msg("replication %u: %s", r, e.text);
        sim_node_result_get(s, 0, &out[r]);
    }
    sim_destroy(s);
}

/* ---- known answers: a scripted model ------------------------------------- */

enum { EV_JOIN = SIM_EV_USER, EV_LEAVE };

typedef struct leave {
    double t;    /* days */
    uint32_t id; /* entity id (1, 2, ... in creation order) */
} leave;

typedef struct script_case {
    const char *name;
    double first, every, svc, warmup, horizon;
    uint32_t cap;
    double join[MAX_LOG]; /* arrival times, ascending; < 0: sent by on_start at 0 */
    size_t n_join;
    leave leave[4]; /* withdrawals */
    size_t n_leave;
    /* What must happen: entities taken in this order (id, session time)... */
    uint32_t taken_id[MAX_LOG];
    double taken_t[MAX_LOG];
    size_t n_taken;
    /* ...and the results (utilisation NaN = NA), events fired, and at the end. */
    double L, Lq, W, Wq, util;
    uint64_t departures, events;
    size_t queued_end, count_end;
} script_case;

typedef struct script_ctx {
    const script_case *c;
    sim_entity *by_id[MAX_LOG + 1];
    uint32_t taken_id[MAX_LOG];
    double taken_t[MAX_LOG];
    size_t n_taken;
} script_ctx;

static int join_now(script_ctx *x, sim *s)
{
    sim_entity *e;
    int rc = sim_spawn(s, NET_NONE, &e);
    if (rc != 0)
        return rc;
    assert_true(e->id <= MAX_LOG);
    x->by_id[e->id] = e;
    return sim_send(s, e, 0);
}

static int script_start(void *ctx, sim *s)
{
    script_ctx *x = ctx;
    int rc = 0;
    for (size_t i = 0; i < x->c->n_join && rc == 0; i++)
        rc =
            x->c->join[i] < 0.0 ? join_now(x, s) : sim_schedule(s, x->c->join[i], EV_JOIN, NULL, 0);
    for (size_t i = 0; i < x->c->n_leave && rc == 0; i++)
        rc = sim_schedule(s, x->c->leave[i].t, EV_LEAVE, NULL, x->c->leave[i].id);
    return rc;
}

static int script_event(void *ctx, sim *s, const heap_event *ev)
{
    script_ctx *x = ctx;
    if (heap_event_kind(ev) == EV_JOIN)
        return join_now(x, s);
    sim_entity *e = x->by_id[ev->arg];
    assert_int_equal(e->node, 0); /* the script only withdraws entities still at P */
    int rc = sim_withdraw(s, e);
    return rc != 0 ? rc : sim_send(s, e, NET_EXIT);
}

/* Records who each session takes, and when, through the service-time hook. */
static double script_service(void *ctx, sim *s, sim_entity *e, uint32_t node, gsl_rng *r)
{
    (void)node;
    (void)r;
    script_ctx *x = ctx;
    assert_true(x->n_taken < MAX_LOG);
    x->taken_id[x->n_taken] = (uint32_t)e->id;
    x->taken_t[x->n_taken++] = sim_now(s);
    return x->c->svc;
}

/*
 * The cases, worked by hand (A..H are ids 1..8 in order of arrival):
 *
 * first_ne_every: sessions at 3, 10, 17, 24 (31 is the horizon: none), two
 * places each, service 1 day. A, B, C are sent by on_start at 0; D..H join by
 * events at 3, 5, 10, 12, 30 scheduled in on_start. D's event at 3 was
 * scheduled after session 0 (which sim_run schedules before on_start), so D
 * misses it; F's at 10 was scheduled before session 1 (scheduled at 3), so F
 * makes it. Taken: A, B at 3; C, D at 10; E, F at 17; G at 24; H waits on.
 * Waits 3+3+10+7+12+7+12 = 54 over 7; in node 54 + 7 = 61. Number waiting:
 * 3 on [0,3), 2 on [3,5), 3 on [5,10), 2 on [10,12), 3 on [12,17), 1 on
 * [17,24), 0 on [24,30), 1 on [30,31): 55 over 31 days; in service 7 more.
 * Events: 4 sessions, 7 departures, 5 joins.
 *
 * warmup_at_a_session: the same with warm-up 10, a session time: the window
 * is [10, 31), the session at 10 counts (the warm-up event fires first) and
 * departures at 4 do not. Taken in it: C 10, D 7, E 12, F 7, G 12 = 48 / 5;
 * departures at 11, 11, 18, 18, 25 after 11, 8, 13, 8, 13 = 53 / 5 days.
 * Waiting: 2 on [10,12), 3 on [12,17), 1 on [17,24), 1 on [30,31): 27 / 21;
 * in service 2 + 2 + 1: 32 / 21. Places used 5 of 6. One more event: the warm-up.
 *
 * session_at_zero: first 0, unlimited capacity, no service. A, B (on_start)
 * are queued when session 0 fires at 0: taken at once. C's event at 0 comes
 * after session 0: C waits to 7. D's event at 7 precedes session 1: D waits
 * 0. Waiting: 1 on [0, 7) of 14 days. 14 is the horizon: no session there.
 *
 * withdraw_head_middle_tail: A..E queue at 0 for two places on day 7; A
 * (head), C (middle), E (tail) give up at 1, 2, 3; F joins at 4. Session 7
 * takes B, D (the queue's links survived); session 14 takes F. Times: A 1,
 * C 2, E 3, B 7, D 7, F 10 = 30 over 6 departures; waits of those taken
 * 7 + 7 + 10 = 24 over 3. Waiting: 5, 4, 3, 2 on the first four days, 3 on
 * [4,7), 1 on [7,14): 30 over 15 days.
 *
 * withdraw_in_service: one place a session, at 2 and 9; service 3 days. A
 * is taken at 2 and withdrawn at 3, in service: its slot is not handed to B,
 * who waits for the session at 9 and is still in service at the horizon 10.
 * A's cancelled departure at 5 is still popped (an event); B's at 12 is not.
 */
static const script_case script_cases[] = {
    {.name = "first_ne_every",
     .first = 3,
     .every = 7,
     .svc = 1,
     .warmup = 0,
     .horizon = 31,
     .cap = 2,
     .join = {-1, -1, -1, 3, 5, 10, 12, 30},
     .n_join = 8,
     .taken_id = {1, 2, 3, 4, 5, 6, 7},
     .taken_t = {3, 3, 10, 10, 17, 17, 24},
     .n_taken = 7,
     .L = 62.0 / 31,
     .Lq = 55.0 / 31,
     .W = 61.0 / 7,
     .Wq = 54.0 / 7,
     .util = 7.0 / 8,
     .departures = 7,
     .events = 16,
     .queued_end = 1,
     .count_end = 1},
    {.name = "warmup_at_a_session",
     .first = 3,
     .every = 7,
     .svc = 1,
     .warmup = 10,
     .horizon = 31,
     .cap = 2,
     .join = {-1, -1, -1, 3, 5, 10, 12, 30},
     .n_join = 8,
     .taken_id = {1, 2, 3, 4, 5, 6, 7},
     .taken_t = {3, 3, 10, 10, 17, 17, 24},
     .n_taken = 7,
     .L = 32.0 / 21,
     .Lq = 27.0 / 21,
     .W = 53.0 / 5,
     .Wq = 48.0 / 5,
     .util = 5.0 / 6,
     .departures = 5,
     .events = 17,
     .queued_end = 1,
     .count_end = 1},
    {.name = "session_at_zero",
     .first = 0,
     .every = 7,
     .svc = 0,
     .warmup = 0,
     .horizon = 14,
     .cap = 0,
     .join = {-1, -1, 0, 7},
     .n_join = 4,
     .taken_id = {1, 2, 3, 4},
     .taken_t = {0, 0, 7, 7},
     .n_taken = 4,
     .L = 0.5,
     .Lq = 0.5,
     .W = 7.0 / 4,
     .Wq = 7.0 / 4,
     .util = NAN,
     .departures = 4,
     .events = 8,
     .queued_end = 0,
     .count_end = 0},
    {.name = "withdraw_head_middle_tail",
     .first = 7,
     .every = 7,
     .svc = 0,
     .warmup = 0,
     .horizon = 15,
     .cap = 2,
     .join = {-1, -1, -1, -1, -1, 4},
     .n_join = 6,
     .leave = {{1, 1}, {2, 3}, {3, 5}},
     .n_leave = 3,
     .taken_id = {2, 4, 6},
     .taken_t = {7, 7, 14},
     .n_taken = 3,
     .L = 2.0,
     .Lq = 2.0,
     .W = 5.0,
     .Wq = 8.0,
     .util = 0.75,
     .departures = 6,
     .events = 9,
     .queued_end = 0,
     .count_end = 0},
    {.name = "withdraw_in_service",
     .first = 2,
     .every = 7,
     .svc = 3,
     .warmup = 0,
     .horizon = 10,
     .cap = 1,
     .join = {-1, -1},
     .n_join = 2,
     .leave = {{3, 1}},
     .n_leave = 1,
     .taken_id = {1, 2},
     .taken_t = {2, 9},
     .n_taken = 2,
     .L = 1.3,
     .Lq = 1.1,
     .W = 3.0,
     .Wq = 5.5,
     .util = 1.0,
     .departures = 1,
     .events = 4,
     .queued_end = 0,
     .count_end = 1},
};

/* Equal to within rounding of a few operations on small whole numbers. */
static bool same(double got, double want)
{
    if (isnan(want))
        return isnan(got);
    return fabs(got - want) <= 1e-12 * fmax(1.0, fabs(want));
}

static void run_script_case(const script_case *c)
{
    net n;
    err_info e;
    dist d;
    net_init(&n);
    assert_int_equal(dist_init_deterministic(&d, c->svc, &e), 0);
    assert_int_equal(net_add_node(&n, "P", 0, &d, NULL, &e), 0);
    assert_int_equal(net_set_sessions(&n, 0, c->first, c->every, c->cap, &e), 0);
    assert_int_equal(net_validate(&n, &e), 0);
    script_ctx x;
    memset(&x, 0, sizeof x);
    x.c = c;
    sim_hooks h = {.ctx = &x,
                   .on_start = script_start,
                   .on_event = script_event,
                   .service_time = script_service};
    sim *s = sim_create(&n, sizeof(sim_entity), &h, &e);
    assert_non_null(s);
    sim_options o = opts(c->warmup, c->horizon, 1, 0);
    if (sim_run(s, &o, &e) != 0)
        fail_msg("%s: %s", c->name, e.text);
    sim_node_result r;
    sim_node_result_get(s, 0, &r);
    printf("%-26s L %.6g Lq %.6g W %.6g Wq %.6g util %.6g departures %llu events %llu\n", c->name,
           r.L, r.Lq, r.W, r.Wq, r.utilisation, (unsigned long long)r.departures,
           (unsigned long long)sim_events(s));
    if (x.n_taken != c->n_taken)
        fail_msg("%s: %zu taken by sessions; expected %zu", c->name, x.n_taken, c->n_taken);
    for (size_t i = 0; i < c->n_taken; i++)
        if (x.taken_id[i] != c->taken_id[i] || x.taken_t[i] != c->taken_t[i])
            fail_msg("%s: service %zu went to %u at %g; expected %u at %g", c->name, i,
                     x.taken_id[i], x.taken_t[i], c->taken_id[i], c->taken_t[i]);
    if (!(same(r.L, c->L) && same(r.Lq, c->Lq) && same(r.W, c->W) && same(r.Wq, c->Wq) &&
          same(r.utilisation, c->util)))
        fail_msg("%s: L %.17g Lq %.17g W %.17g Wq %.17g util %.17g; expected %.17g %.17g %.17g "
                 "%.17g %.17g",
                 c->name, r.L, r.Lq, r.W, r.Wq, r.utilisation, c->L, c->Lq, c->W, c->Wq, c->util);
    assert_int_equal(r.departures, c->departures);
    assert_true(same(r.throughput_per_day, (double)c->departures / (c->horizon - c->warmup)));
    assert_int_equal(sim_events(s), c->events);
    assert_int_equal(sim_node_queued(s, 0), c->queued_end);
    assert_int_equal(sim_node_count(s, 0), c->count_end);
    assert_int_equal(sim_live(s), c->count_end);
    sim_destroy(s);
    net_fini(&n);
}

static void test_known_answers(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof script_cases / sizeof script_cases[0]; i++)
        run_script_case(&script_cases[i]);
}

/* ---- theory: the unlimited session --------------------------------------- */

/*
 * Poisson arrivals at lam into sessions every tau days taking everyone, with
 * no service: an arrival's position in its interval is uniform, so its wait
 * to the next session is uniform on (0, tau): Wq = tau / 2 = 3.5 days, and by
 * Little's law Lq = lam tau / 2. Nobody is left over, so the state empties
 * at each session and there is no transient beyond the first interval.
 */
static void test_unlimited_weekly_wait_is_half_the_interval(void **state)
{
    (void)state;
    const double lam = 2.0, tau = 7.0;
    enum { REPS = 20 };
    net n;
    build_panel(&n, lam, tau, tau, 0, 0.0, 0.0);
    sim_node_result r[REPS];
    run_reps(&n, NULL, 100 * tau, 2100 * tau, 21, REPS, r);
    const double want[N_METRICS] = {lam * tau / 2, lam * tau / 2, tau / 2, tau / 2, NAN, lam};
    expect_metrics("weekly-unlimited", r, REPS, want);
    net_fini(&n);
}

/* ---- theory: the bulk-service chain --------------------------------------- */

/*
 * With capacity K the leftover after session k, R_k, is a Markov chain:
 * X_{k+1} = R_k + A (A ~ Poisson(a), a = lam tau, arrivals in one interval)
 * are waiting just before the next session, which leaves
 * R_{k+1} = max(0, X_{k+1} - K). It is positive recurrent iff a < K.
 *
 * chain_solve iterates the law of R from R_0 = 0 (the empty start) on states
 * 0 .. n-1, the mass that would pass n-1 being kept there and reported (it
 * must be negligible), until successive laws differ by under 1e-14 in total
 * variation. It returns E[R], the mean after `warm` steps from empty (the
 * transient a warm-up of that many sessions leaves), and E[min(X, K)], the
 * mean taken per session, which must equal a (flow balance: a check of the
 * solver, as is K = 1, where E[R] = a^2 / (2 (1 - a)) as for M/D/1).
 */
typedef struct chain {
    double mean_leftover; /* E[R] stationary */
    double mean_at_warm;  /* E[R_warm] from R_0 = 0 */
    double mean_taken;    /* E[min(R + A, K)] stationary */
    double top_mass;      /* probability held in the last (truncation) state */
    unsigned long iters;  /* steps to stationarity */
} chain;

enum { CHAIN_STATES = 400 };

static chain chain_solve(double a, unsigned K, unsigned long warm)
{
    size_t amax = (size_t)ceil(a + 40.0 * sqrt(a) + 40.0); /* Poisson tail < 1e-30 */
    double *pa = calloc(amax + 1, sizeof *pa), pi[CHAIN_STATES] = {1.0}, next[CHAIN_STATES];
    assert_non_null(pa);
    for (size_t k = 0; k <= amax; k++)
        pa[k] = gsl_ran_poisson_pdf((unsigned)k, a);
    chain c = {0};
    for (c.iters = 1; c.iters < 1000000; c.iters++) {
        memset(next, 0, sizeof next);
        for (size_t r = 0; r < CHAIN_STATES; r++)
            for (size_t k = 0; pi[r] > 0.0 && k <= amax; k++) {
                size_t x = r + k, to = x > K ? x - K : 0;
                next[to < CHAIN_STATES ? to : CHAIN_STATES - 1] += pi[r] * pa[k];
            }
        /* Renormalised each step: the pmf's rounding (~1e-13 in total) would
         * otherwise compound over the steps into the mass and the means. */
        double tv = 0.0, mean = 0.0, mass = 0.0;
        for (size_t r = 0; r < CHAIN_STATES; r++)
            mass += next[r];
        for (size_t r = 0; r < CHAIN_STATES; r++) {
            next[r] /= mass;
            tv += fabs(next[r] - pi[r]);
            mean += (double)r * next[r];
            pi[r] = next[r];
        }
        if (c.iters == warm)
            c.mean_at_warm = mean;
        c.mean_leftover = mean;
        if (tv < 1e-14 && c.iters > warm)
            break;
    }
    for (size_t r = 0; r < CHAIN_STATES; r++)
        for (size_t k = 0; k <= amax; k++)
            c.mean_taken += pi[r] * pa[k] * (double)(r + k < K ? r + k : K);
    c.top_mass = pi[CHAIN_STATES - 1];
    free(pa);
    return c;
}

typedef struct bulk_case {
    const char *name;
    double lam, tau, svc; /* per day, days, days */
    unsigned K;
    size_t reps;
    double sessions; /* per replication, after the warm-up */
} bulk_case;

/*
 * Theory of the window averages, from the chain (sessions are instants):
 * on (t_k, t_k + tau) the number waiting is R_k plus the arrivals since t_k,
 * lam u on average at t_k + u, so
 *   Lq = E[R] + a / 2,  Wq = Lq / lam (Little),
 *   L = Lq + lam svc,  W = Wq + svc (everyone taken is served svc days),
 *   utilisation = E[min(X, K)] / K = a / K, throughput = lam.
 */
static void run_bulk_case(const bulk_case *b)
{
    const double a = b->lam * b->tau;
    const unsigned long warm = 500;
    chain c = chain_solve(a, b->K, warm);
    double resid = fabs(c.mean_at_warm - c.mean_leftover) / c.mean_leftover;
    printf("== %s: a = %g per session, K = %u: E[leftover] %.9g (%lu steps), transient after "
           "%lu sessions %.2g, truncation mass %.2g, taken per session %.9g\n",
           b->name, a, b->K, c.mean_leftover, c.iters, warm, resid, c.top_mass, c.mean_taken);
    /* The solver's own checks: converged, untruncated, flow balanced, and the
     * warm-up leaves no transient worth mentioning. */
    assert_true(c.iters < 1000000);
    assert_true(c.top_mass < 1e-30);
    assert_true(fabs(c.mean_taken - a) < 1e-9 * a);
    assert_true(resid < 1e-5);
    if (b->K == 1)
        assert_true(fabs(c.mean_leftover - a * a / (2 * (1 - a))) < 1e-9);

    net n;
    build_panel(&n, b->lam, b->tau, b->tau, b->K, b->svc, 0.0);
    sim_node_result r[MAX_REPS];
    assert_true(b->reps <= MAX_REPS);
    double warmup = (double)warm * b->tau;
    run_reps(&n, NULL, warmup, warmup + b->sessions * b->tau, 31, b->reps, r);
    double lq = c.mean_leftover + a / 2, wq = lq / b->lam;
    const double want[N_METRICS] = {lq + b->lam * b->svc, lq, wq + b->svc, wq, a / b->K, b->lam};
    expect_metrics(b->name, r, b->reps, want);
    net_fini(&n);
}

static void test_bulk_service_chain(void **state)
{
    (void)state;
    static const bulk_case cases[] = {
        {"panel-K20", 2.5, 7.0, 0.5, 20, 20, 4000},      /* a = 17.5, 87.5% of places */
        {"panel-K5", 0.6, 7.0, 0.0, 5, 40, 25000},       /* a = 4.2, 84% */
        {"panel-K1", 0.8 / 7.0, 7.0, 1.0, 1, 40, 80000}, /* a = 0.8: E[R] = 1.6 exactly */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        run_bulk_case(&cases[i]);
}

/* ---- theory: reneging before the session ---------------------------------- */

/*
 * Unlimited sessions every tau days, no service, and each arrival gives up
 * (sim_withdraw) after an exponential patience P of rate theta if no session
 * has taken it. Its time to the next session V is uniform on (0, tau) and
 * independent of P, so with q = E[e^(-theta V)] = (1 - e^(-theta tau)) /
 * (theta tau):
 *   P(gives up) = P(P < V) = 1 - q
 *   W  = E[min(P, V)] = (1 - q) / theta   (every departure, withdrawals included)
 *   L  = Lq = lam W (Little), throughput = lam
 *   Wq = E[V | V <= P] = E[V e^(-theta V)] / q
 *      = (1 - e^(-theta tau) (1 + theta tau)) / (theta (1 - e^(-theta tau)))
 * (Wq counts only those a session took).
 */
typedef struct renege_ctx {
    gsl_rng *patience;
    double theta;
    uint64_t created, reneged, left;
} renege_ctx;

enum { EV_RENEGE = SIM_EV_USER + 2 };

static int renege_create(void *ctx, sim *s, sim_entity *e)
{
    renege_ctx *c = ctx;
    c->created++;
    return sim_schedule(s, sim_now(s) + gsl_ran_exponential(c->patience, 1.0 / c->theta), EV_RENEGE,
                        e, 0);
}

static int renege_event(void *ctx, sim *s, const heap_event *ev)
{
    renege_ctx *c = ctx;
    sim_entity *e = ev->subject;
    if (e->epoch != ev->epoch || e->in_service)
        return 0; /* a session took it first */
    c->reneged++;
    int rc = sim_withdraw(s, e);
    return rc != 0 ? rc : sim_send(s, e, NET_EXIT);
}

static void renege_leave(void *ctx, sim *s, sim_entity *e)
{
    (void)s;
    (void)e;
    ((renege_ctx *)ctx)->left++;
}

static void test_withdraw_before_the_session(void **state)
{
    (void)state;
    const double lam = 2.0, tau = 7.0, theta = 0.2;
    enum { REPS = 20 };
    net n;
    build_panel(&n, lam, tau, tau, 0, 0.0, 0.0);
    renege_ctx c = {.patience = gsl_rng_alloc(gsl_rng_mt19937), .theta = theta};
    assert_non_null(c.patience);
    sim_hooks h = {
        .ctx = &c, .on_create = renege_create, .on_event = renege_event, .on_leave = renege_leave};
    err_info e;
    sim *s = sim_create(&n, sizeof(sim_entity), &h, &e);
    assert_non_null(s);
    sim_node_result r[REPS];
    double gave_up[REPS];
    for (uint32_t i = 0; i < REPS; i++) {
        gsl_rng_set(c.patience, 7000 + i);
        c.created = c.reneged = c.left = 0;
        sim_options o = opts(100 * tau, 2100 * tau, 41, i);
        assert_int_equal(sim_run(s, &o, &e), 0);
        sim_node_result_get(s, 0, &r[i]);
        gave_up[i] = (double)c.reneged / (double)c.created;
        /* Conservation, and Little's law on the window with withdrawals as departures. */
        assert_int_equal(c.created, sim_created(s));
        assert_int_equal(c.created, c.left + sim_live(s));
        assert_int_equal(sim_live(s), sim_node_count(s, 0));
        assert_true(fabs(r[i].L - r[i].throughput_per_day * r[i].W) < 0.01 * r[i].L);
    }
    double q = (1 - exp(-theta * tau)) / (theta * tau);
    double w = (1 - q) / theta;
    double wq = (1 - exp(-theta * tau) * (1 + theta * tau)) / (theta * (1 - exp(-theta * tau)));
    const double want[N_METRICS] = {lam * w, lam * w, w, wq, NAN, lam};
    expect_metrics("weekly-renege", r, REPS, want);
    expect_ci("weekly-renege gave up", gave_up, REPS, 1 - q);
    sim_destroy(s);
    gsl_rng_free(c.patience);
    net_fini(&n);
}

/* ---- theory: feedback joins the next session ------------------------------ */

/*
 * Unlimited sessions, no service, and a fraction p of those a session takes
 * come straight back (the panel defers the case a week). They return at the
 * session's instant, after it fired, so they wait exactly one interval: a
 * first visit waits tau / 2 on average, a return tau. Visits per day are
 * lam / (1 - p), of which lam are first visits:
 *   Lq = lam tau / 2 + lam p / (1 - p) tau,   Wq = Lq (1 - p) / lam
 *      = (1 - p) tau / 2 + p tau,             throughput = lam / (1 - p).
 * A zero-time loop that rejoined the same session would never end; this test
 * would hang instead of passing.
 */
static void test_feedback_waits_for_the_next_session(void **state)
{
    (void)state;
    const double lam = 2.0, tau = 7.0, p = 0.3;
    enum { REPS = 20 };
    net n;
    build_panel(&n, lam, tau, tau, 0, 0.0, p);
    sim_node_result r[REPS];
    run_reps(&n, NULL, 100 * tau, 2100 * tau, 51, REPS, r);
    double lq = lam * tau / 2 + lam * p / (1 - p) * tau;
    const double want[N_METRICS] = {
        lq, lq, (1 - p) * tau / 2 + p * tau, (1 - p) * tau / 2 + p * tau, NAN, lam / (1 - p)};
    expect_metrics("weekly-feedback", r, REPS, want);
    net_fini(&n);
}

/* ---- the validation scenario, through the loader and two threads ---------- */

static void test_weekly_panel_file(void **state)
{
    (void)state;
    const char *root = getenv("CASEFLOW_ROOT");
    char path[4096];
    snprintf(path, sizeof path, "%s/scenarios/validation/weekly-panel.cfg", root ? root : ".");
    scenario sc;
    err_info e;
    err_clear(&e);
    if (scenario_load(&sc, path, &e) != 0)
        fail_msg("%s: %s", path, e.text);
    assert_int_equal(sc.net.n_nodes, 1);
    const net_node *nd = &sc.net.nodes[0];
    assert_true(nd->session_every == 7.0 && nd->session_first == 7.0);
    netmodel m;
    assert_int_equal(netmodel_init(&m, &sc, &e), 0);
    rep_model rm = netmodel_rep(&m);
    rep_options o = {.replications = sc.replications, .jobs = 2};
    size_t reps = sc.replications;
    assert_true(reps <= MAX_REPS && rm.n_metrics == NETMODEL_PER_NODE);
    double *x = calloc(reps * NETMODEL_PER_NODE, sizeof *x);
    assert_non_null(x);
    if (rep_run(&rm, &o, x, &e) != 0)
        fail_msg("%s: %s", path, e.text);
    /* The values the file's comment states. */
    const double want[N_METRICS] = {8.0, 7.0, 4.0, 3.5, 14.0 / 60.0, 2.0};
    for (int k = 0; k < N_METRICS; k++) {
        double v[MAX_REPS];
        for (size_t i = 0; i < reps; i++)
            v[i] = x[i * NETMODEL_PER_NODE + (size_t)k];
        char label[64];
        snprintf(label, sizeof label, "weekly-panel.cfg %s", metric_name[k]);
        expect_ci(label, v, reps, want[k]);
    }
    /* Offered load, computed: 2 arrivals/day * 7 days per session / 60 places. */
    for (size_t i = 0; i < reps; i++)
        assert_float_equal(x[i * NETMODEL_PER_NODE + NETMODEL_SIMULATED], 14.0 / 60.0, 1e-12);
    free(x);
    netmodel_fini(&m);
    scenario_free(&sc);
}

/* ---- common random numbers and reproducibility ---------------------------- */

/* Same seed, same bits; and sessions draw nothing, so adding a capacity (or
 * changing the calendar) leaves the arrival stream as it was: the count of
 * arrivals over the run is the same. */
static void test_reproducible(void **state)
{
    (void)state;
    net n1, n2;
    build_panel(&n1, 2.5, 7.0, 7.0, 20, 0.5, 0.0);
    build_panel(&n2, 2.5, 3.0, 14.0, 0, 0.5, 0.0);
    err_info e;
    sim *s1 = sim_create(&n1, sizeof(sim_entity), NULL, &e);
    sim *s2 = sim_create(&n2, sizeof(sim_entity), NULL, &e);
    assert_true(s1 != NULL && s2 != NULL);
    sim_node_result a, b;
    sim_options o = opts(70, 7070, 3, 5);
    assert_int_equal(sim_run(s1, &o, &e), 0);
    sim_node_result_get(s1, 0, &a);
    uint64_t created = sim_created(s1);
    assert_int_equal(sim_run(s1, &o, &e), 0);
    sim_node_result_get(s1, 0, &b);
    assert_memory_equal(&a, &b, sizeof a);
    assert_int_equal(sim_run(s2, &o, &e), 0);
    assert_int_equal(sim_created(s2), created);
    sim_destroy(s1);
    sim_destroy(s2);
    net_fini(&n1);
    net_fini(&n2);
}

/* ---- errors ---------------------------------------------------------------- */

typedef struct bad_sessions {
    uint32_t node;
    double first, every;
    const char *want; /* in the message */
} bad_sessions;

static void test_invalid_sessions(void **state)
{
    (void)state;
    static const bad_sessions cases[] = {
        {0, 7.0, 0.0, "node 'P': sessions every 0 days; expected a finite interval > 0"},
        {0, 7.0, -7.0, "node 'P': sessions every -7 days; expected a finite interval > 0"},
        {0, 7.0, NAN, "node 'P': sessions every nan days; expected a finite interval > 0"},
        {0, 7.0, INFINITY, "node 'P': sessions every inf days; expected a finite interval > 0"},
        {0, -1.0, 7.0, "node 'P': first session at day -1; expected a finite day >= 0"},
        {0, NAN, 7.0, "node 'P': first session at day nan; expected a finite day >= 0"},
        {0, INFINITY, 7.0, "node 'P': first session at day inf; expected a finite day >= 0"},
        {1, 7.0, 7.0, "node 'Q': 3 servers on a session node; expected servers = 0"},
        {2, 7.0, 7.0, "sessions for node 2 of 2; expected a node"},
    };
    net n;
    err_info e;
    dist d;
    net_init(&n);
    assert_int_equal(dist_init_deterministic(&d, 0.0, &e), 0);
    assert_int_equal(net_add_node(&n, "P", 0, &d, NULL, &e), 0);
    assert_int_equal(dist_init_deterministic(&d, 0.0, &e), 0);
    assert_int_equal(net_add_node(&n, "Q", 3, &d, NULL, &e), 0);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const bad_sessions *c = &cases[i];
        err_clear(&e);
        assert_int_equal(net_set_sessions(&n, c->node, c->first, c->every, 5, &e), ERR_INPUT);
        assert_int_equal(e.code, ERR_INPUT);
        if (strstr(e.text, c->want) == NULL)
            fail_msg("case %zu: message \"%s\" lacks \"%s\"", i, e.text, c->want);
        /* The net is unchanged. */
        assert_true(n.nodes[0].session_every == 0.0 && n.nodes[0].session_capacity == 0);
        assert_true(n.nodes[1].session_every == 0.0);
    }
    assert_int_equal(net_validate(&n, &e), 0);

    /* A second call replaces the first. */
    assert_int_equal(net_set_sessions(&n, 0, 1.0, 7.0, 5, &e), 0);
    assert_int_equal(net_set_sessions(&n, 0, 0.0, 14.0, 0, &e), 0);
    assert_true(n.nodes[0].session_first == 0.0 && n.nodes[0].session_every == 14.0 &&
                n.nodes[0].session_capacity == 0);
    assert_int_equal(net_validate(&n, &e), 0);

    /* Fields edited by hand are checked by net_validate. */
    n.nodes[0].servers = 2;
    assert_int_equal(net_validate(&n, &e), ERR_INPUT);
    assert_non_null(strstr(e.text, "node 'P': 2 servers on a session node"));
    n.nodes[0].servers = 0;
    n.nodes[0].session_every = NAN;
    assert_int_equal(net_validate(&n, &e), ERR_INPUT);
    assert_non_null(strstr(e.text, "sessions every nan days"));
    n.nodes[0].session_every = 0.0;
    n.nodes[0].session_capacity = 4;
    assert_int_equal(net_validate(&n, &e), ERR_INPUT);
    assert_non_null(strstr(e.text, "node 'P': a first session or a session capacity without "
                                   "sessions; expected session_every > 0"));
    net_fini(&n);
}

int main(void)
{
    gsl_set_error_handler_off();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_known_answers),
        cmocka_unit_test(test_unlimited_weekly_wait_is_half_the_interval),
        cmocka_unit_test(test_bulk_service_chain),
        cmocka_unit_test(test_withdraw_before_the_session),
        cmocka_unit_test(test_feedback_waits_for_the_next_session),
        cmocka_unit_test(test_weekly_panel_file),
        cmocka_unit_test(test_reproducible),
        cmocka_unit_test(test_invalid_sessions),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
