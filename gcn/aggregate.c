/* aggregate.c: Â X computed once, in place (see aggregate.h). */
#include "aggregate.h"

#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "graph.h"
#include "kernels.h"
#include "parallel.h"

/* Feature columns per pass: one 256-byte segment of each gathered row, and a scratch block
 * of n * 256 bytes. */
#define AGG_COLUMNS 64
/* Rows per OpenMP work item: enough to amortize the scheduling, few enough to balance. */
#define AGG_ROWS 1024

int gcn_dataset_aggregate_features(struct gcn_dataset *ds)
{
    if (ds->x_aggregated)
        return gcn_fail("internal error: the features of '%s' are already aggregated",
                        ds->name);
    struct gcn_csr prop = { 0 };
    float *dinv = NULL;
    if (gcn_propagation_build(&prop, &dinv, &ds->adj) != GCN_OK)
        return GCN_ERR;
    const size_t n = ds->n, f = ds->f;
    const size_t width = f < AGG_COLUMNS ? f : AGG_COLUMNS;
    float *tmp = gcn_alloc_array(n, width * sizeof *tmp);
    if (!tmp) {
        gcn_csr_free(&prop);
        free(dinv);
        return gcn_fail("out of memory: aggregating the features needs %.1f MiB of scratch",
                        (double)n * (double)width * 4.0 / 1048576.0);
    }
    for (size_t c0 = 0; c0 < f; c0 += width) {
        const size_t w = f - c0 < width ? f - c0 : width;
        const long chunks = (long)((n + AGG_ROWS - 1) / AGG_ROWS);
#pragma omp parallel for schedule(dynamic, 4)
        for (long k = 0; k < chunks; k++) {
            const size_t r0 = (size_t)k * AGG_ROWS;
            const size_t rows = n - r0 < AGG_ROWS ? n - r0 : AGG_ROWS;
            gcn_spmm_sym(tmp + r0 * w, prop.rowptr + r0, prop.col, dinv + r0, dinv, ds->x + c0,
                         f, rows, w);
        }
        /* every row of the block is read above before any is overwritten here */
#pragma omp parallel for schedule(static)
        for (long i = 0; i < (long)n; i++)
            memcpy(ds->x + (size_t)i * f + c0, tmp + (size_t)i * w, w * sizeof *tmp);
    }
    free(tmp);
    gcn_csr_free(&prop);
    free(dinv);
    ds->x_aggregated = 1;
    return GCN_OK;
}

int gcn_aggregate_check_dropout(const struct gcn_dataset *ds, float dropout)
{
    if (ds->x_aggregated && dropout > 0.0f)
        return gcn_fail("the features are aggregated once (Â X) but dropout is %g: dropout on "
                        "the input needs the per-epoch aggregation", (double)dropout);
    return GCN_OK;
}
