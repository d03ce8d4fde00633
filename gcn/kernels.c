/* kernels.c: the GCN's numerical kernels (see kernels.h). Dense products go to the BLAS
 * backend's sgemm (blas.h: OpenBLAS or BLIS); training's sparse product runs from a plan
 * (spmm_plan.h), checked against gcn_spmm_plain here; everything else is a single streaming
 * pass. */
#include "kernels.h"

#include <math.h>
#include <string.h>

#include "blas.h"
#include "dataset.h"
#include "rng.h"

/* The row-wise kernels are compiled for AVX-512, AVX2 and the baseline, picked at load time
 * (GCC/clang function multiversioning): Debian builds for baseline x86-64 (SSE2). The
 * operations are element-wise over j (no reassociation), so every clone gives the same
 * bits. */
#if defined(__x86_64__) && defined(__has_attribute)
#if __has_attribute(target_clones)
#define GCN_VECTOR_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#endif
#endif
#ifndef GCN_VECTOR_CLONES
#define GCN_VECTOR_CLONES
#endif

void gcn_matmul(float *out, const float *in, const float *w, size_t n, size_t d_in,
                size_t d_out)
{
    if (n == 0)
        return;
    gcn_sgemm(0, 0, n, d_out, d_in, 1.0f, in, d_in, w, d_out, 0.0f, out, d_out);
}

void gcn_matmul_dw(float *dw, const float *in, const float *dout, size_t n, size_t d_in,
                   size_t d_out)
{
    if (n == 0)
        return;
    gcn_sgemm(1, 0, d_in, d_out, n, 1.0f, in, d_in, dout, d_out, 1.0f, dw, d_out);
}

void gcn_matmul_din(float *din, const float *dout, const float *w, size_t n, size_t d_in,
                    size_t d_out)
{
    if (n == 0)
        return;
    gcn_sgemm(0, 1, n, d_in, d_out, 1.0f, dout, d_out, w, d_out, 0.0f, din, d_in);
}

GCN_VECTOR_CLONES
void gcn_scale_rows(float *x, const float *s, size_t n, size_t d)
{
    for (size_t i = 0; i < n; i++) {
        float *restrict row = x + i * d;
        const float si = s[i];
        for (size_t j = 0; j < d; j++)
            row[j] *= si;
    }
}

void gcn_spmm_plain(float *out, const int64_t *rowptr, const int32_t *col, const float *s_row,
                    const float *s, const float *x, size_t ldx, size_t n_rows, size_t d)
{
    for (size_t i = 0; i < n_rows; i++) {
        float *restrict o = out + i * d;
        memset(o, 0, d * sizeof *o);
        for (int64_t k = rowptr[i]; k < rowptr[i + 1]; k++) {
            const float *restrict xr = x + (size_t)col[k] * ldx;
            const float sj = s ? s[col[k]] : 1.0f;
            for (size_t j = 0; j < d; j++)
                o[j] += s ? sj * xr[j] : xr[j];
        }
        if (s_row)
            for (size_t j = 0; j < d; j++)
                o[j] *= s_row[i];
    }
}

GCN_VECTOR_CLONES
void gcn_scale_bias_act(float *x, const float *s, const float *b, size_t n, size_t d,
                        int relu)
{
    for (size_t i = 0; i < n; i++) {
        float *restrict row = x + i * d;
        const float si = s ? s[i] : 1.0f;
        if (relu) {
            for (size_t j = 0; j < d; j++) {
                const float v = si * row[j] + b[j];
                row[j] = v > 0.0f ? v : 0.0f;
            }
        } else {
            for (size_t j = 0; j < d; j++)
                row[j] = si * row[j] + b[j];
        }
    }
}

void gcn_relu_backward(float *g, const float *h, size_t n, size_t d)
{
    const size_t count = n * d;
    for (size_t i = 0; i < count; i++)
        g[i] = h[i] > 0.0f ? g[i] : 0.0f;
}

void gcn_bias_backward(float *db, const float *g, size_t n, size_t d)
{
    for (size_t i = 0; i < n; i++) {
        const float *restrict row = g + i * d;
        for (size_t j = 0; j < d; j++)
            db[j] += row[j];
    }
}

uint64_t gcn_dropout_key(uint64_t seed, size_t epoch, size_t layer)
{
    return gcn_mix64(gcn_mix64(seed ^ 0x64726f706f7574ULL) + epoch * 64 + layer);
}

void gcn_dropout(float *out, const float *in, size_t n, size_t d, const int32_t *rows,
                 size_t row0, float p, uint64_t key)
{
    if (p <= 0.0f) {
        if (out != in)
            memmove(out, in, n * d * sizeof *out);
        return;
    }
    const float keep_scale = 1.0f / (1.0f - p);
    /* keep when the element's 32-bit draw is at or above p * 2^32 */
    const uint64_t threshold = (uint64_t)((double)p * 4294967296.0);
    for (size_t i = 0; i < n; i++) {
        const uint64_t r = rows ? (uint64_t)rows[i] : (uint64_t)(row0 + i);
        const uint64_t base = gcn_mix64(key + r);
        for (size_t j = 0; j < d; j++) {
            const uint64_t draw = gcn_mix64(base + j) >> 32;
            out[i * d + j] = draw >= threshold ? in[i * d + j] * keep_scale : 0.0f;
        }
    }
}

/* Classes per exp_shifted call, and the multiple each call's count is padded to (one
 * AVX-512 vector), so no call ends in a scalar remainder loop. */
#define EXP_CHUNK 64
#define EXP_PAD 16

/* e[k] = exp(x[k] - shift) for x[k] <= shift, in float: 2^n * p(r) with x - shift = n ln 2 + r,
 * |r| <= ln 2 / 2, and p Cephes' expf polynomial (degree 7; within 2 ulp of exp, tests).
 * Differences below -87 (under float's normal range) give 0, a NaN gives NaN. Arithmetic only,
 * so each clone vectorizes it: it replaces a libm exp in double per logit, which was 6 % of a
 * Reddit-size epoch. */
GCN_VECTOR_CLONES
static void exp_shifted(float *restrict e, const float *restrict x, float shift, size_t m)
{
    for (size_t k = 0; k < m; k++) {
        const float v = x[k] - shift;
        /* clamped to [-87, 0] (a NaN to -87), so the conversion to int below is defined */
        const float a = v >= -87.0f ? (v <= 0.0f ? v : 0.0f) : -87.0f;
        /* round a / ln 2 to the nearest integer: adding 1.5 * 2^23 drops the fraction */
        const float n = (a * 1.44269504088896341f + 12582912.0f) - 12582912.0f;
        const float r = (a - n * 0.693359375f) - n * -2.12194440e-4f;
        float p = 1.9875691500e-4f;
        p = p * r + 1.3981999507e-3f;
        p = p * r + 8.3334519073e-3f;
        p = p * r + 4.1665795894e-2f;
        p = p * r + 1.6666665459e-1f;
        p = p * r + 5.0000001201e-1f;
        p = p * (r * r) + r + 1.0f;
        union { uint32_t u; float f; } two_n = { .u = (uint32_t)((int32_t)n + 127) << 23 };
        /* v - v is 0, or NaN when v is: it carries a NaN through */
        e[k] = v < -87.0f ? 0.0f : p * two_n.f + (v - v);
    }
}

/* The softmax's sum runs in SUM_LANES partial sums (class k into lane k % SUM_LANES, each in
 * class order), added up in lane order at the end: one fixed order on every machine, and no
 * chain of 41 dependent adds per row. */
#define SUM_LANES 8

/* lane[k % SUM_LANES] += e[k] for k < m, m a multiple of SUM_LANES. */
GCN_VECTOR_CLONES
static void sum_lanes(double *restrict lane, const float *restrict e, size_t m)
{
    for (size_t k = 0; k < m; k += SUM_LANES)
        for (size_t l = 0; l < SUM_LANES; l++)
            lane[l] += (double)e[k + l];
}

void gcn_softmax_xent(float *dlogits, double *stats, const float *logits, const int32_t *y,
                      const uint8_t *split, size_t n, size_t c, float scale)
{
    const size_t stride = GCN_STATS_STRIDE(c);
    float zb[EXP_CHUNK], e[EXP_CHUNK];
    for (size_t i = 0; i < n; i++) {
        const float *z = logits + i * c;
        size_t arg = 0;
        float zmax = z[0];
        for (size_t k = 1; k < c; k++) {
            if (z[k] > zmax) {
                zmax = z[k];
                arg = k;
            }
        }
        /* a training row's gradient row holds its exponentials until the sum is known */
        float *g = dlogits && split[i] == GCN_TRAIN ? dlogits + i * c : NULL;
        double lane[SUM_LANES] = { 0.0 };
        for (size_t k0 = 0; k0 < c; k0 += EXP_CHUNK) {
            const size_t m = c - k0 < EXP_CHUNK ? c - k0 : EXP_CHUNK;
            const size_t padded = (m + EXP_PAD - 1) / EXP_PAD * EXP_PAD;
            memcpy(zb, z + k0, m * sizeof *zb);
            for (size_t k = m; k < padded; k++)
                zb[k] = -INFINITY; /* exp gives 0, which adds nothing to a lane */
            exp_shifted(e, zb, zmax, padded);
            sum_lanes(lane, e, padded);
            if (g)
                memcpy(g + k0, e, m * sizeof *g);
        }
        double sum = 0.0;
        for (size_t l = 0; l < SUM_LANES; l++)
            sum += lane[l];
        const size_t label = (size_t)y[i];
        const double loss = log(sum) - (double)(z[label] - zmax);
        double *st = stats + (size_t)split[i] * stride;
        st[0] += loss;
        st[1] += 1.0;
        if (arg == label) {
            st[2] += 1.0;
            st[3 + label] += 1.0;
        } else {
            st[3 + c + arg] += 1.0;
            st[3 + 2 * c + label] += 1.0;
        }
        if (g) {
            const double inv = 1.0 / sum;
            for (size_t k = 0; k < c; k++)
                g[k] = (float)((double)g[k] * inv) * scale;
            g[label] -= scale;
        } else if (dlogits) {
            memset(dlogits + i * c, 0, c * sizeof *dlogits);
        }
    }
}

void gcn_adam(float *w, float *m, float *v, const float *g, size_t count, float lr, float beta1,
              float beta2, float eps, float wd, int t)
{
    const float c1 = 1.0f / (1.0f - powf(beta1, (float)t));
    const float c2 = 1.0f / (1.0f - powf(beta2, (float)t));
    for (size_t i = 0; i < count; i++) {
        const float gi = g[i] + wd * w[i];
        m[i] = beta1 * m[i] + (1.0f - beta1) * gi;
        v[i] = beta2 * v[i] + (1.0f - beta2) * gi * gi;
        const float mhat = m[i] * c1;
        const float vhat = v[i] * c2;
        w[i] -= lr * mhat / (sqrtf(vhat) + eps);
    }
}

double gcn_sumsq(const float *x, size_t count)
{
    double s = 0.0;
    for (size_t i = 0; i < count; i++)
        s += (double)x[i] * (double)x[i];
    return s;
}
