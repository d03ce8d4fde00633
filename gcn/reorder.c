/* reorder.c: node renumbering for memory locality (see reorder.h). */
#include "reorder.h"

#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "parallel.h"
#include "partition.h"

static int cmp_i32(const void *a, const void *b)
{
    const int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    return (x > y) - (x < y);
}

/* out: adj with rows and columns renumbered (new row i = old row order[i], column c becomes
 * inv[c]), columns sorted again. */
static int permute_csr(struct gcn_csr *out, const struct gcn_csr *adj, const int32_t *order,
                       const int32_t *inv)
{
    const size_t n = adj->n_rows;
    out->n_rows = n;
    out->n_cols = adj->n_cols;
    out->nnz = adj->nnz;
    out->rowptr = gcn_alloc_array(n + 1, sizeof *out->rowptr);
    out->col = gcn_alloc_array(adj->nnz, sizeof *out->col);
    if (!out->rowptr || !out->col) {
        gcn_csr_free(out);
        return gcn_fail("reorder: out of memory for the renumbered graph (%zu edges)",
                        adj->nnz);
    }
    out->rowptr[0] = 0;
    for (size_t i = 0; i < n; i++)
        out->rowptr[i + 1] = out->rowptr[i] + adj->rowptr[order[i] + 1] - adj->rowptr[order[i]];
#pragma omp parallel for schedule(dynamic, 256)
    for (size_t i = 0; i < n; i++) {
        const int64_t src = adj->rowptr[order[i]], len = out->rowptr[i + 1] - out->rowptr[i];
        int32_t *dst = out->col + out->rowptr[i];
        for (int64_t k = 0; k < len; k++)
            dst[k] = inv[adj->col[src + k]];
        qsort(dst, (size_t)len, sizeof *dst, cmp_i32);
    }
    return GCN_OK;
}

/* x (n, f): new row i = old row order[i], moved along the permutation's cycles with one row
 * of scratch (no second copy of the features). */
static int permute_rows(float *x, size_t n, size_t f, const int32_t *order)
{
    float *tmp = gcn_alloc_array(f, sizeof *tmp);
    uint8_t *done = calloc(n ? n : 1, 1);
    if (!tmp || !done) {
        free(tmp);
        free(done);
        return gcn_fail("reorder: out of memory for the feature permutation");
    }
    const size_t row = f * sizeof *x;
    for (size_t s = 0; s < n; s++) {
        if (done[s] || (size_t)order[s] == s)
            continue;
        memcpy(tmp, x + s * f, row);
        size_t j = s;
        for (;;) {
            done[j] = 1;
            const size_t k = (size_t)order[j];
            if (k == s) {
                memcpy(x + j * f, tmp, row);
                break;
            }
            memcpy(x + j * f, x + k * f, row);
            j = k;
        }
    }
    free(tmp);
    free(done);
    return GCN_OK;
}

int gcn_dataset_permute(struct gcn_dataset *ds, const int32_t *order)
{
    const size_t n = ds->n;
    int status = GCN_ERR;
    struct gcn_csr adj = { 0 };
    int32_t *inv = gcn_alloc_array(n, sizeof *inv), *y = gcn_alloc_array(n, sizeof *y);
    uint8_t *split = gcn_alloc_array(n, sizeof *split);
    if (!inv || !y || !split) {
        gcn_fail("reorder: out of memory for the renumbering of %zu nodes", n);
        goto done;
    }
    for (size_t i = 0; i < n; i++)
        inv[order[i]] = (int32_t)i;
    if (permute_csr(&adj, &ds->adj, order, inv) != GCN_OK)
        goto done;
    if (permute_rows(ds->x, n, ds->f, order) != GCN_OK) {
        gcn_csr_free(&adj);
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        y[i] = ds->y[order[i]];
        split[i] = ds->split[order[i]];
    }
    memcpy(ds->y, y, n * sizeof *y);
    memcpy(ds->split, split, n * sizeof *split);
    gcn_csr_free(&ds->adj);
    ds->adj = adj;
    status = GCN_OK;
done:
    free(inv);
    free(y);
    free(split);
    return status;
}

int gcn_dataset_reorder(struct gcn_dataset *ds, enum gcn_reorder_kind kind, size_t block,
                        uint64_t seed)
{
    if (kind == GCN_REORDER_NONE || ds->n < 2)
        return GCN_OK;
    if (block < 1)
        return gcn_fail("reorder: block must be at least 1 node");
    size_t parts = (ds->n + block - 1) / block;
    if (parts < 2)
        return GCN_OK; /* one cluster: the order would not change */
    struct gcn_partitioning part;
    if (gcn_partition(&part, &ds->adj, parts, GCN_PARTITION_METIS, seed) != GCN_OK)
        return gcn_fail_prefix("reorder metis");
    /* part.rows lists the nodes cluster after cluster, ascending inside each: the order */
    const int status = gcn_dataset_permute(ds, part.rows);
    gcn_partitioning_free(&part);
    return status;
}
