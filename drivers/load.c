/* load.c: dataset selection for the drivers (see load.h), with a memory check first: the
 * bytes the load will hold at its peak are estimated from the configuration (synthetic) or
 * from the .npy headers inside the npz files (DGL, no data read), and compared with what this
 * process can still get: MemAvailable, and the room RLIMIT_AS and RLIMIT_DATA leave above its
 * current size. A dataset that cannot fit is refused with both numbers, before any large
 * allocation, instead of dying in the OOM killer or in a swap storm. The estimates follow the
 * allocations of dataset.c and synth.c; keep them in step. */
#include "load.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "gcn/aggregate.h"
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
