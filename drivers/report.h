/* report.h: what a gcnrun run writes and shows at the end (issues 3 and 4): the --result JSON
 * object (schema in docs/result-schema.md; gcnbench reads it back), the [output] epoch_log
 * CSV and the terminal summary.
 *
 * The driver fills one struct gcn_run_report: gcn_run_report_init copies the configuration
 * and dataset facts, the driver then points `result` at the training result and, for
 * workers > 0, fills the runtime breakdown from the RDD layer's statistics. Files are written
 * atomically (drivers/atomic.h): a failed write leaves the old file or none, never half. */
#ifndef GCNRUN_REPORT_H
#define GCNRUN_REPORT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "config.h"
#include "load.h"
#include "gcn/dataset.h"
#include "gcn/model.h"
#include "gcn/train.h"
#include "gcn/train_rdd.h"
#include "json.h"
#include "sysinfo.h"

/* Bumped when a key changes meaning or disappears (adding keys keeps the version). */
#define GCN_RESULT_SCHEMA_VERSION 1

struct gcn_run_report {
    /* what was run (gcn_run_report_init) */
    char config[GCN_PATH_MAX];    /* INI file given with --config ("" when none) */
    char dataset[64];             /* dataset short name */
    char format[16];              /* "dgl" or "synthetic" */
    size_t nodes;                 /* graph nodes */
    size_t edges;                 /* directed edges of A (no self-loops; each undirected
                                     edge counts twice) */
    size_t features;              /* input features per node */
    size_t classes;               /* label classes */
    size_t train_nodes;           /* nodes with node_types == 1 */
    size_t val_nodes;             /* node_types == 2 */
    size_t test_nodes;            /* node_types == 3 */
    int workers;                  /* 0 = sequential baseline, N = StarPU local[N] */
    size_t partitions;            /* P (the effective value: workers when the key is 0;
                                     1 for the sequential run) */
    char partitioner[16];         /* "range", "hash", "metis" */
    char reorder[16];             /* node renumbering at load: "none", "metis" */
    uint64_t seed;                /* weights and dropout seed */
    struct gcn_hparams hp;        /* layers, hidden, dropout, lr, weight decay and scope */
    size_t epochs;                /* epochs asked for */
    size_t warmup_epochs;         /* asked to be excluded from the epoch-time mean */
    size_t patience;              /* early-stopping patience (0 = off) */
    int forward_only;             /* 1: inference only (no backward, no update) */
    int blas_threads;             /* BLAS threads of the sequential path */
    enum gcn_blas_choice blas_choice; /* [train] blas as asked: auto, openblas, blis */
    enum gcn_blas_backend blas;   /* the backend that ran (gcn_blas_current() at init) */
    char blas_kernels[32];        /* its kernel set: "SkylakeX", "skx", "zen3", ... */
    char blas_version[64];        /* "BLIS 0.9.0" or OpenBLAS's config string */
    struct gcn_blas_probe blas_probe; /* auto's probe (zero when none ran); set by the driver */
    char date[32];                /* run start, UTC ISO 8601 "2024-05-01T12:34:56Z" */
    /* measured */
    double load_s;                /* dataset load or generation time (0 = not measured) */
    int first_aggregation_cached; /* 1: Â X computed once before training (aggregate.h) */
    double aggregate_s;           /* the time that took (0 when not cached) */
    struct gcn_load_info cache;   /* where the data came from: the dataset cache's status,
                                     entries and times (zeroed: "off") */
    const struct gcn_train_result *result; /* training result (not owned); must be set */
    uint64_t peak_rss_bytes;      /* 0: taken from getrusage when writing / printing */
    /* runtime breakdown, workers > 0 only (zero and absent from the JSON otherwise) */
    char scheduler[32];           /* StarPU scheduling policy actually running */
    int starpu_workers;           /* CPU workers StarPU actually runs */
    double compute_s;             /* Σ compute task time over the timed epochs */
    double communication_s;       /* Σ shuffle-pack + reduce task time */
    double overhead_s;            /* worker time that is neither (scheduling, data, idle) */
    uint64_t tasks;               /* tasks submitted */
    uint64_t shuffle_bytes;       /* bytes copied by shuffle tasks (packs or gathers), all
                                     epochs */
    uint64_t edge_cut;            /* directed edges whose ends lie in different partitions */
    char shuffle[16];             /* shuffle mode that ran: "pairwise" or "broadcast" */
    uint64_t shuffle_rows;        /* rows one propagation copies across partitions */
    uint64_t pairwise_rows;       /* rows a pairwise shuffle copies (Σ halos), either mode */
    uint64_t starpu_transferred_bytes; /* StarPU's bytes between memory nodes (0 CPU-only) */
    char trace_dir[GCN_PATH_MAX]; /* FxT trace folder ("" = no trace) */
    /* under mpirun (report_mpi.h): ranks > 1 adds the network part */
    int ranks;                    /* MPI ranks of the job (1: one process) */
    uint64_t net_bytes;           /* Σ over the timed epochs of StarPU-MPI data bytes sent */
    double net_s;                 /* Σ over the timed epochs of the longest rank's in-flight
                                     time */
    size_t timed_epochs;          /* epochs those sums cover */
    uint64_t predicted_net_bytes; /* bytes one epoch must send between ranks by the plan */
    uint64_t cross_rank_rows;     /* rows one propagation moves between ranks */
    const struct gcn_rank_stats *per_rank; /* (ranks) per-rank shares (not owned), or NULL */
    /* environment and outcome */
    const struct gcn_sysinfo *sys; /* hardware and software (not owned); NULL: collected
                                      when writing */
    char error[512];              /* "" for a successful run; else status "error" + message
                                     (for gcnbench's record of a failed run) */
};

/* Zeroes rep and fills the "what was run" part from the validated cfg, the loaded ds and
 * forward_only (--forward-only), with date = now. Sequential runs (workers 0) get
 * partitions = 1. */
void gcn_run_report_init(struct gcn_run_report *rep, const struct gcn_config *cfg,
                         const struct gcn_dataset *ds, int forward_only);

/* Writes the result object (docs/result-schema.md) to j, which must be at the top level or
 * where a value is due. rep->result must be set. */
void gcn_report_json(const struct gcn_run_report *rep, struct gcn_json *j);

/* Writes the result object to path atomically, pretty-printed. Errors: path not writable
 * (message names the path, the OS error and the fix), write errors such as ENOSPC: nothing
 * is left at path (an old file stays as it was). */
int gcn_report_write_result(const struct gcn_run_report *rep, const char *path);

/* Writes the per-epoch CSV atomically: header "epoch,loss,train_f1,val_loss,val_f1,seconds"
 * then one row per epoch run (epoch counted from 1, numbers round-trip exact, nan for
 * undefined values). Errors as gcn_report_write_result. */
int gcn_report_write_epoch_log(const struct gcn_train_result *res, const char *path);

/* Prints the end-of-run summary to out: dataset and configuration, total time, mean ± std
 * epoch time with the warm-up epochs shown apart, final loss, train/val/test F1, peak RSS,
 * and for workers > 0 the compute / communication / overhead split with percentages of
 * worker time, shuffle bytes, tasks, edge cut and the trace's ViTE command. */
void gcn_report_print_summary(const struct gcn_run_report *rep, FILE *out);

/* This process's peak resident set size in bytes (getrusage ru_maxrss × 1024). */
uint64_t gcn_peak_rss_bytes(void);

/* Number of epochs gcn_train_epoch_stats leaves out for warmup and epochs_run (warmup when
 * some epochs remain after it, else 0). */
size_t gcn_report_warmup_excluded(size_t warmup, size_t epochs_run);

/* A field of an epoch record (struct gcn_epoch_record), for gcn_report_epoch_list. */
enum gcn_epoch_field {
    GCN_EPOCH_SECONDS, GCN_EPOCH_LOSS, GCN_EPOCH_TRAIN_F1, GCN_EPOCH_VAL_LOSS, GCN_EPOCH_VAL_F1,
    GCN_EPOCH_COMPUTE, GCN_EPOCH_COMM, GCN_EPOCH_OVERHEAD, GCN_EPOCH_NET_S, /* numbers */
    GCN_EPOCH_TASKS, GCN_EPOCH_SHUFFLE_BYTES, GCN_EPOCH_NET_BYTES          /* integers */
};

/* Writes the JSON member key: [field f of epochs first .. last - 1] (last capped at the
 * epochs run), counts as integers, the rest as numbers (null when not finite). */
void gcn_report_epoch_list(struct gcn_json *j, const char *key,
                           const struct gcn_train_result *res, size_t first, size_t last,
                           enum gcn_epoch_field f);

/* 1234567 -> "1,234,567" into buf; returns buf. */
char *gcn_format_count(char *buf, size_t cap, uint64_t v);

/* v seconds with a unit chosen by the scale of ref (so a mean and its std read alike):
 * "12.5 us", "3.21 ms", "1.234 s"; "?" when not finite. Returns buf. */
char *gcn_format_secs(char *buf, size_t cap, double v, double ref);

#endif
