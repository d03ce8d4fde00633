/* parallel.h: the OpenMP thread queries and the checked array allocation shared by the
 * data-building code (graph.c, dataset.c, synth.c). */
#ifndef GCN_PARALLEL_H
#define GCN_PARALLEL_H

#include <stdint.h>
#include <stdlib.h>

#ifdef _OPENMP
#include <omp.h>
#endif

/* Threads a parallel region would get. */
static inline int gcn_max_threads(void)
{
#ifdef _OPENMP
    return omp_get_max_threads();
#else
    return 1;
#endif
}

/* This thread's number inside a parallel region (0 outside). */
static inline int gcn_thread_id(void)
{
#ifdef _OPENMP
    return omp_get_thread_num();
#else
    return 0;
#endif
}

/* Threads of the current parallel region (1 outside). */
static inline int gcn_thread_count(void)
{
#ifdef _OPENMP
    return omp_get_num_threads();
#else
    return 1;
#endif
}

/* malloc of count * size bytes with an overflow check; never returns a zero-byte block, so
 * NULL always means failure. Free with free. */
static inline void *gcn_alloc_array(size_t count, size_t size)
{
    if (size != 0 && count > SIZE_MAX / size)
        return NULL;
    const size_t bytes = count * size;
    return malloc(bytes ? bytes : 1);
}

#endif
