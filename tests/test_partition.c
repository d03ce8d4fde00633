/* test_partition.c: Check suite for gcn/partition.c. Partitioners: every node in exactly one
 * partition with owner/local/rows/offset consistent, range balanced and contiguous, hash =
 * id mod P, METIS valid and deterministic with a lower edge cut than hash and range on a
 * clustered graph, edge cut counted right on hand-made graphs. Shuffle plan: every entry of
 * A + I appears exactly once among the blocks, each received row is used, and a simulated
 * shuffle (X_p built from a global X through send_rows) makes every block SpMM equal the
 * global A + I SpMM rows. X holds small integers, so the sums are exact in float whatever
 * the summation order and the comparison is exact. Also P = 1, P = n and every documented
 * error. */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "gcn/graph.h"
#include "gcn/partition.h"
#include "gcnrun_build.h"
#include "testutil.h"

/* ck_assert writes a progress record per call; hot loops check with this instead. */
#define CHECK(c)                                                                        \
    do {                                                                                \
        if (!(c))                                                                       \
            ck_abort_msg("line %d: check failed: %s", __LINE__, #c);                    \
    } while (0)

static uint64_t splitmix(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* Random graph of n nodes with m random edges, both directions when sym, plus isolated
 * nodes wherever no edge lands. */
static void random_graph(struct gcn_csr *g, size_t n, size_t m, int sym, uint64_t seed)
{
    int64_t *src = malloc(2 * m * sizeof *src), *dst = malloc(2 * m * sizeof *dst);
    ck_assert(src && dst);
    size_t k = 0;
    for (size_t e = 0; e < m; e++) {
        int64_t a = (int64_t)(splitmix(&seed) % n), b = (int64_t)(splitmix(&seed) % n);
        src[k] = a;
        dst[k++] = b;
        if (sym) {
            src[k] = b;
            dst[k++] = a;
        }
    }
    ck_assert_int_eq(gcn_csr_from_coo(g, n, src, dst, k), GCN_OK);
    free(src);
    free(dst);
}

/* n nodes in c clusters of scattered ids (cluster = random permutation / (n / c)): deg
 * intra-cluster edges per node and n / 20 inter-cluster edges, symmetric. */
static void clustered_graph(struct gcn_csr *g, size_t n, size_t c, size_t deg, uint64_t seed)
{
    size_t *perm = malloc(n * sizeof *perm), *members = malloc(n * sizeof *members);
    ck_assert(perm && members);
    for (size_t i = 0; i < n; i++)
        perm[i] = i;
    for (size_t i = n - 1; i > 0; i--) {
        size_t j = (size_t)(splitmix(&seed) % (i + 1)), t = perm[i];
        perm[i] = perm[j];
        perm[j] = t;
    }
    /* members[cl * s + t] = node: cluster cl holds nodes perm^-1 of [cl * s, (cl + 1) * s) */
    size_t s = n / c;
    for (size_t i = 0; i < n; i++)
        members[perm[i]] = i;
    size_t m = n * deg + n / 20, k = 0;
    int64_t *src = malloc(2 * m * sizeof *src), *dst = malloc(2 * m * sizeof *dst);
    ck_assert(src && dst);
    for (size_t r = 0; r < c * s; r++)
        for (size_t d = 0; d < deg; d++) {
            size_t cl = r / s, other = cl * s + (size_t)(splitmix(&seed) % s);
            src[k] = (int64_t)members[r];
            dst[k++] = (int64_t)members[other];
            src[k] = (int64_t)members[other];
            dst[k++] = (int64_t)members[r];
        }
    for (size_t e = 0; e < n / 20; e++) {
        int64_t a = (int64_t)(splitmix(&seed) % n), b = (int64_t)(splitmix(&seed) % n);
        src[k] = a;
        dst[k++] = b;
        src[k] = b;
        dst[k++] = a;
    }
    ck_assert_int_eq(gcn_csr_from_coo(g, n, src, dst, k), GCN_OK);
    free(src);
    free(dst);
    free(perm);
    free(members);
}

static size_t ref_edge_cut(const struct gcn_csr *adj, const int32_t *owner)
{
    size_t cut = 0;
    for (size_t i = 0; i < adj->n_rows; i++)
        for (int64_t e = adj->rowptr[i]; e < adj->rowptr[i + 1]; e++)
            cut += (size_t)adj->col[e] != i && owner[adj->col[e]] != owner[i];
    return cut;
}

/* Every node in exactly one non-empty partition; owner, local, rows, offset agree; rows
 * ascending inside each partition; edge_cut matches a direct count. */
static void check_partitioning(const struct gcn_partitioning *pt, const struct gcn_csr *adj,
                               size_t parts)
{
    size_t n = adj->n_rows;
    CHECK(pt->n == n);
    CHECK(pt->parts == parts);
    CHECK(pt->offset[0] == 0);
    CHECK(pt->offset[parts] == n);
    int *seen = calloc(n, sizeof *seen);
    CHECK(seen != NULL);
    for (size_t p = 0; p < parts; p++) {
        CHECK(pt->offset[p + 1] > pt->offset[p]);
        for (size_t r = pt->offset[p]; r < pt->offset[p + 1]; r++) {
            int32_t i = pt->rows[r];
            CHECK(i >= 0 && (size_t)i < n);
            CHECK(seen[i] == 0);
            seen[i] = 1;
            CHECK(pt->owner[i] == (int32_t)p);
            CHECK(pt->local[i] == (int32_t)(r - pt->offset[p]));
            if (r > pt->offset[p])
                CHECK(pt->rows[r - 1] < i);
        }
    }
    for (size_t i = 0; i < n; i++)
        CHECK(seen[i] == 1);
    free(seen);
    CHECK(pt->edge_cut == ref_edge_cut(adj, pt->owner));
}

/* Global row of X_p row c: local rows first, then the block of each sender q != p. */
static int32_t resolve(const struct gcn_shuffle_plan *pl, const struct gcn_partitioning *pt,
                       size_t p, int32_t c)
{
    size_t P = pt->parts, size_p = pt->offset[p + 1] - pt->offset[p];
    if ((size_t)c < size_p)
        return pt->rows[pt->offset[p] + (size_t)c];
    for (size_t q = 0; q < P; q++) {
        if (q == p)
            continue;
        size_t start = pl->recv_off[p * (P + 1) + q];
        size_t cnt = pl->send_off[q * P + p + 1] - pl->send_off[q * P + p];
        if ((size_t)c >= start && (size_t)c < start + cnt) {
            int32_t l = pl->send_rows[pl->send_off[q * P + p] + ((size_t)c - start)];
            CHECK(l >= 0 && (size_t)l < pt->offset[q + 1] - pt->offset[q]);
            return pt->rows[pt->offset[q] + (size_t)l];
        }
    }
    ck_abort_msg("column %d of partition %zu is in no sender's block", c, p);
    return -1;
}

/* The plan against prop: layout, exact coverage of A + I, grouped dinv, a simulated shuffle
 * whose block SpMMs equal the global SpMM, and the gathered (partition-order) columns. */
static void check_plan(const struct gcn_shuffle_plan *pl, const struct gcn_csr *prop,
                       const float *dinv, const struct gcn_partitioning *pt)
{
    size_t P = pt->parts, n = pt->n, d = 3;
    CHECK(pl->parts == P);
    CHECK(pl->send_off[0] == 0);
    CHECK(pl->send_off[P * P] == pl->recv_rows_total);
    for (size_t r = 0; r < n; r++)
        CHECK(pl->dinv[r] == dinv[pt->rows[r]]);

    /* Global X and Y = pattern(A + I) X, small integers: exact in float. */
    float *x = malloc(n * d * sizeof *x), *y = calloc(n * d, sizeof *y);
    int64_t *hits = calloc(prop->nnz, sizeof *hits);
    CHECK(x && y && hits);
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < d; k++)
            x[i * d + k] = (float)((int)((i * 7 + k * 3) % 11) - 5);
    for (size_t i = 0; i < n; i++)
        for (int64_t e = prop->rowptr[i]; e < prop->rowptr[i + 1]; e++)
            for (size_t k = 0; k < d; k++)
                y[i * d + k] += x[(size_t)prop->col[e] * d + k];

    size_t total = 0;
    for (size_t p = 0; p < P; p++) {
        const size_t *ro = pl->recv_off + p * (P + 1);
        const struct gcn_csr *b = &pl->block[p];
        size_t size_p = pt->offset[p + 1] - pt->offset[p], xrows = ro[P];
        CHECK(ro[p] == 0);
        CHECK(b->n_rows == size_p);
        CHECK(b->n_cols == xrows);
        CHECK(b->rowptr[0] == 0);
        CHECK(b->rowptr[size_p] == (int64_t)b->nnz);
        /* Sender blocks tile [size_p, xrows) in q order. */
        size_t pos = size_p;
        for (size_t q = 0; q < P; q++) {
            if (q == p)
                continue;
            CHECK(ro[q] == pos);
            pos += pl->send_off[q * P + p + 1] - pl->send_off[q * P + p];
        }
        CHECK(pos == xrows);
        CHECK(pl->send_off[p * P + p + 1] == pl->send_off[p * P + p]);
        total += xrows - size_p;

        /* Simulated shuffle: X_p = [X rows of p | X_q[send_rows] for q != p]. */
        float *xp = malloc((xrows ? xrows : 1) * d * sizeof *xp);
        int *used = calloc(xrows ? xrows : 1, sizeof *used);
        CHECK(xp && used);
        for (size_t l = 0; l < size_p; l++)
            memcpy(xp + l * d, x + (size_t)pt->rows[pt->offset[p] + l] * d, d * sizeof *xp);
        for (size_t q = 0; q < P; q++) {
            if (q == p)
                continue;
            for (size_t s = pl->send_off[q * P + p]; s < pl->send_off[q * P + p + 1]; s++) {
                size_t g = (size_t)pt->rows[pt->offset[q] + (size_t)pl->send_rows[s]];
                memcpy(xp + (ro[q] + s - pl->send_off[q * P + p]) * d, x + g * d,
                       d * sizeof *xp);
            }
        }
        for (size_t r = 0; r < size_p; r++) {
            size_t i = (size_t)pt->rows[pt->offset[p] + r];
            float acc[3] = {0, 0, 0};
            for (int64_t e = b->rowptr[r]; e < b->rowptr[r + 1]; e++) {
                int32_t c = b->col[e];
                CHECK(c >= 0 && (size_t)c < xrows);
                if (e > b->rowptr[r])
                    CHECK(b->col[e - 1] < c);
                used[c] = 1;
                /* The entry (i, g) must exist in prop, and be hit exactly once. */
                int32_t g = resolve(pl, pt, p, c);
                int64_t lo = prop->rowptr[i], hi = prop->rowptr[i + 1];
                while (lo < hi) {
                    int64_t mid = lo + (hi - lo) / 2;
                    if (prop->col[mid] < g)
                        lo = mid + 1;
                    else
                        hi = mid;
                }
                CHECK(lo < prop->rowptr[i + 1] && prop->col[lo] == g);
                hits[lo]++;
                for (size_t k = 0; k < d; k++)
                    acc[k] += xp[(size_t)c * d + k];
            }
            for (size_t k = 0; k < d; k++)
                CHECK(acc[k] == y[i * d + k]);
        }
        for (size_t c = size_p; c < xrows; c++)
            ck_assert_msg(used[c], "received row %zu of partition %zu is never used", c, p);
        /* Gathered numbering: every row of X_p is the same node at its partition-order
         * position, so every entry names the same node in both numberings. */
        int32_t *gpos = malloc((xrows ? xrows : 1) * sizeof *gpos);
        CHECK(gpos);
        CHECK(gcn_shuffle_plan_positions(pl, pt, p, gpos) == GCN_OK);
        for (size_t e = 0; e < b->nnz; e++) {
            const int32_t at = gpos[b->col[e]];
            CHECK(at >= 0 && (size_t)at < pt->n);
            CHECK(pt->rows[at] == resolve(pl, pt, p, b->col[e]));
        }
        free(gpos);
        free(xp);
        free(used);
    }
    for (size_t e = 0; e < prop->nnz; e++)
        CHECK(hits[e] == 1);
    CHECK(total == pl->recv_rows_total);
    /* a partition past the last one is refused by name */
    int32_t unused[1];
    char want[64];
    snprintf(want, sizeof want, "partition %zu of %zu", P, P);
    CHECK(gcn_shuffle_plan_positions(pl, pt, P, unused) == GCN_ERR);
    ck_assert_msg(strstr(gcn_last_error(), want), "%s", gcn_last_error());
    free(x);
    free(y);
    free(hits);
}

/* Partition adj with kind into parts, check it, build and check the shuffle plan. */
static void partition_and_plan(const struct gcn_csr *adj, size_t parts,
                               enum gcn_partitioner_kind kind)
{
    struct gcn_partitioning pt;
    struct gcn_shuffle_plan pl;
    struct gcn_csr prop;
    float *dinv;
    ck_assert_msg(gcn_partition(&pt, adj, parts, kind, 42) == GCN_OK, "%s",
                  gcn_last_error());
    check_partitioning(&pt, adj, parts);
    ck_assert_int_eq(gcn_propagation_build(&prop, &dinv, adj), GCN_OK);
    ck_assert_msg(gcn_shuffle_plan_build(&pl, &prop, dinv, &pt) == GCN_OK, "%s",
                  gcn_last_error());
    check_plan(&pl, &prop, dinv, &pt);
    gcn_shuffle_plan_free(&pl);
    gcn_partitioning_free(&pt);
    gcn_csr_free(&prop);
    free(dinv);
}

START_TEST(range_is_balanced_and_contiguous)
{
    static const size_t cases[][2] = {{10, 3}, {7, 7}, {100, 1}, {101, 4}, {5, 2}, {64, 16}};
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        size_t n = cases[c][0], P = cases[c][1];
        struct gcn_csr adj;
        random_graph(&adj, n, 2 * n, 1, c + 1);
        struct gcn_partitioning pt;
        ck_assert_int_eq(gcn_partition(&pt, &adj, P, GCN_PARTITION_RANGE, 0), GCN_OK);
        check_partitioning(&pt, &adj, P);
        for (size_t i = 1; i < n; i++)
            ck_assert_int_le(pt.owner[i - 1], pt.owner[i]);
        for (size_t p = 0; p < P; p++) {
            size_t sz = pt.offset[p + 1] - pt.offset[p];
            ck_assert(sz == n / P || sz == (n + P - 1) / P);
        }
        gcn_partitioning_free(&pt);
        gcn_csr_free(&adj);
    }
}
END_TEST

START_TEST(hash_is_id_mod_p)
{
    static const size_t cases[][2] = {{10, 3}, {7, 7}, {100, 1}, {101, 4}, {33, 32}};
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        size_t n = cases[c][0], P = cases[c][1];
        struct gcn_csr adj;
        random_graph(&adj, n, 2 * n, 1, c + 7);
        struct gcn_partitioning pt;
        ck_assert_int_eq(gcn_partition(&pt, &adj, P, GCN_PARTITION_HASH, 0), GCN_OK);
        check_partitioning(&pt, &adj, P);
        for (size_t i = 0; i < n; i++)
            ck_assert_int_eq(pt.owner[i], (int32_t)(i % P));
        gcn_partitioning_free(&pt);
        gcn_csr_free(&adj);
    }
}
END_TEST

START_TEST(metis_cuts_less_than_hash_and_range)
{
    if (!GCNRUN_HAVE_METIS)
        return;
    struct gcn_csr adj;
    clustered_graph(&adj, 480, 8, 4, 11);
    static const size_t parts[] = {2, 4, 8};
    for (size_t c = 0; c < 3; c++) {
        struct gcn_partitioning m, m2, h, r;
        ck_assert_msg(gcn_partition(&m, &adj, parts[c], GCN_PARTITION_METIS, 5) == GCN_OK,
                      "%s", gcn_last_error());
        check_partitioning(&m, &adj, parts[c]);
        ck_assert_int_eq(gcn_partition(&m2, &adj, parts[c], GCN_PARTITION_METIS, 5), GCN_OK);
        ck_assert_int_eq(memcmp(m.owner, m2.owner, adj.n_rows * sizeof *m.owner), 0);
        ck_assert_int_eq(gcn_partition(&h, &adj, parts[c], GCN_PARTITION_HASH, 5), GCN_OK);
        ck_assert_int_eq(gcn_partition(&r, &adj, parts[c], GCN_PARTITION_RANGE, 5), GCN_OK);
        ck_assert_uint_lt(m.edge_cut, h.edge_cut / 2);
        ck_assert_uint_lt(m.edge_cut, r.edge_cut / 2);
        gcn_partitioning_free(&m);
        gcn_partitioning_free(&m2);
        gcn_partitioning_free(&h);
        gcn_partitioning_free(&r);
    }
    gcn_csr_free(&adj);
}
END_TEST

START_TEST(metis_edge_cases)
{
    if (!GCNRUN_HAVE_METIS)
        return;
    struct gcn_csr adj;
    struct gcn_partitioning pt;
    /* P = 1: all zero, no METIS call. */
    random_graph(&adj, 50, 100, 1, 3);
    ck_assert_int_eq(gcn_partition(&pt, &adj, 1, GCN_PARTITION_METIS, 1), GCN_OK);
    check_partitioning(&pt, &adj, 1);
    ck_assert_uint_eq(pt.edge_cut, 0);
    gcn_partitioning_free(&pt);
    /* P = n: one node each (empty parts repaired if METIS leaves any). */
    ck_assert_msg(gcn_partition(&pt, &adj, 50, GCN_PARTITION_METIS, 1) == GCN_OK, "%s",
                  gcn_last_error());
    check_partitioning(&pt, &adj, 50);
    gcn_partitioning_free(&pt);
    gcn_csr_free(&adj);
    /* No edges at all. */
    ck_assert_int_eq(gcn_csr_from_coo(&adj, 10, NULL, NULL, 0), GCN_OK);
    ck_assert_msg(gcn_partition(&pt, &adj, 3, GCN_PARTITION_METIS, 1) == GCN_OK, "%s",
                  gcn_last_error());
    check_partitioning(&pt, &adj, 3);
    gcn_partitioning_free(&pt);
    gcn_csr_free(&adj);
    /* A directed (asymmetric) adjacency is symmetrized for METIS. */
    random_graph(&adj, 60, 150, 0, 4);
    ck_assert_msg(gcn_partition(&pt, &adj, 4, GCN_PARTITION_METIS, 1) == GCN_OK, "%s",
                  gcn_last_error());
    check_partitioning(&pt, &adj, 4);
    gcn_partitioning_free(&pt);
    gcn_csr_free(&adj);
}
END_TEST

START_TEST(metis_missing_is_an_error)
{
    if (GCNRUN_HAVE_METIS)
        return;
    struct gcn_csr adj;
    struct gcn_partitioning pt;
    random_graph(&adj, 20, 40, 1, 3);
    ck_assert_int_eq(gcn_partition(&pt, &adj, 2, GCN_PARTITION_METIS, 1), GCN_ERR);
    ck_assert_ptr_nonnull(strstr(gcn_last_error(), "libmetis-dev"));
    gcn_csr_free(&adj);
}
END_TEST

START_TEST(edge_cut_hand_made)
{
    /* Path 0-1-2-3 (both directions) plus the one-way edge 0 -> 3: 7 directed edges. */
    const int64_t src[] = {0, 1, 1, 2, 2, 3, 0};
    const int64_t dst[] = {1, 0, 2, 1, 3, 2, 3};
    struct gcn_csr adj;
    ck_assert_int_eq(gcn_csr_from_coo(&adj, 4, src, dst, 7), GCN_OK);
    struct gcn_partitioning pt;
    /* range P = 2: {0, 1} {2, 3}: 1-2, 2-1, 0->3 cut. */
    ck_assert_int_eq(gcn_partition(&pt, &adj, 2, GCN_PARTITION_RANGE, 0), GCN_OK);
    ck_assert_uint_eq(pt.edge_cut, 3);
    gcn_partitioning_free(&pt);
    /* hash P = 2: {0, 2} {1, 3}: every path edge cut, 0->3 too. */
    ck_assert_int_eq(gcn_partition(&pt, &adj, 2, GCN_PARTITION_HASH, 0), GCN_OK);
    ck_assert_uint_eq(pt.edge_cut, 7);
    gcn_partitioning_free(&pt);
    /* hash P = 3: {0, 3} {1} {2}: all but 0->3. */
    ck_assert_int_eq(gcn_partition(&pt, &adj, 3, GCN_PARTITION_HASH, 0), GCN_OK);
    ck_assert_uint_eq(pt.edge_cut, 6);
    gcn_partitioning_free(&pt);
    /* P = 1: nothing cut. */
    ck_assert_int_eq(gcn_partition(&pt, &adj, 1, GCN_PARTITION_RANGE, 0), GCN_OK);
    ck_assert_uint_eq(pt.edge_cut, 0);
    gcn_partitioning_free(&pt);
    gcn_csr_free(&adj);
}
END_TEST

START_TEST(shuffle_plan_table)
{
    struct gcn_csr rnd, clu, sparse, dir;
    random_graph(&rnd, 300, 900, 1, 21);     /* average degree 6 */
    clustered_graph(&clu, 240, 6, 3, 22);
    random_graph(&sparse, 200, 60, 1, 23);   /* many isolated nodes */
    random_graph(&dir, 150, 400, 0, 24);     /* asymmetric A */
    const struct gcn_csr *graphs[] = {&rnd, &clu, &sparse, &dir};
    static const size_t parts[] = {1, 2, 3, 7, 16};
    for (size_t g = 0; g < 4; g++)
        for (size_t c = 0; c < sizeof parts / sizeof parts[0]; c++)
            for (int kind = 0; kind < (GCNRUN_HAVE_METIS ? 3 : 2); kind++)
                partition_and_plan(graphs[g], parts[c], (enum gcn_partitioner_kind)kind);
    gcn_csr_free(&rnd);
    gcn_csr_free(&clu);
    gcn_csr_free(&sparse);
    gcn_csr_free(&dir);
}
END_TEST

START_TEST(shuffle_plan_dense_rows)
{
    /* Five hub rows of degree about 80 exercise the per-segment row sort (P <= 4 deg) and
     * the qsort fallback (P = 400); many partitions, the sort-by-id path of the foreign-row
     * lists. */
    const size_t n = 400;
    int64_t *src = malloc(4 * n * sizeof *src), *dst = malloc(4 * n * sizeof *dst);
    ck_assert(src && dst);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        src[k] = (int64_t)(i % 5);
        dst[k++] = (int64_t)i;
        src[k] = (int64_t)i;
        dst[k++] = (int64_t)(i % 5);
        src[k] = (int64_t)i;
        dst[k++] = (int64_t)((i * 37 + 11) % n);
        src[k] = (int64_t)((i * 37 + 11) % n);
        dst[k++] = (int64_t)i;
    }
    struct gcn_csr adj;
    ck_assert_int_eq(gcn_csr_from_coo(&adj, n, src, dst, k), GCN_OK);
    free(src);
    free(dst);
    static const size_t parts[] = {2, 5, 40, 200, 400};
    for (size_t c = 0; c < 5; c++)
        for (int kind = 0; kind < (GCNRUN_HAVE_METIS ? 3 : 2); kind++)
            partition_and_plan(&adj, parts[c], (enum gcn_partitioner_kind)kind);
    gcn_csr_free(&adj);
}
END_TEST

START_TEST(shuffle_plan_one_partition_has_no_shuffle)
{
    struct gcn_csr adj, prop;
    float *dinv;
    random_graph(&adj, 100, 300, 1, 31);
    ck_assert_int_eq(gcn_propagation_build(&prop, &dinv, &adj), GCN_OK);
    for (int kind = 0; kind < (GCNRUN_HAVE_METIS ? 3 : 2); kind++) {
        struct gcn_partitioning pt;
        struct gcn_shuffle_plan pl;
        ck_assert_int_eq(gcn_partition(&pt, &adj, 1, (enum gcn_partitioner_kind)kind, 0),
                         GCN_OK);
        ck_assert_int_eq(gcn_shuffle_plan_build(&pl, &prop, dinv, &pt), GCN_OK);
        ck_assert_uint_eq(pl.recv_rows_total, 0);
        ck_assert_uint_eq(pl.recv_off[1], 100);
        ck_assert_uint_eq(pl.send_off[1], 0);
        ck_assert_uint_eq(pl.block[0].nnz, prop.nnz);
        ck_assert_uint_eq(pl.block[0].n_cols, 100);
        ck_assert_int_eq(memcmp(pl.block[0].rowptr, prop.rowptr, 101 * sizeof *prop.rowptr),
                         0);
        ck_assert_int_eq(memcmp(pl.block[0].col, prop.col, prop.nnz * sizeof *prop.col), 0);
        ck_assert_int_eq(memcmp(pl.dinv, dinv, 100 * sizeof *dinv), 0);
        gcn_shuffle_plan_free(&pl);
        gcn_partitioning_free(&pt);
    }
    gcn_csr_free(&prop);
    free(dinv);
    gcn_csr_free(&adj);
}
END_TEST

START_TEST(shuffle_plan_one_node_per_partition)
{
    struct gcn_csr adj;
    random_graph(&adj, 24, 60, 1, 41);
    for (int kind = 0; kind < (GCNRUN_HAVE_METIS ? 3 : 2); kind++)
        partition_and_plan(&adj, 24, (enum gcn_partitioner_kind)kind);
    gcn_csr_free(&adj);
}
END_TEST

START_TEST(partition_errors)
{
    struct gcn_csr adj;
    struct gcn_partitioning pt;
    random_graph(&adj, 10, 20, 1, 51);
    static const size_t bad_parts[] = {0, 11, 1000};
    for (int kind = 0; kind < 3; kind++)
        for (size_t c = 0; c < 3; c++) {
            memset(&pt, 0xab, sizeof pt);
            gcn_fail("%s", "");
            ck_assert_int_eq(gcn_partition(&pt, &adj, bad_parts[c],
                                           (enum gcn_partitioner_kind)kind, 0), GCN_ERR);
            ck_assert_ptr_nonnull(strstr(gcn_last_error(), "--partitions"));
            ck_assert_ptr_null(pt.owner);
            ck_assert_ptr_null(pt.rows);
        }
    /* Unknown partitioner. */
    ck_assert_int_eq(gcn_partition(&pt, &adj, 2, (enum gcn_partitioner_kind)9, 0), GCN_ERR);
    ck_assert_ptr_nonnull(strstr(gcn_last_error(), "range, hash or metis"));
    /* Non-square and unsorted graphs. */
    adj.n_cols = 11;
    ck_assert_int_eq(gcn_partition(&pt, &adj, 2, GCN_PARTITION_RANGE, 0), GCN_ERR);
    ck_assert_ptr_nonnull(strstr(gcn_last_error(), "square"));
    adj.n_cols = 10;
    int32_t saved = adj.col[0];
    adj.col[0] = 10; /* out of range in row 0 */
    ck_assert_int_eq(gcn_partition(&pt, &adj, 2, GCN_PARTITION_HASH, 0), GCN_ERR);
    ck_assert_ptr_nonnull(strstr(gcn_last_error(), "row 0"));
    adj.col[0] = saved;
    ck_assert_int_eq(gcn_partition(&pt, NULL, 2, GCN_PARTITION_HASH, 0), GCN_ERR);
    gcn_csr_free(&adj);
}
END_TEST

START_TEST(shuffle_plan_errors)
{
    struct gcn_csr adj, prop, other;
    float *dinv;
    struct gcn_partitioning pt, empty = {0};
    struct gcn_shuffle_plan pl;
    random_graph(&adj, 20, 40, 1, 61);
    ck_assert_int_eq(gcn_propagation_build(&prop, &dinv, &adj), GCN_OK);
    ck_assert_int_eq(gcn_partition(&pt, &adj, 3, GCN_PARTITION_HASH, 0), GCN_OK);
    /* Partitioning of another size. */
    random_graph(&other, 21, 40, 1, 62);
    ck_assert_int_eq(gcn_shuffle_plan_build(&pl, &other, dinv, &pt), GCN_ERR);
    ck_assert_ptr_nonnull(strstr(gcn_last_error(), "rows"));
    ck_assert_ptr_null(pl.block);
    ck_assert_int_eq(gcn_shuffle_plan_build(&pl, &prop, dinv, &empty), GCN_ERR);
    ck_assert_ptr_nonnull(strstr(gcn_last_error(), "gcn_partition"));
    ck_assert_int_eq(gcn_shuffle_plan_build(&pl, &prop, NULL, &pt), GCN_ERR);
    ck_assert_int_eq(gcn_shuffle_plan_build(&pl, NULL, dinv, &pt), GCN_ERR);
    gcn_shuffle_plan_free(&pl);
    gcn_csr_free(&other);
    gcn_partitioning_free(&pt);
    gcn_csr_free(&prop);
    free(dinv);
    gcn_csr_free(&adj);
}
END_TEST

START_TEST(free_is_safe_on_zeroed_structs)
{
    struct gcn_partitioning pt = {0};
    struct gcn_shuffle_plan pl = {0};
    gcn_partitioning_free(&pt);
    gcn_partitioning_free(&pt);
    gcn_partitioning_free(NULL);
    gcn_shuffle_plan_free(&pl);
    gcn_shuffle_plan_free(&pl);
    gcn_shuffle_plan_free(NULL);
}
END_TEST

START_TEST(shuffle_mode_pick)
{
    /* auto: broadcast only when the halos add up to more rows than the graph has */
    ck_assert_int_eq(gcn_shuffle_mode_pick(GCN_SHUFFLE_AUTO, 0, 100), GCN_SHUFFLE_PAIRWISE);
    ck_assert_int_eq(gcn_shuffle_mode_pick(GCN_SHUFFLE_AUTO, 100, 100), GCN_SHUFFLE_PAIRWISE);
    ck_assert_int_eq(gcn_shuffle_mode_pick(GCN_SHUFFLE_AUTO, 101, 100), GCN_SHUFFLE_BROADCAST);
    ck_assert_int_eq(gcn_shuffle_mode_pick(GCN_SHUFFLE_PAIRWISE, 900, 100),
                     GCN_SHUFFLE_PAIRWISE);
    ck_assert_int_eq(gcn_shuffle_mode_pick(GCN_SHUFFLE_BROADCAST, 0, 100),
                     GCN_SHUFFLE_BROADCAST);
}
END_TEST

static Suite *partition_suite(void)
{
    Suite *s = suite_create("partition");
    TCase *tc = tcase_create("partitioners");
    tcase_add_test(tc, range_is_balanced_and_contiguous);
    tcase_add_test(tc, hash_is_id_mod_p);
    tcase_add_test(tc, metis_cuts_less_than_hash_and_range);
    tcase_add_test(tc, metis_edge_cases);
    tcase_add_test(tc, metis_missing_is_an_error);
    tcase_add_test(tc, edge_cut_hand_made);
    tcase_add_test(tc, partition_errors);
    suite_add_tcase(s, tc);
    tc = tcase_create("shuffle_plan");
    tcase_add_test(tc, shuffle_plan_table);
    tcase_add_test(tc, shuffle_plan_dense_rows);
    tcase_add_test(tc, shuffle_plan_one_partition_has_no_shuffle);
    tcase_add_test(tc, shuffle_plan_one_node_per_partition);
    tcase_add_test(tc, shuffle_plan_errors);
    tcase_add_test(tc, free_is_safe_on_zeroed_structs);
    tcase_add_test(tc, shuffle_mode_pick);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return test_run_suite(partition_suite(), CK_FORK_GETENV);
}
