/*
 * rng — named, independent random streams for common random numbers.
 *
 * Every source of randomness in a model (an arrival source, a node's service
 * times, a node's routing, later a workforce process) draws from its own GSL
 * generator whose seed is a hash of (scenario seed, replication index,
 * purpose, name). Because the seed depends on the *name* and not on the
 * order streams are created, two scenarios run with the same seed see the
 * same arrivals and the same draws at every node they share, even when one
 * adds, removes or reorders nodes: that is what makes paired comparisons of
 * operating models sharp (common random numbers).
 *
 * Generator: GSL's MT19937 (period 2^19937-1, equidistributed in 623
 * dimensions). GSL seeds it from 32 bits, so seeds are 32-bit: two distinct
 * streams collide with probability about k^2/2^33 for k streams, i.e. about
 * one in ten million for the hundred-odd streams of one replication.
 *
 * Thread-safety: rng_seed_for is pure; each rng_stream belongs to one thread.
 */
#ifndef CASEFLOW_RNG_H
#define CASEFLOW_RNG_H

#include <gsl/gsl_rng.h>
#include <stddef.h>
#include <stdint.h>

/* 64-bit FNV-1a hash of a NUL-terminated string. */
uint64_t rng_hash_name(const char *s);

/*
 * The 32-bit seed (never 0, which GSL would replace) of the stream named
 * (purpose, name) in replication rep of a run with scenario seed master.
 * purpose separates uses of one name, e.g. "service" and "route" of node "A".
 */
unsigned long rng_seed_for(uint64_t master, uint32_t rep, const char *purpose, const char *name);

/*
 * The next 32-bit word of r, the same word gsl_rng_get(r) would return.
 * Inline for the engine's hot draws: for an MT19937 stream (every rng_open
 * stream) it reads GSL's state itself, tempering inline and refilling the
 * 624-word block out of line without a data-dependent branch; GSL's own
 * refill takes a 50/50 branch per word, half a mispredicted branch per draw,
 * and every gsl_rng_get is an indirect call into libgsl. Any other generator
 * type goes through its get function. The state's layout (624 unsigned longs,
 * then the index of the next word) is GSL's, unchanged since GSL 1.0:
 * rng_open CHECKs its size and tests/test_rng.c checks a million words
 * against gsl_rng_get. Mixing rng_word and GSL's calls on one stream is fine:
 * both read and advance the same state.
 */
enum { RNG_MT_N = 624 };
typedef struct rng_mt_state {
    unsigned long mt[RNG_MT_N]; /* the block; every entry < 2^32 */
    int mti;                    /* next word to temper; RNG_MT_N: refill first */
} rng_mt_state;

/* Replaces the block by the next 624 words (before tempering); mti = 0. */
void rng_mt_refill(rng_mt_state *s);

static inline uint32_t rng_word(gsl_rng *r)
{
    if (r->type != gsl_rng_mt19937)
        return (uint32_t)gsl_rng_get(r);
    rng_mt_state *s = r->state;
    if (s->mti >= RNG_MT_N)
        rng_mt_refill(s);
    uint32_t y = (uint32_t)s->mt[s->mti++];
    y ^= y >> 11;
    y ^= (y << 7) & UINT32_C(0x9d2c5680);
    y ^= (y << 15) & UINT32_C(0xefc60000);
    return y ^ (y >> 18);
}

/* A uniform on [0, 1) from one word, k / 2^32: what gsl_rng_uniform gives for MT19937. */
static inline double rng_uniform(gsl_rng *r)
{
    return (double)rng_word(r) * 0x1p-32;
}

/* A new generator seeded with seed, or NULL on allocation failure. Free with gsl_rng_free. */
gsl_rng *rng_open(unsigned long seed);

/* Re-seeds an existing generator (no allocation). */
void rng_reseed(gsl_rng *r, unsigned long seed);

/* rng_reseed(r[i], seed[i]) for i < n, the same states, faster: MT19937
 * seeding is 624 dependent multiplications (about a microsecond each), and
 * four streams seeded side by side overlap their chains. n may be 0. */
void rng_reseed_many(gsl_rng *const *r, const unsigned long *seed, size_t n);

#endif
