/* bench_targets.c: parsing the [targets] section of a gcnbench INI (through inih) and
 * evaluating each target against a results folder (see bench_targets.h). */
#include "bench_targets.h"

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "drivers/ini_file.h"

static const struct {
    enum bench_target_metric m;
    const char *name;    /* as written in keys */
    const char *shown;   /* in verdict lines */
    const char *unit;    /* after numbers in verdict lines */
} metrics[] = {
    { BT_SPEEDUP, "speedup", "speedup", "x" },
    { BT_EFFICIENCY, "efficiency", "efficiency", "" },
    { BT_EPOCH_RATIO, "epoch_ratio", "epoch ratio", "" },
    { BT_OVERHEAD_PCT, "overhead_pct", "overhead", " %" },
    { BT_COMMUNICATION_PCT, "communication_pct", "communication", " %" },
    { BT_F1_DIFF_POINTS, "f1_diff_points", "F1 difference", " points" },
};
#define N_METRICS (sizeof metrics / sizeof metrics[0])

static const char *const op_names[] = { [BT_GE] = ">=", [BT_LE] = "<=", [BT_LT] = "<",
                                        [BT_GT] = ">" };

const char *bench_verdict_name(enum bench_verdict v)
{
    return v == BT_PASS ? "PASS" : v == BT_FAIL ? "FAIL" : "SKIP";
}

int bench_target_parse(struct bench_target *t, const char *key, const char *value)
{
    char metric[64];
    memset(t, 0, sizeof *t);
    if (!gcn_ini_copy_trimmed(t->key, sizeof t->key, key, strlen(key)))
        return gcn_fail("target key '%.60s...' is too long", key);
    const char *at = strchr(t->key, '@');
    if (!at || !gcn_ini_copy_trimmed(metric, sizeof metric, t->key, (size_t)(at - t->key)))
        return gcn_fail("target '%s': expected METRIC@CONFIG, e.g. speedup@local[2]", t->key);
    size_t i = 0;
    while (i < N_METRICS && strcmp(metrics[i].name, metric) != 0)
        i++;
    if (i == N_METRICS)
        return gcn_fail("target '%s': unknown metric '%s' (known: speedup, efficiency, "
                        "epoch_ratio, overhead_pct, communication_pct, f1_diff_points)",
                        t->key, metric);
    t->metric = metrics[i].m;
    const char *cfg = at + 1;
    const char *slash = strchr(cfg, '/');
    if (t->metric == BT_EPOCH_RATIO) {
        if (!slash || !gcn_ini_copy_trimmed(t->cfg, sizeof t->cfg, cfg, (size_t)(slash - cfg)) ||
            !gcn_ini_copy_trimmed(t->cfg_b, sizeof t->cfg_b, slash + 1, strlen(slash + 1)) ||
            !t->cfg[0] || !t->cfg_b[0] || strchr(t->cfg_b, '/'))
            return gcn_fail("target '%s': epoch_ratio compares two configurations: write "
                            "epoch_ratio@A/B, e.g. epoch_ratio@local[1]/sequential", t->key);
    } else {
        if (slash)
            return gcn_fail("target '%s': only epoch_ratio takes two configurations (A/B)",
                            t->key);
        if (!gcn_ini_copy_trimmed(t->cfg, sizeof t->cfg, cfg, strlen(cfg)) || !t->cfg[0])
            return gcn_fail("target '%s': no configuration after '@' (e.g. %s@local[2])",
                            t->key, metric);
    }
    if ((strcmp(t->cfg, "*") == 0 || strcmp(t->cfg_b, "*") == 0) &&
        t->metric != BT_F1_DIFF_POINTS)
        return gcn_fail("target '%s': '@*' (every configuration) is for f1_diff_points only",
                        t->key);

    const char *v = value;
    while (*v == ' ' || *v == '\t')
        v++;
    if (strncmp(v, ">=", 2) == 0)
        t->op = BT_GE, v += 2;
    else if (strncmp(v, "<=", 2) == 0)
        t->op = BT_LE, v += 2;
    else if (*v == '<')
        t->op = BT_LT, v += 1;
    else if (*v == '>')
        t->op = BT_GT, v += 1;
    else
        return gcn_fail("target '%s' = '%s': expected an operator (>=, <=, <, >) and a "
                        "number, e.g. '>= 1.8'", t->key, value);
    char *end;
    errno = 0;
    t->value = strtod(v, &end);
    while (*end == ' ' || *end == '\t')
        end++;
    if (end == v || *end || errno == ERANGE || !isfinite(t->value))
        return gcn_fail("target '%s' = '%s': expected one finite number after the operator, "
                        "e.g. '>= 1.8'", t->key, value);
    return GCN_OK;
}

struct ini_ctx {
    struct gcn_ini_file in;     /* first: the handler's user pointer (see ini_file.h) */
    struct bench_targets *ts;   /* being filled */
};

static int ini_handler_targets(void *user, const char *section, const char *name,
                               const char *value)
{
    struct ini_ctx *ctx = user;
    if (strcmp(section, "targets") != 0)
        return 1;
    struct bench_targets *ts = ctx->ts;
    struct bench_target *nt = realloc(ts->t, (ts->n + 1) * sizeof *nt);
    if (!nt) {
        gcn_fail("%s: out of memory reading [targets]", ctx->in.path);
        ctx->in.failed = 1;
        return 0;
    }
    ts->t = nt;
    if (bench_target_parse(&ts->t[ts->n], name, value) != GCN_OK) {
        char prefix[4200];
        snprintf(prefix, sizeof prefix, "%s:%ld: [targets]", ctx->in.path,
                 gcn_ini_line(&ctx->in));
        gcn_fail_prefix(prefix);
        ctx->in.failed = 1;
        return 0;
    }
    ts->n++;
    return 1;
}

int bench_targets_load(struct bench_targets *ts, const char *path)
{
    struct ini_ctx ctx = { .in.path = path, .ts = ts };
    int rc = GCN_ERR;

    memset(ts, 0, sizeof *ts);
    ctx.in.f = fopen(path, "r");
    if (!ctx.in.f) {
        if (errno == ENOENT)
            return GCN_OK;
        return gcn_fail("%s: cannot open the bench config: %s", path, strerror(errno));
    }
    ts->found = 1;
    if (gcn_ini_parse(&ctx.in, ini_handler_targets) != GCN_OK)
        goto done;
    rc = GCN_OK;
done:
    fclose(ctx.in.f);
    if (rc != GCN_OK)
        bench_targets_free(ts);
    return rc;
}

void bench_targets_free(struct bench_targets *ts)
{
    free(ts->t);
    memset(ts, 0, sizeof *ts);
}

static bool holds(enum bench_target_op op, double x, double v)
{
    switch (op) {
    case BT_GE: return x >= v;
    case BT_LE: return x <= v;
    case BT_LT: return x < v;
    case BT_GT: return x > v;
    }
    return false;
}

/* The configuration called label when it has an ok run, else NULL. */
static const struct bench_group *ok_config(const struct bench_set *set, const char *label)
{
    const struct bench_group *c = bench_set_find(set, label);
    return c && c->n_ok ? c : NULL;
}

/* One verdict: who is the configuration text ("local[2]", "local[1]/sequential"), x the
 * measured value, why_skip the reason when x cannot be measured (NULL otherwise). */
static void verdict(struct bench_target_result *r, const struct bench_target *t,
                    const char *who, double x, const char *why_skip)
{
    size_t i = 0;
    while (metrics[i].m != t->metric)
        i++;
    const char *unit = metrics[i].unit;
    char target[96];
    snprintf(target, sizeof target, "(target %s %g%s)", op_names[t->op], t->value, unit);
    if (why_skip || isnan(x)) {
        r->verdict = BT_SKIP;
        r->measured = NAN;
        snprintf(r->line, sizeof r->line, "%s %s %s SKIP (%s)", who, metrics[i].shown, target,
                 why_skip ? why_skip : "no runs");
        return;
    }
    r->verdict = holds(t->op, x, t->value) ? BT_PASS : BT_FAIL;
    r->measured = x;
    const int digits = t->metric == BT_EPOCH_RATIO ? 3 : t->metric == BT_F1_DIFF_POINTS ||
                       t->metric == BT_SPEEDUP || t->metric == BT_EFFICIENCY ? 2 : 1;
    snprintf(r->line, sizeof r->line, "%s %s %.*f%s %s %s", who, metrics[i].shown, digits, x,
             unit, target, bench_verdict_name(r->verdict));
}

/* The measured value of a one-configuration target on c (seq: the sequential config). */
static double measure(const struct bench_target *t, const struct bench_group *c,
                      const struct bench_group *seq, const char **why_skip)
{
    *why_skip = NULL;
    switch (t->metric) {
    case BT_OVERHEAD_PCT:
        return c ? c->overhead_pct : NAN;
    case BT_COMMUNICATION_PCT:
        return c ? c->communication_pct : NAN;
    case BT_SPEEDUP:
    case BT_EFFICIENCY:
    case BT_F1_DIFF_POINTS:
        if (!c || !seq)
            return NAN;
        if (!c->same_model) {
            *why_skip = "trains another model than sequential";
            return NAN;
        }
        return t->metric == BT_SPEEDUP ? c->speedup
             : t->metric == BT_EFFICIENCY ? c->efficiency : c->f1_diff_points;
    case BT_EPOCH_RATIO:
        break;
    }
    return NAN;
}

int bench_target_eval(const struct bench_target *t, const struct bench_set *set,
                      struct bench_target_result **out, size_t *n)
{
    const size_t cap = set->n_cfgs + 1;
    struct bench_target_result *res = calloc(cap, sizeof *res);
    const char *why;
    size_t k = 0;

    *out = NULL;
    *n = 0;
    if (!res)
        return gcn_fail("out of memory evaluating target %s", t->key);
    if (t->metric == BT_EPOCH_RATIO) {
        const struct bench_group *a = ok_config(set, t->cfg), *b = ok_config(set, t->cfg_b);
        char who[300];
        snprintf(who, sizeof who, "%s/%s", t->cfg, t->cfg_b);
        double x = a && b ? a->st[BM_EPOCH_TIME].mean / b->st[BM_EPOCH_TIME].mean : NAN;
        verdict(&res[k++], t, who, x, NULL);
    } else if (strcmp(t->cfg, "*") == 0) {
        for (size_t i = 0; i < set->n_cfgs && set->seq; i++) {
            const struct bench_group *c = &set->cfgs[i];
            if (c == set->seq || !c->same_model || !c->n_ok)
                continue;
            double x = measure(t, c, set->seq, &why);
            verdict(&res[k++], t, c->label, x, why);
        }
        if (k == 0)
            verdict(&res[k++], t, "*", NAN, NULL);
    } else {
        const struct bench_group *c = ok_config(set, t->cfg);
        double x = measure(t, c, set->seq, &why);
        verdict(&res[k++], t, t->cfg, x, why);
    }
    *out = res;
    *n = k;
    return GCN_OK;
}
