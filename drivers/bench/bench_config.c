/* bench_config.c: the bench INI and its command-line overrides (see bench_config.h). One
 * table of keys drives the INI reader, --conf and the dedicated flags, so the three accept
 * the same values and word their errors the same way. Values are strict as in config.c:
 * integers are decimal digits only, lists are comma-separated with no empty item and no
 * repeated value. */
#include "bench_config.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "drivers/atomic.h"
#include "base/error.h"
#include "drivers/ini_file.h"
#include "gcn/model.h"

enum kind {
    K_PATH,      /* char[GCN_PATH_MAX], non-empty unless may_be_empty */
    K_SIZE,      /* size_t in [lo, hi] */
    K_INT,       /* int in [lo, hi] */
    K_BOOL,      /* int 0/1 */
    K_INT_LIST,  /* int[BENCH_LIST_MAX] in [lo, hi], count at n_off */
    K_U64_LIST,  /* uint64_t[BENCH_LIST_MAX] */
    K_SIZE_LIST, /* size_t[BENCH_LIST_MAX] in [lo, hi] */
    K_NAME_LIST, /* partitioner names */
    K_CONF_LIST, /* gcnrun "section.key=value" assignments */
    K_RXN_LIST,  /* struct bench_rxn[BENCH_LIST_MAX], "RxN" items, R and N in [lo, hi] */
};

struct key_def {
    const char *section; /* "bench" or "sweep" */
    const char *name;    /* key */
    enum kind kind;      /* value type */
    size_t off;          /* field in struct bench_config */
    size_t n_off;        /* list kinds: the count field */
    uint64_t lo, hi;     /* integer range, inclusive */
    bool may_be_empty;   /* lists and paths: an empty value means "none" */
};

#define OFF(f) offsetof(struct bench_config, f)
#define BIG GCN_INI_NO_MAX

static const struct key_def keys[] = {
    { "bench", "run_config", K_PATH, OFF(run_config), 0, 0, 0, false },
    { "bench", "workers", K_INT_LIST, OFF(workers), OFF(n_workers), 0, 1024, false },
    { "bench", "ranks", K_RXN_LIST, OFF(ranks), OFF(n_ranks), 1, BENCH_RANKS_MAX, true },
    { "bench", "mpirun", K_PATH, OFF(mpirun), 0, 0, 0, false },
    { "bench", "hostfile", K_PATH, OFF(hostfile), 0, 0, 0, true },
    { "bench", "seeds", K_U64_LIST, OFF(seeds), OFF(n_seeds), 0, INT64_MAX, false }, /* JSON readers: int64 */
    { "bench", "repeats", K_SIZE, OFF(repeats), 0, 1, BENCH_LIST_MAX, false },
    { "bench", "epochs", K_SIZE, OFF(epochs), 0, 1, BIG, false },
    { "bench", "warmup_epochs", K_SIZE, OFF(warmup_epochs), 0, 0, BIG, false },
    { "bench", "out", K_PATH, OFF(out), 0, 0, 0, false },
    { "bench", "conf", K_CONF_LIST, OFF(conf), OFF(n_conf), 0, 0, true },
    { "sweep", "workers", K_INT, OFF(sweep_workers), 0, 0, 1024, false },
    { "sweep", "repeats", K_SIZE, OFF(sweep_repeats), 0, 1, BENCH_LIST_MAX, false },
    { "sweep", "hidden", K_SIZE_LIST, OFF(hidden), OFF(n_hidden), 1, 1u << 20, true },
    { "sweep", "layers", K_SIZE_LIST, OFF(layers), OFF(n_layers), 1, GCN_MAX_LAYERS, true },
    { "sweep", "partitioners", K_NAME_LIST, OFF(partitioners), OFF(n_partitioners), 0, 0,
      true },
    { "sweep", "forward_only", K_BOOL, OFF(forward_only), 0, 0, 0, false },
};

#define NKEYS (sizeof keys / sizeof keys[0])

static const char *const partitioner_names[] = { "range", "hash", "metis" };

/* gcnrun keys that gcnbench sets for every run, and the flag to use instead. */
static const struct {
    const char *key;
    const char *instead;
} reserved[] = {
    { "runtime.workers", "--workers LIST" },
    { "train.seed", "--seeds LIST" },
    { "train.epochs", "--epochs N" },
    { "train.warmup_epochs", "--warmup-epochs N" },
};

static const struct key_def *find_key(const char *section, const char *name)
{
    for (size_t i = 0; i < NKEYS; i++)
        if (strcmp(keys[i].section, section) == 0 && strcmp(keys[i].name, name) == 0)
            return &keys[i];
    return NULL;
}

/* "run_config, workers, ..." (the keys of section) into buf. */
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

/* Explains an unknown bench or sweep key into why; false when the key is known. */
static bool explain_unknown(const char *section, const char *name, char *why, size_t len)
{
    char list[256];
    if (strcmp(section, "bench") != 0 && strcmp(section, "sweep") != 0) {
        snprintf(why, len, "unknown section [%s] (known: bench, sweep, targets)", section);
        return true;
    }
    if (!find_key(section, name)) {
        snprintf(why, len, "unknown key '%s' in [%s] (known: %s)", name, section,
                 list_keys(section, list, sizeof list));
        return true;
    }
    return false;
}

/* ---- value parsers: true on success, else why is filled --------------------------------- */

static void trim(char **s)
{
    while (**s == ' ' || **s == '\t')
        (*s)++;
    char *e = *s + strlen(*s);
    while (e > *s && (e[-1] == ' ' || e[-1] == '\t'))
        *--e = '\0';
}

/* Checks one gcnrun assignment of a conf list: "section.key=value", not a reserved key. */
static bool check_conf_item(const char *item, char *why, size_t len)
{
    const char *eq = strchr(item, '=');
    const char *dot = eq ? memchr(item, '.', (size_t)(eq - item)) : NULL;
    if (!eq || !dot || dot == item || dot + 1 == eq) {
        snprintf(why, len, "'%.80s' is not SECTION.KEY=VALUE (e.g. model.dropout=0.5)", item);
        return false;
    }
    size_t klen = (size_t)(eq - item);
    while (klen && (item[klen - 1] == ' ' || item[klen - 1] == '\t'))
        klen--;
    for (size_t i = 0; i < sizeof reserved / sizeof reserved[0]; i++) {
        if (strlen(reserved[i].key) == klen && strncmp(item, reserved[i].key, klen) == 0) {
            snprintf(why, len, "%s is set by gcnbench for every run: use %s instead",
                     reserved[i].key, reserved[i].instead);
            return false;
        }
    }
    if (klen > 7 && strncmp(item, "output.", 7) == 0) {
        snprintf(why, len, "[output] keys are set by gcnbench (each run's result goes to "
                           "OUT/runs/): use --out DIR");
        return false;
    }
    if (strlen(item) >= BENCH_CONF_LEN) {
        snprintf(why, len, "'%.40s...' is too long (at most %d characters)", item,
                 BENCH_CONF_LEN - 1);
        return false;
    }
    return true;
}

/* Parses one "RxN" item (R ranks x N workers per rank, 'x' or 'X', no blanks inside) with R
 * and N in [lo, hi]. */
static bool parse_rxn(const char *item, uint64_t lo, uint64_t hi, struct bench_rxn *out,
                      char *why, size_t len)
{
    char part[2][24], inner[128];
    uint64_t v[2];
    const size_t at = strcspn(item, "xX");
    bool ok = item[at] && strcspn(item + at + 1, "xX") == strlen(item + at + 1) &&
              at < sizeof part[0] && strlen(item + at + 1) < sizeof part[1];
    if (ok) {
        memcpy(part[0], item, at);
        part[0][at] = '\0';
        snprintf(part[1], sizeof part[1], "%s", item + at + 1);
        for (int i = 0; i < 2 && ok; i++)
            ok = gcn_ini_uint(part[i], lo, hi, &v[i], inner, sizeof inner);
    }
    if (!ok) {
        snprintf(why, len, "'%.40s': expected RxN, R ranks x N workers per rank, each an "
                           "integer in %llu..%llu (e.g. 2x1)", item, (unsigned long long)lo,
                 (unsigned long long)hi);
        return false;
    }
    out->ranks = (int)v[0];
    out->workers = (int)v[1];
    return true;
}

/* Parses a comma-separated list into the field of k (the whole list is replaced only when
 * every item is good). */
static bool parse_list(struct bench_config *bc, const struct key_def *k, const char *value,
                       char *why, size_t len)
{
    char *copy = strdup(value);
    char *items[BENCH_LIST_MAX + 1];
    size_t n = 0;
    bool ok = false;

    if (!copy) {
        snprintf(why, len, "out of memory");
        return false;
    }
    char *s = copy;
    trim(&s);
    if (s[0]) {
        for (char *p = s;; p++) {
            char *comma = strchr(p, ',');
            if (comma)
                *comma = '\0';
            if (n == BENCH_LIST_MAX) {
                snprintf(why, len, "too many values (at most %d)", BENCH_LIST_MAX);
                goto done;
            }
            items[n] = p;
            trim(&items[n]);
            if (!items[n][0]) {
                snprintf(why, len, "empty item in the list: expected values separated by "
                                   "commas");
                goto done;
            }
            n++;
            if (!comma)
                break;
            p = comma;
        }
    }
    if (n == 0 && !k->may_be_empty) {
        snprintf(why, len, "expected a comma-separated list of values, got nothing");
        goto done;
    }

    union {
        int i[BENCH_LIST_MAX];
        uint64_t u[BENCH_LIST_MAX];
        size_t z[BENCH_LIST_MAX];
        char name[BENCH_LIST_MAX][8];
        struct bench_rxn rxn[BENCH_LIST_MAX];
    } v;
    for (size_t i = 0; i < n; i++) {
        uint64_t u = 0;
        switch (k->kind) {
        case K_INT_LIST:
        case K_U64_LIST:
        case K_SIZE_LIST:
            if (!gcn_ini_uint(items[i], k->lo, k->hi, &u, why, len)) {
                char inner[256];
                snprintf(inner, sizeof inner, "%s", why);
                snprintf(why, len, "'%.40s': %s", items[i], inner);
                goto done;
            }
            for (size_t j = 0; j < i; j++) {
                uint64_t prev = k->kind == K_INT_LIST   ? (uint64_t)v.i[j]
                                : k->kind == K_U64_LIST ? v.u[j]
                                                        : (uint64_t)v.z[j];
                if (prev == u) {
                    snprintf(why, len, "%s appears twice", items[i]);
                    goto done;
                }
            }
            if (k->kind == K_INT_LIST)
                v.i[i] = (int)u;
            else if (k->kind == K_U64_LIST)
                v.u[i] = u;
            else
                v.z[i] = (size_t)u;
            break;
        case K_NAME_LIST: {
            size_t w = 0;
            while (w < 3 && strcasecmp(items[i], partitioner_names[w]) != 0)
                w++;
            if (w == 3) {
                snprintf(why, len, "'%.40s': expected one of: range, hash, metis", items[i]);
                goto done;
            }
            for (size_t j = 0; j < i; j++) {
                if (strcmp(v.name[j], partitioner_names[w]) == 0) {
                    snprintf(why, len, "%s appears twice", partitioner_names[w]);
                    goto done;
                }
            }
            snprintf(v.name[i], sizeof v.name[i], "%s", partitioner_names[w]);
            break;
        }
        case K_CONF_LIST:
            if (!check_conf_item(items[i], why, len))
                goto done;
            break;
        case K_RXN_LIST:
            if (!parse_rxn(items[i], k->lo, k->hi, &v.rxn[i], why, len))
                goto done;
            for (size_t j = 0; j < i; j++) {
                if (v.rxn[j].ranks == v.rxn[i].ranks && v.rxn[j].workers == v.rxn[i].workers) {
                    snprintf(why, len, "%dx%d appears twice", v.rxn[i].ranks,
                             v.rxn[i].workers);
                    goto done;
                }
            }
            break;
        default:
            snprintf(why, len, "internal error: not a list key");
            goto done;
        }
    }

    char *field = (char *)bc + k->off;
    switch (k->kind) {
    case K_INT_LIST:
        memcpy(field, v.i, n * sizeof v.i[0]);
        break;
    case K_U64_LIST:
        memcpy(field, v.u, n * sizeof v.u[0]);
        break;
    case K_SIZE_LIST:
        memcpy(field, v.z, n * sizeof v.z[0]);
        break;
    case K_NAME_LIST:
        memcpy(field, v.name, n * sizeof v.name[0]);
        break;
    case K_RXN_LIST:
        memcpy(field, v.rxn, n * sizeof v.rxn[0]);
        break;
    default: /* K_CONF_LIST */
        for (size_t i = 0; i < n; i++)
            snprintf(bc->conf[i], BENCH_CONF_LEN, "%s", items[i]);
        break;
    }
    *(size_t *)((char *)bc + k->n_off) = n;
    ok = true;
done:
    free(copy);
    return ok;
}

/* Stores value into the field of k; false with why filled (the field is then unchanged). */
static bool set_value(struct bench_config *bc, const struct key_def *k, const char *value,
                      char *why, size_t len)
{
    char *field = (char *)bc + k->off;
    uint64_t u;
    int b;

    switch (k->kind) {
    case K_PATH:
        if (!value[0] && k->may_be_empty) {
            field[0] = '\0';
            return true;
        }
        if (!value[0]) {
            snprintf(why, len, "expected a path, got nothing");
            return false;
        }
        if (strlen(value) >= GCN_PATH_MAX) {
            snprintf(why, len, "too long (at most %d characters)", GCN_PATH_MAX - 1);
            return false;
        }
        snprintf(field, GCN_PATH_MAX, "%s", value);
        return true;
    case K_SIZE:
        if (!gcn_ini_uint(value, k->lo, k->hi, &u, why, len))
            return false;
        *(size_t *)field = (size_t)u;
        return true;
    case K_INT:
        if (!gcn_ini_uint(value, k->lo, k->hi, &u, why, len))
            return false;
        *(int *)field = (int)u;
        return true;
    case K_BOOL:
        if (!gcn_ini_bool(value, &b, why, len))
            return false;
        *(int *)field = b;
        return true;
    default:
        return parse_list(bc, k, value, why, len);
    }
}

/* ---- public API ----------------------------------------------------------------------- */

void bench_config_defaults(struct bench_config *bc)
{
    static const int workers[] = { 0, 1, 2, 4, 8, 16 };
    static const uint64_t seeds[] = { 42, 123, 456 };
    memset(bc, 0, sizeof *bc);
    snprintf(bc->run_config, sizeof bc->run_config, "configs/reddit-synth.ini");
    bc->n_workers = sizeof workers / sizeof workers[0];
    memcpy(bc->workers, workers, sizeof workers);
    bc->n_seeds = sizeof seeds / sizeof seeds[0];
    memcpy(bc->seeds, seeds, sizeof seeds);
    bc->epochs = 20;
    bc->warmup_epochs = 1;
    snprintf(bc->out, sizeof bc->out, "results");
    snprintf(bc->mpirun, sizeof bc->mpirun, "mpirun");
    bc->sweep_workers = 2;
}

struct ini_ctx {
    struct gcn_ini_file in;  /* first: the handler's user pointer (see ini_file.h) */
    struct bench_config *bc; /* being filled */
};

static int ini_handler_bench(void *user, const char *section, const char *name,
                             const char *value)
{
    struct ini_ctx *ctx = user;
    long line = gcn_ini_line(&ctx->in);
    char why[1024], sv[64];

    if (strcmp(section, "targets") == 0)
        return 1; /* the report's section */
    if (!section[0]) {
        gcn_fail("%s:%ld: key '%s' outside any section (sections: bench, sweep, targets)",
                 ctx->in.path, line, name);
        ctx->in.failed = 1;
        return 0;
    }
    if (explain_unknown(section, name, why, sizeof why)) {
        gcn_fail("%s:%ld: %s", ctx->in.path, line, why);
        ctx->in.failed = 1;
        return 0;
    }
    if (!set_value(ctx->bc, find_key(section, name), value, why, sizeof why)) {
        gcn_fail("%s:%ld: [%s] %s = %s: %s", ctx->in.path, line, section, name,
                 gcn_ini_shorten(value, sv), why);
        ctx->in.failed = 1;
        return 0;
    }
    return 1;
}

int bench_config_load(struct bench_config *bc, const char *path)
{
    struct ini_ctx ctx = { .in.path = path, .bc = bc };
    int rc = GCN_ERR;

    if (strlen(path) >= sizeof bc->path)
        return gcn_fail("%.200s...: bench config path too long", path);
    ctx.in.f = fopen(path, "r");
    if (!ctx.in.f)
        return gcn_fail("%s: cannot open bench config: %s", path, strerror(errno));
    if (gcn_ini_parse(&ctx.in, ini_handler_bench) != GCN_OK)
        goto done;
    snprintf(bc->path, sizeof bc->path, "%s", path);
    rc = GCN_OK;
done:
    fclose(ctx.in.f);
    return rc;
}

int bench_config_apply_conf(struct bench_config *bc, const char *assignment)
{
    char why[1024], sa[64];
    const char *shown = gcn_ini_shorten(assignment, sa);
    const char *eq = strchr(assignment, '=');
    const char *dot = eq ? memchr(assignment, '.', (size_t)(eq - assignment)) : NULL;
    if (!eq || !dot || dot == assignment || dot + 1 == eq)
        return gcn_fail("--conf %s: expected SECTION.KEY=VALUE (e.g. bench.repeats=2 or "
                        "model.dropout=0.5)", shown);

    char section[64], name[64];
    size_t sl = (size_t)(dot - assignment), nl = (size_t)(eq - dot - 1);
    if (sl >= sizeof section || nl >= sizeof name)
        return gcn_fail("--conf %s: unknown key", shown);
    memcpy(section, assignment, sl);
    section[sl] = '\0';
    memcpy(name, dot + 1, nl);
    name[nl] = '\0';
    char *sp = section, *np = name;
    trim(&sp);
    trim(&np);

    if (strcmp(sp, "targets") == 0)
        return gcn_fail("--conf %s: targets are read from the bench INI's [targets] section "
                        "(edit the INI or a copy of it)", shown);
    if (strcmp(sp, "bench") != 0 && strcmp(sp, "sweep") != 0) {
        /* a gcnrun key, for every run */
        if (bc->n_conf == BENCH_LIST_MAX)
            return gcn_fail("--conf %s: too many gcnrun overrides (at most %d)", shown,
                            BENCH_LIST_MAX);
        char *item = strdup(assignment);
        if (!item)
            return gcn_fail("--conf %s: out of memory", shown);
        char *t = item;
        trim(&t);
        bool ok = check_conf_item(t, why, sizeof why);
        if (ok)
            snprintf(bc->conf[bc->n_conf++], BENCH_CONF_LEN, "%s", t);
        free(item);
        return ok ? GCN_OK : gcn_fail("--conf %s: %s", shown, why);
    }
    if (explain_unknown(sp, np, why, sizeof why))
        return gcn_fail("--conf %s: %s", shown, why);
    char *value = strdup(eq + 1);
    if (!value)
        return gcn_fail("--conf %s: out of memory", shown);
    char *v = value;
    trim(&v);
    bool ok = set_value(bc, find_key(sp, np), v, why, sizeof why);
    free(value);
    return ok ? GCN_OK : gcn_fail("--conf %s: %s", shown, why);
}

int bench_config_apply_flag(struct bench_config *bc, const char *flag, const char *key,
                            const char *value)
{
    char why[1024], sv[64];
    const struct key_def *k = find_key("bench", key);
    if (!k)
        return gcn_fail("%s: internal error: no [bench] key '%s'", flag, key);
    char *copy = strdup(value);
    if (!copy)
        return gcn_fail("%s: out of memory", flag);
    char *v = copy;
    trim(&v);
    bool ok = set_value(bc, k, v, why, sizeof why);
    free(copy);
    return ok ? GCN_OK : gcn_fail("%s %s: %s", flag, gcn_ini_shorten(value, sv), why);
}

int bench_config_set_sequential(struct bench_config *bc, int on)
{
    size_t at = 0;
    while (at < bc->n_workers && bc->workers[at] != 0)
        at++;
    if (on && at == bc->n_workers) {
        if (bc->n_workers == BENCH_LIST_MAX)
            return gcn_fail("--sequential: the workers list is full (at most %d values)",
                            BENCH_LIST_MAX);
        memmove(bc->workers + 1, bc->workers, bc->n_workers * sizeof bc->workers[0]);
        bc->workers[0] = 0;
        bc->n_workers++;
    } else if (!on && at < bc->n_workers) {
        if (bc->n_workers == 1 && bc->n_ranks == 0)
            return gcn_fail("--no-sequential: the workers list holds only 0 (sequential), so "
                            "nothing would run; give --workers LIST or --ranks LIST");
        memmove(bc->workers + at, bc->workers + at + 1,
                (bc->n_workers - at - 1) * sizeof bc->workers[0]);
        bc->n_workers--;
    }
    return GCN_OK;
}

size_t bench_config_repeats(const struct bench_config *bc)
{
    return bc->repeats ? bc->repeats : bc->n_seeds;
}

size_t bench_config_sweep_repeats(const struct bench_config *bc)
{
    return bc->sweep_repeats ? bc->sweep_repeats : bench_config_repeats(bc);
}

int bench_config_validate(const struct bench_config *bc)
{
    if (bc->repeats > bc->n_seeds)
        return gcn_fail("repeats = %zu but only %zu seeds are listed: give at least %zu seeds "
                        "(--seeds or [bench] seeds) or fewer repeats (--repeats or [bench] "
                        "repeats)", bc->repeats, bc->n_seeds, bc->repeats);
    if (bc->sweep_repeats > bc->n_seeds)
        return gcn_fail("[sweep] repeats = %zu but only %zu seeds are listed: give at least "
                        "%zu seeds (--seeds or [bench] seeds) or fewer sweep repeats",
                        bc->sweep_repeats, bc->n_seeds, bc->sweep_repeats);
    return GCN_OK;
}

/* Writes "key = a, b, c" for the n values at base, a list of the given kind. */
static void write_list(FILE *f, const char *key, size_t n, const void *base, enum kind kind)
{
    fprintf(f, "%s = ", key);
    for (size_t i = 0; i < n; i++) {
        const char *sep = i ? ", " : "";
        if (kind == K_INT_LIST)
            fprintf(f, "%s%d", sep, ((const int *)base)[i]);
        else if (kind == K_U64_LIST)
            fprintf(f, "%s%llu", sep, (unsigned long long)((const uint64_t *)base)[i]);
        else if (kind == K_SIZE_LIST)
            fprintf(f, "%s%zu", sep, ((const size_t *)base)[i]);
        else if (kind == K_NAME_LIST)
            fprintf(f, "%s%s", sep, ((const char(*)[8])base)[i]);
        else if (kind == K_RXN_LIST)
            fprintf(f, "%s%dx%d", sep, ((const struct bench_rxn *)base)[i].ranks,
                    ((const struct bench_rxn *)base)[i].workers);
        else
            fprintf(f, "%s%s", sep, ((const char(*)[BENCH_CONF_LEN])base)[i]);
    }
    fputc('\n', f);
}

/* Writes s on one line: control characters (a newline in an argument) become spaces. */
static void write_line_text(FILE *f, const char *s)
{
    for (; *s; s++)
        fputc((unsigned char)*s < 0x20 ? ' ' : *s, f);
    fputc('\n', f);
}

int bench_config_write_effective(const struct bench_config *bc, const char *dest,
                                 const char *gcnrun, const char *command_line)
{
    struct gcn_atomic_file a;
    FILE *in = NULL;
    int last = '\n';
    char buf[8192];
    size_t got;

    if (gcn_atomic_open(&a, dest, "bench config copy") != GCN_OK)
        return GCN_ERR;
    if (bc->path[0]) {
        in = fopen(bc->path, "rb");
        if (!in) {
            gcn_fail("%s: cannot read bench config: %s", bc->path, strerror(errno));
            goto fail;
        }
        while ((got = fread(buf, 1, sizeof buf, in)) > 0) {
            fwrite(buf, 1, got, a.f);
            last = buf[got - 1];
        }
        if (ferror(in)) {
            gcn_fail("%s: read error: %s", bc->path, strerror(errno));
            goto fail;
        }
        fclose(in);
        in = NULL;
    }
    if (last != '\n')
        fputc('\n', a.f);
    fprintf(a.f, "\n[effective]\n; written by gcnbench: the values this matrix ran with, "
                 "after every command-line override (informational)\n");
    fprintf(a.f, "run_config = ");
    write_line_text(a.f, bc->run_config);
    write_list(a.f, "workers", bc->n_workers, bc->workers, K_INT_LIST);
    write_list(a.f, "ranks", bc->n_ranks, bc->ranks, K_RXN_LIST);
    fprintf(a.f, "mpirun = ");
    write_line_text(a.f, bc->mpirun);
    fprintf(a.f, "hostfile = ");
    write_line_text(a.f, bc->hostfile);
    write_list(a.f, "seeds", bc->n_seeds, bc->seeds, K_U64_LIST);
    fprintf(a.f, "repeats = %zu\n", bench_config_repeats(bc));
    fprintf(a.f, "epochs = %zu\nwarmup_epochs = %zu\n", bc->epochs, bc->warmup_epochs);
    write_list(a.f, "conf", bc->n_conf, bc->conf, K_CONF_LIST);
    fprintf(a.f, "sweep_workers = %d\nsweep_repeats = %zu\n", bc->sweep_workers,
            bench_config_sweep_repeats(bc));
    write_list(a.f, "sweep_hidden", bc->n_hidden, bc->hidden, K_SIZE_LIST);
    write_list(a.f, "sweep_layers", bc->n_layers, bc->layers, K_SIZE_LIST);
    write_list(a.f, "sweep_partitioners", bc->n_partitioners, bc->partitioners, K_NAME_LIST);
    fprintf(a.f, "sweep_forward_only = %s\n", bc->forward_only ? "true" : "false");
    fprintf(a.f, "gcnrun = ");
    write_line_text(a.f, gcnrun);
    fprintf(a.f, "command_line = ");
    write_line_text(a.f, command_line);
    return gcn_atomic_commit(&a);
fail:
    if (in)
        fclose(in);
    gcn_atomic_abort(&a);
    return GCN_ERR;
}
