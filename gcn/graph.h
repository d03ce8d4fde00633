/* graph.h: compressed sparse row graphs and the GCN propagation matrix.
 *
 * Index widths are deliberate: row pointers are int64 (n + 1 entries, cheap, and nnz may
 * exceed 2^31 on graphs larger than Reddit), column indices are int32 (nnz entries: the bulk
 * of the bytes; Reddit's 232,965 nodes fit easily). Values are not stored: the adjacency is a
 * pattern, and Â = D^-1/2 (A + I) D^-1/2 is applied as a row scaling by dinv, a pattern
 * SpMM over A + I, and a second row scaling (see kernels.h), which saves the 4 bytes per edge
 * a value array would add to every SpMM. */
#ifndef GCN_GRAPH_H
#define GCN_GRAPH_H

#include <stddef.h>
#include <stdint.h>

struct gcn_csr {
    size_t n_rows;    /* rows */
    size_t n_cols;    /* columns */
    size_t nnz;       /* stored entries = rowptr[n_rows] */
    int64_t *rowptr;  /* (n_rows + 1) offsets into col */
    int32_t *col;     /* (nnz) column indices, sorted and unique within each row */
};

/* Builds a coalesced CSR from a COO edge list (src[i] -> dst[i], i < m) of an n x n graph:
 * duplicate edges are merged, self-loops dropped (Â adds I itself, exactly once), columns
 * sorted. Errors: index outside [0, n), allocation failure. Caller frees with gcn_csr_free. */
int gcn_csr_from_coo(struct gcn_csr *out, size_t n, const int64_t *src, const int64_t *dst,
                     size_t m);

/* Coalesces a CSR in place: sorts each row's columns, removes duplicates and self-loops.
 * Errors: column outside [0, n_cols), non-monotone rowptr. */
int gcn_csr_coalesce(struct gcn_csr *g);

/* The propagation pattern A + I (each row gets its diagonal entry, in sorted position) and
 * dinv[i] = 1 / sqrt(deg(A + I)_i). out and dinv (n floats) are allocated here; caller frees
 * out with gcn_csr_free and dinv with free. Errors: allocation failure, non-square graph. */
int gcn_propagation_build(struct gcn_csr *out, float **dinv, const struct gcn_csr *adj);

/* out = the entries of in whose column j has label[j] == keep (label: n_cols values), rows
 * and order kept: e.g. the columns of training nodes, where a product's input is zero
 * elsewhere. Caller frees out with gcn_csr_free. Errors: allocation failure. */
int gcn_csr_select_cols(struct gcn_csr *out, const struct gcn_csr *in, const uint8_t *label,
                        uint8_t keep);

void gcn_csr_free(struct gcn_csr *g);

#endif
