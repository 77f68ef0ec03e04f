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
 * sift-down of the last leaf plus a sift-up (sim.c, sim_schedule).
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

__extension__ typedef unsigned __int128 heap_key;

static inline heap_key key(const heap_event *e)
{
    uint64_t t;
    memcpy(&t, &e->time, sizeof t);
    return (heap_key)t << 64 | e->seq_kind;
}

static inline size_t before(const heap_event *a, const heap_event *b)
{
    return key(a) < key(b);
}

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

static int grow(heap *h)
{
    size_t cap = h->cap ? h->cap * 2 : 256;
    heap_event *items = mem_resize(h->items, cap, sizeof *items);
    if (items == NULL)
        return ERR_NOMEM;
    for (size_t i = h->cap; i < cap; i++)
        items[i] = sentinel;
    h->items = items;
    h->cap = cap;
    return 0;
}

/* Moves x down from the hole at i of a heap of n events to its place. */
static inline void sift_down(heap_event *a, size_t n, size_t i, const heap_event *x)
{
    for (;;) {
        size_t f = 4 * i + 1;
        if (f >= n)
            break;
        size_t b01 = f + before(&a[f + 1], &a[f]);
        size_t b23 = f + 2 + before(&a[f + 3], &a[f + 2]);
        size_t best = before(&a[b23], &a[b01]) ? b23 : b01;
        if (!before(&a[best], x))
            break;
        a[i] = a[best];
        i = best;
    }
    a[i] = *x;
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
        if (!before(&e, &a[parent]))
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
        sift_down(a, n, 0, &last);
}

int heap_pop(heap *h, heap_event *out)
{
    if (h->size == 0)
        return -1;
    *out = h->items[0];
    heap_drop_top(h);
    return 0;
}

void heap_replace_top(heap *h, const heap_event *ev)
{
    CHECK(h->size > 0);
    heap_event e = normalised(ev);
    sift_down(h->items, h->size, 0, &e);
}
