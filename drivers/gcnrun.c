/* gcnrun.c: the gcnrun command: parse the command line and config, load or generate the
 * dataset, train the GCN sequentially (--workers 0) or on StarPU local[N], show progress and
 * the summary, and write the result JSON and epoch log. Exit codes: 0 ok, 1 runtime error
 * (bad data, divergence, unwritable output, interrupted), 2 usage error. */
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "blas_core.h"
#include "cli.h"
#include "base/error.h"
#include "gcn/train.h"
#include "gcn/train_rdd.h"
#include "runtime/context.h"
#include "runtime/trace.h"
#include "load.h"
#include "mpi_env.h"
#include "progress.h"
#include "report.h"

static volatile sig_atomic_t stop_signal;

static void on_signal(int sig)
{
    stop_signal = sig;
}

struct epoch_hook {
    struct gcn_progress progress; /* the live line */
};

/* Progress, then stop training when SIGINT or SIGTERM arrived. */
static int on_epoch(void *arg, size_t epoch, size_t epochs, const struct gcn_epoch_record *r)
{
    struct epoch_hook *h = arg;
    gcn_progress_epoch(&h->progress, epoch, epochs, r);
    return stop_signal != 0;
}

static void print_dataset_info(const struct gcn_dataset *ds, const struct gcn_config *cfg,
                               const struct gcn_load_info *load)
{
    printf("name: %s\n", ds->name);
    printf("format: %s\n", gcn_format_name(cfg->format));
    printf("nodes: %zu\n", ds->n);
    printf("edges: %zu\n", ds->adj.nnz);
    printf("avg_degree: %.2f\n", ds->n ? (double)ds->adj.nnz / (double)ds->n : 0.0);
    printf("features: %zu\n", ds->f);
    printf("classes: %zu\n", ds->c);
    printf("train: %zu\n", ds->n_split[GCN_TRAIN]);
    printf("val: %zu\n", ds->n_split[GCN_VAL]);
    printf("test: %zu\n", ds->n_split[GCN_TEST]);
    printf("unused: %zu\n", ds->n_split[GCN_UNUSED]);
    printf("load_seconds: %.3f\n", load->load_s);
    printf("cache: %s\n", gcn_cache_status_name(load->status));
    if (load->path[0])
        printf("cache_path: %s\n", load->path);
    if (load->aggregate_path[0]) {
        printf("aggregate_seconds: %.3f\n", load->aggregate_s);
        printf("aggregate_cache_path: %s\n", load->aggregate_path);
    }
}

/* The runtime breakdown of the report: per-epoch sums over the timed epochs. */
static void fill_runtime(struct gcn_run_report *rep, const struct gcn_train_result *res,
                         const struct gcn_rdd_info *info, size_t warmup)
{
    snprintf(rep->scheduler, sizeof rep->scheduler, "%s", info->sched);
    rep->starpu_workers = info->workers;
    rep->partitions = info->partitions;
    rep->edge_cut = info->edge_cut;
    snprintf(rep->shuffle, sizeof rep->shuffle, "%s", gcn_shuffle_name(info->shuffle));
    rep->shuffle_rows = info->shuffle_rows;
    rep->pairwise_rows = info->pairwise_rows;
    rep->starpu_transferred_bytes = info->transferred_bytes;
    for (size_t e = gcn_report_warmup_excluded(warmup, res->epochs_run); e < res->epochs_run;
         e++) {
        const struct gcn_epoch_record *r = &res->epochs[e];
        rep->compute_s += r->compute_s;
        rep->communication_s += r->communication_s;
        rep->overhead_s += r->overhead_s;
        rep->tasks += r->tasks;
        rep->shuffle_bytes += r->shuffle_bytes;
        rep->net_bytes += r->net_bytes;
        rep->net_s += r->net_s;
        rep->timed_epochs++;
    }
    rep->ranks = info->ranks;
    rep->predicted_net_bytes = info->predicted_net_bytes;
    rep->cross_rank_rows = info->cross_rank_rows;
    rep->per_rank = info->per_rank;
}

/* Under mpirun, this process's rank when it is not rank 0 (-1 otherwise): its errors name
 * it, since another machine's rank may fail where rank 0 did not (a data file missing). */
static int other_rank = -1;

static int fail(const char *what)
{
    char who[32] = "";
    if (other_rank > 0)
        snprintf(who, sizeof who, "rank %d: ", other_rank);
    fprintf(stderr, "gcnrun: %s%s%s%s\n", who, what ? what : "", what ? ": " : "",
            gcn_last_error());
    return 1;
}

int main(int argc, char **argv)
{
    static struct gcn_cli cli; /* large (paths): not on the stack */
    gcn_blas_pick_core(argv);
    const int st = gcn_cli_parse(&cli, argc, argv);
    if (st == GCN_CLI_HELP) {
        gcn_cli_usage(stdout, argv[0]);
        return 0;
    }
    if (st == GCN_CLI_VERSION) {
        gcn_cli_version(stdout);
        return 0;
    }
    if (st != GCN_CLI_RUN) {
        fprintf(stderr, "gcnrun: %s\n", gcn_last_error());
        if (st == GCN_CLI_USAGE_ERROR)
            fprintf(stderr, "Try 'gcnrun --help'.\n");
        return gcn_cli_exit_code(st);
    }
    struct gcn_config *cfg = &cli.cfg;
    int ranks, rank;
    const int launched = gcn_mpi_env(&ranks, &rank);
    if (launched && !rdd_mpi_built()) {
        if (rank == 0)
            fprintf(stderr, "gcnrun: started by an MPI launcher (%d ranks), but this gcnrun was "
                            "built without StarPU-MPI; rebuild with tools/setup.sh (StarPU "
                            "--enable-mpi, Open MPI), or run without mpirun, with --workers N "
                            "for N threads\n", ranks);
        return 1;
    }
    if (launched && cfg->workers == 0 && !cli.dataset_info && !cli.prepare) {
        if (rank == 0)
            fprintf(stderr, "gcnrun: --workers 0 is the one-process sequential baseline; under "
                            "mpirun give every rank --workers N (N >= 1)\n");
        return 2;
    }
    if (launched && rank != 0) { /* rank 0 speaks and writes for the job */
        other_rank = rank;
        cfg->quiet = 1;
        cfg->result[0] = cfg->epoch_log[0] = '\0';
    }
    /* an unusable trace folder is found before minutes of loading, not after */
    if (cfg->trace[0] && cfg->workers > 0 && rdd_trace_check_dir(cfg->trace) != GCN_OK)
        return fail(NULL);
    if (cfg->trace[0] && cfg->workers == 0)
        fprintf(stderr, "gcnrun: note: --trace records StarPU tasks; the sequential run "
                        "(--workers 0) has none, so no trace is written\n");
    /* a BLIS that cannot be loaded is found before the loading too; the probe waits for a
     * run that trains (--dataset-info and --prepare run no dense product) */
    if (cfg->blas == GCN_BLAS_USE_BLIS && gcn_blas_load_blis() != GCN_OK)
        return fail(NULL);

    /* the dataset as the trainers take it, and Â X when layer 1 is cached: from the on-disk
     * cache when it holds them, built (and saved) otherwise */
    struct gcn_dataset ds;
    struct gcn_load_info load;
    const int info_only = cli.dataset_info && !cli.prepare;
    if (gcn_load_prepared(&ds, cfg, info_only ? 0 : gcn_config_caches_first(cfg), stderr,
                          &load) != GCN_OK) {
        gcn_dataset_free(&ds);
        return fail(NULL);
    }
    if (cli.dataset_info || cli.prepare) {
        print_dataset_info(&ds, cfg, &load);
        gcn_dataset_free(&ds);
        return 0;
    }
    struct gcn_blas_probe blas_probe;
    if (gcn_blas_select(cfg->blas, &blas_probe) != GCN_OK) {
        gcn_dataset_free(&ds);
        return fail(NULL);
    }

    struct sigaction sa = { .sa_handler = on_signal };
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);

    struct gcn_train_opts opts;
    gcn_train_opts_defaults(&opts);
    opts.hp = cfg->hp;
    opts.epochs = cfg->epochs;
    opts.warmup_epochs = cfg->warmup_epochs;
    opts.patience = cfg->patience;
    opts.seed = cfg->seed;
    opts.blas_threads = cfg->blas_threads;
    opts.forward_only = cli.forward_only;
    struct epoch_hook hook;
    opts.on_epoch = on_epoch;
    opts.on_epoch_arg = &hook;

    struct gcn_run_report rep;
    gcn_run_report_init(&rep, cfg, &ds, cli.forward_only);
    rep.load_s = load.load_s;
    rep.blas_probe = blas_probe;
    rep.first_aggregation_cached = ds.x_aggregated;
    rep.aggregate_s = load.aggregate_s;
    rep.cache = load;
    struct gcn_train_result res;
    struct gcn_rdd_info info = { 0 };
    gcn_progress_init(&hook.progress, stdout, cfg->quiet, cfg->warmup_epochs);
    int rc;
    if (cfg->workers == 0) {
        rc = gcn_train_seq(&res, &ds, &opts);
    } else {
        const struct gcn_rdd_opts ro = {
            .workers = cfg->workers,
            .partitions = cfg->partitions,
            .partitioner = cfg->partitioner,
            .shuffle = cfg->shuffle,
            .sched = cfg->scheduler[0] ? cfg->scheduler : NULL,
            .trace_dir = cfg->trace[0] ? cfg->trace : NULL,
            .quiet = cfg->quiet,
            .distributed = launched,
            .release = launched ? &ds : NULL, /* a rank keeps only its partitions' rows */
        };
        rc = gcn_train_rdd(&res, &info, &ds, &opts, &ro);
        fill_runtime(&rep, &res, &info, cfg->warmup_epochs);
    }
    gcn_progress_finish(&hook.progress);
    int exit_code = 0;
    if (rc != GCN_OK) {
        /* the ranks train in step on the same data and settings (they compared both), so
         * what failed in training failed on every rank: rank 0 says it for the job */
        exit_code = other_rank > 0 ? 1 : fail("training failed");
    } else if (stop_signal) {
        fprintf(stderr, "gcnrun: interrupted by %s after %zu of %zu epochs; no result written\n",
                stop_signal == SIGINT ? "SIGINT" : "SIGTERM", res.epochs_run, cfg->epochs);
        exit_code = 128 + stop_signal;
    } else {
        rep.result = &res;
        if (!cfg->quiet)
            gcn_report_print_summary(&rep, stdout);
        if (cfg->epoch_log[0] && gcn_report_write_epoch_log(&res, cfg->epoch_log) != GCN_OK)
            exit_code = fail(NULL);
        if (cfg->result[0] && gcn_report_write_result(&rep, cfg->result) != GCN_OK)
            exit_code = fail(NULL);
    }
    gcn_train_result_free(&res);
    gcn_rdd_info_free(&info);
    gcn_dataset_free(&ds);
    return exit_code;
}
