/* spmm_run.c: the product of an SpMM plan (spmm_plan.h; the plan's bytes: spmm_layout.h).
 *
 * Per panel and per chunk of up to CHUNK output columns: the panel's rows start at zero in a
 * scratch block (a row: the chunk rounded up to whole vectors, 64-byte aligned). For each
 * tile, in key order, its columns' x rows (times s[j]) are copied into a block of the same
 * row shape; then each segment loads its panel row into registers, adds the block rows its
 * nonzeros name, in order, and stores the row back. The rows are then scaled by s_row and
 * copied out. An element receives its terms in its CSR row's order, each as one add (the
 * product s[j] * x_j is the same float whether made once or per nonzero; the project
 * compiles with -ffp-contract=off, so no multiply and add fuse), so the bits are
 * gcn_spmm_plain's. The plain C path adds into out itself, reading x where it lies. */
#include "spmm_plan.h"

#include <stdlib.h>
#include <string.h>

#include "spmm_layout.h"

#if defined(__x86_64__)
#include <immintrin.h>
#endif

/* Output columns one pass over a panel keeps per row: 3 AVX-512 or 6 AVX2 vectors (Reddit's
 * 41 classes in one pass). */
#define CHUNK 48
/* The loops over a row's vectors, unrolled: their count is a constant at every call site,
 * and without unrolling GCC 12 keeps the row's vectors on the stack. */
#define UNROLLED _Pragma("GCC unroll 6")
/* Columns ahead whose x rows are requested early while a tile is copied: its columns are in
 * order but apart, so the hardware prefetcher does not find them. */
#define PREFETCH_AHEAD 8

/* What one pass works on: panel p's rows, output columns [c0, c0 + cw). */
struct pass {
    const struct spmm_view *v;
    size_t p;
    const float *s, *x; /* column scale (NULL: 1); x at column c0 of its row 0 */
    size_t ldx, cw;
    float *sc, *blk; /* (rows, stride) scratch, zero on entry; (tile_cols, stride) block */
};

static inline void prefetch_row(const struct pass *ps, const int32_t *col, size_t q, size_t n)
{
    if (q + PREFETCH_AHEAD < n) {
        const float *r = ps->x + (size_t)col[q + PREFETCH_AHEAD] * ps->ldx;
        for (size_t c = 0; c < ps->cw; c += 16)
            __builtin_prefetch(r + c);
        __builtin_prefetch(r + ps->cw - 1);
    }
}

/* Panel row and nonzero count of a segment. */
static inline size_t seg_row(uint32_t g)
{
    return g & 0xffffu;
}

static inline size_t seg_len(uint32_t g)
{
    return g >> 16;
}

/* The plain path over all w columns, straight into out (rows (n, w) from the panel's first):
 * zero, add, scale. */
static void panel_plain(float *out, const struct spmm_view *v, size_t p, const float *s_row,
                        const float *s, const float *x, size_t ldx, size_t w)
{
    const size_t r0 = p * v->panel_rows, rows = spmm_panel_rows(v, p);
    float *o = out + r0 * w;
    memset(o, 0, rows * w * sizeof *o);
    const uint16_t *lc = v->lc + v->nz_off[p];
    for (size_t j = 0; j < spmm_panel_tiles(v, p); j++) {
        const struct spmm_tile t = spmm_tile_of(v, p, j);
        for (size_t g = 0; g < t.n_seg; g++) {
            float *restrict oi = o + seg_row(t.seg[g]) * w;
            for (size_t k = 0, n = seg_len(t.seg[g]); k < n; k++) {
                const int32_t c = t.col[*lc++];
                const float *restrict xr = x + (size_t)c * ldx;
                const float sj = s ? s[c] : 1.0f;
                for (size_t q = 0; q < w; q++)
                    oi[q] += s ? sj * xr[q] : xr[q];
            }
        }
    }
    if (s_row)
        for (size_t i = 0; i < rows; i++)
            for (size_t q = 0; q < w; q++)
                o[i * w + q] *= s_row[r0 + i];
}

#if defined(__x86_64__)
/* nq = ceil(cw / 16) AVX-512 vectors per row; a constant at every call site. */
__attribute__((target("avx512f"), always_inline)) static inline void
pass_avx512(const struct pass *ps, const int nq)
{
    const size_t stride = 16 * (size_t)nq;
    __mmask16 m[3];
    for (int q = 0; q < 3; q++) {
        const size_t lo = 16 * (size_t)q;
        const size_t n = ps->cw > lo ? (ps->cw - lo < 16 ? ps->cw - lo : 16) : 0;
        m[q] = (__mmask16)((1u << n) - 1u);
    }
    const uint16_t *lc = ps->v->lc + ps->v->nz_off[ps->p];
    for (size_t j = 0; j < spmm_panel_tiles(ps->v, ps->p); j++) {
        const struct spmm_tile t = spmm_tile_of(ps->v, ps->p, j);
        for (size_t q = 0; q < t.n_cols; q++) {
            prefetch_row(ps, t.col, q, t.n_cols);
            const float *xr = ps->x + (size_t)t.col[q] * ps->ldx;
            float *b = ps->blk + q * stride;
            __m512 a[3];
            UNROLLED for (int u = 0; u < nq; u++)
                a[u] = _mm512_maskz_loadu_ps(m[u], xr + 16 * u);
            if (ps->s) {
                const __m512 sj = _mm512_set1_ps(ps->s[t.col[q]]);
                UNROLLED for (int u = 0; u < nq; u++)
                    a[u] = _mm512_mul_ps(sj, a[u]);
            }
            UNROLLED for (int u = 0; u < nq; u++)
                _mm512_store_ps(b + 16 * u, a[u]);
        }
        for (size_t g = 0; g < t.n_seg; g++) {
            float *o = ps->sc + seg_row(t.seg[g]) * stride;
            __m512 a[3];
            UNROLLED for (int u = 0; u < nq; u++)
                a[u] = _mm512_load_ps(o + 16 * u);
            for (const uint16_t *end = lc + seg_len(t.seg[g]); lc < end; lc++) {
                const float *b = ps->blk + (size_t)*lc * stride;
                UNROLLED for (int u = 0; u < nq; u++)
                    a[u] = _mm512_add_ps(a[u], _mm512_load_ps(b + 16 * u));
            }
            UNROLLED for (int u = 0; u < nq; u++)
                _mm512_store_ps(o + 16 * u, a[u]);
        }
    }
}

__attribute__((target("avx512f"))) static size_t pass_avx512_any(const struct pass *ps)
{
    switch ((ps->cw + 15) / 16) {
    case 1:
        pass_avx512(ps, 1);
        return 16;
    case 2:
        pass_avx512(ps, 2);
        return 32;
    default:
        pass_avx512(ps, 3);
        return 48;
    }
}

/* The same with nq = ceil(cw / 8) AVX2 vectors. */
__attribute__((target("avx2"), always_inline)) static inline void
pass_avx2(const struct pass *ps, const int nq)
{
    const size_t stride = 8 * (size_t)nq;
    __m256i m[6];
    for (int q = 0; q < 6; q++) {
        int lane[8];
        for (int t = 0; t < 8; t++)
            lane[t] = (size_t)(8 * q + t) < ps->cw ? -1 : 0;
        m[q] = _mm256_loadu_si256((const __m256i *)lane);
    }
    const uint16_t *lc = ps->v->lc + ps->v->nz_off[ps->p];
    for (size_t j = 0; j < spmm_panel_tiles(ps->v, ps->p); j++) {
        const struct spmm_tile t = spmm_tile_of(ps->v, ps->p, j);
        for (size_t q = 0; q < t.n_cols; q++) {
            prefetch_row(ps, t.col, q, t.n_cols);
            const float *xr = ps->x + (size_t)t.col[q] * ps->ldx;
            float *b = ps->blk + q * stride;
            __m256 a[6];
            UNROLLED for (int u = 0; u < nq; u++)
                a[u] = _mm256_maskload_ps(xr + 8 * u, m[u]);
            if (ps->s) {
                const __m256 sj = _mm256_set1_ps(ps->s[t.col[q]]);
                UNROLLED for (int u = 0; u < nq; u++)
                    a[u] = _mm256_mul_ps(sj, a[u]);
            }
            UNROLLED for (int u = 0; u < nq; u++)
                _mm256_store_ps(b + 8 * u, a[u]);
        }
        for (size_t g = 0; g < t.n_seg; g++) {
            float *o = ps->sc + seg_row(t.seg[g]) * stride;
            __m256 a[6];
            UNROLLED for (int u = 0; u < nq; u++)
                a[u] = _mm256_load_ps(o + 8 * u);
            for (const uint16_t *end = lc + seg_len(t.seg[g]); lc < end; lc++) {
                const float *b = ps->blk + (size_t)*lc * stride;
                UNROLLED for (int u = 0; u < nq; u++)
                    a[u] = _mm256_add_ps(a[u], _mm256_load_ps(b + 8 * u));
            }
            UNROLLED for (int u = 0; u < nq; u++)
                _mm256_store_ps(o + 8 * u, a[u]);
        }
    }
}

__attribute__((target("avx2"))) static size_t pass_avx2_any(const struct pass *ps)
{
    switch ((ps->cw + 7) / 8) {
    case 1:
        pass_avx2(ps, 1);
        return 8;
    case 2:
        pass_avx2(ps, 2);
        return 16;
    case 3:
        pass_avx2(ps, 3);
        return 24;
    case 4:
        pass_avx2(ps, 4);
        return 32;
    case 5:
        pass_avx2(ps, 5);
        return 40;
    default:
        pass_avx2(ps, 6);
        return 48;
    }
}
#endif

/* A pass over one panel and chunk; returns the scratch row stride it used (floats). */
typedef size_t (*pass_fn)(const struct pass *ps);

/* The best path this CPU runs (NULL: plain); GCN_SPMM_ISA=avx2 or plain caps it (tests
 * compare the paths on one machine; a cap the CPU cannot run is ignored). */
static pass_fn pick_pass(void)
{
    const char *cap = getenv("GCN_SPMM_ISA");
    if (cap && strcmp(cap, "plain") == 0)
        return NULL;
#if defined(__x86_64__)
    __builtin_cpu_init();
    const int avx2_only = cap && strcmp(cap, "avx2") == 0;
    if (__builtin_cpu_supports("avx512f") && !avx2_only)
        return pass_avx512_any;
    if (__builtin_cpu_supports("avx2"))
        return pass_avx2_any;
#endif
    return NULL;
}

void gcn_spmm_plan_run(float *out, const void *plan, const float *s_row, const float *s,
                       const float *x, size_t ldx, size_t w, size_t panel_begin,
                       size_t panel_end)
{
    struct spmm_view v;
    spmm_view_of(&v, plan);
    if (panel_end > v.n_panels)
        panel_end = v.n_panels;
    if (panel_begin >= panel_end || w == 0)
        return;
    const pass_fn pass = pick_pass();
    const size_t sc_rows = v.panel_rows < v.n_rows ? v.panel_rows : v.n_rows;
    float *sc = pass ? aligned_alloc(64, sc_rows * CHUNK * sizeof *sc) : NULL;
    float *blk = pass ? aligned_alloc(64, v.tile_cols * CHUNK * sizeof *blk) : NULL;
    for (size_t p = panel_begin; p < panel_end; p++) {
        if (!sc || !blk) { /* no SIMD path, or no memory for its blocks */
            panel_plain(out, &v, p, s_row, s, x, ldx, w);
            continue;
        }
        const size_t r0 = p * v.panel_rows, rows = spmm_panel_rows(&v, p);
        for (size_t c0 = 0; c0 < w; c0 += CHUNK) {
            const size_t cw = w - c0 < CHUNK ? w - c0 : CHUNK;
            memset(sc, 0, rows * CHUNK * sizeof *sc);
            const struct pass ps = { &v, p, s, x + c0, ldx, cw, sc, blk };
            const size_t stride = pass(&ps);
            for (size_t i = 0; i < rows; i++) {
                float *o = out + (r0 + i) * w + c0;
                const float *si = sc + i * stride;
                if (s_row)
                    for (size_t q = 0; q < cw; q++)
                        o[q] = si[q] * s_row[r0 + i];
                else
                    memcpy(o, si, cw * sizeof *o);
            }
        }
    }
    free(sc);
    free(blk);
}

void gcn_spmm(float *out, const void *plan, const float *x, size_t w)
{
    gcn_spmm_plan_run(out, plan, NULL, NULL, x, w, w, 0, gcn_spmm_plan_panels(plan));
}
