/* rdd.c: partitions as StarPU handles and every task submission of the RDD layer.
 *
 * This is the one file that registers handles and submits tasks. In a distributed context
 * (DESIGN §8, dist.h) every rank registers every handle, with its owner rank: a partition
 * belongs to rdd_context_part_rank, a broadcast to rank 0, a halo slice q->p to q's rank (its
 * pack runs where q's rows are), a gathered rdd's partition q to q's rank. Only the owner
 * allocates a partition's buffer; a rank that needs a slice or a gathered block it does not
 * own receives it from StarPU-MPI into its home place, so [local | halo] and gathered blocks
 * stay contiguous on every rank. Each task runs on the rank owning the first handle it
 * writes, and a shuffle's packs are split by source rank so that only the planned rows cross
 * ranks.
 *
 * Codelets: every rdd_op gets one StarPU codelet (variable buffer count) whose CPU function is
 * a trampoline: it turns the task's StarPU interfaces into rdd_buf (merging a partition's halo
 * slices into one contiguous block after checking that they really are contiguous) and calls
 * the op's function with the argument bytes copied behind a small header. The runtime's own
 * codelets (cl_pack for shuffles, cl_copy for gathers and the end of reduce trees, cl_add
 * for reduce trees, cl_zero) are plain StarPU codelets below. */
#include <assert.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "runtime/dist.h"
#include "runtime/internal.h"

/* Trace colors (0xRRGGBB) by category: compute green, shuffle purple, reduce blue. Not red:
 * StarPU 1.3 draws a worker's Idle and Sleeping states red (.9 .1 .0), and a shuffle must not
 * look like a worker waiting. */
static const unsigned category_color[RDD_NCATEGORIES] = { 0x2ca02c, 0x9467bd, 0x1f77b4 };

/* ---- buffers as kernels see them --------------------------------------------------------- */

/* Shape of one StarPU interface as a row-major block; *elem gets the element size. */
static struct rdd_buf describe(void *iface, size_t *elem)
{
	struct rdd_buf b = { 0 };
	switch (*(enum starpu_data_interface_id *)iface) {
	case STARPU_MATRIX_INTERFACE_ID:
		b.ptr = (void *)STARPU_MATRIX_GET_PTR(iface);
		b.rows = STARPU_MATRIX_GET_NY(iface);
		b.cols = STARPU_MATRIX_GET_NX(iface);
		b.ld = STARPU_MATRIX_GET_LD(iface);
		*elem = STARPU_MATRIX_GET_ELEMSIZE(iface);
		break;
	case STARPU_VECTOR_INTERFACE_ID:
		b.ptr = (void *)STARPU_VECTOR_GET_PTR(iface);
		b.rows = STARPU_VECTOR_GET_NX(iface);
		b.cols = 1;
		b.ld = 1;
		*elem = STARPU_VECTOR_GET_ELEMSIZE(iface);
		break;
	case STARPU_VARIABLE_INTERFACE_ID:
		b.ptr = (void *)STARPU_VARIABLE_GET_PTR(iface);
		b.rows = 1;
		b.cols = STARPU_VARIABLE_GET_ELEMSIZE(iface);
		b.ld = b.cols;
		*elem = 1;
		break;
	default:
		STARPU_ABORT_MSG("rdd: unexpected data interface");
	}
	b.local_rows = b.rows;
	return b;
}

/* Header of an rdd_op task's argument; the op's argument bytes follow at RDD_CALL_SIZE. */
struct rdd_call {
	rdd_cpu_fn fn;              /* the op's CPU function */
	int nacc;                   /* accesses */
	int span[RDD_MAX_ACCESS];   /* StarPU buffers per access (1 + halo slices, or P) */
	int whole[RDD_MAX_ACCESS];  /* 1: RDD_SPAN_ALL, every row counts as the task's own */
	size_t arg_size;            /* argument bytes after the header */
};
#define RDD_CALL_SIZE ((sizeof(struct rdd_call) + 63) / 64 * 64)

static void trampoline_cpu(void *buffers[], void *cl_arg)
{
	const struct rdd_call *call = cl_arg;
	struct rdd_buf buf[RDD_MAX_ACCESS];
	int k = 0;
	for (int i = 0; i < call->nacc; i++) {
		size_t elem;
		buf[i] = describe(buffers[k], &elem);
		/* [local | halo] or the partitions of a gathered rdd: every slice must start where
		 * the previous one ends. Holds for main-RAM handles registered inside one buffer
		 * on CPU-only StarPU (rdd.h). */
		for (int j = 1; j < call->span[i]; j++) {
			size_t e2;
			struct rdd_buf h = describe(buffers[k + j], &e2);
			char *expect = (char *)buf[i].ptr + buf[i].rows * buf[i].ld * elem;
			STARPU_ASSERT_MSG(h.ptr == (void *)expect && h.ld == buf[i].ld && e2 == elem,
					  "rdd: slice not contiguous with the one before it");
			buf[i].rows += h.rows;
		}
		if (call->whole[i])
			buf[i].local_rows = buf[i].rows;
		k += call->span[i];
	}
	call->fn(buf, call->nacc, call->arg_size ? (const char *)cl_arg + RDD_CALL_SIZE : NULL);
}

/* ---- the runtime's own codelets ---------------------------------------------------------- */

/* A pack task's argument: which q-local rows go to the slice (lives in the plan). */
struct pack_arg {
	const int32_t *rows; /* q-local row ids */
	size_t count;        /* rows to copy */
};

/* The pack task of one destination p: its P pack arguments (count 0 for q == p and for the
 * sources that send nothing: they have no buffers). */
struct pack_dest_arg {
	const struct pack_arg *pack; /* [q] rows q -> p (lives in the plan) */
	int q_begin, q_end;          /* the sources this task packs: q_begin <= q < q_end */
};

/* Rows a pack runs ahead of itself: the rows p needs are scattered through q's block, too
 * sparse for the hardware prefetcher, so each copy would wait on its own cache misses. */
#define PACK_PREFETCH_AHEAD 8

/* For every source q with rows for p, in q order, buffers hold the pair (q's local block,
 * p's halo slice from q): slice row i = q's row rows[i]. One task per destination keeps the
 * task count at P per shuffle instead of P (P - 1). */
static void pack_cpu(void *buffers[], void *cl_arg)
{
	const struct pack_dest_arg *a = cl_arg;
	int b = 0;
	for (int q = a->q_begin; q < a->q_end; q++) {
		const struct pack_arg *pk = &a->pack[q];
		if (!pk->count)
			continue;
		size_t e, e2;
		struct rdd_buf src = describe(buffers[b], &e);
		struct rdd_buf dst = describe(buffers[b + 1], &e2);
		b += 2;
		const size_t row_bytes = src.cols * e, src_pitch = src.ld * e;
		const char *from = src.ptr;
		for (size_t i = 0; i < pk->count; i++) {
			if (i + PACK_PREFETCH_AHEAD < pk->count) {
				const char *ahead =
					from + (size_t)pk->rows[i + PACK_PREFETCH_AHEAD] * src_pitch;
				for (size_t off = 0; off < row_bytes; off += 64)
					__builtin_prefetch(ahead + off);
			}
			memcpy((char *)dst.ptr + i * dst.ld * e2, from + (size_t)pk->rows[i] * src_pitch,
			       row_bytes);
		}
	}
}

/* dst += src, element-wise over the whole block, float (4-byte) or double (8-byte) elements. */
static void add_cpu(void *buffers[], void *cl_arg)
{
	(void)cl_arg;
	size_t e, e2;
	struct rdd_buf dst = describe(buffers[0], &e);
	struct rdd_buf src = describe(buffers[1], &e2);
	for (size_t r = 0; r < dst.rows; r++) {
		if (e == sizeof(double)) {
			double *d = (double *)dst.ptr + r * dst.ld;
			const double *s = (const double *)src.ptr + r * src.ld;
			for (size_t j = 0; j < dst.cols; j++)
				d[j] += s[j];
		} else {
			float *d = (float *)dst.ptr + r * dst.ld;
			const float *s = (const float *)src.ptr + r * src.ld;
			for (size_t j = 0; j < dst.cols; j++)
				d[j] += s[j];
		}
	}
}

/* dst = src (same shape). */
static void copy_cpu(void *buffers[], void *cl_arg)
{
	(void)cl_arg;
	size_t e, e2;
	struct rdd_buf dst = describe(buffers[0], &e);
	struct rdd_buf src = describe(buffers[1], &e2);
	if (dst.ld == dst.cols && src.ld == src.cols) { /* dense blocks: one copy */
		memcpy(dst.ptr, src.ptr, dst.rows * dst.cols * e);
		return;
	}
	for (size_t r = 0; r < dst.rows; r++)
		memcpy((char *)dst.ptr + r * dst.ld * e, (const char *)src.ptr + r * src.ld * e2,
		       dst.cols * e);
}

/* dst = 0. */
static void zero_cpu(void *buffers[], void *cl_arg)
{
	(void)cl_arg;
	size_t e;
	struct rdd_buf dst = describe(buffers[0], &e);
	for (size_t r = 0; r < dst.rows; r++)
		memset((char *)dst.ptr + r * dst.ld * e, 0, dst.cols * e);
}

static struct starpu_codelet cl_pack = {
	.where = STARPU_CPU, .cpu_funcs = { pack_cpu }, .cpu_funcs_name = { "pack_cpu" },
	.nbuffers = STARPU_VARIABLE_NBUFFERS, .name = "pack",
};
static struct starpu_codelet cl_add = {
	.where = STARPU_CPU, .cpu_funcs = { add_cpu }, .cpu_funcs_name = { "add_cpu" },
	.nbuffers = 2, .modes = { STARPU_RW, STARPU_R }, .name = "add",
};
static struct starpu_codelet cl_copy = {
	.where = STARPU_CPU, .cpu_funcs = { copy_cpu }, .cpu_funcs_name = { "copy_cpu" },
	.nbuffers = 2, .modes = { STARPU_W, STARPU_R }, .name = "copy",
};
static struct starpu_codelet cl_zero = {
	.where = STARPU_CPU, .cpu_funcs = { zero_cpu }, .cpu_funcs_name = { "zero_cpu" },
	.nbuffers = 1, .modes = { STARPU_W }, .name = "zero",
};

/* ---- names and op codelets --------------------------------------------------------------- */

/* c as it may stand in a task name: starpu_fxt_tool 1.3 writes task names unquoted into
 * paje.trace's entity-value and extended SetState lines, so ViTE splits a name at blanks, and
 * a quote or '%' breaks its parser; each of those bytes, and control bytes, becomes '_'. */
static char paje_safe(char c)
{
	unsigned char u = (unsigned char)c;
	return u <= ' ' || u == 0x7f || c == '"' || c == '\'' || c == '%' ? '_' : c;
}

/* Whether text equals name once name's bytes went through paje_safe. */
static int same_safe_name(const char *text, const char *name)
{
	for (; *text && *name; text++, name++)
		if (*text != paje_safe(*name))
			return 0;
	return !*text && !*name;
}

const char *rdd_intern_name(struct rdd_context *ctx, const char *name)
{
	uint64_t h = 1469598103934665603ull;
	size_t len = 0;
	for (const char *s = name; *s; s++, len++)
		h = (h ^ (unsigned char)paje_safe(*s)) * 1099511628211ull;
	struct rdd_name **bucket = &ctx->names[h % RDD_NAME_BUCKETS];
	for (struct rdd_name *n = *bucket; n; n = n->next)
		if (n->hash == h && same_safe_name(n->text, name))
			return n->text;
	struct rdd_name *n = malloc(sizeof *n + len + 1);
	if (!n)
		return NULL;
	n->hash = h;
	for (size_t i = 0; i <= len; i++)
		n->text[i] = name[i] ? paje_safe(name[i]) : '\0';
	n->next = *bucket;
	*bucket = n;
	return n->text;
}

/* The StarPU codelet of op in ctx, created on first use (NULL with a message on failure). */
static struct starpu_codelet *op_codelet(struct rdd_context *ctx, const struct rdd_op *op)
{
	for (int i = 0; i < ctx->nops; i++)
		if (ctx->ops[i]->op == op)
			return &ctx->ops[i]->cl;
	if (ctx->nops == RDD_MAX_OPS) {
		gcn_fail("rdd: more than %d distinct operations", RDD_MAX_OPS);
		return NULL;
	}
	struct rdd_op_slot *slot = calloc(1, sizeof *slot);
	if (!slot) {
		gcn_fail("out of memory");
		return NULL;
	}
	starpu_codelet_init(&slot->cl);
	slot->op = op;
	slot->cl.where = STARPU_CPU;
	slot->cl.cpu_funcs[0] = trampoline_cpu;
	slot->cl.cpu_funcs_name[0] = op->name;
	slot->cl.nbuffers = STARPU_VARIABLE_NBUFFERS;
	slot->cl.name = op->name;
	slot->cl.color = category_color[op->cat];
	ctx->ops[ctx->nops++] = slot;
	return &slot->cl;
}

void rdd_ops_free(struct rdd_context *ctx)
{
	for (int i = 0; i < ctx->nops; i++)
		free(ctx->ops[i]);
	ctx->nops = 0;
	for (int b = 0; b < RDD_NAME_BUCKETS; b++) {
		struct rdd_name *n = ctx->names[b];
		while (n) {
			struct rdd_name *next = n->next;
			free(n);
			n = next;
		}
		ctx->names[b] = NULL;
	}
}

/* The rank that runs a task: the owner of the first handle it writes (rank 0 when none). */
static int exec_rank(const struct rdd_context *ctx, const struct starpu_data_descr *descr,
		     int nbuf)
{
	if (!ctx->distributed)
		return 0;
	for (int i = 0; i < nbuf; i++)
		if (descr[i].mode & STARPU_W)
			return rdd_dist_owner(descr[i].handle);
	return 0;
}

/* The one place tasks are submitted: name interned, category callback and color attached;
 * bytes (a shuffle's copies) count on the rank that runs the task. */
static int submit(struct rdd_context *ctx, struct starpu_codelet *cl, enum rdd_category cat,
		  const char *name, struct starpu_data_descr *descr, int nbuf, void *arg,
		  size_t arg_size, int free_arg, uint64_t bytes)
{
	const char *iname = rdd_intern_name(ctx, name);
	if (!iname) {
		if (free_arg)
			free(arg);
		return gcn_fail("out of memory");
	}
	const int exec = exec_rank(ctx, descr, nbuf);
	const int color = (int)category_color[cat];
	int ret;
	if (ctx->distributed)
		ret = rdd_dist_insert(ctx, exec, cl, descr, nbuf, arg, arg_size, free_arg, iname,
				      color, rdd_task_done, &ctx->tags[cat]);
	else
		ret = starpu_task_insert(cl, STARPU_DATA_MODE_ARRAY, descr, nbuf,
					 free_arg ? STARPU_CL_ARGS : STARPU_CL_ARGS_NFREE, arg,
					 arg_size, STARPU_NAME, iname, STARPU_TASK_COLOR, color,
					 STARPU_CALLBACK_WITH_ARG_NFREE, rdd_task_done, &ctx->tags[cat],
					 0);
	if (ret != 0) {
		/* starpu_task_insert frees STARPU_CL_ARGS only once the task exists */
		return gcn_fail("starpu_task_insert(%s) failed: %s", name,
				ret == -ENODEV ? "no worker can run it" : strerror(-ret));
	}
	if (exec == ctx->rank) {
		ctx->submitted++;
		ctx->shuffle_bytes += bytes;
	}
	return GCN_OK;
}

static enum starpu_data_access_mode starpu_mode(enum rdd_mode m)
{
	return m == RDD_R ? STARPU_R : m == RDD_W ? STARPU_W : STARPU_RW;
}

/* ---- rdds -------------------------------------------------------------------------------- */

static size_t elem_size(enum rdd_elem e)
{
	switch (e) {
	case RDD_F32: return 4;
	case RDD_F64: return 8;
	case RDD_I32: return 4;
	case RDD_I64: return 8;
	case RDD_U8: return 1;
	}
	return 0;
}

/* A zeroed 64-byte aligned allocation of at least bytes (NULL when out of memory). */
static void *zalloc(size_t bytes)
{
	bytes = bytes ? (bytes + 63) / 64 * 64 : 64;
	void *p = aligned_alloc(64, bytes);
	if (p)
		memset(p, 0, bytes);
	return p;
}

/* A gathered rdd's one allocation, partitions back to back (no padding between them, so
 * that RDD_IN_ALL sees one contiguous block). */
static int alloc_block(struct rdd *r, const size_t *rows)
{
	size_t total = 0;
	for (int p = 0; p < r->nparts; p++)
		total += rows[p];
	if (total > INT32_MAX) /* whole-rdd readers index its rows with int32 (CSR columns) */
		return gcn_fail("rdd %s: %zu rows in all, over the 32-bit row index", r->name, total);
	if (!(r->block = zalloc(total * r->cols * r->elem_size)))
		return gcn_fail("rdd %s: out of memory for %zu rows", r->name, total);
	return GCN_OK;
}

/* Registers one (rows, cols) block of r at ptr (NULL: no home buffer, StarPU allocates one
 * where a task or a transfer first needs it) owned by rank owner; named "<r> <label>". */
static void register_block(struct rdd *r, starpu_data_handle_t *h, void *ptr, size_t rows,
			   int owner, const char *label)
{
	const int home = ptr ? STARPU_MAIN_RAM : -1;
	switch (r->kind) {
	case RDD_MATRIX:
		starpu_matrix_data_register(h, home, (uintptr_t)ptr, (uint32_t)r->cols,
					    (uint32_t)r->cols, (uint32_t)rows, r->elem_size);
		break;
	case RDD_VECTOR:
		starpu_vector_data_register(h, home, (uintptr_t)ptr, (uint32_t)rows, r->elem_size);
		break;
	case RDD_VARIABLE:
		starpu_variable_data_register(h, home, (uintptr_t)ptr, r->cols);
		break;
	}
	char hname[96];
	snprintf(hname, sizeof hname, "%s %s", r->name, label);
	starpu_data_set_name(*h, hname);
	if (r->ctx->distributed)
		rdd_dist_register(r->ctx, *h, owner);
}

/* Allocates and registers the partitions of r (fields other than part already set). A rank
 * allocates the partitions it owns, every broadcast and the whole of a gathered rdd. */
static int register_parts(struct rdd *r, const size_t *rows)
{
	const struct rdd_shuffle_plan *plan = r->plan;
	struct rdd_context *ctx = r->ctx;
	char *next = r->block;
	char label[48];
	for (int p = 0; p < r->nparts; p++)
		r->part[p].owner = r->broadcast ? 0 : rdd_context_part_rank(ctx, p, r->nparts);
	for (int p = 0; p < r->nparts; p++) {
		struct rdd_part *pt = &r->part[p];
		pt->rows = rows[p];
		pt->halo_rows = plan ? plan->halo_rows[p] : 0;
		size_t total = pt->rows + pt->halo_rows;
		if (total > UINT32_MAX)
			return gcn_fail("rdd %s: partition %d has %zu rows, over StarPU's 32-bit limit",
					r->name, p, total);
		size_t bytes = total * r->cols * r->elem_size;
		if (next) {
			pt->data = next;
			next += bytes;
		} else if ((r->broadcast || pt->owner == ctx->rank) && !(pt->data = zalloc(bytes))) {
			return gcn_fail("rdd %s: out of memory for partition %d (%zu bytes)", r->name, p,
					bytes);
		}
		snprintf(label, sizeof label, "p%d", p);
		register_block(r, &pt->local, pt->data, pt->rows, pt->owner, label);
		if (!plan)
			continue;
		pt->halo = calloc((size_t)r->nparts, sizeof *pt->halo);
		if (!pt->halo)
			return gcn_fail("out of memory");
		for (int q = 0; q < r->nparts; q++) {
			size_t n = plan->count[(size_t)p * r->nparts + q];
			if (n == 0)
				continue;
			const int32_t *ids = plan->rows[(size_t)p * r->nparts + q];
			for (size_t i = 0; i < n; i++)
				if ((size_t)ids[i] >= rows[q])
					return gcn_fail("rdd %s: plan row %d of partition %d is out of range "
							"(%zu rows)", r->name, ids[i], q, rows[q]);
			char *ptr = NULL; /* a rank that does not hold p packs into StarPU's buffer */
			if (pt->data) {
				size_t row0 = pt->rows + plan->offset[(size_t)p * r->nparts + q];
				ptr = (char *)pt->data + row0 * r->cols * r->elem_size;
			}
			snprintf(label, sizeof label, "%d->%d", q, p);
			register_block(r, &pt->halo[q], ptr, n, r->part[q].owner, label);
		}
	}
	return GCN_OK;
}

/* Common constructor. */
static int rdd_new(struct rdd_context *ctx, struct rdd **out, const char *name, enum rdd_elem elem,
		   enum rdd_kind kind, int nparts, const size_t *rows, size_t cols,
		   const struct rdd_shuffle_plan *plan, int broadcast, int gathered)
{
	struct rdd *r = NULL;
	int status = GCN_ERR;
	*out = NULL;
	if (nparts < 1) {
		gcn_fail("rdd %s: %d partitions (need at least 1)", name, nparts);
		goto cleanup;
	}
	if (cols == 0 || cols > UINT32_MAX || elem_size(elem) == 0) {
		gcn_fail("rdd %s: bad shape (%zu columns)", name, cols);
		goto cleanup;
	}
	if (plan && (plan->nparts != nparts || kind != RDD_MATRIX)) {
		gcn_fail("rdd %s: shuffle plan for %d partitions on %d partitions", name,
			 plan->nparts, nparts);
		goto cleanup;
	}
	r = calloc(1, sizeof *r);
	if (!r || !(r->part = calloc((size_t)nparts, sizeof *r->part))) {
		gcn_fail("out of memory");
		goto cleanup;
	}
	r->ctx = ctx;
	snprintf(r->name, sizeof r->name, "%s", name ? name : "rdd");
	r->elem = elem;
	r->kind = kind;
	r->elem_size = elem_size(elem);
	r->cols = cols;
	r->nparts = nparts;
	r->broadcast = broadcast;
	r->plan = plan;
	ctx->live_rdds++;
	if (gathered && alloc_block(r, rows) != GCN_OK)
		goto cleanup;
	if (register_parts(r, rows) != GCN_OK)
		goto cleanup;
	*out = r;
	status = GCN_OK;

cleanup:
	if (status != GCN_OK && r) {
		if (r->part)
			rdd_destroy(r);
		else
			free(r);
	}
	return status;
}

int rdd_create(struct rdd_context *ctx, struct rdd **out, const char *name, enum rdd_elem elem,
	       int nparts, const size_t *rows, size_t cols, const struct rdd_shuffle_plan *plan)
{
	return rdd_new(ctx, out, name, elem, RDD_MATRIX, nparts, rows, cols, plan, 0, 0);
}

int rdd_gathered_create(struct rdd_context *ctx, struct rdd **out, const char *name,
			enum rdd_elem elem, int nparts, const size_t *rows, size_t cols)
{
	return rdd_new(ctx, out, name, elem, RDD_MATRIX, nparts, rows, cols, NULL, 0, 1);
}

int rdd_vector_create(struct rdd_context *ctx, struct rdd **out, const char *name,
		      enum rdd_elem elem, int nparts, const size_t *len)
{
	return rdd_new(ctx, out, name, elem, RDD_VECTOR, nparts, len, 1, NULL, 0, 0);
}

int rdd_variable_create(struct rdd_context *ctx, struct rdd **out, const char *name, int nparts,
			size_t bytes)
{
	size_t *ones = malloc((nparts > 0 ? (size_t)nparts : 1) * sizeof *ones);
	if (!ones) {
		*out = NULL;
		return gcn_fail("out of memory");
	}
	for (int p = 0; p < nparts; p++)
		ones[p] = 1;
	int status = rdd_new(ctx, out, name, RDD_U8, RDD_VARIABLE, nparts, ones, bytes, NULL, 0, 0);
	free(ones);
	return status;
}

int rdd_broadcast_create(struct rdd_context *ctx, struct rdd **out, const char *name,
			 enum rdd_elem elem, size_t rows, size_t cols)
{
	return rdd_new(ctx, out, name, elem, RDD_MATRIX, 1, &rows, cols, NULL, 1, 0);
}

void rdd_destroy(struct rdd *r)
{
	if (!r)
		return;
	for (int p = 0; p < r->nparts; p++) {
		struct rdd_part *pt = &r->part[p];
		if (pt->halo) {
			for (int q = 0; q < r->nparts; q++)
				if (pt->halo[q])
					starpu_data_unregister(pt->halo[q]);
			free(pt->halo);
		}
		if (pt->local)
			starpu_data_unregister(pt->local);
		if (!r->block)
			free(pt->data);
	}
	free(r->block);
	r->ctx->live_rdds--;
	free(r->part);
	free(r);
}

void *rdd_part_data(const struct rdd *r, int p)
{
	return p >= 0 && p < r->nparts ? r->part[p].data : NULL;
}

int rdd_nparts(const struct rdd *r)
{
	return r->nparts;
}

size_t rdd_cols(const struct rdd *r)
{
	return r->cols;
}

size_t rdd_part_rows(const struct rdd *r, int p)
{
	return p >= 0 && p < r->nparts ? r->part[p].rows : 0;
}

size_t rdd_part_halo_rows(const struct rdd *r, int p)
{
	return p >= 0 && p < r->nparts ? r->part[p].halo_rows : 0;
}

int rdd_part_owner(const struct rdd *r, int p)
{
	return p >= 0 && p < r->nparts ? r->part[p].owner : -1;
}

/* ---- tasks ------------------------------------------------------------------------------- */

int rdd_task(struct rdd_context *ctx, const struct rdd_op *op, const char *name, int label,
	     const struct rdd_access *acc, int nacc, const void *arg, size_t arg_size)
{
	struct starpu_data_descr descr[RDD_MAX_BUFFERS];
	struct rdd_call *call = NULL;
	char full[160];
	if (!op || !op->cpu || op->cat < 0 || op->cat >= RDD_NCATEGORIES)
		return gcn_fail("rdd_task: bad operation");
	if (nacc < 1 || nacc > RDD_MAX_ACCESS)
		return gcn_fail("rdd_task %s: %d accesses (1 to %d)", op->name, nacc, RDD_MAX_ACCESS);
	int nbuf = 0;
	int span[RDD_MAX_ACCESS], whole[RDD_MAX_ACCESS];
	for (int i = 0; i < nacc; i++) {
		const struct rdd_access *a = &acc[i];
		if (!a->r)
			return gcn_fail("rdd_task %s: access %d has no rdd", op->name, i);
		if (a->part < 0 || a->part >= a->r->nparts)
			return gcn_fail("rdd_task %s: partition %d of %s out of range (%d partitions)",
					op->name, a->part, a->r->name, a->r->nparts);
		if (a->mode != RDD_R && a->mode != RDD_W && a->mode != RDD_RW)
			return gcn_fail("rdd_task %s: bad access mode", op->name);
		if (a->span == RDD_SPAN_HALO && (a->mode != RDD_R || !a->r->plan))
			return gcn_fail("rdd_task %s: halo access to %s must be read-only on an rdd "
					"with a shuffle plan", op->name, a->r->name);
		if (a->span == RDD_SPAN_ALL && (a->mode != RDD_R || !a->r->block))
			return gcn_fail("rdd_task %s: whole-rdd access to %s must be read-only on a "
					"gathered rdd", op->name, a->r->name);
		if (a->span != RDD_SPAN_PART && a->span != RDD_SPAN_HALO && a->span != RDD_SPAN_ALL)
			return gcn_fail("rdd_task %s: bad access span", op->name);
		int need = 1; /* StarPU buffers of this access */
		if (a->span == RDD_SPAN_HALO)
			need += a->r->nparts;
		else if (a->span == RDD_SPAN_ALL)
			need = a->r->nparts;
		if (nbuf + need > RDD_MAX_BUFFERS)
			return gcn_fail("rdd_task %s: more than %d buffers", op->name, RDD_MAX_BUFFERS);
		whole[i] = a->span == RDD_SPAN_ALL;
		if (whole[i]) {
			for (int q = 0; q < a->r->nparts; q++) {
				descr[nbuf].handle = a->r->part[q].local;
				descr[nbuf++].mode = STARPU_R;
			}
			span[i] = a->r->nparts;
			continue;
		}
		const struct rdd_part *pt = &a->r->part[a->part];
		span[i] = 1;
		descr[nbuf].handle = pt->local;
		descr[nbuf++].mode = starpu_mode(a->mode);
		if (a->span == RDD_SPAN_HALO)
			for (int q = 0; q < a->r->nparts; q++)
				if (pt->halo[q]) {
					descr[nbuf].handle = pt->halo[q];
					descr[nbuf++].mode = STARPU_R;
					span[i]++;
				}
	}
	struct starpu_codelet *cl = op_codelet(ctx, op);
	if (!cl)
		return GCN_ERR;
	size_t size = RDD_CALL_SIZE + arg_size;
	call = malloc(size);
	if (!call)
		return gcn_fail("out of memory");
	call->fn = op->cpu;
	call->nacc = nacc;
	memcpy(call->span, span, (size_t)nacc * sizeof *span);
	memcpy(call->whole, whole, (size_t)nacc * sizeof *whole);
	call->arg_size = arg_size;
	if (arg_size)
		memcpy((char *)call + RDD_CALL_SIZE, arg, arg_size);
	if (label >= 0)
		snprintf(full, sizeof full, "%s_p%d", name ? name : op->name, label);
	else
		snprintf(full, sizeof full, "%s", name ? name : op->name);
	return submit(ctx, cl, op->cat, full, descr, nbuf, call, size, 1, 0);
}

int rdd_map(struct rdd_context *ctx, const struct rdd_op *op, const char *name,
	    const struct rdd_access *acc, int nacc, const void *args, size_t arg_size,
	    size_t arg_stride)
{
	struct rdd_access a[RDD_MAX_ACCESS];
	if (nacc < 1 || nacc > RDD_MAX_ACCESS)
		return gcn_fail("rdd_map %s: %d accesses (1 to %d)", name, nacc, RDD_MAX_ACCESS);
	int nparts = -1;
	for (int i = 0; i < nacc; i++) {
		if (acc[i].part != RDD_EACH || !acc[i].r)
			continue;
		if (nparts < 0)
			nparts = acc[i].r->nparts;
		else if (acc[i].r->nparts != nparts)
			return gcn_fail("rdd_map %s: %s has %d partitions, expected %d", name,
					acc[i].r->name, acc[i].r->nparts, nparts);
	}
	if (nparts < 0)
		return gcn_fail("rdd_map %s: no RDD_EACH access", name);
	for (int p = 0; p < nparts; p++) {
		for (int i = 0; i < nacc; i++) {
			a[i] = acc[i];
			if (a[i].part == RDD_EACH)
				a[i].part = p;
		}
		const void *arg = args ? (const char *)args + (size_t)p * arg_stride : NULL;
		if (rdd_task(ctx, op, name, p, a, nacc, arg, args ? arg_size : 0) != GCN_OK)
			return GCN_ERR;
	}
	return GCN_OK;
}

int rdd_shuffle(struct rdd_context *ctx, struct rdd *r, const char *name)
{
	const struct rdd_shuffle_plan *plan = r->plan;
	char full[160];
	if (!plan)
		return gcn_fail("rdd_shuffle %s: %s has no shuffle plan", name, r->name);
	struct starpu_data_descr *d = malloc(2 * (size_t)r->nparts * sizeof *d);
	if (!d)
		return gcn_fail("rdd_shuffle %s: out of memory", name);
	for (int p = 0; p < r->nparts; p++) {
		/* one pack task per destination and source rank: sources of one rank are a run of
		 * consecutive q (rdd_context_part_rank), and their slices belong to that rank */
		for (int q0 = 0; q0 < r->nparts;) {
			const int rank = r->part[q0].owner;
			int q1 = q0, nbuf = 0;
			uint64_t bytes = 0;
			for (; q1 < r->nparts && r->part[q1].owner == rank; q1++) {
				if (!r->part[p].halo[q1])
					continue;
				d[nbuf++] = (struct starpu_data_descr){ r->part[q1].local, STARPU_R };
				d[nbuf++] = (struct starpu_data_descr){ r->part[p].halo[q1], STARPU_W };
				bytes += plan->count[(size_t)p * r->nparts + q1] * r->cols * r->elem_size;
			}
			const int first = q0;
			q0 = q1;
			if (!nbuf)
				continue;
			/* the pack arguments live in the plan; StarPU frees this small header */
			struct pack_dest_arg *arg = malloc(sizeof *arg);
			if (!arg) {
				free(d);
				return gcn_fail("rdd_shuffle %s: out of memory", name);
			}
			*arg = (struct pack_dest_arg){
				(const struct pack_arg *)plan->pack + (size_t)p * r->nparts, first, q1 };
			if (rank == r->part[p].owner)
				snprintf(full, sizeof full, "%s_->%d", name, p);
			else
				snprintf(full, sizeof full, "%s_r%d->%d", name, rank, p);
			if (submit(ctx, &cl_pack, RDD_SHUFFLE, full, d, nbuf, arg, sizeof *arg, 1,
				   bytes) != GCN_OK) {
				free(d);
				return GCN_ERR;
			}
		}
	}
	free(d);
	return GCN_OK;
}

int rdd_gather(struct rdd_context *ctx, struct rdd *src, struct rdd *dst, const char *name)
{
	char full[160];
	if (!dst->block)
		return gcn_fail("rdd_gather %s: %s is not a gathered rdd", name, dst->name);
	int same = src->nparts == dst->nparts && src->cols == dst->cols && src->elem == dst->elem &&
		   src->kind == RDD_MATRIX;
	for (int q = 0; same && q < src->nparts; q++)
		same = src->part[q].rows == dst->part[q].rows;
	if (!same)
		return gcn_fail("rdd_gather %s: %s and %s differ in shape", name, src->name, dst->name);
	for (int q = 0; q < src->nparts; q++) {
		struct starpu_data_descr d[2] = { { dst->part[q].local, STARPU_W },
						  { src->part[q].local, STARPU_R } };
		snprintf(full, sizeof full, "%s_%d->all", name, q);
		if (submit(ctx, &cl_copy, RDD_SHUFFLE, full, d, 2, NULL, 0, 0,
			   src->part[q].rows * src->cols * src->elem_size) != GCN_OK)
			return GCN_ERR;
	}
	return GCN_OK;
}

/* Checks that every block of parts has out's shape. */
static int same_shape(const struct rdd *parts, const struct rdd *out)
{
	if (out->nparts != 1 || parts->elem != out->elem || parts->cols != out->cols ||
	    parts->kind != out->kind)
		return 0;
	for (int p = 0; p < parts->nparts; p++)
		if (parts->part[p].rows != out->part[0].rows)
			return 0;
	return 1;
}

int rdd_reduce(struct rdd_context *ctx, struct rdd *parts, struct rdd *out, const char *name)
{
	char full[160];
	if (parts->elem != RDD_F32 && parts->elem != RDD_F64)
		return gcn_fail("rdd_reduce %s: %s is not float or double", name, parts->name);
	if (!same_shape(parts, out))
		return gcn_fail("rdd_reduce %s: %s and %s differ in shape", name, parts->name,
				out->name);
	int n = parts->nparts;
	for (int s = 1; s < n; s *= 2)
		for (int i = 0; i + s < n; i += 2 * s) {
			struct starpu_data_descr d[2] = { { parts->part[i].local, STARPU_RW },
							  { parts->part[i + s].local, STARPU_R } };
			snprintf(full, sizeof full, "%s_%d+=%d", name, i, i + s);
			if (submit(ctx, &cl_add, RDD_REDUCE, full, d, 2, NULL, 0, 0, 0) != GCN_OK)
				return GCN_ERR;
		}
	struct starpu_data_descr d[2] = { { out->part[0].local, STARPU_W },
					  { parts->part[0].local, STARPU_R } };
	return submit(ctx, &cl_copy, RDD_REDUCE, name, d, 2, NULL, 0, 0, 0);
}

int rdd_zero(struct rdd_context *ctx, struct rdd *r, int p, const char *name)
{
	char full[160];
	int first = p == RDD_EACH ? 0 : p, last = p == RDD_EACH ? r->nparts - 1 : p;
	if (p != RDD_EACH && (p < 0 || p >= r->nparts))
		return gcn_fail("rdd_zero %s: partition %d out of range", name, p);
	for (int i = first; i <= last; i++) {
		struct starpu_data_descr d = { r->part[i].local, STARPU_W };
		snprintf(full, sizeof full, "%s_p%d", name, i);
		if (submit(ctx, &cl_zero, RDD_COMPUTE, full, &d, 1, NULL, 0, 0, 0) != GCN_OK)
			return GCN_ERR;
	}
	return GCN_OK;
}

/* ---- actions ----------------------------------------------------------------------------- */

int rdd_wait_all(struct rdd_context *ctx)
{
	if (ctx->distributed)
		return rdd_dist_wait(ctx);
	int ret = starpu_task_wait_for_all();
	if (ret != 0)
		return gcn_fail("starpu_task_wait_for_all failed: %s", strerror(-ret));
	return GCN_OK;
}

int rdd_acquire(struct rdd *r, int p, enum rdd_mode mode, void **ptr)
{
	*ptr = NULL;
	if (p < 0 || p >= r->nparts)
		return gcn_fail("rdd_acquire %s: partition %d out of range", r->name, p);
	struct rdd_part *pt = &r->part[p];
	if (r->ctx->distributed) {
		if (!pt->data || (mode != RDD_R && pt->owner != r->ctx->rank))
			return gcn_fail("rdd_acquire %s p%d: rank %d holds no copy to %s", r->name, p,
					r->ctx->rank, mode == RDD_R ? "read" : "write");
		/* every rank reads the owner's value (all ranks acquire alike) */
		rdd_dist_fetch(r->ctx, pt->local);
		if (pt->halo)
			for (int q = 0; q < r->nparts; q++)
				if (pt->halo[q])
					rdd_dist_fetch(r->ctx, pt->halo[q]);
	}
	int ret = starpu_data_acquire(pt->local, starpu_mode(mode));
	if (ret != 0)
		return gcn_fail("starpu_data_acquire(%s p%d) failed: %s", r->name, p, strerror(-ret));
	if (pt->halo)
		for (int q = 0; q < r->nparts; q++) {
			if (!pt->halo[q])
				continue;
			ret = starpu_data_acquire(pt->halo[q], starpu_mode(mode));
			if (ret != 0) {
				for (int k = 0; k < q; k++)
					if (pt->halo[k])
						starpu_data_release(pt->halo[k]);
				starpu_data_release(pt->local);
				return gcn_fail("starpu_data_acquire(%s %d->%d) failed: %s", r->name, q,
						p, strerror(-ret));
			}
		}
	*ptr = pt->data;
	return GCN_OK;
}

void rdd_release(struct rdd *r, int p)
{
	if (p < 0 || p >= r->nparts)
		return;
	struct rdd_part *pt = &r->part[p];
	if (pt->halo)
		for (int q = 0; q < r->nparts; q++)
			if (pt->halo[q])
				starpu_data_release(pt->halo[q]);
	starpu_data_release(pt->local);
}

/* ---- shuffle plans ----------------------------------------------------------------------- */

int rdd_shuffle_plan_create(struct rdd_shuffle_plan **out, int nparts, const size_t *count,
			    const int32_t *const *rows)
{
	struct rdd_shuffle_plan *pl = NULL;
	int status = GCN_ERR;
	*out = NULL;
	if (nparts < 1) {
		gcn_fail("shuffle plan: %d partitions", nparts);
		goto cleanup;
	}
	size_t pp = (size_t)nparts * (size_t)nparts;
	pl = calloc(1, sizeof *pl);
	if (!pl || !(pl->count = calloc(pp, sizeof *pl->count)) ||
	    !(pl->offset = calloc(pp, sizeof *pl->offset)) ||
	    !(pl->rows = calloc(pp, sizeof *pl->rows)) ||
	    !(pl->halo_rows = calloc((size_t)nparts, sizeof *pl->halo_rows)) ||
	    !(pl->pack = calloc(pp, sizeof(struct pack_arg)))) {
		gcn_fail("out of memory");
		goto cleanup;
	}
	pl->nparts = nparts;
	struct pack_arg *pack = pl->pack;
	for (int p = 0; p < nparts; p++) {
		size_t off = 0;
		for (int q = 0; q < nparts; q++) {
			size_t i = (size_t)p * nparts + q, n = count[i];
			if (n == 0)
				continue;
			if (p == q) {
				gcn_fail("shuffle plan: partition %d receives %zu rows from itself", p, n);
				goto cleanup;
			}
			if (!rows || !rows[i]) {
				gcn_fail("shuffle plan: no row list for %d->%d", q, p);
				goto cleanup;
			}
			if (!(pl->rows[i] = malloc(n * sizeof **pl->rows))) {
				gcn_fail("out of memory");
				goto cleanup;
			}
			for (size_t k = 0; k < n; k++) {
				if (rows[i][k] < 0) {
					gcn_fail("shuffle plan: negative row id in %d->%d", q, p);
					goto cleanup;
				}
				pl->rows[i][k] = rows[i][k];
			}
			pl->count[i] = n;
			pl->offset[i] = off;
			pack[i].rows = pl->rows[i];
			pack[i].count = n;
			off += n;
		}
		pl->halo_rows[p] = off;
		pl->total_rows += off;
	}
	*out = pl;
	status = GCN_OK;

cleanup:
	if (status != GCN_OK)
		rdd_shuffle_plan_destroy(pl);
	return status;
}

void rdd_shuffle_plan_destroy(struct rdd_shuffle_plan *pl)
{
	if (!pl)
		return;
	if (pl->rows)
		for (size_t i = 0; i < (size_t)pl->nparts * (size_t)pl->nparts; i++)
			free(pl->rows[i]);
	free(pl->rows);
	free(pl->count);
	free(pl->offset);
	free(pl->halo_rows);
	free(pl->pack);
	free(pl);
}

size_t rdd_shuffle_plan_halo_rows(const struct rdd_shuffle_plan *pl, int p)
{
	return p >= 0 && p < pl->nparts ? pl->halo_rows[p] : 0;
}

size_t rdd_shuffle_plan_offset(const struct rdd_shuffle_plan *pl, int p, int q)
{
	if (p < 0 || q < 0 || p >= pl->nparts || q >= pl->nparts)
		return 0;
	return pl->offset[(size_t)p * pl->nparts + q];
}

size_t rdd_shuffle_plan_count(const struct rdd_shuffle_plan *pl, int p, int q)
{
	if (p < 0 || q < 0 || p >= pl->nparts || q >= pl->nparts)
		return 0;
	return pl->count[(size_t)p * pl->nparts + q];
}

size_t rdd_shuffle_plan_total_rows(const struct rdd_shuffle_plan *pl)
{
	return pl->total_rows;
}
