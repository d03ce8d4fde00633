/* rdd.h: resilient-distributed-dataset-like partitions over StarPU handles, and the task DAG
 * operations on them (map, shuffle, reduce, actions). Generic: no GCN knowledge here.
 *
 * An rdd is P partitions, each a registered row block (rows_p, cols) of one element type,
 * owned by one rank (0 until StarPU-MPI; DESIGN §8). A broadcast is a one-partition rdd that
 * every partition's task reads (Spark's broadcast variable: the weights). An rdd created with a
 * shuffle plan lays each partition out as one buffer [local rows | halo rows from q0 | from q1
 * ...]; the halo slice q->p is its own handle, written by a pack task that copies the planned
 * rows of q's local block (rdd_shuffle), and a task that reads the partition WITH its halo
 * (RDD_IN_HALO) sees one contiguous (local + halo rows, cols) array. A gathered rdd
 * (rdd_gathered_create) instead keeps its P partitions back to back in one buffer: rdd_gather
 * copies each partition of a source rdd into it (the broadcast alternative to a shuffle:
 * every row copied once, whoever needs it), and a task that reads it with RDD_IN_ALL sees all
 * rows as one (Σ rows, cols) array. Contiguity holds because every handle is registered on
 * main RAM with its home pointer inside that one buffer and this runtime starts CPU workers
 * only, so StarPU never moves or replicates a slice; the task trampoline asserts it on every
 * such task (a GPU port must copy the slices into one buffer instead; under StarPU-MPI a rank
 * receives the slices it does not own into their home place, rdd.c).
 *
 * Operations are codelets without StarPU types: an rdd_op names a CPU function that receives
 * one rdd_buf per access (pointer and shape) and a copy of the task's argument bytes. Only
 * runtime/ includes <starpu.h> and submits tasks. Every task has a category (compute,
 * shuffle, reduce) that the stats module sums and a name used by traces ("L1_fwd_gemm_p3").
 * Names are single words: starpu_fxt_tool 1.3 writes them unquoted into paje.trace, where
 * ViTE splits at blanks, so blanks, control bytes, quotes and '%' in a name become '_'.
 * Submission is asynchronous and single-threaded (call from one thread); actions wait.
 *
 * Pattern for a layer (gcn/train_rdd.c), with the plain kernels of gcn/kernels.h:
 *
 *   struct gemm_arg { size_t d_in, d_out; };
 *   static void gemm_cpu(const struct rdd_buf *b, int nbuf, const void *arg)
 *   {
 *       const struct gemm_arg *a = arg;                    // b[0] = Z_p (out), b[1] = H_p,
 *       (void)nbuf;                                        // b[2] = W (broadcast)
 *       gcn_matmul(b[0].ptr, b[1].ptr, b[2].ptr, b[1].rows, a->d_in, a->d_out);
 *   }
 *   static const struct rdd_op cl_gemm = RDD_OP(gemm, RDD_COMPUTE);
 *
 *   // one forward layer: Z = H W (map), shuffle Z's rows, H' = act(Â Z + b) (map over halos)
 *   struct rdd_access acc[] = { RDD_OUT(z, RDD_EACH), RDD_IN(h, RDD_EACH), RDD_BCAST(w) };
 *   rdd_map(ctx, &cl_gemm, "L1_fwd_gemm", acc, 3, &ga, sizeof ga, 0);
 *   rdd_shuffle(ctx, z, "L1_fwd_shuffle");              // z was created with the plan
 *   struct rdd_access acc2[] = { RDD_OUT(hn, RDD_EACH), RDD_IN_HALO(z, RDD_EACH),
 *                                RDD_IN(csr_rowptr, RDD_EACH), RDD_IN(csr_col, RDD_EACH),
 *                                RDD_BCAST(b) };
 *   rdd_map(ctx, &cl_spmm, "L1_fwd_spmm", acc2, 5, args, sizeof *args, sizeof *args);
 *   ...
 *   rdd_reduce(ctx, dw_parts, dw, "dW_reduce");        // deterministic tree for a fixed P
 *   rdd_stats_end(ctx, &epoch);                         // action: waits for the DAG
 */
#ifndef RDD_RDD_H
#define RDD_RDD_H

#include <stddef.h>
#include <stdint.h>

struct rdd_context;
struct rdd;
struct rdd_shuffle_plan;

/* Element types of a block. */
enum rdd_elem { RDD_F32, RDD_F64, RDD_I32, RDD_I64, RDD_U8 };

/* StarPU interface used for an rdd's blocks (all are row-major row blocks to kernels). */
enum rdd_kind {
	RDD_MATRIX,  /* (rows, cols) matrix handle; halos allowed */
	RDD_VECTOR,  /* (rows, 1) vector handle: per-row arrays, CSR rowptr / col arrays */
	RDD_VARIABLE /* (1, bytes) opaque variable handle: small state (a struct, a counter) */
};

/* Task categories, summed separately by the stats module; shuffle + reduce = communication. */
enum rdd_category { RDD_COMPUTE = 0, RDD_SHUFFLE = 1, RDD_REDUCE = 2, RDD_NCATEGORIES = 3 };

/* Access modes of a task argument. */
enum rdd_mode { RDD_R = 1, RDD_W = 2, RDD_RW = 3 };

/* In rdd_map access templates: "the partition this task runs for". */
#define RDD_EACH (-1)

/* What one access covers: the partition's own rows, those followed by its halo slices, or
 * every partition of a gathered rdd. The last two are read-only. */
enum rdd_span { RDD_SPAN_PART = 0, RDD_SPAN_HALO = 1, RDD_SPAN_ALL = 2 };

/* One task argument: partition part of r (or RDD_EACH in map templates), mode and span. */
struct rdd_access {
	struct rdd *r;      /* the rdd */
	int part;           /* partition index, or RDD_EACH (0 for RDD_SPAN_ALL) */
	enum rdd_mode mode; /* read, write (contents undefined on entry) or read-write */
	enum rdd_span span; /* rows seen, as one contiguous buffer */
};

#define RDD_IN(r, p) ((struct rdd_access){ (r), (p), RDD_R, RDD_SPAN_PART })
#define RDD_IN_HALO(r, p) ((struct rdd_access){ (r), (p), RDD_R, RDD_SPAN_HALO })
#define RDD_IN_ALL(r) ((struct rdd_access){ (r), 0, RDD_R, RDD_SPAN_ALL })
#define RDD_OUT(r, p) ((struct rdd_access){ (r), (p), RDD_W, RDD_SPAN_PART })
#define RDD_INOUT(r, p) ((struct rdd_access){ (r), (p), RDD_RW, RDD_SPAN_PART })
#define RDD_BCAST(r) ((struct rdd_access){ (r), 0, RDD_R, RDD_SPAN_PART })

/* What a kernel sees of one access: a row-major block. */
struct rdd_buf {
	void *ptr;         /* first element */
	size_t rows;       /* rows (local + halo rows for RDD_IN_HALO, all for RDD_IN_ALL) */
	size_t cols;       /* elements per row */
	size_t ld;         /* elements between consecutive rows (== cols for rdd blocks) */
	size_t local_rows; /* rows that are the partition's own (== rows without halo; all
			      rows for RDD_IN_ALL) */
};

/* A CPU implementation: buf[0 .. nbuf-1] in the order of the task's accesses; arg points to a
 * copy of the argument bytes given at submission (NULL when none). Runs on a worker thread. */
typedef void (*rdd_cpu_fn)(const struct rdd_buf *buf, int nbuf, const void *arg);

/* An operation = a codelet cl_<op> with its CPU function <op>_cpu. Define once, statically;
 * the runtime creates the StarPU codelet on first use. */
struct rdd_op {
	const char *name;       /* codelet name (perf models, StarPU statistics) */
	rdd_cpu_fn cpu;         /* CPU implementation */
	enum rdd_category cat;  /* category of its tasks */
};
#define RDD_OP(op, category) { #op, op##_cpu, (category) }

/* Most accesses of one task, and most StarPU buffers (halo slices count one each). */
#define RDD_MAX_ACCESS 16
#define RDD_MAX_BUFFERS 1024

/* ---- rdds -------------------------------------------------------------------------------- */

/* Creates an rdd of nparts row blocks (rows[p], cols) of elem, zero-filled, registered as
 * StarPU matrices (kind RDD_MATRIX). With plan (non-NULL, plan's P == nparts) each partition
 * gets room for its halo rows after its local rows and one handle per non-empty slice; the plan
 * must outlive the rdd. name is for messages. Errors: nparts < 1, cols == 0, a dimension over
 * StarPU's 32-bit limit, out of memory. Free with rdd_destroy. */
int rdd_create(struct rdd_context *ctx, struct rdd **out, const char *name, enum rdd_elem elem,
	       int nparts, const size_t *rows, size_t cols, const struct rdd_shuffle_plan *plan);

/* Creates a gathered rdd: nparts row blocks (rows[p], cols) of elem like rdd_create without
 * a plan, but stored back to back in one allocation, so that a task can read every partition
 * at once (RDD_IN_ALL). rdd_gather fills it. */
int rdd_gathered_create(struct rdd_context *ctx, struct rdd **out, const char *name,
			enum rdd_elem elem, int nparts, const size_t *rows, size_t cols);

/* Creates an rdd of nparts vectors of len[p] elements (kind RDD_VECTOR; kernels see (len, 1)). */
int rdd_vector_create(struct rdd_context *ctx, struct rdd **out, const char *name,
		      enum rdd_elem elem, int nparts, const size_t *len);

/* Creates an rdd of nparts opaque variables of bytes bytes each (kind RDD_VARIABLE, RDD_U8;
 * kernels see (1, bytes)). */
int rdd_variable_create(struct rdd_context *ctx, struct rdd **out, const char *name, int nparts,
			size_t bytes);

/* Creates a broadcast: one (rows, cols) block of elem (a one-partition RDD_MATRIX rdd) that
 * tasks of every partition read with RDD_BCAST and that one task (e.g. Adam) updates. */
int rdd_broadcast_create(struct rdd_context *ctx, struct rdd **out, const char *name,
			 enum rdd_elem elem, size_t rows, size_t cols);

/* Waits for the tasks using r, unregisters every handle and frees r (NULL is a no-op). */
void rdd_destroy(struct rdd *r);

/* Host pointer to partition p's buffer ([local | halo] rows). Only valid to touch before any
 * task uses the partition, or between rdd_acquire and rdd_release. */
void *rdd_part_data(const struct rdd *r, int p);

int rdd_nparts(const struct rdd *r);                /* P */
size_t rdd_cols(const struct rdd *r);               /* elements per row */
size_t rdd_part_rows(const struct rdd *r, int p);   /* local rows of p */
size_t rdd_part_halo_rows(const struct rdd *r, int p); /* halo rows of p (0 without a plan) */
int rdd_part_owner(const struct rdd *r, int p);     /* rank owning p (0 on one process) */

/* ---- tasks ------------------------------------------------------------------------------- */

/* Submits one task of op over acc[0 .. nacc-1] (no RDD_EACH), copying arg_size bytes of arg.
 * The task's name is name, or "name_p<label>" when label >= 0. Errors: bad access (partition
 * out of range, halo access that is not read-only or on an rdd without plan, too many
 * accesses/buffers), starpu_task_insert failure. */
int rdd_task(struct rdd_context *ctx, const struct rdd_op *op, const char *name, int label,
	     const struct rdd_access *acc, int nacc, const void *arg, size_t arg_size);

/* Map (narrow transformation): one task per partition p of the first RDD_EACH access's rdd,
 * with every RDD_EACH replaced by p (all RDD_EACH rdds must have the same P). Task p gets the
 * argument bytes at (char *)args + p * arg_stride (stride 0: the same bytes for all). Task
 * names are "name_p<p>". */
int rdd_map(struct rdd_context *ctx, const struct rdd_op *op, const char *name,
	    const struct rdd_access *acc, int nacc, const void *args, size_t arg_size,
	    size_t arg_stride);

/* Shuffle (wide dependency): for every p with rows planned from some q != p, submits one pack
 * task "name_-><p>" that copies the planned rows of each such q's local block into p's halo
 * slice from q. r must have been created with a plan. Adds rows x cols x elem bytes to the
 * shuffle bytes. */
int rdd_shuffle(struct rdd_context *ctx, struct rdd *r, const char *name);

/* Gather (Spark's collect + broadcast): for every partition q, a task "name_<q>->all" copies the
 * local rows of src's partition q into dst's partition q. dst must be a gathered rdd of src's
 * partition count, row counts, columns and element type. Category shuffle; adds every copied
 * byte to the shuffle bytes. Errors: shapes differ, dst not gathered. */
int rdd_gather(struct rdd_context *ctx, struct rdd *src, struct rdd *dst, const char *name);

/* Reduce (treeAggregate): out (a broadcast or any one-block rdd of the same shape) =
 * Σ_p parts[p], summed by a fixed binary tree (parts[i] += parts[i + s] for s = 1, 2, 4, ...)
 * so the result is bit-for-bit the same for a fixed P whatever the scheduling. parts' blocks
 * are clobbered. F32 or F64 only. Tasks are category reduce, named "name_<i>+=<i+s>" per step
 * and "name" for the final copy. */
int rdd_reduce(struct rdd_context *ctx, struct rdd *parts, struct rdd *out, const char *name);

/* Submits a task "name_p<p>" that sets partition p of r (RDD_EACH: every partition) to zero,
 * local rows only. Category compute. */
int rdd_zero(struct rdd_context *ctx, struct rdd *r, int p, const char *name);

/* ---- actions ----------------------------------------------------------------------------- */

/* Waits until every submitted task has run. */
int rdd_wait_all(struct rdd_context *ctx);

/* Waits for the tasks writing (RDD_R) or using (RDD_W/RW) partition p of r, including its halo
 * slices, and gives the host its buffer in *ptr until rdd_release. */
int rdd_acquire(struct rdd *r, int p, enum rdd_mode mode, void **ptr);

/* Ends an rdd_acquire of partition p. */
void rdd_release(struct rdd *r, int p);

/* ---- shuffle plans ----------------------------------------------------------------------- */

/* Builds the plan of which rows every partition receives: count[p * nparts + q] rows come
 * from q to p, namely q-local rows rows[p * nparts + q][0 .. count-1] (each < rows of q; the
 * array is copied). count[p * nparts + p] must be 0. Halo slices are ordered by q, so the row
 * that p receives as rows[p * P + q][i] sits at local row rdd_part_rows(p) +
 * rdd_shuffle_plan_offset(plan, p, q) + i of p's [local | halo] buffer. Errors: nparts < 1,
 * a diagonal count, NULL rows with a count, a row id < 0, out of memory. Range checks against
 * the partition sizes happen in rdd_create. */
int rdd_shuffle_plan_create(struct rdd_shuffle_plan **out, int nparts, const size_t *count,
			    const int32_t *const *rows);

/* Frees plan (NULL is a no-op); no rdd may still use it. */
void rdd_shuffle_plan_destroy(struct rdd_shuffle_plan *plan);

size_t rdd_shuffle_plan_halo_rows(const struct rdd_shuffle_plan *plan, int p); /* Σ_q count */
size_t rdd_shuffle_plan_offset(const struct rdd_shuffle_plan *plan, int p, int q); /* slice row */
size_t rdd_shuffle_plan_count(const struct rdd_shuffle_plan *plan, int p, int q); /* rows q->p */
size_t rdd_shuffle_plan_total_rows(const struct rdd_shuffle_plan *plan); /* rows per shuffle */

#endif
