/* config.c: gcnrun's configuration (see config.h): one table of every key (section, name,
 * type, range, where it lives in struct gcn_config) drives the INI reader (inih), the
 * `--conf SECTION.KEY=VALUE` overrides and the error messages, so the three can never
 * disagree. Values are parsed strictly: integers are decimal digits only (no sign, no
 * trailing text, no overflow), numbers must be finite, booleans and enumerations come from
 * fixed word lists. The reference for users is configs/README.md: keep it in step with
 * the table below. */
#include "config.h"

#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/error.h"
#include "ini_file.h"
#include "gcnrun_build.h"

/* ---- key table ------------------------------------------------------------------------ */

enum kind {
    K_SIZE,        /* size_t, decimal, [imin, imax] */
    K_INT,         /* int, decimal, [imin, imax] */
    K_U64,         /* uint64_t, decimal, any value */
    K_FLOAT,       /* float, finite, range by fmin/fmax and the open flags */
    K_DOUBLE,      /* double, idem */
    K_BOOL,        /* int 0/1 from true/false, yes/no, on/off, 1/0 */
    K_AUTO_BOOL,   /* int GCN_AUTO (-1) from auto, else as K_BOOL */
    K_TEXT,        /* char[cap], taken as is */
    K_PATH,        /* char[cap], relative values resolved against the INI file's folder */
    K_FORMAT,      /* enum gcn_format */
    K_PARTITIONER, /* enum gcn_partitioner_kind */
    K_SHUFFLE,     /* enum gcn_shuffle_mode */
    K_REORDER,     /* enum gcn_reorder_kind */
    K_WD_SCOPE,    /* enum gcn_wd_scope */
    K_SCHEDULER,   /* char[cap], one of the StarPU 1.3 policy names */
    K_BLAS,        /* enum gcn_blas_choice */
};

struct key_def {
    const char *section;       /* INI section, without brackets */
    const char *name;          /* key inside the section */
    enum kind kind;            /* value type */
    size_t off;                /* offset of the field in struct gcn_config */
    size_t cap;                /* K_TEXT, K_PATH, K_SCHEDULER: buffer size incl. the NUL */
    uint64_t imin, imax;       /* K_SIZE, K_INT: inclusive range */
    double fmin, fmax;         /* K_FLOAT, K_DOUBLE: range ends (INFINITY = unbounded) */
    bool fmin_open, fmax_open; /* K_FLOAT, K_DOUBLE: ends excluded */
};

static const char *const format_names[] = { "dgl", "synthetic", NULL };
static const char *const partitioner_names[] = { "range", "hash", "metis", NULL };
static const char *const shuffle_names[] = { "auto", "pairwise", "broadcast", NULL };
static const char *const reorder_names[] = { "none", "metis", NULL };
static const char *const wd_scope_names[] = { "first", "all", "none", NULL };
static const char *const blas_names[] = { "auto", "openblas", "blis", NULL };
/* StarPU 1.3.10's policies (STARPU_SCHED=help); the runtime rejects nothing else, so an
 * unknown name is caught here as a usage error instead of StarPU's fallback warning. */
static const char *const scheduler_names[] = {
    "eager", "prio", "random", "lws", "ws", "dm", "dmda", "dmdap", "dmdar", "dmdas", "dmdasd",
    "pheft", "peager", "heteroprio", "graph_test",
    "modular-eager", "modular-eager-prefetching", "modular-eager-prio", "modular-gemm",
    "modular-prio", "modular-prio-prefetching", "modular-random", "modular-random-prio",
    "modular-random-prefetching", "modular-random-prio-prefetching", "modular-prandom",
    "modular-prandom-prio", "modular-ws", "modular-heft", "modular-heft-prio",
    "modular-heft2", "modular-heteroprio", "modular-heteroprio-heft", "modular-pheft", NULL
};

static const char *const section_names[] = {
    "dataset", "synthetic", "model", "train", "runtime", "output", NULL
};

#define OFF(field) offsetof(struct gcn_config, field)
#define SIZEKEY(s, n, field, lo, hi) { s, n, K_SIZE, OFF(field), 0, lo, hi, 0, 0, 0, 0 }
#define INTKEY(s, n, field, lo, hi) { s, n, K_INT, OFF(field), 0, lo, hi, 0, 0, 0, 0 }
#define U64KEY(s, n, field) { s, n, K_U64, OFF(field), 0, 0, UINT64_MAX, 0, 0, 0, 0 }
#define FLTKEY(s, n, k, field, lo, lo_open, hi, hi_open) \
    { s, n, k, OFF(field), 0, 0, 0, lo, hi, lo_open, hi_open }
#define STRKEY(s, n, k, field) { s, n, k, OFF(field), sizeof(((struct gcn_config *)0)->field), \
                                 0, 0, 0, 0, 0, 0 }
#define ENUMKEY(s, n, k, field) { s, n, k, OFF(field), 0, 0, 0, 0, 0, 0, 0 }

#define BIG_COUNT GCN_INI_NO_MAX /* "no practical upper bound" for counts */

static const struct key_def keys[] = {
    ENUMKEY("dataset", "format", K_FORMAT, format),
    STRKEY("dataset", "data", K_PATH, data),
    STRKEY("dataset", "graph", K_PATH, graph),
    STRKEY("dataset", "name", K_TEXT, name),
    ENUMKEY("dataset", "normalize_features", K_BOOL, normalize_features),
    ENUMKEY("dataset", "features_only", K_BOOL, features_only),
    STRKEY("dataset", "missing_hint", K_TEXT, source_hint),
    ENUMKEY("dataset", "reorder", K_REORDER, reorder),
    SIZEKEY("dataset", "reorder_block", reorder_block, 1, INT32_MAX),
    ENUMKEY("dataset", "cache", K_BOOL, cache),
    STRKEY("dataset", "cache_dir", K_TEXT, cache_dir),

    SIZEKEY("synthetic", "nodes", synth.nodes, 2, INT32_MAX),
    SIZEKEY("synthetic", "features", synth.features, 1, 1u << 20),
    SIZEKEY("synthetic", "classes", synth.classes, 2, 1u << 20),
    FLTKEY("synthetic", "avg_degree", K_DOUBLE, synth.avg_degree, 0, true, INFINITY, false),
    FLTKEY("synthetic", "degree_skew", K_DOUBLE, synth.degree_skew, 0, false, INFINITY, false),
    FLTKEY("synthetic", "homophily", K_DOUBLE, synth.homophily, 0, false, 1, false),
    FLTKEY("synthetic", "feature_signal", K_DOUBLE, synth.feature_signal, 0, false, INFINITY,
           false),
    FLTKEY("synthetic", "label_noise", K_DOUBLE, synth.label_noise, 0, false, 1, true),
    FLTKEY("synthetic", "train_fraction", K_DOUBLE, synth.train_fraction, 0, true, 1, true),
    FLTKEY("synthetic", "val_fraction", K_DOUBLE, synth.val_fraction, 0, true, 1, true),
    U64KEY("synthetic", "seed", synth.seed),

    SIZEKEY("model", "layers", hp.layers, 1, GCN_MAX_LAYERS),
    SIZEKEY("model", "hidden", hp.hidden, 1, 1u << 20),
    FLTKEY("model", "dropout", K_FLOAT, hp.dropout, 0, false, 1, true),
    FLTKEY("model", "weight_decay", K_FLOAT, hp.weight_decay, 0, false, INFINITY, false),
    ENUMKEY("model", "weight_decay_scope", K_WD_SCOPE, hp.wd_scope),
    ENUMKEY("model", "cache_first_aggregation", K_AUTO_BOOL, cache_first_aggregation),

    SIZEKEY("train", "epochs", epochs, 1, BIG_COUNT),
    FLTKEY("train", "lr", K_FLOAT, hp.lr, 0, true, INFINITY, false),
    SIZEKEY("train", "warmup_epochs", warmup_epochs, 0, BIG_COUNT),
    SIZEKEY("train", "patience", patience, 0, BIG_COUNT),
    U64KEY("train", "seed", seed),
    INTKEY("train", "blas_threads", blas_threads, 1, 1024),
    ENUMKEY("train", "blas", K_BLAS, blas),
    FLTKEY("train", "adam_beta1", K_FLOAT, hp.beta1, 0, false, 1, true),
    FLTKEY("train", "adam_beta2", K_FLOAT, hp.beta2, 0, false, 1, true),
    FLTKEY("train", "adam_eps", K_FLOAT, hp.eps, 0, true, INFINITY, false),

    INTKEY("runtime", "workers", workers, 0, 1024),
    SIZEKEY("runtime", "partitions", partitions, 0, 1u << 20),
    ENUMKEY("runtime", "partitioner", K_PARTITIONER, partitioner),
    ENUMKEY("runtime", "shuffle", K_SHUFFLE, shuffle),
    STRKEY("runtime", "scheduler", K_SCHEDULER, scheduler),

    STRKEY("output", "result", K_TEXT, result),
    STRKEY("output", "epoch_log", K_TEXT, epoch_log),
    STRKEY("output", "trace", K_TEXT, trace),
    ENUMKEY("output", "quiet", K_BOOL, quiet),
};

#define NKEYS (sizeof keys / sizeof keys[0])

static bool known_section(const char *section)
{
    for (size_t i = 0; section_names[i]; i++)
        if (strcmp(section_names[i], section) == 0)
            return true;
    return false;
}

static const struct key_def *find_key(const char *section, const char *name)
{
    for (size_t i = 0; i < NKEYS; i++)
        if (strcmp(keys[i].section, section) == 0 && strcmp(keys[i].name, name) == 0)
            return &keys[i];
    return NULL;
}

/* "dataset, synthetic, ..." into buf. */
static const char *list_sections(char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; section_names[i] && used < len; i++)
        used += (size_t)snprintf(buf + used, len - used, "%s%s", i ? ", " : "", section_names[i]);
    return buf;
}

/* "layers, hidden, ..." (the keys of one section) into buf. */
static const char *list_keys(const char *section, char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < NKEYS && used < len; i++)
        if (strcmp(keys[i].section, section) == 0)
            used += (size_t)snprintf(buf + used, len - used, "%s%s", used ? ", " : "",
                                     keys[i].name);
    return buf;
}

/* "a, b, c" from a NULL-terminated word list into buf. */
static const char *list_words(const char *const *words, char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; words[i] && used < len; i++)
        used += (size_t)snprintf(buf + used, len - used, "%s%s", i ? ", " : "", words[i]);
    return buf;
}

/* Explains an unknown section or key into why; false when the key is known. */
static bool explain_unknown(const char *section, const char *name, char *why, size_t len)
{
    char list[512];
    if (!known_section(section)) {
        snprintf(why, len, "unknown section [%s] (known: %s)", section,
                 list_sections(list, sizeof list));
        return true;
    }
    if (!find_key(section, name)) {
        snprintf(why, len, "unknown key '%s' in [%s] (known: %s)", name, section,
                 list_keys(section, list, sizeof list));
        return true;
    }
    return false;
}

/* ---- value parsers: each returns true on success, else fills why ------------------------ */

static bool parse_real(const char *s, const struct key_def *k, double *out, char *why,
                       size_t len)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    bool ok = s[0] != '\0' && !(s[0] == ' ' || s[0] == '\t') && *end == '\0' && isfinite(v);
    if (ok && k->kind == K_FLOAT) {
        /* the value is stored as a float: it must neither overflow nor flush to zero */
        if (fabs(v) > FLT_MAX || (v != 0.0 && (float)v == 0.0f)) {
            snprintf(why, len, "out of the 32-bit float range (about 1e-45 to 3.4e38)");
            return false;
        }
        v = (float)v; /* check the range on the value actually stored */
    }
    if (ok)
        ok = (k->fmin_open ? v > k->fmin : v >= k->fmin) &&
             (isinf(k->fmax) || (k->fmax_open ? v < k->fmax : v <= k->fmax));
    if (ok) {
        *out = v;
        return true;
    }
    if (isinf(k->fmax))
        snprintf(why, len, "expected a number %s %g", k->fmin_open ? ">" : ">=", k->fmin);
    else
        snprintf(why, len, "expected a number in %c%g, %g%c", k->fmin_open ? '(' : '[',
                 k->fmin, k->fmax, k->fmax_open ? ')' : ']');
    return false;
}

/* Index of s in words (case-insensitive), or -1 with why filled. */
static int parse_word(const char *s, const char *const *words, char *why, size_t len)
{
    for (int i = 0; words[i]; i++)
        if (strcasecmp(s, words[i]) == 0)
            return i;
    char list[1024];
    snprintf(why, len, "expected one of: %s", list_words(words, list, sizeof list));
    return -1;
}

/* Copies s into dst[cap]; a relative non-empty s is prefixed with dir (a folder ending in
 * '/', or NULL or "" for none). */
static bool set_string(char *dst, size_t cap, const char *s, const char *dir, char *why,
                       size_t len)
{
    int n;
    if (dir && dir[0] && s[0] && s[0] != '/')
        n = snprintf(dst, cap, "%s%s", dir, s);
    else
        n = snprintf(dst, cap, "%s", s);
    if (n < 0 || (size_t)n >= cap) {
        dst[0] = '\0';
        snprintf(why, len, "too long (at most %zu characters)", cap - 1);
        return false;
    }
    return true;
}

/* Stores value into the field of k. dir: the INI file's folder for K_PATH keys (NULL or ""
 * to keep relative paths as given). Returns true, or false with why filled (the value is
 * then left unchanged, except that an over-long string is cleared). */
static bool set_value(struct gcn_config *cfg, const struct key_def *k, const char *value,
                      const char *dir, char *why, size_t len)
{
    char *field = (char *)cfg + k->off;
    uint64_t u;
    double d;
    int b, w;

    switch (k->kind) {
    case K_SIZE:
        if (!gcn_ini_uint(value, k->imin, k->imax, &u, why, len))
            return false;
        *(size_t *)field = (size_t)u;
        return true;
    case K_INT:
        if (!gcn_ini_uint(value, k->imin, k->imax, &u, why, len))
            return false;
        *(int *)field = (int)u;
        return true;
    case K_U64:
        if (!gcn_ini_uint(value, 0, UINT64_MAX, &u, why, len))
            return false;
        *(uint64_t *)field = u;
        return true;
    case K_FLOAT:
        if (!parse_real(value, k, &d, why, len))
            return false;
        *(float *)field = (float)d;
        return true;
    case K_DOUBLE:
        if (!parse_real(value, k, &d, why, len))
            return false;
        *(double *)field = d;
        return true;
    case K_BOOL:
        if (!gcn_ini_bool(value, &b, why, len))
            return false;
        *(int *)field = b;
        return true;
    case K_AUTO_BOOL:
        if (strcasecmp(value, "auto") == 0) {
            b = GCN_AUTO;
        } else if (!gcn_ini_bool(value, &b, why, len)) {
            snprintf(why, len, "expected auto, true or false (or yes/no, on/off, 1/0)");
            return false;
        }
        *(int *)field = b;
        return true;
    case K_TEXT:
        return set_string(field, k->cap, value, NULL, why, len);
    case K_PATH:
        return set_string(field, k->cap, value, dir, why, len);
    case K_FORMAT:
        if ((w = parse_word(value, format_names, why, len)) < 0)
            return false;
        cfg->format = (enum gcn_format)w;
        return true;
    case K_PARTITIONER:
        if ((w = parse_word(value, partitioner_names, why, len)) < 0)
            return false;
        cfg->partitioner = (enum gcn_partitioner_kind)w;
        return true;
    case K_SHUFFLE:
        if ((w = parse_word(value, shuffle_names, why, len)) < 0)
            return false;
        cfg->shuffle = (enum gcn_shuffle_mode)w;
        return true;
    case K_BLAS:
        if ((w = parse_word(value, blas_names, why, len)) < 0)
            return false;
        cfg->blas = (enum gcn_blas_choice)w;
        return true;
    case K_REORDER:
        if ((w = parse_word(value, reorder_names, why, len)) < 0)
            return false;
        cfg->reorder = (enum gcn_reorder_kind)w;
        return true;
    case K_WD_SCOPE:
        if ((w = parse_word(value, wd_scope_names, why, len)) < 0)
            return false;
        cfg->hp.wd_scope = (enum gcn_wd_scope)w;
        return true;
    case K_SCHEDULER:
        if ((w = parse_word(value, scheduler_names, why, len)) < 0)
            return false;
        return set_string(field, k->cap, scheduler_names[w], NULL, why, len);
    }
    snprintf(why, len, "internal error: unhandled key type");
    return false;
}

/* A dgl dataset still carrying the default name (or none) is named after its data file
 * ("x/cora_data.npz" -> "cora"); a nameless synthetic one is "synthetic". */
static void derive_name(struct gcn_config *cfg)
{
    if (cfg->format == GCN_FORMAT_SYNTHETIC) {
        if (!cfg->name[0])
            snprintf(cfg->name, sizeof cfg->name, "synthetic");
        return;
    }
    if ((cfg->name[0] && strcmp(cfg->name, "synthetic") != 0) || !cfg->data[0])
        return;
    const char *base = strrchr(cfg->data, '/');
    base = base ? base + 1 : cfg->data;
    size_t n = strlen(base);
    static const char *const suffixes[] = { "_data.npz", ".npz" };
    for (size_t i = 0; i < 2; i++) {
        size_t sl = strlen(suffixes[i]);
        if (n > sl && strcmp(base + n - sl, suffixes[i]) == 0) {
            n -= sl;
            break;
        }
    }
    if (n >= sizeof cfg->name)
        n = sizeof cfg->name - 1;
    memcpy(cfg->name, base, n);
    cfg->name[n] = '\0';
}

/* ---- public API ----------------------------------------------------------------------- */

void gcn_config_defaults(struct gcn_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->format = GCN_FORMAT_SYNTHETIC;
    snprintf(cfg->name, sizeof cfg->name, "synthetic");
    cfg->normalize_features = 0;
    cfg->features_only = 0;
    cfg->reorder = GCN_REORDER_NONE;
    cfg->reorder_block = 2048;
    cfg->cache = 1;
    snprintf(cfg->cache_dir, sizeof cfg->cache_dir, ".cache");
    gcn_synth_defaults(&cfg->synth);
    cfg->hp.layers = 2;
    cfg->hp.hidden = 128;
    cfg->hp.dropout = 0.0f;
    cfg->hp.lr = 0.01f;
    cfg->hp.weight_decay = 0.0f;
    cfg->hp.wd_scope = GCN_WD_FIRST;
    cfg->cache_first_aggregation = GCN_AUTO;
    cfg->hp.beta1 = 0.9f;
    cfg->hp.beta2 = 0.999f;
    cfg->hp.eps = 1e-8f;
    cfg->epochs = 20;
    cfg->warmup_epochs = 1;
    cfg->patience = 0;
    cfg->seed = 42;
    cfg->blas_threads = 1;
    cfg->blas = GCN_BLAS_AUTO;
    cfg->workers = 0;
    cfg->partitions = 0;
    cfg->partitioner = GCN_PARTITION_RANGE;
    cfg->shuffle = GCN_SHUFFLE_AUTO;
    snprintf(cfg->scheduler, sizeof cfg->scheduler, "lws");
    cfg->quiet = 0;
}

struct ini_ctx {
    struct gcn_ini_file in;  /* first: the handler's user pointer (see ini_file.h) */
    struct gcn_config *cfg;  /* being filled */
    char dir[GCN_PATH_MAX];  /* its folder with a trailing '/' ("" = current directory) */
};

static int ini_handler_cfg(void *user, const char *section, const char *name,
                           const char *value)
{
    struct ini_ctx *ctx = user;
    const long line = gcn_ini_line(&ctx->in);
    const char *path = ctx->in.path;
    char why[1024];

    if (!section[0]) {
        char list[256];
        gcn_fail("%s:%ld: key '%s' outside any section (sections: %s)", path, line, name,
                 list_sections(list, sizeof list));
        ctx->in.failed = 1;
        return 0;
    }
    if (explain_unknown(section, name, why, sizeof why)) {
        gcn_fail("%s:%ld: %s", path, line, why);
        ctx->in.failed = 1;
        return 0;
    }
    const struct key_def *k = find_key(section, name);
    if (!set_value(ctx->cfg, k, value, ctx->dir, why, sizeof why)) {
        char sv[64];
        gcn_fail("%s:%ld: [%s] %s = %s: %s", path, line, section, name,
                 gcn_ini_shorten(value, sv), why);
        ctx->in.failed = 1;
        return 0;
    }
    return 1;
}

int gcn_config_load(struct gcn_config *cfg, const char *path)
{
    struct ini_ctx ctx = { .in.path = path, .cfg = cfg };
    int rc = GCN_ERR;

    if (strlen(path) >= sizeof cfg->path)
        return gcn_fail("%.200s...: config path too long", path);
    const char *slash = strrchr(path, '/');
    if (slash) { /* keep the trailing '/': "configs/x.ini" -> "configs/", "/x.ini" -> "/" */
        size_t n = (size_t)(slash - path) + 1;
        memcpy(ctx.dir, path, n);
        ctx.dir[n] = '\0';
    }
    ctx.in.f = fopen(path, "r");
    if (!ctx.in.f)
        return gcn_fail("%s: cannot open config: %s", path, strerror(errno));

    if (gcn_ini_parse(&ctx.in, ini_handler_cfg) != GCN_OK)
        goto done;
    snprintf(cfg->path, sizeof cfg->path, "%s", path);
    derive_name(cfg);
    rc = GCN_OK;
done:
    fclose(ctx.in.f);
    return rc;
}

int gcn_config_override(struct gcn_config *cfg, const char *assignment)
{
    char section[64], name[64], value[GCN_PATH_MAX], why[1024], sa[64];
    const char *shown = gcn_ini_shorten(assignment, sa);
    const char *eq = strchr(assignment, '=');
    const char *dot = eq ? memchr(assignment, '.', (size_t)(eq - assignment)) : NULL;

    if (!eq || !dot ||
        !gcn_ini_copy_trimmed(section, sizeof section, assignment, (size_t)(dot - assignment)) ||
        !gcn_ini_copy_trimmed(name, sizeof name, dot + 1, (size_t)(eq - dot - 1)) ||
        !section[0] || !name[0])
        return gcn_fail("--conf %s: expected SECTION.KEY=VALUE (e.g. model.hidden=64)",
                        shown);
    if (!gcn_ini_copy_trimmed(value, sizeof value, eq + 1, strlen(eq + 1)))
        return gcn_fail("--conf %s: value too long", shown);
    if (explain_unknown(section, name, why, sizeof why))
        return gcn_fail("--conf %s: %s", shown, why);
    if (!set_value(cfg, find_key(section, name), value, NULL, why, sizeof why))
        return gcn_fail("--conf %s: %s", shown, why);
    derive_name(cfg);
    return GCN_OK;
}

int gcn_config_validate(const struct gcn_config *cfg)
{
    char where[GCN_PATH_MAX + 2];
    if (cfg->path[0])
        snprintf(where, sizeof where, "%s: ", cfg->path);
    else
        where[0] = '\0';

    if (cfg->format == GCN_FORMAT_DGL) {
        if (!cfg->data[0])
            return gcn_fail("%s[dataset] format = dgl needs [dataset] data = NAME_data.npz",
                            where);
        if (!cfg->graph[0])
            return gcn_fail("%s[dataset] format = dgl needs [dataset] graph = NAME_graph.npz",
                            where);
    } else {
        const struct gcn_synth_params *s = &cfg->synth;
        if (s->train_fraction + s->val_fraction >= 1.0)
            return gcn_fail("%s[synthetic] train_fraction + val_fraction = %g leaves no test "
                            "nodes: the sum must be < 1", where,
                            s->train_fraction + s->val_fraction);
        if (s->classes > s->nodes)
            return gcn_fail("%s[synthetic] classes = %zu exceeds nodes = %zu", where,
                            s->classes, s->nodes);
        if (s->avg_degree >= (double)(s->nodes - 1))
            return gcn_fail("%s[synthetic] avg_degree = %g must be < nodes - 1 = %zu (no "
                            "self-loops or duplicate edges)", where, s->avg_degree,
                            s->nodes - 1);
        if (cfg->partitions > s->nodes)
            return gcn_fail("%s[runtime] partitions = %zu exceeds [synthetic] nodes = %zu",
                            where, cfg->partitions, s->nodes);
    }
    if (cfg->cache && !cfg->cache_dir[0])
        return gcn_fail("%s[dataset] cache_dir is empty: name a folder (default .cache) or "
                        "set cache = false", where);
    if (cfg->cache_first_aggregation == 1 && cfg->hp.dropout > 0.0f)
        return gcn_fail("%s[model] cache_first_aggregation = true needs dropout = 0 (now %g): "
                        "dropout on the input changes X every epoch; set dropout = 0 or "
                        "cache_first_aggregation = auto", where, (double)cfg->hp.dropout);
#if !GCNRUN_HAVE_METIS
    if (cfg->partitioner == GCN_PARTITION_METIS)
        return gcn_fail("%s[runtime] partitioner = metis: this gcnrun was built without METIS "
                        "(install libmetis-dev and reconfigure with -Dmetis=enabled)", where);
    if (cfg->reorder == GCN_REORDER_METIS)
        return gcn_fail("%s[dataset] reorder = metis: this gcnrun was built without METIS "
                        "(install libmetis-dev and reconfigure with -Dmetis=enabled, or set "
                        "reorder = none)", where);
#endif
    return GCN_OK;
}

const char *gcn_partitioner_name(enum gcn_partitioner_kind p)
{
    return (unsigned)p < 3 ? partitioner_names[p] : "unknown";
}

const char *gcn_shuffle_name(enum gcn_shuffle_mode m)
{
    return (unsigned)m < 3 ? shuffle_names[m] : "unknown";
}

const char *gcn_blas_choice_name(enum gcn_blas_choice c)
{
    return (unsigned)c < 3 ? blas_names[c] : "unknown";
}

int gcn_config_caches_first(const struct gcn_config *cfg)
{
    if (cfg->cache_first_aggregation == GCN_AUTO)
        return cfg->hp.dropout == 0.0f;
    return cfg->cache_first_aggregation;
}

const char *gcn_reorder_name(enum gcn_reorder_kind r)
{
    return (unsigned)r < 2 ? reorder_names[r] : "unknown";
}

const char *gcn_format_name(enum gcn_format f)
{
    return (unsigned)f < 2 ? format_names[f] : "unknown";
}
