/* load.h: turns a configuration's [dataset] / [synthetic] sections into a dataset in memory,
 * for gcnrun and the benchmark programs. */
#ifndef GCNRUN_LOAD_H
#define GCNRUN_LOAD_H

#include "config.h"
#include "gcn/dataset.h"

/* Loads the DGL files or generates the synthetic graph cfg names, then drops the edges
 * (features_only) and row-normalizes the features when cfg asks. A missing DGL file is an error that quotes cfg's missing_hint
 * (where to get the data). Free ds with gcn_dataset_free in every case. */
int gcn_load_dataset(struct gcn_dataset *ds, const struct gcn_config *cfg);

#endif
