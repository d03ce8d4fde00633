/* rng.h: small counter-based and sequential random numbers, identical on every platform.
 * splitmix64 hashes (key, counter) pairs, so any element's draw is independent of who draws
 * it (partitions, threads); xoshiro-style streams are not needed. */
#ifndef GCN_RNG_H
#define GCN_RNG_H

#include <math.h>
#include <stdint.h>

static inline uint64_t gcn_mix64(uint64_t x)
{
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

/* Uniform in [0, 1) from the top 53 bits. */
static inline double gcn_u01(uint64_t bits)
{
    return (double)(bits >> 11) * 0x1.0p-53;
}

/* Sequential stream: state advances by one per draw. */
static inline uint64_t gcn_next(uint64_t *state)
{
    *state += 0x9e3779b97f4a7c15ULL;
    uint64_t x = *state;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

/* Standard normal by Box-Muller from two draws of the stream. */
static inline double gcn_normal(uint64_t *state)
{
    double u1 = gcn_u01(gcn_next(state));
    double u2 = gcn_u01(gcn_next(state));
    if (u1 < 1e-300)
        u1 = 1e-300;
    return sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2);
}

#endif
