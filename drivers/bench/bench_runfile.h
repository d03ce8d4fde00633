/* bench_runfile.h: the run files OUT/runs/<id>.json, read and written with json-c. A
 * finished run's file is gcnrun's --result object (docs/result-schema.md) plus one
 * top-level "bench" object (label, sweep, point, workers, ranks, seed, repeat,
 * wait4_peak_rss_bytes, wall_s, cpu_user_s, cpu_sys_s, online_cpus, cores_used, utilization,
 * status, error, command; docs/result-schema.md); a failed run's file is a minimal
 * object {"schema_version", "status": "error", "error", "workers", "seed", "bench"}. The
 * report (drivers/bench/bench_report.h) rebuilds everything from these files alone. Files are
 * written atomically (drivers/atomic.h). */
#ifndef GCNRUN_BENCH_RUNFILE_H
#define GCNRUN_BENCH_RUNFILE_H

#include <stddef.h>
#include <stdint.h>

#include "bench_plan.h"

/* What gcnbench knows about one run besides gcnrun's result. */
struct bench_run_record {
    const struct bench_run_spec *spec; /* label, sweep, point, workers, seed, repeat */
    uint64_t peak_rss_bytes;           /* wait4's ru_maxrss * 1024 */
    double wall_s;                     /* the child's wall time, loading included */
    double cpu_user_s, cpu_sys_s;      /* its CPU time from wait4 (ru_utime, ru_stime) */
    int online_cpus;                   /* bench_online_cpus() */
    const char *command;               /* the gcnrun command line */
    const char *error;                 /* NULL for a finished run, else the error text */
};

/* Writes dest atomically. For a finished run (rec->error NULL) result is gcnrun's result
 * file, read and merged with the bench object; for a failed run result is ignored and the
 * minimal error object is written. The bench object's cores_used is bench_cores_used of the
 * run's workers (R x N for mpi[RxN]), the result's blas_threads and rec->online_cpus, and its
 * utilization the CPU time over wall_s x cores_used; each is left out when it cannot be known
 * (a failed sequential run has no blas_threads; a zero wall time). Errors: result missing or not a
 * JSON object ("gcnrun wrote no readable result ..."), dest not writable: one line, dest
 * untouched. */
int bench_runfile_write(const char *dest, const char *result,
                        const struct bench_run_record *rec);

/* 1 when path holds a finished run of exactly this command (status "ok" at the top and in
 * bench, bench.command equal to command), so --resume may skip it; 0 otherwise (missing,
 * unreadable, failed, or a different command). */
int bench_runfile_done(const char *path, const char *command);

/* Number of "*.json" files in folder dir (0 when dir does not exist); -1 with a message
 * when it cannot be read. */
long bench_runfile_count(const char *dir);

#endif
