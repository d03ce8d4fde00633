/* load.c: dataset selection for the drivers (see load.h). */
#include "load.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "gcn/error.h"
#include "gcn/reorder.h"
#include "gcn/synth.h"

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

int gcn_load_dataset(struct gcn_dataset *ds, const struct gcn_config *cfg)
{
    memset(ds, 0, sizeof *ds);
    if (cfg->format == GCN_FORMAT_SYNTHETIC) {
        if (gcn_synth_generate(ds, &cfg->synth) != GCN_OK)
            return GCN_ERR;
    } else {
        if (check_present(cfg->data, cfg) != GCN_OK || check_present(cfg->graph, cfg) != GCN_OK)
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
