/* test_spmm.c: Check suite for gcn/spmm.c. The register-blocked paths (AVX-512, AVX2) must
 * give the plain loop's bits for every width (tails of 1..15 lanes, one and several 64-column
 * blocks), with and without accumulation and scaling, on rows from empty to long, in one pass
 * or in passes over column ranges of 1, 7 or 100 rows of x; the plain loop itself is checked
 * against a double-precision reference (relative 1e-6 of the sum of magnitudes). Paths are
 * selected with GCN_SPMM_ISA and passes with GCN_SPMM_BLOCK_ROWS; a path the CPU lacks falls
 * back, so on such a CPU that case compares the fallback with itself. */
#include <check.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gcn/kernels.h"
#include "testutil.h"

enum { ROWS = 211, COLS = 257 };

static const size_t widths[] = { 1, 7, 8, 9, 16, 17, 41, 48, 63, 64, 65, 128, 130 };
static const char *const paths[] = { "", "avx2", "plain" }; /* "" = the CPU's best */
static const char *const passes[] = { "", "1", "7", "100" };   /* "" = one pass here */
#define N_PATHS 3
#define N_PASSES 4

struct graph {
    int64_t rowptr[ROWS + 1];
    int32_t *col;
    float s_row[ROWS], s[COLS];
};

/* Rows of 0 .. 60 nonzeros (every 17th row long: 300), repeated columns allowed. */
static void graph_make(struct graph *g)
{
    uint64_t r = 0x9e3779b97f4a7c15ull;
    g->rowptr[0] = 0;
    for (size_t i = 0; i < ROWS; i++)
        g->rowptr[i + 1] = g->rowptr[i] + (i % 17 == 0 ? 300 : (int64_t)(i * 7 % 61));
    g->col = malloc((size_t)g->rowptr[ROWS] * sizeof *g->col);
    for (int64_t k = 0; k < g->rowptr[ROWS]; k++) {
        r ^= r << 13, r ^= r >> 7, r ^= r << 17;
        g->col[k] = (int32_t)(r % COLS);
    }
    for (size_t i = 0; i < ROWS; i++)
        g->s_row[i] = 1.0f / sqrtf((float)(i + 1));
    for (size_t j = 0; j < COLS; j++)
        g->s[j] = 0.5f + (float)(j % 9) / 7.0f;
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

/* One path and width: gcn_spmm (= and +=) and gcn_spmm_sym (x a column window of a wider
 * matrix) against gcn_spmm_plain, bit for bit. */
START_TEST(paths_match_the_plain_loop)
{
    const char *path = paths[_i % N_PATHS], *pass = passes[_i / N_PATHS % N_PASSES];
    const size_t w = widths[_i / (N_PATHS * N_PASSES)];
    if (path[0])
        setenv("GCN_SPMM_ISA", path, 1);
    else
        unsetenv("GCN_SPMM_ISA");
    if (pass[0])
        setenv("GCN_SPMM_BLOCK_ROWS", pass, 1);
    else
        unsetenv("GCN_SPMM_BLOCK_ROWS");
    struct graph g;
    graph_make(&g);
    const size_t ldx = w + 5; /* sym reads w columns at offset 3 of a wider x */
    float *x = matrix(COLS, ldx, (unsigned)w);
    float *got = matrix(ROWS, w, 7), *want = matrix(ROWS, w, 7);

    gcn_spmm(got, g.rowptr, g.col, x, ROWS, w, 0);
    gcn_spmm_plain(want, g.rowptr, g.col, NULL, NULL, x, w, ROWS, w, 0);
    ck_assert_msg(memcmp(got, want, ROWS * w * sizeof *got) == 0, "%s/%s w=%zu: = differs",
                  path, pass, w);
    gcn_spmm(got, g.rowptr, g.col, x, ROWS, w, 1);
    gcn_spmm_plain(want, g.rowptr, g.col, NULL, NULL, x, w, ROWS, w, 1);
    ck_assert_msg(memcmp(got, want, ROWS * w * sizeof *got) == 0, "%s/%s w=%zu: += differs",
                  path, pass, w);
    gcn_spmm_sym(got, g.rowptr, g.col, g.s_row, g.s, x + 3, ldx, ROWS, w);
    gcn_spmm_plain(want, g.rowptr, g.col, g.s_row, g.s, x + 3, ldx, ROWS, w, 0);
    ck_assert_msg(memcmp(got, want, ROWS * w * sizeof *got) == 0, "%s/%s w=%zu: sym differs",
                  path, pass, w);
    free(x), free(got), free(want), free(g.col);
}
END_TEST

/* The plain loop against a double reference, scaled and not. */
START_TEST(plain_loop_against_reference)
{
    struct graph g;
    graph_make(&g);
    const size_t w = 41;
    float *x = matrix(COLS, w, 3), *out = malloc(ROWS * w * sizeof *out);
    for (int scaled = 0; scaled < 2; scaled++) {
        gcn_spmm_plain(out, g.rowptr, g.col, scaled ? g.s_row : NULL, scaled ? g.s : NULL, x, w,
                       ROWS, w, 0);
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

int main(void)
{
    Suite *s = suite_create("spmm");
    TCase *tc = tcase_create("spmm");
    tcase_add_loop_test(tc, paths_match_the_plain_loop, 0,
                        (int)(N_PATHS * N_PASSES * sizeof widths / sizeof widths[0]));
    tcase_add_test(tc, plain_loop_against_reference);
    suite_add_tcase(s, tc);
    return test_run_suite(s, CK_FORK_GETENV);
}
