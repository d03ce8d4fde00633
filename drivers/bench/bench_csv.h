/* bench_csv.h: the CSV files of gcnbench's report, written atomically into the results
 * folder. RFC 4180: a header row, comma-separated, text fields quoted when they hold a
 * comma, quote or line break; numbers with round-trip precision; a value that is undefined
 * (a failed run's metrics, the speedup of a sweep point that trains another model, the CPU
 * time and utilization of a run file written before gcnbench measured them) is an empty
 * field.
 *
 *   sequential_metrics.csv, local_{N}_metrics.csv  one row per matrix run (failed included)
 *   sweep_{SWEEP}_metrics.csv                       one row per run of that sweep
 *   benchmark_summary.csv   one row per configuration and metric: n, mean, std, min, max,
 *                           95 % CI of the mean (Student t)
 *   comparison.csv          one row per configuration: speedup against sequential with its
 *                           uncertainty, efficiency, time shares, F1, memory, wall and
 *                           CPU time, cores used, utilization
 *   regressions.csv         (--compare-to) one row per regression */
#ifndef GCNRUN_BENCH_CSV_H
#define GCNRUN_BENCH_CSV_H

#include "bench_compare.h"
#include "bench_runs.h"

/* The per-run metric CSVs of every configuration in set, into dir. Errors: a file cannot be
 * written (GCN_ERR naming it, see drivers/atomic.h). */
int bench_csv_write_runs(const struct bench_set *set, const char *dir);

/* dir/benchmark_summary.csv. Errors as above. */
int bench_csv_write_summary(const struct bench_set *set, const char *dir);

/* dir/comparison.csv. Errors as above. */
int bench_csv_write_comparison(const struct bench_set *set, const char *dir);

/* dir/regressions.csv from cmp (a header only when there is none). Errors as above. */
int bench_csv_write_regressions(const struct bench_comparison *cmp, const char *dir);

#endif
