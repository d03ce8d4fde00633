/* rdd_probe.c: measures the RDD runtime's per-task costs under a scheduler / binding choice.
 *
 * Three probes, each timed over a stats window:
 *   chain  : T dependent tasks on one handle (each read-writes it): every task waits for the
 *            previous one to finish, so the time per task is submission + wake-up latency +
 *            scheduling; the worker that runs it has usually gone to sleep (blocking drivers).
 *   fan    : T independent tiny tasks over P partitions (map-like): throughput of the
 *            runtime when it is the bottleneck.
 *   work   : P tasks per round x R rounds of W microseconds of arithmetic each, a round waiting
 *            for the previous one through a one-block reduce-like dependency: how much of the
 *            ideal N-fold speed-up the runtime keeps, and the overhead share it reports.
 * Usage: rdd_probe [--workers N] [--sched S] [--bind auto|cores|none] [--tasks T]
 *                  [--work-us W | --iters I] [--parts P] [--rounds R] [--trace DIR]
 * (--iters/--parts/--rounds fix the work so runs with different N compare by wall time)
 * Prints one line per probe; the decisions in context.h / context.c quote its output. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/error.h"
#include "runtime/context.h"
#include "runtime/rdd.h"
#include "runtime/stats.h"
#include "runtime/trace.h"

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* buf[0] (1, 1) f32 += 1. */
static void bump_cpu(const struct rdd_buf *buf, int nbuf, const void *arg)
{
	(void)nbuf;
	(void)arg;
	*(float *)buf[0].ptr += 1.0f;
}

/* Fixed arithmetic: *(const long *)arg iterations, result into buf[0] (so that a busy machine
 * shows up as longer tasks, not as fewer iterations). */
static void spin_cpu(const struct rdd_buf *buf, int nbuf, const void *arg)
{
	(void)nbuf;
	long iters = *(const long *)arg;
	float acc = *(float *)buf[0].ptr;
	for (long i = 0; i < iters; i++)
		acc = acc * 0.999f + 1.0f;
	*(float *)buf[0].ptr = acc;
}

/* Join: buf[0] += every other buffer's first element. */
static void join_cpu(const struct rdd_buf *buf, int nbuf, const void *arg)
{
	(void)arg;
	float s = 0.0f;
	for (int i = 1; i < nbuf; i++)
		s += *(const float *)buf[i].ptr;
	*(float *)buf[0].ptr += 1e-9f * s;
}

/* Iterations of spin_cpu's loop that take about us microseconds on this machine. */
static long calibrate(double us)
{
	long iters = 1000;
	for (;;) {
		float x = 0.0f;
		struct rdd_buf b = { &x, 1, 1, 1, 1 };
		double t0 = now_s();
		spin_cpu(&b, 1, &iters);
		double dt = now_s() - t0;
		volatile float sink = x; /* keeps the loop from being optimized away */
		(void)sink;
		if (dt > 0.02)
			return (long)((double)iters * us * 1e-6 / dt) + 1;
		iters *= 2;
	}
}

static const struct rdd_op cl_bump = RDD_OP(bump, RDD_COMPUTE);
static const struct rdd_op cl_spin = RDD_OP(spin, RDD_COMPUTE);
static const struct rdd_op cl_join = RDD_OP(join, RDD_REDUCE);

static void report(const char *probe, const struct rdd_stats *s, size_t ntasks)
{
	printf("%-6s tasks %6zu  wall %8.4f s  per-task %7.2f us  compute %5.1f%%  "
	       "overhead %5.1f%% (sleep %5.1f%%)\n",
	       probe, ntasks, s->wall_s, 1e6 * s->wall_s / (double)ntasks,
	       100.0 * s->compute_s / s->worker_s, 100.0 * s->overhead_s / s->worker_s,
	       100.0 * s->sleeping_s / s->worker_s);
}

int main(int argc, char **argv)
{
	struct rdd_context_opts o;
	struct rdd_context *ctx = NULL;
	struct rdd *one = NULL, *parts = NULL;
	size_t ntasks = 20000;
	double work_us = 1000.0;
	long fixed_iters = 0, fixed_rounds = 0;
	int fixed_parts = 0;
	int rc = 1;
	rdd_context_opts_init(&o);
	o.workers = 2;
	for (int i = 1; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "--workers"))
			o.workers = atoi(argv[i + 1]);
		else if (!strcmp(argv[i], "--sched"))
			o.sched = argv[i + 1];
		else if (!strcmp(argv[i], "--tasks"))
			ntasks = (size_t)atol(argv[i + 1]);
		else if (!strcmp(argv[i], "--work-us"))
			work_us = atof(argv[i + 1]);
		else if (!strcmp(argv[i], "--iters"))
			fixed_iters = atol(argv[i + 1]);
		else if (!strcmp(argv[i], "--rounds"))
			fixed_rounds = atol(argv[i + 1]);
		else if (!strcmp(argv[i], "--parts"))
			fixed_parts = atoi(argv[i + 1]);
		else if (!strcmp(argv[i], "--trace"))
			o.trace_dir = argv[i + 1];
		else if (!strcmp(argv[i], "--bind"))
			o.bind = !strcmp(argv[i + 1], "cores") ? RDD_BIND_CORES
				 : !strcmp(argv[i + 1], "none") ? RDD_BIND_NONE : RDD_BIND_AUTO;
		else {
			fprintf(stderr, "rdd_probe: unknown option %s\n", argv[i]);
			return 2;
		}
	}
	double t0 = now_s();
	if (rdd_context_create(&ctx, &o) != GCN_OK)
		goto cleanup;
	double t_init = now_s() - t0;
	int n = rdd_context_workers(ctx), np = fixed_parts > 0 ? fixed_parts : 4 * n;
	printf("local[%d] sched %s bound %d cores %d starpu %s init %.3f s\n", n,
	       rdd_context_sched(ctx), rdd_context_bound(ctx), rdd_core_count(),
	       rdd_starpu_version(), t_init);
	size_t *ones = malloc((size_t)np * sizeof *ones);
	if (!ones)
		goto cleanup;
	for (int p = 0; p < np; p++)
		ones[p] = 1;
	int ok = rdd_broadcast_create(ctx, &one, "one", RDD_F32, 1, 1) == GCN_OK &&
		 rdd_create(ctx, &parts, "parts", RDD_F32, np, ones, 1, NULL) == GCN_OK;
	free(ones);
	if (!ok)
		goto cleanup;

	struct rdd_stats s;
	struct rdd_access chain = RDD_INOUT(one, 0);
	if (rdd_stats_begin(ctx) != GCN_OK)
		goto cleanup;
	for (size_t t = 0; t < ntasks; t++)
		if (rdd_task(ctx, &cl_bump, "chain", -1, &chain, 1, NULL, 0) != GCN_OK)
			goto cleanup;
	if (rdd_stats_end(ctx, &s) != GCN_OK)
		goto cleanup;
	report("chain", &s, ntasks);

	struct rdd_access fan = RDD_INOUT(parts, RDD_EACH);
	if (rdd_stats_begin(ctx) != GCN_OK)
		goto cleanup;
	for (size_t t = 0; t < ntasks / (size_t)np; t++)
		if (rdd_map(ctx, &cl_bump, "fan", &fan, 1, NULL, 0, 0) != GCN_OK)
			goto cleanup;
	if (rdd_stats_end(ctx, &s) != GCN_OK)
		goto cleanup;
	report("fan", &s, ntasks / (size_t)np * (size_t)np);

	/* rounds of np tasks of work_us each, joined by one task reading them all (an epoch's
	 * shape in miniature: map, then a reduce that the next map depends on) */
	long iters = fixed_iters > 0 ? fixed_iters : calibrate(work_us);
	size_t rounds = fixed_rounds > 0 ? (size_t)fixed_rounds
					 : (size_t)(1e6 / (work_us > 1 ? work_us : 1) / (double)np * n);
	if (rounds < 5)
		rounds = 5;
	struct rdd_access spin[2] = { RDD_INOUT(parts, RDD_EACH), RDD_IN(one, 0) };
	struct rdd_access join[RDD_MAX_ACCESS];
	int nj = np + 1 < RDD_MAX_ACCESS ? np + 1 : RDD_MAX_ACCESS;
	join[0] = RDD_INOUT(one, 0);
	for (int p = 1; p < nj; p++)
		join[p] = RDD_IN(parts, p - 1);
	if (rdd_stats_begin(ctx) != GCN_OK)
		goto cleanup;
	for (size_t r = 0; r < rounds; r++) {
		if (rdd_map(ctx, &cl_spin, "work", spin, 2, &iters, sizeof iters, 0) != GCN_OK)
			goto cleanup;
		if (rdd_task(ctx, &cl_join, "join", -1, join, nj, NULL, 0) != GCN_OK)
			goto cleanup;
	}
	if (rdd_stats_end(ctx, &s) != GCN_OK)
		goto cleanup;
	report("work", &s, rounds * (size_t)(np + 1));
	double packed = (s.compute_s + s.communication_s) / n;
	printf("work   rounds %zu  task %.0f us (nominal %.0f)  wall / (task time / N) %.3f\n", rounds,
	       1e6 * s.compute_s / (double)(rounds * (size_t)np), work_us, s.wall_s / packed);
	rc = 0;

cleanup:
	if (rc)
		fprintf(stderr, "rdd_probe: %s\n", gcn_last_error());
	rdd_destroy(parts);
	rdd_destroy(one);
	if (rdd_context_destroy(ctx) != GCN_OK) {
		fprintf(stderr, "rdd_probe: %s\n", gcn_last_error());
		rc = 1;
	}
	if (!rc && o.trace_dir)
		printf("trace: %s\n", rdd_trace_vite_command(o.trace_dir));
	return rc;
}
