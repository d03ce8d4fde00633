/* bench_compare.h: `gcnbench --compare-to OLD`: regressions of a results folder against an
 * older one. A configuration present in both, with at least two ok runs on each side, is
 * compared metric by metric; a regression is a metric whose new 95 % confidence interval
 * lies entirely on the worse side of the old one (the intervals no longer overlap): epoch
 * time, total time or peak memory up, test F1 (micro, macro) or speedup down. */
#ifndef GCNRUN_BENCH_COMPARE_H
#define GCNRUN_BENCH_COMPARE_H

#include <stddef.h>

#include "bench_runs.h"

struct bench_regression {
    const char *config;          /* the configuration label (points into the new set) */
    const char *metric;          /* "epoch_time_mean_s", ..., "speedup" */
    double old_mean, old_lo, old_hi; /* the old mean and 95 % CI */
    double new_mean, new_lo, new_hi; /* the new ones */
};

struct bench_comparison {
    struct bench_regression *reg; /* regressions, in report order (owned) */
    size_t n_reg;
    size_t n_compared;            /* configurations compared */
    const char **skipped;         /* labels of new configurations not compared: absent from
                                     the old folder or fewer than two ok runs on a side
                                     (owned array; the strings belong to the new set) */
    size_t n_skipped;
};

/* Compares cur against old into cmp (zeroed first). Errors: out of memory. The result
 * points into cur: keep cur alive while using it. Free with bench_comparison_free. */
int bench_compare(const struct bench_set *old, const struct bench_set *cur,
                  struct bench_comparison *cmp);

void bench_comparison_free(struct bench_comparison *cmp);

#endif
