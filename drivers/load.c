/* load.c: dataset selection for the drivers (see load.h), with a memory check first: the
 * bytes the load will hold at its peak are estimated from the configuration (synthetic) or
 * from the .npy headers inside the npz files (DGL, no data read), and compared with what this
 * process can still get: MemAvailable, and the room RLIMIT_AS and RLIMIT_DATA leave above its
 * current size. A dataset that cannot fit is refused with both numbers, before any large
 * allocation, instead of dying in the OOM killer or in a swap storm. The estimates follow the
 * allocations of dataset.c and synth.c; keep them in step.
 *
 * gcn_load_prepared puts the on-disk cache (gcn/cache.h) in front of that: the key names
 * everything the data depends on, its XXH64 names the entry, and what the cache cannot give
 * (absent, or failing verification) is built as before and saved. */
#include "load.h"

#include <errno.h>
#include <gnu/libc-version.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gcn/aggregate.h"
#include "gcn/cache.h"
#include "gcnrun_build.h"
#if GCNRUN_HAVE_METIS
#include <metis.h>
#endif
#include "base/error.h"
#include "gcn/npz.h"
#include "gcn/parallel.h"
#include "gcn/reorder.h"
#include "gcn/synth.h"
#include "gcn/train.h"

static int check_present(const char *path, const struct gcn_config *cfg)
{
    if (access(path, R_OK) == 0)
        return GCN_OK;
    const int err = errno;
    if (cfg->source_hint[0])
        return gcn_fail("%s: %s; %s", path, strerror(err), cfg->source_hint);
    return gcn_fail("%s: %s; set [dataset] data and graph in %s to the DGL-layout npz files",
                    path, strerror(err), cfg->path[0] ? cfg->path : "the config");
}

/* ---- memory check ------------------------------------------------------------------------ */

/* "5.1 GiB", "312.0 MiB" into buf. */
static const char *human_bytes(double b, char *buf, size_t len)
{
    static const char *const units[] = { "bytes", "KiB", "MiB", "GiB", "TiB", "PiB" };
    size_t u = 0;
    while (b >= 1024.0 && u + 1 < sizeof units / sizeof units[0]) {
        b /= 1024.0;
        u++;
    }
    snprintf(buf, len, u ? "%.1f %s" : "%.0f %s", b, units[u]);
    return buf;
}

/* Lowers *avail to limit - used when the resource limit res is set; names it in *source. */
static void apply_rlimit(double *avail, const char **source, int res, double used,
                         const char *name)
{
    struct rlimit rl;
    if (getrlimit(res, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY)
        return;
    double left = fmax((double)rl.rlim_cur - used, 0.0);
    if (left < *avail) {
        *avail = left;
        *source = name;
    }
}

/* Bytes this process may still allocate (INFINITY when nothing says), and which bound that
 * is: MemAvailable from /proc/meminfo, RLIMIT_AS above the current address-space size and
 * RLIMIT_DATA above the current data size (both from /proc/self/statm). */
static double available_bytes(const char **source)
{
    double avail = INFINITY;
    *source = "unknown";
    FILE *f = fopen("/proc/meminfo", "r");
    if (f) {
        char line[256];
        unsigned long long kb;
        while (fgets(line, sizeof line, f)) {
            if (sscanf(line, "MemAvailable: %llu kB", &kb) == 1) {
                avail = (double)kb * 1024.0;
                *source = "MemAvailable";
                break;
            }
        }
        fclose(f);
    }
    unsigned long long vm = 0, data = 0, skip;
    f = fopen("/proc/self/statm", "r");
    if (f) {
        if (fscanf(f, "%llu %llu %llu %llu %llu %llu", &vm, &skip, &skip, &skip, &skip,
                   &data) != 6)
            vm = data = 0;
        fclose(f);
    }
    const double page = (double)sysconf(_SC_PAGESIZE);
    apply_rlimit(&avail, source, RLIMIT_AS, (double)vm * page, "RLIMIT_AS, ulimit -v");
    apply_rlimit(&avail, source, RLIMIT_DATA, (double)data * page, "RLIMIT_DATA, ulimit -d");
    return avail;
}

/* Peak bytes gcn_synth_generate holds (synth.c): the node arrays, then the larger of the
 * graph build (stub multigraph both ways with its quarter of headroom, per-thread row
 * histograms, offsets) and the feature phase (final graph, features, class means). */
static double synth_bytes(const struct gcn_synth_params *p)
{
    const double n = (double)p->nodes, f = (double)p->features, c = (double)p->classes;
    const double e = n * p->avg_degree; /* directed edges after coalescing */
    const double nt = (double)gcn_max_threads();
    const double nodes = n * (4 + 8 + 4 + 1);                  /* order, w, y, split */
    const double build = n * (8 + 8 + 8 + 8) + nt * n * 8 + 1.25 * 4 * (e / 2 + e);
    const double features = n * 8 + e * 4 + n * f * 4 + c * f * 4;
    return fmax(nodes + build, n * (4 + 1) + features);
}

/* Bytes of an integer index array once dataset.c holds it: int32/int64 as stored, anything
 * else widened to int64 (with the stored copy alive during the conversion). */
static double index_bytes(const struct gcn_npy *a)
{
    const double k = (double)a->count;
    if (a->dtype == GCN_NPY_I4 || a->dtype == GCN_NPY_I8)
        return k * (double)a->itemsize;
    return k * (8.0 + (double)a->itemsize);
}

/* Peak bytes gcn_dataset_load_dgl holds (dataset.c), from the .npy headers alone: features
 * (plus the stored copy while a non-float32 array converts), labels and splits, then the
 * graph: the stored edge arrays, the per-thread row histograms of the COO path, and the CSR.
 * Returns GCN_ERR when a header cannot be read: the loader then reports the real problem. */
static int dgl_bytes(double *need, const struct gcn_config *cfg)
{
    struct gcn_npz *z = NULL;
    struct gcn_npy feat, a, b;
    int status = GCN_ERR;
    if (gcn_npz_open(&z, cfg->data) != GCN_OK ||
        gcn_npz_read_header(z, "feature", &feat) != GCN_OK || feat.ndim != 2)
        goto cleanup;
    gcn_npz_close(z);
    z = NULL;
    const double n = (double)feat.shape[0], nf = (double)feat.count;
    const double convert = feat.dtype == GCN_NPY_F4 ? 0.0 : nf * (double)feat.itemsize;
    const double nodes = n * (4 + 1) + n * 16; /* labels, splits; one int64 copy at a time */
    double graph;
    if (gcn_npz_open(&z, cfg->graph) != GCN_OK)
        goto cleanup;
    if (gcn_npz_has(z, "row")) { /* COO: row and col held while the CSR is built */
        if (gcn_npz_read_header(z, "row", &a) != GCN_OK ||
            gcn_npz_read_header(z, "col", &b) != GCN_OK)
            goto cleanup;
        graph = index_bytes(&a) + index_bytes(&b) + (double)gcn_max_threads() * n * 8 +
                (n + 1) * 8 + (double)a.count * 4;
    } else { /* CSR: int64 indptr, indices as stored plus their int32 copy */
        if (gcn_npz_read_header(z, "indptr", &a) != GCN_OK ||
            gcn_npz_read_header(z, "indices", &b) != GCN_OK)
            goto cleanup;
        graph = index_bytes(&a) + index_bytes(&b) + (double)b.count * 4;
    }
    *need = nf * 4 + nodes + fmax(convert, graph);
    status = GCN_OK;
cleanup:
    gcn_npz_close(z);
    return status;
}

/* GCN_OK when need bytes fit in what this process can still allocate; otherwise one line
 * "WHAT: the dataset needs X but only Y of memory is available (SOURCE); FIX". */
static int check_fits(double need, const char *what, const char *fix)
{
    const char *source;
    const double avail = available_bytes(&source);
    if (need <= avail)
        return GCN_OK;
    char nb[32], ab[32];
    return gcn_fail("%s: the dataset needs %s but only %s of memory is available (%s); %s",
                    what, human_bytes(need, nb, sizeof nb), human_bytes(avail, ab, sizeof ab),
                    source, fix);
}

/* ---- public API ----------------------------------------------------------------------------- */

int gcn_load_dataset(struct gcn_dataset *ds, const struct gcn_config *cfg)
{
    memset(ds, 0, sizeof *ds);
    if (cfg->format == GCN_FORMAT_SYNTHETIC) {
        char what[160];
        snprintf(what, sizeof what, "synthetic dataset (%zu nodes, %zu features, avg_degree %g)",
                 cfg->synth.nodes, cfg->synth.features, cfg->synth.avg_degree);
        if (check_fits(synth_bytes(&cfg->synth), what, "free memory or lower [synthetic] "
                       "nodes, features or avg_degree") != GCN_OK)
            return GCN_ERR;
        if (gcn_synth_generate(ds, &cfg->synth) != GCN_OK)
            return GCN_ERR;
    } else {
        if (check_present(cfg->data, cfg) != GCN_OK || check_present(cfg->graph, cfg) != GCN_OK)
            return GCN_ERR;
        double need;
        if (dgl_bytes(&need, cfg) == GCN_OK &&
            check_fits(need, cfg->data, "free memory or use a smaller dataset") != GCN_OK)
            return GCN_ERR;
        if (gcn_dataset_load_dgl(ds, cfg->data, cfg->graph, cfg->name) != GCN_OK)
            return GCN_ERR;
    }
    if (cfg->name[0])
        snprintf(ds->name, sizeof ds->name, "%s", cfg->name);
    if (cfg->features_only) {
        memset(ds->adj.rowptr, 0, (ds->n + 1) * sizeof *ds->adj.rowptr);
        ds->adj.nnz = 0;
    }
    if (cfg->normalize_features)
        gcn_dataset_normalize_rows(ds);
    /* a fixed METIS seed: the layout is a property of the data, the same for every run seed */
    if (ds->adj.nnz && gcn_dataset_reorder(ds, cfg->reorder, cfg->reorder_block, 1) != GCN_OK)
        return GCN_ERR;
    return GCN_OK;
}

int gcn_load_aggregate(struct gcn_dataset *ds, const struct gcn_config *cfg, double *seconds)
{
    *seconds = 0.0;
    if (!gcn_config_caches_first(cfg))
        return GCN_OK;
    const double t0 = gcn_now_s();
    if (gcn_dataset_aggregate_features(ds) != GCN_OK)
        return GCN_ERR;
    *seconds = gcn_now_s() - t0;
    return GCN_OK;
}

/* ---- the dataset cache ---------------------------------------------------------------------- */

#define CACHE_KEY_CAP 32768          /* room for two GCN_PATH_MAX paths and the rest */
#define CACHE_STALE_TMP_S 3600.0     /* temporaries older than this are a killed writer's */

const char *gcn_cache_status_name(enum gcn_cache_status s)
{
    switch (s) {
    case GCN_CACHE_HIT:
        return "hit";
    case GCN_CACHE_MISS:
        return "miss";
    default:
        return "off";
    }
}

struct key_buf {
    char *p;      /* key being built */
    size_t cap;   /* its size */
    size_t used;  /* characters so far */
    int overflow; /* 1 when something did not fit */
};

static void __attribute__((format(printf, 2, 3))) key_add(struct key_buf *k, const char *fmt,
                                                         ...)
{
    if (k->overflow)
        return;
    va_list ap;
    va_start(ap, fmt);
    const int n = vsnprintf(k->p + k->used, k->cap - k->used, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= k->cap - k->used)
        k->overflow = 1;
    else
        k->used += (size_t)n;
}

/* "ROLE=REALPATH size=S mtime=SEC.NSEC ctime=SEC.NSEC inode=I device=D" of a DGL input
 * file. ctime too: mtime can be set back (touch -d, cp -p, rsync -t) after a same-size
 * rewrite, ctime cannot. */
static int key_file(struct key_buf *k, const char *role, const char *path)
{
    char real[PATH_MAX];
    struct stat st;
    if (!realpath(path, real) || stat(real, &st) != 0)
        return gcn_fail("%s: %s", path, strerror(errno));
    key_add(k, "%s=%s size=%lld mtime=%lld.%09ld ctime=%lld.%09ld inode=%llu device=%llu\n",
            role, real, (long long)st.st_size, (long long)st.st_mtim.tv_sec,
            (long)st.st_mtim.tv_nsec, (long long)st.st_ctim.tv_sec, (long)st.st_ctim.tv_nsec,
            (unsigned long long)st.st_ino, (unsigned long long)st.st_dev);
    return GCN_OK;
}

int gcn_load_cache_key(char *key, size_t cap, const struct gcn_config *cfg, int format_version)
{
    struct key_buf k = { key, cap, 0, 0 };
    if (cap)
        key[0] = '\0';
    key_add(&k, "gcnrun prepared dataset\nformat_version=%d\ndata_version=%d\n", format_version,
            GCN_CACHE_DATA_VERSION);
    if (cfg->format == GCN_FORMAT_SYNTHETIC) {
        const struct gcn_synth_params *p = &cfg->synth;
        key_add(&k, "source=synthetic\nnodes=%zu\nfeatures=%zu\nclasses=%zu\navg_degree=%a\n"
                "degree_skew=%a\nhomophily=%a\nfeature_signal=%a\nlabel_noise=%a\n"
                "train_fraction=%a\nval_fraction=%a\nseed=%llu\nlibc=glibc %s\n", p->nodes,
                p->features, p->classes, p->avg_degree, p->degree_skew, p->homophily,
                p->feature_signal, p->label_noise, p->train_fraction, p->val_fraction,
                (unsigned long long)p->seed, gnu_get_libc_version());
    } else {
        key_add(&k, "source=dgl\n");
        if (key_file(&k, "data", cfg->data) != GCN_OK ||
            key_file(&k, "graph", cfg->graph) != GCN_OK)
            return GCN_ERR;
    }
    key_add(&k, "normalize_features=%d\nfeatures_only=%d\nreorder=%s\n",
            cfg->normalize_features, cfg->features_only, gcn_reorder_name(cfg->reorder));
    if (cfg->reorder == GCN_REORDER_METIS) {
#if GCNRUN_HAVE_METIS
        key_add(&k, "reorder_block=%zu\nreorder_seed=1\nmetis=%d.%d.%d\n", cfg->reorder_block,
                METIS_VER_MAJOR, METIS_VER_MINOR, METIS_VER_SUBMINOR);
#else
        key_add(&k, "reorder_block=%zu\nreorder_seed=1\nmetis=none\n", cfg->reorder_block);
#endif
    }
    if (k.overflow)
        return gcn_fail("the cache key of this configuration exceeds %zu bytes", cap);
    return GCN_OK;
}

/* One line "PROG: warning: MESSAGE" on log. */
static void __attribute__((format(printf, 2, 3))) warn(FILE *log, const char *fmt, ...)
{
    if (!log)
        return;
    va_list ap;
    va_start(ap, fmt);
    fprintf(log, "%s: warning: ", program_invocation_short_name);
    vfprintf(log, fmt, ap);
    fputc('\n', log);
    va_end(ap);
    fflush(log);
}

/* mkdir -p dir. GCN_OK when dir is a folder at the end (writable or not). */
static int make_dirs(const char *dir)
{
    char buf[GCN_PATH_MAX];
    struct stat st;
    if (snprintf(buf, sizeof buf, "%s", dir) >= (int)sizeof buf)
        return gcn_fail("path too long");
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(buf, 0777) != 0 && errno != EEXIST)
            return gcn_fail("%s", strerror(errno));
        *p = '/';
    }
    if (mkdir(buf, 0777) != 0 && errno != EEXIST)
        return gcn_fail("%s", strerror(errno));
    if (stat(buf, &st) != 0)
        return gcn_fail("%s", strerror(errno));
    if (!S_ISDIR(st.st_mode))
        return gcn_fail("%s", strerror(ENOTDIR));
    return GCN_OK;
}

/* Array bytes of ds's graph part (y, split, rowptr, col) and of its features. */
static uint64_t graph_bytes(const struct gcn_dataset *ds)
{
    return (uint64_t)ds->n * (4 + 1 + 8) + 8 + (uint64_t)ds->adj.nnz * 4;
}

static uint64_t feature_bytes(const struct gcn_dataset *ds)
{
    return (uint64_t)ds->n * ds->f * sizeof(float);
}

struct cache_run {
    FILE *log;                   /* warnings */
    int can_save;                /* 0 once the folder or a write failed (warned once) */
    int swept;                   /* stale temporaries removed already */
    int save_failed;             /* some entry could not be written */
    int written;                 /* entries written */
    const char *dir;             /* the cache folder */
    struct gcn_load_info *info;  /* being filled */
};

/* Saves ds as a dataset (features = 0) or features entry; a failure is warned about once
 * and turns saving off for the rest of the run. */
static void save_entry(struct cache_run *cr, const struct gcn_dataset *ds, const char *path,
                       const char *key, int features)
{
    if (!cr->can_save) {
        cr->save_failed = 1;
        return;
    }
    if (!cr->swept) {
        gcn_cache_sweep(cr->dir, CACHE_STALE_TMP_S);
        cr->swept = 1;
    }
    const double t = gcn_now_s();
    const int st = features ? gcn_cache_save_features(ds, path, key)
                            : gcn_cache_save_dataset(ds, path, key);
    cr->info->save_s += gcn_now_s() - t;
    if (st != GCN_OK) {
        warn(cr->log, "%s; going on without caching", gcn_last_error());
        cr->can_save = 0;
        cr->save_failed = 1;
        return;
    }
    cr->written++;
    cr->info->written_bytes += features ? feature_bytes(ds) : graph_bytes(ds) + feature_bytes(ds);
}

/* Builds the dataset as gcn_load_dataset does, timed into build_s. */
static int build_dataset(struct gcn_dataset *ds, const struct gcn_config *cfg,
                         struct gcn_load_info *info)
{
    const double t = gcn_now_s();
    const int st = gcn_load_dataset(ds, cfg);
    info->build_s += gcn_now_s() - t;
    return st;
}

/* Â X in place (gcn/aggregate.h), timed into build_s. */
static int aggregate_timed(struct gcn_dataset *ds, struct gcn_load_info *info)
{
    const double t = gcn_now_s();
    const int st = gcn_dataset_aggregate_features(ds);
    info->build_s += gcn_now_s() - t;
    return st;
}

/* GCN_OK when the entries at the given paths (bytes on disk) fit in memory. */
static int check_entry_fits(const char *path, const char *fix)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return GCN_OK; /* the load reports it */
    return check_fits((double)st.st_size, path, fix);
}

/* Reads the dataset entry (parts) into ds, timed; a bad entry is warned about. Returns 1 on
 * a hit, 0 otherwise (ds then empty). Errors: out of memory only (*err set). */
static int read_dataset_entry(struct cache_run *cr, struct gcn_dataset *ds, const char *path,
                              const char *key, enum gcn_cache_parts parts)
{
    int absent;
    const double t = gcn_now_s();
    const int st = gcn_cache_load_dataset(ds, path, key, parts, &absent);
    cr->info->read_s += gcn_now_s() - t;
    if (st == GCN_OK) {
        cr->info->read_bytes += parts == GCN_CACHE_FEATURES ? feature_bytes(ds)
                                : parts == GCN_CACHE_ALL ? graph_bytes(ds) + feature_bytes(ds)
                                                         : graph_bytes(ds);
        return 1;
    }
    if (!absent)
        warn(cr->log, "%s; rebuilding it", gcn_last_error());
    return 0;
}

int gcn_load_prepared(struct gcn_dataset *ds, const struct gcn_config *cfg, int aggregate,
                      FILE *log, struct gcn_load_info *info)
{
    memset(info, 0, sizeof *info);
    memset(ds, 0, sizeof *ds);
    char *key = NULL, *ax_key = NULL;
    int status = GCN_ERR;
    const double t0 = gcn_now_s();

    if (!cfg->cache) {
        info->status = GCN_CACHE_OFF;
        if (build_dataset(ds, cfg, info) != GCN_OK)
            return GCN_ERR;
        info->load_s = gcn_now_s() - t0;
        if (aggregate && aggregate_timed(ds, info) != GCN_OK)
            return GCN_ERR;
        info->aggregate_s = gcn_now_s() - t0 - info->load_s;
        return GCN_OK;
    }

    struct cache_run cr = { .log = log, .can_save = 1, .dir = cfg->cache_dir, .info = info };
    info->status = GCN_CACHE_MISS;
    key = malloc(CACHE_KEY_CAP);
    ax_key = malloc(CACHE_KEY_CAP + 64);
    if (!key || !ax_key) {
        gcn_fail("out of memory building the cache key");
        goto cleanup;
    }
    if (gcn_load_cache_key(key, CACHE_KEY_CAP, cfg, GCN_CACHE_FORMAT_VERSION) != GCN_OK) {
        /* a DGL file that cannot be stat'ed: the load says what is wrong with it */
        char why[512];
        snprintf(why, sizeof why, "%s", gcn_last_error());
        if (build_dataset(ds, cfg, info) != GCN_OK)
            goto cleanup;
        warn(log, "cannot name the cache entry (%s); going on without caching", why);
        info->load_s = gcn_now_s() - t0;
        if (aggregate && aggregate_timed(ds, info) != GCN_OK)
            goto cleanup;
        info->aggregate_s = gcn_now_s() - t0 - info->load_s;
        status = GCN_OK;
        goto cleanup;
    }
    snprintf(ax_key, CACHE_KEY_CAP + 64, "%saggregate=sym-normalized A + I, version %d\n", key,
             GCN_CACHE_AGGREGATE_VERSION);
    const unsigned long long hash = (unsigned long long)gcn_hash64(key, strlen(key), 0);
    snprintf(info->path, sizeof info->path, "%s/%016llx.data", cfg->cache_dir, hash);
    if (aggregate)
        snprintf(info->aggregate_path, sizeof info->aggregate_path, "%s/%016llx.ax",
                 cfg->cache_dir, hash);
    int can_read = 1;
    if (make_dirs(cfg->cache_dir) != GCN_OK) {
        warn(log, "cannot use the cache folder '%s': %s; going on without caching (set "
             "[dataset] cache_dir, or --no-cache)", cfg->cache_dir, gcn_last_error());
        can_read = cr.can_save = 0;
    }

    /* the dataset: everything, or everything but the raw features when Â X replaces them */
    if (can_read && check_entry_fits(info->path, "free memory or use a smaller dataset") != GCN_OK)
        goto cleanup;
    int ds_hit = can_read && read_dataset_entry(&cr, ds, info->path, key,
                                                aggregate ? GCN_CACHE_NO_FEATURES
                                                          : GCN_CACHE_ALL);
    if (!ds_hit) {
        if (build_dataset(ds, cfg, info) != GCN_OK)
            goto cleanup;
        save_entry(&cr, ds, info->path, key, 0);
    }
    if (cfg->name[0])
        snprintf(ds->name, sizeof ds->name, "%s", cfg->name);
    info->load_s = gcn_now_s() - t0;

    /* Â X */
    int ax_hit = 0;
    if (aggregate) {
        const double t1 = gcn_now_s();
        if (can_read && ds_hit) {
            int absent;
            const double t = gcn_now_s();
            if (gcn_cache_load_features(ds, info->aggregate_path, ax_key, &absent) == GCN_OK) {
                ax_hit = 1;
                info->read_bytes += feature_bytes(ds);
            } else if (!absent) {
                warn(log, "%s; rebuilding it", gcn_last_error());
            }
            info->read_s += gcn_now_s() - t;
            /* the raw features, from the dataset entry, or from a rebuild when that fails */
            if (!ax_hit && !read_dataset_entry(&cr, ds, info->path, key, GCN_CACHE_FEATURES)) {
                gcn_dataset_free(ds);
                ds_hit = 0;
                if (build_dataset(ds, cfg, info) != GCN_OK)
                    goto cleanup;
                save_entry(&cr, ds, info->path, key, 0);
                if (cfg->name[0])
                    snprintf(ds->name, sizeof ds->name, "%s", cfg->name);
            }
        }
        if (!ax_hit) {
            if (aggregate_timed(ds, info) != GCN_OK)
                goto cleanup;
            save_entry(&cr, ds, info->aggregate_path, ax_key, 1);
        }
        info->aggregate_s = gcn_now_s() - t1;
    }
    if (ds_hit && (!aggregate || ax_hit))
        info->status = GCN_CACHE_HIT;
    info->saved = info->status == GCN_CACHE_MISS && cr.written > 0 && !cr.save_failed;
    status = GCN_OK;
cleanup:
    free(key);
    free(ax_key);
    return status;
}
