/* spmm_plan.c: building an SpMM plan from a CSR (see spmm_plan.h, layout in spmm_layout.h).
 *
 * Two passes over the nonzeros, each parallel over panels: the first checks every row's key
 * order and counts the distinct columns of each panel (a per-thread stamp per key, so
 * nothing is cleared between panels), which places every panel's columns; the second lists
 * each panel's columns in key order (a per-thread bitmap over the keys, scanned word by word)
 * and then files every nonzero's row under its column (a counting sort by key). */
#include "spmm_plan.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "graph.h"
#include "parallel.h"
#include "spmm_layout.h"

/* A panel's row numbers are 16-bit. */
#define PANEL_ROWS_MAX 65536

/* The end of the panel of panel_rows rows that starts at row r0 of n_rows. */
static size_t panel_end(size_t r0, size_t n_rows, size_t panel_rows)
{
    return n_rows - r0 < panel_rows ? n_rows : r0 + panel_rows;
}

/* The header of the plan of this CSR: its capacity assumes every panel touches
 * min(its nonzeros, n_cols) columns. */
static struct spmm_head plan_head(const int64_t *rowptr, size_t n_rows, size_t n_cols,
                                  size_t panel_rows)
{
    struct spmm_head h = { SPMM_PLAN_MAGIC, n_rows, n_cols, panel_rows,
                           (n_rows + panel_rows - 1) / panel_rows,
                           (uint64_t)(rowptr[n_rows] - rowptr[0]), 0 };
    for (size_t r0 = 0; r0 < n_rows; r0 += panel_rows) {
        const size_t r1 = panel_end(r0, n_rows, panel_rows);
        const size_t nz = (size_t)(rowptr[r1] - rowptr[r0]);
        h.distinct_cap += nz < n_cols ? nz : n_cols;
    }
    return h;
}

size_t gcn_spmm_plan_bytes(const int64_t *rowptr, size_t n_rows, size_t n_cols,
                           size_t panel_rows)
{
    if (panel_rows == 0 || panel_rows > PANEL_ROWS_MAX)
        return 0;
    const struct spmm_head h = plan_head(rowptr, n_rows, n_cols, panel_rows);
    return spmm_layout(&h, NULL, NULL);
}

size_t gcn_spmm_plan_rows(const void *plan)
{
    struct spmm_view v;
    spmm_view_of(&v, plan);
    return v.n_rows;
}

size_t gcn_spmm_plan_panels(const void *plan)
{
    struct spmm_view v;
    spmm_view_of(&v, plan);
    return v.n_panels;
}

/* What a build pass found wrong, reported after the parallel region (first one wins). */
struct build_error {
    int set;
    char text[200];
};

__attribute__((format(printf, 2, 3))) static void build_error_set(struct build_error *e,
                                                                  const char *fmt, ...)
{
#pragma omp critical(gcn_spmm_plan_error)
    if (!e->set) {
        e->set = 1;
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(e->text, sizeof e->text, fmt, ap);
        va_end(ap);
    }
}

/* The CSR and its keys, as the passes read them. */
struct build_in {
    const int64_t *rowptr;
    const int32_t *col, *key;
    size_t n_rows, n_cols, key_range, panel_rows;
};

static inline size_t key_of(const struct build_in *in, int32_t c)
{
    return in->key ? (size_t)in->key[c] : (size_t)c;
}

/* Pass 1 for panel p: checks columns, keys and row order; returns its distinct columns. */
static size_t count_panel(const struct build_in *in, size_t p, uint32_t *stamp,
                          struct build_error *err)
{
    const size_t r0 = p * in->panel_rows, r1 = panel_end(r0, in->n_rows, in->panel_rows);
    if (in->rowptr[r1] - in->rowptr[r0] > (int64_t)UINT32_MAX) {
        build_error_set(err, "a panel of rows %zu.. has %zu nonzeros, 2^32 or more", r0,
                        (size_t)(in->rowptr[r1] - in->rowptr[r0]));
        return 0;
    }
    size_t distinct = 0;
    for (size_t i = r0; i < r1; i++) {
        if (in->rowptr[i + 1] < in->rowptr[i]) {
            build_error_set(err, "rowptr decreases at row %zu (%zu entries)", i, in->n_rows);
            return 0;
        }
        size_t prev = 0;
        for (int64_t k = in->rowptr[i]; k < in->rowptr[i + 1]; k++) {
            const int32_t c = in->col[k];
            if (c < 0 || (size_t)c >= in->n_cols) {
                build_error_set(err, "row %zu has column %zu outside the matrix", i, (size_t)c);
                return 0;
            }
            const size_t kk = key_of(in, c);
            if (kk >= in->key_range || (k > in->rowptr[i] && kk < prev)) {
                build_error_set(err, "row %zu: column %zu is out of key order or range", i,
                                (size_t)c);
                return 0;
            }
            prev = kk;
            if (stamp[kk] != (uint32_t)(p + 1)) {
                stamp[kk] = (uint32_t)(p + 1);
                distinct++;
            }
        }
    }
    return distinct;
}

/* Pass 2 for panel p: its columns in key order, their row lists. cnt (key_range, zero on
 * entry and on return), inv (key_range) and bits (key_range / 64 + 1 words, zero on entry
 * and on return) are the thread's. */
static void fill_panel(const struct build_in *in, const struct spmm_view *v, size_t p,
                       uint32_t *cnt, int32_t *inv, uint64_t *bits, struct build_error *err)
{
    const size_t r0 = p * in->panel_rows, r1 = panel_end(r0, in->n_rows, in->panel_rows);
    size_t lo = SIZE_MAX, hi = 0;
    for (int64_t k = in->rowptr[r0]; k < in->rowptr[r1]; k++) {
        const int32_t c = in->col[k];
        const size_t kk = key_of(in, c);
        if (!(bits[kk / 64] >> (kk % 64) & 1)) {
            bits[kk / 64] |= 1ull << (kk % 64);
            inv[kk] = c;
            lo = kk < lo ? kk : lo;
            hi = kk > hi ? kk : hi;
        } else if (inv[kk] != c) {
            build_error_set(err, "columns %zu and %zu have the same key", (size_t)inv[kk],
                            (size_t)c);
        }
        cnt[kk]++;
    }
    size_t j = (size_t)v->dist_off[p];
    uint32_t *ptr = v->ptr + p; /* panel p's entries start p places after its columns */
    uint32_t at = 0;
    for (size_t word = lo / 64; lo <= hi && word <= hi / 64; word++) {
        for (uint64_t b = bits[word]; b; b &= b - 1) {
            const size_t kk = word * 64 + (size_t)__builtin_ctzll(b);
            const uint32_t n = cnt[kk];
            v->col[j] = inv[kk];
            ptr[j++] = at;
            cnt[kk] = at; /* from here on: where kk's next row goes */
            at += n;
        }
        bits[word] = 0;
    }
    ptr[j] = at;
    uint16_t *row = v->row + v->nz_off[p];
    for (size_t i = r0; i < r1; i++)
        for (int64_t k = in->rowptr[i]; k < in->rowptr[i + 1]; k++)
            row[cnt[key_of(in, in->col[k])]++] = (uint16_t)(i - r0);
    for (size_t q = (size_t)v->dist_off[p]; q < j; q++)
        cnt[key_of(in, v->col[q])] = 0;
}

int gcn_spmm_plan_build(void *plan, size_t bytes, const int64_t *rowptr, const int32_t *col,
                        size_t n_rows, size_t n_cols, const int32_t *key, size_t key_range,
                        size_t panel_rows)
{
    const size_t need = gcn_spmm_plan_bytes(rowptr, n_rows, n_cols, panel_rows);
    if (need == 0)
        return gcn_fail("SpMM plan: %zu rows per panel (1 .. %d)", panel_rows,
                        PANEL_ROWS_MAX);
    if (bytes < need)
        return gcn_fail("SpMM plan: a buffer of %zu bytes, %zu needed", bytes, need);
    if ((uintptr_t)plan % 8 != 0)
        return gcn_fail("SpMM plan: the buffer at %p is not 8-byte aligned", plan);
    if (!key)
        key_range = n_cols;
    const struct spmm_head h = plan_head(rowptr, n_rows, n_cols, panel_rows);
    const size_t n_panels = (size_t)h.n_panels;
    memcpy(plan, &h, sizeof h);
    struct spmm_view v;
    spmm_view_of(&v, plan);
    const struct build_in in = { rowptr, col, key, n_rows, n_cols, key_range, panel_rows };
    struct build_error err = { 0 };
    const size_t words = key_range / 64 + 1;

    /* threads past one per panel would only hold key-sized arrays */
    const int threads = n_panels < (size_t)gcn_max_threads() ? (int)(n_panels ? n_panels : 1)
                                                              : gcn_max_threads();
    /* pass 1: distinct columns per panel, into dist_off[p + 1] */
#pragma omp parallel num_threads(threads)
    {
        uint32_t *stamp = calloc(key_range ? key_range : 1, sizeof *stamp);
        if (!stamp)
            build_error_set(&err, "out of memory (%zu keys, thread %zu)", key_range,
                            (size_t)gcn_thread_id());
#pragma omp for schedule(dynamic, 1)
        for (long p = 0; p < (long)n_panels; p++)
            if (stamp)
                v.dist_off[p + 1] = (int64_t)count_panel(&in, (size_t)p, stamp, &err);
        free(stamp);
    }
    if (err.set)
        return gcn_fail("SpMM plan: %s", err.text);
    v.dist_off[0] = 0;
    for (size_t p = 0; p < n_panels; p++) {
        v.dist_off[p + 1] += v.dist_off[p];
        v.nz_off[p] = rowptr[p * panel_rows] - rowptr[0];
    }
    v.nz_off[n_panels] = (int64_t)h.nnz;

    /* pass 2: columns in key order and their rows */
#pragma omp parallel num_threads(threads)
    {
        uint32_t *cnt = calloc(key_range ? key_range : 1, sizeof *cnt);
        int32_t *inv = malloc((key_range ? key_range : 1) * sizeof *inv);
        uint64_t *bits = calloc(words, sizeof *bits);
        if (!cnt || !inv || !bits)
            build_error_set(&err, "out of memory (%zu keys, thread %zu)", key_range,
                            (size_t)gcn_thread_id());
#pragma omp for schedule(dynamic, 1)
        for (long p = 0; p < (long)n_panels; p++)
            if (cnt && inv && bits)
                fill_panel(&in, &v, (size_t)p, cnt, inv, bits, &err);
        free(cnt);
        free(inv);
        free(bits);
    }
    if (err.set)
        return gcn_fail("SpMM plan: %s", err.text);
    return GCN_OK;
}

int gcn_spmm_plan_create(void **plan, const int64_t *rowptr, const int32_t *col, size_t n_rows,
                         size_t n_cols)
{
    const size_t bytes = gcn_spmm_plan_bytes(rowptr, n_rows, n_cols, GCN_SPMM_PANEL_ROWS);
    *plan = malloc(bytes);
    if (!*plan)
        return gcn_fail("out of memory: the SpMM plan needs %.1f MiB",
                        (double)bytes / 1048576.0);
    if (gcn_spmm_plan_build(*plan, bytes, rowptr, col, n_rows, n_cols, NULL, 0,
                            GCN_SPMM_PANEL_ROWS) != GCN_OK) {
        free(*plan);
        *plan = NULL;
        return GCN_ERR;
    }
    return GCN_OK;
}

int gcn_spmm_plan_propagation(void **plan, float **dinv, const struct gcn_csr *adj)
{
    struct gcn_csr prop;
    *plan = NULL;
    if (gcn_propagation_build(&prop, dinv, adj) != GCN_OK)
        return GCN_ERR;
    const int rc = gcn_spmm_plan_create(plan, prop.rowptr, prop.col, prop.n_rows, prop.n_cols);
    gcn_csr_free(&prop);
    if (rc != GCN_OK) {
        free(*dinv);
        *dinv = NULL;
    }
    return rc;
}
