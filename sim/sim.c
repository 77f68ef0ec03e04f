/*
 * sim — the event loop.
 *
 * Design: a single loop pops the earliest event and dispatches on its kind.
 * Engine kinds (arrival, departure, warm-up) are handled inline; model kinds
 * go to the on_event hook. Departures carry the entity's epoch at scheduling
 * time; an entity that left its node early (a model's renege or age-out)
 * has a newer epoch, so its stale departure is skipped when popped rather
 * than searched for and removed from the heap (lazy cancellation, O(1)).
 * The event being dispatched stays at the top of the heap until it either
 * schedules its first event, which takes its place in one sift-down
 * (heap_replace_top; a departure typically schedules the next service), or
 * returns, when it is dropped: most events cost one heap pass,
 * not two. On `make bench` this took the engine from 17 to 20 million
 * events/s on a busy machine (task-clock, best of 5).
 *
 * Arrivals from the sources wait in a heap of their own, one event per
 * source, not in the future-event set: the loop fires whichever of the two
 * tops is earlier in (time, sequence) order, the total order of a single
 * heap, so runs are the same bit for bit. An arrival then makes no pass over
 * the future-event set (its successor replaces it in the small heap), and
 * that set holds only departures and model events. The choice between the
 * two tops is the arrival-or-departure branch the dispatch switch had before,
 * no new one. On make bench (M/M/c, c = 10, cachegrind) it took an event
 * from 353 to 296 instructions and from 1.36 to 1.07 mispredicts; inlining
 * enter_node, release_server and sim_send into the loop (their calls saved
 * and restored registers on every event) took it to 273, CPU time -18% in
 * all. A pathway model has no sources (its arrivals are its own events):
 * it pays one well-predicted comparison per event.
 *
 * Node statistics keep only two time-weighted levels, queue length and busy
 * servers: the number in the node is their sum at every instant, so its
 * time average is the sum of theirs, and one update is saved on every event.
 *
 * The order of operations at a departure is: free the server, start the
 * next waiting entity, then route the departing entity. So an entity fed
 * back to its own node joins the back of the queue, as in a Jackson network.
 *
 * Session nodes reuse the queue and the busy level: only their session event
 * moves entities from one to the other, a batch at a time. The cost to an
 * ordinary node is one predictable branch where a server frees with a queue
 * behind it (and one on entry to an unlimited node); the alternative, a
 * second queue for session nodes, would cost nothing there but split every
 * queue operation, sim_withdraw included, in two. Measured with cachegrind on
 * `make bench` (no session node): 0.2% more instructions than without
 * sessions. A session schedules the next one (one pending event per session
 * node, not the whole calendar up front, which would hold horizon / every
 * events in the heap).
 */
#include "sim.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "mem.h"
#include "pool.h"
#include "rng.h"
#include "stat.h"

typedef struct node_state {
    const net_node *def;
    uint32_t servers;        /* 0 = unlimited */
    uint32_t busy;           /* entities in service */
    uint64_t queued;         /* entities waiting */
    sim_entity *head, *tail; /* FIFO queue */
    uint32_t session;        /* 1 for a session node: only its sessions start service */
    stat_tw q_tw, busy_tw;
    /* Sums and counts of the times in the node (w) and before service (wq).
     * Only their means are reported (a replication's variability comes from
     * the spread between replications), so no sum of squares: a tally with one
     * cost eight instructions more per customer (cachegrind, make bench). A
     * plain sum of positive numbers is accurate to n x 1e-16 relative. */
    double w_sum, wq_sum;
    uint64_t w_n, wq_n;
    uint64_t departures;
    gsl_rng *svc_rng, *route_rng;
} node_state;

/* An arrival source's stream and mean gap, 1 / rate (days), divided once per
 * run rather than per arrival. */
typedef struct source_state {
    gsl_rng *rng;
    double gap;
} source_state;

/* A session node's own bookkeeping, kept out of node_state: every event
 * touches that record, and at 240 bytes instead of 216 indexing it took an
 * instruction more (cachegrind on make bench). */
typedef struct session_state {
    uint64_t next;  /* index k of the next session */
    uint64_t held;  /* sessions held in the window */
    uint64_t taken; /* entities they took */
} session_state;

struct sim {
    /* First: sim.h's inline sim_now reads it through the sim pointer. */
    double now;
    const net *net;
    sim_hooks hooks;
    node_state *nodes;
    session_state *sessions; /* one per node; NULL when the net has no session node */
    source_state *src;
    heap fes;
    /* The sources' next arrivals, one per source, in a heap of their own
     * (see the design comment): what fires next is the earlier of its top
     * and fes's. */
    heap arrivals;
    /* 1 while the event being dispatched is still at the top of fes: the
     * first event it schedules replaces it (heap_replace_top), and if it
     * schedules none the loop drops it after dispatch. */
    int top_taken;
    pool entities;
    double warmup, horizon;
    uint64_t seq, n_events, next_id;
    /* Epochs come from one clock per run, not a per-entity count: a pooled
     * entity is set up afresh on reuse, and a count restarting at 0 would let a
     * stale event about its previous occupant match the new one. A stale
     * event could only match again after 2^32 departures while it is
     * pending. */
    uint32_t epoch_clock;
    size_t max_live;
    size_t entity_size; /* bytes of the model's entity struct, sim_entity first */
    /* 1 when any hook called on every event is set (see HOOKED). */
    int per_event_hooks;
    err_info *err; /* the caller's, during sim_run */
    /* Every stream of the engine with its seed for this replication, for one
     * rng_reseed_many (four MT19937 seedings side by side, 3.5x faster than
     * one at a time: two per node and one per source). */
    gsl_rng **reseed_r;
    unsigned long *reseed_seed;
};

sim *sim_create(const net *n, size_t entity_size, const sim_hooks *hooks, err_info *e)
{
    CHECK(entity_size >= sizeof(sim_entity));
    sim *s = mem_calloc(1, sizeof *s);
    if (s == NULL)
        goto nomem;
    s->net = n;
    if (hooks != NULL)
        s->hooks = *hooks;
    s->per_event_hooks = s->hooks.on_create || s->hooks.service_time || s->hooks.route ||
                         s->hooks.on_leave || s->hooks.on_event;
    heap_init(&s->fes);
    heap_init(&s->arrivals);
    pool_init(&s->entities, entity_size);
    s->entity_size = entity_size;
    s->nodes = n->n_nodes ? mem_calloc(n->n_nodes, sizeof *s->nodes) : NULL;
    s->src = n->n_sources ? mem_calloc(n->n_sources, sizeof *s->src) : NULL;
    size_t n_streams = 2 * n->n_nodes + n->n_sources;
    s->reseed_r = n_streams ? mem_calloc(n_streams, sizeof *s->reseed_r) : NULL;
    s->reseed_seed = n_streams ? mem_calloc(n_streams, sizeof *s->reseed_seed) : NULL;
    if ((n->n_nodes && s->nodes == NULL) || (n->n_sources && s->src == NULL) ||
        (n_streams && (s->reseed_r == NULL || s->reseed_seed == NULL)))
        goto nomem;
    /* Both tops are read on every event, so both arrays exist from the start;
     * the arrivals heap never holds more than one event per source. */
    if (heap_reserve(&s->fes, 0) != 0 || heap_reserve(&s->arrivals, n->n_sources) != 0)
        goto nomem;
    for (size_t i = 0; i < n->n_nodes; i++) {
        node_state *ns = &s->nodes[i];
        ns->def = &n->nodes[i];
        ns->servers = ns->def->servers;
        ns->session = ns->def->session_every > 0.0;
        if (ns->session && s->sessions == NULL &&
            (s->sessions = mem_calloc(n->n_nodes, sizeof *s->sessions)) == NULL)
            goto nomem;
        ns->svc_rng = rng_open(1);
        ns->route_rng = rng_open(1);
        if (ns->svc_rng == NULL || ns->route_rng == NULL)
            goto nomem;
    }
    for (size_t i = 0; i < n->n_sources; i++)
        if ((s->src[i].rng = rng_open(1)) == NULL)
            goto nomem;
    return s;
nomem:
    sim_destroy(s);
    err_set(e, ERR_NOMEM, NULL, 0, "out of memory creating a simulation");
    return NULL;
}

void sim_destroy(sim *s)
{
    if (s == NULL)
        return;
    if (s->nodes != NULL)
        for (size_t i = 0; i < s->net->n_nodes; i++) {
            if (s->nodes[i].svc_rng)
                gsl_rng_free(s->nodes[i].svc_rng);
            if (s->nodes[i].route_rng)
                gsl_rng_free(s->nodes[i].route_rng);
        }
    if (s->src != NULL)
        for (size_t i = 0; i < s->net->n_sources; i++)
            if (s->src[i].rng)
                gsl_rng_free(s->src[i].rng);
    mem_free(s->nodes);
    mem_free(s->sessions);
    mem_free(s->src);
    mem_free(s->reseed_r);
    mem_free(s->reseed_seed);
    heap_fini(&s->fes);
    heap_fini(&s->arrivals);
    pool_fini(&s->entities);
    mem_free(s);
}

_Static_assert(offsetof(struct sim, now) == 0, "sim_now (sim.h) reads the first member");

uint64_t sim_events(const sim *s)
{
    return s->n_events;
}

uint64_t sim_created(const sim *s)
{
    return s->next_id;
}

size_t sim_live(const sim *s)
{
    return s->entities.live;
}

size_t sim_peak_live(const sim *s)
{
    return s->entities.peak;
}

int sim_error(sim *s, int code, const char *fmt, ...)
{
    if (s->err == NULL)
        return code;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s->err->text, sizeof s->err->text, fmt, ap);
    va_end(ap);
    s->err->code = code;
    return code;
}

/* The functions an event passes through take `hooked`, a constant at every
 * call: HOOKED where a model may have set hooks (the public entry points,
 * sessions, and the loop of a model with per-event hooks), 0 in the loop of
 * a plain network, where the tests of the hook pointers and their branches
 * then compile away. Plain networks are the queueing-theory validation and
 * the engine benchmark; a pathway has hooks. On make bench's caseflow run
 * (M/M/c, 2 million events, cachegrind) the plain copy took the process
 * from 266 to 251 instructions an event and 6% fewer mispredicts; the
 * pathway's copy is unchanged (+0.1%). With two loops gcc stopped inlining
 * route_default and leave_node; forcing it took the plain copy to 243. */
#define HOOKED 1

/* sim_schedule, inlined at every call in the engine: whether the event
 * replaces the top (top_taken) is decided per call site, where it is
 * predictable (a service started by a departure replaces it, one started by
 * an arrival is pushed).
 * Behind one shared branch the two interleave as a coin toss: 0.54
 * mispredicts per event on make bench (cachegrind). */
static inline __attribute__((always_inline)) int schedule(sim *s, double t, unsigned kind,
                                                          sim_entity *subject, uint32_t arg)
{
    CHECK(t >= s->now && kind <= HEAP_KIND_MASK && s->seq < HEAP_SEQ_MAX);
    /* An event at or after the horizon never fires, so it is not stored. In
     * a three-year pathway run 3,300 of 3,670 pending events were such
     * departures, and every heap operation paid for their depth. The
     * sequence number is still taken, so later events tie-break exactly as
     * if it had been stored. */
    if (!(t < s->horizon)) {
        s->seq++;
        return 0;
    }
    heap_event ev = {.time = t + 0.0, /* -0 stored as +0, as heap_push does */
                     .seq_kind = (s->seq++ << HEAP_KIND_BITS) | kind,
                     .subject = subject,
                     .arg = arg,
                     .epoch = subject ? subject->epoch : 0};
    if (s->top_taken) {
        s->top_taken = 0;
        heap_replace_top_checked_by_caller(&s->fes, &ev);
        return 0;
    }
    if (heap_push(&s->fes, &ev) != 0)
        return sim_error(s, ERR_NOMEM, "out of memory: %zu pending events", s->fes.size);
    return 0;
}

int sim_schedule(sim *s, double t, unsigned kind, sim_entity *subject, uint32_t arg)
{
    CHECK(kind != SIM_EV_ARRIVAL); /* a source's arrivals live in s->arrivals */
    return schedule(s, t, kind, subject, arg);
}

/* Source src's arrival at t (>= now), taking the next sequence number
 * whether or not it is stored, as schedule() does, so ties break as in a
 * single heap. */
static inline __attribute__((always_inline)) heap_event arrival_event(sim *s, double t,
                                                                      uint32_t src)
{
    CHECK(t >= s->now && s->seq < HEAP_SEQ_MAX);
    return (heap_event){.time = t + 0.0, /* -0 stored as +0, as heap_push does */
                        .seq_kind = (s->seq++ << HEAP_KIND_BITS) | SIM_EV_ARRIVAL,
                        .subject = NULL,
                        .arg = src,
                        .epoch = 0};
}

/* A source's next arrival. The one being dispatched is the top of
 * s->arrivals: its successor replaces it there, or, falling at or after the
 * horizon, is not stored and the source falls silent. */
static inline __attribute__((always_inline)) void schedule_next_arrival(sim *s, double t,
                                                                        uint32_t src)
{
    heap_event ev = arrival_event(s, t, src);
    if (t < s->horizon)
        heap_replace_top_checked_by_caller(&s->arrivals, &ev);
    else
        heap_drop_top(&s->arrivals);
}

/* --- nodes ------------------------------------------------------------ */

/* Inlined into its callers for the same reason as schedule(). */
static inline __attribute__((always_inline)) int
start_service(sim *s, node_state *ns, sim_entity *e, uint32_t node, const int hooked)
{
    ns->wq_sum += s->now - e->t_enter;
    ns->wq_n++;
    double st;
    if (hooked && s->hooks.service_time) {
        st = s->hooks.service_time(s->hooks.ctx, s, e, node, ns->svc_rng);
        CHECK(st >= 0.0 && isfinite(st));
    } else {
        /* A validated distribution's draw needs no check (4 instructions per
         * event on make bench): schedule() CHECKs t >= now anyway. */
        st = dist_sample(&ns->def->service, ns->svc_rng);
    }
    e->in_service = 1;
    return schedule(s, s->now + st, SIM_EV_DEPART, e, node);
}

static inline __attribute__((always_inline)) int enter_node(sim *s, sim_entity *e, uint32_t node,
                                                            const int hooked)
{
    node_state *ns = &s->nodes[node];
    e->node = node;
    e->t_enter = s->now;
    /* A session node has servers == 0 but is never free on arrival; a node
     * with servers pays nothing for the test. */
    if ((ns->servers == 0 && !ns->session) || ns->busy < ns->servers) {
        stat_tw_set(&ns->busy_tw, s->now, (double)++ns->busy);
        return start_service(s, ns, e, node, hooked);
    }
    e->prev = ns->tail;
    e->next = NULL;
    if (ns->tail)
        ns->tail->next = e;
    else
        ns->head = e;
    ns->tail = e;
    stat_tw_set(&ns->q_tw, s->now, (double)++ns->queued);
    return 0;
}

static inline __attribute__((always_inline)) uint32_t route_default(const node_state *ns)
{
    const net_node *d = ns->def;
    if (d->n_routes == 0)
        return NET_EXIT;
    if (d->n_routes == 1)
        return d->routes[0].to;
    double u = rng_uniform(ns->route_rng);
    size_t r = 0;
    while (u >= d->routes[r].cum && r + 1 < d->n_routes)
        r++;
    return d->routes[r].to;
}

static inline __attribute__((always_inline)) void leave_network(sim *s, sim_entity *e,
                                                                const int hooked)
{
    if (hooked && s->hooks.on_leave)
        s->hooks.on_leave(s->hooks.ctx, s, e);
    pool_put(&s->entities, e);
}

static inline __attribute__((always_inline)) int send(sim *s, sim_entity *e, uint32_t node,
                                                      const int hooked)
{
    if (node == NET_EXIT) {
        leave_network(s, e, hooked);
        return 0;
    }
    CHECK(node < s->net->n_nodes);
    return enter_node(s, e, node, hooked);
}

int sim_send(sim *s, sim_entity *e, uint32_t node)
{
    return send(s, e, node, HOOKED);
}

/* Unlinks the head of a non-empty queue (the caller updates queued). */
static sim_entity *pop_head(node_state *ns)
{
    sim_entity *e = ns->head;
    ns->head = e->next;
    if (ns->head)
        ns->head->prev = NULL;
    else
        ns->tail = NULL;
    return e;
}

/* e stops holding its server at node: the next in line (if any) takes it,
 * except at a session node, where only a session starts service. */
static inline __attribute__((always_inline)) int release_server(sim *s, node_state *ns,
                                                                uint32_t node, const int hooked)
{
    if (ns->head == NULL || ns->session) {
        stat_tw_set(&ns->busy_tw, s->now, (double)--ns->busy);
        return 0;
    }
    /* The server passes straight to the next in line: busy is unchanged. */
    sim_entity *next = pop_head(ns);
    stat_tw_set(&ns->q_tw, s->now, (double)--ns->queued);
    return start_service(s, ns, next, node, hooked);
}

/* The bookkeeping of any way out of a node; e is left between nodes. */
static inline __attribute__((always_inline)) void leave_node(sim *s, node_state *ns, sim_entity *e)
{
    ns->w_sum += s->now - e->t_enter;
    ns->w_n++;
    ns->departures++;
    e->epoch = ++s->epoch_clock;
    e->in_service = 0;
    e->node = NET_NONE;
}

static inline __attribute__((always_inline)) int depart(sim *s, sim_entity *e, uint32_t node,
                                                        const int hooked)
{
    node_state *ns = &s->nodes[node];
    int rc = release_server(s, ns, node, hooked);
    if (rc != 0)
        return rc;
    leave_node(s, ns, e);
    uint32_t to = hooked && s->hooks.route ? s->hooks.route(s->hooks.ctx, s, e, node, ns->route_rng)
                                           : route_default(ns);
    return send(s, e, to, hooked);
}

int sim_withdraw(sim *s, sim_entity *e)
{
    CHECK(e->node < s->net->n_nodes);
    uint32_t node = e->node;
    node_state *ns = &s->nodes[node];
    if (e->in_service) {
        int rc = release_server(s, ns, node, HOOKED);
        if (rc != 0)
            return rc;
    } else {
        if (e->prev)
            e->prev->next = e->next;
        else
            ns->head = e->next;
        if (e->next)
            e->next->prev = e->prev;
        else
            ns->tail = e->prev;
        stat_tw_set(&ns->q_tw, s->now, (double)--ns->queued);
    }
    leave_node(s, ns, e);
    return 0;
}

/* sim_spawn, inlined into arrive(): called across the file it cost a call
 * and the saves of the registers the arrival path keeps live. */
static inline __attribute__((always_inline)) int spawn(sim *s, uint32_t source, sim_entity **out)
{
    *out = NULL;
    if (s->entities.live >= s->max_live)
        return sim_error(s, ERR_LIMIT,
                         "more than %zu entities in the system at day %.1f: a queue is growing "
                         "without bound (demand above capacity); raise limits.max_live_entities "
                         "or add capacity",
                         s->max_live, s->now);
    sim_entity *e = pool_get(&s->entities);
    if (e == NULL)
        return sim_error(s, ERR_NOMEM, "out of memory with %zu entities in the system",
                         s->entities.live);
    /* The pool does not clear objects: every engine field is set here, and
     * only the model's attributes after the header are zero-filled (none in
     * an engine-only run, where a memset per customer was measurable). */
    e->prev = e->next = NULL;
    e->id = ++s->next_id;
    e->t_born = s->now;
    e->t_enter = 0.0; /* as the zero-fill left it: a model may read it before sim_send */
    e->node = NET_NONE;
    e->epoch = ++s->epoch_clock;
    e->source = source;
    e->in_service = 0;
    if (s->entity_size > sizeof *e)
        memset(e + 1, 0, s->entity_size - sizeof *e);
    *out = e;
    return 0;
}

int sim_spawn(sim *s, uint32_t source, sim_entity **out)
{
    return spawn(s, source, out);
}

size_t sim_node_count(const sim *s, uint32_t node)
{
    CHECK(node < s->net->n_nodes);
    return (size_t)(s->nodes[node].queued + s->nodes[node].busy);
}

size_t sim_node_queued(const sim *s, uint32_t node)
{
    CHECK(node < s->net->n_nodes);
    return (size_t)s->nodes[node].queued;
}

/* --- arrivals --------------------------------------------------------- */

/* The arrival at the top of s->arrivals, from source src, fires. */
static inline __attribute__((always_inline)) int arrive(sim *s, uint32_t src, const int hooked)
{
    const net_source *so = &s->net->sources[src];
    schedule_next_arrival(s, s->now + dist_exponential_draw(s->src[src].rng, s->src[src].gap), src);
    sim_entity *e;
    int rc = spawn(s, src, &e);
    if (rc != 0)
        return rc;
    if (hooked && s->hooks.on_create && (rc = s->hooks.on_create(s->hooks.ctx, s, e)) != 0)
        return rc;
    return enter_node(s, e, so->to, hooked);
}

/* --- sessions ------------------------------------------------------------ */

/* Schedules the node's next session if it falls before the horizon. Its time
 * is computed from its index, not by adding `every` to the previous time, so
 * rounding does not accumulate over thousands of sessions. */
static int schedule_session(sim *s, uint32_t node)
{
    const net_node *d = s->nodes[node].def;
    double t = d->session_first + (double)s->sessions[node].next * d->session_every;
    if (!(t < s->horizon))
        return 0; /* it would never fire */
    return sim_schedule(s, t, SIM_EV_SESSION, NULL, node);
}

/* Session `next` of node: the next one is scheduled first (the tie rule
 * of sim.h depends on it), then up to capacity waiting entities start service
 * in FIFO order. The levels are updated before the first service starts so a
 * service_time hook sees the node as it is after the session. */
static int hold_session(sim *s, uint32_t node)
{
    node_state *ns = &s->nodes[node];
    session_state *ss = &s->sessions[node];
    ss->next++;
    int rc = schedule_session(s, node);
    if (rc != 0)
        return rc;
    uint32_t capacity = ns->def->session_capacity;
    uint64_t take = ns->queued;
    if (capacity != 0 && take > capacity)
        take = capacity;
    ss->held++;
    ss->taken += take;
    if (take == 0)
        return 0;
    CHECK(take <= UINT32_MAX - ns->busy);
    ns->queued -= take;
    ns->busy += (uint32_t)take;
    stat_tw_set(&ns->q_tw, s->now, (double)ns->queued);
    stat_tw_set(&ns->busy_tw, s->now, (double)ns->busy);
    for (uint64_t i = 0; i < take && rc == 0; i++)
        rc = start_service(s, ns, pop_head(ns), node, HOOKED);
    return rc;
}

/* Session 0 of every session node. A function of its own, not a loop in
 * reset_run: inlined into sim_run, the loop made gcc spill a register of the
 * departure path (four instructions more per departure, cachegrind). */
static int schedule_first_sessions(sim *s)
{
    int rc = 0;
    for (size_t i = 0; i < s->net->n_nodes && rc == 0; i++)
        if (s->nodes[i].session) {
            s->sessions[i].next = 0;
            rc = schedule_session(s, (uint32_t)i);
        }
    return rc;
}

/* --- statistics window -------------------------------------------------- */

static void open_window(sim *s)
{
    for (size_t i = 0; i < s->net->n_nodes; i++) {
        node_state *ns = &s->nodes[i];
        stat_tw_reset(&ns->q_tw, s->now, (double)ns->queued);
        stat_tw_reset(&ns->busy_tw, s->now, (double)ns->busy);
        ns->w_sum = ns->wq_sum = 0.0;
        ns->w_n = ns->wq_n = 0;
        ns->departures = 0;
        if (s->sessions != NULL)
            s->sessions[i].held = s->sessions[i].taken = 0;
    }
    if (s->hooks.on_window)
        s->hooks.on_window(s->hooks.ctx, s);
}

/* --- the run ------------------------------------------------------------ */

static int reset_run(sim *s, const sim_options *o)
{
    heap_reset(&s->fes);
    heap_reset(&s->arrivals);
    s->top_taken = 0;
    pool_reset(&s->entities);
    s->now = 0.0;
    s->seq = 0;
    s->n_events = 0;
    s->next_id = 0;
    s->epoch_clock = 0;
    s->warmup = o->warmup_days;
    s->horizon = o->horizon_days;
    s->max_live = o->max_live ? o->max_live : SIZE_MAX;
    const net *n = s->net;
    size_t k = 0;
    for (size_t i = 0; i < n->n_nodes; i++) {
        node_state *ns = &s->nodes[i];
        ns->busy = 0;
        ns->queued = 0;
        ns->head = ns->tail = NULL;
        s->reseed_r[k] = ns->svc_rng;
        s->reseed_seed[k++] = rng_seed_for(o->seed, o->replication, "service", ns->def->name);
        s->reseed_r[k] = ns->route_rng;
        s->reseed_seed[k++] = rng_seed_for(o->seed, o->replication, "route", ns->def->name);
    }
    for (size_t i = 0; i < n->n_sources; i++) {
        s->reseed_r[k] = s->src[i].rng;
        s->reseed_seed[k++] = rng_seed_for(o->seed, o->replication, "arrival", n->sources[i].name);
    }
    rng_reseed_many(s->reseed_r, s->reseed_seed, k);
    open_window(s);
    int rc = 0;
    if (s->warmup > 0.0)
        rc = sim_schedule(s, s->warmup, SIM_EV_WARMUP, NULL, 0);
    /* After the warm-up event: a session at exactly warmup_days is in the window. */
    if (rc == 0)
        rc = schedule_first_sessions(s);
    for (size_t i = 0; i < n->n_sources && rc == 0; i++) {
        const net_source *so = &n->sources[i];
        s->src[i].gap = 1.0 / so->rate_per_day;
        if (so->rate_per_day > 0.0) {
            double t = dist_exponential_draw(s->src[i].rng, s->src[i].gap);
            heap_event ev = arrival_event(s, t, (uint32_t)i);
            /* Cannot fail: sim_create reserved a slot per source. */
            if (t < s->horizon)
                rc = heap_push(&s->arrivals, &ev);
        }
    }
    if (rc == 0 && s->hooks.on_start)
        rc = s->hooks.on_start(s->hooks.ctx, s);
    return rc;
}

static inline __attribute__((always_inline)) int dispatch(sim *s, const heap_event *ev,
                                                          const int hooked)
{
    switch (heap_event_kind(ev)) {
    case SIM_EV_DEPART: {
        sim_entity *e = ev->subject;
        if (e->epoch != ev->epoch)
            return 0; /* cancelled: the entity left this node early */
        return depart(s, e, ev->arg, hooked);
    }
    case SIM_EV_WARMUP:
        open_window(s);
        return 0;
    default:
        /* Sessions are rare (one per interval per session node). A case of
         * their own made gcc compile the switch into a jump table, three
         * instructions more on every event (cachegrind, make bench). */
        if (heap_event_kind(ev) == SIM_EV_SESSION)
            return hold_session(s, ev->arg);
        if (!hooked || s->hooks.on_event == NULL)
            return sim_error(s, ERR_INPUT, "event of unknown kind %u", heap_event_kind(ev));
        return s->hooks.on_event(s->hooks.ctx, s, ev);
    }
}

/* The loop, compiled twice (see HOOKED): hooked is a constant in each copy. */
static inline __attribute__((always_inline)) int run_events(sim *s, const sim_options *o,
                                                            const int hooked)
{
    int rc = 0;
    heap_event ev;
    /* No test of the horizon here: no event at or after it is stored, so
     * every stored event fires. An empty heap's top is a sentinel later than
     * any event: the loop ends when both heaps are empty. */
    while (rc == 0) {
        const heap_event *arrival = heap_top(&s->arrivals);
        if (heap_event_before(arrival, heap_top(&s->fes))) {
            s->now = arrival->time;
            s->n_events++;
            rc = arrive(s, arrival->arg, hooked);
        } else {
            if (s->fes.size == 0)
                break;
            ev = *heap_top(&s->fes);
            s->top_taken = 1;
            s->now = ev.time;
            s->n_events++;
            rc = dispatch(s, &ev, hooked);
            if (s->top_taken) {
                s->top_taken = 0;
                heap_drop_top(&s->fes);
            }
        }
        if ((s->n_events & 0xffff) == 0 && o->stop != NULL && *o->stop)
            rc = sim_error(s, ERR_INTERRUPT, "interrupted at day %.1f", s->now);
    }
    return rc;
}

int sim_run(sim *s, const sim_options *o, err_info *e)
{
    CHECK(o->horizon_days > o->warmup_days && o->warmup_days >= 0.0);
    s->err = e;
    int rc = reset_run(s, o);
    if (rc == 0)
        rc = s->per_event_hooks ? run_events(s, o, HOOKED) : run_events(s, o, 0);
    if (rc == 0)
        s->now = s->horizon;
    s->err = NULL;
    return rc;
}

void sim_node_result_get(const sim *s, uint32_t node, sim_node_result *out)
{
    const node_state *ns = &s->nodes[node];
    double span = s->horizon - s->warmup;
    double lq = stat_tw_mean(&ns->q_tw, s->horizon);
    double busy = stat_tw_mean(&ns->busy_tw, s->horizon);
    out->Lq = lq;
    out->L = lq + busy;
    out->W = ns->w_n ? ns->w_sum / (double)ns->w_n : NAN;
    out->Wq = ns->servers == 0 && !ns->session ? 0.0
              : ns->wq_n                       ? ns->wq_sum / (double)ns->wq_n
                                               : NAN;
    if (ns->session) {
        const session_state *ss = &s->sessions[node];
        double places = (double)ss->held * ns->def->session_capacity;
        out->utilisation = places > 0.0 ? (double)ss->taken / places : NAN;
    } else {
        out->utilisation = ns->servers == 0 ? NAN : busy / ns->servers;
    }
    out->throughput_per_day = (double)ns->departures / span;
    out->departures = ns->departures;
}
