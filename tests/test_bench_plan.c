/* test_bench_plan.c: Check suite for drivers/bench/bench_plan.c: the runs of a matrix with sweeps
 * (count, order, labels, ids, sweep names and points, seeds and repeats), mpi[RxN] runs among
 * them, the gcnrun command line of a run (under the launcher for an mpi run, with Open MPI's
 * root variables), shell quoting of the stored command, and the check before the first run
 * (gcnrun's own parser on every command line, the gcnrun part of an mpi run's; a dgl dataset
 * whose files are missing; a missing launcher or hostfile, with fake launchers, so no Open MPI
 * is needed). Also the runner's side of an mpi run: PATH lookup (bench_find_program), a child
 * started through PATH with the added environment (bench_run_child), and the run file's
 * bench.ranks and cores_used (bench_runfile_write). Paths are relative to GCN_SOURCE_ROOT, as
 * gcnbench runs from the project root. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "drivers/bench/bench_plan.h"
#include "drivers/bench/bench_run.h"
#include "drivers/bench/bench_runfile.h"
#include "base/error.h"
#include "gcnrun_build.h"
#include "testutil.h"

#define ASSERT_MSG_HAS(needle)                                                               \
    ck_assert_msg(strstr(gcn_last_error(), (needle)) != NULL,                                \
                  "message '%s' lacks '%s'", gcn_last_error(), (needle))

static struct bench_config bc; /* large: not on the stack */
static char tmpdir[512];

static void to_source_root(void)
{
    const char *root = getenv("GCN_SOURCE_ROOT");
    ck_assert_msg(root != NULL, "GCN_SOURCE_ROOT is not set");
    ck_assert_int_eq(chdir(root), 0);
}

/* workers 0, 2; seeds 42, 7, 9 with 2 repeats; sweeps: hidden 16, 64 and forward-only at
 * local[4], one repeat. */
static void small_config(void)
{
    bench_config_defaults(&bc);
    snprintf(bc.run_config, sizeof bc.run_config, "configs/quick-synth.ini");
    ck_assert_int_eq(bench_config_apply_flag(&bc, "--workers", "workers", "0, 2"), GCN_OK);
    ck_assert_int_eq(bench_config_apply_flag(&bc, "--seeds", "seeds", "42, 7, 9"), GCN_OK);
    ck_assert_int_eq(bench_config_apply_flag(&bc, "--repeats", "repeats", "2"), GCN_OK);
    ck_assert_int_eq(bench_config_apply_flag(&bc, "--epochs", "epochs", "3"), GCN_OK);
    ck_assert_int_eq(bench_config_apply_conf(&bc, "sweep.workers=4"), GCN_OK);
    ck_assert_int_eq(bench_config_apply_conf(&bc, "sweep.repeats=1"), GCN_OK);
    ck_assert_int_eq(bench_config_apply_conf(&bc, "sweep.hidden=16,64"), GCN_OK);
    ck_assert_int_eq(bench_config_apply_conf(&bc, "sweep.forward_only=true"), GCN_OK);
    ck_assert_int_eq(bench_config_validate(&bc), GCN_OK);
}

START_TEST(test_layout)
{
    static const struct {
        const char *label, *sweep, *point, *id, *flag;
        int workers;
        uint64_t seed;
        size_t repeat;
    } want[] = {
        { "sequential", "matrix", "", "sequential_seed42", "", 0, 42, 0 },
        { "local[2]", "matrix", "", "local2_seed42", "", 2, 42, 0 },
        { "sequential", "matrix", "", "sequential_seed7", "", 0, 7, 1 },
        { "local[2]", "matrix", "", "local2_seed7", "", 2, 7, 1 },
        { "local[4], hidden=16", "hidden", "16", "local4_hidden16_seed42", "--hidden", 4, 42, 0 },
        { "local[4], hidden=64", "hidden", "64", "local4_hidden64_seed42", "--hidden", 4, 42, 0 },
        { "local[4], forward-only", "forward_only", "true", "local4_forward_only_seed42",
          "--forward-only", 4, 42, 0 },
    };
    struct bench_plan plan;
    small_config();
    ck_assert_int_eq(bench_plan_build(&plan, &bc), GCN_OK);
    ck_assert_uint_eq(plan.n, sizeof want / sizeof want[0]);
    for (size_t i = 0; i < plan.n; i++) {
        const struct bench_run_spec *r = &plan.runs[i];
        ck_assert_str_eq(r->label, want[i].label);
        ck_assert_str_eq(r->sweep, want[i].sweep);
        ck_assert_str_eq(r->point, want[i].point);
        ck_assert_str_eq(r->id, want[i].id);
        ck_assert_str_eq(r->flag, want[i].flag);
        ck_assert_int_eq(r->workers, want[i].workers);
        ck_assert_uint_eq(r->seed, want[i].seed);
        ck_assert_uint_eq(r->repeat, want[i].repeat);
    }
    bench_plan_free(&plan);
    ck_assert_ptr_null(plan.runs);

    /* every sweep kind, ids as in the interface with the report */
    bench_config_defaults(&bc);
    ck_assert_int_eq(bench_config_apply_conf(&bc, "sweep.layers=3"), GCN_OK);
    ck_assert_int_eq(bench_config_apply_conf(&bc, "sweep.partitioners=metis"), GCN_OK);
    ck_assert_int_eq(bench_plan_build(&plan, &bc), GCN_OK);
    ck_assert_uint_eq(plan.n, 6 * 3 + 2 * 3);
    ck_assert_str_eq(plan.runs[5].id, "local16_seed42");
    ck_assert_str_eq(plan.runs[18].label, "local[2], layers=3");
    ck_assert_str_eq(plan.runs[18].id, "local2_layers3_seed42");
    ck_assert_str_eq(plan.runs[21].label, "local[2], partitioner=metis");
    ck_assert_str_eq(plan.runs[21].sweep, "partitioner");
    ck_assert_str_eq(plan.runs[21].id, "local2_partitionermetis_seed42");
    ck_assert_str_eq(plan.runs[23].id, "local2_partitionermetis_seed456");
    bench_plan_free(&plan);
}
END_TEST

/* workers 0, 2 and ranks 2x1, 1x2 with two seeds: each repeat runs the workers list, then
 * the ranks list. */
START_TEST(test_layout_mpi)
{
    static const struct {
        const char *label, *id;
        int workers, ranks;
        uint64_t seed;
    } want[] = {
        { "sequential", "sequential_seed42", 0, 0, 42 },
        { "local[2]", "local2_seed42", 2, 0, 42 },
        { "mpi[2x1]", "mpi2x1_seed42", 1, 2, 42 },
        { "mpi[1x2]", "mpi1x2_seed42", 2, 1, 42 },
        { "sequential", "sequential_seed7", 0, 0, 7 },
        { "local[2]", "local2_seed7", 2, 0, 7 },
        { "mpi[2x1]", "mpi2x1_seed7", 1, 2, 7 },
        { "mpi[1x2]", "mpi1x2_seed7", 2, 1, 7 },
        { "local[4], hidden=16", "local4_hidden16_seed42", 4, 0, 42 },
    };
    struct bench_plan plan;
    small_config();
    ck_assert_int_eq(bench_config_apply_flag(&bc, "--ranks", "ranks", "2x1, 1x2"), GCN_OK);
    ck_assert_int_eq(bench_config_apply_conf(&bc, "sweep.hidden=16"), GCN_OK);
    ck_assert_int_eq(bench_config_apply_conf(&bc, "sweep.forward_only=false"), GCN_OK);
    ck_assert_int_eq(bench_plan_build(&plan, &bc), GCN_OK);
    ck_assert_uint_eq(plan.n, sizeof want / sizeof want[0]);
    for (size_t i = 0; i < plan.n; i++) {
        const struct bench_run_spec *r = &plan.runs[i];
        ck_assert_str_eq(r->label, want[i].label);
        ck_assert_str_eq(r->id, want[i].id);
        ck_assert_str_eq(r->sweep, i < 8 ? "matrix" : "hidden");
        ck_assert_int_eq(r->workers, want[i].workers);
        ck_assert_int_eq(r->ranks, want[i].ranks);
        ck_assert_uint_eq(r->seed, want[i].seed);
        ck_assert_uint_eq(r->repeat, i < 8 ? i / 4 : 0);
    }
    bench_plan_free(&plan);

    /* no workers left (--no-sequential with workers 0): only the mpi runs */
    small_config();
    ck_assert_int_eq(bench_config_apply_flag(&bc, "--workers", "workers", "0"), GCN_OK);
    ck_assert_int_eq(bench_config_apply_flag(&bc, "--ranks", "ranks", "4x1"), GCN_OK);
    ck_assert_int_eq(bench_config_set_sequential(&bc, 0), GCN_OK);
    ck_assert_int_eq(bench_config_apply_conf(&bc, "sweep.hidden="), GCN_OK);
    ck_assert_int_eq(bench_config_apply_conf(&bc, "sweep.forward_only=false"), GCN_OK);
    ck_assert_int_eq(bench_plan_build(&plan, &bc), GCN_OK);
    ck_assert_uint_eq(plan.n, 2);
    ck_assert_str_eq(plan.runs[1].id, "mpi4x1_seed7");
    bench_plan_free(&plan);
}
END_TEST

/* 1 when a->env holds entry. */
static int env_has(const struct bench_argv *a, const char *entry)
{
    for (size_t i = 0; a->env[i]; i++)
        if (strcmp(a->env[i], entry) == 0)
            return 1;
    return 0;
}

START_TEST(test_argv_mpi)
{
    struct bench_plan plan;
    struct bench_argv a;
    small_config();
    ck_assert_int_eq(bench_config_apply_flag(&bc, "--ranks", "ranks", "2x1, 4x2"), GCN_OK);
    ck_assert_int_eq(bench_plan_build(&plan, &bc), GCN_OK);
    const struct bench_run_spec *m21 = &plan.runs[2], *m42 = &plan.runs[3];
    ck_assert_str_eq(m42->label, "mpi[4x2]");

    /* the launcher, then the usual gcnrun command with --workers N */
    unsetenv("OMPI_ALLOW_RUN_AS_ROOT");
    unsetenv("OMPI_ALLOW_RUN_AS_ROOT_CONFIRM");
    ck_assert_int_eq(bench_plan_argv(&a, &bc, m42, "/b/gcnrun", "out/r.tmp"), GCN_OK);
    static const char *const want[] = {
        "mpirun", "-np", "4", "--oversubscribe", "--bind-to", "none", "/b/gcnrun", "--config",
        "configs/quick-synth.ini", "--conf", "train.epochs=3", "--conf",
        "train.warmup_epochs=1", "--workers", "2", "--seed", "42", "--result", "out/r.tmp",
    };
    ck_assert_uint_eq(a.n, sizeof want / sizeof want[0]);
    for (size_t i = 0; i < a.n; i++)
        ck_assert_str_eq(a.v[i], want[i]);
    ck_assert_ptr_null(a.v[a.n]);
    ck_assert_uint_eq(a.prog, 6);
    ck_assert_int_eq(a.search_path, 1);
    /* Open MPI's consent to run as root, only for root */
    ck_assert_int_eq(env_has(&a, "OMPI_ALLOW_RUN_AS_ROOT=1"), geteuid() == 0);
    ck_assert_int_eq(env_has(&a, "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1"), geteuid() == 0);
    bench_argv_free(&a);

    /* ... unless already set (kept as the user set it) */
    setenv("OMPI_ALLOW_RUN_AS_ROOT", "0", 1);
    ck_assert_int_eq(bench_plan_argv(&a, &bc, m21, "gcnrun", "r"), GCN_OK);
    ck_assert_int_eq(env_has(&a, "OMPI_ALLOW_RUN_AS_ROOT=1"), 0);
    ck_assert_int_eq(env_has(&a, "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1"), geteuid() == 0);
    unsetenv("OMPI_ALLOW_RUN_AS_ROOT");
    bench_argv_free(&a);

    /* a launcher by path and a hostfile */
    snprintf(bc.mpirun, sizeof bc.mpirun, "/opt/my mpi/mpirun");
    snprintf(bc.hostfile, sizeof bc.hostfile, "hosts.txt");
    ck_assert_int_eq(bench_plan_argv(&a, &bc, m21, "gcnrun", "r"), GCN_OK);
    char *line = bench_argv_join(&a);
    ck_assert_ptr_nonnull(line);
    ck_assert_str_eq(line, "'/opt/my mpi/mpirun' -np 2 --oversubscribe --bind-to none "
                           "--hostfile hosts.txt gcnrun --config configs/quick-synth.ini "
                           "--conf train.epochs=3 --conf train.warmup_epochs=1 --workers 1 "
                           "--seed 42 --result r");
    ck_assert_uint_eq(a.prog, 8);
    free(line);
    bench_argv_free(&a);

    /* other runs: gcnrun itself, by path, with nothing added */
    ck_assert_int_eq(bench_plan_argv(&a, &bc, &plan.runs[1], "/b/gcnrun", "r"), GCN_OK);
    ck_assert_str_eq(a.v[0], "/b/gcnrun");
    ck_assert_uint_eq(a.prog, 0);
    ck_assert_int_eq(a.search_path, 0);
    ck_assert_ptr_null(a.env[0]);
    bench_argv_free(&a);
    bench_plan_free(&plan);
}
END_TEST

START_TEST(test_argv)
{
    struct bench_plan plan;
    struct bench_argv a;
    small_config();
    ck_assert_int_eq(bench_config_apply_conf(&bc, "model.dropout=0.5"), GCN_OK);
    ck_assert_int_eq(bench_plan_build(&plan, &bc), GCN_OK);

    ck_assert_int_eq(bench_plan_argv(&a, &bc, &plan.runs[5], "/b/gcnrun", "out/r.tmp"), GCN_OK);
    static const char *const want[] = {
        "/b/gcnrun", "--config", "configs/quick-synth.ini", "--conf", "model.dropout=0.5",
        "--conf", "train.epochs=3", "--conf", "train.warmup_epochs=1", "--workers", "4",
        "--seed", "42", "--hidden", "64", "--result", "out/r.tmp",
    };
    ck_assert_uint_eq(a.n, sizeof want / sizeof want[0]);
    for (size_t i = 0; i < a.n; i++)
        ck_assert_str_eq(a.v[i], want[i]);
    ck_assert_ptr_null(a.v[a.n]);
    bench_argv_free(&a);

    /* forward-only takes no value */
    ck_assert_int_eq(bench_plan_argv(&a, &bc, &plan.runs[6], "gcnrun", "r"), GCN_OK);
    ck_assert_str_eq(a.v[a.n - 3], "--forward-only");
    char *line = bench_argv_join(&a);
    ck_assert_ptr_nonnull(line);
    ck_assert_str_eq(line, "gcnrun --config configs/quick-synth.ini --conf model.dropout=0.5 "
                           "--conf train.epochs=3 --conf train.warmup_epochs=1 --workers 4 "
                           "--seed 42 --forward-only --result r");
    free(line);
    bench_argv_free(&a);

    /* arguments a shell would split or expand are quoted */
    ck_assert_int_eq(bench_plan_argv(&a, &bc, &plan.runs[0], "/my dir/gcnrun", "it's"),
                     GCN_OK);
    line = bench_argv_join(&a);
    ck_assert_ptr_nonnull(line);
    ck_assert_msg(strncmp(line, "'/my dir/gcnrun' --config", 25) == 0, "%s", line);
    ck_assert_msg(strstr(line, "--result 'it'\\''s'") != NULL, "%s", line);
    free(line);
    bench_argv_free(&a);

    /* the cache-filling command: the run config and every --conf, no run's own flags */
    ck_assert_int_eq(bench_plan_prepare_argv(&a, &bc, "gcnrun"), GCN_OK);
    line = bench_argv_join(&a);
    ck_assert_str_eq(line, "gcnrun --config configs/quick-synth.ini --conf model.dropout=0.5 "
                           "--prepare");
    free(line);
    bench_argv_free(&a);
    bench_plan_free(&plan);
}
END_TEST

/* Adds an unknown gcnrun key to bc: the check must refuse the plan with gcnrun's own words,
 * as a usage error. */
static void expect_unknown_gcnrun_key(void)
{
    struct bench_plan plan;
    int usage = -1;
    ck_assert_int_eq(bench_config_apply_conf(&bc, "model.hiden=3"), GCN_OK);
    ck_assert_int_eq(bench_plan_build(&plan, &bc), GCN_OK);
    ck_assert_int_eq(bench_plan_check(&plan, &bc, &usage), GCN_ERR);
    ck_assert_int_eq(usage, 1);
    ASSERT_MSG_HAS("--conf model.hiden=3: unknown key 'hiden' in [model]");
    bench_plan_free(&plan);
}

START_TEST(test_check)
{
    struct bench_plan plan;
    int usage = -1;
    to_source_root();
    small_config();
    ck_assert_int_eq(bench_plan_build(&plan, &bc), GCN_OK);
    ck_assert_msg(bench_plan_check(&plan, &bc, &usage) == GCN_OK, "%s", gcn_last_error());
    ck_assert_int_eq(usage, 0);
    bench_plan_free(&plan);

    /* a gcnrun key that does not exist, worded by gcnrun's parser */
    expect_unknown_gcnrun_key();

    /* a cross-key check of gcnrun's (partitions > nodes) */
    small_config();
    ck_assert_int_eq(bench_config_apply_conf(&bc, "synthetic.nodes=100"), GCN_OK);
    ck_assert_int_eq(bench_config_apply_conf(&bc, "runtime.partitions=200"), GCN_OK);
    ck_assert_int_eq(bench_plan_build(&plan, &bc), GCN_OK);
    ck_assert_int_eq(bench_plan_check(&plan, &bc, &usage), GCN_ERR);
    ck_assert_int_eq(usage, 1);
    ASSERT_MSG_HAS("partitions = 200 exceeds [synthetic] nodes = 100");
    bench_plan_free(&plan);

    /* a sweep point only this build rejects names the point */
    small_config();
    ck_assert_int_eq(bench_config_apply_conf(&bc, "sweep.partitioners=range,metis"), GCN_OK);
    ck_assert_int_eq(bench_plan_build(&plan, &bc), GCN_OK);
#if GCNRUN_HAVE_METIS
    ck_assert_msg(bench_plan_check(&plan, &bc, &usage) == GCN_OK, "%s", gcn_last_error());
#else
    ck_assert_int_eq(bench_plan_check(&plan, &bc, &usage), GCN_ERR);
    ck_assert_int_eq(usage, 1);
    ASSERT_MSG_HAS("sweep point 'local[4], partitioner=metis': ");
    ASSERT_MSG_HAS("built without METIS");
#endif
    bench_plan_free(&plan);

    /* a missing run config */
    small_config();
    snprintf(bc.run_config, sizeof bc.run_config, "configs/no-such.ini");
    ck_assert_int_eq(bench_plan_build(&plan, &bc), GCN_OK);
    ck_assert_int_eq(bench_plan_check(&plan, &bc, &usage), GCN_ERR);
    ck_assert_int_eq(usage, 1);
    ASSERT_MSG_HAS("configs/no-such.ini: cannot open config");
    bench_plan_free(&plan);

    /* a dgl dataset whose files are absent: a runtime error quoting missing_hint */
    small_config();
    ck_assert_int_eq(bench_config_apply_conf(&bc, "dataset.format=dgl"), GCN_OK);
    ck_assert_int_eq(bench_config_apply_conf(&bc, "dataset.data=/nonexistent/x_data.npz"),
                     GCN_OK);
    ck_assert_int_eq(bench_config_apply_conf(&bc, "dataset.graph=/nonexistent/x_graph.npz"),
                     GCN_OK);
    ck_assert_int_eq(bench_config_apply_conf(&bc, "dataset.missing_hint=get it from X"),
                     GCN_OK);
    ck_assert_int_eq(bench_plan_build(&plan, &bc), GCN_OK);
    ck_assert_int_eq(bench_plan_check(&plan, &bc, &usage), GCN_ERR);
    ck_assert_int_eq(usage, 0);
    ASSERT_MSG_HAS("dataset file /nonexistent/x_data.npz: No such file or directory; get it "
                   "from X");
    bench_plan_free(&plan);
}
END_TEST

/* A file in tmpdir with this mode. */
static const char *make_file(const char *name, const char *text, mode_t mode)
{
    const char *path = test_write_file(tmpdir, name, text);
    ck_assert_int_eq(chmod(path, mode), 0);
    return path;
}

/* The check of a plan with mpi runs: the launcher and the hostfile (fake ones: no Open MPI
 * needed), and gcnrun's parser on the gcnrun part of the command. */
START_TEST(test_check_mpi)
{
    struct bench_plan plan;
    int usage = -1;
    char launcher[700], hostfile[700];
    to_source_root();
    test_tmpdir_make(tmpdir, sizeof tmpdir, "bench-plan");
    snprintf(launcher, sizeof launcher, "%s", make_file("mpirun", "#!/bin/sh\n", 0755));
    snprintf(hostfile, sizeof hostfile, "%s", make_file("hosts", "localhost slots=2\n", 0644));
    make_file("not-executable", "#!/bin/sh\n", 0644);

    static const struct {
        const char *mpirun;   /* "@" stands for tmpdir */
        const char *hostfile; /* "" none */
        const char *needle;   /* NULL: accepted */
    } cases[] = {
        { "@/mpirun", "", NULL },
        { "@/mpirun", "@/hosts", NULL },
        { "/nonexistent/mpirun", "", "mpi[2x1] needs mpirun, but '/nonexistent/mpirun': No "
          "such file or directory; install Open MPI (tools/setup.sh installs openmpi-bin) or "
          "set [bench] mpirun to the launcher's path" },
        { "gcn-no-such-launcher", "", "mpi[2x1] needs mpirun, but 'gcn-no-such-launcher' is "
          "not found on PATH: install Open MPI (tools/setup.sh installs openmpi-bin) or set "
          "[bench] mpirun to the launcher's path" },
        { "@/not-executable", "", "not-executable': Permission denied; install Open MPI" },
        { "@", "", "': not an executable file; install Open MPI" },
        { "@/mpirun", "/nonexistent/hosts", "hostfile '/nonexistent/hosts' of the mpi runs: No "
          "such file or directory; fix [bench] hostfile (relative to the current directory), "
          "or leave it empty to run every rank on this machine" },
        { "@/mpirun", "@", "' of the mpi runs: not a regular file; fix [bench] hostfile" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        small_config();
        ck_assert_int_eq(bench_config_apply_flag(&bc, "--ranks", "ranks", "2x1"), GCN_OK);
        const char *m = cases[i].mpirun, *h = cases[i].hostfile;
        snprintf(bc.mpirun, sizeof bc.mpirun, "%s%s", m[0] == '@' ? tmpdir : "",
                 m[0] == '@' ? m + 1 : m);
        snprintf(bc.hostfile, sizeof bc.hostfile, "%s%s", h[0] == '@' ? tmpdir : "",
                 h[0] == '@' ? h + 1 : h);
        ck_assert_int_eq(bench_plan_build(&plan, &bc), GCN_OK);
        const int rc = bench_plan_check(&plan, &bc, &usage);
        if (!cases[i].needle) {
            ck_assert_msg(rc == GCN_OK, "case %zu: %s", i, gcn_last_error());
        } else {
            ck_assert_msg(rc == GCN_ERR, "case %zu accepted", i);
            ck_assert_int_eq(usage, 0); /* a runtime error: gcnbench exits 1 */
            ASSERT_MSG_HAS(cases[i].needle);
            ck_assert_msg(!strchr(gcn_last_error(), '\n'), "two lines: %s", gcn_last_error());
        }
        bench_plan_free(&plan);
    }

    /* without mpi runs the launcher is not looked at */
    small_config();
    snprintf(bc.mpirun, sizeof bc.mpirun, "/nonexistent/mpirun");
    ck_assert_int_eq(bench_plan_build(&plan, &bc), GCN_OK);
    ck_assert_msg(bench_plan_check(&plan, &bc, &usage) == GCN_OK, "%s", gcn_last_error());
    bench_plan_free(&plan);

    /* only mpi runs: their gcnrun part goes through gcnrun's parser (not mpirun's -np) */
    small_config();
    snprintf(bc.mpirun, sizeof bc.mpirun, "%s", launcher);
    ck_assert_int_eq(bench_config_apply_flag(&bc, "--workers", "workers", "0"), GCN_OK);
    ck_assert_int_eq(bench_config_apply_flag(&bc, "--ranks", "ranks", "2x1"), GCN_OK);
    ck_assert_int_eq(bench_config_set_sequential(&bc, 0), GCN_OK);
    ck_assert_int_eq(bench_config_apply_conf(&bc, "sweep.hidden="), GCN_OK);
    ck_assert_int_eq(bench_config_apply_conf(&bc, "sweep.forward_only=false"), GCN_OK);
    ck_assert_int_eq(bench_plan_build(&plan, &bc), GCN_OK);
    ck_assert_msg(bench_plan_check(&plan, &bc, &usage) == GCN_OK, "%s", gcn_last_error());
    bench_plan_free(&plan);
    expect_unknown_gcnrun_key();
    test_tree_remove(tmpdir);
}
END_TEST

START_TEST(test_find_program)
{
    char path[512], dir[600], saved_cwd[512];
    test_tmpdir_make(tmpdir, sizeof tmpdir, "bench-plan");
    make_file("tool", "#!/bin/sh\n", 0755);
    make_file("plain", "not a program\n", 0644);
    snprintf(dir, sizeof dir, "%s/folder", tmpdir);
    ck_assert_int_eq(mkdir(dir, 0755), 0);
    char *saved_path = strdup(getenv("PATH") ? getenv("PATH") : "/usr/bin:/bin");
    ck_assert_ptr_nonnull(getcwd(saved_cwd, sizeof saved_cwd));

    static const struct {
        const char *path_env; /* $PATH ("@" stands for tmpdir; NULL: unset) */
        const char *name;
        int found;
        const char *want;     /* the path found ("@" = tmpdir), when found */
    } cases[] = {
        { "/nonexistent:@", "tool", 1, "@/tool" },
        { "@:/nonexistent", "tool", 1, "@/tool" },
        { "/nonexistent", "tool", 0, NULL },
        { "@", "plain", 0, NULL },        /* not executable */
        { "@", "folder", 0, NULL },       /* a folder */
        { "@", "missing", 0, NULL },
        { "/nonexistent:", "tool", 1, "./tool" }, /* an empty entry: the current folder */
        { NULL, "sh", 1, "/usr/bin/sh" }, /* unset: /usr/bin:/bin */
        { "/nonexistent", "@/tool", 1, "@/tool" }, /* a path: PATH not searched */
        { "@", "@/plain", 0, NULL },
        { "@", "@/folder", 0, NULL },
        { "@", "/nonexistent/mpirun", 0, NULL },
    };
    ck_assert_int_eq(chdir(tmpdir), 0);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char env[1200] = "", name[600], want[600] = "";
        const char *at;
        if (cases[i].path_env) {
            at = strchr(cases[i].path_env, '@');
            if (at)
                snprintf(env, sizeof env, "%.*s%s%s", (int)(at - cases[i].path_env),
                         cases[i].path_env, tmpdir, at + 1);
            else
                snprintf(env, sizeof env, "%s", cases[i].path_env);
            setenv("PATH", env, 1);
        } else {
            unsetenv("PATH");
        }
        if (cases[i].name[0] == '@')
            snprintf(name, sizeof name, "%s%s", tmpdir, cases[i].name + 1);
        else
            snprintf(name, sizeof name, "%s", cases[i].name);
        if (cases[i].want && cases[i].want[0] == '@')
            snprintf(want, sizeof want, "%s%s", tmpdir, cases[i].want + 1);
        else if (cases[i].want)
            snprintf(want, sizeof want, "%s", cases[i].want);
        const int got = bench_find_program(name, path, sizeof path);
        ck_assert_msg(got == cases[i].found, "case %zu (%s): %d", i, name, got);
        if (got)
            ck_assert_msg(strcmp(path, want) == 0 || (cases[i].path_env == NULL &&
                                                       strcmp(path, "/bin/sh") == 0),
                          "case %zu: %s, expected %s", i, path, want);
    }
    setenv("PATH", saved_path, 1);
    free(saved_path);
    ck_assert_int_eq(chdir(saved_cwd), 0);
    test_tree_remove(tmpdir);
}
END_TEST

/* A child found on PATH gets the variables of a->env on top of this process's environment. */
START_TEST(test_child_env)
{
    struct bench_argv a = { 0 };
    struct bench_child_result res;
    static const char *const argv[] = { "sh", "-c", "echo \"$GCN_BENCH_T1 $GCN_BENCH_T2 "
                                        "$GCN_BENCH_KEPT\" >&2" };
    setenv("GCN_BENCH_KEPT", "kept", 1);
    for (size_t i = 0; i < 3; i++)
        a.v[a.n++] = strdup(argv[i]);
    a.search_path = 1;
    a.env[0] = "GCN_BENCH_T1=one";
    a.env[1] = "GCN_BENCH_T2=two";
    ck_assert_int_eq(bench_run_child(&a, NULL, NULL, &res), GCN_OK);
    ck_assert_int_eq(res.exit_status, 0);
    ck_assert_str_eq(res.last_stderr, "one two kept");
    ck_assert_ptr_null(getenv("GCN_BENCH_T1")); /* not set in gcnbench itself */

    /* without search_path, v[0] must be a path: "sh" is not found in the current folder */
    a.search_path = 0;
    a.env[0] = NULL;
    ck_assert_int_eq(bench_run_child(&a, NULL, NULL, &res), GCN_OK);
    ck_assert_int_eq(res.exit_status, 127);
    ck_assert_msg(strstr(res.last_stderr, "cannot execute sh") != NULL, "%s", res.last_stderr);
    bench_argv_free(&a);
    unsetenv("GCN_BENCH_KEPT");
}
END_TEST

/* bench.ranks and cores_used of run files: R x N workers share the online CPUs. */
START_TEST(test_runfile_mpi)
{
    static const struct {
        int workers, ranks, online;
        const char *ranks_text, *cores_text;
    } cases[] = {
        { 1, 2, 2, "\"ranks\": 2,", "\"cores_used\": 2," },
        { 2, 2, 8, "\"ranks\": 2,", "\"cores_used\": 4," },
        { 2, 4, 2, "\"ranks\": 4,", "\"cores_used\": 2," },  /* oversubscribed */
        { 1, 1, 2, "\"ranks\": 1,", "\"cores_used\": 1," },
        { 2, 0, 8, "\"ranks\": 0,", "\"cores_used\": 2," },  /* local[2] */
    };
    char dest[700];
    test_tmpdir_make(tmpdir, sizeof tmpdir, "bench-plan");
    const char *result = make_file("result.json", "{\"status\": \"ok\", \"blas_threads\": 1}",
                                   0644);
    char result_path[700];
    snprintf(result_path, sizeof result_path, "%s", result);
    snprintf(dest, sizeof dest, "%s/run.json", tmpdir);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct bench_run_spec spec = { .label = "mpi[RxN]", .sweep = "matrix",
                                       .workers = cases[i].workers, .ranks = cases[i].ranks,
                                       .seed = 42 };
        struct bench_run_record rec = { .spec = &spec, .wall_s = 1.0, .cpu_user_s = 1.0,
                                        .online_cpus = cases[i].online, .command = "c" };
        for (int failed = 0; failed < 2; failed++) {
            rec.error = failed ? "exit status 1" : NULL;
            ck_assert_msg(bench_runfile_write(dest, result_path, &rec) == GCN_OK, "%s",
                          gcn_last_error());
            char *text = test_read_all(dest);
            ck_assert_msg(strstr(text, cases[i].ranks_text) != NULL, "case %zu: %s", i, text);
            ck_assert_msg(strstr(text, cases[i].cores_text) != NULL, "case %zu: %s", i, text);
            free(text);
        }
    }
    test_tree_remove(tmpdir);
}
END_TEST

static Suite *bench_plan_suite(void)
{
    Suite *s = suite_create("bench_plan");
    TCase *tc = tcase_create("bench_plan");
    tcase_add_test(tc, test_layout);
    tcase_add_test(tc, test_layout_mpi);
    tcase_add_test(tc, test_argv);
    tcase_add_test(tc, test_argv_mpi);
    tcase_add_test(tc, test_check);
    tcase_add_test(tc, test_check_mpi);
    tcase_add_test(tc, test_find_program);
    tcase_add_test(tc, test_child_env);
    tcase_add_test(tc, test_runfile_mpi);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return test_run_suite(bench_plan_suite(), CK_FORK_GETENV);
}
