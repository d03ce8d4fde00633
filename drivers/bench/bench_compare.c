/* bench_compare.c: regressions against an older results folder (see bench_compare.h). */
#include "bench_compare.h"

#include <stdlib.h>
#include <string.h>

#include "base/error.h"

/* A compared quantity: a metric's statistics, or (metric BM_COUNT) the speedup. */
static const struct {
    enum bench_metric m;
    const char *name;
    int higher_is_worse;
} compared[] = {
    { BM_EPOCH_TIME, "epoch_time_mean_s", 1 },
    { BM_TOTAL_TIME, "total_time_s", 1 },
    { BM_PEAK_RSS, "peak_rss_bytes", 1 },
    { BM_TEST_F1_MICRO, "test_f1_micro", 0 },
    { BM_TEST_F1_MACRO, "test_f1_macro", 0 },
    { BM_COUNT, "speedup", 0 },
};
#define N_COMPARED (sizeof compared / sizeof compared[0])

/* mean and CI of quantity i on c. */
static void interval(const struct bench_group *c, size_t i, double *mean, double *lo,
                     double *hi)
{
    if (compared[i].m == BM_COUNT) {
        *mean = c->speedup;
        *lo = c->speedup_ci_lo;
        *hi = c->speedup_ci_hi;
    } else {
        *mean = c->st[compared[i].m].mean;
        *lo = c->st[compared[i].m].ci_lo;
        *hi = c->st[compared[i].m].ci_hi;
    }
}

int bench_compare(const struct bench_set *old, const struct bench_set *cur,
                  struct bench_comparison *cmp)
{
    memset(cmp, 0, sizeof *cmp);
    const size_t cap = cur->n_cfgs ? cur->n_cfgs : 1;
    cmp->reg = calloc(cap * N_COMPARED, sizeof *cmp->reg);
    cmp->skipped = calloc(cap, sizeof *cmp->skipped);
    if (!cmp->reg || !cmp->skipped) {
        bench_comparison_free(cmp);
        return gcn_fail("out of memory comparing %s with %s", cur->dir, old->dir);
    }
    for (size_t k = 0; k < cur->n_cfgs; k++) {
        const struct bench_group *c = &cur->cfgs[k];
        const struct bench_group *o = bench_set_find(old, c->label);
        if (!o || o->n_ok < 2 || c->n_ok < 2) {
            cmp->skipped[cmp->n_skipped++] = c->label;
            continue;
        }
        cmp->n_compared++;
        for (size_t i = 0; i < N_COMPARED; i++) {
            struct bench_regression r = { .config = c->label, .metric = compared[i].name };
            interval(o, i, &r.old_mean, &r.old_lo, &r.old_hi);
            interval(c, i, &r.new_mean, &r.new_lo, &r.new_hi);
            if (bench_intervals_overlap(r.old_lo, r.old_hi, r.new_lo, r.new_hi) != 0)
                continue; /* overlapping, or unknown (no speedup on a side) */
            const int went_up = r.new_lo > r.old_hi;
            if (went_up == compared[i].higher_is_worse)
                cmp->reg[cmp->n_reg++] = r;
        }
    }
    return GCN_OK;
}

void bench_comparison_free(struct bench_comparison *cmp)
{
    free(cmp->reg);
    free(cmp->skipped);
    memset(cmp, 0, sizeof *cmp);
}
