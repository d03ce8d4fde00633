/* context.h: the RDD layer's SparkContext with master local[N].
 *
 * rdd_context_create starts StarPU with exactly N CPU worker threads (no CUDA, no OpenCL),
 * task profiling on, a chosen scheduler, and optionally an FxT trace. One context may exist per
 * process at a time (StarPU is a process-wide singleton). Before starpu_init it points
 * STARPU_HOME (when unset) at $TMPDIR/gcnrun-starpu-$UID so StarPU's bus and performance-model
 * files never land in the user's home, and it switches FxT recording off unless a trace folder
 * was asked for. Errors return GCN_ERR with a message (base/error.h); nothing aborts. */
#ifndef RDD_CONTEXT_H
#define RDD_CONTEXT_H

struct rdd_context;

/* Worker binding. AUTO: STARPU_WORKERS_NOBIND when the user set it, else one worker bound
 * per core when N <= cores and unbound when N > cores, where round-robin binding can put a
 * whole stage on one core (context.c quotes the GCN figures). */
enum rdd_bind { RDD_BIND_AUTO = 0, RDD_BIND_CORES = 1, RDD_BIND_NONE = 2 };

/* The scheduler used when none is asked for. eager: one central queue that wakes one idle
 * worker per ready task. lws/ws, StarPU's default, wake every worker on every push with the
 * blocking drivers of this build (work_stealing_policy.c, "TODO: fine-grain signaling"), which
 * oversubscription (local[16] on 2 cores) pays for; at local[2] the two are within noise. */
#define RDD_DEFAULT_SCHED "eager"

struct rdd_context_opts {
	int workers;           /* N of local[N]: CPU worker threads, 1 .. rdd_max_workers() */
	const char *sched;     /* StarPU scheduler name; NULL: RDD_DEFAULT_SCHED */
	const char *trace_dir; /* record an FxT trace, converted into this folder; NULL: no trace */
	enum rdd_bind bind;    /* worker binding policy */
	int quiet;             /* 1: no notice line when workers > cores */
	int distributed;       /* 1: this process is one rank of an mpirun job: start StarPU-MPI
				  (DESIGN §8); every rank creates the same rdds and submits the
				  same DAG */
};

/* Fills opts with the defaults: 1 worker, default scheduler, no trace, AUTO binding. */
void rdd_context_opts_init(struct rdd_context_opts *opts);

/* Starts StarPU as local[opts->workers]. Errors (GCN_ERR, *out = NULL): N < 1 or above
 * rdd_max_workers() (the message names the cap and tools/setup.sh to raise it), unknown
 * scheduler, trace folder not writable, a context already alive, starpu_init failure. When
 * N > cores it prints one notice line to stderr (unless quiet). Free with
 * rdd_context_destroy. */
int rdd_context_create(struct rdd_context **out, const struct rdd_context_opts *opts);

/* Waits for every submitted task, shuts StarPU down and frees ctx (NULL is a no-op). Every
 * rdd must have been destroyed first. When a trace was recorded it is converted with
 * starpu_fxt_tool into the trace folder; GCN_ERR when that conversion fails (ctx is freed
 * anyway), else GCN_OK. */
int rdd_context_destroy(struct rdd_context *ctx);

/* N: the CPU workers StarPU is running. */
int rdd_context_workers(const struct rdd_context *ctx);

/* The scheduler policy StarPU is actually running: opts->sched when given, else STARPU_SCHED
 * from the environment, else RDD_DEFAULT_SCHED. */
const char *rdd_context_sched(const struct rdd_context *ctx);

/* 1 when workers are bound to cores, 0 when left to the OS scheduler. */
int rdd_context_bound(const struct rdd_context *ctx);

/* This process's rank and the job's rank count (0 and 1 unless distributed). */
int rdd_context_rank(const struct rdd_context *ctx);
int rdd_context_ranks(const struct rdd_context *ctx);

/* The rank that owns partition p of nparts: contiguous blocks, p * ranks / nparts, so that
 * P = ranks x N gives rank r the partitions r N .. r N + N - 1 and neighbouring partitions
 * (METIS numbers them close) share a rank. */
int rdd_context_part_rank(const struct rdd_context *ctx, int p, int nparts);

/* Combines n doubles over every rank in place: sum, min or max (nothing on one process). All
 * ranks call it alike. Errors: the MPI collective failed. */
enum rdd_combine { RDD_SUM = 0, RDD_MIN = 1, RDD_MAX = 2 };
int rdd_context_combine(struct rdd_context *ctx, double *v, int n, enum rdd_combine op);

/* Every rank's n doubles, rank by rank, into all (ranks x n). All ranks call it alike. */
int rdd_context_allgather(struct rdd_context *ctx, const double *mine, int n, double *all);

/* 1 when this build can run distributed (StarPU-MPI linked). */
int rdd_mpi_built(void);

/* The trace folder being recorded into, or NULL. */
const char *rdd_context_trace_dir(const struct rdd_context *ctx);

/* The StarPU build's CPU-worker cap (STARPU_MAXCPUS; 64 with tools/setup.sh's build). */
int rdd_max_workers(void);

/* Physical cores of this machine per hwloc (>= 1; 1 when hwloc fails). */
int rdd_core_count(void);

/* "1.3.10": the StarPU version the program runs against. */
const char *rdd_starpu_version(void);

#endif
