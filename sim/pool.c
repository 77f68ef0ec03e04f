/*
 * pool — chunked object pool. Chunks hold a header followed by the objects and
 * are linked oldest first, so pool_reset can carve them again in order before
 * any new chunk is allocated.
 */
#include "pool.h"

#include <stdalign.h>
#include <string.h>

#include "mem.h"

struct pool_chunk {
    pool_chunk *next;
    size_t count; /* objects in this chunk */
    alignas(max_align_t) unsigned char data[];
};

enum { POOL_FIRST_CHUNK = 1024, POOL_MAX_CHUNK = 65536 };

void pool_init(pool *p, size_t obj_size)
{
    size_t a = alignof(max_align_t);
    if (obj_size < sizeof(void *))
        obj_size = sizeof(void *);
    memset(p, 0, sizeof *p);
    p->obj_size = (obj_size + a - 1) / a * a;
    p->next_chunk = POOL_FIRST_CHUNK;
}

void pool_fini(pool *p)
{
    pool_chunk *c = p->first;
    while (c != NULL) {
        pool_chunk *next = c->next;
        mem_free(c);
        c = next;
    }
    pool_init(p, p->obj_size);
}

void pool_reset(pool *p)
{
    p->free_list = NULL;
    p->live = 0;
    p->peak = 0;
    p->carve = p->first;
    p->carve_next = 0;
}

/* Cold path: move carving to the next chunk, allocating one if there is none.
 * Returns 0, or -1 when allocation fails (pool unchanged). */
static int next_carve_chunk(pool *p)
{
    if (p->carve != NULL && p->carve->next != NULL) {
        p->carve = p->carve->next;
        p->carve_next = 0;
        return 0;
    }
    size_t count = p->next_chunk;
    pool_chunk *c = mem_alloc(sizeof *c + count * p->obj_size);
    if (c == NULL)
        return -1;
    c->count = count;
    c->next = NULL;
    if (p->last != NULL)
        p->last->next = c;
    else
        p->first = c;
    p->last = c;
    p->capacity += count;
    p->carve = c;
    p->carve_next = 0;
    if (p->next_chunk < POOL_MAX_CHUNK)
        p->next_chunk *= 2;
    return 0;
}

void *pool_carve_(pool *p)
{
    if ((p->carve == NULL || p->carve_next == p->carve->count) && next_carve_chunk(p) != 0)
        return NULL;
    void *obj = p->carve->data + p->carve_next++ * p->obj_size;
    if (++p->live > p->peak)
        p->peak = p->live;
    return obj;
}
