/* fuzz_graph.c: libFuzzer target for the graph-file validation path: the input is a
 * NAME_graph.npz (scipy.sparse.save_npz output, COO or CSR, as the fuzzer mutates it), loaded
 * by gcn_dataset_load_dgl next to a valid NAME_data.npz that the target writes itself with as
 * many nodes as the graph's `shape` announces (up to MAX_NODES; otherwise 4, so the shape
 * mismatch path runs). A graph that loads is checked as gcn_csr promises (rowptr from 0 to
 * nnz and monotone, each row strictly increasing, columns in range, no self-loops) and turned
 * into the propagation pattern A + I, which must hold nnz + n entries. Every failure must
 * leave one error line. */
#include <stddef.h>
#include <stdint.h>
#include <zip.h>

#include "gcn/dataset.h"
#include "gcn/graph.h"
#include "gcn/npz.h"
#include "invariant.h"
#include "memfile.h"

#define MAX_NODES 16384 /* largest node count the companion data file gets */

/* A version 1.0 .npy of `count` items of `itemsize` bytes, each equal to item, with the
 * header dict given; *len receives the size. */
static void *npy(size_t *len, const char *dict, const void *item, size_t itemsize, size_t count)
{
    char head[128];
    int h = snprintf(head, sizeof head, "%s\n", dict);
    REQUIRE(h > 0 && (size_t)h < sizeof head);
    *len = 10 + (size_t)h + itemsize * count;
    unsigned char *b = malloc(*len);
    REQUIRE(b != NULL);
    memcpy(b, "\x93NUMPY\x01\x00", 8);
    b[8] = (unsigned char)(h & 0xff);
    b[9] = (unsigned char)(h >> 8);
    memcpy(b + 10, head, (size_t)h);
    for (size_t i = 0; i < count; i++)
        memcpy(b + 10 + h + i * itemsize, item, itemsize);
    return b;
}

/* Adds member name (len bytes at buf, freed by libzip) to za, stored. */
static void add_member(zip_t *za, const char *name, void *buf, size_t len)
{
    zip_source_t *s = zip_source_buffer(za, buf, len, 1);
    REQUIRE(s != NULL);
    zip_int64_t idx = zip_file_add(za, name, s, 0);
    REQUIRE(idx >= 0);
    REQUIRE(zip_set_file_compression(za, (zip_uint64_t)idx, ZIP_CM_STORE, 0) == 0);
}

/* Writes a valid DGL NAME_data.npz of n nodes (one feature 1.0, label 0, all training
 * nodes) into file. */
static void write_data_npz(struct memfile *file, size_t n)
{
    char dict[128];
    size_t len;
    float one = 1.0f;
    int64_t zero = 0;
    uint8_t train = 1;
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(NULL, 0, 0, &ze);
    REQUIRE(src != NULL);
    zip_source_keep(src);
    zip_t *za = zip_open_from_source(src, ZIP_TRUNCATE, &ze);
    REQUIRE(za != NULL);
    snprintf(dict, sizeof dict, "{'descr': '<f4', 'fortran_order': False, 'shape': (%zu, 1), }",
             n);
    void *b = npy(&len, dict, &one, sizeof one, n);
    add_member(za, "feature.npy", b, len);
    snprintf(dict, sizeof dict, "{'descr': '<i8', 'fortran_order': False, 'shape': (%zu,), }", n);
    b = npy(&len, dict, &zero, sizeof zero, n);
    add_member(za, "label.npy", b, len);
    snprintf(dict, sizeof dict, "{'descr': '|u1', 'fortran_order': False, 'shape': (%zu,), }", n);
    b = npy(&len, dict, &train, sizeof train, n);
    add_member(za, "node_types.npy", b, len);
    REQUIRE(zip_close(za) == 0);

    REQUIRE(zip_source_open(src) == 0);
    REQUIRE(zip_source_seek(src, 0, SEEK_END) == 0);
    zip_int64_t size = zip_source_tell(src);
    REQUIRE(size > 0 && zip_source_seek(src, 0, SEEK_SET) == 0);
    void *bytes = malloc((size_t)size);
    REQUIRE(bytes != NULL && zip_source_read(src, bytes, (zip_uint64_t)size) == size);
    zip_source_close(src);
    zip_source_free(src);
    memfile_set(file, bytes, (size_t)size);
    free(bytes);
    zip_error_fini(&ze);
}

/* The node count the graph's `shape` announces when it is usable here, else 4. */
static size_t announced_nodes(const char *graph_path)
{
    size_t n = 4;
    struct gcn_npz *z = NULL;
    struct gcn_npy a;
    int64_t *shape = NULL;
    if (gcn_npz_open(&z, graph_path) != GCN_OK)
        return n;
    if (gcn_npz_read(z, "shape", &a) == GCN_OK && a.count == 2 &&
        gcn_npy_take_i64(&shape, &a) == GCN_OK && shape[0] >= 1 && shape[0] <= MAX_NODES)
        n = (size_t)shape[0];
    free(shape);
    gcn_npy_free(&a);
    gcn_npz_close(z);
    return n;
}

static void check_csr(const struct gcn_csr *g, size_t n)
{
    REQUIRE(g->n_rows == n && g->n_cols == n && g->rowptr[0] == 0);
    REQUIRE(g->rowptr[n] >= 0 && (size_t)g->rowptr[n] == g->nnz);
    for (size_t i = 0; i < n; i++) {
        REQUIRE(g->rowptr[i + 1] >= g->rowptr[i]);
        for (int64_t k = g->rowptr[i]; k < g->rowptr[i + 1]; k++) {
            REQUIRE(g->col[k] >= 0 && (size_t)g->col[k] < n && (size_t)g->col[k] != i);
            REQUIRE(k == g->rowptr[i] || g->col[k - 1] < g->col[k]);
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct memfile graph = { -1, "" }, nodes = { -1, "" };
    static size_t nodes_n = 0; /* node count of the data file now in `nodes` */
    if (graph.fd < 0) {
        memfile_create(&graph, "fuzz_graph");
        memfile_create(&nodes, "fuzz_graph_data");
    }
    memfile_set(&graph, data, size);
    size_t n = announced_nodes(graph.path);
    if (n != nodes_n) {
        write_data_npz(&nodes, n);
        nodes_n = n;
    }

    struct gcn_dataset ds;
    if (gcn_dataset_load_dgl(&ds, nodes.path, graph.path, "fuzz") != GCN_OK) {
        require_error_line();
        REQUIRE(ds.x == NULL && ds.adj.rowptr == NULL && ds.adj.col == NULL);
        return 0;
    }
    REQUIRE(ds.n == n && ds.f == 1 && ds.c == 1 && ds.n_split[GCN_TRAIN] == n);
    check_csr(&ds.adj, n);
    struct gcn_csr p;
    float *dinv = NULL;
    REQUIRE(gcn_propagation_build(&p, &dinv, &ds.adj) == GCN_OK);
    REQUIRE(p.nnz == ds.adj.nnz + n);
    for (size_t i = 0; i < n; i++)
        REQUIRE(dinv[i] > 0.0f && dinv[i] <= 1.0f);
    free(dinv);
    gcn_csr_free(&p);
    gcn_dataset_free(&ds);
    return 0;
}
