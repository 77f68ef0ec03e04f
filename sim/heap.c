/*
 * heap — implicit 4-ary min-heap on (time, seq_kind), branch-free sift-down.
 *
 * Keys. A non-negative double's bit pattern, read as an unsigned integer,
 * orders like the double, so (time, seq_kind) is compared as one unsigned
 * 128-bit integer: a compare and a subtract-with-borrow, no floating-point
 * compare and no branch. -0 is stored as +0 (the two compare equal as doubles,
 * not as bits); NaN and negative times are refused by a CHECK.
 *
 * Sift-down picks the least of four children as a tournament of three
 * branch-free comparisons (two pairs, then their winners), so the only
 * data-dependent branch per level is "stop here". Which child is least is a
 * coin toss the branch predictor loses about half the time; a mispredict
 * costs more than the comparisons it saves. The slots past the last event
 * hold sentinels (time +inf, seq_kind all ones) that lose every comparison,
 * so the last, partial group of children needs no special case.
 *
 * Replace-top. Most events schedule another (an arrival its successor, a
 * departure the next service), so the event loop removes the earliest event
 * and inserts the new one in a single sift-down from the root instead of a
 * sift-down of the last leaf plus a sift-up (sim.c, sim_schedule). It is
 * inline in heap.h and always inlined: at each of the engine's call sites
 * its "stop here" branch has a history of its own (an arrival's successor
 * sinks deep, a service started by a departure less so), and no call saves
 * and restores registers. On make bench (cachegrind, 200,000 customers) that
 * took 380 to 367 instructions and 1.48 to 1.36 mispredicts per event, and
 * user CPU time down 6%. An index heap of 16-byte keys (the key's low bits
 * a slot in a side array of payloads), tried before that, took 390 to 417
 * instructions per event at the same CPU time: the heap at M/M/c's 11 events is 3 cache lines
 * either way, and the slot bookkeeping costs what the smaller copies save. In the hold model it was
 * within noise of this one at every size.
 *
 * Measured (hold model: replace the earliest event by it + a random
 * increment; ns per operation, best of 9 runs of 2e6, this machine, gcc -O2;
 * tests/bench/bench_engine.c `fes` measures the kept one):
 *
 *   pending events              11    2,000   10,000   50,000   5,000 mixed
 *   4-ary, branches, pop+push   26       83      104      134        87
 *   2-ary, branches, replace    23       74       96        -        61
 *   4-ary, branches, replace    21       84      100        -        74
 *   4-ary, int key, branches    19       80       91      120        67
 *   2-ary, int key, no branch   23       37       59      103        40
 *   4-ary, int key, no branch   22       40       50       71        40   <- kept
 *   8-ary, int key, no branch   17      104       95      122        77
 *   4-ary, no branch at all     27       59       72       86        52
 *
 * (the first row was this module before; "mixed": increments exponential with
 * means from an hour to 20 years, as in a council model). The kept shape is
 * the fastest from a thousand pending events up, 2x the old one there, and
 * within a few ns of the best at M/M/c sizes. The last row also made "stop
 * here" branch-free (a fixed number of levels, a conditional move per level,
 * measured in the same run as the kept one: 23, 47, 60, 80, 41): the levels
 * it cannot skip cost more than the mispredicts it saves, and in the M/M/c
 * engine it ran 8% slower. A calendar queue was not kept:
 * a council model's pending events span hours to years, where calendar
 * queues need resizing heuristics and degrade, and at ten events it cannot
 * beat a heap that fits in five cache lines. Aligning groups of four
 * children to cache lines made no measurable difference.
 */
#include "heap.h"

#include <math.h>
#include <string.h>

#include "check.h"
#include "err.h"
#include "mem.h"

/* The comparison and sift-down are heap.h's inline ones (the hot path). */
static const heap_event sentinel = {.time = INFINITY, .seq_kind = UINT64_MAX};

/* The stored copy of ev: time checked, -0 made +0. */
static inline heap_event normalised(const heap_event *ev)
{
    CHECK(ev->time >= 0.0);
    heap_event e = *ev;
    e.time += 0.0;
    return e;
}

void heap_init(heap *h)
{
    h->items = NULL;
    h->size = 0;
    h->cap = 0;
}

void heap_fini(heap *h)
{
    mem_free(h->items);
    heap_init(h);
}

void heap_reset(heap *h)
{
    for (size_t i = 0; i < h->size; i++)
        h->items[i] = sentinel;
    h->size = 0;
}

static int grow_to(heap *h, size_t cap)
{
    heap_event *items = mem_resize(h->items, cap, sizeof *items);
    if (items == NULL)
        return ERR_NOMEM;
    for (size_t i = h->cap; i < cap; i++)
        items[i] = sentinel;
    h->items = items;
    h->cap = cap;
    return 0;
}

static int grow(heap *h)
{
    return grow_to(h, h->cap ? h->cap * 2 : 256);
}

int heap_reserve(heap *h, size_t n)
{
    /* push grows at size + 4 >= cap: keep n + 4 < cap. */
    return n + 4 >= h->cap ? grow_to(h, n + 5) : 0;
}

int heap_push(heap *h, const heap_event *ev)
{
    heap_event e = normalised(ev);
    if (h->size + 4 >= h->cap && grow(h) != 0)
        return ERR_NOMEM;
    heap_event *a = h->items;
    size_t i = h->size++;
    while (i > 0) {
        size_t parent = (i - 1) / 4;
        if (!heap_before_(&e, &a[parent]))
            break;
        a[i] = a[parent];
        i = parent;
    }
    a[i] = e;
    return 0;
}

void heap_drop_top(heap *h)
{
    CHECK(h->size > 0);
    heap_event *a = h->items;
    size_t n = --h->size;
    heap_event last = a[n];
    a[n] = sentinel;
    if (n > 0)
        heap_sift_down_(a, n, 0, &last);
}

int heap_pop(heap *h, heap_event *out)
{
    if (h->size == 0)
        return -1;
    *out = h->items[0];
    heap_drop_top(h);
    return 0;
}
