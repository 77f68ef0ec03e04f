/*
 * netmodel — a plain network scenario as a replicable model: the bridge
 * between scenario (what to run), sim (one replication) and rep (many, on
 * threads), plus the names of the metrics it reports.
 *
 * Metrics, for each node N in scenario order:
 *   node.N.L                  time-average number in the node
 *   node.N.Lq                 time-average number waiting (0 for unlimited nodes)
 *   node.N.W                  mean time in node, days (departures in the window)
 *   node.N.Wq                 mean wait before service, days (0 for unlimited nodes)
 *   node.N.utilisation        mean busy servers / servers (NA for unlimited nodes)
 *   node.N.throughput_per_day departures per day in the window
 *   node.N.offered_load       demand over capacity from the traffic equations:
 *                             lambda E[S] / servers, or for a session node its
 *                             arrivals per session / capacity per session (NA
 *                             for unlimited nodes and uncapped sessions). Not a
 *                             simulated figure but the same in every
 *                             replication; 1 or more means the node cannot
 *                             serve its demand and its queue grows without
 *                             bound, so the other figures depend on the
 *                             horizon. The loader warns about such nodes too.
 *
 * Ownership: the netmodel owns its metric names; the scenario must outlive it.
 */
#ifndef CASEFLOW_NETMODEL_H
#define CASEFLOW_NETMODEL_H

#include <signal.h>
#include <stddef.h>

#include "err.h"
#include "rep.h"
#include "scenario.h"

/* The first NETMODEL_SIMULATED metrics of a node are measured; offered_load,
 * the last, is computed. */
enum { NETMODEL_SIMULATED = 6, NETMODEL_PER_NODE = 7 };

typedef struct netmodel {
    const scenario *sc;
    char **names; /* n_metrics metric names */
    size_t n_metrics;
    double *offered_load;              /* per node; NAN where it does not apply */
    const volatile sig_atomic_t *stop; /* optional: interrupts a replication */
} netmodel;

int netmodel_init(netmodel *m, const scenario *sc, err_info *e);
void netmodel_fini(netmodel *m);
/* The rep_model view of m (m must outlive its use). */
rep_model netmodel_rep(netmodel *m);

#endif
