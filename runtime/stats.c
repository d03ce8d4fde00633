/* stats.c: per-task accounting in completion callbacks and per-window aggregation.
 *
 * The callback runs on the worker that executed the task (StarPU 1.3 terminates a job on its
 * worker), so each worker owns one padded counter slot and writes it without locks; a callback
 * seen off a worker thread (not expected) uses the last slot under a spin flag. Windows read
 * the counters only after starpu_task_wait_for_all, when no callback is running. */
#include <errno.h>
#include <string.h>

#include "base/error.h"
#include "runtime/dist.h"
#include "runtime/internal.h"

static double ts_seconds(const struct timespec *t)
{
	return (double)t->tv_sec + 1e-9 * (double)t->tv_nsec;
}

void rdd_task_done(void *arg)
{
	const struct rdd_cat_tag *tag = arg;
	struct starpu_task *task = starpu_task_get_current();
	double dt = 0.0;
	if (task && task->profiling_info) {
		const struct starpu_profiling_task_info *pi = task->profiling_info;
		dt = ts_seconds(&pi->end_time) - ts_seconds(&pi->start_time);
		if (dt < 0.0)
			dt = 0.0;
	}
	struct rdd_context *ctx = tag->ctx;
	int w = starpu_worker_get_id();
	if (w >= 0 && w < ctx->workers) {
		ctx->wc[w].seconds[tag->cat] += dt;
		ctx->wc[w].tasks[tag->cat]++;
	} else {
		while (atomic_flag_test_and_set_explicit(&ctx->other_lock, memory_order_acquire))
			;
		ctx->wc[ctx->workers].seconds[tag->cat] += dt;
		ctx->wc[ctx->workers].tasks[tag->cat]++;
		atomic_flag_clear_explicit(&ctx->other_lock, memory_order_release);
	}
}

void rdd_counters_read(const struct rdd_context *ctx, struct rdd_counters *c)
{
	memset(c, 0, sizeof *c);
	for (int w = 0; w <= ctx->workers; w++)
		for (int k = 0; k < RDD_NCATEGORIES; k++) {
			c->seconds[k] += ctx->wc[w].seconds[k];
			c->done[k] += ctx->wc[w].tasks[k];
		}
	c->submitted = ctx->submitted;
	c->shuffle_bytes = ctx->shuffle_bytes;
	if (ctx->distributed)
		rdd_dist_counters(&c->net_sent, &c->net_recv, &c->net_s);
}

/* StarPU's bytes moved between memory nodes since the previous call (resets the counters). */
static uint64_t bus_bytes(void)
{
	uint64_t total = 0;
	int nbus = starpu_bus_get_count();
	for (int b = 0; b < nbus; b++) {
		struct starpu_profiling_bus_info info;
		if (starpu_bus_get_profiling_info(b, &info) == 0 && info.transferred_bytes > 0)
			total += (uint64_t)info.transferred_bytes;
	}
	return total;
}

int rdd_stats_begin(struct rdd_context *ctx)
{
	if (ctx->window_open)
		return gcn_fail("rdd_stats_begin: a stats window is already open");
	if (rdd_wait_all(ctx) != GCN_OK)
		return GCN_ERR;
	int ret;
	/* the window's wall time brackets every worker's profiling interval: it starts before
	 * the first reset and ends after the last read, so worker_s <= workers x wall_s */
	ctx->window_t0 = rdd_now();
	for (int w = 0; w < ctx->workers; w++) {
		ret = starpu_profiling_worker_get_info(w, NULL);
		if (ret != 0)
			return gcn_fail("starpu_profiling_worker_get_info(%d) failed: %s", w,
					strerror(-ret));
	}
	(void)bus_bytes();
	rdd_counters_read(ctx, &ctx->window_start);
	ctx->window_open = 1;
	return GCN_OK;
}

int rdd_stats_end(struct rdd_context *ctx, struct rdd_stats *out)
{
	if (!ctx->window_open)
		return gcn_fail("rdd_stats_end: no stats window is open");
	if (rdd_wait_all(ctx) != GCN_OK)
		return GCN_ERR;
	int ret;
	struct rdd_stats s;
	memset(&s, 0, sizeof s);
	for (int w = 0; w < ctx->workers; w++) {
		struct starpu_profiling_worker_info info;
		ret = starpu_profiling_worker_get_info(w, &info);
		if (ret != 0)
			return gcn_fail("starpu_profiling_worker_get_info(%d) failed: %s", w,
					strerror(-ret));
		s.worker_s += ts_seconds(&info.total_time);
		s.sleeping_s += ts_seconds(&info.sleeping_time);
	}
	s.wall_s = rdd_now() - ctx->window_t0;
	s.transferred_bytes = bus_bytes();
	struct rdd_counters now;
	rdd_counters_read(ctx, &now);
	const struct rdd_counters *b = &ctx->window_start;
	s.compute_s = now.seconds[RDD_COMPUTE] - b->seconds[RDD_COMPUTE];
	s.shuffle_s = now.seconds[RDD_SHUFFLE] - b->seconds[RDD_SHUFFLE];
	s.reduce_s = now.seconds[RDD_REDUCE] - b->seconds[RDD_REDUCE];
	s.communication_s = s.shuffle_s + s.reduce_s;
	s.overhead_s = s.worker_s - s.compute_s - s.communication_s;
	for (int k = 0; k < RDD_NCATEGORIES; k++) {
		s.tasks_by_cat[k] = now.done[k] - b->done[k];
		s.tasks_done += s.tasks_by_cat[k];
	}
	s.tasks = now.submitted - b->submitted;
	s.shuffle_bytes = now.shuffle_bytes - b->shuffle_bytes;
	s.net_sent_bytes = now.net_sent - b->net_sent;
	s.net_recv_bytes = now.net_recv - b->net_recv;
	s.net_s = now.net_s - b->net_s;
	s.mean_task_s = s.tasks_done ? (s.compute_s + s.communication_s) / (double)s.tasks_done : 0.0;
	ctx->window_open = 0;
	rdd_stats_add(&ctx->total, &s);
	if (out)
		*out = s;
	return GCN_OK;
}

void rdd_stats_total(const struct rdd_context *ctx, struct rdd_stats *out)
{
	*out = ctx->total;
}

void rdd_stats_add(struct rdd_stats *a, const struct rdd_stats *b)
{
	a->wall_s += b->wall_s;
	a->worker_s += b->worker_s;
	a->compute_s += b->compute_s;
	a->shuffle_s += b->shuffle_s;
	a->reduce_s += b->reduce_s;
	a->communication_s += b->communication_s;
	a->overhead_s += b->overhead_s;
	a->sleeping_s += b->sleeping_s;
	a->tasks += b->tasks;
	a->tasks_done += b->tasks_done;
	for (int k = 0; k < RDD_NCATEGORIES; k++)
		a->tasks_by_cat[k] += b->tasks_by_cat[k];
	a->shuffle_bytes += b->shuffle_bytes;
	a->transferred_bytes += b->transferred_bytes;
	a->net_sent_bytes += b->net_sent_bytes;
	a->net_recv_bytes += b->net_recv_bytes;
	a->net_s += b->net_s;
	a->mean_task_s = a->tasks_done ? (a->compute_s + a->communication_s) / (double)a->tasks_done
				       : 0.0;
}
