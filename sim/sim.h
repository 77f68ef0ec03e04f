/*
 * sim — one replication of a discrete-event simulation of an open network.
 *
 * The engine moves entities through the nodes of a net: Poisson sources
 * create them, each node serves them FIFO with `servers` parallel servers
 * (0 = unlimited), or in batches at set times for a session node, and routes
 * them on departure to another node or out.
 * Models (models/) give entities meaning through hooks: extra attributes
 * stored after the sim_entity header, routing and durations that depend on
 * them, and events of their own kinds.
 *
 * Clock and order: simulated time in days (double). Events fire in order of
 * (time, sequence of scheduling): a total order, so runs are reproducible.
 * An event is never scheduled in the past (CHECKed). Events at or after the
 * horizon never fire. Statistics cover the window [warmup, horizon): time
 * averages integrate over it; tallies count waits whose service starts, and
 * times in node whose departures fall, inside it.
 *
 * Session nodes (net_set_sessions): an entity arriving at one always joins
 * the node's FIFO queue. Session k fires as an engine event at
 * t_k = first + k * every (k = 0, 1, ...; only times before the horizon are
 * ever scheduled, one at a time), takes up to capacity entities from the head
 * of the queue (all when capacity is 0) and starts their service together:
 * each draws its service time as at any node, holds an unlimited slot
 * (in_service = 1) and departs and is routed as usual. A departure never
 * passes its slot to a waiting entity: only sessions start service there.
 * The node's servers must be 0 (net_set_sessions); it is unused.
 *
 * Ties at a session time t_k follow the (time, sequence) order. Session k's
 * event is scheduled by session k - 1, as its first action; session 0's by
 * sim_run's set-up, after the warm-up event and before the sources' first
 * arrivals and on_start. So at t_k:
 *   - entities on_start sends in directly are queued before any event fires
 *     (a session at time 0 takes them);
 *   - an event at t_k scheduled before session k - 1 fired (for k = 0,
 *     none) fires before session k: the entity it brings is in session k;
 *   - an event at t_k scheduled when or after session k - 1 fired (session
 *     k - 1's own departures, anything a model scheduled since) fires after
 *     session k, as does anything session k causes (a zero service time
 *     routed back): the entity waits for session k + 1.
 * Roughly: scheduled before t_{k-1}, in time; scheduled later, next session.
 * Continuous random times never tie. An entity still waiting at the horizon
 * stays there: no session is held at or after it.
 *
 * Randomness: each source draws inter-arrival times from stream
 * ("arrival", source name), each node service times from ("service", node
 * name) and routing from ("route", node name), seeded per replication by
 * rng_seed_for. A node with one route draws nothing for routing.
 *
 * Memory: sim_create allocates every stream and per-node table; sim_run
 * reuses them (and the entity pool and event array from the previous run), so
 * a worker thread allocates nothing after its first replications reach their
 * peak size. No allocation happens per event once the pool and heap are warm.
 *
 * Thread-safety: a sim belongs to one thread; many sims may share one net.
 */
#ifndef CASEFLOW_SIM_H
#define CASEFLOW_SIM_H

#include <gsl/gsl_rng.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "heap.h"
#include "net.h"

typedef struct sim sim;

/* The engine's part of an entity. A model's entity struct starts with it. */
typedef struct sim_entity {
    struct sim_entity *prev, *next; /* links in a node's FIFO queue */
    uint64_t id;                    /* synthetic id, 1, 2, ... in creation order per replication */
    double t_born;                  /* days: when the entity entered the network */
    double t_enter;                 /* days: when it entered its current node */
    uint32_t node;                  /* current node index, NET_NONE while between nodes */
    uint32_t epoch;                 /* bumped on leaving a node: cancels its pending departure */
    uint32_t source;                /* index of the arrival source that created it */
    uint32_t in_service;            /* 1 while holding a server (or an unlimited slot) */
} sim_entity;

/* Event kinds. Models use kinds >= SIM_EV_USER (up to 2^16 - 1). */
enum {
    SIM_EV_ARRIVAL = 1, /* arg: source index */
    SIM_EV_DEPART = 2,  /* subject: the entity; arg: its node */
    SIM_EV_WARMUP = 3,  /* the statistics window opens */
    SIM_EV_SESSION = 4, /* arg: a session node; fires when its next session is held */
    SIM_EV_USER = 16
};

/*
 * Hooks a model supplies; any may be NULL for the engine's default.
 * Hooks must not call sim_run; they may call sim_schedule, sim_now and
 * sim_send. A hook returning a negative code stops the run with that code
 * (its message in the err_info passed to sim_run, via sim_error).
 */
typedef struct sim_hooks {
    void *ctx; /* passed to every hook */
    /* A replication starts at time 0 with an empty network and the sources'
     * first arrivals scheduled: schedule the model's own initial events
     * (a warm start, scheduled changes). */
    int (*on_start)(void *ctx, sim *s);
    /* A source has just created e (attributes zeroed); before e joins its node. */
    int (*on_create)(void *ctx, sim *s, sim_entity *e);
    /* Service time at node, days (>= 0, finite). Default: the node's distribution. */
    double (*service_time)(void *ctx, sim *s, sim_entity *e, uint32_t node, gsl_rng *r);
    /* Next node after node, or NET_EXIT. Default: the node's route table. */
    uint32_t (*route)(void *ctx, sim *s, sim_entity *e, uint32_t node, gsl_rng *r);
    /* e leaves the network; called before it is returned to the pool. */
    void (*on_leave)(void *ctx, sim *s, sim_entity *e);
    /* An event of a model kind (>= SIM_EV_USER) fires. */
    int (*on_event)(void *ctx, sim *s, const heap_event *ev);
    /* The statistics window opens (at warmup): reset the model's own counters. */
    void (*on_window)(void *ctx, sim *s);
} sim_hooks;

typedef struct sim_options {
    double warmup_days;   /* statistics ignore [0, warmup) */
    double horizon_days;  /* the run ends here; > warmup_days */
    uint64_t seed;        /* scenario seed */
    uint32_t replication; /* replication index, 0-based */
    size_t max_live;      /* stop with ERR_LIMIT past this many entities in the network */
    const volatile sig_atomic_t *stop; /* when non-NULL and set, stop with ERR_INTERRUPT */
} sim_options;

/*
 * A node's statistics over the window, per replication. At a session node
 * "waiting" means waiting for a session: Lq is the time-average number
 * waiting, Wq the mean time from joining the node to the session that took
 * the entity (over entities taken by sessions in the window), and L and W
 * include the service after the session. Its utilisation is the share of
 * session places used: entities taken / (sessions held x capacity), over the
 * sessions held in the window; NaN with unlimited capacity or no session in
 * the window. (Its slots are unlimited, so busy / servers would mean nothing.)
 */
typedef struct sim_node_result {
    double L;                  /* time-average number in the node */
    double Lq;                 /* time-average number waiting */
    double W;                  /* mean time in node, days (NaN with no departures) */
    double Wq;                 /* mean wait before service, days (0 for unlimited nodes) */
    double utilisation;        /* busy servers / servers (NaN for unlimited nodes) */
    double throughput_per_day; /* departures per day */
    uint64_t departures;       /* departures in the window */
} sim_node_result;

/*
 * A simulator for net (which must outlive it and have passed net_validate)
 * whose entities are entity_size bytes (>= sizeof(sim_entity)). hooks is
 * copied; NULL means all defaults. Returns NULL with e set on failure.
 */
sim *sim_create(const net *n, size_t entity_size, const sim_hooks *hooks, err_info *e);
/* sim_destroy(NULL) does nothing. */
void sim_destroy(sim *s);

/*
 * Runs one replication from an empty network at time 0 to o->horizon_days.
 * Returns 0; ERR_LIMIT when more than o->max_live entities are in the network
 * at once (a queue growing without bound); ERR_INTERRUPT when *o->stop was
 * set; ERR_NOMEM; or a hook's code. After a failure the results are
 * meaningless but the sim can run again.
 */
int sim_run(sim *s, const sim_options *o, err_info *e);

/* Results of the last successful sim_run for node i. */
void sim_node_result_get(const sim *s, uint32_t node, sim_node_result *out);

/* Current simulated time, days. Inline (models ask it several times per
 * event): the clock is the first member of struct sim (sim.c), and a pointer
 * to a struct, converted, points to its first member. */
static inline double sim_now(const sim *s)
{
    return *(const double *)(const void *)s;
}
/*
 * Schedules an event of kind at time t (>= now, CHECKed) about subject (may
 * be NULL) with argument arg. kind is not SIM_EV_ARRIVAL (CHECKed): the
 * sources' arrivals are the engine's own; a model makes its own arrivals
 * with an event of its kind and sim_spawn. If subject is an entity, its current epoch is
 * recorded and the event is dropped if the entity has since left its node.
 * An event at or after the horizon is not stored (it would never fire).
 * Returns 0 or ERR_NOMEM.
 */
int sim_schedule(sim *s, double t, unsigned kind, sim_entity *subject, uint32_t arg);
/* Sends e (between nodes) into node, or out of the network for NET_EXIT. */
int sim_send(sim *s, sim_entity *e, uint32_t node);
/*
 * Takes e out of its node now, whether waiting (for a server or a session) or
 * in service (a family that gives up waiting, a child who turns 18): its
 * pending departure is cancelled, a server it held passes to the next in line
 * (at a session node nobody inherits it: only sessions start service), and
 * the time it spent counts towards the node's W and throughput like a
 * departure (so Little's law still holds for the node); a waiting entity has
 * no Wq observation. No routing is drawn: e is left between nodes and the
 * caller must sim_send it. Returns 0 or a code from starting the next service.
 */
int sim_withdraw(sim *s, sim_entity *e);
/*
 * A new entity made by the model (arrivals of its own process, a warm
 * start's existing caseload): id, t_born = now and source set (NET_NONE or a
 * source index), model attributes zeroed, between nodes; on_create is not
 * called. The caller must sim_send it. Returns 0, ERR_LIMIT past
 * max_live entities, or ERR_NOMEM; *out is NULL on failure.
 */
int sim_spawn(sim *s, uint32_t source, sim_entity **out);
/* Entities in node now (waiting + in service), and waiting only. */
size_t sim_node_count(const sim *s, uint32_t node);
size_t sim_node_queued(const sim *s, uint32_t node);
/* Records a message for a hook's failure; returns code. */
int sim_error(sim *s, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Counters of the last run: events fired, entities created, live now and at peak. */
uint64_t sim_events(const sim *s);
uint64_t sim_created(const sim *s);
size_t sim_live(const sim *s);
size_t sim_peak_live(const sim *s);

#endif
