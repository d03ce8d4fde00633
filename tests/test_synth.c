/* test_synth.c: Check suite for gcn/synth.c at small scale (a few thousand nodes): the
 * defaults, byte-for-byte determinism (same seed with 1 or 3 OpenMP threads -> identical
 * arrays, another seed -> different ones), the graph's structure (symmetric, sorted, unique,
 * no self-loops), the requested statistics within written-down tolerances (mean degree 2%,
 * same-class edge fraction 1 point of its expectation, degree spread by skew, exact split
 * counts, class sizes), features that carry the class signal, and every parameter error. */
#include <check.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#ifdef _OPENMP
#include <omp.h>
#endif

#include "gcn/dataset.h"
#include "base/error.h"
#include "gcn/synth.h"
#include "testutil.h"

/* The small base case: defaults shrunk to 3,000 nodes, 32 features, 10 classes, degree 40,
 * without label noise so that labels are the communities the statistics are measured on. */
static struct gcn_synth_params small_params(void)
{
    struct gcn_synth_params p;
    gcn_synth_defaults(&p);
    p.nodes = 3000;
    p.features = 32;
    p.classes = 10;
    p.avg_degree = 40.0;
    p.label_noise = 0.0;
    return p;
}

static void generate_ok(struct gcn_dataset *ds, const struct gcn_synth_params *p)
{
    int rc = gcn_synth_generate(ds, p);
    ck_assert_msg(rc == GCN_OK, "gcn_synth_generate failed: %s", gcn_last_error());
}

/* Symmetric, rows strictly increasing (sorted, unique), no self-loops, indices in range.
 * Checked with plain comparisons and one assertion (Check logs every ck_assert it passes). */
static void assert_structure(const struct gcn_dataset *ds)
{
    const struct gcn_csr *g = &ds->adj;
    ck_assert_uint_eq(g->n_rows, ds->n);
    ck_assert_uint_eq(g->n_cols, ds->n);
    ck_assert_int_eq(g->rowptr[0], 0);
    ck_assert_int_eq(g->rowptr[ds->n], (int64_t)g->nnz);
    const char *bad = NULL;
    size_t bad_i = 0;
    int32_t bad_j = 0;
    for (size_t i = 0; i < ds->n && !bad; i++) {
        if (g->rowptr[i] > g->rowptr[i + 1]) {
            bad = "rowptr decreases";
            bad_i = i;
            break;
        }
        for (int64_t k = g->rowptr[i]; k < g->rowptr[i + 1] && !bad; k++) {
            int32_t j = g->col[k];
            bad_i = i;
            bad_j = j;
            if (j < 0 || j >= (int32_t)ds->n) {
                bad = "column out of range";
                break;
            }
            if (j == (int32_t)i)
                bad = "self-loop";
            else if (k > g->rowptr[i] && g->col[k - 1] >= j)
                bad = "row not strictly increasing";
            if (bad)
                break;
            /* the reverse edge j -> i, by binary search in j's sorted row */
            int64_t lo = g->rowptr[j], hi = g->rowptr[j + 1];
            while (lo < hi) {
                int64_t mid = lo + (hi - lo) / 2;
                if (g->col[mid] < (int32_t)i)
                    lo = mid + 1;
                else
                    hi = mid;
            }
            if (lo >= g->rowptr[j + 1] || g->col[lo] != (int32_t)i)
                bad = "edge has no reverse";
        }
    }
    ck_assert_msg(bad == NULL, "%s at row %zu, column %d", bad, bad_i, (int)bad_j);
}

static int same_bytes(const void *a, const void *b, size_t bytes)
{
    return memcmp(a, b, bytes) == 0;
}

START_TEST(defaults_are_reddit_shaped)
{
    struct gcn_synth_params p;
    memset(&p, 0xff, sizeof p);
    gcn_synth_defaults(&p);
    ck_assert_uint_eq(p.nodes, 232965);
    ck_assert_uint_eq(p.features, 602);
    ck_assert_uint_eq(p.classes, 41);
    ck_assert_double_eq(p.avg_degree, 492.0);
    ck_assert_double_eq(p.degree_skew, 1.0);
    ck_assert_double_eq(p.homophily, 0.7);
    ck_assert_double_eq(p.feature_signal, 0.5);
    ck_assert_double_eq(p.label_noise, 0.05);
    ck_assert_double_eq(p.train_fraction, 0.66);
    ck_assert_double_eq(p.val_fraction, 0.10);
    ck_assert_uint_eq(p.seed, 1);
}
END_TEST

START_TEST(same_seed_same_bytes_any_thread_count)
{
    struct gcn_synth_params p = small_params();
    struct gcn_dataset a, b;
#ifdef _OPENMP
    int saved = omp_get_max_threads();
    omp_set_num_threads(1);
#endif
    generate_ok(&a, &p);
#ifdef _OPENMP
    omp_set_num_threads(3);
#endif
    generate_ok(&b, &p);
#ifdef _OPENMP
    omp_set_num_threads(saved);
#endif
    ck_assert_str_eq(a.name, "reddit-synth");
    ck_assert_str_eq(a.name, b.name);
    ck_assert_uint_eq(a.n, b.n);
    ck_assert_uint_eq(a.f, b.f);
    ck_assert_uint_eq(a.c, b.c);
    ck_assert(same_bytes(a.x, b.x, a.n * a.f * sizeof *a.x));
    ck_assert(same_bytes(a.y, b.y, a.n * sizeof *a.y));
    ck_assert(same_bytes(a.split, b.split, a.n * sizeof *a.split));
    ck_assert(same_bytes(a.n_split, b.n_split, sizeof a.n_split));
    ck_assert_uint_eq(a.adj.nnz, b.adj.nnz);
    ck_assert(same_bytes(a.adj.rowptr, b.adj.rowptr, (a.n + 1) * sizeof *a.adj.rowptr));
    ck_assert(same_bytes(a.adj.col, b.adj.col, a.adj.nnz * sizeof *a.adj.col));
    gcn_dataset_free(&a);
    gcn_dataset_free(&b);
}
END_TEST

START_TEST(other_seed_other_bytes)
{
    struct gcn_synth_params p = small_params();
    struct gcn_dataset a, b;
    generate_ok(&a, &p);
    p.seed = 2;
    generate_ok(&b, &p);
    ck_assert(!same_bytes(a.x, b.x, a.n * a.f * sizeof *a.x));
    ck_assert(!same_bytes(a.y, b.y, a.n * sizeof *a.y));
    ck_assert(!same_bytes(a.split, b.split, a.n * sizeof *a.split));
    size_t nnz = a.adj.nnz < b.adj.nnz ? a.adj.nnz : b.adj.nnz;
    ck_assert(!same_bytes(a.adj.col, b.adj.col, nnz * sizeof *a.adj.col));
    /* the labels are a relabelling, so the class sizes (deterministic) agree */
    size_t ca[10] = {0}, cb[10] = {0};
    for (size_t i = 0; i < a.n; i++) {
        ca[a.y[i]]++;
        cb[b.y[i]]++;
    }
    ck_assert(same_bytes(ca, cb, sizeof ca));
    gcn_dataset_free(&a);
    gcn_dataset_free(&b);
}
END_TEST

/* Statistics cases. The generator fits its within-class and global stubs so that, after
 * duplicates are dropped, each part is within 0.5% of the edges of its share; the same-class
 * edge fraction is then within 1 point of h + (1 - h) sum_c (n_c / n)^2 (exact for h = 1).
 * cv bounds the coefficient of variation of the degrees (about 0.11 for skew 0: Poisson-like;
 * 0.5 to 1.1 for skews 0.5 to 2 at this size). */
static const struct stats_case {
    size_t nodes, classes;
    double avg_degree, skew, homophily;
    double homophily_tol, cv_lo, cv_hi;
} stats_cases[] = {
    {3000, 10, 40.0, 1.0, 0.7, 0.01, 0.5, 3.0},
    {3000, 41, 40.0, 1.0, 0.7, 0.01, 0.4, 3.0},
    {3000, 10, 40.0, 0.0, 0.9, 0.01, 0.0, 0.25},
    {2000, 5, 100.0, 2.0, 0.5, 0.01, 0.7, 5.0},
    {500, 2, 10.0, 1.0, 1.0, 0.0, 0.4, 3.0},
    {3000, 41, 20.0, 0.5, 0.0, 0.01, 0.3, 1.5},
};

START_TEST(statistics_within_tolerance)
{
    const struct stats_case *tc = &stats_cases[_i];
    struct gcn_synth_params p = small_params();
    p.nodes = tc->nodes;
    p.classes = tc->classes;
    p.avg_degree = tc->avg_degree;
    p.degree_skew = tc->skew;
    p.homophily = tc->homophily;
    struct gcn_dataset ds;
    generate_ok(&ds, &p);
    assert_structure(&ds);
    size_t n = ds.n;

    /* mean directed degree within 2% */
    double mean = (double)ds.adj.nnz / (double)n;
    ck_assert_msg(fabs(mean - tc->avg_degree) <= 0.02 * tc->avg_degree,
                  "case %d: mean degree %.3f, asked %.1f", _i, mean, tc->avg_degree);

    /* degree spread */
    double sq = 0.0;
    for (size_t i = 0; i < n; i++) {
        double d = (double)(ds.adj.rowptr[i + 1] - ds.adj.rowptr[i]) - mean;
        sq += d * d;
    }
    double cv = sqrt(sq / (double)n) / mean;
    ck_assert_msg(cv >= tc->cv_lo && cv <= tc->cv_hi, "case %d: degree CV %.3f not in [%g, %g]",
                  _i, cv, tc->cv_lo, tc->cv_hi);

    /* classes: every label in range, every class used */
    size_t *size = calloc(ds.c, sizeof *size);
    ck_assert_ptr_nonnull(size);
    ck_assert_uint_eq(ds.c, tc->classes);
    size_t out_of_range = 0;
    for (size_t i = 0; i < n; i++) {
        if (ds.y[i] < 0 || ds.y[i] >= (int32_t)ds.c)
            out_of_range++;
        else
            size[ds.y[i]]++;
    }
    ck_assert_uint_eq(out_of_range, 0);
    double sum_p2 = 0.0;
    for (size_t k = 0; k < ds.c; k++) {
        ck_assert_uint_gt(size[k], 0);
        sum_p2 += ((double)size[k] / (double)n) * ((double)size[k] / (double)n);
    }
    free(size);

    /* same-class edge fraction */
    size_t same = 0;
    for (size_t i = 0; i < n; i++)
        for (int64_t k = ds.adj.rowptr[i]; k < ds.adj.rowptr[i + 1]; k++)
            same += ds.y[ds.adj.col[k]] == ds.y[i];
    double frac = (double)same / (double)ds.adj.nnz;
    double want = tc->homophily + (1.0 - tc->homophily) * sum_p2;
    ck_assert_msg(fabs(frac - want) <= tc->homophily_tol + 1e-12,
                  "case %d: same-class fraction %.4f, expected %.4f +- %.2f", _i, frac, want,
                  tc->homophily_tol);
    gcn_dataset_free(&ds);
}
END_TEST

START_TEST(split_counts_exact)
{
    struct gcn_synth_params p = small_params();
    p.train_fraction = 0.5;
    p.val_fraction = 0.2;
    struct gcn_dataset ds;
    generate_ok(&ds, &p);
    size_t count[4] = {0};
    size_t bad = 0;
    for (size_t i = 0; i < ds.n; i++) {
        if (ds.split[i] > GCN_TEST)
            bad++;
        else
            count[ds.split[i]]++;
    }
    ck_assert_uint_eq(bad, 0);
    ck_assert_uint_eq(count[GCN_UNUSED], 0);
    ck_assert_uint_eq(count[GCN_TRAIN], 1500);
    ck_assert_uint_eq(count[GCN_VAL], 600);
    ck_assert_uint_eq(count[GCN_TEST], 900);
    for (int s = 0; s < 4; s++)
        ck_assert_uint_eq(ds.n_split[s], count[s]);
    /* the split is shuffled: train is not a prefix of the ids */
    size_t train_in_first = 0;
    for (size_t i = 0; i < 1500; i++)
        train_in_first += ds.split[i] == GCN_TRAIN;
    ck_assert_uint_lt(train_in_first, 1000);
    gcn_dataset_free(&ds);

    gcn_synth_defaults(&p); /* default fractions, 66/10/24 */
    p.nodes = 1000;
    p.avg_degree = 10.0;
    p.features = 4;
    generate_ok(&ds, &p);
    ck_assert_uint_eq(ds.n_split[GCN_TRAIN], 660);
    ck_assert_uint_eq(ds.n_split[GCN_VAL], 100);
    ck_assert_uint_eq(ds.n_split[GCN_TEST], 240);
    gcn_dataset_free(&ds);
}
END_TEST

START_TEST(labels_shuffled_and_mildly_unequal)
{
    struct gcn_synth_params p = small_params();
    p.classes = 41;
    struct gcn_dataset ds;
    generate_ok(&ds, &p);
    size_t size[41] = {0}, changes = 0;
    for (size_t i = 0; i < ds.n; i++) {
        size[ds.y[i]]++;
        if (i > 0 && ds.y[i] != ds.y[i - 1])
            changes++;
    }
    size_t lo = SIZE_MAX, hi = 0;
    for (size_t k = 0; k < 41; k++) {
        lo = size[k] < lo ? size[k] : lo;
        hi = size[k] > hi ? size[k] : hi;
    }
    /* sizes: largest about 4x the smallest */
    ck_assert_uint_ge(hi, 3 * lo);
    ck_assert_uint_le(hi, 5 * lo);
    /* ids are not grouped by class: neighbouring ids almost always differ in class */
    ck_assert_uint_gt(changes, ds.n * 9 / 10);
    gcn_dataset_free(&ds);
}
END_TEST

/* Nearest class mean (means from train nodes) on test nodes: right on well above chance
 * with the default signal, at chance without signal. */
static double nearest_mean_accuracy(const struct gcn_dataset *ds)
{
    size_t f = ds->f, c = ds->c;
    double *mean = calloc(c * f, sizeof *mean);
    size_t *cnt = calloc(c, sizeof *cnt);
    ck_assert(mean && cnt);
    for (size_t i = 0; i < ds->n; i++) {
        if (ds->split[i] != GCN_TRAIN)
            continue;
        cnt[ds->y[i]]++;
        for (size_t j = 0; j < f; j++)
            mean[(size_t)ds->y[i] * f + j] += ds->x[i * f + j];
    }
    for (size_t k = 0; k < c; k++)
        for (size_t j = 0; j < f; j++)
            mean[k * f + j] /= (double)(cnt[k] ? cnt[k] : 1);
    size_t right = 0, total = 0;
    for (size_t i = 0; i < ds->n; i++) {
        if (ds->split[i] != GCN_TEST)
            continue;
        size_t best = 0;
        double best_d = INFINITY;
        for (size_t k = 0; k < c; k++) {
            double d = 0.0;
            for (size_t j = 0; j < f; j++) {
                double e = ds->x[i * f + j] - mean[k * f + j];
                d += e * e;
            }
            if (d < best_d) {
                best_d = d;
                best = k;
            }
        }
        right += (int32_t)best == ds->y[i];
        total++;
    }
    free(mean);
    free(cnt);
    return (double)right / (double)total;
}

START_TEST(features_carry_the_class_signal)
{
    struct gcn_synth_params p = small_params();
    p.avg_degree = 4.0;
    struct gcn_dataset ds;
    generate_ok(&ds, &p);
    double acc = nearest_mean_accuracy(&ds);
    ck_assert_msg(acc > 0.5, "nearest-mean accuracy %.3f with signal 0.5", acc);
    /* noise is unit Gaussian: overall feature variance about 1 + signal^2 |mu|^2 / f */
    double s = 0.0, s2 = 0.0;
    size_t m = ds.n * ds.f;
    for (size_t e = 0; e < m; e++) {
        s += ds.x[e];
        s2 += (double)ds.x[e] * ds.x[e];
    }
    double var = s2 / (double)m - (s / (double)m) * (s / (double)m);
    ck_assert_msg(var > 1.0 && var < 1.0 + 0.25 * 40.0 / 32.0 * 1.6, "feature variance %.3f",
                  var);
    gcn_dataset_free(&ds);

    p.feature_signal = 0.0;
    generate_ok(&ds, &p);
    acc = nearest_mean_accuracy(&ds);
    ck_assert_msg(acc < 0.2, "nearest-mean accuracy %.3f without signal (chance 0.1)", acc);
    gcn_dataset_free(&ds);
}
END_TEST

/* One invalid parameter per case and a word its message must contain. */
enum field { NODES, FEATURES, CLASSES, AVG_DEGREE, DEGREE_SKEW, HOMOPHILY, SIGNAL, NOISE, TRAIN,
             VAL };

static const struct error_case {
    enum field field;
    double value;
    const char *needle;
} error_cases[] = {
    {CLASSES, 1, "classes must be at least 2"},
    {CLASSES, 0, "classes must be at least 2"},
    {NODES, 9, "nodes (9) must be at least classes (10)"},
    {NODES, 2147483648.0, "int32 column indices"},
    {FEATURES, 0, "features must be at least 1"},
    {FEATURES, 4.0e18, "overflows the feature matrix"},
    {AVG_DEGREE, 0, "avg_degree must be in (0, nodes - 1)"},
    {AVG_DEGREE, -3, "avg_degree must be in (0, nodes - 1)"},
    {AVG_DEGREE, 2999, "avg_degree must be in (0, nodes - 1)"},
    {AVG_DEGREE, NAN, "avg_degree must be in (0, nodes - 1)"},
    {DEGREE_SKEW, -0.5, "degree_skew"},
    {DEGREE_SKEW, INFINITY, "degree_skew"},
    {HOMOPHILY, -0.01, "homophily must be in [0, 1]"},
    {HOMOPHILY, 1.01, "homophily must be in [0, 1]"},
    {HOMOPHILY, NAN, "homophily must be in [0, 1]"},
    {SIGNAL, -1, "feature_signal"},
    {SIGNAL, NAN, "feature_signal"},
    {NOISE, -0.1, "label_noise must be in [0, 1)"},
    {NOISE, 1.0, "label_noise must be in [0, 1)"},
    {TRAIN, 0, "train_fraction must be in (0, 1)"},
    {TRAIN, 1, "train_fraction must be in (0, 1)"},
    {VAL, 0, "val_fraction must be in (0, 1)"},
    {VAL, 1.5, "val_fraction must be in (0, 1)"},
    {VAL, 0.34, "train_fraction + val_fraction must be below 1"},
};

/* Label noise moves about label_noise of the labels, each to another class, and nothing
 * else: graph, features and split are those of the noiseless dataset. */
START_TEST(label_noise_moves_labels_only)
{
    struct gcn_synth_params p = small_params();
    struct gcn_dataset clean, noisy;
    generate_ok(&clean, &p);
    p.label_noise = 0.2;
    generate_ok(&noisy, &p);
    size_t moved = 0;
    for (size_t i = 0; i < p.nodes; i++)
        moved += clean.y[i] != noisy.y[i];
    const double frac = (double)moved / (double)p.nodes;
    ck_assert_msg(fabs(frac - 0.2) < 0.03, "moved fraction %.3f, expected 0.2", frac);
    ck_assert_mem_eq(clean.x, noisy.x, p.nodes * p.features * sizeof *clean.x);
    ck_assert_mem_eq(clean.adj.col, noisy.adj.col, clean.adj.nnz * sizeof *clean.adj.col);
    ck_assert_mem_eq(clean.split, noisy.split, p.nodes);
    for (size_t i = 0; i < p.nodes; i++)
        ck_assert(noisy.y[i] >= 0 && (size_t)noisy.y[i] < p.classes);
    gcn_dataset_free(&clean);
    gcn_dataset_free(&noisy);
}
END_TEST

START_TEST(parameter_errors)
{
    const struct error_case *ec = &error_cases[_i];
    struct gcn_synth_params p = small_params();
    switch (ec->field) {
    case NODES: p.nodes = (size_t)ec->value; break;
    case FEATURES: p.features = (size_t)ec->value; break;
    case CLASSES: p.classes = (size_t)ec->value; break;
    case AVG_DEGREE: p.avg_degree = ec->value; break;
    case DEGREE_SKEW: p.degree_skew = ec->value; break;
    case HOMOPHILY: p.homophily = ec->value; break;
    case SIGNAL: p.feature_signal = ec->value; break;
    case NOISE: p.label_noise = ec->value; break;
    case TRAIN: p.train_fraction = ec->value; break;
    case VAL: p.val_fraction = ec->value; break;
    }
    struct gcn_dataset ds;
    memset(&ds, 0x5a, sizeof ds);
    ck_assert_int_eq(gcn_synth_generate(&ds, &p), GCN_ERR);
    ck_assert_msg(strstr(gcn_last_error(), ec->needle) != NULL, "case %d: '%s' lacks '%s'", _i,
                  gcn_last_error(), ec->needle);
    ck_assert_ptr_null(ds.x);
    ck_assert_ptr_null(ds.adj.col);
    gcn_dataset_free(&ds); /* safe after a failed call */
}
END_TEST

START_TEST(edge_count_limit)
{
    /* under the node limit, but n * avg_degree directed edges cannot be indexed */
    struct gcn_synth_params p = small_params();
    p.nodes = 2000000000;
    p.avg_degree = 1.9e9;
    struct gcn_dataset ds;
    ck_assert_int_eq(gcn_synth_generate(&ds, &p), GCN_ERR);
    ck_assert_ptr_nonnull(strstr(gcn_last_error(), "nodes * avg_degree"));
}
END_TEST

START_TEST(unreachable_degree)
{
    /* nearly complete and very skewed: hubs saturate, duplicates eat every extra stub */
    struct gcn_synth_params p = small_params();
    p.nodes = 60;
    p.classes = 2;
    p.avg_degree = 58.0;
    p.degree_skew = 4.0;
    struct gcn_dataset ds;
    ck_assert_int_eq(gcn_synth_generate(&ds, &p), GCN_ERR);
    ck_assert_ptr_nonnull(strstr(gcn_last_error(), "out of reach"));
    ck_assert_ptr_null(ds.adj.rowptr);
}
END_TEST

static Suite *synth_suite(void)
{
    Suite *s = suite_create("synth");
    TCase *tc = tcase_create("generate");
    tcase_add_test(tc, defaults_are_reddit_shaped);
    tcase_add_test(tc, same_seed_same_bytes_any_thread_count);
    tcase_add_test(tc, other_seed_other_bytes);
    tcase_add_loop_test(tc, statistics_within_tolerance, 0,
                        (int)(sizeof stats_cases / sizeof stats_cases[0]));
    tcase_add_test(tc, split_counts_exact);
    tcase_add_test(tc, labels_shuffled_and_mildly_unequal);
    tcase_add_test(tc, features_carry_the_class_signal);
    tcase_add_test(tc, label_noise_moves_labels_only);
    suite_add_tcase(s, tc);
    TCase *te = tcase_create("errors");
    tcase_add_loop_test(te, parameter_errors, 0,
                        (int)(sizeof error_cases / sizeof error_cases[0]));
    tcase_add_test(te, edge_count_limit);
    tcase_add_test(te, unreachable_degree);
    suite_add_tcase(s, te);
    return s;
}

int main(void)
{
    return test_run_suite(synth_suite(), CK_FORK_GETENV);
}
