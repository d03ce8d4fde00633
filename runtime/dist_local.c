/* dist_local.c: dist.h for a build without StarPU-MPI. rdd_dist_mpi_init refuses, so no context
 * is ever distributed and the other functions are never reached; they answer as rank 0 of a
 * one-rank job. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "runtime/dist.h"
#include "runtime/internal.h"

int rdd_dist_built(void)
{
	return 0;
}

int rdd_dist_mpi_init(struct rdd_context *ctx)
{
	(void)ctx;
	return gcn_fail("this gcnrun was built without StarPU-MPI: rebuild with tools/setup.sh "
			"(it builds StarPU with --enable-mpi and installs Open MPI), or run without "
			"mpirun");
}

int rdd_dist_start(struct rdd_context *ctx, struct starpu_conf *conf)
{
	(void)ctx;
	(void)conf;
	return GCN_OK;
}

int rdd_dist_stop(struct rdd_context *ctx, const char *dir, int (*convert)(const char *, int))
{
	(void)ctx;
	return dir ? convert(dir, 1) : GCN_OK;
}

void rdd_dist_register(struct rdd_context *ctx, starpu_data_handle_t h, int owner)
{
	(void)ctx;
	(void)h;
	(void)owner;
}

int rdd_dist_owner(starpu_data_handle_t h)
{
	(void)h;
	return 0;
}

int rdd_dist_insert(struct rdd_context *ctx, int exec, struct starpu_codelet *cl,
		    struct starpu_data_descr *descr, int nbuf, void *arg, size_t arg_size,
		    int free_arg, const char *name, int color, void (*done)(void *), void *done_arg)
{
	(void)ctx, (void)exec, (void)cl, (void)descr, (void)nbuf, (void)arg_size, (void)name;
	(void)color, (void)done, (void)done_arg;
	if (free_arg)
		free(arg);
	return -ENODEV;
}

int rdd_dist_wait(struct rdd_context *ctx)
{
	(void)ctx;
	return GCN_OK;
}

void rdd_dist_fetch(struct rdd_context *ctx, starpu_data_handle_t h)
{
	(void)ctx;
	(void)h;
}

void rdd_dist_counters(uint64_t *sent, uint64_t *received, double *busy_s)
{
	*sent = *received = 0;
	*busy_s = 0.0;
}

int rdd_dist_allreduce(struct rdd_context *ctx, double *v, int n, int op)
{
	(void)ctx, (void)v, (void)n, (void)op;
	return GCN_OK;
}

int rdd_dist_allgather(struct rdd_context *ctx, const double *mine, int n, double *all)
{
	(void)ctx;
	memcpy(all, mine, (size_t)n * sizeof *all);
	return GCN_OK;
}
