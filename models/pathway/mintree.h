/*
 * mintree — which member of a small indexed set has the least key: a
 * tournament tree, so the workforce finds the least loaded person in a team
 * without scanning the team on every allocation.
 *
 * Members are indices 0 .. n-1 (n a power of two, the capacity), each with a
 * double key. mintree_min answers the member with the least key and, among
 * equal keys, the lowest index: exactly what a scan in index order keeping
 * the first strictly smaller key returns, so swapping a scan for the tree
 * changes no result.
 *
 * Representation: win[1 .. 2n-1] is a complete binary tree; leaf n + i holds
 * i if i is a member, else MINTREE_NONE; an inner node holds the winner of
 * its two children. Every index in a node's left subtree is lower than every
 * index in its right one, which is how ties go to the lower index.
 * Complexity: set and remove O(log n) (they stop early once a node's winner
 * is unchanged and is not the index touched), min O(1), resize O(n).
 * Keys must not be NaN. Not thread-safe: one tree per team per worker.
 */
#ifndef CASEFLOW_MINTREE_H
#define CASEFLOW_MINTREE_H

#include <stdint.h>

#define MINTREE_NONE UINT32_MAX

typedef struct mintree {
    uint32_t *win; /* 2n entries; win[1] is the overall winner (n > 0) */
    double *key;   /* n entries; meaningful for members only */
    uint32_t n;    /* capacity: 0 or a power of two */
} mintree;

/* An empty tree of capacity 0 owning no memory. Cannot fail. */
void mintree_init(mintree *t);
/* Frees the arrays; the tree is then as after mintree_init. */
void mintree_fini(mintree *t);
/* Grows to capacity n (a power of two, >= the current capacity), keeping the
 * members and their keys. Returns 0, or ERR_NOMEM with the tree unchanged. */
int mintree_resize(mintree *t, uint32_t n);
/* No members; the capacity is kept. */
void mintree_clear(mintree *t);
/* Makes i (< capacity) a member with key, or changes its key. */
void mintree_set(mintree *t, uint32_t i, double key);
/* i (< capacity) is no longer a member; nothing happens if it was not one. */
void mintree_remove(mintree *t, uint32_t i);

/* The member with the least key (the lowest index among ties), or MINTREE_NONE. */
static inline uint32_t mintree_min(const mintree *t)
{
    return t->n > 0 ? t->win[1] : MINTREE_NONE;
}

#endif
