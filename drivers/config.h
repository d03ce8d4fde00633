/* config.h: gcnrun's run configuration: INI files (through inih), `--conf SECTION.KEY=VALUE`
 * overrides, defaults, and validation. Every key is documented in configs/README.md; an
 * unknown section or key, or a bad value, is an error naming the file, line, key and the
 * accepted values. */
#ifndef GCNRUN_CONFIG_H
#define GCNRUN_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#include "gcn/blas.h"
#include "gcn/model.h"
#include "gcn/partition.h"
#include "gcn/reorder.h"
#include "gcn/synth.h"

#define GCN_PATH_MAX 4096
#define GCN_AUTO (-1) /* an auto-valued key left to gcnrun (cache_first_aggregation) */

enum gcn_format { GCN_FORMAT_DGL = 0, GCN_FORMAT_SYNTHETIC = 1 };

struct gcn_config {
    char path[GCN_PATH_MAX];        /* the INI file read ("" when none) */
    /* [dataset] */
    enum gcn_format format;         /* format = dgl | synthetic */
    char data[GCN_PATH_MAX];        /* data = NAME_data.npz (relative to the INI's folder) */
    char graph[GCN_PATH_MAX];       /* graph = NAME_graph.npz (relative to the INI's folder) */
    char name[64];                  /* name = short dataset name for reports */
    int normalize_features;         /* normalize_features = true | false (row sums to 1) */
    int features_only;              /* features_only = true | false: drop every edge, so
                                       Â = I and the GCN is an MLP (the baseline that shows
                                       what the graph adds) */
    enum gcn_reorder_kind reorder;  /* reorder = none | metis: renumber nodes for locality */
    size_t reorder_block;           /* reorder_block = nodes per METIS cluster (2048) */
    char source_hint[512];          /* missing_hint = where to get the files, shown when absent */
    int cache;                      /* cache = true | false: keep the prepared dataset (and
                                       Â X) on disk between runs (drivers/load.h) */
    char cache_dir[GCN_PATH_MAX];   /* cache_dir = the cache folder (".cache", relative to
                                       the current directory) */
    /* [synthetic] */
    struct gcn_synth_params synth;  /* nodes, features, classes, avg_degree, degree_skew,
                                       homophily, feature_signal, train_fraction,
                                       val_fraction, seed */
    /* [model] */
    struct gcn_hparams hp;          /* layers, hidden, dropout, weight_decay,
                                       weight_decay_scope; [train] lr */
    int cache_first_aggregation;    /* cache_first_aggregation = auto | true | false: Â X
                                       computed once at load (gcn/aggregate.h); auto = when
                                       dropout is 0 */
    /* [train] */
    size_t epochs;                  /* epochs = full-batch training epochs */
    size_t warmup_epochs;           /* warmup_epochs = excluded from the epoch-time mean */
    size_t patience;                /* patience = early stop after this many epochs without
                                       a lower validation loss; 0 = off */
    uint64_t seed;                  /* seed = weights and dropout */
    int blas_threads;               /* blas_threads = BLAS threads of --workers 0 */
    enum gcn_blas_choice blas;      /* blas = auto | openblas | blis */
    /* [runtime] */
    int workers;                    /* workers = 0 sequential, N = StarPU local[N] */
    size_t partitions;              /* partitions = P, 0 = same as workers */
    enum gcn_partitioner_kind partitioner; /* partitioner = range | hash | metis */
    enum gcn_shuffle_mode shuffle;  /* shuffle = auto | pairwise | broadcast */
    char scheduler[32];             /* scheduler = StarPU scheduling policy */
    /* [output] */
    char result[GCN_PATH_MAX];      /* result = JSON result file ("" = none) */
    char epoch_log[GCN_PATH_MAX];   /* epoch_log = per-epoch CSV ("" = none) */
    char trace[GCN_PATH_MAX];       /* trace = FxT trace directory ("" = none) */
    int quiet;                      /* quiet = true | false */
};

/* Fills the defaults (documented in configs/README.md). */
void gcn_config_defaults(struct gcn_config *cfg);

/* Reads an INI file over the current values. Relative data/graph paths are resolved against
 * the INI file's folder. Errors: missing/unreadable file, syntax error, unknown section or
 * key, bad value: one line "FILE:LINE: ..." naming the fix. */
int gcn_config_load(struct gcn_config *cfg, const char *path);

/* Applies one "section.key=value" override (relative paths stay relative to the current
 * directory). Errors as gcn_config_load, naming the --conf argument. */
int gcn_config_override(struct gcn_config *cfg, const char *assignment);

/* Cross-key checks after all sources are applied (e.g. dgl format needs data and graph,
 * train + val fractions < 1, warmup < epochs). */
int gcn_config_validate(const struct gcn_config *cfg);

/* Whether the load computes Â X once: cache_first_aggregation resolved (auto = dropout 0). */
int gcn_config_caches_first(const struct gcn_config *cfg);

/* Name strings for reports. */
const char *gcn_partitioner_name(enum gcn_partitioner_kind p);
const char *gcn_shuffle_name(enum gcn_shuffle_mode m);
const char *gcn_blas_choice_name(enum gcn_blas_choice c);
const char *gcn_reorder_name(enum gcn_reorder_kind r);
const char *gcn_format_name(enum gcn_format f);

#endif
