/* internal.h: private state shared by the runtime/ files (context, rdd, stats, trace).
 *
 * Nothing outside runtime/ includes this header: it is where <starpu.h> meets the RDD layer's
 * own structures. Everything that registers a handle or submits a task lives in rdd.c, so that
 * a StarPU-MPI port (DESIGN §8) changes rdd.c and the context start-up, nothing else. */
#ifndef RDD_INTERNAL_H
#define RDD_INTERNAL_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include <starpu.h>

#include "runtime/context.h"
#include "runtime/rdd.h"
#include "runtime/stats.h"

#define RDD_MAX_OPS 128      /* distinct rdd_op codelets one context can hold */
#define RDD_NAME_BUCKETS 4096 /* interned task-name hash table size */

/* Per-worker task counters, written only by the worker that runs the task's callback. */
struct rdd_worker_counters {
	_Alignas(64) double seconds[RDD_NCATEGORIES]; /* Σ (end - start) of the tasks this worker
							 ran; 64-byte alignment keeps
							 neighbouring workers off one line */
	uint64_t tasks[RDD_NCATEGORIES];              /* tasks this worker ran, by category */
};

/* Counters of one stats window or of the whole run, as the stats module aggregates them. */
struct rdd_counters {
	double seconds[RDD_NCATEGORIES]; /* task seconds by category */
	uint64_t done[RDD_NCATEGORIES];  /* tasks executed by category */
	uint64_t submitted;              /* tasks submitted */
	uint64_t shuffle_bytes;          /* bytes copied by shuffle tasks (packs and gathers) */
	uint64_t net_sent, net_recv;     /* StarPU-MPI data bytes sent and received (dist.h) */
	double net_s;                    /* seconds with MPI data messages in flight */
};

/* One rdd_op bound to its StarPU codelet in this context. */
struct rdd_op_slot {
	const struct rdd_op *op;  /* the GCN layer's (or runtime's) operation */
	struct starpu_codelet cl; /* its codelet: variable buffer count, trampoline cpu func */
};

/* An interned task name (names repeat every epoch, so the table stays small). */
struct rdd_name {
	struct rdd_name *next; /* bucket chain */
	uint64_t hash;         /* FNV-1a of text */
	char text[];           /* NUL-terminated name */
};

/* A task category's callback tag: the callback argument of every task of that category. */
struct rdd_cat_tag {
	struct rdd_context *ctx; /* owning context */
	int cat;                 /* enum rdd_category */
};

struct rdd_context {
	int workers;                           /* CPU workers actually running */
	int cores;                             /* hwloc core count of this machine */
	char sched[64];                        /* scheduler policy actually running */
	char *trace_dir;                       /* FxT trace folder, or NULL */
	int bound;                             /* 1: workers bound to cores, 0: left to the OS */
	struct rdd_op_slot *ops[RDD_MAX_OPS];  /* codelets created on first use of an op */
	int nops;                              /* used entries of ops */
	struct rdd_name *names[RDD_NAME_BUCKETS]; /* interned task names */
	struct rdd_cat_tag tags[RDD_NCATEGORIES]; /* callback arguments */
	struct rdd_worker_counters *wc;        /* per-worker counters, workers + 1 (last: non-worker) */
	atomic_flag other_lock;                /* guards wc[workers] (callbacks off a worker thread) */
	uint64_t submitted;                    /* tasks submitted (submission is single-threaded) */
	uint64_t shuffle_bytes;                /* bytes copied by submitted shuffle tasks */
	struct rdd_counters window_start;      /* counters when the open stats window began */
	double window_t0;                      /* wall clock at window start (s) */
	int window_open;                       /* 1 between rdd_stats_begin and rdd_stats_end */
	struct rdd_stats total;                /* sum of all closed windows */
	int live_rdds;                         /* registered rdds not yet destroyed */
	int distributed;                       /* 1: one rank of a StarPU-MPI job (dist.h) */
	int rank, ranks;                       /* this process's rank and the job's ranks */
	int local_rank, local_ranks;           /* the same among the ranks on this machine */
	int64_t next_tag;                      /* StarPU-MPI tag of the next registered handle */
};

/* One partition's handles. A block with halos is one allocation laid out as
 * [local rows | rows received from q0 | from q1 | ...], each slice its own handle. */
struct rdd_part {
	void *data;                     /* the partition's buffer (runtime-allocated) */
	size_t rows;                    /* local rows */
	size_t halo_rows;               /* rows received from other partitions */
	starpu_data_handle_t local;     /* handle over the local rows */
	starpu_data_handle_t *halo;     /* [nparts] handle of the slice from q, NULL when empty */
	int owner;                      /* rank owning this partition (rdd_context_part_rank) */
};

struct rdd {
	struct rdd_context *ctx;                /* context the handles are registered in */
	char name[48];                          /* for messages */
	enum rdd_elem elem;                     /* element type */
	enum rdd_kind kind;                     /* StarPU interface used for the blocks */
	size_t elem_size;                       /* bytes per element */
	size_t cols;                            /* columns (elements per row) */
	int nparts;                             /* partitions */
	int broadcast;                          /* 1: a single block read by every partition */
	void *block;                            /* gathered rdd: the one allocation holding every
						   partition back to back (NULL otherwise) */
	const struct rdd_shuffle_plan *plan;    /* halo layout (NULL: no halos) */
	struct rdd_part *part;                  /* [nparts] */
};

struct rdd_shuffle_plan {
	int nparts;        /* P */
	size_t *count;     /* [p * P + q] rows p receives from q */
	size_t *offset;    /* [p * P + q] first row of q's slice in p's halo (after local rows) */
	int32_t **rows;    /* [p * P + q] q-local row ids, count entries (NULL when 0) */
	size_t *halo_rows; /* [p] Σ_q count */
	size_t total_rows; /* Σ_p halo_rows */
	void *pack;        /* [p * P + q] pack-task arguments (rdd.c's struct pack_arg) */
};

/* Wall clock in seconds (CLOCK_MONOTONIC). */
double rdd_now(void);

/* Task-completion callback: adds the task's run time to its worker's counters. */
void rdd_task_done(void *tag);

/* Interns name with every blank, control byte, quote and '%' replaced by '_' (the bytes a Paje
 * trace cannot carry in a name, see rdd.c), returning a pointer that lives until the context
 * is destroyed (NULL on OOM). */
const char *rdd_intern_name(struct rdd_context *ctx, const char *name);

/* Current counters summed over workers plus the submission-side ones. */
void rdd_counters_read(const struct rdd_context *ctx, struct rdd_counters *c);

/* Context hooks of trace.c: set the FxT environment before starpu_init / convert after
 * starpu_shutdown. */
int rdd_trace_prepare(const char *dir, int distributed);
int rdd_trace_convert(const char *dir, int ranks); /* merges ranks raw files, one per rank */

/* Adds to the Paje trace at path a container declaration for every thread it uses without
 * one (paje_fix.c); GCN_ERR with a message when it cannot read or rewrite the file. */
int rdd_paje_declare_threads(const char *path);

/* Context hooks of rdd.c: frees the codelets and interned names. */
void rdd_ops_free(struct rdd_context *ctx);

#endif
