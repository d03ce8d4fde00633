/* kernels.h: the GCN's numerical kernels, plain C + OpenBLAS, no runtime.
 *
 * Both the sequential baseline (train_seq.c) and the StarPU codelets call exactly these, on
 * whole matrices or on one partition's rows. All matrices are row-major float32. Backward
 * kernels accumulate (+=) into gradients the caller zeroed. Kernels never allocate. The
 * sparse product runs from a plan: spmm_plan.h. */
#ifndef GCN_KERNELS_H
#define GCN_KERNELS_H

#include <stddef.h>
#include <stdint.h>

/* out (n, d_out) = in (n, d_in) w (d_in, d_out). */
void gcn_matmul(float *out, const float *in, const float *w, size_t n, size_t d_in,
                size_t d_out);

/* dw (d_in, d_out) += in^T (d_in, n) dout (n, d_out). */
void gcn_matmul_dw(float *dw, const float *in, const float *dout, size_t n, size_t d_in,
                   size_t d_out);

/* din (n, d_in) = dout (n, d_out) w^T (d_out, d_in). */
void gcn_matmul_din(float *din, const float *dout, const float *w, size_t n, size_t d_in,
                    size_t d_out);

/* x (n, d) row i *= s[i]. */
void gcn_scale_rows(float *x, const float *s, size_t n, size_t d);

/* The sparse product as the plain loop over CSR rows, summing in memory: out (n_rows, d) =
 * s_row[i] * sum over j in row i of s[j] * x_j (s_row, s: NULL = 1), x_j the d floats at
 * x + j * ldx. Training runs the same product from a plan (spmm_plan.h), which must match
 * this loop bit for bit (tests). */
void gcn_spmm_plain(float *out, const int64_t *rowptr, const int32_t *col, const float *s_row,
                    const float *s, const float *x, size_t ldx, size_t n_rows, size_t d);

/* x (n, d) row i = s[i] * x_i + b (s == NULL: scale 1), then max(0, .) when relu. The end of
 * Â Z + b. */
void gcn_scale_bias_act(float *x, const float *s, const float *b, size_t n, size_t d,
                        int relu);

/* g (n, d) *= (h > 0): the ReLU backward through the layer's saved output h. */
void gcn_relu_backward(float *g, const float *h, size_t n, size_t d);

/* db (d) += column sums of g (n, d). */
void gcn_bias_backward(float *db, const float *g, size_t n, size_t d);

/* The dropout key of one layer in one epoch, shared by every execution path. */
uint64_t gcn_dropout_key(uint64_t seed, size_t epoch, size_t layer);

/* Inverted dropout, out (n, d) = in * keep / (1 - p), in place allowed. The keep decision of
 * element (r, j) depends only on (key, global row r, j): rows[i] gives row i's global id, or
 * rows == NULL means global rows row0 .. row0 + n - 1. The same call on a gradient applies
 * the same mask, so backward needs no stored mask, and any partitioning draws the same mask
 * as the sequential run. p == 0 copies. */
void gcn_dropout(float *out, const float *in, size_t n, size_t d, const int32_t *rows,
                 size_t row0, float p, uint64_t key);

/* Per-split statistics, laid out as GCN_STATS_LEN(c) doubles: for each split s in 0..3,
 * [loss_sum, count, correct, tp[c], fp[c], fn[c]]. Partial stats of disjoint row sets add. */
#define GCN_STATS_STRIDE(c) (3 + 3 * (size_t)(c))
#define GCN_STATS_LEN(c) (4 * GCN_STATS_STRIDE(c))

/* Softmax cross-entropy of logits (n, c) against y. Adds every row's loss and prediction
 * counts to stats (under its split). Writes dlogits (n, c) = (softmax - onehot) * scale for
 * rows whose split is GCN_TRAIN and 0 elsewhere (scale = 1 / global train count). dlogits
 * may be NULL (evaluation only). */
void gcn_softmax_xent(float *dlogits, double *stats, const float *logits, const int32_t *y,
                      const uint8_t *split, size_t n, size_t c, float scale);

/* Adam with L2 weight decay folded into the gradient (g + wd * w, as Kipf & Welling's
 * loss term does), then the Adam update of w with moments
 * m, v (count floats each), step t >= 1. */
void gcn_adam(float *w, float *m, float *v, const float *g, size_t count, float lr, float beta1,
              float beta2, float eps, float wd, int t);

/* Sum of squares of x (count floats), in double. */
double gcn_sumsq(const float *x, size_t count);

#endif
