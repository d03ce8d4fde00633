/* spmm.c: the gather-add sparse products gcn_spmm and gcn_spmm_sym (declared in kernels.h).
 *
 * Each output row is a sum of gathered neighbour rows. The plain loop keeps the running sum
 * in memory: every nonzero loads, adds and stores each vector of the output row, and a
 * width such as 41 ends in a scalar tail. Here the sum of a block of up to 64 columns stays
 * in registers for the whole row (4 AVX-512 or 8 AVX2 accumulators, masked loads for the
 * tail, which never fault) and is stored once. Each element still adds its terms one at a
 * time in nonzero order, with a separate multiply and add where the sum is scaled (no FMA:
 * C11 mode compiles without contraction), so every path gives the plain loop's bits.
 *
 * On a large graph the gathered rows are spread over far more pages than the TLB maps (x of
 * 233 k rows of 41 floats is 38 MB). The fast paths therefore take the nonzeros in passes
 * over column ranges of about SPMM_BLOCK_BYTES of x: each pass adds a row's nonzeros whose
 * column lies in the range to the partial sum kept in the output row. A row's cursor only
 * moves forward and stops at the first nonzero outside the range, so each element still sees
 * its terms in nonzero order and the bits do not change, sorted rows or not. The gain needs
 * rows sorted by column: the broadcast shuffle's gathered numbering puts a partition's own
 * rows first though they sit at its offset in the gathered block, so for partitions p > 0
 * the passes before that offset take nothing and the rest is one pass (measured cost: the
 * one-pass time below). Measured on reddit-synth at Reddit's degree (115M nonzeros,
 * d = 41, 2-core Xeon VM): one pass 1.21 s, passes of 64 k rows 0.83 s. See README,
 * "Performance".
 *
 * The path is picked at each call from the CPU: AVX-512F, AVX2, else the plain loop. */
#include "kernels.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

/* Nonzeros a gather runs ahead of itself: the neighbour rows are scattered, so their first
 * cache lines are requested early (the hardware prefetcher follows within a row). */
#define SPMM_PREFETCH_AHEAD 8
/* Columns whose running sums stay in registers in one pass over a row's nonzeros. */
#define SPMM_BLOCK 64
/* Bytes of x one pass over the nonzeros gathers from (its rows, at the row stride), and the
 * fewest rows a pass takes. Measured at d = 41 on reddit-synth (degree 492): passes of 4 k,
 * 16 k, 64 k rows and one pass: 2.07, 1.06, 0.83, 1.08 s. */
#define SPMM_BLOCK_BYTES (10u << 20)
#define SPMM_MIN_BLOCK_ROWS 16384

/* One pass over some nonzeros of every row, for w <= SPMM_BLOCK columns. */
struct spmm_pass {
    float *out;             /* (n_rows, w) at row stride ldo */
    size_t ldo;
    const int64_t *rowptr;  /* CSR rows, sorted by column */
    const int32_t *col;
    const float *s_row, *s; /* out_i scaled by s_row[i], x_j by s[j] (NULL: 1) */
    const float *x;         /* gathered rows: w floats at x + j * ldx */
    size_t ldx, n_rows, w;
    int64_t *cur;           /* per row, its next nonzero (NULL: whole rows in this pass) */
    int32_t col_end;        /* this pass takes the nonzeros with columns below it */
    int first;              /* first pass over these columns */
    int accumulate;         /* out += (else out = on the first pass) */
};

/* The plain loop, for CPUs without AVX2 (and the reference the others must match): whole
 * rows, the sum kept in memory. */
static int spmm_rows_plain(const struct spmm_pass *p)
{
    for (size_t i = 0; i < p->n_rows; i++) {
        float *restrict o = p->out + i * p->ldo;
        if (!p->accumulate)
            memset(o, 0, p->w * sizeof *o);
        const int64_t end = p->rowptr[i + 1];
        for (int64_t k = p->rowptr[i]; k < end; k++) {
            if (k + SPMM_PREFETCH_AHEAD < end)
                __builtin_prefetch(p->x + (size_t)p->col[k + SPMM_PREFETCH_AHEAD] * p->ldx);
            const float *restrict xr = p->x + (size_t)p->col[k] * p->ldx;
            if (p->s) {
                const float sj = p->s[p->col[k]];
                for (size_t j = 0; j < p->w; j++)
                    o[j] += sj * xr[j];
            } else {
                for (size_t j = 0; j < p->w; j++)
                    o[j] += xr[j];
            }
        }
        if (p->s_row) {
            const float si = p->s_row[i];
            for (size_t j = 0; j < p->w; j++)
                o[j] *= si;
        }
    }
    return 0;
}

#if defined(__x86_64__)
/* The fast paths' bookkeeping around one row, shared by both ISAs as a macro pair: BEGIN
 * finds the row's nonzeros in this pass (skipping a row finished earlier or with nothing in
 * this range, except on the first pass, which must write every row), END records where the
 * row stopped and whether it is finished (then it is scaled, exactly once). */
#define ROW_BEGIN(p, i, k, end, load)                                                          \
    const int64_t end = (p)->rowptr[(i) + 1];                                                  \
    int64_t k = (p)->cur ? (p)->cur[i] : (p)->rowptr[i];                                       \
    if (!(p)->first && (k == end || (p)->col[k] >= (p)->col_end)) {                            \
        more |= k < end;                                                                       \
        continue;                                                                              \
    }                                                                                          \
    const int load = !(p)->first || (p)->accumulate
#define ROW_END(p, i, k, end, finished)                                                        \
    if ((p)->cur)                                                                              \
        (p)->cur[i] = k;                                                                       \
    more |= k < end;                                                                           \
    const int finished = k == end && (p)->s_row

/* nq = ceil(w / 16) AVX-512 accumulators; nq is a constant at every call site, so they live
 * in registers. */
__attribute__((target("avx512f"), always_inline)) static inline int
spmm_block_avx512(const struct spmm_pass *p, const int nq)
{
    __mmask16 m[4];
    for (int q = 0; q < 4; q++) {
        const size_t lo = 16 * (size_t)q;
        const size_t n = p->w > lo ? (p->w - lo < 16 ? p->w - lo : 16) : 0;
        m[q] = (__mmask16)((1u << n) - 1u);
    }
    int more = 0;
    for (size_t i = 0; i < p->n_rows; i++) {
        ROW_BEGIN(p, i, k, end, load);
        float *o = p->out + i * p->ldo;
        __m512 acc[4];
        for (int q = 0; q < nq; q++)
            acc[q] = load ? _mm512_maskz_loadu_ps(m[q], o + 16 * q) : _mm512_setzero_ps();
        for (; k < end && p->col[k] < p->col_end; k++) {
            if (k + SPMM_PREFETCH_AHEAD < end)
                __builtin_prefetch(p->x + (size_t)p->col[k + SPMM_PREFETCH_AHEAD] * p->ldx);
            const float *xr = p->x + (size_t)p->col[k] * p->ldx;
            if (p->s) {
                const __m512 sj = _mm512_set1_ps(p->s[p->col[k]]);
                for (int q = 0; q < nq; q++)
                    acc[q] = _mm512_add_ps(
                        acc[q], _mm512_mul_ps(sj, _mm512_maskz_loadu_ps(m[q], xr + 16 * q)));
            } else {
                for (int q = 0; q < nq; q++)
                    acc[q] = _mm512_add_ps(acc[q], _mm512_maskz_loadu_ps(m[q], xr + 16 * q));
            }
        }
        ROW_END(p, i, k, end, finished);
        if (finished) {
            const __m512 si = _mm512_set1_ps(p->s_row[i]);
            for (int q = 0; q < nq; q++)
                acc[q] = _mm512_mul_ps(acc[q], si);
        }
        for (int q = 0; q < nq; q++)
            _mm512_mask_storeu_ps(o + 16 * q, m[q], acc[q]);
    }
    return more;
}

__attribute__((target("avx512f"))) static int spmm_rows_avx512(const struct spmm_pass *p)
{
    switch ((p->w + 15) / 16) {
    case 1:
        return spmm_block_avx512(p, 1);
    case 2:
        return spmm_block_avx512(p, 2);
    case 3:
        return spmm_block_avx512(p, 3);
    default:
        return spmm_block_avx512(p, 4);
    }
}

/* The same with nq = ceil(w / 8) AVX2 accumulators. */
__attribute__((target("avx2"), always_inline)) static inline int
spmm_block_avx2(const struct spmm_pass *p, const int nq)
{
    __m256i m[8];
    for (int q = 0; q < 8; q++) {
        int lane[8];
        for (int t = 0; t < 8; t++)
            lane[t] = (size_t)(8 * q + t) < p->w ? -1 : 0;
        m[q] = _mm256_loadu_si256((const __m256i *)lane);
    }
    int more = 0;
    for (size_t i = 0; i < p->n_rows; i++) {
        ROW_BEGIN(p, i, k, end, load);
        float *o = p->out + i * p->ldo;
        __m256 acc[8];
        for (int q = 0; q < nq; q++)
            acc[q] = load ? _mm256_maskload_ps(o + 8 * q, m[q]) : _mm256_setzero_ps();
        for (; k < end && p->col[k] < p->col_end; k++) {
            if (k + SPMM_PREFETCH_AHEAD < end)
                __builtin_prefetch(p->x + (size_t)p->col[k + SPMM_PREFETCH_AHEAD] * p->ldx);
            const float *xr = p->x + (size_t)p->col[k] * p->ldx;
            if (p->s) {
                const __m256 sj = _mm256_set1_ps(p->s[p->col[k]]);
                for (int q = 0; q < nq; q++)
                    acc[q] = _mm256_add_ps(
                        acc[q], _mm256_mul_ps(sj, _mm256_maskload_ps(xr + 8 * q, m[q])));
            } else {
                for (int q = 0; q < nq; q++)
                    acc[q] = _mm256_add_ps(acc[q], _mm256_maskload_ps(xr + 8 * q, m[q]));
            }
        }
        ROW_END(p, i, k, end, finished);
        if (finished) {
            const __m256 si = _mm256_set1_ps(p->s_row[i]);
            for (int q = 0; q < nq; q++)
                acc[q] = _mm256_mul_ps(acc[q], si);
        }
        for (int q = 0; q < nq; q++)
            _mm256_maskstore_ps(o + 8 * q, m[q], acc[q]);
    }
    return more;
}

__attribute__((target("avx2"))) static int spmm_rows_avx2(const struct spmm_pass *p)
{
    switch ((p->w + 7) / 8) {
    case 1:
        return spmm_block_avx2(p, 1);
    case 2:
        return spmm_block_avx2(p, 2);
    case 3:
        return spmm_block_avx2(p, 3);
    case 4:
        return spmm_block_avx2(p, 4);
    case 5:
        return spmm_block_avx2(p, 5);
    case 6:
        return spmm_block_avx2(p, 6);
    case 7:
        return spmm_block_avx2(p, 7);
    default:
        return spmm_block_avx2(p, 8);
    }
}
#undef ROW_BEGIN
#undef ROW_END
#endif

typedef int (*spmm_rows_fn)(const struct spmm_pass *p);

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

/* Rows of x one pass gathers from: about SPMM_BLOCK_BYTES at stride ldx, at least
 * SPMM_MIN_BLOCK_ROWS; GCN_SPMM_BLOCK_ROWS overrides it (tests make passes on small
 * graphs). */
static size_t pass_rows(size_t ldx)
{
    const char *env = getenv("GCN_SPMM_BLOCK_ROWS");
    if (env && atol(env) > 0)
        return (size_t)atol(env);
    const size_t rows = SPMM_BLOCK_BYTES / (ldx * sizeof(float) + 1);
    return rows > SPMM_MIN_BLOCK_ROWS ? rows : SPMM_MIN_BLOCK_ROWS;
}

/* out (n_rows, d): per block of SPMM_BLOCK columns, passes over column ranges of x until
 * every row is done. Without memory for the per-row cursors, whole rows in one pass. */
static void spmm_run(struct spmm_pass p, size_t d)
{
    const spmm_rows_fn rows = pick_rows();
    const size_t block = pass_rows(p.ldx);
    int64_t *cur = rows != spmm_rows_plain && block < INT32_MAX
                       ? malloc((p.n_rows ? p.n_rows : 1) * sizeof *cur)
                       : NULL;
    float *const out = p.out;
    const float *const x = p.x;
    for (size_t c0 = 0; c0 < d; c0 += SPMM_BLOCK) {
        p.w = d - c0 < SPMM_BLOCK ? d - c0 : SPMM_BLOCK;
        p.out = out + c0;
        p.x = x + c0;
        p.cur = cur;
        if (cur)
            memcpy(cur, p.rowptr, p.n_rows * sizeof *cur);
        for (size_t b0 = 0;; b0 += block) {
            p.first = b0 == 0;
            p.col_end = cur && b0 + block < INT32_MAX ? (int32_t)(b0 + block) : INT32_MAX;
            if (!rows(&p) || p.col_end == INT32_MAX)
                break;
        }
    }
    free(cur);
}

void gcn_spmm(float *out, const int64_t *rowptr, const int32_t *col, const float *x,
              size_t n_rows, size_t d, int accumulate)
{
    const struct spmm_pass p = { .out = out, .ldo = d, .rowptr = rowptr, .col = col, .x = x,
                                 .ldx = d, .n_rows = n_rows, .accumulate = accumulate };
    spmm_run(p, d);
}

void gcn_spmm_sym(float *out, const int64_t *rowptr, const int32_t *col, const float *s_row,
                  const float *s, const float *x, size_t ldx, size_t n_rows, size_t w)
{
    const struct spmm_pass p = { .out = out, .ldo = w, .rowptr = rowptr, .col = col,
                                 .s_row = s_row, .s = s, .x = x, .ldx = ldx,
                                 .n_rows = n_rows };
    spmm_run(p, w);
}

void gcn_spmm_plain(float *out, const int64_t *rowptr, const int32_t *col, const float *s_row,
                    const float *s, const float *x, size_t ldx, size_t n_rows, size_t d,
                    int accumulate)
{
    const struct spmm_pass p = { .out = out, .ldo = d, .rowptr = rowptr, .col = col,
                                 .s_row = s_row, .s = s, .x = x, .ldx = ldx, .n_rows = n_rows,
                                 .w = d, .col_end = INT32_MAX, .first = 1,
                                 .accumulate = accumulate };
    spmm_rows_plain(&p);
}
