/* train_rdd.c: the GCN as RDD task DAGs over StarPU (see train_rdd.h).
 *
 * Per partition p, registered once: its feature rows X_p, labels, split, global row ids,
 * dinv, and its rows of the A + I pattern renumbered into [local | halo] (the shuffle plan)
 * as an SpMM plan (spmm_plan.h), and the same rows with training nodes' columns only (the top
 * layer's backward SpMM: its G is zero on every other row); the renumbered CSR block is freed
 * once planned.
 * Per layer l: Z_l and G_l carry the plan (their halos receive the rows p's edges touch),
 * H_l holds the layer's output, D_l the dropped input when dropout is on. Parameters,
 * gradients and Adam moments are broadcasts laid out exactly like struct gcn_model, so the
 * Adam task runs gcn_model_adam_step itself.
 *
 * One epoch (layer l, dims d_in -> d_out):
 *   fwd   [dropout]  D_l,p = drop(H_l,p)                               compute
 *         gemm       Z_l,p = dinv_p * (D_l,p W_l)                       compute
 *         shuffle    Z_l halo of p <- rows of Z_l,q                     shuffle
 *         spmm       H_l+1,p = act(dinv_p * (A+I)_p [Z_l,p | halo] + b_l)  compute
 *   loss  xent       G_L-1,p = dlogits, stats_p                         compute
 *         reduce     stats = sum_p stats_p                              reduce
 *   bwd   head       G_l,p *= relu'(H_l+1,p); db_l += colsum; G_l,p *= dinv_p   compute
 *         shuffle    G_l halo of p <- rows of G_l,q                     shuffle
 *         spmm       dZ_l,p = dinv_p * (A+I)_p [G_l,p | halo]  (into Z_l's local rows)
 *         dW         partial_p(W_l) += D_l,p^T dZ_l,p                   compute
 *         dH         G_l-1,p = drop(dZ_l,p W_l^T)                       compute
 *         reduce     grads = sum_p partial_p                            reduce
 *   adam             params, moments <- grads                           compute
 *
 * In broadcast mode (train_rdd.h) Z_l and G_l have no halo: each shuffle above is a gather
 * (S_l,q <- Z_l,q, or G_l,q in backward: one copy task per partition) into S_l, one gathered
 * block of all n rows, and the SpMMs read S_l whole through CSR columns in partition order.
 *
 * When the dataset's features are already Â X (aggregate.h), layer 1 is a map with no
 * shuffle: fwd "gemm" H_1,p = act(X_p W_1 + b_1); bwd "bias" G_1,p *= relu'(H_1,p) (when
 * layer 1 is not the last), db_1 += colsum, then "dW" partial_p(W_1) += X_p^T G_1,p. Z_1 does
 * not exist and G_1 has no halo. */
#include "train_rdd.h"

#include <math.h>
#include <stdio.h>
#include <sys/resource.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>

#include "aggregate.h"
#include "base/error.h"
#include "blas.h"
#include "cache.h"
#include "graph.h"
#include "kernels.h"
#include "model.h"
#include "spmm_plan.h"
#include "runtime/context.h"
#include "runtime/rdd.h"
#include "runtime/stats.h"

#define TRY(call)                                                                              \
    do {                                                                                       \
        if ((call) != GCN_OK)                                                                  \
            goto fail;                                                                         \
    } while (0)

/* ---- codelets: plain kernels over the buffers of one partition ------------------------ */

struct dropout_arg { size_t d; float p; uint64_t key; };
struct gemm_arg { size_t d_in, d_out, w_off; };
struct spmm_arg { size_t d_out, b_off; int relu; };
struct dense_arg { size_t d_in, d_out, w_off, b_off; int relu; };
struct xent_arg { size_t c; float scale; };
struct head_arg { size_t d_out, b_off; int relu, scale; };
struct dh_arg { size_t d_in, d_out, w_off; float p; uint64_t key; };
struct adam_arg { struct gcn_model layout; struct gcn_hparams hp; };

/* b: [0] D out (n, d), [1] H in (n, d), [2] global rows (n) */
static void dropout_cpu(const struct rdd_buf *b, int nbuf, const void *arg)
{
    const struct dropout_arg *a = arg;
    (void)nbuf;
    gcn_dropout(b[0].ptr, b[1].ptr, b[1].rows, a->d, b[2].ptr, 0, a->p, a->key);
}

/* b: [0] Z out (n, d_out), [1] H in (n, d_in), [2] params, [3] dinv (n) */
static void fwd_gemm_cpu(const struct rdd_buf *b, int nbuf, const void *arg)
{
    const struct gemm_arg *a = arg;
    (void)nbuf;
    const float *w = (const float *)b[2].ptr + a->w_off;
    gcn_matmul(b[0].ptr, b[1].ptr, w, b[1].rows, a->d_in, a->d_out);
    gcn_scale_rows(b[0].ptr, b[3].ptr, b[0].local_rows, a->d_out);
}

/* b: [0] H' out (n, d_out), [1] X = Â X in (n, d_in), [2] params: layer 1 on aggregated
 * features */
static void fwd_dense_cpu(const struct rdd_buf *b, int nbuf, const void *arg)
{
    const struct dense_arg *a = arg;
    (void)nbuf;
    const float *params = b[2].ptr;
    const size_t n = b[0].rows;
    gcn_matmul(b[0].ptr, b[1].ptr, params + a->w_off, n, a->d_in, a->d_out);
    gcn_scale_bias_act(b[0].ptr, NULL, params + a->b_off, n, a->d_out, a->relu);
}

/* b: [0] H' out (n, d_out), [1] Z with halo (n + halo, d_out), [2] SpMM plan, [3] dinv (n),
 * [4] params */
static void fwd_spmm_cpu(const struct rdd_buf *b, int nbuf, const void *arg)
{
    const struct spmm_arg *a = arg;
    (void)nbuf;
    const size_t n = b[0].rows;
    gcn_spmm(b[0].ptr, b[2].ptr, b[1].ptr, a->d_out);
    gcn_scale_bias_act(b[0].ptr, b[3].ptr, (const float *)b[4].ptr + a->b_off, n, a->d_out,
                       a->relu);
}

/* b: [0] stats part (1, len) out, [1] logits (n, c), [2] y (n), [3] split (n),
 * [4] dlogits (n, c) out, training passes only */
static void xent_cpu(const struct rdd_buf *b, int nbuf, const void *arg)
{
    const struct xent_arg *a = arg;
    memset(b[0].ptr, 0, b[0].cols * sizeof(double));
    gcn_softmax_xent(nbuf > 4 ? b[4].ptr : NULL, b[0].ptr, b[1].ptr, b[2].ptr, b[3].ptr,
                     b[1].rows, a->c, a->scale);
}

/* b: [0] G (n, d_out) in/out, [1] partial grads in/out, then H' (n, d_out) when relu, then
 * dinv (n) when scale (G *= dinv for the SpMM that follows; not on aggregated features) */
static void bwd_head_cpu(const struct rdd_buf *b, int nbuf, const void *arg)
{
    const struct head_arg *a = arg;
    const size_t n = b[0].local_rows;
    (void)nbuf;
    if (a->relu)
        gcn_relu_backward(b[0].ptr, b[2].ptr, n, a->d_out);
    gcn_bias_backward((float *)b[1].ptr + a->b_off, b[0].ptr, n, a->d_out);
    if (a->scale)
        gcn_scale_rows(b[0].ptr, b[a->relu ? 3 : 2].ptr, n, a->d_out);
}

/* b: [0] dZ out (n, d_out), [1] G with halo, [2] SpMM plan, [3] dinv */
static void bwd_spmm_cpu(const struct rdd_buf *b, int nbuf, const void *arg)
{
    const struct spmm_arg *a = arg;
    (void)nbuf;
    gcn_spmm(b[0].ptr, b[2].ptr, b[1].ptr, a->d_out);
    gcn_scale_rows(b[0].ptr, b[3].ptr, b[0].local_rows, a->d_out);
}

/* b: [0] partial grads in/out, [1] D (n, d_in), [2] dZ (n, d_out) */
static void bwd_dw_cpu(const struct rdd_buf *b, int nbuf, const void *arg)
{
    const struct gemm_arg *a = arg;
    (void)nbuf;
    gcn_matmul_dw((float *)b[0].ptr + a->w_off, b[1].ptr, b[2].ptr, b[1].rows, a->d_in,
                  a->d_out);
}

/* b: [0] G_prev out (n, d_in), [1] dZ (n, d_out), [2] params, [3] global rows (n) */
static void bwd_dh_cpu(const struct rdd_buf *b, int nbuf, const void *arg)
{
    const struct dh_arg *a = arg;
    (void)nbuf;
    const size_t n = b[0].local_rows;
    gcn_matmul_din(b[0].ptr, b[1].ptr, (const float *)b[2].ptr + a->w_off, n, a->d_in,
                   a->d_out);
    gcn_dropout(b[0].ptr, b[0].ptr, n, a->d_in, b[3].ptr, 0, a->p, a->key);
}

/* b: [0] params in/out, [1] moments in/out, [2] grads: the sequential path's Adam step */
static void adam_cpu(const struct rdd_buf *b, int nbuf, const void *arg)
{
    const struct adam_arg *a = arg;
    (void)nbuf;
    struct gcn_model m = a->layout;
    m.params = b[0].ptr;
    m.moments = b[1].ptr;
    m.grads = b[2].ptr;
    gcn_model_adam_step(&m, &a->hp);
}

static const struct rdd_op cl_dropout = RDD_OP(dropout, RDD_COMPUTE);
static const struct rdd_op cl_fwd_gemm = RDD_OP(fwd_gemm, RDD_COMPUTE);
static const struct rdd_op cl_fwd_spmm = RDD_OP(fwd_spmm, RDD_COMPUTE);
static const struct rdd_op cl_fwd_dense = RDD_OP(fwd_dense, RDD_COMPUTE);
static const struct rdd_op cl_xent = RDD_OP(xent, RDD_COMPUTE);
static const struct rdd_op cl_bwd_head = RDD_OP(bwd_head, RDD_COMPUTE);
static const struct rdd_op cl_bwd_spmm = RDD_OP(bwd_spmm, RDD_COMPUTE);
static const struct rdd_op cl_bwd_dw = RDD_OP(bwd_dw, RDD_COMPUTE);
static const struct rdd_op cl_bwd_dh = RDD_OP(bwd_dh, RDD_COMPUTE);
static const struct rdd_op cl_adam = RDD_OP(adam, RDD_COMPUTE);

/* ---- the partitioned model ------------------------------------------------------------- */

struct rgcn {
    struct rdd_context *ctx;             /* local[N] */
    const struct gcn_dataset *ds;        /* borrowed */
    struct gcn_partitioning part;        /* node -> partition */
    struct gcn_shuffle_plan plan;        /* rows q -> p, renumbered blocks */
    struct rdd_shuffle_plan *rplan;      /* the same plan for the runtime */
    struct gcn_model model;              /* layout and initial parameters */
    const struct gcn_hparams *hp;        /* borrowed */
    size_t L;                            /* layers */
    int P;                               /* partitions */
    float scale;                         /* 1 / training nodes */
    struct rdd *x, *y, *split, *rows, *spmm, *dinv; /* per partition, constant */
    struct rdd *spmm_top;                /* per partition: spmm over training nodes' columns,
                                            for the top layer's backward (NULL: no SpMM) */
    struct rdd *z[GCN_MAX_LAYERS];       /* (n_p + halo, d_out) transforms; dZ in backward */
    struct rdd *h[GCN_MAX_LAYERS];       /* (n_p, d_out) layer outputs */
    struct rdd *d[GCN_MAX_LAYERS];       /* (n_p, d_in) dropped inputs, or NULL */
    struct rdd *g[GCN_MAX_LAYERS];       /* (n_p + halo, d_out) output gradients */
    struct rdd *s[GCN_MAX_LAYERS];       /* broadcast mode: gathered (n, d_out) Z_l, then G_l */
    enum gcn_shuffle_mode shuffle;       /* pairwise or broadcast */
    struct rdd *partial;                 /* (1, count) per-partition gradient partials */
    struct rdd *params, *grads, *moments; /* broadcasts (1, count), (1, count), (1, 2 count) */
    struct rdd *stats_part, *stats;      /* (1, GCN_STATS_LEN) F64 partials and their sum */
    size_t nstats;                       /* GCN_STATS_LEN(classes) */
};

static size_t dim_in(const struct rgcn *g, size_t l) { return g->model.dims[l]; }
static size_t dim_out(const struct rgcn *g, size_t l) { return g->model.dims[l + 1]; }

/* The layer's input as the transform reads it. */
static struct rdd *layer_input(const struct rgcn *g, size_t l)
{
    if (g->d[l])
        return g->d[l];
    return l == 0 ? g->x : g->h[l - 1];
}

/* 1 when some layer aggregates (all but one layer on Â X do). */
static int propagates(const struct rgcn *g)
{
    for (size_t l = 0; l < g->L; l++)
        if (!gcn_layer_dense(g->ds, l))
            return 1;
    return 0;
}

/* Rows one propagation copies across partitions in mode m (0 when no layer propagates). */
static size_t exchange_rows(const struct rgcn *g, enum gcn_shuffle_mode m)
{
    if (!propagates(g))
        return 0;
    return m == GCN_SHUFFLE_BROADCAST ? g->ds->n : g->plan.recv_rows_total;
}

/* The pairwise shuffle's plan for the runtime: the same rows, q's slices laid out in p's halo
 * exactly where the gcn plan's renumbered columns expect them. */
static int build_runtime_plan(struct rgcn *g)
{
    const size_t P = (size_t)g->P;
    size_t *count = calloc(P * P, sizeof *count);
    const int32_t **rows = calloc(P * P, sizeof *rows);
    int rc = GCN_ERR;
    if (!count || !rows) {
        gcn_fail("out of memory for a %zu x %zu shuffle plan", P, P);
        goto fail;
    }
    for (size_t p = 0; p < P; p++) {
        for (size_t q = 0; q < P; q++) {
            const size_t pair = q * P + p; /* gcn plan: pair (q -> p) */
            count[p * P + q] = g->plan.send_off[pair + 1] - g->plan.send_off[pair];
            rows[p * P + q] = count[p * P + q] ? g->plan.send_rows + g->plan.send_off[pair] : NULL;
        }
    }
    TRY(rdd_shuffle_plan_create(&g->rplan, (int)P, count, rows));
    /* both plans must lay the halo out alike: q's rows at the same place of X_p */
    for (size_t p = 0; p < P; p++) {
        const size_t local = g->part.offset[p + 1] - g->part.offset[p];
        for (size_t q = 0; q < P; q++) {
            if (q == p || !count[p * P + q])
                continue;
            if (g->plan.recv_off[p * (P + 1) + q] !=
                local + rdd_shuffle_plan_offset(g->rplan, (int)p, (int)q)) {
                gcn_fail("internal error: shuffle plan and runtime halo disagree for %zu -> %zu",
                         q, p);
                goto fail;
            }
        }
    }
    rc = GCN_OK;
fail:
    free(count);
    free(rows);
    return rc;
}

static int build_plans(struct rgcn *g, const struct gcn_rdd_opts *ro, uint64_t seed)
{
    const struct gcn_dataset *ds = g->ds;
    struct gcn_csr prop = { 0 };
    float *dinv = NULL;
    int rc = GCN_ERR;
    const size_t R = (size_t)rdd_context_ranks(g->ctx);
    const size_t P = ro->partitions ? ro->partitions : (size_t)ro->workers * R;
    if (P < R) {
        gcn_fail("%zu partitions for %zu ranks: every rank needs one; raise --partitions to at "
                 "least %zu or leave it unset (P = ranks x workers)", P, R, R);
        goto fail;
    }

    TRY(gcn_partition(&g->part, &ds->adj, P, ro->partitioner, seed));
    TRY(gcn_propagation_build(&prop, &dinv, &ds->adj));
    TRY(gcn_shuffle_plan_build(&g->plan, &prop, dinv, &g->part));
    g->P = (int)P;
    g->shuffle = gcn_shuffle_mode_pick(ro->shuffle, exchange_rows(g, GCN_SHUFFLE_PAIRWISE),
                                       ds->n);
    if (g->shuffle == GCN_SHUFFLE_PAIRWISE) /* broadcast: no halos, no runtime plan */
        TRY(build_runtime_plan(g));
    rc = GCN_OK;
fail:
    gcn_csr_free(&prop);
    free(dinv);
    return rc;
}

/* Rows of X_p, partition p's [local | halo] block. */
static size_t xp_rows(const struct rgcn *g, size_t p)
{
    return g->plan.recv_off[p * ((size_t)g->P + 1) + (size_t)g->P];
}

/* Columns partition p's SpMM reads: X_p's rows, or in broadcast mode the gathered block of
 * all n rows. */
static size_t spmm_cols(const struct rgcn *g, size_t p)
{
    return g->shuffle == GCN_SHUFFLE_BROADCAST ? g->ds->n : xp_rows(g, p);
}

/* Partition p's block b (its rows of A + I, or some of their entries) as an SpMM plan
 * (spmm_plan.h) over the columns spmm_cols counts, in tiles of tile_cols (bytes:
 * gcn_spmm_plan_bytes with the same tile_cols). The block lists a row's columns in X_p's
 * [local | halo] order; in broadcast mode the gathered numbering keeps that order, so X_p's
 * row number is the key. */
static int plan_partition(const struct rgcn *g, size_t p, const struct gcn_csr *b, void *plan,
                          size_t bytes, size_t tile_cols)
{
    const size_t n = g->part.offset[p + 1] - g->part.offset[p], cols = spmm_cols(g, p);
    if (g->shuffle != GCN_SHUFFLE_BROADCAST)
        return gcn_spmm_plan_build(plan, bytes, b->rowptr, b->col, n, cols, NULL, 0,
                                   GCN_SPMM_PANEL_ROWS, tile_cols);
    const size_t xrows = xp_rows(g, p);
    int32_t *pos = malloc(xrows * sizeof *pos + 1), *key = calloc(cols + 1, sizeof *key);
    int32_t *col = malloc(b->nnz * sizeof *col + 1);
    int rc = GCN_ERR;
    if (!pos || !key || !col) {
        gcn_fail("out of memory planning partition %zu's SpMM", p);
        goto fail;
    }
    TRY(gcn_shuffle_plan_positions(&g->plan, &g->part, p, pos));
    for (size_t j = 0; j < xrows; j++)
        key[pos[j]] = (int32_t)j; /* gathered columns p never reads keep key 0, unread */
    for (size_t k = 0; k < b->nnz; k++)
        col[k] = pos[b->col[k]];
    TRY(gcn_spmm_plan_build(plan, bytes, b->rowptr, col, n, cols, key, xrows,
                            GCN_SPMM_PANEL_ROWS, tile_cols));
    rc = GCN_OK;
fail:
    free(pos);
    free(key);
    free(col);
    return rc;
}

/* Partition p's block with the entries whose column is a training node: the top layer's
 * output gradient is the loss's, zero on every other row, so its backward product over these
 * columns adds the same terms in the same order (a float plus +0 is itself, and the sums
 * never hold -0). */
static int top_block(const struct rgcn *g, size_t p, struct gcn_csr *out)
{
    const size_t xrows = xp_rows(g, p);
    int32_t *pos = malloc(xrows * sizeof *pos + 1);
    uint8_t *label = malloc(xrows + 1);
    int rc = GCN_ERR;
    if (!pos || !label) {
        gcn_fail("out of memory selecting partition %zu's training columns", p);
        goto fail;
    }
    TRY(gcn_shuffle_plan_positions(&g->plan, &g->part, p, pos));
    for (size_t j = 0; j < xrows; j++)
        label[j] = g->ds->split[g->part.rows[pos[j]]];
    TRY(gcn_csr_select_cols(out, &g->plan.block[p], label, GCN_TRAIN));
    rc = GCN_OK;
fail:
    free(pos);
    free(label);
    return rc;
}

/* Registers every rdd and fills the constant ones from the dataset. */
static int build_rdds(struct rgcn *g, float dropout)
{
    const struct gcn_dataset *ds = g->ds;
    const int P = g->P;
    const size_t tile_cols = gcn_spmm_tile_cols();
    const int top = !gcn_layer_dense(g->ds, g->L - 1); /* the top layer has an SpMM */
    size_t *n = malloc((size_t)P * sizeof *n), *plan = malloc((size_t)P * sizeof *plan),
           *plan_top = malloc((size_t)P * sizeof *plan_top),
           *ones = malloc((size_t)P * sizeof *ones);
    struct gcn_csr tb = { 0 };
    int rc = GCN_ERR;
    if (!n || !plan || !plan_top || !ones) {
        gcn_fail("out of memory registering %d partitions", P);
        goto fail;
    }
    for (int p = 0; p < P; p++) {
        n[p] = g->part.offset[p + 1] - g->part.offset[p];
        /* in 8-byte words: the plan's arrays are 64-bit aligned, and the runtime counts
         * elements in 32 bits */
        plan[p] = gcn_spmm_plan_bytes(g->plan.block[p].rowptr, n[p], spmm_cols(g, (size_t)p),
                                      GCN_SPMM_PANEL_ROWS, tile_cols) /
                  sizeof(int64_t);
        plan_top[p] = 0;
        if (top) { /* sized here, built again below for the partitions this rank holds */
            TRY(top_block(g, (size_t)p, &tb));
            plan_top[p] = gcn_spmm_plan_bytes(tb.rowptr, n[p], spmm_cols(g, (size_t)p),
                                              GCN_SPMM_PANEL_ROWS, tile_cols) /
                          sizeof(int64_t);
            gcn_csr_free(&tb);
        }
        ones[p] = 1;
    }
    struct rdd_context *ctx = g->ctx;
    TRY(rdd_create(ctx, &g->x, "X", RDD_F32, P, n, ds->f, NULL));
    TRY(rdd_vector_create(ctx, &g->y, "y", RDD_I32, P, n));
    TRY(rdd_vector_create(ctx, &g->split, "split", RDD_U8, P, n));
    TRY(rdd_vector_create(ctx, &g->rows, "rows", RDD_I32, P, n));
    TRY(rdd_vector_create(ctx, &g->spmm, "spmm_plan", RDD_I64, P, plan));
    if (top)
        TRY(rdd_vector_create(ctx, &g->spmm_top, "spmm_plan_top", RDD_I64, P, plan_top));
    TRY(rdd_vector_create(ctx, &g->dinv, "dinv", RDD_F32, P, n));
    for (int p = 0; p < P; p++) {
        if (rdd_part_owner(g->x, p) != rdd_context_rank(ctx))
            continue; /* another rank's partition: registered, not held here */
        const int32_t *ids = g->part.rows + g->part.offset[p];
        float *x = rdd_part_data(g->x, p);
        int32_t *y = rdd_part_data(g->y, p);
        uint8_t *split = rdd_part_data(g->split, p);
        for (size_t i = 0; i < n[p]; i++) {
            memcpy(x + i * ds->f, ds->x + (size_t)ids[i] * ds->f, ds->f * sizeof *x);
            y[i] = ds->y[ids[i]];
            split[i] = ds->split[ids[i]];
        }
        memcpy(rdd_part_data(g->rows, p), ids, n[p] * sizeof *ids);
        TRY(plan_partition(g, (size_t)p, &g->plan.block[p], rdd_part_data(g->spmm, p),
                           plan[p] * sizeof(int64_t), tile_cols));
        if (top) {
            TRY(top_block(g, (size_t)p, &tb));
            TRY(plan_partition(g, (size_t)p, &tb, rdd_part_data(g->spmm_top, p),
                               plan_top[p] * sizeof(int64_t), tile_cols));
            gcn_csr_free(&tb);
        }
        memcpy(rdd_part_data(g->dinv, p), g->plan.dinv + g->part.offset[p],
               n[p] * sizeof(float));
    }
    for (size_t l = 0; l < g->L; l++) {
        char name[32];
        const int dense = gcn_layer_dense(g->ds, l); /* no SpMM: no Z, no halo */
        if (!dense) { /* g->rplan is NULL in broadcast mode: no halos, a gathered S instead */
            snprintf(name, sizeof name, "Z%zu", l + 1);
            TRY(rdd_create(ctx, &g->z[l], name, RDD_F32, P, n, dim_out(g, l), g->rplan));
            if (g->shuffle == GCN_SHUFFLE_BROADCAST) {
                snprintf(name, sizeof name, "S%zu", l + 1);
                TRY(rdd_gathered_create(ctx, &g->s[l], name, RDD_F32, P, n, dim_out(g, l)));
            }
        }
        snprintf(name, sizeof name, "G%zu", l + 1);
        TRY(rdd_create(ctx, &g->g[l], name, RDD_F32, P, n, dim_out(g, l),
                       dense ? NULL : g->rplan));
        snprintf(name, sizeof name, "H%zu", l + 1);
        TRY(rdd_create(ctx, &g->h[l], name, RDD_F32, P, n, dim_out(g, l), NULL));
        if (dropout > 0.0f) {
            snprintf(name, sizeof name, "D%zu", l + 1);
            TRY(rdd_create(ctx, &g->d[l], name, RDD_F32, P, n, dim_in(g, l), NULL));
        }
    }
    const size_t count = g->model.count;
    TRY(rdd_create(ctx, &g->partial, "dW partial", RDD_F32, P, ones, count, NULL));
    TRY(rdd_broadcast_create(ctx, &g->params, "W", RDD_F32, 1, count));
    TRY(rdd_broadcast_create(ctx, &g->grads, "dW", RDD_F32, 1, count));
    TRY(rdd_broadcast_create(ctx, &g->moments, "Adam moments", RDD_F32, 1, 2 * count));
    TRY(rdd_create(ctx, &g->stats_part, "stats partial", RDD_F64, P, ones, g->nstats, NULL));
    TRY(rdd_broadcast_create(ctx, &g->stats, "stats", RDD_F64, 1, g->nstats));
    memcpy(rdd_part_data(g->params, 0), g->model.params, count * sizeof(float));
    memset(rdd_part_data(g->moments, 0), 0, 2 * count * sizeof(float));
    rc = GCN_OK;
fail:
    gcn_csr_free(&tb);
    free(n);
    free(plan);
    free(plan_top);
    free(ones);
    return rc;
}

/* After registration: frees what this rank does not need to train: ds's arrays (when the
 * caller released them) and every partition's graph block, which the registered SpMM plans
 * replace (other ranks' blocks were never planned here). */
static void release_setup(struct rgcn *g, struct gcn_dataset *ds)
{
    if (ds) {
        free(ds->x);
        free(ds->y);
        free(ds->split);
        ds->x = NULL;
        ds->y = NULL;
        ds->split = NULL;
        gcn_csr_free(&ds->adj);
    }
    for (int p = 0; p < g->P; p++)
        gcn_csr_free(&g->plan.block[p]);
}

/* Gives every partition the rows of r (Z_l or G_l) its edges touch: a pairwise shuffle into
 * r's halos, or a gather of r into S_l. */
static int exchange(struct rgcn *g, struct rdd *r, size_t l, const char *name)
{
    if (g->shuffle == GCN_SHUFFLE_BROADCAST)
        return rdd_gather(g->ctx, r, g->s[l], name);
    return rdd_shuffle(g->ctx, r, name);
}

/* How the SpMM of partition p reads what exchange gave it. */
static struct rdd_access exchanged(const struct rgcn *g, struct rdd *r, size_t l)
{
    if (g->shuffle == GCN_SHUFFLE_BROADCAST)
        return RDD_IN_ALL(g->s[l]);
    return RDD_IN_HALO(r, RDD_EACH);
}

static int submit_forward(struct rgcn *g, size_t epoch, uint64_t seed, int training)
{
    char name[48];
    for (size_t l = 0; l < g->L; l++) {
        const size_t di = dim_in(g, l), dout = dim_out(g, l);
        struct rdd *in = l == 0 ? g->x : g->h[l - 1];
        if (g->d[l] && training) {
            const struct dropout_arg da = { di, g->hp->dropout,
                                            gcn_dropout_key(seed, epoch, l) };
            const struct rdd_access acc[] = { RDD_OUT(g->d[l], RDD_EACH), RDD_IN(in, RDD_EACH),
                                              RDD_IN(g->rows, RDD_EACH) };
            snprintf(name, sizeof name, "L%zu_fwd_dropout", l + 1);
            TRY(rdd_map(g->ctx, &cl_dropout, name, acc, 3, &da, sizeof da, 0));
            in = g->d[l];
        }
        if (gcn_layer_dense(g->ds, l)) {
            const struct dense_arg da = { di, dout, g->model.w_off[l], g->model.b_off[l],
                                          l + 1 < g->L };
            const struct rdd_access acc[] = { RDD_OUT(g->h[l], RDD_EACH), RDD_IN(in, RDD_EACH),
                                              RDD_BCAST(g->params) };
            snprintf(name, sizeof name, "L%zu_fwd_gemm", l + 1);
            TRY(rdd_map(g->ctx, &cl_fwd_dense, name, acc, 3, &da, sizeof da, 0));
            continue;
        }
        const struct gemm_arg ga = { di, dout, g->model.w_off[l] };
        const struct rdd_access gemm[] = { RDD_OUT(g->z[l], RDD_EACH), RDD_IN(in, RDD_EACH),
                                           RDD_BCAST(g->params), RDD_IN(g->dinv, RDD_EACH) };
        snprintf(name, sizeof name, "L%zu_fwd_gemm", l + 1);
        TRY(rdd_map(g->ctx, &cl_fwd_gemm, name, gemm, 4, &ga, sizeof ga, 0));
        snprintf(name, sizeof name, "L%zu_fwd_shuffle", l + 1);
        TRY(exchange(g, g->z[l], l, name));
        const struct spmm_arg sa = { dout, g->model.b_off[l], l + 1 < g->L };
        const struct rdd_access spmm[] = { RDD_OUT(g->h[l], RDD_EACH), exchanged(g, g->z[l], l),
                                           RDD_IN(g->spmm, RDD_EACH), RDD_IN(g->dinv, RDD_EACH),
                                           RDD_BCAST(g->params) };
        snprintf(name, sizeof name, "L%zu_fwd_spmm", l + 1);
        TRY(rdd_map(g->ctx, &cl_fwd_spmm, name, spmm, 5, &sa, sizeof sa, 0));
    }
    const struct xent_arg xa = { g->model.dims[g->L], g->scale };
    const struct rdd_access xent[] = { RDD_OUT(g->stats_part, RDD_EACH),
                                       RDD_IN(g->h[g->L - 1], RDD_EACH),
                                       RDD_IN(g->y, RDD_EACH), RDD_IN(g->split, RDD_EACH),
                                       RDD_OUT(g->g[g->L - 1], RDD_EACH) };
    TRY(rdd_map(g->ctx, &cl_xent, "loss", xent, training ? 5 : 4, &xa, sizeof xa, 0));
    TRY(rdd_reduce(g->ctx, g->stats_part, g->stats, "loss_reduce"));
    return GCN_OK;
fail:
    return GCN_ERR;
}

static int submit_backward(struct rgcn *g, size_t epoch, uint64_t seed)
{
    char name[48];
    TRY(rdd_zero(g->ctx, g->partial, RDD_EACH, "dW_zero"));
    for (size_t l = g->L; l-- > 0;) {
        const size_t di = dim_in(g, l), dout = dim_out(g, l);
        const int relu = l + 1 < g->L, dense = gcn_layer_dense(g->ds, l);
        const struct head_arg ha = { dout, g->model.b_off[l], relu, !dense };
        struct rdd_access head[4] = { RDD_INOUT(g->g[l], RDD_EACH),
                                      RDD_INOUT(g->partial, RDD_EACH) };
        int nhead = 2;
        if (relu)
            head[nhead++] = RDD_IN(g->h[l], RDD_EACH);
        if (!dense)
            head[nhead++] = RDD_IN(g->dinv, RDD_EACH);
        snprintf(name, sizeof name, "L%zu_bwd_bias", l + 1);
        TRY(rdd_map(g->ctx, &cl_bwd_head, name, head, nhead, &ha, sizeof ha, 0));
        if (!dense) { /* dZ = Â G into Z's local rows; on Â X, G is dZ */
            snprintf(name, sizeof name, "L%zu_bwd_shuffle", l + 1);
            TRY(exchange(g, g->g[l], l, name));
            const struct spmm_arg sa = { dout, 0, 0 };
            const struct rdd_access spmm[] = { RDD_OUT(g->z[l], RDD_EACH),
                                               exchanged(g, g->g[l], l),
                                               RDD_IN(l + 1 == g->L ? g->spmm_top : g->spmm,
                                                      RDD_EACH),
                                               RDD_IN(g->dinv, RDD_EACH) };
            snprintf(name, sizeof name, "L%zu_bwd_spmm", l + 1);
            TRY(rdd_map(g->ctx, &cl_bwd_spmm, name, spmm, 4, &sa, sizeof sa, 0));
        }
        const struct gemm_arg ga = { di, dout, g->model.w_off[l] };
        const struct rdd_access dw[] = { RDD_INOUT(g->partial, RDD_EACH),
                                         RDD_IN(layer_input(g, l), RDD_EACH),
                                         RDD_IN(dense ? g->g[l] : g->z[l], RDD_EACH) };
        snprintf(name, sizeof name, "L%zu_bwd_dW", l + 1);
        TRY(rdd_map(g->ctx, &cl_bwd_dw, name, dw, 3, &ga, sizeof ga, 0));
        if (l == 0)
            break;
        const struct dh_arg hd = { di, dout, g->model.w_off[l], g->hp->dropout,
                                   gcn_dropout_key(seed, epoch, l) };
        const struct rdd_access dh[] = { RDD_OUT(g->g[l - 1], RDD_EACH),
                                         RDD_IN(g->z[l], RDD_EACH), RDD_BCAST(g->params),
                                         RDD_IN(g->rows, RDD_EACH) };
        snprintf(name, sizeof name, "L%zu_bwd_dH", l + 1);
        TRY(rdd_map(g->ctx, &cl_bwd_dh, name, dh, 4, &hd, sizeof hd, 0));
    }
    TRY(rdd_reduce(g->ctx, g->partial, g->grads, "dW_reduce"));
    struct adam_arg aa = { .layout = g->model, .hp = *g->hp };
    aa.layout.params = aa.layout.grads = aa.layout.moments = NULL;
    const struct rdd_access adam[] = { RDD_INOUT(g->params, 0), RDD_INOUT(g->moments, 0),
                                       RDD_IN(g->grads, 0) };
    TRY(rdd_task(g->ctx, &cl_adam, "adam", -1, adam, 3, &aa, sizeof aa));
    g->model.step++;
    return GCN_OK;
fail:
    return GCN_ERR;
}

/* Reads the summed statistics (an action: waits for the loss reduce). */
static int read_stats(struct rgcn *g, double *stats)
{
    void *ptr;
    TRY(rdd_acquire(g->stats, 0, RDD_R, &ptr));
    memcpy(stats, ptr, g->nstats * sizeof *stats);
    rdd_release(g->stats, 0);
    return GCN_OK;
fail:
    return GCN_ERR;
}

static int read_l2(struct rgcn *g, double *l2)
{
    void *ptr;
    TRY(rdd_acquire(g->params, 0, RDD_R, &ptr));
    struct gcn_model m = g->model;
    m.params = ptr;
    *l2 = gcn_model_l2(&m, g->hp);
    rdd_release(g->params, 0);
    return GCN_OK;
fail:
    return GCN_ERR;
}

static void destroy(struct rgcn *g)
{
    struct rdd *all[] = { g->x, g->y, g->split, g->rows, g->spmm, g->spmm_top, g->dinv,
                          g->partial, g->params, g->grads, g->moments, g->stats_part, g->stats };
    for (size_t l = 0; l < g->L; l++) {
        rdd_destroy(g->z[l]);
        rdd_destroy(g->g[l]);
        rdd_destroy(g->h[l]);
        rdd_destroy(g->d[l]);
        rdd_destroy(g->s[l]);
    }
    for (size_t i = 0; i < sizeof all / sizeof *all; i++)
        rdd_destroy(all[i]);
    rdd_shuffle_plan_destroy(g->rplan);
    gcn_shuffle_plan_free(&g->plan);
    gcn_partitioning_free(&g->part);
    gcn_model_free(&g->model);
}

/* What each rank contributes to an epoch record, in rdd_context_allgather's doubles. */
enum { ST_COMPUTE, ST_COMM, ST_OVERHEAD, ST_TASKS, ST_SHUFFLE, ST_SENT, ST_RECV, ST_NET, ST_N };

/* Fills r's runtime fields from every rank's window st (one rank: its own): task seconds,
 * tasks and bytes summed over ranks, network time the longest of any rank; adds each rank's
 * share to info->per_rank when timed. */
static int record_runtime(struct rgcn *g, struct gcn_epoch_record *r, const struct rdd_stats *st,
                          struct gcn_rdd_info *info, int timed)
{
    const int R = rdd_context_ranks(g->ctx);
    const double mine[ST_N] = { st->compute_s, st->communication_s, st->overhead_s,
                                (double)st->tasks, (double)st->shuffle_bytes,
                                (double)st->net_sent_bytes, (double)st->net_recv_bytes,
                                st->net_s };
    double *all = malloc((size_t)R * ST_N * sizeof *all);
    if (!all)
        return gcn_fail("out of memory gathering %d ranks' statistics", R);
    if (rdd_context_allgather(g->ctx, mine, ST_N, all) != GCN_OK) {
        free(all);
        return GCN_ERR;
    }
    for (int k = 0; k < R; k++) {
        const double *a = all + (size_t)k * ST_N;
        r->compute_s += a[ST_COMPUTE];
        r->communication_s += a[ST_COMM];
        r->overhead_s += a[ST_OVERHEAD];
        r->tasks += (uint64_t)a[ST_TASKS];
        r->shuffle_bytes += (uint64_t)a[ST_SHUFFLE];
        r->net_bytes += (uint64_t)a[ST_SENT];
        r->net_s = fmax(r->net_s, a[ST_NET]);
        if (!timed || !info->per_rank)
            continue;
        struct gcn_rank_stats *rs = &info->per_rank[k];
        rs->compute_s += a[ST_COMPUTE];
        rs->communication_s += a[ST_COMM];
        rs->overhead_s += a[ST_OVERHEAD];
        rs->net_sent_bytes += (uint64_t)a[ST_SENT];
        rs->net_recv_bytes += (uint64_t)a[ST_RECV];
        rs->net_s += a[ST_NET];
    }
    free(all);
    return GCN_OK;
}

/* Bytes one epoch must move between ranks by the plan (*cross_rows: rows per propagation):
 * each propagating layer's forward exchange, and in training its backward one (pairwise: the
 * planned rows whose two partitions sit on different ranks; broadcast: every partition's rows
 * to every other rank, each of which reads the whole gathered block), plus one message per
 * reduce-tree step whose two partitions sit on different ranks (loss statistics, F64; in
 * training also the weight-gradient partials, F32). The weights reach the other ranks
 * between epochs, when the loss is read, and stay cached through the next epoch's DAG. */
static uint64_t predict_net_bytes(const struct rgcn *g, int training, size_t *cross_rows)
{
    const int P = g->P, R = rdd_context_ranks(g->ctx);
    const struct rdd_context *ctx = g->ctx;
    size_t rows = 0;
    if (g->shuffle == GCN_SHUFFLE_BROADCAST) {
        rows = (size_t)(R - 1) * g->ds->n;
    } else {
        for (int p = 0; p < P; p++)
            for (int q = 0; q < P; q++)
                if (rdd_context_part_rank(ctx, q, P) != rdd_context_part_rank(ctx, p, P))
                    rows += rdd_shuffle_plan_count(g->rplan, p, q);
    }
    *cross_rows = propagates(g) ? rows : 0;
    uint64_t bytes = 0;
    for (size_t l = 0; l < g->L; l++)
        if (!gcn_layer_dense(g->ds, l))
            bytes += (uint64_t)(training ? 2 : 1) * rows * dim_out(g, l) * sizeof(float);
    uint64_t steps = 0;
    for (int st = 1; st < P; st *= 2)
        for (int i = 0; i + st < P; i += 2 * st)
            steps += rdd_context_part_rank(ctx, i, P) != rdd_context_part_rank(ctx, i + st, P);
    bytes += steps * g->nstats * sizeof(double);
    if (training)
        bytes += steps * g->model.count * sizeof(float);
    return bytes;
}

/* A 64-bit digest of everything that decides the model: the data and the run's settings.
 * Ranks compare it before training (a rank started with other files or flags would train a
 * different model and the messages would not match). */
static uint64_t run_digest(const struct gcn_dataset *ds, const struct gcn_train_opts *opts,
                           const struct gcn_rdd_opts *ro)
{
    const double knobs[] = { (double)ds->n, (double)ds->f, (double)ds->c,
                             (double)ds->adj.nnz, (double)ds->x_aggregated,
                             (double)opts->epochs, (double)opts->seed, (double)opts->patience,
                             (double)opts->forward_only, (double)opts->hp.layers,
                             (double)opts->hp.hidden, opts->hp.lr, opts->hp.weight_decay,
                             opts->hp.dropout, (double)ro->workers, (double)ro->partitions,
                             (double)ro->partitioner, (double)ro->shuffle };
    uint64_t h = gcn_hash64(knobs, sizeof knobs, 0);
    h = gcn_hash64(ds->adj.rowptr, (ds->n + 1) * sizeof *ds->adj.rowptr, h);
    h = gcn_hash64(ds->adj.col, ds->adj.nnz * sizeof *ds->adj.col, h);
    h = gcn_hash64(ds->x, ds->n * ds->f * sizeof *ds->x, h);
    h = gcn_hash64(ds->y, ds->n * sizeof *ds->y, h);
    return gcn_hash64(ds->split, ds->n * sizeof *ds->split, h);
}

/* Every rank holds the same digest (compared as two exact 32-bit halves). */
static int ranks_agree(struct rgcn *g, uint64_t digest)
{
    double lo[2] = { (double)(digest & 0xffffffffu), (double)(digest >> 32) };
    double hi[2] = { lo[0], lo[1] };
    TRY(rdd_context_combine(g->ctx, lo, 2, RDD_MIN));
    TRY(rdd_context_combine(g->ctx, hi, 2, RDD_MAX));
    if (lo[0] != hi[0] || lo[1] != hi[1])
        return gcn_fail("the %d ranks were started with different data or settings: start "
                        "every rank with the same config, flags and data files",
                        rdd_context_ranks(g->ctx));
    return GCN_OK;
fail:
    return GCN_ERR;
}

/* Resident bytes of this process now (from /proc/self/statm; 0 when unreadable). */
static uint64_t resident_bytes(void)
{
    FILE *f = fopen("/proc/self/statm", "r");
    unsigned long long size = 0, res = 0;
    if (!f)
        return 0;
    const int n = fscanf(f, "%llu %llu", &size, &res);
    fclose(f);
    return n == 2 ? (uint64_t)res * (uint64_t)sysconf(_SC_PAGESIZE) : 0;
}

/* Fills every rank's partition count, resident memory after set-up and, at the end, peak
 * RSS (when_end) into info->per_rank. */
static int gather_memory(struct rgcn *g, struct gcn_rdd_info *info, int at_end)
{
    const int R = rdd_context_ranks(g->ctx);
    struct rusage ru;
    double mine = at_end ? (getrusage(RUSAGE_SELF, &ru) == 0 ? (double)ru.ru_maxrss * 1024.0
                                                              : 0.0)
                         : (double)resident_bytes();
    double *all = malloc((size_t)R * sizeof *all);
    if (!all)
        return gcn_fail("out of memory");
    if (rdd_context_allgather(g->ctx, &mine, 1, all) != GCN_OK) {
        free(all);
        return GCN_ERR;
    }
    for (int k = 0; k < R; k++) {
        if (at_end) {
            info->per_rank[k].peak_rss_bytes = (uint64_t)all[k];
            continue;
        }
        info->per_rank[k].resident_bytes = (uint64_t)all[k];
        for (int p = 0; p < g->P; p++)
            info->per_rank[k].partitions += rdd_context_part_rank(g->ctx, p, g->P) == k;
    }
    free(all);
    return GCN_OK;
}

void gcn_rdd_info_free(struct gcn_rdd_info *info)
{
    free(info->per_rank);
    info->per_rank = NULL;
}

int gcn_train_rdd(struct gcn_train_result *res, struct gcn_rdd_info *info,
                  const struct gcn_dataset *ds, const struct gcn_train_opts *opts,
                  const struct gcn_rdd_opts *ropts)
{
    memset(res, 0, sizeof *res);
    memset(info, 0, sizeof *info);
    struct rgcn g = { .ds = ds, .hp = &opts->hp, .L = opts->hp.layers,
                      .nstats = GCN_STATS_LEN(ds->c) };
    double *stats = NULL;
    int rc = GCN_ERR;
    const double t_setup = gcn_now_s();

    if (ds->n_split[GCN_TRAIN] == 0)
        return gcn_fail("dataset '%s' has no training nodes (node_types == 1)", ds->name);
    if (gcn_aggregate_check_dropout(ds, opts->hp.dropout) != GCN_OK)
        return GCN_ERR;
    g.scale = 1.0f / (float)ds->n_split[GCN_TRAIN];
    /* the runtime owns the parallelism: one BLAS thread per task (the pthreads OpenBLAS or BLIS
     * would otherwise fork its own pool, as many threads as cores, inside every gemm task) */
    gcn_blas_set_threads(1);
    res->epochs = calloc(opts->epochs ? opts->epochs : 1, sizeof *res->epochs);
    stats = malloc(g.nstats * sizeof *stats);
    if (!res->epochs || !stats) {
        gcn_fail("out of memory allocating per-epoch records");
        goto fail;
    }
    struct rdd_context_opts co;
    rdd_context_opts_init(&co);
    co.workers = ropts->workers;
    co.sched = ropts->sched;
    co.trace_dir = ropts->trace_dir;
    co.quiet = ropts->quiet;
    co.distributed = ropts->distributed;
    TRY(rdd_context_create(&g.ctx, &co));
    info->rank = rdd_context_rank(g.ctx);
    info->ranks = rdd_context_ranks(g.ctx);
    if (ropts->distributed) {
        TRY(ranks_agree(&g, run_digest(ds, opts, ropts)));
        if (!(info->per_rank = calloc((size_t)info->ranks, sizeof *info->per_rank))) {
            gcn_fail("out of memory");
            goto fail;
        }
    }
    TRY(gcn_model_create(&g.model, g.L, ds->f, opts->hp.hidden, ds->c, opts->seed));
    TRY(build_plans(&g, ropts, opts->seed));
    TRY(build_rdds(&g, opts->hp.dropout));
    info->predicted_net_bytes = info->ranks > 1 ? predict_net_bytes(&g, !opts->forward_only,
                                                                     &info->cross_rank_rows)
                                                : 0;
    release_setup(&g, ropts->distributed ? ropts->release : NULL);
    if (info->per_rank)
        TRY(gather_memory(&g, info, 0));
    snprintf(info->sched, sizeof info->sched, "%s", rdd_context_sched(g.ctx));
    info->workers = rdd_context_workers(g.ctx);
    info->partitions = (size_t)g.P;
    info->edge_cut = g.part.edge_cut;
    info->shuffle = g.shuffle;
    info->pairwise_rows = exchange_rows(&g, GCN_SHUFFLE_PAIRWISE);
    info->shuffle_rows = exchange_rows(&g, g.shuffle);
    info->setup_s = gcn_now_s() - t_setup;

    struct gcn_early_stop early = { INFINITY, 0 };
    for (size_t e = 0; e < opts->epochs; e++) {
        struct gcn_epoch_record *r = &res->epochs[e];
        struct rdd_stats st;
        TRY(rdd_stats_begin(g.ctx));
        const double t0 = gcn_now_s();
        TRY(submit_forward(&g, e, opts->seed, !opts->forward_only));
        if (!opts->forward_only)
            TRY(submit_backward(&g, e, opts->seed));
        TRY(rdd_stats_end(g.ctx, &st)); /* waits for the epoch's DAG */
        r->seconds = gcn_now_s() - t0;
        TRY(record_runtime(&g, r, &st, info, e >= opts->warmup_epochs));
        info->transferred_bytes += st.transferred_bytes;
        TRY(read_stats(&g, stats));
        double l2;
        TRY(read_l2(&g, &l2));
        const struct gcn_split_metrics tr = gcn_metrics_from_stats(stats, ds->c, GCN_TRAIN);
        r->loss = tr.loss + l2;
        r->train_f1 = tr.f1_micro;
        if (opts->hp.dropout > 0.0f && !opts->forward_only) {
            /* validation is judged without dropout, outside the timed epoch */
            TRY(submit_forward(&g, e, opts->seed, 0));
            TRY(read_stats(&g, stats));
        }
        const struct gcn_split_metrics va = gcn_metrics_from_stats(stats, ds->c, GCN_VAL);
        r->val_loss = va.loss;
        r->val_f1 = va.f1_micro;
        int next = gcn_train_epoch_end(res, opts, e, &early, ds->n_split[GCN_VAL]);
        if (next == GCN_ERR)
            goto fail;
        double stop = next; /* a rank asked to stop (a signal): every rank stops */
        TRY(rdd_context_combine(g.ctx, &stop, 1, RDD_MAX));
        if (stop > 0.0)
            break;
    }
    TRY(submit_forward(&g, res->epochs_run, opts->seed, 0));
    TRY(read_stats(&g, stats));
    res->train = gcn_metrics_from_stats(stats, ds->c, GCN_TRAIN);
    res->val = gcn_metrics_from_stats(stats, ds->c, GCN_VAL);
    res->test = gcn_metrics_from_stats(stats, ds->c, GCN_TEST);
    if (info->per_rank)
        TRY(gather_memory(&g, info, 1));
    rc = GCN_OK;
fail:
    if (g.ctx)
        rdd_wait_all(g.ctx);
    destroy(&g);
    if (g.ctx && rdd_context_destroy(g.ctx) != GCN_OK)
        rc = GCN_ERR; /* e.g. the trace conversion failed: its message stands */
    free(stats);
    return rc;
}
