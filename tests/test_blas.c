/* test_blas.c: Check suite for gcn/blas.c (OpenBLAS and BLIS behind one sgemm) and the
 * child side of drivers/blas_survey.c. Every product is compared with a double-precision
 * reference: relative error <= 1e-5 of the row's magnitude (float sums of <= 300 terms).
 * BLIS must load: tools/setup.sh installs Debian's libblis4-pthread. Each test runs in its
 * own process (Check's fork mode), so the backend state starts fresh. */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "drivers/blas_survey.h"
#include "gcn/blas.h"
#include "testutil.h"

/* C (m, n) = op(A) op(B), checked against the reference for every transposition. */
static void check_products(void)
{
    const size_t m = 37, n = 19, k = 301;
    float *a = malloc(m * k * sizeof *a), *b = malloc(k * n * sizeof *b);
    float *c = malloc(m * n * sizeof *c);
    ck_assert(a && b && c);
    for (size_t i = 0; i < m * k; i++)
        a[i] = (float)((i * 7919) % 23) / 11.0f - 1.0f;
    for (size_t i = 0; i < k * n; i++)
        b[i] = (float)((i * 104729) % 17) / 8.0f - 1.0f;
    for (int ta = 0; ta < 2; ta++)
        for (int tb = 0; tb < 2; tb++) {
            /* stored shapes: A (m, k) or (k, m); B (k, n) or (n, k) */
            const size_t lda = ta ? m : k, ldb = tb ? k : n;
            for (size_t i = 0; i < m * n; i++)
                c[i] = 1.0f; /* beta = 0.5 keeps half of it */
            gcn_sgemm(ta, tb, m, n, k, 2.0f, a, lda, b, ldb, 0.5f, c, n);
            for (size_t i = 0; i < m; i++)
                for (size_t j = 0; j < n; j++) {
                    double ref = 0.0, mag = 0.0;
                    for (size_t p = 0; p < k; p++) {
                        const double x = ta ? a[p * lda + i] : a[i * lda + p];
                        const double y = tb ? b[j * ldb + p] : b[p * ldb + j];
                        ref += x * y;
                        mag += fabs(x * y);
                    }
                    ref = 2.0 * ref + 0.5;
                    ck_assert_msg(fabs(c[i * n + j] - ref) <= 1e-5 * (2.0 * mag + 1.0),
                                  "%s ta=%d tb=%d (%zu,%zu): %g, want %g",
                                  gcn_blas_backend_name(gcn_blas_current()), ta, tb, i, j,
                                  (double)c[i * n + j], ref);
                }
        }
    gcn_sgemm(0, 0, 0, n, k, 1.0f, a, k, b, n, 0.0f, c, n); /* empty: no call, no crash */
    free(a), free(b), free(c);
}

START_TEST(test_openblas_products)
{
    ck_assert_int_eq(gcn_blas_select(GCN_BLAS_USE_OPENBLAS, NULL), GCN_OK);
    ck_assert_int_eq(gcn_blas_current(), GCN_BLAS_OPENBLAS);
    ck_assert_str_eq(gcn_blas_backend_name(GCN_BLAS_OPENBLAS), "openblas");
    ck_assert_msg(strncmp(gcn_blas_version(), "OpenBLAS ", 9) == 0, "%s", gcn_blas_version());
    ck_assert_str_ne(gcn_blas_kernels(), "");
    check_products();
}
END_TEST

START_TEST(test_blis_products)
{
    struct gcn_blas_probe p;
    ck_assert_msg(gcn_blas_select(GCN_BLAS_USE_BLIS, &p) == GCN_OK,
                  "%s (tools/setup.sh installs libblis4-pthread)", gcn_last_error());
    ck_assert_int_eq(gcn_blas_current(), GCN_BLAS_BLIS);
    ck_assert(p.available[GCN_BLAS_BLIS] && p.available[GCN_BLAS_OPENBLAS]);
    ck_assert_double_eq(p.probe_s, 0.0); /* asked for by name: no probe */
    ck_assert_msg(strncmp(gcn_blas_version(), "BLIS ", 5) == 0, "%s", gcn_blas_version());
    gcn_blas_set_threads(1);
    check_products();
    /* the two backends give the same products after switching back and forth */
    ck_assert_int_eq(gcn_blas_use(GCN_BLAS_OPENBLAS), GCN_OK);
    check_products();
}
END_TEST

START_TEST(test_auto_keeps_the_faster)
{
    struct gcn_blas_probe p;
    ck_assert_msg(gcn_blas_select(GCN_BLAS_AUTO, &p) == GCN_OK, "%s", gcn_last_error());
    ck_assert(p.available[GCN_BLAS_OPENBLAS] && p.available[GCN_BLAS_BLIS]);
    ck_assert(p.gflops[GCN_BLAS_OPENBLAS] > 0.0 && p.gflops[GCN_BLAS_BLIS] > 0.0);
    ck_assert(p.probe_s > 0.0);
    ck_assert_int_eq(gcn_blas_current(), gcn_blas_probe_pick(&p));
    check_products();
}
END_TEST

/* The rule: BLIS only when available and more than the margin faster. */
START_TEST(test_probe_rule)
{
    static const struct {
        int blis;           /* BLIS available */
        double openblas, rate; /* GFLOP/s */
        enum gcn_blas_backend want;
    } cases[] = {
        { 1, 100.0, 100.0, GCN_BLAS_OPENBLAS },  /* a tie stays on OpenBLAS */
        { 1, 100.0, 114.0, GCN_BLAS_OPENBLAS },  /* within the margin */
        { 1, 100.0, 116.0, GCN_BLAS_BLIS },
        { 1, 11.0, 60.0, GCN_BLAS_BLIS },        /* Zen: OpenBLAS's slow path */
        { 1, 120.0, 90.0, GCN_BLAS_OPENBLAS },
        { 0, 11.0, 60.0, GCN_BLAS_OPENBLAS },    /* BLIS not loaded: its rate means nothing */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct gcn_blas_probe p = { .available = { 1, cases[i].blis },
                                    .gflops = { cases[i].openblas, cases[i].rate } };
        ck_assert_msg(gcn_blas_probe_pick(&p) == cases[i].want, "case %zu", i);
    }
}
END_TEST

START_TEST(test_misuse)
{
    /* a fresh process: BLIS not loaded yet */
    ck_assert_int_eq(gcn_blas_use(GCN_BLAS_BLIS), GCN_ERR);
    ck_assert_str_eq(gcn_last_error(), "BLIS is not loaded");
    ck_assert_int_eq(gcn_blas_use((enum gcn_blas_backend)7), GCN_ERR);
    ck_assert_int_eq(gcn_blas_current(), GCN_BLAS_OPENBLAS);
}
END_TEST

#if defined(__x86_64__)
/* BLIS 0.9 gives AVX-512 Xeons it does not know its haswell kernels; gcn_blas_load_blis
 * asks for skx there, and only there. */
START_TEST(test_blis_kernels_on_avx512_intel)
{
    unsetenv("BLIS_ARCH_TYPE");
    __builtin_cpu_init();
    const int skx = __builtin_cpu_is("intel") && __builtin_cpu_supports("avx512f") &&
                    __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512dq") &&
                    __builtin_cpu_supports("avx512vl");
    ck_assert_int_eq(gcn_blas_select(GCN_BLAS_USE_BLIS, NULL), GCN_OK);
    if (skx)
        ck_assert_str_eq(gcn_blas_kernels(), "skx");
    else
        ck_assert_ptr_null(getenv("BLIS_ARCH_TYPE"));
}
END_TEST
#endif

/* The survey's child mode: not a child, malformed arguments, and a real answer. */
START_TEST(test_survey_child_arguments)
{
    char *none[] = { "gcnperf", "--config", "x.ini", NULL };
    ck_assert_int_eq(gcn_blas_survey_child(3, none), -1);
    char *bad_threads[] = { "gcnperf", "--sgemm-child", "0", "1", "8:8:8:0", NULL };
    ck_assert_int_eq(gcn_blas_survey_child(5, bad_threads), 2);
    char *bad_shape[] = { "gcnperf", "--sgemm-child", "1", "1", "8x8x8", NULL };
    ck_assert_int_eq(gcn_blas_survey_child(5, bad_shape), 2);
    char *good[] = { "gcnperf", "--sgemm-child", "1", "2", "64:32:16:0", "32:64:16:1", NULL };
    ck_assert_int_eq(gcn_blas_survey_child(6, good), 0);
    const struct gcn_gemm_shape s = { 64, 32, 16, 1 };
    const double t = gcn_gemm_seconds(&s, 2);
    ck_assert(t > 0.0 && t < 1.0);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("blas");
    TCase *tc = tcase_create("blas");
    tcase_add_test(tc, test_openblas_products);
    tcase_add_test(tc, test_blis_products);
    tcase_add_test(tc, test_auto_keeps_the_faster);
    tcase_add_test(tc, test_probe_rule);
    tcase_add_test(tc, test_misuse);
#if defined(__x86_64__)
    tcase_add_test(tc, test_blis_kernels_on_avx512_intel);
#endif
    tcase_add_test(tc, test_survey_child_arguments);
    suite_add_tcase(s, tc);
    return test_run_suite(s, CK_FORK_GETENV);
}
