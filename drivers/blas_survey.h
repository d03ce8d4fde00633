/* blas_survey.h: sgemm at the GCN's shapes with every BLAS this machine can run, for
 * gcnperf's honest bound.
 *
 * A bound built from the sgemm rate of the library the epoch uses passes however slow that
 * library is (Debian's OpenBLAS ran 11 GFLOP/s single-threaded on a Zen VM where BLIS ran
 * 60). So the survey times each shape with OpenBLAS under every kernel set the CPU supports
 * (each in a child process: OpenBLAS reads OPENBLAS_CORETYPE only when it loads) and with
 * BLIS when it loads, and the bound takes the best. */
#ifndef GCNRUN_BLAS_SURVEY_H
#define GCNRUN_BLAS_SURVEY_H

#include <stddef.h>

#define GCN_SURVEY_MAX_SHAPES 24
#define GCN_SURVEY_MAX_ROWS 8

/* One product: row-major (m x k)(k x n), or A^T B with A stored (k x m) when trans_a. */
struct gcn_gemm_shape {
    size_t m, k, n;
    int trans_a;
};

/* One library and kernel set: its best-of-reps seconds per shape. */
struct gcn_survey_row {
    char name[48];                           /* "openblas SkylakeX", "blis skx" */
    double seconds[GCN_SURVEY_MAX_SHAPES];   /* per shape, NAN when it could not run */
};

/* Seconds of one product with the current backend (gcn/blas.h), best of reps; NAN when
 * out of memory. */
double gcn_gemm_seconds(const struct gcn_gemm_shape *s, int reps);

/* Times every shape with: OpenBLAS as loaded, OpenBLAS with every other kernel set this CPU
 * supports (children: this program run as `PROGRAM --sgemm-child ...`), and BLIS when it loads. rows
 * receives at most GCN_SURVEY_MAX_ROWS rows; *n_rows says how many. A kernel set whose child
 * fails is left out (with a note on stderr). Leaves the current backend as it found it.
 * Errors: more than GCN_SURVEY_MAX_SHAPES shapes. */
int gcn_blas_survey(struct gcn_survey_row *rows, size_t *n_rows,
                    const struct gcn_gemm_shape *shapes, size_t n_shapes, int threads,
                    int reps);

/* The child's side: when argv[1] is "--sgemm-child", times the shapes given in argv with
 * the OpenBLAS this process loaded, prints the seconds on one line and returns the exit
 * code (0, or 2 on malformed arguments); returns -1 when argv is not a child's. */
int gcn_blas_survey_child(int argc, char **argv);

#endif
