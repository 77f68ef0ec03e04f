/*
 * failing_mem.h — an allocator for tests that fails its fail_at-th call and
 * counts the blocks still live, installed through mem_set_hooks (sim/mem.h).
 * A test fails each allocation of an operation in turn and checks that every
 * error path frees what it allocated (live == 0 afterwards).
 *
 * Header-only (static inline) so each test binary stays one .c file.
 */
#ifndef CASEFLOW_TESTS_FAILING_MEM_H
#define CASEFLOW_TESTS_FAILING_MEM_H

#include <stddef.h>
#include <stdlib.h>

#include "mem.h"

typedef struct failing {
    long calls;   /* allocations and resizes attempted */
    long fail_at; /* the call that fails (1-based); 0 for none */
    long live;    /* blocks allocated and not yet released */
} failing;

static inline void *failing_alloc(void *ud, size_t size)
{
    failing *f = ud;
    if (++f->calls == f->fail_at)
        return NULL;
    void *p = malloc(size);
    f->live += p != NULL;
    return p;
}

static inline void *failing_resize(void *ud, void *ptr, size_t size)
{
    failing *f = ud;
    if (++f->calls == f->fail_at)
        return NULL;
    void *p = realloc(ptr, size);
    f->live += ptr == NULL && p != NULL;
    return p;
}

static inline void failing_release(void *ud, void *ptr)
{
    failing *f = ud;
    f->live -= ptr != NULL;
    free(ptr);
}

#endif
