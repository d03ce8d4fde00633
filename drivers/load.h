/* load.h: turns a configuration's [dataset] / [synthetic] sections into a dataset in memory,
 * for gcnrun and the benchmark programs. */
#ifndef GCNRUN_LOAD_H
#define GCNRUN_LOAD_H

#include <stdint.h>
#include <stdio.h>

#include "config.h"
#include "gcn/dataset.h"

/* Bump when the data a key names would come out different: the generator (gcn/synth.c), the
 * DGL loader (gcn/dataset.c), the row normalization, the METIS renumbering (gcn/reorder.c). */
#define GCN_CACHE_DATA_VERSION 1
/* Bump when gcn_dataset_aggregate_features (gcn/aggregate.c, and its SpMM kernel) gives
 * different bits for the same dataset. */
#define GCN_CACHE_AGGREGATE_VERSION 1

enum gcn_cache_status {
    GCN_CACHE_OFF = 0,  /* [dataset] cache = false or --no-cache: nothing read or written */
    GCN_CACHE_HIT = 1,  /* everything the run needed was read from the cache */
    GCN_CACHE_MISS = 2, /* something was built (and saved, when `saved`) */
};

/* What gcn_load_prepared did, for the summary and the result JSON. The times are wall
 * times: load_s and aggregate_s are what the run waited for, whatever the source. */
struct gcn_load_info {
    enum gcn_cache_status status;     /* off, hit or miss */
    int saved;                        /* miss: every entry built was written (0 after a
                                         warning: folder not usable, disk full) */
    char path[GCN_PATH_MAX + 32];     /* the dataset entry ("" when off) */
    char aggregate_path[GCN_PATH_MAX + 32]; /* the Â X entry ("" when off or when layer 1
                                               is not cached) */
    double load_s;                    /* until the dataset was ready: lookup + read, or
                                         build + save */
    double aggregate_s;               /* Â X: read, or computed + saved (0 when layer 1 is
                                         not cached) */
    double read_s;                    /* of load_s + aggregate_s: reading cache entries */
    double build_s;                   /* of which building (load or generate, normalize,
                                         reorder, Â X) */
    double save_s;                    /* of which writing cache entries */
    uint64_t read_bytes;              /* array bytes read from the cache */
    uint64_t written_bytes;           /* array bytes written to the cache */
};

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

/* The dataset as the trainers receive it, through the on-disk cache (gcn/cache.h) when
 * cfg->cache is on: gcn_load_dataset's result under its key (gcn_load_cache_key) in
 * cfg->cache_dir/HASH.data, and with aggregate (layer 1 cached, gcn_config_caches_first)
 * Â X under that key plus the aggregation's version in HASH.ax, read instead of the raw
 * features. What is absent, or fails verification, is built and saved; a bad entry is
 * reported on log as "PROG: warning: PATH: PROBLEM; rebuilding it". A folder that cannot be
 * created or written, or a write that fails (disk full), is reported once on log and the
 * run goes on without saving. Old entries stay (another configuration may use them again);
 * temporaries older than an hour (writers killed mid-write) are removed before a save.
 * Errors: those of gcn_load_dataset and gcn_load_aggregate (the cache never fails a
 * run). info is always filled. Free ds with gcn_dataset_free in every case. */
int gcn_load_prepared(struct gcn_dataset *ds, const struct gcn_config *cfg, int aggregate,
                      FILE *log, struct gcn_load_info *info);

/* The cache key of cfg's prepared dataset into key[cap]: format_version (the entry format,
 * GCN_CACHE_FORMAT_VERSION) and GCN_CACHE_DATA_VERSION, then every key that determines the
 * data: for synthetic data every [synthetic] key (doubles exact, in %a) and the C library's
 * version (libm), for DGL data each file's real path, size, mtime (ns), inode and device;
 * normalize_features, features_only, reorder, and for METIS reorder_block, its seed and the
 * METIS version. One "name=value" line each. Errors: a DGL file that cannot be stat'ed (the
 * load then reports it), a key longer than cap. */
int gcn_load_cache_key(char *key, size_t cap, const struct gcn_config *cfg, int format_version);

/* "off", "hit", "miss". */
const char *gcn_cache_status_name(enum gcn_cache_status s);

#endif
