/*
 * bench_pathway — `make bench`: the children's social care model at the
 * sizes councils run it. Reports, on this machine:
 *   - one replication of the Bridgend 2022 baseline (1 year) and of the
 *     2023-2026 projection (3 years), one thread: the same 20 replications
 *     timed REPEATS times, the fastest repeat's mean (the machine is shared,
 *     and other load only ever adds time);
 *   - 1,000 replications of the three-year projection on one and two threads
 *     (one run each: these are long enough to average out noise);
 *   - peak memory of a 3-year and a 30-year run of the projection (each in
 *     its own process): memory must stay flat as the horizon grows, beyond
 *     the monthly series the outputs keep.
 * `bench_pathway quick` prints the single-replication times only.
 * A benchmark, not a test: nothing here fails on time.
 */
#include <gsl/gsl_errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "mem.h"
#include "pathway/pathway.h"
#include "rep.h"
#include "scenario.h"

static double clock_s(clockid_t id)
{
    struct timespec t;
    clock_gettime(id, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static double now_s(void)
{
    return clock_s(CLOCK_MONOTONIC);
}

/* CPU seconds of the whole process: on a shared machine, time waiting for a
 * core is not the model's, and this leaves it out. */
static double cpu_s(void)
{
    return clock_s(CLOCK_PROCESS_CPUTIME_ID);
}

/* Loads path with horizon (days; <= 0 keeps the file's) and no calendar when
 * the horizon outruns the bank-holiday data. */
static int load(const char *path, double horizon, scenario *sc, pw_model **m)
{
    err_info e;
    err_clear(&e);
    if (scenario_open(sc, path, &e) != 0)
        goto fail;
    if (horizon > 0) {
        config_setting_t *root = cfg_root(&sc->file);
        config_setting_set_float(config_setting_get_member(root, "horizon_days"), horizon);
        config_setting_remove(root, "calendar");
    }
    if (pw_load(m, sc, &e) != 0)
        goto fail;
    return 0;
fail:
    fprintf(stderr, "bench: %s\n", e.text);
    scenario_free(sc);
    return 1;
}

/* Seconds (wall clock) for reps replications on jobs threads; *cpu (if not
 * NULL) gets the CPU seconds. */
static double run_cpu(pw_model *m, uint32_t reps, unsigned jobs, double *cpu)
{
    err_info e;
    double *x = mem_calloc((size_t)reps * pw_width(m), sizeof *x);
    rep_model rm = pw_rep(m, NULL);
    rep_options o = {.replications = reps, .jobs = jobs};
    double t0 = now_s(), c0 = cpu_s();
    int rc = x ? rep_run(&rm, &o, x, &e) : ERR_NOMEM;
    double t = now_s() - t0;
    if (cpu != NULL)
        *cpu = cpu_s() - c0;
    mem_free(x);
    if (rc != 0) {
        fprintf(stderr, "bench: %s\n", rc == ERR_NOMEM ? "out of memory" : e.text);
        return -1.0;
    }
    return t;
}

static double run(pw_model *m, uint32_t reps, unsigned jobs)
{
    return run_cpu(m, reps, jobs, NULL);
}

/* Peak resident memory (MiB) of a child process running 20 replications. */
static double peak_mib(const char *path, double horizon)
{
    int fd[2];
    if (pipe(fd) != 0)
        return -1.0;
    pid_t pid = fork();
    if (pid == 0) {
        scenario sc;
        pw_model *m;
        close(fd[0]);
        if (load(path, horizon, &sc, &m) != 0)
            _exit(1);
        int rc = run(m, 20, 1) < 0;
        pw_destroy(m);
        scenario_free(&sc);
        struct rusage ru;
        getrusage(RUSAGE_SELF, &ru);
        double mib = ru.ru_maxrss / 1024.0;
        if (write(fd[1], &mib, sizeof mib) != (ssize_t)sizeof mib)
            rc = 1;
        _exit(rc);
    }
    close(fd[1]);
    double mib = -1.0;
    int status;
    if (pid < 0 || read(fd[0], &mib, sizeof mib) != (ssize_t)sizeof mib)
        mib = -1.0;
    close(fd[0]);
    if (pid > 0 &&
        (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0))
        mib = -1.0;
    return mib;
}

enum { REPEATS = 7, BATCH = 20 };

/* Milliseconds per replication, wall clock and CPU: the fastest of REPEATS
 * runs of BATCH. Returns the wall clock; -1 on failure. */
static double one_replication_ms(const char *path, double *cpu_ms)
{
    scenario sc;
    pw_model *m;
    if (load(path, 0, &sc, &m) != 0)
        return -1.0;
    double best = run(m, 4, 1), best_cpu = 0.0; /* warms the pools */
    for (int i = 0; i < REPEATS && best >= 0; i++) {
        double c, t = run_cpu(m, BATCH, 1, &c);
        best = i == 0 || t < 0 || t < best ? t : best;
        best_cpu = i == 0 || c < best_cpu ? c : best_cpu;
    }
    pw_destroy(m);
    scenario_free(&sc);
    *cpu_ms = 1e3 * best_cpu / BATCH;
    return best < 0 ? -1.0 : 1e3 * best / BATCH;
}

int main(int argc, char **argv)
{
    gsl_set_error_handler_off();
    const char *root = getenv("CASEFLOW_ROOT") ? getenv("CASEFLOW_ROOT") : ".";
    bool quick = argc > 1 && strcmp(argv[1], "quick") == 0;
    char p22[4096], p23[4096];
    snprintf(p22, sizeof p22, "%s/scenarios/bridgend-2022.cfg", root);
    snprintf(p23, sizeof p23, "%s/scenarios/bridgend-2023-2026.cfg", root);
    double c22, c23, t22 = one_replication_ms(p22, &c22), t23 = one_replication_ms(p23, &c23);
    printf("one replication, 1 thread (fastest of %d runs of %d; wall clock, CPU):\n", REPEATS,
           BATCH);
    printf("  bridgend-2022 (1 year):        %6.2f ms  %6.2f ms\n", t22, c22);
    printf("  bridgend-2023-2026 (3 years):  %6.2f ms  %6.2f ms\n", t23, c23);
    if (quick)
        return t22 < 0 || t23 < 0;

    scenario sc;
    pw_model *m;
    if (load(p23, 0, &sc, &m) != 0)
        return 1;
    double c1, c2, t1 = run_cpu(m, 1000, 1, &c1), t2 = run_cpu(m, 1000, 2, &c2);
    printf("bridgend-2023-2026, 1,000 replications (3 years): %.2f s on 1 thread, %.2f s on 2 "
           "(speed-up %.2f); CPU %.2f s and %.2f s\n",
           t1, t2, t1 / t2, c1, c2);
    pw_destroy(m);
    scenario_free(&sc);

    double m3 = peak_mib(p23, 1096.0), m30 = peak_mib(p23, 10958.0);
    printf("peak memory, 20 replications: 3 years %.1f MiB, 30 years %.1f MiB\n", m3, m30);
    return t22 < 0 || t23 < 0 || t1 < 0 || t2 < 0 || m3 < 0 || m30 < 0;
}
