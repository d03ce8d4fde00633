/* sysinfo.h: the hardware and software a run used, for result files and reports (DESIGN §5:
 * every result row carries the CPU model and core count from hwloc, the git commit, StarPU
 * and OpenBLAS versions and the compiler).
 *
 * Hardware comes from hwloc (restricted to the CPUs this process may use, as in a cgroup),
 * with /proc/cpuinfo and sysconf as fallbacks; software from the build (gcnrun_build.h) and
 * from OpenBLAS at run time. Drivers never include <starpu.h>: the StarPU version is the one
 * the build was configured against (GCNRUN_STARPU_VERSION). */
#ifndef GCNRUN_SYSINFO_H
#define GCNRUN_SYSINFO_H

#include <stdint.h>
#include <stdio.h>

#include "json.h"

struct gcn_sysinfo {
    /* hardware */
    char cpu_model[256];          /* e.g. "AMD EPYC 7B13 64-Core Processor"; "unknown" */
    int packages;                 /* sockets (0 when unknown) */
    int cores;                    /* physical cores usable by this process (>= 1) */
    int threads;                  /* hardware threads (PUs) usable by this process (>= 1) */
    int numa_nodes;               /* NUMA nodes (0 when unknown) */
    uint64_t l1d_bytes;           /* size of one L1 data cache (0 when unknown) */
    uint64_t l2_bytes;            /* size of one L2 cache (0 when unknown) */
    uint64_t l3_bytes;            /* size of one L3 cache (0 when unknown) */
    int l1d_count, l2_count, l3_count; /* instances of each cache level */
    uint64_t memory_bytes;        /* total memory of the machine (0 when unknown) */
    char hostname[256];           /* this machine's host name */
    char os[256];                 /* "Linux 6.1.0 x86_64" (uname) */
    /* software */
    char gcnrun_version[32];      /* GCNRUN_VERSION */
    char git_commit[64];          /* GCNRUN_GIT_COMMIT ("unknown" outside a git checkout) */
    char starpu_version[32];      /* GCNRUN_STARPU_VERSION, the build's StarPU */
    char openblas_config[256];    /* openblas_get_config(): version, arch, MAX_THREADS */
    char openblas_corename[64];   /* openblas_get_corename(): kernel set, e.g. "Haswell" */
    int openblas_threads;         /* openblas_get_num_threads() when collected */
    char compiler[128];           /* GCNRUN_COMPILER, e.g. "gcc 12.2.0" */
};

/* Fills si. Never fails hard: anything hwloc cannot tell is taken from /proc/cpuinfo and
 * sysconf or left "unknown" / 0, and cores and threads are at least 1. Returns GCN_ERR (with
 * a message, si still filled) only when hwloc could not load the topology at all; callers may
 * print it as a warning and go on. Collect after setting the OpenBLAS thread count if
 * openblas_threads should show the value used. */
int gcn_sysinfo_collect(struct gcn_sysinfo *si);

/* Writes two members into the object j is inside:
 *   "hardware": {cpu_model, packages, cores, threads, numa_nodes, caches: {l1d_bytes,
 *                l1d_count, l2_bytes, l2_count, l3_bytes, l3_count}, memory_bytes,
 *                hostname, os}
 *   "software": {gcnrun_version, git_commit, starpu_version, openblas_config,
 *                openblas_corename, openblas_threads, compiler}
 * (docs/result-schema.md documents each.) */
void gcn_sysinfo_json(const struct gcn_sysinfo *si, struct gcn_json *j);

/* Writes a few human-readable lines ("cpu       AMD EPYC ... (2 cores, 4 threads)", caches,
 * memory, software versions). */
void gcn_sysinfo_print(const struct gcn_sysinfo *si, FILE *out);

/* Formats a byte count as "512 B", "48 KiB", "1.5 MiB", "12.3 GiB" into buf. Returns buf. */
char *gcn_format_bytes(char *buf, size_t cap, uint64_t bytes);

#endif
