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
#include <stdint.h>

/* 64-bit FNV-1a hash of a NUL-terminated string. */
uint64_t rng_hash_name(const char *s);

/*
 * The 32-bit seed (never 0, which GSL would replace) of the stream named
 * (purpose, name) in replication rep of a run with scenario seed master.
 * purpose separates uses of one name, e.g. "service" and "route" of node "A".
 */
unsigned long rng_seed_for(uint64_t master, uint32_t rep, const char *purpose, const char *name);

/* A new generator seeded with seed, or NULL on allocation failure. Free with gsl_rng_free. */
gsl_rng *rng_open(unsigned long seed);

/* Re-seeds an existing generator (no allocation). */
void rng_reseed(gsl_rng *r, unsigned long seed);

#endif
