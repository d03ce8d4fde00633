/* spmm.c: the gather-add sparse products gcn_spmm and gcn_spmm_sym (declared in kernels.h).
 *
 * Each output row is a sum of gathered neighbour rows. The plain loop keeps the running sum
 * in memory: every nonzero loads, adds and stores each vector of the output row, and a
 * width such as 41 ends in a scalar tail. Here the sum of a block of up to 64 columns stays
 * in registers for the whole row (4 AVX-512 or 8 AVX2 accumulators, masked loads for the
 * tail, which never fault) and is stored once. Each element still adds its terms one at a
 * time in nonzero order, with a separate multiply and add where the sum is scaled (no FMA:
 * C11 mode compiles without contraction), so every path gives the plain loop's bits.
 * Measured on reddit-synth (2-core Xeon VM): see README, "Performance".
 *
 * The path is picked once per call from the CPU (AVX-512F, AVX2, else the plain loop). */
#include "kernels.h"

#include <stdlib.h>
#include <string.h>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

/* Nonzeros a gather runs ahead of itself: the neighbour rows are scattered, so their first
 * and last cache lines are requested early. */
#define SPMM_PREFETCH_AHEAD 8
/* Columns whose running sums stay in registers in one pass over a row's nonzeros. */
#define SPMM_BLOCK 64

/* The plain loop, for CPUs without AVX2 (and the reference the others must match). */
static void spmm_rows_plain(float *out, size_t ldo, const int64_t *rowptr, const int32_t *col,
                            const float *s_row, const float *s, const float *x, size_t ldx,
                            size_t n_rows, size_t w, int accumulate)
{
    for (size_t i = 0; i < n_rows; i++) {
        float *restrict o = out + i * ldo;
        if (!accumulate)
            memset(o, 0, w * sizeof *o);
        const int64_t end = rowptr[i + 1];
        for (int64_t k = rowptr[i]; k < end; k++) {
            if (k + SPMM_PREFETCH_AHEAD < end)
                __builtin_prefetch(x + (size_t)col[k + SPMM_PREFETCH_AHEAD] * ldx);
            const float *restrict xr = x + (size_t)col[k] * ldx;
            if (s) {
                const float sj = s[col[k]];
                for (size_t j = 0; j < w; j++)
                    o[j] += sj * xr[j];
            } else {
                for (size_t j = 0; j < w; j++)
                    o[j] += xr[j];
            }
        }
        if (s_row) {
            const float si = s_row[i];
            for (size_t j = 0; j < w; j++)
                o[j] *= si;
        }
    }
}

#if defined(__x86_64__)
static inline void prefetch_row(const float *x, size_t ldx, int32_t c, size_t w)
{
    const float *r = x + (size_t)c * ldx;
    __builtin_prefetch(r);
    __builtin_prefetch(r + w - 1);
}

/* One block of w <= 64 columns with nq = ceil(w / 16) AVX-512 accumulators; nq is a constant
 * at every call site, so the accumulators live in registers. */
__attribute__((target("avx512f"), always_inline)) static inline void
spmm_block_avx512(float *out, size_t ldo, const int64_t *rowptr, const int32_t *col,
                  const float *s_row, const float *s, const float *x, size_t ldx, size_t n_rows,
                  size_t w, int accumulate, const int nq)
{
    __mmask16 m[4];
    for (int q = 0; q < 4; q++) {
        const size_t lo = 16 * (size_t)q;
        const size_t n = w > lo ? (w - lo < 16 ? w - lo : 16) : 0;
        m[q] = (__mmask16)((1u << n) - 1u);
    }
    for (size_t i = 0; i < n_rows; i++) {
        float *o = out + i * ldo;
        __m512 acc[4];
        for (int q = 0; q < nq; q++)
            acc[q] = accumulate ? _mm512_maskz_loadu_ps(m[q], o + 16 * q) : _mm512_setzero_ps();
        const int64_t end = rowptr[i + 1];
        for (int64_t k = rowptr[i]; k < end; k++) {
            if (k + SPMM_PREFETCH_AHEAD < end)
                prefetch_row(x, ldx, col[k + SPMM_PREFETCH_AHEAD], w);
            const float *xr = x + (size_t)col[k] * ldx;
            if (s) {
                const __m512 sj = _mm512_set1_ps(s[col[k]]);
                for (int q = 0; q < nq; q++)
                    acc[q] = _mm512_add_ps(acc[q],
                                           _mm512_mul_ps(sj, _mm512_maskz_loadu_ps(m[q], xr + 16 * q)));
            } else {
                for (int q = 0; q < nq; q++)
                    acc[q] = _mm512_add_ps(acc[q], _mm512_maskz_loadu_ps(m[q], xr + 16 * q));
            }
        }
        if (s_row) {
            const __m512 si = _mm512_set1_ps(s_row[i]);
            for (int q = 0; q < nq; q++)
                acc[q] = _mm512_mul_ps(acc[q], si);
        }
        for (int q = 0; q < nq; q++)
            _mm512_mask_storeu_ps(o + 16 * q, m[q], acc[q]);
    }
}

__attribute__((target("avx512f"))) static void
spmm_rows_avx512(float *out, size_t ldo, const int64_t *rowptr, const int32_t *col,
                 const float *s_row, const float *s, const float *x, size_t ldx, size_t n_rows,
                 size_t w, int accumulate)
{
    switch ((w + 15) / 16) {
    case 1:
        spmm_block_avx512(out, ldo, rowptr, col, s_row, s, x, ldx, n_rows, w, accumulate, 1);
        break;
    case 2:
        spmm_block_avx512(out, ldo, rowptr, col, s_row, s, x, ldx, n_rows, w, accumulate, 2);
        break;
    case 3:
        spmm_block_avx512(out, ldo, rowptr, col, s_row, s, x, ldx, n_rows, w, accumulate, 3);
        break;
    default:
        spmm_block_avx512(out, ldo, rowptr, col, s_row, s, x, ldx, n_rows, w, accumulate, 4);
        break;
    }
}

/* The same with nq = ceil(w / 8) AVX2 accumulators (w <= 64). */
__attribute__((target("avx2"), always_inline)) static inline void
spmm_block_avx2(float *out, size_t ldo, const int64_t *rowptr, const int32_t *col,
                const float *s_row, const float *s, const float *x, size_t ldx, size_t n_rows,
                size_t w, int accumulate, const int nq)
{
    __m256i m[8];
    for (int q = 0; q < 8; q++) {
        int lane[8];
        for (int t = 0; t < 8; t++)
            lane[t] = (size_t)(8 * q + t) < w ? -1 : 0;
        m[q] = _mm256_loadu_si256((const __m256i *)lane);
    }
    for (size_t i = 0; i < n_rows; i++) {
        float *o = out + i * ldo;
        __m256 acc[8];
        for (int q = 0; q < nq; q++)
            acc[q] = accumulate ? _mm256_maskload_ps(o + 8 * q, m[q]) : _mm256_setzero_ps();
        const int64_t end = rowptr[i + 1];
        for (int64_t k = rowptr[i]; k < end; k++) {
            if (k + SPMM_PREFETCH_AHEAD < end)
                prefetch_row(x, ldx, col[k + SPMM_PREFETCH_AHEAD], w);
            const float *xr = x + (size_t)col[k] * ldx;
            if (s) {
                const __m256 sj = _mm256_set1_ps(s[col[k]]);
                for (int q = 0; q < nq; q++)
                    acc[q] = _mm256_add_ps(acc[q],
                                           _mm256_mul_ps(sj, _mm256_maskload_ps(xr + 8 * q, m[q])));
            } else {
                for (int q = 0; q < nq; q++)
                    acc[q] = _mm256_add_ps(acc[q], _mm256_maskload_ps(xr + 8 * q, m[q]));
            }
        }
        if (s_row) {
            const __m256 si = _mm256_set1_ps(s_row[i]);
            for (int q = 0; q < nq; q++)
                acc[q] = _mm256_mul_ps(acc[q], si);
        }
        for (int q = 0; q < nq; q++)
            _mm256_maskstore_ps(o + 8 * q, m[q], acc[q]);
    }
}

__attribute__((target("avx2"))) static void
spmm_rows_avx2(float *out, size_t ldo, const int64_t *rowptr, const int32_t *col,
               const float *s_row, const float *s, const float *x, size_t ldx, size_t n_rows,
               size_t w, int accumulate)
{
#define AVX2_CASE(nq)                                                                          \
    case nq:                                                                                   \
        spmm_block_avx2(out, ldo, rowptr, col, s_row, s, x, ldx, n_rows, w, accumulate, nq);   \
        break
    switch ((w + 7) / 8) {
        AVX2_CASE(1);
        AVX2_CASE(2);
        AVX2_CASE(3);
        AVX2_CASE(4);
        AVX2_CASE(5);
        AVX2_CASE(6);
        AVX2_CASE(7);
    default:
        spmm_block_avx2(out, ldo, rowptr, col, s_row, s, x, ldx, n_rows, w, accumulate, 8);
        break;
    }
#undef AVX2_CASE
}
#endif

typedef void (*spmm_rows_fn)(float *, size_t, const int64_t *, const int32_t *, const float *,
                             const float *, const float *, size_t, size_t, size_t, int);

/* The best path this CPU runs; GCN_SPMM_ISA=avx2 or plain caps it (tests compare the paths
 * on one machine; a cap the CPU cannot run is ignored). */
static spmm_rows_fn pick_rows(void)
{
    const char *cap = getenv("GCN_SPMM_ISA");
    if (cap && strcmp(cap, "plain") == 0)
        return spmm_rows_plain;
#if defined(__x86_64__)
    __builtin_cpu_init();
    const int avx2_only = cap && strcmp(cap, "avx2") == 0;
    if (__builtin_cpu_supports("avx512f") && !avx2_only)
        return spmm_rows_avx512;
    if (__builtin_cpu_supports("avx2"))
        return spmm_rows_avx2;
#endif
    return spmm_rows_plain;
}

/* out (n_rows, d) with column blocks of SPMM_BLOCK: one pass over the nonzeros per block. */
static void spmm_blocks(float *out, const int64_t *rowptr, const int32_t *col,
                        const float *s_row, const float *s, const float *x, size_t ldx,
                        size_t n_rows, size_t d, int accumulate)
{
    const spmm_rows_fn rows = pick_rows();
    for (size_t c0 = 0; c0 < d; c0 += SPMM_BLOCK) {
        const size_t w = d - c0 < SPMM_BLOCK ? d - c0 : SPMM_BLOCK;
        rows(out + c0, d, rowptr, col, s_row, s, x + c0, ldx, n_rows, w, accumulate);
    }
}

void gcn_spmm(float *out, const int64_t *rowptr, const int32_t *col, const float *x,
              size_t n_rows, size_t d, int accumulate)
{
    spmm_blocks(out, rowptr, col, NULL, NULL, x, d, n_rows, d, accumulate);
}

void gcn_spmm_sym(float *out, const int64_t *rowptr, const int32_t *col, const float *s_row,
                  const float *s, const float *x, size_t ldx, size_t n_rows, size_t w)
{
    spmm_blocks(out, rowptr, col, s_row, s, x, ldx, n_rows, w, 0);
}

void gcn_spmm_plain(float *out, const int64_t *rowptr, const int32_t *col, const float *s_row,
                    const float *s, const float *x, size_t ldx, size_t n_rows, size_t d,
                    int accumulate)
{
    spmm_rows_plain(out, d, rowptr, col, s_row, s, x, ldx, n_rows, d, accumulate);
}
