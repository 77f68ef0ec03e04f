/*
 * bench_engine — `make bench`: raw engine speed on the M/M/c workload of the
 * engine issue (lambda = 9.5/day, c = 10, exponential service of mean 1 day),
 * at least 1,000,000 customers per replication. Reports events/second and
 * customers/second for one thread and for two, and peak memory.
 *
 * A benchmark, not a test: it asserts nothing about time, so a slow or busy
 * machine never fails the build. Numbers go in the README with the machine.
 */
#include <gsl/gsl_errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>

#include "net.h"
#include "rep.h"
#include "sim.h"

enum { CUSTOMERS = 2000000 };
static const double LAMBDA = 9.5, MEAN_SERVICE = 1.0;
static const unsigned SERVERS = 10;

typedef struct bench_ctx {
    const net *n;
    double horizon;
    uint64_t events[64];
    uint64_t created[64];
} bench_ctx;

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static void *worker_create(void *ctx, err_info *e)
{
    bench_ctx *b = ctx;
    return sim_create(b->n, sizeof(sim_entity), NULL, e);
}

static void worker_destroy(void *w)
{
    sim_destroy(w);
}

/* The worker has no way back to ctx, so results ride in out[]. */
static int run_one(void *w, uint32_t rep, double *out, err_info *e)
{
    sim_options o = {.warmup_days = 0.0,
                     .horizon_days = out[0],
                     .seed = 1,
                     .replication = rep,
                     .max_live = 0,
                     .stop = NULL};
    int rc = sim_run(w, &o, e);
    out[1] = (double)sim_events(w);
    out[2] = (double)sim_created(w);
    return rc;
}

static int measure(const net *n, unsigned jobs, double horizon)
{
    rep_model m = {.n_metrics = 3,
                   .ctx = NULL,
                   .worker_create = worker_create,
                   .worker_destroy = worker_destroy,
                   .run_one = run_one};
    bench_ctx b = {.n = n, .horizon = horizon};
    m.ctx = &b;
    double results[3 * 8];
    for (unsigned r = 0; r < jobs * 2; r++)
        results[3 * r] = horizon;
    rep_options o = {.replications = jobs * 2, .jobs = jobs};
    err_info e;
    double t0 = now_s();
    if (rep_run(&m, &o, results, &e) != 0) {
        fprintf(stderr, "bench: %s\n", e.text);
        return 1;
    }
    double dt = now_s() - t0, events = 0, customers = 0;
    for (unsigned r = 0; r < jobs * 2; r++) {
        events += results[3 * r + 1];
        customers += results[3 * r + 2];
    }
    printf("M/M/c c=%u rho=%.2f, %u thread%s, %u replications: %.0f customers, %.0f events in "
           "%.3f s\n  %.2f million events/s, %.2f million customers/s\n",
           SERVERS, LAMBDA * MEAN_SERVICE / SERVERS, jobs, jobs > 1 ? "s" : "", jobs * 2, customers,
           events, dt, events / dt / 1e6, customers / dt / 1e6);
    return 0;
}

int main(void)
{
    gsl_set_error_handler_off();
    net n;
    err_info e;
    dist d;
    net_init(&n);
    if (dist_init_exponential(&d, MEAN_SERVICE, &e) != 0 ||
        net_add_node(&n, "A", SERVERS, &d, NULL, &e) != 0 ||
        net_add_source(&n, "in", 0, LAMBDA, &e) != 0 || net_validate(&n, &e) != 0) {
        fprintf(stderr, "bench: %s\n", e.text);
        return 1;
    }
    double horizon = CUSTOMERS / LAMBDA;
    int rc = measure(&n, 1, horizon) || measure(&n, 2, horizon);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("peak resident memory: %.1f MiB\n", ru.ru_maxrss / 1024.0);
    net_fini(&n);
    return rc;
}
