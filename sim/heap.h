/*
 * heap — the future-event set: pending events ordered by (time, sequence).
 *
 * Every event carries the simulated time it fires (days, >= 0) and a
 * sequence number the caller assigns in strictly increasing order at
 * scheduling time; the pair is a total order, so two events at the same time
 * fire in the order they were scheduled (FIFO) and a run is reproducible bit
 * for bit. Any correct priority queue on a total order pops the same
 * sequence, so the representation below can change without changing a run.
 *
 * Representation: an implicit 4-ary min-heap of 32-byte event records held
 * by value in one growable array: no pointer chasing, no per-event
 * allocation. Every slot from size to cap holds a sentinel that sorts after
 * any event, so a node's four children can always be read as a full group.
 * See heap.c for why this shape (measured against the alternatives).
 * Complexity: push O(log n), pop and replace_top O(log n) (4 comparisons per
 * level), peek O(1). The array only grows (doubling); heap_reset keeps the
 * memory for the next replication.
 * Not thread-safe; one heap per replication.
 */
#ifndef CASEFLOW_HEAP_H
#define CASEFLOW_HEAP_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "check.h"

/* One pending event. 32 bytes so two fit a cache line. */
typedef struct heap_event {
    double time;       /* days: when the event fires; >= 0 (-0 counts as 0), not NaN */
    uint64_t seq_kind; /* (sequence << 16) | kind: the tie-break, then what to do */
    void *subject;     /* the entity concerned, or NULL */
    uint32_t arg;      /* kind-specific: node or source index */
    uint32_t epoch;    /* subject's epoch when scheduled; a mismatch means cancelled */
} heap_event;

#define HEAP_KIND_BITS 16
#define HEAP_KIND_MASK ((UINT64_C(1) << HEAP_KIND_BITS) - 1)
/* Sequence numbers must stay below this (2^48, ~2.8e14 events per replication). */
#define HEAP_SEQ_MAX (UINT64_C(1) << (64 - HEAP_KIND_BITS))

static inline unsigned heap_event_kind(const heap_event *ev)
{
    return (unsigned)(ev->seq_kind & HEAP_KIND_MASK);
}

typedef struct heap {
    heap_event *items; /* items[0] is the earliest; heap order below it; sentinels from size */
    size_t size;       /* events pending */
    size_t cap;        /* allocated slots; cap >= size + 4 once anything is pushed */
} heap;

/* An empty heap owning no memory. */
void heap_init(heap *h);
/* Frees the array; the heap is then as after heap_init. */
void heap_fini(heap *h);
/* Drops every event, keeping the allocation. O(size). */
void heap_reset(heap *h);
/* Makes room for n events without growing (and so the sentinel after the
 * last event is readable even when the heap is empty). Returns 0 or
 * ERR_NOMEM. */
int heap_reserve(heap *h, size_t n);
/* Inserts ev (time >= 0, CHECKed). Returns 0, or ERR_NOMEM when the array
 * cannot grow (heap unchanged). */
int heap_push(heap *h, const heap_event *ev);
/* Removes the earliest event into *out. Returns 0, or -1 when empty. */
int heap_pop(heap *h, heap_event *out);
/* Removes the earliest event of a non-empty heap (CHECKed) without copying it. */
void heap_drop_top(heap *h);
/*
 * Removes the earliest event of a non-empty heap (CHECKed) and inserts ev
 * (time >= 0, CHECKed) in one pass from the root: the same result as
 * heap_pop then heap_push at about the cost of the pop alone. Cannot fail.
 */
static inline void heap_replace_top(heap *h, const heap_event *ev);
/* heap_replace_top for a caller that has itself established what it CHECKs
 * and normalises: the heap is not empty, and ev->time is >= 0 and +0 rather
 * than -0 (sim's schedule: t = now + a duration, CHECKed >= now, plus 0.0).
 * The CHECK per event was 2% of the engine's instructions on make bench. */
static inline void heap_replace_top_checked_by_caller(heap *h, const heap_event *ev);
/* The earliest event without removing it, or NULL when empty. */
static inline const heap_event *heap_peek(const heap *h)
{
    return h->size ? &h->items[0] : NULL;
}

/*
 * The earliest event of a heap on which heap_reserve has been called: when
 * the heap is empty, a sentinel that fires after every event (time +inf). So
 * an event loop can take the earlier of two heaps' tops without testing
 * either for emptiness.
 */
static inline const heap_event *heap_top(const heap *h);
/* 1 when a fires before b in (time, sequence) order, else 0; no branch. */
static inline int heap_event_before(const heap_event *a, const heap_event *b);

/* --- the hot path, inline -------------------------------------------------
 * replace-top runs once for almost every event. Called across modules it
 * paid about 15 instructions of call, register saves and restores per event
 * (cachegrind, make bench); inline, the event loop keeps its registers. What
 * follows is heap.c's business (its design comment explains it), not part of
 * the contract. */

__extension__ typedef unsigned __int128 heap_key_;

static inline heap_key_ heap_key_of_(const heap_event *e)
{
    uint64_t t;
    memcpy(&t, &e->time, sizeof t);
    return (heap_key_)t << 64 | e->seq_kind;
}

/* 1 when a sorts before b, without a branch. */
static inline size_t heap_before_(const heap_event *a, const heap_event *b)
{
    return heap_key_of_(a) < heap_key_of_(b);
}

/* Moves *x down from the hole at i of a heap of n events to its place. */
static inline void heap_sift_down_(heap_event *a, size_t n, size_t i, const heap_event *x)
{
    for (;;) {
        size_t f = 4 * i + 1;
        if (f >= n)
            break;
        size_t b01 = f + heap_before_(&a[f + 1], &a[f]);
        size_t b23 = f + 2 + heap_before_(&a[f + 3], &a[f + 2]);
        size_t best = heap_before_(&a[b23], &a[b01]) ? b23 : b01;
        if (!heap_before_(&a[best], x))
            break;
        a[i] = a[best];
        i = best;
    }
    a[i] = *x;
}

static inline const heap_event *heap_top(const heap *h)
{
    return &h->items[0];
}

static inline int heap_event_before(const heap_event *a, const heap_event *b)
{
    return (int)heap_before_(a, b);
}

static inline __attribute__((always_inline)) void heap_replace_top(heap *h, const heap_event *ev)
{
    CHECK(h->size > 0 && ev->time >= 0.0);
    heap_event e = *ev;
    e.time += 0.0; /* -0 stored as +0 */
    heap_sift_down_(h->items, h->size, 0, &e);
}

static inline __attribute__((always_inline)) void
heap_replace_top_checked_by_caller(heap *h, const heap_event *ev)
{
    heap_sift_down_(h->items, h->size, 0, ev);
}

#endif
