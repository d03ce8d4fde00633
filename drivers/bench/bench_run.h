/* bench_run.h: one benchmark run as a fresh child process. gcnbench forks and execs gcnrun
 * with stdout and stderr on pipes: stdout carries gcnrun's plain progress lines ("epoch
 * 3/20 loss ... eta ...", progress.h), parsed for the epoch; stderr is kept for its last
 * line, the error message of a failed run. The child's peak memory and CPU time come from
 * wait4's rusage, so nothing of one run carries over into the next.
 *
 * Interruption: bench_signals_install routes SIGINT and SIGTERM to a flag and a self-pipe;
 * while a child runs, the first signal is forwarded to it (gcnrun stops after the current
 * epoch and writes no result), a second one kills it (SIGKILL). The caller reads
 * bench_stop_signal() between runs. */
#ifndef GCNRUN_BENCH_RUN_H
#define GCNRUN_BENCH_RUN_H

#include <stddef.h>
#include <stdint.h>

#include "bench_plan.h"

struct bench_child_result {
    int exit_status;         /* exit code when the child exited, -1 when a signal ended it */
    int term_signal;         /* the signal that ended it, 0 when it exited */
    double wall_s;           /* fork to wait4, loading included */
    double cpu_user_s;       /* wait4's ru_utime: user CPU time of all its threads */
    double cpu_sys_s;        /* wait4's ru_stime: system CPU time of all its threads */
    uint64_t peak_rss_bytes; /* wait4's ru_maxrss * 1024 */
    char last_stderr[512];   /* the child's last "gcnrun: ..." stderr line, else its last
                                non-empty one ("" when none) */
    size_t epoch;            /* epochs reported done by the last progress line (0: none) */
    size_t epochs;           /* epochs of the run, from the same line */
};

/* Called after every progress line of the child and about once a second in between, with
 * the last epoch seen (0 before the first) and the run's epochs (0 until known). */
typedef void (*bench_tick_fn)(void *arg, size_t epoch, size_t epochs);

/* Installs the SIGINT and SIGTERM handlers (flag + self-pipe, SA_RESTART off). Errors: the
 * self-pipe cannot be created. Call once, before the first bench_run_child. */
int bench_signals_install(void);

/* 0, or the first SIGINT / SIGTERM received since bench_signals_install. */
int bench_stop_signal(void);

/* Runs a->v (a->v[0] is the program, executed with execv, or looked up on PATH when
 * a->search_path is set) with this process's environment plus a->env to completion, calling
 * tick (may be NULL) as progress arrives, and fills res. A child that cannot be executed
 * exits 127 with the reason on its stderr, so it reads as a failed run. Errors (GCN_ERR): the
 * child cannot be started at all (pipe, fork, out of processes, out of memory). */
int bench_run_child(const struct bench_argv *a, bench_tick_fn tick, void *arg,
                    struct bench_child_result *res);

/* 1 when name is an executable regular file, its path then in path[cap]: name itself when
 * it holds a '/', else the first match in the folders of $PATH (/usr/bin:/bin when unset; an
 * empty entry is the current folder), as execvp would find it. 0 when there is none. */
int bench_find_program(const char *name, char *path, size_t cap);

/* The CPUs this process may run on (sched_getaffinity; sysconf's online CPUs when that
 * fails), at least 1: the cores a gcnrun child can use. */
int bench_online_cpus(void);

/* The error text of a run that did not exit 0: "killed by signal N (NAME)" when a signal
 * ended it, else the child's last stderr line, else "exit status N". */
void bench_child_error(const struct bench_child_result *res, char *buf, size_t cap);

#endif
