/* test_train_rdd.c: the same model for any N. For a fixed seed and config, local[N] training
 * must reproduce the sequential run (--workers 0): per-epoch loss over 20 epochs within 1e-4
 * relative and test micro-F1 within 0.2 points, for N in {1, 2, 4, 8, 16}, P in {1, N, 3N}
 * and every partitioner, on Cora (Kipf & Welling settings, dropout on) and on a small
 * synthetic graph (3 layers). The sequential references are trained once, before the cases. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gcn/aggregate.h"
#include "base/error.h"
#include "gcn/synth.h"
#include "gcn/train.h"
#include "gcn/train_rdd.h"
#include "testutil.h"

#define EPOCHS 20
#define NDATA 2

static const int workers[] = { 1, 2, 4, 8, 16 };
static const int pmult[] = { 0, 1, 3 }; /* 0: P = 1, else P = mult * N */
static const enum gcn_partitioner_kind kinds[] = { GCN_PARTITION_RANGE, GCN_PARTITION_HASH,
                                                   GCN_PARTITION_METIS };
#define NW (sizeof workers / sizeof *workers)
#define NP (sizeof pmult / sizeof *pmult)
#define NK (sizeof kinds / sizeof *kinds)

static struct gcn_dataset data[NDATA];
static struct gcn_train_opts opts[NDATA];
static struct gcn_train_result ref[NDATA];

static void load_cora(struct gcn_dataset *ds, struct gcn_train_opts *o)
{
    char a[4096], b[4096];
    snprintf(a, sizeof a, "%s/cora_data.npz", test_env("GCN_CORA_DIR"));
    snprintf(b, sizeof b, "%s/cora_graph.npz", test_env("GCN_CORA_DIR"));
    ck_assert_msg(gcn_dataset_load_dgl(ds, a, b, "cora") == GCN_OK, "%s", gcn_last_error());
    gcn_dataset_normalize_rows(ds);
    gcn_train_opts_defaults(o);
    o->hp.hidden = 16;
    o->hp.dropout = 0.5f;
    o->hp.weight_decay = 5e-4f;
    o->seed = 3;
}

static void make_synth(struct gcn_dataset *ds, struct gcn_train_opts *o)
{
    struct gcn_synth_params p;
    gcn_synth_defaults(&p);
    p.nodes = 3000;
    p.features = 48;
    p.classes = 6;
    p.avg_degree = 16.0;
    ck_assert_msg(gcn_synth_generate(ds, &p) == GCN_OK, "%s", gcn_last_error());
    gcn_train_opts_defaults(o);
    o->hp.hidden = 32;
    o->hp.layers = 3; /* a hidden-to-hidden layer too */
    o->seed = 5;
}

/* Runs in the parent before the forked cases: they inherit data and references. */
static void setup(void)
{
    load_cora(&data[0], &opts[0]);
    make_synth(&data[1], &opts[1]);
    for (int d = 0; d < NDATA; d++) {
        opts[d].epochs = EPOCHS;
        ck_assert_msg(gcn_train_seq(&ref[d], &data[d], &opts[d]) == GCN_OK, "%s",
                      gcn_last_error());
    }
}

static void teardown(void)
{
    for (int d = 0; d < NDATA; d++) {
        gcn_train_result_free(&ref[d]);
        gcn_dataset_free(&data[d]);
    }
}

START_TEST(test_same_model_any_n)
{
    const size_t i = (size_t)_i;
    const int d = (int)(i / (NW * NP * NK));
    const int n = workers[i / (NP * NK) % NW];
    const int m = pmult[i / NK % NP];
    const enum gcn_partitioner_kind kind = kinds[i % NK];
    const struct gcn_rdd_opts ro = { .workers = n, .partitions = m ? (size_t)(m * n) : 1,
                                     .partitioner = kind, .quiet = 1 };
    struct gcn_train_result r;
    struct gcn_rdd_info info;
    const int rc = gcn_train_rdd(&r, &info, &data[d], &opts[d], &ro);
    ck_assert_msg(rc == GCN_OK, "%s local[%d] P=%zu kind %d: %s", data[d].name, n,
                  ro.partitions, kind, gcn_last_error());
    ck_assert_uint_eq(r.epochs_run, EPOCHS);
    ck_assert_int_eq(info.workers, n);
    ck_assert_uint_eq(info.partitions, ro.partitions);
    for (size_t e = 0; e < EPOCHS; e++) {
        const double a = ref[d].epochs[e].loss, b = r.epochs[e].loss;
        ck_assert_msg(fabs(a - b) <= 1e-4 * fabs(a),
                      "%s local[%d] P=%zu kind %d epoch %zu: loss %.9g vs sequential %.9g",
                      data[d].name, n, ro.partitions, kind, e + 1, b, a);
    }
    ck_assert_msg(fabs(r.test.f1_micro - ref[d].test.f1_micro) <= 0.002,
                  "%s local[%d] P=%zu kind %d: test F1 %.4f vs sequential %.4f", data[d].name,
                  n, ro.partitions, kind, r.test.f1_micro, ref[d].test.f1_micro);
    if (ro.partitions > 1)
        ck_assert_msg(info.edge_cut > 0 && r.epochs[1].shuffle_bytes > 0,
                      "a partitioned run shuffles");
    else
        ck_assert_uint_eq(info.edge_cut, 0);
    gcn_train_result_free(&r);
}
END_TEST

/* Pairwise and broadcast shuffles give every SpMM the same rows in the same order, so the
 * models are bit-identical; each copies the rows it says (Σ halos or all n per propagation,
 * forward and backward, every layer of widths 32, 32, 6); auto takes the smaller. On both
 * datasets at local[2] with P = 6 (Cora: dropout on). */
START_TEST(test_shuffle_modes_agree)
{
    const int d = _i;
    const size_t width = d == 0 ? 16 + 7 : 32 + 32 + 6; /* Cora: 2 layers, 16 and 7 */
    struct gcn_train_result r[3];
    struct gcn_rdd_info info[3];
    const enum gcn_shuffle_mode asked[3] = { GCN_SHUFFLE_PAIRWISE, GCN_SHUFFLE_BROADCAST,
                                             GCN_SHUFFLE_AUTO };
    for (int m = 0; m < 3; m++) {
        const struct gcn_rdd_opts ro = { .workers = 2, .partitions = 6, .shuffle = asked[m],
                                         .quiet = 1 };
        ck_assert_msg(gcn_train_rdd(&r[m], &info[m], &data[d], &opts[d], &ro) == GCN_OK, "%s",
                      gcn_last_error());
    }
    const size_t n = data[d].n, halos = info[0].pairwise_rows;
    ck_assert_int_eq(info[0].shuffle, GCN_SHUFFLE_PAIRWISE);
    ck_assert_int_eq(info[1].shuffle, GCN_SHUFFLE_BROADCAST);
    ck_assert_int_eq(info[2].shuffle, halos > n ? GCN_SHUFFLE_BROADCAST : GCN_SHUFFLE_PAIRWISE);
    ck_assert_uint_eq(info[1].pairwise_rows, halos);
    ck_assert_uint_eq(info[0].shuffle_rows, halos);
    ck_assert_uint_eq(info[1].shuffle_rows, n);
    ck_assert_uint_eq(r[0].epochs[1].shuffle_bytes, 2 * halos * width * sizeof(float));
    ck_assert_uint_eq(r[1].epochs[1].shuffle_bytes, 2 * n * width * sizeof(float));
    for (size_t e = 0; e < EPOCHS; e++)
        ck_assert_msg(r[0].epochs[e].loss == r[1].epochs[e].loss,
                      "%s epoch %zu: pairwise %.9g, broadcast %.9g", data[d].name, e + 1,
                      r[0].epochs[e].loss, r[1].epochs[e].loss);
    ck_assert(r[0].test.f1_micro == r[1].test.f1_micro);
    for (int m = 0; m < 3; m++)
        gcn_train_result_free(&r[m]);
}
END_TEST

/* Layer 1 on Â X computed once (synthetic graph, no dropout, 3 layers): the sequential and
 * the local[2] runs reproduce the per-epoch aggregation's losses, and local[N] shuffles only
 * the later layers (none with one layer). Aggregated features with dropout on are refused by
 * both trainers. */
START_TEST(test_cached_first_aggregation)
{
    struct gcn_dataset ds;
    struct gcn_train_opts o;
    make_synth(&ds, &o);
    o.epochs = EPOCHS;
    ck_assert_int_eq(gcn_dataset_aggregate_features(&ds), GCN_OK);
    struct gcn_train_result seq, par, plain;
    struct gcn_rdd_info info;
    const struct gcn_rdd_opts ro = { .workers = 2, .partitions = 6, .quiet = 1 };
    ck_assert_msg(gcn_train_seq(&seq, &ds, &o) == GCN_OK, "%s", gcn_last_error());
    ck_assert_msg(gcn_train_rdd(&par, &info, &ds, &o, &ro) == GCN_OK, "%s", gcn_last_error());
    ck_assert_msg(gcn_train_rdd(&plain, &info, &data[1], &opts[1], &ro) == GCN_OK, "%s",
                  gcn_last_error());
    for (size_t e = 0; e < EPOCHS; e++) {
        const double want = ref[1].epochs[e].loss;
        ck_assert_msg(fabs(seq.epochs[e].loss - want) <= 1e-4 * want &&
                      fabs(par.epochs[e].loss - want) <= 1e-4 * want,
                      "epoch %zu: cached %.9g (seq) %.9g (local[2]) vs per-epoch %.9g", e + 1,
                      seq.epochs[e].loss, par.epochs[e].loss, want);
    }
    /* 3 layers of widths 32, 32, 6: the cached run shuffles 2 x (32 + 6) floats per row it
     * exchanges and epoch instead of 2 x (32 + 32 + 6) */
    const double ratio = (double)par.epochs[1].shuffle_bytes /
                         (double)plain.epochs[1].shuffle_bytes;
    ck_assert_msg(fabs(ratio - 38.0 / 70.0) < 1e-9, "shuffle bytes ratio %g", ratio);
    gcn_train_result_free(&seq);
    gcn_train_result_free(&par);
    gcn_train_result_free(&plain);
    /* one layer on Â X aggregates nothing: no rows cross, whatever the mode; auto stays
     * pairwise */
    struct gcn_train_opts one = o;
    one.hp.layers = 1;
    one.epochs = 2;
    for (int m = 0; m < 2; m++) {
        const struct gcn_rdd_opts r1 = { .workers = 2, .partitions = 6, .quiet = 1,
                                         .shuffle = m ? GCN_SHUFFLE_BROADCAST
                                                      : GCN_SHUFFLE_AUTO };
        ck_assert_msg(gcn_train_rdd(&par, &info, &ds, &one, &r1) == GCN_OK, "%s",
                      gcn_last_error());
        ck_assert_int_eq(info.shuffle, m ? GCN_SHUFFLE_BROADCAST : GCN_SHUFFLE_PAIRWISE);
        ck_assert_uint_eq(info.shuffle_rows, 0);
        ck_assert_uint_eq(info.pairwise_rows, 0);
        ck_assert_uint_eq(par.epochs[1].shuffle_bytes, 0);
        gcn_train_result_free(&par);
    }
    o.hp.dropout = 0.5f;
    ck_assert_int_eq(gcn_train_seq(&seq, &ds, &o), GCN_ERR);
    ck_assert_ptr_nonnull(strstr(gcn_last_error(), "dropout"));
    ck_assert_int_eq(gcn_train_rdd(&par, &info, &ds, &o, &ro), GCN_ERR);
    ck_assert_ptr_nonnull(strstr(gcn_last_error(), "dropout"));
    gcn_train_result_free(&seq);
    gcn_train_result_free(&par);
    gcn_dataset_free(&ds);
}
END_TEST

START_TEST(test_bad_worker_counts)
{
    struct gcn_train_result r;
    struct gcn_rdd_info info;
    struct gcn_rdd_opts ro = { .workers = 100000, .partitions = 1, .quiet = 1 };
    ck_assert_int_eq(gcn_train_rdd(&r, &info, &data[1], &opts[1], &ro), GCN_ERR);
    ck_assert_msg(strstr(gcn_last_error(), "workers"), "%s", gcn_last_error());
    gcn_train_result_free(&r);
    ro.workers = 2;
    ro.partitions = data[1].n + 1; /* more partitions than nodes */
    ck_assert_int_eq(gcn_train_rdd(&r, &info, &data[1], &opts[1], &ro), GCN_ERR);
    ck_assert_msg(strstr(gcn_last_error(), "partitions"), "%s", gcn_last_error());
    gcn_train_result_free(&r);
}
END_TEST

int openblas_get_num_threads(void);
void openblas_set_num_threads(int n);

/* OpenBLAS runs single-threaded inside tasks whatever the caller set before */
START_TEST(test_blas_single_threaded_in_tasks)
{
    openblas_set_num_threads(2);
    struct gcn_train_result r;
    struct gcn_rdd_info info;
    struct gcn_rdd_opts ro = { .workers = 2, .partitions = 2, .quiet = 1 };
    ck_assert_msg(gcn_train_rdd(&r, &info, &data[1], &opts[1], &ro) == GCN_OK, "%s",
                  gcn_last_error());
    ck_assert_int_eq(openblas_get_num_threads(), 1);
    gcn_train_result_free(&r);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("train_rdd");
    TCase *tc = tcase_create("any_n");
    tcase_set_timeout(tc, 120);
    tcase_add_unchecked_fixture(tc, setup, teardown);
    tcase_add_loop_test(tc, test_same_model_any_n, 0, (int)(NDATA * NW * NP * NK));
    tcase_add_loop_test(tc, test_shuffle_modes_agree, 0, NDATA);
    tcase_add_test(tc, test_cached_first_aggregation);
    tcase_add_test(tc, test_bad_worker_counts);
    tcase_add_test(tc, test_blas_single_threaded_in_tasks);
    suite_add_tcase(s, tc);
    /* no fork: the fixture's OpenMP thread pool would not survive it (a forked child hangs
     * in its first parallel region), and StarPU starts and stops cleanly in one process */
    return test_run_suite(s, CK_NOFORK);
}
