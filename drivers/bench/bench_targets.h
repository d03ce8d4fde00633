/* bench_targets.h: the [targets] section of a gcnbench INI and its verdicts. One key per
 * target names a metric and a configuration, the value an operator and a number:
 *
 *   speedup@local[2]                = >= 1.8   ; T_seq_mean / T_cfg_mean
 *   efficiency@local[4]             = >= 0.5   ; speedup / N (R x N for mpi[RxN])
 *   epoch_ratio@local[1]/sequential = <= 1.05  ; epoch_time_mean(A) / epoch_time_mean(B)
 *   overhead_pct@local[2]           = < 5      ; 100 overhead / (compute + comm + overhead)
 *   communication_pct@local[2]      = < 20     ; 100 comm / (compute + comm + overhead)
 *   f1_diff_points@*                = <= 1     ; |test F1 - sequential's| in points
 *
 * Operators: >=, <=, <, >. `@*` (f1_diff_points only) stands for every configuration that
 * trains the sequential run's model (the matrix and the partitioner sweep), sequential
 * itself excepted. Each target yields PASS, FAIL, or SKIP when a configuration it needs has
 * no ok run. Other sections of the file ([bench], [sweep], [effective]) belong to the runner
 * and are ignored here. */
#ifndef GCNRUN_BENCH_TARGETS_H
#define GCNRUN_BENCH_TARGETS_H

#include <stddef.h>

#include "bench_runs.h"

enum bench_target_metric {
    BT_SPEEDUP,
    BT_EFFICIENCY,
    BT_EPOCH_RATIO,
    BT_OVERHEAD_PCT,
    BT_COMMUNICATION_PCT,
    BT_F1_DIFF_POINTS,
};

enum bench_target_op { BT_GE, BT_LE, BT_LT, BT_GT };

enum bench_verdict { BT_PASS, BT_FAIL, BT_SKIP };

struct bench_target {
    char key[160];                   /* the key as written ("speedup@local[2]") */
    enum bench_target_metric metric; /* what is measured */
    char cfg[128];                   /* the configuration label ("*" for every one) */
    char cfg_b[128];                 /* epoch_ratio only: the denominator's label */
    enum bench_target_op op;         /* comparison */
    double value;                    /* the threshold */
};

struct bench_targets {
    struct bench_target *t;          /* in file order (owned) */
    size_t n;
    int found;                       /* 1 when the INI file exists */
};

struct bench_target_result {
    char line[400];                  /* "local[2] speedup 1.87x (target >= 1.8x) PASS" */
    enum bench_verdict verdict;
    double measured;                 /* the value compared (NaN for SKIP) */
};

/* Parses one target from its key and value (blank space around both ignored). Errors:
 * GCN_ERR with a message naming the key: unknown metric (the message lists them), no '@' or
 * an empty configuration, epoch_ratio without "A/B" (or '/' elsewhere), '*' with a metric
 * other than f1_diff_points, missing or unknown operator, a value that is not one finite
 * number. */
int bench_target_parse(struct bench_target *t, const char *key, const char *value);

/* Reads the [targets] section of the INI at path into ts (zeroed first). A missing file is
 * no error (no targets: results merged by hand need no bench.ini). Errors: unreadable file,
 * INI syntax error, a bad target: "PATH:LINE: [targets] KEY = VALUE: why". Free with
 * bench_targets_free. */
int bench_targets_load(struct bench_targets *ts, const char *path);

void bench_targets_free(struct bench_targets *ts);

/* Evaluates t against set: one result per configuration it covers (one, or for `@*` every
 * such configuration with an ok run; one SKIP line when there is none) in *out (malloc'd,
 * the caller frees), their count in *n. Errors: out of memory only. */
int bench_target_eval(const struct bench_target *t, const struct bench_set *set,
                      struct bench_target_result **out, size_t *n);

/* "PASS", "FAIL" or "SKIP". */
const char *bench_verdict_name(enum bench_verdict v);

#endif
