/*
 * pool — fixed-size object pool for entities: allocation off the event path.
 *
 * Objects are carved from chunks that are never moved or freed until
 * pool_fini, so a pointer to a live object stays valid for its lifetime.
 * Freed objects go on an intrusive free list (the first pointer-sized bytes of
 * a free object hold the link) and are reused LIFO, which keeps the working
 * set warm in cache. Hot path: pool_get/pool_put are O(1) and allocate only
 * when the free list and the current chunk are both exhausted (cold path: one
 * new chunk, sizes doubling up to a cap).
 *
 * pool_reset makes every object free again while keeping the chunks, so the
 * next replication on the same thread allocates nothing.
 * Not thread-safe; one pool per replication worker.
 */
#ifndef CASEFLOW_POOL_H
#define CASEFLOW_POOL_H

#include <stddef.h>
#include <string.h>

typedef struct pool_chunk pool_chunk;

typedef struct pool {
    size_t obj_size;   /* bytes per object, rounded up to max alignment */
    size_t live;       /* objects handed out and not returned */
    size_t peak;       /* highest `live` since init or reset */
    size_t capacity;   /* objects in all chunks */
    void *free_list;   /* returned objects */
    pool_chunk *first; /* every chunk, oldest first */
    pool_chunk *last;  /* newest chunk, where new chunks are appended */
    pool_chunk *carve; /* chunk being carved, NULL if none */
    size_t carve_next; /* next never-used slot in `carve` */
    size_t next_chunk; /* objects in the next chunk to allocate */
} pool;

/* An empty pool of objects of obj_size bytes (> 0). Allocates nothing yet. */
void pool_init(pool *p, size_t obj_size);
/* Frees every chunk; outstanding objects become invalid. */
void pool_fini(pool *p);
/* Every object becomes free; chunks are kept. */
void pool_reset(pool *p);
/* An object, or NULL when a new chunk cannot be allocated. Its bytes are not
 * cleared (whatever its last user or pool_put left): the caller initialises
 * what it reads, and zero-filling every object cost the M/M/c engine a
 * memset call per customer. */
static inline void *pool_get(pool *p);
/* Returns obj (from this pool) for reuse; pool_put(p, NULL) does nothing. */
static inline void pool_put(pool *p, void *obj);

/* --- the hot path, inline: one get and one put per customer, where a call
 * cost as much as the work (cachegrind, make bench). pool.c has the cold
 * path and the design. */

/* The next never-used object, carving a new chunk when the current one is
 * used up; NULL when a chunk cannot be allocated. */
void *pool_carve_(pool *p);

static inline void *pool_get(pool *p)
{
    void *obj = p->free_list;
    if (obj == NULL)
        return pool_carve_(p);
    memcpy(&p->free_list, obj, sizeof(void *));
    if (++p->live > p->peak)
        p->peak = p->live;
    return obj;
}

static inline void pool_put(pool *p, void *obj)
{
    if (obj == NULL)
        return;
    memcpy(obj, &p->free_list, sizeof(void *));
    p->free_list = obj;
    p->live--;
}

#endif
