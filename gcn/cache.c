/* cache.c: prepared-dataset cache entries (see cache.h): XXH64, the header, parallel
 * read-and-verify of each array into its final allocation, and the atomic write. */
#include "cache.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/error.h"
#include "parallel.h"

#define CACHE_MAGIC "GCNCACHE"
#define CACHE_HEADER 512                 /* header bytes; the key follows */
#define CACHE_ALIGN ((uint64_t)4096)     /* every array starts at a multiple of this */
#define CACHE_MAX_ARRAYS 6
#define CACHE_BLOCK ((size_t)1 << 20)    /* checksum block: hashed while still in cache */
#define CACHE_KEY_MAX ((size_t)64 << 10) /* longest key */
#define CACHE_IO_MAX ((size_t)1 << 30)   /* largest single read or write call */

enum { KIND_DATASET = 1, KIND_FEATURES = 2 };

struct cache_array {
    char name[8];      /* "x", "y", "split", "rowptr", "col" (NUL-padded) */
    uint64_t offset;   /* from the start of the file, a multiple of CACHE_ALIGN */
    uint64_t bytes;    /* array bytes (the padding after it is not counted) */
    uint64_t checksum; /* XXH64 of the block digests, seed = bytes (block_checksum) */
};

struct cache_header {
    char magic[8];        /* CACHE_MAGIC, no NUL */
    uint32_t version;     /* GCN_CACHE_FORMAT_VERSION */
    uint32_t kind;        /* KIND_DATASET or KIND_FEATURES */
    uint32_t n_arrays;    /* rows of arrays[] in use */
    uint32_t key_len;     /* key bytes right after the header (no NUL) */
    uint64_t key_hash;    /* XXH64 of the key, seed 0 (the file name of drivers/load.c) */
    uint64_t file_bytes;  /* the whole file, padding included */
    uint64_t n, f, c, nnz; /* nodes, features, classes, edges (features entries: n, f) */
    struct cache_array arrays[CACHE_MAX_ARRAYS]; /* in file order */
    uint8_t reserved[CACHE_HEADER - 72 - CACHE_MAX_ARRAYS * 32 - 8]; /* zero */
    uint64_t checksum;    /* XXH64 of the key, seeded with XXH64 of the bytes above */
};
_Static_assert(sizeof(struct cache_header) == CACHE_HEADER, "the header is 512 bytes");

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#define CACHE_BIG_ENDIAN 1
#else
#define CACHE_BIG_ENDIAN 0
#endif

/* ---- XXH64 ---------------------------------------------------------------------------- */

#define P1 0x9E3779B185EBCA87ULL
#define P2 0xC2B2AE3D27D4EB4FULL
#define P3 0x165667B19E3779F9ULL
#define P4 0x85EBCA77C2B2AE63ULL
#define P5 0x27D4EB2F165667C5ULL

static inline uint64_t rotl64(uint64_t x, int r)
{
    return (x << r) | (x >> (64 - r));
}

static inline uint64_t read64(const uint8_t *p)
{
    uint64_t v;
    memcpy(&v, p, 8);
    return v;
}

static inline uint32_t read32(const uint8_t *p)
{
    uint32_t v;
    memcpy(&v, p, 4);
    return v;
}

static inline uint64_t xxh_round(uint64_t acc, uint64_t input)
{
    acc += input * P2;
    acc = rotl64(acc, 31);
    return acc * P1;
}

static inline uint64_t xxh_merge(uint64_t acc, uint64_t v)
{
    acc ^= xxh_round(0, v);
    return acc * P1 + P4;
}

uint64_t gcn_hash64(const void *data, size_t len, uint64_t seed)
{
    const uint8_t *p = data;
    const uint8_t *const end = p + len;
    uint64_t h;
    if (len >= 32) {
        const uint8_t *const limit = end - 32;
        uint64_t v1 = seed + P1 + P2, v2 = seed + P2, v3 = seed, v4 = seed - P1;
        do {
            v1 = xxh_round(v1, read64(p));
            v2 = xxh_round(v2, read64(p + 8));
            v3 = xxh_round(v3, read64(p + 16));
            v4 = xxh_round(v4, read64(p + 24));
            p += 32;
        } while (p <= limit);
        h = rotl64(v1, 1) + rotl64(v2, 7) + rotl64(v3, 12) + rotl64(v4, 18);
        h = xxh_merge(h, v1);
        h = xxh_merge(h, v2);
        h = xxh_merge(h, v3);
        h = xxh_merge(h, v4);
    } else {
        h = seed + P5;
    }
    h += (uint64_t)len;
    while (end - p >= 8) {
        h ^= xxh_round(0, read64(p));
        h = rotl64(h, 27) * P1 + P4;
        p += 8;
    }
    if (end - p >= 4) {
        h ^= (uint64_t)read32(p) * P1;
        h = rotl64(h, 23) * P2 + P3;
        p += 4;
    }
    while (p < end) {
        h ^= (uint64_t)*p * P5;
        h = rotl64(h, 11) * P1;
        p++;
    }
    h ^= h >> 33;
    h *= P2;
    h ^= h >> 29;
    h *= P3;
    h ^= h >> 32;
    return h;
}

/* ---- helpers ----------------------------------------------------------------------------- */

static uint64_t align_up(uint64_t v)
{
    return (v + CACHE_ALIGN - 1) / CACHE_ALIGN * CACHE_ALIGN;
}

static uint64_t header_checksum(const struct cache_header *h, const char *key)
{
    const uint64_t head = gcn_hash64(h, offsetof(struct cache_header, checksum), 0);
    return gcn_hash64(key, h->key_len, head);
}

static size_t block_count(uint64_t bytes)
{
    return (size_t)((bytes + CACHE_BLOCK - 1) / CACHE_BLOCK);
}

/* pread of exactly len bytes: 0, or -1 with errno (0 for an early end of file). */
static int pread_full(int fd, void *buf, size_t len, uint64_t off)
{
    char *p = buf;
    while (len) {
        const size_t step = len < CACHE_IO_MAX ? len : CACHE_IO_MAX;
        const ssize_t r = pread(fd, p, step, (off_t)off);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0) {
            if (r == 0)
                errno = 0;
            return -1;
        }
        p += r;
        len -= (size_t)r;
        off += (uint64_t)r;
    }
    return 0;
}

/* pwrite of exactly len bytes: 0, or -1 with errno. */
static int pwrite_full(int fd, const void *buf, size_t len, uint64_t off)
{
    const char *p = buf;
    while (len) {
        const size_t step = len < CACHE_IO_MAX ? len : CACHE_IO_MAX;
        const ssize_t w = pwrite(fd, p, step, (off_t)off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            if (w == 0)
                errno = EIO;
            return -1;
        }
        p += w;
        len -= (size_t)w;
        off += (uint64_t)w;
    }
    return 0;
}

/* The array checksum of bytes at p (memory), blocks hashed on all threads. */
static int memory_checksum(const void *p, uint64_t bytes, uint64_t *checksum)
{
    const size_t blocks = block_count(bytes);
    uint64_t *digest = gcn_alloc_array(blocks, sizeof *digest);
    if (!digest)
        return gcn_fail("out of memory hashing a cache array");
    const uint8_t *base = p;
#pragma omp parallel for schedule(dynamic, 4)
    for (long b = 0; b < (long)blocks; b++) {
        const uint64_t off = (uint64_t)b * CACHE_BLOCK;
        const uint64_t len = bytes - off < CACHE_BLOCK ? bytes - off : CACHE_BLOCK;
        digest[b] = gcn_hash64(base + off, (size_t)len, (uint64_t)b);
    }
    *checksum = gcn_hash64(digest, blocks * sizeof *digest, bytes);
    free(digest);
    return GCN_OK;
}

/* ---- reading ----------------------------------------------------------------------------- */

struct entry {
    int fd;                 /* open read-only */
    struct cache_header h;  /* validated */
    const char *path;       /* for messages */
};

static const struct cache_array *find_array(const struct cache_header *h, const char *name)
{
    for (uint32_t i = 0; i < h->n_arrays; i++)
        if (strncmp(h->arrays[i].name, name, sizeof h->arrays[i].name) == 0)
            return &h->arrays[i];
    return NULL;
}

/* Opens path and checks everything the header says against the file and key: magic,
 * version, kind, header checksum, key, file size, array table. */
static int open_entry(struct entry *e, const char *path, const char *key, uint32_t kind,
                      int *absent)
{
    char *stored = NULL;
    struct stat st;
    int status = GCN_ERR;
    *absent = 0;
    e->path = path;
    if (CACHE_BIG_ENDIAN)
        return gcn_fail("%s: the dataset cache stores little-endian arrays and this machine "
                        "is big-endian", path);
    e->fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK); /* a FIFO there must not block */
    if (e->fd < 0) {
        if (errno == ENOENT) {
            *absent = 1;
            return GCN_ERR;
        }
        return gcn_fail("%s: cannot open the cache entry: %s", path, strerror(errno));
    }
    if (fstat(e->fd, &st) != 0) {
        gcn_fail("%s: cannot stat the cache entry: %s", path, strerror(errno));
        goto cleanup;
    }
    if (!S_ISREG(st.st_mode)) {
        gcn_fail("%s: not a regular file", path);
        goto cleanup;
    }
    const uint64_t size = (uint64_t)st.st_size;
    struct cache_header *h = &e->h;
    if (size < CACHE_HEADER) {
        gcn_fail("%s: truncated cache entry (%llu bytes, shorter than its %d-byte header)",
                 path, (unsigned long long)size, CACHE_HEADER);
        goto cleanup;
    }
    if (pread_full(e->fd, h, sizeof *h, 0) != 0) {
        gcn_fail("%s: cannot read the cache header: %s", path,
                 errno ? strerror(errno) : "unexpected end of file");
        goto cleanup;
    }
    if (memcmp(h->magic, CACHE_MAGIC, sizeof h->magic) != 0) {
        gcn_fail("%s: not a gcnrun cache entry (wrong magic)", path);
        goto cleanup;
    }
    if (h->version != GCN_CACHE_FORMAT_VERSION) {
        gcn_fail("%s: cache format version %u, this gcnrun reads version %d", path,
                 h->version, GCN_CACHE_FORMAT_VERSION);
        goto cleanup;
    }
    if (h->key_len > CACHE_KEY_MAX || CACHE_HEADER + (uint64_t)h->key_len > size) {
        gcn_fail("%s: corrupt or truncated cache header (key of %u bytes in a %llu-byte file)",
                 path, h->key_len, (unsigned long long)size);
        goto cleanup;
    }
    stored = malloc((size_t)h->key_len + 1);
    if (!stored) {
        gcn_fail("%s: out of memory reading the cache key", path);
        goto cleanup;
    }
    if (pread_full(e->fd, stored, h->key_len, CACHE_HEADER) != 0) {
        gcn_fail("%s: cannot read the cache key: %s", path,
                 errno ? strerror(errno) : "unexpected end of file");
        goto cleanup;
    }
    if (header_checksum(h, stored) != h->checksum) {
        gcn_fail("%s: header checksum mismatch (corrupt cache entry)", path);
        goto cleanup;
    }
    if (h->kind != kind) {
        gcn_fail("%s: a cache entry of another kind (%u, expected %u)", path, h->kind, kind);
        goto cleanup;
    }
    if (h->key_len != strlen(key) || memcmp(stored, key, h->key_len) != 0) {
        gcn_fail("%s: the entry was stored for another key (a renamed file or a hash "
                 "collision)", path);
        goto cleanup;
    }
    if (h->file_bytes != size) {
        gcn_fail("%s: %s cache entry (%llu bytes, the header says %llu)", path,
                 size < h->file_bytes ? "truncated" : "oversized", (unsigned long long)size,
                 (unsigned long long)h->file_bytes);
        goto cleanup;
    }
    if (h->n_arrays > CACHE_MAX_ARRAYS) {
        gcn_fail("%s: corrupt cache header (%u arrays)", path, h->n_arrays);
        goto cleanup;
    }
    uint64_t next = CACHE_HEADER + (uint64_t)h->key_len;
    for (uint32_t i = 0; i < h->n_arrays; i++) {
        const struct cache_array *a = &h->arrays[i];
        if (a->offset % CACHE_ALIGN || a->offset < next || a->bytes > size ||
            a->offset > size - a->bytes || memchr(a->name, '\0', sizeof a->name) == NULL) {
            gcn_fail("%s: corrupt cache header (array %u out of place)", path, i);
            goto cleanup;
        }
        next = a->offset + a->bytes;
    }
    status = GCN_OK;
cleanup:
    free(stored);
    if (status != GCN_OK) {
        close(e->fd);
        e->fd = -1;
    }
    return status;
}

/* The array name of e, which must hold exactly bytes, or an error. */
static int expect_array(const struct entry *e, const char *name, uint64_t bytes,
                        const struct cache_array **out)
{
    *out = find_array(&e->h, name);
    if (!*out)
        return gcn_fail("%s: corrupt cache entry (no array '%s')", e->path, name);
    if ((*out)->bytes != bytes)
        return gcn_fail("%s: corrupt cache entry (array '%s' holds %llu bytes, the sizes say "
                        "%llu)", e->path, name, (unsigned long long)(*out)->bytes,
                        (unsigned long long)bytes);
    return GCN_OK;
}

/* Reads array a of e into dst (a->bytes) and verifies its checksum. The blocks are read
 * and hashed on all threads, each block hashed right after its read, while in cache. */
static int read_array(const struct entry *e, const struct cache_array *a, void *dst)
{
    const size_t blocks = block_count(a->bytes);
    uint64_t *digest = gcn_alloc_array(blocks, sizeof *digest);
    if (!digest)
        return gcn_fail("%s: out of memory reading the cache entry", e->path);
    uint8_t *base = dst;
    int err = -1; /* -1: fine; else the errno of the first failed read (0: end of file) */
#pragma omp parallel for schedule(dynamic, 4)
    for (long b = 0; b < (long)blocks; b++) {
        int seen;
#pragma omp atomic read
        seen = err;
        if (seen >= 0)
            continue;
        const uint64_t off = (uint64_t)b * CACHE_BLOCK;
        const uint64_t len = a->bytes - off < CACHE_BLOCK ? a->bytes - off : CACHE_BLOCK;
        if (pread_full(e->fd, base + off, (size_t)len, a->offset + off) != 0) {
#pragma omp atomic write
            err = errno;
            continue;
        }
        digest[b] = gcn_hash64(base + off, (size_t)len, (uint64_t)b);
    }
    uint64_t sum = 0;
    if (err < 0)
        sum = gcn_hash64(digest, blocks * sizeof *digest, a->bytes);
    free(digest);
    if (err >= 0)
        return gcn_fail("%s: cannot read array '%.8s': %s", e->path, a->name,
                        err ? strerror(err) : "unexpected end of file");
    if (sum != a->checksum)
        return gcn_fail("%s: checksum mismatch in array '%.8s' (corrupt cache entry)", e->path,
                        a->name);
    return GCN_OK;
}

/* Bytes of count items of size, or an error on overflow. */
static int array_bytes(const struct entry *e, uint64_t count, uint64_t size, uint64_t *bytes)
{
    if (__builtin_mul_overflow(count, size, bytes) || *bytes > (uint64_t)SIZE_MAX)
        return gcn_fail("%s: corrupt cache header (sizes overflow)", e->path);
    return GCN_OK;
}

/* Allocates bytes (at least 1) for a cache array, or an error naming the entry. */
static void *alloc_bytes(const struct entry *e, uint64_t bytes, int *failed)
{
    void *p = gcn_alloc_array((size_t)bytes, 1);
    if (!p && !*failed) {
        *failed = 1;
        gcn_fail("%s: out of memory reading the cache entry (%.1f MiB)", e->path,
                 (double)bytes / 1048576.0);
    }
    return p;
}

/* The invariants the trainers rely on, checked again on what was read. */
static int check_dataset(const struct entry *e, const struct gcn_dataset *ds)
{
    const struct gcn_csr *g = &ds->adj;
    if (g->rowptr[0] != 0 || g->rowptr[ds->n] != (int64_t)g->nnz)
        return gcn_fail("%s: corrupt cache entry (row pointers do not span the edges)",
                        e->path);
    long bad = 0;
#pragma omp parallel for reduction(+ : bad) schedule(static)
    for (long i = 0; i < (long)ds->n; i++)
        bad += g->rowptr[i + 1] < g->rowptr[i] || ds->y[i] < 0 ||
               (uint64_t)ds->y[i] >= ds->c || ds->split[i] > GCN_TEST;
    if (bad)
        return gcn_fail("%s: corrupt cache entry (row pointers, labels or splits out of "
                        "range)", e->path);
    const int32_t n = (int32_t)ds->n;
#pragma omp parallel for reduction(+ : bad) schedule(static)
    for (long k = 0; k < (long)g->nnz; k++)
        bad += g->col[k] < 0 || g->col[k] >= n;
    if (bad)
        return gcn_fail("%s: corrupt cache entry (edge indices out of range)", e->path);
    return GCN_OK;
}

int gcn_cache_load_dataset(struct gcn_dataset *ds, const char *path, const char *key,
                           enum gcn_cache_parts parts, int *absent)
{
    struct entry e;
    if (open_entry(&e, path, key, KIND_DATASET, absent) != GCN_OK)
        return GCN_ERR;
    const struct cache_header *h = &e.h;
    int status = GCN_ERR, failed = 0;
    uint64_t xb, yb, sb, rb, cb;
    const struct cache_array *ax, *ay, *as, *ar, *ac;
    if (h->n > INT32_MAX || h->nnz > INT64_MAX || h->f == 0 || h->c == 0) {
        gcn_fail("%s: corrupt cache header (%llu nodes, %llu features, %llu classes)", path,
                 (unsigned long long)h->n, (unsigned long long)h->f,
                 (unsigned long long)h->c);
        goto cleanup;
    }
    uint64_t nf;
    if (__builtin_mul_overflow(h->n, h->f, &nf)) {
        gcn_fail("%s: corrupt cache header (sizes overflow)", path);
        goto cleanup;
    }
    if (array_bytes(&e, nf, sizeof(float), &xb) != GCN_OK ||
        array_bytes(&e, h->n, sizeof(int32_t), &yb) != GCN_OK ||
        array_bytes(&e, h->n, 1, &sb) != GCN_OK ||
        array_bytes(&e, h->n + 1, sizeof(int64_t), &rb) != GCN_OK ||
        array_bytes(&e, h->nnz, sizeof(int32_t), &cb) != GCN_OK)
        goto cleanup;
    if (expect_array(&e, "x", xb, &ax) != GCN_OK || expect_array(&e, "y", yb, &ay) != GCN_OK ||
        expect_array(&e, "split", sb, &as) != GCN_OK ||
        expect_array(&e, "rowptr", rb, &ar) != GCN_OK ||
        expect_array(&e, "col", cb, &ac) != GCN_OK)
        goto cleanup;

    if (parts == GCN_CACHE_FEATURES) {
        if (ds->x || ds->n != h->n || ds->f != h->f) {
            gcn_fail("%s: the cache entry holds %llu x %llu features, the dataset %zu x %zu",
                     path, (unsigned long long)h->n, (unsigned long long)h->f, ds->n, ds->f);
            goto cleanup;
        }
        ds->x = alloc_bytes(&e, xb, &failed);
        if (!ds->x || read_array(&e, ax, ds->x) != GCN_OK) {
            free(ds->x);
            ds->x = NULL;
            goto cleanup;
        }
        status = GCN_OK;
        goto cleanup;
    }

    memset(ds, 0, sizeof *ds);
    ds->n = (size_t)h->n;
    ds->f = (size_t)h->f;
    ds->c = (size_t)h->c;
    ds->adj.n_rows = ds->adj.n_cols = ds->n;
    ds->adj.nnz = (size_t)h->nnz;
    if (parts == GCN_CACHE_ALL)
        ds->x = alloc_bytes(&e, xb, &failed);
    ds->y = alloc_bytes(&e, yb, &failed);
    ds->split = alloc_bytes(&e, sb, &failed);
    ds->adj.rowptr = alloc_bytes(&e, rb, &failed);
    ds->adj.col = alloc_bytes(&e, cb, &failed);
    if (failed)
        goto cleanup;
    /* in file order, so that a cold file is read front to back */
    if ((parts == GCN_CACHE_ALL && read_array(&e, ax, ds->x) != GCN_OK) ||
        read_array(&e, ay, ds->y) != GCN_OK || read_array(&e, as, ds->split) != GCN_OK ||
        read_array(&e, ar, ds->adj.rowptr) != GCN_OK ||
        read_array(&e, ac, ds->adj.col) != GCN_OK || check_dataset(&e, ds) != GCN_OK)
        goto cleanup;
    gcn_dataset_count_splits(ds);
    status = GCN_OK;
cleanup:
    close(e.fd);
    if (status != GCN_OK && parts != GCN_CACHE_FEATURES)
        gcn_dataset_free(ds);
    return status;
}

int gcn_cache_load_features(struct gcn_dataset *ds, const char *path, const char *key,
                            int *absent)
{
    struct entry e;
    if (open_entry(&e, path, key, KIND_FEATURES, absent) != GCN_OK)
        return GCN_ERR;
    int status = GCN_ERR, failed = 0;
    uint64_t xb;
    const struct cache_array *ax;
    if (ds->x || e.h.n != ds->n || e.h.f != ds->f) {
        gcn_fail("%s: the cache entry holds %llu x %llu features, the dataset %zu x %zu",
                 path, (unsigned long long)e.h.n, (unsigned long long)e.h.f, ds->n, ds->f);
        goto cleanup;
    }
    if (array_bytes(&e, (uint64_t)ds->n * ds->f, sizeof(float), &xb) != GCN_OK ||
        expect_array(&e, "x", xb, &ax) != GCN_OK)
        goto cleanup;
    ds->x = alloc_bytes(&e, xb, &failed);
    if (!ds->x || read_array(&e, ax, ds->x) != GCN_OK) {
        free(ds->x);
        ds->x = NULL;
        goto cleanup;
    }
    ds->x_aggregated = 1;
    status = GCN_OK;
cleanup:
    close(e.fd);
    return status;
}

/* ---- writing ----------------------------------------------------------------------------- */

struct out_array {
    const char *name; /* at most 7 characters */
    const void *data; /* bytes to write */
    uint64_t bytes;
};

/* The folder part of path ("." when it has none). */
static void folder_of(char *dir, size_t cap, const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        snprintf(dir, cap, ".");
    else if (slash == path)
        snprintf(dir, cap, "/");
    else
        snprintf(dir, cap, "%.*s", (int)(slash - path), path);
}

/* Writes one entry atomically (see cache.h). meta: n, f, c, nnz. */
static int write_entry(const char *path, const char *key, uint32_t kind, const uint64_t meta[4],
                       const struct out_array *arr, size_t na)
{
    if (CACHE_BIG_ENDIAN)
        return gcn_fail("%s: the dataset cache stores little-endian arrays and this machine "
                        "is big-endian", path);
    const size_t key_len = strlen(key);
    if (key_len > CACHE_KEY_MAX || na > CACHE_MAX_ARRAYS)
        return gcn_fail("internal error: cache key of %zu bytes or %zu arrays", key_len, na);
    struct cache_header h;
    memset(&h, 0, sizeof h);
    memcpy(h.magic, CACHE_MAGIC, sizeof h.magic);
    h.version = GCN_CACHE_FORMAT_VERSION;
    h.kind = kind;
    h.n_arrays = (uint32_t)na;
    h.key_len = (uint32_t)key_len;
    h.key_hash = gcn_hash64(key, key_len, 0);
    h.n = meta[0];
    h.f = meta[1];
    h.c = meta[2];
    h.nnz = meta[3];
    uint64_t off = align_up(CACHE_HEADER + key_len);
    for (size_t i = 0; i < na; i++) {
        struct cache_array *a = &h.arrays[i];
        snprintf(a->name, sizeof a->name, "%s", arr[i].name);
        a->offset = off;
        a->bytes = arr[i].bytes;
        if (memory_checksum(arr[i].data, arr[i].bytes, &a->checksum) != GCN_OK)
            return GCN_ERR;
        off = align_up(off + arr[i].bytes);
    }
    h.file_bytes = off;
    h.checksum = header_checksum(&h, key);

    const size_t plen = strlen(path);
    char *tmp = malloc(plen + 16);
    if (!tmp)
        return gcn_fail("out of memory writing the cache entry %s", path);
    snprintf(tmp, plen + 16, "%s.tmp.XXXXXX", path);
    int fd = mkostemp(tmp, O_CLOEXEC);
    if (fd < 0) {
        const int err = errno;
        free(tmp);
        return gcn_fail("cannot write the cache entry %s: %s", path, strerror(err));
    }
    const mode_t mask = umask(0);
    umask(mask);
    int err = 0;
    if (fchmod(fd, 0666 & ~mask) != 0 || pwrite_full(fd, &h, sizeof h, 0) != 0 ||
        pwrite_full(fd, key, key_len, CACHE_HEADER) != 0)
        err = errno;
    for (size_t i = 0; i < na && !err; i++)
        if (pwrite_full(fd, arr[i].data, (size_t)arr[i].bytes, h.arrays[i].offset) != 0)
            err = errno;
    if (!err && (ftruncate(fd, (off_t)h.file_bytes) != 0 || fsync(fd) != 0))
        err = errno;
    if (close(fd) != 0 && !err)
        err = errno;
    if (!err && rename(tmp, path) != 0)
        err = errno;
    if (err) {
        unlink(tmp);
        free(tmp);
        return gcn_fail("cannot write the cache entry %s: %s", path, strerror(err));
    }
    free(tmp);
    /* the rename is durable once the folder is: best effort, the entry is complete anyway */
    char dir[4096];
    folder_of(dir, sizeof dir, path);
    const int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        (void)fsync(dfd);
        close(dfd);
    }
    return GCN_OK;
}

int gcn_cache_save_dataset(const struct gcn_dataset *ds, const char *path, const char *key)
{
    const uint64_t n = ds->n, nnz = ds->adj.nnz;
    const uint64_t meta[4] = { n, ds->f, ds->c, nnz };
    const struct out_array arr[] = {
        { "x", ds->x, n * ds->f * sizeof(float) },
        { "y", ds->y, n * sizeof(int32_t) },
        { "split", ds->split, n },
        { "rowptr", ds->adj.rowptr, (n + 1) * sizeof(int64_t) },
        { "col", ds->adj.col, nnz * sizeof(int32_t) },
    };
    if (!ds->x || ds->x_aggregated)
        return gcn_fail("internal error: a dataset entry stores the features as loaded");
    return write_entry(path, key, KIND_DATASET, meta, arr, sizeof arr / sizeof arr[0]);
}

int gcn_cache_save_features(const struct gcn_dataset *ds, const char *path, const char *key)
{
    const uint64_t meta[4] = { ds->n, ds->f, 0, 0 };
    const struct out_array arr[] = { { "x", ds->x, (uint64_t)ds->n * ds->f * sizeof(float) } };
    return write_entry(path, key, KIND_FEATURES, meta, arr, 1);
}

int gcn_cache_sweep(const char *dir, double max_age_s)
{
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    const time_t now = time(NULL);
    int removed = 0;
    struct dirent *ent;
    while ((ent = readdir(d))) {
        /* only this module's temporaries, HASH16.data.tmp.XXXXXX or HASH16.ax.tmp.XXXXXX: the
         * folder is the user's choice and may hold other programs' files */
        const char *t = strstr(ent->d_name, ".tmp.");
        const size_t ext = t ? (size_t)(t - ent->d_name) - 16 : 0; /* ".data" or ".ax" */
        const int ours = t && strlen(t) == 11 && t - ent->d_name > 16 &&
                         strspn(ent->d_name, "0123456789abcdef") == 16 &&
                         ((ext == 5 && memcmp(ent->d_name + 16, ".data", 5) == 0) ||
                          (ext == 3 && memcmp(ent->d_name + 16, ".ax", 3) == 0));
        struct stat st;
        if (!ours || fstatat(dirfd(d), ent->d_name, &st, AT_SYMLINK_NOFOLLOW) ||
            !S_ISREG(st.st_mode) || difftime(now, st.st_mtime) < max_age_s)
            continue;
        removed += unlinkat(dirfd(d), ent->d_name, 0) == 0;
    }
    closedir(d);
    return removed;
}
