/* test_bench_plan.c: Check suite for drivers/bench/bench_plan.c: the runs of a matrix with sweeps
 * (count, order, labels, ids, sweep names and points, seeds and repeats), the gcnrun command
 * line of a run, shell quoting of the stored command, and the check before the first run
 * (gcnrun's own parser on every command line; a dgl dataset whose files are missing). Paths
 * are relative to GCN_SOURCE_ROOT, as gcnbench runs from the project root. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "drivers/bench/bench_plan.h"
#include "base/error.h"
#include "gcnrun_build.h"
#include "testutil.h"

#define ASSERT_MSG_HAS(needle)                                                               \
    ck_assert_msg(strstr(gcn_last_error(), (needle)) != NULL,                                \
                  "message '%s' lacks '%s'", gcn_last_error(), (needle))

static struct bench_config bc; /* large: not on the stack */

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
    ck_assert_int_eq(bench_config_apply_conf(&bc, "model.hiden=3"), GCN_OK);
    ck_assert_int_eq(bench_plan_build(&plan, &bc), GCN_OK);
    ck_assert_int_eq(bench_plan_check(&plan, &bc, &usage), GCN_ERR);
    ck_assert_int_eq(usage, 1);
    ASSERT_MSG_HAS("--conf model.hiden=3: unknown key 'hiden' in [model]");
    bench_plan_free(&plan);

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

static Suite *bench_plan_suite(void)
{
    Suite *s = suite_create("bench_plan");
    TCase *tc = tcase_create("bench_plan");
    tcase_add_test(tc, test_layout);
    tcase_add_test(tc, test_argv);
    tcase_add_test(tc, test_check);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return test_run_suite(bench_plan_suite(), CK_FORK_GETENV);
}
