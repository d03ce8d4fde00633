/* bench_runs.c: reading a gcnbench results folder (runs/<id>.json through json-c), grouping
 * the runs into configurations, ordering them and computing their statistics (see
 * bench_runs.h). */
#include "bench_runs.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <json-c/json.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"

const char *const bench_metric_names[BM_COUNT] = {
    [BM_TOTAL_TIME] = "total_time_s",
    [BM_EPOCH_TIME] = "epoch_time_mean_s",
    [BM_COMPUTE] = "compute_s",
    [BM_COMMUNICATION] = "communication_s",
    [BM_OVERHEAD] = "overhead_s",
    [BM_TEST_F1_MICRO] = "test_f1_micro",
    [BM_TEST_F1_MACRO] = "test_f1_macro",
    [BM_PEAK_RSS] = "peak_rss_bytes",
    [BM_THROUGHPUT] = "throughput_edges_per_s",
    [BM_SHUFFLE_BYTES] = "shuffle_bytes",
    [BM_EDGE_CUT] = "edge_cut",
    [BM_FINAL_LOSS] = "final_loss",
    [BM_WALL] = "wall_s",
    [BM_CPU_USER] = "cpu_user_s",
    [BM_CPU_SYS] = "cpu_sys_s",
    [BM_CORES_USED] = "cores_used",
    [BM_UTILIZATION] = "utilization",
    [BM_NET_BYTES] = "network_bytes_per_epoch",
    [BM_NET_PREDICTED] = "network_predicted_bytes_per_epoch",
    [BM_NET_SECONDS] = "network_seconds_per_epoch",
};

/* Appended to every message about a bad run file. */
#define FIX_RUN "fix or delete the file, then run `gcnbench report` on the folder again"

/* The whole file at path into a NUL-terminated heap buffer. */
static int slurp(const char *path, char **out, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t cap = 0, n = 0;
    int rc = GCN_ERR;

    if (!f)
        return gcn_fail("%s: cannot open run file: %s", path, strerror(errno));
    for (;;) {
        if (n + 4096 + 1 > cap) {
            size_t ncap = 2 * cap + 65536;
            char *nb = realloc(buf, ncap);
            if (!nb) {
                gcn_fail("%s: out of memory reading the run file", path);
                goto done;
            }
            buf = nb;
            cap = ncap;
        }
        size_t got = fread(buf + n, 1, cap - n - 1, f);
        n += got;
        if (got == 0)
            break;
    }
    if (ferror(f)) {
        gcn_fail("%s: read error: %s", path, strerror(errno));
        goto done;
    }
    buf[n] = '\0';
    *out = buf;
    *len = n;
    buf = NULL;
    rc = GCN_OK;
done:
    free(buf);
    fclose(f);
    return rc;
}

/* Parses text as exactly one JSON object (blank space around it allowed). */
static int parse_object(const char *path, const char *text, size_t len,
                        struct json_object **out)
{
    struct json_tokener *tok = json_tokener_new();
    struct json_object *root = NULL;
    int rc = GCN_ERR;

    if (!tok)
        return gcn_fail("%s: out of memory parsing the run file", path);
    root = json_tokener_parse_ex(tok, text, (int)len);
    enum json_tokener_error jerr = json_tokener_get_error(tok);
    size_t end = json_tokener_get_parse_end(tok);
    if (jerr == json_tokener_continue || (!root && jerr == json_tokener_success)) {
        gcn_fail("%s: not valid JSON: the text ends before the object does (a truncated "
                 "file?); " FIX_RUN, path);
        goto done;
    }
    if (jerr != json_tokener_success) {
        gcn_fail("%s: not valid JSON at byte %zu: %s; " FIX_RUN, path, end,
                 json_tokener_error_desc(jerr));
        goto done;
    }
    while (end < len && isspace((unsigned char)text[end]))
        end++;
    if (end < len) {
        gcn_fail("%s: not valid JSON: extra text after the object at byte %zu; " FIX_RUN, path,
                 end);
        goto done;
    }
    if (!json_object_is_type(root, json_type_object)) {
        gcn_fail("%s: the JSON is not an object; a run file holds one gcnrun --result "
                 "object; " FIX_RUN, path);
        goto done;
    }
    *out = root;
    root = NULL;
    rc = GCN_OK;
done:
    json_object_put(root);
    json_tokener_free(tok);
    return rc;
}

/* o[key] as a number: 1 when present (null reads NaN), 0 when absent, -1 when another type. */
static int get_number(struct json_object *o, const char *key, double *v)
{
    struct json_object *x;
    if (!json_object_object_get_ex(o, key, &x))
        return 0;
    if (json_object_is_type(x, json_type_null)) {
        *v = NAN;
        return 1;
    }
    if (!json_object_is_type(x, json_type_double) && !json_object_is_type(x, json_type_int))
        return -1;
    *v = json_object_get_double(x);
    return 1;
}

/* o[key] as an integer: 1 present, 0 absent, -1 another type. */
static int get_int(struct json_object *o, const char *key, int64_t *v)
{
    struct json_object *x;
    if (!json_object_object_get_ex(o, key, &x))
        return 0;
    if (!json_object_is_type(x, json_type_int))
        return -1;
    *v = json_object_get_int64(x);
    return 1;
}

/* o[key] as a string copied into dst[cap]: 1 present, 0 absent, -1 another type or too
 * long. */
static int get_string(struct json_object *o, const char *key, char *dst, size_t cap)
{
    struct json_object *x;
    if (!json_object_object_get_ex(o, key, &x))
        return 0;
    if (!json_object_is_type(x, json_type_string))
        return -1;
    const char *s = json_object_get_string(x);
    if (strlen(s) >= cap)
        return -1;
    memcpy(dst, s, strlen(s) + 1);
    return 1;
}

static int fail_key(const char *path, const char *where, const char *key, const char *want,
                    int got)
{
    return gcn_fail("%s: %s\"%s\" is %s (expected %s); " FIX_RUN, path, where, key,
                    got == 0 ? "missing" : "of the wrong type or too long", want);
}

/* The "bench" object's fields into r. */
static int read_bench(struct bench_run *r, const char *path, struct json_object *root)
{
    struct json_object *b;
    int64_t v;
    int g;
    char status[16] = "";

    if (!json_object_object_get_ex(root, "bench", &b) ||
        !json_object_is_type(b, json_type_object))
        return gcn_fail("%s: no \"bench\" object: not a run file written by gcnbench; "
                        FIX_RUN, path);
    if ((g = get_string(b, "label", r->label, sizeof r->label)) != 1 || !r->label[0])
        return fail_key(path, "bench.", "label", "a non-empty string", g);
    if ((g = get_string(b, "sweep", r->sweep, sizeof r->sweep)) != 1 || !r->sweep[0])
        return fail_key(path, "bench.", "sweep", "\"matrix\" or a sweep name", g);
    if ((g = get_string(b, "point", r->point, sizeof r->point)) < 0)
        return fail_key(path, "bench.", "point", "a string", g);
    if ((g = get_int(b, "workers", &v)) != 1 || v < 0 || v > 1 << 20)
        return fail_key(path, "bench.", "workers", "an integer >= 0", g == 1 ? -1 : g);
    r->workers = (int)v;
    v = 0; /* absent from run files written before gcnbench ran mpi configurations */
    if ((g = get_int(b, "ranks", &v)) < 0 || v < 0 || v > 1 << 20)
        return fail_key(path, "bench.", "ranks", "an integer >= 0", -1);
    r->ranks = (int)v;
    if ((g = get_int(b, "seed", &r->seed)) != 1)
        return fail_key(path, "bench.", "seed", "an integer", g);
    v = 0;
    if ((g = get_int(b, "repeat", &v)) < 0 || v < 0 || v > 1 << 20)
        return fail_key(path, "bench.", "repeat", "an integer >= 0", -1);
    r->repeat = (int)v;
    /* bench.status is the runner's word; the top-level one the same for failed runs */
    if ((g = get_string(b, "status", status, sizeof status)) == 0)
        g = get_string(root, "status", status, sizeof status);
    if (g != 1 || (strcmp(status, "ok") != 0 && strcmp(status, "error") != 0))
        return fail_key(path, "bench.", "status", "\"ok\" or \"error\"", g == 1 ? -1 : g);
    r->ok = strcmp(status, "ok") == 0;
    if (!r->ok) {
        char *e = r->error;
        if (get_string(b, "error", e, sizeof r->error) != 1 &&
            get_string(root, "error", e, sizeof r->error) != 1)
            snprintf(e, sizeof r->error, "(no error message recorded)");
    }
    double rss;
    if (get_number(b, "wait4_peak_rss_bytes", &rss) == 1)
        r->m[BM_PEAK_RSS] = rss;
    double wall;
    if (get_number(b, "wall_s", &wall) == 1)
        r->m[BM_WALL] = wall;
    /* CPU time and utilization: absent from run files written before gcnbench measured them,
       which leaves them NaN (shown as "–", never guessed) */
    static const struct { enum bench_metric m; const char *key; } cpu[] = {
        { BM_CPU_USER, "cpu_user_s" },       { BM_CPU_SYS, "cpu_sys_s" },
        { BM_CORES_USED, "cores_used" },     { BM_UTILIZATION, "utilization" },
    };
    for (size_t i = 0; i < sizeof cpu / sizeof cpu[0]; i++) {
        if ((g = get_number(b, cpu[i].key, &r->m[cpu[i].m])) < 0 ||
            (g == 1 && r->m[cpu[i].m] < 0))
            return fail_key(path, "bench.", cpu[i].key, "a number >= 0", -1);
    }
    if (isnan(r->m[BM_UTILIZATION]) && r->m[BM_CORES_USED] >= 1 &&
        r->m[BM_CORES_USED] <= 1 << 20)
        r->m[BM_UTILIZATION] =
            bench_utilization(r->m[BM_CPU_USER] + r->m[BM_CPU_SYS], r->m[BM_WALL],
                              (int)r->m[BM_CORES_USED]);
    return GCN_OK;
}

/* The metrics of an ok run. */
static int read_metrics(struct bench_run *r, const char *path, struct json_object *root)
{
    static const struct { enum bench_metric m; const char *key; } required[] = {
        { BM_TOTAL_TIME, "total_time_s" },       { BM_EPOCH_TIME, "epoch_time_mean_s" },
        { BM_TEST_F1_MICRO, "test_f1_micro" },   { BM_TEST_F1_MACRO, "test_f1_macro" },
    };
    static const struct { enum bench_metric m; const char *key; } optional[] = {
        { BM_COMPUTE, "compute_s" },               { BM_COMMUNICATION, "communication_s" },
        { BM_OVERHEAD, "overhead_s" },             { BM_THROUGHPUT, "throughput_edges_per_s" },
        { BM_SHUFFLE_BYTES, "shuffle_bytes" },     { BM_EDGE_CUT, "edge_cut" },
        { BM_FINAL_LOSS, "final_loss" },
    };
    int g;
    for (size_t i = 0; i < sizeof required / sizeof required[0]; i++) {
        if ((g = get_number(root, required[i].key, &r->m[required[i].m])) != 1)
            return fail_key(path, "", required[i].key, "a number", g);
    }
    for (size_t i = 0; i < sizeof optional / sizeof optional[0]; i++) {
        if ((g = get_number(root, optional[i].key, &r->m[optional[i].m])) < 0)
            return fail_key(path, "", optional[i].key, "a number", g);
    }
    if (isnan(r->m[BM_PEAK_RSS]) && get_number(root, "peak_rss_bytes", &r->m[BM_PEAK_RSS]) < 0)
        return fail_key(path, "", "peak_rss_bytes", "a number", -1);
    if (r->workers == 0) {
        /* the sequential path is all compute: no runtime, no shuffle */
        int64_t timed = 0;
        if (isnan(r->m[BM_COMPUTE]) && get_int(root, "timed_epochs", &timed) == 1)
            r->m[BM_COMPUTE] = r->m[BM_EPOCH_TIME] * (double)timed;
        const enum bench_metric zero[] = { BM_COMMUNICATION, BM_OVERHEAD, BM_SHUFFLE_BYTES,
                                           BM_EDGE_CUT };
        for (size_t i = 0; i < sizeof zero / sizeof zero[0]; i++) {
            if (isnan(r->m[zero[i]]))
                r->m[zero[i]] = 0.0;
        }
    }
    if (get_string(root, "shuffle", r->shuffle, sizeof r->shuffle) < 0)
        return fail_key(path, "", "shuffle", "a string", -1);
    /* what a run under mpirun sent between its ranks */
    static const struct { enum bench_metric m; const char *key; } net[] = {
        { BM_NET_BYTES, "bytes_per_epoch" },
        { BM_NET_PREDICTED, "predicted_bytes_per_epoch" },
        { BM_NET_SECONDS, "seconds_per_epoch" },
    };
    struct json_object *no;
    if (json_object_object_get_ex(root, "network", &no)) {
        if (!json_object_is_type(no, json_type_object))
            return fail_key(path, "", "network", "an object", -1);
        for (size_t i = 0; i < sizeof net / sizeof net[0]; i++) {
            if (get_number(no, net[i].key, &r->m[net[i].m]) < 0)
                return fail_key(path, "network.", net[i].key, "a number", -1);
        }
    }
    struct json_object *hw, *x;
    if (json_object_object_get_ex(root, "hardware", &hw) &&
        json_object_object_get_ex(hw, "cores", &x) && json_object_is_type(x, json_type_int))
        r->cores = json_object_get_int(x);
    struct json_object *losses;
    if (json_object_object_get_ex(root, "losses", &losses)) {
        if (!json_object_is_type(losses, json_type_array))
            return fail_key(path, "", "losses", "a list of numbers", -1);
        size_t n = json_object_array_length(losses);
        if (n) {
            r->losses = malloc(n * sizeof *r->losses);
            if (!r->losses)
                return gcn_fail("%s: out of memory reading the losses", path);
            r->n_losses = n;
        }
        for (size_t e = 0; e < n; e++) {
            struct json_object *y = json_object_array_get_idx(losses, e);
            if (json_object_is_type(y, json_type_double) || json_object_is_type(y, json_type_int))
                r->losses[e] = json_object_get_double(y);
            else if (!y || json_object_is_type(y, json_type_null))
                r->losses[e] = NAN;
            else
                return fail_key(path, "", "losses", "a list of numbers", -1);
        }
    }
    return GCN_OK;
}

/* One run file into r (r zeroed by the caller). */
static int load_run(struct bench_run *r, const char *runs_dir, const char *name)
{
    char path[4400];
    char *text = NULL;
    size_t len = 0;
    int rc = GCN_ERR;

    snprintf(path, sizeof path, "%s/%s", runs_dir, name);
    snprintf(r->file, sizeof r->file, "%s", name);
    for (int m = 0; m < BM_COUNT; m++)
        r->m[m] = NAN;
    if (slurp(path, &text, &len) != GCN_OK)
        goto done;
    if (parse_object(path, text, len, &r->root) != GCN_OK)
        goto done;
    if (read_bench(r, path, r->root) != GCN_OK)
        goto done;
    if (r->ok && read_metrics(r, path, r->root) != GCN_OK)
        goto done;
    rc = GCN_OK;
done:
    free(text);
    return rc;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The sorted names of the *.json files in runs_dir (hidden files and the atomic writer's
 * "x.json.XXXXXX" temporaries are not run files). */
static int list_runs(const char *runs_dir, char ***names, size_t *n)
{
    DIR *d = opendir(runs_dir);
    char **list = NULL;
    size_t count = 0, cap = 0;
    struct dirent *e;

    *names = NULL;
    *n = 0;
    if (!d) {
        if (errno == ENOENT)
            return gcn_fail("%s: no such folder: not a gcnbench results folder (its runs/ "
                            "holds one JSON file per run); give the folder gcnbench wrote",
                            runs_dir);
        return gcn_fail("%s: cannot read the folder: %s", runs_dir, strerror(errno));
    }
    while ((e = readdir(d)) != NULL) {
        size_t len = strlen(e->d_name);
        if (e->d_name[0] == '.' || len < 6 || strcmp(e->d_name + len - 5, ".json") != 0)
            continue;
        if (len >= sizeof ((struct bench_run *)0)->file) {
            gcn_fail("%s/%s: file name too long for a run file; rename it", runs_dir,
                     e->d_name);
            goto fail;
        }
        if (count == cap) {
            char **nl = realloc(list, (cap ? 2 * cap : 64) * sizeof *nl);
            if (!nl) {
                gcn_fail("%s: out of memory listing the run files", runs_dir);
                goto fail;
            }
            list = nl;
            cap = cap ? 2 * cap : 64;
        }
        if (!(list[count] = strdup(e->d_name))) {
            gcn_fail("%s: out of memory listing the run files", runs_dir);
            goto fail;
        }
        count++;
    }
    closedir(d);
    if (count)
        qsort(list, count, sizeof *list, cmp_names);
    *names = list;
    *n = count;
    return GCN_OK;
fail:
    closedir(d);
    for (size_t i = 0; i < count; i++)
        free(list[i]);
    free(list);
    return GCN_ERR;
}

/* Report order of a sweep: the matrix, then the sweeps in the order gcnbench runs them. */
static int sweep_rank(const char *sweep)
{
    static const char *const order[] = { "matrix", "hidden", "layers", "forward_only",
                                         "partitioner" };
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
        if (strcmp(sweep, order[i]) == 0)
            return (int)i;
    }
    return (int)(sizeof order / sizeof order[0]);
}

/* Swept values compare as numbers when both are numbers, else as text. */
static int cmp_points(const char *a, const char *b)
{
    char *ea, *eb;
    double x = strtod(a, &ea), y = strtod(b, &eb);
    if (a[0] && b[0] && !*ea && !*eb && x != y)
        return x < y ? -1 : 1;
    return strcmp(a, b);
}

static int cmp_configs(const void *pa, const void *pb)
{
    const struct bench_group *a = pa, *b = pb;
    int ra = sweep_rank(a->sweep), rb = sweep_rank(b->sweep), c;
    if (ra != rb)
        return ra < rb ? -1 : 1;
    if ((c = strcmp(a->sweep, b->sweep)) != 0)
        return c;
    if ((c = cmp_points(a->point, b->point)) != 0)
        return c;
    /* local[N] (and sequential) before mpi[RxN]; those by R x N, then R */
    if ((a->ranks > 0) != (b->ranks > 0))
        return a->ranks > 0 ? 1 : -1;
    const int ta = bench_group_workers_total(a), tb = bench_group_workers_total(b);
    if (ta != tb)
        return ta < tb ? -1 : 1;
    if (a->ranks != b->ranks)
        return a->ranks < b->ranks ? -1 : 1;
    if (a->workers != b->workers)
        return a->workers < b->workers ? -1 : 1;
    return strcmp(a->label, b->label);
}

/* Groups set->runs by label into set->cfgs. */
static int group_runs(struct bench_set *set)
{
    set->cfgs = calloc(set->n_runs ? set->n_runs : 1, sizeof *set->cfgs);
    if (!set->cfgs)
        return gcn_fail("out of memory grouping the runs of %s", set->dir);
    for (size_t i = 0; i < set->n_runs; i++) {
        const struct bench_run *r = &set->runs[i];
        struct bench_group *c = NULL;
        for (size_t k = 0; k < set->n_cfgs && !c; k++) {
            if (strcmp(set->cfgs[k].label, r->label) == 0)
                c = &set->cfgs[k];
        }
        if (!c) {
            c = &set->cfgs[set->n_cfgs++];
            memcpy(c->label, r->label, sizeof c->label);
            memcpy(c->sweep, r->sweep, sizeof c->sweep);
            memcpy(c->point, r->point, sizeof c->point);
            c->workers = r->workers;
            c->ranks = r->ranks;
            c->same_model = strcmp(c->sweep, "matrix") == 0 ||
                            strcmp(c->sweep, "partitioner") == 0;
            c->runs = calloc(set->n_runs, sizeof *c->runs);
            if (!c->runs)
                return gcn_fail("out of memory grouping the runs of %s", set->dir);
        } else if (c->workers != r->workers || c->ranks != r->ranks ||
                   strcmp(c->sweep, r->sweep) != 0 || strcmp(c->point, r->point) != 0) {
            const struct bench_run *first = &set->runs[c->runs[0]];
            return gcn_fail("%s/runs: %s and %s share the label '%s' but differ in "
                            "workers, ranks, sweep or point; " FIX_RUN, set->dir, first->file,
                            r->file, r->label);
        }
        c->runs[c->n_runs++] = i;
        if (r->ok) {
            if (!c->n_ok) {
                c->cores = r->cores;
                snprintf(c->shuffle, sizeof c->shuffle, "%s", r->shuffle);
            }
            c->n_ok++;
        }
    }
    if (set->n_cfgs > 1)
        qsort(set->cfgs, set->n_cfgs, sizeof *set->cfgs, cmp_configs);
    return GCN_OK;
}

/* Statistics of every configuration, then the comparison with the sequential one. */
static int compute_stats(struct bench_set *set)
{
    double *x = malloc((set->n_runs ? set->n_runs : 1) * sizeof *x);
    if (!x)
        return gcn_fail("out of memory computing the statistics of %s", set->dir);
    for (size_t k = 0; k < set->n_cfgs; k++) {
        struct bench_group *c = &set->cfgs[k];
        for (int m = 0; m < BM_COUNT; m++) {
            size_t n = 0;
            for (size_t i = 0; i < c->n_runs; i++) {
                if (set->runs[c->runs[i]].ok)
                    x[n++] = set->runs[c->runs[i]].m[m];
            }
            bench_stat_compute(&c->st[m], x, n);
        }
        if (!set->seq && c->n_ok && c->workers == 0 && strcmp(c->sweep, "matrix") == 0)
            set->seq = c;
    }
    free(x);

    const struct bench_group *s = set->seq;
    for (size_t k = 0; k < set->n_cfgs; k++) {
        struct bench_group *c = &set->cfgs[k];
        const double comp = c->st[BM_COMPUTE].mean, comm = c->st[BM_COMMUNICATION].mean,
                     over = c->st[BM_OVERHEAD].mean, total = comp + comm + over;
        c->compute_pct = total > 0 ? 100.0 * comp / total : NAN;
        c->communication_pct = total > 0 ? 100.0 * comm / total : NAN;
        c->overhead_pct = total > 0 ? 100.0 * over / total : NAN;
        c->speedup = c->speedup_unc = c->speedup_ci_lo = c->speedup_ci_hi = NAN;
        c->efficiency = c->f1_diff_points = NAN;
        if (!s || !c->same_model || !c->n_ok)
            continue;
        if (c == s) {
            c->speedup = c->speedup_ci_lo = c->speedup_ci_hi = c->efficiency = 1.0;
            c->speedup_unc = c->f1_diff_points = 0.0;
            continue;
        }
        c->speedup = bench_ratio(&s->st[BM_EPOCH_TIME], &c->st[BM_EPOCH_TIME], &c->speedup_unc);
        size_t n_min = s->st[BM_EPOCH_TIME].n < c->st[BM_EPOCH_TIME].n
                           ? s->st[BM_EPOCH_TIME].n : c->st[BM_EPOCH_TIME].n;
        if (n_min >= 2) {
            const double h = bench_t975(n_min - 1) * c->speedup_unc;
            c->speedup_ci_lo = c->speedup - h;
            c->speedup_ci_hi = c->speedup + h;
        }
        const int workers = bench_group_workers_total(c);
        c->efficiency = c->speedup / (workers > 1 ? workers : 1);
        c->f1_diff_points =
            100.0 * fabs(c->st[BM_TEST_F1_MICRO].mean - s->st[BM_TEST_F1_MICRO].mean);
    }
    return GCN_OK;
}

int bench_set_load(struct bench_set *set, const char *dir)
{
    char runs_dir[4200];
    char **names = NULL;
    size_t n_names = 0;
    int rc = GCN_ERR;

    memset(set, 0, sizeof *set);
    if (strlen(dir) >= sizeof set->dir)
        return gcn_fail("%.100s...: results folder path too long", dir);
    snprintf(set->dir, sizeof set->dir, "%s", dir);
    snprintf(runs_dir, sizeof runs_dir, "%s/runs", dir);
    if (list_runs(runs_dir, &names, &n_names) != GCN_OK)
        goto done;
    set->runs = calloc(n_names ? n_names : 1, sizeof *set->runs);
    if (!set->runs) {
        gcn_fail("out of memory reading the runs of %s", dir);
        goto done;
    }
    for (size_t i = 0; i < n_names; i++) {
        set->n_runs = i + 1; /* so bench_set_free releases a half-read run too */
        if (load_run(&set->runs[i], runs_dir, names[i]) != GCN_OK)
            goto done;
    }
    if (group_runs(set) != GCN_OK || compute_stats(set) != GCN_OK)
        goto done;
    rc = GCN_OK;
done:
    for (size_t i = 0; i < n_names; i++)
        free(names[i]);
    free(names);
    if (rc != GCN_OK)
        bench_set_free(set);
    return rc;
}

void bench_set_free(struct bench_set *set)
{
    for (size_t i = 0; i < set->n_runs; i++) {
        free(set->runs[i].losses);
        json_object_put(set->runs[i].root);
    }
    for (size_t k = 0; k < set->n_cfgs; k++)
        free(set->cfgs[k].runs);
    free(set->runs);
    free(set->cfgs);
    memset(set, 0, sizeof *set);
}

int bench_group_workers_total(const struct bench_group *c)
{
    return c->ranks > 0 ? c->ranks * c->workers : c->workers;
}

const struct bench_group *bench_set_find(const struct bench_set *set, const char *label)
{
    for (size_t k = 0; k < set->n_cfgs; k++) {
        if (strcmp(set->cfgs[k].label, label) == 0)
            return &set->cfgs[k];
    }
    return NULL;
}

size_t bench_group_mean_losses(const struct bench_set *set, const struct bench_group *cfg,
                                double *out, size_t cap)
{
    size_t len = 0;
    for (size_t e = 0; e < cap; e++) {
        double sum = 0.0;
        size_t n = 0;
        for (size_t i = 0; i < cfg->n_runs; i++) {
            const struct bench_run *r = &set->runs[cfg->runs[i]];
            if (r->ok && e < r->n_losses && !isnan(r->losses[e])) {
                sum += r->losses[e];
                n++;
            }
        }
        if (!n)
            break;
        out[e] = sum / (double)n;
        len = e + 1;
    }
    return len;
}
