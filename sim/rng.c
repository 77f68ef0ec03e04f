/*
 * rng — stream seeding. The mixing is splitmix64's finaliser applied to each
 * component in turn, so seeds for neighbouring replications or names that
 * differ in one letter are unrelated bit patterns (MT19937 seeded with nearby
 * integers starts from correlated states, so raw counters would be unsafe).
 */
#include "rng.h"

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
