/* bench_csv.c: the report's CSV files (see bench_csv.h). */
#include "bench_csv.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "drivers/atomic.h"
#include "base/error.h"
#include "drivers/json.h"

/* A text field, quoted when it must be. */
static void put_text(FILE *f, const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

/* The identity columns of a configuration: label,sweep,point (no trailing comma). */
static void put_group(FILE *f, const struct bench_group *c)
{
    put_text(f, c->label);
    fputc(',', f);
    put_text(f, c->sweep);
    fputc(',', f);
    put_text(f, c->point);
}

/* A number field: round-trip digits, empty when undefined. */
static void put_num(FILE *f, double v)
{
    char buf[40];
    if (isfinite(v))
        fputs(gcn_format_double(buf, sizeof buf, v), f);
}

/* ",v" */
static void put_col(FILE *f, double v)
{
    fputc(',', f);
    put_num(f, v);
}

/* Opens dir/name for writing. */
static int open_csv(struct gcn_atomic_file *a, const char *dir, const char *name)
{
    char path[4400];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return gcn_atomic_open(a, path, "report CSV");
}

/* The file of configuration c's runs: "sequential_metrics.csv", "local_4_metrics.csv",
 * "mpi_2x1_metrics.csv", "sweep_hidden_metrics.csv" (a sweep name keeps letters, digits, '-'
 * and '_'). */
static void runs_file_name(char *buf, size_t cap, const struct bench_group *c)
{
    if (strcmp(c->sweep, "matrix") == 0) {
        if (c->ranks > 0)
            snprintf(buf, cap, "mpi_%dx%d_metrics.csv", c->ranks, c->workers);
        else if (c->workers == 0)
            snprintf(buf, cap, "sequential_metrics.csv");
        else
            snprintf(buf, cap, "local_%d_metrics.csv", c->workers);
        return;
    }
    char safe[sizeof c->sweep];
    size_t i = 0;
    for (; c->sweep[i]; i++) {
        const char ch = c->sweep[i];
        safe[i] = isalnum((unsigned char)ch) || ch == '-' || ch == '_' ? ch : '_';
    }
    safe[i] = '\0';
    snprintf(buf, cap, "sweep_%s_metrics.csv", safe);
}

static void put_run_row(FILE *f, const struct bench_run *r)
{
    put_text(f, r->label);
    fprintf(f, ",%d,", r->workers);
    put_text(f, r->point);
    fprintf(f, ",%lld,%d,%s", (long long)r->seed, r->repeat, r->ok ? "ok" : "error");
    for (int m = 0; m < BM_COUNT; m++)
        put_col(f, r->ok ? r->m[m] : NAN);
    fputc(',', f);
    put_text(f, r->file);
    fputc(',', f);
    put_text(f, r->error);
    fputc('\n', f);
}

int bench_csv_write_runs(const struct bench_set *set, const char *dir)
{
    /* configurations sharing a file are adjacent in report order (one label per N in the
       matrix, one sweep's points together) */
    for (size_t k = 0; k < set->n_cfgs;) {
        char name[128], other[128];
        struct gcn_atomic_file a;
        runs_file_name(name, sizeof name, &set->cfgs[k]);
        if (open_csv(&a, dir, name) != GCN_OK)
            return GCN_ERR;
        fputs("config,workers,point,seed,repeat,status", a.f);
        for (int m = 0; m < BM_COUNT; m++)
            fprintf(a.f, ",%s", bench_metric_names[m]);
        fputs(",file,error\n", a.f);
        for (; k < set->n_cfgs; k++) {
            const struct bench_group *c = &set->cfgs[k];
            runs_file_name(other, sizeof other, c);
            if (strcmp(other, name) != 0)
                break;
            for (size_t i = 0; i < c->n_runs; i++)
                put_run_row(a.f, &set->runs[c->runs[i]]);
        }
        if (gcn_atomic_commit(&a) != GCN_OK)
            return GCN_ERR;
    }
    return GCN_OK;
}

int bench_csv_write_summary(const struct bench_set *set, const char *dir)
{
    struct gcn_atomic_file a;
    if (open_csv(&a, dir, "benchmark_summary.csv") != GCN_OK)
        return GCN_ERR;
    fputs("config,sweep,point,workers,metric,n,mean,std,min,max,ci95_low,ci95_high\n", a.f);
    for (size_t k = 0; k < set->n_cfgs; k++) {
        const struct bench_group *c = &set->cfgs[k];
        for (int m = 0; m < BM_COUNT; m++) {
            const struct bench_stat *s = &c->st[m];
            put_group(a.f, c);
            fprintf(a.f, ",%d,%s,%zu", c->workers, bench_metric_names[m], s->n);
            put_col(a.f, s->mean);
            put_col(a.f, s->std);
            put_col(a.f, s->min);
            put_col(a.f, s->max);
            put_col(a.f, s->ci_lo);
            put_col(a.f, s->ci_hi);
            fputc('\n', a.f);
        }
    }
    return gcn_atomic_commit(&a);
}

int bench_csv_write_comparison(const struct bench_set *set, const char *dir)
{
    struct gcn_atomic_file a;
    if (open_csv(&a, dir, "comparison.csv") != GCN_OK)
        return GCN_ERR;
    fputs("config,sweep,point,workers,runs_ok,runs_failed,epoch_time_mean_s,epoch_time_std_s,"
          "speedup,speedup_unc,speedup_ci95_low,speedup_ci95_high,efficiency,compute_pct,"
          "communication_pct,overhead_pct,test_f1_micro_mean,test_f1_micro_std,"
          "test_f1_macro_mean,test_f1_macro_std,f1_diff_points,peak_rss_mean_bytes,"
          "throughput_mean_edges_per_s,shuffle_bytes_mean,edge_cut_mean,wall_mean_s,"
          "cpu_user_mean_s,cpu_sys_mean_s,cores_used,utilization_mean,utilization_std\n", a.f);
    for (size_t k = 0; k < set->n_cfgs; k++) {
        const struct bench_group *c = &set->cfgs[k];
        put_group(a.f, c);
        fprintf(a.f, ",%d,%zu,%zu", c->workers, c->n_ok, c->n_runs - c->n_ok);
        const double cols[] = {
            c->st[BM_EPOCH_TIME].mean, c->st[BM_EPOCH_TIME].std, c->speedup, c->speedup_unc,
            c->speedup_ci_lo, c->speedup_ci_hi, c->efficiency, c->compute_pct,
            c->communication_pct, c->overhead_pct, c->st[BM_TEST_F1_MICRO].mean,
            c->st[BM_TEST_F1_MICRO].std, c->st[BM_TEST_F1_MACRO].mean,
            c->st[BM_TEST_F1_MACRO].std, c->f1_diff_points, c->st[BM_PEAK_RSS].mean,
            c->st[BM_THROUGHPUT].mean, c->st[BM_SHUFFLE_BYTES].mean, c->st[BM_EDGE_CUT].mean,
            c->st[BM_WALL].mean, c->st[BM_CPU_USER].mean, c->st[BM_CPU_SYS].mean,
            c->st[BM_CORES_USED].mean, c->st[BM_UTILIZATION].mean, c->st[BM_UTILIZATION].std,
        };
        for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++)
            put_col(a.f, cols[i]);
        fputc('\n', a.f);
    }
    return gcn_atomic_commit(&a);
}

int bench_csv_write_regressions(const struct bench_comparison *cmp, const char *dir)
{
    struct gcn_atomic_file a;
    if (open_csv(&a, dir, "regressions.csv") != GCN_OK)
        return GCN_ERR;
    fputs("config,metric,old_mean,old_ci95_low,old_ci95_high,new_mean,new_ci95_low,"
          "new_ci95_high,change_pct\n", a.f);
    for (size_t i = 0; i < cmp->n_reg; i++) {
        const struct bench_regression *r = &cmp->reg[i];
        put_text(a.f, r->config);
        fprintf(a.f, ",%s", r->metric);
        put_col(a.f, r->old_mean);
        put_col(a.f, r->old_lo);
        put_col(a.f, r->old_hi);
        put_col(a.f, r->new_mean);
        put_col(a.f, r->new_lo);
        put_col(a.f, r->new_hi);
        put_col(a.f, r->old_mean != 0 ? 100.0 * (r->new_mean - r->old_mean) / r->old_mean
                                      : NAN);
        fputc('\n', a.f);
    }
    return gcn_atomic_commit(&a);
}
