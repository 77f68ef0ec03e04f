/*
 * mem — the one door through which caseflow allocates.
 *
 * All heap memory in sim/ and models/ is obtained through these functions so
 * a test can swap in an allocator that fails on the Nth call and prove that
 * every error path frees what it allocated and leaves objects consistent.
 *
 * mem_set_hooks must be called before any thread starts (the hooks are
 * process-wide configuration, not per-run state). The mem_* functions are as
 * thread-safe as the hooks installed; the default hooks are libc's.
 */
#ifndef CASEFLOW_MEM_H
#define CASEFLOW_MEM_H

#include <stddef.h>

typedef struct mem_hooks {
    void *(*alloc)(void *ud, size_t size);             /* like malloc */
    void *(*resize)(void *ud, void *ptr, size_t size); /* like realloc */
    void (*release)(void *ud, void *ptr);              /* like free */
    void *ud;                                          /* passed to each hook */
} mem_hooks;

/* Installs hooks; NULL restores libc's malloc/realloc/free. */
void mem_set_hooks(const mem_hooks *hooks);

/* Returns NULL on failure (and for size 0). */
void *mem_alloc(size_t size);
/* Zero-filled n*size bytes; NULL on failure or overflow. */
void *mem_calloc(size_t n, size_t size);
/* Resizes to n*size bytes; on failure returns NULL and ptr is untouched. */
void *mem_resize(void *ptr, size_t n, size_t size);
/* Frees ptr; mem_free(NULL) does nothing. */
void mem_free(void *ptr);
/* A copy of s in fresh memory, or NULL. */
char *mem_strdup(const char *s);

#endif
