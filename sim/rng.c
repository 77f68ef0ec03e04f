/*
 * rng — stream seeding. The mixing is splitmix64's finaliser applied to each
 * component in turn, so seeds for neighbouring replications or names that
 * differ in one letter are unrelated bit patterns (MT19937 seeded with nearby
 * integers starts from correlated states, so raw counters would be unsafe).
 */
#include "rng.h"

#include <stdbool.h>

#include "check.h"

static uint64_t mix64(uint64_t z)
{
    z += UINT64_C(0x9e3779b97f4a7c15);
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

uint64_t rng_hash_name(const char *s)
{
    uint64_t h = UINT64_C(0xcbf29ce484222325);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        h ^= *p;
        h *= UINT64_C(0x100000001b3);
    }
    return h;
}

unsigned long rng_seed_for(uint64_t master, uint32_t rep, const char *purpose, const char *name)
{
    uint64_t z = mix64(master);
    z = mix64(z ^ rep);
    z = mix64(z ^ rng_hash_name(purpose));
    z = mix64(z ^ rng_hash_name(name));
    unsigned long seed = (unsigned long)((z ^ (z >> 32)) & UINT64_C(0xffffffff));
    return seed ? seed : 1;
}

gsl_rng *rng_open(unsigned long seed)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    if (r != NULL) {
        /* rng_word reads this state as an rng_mt_state (rng.h). */
        CHECK(gsl_rng_size(r) == sizeof(rng_mt_state));
        gsl_rng_set(r, seed);
    }
    return r;
}

/*
 * MT19937's recurrence (Matsumoto and Nishimura 1998) over the whole block:
 * word k becomes word k + 397 (mod 624) xor the twist of the top bit of word
 * k and the low 31 bits of word k + 1. The twist's conditional xor of the
 * matrix constant is a mask, -(y & 1), not a branch on a random bit.
 */
enum { MT_M = 397 };

static unsigned long mt_twist(unsigned long hi, unsigned long lo, unsigned long far)
{
    unsigned long y = (hi & 0x80000000UL) | (lo & 0x7fffffffUL);
    return far ^ (y >> 1) ^ (0x9908b0dfUL & (0UL - (y & 1UL)));
}

void rng_mt_refill(rng_mt_state *s)
{
    unsigned long *mt = s->mt;
    int k = 0;
    for (; k < RNG_MT_N - MT_M; k++)
        mt[k] = mt_twist(mt[k], mt[k + 1], mt[k + MT_M]);
    for (; k < RNG_MT_N - 1; k++)
        mt[k] = mt_twist(mt[k], mt[k + 1], mt[k + MT_M - RNG_MT_N]);
    mt[RNG_MT_N - 1] = mt_twist(mt[RNG_MT_N - 1], mt[0], mt[MT_M - 1]);
    s->mti = 0;
}

void rng_reseed(gsl_rng *r, unsigned long seed)
{
    gsl_rng_set(r, seed);
}

/*
 * MT19937's initialisation as GSL's set function does it (Matsumoto and
 * Nishimura's init_genrand, with GSL's default 4357 for a seed of 0): word 0
 * is the seed, word i is 1812433253 (word i-1 xor its top two bits) + i, all
 * mod 2^32, then the block is used up so the first draw refills it. Each word
 * waits on the previous one's multiplication, so four streams are seeded in
 * one loop, their chains overlapping: 0.3 microseconds a stream instead of
 * 1.06 (gcc 12, this machine). tests/test_rng.c holds the states to GSL's.
 */
enum { SEED_LANES = 4 };

static uint32_t mt_seed_next(uint32_t x, uint32_t i)
{
    return UINT32_C(1812433253) * (x ^ (x >> 30)) + i;
}

static uint32_t mt_seed_word0(unsigned long seed)
{
    return (uint32_t)(seed != 0 ? seed : 4357);
}

/* Four chains in four named registers: through an array gcc keeps them in
 * memory, and a store and a load join every link of each chain. */
static void mt_seed_lanes(gsl_rng *const *r, const unsigned long *seed)
{
    unsigned long *a = ((rng_mt_state *)r[0]->state)->mt, *b = ((rng_mt_state *)r[1]->state)->mt,
                  *c = ((rng_mt_state *)r[2]->state)->mt, *d = ((rng_mt_state *)r[3]->state)->mt;
    uint32_t xa = mt_seed_word0(seed[0]), xb = mt_seed_word0(seed[1]), xc = mt_seed_word0(seed[2]),
             xd = mt_seed_word0(seed[3]);
    a[0] = xa;
    b[0] = xb;
    c[0] = xc;
    d[0] = xd;
    for (uint32_t i = 1; i < RNG_MT_N; i++) {
        a[i] = xa = mt_seed_next(xa, i);
        b[i] = xb = mt_seed_next(xb, i);
        c[i] = xc = mt_seed_next(xc, i);
        d[i] = xd = mt_seed_next(xd, i);
    }
    for (int j = 0; j < SEED_LANES; j++)
        ((rng_mt_state *)r[j]->state)->mti = RNG_MT_N;
}

static bool all_mt(gsl_rng *const *r, size_t n)
{
    for (size_t j = 0; j < n; j++)
        if (r[j]->type != gsl_rng_mt19937)
            return false;
    return true;
}

void rng_reseed_many(gsl_rng *const *r, const unsigned long *seed, size_t n)
{
    size_t i = 0;
    for (; i + SEED_LANES <= n; i += SEED_LANES) {
        if (all_mt(r + i, SEED_LANES))
            mt_seed_lanes(r + i, seed + i);
        else
            for (size_t j = i; j < i + SEED_LANES; j++)
                gsl_rng_set(r[j], seed[j]);
    }
    for (; i < n; i++)
        gsl_rng_set(r[i], seed[i]);
}
