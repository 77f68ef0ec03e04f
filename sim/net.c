/*
 * net — building and checking a network description. Arrays grow by doubling
 * on the cold path (loading), never during a run.
 */
#include "net.h"

#include <math.h>
#include <string.h>

#include "mem.h"
#include "theory.h"

void net_init(net *n)
{
    memset(n, 0, sizeof *n);
}

void net_fini(net *n)
{
    for (size_t i = 0; i < n->n_nodes; i++) {
        mem_free(n->nodes[i].name);
        mem_free(n->nodes[i].routes);
        dist_fini(&n->nodes[i].service);
    }
    for (size_t i = 0; i < n->n_sources; i++)
        mem_free(n->sources[i].name);
    mem_free(n->nodes);
    mem_free(n->sources);
    net_init(n);
}

uint32_t net_find_node(const net *n, const char *name)
{
    for (size_t i = 0; i < n->n_nodes; i++)
        if (strcmp(n->nodes[i].name, name) == 0)
            return (uint32_t)i;
    return NET_NONE;
}

/* Makes room for element `count` of *arr. Capacity is 4, then doubles, so it is
 * full exactly when count is a power of two >= 4 (no capacity field needed). */
static int grow_one(void **arr, size_t count, size_t sz)
{
    if (count != 0 && (count < 4 || (count & (count - 1)) != 0))
        return 0;
    size_t cap = count ? count * 2 : 4;
    void *p = mem_resize(*arr, cap, sz);
    if (p == NULL)
        return ERR_NOMEM;
    *arr = p;
    return 0;
}

int net_add_node(net *n, const char *name, uint32_t servers, dist *service, uint32_t *index,
                 err_info *e)
{
    if (net_find_node(n, name) != NET_NONE)
        return err_set(e, ERR_INPUT, NULL, 0, "duplicate node name '%s'; expected unique names",
                       name);
    if (n->n_nodes >= NET_NONE - 1)
        return err_set(e, ERR_LIMIT, NULL, 0, "too many nodes");
    char *copy = mem_strdup(name);
    if (copy == NULL || grow_one((void **)&n->nodes, n->n_nodes, sizeof *n->nodes) != 0) {
        mem_free(copy);
        return err_set(e, ERR_NOMEM, NULL, 0, "out of memory adding node '%s'", name);
    }
    net_node *nd = &n->nodes[n->n_nodes];
    memset(nd, 0, sizeof *nd);
    nd->name = copy;
    nd->servers = servers;
    nd->service = *service;
    memset(service, 0, sizeof *service);
    if (index != NULL)
        *index = (uint32_t)n->n_nodes;
    n->n_nodes++;
    return 0;
}

int net_add_route(net *n, uint32_t from, uint32_t to, double p, err_info *e)
{
    net_node *nd = &n->nodes[from];
    if (grow_one((void **)&nd->routes, nd->n_routes, sizeof *nd->routes) != 0)
        return err_set(e, ERR_NOMEM, NULL, 0, "out of memory adding a route");
    nd->routes[nd->n_routes++] = (net_route){.to = to, .p = p, .cum = 0.0};
    return 0;
}

int net_add_source(net *n, const char *name, uint32_t to, double rate_per_day, err_info *e)
{
    for (size_t i = 0; i < n->n_sources; i++)
        if (strcmp(n->sources[i].name, name) == 0)
            return err_set(e, ERR_INPUT, NULL, 0,
                           "duplicate arrival source name '%s'; expected unique names", name);
    char *copy = mem_strdup(name);
    if (copy == NULL || grow_one((void **)&n->sources, n->n_sources, sizeof *n->sources) != 0) {
        mem_free(copy);
        return err_set(e, ERR_NOMEM, NULL, 0, "out of memory adding arrival source '%s'", name);
    }
    n->sources[n->n_sources++] = (net_source){.name = copy, .to = to, .rate_per_day = rate_per_day};
    return 0;
}

/* The session invariants of net.h; one function so net_set_sessions and
 * net_validate cannot disagree. */
static int check_sessions(const net_node *nd, double first, double every, err_info *e)
{
    if (!(isfinite(every) && every > 0.0))
        return err_set(e, ERR_INPUT, NULL, 0,
                       "node '%s': sessions every %g days; expected a finite interval > 0",
                       nd->name, every);
    if (!(isfinite(first) && first >= 0.0))
        return err_set(e, ERR_INPUT, NULL, 0,
                       "node '%s': first session at day %g; expected a finite day >= 0", nd->name,
                       first);
    if (nd->servers != 0)
        return err_set(e, ERR_INPUT, NULL, 0,
                       "node '%s': %u servers on a session node; expected servers = 0 (a "
                       "session's batch is served in parallel)",
                       nd->name, nd->servers);
    return 0;
}

int net_set_sessions(net *n, uint32_t node, double first, double every, uint32_t capacity,
                     err_info *e)
{
    if (node >= n->n_nodes)
        return err_set(e, ERR_INPUT, NULL, 0, "sessions for node %u of %zu; expected a node", node,
                       n->n_nodes);
    net_node *nd = &n->nodes[node];
    int rc = check_sessions(nd, first, every, e);
    if (rc != 0)
        return rc;
    nd->session_every = every;
    nd->session_first = first;
    nd->session_capacity = capacity;
    return 0;
}

static int validate_node(net *n, net_node *nd, err_info *e)
{
    /* Fields set by hand rather than through net_set_sessions are checked too. */
    if (nd->session_every != 0.0) {
        int rc = check_sessions(nd, nd->session_first, nd->session_every, e);
        if (rc != 0)
            return rc;
    } else if (nd->session_first != 0.0 || nd->session_capacity != 0) {
        return err_set(e, ERR_INPUT, NULL, 0,
                       "node '%s': a first session or a session capacity without sessions; "
                       "expected session_every > 0",
                       nd->name);
    }
    double sum = 0.0;
    for (size_t r = 0; r < nd->n_routes; r++) {
        net_route *rt = &nd->routes[r];
        if (!(rt->p >= 0.0 && rt->p <= 1.0))
            return err_set(e, ERR_INPUT, NULL, 0,
                           "node '%s': route probability %g; expected 0 <= p <= 1", nd->name,
                           rt->p);
        if (rt->to != NET_EXIT && rt->to >= n->n_nodes)
            return err_set(e, ERR_INPUT, NULL, 0, "node '%s': route to an unknown node", nd->name);
        sum += rt->p;
        rt->cum = sum;
    }
    if (nd->n_routes > 0 && fabs(sum - 1.0) > 1e-6)
        return err_set(e, ERR_INPUT, NULL, 0,
                       "node '%s': route probabilities sum to %.9g; expected 1 (within 1e-6)",
                       nd->name, sum);
    /* Absorb rounding so a uniform draw in [0,1) always finds a route. */
    if (nd->n_routes > 0)
        nd->routes[nd->n_routes - 1].cum = 1.0;
    return 0;
}

int net_validate(net *n, err_info *e)
{
    for (size_t i = 0; i < n->n_nodes; i++) {
        int rc = validate_node(n, &n->nodes[i], e);
        if (rc != 0)
            return rc;
    }
    for (size_t i = 0; i < n->n_sources; i++) {
        const net_source *s = &n->sources[i];
        if (s->to >= n->n_nodes)
            return err_set(e, ERR_INPUT, NULL, 0, "arrival source '%s' goes to an unknown node",
                           s->name);
        if (!(s->rate_per_day >= 0.0 && isfinite(s->rate_per_day)))
            return err_set(e, ERR_INPUT, NULL, 0,
                           "arrival source '%s': rate_per_day %g; expected a finite rate >= 0",
                           s->name, s->rate_per_day);
    }
    return 0;
}

int net_traffic(const net *n, double *lambda, err_info *e)
{
    size_t k = n->n_nodes;
    if (k == 0)
        return 0;
    double *gamma = mem_calloc(k, sizeof *gamma);
    double *p = mem_calloc(k * k, sizeof *p);
    int rc = ERR_NOMEM;
    if (gamma == NULL || p == NULL) {
        err_set(e, ERR_NOMEM, NULL, 0, "out of memory solving the traffic equations");
        goto done;
    }
    for (size_t i = 0; i < n->n_sources; i++)
        gamma[n->sources[i].to] += n->sources[i].rate_per_day;
    for (size_t i = 0; i < k; i++)
        for (size_t r = 0; r < n->nodes[i].n_routes; r++) {
            const net_route *rt = &n->nodes[i].routes[r];
            if (rt->to != NET_EXIT)
                p[i * k + rt->to] += rt->p;
        }
    rc = theory_traffic(k, gamma, p, lambda, e);
done:
    mem_free(gamma);
    mem_free(p);
    return rc;
}
