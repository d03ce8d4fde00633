/* test_reorder.c: node renumbering (gcn/reorder.h). A hand permutation moves every row,
 * label, split and edge to its new id; METIS reordering of Cora is a permutation that keeps
 * the graph (degrees, features) and brings neighbours closer; and training on the renumbered
 * dataset gives the same losses and F1 as on the original (dropout off, so only the order of
 * float sums differs: tolerance 1e-4 relative). */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "drivers/config.h"
#include "drivers/load.h"
#include "gcn/dataset.h"
#include "base/error.h"
#include "gcn/reorder.h"
#include "gcn/train.h"
#include "gcnrun_build.h"
#include "testutil.h"

static int has_edge(const struct gcn_csr *g, int32_t u, int32_t v)
{
    for (int64_t k = g->rowptr[u]; k < g->rowptr[u + 1]; k++)
        if (g->col[k] == v)
            return 1;
    return 0;
}

START_TEST(test_permute_moves_everything)
{
    struct gcn_dataset a, b;
    toy_dataset(&a, 40, 5, 3, 4, 7);
    toy_dataset(&b, 40, 5, 3, 4, 7);
    int32_t order[40];
    for (int i = 0; i < 40; i++)
        order[i] = (int32_t)((i * 17 + 3) % 40); /* 17 is prime to 40: a permutation */
    ck_assert_int_eq(gcn_dataset_permute(&b, order), GCN_OK);
    int32_t inv[40];
    for (int i = 0; i < 40; i++)
        inv[order[i]] = i;
    ck_assert_uint_eq(b.adj.nnz, a.adj.nnz);
    for (int i = 0; i < 40; i++) {
        const int32_t o = order[i];
        ck_assert_mem_eq(b.x + (size_t)i * 5, a.x + (size_t)o * 5, 5 * sizeof(float));
        ck_assert_int_eq(b.y[i], a.y[o]);
        ck_assert_int_eq(b.split[i], a.split[o]);
        ck_assert_int_eq(b.adj.rowptr[i + 1] - b.adj.rowptr[i],
                         a.adj.rowptr[o + 1] - a.adj.rowptr[o]);
        for (int64_t k = b.adj.rowptr[i]; k < b.adj.rowptr[i + 1]; k++) {
            if (k > b.adj.rowptr[i])
                ck_assert_int_lt(b.adj.col[k - 1], b.adj.col[k]); /* sorted, unique */
            ck_assert(has_edge(&a.adj, o, order[b.adj.col[k]]));
        }
        (void)inv;
    }
    gcn_dataset_free(&a);
    gcn_dataset_free(&b);
}
END_TEST

START_TEST(test_none_and_tiny_are_no_ops)
{
    struct gcn_dataset a, b;
    toy_dataset(&a, 30, 4, 2, 3, 3);
    toy_dataset(&b, 30, 4, 2, 3, 3);
    ck_assert_int_eq(gcn_dataset_reorder(&b, GCN_REORDER_NONE, 4, 1), GCN_OK);
    ck_assert_int_eq(gcn_dataset_reorder(&b, GCN_REORDER_METIS, 30, 1), GCN_OK); /* 1 block */
    ck_assert_mem_eq(b.adj.col, a.adj.col, a.adj.nnz * sizeof *a.adj.col);
    ck_assert_mem_eq(b.x, a.x, 30 * 4 * sizeof(float));
    ck_assert_int_eq(gcn_dataset_reorder(&b, GCN_REORDER_METIS, 0, 1), GCN_ERR);
    ck_assert_ptr_nonnull(strstr(gcn_last_error(), "block"));
    gcn_dataset_free(&a);
    gcn_dataset_free(&b);
}
END_TEST

static void load_cora(struct gcn_dataset *ds)
{
    char data[4096], graph[4096];
    snprintf(data, sizeof data, "%s/cora_data.npz", test_env("GCN_CORA_DIR"));
    snprintf(graph, sizeof graph, "%s/cora_graph.npz", test_env("GCN_CORA_DIR"));
    ck_assert_msg(gcn_dataset_load_dgl(ds, data, graph, "cora") == GCN_OK, "%s",
                  gcn_last_error());
}

/* mean |u - v| over the edges: how far apart neighbours are stored */
static double mean_gap(const struct gcn_csr *g)
{
    double sum = 0.0;
    for (size_t u = 0; u < g->n_rows; u++)
        for (int64_t k = g->rowptr[u]; k < g->rowptr[u + 1]; k++)
            sum += fabs((double)g->col[k] - (double)u);
    return sum / (double)g->nnz;
}

static int cmp_long(const void *a, const void *b)
{
    const long x = *(const long *)a, y = *(const long *)b;
    return (x > y) - (x < y);
}

/* sorted (degree, label, split) keys of every node: a fingerprint a renumbering keeps */
static long *node_keys(const struct gcn_dataset *ds)
{
    long *k = malloc(ds->n * sizeof *k);
    ck_assert_ptr_nonnull(k);
    for (size_t i = 0; i < ds->n; i++)
        k[i] = ((ds->adj.rowptr[i + 1] - ds->adj.rowptr[i]) * 1000 + ds->y[i]) * 10 +
               ds->split[i];
    qsort(k, ds->n, sizeof *k, cmp_long);
    return k;
}

START_TEST(test_metis_cora_keeps_graph_and_localizes)
{
#if !GCNRUN_HAVE_METIS
    return; /* the config layer rejects reorder = metis in such a build (test_config) */
#endif
    struct gcn_dataset a, b;
    load_cora(&a);
    load_cora(&b);
    ck_assert_msg(gcn_dataset_reorder(&b, GCN_REORDER_METIS, 64, 1) == GCN_OK, "%s",
                  gcn_last_error());
    ck_assert_uint_eq(b.adj.nnz, a.adj.nnz);
    long *ka = node_keys(&a), *kb = node_keys(&b);
    ck_assert_mem_eq(ka, kb, a.n * sizeof *ka);
    double sa = 0.0, sb = 0.0;
    for (size_t i = 0; i < a.n * a.f; i++) {
        sa += a.x[i];
        sb += b.x[i];
    }
    ck_assert_double_eq_tol(sa, sb, 1e-6 * fabs(sa));
    const double ga = mean_gap(&a.adj), gb = mean_gap(&b.adj);
    ck_assert_msg(gb < 0.5 * ga, "mean neighbour gap %.1f after METIS, %.1f before", gb, ga);
    free(ka);
    free(kb);
    gcn_dataset_free(&a);
    gcn_dataset_free(&b);
}
END_TEST

START_TEST(test_training_is_invariant)
{
#if !GCNRUN_HAVE_METIS
    return;
#endif
    struct gcn_dataset a, b;
    load_cora(&a);
    load_cora(&b);
    gcn_dataset_normalize_rows(&a);
    gcn_dataset_normalize_rows(&b);
    ck_assert_int_eq(gcn_dataset_reorder(&b, GCN_REORDER_METIS, 128, 1), GCN_OK);
    struct gcn_train_opts o;
    gcn_train_opts_defaults(&o);
    o.hp.hidden = 16;
    o.epochs = 20;
    o.hp.weight_decay = 5e-4f;
    struct gcn_train_result ra, rb;
    ck_assert_msg(gcn_train_seq(&ra, &a, &o) == GCN_OK, "%s", gcn_last_error());
    ck_assert_msg(gcn_train_seq(&rb, &b, &o) == GCN_OK, "%s", gcn_last_error());
    for (size_t e = 0; e < o.epochs; e++)
        ck_assert_double_eq_tol(rb.epochs[e].loss, ra.epochs[e].loss,
                                1e-4 * fabs(ra.epochs[e].loss));
    ck_assert_double_eq_tol(rb.test.f1_micro, ra.test.f1_micro, 0.002);
    gcn_train_result_free(&ra);
    gcn_train_result_free(&rb);
    gcn_dataset_free(&a);
    gcn_dataset_free(&b);
}
END_TEST

/* [dataset] reorder reaches the drivers' loader: gcnrun and gcnperf train the reordered graph */
START_TEST(test_loader_applies_reorder)
{
#if !GCNRUN_HAVE_METIS
    return;
#endif
    struct gcn_config cfg;
    gcn_config_defaults(&cfg);
    cfg.format = GCN_FORMAT_DGL;
    snprintf(cfg.data, sizeof cfg.data, "%s/cora_data.npz", test_env("GCN_CORA_DIR"));
    snprintf(cfg.graph, sizeof cfg.graph, "%s/cora_graph.npz", test_env("GCN_CORA_DIR"));
    struct gcn_dataset a, b;
    ck_assert_msg(gcn_load_dataset(&a, &cfg) == GCN_OK, "%s", gcn_last_error());
    cfg.reorder = GCN_REORDER_METIS;
    cfg.reorder_block = 64;
    ck_assert_msg(gcn_load_dataset(&b, &cfg) == GCN_OK, "%s", gcn_last_error());
    ck_assert_uint_eq(b.adj.nnz, a.adj.nnz);
    ck_assert_msg(mean_gap(&b.adj) < 0.5 * mean_gap(&a.adj), "the loader did not reorder");
    gcn_dataset_free(&a);
    gcn_dataset_free(&b);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("reorder");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_permute_moves_everything);
    tcase_add_test(tc, test_none_and_tiny_are_no_ops);
    tcase_add_test(tc, test_metis_cora_keeps_graph_and_localizes);
    tcase_add_test(tc, test_training_is_invariant);
    tcase_add_test(tc, test_loader_applies_reorder);
    suite_add_tcase(s, tc);
    return test_run_suite(s, CK_FORK_GETENV);
}
