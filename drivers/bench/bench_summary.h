/* bench_summary.h: summary.md, the part of gcnbench's report a person reads: the machine and
 * software the runs came from, the workload, the comparison table of the matrix, the network
 * traffic of its mpi[RxN] configurations, notes (runtime overhead of local[1],
 * oversubscribed configurations, F1 flags), the targets'
 * verdicts, failed runs, one table per sweep, regressions against an older folder, and the
 * plots. */
#ifndef GCNRUN_BENCH_SUMMARY_H
#define GCNRUN_BENCH_SUMMARY_H

#include "bench_compare.h"
#include "bench_plot.h"
#include "bench_runs.h"
#include "bench_targets.h"

struct bench_summary_input {
    const struct bench_set *set;           /* the results */
    const char *ini_path;                  /* the bench INI the targets came from */
    const struct bench_targets *targets;   /* its [targets] (targets->found: it exists) */
    const char *compare_to;                /* the older folder, NULL when not comparing */
    const struct bench_comparison *cmp;    /* the comparison (with compare_to) */
    int plots_wanted;                      /* 0: --no-plots */
    const struct bench_plots *plots;       /* what was drawn (with plots_wanted) */
};

/* Writes the summary as dir/summary.md atomically. Errors: the file cannot be written (named),
 * out of memory. */
int bench_summary_write(const char *dir, const struct bench_summary_input *in);

#endif
