/* bench_stats.h: the statistics of gcnbench's report: per-configuration summaries of a
 * metric over repeated runs (mean, sample standard deviation, min, max and a 95 % confidence
 * interval of the mean from Student's t), the speedup of two means with its propagated
 * uncertainty, the overlap test behind --compare-to's regression marks, and one run's CPU
 * utilization (the runner stores it in the run file, the report recomputes it for a file that
 * lacks it, so this file is built into the runner's library). Pure functions of their
 * arguments: no I/O, no allocation. */
#ifndef GCNRUN_BENCH_STATS_H
#define GCNRUN_BENCH_STATS_H

#include <stddef.h>

struct bench_stat {
    size_t n;          /* values summarized (NaN values are left out) */
    double mean;       /* arithmetic mean; NaN when n == 0 */
    double std;        /* sample standard deviation (n - 1); 0 when n == 1, NaN when n == 0 */
    double min, max;   /* extremes; NaN when n == 0 */
    double ci_half;    /* half width of the 95 % CI of the mean: t_{0.975,n-1} std / sqrt(n);
                          NaN when n < 2 (one run says nothing about its spread) */
    double ci_lo;      /* mean - ci_half (NaN when n < 2) */
    double ci_hi;      /* mean + ci_half (NaN when n < 2) */
};

/* Student's t quantile t_{0.975, df}: the two-sided 95 % critical value. Exact to 9 digits
 * for df 1..30, 40, 60, 120 (a table); in between and above 120 interpolated linearly in
 * 1/df towards the normal 1.959963985, which is within 1e-4 of the true value. df == 0:
 * NaN. */
double bench_t975(size_t df);

/* Summarizes x[0..n) into s, skipping NaN entries (a metric a run did not report). x may be
 * NULL when n is 0. */
void bench_stat_compute(struct bench_stat *s, const double *x, size_t n);

/* The ratio of two means r = a->mean / b->mean (e.g. speedup = T_sequential / T_config) and
 * its standard uncertainty to first order, from the standard errors of both means:
 * unc = |r| sqrt((s_a^2/n_a)/mean_a^2 + (s_b^2/n_b)/mean_b^2). Returns r (NaN when either
 * has no values or b's mean is 0) and stores unc in *unc (NaN with r). */
double bench_ratio(const struct bench_stat *a, const struct bench_stat *b, double *unc);

/* 1 when the closed intervals [lo1, hi1] and [lo2, hi2] share a point, 0 when not; -1 when
 * any bound is NaN (the overlap is unknown). */
int bench_intervals_overlap(double lo1, double hi1, double lo2, double hi2);

/* The cores a configuration can use: min(workers, online) for local[N] (workers > 0; R x N
 * for mpi[RxN], whose ranks share the machine); for the sequential baseline (workers 0)
 * min(blas_threads, online), its BLAS threads.
 * online: the CPUs the machine lets the run use. 0 (unknown) when online < 1, or for the
 * sequential baseline when blas_threads < 1 (not reported). */
int bench_cores_used(int workers, int blas_threads, int online);

/* A run's CPU utilization cpu_s / (wall_s x cores): cpu_s its user + system CPU time, wall_s
 * its wall time, cores bench_cores_used's. 1 means every usable core busy the whole time;
 * more than 1 means the process ran more threads than that in some phase. NaN when cpu_s or
 * wall_s is not finite, cpu_s < 0, wall_s <= 0 or cores <= 0 (a field the run file lacks, or a
 * wall time too short to measure). */
double bench_utilization(double cpu_s, double wall_s, int cores);

#endif
