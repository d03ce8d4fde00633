/* spmm_layout.h: the bytes of an SpMM plan (spmm_plan.h), shared by its builder
 * (spmm_plan.c) and its product (spmm_run.c); nothing else reads them.
 *
 * A panel's distinct columns, in key order, fall into tiles of tile_cols consecutive ones
 * (the last tile of a panel may be short). Within a tile, a segment is one panel row's run of
 * nonzeros in that tile's columns (rows in increasing order; a run of more than SEG_MAX
 * nonzeros is split into several segments of the same row); each nonzero is the column's
 * number within its tile.
 *
 * A plan is a header and seven arrays, each at a 64-byte multiple from the start:
 *   dist_off (n_panels + 1) int64   panel p's columns are col[dist_off[p] .. dist_off[p+1])
 *   nz_off   (n_panels + 1) int64   panel p's nonzeros start at lc[nz_off[p]], tile by tile
 *   tile_off (n_panels + 1) int64   panel p's tiles are [tile_off[p], tile_off[p+1])
 *   seg_off  (tile_cap + n_panels) int64   tile t of panel p has the segments
 *                                   seg[seg_off[t + p] .. seg_off[t + p + 1])
 *   seg      (seg_cap) uint32       a segment: panel row | nonzeros << 16
 *   lc       (nnz) uint16           a nonzero's column number within its tile
 *   col      (distinct_cap) int32   per panel, the columns it touches, in key order */
#ifndef GCN_SPMM_LAYOUT_H
#define GCN_SPMM_LAYOUT_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define SPMM_PLAN_MAGIC 0x324e414c504d4d53ull /* "SMMPLAN2" */

/* The most nonzeros one segment holds (its count is 16-bit). */
#define SEG_MAX 65535u

struct spmm_head {
    uint64_t magic;
    uint64_t n_rows, n_cols, panel_rows, tile_cols, n_panels, nnz, distinct_cap, tile_cap,
        seg_cap;
};

struct spmm_view {
    size_t n_rows, panel_rows, tile_cols, n_panels, nnz;
    int64_t *dist_off, *nz_off, *tile_off, *seg_off;
    uint32_t *seg;
    uint16_t *lc;
    int32_t *col;
};

static inline size_t spmm_round64(size_t bytes)
{
    return (bytes + 63) & ~(size_t)63;
}

/* Total bytes of a plan with this header; the view's arrays when view is not NULL. */
static inline size_t spmm_layout(const struct spmm_head *h, const void *plan,
                                 struct spmm_view *view)
{
    const size_t np = (size_t)h->n_panels;
    const size_t sizes[7] = { (np + 1) * sizeof(int64_t),
                              (np + 1) * sizeof(int64_t),
                              (np + 1) * sizeof(int64_t),
                              ((size_t)h->tile_cap + np) * sizeof(int64_t),
                              (size_t)h->seg_cap * sizeof(uint32_t),
                              (size_t)h->nnz * sizeof(uint16_t),
                              (size_t)h->distinct_cap * sizeof(int32_t) };
    size_t off[7], at = spmm_round64(sizeof *h);
    for (int i = 0; i < 7; i++) {
        off[i] = at;
        at += spmm_round64(sizes[i]);
    }
    if (view) {
        char *base = (char *)plan;
        *view = (struct spmm_view){ (size_t)h->n_rows,
                                    (size_t)h->panel_rows,
                                    (size_t)h->tile_cols,
                                    np,
                                    (size_t)h->nnz,
                                    (int64_t *)(base + off[0]),
                                    (int64_t *)(base + off[1]),
                                    (int64_t *)(base + off[2]),
                                    (int64_t *)(base + off[3]),
                                    (uint32_t *)(base + off[4]),
                                    (uint16_t *)(base + off[5]),
                                    (int32_t *)(base + off[6]) };
    }
    return at;
}

/* The view of a plan's bytes (the header is copied out: the bytes may be unaligned). */
static inline void spmm_view_of(struct spmm_view *v, const void *plan)
{
    struct spmm_head h;
    memcpy(&h, plan, sizeof h);
    spmm_layout(&h, plan, v);
}

/* Rows of panel p. */
static inline size_t spmm_panel_rows(const struct spmm_view *v, size_t p)
{
    const size_t r0 = p * v->panel_rows;
    return v->n_rows - r0 < v->panel_rows ? v->n_rows - r0 : v->panel_rows;
}

/* Tile j of panel p: its columns (in key order) and segments. */
struct spmm_tile {
    const int32_t *col;   /* its columns, in key order */
    size_t n_cols;        /* tile_cols, or fewer in a panel's last tile */
    const uint32_t *seg;  /* its segments: panel row | nonzeros << 16, rows in order */
    size_t n_seg;
};

static inline struct spmm_tile spmm_tile_of(const struct spmm_view *v, size_t p, size_t j)
{
    const size_t c0 = (size_t)v->dist_off[p] + j * v->tile_cols;
    const size_t c1 = (size_t)v->dist_off[p + 1];
    const size_t q = (size_t)v->tile_off[p] + p + j;
    return (struct spmm_tile){ v->col + c0, c1 - c0 < v->tile_cols ? c1 - c0 : v->tile_cols,
                               v->seg + v->seg_off[q],
                               (size_t)(v->seg_off[q + 1] - v->seg_off[q]) };
}

/* Tiles of panel p. */
static inline size_t spmm_panel_tiles(const struct spmm_view *v, size_t p)
{
    return (size_t)(v->tile_off[p + 1] - v->tile_off[p]);
}

#endif
