/* blas_survey.c: every BLAS and kernel set at the GCN's shapes (see blas_survey.h). */
#include "blas_survey.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "base/error.h"
#include "gcn/blas.h"
#include "gcn/train.h"

char *openblas_get_corename(void);

double gcn_gemm_seconds(const struct gcn_gemm_shape *s, int reps)
{
    float *a = malloc(s->m * s->k * sizeof *a), *b = malloc(s->k * s->n * sizeof *b),
          *c = calloc(s->m * s->n, sizeof *c);
    if (!a || !b || !c) {
        free(a), free(b), free(c);
        return NAN;
    }
    for (size_t i = 0; i < s->m * s->k; i++)
        a[i] = (float)(i % 7) * 0.1f;
    for (size_t i = 0; i < s->k * s->n; i++)
        b[i] = (float)(i % 5) * 0.1f;
    double best = INFINITY;
    for (int r = 0; r < reps; r++) {
        const double t0 = gcn_now_s();
        if (s->trans_a) /* A stored (k x m): the weight gradient's in^T dout */
            gcn_sgemm(1, 0, s->m, s->n, s->k, 1.0f, a, s->m, b, s->n, 0.0f, c, s->n);
        else
            gcn_sgemm(0, 0, s->m, s->n, s->k, 1.0f, a, s->k, b, s->n, 0.0f, c, s->n);
        const double t = gcn_now_s() - t0;
        best = t < best ? t : best;
    }
    free(a), free(b), free(c);
    return best;
}

/* OpenBLAS kernel sets worth timing on this CPU, best first. */
static size_t core_candidates(const char **out)
{
    size_t n = 0;
#if defined(__x86_64__)
    const int level = gcn_cpu_vector_level();
    if (level == 2)
        out[n++] = "SkylakeX";
    if (level >= 1) {
        out[n++] = "Haswell";
        if (__builtin_cpu_is("amd"))
            out[n++] = "Zen";
    }
    if (__builtin_cpu_supports("avx"))
        out[n++] = "Sandybridge";
    out[n++] = "Prescott";
#endif
    return n;
}

static void time_all(struct gcn_survey_row *row, const struct gcn_gemm_shape *shapes,
                     size_t n_shapes, int reps)
{
    for (size_t i = 0; i < n_shapes; i++)
        row->seconds[i] = gcn_gemm_seconds(&shapes[i], reps);
}

/* Runs one child with OPENBLAS_CORETYPE=core; 0 and a filled row when it answered. */
static int survey_child(struct gcn_survey_row *row, const char *core,
                        const struct gcn_gemm_shape *shapes, size_t n_shapes, int threads,
                        int reps, const char *exe)
{
    char cmd[4096];
    int len = snprintf(cmd, sizeof cmd, "OPENBLAS_CORETYPE=%s exec '%s' --sgemm-child %d %d",
                       core, exe, threads, reps);
    for (size_t i = 0; i < n_shapes && len > 0 && (size_t)len < sizeof cmd; i++)
        len += snprintf(cmd + len, sizeof cmd - (size_t)len, " %zu:%zu:%zu:%d", shapes[i].m,
                        shapes[i].k, shapes[i].n, shapes[i].trans_a);
    if (len <= 0 || (size_t)len >= sizeof cmd || strchr(exe, '\''))
        return -1;
    FILE *p = popen(cmd, "r");
    if (!p)
        return -1;
    char got[32] = "";
    int ok = fscanf(p, "%31s", got) == 1;
    for (size_t i = 0; ok && i < n_shapes; i++)
        ok = fscanf(p, "%lf", &row->seconds[i]) == 1;
    ok = (pclose(p) == 0) && ok;
    snprintf(row->name, sizeof row->name, "openblas %s", got);
    return ok ? 0 : -1;
}

int gcn_blas_survey(struct gcn_survey_row *rows, size_t *n_rows,
                    const struct gcn_gemm_shape *shapes, size_t n_shapes, int threads,
                    int reps)
{
    *n_rows = 0;
    char exe[PATH_MAX]; /* this program, for the children (the shell would be /proc/self) */
    const ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
    exe[len > 0 ? len : 0] = '\0';
    if (n_shapes > GCN_SURVEY_MAX_SHAPES)
        return gcn_fail("BLAS survey: %zu shapes, at most %d", n_shapes,
                        GCN_SURVEY_MAX_SHAPES);
    const enum gcn_blas_backend was = gcn_blas_current();
    gcn_blas_use(GCN_BLAS_OPENBLAS);
    gcn_blas_set_threads(threads);
    struct gcn_survey_row *row = &rows[(*n_rows)++];
    snprintf(row->name, sizeof row->name, "openblas %s", openblas_get_corename());
    time_all(row, shapes, n_shapes, reps);

    const char *cores[8];
    const size_t n_cores = core_candidates(cores);
    for (size_t i = 0; i < n_cores && exe[0] && *n_rows < GCN_SURVEY_MAX_ROWS - 1; i++) {
        if (strcasecmp(cores[i], openblas_get_corename()) == 0)
            continue;
        if (survey_child(&rows[*n_rows], cores[i], shapes, n_shapes, threads, reps, exe) == 0)
            (*n_rows)++;
        else
            fprintf(stderr, "gcnperf: note: OpenBLAS with OPENBLAS_CORETYPE=%s could not be "
                            "timed; left out of the bound\n", cores[i]);
    }
    if (gcn_blas_load_blis() == GCN_OK) {
        gcn_blas_use(GCN_BLAS_BLIS);
        gcn_blas_set_threads(threads);
        row = &rows[(*n_rows)++];
        snprintf(row->name, sizeof row->name, "blis %s", gcn_blas_kernels());
        time_all(row, shapes, n_shapes, reps);
    } else {
        fprintf(stderr, "gcnperf: note: %s; BLIS is left out of the bound\n", gcn_last_error());
    }
    gcn_blas_use(was);
    return GCN_OK;
}

int gcn_blas_survey_child(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--sgemm-child") != 0)
        return -1;
    if (argc < 4 || argc - 4 > GCN_SURVEY_MAX_SHAPES)
        return 2;
    const int threads = atoi(argv[2]), reps = atoi(argv[3]);
    if (threads < 1 || reps < 1)
        return 2;
    gcn_blas_set_threads(threads);
    printf("%s", openblas_get_corename());
    for (int i = 4; i < argc; i++) {
        struct gcn_gemm_shape s;
        if (sscanf(argv[i], "%zu:%zu:%zu:%d", &s.m, &s.k, &s.n, &s.trans_a) != 4)
            return 2;
        printf(" %.9g", gcn_gemm_seconds(&s, reps));
    }
    printf("\n");
    return 0;
}
