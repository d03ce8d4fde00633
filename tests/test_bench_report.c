/* test_bench_report.c: Check suite for gcnbench's report (drivers/bench/bench_stats.c,
 * bench_targets.c, bench_runs.c, bench_csv.c, bench_summary.c, bench_compare.c,
 * bench_plot.c, bench_report.c): statistics against hand values, Student t quantiles, the
 * cores a run uses and its CPU utilization (a table, zero wall time and missing values
 * included), target parsing (every documented error names the key) and evaluation (each
 * operator, PASS/FAIL/SKIP), and whole reports built from run files the tests write
 * themselves into a mkdtemp folder: 2 configurations x 3 seeds + one failed run (CSV rows,
 * the speedup to 1e-9, summary.md's target lines, F1 flag and failed run), the report order
 * and notes, --compare-to marking a planted regression and not the unchanged or improved
 * metrics, the CPU utilization columns and notes (stored, recomputed from the CPU times, and
 * absent from an older run file), mpi[RxN] configurations (their order, efficiency over R x N,
 * CSV file, network table, notes and targets), every kind of bad run file named in the error,
 * and the plots (drawn by gnuplot, mpi[RxN] as separate points at R x N, skipped with
 * --no-plots, or reported missing when gnuplot is not on PATH). */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "drivers/bench/bench_report.h"
#include "drivers/bench/bench_runs.h"
#include "drivers/bench/bench_stats.h"
#include "drivers/bench/bench_targets.h"
#include "base/error.h"
#include "testutil.h"

static char tmpdir[512];

static void make_tmpdir(void)
{
    test_tmpdir_make(tmpdir, sizeof tmpdir, "bench");
}

static void remove_tmpdir(void)
{
    test_tree_remove(tmpdir);
}

/* tmpdir/name in a static buffer (one of 4 rotating). */
static const char *tmp_path(const char *name)
{
    static char buf[4][900];
    static int k;
    k = (k + 1) % 4;
    snprintf(buf[k], sizeof buf[k], "%s/%s", tmpdir, name);
    return buf[k];
}

static int exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}


static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    ck_assert_msg(f != NULL, "cannot write %s", path);
    fputs(text, f);
    ck_assert_int_eq(fclose(f), 0);
}

static size_t count_lines(const char *text)
{
    size_t n = 0;
    for (; *text; text++)
        n += *text == '\n';
    return n;
}

#define ASSERT_HAS(text, needle)                                                             \
    ck_assert_msg(strstr((text), (needle)) != NULL, "'%s' not found in:\n%s", (needle), (text))
#define ASSERT_LACKS(text, needle)                                                           \
    ck_assert_msg(strstr((text), (needle)) == NULL, "'%s' found in:\n%s", (needle), (text))
#define ASSERT_MSG_HAS(needle)                                                               \
    ck_assert_msg(strstr(gcn_last_error(), (needle)) != NULL, "message '%s' lacks '%s'",     \
                  gcn_last_error(), (needle))

/* ---- run files ------------------------------------------------------------------------- */

struct fake_run {
    const char *label, *sweep, *point;
    int workers, seed, repeat;
    double epoch;          /* epoch_time_mean_s */
    double f1;             /* test_f1_micro */
    double rss;            /* bench.wait4_peak_rss_bytes */
    const char *error;     /* NULL: an ok run; else a failed run with this error */
};

/* What makes a run an mpi[RxN] one. */
struct fake_net {
    int ranks;             /* bench.ranks and ranks (left out when 0) */
    double bytes;          /* network.bytes_per_epoch (predicted: 1000 less; seconds: bytes /
                              1e9) */
};

/* The bench object's CPU fields of a run (its wall_s is 1.5). */
struct fake_cpu {
    double user, sys;      /* bench.cpu_user_s, bench.cpu_sys_s */
    int cores_used;        /* bench.cores_used, left out when 0 */
    double util;           /* bench.utilization, left out when 0 (the report computes it) */
};

/* dir/runs/<slug>_seed<seed>.json with every key of docs/result-schema.md (the runtime keys
 * only for workers > 0, ranks and network from net when not NULL) plus the runner's "bench"
 * object, as gcnbench writes it; its CPU fields from cpu, none when cpu is NULL (a run file
 * from before gcnbench measured them). */
static void write_run_file(const char *dir, const struct fake_run *r, const struct fake_cpu *cpu,
                           const struct fake_net *net)
{
    const int ranks = net ? net->ranks : 0;
    char slug[128], path[1200];
    size_t k = 0;
    for (const char *s = r->label; *s && k + 1 < sizeof slug; s++) {
        if (*s == '[' || *s == ']')
            continue;
        slug[k++] = (*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ? *s : '_';
    }
    slug[k] = '\0';
    snprintf(path, sizeof path, "%s/runs", dir);
    mkdir(path, 0777);
    snprintf(path, sizeof path, "%s/runs/%s_seed%d.json", dir, slug, r->seed);
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    if (r->error) {
        fprintf(f, "{\"schema_version\": 1, \"status\": \"error\", \"error\": \"%s\", "
                   "\"workers\": %d, \"seed\": %d, ", r->error, r->workers, r->seed);
    } else {
        const double e = r->epoch, w = r->workers;
        fprintf(f, "{\"schema_version\": 1, \"status\": \"ok\", \"date\": "
                   "\"2025-01-07T10:21:03Z\", \"config\": \"configs/quick-synth.ini\", "
                   "\"dataset\": \"synthetic\", \"format\": \"synthetic\", \"nodes\": 20000, "
                   "\"edges\": 400000, \"features\": 64, \"classes\": 8, \"train_nodes\": "
                   "12000, \"val_nodes\": 4000, \"test_nodes\": 4000, ");
        fprintf(f, "\"workers\": %d, \"partitions\": %d, \"partitioner\": \"range\", \"seed\": "
                   "%d, \"layers\": 2, \"hidden\": 128, \"lr\": 0.01, \"dropout\": 0.5, "
                   "\"weight_decay\": 0.0005, \"weight_decay_scope\": \"first\", \"epochs\": 5, "
                   "\"warmup_epochs\": 1, \"patience\": 0, \"forward_only\": false, "
                   "\"blas_threads\": 1, ", r->workers,
                (r->workers ? r->workers : 1) * (ranks ? ranks : 1), r->seed);
        if (ranks)
            fprintf(f, "\"ranks\": %d, \"network\": {\"bytes_per_epoch\": %.17g, "
                       "\"predicted_bytes_per_epoch\": %.0f, \"seconds_per_epoch\": %.17g, "
                       "\"cross_rank_rows\": 100, \"bytes_per_epoch_list\": [1, 2], "
                       "\"seconds_per_epoch_list\": [0.1, 0.2]}, \"per_rank\": [], ", ranks,
                    net->bytes, net->bytes - 1000, net->bytes / 1e9);
        fprintf(f, "\"epochs_run\": 5, \"stopped_early\": false, \"load_time_s\": 0.2, "
                   "\"total_time_s\": %.17g, \"timed_epochs\": 4, \"epoch_time_mean_s\": "
                   "%.17g, \"epoch_time_std_s\": 0.001, \"throughput_edges_per_s\": %.17g, "
                   "\"epoch_times_s\": [%.17g, %.17g, %.17g, %.17g, %.17g], "
                   "\"warmup_times_s\": [%.17g], ", 5 * e + 0.1, e, 400000 / e, e + 0.1, e, e,
                e, e, e + 0.1);
        const double s = 1.0 + r->seed / 10000.0;
        fprintf(f, "\"losses\": [%g, %g, %g, %g, %g], \"val_losses\": [2, 1.6, 1.3, null, 1], "
                   "\"train_f1s\": [0.1, 0.3, 0.5, 0.7, 0.8], \"val_f1s\": [0.1, 0.3, 0.5, "
                   "0.7, 0.8], \"final_loss\": %g, \"train_loss\": 0.8, \"val_loss\": 1.0, "
                   "\"test_loss\": null, \"train_f1_micro\": 0.9, \"train_f1_macro\": 0.88, "
                   "\"val_f1_micro\": 0.8, \"val_f1_macro\": 0.78, \"test_f1_micro\": %.17g, "
                   "\"test_f1_macro\": %.17g, \"peak_rss_bytes\": 1000, ", 2.0 * s, 1.6 * s,
                1.3 * s, 1.1 * s, 1.0 * s, 1.0 * s, r->f1, r->f1 - 0.02);
        if (r->workers > 0)
            fprintf(f, "\"scheduler\": \"lws\", \"starpu_workers\": %d, \"worker_s\": %.17g, "
                       "\"compute_s\": %.17g, \"communication_s\": %.17g, \"overhead_s\": "
                       "%.17g, \"compute_pct\": 90, \"communication_pct\": 5, \"overhead_pct\": "
                       "5, \"tasks\": 400, \"shuffle_bytes\": %d, \"edge_cut\": 5000, "
                       "\"starpu_transferred_bytes\": 0, \"compute_s_per_epoch\": [1, 1, 1, 1, "
                       "1], \"communication_s_per_epoch\": [0, 0, 0, 0, 0], "
                       "\"overhead_s_per_epoch\": [0, 0, 0, 0, 0], \"tasks_per_epoch\": [80, "
                       "80, 80, 80, 80], \"shuffle_bytes_per_epoch\": [1, 1, 1, 1, 1], "
                       "\"trace_dir\": null, \"shuffle\": \"%s\", ", r->workers, 4 * e * w,
                    0.9 * 4 * e * w, 0.05 * 4 * e * w, 0.05 * 4 * e * w,
                    r->workers == 1 ? 0 : 1048576, /* one partition shuffles nothing */
                    r->workers >= 16 ? "broadcast" : "pairwise"); /* as auto might choose */
        fputs("\"hardware\": {\"cpu_model\": \"Test CPU 9000\", \"packages\": 1, \"cores\": 2, "
              "\"threads\": 2, \"numa_nodes\": 1, \"caches\": {\"l1d_bytes\": 32768, "
              "\"l2_bytes\": 524288, \"l3_bytes\": 33554432, \"l1d_count\": 2, \"l2_count\": 2, "
              "\"l3_count\": 1}, \"memory_bytes\": 8589934592, \"hostname\": \"testhost\", "
              "\"os\": \"Linux 6.1.0 x86_64\"}, \"software\": {\"gcnrun_version\": \"0.1.0\", "
              "\"git_commit\": \"abcdef123456\", \"starpu_version\": \"1.3.10\", "
              "\"openblas_config\": \"OpenBLAS 0.3.21 DYNAMIC_ARCH\", \"openblas_corename\": "
              "\"Haswell\", \"openblas_threads\": 1, \"compiler\": \"gcc 12.2.0\"}, ", f);
    }
    fprintf(f, "\"bench\": {\"label\": \"%s\", \"sweep\": \"%s\", \"point\": \"%s\", "
               "\"workers\": %d, \"seed\": %d, \"repeat\": %d, \"wait4_peak_rss_bytes\": %.0f, "
               "\"wall_s\": 1.5, \"status\": \"%s\", ", r->label, r->sweep, r->point, r->workers,
            r->seed, r->repeat, r->rss, r->error ? "error" : "ok");
    if (ranks)
        fprintf(f, "\"ranks\": %d, ", ranks);
    if (cpu)
        fprintf(f, "\"cpu_user_s\": %.6f, \"cpu_sys_s\": %.6f, \"online_cpus\": 2, ",
                cpu->user, cpu->sys);
    if (cpu && cpu->cores_used > 0)
        fprintf(f, "\"cores_used\": %d, ", cpu->cores_used);
    if (cpu && cpu->util > 0)
        fprintf(f, "\"utilization\": %.4f, ", cpu->util);
    if (r->error)
        fprintf(f, "\"error\": \"%s\", ", r->error);
    fprintf(f, "\"command\": \"gcnrun --workers %d --seed %d\"}}\n", r->workers, r->seed);
    ck_assert_int_eq(fclose(f), 0);
}

static void write_run_cpu(const char *dir, const struct fake_run *r, const struct fake_cpu *cpu)
{
    write_run_file(dir, r, cpu, NULL);
}

static void write_run(const char *dir, const struct fake_run *r)
{
    write_run_file(dir, r, NULL, NULL);
}

/* The planted results: sequential and local[2], 3 seeds each, and one failed local[2] run.
 * seq_epoch/l2_epoch: the three epoch-time means of each; l2_f1: local[2]'s F1s; seq_rss:
 * sequential's peak memory. */
static void write_matrix(const char *dir, const double seq_epoch[3], const double l2_epoch[3],
                         double seq_rss)
{
    static const int seeds[3] = { 42, 123, 456 };
    static const double seq_f1[3] = { 0.80, 0.81, 0.79 };
    static const double l2_f1[3] = { 0.785, 0.795, 0.775 };
    mkdir(dir, 0777);
    for (int i = 0; i < 3; i++) {
        struct fake_run s = { "sequential", "matrix", "", 0, seeds[i], i, seq_epoch[i],
                              seq_f1[i], seq_rss, NULL };
        struct fake_run p = { "local[2]", "matrix", "", 2, seeds[i], i, l2_epoch[i], l2_f1[i],
                              3e8, NULL };
        write_run(dir, &s);
        write_run(dir, &p);
    }
    struct fake_run bad = { "local[2]", "matrix", "", 2, 789, 3, 0, 0, 0, "killed by signal 9" };
    write_run(dir, &bad);
}

static const double seq_t[3] = { 1.00, 1.02, 0.98 };
static const double l2_t[3] = { 0.50, 0.52, 0.48 };

static const char *const bench_ini =
    "[bench]\n"
    "run_config = configs/quick-synth.ini\n"
    "workers = 0, 2\n"
    "seeds = 42, 123, 456\n"
    "repeats = 3\n"
    "[targets]\n"
    "speedup@local[2] = >= 1.8          ; T_seq_mean / T_cfg_mean\n"
    "efficiency@local[2] = > 1.5\n"
    "speedup@local[8] = >= 1\n"
    "epoch_ratio@local[2]/sequential = <= 0.6\n"
    "overhead_pct@local[2] = < 10\n"
    "f1_diff_points@* = <= 1\n"
    "[effective]\n"
    "workers = 0, 2\n";

/* The text of column `column` in the row whose first fields are `config` (a static buffer;
 * "" for an empty field). */
static const char *csv_text(const char *csv, const char *config, const char *column)
{
    static char buf[64];
    const char *nl = strchr(csv, '\n');
    int col = 0;
    const char *h = csv;
    size_t clen = strlen(column);
    while (!(strncmp(h, column, clen) == 0 && (h[clen] == ',' || h[clen] == '\n'))) {
        h = strchr(h, ',');
        ck_assert_msg(h && h < nl, "no column %s", column);
        h++;
        col++;
    }
    char prefix[160];
    snprintf(prefix, sizeof prefix, "\n%s,", config);
    const char *row = strstr(csv, prefix);
    ck_assert_msg(row != NULL, "no row %s", config);
    row++;
    for (int i = 0; i < col; i++) { /* a quoted field may hold commas */
        int quoted = 0;
        for (; *row && (quoted || *row != ','); row++)
            quoted ^= *row == '"';
        row++;
    }
    const size_t n = strcspn(row, ",\n");
    ck_assert_uint_lt(n, sizeof buf);
    memcpy(buf, row, n);
    buf[n] = '\0';
    return buf;
}

/* The same cell as a number (strtod of its text). */
static double csv_number(const char *csv, const char *config, const char *column)
{
    return strtod(csv_text(csv, config, column), NULL);
}

/* Each of needles[0..n) occurs in text, after the one before it (each needle starts with the
 * newline of its line). */
static void assert_in_order(const char *text, const char *const *needles, size_t n)
{
    const char *at = text;
    for (size_t i = 0; i < n; i++) {
        const char *next = strstr(at, needles[i]);
        ck_assert_msg(next != NULL, "'%s' missing or out of order in\n%s", needles[i] + 1, text);
        at = next + 1;
    }
}

/* ---- statistics ------------------------------------------------------------------------ */

START_TEST(test_t_quantiles)
{
    /* table values (scipy.stats.t.ppf(0.975, df)) and interpolated ones within 1e-4 */
    ck_assert_double_eq_tol(bench_t975(1), 12.706204736, 1e-9);
    ck_assert_double_eq_tol(bench_t975(2), 4.302652730, 1e-9);
    ck_assert_double_eq_tol(bench_t975(3), 3.182446305, 1e-9);
    ck_assert_double_eq_tol(bench_t975(10), 2.228138852, 1e-9);
    ck_assert_double_eq_tol(bench_t975(30), 2.042272456, 1e-9);
    ck_assert_double_eq_tol(bench_t975(60), 2.000297822, 1e-9);
    ck_assert_double_eq_tol(bench_t975(120), 1.979930405, 1e-9);
    ck_assert_double_eq_tol(bench_t975(35), 2.030107928, 1e-4);
    ck_assert_double_eq_tol(bench_t975(50), 2.008559112, 1e-4);
    ck_assert_double_eq_tol(bench_t975(100), 1.983971519, 1e-4);
    ck_assert_double_eq_tol(bench_t975(1000), 1.962339081, 1e-4);
    ck_assert(isnan(bench_t975(0)));
    for (size_t df = 1; df < 5000; df++)
        ck_assert_msg(bench_t975(df + 1) < bench_t975(df), "not decreasing at df %zu", df);
    ck_assert(bench_t975(1000000) > 1.959963985 && bench_t975(1000000) < 1.96);
}
END_TEST

START_TEST(test_stat_hand_values)
{
    struct bench_stat s;
    const double x[4] = { 1, 2, 3, 4 };
    bench_stat_compute(&s, x, 4);
    ck_assert_uint_eq(s.n, 4);
    ck_assert_double_eq_tol(s.mean, 2.5, 1e-15);
    ck_assert_double_eq_tol(s.std, 1.2909944487358056, 1e-15); /* sqrt(5/3) */
    ck_assert_double_eq(s.min, 1);
    ck_assert_double_eq(s.max, 4);
    ck_assert_double_eq_tol(s.ci_half, 2.0542602565773884, 1e-9); /* 3.182446305 s / 2 */
    ck_assert_double_eq_tol(s.ci_lo, 2.5 - 2.0542602565773884, 1e-9);
    ck_assert_double_eq_tol(s.ci_hi, 2.5 + 2.0542602565773884, 1e-9);

    /* a large common offset costs no digits (two-pass variance) */
    const double y[4] = { 1e9 + 1, 1e9 + 2, 1e9 + 3, 1e9 + 4 };
    bench_stat_compute(&s, y, 4);
    ck_assert_double_eq_tol(s.std, 1.2909944487358056, 1e-6);

    /* NaN entries (metrics a run lacks) are left out */
    const double z[3] = { 1, NAN, 3 };
    bench_stat_compute(&s, z, 3);
    ck_assert_uint_eq(s.n, 2);
    ck_assert_double_eq(s.mean, 2);
    ck_assert_double_eq_tol(s.std, sqrt(2.0), 1e-15);
    ck_assert_double_eq_tol(s.ci_half, 12.706204736 * sqrt(2.0) / sqrt(2.0), 1e-9);

    /* one value: std 0, CI unknown; none: everything NaN */
    bench_stat_compute(&s, x, 1);
    ck_assert_uint_eq(s.n, 1);
    ck_assert_double_eq(s.std, 0);
    ck_assert(isnan(s.ci_half) && isnan(s.ci_lo) && isnan(s.ci_hi));
    bench_stat_compute(&s, NULL, 0);
    ck_assert_uint_eq(s.n, 0);
    ck_assert(isnan(s.mean) && isnan(s.std) && isnan(s.min) && isnan(s.max));
}
END_TEST

START_TEST(test_ratio_and_overlap)
{
    struct bench_stat a = { .n = 4, .mean = 10, .std = 1 }, b = { .n = 4, .mean = 5, .std = 0.5 };
    double unc;
    /* 2 sqrt((1/4)/100 + (0.25/4)/25) = 2 sqrt(0.005) */
    ck_assert_double_eq_tol(bench_ratio(&a, &b, &unc), 2.0, 1e-15);
    ck_assert_double_eq_tol(unc, 0.1414213562373095, 1e-12);
    struct bench_stat none = { .n = 0, .mean = NAN, .std = NAN };
    ck_assert(isnan(bench_ratio(&a, &none, &unc)) && isnan(unc));
    struct bench_stat zero = { .n = 2, .mean = 0, .std = 0 };
    ck_assert(isnan(bench_ratio(&a, &zero, &unc)));

    ck_assert_int_eq(bench_intervals_overlap(1, 2, 2, 3), 1);  /* touching counts */
    ck_assert_int_eq(bench_intervals_overlap(1, 3, 1.5, 2), 1); /* nested */
    ck_assert_int_eq(bench_intervals_overlap(1, 2, 2.1, 3), 0);
    ck_assert_int_eq(bench_intervals_overlap(2.1, 3, 1, 2), 0);
    ck_assert_int_eq(bench_intervals_overlap(NAN, 2, 1, 3), -1);
}
END_TEST

START_TEST(test_utilization)
{
    static const struct { int workers, blas_threads, online, want; } cores[] = {
        { 16, 1, 2, 2 },   /* local[16] on 2 CPUs: 2 cores */
        { 2, 1, 2, 2 },    /* local[2]: both */
        { 1, 1, 2, 1 },    /* local[1]: one */
        { 4, 1, 64, 4 },   /* fewer workers than CPUs */
        { 2, 8, 2, 2 },    /* blas_threads only counts for sequential */
        { 0, 1, 2, 1 },    /* sequential: its BLAS threads (1 by default) */
        { 0, 4, 2, 2 },    /* ... at most the CPUs */
        { 0, 0, 2, 0 },    /* sequential without blas_threads: unknown */
        { 0, -1, 2, 0 },
        { 2, 1, 0, 0 },    /* CPUs unknown */
    };
    for (size_t i = 0; i < sizeof cores / sizeof cores[0]; i++) {
        const int got = bench_cores_used(cores[i].workers, cores[i].blas_threads,
                                         cores[i].online);
        ck_assert_msg(got == cores[i].want, "cores case %zu: %d, expected %d", i, got,
                      cores[i].want);
    }

    static const struct { double cpu, wall; int cores; double want; } util[] = {
        { 3.0, 1.5, 2, 1.0 },      /* both cores busy all the time */
        { 1.5, 1.5, 2, 0.5 },      /* one of two idle */
        { 0.0, 1.5, 2, 0.0 },      /* no CPU time at all */
        { 3.6, 1.5, 2, 1.2 },      /* more threads than cores in some phase: above 1 */
        { 0.75, 1.5, 1, 0.5 },
        { 1.0, 0.0, 2, NAN },      /* zero wall time: unknown, not infinite */
        { 1.0, -1.0, 2, NAN },
        { 1.0, 1.5, 0, NAN },      /* cores unknown */
        { 1.0, 1.5, -2, NAN },
        { NAN, 1.5, 2, NAN },      /* a field the run file lacks */
        { 1.0, NAN, 2, NAN },
        { -0.1, 1.5, 2, NAN },
        { 1.0, INFINITY, 2, NAN },
        { INFINITY, 1.5, 2, NAN },
    };
    for (size_t i = 0; i < sizeof util / sizeof util[0]; i++) {
        const double got = bench_utilization(util[i].cpu, util[i].wall, util[i].cores);
        if (isnan(util[i].want))
            ck_assert_msg(isnan(got), "utilization case %zu: %g, expected NaN", i, got);
        else
            ck_assert_msg(fabs(got - util[i].want) <= 1e-15, "utilization case %zu: %.17g, "
                          "expected %g", i, got, util[i].want);
    }
}
END_TEST

/* ---- targets --------------------------------------------------------------------------- */

START_TEST(test_target_parse)
{
    static const struct {
        const char *key, *value;
        enum bench_target_metric metric;
        const char *cfg, *cfg_b;
        enum bench_target_op op;
        double v;
    } good[] = {
        { "speedup@local[2]", ">= 1.8", BT_SPEEDUP, "local[2]", "", BT_GE, 1.8 },
        { " efficiency@local[4] ", "  >=0.5  ", BT_EFFICIENCY, "local[4]", "", BT_GE, 0.5 },
        { "epoch_ratio@local[1]/sequential", "<= 1.05", BT_EPOCH_RATIO, "local[1]",
          "sequential", BT_LE, 1.05 },
        { "overhead_pct@local[2]", "< 5", BT_OVERHEAD_PCT, "local[2]", "", BT_LT, 5 },
        { "communication_pct@local[16]", "> 1e-1", BT_COMMUNICATION_PCT, "local[16]", "",
          BT_GT, 0.1 },
        { "f1_diff_points@*", "<= 1", BT_F1_DIFF_POINTS, "*", "", BT_LE, 1 },
    };
    struct bench_target t;
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        ck_assert_msg(bench_target_parse(&t, good[i].key, good[i].value) == GCN_OK, "%s: %s",
                      good[i].key, gcn_last_error());
        ck_assert_int_eq(t.metric, good[i].metric);
        ck_assert_str_eq(t.cfg, good[i].cfg);
        ck_assert_str_eq(t.cfg_b, good[i].cfg_b);
        ck_assert_int_eq(t.op, good[i].op);
        ck_assert_double_eq_tol(t.value, good[i].v, 1e-15);
    }

    static const struct { const char *key, *value, *why; } bad[] = {
        { "speedup", ">= 1.8", "METRIC@CONFIG" },
        { "speed@local[2]", ">= 1.8", "unknown metric 'speed'" },
        { "speedup@", ">= 1.8", "no configuration" },
        { "epoch_ratio@local[1]", "<= 1.05", "epoch_ratio@A/B" },
        { "epoch_ratio@local[1]/", "<= 1.05", "epoch_ratio@A/B" },
        { "epoch_ratio@a/b/c", "<= 1.05", "epoch_ratio@A/B" },
        { "speedup@local[1]/sequential", ">= 1", "only epoch_ratio" },
        { "speedup@*", ">= 1", "f1_diff_points only" },
        { "speedup@local[2]", "1.8", "expected an operator" },
        { "speedup@local[2]", "== 1.8", "expected an operator" },
        { "speedup@local[2]", "", "expected an operator" },
        { "speedup@local[2]", ">= abc", "one finite number" },
        { "speedup@local[2]", ">= 1.8x", "one finite number" },
        { "speedup@local[2]", ">= nan", "one finite number" },
        { "speedup@local[2]", ">=", "one finite number" },
        { "speedup@local[2]", ">= 1e999", "one finite number" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ck_assert_msg(bench_target_parse(&t, bad[i].key, bad[i].value) == GCN_ERR,
                      "%s = %s accepted", bad[i].key, bad[i].value);
        ASSERT_MSG_HAS(bad[i].key);
        ASSERT_MSG_HAS(bad[i].why);
    }
}
END_TEST

START_TEST(test_target_load)
{
    struct bench_targets ts;
    /* no file: no targets, no error */
    ck_assert_int_eq(bench_targets_load(&ts, tmp_path("absent.ini")), GCN_OK);
    ck_assert_uint_eq(ts.n, 0);
    ck_assert_int_eq(ts.found, 0);

    write_text(tmp_path("bench.ini"), bench_ini);
    ck_assert_msg(bench_targets_load(&ts, tmp_path("bench.ini")) == GCN_OK, "%s",
                  gcn_last_error());
    ck_assert_int_eq(ts.found, 1);
    ck_assert_uint_eq(ts.n, 6);
    ck_assert_str_eq(ts.t[0].key, "speedup@local[2]");
    ck_assert_double_eq_tol(ts.t[0].value, 1.8, 1e-15); /* the inline comment is gone */
    ck_assert_str_eq(ts.t[3].cfg, "local[2]");
    ck_assert_str_eq(ts.t[3].cfg_b, "sequential");
    ck_assert_str_eq(ts.t[5].cfg, "*");
    bench_targets_free(&ts);

    /* a bad target names the file, the line and the key */
    write_text(tmp_path("bad.ini"), "[bench]\nworkers = 0, 2\n[targets]\n"
                                    "speedup@local[2] = >= 1.8\nspeedup@local[4] = >> 3\n");
    ck_assert_int_eq(bench_targets_load(&ts, tmp_path("bad.ini")), GCN_ERR);
    ASSERT_MSG_HAS("bad.ini:5: [targets]");
    ASSERT_MSG_HAS("speedup@local[4]");
    ck_assert_uint_eq(ts.n, 0);
    ck_assert_ptr_null(ts.t);

    /* an INI syntax error */
    write_text(tmp_path("syntax.ini"), "[targets]\nthis line has no equals sign\n");
    ck_assert_int_eq(bench_targets_load(&ts, tmp_path("syntax.ini")), GCN_ERR);
    ASSERT_MSG_HAS("syntax.ini:2: syntax error");
}
END_TEST

/* The one verdict of target key = value on set. */
static enum bench_verdict verdict_of(const struct bench_set *set, const char *key,
                                     const char *value, char *line, size_t cap)
{
    struct bench_target t;
    struct bench_target_result *res;
    size_t n;
    ck_assert_msg(bench_target_parse(&t, key, value) == GCN_OK, "%s", gcn_last_error());
    ck_assert_int_eq(bench_target_eval(&t, set, &res, &n), GCN_OK);
    ck_assert_uint_eq(n, 1);
    enum bench_verdict v = res[0].verdict;
    snprintf(line, cap, "%s", res[0].line);
    free(res);
    return v;
}

START_TEST(test_target_eval)
{
    struct bench_set set;
    char line[400];
    const char *dir = tmp_path("out");
    write_matrix(dir, seq_t, l2_t, 2e8);
    ck_assert_msg(bench_set_load(&set, dir) == GCN_OK, "%s", gcn_last_error());

    /* local[2]/local[2] is exactly 1: each operator on both sides of its boundary */
    static const struct { const char *value; enum bench_verdict v; } ops[] = {
        { ">= 1", BT_PASS }, { "> 1", BT_FAIL }, { "<= 1", BT_PASS }, { "< 1", BT_FAIL },
        { ">= 1.01", BT_FAIL }, { "> 0.99", BT_PASS }, { "<= 0.99", BT_FAIL },
        { "< 1.01", BT_PASS },
    };
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
        ck_assert_msg(verdict_of(&set, "epoch_ratio@local[2]/local[2]", ops[i].value, line,
                                 sizeof line) == ops[i].v, "%s: %s", ops[i].value, line);

    ck_assert_int_eq(verdict_of(&set, "speedup@local[2]", ">= 1.8", line, sizeof line), BT_PASS);
    ck_assert_str_eq(line, "local[2] speedup 2.00x (target >= 1.8x) PASS");
    ck_assert_int_eq(verdict_of(&set, "speedup@local[8]", ">= 1", line, sizeof line), BT_SKIP);
    ck_assert_str_eq(line, "local[8] speedup (target >= 1x) SKIP (no runs)");
    ck_assert_int_eq(verdict_of(&set, "epoch_ratio@local[2]/local[3]", "<= 1", line,
                                sizeof line), BT_SKIP);
    ck_assert_int_eq(verdict_of(&set, "overhead_pct@local[2]", "< 5.5", line, sizeof line),
                     BT_PASS);
    ck_assert_str_eq(line, "local[2] overhead 5.0 % (target < 5.5 %) PASS");
    ck_assert_int_eq(verdict_of(&set, "communication_pct@local[2]", "< 4", line, sizeof line),
                     BT_FAIL);
    ck_assert_int_eq(verdict_of(&set, "efficiency@sequential", ">= 1", line, sizeof line),
                     BT_PASS);
    ck_assert_int_eq(verdict_of(&set, "f1_diff_points@*", "<= 1", line, sizeof line), BT_FAIL);
    ck_assert_str_eq(line, "local[2] F1 difference 1.50 points (target <= 1 points) FAIL");
    bench_set_free(&set);
}
END_TEST

/* ---- whole reports --------------------------------------------------------------------- */

START_TEST(test_report_matrix)
{
    const char *dir = tmp_path("out");
    char path[1200];
    write_matrix(dir, seq_t, l2_t, 2e8);
    snprintf(path, sizeof path, "%s/bench.ini", dir);
    write_text(path, bench_ini);
    ck_assert_msg(bench_report_build(dir, NULL, 0) == GCN_OK, "%s", gcn_last_error());

    snprintf(path, sizeof path, "%s/sequential_metrics.csv", dir);
    char *seq = test_read_all(path);
    ck_assert_uint_eq(count_lines(seq), 1 + 3);
    ck_assert_msg(strncmp(seq, "config,workers,point,seed,repeat,status,total_time_s,", 53) == 0,
                  "%s", seq);
    ASSERT_HAS(seq, "\nsequential,0,,123,1,ok,");
    snprintf(path, sizeof path, "%s/local_2_metrics.csv", dir);
    char *l2 = test_read_all(path);
    ck_assert_uint_eq(count_lines(l2), 1 + 4);
    ASSERT_HAS(l2, "\nlocal[2],2,,789,3,error,");
    ASSERT_HAS(l2, ",local2_seed789.json,killed by signal 9\n");

    snprintf(path, sizeof path, "%s/comparison.csv", dir);
    char *cmp = test_read_all(path);
    ck_assert_uint_eq(count_lines(cmp), 1 + 2);
    ck_assert_ptr_nonnull(strstr(cmp, "\nsequential,matrix,,0,3,0,"));
    ck_assert_ptr_nonnull(strstr(cmp, "\nlocal[2],matrix,,2,3,1,"));
    const double want = ((1.00 + 1.02 + 0.98) / 3) / ((0.50 + 0.52 + 0.48) / 3);
    ck_assert_double_eq_tol(csv_number(cmp, "local[2]", "speedup"), want, 1e-9);
    ck_assert_double_eq_tol(csv_number(cmp, "local[2]", "efficiency"), want / 2, 1e-9);
    ck_assert_double_eq(csv_number(cmp, "sequential", "speedup"), 1.0);
    ck_assert_double_eq_tol(csv_number(cmp, "local[2]", "overhead_pct"), 5.0, 1e-9);
    ck_assert_double_eq_tol(csv_number(cmp, "local[2]", "f1_diff_points"), 1.5, 1e-9);
    ck_assert_double_eq_tol(csv_number(cmp, "local[2]", "peak_rss_mean_bytes"), 3e8, 1e-3);
    /* speedup uncertainty: 2 sqrt((0.02^2/3)/1 + (0.02^2/3)/0.25) from the std of 0.02 */
    const double unc = want * sqrt(0.0004 / 3 / 1.0 + 0.0004 / 3 / 0.25);
    ck_assert_double_eq_tol(csv_number(cmp, "local[2]", "speedup_unc"), unc, 1e-9);

    snprintf(path, sizeof path, "%s/benchmark_summary.csv", dir);
    char *sum = test_read_all(path);
    ck_assert_uint_eq(count_lines(sum), 1 + 2 * BM_COUNT);
    /* epoch time of sequential: mean 1, std 0.02, CI 1 -/+ 4.302652730 0.02 / sqrt(3) */
    const char *seq_epoch = "sequential,matrix,,0,epoch_time_mean_s";
    ck_assert_double_eq(csv_number(sum, seq_epoch, "n"), 3);
    ck_assert_double_eq_tol(csv_number(sum, seq_epoch, "mean"), 1.0, 1e-12);
    ck_assert_double_eq_tol(csv_number(sum, seq_epoch, "std"), 0.02, 1e-12);
    ck_assert_double_eq_tol(csv_number(sum, seq_epoch, "min"), 0.98, 1e-12);
    ck_assert_double_eq_tol(csv_number(sum, seq_epoch, "max"), 1.02, 1e-12);
    ck_assert_double_eq_tol(csv_number(sum, seq_epoch, "ci95_low"),
                            1.0 - 4.302652730 * 0.02 / sqrt(3.0), 1e-9);
    ck_assert_double_eq_tol(csv_number(sum, seq_epoch, "ci95_high"),
                            1.0 + 4.302652730 * 0.02 / sqrt(3.0), 1e-9);
    ck_assert_double_eq(csv_number(sum, "local[2],matrix,,2,peak_rss_bytes", "n"), 3);

    snprintf(path, sizeof path, "%s/summary.md", dir);
    char *md = test_read_all(path);
    ASSERT_HAS(md, "- local[2] speedup 2.00x (target >= 1.8x) PASS\n");
    ASSERT_HAS(md, "- local[2] efficiency 1.00 (target > 1.5) FAIL\n");
    ASSERT_HAS(md, "- local[8] speedup (target >= 1x) SKIP (no runs)\n");
    ASSERT_HAS(md, "- local[2]/sequential epoch ratio 0.500 (target <= 0.6) PASS\n");
    ASSERT_HAS(md, "- local[2] overhead 5.0 % (target < 10 %) PASS\n");
    ASSERT_HAS(md, "- local[2] F1 difference 1.50 points (target <= 1 points) FAIL\n");
    ASSERT_HAS(md, "3 PASS, 2 FAIL, 1 SKIP.");
    ASSERT_HAS(md, "| `local2_seed789.json` | local[2] | 789 | killed by signal 9 |");
    ASSERT_HAS(md, "**F1 flag:** local[2]'s test F1 micro 0.7850 differs from sequential's "
                   "0.8000 by 1.50 points");
    ASSERT_HAS(md, "| sequential | 3 | 1.000 ± 0.020 | 1.00x | 1.00 |");
    ASSERT_HAS(md, "| local[2] | 3 ok, 1 failed | 0.5000 ± 0.0200 | 2.00x ± 0.05 | 1.00 |");
    ASSERT_HAS(md, "Test CPU 9000: 2 cores");
    ASSERT_HAS(md, "Dataset `synthetic` (synthetic): 20,000 nodes, 400,000 edges");
    ASSERT_HAS(md, "Seeds: 42, 123, 456, 789.");
    ASSERT_HAS(md, "Not drawn (--no-plots)");
    ASSERT_LACKS(md, "oversubscribed"); /* 2 workers on 2 cores */
    ASSERT_LACKS(md, "Rows crossed partitions"); /* no broadcast: nothing to say */
    ASSERT_LACKS(md, "Regressions");
    ASSERT_LACKS(md, "## Network"); /* no mpi configuration */
    ASSERT_LACKS(md, "mpi[RxN]");

    /* plots = 0: no plot files, no plot data */
    snprintf(path, sizeof path, "%s/speedup.png", dir);
    ck_assert(!exists(path));
    snprintf(path, sizeof path, "%s/plots-data", dir);
    ck_assert(!exists(path));

    /* rebuilding gives the same bytes (the report is a function of the run files) */
    ck_assert_int_eq(bench_report_build(dir, NULL, 0), GCN_OK);
    snprintf(path, sizeof path, "%s/summary.md", dir);
    char *md2 = test_read_all(path);
    ck_assert_str_eq(md, md2);
    free(md2);
    free(seq);
    free(l2);
    free(cmp);
    free(sum);
    free(md);
}
END_TEST

START_TEST(test_report_order_and_notes)
{
    static const struct fake_run runs[] = {
        { "local[16]", "matrix", "", 16, 42, 0, 0.9, 0.8, 1e8, NULL },
        { "local[4], partitioner=metis", "partitioner", "metis", 4, 42, 0, 0.4, 0.8, 1e8,
          NULL },
        { "local[4], hidden=64", "hidden", "64", 4, 42, 0, 0.5, 0.8, 1e8, NULL },
        { "local[2]", "matrix", "", 2, 42, 0, 0.55, 0.8, 1e8, NULL },
        { "local[4], layers=3", "layers", "3", 4, 42, 0, 0.6, 0.8, 1e8, NULL },
        { "sequential", "matrix", "", 0, 42, 0, 1.0, 0.8, 1e8, NULL },
        { "local[4], hidden=512", "hidden", "512", 4, 42, 0, 2.0, 0.7, 1e8, NULL },
        { "local[4]", "matrix", "", 4, 42, 0, 0.35, 0.8, 1e8, NULL },
        { "local[1]", "matrix", "", 1, 42, 0, 1.03, 0.8, 1e8, NULL },
        { "local[4], hidden=16", "hidden", "16", 4, 42, 0, 0.3, 0.7, 1e8, NULL },
    };
    const char *dir = tmp_path("out");
    char path[1200];
    mkdir(dir, 0777);
    for (size_t i = 0; i < sizeof runs / sizeof runs[0]; i++)
        write_run(dir, &runs[i]);
    ck_assert_msg(bench_report_build(dir, NULL, 0) == GCN_OK, "%s", gcn_last_error());

    snprintf(path, sizeof path, "%s/comparison.csv", dir);
    char *cmp = test_read_all(path);
    static const char *const order[] = {
        "\nsequential,", "\nlocal[1],", "\nlocal[2],", "\nlocal[4],", "\nlocal[16],",
        "\n\"local[4], hidden=16\",hidden,16,", "\n\"local[4], hidden=64\",hidden,64,",
        "\n\"local[4], hidden=512\",hidden,512,", "\n\"local[4], layers=3\",layers,3,",
        "\n\"local[4], partitioner=metis\",partitioner,metis,",
    };
    assert_in_order(cmp, order, sizeof order / sizeof order[0]);
    /* a hidden sweep point trains another model: no speedup; the partitioner one does */
    ASSERT_HAS(cmp, "\n\"local[4], hidden=64\",hidden,64,4,1,0,0.5,0,,,,,,");
    static const char metis[] = "\n\"local[4], partitioner=metis\",partitioner,metis,4,1,0,0.4,0,";
    const char *row = strstr(cmp, metis);
    ck_assert_msg(row != NULL, "no metis row in\n%s", cmp);
    ck_assert_double_eq_tol(strtod(row + strlen(metis), NULL), 1.0 / 0.4, 1e-12);

    snprintf(path, sizeof path, "%s/sweep_hidden_metrics.csv", dir);
    char *hidden = test_read_all(path);
    ck_assert_uint_eq(count_lines(hidden), 1 + 3);
    ASSERT_HAS(hidden, "\n\"local[4], hidden=16\",4,16,42,0,ok,");
    snprintf(path, sizeof path, "%s/sweep_partitioner_metrics.csv", dir);
    ck_assert(exists(path));
    snprintf(path, sizeof path, "%s/local_16_metrics.csv", dir);
    ck_assert(exists(path));

    snprintf(path, sizeof path, "%s/summary.md", dir);
    char *md = test_read_all(path);
    ASSERT_HAS(md, "- local[1] takes 1.03x the sequential epoch: the runtime's overhead is 3 %.");
    ASSERT_HAS(md, "- local[4] runs 4 workers on 2 cores: oversubscribed.");
    ASSERT_HAS(md, "- local[16] runs 16 workers on 2 cores: oversubscribed.");
    ASSERT_LACKS(md, "local[2] runs 2 workers");
    ASSERT_HAS(md, "- Rows crossed partitions by broadcast (each partition's rows gathered "
                   "once) in `local[16]`.\n- Rows crossed partitions by pairwise shuffle (halos) "
                   "in `local[2]`, `local[4]`, `local[4], hidden=16`");
    ASSERT_HAS(md, "## Sweep: hidden");
    ASSERT_HAS(md, "## Sweep: partitioner");
    ASSERT_LACKS(md, "F1 flag"); /* hidden points differ in F1 by design: not flagged */
    ASSERT_HAS(md, "No `");      /* no bench.ini: no targets */
    ck_assert(strstr(md, "## Sweep: hidden") < strstr(md, "## Sweep: layers"));
    ck_assert(strstr(md, "## Sweep: layers") < strstr(md, "## Sweep: partitioner"));
    free(cmp);
    free(hidden);
    free(md);
}
END_TEST

START_TEST(test_report_compare)
{
    const char *old = tmp_path("old"), *cur = tmp_path("new");
    char path[1200];
    /* old: local[2] was faster (0.40 s) and sequential used more memory */
    static const double old_l2[3] = { 0.40, 0.41, 0.39 };
    write_matrix(old, seq_t, old_l2, 4e8);
    write_matrix(cur, seq_t, l2_t, 2e8);
    ck_assert_msg(bench_report_build(cur, old, 0) == GCN_OK, "%s", gcn_last_error());

    snprintf(path, sizeof path, "%s/regressions.csv", cur);
    char *reg = test_read_all(path);
    ck_assert_msg(strncmp(reg, "config,metric,old_mean,", 23) == 0, "%s", reg);
    ASSERT_HAS(reg, "\nlocal[2],epoch_time_mean_s,");
    ASSERT_HAS(reg, "\nlocal[2],total_time_s,");
    ASSERT_HAS(reg, "\nlocal[2],speedup,");
    ASSERT_LACKS(reg, "\nsequential,"); /* unchanged time, improved memory */
    ASSERT_LACKS(reg, "test_f1");       /* same F1 */
    ASSERT_LACKS(reg, "peak_rss");      /* local[2]'s memory is the same */
    ck_assert_uint_eq(count_lines(reg), 1 + 3);
    ck_assert_double_eq_tol(csv_number(reg, "local[2],epoch_time_mean_s", "change_pct"), 25.0,
                            1e-9);

    snprintf(path, sizeof path, "%s/summary.md", cur);
    char *md = test_read_all(path);
    ASSERT_HAS(md, "## Regressions against `");
    ASSERT_HAS(md, "2 configuration(s) compared");
    ASSERT_HAS(md, "- **REGRESSION** local[2] epoch_time_mean_s: 0.5000 [");
    ASSERT_LACKS(md, "**REGRESSION** sequential");
    free(reg);
    free(md);

    /* against itself: nothing regressed */
    ck_assert_int_eq(bench_report_build(cur, cur, 0), GCN_OK);
    snprintf(path, sizeof path, "%s/regressions.csv", cur);
    reg = test_read_all(path);
    ck_assert_uint_eq(count_lines(reg), 1);
    free(reg);

    /* a folder that is not a results folder */
    ck_assert_int_eq(bench_report_build(cur, tmp_path("nowhere"), 0), GCN_ERR);
    ASSERT_MSG_HAS("--compare-to");
    ASSERT_MSG_HAS("nowhere/runs");
}
END_TEST

START_TEST(test_report_utilization)
{
    /* sequential stores its utilization (above 1); local[2] only its CPU times and cores, so
       the report computes 2.7 / (1.5 x 2) and 2.4 / 3; local[16] is an older run file with
       none; the sweep point has CPU times but no cores_used. Every wall time is 1.5 s. */
    static const struct fake_run runs[] = {
        { "sequential", "matrix", "", 0, 42, 0, 1.0, 0.8, 1e8, NULL },
        { "sequential", "matrix", "", 0, 123, 1, 1.0, 0.8, 1e8, NULL },
        { "local[2]", "matrix", "", 2, 42, 0, 0.5, 0.8, 1e8, NULL },
        { "local[2]", "matrix", "", 2, 123, 1, 0.5, 0.8, 1e8, NULL },
        { "local[16]", "matrix", "", 16, 42, 0, 0.6, 0.8, 1e8, NULL },
        { "local[2], hidden=16", "hidden", "16", 2, 42, 0, 0.3, 0.8, 1e8, NULL },
    };
    static const struct fake_cpu cpu[] = {
        { 1.6, 0.2, 1, 1.2 }, { 1.9, 0.2, 1, 1.4 }, { 2.4, 0.3, 2, 0 }, { 2.1, 0.3, 2, 0 },
        { 0, 0, 0, 0 } /* not written */, { 2.0, 0.1, 0, 0 },
    };
    static const char *const cpu_runs[] = { "cpu_user_s", "cpu_sys_s", "cores_used",
                                            "utilization" };
    static const char *const cpu_cfgs[] = { "cpu_user_mean_s", "cpu_sys_mean_s", "cores_used",
                                            "utilization_mean", "utilization_std" };
    const char *dir = tmp_path("out");
    char path[1200];
    mkdir(dir, 0777);
    for (size_t i = 0; i < sizeof runs / sizeof runs[0]; i++)
        write_run_cpu(dir, &runs[i], strcmp(runs[i].label, "local[16]") ? &cpu[i] : NULL);
    ck_assert_msg(bench_report_build(dir, NULL, 0) == GCN_OK, "%s", gcn_last_error());

    /* per run: as stored, computed, or empty; never guessed */
    snprintf(path, sizeof path, "%s/local_2_metrics.csv", dir);
    char *l2 = test_read_all(path);
    ASSERT_HAS(l2, ",wall_s,cpu_user_s,cpu_sys_s,cores_used,utilization,");
    ck_assert_double_eq_tol(csv_number(l2, "local[2],2,,42", "utilization"), 0.9, 1e-12);
    ck_assert_double_eq_tol(csv_number(l2, "local[2],2,,123", "utilization"), 0.8, 1e-12);
    ck_assert_double_eq_tol(csv_number(l2, "local[2],2,,42", "cpu_user_s"), 2.4, 1e-12);
    ck_assert_double_eq_tol(csv_number(l2, "local[2],2,,42", "cpu_sys_s"), 0.3, 1e-12);
    ck_assert_double_eq(csv_number(l2, "local[2],2,,42", "cores_used"), 2);
    snprintf(path, sizeof path, "%s/sequential_metrics.csv", dir);
    char *seq = test_read_all(path);
    ck_assert_str_eq(csv_text(seq, "sequential,0,,123", "utilization"), "1.4");
    snprintf(path, sizeof path, "%s/local_16_metrics.csv", dir);
    char *l16 = test_read_all(path);
    for (size_t i = 0; i < sizeof cpu_runs / sizeof cpu_runs[0]; i++)
        ck_assert_str_eq(csv_text(l16, "local[16],16,,42", cpu_runs[i]), "");
    ck_assert_str_eq(csv_text(l16, "local[16],16,,42", "wall_s"), "1.5");
    snprintf(path, sizeof path, "%s/sweep_hidden_metrics.csv", dir);
    char *hid = test_read_all(path);
    ck_assert_str_eq(csv_text(hid, "\"local[2], hidden=16\",2,16,42", "cpu_user_s"), "2");
    ck_assert_str_eq(csv_text(hid, "\"local[2], hidden=16\",2,16,42", "utilization"), "");

    /* per configuration */
    snprintf(path, sizeof path, "%s/comparison.csv", dir);
    char *cmp = test_read_all(path);
    ASSERT_HAS(cmp, ",wall_mean_s,cpu_user_mean_s,cpu_sys_mean_s,cores_used,utilization_mean,"
                    "utilization_std\n");
    ck_assert_double_eq_tol(csv_number(cmp, "local[2]", "utilization_mean"), 0.85, 1e-12);
    ck_assert_double_eq_tol(csv_number(cmp, "local[2]", "utilization_std"), sqrt(0.005), 1e-12);
    ck_assert_double_eq_tol(csv_number(cmp, "local[2]", "cpu_user_mean_s"), 2.25, 1e-12);
    ck_assert_double_eq(csv_number(cmp, "local[2]", "cores_used"), 2);
    ck_assert_double_eq_tol(csv_number(cmp, "sequential", "utilization_mean"), 1.3, 1e-12);
    ck_assert_double_eq(csv_number(cmp, "local[16]", "wall_mean_s"), 1.5);
    for (size_t i = 0; i < sizeof cpu_cfgs / sizeof cpu_cfgs[0]; i++)
        ck_assert_str_eq(csv_text(cmp, "local[16]", cpu_cfgs[i]), "");
    snprintf(path, sizeof path, "%s/benchmark_summary.csv", dir);
    char *sum = test_read_all(path);
    ck_assert_double_eq(csv_number(sum, "local[2],matrix,,2,utilization", "n"), 2);
    ck_assert_double_eq_tol(csv_number(sum, "local[2],matrix,,2,utilization", "min"), 0.8,
                            1e-12);
    ck_assert_double_eq(csv_number(sum, "local[16],matrix,,16,utilization", "n"), 0);
    ck_assert_str_eq(csv_text(sum, "local[16],matrix,,16,utilization", "mean"), "");

    snprintf(path, sizeof path, "%s/summary.md", dir);
    char *md = test_read_all(path);
    ASSERT_HAS(md, "| peak memory | CPU utilization |\n");
    ASSERT_HAS(md, " | 1.30 ± 0.14 of 1 core |\n");
    ASSERT_HAS(md, " | 0.85 ± 0.07 of 2 cores |\n");
    const char *row16 = strstr(md, "\n| local[16] | 1 | ");
    ck_assert_ptr_nonnull(row16);
    const char *end16 = strchr(row16 + 1, '\n');
    ck_assert_msg(strncmp(end16 - strlen(" | – |"), " | – |", strlen(" | – |")) == 0,
                  "local[16]'s utilization is not a dash in\n%s", md);
    ASSERT_HAS(md, "| edge cut | CPU utilization |\n");
    ASSERT_HAS(md, "min(N, online CPUs) for local[N] (so local[16] on 2 CPUs uses 2), its "
                   "BLAS threads for sequential");
    ASSERT_HAS(md, "No value (–): run files written before gcnbench measured CPU time.");
    ASSERT_HAS(md, "- CPU utilization above 1 in `sequential` (1.30): the process ran more "
                   "threads than its configuration's cores in some phase");
    ASSERT_LACKS(md, "`local[2]` (0.85)");
    free(l2);
    free(seq);
    free(l16);
    free(hid);
    free(cmp);
    free(sum);
    free(md);

    /* every ok run measured, none above 1: neither the sentence nor the note */
    static const char *const drop[] = { "local16_seed42.json", "local2__hidden_16_seed42.json",
                                        "sequential_seed42.json", "sequential_seed123.json" };
    for (size_t i = 0; i < sizeof drop / sizeof drop[0]; i++) {
        snprintf(path, sizeof path, "%s/runs/%s", dir, drop[i]);
        ck_assert_int_eq(unlink(path), 0);
    }
    ck_assert_msg(bench_report_build(dir, NULL, 0) == GCN_OK, "%s", gcn_last_error());
    snprintf(path, sizeof path, "%s/summary.md", dir);
    md = test_read_all(path);
    ASSERT_LACKS(md, "No value");
    ASSERT_LACKS(md, "CPU utilization above 1");
    free(md);
}
END_TEST

START_TEST(test_report_mpi)
{
    static const struct {
        struct fake_run r;
        struct fake_net net;
    } runs[] = {
        { { "mpi[2x1]", "matrix", "", 1, 42, 0, 0.60, 0.80, 1e8, NULL }, { 2, 1.0e6 } },
        { { "mpi[2x1]", "matrix", "", 1, 123, 1, 0.62, 0.80, 1e8, NULL }, { 2, 1.1e6 } },
        { { "mpi[2x1]", "matrix", "", 1, 456, 2, 0.58, 0.80, 1e8, NULL }, { 2, 0.9e6 } },
        { { "mpi[2x1]", "matrix", "", 1, 789, 3, 0, 0, 0, "mpirun: exit status 1" }, { 2, 0 } },
        { { "mpi[4x1]", "matrix", "", 1, 42, 0, 0.40, 0.80, 1e8, NULL }, { 4, 3e6 } },
        { { "mpi[2x2]", "matrix", "", 2, 42, 0, 0.30, 0.80, 1e8, NULL }, { 2, 2e6 } },
        { { "mpi[1x2]", "matrix", "", 2, 42, 0, 0.55, 0.80, 1e8, NULL }, { 1, 5e5 } },
        { { "local[4]", "matrix", "", 4, 42, 0, 0.35, 0.80, 1e8, NULL }, { 0, 0 } },
        { { "local[2], hidden=64", "hidden", "64", 2, 42, 0, 0.7, 0.8, 1e8, NULL }, { 0, 0 } },
    };
    const char *dir = tmp_path("out");
    char path[1200];
    write_matrix(dir, seq_t, l2_t, 2e8);
    for (size_t i = 0; i < sizeof runs / sizeof runs[0]; i++)
        write_run_file(dir, &runs[i].r, NULL, &runs[i].net);
    snprintf(path, sizeof path, "%s/bench.ini", dir);
    write_text(path, "[targets]\n"
                     "speedup@mpi[2x1] = >= 1.5\n"
                     "efficiency@mpi[2x2] = >= 0.9\n"
                     "epoch_ratio@mpi[2x1]/local[2] = <= 1.5\n"
                     "f1_diff_points@* = <= 1\n");
    ck_assert_msg(bench_report_build(dir, NULL, 0) == GCN_OK, "%s", gcn_last_error());

    /* order: local[N] by N, then mpi[RxN] by R x N then R, then the sweeps */
    snprintf(path, sizeof path, "%s/comparison.csv", dir);
    char *cmp = test_read_all(path);
    static const char *const order[] = {
        "\nsequential,", "\nlocal[2],", "\nlocal[4],", "\nmpi[1x2],matrix,,2,1,0,",
        "\nmpi[2x1],matrix,,1,3,1,", "\nmpi[2x2],matrix,,2,1,0,", "\nmpi[4x1],matrix,,1,1,0,",
        "\n\"local[2], hidden=64\",hidden,64,",
    };
    assert_in_order(cmp, order, sizeof order / sizeof order[0]);
    /* they train the sequential model: speedup over sequential, efficiency over R x N */
    static const struct { const char *cfg; double epoch; int workers; } eff[] = {
        { "mpi[2x1]", 0.60, 2 }, { "mpi[1x2]", 0.55, 2 }, { "mpi[2x2]", 0.30, 4 },
        { "mpi[4x1]", 0.40, 4 }, { "local[4]", 0.35, 4 },
    };
    for (size_t i = 0; i < sizeof eff / sizeof eff[0]; i++) {
        const double sp = 1.0 / eff[i].epoch;
        ck_assert_double_eq_tol(csv_number(cmp, eff[i].cfg, "speedup"), sp, 1e-9);
        ck_assert_double_eq_tol(csv_number(cmp, eff[i].cfg, "efficiency"), sp / eff[i].workers,
                                1e-9);
        ck_assert_double_eq_tol(csv_number(cmp, eff[i].cfg, "f1_diff_points"), 0.0, 1e-9);
    }

    /* one runs file per mpi configuration, with the network columns */
    snprintf(path, sizeof path, "%s/mpi_2x1_metrics.csv", dir);
    char *m21 = test_read_all(path);
    ck_assert_uint_eq(count_lines(m21), 1 + 4);
    ASSERT_HAS(m21, ",utilization,network_bytes_per_epoch,network_predicted_bytes_per_epoch,"
                    "network_seconds_per_epoch,file,error\n");
    ck_assert_double_eq(csv_number(m21, "mpi[2x1],1,,123", "network_bytes_per_epoch"), 1.1e6);
    ck_assert_double_eq(csv_number(m21, "mpi[2x1],1,,123", "network_predicted_bytes_per_epoch"),
                        1.099e6);
    ck_assert_double_eq_tol(csv_number(m21, "mpi[2x1],1,,123", "network_seconds_per_epoch"),
                            1.1e-3, 1e-15);
    ASSERT_HAS(m21, ",mpi2x1_seed789.json,mpirun: exit status 1\n");
    snprintf(path, sizeof path, "%s/local_2_metrics.csv", dir);
    char *l2 = test_read_all(path);
    ck_assert_uint_eq(count_lines(l2), 1 + 4); /* not mpi[1x2]'s run */
    ck_assert_str_eq(csv_text(l2, "local[2],2,,42", "network_bytes_per_epoch"), "");
    snprintf(path, sizeof path, "%s/local_1_metrics.csv", dir);
    ck_assert(!exists(path)); /* mpi[2x1] runs 1 worker per rank, not local[1] */
    snprintf(path, sizeof path, "%s/mpi_4x1_metrics.csv", dir);
    ck_assert(exists(path));
    snprintf(path, sizeof path, "%s/benchmark_summary.csv", dir);
    char *sum = test_read_all(path);
    const char *net = "mpi[2x1],matrix,,1,network_bytes_per_epoch";
    ck_assert_double_eq(csv_number(sum, net, "n"), 3);
    ck_assert_double_eq_tol(csv_number(sum, net, "mean"), 1e6, 1e-6);
    ck_assert_double_eq_tol(csv_number(sum, net, "std"), 1e5, 1e-6);
    ck_assert_double_eq(csv_number(sum, "sequential,matrix,,0,network_bytes_per_epoch", "n"), 0);

    snprintf(path, sizeof path, "%s/summary.md", dir);
    char *md = test_read_all(path);
    ASSERT_HAS(md, "| mpi[2x1] | 3 ok, 1 failed | 0.6000 ± 0.0200 | 1.67x ± ");
    ASSERT_HAS(md, "| mpi[2x2] | 1 | 0.3000 | 3.33x ± 0.04 | 0.83 |");
    ASSERT_HAS(md, "\nmpi[RxN]: R ranks under mpirun with N workers each");
    const char *nets = strstr(md, "\n## Network (mpi configurations)\n");
    ck_assert_msg(nets != NULL, "no network section in\n%s", md);
    const char *notes = strstr(md, "\n## Notes\n");
    ck_assert_ptr_nonnull(notes);
    ck_assert(strstr(md, "\n## Results\n") < nets && nets < notes);
    char *table = strndup(nets, (size_t)(notes - nets));
    ASSERT_HAS(table, "| config | runs | bytes per epoch | predicted bytes per epoch | network "
                      "time per epoch (s) |\n");
    ASSERT_HAS(table, "\n| mpi[1x2] | 1 | 500000 | 499000 | 0.0005000 |\n"
                      "| mpi[2x1] | 3 ok, 1 failed | 1000000 ± 100000 | 999000 ± 100000 | "
                      "0.001000 ± 0.000100 |\n| mpi[2x2] | 1 | 2000000 | 1999000 | 0.002000 |\n"
                      "| mpi[4x1] | 1 | 3000000 | 2999000 | 0.003000 |\n");
    ASSERT_LACKS(table, "| sequential |");
    ASSERT_LACKS(table, "| local[");
    free(table);
    ASSERT_HAS(md, "- local[4] runs 4 workers on 2 cores: oversubscribed.\n");
    ASSERT_HAS(md, "- mpi[2x2] runs 4 workers (2 ranks × 2) on 2 cores: oversubscribed.\n");
    ASSERT_HAS(md, "- mpi[4x1] runs 4 workers (4 ranks × 1) on 2 cores: oversubscribed.\n");
    ASSERT_LACKS(md, "- mpi[2x1] runs");
    ASSERT_HAS(md, "- mpi[2x1] speedup 1.67x (target >= 1.5x) PASS\n");
    ASSERT_HAS(md, "- mpi[2x2] efficiency 0.83 (target >= 0.9) FAIL\n");
    ASSERT_HAS(md, "- mpi[2x1]/local[2] epoch ratio 1.200 (target <= 1.5) PASS\n");
    ASSERT_HAS(md, "- mpi[4x1] F1 difference 0.00 points (target <= 1 points) PASS\n");
    ASSERT_HAS(md, "| `mpi2x1_seed789.json` | mpi[2x1] | 789 | mpirun: exit status 1 |");
    free(cmp);
    free(m21);
    free(l2);
    free(sum);
    free(md);

    /* a run file of the same label with other ranks */
    const struct fake_run clash = { "mpi[2x1]", "matrix", "", 1, 999, 0, 0.3, 0.8, 1e8, NULL };
    const struct fake_net other = { 4, 1 };
    write_run_file(dir, &clash, NULL, &other);
    ck_assert_int_eq(bench_report_build(dir, NULL, 0), GCN_ERR);
    ASSERT_MSG_HAS("share the label 'mpi[2x1]' but differ in workers, ranks, sweep or point");
    ASSERT_MSG_HAS("mpi2x1_seed999.json");
}
END_TEST

START_TEST(test_report_bad_runs)
{
    static const struct { const char *text, *why; } bad[] = {
        { "{\"schema_version\": 1, \"status\": ", "truncated" },
        { "", "truncated" },
        { "nope", "not valid JSON at byte" },
        { "{\"a\": 1} {\"b\": 2}", "extra text" },
        { "[1, 2]", "not an object" },
        { "{\"schema_version\": 1}", "no \"bench\" object" },
        { "{\"bench\": {\"sweep\": \"matrix\", \"workers\": 0, \"seed\": 1, "
          "\"status\": \"ok\"}}", "bench.\"label\" is missing" },
        { "{\"bench\": {\"label\": \"x\", \"sweep\": \"matrix\", \"workers\": \"two\", "
          "\"seed\": 1, \"status\": \"ok\"}}", "bench.\"workers\"" },
        { "{\"bench\": {\"label\": \"x\", \"sweep\": \"matrix\", \"workers\": 0, \"seed\": 1, "
          "\"status\": \"maybe\"}}", "bench.\"status\"" },
        { "{\"total_time_s\": 1, \"test_f1_micro\": 0.5, \"test_f1_macro\": 0.5, \"bench\": "
          "{\"label\": \"x\", \"sweep\": \"matrix\", \"workers\": 0, \"seed\": 1, "
          "\"status\": \"ok\"}}", "\"epoch_time_mean_s\" is missing" },
        { "{\"total_time_s\": 1, \"epoch_time_mean_s\": \"fast\", \"test_f1_micro\": 0.5, "
          "\"test_f1_macro\": 0.5, \"bench\": {\"label\": \"x\", \"sweep\": \"matrix\", "
          "\"workers\": 0, \"seed\": 1, \"status\": \"ok\"}}", "\"epoch_time_mean_s\" is of "
          "the wrong type" },
        { "{\"bench\": {\"label\": \"x\", \"sweep\": \"matrix\", \"workers\": 0, \"seed\": 1, "
          "\"status\": \"ok\", \"cpu_user_s\": \"lots\"}}", "bench.\"cpu_user_s\"" },
        { "{\"bench\": {\"label\": \"x\", \"sweep\": \"matrix\", \"workers\": 0, \"seed\": 1, "
          "\"status\": \"ok\", \"utilization\": -0.5}}", "bench.\"utilization\"" },
        { "{\"bench\": {\"label\": \"x\", \"sweep\": \"matrix\", \"workers\": 1, \"ranks\": "
          "\"two\", \"seed\": 1, \"status\": \"ok\"}}", "bench.\"ranks\" is of the wrong type" },
        { "{\"bench\": {\"label\": \"x\", \"sweep\": \"matrix\", \"workers\": 1, \"ranks\": "
          "-2, \"seed\": 1, \"status\": \"ok\"}}", "(expected an integer >= 0)" },
        { "{\"total_time_s\": 1, \"epoch_time_mean_s\": 1, \"test_f1_micro\": 0.5, "
          "\"test_f1_macro\": 0.5, \"network\": 3, \"bench\": {\"label\": \"x\", \"sweep\": "
          "\"matrix\", \"workers\": 1, \"ranks\": 2, \"seed\": 1, \"status\": \"ok\"}}",
          "\"network\" is of the wrong type or too long (expected an object)" },
        { "{\"total_time_s\": 1, \"epoch_time_mean_s\": 1, \"test_f1_micro\": 0.5, "
          "\"test_f1_macro\": 0.5, \"network\": {\"bytes_per_epoch\": \"many\"}, \"bench\": "
          "{\"label\": \"x\", \"sweep\": \"matrix\", \"workers\": 1, \"ranks\": 2, \"seed\": "
          "1, \"status\": \"ok\"}}", "network.\"bytes_per_epoch\"" },
    };
    const char *dir = tmp_path("out");
    char path[1200];
    write_matrix(dir, seq_t, l2_t, 2e8);
    snprintf(path, sizeof path, "%s/runs/x.json", dir);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        write_text(path, bad[i].text);
        ck_assert_msg(bench_report_build(dir, NULL, 0) == GCN_ERR, "case %zu accepted", i);
        ASSERT_MSG_HAS("/runs/x.json: ");
        ASSERT_MSG_HAS(bad[i].why);
    }
    /* nothing was written: inputs are all read before any output */
    snprintf(path, sizeof path, "%s/summary.md", dir);
    ck_assert(!exists(path));
    snprintf(path, sizeof path, "%s/comparison.csv", dir);
    ck_assert(!exists(path));

    /* two runs that share a label but not the workers */
    snprintf(path, sizeof path, "%s/runs/x.json", dir);
    unlink(path);
    struct fake_run clash = { "local[2]", "matrix", "", 4, 999, 0, 0.3, 0.8, 1e8, NULL };
    write_run(dir, &clash);
    ck_assert_int_eq(bench_report_build(dir, NULL, 0), GCN_ERR);
    ASSERT_MSG_HAS("share the label 'local[2]'");
    ASSERT_MSG_HAS("local2_seed999.json");

    /* no runs/ at all */
    ck_assert_int_eq(bench_report_build(tmp_path("empty"), NULL, 0), GCN_ERR);
    ASSERT_MSG_HAS("empty/runs: no such folder");

    /* a bad target in bench.ini names the key */
    snprintf(path, sizeof path, "%s/runs/local2_seed999.json", dir);
    unlink(path);
    snprintf(path, sizeof path, "%s/bench.ini", dir);
    write_text(path, "[targets]\nspeedup@local[2] = about 2\n");
    ck_assert_int_eq(bench_report_build(dir, NULL, 0), GCN_ERR);
    ASSERT_MSG_HAS("bench.ini:2: [targets]");
    ASSERT_MSG_HAS("speedup@local[2]");
}
END_TEST

static const char *const plot_names[] = { "speedup", "efficiency", "breakdown", "loss_curves",
                                          "memory" };

START_TEST(test_report_plots)
{
    const char *dir = tmp_path("out");
    char path[1200];
    write_matrix(dir, seq_t, l2_t, 2e8);
    struct fake_run sweep = { "local[2], hidden=64", "hidden", "64", 2, 42, 0, 0.7, 0.8, 1e8,
                              NULL };
    write_run(dir, &sweep);
    const struct fake_run mpi = { "mpi[2x2]", "matrix", "", 2, 42, 0, 0.25, 0.8, 1e8, NULL };
    const struct fake_net net = { 2, 1e6 };
    write_run_file(dir, &mpi, NULL, &net);
    ck_assert_msg(bench_report_build(dir, NULL, 1) == GCN_OK, "%s", gcn_last_error());
    /* local[N] on the line at N, mpi[RxN] as labelled points at R x N */
    snprintf(path, sizeof path, "%s/plots-data/speedup.dat", dir);
    char *local = test_read_all(path);
    ASSERT_HAS(local, "\n2 2 ");
    ASSERT_HAS(local, " \"local[2]\"\n");
    ASSERT_LACKS(local, "mpi");
    snprintf(path, sizeof path, "%s/plots-data/speedup_mpi.dat", dir);
    char *mpi_points = test_read_all(path);
    ASSERT_HAS(mpi_points, "\n4 4 0.046188021535170105 \"mpi[2x2]\"\n");
    ck_assert_uint_eq(count_lines(mpi_points), 2);
    free(local);
    free(mpi_points);
    snprintf(path, sizeof path, "%s/plots-data/plots.gp", dir);
    char *gp = test_read_all(path);
    ASSERT_HAS(gp, "set xtics (2, 4)");
    ASSERT_HAS(gp, "'speedup_mpi.dat' using 1:2:3 with yerrorbars ");
    ASSERT_HAS(gp, "'' using 1:2:4 with labels ");
    free(gp);
    for (size_t i = 0; i < sizeof plot_names / sizeof plot_names[0]; i++) {
        snprintf(path, sizeof path, "%s/%s.png", dir, plot_names[i]);
        char *png = test_read_all(path);
        ck_assert_msg(memcmp(png, "\x89PNG", 4) == 0, "%s is not a PNG", path);
        free(png);
        snprintf(path, sizeof path, "%s/%s.svg", dir, plot_names[i]);
        char *svg = test_read_all(path);
        ASSERT_HAS(svg, "<svg");
        free(svg);
    }
    snprintf(path, sizeof path, "%s/sweep_hidden.svg", dir);
    ck_assert(exists(path));
    snprintf(path, sizeof path, "%s/plots-data/speedup.png.part", dir);
    ck_assert(!exists(path));
    snprintf(path, sizeof path, "%s/plots-data/plots.gp", dir);
    ck_assert(exists(path));
    snprintf(path, sizeof path, "%s/summary.md", dir);
    char *md = test_read_all(path);
    ASSERT_HAS(md, "](speedup.svg)");
    ASSERT_HAS(md, "](loss_curves.svg)");
    ASSERT_HAS(md, "](sweep_hidden.svg)");
    free(md);
}
END_TEST

START_TEST(test_report_no_gnuplot)
{
    const char *dir = tmp_path("out");
    char path[1200];
    write_matrix(dir, seq_t, l2_t, 2e8);
    const char *empty = tmp_path("empty-bin");
    ck_assert_int_eq(mkdir(empty, 0777), 0);
    char *saved = strdup(getenv("PATH") ? getenv("PATH") : "/usr/bin:/bin");
    setenv("PATH", empty, 1);
    const int rc = bench_report_build(dir, NULL, 1);
    setenv("PATH", saved, 1);
    free(saved);
    ck_assert_msg(rc == GCN_OK, "%s", gcn_last_error());
    snprintf(path, sizeof path, "%s/summary.md", dir);
    char *md = test_read_all(path);
    ASSERT_HAS(md, "No plots: gnuplot was not found on PATH");
    ASSERT_LACKS(md, "](speedup.svg)");
    free(md);
    snprintf(path, sizeof path, "%s/comparison.csv", dir);
    ck_assert(exists(path));
    for (size_t i = 0; i < sizeof plot_names / sizeof plot_names[0]; i++) {
        snprintf(path, sizeof path, "%s/%s.png", dir, plot_names[i]);
        ck_assert(!exists(path));
    }
}
END_TEST

static Suite *bench_report_suite(void)
{
    Suite *s = suite_create("bench_report");
    TCase *tc = tcase_create("stats");
    tcase_add_test(tc, test_t_quantiles);
    tcase_add_test(tc, test_stat_hand_values);
    tcase_add_test(tc, test_ratio_and_overlap);
    tcase_add_test(tc, test_utilization);
    suite_add_tcase(s, tc);
    tc = tcase_create("targets");
    tcase_add_checked_fixture(tc, make_tmpdir, remove_tmpdir);
    tcase_add_test(tc, test_target_parse);
    tcase_add_test(tc, test_target_load);
    tcase_add_test(tc, test_target_eval);
    suite_add_tcase(s, tc);
    tc = tcase_create("report");
    tcase_add_checked_fixture(tc, make_tmpdir, remove_tmpdir);
    tcase_add_test(tc, test_report_matrix);
    tcase_add_test(tc, test_report_order_and_notes);
    tcase_add_test(tc, test_report_compare);
    tcase_add_test(tc, test_report_utilization);
    tcase_add_test(tc, test_report_mpi);
    tcase_add_test(tc, test_report_bad_runs);
    tcase_add_test(tc, test_report_plots);
    tcase_add_test(tc, test_report_no_gnuplot);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return test_run_suite(bench_report_suite(), CK_FORK_GETENV);
}
