/* bench_runs.h: a results folder of gcnbench in memory. Reads every DIR/runs/<id>.json (gcnrun's
 * --result object plus the runner's "bench" object, see docs/result-schema.md and issue 5),
 * groups the runs into configurations by bench.label, orders them (sequential, local[N] by
 * N, mpi[RxN] by R x N then R, then the sweep points grouped by sweep), and computes each
 * configuration's statistics and its comparison with the sequential baseline. Everything the report writes (CSVs,
 * summary.md, targets, regressions, plots) is derived from one struct bench_set. */
#ifndef GCNRUN_BENCH_RUNS_H
#define GCNRUN_BENCH_RUNS_H

#include <stddef.h>
#include <stdint.h>

#include "bench_stats.h"

struct json_object;

/* The metrics of one run; each configuration gets a struct bench_stat per metric. */
enum bench_metric {
    BM_TOTAL_TIME,     /* total_time_s: all epochs, warm-up included */
    BM_EPOCH_TIME,     /* epoch_time_mean_s: mean of the timed epochs */
    BM_COMPUTE,        /* compute_s (sequential: epoch_time_mean_s x timed_epochs, all of it
                          compute) */
    BM_COMMUNICATION,  /* communication_s (0 for sequential) */
    BM_OVERHEAD,       /* overhead_s (0 for sequential) */
    BM_TEST_F1_MICRO,  /* test_f1_micro */
    BM_TEST_F1_MACRO,  /* test_f1_macro */
    BM_PEAK_RSS,       /* bench.wait4_peak_rss_bytes (else peak_rss_bytes) */
    BM_THROUGHPUT,     /* throughput_edges_per_s */
    BM_SHUFFLE_BYTES,  /* shuffle_bytes (0 for sequential) */
    BM_EDGE_CUT,       /* edge_cut (0 for sequential) */
    BM_FINAL_LOSS,     /* final_loss */
    BM_WALL,           /* bench.wall_s: the child's wall time, loading included */
    BM_CPU_USER,       /* bench.cpu_user_s: the child's user CPU time (wait4) */
    BM_CPU_SYS,        /* bench.cpu_sys_s: its system CPU time (wait4) */
    BM_CORES_USED,     /* bench.cores_used: the cores its configuration can use */
    BM_UTILIZATION,    /* bench.utilization (else computed from the three above and wall_s):
                          CPU time / (wall time x cores used); NaN in older run files */
    BM_NET_BYTES,      /* network.bytes_per_epoch: bytes sent through StarPU-MPI per timed
                          epoch (runs under mpirun only; NaN for the others) */
    BM_NET_PREDICTED,  /* network.predicted_bytes_per_epoch: the partition plan's count */
    BM_NET_SECONDS,    /* network.seconds_per_epoch: time data was in flight per timed epoch */
    BM_COUNT
};

/* The CSV column name of each metric ("total_time_s", ..., "peak_rss_bytes", "wall_s",
 * "cpu_user_s", "cpu_sys_s", "cores_used", "utilization", "network_bytes_per_epoch",
 * "network_predicted_bytes_per_epoch", "network_seconds_per_epoch"). */
extern const char *const bench_metric_names[BM_COUNT];

struct bench_run {
    char file[256];            /* file name under runs/ ("local2_seed42.json") */
    char label[128];           /* bench.label: "sequential", "local[2]", "mpi[2x1]",
                                  "local[4], hidden=64" */
    char sweep[32];            /* bench.sweep: "matrix", "hidden", "layers", ... */
    char point[64];            /* bench.point: the swept value, "" for the matrix */
    int workers;               /* bench.workers: 0 = sequential; per rank for mpi[RxN] */
    int ranks;                 /* bench.ranks: R of mpi[RxN], 0 otherwise (and when absent,
                                  in run files from before MPI) */
    int64_t seed;              /* bench.seed */
    int repeat;                /* bench.repeat (0-based) */
    int ok;                    /* 1: status "ok"; 0: a failed run */
    char error[512];           /* the failed run's error ("" when ok) */
    int cores;                 /* hardware.cores, 0 when absent */
    char shuffle[16];          /* shuffle mode that ran ("pairwise", "broadcast"; "" when
                                  absent: sequential, or an older run file) */
    double m[BM_COUNT];        /* metrics; NaN when the run does not report one (failed) */
    double *losses;            /* per-epoch training losses (NULL when none; owned) */
    size_t n_losses;           /* entries of losses */
    struct json_object *root;  /* the parsed file, for hardware/software/dataset (owned) */
};

struct bench_group {
    char label[128];           /* the configuration label (bench.label) */
    char sweep[32];            /* its sweep ("matrix" for sequential, local[N], mpi[RxN]) */
    char point[64];            /* its swept value ("" for the matrix) */
    int workers;               /* 0 = sequential; per rank for mpi[RxN] */
    int ranks;                 /* R of mpi[RxN], 0 otherwise */
    int same_model;            /* 1 when it trains the model the sequential run trains (the
                                  matrix, mpi[RxN] included, and the partitioner sweep):
                                  speedup and F1 are compared with sequential only then */
    size_t *runs;              /* indices into bench_set.runs, in file-name order (owned) */
    size_t n_runs;             /* runs, failed ones included */
    size_t n_ok;               /* runs with status ok */
    int cores;                 /* hardware.cores of its first ok run (0 when unknown) */
    char shuffle[16];          /* shuffle mode of its first ok run ("" when none) */
    struct bench_stat st[BM_COUNT]; /* statistics over its ok runs */
    /* against the sequential configuration (NaN when there is none, or !same_model) */
    double speedup;            /* T_seq / T_cfg from the epoch-time means */
    double speedup_unc;        /* its standard uncertainty (bench_ratio) */
    double speedup_ci_lo;      /* speedup -/+ t_{0.975, min(n_seq, n_cfg) - 1} x unc */
    double speedup_ci_hi;
    double efficiency;         /* speedup / max(workers in all, 1): N, or R x N for mpi[RxN] */
    double f1_diff_points;     /* 100 |F1_cfg - F1_seq| (test micro-F1 means) */
    /* shares of the mean worker time compute + communication + overhead, in percent (NaN
       without ok runs) */
    double compute_pct, communication_pct, overhead_pct;
};

struct bench_set {
    char dir[4096];            /* the results folder read */
    struct bench_run *runs;    /* every run file, in file-name order */
    size_t n_runs;
    struct bench_group *cfgs; /* the configurations, in report order */
    size_t n_cfgs;
    const struct bench_group *seq; /* the sequential configuration (NULL when absent or no
                                       ok run) */
};

/* Reads dir/runs/<id>.json into set (zeroed first) and computes every statistic. A folder with
 * no run files is valid (n_runs 0). Errors: dir/runs missing or unreadable; a file that is
 * not valid JSON, not an object, lacks the "bench" object or one of its keys, or (for an ok
 * run) lacks epoch_time_mean_s, total_time_s, test_f1_micro or test_f1_macro; two runs with
 * the same label but different workers, ranks or sweep. Each message names the file and the
 * fix.
 * On error set is left empty. Free with bench_set_free. */
int bench_set_load(struct bench_set *set, const char *dir);

/* Frees everything bench_set_load allocated; set is zeroed (safe on a zeroed set). */
void bench_set_free(struct bench_set *set);

/* The workers of configuration c in all: N for local[N] (0 for sequential), R x N for
 * mpi[RxN]. */
int bench_group_workers_total(const struct bench_group *c);

/* The configuration with this label, or NULL. */
const struct bench_group *bench_set_find(const struct bench_set *set, const char *label);

/* The mean training loss per epoch over cfg's ok runs into out[0..cap): entry e averages
 * the runs that ran epoch e + 1 (early stopping can shorten some). Returns the number of
 * epochs filled (the longest run's, at most cap). */
size_t bench_group_mean_losses(const struct bench_set *set, const struct bench_group *cfg,
                                double *out, size_t cap);

#endif
