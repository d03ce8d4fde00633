/* bench_stats.c: summaries, Student t quantiles, ratios, interval overlap and CPU
 * utilization for the gcnbench report (see bench_stats.h). */
#include "bench_stats.h"

#include <math.h>

/* t_{0.975, df}, df = 1..30 (index df - 1), then 40, 60, 120; the normal quantile as df
 * goes to infinity. Values to 9 decimals (they agree with scipy.stats.t.ppf). */
static const double t975_small[30] = {
    12.706204736, 4.302652730, 3.182446305, 2.776445105, 2.570581836, 2.446911851,
    2.364624252,  2.306004135, 2.262157163, 2.228138852, 2.200985160, 2.178812830,
    2.160368656,  2.144786688, 2.131449546, 2.119905299, 2.109815578, 2.100922040,
    2.093024054,  2.085963447, 2.079613845, 2.073873068, 2.068657610, 2.063898562,
    2.059538553,  2.055529439, 2.051830516, 2.048407142, 2.045229642, 2.042272456,
};
static const struct { double df, t; } t975_large[] = {
    { 30, 2.042272456 }, { 40, 2.021075390 }, { 60, 2.000297822 }, { 120, 1.979930405 },
};
static const double z975 = 1.959963985;

double bench_t975(size_t df)
{
    if (df == 0)
        return NAN;
    if (df <= 30)
        return t975_small[df - 1];
    const size_t n_large = sizeof t975_large / sizeof t975_large[0];
    const double inv = 1.0 / (double)df;
    for (size_t i = 0; i + 1 < n_large; i++) {
        if ((double)df <= t975_large[i + 1].df) {
            const double i0 = 1.0 / t975_large[i].df, i1 = 1.0 / t975_large[i + 1].df;
            const double w = (inv - i1) / (i0 - i1);
            return w * t975_large[i].t + (1.0 - w) * t975_large[i + 1].t;
        }
    }
    /* above 120: between (1/120, t_120) and (0, z) */
    const double last = 1.0 / t975_large[n_large - 1].df;
    return z975 + (t975_large[n_large - 1].t - z975) * inv / last;
}

void bench_stat_compute(struct bench_stat *s, const double *x, size_t n)
{
    double sum = 0.0, lo = INFINITY, hi = -INFINITY;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (isnan(x[i]))
            continue;
        sum += x[i];
        lo = fmin(lo, x[i]);
        hi = fmax(hi, x[i]);
        k++;
    }
    s->n = k;
    s->ci_half = s->ci_lo = s->ci_hi = NAN;
    if (k == 0) {
        s->mean = s->std = s->min = s->max = NAN;
        return;
    }
    s->mean = sum / (double)k;
    s->min = lo;
    s->max = hi;
    s->std = 0.0;
    if (k == 1)
        return;
    double ss = 0.0; /* two passes: no cancellation for values with a large common offset */
    for (size_t i = 0; i < n; i++) {
        if (!isnan(x[i]))
            ss += (x[i] - s->mean) * (x[i] - s->mean);
    }
    s->std = sqrt(ss / (double)(k - 1));
    s->ci_half = bench_t975(k - 1) * s->std / sqrt((double)k);
    s->ci_lo = s->mean - s->ci_half;
    s->ci_hi = s->mean + s->ci_half;
}

double bench_ratio(const struct bench_stat *a, const struct bench_stat *b, double *unc)
{
    *unc = NAN;
    if (a->n == 0 || b->n == 0 || b->mean == 0.0)
        return NAN;
    const double r = a->mean / b->mean;
    double rel2 = 0.0;
    if (a->mean != 0.0)
        rel2 += a->std * a->std / (double)a->n / (a->mean * a->mean);
    rel2 += b->std * b->std / (double)b->n / (b->mean * b->mean);
    *unc = fabs(r) * sqrt(rel2);
    return r;
}

int bench_intervals_overlap(double lo1, double hi1, double lo2, double hi2)
{
    if (isnan(lo1) || isnan(hi1) || isnan(lo2) || isnan(hi2))
        return -1;
    return lo1 <= hi2 && lo2 <= hi1;
}

int bench_cores_used(int workers, int blas_threads, int online)
{
    const int want = workers > 0 ? workers : blas_threads;
    if (online < 1 || want < 1)
        return 0;
    return want < online ? want : online;
}

double bench_utilization(double cpu_s, double wall_s, int cores)
{
    if (!(cpu_s >= 0) || !(wall_s > 0) || cores <= 0 || isinf(cpu_s) || isinf(wall_s))
        return NAN;
    return cpu_s / (wall_s * (double)cores);
}
