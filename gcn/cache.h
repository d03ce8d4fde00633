/* cache.h: the on-disk entries of the prepared-dataset cache (drivers/load.c chooses the keys
 * and the policy; this file only reads and writes entries).
 *
 * An entry is one file: a 512-byte header (magic "GCNCACHE", format version, kind, sizes,
 * one (name, offset, bytes, checksum) row per array, a checksum of the header itself), the
 * key string that determined the contents, then the raw little-endian arrays, each at a
 * 4096-byte-aligned offset (so a later reader could mmap them). Two kinds:
 *
 *   dataset   x (n, f) float32, y (n) int32, split (n) uint8, rowptr (n + 1) int64,
 *             col (nnz) int32: struct gcn_dataset as the trainers receive it
 *   features  x (n, f) float32: the features after gcn_dataset_aggregate_features (Â X)
 *
 * Every array carries a checksum: XXH64 (written here from the published algorithm) of each
 * 1 MiB block, folded in block order, so that blocks are read and hashed in parallel while
 * still in cache. A load reads each array straight into its final allocation (no second copy,
 * peak RSS = the dataset) and verifies every checksum: a truncated file, a flipped byte, a
 * wrong magic, version, kind or key is an error, never data. Writes go to a temporary file in
 * the same folder, fsync, rename, fsync of the folder: concurrent writers of one entry leave
 * one complete entry, readers see the old file, the new one or none. */
#ifndef GCN_CACHE_H
#define GCN_CACHE_H

#include <stddef.h>
#include <stdint.h>

#include "dataset.h"

/* Format of the file (header, checksums, layout). Bump when it changes. */
#define GCN_CACHE_FORMAT_VERSION 1

/* What a dataset load reads: everything, or everything but the features (the caller then
 * fills ds->x from a features entry), or only the features into an already loaded ds. */
enum gcn_cache_parts {
    GCN_CACHE_ALL = 0,        /* x, y, split, rowptr, col */
    GCN_CACHE_NO_FEATURES = 1, /* y, split, rowptr, col; ds->x stays NULL */
    GCN_CACHE_FEATURES = 2,   /* x only, into ds (n and f must match the entry) */
};

/* XXH64 of len bytes at data with seed (Collet's xxHash64; XXH64("", 0) =
 * 0xef46db3751d8e999). */
uint64_t gcn_hash64(const void *data, size_t len, uint64_t seed);

/* Writes ds (its x, y, split, adj) as a dataset entry under key (any bytes but NUL, at most
 * 64 KiB) to path, atomically: PATH.tmp.XXXXXX in the same folder, fsync, rename, fsync of
 * the folder. Errors (folder not writable, disk full, I/O error): a message naming the path
 * and the OS error; no temporary file is left and an old entry at path stays as it was. */
int gcn_cache_save_dataset(const struct gcn_dataset *ds, const char *path, const char *key);

/* Writes ds->x alone as a features entry (n, f), as gcn_cache_save_dataset. */
int gcn_cache_save_features(const struct gcn_dataset *ds, const char *path, const char *key);

/* Reads the dataset entry at path whose stored key is key. parts GCN_CACHE_ALL or
 * GCN_CACHE_NO_FEATURES: ds is zeroed and filled (arrays allocated here, n_split counted,
 * name left empty); GCN_CACHE_FEATURES: ds->x is allocated and read, every other field must
 * already hold the same dataset (n, f checked). Returns GCN_OK, or GCN_ERR with *absent = 1
 * when no file exists at path (no message) and *absent = 0 with one line naming the path
 * and the problem (truncated, checksum mismatch in an array, wrong magic, format version,
 * kind or key, inconsistent sizes or indices, read error, out of memory). After an error ds
 * holds nothing new: what this call allocated is freed. Free ds with gcn_dataset_free. */
int gcn_cache_load_dataset(struct gcn_dataset *ds, const char *path, const char *key,
                           enum gcn_cache_parts parts, int *absent);

/* Reads the features entry at path (key as above) into ds->x, which must be NULL (it is
 * allocated here), and sets ds->x_aggregated; ds->n and ds->f must match the entry.
 * Errors as gcn_cache_load_dataset; ds->x stays NULL after one. */
int gcn_cache_load_features(struct gcn_dataset *ds, const char *path, const char *key,
                            int *absent);

/* Removes the temporary files (NAME.tmp.XXXXXX) that writers killed mid-write left in dir,
 * when older than max_age_s seconds (younger ones may belong to a writer still running).
 * Best effort: errors are ignored. Returns the number removed. */
int gcn_cache_sweep(const char *dir, double max_age_s);

#endif
