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
    int distributed;                      /* 1: this process is one rank of an mpirun job:
                                             StarPU-MPI, partitions owned by ranks, every
                                             rank calls gcn_train_rdd alike (DESIGN §8) */
    struct gcn_dataset *release;          /* NULL, or the dataset passed as ds, whose features,
                                             labels and graph are then freed once the
                                             partitions are registered (its sizes stay): under
                                             mpirun a rank keeps only its own partitions' rows */
};

/* One rank's share of a distributed run, summed over the timed epochs (after warm-up). */
struct gcn_rank_stats {
    size_t partitions;         /* partitions this rank owns */
    double compute_s;          /* its workers' compute task seconds */
    double communication_s;    /* shuffle + reduce task seconds */
    double overhead_s;         /* the rest of its workers' time */
    uint64_t net_sent_bytes;   /* StarPU-MPI data bytes it sent */
    uint64_t net_recv_bytes;   /* ... and received */
    double net_s;              /* seconds with data messages in flight on it */
    uint64_t resident_bytes;   /* resident memory after set-up (before the first epoch) */
    uint64_t peak_rss_bytes;   /* its process's peak RSS at the end */
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
    int rank, ranks;               /* this process's rank and the job's (0 and 1 unless
                                      distributed) */
    size_t cross_rank_rows;        /* rows one propagation moves between ranks */
    uint64_t predicted_net_bytes;  /* data bytes one training epoch must send between ranks
                                      by the plan (0 on one rank) */
    struct gcn_rank_stats *per_rank; /* (ranks) when distributed, else NULL; freed by
                                        gcn_rdd_info_free */
};

/* Frees info->per_rank (safe on a zeroed or already freed info). */
void gcn_rdd_info_free(struct gcn_rdd_info *info);

/* Trains on StarPU. Errors: worker count outside the build's range (message names the cap
 * and the fix), P < 1 or P > nodes, METIS unavailable, trace folder unusable, StarPU failure,
 * NaN/Inf loss (names the epoch). res is filled as by gcn_train_seq (plus the runtime fields
 * of every epoch record); free it with gcn_train_result_free in every case. */
int gcn_train_rdd(struct gcn_train_result *res, struct gcn_rdd_info *info,
                  const struct gcn_dataset *ds, const struct gcn_train_opts *opts,
                  const struct gcn_rdd_opts *ropts);

#endif
