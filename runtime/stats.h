/* stats.h: compute-versus-communication accounting from StarPU's profiling (DESIGN §5).
 *
 * Every task's (end - start) from task->profiling_info is added, in its completion callback,
 * to per-worker counters by category (no lock: one writer per worker). A window
 * (rdd_stats_begin .. rdd_stats_end, e.g. one epoch) waits for the DAG at both ends and reads
 * StarPU's per-worker profiling for the window, so
 *   worker_s = compute_s + communication_s + overhead_s   exactly,
 * where overhead_s is worker time spent in no task: scheduling, data management and idle
 * (sleeping) time. On a CPU-only machine StarPU moves no data between memory nodes:
 * transferred_bytes is StarPU's own bus count and is 0 there; shuffle_bytes counts the rows
 * the shuffle tasks (packs and gathers) copy (rows x cols x element size). */
#ifndef RDD_STATS_H
#define RDD_STATS_H

#include <stdint.h>

struct rdd_context;

struct rdd_stats {
	double wall_s;             /* window wall time */
	double worker_s;           /* Σ over workers of their time in the window (≈ N x wall_s) */
	double compute_s;          /* Σ (end - start) of compute tasks */
	double shuffle_s;          /* Σ (end - start) of shuffle (pack) tasks */
	double reduce_s;           /* Σ (end - start) of reduce tasks */
	double communication_s;    /* shuffle_s + reduce_s */
	double overhead_s;         /* worker_s - compute_s - communication_s */
	double sleeping_s;         /* part of the overhead StarPU saw workers asleep */
	uint64_t tasks;            /* tasks submitted in the window */
	uint64_t tasks_done;       /* tasks that ran in the window */
	uint64_t tasks_by_cat[3];  /* tasks that ran, by enum rdd_category */
	double mean_task_s;        /* (compute_s + communication_s) / tasks_done (0 when none) */
	uint64_t shuffle_bytes;    /* bytes copied by shuffle tasks (packs and gathers) */
	uint64_t transferred_bytes; /* StarPU's bytes between memory nodes (0 on CPU-only) */
	uint64_t net_sent_bytes;   /* StarPU-MPI data bytes this rank sent (0 on one process) */
	uint64_t net_recv_bytes;   /* StarPU-MPI data bytes this rank received */
	double net_s;              /* seconds with at least one of those messages in flight */
};

/* Opens a window: waits for every submitted task, then resets StarPU's worker profiling and
 * snapshots the counters. Error: a window already open, a StarPU failure. */
int rdd_stats_begin(struct rdd_context *ctx);

/* Closes the window: waits for every submitted task, fills *out (may be NULL) with the window's
 * figures and adds them to the run total. Error: no window open, a StarPU failure. */
int rdd_stats_end(struct rdd_context *ctx, struct rdd_stats *out);

/* The sum of all closed windows (tasks outside windows are not counted). */
void rdd_stats_total(const struct rdd_context *ctx, struct rdd_stats *out);

/* Adds b into a field by field (mean_task_s recomputed). */
void rdd_stats_add(struct rdd_stats *a, const struct rdd_stats *b);

#endif
