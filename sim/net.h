/*
 * net — the static description of an open network of service nodes: what a
 * scenario says, validated, before any simulation runs.
 *
 * A net is built once (by the scenario loader or a test), then shared
 * read-only by every replication thread. It knows nodes (servers, service
 * distribution, routing on departure) and external Poisson arrival sources.
 * It knows nothing of children: models/ attach meaning through sim hooks.
 *
 * Session nodes: a node given sessions (net_set_sessions) serves in batches
 * at set times, like a panel that meets weekly: entities wait in its FIFO
 * queue until the next session at first + k * every (k = 0, 1, ...), which
 * takes up to session_capacity of them (all when 0); each is then served for
 * the node's service time (the decision after the meeting, often 0) in
 * parallel with the rest of its batch, and routed as usual. sim.h states the
 * run-time rules (ties, statistics).
 *
 * Invariants once net_validate has passed: every route target is a node index
 * or NET_EXIT; each node's route probabilities are >= 0 and sum to 1 within
 * 1e-6 (a node with no routes sends everyone to exit); cum[] of the last route
 * is exactly 1. Names are unique. A node is a session node iff
 * session_every > 0; then session_every and session_first are finite,
 * session_first >= 0 and servers == 0; otherwise all three session fields are 0.
 * Ownership: the net owns every string and table inside it (mem_alloc).
 */
#ifndef CASEFLOW_NET_H
#define CASEFLOW_NET_H

#include <stddef.h>
#include <stdint.h>

#include "dist.h"
#include "err.h"

#define NET_EXIT UINT32_MAX /* route target: leave the network */
#define NET_NONE UINT32_MAX /* "no such node" from net_find_node */

typedef struct net_route {
    uint32_t to; /* node index or NET_EXIT */
    double p;    /* probability of this route */
    double cum;  /* cumulative probability up to and including this route */
} net_route;

typedef struct net_node {
    char *name;        /* unique; also names the node's random streams */
    uint32_t servers;  /* parallel servers; 0 = unlimited (an infinite-server node) */
    dist service;      /* service time, days (for a session node: after its session) */
    net_route *routes; /* n_routes entries, in scenario order */
    size_t n_routes;
    double session_every;      /* days between sessions; 0 = not a session node */
    double session_first;      /* days: time of the first session (session nodes only) */
    uint32_t session_capacity; /* entities one session takes; 0 = every one waiting */
} net_node;

typedef struct net_source {
    char *name;          /* unique among sources; names the arrival stream */
    uint32_t to;         /* node index */
    double rate_per_day; /* Poisson rate; 0 = switched off */
} net_source;

typedef struct net {
    net_node *nodes;
    size_t n_nodes;
    net_source *sources;
    size_t n_sources;
} net;

void net_init(net *n);
void net_fini(net *n);

/* Appends a node taking ownership of *service (which is zeroed). Returns its index
 * through *index, or ERR_NOMEM / ERR_INPUT (duplicate name) with the net unchanged. */
int net_add_node(net *n, const char *name, uint32_t servers, dist *service, uint32_t *index,
                 err_info *e);
/* Appends a route from node `from` to `to` (node index or NET_EXIT) with probability p. */
int net_add_route(net *n, uint32_t from, uint32_t to, double p, err_info *e);
/* Appends an arrival source. */
int net_add_source(net *n, const char *name, uint32_t to, double rate_per_day, err_info *e);

/*
 * Makes node a session node: sessions at first, first + every, first +
 * 2 every, ... days (pass first = every for "one interval after the start"),
 * each taking up to capacity waiting entities in FIFO order (0 = all). The
 * node must have servers == 0: a session's batch is served in parallel, so a
 * server count would mean nothing. Returns 0, or ERR_INPUT (node out of
 * range, servers != 0, every not finite or <= 0, first not finite or < 0)
 * with the net unchanged and a message naming the node. Calling it again
 * replaces the node's sessions. Cannot allocate.
 */
int net_set_sessions(net *n, uint32_t node, double first, double every, uint32_t capacity,
                     err_info *e);

/* Index of the node called name, or NET_NONE. */
uint32_t net_find_node(const net *n, const char *name);

/*
 * Checks the invariants above and fills cum[]. On failure returns ERR_INPUT
 * naming the node and what is wrong (no location: the loader adds it).
 */
int net_validate(net *n, err_info *e);

/*
 * Offered load of the network: solves the traffic equations into lambda[n_nodes]
 * (arrivals per day at each node). Returns 0, ERR_INPUT for a loop with no
 * way out, ERR_NOMEM.
 */
int net_traffic(const net *n, double *lambda, err_info *e);

#endif
