/* npz.c: .npy header parsing and .npz (zip) reading with libzip (see npz.h).
 *
 * One reader abstraction serves the three sources (a zip member, a file, a memory buffer):
 * it knows the source's total size and reads sequentially, so the same code checks the header,
 * compares the announced data size with what the source holds (truncated or trailing bytes
 * are errors), allocates the data buffer once and reads into it. For zip members a final
 * one-byte read makes libzip verify the CRC. Hosts are assumed little-endian, like the data. */
#include "npz.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <zip.h>

#include "base/error.h"

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "npz.c reads little-endian .npy data in place and needs a little-endian host"
#endif

#define NPY_MAGIC "\x93NUMPY"
#define NPY_MAGIC_LEN 6
#define NPY_MAX_STR_ITEMSIZE (1u << 20) /* longest '|S<n>' accepted */
#define CONVERT_CHUNK 65536             /* elements per OpenMP chunk in conversions */

struct gcn_npz {
    zip_t *za;   /* open libzip archive */
    char *path;  /* path as given to gcn_npz_open, owned */
};

/* ---- header parsing ---- */

struct cursor {
    const char *p;   /* next character */
    const char *end; /* one past the header dict */
};

static void skip_ws(struct cursor *c)
{
    while (c->p < c->end && (*c->p == ' ' || *c->p == '\t' || *c->p == '\n' || *c->p == '\r'))
        c->p++;
}

static int accept(struct cursor *c, char ch)
{
    skip_ws(c);
    if (c->p < c->end && *c->p == ch) {
        c->p++;
        return 1;
    }
    return 0;
}

/* A Python string literal in single or double quotes, without escapes, into out. Only
 * printable ASCII is accepted (every key and dtype numpy writes is), so that a string quoted
 * back in an error message cannot break its line or the terminal. */
static int parse_string(struct cursor *c, char *out, size_t size)
{
    skip_ws(c);
    if (c->p >= c->end || (*c->p != '\'' && *c->p != '"'))
        return gcn_fail("malformed .npy header: expected a quoted string");
    char q = *c->p++;
    size_t n = 0;
    while (c->p < c->end && *c->p != q) {
        if (*c->p == '\\' || n + 1 >= size)
            return gcn_fail("malformed .npy header: string too long or with escapes");
        if (*c->p < 0x20 || *c->p > 0x7e)
            return gcn_fail("malformed .npy header: byte 0x%02x inside a string (only "
                            "printable ASCII is valid there)",
                            (unsigned char)*c->p);
        out[n++] = *c->p++;
    }
    if (c->p >= c->end)
        return gcn_fail("malformed .npy header: unterminated string");
    c->p++;
    out[n] = '\0';
    return GCN_OK;
}

/* A non-negative decimal integer (Python 2's trailing 'L' allowed), overflow-checked. */
static int parse_size(struct cursor *c, size_t *out)
{
    skip_ws(c);
    if (c->p >= c->end || *c->p < '0' || *c->p > '9')
        return gcn_fail("malformed .npy header: shape entries must be non-negative integers");
    size_t v = 0;
    while (c->p < c->end && *c->p >= '0' && *c->p <= '9') {
        size_t d = (size_t)(*c->p - '0');
        if (v > (SIZE_MAX - d) / 10)
            return gcn_fail("malformed .npy header: shape entry overflows");
        v = v * 10 + d;
        c->p++;
    }
    if (c->p < c->end && *c->p == 'L')
        c->p++;
    *out = v;
    return GCN_OK;
}

static int parse_shape(struct cursor *c, struct gcn_npy *arr)
{
    if (!accept(c, '('))
        return gcn_fail("malformed .npy header: shape must be a tuple");
    arr->ndim = 0;
    while (!accept(c, ')')) {
        if (arr->ndim == GCN_NPY_MAX_DIMS)
            return gcn_fail("malformed .npy header: more than %d dimensions", GCN_NPY_MAX_DIMS);
        if (parse_size(c, &arr->shape[arr->ndim]) != GCN_OK)
            return GCN_ERR;
        arr->ndim++;
        if (!accept(c, ',')) {
            if (!accept(c, ')'))
                return gcn_fail("malformed .npy header: bad shape tuple");
            if (arr->ndim == 1)
                return gcn_fail("malformed .npy header: bad shape tuple (one-element tuples "
                                "need a trailing comma)");
            break;
        }
    }
    return GCN_OK;
}

static int parse_dtype(struct gcn_npy *arr, const char *d)
{
    static const struct {
        const char *descr;
        enum gcn_npy_dtype dtype;
        size_t itemsize;
    } known[] = {
        {"<f4", GCN_NPY_F4, 4}, {"<f8", GCN_NPY_F8, 8}, {"<i4", GCN_NPY_I4, 4},
        {"<i8", GCN_NPY_I8, 8}, {"|u1", GCN_NPY_U1, 1}, {"|b1", GCN_NPY_B1, 1},
    };
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
        if (strcmp(d, known[i].descr) == 0) {
            arr->dtype = known[i].dtype;
            arr->itemsize = known[i].itemsize;
            return GCN_OK;
        }
    }
    if (d[0] == '|' && d[1] == 'S' && d[2] >= '1' && d[2] <= '9') {
        size_t n = 0;
        const char *p = d + 2;
        while (*p >= '0' && *p <= '9' && n <= NPY_MAX_STR_ITEMSIZE)
            n = n * 10 + (size_t)(*p++ - '0');
        if (*p == '\0' && n <= NPY_MAX_STR_ITEMSIZE) {
            arr->dtype = GCN_NPY_STR;
            arr->itemsize = n;
            return GCN_OK;
        }
    }
    if (d[0] == '>' && d[1] != '\0' && strcmp(d + 2, "1") != 0)
        return gcn_fail("unsupported dtype '%s': big-endian data is not supported; re-save "
                        "with numpy after arr.astype(arr.dtype.newbyteorder('<'))",
                        d);
    return gcn_fail("unsupported dtype '%s' (supported: <f4 <f8 <i4 <i8 |u1 |b1 |S<n>); "
                    "re-save the array as float32/float64 or int32/int64",
                    d);
}

int gcn_npy_parse_header(struct gcn_npy *arr, size_t *data_offset, const void *buf, size_t len)
{
    const unsigned char *b = buf;
    memset(arr, 0, sizeof *arr);
    *data_offset = 0;
    if (len < NPY_MAGIC_LEN + 2 || memcmp(b, NPY_MAGIC, NPY_MAGIC_LEN) != 0)
        return gcn_fail("not a .npy array (bad magic)");
    unsigned major = b[6], minor = b[7];
    size_t prefix, hlen;
    if (major == 1 && minor == 0) {
        prefix = 10;
        if (len < prefix)
            return gcn_fail("truncated .npy header");
        hlen = (size_t)b[8] | (size_t)b[9] << 8;
    } else if ((major == 2 || major == 3) && minor == 0) {
        prefix = 12;
        if (len < prefix)
            return gcn_fail("truncated .npy header");
        hlen = (size_t)b[8] | (size_t)b[9] << 8 | (size_t)b[10] << 16 | (size_t)b[11] << 24;
    } else {
        return gcn_fail("unsupported .npy format version %u.%u (supported: 1.0, 2.0, 3.0)",
                        major, minor);
    }
    if (hlen > GCN_NPY_MAX_HEADER)
        return gcn_fail(".npy header length %zu exceeds the %d-byte limit", hlen,
                        GCN_NPY_MAX_HEADER);
    if (hlen > len - prefix)
        return gcn_fail("truncated .npy header (%zu bytes announced, %zu present)", hlen,
                        len - prefix);

    struct cursor c = {(const char *)b + prefix, (const char *)b + prefix + hlen};
    int have_descr = 0, have_fortran = 0, have_shape = 0;
    char descr[64] = "";
    if (!accept(&c, '{'))
        return gcn_fail("malformed .npy header: expected a dict");
    while (!accept(&c, '}')) {
        char key[32];
        if (parse_string(&c, key, sizeof key) != GCN_OK)
            return GCN_ERR;
        if (!accept(&c, ':'))
            return gcn_fail("malformed .npy header: expected ':' after '%s'", key);
        if (strcmp(key, "descr") == 0 && !have_descr) {
            skip_ws(&c);
            if (c.p < c.end && (*c.p == '[' || *c.p == '{'))
                return gcn_fail("unsupported dtype: structured arrays are not supported; "
                                "save each field as its own array");
            if (parse_string(&c, descr, sizeof descr) != GCN_OK)
                return GCN_ERR;
            if (parse_dtype(arr, descr) != GCN_OK)
                return GCN_ERR;
            have_descr = 1;
        } else if (strcmp(key, "fortran_order") == 0 && !have_fortran) {
            skip_ws(&c);
            size_t left = (size_t)(c.end - c.p);
            if (left >= 4 && memcmp(c.p, "True", 4) == 0)
                return gcn_fail("Fortran-ordered array (fortran_order: True) is not "
                                "supported; re-save it with np.ascontiguousarray(arr)");
            if (left < 5 || memcmp(c.p, "False", 5) != 0)
                return gcn_fail("malformed .npy header: fortran_order must be True or False");
            c.p += 5;
            have_fortran = 1;
        } else if (strcmp(key, "shape") == 0 && !have_shape) {
            if (parse_shape(&c, arr) != GCN_OK)
                return GCN_ERR;
            have_shape = 1;
        } else {
            return gcn_fail("malformed .npy header: unexpected or repeated key '%s'", key);
        }
        if (!accept(&c, ',')) {
            if (!accept(&c, '}'))
                return gcn_fail("malformed .npy header: expected ',' or '}'");
            break;
        }
    }
    skip_ws(&c);
    if (c.p != c.end)
        return gcn_fail("malformed .npy header: trailing characters after the dict");
    if (!have_descr || !have_fortran || !have_shape)
        return gcn_fail("malformed .npy header: missing '%s'",
                        !have_descr ? "descr" : !have_fortran ? "fortran_order" : "shape");

    size_t count = 1;
    for (size_t i = 0; i < arr->ndim; i++) {
        if (arr->shape[i] != 0 && count > SIZE_MAX / arr->shape[i])
            return gcn_fail(".npy shape overflows the address space");
        count *= arr->shape[i];
    }
    if (arr->itemsize != 0 && count > SIZE_MAX / arr->itemsize)
        return gcn_fail(".npy data size overflows the address space");
    arr->count = count;
    arr->nbytes = count * arr->itemsize;
    arr->data = NULL;
    *data_offset = prefix + hlen;
    return GCN_OK;
}

/* ---- sequential readers ---- */

struct reader {
    /* Reads up to n bytes into buf; returns the count (0 at the end) or -1 with gcn_fail. */
    long long (*read)(void *ctx, void *buf, size_t n);
    void *ctx;   /* source state */
    size_t size; /* total bytes in the source */
};

/* Reads exactly n bytes or fails ("truncated" when the source ends first). */
static int read_exact(struct reader *r, void *buf, size_t n)
{
    size_t got = 0;
    while (got < n) {
        long long k = r->read(r->ctx, (char *)buf + got, n - got);
        if (k < 0)
            return GCN_ERR;
        if (k == 0)
            return gcn_fail("truncated data: the source ended after %zu of %zu bytes", got, n);
        got += (size_t)k;
    }
    return GCN_OK;
}

/* Reads and parses the prefix and header dict of the .npy in r, leaving r at the first data
 * byte: fills *arr (data NULL) and *off (offset of the data). Errors: every
 * gcn_npy_parse_header error, a source too short for its header, and a source whose size
 * after the header is not the nbytes the header announces (truncated or trailing bytes). */
static int read_header(struct gcn_npy *arr, size_t *off, struct reader *r)
{
    int status = GCN_ERR;
    unsigned char *head = NULL;
    unsigned char prefix[12];
    memset(arr, 0, sizeof *arr);

    if (r->size < 10) {
        gcn_fail("truncated .npy: %zu bytes, shorter than any header", r->size);
        goto cleanup;
    }
    if (read_exact(r, prefix, 10) != GCN_OK)
        goto cleanup;
    if (memcmp(prefix, NPY_MAGIC, NPY_MAGIC_LEN) != 0) {
        gcn_fail("not a .npy array (bad magic)");
        goto cleanup;
    }
    if (prefix[7] != 0 || prefix[6] < 1 || prefix[6] > 3) {
        gcn_npy_parse_header(arr, off, prefix, 10); /* reports the unsupported version */
        goto cleanup;
    }
    size_t plen = prefix[6] >= 2 ? 12 : 10;
    if (plen == 12 && (r->size < 12 || read_exact(r, prefix + 10, 2) != GCN_OK)) {
        gcn_fail("truncated .npy header");
        goto cleanup;
    }
    size_t hlen = plen == 10 ? ((size_t)prefix[8] | (size_t)prefix[9] << 8)
                             : ((size_t)prefix[8] | (size_t)prefix[9] << 8 |
                                (size_t)prefix[10] << 16 | (size_t)prefix[11] << 24);
    if (hlen > GCN_NPY_MAX_HEADER)
        hlen = 0; /* let the parser report the bad length or version from the prefix alone */
    if (hlen > r->size - plen) {
        gcn_fail("truncated .npy header (%zu bytes announced, %zu present)", hlen,
                 r->size - plen);
        goto cleanup;
    }
    head = malloc(plen + hlen);
    if (!head) {
        gcn_fail("out of memory for a .npy header");
        goto cleanup;
    }
    memcpy(head, prefix, plen);
    if (read_exact(r, head + plen, hlen) != GCN_OK)
        goto cleanup;
    /* With an over-long hlen zeroed above, the parser sees the real announced length in the
     * prefix and reports it. */
    if (gcn_npy_parse_header(arr, off, head, plen + hlen) != GCN_OK)
        goto cleanup;
    size_t avail = r->size - *off;
    if (avail < arr->nbytes) {
        gcn_fail("truncated array: the header announces %zu bytes of data (shape product %zu "
                 "x %zu-byte items) but only %zu are present; the file was cut short, "
                 "re-create it",
                 arr->nbytes, arr->count, arr->itemsize, avail);
        goto cleanup;
    }
    if (avail > arr->nbytes) {
        gcn_fail("%zu unexpected bytes after the array's %zu data bytes; the file is damaged, "
                 "re-create it",
                 avail - arr->nbytes, arr->nbytes);
        goto cleanup;
    }
    status = GCN_OK;
cleanup:
    free(head);
    if (status != GCN_OK)
        memset(arr, 0, sizeof *arr);
    return status;
}

static int read_array(struct gcn_npy *arr, struct reader *r)
{
    int status = GCN_ERR;
    void *data = NULL;
    size_t off;

    if (read_header(arr, &off, r) != GCN_OK)
        goto cleanup;
    data = malloc(arr->nbytes ? arr->nbytes : 1);
    if (!data) {
        gcn_fail("out of memory for %zu bytes of array data", arr->nbytes);
        goto cleanup;
    }
    if (read_exact(r, data, arr->nbytes) != GCN_OK)
        goto cleanup;
    char extra;
    long long k = r->read(r->ctx, &extra, 1); /* end of source: libzip checks the CRC here */
    if (k < 0)
        goto cleanup;
    if (k > 0) {
        gcn_fail("unexpected bytes after the array data");
        goto cleanup;
    }
    arr->data = data;
    data = NULL;
    status = GCN_OK;
cleanup:
    free(data);
    if (status != GCN_OK)
        memset(arr, 0, sizeof *arr);
    return status;
}

struct mem_src {
    const unsigned char *p; /* next byte */
    size_t left;            /* bytes remaining */
};

static long long mem_read(void *ctx, void *buf, size_t n)
{
    struct mem_src *m = ctx;
    if (n > m->left)
        n = m->left;
    memcpy(buf, m->p, n);
    m->p += n;
    m->left -= n;
    return (long long)n;
}

static long long file_read(void *ctx, void *buf, size_t n)
{
    FILE *f = ctx;
    size_t k = fread(buf, 1, n, f);
    if (k == 0 && ferror(f))
        return gcn_fail("read error: %s", strerror(errno));
    return (long long)k;
}

static long long zip_member_read(void *ctx, void *buf, size_t n)
{
    zip_file_t *zf = ctx;
    zip_int64_t k = zip_fread(zf, buf, n);
    if (k < 0)
        return gcn_fail("corrupt zip member (%s); the archive is damaged, re-create it",
                        zip_error_strerror(zip_file_get_error(zf)));
    return (long long)k;
}

int gcn_npy_parse(struct gcn_npy *arr, const void *buf, size_t len)
{
    struct mem_src m = {buf, len};
    struct reader r = {mem_read, &m, len};
    return read_array(arr, &r);
}

int gcn_npy_load(struct gcn_npy *arr, const char *path)
{
    int status = GCN_ERR;
    memset(arr, 0, sizeof *arr);
    FILE *f = fopen(path, "rb");
    if (!f) {
        gcn_fail("%s: cannot open: %s", path, strerror(errno));
        goto cleanup;
    }
    if (fseeko(f, 0, SEEK_END) != 0) {
        gcn_fail("%s: cannot seek: %s", path, strerror(errno));
        goto cleanup;
    }
    off_t size = ftello(f);
    if (size < 0 || fseeko(f, 0, SEEK_SET) != 0) {
        gcn_fail("%s: cannot determine the file size", path);
        goto cleanup;
    }
    struct reader r = {file_read, f, (size_t)size};
    if (read_array(arr, &r) != GCN_OK) {
        gcn_fail_prefix(path);
        goto cleanup;
    }
    status = GCN_OK;
cleanup:
    if (f)
        fclose(f);
    return status;
}

void gcn_npy_free(struct gcn_npy *arr)
{
    if (!arr)
        return;
    free(arr->data);
    memset(arr, 0, sizeof *arr);
}

const char *gcn_npy_dtype_str(const struct gcn_npy *arr, char *buf, size_t size)
{
    static const char *names[] = {"<f4", "<f8", "<i4", "<i8", "|u1", "|b1"};
    if (arr->dtype == GCN_NPY_STR)
        snprintf(buf, size, "|S%zu", arr->itemsize);
    else if ((size_t)arr->dtype < sizeof names / sizeof names[0])
        snprintf(buf, size, "%s", names[arr->dtype]);
    else
        snprintf(buf, size, "?");
    return buf;
}

/* ---- conversions ---- */

int gcn_npy_take_f32(float **out, struct gcn_npy *arr)
{
    *out = NULL;
    if (arr->dtype == GCN_NPY_STR)
        return gcn_fail("a byte-string array cannot be read as numbers");
    if (!arr->data && arr->count > 0)
        return gcn_fail("array has no data");
    if (arr->dtype == GCN_NPY_F4) {
        *out = arr->data ? arr->data : malloc(1);
        arr->data = NULL;
        return *out ? GCN_OK : gcn_fail("out of memory");
    }
    size_t n = arr->count;
    float *f = malloc(n ? n * sizeof *f : 1); /* n * 4 <= nbytes: no overflow */
    if (!f)
        return gcn_fail("out of memory converting %zu elements to float32", n);
    const void *d = arr->data;
    enum gcn_npy_dtype t = arr->dtype;
#pragma omp parallel for schedule(static, CONVERT_CHUNK)
    for (size_t i = 0; i < n; i++) {
        switch (t) {
        case GCN_NPY_F8: f[i] = (float)((const double *)d)[i]; break;
        case GCN_NPY_I4: f[i] = (float)((const int32_t *)d)[i]; break;
        case GCN_NPY_I8: f[i] = (float)((const int64_t *)d)[i]; break;
        case GCN_NPY_U1: f[i] = (float)((const uint8_t *)d)[i]; break;
        case GCN_NPY_B1: f[i] = ((const uint8_t *)d)[i] ? 1.0f : 0.0f; break;
        default: f[i] = ((const float *)d)[i]; break;
        }
    }
    free(arr->data);
    arr->data = NULL;
    *out = f;
    return GCN_OK;
}

int gcn_npy_take_i64(int64_t **out, struct gcn_npy *arr)
{
    *out = NULL;
    if (arr->dtype == GCN_NPY_STR)
        return gcn_fail("a byte-string array cannot be read as integers");
    if (arr->dtype == GCN_NPY_F4 || arr->dtype == GCN_NPY_F8)
        return gcn_fail("expected an integer array, got floating point ('%s'); re-save it "
                        "with arr.astype('int64')",
                        arr->dtype == GCN_NPY_F4 ? "<f4" : "<f8");
    if (!arr->data && arr->count > 0)
        return gcn_fail("array has no data");
    if (arr->dtype == GCN_NPY_I8) {
        *out = arr->data ? arr->data : malloc(1);
        arr->data = NULL;
        return *out ? GCN_OK : gcn_fail("out of memory");
    }
    size_t n = arr->count;
    if (n > SIZE_MAX / sizeof(int64_t))
        return gcn_fail("array of %zu elements is too large", n);
    int64_t *v = malloc(n ? n * sizeof *v : 1);
    if (!v)
        return gcn_fail("out of memory converting %zu elements to int64", n);
    const void *d = arr->data;
    enum gcn_npy_dtype t = arr->dtype;
#pragma omp parallel for schedule(static, CONVERT_CHUNK)
    for (size_t i = 0; i < n; i++) {
        switch (t) {
        case GCN_NPY_I4: v[i] = ((const int32_t *)d)[i]; break;
        case GCN_NPY_U1: v[i] = ((const uint8_t *)d)[i]; break;
        case GCN_NPY_B1: v[i] = ((const uint8_t *)d)[i] != 0; break;
        default: v[i] = ((const int64_t *)d)[i]; break;
        }
    }
    free(arr->data);
    arr->data = NULL;
    *out = v;
    return GCN_OK;
}

/* ---- npz archives ---- */

int gcn_npz_open(struct gcn_npz **out, const char *path)
{
    int status = GCN_ERR;
    struct gcn_npz *z = NULL;
    *out = NULL;

    z = calloc(1, sizeof *z);
    if (!z || !(z->path = strdup(path))) {
        gcn_fail("%s: out of memory", path);
        goto cleanup;
    }
    int code = 0;
    z->za = zip_open(path, ZIP_RDONLY, &code);
    if (!z->za) {
        if (code == ZIP_ER_NOENT) {
            gcn_fail("%s: file not found; check the path (relative paths are taken from the "
                     "current directory)",
                     path);
        } else if (code == ZIP_ER_NOZIP) {
            gcn_fail("%s: not a zip archive (an .npz must be written by numpy.savez, "
                     "numpy.savez_compressed or scipy.sparse.save_npz); the file is damaged "
                     "or of another format",
                     path);
        } else if (code == ZIP_ER_INCONS) {
            gcn_fail("%s: corrupt zip archive (inconsistent structure); re-create or "
                     "re-download it",
                     path);
        } else {
            zip_error_t ze;
            zip_error_init_with_code(&ze, code);
            gcn_fail("%s: cannot open as a zip archive: %s", path, zip_error_strerror(&ze));
            zip_error_fini(&ze);
        }
        goto cleanup;
    }
    *out = z;
    z = NULL;
    status = GCN_OK;
cleanup:
    gcn_npz_close(z);
    return status;
}

static zip_int64_t locate(const struct gcn_npz *z, const char *key)
{
    char name[512];
    if ((size_t)snprintf(name, sizeof name, "%s.npy", key) >= sizeof name)
        return -1;
    return zip_name_locate(z->za, name, 0);
}

int gcn_npz_has(const struct gcn_npz *z, const char *key)
{
    return z && locate(z, key) >= 0;
}

/* gcn_npz_read (header_only 0) and gcn_npz_read_header (1). */
static int read_member(struct gcn_npz *z, const char *key, struct gcn_npy *arr, int header_only)
{
    int status = GCN_ERR;
    zip_file_t *zf = NULL;
    memset(arr, 0, sizeof *arr);

    zip_int64_t idx = locate(z, key);
    if (idx < 0) {
        char keys[256] = "";
        size_t used = 0;
        zip_int64_t n = zip_get_num_entries(z->za, 0);
        for (zip_int64_t i = 0; i < n && used < sizeof keys - 1; i++) {
            const char *nm = zip_get_name(z->za, (zip_uint64_t)i, 0);
            if (!nm)
                continue;
            size_t l = strlen(nm);
            if (l > 4 && strcmp(nm + l - 4, ".npy") == 0)
                l -= 4;
            int w = snprintf(keys + used, sizeof keys - used, "%s%.*s", used ? ", " : "",
                             (int)l, nm);
            if (w < 0)
                break;
            /* member names come from the file: no control bytes in the message line */
            for (size_t k = used; k < sizeof keys - 1 && keys[k]; k++)
                if ((unsigned char)keys[k] < 0x20 || keys[k] == 0x7f)
                    keys[k] = '?';
            used += (size_t)w;
        }
        gcn_fail("%s: missing key '%s' (the archive holds: %s)", z->path, key,
                 used ? keys : "nothing");
        goto cleanup;
    }
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat_index(z->za, (zip_uint64_t)idx, 0, &st) != 0 || !(st.valid & ZIP_STAT_SIZE)) {
        gcn_fail("%s: cannot stat member '%s.npy': %s", z->path, key, zip_strerror(z->za));
        goto cleanup;
    }
#if SIZE_MAX < UINT64_MAX
    if (st.size > SIZE_MAX) {
        gcn_fail("%s: member '%s.npy' is too large", z->path, key);
        goto cleanup;
    }
#endif
    zf = zip_fopen_index(z->za, (zip_uint64_t)idx, 0);
    if (!zf) {
        gcn_fail("%s: cannot open member '%s.npy': %s (compression method unsupported or "
                 "archive damaged)",
                 z->path, key, zip_strerror(z->za));
        goto cleanup;
    }
    struct reader r = {zip_member_read, zf, (size_t)st.size};
    size_t off;
    if ((header_only ? read_header(arr, &off, &r) : read_array(arr, &r)) != GCN_OK) {
        char prefix[600];
        snprintf(prefix, sizeof prefix, "%.400s: key '%.100s'", z->path, key);
        gcn_fail_prefix(prefix);
        goto cleanup;
    }
    status = GCN_OK;
cleanup:
    if (zf)
        zip_fclose(zf);
    return status;
}

int gcn_npz_read(struct gcn_npz *z, const char *key, struct gcn_npy *arr)
{
    return read_member(z, key, arr, 0);
}

int gcn_npz_read_header(struct gcn_npz *z, const char *key, struct gcn_npy *arr)
{
    return read_member(z, key, arr, 1);
}

const char *gcn_npz_path(const struct gcn_npz *z)
{
    return z->path;
}

void gcn_npz_close(struct gcn_npz *z)
{
    if (!z)
        return;
    if (z->za)
        zip_discard(z->za);
    free(z->path);
    free(z);
}
