/*
 * cmd_check — `caseflow check`: validate without running, and show the
 * analyst what the file resolved to and what steady state queueing theory
 * predicts for each node, so an overloaded or mis-wired network is visible
 * before any time is spent simulating it.
 */
#include <math.h>
#include <stdio.h>

#include "cli_internal.h"
#include "mem.h"
#include "pathway/pathway.h"
#include "scenario.h"
#include "theory.h"

static const char check_help[] =
    "usage: caseflow check FILE\n"
    "\n"
    "Validates the scenario in FILE without running it. Prints the settings it\n"
    "resolved to, the offered load of each node (from the traffic equations), the\n"
    "steady state queueing theory predicts where a closed form exists, and the\n"
    "resolved scenario in libconfig syntax. Exit status 0 when valid, 1 when not.\n";

static void describe_dist(const dist *d, char *buf, size_t size)
{
    if (d->kind == DIST_DETERMINISTIC)
        snprintf(buf, size, "deterministic %g d", dist_mean(d));
    else
        snprintf(buf, size, "%s mean %g sd %.3g d", dist_kind_name(d->kind), dist_mean(d),
                 sqrt(dist_variance(d)));
}

/* The closed form that applies to node i at arrival rate lambda, if any. */
static const char *predict(const net_node *nd, double lambda, theory_station *t)
{
    double es = dist_mean(&nd->service), vs = dist_variance(&nd->service);
    if (nd->session_every > 0.0) {
        /* Poisson arrivals see, on average, half an interval to the next
         * session; only with room for everyone is that the whole wait. */
        if (nd->session_capacity != 0)
            return NULL;
        double wq = 0.5 * nd->session_every;
        *t = (theory_station){
            .L = lambda * (wq + es), .Lq = lambda * wq, .W = wq + es, .Wq = wq, .rho = NAN};
        return "session";
    }
    if (nd->servers == 0) {
        *t = theory_mginf(lambda, es);
        return "M/G/inf";
    }
    if (nd->service.kind == DIST_EXPONENTIAL) {
        *t = theory_mmc(lambda, es, nd->servers);
        return "M/M/c";
    }
    if (nd->servers == 1) {
        *t = theory_mg1(lambda, es, vs);
        return "M/G/1";
    }
    return NULL;
}

static void print_nodes(const scenario *sc, const double *lambda)
{
    printf("\nnodes (offered load from the traffic equations; prediction assumes Poisson "
           "arrivals at the node):\n");
    printf("  %-20s %8s  %-30s %12s %8s  %-8s %10s %10s %10s %10s\n", "node", "servers", "service",
           "arrivals/d", "util", "model", "L", "Lq", "W", "Wq");
    for (size_t i = 0; i < sc->net.n_nodes; i++) {
        const net_node *nd = &sc->net.nodes[i];
        char svc[64];
        theory_station t;
        describe_dist(&nd->service, svc, sizeof svc);
        double util = nd->servers ? lambda[i] * dist_mean(&nd->service) / nd->servers : NAN;
        const char *model = predict(nd, lambda[i], &t);
        if (isnan(util))
            printf("  %-20s %8s  %-30s %12.5g %8s  ", nd->name, "inf", svc, lambda[i], "-");
        else
            printf("  %-20s %8u  %-30s %12.5g %8.4g  ", nd->name, nd->servers, svc, lambda[i],
                   util);
        if (model == NULL)
            printf("%-8s %10s %10s %10s %10s\n", "-", "-", "-", "-", "-");
        else
            printf("%-8s %10.5g %10.5g %10.5g %10.5g\n", model, t.L, t.Lq, t.W, t.Wq);
    }
}

static int check_pathway(const char *path, scenario *sc, err_info *e)
{
    pw_model *m;
    int rc = pw_load(&m, sc, e);
    if (rc != 0)
        return rc;
    printf("%s: valid\n", path);
    pw_describe(m, stdout);
    cli_print_variant(sc, stdout);
    printf("\nresolved scenario:\n");
    fflush(stdout);
    rc = scenario_write(sc, stdout, e);
    pw_destroy(m);
    return rc;
}

static int check_scenario(const char *path, err_info *e)
{
    scenario sc;
    int rc = scenario_open(&sc, path, e);
    if (rc == 0 && pw_is_pathway(&sc)) {
        rc = check_pathway(path, &sc, e);
        scenario_free(&sc);
        return rc;
    }
    if (rc == 0)
        rc = scenario_load_network(&sc, e);
    if (rc != 0) {
        scenario_free(&sc);
        return rc;
    }
    double *lambda = mem_calloc(sc.net.n_nodes, sizeof *lambda);
    if (lambda == NULL || (rc = net_traffic(&sc.net, lambda, e)) != 0) {
        if (lambda == NULL)
            rc = err_set(e, ERR_NOMEM, NULL, 0, "out of memory");
        mem_free(lambda);
        scenario_free(&sc);
        return rc;
    }
    printf("%s: valid\n", path);
    printf("scenario: %s\n", sc.name);
    if (sc.description[0])
        printf("description: %s\n", sc.description);
    printf("horizon: %g days; warm-up: %g days; replications: %u; seed: %llu\n", sc.horizon_days,
           sc.warmup_days, sc.replications, (unsigned long long)sc.seed);
    printf("\narrivals:\n");
    for (size_t i = 0; i < sc.net.n_sources; i++)
        printf("  %-20s -> %-20s %g per day\n", sc.net.sources[i].name,
               sc.net.nodes[sc.net.sources[i].to].name, sc.net.sources[i].rate_per_day);
    print_nodes(&sc, lambda);
    if (sc.warnings[0])
        printf("\nwarnings:\n%s", sc.warnings);
    cli_print_variant(&sc, stdout);
    printf("\nresolved scenario:\n");
    fflush(stdout);
    rc = scenario_write(&sc, stdout, e);
    mem_free(lambda);
    scenario_free(&sc);
    return rc;
}

int cli_cmd_check(int argc, char **argv)
{
    cli_args a;
    err_info e;
    err_clear(&e);
    if (cli_parse_args(argc, argv, false, &a, &e) != 0) {
        cli_error(e.text);
        fputs(check_help, stderr);
        return CLI_USAGE;
    }
    if (a.help) {
        fputs(check_help, stdout);
        return CLI_OK;
    }
    if (check_scenario(a.scenario, &e) != 0) {
        cli_error(e.text);
        return CLI_FAIL;
    }
    return CLI_OK;
}
