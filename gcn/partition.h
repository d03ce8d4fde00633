/* partition.h: graph partitioners and the shuffle plan of a partitioning.
 *
 * A partitioning assigns every node to one of P partitions (range: contiguous ids, Spark's
 * input splits; hash: id mod P, Spark's HashPartitioner; metis: edge-cut minimizing k-way,
 * Debian's libmetis). Partition p owns rows rows[p][0..size[p]) (global ids, ascending).
 *
 * The shuffle plan says, for one layer's propagation H' = Â Z, which rows of Z partition q
 * must send to partition p (those p's edges touch), and renumbers p's rows of the A + I
 * pattern into p's working buffer X_p = [ local rows (size[p]) | rows received from q = 0,
 * 1, ... in q order (recv[p][q]) ]. Because Â is symmetric the same plan serves the
 * backward pass. It is built once per partitioning and reused every epoch. Pure C: no
 * runtime here, so it is testable alone. */
#ifndef GCN_PARTITION_H
#define GCN_PARTITION_H

#include <stddef.h>
#include <stdint.h>

#include "graph.h"

enum gcn_partitioner_kind { GCN_PARTITION_RANGE = 0, GCN_PARTITION_HASH = 1,
                            GCN_PARTITION_METIS = 2 };

struct gcn_partitioning {
    size_t n;            /* nodes */
    size_t parts;        /* P */
    int32_t *owner;      /* (n) partition of each node */
    int32_t *local;      /* (n) row index of each node inside its partition */
    size_t *offset;      /* (P + 1) start of each partition's rows in `rows` */
    int32_t *rows;       /* (n) global ids grouped by partition, ascending inside each */
    size_t edge_cut;     /* directed edges of A (no self-loops) whose ends differ in owner */
};

struct gcn_shuffle_plan {
    size_t parts;              /* P */
    struct gcn_csr *block;     /* (P) A + I rows of partition p; columns index X_p:
                                  [0, size p) local rows, then received rows */
    size_t *recv_off;          /* (P * (P + 1)) row of X_p where q's block starts is
                                  recv_off[p * (P + 1) + q]; recv_off[p * (P + 1) + P] is
                                  X_p's total rows. The q == p block is the local rows. */
    size_t *send_off;          /* (P * P + 1) pair (q -> p) at index q * P + p lists its rows
                                  in send_rows[send_off[i] .. send_off[i + 1]) */
    int32_t *send_rows;        /* local row indices in q, in the order p stores them */
    float *dinv;               /* (n) dinv of every node, grouped like partitioning rows */
    size_t recv_rows_total;    /* sum over p != q of rows sent: rows shuffled per propagation */
};

/* How a propagation's rows cross partitions. Pairwise is DESIGN §3's shuffle: pack tasks copy
 * the rows p's edges touch from every q into p's halo (Σ_p halo_p rows). Broadcast is Spark's
 * collect + broadcast: every partition's rows are copied once into one gathered block that
 * every partition's SpMM reads (n rows, whoever needs them). Auto takes broadcast when it
 * copies fewer rows, i.e. when the halos add up to more than the graph. */
enum gcn_shuffle_mode { GCN_SHUFFLE_AUTO = 0, GCN_SHUFFLE_PAIRWISE = 1,
                        GCN_SHUFFLE_BROADCAST = 2 };

/* The mode that runs: asked unless it is auto; auto is broadcast when pairwise_rows (Σ_p
 * halo_p of the plan) exceeds nodes, else pairwise. */
enum gcn_shuffle_mode gcn_shuffle_mode_pick(enum gcn_shuffle_mode asked, size_t pairwise_rows,
                                            size_t nodes);

/* Partitions the n-node graph adj (A without self-loops) into parts parts. Every partition
 * gets at least one node (errors when parts > n). metis without libmetis built in is an
 * error naming the fix (install libmetis-dev and reconfigure). seed makes METIS
 * deterministic. Free with gcn_partitioning_free. */
int gcn_partition(struct gcn_partitioning *out, const struct gcn_csr *adj, size_t parts,
                  enum gcn_partitioner_kind kind, uint64_t seed);

/* Builds the plan for propagation pattern prop (A + I, from gcn_propagation_build) and its
 * dinv under partitioning part. Free with gcn_shuffle_plan_free. */
int gcn_shuffle_plan_build(struct gcn_shuffle_plan *plan, const struct gcn_csr *prop,
                           const float *dinv, const struct gcn_partitioning *part);

/* The partition-order position of every row of X_p ([local | received], plan->recv_off[p *
 * (P + 1) + P] rows), where partition q's local row i is at part->offset[q] + i: the layout
 * of a broadcast (every partition's rows back to back, whoever needs them), and
 * part->rows[pos[j]] is the global node of X_p's row j. Mapping plan->block[p]'s columns
 * through pos keeps every row's entries in their order, so an SpMM over either numbering sums
 * the same terms in the same order. Errors: p out of range. */
int gcn_shuffle_plan_positions(const struct gcn_shuffle_plan *plan,
                               const struct gcn_partitioning *part, size_t p, int32_t *pos);

void gcn_partitioning_free(struct gcn_partitioning *p);
void gcn_shuffle_plan_free(struct gcn_shuffle_plan *plan);

#endif
