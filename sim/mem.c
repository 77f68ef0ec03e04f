/*
 * mem — allocation through replaceable hooks. The hooks are a process-wide
 * setting (like GSL's error handler), changed only by main() or a test before
 * any thread runs; they are not simulation state, so determinism is unaffected.
 */
#include "mem.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void *libc_alloc(void *ud, size_t size)
{
    (void)ud;
    return malloc(size);
}

static void *libc_resize(void *ud, void *ptr, size_t size)
{
    (void)ud;
    return realloc(ptr, size);
}

static void libc_release(void *ud, void *ptr)
{
    (void)ud;
    free(ptr);
}

static mem_hooks active = {libc_alloc, libc_resize, libc_release, NULL};

void mem_set_hooks(const mem_hooks *hooks)
{
    if (hooks == NULL) {
        active = (mem_hooks){libc_alloc, libc_resize, libc_release, NULL};
        return;
    }
    active = *hooks;
}

void *mem_alloc(size_t size)
{
    if (size == 0)
        return NULL;
    return active.alloc(active.ud, size);
}

void *mem_calloc(size_t n, size_t size)
{
    if (n == 0 || size == 0 || n > SIZE_MAX / size)
        return NULL;
    void *p = active.alloc(active.ud, n * size);
    if (p != NULL)
        memset(p, 0, n * size);
    return p;
}

void *mem_resize(void *ptr, size_t n, size_t size)
{
    if (n == 0 || size == 0 || n > SIZE_MAX / size)
        return NULL;
    return active.resize(active.ud, ptr, n * size);
}

void mem_free(void *ptr)
{
    if (ptr != NULL)
        active.release(active.ud, ptr);
}

char *mem_strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = mem_alloc(n);
    if (p != NULL)
        memcpy(p, s, n);
    return p;
}
