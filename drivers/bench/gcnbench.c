/* gcnbench.c: the gcnbench command (issue 5). `gcnbench --config BENCH.ini` runs the
 * experiment matrix (every workers value and every ranks entry x seeds, then the [sweep]
 * points), each run a fresh gcnrun child (under mpirun for an mpi[RxN] run, issue 12), shows one live progress line, writes OUT/bench.ini and OUT/runs/<id>.json,
 * then builds the report (CSVs, summary.md, plots) from those files. `gcnbench report DIR`
 * rebuilds the report alone. Exit status: 0 every run ok, 1 a run failed or a runtime error,
 * 2 usage or configuration error, 130 / 143 interrupted by SIGINT / SIGTERM (the finished
 * runs are kept and reported; --resume continues). */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bench_config.h"
#include "bench_plan.h"
#include "bench_report.h"
#include "bench_run.h"
#include "bench_runfile.h"
#include "base/error.h"
#include "gcn/train.h"
#include "gcnrun_build.h"
#include "drivers/gcnrun_git.h"
#include "drivers/progress.h"

static void usage(FILE *out)
{
    fprintf(out,
        "usage: gcnbench [--config BENCH.ini] [options]\n"
        "       gcnbench report DIR [--compare-to OLD_DIR] [--no-plots]\n"
        "Runs the benchmark matrix (workers and ranks x seeds, then the [sweep] points), each\n"
        "run a fresh gcnrun process (under mpirun for ranks), and writes per-run JSON, CSVs,\n"
        "summary.md and plots to OUT.\n"
        "'report' rebuilds the CSVs, summary.md and plots of DIR from DIR/runs/*.json.\n"
        "\n"
        "  -c, --config FILE      bench INI (keys: configs/README.md)\n"
        "  -o, --out DIR          output folder                       bench.out\n"
        "  -w, --workers LIST     e.g. 0,1,2,4 (0 = sequential)       bench.workers\n"
        "      --ranks LIST       e.g. 2x1,2x2: mpi[RxN] runs under   bench.ranks\n"
        "                         mpirun -np R, N workers per rank\n"
        "      --seeds LIST       e.g. 42,123,456                     bench.seeds\n"
        "      --repeats N        runs per configuration (<= seeds)   bench.repeats\n"
        "      --epochs N         training epochs of every run        bench.epochs\n"
        "      --warmup-epochs N  epochs left out of the mean         bench.warmup_epochs\n"
        "      --conf SEC.KEY=V   a bench or sweep key, or a gcnrun key for every run\n"
        "                         (e.g. --conf bench.run_config=configs/cora.ini,\n"
        "                         --conf synthetic.nodes=50000), repeatable\n"
        "      --sequential       add workers 0 (sequential) when missing\n"
        "      --no-sequential    leave workers 0 out\n"
        "      --resume           skip runs whose OUT/runs/<id>.json finished with the same\n"
        "                         command\n"
        "      --compare-to DIR   mark regressions against an older results folder\n"
        "      --no-plots         skip gnuplot\n"
        "  -q, --quiet            no progress lines\n"
        "  -h, --help             this text\n"
        "  -V, --version          version and git commit\n"
        "\n"
        "Sources apply in this order, later ones winning: defaults, --config FILE, each\n"
        "--conf in the order given, then the flags above. gcnrun is taken from $GCNRUN, else\n"
        "from the folder of gcnbench. A second Ctrl-C kills the running child at once.\n"
        "Exit status: 0 all runs ok, 1 a run failed or a runtime error, 2 usage or\n"
        "configuration error, 130/143 interrupted (finished runs kept: rerun with --resume).\n");
}

/* Prints "gcnbench: MESSAGE" and returns code. */
static int fail(int code)
{
    fprintf(stderr, "gcnbench: %s\n", gcn_last_error());
    return code;
}

/* ---- the live progress line ------------------------------------------------------------ */

struct progress {
    enum gcn_progress_mode mode;        /* quiet, plain lines, or one redrawn line */
    size_t k, total;                    /* run k of total (1-based while running) */
    const struct bench_run_spec *run;   /* the run in progress */
    double t0;                          /* monotonic start of the matrix */
    size_t done;                        /* runs finished (ok or failed) */
    size_t last_epoch;                  /* epoch of the last plain line printed */
    int drawn;                          /* a redrawn line is on screen */
};

static int terminal_columns(void)
{
    struct winsize ws;
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
        return ws.ws_col;
    return 80;
}

/* Shows text as the progress line (redrawn in place) or as a plain line. */
static void progress_show(struct progress *p, const char *text, int final)
{
    if (p->mode == GCN_PROGRESS_BAR) {
        const int cols = terminal_columns() - 1;
        printf("\r%.*s\033[K%s", cols > 0 ? cols : 0, text, final ? "\n" : "");
        p->drawn = !final;
    } else {
        printf("%s\n", text);
    }
    fflush(stdout);
}

static void on_tick(void *arg, size_t epoch, size_t epochs)
{
    struct progress *p = arg;
    if (p->mode == GCN_PROGRESS_QUIET)
        return;
    if (p->mode == GCN_PROGRESS_LINES && (epoch == 0 || epoch == p->last_epoch))
        return; /* plain lines: one per epoch, not per clock tick */
    p->last_epoch = epoch;
    const double elapsed = gcn_now_s() - p->t0;
    const double units = (double)p->done + (epochs ? (double)epoch / (double)epochs : 0.0);
    const double eta = units > 0.0 ? elapsed * ((double)p->total - units) / units : -1.0;
    char el[32], et[32], ep[48], text[256];
    if (epochs)
        snprintf(ep, sizeof ep, "epoch %zu/%zu", epoch, epochs);
    else
        snprintf(ep, sizeof ep, "starting");
    snprintf(text, sizeof text, "run %zu/%zu  %s seed %llu  %s  elapsed %s  ETA matrix %s",
             p->k, p->total, p->run->label, (unsigned long long)p->run->seed, ep,
             gcn_format_duration(el, sizeof el, elapsed),
             gcn_format_duration(et, sizeof et, eta));
    progress_show(p, text, 0);
}

/* The line that closes a run: "run 3/12  local[2] seed 42  ok in 6.6s" (or "FAILED"). */
static void progress_run_done(struct progress *p, double wall_s, int ok)
{
    p->done++;
    if (p->mode == GCN_PROGRESS_QUIET)
        return;
    char w[32], text[256];
    snprintf(text, sizeof text, "run %zu/%zu  %s seed %llu  %s in %s", p->k, p->total,
             p->run->label, (unsigned long long)p->run->seed, ok ? "ok" : "FAILED",
             gcn_format_duration(w, sizeof w, wall_s));
    progress_show(p, text, 1);
}

/* Ends a redrawn line left open (interrupt, error). */
static void progress_close(struct progress *p)
{
    if (p->drawn) {
        fputc('\n', stdout);
        fflush(stdout);
        p->drawn = 0;
    }
}

/* ---- set-up helpers -------------------------------------------------------------------- */

/* gcnrun's path: $GCNRUN, else "gcnrun" in the folder of this executable. */
static int find_gcnrun(char *path, size_t cap)
{
    const char *env = getenv("GCNRUN");
    if (env && env[0]) {
        if (snprintf(path, cap, "%s", env) >= (int)cap)
            return gcn_fail("$GCNRUN is too long");
    } else {
        char self[PATH_MAX];
        ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
        if (n < 0)
            return gcn_fail("cannot find gcnrun: /proc/self/exe: %s; set GCNRUN=/path/to/gcnrun",
                            strerror(errno));
        self[n] = '\0';
        char *slash = strrchr(self, '/');
        *slash = '\0';
        if (snprintf(path, cap, "%s/gcnrun", self) >= (int)cap)
            return gcn_fail("cannot find gcnrun: the path of gcnbench is too long");
    }
    if (access(path, X_OK) != 0)
        return gcn_fail("cannot run gcnrun '%s': %s; build it next to gcnbench or set "
                        "GCNRUN=/path/to/gcnrun", path, strerror(errno));
    return GCN_OK;
}

/* mkdir -p dir. */
static int make_folder(const char *dir)
{
    char buf[GCN_PATH_MAX];
    struct stat st;
    if (snprintf(buf, sizeof buf, "%s", dir) >= (int)sizeof buf)
        return gcn_fail("output folder path too long");
    for (char *p = buf + 1;; p++) {
        if (*p != '/' && *p != '\0')
            continue;
        const char c = *p;
        *p = '\0';
        if (mkdir(buf, 0777) != 0 && errno != EEXIST)
            return gcn_fail("cannot create folder %s: %s; choose a writable --out", buf,
                            strerror(errno));
        if (stat(buf, &st) != 0 || !S_ISDIR(st.st_mode))
            return gcn_fail("cannot create folder %s: a file is in the way; choose another "
                            "--out", buf);
        *p = c;
        if (!c)
            break;
    }
    return GCN_OK;
}

/* argv as one line (for bench.ini's [effective] command_line); malloc'ed, NULL if OOM. */
static char *command_line(int argc, char **argv)
{
    struct bench_argv a = { 0 };
    char *line = NULL;
    for (int i = 0; i < argc && i < BENCH_ARGV_MAX; i++) {
        a.v[a.n] = strdup(argv[i]);
        if (!a.v[a.n])
            goto done;
        a.n++;
    }
    line = bench_argv_join(&a);
done:
    bench_argv_free(&a);
    return line;
}

/* ---- gcnbench report DIR --------------------------------------------------------------- */

static int report_main(int argc, char **argv)
{
    static const struct option opts[] = {
        { "compare-to", required_argument, NULL, 'C' },
        { "no-plots", no_argument, NULL, 'P' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    const char *compare_to = NULL;
    int plots = 1, c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (c) {
        case 'C':
            compare_to = optarg;
            break;
        case 'P':
            plots = 0;
            break;
        case 'h':
            usage(stdout);
            return 0;
        case ':':
            gcn_fail("option '%s' needs an argument (see gcnbench --help)", argv[optind - 1]);
            return fail(2);
        default:
            gcn_fail("unrecognized option '%s' for 'gcnbench report' (see gcnbench --help)",
                     argv[optind - 1]);
            return fail(2);
        }
    }
    if (optind + 1 != argc) {
        gcn_fail(optind == argc ? "report: name the results folder: gcnbench report DIR"
                                : "report: one results folder expected, got '%s' too",
                 optind < argc ? argv[optind + 1] : "");
        return fail(2);
    }
    if (bench_report_build(argv[optind], compare_to, plots) != GCN_OK)
        return fail(1);
    return 0;
}

/* ---- gcnbench --config ... ------------------------------------------------------------- */

enum { F_OUT, F_WORKERS, F_RANKS, F_SEEDS, F_REPEATS, F_EPOCHS, F_WARMUP, F_COUNT };

static const struct {
    const char *flag; /* as typed */
    const char *key;  /* [bench] key */
} flag_keys[F_COUNT] = {
    [F_OUT] = { "--out", "out" },
    [F_WORKERS] = { "--workers", "workers" },
    [F_RANKS] = { "--ranks", "ranks" },
    [F_SEEDS] = { "--seeds", "seeds" },
    [F_REPEATS] = { "--repeats", "repeats" },
    [F_EPOCHS] = { "--epochs", "epochs" },
    [F_WARMUP] = { "--warmup-epochs", "warmup_epochs" },
};

enum {
    OPT_FLAG = 256, OPT_CONF = 512, OPT_SEQ, OPT_NO_SEQ, OPT_RESUME, OPT_COMPARE,
    OPT_NO_PLOTS
};

struct options {
    const char *config;             /* --config */
    const char *flag_value[F_COUNT]; /* last value of each dedicated flag */
    const char **confs;             /* --conf assignments, in order */
    size_t nconf;
    int sequential;                 /* -1 as configured, 1 --sequential, 0 --no-sequential */
    int resume, plots, quiet;
    const char *compare_to;         /* --compare-to */
};

/* Parses argv into o. Returns -1 to go on, else the exit code (help, version, usage). */
static int parse_options(struct options *o, int argc, char **argv)
{
    static const struct option opts[] = {
        { "config", required_argument, NULL, 'c' },
        { "out", required_argument, NULL, OPT_FLAG + F_OUT },
        { "workers", required_argument, NULL, OPT_FLAG + F_WORKERS },
        { "ranks", required_argument, NULL, OPT_FLAG + F_RANKS },
        { "seeds", required_argument, NULL, OPT_FLAG + F_SEEDS },
        { "repeats", required_argument, NULL, OPT_FLAG + F_REPEATS },
        { "epochs", required_argument, NULL, OPT_FLAG + F_EPOCHS },
        { "warmup-epochs", required_argument, NULL, OPT_FLAG + F_WARMUP },
        { "conf", required_argument, NULL, OPT_CONF },
        { "sequential", no_argument, NULL, OPT_SEQ },
        { "no-sequential", no_argument, NULL, OPT_NO_SEQ },
        { "resume", no_argument, NULL, OPT_RESUME },
        { "compare-to", required_argument, NULL, OPT_COMPARE },
        { "no-plots", no_argument, NULL, OPT_NO_PLOTS },
        { "quiet", no_argument, NULL, 'q' },
        { "help", no_argument, NULL, 'h' },
        { "version", no_argument, NULL, 'V' },
        { NULL, 0, NULL, 0 },
    };
    int c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":c:o:w:qhV", opts, NULL)) != -1) {
        switch (c) {
        case 'c':
            if (o->config) {
                gcn_fail("--config given twice ('%s' and '%s'): use --conf to override keys",
                         o->config, optarg);
                return fail(2);
            }
            o->config = optarg;
            break;
        case 'o':
            o->flag_value[F_OUT] = optarg;
            break;
        case 'w':
            o->flag_value[F_WORKERS] = optarg;
            break;
        case OPT_CONF:
            o->confs[o->nconf++] = optarg;
            break;
        case OPT_SEQ:
            o->sequential = 1;
            break;
        case OPT_NO_SEQ:
            o->sequential = 0;
            break;
        case OPT_RESUME:
            o->resume = 1;
            break;
        case OPT_COMPARE:
            o->compare_to = optarg;
            break;
        case OPT_NO_PLOTS:
            o->plots = 0;
            break;
        case 'q':
            o->quiet = 1;
            break;
        case 'h':
            usage(stdout);
            return 0;
        case 'V':
            printf("gcnbench %s (git %s)\n", GCNRUN_VERSION, GCNRUN_GIT_COMMIT);
            return 0;
        case ':':
            gcn_fail("option '%s' needs an argument (see --help)", argv[optind - 1]);
            return fail(2);
        case '?':
            if (strncmp(argv[optind - 1], "--", 2) == 0 || optopt <= 0 || optopt > 127)
                gcn_fail("unrecognized option '%s' (see --help)", argv[optind - 1]);
            else
                gcn_fail("unrecognized option '-%c' (see --help)", optopt);
            return fail(2);
        default:
            o->flag_value[c - OPT_FLAG] = optarg;
            break;
        }
    }
    if (optind < argc) {
        gcn_fail("unexpected argument '%s' (gcnbench takes options only, or 'report DIR'; "
                 "see --help)", argv[optind]);
        return fail(2);
    }
    return -1;
}

/* Sources in order: defaults, --config, each --conf, the flags; then the checks. */
static int build_config(struct bench_config *bc, const struct options *o)
{
    bench_config_defaults(bc);
    if (o->config && bench_config_load(bc, o->config) != GCN_OK)
        return GCN_ERR;
    for (size_t i = 0; i < o->nconf; i++)
        if (bench_config_apply_conf(bc, o->confs[i]) != GCN_OK)
            return GCN_ERR;
    for (int f = 0; f < F_COUNT; f++)
        if (o->flag_value[f] && bench_config_apply_flag(bc, flag_keys[f].flag, flag_keys[f].key,
                                                        o->flag_value[f]) != GCN_OK)
            return GCN_ERR;
    if (o->sequential >= 0 && bench_config_set_sequential(bc, o->sequential) != GCN_OK)
        return GCN_ERR;
    return bench_config_validate(bc);
}

/* The counts of one matrix. */
struct tally {
    size_t ok, failed, skipped;
};

/* Fills the dataset cache (gcnrun --prepare) so that every timed run reads the prepared
 * data and Â X instead of the first one building them. A failure is not fatal: the runs
 * build what they miss, and their own errors say why. */
static void prepare_dataset(const struct bench_config *bc, const char *gcnrun, int quiet)
{
    struct bench_argv a;
    struct bench_child_result res;
    if (bench_plan_prepare_argv(&a, bc, gcnrun) != GCN_OK)
        return;
    const int rc = bench_run_child(&a, NULL, NULL, &res);
    bench_argv_free(&a);
    if (rc == GCN_OK && res.exit_status == 0 && !quiet)
        printf("gcnbench: dataset prepared in %.1f s (gcnrun --prepare; the runs read it from "
               "the dataset cache)\n", res.wall_s);
    else if ((rc != GCN_OK || res.exit_status != 0) && !bench_stop_signal())
        fprintf(stderr, "gcnbench: note: gcnrun --prepare failed (%s); each run loads the "
                        "dataset itself\n", rc == GCN_OK ? res.last_stderr : gcn_last_error());
    fflush(stdout);
}

/* Runs plan->runs[i] for every i with todo[i] set; stops early on a signal. Returns
 * GCN_ERR only for an error that ends the matrix (a child cannot be started, a run file
 * cannot be written). */
static int run_matrix(const struct bench_config *bc, const struct bench_plan *plan,
                      const unsigned char *todo, const char *gcnrun, struct progress *pg,
                      struct tally *t)
{
    char dest[GCN_PATH_MAX + 256], tmp[GCN_PATH_MAX + 256], err[600];
    struct bench_argv a = { 0 };
    char *command = NULL;
    int rc = GCN_ERR;
    const int online_cpus = bench_online_cpus();

    for (size_t i = 0; i < plan->n && !bench_stop_signal(); i++) {
        if (!todo[i])
            continue;
        const struct bench_run_spec *r = &plan->runs[i];
        snprintf(dest, sizeof dest, "%s/runs/%s.json", bc->out, r->id);
        snprintf(tmp, sizeof tmp, "%s/runs/%s.result.tmp", bc->out, r->id);
        if (bench_plan_argv(&a, bc, r, gcnrun, tmp) != GCN_OK)
            goto done;
        command = bench_argv_join(&a);
        if (!command) {
            gcn_fail("out of memory");
            goto done;
        }
        pg->k++;
        pg->run = r;
        pg->last_epoch = 0;
        on_tick(pg, 0, 0);
        struct bench_child_result res;
        if (bench_run_child(&a, on_tick, pg, &res) != GCN_OK)
            goto done;
        if (bench_stop_signal() && res.exit_status != 0) {
            unlink(tmp); /* interrupted: not a result, not a failure */
            break;
        }
        struct bench_run_record rec = {
            .spec = r, .peak_rss_bytes = res.peak_rss_bytes, .wall_s = res.wall_s,
            .cpu_user_s = res.cpu_user_s, .cpu_sys_s = res.cpu_sys_s,
            .online_cpus = online_cpus, .command = command, .error = NULL,
        };
        if (res.exit_status != 0) {
            bench_child_error(&res, err, sizeof err);
            rec.error = err;
        } else if (bench_runfile_write(dest, tmp, &rec) != GCN_OK) {
            snprintf(err, sizeof err, "%s", gcn_last_error());
            rec.error = err;
        }
        unlink(tmp);
        if (rec.error && bench_runfile_write(dest, NULL, &rec) != GCN_OK)
            goto done;
        progress_run_done(pg, res.wall_s, !rec.error);
        if (rec.error) {
            fprintf(stderr, "gcnbench: run %s seed %llu failed: %s (recorded in %s; the matrix "
                            "goes on)\n", r->label, (unsigned long long)r->seed, rec.error,
                    dest);
            t->failed++;
        } else {
            t->ok++;
        }
        free(command);
        command = NULL;
        bench_argv_free(&a);
    }
    rc = GCN_OK;
done:
    free(command);
    bench_argv_free(&a);
    return rc;
}

/* Marks in todo the runs still to do: all of them, or with --resume those without a run
 * file that finished with the same command. Returns the number skipped, or -1 (OOM). */
static long select_runs(const struct bench_config *bc, const struct bench_plan *plan,
                        const char *gcnrun, int resume, unsigned char *todo)
{
    char dest[GCN_PATH_MAX + 256], tmp[GCN_PATH_MAX + 256];
    long skipped = 0;
    for (size_t i = 0; i < plan->n; i++) {
        struct bench_argv a;
        snprintf(dest, sizeof dest, "%s/runs/%s.json", bc->out, plan->runs[i].id);
        snprintf(tmp, sizeof tmp, "%s/runs/%s.result.tmp", bc->out, plan->runs[i].id);
        if (bench_plan_argv(&a, bc, &plan->runs[i], gcnrun, tmp) != GCN_OK)
            return -1;
        char *cmd = bench_argv_join(&a);
        bench_argv_free(&a);
        if (!cmd) {
            gcn_fail("out of memory");
            return -1;
        }
        todo[i] = !(resume && bench_runfile_done(dest, cmd));
        skipped += !todo[i];
        free(cmd);
    }
    return skipped;
}

/* OUT/runs exists; without --resume it must hold no run file of an earlier matrix.
 * Returns 0, or the exit code after printing the error. */
static int prepare_out(const struct bench_config *bc, int resume)
{
    char runs[GCN_PATH_MAX + 16];
    snprintf(runs, sizeof runs, "%s/runs", bc->out);
    if (make_folder(runs) != GCN_OK)
        return fail(1);
    const long existing = bench_runfile_count(runs);
    if (existing < 0)
        return fail(1);
    if (existing > 0 && !resume) {
        gcn_fail("%s already holds %ld run files: add --resume to continue that matrix, or "
                 "choose another --out (or remove %s)", runs, existing, runs);
        return fail(2);
    }
    return 0;
}

static enum gcn_progress_mode progress_mode(int quiet)
{
    const char *term = getenv("TERM");
    if (quiet)
        return GCN_PROGRESS_QUIET;
    if (isatty(STDOUT_FILENO) && !(term && strcmp(term, "dumb") == 0))
        return GCN_PROGRESS_BAR;
    return GCN_PROGRESS_LINES;
}

int main(int argc, char **argv)
{
    static struct bench_config bc; /* large (paths, conf lists): not on the stack */
    struct options o = { .sequential = -1, .plots = 1 };
    struct bench_plan plan = { 0 };
    struct tally t = { 0 };
    unsigned char *todo = NULL;
    char gcnrun[GCN_PATH_MAX], path[GCN_PATH_MAX + 64];
    char *line = NULL;
    int code = 1, usage_error = 0;

    if (argc > 1 && strcmp(argv[1], "report") == 0)
        return report_main(argc - 1, argv + 1);
    o.confs = calloc((size_t)argc, sizeof *o.confs);
    line = command_line(argc, argv);
    if (!o.confs || !line) {
        gcn_fail("out of memory");
        code = fail(1);
        goto done;
    }
    if ((code = parse_options(&o, argc, argv)) >= 0)
        goto done;
    if (build_config(&bc, &o) != GCN_OK) {
        code = fail(2);
        goto done;
    }
    if (find_gcnrun(gcnrun, sizeof gcnrun) != GCN_OK || bench_plan_build(&plan, &bc) != GCN_OK) {
        code = fail(1);
        goto done;
    }
    if (bench_plan_check(&plan, &bc, &usage_error) != GCN_OK) {
        code = fail(usage_error ? 2 : 1);
        goto done;
    }
    if ((code = prepare_out(&bc, o.resume)) != 0)
        goto done;
    code = 1;
    todo = calloc(plan.n ? plan.n : 1, 1);
    const long skipped = todo ? select_runs(&bc, &plan, gcnrun, o.resume, todo) : -1;
    if (skipped < 0) {
        if (!todo)
            gcn_fail("out of memory");
        fail(1);
        goto done;
    }
    t.skipped = (size_t)skipped;
    snprintf(path, sizeof path, "%s/bench.ini", bc.out);
    if (bench_config_write_effective(&bc, path, gcnrun, line) != GCN_OK ||
        bench_signals_install() != GCN_OK) {
        fail(1);
        goto done;
    }

    struct progress pg = {
        .mode = progress_mode(o.quiet), .total = plan.n - t.skipped, .t0 = gcn_now_s(),
    };
    if (!o.quiet) {
        const size_t configs = bc.n_workers + bc.n_ranks;
        const size_t seeds = bench_config_repeats(&bc);
        printf("gcnbench: %zu runs (%zu configurations x %zu seed%s, %zu sweep runs)", plan.n,
               configs, seeds, seeds == 1 ? "" : "s", plan.n - seeds * configs);
        if (t.skipped)
            printf(", %zu already finished (--resume)", t.skipped);
        printf("; results in %s\n", bc.out);
        fflush(stdout);
    }
    if (plan.n > t.skipped)
        prepare_dataset(&bc, gcnrun, o.quiet);
    const int matrix_rc = run_matrix(&bc, &plan, todo, gcnrun, &pg, &t);
    progress_close(&pg);
    if (matrix_rc != GCN_OK) {
        fail(1);
        goto done;
    }
    const int sig = bench_stop_signal();
    /* the report is short and covers every finished run: a late Ctrl-C must not cut it (nor
     * gnuplot, which inherits the ignored signals) */
    signal(SIGINT, SIG_IGN);
    signal(SIGTERM, SIG_IGN);
    if (sig)
        fprintf(stderr, "gcnbench: interrupted by %s after %zu of %zu runs; the finished runs "
                        "are kept in %s/runs (rerun with --resume to finish the matrix)\n",
                sig == SIGINT ? "SIGINT" : "SIGTERM", pg.done, pg.total, bc.out);
    if (bench_report_build(bc.out, o.compare_to, o.plots) != GCN_OK) {
        fprintf(stderr, "gcnbench: report: %s\n", gcn_last_error());
        code = sig ? 128 + sig : 1;
        goto done;
    }
    if (!o.quiet) {
        char el[32];
        printf("gcnbench: %zu ok, %zu failed, %zu skipped in %s; report: %s/summary.md\n",
               t.ok, t.failed, t.skipped,
               gcn_format_duration(el, sizeof el, gcn_now_s() - pg.t0), bc.out);
    }
    code = sig ? 128 + sig : t.failed ? 1 : 0;
done:
    free(line);
    free(todo);
    bench_plan_free(&plan);
    free(o.confs);
    return code;
}
