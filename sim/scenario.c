/*
 * scenario — loading the generic network scenario. Validation happens in
 * three passes so each message can point at the right line: settings and
 * nodes (names must all be known before routes can be resolved), then routes
 * and arrivals, then whole-network checks (traffic equations, stability,
 * magnitudes) that need everything.
 */
#include "scenario.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "mem.h"
#include "theory.h"

static const char *const root_keys[] = {
    "name", "description", "horizon_days", "warmup_days", "replications",
    "seed", "arrivals",    "nodes",        "limits",      NULL};
static const char *const node_keys[] = {"name", "servers", "service", "routes", "session", NULL};
static const char *const session_keys[] = {"every_days", "first_day", "capacity", NULL};
static const char *const route_keys[] = {"to", "p", NULL};
static const char *const arrival_keys[] = {"name", "to", "rate_per_day", NULL};
static const char *const limit_keys[] = {"max_live_entities", "max_horizon_days",
                                         "max_replications", "max_expected_arrivals", NULL};

scenario_limits scenario_default_limits(void)
{
    return (scenario_limits){.max_live_entities = 2000000,
                             .max_horizon_days = 100000.0,
                             .max_replications = 100000,
                             .max_expected_arrivals = 1e10};
}

static int load_limits(scenario *sc, err_info *e)
{
    const cfg_file *f = &sc->file;
    config_setting_t *g;
    int rc = cfg_get_member(f, cfg_root(&sc->file), "limits", false, CONFIG_TYPE_GROUP, &g, e);
    if (rc != 0 || g == NULL)
        return rc;
    scenario_limits *l = &sc->limits;
    if ((rc = cfg_check_keys(f, g, limit_keys, e)) != 0 ||
        (rc = cfg_get_int64_in(f, g, "max_live_entities", false, 1, INT64_MAX / 2,
                               &l->max_live_entities, e)) != 0 ||
        (rc = cfg_get_double_in(f, g, "max_horizon_days", false, 1e-9, 1e12, &l->max_horizon_days,
                                e)) != 0 ||
        (rc = cfg_get_int64_in(f, g, "max_replications", false, 1, UINT32_MAX, &l->max_replications,
                               e)) != 0 ||
        (rc = cfg_get_double_in(f, g, "max_expected_arrivals", false, 1.0, 1e18,
                                &l->max_expected_arrivals, e)) != 0)
        return rc;
    return 0;
}

int scenario_load_settings(scenario *sc, const char *const *allowed_keys, err_info *e)
{
    const cfg_file *f = &sc->file;
    config_setting_t *root = cfg_root(&sc->file);
    int64_t reps = 10, seed = 1;
    int rc;
    sc->warmup_days = 0.0;
    sc->description = "";
    if ((rc = cfg_check_keys(f, root, allowed_keys ? allowed_keys : root_keys, e)) != 0 ||
        (rc = load_limits(sc, e)) != 0 ||
        (rc = cfg_get_string(f, root, "name", true, false, &sc->name, e)) != 0 ||
        (rc = cfg_get_string(f, root, "description", false, true, &sc->description, e)) != 0 ||
        (rc = cfg_get_double_in(f, root, "horizon_days", true, 1e-9, sc->limits.max_horizon_days,
                                &sc->horizon_days, e)) != 0 ||
        (rc = cfg_get_double_in(f, root, "warmup_days", false, 0.0, 1e12, &sc->warmup_days, e)) !=
            0 ||
        (rc = cfg_get_int64_in(f, root, "replications", false, 1, sc->limits.max_replications,
                               &reps, e)) != 0 ||
        (rc = cfg_get_int64_in(f, root, "seed", false, 0, INT64_MAX, &seed, e)) != 0)
        return rc;
    if (sc->warmup_days >= sc->horizon_days) {
        config_setting_t *w = config_setting_get_member(root, "warmup_days");
        return cfg_error(f, w, e, ERR_INPUT,
                         "warmup_days (%g) is not before horizon_days (%g); expected "
                         "0 <= warmup_days < horizon_days",
                         sc->warmup_days, sc->horizon_days);
    }
    sc->replications = (uint32_t)reps;
    sc->seed = (uint64_t)seed;
    return 0;
}

/* Smallest value a distribution can produce (for rejecting negative durations). */
static double dist_support_min(const dist *d)
{
    switch (d->kind) {
    case DIST_DETERMINISTIC:
    case DIST_UNIFORM:
    case DIST_TRIANGULAR:
        return d->p[0];
    case DIST_EMPIRICAL: {
        double m = d->table[0];
        for (size_t i = 1; i < d->n; i++)
            m = d->table[i] < m ? d->table[i] : m;
        return m;
    }
    case DIST_HISTOGRAM:
        return d->table[0];
    default:
        return 0.0;
    }
}

int scenario_check_duration(const cfg_file *f, const config_setting_t *s, const dist *d,
                            const char *what, err_info *e)
{
    double lowest = dist_support_min(d);
    if (lowest < 0.0)
        return cfg_error(f, s, e, ERR_INPUT,
                         "%s can be negative (%g days); expected durations >= 0", what, lowest);
    return 0;
}

/*
 * Names become parts of metric names (node.NAME.L) in CSV files, and a dot
 * separates the parts: a name may hold letters, digits, '_', '-', '/', '+'
 * and '&' (as in "IAA/MASH"), nothing that would need quoting in CSV.
 */
int scenario_check_name(const cfg_file *f, const config_setting_t *s, const char *what,
                        const char *name, err_info *e)
{
    size_t len = strlen(name);
    bool ok = len > 0 && len <= 64;
    for (size_t i = 0; ok && i < len; i++) {
        unsigned char ch = (unsigned char)name[i];
        ok = isalnum(ch) || strchr("_-/+&", ch) != NULL;
    }
    if (!ok)
        return cfg_error(f, s, e, ERR_INPUT,
                         "%s name '%s' is not allowed; expected 1 to 64 letters, digits or "
                         "_ - / + & (no spaces, dots, commas or quotes)",
                         what, name);
    return 0;
}

/*
 * The optional session = { every_days = 7.0; first_day = 7.0; capacity = 20; }
 * of the node just added (first_day defaults to every_days, capacity to 0 =
 * every one waiting). servers must be 0: a session's batch is served in
 * parallel.
 */
static int load_session(scenario *sc, config_setting_t *ns, int64_t servers, err_info *e)
{
    const cfg_file *f = &sc->file;
    config_setting_t *g;
    int rc = cfg_get_member(f, ns, "session", false, CONFIG_TYPE_GROUP, &g, e);
    if (rc != 0 || g == NULL)
        return rc;
    double every, first;
    int64_t capacity = 0;
    if ((rc = cfg_check_keys(f, g, session_keys, e)) != 0 ||
        (rc = cfg_get_double_in(f, g, "every_days", true, 0.0, 1e12, &every, e)) != 0)
        return rc;
    first = every;
    if ((rc = cfg_get_double_in(f, g, "first_day", false, 0.0, 1e12, &first, e)) != 0 ||
        (rc = cfg_get_int64_in(f, g, "capacity", false, 0, UINT32_MAX, &capacity, e)) != 0)
        return rc;
    uint32_t node = (uint32_t)(sc->net.n_nodes - 1);
    const char *name = sc->net.nodes[node].name;
    if (every <= 0.0)
        return cfg_error(f, config_setting_get_member(g, "every_days"), e, ERR_INPUT,
                         "node '%s': sessions every %g days; expected every_days > 0", name, every);
    if (servers != 0)
        return cfg_error(f, config_setting_get_member(ns, "servers"), e, ERR_INPUT,
                         "node '%s' has sessions and %lld servers; expected servers = 0 (a "
                         "session's batch is served in parallel)",
                         name, (long long)servers);
    err_info sub;
    if ((rc = net_set_sessions(&sc->net, node, first, every, (uint32_t)capacity, &sub)) != 0)
        return cfg_error(f, g, e, rc, "%s", sub.text);
    return 0;
}

static int load_node(scenario *sc, config_setting_t *ns, err_info *e)
{
    const cfg_file *f = &sc->file;
    const char *name;
    int64_t servers;
    config_setting_t *svc;
    dist d;
    int rc;
    if (config_setting_type(ns) != CONFIG_TYPE_GROUP)
        return cfg_error(f, ns, e, ERR_INPUT,
                         "each node must be a group { name = ...; servers = ...; ... }");
    if ((rc = cfg_check_keys(f, ns, node_keys, e)) != 0 ||
        (rc = cfg_get_string(f, ns, "name", true, false, &name, e)) != 0 ||
        (rc = cfg_get_int64_in(f, ns, "servers", true, 0, 1000000, &servers, e)) != 0 ||
        (rc = cfg_get_member(f, ns, "service", true, CONFIG_TYPE_GROUP, &svc, e)) != 0)
        return rc;
    if ((rc = scenario_check_name(f, config_setting_get_member(ns, "name"), "node", name, e)) != 0)
        return rc;
    if (strcmp(name, "exit") == 0)
        return cfg_error(f, config_setting_get_member(ns, "name"), e, ERR_INPUT,
                         "'exit' is reserved for leaving the network; expected another node name");
    if (net_find_node(&sc->net, name) != NET_NONE)
        return cfg_error(f, config_setting_get_member(ns, "name"), e, ERR_INPUT,
                         "duplicate node name '%s'; expected each node to have a unique name",
                         name);
    if ((rc = cfg_get_dist(f, svc, &d, e)) != 0)
        return rc;
    char what[128];
    snprintf(what, sizeof what, "node '%s': service time", name);
    if ((rc = scenario_check_duration(f, svc, &d, what, e)) != 0) {
        dist_fini(&d);
        return rc;
    }
    err_info sub;
    if ((rc = net_add_node(&sc->net, name, (uint32_t)servers, &d, NULL, &sub)) != 0) {
        dist_fini(&d);
        return cfg_error(f, ns, e, rc, "%s", sub.text);
    }
    return load_session(sc, ns, servers, e);
}

/* "A, B, C, exit": the names a route may point to, for messages. */
static void node_name_list(const net *n, char *buf, size_t size)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < n->n_nodes && used + 1 < size; i++) {
        int k = snprintf(buf + used, size - used, "%s, ", n->nodes[i].name);
        if (k < 0)
            break;
        used += (size_t)k;
    }
    if (used < size)
        snprintf(buf + used, size - used, "exit");
}

static int resolve_target(scenario *sc, config_setting_t *at, const char *to, uint32_t *index,
                          err_info *e)
{
    if (strcmp(to, "exit") == 0) {
        *index = NET_EXIT;
        return 0;
    }
    *index = net_find_node(&sc->net, to);
    if (*index != NET_NONE)
        return 0;
    char names[512];
    node_name_list(&sc->net, names, sizeof names);
    return cfg_error(&sc->file, at, e, ERR_INPUT, "unknown node '%s'; expected one of: %s", to,
                     names);
}

static int load_routes(scenario *sc, uint32_t node, config_setting_t *ns, err_info *e)
{
    const cfg_file *f = &sc->file;
    config_setting_t *routes;
    int rc = cfg_get_member(f, ns, "routes", false, CONFIG_TYPE_LIST, &routes, e);
    if (rc != 0 || routes == NULL)
        return rc;
    int n = config_setting_length(routes);
    double sum = 0.0;
    for (int i = 0; i < n; i++) {
        config_setting_t *r = config_setting_get_elem(routes, (unsigned)i);
        const char *to;
        double p;
        uint32_t target;
        if (config_setting_type(r) != CONFIG_TYPE_GROUP)
            return cfg_error(f, r, e, ERR_INPUT,
                             "each route must be a group { to = \"...\"; p = ...; }");
        if ((rc = cfg_check_keys(f, r, route_keys, e)) != 0 ||
            (rc = cfg_get_string(f, r, "to", true, false, &to, e)) != 0 ||
            (rc = cfg_get_double_in(f, r, "p", true, 0.0, 1.0, &p, e)) != 0 ||
            (rc = resolve_target(sc, config_setting_get_member(r, "to"), to, &target, e)) != 0)
            return rc;
        err_info sub;
        if ((rc = net_add_route(&sc->net, node, target, p, &sub)) != 0)
            return cfg_error(f, r, e, rc, "%s", sub.text);
        sum += p;
    }
    if (n > 0 && fabs(sum - 1.0) > 1e-6)
        return cfg_error(f, routes, e, ERR_INPUT,
                         "route probabilities of node '%s' sum to %.9g; expected 1 (within 1e-6)",
                         sc->net.nodes[node].name, sum);
    return 0;
}

static int load_nodes(scenario *sc, err_info *e)
{
    const cfg_file *f = &sc->file;
    config_setting_t *nodes;
    int rc = cfg_get_member(f, cfg_root(&sc->file), "nodes", true, CONFIG_TYPE_LIST, &nodes, e);
    if (rc != 0)
        return rc;
    int n = config_setting_length(nodes);
    if (n == 0)
        return cfg_error(f, nodes, e, ERR_INPUT, "nodes is empty; expected at least one node");
    for (int i = 0; i < n; i++)
        if ((rc = load_node(sc, config_setting_get_elem(nodes, (unsigned)i), e)) != 0)
            return rc;
    for (int i = 0; i < n; i++)
        if ((rc = load_routes(sc, (uint32_t)i, config_setting_get_elem(nodes, (unsigned)i), e)) !=
            0)
            return rc;
    return 0;
}

static int load_arrivals(scenario *sc, err_info *e)
{
    const cfg_file *f = &sc->file;
    config_setting_t *arr;
    int rc = cfg_get_member(f, cfg_root(&sc->file), "arrivals", true, CONFIG_TYPE_LIST, &arr, e);
    if (rc != 0)
        return rc;
    int n = config_setting_length(arr);
    if (n == 0)
        return cfg_error(f, arr, e, ERR_INPUT, "arrivals is empty; expected at least one source");
    for (int i = 0; i < n; i++) {
        config_setting_t *a = config_setting_get_elem(arr, (unsigned)i);
        const char *to, *name = NULL;
        double rate;
        uint32_t target;
        char auto_name[64];
        if (config_setting_type(a) != CONFIG_TYPE_GROUP)
            return cfg_error(f, a, e, ERR_INPUT,
                             "each arrival must be a group { to = \"...\"; rate_per_day = ...; }");
        if ((rc = cfg_check_keys(f, a, arrival_keys, e)) != 0 ||
            (rc = cfg_get_string(f, a, "to", true, false, &to, e)) != 0 ||
            (rc = cfg_get_double_in(f, a, "rate_per_day", true, 0.0, 1e9, &rate, e)) != 0 ||
            (rc = cfg_get_string(f, a, "name", false, false, &name, e)) != 0 ||
            (rc = resolve_target(sc, config_setting_get_member(a, "to"), to, &target, e)) != 0)
            return rc;
        if (target == NET_EXIT)
            return cfg_error(f, a, e, ERR_INPUT, "arrivals cannot go to 'exit'; expected a node");
        if (name == NULL) {
            /* Unnamed sources are named by position, so their streams are stable
             * as long as the list order is. */
            snprintf(auto_name, sizeof auto_name, "arrivals.%d", i);
            name = auto_name;
        }
        err_info sub;
        if ((rc = net_add_source(&sc->net, name, target, rate, &sub)) != 0)
            return cfg_error(f, a, e, rc, "%s", sub.text);
    }
    return 0;
}

static void add_warning(scenario *sc, const char *text)
{
    size_t used = strlen(sc->warnings);
    snprintf(sc->warnings + used, sizeof sc->warnings - used, "%s\n", text);
}

/*
 * A session node: one event per session, so a tiny interval is refused like
 * too many arrivals; a queue fed faster than capacity / every grows without
 * bound (warned, and its backlog at the horizon into *backlog); otherwise the
 * node holds about one interval's arrivals plus those in service.
 */
static int check_session_magnitudes(scenario *sc, const net_node *nd, config_setting_t *ns,
                                    double lambda, double *backlog, err_info *e)
{
    const cfg_file *f = &sc->file;
    double sessions = sc->horizon_days / nd->session_every * sc->replications;
    if (sessions > sc->limits.max_expected_arrivals)
        return cfg_error(f, config_setting_get_member(ns, "session"), e, ERR_LIMIT,
                         "node '%s': about %.3g sessions over %u replications of %g days, over "
                         "limits.max_expected_arrivals (%.3g); expected longer every_days",
                         nd->name, sessions, sc->replications, sc->horizon_days,
                         sc->limits.max_expected_arrivals);
    double per_session = lambda * nd->session_every;
    char text[512];
    *backlog = per_session + lambda * dist_mean(&nd->service);
    if (nd->session_first >= sc->horizon_days) {
        *backlog = lambda * sc->horizon_days;
        snprintf(text, sizeof text,
                 "%s:%d: warning: node '%s' holds no session: its first, at day %g, is not "
                 "before horizon_days (%g), so everyone who reaches it waits to the end",
                 cfg_where_file(f, ns), cfg_where_line(ns), nd->name, nd->session_first,
                 sc->horizon_days);
        add_warning(sc, text);
    } else if (nd->session_capacity != 0 && per_session >= nd->session_capacity) {
        *backlog = (per_session - nd->session_capacity) * sc->horizon_days / nd->session_every;
        snprintf(text, sizeof text,
                 "%s:%d: warning: node '%s' cannot serve its demand: %.4g arrivals per session "
                 "but it takes at most %u; its queue grows without bound",
                 cfg_where_file(f, ns), cfg_where_line(ns), nd->name, per_session,
                 nd->session_capacity);
        add_warning(sc, text);
    }
    return 0;
}

/* Magnitudes that would exhaust memory or run for days are refused before running. */
static int check_magnitudes(scenario *sc, const double *lambda, err_info *e)
{
    const cfg_file *f = &sc->file;
    config_setting_t *root = cfg_root(&sc->file);
    config_setting_t *nodes = config_setting_get_member(root, "nodes");
    double ext = 0.0;
    for (size_t i = 0; i < sc->net.n_sources; i++)
        ext += sc->net.sources[i].rate_per_day;
    double expected = ext * sc->horizon_days * sc->replications;
    if (expected > sc->limits.max_expected_arrivals)
        return cfg_error(f, config_setting_get_member(root, "arrivals"), e, ERR_LIMIT,
                         "about %.3g arrivals over %u replications of %g days, over "
                         "limits.max_expected_arrivals (%.3g); expected fewer replications, a "
                         "shorter horizon or a higher limit",
                         expected, sc->replications, sc->horizon_days,
                         sc->limits.max_expected_arrivals);
    for (size_t i = 0; i < sc->net.n_nodes; i++) {
        const net_node *nd = &sc->net.nodes[i];
        config_setting_t *ns = config_setting_get_elem(nodes, (unsigned)i);
        double es = dist_mean(&nd->service), load = lambda[i] * es;
        double backlog = 0.0;
        char text[512];
        if (nd->session_every > 0.0) {
            int rc = check_session_magnitudes(sc, nd, ns, lambda[i], &backlog, e);
            if (rc != 0)
                return rc;
        } else if (nd->servers == 0) {
            backlog = load; /* mean number in an infinite-server node */
        } else if (load >= nd->servers) {
            backlog = (lambda[i] - nd->servers / es) * sc->horizon_days;
            snprintf(text, sizeof text,
                     "%s:%d: warning: node '%s' cannot serve its demand: %.4g arrivals/day need "
                     "%.4g busy servers on average but it has %u; its queue grows without bound",
                     cfg_where_file(f, ns), cfg_where_line(ns), nd->name, lambda[i], load,
                     nd->servers);
            add_warning(sc, text);
        }
        if (backlog > (double)sc->limits.max_live_entities)
            return cfg_error(f, ns, e, ERR_LIMIT,
                             "node '%s' would hold about %.3g entities by day %g, over "
                             "limits.max_live_entities (%lld); expected more servers, less "
                             "demand or a higher limit",
                             nd->name, backlog, sc->horizon_days,
                             (long long)sc->limits.max_live_entities);
    }
    return 0;
}

static int check_network(scenario *sc, err_info *e)
{
    config_setting_t *nodes = config_setting_get_member(cfg_root(&sc->file), "nodes");
    err_info sub;
    int rc = net_validate(&sc->net, &sub);
    if (rc != 0)
        return cfg_error(&sc->file, nodes, e, rc, "%s", sub.text);
    double *lambda = mem_calloc(sc->net.n_nodes, sizeof *lambda);
    if (lambda == NULL)
        return err_set(e, ERR_NOMEM, NULL, 0, "out of memory checking the network");
    rc = net_traffic(&sc->net, lambda, &sub);
    if (rc != 0)
        rc = cfg_error(&sc->file, nodes, e, rc, "%s", sub.text);
    else
        rc = check_magnitudes(sc, lambda, e);
    mem_free(lambda);
    return rc;
}

int scenario_load_network(scenario *sc, err_info *e)
{
    int rc;
    if ((rc = scenario_load_settings(sc, NULL, e)) != 0 || (rc = load_nodes(sc, e)) != 0 ||
        (rc = load_arrivals(sc, e)) != 0 || (rc = check_network(sc, e)) != 0) {
        scenario_free(sc);
        return rc;
    }
    return 0;
}

static void scenario_zero(scenario *sc)
{
    memset(sc, 0, sizeof *sc);
    sc->limits = scenario_default_limits();
    net_init(&sc->net);
}

/* Top-level settings holding a file path relative to the scenario's folder:
 * a variant rewrites those it inherits from a base in another folder. */
static const char *const path_keys[] = {"calendar", NULL};

int scenario_open(scenario *sc, const char *path, err_info *e)
{
    scenario_zero(sc);
    int rc = cfg_open(&sc->file, path, e);
    if (rc == 0 && (rc = inherit_resolve(&sc->file, path_keys, &sc->variant, e)) != 0)
        cfg_close(&sc->file);
    return rc;
}

int scenario_open_string(scenario *sc, const char *text, const char *name, err_info *e)
{
    scenario_zero(sc);
    return cfg_open_string(&sc->file, text, name, e);
}

bool scenario_has(scenario *sc, const char *key)
{
    return config_setting_get_member(cfg_root(&sc->file), key) != NULL;
}

int scenario_load(scenario *sc, const char *path, err_info *e)
{
    int rc = scenario_open(sc, path, e);
    return rc != 0 ? rc : scenario_load_network(sc, e);
}

int scenario_load_string(scenario *sc, const char *text, const char *name, err_info *e)
{
    int rc = scenario_open_string(sc, text, name, e);
    return rc != 0 ? rc : scenario_load_network(sc, e);
}

void scenario_free(scenario *sc)
{
    net_fini(&sc->net);
    cfg_close(&sc->file);
    inherit_log_fini(&sc->variant);
    sc->name = sc->description = NULL;
}

/* Sets root.key to the whole number v, as a plain int when it fits (so the
 * resolved copy reads like the original) and a 64-bit one otherwise. */
static int set_whole(config_setting_t *root, const char *key, int64_t v)
{
    int type = (v >= INT32_MIN && v <= INT32_MAX) ? CONFIG_TYPE_INT : CONFIG_TYPE_INT64;
    config_setting_t *s = config_setting_get_member(root, key);
    if (s != NULL && config_setting_type(s) != type) {
        config_setting_remove(root, key);
        s = NULL;
    }
    if (s == NULL && (s = config_setting_add(root, key, type)) == NULL)
        return ERR_NOMEM;
    int ok = type == CONFIG_TYPE_INT ? config_setting_set_int(s, (int)v)
                                     : config_setting_set_int64(s, v);
    return ok == CONFIG_TRUE ? 0 : ERR_NOMEM;
}

/*
 * After the command line changed the number of replications, the magnitudes
 * loading checked against limits.max_expected_arrivals are checked again:
 * external arrivals and, for session nodes (network or pathway panels), the
 * sessions held. A refusal names --replications when that is what changed.
 */
static int recheck_magnitudes(const scenario *sc, bool from_flag, err_info *e)
{
    char who[64] = "";
    if (from_flag)
        snprintf(who, sizeof who, "--replications %u: ", sc->replications);
    double ext = 0.0;
    for (size_t i = 0; i < sc->net.n_sources; i++)
        ext += sc->net.sources[i].rate_per_day;
    double expected = ext * sc->horizon_days * sc->replications;
    if (expected > sc->limits.max_expected_arrivals)
        return err_set(e, ERR_LIMIT, NULL, 0,
                       "%sabout %.3g arrivals over %u replications, over "
                       "limits.max_expected_arrivals (%.3g); expected fewer replications",
                       who, expected, sc->replications, sc->limits.max_expected_arrivals);
    for (size_t i = 0; i < sc->net.n_nodes; i++) {
        const net_node *nd = &sc->net.nodes[i];
        if (nd->session_every <= 0.0)
            continue;
        double sessions = sc->horizon_days / nd->session_every * sc->replications;
        if (sessions > sc->limits.max_expected_arrivals)
            return err_set(e, ERR_LIMIT, NULL, 0,
                           "%snode '%s': about %.3g sessions over %u replications of %g days, over "
                           "limits.max_expected_arrivals (%.3g); expected fewer replications",
                           who, nd->name, sessions, sc->replications, sc->horizon_days,
                           sc->limits.max_expected_arrivals);
    }
    return 0;
}

int scenario_override(scenario *sc, const uint32_t *replications, const uint64_t *seed, err_info *e)
{
    config_setting_t *root = cfg_root(&sc->file);
    if (replications != NULL) {
        if (*replications < 1 || (int64_t)*replications > sc->limits.max_replications)
            return err_set(e, ERR_INPUT, NULL, 0,
                           "--replications %u; expected 1 to %lld (limits.max_replications)",
                           *replications, (long long)sc->limits.max_replications);
        sc->replications = *replications;
        if (set_whole(root, "replications", *replications) != 0)
            return err_set(e, ERR_NOMEM, NULL, 0, "out of memory applying --replications");
    }
    if (seed != NULL) {
        if (*seed > (uint64_t)INT64_MAX)
            return err_set(e, ERR_INPUT, NULL, 0, "--seed %llu; expected 0 to %lld",
                           (unsigned long long)*seed, (long long)INT64_MAX);
        sc->seed = *seed;
        if (set_whole(root, "seed", (int64_t)*seed) != 0)
            return err_set(e, ERR_NOMEM, NULL, 0, "out of memory applying --seed");
    }
    return recheck_magnitudes(sc, replications != NULL, e);
}

int scenario_write(const scenario *sc, FILE *out, err_info *e)
{
    config_write(&sc->file.cfg, out);
    if (ferror(out))
        return err_set(e, ERR_IO, NULL, 0, "cannot write the resolved scenario");
    return 0;
}
