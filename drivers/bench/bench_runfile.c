/* bench_runfile.c: run files with json-c (see bench_runfile.h). gcnrun's result is parsed
 * and written back through json-c, which keeps every number's original text, so the
 * measured values in a run file are byte for byte those gcnrun wrote. */
#include "bench_runfile.h"

#include <dirent.h>
#include <errno.h>
#include <json-c/json.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "bench_stats.h"
#include "drivers/atomic.h"
#include "base/error.h"

/* A number with the text fmt gives it (json-c writes that text as it is). */
static json_object *number(const char *fmt, double v)
{
    char text[48];
    snprintf(text, sizeof text, fmt, v);
    return json_object_new_double_s(v, text);
}

/* The "bench" object of rec; cores: bench_cores_used's (0: unknown, left out). NULL when out
 * of memory. */
static json_object *bench_object(const struct bench_run_record *rec, int cores)
{
    const struct bench_run_spec *s = rec->spec;
    const double util = bench_utilization(rec->cpu_user_s + rec->cpu_sys_s, rec->wall_s, cores);
    json_object *b = json_object_new_object();
    if (!b)
        return NULL;
    int bad = 0;
    bad |= json_object_object_add(b, "label", json_object_new_string(s->label));
    bad |= json_object_object_add(b, "sweep", json_object_new_string(s->sweep));
    bad |= json_object_object_add(b, "point", json_object_new_string(s->point));
    bad |= json_object_object_add(b, "workers", json_object_new_int(s->workers));
    bad |= json_object_object_add(b, "ranks", json_object_new_int(s->ranks));
    bad |= json_object_object_add(b, "seed", json_object_new_uint64(s->seed));
    bad |= json_object_object_add(b, "repeat", json_object_new_int64((int64_t)s->repeat));
    bad |= json_object_object_add(b, "wait4_peak_rss_bytes",
                                  json_object_new_uint64(rec->peak_rss_bytes));
    bad |= json_object_object_add(b, "wall_s", number("%.6f", rec->wall_s));
    bad |= json_object_object_add(b, "cpu_user_s", number("%.6f", rec->cpu_user_s));
    bad |= json_object_object_add(b, "cpu_sys_s", number("%.6f", rec->cpu_sys_s));
    bad |= json_object_object_add(b, "online_cpus", json_object_new_int(rec->online_cpus));
    if (cores > 0)
        bad |= json_object_object_add(b, "cores_used", json_object_new_int(cores));
    if (isfinite(util))
        bad |= json_object_object_add(b, "utilization", number("%.4f", util));
    bad |= json_object_object_add(b, "status",
                                  json_object_new_string(rec->error ? "error" : "ok"));
    if (rec->error)
        bad |= json_object_object_add(b, "error", json_object_new_string(rec->error));
    bad |= json_object_object_add(b, "command", json_object_new_string(rec->command));
    if (bad) {
        json_object_put(b);
        return NULL;
    }
    return b;
}

/* The minimal object of a failed run. NULL when out of memory. */
static json_object *error_object(const struct bench_run_record *rec)
{
    json_object *o = json_object_new_object();
    if (!o)
        return NULL;
    int bad = 0;
    bad |= json_object_object_add(o, "schema_version", json_object_new_int(1));
    bad |= json_object_object_add(o, "status", json_object_new_string("error"));
    bad |= json_object_object_add(o, "error", json_object_new_string(rec->error));
    bad |= json_object_object_add(o, "workers", json_object_new_int(rec->spec->workers));
    bad |= json_object_object_add(o, "seed", json_object_new_uint64(rec->spec->seed));
    if (bad) {
        json_object_put(o);
        return NULL;
    }
    return o;
}

int bench_runfile_write(const char *dest, const char *result,
                        const struct bench_run_record *rec)
{
    json_object *o = NULL, *b = NULL;
    struct gcn_atomic_file a;
    int rc = GCN_ERR;

    if (rec->error) {
        o = error_object(rec);
        if (!o) {
            gcn_fail("out of memory writing run file %s", dest);
            goto done;
        }
    } else {
        o = json_object_from_file(result);
        if (!o) {
            gcn_fail("gcnrun wrote no readable result %s: %s", result,
                     json_util_get_last_err() ? json_util_get_last_err() : "unknown error");
            goto done;
        }
        if (!json_object_is_type(o, json_type_object)) {
            gcn_fail("gcnrun's result %s is not a JSON object", result);
            goto done;
        }
    }
    /* the sequential baseline uses its BLAS threads, which only its result tells */
    json_object *bt;
    int blas_threads = 0;
    if (o && !rec->error && json_object_object_get_ex(o, "blas_threads", &bt) &&
        json_object_is_type(bt, json_type_int))
        blas_threads = json_object_get_int(bt);
    /* an mpi[RxN] run's R ranks of N workers each share the machine's cores */
    const struct bench_run_spec *s = rec->spec;
    const int workers = s->ranks > 0 ? s->ranks * s->workers : s->workers;
    b = bench_object(rec, bench_cores_used(workers, blas_threads, rec->online_cpus));
    if (!b || json_object_object_add(o, "bench", b) != 0) {
        json_object_put(b);
        gcn_fail("out of memory writing run file %s", dest);
        goto done;
    }
    const char *text = json_object_to_json_string_ext(
        o, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED | JSON_C_TO_STRING_NOSLASHESCAPE);
    if (!text) {
        gcn_fail("out of memory writing run file %s", dest);
        goto done;
    }
    if (gcn_atomic_open(&a, dest, "run file") != GCN_OK)
        goto done;
    fputs(text, a.f);
    fputc('\n', a.f);
    rc = gcn_atomic_commit(&a);
done:
    json_object_put(o);
    return rc;
}

/* The string member key of o, or "" when absent or not a string. */
static const char *member_string(json_object *o, const char *key)
{
    json_object *v;
    if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_string))
        return "";
    return json_object_get_string(v);
}

int bench_runfile_done(const char *path, const char *command)
{
    json_object *o = json_object_from_file(path), *b;
    int done = o && json_object_is_type(o, json_type_object) &&
               strcmp(member_string(o, "status"), "ok") == 0 &&
               json_object_object_get_ex(o, "bench", &b) &&
               json_object_is_type(b, json_type_object) &&
               strcmp(member_string(b, "status"), "ok") == 0 &&
               strcmp(member_string(b, "command"), command) == 0;
    json_object_put(o);
    return done;
}

long bench_runfile_count(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) {
        if (errno == ENOENT)
            return 0;
        gcn_fail("cannot read folder %s: %s", dir, strerror(errno));
        return -1;
    }
    long n = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t len = strlen(e->d_name);
        if (len > 5 && strcmp(e->d_name + len - 5, ".json") == 0)
            n++;
    }
    closedir(d);
    return n;
}
