/* bench_summary.c: summary.md (see bench_summary.h). Numbers are shown with four
 * significant digits (a standard deviation with as many decimals as its mean), memory in
 * MiB or GiB, F1 as a fraction with four decimals. */
#include "bench_summary.h"

#include <json-c/json.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "drivers/atomic.h"
#include "base/error.h"

#define DASH "–"

/* Decimals that show v with sig significant digits (0..9). */
static int decimals(double v, int sig)
{
    if (!isfinite(v) || v == 0.0)
        return sig - 1;
    /* the 1e-12 keeps a mean such as 0.9999999999999999 in 1's decade */
    int d = sig - 1 - (int)floor(log10(fabs(v) * (1.0 + 1e-12)));
    return d < 0 ? 0 : d > 9 ? 9 : d;
}

/* "mean ± std" of s (4 significant digits), "mean" for one run, DASH for none. */
static const char *fmt_stat(char *buf, size_t cap, const struct bench_stat *s)
{
    const int d = decimals(s->mean, 4);
    if (s->n == 0)
        snprintf(buf, cap, DASH);
    else if (s->n == 1)
        snprintf(buf, cap, "%.*f", d, s->mean);
    else
        snprintf(buf, cap, "%.*f ± %.*f", d, s->mean, d, s->std);
    return buf;
}

/* F1 "0.9312 ± 0.0010". */
static const char *fmt_f1(char *buf, size_t cap, const struct bench_stat *s)
{
    if (s->n == 0)
        snprintf(buf, cap, DASH);
    else if (s->n == 1)
        snprintf(buf, cap, "%.4f", s->mean);
    else
        snprintf(buf, cap, "%.4f ± %.4f", s->mean, s->std);
    return buf;
}

/* v with d decimals, DASH when undefined. */
static const char *fmt_fixed(char *buf, size_t cap, double v, int d)
{
    if (isfinite(v))
        snprintf(buf, cap, "%.*f", d, v);
    else
        snprintf(buf, cap, DASH);
    return buf;
}

static const char *fmt_bytes(char *buf, size_t cap, double v)
{
    if (!isfinite(v))
        snprintf(buf, cap, DASH);
    else if (v >= 1024.0 * 1048576.0)
        snprintf(buf, cap, "%.2f GiB", v / (1024.0 * 1048576.0));
    else if (v >= 1048576.0)
        snprintf(buf, cap, "%.1f MiB", v / 1048576.0);
    else
        snprintf(buf, cap, "%.0f KiB", v / 1024.0);
    return buf;
}

/* A count with thousands separators: 114,615,892; "?" when the run file lacks it (NaN). */
static const char *fmt_count(char *buf, size_t cap, double x)
{
    if (!(fabs(x) < 9e18)) {
        snprintf(buf, cap, "?");
        return buf;
    }
    const long long v = (long long)x;
    char digits[32];
    int n = snprintf(digits, sizeof digits, "%lld", v < 0 ? -v : v);
    size_t k = 0;
    if (v < 0 && k + 1 < cap)
        buf[k++] = '-';
    for (int i = 0; i < n && k + 2 < cap; i++) {
        buf[k++] = digits[i];
        if ((n - i - 1) % 3 == 0 && i + 1 < n)
            buf[k++] = ',';
    }
    buf[k] = '\0';
    return buf;
}

/* A markdown table cell: '|' escaped, line breaks as spaces. */
static void put_cell(FILE *f, const char *s)
{
    for (; *s; s++) {
        if (*s == '|')
            fputs("\\|", f);
        else if (*s == '\n' || *s == '\r')
            fputc(' ', f);
        else
            fputc(*s, f);
    }
}

/* root.obj.key (obj NULL: root.key) as a string, or "unknown". */
static const char *jstr(struct json_object *root, const char *obj, const char *key)
{
    struct json_object *o = root, *x;
    if (obj && !json_object_object_get_ex(root, obj, &o))
        return "unknown";
    if (!json_object_object_get_ex(o, key, &x) || !json_object_is_type(x, json_type_string))
        return "unknown";
    return json_object_get_string(x);
}

/* root.obj.key as a number (int or double), NaN when absent. */
static double jnum(struct json_object *root, const char *obj, const char *key)
{
    struct json_object *o = root, *x;
    if (obj && !json_object_object_get_ex(root, obj, &o))
        return NAN;
    if (!json_object_object_get_ex(o, key, &x) ||
        !(json_object_is_type(x, json_type_int) || json_object_is_type(x, json_type_double)))
        return NAN;
    return json_object_get_double(x);
}

/* The run the header describes: sequential's first ok run, else the first ok run. */
static const struct bench_run *reference_run(const struct bench_set *set)
{
    for (int pass = 0; pass < 2; pass++) {
        for (size_t k = 0; k < set->n_cfgs; k++) {
            const struct bench_group *c = &set->cfgs[k];
            if (pass == 0 && c != set->seq)
                continue;
            for (size_t i = 0; i < c->n_runs; i++) {
                if (set->runs[c->runs[i]].ok)
                    return &set->runs[c->runs[i]];
            }
        }
    }
    return NULL;
}

/* "LEAD N different WHAT (`a`, `b`); TAIL" when ok runs disagree on obj.key. */
static void distinct_note(FILE *f, const struct bench_set *set, const char *obj,
                          const char *key, const char *lead, const char *what,
                          const char *tail)
{
    const char *seen[8];
    size_t n = 0, more = 0;
    for (size_t i = 0; i < set->n_runs; i++) {
        if (!set->runs[i].ok)
            continue;
        const char *v = jstr(set->runs[i].root, obj, key);
        size_t j = 0;
        while (j < n && strcmp(seen[j], v) != 0)
            j++;
        if (j < n)
            continue;
        if (n < sizeof seen / sizeof seen[0])
            seen[n++] = v;
        else
            more++;
    }
    if (n + more < 2)
        return;
    fprintf(f, "\n%s %zu different %s (", lead, n + more, what);
    for (size_t j = 0; j < n; j++)
        fprintf(f, "%s`%s`", j ? ", " : "", seen[j]);
    fprintf(f, "%s); %s\n", more ? ", ..." : "", tail);
}

static void write_header(FILE *f, const struct bench_set *set)
{
    const struct bench_run *ref = reference_run(set);
    char a[64], b[64];
    size_t n_ok = 0;
    for (size_t i = 0; i < set->n_runs; i++)
        n_ok += set->runs[i].ok != 0;

    fprintf(f, "# gcnbench report\n\nBuilt from the %zu run files in `%s/runs/` (%zu ok, %zu "
               "failed) in %zu configurations.\n", set->n_runs, set->dir, n_ok,
            set->n_runs - n_ok, set->n_cfgs);
    if (!ref) {
        fputs("\nNo run finished: there is no machine, workload or result to report.\n", f);
        return;
    }
    struct json_object *r = ref->root, *caches = NULL;
    struct json_object *hw = NULL;
    json_object_object_get_ex(r, "hardware", &hw);
    if (hw)
        json_object_object_get_ex(hw, "caches", &caches);
    fputs("\n## Machine and software\n\n| | |\n|---|---|\n", f);
    fprintf(f, "| CPU | %s: %.0f cores, %.0f hardware threads, %.0f package(s), %.0f NUMA "
               "node(s) |\n", jstr(r, "hardware", "cpu_model"), jnum(r, "hardware", "cores"),
            jnum(r, "hardware", "threads"), jnum(r, "hardware", "packages"),
            jnum(r, "hardware", "numa_nodes"));
    if (caches) {
        fputs("| caches | ", f);
        int listed = 0;
        static const char *const lv[3][3] = { { "L1d", "l1d_bytes", "l1d_count" },
                                              { "L2", "l2_bytes", "l2_count" },
                                              { "L3", "l3_bytes", "l3_count" } };
        for (int i = 0; i < 3; i++) {
            double bytes = jnum(caches, NULL, lv[i][1]), count = jnum(caches, NULL, lv[i][2]);
            if (isfinite(bytes) && bytes > 0)
                fprintf(f, "%s%s %s x %.0f", listed++ ? ", " : "", lv[i][0],
                        fmt_bytes(a, sizeof a, bytes), count);
        }
        fputs(" |\n", f);
    }
    fprintf(f, "| memory | %s |\n", fmt_bytes(a, sizeof a, jnum(r, "hardware", "memory_bytes")));
    fprintf(f, "| host | %s (%s) |\n", jstr(r, "hardware", "hostname"), jstr(r, "hardware", "os"));
    fprintf(f, "| gcnrun | %s, commit %s |\n", jstr(r, "software", "gcnrun_version"),
            jstr(r, "software", "git_commit"));
    fprintf(f, "| StarPU | %s |\n", jstr(r, "software", "starpu_version"));
    fputs("| OpenBLAS | ", f);
    put_cell(f, jstr(r, "software", "openblas_corename"));
    fputs(" (", f);
    put_cell(f, jstr(r, "software", "openblas_config"));
    fprintf(f, "), %.0f thread(s) |\n", jnum(r, "software", "openblas_threads"));
    if (strcmp(jstr(r, "blas", "backend"), "unknown") != 0) { /* runs before the BLAS choice */
        fprintf(f, "| BLAS (dense products) | %s, %s kernels (%s, `blas = %s`) |\n",
                jstr(r, "blas", "backend"), jstr(r, "blas", "kernels"), jstr(r, "blas", "version"),
                jstr(r, "blas", "choice"));
    }
    fprintf(f, "| compiler | %s |\n", jstr(r, "software", "compiler"));
    static const char merged[] = "**Merged results:** the runs come from",
                      first[] = "the table above describes the first run of the baseline.";
    distinct_note(f, set, "hardware", "hostname", merged, "machines", first);
    distinct_note(f, set, "software", "git_commit", merged, "commits", first);
    distinct_note(f, set, "blas", "backend", "**BLAS:** the runs used", "backends",
                  "`[train] blas = auto` picks one per run by a timing probe, and the two "
                  "round differently; pin one with `--conf train.blas=NAME` to compare like "
                  "with like.");

    fprintf(f, "\n## Workload\n\nDataset `%s` (%s): %s nodes, %s edges, %.0f features, %.0f "
               "classes. ", jstr(r, NULL, "dataset"), jstr(r, NULL, "format"),
            fmt_count(a, sizeof a, jnum(r, NULL, "nodes")),
            fmt_count(b, sizeof b, jnum(r, NULL, "edges")),
            jnum(r, NULL, "features"), jnum(r, NULL, "classes"));
    fprintf(f, "Model: %.0f layers, hidden %.0f, lr %g, dropout %g. %.0f epochs per run (%.0f "
               "warm-up excluded from the epoch-time mean).", jnum(r, NULL, "layers"),
            jnum(r, NULL, "hidden"), jnum(r, NULL, "lr"), jnum(r, NULL, "dropout"),
            jnum(r, NULL, "epochs"), jnum(r, NULL, "warmup_epochs"));
    /* the seeds, each once, in increasing order */
    fputs(" Seeds:", f);
    long long last = 0;
    for (int first = 1;; first = 0) {
        long long next = 0;
        int found = 0;
        for (size_t i = 0; i < set->n_runs; i++) {
            long long s = set->runs[i].seed;
            if ((first || s > last) && (!found || s < next))
                next = s, found = 1;
        }
        if (!found)
            break;
        fprintf(f, "%s %lld", first ? "" : ",", next);
        last = next;
    }
    fputs(".\n", f);
}

/* "3" or "2 ok, 1 failed". */
static const char *fmt_runs(char *buf, size_t cap, const struct bench_group *c)
{
    if (c->n_ok == c->n_runs)
        snprintf(buf, cap, "%zu", c->n_runs);
    else
        snprintf(buf, cap, "%zu ok, %zu failed", c->n_ok, c->n_runs - c->n_ok);
    return buf;
}

static const char *fmt_speedup(char *buf, size_t cap, const struct bench_group *c)
{
    if (!isfinite(c->speedup))
        snprintf(buf, cap, DASH);
    else if (isfinite(c->speedup_unc) && c->speedup_unc > 0)
        snprintf(buf, cap, "%.2fx ± %.2f", c->speedup, c->speedup_unc);
    else
        snprintf(buf, cap, "%.2fx", c->speedup);
    return buf;
}

/* CPU utilization "0.88 ± 0.02 of 2 cores" (the cores used when every run agrees, else
 * their range), DASH when no run file has it. */
static const char *fmt_util(char *buf, size_t cap, const struct bench_group *c)
{
    const struct bench_stat *u = &c->st[BM_UTILIZATION], *k = &c->st[BM_CORES_USED];
    char cores[48] = "";
    if (u->n == 0) {
        snprintf(buf, cap, DASH);
        return buf;
    }
    if (k->n && k->min == k->max)
        snprintf(cores, sizeof cores, " of %.0f core%s", k->min, k->min == 1 ? "" : "s");
    else if (k->n)
        snprintf(cores, sizeof cores, " of %.0f–%.0f cores", k->min, k->max);
    if (u->n == 1)
        snprintf(buf, cap, "%.2f%s", u->mean, cores);
    else
        snprintf(buf, cap, "%.2f ± %.2f%s", u->mean, u->std, cores);
    return buf;
}

/* 1 when set has an mpi[RxN] configuration. */
static int has_mpi(const struct bench_set *set)
{
    for (size_t k = 0; k < set->n_cfgs; k++) {
        if (set->cfgs[k].ranks > 0)
            return 1;
    }
    return 0;
}

/* 1 when an ok run of set has no utilization (a run file from before it was measured). */
static int some_util_missing(const struct bench_set *set)
{
    for (size_t i = 0; i < set->n_runs; i++) {
        if (set->runs[i].ok && isnan(set->runs[i].m[BM_UTILIZATION]))
            return 1;
    }
    return 0;
}

static void write_results(FILE *f, const struct bench_set *set)
{
    char t[96], s[64], e[32], p1[32], p2[32], p3[32], f1[64], m[32], r[48], u[64];
    fputs("\n## Results\n\n| config | runs | epoch time (s) | speedup | efficiency | compute % "
          "| comm. % | overhead % | test F1 micro | peak memory | CPU utilization |\n"
          "|---|---|---|---|---|---|---|---|---|---|---|\n", f);
    for (size_t k = 0; k < set->n_cfgs; k++) {
        const struct bench_group *c = &set->cfgs[k];
        if (strcmp(c->sweep, "matrix") != 0)
            continue;
        fputs("| ", f);
        put_cell(f, c->label);
        fprintf(f, " | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n",
                fmt_runs(r, sizeof r, c), fmt_stat(t, sizeof t, &c->st[BM_EPOCH_TIME]),
                fmt_speedup(s, sizeof s, c), fmt_fixed(e, sizeof e, c->efficiency, 2),
                fmt_fixed(p1, sizeof p1, c->compute_pct, 1),
                fmt_fixed(p2, sizeof p2, c->communication_pct, 1),
                fmt_fixed(p3, sizeof p3, c->overhead_pct, 1),
                fmt_f1(f1, sizeof f1, &c->st[BM_TEST_F1_MICRO]),
                fmt_bytes(m, sizeof m, c->st[BM_PEAK_RSS].mean), fmt_util(u, sizeof u, c));
    }
    fputs("\nEpoch time: mean ± sample standard deviation over the runs of each run's mean "
          "epoch time (warm-up epochs excluded). Speedup: T_sequential / T_config of those "
          "means, ± its standard uncertainty (standard errors of both means, propagated to "
          "first order); efficiency = speedup / N. Compute, communication and overhead are "
          "shares of the summed worker time (sequential: all compute). Peak memory: the "
          "child's ru_maxrss from wait4, mean over runs. 95 % confidence intervals (Student "
          "t) of every metric are in `benchmark_summary.csv`.\n", f);
    if (has_mpi(set))
        fputs("\nmpi[RxN]: R ranks under mpirun with N workers each, training the sequential "
              "model on R × N partitions like local[R × N]; its efficiency is speedup / (R × "
              "N), its peak memory that of the largest process (mpirun or one rank, as wait4 "
              "reports the maximum of a process tree), and its CPU utilization counts min(R × "
              "N, online CPUs) cores.\n", f);
    fputs("\nCPU utilization: the child's CPU time (user + system, from wait4) over its wall "
          "time × the cores its configuration can use: min(N, online CPUs) for local[N] (so "
          "local[16] on 2 CPUs uses 2), its BLAS threads for sequential. Both times cover the "
          "whole child process, loading included (gcnbench times it from fork to wait4), "
          "mean ± std over runs. Well under 1: the workers sat idle or waited (for each other, "
          "or for a phase that runs on fewer threads); above 1: the process ran more threads "
          "than those cores in some phase.", f);
    if (some_util_missing(set))
        fputs(" No value (" DASH "): run files written before gcnbench measured CPU time.", f);
    fputc('\n', f);
}

/* 1 when configuration c exchanged rows in mode ("pairwise", "broadcast"); configurations that
 * shuffled nothing (one partition) exchanged none. */
static int exchanged_by(const struct bench_group *c, const char *mode)
{
    return strcmp(c->shuffle, mode) == 0 && c->st[BM_SHUFFLE_BYTES].mean > 0.0;
}

/* Which configurations exchanged rows by broadcast and which by pairwise shuffle, one line per
 * mode; only when some broadcast ran (otherwise every run did what DESIGN §3 describes). */
static void shuffle_note(FILE *f, const struct bench_set *set)
{
    static const char *const mode[] = { "broadcast", "pairwise" };
    static const char *const how[] = { "broadcast (each partition's rows gathered once)",
                                       "pairwise shuffle (halos)" };
    int any = 0;
    for (size_t k = 0; k < set->n_cfgs; k++)
        any |= exchanged_by(&set->cfgs[k], mode[0]);
    for (int m = 0; any && m < 2; m++) {
        int n = 0;
        for (size_t k = 0; k < set->n_cfgs; k++) {
            if (!exchanged_by(&set->cfgs[k], mode[m]))
                continue;
            fprintf(f, n++ ? ", `" : "- Rows crossed partitions by %s in `", how[m]);
            put_cell(f, set->cfgs[k].label);
            fputc('`', f);
        }
        if (n)
            fputs(".\n", f);
    }
}

/* The configurations whose mean utilization exceeds 1 by more than the 5 % that CPU-time
 * accounting can be off for short runs, in one line. */
static void util_note(FILE *f, const struct bench_set *set)
{
    int n = 0;
    for (size_t k = 0; k < set->n_cfgs; k++) {
        const struct bench_group *c = &set->cfgs[k];
        if (!(c->st[BM_UTILIZATION].mean > 1.05))
            continue;
        fputs(n++ ? ", `" : "- CPU utilization above 1 in `", f);
        put_cell(f, c->label);
        fprintf(f, "` (%.2f)", c->st[BM_UTILIZATION].mean);
    }
    if (n)
        fputs(": the process ran more threads than its configuration's cores in some phase (in "
              "gcnrun, generating or loading the data and caching the first aggregation run "
              "OpenMP threads on every CPU).\n", f);
}

/* What ran through the network per timed epoch in each mpi[RxN] configuration. */
static void write_network(FILE *f, const struct bench_set *set)
{
    char b[96], p[96], t[96], r[48];
    if (!has_mpi(set))
        return;
    fputs("\n## Network (mpi configurations)\n\n| config | runs | bytes per epoch | "
          "predicted bytes per epoch | network time per epoch (s) |\n|---|---|---|---|---|\n",
          f);
    for (size_t k = 0; k < set->n_cfgs; k++) {
        const struct bench_group *c = &set->cfgs[k];
        if (c->ranks <= 0)
            continue;
        fputs("| ", f);
        put_cell(f, c->label);
        fprintf(f, " | %s | %s | %s | %s |\n", fmt_runs(r, sizeof r, c),
                fmt_stat(b, sizeof b, &c->st[BM_NET_BYTES]),
                fmt_stat(p, sizeof p, &c->st[BM_NET_PREDICTED]),
                fmt_stat(t, sizeof t, &c->st[BM_NET_SECONDS]));
    }
    fputs("\nMean ± std over the ok runs of each run's `network` object: the bytes its ranks "
          "sent through StarPU-MPI per timed epoch, the bytes the partition plan predicts, and "
          "the time data was in flight per timed epoch. " DASH ": no run reported it.\n", f);
}

static void write_notes(FILE *f, const struct bench_set *set)
{
    const struct bench_group *seq = set->seq, *l1 = bench_set_find(set, "local[1]");
    struct {
        int ranks, workers;
    } noted[64];
    int n_noted = 0;

    fputs("\n## Notes\n\n", f);
    if (!seq)
        fputs("- No sequential run finished: there is no baseline, so no speedup, efficiency "
              "or F1 comparison.\n", f);
    if (seq && l1 && l1->n_ok) {
        const double ratio = l1->st[BM_EPOCH_TIME].mean / seq->st[BM_EPOCH_TIME].mean;
        const double pct = 100.0 * (ratio - 1.0);
        if (ratio >= 1.0)
            fprintf(f, "- local[1] takes %.2fx the sequential epoch: the runtime's overhead "
                       "is %.0f %%.\n", ratio, pct);
        else
            fprintf(f, "- local[1] takes %.2fx the sequential epoch: it is %.0f %% faster, so "
                       "the runtime's overhead is not measurable here.\n", ratio, -pct);
    }
    for (size_t k = 0; k < set->n_cfgs; k++) {
        const struct bench_group *c = &set->cfgs[k];
        const int total = bench_group_workers_total(c);
        int seen = 0;
        for (int i = 0; i < n_noted; i++)
            seen |= noted[i].ranks == c->ranks && noted[i].workers == c->workers;
        if (seen || c->cores <= 0 || total <= c->cores || !c->n_ok)
            continue;
        if (n_noted < 64) {
            noted[n_noted].ranks = c->ranks;
            noted[n_noted++].workers = c->workers;
        }
        if (c->ranks > 0)
            fprintf(f, "- mpi[%dx%d] runs %d workers (%d ranks × %d) on %d cores: "
                       "oversubscribed.\n", c->ranks, c->workers, total, c->ranks, c->workers,
                    c->cores);
        else
            fprintf(f, "- local[%d] runs %d workers on %d cores: oversubscribed.\n",
                    c->workers, c->workers, c->cores);
    }
    shuffle_note(f, set);
    util_note(f, set);
    int flagged = 0;
    for (size_t k = 0; seq && k < set->n_cfgs; k++) {
        const struct bench_group *c = &set->cfgs[k];
        if (c == seq || !isfinite(c->f1_diff_points) || c->f1_diff_points <= 1.0)
            continue;
        fputs("- **F1 flag:** ", f);
        put_cell(f, c->label);
        fprintf(f, "'s test F1 micro %.4f differs from sequential's %.4f by %.2f points "
                   "(more than 1).\n", c->st[BM_TEST_F1_MICRO].mean,
                seq->st[BM_TEST_F1_MICRO].mean, c->f1_diff_points);
        flagged++;
    }
    if (seq && !flagged)
        fputs("- Every configuration that trains the sequential model has a test F1 within "
              "1 point of sequential's.\n", f);
}

static int write_targets(FILE *f, const struct bench_summary_input *in)
{
    const struct bench_targets *ts = in->targets;
    size_t count[3] = { 0, 0, 0 };

    fputs("\n## Targets\n\n", f);
    if (!ts->found) {
        fprintf(f, "No `%s`: no targets to check.\n", in->ini_path);
        return GCN_OK;
    }
    if (ts->n == 0) {
        fprintf(f, "`%s` has no `[targets]`.\n", in->ini_path);
        return GCN_OK;
    }
    fprintf(f, "From `[targets]` in `%s`:\n\n", in->ini_path);
    for (size_t i = 0; i < ts->n; i++) {
        struct bench_target_result *res;
        size_t n;
        if (bench_target_eval(&ts->t[i], in->set, &res, &n) != GCN_OK)
            return GCN_ERR;
        for (size_t j = 0; j < n; j++) {
            fprintf(f, "- %s\n", res[j].line);
            count[res[j].verdict]++;
        }
        free(res);
    }
    fprintf(f, "\n%zu PASS, %zu FAIL, %zu SKIP.\n", count[BT_PASS], count[BT_FAIL],
            count[BT_SKIP]);
    return GCN_OK;
}

static void write_failures(FILE *f, const struct bench_set *set)
{
    int any = 0;
    for (size_t k = 0; k < set->n_cfgs; k++) {
        const struct bench_group *c = &set->cfgs[k];
        for (size_t i = 0; i < c->n_runs; i++) {
            const struct bench_run *r = &set->runs[c->runs[i]];
            if (r->ok)
                continue;
            if (!any++)
                fputs("\n## Failed runs\n\n| run file | config | seed | error |\n"
                      "|---|---|---|---|\n", f);
            fprintf(f, "| `%s` | ", r->file);
            put_cell(f, r->label);
            fprintf(f, " | %lld | ", (long long)r->seed);
            put_cell(f, r->error);
            fputs(" |\n", f);
        }
    }
}

static void write_sweeps(FILE *f, const struct bench_set *set)
{
    char t[96], s[64], p[32], f1[64], m[32], sh[32], ec[32], r[48], u[64];
    const char *current = NULL;
    for (size_t k = 0; k < set->n_cfgs; k++) {
        const struct bench_group *c = &set->cfgs[k];
        if (strcmp(c->sweep, "matrix") == 0)
            continue;
        if (!current || strcmp(current, c->sweep) != 0) {
            current = c->sweep;
            fprintf(f, "\n## Sweep: %s\n\n| point | config | runs | epoch time (s) | speedup | "
                       "comm. %% | test F1 micro | peak memory | shuffle | edge cut | CPU "
                       "utilization |\n|---|---|---|---|---|---|---|---|---|---|---|\n",
                    c->sweep);
        }
        fputs("| ", f);
        put_cell(f, c->point);
        fputs(" | ", f);
        put_cell(f, c->label);
        fprintf(f, " | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", fmt_runs(r, sizeof r, c),
                fmt_stat(t, sizeof t, &c->st[BM_EPOCH_TIME]), fmt_speedup(s, sizeof s, c),
                fmt_fixed(p, sizeof p, c->communication_pct, 1),
                fmt_f1(f1, sizeof f1, &c->st[BM_TEST_F1_MICRO]),
                fmt_bytes(m, sizeof m, c->st[BM_PEAK_RSS].mean),
                fmt_bytes(sh, sizeof sh, c->st[BM_SHUFFLE_BYTES].mean),
                isfinite(c->st[BM_EDGE_CUT].mean)
                    ? fmt_count(ec, sizeof ec, round(c->st[BM_EDGE_CUT].mean))
                    : DASH, fmt_util(u, sizeof u, c));
    }
    if (current)
        fputs("\nSpeedup is shown only for points that train the sequential model (the "
              "partitioner sweep); shuffle: bytes copied by shuffle tasks over the timed "
              "epochs.\n", f);
}

static void write_regressions(FILE *f, const struct bench_summary_input *in)
{
    const struct bench_comparison *cmp = in->cmp;
    char a[64], b[64];
    fprintf(f, "\n## Regressions against `%s`\n\n", in->compare_to);
    fprintf(f, "%zu configuration(s) compared: a regression is a metric whose 95 %% confidence "
               "intervals no longer overlap, in the worse direction (time or memory up, F1 or "
               "speedup down).\n\n", cmp->n_compared);
    if (cmp->n_reg == 0)
        fputs("No regression.\n", f);
    for (size_t i = 0; i < cmp->n_reg; i++) {
        const struct bench_regression *r = &cmp->reg[i];
        const int d = decimals(r->old_mean, 4);
        fputs("- **REGRESSION** ", f);
        put_cell(f, r->config);
        snprintf(a, sizeof a, "%.*f [%.*f, %.*f]", d, r->old_mean, d, r->old_lo, d, r->old_hi);
        snprintf(b, sizeof b, "%.*f [%.*f, %.*f]", d, r->new_mean, d, r->new_lo, d, r->new_hi);
        fprintf(f, " %s: %s, was %s\n", r->metric, b, a);
    }
    if (cmp->n_skipped) {
        fputs("\nNot compared (absent from the old folder, or fewer than 2 ok runs on a "
              "side):", f);
        for (size_t i = 0; i < cmp->n_skipped; i++) {
            fputs(i ? ", " : " ", f);
            put_cell(f, cmp->skipped[i]);
        }
        fputs(".\n", f);
    }
}

static void write_plots(FILE *f, const struct bench_summary_input *in)
{
    fputs("\n## Plots\n\n", f);
    if (!in->plots_wanted) {
        fputs("Not drawn (--no-plots): `gcnbench report DIR` draws them.\n", f);
        return;
    }
    const struct bench_plots *p = in->plots;
    for (size_t i = 0; i < p->n; i++)
        fprintf(f, "![%s](%s.svg)\n\n(PNG: [%s.png](%s.png))\n\n", p->title[i], p->name[i],
                p->name[i], p->name[i]);
    if (p->note[0])
        fprintf(f, "%s\n", p->note);
}

int bench_summary_write(const char *dir, const struct bench_summary_input *in)
{
    struct gcn_atomic_file a;
    char path[4400];
    snprintf(path, sizeof path, "%s/summary.md", dir);
    if (gcn_atomic_open(&a, path, "report summary") != GCN_OK)
        return GCN_ERR;
    write_header(a.f, in->set);
    write_results(a.f, in->set);
    write_network(a.f, in->set);
    write_notes(a.f, in->set);
    if (write_targets(a.f, in) != GCN_OK) {
        gcn_atomic_abort(&a);
        return GCN_ERR;
    }
    write_failures(a.f, in->set);
    write_sweeps(a.f, in->set);
    if (in->compare_to)
        write_regressions(a.f, in);
    write_plots(a.f, in);
    return gcn_atomic_commit(&a);
}
