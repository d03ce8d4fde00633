/* dataset.c: the DGL raw-layout loader and small dataset utilities (see dataset.h).
 *
 * NAME_data.npz holds `feature` (N, F), `label` (N,) and `node_types` (N,) with 1 train,
 * 2 val, 3 test, 0 unused; NAME_graph.npz is scipy.sparse.save_npz output in COO (`row`,
 * `col`) or CSR (`indptr`, `indices`) form with `shape` and `format`; its `data` values are
 * never read (the adjacency is a pattern). Every array is validated before it is used and each
 * failure leaves one line "FILE: problem; fix". Large arrays are not copied where the dtype
 * allows (float32 features are moved; edge lists are read in their stored int32/int64 dtype
 * and bucketed straight into the CSR) and the COO arrays are freed as soon as the CSR exists,
 * so the peak stays near the size of the final dataset plus one stored edge list. Labels are
 * capped at GCN_MAX_CLASSES classes so that a stray huge label cannot make later layers
 * allocate gigabytes. */
#include "dataset.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef _OPENMP
#include <omp.h>
#endif

#include "base/error.h"
#include "parallel.h"
#include "npz.h"

#define GCN_MAX_CLASSES 1000000 /* labels must be below this */

/* gcn_fail with "path: " in front. */
static int fail_file(const char *path, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int fail_file(const char *path, const char *fmt, ...)
{
    char msg[900];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return gcn_fail("%s: %s", path, msg);
}

/* "(2708, 1433)" into buf. */
static const char *shape_str(const struct gcn_npy *a, char *buf, size_t size)
{
    size_t used = (size_t)snprintf(buf, size, "(");
    for (size_t i = 0; i < a->ndim && used < size; i++)
        used += (size_t)snprintf(buf + used, size - used, i ? ", %zu" : "%zu", a->shape[i]);
    if (used < size)
        snprintf(buf + used, size - used, a->ndim == 1 ? ",)" : ")");
    return buf;
}

#define DATA_KEYS_HINT "a DGL NAME_data.npz needs 'feature', 'label' and 'node_types'"
#define GRAPH_KEYS_HINT "save the graph with scipy.sparse.save_npz (COO: 'row', 'col'; CSR: " \
                        "'indptr', 'indices'; both with 'shape' and 'format')"

/* gcn_npz_read, with hint appended to the message when the key is missing. */
static int read_key(struct gcn_npy *a, struct gcn_npz *z, const char *key, const char *hint)
{
    if (gcn_npz_read(z, key, a) == GCN_OK)
        return GCN_OK;
    if (!gcn_npz_has(z, key)) {
        char msg[1024];
        snprintf(msg, sizeof msg, "%s", gcn_last_error());
        return gcn_fail("%s; %s", msg, hint);
    }
    return GCN_ERR;
}

/* Reads key from z and checks it is a 1-D array of n entries (n == SIZE_MAX: any length);
 * `expect` completes "but ..." in the mismatch message, e.g. "'feature' has 6 rows". */
static int read_vector(struct gcn_npy *a, struct gcn_npz *z, const char *key, size_t n,
                       const char *expect, const char *hint)
{
    if (read_key(a, z, key, hint) != GCN_OK)
        return GCN_ERR;
    char s[128];
    if (a->ndim != 1)
        return fail_file(gcn_npz_path(z), "key '%s' has shape %s, expected a 1-D array; save it "
                         "flattened (arr.reshape(-1))",
                         key, shape_str(a, s, sizeof s));
    if (n != SIZE_MAX && a->shape[0] != n)
        return fail_file(gcn_npz_path(z), "shape mismatch: key '%s' has %zu entries but %s",
                         key, a->shape[0], expect);
    return GCN_OK;
}

/* Moves an integer array into int64; a float array is named as the problem. */
static int take_ints(int64_t **out, struct gcn_npy *a, const char *path, const char *key)
{
    char d[32];
    if (a->dtype == GCN_NPY_F4 || a->dtype == GCN_NPY_F8 || a->dtype == GCN_NPY_STR)
        return fail_file(path, "key '%s' has dtype '%s' but must hold integers; re-save it "
                               "with arr.astype('int64')",
                         key, gcn_npy_dtype_str(a, d, sizeof d));
    if (gcn_npy_take_i64(out, a) != GCN_OK)
        return gcn_fail_prefix(path);
    return GCN_OK;
}

static int load_features(struct gcn_dataset *ds, struct gcn_npz *z, const char *path)
{
    struct gcn_npy a = {0};
    int status = GCN_ERR;
    char s[128], d[32];
    if (read_key(&a, z, "feature", DATA_KEYS_HINT) != GCN_OK)
        goto cleanup;
    if (a.ndim != 2) {
        fail_file(path, "key 'feature' has shape %s, expected (nodes, features); save "
                        "the features as one 2-D array",
                  shape_str(&a, s, sizeof s));
        goto cleanup;
    }
    if (a.shape[0] == 0 || a.shape[1] == 0) {
        fail_file(path, "key 'feature' has shape %s: a dataset needs at least one node and "
                        "one feature",
                  shape_str(&a, s, sizeof s));
        goto cleanup;
    }
    if (a.shape[0] > (size_t)INT32_MAX) {
        fail_file(path, "%zu nodes exceed the int32 node ids of the graph (at most %d)",
                  a.shape[0], INT32_MAX);
        goto cleanup;
    }
    if (a.dtype == GCN_NPY_STR) {
        fail_file(path, "key 'feature' has dtype '%s'; features must be numbers (float32 "
                        "preferred)",
                  gcn_npy_dtype_str(&a, d, sizeof d));
        goto cleanup;
    }
    ds->n = a.shape[0];
    ds->f = a.shape[1];
    if (gcn_npy_take_f32(&ds->x, &a) != GCN_OK) {
        gcn_fail_prefix(path);
        goto cleanup;
    }
    size_t total = ds->n * ds->f, bad = SIZE_MAX;
    const float *x = ds->x;
#pragma omp parallel for reduction(min : bad) schedule(static)
    for (size_t i = 0; i < total; i++) {
        if (!isfinite(x[i]))
            bad = i < bad ? i : bad;
    }
    if (bad != SIZE_MAX) {
        fail_file(path, "feature[%zu, %zu] is %s; clean the features (e.g. np.nan_to_num) and "
                        "re-save",
                  bad / ds->f, bad % ds->f, isnan(x[bad]) ? "NaN" : "Inf");
        goto cleanup;
    }
    status = GCN_OK;
cleanup:
    gcn_npy_free(&a);
    return status;
}

static int load_labels(struct gcn_dataset *ds, struct gcn_npz *z, const char *path)
{
    struct gcn_npy a = {0};
    int64_t *v = NULL;
    int status = GCN_ERR;
    char expect[128];
    snprintf(expect, sizeof expect, "'feature' has %zu rows; every node needs one label", ds->n);
    if (read_vector(&a, z, "label", ds->n, expect, DATA_KEYS_HINT) != GCN_OK ||
        take_ints(&v, &a, path, "label") != GCN_OK)
        goto cleanup;
    int64_t max = -1;
    for (size_t i = 0; i < ds->n; i++) {
        if (v[i] < 0) {
            fail_file(path, "label[%zu] is %lld: labels must be class indices 0..c-1 "
                            "(unlabelled nodes need a valid label and node_types 0)",
                      i, (long long)v[i]);
            goto cleanup;
        }
        if (v[i] >= GCN_MAX_CLASSES) {
            fail_file(path, "label[%zu] is %lld, at or above the limit of %d classes; labels "
                            "must be class indices 0..c-1",
                      i, (long long)v[i], GCN_MAX_CLASSES);
            goto cleanup;
        }
        if (v[i] > max)
            max = v[i];
    }
    ds->c = (size_t)max + 1;
    ds->y = malloc(ds->n * sizeof *ds->y);
    if (!ds->y) {
        fail_file(path, "out of memory for %zu labels", ds->n);
        goto cleanup;
    }
    for (size_t i = 0; i < ds->n; i++)
        ds->y[i] = (int32_t)v[i];
    status = GCN_OK;
cleanup:
    free(v);
    gcn_npy_free(&a);
    return status;
}

static int load_node_types(struct gcn_dataset *ds, struct gcn_npz *z, const char *path)
{
    struct gcn_npy a = {0};
    int64_t *v = NULL;
    int status = GCN_ERR;
    char expect[128];
    snprintf(expect, sizeof expect, "'feature' has %zu rows; every node needs one node type",
             ds->n);
    if (read_vector(&a, z, "node_types", ds->n, expect, DATA_KEYS_HINT) != GCN_OK ||
        take_ints(&v, &a, path, "node_types") != GCN_OK)
        goto cleanup;
    ds->split = malloc(ds->n);
    if (!ds->split) {
        fail_file(path, "out of memory for %zu node types", ds->n);
        goto cleanup;
    }
    for (size_t i = 0; i < ds->n; i++) {
        if (v[i] < 0 || v[i] > 3) {
            fail_file(path, "node_types[%zu] is %lld; node types must be 0 (unused), 1 "
                            "(train), 2 (val) or 3 (test)",
                      i, (long long)v[i]);
            goto cleanup;
        }
        ds->split[i] = (uint8_t)v[i];
    }
    gcn_dataset_count_splits(ds);
    if (ds->n_split[GCN_TRAIN] == 0) {
        fail_file(path, "no training nodes (no node_types entry is 1); mark the training "
                        "split with 1");
        goto cleanup;
    }
    status = GCN_OK;
cleanup:
    free(v);
    gcn_npy_free(&a);
    return status;
}

/* First index whose value is outside [0, n), or SIZE_MAX. */
static size_t first_out_of_range(const int64_t *v, size_t m, size_t n)
{
    size_t bad = SIZE_MAX;
#pragma omp parallel for reduction(min : bad) schedule(static)
    for (size_t i = 0; i < m; i++) {
        if (v[i] < 0 || (uint64_t)v[i] >= n)
            bad = i < bad ? i : bad;
    }
    return bad;
}

/* Leaves an integer array as int32 or int64 (other integer dtypes are widened to int64), so
 * that edge lists are used in the dtype they were stored in, without a widened copy. */
static int index_array(struct gcn_npy *a, const char *path, const char *key)
{
    if (a->dtype == GCN_NPY_I4 || a->dtype == GCN_NPY_I8)
        return GCN_OK;
    int64_t *v;
    if (take_ints(&v, a, path, key) != GCN_OK)
        return GCN_ERR;
    a->data = v;
    a->dtype = GCN_NPY_I8;
    a->itemsize = sizeof *v;
    a->nbytes = a->count * sizeof *v;
    return GCN_OK;
}

static inline int64_t index_at(const struct gcn_npy *a, size_t i)
{
    return a->dtype == GCN_NPY_I4 ? ((const int32_t *)a->data)[i] : ((const int64_t *)a->data)[i];
}

/* COO to an unsorted CSR by counting sort straight from the stored index arrays, then
 * coalesced (gcn_csr_coalesce sorts and deduplicates each row). This skips the int64 copies
 * gcn_csr_from_coo would need, which matters at Reddit scale. As in graph.c, each thread
 * counts its own slice of the edges into a private histogram, so the scatter needs no atomics
 * (a locked add per edge would serialize the cache misses of the scatter). */
static int load_coo(struct gcn_dataset *ds, struct gcn_npz *z, const char *path)
{
    struct gcn_npy r = {0}, c = {0};
    int64_t *hist = NULL;
    int status = GCN_ERR;
    size_t n = ds->n;
    if (read_vector(&r, z, "row", SIZE_MAX, NULL, GRAPH_KEYS_HINT) != GCN_OK ||
        index_array(&r, path, "row") != GCN_OK)
        goto cleanup;
    size_t m = r.count;
    char expect[128];
    snprintf(expect, sizeof expect, "'row' has %zu; each edge needs both ends", m);
    if (read_vector(&c, z, "col", m, expect, GRAPH_KEYS_HINT) != GCN_OK ||
        index_array(&c, path, "col") != GCN_OK)
        goto cleanup;

    size_t nt_max = (size_t)gcn_max_threads(), cap = 1 + m / n; /* histograms <= n + m entries */
    if (nt_max > cap)
        nt_max = cap;
    if (nt_max < 1)
        nt_max = 1;
    int64_t *rowptr = malloc((n + 1) * sizeof *rowptr);
    ds->adj = (struct gcn_csr){.n_rows = n, .n_cols = n, .rowptr = rowptr};
    hist = calloc(nt_max * n, sizeof *hist);
    if (!rowptr || !hist) {
        fail_file(path, "out of memory for the row counts of %zu nodes", n);
        goto cleanup;
    }
    size_t nt = 1, bad = SIZE_MAX;
    int alloc_failed = 0;
#pragma omp parallel num_threads((int)nt_max)
    {
        size_t t = (size_t)gcn_thread_id();
#pragma omp single
        nt = (size_t)gcn_thread_count();
        size_t lo = m / nt * t + (t < m % nt ? t : m % nt);
        size_t hi = lo + m / nt + (t < m % nt ? 1 : 0);
        int64_t *h = hist + t * n;
        size_t my_bad = SIZE_MAX;
        for (size_t e = lo; e < hi; e++) {
            int64_t s = index_at(&r, e), d = index_at(&c, e);
            if (s < 0 || (uint64_t)s >= n || d < 0 || (uint64_t)d >= n) {
                my_bad = e;
                break; /* the first bad edge of this slice */
            }
            if (s != d)
                h[s]++;
        }
#pragma omp critical
        bad = my_bad < bad ? my_bad : bad;
#pragma omp barrier
        if (bad == SIZE_MAX) { /* the same branch in every thread */
#pragma omp for schedule(static)
            for (size_t i = 0; i < n; i++) {
                int64_t deg = 0;
                for (size_t u = 0; u < nt; u++)
                    deg += hist[u * n + i];
                rowptr[i + 1] = deg;
            }
#pragma omp single
            {
                rowptr[0] = 0;
                for (size_t i = 0; i < n; i++)
                    rowptr[i + 1] += rowptr[i];
                ds->adj.nnz = (size_t)rowptr[n];
                ds->adj.col = malloc(ds->adj.nnz ? ds->adj.nnz * sizeof *ds->adj.col : 1);
                alloc_failed = ds->adj.col == NULL;
            }
#pragma omp for schedule(static)
            for (size_t i = 0; i < n; i++) {
                int64_t cursor = rowptr[i];
                for (size_t u = 0; u < nt; u++) {
                    int64_t k = hist[u * n + i];
                    hist[u * n + i] = cursor;
                    cursor += k;
                }
            }
            if (!alloc_failed) {
                int32_t *col = ds->adj.col;
                for (size_t e = lo; e < hi; e++) {
                    int64_t s = index_at(&r, e), d = index_at(&c, e);
                    if (s != d)
                        col[h[s]++] = (int32_t)d;
                }
            }
        }
    }
    if (bad != SIZE_MAX) {
        int64_t s = index_at(&r, bad);
        int row_bad = s < 0 || (uint64_t)s >= n;
        fail_file(path, "edge %zu: %s index %lld is out of range for %zu nodes; edge "
                        "indices must be node ids 0..%zu",
                  bad, row_bad ? "row" : "col",
                  (long long)(row_bad ? s : index_at(&c, bad)), n, n - 1);
        goto cleanup;
    }
    if (alloc_failed) {
        fail_file(path, "out of memory for %zu edges", ds->adj.nnz);
        goto cleanup;
    }
    free(hist);
    hist = NULL;
    gcn_npy_free(&r); /* the edge list is no longer needed: free it before coalescing */
    gcn_npy_free(&c);
    if (gcn_csr_coalesce(&ds->adj) != GCN_OK) {
        gcn_fail_prefix(path);
        goto cleanup;
    }
    status = GCN_OK;
cleanup:
    free(hist);
    gcn_npy_free(&r);
    gcn_npy_free(&c);
    return status;
}

static int load_csr(struct gcn_dataset *ds, struct gcn_npz *z, const char *path)
{
    struct gcn_npy a = {0};
    int64_t *indptr = NULL, *idx64 = NULL;
    int32_t *idx = NULL;
    int status = GCN_ERR;
    size_t n = ds->n;
    char expect[128];
    snprintf(expect, sizeof expect, "a CSR of %zu nodes needs nodes + 1 = %zu", n, n + 1);
    if (read_vector(&a, z, "indptr", n + 1, expect, GRAPH_KEYS_HINT) != GCN_OK ||
        take_ints(&indptr, &a, path, "indptr") != GCN_OK)
        goto cleanup;
    gcn_npy_free(&a);
    if (read_vector(&a, z, "indices", SIZE_MAX, NULL, GRAPH_KEYS_HINT) != GCN_OK)
        goto cleanup;
    size_t m = a.count;
    if (indptr[0] != 0 || indptr[n] < 0 || (uint64_t)indptr[n] != m) {
        fail_file(path, "CSR indptr runs from %lld to %lld but there are %zu indices; the "
                        "graph is damaged, re-save it with scipy.sparse.save_npz",
                  (long long)indptr[0], (long long)indptr[n], m);
        goto cleanup;
    }
    for (size_t i = 0; i < n; i++) {
        if (indptr[i + 1] < indptr[i]) {
            fail_file(path, "CSR indptr decreases at row %zu (%lld > %lld); the graph is "
                            "damaged, re-save it with scipy.sparse.save_npz",
                      i, (long long)indptr[i], (long long)indptr[i + 1]);
            goto cleanup;
        }
    }
    if (a.dtype == GCN_NPY_I4) { /* int32 indices are used in place */
        idx = a.data;
        a.data = NULL;
        size_t bad = SIZE_MAX;
#pragma omp parallel for reduction(min : bad) schedule(static)
        for (size_t i = 0; i < m; i++) {
            if (idx[i] < 0 || (uint64_t)idx[i] >= n)
                bad = i < bad ? i : bad;
        }
        if (bad != SIZE_MAX) {
            fail_file(path, "edge %zu: column index %d is out of range for %zu nodes; edge "
                            "indices must be node ids 0..%zu",
                      bad, (int)idx[bad], n, n - 1);
            goto cleanup;
        }
    } else {
        if (take_ints(&idx64, &a, path, "indices") != GCN_OK)
            goto cleanup;
        size_t bad = first_out_of_range(idx64, m, n);
        if (bad != SIZE_MAX) {
            fail_file(path, "edge %zu: column index %lld is out of range for %zu nodes; edge "
                            "indices must be node ids 0..%zu",
                      bad, (long long)idx64[bad], n, n - 1);
            goto cleanup;
        }
        idx = malloc(m ? m * sizeof *idx : 1);
        if (!idx) {
            fail_file(path, "out of memory for %zu edges", m);
            goto cleanup;
        }
        for (size_t i = 0; i < m; i++)
            idx[i] = (int32_t)idx64[i];
        free(idx64);
        idx64 = NULL;
    }
    ds->adj = (struct gcn_csr){.n_rows = n, .n_cols = n, .nnz = m, .rowptr = indptr, .col = idx};
    indptr = NULL;
    idx = NULL;
    if (gcn_csr_coalesce(&ds->adj) != GCN_OK) {
        gcn_fail_prefix(path);
        goto cleanup;
    }
    status = GCN_OK;
cleanup:
    free(indptr);
    free(idx64);
    free(idx);
    gcn_npy_free(&a);
    return status;
}

static int load_graph(struct gcn_dataset *ds, const char *path)
{
    struct gcn_npz *z = NULL;
    struct gcn_npy a = {0};
    int64_t *shape = NULL;
    int status = GCN_ERR;
    char s[128], d[32];

    if (gcn_npz_open(&z, path) != GCN_OK)
        goto cleanup;
    if (read_key(&a, z, "format", GRAPH_KEYS_HINT) != GCN_OK)
        goto cleanup;
    char fmt[16] = "";
    if (a.dtype != GCN_NPY_STR || a.count != 1) {
        fail_file(path, "key 'format' has dtype '%s' and shape %s, expected a byte string "
                        "such as b'coo'; save the graph with scipy.sparse.save_npz",
                  gcn_npy_dtype_str(&a, d, sizeof d), shape_str(&a, s, sizeof s));
        goto cleanup;
    }
    memcpy(fmt, a.data, a.itemsize < sizeof fmt - 1 ? a.itemsize : sizeof fmt - 1);
    for (size_t i = 0; fmt[i]; i++) /* quoted in messages: keep them one printable line */
        if ((unsigned char)fmt[i] < 0x20 || (unsigned char)fmt[i] > 0x7e)
            fmt[i] = '?';
    gcn_npy_free(&a);

    if (read_key(&a, z, "shape", GRAPH_KEYS_HINT) != GCN_OK)
        goto cleanup;
    if (a.ndim != 1 || a.count != 2) {
        fail_file(path, "key 'shape' has shape %s, expected 2 entries (rows, columns)",
                  shape_str(&a, s, sizeof s));
        goto cleanup;
    }
    if (take_ints(&shape, &a, path, "shape") != GCN_OK)
        goto cleanup;
    if (shape[0] != shape[1]) {
        fail_file(path, "the graph is not square (%lld x %lld); an adjacency matrix must be "
                        "nodes x nodes",
                  (long long)shape[0], (long long)shape[1]);
        goto cleanup;
    }
    if (shape[0] < 0 || (uint64_t)shape[0] != ds->n) {
        fail_file(path, "shape mismatch: the graph is %lld x %lld but the features have %zu "
                        "nodes; data and graph files must describe the same nodes",
                  (long long)shape[0], (long long)shape[1], ds->n);
        goto cleanup;
    }
    if (strcmp(fmt, "coo") == 0) {
        if (load_coo(ds, z, path) != GCN_OK)
            goto cleanup;
    } else if (strcmp(fmt, "csr") == 0) {
        if (load_csr(ds, z, path) != GCN_OK)
            goto cleanup;
    } else {
        fail_file(path, "unsupported sparse format '%s' (supported: coo, csr); convert with "
                        "scipy.sparse.save_npz(path, m.tocoo())",
                  fmt);
        goto cleanup;
    }
    status = GCN_OK;
cleanup:
    free(shape);
    gcn_npy_free(&a);
    gcn_npz_close(z);
    return status;
}

int gcn_dataset_load_dgl(struct gcn_dataset *ds, const char *data_path, const char *graph_path,
                         const char *name)
{
    int status = GCN_ERR;
    struct gcn_npz *z = NULL;
    memset(ds, 0, sizeof *ds);

    if (name && *name) {
        snprintf(ds->name, sizeof ds->name, "%s", name);
    } else {
        const char *base = strrchr(data_path, '/');
        base = base ? base + 1 : data_path;
        size_t len = strlen(base);
        const char *suffix = "_data.npz";
        size_t sl = strlen(suffix);
        if (len > sl && strcmp(base + len - sl, suffix) == 0)
            len -= sl;
        snprintf(ds->name, sizeof ds->name, "%.*s", (int)len, base);
    }

    if (gcn_npz_open(&z, data_path) != GCN_OK)
        goto cleanup;
    if (load_features(ds, z, data_path) != GCN_OK || load_labels(ds, z, data_path) != GCN_OK ||
        load_node_types(ds, z, data_path) != GCN_OK)
        goto cleanup;
    gcn_npz_close(z);
    z = NULL;
    if (load_graph(ds, graph_path) != GCN_OK)
        goto cleanup;
    status = GCN_OK;
cleanup:
    gcn_npz_close(z);
    if (status != GCN_OK)
        gcn_dataset_free(ds);
    return status;
}

void gcn_dataset_normalize_rows(struct gcn_dataset *ds)
{
    size_t n = ds->n, f = ds->f;
    float *x = ds->x;
#pragma omp parallel for schedule(static)
    for (size_t i = 0; i < n; i++) {
        float *r = x + i * f;
        double sum = 0.0;
        for (size_t j = 0; j < f; j++)
            sum += r[j];
        if (sum == 0.0)
            continue;
        float inv = (float)(1.0 / sum);
        for (size_t j = 0; j < f; j++)
            r[j] *= inv;
    }
}

void gcn_dataset_count_splits(struct gcn_dataset *ds)
{
    memset(ds->n_split, 0, sizeof ds->n_split);
    if (!ds->split)
        return;
    for (size_t i = 0; i < ds->n; i++) {
        if (ds->split[i] < 4)
            ds->n_split[ds->split[i]]++;
    }
}

void gcn_dataset_free(struct gcn_dataset *ds)
{
    if (!ds)
        return;
    free(ds->x);
    free(ds->y);
    free(ds->split);
    gcn_csr_free(&ds->adj);
    memset(ds, 0, sizeof *ds);
}
