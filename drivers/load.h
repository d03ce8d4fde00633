/* load.h: turns a configuration's [dataset] / [synthetic] sections into a dataset in memory,
 * for gcnrun and the benchmark programs. */
#ifndef GCNRUN_LOAD_H
#define GCNRUN_LOAD_H

#include "config.h"
#include "gcn/dataset.h"

/* Loads the DGL files or generates the synthetic graph cfg names, then drops the edges
 * (features_only) and row-normalizes the features when cfg asks. A missing DGL file is an
 * error that quotes cfg's missing_hint (where to get the data). Before allocating, the peak
 * bytes of the load are estimated (from the configuration, or from the npz headers) and
 * compared with the memory this process can still get (MemAvailable, RLIMIT_AS, RLIMIT_DATA):
 * a dataset that does not fit is an error naming both sizes ("X: the dataset needs 5.1 GiB
 * but only 2.0 GiB of memory is available (...); free memory or ..."). Free ds with
 * gcn_dataset_free in every case. */
int gcn_load_dataset(struct gcn_dataset *ds, const struct gcn_config *cfg);

/* Replaces ds's features by Â X (gcn/aggregate.h) when cfg caches the first aggregation
 * (gcn_config_caches_first), and sets *seconds to the time it took (0 when it did not run).
 * Errors: allocation failure. */
int gcn_load_aggregate(struct gcn_dataset *ds, const struct gcn_config *cfg, double *seconds);

#endif
