/* train_seq.c: the sequential baseline, `gcnrun --workers 0`: the kernels of kernels.h called
 * directly on whole matrices, with no runtime, single-threaded BLAS by default. It is the
 * denominator of every speedup.
 *
 * Layer l (dims[l] -> dims[l+1]) computes, transform first so the sparse product runs on the
 * narrow side: in = dropout(H_l); z = in W_l; z = dinv * z; out = (A + I) z;
 * H_{l+1} = act(dinv * out + b_l). Backward mirrors it; Â is symmetric, so dZ = Â G is the
 * same three steps on G. When the dataset's features are already Â X (aggregate.h), layer 1
 * is H_1 = act(X W_0 + b_0), and its backward is dW_0 = X^T G alone. The top layer's G is
 * zero outside training rows, so its backward SpMM runs over training nodes' columns only. */
#include "train.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "aggregate.h"
#include "base/error.h"
#include "blas.h"
#include "graph.h"
#include "kernels.h"
#include "spmm_plan.h"

struct gcn_seq {
    const struct gcn_dataset *ds;    /* borrowed */
    void *spmm;                      /* the A + I pattern as an SpMM plan */
    void *spmm_top;                  /* the same, training nodes' columns only: the top
                                        layer's backward (NULL when it has no SpMM) */
    float *dinv;                     /* (n) D^-1/2 of A + I */
    size_t layers;                   /* L */
    size_t dims[GCN_MAX_LAYERS + 1]; /* layer widths */
    float dropout;                   /* drop probability on each layer's input */
    float scale;                     /* 1 / training nodes */
    float *act;                      /* activation family (one allocation) */
    float *out[GCN_MAX_LAYERS];      /* (n, dims[l+1]) layer outputs; out[L-1] = logits */
    float *in[GCN_MAX_LAYERS];       /* (n, dims[l]) dropped inputs, or aliases of H_l */
    float *z;                        /* (n, max width) transform scratch, reused backward */
    float *grad;                     /* gradient family (one allocation) */
    float *g[2];                     /* (n, max width) ping-pong output gradients */
};

/* s->dinv and the plans of A + I: all of it, and (when the top layer aggregates) the
 * training nodes' columns. The top layer's output gradient is the loss's, zero outside
 * training rows, so its backward product over those columns alone adds the same terms in the
 * same order: a float plus +0 is itself, and these sums never hold -0. */
static int plan_propagation(struct gcn_seq *s, const struct gcn_dataset *ds, size_t layers)
{
    struct gcn_csr prop, top = { 0 };
    if (gcn_propagation_build(&prop, &s->dinv, &ds->adj) != GCN_OK)
        return GCN_ERR;
    int rc = gcn_spmm_plan_create(&s->spmm, prop.rowptr, prop.col, ds->n, ds->n);
    const int top_spmm = rc == GCN_OK && !gcn_layer_dense(ds, layers - 1);
    if (top_spmm)
        rc = gcn_csr_select_cols(&top, &prop, ds->split, GCN_TRAIN);
    gcn_csr_free(&prop); /* before the second plan is built: peak memory */
    if (top_spmm && rc == GCN_OK)
        rc = gcn_spmm_plan_create(&s->spmm_top, top.rowptr, top.col, ds->n, ds->n);
    gcn_csr_free(&top);
    return rc;
}

int gcn_seq_create(struct gcn_seq **out, const struct gcn_dataset *ds, const struct gcn_model *m,
                   float dropout)
{
    *out = NULL;
    if (gcn_aggregate_check_dropout(ds, dropout) != GCN_OK)
        return GCN_ERR;
    struct gcn_seq *s = calloc(1, sizeof *s);
    if (!s)
        return gcn_fail("out of memory creating the sequential trainer");
    s->ds = ds;
    s->layers = m->layers;
    memcpy(s->dims, m->dims, sizeof s->dims);
    s->dropout = dropout;
    s->scale = ds->n_split[GCN_TRAIN] ? 1.0f / (float)ds->n_split[GCN_TRAIN] : 0.0f;
    if (plan_propagation(s, ds, m->layers) != GCN_OK)
        goto fail;

    const size_t n = ds->n, L = m->layers;
    size_t wmax = 0, act = 0;
    for (size_t l = 0; l < L; l++) {
        wmax = s->dims[l + 1] > wmax ? s->dims[l + 1] : wmax;
        act += s->dims[l + 1] + (dropout > 0.0f ? s->dims[l] : 0);
    }
    act += wmax;
    s->act = malloc(n * act * sizeof *s->act);
    s->grad = malloc(2 * n * wmax * sizeof *s->grad);
    if (!s->act || !s->grad) {
        gcn_fail("out of memory: activations and gradients need %.1f MiB",
                 (double)(n * (act + 2 * wmax) * sizeof(float)) / 1048576.0);
        goto fail;
    }
    float *p = s->act;
    for (size_t l = 0; l < L; l++) {
        s->out[l] = p;
        p += n * s->dims[l + 1];
        if (dropout > 0.0f) {
            s->in[l] = p;
            p += n * s->dims[l];
        } else {
            s->in[l] = l == 0 ? ds->x : s->out[l - 1];
        }
    }
    s->z = p;
    s->g[0] = s->grad;
    s->g[1] = s->grad + n * wmax;
    *out = s;
    return GCN_OK;
fail:
    gcn_seq_destroy(s);
    return GCN_ERR;
}

void gcn_seq_forward(struct gcn_seq *s, const struct gcn_model *m, uint64_t seed, size_t epoch,
                     int training, double *stats)
{
    const struct gcn_dataset *ds = s->ds;
    const size_t n = ds->n, L = s->layers;
    for (size_t l = 0; l < L; l++) {
        const size_t di = s->dims[l], dout = s->dims[l + 1];
        const float *h = l == 0 ? ds->x : s->out[l - 1];
        const float *in = h;
        if (s->dropout > 0.0f) {
            /* evaluation passes no dropout but keeps the buffer layout */
            gcn_dropout(s->in[l], h, n, di, NULL, 0, training ? s->dropout : 0.0f,
                        gcn_dropout_key(seed, epoch, l));
            in = s->in[l];
        }
        const int dense = gcn_layer_dense(ds, l); /* no aggregation on Â X */
        gcn_matmul(dense ? s->out[l] : s->z, in, m->params + m->w_off[l], n, di, dout);
        if (!dense) {
            gcn_scale_rows(s->z, s->dinv, n, dout);
            gcn_spmm(s->out[l], s->spmm, s->z, dout);
        }
        gcn_scale_bias_act(s->out[l], dense ? NULL : s->dinv, m->params + m->b_off[l], n, dout,
                           l + 1 < L);
    }
    gcn_softmax_xent(training ? s->g[0] : NULL, stats, s->out[L - 1], ds->y, ds->split, n,
                     s->dims[L], s->scale);
}

void gcn_seq_backward(struct gcn_seq *s, struct gcn_model *m, uint64_t seed, size_t epoch)
{
    const size_t n = s->ds->n, L = s->layers;
    memset(m->grads, 0, m->count * sizeof *m->grads);
    int cur = 0; /* s->g[cur] holds dL/dH_{l+1} */
    for (size_t l = L; l-- > 0;) {
        const size_t di = s->dims[l], dout = s->dims[l + 1];
        float *g = s->g[cur];
        if (l + 1 < L)
            gcn_relu_backward(g, s->out[l], n, dout);
        gcn_bias_backward(m->grads + m->b_off[l], g, n, dout);
        const float *dz = g; /* dL/d(pre-activation) through the aggregation */
        if (!gcn_layer_dense(s->ds, l)) {
            gcn_scale_rows(g, s->dinv, n, dout);
            gcn_spmm(s->z, l + 1 == L ? s->spmm_top : s->spmm, g, dout);
            gcn_scale_rows(s->z, s->dinv, n, dout);
            dz = s->z;
        }
        gcn_matmul_dw(m->grads + m->w_off[l], s->in[l], dz, n, di, dout);
        if (l == 0)
            break;
        float *gin = s->g[1 - cur];
        gcn_matmul_din(gin, s->z, m->params + m->w_off[l], n, di, dout);
        gcn_dropout(gin, gin, n, di, NULL, 0, s->dropout, gcn_dropout_key(seed, epoch, l));
        cur = 1 - cur;
    }
}

const float *gcn_seq_logits(const struct gcn_seq *s)
{
    return s->out[s->layers - 1];
}

void gcn_seq_destroy(struct gcn_seq *s)
{
    if (!s)
        return;
    free(s->spmm);
    free(s->spmm_top);
    free(s->dinv);
    free(s->act);
    free(s->grad);
    free(s);
}

double gcn_now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

void gcn_train_opts_defaults(struct gcn_train_opts *opts)
{
    memset(opts, 0, sizeof *opts);
    opts->hp = (struct gcn_hparams){ .layers = 2, .hidden = 128, .dropout = 0.0f, .lr = 0.01f,
                                     .weight_decay = 0.0f, .wd_scope = GCN_WD_FIRST,
                                     .beta1 = 0.9f, .beta2 = 0.999f, .eps = 1e-8f };
    opts->epochs = 20;
    opts->warmup_epochs = 1;
    opts->seed = 42;
    opts->blas_threads = 1;
}

int gcn_train_seq(struct gcn_train_result *res, const struct gcn_dataset *ds,
                  const struct gcn_train_opts *opts)
{
    memset(res, 0, sizeof *res);
    const struct gcn_hparams *hp = &opts->hp;
    const size_t c = ds->c, nstats = GCN_STATS_LEN(c);
    struct gcn_model model = { 0 };
    struct gcn_seq *s = NULL;
    double *stats = NULL;
    int rc = GCN_ERR;

    if (ds->n_split[GCN_TRAIN] == 0)
        return gcn_fail("dataset '%s' has no training nodes (node_types == 1)", ds->name);
    gcn_blas_set_threads(opts->blas_threads);
    res->epochs = calloc(opts->epochs ? opts->epochs : 1, sizeof *res->epochs);
    stats = malloc(nstats * sizeof *stats);
    if (!res->epochs || !stats) {
        gcn_fail("out of memory allocating per-epoch records");
        goto done;
    }
    if (gcn_model_create(&model, hp->layers, ds->f, hp->hidden, c, opts->seed) != GCN_OK)
        goto done;
    if (gcn_seq_create(&s, ds, &model, hp->dropout) != GCN_OK)
        goto done;

    struct gcn_early_stop early = { INFINITY, 0 };
    for (size_t e = 0; e < opts->epochs; e++) {
        struct gcn_epoch_record *r = &res->epochs[e];
        memset(stats, 0, nstats * sizeof *stats);
        const double t0 = gcn_now_s();
        gcn_seq_forward(s, &model, opts->seed, e, !opts->forward_only, stats);
        if (!opts->forward_only) {
            gcn_seq_backward(s, &model, opts->seed, e);
            gcn_model_adam_step(&model, hp);
        }
        r->seconds = gcn_now_s() - t0;
        const struct gcn_split_metrics tr = gcn_metrics_from_stats(stats, c, GCN_TRAIN);
        r->loss = tr.loss + gcn_model_l2(&model, hp);
        r->train_f1 = tr.f1_micro;
        if (hp->dropout > 0.0f && !opts->forward_only) {
            /* validation is judged without dropout, outside the timed epoch */
            memset(stats, 0, nstats * sizeof *stats);
            gcn_seq_forward(s, &model, opts->seed, e, 0, stats);
        }
        const struct gcn_split_metrics va = gcn_metrics_from_stats(stats, c, GCN_VAL);
        r->val_loss = va.loss;
        r->val_f1 = va.f1_micro;
        const int next = gcn_train_epoch_end(res, opts, e, &early, ds->n_split[GCN_VAL]);
        if (next == GCN_ERR)
            goto done;
        if (next)
            break;
    }
    memset(stats, 0, nstats * sizeof *stats);
    gcn_seq_forward(s, &model, opts->seed, res->epochs_run, 0, stats);
    res->train = gcn_metrics_from_stats(stats, c, GCN_TRAIN);
    res->val = gcn_metrics_from_stats(stats, c, GCN_VAL);
    res->test = gcn_metrics_from_stats(stats, c, GCN_TEST);
    rc = GCN_OK;
done:
    gcn_seq_destroy(s);
    gcn_model_free(&model);
    free(stats);
    return rc;
}

int gcn_train_epoch_end(struct gcn_train_result *res, const struct gcn_train_opts *opts,
                        size_t e, struct gcn_early_stop *early, size_t val_nodes)
{
    const struct gcn_epoch_record *r = &res->epochs[e];
    res->epochs_run = e + 1;
    res->total_time_s += r->seconds;
    res->final_loss = r->loss;
    if (!isfinite(r->loss))
        return gcn_fail("epoch %zu: the training loss is %g, training diverged; lower [train] "
                        "lr (now %g) or check the features for extreme values",
                        e + 1, r->loss, (double)opts->hp.lr);
    if (opts->on_epoch && opts->on_epoch(opts->on_epoch_arg, e, opts->epochs, r))
        return 1;
    if (!opts->patience || !val_nodes)
        return 0;
    if (r->val_loss < early->best_val_loss) {
        early->best_val_loss = r->val_loss;
        early->since_best = 0;
        return 0;
    }
    if (++early->since_best < opts->patience)
        return 0;
    res->stopped_early = 1;
    return 1;
}

void gcn_train_epoch_stats(const struct gcn_train_result *res, size_t warmup, double *mean,
                           double *std)
{
    size_t first = warmup < res->epochs_run ? warmup : 0;
    size_t k = res->epochs_run - first;
    double sum = 0.0, sq = 0.0;
    for (size_t e = first; e < res->epochs_run; e++)
        sum += res->epochs[e].seconds;
    *mean = k ? sum / (double)k : 0.0;
    for (size_t e = first; e < res->epochs_run; e++) {
        const double dlt = res->epochs[e].seconds - *mean;
        sq += dlt * dlt;
    }
    *std = k > 1 ? sqrt(sq / (double)(k - 1)) : 0.0;
}

void gcn_train_result_free(struct gcn_train_result *res)
{
    free(res->epochs);
    memset(res, 0, sizeof *res);
}
