/* aggregate.c: Â X computed once, in place (see aggregate.h). */
#include "aggregate.h"

#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "parallel.h"
#include "spmm_plan.h"

/* Feature columns per pass: the SpMM plan's pass width (48 floats, spmm_run.c), and a
 * scratch block of n * 192 bytes. */
#define AGG_COLUMNS 48

int gcn_dataset_aggregate_features(struct gcn_dataset *ds)
{
    if (ds->x_aggregated)
        return gcn_fail("internal error: the features of '%s' are already aggregated",
                        ds->name);
    float *dinv;
    void *plan;
    if (gcn_spmm_plan_propagation(&plan, &dinv, &ds->adj) != GCN_OK)
        return GCN_ERR;
    const size_t n = ds->n, f = ds->f, panels = gcn_spmm_plan_panels(plan);
    const size_t width = f < AGG_COLUMNS ? f : AGG_COLUMNS;
    float *tmp = gcn_alloc_array(n, width * sizeof *tmp);
    if (!tmp) {
        free(plan);
        free(dinv);
        return gcn_fail("out of memory: aggregating the features needs %.1f MiB of scratch",
                        (double)n * (double)width * 4.0 / 1048576.0);
    }
    for (size_t c0 = 0; c0 < f; c0 += width) {
        const size_t w = f - c0 < width ? f - c0 : width;
#pragma omp parallel for schedule(dynamic, 1)
        for (long p = 0; p < (long)panels; p++)
            gcn_spmm_plan_run(tmp, plan, dinv, dinv, ds->x + c0, f, w, (size_t)p,
                              (size_t)p + 1);
        /* every row of the block is read above before any is overwritten here */
#pragma omp parallel for schedule(static)
        for (long i = 0; i < (long)n; i++)
            memcpy(ds->x + (size_t)i * f + c0, tmp + (size_t)i * w, w * sizeof *tmp);
    }
    free(tmp);
    free(plan);
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
