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

enum { NETMODEL_PER_NODE = 6 };

typedef struct netmodel {
    const scenario *sc;
    char **names; /* n_metrics metric names */
    size_t n_metrics;
    const volatile sig_atomic_t *stop; /* optional: interrupts a replication */
} netmodel;

int netmodel_init(netmodel *m, const scenario *sc, err_info *e);
void netmodel_fini(netmodel *m);
/* The rep_model view of m (m must outlive its use). */
rep_model netmodel_rep(netmodel *m);

#endif
