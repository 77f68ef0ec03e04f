/*
 * mintree — a tournament tree over a team's people (mintree.h).
 *
 * Why a tournament tree and not a binary heap: a person's key (their load)
 * changes on every case they take or close, and the tree updates in place
 * from a leaf whose position is the index itself, with no position map to
 * keep; its tie-break by index falls out of the layout. Why not buckets by
 * load: loads are sums of arbitrary case weights, not small integers.
 */
#include "pathway/mintree.h"

#include <string.h>

#include "err.h"
#include "mem.h"

void mintree_init(mintree *t)
{
    t->win = NULL;
    t->key = NULL;
    t->n = 0;
}

void mintree_fini(mintree *t)
{
    mem_free(t->win);
    mem_free(t->key);
    mintree_init(t);
}

/* The winner of a match: a from the left subtree (lower indices) wins ties. */
static uint32_t match(const mintree *t, uint32_t a, uint32_t b)
{
    if (a == MINTREE_NONE)
        return b;
    if (b == MINTREE_NONE)
        return a;
    return t->key[b] < t->key[a] ? b : a;
}

static void replay(mintree *t, uint32_t i)
{
    for (uint32_t k = (t->n + i) >> 1; k >= 1; k >>= 1) {
        uint32_t was = t->win[k];
        t->win[k] = match(t, t->win[2 * k], t->win[2 * k + 1]);
        /* Above an unchanged winner whose key did not change, nothing changes. */
        if (t->win[k] == was && was != i)
            return;
    }
}

int mintree_resize(mintree *t, uint32_t n)
{
    if (n == t->n)
        return 0;
    uint32_t *win = mem_calloc(2 * (size_t)n, sizeof *win);
    double *key = mem_resize(t->key, n, sizeof *key);
    if (win == NULL || key == NULL) {
        mem_free(win);
        if (key != NULL)
            t->key = key; /* grown but unused: still holds the old keys */
        return ERR_NOMEM;
    }
    memset(win, 0xff, 2 * (size_t)n * sizeof *win); /* every entry MINTREE_NONE */
    for (uint32_t i = 0; i < t->n; i++)
        win[n + i] = t->win[t->n + i];
    mem_free(t->win);
    t->win = win;
    t->key = key;
    t->n = n;
    for (uint32_t k = n - 1; k >= 1; k--)
        win[k] = match(t, win[2 * k], win[2 * k + 1]);
    return 0;
}

void mintree_clear(mintree *t)
{
    if (t->n > 0)
        memset(t->win, 0xff, 2 * (size_t)t->n * sizeof *t->win);
}

void mintree_set(mintree *t, uint32_t i, double key)
{
    t->key[i] = key;
    t->win[t->n + i] = i;
    replay(t, i);
}

void mintree_remove(mintree *t, uint32_t i)
{
    if (t->win[t->n + i] == MINTREE_NONE)
        return;
    t->win[t->n + i] = MINTREE_NONE;
    replay(t, i);
}
