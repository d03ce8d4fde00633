/* synth.c: the synthetic Reddit-shaped dataset generator (see synth.h).
 *
 * Every random number is a counter-based hash, gcn_mix64(stream key + element counter), so a
 * node's label, a stub's endpoint or a feature's noise never depends on which thread draws it:
 * the same parameters give the same bytes with any number of OpenMP threads.
 *
 * Classes get deterministic, mildly unequal sizes (largest / smallest = CLASS_SIZE_RATIO).
 * A seeded shuffle lists the nodes grouped by class; a node's position inside its class is
 * its degree quantile q, and its expected-degree weight is w(q) ~ q^-a with a = s / (1 + s)
 * for degree_skew s (normalised to mean 1 in every class). That is a Pareto tail
 * P(degree > d) ~ d^-(1 + 1/s): s = 1 gives the Barabasi-Albert tail P(d) ~ d^-3, s = 0 equal
 * degrees. Because the class-local weight CDF is q^(1 - a), drawing "a class member by degree
 * weight" is an exact inverse-CDF draw, q = u^(1 + s), with no table or search.
 *
 * Edges (degree-corrected SBM, Chung-Lu style): node i emits k_in * w_i within-class stubs
 * and k_out * w_i global ones (stochastically rounded). A within-class stub's other end is a
 * member of i's class drawn by weight; a global stub's is a member, drawn by weight, of the
 * class of a uniformly drawn node (a class picked in proportion to its size). With k_in =
 * h d / 2 and k_out = (1 - h) d / 2 for homophily h and avg_degree d, node i's expected
 * degree is d w_i and a fraction h + (1 - h) sum_c (n_c / n)^2 of the edges join a class to
 * itself. Coalescing drops duplicates and self-loops, far more inside classes (dense, and
 * hubs saturate) than across, so both multipliers are fitted: each pass builds the
 * multigraph, counts its distinct same-class and cross-class directed edges (per-row
 * bitmaps, no sort), and moves k_out to the cross-class share of n d and k_in to the rest
 * (a first step from the observed duplicate loss, then secant steps) until both are within
 * DEGREE_TOL of n d. Stub sets are nested in k, so each count is monotone in its multiplier.
 * Defaults take two passes. The accepted multigraph, filled both ways by counting, is then
 * sorted and deduplicated by gcn_csr_coalesce.
 *
 * Features: x_i = feature_signal * mu_{y_i} + N(0, I), where mu_c is a random Gaussian
 * direction with E|mu_c|^2 = MEAN_NORM2, so two class means sit about feature_signal *
 * sqrt(2 * MEAN_NORM2) noise standard deviations apart whatever the feature count (3.5 at
 * the default 0.5: nearest class mean on the features alone is right on about 60% of the
 * nodes at full scale, near Reddit's raw-feature baseline). */
#include "synth.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef _OPENMP
#include <omp.h>
#endif

#include "base/error.h"
#include "parallel.h"
#include "graph.h"
#include "rng.h"

#define CLASS_SIZE_RATIO 4.0 /* largest / smallest class size */
#define MEAN_NORM2 25.0      /* expected squared norm of a class-mean pattern */
#define DEGREE_TOL 0.005     /* fitting stops within 0.5% of the requested mean degree */
#define DEGREE_MAX_ERR 0.02  /* beyond 2% after MAX_PASSES the request is unreachable */
#define MAX_PASSES 8         /* multigraph builds while fitting the stub multipliers */
#define MAX_OVERSAMPLE 8.0   /* a multiplier stays below 8 times its duplicate-free value */
#define NODE_CHUNK 256       /* nodes per dynamic OpenMP chunk */

/* Stream identifiers: each kind of draw hashes its own key. */
enum { STREAM_CLASS_ORDER = 1, STREAM_SPLIT, STREAM_ROUND_IN, STREAM_ROUND_OUT, STREAM_EDGE_IN,
       STREAM_EDGE_OUT, STREAM_MEAN, STREAM_NOISE, STREAM_LABEL_NOISE };

void gcn_synth_defaults(struct gcn_synth_params *p)
{
    p->nodes = 232965;
    p->features = 602;
    p->classes = 41;
    p->avg_degree = 492.0;
    p->degree_skew = 1.0;
    p->homophily = 0.7;
    p->feature_signal = 0.5;
    p->label_noise = 0.05;
    p->train_fraction = 0.66;
    p->val_fraction = 0.10;
    p->seed = 1;
}

static uint64_t stream_key(uint64_t seed, uint64_t stream)
{
    return gcn_mix64(gcn_mix64(seed) ^ (stream * 0xd1b54a32d192ed03ULL));
}

/* Two independent standard normals from the counter pair (2 ctr, 2 ctr + 1) of key. */
static void normal_pair(uint64_t key, uint64_t ctr, double *z0, double *z1)
{
    double u1 = 1.0 - gcn_u01(gcn_mix64(key + 2 * ctr)); /* (0, 1]: log is finite */
    double u2 = gcn_u01(gcn_mix64(key + 2 * ctr + 1));
    double r = sqrt(-2.0 * log(u1));
    double t = 6.283185307179586 * u2;
    *z0 = r * cos(t);
    *z1 = r * sin(t);
}

/* Uniform integer in [0, n) from the top 32 bits of bits (n < 2^32). */
static size_t below(uint64_t bits, size_t n)
{
    return (size_t)(((bits >> 32) * (uint64_t)n) >> 32);
}

/* Largest directed-edge request: the fitted multigraph (up to MAX_OVERSAMPLE times the
 * request, plus one stub per node) must index with int64 and fit a size_t byte count. */
static double edge_limit(void)
{
    double a = 0x1p62;
    double b = (double)(SIZE_MAX / (2 * sizeof(int32_t)));
    return (a < b ? a : b) / (MAX_OVERSAMPLE + 1.0);
}

static int validate(const struct gcn_synth_params *p)
{
    if (p->classes < 2)
        return gcn_fail("synthetic: classes must be at least 2, got %zu", p->classes);
    if (p->nodes < p->classes)
        return gcn_fail("synthetic: nodes (%zu) must be at least classes (%zu)", p->nodes,
                        p->classes);
    if (p->nodes > (size_t)INT32_MAX)
        return gcn_fail("synthetic: nodes (%zu) exceeds %d, the limit of int32 column indices",
                        p->nodes, INT32_MAX);
    if (p->features < 1)
        return gcn_fail("synthetic: features must be at least 1, got %zu", p->features);
    if (p->features > SIZE_MAX / sizeof(float) / p->nodes)
        return gcn_fail("synthetic: nodes * features (%zu * %zu) overflows the feature matrix",
                        p->nodes, p->features);
    if (!(p->avg_degree > 0.0 && p->avg_degree < (double)(p->nodes - 1)))
        return gcn_fail("synthetic: avg_degree must be in (0, nodes - 1) = (0, %zu), got %g",
                        p->nodes - 1, p->avg_degree);
    if (!(p->degree_skew >= 0.0 && p->degree_skew < INFINITY))
        return gcn_fail("synthetic: degree_skew must be finite and >= 0, got %g",
                        p->degree_skew);
    if (!(p->homophily >= 0.0 && p->homophily <= 1.0))
        return gcn_fail("synthetic: homophily must be in [0, 1], got %g", p->homophily);
    if (!(p->label_noise >= 0.0 && p->label_noise < 1.0))
        return gcn_fail("synthetic: label_noise must be in [0, 1), got %g", p->label_noise);
    if (!(p->feature_signal >= 0.0 && p->feature_signal < INFINITY))
        return gcn_fail("synthetic: feature_signal must be finite and >= 0, got %g",
                        p->feature_signal);
    if (!(p->train_fraction > 0.0 && p->train_fraction < 1.0))
        return gcn_fail("synthetic: train_fraction must be in (0, 1), got %g",
                        p->train_fraction);
    if (!(p->val_fraction > 0.0 && p->val_fraction < 1.0))
        return gcn_fail("synthetic: val_fraction must be in (0, 1), got %g", p->val_fraction);
    if (!(p->train_fraction + p->val_fraction < 1.0))
        return gcn_fail("synthetic: train_fraction + val_fraction must be below 1 (test gets "
                        "the rest), got %g + %g",
                        p->train_fraction, p->val_fraction);
    double edges = (double)p->nodes * p->avg_degree;
    if (edges > edge_limit())
        return gcn_fail("synthetic: nodes * avg_degree = %.3g directed edges exceeds the "
                        "%.3g that int64 row pointers and the edge buffers allow",
                        edges, edge_limit());
    return GCN_OK;
}

struct frac_rank {
    double frac;
    size_t c;
};

static int by_frac_desc(const void *a, const void *b)
{
    const struct frac_rank *x = a, *y = b;
    if (x->frac != y->frac)
        return x->frac < y->frac ? 1 : -1;
    return x->c < y->c ? -1 : (x->c > y->c);
}

/* start (c + 1): class k owns positions [start[k], start[k + 1]) of the class-ordered node
 * list. Sizes: one node each, the other n - c by shares decaying geometrically from
 * CLASS_SIZE_RATIO to 1, largest remainders rounded up (ties to the lower class). */
static int class_starts(size_t *start, size_t n, size_t c)
{
    struct frac_rank *fr = gcn_alloc_array(c, sizeof *fr);
    if (!fr)
        return gcn_fail("synthetic: out of memory for %zu class sizes", c);
    double total = 0.0;
    for (size_t k = 0; k < c; k++)
        total += pow(CLASS_SIZE_RATIO, -(double)k / (double)(c - 1));
    size_t rest = n - c, given = 0;
    for (size_t k = 0; k < c; k++) {
        double want = (double)rest * pow(CLASS_SIZE_RATIO, -(double)k / (double)(c - 1)) / total;
        double fl = floor(want);
        start[k + 1] = 1 + (size_t)fl; /* size for now */
        given += (size_t)fl;
        fr[k].frac = want - fl;
        fr[k].c = k;
    }
    qsort(fr, c, sizeof *fr, by_frac_desc);
    for (size_t k = 0; given < rest; k = (k + 1) % c, given++)
        start[fr[k].c + 1]++;
    free(fr);
    start[0] = 0;
    for (size_t k = 0; k < c; k++)
        start[k + 1] += start[k];
    return GCN_OK;
}

/* a (n) = a random permutation of 0..n-1 (Fisher-Yates on key's counter stream). */
static void shuffle_ids(int32_t *a, size_t n, uint64_t key)
{
    for (size_t i = 0; i < n; i++)
        a[i] = (int32_t)i;
    for (size_t i = n; i > 1; i--) {
        size_t j = below(gcn_mix64(key + i), i);
        int32_t t = a[i - 1];
        a[i - 1] = a[j];
        a[j] = t;
    }
}

/* What an edge draw needs; all arrays are read-only during a pass. */
struct edge_model {
    size_t n, c;
    const size_t *start;    /* (c + 1) class ranges in order */
    const int32_t *order;   /* (n) nodes by class, then by degree quantile */
    const int32_t *y;       /* (n) labels */
    const double *w;        /* (n) expected-degree weights, mean 1 per class */
    double quantile_pow;    /* 1 + degree_skew: inverse weight CDF exponent */
    uint64_t key_round_in;  /* within-class stub-count rounding stream */
    uint64_t key_round_out; /* global stub-count rounding stream */
    uint64_t key_in;        /* within-class endpoint stream */
    uint64_t key_out;       /* global endpoint stream */
};

/* The multigraph of one pass and its scratch; reused across passes. */
struct multigraph {
    int64_t *off;     /* (n + 1) node i's stubs are tgt[off[i] .. off[i + 1]) */
    int64_t *n_in;    /* (n) the first n_in[i] of them are within-class stubs */
    int32_t *tgt;     /* (tgt_cap) stub endpoints */
    size_t tgt_cap;
    int64_t *hist;    /* (n_threads, n) reverse entries per thread and row, then cursors */
    int n_threads;    /* team size the histograms allow */
    struct gcn_csr g; /* both directions, duplicates and self-loops still in */
    size_t col_cap;
};

/* Directed entries of a pass by class relation (0: same class, 1: different classes),
 * self-loops excluded: raw counts every stub end, distinct counts each edge once. */
struct pass_counts {
    size_t raw[2];
    size_t distinct[2];
};

/* Member of class c at weight-CDF value u: inverse of F(q) = q^(1 / quantile_pow). */
static int32_t member_at(const struct edge_model *em, size_t c, uint64_t bits)
{
    size_t nc = em->start[c + 1] - em->start[c];
    double q = gcn_u01(bits);
    if (em->quantile_pow == 2.0) /* degree_skew 1, the default */
        q *= q;
    else if (em->quantile_pow != 1.0)
        q = pow(q, em->quantile_pow);
    size_t m = (size_t)(q * (double)nc);
    if (m >= nc)
        m = nc - 1;
    return em->order[em->start[c] + m];
}

/* Makes *buf (capacity *cap entries of size bytes) hold at least want entries, contents not
 * kept. A new block gets a quarter of headroom: later passes of the fit usually need a few
 * percent more, and pages never touched cost no memory. Returns 0 on allocation failure. */
static int ensure_cap(void **buf, size_t *cap, size_t want, size_t size)
{
    if (*cap >= want && *buf)
        return 1;
    free(*buf);
    size_t grown = want <= SIZE_MAX - want / 4 ? want + want / 4 : want;
    *buf = gcn_alloc_array(grown, size);
    *cap = *buf ? grown : 0;
    return *buf != NULL;
}

/* Builds the multigraph for stub multipliers k_in (within-class) and k_out (global) into mg
 * (mg->g holds every stub both ways) and counts its entries into *pc. */
static int build_pass(struct multigraph *mg, struct pass_counts *pc, const struct edge_model *em,
                      double k_in, double k_out)
{
    size_t n = em->n;
    mg->off[0] = 0;
    for (size_t i = 0; i < n; i++) {
        double u_in = gcn_u01(gcn_mix64(em->key_round_in + i));
        double u_out = gcn_u01(gcn_mix64(em->key_round_out + i));
        mg->n_in[i] = (int64_t)floor(k_in * em->w[i] + u_in);
        mg->off[i + 1] = mg->off[i] + mg->n_in[i] + (int64_t)floor(k_out * em->w[i] + u_out);
    }
    size_t m = (size_t)mg->off[n];
    if (!ensure_cap((void **)&mg->tgt, &mg->tgt_cap, m, sizeof *mg->tgt))
        return gcn_fail("synthetic: out of memory for %zu edge stubs", m);

#pragma omp parallel for schedule(dynamic, NODE_CHUNK)
    for (size_t i = 0; i < n; i++) {
        uint64_t h_in = gcn_mix64(em->key_in + i), h_out = gcn_mix64(em->key_out + i);
        int32_t *t = mg->tgt + mg->off[i];
        uint64_t s_in = (uint64_t)mg->n_in[i], s = (uint64_t)(mg->off[i + 1] - mg->off[i]);
        for (uint64_t k = 0; k < s_in; k++)
            t[k] = member_at(em, (size_t)em->y[i], gcn_mix64(h_in + k));
        for (uint64_t k = s_in; k < s; k++) {
            uint64_t r = 2 * (k - s_in);
            size_t c = (size_t)em->y[below(gcn_mix64(h_out + r + 1), n)];
            t[k] = member_at(em, c, gcn_mix64(h_out + r));
        }
    }

    /* Both directions by counting, race-free and in a fixed order: thread t owns nodes
     * [n t / nt, n (t + 1) / nt) and, per row, a private slice of the reverse entries. */
    int64_t *rowptr = mg->g.rowptr;
    int failed = 0;
    size_t need = 0;
#pragma omp parallel num_threads(mg->n_threads)
    {
        size_t t = (size_t)gcn_thread_id(), nt = (size_t)gcn_thread_count();
        size_t lo = n * t / nt, hi = n * (t + 1) / nt;
        int64_t *h = mg->hist + t * n;
        memset(h, 0, n * sizeof *h);
        for (size_t i = lo; i < hi; i++)
            for (int64_t k = mg->off[i]; k < mg->off[i + 1]; k++)
                h[mg->tgt[k]]++;
#pragma omp barrier
#pragma omp for schedule(static)
        for (size_t r = 0; r < n; r++) {
            int64_t d = mg->off[r + 1] - mg->off[r];
            for (size_t u = 0; u < nt; u++)
                d += mg->hist[u * n + r];
            rowptr[r + 1] = d; /* row length for now */
        }
#pragma omp single
        {
            rowptr[0] = 0;
            for (size_t r = 0; r < n; r++)
                rowptr[r + 1] += rowptr[r];
            need = (size_t)rowptr[n];
            failed = !ensure_cap((void **)&mg->g.col, &mg->col_cap, need, sizeof *mg->g.col);
        }
        if (!failed) {
            int32_t *col = mg->g.col;
#pragma omp for schedule(static)
            for (size_t r = 0; r < n; r++) {
                int64_t own = mg->off[r + 1] - mg->off[r];
                memcpy(col + rowptr[r], mg->tgt + mg->off[r], (size_t)own * sizeof *col);
                int64_t cursor = rowptr[r] + own;
                for (size_t u = 0; u < nt; u++) {
                    int64_t c = mg->hist[u * n + r];
                    mg->hist[u * n + r] = cursor;
                    cursor += c;
                }
            }
            for (size_t j = lo; j < hi; j++)
                for (int64_t k = mg->off[j]; k < mg->off[j + 1]; k++)
                    col[h[mg->tgt[k]]++] = (int32_t)j;
        }
    }
    if (failed)
        return gcn_fail("synthetic: out of memory for %zu edge entries", need);
    mg->g.nnz = need;
    const int32_t *col = mg->g.col;

    /* Distinct neighbours per row with a per-thread bitmap of n bits. */
    size_t words = (n + 63) / 64;
    size_t raw_same = 0, raw_diff = 0, dist_same = 0, dist_diff = 0;
#pragma omp parallel reduction(+ : raw_same, raw_diff, dist_same, dist_diff)
    {
        uint64_t *bits = calloc(words, sizeof *bits);
        if (!bits) {
#pragma omp atomic write
            failed = 1;
        }
#pragma omp barrier
        if (!failed) {
#pragma omp for schedule(dynamic, NODE_CHUNK)
            for (size_t i = 0; i < n; i++) {
                int32_t yi = em->y[i];
                for (int64_t k = rowptr[i]; k < rowptr[i + 1]; k++) {
                    uint32_t v = (uint32_t)col[k];
                    if (v == i)
                        continue;
                    uint64_t bit = 1ULL << (v & 63);
                    int fresh = !(bits[v >> 6] & bit);
                    bits[v >> 6] |= bit;
                    if (em->y[v] == yi) {
                        raw_same++;
                        dist_same += (size_t)fresh;
                    } else {
                        raw_diff++;
                        dist_diff += (size_t)fresh;
                    }
                }
                for (int64_t k = rowptr[i]; k < rowptr[i + 1]; k++)
                    bits[(uint32_t)col[k] >> 6] = 0;
            }
        }
        free(bits);
    }
    if (failed)
        return gcn_fail("synthetic: out of memory for %zu-node row bitmaps", n);
    pc->raw[0] = raw_same;
    pc->raw[1] = raw_diff;
    pc->distinct[0] = dist_same;
    pc->distinct[1] = dist_diff;
    return GCN_OK;
}

/* Fits one stub multiplier k so that a distinct-edge count d(k) (monotone: stub sets are
 * nested in k) reaches target: a first step from the observed duplicate loss, then secant
 * steps, each bounded to [k / 2, 4 k] and to the direction of the miss. */
struct fitter {
    double k, k0;    /* current and duplicate-free multiplier */
    double kp, dp;   /* previous pass */
    int have_prev;
    double target;   /* wanted distinct directed edges */
};

/* Updates f after a pass that gave d distinct of raw entries; returns 1 when k is capped at
 * MAX_OVERSAMPLE * k0 and d is still short, so the target is out of reach. */
static int fitter_step(struct fitter *f, double d, double raw)
{
    double k = f->k, t = f->target, next;
    if (d <= 0.0) {
        next = 2.0 * k;
    } else if (!f->have_prev) {
        /* With a loss fraction L growing linearly in k, d ~ k^((1 - 2L) / (1 - L)). */
        double loss = raw > 0.0 ? 1.0 - d / raw : 0.0;
        double expo = loss < 0.4 ? (1.0 - loss) / (1.0 - 2.0 * loss) : 3.0;
        next = k * pow(t / d, expo);
    } else if (d != f->dp) {
        next = k + (t - d) * (k - f->kp) / (d - f->dp);
    } else {
        next = k * (d < t ? 1.25 : 0.8);
    }
    if (!(next == next))
        next = k;
    if (d < t) {
        next = fmin(fmax(next, k), 4.0 * k);
        if (k >= MAX_OVERSAMPLE * f->k0)
            return 1;
        next = fmin(next, MAX_OVERSAMPLE * f->k0);
    } else {
        next = fmax(fmin(next, k), 0.5 * k);
    }
    f->kp = k;
    f->dp = d;
    f->have_prev = 1;
    f->k = next;
    return 0;
}

/* Fits the within-class and global stub multipliers so that the coalesced graph has
 * n * avg_degree directed edges, a fraction (1 - h)(1 - sum_c (n_c / n)^2) of them between
 * classes (the duplicate-free expectation), then coalesces it into out. */
static int build_graph(struct gcn_csr *out, const struct edge_model *em,
                       const struct gcn_synth_params *p)
{
    int status = GCN_ERR;
    size_t n = em->n;
    struct multigraph mg = {0};
    mg.off = gcn_alloc_array(n + 1, sizeof *mg.off);
    mg.n_in = gcn_alloc_array(n, sizeof *mg.n_in);
    mg.n_threads = gcn_max_threads();
    mg.hist = gcn_alloc_array((size_t)mg.n_threads * n, sizeof *mg.hist);
    mg.g.rowptr = gcn_alloc_array(n + 1, sizeof *mg.g.rowptr);
    mg.g.n_rows = mg.g.n_cols = n;
    if (!mg.off || !mg.n_in || !mg.hist || !mg.g.rowptr) {
        gcn_fail("synthetic: out of memory for a graph of %zu nodes", n);
        goto cleanup;
    }

    double sum_p2 = 0.0;
    for (size_t c = 0; c < em->c; c++) {
        double pc = (double)(em->start[c + 1] - em->start[c]) / (double)n;
        sum_p2 += pc * pc;
    }
    double h = p->homophily, t = (double)n * p->avg_degree;
    int use_in = h > 0.0, use_out = h < 1.0;
    double t_out = use_in ? t * (1.0 - h) * (1.0 - sum_p2) : t;
    struct fitter f_in = {.k = p->avg_degree / 2.0 * h, .target = use_out ? t - t_out : t};
    struct fitter f_out = {.k = p->avg_degree / 2.0 * (1.0 - h), .target = t_out};
    f_in.k0 = f_in.k;
    f_out.k0 = f_out.k;
    double tol = fmax(DEGREE_TOL * t, 2.0), max_err = fmax(DEGREE_MAX_ERR * t, 2.0);

    struct pass_counts pc = {{0, 0}, {0, 0}};
    double d_total = 0.0;
    for (int pass = 0;; pass++) {
        if (build_pass(&mg, &pc, em, f_in.k, f_out.k) != GCN_OK)
            goto cleanup;
        d_total = (double)pc.distinct[0] + (double)pc.distinct[1];
        /* With one kind of stub it carries the total; with both, each carries its part. */
        double d_in = use_out ? (double)pc.distinct[0] : d_total;
        double r_in = use_out ? (double)pc.raw[0] : (double)pc.raw[0] + (double)pc.raw[1];
        double d_out = use_in ? (double)pc.distinct[1] : d_total;
        double r_out = use_in ? (double)pc.raw[1] : (double)pc.raw[0] + (double)pc.raw[1];
        int ok_in = !use_in || fabs(d_in - f_in.target) <= tol;
        int ok_out = !use_out || fabs(d_out - f_out.target) <= tol;
        if ((ok_in && ok_out) || pass + 1 == MAX_PASSES)
            break;
        int stuck = 0;
        if (!ok_in)
            stuck |= fitter_step(&f_in, d_in, r_in);
        if (!ok_out)
            stuck |= fitter_step(&f_out, d_out, r_out);
        if (stuck)
            break;
    }
    if (fabs(d_total - t) > max_err) {
        gcn_fail("synthetic: avg_degree %g is out of reach at %zu nodes with degree_skew %g and "
                 "homophily %g (got %.1f after removing duplicate edges); lower avg_degree or "
                 "degree_skew",
                 p->avg_degree, n, p->degree_skew, p->homophily, d_total / (double)n);
        goto cleanup;
    }
    free(mg.tgt);
    mg.tgt = NULL;
    if (gcn_csr_coalesce(&mg.g) != GCN_OK) {
        gcn_fail_prefix("synthetic");
        goto cleanup;
    }
    *out = mg.g;
    memset(&mg.g, 0, sizeof mg.g);
    status = GCN_OK;
cleanup:
    free(mg.off);
    free(mg.n_in);
    free(mg.tgt);
    free(mg.hist);
    gcn_csr_free(&mg.g);
    return status;
}

/* x (n, f) = signal * mu[y_i] + N(0, 1) noise, mu (c, f) Gaussian with E|mu_c|^2 = MEAN_NORM2. */
static int make_features(float *x, const int32_t *y, const struct gcn_synth_params *p)
{
    size_t n = p->nodes, f = p->features, c = p->classes, half = (f + 1) / 2;
    float *mu = gcn_alloc_array(c * f, sizeof *mu);
    if (!mu)
        return gcn_fail("synthetic: out of memory for %zu x %zu class means", c, f);
    uint64_t key_mean = stream_key(p->seed, STREAM_MEAN);
    uint64_t key_noise = stream_key(p->seed, STREAM_NOISE);
    double scale = sqrt(MEAN_NORM2 / (double)f);
    for (size_t k = 0; k < c; k++) {
        for (size_t j = 0; j < half; j++) {
            double z0, z1;
            normal_pair(key_mean, (uint64_t)(k * half + j), &z0, &z1);
            mu[k * f + 2 * j] = (float)(scale * z0);
            if (2 * j + 1 < f)
                mu[k * f + 2 * j + 1] = (float)(scale * z1);
        }
    }
    double sig = p->feature_signal;
#pragma omp parallel for schedule(dynamic, NODE_CHUNK)
    for (size_t i = 0; i < n; i++) {
        const float *m = mu + (size_t)y[i] * f;
        float *xi = x + i * f;
        for (size_t j = 0; j < half; j++) {
            double z0, z1;
            normal_pair(key_noise, (uint64_t)(i * half + j), &z0, &z1);
            xi[2 * j] = (float)(sig * m[2 * j] + z0);
            if (2 * j + 1 < f)
                xi[2 * j + 1] = (float)(sig * m[2 * j + 1] + z1);
        }
    }
    free(mu);
    return GCN_OK;
}

/* Label noise: node i draws u from its own counter; when u < label_noise its label moves to
 * one of the other c - 1 classes, chosen by the next draw. */
static void relabel(int32_t *y, const struct gcn_synth_params *p)
{
    if (p->label_noise <= 0.0)
        return;
    const uint64_t key = stream_key(p->seed, STREAM_LABEL_NOISE);
    const size_t c = p->classes;
    for (size_t i = 0; i < p->nodes; i++) {
        if (gcn_u01(gcn_mix64(key + 2 * (uint64_t)i)) >= p->label_noise)
            continue;
        size_t other = below(gcn_mix64(key + 2 * (uint64_t)i + 1), c - 1);
        y[i] = (int32_t)(other >= (size_t)y[i] ? other + 1 : other);
    }
}

int gcn_synth_generate(struct gcn_dataset *ds, const struct gcn_synth_params *p)
{
    int status = GCN_ERR;
    size_t *start = NULL;
    int32_t *order = NULL, *perm = NULL;
    double *w = NULL;
    memset(ds, 0, sizeof *ds);

    if (validate(p) != GCN_OK)
        goto cleanup;
    size_t n = p->nodes, c = p->classes;
    start = gcn_alloc_array(c + 1, sizeof *start);
    order = gcn_alloc_array(n, sizeof *order);
    perm = gcn_alloc_array(n, sizeof *perm);
    w = gcn_alloc_array(n, sizeof *w);
    ds->y = gcn_alloc_array(n, sizeof *ds->y);
    ds->split = gcn_alloc_array(n, sizeof *ds->split);
    if (!start || !order || !perm || !w || !ds->y || !ds->split) {
        gcn_fail("synthetic: out of memory for %zu nodes", n);
        goto cleanup;
    }
    snprintf(ds->name, sizeof ds->name, "%s", "reddit-synth");
    ds->n = n;
    ds->f = p->features;
    ds->c = c;

    /* Labels and degree weights: order lists nodes by class, then by degree quantile. */
    if (class_starts(start, n, c) != GCN_OK)
        goto cleanup;
    shuffle_ids(order, n, stream_key(p->seed, STREAM_CLASS_ORDER));
    double e = 1.0 / (1.0 + p->degree_skew); /* weight CDF exponent, 1 - a */
    for (size_t k = 0; k < c; k++) {
        size_t nc = start[k + 1] - start[k];
        double lo = 0.0;
        for (size_t m = 0; m < nc; m++) {
            double hi = pow((double)(m + 1) / (double)nc, e);
            size_t id = (size_t)order[start[k] + m];
            ds->y[id] = (int32_t)k;
            w[id] = (double)nc * (hi - lo);
            lo = hi;
        }
    }

    /* Split: a second shuffle, its first train then val positions; test gets the rest. */
    shuffle_ids(perm, n, stream_key(p->seed, STREAM_SPLIT));
    size_t n_train = (size_t)llround((double)n * p->train_fraction);
    size_t n_val = (size_t)llround((double)n * p->val_fraction);
    for (size_t i = 0; i < n; i++)
        ds->split[perm[i]] = i < n_train ? GCN_TRAIN : i < n_train + n_val ? GCN_VAL : GCN_TEST;
    gcn_dataset_count_splits(ds);
    free(perm);
    perm = NULL;

    struct edge_model em = {
        .n = n,
        .c = c,
        .start = start,
        .order = order,
        .y = ds->y,
        .w = w,
        .quantile_pow = 1.0 + p->degree_skew,
        .key_round_in = stream_key(p->seed, STREAM_ROUND_IN),
        .key_round_out = stream_key(p->seed, STREAM_ROUND_OUT),
        .key_in = stream_key(p->seed, STREAM_EDGE_IN),
        .key_out = stream_key(p->seed, STREAM_EDGE_OUT),
    };
    if (build_graph(&ds->adj, &em, p) != GCN_OK)
        goto cleanup;
    free(w);
    w = NULL;
    free(order);
    order = NULL;

    ds->x = gcn_alloc_array(n * p->features, sizeof *ds->x);
    if (!ds->x) {
        gcn_fail("synthetic: out of memory for %zu x %zu features", n, p->features);
        goto cleanup;
    }
    if (make_features(ds->x, ds->y, p) != GCN_OK)
        goto cleanup;
    relabel(ds->y, p);
    status = GCN_OK;
cleanup:
    free(start);
    free(order);
    free(perm);
    free(w);
    if (status != GCN_OK) {
        gcn_dataset_free(ds);
        memset(ds, 0, sizeof *ds);
    }
    return status;
}
