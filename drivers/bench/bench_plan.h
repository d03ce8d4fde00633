/* bench_plan.h: the runs of a benchmark, in the order they run, and the gcnrun command line
 * of each. The matrix comes first, repeat by repeat (every configuration with seeds[0],
 * then every configuration with seeds[1], ...; within a repeat the workers list, then one
 * mpi[RxN] run per [bench] ranks entry), so an interrupted matrix has each
 * configuration about equally often and slow drift of the machine spreads over all of them;
 * then the sweeps of [sweep] (hidden, layers, partitioners, forward_only), each repeat by
 * repeat too, at [sweep] workers.
 *
 * Labels, ids and sweep names are those of the interface with the report
 * (drivers/bench/bench_report.h): label "sequential", "local[2]", "mpi[2x1]",
 * "local[4], hidden=64", "local[4], forward-only"; id = label without '[', ']' and '=',
 * other runs of non-alphanumerics turned into one '_', then "_seed<seed>"
 * ("local4_hidden64_seed42", "mpi2x1_seed42").
 *
 * An mpi[RxN] run is gcnrun under the [bench] mpirun launcher: MPIRUN -np R --oversubscribe
 * --bind-to none [--hostfile FILE] GCNRUN ... --workers N (gcnrun binds each rank's workers
 * itself; ranks may outnumber the cores). */
#ifndef GCNRUN_BENCH_PLAN_H
#define GCNRUN_BENCH_PLAN_H

#include <stddef.h>
#include <stdint.h>

#include "bench_config.h"

struct bench_run_spec {
    char label[96];   /* configuration label: "local[2]", "local[4], layers=3" */
    char sweep[16];   /* "matrix", "hidden", "layers", "partitioner", "forward_only" */
    char point[16];   /* the swept value ("64", "3", "metis", "true"), "" for the matrix */
    char id[128];     /* run file stem: "local2_seed42" */
    char flag[16];    /* gcnrun flag of the sweep point ("--hidden", "--forward-only"), "" */
    int workers;      /* 0 = sequential, N = local[N], or N workers per rank of mpi[RxN] */
    int ranks;        /* 0 = not under mpirun, R = mpi[RxN] */
    uint64_t seed;    /* train.seed */
    size_t repeat;    /* index of the seed, 0-based */
};

struct bench_plan {
    struct bench_run_spec *runs; /* n runs in running order (owned) */
    size_t n;
};

#define BENCH_ARGV_MAX (32 + 2 * BENCH_LIST_MAX)
#define BENCH_ENV_MAX 2 /* variables a command adds to the child's environment */

struct bench_argv {
    size_t n;                      /* arguments, program included */
    char *v[BENCH_ARGV_MAX + 1];   /* owned strings, v[n] = NULL (for execv) */
    size_t prog;                   /* index of gcnrun in v: 0, or after the launcher's
                                      arguments for an mpi run */
    int search_path;               /* 1: v[0] without a '/' is looked up on PATH (the
                                      launcher, as a shell would); 0: v[0] is a path */
    const char *env[BENCH_ENV_MAX + 1]; /* "NAME=VALUE" added to the child's environment
                                           (static strings, NULL-terminated) */
};

/* Lays out every run of bc (validated). Errors: out of memory. Free with bench_plan_free. */
int bench_plan_build(struct bench_plan *plan, const struct bench_config *bc);

/* Frees the runs; plan is empty afterwards. */
void bench_plan_free(struct bench_plan *plan);

/* The gcnrun command of run r: gcnrun --config RUN_CONFIG [--conf C]... --conf
 * train.epochs=E --conf train.warmup_epochs=W --workers N --seed S [sweep flag [value]]
 * --result RESULT, after "MPIRUN -np R --oversubscribe --bind-to none [--hostfile FILE]" for
 * an mpi run. An mpi run run by root also gets OMPI_ALLOW_RUN_AS_ROOT=1 and
 * OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 in a->env (each unless already set in this process's
 * environment), without which Open MPI refuses to start. Errors: out of memory (a is then
 * empty). Free with bench_argv_free. */
int bench_plan_argv(struct bench_argv *a, const struct bench_config *bc,
                    const struct bench_run_spec *r, const char *gcnrun, const char *result);

/* The command that fills the dataset cache before the timed runs: gcnrun --config RUN
 * [--conf ...] --prepare, so that no run pays the build (and its memory) when the others
 * read the cache. Errors: out of memory. */
int bench_plan_prepare_argv(struct bench_argv *a, const struct bench_config *bc,
                            const char *gcnrun);

/* Frees the strings of a. */
void bench_argv_free(struct bench_argv *a);

/* The command line of a as a shell would take it (arguments quoted where needed), in a
 * malloc'ed string the caller frees; NULL when out of memory. */
char *bench_argv_join(const struct bench_argv *a);

/* Checks every run before the first one starts: its command line (the gcnrun part of an mpi
 * run's) goes through gcnrun's own parser (the run config, every --conf, the sweep values),
 * and a dgl dataset's files must be readable; when the plan has mpi runs, the [bench] mpirun
 * launcher must be an executable on PATH (or an executable path) and the hostfile, when set,
 * a readable file. Errors: the first problem, as gcnrun would word it (a sweep point's message
 * names the point; *usage_error = 1, a usage error), or "dataset file PATH: No such file
 * or directory; HINT", or the launcher or hostfile with its fix (*usage_error = 0). */
int bench_plan_check(const struct bench_plan *plan, const struct bench_config *bc,
                     int *usage_error);

#endif
