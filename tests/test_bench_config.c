/* test_bench_config.c: Check suite for drivers/bench/bench_config.c: defaults, the shipped
 * configs/bench-*.ini files, a complete good INI, one table row per documented error (each
 * must name FILE:LINE or the flag, and the key), the [bench] ranks list (every accepted and
 * every refused form, from the INI, --conf and --ranks), the routing of --conf (bench and
 * sweep keys set, gcnrun keys collected, reserved keys and [targets] refused), --sequential /
 * --no-sequential, the repeats check, and OUT/bench.ini (exact copy + [effective]). Files
 * live in a mkdtemp folder removed at the end. */
#include <check.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "drivers/bench/bench_config.h"
#include "base/error.h"
#include "testutil.h"

static char tmpdir[512];

static void make_tmpdir(void)
{
    test_tmpdir_make(tmpdir, sizeof tmpdir, "bench-config");
}

static void remove_tmpdir(void)
{
    test_tree_remove(tmpdir);
}

/* Writes text to tmpdir/name; returns the path (static buffer, one at a time). */
static const char *write_file(const char *name, const char *text)
{
    return test_write_file(tmpdir, name, text);
}

/* The whole of path in a malloc'ed string. */
static char *read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    ck_assert_ptr_nonnull(f);
    char *buf = calloc(1, 1 << 16);
    ck_assert_ptr_nonnull(buf);
    size_t n = fread(buf, 1, (1 << 16) - 1, f);
    ck_assert_int_eq(ferror(f), 0);
    fclose(f);
    buf[n] = '\0';
    return buf;
}

#define ASSERT_MSG_HAS(needle)                                                               \
    ck_assert_msg(strstr(gcn_last_error(), (needle)) != NULL,                                \
                  "message '%s' lacks '%s'", gcn_last_error(), (needle))

static struct bench_config bc; /* large: not on the stack */

START_TEST(test_defaults)
{
    bench_config_defaults(&bc);
    ck_assert_str_eq(bc.run_config, "configs/reddit-synth.ini");
    ck_assert_uint_eq(bc.n_workers, 6);
    ck_assert_int_eq(bc.workers[0], 0);
    ck_assert_int_eq(bc.workers[5], 16);
    ck_assert_uint_eq(bc.n_ranks, 0);
    ck_assert_str_eq(bc.mpirun, "mpirun");
    ck_assert_str_eq(bc.hostfile, "");
    ck_assert_uint_eq(bc.n_seeds, 3);
    ck_assert_uint_eq(bc.seeds[0], 42);
    ck_assert_uint_eq(bc.seeds[2], 456);
    ck_assert_uint_eq(bench_config_repeats(&bc), 3);
    ck_assert_uint_eq(bench_config_sweep_repeats(&bc), 3);
    ck_assert_uint_eq(bc.epochs, 20);
    ck_assert_uint_eq(bc.warmup_epochs, 1);
    ck_assert_str_eq(bc.out, "results");
    ck_assert_uint_eq(bc.n_conf, 0);
    ck_assert_int_eq(bc.sweep_workers, 2);
    ck_assert_uint_eq(bc.n_hidden + bc.n_layers + bc.n_partitioners, 0);
    ck_assert_int_eq(bc.forward_only, 0);
    ck_assert_int_eq(bench_config_validate(&bc), GCN_OK);
}
END_TEST

START_TEST(test_shipped)
{
    const char *root = getenv("GCN_SOURCE_ROOT");
    ck_assert_msg(root != NULL, "GCN_SOURCE_ROOT is not set");
    char pattern[4200];
    snprintf(pattern, sizeof pattern, "%s/configs/bench-*.ini", root);
    glob_t g;
    ck_assert_int_eq(glob(pattern, 0, NULL, &g), 0);
    ck_assert_uint_eq(g.gl_pathc, 3); /* bench-quick, bench-reddit, bench-reddit-synth */
    for (size_t i = 0; i < g.gl_pathc; i++) {
        bench_config_defaults(&bc);
        ck_assert_msg(bench_config_load(&bc, g.gl_pathv[i]) == GCN_OK, "%s", gcn_last_error());
        ck_assert_msg(bench_config_validate(&bc) == GCN_OK, "%s", gcn_last_error());
        ck_assert_uint_eq(bc.n_seeds, 3);
        ck_assert_uint_eq(bench_config_repeats(&bc), 3);
        ck_assert_int_eq(bc.workers[0], 0);
        if (strstr(g.gl_pathv[i], "bench-quick.ini")) {
            ck_assert_str_eq(bc.run_config, "configs/quick-synth.ini");
            ck_assert_uint_eq(bc.n_workers, 4);
            ck_assert_int_eq(bc.workers[3], 16);
            ck_assert_uint_eq(bench_config_sweep_repeats(&bc), 1);
        } else {
            ck_assert_uint_eq(bc.n_workers, 6);
            ck_assert_uint_eq(bc.n_hidden, 5);
            ck_assert_uint_eq(bc.n_layers, 3);
            ck_assert_uint_eq(bc.n_partitioners, 3);
            ck_assert_int_eq(bc.forward_only, 1);
        }
    }
    globfree(&g);
}
END_TEST

START_TEST(test_good_ini)
{
    make_tmpdir();
    const char *path = write_file("good.ini",
        "; a comment\n"
        "[bench]\n"
        "run_config = configs/cora.ini\n"
        "workers = 2, 0 ,1\n"
        "ranks = 2x1, 4X2 , 1x1024\n"
        "mpirun = /opt/ompi/bin/mpirun\n"
        "hostfile = hosts.txt\n"
        "seeds = 7, 9223372036854775807\n"
        "repeats = 2\n"
        "epochs = 5\n"
        "warmup_epochs = 0\n"
        "out = /tmp/x y\n"
        "conf = model.dropout=0.5, train.lr = 0.02\n"
        "[sweep]\n"
        "workers = 4\n"
        "repeats = 1\n"
        "hidden = 16, 64\n"
        "layers = 3\n"
        "partitioners = METIS, range\n"
        "forward_only = yes\n"
        "[targets]\n"
        "speedup@local[2] = >= 1.8\n"
        "anything@goes = here, the report checks it\n");
    bench_config_defaults(&bc);
    ck_assert_msg(bench_config_load(&bc, path) == GCN_OK, "%s", gcn_last_error());
    ck_assert_str_eq(bc.path, path);
    ck_assert_str_eq(bc.run_config, "configs/cora.ini");
    ck_assert_uint_eq(bc.n_workers, 3);
    ck_assert_int_eq(bc.workers[0], 2);
    ck_assert_int_eq(bc.workers[1], 0);
    ck_assert_int_eq(bc.workers[2], 1);
    ck_assert_uint_eq(bc.n_ranks, 3);
    ck_assert_int_eq(bc.ranks[0].ranks, 2);
    ck_assert_int_eq(bc.ranks[0].workers, 1);
    ck_assert_int_eq(bc.ranks[1].ranks, 4);
    ck_assert_int_eq(bc.ranks[1].workers, 2);
    ck_assert_int_eq(bc.ranks[2].ranks, 1);
    ck_assert_int_eq(bc.ranks[2].workers, 1024);
    ck_assert_str_eq(bc.mpirun, "/opt/ompi/bin/mpirun");
    ck_assert_str_eq(bc.hostfile, "hosts.txt");
    ck_assert_uint_eq(bc.n_seeds, 2);
    ck_assert(bc.seeds[1] == INT64_MAX);
    ck_assert_uint_eq(bc.repeats, 2);
    ck_assert_uint_eq(bc.epochs, 5);
    ck_assert_uint_eq(bc.warmup_epochs, 0);
    ck_assert_str_eq(bc.out, "/tmp/x y");
    ck_assert_uint_eq(bc.n_conf, 2);
    ck_assert_str_eq(bc.conf[0], "model.dropout=0.5");
    ck_assert_str_eq(bc.conf[1], "train.lr = 0.02");
    ck_assert_int_eq(bc.sweep_workers, 4);
    ck_assert_uint_eq(bench_config_sweep_repeats(&bc), 1);
    ck_assert_uint_eq(bc.n_hidden, 2);
    ck_assert_uint_eq(bc.hidden[1], 64);
    ck_assert_uint_eq(bc.n_layers, 1);
    ck_assert_uint_eq(bc.layers[0], 3);
    ck_assert_uint_eq(bc.n_partitioners, 2);
    ck_assert_str_eq(bc.partitioners[0], "metis");
    ck_assert_str_eq(bc.partitioners[1], "range");
    ck_assert_int_eq(bc.forward_only, 1);
    ck_assert_int_eq(bench_config_validate(&bc), GCN_OK);

    /* an empty sweep list turns that sweep off, an empty ranks list the mpi runs, an empty
     * hostfile the --hostfile */
    ck_assert_int_eq(bench_config_apply_conf(&bc, "sweep.hidden="), GCN_OK);
    ck_assert_uint_eq(bc.n_hidden, 0);
    ck_assert_int_eq(bench_config_apply_conf(&bc, "bench.ranks="), GCN_OK);
    ck_assert_uint_eq(bc.n_ranks, 0);
    ck_assert_int_eq(bench_config_apply_conf(&bc, "bench.hostfile = "), GCN_OK);
    ck_assert_str_eq(bc.hostfile, "");
    remove_tmpdir();
}
END_TEST

/* One INI per documented error: the message must hold every needle. */
static const struct {
    const char *text;    /* INI content */
    const char *needle1; /* FILE:LINE suffix, e.g. ".ini:2:" */
    const char *needle2; /* the key or the reason */
} bad_ini[] = {
    { "[bench]\nworkers = 0, x\n", ".ini:2:", "'x': expected an integer in 0..1024" },
    { "[bench]\nworkers = 0, 1025\n", ".ini:2:", "in 0..1024" },
    { "[bench]\nworkers = 0,,1\n", ".ini:2:", "empty item" },
    { "[bench]\nworkers =\n", ".ini:2:", "got nothing" },
    { "[bench]\nworkers = 1, 2, 1\n", ".ini:2:", "1 appears twice" },
    { "[bench]\nseeds = -1\n", ".ini:2:", "seeds = -1" },
    { "[bench]\nseeds = 18446744073709551616\n", ".ini:2:", "expected an integer" },
    { "[bench]\nseeds = 9223372036854775808\n", ".ini:2:", "0..9223372036854775807" },
    { "[bench]\nrepeats = 0\n", ".ini:2:", "in 1..64" },
    { "[bench]\nepochs = 0\n", ".ini:2:", "epochs = 0" },
    { "[bench]\nepochs = 2x\n", ".ini:2:", "expected an integer >= 1" },
    { "[bench]\nout =\n", ".ini:2:", "expected a path" },
    { "[bench]\nconf = model.dropout\n", ".ini:2:", "not SECTION.KEY=VALUE" },
    { "[bench]\nconf = runtime.workers=2\n", ".ini:2:", "use --workers LIST" },
    { "[bench]\nconf = train.seed=2\n", ".ini:2:", "use --seeds LIST" },
    { "[bench]\nconf = output.result=x.json\n", ".ini:2:", "use --out DIR" },
    { "[bench]\nwrkers = 1\n", ".ini:2:", "unknown key 'wrkers' in [bench] (known: run_config" },
    { "[bench]\nrank = 2x1\n", ".ini:2:", "(known: run_config, workers, ranks, mpirun, hostfile," },
    { "[bench]\nmpirun =\n", ".ini:2:", "[bench] mpirun = : expected a path" },
    { "[sweep]\nhidden = 0\n", ".ini:2:", "in 1..1048576" },
    { "[sweep]\nlayers = 9\n", ".ini:2:", "in 1..8" },
    { "[sweep]\npartitioners = range, metiss\n", ".ini:2:", "range, hash, metis" },
    { "[sweep]\npartitioners = hash, HASH\n", ".ini:2:", "hash appears twice" },
    { "[sweep]\nforward_only = maybe\n", ".ini:2:", "expected true or false" },
    { "[sweep]\nrepeats = 65\n", ".ini:2:", "in 1..64" },
    { "[bench]\n[effective]\nx = 1\n", ".ini:3:", "unknown section [effective]" },
    { "workers = 1\n", ".ini:1:", "outside any section" },
    { "[bench]\nthis is not a key line\n", ".ini:2:", "syntax error" },
};

START_TEST(test_bad_ini)
{
    make_tmpdir();
    const char *path = write_file("bad.ini", bad_ini[_i].text);
    bench_config_defaults(&bc);
    ck_assert_int_eq(bench_config_load(&bc, path), GCN_ERR);
    ASSERT_MSG_HAS(bad_ini[_i].needle1);
    ASSERT_MSG_HAS(bad_ini[_i].needle2);
    ck_assert_msg(!strchr(gcn_last_error(), '\n'), "two lines: %s", gcn_last_error());
    remove_tmpdir();
}
END_TEST

/* Every refused form of a ranks item, as the INI, --conf and --ranks see it. */
static const struct {
    const char *value; /* the list */
    const char *why;   /* the reason after "VALUE: " */
} bad_ranks[] = {
    { "2", "'2': expected RxN, R ranks x N workers per rank, each an integer in 1..1024 "
           "(e.g. 2x1)" },
    { "x1", "'x1': expected RxN" },
    { "2x", "'2x': expected RxN" },
    { "x", "'x': expected RxN" },
    { "0x1", "'0x1': expected RxN" },
    { "2x0", "'2x0': expected RxN" },
    { "1025x1", "'1025x1': expected RxN, R ranks x N workers per rank, each an integer in "
                "1..1024" },
    { "1x1025", "'1x1025': expected RxN" },
    { "-1x2", "'-1x2': expected RxN" },
    { "2x-1", "'2x-1': expected RxN" },
    { "2x1x1", "'2x1x1': expected RxN" },
    { "2*1", "'2*1': expected RxN" },
    { "2 x 1", "'2 x 1': expected RxN" },
    { "axb", "'axb': expected RxN" },
    { "2.0x1", "'2.0x1': expected RxN" },
    { "99999999999999999999x1", "expected RxN" },
    { "2x1, 2X1", "2x1 appears twice" },
    { "2x1,,4x1", "empty item" },
    { "2x1,", "empty item" },
};

START_TEST(test_bad_ranks)
{
    char text[256], conf[256], want[512];
    make_tmpdir();
    /* the INI names the file and line */
    snprintf(text, sizeof text, "[bench]\nworkers = 0\nranks = %s\n", bad_ranks[_i].value);
    const char *path = write_file("ranks.ini", text);
    bench_config_defaults(&bc);
    ck_assert_int_eq(bench_config_load(&bc, path), GCN_ERR);
    ASSERT_MSG_HAS(".ini:3: [bench] ranks = ");
    ASSERT_MSG_HAS(bad_ranks[_i].why);
    ck_assert_msg(!strchr(gcn_last_error(), '\n'), "two lines: %s", gcn_last_error());
    /* --conf and --ranks name themselves, and leave the list as it was */
    bench_config_defaults(&bc);
    ck_assert_int_eq(bench_config_apply_flag(&bc, "--ranks", "ranks", "3x1"), GCN_OK);
    snprintf(conf, sizeof conf, "bench.ranks=%s", bad_ranks[_i].value);
    ck_assert_int_eq(bench_config_apply_conf(&bc, conf), GCN_ERR);
    snprintf(want, sizeof want, "--conf %s: ", conf);
    ASSERT_MSG_HAS(want);
    ASSERT_MSG_HAS(bad_ranks[_i].why);
    ck_assert_int_eq(bench_config_apply_flag(&bc, "--ranks", "ranks", bad_ranks[_i].value),
                     GCN_ERR);
    snprintf(want, sizeof want, "--ranks %s: ", bad_ranks[_i].value);
    ASSERT_MSG_HAS(want);
    ASSERT_MSG_HAS(bad_ranks[_i].why);
    ck_assert_uint_eq(bc.n_ranks, 1);
    ck_assert_int_eq(bc.ranks[0].ranks, 3);
    remove_tmpdir();
}
END_TEST

START_TEST(test_missing_file)
{
    bench_config_defaults(&bc);
    ck_assert_int_eq(bench_config_load(&bc, "/nonexistent/bench.ini"), GCN_ERR);
    ASSERT_MSG_HAS("/nonexistent/bench.ini: cannot open bench config: No such file");
}
END_TEST

START_TEST(test_conf_routing)
{
    bench_config_defaults(&bc);
    ck_assert_int_eq(bench_config_apply_conf(&bc, "bench.repeats=2"), GCN_OK);
    ck_assert_uint_eq(bc.repeats, 2);
    ck_assert_int_eq(bench_config_apply_conf(&bc, " sweep.hidden = 8,16 "), GCN_OK);
    ck_assert_uint_eq(bc.n_hidden, 2);
    ck_assert_int_eq(bench_config_apply_conf(&bc, "model.dropout=0.5"), GCN_OK);
    ck_assert_int_eq(bench_config_apply_conf(&bc, "synthetic.nodes=50000"), GCN_OK);
    ck_assert_uint_eq(bc.n_conf, 2);
    ck_assert_str_eq(bc.conf[0], "model.dropout=0.5");
    ck_assert_str_eq(bc.conf[1], "synthetic.nodes=50000");

    static const struct {
        const char *assignment;
        const char *needle;
    } bad[] = {
        { "repeats=2", "expected SECTION.KEY=VALUE" },
        { "bench.repeats", "expected SECTION.KEY=VALUE" },
        { "bench.repeat=2", "unknown key 'repeat' in [bench]" },
        { "bench.repeats=x", "--conf bench.repeats=x: expected an integer in 1..64" },
        { "targets.speedup@local[2]=>= 2", "[targets] section" },
        { "train.epochs=3", "use --epochs N" },
        { "train.warmup_epochs = 0", "use --warmup-epochs N" },
        { "runtime.workers=3", "use --workers LIST" },
        { "output.quiet=true", "use --out DIR" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ck_assert_msg(bench_config_apply_conf(&bc, bad[i].assignment) == GCN_ERR, "%s",
                      bad[i].assignment);
        ASSERT_MSG_HAS(bad[i].needle);
    }
    ck_assert_uint_eq(bc.n_conf, 2);
    ck_assert_uint_eq(bc.repeats, 2);
}
END_TEST

START_TEST(test_flags_and_sequential)
{
    bench_config_defaults(&bc);
    ck_assert_int_eq(bench_config_apply_flag(&bc, "--workers", "workers", "1,2"), GCN_OK);
    ck_assert_uint_eq(bc.n_workers, 2);
    ck_assert_int_eq(bench_config_apply_flag(&bc, "--workers", "workers", "1,-2"), GCN_ERR);
    ASSERT_MSG_HAS("--workers 1,-2: '-2': expected an integer in 0..1024");
    ck_assert_uint_eq(bc.n_workers, 2); /* a bad list leaves the old one */
    ck_assert_int_eq(bench_config_apply_flag(&bc, "--epochs", "epochs", "0"), GCN_ERR);
    ASSERT_MSG_HAS("--epochs 0: expected an integer >= 1");

    ck_assert_int_eq(bench_config_set_sequential(&bc, 1), GCN_OK);
    ck_assert_uint_eq(bc.n_workers, 3);
    ck_assert_int_eq(bc.workers[0], 0);
    ck_assert_int_eq(bc.workers[1], 1);
    ck_assert_int_eq(bench_config_set_sequential(&bc, 1), GCN_OK); /* already there */
    ck_assert_uint_eq(bc.n_workers, 3);
    ck_assert_int_eq(bench_config_set_sequential(&bc, 0), GCN_OK);
    ck_assert_uint_eq(bc.n_workers, 2);
    ck_assert_int_eq(bc.workers[0], 1);
    ck_assert_int_eq(bench_config_apply_flag(&bc, "--workers", "workers", "0"), GCN_OK);
    ck_assert_int_eq(bench_config_set_sequential(&bc, 0), GCN_ERR);
    ASSERT_MSG_HAS("nothing would run; give --workers LIST or --ranks LIST");

    /* ... unless mpi runs are left: the workers list may then be empty */
    ck_assert_int_eq(bench_config_apply_flag(&bc, "--ranks", "ranks", " 2x1 ,1x2"), GCN_OK);
    ck_assert_uint_eq(bc.n_ranks, 2);
    ck_assert_int_eq(bc.ranks[1].ranks, 1);
    ck_assert_int_eq(bc.ranks[1].workers, 2);
    ck_assert_int_eq(bench_config_set_sequential(&bc, 0), GCN_OK);
    ck_assert_uint_eq(bc.n_workers, 0);
    ck_assert_int_eq(bench_config_set_sequential(&bc, 1), GCN_OK);
    ck_assert_uint_eq(bc.n_workers, 1);
    ck_assert_int_eq(bc.workers[0], 0);
}
END_TEST

START_TEST(test_repeats_check)
{
    bench_config_defaults(&bc);
    ck_assert_int_eq(bench_config_apply_flag(&bc, "--repeats", "repeats", "4"), GCN_OK);
    ck_assert_int_eq(bench_config_validate(&bc), GCN_ERR);
    ASSERT_MSG_HAS("repeats = 4 but only 3 seeds");
    ck_assert_int_eq(bench_config_apply_flag(&bc, "--seeds", "seeds", "1,2,3,4"), GCN_OK);
    ck_assert_int_eq(bench_config_validate(&bc), GCN_OK);
    ck_assert_int_eq(bench_config_apply_conf(&bc, "sweep.repeats=5"), GCN_OK);
    ck_assert_int_eq(bench_config_validate(&bc), GCN_ERR);
    ASSERT_MSG_HAS("[sweep] repeats = 5 but only 4 seeds");
}
END_TEST

START_TEST(test_write_effective)
{
    make_tmpdir();
    const char *text = "[bench]\nworkers = 0, 2\n[targets]\nspeedup@local[2] = >= 1.8";
    char ini[700], dest[700];
    snprintf(ini, sizeof ini, "%s", write_file("b.ini", text)); /* no final newline */
    snprintf(dest, sizeof dest, "%s/bench.ini", tmpdir);
    bench_config_defaults(&bc);
    ck_assert_int_eq(bench_config_load(&bc, ini), GCN_OK);
    ck_assert_int_eq(bench_config_apply_flag(&bc, "--seeds", "seeds", "5"), GCN_OK);
    ck_assert_int_eq(bench_config_apply_conf(&bc, "model.hidden=8"), GCN_OK);
    ck_assert_int_eq(bench_config_apply_flag(&bc, "--ranks", "ranks", "2x1,4X2"), GCN_OK);
    ck_assert_int_eq(bench_config_write_effective(&bc, dest, "/x/gcnrun", "gcnbench --seeds 5\n"),
                     GCN_OK);
    char *got = read_file(dest);
    ck_assert_msg(strncmp(got, text, strlen(text)) == 0, "not a copy: %s", got);
    const char *eff = got + strlen(text);
    ck_assert_msg(strncmp(eff, "\n\n[effective]\n", 14) == 0, "no [effective]: %s", eff);
    ck_assert_ptr_nonnull(strstr(eff, "\nworkers = 0, 2\nranks = 2x1, 4x2\nmpirun = mpirun\n"
                                      "hostfile = \n"));
    ck_assert_ptr_nonnull(strstr(eff, "\nseeds = 5\n"));
    ck_assert_ptr_nonnull(strstr(eff, "\nrepeats = 1\n"));
    ck_assert_ptr_nonnull(strstr(eff, "\nconf = model.hidden=8\n"));
    ck_assert_ptr_nonnull(strstr(eff, "\ngcnrun = /x/gcnrun\n"));
    ck_assert_ptr_nonnull(strstr(eff, "\ncommand_line = gcnbench --seeds 5 \n"));
    free(got);

    /* the written file is itself a valid bench INI except for [effective]: the report reads
     * [targets] from it; the runner refuses [effective] as input */
    ck_assert_int_eq(bench_config_load(&bc, dest), GCN_ERR);
    ASSERT_MSG_HAS("unknown section [effective]");

    /* an unwritable destination is one line naming it */
    ck_assert_int_eq(bench_config_write_effective(&bc, "/nonexistent/dir/bench.ini", "g", "c"),
                     GCN_ERR);
    ASSERT_MSG_HAS("/nonexistent/dir/bench.ini");
    remove_tmpdir();
}
END_TEST

static Suite *bench_config_suite(void)
{
    Suite *s = suite_create("bench_config");
    TCase *tc = tcase_create("bench_config");
    tcase_add_test(tc, test_defaults);
    tcase_add_test(tc, test_shipped);
    tcase_add_test(tc, test_good_ini);
    tcase_add_loop_test(tc, test_bad_ini, 0, (int)(sizeof bad_ini / sizeof bad_ini[0]));
    tcase_add_loop_test(tc, test_bad_ranks, 0, (int)(sizeof bad_ranks / sizeof bad_ranks[0]));
    tcase_add_test(tc, test_missing_file);
    tcase_add_test(tc, test_conf_routing);
    tcase_add_test(tc, test_flags_and_sequential);
    tcase_add_test(tc, test_repeats_check);
    tcase_add_test(tc, test_write_effective);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return test_run_suite(bench_config_suite(), CK_FORK_GETENV);
}
