/*
 * mintree — the least of a small indexed set of integer keys: a tournament
 * tree, so the workforce finds the least loaded person in a team without
 * scanning the team on every allocation.
 *
 * Members are indices 0 .. n-1 (n a power of two, the capacity), each with a
 * 64-bit key below MINTREE_EMPTY. mintree_min answers the least key. Keys
 * are integers so that a match is one compare and a conditional move; a
 * caller wanting ties broken by index packs the index into the low bits
 * (workforce.c packs load x 1024 above the slot), which also makes every key
 * distinct.
 *
 * Representation: key[1 .. 2n-1] is a complete binary tree; leaf n + i holds
 * i's key if i is a member, else MINTREE_EMPTY; an inner node holds the
 * lesser of its two children.
 * Complexity: set and remove O(log n), without a data-dependent branch:
 * the path to the root is replayed with the new winner in a register and
 * only the siblings read from memory; min O(1); resize O(n).
 * Not thread-safe: one tree per team per worker.
 */
#ifndef CASEFLOW_MINTREE_H
#define CASEFLOW_MINTREE_H

#include <stdint.h>

#define MINTREE_EMPTY UINT64_MAX

typedef struct mintree {
    uint64_t *key; /* 2n entries; key[1] is the least (n > 0) */
    uint32_t n;    /* capacity: 0 or a power of two */
} mintree;

/* An empty tree of capacity 0 owning no memory. Cannot fail. */
void mintree_init(mintree *t);
/* Frees the array; the tree is then as after mintree_init. */
void mintree_fini(mintree *t);
/* Grows to capacity n (a power of two, >= the current capacity), keeping the
 * members and their keys. Returns 0, or ERR_NOMEM with the tree unchanged. */
int mintree_resize(mintree *t, uint32_t n);
/* No members; the capacity is kept. */
void mintree_clear(mintree *t);
/* Makes i (< capacity) a member with key (< MINTREE_EMPTY), or changes its key. */
static inline void mintree_set(mintree *t, uint32_t i, uint64_t key);
/* i (< capacity) is no longer a member; nothing happens if it was not one. */
void mintree_remove(mintree *t, uint32_t i);

/* Internal to mintree: leaf i takes key and the path to the root is replayed
 * with the winner in a register (mintree.c says why). Inline, as is
 * mintree_set: a team's tree changes on every case it takes or closes, and
 * the call cost as much as two levels of the tree (cachegrind). */
static inline void mintree_put_(mintree *t, uint32_t i, uint64_t key)
{
    uint64_t *k = t->key;
    uint32_t j = t->n + i;
    uint64_t win = key;
    k[j] = key;
    for (; j > 1; j >>= 1) {
        uint64_t sib = k[j ^ 1];
        win = sib < win ? sib : win;
        k[j >> 1] = win;
    }
}

static inline void mintree_set(mintree *t, uint32_t i, uint64_t key)
{
    mintree_put_(t, i, key);
}

/* The least key of a member, or MINTREE_EMPTY when there is none. */
static inline uint64_t mintree_min(const mintree *t)
{
    return t->n > 0 ? t->key[1] : MINTREE_EMPTY;
}

#endif
