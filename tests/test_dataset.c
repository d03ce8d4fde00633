/* test_dataset.c: Check suite for gcn/dataset.c. Tiny DGL raw-layout datasets written by
 * tests/make_fixtures.py ($GCN_FIXTURES) load identically from COO and CSR graphs, stored and
 * deflated archives and every supported dtype, with duplicate edges coalesced and self-loops
 * dropped; one table row per loader error checks the one-line message names the file and the
 * problem (the graph files fuzzing found, in tests/regress, too); Cora ($GCN_CORA_DIR) loads
 * with its published statistics. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gcn/dataset.h"
#include "base/error.h"
#include "gcn/graph.h"
#include "testutil.h"

static void ds_paths(char *data, char *graph, size_t size, const char *data_case,
                     const char *graph_case)
{
    const char *dir = getenv("GCN_FIXTURES");
    ck_assert_msg(dir != NULL, "GCN_FIXTURES is not set (run through meson test)");
    snprintf(data, size, "%s/ds_%s_data.npz", dir, data_case);
    snprintf(graph, size, "%s/ds_%s_graph.npz", dir, graph_case);
}

/* The tiny dataset of make_fixtures.py: 6 nodes, 3 features, labels 0 1 2 1 0 2, node types
 * 1 1 2 3 0 1, coalesced rows 0:[1,2] 1:[0,2] 2:[0,1] 3:[4] 4:[3] 5:[]. */
static void check_tiny(const struct gcn_dataset *ds, int edges, int exact_features)
{
    static const int32_t labels[] = {0, 1, 2, 1, 0, 2};
    static const uint8_t types[] = {1, 1, 2, 3, 0, 1};
    static const int64_t rowptr[] = {0, 2, 4, 6, 7, 8, 8};
    static const int32_t col[] = {1, 2, 0, 2, 0, 1, 4, 3};
    ck_assert_uint_eq(ds->n, 6);
    ck_assert_uint_eq(ds->f, 3);
    ck_assert_uint_eq(ds->c, 3);
    for (int i = 0; i < 6; i++) {
        ck_assert_int_eq(ds->y[i], labels[i]);
        ck_assert_int_eq(ds->split[i], types[i]);
    }
    ck_assert_uint_eq(ds->n_split[GCN_UNUSED], 1);
    ck_assert_uint_eq(ds->n_split[GCN_TRAIN], 3);
    ck_assert_uint_eq(ds->n_split[GCN_VAL], 1);
    ck_assert_uint_eq(ds->n_split[GCN_TEST], 1);
    if (exact_features) {
        for (int i = 0; i < 18; i++)
            ck_assert_float_eq_tol(ds->x[i], (float)((i + 1) / 10.0), 1e-6f);
    }
    ck_assert_uint_eq(ds->adj.n_rows, 6);
    ck_assert_uint_eq(ds->adj.n_cols, 6);
    if (!edges) {
        ck_assert_uint_eq(ds->adj.nnz, 0);
        for (int i = 0; i <= 6; i++)
            ck_assert_int_eq(ds->adj.rowptr[i], 0);
        return;
    }
    ck_assert_uint_eq(ds->adj.nnz, 8);
    for (int i = 0; i <= 6; i++)
        ck_assert_int_eq(ds->adj.rowptr[i], rowptr[i]);
    for (int k = 0; k < 8; k++)
        ck_assert_int_eq(ds->adj.col[k], col[k]);
}

static const struct {
    const char *name;
    int edges;          /* 0: the fixture has no edges */
    int exact_features; /* features are (i + 1) / 10 */
} valid[] = {
    {"good", 1, 1},    {"stored", 1, 1},  {"csr", 1, 1},     {"csr64", 1, 1},
    {"dtypes1", 1, 1}, {"dtypes2", 1, 0}, {"dtypes3", 1, 0}, {"noedges", 0, 1},
};

START_TEST(valid_fixtures)
{
    char data[4096], graph[4096];
    ds_paths(data, graph, sizeof data, valid[_i].name, valid[_i].name);
    struct gcn_dataset ds;
    ck_assert_msg(gcn_dataset_load_dgl(&ds, data, graph, "tiny") == GCN_OK, "%s: %s",
                  valid[_i].name, gcn_last_error());
    ck_assert_str_eq(ds.name, "tiny");
    check_tiny(&ds, valid[_i].edges, valid[_i].exact_features);
    gcn_dataset_free(&ds);
    ck_assert_ptr_null(ds.x);
    gcn_dataset_free(&ds); /* freeing twice is safe */
}
END_TEST

START_TEST(bool_and_byte_features)
{
    char data[4096], graph[4096];
    struct gcn_dataset ds;
    ds_paths(data, graph, sizeof data, "dtypes3", "dtypes3");
    ck_assert_int_eq(gcn_dataset_load_dgl(&ds, data, graph, NULL), GCN_OK);
    ck_assert_str_eq(ds.name, "ds_dtypes3"); /* derived from NAME_data.npz */
    for (int i = 0; i < 18; i++)
        ck_assert_float_eq(ds.x[i], (i + 1) / 10.0 > 0.9 ? 1.0f : 0.0f);
    gcn_dataset_free(&ds);
    ds_paths(data, graph, sizeof data, "dtypes2", "dtypes2");
    ck_assert_int_eq(gcn_dataset_load_dgl(&ds, data, graph, NULL), GCN_OK);
    for (int i = 0; i < 18; i++) {
        ck_assert_float_ge(ds.x[i], (float)i);
        ck_assert_float_le(ds.x[i], (float)(i + 1));
        ck_assert_float_eq(ds.x[i], floorf(ds.x[i]));
    }
    gcn_dataset_free(&ds);
}
END_TEST

START_TEST(normalize_and_count)
{
    char data[4096], graph[4096];
    struct gcn_dataset ds;
    ds_paths(data, graph, sizeof data, "good", "good");
    ck_assert_int_eq(gcn_dataset_load_dgl(&ds, data, graph, "tiny"), GCN_OK);
    memset(ds.x + 3, 0, 3 * sizeof *ds.x); /* row 1 sums to 0: left as it is */
    gcn_dataset_normalize_rows(&ds);
    for (size_t i = 0; i < ds.n; i++) {
        double s = 0;
        for (size_t j = 0; j < ds.f; j++)
            s += ds.x[i * ds.f + j];
        ck_assert_double_eq_tol(s, i == 1 ? 0.0 : 1.0, 1e-6);
    }
    ck_assert_float_eq_tol(ds.x[0], 0.1f / 0.6f, 1e-6f);
    ds.split[4] = GCN_TEST;
    gcn_dataset_count_splits(&ds);
    ck_assert_uint_eq(ds.n_split[GCN_UNUSED], 0);
    ck_assert_uint_eq(ds.n_split[GCN_TEST], 2);
    gcn_dataset_free(&ds);

    struct gcn_dataset zero;
    memset(&zero, 0, sizeof zero);
    gcn_dataset_free(&zero); /* a zeroed struct is safe to free */
}
END_TEST

/* ---- error table: each row pairs a (possibly broken) data file with a graph file ---- */

struct error_case {
    const char *data;   /* ds_<data>_data.npz */
    const char *graph;  /* ds_<graph>_graph.npz */
    const char *expect; /* substring of the message */
    int names_graph;    /* the message must name the graph file (else the data file) */
};

static const struct error_case errors[] = {
    {"missing", "good", "file not found", 0},
    {"good", "missing", "file not found", 1},
    {"notzip", "good", "not a zip archive", 0},
    {"cutzip", "good", "not a zip archive", 0},
    {"good", "notzip", "not a zip archive", 1},
    {"truncated", "good", "key 'feature': truncated array", 0},
    {"good", "truncated", "key 'row': truncated array", 1},
    {"missingkey", "good", "missing key 'node_types'", 0},
    {"good", "missingrow", "missing key 'row'", 1},
    {"good", "missingformat", "missing key 'format'", 1},
    {"baddtype", "good", "unsupported dtype '<f2'", 0},
    {"baddtype_label", "good", "unsupported dtype '|i1'", 0},
    {"good", "rowu4", "unsupported dtype '<u4'", 1},
    {"fortran", "good", "Fortran-ordered", 0},
    {"good", "fortranrow", "Fortran-ordered", 1},
    {"bigendian", "good", "big-endian", 0},
    {"feature1d", "good", "key 'feature' has shape (6,), expected (nodes, features)", 0},
    {"nonodes", "good", "at least one node", 0},
    {"labelshort", "good", "shape mismatch: key 'label' has 5 entries", 0},
    {"label2d", "good", "key 'label' has shape (6, 1)", 0},
    {"typeslong", "good", "shape mismatch: key 'node_types' has 7 entries", 0},
    {"labelneg", "good", "label[2] is -1", 0},
    {"labelfloat", "good", "key 'label' has dtype '<f4' but must hold integers", 0},
    {"labelhuge", "good", "label[5] is 5000000000", 0},
    {"nan", "good", "feature[4, 1] is NaN", 0},
    {"inf", "good", "feature[2, 2] is Inf", 0},
    {"typesbad", "good", "node_types[3] is 4", 0},
    {"typesneg", "good", "node_types[1] is -1", 0},
    {"notrain", "good", "no training nodes", 0},
    {"good", "shapebig", "shape mismatch: the graph is 7 x 7 but the features have 6 nodes", 1},
    {"good", "nonsquare", "not square (6 x 8)", 1},
    {"good", "rowout", "edge 10: row index 6 is out of range for 6 nodes", 1},
    {"good", "colneg", "edge 9: col index -2 is out of range", 1},
    {"good", "colshort", "shape mismatch: key 'col' has 10 entries", 1},
    {"good", "rowfloat", "key 'row' has dtype '<f4' but must hold integers", 1},
    {"good", "csc", "unsupported sparse format 'csc'", 1},
    {"good", "csrbadptr", "indptr decreases at row 1", 1},
    {"good", "csrout", "edge 10: column index 9 is out of range", 1},
    {"good", "csrnnz", "there are 10 indices", 1},
};

/* Loads data + graph and checks the failure: expect in a one-line message that starts with
 * the data file's name, or the graph file's when names_graph; the struct is left zeroed. */
static void check_load_error(const char *data, const char *graph, const char *expect,
                             int names_graph)
{
    struct gcn_dataset ds;
    memset(&ds, 0x5a, sizeof ds); /* garbage in: the loader must not trust it */
    ck_assert_msg(gcn_dataset_load_dgl(&ds, data, graph, "bad") == GCN_ERR,
                  "%s + %s: expected an error", data, graph);
    const char *msg = gcn_last_error();
    ck_assert_msg(strstr(msg, expect) != NULL, "%s + %s: expected '%s' in '%s'", data, graph,
                  expect, msg);
    const char *named = names_graph ? graph : data;
    ck_assert_msg(strncmp(msg, named, strlen(named)) == 0,
                  "%s + %s: message does not start with the file name: '%s'", data, graph, msg);
    ck_assert_msg(strchr(msg, '\n') == NULL, "message is not one line: '%s'", msg);
    /* a failed load leaves a freed, zeroed struct */
    ck_assert_ptr_null(ds.x);
    ck_assert_ptr_null(ds.y);
    ck_assert_ptr_null(ds.split);
    ck_assert_ptr_null(ds.adj.rowptr);
    ck_assert_uint_eq(ds.n, 0);
    gcn_dataset_free(&ds);
}

START_TEST(error_table)
{
    const struct error_case *c = &errors[_i];
    char data[4096], graph[4096];
    ds_paths(data, graph, sizeof data, c->data, c->graph);
    check_load_error(data, graph, c->expect, c->names_graph);
}
END_TEST

/* ---- fuzzing regressions: graph files fuzz/ found or that its fixes cover, kept in
 * tests/regress (see its README), each paired with the good data file ---- */

static const struct {
    const char *graph;  /* file in tests/regress */
    const char *expect; /* substring of the message */
} regressions[] = {
    /* the `format` string is quoted in the message: control bytes become '?' */
    {"graph_format_newline_graph.npz", "unsupported sparse format 'c?oo'"},
};

START_TEST(fuzz_regressions)
{
    const char *root = getenv("GCN_SOURCE_ROOT");
    ck_assert_msg(root != NULL, "GCN_SOURCE_ROOT is not set (run through meson test)");
    char data[4096], graph[4096];
    ds_paths(data, graph, sizeof data, "good", "good");
    snprintf(graph, sizeof graph, "%s/tests/regress/%s", root, regressions[_i].graph);
    check_load_error(data, graph, regressions[_i].expect, 1);
}
END_TEST

/* ---- Cora ---- */

START_TEST(cora)
{
    const char *dir = getenv("GCN_CORA_DIR");
    ck_assert_msg(dir != NULL, "GCN_CORA_DIR is not set (run through meson test)");
    char data[4096], graph[4096];
    snprintf(data, sizeof data, "%s/cora_data.npz", dir);
    snprintf(graph, sizeof graph, "%s/cora_graph.npz", dir);
    struct gcn_dataset ds;
    ck_assert_msg(gcn_dataset_load_dgl(&ds, data, graph, NULL) == GCN_OK, "%s",
                  gcn_last_error());
    ck_assert_str_eq(ds.name, "cora");
    ck_assert_uint_eq(ds.n, 2708);
    ck_assert_uint_eq(ds.f, 1433);
    ck_assert_uint_eq(ds.c, 7);
    ck_assert_uint_eq(ds.adj.nnz, 10556);
    ck_assert_uint_eq(ds.n_split[GCN_TRAIN], 140);
    ck_assert_uint_eq(ds.n_split[GCN_VAL], 500);
    ck_assert_uint_eq(ds.n_split[GCN_TEST], 1000);
    ck_assert_uint_eq(ds.n_split[GCN_UNUSED], 2708 - 1640);
    /* coalesced, no self-loops, and Cora is undirected: every edge appears both ways */
    for (size_t i = 0; i < ds.n; i++) {
        for (int64_t k = ds.adj.rowptr[i]; k < ds.adj.rowptr[i + 1]; k++) {
            int32_t j = ds.adj.col[k];
            ck_assert_int_ne(j, (int32_t)i);
            if (k > ds.adj.rowptr[i])
                ck_assert_int_lt(ds.adj.col[k - 1], j);
            int found = 0;
            for (int64_t q = ds.adj.rowptr[j]; q < ds.adj.rowptr[j + 1]; q++)
                found |= ds.adj.col[q] == (int32_t)i;
            ck_assert_msg(found, "edge %zu -> %d has no reverse", i, (int)j);
        }
    }
    struct gcn_csr p;
    float *dinv;
    ck_assert_int_eq(gcn_propagation_build(&p, &dinv, &ds.adj), GCN_OK);
    ck_assert_uint_eq(p.nnz, 10556 + 2708);
    free(dinv);
    gcn_csr_free(&p);
    gcn_dataset_free(&ds);
}
END_TEST

static Suite *dataset_suite(void)
{
    Suite *s = suite_create("dataset");
    TCase *tc = tcase_create("load");
    tcase_add_loop_test(tc, valid_fixtures, 0, (int)(sizeof valid / sizeof valid[0]));
    tcase_add_test(tc, bool_and_byte_features);
    tcase_add_test(tc, normalize_and_count);
    tcase_add_test(tc, cora);
    suite_add_tcase(s, tc);
    TCase *te = tcase_create("errors");
    tcase_add_loop_test(te, error_table, 0, (int)(sizeof errors / sizeof errors[0]));
    tcase_add_loop_test(te, fuzz_regressions, 0,
                        (int)(sizeof regressions / sizeof regressions[0]));
    suite_add_tcase(s, te);
    return s;
}

int main(void)
{
    return test_run_suite(dataset_suite(), CK_FORK_GETENV);
}
