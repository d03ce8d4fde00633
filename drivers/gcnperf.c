/* gcnperf.c: the sequential baseline's performance against this machine's limits.
 *
 * On the dataset of a config (default configs/reddit-synth.ini) it measures the single-core
 * memory bandwidth (STREAM triad, twice, the higher reading counting), sgemm GFLOP/s at the
 * GCN's shapes with every BLAS and kernel set the machine runs (blas_survey.h), the SpMM's
 * edge x feature rate and GB/s, and the sequential epoch with the BLAS gcnrun would pick
 * ([train] blas). It prints a
 * roofline-style bound for one epoch (dense FLOPs at the best measured sgemm rates, so a slow
 * library cannot pass, plus the compulsory bytes of every kernel at the measured bandwidth)
 * and the ratio of the real epoch to it (target <= 1.6), then
 * the peak RSS against the bytes of graph + features + activations + parameters (target
 * <= 1.5). Exit 0 when both targets hold, 3 when one misses, 1 on error.
 *
 * The epoch is the one gcnrun runs for the config: with the first aggregation cached
 * ([model] cache_first_aggregation, auto when dropout is 0) layer 1 has no SpMM, and the
 * bound counts only the work the epoch does. --conf model.cache_first_aggregation=false
 * measures the per-epoch aggregation instead. */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "blas_core.h"
#include "blas_survey.h"
#include "config.h"
#include "base/error.h"
#include "gcn/aggregate.h"
#include "gcn/graph.h"
#include "gcn/kernels.h"
#include "gcn/parallel.h"
#include "gcn/spmm_plan.h"
#include "gcn/train.h"
#include "load.h"

/* Best of reps: one-shot timings on a shared machine are noise. */
#define REPS 5
/* sgemm at full size takes 0.3-3 s a call: fewer repetitions, times every kernel set */
#define SGEMM_REPS 3

static double triad_gbs(size_t count)
{
    float *a = malloc(count * sizeof *a), *b = malloc(count * sizeof *b),
          *c = malloc(count * sizeof *c);
    if (!a || !b || !c) {
        free(a), free(b), free(c);
        return NAN;
    }
    for (size_t i = 0; i < count; i++) {
        a[i] = 0.0f;
        b[i] = 1.0f;
        c[i] = 2.0f;
    }
    double best = INFINITY;
    for (int r = 0; r < REPS; r++) {
        const double t0 = gcn_now_s();
        for (size_t i = 0; i < count; i++)
            a[i] = b[i] + 3.0f * c[i];
        const double t = gcn_now_s() - t0;
        best = t < best ? t : best;
    }
    volatile float sink = a[count / 2];
    (void)sink;
    free(a), free(b), free(c);
    return 3.0 * 4.0 * (double)count / best / 1e9;
}

static double spmm_seconds(const void *plan, size_t n, size_t d)
{
    float *x = malloc(n * d * sizeof *x), *y = malloc(n * d * sizeof *y);
    if (!x || !y) {
        free(x), free(y);
        return NAN;
    }
    for (size_t i = 0; i < n * d; i++)
        x[i] = 1.0f;
    double best = INFINITY;
    for (int r = 0; r < REPS; r++) {
        const double t0 = gcn_now_s();
        gcn_spmm(y, plan, x, d);
        const double t = gcn_now_s() - t0;
        best = t < best ? t : best;
    }
    free(x), free(y);
    return best;
}

static void usage(FILE *out)
{
    fprintf(out, "usage: gcnperf [--config FILE] [--conf SECTION.KEY=VALUE]... [--epochs N]\n"
                 "Measures the sequential epoch against a bandwidth + sgemm bound "
                 "(default config configs/reddit-synth.ini).\n");
}

int main(int argc, char **argv)
{
    const int child = gcn_blas_survey_child(argc, argv);
    if (child >= 0)
        return child;
    struct gcn_config cfg;
    gcn_blas_pick_core(argv);
    gcn_config_defaults(&cfg);
    const char *config = "configs/reddit-synth.ini";
    size_t epochs = 5;
    static const struct option opts[] = { { "config", required_argument, 0, 'c' },
                                          { "conf", required_argument, 0, 'o' },
                                          { "epochs", required_argument, 0, 'e' },
                                          { "help", no_argument, 0, 'h' },
                                          { 0, 0, 0, 0 } };
    char *overrides[64];
    int n_over = 0, ch;
    while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (ch == 'c')
            config = optarg;
        else if (ch == 'o' && n_over < 64)
            overrides[n_over++] = optarg;
        else if (ch == 'e')
            epochs = strtoull(optarg, NULL, 10);
        else if (ch == 'h') {
            usage(stdout);
            return 0;
        } else {
            usage(stderr);
            return 2;
        }
    }
    if (epochs < 2) {
        fprintf(stderr, "gcnperf: --epochs must be at least 2 (one warm-up epoch and one timed)\n");
        return 2;
    }
    if (optind != argc) {
        fprintf(stderr, "gcnperf: unexpected argument '%s'\n", argv[optind]);
        usage(stderr);
        return 2;
    }
    if (gcn_config_load(&cfg, config) != GCN_OK) {
        fprintf(stderr, "gcnperf: %s\n", gcn_last_error());
        return 2;
    }
    for (int i = 0; i < n_over; i++) {
        if (gcn_config_override(&cfg, overrides[i]) != GCN_OK) {
            fprintf(stderr, "gcnperf: %s\n", gcn_last_error());
            return 2;
        }
    }
    /* the dataset through the cache; Â X computed here, since its time is a measurement */
    struct gcn_dataset ds;
    struct gcn_load_info load;
    if (gcn_load_prepared(&ds, &cfg, 0, stderr, &load) != GCN_OK) {
        fprintf(stderr, "gcnperf: %s\n", gcn_last_error());
        gcn_dataset_free(&ds);
        return 1;
    }
    double aggregate_s;
    if (gcn_load_aggregate(&ds, &cfg, &aggregate_s) != GCN_OK) {
        fprintf(stderr, "gcnperf: %s\n", gcn_last_error());
        gcn_dataset_free(&ds);
        return 1;
    }
    struct gcn_blas_probe probe;
    if (gcn_blas_select(cfg.blas, &probe) != GCN_OK) {
        fprintf(stderr, "gcnperf: %s\n", gcn_last_error());
        return 1;
    }
    gcn_blas_set_threads(cfg.blas_threads);
    struct gcn_train_opts o;
    gcn_train_opts_defaults(&o);
    o.hp = cfg.hp;
    o.epochs = epochs;
    o.warmup_epochs = 1;
    o.seed = cfg.seed;
    o.blas_threads = cfg.blas_threads;
    struct gcn_train_result r;
    if (gcn_train_seq(&r, &ds, &o) != GCN_OK) {
        fprintf(stderr, "gcnperf: %s\n", gcn_last_error());
        return 1;
    }
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru); /* training's peak, before the probes' own buffers */
    const double rss = (double)ru.ru_maxrss * 1024.0;
    const size_t n = ds.n, f = ds.f, c = ds.c, h = cfg.hp.hidden, L = cfg.hp.layers;
    struct gcn_csr prop;
    float *dinv;
    if (gcn_propagation_build(&prop, &dinv, &ds.adj) != GCN_OK) {
        fprintf(stderr, "gcnperf: %s\n", gcn_last_error());
        return 1;
    }
    const double nnz = (double)prop.nnz;
    /* the trainer's two plans: all of A + I, and the top layer's backward over training
     * nodes' columns (train_seq.c) when that layer aggregates */
    const int top_spmm = !gcn_layer_dense(&ds, L - 1);
    struct gcn_csr top = { 0 };
    void *plan = NULL, *plan_top = NULL;
    if (gcn_spmm_plan_create(&plan, prop.rowptr, prop.col, n, n) != GCN_OK ||
        (top_spmm && (gcn_csr_select_cols(&top, &prop, ds.split, GCN_TRAIN) != GCN_OK ||
                      gcn_spmm_plan_create(&plan_top, top.rowptr, top.col, n, n) != GCN_OK))) {
        fprintf(stderr, "gcnperf: %s\n", gcn_last_error());
        return 1;
    }
    const size_t plan_bytes = gcn_spmm_plan_size(plan);
    const size_t top_bytes = top_spmm ? gcn_spmm_plan_size(plan_top) : 0;
    const double top_nnz = (double)top.nnz;
    gcn_csr_free(&prop);
    gcn_csr_free(&top);
    printf("dataset: %s, %zu nodes, %zu edges (+%zu self-loops), %zu features, %zu classes; "
           "model: %zu layers, hidden %zu, blas_threads %d\n",
           ds.name, n, ds.adj.nnz, n, f, c, L, h, cfg.blas_threads);
    if (ds.x_aggregated)
        printf("layer 1 aggregation: Â X computed once before training in %.3f s (%d OpenMP "
               "threads); epochs run no layer-1 SpMM\n", aggregate_s, gcn_max_threads());
    else
        printf("layer 1 aggregation: every epoch (cache_first_aggregation off)\n");

    /* once before the survey and once after the SpMM timings: a shared machine's bandwidth
     * drifts, and a slow reading would loosen the bound */
    const double bw_first = triad_gbs(64u << 20);

    /* dense work per epoch: every product of every layer, timed with every BLAS */
    size_t dims[GCN_MAX_LAYERS + 1];
    dims[0] = f;
    for (size_t l = 1; l < L; l++)
        dims[l] = h;
    dims[L] = c;
    struct gcn_gemm_shape shapes[3 * GCN_MAX_LAYERS];
    size_t n_shapes = 0;
    for (size_t l = 0; l < L; l++) {
        shapes[n_shapes++] = (struct gcn_gemm_shape){ n, dims[l], dims[l + 1], 0 };  /* fwd */
        shapes[n_shapes++] = (struct gcn_gemm_shape){ dims[l], n, dims[l + 1], 1 };  /* dW */
        if (l > 0)
            shapes[n_shapes++] = (struct gcn_gemm_shape){ n, dims[l + 1], dims[l], 0 }; /* dH */
    }
    struct gcn_survey_row rows[GCN_SURVEY_MAX_ROWS];
    size_t n_rows;
    if (gcn_blas_survey(rows, &n_rows, shapes, n_shapes, cfg.blas_threads, SGEMM_REPS) !=
        GCN_OK) {
        fprintf(stderr, "gcnperf: %s\n", gcn_last_error());
        return 1;
    }
    double best[3 * GCN_MAX_LAYERS];
    printf("sgemm GFLOP/s, %d thread%s, best of %d (fwd, dW per layer; dH from layer 2 on):\n",
           cfg.blas_threads, cfg.blas_threads == 1 ? "" : "s", SGEMM_REPS);
    for (size_t i = 0; i < n_shapes; i++)
        best[i] = INFINITY;
    for (size_t r = 0; r < n_rows; r++) {
        printf("  %-22s", rows[r].name);
        for (size_t i = 0; i < n_shapes; i++) {
            const double fl = 2.0 * (double)shapes[i].m * (double)shapes[i].k *
                              (double)shapes[i].n;
            printf(" %6.1f", fl / rows[r].seconds[i] / 1e9);
            if (rows[r].seconds[i] < best[i]) /* NAN compares false: left out */
                best[i] = rows[r].seconds[i];
        }
        printf("\n");
    }
    printf("epoch runs with: %s %s (blas = %s", gcn_blas_backend_name(gcn_blas_current()),
           gcn_blas_kernels(), gcn_blas_choice_name(cfg.blas));
    if (probe.probe_s > 0.0)
        printf(", probe %.0f GFLOP/s openblas, %.0f blis", probe.gflops[GCN_BLAS_OPENBLAS],
               probe.gflops[GCN_BLAS_BLIS]);
    printf("); the bound takes each product's best row\n");

    double flops = 0.0, gemm_bound = 0.0, bytes = 0.0, spmm_bound_t = 0.0;
    const double graph_bytes = (double)plan_bytes; /* the pattern as the SpMM reads it */
    for (size_t l = 0, i = 0; l < L; l++) {
        const double di = (double)dims[l], dd = (double)dims[l + 1], nn = (double)n;
        const int dense = gcn_layer_dense(&ds, l); /* layer 1 on Â X: no SpMM */
        const double fl = 2.0 * nn * di * dd;
        flops += fl * (l > 0 ? 3.0 : 2.0);
        for (size_t k = 0; k < (l > 0 ? 3u : 2u); k++)
            gemm_bound += best[i++];
        /* compulsory bytes of every kernel of the layer (floats read + written once) */
        bytes += 4.0 * nn * (di + dd);            /* fwd gemm */
        bytes += 4.0 * nn * dd * 2.0;             /* scale + bias + act */
        bytes += 4.0 * nn * dd * (l + 1 < L ? 3.0 : 0.0); /* relu backward */
        bytes += 4.0 * nn * dd;                   /* bias backward */
        bytes += 4.0 * nn * (di + dd);            /* dW gemm */
        const int top_layer = l + 1 == L; /* its backward runs over plan_top */
        const double bwd_graph = top_layer ? (double)top_bytes : graph_bytes;
        if (!dense) {
            bytes += 4.0 * nn * dd * 2.0;             /* dinv scale */
            bytes += graph_bytes + 4.0 * nn * dd * 2; /* spmm: pattern, z in, out */
            bytes += 4.0 * nn * dd * 2.0 * 2.0;       /* two dinv scales backward */
            bytes += bwd_graph + 4.0 * nn * dd * 2;   /* spmm backward */
        }
        if (l > 0)
            bytes += 4.0 * nn * (di + dd);        /* dH gemm */
        const double ts = spmm_seconds(plan, n, dims[l + 1]);
        printf("spmm d=%zu%s: %.3f s, %.2f G edge-features/s (%.2f GB/s compulsory)\n",
               dims[l + 1], dense ? " (not run per epoch)" : "", ts, nnz * dd / ts / 1e9,
               (graph_bytes + 8.0 * nn * dd) / ts / 1e9);
        if (dense)
            continue;
        double tb = ts;
        if (top_layer) {
            tb = spmm_seconds(plan_top, n, dims[l + 1]);
            printf("spmm d=%zu backward, training nodes' columns (%.1f%% of the nonzeros): "
                   "%.3f s\n", dims[l + 1], 100.0 * top_nnz / nnz, tb);
        }
        spmm_bound_t += ts + tb;
    }
    bytes += 4.0 * (double)n * (double)c * 2.0; /* loss: logits in, dlogits out */
    const double bw_second = triad_gbs(64u << 20);
    const double bw = fmax(bw_first, bw_second);
    printf("memory bandwidth (STREAM triad, 1 thread, 3 x 256 MiB, best of %d, before the "
           "survey and after the SpMMs): %.2f, %.2f GB/s; the bound takes %.2f\n",
           REPS, bw_first, bw_second, bw);
    const double bound = gemm_bound + bytes / (bw * 1e9);

    double mean, sd;
    gcn_train_epoch_stats(&r, 1, &mean, &sd);
    printf("epoch: %.3f s +- %.3f (%zu epochs after 1 warm-up)\n", mean, sd, epochs - 1);
    printf("bound: %.3f s = %.1f GFLOP dense at measured sgemm (%.3f s) + %.2f GB compulsory "
           "at %.2f GB/s (%.3f s); SpMM alone measured %.3f s per epoch\n",
           bound, flops / 1e9, gemm_bound, bytes / 1e9, bw, bytes / (bw * 1e9), spmm_bound_t);
    const double ratio = mean / bound;
    printf("epoch / bound: %.2f (target <= 1.60) %s\n", ratio, ratio <= 1.6 ? "PASS" : "MISS");

    /* what the run must hold: graph (adjacency and both plans of A + I), features,
     * activations and gradients of the sequential path, parameters with gradients and Adam
     * moments */
    double acts = 0.0, params = 0.0;
    size_t wmax = 0;
    for (size_t l = 0; l < L; l++) {
        acts += (double)n * (double)dims[l + 1] +
                (cfg.hp.dropout > 0 ? (double)n * (double)dims[l] : 0.0);
        wmax = dims[l + 1] > wmax ? dims[l + 1] : wmax;
        params += (double)(dims[l] * dims[l + 1] + dims[l + 1]);
    }
    acts += 3.0 * (double)n * (double)wmax;
    const double need = 8.0 * (double)(n + 1) + 4.0 * (double)ds.adj.nnz + graph_bytes +
                        (double)top_bytes +
                        4.0 * (double)n * (double)f + 4.0 * (double)n * 2 + 4.0 * acts +
                        16.0 * params;
    printf("peak RSS %.1f MiB, data + activations + parameters %.1f MiB: ratio %.2f "
           "(target <= 1.50) %s\n",
           rss / 1048576.0, need / 1048576.0, rss / need, rss / need <= 1.5 ? "PASS" : "MISS");
    gcn_train_result_free(&r);
    free(plan);
    free(plan_top);
    free(dinv);
    gcn_dataset_free(&ds);
    return ratio <= 1.6 && rss / need <= 1.5 ? 0 : 3;
}
