/* test_model.c: the GCN model's numerics: finite-difference gradient check of every layer
 * and the loss, the Adam step against hand-computed values, the L2 term, and bit-for-bit
 * determinism of training for a fixed seed, the softmax cross-entropy against double. */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "gcn/kernels.h"
#include "gcn/model.h"
#include "gcn/train.h"
#include "testutil.h"

/* Mean training cross-entropy at the current parameters (dropout keys of epoch 0). */
static double train_loss(struct gcn_seq *s, const struct gcn_model *m, size_t c, int dropout)
{
    double *stats = calloc(GCN_STATS_LEN(c), sizeof *stats);
    gcn_seq_forward(s, m, 7, 0, dropout, stats);
    double loss = stats[1 * GCN_STATS_STRIDE(c)] / stats[1 * GCN_STATS_STRIDE(c) + 1];
    free(stats);
    return loss;
}

/* Central differences around float parameters with step h = 1e-3: small enough that few
 * ReLU pre-activations cross zero inside [w - h, w + h] (a kink makes any finite difference
 * wrong), large enough that the float rounding of a loss of order 1 (about 1e-7) divided by
 * 2h stays near 1e-4. Tolerance: |fd - analytic| <= 5e-4 + 2e-2 |analytic|. */
static void grad_check(size_t layers, float dropout)
{
    struct gcn_dataset ds;
    toy_dataset(&ds, 24, 5, 3, 2, 11);
    struct gcn_model m;
    ck_assert_int_eq(gcn_model_create(&m, layers, ds.f, 4, ds.c, 3), GCN_OK);
    for (size_t l = 0; l < layers; l++) /* non-zero biases exercise the bias path */
        for (size_t j = 0; j < m.dims[l + 1]; j++)
            m.params[m.b_off[l] + j] = 0.05f * (float)((j % 3) + 1);
    struct gcn_seq *s;
    ck_assert_int_eq(gcn_seq_create(&s, &ds, &m, dropout), GCN_OK);
    train_loss(s, &m, ds.c, 1);
    gcn_seq_backward(s, &m, 7, 0);
    float *analytic = malloc(m.count * sizeof *analytic);
    memcpy(analytic, m.grads, m.count * sizeof *analytic);
    const float h = 1e-3f;
    size_t checked = 0;
    for (size_t i = 0; i < m.count; i++) {
        const float w0 = m.params[i];
        m.params[i] = w0 + h;
        const double up = train_loss(s, &m, ds.c, 1);
        m.params[i] = w0 - h;
        const double down = train_loss(s, &m, ds.c, 1);
        m.params[i] = w0;
        const double fd = (up - down) / (2.0 * (double)h);
        const double an = analytic[i];
        ck_assert_msg(fabs(fd - an) <= 5e-4 + 2e-2 * fabs(an),
                      "layers %zu dropout %.1f param %zu: finite difference %.6g, backward %.6g",
                      layers, (double)dropout, i, fd, an);
        checked++;
    }
    ck_assert_uint_eq(checked, m.count);
    free(analytic);
    gcn_seq_destroy(s);
    gcn_model_free(&m);
    gcn_dataset_free(&ds);
}

START_TEST(test_grad_one_layer) { grad_check(1, 0.0f); }
END_TEST
START_TEST(test_grad_two_layers) { grad_check(2, 0.0f); }
END_TEST
START_TEST(test_grad_three_layers_dropout) { grad_check(3, 0.5f); }
END_TEST

START_TEST(test_adam_hand)
{
    /* one parameter w = 1, g = 0.5, wd = 0.1: g' = 0.6; m = 0.06, v = 0.00036;
     * mhat = 0.6, vhat = 0.36; w = 1 - 0.01 * 0.6 / (0.6 + 1e-8) = 0.99 */
    float w = 1.0f, m = 0.0f, v = 0.0f, g = 0.5f;
    gcn_adam(&w, &m, &v, &g, 1, 0.01f, 0.9f, 0.999f, 1e-8f, 0.1f, 1);
    ck_assert_float_eq_tol(m, 0.06f, 1e-7f);
    ck_assert_float_eq_tol(v, 0.00036f, 1e-8f); /* 1 - 0.999 in float: 3e-5 relative */
    ck_assert_float_eq_tol(w, 0.99f, 1e-6f);
    /* second step, g = -0.2: g' = -0.2 + 0.1 * 0.99 = -0.101; m = 0.054 - 0.0101 = 0.0439;
     * v = 0.00035964 + 0.000010201 = 0.000369841; mhat = 0.0439 / 0.19 = 0.231052631;
     * vhat = 0.000369841 / 0.001999 = 0.185013; w = 0.99 - 0.01 * 0.231052631 / 0.430131 */
    g = -0.2f;
    gcn_adam(&w, &m, &v, &g, 1, 0.01f, 0.9f, 0.999f, 1e-8f, 0.1f, 2);
    ck_assert_float_eq_tol(m, 0.0439f, 1e-6f);
    ck_assert_float_eq_tol(v, 0.000369841f, 1e-8f);
    ck_assert_float_eq_tol(w, 0.99f - 0.01f * 0.231052631f / 0.4301314f, 2e-6f);
}
END_TEST

START_TEST(test_l2_scope)
{
    struct gcn_model m;
    ck_assert_int_eq(gcn_model_create(&m, 2, 3, 2, 2, 1), GCN_OK);
    for (size_t i = 0; i < m.count; i++)
        m.params[i] = 1.0f;
    struct gcn_hparams hp = { .weight_decay = 0.5f, .wd_scope = GCN_WD_FIRST };
    ck_assert_double_eq_tol(gcn_model_l2(&m, &hp), 0.5 * 0.5 * 6.0, 1e-12); /* W0: 3x2 */
    hp.wd_scope = GCN_WD_ALL;
    ck_assert_double_eq_tol(gcn_model_l2(&m, &hp), 0.5 * 0.5 * 10.0, 1e-12); /* + W1: 2x2 */
    hp.wd_scope = GCN_WD_NONE;
    ck_assert_double_eq_tol(gcn_model_l2(&m, &hp), 0.0, 1e-12);
    gcn_model_free(&m);
}
END_TEST

START_TEST(test_glorot_range_and_seed)
{
    struct gcn_model a, b, c;
    ck_assert_int_eq(gcn_model_create(&a, 2, 50, 16, 7, 5), GCN_OK);
    ck_assert_int_eq(gcn_model_create(&b, 2, 50, 16, 7, 5), GCN_OK);
    ck_assert_int_eq(gcn_model_create(&c, 2, 50, 16, 7, 6), GCN_OK);
    ck_assert_mem_eq(a.params, b.params, a.count * sizeof(float));
    ck_assert(memcmp(a.params, c.params, a.count * sizeof(float)) != 0);
    const float limit = sqrtf(6.0f / 66.0f);
    for (size_t i = 0; i < 50 * 16; i++)
        ck_assert(fabsf(a.params[a.w_off[0] + i]) <= limit);
    for (size_t j = 0; j < 16; j++)
        ck_assert(a.params[a.b_off[0] + j] == 0.0f);
    gcn_model_free(&a);
    gcn_model_free(&b);
    gcn_model_free(&c);
}
END_TEST

START_TEST(test_model_errors)
{
    struct gcn_model m;
    ck_assert_int_eq(gcn_model_create(&m, 0, 3, 2, 2, 1), GCN_ERR);
    ck_assert(strstr(gcn_last_error(), "layers"));
    ck_assert_int_eq(gcn_model_create(&m, GCN_MAX_LAYERS + 1, 3, 2, 2, 1), GCN_ERR);
    ck_assert_int_eq(gcn_model_create(&m, 2, 3, 0, 2, 1), GCN_ERR);
}
END_TEST

static void train_toy(struct gcn_train_result *r, uint64_t seed, float dropout)
{
    struct gcn_dataset ds;
    toy_dataset(&ds, 200, 12, 4, 3, 21);
    struct gcn_train_opts o;
    gcn_train_opts_defaults(&o);
    o.hp.hidden = 8;
    o.hp.dropout = dropout;
    o.hp.weight_decay = 5e-4f;
    o.epochs = 15;
    o.seed = seed;
    ck_assert_int_eq(gcn_train_seq(r, &ds, &o), GCN_OK);
    gcn_dataset_free(&ds);
}

START_TEST(test_determinism)
{
    struct gcn_train_result a, b, c;
    train_toy(&a, 9, 0.5f);
    train_toy(&b, 9, 0.5f);
    train_toy(&c, 10, 0.5f);
    ck_assert_uint_eq(a.epochs_run, 15);
    int differs = 0;
    for (size_t e = 0; e < a.epochs_run; e++) {
        ck_assert_msg(memcmp(&a.epochs[e].loss, &b.epochs[e].loss, sizeof(double)) == 0,
                      "epoch %zu: %.17g vs %.17g", e, a.epochs[e].loss, b.epochs[e].loss);
        differs |= a.epochs[e].loss != c.epochs[e].loss;
    }
    ck_assert_msg(differs, "another seed must give another trajectory");
    ck_assert(a.epochs[14].loss < a.epochs[0].loss);
    gcn_train_result_free(&a);
    gcn_train_result_free(&b);
    gcn_train_result_free(&c);
}
END_TEST

/* The softmax cross-entropy against the same formulas in double with libm's exp, at 41
 * classes (Reddit) and 150 (more than one chunk of the kernel's exponentials): every
 * difference to the row's maximum from 0 down to -100 (past float's range, where the
 * probability is 0), a row holding -inf, and a row holding a NaN, whose loss must be NaN. */
static void softmax_check(size_t c)
{
    const size_t n = 600;
    float *z = malloc(n * c * sizeof *z), *g = malloc(n * c * sizeof *g);
    int32_t *y = malloc(n * sizeof *y);
    uint8_t *split = malloc(n * sizeof *split);
    double *stats = calloc(GCN_STATS_LEN(c), sizeof *stats);
    for (size_t i = 0; i < n; i++) {
        for (size_t k = 0; k < c; k++) /* steps of 100 / (n c) sweep [-100, 0] */
            z[i * c + k] = 3.0f - 100.0f * (float)((k * n + i) % (n * c)) / (float)(n * c);
        y[i] = (int32_t)((i * 7) % c);
        split[i] = (uint8_t)(i % 2 ? GCN_TRAIN : GCN_TEST);
    }
    z[5 * c + 3] = -INFINITY;
    const size_t nan_row = n - 2; /* a test row: its gradient row must still be zeros */
    z[nan_row * c + 1] = NAN;
    const float scale = 0.25f;
    gcn_softmax_xent(g, stats, z, y, split, n, c, scale);
    double loss_train = 0.0;
    for (size_t i = 0; i < n; i++) {
        /* the differences to the maximum are floats, as in the kernel */
        const float *zi = z + i * c;
        float zmax = zi[0];
        for (size_t k = 1; k < c; k++)
            zmax = zi[k] > zmax ? zi[k] : zmax;
        double sum = 0.0;
        for (size_t k = 0; k < c; k++)
            sum += exp((double)(zi[k] - zmax));
        if (split[i] == GCN_TRAIN)
            loss_train += log(sum) - (double)(zi[y[i]] - zmax);
        for (size_t k = 0; k < c; k++) {
            if (split[i] != GCN_TRAIN) {
                ck_assert(g[i * c + k] == 0.0f);
                continue;
            }
            const double p = exp((double)(zi[k] - zmax)) / sum;
            const double ref = (p - (k == (size_t)y[i])) * scale;
            const double tol = 4e-7 * (p * scale + fabs(ref)) + 1e-30;
            ck_assert_msg(fabs((double)g[i * c + k] - ref) <= tol,
                          "c %zu row %zu class %zu: %.9g, double gives %.9g", c, i, k,
                          (double)g[i * c + k], ref);
        }
    }
    const double *tr = stats + GCN_TRAIN * GCN_STATS_STRIDE(c);
    ck_assert_msg(fabs(tr[0] - loss_train) <= 1e-6 * loss_train, "train loss %.12g vs %.12g",
                  tr[0], loss_train);
    ck_assert(isnan(stats[GCN_TEST * GCN_STATS_STRIDE(c)]));
    free(z);
    free(g);
    free(y);
    free(split);
    free(stats);
}

START_TEST(test_softmax_reddit_classes) { softmax_check(41); }
END_TEST
START_TEST(test_softmax_many_classes) { softmax_check(150); }
END_TEST

START_TEST(test_divergence_is_an_error)
{
    struct gcn_dataset ds;
    toy_dataset(&ds, 100, 6, 3, 3, 2);
    struct gcn_train_opts o;
    gcn_train_opts_defaults(&o);
    o.hp.hidden = 8;
    o.hp.lr = 1e35f; /* the first update throws the weights to ~1e35: logits overflow */
    o.epochs = 5;
    struct gcn_train_result r;
    ck_assert_int_eq(gcn_train_seq(&r, &ds, &o), GCN_ERR);
    ck_assert_msg(strstr(gcn_last_error(), "epoch 2") && strstr(gcn_last_error(), "lr"),
                  "message: %s", gcn_last_error());
    gcn_train_result_free(&r);
    gcn_dataset_free(&ds);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("model");
    TCase *tc = tcase_create("model");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_grad_one_layer);
    tcase_add_test(tc, test_grad_two_layers);
    tcase_add_test(tc, test_grad_three_layers_dropout);
    tcase_add_test(tc, test_adam_hand);
    tcase_add_test(tc, test_l2_scope);
    tcase_add_test(tc, test_glorot_range_and_seed);
    tcase_add_test(tc, test_model_errors);
    tcase_add_test(tc, test_determinism);
    tcase_add_test(tc, test_softmax_reddit_classes);
    tcase_add_test(tc, test_softmax_many_classes);
    tcase_add_test(tc, test_divergence_is_an_error);
    suite_add_tcase(s, tc);
    return test_run_suite(s, CK_FORK_GETENV);
}
