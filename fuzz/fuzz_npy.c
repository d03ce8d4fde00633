/* fuzz_npy.c: libFuzzer target for the .npy parser (gcn/npz.c): the input is a whole .npy
 * file. It goes through gcn_npy_parse_header (header only) and gcn_npy_parse (header and
 * data), and a parsed array through both conversions. Checked besides the sanitizers: the
 * two parsers agree, a parsed array's sizes are consistent (count = product of shape,
 * nbytes = count * itemsize, data offset + nbytes = input size), and every failure leaves one
 * error line. */
#include <stddef.h>
#include <stdint.h>

#include "gcn/npz.h"
#include "invariant.h"

/* Converts a copy of arr (parsed again from the same bytes) with take_f32 or take_i64. */
static void convert(const uint8_t *data, size_t size, int to_float)
{
    struct gcn_npy a;
    REQUIRE(gcn_npy_parse(&a, data, size) == GCN_OK);
    size_t count = a.count;
    if (to_float) {
        float *f = NULL;
        if (gcn_npy_take_f32(&f, &a) == GCN_OK) {
            REQUIRE(f != NULL);
            if (count)
                REQUIRE(f[count - 1] == f[count - 1] || a.dtype == GCN_NPY_F4 ||
                        a.dtype == GCN_NPY_F8); /* only float inputs may give NaN */
        } else {
            require_error_line();
        }
        free(f);
    } else {
        int64_t *v = NULL;
        if (gcn_npy_take_i64(&v, &a) == GCN_OK) {
            REQUIRE(v != NULL);
            if (count && (a.dtype == GCN_NPY_B1))
                REQUIRE(v[count - 1] == 0 || v[count - 1] == 1);
        } else {
            require_error_line();
        }
        free(v);
    }
    gcn_npy_free(&a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct gcn_npy head, arr;
    size_t off = 0;
    int head_ok = gcn_npy_parse_header(&head, &off, data, size) == GCN_OK;
    if (head_ok) {
        REQUIRE(off <= size && head.data == NULL && head.ndim <= GCN_NPY_MAX_DIMS);
        size_t count = 1;
        for (size_t i = 0; i < head.ndim; i++)
            count *= head.shape[i];
        REQUIRE(count == head.count && head.nbytes == head.count * head.itemsize);
    } else {
        require_error_line();
    }

    if (gcn_npy_parse(&arr, data, size) == GCN_OK) {
        REQUIRE(head_ok); /* a whole file parses only when its header does */
        REQUIRE(arr.data != NULL && arr.count == head.count && arr.dtype == head.dtype);
        REQUIRE(off + arr.nbytes == size);
        if (arr.nbytes) { /* the buffer holds every announced byte */
            volatile const uint8_t *d = arr.data;
            REQUIRE(d[arr.nbytes - 1] == data[size - 1]);
        }
        gcn_npy_free(&arr);
        REQUIRE(arr.data == NULL);
        convert(data, size, 1);
        convert(data, size, 0);
    } else {
        require_error_line();
        REQUIRE(arr.data == NULL);
    }
    return 0;
}
