/* test_sim — the event loop: reproducibility, conservation, common random
 * numbers across networks, deterministic known answers, warm-up window,
 * limits, interruption, and model hooks (event order, FIFO ties). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "net.h"
#include "sim.h"

/* A one-node network: source at rate lam into node "A" with c servers and
 * exponential(es) service; if downstream, A routes everyone to "B" (unlimited,
 * deterministic 2 days). */
static void build(net *n, double lam, double es, unsigned c, int downstream)
{
    err_info e;
    dist d;
    net_init(n);
    assert_int_equal(dist_init_exponential(&d, es, &e), 0);
    assert_int_equal(net_add_node(n, "A", c, &d, NULL, &e), 0);
    if (downstream) {
        assert_int_equal(dist_init_deterministic(&d, 2.0, &e), 0);
        assert_int_equal(net_add_node(n, "B", 0, &d, NULL, &e), 0);
        assert_int_equal(net_add_route(n, 0, 1, 1.0, &e), 0);
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

static void run_A(const net *n, sim_options o, sim_node_result *r)
{
    err_info e;
    sim *s = sim_create(n, sizeof(sim_entity), NULL, &e);
    assert_non_null(s);
    assert_int_equal(sim_run(s, &o, &e), 0);
    sim_node_result_get(s, 0, r);
    sim_destroy(s);
}

static void test_same_seed_same_bits(void **state)
{
    (void)state;
    net n;
    build(&n, 4.0, 0.2, 1, 0);
    sim_node_result a, b, c;
    run_A(&n, opts(10, 1000, 5, 0), &a);
    run_A(&n, opts(10, 1000, 5, 0), &b);
    run_A(&n, opts(10, 1000, 5, 1), &c);
    assert_memory_equal(&a, &b, sizeof a);
    assert_true(a.L != c.L); /* another replication is another sample path */
    net_fini(&n);
}

/* Common random numbers: adding a downstream node leaves node A's sample path
 * untouched, bit for bit. */
static void test_crn_survives_a_new_node(void **state)
{
    (void)state;
    net n1, n2;
    build(&n1, 4.0, 0.2, 1, 0);
    build(&n2, 4.0, 0.2, 1, 1);
    sim_node_result a, b;
    run_A(&n1, opts(10, 1000, 9, 3), &a);
    run_A(&n2, opts(10, 1000, 9, 3), &b);
    assert_memory_equal(&a, &b, sizeof a);
    net_fini(&n1);
    net_fini(&n2);
}

/* A deterministic unlimited node: every visit lasts exactly its duration. */
static void test_deterministic_known_answer(void **state)
{
    (void)state;
    net n;
    err_info e;
    build(&n, 3.0, 0.5, 0, 1);
    sim *s = sim_create(&n, sizeof(sim_entity), NULL, &e);
    sim_options o = opts(100, 5100, 1, 0);
    assert_int_equal(sim_run(s, &o, &e), 0);
    sim_node_result b;
    sim_node_result_get(s, 1, &b);
    assert_true(fabs(b.W - 2.0) < 1e-12);
    assert_true(b.Wq == 0.0 && b.Lq == 0.0);
    assert_true(isnan(b.utilisation));
    /* Throughput over 5000 days of a rate-3 Poisson stream: within 5 sd. */
    assert_true(fabs(b.throughput_per_day - 3.0) < 5.0 * sqrt(3.0 / 5000.0));
    sim_destroy(s);
    net_fini(&n);
}

typedef struct trace {
    uint32_t fired[64];
    size_t n;
    uint64_t created, left;
} trace;

static int on_start(void *ctx, sim *s)
{
    (void)ctx;
    /* Scheduled out of time order on purpose. */
    for (uint32_t k = 0; k < 3; k++)
        if (sim_schedule(s, 1.0, SIM_EV_USER, NULL, k) != 0)
            return -1;
    return sim_schedule(s, 0.5, SIM_EV_USER + 1, NULL, 50);
}

static int on_create(void *ctx, sim *s, sim_entity *e)
{
    (void)s;
    (void)e;
    ((trace *)ctx)->created++;
    return 0;
}

static void on_leave(void *ctx, sim *s, sim_entity *e)
{
    (void)s;
    (void)e;
    ((trace *)ctx)->left++;
}

static int on_event(void *ctx, sim *s, const heap_event *ev)
{
    trace *t = ctx;
    if (t->n < 64)
        t->fired[t->n++] = ev->arg;
    /* The first event at t=1 schedules three more at the same instant: they
     * fire after those already scheduled for that instant, in their order. */
    if (ev->arg == 0)
        for (uint32_t k = 100; k < 103; k++)
            if (sim_schedule(s, sim_now(s), SIM_EV_USER, NULL, k) != 0)
                return -1;
    return 0;
}

static void test_model_events_in_time_then_fifo_order(void **state)
{
    (void)state;
    net n;
    err_info e;
    build(&n, 2.0, 0.3, 1, 1);
    trace t;
    memset(&t, 0, sizeof t);
    sim_hooks h = {.ctx = &t,
                   .on_start = on_start,
                   .on_event = on_event,
                   .on_create = on_create,
                   .on_leave = on_leave};
    sim *s = sim_create(&n, sizeof(sim_entity), &h, &e);
    assert_non_null(s);
    sim_options o = opts(0, 500, 3, 0);
    assert_int_equal(sim_run(s, &o, &e), 0);
    const uint32_t want[] = {50, 0, 1, 2, 100, 101, 102};
    assert_int_equal(t.n, 7);
    assert_memory_equal(t.fired, want, sizeof want);
    /* Conservation: every entity created has left or is still inside. */
    assert_true(t.created > 500);
    assert_int_equal(t.created, sim_created(s));
    assert_int_equal(t.created, t.left + sim_live(s));
    sim_destroy(s);
    net_fini(&n);
}

/* A hook's failure stops the run with its code. */
static int failing_start(void *ctx, sim *s)
{
    (void)ctx;
    return sim_error(s, ERR_INPUT, "model refused to start");
}

static void test_hook_failure_propagates(void **state)
{
    (void)state;
    net n;
    err_info e;
    build(&n, 2.0, 0.3, 1, 0);
    sim_hooks h = {.on_start = failing_start};
    sim *s = sim_create(&n, sizeof(sim_entity), &h, &e);
    sim_options o = opts(0, 10, 3, 0);
    assert_int_equal(sim_run(s, &o, &e), ERR_INPUT);
    assert_string_equal(e.text, "model refused to start");
    sim_destroy(s);
    net_fini(&n);
}

static void test_limit_stops_unbounded_queue(void **state)
{
    (void)state;
    net n;
    err_info e;
    build(&n, 10.0, 1.0, 1, 0); /* rho = 10 */
    sim *s = sim_create(&n, sizeof(sim_entity), NULL, &e);
    sim_options o = opts(0, 1e6, 1, 0);
    o.max_live = 5000;
    assert_int_equal(sim_run(s, &o, &e), ERR_LIMIT);
    assert_non_null(strstr(e.text, "growing without bound"));
    assert_true(sim_live(s) <= 5000);
    /* The same sim runs again cleanly afterwards. */
    o = opts(0, 100, 1, 0);
    assert_int_equal(sim_run(s, &o, &e), 0);
    sim_destroy(s);
    net_fini(&n);
}

static void test_stop_flag_interrupts(void **state)
{
    (void)state;
    net n;
    err_info e;
    build(&n, 10.0, 0.05, 1, 0);
    sim *s = sim_create(&n, sizeof(sim_entity), NULL, &e);
    volatile sig_atomic_t stop = 1;
    sim_options o = opts(0, 1e5, 1, 0);
    o.stop = &stop;
    assert_int_equal(sim_run(s, &o, &e), ERR_INTERRUPT);
    assert_non_null(strstr(e.text, "interrupted"));
    sim_destroy(s);
    net_fini(&n);
}

/*
 * Reneging through sim_withdraw, against theory: M/M/c+M (Erlang-A), where
 * each waiting customer gives up after an exponential patience. The number in
 * the system is a birth-death chain with birth rate lam and death rate
 * min(n, c) mu + max(n - c, 0) theta, so its mean is exact from the chain's
 * stationary distribution; the model samples patience on arrival and
 * withdraws a customer still waiting when it runs out.
 */
typedef struct renege_ctx {
    gsl_rng *patience;
    double theta;
    uint64_t reneged;
} renege_ctx;

enum { EV_RENEGE = SIM_EV_USER + 1 };

static int renege_on_create(void *ctx, sim *s, sim_entity *e)
{
    renege_ctx *c = ctx;
    return sim_schedule(s, sim_now(s) + gsl_ran_exponential(c->patience, 1.0 / c->theta), EV_RENEGE,
                        e, 0);
}

static int renege_on_event(void *ctx, sim *s, const heap_event *ev)
{
    renege_ctx *c = ctx;
    sim_entity *e = ev->subject;
    /* The event's epoch is the entity's at arrival at its node: it is
     * stale once the entity left; while waiting, in_service is 0. */
    if (e->epoch != ev->epoch || e->in_service)
        return 0;
    c->reneged++;
    int rc = sim_withdraw(s, e);
    return rc != 0 ? rc : sim_send(s, e, NET_EXIT);
}

static double erlang_a_L(double lam, double mu, unsigned c, double theta)
{
    double p = 1.0, sum = 1.0, mean = 0.0;
    for (unsigned n = 1; n < 2000; n++) {
        double death = (n < c ? n : c) * mu + (n > c ? n - c : 0) * theta;
        p *= lam / death;
        sum += p;
        mean += n * p;
    }
    return mean / sum;
}

static void test_withdraw_reneging_matches_erlang_a(void **state)
{
    (void)state;
    net n;
    err_info e;
    const double lam = 4.0, es = 1.0, theta = 0.5;
    const unsigned c = 3;
    build(&n, lam, es, c, 0); /* rho = 4/3: stable only because customers give up */
    renege_ctx ctx = {.patience = gsl_rng_alloc(gsl_rng_mt19937), .theta = theta};
    sim_hooks h = {.ctx = &ctx, .on_create = renege_on_create, .on_event = renege_on_event};
    sim *s = sim_create(&n, sizeof(sim_entity), &h, &e);
    assert_non_null(s);
    enum { REPS = 20 };
    double x[REPS], sum = 0.0, sum2 = 0.0;
    for (uint32_t r = 0; r < REPS; r++) {
        gsl_rng_set(ctx.patience, 1000 + r);
        sim_options o = opts(200, 20200, 11, r);
        assert_int_equal(sim_run(s, &o, &e), 0);
        sim_node_result nr;
        sim_node_result_get(s, 0, &nr);
        x[r] = nr.L;
        sum += x[r];
        /* Little's law with reneges counted as departures. */
        assert_true(fabs(nr.L - nr.throughput_per_day * nr.W) < 0.02 * nr.L);
    }
    double mean = sum / REPS;
    for (uint32_t r = 0; r < REPS; r++)
        sum2 += (x[r] - mean) * (x[r] - mean);
    double hw = 3.88 * sqrt(sum2 / (REPS - 1) / REPS); /* t(0.9995, 19) */
    double want = erlang_a_L(lam, 1.0 / es, c, theta);
    if (fabs(mean - want) > hw || hw > 0.03 * want)
        fail_msg("Erlang-A L: simulated %.4f +- %.4f, theory %.4f", mean, hw, want);
    assert_true(ctx.reneged > 1000);
    /* Without reneging the queue would grow: a test that withdraw did the work. */
    assert_true(want < 10.0);
    sim_destroy(s);
    gsl_rng_free(ctx.patience);
    net_fini(&n);
}

/* A model-made entity joins like an arrival and is counted as live. */
static int spawn_start(void *ctx, sim *s)
{
    (void)ctx;
    for (int i = 0; i < 5; i++) {
        sim_entity *e;
        int rc = sim_spawn(s, NET_NONE, &e);
        if (rc != 0)
            return rc;
        assert_int_equal(e->source, NET_NONE);
        assert_int_equal(e->node, NET_NONE);
        if ((rc = sim_send(s, e, 0)) != 0)
            return rc;
    }
    assert_int_equal(sim_node_count(s, 0), 5);
    assert_int_equal(sim_node_queued(s, 0), 4);
    return 0;
}

static void test_spawn_from_model(void **state)
{
    (void)state;
    net n;
    err_info e;
    build(&n, 0.0, 1.0, 1, 0); /* no external arrivals */
    sim_hooks h = {.on_start = spawn_start};
    sim *s = sim_create(&n, sizeof(sim_entity), &h, &e);
    sim_options o = opts(0, 1000, 1, 0);
    assert_int_equal(sim_run(s, &o, &e), 0);
    assert_int_equal(sim_created(s), 5);
    assert_int_equal(sim_live(s), 0);
    sim_node_result nr;
    sim_node_result_get(s, 0, &nr);
    assert_int_equal(nr.departures, 5);
    /* The limit applies to spawned entities too. */
    o.max_live = 3;
    assert_int_equal(sim_run(s, &o, &e), ERR_LIMIT);
    sim_destroy(s);
    net_fini(&n);
}

/* The pool hands back entities as their last user left them: the engine
 * must still give on_create zeroed attributes and a clean header. */
typedef struct scribbled {
    sim_entity base;
    uint64_t attr[5];
} scribbled;

typedef struct scribble_ctx {
    uint64_t created, dirty;
} scribble_ctx;

static int scribble_on_create(void *ctx, sim *s, sim_entity *e)
{
    (void)s;
    scribble_ctx *c = ctx;
    scribbled *x = (scribbled *)e;
    c->created++;
    for (size_t i = 0; i < 5; i++)
        c->dirty += x->attr[i] != 0;
    c->dirty += e->prev != NULL || e->next != NULL || e->in_service != 0 || e->node != NET_NONE;
    memset(x->attr, 0xa5, sizeof x->attr);
    return 0;
}

static void test_reused_entities_start_clean(void **state)
{
    (void)state;
    net n;
    err_info e;
    build(&n, 2.0, 0.25, 1, 0);
    scribble_ctx c = {0, 0};
    sim_hooks h = {.ctx = &c, .on_create = scribble_on_create};
    sim *s = sim_create(&n, sizeof(scribbled), &h, &e);
    assert_non_null(s);
    sim_options o = opts(0, 500, 3, 0);
    assert_int_equal(sim_run(s, &o, &e), 0);
    assert_true(c.created > 500); /* far more than ever live at once: reuse happened */
    assert_true(sim_peak_live(s) < c.created / 2);
    assert_int_equal(c.dirty, 0);
    sim_destroy(s);
    net_fini(&n);
}

int main(void)
{
    gsl_set_error_handler_off();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_seed_same_bits),
        cmocka_unit_test(test_crn_survives_a_new_node),
        cmocka_unit_test(test_deterministic_known_answer),
        cmocka_unit_test(test_model_events_in_time_then_fifo_order),
        cmocka_unit_test(test_hook_failure_propagates),
        cmocka_unit_test(test_limit_stops_unbounded_queue),
        cmocka_unit_test(test_stop_flag_interrupts),
        cmocka_unit_test(test_withdraw_reneging_matches_erlang_a),
        cmocka_unit_test(test_spawn_from_model),
        cmocka_unit_test(test_reused_entities_start_clean),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
