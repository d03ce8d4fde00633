/* npz.h: reading NumPy .npy arrays and .npz archives (zip files of .npy members, stored or
 * deflated, as numpy.savez / savez_compressed / scipy.sparse.save_npz write them).
 *
 * The .npy header (format versions 1.0, 2.0 and 3.0) is parsed here, not by a library, and is
 * treated as hostile: header length bounded, strings printable ASCII, every shape product and
 * byte count checked for overflow, and the data must be exactly product(shape) * itemsize
 * bytes. Supported dtypes are the little-endian '<f4' '<f8' '<i4' '<i8', the byte-sized '|u1'
 * '|b1', and byte strings '|S<n>' (scipy stores its sparse `format` as one); anything else,
 * big-endian data and Fortran-ordered arrays are refused with a message that names the
 * problem. */
#ifndef GCN_NPZ_H
#define GCN_NPZ_H

#include <stddef.h>
#include <stdint.h>

#define GCN_NPY_MAX_DIMS 32          /* numpy's own historical limit */
#define GCN_NPY_MAX_HEADER 65536     /* longest header dict accepted, in bytes */

enum gcn_npy_dtype {
    GCN_NPY_F4,  /* '<f4' float32 */
    GCN_NPY_F8,  /* '<f8' float64 */
    GCN_NPY_I4,  /* '<i4' int32 */
    GCN_NPY_I8,  /* '<i8' int64 */
    GCN_NPY_U1,  /* '|u1' uint8 */
    GCN_NPY_B1,  /* '|b1' bool, one byte 0 or 1 */
    GCN_NPY_STR, /* '|S<n>' fixed-width byte string, n = itemsize */
};

struct gcn_npy {
    enum gcn_npy_dtype dtype;         /* element type */
    size_t itemsize;                  /* bytes per element */
    size_t ndim;                      /* number of dimensions, 0 for a scalar */
    size_t shape[GCN_NPY_MAX_DIMS];   /* extent of each dimension (C order) */
    size_t count;                     /* elements = product of shape (1 for a scalar) */
    size_t nbytes;                    /* count * itemsize */
    void *data;                       /* nbytes of little-endian data, owned; NULL in headers */
};

/* An open .npz archive (opaque). */
struct gcn_npz;

/* Parses a .npy header at the start of buf (len bytes available, which may be more or less
 * than the whole file but must cover the header). Fills every field of *arr except data
 * (set to NULL) and stores the offset of the first data byte in *data_offset. Errors (message
 * without a file name): bad magic, unknown version, header length beyond
 * GCN_NPY_MAX_HEADER or beyond len, malformed header dict, unsupported dtype, big-endian
 * dtype, fortran_order True, shape overflow. */
int gcn_npy_parse_header(struct gcn_npy *arr, size_t *data_offset, const void *buf, size_t len);

/* Parses a whole .npy file held in memory: header, then exactly arr->nbytes of data, which
 * are copied into a new arr->data. Errors: as gcn_npy_parse_header, plus data shorter
 * ("truncated") or longer than the header says, allocation failure. Free with gcn_npy_free. */
int gcn_npy_parse(struct gcn_npy *arr, const void *buf, size_t len);

/* Reads a .npy file from disk (gcn_npy_parse on its bytes). Errors name the path. */
int gcn_npy_load(struct gcn_npy *arr, const char *path);

/* Releases arr->data and zeroes *arr; safe on a zeroed struct. */
void gcn_npy_free(struct gcn_npy *arr);

/* The dtype as numpy spells it ("<f4", "|S3"), into buf (at least 16 bytes); returns buf. */
const char *gcn_npy_dtype_str(const struct gcn_npy *arr, char *buf, size_t size);

/* Converts arr's elements to a new float32 array (*out, arr->count entries, caller frees).
 * When arr is already float32 its buffer is moved instead of copied (arr->data becomes
 * NULL), so converting never needs two copies of a large array; otherwise arr->data is freed
 * after the conversion. Errors: byte-string dtype, allocation failure. */
int gcn_npy_take_f32(float **out, struct gcn_npy *arr);

/* As gcn_npy_take_f32, to int64. Errors: float dtypes (only integer and bool arrays convert),
 * byte strings, allocation failure. */
int gcn_npy_take_i64(int64_t **out, struct gcn_npy *arr);

/* Opens the .npz archive at path. Errors: missing/unreadable file, not a zip archive.
 * Close with gcn_npz_close. */
int gcn_npz_open(struct gcn_npz **out, const char *path);

/* 1 when the archive holds the array `key` (member "key.npy"), else 0. */
int gcn_npz_has(const struct gcn_npz *z, const char *key);

/* Reads array `key` (member "key.npy") into *arr, decompressing as needed; the data buffer
 * is allocated exactly once at the size the header announces. Errors (prefixed with the
 * archive path and key): missing key (the message lists the keys present), corrupt member
 * (CRC or deflate failure), member shorter ("truncated") or longer than its header says, and
 * every gcn_npy_parse_header error. Free with gcn_npy_free. */
int gcn_npz_read(struct gcn_npz *z, const char *key, struct gcn_npy *arr);

/* Reads only the .npy header of array `key`: fills *arr as gcn_npy_parse_header does
 * (data NULL, shape, count and nbytes as announced) without reading or decompressing the
 * data, so that a caller can size a load before allocating for it. Errors: as gcn_npz_read,
 * except CRC and deflate errors in the data, which only a full read finds. Nothing to free. */
int gcn_npz_read_header(struct gcn_npz *z, const char *key, struct gcn_npy *arr);

/* The archive's path as given to gcn_npz_open. */
const char *gcn_npz_path(const struct gcn_npz *z);

/* Closes the archive; safe on NULL. */
void gcn_npz_close(struct gcn_npz *z);

#endif
