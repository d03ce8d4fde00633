/* spmm_push.c: the product of an SpMM plan (spmm_plan.h; the plan's bytes: spmm_layout.h).
 *
 * Per panel and per chunk of up to CHUNK output columns: the panel's rows start at zero in
 * a scratch block (CHUNK floats a row, 64-byte aligned); for each column the panel touches,
 * in key order, its x row (times s[j]) is loaded once into registers and added into every
 * panel row that lists it; the rows are then scaled by s_row and copied out. An element
 * receives its terms in its CSR row's order, each as one add (the product s[j] * x_j is the
 * same float whether made once or per nonzero; the project compiles with
 * -ffp-contract=off, so no multiply and add fuse), so the bits are gcn_spmm_plain's. The plain C path adds into out itself, with no scratch. */
#include "spmm_plan.h"

#include <stdlib.h>
#include <string.h>

#include "spmm_layout.h"

#if defined(__x86_64__)
#include <immintrin.h>
#endif

/* Output columns one sweep over a panel keeps per scratch row: 3 AVX-512 or 6 AVX2 vectors
 * (Reddit's 41 classes in one sweep). */
#define CHUNK 48
/* The loops over a row's vectors, unrolled: their count is a constant at every call site,
 * and without unrolling GCC 12 keeps the loaded x row on the stack (measured: 0.65 against
 * 0.51 s at d = 41 on reddit-synth). */
#define UNROLLED _Pragma("GCC unroll 6")
/* Columns ahead whose x rows are requested early: the panel's columns are in order but
 * apart, so the hardware prefetcher does not find them. */
#define PREFETCH_AHEAD 8
/* Row numbers ahead whose scratch rows are requested early (for writing): the scratch block
 * is larger than L1 and its rows come in no order. Measured at d = 41 on reddit-synth,
 * degree 492 (AMD EPYC VM, mean of 5, three alternated rounds): none 0.53-0.64 s, 4 rows
 * ahead 0.47-0.57 s, 8 rows 0.40-0.47 s, 16 rows 0.41-0.50 s. */
#define SCRATCH_AHEAD 8

/* What one sweep works on: panel p's rows, output columns [c0, c0 + cw). */
struct sweep {
    const struct spmm_view *v;
    size_t p, rows;       /* panel, its rows */
    const float *s, *x;   /* column scale (NULL: 1); x at column c0 of its row 0 */
    size_t ldx, cw;
    float *sc;            /* (rows, CHUNK) scratch, zero on entry */
};

/* The panel's columns j (absolute index into v->col) and their rows' range. */
#define PANEL_COLUMNS(sw, j0, j1, ptr, row)                                                    \
    const size_t j0 = (size_t)(sw)->v->dist_off[(sw)->p],                                      \
                 j1 = (size_t)(sw)->v->dist_off[(sw)->p + 1];                                  \
    const uint32_t *ptr = (sw)->v->ptr + (sw)->p;                                              \
    const uint16_t *row = (sw)->v->row + (sw)->v->nz_off[(sw)->p]

static inline void prefetch_row(const struct sweep *sw, size_t j, size_t j1)
{
    if (j + PREFETCH_AHEAD < j1) {
        const float *r = sw->x + (size_t)sw->v->col[j + PREFETCH_AHEAD] * sw->ldx;
        for (size_t c = 0; c < sw->cw; c += 16)
            __builtin_prefetch(r + c);
        __builtin_prefetch(r + sw->cw - 1);
    }
}

/* The scratch row that row number t + SCRATCH_AHEAD of the panel adds into (row[] runs to
 * last, the panel's end). */
static inline void prefetch_scratch(const struct sweep *sw, const uint16_t *row, uint32_t t,
                                    uint32_t last)
{
    if (t + SCRATCH_AHEAD < last) {
        const float *o = sw->sc + (size_t)row[t + SCRATCH_AHEAD] * CHUNK;
        for (size_t c = 0; c < CHUNK; c += 16)
            __builtin_prefetch(o + c, 1);
    }
}

/* The plain path over all w columns, straight into out (rows (n, w) from the panel's first):
 * zero, add, scale. */
static void panel_plain(float *out, const struct spmm_view *v, size_t p, const float *s_row,
                        const float *s, const float *x, size_t ldx, size_t w)
{
    const size_t r0 = p * v->panel_rows, rows = spmm_panel_rows(v, p);
    float *o = out + r0 * w;
    memset(o, 0, rows * w * sizeof *o);
    const struct sweep sw = { v, p, rows, s, x, ldx, w, NULL };
    PANEL_COLUMNS(&sw, j0, j1, ptr, row);
    for (size_t j = j0; j < j1; j++) {
        prefetch_row(&sw, j, j1);
        const int32_t c = v->col[j];
        const float *restrict xr = x + (size_t)c * ldx;
        for (uint32_t t = ptr[j]; t < ptr[j + 1]; t++) {
            float *restrict oi = o + (size_t)row[t] * w;
            if (s) {
                const float sj = s[c];
                for (size_t q = 0; q < w; q++)
                    oi[q] += sj * xr[q];
            } else {
                for (size_t q = 0; q < w; q++)
                    oi[q] += xr[q];
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
sweep_avx512(const struct sweep *sw, const int nq)
{
    __mmask16 m[3];
    for (int q = 0; q < 3; q++) {
        const size_t lo = 16 * (size_t)q;
        const size_t n = sw->cw > lo ? (sw->cw - lo < 16 ? sw->cw - lo : 16) : 0;
        m[q] = (__mmask16)((1u << n) - 1u);
    }
    PANEL_COLUMNS(sw, j0, j1, ptr, row);
    float *const sc = sw->sc;
    const uint32_t last = ptr[j1];
    for (size_t j = j0; j < j1; j++) {
        prefetch_row(sw, j, j1);
        const int32_t c = sw->v->col[j];
        const float *xr = sw->x + (size_t)c * sw->ldx;
        __m512 a[3];
        UNROLLED for (int q = 0; q < nq; q++)
            a[q] = _mm512_maskz_loadu_ps(m[q], xr + 16 * q);
        if (sw->s) {
            const __m512 sj = _mm512_set1_ps(sw->s[c]);
            UNROLLED for (int q = 0; q < nq; q++)
                a[q] = _mm512_mul_ps(sj, a[q]);
        }
        for (uint32_t t = ptr[j], end = ptr[j + 1]; t < end; t++) {
            prefetch_scratch(sw, row, t, last);
            float *o = sc + (size_t)row[t] * CHUNK;
            UNROLLED for (int q = 0; q < nq; q++)
                _mm512_store_ps(o + 16 * q, _mm512_add_ps(_mm512_load_ps(o + 16 * q), a[q]));
        }
    }
}

__attribute__((target("avx512f"))) static void sweep_avx512_any(const struct sweep *sw)
{
    switch ((sw->cw + 15) / 16) {
    case 1:
        sweep_avx512(sw, 1);
        break;
    case 2:
        sweep_avx512(sw, 2);
        break;
    default:
        sweep_avx512(sw, 3);
    }
}

/* The same with nq = ceil(cw / 8) AVX2 vectors. */
__attribute__((target("avx2"), always_inline)) static inline void
sweep_avx2(const struct sweep *sw, const int nq)
{
    __m256i m[6];
    for (int q = 0; q < 6; q++) {
        int lane[8];
        for (int t = 0; t < 8; t++)
            lane[t] = (size_t)(8 * q + t) < sw->cw ? -1 : 0;
        m[q] = _mm256_loadu_si256((const __m256i *)lane);
    }
    PANEL_COLUMNS(sw, j0, j1, ptr, row);
    float *const sc = sw->sc;
    const uint32_t last = ptr[j1];
    for (size_t j = j0; j < j1; j++) {
        prefetch_row(sw, j, j1);
        const int32_t c = sw->v->col[j];
        const float *xr = sw->x + (size_t)c * sw->ldx;
        __m256 a[6];
        UNROLLED for (int q = 0; q < nq; q++)
            a[q] = _mm256_maskload_ps(xr + 8 * q, m[q]);
        if (sw->s) {
            const __m256 sj = _mm256_set1_ps(sw->s[c]);
            UNROLLED for (int q = 0; q < nq; q++)
                a[q] = _mm256_mul_ps(sj, a[q]);
        }
        for (uint32_t t = ptr[j], end = ptr[j + 1]; t < end; t++) {
            prefetch_scratch(sw, row, t, last);
            float *o = sc + (size_t)row[t] * CHUNK;
            UNROLLED for (int q = 0; q < nq; q++)
                _mm256_store_ps(o + 8 * q, _mm256_add_ps(_mm256_load_ps(o + 8 * q), a[q]));
        }
    }
}

__attribute__((target("avx2"))) static void sweep_avx2_any(const struct sweep *sw)
{
    switch ((sw->cw + 7) / 8) {
    case 1:
        sweep_avx2(sw, 1);
        break;
    case 2:
        sweep_avx2(sw, 2);
        break;
    case 3:
        sweep_avx2(sw, 3);
        break;
    case 4:
        sweep_avx2(sw, 4);
        break;
    case 5:
        sweep_avx2(sw, 5);
        break;
    default:
        sweep_avx2(sw, 6);
    }
}
#endif

typedef void (*sweep_fn)(const struct sweep *sw);

/* The best path this CPU runs (NULL: plain); GCN_SPMM_ISA=avx2 or plain caps it (tests
 * compare the paths on one machine; a cap the CPU cannot run is ignored). */
static sweep_fn pick_sweep(void)
{
    const char *cap = getenv("GCN_SPMM_ISA");
    if (cap && strcmp(cap, "plain") == 0)
        return NULL;
#if defined(__x86_64__)
    __builtin_cpu_init();
    const int avx2_only = cap && strcmp(cap, "avx2") == 0;
    if (__builtin_cpu_supports("avx512f") && !avx2_only)
        return sweep_avx512_any;
    if (__builtin_cpu_supports("avx2"))
        return sweep_avx2_any;
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
    const sweep_fn sweep = pick_sweep();
    const size_t sc_rows = v.panel_rows < v.n_rows ? v.panel_rows : v.n_rows;
    float *sc = sweep ? aligned_alloc(64, sc_rows * CHUNK * sizeof *sc) : NULL;
    for (size_t p = panel_begin; p < panel_end; p++) {
        if (!sc) { /* no SIMD path, or no memory for its scratch */
            panel_plain(out, &v, p, s_row, s, x, ldx, w);
            continue;
        }
        const size_t r0 = p * v.panel_rows, rows = spmm_panel_rows(&v, p);
        for (size_t c0 = 0; c0 < w; c0 += CHUNK) {
            const size_t cw = w - c0 < CHUNK ? w - c0 : CHUNK;
            memset(sc, 0, rows * CHUNK * sizeof *sc);
            const struct sweep sw = { &v, p, rows, s, x + c0, ldx, cw, sc };
            sweep(&sw);
            for (size_t i = 0; i < rows; i++) {
                float *o = out + (r0 + i) * w + c0;
                const float *si = sc + i * CHUNK;
                if (s_row)
                    for (size_t q = 0; q < cw; q++)
                        o[q] = si[q] * s_row[r0 + i];
                else
                    memcpy(o, si, cw * sizeof *o);
            }
        }
    }
    free(sc);
}

void gcn_spmm(float *out, const void *plan, const float *x, size_t w)
{
    gcn_spmm_plan_run(out, plan, NULL, NULL, x, w, w, 0, gcn_spmm_plan_panels(plan));
}
