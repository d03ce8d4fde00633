/* dist_mpi.c: the StarPU-MPI side of dist.h (DESIGN §8).
 *
 * MPI is started here (MPI_THREAD_MULTIPLE asked, at least MPI_THREAD_SERIALIZED required:
 * StarPU-MPI's progress thread and this layer's few collectives both call MPI) and finalized
 * after StarPU-MPI's shutdown, so that rank 0 can merge every rank's FxT file first. Tasks
 * name their executing rank explicitly (STARPU_EXECUTE_ON_NODE): the owner of the first
 * handle they write, which the RDD layer chose so that a pack runs where its rows are and a
 * consumer where its output lives.
 *
 * Network accounting uses MPI's profiling interface: this file defines MPI_Isend,
 * MPI_Issend, MPI_Irecv, MPI_Test and MPI_Wait, which StarPU-MPI's progress thread calls
 * (the executable's definitions take precedence over libmpi's), forwards each to its PMPI_
 * twin and, for data messages (every tag but StarPU-MPI's envelope tag), adds the bytes and
 * keeps the time during which at least one data message was in flight on this rank. */
#include <errno.h>
#include <math.h>
#include <mpi.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <starpu_mpi.h>

#include "base/error.h"
#include "runtime/dist.h"
#include "runtime/internal.h"

/* ---- data messages in flight (profiling interface) ------------------------------------- */

static struct {
	pthread_mutex_t lock;
	int on;                    /* counting: between start and stop of a distributed context */
	const MPI_Request **req;   /* requests of data messages in flight */
	size_t n, cap;             /* used and allocated entries of req */
	double busy_t0;            /* when the in-flight set last became non-empty */
	double busy_s;             /* seconds with at least one data message in flight */
	uint64_t sent, received;   /* data bytes */
} net = { .lock = PTHREAD_MUTEX_INITIALIZER };

static void flight_begin(const MPI_Request *req, int count, MPI_Datatype type, int tag, int send)
{
	if (!net.on || tag == starpu_mpi_get_communication_tag())
		return;
	int size = 0;
	PMPI_Type_size(type, &size);
	pthread_mutex_lock(&net.lock);
	if (send)
		net.sent += (uint64_t)count * (uint64_t)size;
	else
		net.received += (uint64_t)count * (uint64_t)size;
	if (net.n == net.cap) {
		size_t cap = net.cap ? 2 * net.cap : 256;
		const MPI_Request **grown = realloc(net.req, cap * sizeof *grown);
		if (!grown) { /* bytes still counted; this message's time is not */
			pthread_mutex_unlock(&net.lock);
			return;
		}
		net.req = grown;
		net.cap = cap;
	}
	if (net.n == 0)
		net.busy_t0 = rdd_now();
	net.req[net.n++] = req;
	pthread_mutex_unlock(&net.lock);
}

static void flight_end(const MPI_Request *req)
{
	pthread_mutex_lock(&net.lock);
	for (size_t i = 0; i < net.n; i++)
		if (net.req[i] == req) {
			net.req[i] = net.req[--net.n];
			if (net.n == 0)
				net.busy_s += rdd_now() - net.busy_t0;
			break;
		}
	pthread_mutex_unlock(&net.lock);
}

int MPI_Isend(const void *buf, int count, MPI_Datatype type, int dest, int tag, MPI_Comm comm,
	      MPI_Request *req)
{
	int ret = PMPI_Isend(buf, count, type, dest, tag, comm, req);
	if (ret == MPI_SUCCESS)
		flight_begin(req, count, type, tag, 1);
	return ret;
}

int MPI_Issend(const void *buf, int count, MPI_Datatype type, int dest, int tag, MPI_Comm comm,
	       MPI_Request *req)
{
	int ret = PMPI_Issend(buf, count, type, dest, tag, comm, req);
	if (ret == MPI_SUCCESS)
		flight_begin(req, count, type, tag, 1);
	return ret;
}

int MPI_Irecv(void *buf, int count, MPI_Datatype type, int src, int tag, MPI_Comm comm,
	      MPI_Request *req)
{
	int ret = PMPI_Irecv(buf, count, type, src, tag, comm, req);
	if (ret == MPI_SUCCESS)
		flight_begin(req, count, type, tag, 0);
	return ret;
}

/* StarPU-MPI 1.3's progress thread tests its pending requests in a loop without pause for
 * as long as any is pending, which in a GCN epoch is nearly always: a rank's receives are
 * posted when its DAG is submitted and complete when the other rank has computed. On a
 * machine whose cores all run workers, that loop takes their time: measured with mpirun -np
 * 2 --workers 1 on reddit-synth (2-core VM), the two progress threads took 30 % of the CPU
 * and the compute tasks ran 1.8x slower than at local[2]. Napping 50 us after every empty
 * test cut the loop's CPU but made 23,000 context switches a second, which evict the
 * workers' caches (still 1.4x). So the thread naps once per sweep over its requests (not
 * within POLL_SWEEP_US of its last nap), and only after POLL_IDLE_US without a completed
 * request, for a tenth of the time it has been idle, between POLL_NAP_MIN_US and
 * POLL_NAP_MAX_US: a message is noticed at most about 10 % of its wait (and 1 ms) late. It
 * never naps while a data message is in flight: Open MPI moves a large message in fragments
 * only as fast as both sides call into it (naps of up to 5 ms there doubled the epoch). */
#define POLL_IDLE_US 200.0
#define POLL_SWEEP_US 20.0
#define POLL_NAP_MIN_US 50.0
#define POLL_NAP_MAX_US 1000.0

int MPI_Test(MPI_Request *req, int *flag, MPI_Status *status)
{
	static _Thread_local double last_hit, last_nap; /* the progress thread's clocks */
	int ret = PMPI_Test(req, flag, status);
	if (ret != MPI_SUCCESS)
		return ret;
	const double now = rdd_now();
	if (*flag) {
		last_hit = now;
		if (net.n)
			flight_end(req);
		return ret;
	}
	const double idle_us = (now - last_hit) * 1e6;
	if (!net.on || net.n || idle_us < POLL_IDLE_US || (now - last_nap) * 1e6 < POLL_SWEEP_US)
		return ret;
	const double nap_us = fmin(fmax(idle_us / 10.0, POLL_NAP_MIN_US), POLL_NAP_MAX_US);
	const struct timespec nap = { 0, (long)(nap_us * 1000.0) };
	nanosleep(&nap, NULL);
	last_nap = rdd_now();
	return ret;
}

int MPI_Wait(MPI_Request *req, MPI_Status *status)
{
	int ret = PMPI_Wait(req, status);
	if (ret == MPI_SUCCESS && net.n)
		flight_end(req);
	return ret;
}

/* ---- dist.h ------------------------------------------------------------------------------ */

int rdd_dist_built(void)
{
	return 1;
}

int rdd_dist_mpi_init(struct rdd_context *ctx)
{
	int inited = 0, finalized = 0, provided = 0;
	MPI_Initialized(&inited);
	MPI_Finalized(&finalized);
	if (finalized)
		return gcn_fail("MPI was already finalized in this process: one distributed context "
				"per process");
	if (!inited && MPI_Init_thread(NULL, NULL, MPI_THREAD_MULTIPLE, &provided) != MPI_SUCCESS)
		return gcn_fail("MPI_Init_thread failed: start gcnrun with mpirun from Open MPI");
	MPI_Query_thread(&provided);
	if (provided < MPI_THREAD_SERIALIZED)
		return gcn_fail("this MPI gives thread level %d; StarPU-MPI needs at least "
				"MPI_THREAD_SERIALIZED", provided);
	MPI_Comm_rank(MPI_COMM_WORLD, &ctx->rank);
	MPI_Comm_size(MPI_COMM_WORLD, &ctx->ranks);
	MPI_Comm local;
	if (MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, ctx->rank, MPI_INFO_NULL,
				&local) != MPI_SUCCESS)
		return gcn_fail("MPI_Comm_split_type failed on rank %d", ctx->rank);
	MPI_Comm_rank(local, &ctx->local_rank);
	MPI_Comm_size(local, &ctx->local_ranks);
	MPI_Comm_free(&local);
	return GCN_OK;
}

int rdd_dist_start(struct rdd_context *ctx, struct starpu_conf *conf)
{
	if (!getenv("STARPU_MPI_NOBIND") && setenv("STARPU_MPI_NOBIND", "1", 1) != 0)
		return gcn_fail("cannot set STARPU_MPI_NOBIND: %s", strerror(errno));
	int ret = starpu_mpi_init_conf(NULL, NULL, 0, MPI_COMM_WORLD, conf);
	if (ret != 0)
		return gcn_fail("starpu_mpi_init_conf failed on rank %d: %s", ctx->rank,
				ret == -ENODEV ? "no CPU worker could start" : strerror(-ret));
	pthread_mutex_lock(&net.lock);
	net.on = 1;
	net.n = 0;
	net.sent = net.received = 0;
	net.busy_s = 0.0;
	pthread_mutex_unlock(&net.lock);
	return GCN_OK;
}

int rdd_dist_stop(struct rdd_context *ctx, const char *dir, int (*convert)(const char *, int))
{
	starpu_mpi_shutdown(); /* waits for pending transfers, then starpu_shutdown: FxT written */
	pthread_mutex_lock(&net.lock);
	net.on = 0;
	net.n = 0;
	free(net.req);
	net.req = NULL;
	net.cap = 0;
	pthread_mutex_unlock(&net.lock);
	int status = GCN_OK;
	MPI_Barrier(MPI_COMM_WORLD); /* every rank's FxT file is complete */
	if (dir && ctx->rank == 0)
		status = convert(dir, ctx->ranks);
	MPI_Finalize();
	return status;
}

void rdd_dist_register(struct rdd_context *ctx, starpu_data_handle_t h, int owner)
{
	starpu_mpi_data_register(h, ctx->next_tag++, owner);
}

int rdd_dist_owner(starpu_data_handle_t h)
{
	int r = starpu_mpi_data_get_rank(h);
	return r < 0 ? 0 : r;
}

int rdd_dist_insert(struct rdd_context *ctx, int exec, struct starpu_codelet *cl,
		    struct starpu_data_descr *descr, int nbuf, void *arg, size_t arg_size,
		    int free_arg, const char *name, int color, void (*done)(void *), void *done_arg)
{
	int ret = starpu_mpi_task_insert(MPI_COMM_WORLD, cl, STARPU_EXECUTE_ON_NODE, exec,
					 STARPU_DATA_MODE_ARRAY, descr, nbuf,
					 free_arg ? STARPU_CL_ARGS : STARPU_CL_ARGS_NFREE, arg,
					 arg_size, STARPU_NAME, name, STARPU_TASK_COLOR, color,
					 STARPU_CALLBACK_WITH_ARG_NFREE, done, done_arg, 0);
	/* StarPU-MPI builds no task on the other ranks, so nothing there owns the arguments */
	if (exec != ctx->rank && free_arg)
		free(arg);
	return ret;
}

int rdd_dist_wait(struct rdd_context *ctx)
{
	int ret = starpu_mpi_wait_for_all(MPI_COMM_WORLD);
	if (ret != 0)
		return gcn_fail("starpu_mpi_wait_for_all failed on rank %d: %s", ctx->rank,
				strerror(-ret));
	return GCN_OK;
}

void rdd_dist_fetch(struct rdd_context *ctx, starpu_data_handle_t h)
{
	(void)ctx;
	starpu_mpi_get_data_on_all_nodes_detached(MPI_COMM_WORLD, h);
}

void rdd_dist_counters(uint64_t *sent, uint64_t *received, double *busy_s)
{
	pthread_mutex_lock(&net.lock);
	*sent = net.sent;
	*received = net.received;
	*busy_s = net.busy_s + (net.n ? rdd_now() - net.busy_t0 : 0.0);
	pthread_mutex_unlock(&net.lock);
}

int rdd_dist_allreduce(struct rdd_context *ctx, double *v, int n, int op)
{
	MPI_Op mop = op == 1 ? MPI_MIN : op == 2 ? MPI_MAX : MPI_SUM;
	if (MPI_Allreduce(MPI_IN_PLACE, v, n, MPI_DOUBLE, mop, MPI_COMM_WORLD) != MPI_SUCCESS)
		return gcn_fail("MPI_Allreduce failed on rank %d", ctx->rank);
	return GCN_OK;
}

int rdd_dist_allgather(struct rdd_context *ctx, const double *mine, int n, double *all)
{
	if (MPI_Allgather(mine, n, MPI_DOUBLE, all, n, MPI_DOUBLE, MPI_COMM_WORLD) != MPI_SUCCESS)
		return gcn_fail("MPI_Allgather failed on rank %d", ctx->rank);
	return GCN_OK;
}
