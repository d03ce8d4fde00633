/* aggregate.h: the first GCN layer's aggregation, done once.
 *
 * Layer 1 computes Â (X W_1) + b_1. When its input has no dropout, X is the same every
 * epoch, and Â (X W_1) = (Â X) W_1: Â X can be computed once, before training, and every
 * epoch's layer 1 becomes a dense map, with no SpMM forward or backward and, in local[N], no
 * shuffle. This is what `[model] cache_first_aggregation` turns on (configs/README.md). On a
 * symmetric graph (the per-epoch backward's Â G = Â^T G already assumes one; the DGL graphs
 * and the generator's are) the products are the same up to float rounding: both trainers'
 * losses match the per-epoch aggregation within 1e-4 relative over 20 epochs
 * (tests/test_train_rdd.c). On a directed graph the cached path's gradient X^T Â^T G is the
 * exact one. */
#ifndef GCN_AGGREGATE_H
#define GCN_AGGREGATE_H

#include "dataset.h"

/* Replaces ds->x by Â x, Â = D^-1/2 (A + I) D^-1/2, in place, and sets ds->x_aggregated.
 * Works on column blocks, so it needs (n, 48) floats of scratch beyond the graph's A + I
 * pattern, not a second feature matrix; rows run on all OpenMP threads (a load-time step,
 * like generation and reordering). Errors: allocation failure, or ds->x already
 * aggregated. */
int gcn_dataset_aggregate_features(struct gcn_dataset *ds);

/* 1 when layer l (from 0) of a model on ds has no aggregation, so no SpMM: layer 1 on
 * features that are already Â X. */
static inline int gcn_layer_dense(const struct gcn_dataset *ds, size_t l)
{
    return l == 0 && ds->x_aggregated;
}

/* The trainers' guard: GCN_ERR (message names the dropout) when ds's features are aggregated
 * and dropout > 0, which would need the per-epoch aggregation; GCN_OK otherwise. */
int gcn_aggregate_check_dropout(const struct gcn_dataset *ds, float dropout);

#endif
