/* report.c: the result JSON, the epoch-log CSV and the terminal summary of a run (see
 * report.h). Key names and meanings are documented in docs/result-schema.md: keep the two in
 * step, and bump GCN_RESULT_SCHEMA_VERSION when a key changes meaning. */
#include "report.h"

#include <math.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "atomic.h"
#include "report_mpi.h"
#include "base/error.h"

static const char *wd_scope_name(enum gcn_wd_scope s)
{
    switch (s) {
    case GCN_WD_FIRST: return "first";
    case GCN_WD_ALL: return "all";
    case GCN_WD_NONE: return "none";
    }
    return "unknown";
}

void gcn_run_report_init(struct gcn_run_report *rep, const struct gcn_config *cfg,
                         const struct gcn_dataset *ds, int forward_only)
{
    memset(rep, 0, sizeof *rep);
    snprintf(rep->config, sizeof rep->config, "%s", cfg->path);
    snprintf(rep->dataset, sizeof rep->dataset, "%s", ds->name[0] ? ds->name : cfg->name);
    snprintf(rep->format, sizeof rep->format, "%s", gcn_format_name(cfg->format));
    rep->nodes = ds->n;
    rep->edges = ds->adj.nnz;
    rep->features = ds->f;
    rep->classes = ds->c;
    rep->train_nodes = ds->n_split[GCN_TRAIN];
    rep->val_nodes = ds->n_split[GCN_VAL];
    rep->test_nodes = ds->n_split[GCN_TEST];
    rep->workers = cfg->workers;
    rep->partitions = cfg->workers == 0 ? 1
                      : cfg->partitions ? cfg->partitions : (size_t)cfg->workers;
    snprintf(rep->partitioner, sizeof rep->partitioner, "%s",
             gcn_partitioner_name(cfg->partitioner));
    snprintf(rep->reorder, sizeof rep->reorder, "%s", gcn_reorder_name(cfg->reorder));
    rep->seed = cfg->seed;
    rep->hp = cfg->hp;
    rep->epochs = cfg->epochs;
    rep->warmup_epochs = cfg->warmup_epochs;
    rep->patience = cfg->patience;
    rep->forward_only = forward_only;
    rep->blas_threads = cfg->blas_threads;
    rep->blas_choice = cfg->blas;
    rep->blas = gcn_blas_current();
    snprintf(rep->blas_kernels, sizeof rep->blas_kernels, "%s", gcn_blas_kernels());
    snprintf(rep->blas_version, sizeof rep->blas_version, "%s", gcn_blas_version());
    snprintf(rep->trace_dir, sizeof rep->trace_dir, "%s", cfg->trace);
    const time_t now = time(NULL);
    struct tm tm;
    if (gmtime_r(&now, &tm))
        strftime(rep->date, sizeof rep->date, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

uint64_t gcn_peak_rss_bytes(void)
{
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru) != 0 || ru.ru_maxrss < 0)
        return 0;
    return (uint64_t)ru.ru_maxrss * 1024u; /* Linux reports KiB */
}

size_t gcn_report_warmup_excluded(size_t warmup, size_t epochs_run)
{
    return warmup < epochs_run ? warmup : 0;
}

/* ---- JSON --------------------------------------------------------------------------- */

/* Field readers for the per-epoch lists. */
/* The value of a floating field f of r (NaN for a count field). */
static double field(const struct gcn_epoch_record *r, enum gcn_epoch_field f)
{
    switch (f) {
    case GCN_EPOCH_SECONDS: return r->seconds;
    case GCN_EPOCH_LOSS: return r->loss;
    case GCN_EPOCH_TRAIN_F1: return r->train_f1;
    case GCN_EPOCH_VAL_LOSS: return r->val_loss;
    case GCN_EPOCH_VAL_F1: return r->val_f1;
    case GCN_EPOCH_COMPUTE: return r->compute_s;
    case GCN_EPOCH_COMM: return r->communication_s;
    case GCN_EPOCH_OVERHEAD: return r->overhead_s;
    case GCN_EPOCH_NET_S: return r->net_s;
    default: return NAN;
    }
}

/* The value of a count field f of r, and whether f is one. */
static int count(const struct gcn_epoch_record *r, enum gcn_epoch_field f, uint64_t *v)
{
    switch (f) {
    case GCN_EPOCH_TASKS: *v = r->tasks; return 1;
    case GCN_EPOCH_SHUFFLE_BYTES: *v = r->shuffle_bytes; return 1;
    case GCN_EPOCH_NET_BYTES: *v = r->net_bytes; return 1;
    default: return 0;
    }
}

void gcn_report_epoch_list(struct gcn_json *j, const char *key,
                           const struct gcn_train_result *res, size_t first, size_t last,
                           enum gcn_epoch_field f)
{
    gcn_json_key(j, key);
    gcn_json_begin_array(j);
    for (size_t e = first; e < last && e < res->epochs_run; e++) {
        uint64_t v;
        if (count(&res->epochs[e], f, &v))
            gcn_json_uint(j, v);
        else
            gcn_json_double(j, field(&res->epochs[e], f));
    }
    gcn_json_end_array(j);
}

static double pct(double part, double whole)
{
    return whole > 0.0 ? 100.0 * part / whole : 0.0;
}

/* "blas": the backend that ran, how it was chosen and, for auto, the probe's rates. */
static void blas_json(struct gcn_json *j, const struct gcn_run_report *rep)
{
    gcn_json_key(j, "blas");
    gcn_json_begin_object(j);
    gcn_json_kv_string(j, "choice", gcn_blas_choice_name(rep->blas_choice));
    gcn_json_kv_string(j, "backend", gcn_blas_backend_name(rep->blas));
    gcn_json_kv_string(j, "kernels", rep->blas_kernels);
    gcn_json_kv_string(j, "version", rep->blas_version);
    if (rep->blas_probe.probe_s > 0.0) {
        gcn_json_key(j, "probe_gflops");
        gcn_json_begin_object(j);
        for (int b = 0; b < GCN_BLAS_COUNT; b++)
            gcn_json_kv_double(j, gcn_blas_backend_name((enum gcn_blas_backend)b),
                               rep->blas_probe.gflops[b]);
        gcn_json_end_object(j);
        gcn_json_kv_double(j, "probe_time_s", rep->blas_probe.probe_s);
    }
    gcn_json_end_object(j);
}

/* "cache": where the dataset (and Â X) came from (drivers/load.h). */
static void cache_json(struct gcn_json *j, const struct gcn_load_info *c)
{
    gcn_json_key(j, "cache");
    gcn_json_begin_object(j);
    gcn_json_kv_string(j, "status", gcn_cache_status_name(c->status));
    gcn_json_kv_string(j, "path", c->path);
    gcn_json_kv_string(j, "aggregate_path", c->aggregate_path);
    gcn_json_kv_double(j, "load_s", c->read_s);
    gcn_json_kv_double(j, "build_s", c->build_s);
    gcn_json_kv_double(j, "save_s", c->save_s);
    gcn_json_kv_bool(j, "saved", c->saved);
    gcn_json_kv_uint(j, "read_bytes", c->read_bytes);
    gcn_json_kv_uint(j, "written_bytes", c->written_bytes);
    gcn_json_end_object(j);
}

void gcn_report_json(const struct gcn_run_report *rep, struct gcn_json *j)
{
    static const struct gcn_train_result empty = { 0 };
    const struct gcn_train_result *res = rep->result ? rep->result : &empty;
    const size_t excluded = gcn_report_warmup_excluded(rep->warmup_epochs, res->epochs_run);
    double mean = 0.0, std = 0.0;
    if (res->epochs_run)
        gcn_train_epoch_stats(res, rep->warmup_epochs, &mean, &std);
    struct gcn_sysinfo own;
    const struct gcn_sysinfo *sys = rep->sys;
    if (!sys) {
        gcn_sysinfo_collect(&own); /* a hwloc failure still leaves usable fields */
        sys = &own;
    }

    gcn_json_begin_object(j);
    gcn_json_kv_int(j, "schema_version", GCN_RESULT_SCHEMA_VERSION);
    gcn_json_kv_string(j, "status", rep->error[0] ? "error" : "ok");
    if (rep->error[0])
        gcn_json_kv_string(j, "error", rep->error);
    gcn_json_kv_string(j, "date", rep->date);

    /* what was run */
    gcn_json_kv_string(j, "config", rep->config);
    gcn_json_kv_string(j, "dataset", rep->dataset);
    gcn_json_kv_string(j, "format", rep->format);
    gcn_json_kv_uint(j, "nodes", rep->nodes);
    gcn_json_kv_uint(j, "edges", rep->edges);
    gcn_json_kv_uint(j, "features", rep->features);
    gcn_json_kv_uint(j, "classes", rep->classes);
    gcn_json_kv_uint(j, "train_nodes", rep->train_nodes);
    gcn_json_kv_uint(j, "val_nodes", rep->val_nodes);
    gcn_json_kv_uint(j, "test_nodes", rep->test_nodes);
    gcn_json_kv_int(j, "workers", rep->workers);
    gcn_json_kv_uint(j, "partitions", rep->partitions);
    gcn_json_kv_string(j, "partitioner", rep->partitioner);
    gcn_json_kv_string(j, "reorder", rep->reorder);
    gcn_json_kv_uint(j, "seed", rep->seed);
    gcn_json_kv_uint(j, "layers", rep->hp.layers);
    gcn_json_kv_uint(j, "hidden", rep->hp.hidden);
    gcn_json_kv_float(j, "lr", rep->hp.lr);
    gcn_json_kv_float(j, "dropout", rep->hp.dropout);
    gcn_json_kv_float(j, "weight_decay", rep->hp.weight_decay);
    gcn_json_kv_string(j, "weight_decay_scope", wd_scope_name(rep->hp.wd_scope));
    gcn_json_kv_uint(j, "epochs", rep->epochs);
    gcn_json_kv_uint(j, "warmup_epochs", rep->warmup_epochs);
    gcn_json_kv_uint(j, "patience", rep->patience);
    gcn_json_kv_bool(j, "forward_only", rep->forward_only);
    gcn_json_kv_int(j, "blas_threads", rep->blas_threads);
    blas_json(j, rep);

    /* times */
    gcn_json_kv_uint(j, "epochs_run", res->epochs_run);
    gcn_json_kv_bool(j, "stopped_early", res->stopped_early);
    gcn_json_kv_double(j, "load_time_s", rep->load_s);
    gcn_json_kv_bool(j, "first_aggregation_cached", rep->first_aggregation_cached);
    gcn_json_kv_double(j, "aggregate_time_s", rep->aggregate_s);
    cache_json(j, &rep->cache);
    gcn_json_kv_double(j, "total_time_s", res->total_time_s);
    gcn_json_kv_uint(j, "timed_epochs", res->epochs_run - excluded);
    gcn_json_kv_double(j, "epoch_time_mean_s", mean);
    gcn_json_kv_double(j, "epoch_time_std_s", std);
    gcn_json_kv_double(j, "throughput_edges_per_s", mean > 0.0 ? (double)rep->edges / mean : 0.0);
    gcn_report_epoch_list(j, "epoch_times_s", res, 0, res->epochs_run, GCN_EPOCH_SECONDS);
    gcn_report_epoch_list(j, "warmup_times_s", res, 0, excluded, GCN_EPOCH_SECONDS);

    /* learning curves and final metrics */
    gcn_report_epoch_list(j, "losses", res, 0, res->epochs_run, GCN_EPOCH_LOSS);
    gcn_report_epoch_list(j, "val_losses", res, 0, res->epochs_run, GCN_EPOCH_VAL_LOSS);
    gcn_report_epoch_list(j, "train_f1s", res, 0, res->epochs_run, GCN_EPOCH_TRAIN_F1);
    gcn_report_epoch_list(j, "val_f1s", res, 0, res->epochs_run, GCN_EPOCH_VAL_F1);
    gcn_json_kv_double(j, "final_loss", res->final_loss);
    gcn_json_kv_double(j, "train_loss", res->train.loss);
    gcn_json_kv_double(j, "val_loss", res->val.loss);
    gcn_json_kv_double(j, "test_loss", res->test.loss);
    gcn_json_kv_double(j, "train_f1_micro", res->train.f1_micro);
    gcn_json_kv_double(j, "train_f1_macro", res->train.f1_macro);
    gcn_json_kv_double(j, "val_f1_micro", res->val.f1_micro);
    gcn_json_kv_double(j, "val_f1_macro", res->val.f1_macro);
    gcn_json_kv_double(j, "test_f1_micro", res->test.f1_micro);
    gcn_json_kv_double(j, "test_f1_macro", res->test.f1_macro);
    gcn_json_kv_uint(j, "peak_rss_bytes",
                     rep->peak_rss_bytes ? rep->peak_rss_bytes : gcn_peak_rss_bytes());

    /* runtime breakdown */
    if (rep->workers > 0) {
        const double worker_s = rep->compute_s + rep->communication_s + rep->overhead_s;
        gcn_json_kv_string(j, "scheduler", rep->scheduler);
        gcn_json_kv_int(j, "starpu_workers", rep->starpu_workers);
        gcn_json_kv_double(j, "worker_s", worker_s);
        gcn_json_kv_double(j, "compute_s", rep->compute_s);
        gcn_json_kv_double(j, "communication_s", rep->communication_s);
        gcn_json_kv_double(j, "overhead_s", rep->overhead_s);
        gcn_json_kv_double(j, "compute_pct", pct(rep->compute_s, worker_s));
        gcn_json_kv_double(j, "communication_pct", pct(rep->communication_s, worker_s));
        gcn_json_kv_double(j, "overhead_pct", pct(rep->overhead_s, worker_s));
        gcn_json_kv_uint(j, "tasks", rep->tasks);
        gcn_json_kv_uint(j, "shuffle_bytes", rep->shuffle_bytes);
        gcn_json_kv_uint(j, "edge_cut", rep->edge_cut);
        gcn_json_kv_string(j, "shuffle", rep->shuffle);
        gcn_json_kv_uint(j, "shuffle_rows", rep->shuffle_rows);
        gcn_json_kv_uint(j, "pairwise_shuffle_rows", rep->pairwise_rows);
        gcn_json_kv_uint(j, "starpu_transferred_bytes", rep->starpu_transferred_bytes);
        gcn_report_epoch_list(j, "compute_s_per_epoch", res, 0, res->epochs_run, GCN_EPOCH_COMPUTE);
        gcn_report_epoch_list(j, "communication_s_per_epoch", res, 0, res->epochs_run,
                              GCN_EPOCH_COMM);
        gcn_report_epoch_list(j, "overhead_s_per_epoch", res, 0, res->epochs_run,
                              GCN_EPOCH_OVERHEAD);
        gcn_report_epoch_list(j, "tasks_per_epoch", res, 0, res->epochs_run, GCN_EPOCH_TASKS);
        gcn_report_epoch_list(j, "shuffle_bytes_per_epoch", res, 0, res->epochs_run,
                              GCN_EPOCH_SHUFFLE_BYTES);
        if (rep->trace_dir[0])
            gcn_json_kv_string(j, "trace_dir", rep->trace_dir);
        else
            gcn_json_kv_null(j, "trace_dir");
        gcn_report_json_network(rep, j);
    }

    gcn_sysinfo_json(sys, j);
    gcn_json_end_object(j);
}

int gcn_report_write_result(const struct gcn_run_report *rep, const char *path)
{
    struct gcn_atomic_file a;
    struct gcn_json j;
    if (gcn_atomic_open(&a, path, "result file") != GCN_OK)
        return GCN_ERR;
    gcn_json_init(&j, a.f, 1);
    gcn_report_json(rep, &j);
    if (gcn_json_finish(&j) != GCN_OK) {
        gcn_atomic_abort(&a);
        return gcn_fail_prefix(path);
    }
    return gcn_atomic_commit(&a);
}

int gcn_report_write_epoch_log(const struct gcn_train_result *res, const char *path)
{
    struct gcn_atomic_file a;
    char v[5][40];
    if (gcn_atomic_open(&a, path, "epoch log") != GCN_OK)
        return GCN_ERR;
    fputs("epoch,loss,train_f1,val_loss,val_f1,seconds\n", a.f);
    for (size_t e = 0; e < res->epochs_run; e++) {
        const struct gcn_epoch_record *r = &res->epochs[e];
        fprintf(a.f, "%zu,%s,%s,%s,%s,%s\n", e + 1,
                gcn_format_double(v[0], sizeof v[0], r->loss),
                gcn_format_double(v[1], sizeof v[1], r->train_f1),
                gcn_format_double(v[2], sizeof v[2], r->val_loss),
                gcn_format_double(v[3], sizeof v[3], r->val_f1),
                gcn_format_double(v[4], sizeof v[4], r->seconds));
    }
    return gcn_atomic_commit(&a);
}

/* ---- terminal summary ---------------------------------------------------------------- */

char *gcn_format_count(char *buf, size_t cap, uint64_t v)
{
    char digits[32];
    int n = snprintf(digits, sizeof digits, "%llu", (unsigned long long)v);
    size_t o = 0;
    for (int i = 0; i < n && o + 2 < cap; i++) {
        if (i > 0 && (n - i) % 3 == 0)
            buf[o++] = ',';
        buf[o++] = digits[i];
    }
    buf[o] = '\0';
    return buf;
}

char *gcn_format_secs(char *buf, size_t cap, double v, double ref)
{
    if (!isfinite(v))
        snprintf(buf, cap, "?");
    else if (ref < 1e-3)
        snprintf(buf, cap, "%.1f us", v * 1e6);
    else if (ref < 1.0)
        snprintf(buf, cap, "%.2f ms", v * 1e3);
    else
        snprintf(buf, cap, "%.3f s", v);
    return buf;
}

/* The summary's second shuffle line: how rows crossed partitions and what the other mode would
 * have copied (nothing when no row crossed: one partition, or no layer aggregates). */
static void print_exchange(const struct gcn_run_report *rep, FILE *out)
{
    char a[32], b[32];
    if (rep->shuffle_rows == 0)
        return;
    if (strcmp(rep->shuffle, "broadcast") == 0)
        fprintf(out, "            broadcast: %s rows gathered once per propagation (the pairwise "
                "halos hold %s)\n", gcn_format_count(a, sizeof a, rep->shuffle_rows),
                gcn_format_count(b, sizeof b, rep->pairwise_rows));
    else
        fprintf(out, "            pairwise: %s halo rows per propagation (a broadcast would copy "
                "%s)\n", gcn_format_count(a, sizeof a, rep->shuffle_rows),
                gcn_format_count(b, sizeof b, rep->nodes));
}

/* The summary's data line: whether the dataset cache was hit, built or off. */
static void print_cache(const struct gcn_load_info *c, FILE *out)
{
    char a[48], b[48], where[GCN_PATH_MAX + 80];
    snprintf(where, sizeof where, "%s%s", c->path, c->aggregate_path[0] ? " + .ax" : "");
    switch (c->status) {
    case GCN_CACHE_HIT:
        fprintf(out, "data        cache hit (%s, %s in %s)\n", where,
                gcn_format_bytes(a, sizeof a, c->read_bytes),
                gcn_format_secs(b, sizeof b, c->read_s, 1.0));
        return;
    case GCN_CACHE_MISS:
        fprintf(out, "data        cache miss: built in %s",
                gcn_format_secs(a, sizeof a, c->build_s, 1.0));
        if (c->read_bytes > 0)
            fprintf(out, " (and %s read from the cache)",
                    gcn_format_bytes(b, sizeof b, c->read_bytes));
        if (c->saved)
            fprintf(out, ", saved in %s to %s\n", gcn_format_secs(b, sizeof b, c->save_s, 1.0),
                    where);
        else
            fprintf(out, ", not saved (see the warning above)\n");
        return;
    default:
        fprintf(out, "data        cache off (built in %s; [dataset] cache = false or "
                "--no-cache)\n", gcn_format_secs(a, sizeof a, c->build_s, 1.0));
        return;
    }
}

void gcn_report_print_summary(const struct gcn_run_report *rep, FILE *out)
{
    static const struct gcn_train_result empty = { 0 };
    const struct gcn_train_result *res = rep->result ? rep->result : &empty;
    char a[48], b[48], c[48], d[48], e[48];
    const size_t excluded = gcn_report_warmup_excluded(rep->warmup_epochs, res->epochs_run);
    double mean = 0.0, std = 0.0;
    if (res->epochs_run)
        gcn_train_epoch_stats(res, rep->warmup_epochs, &mean, &std);

    fprintf(out, "dataset     %s: %s nodes, ", rep->dataset,
            gcn_format_count(a, sizeof a, rep->nodes));
    fprintf(out, "%s edges, ", gcn_format_count(a, sizeof a, rep->edges));
    fprintf(out, "%s features, %zu classes (train %s, val %s, test %s)\n",
            gcn_format_count(a, sizeof a, rep->features), rep->classes,
            gcn_format_count(b, sizeof b, rep->train_nodes),
            gcn_format_count(c, sizeof c, rep->val_nodes),
            gcn_format_count(d, sizeof d, rep->test_nodes));
    fprintf(out, "config      %s: ", rep->config[0] ? rep->config : "(defaults)");
    if (rep->workers == 0)
        fprintf(out, "sequential (workers 0, %d BLAS thread%s)", rep->blas_threads,
                rep->blas_threads == 1 ? "" : "s");
    else if (rep->per_rank)
        fprintf(out, "mpi[%dx%d] (%d ranks of local[%d]), %zu partitions (%s), scheduler %s",
                rep->ranks, rep->workers, rep->ranks, rep->workers, rep->partitions,
                rep->partitioner, rep->scheduler[0] ? rep->scheduler : "?");
    else
        fprintf(out, "local[%d], %zu partitions (%s), scheduler %s", rep->workers,
                rep->partitions, rep->partitioner, rep->scheduler[0] ? rep->scheduler : "?");
    fprintf(out, ", layers %zu, hidden %zu, lr %g, dropout %g, seed %llu%s\n", rep->hp.layers,
            rep->hp.hidden, (double)rep->hp.lr, (double)rep->hp.dropout,
            (unsigned long long)rep->seed, rep->forward_only ? ", forward only" : "");
    fprintf(out, "blas        %s, %s kernels (%s", rep->blas_version, rep->blas_kernels,
            gcn_blas_choice_name(rep->blas_choice));
    if (rep->blas_probe.probe_s > 0.0)
        fprintf(out, ": probe %.0f GFLOP/s openblas, %.0f blis",
                rep->blas_probe.gflops[GCN_BLAS_OPENBLAS], rep->blas_probe.gflops[GCN_BLAS_BLIS]);
    fprintf(out, ")\n");
    fprintf(out, "epochs      %zu of %zu", res->epochs_run, rep->epochs);
    if (res->stopped_early)
        fprintf(out, " (early stop: no lower validation loss for %zu epochs)", rep->patience);
    fprintf(out, "\n");
    fprintf(out, "total time  %s training", gcn_format_secs(a, sizeof a, res->total_time_s, 1.0));
    if (rep->load_s > 0.0)
        fprintf(out, ", %s loading", gcn_format_secs(b, sizeof b, rep->load_s, 1.0));
    if (rep->first_aggregation_cached)
        fprintf(out, rep->cache.status == GCN_CACHE_HIT
                         ? ", %s reading Â X from the cache (layer 1 aggregation cached)"
                         : ", %s computing Â X once (layer 1 aggregation cached)",
                gcn_format_secs(b, sizeof b, rep->aggregate_s, 1.0));
    fprintf(out, "\n");
    print_cache(&rep->cache, out);
    if (res->epochs_run) {
        fprintf(out, "epoch time  %s ± %s (mean ± std of %zu epoch%s",
                gcn_format_secs(a, sizeof a, mean, mean), gcn_format_secs(b, sizeof b, std, mean),
                res->epochs_run - excluded, res->epochs_run - excluded == 1 ? "" : "s");
        if (excluded) {
            fprintf(out, "; warm-up:");
            for (size_t i = 0; i < excluded && i < 3; i++)
                fprintf(out, "%s %s", i ? "," : "",
                        gcn_format_secs(a, sizeof a, res->epochs[i].seconds,
                                        res->epochs[i].seconds));
            if (excluded > 3)
                fprintf(out, ", ... (%zu epochs)", excluded);
        } else if (rep->warmup_epochs) {
            fprintf(out, "; too few epochs to leave out the warm-up");
        }
        fprintf(out, ")\n");
    }
    fprintf(out, "loss        final %.4f (train eval %.4f, val %.4f, test %.4f)\n",
            res->final_loss, res->train.loss, res->val.loss, res->test.loss);
    fprintf(out, "test F1     micro %.4f  macro %.4f  (val micro %.4f, train micro %.4f)\n",
            res->test.f1_micro, res->test.f1_macro, res->val.f1_micro, res->train.f1_micro);
    fprintf(out, "peak RSS    %s\n", gcn_format_bytes(a, sizeof a,
            rep->peak_rss_bytes ? rep->peak_rss_bytes : gcn_peak_rss_bytes()));

    if (rep->workers > 0) {
        const double w = rep->compute_s + rep->communication_s + rep->overhead_s;
        fprintf(out, "runtime     compute %s (%.1f %%), communication %s (%.1f %%), overhead "
                "%s (%.1f %%) of %s worker time on %d StarPU worker%s\n",
                gcn_format_secs(a, sizeof a, rep->compute_s, 1.0), pct(rep->compute_s, w),
                gcn_format_secs(b, sizeof b, rep->communication_s, 1.0),
                pct(rep->communication_s, w),
                gcn_format_secs(c, sizeof c, rep->overhead_s, 1.0), pct(rep->overhead_s, w),
                gcn_format_secs(d, sizeof d, w, 1.0), rep->starpu_workers,
                rep->starpu_workers == 1 ? "" : "s");
        fprintf(out, "shuffle     %s", gcn_format_bytes(a, sizeof a, rep->shuffle_bytes));
        if (res->epochs_run)
            fprintf(out, " (%s per epoch)", gcn_format_bytes(b, sizeof b,
                    rep->shuffle_bytes / res->epochs_run));
        fprintf(out, ", %s tasks, edge cut %s of %s edges\n",
                gcn_format_count(c, sizeof c, rep->tasks),
                gcn_format_count(d, sizeof d, rep->edge_cut),
                gcn_format_count(e, sizeof e, rep->edges));
        print_exchange(rep, out);
        gcn_report_print_network(rep, out);
        if (rep->starpu_transferred_bytes == 0)
            fprintf(out, "transfers   StarPU moved 0 B between memory nodes (CPU only: the "
                    "workers share one memory node)\n");
        else
            fprintf(out, "transfers   StarPU moved %s between memory nodes\n",
                    gcn_format_bytes(a, sizeof a, rep->starpu_transferred_bytes));
        if (rep->trace_dir[0])
            fprintf(out, "trace       vite %s/paje.trace\n", rep->trace_dir);
    }
    if (rep->error[0])
        fprintf(out, "status      error: %s\n", rep->error);
}
