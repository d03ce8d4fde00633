/* reorder.h: node renumbering for memory locality.
 *
 * The propagation Â Z gathers one row of Z per edge. With node ids in random order (as
 * in the synthetic generator, and in many published datasets) consecutive rows of Â touch
 * rows of Z all over memory, and every gather goes to DRAM. Renumbering the nodes so that
 * densely connected nodes get nearby ids makes most gathers hit rows that were just read,
 * inside the caches. The GCN is invariant under a consistent renumbering of features,
 * labels, splits and edges: losses and F1 are unchanged up to the dropout masks, which are
 * keyed by node id.
 *
 * metis: METIS k-way clusters of about `block` nodes (DESIGN §6: libmetis is optional),
 * numbered cluster after cluster, ascending old id inside a cluster. */
#ifndef GCN_REORDER_H
#define GCN_REORDER_H

#include <stddef.h>
#include <stdint.h>

#include "dataset.h"

enum gcn_reorder_kind { GCN_REORDER_NONE = 0, GCN_REORDER_METIS = 1 };

/* Renumbers ds's nodes in place by kind (NONE: nothing). block: nodes per cluster (>= 1);
 * seed makes METIS deterministic. On success ds->x, y, split and adj follow the new order
 * (adj rows coalesced: sorted, unique). Errors: METIS not built in (names the fix), METIS
 * failure, allocation failure; ds is unchanged after an error. */
int gcn_dataset_reorder(struct gcn_dataset *ds, enum gcn_reorder_kind kind, size_t block,
                        uint64_t seed);

/* Applies the renumbering order (n): new node i is old node order[i], a permutation of
 * [0, n). Features are moved in place (one row of scratch); adj gets new arrays. Errors:
 * allocation failure (ds unchanged). */
int gcn_dataset_permute(struct gcn_dataset *ds, const int32_t *order);

#endif
