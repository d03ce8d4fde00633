/* test_spmm.c: Check suite for the SpMM plan (gcn/spmm_plan.c, gcn/spmm_run.c). Every path
 * (AVX-512, AVX2, plain, chosen with GCN_SPMM_ISA; a path the CPU lacks falls back, so on
 * such a CPU that case compares the fallback with itself) must give gcn_spmm_plain's bits
 * for every width (vector tails of 1..15 lanes, one and several 48-column passes), scaled
 * and not, on rows from empty to long with repeated columns, in panels of 1, 7, 100 rows or
 * one panel and tiles of 1, 3, 5, 64 columns or one tile (the defaults, and the largest
 * sizes the plan allows), with columns in index order or in the order of a key; a panel
 * range writes its rows and no other; runs longer than a segment holds are split; plans
 * without rows or nonzeros write zeros; a plan of the columns gcn_csr_select_cols keeps gives
 * the full product's bits where x is zero on the others. The build refuses what it cannot
 * plan; the plain
 * loop itself is checked against a double-precision
 * reference (relative 1e-6 of the sum of magnitudes). */
#include <check.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "gcn/graph.h"
#include "gcn/kernels.h"
#include "gcn/spmm_plan.h"
#include "testutil.h"

enum { ROWS = 211, COLS = 257 };

static const size_t widths[] = { 1, 7, 8, 9, 16, 17, 41, 48, 49, 63, 64, 97, 128, 130 };
static const char *const paths[] = { "", "avx2", "plain" }; /* "" = the CPU's best */
/* rows per panel and columns per tile */
static const size_t shapes[][2] = { { GCN_SPMM_PANEL_ROWS, GCN_SPMM_TILE_COLS },
                                    { 1, 3 },
                                    { 7, 1 },
                                    { 100, 64 },
                                    { 100, 5 },
                                    { 65536, 65536 } };
#define N_PATHS 3
#define N_SHAPES 6

struct graph {
    int64_t rowptr[ROWS + 1];
    int32_t *col;
    int32_t key[COLS]; /* a permutation of the columns, or the identity */
    float s_row[ROWS], s[COLS];
};

static uint64_t next(uint64_t *r)
{
    *r ^= *r << 13, *r ^= *r >> 7, *r ^= *r << 17;
    return *r;
}

static int32_t *sort_key; /* for by_key */

static int by_key(const void *a, const void *b)
{
    const int32_t x = sort_key[*(const int32_t *)a], y = sort_key[*(const int32_t *)b];
    return (x > y) - (x < y);
}

/* Rows of 0 .. 60 nonzeros (every 17th row long: 300), repeated columns allowed, each row
 * sorted by the key: a random permutation when keyed, else the identity. */
static void graph_make(struct graph *g, int keyed)
{
    uint64_t r = 0x9e3779b97f4a7c15ull;
    for (size_t j = 0; j < COLS; j++)
        g->key[j] = (int32_t)j;
    for (size_t j = COLS - 1; keyed && j > 0; j--) {
        const size_t t = next(&r) % (j + 1);
        const int32_t k = g->key[j];
        g->key[j] = g->key[t];
        g->key[t] = k;
    }
    g->rowptr[0] = 0;
    for (size_t i = 0; i < ROWS; i++)
        g->rowptr[i + 1] = g->rowptr[i] + (i % 17 == 0 ? 300 : (int64_t)(i * 7 % 61));
    g->col = malloc((size_t)g->rowptr[ROWS] * sizeof *g->col);
    ck_assert_ptr_nonnull(g->col);
    for (int64_t k = 0; k < g->rowptr[ROWS]; k++)
        g->col[k] = (int32_t)(next(&r) % COLS);
    sort_key = g->key;
    for (size_t i = 0; i < ROWS; i++)
        qsort(g->col + g->rowptr[i], (size_t)(g->rowptr[i + 1] - g->rowptr[i]), sizeof *g->col,
              by_key);
    for (size_t i = 0; i < ROWS; i++)
        g->s_row[i] = 1.0f / sqrtf((float)(i + 1));
    for (size_t j = 0; j < COLS; j++)
        g->s[j] = 0.5f + (float)(j % 9) / 7.0f;
}

static void *plan_make(const struct graph *g, int keyed, size_t panel_rows, size_t tile_cols)
{
    const size_t bytes = gcn_spmm_plan_bytes(g->rowptr, ROWS, COLS, panel_rows, tile_cols);
    ck_assert_uint_gt(bytes, 0);
    void *plan = malloc(bytes);
    ck_assert_ptr_nonnull(plan);
    ck_assert_msg(gcn_spmm_plan_build(plan, bytes, g->rowptr, g->col, ROWS, COLS,
                                      keyed ? g->key : NULL, COLS, panel_rows,
                                      tile_cols) == GCN_OK,
                  "%s", gcn_last_error());
    ck_assert_uint_eq(gcn_spmm_plan_rows(plan), ROWS);
    ck_assert_uint_eq(gcn_spmm_plan_size(plan), bytes);
    ck_assert_uint_eq(gcn_spmm_plan_panels(plan), (ROWS + panel_rows - 1) / panel_rows);
    return plan;
}

static float *matrix(size_t n, size_t w, unsigned seed)
{
    ck_assert_uint_le(w, 1024);
    float *m = malloc(n * w * sizeof *m);
    ck_assert_ptr_nonnull(m);
    for (size_t i = 0; i < n * w; i++)
        m[i] = (float)((i * 2654435761u + seed) % 1000) / 333.0f - 1.5f;
    return m;
}

/* One path, plan shape and width, keyed or not: gcn_spmm and gcn_spmm_plan_run scaled (x a
 * column window of a wider matrix) against gcn_spmm_plain, bit for bit. */
static void check_paths(int i, int keyed)
{
    const char *path = paths[i % N_PATHS];
    const size_t panel_rows = shapes[i / N_PATHS % N_SHAPES][0];
    const size_t tile_cols = shapes[i / N_PATHS % N_SHAPES][1];
    const size_t w = widths[i / (N_PATHS * N_SHAPES)];
    if (path[0])
        setenv("GCN_SPMM_ISA", path, 1);
    else
        unsetenv("GCN_SPMM_ISA");
    struct graph g;
    graph_make(&g, keyed);
    void *plan = plan_make(&g, keyed, panel_rows, tile_cols);
    const size_t ldx = w + 5; /* the scaled product reads w columns at offset 3 */
    float *x = matrix(COLS, ldx, (unsigned)w);
    float *got = matrix(ROWS, w, 7), *want = matrix(ROWS, w, 8);

    gcn_spmm(got, plan, x, w);
    gcn_spmm_plain(want, g.rowptr, g.col, NULL, NULL, x, w, ROWS, w);
    ck_assert_msg(memcmp(got, want, ROWS * w * sizeof *got) == 0, "%s/%zux%zu w=%zu: differs",
                  path, panel_rows, tile_cols, w);
    gcn_spmm_plan_run(got, plan, g.s_row, g.s, x + 3, ldx, w, 0, gcn_spmm_plan_panels(plan));
    gcn_spmm_plain(want, g.rowptr, g.col, g.s_row, g.s, x + 3, ldx, ROWS, w);
    ck_assert_msg(memcmp(got, want, ROWS * w * sizeof *got) == 0,
                  "%s/%zux%zu w=%zu: scaled differs", path, panel_rows, tile_cols, w);
    free(plan), free(x), free(got), free(want), free(g.col);
}

START_TEST(paths_match_the_plain_loop)
{
    check_paths(_i, 0);
}
END_TEST

START_TEST(keyed_paths_match_the_plain_loop)
{
    check_paths(_i, 1);
}
END_TEST

/* Panels [1, 3) of 7 rows write rows 7 .. 20 and leave every other row as it was. */
START_TEST(a_panel_range_writes_its_rows_only)
{
    struct graph g;
    graph_make(&g, 0);
    void *plan = plan_make(&g, 0, 7, 16);
    const size_t w = 41;
    float *x = matrix(COLS, w, 1), *got = matrix(ROWS, w, 2), *before = matrix(ROWS, w, 2);
    float *want = matrix(ROWS, w, 3);
    gcn_spmm_plan_run(got, plan, NULL, NULL, x, w, w, 1, 3);
    gcn_spmm_plain(want, g.rowptr, g.col, NULL, NULL, x, w, ROWS, w);
    for (size_t i = 0; i < ROWS; i++) {
        const float *expect = i >= 7 && i < 21 ? want : before;
        ck_assert_msg(memcmp(got + i * w, expect + i * w, w * sizeof *got) == 0, "row %zu", i);
    }
    free(plan), free(x), free(got), free(before), free(want), free(g.col);
}
END_TEST

/* What the build refuses, each with a message. */
START_TEST(the_build_refuses_what_it_cannot_plan)
{
    struct graph g;
    graph_make(&g, 1); /* rows sorted by a permutation, not by column */
    ck_assert_uint_eq(gcn_spmm_plan_bytes(g.rowptr, ROWS, COLS, 0, 8), 0);
    ck_assert_uint_eq(gcn_spmm_plan_bytes(g.rowptr, ROWS, COLS, 65537, 8), 0);
    ck_assert_uint_eq(gcn_spmm_plan_bytes(g.rowptr, ROWS, COLS, 16, 0), 0);
    ck_assert_uint_eq(gcn_spmm_plan_bytes(g.rowptr, ROWS, COLS, 16, 65537), 0);
    const size_t bytes = gcn_spmm_plan_bytes(g.rowptr, ROWS, COLS, 16, 8);
    void *plan = malloc(bytes);
    ck_assert_int_eq(gcn_spmm_plan_build(plan, bytes, g.rowptr, g.col, ROWS, COLS, NULL, 0, 16, 8),
                     GCN_ERR); /* index order expected */
    ck_assert_ptr_nonnull(strstr(gcn_last_error(), "key order"));
    ck_assert_int_eq(gcn_spmm_plan_build(plan, bytes - 1, g.rowptr, g.col, ROWS, COLS, g.key,
                                         COLS, 16, 8),
                     GCN_ERR);
    ck_assert_ptr_nonnull(strstr(gcn_last_error(), "bytes"));
    ck_assert_int_eq(gcn_spmm_plan_build(plan, bytes, g.rowptr, g.col, ROWS, COLS, g.key,
                                         COLS - 1, 16, 8),
                     GCN_ERR); /* a key outside the range */
    ck_assert_int_eq(gcn_spmm_plan_build(plan, bytes, g.rowptr, g.col, ROWS, COLS - 1, g.key,
                                         COLS, 16, 8),
                     GCN_ERR); /* some column is the last one */
    int32_t *twin = malloc(COLS * sizeof *twin);
    for (size_t j = 0; j < COLS; j++)
        twin[j] = g.key[j] / 2; /* pairs of columns share a key */
    ck_assert_int_eq(gcn_spmm_plan_build(plan, bytes, g.rowptr, g.col, ROWS, COLS, twin, COLS,
                                         16, 8),
                     GCN_ERR);
    void *wide = malloc(bytes + 8); /* room for the plan 4 bytes in */
    ck_assert_int_eq(gcn_spmm_plan_build((char *)wide + 4, bytes, g.rowptr, g.col, ROWS, COLS,
                                         g.key, COLS, 16, 8),
                     GCN_ERR);
    free(wide);
    ck_assert_ptr_nonnull(strstr(gcn_last_error(), "aligned"));
    const int64_t back[4] = { 0, 5, 3, 8 }; /* row 1 ends before it starts */
    const int32_t cols[8] = { 0, 1, 2, 3, 4, 5, 6, 7 };
    const size_t small = gcn_spmm_plan_bytes(back, 3, 8, 16, 8);
    void *bad = malloc(small + 4096); /* the bound assumed a valid rowptr: room to spare */
    ck_assert_int_eq(gcn_spmm_plan_build(bad, small + 4096, back, cols, 3, 8, NULL, 0, 16, 8),
                     GCN_ERR);
    ck_assert_ptr_nonnull(strstr(gcn_last_error(), "rowptr decreases"));
    ck_assert_int_eq(gcn_spmm_plan_build(plan, bytes, g.rowptr, g.col, ROWS, COLS, g.key, COLS,
                                         16, 0),
                     GCN_ERR);
    ck_assert_ptr_nonnull(strstr(gcn_last_error(), "columns per tile"));
    ck_assert_int_eq(gcn_spmm_plan_build(plan, bytes, g.rowptr, g.col, ROWS, COLS, g.key, COLS,
                                         16, 8),
                     GCN_OK);
    free(bad), free(twin), free(plan), free(g.col);
}
END_TEST

/* No rows, and rows without nonzeros: nothing to add, zeros out, on every path. */
START_TEST(empty_plans)
{
    const int64_t none[1] = { 0 }, empty[4] = { 0, 0, 0, 0 };
    const int32_t col[1] = { 0 };
    const float x[3] = { 1.0f, 2.0f, 3.0f };
    float out[9];
    for (int path = 0; path < N_PATHS; path++) {
        if (paths[path][0])
            setenv("GCN_SPMM_ISA", paths[path], 1);
        else
            unsetenv("GCN_SPMM_ISA");
        size_t bytes = gcn_spmm_plan_bytes(none, 0, 1, 16, 8);
        void *plan = malloc(bytes);
        ck_assert_int_eq(gcn_spmm_plan_build(plan, bytes, none, col, 0, 1, NULL, 0, 16, 8),
                         GCN_OK);
        ck_assert_uint_eq(gcn_spmm_plan_panels(plan), 0);
        gcn_spmm(out, plan, x, 3); /* writes nothing */
        free(plan);
        bytes = gcn_spmm_plan_bytes(empty, 3, 1, 2, 8);
        plan = malloc(bytes);
        ck_assert_int_eq(gcn_spmm_plan_build(plan, bytes, empty, col, 3, 1, NULL, 0, 2, 8), GCN_OK);
        for (size_t i = 0; i < 9; i++)
            out[i] = 7.0f;
        gcn_spmm(out, plan, x, 3);
        for (size_t i = 0; i < 9; i++)
            ck_assert_msg(out[i] == 0.0f, "%s: out[%zu] = %g", paths[path], i, (double)out[i]);
        free(plan);
    }
}
END_TEST

/* A row with 70,000 nonzeros in one column (a run longer than one segment holds) and a
 * short one: every path gives the plain loop's bits. */
START_TEST(long_runs_are_split)
{
    enum { LONG = 70000 };
    const int64_t rowptr[3] = { 0, LONG + 2, LONG + 5 };
    int32_t *col = malloc((LONG + 5) * sizeof *col);
    ck_assert_ptr_nonnull(col);
    for (size_t k = 0; k < LONG; k++)
        col[k] = 0;
    col[LONG] = col[LONG + 1] = 1;
    col[LONG + 2] = 0, col[LONG + 3] = 1, col[LONG + 4] = 2;
    const size_t w = 17, bytes = gcn_spmm_plan_bytes(rowptr, 2, 3, 2, 1);
    void *plan = malloc(bytes);
    ck_assert_int_eq(gcn_spmm_plan_build(plan, bytes, rowptr, col, 2, 3, NULL, 0, 2, 1), GCN_OK);
    float *x = matrix(3, w, 5), got[2 * 17], want[2 * 17];
    for (int path = 0; path < N_PATHS; path++) {
        if (paths[path][0])
            setenv("GCN_SPMM_ISA", paths[path], 1);
        else
            unsetenv("GCN_SPMM_ISA");
        gcn_spmm(got, plan, x, w);
        gcn_spmm_plain(want, rowptr, col, NULL, NULL, x, w, 2, w);
        ck_assert_msg(memcmp(got, want, sizeof got) == 0, "%s differs", paths[path]);
    }
    free(plan), free(x), free(col);
}
END_TEST

/* The tile width follows the L2: the default while its block fits 3/4 of it, halved below. */
START_TEST(tile_width_follows_the_l2)
{
    ck_assert_uint_eq(gcn_spmm_tile_cols_for(0), GCN_SPMM_TILE_COLS); /* unknown */
    ck_assert_uint_eq(gcn_spmm_tile_cols_for(2u << 20), 4096);
    ck_assert_uint_eq(gcn_spmm_tile_cols_for(1u << 20), 4096);
    ck_assert_uint_eq(gcn_spmm_tile_cols_for((1u << 20) - 64), 2048);
    ck_assert_uint_eq(gcn_spmm_tile_cols_for(512u << 10), 2048);
    ck_assert_uint_eq(gcn_spmm_tile_cols_for(256u << 10), 1024);
    ck_assert_uint_eq(gcn_spmm_tile_cols_for(32u << 10), 1024);
    const size_t here = gcn_spmm_tile_cols();
    ck_assert(here == 1024 || here == 2048 || here == 4096);
}
END_TEST

/* The plain loop against a double reference, scaled and not. */
START_TEST(plain_loop_against_reference)
{
    struct graph g;
    graph_make(&g, 0);
    const size_t w = 41;
    float *x = matrix(COLS, w, 3), *out = malloc(ROWS * w * sizeof *out);
    for (int scaled = 0; scaled < 2; scaled++) {
        gcn_spmm_plain(out, g.rowptr, g.col, scaled ? g.s_row : NULL, scaled ? g.s : NULL, x, w,
                       ROWS, w);
        for (size_t i = 0; i < ROWS; i++)
            for (size_t c = 0; c < w; c++) {
                double sum = 0.0, mag = 0.0;
                for (int64_t k = g.rowptr[i]; k < g.rowptr[i + 1]; k++) {
                    const double v = (scaled ? g.s[g.col[k]] : 1.0) * x[(size_t)g.col[k] * w + c];
                    sum += v;
                    mag += fabs(v);
                }
                if (scaled) {
                    sum *= g.s_row[i];
                    mag *= g.s_row[i];
                }
                ck_assert_msg(fabs(out[i * w + c] - sum) <= 1e-6 * mag + 1e-30,
                              "row %zu col %zu: %g, want %g", i, c, (double)out[i * w + c], sum);
            }
    }
    free(x), free(out), free(g.col);
}
END_TEST

/* The product over the columns gcn_csr_select_cols keeps (every third column, here) of an x
 * that is +0 on every other column's row gives the full product's bits, on every path: the
 * claim the trainers' top-layer backward rests on. The selected graph keeps each row's kept
 * entries in order and nothing else. */
START_TEST(selected_columns_give_the_full_products_bits)
{
    struct graph g;
    graph_make(&g, 0);
    struct gcn_csr full = { .n_rows = ROWS, .n_cols = COLS, .nnz = (size_t)g.rowptr[ROWS],
                            .rowptr = g.rowptr, .col = g.col };
    uint8_t label[COLS];
    for (size_t j = 0; j < COLS; j++)
        label[j] = j % 3 == 0 ? 1 : 2;
    struct gcn_csr sel;
    ck_assert_int_eq(gcn_csr_select_cols(&sel, &full, label, 1), GCN_OK);
    for (size_t i = 0; i < ROWS; i++) {
        int64_t q = sel.rowptr[i];
        for (int64_t k = g.rowptr[i]; k < g.rowptr[i + 1]; k++)
            if (label[g.col[k]] == 1)
                ck_assert_int_eq(sel.col[q++], g.col[k]);
        ck_assert_int_eq(q, sel.rowptr[i + 1]);
    }
    ck_assert_uint_lt(sel.nnz, full.nnz);
    const size_t w = 41;
    float *x = matrix(COLS, w, 5), *got = matrix(ROWS, w, 7), *want = matrix(ROWS, w, 8);
    for (size_t j = 0; j < COLS; j++)
        if (label[j] != 1)
            memset(x + j * w, 0, w * sizeof *x);
    gcn_spmm_plain(want, g.rowptr, g.col, g.s_row, g.s, x, w, ROWS, w);
    for (int i = 0; i < N_PATHS; i++) {
        if (paths[i][0])
            setenv("GCN_SPMM_ISA", paths[i], 1);
        else
            unsetenv("GCN_SPMM_ISA");
        void *plan;
        ck_assert_int_eq(gcn_spmm_plan_create(&plan, sel.rowptr, sel.col, ROWS, COLS), GCN_OK);
        gcn_spmm_plan_run(got, plan, g.s_row, g.s, x, w, w, 0, gcn_spmm_plan_panels(plan));
        ck_assert_msg(memcmp(got, want, ROWS * w * sizeof *got) == 0, "path '%s' differs",
                      paths[i]);
        free(plan);
    }
    gcn_csr_free(&sel);
    free(x), free(got), free(want), free(g.col);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("spmm");
    TCase *tc = tcase_create("spmm");
    const int cases = (int)(N_PATHS * N_SHAPES * sizeof widths / sizeof widths[0]);
    tcase_add_loop_test(tc, paths_match_the_plain_loop, 0, cases);
    tcase_add_loop_test(tc, keyed_paths_match_the_plain_loop, 0, cases);
    tcase_add_test(tc, a_panel_range_writes_its_rows_only);
    tcase_add_test(tc, the_build_refuses_what_it_cannot_plan);
    tcase_add_test(tc, empty_plans);
    tcase_add_test(tc, long_runs_are_split);
    tcase_add_test(tc, tile_width_follows_the_l2);
    tcase_add_test(tc, plain_loop_against_reference);
    tcase_add_test(tc, selected_columns_give_the_full_products_bits);
    suite_add_tcase(s, tc);
    return test_run_suite(s, CK_FORK_GETENV);
}
