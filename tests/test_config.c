/* test_config.c: Check suite for drivers/config.c and drivers/cli.c: defaults, every shipped
 * INI file in configs/, a complete good INI, --conf overrides with numeric edge cases, one table
 * row per documented error (each must name the key or flag and, for files, FILE:LINE), and
 * the command line (unknown flag, missing argument, bad values, order of sources). INI files
 * are written into a mkdtemp folder that is removed at the end. */
#include <check.h>
#include <glob.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "drivers/cli.h"
#include "drivers/config.h"
#include "drivers/mpi_env.h"
#include "base/error.h"
#include "testutil.h"

static char tmpdir[512];

static void make_tmpdir(void)
{
    test_tmpdir_make(tmpdir, sizeof tmpdir, "config");
}

static void remove_tmpdir(void)
{
    test_tree_remove(tmpdir);
}

/* Writes text to tmpdir/name; returns the path (static buffer, one at a time). */
static const char *write_ini(const char *name, const char *text)
{
    return test_write_file(tmpdir, name, text);
}

#define ASSERT_MSG_HAS(needle)                                                               \
    ck_assert_msg(strstr(gcn_last_error(), (needle)) != NULL,                                \
                  "message '%s' lacks '%s'", gcn_last_error(), (needle))

/* ---- defaults and shipped configs ------------------------------------------------------- */

START_TEST(test_defaults)
{
    struct gcn_config cfg;
    gcn_config_defaults(&cfg);
    ck_assert_int_eq(cfg.format, GCN_FORMAT_SYNTHETIC);
    ck_assert_str_eq(cfg.name, "synthetic");
    ck_assert_str_eq(cfg.path, "");
    ck_assert_uint_eq(cfg.hp.layers, 2);
    ck_assert_uint_eq(cfg.hp.hidden, 128);
    ck_assert_float_eq(cfg.hp.dropout, 0.0f);
    ck_assert_float_eq(cfg.hp.weight_decay, 0.0f);
    ck_assert_int_eq(cfg.hp.wd_scope, GCN_WD_FIRST);
    ck_assert_float_eq(cfg.hp.lr, 0.01f);
    ck_assert_float_eq(cfg.hp.beta1, 0.9f);
    ck_assert_float_eq(cfg.hp.beta2, 0.999f);
    ck_assert_float_eq(cfg.hp.eps, 1e-8f);
    ck_assert_uint_eq(cfg.epochs, 20);
    ck_assert_uint_eq(cfg.warmup_epochs, 1);
    ck_assert_uint_eq(cfg.patience, 0);
    ck_assert_uint_eq(cfg.seed, 42);
    ck_assert_int_eq(cfg.blas_threads, 1);
    ck_assert_int_eq(cfg.blas, GCN_BLAS_AUTO);
    ck_assert_int_eq(cfg.workers, 0);
    ck_assert_uint_eq(cfg.partitions, 0);
    ck_assert_int_eq(cfg.partitioner, GCN_PARTITION_RANGE);
    ck_assert_int_eq(cfg.shuffle, GCN_SHUFFLE_AUTO);
    ck_assert_str_eq(cfg.scheduler, "lws");
    ck_assert_int_eq(cfg.quiet, 0);
    ck_assert_str_eq(cfg.result, "");
    ck_assert_uint_eq(cfg.synth.nodes, 232965);
    ck_assert_uint_eq(cfg.synth.features, 602);
    ck_assert_uint_eq(cfg.synth.classes, 41);
    ck_assert_int_eq(cfg.cache_first_aggregation, GCN_AUTO);
    ck_assert_int_eq(gcn_config_caches_first(&cfg), 1); /* auto with dropout 0 */
    cfg.hp.dropout = 0.5f;
    ck_assert_int_eq(gcn_config_caches_first(&cfg), 0);
    cfg.hp.dropout = 0.0f;
    ck_assert_int_eq(gcn_config_validate(&cfg), GCN_OK);
    ck_assert_str_eq(gcn_partitioner_name(GCN_PARTITION_METIS), "metis");
    ck_assert_str_eq(gcn_shuffle_name(GCN_SHUFFLE_BROADCAST), "broadcast");
    ck_assert_str_eq(gcn_format_name(GCN_FORMAT_DGL), "dgl");
}
END_TEST

START_TEST(test_shipped_configs)
{
    const char *root = getenv("GCN_SOURCE_ROOT");
    ck_assert_msg(root != NULL, "GCN_SOURCE_ROOT is not set");
    char pattern[4200];
    snprintf(pattern, sizeof pattern, "%s/configs/*.ini", root);
    glob_t g;
    ck_assert_int_eq(glob(pattern, 0, NULL, &g), 0);
    ck_assert_uint_ge(g.gl_pathc, 3);
    int saw_cora = 0;
    for (size_t i = 0; i < g.gl_pathc; i++) {
        if (strncmp(strrchr(g.gl_pathv[i], '/') + 1, "bench-", 6) == 0)
            continue; /* gcnbench's INIs: tests/test_bench_config.c */
        struct gcn_config cfg;
        gcn_config_defaults(&cfg);
        ck_assert_msg(gcn_config_load(&cfg, g.gl_pathv[i]) == GCN_OK, "%s", gcn_last_error());
        ck_assert_msg(gcn_config_validate(&cfg) == GCN_OK, "%s", gcn_last_error());
        ck_assert_str_eq(cfg.path, g.gl_pathv[i]);
        if (strstr(g.gl_pathv[i], "/cora.ini")) {
            saw_cora = 1;
            ck_assert_int_eq(cfg.format, GCN_FORMAT_DGL);
            ck_assert_uint_eq(cfg.hp.hidden, 16);
            ck_assert_float_eq(cfg.hp.dropout, 0.5f);
            ck_assert_float_eq(cfg.hp.weight_decay, 5e-4f);
            ck_assert_uint_eq(cfg.epochs, 200);
            ck_assert_int_eq(cfg.normalize_features, 1);
            /* data resolves against configs/, so it reaches the shared Cora files */
            const char *cora = getenv("GCN_CORA_DIR");
            if (cora && access(cora, R_OK) == 0) {
                ck_assert_msg(access(cfg.data, R_OK) == 0, "cannot read %s", cfg.data);
                ck_assert_msg(access(cfg.graph, R_OK) == 0, "cannot read %s", cfg.graph);
            }
        }
    }
    ck_assert(saw_cora);
    globfree(&g);
}
END_TEST

/* ---- a complete good INI --------------------------------------------------------------- */

START_TEST(test_good_ini)
{
    make_tmpdir();
    const char *path = write_ini("good.ini",
        "; comment\n"
        "# another comment\n"
        "[dataset]\n"
        "format = DGL\n"
        "data = sub/x_data.npz\n"
        "graph = /abs/x_graph.npz\n"
        "normalize_features = Yes\n"
        "missing_hint = get it from https://example.org/x.zip\n"
        "reorder = METIS\n"
        "reorder_block = 512\n"
        "\n"
        "[synthetic]\n"
        "nodes = 1000\n"
        "features = 16\n"
        "classes = 4\n"
        "avg_degree = 7.5\n"
        "degree_skew = 0\n"
        "homophily = 1\n"
        "feature_signal = 2\n"
        "train_fraction = 0.5\n"
        "val_fraction = 0.25\n"
        "seed = 18446744073709551615\n"
        "[model]\n"
        "layers = 8\n"
        "  hidden = 64 ; indented and with an inline comment\n"
        "hidden = 32\n"
        "dropout = 0.25\n"
        "weight_decay = 5e-4\n"
        "weight_decay_scope = all\n"
        "[train]\n"
        "epochs = 7\n"
        "lr = 1e-3\n"
        "warmup_epochs = 2\n"
        "patience = 3\n"
        "seed = 0\n"
        "blas_threads = 4\n"
        "blas = BLIS\n"
        "adam_beta1 = 0\n"
        "adam_beta2 = 0.99\n"
        "adam_eps = 1e-7\n"
        "[runtime]\n"
        "workers = 1024\n"
        "partitions = 16\n"
        "partitioner = hash\n"
        "shuffle = Broadcast\n"
        "scheduler = DMDA\n"
        "[output]\n"
        "result = out/r.json\n"
        "epoch_log = e.csv\n"
        "trace = tr\n"
        "quiet = on\n");
    struct gcn_config cfg;
    gcn_config_defaults(&cfg);
    ck_assert_msg(gcn_config_load(&cfg, path) == GCN_OK, "%s", gcn_last_error());
    ck_assert_msg(gcn_config_validate(&cfg) == GCN_OK, "%s", gcn_last_error());

    char want[800];
    snprintf(want, sizeof want, "%s/sub/x_data.npz", tmpdir);
    ck_assert_int_eq(cfg.format, GCN_FORMAT_DGL);
    ck_assert_str_eq(cfg.data, want);                  /* relative: against the INI's folder */
    ck_assert_str_eq(cfg.graph, "/abs/x_graph.npz");   /* absolute: as is */
    ck_assert_str_eq(cfg.name, "x");                   /* derived from x_data.npz */
    ck_assert_int_eq(cfg.normalize_features, 1);
    ck_assert_str_eq(cfg.source_hint, "get it from https://example.org/x.zip");
    ck_assert_uint_eq(cfg.synth.nodes, 1000);
    ck_assert_uint_eq(cfg.synth.features, 16);
    ck_assert_uint_eq(cfg.synth.classes, 4);
    ck_assert_double_eq(cfg.synth.avg_degree, 7.5);
    ck_assert_double_eq(cfg.synth.degree_skew, 0.0);
    ck_assert_double_eq(cfg.synth.homophily, 1.0);
    ck_assert_double_eq(cfg.synth.feature_signal, 2.0);
    ck_assert_double_eq(cfg.synth.train_fraction, 0.5);
    ck_assert_double_eq(cfg.synth.val_fraction, 0.25);
    ck_assert_uint_eq(cfg.synth.seed, UINT64_MAX);
    ck_assert_uint_eq(cfg.hp.layers, 8);
    ck_assert_uint_eq(cfg.hp.hidden, 32);              /* duplicate key: the last wins */
    ck_assert_float_eq(cfg.hp.dropout, 0.25f);
    ck_assert_float_eq(cfg.hp.weight_decay, 5e-4f);
    ck_assert_int_eq(cfg.hp.wd_scope, GCN_WD_ALL);
    ck_assert_uint_eq(cfg.epochs, 7);
    ck_assert_float_eq(cfg.hp.lr, 1e-3f);
    ck_assert_uint_eq(cfg.warmup_epochs, 2);
    ck_assert_uint_eq(cfg.patience, 3);
    ck_assert_uint_eq(cfg.seed, 0);
    ck_assert_int_eq(cfg.blas_threads, 4);
    ck_assert_int_eq(cfg.blas, GCN_BLAS_USE_BLIS);
    ck_assert_str_eq(gcn_blas_choice_name(cfg.blas), "blis");
    ck_assert_float_eq(cfg.hp.beta1, 0.0f);
    ck_assert_float_eq(cfg.hp.beta2, 0.99f);
    ck_assert_float_eq(cfg.hp.eps, 1e-7f);
    ck_assert_int_eq(cfg.workers, 1024);
    ck_assert_uint_eq(cfg.partitions, 16);
    ck_assert_int_eq(cfg.partitioner, GCN_PARTITION_HASH);
    ck_assert_int_eq(cfg.shuffle, GCN_SHUFFLE_BROADCAST);
    ck_assert_str_eq(cfg.scheduler, "dmda");
    ck_assert_int_eq(cfg.reorder, GCN_REORDER_METIS);
    ck_assert_uint_eq(cfg.reorder_block, 512);
    ck_assert_str_eq(cfg.result, "out/r.json");        /* output paths: not resolved */
    ck_assert_str_eq(cfg.epoch_log, "e.csv");
    ck_assert_str_eq(cfg.trace, "tr");
    ck_assert_int_eq(cfg.quiet, 1);

    /* an explicit name is kept; a file in the current directory keeps relative paths */
    ck_assert_int_eq(chdir(tmpdir), 0);
    write_ini("named.ini", "[dataset]\nformat = dgl\nname = mine\ndata = d.npz\ngraph = g.npz\n");
    gcn_config_defaults(&cfg);
    ck_assert_msg(gcn_config_load(&cfg, "named.ini") == GCN_OK, "%s", gcn_last_error());
    ck_assert_str_eq(cfg.name, "mine");
    ck_assert_str_eq(cfg.data, "d.npz");

    /* a long path (beyond inih's default 200-character line) survives intact */
    char longtext[3000], longval[2100];
    memset(longval, 'p', 2000);
    longval[2000] = '\0';
    snprintf(longtext, sizeof longtext, "[output]\nresult = %s\n[model]\nhidden = 5\n", longval);
    path = write_ini("long.ini", longtext);
    gcn_config_defaults(&cfg);
    ck_assert_msg(gcn_config_load(&cfg, path) == GCN_OK, "%s", gcn_last_error());
    ck_assert_str_eq(cfg.result, longval);
    ck_assert_uint_eq(cfg.hp.hidden, 5);
    remove_tmpdir();
}
END_TEST

/* ---- --conf overrides ------------------------------------------------------------------- */

START_TEST(test_override_good)
{
    struct gcn_config cfg;
    gcn_config_defaults(&cfg);
    static const char *const good[] = {
        "model.hidden=64", " train.seed = 18446744073709551615 ", "runtime.workers=0",
        "runtime.workers=1024", "model.dropout=0", "model.dropout=0.999", "train.lr=1e-30",
        "train.adam_eps=1e-8", "synthetic.homophily=1", "synthetic.seed=0",
        "output.result=", "output.quiet=OFF", "runtime.partitioner=METIS",
        "dataset.missing_hint=a=b: c", "model.layers=1", "model.cache_first_aggregation=off",
    };
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
        ck_assert_msg(gcn_config_override(&cfg, good[i]) == GCN_OK, "%s: %s", good[i],
                      gcn_last_error());
    ck_assert_uint_eq(cfg.hp.hidden, 64);
    ck_assert_uint_eq(cfg.seed, UINT64_MAX);
    ck_assert_int_eq(cfg.workers, 1024);
    ck_assert_float_eq(cfg.hp.dropout, 0.999f);
    ck_assert_float_eq(cfg.hp.lr, 1e-30f);
    ck_assert_int_eq(cfg.partitioner, GCN_PARTITION_METIS);
    ck_assert_str_eq(cfg.source_hint, "a=b: c"); /* only the first '=' splits */
    ck_assert_uint_eq(cfg.hp.layers, 1);
    ck_assert_int_eq(cfg.cache_first_aggregation, 0);
    ck_assert_int_eq(gcn_config_override(&cfg, "model.cache_first_aggregation=AUTO"), GCN_OK);
    ck_assert_int_eq(cfg.cache_first_aggregation, GCN_AUTO);
    ck_assert_int_eq(gcn_config_override(&cfg, "model.cache_first_aggregation=yes"), GCN_OK);
    ck_assert_int_eq(gcn_config_caches_first(&cfg), 1);

    /* --conf paths stay relative to the current directory, even after an INI */
    ck_assert_int_eq(gcn_config_override(&cfg, "dataset.format=dgl"), GCN_OK);
    ck_assert_int_eq(gcn_config_override(&cfg, "dataset.data=rel/reddit_data.npz"), GCN_OK);
    ck_assert_str_eq(cfg.data, "rel/reddit_data.npz");
    ck_assert_str_eq(cfg.name, "reddit");
}
END_TEST

/* ---- the error table -------------------------------------------------------------------- */

struct bad_case {
    const char *ini;     /* INI text, or NULL for a --conf case */
    const char *conf;    /* --conf assignment applied after defaults (and after ini) */
    int at_validate;     /* 1: loading succeeds and gcn_config_validate fails */
    const char *want[3]; /* substrings the message must contain */
};

static const struct bad_case bad_cases[] = {
    /* INI files */
    { "[modle]\nhidden = 3\n", NULL, 0, { ":2:", "unknown section [modle]", "model" } },
    { "[model]\nlayers = 2\nhiden = 3\n", NULL, 0, { ":3:", "'hiden'", "known: layers, hidden" } },
    { "hidden = 3\n", NULL, 0, { ":1:", "'hidden'", "outside any section" } },
    { "[model]\nhidden = abc\n", NULL, 0, { ":2:", "[model] hidden = abc", "integer" } },
    { "[model]\nhidden = -3\n", NULL, 0, { ":2:", "hidden = -3", "integer in 1.." } },
    { "[model]\nhidden = +3\n", NULL, 0, { "hidden", "integer", NULL } },
    { "[model]\nhidden = 0\n", NULL, 0, { "hidden = 0", "integer in 1..", NULL } },
    { "[model]\nhidden = 12abc\n", NULL, 0, { "hidden = 12abc", "integer", NULL } },
    { "[model]\nhidden = 1e3\n", NULL, 0, { "hidden = 1e3", "integer", NULL } },
    { "[model]\nhidden =\n", NULL, 0, { "hidden", "integer", NULL } },
    { "[train]\nseed = 18446744073709551616\n", NULL, 0, { "seed", "integer in 0..", NULL } },
    { "[train]\nepochs = 99999999999999999999999\n", NULL, 0, { "epochs", "integer >= 1", NULL } },
    { "[model]\nlayers = 9\n", NULL, 0, { "layers = 9", "1..8", NULL } },
    { "[runtime]\nworkers = 1025\n", NULL, 0, { "workers = 1025", "0..1024", NULL } },
    { "[runtime]\nworkers = -1\n", NULL, 0, { "workers = -1", "0..1024", NULL } },
    { "[model]\ndropout = 1\n", NULL, 0, { "dropout = 1", "[0, 1)", NULL } },
    { "[model]\ndropout = nan\n", NULL, 0, { "dropout = nan", "number", NULL } },
    { "[model]\nweight_decay = -1e-4\n", NULL, 0, { "weight_decay", ">= 0", NULL } },
    { "[train]\nlr = 0\n", NULL, 0, { "lr = 0", "> 0", NULL } },
    { "[train]\nlr = 1e39\n", NULL, 0, { "lr = 1e39", "float range", NULL } }, /* float overflow */
    /* float underflow */
    { "[train]\nadam_eps = 1e-50\n", NULL, 0, { "adam_eps", "float range", NULL } },
    { "[train]\nlr = 0.01x\n", NULL, 0, { "lr = 0.01x", "number", NULL } },
    { "[synthetic]\nhomophily = 1.5\n", NULL, 0, { "homophily", "[0, 1]", NULL } },
    { "[synthetic]\nval_fraction = 0\n", NULL, 0, { "val_fraction = 0", "(0, 1)", NULL } },
    { "[synthetic]\navg_degree = 0\n", NULL, 0, { "avg_degree = 0", "> 0", NULL } },
    { "[dataset]\nnormalize_features = maybe\n", NULL, 0,
      { "normalize_features = maybe", "true or false", NULL } },
    { "[runtime]\npartitioner = random\n", NULL, 0,
      { "partitioner = random", "one of: range, hash, metis", NULL } },
    { "[train]\nblas = mkl\n", NULL, 0, { "blas = mkl", "one of: auto, openblas, blis", NULL } },
    { "[runtime]\nshuffle = allgather\n", NULL, 0,
      { "shuffle = allgather", "one of: auto, pairwise, broadcast", NULL } },
    { "[dataset]\nreorder = rcm\n", NULL, 0, { "reorder = rcm", "none, metis", NULL } },
    { "[dataset]\nreorder_block = 0\n", NULL, 0, { "reorder_block = 0", NULL } },
    { "[dataset]\nformat = csv\n", NULL, 0, { "format = csv", "dgl, synthetic", NULL } },
    { "[model]\nweight_decay_scope = last\n", NULL, 0,
      { "weight_decay_scope", "first, all, none", NULL } },
    { "[runtime]\nscheduler = fastest\n", NULL, 0, { "scheduler = fastest", "lws", NULL } },
    { "[model]\nhidden\n", NULL, 0, { ":2:", "syntax error", NULL } },
    { "[model\nhidden = 3\n", NULL, 0, { ":1:", "syntax error", NULL } },
    /* cross-key checks */
    { "[dataset]\nformat = dgl\ngraph = g.npz\n", NULL, 1, { "format = dgl", "data", NULL } },
    { "[dataset]\nformat = dgl\ndata = d.npz\n", NULL, 1, { "format = dgl", "graph", NULL } },
    { "[synthetic]\ntrain_fraction = 0.7\nval_fraction = 0.3\n", NULL, 1,
      { "train_fraction + val_fraction", "< 1", NULL } },
    { "[synthetic]\nnodes = 10\nclasses = 11\navg_degree = 2\n", NULL, 1,
      { "classes = 11", "nodes", NULL } },
    { "[synthetic]\nnodes = 10\nclasses = 2\navg_degree = 9\n", NULL, 1,
      { "avg_degree", "nodes", NULL } },
    /* --conf */
    { NULL, "foo", 0, { "--conf foo", "SECTION.KEY=VALUE", NULL } },
    { NULL, "model.hidden", 0, { "--conf model.hidden", "SECTION.KEY=VALUE", NULL } },
    { NULL, "model=3", 0, { "--conf model=3", "SECTION.KEY=VALUE", NULL } },
    { NULL, ".hidden=3", 0, { "SECTION.KEY=VALUE", NULL, NULL } },
    { NULL, "model.=3", 0, { "SECTION.KEY=VALUE", NULL, NULL } },
    { NULL, "modle.hidden=3", 0, { "unknown section [modle]", NULL, NULL } },
    { NULL, "model.hiden=3", 0, { "--conf model.hiden=3", "unknown key 'hiden'", "hidden" } },
    { NULL, "model.hidden=-3", 0, { "--conf model.hidden=-3", "integer in 1..", NULL } },
    { NULL, "train.seed=-1", 0, { "train.seed=-1", "integer", NULL } },
    { NULL, "runtime.workers=4x", 0, { "runtime.workers=4x", "0..1024", NULL } },
    { NULL, "train.lr=inf", 0, { "train.lr=inf", "> 0", NULL } },
    { NULL, "output.quiet=2", 0, { "output.quiet=2", "true or false", NULL } },
    { NULL, "dataset.format=dgl", 1, { "format = dgl", "data", NULL } },
    { NULL, "model.cache_first_aggregation=sometimes", 0,
      { "cache_first_aggregation=sometimes", "auto, true or false", NULL } },
    { "[model]\ndropout = 0.5\ncache_first_aggregation = true\n", NULL, 1,
      { "cache_first_aggregation = true", "dropout = 0", "auto" } },
};

START_TEST(test_bad_cases)
{
    const struct bad_case *bc = &bad_cases[_i];
    struct gcn_config cfg;
    gcn_config_defaults(&cfg);
    int rc = GCN_OK;
    make_tmpdir();
    if (bc->ini)
        rc = gcn_config_load(&cfg, write_ini("bad.ini", bc->ini));
    if (rc == GCN_OK && bc->conf)
        rc = gcn_config_override(&cfg, bc->conf);
    if (bc->at_validate) {
        ck_assert_msg(rc == GCN_OK, "case %d failed early: %s", _i, gcn_last_error());
        rc = gcn_config_validate(&cfg);
    }
    ck_assert_msg(rc == GCN_ERR, "case %d (%s) was accepted", _i, bc->ini ? bc->ini : bc->conf);
    if (bc->ini && !bc->at_validate)
        ASSERT_MSG_HAS("bad.ini:");
    for (int k = 0; k < 3 && bc->want[k]; k++)
        ASSERT_MSG_HAS(bc->want[k]);
    ck_assert_msg(strchr(gcn_last_error(), '\n') == NULL, "multi-line message");
    remove_tmpdir();
}
END_TEST

START_TEST(test_missing_file)
{
    struct gcn_config cfg;
    gcn_config_defaults(&cfg);
    ck_assert_int_eq(gcn_config_load(&cfg, "/nonexistent/gcn.ini"), GCN_ERR);
    ASSERT_MSG_HAS("/nonexistent/gcn.ini");
    ASSERT_MSG_HAS("No such file");
}
END_TEST

START_TEST(test_too_long)
{
    static char text[6000], assignment[6000];
    struct gcn_config cfg;
    gcn_config_defaults(&cfg);
    memset(text, 0, sizeof text);
    memcpy(text, "[output]\nresult = ", 18);
    memset(text + 18, 'p', 5000);
    make_tmpdir();
    ck_assert_int_eq(gcn_config_load(&cfg, write_ini("long.ini", text)), GCN_ERR);
    ASSERT_MSG_HAS("long.ini:2: [output] result = ppp");
    ASSERT_MSG_HAS("too long (at most 4095 characters)");
    ck_assert_uint_lt(strlen(gcn_last_error()), 300); /* the value is shortened */
    snprintf(assignment, sizeof assignment, "output.trace=%s", text + 18);
    ck_assert_int_eq(gcn_config_override(&cfg, assignment), GCN_ERR);
    ASSERT_MSG_HAS("--conf output.trace=ppp");
    ASSERT_MSG_HAS("too long");
    snprintf(assignment, sizeof assignment, "dataset.name=%.70s", text + 18);
    ck_assert_int_eq(gcn_config_override(&cfg, assignment), GCN_ERR);
    ASSERT_MSG_HAS("at most 63 characters");
    remove_tmpdir();
}
END_TEST

/* ---- command line ----------------------------------------------------------------------- */

/* Runs gcn_cli_parse on "gcnrun" followed by the NULL-terminated arguments. */
static int parse(struct gcn_cli *cli, ...)
{
    char *argv[64];
    int argc = 0;
    va_list ap;
    argv[argc++] = (char *)"gcnrun";
    va_start(ap, cli);
    for (const char *a; (a = va_arg(ap, const char *)) != NULL && argc < 63;)
        argv[argc++] = (char *)a;
    va_end(ap);
    argv[argc] = NULL;
    return gcn_cli_parse(cli, argc, argv);
}

static struct gcn_cli cli; /* large: keep it off the stack */

START_TEST(test_cli_good)
{
    ck_assert_int_eq(parse(&cli, NULL), GCN_CLI_RUN);
    ck_assert_int_eq(cli.cfg.format, GCN_FORMAT_SYNTHETIC);
    ck_assert_int_eq(cli.dataset_info, 0);

    ck_assert_int_eq(parse(&cli, "--workers", "4", "--epochs=3", "--seed", "7", "--hidden", "8",
                           "--layers", "3", "--partitions", "6", "--partitioner", "hash",
                           "--shuffle", "pairwise", "--result", "r.json", "--epoch-log", "e.csv",
                           "--trace", "t",
                           "--quiet", "--dataset-info", "--forward-only", NULL),
                     GCN_CLI_RUN);
    ck_assert_int_eq(cli.cfg.workers, 4);
    ck_assert_uint_eq(cli.cfg.epochs, 3);
    ck_assert_uint_eq(cli.cfg.seed, 7);
    ck_assert_uint_eq(cli.cfg.hp.hidden, 8);
    ck_assert_uint_eq(cli.cfg.hp.layers, 3);
    ck_assert_uint_eq(cli.cfg.partitions, 6);
    ck_assert_int_eq(cli.cfg.partitioner, GCN_PARTITION_HASH);
    ck_assert_int_eq(cli.cfg.shuffle, GCN_SHUFFLE_PAIRWISE);
    ck_assert_str_eq(cli.cfg.result, "r.json");
    ck_assert_str_eq(cli.cfg.epoch_log, "e.csv");
    ck_assert_str_eq(cli.cfg.trace, "t");
    ck_assert_int_eq(cli.cfg.quiet, 1);
    ck_assert_int_eq(cli.dataset_info, 1);
    ck_assert_int_eq(cli.forward_only, 1);

    ck_assert_int_eq(parse(&cli, "-w", "2", "-q", NULL), GCN_CLI_RUN);
    ck_assert_int_eq(cli.cfg.workers, 2);
    ck_assert_int_eq(cli.cfg.quiet, 1);

    /* repeated --conf: applied in order, the last wins */
    ck_assert_int_eq(parse(&cli, "--conf", "model.hidden=8", "--conf", "model.dropout=0.5",
                           "--conf=model.hidden=9", NULL), GCN_CLI_RUN);
    ck_assert_uint_eq(cli.cfg.hp.hidden, 9);
    ck_assert_float_eq(cli.cfg.hp.dropout, 0.5f);

    /* dedicated flags win over --conf whatever their order on the line */
    ck_assert_int_eq(parse(&cli, "--hidden", "32", "--conf", "model.hidden=8", NULL), GCN_CLI_RUN);
    ck_assert_uint_eq(cli.cfg.hp.hidden, 32);
    ck_assert_int_eq(parse(&cli, "--workers", "1", "--workers", "3", NULL), GCN_CLI_RUN);
    ck_assert_int_eq(cli.cfg.workers, 3);

    /* --config, then --conf over it */
    make_tmpdir();
    const char *ini = write_ini("run.ini",
                                "[model]\nhidden = 16\nlayers = 3\n[train]\nepochs = 5\n");
    ck_assert_int_eq(parse(&cli, "--conf", "model.hidden=24", "--config", ini, NULL), GCN_CLI_RUN);
    ck_assert_uint_eq(cli.cfg.hp.hidden, 24);
    ck_assert_uint_eq(cli.cfg.hp.layers, 3);
    ck_assert_uint_eq(cli.cfg.epochs, 5);
    ck_assert_str_eq(cli.cfg.path, ini);
    remove_tmpdir();

    ck_assert_int_eq(parse(&cli, "--help", NULL), GCN_CLI_HELP);
    ck_assert_int_eq(parse(&cli, "--bogus", "-h", NULL), GCN_CLI_HELP);
    ck_assert_int_eq(parse(&cli, "--version", NULL), GCN_CLI_VERSION);
    ck_assert_int_eq(gcn_cli_exit_code(GCN_CLI_RUN), 0);
    ck_assert_int_eq(gcn_cli_exit_code(GCN_CLI_HELP), 0);
    ck_assert_int_eq(gcn_cli_exit_code(GCN_CLI_VERSION), 0);
    ck_assert_int_eq(gcn_cli_exit_code(GCN_CLI_USAGE_ERROR), 2);
    ck_assert_int_eq(gcn_cli_exit_code(GCN_CLI_CONFIG_ERROR), 2);
}
END_TEST

struct cli_bad {
    const char *args[6]; /* NULL-terminated */
    int status;          /* expected gcn_cli_status */
    const char *want[2]; /* substrings of the message */
};

static const struct cli_bad cli_bad_cases[] = {
    { { "--bogus", NULL }, GCN_CLI_USAGE_ERROR, { "unrecognized option '--bogus'", NULL } },
    { { "-x", NULL }, GCN_CLI_USAGE_ERROR, { "unrecognized option '-x'", NULL } },
    { { "--quiet=yes", NULL }, GCN_CLI_USAGE_ERROR, { "--quiet=yes", NULL } },
    { { "--workers", NULL }, GCN_CLI_USAGE_ERROR, { "'--workers' needs an argument", NULL } },
    { { "--conf", NULL }, GCN_CLI_USAGE_ERROR, { "'--conf' needs an argument", NULL } },
    { { "--config", NULL }, GCN_CLI_USAGE_ERROR, { "'--config' needs an argument", NULL } },
    { { "-w", NULL }, GCN_CLI_USAGE_ERROR, { "'-w' needs an argument", NULL } },
    { { "stray", NULL }, GCN_CLI_USAGE_ERROR, { "unexpected argument 'stray'", NULL } },
    { { "--config", "a.ini", "--config", "b.ini", NULL }, GCN_CLI_USAGE_ERROR,
      { "--config given twice", NULL } },
    { { "--workers", "-1", NULL }, GCN_CLI_CONFIG_ERROR, { "--workers -1:", "0..1024" } },
    { { "--workers", "abc", NULL }, GCN_CLI_CONFIG_ERROR, { "--workers abc:", "integer" } },
    { { "--workers", "", NULL }, GCN_CLI_CONFIG_ERROR, { "--workers :", "integer" } },
    { { "--epochs", "0", NULL }, GCN_CLI_CONFIG_ERROR, { "--epochs 0:", "integer >= 1" } },
    { { "--epochs", "1", NULL }, GCN_CLI_RUN, { NULL } },
    { { "--layers", "9", NULL }, GCN_CLI_CONFIG_ERROR, { "--layers 9:", "1..8" } },
    { { "--partitioner", "random", NULL }, GCN_CLI_CONFIG_ERROR,
      { "--partitioner random:", "range, hash, metis" } },
    { { "--blas", "atlas", NULL }, GCN_CLI_CONFIG_ERROR,
      { "--blas atlas:", "auto, openblas, blis" } },
    { { "--blas", "openblas", NULL }, GCN_CLI_RUN, { NULL } },
    { { "--shuffle", "all", NULL }, GCN_CLI_CONFIG_ERROR,
      { "--shuffle all:", "auto, pairwise, broadcast" } },
    { { "--seed", "99999999999999999999", NULL }, GCN_CLI_CONFIG_ERROR, { "--seed", "integer" } },
    { { "--conf", "model.hiden=3", NULL }, GCN_CLI_CONFIG_ERROR, { "unknown key 'hiden'", NULL } },
    { { "--conf", "hidden", NULL }, GCN_CLI_CONFIG_ERROR, { "SECTION.KEY=VALUE", NULL } },
    { { "--conf", "dataset.format=dgl", NULL }, GCN_CLI_CONFIG_ERROR, { "data", NULL } },
    { { "--config", "/nonexistent/x.ini", NULL }, GCN_CLI_CONFIG_ERROR,
      { "/nonexistent/x.ini", NULL } },
};

START_TEST(test_cli_bad)
{
    const struct cli_bad *bc = &cli_bad_cases[_i];
    const char *a[6];
    memcpy(a, bc->args, sizeof a);
    int st = parse(&cli, a[0], a[1], a[2], a[3], a[4], a[5]);
    ck_assert_msg(st == bc->status, "case %d (%s): status %d, want %d (%s)", _i, a[0], st,
                  bc->status, gcn_last_error());
    for (int k = 0; k < 2 && bc->want[k]; k++)
        ASSERT_MSG_HAS(bc->want[k]);
}
END_TEST

START_TEST(test_cli_usage_text)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    ck_assert_ptr_nonnull(f);
    gcn_cli_usage(f, "gcnrun");
    gcn_cli_version(f);
    ck_assert_int_eq(fclose(f), 0);
    static const char *const flag_names[] = {
        "--config", "--conf", "--workers", "--partitions", "--partitioner", "--shuffle",
        "--epochs",
        "--seed", "--hidden", "--layers", "--result", "--epoch-log", "--trace", "--quiet",
        "--no-cache", "--dataset-info", "--forward-only", "--help", "--version", "gcnrun 0.",
    };
    for (size_t i = 0; i < sizeof flag_names / sizeof flag_names[0]; i++)
        ck_assert_msg(strstr(text, flag_names[i]) != NULL, "usage lacks %s", flag_names[i]);
    free(text);
}
END_TEST

/* The MPI launcher's place from the environment: Open MPI first, then PMI; unusable values
 * read as a lone process. */
START_TEST(test_mpi_env)
{
    static const struct {
        const char *ompi_size, *ompi_rank, *pmi_size, *pmi_rank;
        int size, rank, launched;
    } cases[] = {
        { NULL, NULL, NULL, NULL, 1, 0, 0 },
        { "4", "3", NULL, NULL, 4, 3, 1 },
        { "1", "0", NULL, NULL, 1, 0, 1 },       /* mpirun -np 1 */
        { NULL, NULL, "2", "1", 2, 1, 1 },       /* MPICH, Slurm */
        { "2", "0", "8", "5", 2, 0, 1 },         /* Open MPI wins */
        { "2", "7", NULL, NULL, 2, 0, 1 },       /* rank out of range */
        { "x", "0", NULL, NULL, 1, 0, 0 },       /* not a number */
        { "0", "0", "3", "2", 3, 2, 1 },         /* size 0: ignored */
        { "", "", NULL, NULL, 1, 0, 0 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *names[] = { "OMPI_COMM_WORLD_SIZE", "OMPI_COMM_WORLD_RANK", "PMI_SIZE",
                                "PMI_RANK" };
        const char *values[] = { cases[i].ompi_size, cases[i].ompi_rank, cases[i].pmi_size,
                                 cases[i].pmi_rank };
        for (int v = 0; v < 4; v++) {
            if (values[v])
                setenv(names[v], values[v], 1);
            else
                unsetenv(names[v]);
        }
        int size = -1, rank = -1;
        const int launched = gcn_mpi_env(&size, &rank);
        ck_assert_msg(size == cases[i].size && rank == cases[i].rank &&
                      launched == cases[i].launched, "case %zu: %d of %d (%d), want %d of %d (%d)",
                      i, rank, size, launched, cases[i].rank, cases[i].size, cases[i].launched);
    }
}
END_TEST

static Suite *config_suite(void)
{
    Suite *s = suite_create("config");
    TCase *tc = tcase_create("config");
    tcase_add_test(tc, test_defaults);
    tcase_add_test(tc, test_shipped_configs);
    tcase_add_test(tc, test_good_ini);
    tcase_add_test(tc, test_override_good);
    tcase_add_loop_test(tc, test_bad_cases, 0, (int)(sizeof bad_cases / sizeof bad_cases[0]));
    tcase_add_test(tc, test_missing_file);
    tcase_add_test(tc, test_too_long);
    suite_add_tcase(s, tc);

    TCase *tcli = tcase_create("cli");
    tcase_add_test(tcli, test_cli_good);
    tcase_add_loop_test(tcli, test_cli_bad, 0,
                        (int)(sizeof cli_bad_cases / sizeof cli_bad_cases[0]));
    tcase_add_test(tcli, test_cli_usage_text);
    tcase_add_test(tcli, test_mpi_env);
    suite_add_tcase(s, tcli);
    return s;
}

int main(void)
{
    return test_run_suite(config_suite(), CK_FORK_GETENV);
}
