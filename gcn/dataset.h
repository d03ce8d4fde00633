/* dataset.h: a node-classification dataset in memory, and the DGL raw-layout loader
 * (NAME_data.npz with feature/label/node_types, NAME_graph.npz from scipy.sparse.save_npz). */
#ifndef GCN_DATASET_H
#define GCN_DATASET_H

#include <stddef.h>
#include <stdint.h>

#include "graph.h"

enum gcn_split { GCN_UNUSED = 0, GCN_TRAIN = 1, GCN_VAL = 2, GCN_TEST = 3 };

struct gcn_dataset {
    char name[64];        /* short name, e.g. "cora" */
    size_t n;             /* nodes */
    size_t f;             /* features per node */
    size_t c;             /* classes */
    float *x;             /* (n, f) features, row-major float32 */
    int32_t *y;           /* (n) labels in [0, c) */
    uint8_t *split;       /* (n) enum gcn_split per node */
    struct gcn_csr adj;   /* n x n adjacency, coalesced, no self-loops, directed edges */
    size_t n_split[4];    /* nodes per enum gcn_split value */
    int x_aggregated;     /* 1 when x holds Â x, the first layer's aggregation done once
                             (aggregate.h): the trainers then skip layer 1's SpMMs */
};

/* Loads the DGL raw layout. c = max(label) + 1. Every validation failure (missing file, not a
 * zip, truncated member, missing key, unsupported dtype, Fortran order, shape mismatches,
 * labels out of range, edge index out of range, non-square graph, NaN/Inf features, bad
 * node_types) returns GCN_ERR with one line naming the file, the problem and the fix.
 * Caller frees with gcn_dataset_free (also safe after a failed load). */
int gcn_dataset_load_dgl(struct gcn_dataset *ds, const char *data_path, const char *graph_path,
                         const char *name);

/* Scales each feature row to sum 1 (rows summing to 0 are left as they are), as Kipf &
 * Welling do for Cora's bag-of-words features. */
void gcn_dataset_normalize_rows(struct gcn_dataset *ds);

/* Recounts n_split from split. */
void gcn_dataset_count_splits(struct gcn_dataset *ds);

void gcn_dataset_free(struct gcn_dataset *ds);

#endif
