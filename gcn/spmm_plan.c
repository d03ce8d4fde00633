/* spmm_plan.c: building an SpMM plan from a CSR (see spmm_plan.h, layout in spmm_layout.h).
 *
 * Two passes over the nonzeros, each parallel over panels: the first checks every row's key
 * order and counts the distinct columns of each panel (a per-thread stamp per key, so
 * nothing is cleared between panels), which places every panel's columns and tiles; the
 * second lists each panel's columns in key order (a per-thread bitmap over the keys, scanned
 * word by word), which numbers them, then counts each tile's segments and nonzeros and files
 * them tile by tile (a counting sort by tile, rows staying in order). */
#include "spmm_plan.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/error.h"
#include "graph.h"
#include "parallel.h"
#include "spmm_layout.h"

/* A panel's row numbers and a tile's column numbers are 16-bit. */
#define SHORT_MAX 65536

/* The end of the panel of panel_rows rows that starts at row r0 of n_rows. */
static size_t panel_end(size_t r0, size_t n_rows, size_t panel_rows)
{
    return n_rows - r0 < panel_rows ? n_rows : r0 + panel_rows;
}

static size_t div_up(size_t a, size_t b)
{
    return (a + b - 1) / b;
}

/* The most segments a panel of rows rows, nz nonzeros and tiles tiles can have: one per row
 * and tile, and one more per SEG_MAX nonzeros of a long run; never more than its nonzeros. */
static size_t seg_cap(size_t rows, size_t nz, size_t tiles)
{
    const size_t most = rows * tiles + nz / SEG_MAX;
    return nz < most ? nz : most;
}

/* The header of the plan of this CSR: its capacities assume every panel touches
 * min(its nonzeros, n_cols) columns. */
static struct spmm_head plan_head(const int64_t *rowptr, size_t n_rows, size_t n_cols,
                                  size_t panel_rows, size_t tile_cols)
{
    struct spmm_head h = { SPMM_PLAN_MAGIC,
                           n_rows,
                           n_cols,
                           panel_rows,
                           tile_cols,
                           (n_rows + panel_rows - 1) / panel_rows,
                           (uint64_t)(rowptr[n_rows] - rowptr[0]),
                           0,
                           0,
                           0 };
    for (size_t r0 = 0; r0 < n_rows; r0 += panel_rows) {
        const size_t r1 = panel_end(r0, n_rows, panel_rows);
        const size_t nz = (size_t)(rowptr[r1] - rowptr[r0]);
        const size_t distinct = nz < n_cols ? nz : n_cols, tiles = div_up(distinct, tile_cols);
        h.distinct_cap += distinct;
        h.tile_cap += tiles;
        h.seg_cap += seg_cap(r1 - r0, nz, tiles);
    }
    return h;
}

size_t gcn_spmm_plan_bytes(const int64_t *rowptr, size_t n_rows, size_t n_cols,
                           size_t panel_rows, size_t tile_cols)
{
    if (panel_rows == 0 || panel_rows > SHORT_MAX || tile_cols == 0 || tile_cols > SHORT_MAX)
        return 0;
    const struct spmm_head h = plan_head(rowptr, n_rows, n_cols, panel_rows, tile_cols);
    return spmm_layout(&h, NULL, NULL);
}

size_t gcn_spmm_tile_cols_for(size_t l2_bytes)
{
    size_t cols = GCN_SPMM_TILE_COLS;
    while (l2_bytes && cols > 1024 && cols * 48 * sizeof(float) > l2_bytes / 4 * 3)
        cols /= 2;
    return cols;
}

size_t gcn_spmm_tile_cols(void)
{
    const long l2 = sysconf(_SC_LEVEL2_CACHE_SIZE);
    return gcn_spmm_tile_cols_for(l2 > 0 ? (size_t)l2 : 0);
}

size_t gcn_spmm_plan_rows(const void *plan)
{
    struct spmm_view v;
    spmm_view_of(&v, plan);
    return v.n_rows;
}

size_t gcn_spmm_plan_size(const void *plan)
{
    struct spmm_head h;
    memcpy(&h, plan, sizeof h);
    return spmm_layout(&h, NULL, NULL);
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
    size_t n_rows, n_cols, key_range, panel_rows, tile_cols;
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

/* Per-thread arrays of pass 2: tile and local (key_range) give a panel's key its tile and
 * its number within the tile; inv (key_range) and bits (key_range / 64 + 1 words, zero on
 * entry and on return) list the keys; segs and nzs (tiles_max) count and place each tile's
 * segments and nonzeros. */
struct fill_work {
    uint32_t *tile;
    uint16_t *local;
    int32_t *inv;
    uint64_t *bits;
    size_t *segs, *nzs;
};

/* Calls EMIT(t, first, n) for each run of row i's nonzeros in one tile t (first: the run's
 * first index into col; n: its length). */
#define FOR_EACH_RUN(in, tile, i, t, first, n, EMIT)                                           \
    for (int64_t first = (in)->rowptr[i], end_ = (in)->rowptr[(i) + 1]; first < end_;) {     \
        const size_t t = (tile)[key_of((in), (in)->col[first])];                              \
        int64_t k_ = first + 1;                                                                \
        while (k_ < end_ && (tile)[key_of((in), (in)->col[k_])] == t)                         \
            k_++;                                                                              \
        const size_t n = (size_t)(k_ - first);                                                 \
        EMIT;                                                                                  \
        first = k_;                                                                            \
    }

/* Pass 2 for panel p: its columns in key order, then its tiles' segments and nonzeros. */
static void fill_panel(const struct build_in *in, const struct spmm_view *v, size_t p,
                       const struct fill_work *w, struct build_error *err)
{
    const size_t r0 = p * in->panel_rows, r1 = panel_end(r0, in->n_rows, in->panel_rows);
    size_t lo = SIZE_MAX, hi = 0;
    for (int64_t k = in->rowptr[r0]; k < in->rowptr[r1]; k++) {
        const int32_t c = in->col[k];
        const size_t kk = key_of(in, c);
        if (!(w->bits[kk / 64] >> (kk % 64) & 1)) {
            w->bits[kk / 64] |= 1ull << (kk % 64);
            w->inv[kk] = c;
            lo = kk < lo ? kk : lo;
            hi = kk > hi ? kk : hi;
        } else if (w->inv[kk] != c) {
            build_error_set(err, "columns %zu and %zu have the same key", (size_t)w->inv[kk],
                            (size_t)c);
        }
    }
    size_t at = (size_t)v->dist_off[p], tile = 0, local = 0;
    for (size_t word = lo / 64; lo <= hi && word <= hi / 64; word++) {
        for (uint64_t b = w->bits[word]; b; b &= b - 1) {
            const size_t kk = word * 64 + (size_t)__builtin_ctzll(b);
            v->col[at++] = w->inv[kk];
            w->tile[kk] = (uint32_t)tile;
            w->local[kk] = (uint16_t)local;
            if (++local == in->tile_cols)
                tile++, local = 0;
        }
        w->bits[word] = 0;
    }

    const size_t tiles = spmm_panel_tiles(v, p), t0 = (size_t)v->tile_off[p] + p;
    memset(w->segs, 0, tiles * sizeof *w->segs);
    memset(w->nzs, 0, tiles * sizeof *w->nzs);
    for (size_t i = r0; i < r1; i++)
        FOR_EACH_RUN(in, w->tile, i, t, first, n, {
            (void)first;
            w->segs[t] += div_up(n, SEG_MAX);
            w->nzs[t] += n;
        })
    size_t nz_at = (size_t)v->nz_off[p];
    for (size_t t = 0; t < tiles; t++) {
        v->seg_off[t0 + t + 1] = v->seg_off[t0 + t] + (int64_t)w->segs[t];
        w->segs[t] = (size_t)v->seg_off[t0 + t]; /* from here on: where t's next segment goes */
        const size_t n = w->nzs[t];
        w->nzs[t] = nz_at;
        nz_at += n;
    }
    for (size_t i = r0; i < r1; i++)
        FOR_EACH_RUN(in, w->tile, i, t, first, n, {
            for (size_t done = 0; done < n; done += SEG_MAX) {
                const size_t m = n - done < SEG_MAX ? n - done : SEG_MAX;
                v->seg[w->segs[t]++] = (uint32_t)(i - r0) | (uint32_t)m << 16;
            }
            for (int64_t k = first; k < first + (int64_t)n; k++)
                v->lc[w->nzs[t]++] = w->local[key_of(in, in->col[k])];
        })
}

int gcn_spmm_plan_build(void *plan, size_t bytes, const int64_t *rowptr, const int32_t *col,
                        size_t n_rows, size_t n_cols, const int32_t *key, size_t key_range,
                        size_t panel_rows, size_t tile_cols)
{
    const size_t need = gcn_spmm_plan_bytes(rowptr, n_rows, n_cols, panel_rows, tile_cols);
    if (need == 0)
        return gcn_fail("SpMM plan: %zu rows per panel and %zu columns per tile (each 1 .. %d)",
                        panel_rows, tile_cols, SHORT_MAX);
    if (bytes < need)
        return gcn_fail("SpMM plan: a buffer of %zu bytes, %zu needed", bytes, need);
    if ((uintptr_t)plan % 8 != 0)
        return gcn_fail("SpMM plan: the buffer at %p is not 8-byte aligned", plan);
    if (!key)
        key_range = n_cols;
    const struct spmm_head h = plan_head(rowptr, n_rows, n_cols, panel_rows, tile_cols);
    const size_t n_panels = (size_t)h.n_panels;
    memcpy(plan, &h, sizeof h);
    struct spmm_view v;
    spmm_view_of(&v, plan);
    const struct build_in in = { rowptr,     col,       key, n_rows, n_cols,
                                 key_range, panel_rows, tile_cols };
    struct build_error err = { 0 };
    const size_t words = key_range / 64 + 1, tiles_max = div_up(key_range, tile_cols) + 1;

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
    /* place the columns, nonzeros and tiles; each panel's segments start where the previous
     * panel's could end */
    v.dist_off[0] = v.tile_off[0] = 0;
    if (n_panels)
        v.seg_off[0] = 0;
    for (size_t p = 0; p < n_panels; p++) {
        const size_t r0 = p * panel_rows, r1 = panel_end(r0, n_rows, panel_rows);
        const size_t distinct = (size_t)v.dist_off[p + 1], tiles = div_up(distinct, tile_cols);
        v.dist_off[p + 1] += v.dist_off[p];
        v.tile_off[p + 1] = v.tile_off[p] + (int64_t)tiles;
        v.nz_off[p] = rowptr[r0] - rowptr[0];
        const size_t nz = (size_t)(rowptr[r1] - rowptr[r0]);
        if (p + 1 < n_panels)
            v.seg_off[(size_t)v.tile_off[p + 1] + p + 1] =
                v.seg_off[(size_t)v.tile_off[p] + p] + (int64_t)seg_cap(r1 - r0, nz, tiles);
    }
    v.nz_off[n_panels] = (int64_t)h.nnz;

    /* pass 2: columns in key order, tiles' segments and nonzeros */
#pragma omp parallel num_threads(threads)
    {
        const size_t keys = key_range ? key_range : 1;
        const struct fill_work w = { malloc(keys * sizeof *w.tile),
                                     malloc(keys * sizeof *w.local),
                                     malloc(keys * sizeof *w.inv),
                                     calloc(words, sizeof *w.bits),
                                     malloc(tiles_max * sizeof *w.segs),
                                     malloc(tiles_max * sizeof *w.nzs) };
        const int ok = w.tile && w.local && w.inv && w.bits && w.segs && w.nzs;
        if (!ok)
            build_error_set(&err, "out of memory (%zu keys, thread %zu)", key_range,
                            (size_t)gcn_thread_id());
#pragma omp for schedule(dynamic, 1)
        for (long p = 0; p < (long)n_panels; p++)
            if (ok)
                fill_panel(&in, &v, (size_t)p, &w, &err);
        free(w.tile);
        free(w.local);
        free(w.inv);
        free(w.bits);
        free(w.segs);
        free(w.nzs);
    }
    if (err.set)
        return gcn_fail("SpMM plan: %s", err.text);
    return GCN_OK;
}

int gcn_spmm_plan_create(void **plan, const int64_t *rowptr, const int32_t *col, size_t n_rows,
                         size_t n_cols)
{
    const size_t tile_cols = gcn_spmm_tile_cols();
    const size_t bytes =
        gcn_spmm_plan_bytes(rowptr, n_rows, n_cols, GCN_SPMM_PANEL_ROWS, tile_cols);
    *plan = malloc(bytes);
    if (!*plan)
        return gcn_fail("out of memory: the SpMM plan needs %.1f MiB",
                        (double)bytes / 1048576.0);
    if (gcn_spmm_plan_build(*plan, bytes, rowptr, col, n_rows, n_cols, NULL, 0,
                            GCN_SPMM_PANEL_ROWS, tile_cols) != GCN_OK) {
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
