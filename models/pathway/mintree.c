/*
 * mintree — a tournament tree over a team's people (mintree.h).
 *
 * Why a tournament tree and not a binary heap: a person's key (their load)
 * changes on every case they take or close, and the tree updates in place
 * from a leaf whose position is the index itself, with no position map to
 * keep. Why not buckets by load: loads are sums of arbitrary case weights,
 * not small integers.
 *
 * Why replay from a register: reading each level's winner back from the node
 * just written chains a store, a load and a compare per level; with doubles
 * and a branch per match that took 10% of a Bridgend run under perf. Here
 * the chain is a compare and a conditional move per level.
 */
#include "pathway/mintree.h"

#include <string.h>

#include "err.h"
#include "mem.h"

void mintree_init(mintree *t)
{
    t->key = NULL;
    t->n = 0;
}

void mintree_fini(mintree *t)
{
    mem_free(t->key);
    mintree_init(t);
}

int mintree_resize(mintree *t, uint32_t n)
{
    if (n == t->n)
        return 0;
    uint64_t *key = mem_alloc(2 * (size_t)n * sizeof *key);
    if (key == NULL)
        return ERR_NOMEM;
    memset(key, 0xff, 2 * (size_t)n * sizeof *key); /* every entry MINTREE_EMPTY */
    if (t->n > 0)
        memcpy(key + n, t->key + t->n, t->n * sizeof *key);
    for (uint32_t k = n - 1; k >= 1; k--)
        key[k] = key[2 * k] < key[2 * k + 1] ? key[2 * k] : key[2 * k + 1];
    mem_free(t->key);
    t->key = key;
    t->n = n;
    return 0;
}

void mintree_clear(mintree *t)
{
    if (t->n > 0)
        memset(t->key, 0xff, 2 * (size_t)t->n * sizeof *t->key);
}

void mintree_remove(mintree *t, uint32_t i)
{
    if (t->key[t->n + i] != MINTREE_EMPTY)
        mintree_put_(t, i, MINTREE_EMPTY);
}
