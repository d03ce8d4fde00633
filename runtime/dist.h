/* dist.h: what a distributed context (DESIGN §8) does differently, behind one seam.
 *
 * A context is distributed when its creator asks (rdd_context_opts.distributed, set by gcnrun
 * under mpirun). Its callers in context.c, rdd.c and stats.c call these functions only for a
 * distributed context and keep the plain StarPU calls otherwise. Two implementations, one
 * linked: dist_mpi.c (StarPU built with --enable-mpi, Open MPI found): starts StarPU through
 * starpu_mpi_init_conf, registers every handle with its owner rank and a tag, submits with
 * starpu_mpi_task_insert on a named rank, and counts the data messages StarPU-MPI sends and
 * receives; dist_local.c (no StarPU-MPI): refuses to start, so nothing else is reached.
 * Nothing outside runtime/ includes this header. */
#ifndef RDD_DIST_H
#define RDD_DIST_H

#include <stddef.h>
#include <stdint.h>

#include <starpu.h>

struct rdd_context;

/* 1 when this build can run distributed (StarPU-MPI linked), else 0. */
int rdd_dist_built(void);

/* Starts MPI (thread level at least serialized); sets ctx->rank, ranks, local_rank and
 * local_ranks (the ranks on this machine, which share its cores). Errors (GCN_ERR with a
 * message): MPI failed to start or was finalized, a build without StarPU-MPI. */
int rdd_dist_mpi_init(struct rdd_context *ctx);

/* Starts StarPU-MPI with conf (after rdd_dist_mpi_init), its progress thread unbound unless
 * STARPU_MPI_NOBIND is set. Errors: StarPU failed to start. */
int rdd_dist_start(struct rdd_context *ctx, struct starpu_conf *conf);

/* Shuts StarPU-MPI and StarPU down (waiting for pending transfers), waits for every rank,
 * runs convert(dir, ranks) on rank 0 when dir is non-NULL (after every rank's FxT file is
 * written), and finalizes MPI. Returns convert's status (GCN_OK without one). */
int rdd_dist_stop(struct rdd_context *ctx, const char *dir, int (*convert)(const char *, int));

/* Declares handle h as owned by rank owner (StarPU-MPI registration with the next tag). */
void rdd_dist_register(struct rdd_context *ctx, starpu_data_handle_t h, int owner);

/* The rank that owns h. */
int rdd_dist_owner(starpu_data_handle_t h);

/* Submits one task on rank exec (every rank calls it alike; only exec runs it). arg is freed
 * by StarPU when free_arg and the task runs here, else by this function when free_arg.
 * Returns starpu_(mpi_)task_insert's value. */
int rdd_dist_insert(struct rdd_context *ctx, int exec, struct starpu_codelet *cl,
		    struct starpu_data_descr *descr, int nbuf, void *arg, size_t arg_size,
		    int free_arg, const char *name, int color, void (*done)(void *), void *done_arg);

/* Waits for every submitted task and every transfer on every rank. */
int rdd_dist_wait(struct rdd_context *ctx);

/* Before a host read of h: brings the owner's value to every rank (every rank must call it
 * for the same handles in the same order). */
void rdd_dist_fetch(struct rdd_context *ctx, starpu_data_handle_t h);

/* This rank's data-message counters since start: bytes sent, bytes received, and seconds
 * during which at least one data message was in flight. */
void rdd_dist_counters(uint64_t *sent, uint64_t *received, double *busy_s);

/* Element-wise sum (op 0), min (op 1) or max (op 2) of n doubles over every rank, in place;
 * all ranks call it alike. */
int rdd_dist_allreduce(struct rdd_context *ctx, double *v, int n, int op);

/* Every rank's n doubles, rank by rank, into all (ranks x n); all ranks call it alike. */
int rdd_dist_allgather(struct rdd_context *ctx, const double *mine, int n, double *all);

#endif
