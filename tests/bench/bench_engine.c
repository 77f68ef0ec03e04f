/*
 * bench_engine — `make bench`: raw engine speed on the M/M/c workload of the
 * engine issue (lambda = 9.5/day, c = 10, exponential service of mean 1 day),
 * 2,000,000 customers per replication.
 *
 *   bench_engine [all|mmc|jobs|fes|process] [customers]
 *
 *   mmc      one thread: events/s and customers/s (best of 3 runs of 2 replications)
 *   jobs     two threads, 4 replications: throughput and its ratio to one
 *            thread, wall-clock and per CPU second (best of 3 each)
 *   fes      the future-event set alone (hold model: replace the earliest event
 *            by it plus a random increment) at the pending-event counts of
 *            M/M/c (11) and of a council model (thousands to tens of thousands)
 *   process  the real binary ($CASEFLOW_BIN) on an M/M/c scenario of about
 *            1,000,000 customers (about 2,000,000 events): wall time of the
 *            whole process, start-up and output included, and its peak memory
 *
 * A benchmark, not a test: it asserts nothing about time, so a slow or busy
 * machine never fails the build. Times are the best of a few runs (the
 * least disturbed by other processes). Numbers go in the README with the
 * machine.
 */
#include <gsl/gsl_errno.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "dist.h"
#include "heap.h"
#include "net.h"
#include "rep.h"
#include "sim.h"

extern char **environ;

enum { CUSTOMERS = 2000000, PROCESS_CUSTOMERS = 1000000, RUNS = 3 };
static const double LAMBDA = 9.5, MEAN_SERVICE = 1.0;
static const unsigned SERVERS = 10;

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

typedef struct bench_ctx {
    const net *n;
} bench_ctx;

static void *worker_create(void *ctx, err_info *e)
{
    bench_ctx *b = ctx;
    return sim_create(b->n, sizeof(sim_entity), NULL, e);
}

static void worker_destroy(void *w)
{
    sim_destroy(w);
}

/* The worker has no way back to ctx, so the horizon rides in out[0] and the
 * counts come back in out[1], out[2]. */
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

static double cpu_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* seconds: wall; cpu: CPU time of all threads in the same run. Events per
 * CPU second tell whether threads slow each other (shared cache, memory,
 * false sharing): per-core rates equal on one and two threads mean the
 * code scales, and a wall-clock ratio short of 2 is other load on the
 * machine (a thread waiting for a core spends no CPU time). */
typedef struct rate {
    double events, customers, seconds, cpu;
} rate;

/* jobs threads, 2 replications per thread; the best of runs timings. */
static int measure(const net *n, unsigned jobs, double horizon, int runs, rate *best)
{
    bench_ctx b = {.n = n};
    rep_model m = {.n_metrics = 3,
                   .ctx = &b,
                   .worker_create = worker_create,
                   .worker_destroy = worker_destroy,
                   .run_one = run_one};
    double results[3 * 8];
    best->seconds = INFINITY;
    for (int k = 0; k < runs; k++) {
        for (unsigned r = 0; r < jobs * 2; r++)
            results[3 * r] = horizon;
        rep_options o = {.replications = jobs * 2, .jobs = jobs};
        err_info e;
        double t0 = now_s(), c0 = cpu_s();
        if (rep_run(&m, &o, results, &e) != 0) {
            fprintf(stderr, "bench: %s\n", e.text);
            return 1;
        }
        double dt = now_s() - t0, dc = cpu_s() - c0;
        if (dt < best->seconds) {
            *best = (rate){.events = 0, .customers = 0, .seconds = dt, .cpu = dc};
            for (unsigned r = 0; r < jobs * 2; r++) {
                best->events += results[3 * r + 1];
                best->customers += results[3 * r + 2];
            }
        }
    }
    printf("M/M/c c=%u rho=%.2f, %u thread%s, %u replications: %.0f customers, %.0f events in "
           "%.3f s (best of %d)\n  %.2f million events/s, %.2f million customers/s; CPU %.3f s, "
           "%.2f million events per CPU second\n",
           SERVERS, LAMBDA * MEAN_SERVICE / SERVERS, jobs, jobs > 1 ? "s" : "", jobs * 2,
           best->customers, best->events, best->seconds, runs, best->events / best->seconds / 1e6,
           best->customers / best->seconds / 1e6, best->cpu, best->events / best->cpu / 1e6);
    return 0;
}

/* --- the future-event set alone ---------------------------------------- */

enum { FES_OPS = 2000000, FES_INC = 1 << 16 };

/* ns per operation of n pending events, each operation removing the earliest
 * and scheduling one at its time + inc[k] (fused when replace != 0). */
static double fes_hold(size_t n, const double *inc, int replace)
{
    heap h;
    heap_init(&h);
    uint64_t seq = 0;
    for (size_t k = 0; k < n; k++) {
        heap_event ev = {.time = inc[k % FES_INC], .seq_kind = seq++ << HEAP_KIND_BITS};
        if (heap_push(&h, &ev) != 0) {
            heap_fini(&h);
            return NAN;
        }
    }
    double best = INFINITY;
    for (int r = 0; r < RUNS; r++) {
        double t0 = now_s();
        for (long k = 0; k < FES_OPS; k++) {
            heap_event top, ev = {.seq_kind = seq++ << HEAP_KIND_BITS};
            if (replace) {
                ev.time = heap_peek(&h)->time + inc[k % FES_INC];
                heap_replace_top(&h, &ev);
            } else {
                heap_pop(&h, &top);
                ev.time = top.time + inc[k % FES_INC];
                heap_push(&h, &ev);
            }
        }
        double dt = now_s() - t0;
        best = dt < best ? dt : best;
    }
    heap_fini(&h);
    return best / FES_OPS * 1e9;
}

/* Increments: exponential of mean n days (the M/M/c shape: a new event's
 * rank among the pending ones is uniform), or a mixture of exponentials with
 * means from an hour to 20 years (a council model's mix). */
static int fes(void)
{
    static const size_t sizes[] = {11, 1000, 10000, 50000};
    double *inc = malloc(FES_INC * sizeof *inc);
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    if (inc == NULL || r == NULL) {
        free(inc);
        if (r)
            gsl_rng_free(r);
        return 1;
    }
    gsl_rng_set(r, 7);
    printf("future-event set alone, ns per event (remove earliest + schedule one; best of %d):\n",
           RUNS);
    printf("  %-28s %10s %10s\n", "pending events, increments", "replace", "pop+push");
    for (int mixed = 0; mixed < 2; mixed++)
        for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
            double mean = (double)sizes[s];
            for (int k = 0; k < FES_INC; k++) {
                if (mixed)
                    mean = pow(10.0, -1.38 + 5.24 * gsl_rng_uniform(r));
                inc[k] = dist_exponential_draw(r, mean);
            }
            char label[64];
            snprintf(label, sizeof label, "%zu, %s", sizes[s], mixed ? "hour..20 years" : "exp");
            printf("  %-28s %10.1f %10.1f\n", label, fes_hold(sizes[s], inc, 1),
                   fes_hold(sizes[s], inc, 0));
        }
    gsl_rng_free(r);
    free(inc);
    return 0;
}

/* --- the real binary, process start included ---------------------------- */

/* The same M/M/c on a clock ten times faster (arrivals 95/day, services of
 * 0.1 day): scenario horizons stop at 100,000 days, and 1,000,000 customers
 * at 9.5/day would need 105,263. */
static int write_scenario(const char *path, double horizon)
{
    FILE *f = fopen(path, "w");
    if (f == NULL)
        return 1;
    fprintf(f,
            "name = \"bench-mmc\";\nhorizon_days = %.1f;\nwarmup_days = 0.0;\n"
            "replications = 1;\nseed = 1;\n"
            "arrivals = ( { to = \"A\"; rate_per_day = %g; } );\n"
            "nodes = ( { name = \"A\"; servers = %u;\n"
            "  service = { dist = \"exponential\"; mean = %g; };\n"
            "  routes = ( { to = \"exit\"; p = 1.0; } ); } );\n",
            horizon, 10 * LAMBDA, SERVERS, MEAN_SERVICE / 10);
    return fclose(f) != 0;
}

/* Runs argv to completion; wall seconds from spawn to exit, and the peak RSS
 * of the largest child so far (all are the same run). */
static int spawn_timed(char *const argv[], double *seconds, long *maxrss_kib)
{
    pid_t pid;
    posix_spawn_file_actions_t fa;
    if (posix_spawn_file_actions_init(&fa) != 0)
        return 1;
    /* Its messages would clutter the report. */
    int rc = posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    if (rc == 0)
        rc = posix_spawn_file_actions_adddup2(&fa, 1, 2);
    double t0 = now_s();
    if (rc == 0)
        rc = posix_spawn(&pid, argv[0], &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    if (rc != 0)
        return 1;
    int status;
    if (waitpid(pid, &status, 0) != pid)
        return 1;
    *seconds = now_s() - t0;
    struct rusage ru;
    getrusage(RUSAGE_CHILDREN, &ru);
    *maxrss_kib = ru.ru_maxrss;
    return !WIFEXITED(status) || WEXITSTATUS(status) != 0;
}

static int process(void)
{
    const char *bin = getenv("CASEFLOW_BIN");
    if (bin == NULL) {
        printf("process: CASEFLOW_BIN not set, skipped\n");
        return 0;
    }
    char dir[] = "/tmp/caseflow-bench-XXXXXX";
    if (mkdtemp(dir) == NULL)
        return 1;
    char cfg[sizeof dir + 16], out[sizeof dir + 16], cmd[3 * sizeof dir + 32];
    snprintf(cfg, sizeof cfg, "%s/mmc.cfg", dir);
    snprintf(out, sizeof out, "%s/out", dir);
    double horizon = PROCESS_CUSTOMERS / (10 * LAMBDA), best = INFINITY;
    long rss = 0;
    int rc = write_scenario(cfg, horizon);
    char *argv[] = {(char *)bin,      "run", cfg,      "--out", out,
                    "--replications", "1",   "--jobs", "1",     NULL};
    for (int k = 0; k < RUNS && rc == 0; k++) {
        double dt = INFINITY;
        rc = spawn_timed(argv, &dt, &rss);
        best = dt < best ? dt : best;
    }
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        rc = 1;
    if (rc != 0) {
        fprintf(stderr, "bench: running %s failed\n", bin);
        return 1;
    }
    printf("caseflow run, M/M/c of %d customers (about %d events), 1 job: %.3f s wall, process "
           "start and output included (best of %d)\n  %.2f million events/s; peak resident "
           "memory %.1f MiB\n",
           PROCESS_CUSTOMERS, 2 * PROCESS_CUSTOMERS, best, RUNS, 2 * PROCESS_CUSTOMERS / best / 1e6,
           rss / 1024.0);
    return 0;
}

int main(int argc, char **argv)
{
    gsl_set_error_handler_off();
    const char *what = argc > 1 ? argv[1] : "all";
    int all = strcmp(what, "all") == 0;
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
    double horizon = (argc > 2 ? atof(argv[2]) : CUSTOMERS) / LAMBDA;
    int rc = 0;
    rate one = {0}, two = {0};
    /* First: Linux carries a process's peak RSS across exec, and posix_spawn
     * starts the child in this process's memory, so this process must still
     * be small for the child's peak to be its own. */
    if (all || strcmp(what, "process") == 0)
        rc = process();
    if (rc == 0 && (all || strcmp(what, "mmc") == 0 || strcmp(what, "jobs") == 0))
        rc = measure(&n, 1, horizon, RUNS, &one);
    if (rc == 0 && (all || strcmp(what, "jobs") == 0)) {
        rc = measure(&n, 2, horizon, RUNS, &two);
        printf("  two threads run %.2fx one (wall); per CPU second %.2fx one\n",
               (two.events / two.seconds) / (one.events / one.seconds),
               (two.events / two.cpu) / (one.events / one.cpu));
    }
    if (rc == 0 && one.seconds > 0) {
        struct rusage ru;
        getrusage(RUSAGE_SELF, &ru);
        printf("peak resident memory of the engine runs: %.1f MiB\n", ru.ru_maxrss / 1024.0);
    }
    if (rc == 0 && (all || strcmp(what, "fes") == 0))
        rc = fes();
    net_fini(&n);
    return rc;
}
