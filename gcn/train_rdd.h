/* train_rdd.h: GCN training as RDD task DAGs on StarPU, Spark's local[N].
 *
 * The graph is partitioned (range, hash or METIS) into P partitions; every layer's forward is
 * map (Z_p = H_p W, a broadcast weight), an exchange of Z's rows and a map over the rows p's
 * edges touch (H'_p = act(Â_p Z + b)). The exchange is a pairwise shuffle (pack tasks copy
 * the rows of Z that p's edges touch from q into p's halo; the map reads [local | halo]) or a
 * broadcast (each partition's rows copied once into one gathered block that every map
 * reads), as struct gcn_rdd_opts.shuffle says (partition.h).
 * Backward runs the same plan on the gradients; weight gradients are per-partition partials
 * combined by a fixed-order reduce tree, and one Adam task updates the broadcast parameters.
 * The same seed and config train the same model as gcn_train_seq, up to float summation
 * order. */
#ifndef GCN_TRAIN_RDD_H
#define GCN_TRAIN_RDD_H

#include <stddef.h>
#include <stdint.h>

#include "dataset.h"
#include "partition.h"
#include "train.h"

struct gcn_rdd_opts {
    int workers;                          /* N: StarPU CPU workers (local[N]) */
    size_t partitions;                    /* P, 0 = N */
    enum gcn_partitioner_kind partitioner; /* range, hash or metis */
    enum gcn_shuffle_mode shuffle;        /* auto, pairwise or broadcast */
    const char *sched;                    /* StarPU scheduler, NULL = the runtime's default */
    const char *trace_dir;                /* FxT trace folder, NULL = no trace */
    int quiet;                            /* no notice when N exceeds the cores */
};

struct gcn_rdd_info {
    char sched[32];                /* scheduler actually running */
    int workers;                   /* workers actually running */
    size_t partitions;             /* P */
    size_t edge_cut;               /* directed edges between partitions */
    enum gcn_shuffle_mode shuffle; /* the mode that ran: pairwise or broadcast */
    size_t shuffle_rows;           /* rows one propagation copies across partitions */
    size_t pairwise_rows;          /* rows a pairwise shuffle copies (Σ_p halo_p), whichever
                                      mode ran: what auto compared with the node count */
    uint64_t transferred_bytes;    /* StarPU's own bytes between memory nodes, all epochs */
    double setup_s;                /* partitioning, plan and registration time */
};

/* Trains on StarPU. Errors: worker count outside the build's range (message names the cap
 * and the fix), P < 1 or P > nodes, METIS unavailable, trace folder unusable, StarPU failure,
 * NaN/Inf loss (names the epoch). res is filled as by gcn_train_seq (plus the runtime fields
 * of every epoch record); free it with gcn_train_result_free in every case. */
int gcn_train_rdd(struct gcn_train_result *res, struct gcn_rdd_info *info,
                  const struct gcn_dataset *ds, const struct gcn_train_opts *opts,
                  const struct gcn_rdd_opts *ropts);

#endif
