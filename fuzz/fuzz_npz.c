/* fuzz_npz.c: libFuzzer target for the .npz reader (gcn/npz.c over libzip): the input is a
 * whole zip archive, written to an in-memory file and opened by path like a real one. Every
 * member name the DGL layout and scipy's save_npz use is read (present or not, stored or
 * deflated, with damaged CRCs, sizes and headers as the fuzzer makes them) and each array
 * that parses is converted. Checked besides the sanitizers: gcn_npz_has agrees with
 * gcn_npz_read about missing keys, a read array holds nbytes of data, every failure leaves
 * one error line. */
#include <stddef.h>
#include <stdint.h>

#include "gcn/npz.h"
#include "invariant.h"
#include "memfile.h"

static const char *const keys[] = {
    "feature", "label", "node_types", "row", "col", "indptr", "indices", "data", "shape",
    "format", "",
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct memfile file = { -1, "" };
    if (file.fd < 0)
        memfile_create(&file, "fuzz_npz");
    memfile_set(&file, data, size);

    struct gcn_npz *z = NULL;
    if (gcn_npz_open(&z, file.path) != GCN_OK) {
        require_error_line();
        REQUIRE(z == NULL);
        return 0;
    }
    REQUIRE(strcmp(gcn_npz_path(z), file.path) == 0);
    for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
        struct gcn_npy a;
        int has = gcn_npz_has(z, keys[k]);
        if (gcn_npz_read(z, keys[k], &a) != GCN_OK) {
            require_error_line();
            REQUIRE(a.data == NULL);
            if (!has)
                REQUIRE(strstr(gcn_last_error(), "missing key") != NULL);
            continue;
        }
        REQUIRE(has && a.data != NULL);
        if (a.nbytes) {
            volatile const uint8_t *d = a.data;
            (void)d[a.nbytes - 1];
        }
        if (k % 2 == 0) {
            float *f = NULL;
            if (gcn_npy_take_f32(&f, &a) != GCN_OK)
                require_error_line();
            free(f);
        } else {
            int64_t *v = NULL;
            if (gcn_npy_take_i64(&v, &a) != GCN_OK)
                require_error_line();
            free(v);
        }
        gcn_npy_free(&a);
    }
    gcn_npz_close(z);
    return 0;
}
