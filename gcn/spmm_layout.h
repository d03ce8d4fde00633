/* spmm_layout.h: the bytes of an SpMM plan (spmm_plan.h), shared by its builder
 * (spmm_plan.c) and its product (spmm_push.c); nothing else reads them.
 *
 * A plan is a header and five arrays, each at a 64-byte multiple from the start:
 *   dist_off (n_panels + 1) int64   panel p's columns are col[dist_off[p] .. dist_off[p+1])
 *   nz_off   (n_panels + 1) int64   panel p's row numbers start at row[nz_off[p]]
 *   row      (nnz) uint16           per panel, column by column, the panel rows using it
 *   col      (distinct_cap) int32   per panel, the columns it touches, in key order
 *   ptr      (distinct_cap + n_panels) uint32   per panel, one entry per column and one
 *                                   more: column j's rows are row[nz_off[p] + ptr[q] ..
 *                                   nz_off[p] + ptr[q + 1]) with q = dist_off[p] + p + j */
#ifndef GCN_SPMM_LAYOUT_H
#define GCN_SPMM_LAYOUT_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define SPMM_PLAN_MAGIC 0x314e414c504d4d53ull /* "SMMPLAN1" */

struct spmm_head {
    uint64_t magic;
    uint64_t n_rows, n_cols, panel_rows, n_panels, nnz, distinct_cap;
};

struct spmm_view {
    size_t n_rows, n_cols, panel_rows, n_panels, nnz;
    int64_t *dist_off, *nz_off;
    uint16_t *row;
    int32_t *col;
    uint32_t *ptr;
};

static inline size_t spmm_round64(size_t bytes)
{
    return (bytes + 63) & ~(size_t)63;
}

/* Total bytes of a plan with this header; the view's arrays when view is not NULL. */
static inline size_t spmm_layout(const struct spmm_head *h, const void *plan,
                                 struct spmm_view *view)
{
    const size_t np = (size_t)h->n_panels, cap = (size_t)h->distinct_cap;
    const size_t sizes[5] = { (np + 1) * sizeof(int64_t), (np + 1) * sizeof(int64_t),
                              (size_t)h->nnz * sizeof(uint16_t), cap * sizeof(int32_t),
                              (cap + np) * sizeof(uint32_t) };
    size_t off[5], at = spmm_round64(sizeof *h);
    for (int i = 0; i < 5; i++) {
        off[i] = at;
        at += spmm_round64(sizes[i]);
    }
    if (view) {
        char *base = (char *)plan;
        *view = (struct spmm_view){ (size_t)h->n_rows, (size_t)h->n_cols,
                                    (size_t)h->panel_rows, np, (size_t)h->nnz,
                                    (int64_t *)(base + off[0]), (int64_t *)(base + off[1]),
                                    (uint16_t *)(base + off[2]), (int32_t *)(base + off[3]),
                                    (uint32_t *)(base + off[4]) };
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

#endif
