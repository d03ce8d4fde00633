/* cli.c: gcnrun's argv parser (see cli.h). One getopt_long pass records what was asked;
 * then the sources apply in their fixed order (defaults, --config, --conf in order, the
 * dedicated flags) and the result is validated once. Each dedicated flag is rewritten into
 * its "section.key=value" assignment, so its value is checked by config.c like any other,
 * and the error message is then re-worded to name the flag the user typed. */
#include "cli.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "ini_file.h"
#include "gcnrun_build.h"
#include "gcnrun_git.h"

/* The dedicated flags: each one sets one key. */
struct flag_def {
    const char *flag; /* long option name, without "--" */
    const char *key;  /* section.key it sets */
};

enum {
    F_WORKERS, F_EPOCHS, F_SEED, F_HIDDEN, F_LAYERS, F_PARTITIONS, F_PARTITIONER, F_SHUFFLE,
    F_BLAS, F_RESULT,
    F_EPOCH_LOG, F_TRACE, F_QUIET, F_NO_CACHE, F_COUNT
};

static const struct flag_def flags[F_COUNT] = {
    [F_WORKERS] = { "workers", "runtime.workers" },
    [F_EPOCHS] = { "epochs", "train.epochs" },
    [F_SEED] = { "seed", "train.seed" },
    [F_HIDDEN] = { "hidden", "model.hidden" },
    [F_LAYERS] = { "layers", "model.layers" },
    [F_PARTITIONS] = { "partitions", "runtime.partitions" },
    [F_PARTITIONER] = { "partitioner", "runtime.partitioner" },
    [F_SHUFFLE] = { "shuffle", "runtime.shuffle" },
    [F_BLAS] = { "blas", "train.blas" },
    [F_RESULT] = { "result", "output.result" },
    [F_EPOCH_LOG] = { "epoch-log", "output.epoch_log" },
    [F_TRACE] = { "trace", "output.trace" },
    [F_QUIET] = { "quiet", "output.quiet" },
    [F_NO_CACHE] = { "no-cache", "dataset.cache" },
};

/* getopt_long values: dedicated flags are OPT_FLAG + index, the rest have their own. */
enum { OPT_FLAG = 256, OPT_CONF = 512, OPT_DATASET_INFO, OPT_PREPARE, OPT_FORWARD_ONLY };

static const struct option options[] = {
    { "config", required_argument, NULL, 'c' },
    { "conf", required_argument, NULL, OPT_CONF },
    { "workers", required_argument, NULL, OPT_FLAG + F_WORKERS },
    { "epochs", required_argument, NULL, OPT_FLAG + F_EPOCHS },
    { "seed", required_argument, NULL, OPT_FLAG + F_SEED },
    { "hidden", required_argument, NULL, OPT_FLAG + F_HIDDEN },
    { "layers", required_argument, NULL, OPT_FLAG + F_LAYERS },
    { "partitions", required_argument, NULL, OPT_FLAG + F_PARTITIONS },
    { "partitioner", required_argument, NULL, OPT_FLAG + F_PARTITIONER },
    { "shuffle", required_argument, NULL, OPT_FLAG + F_SHUFFLE },
    { "blas", required_argument, NULL, OPT_FLAG + F_BLAS },
    { "result", required_argument, NULL, OPT_FLAG + F_RESULT },
    { "epoch-log", required_argument, NULL, OPT_FLAG + F_EPOCH_LOG },
    { "trace", required_argument, NULL, OPT_FLAG + F_TRACE },
    { "quiet", no_argument, NULL, OPT_FLAG + F_QUIET },
    { "no-cache", no_argument, NULL, OPT_FLAG + F_NO_CACHE },
    { "dataset-info", no_argument, NULL, OPT_DATASET_INFO },
    { "prepare", no_argument, NULL, OPT_PREPARE },
    { "forward-only", no_argument, NULL, OPT_FORWARD_ONLY },
    { "help", no_argument, NULL, 'h' },
    { "version", no_argument, NULL, 'V' },
    { NULL, 0, NULL, 0 },
};

/* Applies one dedicated flag through gcn_config_override; on error the message names the
 * flag ("--workers -1: ...") instead of the --conf assignment it became. */
static int apply_flag(struct gcn_config *cfg, const struct flag_def *f, const char *value)
{
    char assignment[GCN_PATH_MAX + 64];
    int n = snprintf(assignment, sizeof assignment, "%s=%s", f->key, value);
    if (n < 0 || (size_t)n >= sizeof assignment)
        return gcn_fail("--%s: value too long", f->flag);
    if (gcn_config_override(cfg, assignment) == GCN_OK)
        return GCN_OK;

    /* config.c names the assignment shortened the same way */
    char shown[64], prefix[sizeof assignment + 16], msg[1024], sv[64];
    snprintf(prefix, sizeof prefix, "--conf %s: ", gcn_ini_shorten(assignment, shown));
    snprintf(msg, sizeof msg, "%s", gcn_last_error());
    size_t pl = strlen(prefix);
    if (strncmp(msg, prefix, pl) == 0)
        return gcn_fail("--%s %s: %s", f->flag, gcn_ini_shorten(value, sv), msg + pl);
    return gcn_fail("--%s %s: %s", f->flag, gcn_ini_shorten(value, sv), msg);
}

int gcn_cli_parse(struct gcn_cli *cli, int argc, char **argv)
{
    const char *config = NULL;              /* --config FILE */
    const char *flag_value[F_COUNT] = { 0 }; /* last value of each dedicated flag */
    const char **confs = NULL;              /* --conf assignments, in order */
    size_t nconf = 0;
    int help = 0, version = 0, usage_error = 0;
    int status = GCN_CLI_CONFIG_ERROR;

    memset(cli, 0, sizeof *cli);
    gcn_config_defaults(&cli->cfg);
    confs = calloc(argc > 0 ? (size_t)argc : 1, sizeof *confs);
    if (!confs) {
        gcn_fail("out of memory parsing the command line");
        return GCN_CLI_USAGE_ERROR;
    }

    optind = 0; /* glibc: full re-initialization, so the parser can run more than once */
    opterr = 0; /* errors are reported through gcn_fail, not printed by getopt */
    int c;
    while ((c = getopt_long(argc, argv, ":c:w:qhV", options, NULL)) != -1) {
        switch (c) {
        case 'c':
            if (config && !usage_error) {
                usage_error = 1;
                gcn_fail("--config given twice ('%s' and '%s'): use --conf to override keys",
                         config, optarg);
            }
            config = optarg;
            break;
        case 'w':
            flag_value[F_WORKERS] = optarg;
            break;
        case 'q':
            flag_value[F_QUIET] = "true";
            break;
        case OPT_FLAG + F_QUIET:
            flag_value[F_QUIET] = "true";
            break;
        case OPT_FLAG + F_NO_CACHE:
            flag_value[F_NO_CACHE] = "false";
            break;
        case OPT_CONF:
            confs[nconf++] = optarg;
            break;
        case OPT_DATASET_INFO:
            cli->dataset_info = 1;
            break;
        case OPT_PREPARE:
            cli->prepare = 1;
            break;
        case OPT_FORWARD_ONLY:
            cli->forward_only = 1;
            break;
        case 'h':
            help = 1;
            break;
        case 'V':
            version = 1;
            break;
        case ':':
            if (!usage_error) {
                usage_error = 1;
                gcn_fail("option '%s' needs an argument (see --help)", argv[optind - 1]);
            }
            break;
        case '?':
            if (!usage_error) {
                /* a long option is reported as typed; a short one by its letter (it may sit
                 * inside a group such as -qx) */
                const char *typed = argv[optind - 1];
                usage_error = 1;
                if (strncmp(typed, "--", 2) == 0 || optopt <= 0 || optopt > 127)
                    gcn_fail("unrecognized option '%s' (see --help)", typed);
                else
                    gcn_fail("unrecognized option '-%c' (see --help)", optopt);
            }
            break;
        default:
            if (c >= OPT_FLAG && c < OPT_FLAG + F_COUNT)
                flag_value[c - OPT_FLAG] = optarg;
            break;
        }
    }
    if (help) {
        status = GCN_CLI_HELP;
        goto done;
    }
    if (version) {
        status = GCN_CLI_VERSION;
        goto done;
    }
    if (!usage_error && optind < argc) {
        usage_error = 1;
        gcn_fail("unexpected argument '%s' (gcnrun takes options only; see --help)",
                 argv[optind]);
    }
    if (usage_error) {
        status = GCN_CLI_USAGE_ERROR;
        goto done;
    }

    if (config && gcn_config_load(&cli->cfg, config) != GCN_OK)
        goto done;
    for (size_t i = 0; i < nconf; i++)
        if (gcn_config_override(&cli->cfg, confs[i]) != GCN_OK)
            goto done;
    for (int f = 0; f < F_COUNT; f++)
        if (flag_value[f] && apply_flag(&cli->cfg, &flags[f], flag_value[f]) != GCN_OK)
            goto done;
    if (gcn_config_validate(&cli->cfg) != GCN_OK)
        goto done;
    status = GCN_CLI_RUN;
done:
    free(confs);
    return status;
}

int gcn_cli_exit_code(int status)
{
    switch (status) {
    case GCN_CLI_RUN:
    case GCN_CLI_HELP:
    case GCN_CLI_VERSION:
        return 0;
    default:
        return 2;
    }
}

void gcn_cli_usage(FILE *out, const char *prog)
{
    fprintf(out,
        "usage: %s [--config FILE] [options]\n"
        "Trains a GCN full-batch, sequentially (--workers 0) or as StarPU task DAGs over\n"
        "graph partitions (--workers N = Spark's local[N]).\n"
        "\n"
        "  -c, --config FILE        INI configuration (every key: configs/README.md)\n"
        "      --conf SEC.KEY=VAL   override one key, repeatable: --conf model.dropout=0.5\n"
        "  -w, --workers N          StarPU CPU workers, 0 = sequential    runtime.workers\n"
        "      --partitions P       graph partitions, 0 = workers (x ranks) runtime.partitions\n"
        "      --partitioner NAME   range | hash | metis                  runtime.partitioner\n"
        "      --shuffle MODE       auto | pairwise | broadcast           runtime.shuffle\n"
        "      --blas NAME          auto | openblas | blis (auto probes)  train.blas\n"
        "      --epochs N           training epochs                       train.epochs\n"
        "      --seed N             weight and dropout seed               train.seed\n"
        "      --hidden N           hidden width                          model.hidden\n"
        "      --layers N           GCN layers                            model.layers\n"
        "      --result FILE        write the run's JSON result           output.result\n"
        "      --epoch-log FILE     write a per-epoch CSV                 output.epoch_log\n"
        "      --trace DIR          FxT trace folder                      output.trace\n"
        "  -q, --quiet              no per-epoch lines, no summary        output.quiet\n"
        "      --no-cache           skip the dataset cache (.cache/)      dataset.cache\n"
        "      --dataset-info       load the dataset, print key: value lines, exit\n"
        "      --prepare            as --dataset-info, with Â X when layer 1 is cached: fills\n"
        "                           the dataset cache before timed runs (gcnbench does)\n"
        "      --forward-only       run the forward pass only (profiling aid)\n"
        "  -h, --help               this text\n"
        "  -V, --version            version and git commit\n"
        "\n"
        "Sources apply in this order, later ones winning: defaults, --config FILE,\n"
        "each --conf in the order given, then the flags above.\n"
        "Under mpirun -np R: R ranks of --workers N each on StarPU-MPI, R x N partitions by\n"
        "default, rank 0 printing and writing (README, \"Several machines\").\n"
        "Exit status: 0 ok, 1 runtime error, 2 usage or configuration error.\n",
        prog);
}

void gcn_cli_version(FILE *out)
{
    fprintf(out, "gcnrun %s (git %s)\n", GCNRUN_VERSION, GCNRUN_GIT_COMMIT);
}
