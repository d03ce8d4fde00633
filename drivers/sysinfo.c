/* sysinfo.c: hardware through hwloc, software from the build defines and OpenBLAS (see
 * sysinfo.h). The OpenBLAS query functions are declared here rather than through cblas.h:
 * every libopenblas exports them, but not every cblas.h declares them. */
#include "sysinfo.h"

#include <hwloc.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "base/error.h"
#include "gcnrun_build.h"
#include "gcnrun_git.h"

#ifndef GCNRUN_STARPU_VERSION
#define GCNRUN_STARPU_VERSION "unknown"
#endif

char *openblas_get_config(void);
char *openblas_get_corename(void);
int openblas_get_num_threads(void);

/* Copies s (may be NULL) into dst, trimmed of surrounding white space; "unknown" when empty. */
static void set_text(char *dst, size_t cap, const char *s)
{
    if (!s)
        s = "";
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n'))
        n--;
    if (n == 0)
        snprintf(dst, cap, "unknown");
    else
        snprintf(dst, cap, "%.*s", (int)n, s);
}

/* "model name" from /proc/cpuinfo into dst; 0 when absent (e.g. on arm64). */
static int cpuinfo_model(char *dst, size_t cap)
{
    char line[512];
    int found = 0;
    FILE *f = fopen("/proc/cpuinfo", "r");
    if (!f)
        return 0;
    while (!found && fgets(line, sizeof line, f)) {
        if (strncmp(line, "model name", 10) == 0) {
            const char *colon = strchr(line, ':');
            if (colon) {
                set_text(dst, cap, colon + 1);
                found = 1;
            }
        }
    }
    fclose(f);
    return found;
}

/* Size and count of the caches of one hwloc type. */
static void cache_level(hwloc_topology_t topo, hwloc_obj_type_t type, uint64_t *bytes,
                        int *count)
{
    const int n = hwloc_get_nbobjs_by_type(topo, type);
    *count = n > 0 ? n : 0;
    *bytes = 0;
    for (int i = 0; i < n; i++) {
        hwloc_obj_t o = hwloc_get_obj_by_type(topo, type, (unsigned)i);
        if (o && o->attr && o->attr->cache.type != HWLOC_OBJ_CACHE_INSTRUCTION) {
            *bytes = o->attr->cache.size;
            break;
        }
    }
}

int gcn_sysinfo_collect(struct gcn_sysinfo *si)
{
    hwloc_topology_t topo = NULL;
    int rc = GCN_OK;

    memset(si, 0, sizeof *si);
    snprintf(si->cpu_model, sizeof si->cpu_model, "unknown");

    if (hwloc_topology_init(&topo) != 0) {
        topo = NULL;
        rc = gcn_fail("hwloc could not initialize a topology; hardware fields are "
                      "incomplete");
    } else if (hwloc_topology_load(topo) != 0) {
        rc = gcn_fail("hwloc could not load this machine's topology; hardware fields are "
                      "incomplete");
    } else {
        hwloc_obj_t pkg = hwloc_get_obj_by_type(topo, HWLOC_OBJ_PACKAGE, 0);
        const char *model = pkg ? hwloc_obj_get_info_by_name(pkg, "CPUModel") : NULL;
        if (model && model[0])
            set_text(si->cpu_model, sizeof si->cpu_model, model);
        si->packages = hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_PACKAGE);
        si->cores = hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_CORE);
        si->threads = hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_PU);
        si->numa_nodes = hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_NUMANODE);
        cache_level(topo, HWLOC_OBJ_L1CACHE, &si->l1d_bytes, &si->l1d_count);
        cache_level(topo, HWLOC_OBJ_L2CACHE, &si->l2_bytes, &si->l2_count);
        cache_level(topo, HWLOC_OBJ_L3CACHE, &si->l3_bytes, &si->l3_count);
        si->memory_bytes = hwloc_get_root_obj(topo)->total_memory;
    }
    if (topo)
        hwloc_topology_destroy(topo);

    if (strcmp(si->cpu_model, "unknown") == 0)
        cpuinfo_model(si->cpu_model, sizeof si->cpu_model);
    const long online = sysconf(_SC_NPROCESSORS_ONLN);
    if (si->threads < 1)
        si->threads = online > 0 ? (int)online : 1;
    if (si->cores < 1)
        si->cores = si->threads;
    if (si->memory_bytes == 0) {
        const long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
        if (pages > 0 && page > 0)
            si->memory_bytes = (uint64_t)pages * (uint64_t)page;
    }
    if (gethostname(si->hostname, sizeof si->hostname - 1) != 0)
        snprintf(si->hostname, sizeof si->hostname, "unknown");
    struct utsname u;
    if (uname(&u) == 0)
        snprintf(si->os, sizeof si->os, "%.60s %.120s %.60s", u.sysname, u.release, u.machine);
    else
        snprintf(si->os, sizeof si->os, "unknown");

    set_text(si->gcnrun_version, sizeof si->gcnrun_version, GCNRUN_VERSION);
    set_text(si->git_commit, sizeof si->git_commit, GCNRUN_GIT_COMMIT);
    set_text(si->starpu_version, sizeof si->starpu_version, GCNRUN_STARPU_VERSION);
    set_text(si->openblas_config, sizeof si->openblas_config, openblas_get_config());
    set_text(si->openblas_corename, sizeof si->openblas_corename, openblas_get_corename());
    si->openblas_threads = openblas_get_num_threads();
    set_text(si->compiler, sizeof si->compiler, GCNRUN_COMPILER);
    return rc;
}

void gcn_sysinfo_json(const struct gcn_sysinfo *si, struct gcn_json *j)
{
    gcn_json_key(j, "hardware");
    gcn_json_begin_object(j);
    gcn_json_kv_string(j, "cpu_model", si->cpu_model);
    gcn_json_kv_int(j, "packages", si->packages);
    gcn_json_kv_int(j, "cores", si->cores);
    gcn_json_kv_int(j, "threads", si->threads);
    gcn_json_kv_int(j, "numa_nodes", si->numa_nodes);
    gcn_json_key(j, "caches");
    gcn_json_begin_object(j);
    gcn_json_kv_uint(j, "l1d_bytes", si->l1d_bytes);
    gcn_json_kv_int(j, "l1d_count", si->l1d_count);
    gcn_json_kv_uint(j, "l2_bytes", si->l2_bytes);
    gcn_json_kv_int(j, "l2_count", si->l2_count);
    gcn_json_kv_uint(j, "l3_bytes", si->l3_bytes);
    gcn_json_kv_int(j, "l3_count", si->l3_count);
    gcn_json_end_object(j);
    gcn_json_kv_uint(j, "memory_bytes", si->memory_bytes);
    gcn_json_kv_string(j, "hostname", si->hostname);
    gcn_json_kv_string(j, "os", si->os);
    gcn_json_end_object(j);

    gcn_json_key(j, "software");
    gcn_json_begin_object(j);
    gcn_json_kv_string(j, "gcnrun_version", si->gcnrun_version);
    gcn_json_kv_string(j, "git_commit", si->git_commit);
    gcn_json_kv_string(j, "starpu_version", si->starpu_version);
    gcn_json_kv_string(j, "openblas_config", si->openblas_config);
    gcn_json_kv_string(j, "openblas_corename", si->openblas_corename);
    gcn_json_kv_int(j, "openblas_threads", si->openblas_threads);
    gcn_json_kv_string(j, "compiler", si->compiler);
    gcn_json_end_object(j);
}

char *gcn_format_bytes(char *buf, size_t cap, uint64_t bytes)
{
    static const char *const units[] = { "KiB", "MiB", "GiB", "TiB" };
    if (bytes < 1024) {
        snprintf(buf, cap, "%" PRIu64 " B", bytes);
        return buf;
    }
    double v = (double)bytes / 1024.0;
    int u = 0;
    while (v >= 1024.0 && u < 3) {
        v /= 1024.0;
        u++;
    }
    if (v == (double)(uint64_t)v)
        snprintf(buf, cap, "%.0f %s", v, units[u]);
    else
        snprintf(buf, cap, v < 10.0 ? "%.2f %s" : "%.1f %s", v, units[u]);
    return buf;
}

void gcn_sysinfo_print(const struct gcn_sysinfo *si, FILE *out)
{
    char a[32], b[32], c[32], m[32];
    fprintf(out, "cpu         %s (%d core%s, %d thread%s", si->cpu_model, si->cores,
            si->cores == 1 ? "" : "s", si->threads, si->threads == 1 ? "" : "s");
    if (si->packages > 1)
        fprintf(out, ", %d sockets", si->packages);
    if (si->numa_nodes > 1)
        fprintf(out, ", %d NUMA nodes", si->numa_nodes);
    fprintf(out, ")\n");
    fprintf(out, "caches      L1d %s x%d, L2 %s x%d, L3 %s x%d\n",
            gcn_format_bytes(a, sizeof a, si->l1d_bytes), si->l1d_count,
            gcn_format_bytes(b, sizeof b, si->l2_bytes), si->l2_count,
            gcn_format_bytes(c, sizeof c, si->l3_bytes), si->l3_count);
    fprintf(out, "memory      %s on %s (%s)\n", gcn_format_bytes(m, sizeof m, si->memory_bytes),
            si->hostname, si->os);
    fprintf(out, "software    gcnrun %s (git %s), StarPU %s, %s (core %s, %d thread%s), %s\n",
            si->gcnrun_version, si->git_commit, si->starpu_version, si->openblas_config,
            si->openblas_corename, si->openblas_threads, si->openblas_threads == 1 ? "" : "s",
            si->compiler);
}
