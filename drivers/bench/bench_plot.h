/* bench_plot.h: gcnbench's plots through gnuplot, each as PNG (pngcairo, else gnuplot's
 * libgd png) and SVG: speedup vs workers with the ideal line (local[N] as a line at N,
 * mpi[RxN] as labelled points at R x N), parallel efficiency,
 * stacked compute / communication / overhead shares, training loss curves (mean over
 * seeds) of the matrix configurations overlaid, peak memory, and one epoch-time chart per
 * sweep. The data files and the gnuplot script are kept in DIR/plots-data/ (so a plot can
 * be restyled by hand: `cd DIR/plots-data && gnuplot plots.gp`); gnuplot draws into
 * temporary files there that are renamed into DIR once it succeeded, so every plot file
 * appears whole or not at all. */
#ifndef GCNRUN_BENCH_PLOT_H
#define GCNRUN_BENCH_PLOT_H

#include <stddef.h>

#include "bench_runs.h"

#define BENCH_PLOTS_MAX 16

struct bench_plots {
    size_t n;                           /* plots made */
    char name[BENCH_PLOTS_MAX][48];     /* their base names ("speedup"): DIR/NAME.png and
                                           DIR/NAME.svg exist */
    char title[BENCH_PLOTS_MAX][96];    /* what each shows, for summary.md */
    char note[256];                     /* why some or all plots are missing ("" when none) */
};

/* Draws every plot that has data (a plot with no ok run behind it is left out and says so
 * in out->note). gnuplot is looked up on PATH; when it is missing, out->note says so, one
 * line goes to stderr, nothing is drawn and GCN_OK is returned: the rest of the report does
 * not need it. Errors: the data files or script cannot be written (the path is named),
 * gnuplot cannot be started or exits with an error (its own messages are on stderr; the
 * script is named), a plot file cannot be moved into dir. */
int bench_plots_write(const struct bench_set *set, const char *dir, struct bench_plots *out);

#endif
