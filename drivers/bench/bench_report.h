/* bench_report.h: gcnbench's report (issue 5): every CSV, summary.md and plot of a results
 * folder, rebuilt from OUT/runs/<id>.json and OUT/bench.ini alone, so results from several
 * machines or days can be merged by copying run files into one runs/ folder. The runner
 * (drivers/bench/gcnbench.c) calls it after the matrix and for `gcnbench report DIR`. What each
 * file holds: bench_csv.h (CSVs), bench_summary.h (summary.md), bench_plot.h (plots),
 * bench_targets.h ([targets]), bench_compare.h (--compare-to). */
#ifndef GCNRUN_BENCH_REPORT_H
#define GCNRUN_BENCH_REPORT_H

/* Rebuild every CSV, summary.md and plot in dir from dir/runs/<id>.json and dir/bench.ini.
 * compare_to: NULL, or an older results dir whose runs are compared (regressions marked in
 * summary.md and a regressions.csv). plots: 0 to skip gnuplot (tests).
 * Returns GCN_OK, or GCN_ERR with a message (gcn_last_error()) naming the file at fault:
 * a run file that cannot be read or parsed, a bad [targets] line, an output that cannot be
 * written, gnuplot failing (a missing gnuplot is no error: summary.md and stderr say so).
 * When gnuplot fails, every table and summary.md are still written before GCN_ERR. */
int bench_report_build(const char *dir, const char *compare_to, int plots);

#endif
