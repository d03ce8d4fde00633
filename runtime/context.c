/* context.c: starting and stopping StarPU as Spark's local[N].
 *
 * The environment is settled before starpu_init because StarPU 1.3 reads it there:
 * STARPU_FXT_TRACE (FxT on only with a trace folder), STARPU_HOME / STARPU_PERF_MODEL_DIR
 * (bus and perf-model files outside $HOME), STARPU_SCHED (an explicit scheduler wins) and
 * STARPU_WORKERS_NOBIND (binding policy). The worker count goes through starpu_conf with
 * precedence over STARPU_NCPU, and is checked after start-up. */
#include <errno.h>
#include <hwloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/error.h"
#include "runtime/dist.h"
#include "runtime/internal.h"
#include "runtime/trace.h"

static struct rdd_context *live_context; /* the one context StarPU allows per process */

double rdd_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

void rdd_context_opts_init(struct rdd_context_opts *opts)
{
	memset(opts, 0, sizeof *opts);
	opts->workers = 1;
	opts->bind = RDD_BIND_AUTO;
}

int rdd_max_workers(void)
{
	return STARPU_MAXCPUS;
}

const char *rdd_starpu_version(void)
{
	static char version[32];
	int major, minor, release;
	starpu_get_version(&major, &minor, &release);
	snprintf(version, sizeof version, "%d.%d.%d", major, minor, release);
	return version;
}

/* Objects of one type in this machine's hwloc topology (0 when hwloc fails). */
static int hwloc_count(hwloc_obj_type_t type)
{
	hwloc_topology_t topo;
	int n = 0;
	if (hwloc_topology_init(&topo) != 0)
		return 0;
	if (hwloc_topology_load(topo) == 0)
		n = hwloc_get_nbobjs_by_type(topo, type);
	hwloc_topology_destroy(topo);
	return n > 0 ? n : 0;
}

int rdd_core_count(void)
{
	int n = hwloc_count(HWLOC_OBJ_CORE);
	if (n < 1)
		n = hwloc_count(HWLOC_OBJ_PU);
	return n >= 1 ? n : 1;
}

/* STARPU_WORKERS_NOBIND as the user set it before the first context of the process (later
 * contexts see the value this file set): 0 or 1, or -1 when unset. */
static int user_nobind(void)
{
	static int value = -2;
	if (value == -2) {
		const char *env = getenv("STARPU_WORKERS_NOBIND");
		value = env && *env ? atoi(env) > 0 : -1;
	}
	return value;
}

/* 1 when name is one of StarPU's predefined scheduling policies. */
static int sched_known(const char *name)
{
	struct starpu_sched_policy **p = starpu_sched_get_predefined_policies();
	for (; p && *p; p++)
		if ((*p)->policy_name && strcmp((*p)->policy_name, name) == 0)
			return 1;
	return 0;
}

/* mkdir -p path (0700 for the folders it creates); 0 or an errno. */
static int make_path(char *path)
{
	for (char *p = path + 1;; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		const char c = *p;
		*p = '\0';
		const int err = mkdir(path, 0700) != 0 && errno != EEXIST ? errno : 0;
		struct stat st;
		const int bad = err ? err : stat(path, &st) != 0 ? errno : !S_ISDIR(st.st_mode) ? ENOTDIR : 0;
		*p = c;
		if (bad)
			return bad;
		if (c == '\0')
			return 0;
	}
}

/* Points STARPU_HOME (when unset) at $TMPDIR/gcnrun-starpu-$UID and STARPU_PERF_MODEL_DIR (when
 * unset) under STARPU_HOME: StarPU 1.3 prefers XDG_CACHE_HOME over STARPU_HOME for its files,
 * so the explicit perf-model folder is what really keeps $HOME clean. The perf-model folder is
 * created here: StarPU aborts the process when it cannot create it. */
static int settle_starpu_home(void)
{
	char path[4096];
	const char *home = getenv("STARPU_HOME");
	if (!home || !*home) {
		const char *tmp = getenv("TMPDIR");
		if (!tmp || !*tmp)
			tmp = "/tmp";
		snprintf(path, sizeof path, "%s/gcnrun-starpu-%ld", tmp, (long)getuid());
		if (mkdir(path, 0700) != 0 && errno != EEXIST)
			return gcn_fail("cannot create the StarPU home %s: %s", path, strerror(errno));
		if (setenv("STARPU_HOME", path, 1) != 0)
			return gcn_fail("cannot set STARPU_HOME: %s", strerror(errno));
		home = getenv("STARPU_HOME");
	}
	const char *pm = getenv("STARPU_PERF_MODEL_DIR");
	if (!pm || !*pm) {
		snprintf(path, sizeof path, "%s/.starpu/sampling", home);
		if (setenv("STARPU_PERF_MODEL_DIR", path, 1) != 0)
			return gcn_fail("cannot set STARPU_PERF_MODEL_DIR: %s", strerror(errno));
		pm = getenv("STARPU_PERF_MODEL_DIR");
	}
	snprintf(path, sizeof path, "%s", pm);
	const int err = make_path(path);
	if (err)
		return gcn_fail("StarPU cannot keep its files in %s: %s; point STARPU_HOME (or "
				"STARPU_PERF_MODEL_DIR) at a writable folder", pm, strerror(err));
	return GCN_OK;
}

int rdd_context_create(struct rdd_context **out, const struct rdd_context_opts *opts)
{
	struct rdd_context *ctx = NULL;
	int status = GCN_ERR, started = 0, sched_set = 0;
	char *saved_sched = NULL;
	*out = NULL;

	int n = opts->workers;
	if (n < 1 || n > STARPU_MAXCPUS) {
		gcn_fail("local[%d]: workers must be between 1 and %d, the CPU-worker cap of this StarPU "
			 "build (STARPU_MAXCPUS); for more, rebuild StarPU with a larger "
			 "--enable-maxcpus in tools/setup.sh", n, STARPU_MAXCPUS);
		goto cleanup;
	}
	if (live_context) {
		gcn_fail("a StarPU context is already running in this process");
		goto cleanup;
	}
	const char *sched = opts->sched;
	if (sched && *sched) {
		if (!sched_known(sched)) {
			gcn_fail("unknown StarPU scheduler '%s' (try lws, ws, eager, prio, dmda)", sched);
			goto cleanup;
		}
		/* StarPU 1.3 lets STARPU_SCHED override conf.sched_policy_name: set it for
		 * starpu_init only, restored below so a later context is not affected */
		const char *env = getenv("STARPU_SCHED");
		if (env && !(saved_sched = strdup(env))) {
			gcn_fail("out of memory");
			goto cleanup;
		}
		if (setenv("STARPU_SCHED", sched, 1) != 0) {
			gcn_fail("cannot set STARPU_SCHED: %s", strerror(errno));
			goto cleanup;
		}
		sched_set = 1;
	} else {
		const char *env = getenv("STARPU_SCHED");
		if (env && *env && !sched_known(env)) {
			gcn_fail("STARPU_SCHED='%s' is not a StarPU scheduler", env);
			goto cleanup;
		}
		sched = env && *env ? env : RDD_DEFAULT_SCHED;
	}

	ctx = calloc(1, sizeof *ctx);
	if (!ctx) {
		gcn_fail("out of memory");
		goto cleanup;
	}
	ctx->cores = rdd_core_count();

	if (settle_starpu_home() != GCN_OK)
		goto cleanup;
	/* under mpirun, MPI first: the ranks sharing this machine split its cores */
	ctx->distributed = opts->distributed;
	ctx->ranks = ctx->local_ranks = 1;
	if (ctx->distributed && rdd_dist_mpi_init(ctx) != GCN_OK)
		goto cleanup;
	const int host_workers = n * ctx->local_ranks; /* this machine's workers, all ranks */
	const int first_core = n * ctx->local_rank;    /* this rank's share starts here */
	if (opts->trace_dir) {
		if (rdd_trace_prepare(opts->trace_dir, opts->distributed) != GCN_OK)
			goto cleanup;
		ctx->trace_dir = strdup(opts->trace_dir);
		if (!ctx->trace_dir) {
			gcn_fail("out of memory");
			goto cleanup;
		}
	} else if (setenv("STARPU_FXT_TRACE", "0", 1) != 0) {
		gcn_fail("cannot set STARPU_FXT_TRACE: %s", strerror(errno));
		goto cleanup;
	}

	/* Binding: AUTO binds one worker per core up to the core count and leaves an
	 * oversubscribed context (N > cores) unbound for the OS to balance. Bound beyond the
	 * cores, StarPU binds round-robin, N/cores workers per core, and a stage whose tasks
	 * land on workers of one core runs on that core alone. Measured on the GCN (reddit-synth,
	 * 2-core Xeon VM, epoch ms, lws, blocking drivers): local[2] P=2 bound 642 / unbound 725;
	 * local[16] P=16 bound 787 / unbound 761; local[16] P=2 bound 1013 / unbound 649. (The
	 * synthetic rdd_probe, 32 tasks of 1M flops, favoured binding at local[16]: its tasks
	 * are too short for the OS to balance; the GCN's are 5-50 ms.) An explicit
	 * STARPU_WORKERS_NOBIND from the user still wins under AUTO. */
	int nobind;
	if (opts->bind == RDD_BIND_CORES)
		nobind = 0;
	else if (opts->bind == RDD_BIND_NONE)
		nobind = 1;
	else if (user_nobind() >= 0)
		nobind = user_nobind();
	else
		nobind = host_workers > ctx->cores;
	if (setenv("STARPU_WORKERS_NOBIND", nobind ? "1" : "0", 1) != 0) {
		gcn_fail("cannot set STARPU_WORKERS_NOBIND: %s", strerror(errno));
		goto cleanup;
	}
	ctx->bound = !nobind;

	if (host_workers > ctx->cores && !opts->quiet)
		fprintf(stderr, "note: %d workers on %d cores: up to %d workers share each core%s\n",
			host_workers, ctx->cores, (host_workers + ctx->cores - 1) / ctx->cores,
			nobind ? " (unbound, the OS balances them)" : "");
	/* StarPU's own start-up chatter (the FxT build warning on every start, the bus
	 * calibration lines on a fresh STARPU_HOME, double-binding warnings when N > cores) is
	 * off unless the user set STARPU_SILENT: this layer reports what matters itself. */
	if (!getenv("STARPU_SILENT") && setenv("STARPU_SILENT", "1", 1) != 0) {
		gcn_fail("cannot set STARPU_SILENT: %s", strerror(errno));
		goto cleanup;
	}

	struct starpu_conf conf;
	int ret = starpu_conf_init(&conf);
	if (ret != 0) {
		gcn_fail("starpu_conf_init failed: %s", strerror(-ret));
		goto cleanup;
	}
	conf.precedence_over_environment_variables = 1;
	conf.ncpus = n;
	conf.reserve_ncpus = 0;
	conf.ncuda = 0;
	conf.nopencl = 0;
	conf.nmic = 0;
	conf.nmpi_ms = 0;
	conf.sched_policy_name = sched;
	conf.bus_calibrate = 0;
	/* Bound workers take the highest cores first: core 0, where the main thread, the
	 * kernel's housekeeping and most other processes land by default, gets a worker only
	 * when every core has one. Measured at local[1] on reddit-synth (2-core VM, three
	 * interleaved triples, epoch s): worker on core 0 1.202 / 1.259 / 1.234, on core 1
	 * 1.188 / 1.214 / 1.171, sequential 1.239 / 1.230 / 1.178. Only without SMT, where
	 * StarPU's bind ids and hwloc's cores are the same numbers; a STARPU_WORKERS_CPUID of
	 * the user's wins.
	 * Ranks sharing a machine take consecutive shares of its cores, highest first; left to
	 * StarPU, every rank would bind its workers to the same cores (measured: mpirun -np 2
	 * --workers 1 on 2 cores ran its compute tasks at half speed, both workers on core 1).
	 * StarPU-MPI's progress thread is left unbound for the same reason (it sleeps when no
	 * message is pending). */
	if (!nobind && (n < ctx->cores || ctx->distributed) && host_workers <= ctx->cores &&
	    hwloc_count(HWLOC_OBJ_PU) == ctx->cores && !getenv("STARPU_WORKERS_CPUID")) {
		conf.use_explicit_workers_bindid = 1;
		for (int i = 0; i < n; i++)
			conf.workers_bindid[i] = (unsigned)(ctx->cores - 1 - first_core - i);
	}
	if (ctx->distributed) {
		if (rdd_dist_start(ctx, &conf) != GCN_OK)
			goto cleanup;
	} else if ((ret = starpu_init(&conf)) != 0) {
		gcn_fail("starpu_init failed: %s", ret == -ENODEV ? "no CPU worker could start"
								: strerror(-ret));
		goto cleanup;
	}
	started = 1;
	live_context = ctx;

	ctx->workers = (int)starpu_cpu_worker_get_count();
	if (ctx->workers != n || (int)starpu_worker_get_count() != n) {
		gcn_fail("StarPU started %d CPU workers (%u in all) instead of %d", ctx->workers,
			 starpu_worker_get_count(), n);
		goto cleanup;
	}
	struct starpu_sched_policy *pol = starpu_sched_ctx_get_sched_policy(0) /* the global context */;
	snprintf(ctx->sched, sizeof ctx->sched, "%s", pol && pol->policy_name ? pol->policy_name : sched);

	ret = starpu_profiling_status_set(STARPU_PROFILING_ENABLE);
	if (ret < 0) {
		gcn_fail("starpu_profiling_status_set failed: %s", strerror(-ret));
		goto cleanup;
	}
	ctx->wc = aligned_alloc(64, (size_t)(n + 1) * sizeof *ctx->wc);
	if (!ctx->wc) {
		gcn_fail("out of memory");
		goto cleanup;
	}
	memset(ctx->wc, 0, (size_t)(n + 1) * sizeof *ctx->wc);
	atomic_flag_clear(&ctx->other_lock);
	for (int c = 0; c < RDD_NCATEGORIES; c++) {
		ctx->tags[c].ctx = ctx;
		ctx->tags[c].cat = c;
	}
	*out = ctx;
	status = GCN_OK;

cleanup:
	if (sched_set) {
		if (saved_sched)
			setenv("STARPU_SCHED", saved_sched, 1);
		else
			unsetenv("STARPU_SCHED");
	}
	free(saved_sched);
	if (status != GCN_OK && ctx) {
		if (started) {
			if (ctx->distributed)
				rdd_dist_stop(ctx, NULL, NULL);
			else
				starpu_shutdown();
			live_context = NULL;
		}
		free(ctx->wc);
		free(ctx->trace_dir);
		free(ctx);
	}
	return status;
}

int rdd_context_destroy(struct rdd_context *ctx)
{
	int status = GCN_OK;
	if (!ctx)
		return GCN_OK;
	if (rdd_wait_all(ctx) != GCN_OK)
		status = GCN_ERR;
	if (ctx->live_rdds != 0 && status == GCN_OK)
		status = gcn_fail("%d rdd(s) still registered at shutdown", ctx->live_rdds);
	int converted;
	if (ctx->distributed) {
		converted = rdd_dist_stop(ctx, ctx->trace_dir, rdd_trace_convert);
	} else {
		starpu_shutdown();
		converted = ctx->trace_dir ? rdd_trace_convert(ctx->trace_dir, 1) : GCN_OK;
	}
	live_context = NULL;
	rdd_ops_free(ctx);
	if (converted != GCN_OK && status == GCN_OK)
		status = GCN_ERR;
	free(ctx->wc);
	free(ctx->trace_dir);
	free(ctx);
	return status;
}

int rdd_context_workers(const struct rdd_context *ctx)
{
	return ctx->workers;
}

const char *rdd_context_sched(const struct rdd_context *ctx)
{
	return ctx->sched;
}

int rdd_context_bound(const struct rdd_context *ctx)
{
	return ctx->bound;
}

int rdd_context_rank(const struct rdd_context *ctx)
{
	return ctx->rank;
}

int rdd_context_ranks(const struct rdd_context *ctx)
{
	return ctx->ranks;
}

int rdd_context_part_rank(const struct rdd_context *ctx, int p, int nparts)
{
	return nparts > 0 ? (int)((int64_t)p * ctx->ranks / nparts) : 0;
}

int rdd_context_combine(struct rdd_context *ctx, double *v, int n, enum rdd_combine op)
{
	return ctx->distributed ? rdd_dist_allreduce(ctx, v, n, (int)op) : GCN_OK;
}

int rdd_context_allgather(struct rdd_context *ctx, const double *mine, int n, double *all)
{
	if (ctx->distributed)
		return rdd_dist_allgather(ctx, mine, n, all);
	memcpy(all, mine, (size_t)n * sizeof *all);
	return GCN_OK;
}

int rdd_mpi_built(void)
{
	return rdd_dist_built();
}

const char *rdd_context_trace_dir(const struct rdd_context *ctx)
{
	return ctx->trace_dir;
}
