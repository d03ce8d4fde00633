/* blas.h: the backend of the GCN's dense products: OpenBLAS (linked) or BLIS (Debian's
 * libblis4-*, loaded with dlopen at run time, so one binary serves both and runs without
 * BLIS installed).
 *
 * Why two: measured with one thread at the GCN's shape (232965 x 602)(602 x 128), Debian 12's
 * OpenBLAS 0.3.21 runs 11-12 GFLOP/s on a 2-core AMD EPYC (Zen) VM where BLIS 0.9 runs 33-63;
 * on an AVX-512 Xeon, OpenBLAS's SkylakeX kernels run 80-124 and BLIS's skx kernels about
 * the same. Which is faster is a property of the machine, so `auto` measures both on a short
 * probe at start (gcn_blas_select) and keeps BLIS only when it is clearly faster; the choice is process-wide and made
 * before any product runs. Every backend runs with the thread count gcn_blas_set_threads
 * gives (1 inside StarPU tasks and in the sequential baseline by default). */
#ifndef GCN_BLAS_H
#define GCN_BLAS_H

#include <stddef.h>

enum gcn_blas_backend {
    GCN_BLAS_OPENBLAS, /* linked, always available */
    GCN_BLAS_BLIS,     /* dlopen'ed; available when a libblis.so.4 loads */
    GCN_BLAS_COUNT
};

/* [train] blas = auto | openblas | blis, in that order (drivers/config.c names them) */
enum gcn_blas_choice {
    GCN_BLAS_AUTO,         /* probe both, keep the faster */
    GCN_BLAS_USE_OPENBLAS, /* OpenBLAS only */
    GCN_BLAS_USE_BLIS      /* BLIS; an error when it cannot be loaded */
};

/* What gcn_blas_select found: the probe's rates (0 where not measured). */
struct gcn_blas_probe {
    int available[GCN_BLAS_COUNT];  /* 1 when the backend could be used */
    double gflops[GCN_BLAS_COUNT];  /* probe rate, GFLOP/s (forward + dW shapes), 0 = not run */
    double probe_s;                 /* wall time the probe took */
};

/* BLIS must beat OpenBLAS by this factor on the probe to be picked. Where the two are close
 * (the AVX-512 Xeon: 78-106 against 86-127 GFLOP/s, run to run) a bare comparison flipped
 * between runs of one benchmark matrix, and the two round differently; either is within the
 * 85 % of the best the issue asks for. Where BLIS is far ahead (Zen: 3x) it wins. */
#define GCN_BLAS_PROBE_MARGIN 1.15

/* The backend a probe's rates choose: BLIS when available and more than
 * GCN_BLAS_PROBE_MARGIN times faster than OpenBLAS, else OpenBLAS. */
enum gcn_blas_backend gcn_blas_probe_pick(const struct gcn_blas_probe *p);

/* Makes the backend the products use. AUTO loads BLIS when it can and, when both are
 * available, times both on the GCN's shapes (single-threaded, about 0.1-0.5 s) and keeps
 * the one gcn_blas_probe_pick names; OPENBLAS needs nothing; BLIS fails (GCN_ERR, message names the package) when
 * no libblis.so.4 loads. On an Intel CPU with AVX-512 that BLIS 0.9 does not recognize, BLIS
 * is told to use its skx kernels (BLIS_ARCH_TYPE, unless the user set it). probe may be NULL.
 * Call once at start, before any thread runs a product. */
int gcn_blas_select(enum gcn_blas_choice want, struct gcn_blas_probe *probe);

/* Switches to a backend gcn_blas_select (or gcn_blas_load_blis) made available: for
 * benchmarks and tests that compare backends. GCN_ERR when it is not available. */
int gcn_blas_use(enum gcn_blas_backend b);

/* Loads BLIS if it is not loaded yet; GCN_ERR with a message when it cannot be. It may set
 * BLIS_ARCH_TYPE (setenv): call it, like gcn_blas_select, before other threads run. */
int gcn_blas_load_blis(void);

/* The CPU's vector level, for choosing kernel sets: 2 = AVX-512 F, BW, DQ and VL (OpenBLAS's
 * SkylakeX, BLIS's skx), 1 = AVX2 with FMA (Haswell), 0 = neither or not x86. */
int gcn_cpu_vector_level(void);

enum gcn_blas_backend gcn_blas_current(void);
const char *gcn_blas_backend_name(enum gcn_blas_backend b); /* "openblas", "blis" */
/* The current backend's kernel set ("SkylakeX", "skx", "zen3", ...) and version text (a
 * per-thread buffer, valid until the thread's next call). */
const char *gcn_blas_kernels(void);
const char *gcn_blas_version(void);

/* Threads the current backend's products use (both backends keep their own setting; this
 * sets both). */
void gcn_blas_set_threads(int n);

/* Row-major C (m, n) = alpha op(A) op(B) + beta C, op = transpose when trans_* is nonzero:
 * A is (m, k) with leading dimension lda, or (k, m) when transposed; B likewise (k, n) or
 * (n, k). Sizes must fit the backend's integers (checked by the callers' shapes: the GCN's
 * fit in 32 bits). */
void gcn_sgemm(int trans_a, int trans_b, size_t m, size_t n, size_t k, float alpha,
               const float *a, size_t lda, const float *b, size_t ldb, float beta, float *c,
               size_t ldc);

#endif
