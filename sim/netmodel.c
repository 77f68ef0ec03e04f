/*
 * netmodel — per-thread workers are sims (their pools and heaps survive from
 * one replication to the next on the same thread, so steady-state runs
 * allocate nothing).
 */
#include "netmodel.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "dist.h"
#include "mem.h"
#include "sim.h"

static const char *const per_node[NETMODEL_PER_NODE] = {
    "L", "Lq", "W", "Wq", "utilisation", "throughput_per_day", "offered_load"};

/* See netmodel.h: demand over capacity for each node, from the traffic equations. */
static int offered_loads(netmodel *m, err_info *e)
{
    const net *n = &m->sc->net;
    m->offered_load = mem_calloc(n->n_nodes, sizeof *m->offered_load);
    if (m->offered_load == NULL)
        return err_set(e, ERR_NOMEM, NULL, 0, "out of memory for offered loads");
    int rc = net_traffic(n, m->offered_load, e);
    for (size_t i = 0; i < n->n_nodes && rc == 0; i++) {
        const net_node *nd = &n->nodes[i];
        double lambda = m->offered_load[i];
        if (nd->session_every > 0.0)
            m->offered_load[i] = nd->session_capacity
                                     ? lambda * nd->session_every / (double)nd->session_capacity
                                     : NAN;
        else
            m->offered_load[i] =
                nd->servers ? lambda * dist_mean(&nd->service) / (double)nd->servers : NAN;
    }
    return rc;
}

int netmodel_init(netmodel *m, const scenario *sc, err_info *e)
{
    memset(m, 0, sizeof *m);
    m->sc = sc;
    size_t n = sc->net.n_nodes * NETMODEL_PER_NODE;
    m->names = mem_calloc(n, sizeof *m->names);
    if (m->names == NULL)
        goto nomem;
    m->n_metrics = n;
    for (size_t i = 0; i < sc->net.n_nodes; i++)
        for (size_t k = 0; k < NETMODEL_PER_NODE; k++) {
            const char *node = sc->net.nodes[i].name;
            size_t len = strlen(node) + strlen(per_node[k]) + 8;
            char *s = mem_alloc(len);
            if (s == NULL)
                goto nomem;
            snprintf(s, len, "node.%s.%s", node, per_node[k]);
            m->names[i * NETMODEL_PER_NODE + k] = s;
        }
    int rc = offered_loads(m, e);
    if (rc != 0)
        netmodel_fini(m);
    return rc;
nomem:
    netmodel_fini(m);
    return err_set(e, ERR_NOMEM, NULL, 0, "out of memory naming metrics");
}

void netmodel_fini(netmodel *m)
{
    for (size_t i = 0; m->names != NULL && i < m->n_metrics; i++)
        mem_free(m->names[i]);
    mem_free(m->names);
    mem_free(m->offered_load);
    memset(m, 0, sizeof *m);
}

/* rep hands run_one only the worker, so the worker carries the model too. */
typedef struct worker {
    sim *s;
    const netmodel *m;
} worker;

static void *worker_create(void *ctx, err_info *e)
{
    const netmodel *m = ctx;
    worker *w = mem_alloc(sizeof *w);
    if (w == NULL) {
        err_set(e, ERR_NOMEM, NULL, 0, "out of memory creating a worker");
        return NULL;
    }
    w->m = m;
    w->s = sim_create(&m->sc->net, sizeof(sim_entity), NULL, e);
    if (w->s == NULL) {
        mem_free(w);
        return NULL;
    }
    return w;
}

static void worker_destroy(void *p)
{
    worker *w = p;
    sim_destroy(w->s);
    mem_free(w);
}

static int run_one(void *p, uint32_t rep, double *out, err_info *e)
{
    worker *w = p;
    const scenario *sc = w->m->sc;
    sim_options o = {.warmup_days = sc->warmup_days,
                     .horizon_days = sc->horizon_days,
                     .seed = sc->seed,
                     .replication = rep,
                     .max_live = (size_t)sc->limits.max_live_entities,
                     .stop = w->m->stop};
    int rc = sim_run(w->s, &o, e);
    if (rc != 0)
        return rc;
    for (size_t i = 0; i < sc->net.n_nodes; i++) {
        sim_node_result r;
        sim_node_result_get(w->s, (uint32_t)i, &r);
        double *row = out + i * NETMODEL_PER_NODE;
        row[0] = r.L;
        row[1] = r.Lq;
        row[2] = r.W;
        row[3] = r.Wq;
        row[4] = r.utilisation;
        row[5] = r.throughput_per_day;
        row[6] = w->m->offered_load[i];
    }
    return 0;
}

rep_model netmodel_rep(netmodel *m)
{
    return (rep_model){.n_metrics = m->n_metrics,
                       .ctx = m,
                       .worker_create = worker_create,
                       .worker_destroy = worker_destroy,
                       .run_one = run_one};
}
