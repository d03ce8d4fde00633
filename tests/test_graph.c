/* test_graph.c: Check suite for gcn/graph.c on hand-made graphs: CSR from COO (duplicates
 * coalesced, self-loops dropped, columns sorted), in-place coalescing of a filled CSR, the A + I
 * pattern with its diagonal in sorted position and exact dinv = 1 / sqrt(deg(A + I)), and every
 * documented error. A randomized case compares against a brute-force dense reference. */
#include <check.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gcn/aggregate.h"
#include "base/error.h"
#include "gcn/graph.h"
#include "testutil.h"

/* Asserts g has exactly the rows given as a flat column list and row lengths. */
static void assert_csr(const struct gcn_csr *g, size_t n, const size_t *lens,
                       const int32_t *cols)
{
    ck_assert_uint_eq(g->n_rows, n);
    size_t off = 0;
    ck_assert_int_eq(g->rowptr[0], 0);
    for (size_t i = 0; i < n; i++) {
        ck_assert_int_eq(g->rowptr[i + 1] - g->rowptr[i], (int64_t)lens[i]);
        for (size_t k = 0; k < lens[i]; k++)
            ck_assert_int_eq(g->col[g->rowptr[i] + (int64_t)k], cols[off + k]);
        off += lens[i];
    }
    ck_assert_uint_eq(g->nnz, off);
    ck_assert_int_eq(g->rowptr[n], (int64_t)off);
}

START_TEST(coo_coalesces_sorts_and_drops_self_loops)
{
    /* 0-1 twice (duplicate), 1-0, self-loop 2-2, 1-3, 3-1, 1-2 reversed order; node 4 isolated */
    const int64_t src[] = {0, 1, 0, 2, 1, 3, 1, 2, 1};
    const int64_t dst[] = {1, 0, 1, 2, 3, 1, 2, 1, 0};
    struct gcn_csr g;
    ck_assert_int_eq(gcn_csr_from_coo(&g, 5, src, dst, 9), GCN_OK);
    const size_t lens[] = {1, 3, 1, 1, 0};
    const int32_t cols[] = {1, 0, 2, 3, 1, 1};
    assert_csr(&g, 5, lens, cols);
    ck_assert_uint_eq(g.n_cols, 5);
    gcn_csr_free(&g);
    ck_assert_ptr_null(g.rowptr);
    gcn_csr_free(&g); /* second free of a zeroed struct is safe */
}
END_TEST

START_TEST(coo_empty_graph)
{
    struct gcn_csr g;
    ck_assert_int_eq(gcn_csr_from_coo(&g, 3, NULL, NULL, 0), GCN_OK);
    const size_t lens[] = {0, 0, 0};
    assert_csr(&g, 3, lens, NULL);
    gcn_csr_free(&g);
    ck_assert_int_eq(gcn_csr_from_coo(&g, 0, NULL, NULL, 0), GCN_OK);
    ck_assert_uint_eq(g.n_rows, 0);
    ck_assert_int_eq(g.rowptr[0], 0);
    gcn_csr_free(&g);
}
END_TEST

START_TEST(propagation_pattern_and_dinv)
{
    /* path 0-1-2 stored both ways, a self-loop 1-1 in the input, node 3 isolated */
    const int64_t src[] = {0, 1, 1, 2, 1, 1};
    const int64_t dst[] = {1, 0, 2, 1, 1, 2};
    struct gcn_csr adj, p;
    float *dinv;
    ck_assert_int_eq(gcn_csr_from_coo(&adj, 4, src, dst, 6), GCN_OK);
    ck_assert_uint_eq(adj.nnz, 4);
    ck_assert_int_eq(gcn_propagation_build(&p, &dinv, &adj), GCN_OK);
    const size_t lens[] = {2, 3, 2, 1};
    const int32_t cols[] = {0, 1, 0, 1, 2, 1, 2, 3};
    assert_csr(&p, 4, lens, cols);
    ck_assert_uint_eq(p.n_cols, 4);
    /* deg(A + I) = 2, 3 (self-loop counted once), 2, 1 (isolated: only its self loop) */
    ck_assert_float_eq(dinv[0], (float)(1.0 / sqrt(2.0)));
    ck_assert_float_eq(dinv[1], (float)(1.0 / sqrt(3.0)));
    ck_assert_float_eq(dinv[2], (float)(1.0 / sqrt(2.0)));
    ck_assert_float_eq(dinv[3], 1.0f);
    free(dinv);
    gcn_csr_free(&p);
    gcn_csr_free(&adj);
}
END_TEST

START_TEST(propagation_keeps_existing_diagonal_once)
{
    /* A CSR filled by hand that already holds its diagonals (sorted, unique). */
    int64_t rowptr[] = {0, 2, 4, 5};
    int32_t col[] = {0, 2, 1, 2, 0};
    struct gcn_csr adj = {.n_rows = 3, .n_cols = 3, .nnz = 5, .rowptr = rowptr, .col = col};
    struct gcn_csr p;
    float *dinv;
    ck_assert_int_eq(gcn_propagation_build(&p, &dinv, &adj), GCN_OK);
    const size_t lens[] = {2, 2, 2};
    const int32_t cols[] = {0, 2, 1, 2, 0, 2};
    assert_csr(&p, 3, lens, cols);
    for (int i = 0; i < 3; i++)
        ck_assert_float_eq(dinv[i], (float)(1.0 / sqrt(2.0)));
    free(dinv);
    gcn_csr_free(&p);
}
END_TEST

START_TEST(coalesce_in_place)
{
    /* rows: {3, 1, 3, 0}, {}, {2, 2, 0}, {1, 1} on 4 x 4: row 0 dups, row 2 self-loops */
    int64_t *rowptr = malloc(5 * sizeof *rowptr);
    int32_t *col = malloc(9 * sizeof *col);
    const int64_t rp[] = {0, 4, 4, 7, 9};
    const int32_t c[] = {3, 1, 3, 0, 2, 2, 0, 1, 1};
    memcpy(rowptr, rp, sizeof rp);
    memcpy(col, c, sizeof c);
    struct gcn_csr g = {.n_rows = 4, .n_cols = 4, .nnz = 9, .rowptr = rowptr, .col = col};
    ck_assert_int_eq(gcn_csr_coalesce(&g), GCN_OK);
    const size_t lens[] = {2, 0, 1, 1};
    const int32_t cols[] = {1, 3, 0, 1};
    assert_csr(&g, 4, lens, cols);
    gcn_csr_free(&g);
}
END_TEST

/* Long rows exercise the radix path of the per-row sort; compare with a dense reference. */
START_TEST(random_against_dense_reference)
{
    const size_t n = 300, m = 60000;
    int64_t *src = malloc(m * sizeof *src), *dst = malloc(m * sizeof *dst);
    unsigned char *dense = calloc(n * n, 1);
    uint64_t s = 88172645463325252ull;
    for (size_t e = 0; e < m; e++) {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        /* skew: half the edges leave node 0..9, so some rows are long */
        src[e] = (int64_t)((e % 2) ? s % 10 : s % n);
        dst[e] = (int64_t)((s >> 20) % n);
        if (src[e] != dst[e])
            dense[src[e] * (int64_t)n + dst[e]] = 1;
    }
    struct gcn_csr g, p;
    float *dinv;
    ck_assert_int_eq(gcn_csr_from_coo(&g, n, src, dst, m), GCN_OK);
    ck_assert_int_eq(gcn_propagation_build(&p, &dinv, &g), GCN_OK);
    size_t nnz = 0;
    for (size_t i = 0; i < n; i++) {
        int64_t k = g.rowptr[i];
        size_t deg = 1;
        for (size_t j = 0; j < n; j++) {
            if (dense[i * n + j]) {
                ck_assert_int_lt(k, g.rowptr[i + 1]);
                ck_assert_int_eq(g.col[k], (int32_t)j);
                k++;
                deg++;
            }
        }
        ck_assert_int_eq(k, g.rowptr[i + 1]);
        nnz += deg - 1;
        ck_assert_int_eq(p.rowptr[i + 1] - p.rowptr[i], (int64_t)deg);
        for (int64_t q = p.rowptr[i] + 1; q < p.rowptr[i + 1]; q++)
            ck_assert_int_lt(p.col[q - 1], p.col[q]);
        ck_assert_float_eq(dinv[i], (float)(1.0 / sqrt((double)deg)));
    }
    ck_assert_uint_eq(g.nnz, nnz);
    ck_assert_uint_eq(p.nnz, nnz + n);

    /* coalesce of an already coalesced CSR is the identity */
    int32_t *copy = malloc(g.nnz * sizeof *copy);
    memcpy(copy, g.col, g.nnz * sizeof *copy);
    ck_assert_int_eq(gcn_csr_coalesce(&g), GCN_OK);
    ck_assert_uint_eq(g.nnz, nnz);
    ck_assert_int_eq(memcmp(copy, g.col, nnz * sizeof *copy), 0);
    free(copy);
    free(dinv);
    gcn_csr_free(&p);
    gcn_csr_free(&g);
    free(dense);
    free(src);
    free(dst);
}
END_TEST

/* Â X computed once, in place, against a dense Â built from the edges: an isolated node, a
 * duplicate edge, and more features than one 64-column block. */
START_TEST(aggregate_against_dense_reference)
{
    enum { N = 6, F = 70 };
    const int64_t src[] = { 0, 1, 1, 2, 3, 0, 4 }, dst[] = { 1, 0, 2, 1, 4, 1, 3 };
    struct gcn_dataset ds = { .n = N, .f = F };
    snprintf(ds.name, sizeof ds.name, "hand");
    ck_assert_int_eq(gcn_csr_from_coo(&ds.adj, N, src, dst, 7), GCN_OK);
    ds.x = malloc(N * F * sizeof *ds.x);
    double a[N][N] = { { 0 } }, deg[N], want[N][F];
    for (size_t i = 0; i < N * F; i++)
        ds.x[i] = (float)((i * 37) % 101) / 50.0f - 1.0f;
    for (size_t i = 0; i < N; i++) {
        a[i][i] = 1.0;
        for (int64_t k = ds.adj.rowptr[i]; k < ds.adj.rowptr[i + 1]; k++)
            a[i][ds.adj.col[k]] = 1.0;
    }
    for (size_t i = 0; i < N; i++) {
        deg[i] = 0.0;
        for (size_t j = 0; j < N; j++)
            deg[i] += a[i][j];
    }
    for (size_t i = 0; i < N; i++)
        for (size_t c = 0; c < F; c++) {
            want[i][c] = 0.0;
            for (size_t j = 0; j < N; j++)
                want[i][c] += a[i][j] / sqrt(deg[i] * deg[j]) * ds.x[j * F + c];
        }
    ck_assert_int_eq(gcn_dataset_aggregate_features(&ds), GCN_OK);
    ck_assert_int_eq(ds.x_aggregated, 1);
    for (size_t i = 0; i < N; i++)
        for (size_t c = 0; c < F; c++)
            ck_assert_msg(fabs(ds.x[i * F + c] - want[i][c]) <= 1e-6,
                          "row %zu col %zu: %g, want %g", i, c, ds.x[i * F + c], want[i][c]);
    /* node 5 has no edges: Â's row is the identity */
    ck_assert_float_eq(ds.x[5 * F + 3], (float)((5 * F + 3) * 37 % 101) / 50.0f - 1.0f);
    ck_assert_int_eq(gcn_dataset_aggregate_features(&ds), GCN_ERR);
    ck_assert_ptr_nonnull(strstr(gcn_last_error(), "already aggregated"));
    gcn_dataset_free(&ds);
}
END_TEST

/* ---- errors, table-driven ---- */

struct coo_error_case {
    const char *what;   /* case name for failure messages */
    size_t n;           /* nodes */
    int64_t src, dst;   /* the second edge (the first, 0 -> 1, is valid) */
    const char *expect; /* substring of the error message */
};

static const struct coo_error_case coo_errors[] = {
    {"src too large", 3, 3, 0, "outside [0, 3)"},
    {"dst too large", 3, 0, 7, "outside [0, 3)"},
    {"negative src", 3, -1, 0, "outside [0, 3)"},
    {"negative dst", 3, 1, -5, "outside [0, 3)"},
};

START_TEST(coo_errors_table)
{
    const struct coo_error_case *c = &coo_errors[_i];
    int64_t src[] = {0, c->src}, dst[] = {1, c->dst};
    struct gcn_csr g;
    ck_assert_int_eq(gcn_csr_from_coo(&g, c->n, src, dst, 2), GCN_ERR);
    ck_assert_msg(strstr(gcn_last_error(), c->expect) != NULL, "%s: got '%s'", c->what,
                  gcn_last_error());
    ck_assert_msg(strstr(gcn_last_error(), "edge 1") != NULL, "%s: got '%s'", c->what,
                  gcn_last_error());
    ck_assert_ptr_null(g.rowptr);
    ck_assert_ptr_null(g.col);
}
END_TEST

START_TEST(coo_too_many_nodes)
{
    struct gcn_csr g;
    ck_assert_int_eq(gcn_csr_from_coo(&g, (size_t)INT32_MAX + 2, NULL, NULL, 0), GCN_ERR);
    ck_assert_ptr_nonnull(strstr(gcn_last_error(), "int32"));
}
END_TEST

struct csr_error_case {
    const char *what;   /* case name for failure messages */
    size_t n_cols;      /* columns */
    int64_t rowptr[4];  /* 3 rows */
    int32_t col[4];     /* column indices */
    size_t nnz;         /* claimed entry count */
    const char *expect; /* substring of the error message */
};

static const struct csr_error_case csr_errors[] = {
    {"column too large", 3, {0, 1, 2, 3}, {1, 3, 0}, 3, "column 3 outside [0, 3)"},
    {"negative column", 3, {0, 1, 2, 3}, {1, -2, 0}, 3, "column -2 outside [0, 3)"},
    {"non-monotone", 3, {0, 2, 1, 3}, {1, 2, 0}, 3, "not monotone"},
    {"rowptr[0] != 0", 3, {1, 2, 2, 3}, {1, 2, 0}, 3, "rowptr[0]"},
    {"nnz mismatch", 3, {0, 1, 2, 3}, {1, 2, 0}, 4, "nnz is 4"},
};

START_TEST(csr_errors_table)
{
    const struct csr_error_case *c = &csr_errors[_i];
    int64_t rowptr[4];
    int32_t col[4];
    memcpy(rowptr, c->rowptr, sizeof rowptr);
    memcpy(col, c->col, sizeof col);
    struct gcn_csr g = {.n_rows = 3, .n_cols = c->n_cols, .nnz = c->nnz, .rowptr = rowptr,
                        .col = col};
    ck_assert_int_eq(gcn_csr_coalesce(&g), GCN_ERR);
    ck_assert_msg(strstr(gcn_last_error(), c->expect) != NULL, "%s: got '%s'", c->what,
                  gcn_last_error());
    /* a failed coalesce leaves the CSR untouched */
    ck_assert_int_eq(memcmp(rowptr, c->rowptr, sizeof rowptr), 0);
    ck_assert_int_eq(memcmp(col, c->col, sizeof col), 0);
}
END_TEST

START_TEST(propagation_errors)
{
    int64_t rowptr[] = {0, 1, 2};
    int32_t col[] = {1, 0};
    struct gcn_csr adj = {.n_rows = 2, .n_cols = 3, .nnz = 2, .rowptr = rowptr, .col = col};
    struct gcn_csr p;
    float *dinv;
    ck_assert_int_eq(gcn_propagation_build(&p, &dinv, &adj), GCN_ERR);
    ck_assert_ptr_nonnull(strstr(gcn_last_error(), "square"));
    ck_assert_ptr_null(dinv);

    int64_t rp2[] = {0, 2, 3, 3};
    int32_t c2[] = {2, 1, 0}; /* row 0 unsorted */
    struct gcn_csr bad = {.n_rows = 3, .n_cols = 3, .nnz = 3, .rowptr = rp2, .col = c2};
    ck_assert_int_eq(gcn_propagation_build(&p, &dinv, &bad), GCN_ERR);
    ck_assert_ptr_nonnull(strstr(gcn_last_error(), "row 0 is not sorted"));
}
END_TEST

static Suite *graph_suite(void)
{
    Suite *s = suite_create("graph");
    TCase *tc = tcase_create("build");
    tcase_add_test(tc, coo_coalesces_sorts_and_drops_self_loops);
    tcase_add_test(tc, coo_empty_graph);
    tcase_add_test(tc, aggregate_against_dense_reference);
    tcase_add_test(tc, propagation_pattern_and_dinv);
    tcase_add_test(tc, propagation_keeps_existing_diagonal_once);
    tcase_add_test(tc, coalesce_in_place);
    tcase_add_test(tc, random_against_dense_reference);
    suite_add_tcase(s, tc);
    TCase *te = tcase_create("errors");
    tcase_add_loop_test(te, coo_errors_table, 0, (int)(sizeof coo_errors / sizeof coo_errors[0]));
    tcase_add_test(te, coo_too_many_nodes);
    tcase_add_loop_test(te, csr_errors_table, 0, (int)(sizeof csr_errors / sizeof csr_errors[0]));
    tcase_add_test(te, propagation_errors);
    suite_add_tcase(s, te);
    return s;
}

int main(void)
{
    return test_run_suite(graph_suite(), CK_FORK_GETENV);
}
