/* bench_report.c: gcnbench's report, the sequence of its parts (see bench_report.h): read
 * the runs and the targets first (so a bad input leaves every old output untouched), then
 * write the CSVs, the plots and summary.md last (it says which plots exist). */
#include "bench_report.h"

#include <stdio.h>
#include <string.h>

#include "bench_compare.h"
#include "bench_csv.h"
#include "bench_plot.h"
#include "bench_runs.h"
#include "bench_summary.h"
#include "bench_targets.h"
#include "base/error.h"

int bench_report_build(const char *dir, const char *compare_to, int plots)
{
    struct bench_set set = { 0 }, old = { 0 };
    struct bench_targets targets = { 0 };
    struct bench_comparison cmp = { 0 };
    struct bench_plots drawn = { 0 };
    char ini[4200], plot_error[1024] = "";
    const struct bench_summary_input in = {
        .set = &set, .ini_path = ini, .targets = &targets, .compare_to = compare_to,
        .cmp = &cmp, .plots_wanted = plots, .plots = &drawn,
    };
    int rc = GCN_ERR, plot_rc = GCN_OK;

    if (bench_set_load(&set, dir) != GCN_OK)
        goto done;
    snprintf(ini, sizeof ini, "%s/bench.ini", dir);
    if (bench_targets_load(&targets, ini) != GCN_OK)
        goto done;
    if (compare_to) {
        if (bench_set_load(&old, compare_to) != GCN_OK) {
            gcn_fail_prefix("--compare-to");
            goto done;
        }
        if (bench_compare(&old, &set, &cmp) != GCN_OK)
            goto done;
    }

    if (bench_csv_write_runs(&set, dir) != GCN_OK || bench_csv_write_summary(&set, dir) != GCN_OK ||
        bench_csv_write_comparison(&set, dir) != GCN_OK)
        goto done;
    if (compare_to && bench_csv_write_regressions(&cmp, dir) != GCN_OK)
        goto done;
    if (plots && (plot_rc = bench_plots_write(&set, dir, &drawn)) != GCN_OK) {
        snprintf(plot_error, sizeof plot_error, "%s", gcn_last_error());
        snprintf(drawn.note, sizeof drawn.note, "No plots: %s", plot_error);
    }
    if (bench_summary_write(dir, &in) != GCN_OK)
        goto done;
    if (plot_rc != GCN_OK) {
        gcn_fail("%s", plot_error); /* the plots' error, not a later success's message */
        goto done;
    }
    rc = GCN_OK;
done:
    bench_comparison_free(&cmp);
    bench_targets_free(&targets);
    bench_set_free(&old);
    bench_set_free(&set);
    return rc;
}
