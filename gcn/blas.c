/* blas.c: OpenBLAS or BLIS behind one sgemm (see blas.h).
 *
 * BLIS is reached through its typed API (bli_sgemm: 64-bit dimensions and explicit row and
 * column strides, so row-major needs no transposition trick), loaded RTLD_LOCAL: its own
 * BLAS/CBLAS symbols (sgemm_, cblas_sgemm) stay out of the global scope and never replace
 * OpenBLAS's, which the rest of the process keeps using; only bli_* symbols, which OpenBLAS
 * does not define, are looked up in it. (Not RTLD_DEEPBIND: AddressSanitizer refuses it.) */
#include "blas.h"

#include <cblas.h>
#include <dlfcn.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "train.h"

char *openblas_get_corename(void);
char *openblas_get_config(void);

/* BLIS 0.9's typed gemm (blis.h, bli_l3_tapi.h): trans_t is an enum whose transpose value is
 * BLIS_TRANS_BIT = 1 << 3; dim_t and inc_t are 64-bit on x86-64. */
typedef void (*bli_sgemm_fn)(int transa, int transb, int64_t m, int64_t n, int64_t k,
                             const float *alpha, const float *a, int64_t rs_a, int64_t cs_a,
                             const float *b, int64_t rs_b, int64_t cs_b, const float *beta,
                             float *c, int64_t rs_c, int64_t cs_c);
#define BLIS_NO_TRANS 0x0
#define BLIS_TRANS (1 << 3)

static struct {
    void *handle;                            /* dlopen'ed libblis.so.4, NULL when not loaded */
    bli_sgemm_fn sgemm;
    void (*set_threads)(int64_t);
    int (*arch_query_id)(void);
    const char *(*arch_string)(int);
    const char *(*version)(void);
} blis;

static enum gcn_blas_backend current = GCN_BLAS_OPENBLAS;

/* Debian installs BLIS under an alternatives link; the variants' own paths come second. */
static const char *const blis_names[] = {
    "libblis.so.4",
    "/usr/lib/x86_64-linux-gnu/blis-pthread/libblis.so.4",
    "/usr/lib/x86_64-linux-gnu/blis-openmp/libblis.so.4",
    "/usr/lib/x86_64-linux-gnu/blis-serial/libblis.so.4",
    NULL
};

const char *gcn_blas_backend_name(enum gcn_blas_backend b)
{
    return b == GCN_BLAS_BLIS ? "blis" : "openblas";
}

int gcn_cpu_vector_level(void)
{
#if defined(__x86_64__) || defined(__i386__)
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
        __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl"))
        return 2;
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
        return 1;
#endif
    return 0;
}

/* BLIS 0.9 predates Sapphire Rapids and later Xeons and gives them its haswell (AVX2)
 * kernels; its skx kernels run there (measured: 95-107 GFLOP/s against 62-67 at the GCN's
 * shape). BLIS reads BLIS_ARCH_TYPE once, at its first call, so this runs before that. */
static void blis_pick_arch(void)
{
#if defined(__x86_64__)
    if (getenv("BLIS_ARCH_TYPE"))
        return; /* the user's choice */
    if (gcn_cpu_vector_level() == 2 && __builtin_cpu_is("intel"))
        setenv("BLIS_ARCH_TYPE", "0", 0); /* BLIS 0.9 reads a number (strtol): arch_t's
                                            * first value, BLIS_ARCH_SKX; test_blas checks
                                            * that BLIS then reports "skx" */
#endif
}

int gcn_blas_load_blis(void)
{
    if (blis.handle)
        return GCN_OK;
    void *h = NULL;
    for (size_t i = 0; blis_names[i] && !h; i++)
        h = dlopen(blis_names[i], RTLD_NOW | RTLD_LOCAL);
    if (!h)
        return gcn_fail("BLIS: no libblis.so.4 could be loaded (install Debian's "
                        "libblis4-pthread, or set [train] blas = openblas)");
    blis.sgemm = (bli_sgemm_fn)dlsym(h, "bli_sgemm");
    blis.set_threads = (void (*)(int64_t))dlsym(h, "bli_thread_set_num_threads");
    blis.arch_query_id = (int (*)(void))dlsym(h, "bli_arch_query_id");
    blis.arch_string = (const char *(*)(int))dlsym(h, "bli_arch_string");
    blis.version = (const char *(*)(void))dlsym(h, "bli_info_get_version_str");
    if (!blis.sgemm || !blis.set_threads || !blis.arch_query_id || !blis.arch_string ||
        !blis.version) {
        dlclose(h);
        memset(&blis, 0, sizeof blis);
        return gcn_fail("BLIS: the loaded libblis.so.4 lacks the BLIS 0.9 typed API "
                        "(bli_sgemm); set [train] blas = openblas");
    }
    void (*init)(void) = (void (*)(void))dlsym(h, "bli_init");
    blis_pick_arch();
    if (init)
        init(); /* bli_arch_query_id does not initialize BLIS itself */
    blis.handle = h;
    return GCN_OK;
}

int gcn_blas_use(enum gcn_blas_backend b)
{
    if (b == GCN_BLAS_BLIS && !blis.handle)
        return gcn_fail("BLIS is not loaded");
    if ((unsigned)b >= GCN_BLAS_COUNT)
        return gcn_fail("unknown BLAS backend %d", (int)b);
    current = b;
    return GCN_OK;
}

enum gcn_blas_backend gcn_blas_current(void)
{
    return current;
}

const char *gcn_blas_kernels(void)
{
    if (current == GCN_BLAS_BLIS)
        return blis.arch_string(blis.arch_query_id());
    const char *core = openblas_get_corename();
    return core ? core : "unknown";
}

const char *gcn_blas_version(void)
{
    static _Thread_local char text[64];
    if (current == GCN_BLAS_BLIS)
        snprintf(text, sizeof text, "BLIS %s", blis.version());
    else { /* "OpenBLAS 0.3.21 NO_LAPACKE DYNAMIC_ARCH ...": keep name and version */
        const char *cfg = openblas_get_config();
        const size_t name = strcspn(cfg, " ");
        const size_t ver = cfg[name] ? strcspn(cfg + name + 1, " ") : 0;
        snprintf(text, sizeof text, "%.*s", (int)(name + 1 + ver), cfg);
    }
    return text;
}

void gcn_blas_set_threads(int n)
{
    openblas_set_num_threads(n);
    if (blis.handle)
        blis.set_threads(n);
}

void gcn_sgemm(int trans_a, int trans_b, size_t m, size_t n, size_t k, float alpha,
               const float *a, size_t lda, const float *b, size_t ldb, float beta, float *c,
               size_t ldc)
{
    if (m == 0 || n == 0)
        return;
    if (current == GCN_BLAS_BLIS) {
        /* a stored operand is row-major with leading dimension ld: row stride ld, column
         * stride 1, whichever way it is used */
        blis.sgemm(trans_a ? BLIS_TRANS : BLIS_NO_TRANS, trans_b ? BLIS_TRANS : BLIS_NO_TRANS,
                   (int64_t)m, (int64_t)n, (int64_t)k, &alpha, a, (int64_t)lda, 1, b,
                   (int64_t)ldb, 1, &beta, c, (int64_t)ldc, 1);
        return;
    }
    cblas_sgemm(CblasRowMajor, trans_a ? CblasTrans : CblasNoTrans,
                trans_b ? CblasTrans : CblasNoTrans, (blasint)m, (blasint)n, (blasint)k, alpha,
                a, (blasint)lda, b, (blasint)ldb, beta, c, (blasint)ldc);
}

/* The probe's shapes: a row block of the GCN's layer 1, forward (rows x d_in)(d_in x h)
 * and weight gradient (d_in x rows)(rows x h). 8192 rows keep it tall and skinny like a
 * partition's block (the shape where OpenBLAS's single-thread path is slow on Zen) while
 * one round stays near 0.02 s at 100 GFLOP/s (0.25 s in all on this Xeon). */
#define PROBE_ROWS 8192
#define PROBE_IN 512
#define PROBE_OUT 128

/* Rounds of the probe: each round times both backends once, back to back, so a slow spell
 * of a shared machine hits both; the first round warms up and is not counted. */
#define PROBE_ROUNDS 6

/* Seconds of one forward + dW product pair with the current backend. */
static double probe_once(float *x, float *w, float *z, float *dw)
{
    const double t0 = gcn_now_s();
    gcn_sgemm(0, 0, PROBE_ROWS, PROBE_OUT, PROBE_IN, 1.0f, x, PROBE_IN, w, PROBE_OUT, 0.0f, z,
              PROBE_OUT);
    gcn_sgemm(1, 0, PROBE_IN, PROBE_OUT, PROBE_ROWS, 1.0f, x, PROBE_IN, z, PROBE_OUT, 0.0f, dw,
              PROBE_OUT);
    return gcn_now_s() - t0;
}

static int probe_both(struct gcn_blas_probe *p)
{
    float *x = malloc(sizeof(float) * PROBE_ROWS * PROBE_IN);
    float *w = malloc(sizeof(float) * PROBE_IN * PROBE_OUT);
    float *z = malloc(sizeof(float) * PROBE_ROWS * PROBE_OUT);
    float *dw = malloc(sizeof(float) * PROBE_IN * PROBE_OUT);
    if (!x || !w || !z || !dw) {
        free(x), free(w), free(z), free(dw);
        return gcn_fail("out of memory for the BLAS probe");
    }
    for (size_t i = 0; i < (size_t)PROBE_ROWS * PROBE_IN; i++)
        x[i] = (float)(i % 13) * 0.01f;
    for (size_t i = 0; i < (size_t)PROBE_IN * PROBE_OUT; i++)
        w[i] = (float)(i % 7) * 0.01f;
    gcn_blas_set_threads(1);
    const double t0 = gcn_now_s(), flop = 4.0 * PROBE_ROWS * PROBE_IN * PROBE_OUT;
    double best[GCN_BLAS_COUNT] = { INFINITY, INFINITY };
    for (int round = 0; round < PROBE_ROUNDS; round++)
        for (int b = 0; b < GCN_BLAS_COUNT; b++) {
            current = (enum gcn_blas_backend)b;
            const double t = probe_once(x, w, z, dw);
            if (round > 0 && t > 0 && t < best[b])
                best[b] = t;
        }
    for (int b = 0; b < GCN_BLAS_COUNT; b++)
        p->gflops[b] = flop / best[b] / 1e9;
    p->probe_s = gcn_now_s() - t0;
    free(x), free(w), free(z), free(dw);
    return GCN_OK;
}

enum gcn_blas_backend gcn_blas_probe_pick(const struct gcn_blas_probe *p)
{
    return p->available[GCN_BLAS_BLIS] &&
                   p->gflops[GCN_BLAS_BLIS] > GCN_BLAS_PROBE_MARGIN * p->gflops[GCN_BLAS_OPENBLAS]
               ? GCN_BLAS_BLIS
               : GCN_BLAS_OPENBLAS;
}

int gcn_blas_select(enum gcn_blas_choice want, struct gcn_blas_probe *probe)
{
    struct gcn_blas_probe local;
    struct gcn_blas_probe *p = probe ? probe : &local;
    memset(p, 0, sizeof *p);
    p->available[GCN_BLAS_OPENBLAS] = 1;
    if (want == GCN_BLAS_USE_OPENBLAS)
        return gcn_blas_use(GCN_BLAS_OPENBLAS);
    if (want == GCN_BLAS_USE_BLIS) {
        if (gcn_blas_load_blis() != GCN_OK)
            return GCN_ERR;
        p->available[GCN_BLAS_BLIS] = 1;
        return gcn_blas_use(GCN_BLAS_BLIS);
    }
    if (gcn_blas_load_blis() != GCN_OK)
        return gcn_blas_use(GCN_BLAS_OPENBLAS); /* auto without BLIS: nothing to compare */
    p->available[GCN_BLAS_BLIS] = 1;
    if (probe_both(p) != GCN_OK) /* no memory for the probe: OpenBLAS always works */
        return gcn_blas_use(GCN_BLAS_OPENBLAS);
    return gcn_blas_use(gcn_blas_probe_pick(p));
}
