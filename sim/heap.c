/*
 * heap — implicit d-ary min-heap on (time, seq_kind).
 *
 * Why 4-ary: a pop costs d comparisons per level over log_d(n) levels, so
 * arity 4 halves the depth of a binary heap for the same comparisons per
 * cache line (four 32-byte children span two lines). `make bench` measures
 * both on the M/M/c workload (see bench_engine.c); the README records it.
 * A calendar queue wins only for large, evenly spread event sets; a council
 * model keeps a few thousand pending events with widely varying horizons
 * (a screening in hours, a care episode in years), where calendar queues
 * degrade, so the heap is the robust choice.
 *
 * Sift-down uses the "hole" technique: the displaced element is written once
 * at its final position instead of being swapped level by level.
 */
#include "heap.h"

#include "err.h"
#include "mem.h"

#ifndef HEAP_ARITY
#define HEAP_ARITY 4
#endif

static inline int before(const heap_event *a, const heap_event *b)
{
    return a->time < b->time || (a->time == b->time && a->seq_kind < b->seq_kind);
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
    h->size = 0;
}

static int grow(heap *h)
{
    size_t cap = h->cap ? h->cap * 2 : 256;
    heap_event *items = mem_resize(h->items, cap, sizeof *items);
    if (items == NULL)
        return ERR_NOMEM;
    h->items = items;
    h->cap = cap;
    return 0;
}

int heap_push(heap *h, const heap_event *ev)
{
    if (h->size == h->cap && grow(h) != 0)
        return ERR_NOMEM;
    heap_event *a = h->items;
    size_t i = h->size++;
    while (i > 0) {
        size_t parent = (i - 1) / HEAP_ARITY;
        if (!before(ev, &a[parent]))
            break;
        a[i] = a[parent];
        i = parent;
    }
    a[i] = *ev;
    return 0;
}

int heap_pop(heap *h, heap_event *out)
{
    if (h->size == 0)
        return -1;
    heap_event *a = h->items;
    *out = a[0];
    size_t n = --h->size;
    if (n == 0)
        return 0;
    heap_event last = a[n];
    size_t i = 0;
    for (;;) {
        size_t first = i * HEAP_ARITY + 1;
        if (first >= n)
            break;
        size_t best = first;
        size_t end = first + HEAP_ARITY < n ? first + HEAP_ARITY : n;
        for (size_t c = first + 1; c < end; c++)
            if (before(&a[c], &a[best]))
                best = c;
        if (!before(&a[best], &last))
            break;
        a[i] = a[best];
        i = best;
    }
    a[i] = last;
    return 0;
}
