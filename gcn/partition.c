/* partition.c: the range, hash and METIS partitioners and the shuffle plan (see partition.h).
 *
 * A partitioning is an owner per node plus, by a counting sort, each partition's rows in
 * ascending global id. The shuffle plan is built per partition p in parallel (OpenMP): a
 * per-thread marker array finds the distinct foreign columns of p's rows of A + I, ordered by
 * (owner, global id); a serial pass lays out recv_off and send_off; a second parallel pass
 * fills send_rows and renumbers p's rows into its CSR block. The renumbering is monotone
 * inside each segment of X_p (local rows, then one segment per sender q), so a row is sorted
 * by a stable counting pass over segments, O(nnz + P) per block. Work is O(nnz + n P) and
 * memory O(nnz + threads * n). Errors found inside parallel regions are flagged and reported
 * by the calling thread, because the error message is thread-local. */
#include "partition.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "gcnrun_build.h"
#if GCNRUN_HAVE_METIS
#include <metis.h>
#endif

/* Below this many stored entries a pass runs on the calling thread: a parallel region's
 * start and barriers cost more than the work, and a loaded machine makes them worse. */
#define PARALLEL_MIN_NNZ 200000

/* Checks that g is a square CSR with monotone rowptr and strictly ascending in-range columns;
 * what names the caller in the message. */
static int check_csr(const struct gcn_csr *g, const char *what)
{
    if (!g)
        return gcn_fail("%s: graph is NULL", what);
    if (g->n_rows != g->n_cols)
        return gcn_fail("%s: graph must be square, got %zu x %zu", what, g->n_rows, g->n_cols);
    if (g->n_rows > INT32_MAX)
        return gcn_fail("%s: %zu nodes exceed the int32 column index range", what, g->n_rows);
    if (!g->rowptr || (g->nnz > 0 && !g->col))
        return gcn_fail("%s: graph has no rowptr/col arrays", what);
    int64_t n = (int64_t)g->n_rows, nnz = (int64_t)g->nnz;
    if (g->rowptr[0] != 0 || g->rowptr[n] != nnz)
        return gcn_fail("%s: rowptr must run from 0 to nnz = %zu", what, g->nnz);
    int64_t bad = INT64_MAX;
#pragma omp parallel for schedule(static) reduction(min : bad) if (nnz > PARALLEL_MIN_NNZ)
    for (int64_t i = 0; i < n; i++) {
        int64_t lo = g->rowptr[i], hi = g->rowptr[i + 1];
        if (lo < 0 || lo > hi || hi > nnz) {
            bad = i < bad ? i : bad;
            continue;
        }
        for (int64_t e = lo; e < hi; e++) {
            int32_t j = g->col[e];
            if (j < 0 || j >= n || (e > lo && g->col[e - 1] >= j)) {
                bad = i < bad ? i : bad;
                break;
            }
        }
    }
    if (bad != INT64_MAX)
        return gcn_fail("%s: row %lld has a bad rowptr or columns that are out of range, "
                        "unsorted or repeated (build it with gcn_csr_from_coo or "
                        "gcn_csr_coalesce)", what, (long long)bad);
    return GCN_OK;
}

static void partition_range(int32_t *owner, size_t n, size_t parts)
{
    for (size_t p = 0; p < parts; p++)
        for (size_t i = p * n / parts; i < (p + 1) * n / parts; i++)
            owner[i] = (int32_t)p;
}

static void partition_hash(int32_t *owner, size_t n, size_t parts)
{
    for (size_t i = 0; i < n; i++)
        owner[i] = (int32_t)(i % parts);
}

#if GCNRUN_HAVE_METIS
static const char *metis_status_name(int st)
{
    switch (st) {
    case METIS_ERROR_INPUT: return "invalid input";
    case METIS_ERROR_MEMORY: return "out of memory";
    default: return "internal error";
    }
}

/* Gives every empty partition one node, deterministically: the lowest-degree node (lowest id
 * on ties) of the currently largest partition (lowest index on ties). parts <= n guarantees
 * a donor with at least two nodes. */
static int fill_empty_parts(int32_t *owner, const int64_t *deg_ptr, size_t n, size_t parts)
{
    size_t *size = calloc(parts, sizeof *size);
    if (!size)
        return gcn_fail("partitioner metis: out of memory");
    for (size_t i = 0; i < n; i++)
        size[owner[i]]++;
    for (size_t e = 0; e < parts; e++) {
        if (size[e] > 0)
            continue;
        size_t big = 0;
        for (size_t q = 1; q < parts; q++)
            if (size[q] > size[big])
                big = q;
        size_t best = n;
        int64_t best_deg = INT64_MAX;
        for (size_t i = 0; i < n; i++) {
            int64_t d = deg_ptr[i + 1] - deg_ptr[i];
            if (owner[i] == (int32_t)big && d < best_deg) {
                best = i;
                best_deg = d;
            }
        }
        owner[best] = (int32_t)e;
        size[big]--;
        size[e]++;
    }
    free(size);
    return GCN_OK;
}

/* METIS k-way on the symmetrized adjacency adj ∪ adj^T without self-loops (METIS requires
 * a symmetric graph; the union makes a directed input safe). */
static int partition_metis(int32_t *owner, const struct gcn_csr *adj, size_t parts,
                           uint64_t seed)
{
    int status = GCN_ERR;
    size_t n = adj->n_rows;
    int64_t *trp = NULL, *mrp = NULL;
    int32_t *trc = NULL;
    idx_t *xadj = NULL, *adjncy = NULL, *part = NULL;

    if (parts == 1) {
        memset(owner, 0, n * sizeof *owner);
        return GCN_OK;
    }
    /* Transpose without self-loops: trp has n + 2 slots so it serves as its own cursor. */
    trp = calloc(n + 2, sizeof *trp);
    mrp = calloc(n + 1, sizeof *mrp);
    if (!trp || !mrp)
        goto oom;
    for (size_t i = 0; i < n; i++)
        for (int64_t e = adj->rowptr[i]; e < adj->rowptr[i + 1]; e++)
            if ((size_t)adj->col[e] != i)
                trp[adj->col[e] + 2]++;
    for (size_t i = 2; i < n + 2; i++)
        trp[i] += trp[i - 1];
    trc = malloc((size_t)(trp[n + 1] > 0 ? trp[n + 1] : 1) * sizeof *trc);
    if (!trc)
        goto oom;
    for (size_t i = 0; i < n; i++)
        for (int64_t e = adj->rowptr[i]; e < adj->rowptr[i + 1]; e++)
            if ((size_t)adj->col[e] != i)
                trc[trp[adj->col[e] + 1]++] = (int32_t)i;

    /* Merge row i of adj and of its transpose (both ascending): count, then fill. */
    for (int pass = 0; pass < 2; pass++) {
#pragma omp parallel for schedule(dynamic, 1024) if (adj->nnz > PARALLEL_MIN_NNZ)
        for (int64_t i = 0; i < (int64_t)n; i++) {
            const int32_t *a = adj->col + adj->rowptr[i], *b = trc + trp[i];
            int64_t na = adj->rowptr[i + 1] - adj->rowptr[i], nb = trp[i + 1] - trp[i];
            int64_t ia = 0, ib = 0, m = 0;
            idx_t *dst = pass ? adjncy + mrp[i] : NULL;
            while (ia < na || ib < nb) {
                int32_t v;
                if (ib >= nb || (ia < na && a[ia] < b[ib]))
                    v = a[ia++];
                else if (ia >= na || b[ib] < a[ia])
                    v = b[ib++];
                else {
                    v = a[ia++];
                    ib++;
                }
                if (v == (int32_t)i)
                    continue;
                if (dst)
                    dst[m] = (idx_t)v;
                m++;
            }
            if (!pass)
                mrp[i + 1] = m;
        }
        if (!pass) {
            for (size_t i = 0; i < n; i++)
                mrp[i + 1] += mrp[i];
            if (mrp[n] > (int64_t)IDX_MAX) {
                gcn_fail("partitioner metis: %lld symmetric edges exceed METIS's idx_t range; "
                         "use --partitioner range or hash, or a 64-bit-idx_t METIS",
                         (long long)mrp[n]);
                goto done;
            }
            adjncy = malloc((size_t)(mrp[n] > 0 ? mrp[n] : 1) * sizeof *adjncy);
            xadj = malloc((n + 1) * sizeof *xadj);
            part = malloc(n * sizeof *part);
            if (!adjncy || !xadj || !part)
                goto oom;
        }
    }
    free(trc);
    trc = NULL;
    for (size_t i = 0; i <= n; i++)
        xadj[i] = (idx_t)mrp[i];

    idx_t nvtxs = (idx_t)n, ncon = 1, nparts = (idx_t)parts, objval = 0;
    idx_t options[METIS_NOPTIONS];
    METIS_SetDefaultOptions(options);
    options[METIS_OPTION_SEED] = (idx_t)((seed ^ (seed >> 32)) & 0x7fffffff);
    int st = METIS_PartGraphKway(&nvtxs, &ncon, xadj, adjncy, NULL, NULL, NULL, &nparts, NULL,
                                 NULL, options, &objval, part);
    if (st != METIS_OK) {
        gcn_fail("partitioner metis: METIS_PartGraphKway failed (%s) for %zu nodes into %zu "
                 "parts", metis_status_name(st), n, parts);
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        if (part[i] < 0 || (size_t)part[i] >= parts) {
            gcn_fail("partitioner metis: METIS returned part %lld for node %zu (of %zu parts)",
                     (long long)part[i], i, parts);
            goto done;
        }
        owner[i] = (int32_t)part[i];
    }
    status = fill_empty_parts(owner, mrp, n, parts);
    goto done;
oom:
    gcn_fail("partitioner metis: out of memory for %zu nodes, %zu edges", n, adj->nnz);
done:
    free(trp);
    free(mrp);
    free(trc);
    free(xadj);
    free(adjncy);
    free(part);
    return status;
}
#else
static int partition_metis(int32_t *owner, const struct gcn_csr *adj, size_t parts,
                           uint64_t seed)
{
    (void)owner;
    (void)adj;
    (void)parts;
    (void)seed;
    return gcn_fail("partitioner metis: gcnrun was built without METIS; install libmetis-dev "
                    "and reconfigure (meson setup --reconfigure BUILDDIR), or use range or hash");
}
#endif

int gcn_partition(struct gcn_partitioning *out, const struct gcn_csr *adj, size_t parts,
                  enum gcn_partitioner_kind kind, uint64_t seed)
{
    int status = GCN_ERR;
    struct gcn_partitioning p = {0};
    size_t *cursor = NULL;

    if (!out)
        return gcn_fail("partition: output is NULL");
    memset(out, 0, sizeof *out);
    if (check_csr(adj, "partition") != GCN_OK)
        goto done;
    size_t n = adj->n_rows;
    if (parts == 0) {
        gcn_fail("partition: 0 partitions requested; use --partitions P with 1 <= P <= %zu "
                 "(the node count)", n);
        goto done;
    }
    if (parts > n) {
        gcn_fail("partition: %zu partitions for %zu nodes leave some empty; use --partitions "
                 "P with 1 <= P <= %zu", parts, n, n);
        goto done;
    }
    if (kind != GCN_PARTITION_RANGE && kind != GCN_PARTITION_HASH &&
        kind != GCN_PARTITION_METIS) {
        gcn_fail("partition: unknown partitioner %d; use range, hash or metis", (int)kind);
        goto done;
    }
    p.n = n;
    p.parts = parts;
    p.owner = malloc(n * sizeof *p.owner);
    p.local = malloc(n * sizeof *p.local);
    p.rows = malloc(n * sizeof *p.rows);
    p.offset = calloc(parts + 1, sizeof *p.offset);
    cursor = malloc(parts * sizeof *cursor);
    if (!p.owner || !p.local || !p.rows || !p.offset || !cursor) {
        gcn_fail("partition: out of memory for %zu nodes", n);
        goto done;
    }
    if (kind == GCN_PARTITION_RANGE)
        partition_range(p.owner, n, parts);
    else if (kind == GCN_PARTITION_HASH)
        partition_hash(p.owner, n, parts);
    else if (partition_metis(p.owner, adj, parts, seed) != GCN_OK)
        goto done;

    /* Counting sort by owner: rows ascending inside each partition. */
    for (size_t i = 0; i < n; i++)
        p.offset[p.owner[i] + 1]++;
    for (size_t q = 0; q < parts; q++) {
        if (p.offset[q + 1] == 0) {
            gcn_fail("partition: partition %zu of %zu came out empty", q, parts);
            goto done;
        }
        p.offset[q + 1] += p.offset[q];
        cursor[q] = p.offset[q];
    }
    for (size_t i = 0; i < n; i++) {
        size_t q = (size_t)p.owner[i], r = cursor[q]++;
        p.rows[r] = (int32_t)i;
        p.local[i] = (int32_t)(r - p.offset[q]);
    }

    size_t cut = 0;
#pragma omp parallel for schedule(static) reduction(+ : cut) if (adj->nnz > PARALLEL_MIN_NNZ)
    for (int64_t i = 0; i < (int64_t)n; i++)
        for (int64_t e = adj->rowptr[i]; e < adj->rowptr[i + 1]; e++)
            cut += p.owner[adj->col[e]] != p.owner[i];
    p.edge_cut = cut;

    *out = p;
    memset(&p, 0, sizeof p);
    status = GCN_OK;
done:
    free(cursor);
    gcn_partitioning_free(&p);
    return status;
}

static int cmp_i32(const void *a, const void *b)
{
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    return (x > y) - (x < y);
}

/* Per-thread scratch of the shuffle-plan build. */
struct plan_scratch {
    int32_t *mark;    /* (n) phase 1: last partition that needed node j; phase 3: its X_p row */
    int32_t *list;    /* (n) distinct foreign columns of one partition, then one sorted row */
    int32_t *key;     /* (n) segment of X_p of each entry of the row being sorted */
    size_t *seg;      /* (P + 1) counters per segment or sender */
};

/* Phase 1 for partition p: need[p] = the distinct foreign columns of p's rows, grouped by
 * owner q ascending and ascending global id inside a group; cnt_p[q] = their counts. */
static int plan_collect(int32_t **need, size_t *cnt_p, struct plan_scratch *s,
                        const struct gcn_csr *prop, const struct gcn_partitioning *part,
                        size_t p)
{
    size_t P = part->parts, n = part->n, k = 0;
    int32_t tag = (int32_t)p;
    for (size_t r = part->offset[p]; r < part->offset[p + 1]; r++) {
        int32_t i = part->rows[r];
        for (int64_t e = prop->rowptr[i]; e < prop->rowptr[i + 1]; e++) {
            int32_t j = prop->col[e];
            if (part->owner[j] != tag && s->mark[j] != tag) {
                s->mark[j] = tag;
                s->list[k++] = j;
            }
        }
    }
    int32_t *nd = malloc((k > 0 ? k : 1) * sizeof *nd);
    if (!nd)
        return GCN_ERR;
    if (k < n / 32) {
        /* Few foreign rows: sort them, then a stable counting pass by owner. */
        qsort(s->list, k, sizeof *s->list, cmp_i32);
        for (size_t t = 0; t < k; t++)
            cnt_p[part->owner[s->list[t]]]++;
        size_t pos = 0;
        for (size_t q = 0; q < P; q++) {
            s->seg[q] = pos;
            pos += cnt_p[q];
        }
        for (size_t t = 0; t < k; t++)
            nd[s->seg[part->owner[s->list[t]]]++] = s->list[t];
    } else {
        /* Many: walk every other partition's rows (ascending) and keep the marked ones. */
        size_t m = 0;
        for (size_t q = 0; q < P; q++) {
            if (q == p)
                continue;
            size_t m0 = m;
            for (size_t r = part->offset[q]; r < part->offset[q + 1]; r++)
                if (s->mark[part->rows[r]] == tag)
                    nd[m++] = part->rows[r];
            cnt_p[q] = m - m0;
        }
    }
    need[p] = nd;
    return GCN_OK;
}

static void insertion_sort_i32(int32_t *a, size_t len)
{
    for (size_t t = 1; t < len; t++) {
        int32_t v = a[t];
        size_t u = t;
        while (u > 0 && a[u - 1] > v) {
            a[u] = a[u - 1];
            u--;
        }
        a[u] = v;
    }
}

/* Phase 3 for partition p: send_rows of every pair (q -> p) and p's renumbered CSR block. */
static int plan_fill(struct gcn_shuffle_plan *plan, int32_t *const *need, const size_t *cnt,
                     struct plan_scratch *s, const struct gcn_csr *prop,
                     const struct gcn_partitioning *part, size_t p)
{
    size_t P = part->parts;
    const size_t *ro = plan->recv_off + p * (P + 1);
    const int32_t *nd = need[p];
    int32_t tag = (int32_t)p;
    size_t r0 = part->offset[p], nr = part->offset[p + 1] - r0, nnz = 0, m = 0;
    for (size_t r = 0; r < nr; r++)
        s->mark[part->rows[r0 + r]] = (int32_t)r;
    for (size_t q = 0; q < P; q++) {
        if (q == p)
            continue;
        size_t c = cnt[p * P + q], so = plan->send_off[q * P + p];
        for (size_t k = 0; k < c; k++) {
            int32_t j = nd[m++];
            s->mark[j] = (int32_t)(ro[q] + k);
            plan->send_rows[so + k] = part->local[j];
        }
    }

    for (size_t r = 0; r < nr; r++) {
        int32_t i = part->rows[r0 + r];
        nnz += (size_t)(prop->rowptr[i + 1] - prop->rowptr[i]);
    }
    struct gcn_csr *b = &plan->block[p];
    b->rowptr = malloc((nr + 1) * sizeof *b->rowptr);
    b->col = malloc((nnz > 0 ? nnz : 1) * sizeof *b->col);
    if (!b->rowptr || !b->col)
        return GCN_ERR;
    b->n_rows = nr;
    b->n_cols = ro[P];
    b->nnz = nnz;
    b->rowptr[0] = 0;
    for (size_t r = 0; r < nr; r++) {
        int32_t i = part->rows[r0 + r];
        const int32_t *gc = prop->col + prop->rowptr[i];
        size_t deg = (size_t)(prop->rowptr[i + 1] - prop->rowptr[i]);
        int32_t *c = b->col + b->rowptr[r];
        b->rowptr[r + 1] = b->rowptr[r] + (int64_t)deg;
        int sorted = 1;
        for (size_t t = 0; t < deg; t++) {
            c[t] = s->mark[gc[t]];
            if (t > 0 && c[t - 1] > c[t])
                sorted = 0;
        }
        if (sorted)
            continue;
        if (deg <= 32) {
            insertion_sort_i32(c, deg);
        } else if (P <= 4 * deg) {
            /* Stable pass by segment of X_p: local (0), then senders q != p in order. */
            memset(s->seg, 0, (P + 1) * sizeof *s->seg);
            for (size_t t = 0; t < deg; t++) {
                int32_t q = part->owner[gc[t]];
                s->key[t] = q == tag ? 0 : q < tag ? q + 1 : q;
                s->seg[s->key[t] + 1]++;
            }
            for (size_t g = 1; g <= P; g++)
                s->seg[g] += s->seg[g - 1];
            for (size_t t = 0; t < deg; t++)
                s->list[s->seg[s->key[t]]++] = c[t];
            memcpy(c, s->list, deg * sizeof *c);
        } else {
            qsort(c, deg, sizeof *c, cmp_i32);
        }
    }
    return GCN_OK;
}

int gcn_shuffle_plan_build(struct gcn_shuffle_plan *plan, const struct gcn_csr *prop,
                           const float *dinv, const struct gcn_partitioning *part)
{
    int status = GCN_ERR;
    struct gcn_shuffle_plan s = {0};
    size_t *cnt = NULL;     /* (P * P) rows that q sends to p, at p * P + q */
    int32_t **need = NULL;  /* (P) phase 1 output of each partition */
    int failed = 0;         /* 1: out of memory inside a parallel region */

    if (!plan)
        return gcn_fail("shuffle plan: output is NULL");
    memset(plan, 0, sizeof *plan);
    if (!part || !part->owner || !part->local || !part->offset || !part->rows ||
        part->parts == 0) {
        gcn_fail("shuffle plan: partitioning is empty (call gcn_partition first)");
        goto done;
    }
    if (!dinv) {
        gcn_fail("shuffle plan: dinv is NULL");
        goto done;
    }
    if (check_csr(prop, "shuffle plan") != GCN_OK)
        goto done;
    if (prop->n_rows != part->n) {
        gcn_fail("shuffle plan: propagation pattern has %zu rows but the partitioning %zu "
                 "nodes", prop->n_rows, part->n);
        goto done;
    }
    size_t P = part->parts, n = part->n;
    s.parts = P;
    s.block = calloc(P, sizeof *s.block);
    s.recv_off = calloc(P * (P + 1), sizeof *s.recv_off);
    s.send_off = calloc(P * P + 1, sizeof *s.send_off);
    s.dinv = malloc((n > 0 ? n : 1) * sizeof *s.dinv);
    cnt = calloc(P * P, sizeof *cnt);
    need = calloc(P, sizeof *need);
    if (!s.block || !s.recv_off || !s.send_off || !s.dinv || !cnt || !need) {
        gcn_fail("shuffle plan: out of memory for %zu partitions of %zu nodes", P, n);
        goto done;
    }

#pragma omp parallel if (P > 1 && prop->nnz > PARALLEL_MIN_NNZ)
    {
        struct plan_scratch sc;
        sc.mark = malloc((n > 0 ? n : 1) * sizeof *sc.mark);
        sc.list = malloc((n > 0 ? n : 1) * sizeof *sc.list);
        sc.key = malloc((n > 0 ? n : 1) * sizeof *sc.key);
        sc.seg = malloc((P + 1) * sizeof *sc.seg);
        int ok = sc.mark && sc.list && sc.key && sc.seg;
        if (ok) {
            for (size_t j = 0; j < n; j++)
                sc.mark[j] = -1;
        } else {
#pragma omp atomic write
            failed = 1;
        }
#pragma omp for schedule(dynamic, 1)
        for (int64_t p = 0; p < (int64_t)P; p++)
            if (ok && plan_collect(need, cnt + (size_t)p * P, &sc, prop, part, (size_t)p)) {
#pragma omp atomic write
                failed = 1;
            }
#pragma omp single
        {
            int f;
#pragma omp atomic read
            f = failed;
            if (!f) {
                size_t total = 0;
                for (size_t p = 0; p < P; p++) {
                    size_t *ro = s.recv_off + p * (P + 1);
                    size_t pos = part->offset[p + 1] - part->offset[p], own = pos;
                    for (size_t q = 0; q < P; q++) {
                        ro[q] = q == p ? 0 : pos;
                        pos += q == p ? 0 : cnt[p * P + q];
                    }
                    ro[P] = pos;
                    total += pos - own;
                }
                for (size_t q = 0; q < P; q++)
                    for (size_t p = 0; p < P; p++)
                        s.send_off[q * P + p + 1] = s.send_off[q * P + p] + cnt[p * P + q];
                s.recv_rows_total = total;
                s.send_rows = malloc((total > 0 ? total : 1) * sizeof *s.send_rows);
                if (!s.send_rows) {
#pragma omp atomic write
                    failed = 1;
                }
            }
        }
        int f;
#pragma omp atomic read
        f = failed;
#pragma omp for schedule(dynamic, 1)
        for (int64_t p = 0; p < (int64_t)P; p++)
            if (!f && plan_fill(&s, need, cnt, &sc, prop, part, (size_t)p)) {
#pragma omp atomic write
                failed = 1;
            }
#pragma omp for schedule(static)
        for (int64_t r = 0; r < (int64_t)n; r++)
            s.dinv[r] = dinv[part->rows[r]];
        free(sc.mark);
        free(sc.list);
        free(sc.key);
        free(sc.seg);
    }
    if (failed) {
        gcn_fail("shuffle plan: out of memory for %zu partitions of %zu nodes, %zu entries",
                 P, n, prop->nnz);
        goto done;
    }
    *plan = s;
    memset(&s, 0, sizeof s);
    status = GCN_OK;
done:
    if (need)
        for (size_t p = 0; p < (part ? part->parts : 0); p++)
            free(need[p]);
    free(need);
    free(cnt);
    gcn_shuffle_plan_free(&s);
    return status;
}

enum gcn_shuffle_mode gcn_shuffle_mode_pick(enum gcn_shuffle_mode asked, size_t pairwise_rows,
                                            size_t nodes)
{
    if (asked != GCN_SHUFFLE_AUTO)
        return asked;
    return pairwise_rows > nodes ? GCN_SHUFFLE_BROADCAST : GCN_SHUFFLE_PAIRWISE;
}

int gcn_shuffle_plan_positions(const struct gcn_shuffle_plan *plan,
                               const struct gcn_partitioning *part, size_t p, int32_t *pos)
{
    const size_t P = plan->parts;
    if (p >= P || part->parts != P)
        return gcn_fail("shuffle plan: partition %zu of %zu (partitioning has %zu)", p, P,
                        part->parts);
    const size_t *ro = plan->recv_off + p * (P + 1);
    const size_t own = part->offset[p + 1] - part->offset[p];
    for (size_t j = 0; j < own; j++)
        pos[j] = (int32_t)(part->offset[p] + j);
    for (size_t q = 0; q < P; q++) {
        if (q == p)
            continue;
        const size_t first = plan->send_off[q * P + p], n = plan->send_off[q * P + p + 1] - first;
        for (size_t i = 0; i < n; i++)
            pos[ro[q] + i] = (int32_t)(part->offset[q] + (size_t)plan->send_rows[first + i]);
    }
    return GCN_OK;
}

void gcn_partitioning_free(struct gcn_partitioning *p)
{
    if (!p)
        return;
    free(p->owner);
    free(p->local);
    free(p->offset);
    free(p->rows);
    memset(p, 0, sizeof *p);
}

void gcn_shuffle_plan_free(struct gcn_shuffle_plan *plan)
{
    if (!plan)
        return;
    if (plan->block)
        for (size_t p = 0; p < plan->parts; p++)
            gcn_csr_free(&plan->block[p]);
    free(plan->block);
    free(plan->recv_off);
    free(plan->send_off);
    free(plan->send_rows);
    free(plan->dinv);
    memset(plan, 0, sizeof *plan);
}
