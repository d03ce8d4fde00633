/* test_runtime.c: Check suite of the RDD layer (runtime/): local[N] contexts and their errors,
 * map against a direct loop, shuffle row placement, deterministic reduce trees, the stats
 * identity compute + communication + overhead == worker time, trace control, clean shutdown.
 *
 * StarPU is a process-wide singleton, so the suite runs without forking (CK_NOFORK) and every
 * test starts and stops its own context; tests stay small (a few hundred tasks). STARPU_HOME
 * points into the build folder (tests/meson.build). Tolerances: the reduce tree against a
 * serial double sum, 1e-5 relative per element (float, P <= 8 terms); everything else exact. */
#include <check.h>
#include <hwloc.h>
#include <limits.h>
#include <math.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/error.h"
#include "runtime/context.h"
#include "runtime/rdd.h"
#include "runtime/stats.h"
#include "runtime/trace.h"
#include "testutil.h"

/* The user's STARPU_WORKERS_NOBIND and STARPU_WORKERS_CPUID, read in main before the first
 * context sets the former for StarPU (the suite runs in one process). */
static int user_binding;

/* Starts local[n] quietly or fails the test. */
static struct rdd_context *start(int n)
{
	struct rdd_context_opts o;
	struct rdd_context *ctx = NULL;
	rdd_context_opts_init(&o);
	o.workers = n;
	o.quiet = 1;
	ck_assert_msg(rdd_context_create(&ctx, &o) == GCN_OK, "%s", gcn_last_error());
	return ctx;
}

static void stop(struct rdd_context *ctx)
{
	ck_assert_msg(rdd_context_destroy(ctx) == GCN_OK, "%s", gcn_last_error());
}

/* ---- local kernels (the GCN kernels are tested in test_kernels) -------------------------- */

struct gemm_arg {
	size_t k; /* inner dimension */
};

/* buf[0] out (n, m) = buf[1] in (n, k) x buf[2] w (k, m). */
static void gemm_cpu(const struct rdd_buf *buf, int nbuf, const void *arg)
{
	const struct gemm_arg *a = arg;
	ck_assert_int_eq(nbuf, 3);
	float *out = buf[0].ptr;
	const float *in = buf[1].ptr, *w = buf[2].ptr;
	size_t n = buf[1].rows, m = buf[2].cols;
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < m; j++) {
			float s = 0.0f;
			for (size_t l = 0; l < a->k; l++)
				s += in[i * a->k + l] * w[l * m + j];
			out[i * m + j] = s;
		}
}

/* buf[0] out (n, c) = buf[1] read as one block: [local | halo], or with arg (an int 1) a whole
 * gathered rdd, whose n rows are all the task's own; checks the shape. */
static void gather_cpu(const struct rdd_buf *buf, int nbuf, const void *arg)
{
	ck_assert_int_eq(nbuf, 2);
	ck_assert_uint_eq(buf[0].rows, buf[1].rows);
	if (arg)
		ck_assert_uint_eq(buf[1].local_rows, buf[1].rows);
	else
		ck_assert_uint_le(buf[1].local_rows, buf[1].rows);
	memcpy(buf[0].ptr, buf[1].ptr, buf[1].rows * buf[1].cols * sizeof(float));
}

/* buf[0] += 1 for every element (f32). */
static void inc_cpu(const struct rdd_buf *buf, int nbuf, const void *arg)
{
	(void)nbuf;
	(void)arg;
	float *x = buf[0].ptr;
	for (size_t i = 0; i < buf[0].rows * buf[0].cols; i++)
		x[i] += 1.0f;
}

/* buf[0] an opaque variable (1, bytes): its first byte += 1. */
static void tick_cpu(const struct rdd_buf *buf, int nbuf, const void *arg)
{
	(void)nbuf;
	(void)arg;
	ck_assert_uint_eq(buf[0].rows, 1);
	ck_assert_uint_eq(buf[0].cols, 24);
	((unsigned char *)buf[0].ptr)[0]++;
}

/* buf[0] a (1, 1) int32 block: the CPU the task runs on. */
static void where_cpu(const struct rdd_buf *buf, int nbuf, const void *arg)
{
	(void)nbuf;
	(void)arg;
	*(int32_t *)buf[0].ptr = sched_getcpu();
}

static const struct rdd_op cl_gemm = RDD_OP(gemm, RDD_COMPUTE);
static const struct rdd_op cl_where = RDD_OP(where, RDD_COMPUTE);
static const struct rdd_op cl_tick = RDD_OP(tick, RDD_COMPUTE);
static const struct rdd_op cl_gather = RDD_OP(gather, RDD_COMPUTE);
static const struct rdd_op cl_inc = RDD_OP(inc, RDD_COMPUTE);

/* ---- context ------------------------------------------------------------------------------ */

START_TEST(test_context_workers)
{
	static const int ns[] = { 1, 2, 4 }; /* 4 > cores on small machines: allowed */
	int n = ns[_i];
	struct rdd_context *ctx = start(n);
	ck_assert_int_eq(rdd_context_workers(ctx), n);
	ck_assert_str_ne(rdd_context_sched(ctx), "");
	ck_assert_ptr_null(rdd_context_trace_dir(ctx));
	/* AUTO binding: one worker per core, unbound when oversubscribed */
	if (!user_binding)
		ck_assert_int_eq(rdd_context_bound(ctx), n <= rdd_core_count());
	stop(ctx);
}
END_TEST

/* The operating system's number of the last core's first PU (hwloc numbers cores logically;
 * sched_getcpu reports OS numbers). */
static int last_core_os_index(void)
{
	hwloc_topology_t topo;
	int os = -1;
	ck_assert_int_eq(hwloc_topology_init(&topo), 0);
	ck_assert_int_eq(hwloc_topology_load(topo), 0);
	const int cores = hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_CORE);
	hwloc_obj_t core = hwloc_get_obj_by_type(topo, HWLOC_OBJ_CORE, (unsigned)(cores - 1));
	hwloc_obj_t pu = core ? hwloc_get_obj_inside_cpuset_by_type(topo, core->cpuset,
								    HWLOC_OBJ_PU, 0) : NULL;
	if (pu)
		os = (int)pu->os_index;
	hwloc_topology_destroy(topo);
	return os;
}

/* A bound local[N] with N < cores leaves core 0 to the rest of the system: local[1]'s worker
 * runs on the last core (machines without SMT; the user's binding variables win). */
START_TEST(test_context_binds_from_last_core)
{
	const int cores = rdd_core_count();
	if (cores < 2 || sysconf(_SC_NPROCESSORS_ONLN) != cores || user_binding)
		return; /* one core, SMT, or the user's binding */
	struct rdd_context *ctx = start(1);
	struct rdd *r;
	const size_t one = 1;
	ck_assert_int_eq(rdd_create(ctx, &r, "where", RDD_I32, 1, &one, 1, NULL), GCN_OK);
	const struct rdd_access acc[] = { RDD_OUT(r, RDD_EACH) };
	ck_assert_int_eq(rdd_map(ctx, &cl_where, "where", acc, 1, NULL, 0, 0), GCN_OK);
	void *ptr;
	ck_assert_int_eq(rdd_acquire(r, 0, RDD_R, &ptr), GCN_OK);
	const int cpu = *(int32_t *)ptr;
	rdd_release(r, 0);
	rdd_destroy(r);
	stop(ctx);
	ck_assert_int_eq(cpu, last_core_os_index());
}
END_TEST

START_TEST(test_context_errors)
{
	/* table: bad worker counts, each an error naming the cap and how to raise it */
	const int bad[] = { 0, -1, rdd_max_workers() + 1, 1000 };
	char cap[16];
	snprintf(cap, sizeof cap, "%d", rdd_max_workers());
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		struct rdd_context_opts o;
		struct rdd_context *ctx = (struct rdd_context *)&o;
		rdd_context_opts_init(&o);
		o.workers = bad[i];
		ck_assert_int_eq(rdd_context_create(&ctx, &o), GCN_ERR);
		ck_assert_ptr_null(ctx);
		ck_assert_msg(strstr(gcn_last_error(), cap) && strstr(gcn_last_error(), "tools/setup.sh"),
			      "%s", gcn_last_error());
	}
	ck_assert_int_ge(rdd_max_workers(), 64);
	ck_assert_int_ge(rdd_core_count(), 1);
	ck_assert_str_eq(rdd_starpu_version(), "1.3.10");

	struct rdd_context_opts o;
	struct rdd_context *ctx = NULL;
	rdd_context_opts_init(&o);
	o.sched = "no-such-scheduler";
	ck_assert_int_eq(rdd_context_create(&ctx, &o), GCN_ERR);
	ck_assert_ptr_nonnull(strstr(gcn_last_error(), "no-such-scheduler"));

	/* one context per process */
	struct rdd_context *first = start(1), *second = NULL;
	rdd_context_opts_init(&o);
	ck_assert_int_eq(rdd_context_create(&second, &o), GCN_ERR);
	ck_assert_ptr_nonnull(strstr(gcn_last_error(), "already"));
	stop(first);
	ck_assert_int_eq(rdd_context_destroy(NULL), GCN_OK);
}
END_TEST

START_TEST(test_context_sched)
{
	static const char *names[] = { "eager", "lws", "ws", "prio" };
	struct rdd_context_opts o;
	struct rdd_context *ctx = NULL;
	rdd_context_opts_init(&o);
	o.workers = 2;
	o.sched = names[_i];
	ck_assert_msg(rdd_context_create(&ctx, &o) == GCN_OK, "%s", gcn_last_error());
	ck_assert_str_eq(rdd_context_sched(ctx), names[_i]);
	stop(ctx);
	unsetenv("STARPU_SCHED");
}
END_TEST

/* ---- map ------------------------------------------------------------------------------- */

START_TEST(test_map_matches_loop)
{
	struct rdd_context *ctx = start(2);
	const size_t rows[] = { 5, 7, 1, 4 }, k = 3, m = 2;
	const int np = 4;
	struct rdd *h = NULL, *z = NULL, *w = NULL;
	ck_assert(rdd_create(ctx, &h, "H", RDD_F32, np, rows, k, NULL) == GCN_OK);
	ck_assert(rdd_create(ctx, &z, "Z", RDD_F32, np, rows, m, NULL) == GCN_OK);
	ck_assert(rdd_broadcast_create(ctx, &w, "W", RDD_F32, k, m) == GCN_OK);
	float *wp = rdd_part_data(w, 0);
	for (size_t i = 0; i < k * m; i++)
		wp[i] = 0.5f * (float)i - 1.0f;
	for (int p = 0; p < np; p++) {
		float *hp = rdd_part_data(h, p);
		for (size_t i = 0; i < rows[p] * k; i++)
			hp[i] = (float)(p * 100 + (int)i) * 0.25f;
	}
	struct gemm_arg ga = { k };
	struct rdd_access acc[] = { RDD_OUT(z, RDD_EACH), RDD_IN(h, RDD_EACH), RDD_BCAST(w) };
	ck_assert_msg(rdd_map(ctx, &cl_gemm, "t gemm", acc, 3, &ga, sizeof ga, 0) == GCN_OK, "%s",
		      gcn_last_error());
	for (int p = 0; p < np; p++) {
		void *zp;
		ck_assert(rdd_acquire(z, p, RDD_R, &zp) == GCN_OK);
		const float *hp = rdd_part_data(h, p), *zf = zp;
		for (size_t i = 0; i < rows[p]; i++)
			for (size_t j = 0; j < m; j++) {
				float s = 0.0f;
				for (size_t l = 0; l < k; l++)
					s += hp[i * k + l] * wp[l * m + j];
				ck_assert_float_eq(zf[i * m + j], s);
			}
		rdd_release(z, p);
	}
	/* errors: partitions out of range, mismatched P, no RDD_EACH, bad op */
	struct rdd_access bad1[] = { RDD_OUT(z, 4) };
	ck_assert_int_eq(rdd_task(ctx, &cl_inc, "x", -1, bad1, 1, NULL, 0), GCN_ERR);
	ck_assert_ptr_nonnull(strstr(gcn_last_error(), "out of range"));
	struct rdd_access bad2[] = { RDD_OUT(z, RDD_EACH), RDD_IN(w, RDD_EACH) };
	ck_assert_int_eq(rdd_map(ctx, &cl_inc, "x", bad2, 2, NULL, 0, 0), GCN_ERR);
	struct rdd_access bad3[] = { RDD_BCAST(w) };
	ck_assert_int_eq(rdd_map(ctx, &cl_inc, "x", bad3, 1, NULL, 0, 0), GCN_ERR);
	struct rdd_access bad4[] = { RDD_IN_HALO(z, 0) };
	ck_assert_int_eq(rdd_task(ctx, &cl_inc, "x", -1, bad4, 1, NULL, 0), GCN_ERR);
	ck_assert_int_eq(rdd_task(ctx, &cl_inc, "x", -1, bad1, 0, NULL, 0), GCN_ERR);
	rdd_destroy(h);
	rdd_destroy(z);
	rdd_destroy(w);
	stop(ctx);
}
END_TEST

/* ---- shuffle ------------------------------------------------------------------------------ */

/* Value of element (row r, column c) of partition q's local block, round number t. */
static float val(int q, size_t r, size_t c, int t)
{
	return (float)(t * 100000 + q * 1000 + (int)r * 10 + (int)c);
}

START_TEST(test_shuffle_rows)
{
	struct rdd_context *ctx = start(2);
	enum { P = 3 };
	const size_t rows[P] = { 4, 6, 3 }, cols = 2;
	/* count[p * P + q] rows p receives from q, ids in q */
	const int32_t r01[] = { 5, 0, 2 }, r02[] = { 1 }, r10[] = { 3, 3 }, r20[] = { 0 },
		      r21[] = { 4, 1, 0, 5 };
	const size_t count[P * P] = { 0, 3, 1, 2, 0, 0, 1, 4, 0 };
	const int32_t *ids[P * P] = { NULL, r01, r02, r10, NULL, NULL, r20, r21, NULL };
	struct rdd_shuffle_plan *plan = NULL;
	ck_assert_msg(rdd_shuffle_plan_create(&plan, P, count, ids) == GCN_OK, "%s",
		      gcn_last_error());
	ck_assert_uint_eq(rdd_shuffle_plan_halo_rows(plan, 0), 4);
	ck_assert_uint_eq(rdd_shuffle_plan_halo_rows(plan, 1), 2);
	ck_assert_uint_eq(rdd_shuffle_plan_halo_rows(plan, 2), 5);
	ck_assert_uint_eq(rdd_shuffle_plan_offset(plan, 0, 2), 3);
	ck_assert_uint_eq(rdd_shuffle_plan_offset(plan, 2, 1), 1);
	ck_assert_uint_eq(rdd_shuffle_plan_total_rows(plan), 11);

	struct rdd *z = NULL, *g = NULL;
	size_t ext[P];
	for (int p = 0; p < P; p++)
		ext[p] = rows[p] + rdd_shuffle_plan_halo_rows(plan, p);
	ck_assert(rdd_create(ctx, &z, "Z", RDD_F32, P, rows, cols, plan) == GCN_OK);
	ck_assert(rdd_create(ctx, &g, "G", RDD_F32, P, ext, cols, NULL) == GCN_OK);
	for (int t = 0; t < 2; t++) { /* the plan is reused: a second epoch with new values */
		for (int q = 0; q < P; q++) {
			void *d;
			ck_assert(rdd_acquire(z, q, RDD_W, &d) == GCN_OK);
			for (size_t r = 0; r < rows[q]; r++)
				for (size_t c = 0; c < cols; c++)
					((float *)d)[r * cols + c] = val(q, r, c, t);
			rdd_release(z, q);
		}
		ck_assert_msg(rdd_shuffle(ctx, z, "t shuffle") == GCN_OK, "%s", gcn_last_error());
		struct rdd_access acc[] = { RDD_OUT(g, RDD_EACH), RDD_IN_HALO(z, RDD_EACH) };
		ck_assert(rdd_map(ctx, &cl_gather, "t gather", acc, 2, NULL, 0, 0) == GCN_OK);
		for (int p = 0; p < P; p++) {
			void *d;
			ck_assert(rdd_acquire(g, p, RDD_R, &d) == GCN_OK);
			const float *x = d;
			for (size_t r = 0; r < rows[p]; r++)
				for (size_t c = 0; c < cols; c++)
					ck_assert_float_eq(x[r * cols + c], val(p, r, c, t));
			for (int q = 0; q < P; q++) {
				size_t n = count[p * P + q],
				       base = rows[p] + rdd_shuffle_plan_offset(plan, p, q);
				for (size_t i = 0; i < n; i++)
					for (size_t c = 0; c < cols; c++)
						ck_assert_float_eq(x[(base + i) * cols + c],
								   val(q, (size_t)ids[p * P + q][i], c, t));
			}
			rdd_release(g, p);
		}
	}
	/* the halo is also visible through rdd_acquire of the shuffled rdd itself */
	void *d;
	ck_assert(rdd_acquire(z, 1, RDD_R, &d) == GCN_OK);
	ck_assert_float_eq(((float *)d)[(rows[1] + 1) * cols + 1], val(0, 3, 1, 1));
	rdd_release(z, 1);
	ck_assert_uint_eq(rdd_part_halo_rows(z, 2), 5);

	/* plan errors: rows from itself, missing list, negative id, id out of range */
	struct rdd_shuffle_plan *bad = NULL;
	size_t diag[P * P] = { 1, 0, 0, 0, 0, 0, 0, 0, 0 };
	const int32_t zero[] = { 0 }, neg[] = { -1 }, big[] = { 6 };
	const int32_t *dl[P * P] = { zero };
	ck_assert_int_eq(rdd_shuffle_plan_create(&bad, P, diag, dl), GCN_ERR);
	size_t off[P * P] = { 0, 1, 0, 0, 0, 0, 0, 0, 0 };
	const int32_t *none[P * P] = { NULL };
	ck_assert_int_eq(rdd_shuffle_plan_create(&bad, P, off, none), GCN_ERR);
	const int32_t *nl[P * P] = { NULL, neg };
	ck_assert_int_eq(rdd_shuffle_plan_create(&bad, P, off, nl), GCN_ERR);
	ck_assert_int_eq(rdd_shuffle_plan_create(&bad, 0, off, nl), GCN_ERR);
	const int32_t *bl[P * P] = { NULL, big };
	ck_assert(rdd_shuffle_plan_create(&bad, P, off, bl) == GCN_OK);
	struct rdd *zb = NULL;
	ck_assert_int_eq(rdd_create(ctx, &zb, "Zb", RDD_F32, P, rows, cols, bad), GCN_ERR);
	ck_assert_ptr_nonnull(strstr(gcn_last_error(), "out of range"));
	ck_assert_ptr_null(zb);
	ck_assert_int_eq(rdd_shuffle(ctx, g, "no plan"), GCN_ERR);
	rdd_shuffle_plan_destroy(bad);

	rdd_destroy(z);
	rdd_destroy(g);
	rdd_shuffle_plan_destroy(plan);
	stop(ctx);
}
END_TEST

/* Fills z's partitions with val(q, r, c, t). */
static void fill(struct rdd *z, int t)
{
	for (int q = 0; q < rdd_nparts(z); q++) {
		void *d;
		ck_assert(rdd_acquire(z, q, RDD_W, &d) == GCN_OK);
		for (size_t r = 0; r < rdd_part_rows(z, q); r++)
			for (size_t c = 0; c < rdd_cols(z); c++)
				((float *)d)[r * rdd_cols(z) + c] = val(q, r, c, t);
		rdd_release(z, q);
	}
}

/* Checks that every partition of g holds z's partitions of round t back to back. */
static void check_gathered(struct rdd *g, const struct rdd *z, int t)
{
	const size_t cols = rdd_cols(z);
	for (int p = 0; p < rdd_nparts(g); p++) {
		void *d;
		ck_assert(rdd_acquire(g, p, RDD_R, &d) == GCN_OK);
		const float *x = d;
		size_t row = 0;
		for (int q = 0; q < rdd_nparts(z); q++)
			for (size_t r = 0; r < rdd_part_rows(z, q); r++, row++)
				for (size_t c = 0; c < cols; c++)
					ck_assert_float_eq(x[row * cols + c], val(q, r, c, t));
		rdd_release(g, p);
	}
}

/* A gather copies every partition once into one block that each task reads whole, in
 * partition order; bytes and task categories are counted; a second gather into the same
 * block, submitted without waiting, waits for the first one's readers; misuse is refused. */
START_TEST(test_gather_all)
{
	struct rdd_context *ctx = start(2);
	enum { P = 3 };
	const size_t rows[P] = { 4, 6, 3 }, cols = 2, total = 13;
	const size_t all[P] = { total, total, total };
	struct rdd *z = NULL, *z2 = NULL, *s = NULL, *g = NULL, *g2 = NULL;
	ck_assert(rdd_create(ctx, &z, "Z", RDD_F32, P, rows, cols, NULL) == GCN_OK);
	ck_assert(rdd_create(ctx, &z2, "Z2", RDD_F32, P, rows, cols, NULL) == GCN_OK);
	ck_assert(rdd_gathered_create(ctx, &s, "S", RDD_F32, P, rows, cols) == GCN_OK);
	ck_assert(rdd_create(ctx, &g, "G", RDD_F32, P, all, cols, NULL) == GCN_OK);
	ck_assert(rdd_create(ctx, &g2, "G2", RDD_F32, P, all, cols, NULL) == GCN_OK);
	fill(z, 0);
	fill(z2, 1);
	struct rdd_stats st;
	ck_assert(rdd_stats_begin(ctx) == GCN_OK);
	struct rdd_access acc[] = { RDD_OUT(g, RDD_EACH), RDD_IN_ALL(s) };
	struct rdd_access acc2[] = { RDD_OUT(g2, RDD_EACH), RDD_IN_ALL(s) };
	const int whole = 1;
	for (int k = 0; k < 5; k++) { /* five rounds, nothing waited for in between */
		ck_assert_msg(rdd_gather(ctx, z, s, "t gather") == GCN_OK, "%s", gcn_last_error());
		ck_assert(rdd_map(ctx, &cl_gather, "t read", acc, 2, &whole, sizeof whole, 0) ==
			  GCN_OK);
		ck_assert(rdd_gather(ctx, z2, s, "t gather") == GCN_OK);
		ck_assert(rdd_map(ctx, &cl_gather, "t read", acc2, 2, &whole, sizeof whole, 0) ==
			  GCN_OK);
	}
	ck_assert(rdd_stats_end(ctx, &st) == GCN_OK);
	ck_assert_uint_eq(st.tasks_by_cat[RDD_SHUFFLE], 10 * P);
	ck_assert_uint_eq(st.shuffle_bytes, 10 * total * cols * sizeof(float));
	check_gathered(g, z, 0);
	check_gathered(g2, z2, 1);

	/* errors: gather into a plain rdd or of another shape; whole reads of a plain rdd or
	 * for writing; a bad span; a gathered rdd past the 32-bit row index */
	ck_assert_int_eq(rdd_gather(ctx, z, g, "x"), GCN_ERR);
	ck_assert_ptr_nonnull(strstr(gcn_last_error(), "not a gathered rdd"));
	struct rdd *s2 = NULL;
	const size_t other[P] = { 4, 5, 4 };
	ck_assert(rdd_gathered_create(ctx, &s2, "S2", RDD_F32, P, other, cols) == GCN_OK);
	ck_assert_int_eq(rdd_gather(ctx, z, s2, "x"), GCN_ERR);
	ck_assert_ptr_nonnull(strstr(gcn_last_error(), "differ in shape"));
	struct rdd_access bad1[] = { RDD_IN_ALL(z) };
	ck_assert_int_eq(rdd_task(ctx, &cl_inc, "x", -1, bad1, 1, NULL, 0), GCN_ERR);
	ck_assert_ptr_nonnull(strstr(gcn_last_error(), "read-only on a gathered rdd"));
	struct rdd_access bad2[] = { { s, 0, RDD_RW, RDD_SPAN_ALL } };
	ck_assert_int_eq(rdd_task(ctx, &cl_inc, "x", -1, bad2, 1, NULL, 0), GCN_ERR);
	ck_assert_ptr_nonnull(strstr(gcn_last_error(), "read-only on a gathered rdd"));
	struct rdd_access bad3[] = { { s, 0, RDD_R, (enum rdd_span)7 } };
	ck_assert_int_eq(rdd_task(ctx, &cl_inc, "x", -1, bad3, 1, NULL, 0), GCN_ERR);
	ck_assert_ptr_nonnull(strstr(gcn_last_error(), "bad access span"));
	struct rdd *huge = NULL;
	const size_t big[2] = { (size_t)1 << 30, (size_t)1 << 30 };
	ck_assert_int_eq(rdd_gathered_create(ctx, &huge, "huge", RDD_F32, 2, big, 1), GCN_ERR);
	ck_assert_ptr_nonnull(strstr(gcn_last_error(), "32-bit row index"));
	ck_assert_ptr_null(huge);
	rdd_destroy(s2);
	rdd_destroy(g2);
	rdd_destroy(g);
	rdd_destroy(s);
	rdd_destroy(z2);
	rdd_destroy(z);
	stop(ctx);
}
END_TEST

/* ---- reduce ------------------------------------------------------------------------------- */

START_TEST(test_reduce_deterministic)
{
	static const int nps[] = { 1, 2, 3, 7, 8 };
	const int np = nps[_i];
	const size_t len = 997;
	struct rdd_context *ctx = start(4);
	struct rdd *parts = NULL, *out = NULL;
	size_t *lens = malloc((size_t)np * sizeof *lens);
	for (int p = 0; p < np; p++)
		lens[p] = len;
	ck_assert(rdd_create(ctx, &parts, "parts", RDD_F32, np, lens, 1, NULL) == GCN_OK);
	ck_assert(rdd_broadcast_create(ctx, &out, "sum", RDD_F32, len, 1) == GCN_OK);
	float *first = malloc(len * sizeof *first);
	unsigned seed = 12345;
	float *src = malloc((size_t)np * len * sizeof *src);
	for (size_t i = 0; i < (size_t)np * len; i++) {
		seed = seed * 1103515245u + 12345u;
		src[i] = ((float)(seed >> 8) / (float)(1u << 24) - 0.5f) * 1e3f;
	}
	for (int run = 0; run < 6; run++) {
		for (int p = 0; p < np; p++) {
			void *d;
			ck_assert(rdd_acquire(parts, p, RDD_W, &d) == GCN_OK);
			memcpy(d, src + (size_t)p * len, len * sizeof(float));
			rdd_release(parts, p);
		}
		ck_assert_msg(rdd_reduce(ctx, parts, out, "t reduce") == GCN_OK, "%s",
			      gcn_last_error());
		void *d;
		ck_assert(rdd_acquire(out, 0, RDD_R, &d) == GCN_OK);
		const float *s = d;
		if (run == 0) {
			memcpy(first, s, len * sizeof *first);
			for (size_t i = 0; i < len; i++) {
				double ref = 0.0, mag = 0.0;
				for (int p = 0; p < np; p++) {
					ref += src[(size_t)p * len + i];
					mag += fabs(src[(size_t)p * len + i]);
				}
				ck_assert_msg(fabs(s[i] - ref) <= 1e-5 * mag + 1e-6, "elem %zu: %g vs %g",
					      i, (double)s[i], ref);
			}
		} else {
			ck_assert_msg(memcmp(first, s, len * sizeof *first) == 0,
				      "reduce not bit-for-bit reproducible at run %d", run);
		}
		rdd_release(out, 0);
	}
	/* errors: shape mismatch, integer type */
	struct rdd *small = NULL, *ints = NULL;
	ck_assert(rdd_broadcast_create(ctx, &small, "small", RDD_F32, len - 1, 1) == GCN_OK);
	ck_assert_int_eq(rdd_reduce(ctx, parts, small, "bad"), GCN_ERR);
	ck_assert(rdd_create(ctx, &ints, "ints", RDD_I32, np, lens, 1, NULL) == GCN_OK);
	ck_assert_int_eq(rdd_reduce(ctx, ints, out, "bad"), GCN_ERR);
	rdd_destroy(small);
	rdd_destroy(ints);
	rdd_destroy(parts);
	rdd_destroy(out);
	free(first);
	free(src);
	free(lens);
	stop(ctx);
}
END_TEST

START_TEST(test_reduce_double_vectors)
{
	struct rdd_context *ctx = start(2);
	const size_t len[] = { 5, 5, 5, 5, 5 };
	struct rdd *parts = NULL, *out = NULL;
	ck_assert(rdd_vector_create(ctx, &parts, "stats", RDD_F64, 5, len) == GCN_OK);
	struct rdd *o2 = NULL;
	ck_assert(rdd_vector_create(ctx, &o2, "total", RDD_F64, 1, len) == GCN_OK);
	out = o2;
	for (int p = 0; p < 5; p++) {
		double *d = rdd_part_data(parts, p);
		for (int i = 0; i < 5; i++)
			d[i] = p * 10 + i;
	}
	ck_assert(rdd_reduce(ctx, parts, out, "stats reduce") == GCN_OK);
	void *d;
	ck_assert(rdd_acquire(out, 0, RDD_R, &d) == GCN_OK);
	for (int i = 0; i < 5; i++)
		ck_assert_double_eq(((double *)d)[i], 100.0 + 5.0 * i);
	rdd_release(out, 0);
	rdd_destroy(parts);
	rdd_destroy(out);
	stop(ctx);
}
END_TEST

/* ---- stats -------------------------------------------------------------------------------- */

START_TEST(test_stats_identity)
{
	struct rdd_context *ctx = start(2);
	enum { P = 2 };
	const size_t rows[P] = { 300, 200 }, cols = 8;
	const int32_t a[] = { 0, 1, 2, 3, 4 }, b[] = { 7, 8, 9 };
	const size_t count[P * P] = { 0, 3, 5, 0 };
	const int32_t *ids[P * P] = { NULL, b, a, NULL };
	struct rdd_shuffle_plan *plan = NULL;
	ck_assert(rdd_shuffle_plan_create(&plan, P, count, ids) == GCN_OK);
	struct rdd *z = NULL, *parts = NULL, *sum = NULL, *state = NULL;
	ck_assert(rdd_create(ctx, &z, "Z", RDD_F32, P, rows, cols, plan) == GCN_OK);
	const size_t ten[P] = { 10, 10 };
	ck_assert(rdd_create(ctx, &parts, "parts", RDD_F32, P, ten, 1, NULL) == GCN_OK);
	ck_assert(rdd_broadcast_create(ctx, &sum, "sum", RDD_F32, 10, 1) == GCN_OK);
	ck_assert(rdd_variable_create(ctx, &state, "state", 1, 24) == GCN_OK);

	const int epochs = 3;
	for (int e = 0; e < epochs; e++) {
		struct rdd_stats s;
		ck_assert(rdd_stats_begin(ctx) == GCN_OK);
		ck_assert_int_eq(rdd_stats_begin(ctx), GCN_ERR); /* nested window */
		struct rdd_access acc[] = { RDD_INOUT(z, RDD_EACH) };
		for (int k = 0; k < 20; k++)
			ck_assert(rdd_map(ctx, &cl_inc, "t inc", acc, 1, NULL, 0, 0) == GCN_OK);
		ck_assert(rdd_shuffle(ctx, z, "t shuffle") == GCN_OK);
		ck_assert(rdd_zero(ctx, parts, RDD_EACH, "t zero") == GCN_OK);
		ck_assert(rdd_reduce(ctx, parts, sum, "t reduce") == GCN_OK);
		struct rdd_access st[] = { RDD_INOUT(state, 0) };
		ck_assert(rdd_task(ctx, &cl_tick, "t state", -1, st, 1, NULL, 0) == GCN_OK);
		ck_assert(rdd_stats_end(ctx, &s) == GCN_OK);
		/* 40 inc + 2 pack + 2 zero + 1 add + 1 copy + 1 state */
		ck_assert_uint_eq(s.tasks, 47);
		ck_assert_uint_eq(s.tasks_done, 47);
		ck_assert_uint_eq(s.tasks_by_cat[RDD_COMPUTE], 43);
		ck_assert_uint_eq(s.tasks_by_cat[RDD_SHUFFLE], 2);
		ck_assert_uint_eq(s.tasks_by_cat[RDD_REDUCE], 2);
		ck_assert_uint_eq(s.shuffle_bytes, (3 + 5) * cols * sizeof(float));
		ck_assert_uint_eq(s.transferred_bytes, 0); /* CPU only: one memory node */
		ck_assert(s.compute_s > 0.0 && s.shuffle_s > 0.0 && s.reduce_s > 0.0);
		ck_assert_double_eq_tol(s.communication_s, s.shuffle_s + s.reduce_s, 1e-12);
		ck_assert_double_eq_tol(s.compute_s + s.communication_s + s.overhead_s, s.worker_s,
					1e-9);
		ck_assert_msg(s.overhead_s >= 0.0, "overhead %g", s.overhead_s);
		/* every worker is accounted for the window (wall_s brackets the workers' intervals;
		 * the lower bound allows the main thread being preempted on a busy machine) */
		ck_assert_msg(s.worker_s <= 2.0 * s.wall_s + 1e-9 &&
			      s.worker_s >= 2.0 * s.wall_s - 0.1,
			      "worker %g wall %g", s.worker_s, s.wall_s);
		ck_assert_double_eq_tol(s.mean_task_s * 47.0, s.compute_s + s.communication_s, 1e-12);
	}
	ck_assert_int_eq(rdd_stats_end(ctx, NULL), GCN_ERR); /* no window open */
	/* tasks outside windows are not counted */
	struct rdd_access acc[] = { RDD_INOUT(z, RDD_EACH) };
	ck_assert(rdd_map(ctx, &cl_inc, "t inc", acc, 1, NULL, 0, 0) == GCN_OK);
	ck_assert(rdd_wait_all(ctx) == GCN_OK);
	struct rdd_stats t;
	rdd_stats_total(ctx, &t);
	ck_assert_uint_eq(t.tasks, 47u * epochs);
	ck_assert_uint_eq(t.shuffle_bytes, (uint64_t)epochs * 8 * cols * sizeof(float));
	ck_assert_double_eq_tol(t.compute_s + t.communication_s + t.overhead_s, t.worker_s, 1e-9);
	/* the inc tasks ran: 20 per epoch + 1 */
	void *d;
	ck_assert(rdd_acquire(z, 0, RDD_R, &d) == GCN_OK);
	ck_assert_float_eq(((float *)d)[0], 20.0f * epochs + 1.0f);
	rdd_release(z, 0);
	ck_assert(rdd_acquire(state, 0, RDD_R, &d) == GCN_OK);
	ck_assert_uint_eq(((unsigned char *)d)[0], epochs);
	rdd_release(state, 0);
	rdd_destroy(z);
	rdd_destroy(parts);
	rdd_destroy(sum);
	rdd_destroy(state);
	rdd_shuffle_plan_destroy(plan);
	stop(ctx);
}
END_TEST

/* ---- trace and shutdown ------------------------------------------------------------------- */

/* A scratch folder under the build dir (STARPU_HOME's parent), created fresh. */
static void scratch(char *buf, size_t size, const char *name)
{
	const char *home = getenv("STARPU_HOME");
	snprintf(buf, size, "%s/../%s", home ? home : ".", name);
	char cmd[PATH_MAX + 16];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", buf);
	ck_assert_int_eq(system(cmd), 0);
}

START_TEST(test_trace_dir_errors)
{
	char dir[PATH_MAX], file[PATH_MAX + 8], sub[PATH_MAX + 16];
	scratch(dir, sizeof dir, "trace-errors");
	ck_assert_int_eq(mkdir(dir, 0755), 0);
	snprintf(file, sizeof file, "%s", test_write_file(dir, "file", ""));
	snprintf(sub, sizeof sub, "%s/sub", file);
	ck_assert_int_eq(rdd_trace_check_dir(file), GCN_ERR); /* a file */
	ck_assert_ptr_nonnull(strstr(gcn_last_error(), "not a directory"));
	ck_assert_int_eq(rdd_trace_check_dir(sub), GCN_ERR); /* under a file */
	ck_assert_int_eq(rdd_trace_check_dir(""), GCN_ERR);
	char longp[200];
	memset(longp, 'a', sizeof longp - 1);
	longp[sizeof longp - 1] = 0;
	ck_assert_int_eq(rdd_trace_check_dir(longp), GCN_ERR);
	ck_assert_ptr_nonnull(strstr(gcn_last_error(), "too long"));
	ck_assert_int_eq(rdd_trace_check_dir(dir), GCN_OK);
	/* a context with an unusable trace folder fails before starting StarPU */
	struct rdd_context_opts o;
	struct rdd_context *ctx = NULL;
	rdd_context_opts_init(&o);
	o.trace_dir = file;
	ck_assert_int_eq(rdd_context_create(&ctx, &o), GCN_ERR);
	ck_assert_ptr_null(ctx);
}
END_TEST

/* a StarPU home StarPU cannot create its folders in is an error, not StarPU's abort */
START_TEST(test_unusable_starpu_home)
{
	char dir[PATH_MAX], file[PATH_MAX + 8], bad[PATH_MAX + 16];
	scratch(dir, sizeof dir, "home-errors");
	ck_assert_int_eq(mkdir(dir, 0755), 0);
	snprintf(file, sizeof file, "%s", test_write_file(dir, "file", ""));
	snprintf(bad, sizeof bad, "%s/home", file);
	char *saved_home = strdup(getenv("STARPU_HOME") ? getenv("STARPU_HOME") : "");
	char *saved_pm = getenv("STARPU_PERF_MODEL_DIR") ? strdup(getenv("STARPU_PERF_MODEL_DIR"))
							  : NULL;
	setenv("STARPU_HOME", bad, 1);
	unsetenv("STARPU_PERF_MODEL_DIR");
	struct rdd_context_opts o;
	struct rdd_context *ctx = NULL;
	rdd_context_opts_init(&o);
	o.workers = 1;
	o.quiet = 1;
	const int rc = rdd_context_create(&ctx, &o);
	setenv("STARPU_HOME", saved_home, 1);
	if (saved_pm)
		setenv("STARPU_PERF_MODEL_DIR", saved_pm, 1);
	else
		unsetenv("STARPU_PERF_MODEL_DIR");
	free(saved_home);
	free(saved_pm);
	ck_assert_int_eq(rc, GCN_ERR);
	ck_assert_ptr_null(ctx);
	ck_assert_msg(strstr(gcn_last_error(), "StarPU cannot keep its files in") &&
			      strstr(gcn_last_error(), "Not a directory"),
		      "%s", gcn_last_error());
}
END_TEST

START_TEST(test_no_trace_writes_nothing)
{
	char dir[PATH_MAX], raw[PATH_MAX + 32];
	scratch(dir, sizeof dir, "fxt-off");
	ck_assert_int_eq(mkdir(dir, 0755), 0);
	/* even with StarPU's FxT variables aimed at dir, no trace means no file */
	setenv("STARPU_FXT_PREFIX", dir, 1);
	setenv("STARPU_FXT_SUFFIX", "off", 1);
	setenv("STARPU_FXT_TRACE", "1", 1);
	struct rdd_context *ctx = start(1);
	struct rdd *x = NULL;
	const size_t one = 1;
	ck_assert(rdd_create(ctx, &x, "x", RDD_F32, 1, &one, 1, NULL) == GCN_OK);
	struct rdd_access acc[] = { RDD_INOUT(x, RDD_EACH) };
	ck_assert(rdd_map(ctx, &cl_inc, "t inc", acc, 1, NULL, 0, 0) == GCN_OK);
	rdd_destroy(x);
	stop(ctx);
	snprintf(raw, sizeof raw, "%s/off_0", dir);
	ck_assert_int_ne(access(raw, F_OK), 0);
	unsetenv("STARPU_FXT_PREFIX");
	unsetenv("STARPU_FXT_SUFFIX");
}
END_TEST

START_TEST(test_trace_recorded)
{
	char dir[PATH_MAX], path[2 * PATH_MAX];
	scratch(dir, sizeof dir, "trace-on");
	struct rdd_context_opts o;
	struct rdd_context *ctx = NULL;
	rdd_context_opts_init(&o);
	o.workers = 2;
	o.trace_dir = dir; /* created by the context */
	ck_assert_msg(rdd_context_create(&ctx, &o) == GCN_OK, "%s", gcn_last_error());
	ck_assert_str_eq(rdd_context_trace_dir(ctx), dir);
	const size_t rows[] = { 3, 3 };
	struct rdd *x = NULL;
	ck_assert(rdd_create(ctx, &x, "x", RDD_F32, 2, rows, 2, NULL) == GCN_OK);
	struct rdd_access acc[] = { RDD_INOUT(x, RDD_EACH) };
	ck_assert(rdd_map(ctx, &cl_inc, "L1_fwd_inc", acc, 1, NULL, 0, 0) == GCN_OK);
	/* bytes a Paje trace cannot carry in a name become '_' */
	ck_assert(rdd_map(ctx, &cl_inc, "blank name 'q' \"d\" 100%", acc, 1, NULL, 0, 0) == GCN_OK);
	ck_assert(rdd_wait_all(ctx) == GCN_OK);
	rdd_trace_pause(ctx); /* tasks while paused are not recorded */
	ck_assert(rdd_map(ctx, &cl_inc, "paused inc", acc, 1, NULL, 0, 0) == GCN_OK);
	ck_assert(rdd_wait_all(ctx) == GCN_OK);
	rdd_trace_resume(ctx);
	rdd_destroy(x);
	ck_assert_msg(rdd_context_destroy(ctx) == GCN_OK, "%s", gcn_last_error());
	static const char *files[] = { "paje.trace", "tasks.rec", "dag.dot" };
	for (size_t i = 0; i < 3; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, files[i]);
		ck_assert_msg(access(path, R_OK) == 0, "missing %s", path);
	}
	/* task names reach the trace */
	snprintf(path, sizeof path, "grep -qx 'Name: L1_fwd_inc_p1' '%s/tasks.rec'", dir);
	ck_assert_int_eq(system(path), 0);
	snprintf(path, sizeof path, "grep -qx 'Name: blank_name__q___d__100__p1' '%s/tasks.rec'", dir);
	ck_assert_int_eq(system(path), 0);
	snprintf(path, sizeof path, "grep -q 'L1_fwd_inc_p1' '%s/paje.trace'", dir);
	ck_assert_int_eq(system(path), 0);
	snprintf(path, sizeof path, "grep -q 'paused inc' '%s/tasks.rec'", dir);
	ck_assert_int_ne(system(path), 0);
	ck_assert_ptr_nonnull(strstr(rdd_trace_vite_command(dir), "paje.trace"));
}
END_TEST

START_TEST(test_clean_shutdown)
{
	/* everything registered is unregistered by rdd_destroy (a live rdd at shutdown would make
	 * rdd_context_destroy fail), twice in a row in one process */
	for (int round = 0; round < 2; round++) {
		struct rdd_context *ctx = start(2);
		const size_t rows[] = { 2, 3 };
		struct rdd *a = NULL, *v = NULL, *w = NULL;
		ck_assert(rdd_create(ctx, &a, "a", RDD_F32, 2, rows, 4, NULL) == GCN_OK);
		ck_assert(rdd_vector_create(ctx, &v, "v", RDD_I64, 2, rows) == GCN_OK);
		ck_assert(rdd_variable_create(ctx, &w, "w", 2, 16) == GCN_OK);
		ck_assert_int_eq(rdd_nparts(v), 2);
		ck_assert_uint_eq(rdd_part_rows(v, 1), 3);
		ck_assert_uint_eq(rdd_cols(w), 16);
		ck_assert_int_eq(rdd_part_owner(a, 1), 0);
		struct rdd *bad = a;
		ck_assert_int_eq(rdd_create(ctx, &bad, "bad", RDD_F32, 0, rows, 4, NULL), GCN_ERR);
		ck_assert_ptr_null(bad);
		ck_assert_int_eq(rdd_create(ctx, &bad, "bad", RDD_F32, 2, rows, 0, NULL), GCN_ERR);
		struct rdd_access acc[] = { RDD_INOUT(a, RDD_EACH) };
		ck_assert(rdd_map(ctx, &cl_inc, "t inc", acc, 1, NULL, 0, 0) == GCN_OK);
		rdd_destroy(a); /* waits for the tasks on a */
		rdd_destroy(v);
		rdd_destroy(w);
		rdd_destroy(NULL);
		stop(ctx);
	}
}
END_TEST

static Suite *runtime_suite(void)
{
	Suite *s = suite_create("runtime");
	TCase *tc = tcase_create("core");
	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, test_context_workers, 0, 3);
	tcase_add_test(tc, test_context_binds_from_last_core);
	tcase_add_test(tc, test_context_errors);
	tcase_add_loop_test(tc, test_context_sched, 0, 4);
	tcase_add_test(tc, test_map_matches_loop);
	tcase_add_test(tc, test_shuffle_rows);
	tcase_add_test(tc, test_gather_all);
	tcase_add_loop_test(tc, test_reduce_deterministic, 0, 5);
	tcase_add_test(tc, test_reduce_double_vectors);
	tcase_add_test(tc, test_stats_identity);
	tcase_add_test(tc, test_trace_dir_errors);
	tcase_add_test(tc, test_unusable_starpu_home);
	tcase_add_test(tc, test_no_trace_writes_nothing);
	tcase_add_test(tc, test_trace_recorded);
	tcase_add_test(tc, test_clean_shutdown);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	user_binding = getenv("STARPU_WORKERS_NOBIND") || getenv("STARPU_WORKERS_CPUID");
	return test_run_suite(runtime_suite(), CK_NOFORK); /* StarPU: one process, started per test */
}
