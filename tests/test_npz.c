/* test_npz.c: Check suite for gcn/npz.c against fixtures that numpy/scipy write at test time
 * (tests/make_fixtures.py, in $GCN_FIXTURES): every supported dtype in .npy files (header
 * versions 1.0, 2.0, 3.0) and in stored and deflated .npz archives, the float32/int64
 * conversions, and one table row per error path (unsupported and big-endian dtypes, Fortran
 * order, truncated and over-long data, malformed headers, shape overflow, damaged zips, CRC
 * errors, missing keys and files). A mutation pass feeds every truncation and many single-byte
 * corruptions of a valid file to the parser, which must fail cleanly or succeed; the inputs
 * the fuzz targets found (tests/regress) must fail with one clean line; header-only member
 * reads give the announced sizes. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "gcn/npz.h"
#include "testutil.h"

static char fixture_buf[4096];

static const char *fixture(const char *name)
{
    const char *dir = getenv("GCN_FIXTURES");
    ck_assert_msg(dir != NULL, "GCN_FIXTURES is not set (run through meson test)");
    snprintf(fixture_buf, sizeof fixture_buf, "%s/%s", dir, name);
    return fixture_buf;
}

/* The generator in make_fixtures.py: BASE = arange(12).reshape(3, 4), per dtype. */
static double expected(const char *dtype, int i)
{
    if (!strcmp(dtype, "f4"))
        return i / 4.0;
    if (!strcmp(dtype, "f8"))
        return i / 8.0 - 0.5;
    if (!strcmp(dtype, "i4"))
        return i - 6;
    if (!strcmp(dtype, "i8"))
        return (double)(i - 6) * (double)(1LL << 40);
    if (!strcmp(dtype, "u1"))
        return i * 20;
    return i % 3 == 0; /* b1 */
}

static double element(const struct gcn_npy *a, size_t i)
{
    switch (a->dtype) {
    case GCN_NPY_F4: return ((const float *)a->data)[i];
    case GCN_NPY_F8: return ((const double *)a->data)[i];
    case GCN_NPY_I4: return ((const int32_t *)a->data)[i];
    case GCN_NPY_I8: return (double)((const int64_t *)a->data)[i];
    case GCN_NPY_U1:
    case GCN_NPY_B1: return ((const uint8_t *)a->data)[i];
    default: return -1e300;
    }
}

static const struct {
    const char *name;
    enum gcn_npy_dtype dtype;
    size_t itemsize;
    const char *descr;
} dtypes[] = {
    {"f4", GCN_NPY_F4, 4, "<f4"}, {"f8", GCN_NPY_F8, 8, "<f8"}, {"i4", GCN_NPY_I4, 4, "<i4"},
    {"i8", GCN_NPY_I8, 8, "<i8"}, {"u1", GCN_NPY_U1, 1, "|u1"}, {"b1", GCN_NPY_B1, 1, "|b1"},
};
#define N_DTYPES (int)(sizeof dtypes / sizeof dtypes[0])

static void check_base_array(const struct gcn_npy *a, int d)
{
    char buf[16];
    ck_assert_int_eq(a->dtype, dtypes[d].dtype);
    ck_assert_uint_eq(a->itemsize, dtypes[d].itemsize);
    ck_assert_str_eq(gcn_npy_dtype_str(a, buf, sizeof buf), dtypes[d].descr);
    ck_assert_uint_eq(a->ndim, 2);
    ck_assert_uint_eq(a->shape[0], 3);
    ck_assert_uint_eq(a->shape[1], 4);
    ck_assert_uint_eq(a->count, 12);
    ck_assert_uint_eq(a->nbytes, 12 * dtypes[d].itemsize);
    for (int i = 0; i < 12; i++)
        ck_assert_msg(element(a, (size_t)i) == expected(dtypes[d].name, i),
                      "%s[%d] = %g, expected %g", dtypes[d].name, i, element(a, (size_t)i),
                      expected(dtypes[d].name, i));
}

START_TEST(npy_each_dtype)
{
    char name[64];
    snprintf(name, sizeof name, "npy_%s.npy", dtypes[_i].name);
    struct gcn_npy a;
    ck_assert_msg(gcn_npy_load(&a, fixture(name)) == GCN_OK, "%s", gcn_last_error());
    check_base_array(&a, _i);
    gcn_npy_free(&a);
    ck_assert_ptr_null(a.data);
}
END_TEST

START_TEST(npz_each_dtype)
{
    static const char *archives[] = {"arrays_stored.npz", "arrays_deflated.npz",
                                     "arrays_savez.npz", "arrays_savez_compressed.npz"};
    for (size_t k = 0; k < 4; k++) {
        struct gcn_npz *z;
        ck_assert_msg(gcn_npz_open(&z, fixture(archives[k])) == GCN_OK, "%s", gcn_last_error());
        ck_assert_str_eq(gcn_npz_path(z), fixture(archives[k]));
        ck_assert_int_eq(gcn_npz_has(z, dtypes[_i].name), 1);
        ck_assert_int_eq(gcn_npz_has(z, "nope"), 0);
        struct gcn_npy a;
        ck_assert_msg(gcn_npz_read(z, dtypes[_i].name, &a) == GCN_OK, "%s", gcn_last_error());
        check_base_array(&a, _i);
        gcn_npy_free(&a);
        gcn_npz_close(z);
    }
}
END_TEST

START_TEST(header_versions_and_shapes)
{
    struct gcn_npy a;
    ck_assert_int_eq(gcn_npy_load(&a, fixture("npy_v2.npy")), GCN_OK);
    check_base_array(&a, 0);
    gcn_npy_free(&a);
    ck_assert_int_eq(gcn_npy_load(&a, fixture("npy_v3.npy")), GCN_OK);
    check_base_array(&a, 3);
    gcn_npy_free(&a);

    ck_assert_int_eq(gcn_npy_load(&a, fixture("npy_scalar.npy")), GCN_OK);
    ck_assert_uint_eq(a.ndim, 0);
    ck_assert_uint_eq(a.count, 1);
    ck_assert_int_eq(((int64_t *)a.data)[0], 7);
    gcn_npy_free(&a);

    ck_assert_int_eq(gcn_npy_load(&a, fixture("npy_empty.npy")), GCN_OK);
    ck_assert_uint_eq(a.ndim, 2);
    ck_assert_uint_eq(a.shape[0], 0);
    ck_assert_uint_eq(a.shape[1], 5);
    ck_assert_uint_eq(a.count, 0);
    ck_assert_uint_eq(a.nbytes, 0);
    float *f;
    ck_assert_int_eq(gcn_npy_take_f32(&f, &a), GCN_OK);
    ck_assert_ptr_nonnull(f);
    free(f);
    gcn_npy_free(&a);

    ck_assert_int_eq(gcn_npy_load(&a, fixture("npy_3d.npy")), GCN_OK);
    ck_assert_uint_eq(a.ndim, 3);
    ck_assert_uint_eq(a.shape[2], 4);
    ck_assert_uint_eq(a.count, 24);
    ck_assert_int_eq(((int32_t *)a.data)[23], 23);
    gcn_npy_free(&a);
}
END_TEST

START_TEST(byte_strings)
{
    char buf[16];
    struct gcn_npy a;
    ck_assert_int_eq(gcn_npy_load(&a, fixture("npy_S3.npy")), GCN_OK);
    ck_assert_int_eq(a.dtype, GCN_NPY_STR);
    ck_assert_uint_eq(a.itemsize, 3);
    ck_assert_uint_eq(a.ndim, 0);
    ck_assert_int_eq(memcmp(a.data, "coo", 3), 0);
    ck_assert_str_eq(gcn_npy_dtype_str(&a, buf, sizeof buf), "|S3");
    float *f;
    int64_t *v;
    ck_assert_int_eq(gcn_npy_take_f32(&f, &a), GCN_ERR);
    ck_assert_int_eq(gcn_npy_take_i64(&v, &a), GCN_ERR);
    ck_assert_ptr_nonnull(strstr(gcn_last_error(), "byte-string"));
    gcn_npy_free(&a);

    struct gcn_npz *z;
    ck_assert_int_eq(gcn_npz_open(&z, fixture("arrays_deflated.npz")), GCN_OK);
    ck_assert_int_eq(gcn_npz_read(z, "S3", &a), GCN_OK);
    ck_assert_int_eq(memcmp(a.data, "csr", 3), 0);
    gcn_npy_free(&a);
    gcn_npz_close(z);
}
END_TEST

START_TEST(convert_f32)
{
    char name[64];
    snprintf(name, sizeof name, "npy_%s.npy", dtypes[_i].name);
    struct gcn_npy a;
    ck_assert_int_eq(gcn_npy_load(&a, fixture(name)), GCN_OK);
    void *old = a.data;
    float *f;
    ck_assert_int_eq(gcn_npy_take_f32(&f, &a), GCN_OK);
    ck_assert_ptr_null(a.data);
    if (dtypes[_i].dtype == GCN_NPY_F4)
        ck_assert_ptr_eq(f, old); /* moved, not copied */
    for (int i = 0; i < 12; i++)
        ck_assert_float_eq(f[i], (float)expected(dtypes[_i].name, i));
    free(f);
    gcn_npy_free(&a);
}
END_TEST

START_TEST(convert_i64)
{
    char name[64];
    snprintf(name, sizeof name, "npy_%s.npy", dtypes[_i].name);
    struct gcn_npy a;
    ck_assert_int_eq(gcn_npy_load(&a, fixture(name)), GCN_OK);
    void *old = a.data;
    int64_t *v;
    int rc = gcn_npy_take_i64(&v, &a);
    if (dtypes[_i].dtype == GCN_NPY_F4 || dtypes[_i].dtype == GCN_NPY_F8) {
        ck_assert_int_eq(rc, GCN_ERR);
        ck_assert_ptr_nonnull(strstr(gcn_last_error(), "integer"));
        ck_assert_ptr_eq(a.data, old); /* left as it was */
    } else {
        ck_assert_int_eq(rc, GCN_OK);
        ck_assert_ptr_null(a.data);
        if (dtypes[_i].dtype == GCN_NPY_I8)
            ck_assert_ptr_eq(v, old);
        for (int i = 0; i < 12; i++)
            ck_assert_int_eq(v[i], (int64_t)expected(dtypes[_i].name, i));
        free(v);
    }
    gcn_npy_free(&a);
}
END_TEST

/* Reads a whole fixture into memory. */
static unsigned char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    ck_assert_ptr_nonnull(f);
    fseek(f, 0, SEEK_END);
    long sz = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *b = malloc((size_t)sz);
    ck_assert_uint_eq(fread(b, 1, (size_t)sz, f), (size_t)sz);
    fclose(f);
    *len = (size_t)sz;
    return b;
}

START_TEST(parse_in_memory_and_header_only)
{
    size_t len;
    unsigned char *b = slurp(fixture("npy_i8.npy"), &len);
    struct gcn_npy a;
    ck_assert_int_eq(gcn_npy_parse(&a, b, len), GCN_OK);
    check_base_array(&a, 3);
    gcn_npy_free(&a);
    size_t off;
    ck_assert_int_eq(gcn_npy_parse_header(&a, &off, b, len), GCN_OK);
    ck_assert_uint_eq(off, len - 96);
    ck_assert_ptr_null(a.data);
    ck_assert_uint_eq(a.nbytes, 96);
    /* the header alone suffices for parse_header, not for parse */
    ck_assert_int_eq(gcn_npy_parse_header(&a, &off, b, off), GCN_OK);
    ck_assert_int_eq(gcn_npy_parse(&a, b, off), GCN_ERR);
    ck_assert_ptr_nonnull(strstr(gcn_last_error(), "truncated"));
    free(b);
}
END_TEST

/* Every prefix of a valid file, and single-byte corruptions of its header: the parser must
 * either succeed with a self-consistent array or fail with a message; never crash (run under
 * ASan to make this meaningful). */
START_TEST(mutations_fail_cleanly)
{
    size_t len;
    unsigned char *b = slurp(fixture("npy_f8.npy"), &len);
    struct gcn_npy a;
    for (size_t cut = 0; cut < len; cut++) {
        ck_assert_int_eq(gcn_npy_parse(&a, b, cut), GCN_ERR);
        ck_assert_str_ne(gcn_last_error(), "");
    }
    static const unsigned char values[] = {0, 1, '(', ')', ',', '\'', '"', '9', '>', '}', ' ',
                                           0x7f, 0xff};
    size_t off;
    ck_assert_int_eq(gcn_npy_parse_header(&a, &off, b, len), GCN_OK);
    for (size_t pos = 0; pos < off; pos++) {
        for (size_t v = 0; v < sizeof values; v++) {
            unsigned char *m = malloc(len);
            memcpy(m, b, len);
            m[pos] = values[v];
            if (gcn_npy_parse(&a, m, len) == GCN_OK) {
                ck_assert_uint_eq(a.count * a.itemsize, a.nbytes);
                gcn_npy_free(&a);
            } else {
                ck_assert_str_ne(gcn_last_error(), "");
                ck_assert_ptr_null(a.data);
            }
            free(m);
        }
    }
    free(b);
}
END_TEST

/* ---- error table ---- */

struct error_case {
    const char *file;   /* fixture name */
    const char *key;    /* npz key, or NULL for a .npy file */
    const char *expect; /* substring of the message */
};

static const struct error_case errors[] = {
    {"bad_dtype_i1.npy", NULL, "unsupported dtype '|i1'"},
    {"bad_dtype_u4.npy", NULL, "unsupported dtype '<u4'"},
    {"bad_dtype_f2.npy", NULL, "unsupported dtype '<f2'"},
    {"bad_dtype_U3.npy", NULL, "unsupported dtype '<U3'"},
    {"bad_dtype_c8.npy", NULL, "unsupported dtype '<c8'"},
    {"bad_dtype_struct.npy", NULL, "structured arrays"},
    {"bad_bigendian.npy", NULL, "big-endian"},
    {"bad_fortran.npy", NULL, "Fortran-ordered"},
    {"bad_truncated.npy", NULL, "truncated array"},
    {"bad_trailing.npy", NULL, "4 unexpected bytes"},
    {"bad_magic.npy", NULL, "bad magic"},
    {"bad_version.npy", NULL, "version 4.0"},
    {"bad_short.npy", NULL, "truncated .npy"},
    {"bad_header_cut.npy", NULL, "truncated .npy header"},
    {"bad_header_huge.npy", NULL, "exceeds the 65536-byte limit"},
    {"bad_header_syntax.npy", NULL, "shape must be a tuple"},
    {"bad_header_key.npy", NULL, "unexpected or repeated key 'extra'"},
    {"bad_header_missing.npy", NULL, "missing 'fortran_order'"},
    {"bad_shape_overflow.npy", NULL, "overflows"},
    {"bad_shape_negative.npy", NULL, "non-negative"},
    {"bad_shape_huge.npy", NULL, "overflows"},
    {"does_not_exist.npy", NULL, "cannot open"},
    {"bad_dtype_i1.npz", "x", "unsupported dtype '|i1'"},
    {"bad_fortran.npz", "x", "Fortran-ordered"},
    {"bad_bigendian.npz", "x", "big-endian"},
    {"bad_truncated.npz", "x", "truncated array"},
    {"bad_truncated_stored.npz", "x", "truncated array"},
    {"bad_trailing.npz", "x", "unexpected bytes"},
    {"bad_crc.npz", "x", "corrupt zip member"},
    {"bad_crc_stored.npz", "x", "corrupt zip member"},
    {"arrays_stored.npz", "nokey", "missing key 'nokey' (the archive holds: f4, f8"},
    {"bad_notzip.npz", "x", "not a zip archive"},
    {"bad_empty.npz", "x", "not a zip archive"},
    {"bad_cut.npz", "x", "not a zip archive"},
    {"does_not_exist.npz", "x", "file not found"},
};

/* Reads path (the .npy itself, or member key of the .npz) and checks the failure: a message
 * naming the file (name) with expect in it, on one line, and no data. */
static void check_error(const char *path, const char *key, const char *name, const char *expect)
{
    struct gcn_npy a;
    memset(&a, 0x5a, sizeof a);
    int rc;
    if (key == NULL) {
        rc = gcn_npy_load(&a, path);
    } else {
        struct gcn_npz *z = NULL;
        rc = gcn_npz_open(&z, path);
        if (rc == GCN_OK) {
            rc = gcn_npz_read(z, key, &a);
            gcn_npz_close(z);
        } else {
            ck_assert_ptr_null(z);
            memset(&a, 0, sizeof a);
        }
    }
    ck_assert_msg(rc == GCN_ERR, "%s: expected an error", name);
    const char *msg = gcn_last_error();
    ck_assert_msg(strstr(msg, expect) != NULL, "%s: expected '%s' in '%s'", name, expect, msg);
    ck_assert_msg(strstr(msg, name) != NULL, "%s: message does not name the file: '%s'", name,
                  msg);
    ck_assert_msg(strchr(msg, '\n') == NULL, "%s: message is not one line", name);
    ck_assert_ptr_null(a.data);
    gcn_npy_free(&a);
}

START_TEST(error_table)
{
    const struct error_case *c = &errors[_i];
    char path[4096];
    snprintf(path, sizeof path, "%s", fixture(c->file));
    check_error(path, c->key, c->file, c->expect);
}
END_TEST

/* ---- fuzzing regressions: inputs fuzz/ found, kept in tests/regress (see its README) ---- */

static const struct error_case regressions[] = {
    /* fuzz_npy: a header string with a newline was quoted into a two-line message */
    {"npy_string_newline.npy", NULL, "byte 0x0a inside a string"},
    /* member names are quoted in the missing-key message: control bytes become '?' */
    {"npz_member_newline.npz", "x", "missing key 'x' (the archive holds: a?b)"},
};

START_TEST(fuzz_regressions)
{
    const struct error_case *c = &regressions[_i];
    const char *root = getenv("GCN_SOURCE_ROOT");
    ck_assert_msg(root != NULL, "GCN_SOURCE_ROOT is not set (run through meson test)");
    char path[4096];
    snprintf(path, sizeof path, "%s/tests/regress/%s", root, c->file);
    check_error(path, c->key, c->file, c->expect);
}
END_TEST

/* gcn_npz_read_header: the header of a member without its data, with the same checks. */
START_TEST(read_header_only)
{
    struct gcn_npz *z = NULL;
    struct gcn_npy a;
    ck_assert_int_eq(gcn_npz_open(&z, fixture("arrays_deflated.npz")), GCN_OK);
    ck_assert_int_eq(gcn_npz_read_header(z, "i8", &a), GCN_OK);
    ck_assert_ptr_null(a.data);
    ck_assert_int_eq(a.dtype, GCN_NPY_I8);
    ck_assert_uint_eq(a.ndim, 2);
    ck_assert_uint_eq(a.count, 12);
    ck_assert_uint_eq(a.nbytes, 96);
    ck_assert_int_eq(gcn_npz_read_header(z, "nokey", &a), GCN_ERR);
    ck_assert_ptr_nonnull(strstr(gcn_last_error(), "missing key 'nokey'"));
    gcn_npz_close(z);
    ck_assert_int_eq(gcn_npz_open(&z, fixture("bad_truncated.npz")), GCN_OK);
    ck_assert_int_eq(gcn_npz_read_header(z, "x", &a), GCN_ERR);
    ck_assert_ptr_nonnull(strstr(gcn_last_error(), "truncated array"));
    gcn_npz_close(z);
}
END_TEST

static Suite *npz_suite(void)
{
    Suite *s = suite_create("npz");
    TCase *tc = tcase_create("read");
    tcase_add_loop_test(tc, npy_each_dtype, 0, N_DTYPES);
    tcase_add_loop_test(tc, npz_each_dtype, 0, N_DTYPES);
    tcase_add_test(tc, header_versions_and_shapes);
    tcase_add_test(tc, byte_strings);
    tcase_add_loop_test(tc, convert_f32, 0, N_DTYPES);
    tcase_add_loop_test(tc, convert_i64, 0, N_DTYPES);
    tcase_add_test(tc, parse_in_memory_and_header_only);
    tcase_add_test(tc, mutations_fail_cleanly);
    suite_add_tcase(s, tc);
    TCase *te = tcase_create("errors");
    tcase_add_loop_test(te, error_table, 0, (int)(sizeof errors / sizeof errors[0]));
    tcase_add_loop_test(te, fuzz_regressions, 0,
                        (int)(sizeof regressions / sizeof regressions[0]));
    tcase_add_test(te, read_header_only);
    suite_add_tcase(s, te);
    return s;
}

int main(void)
{
    return test_run_suite(npz_suite(), CK_FORK_GETENV);
}
