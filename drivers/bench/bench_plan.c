/* bench_plan.c: the runs of a benchmark and their gcnrun command lines (see bench_plan.h).
 * The check before the first run hands each command line to gcn_cli_parse, gcnrun's own
 * parser, so a bad key or value is reported in gcnrun's words before minutes of runs, not
 * as a failed run file after them. */
#include "bench_plan.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bench_run.h"
#include "drivers/cli.h"
#include "base/error.h"

/* The label of the configuration at N workers (per rank, under mpirun with R > 0 ranks):
 * "sequential", "local[N]" or "mpi[RxN]". */
static void config_label(char *buf, size_t cap, int workers, int ranks)
{
    if (ranks > 0)
        snprintf(buf, cap, "mpi[%dx%d]", ranks, workers);
    else if (workers == 0)
        snprintf(buf, cap, "sequential");
    else
        snprintf(buf, cap, "local[%d]", workers);
}

/* id = slug(label) + "_seed" + seed (see bench_plan.h). */
static void make_id(struct bench_run_spec *r)
{
    size_t n = 0;
    int gap = 0;
    for (const char *s = r->label; *s && n + 1 < sizeof r->id; s++) {
        if (*s == '[' || *s == ']' || *s == '=')
            continue;
        if (isalnum((unsigned char)*s)) {
            if (gap && n > 0)
                r->id[n++] = '_';
            gap = 0;
            if (n + 1 < sizeof r->id)
                r->id[n++] = *s;
        } else {
            gap = 1;
        }
    }
    snprintf(r->id + n, sizeof r->id - n, "_seed%llu", (unsigned long long)r->seed);
}

/* Appends one run; plan->runs has room (sized by the caller). */
static void add_run(struct bench_plan *plan, int workers, int ranks, uint64_t seed,
                    size_t repeat, const char *sweep, const char *flag, const char *point,
                    const char *shown)
{
    struct bench_run_spec *r = &plan->runs[plan->n++];
    char base[32];
    memset(r, 0, sizeof *r);
    config_label(base, sizeof base, workers, ranks);
    if (shown)
        snprintf(r->label, sizeof r->label, "%s, %s", base, shown);
    else
        snprintf(r->label, sizeof r->label, "%s", base);
    snprintf(r->sweep, sizeof r->sweep, "%s", sweep);
    snprintf(r->flag, sizeof r->flag, "%s", flag);
    snprintf(r->point, sizeof r->point, "%s", point);
    r->workers = workers;
    r->ranks = ranks;
    r->seed = seed;
    r->repeat = repeat;
    make_id(r);
}

int bench_plan_build(struct bench_plan *plan, const struct bench_config *bc)
{
    const size_t reps = bench_config_repeats(bc), sreps = bench_config_sweep_repeats(bc);
    const size_t points = bc->n_hidden + bc->n_layers + bc->n_partitioners +
                          (bc->forward_only ? 1 : 0);
    const size_t total = reps * (bc->n_workers + bc->n_ranks) + sreps * points;

    plan->n = 0;
    plan->runs = calloc(total ? total : 1, sizeof *plan->runs);
    if (!plan->runs)
        return gcn_fail("out of memory planning %zu runs", total);
    for (size_t r = 0; r < reps; r++) {
        for (size_t w = 0; w < bc->n_workers; w++)
            add_run(plan, bc->workers[w], 0, bc->seeds[r], r, "matrix", "", "", NULL);
        for (size_t m = 0; m < bc->n_ranks; m++)
            add_run(plan, bc->ranks[m].workers, bc->ranks[m].ranks, bc->seeds[r], r, "matrix",
                    "", "", NULL);
    }

    const int sw = bc->sweep_workers;
    char point[16], shown[48];
    for (size_t r = 0; r < sreps; r++) {
        for (size_t i = 0; i < bc->n_hidden; i++) {
            snprintf(point, sizeof point, "%zu", bc->hidden[i]);
            snprintf(shown, sizeof shown, "hidden=%s", point);
            add_run(plan, sw, 0, bc->seeds[r], r, "hidden", "--hidden", point, shown);
        }
    }
    for (size_t r = 0; r < sreps; r++) {
        for (size_t i = 0; i < bc->n_layers; i++) {
            snprintf(point, sizeof point, "%zu", bc->layers[i]);
            snprintf(shown, sizeof shown, "layers=%s", point);
            add_run(plan, sw, 0, bc->seeds[r], r, "layers", "--layers", point, shown);
        }
    }
    for (size_t r = 0; r < sreps; r++) {
        for (size_t i = 0; i < bc->n_partitioners; i++) {
            snprintf(shown, sizeof shown, "partitioner=%s", bc->partitioners[i]);
            add_run(plan, sw, 0, bc->seeds[r], r, "partitioner", "--partitioner",
                    bc->partitioners[i], shown);
        }
    }
    for (size_t r = 0; r < sreps && bc->forward_only; r++)
        add_run(plan, sw, 0, bc->seeds[r], r, "forward_only", "--forward-only", "true",
                "forward-only");
    return GCN_OK;
}

void bench_plan_free(struct bench_plan *plan)
{
    free(plan->runs);
    plan->runs = NULL;
    plan->n = 0;
}

/* Appends a printf-formatted argument; false when out of memory or room. */
__attribute__((format(printf, 2, 3))) static int push(struct bench_argv *a, const char *fmt,
                                                      ...)
{
    va_list ap;
    if (a->n >= BENCH_ARGV_MAX)
        return 0;
    va_start(ap, fmt);
    int ok = vasprintf(&a->v[a->n], fmt, ap) >= 0;
    va_end(ap);
    if (!ok) {
        a->v[a->n] = NULL;
        return 0;
    }
    a->n++;
    a->v[a->n] = NULL;
    return 1;
}

/* Open MPI refuses to start as root without these; each is added unless already set. */
static void mpi_root_env(struct bench_argv *a)
{
    static const char *const vars[] = { "OMPI_ALLOW_RUN_AS_ROOT=1",
                                        "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1" };
    size_t k = 0;
    if (geteuid() != 0)
        return;
    for (size_t i = 0; i < sizeof vars / sizeof vars[0] && k < BENCH_ENV_MAX; i++) {
        char name[64];
        snprintf(name, sizeof name, "%.*s", (int)strcspn(vars[i], "="), vars[i]);
        if (!getenv(name))
            a->env[k++] = vars[i];
    }
    a->env[k] = NULL;
}

/* The launcher's part of an mpi run's command, up to gcnrun (see bench_plan_argv). */
static int push_launcher(struct bench_argv *a, const struct bench_config *bc, int ranks)
{
    int ok = push(a, "%s", bc->mpirun) && push(a, "-np") && push(a, "%d", ranks) &&
             push(a, "--oversubscribe") && push(a, "--bind-to") && push(a, "none");
    if (ok && bc->hostfile[0])
        ok = push(a, "--hostfile") && push(a, "%s", bc->hostfile);
    a->prog = a->n;
    a->search_path = 1;
    mpi_root_env(a);
    return ok;
}

int bench_plan_argv(struct bench_argv *a, const struct bench_config *bc,
                    const struct bench_run_spec *r, const char *gcnrun, const char *result)
{
    memset(a, 0, sizeof *a);
    int ok = r->ranks <= 0 || push_launcher(a, bc, r->ranks);
    ok = ok && push(a, "%s", gcnrun) && push(a, "--config") && push(a, "%s", bc->run_config);
    for (size_t i = 0; ok && i < bc->n_conf; i++)
        ok = push(a, "--conf") && push(a, "%s", bc->conf[i]);
    ok = ok && push(a, "--conf") && push(a, "train.epochs=%zu", bc->epochs) &&
         push(a, "--conf") && push(a, "train.warmup_epochs=%zu", bc->warmup_epochs) &&
         push(a, "--workers") && push(a, "%d", r->workers) && push(a, "--seed") &&
         push(a, "%llu", (unsigned long long)r->seed);
    if (ok && r->flag[0]) {
        ok = push(a, "%s", r->flag);
        if (ok && strcmp(r->flag, "--forward-only") != 0)
            ok = push(a, "%s", r->point);
    }
    ok = ok && push(a, "--result") && push(a, "%s", result);
    if (!ok) {
        bench_argv_free(a);
        return gcn_fail("out of memory building the gcnrun command line");
    }
    return GCN_OK;
}

int bench_plan_prepare_argv(struct bench_argv *a, const struct bench_config *bc,
                            const char *gcnrun)
{
    memset(a, 0, sizeof *a);
    int ok = push(a, "%s", gcnrun) && push(a, "--config") && push(a, "%s", bc->run_config);
    for (size_t i = 0; ok && i < bc->n_conf; i++)
        ok = push(a, "--conf") && push(a, "%s", bc->conf[i]);
    ok = ok && push(a, "--prepare");
    if (!ok) {
        bench_argv_free(a);
        return gcn_fail("out of memory building the gcnrun command line");
    }
    return GCN_OK;
}

void bench_argv_free(struct bench_argv *a)
{
    for (size_t i = 0; i < a->n; i++)
        free(a->v[i]);
    memset(a, 0, sizeof *a);
}

/* 1 when s needs no quoting in a POSIX shell. */
static int shell_plain(const char *s)
{
    if (!*s)
        return 0;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && !strchr("_./=:@,+-%", *s))
            return 0;
    return 1;
}

char *bench_argv_join(const struct bench_argv *a)
{
    size_t cap = 1;
    for (size_t i = 0; i < a->n; i++)
        cap += 4 * strlen(a->v[i]) + 3;
    char *out = malloc(cap), *p = out;
    if (!out)
        return NULL;
    for (size_t i = 0; i < a->n; i++) {
        if (i)
            *p++ = ' ';
        if (shell_plain(a->v[i])) {
            p = stpcpy(p, a->v[i]);
            continue;
        }
        *p++ = '\'';
        for (const char *s = a->v[i]; *s; s++) {
            if (*s == '\'')
                p = stpcpy(p, "'\\''");
            else
                *p++ = *s;
        }
        *p++ = '\'';
    }
    *p = '\0';
    return out;
}

/* Fails unless the dataset file path is readable, quoting the config's missing_hint. */
static int check_present(const char *path, const struct gcn_config *cfg)
{
    if (access(path, R_OK) == 0)
        return GCN_OK;
    const int err = errno;
    if (cfg->source_hint[0])
        return gcn_fail("dataset file %s: %s; %s", path, strerror(err), cfg->source_hint);
    return gcn_fail("dataset file %s: %s; set [dataset] data and graph in %s to the "
                    "DGL-layout npz files", path, strerror(err), cfg->path);
}

/* The launcher and hostfile of the mpi runs, when the plan has any. */
static int check_mpi(const struct bench_plan *plan, const struct bench_config *bc)
{
    char path[GCN_PATH_MAX];
    struct stat st;
    size_t i = 0;
    while (i < plan->n && plan->runs[i].ranks <= 0)
        i++;
    if (i == plan->n)
        return GCN_OK;
    const char *label = plan->runs[i].label;
    if (!bench_find_program(bc->mpirun, path, sizeof path)) {
        if (!strchr(bc->mpirun, '/'))
            return gcn_fail("%s needs mpirun, but '%s' is not found on PATH: install Open MPI "
                            "(tools/setup.sh installs openmpi-bin) or set [bench] mpirun to "
                            "the launcher's path", label, bc->mpirun);
        const char *why = access(bc->mpirun, X_OK) != 0 ? strerror(errno)
                                                         : "not an executable file";
        return gcn_fail("%s needs mpirun, but '%s': %s; install Open MPI (tools/setup.sh "
                        "installs openmpi-bin) or set [bench] mpirun to the launcher's path",
                        label, bc->mpirun, why);
    }
    const char *why = NULL;
    if (bc->hostfile[0] && (access(bc->hostfile, R_OK) != 0 || stat(bc->hostfile, &st) != 0))
        why = strerror(errno);
    else if (bc->hostfile[0] && !S_ISREG(st.st_mode))
        why = "not a regular file";
    if (why)
        return gcn_fail("hostfile '%s' of the mpi runs: %s; fix [bench] hostfile (relative "
                        "to the current directory), or leave it empty to run every rank on "
                        "this machine", bc->hostfile, why);
    return GCN_OK;
}

int bench_plan_check(const struct bench_plan *plan, const struct bench_config *bc,
                     int *usage_error)
{
    struct gcn_cli *cli = malloc(sizeof *cli); /* large (paths) */
    struct bench_argv a = { 0 };
    char *args[BENCH_ARGV_MAX + 1];
    int rc = GCN_ERR;

    *usage_error = 0;
    if (!cli)
        return gcn_fail("out of memory checking the runs");
    for (size_t i = 0; i < plan->n; i++) {
        const struct bench_run_spec *r = &plan->runs[i];
        if (bench_plan_argv(&a, bc, r, "gcnrun", "result.json") != GCN_OK)
            goto done;
        /* getopt permutes its argv; an mpi run's gcnrun part starts at a.prog */
        memcpy(args, a.v + a.prog, (a.n - a.prog + 1) * sizeof *args);
        const int st = gcn_cli_parse(cli, (int)(a.n - a.prog), args);
        if (st != GCN_CLI_RUN) {
            *usage_error = 1;
            if (strcmp(r->sweep, "matrix") != 0) {
                char msg[1024];
                snprintf(msg, sizeof msg, "%s", gcn_last_error());
                gcn_fail("sweep point '%s': %s", r->label, msg);
            }
            goto done;
        }
        if (cli->cfg.format == GCN_FORMAT_DGL &&
            (check_present(cli->cfg.data, &cli->cfg) != GCN_OK ||
             check_present(cli->cfg.graph, &cli->cfg) != GCN_OK))
            goto done;
        bench_argv_free(&a);
    }
    if (check_mpi(plan, bc) != GCN_OK)
        goto done;
    rc = GCN_OK;
done:
    bench_argv_free(&a);
    free(cli);
    return rc;
}
