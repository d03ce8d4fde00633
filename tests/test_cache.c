/* test_cache.c: the prepared-dataset cache (gcn/cache.h, drivers/load.h gcn_load_prepared).
 * A miss then a hit give byte-identical datasets (also identical to an uncached load) and the
 * same training losses, bit for bit, over 2 epochs on Cora and on a small synthetic graph,
 * with and without the cached Â X; every change of a key (synthetic seed, avg_degree,
 * nodes, reorder and its block, normalization, features_only, a DGL file's mtime, size or
 * inode, the format version) misses; a truncated entry, a flipped byte in each array, a wrong
 * magic, a bad header or an old format version is detected, warned about once on the log
 * and rebuilt, and the next load hits; --no-cache writes nothing; a cache folder that cannot
 * be made, or a write that fails (RLIMIT_FSIZE standing in for a full disk), warns once and
 * the load succeeds; concurrent writers leave one good entry; no temporary file survives.
 * Last, gcnrun itself ($GCNRUN_BIN) on Cora: a miss then a hit in the summary and the result
 * JSON, with identical losses, and --no-cache. Everything is written under a mkdtemp folder,
 * the Cora files are copied there only for the cases that touch them. */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base/error.h"
#include "drivers/cli.h"
#include "drivers/config.h"
#include "drivers/load.h"
#include "gcn/cache.h"
#include "gcn/train.h"
#include "gcnrun_build.h"
#include "testutil.h"

#define ALIGN 4096u
#define HEADER 512u

static char tmpdir[512];

static void setup(void)
{
    test_tmpdir_make(tmpdir, sizeof tmpdir, "cache");
}

static void teardown(void)
{
    test_tree_remove(tmpdir);
}

static const char *tmp_path(const char *name)
{
    static char path[2][1024];
    static int k;
    k ^= 1;
    snprintf(path[k], sizeof path[k], "%s/%s", tmpdir, name);
    return path[k];
}

/* ---- configurations ---------------------------------------------------------------------- */

/* A small synthetic graph, METIS-reordered when METIS is built in, cache in tmpdir/cache. */
static void synth_config(struct gcn_config *cfg)
{
    gcn_config_defaults(cfg);
    cfg->format = GCN_FORMAT_SYNTHETIC;
    snprintf(cfg->name, sizeof cfg->name, "tiny-synth");
    cfg->synth.nodes = 3000;
    cfg->synth.features = 24;
    cfg->synth.classes = 5;
    cfg->synth.avg_degree = 8;
    cfg->synth.seed = 7;
    cfg->reorder = GCNRUN_HAVE_METIS ? GCN_REORDER_METIS : GCN_REORDER_NONE;
    cfg->reorder_block = 256;
    cfg->hp.hidden = 16;
    snprintf(cfg->cache_dir, sizeof cfg->cache_dir, "%s/cache", tmpdir);
}

/* Cora as configs/cora.ini has it (row-normalized features, dropout 0.5), from dir. */
static void cora_config(struct gcn_config *cfg, const char *dir)
{
    char ini[1024];
    snprintf(ini, sizeof ini, "%s/configs/cora.ini", test_env("GCN_SOURCE_ROOT"));
    gcn_config_defaults(cfg);
    ck_assert_msg(gcn_config_load(cfg, ini) == GCN_OK, "%s", gcn_last_error());
    snprintf(cfg->data, sizeof cfg->data, "%s/cora_data.npz", dir);
    snprintf(cfg->graph, sizeof cfg->graph, "%s/cora_graph.npz", dir);
    snprintf(cfg->cache_dir, sizeof cfg->cache_dir, "%s/cache", tmpdir);
}

static void copy_file(const char *from, const char *to)
{
    char *buf = NULL;
    FILE *in = fopen(from, "rb");
    ck_assert_msg(in != NULL, "%s: %s", from, strerror(errno));
    FILE *out = fopen(to, "wb");
    ck_assert_msg(out != NULL, "%s: %s", to, strerror(errno));
    buf = malloc(1 << 16);
    size_t got;
    while ((got = fread(buf, 1, 1 << 16, in)) > 0)
        ck_assert_uint_eq(fwrite(buf, 1, got, out), got);
    free(buf);
    fclose(in);
    ck_assert_int_eq(fclose(out), 0);
}

/* Cora's two files copied into tmpdir/cora (the cases that change them). */
static const char *cora_copy(void)
{
    static char dir[600];
    snprintf(dir, sizeof dir, "%s/cora", tmpdir);
    mkdir(dir, 0755);
    const char *src = test_env("GCN_CORA_DIR");
    char a[1024], b[1024];
    for (int i = 0; i < 2; i++) {
        const char *name = i ? "cora_graph.npz" : "cora_data.npz";
        snprintf(a, sizeof a, "%s/%s", src, name);
        snprintf(b, sizeof b, "%s/%s", dir, name);
        copy_file(a, b);
    }
    return dir;
}

/* ---- loading and comparing ----------------------------------------------------------------- */

struct loaded {
    struct gcn_dataset ds;
    struct gcn_load_info info;
    char log[4096]; /* the warnings */
    int warnings;   /* lines in log */
};

static void load(struct loaded *l, const struct gcn_config *cfg, int aggregate)
{
    char *text = NULL;
    size_t len = 0;
    FILE *log = open_memstream(&text, &len);
    ck_assert_ptr_nonnull(log);
    const int st = gcn_load_prepared(&l->ds, cfg, aggregate, log, &l->info);
    fclose(log);
    snprintf(l->log, sizeof l->log, "%s", text);
    l->warnings = 0;
    for (const char *p = text; (p = strstr(p, "warning:")); p++)
        l->warnings++;
    free(text);
    ck_assert_msg(st == GCN_OK, "load failed: %s (log: %s)", gcn_last_error(), l->log);
}

static void unload(struct loaded *l)
{
    gcn_dataset_free(&l->ds);
}

static void expect_same_data(const struct gcn_dataset *a, const struct gcn_dataset *b)
{
    ck_assert_str_eq(a->name, b->name);
    ck_assert_uint_eq(a->n, b->n);
    ck_assert_uint_eq(a->f, b->f);
    ck_assert_uint_eq(a->c, b->c);
    ck_assert_int_eq(a->x_aggregated, b->x_aggregated);
    ck_assert_uint_eq(a->adj.nnz, b->adj.nnz);
    ck_assert_uint_eq(a->adj.n_rows, b->adj.n_rows);
    ck_assert_uint_eq(a->adj.n_cols, b->adj.n_cols);
    ck_assert(memcmp(a->x, b->x, a->n * a->f * sizeof *a->x) == 0);
    ck_assert(memcmp(a->y, b->y, a->n * sizeof *a->y) == 0);
    ck_assert(memcmp(a->split, b->split, a->n) == 0);
    ck_assert(memcmp(a->adj.rowptr, b->adj.rowptr, (a->n + 1) * sizeof *a->adj.rowptr) == 0);
    ck_assert(memcmp(a->adj.col, b->adj.col, a->adj.nnz * sizeof *a->adj.col) == 0);
    ck_assert(memcmp(a->n_split, b->n_split, sizeof a->n_split) == 0);
}

/* Every file of the cache folder is an entry (.data or .ax): no temporary survived.
 * Returns the number of entries. */
static int count_entries(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        const size_t len = strlen(e->d_name);
        ck_assert_msg((len > 5 && strcmp(e->d_name + len - 5, ".data") == 0) ||
                      (len > 3 && strcmp(e->d_name + len - 3, ".ax") == 0),
                      "unexpected file %s in %s", e->d_name, dir);
        n++;
    }
    closedir(d);
    return n;
}

static int exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

/* Training losses of 2 sequential epochs with cfg's hyperparameters into loss[2]. */
static void train2(const struct gcn_dataset *ds, const struct gcn_config *cfg, double loss[2],
                   double *test_f1)
{
    struct gcn_train_opts o;
    gcn_train_opts_defaults(&o);
    o.hp = cfg->hp;
    o.epochs = 2;
    o.warmup_epochs = 0;
    o.seed = cfg->seed;
    struct gcn_train_result r;
    ck_assert_msg(gcn_train_seq(&r, ds, &o) == GCN_OK, "%s", gcn_last_error());
    loss[0] = r.epochs[0].loss;
    loss[1] = r.epochs[1].loss;
    *test_f1 = r.test.f1_micro;
    gcn_train_result_free(&r);
}

/* ---- XXH64 ----------------------------------------------------------------------------------- */

START_TEST(test_hash_vectors)
{
    /* reference values of xxHash's XXH64 */
    ck_assert_uint_eq(gcn_hash64("", 0, 0), 0xef46db3751d8e999ULL);
    ck_assert_uint_eq(gcn_hash64("abc", 3, 0), 0x44bc2cf5ad770999ULL);
    /* every length path (32-byte stripes, 8, 4, 1) and the seed change the value */
    char buf[100];
    for (int i = 0; i < 100; i++)
        buf[i] = (char)(i * 7 + 1);
    for (size_t len = 1; len < 100; len++) {
        ck_assert_uint_ne(gcn_hash64(buf, len, 0), gcn_hash64(buf, len - 1, 0));
        ck_assert_uint_ne(gcn_hash64(buf, len, 0), gcn_hash64(buf, len, 1));
    }
}
END_TEST

/* ---- a miss, then a hit -------------------------------------------------------------------- */

static const struct {
    const char *name;
    int cora;      /* 1: Cora from GCN_CORA_DIR; 0: the small synthetic graph */
    int aggregate; /* layer 1 cached: Â X from the cache */
} roundtrip_cases[] = {
    { "cora, per-epoch aggregation (dropout 0.5)", 1, 0 },
    { "cora, dropout 0, Â X cached", 1, 1 },
    { "synthetic, Â X cached", 0, 1 },
    { "synthetic, per-epoch aggregation", 0, 0 },
};

START_TEST(test_miss_then_hit)
{
    struct gcn_config cfg;
    if (roundtrip_cases[_i].cora) {
        cora_config(&cfg, test_env("GCN_CORA_DIR"));
        if (roundtrip_cases[_i].aggregate)
            cfg.hp.dropout = 0.0f;
    } else {
        synth_config(&cfg);
    }
    const int agg = roundtrip_cases[_i].aggregate;
    struct loaded off, miss, hit;
    cfg.cache = 0;
    load(&off, &cfg, agg);
    ck_assert_int_eq(off.info.status, GCN_CACHE_OFF);
    ck_assert(!exists(cfg.cache_dir));
    cfg.cache = 1;
    load(&miss, &cfg, agg);
    ck_assert_int_eq(miss.info.status, GCN_CACHE_MISS);
    ck_assert_int_eq(miss.info.saved, 1);
    ck_assert_int_eq(miss.warnings, 0);
    ck_assert(exists(miss.info.path));
    ck_assert_int_eq(exists(miss.info.aggregate_path), agg);
    ck_assert_int_eq(count_entries(cfg.cache_dir), 1 + agg);
    load(&hit, &cfg, agg);
    ck_assert_msg(hit.info.status == GCN_CACHE_HIT, "%s: no hit (log: %s)",
                  roundtrip_cases[_i].name, hit.log);
    ck_assert_int_eq(hit.warnings, 0);
    ck_assert_str_eq(hit.info.path, miss.info.path);
    ck_assert_double_eq(hit.info.build_s, 0.0);
    ck_assert_double_eq(hit.info.save_s, 0.0);
    ck_assert(hit.info.read_bytes > 0 && hit.info.load_s > 0.0);
    ck_assert_int_eq(hit.ds.x_aggregated, agg);
    expect_same_data(&off.ds, &miss.ds);
    expect_same_data(&miss.ds, &hit.ds);

    /* the same training, bit for bit */
    double la[2], lb[2], fa, fb;
    train2(&miss.ds, &cfg, la, &fa);
    train2(&hit.ds, &cfg, lb, &fb);
    ck_assert_double_eq(la[0], lb[0]);
    ck_assert_double_eq(la[1], lb[1]);
    ck_assert_double_eq(fa, fb);
    unload(&off);
    unload(&miss);
    unload(&hit);
    ck_assert_int_eq(count_entries(cfg.cache_dir), 1 + agg);
}
END_TEST

/* ---- every key change misses --------------------------------------------------------------- */

static void set_mtime(const char *path, time_t sec)
{
    const struct timespec t[2] = { { sec, 0 }, { sec, 0 } };
    ck_assert_int_eq(utimensat(AT_FDCWD, path, t, 0), 0);
}

static void mut_seed(struct gcn_config *c) { c->synth.seed++; }
static void mut_degree(struct gcn_config *c) { c->synth.avg_degree += 1e-9; }
static void mut_nodes(struct gcn_config *c) { c->synth.nodes++; }
static void mut_homophily(struct gcn_config *c) { c->synth.homophily = 0.6; }
static void mut_reorder(struct gcn_config *c)
{
    c->reorder = c->reorder == GCN_REORDER_NONE ? GCN_REORDER_METIS : GCN_REORDER_NONE;
}
static void mut_block(struct gcn_config *c)
{
    c->reorder = GCN_REORDER_METIS;
    c->reorder_block = 300;
}
static void mut_normalize(struct gcn_config *c) { c->normalize_features ^= 1; }
static void mut_features_only(struct gcn_config *c) { c->features_only = 1; }

/* the data file: a new mtime, same bytes */
static void mut_mtime(struct gcn_config *c)
{
    struct stat st;
    ck_assert_int_eq(stat(c->data, &st), 0);
    set_mtime(c->data, st.st_mtime + 100);
}

/* the graph file: one byte longer, rewritten in place (same inode), old mtime restored. A zip
 * ignores bytes after its end record only when the comment length says so, so the byte goes
 * into a fresh copy of the archive's comment instead: append it and bump the length field. */
static void mut_size(struct gcn_config *c)
{
    struct stat st;
    ck_assert_int_eq(stat(c->graph, &st), 0);
    FILE *f = fopen(c->graph, "r+b");
    ck_assert_ptr_nonnull(f);
    /* the end-of-central-directory record is the last 22 bytes of a comment-less zip */
    unsigned char eocd[22];
    ck_assert_int_eq(fseek(f, -22, SEEK_END), 0);
    ck_assert_uint_eq(fread(eocd, 1, 22, f), 22);
    ck_assert(eocd[0] == 0x50 && eocd[1] == 0x4b && eocd[2] == 5 && eocd[3] == 6);
    ck_assert(eocd[20] == 0 && eocd[21] == 0);
    eocd[20] = 1;
    ck_assert_int_eq(fseek(f, -22, SEEK_END), 0);
    ck_assert_uint_eq(fwrite(eocd, 1, 22, f), 22);
    ck_assert_int_eq(fputc('!', f), '!');
    ck_assert_int_eq(fclose(f), 0);
    set_mtime(c->graph, st.st_mtime);
}

/* the data file: replaced by a copy (new inode), same size and mtime */
static void mut_inode(struct gcn_config *c)
{
    struct stat st;
    ck_assert_int_eq(stat(c->data, &st), 0);
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s.new", c->data);
    copy_file(c->data, tmp);
    set_mtime(tmp, st.st_mtime);
    ck_assert_int_eq(rename(tmp, c->data), 0);
}

static const struct {
    const char *name;
    int cora;                             /* 1: a copy of Cora; 0: the synthetic graph */
    int needs_metis;                      /* skipped without METIS */
    void (*mutate)(struct gcn_config *);  /* the change */
} key_cases[] = {
    { "synthetic.seed", 0, 0, mut_seed },
    { "synthetic.avg_degree", 0, 0, mut_degree },
    { "synthetic.nodes", 0, 0, mut_nodes },
    { "synthetic.homophily", 0, 0, mut_homophily },
    { "dataset.reorder", 0, 1, mut_reorder },
    { "dataset.reorder_block", 0, 1, mut_block },
    { "dataset.normalize_features", 0, 0, mut_normalize },
    { "dataset.features_only", 0, 0, mut_features_only },
    { "data file mtime", 1, 0, mut_mtime },
    { "graph file size", 1, 0, mut_size },
    { "data file inode", 1, 0, mut_inode },
};

START_TEST(test_key_change_misses)
{
    if (key_cases[_i].needs_metis && !GCNRUN_HAVE_METIS)
        return;
    struct gcn_config cfg;
    if (key_cases[_i].cora)
        cora_config(&cfg, cora_copy());
    else
        synth_config(&cfg);
    struct loaded a, b, c;
    load(&a, &cfg, 0);
    ck_assert_int_eq(a.info.status, GCN_CACHE_MISS);
    unload(&a);
    key_cases[_i].mutate(&cfg);
    load(&b, &cfg, 0);
    ck_assert_msg(b.info.status == GCN_CACHE_MISS, "%s: changed, yet the cache hit",
                  key_cases[_i].name);
    ck_assert_int_eq(b.warnings, 0);
    ck_assert_str_ne(b.info.path, a.info.path);
    ck_assert(exists(a.info.path)); /* the old entry stays */
    ck_assert_int_eq(count_entries(cfg.cache_dir), 2);
    load(&c, &cfg, 0); /* and the changed configuration hits now */
    ck_assert_int_eq(c.info.status, GCN_CACHE_HIT);
    expect_same_data(&b.ds, &c.ds);
    unload(&b);
    unload(&c);
}
END_TEST

/* the name, the hint and everything outside the data leave the key alone; the format
 * version does not */
START_TEST(test_key_contents)
{
    struct gcn_config cfg;
    synth_config(&cfg);
    char k1[32768], k2[32768];
    ck_assert_int_eq(gcn_load_cache_key(k1, sizeof k1, &cfg, GCN_CACHE_FORMAT_VERSION), GCN_OK);
    snprintf(cfg.name, sizeof cfg.name, "other");
    cfg.seed = 99;
    cfg.hp.hidden = 7;
    cfg.workers = 3;
    snprintf(cfg.cache_dir, sizeof cfg.cache_dir, "/elsewhere");
    ck_assert_int_eq(gcn_load_cache_key(k2, sizeof k2, &cfg, GCN_CACHE_FORMAT_VERSION), GCN_OK);
    ck_assert_str_eq(k1, k2);
    ck_assert_int_eq(gcn_load_cache_key(k2, sizeof k2, &cfg, GCN_CACHE_FORMAT_VERSION + 1),
                     GCN_OK);
    ck_assert_str_ne(k1, k2);
    ck_assert_uint_ne(gcn_hash64(k1, strlen(k1), 0), gcn_hash64(k2, strlen(k2), 0));
    ck_assert_ptr_nonnull(strstr(k1, "seed=7\n"));
    ck_assert_ptr_nonnull(strstr(k1, "avg_degree=0x1p+3\n"));
    /* a DGL key names each file's identity; a missing file is an error */
    cora_config(&cfg, test_env("GCN_CORA_DIR"));
    ck_assert_int_eq(gcn_load_cache_key(k1, sizeof k1, &cfg, 1), GCN_OK);
    ck_assert_ptr_nonnull(strstr(k1, "/cora_data.npz size="));
    ck_assert_ptr_nonnull(strstr(k1, " mtime="));
    ck_assert_ptr_nonnull(strstr(k1, " ctime="));
    ck_assert_ptr_nonnull(strstr(k1, " inode="));
    /* rewritten in place with the same size and its mtime set back: ctime still tells */
    char data[1100], k3[4096];
    snprintf(data, sizeof data, "%s", tmp_path("cora_data.npz"));
    copy_file(cfg.data, data);
    snprintf(cfg.data, sizeof cfg.data, "%s", data);
    set_mtime(data, 1000000000);
    ck_assert_int_eq(gcn_load_cache_key(k1, sizeof k1, &cfg, 1), GCN_OK);
    usleep(20000); /* past the file system's timestamp granularity */
    copy_file(data, tmp_path("same.npz"));
    copy_file(tmp_path("same.npz"), data);
    set_mtime(data, 1000000000);
    ck_assert_int_eq(gcn_load_cache_key(k3, sizeof k3, &cfg, 1), GCN_OK);
    ck_assert_str_ne(k1, k3);
    snprintf(cfg.graph, sizeof cfg.graph, "%s", tmp_path("missing_graph.npz"));
    ck_assert_int_eq(gcn_load_cache_key(k1, sizeof k1, &cfg, 1), GCN_ERR);
    ck_assert_ptr_nonnull(strstr(gcn_last_error(), "missing_graph.npz"));
    /* too small a buffer */
    ck_assert_int_eq(gcn_load_cache_key(k1, 40, &cfg, 1), GCN_ERR);
}
END_TEST

/* ---- damaged entries ------------------------------------------------------------------------- */

static uint64_t align_up(uint64_t v)
{
    return (v + ALIGN - 1) / ALIGN * ALIGN;
}

/* Offset of array k (0 x, 1 y, 2 split, 3 rowptr, 4 col) of ds's dataset entry. */
static uint64_t array_offset(const struct gcn_dataset *ds, const char *key, int k)
{
    const uint64_t bytes[5] = { (uint64_t)ds->n * ds->f * 4, ds->n * 4, ds->n,
                                (ds->n + 1) * 8, ds->adj.nnz * 4 };
    uint64_t off = align_up(HEADER + strlen(key));
    for (int i = 0; i < k; i++)
        off = align_up(off + bytes[i]);
    return off + bytes[k] / 2; /* the middle of the array */
}

static void flip_byte(const char *path, uint64_t off)
{
    int fd = open(path, O_RDWR);
    ck_assert_int_ge(fd, 0);
    unsigned char b;
    ck_assert_int_eq(pread(fd, &b, 1, (off_t)off), 1);
    b ^= 0x10;
    ck_assert_int_eq(pwrite(fd, &b, 1, (off_t)off), 1);
    close(fd);
}

static void truncate_half(const char *path)
{
    struct stat st;
    ck_assert_int_eq(stat(path, &st), 0);
    ck_assert_int_eq(truncate(path, st.st_size / 2), 0);
}

/* The header's version field (offset 8) set to 0 and the header checksum made right again:
 * an entry an older gcnrun could have written. */
static void old_version(const char *path, const char *key)
{
    unsigned char h[HEADER];
    int fd = open(path, O_RDWR);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(pread(fd, h, HEADER, 0), HEADER);
    memset(h + 8, 0, 4);
    const uint64_t sum = gcn_hash64(key, strlen(key), gcn_hash64(h, HEADER - 8, 0));
    memcpy(h + HEADER - 8, &sum, 8);
    ck_assert_int_eq(pwrite(fd, h, HEADER, 0), HEADER);
    close(fd);
}

enum damage { D_TRUNCATE, D_FLIP, D_MAGIC, D_HEADER, D_VERSION, D_EMPTY };

static const struct {
    const char *name;
    int ax;           /* 1: damage the Â X entry (loaded with aggregate); 0: the dataset one */
    enum damage what;
    int array;        /* D_FLIP: 0 x, 1 y, 2 split, 3 rowptr, 4 col */
    const char *says; /* in the warning */
} damage_cases[] = {
    { "truncated dataset entry", 0, D_TRUNCATE, 0, "truncated" },
    { "truncated Â X entry", 1, D_TRUNCATE, 0, "truncated" },
    { "flipped byte in x", 0, D_FLIP, 0, "checksum mismatch in array 'x'" },
    { "flipped byte in y", 0, D_FLIP, 1, "checksum mismatch in array 'y'" },
    { "flipped byte in split", 0, D_FLIP, 2, "checksum mismatch in array 'split'" },
    { "flipped byte in rowptr", 0, D_FLIP, 3, "checksum mismatch in array 'rowptr'" },
    { "flipped byte in col", 0, D_FLIP, 4, "checksum mismatch in array 'col'" },
    { "flipped byte in Â X", 1, D_FLIP, 0, "checksum mismatch in array 'x'" },
    { "wrong magic, dataset entry", 0, D_MAGIC, 0, "wrong magic" },
    { "wrong magic, Â X entry", 1, D_MAGIC, 0, "wrong magic" },
    { "flipped byte in the header", 0, D_HEADER, 0, "header checksum mismatch" },
    { "older format version", 0, D_VERSION, 0, "format version 0" },
    { "empty file", 0, D_EMPTY, 0, "truncated" },
};

START_TEST(test_damaged_entry_rebuilt)
{
    struct gcn_config cfg;
    synth_config(&cfg);
    const int ax = damage_cases[_i].ax;
    char key[32768], ax_key[32768 + 64];
    ck_assert_int_eq(gcn_load_cache_key(key, sizeof key, &cfg, GCN_CACHE_FORMAT_VERSION),
                     GCN_OK);
    snprintf(ax_key, sizeof ax_key, "%saggregate=sym-normalized A + I, version %d\n", key,
             GCN_CACHE_AGGREGATE_VERSION);
    struct loaded good, bad, again;
    load(&good, &cfg, ax);
    const char *path = ax ? good.info.aggregate_path : good.info.path;
    const char *k = ax ? ax_key : key;
    switch (damage_cases[_i].what) {
    case D_TRUNCATE:
        truncate_half(path);
        break;
    case D_FLIP:
        flip_byte(path, ax ? align_up(HEADER + strlen(ax_key)) + good.ds.n * good.ds.f * 2
                           : array_offset(&good.ds, key, damage_cases[_i].array));
        break;
    case D_MAGIC:
        flip_byte(path, 0);
        break;
    case D_HEADER:
        flip_byte(path, 40); /* inside n */
        break;
    case D_VERSION:
        old_version(path, k);
        break;
    case D_EMPTY:
        ck_assert_int_eq(truncate(path, 0), 0);
        break;
    }
    load(&bad, &cfg, ax);
    ck_assert_msg(bad.info.status == GCN_CACHE_MISS, "%s: a damaged entry hit",
                  damage_cases[_i].name);
    ck_assert_msg(bad.warnings == 1 && strstr(bad.log, damage_cases[_i].says) &&
                  strstr(bad.log, "rebuilding it") && strstr(bad.log, path),
                  "%s: expected one warning saying '%s' about %s, got: %s",
                  damage_cases[_i].name, damage_cases[_i].says, path, bad.log);
    ck_assert_int_eq(bad.info.saved, 1);
    expect_same_data(&good.ds, &bad.ds);
    load(&again, &cfg, ax);
    ck_assert_int_eq(again.info.status, GCN_CACHE_HIT);
    ck_assert_int_eq(again.warnings, 0);
    expect_same_data(&good.ds, &again.ds);
    ck_assert_int_eq(count_entries(cfg.cache_dir), 1 + ax);
    unload(&good);
    unload(&bad);
    unload(&again);
}
END_TEST

/* the raw features of a dataset entry are read only when Â X must be computed again: a
 * corrupt x found then is rebuilt as well */
START_TEST(test_damaged_features_under_missing_ax)
{
    struct gcn_config cfg;
    synth_config(&cfg);
    char key[32768];
    ck_assert_int_eq(gcn_load_cache_key(key, sizeof key, &cfg, GCN_CACHE_FORMAT_VERSION),
                     GCN_OK);
    struct loaded good, bad, again;
    load(&good, &cfg, 1);
    ck_assert_int_eq(unlink(good.info.aggregate_path), 0);
    flip_byte(good.info.path, array_offset(&good.ds, key, 0));
    load(&bad, &cfg, 1);
    ck_assert_int_eq(bad.info.status, GCN_CACHE_MISS);
    ck_assert_msg(bad.warnings == 1 && strstr(bad.log, "checksum mismatch in array 'x'"),
                  "%s", bad.log);
    expect_same_data(&good.ds, &bad.ds);
    load(&again, &cfg, 1);
    ck_assert_int_eq(again.info.status, GCN_CACHE_HIT);
    unload(&good);
    unload(&bad);
    unload(&again);
}
END_TEST

/* ---- turned off, or nowhere to write ------------------------------------------------------- */

START_TEST(test_no_cache_writes_nothing)
{
    static struct gcn_cli cli;
    char dir_conf[1200];
    snprintf(dir_conf, sizeof dir_conf, "dataset.cache_dir=%s/cache", tmpdir);
    char *argv[] = { "gcnrun", "--conf", "synthetic.nodes=500", "--conf",
                     "synthetic.features=8", "--conf", "synthetic.avg_degree=4", "--conf",
                     dir_conf, "--no-cache", NULL };
    ck_assert_int_eq(gcn_cli_parse(&cli, 10, argv), GCN_CLI_RUN);
    ck_assert_int_eq(cli.cfg.cache, 0);
    struct loaded l;
    load(&l, &cli.cfg, 1);
    ck_assert_int_eq(l.info.status, GCN_CACHE_OFF);
    ck_assert_int_eq(l.warnings, 0);
    ck_assert_str_eq(l.info.path, "");
    ck_assert(!exists(cli.cfg.cache_dir));
    ck_assert(l.ds.x_aggregated);
    unload(&l);
    /* and the key turns it on and off the same way */
    char *argv2[] = { "gcnrun", "--conf", "dataset.cache=false", NULL };
    ck_assert_int_eq(gcn_cli_parse(&cli, 3, argv2), GCN_CLI_RUN);
    ck_assert_int_eq(cli.cfg.cache, 0);
    char *argv3[] = { "gcnrun", NULL };
    ck_assert_int_eq(gcn_cli_parse(&cli, 1, argv3), GCN_CLI_RUN);
    ck_assert_int_eq(cli.cfg.cache, 1);
    ck_assert_str_eq(cli.cfg.cache_dir, ".cache");
    char *argv4[] = { "gcnrun", "--conf", "dataset.cache_dir=", NULL };
    ck_assert_int_eq(gcn_cli_parse(&cli, 3, argv4), GCN_CLI_CONFIG_ERROR);
    ck_assert_ptr_nonnull(strstr(gcn_last_error(), "cache_dir"));
}
END_TEST

/* a cache folder under a regular file cannot be made (root cannot either): one warning */
START_TEST(test_unusable_folder_warns_once)
{
    struct gcn_config cfg;
    synth_config(&cfg);
    test_write_file(tmpdir, "file", "not a folder\n");
    snprintf(cfg.cache_dir, sizeof cfg.cache_dir, "%s/file/cache", tmpdir);
    struct loaded l;
    load(&l, &cfg, 1);
    ck_assert_int_eq(l.info.status, GCN_CACHE_MISS);
    ck_assert_int_eq(l.info.saved, 0);
    ck_assert_msg(l.warnings == 1 && strstr(l.log, "cannot use the cache folder") &&
                  strstr(l.log, "Not a directory") && strstr(l.log, "without caching"),
                  "%s", l.log);
    ck_assert(l.ds.x_aggregated);
    unload(&l);
}
END_TEST

/* Every write past 64 KiB fails (RLIMIT_FSIZE, SIGXFSZ ignored: a full disk as far as the
 * writer can tell), in a child: the load succeeds, one warning, no temporary file left. The
 * child's exit status says which check failed. */
START_TEST(test_full_disk_warns_once)
{
    struct gcn_config cfg;
    synth_config(&cfg);
    const char *log_path = tmp_path("log.txt");
    fflush(NULL);
    const pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        signal(SIGXFSZ, SIG_IGN);
        struct rlimit rl = { 64 << 10, 64 << 10 };
        if (setrlimit(RLIMIT_FSIZE, &rl) != 0)
            _exit(10);
        FILE *log = fopen(log_path, "w");
        struct gcn_dataset ds;
        struct gcn_load_info info;
        if (!log)
            _exit(11);
        if (gcn_load_prepared(&ds, &cfg, 1, log, &info) != GCN_OK)
            _exit(12);
        fclose(log);
        if (info.status != GCN_CACHE_MISS || info.saved || !ds.x_aggregated)
            _exit(13);
        gcn_dataset_free(&ds);
        _exit(0);
    }
    int status;
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child failed: status %d",
                  status);
    char *log = test_read_all(log_path);
    int warnings = 0;
    for (const char *p = log; (p = strstr(p, "warning:")); p++)
        warnings++;
    ck_assert_msg(warnings == 1 && strstr(log, "File too large") &&
                  strstr(log, "without caching"), "%s", log);
    free(log);
    ck_assert_int_eq(count_entries(cfg.cache_dir), 0);
}
END_TEST

/* Three processes miss on the same entry at once: every one loads, the entry left is good */
START_TEST(test_concurrent_writers)
{
    struct gcn_config cfg;
    synth_config(&cfg);
    enum { WRITERS = 3 };
    pid_t pids[WRITERS];
    fflush(NULL);
    for (int w = 0; w < WRITERS; w++) {
        pids[w] = fork();
        ck_assert_int_ge(pids[w], 0);
        if (pids[w] == 0) {
            struct gcn_dataset ds;
            struct gcn_load_info info;
            const int st = gcn_load_prepared(&ds, &cfg, 1, stderr, &info);
            gcn_dataset_free(&ds);
            _exit(st == GCN_OK ? 0 : 1);
        }
    }
    for (int w = 0; w < WRITERS; w++) {
        int status;
        ck_assert_int_eq(waitpid(pids[w], &status, 0), pids[w]);
        ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    }
    ck_assert_int_eq(count_entries(cfg.cache_dir), 2);
    struct loaded hit, off;
    load(&hit, &cfg, 1);
    ck_assert_int_eq(hit.info.status, GCN_CACHE_HIT);
    ck_assert_int_eq(hit.warnings, 0);
    cfg.cache = 0;
    load(&off, &cfg, 1);
    expect_same_data(&off.ds, &hit.ds);
    unload(&hit);
    unload(&off);
}
END_TEST

/* a killed writer's temporary goes once it is an hour old, a fresh one stays */
START_TEST(test_sweep_stale_temporaries)
{
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/cache", tmpdir);
    ck_assert_int_eq(mkdir(dir, 0755), 0);
    const char *old = test_write_file(dir, "0123456789abcdef.data.tmp.AbCdEf", "x");
    set_mtime(old, time(NULL) - 7200);
    test_write_file(dir, "0123456789abcdef.ax.tmp.GhIjKl", "y");
    test_write_file(dir, "0123456789abcdef.data", "z");
    /* another program's temporaries in a shared folder are not ours to remove */
    char foreign[1100], short_hash[1100];
    snprintf(foreign, sizeof foreign, "%s", test_write_file(dir, "notes.txt.tmp.QwErTy", "w"));
    set_mtime(foreign, time(NULL) - 7200);
    snprintf(short_hash, sizeof short_hash, "%s",
             test_write_file(dir, "0123456789abcde.data.tmp.QwErTy", "v"));
    set_mtime(short_hash, time(NULL) - 7200);
    ck_assert_int_eq(gcn_cache_sweep(dir, 3600.0), 1);
    ck_assert(exists(foreign));
    ck_assert(exists(short_hash));
    char p[1100];
    snprintf(p, sizeof p, "%s/0123456789abcdef.ax.tmp.GhIjKl", dir);
    ck_assert(exists(p));
    snprintf(p, sizeof p, "%s/0123456789abcdef.data", dir);
    ck_assert(exists(p));
}
END_TEST

/* ---- gcnrun end to end --------------------------------------------------------------------- */

/* Runs gcnrun on Cora (2 epochs, OpenBLAS: --blas auto picks by a timing probe, and the two
 * libraries round differently) with the extra arguments; stdout into out (caller frees),
 * stderr into err; returns the exit status. */
static int gcnrun(char **out, char **err, const char *a1, const char *a2, const char *a3)
{
    const char *cora = test_env("GCN_CORA_DIR");
    char config[1024], data[1100], graph[1100], dir[1100], cmd[6000];
    snprintf(config, sizeof config, "%s/configs/cora.ini", test_env("GCN_SOURCE_ROOT"));
    snprintf(data, sizeof data, "dataset.data=%s/cora_data.npz", cora);
    snprintf(graph, sizeof graph, "dataset.graph=%s/cora_graph.npz", cora);
    snprintf(dir, sizeof dir, "dataset.cache_dir=%s/cache", tmpdir);
    snprintf(cmd, sizeof cmd, "'%s' --config '%s' --conf '%s' --conf '%s' --conf '%s' "
             "--epochs 2 --blas openblas %s %s %s >'%s' 2>'%s'", test_env("GCNRUN_BIN"), config, data, graph,
             dir, a1 ? a1 : "", a2 ? a2 : "", a3 ? a3 : "", tmp_path("out.txt"),
             tmp_path("err.txt"));
    const int st = system(cmd);
    *out = test_read_all(tmp_path("out.txt"));
    *err = test_read_all(tmp_path("err.txt"));
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

/* The text of "KEY": [ ... ] in json (a static copy). */
static const char *json_list(const char *json, const char *key)
{
    static char buf[4096];
    char pat[64];
    snprintf(pat, sizeof pat, "\"%s\": [", key);
    const char *p = strstr(json, pat);
    ck_assert_msg(p != NULL, "no %s in %s", key, json);
    const char *e = strchr(p, ']');
    snprintf(buf, sizeof buf, "%.*s", (int)(e - p), p);
    return buf;
}

/* The value of "KEY" inside the result's "cache" object, as written (a static copy). */
static const char *json_cache_field(const char *json, const char *key)
{
    static char buf[256];
    const char *obj = strstr(json, "\"cache\": {");
    ck_assert_msg(obj != NULL, "no cache object in %s", json);
    const char *end = strchr(obj, '}');
    char pat[64];
    snprintf(pat, sizeof pat, "\"%s\": ", key);
    const char *p = strstr(obj, pat);
    ck_assert_msg(p != NULL && p < end, "no cache.%s in %s", key, json);
    p += strlen(pat);
    const size_t len = strcspn(p, ",\n}");
    snprintf(buf, sizeof buf, "%.*s", (int)len, p);
    return buf;
}

START_TEST(test_gcnrun_hit_and_result)
{
    char *out, *err, *j1, *j2, r1[1100], r2[1100];
    snprintf(r1, sizeof r1, "--result=%s", tmp_path("r1.json"));
    snprintf(r2, sizeof r2, "--result=%s", tmp_path("r2.json"));
    ck_assert_msg(gcnrun(&out, &err, r1, NULL, NULL) == 0, "%s", err);
    ck_assert_msg(strstr(out, "cache miss: built in") && strstr(out, ", saved"), "%s", out);
    ck_assert_str_eq(err, "");
    free(out);
    free(err);
    ck_assert_msg(gcnrun(&out, &err, r2, NULL, NULL) == 0, "%s", err);
    ck_assert_msg(strstr(out, "data        cache hit (") != NULL, "%s", out);
    ck_assert_str_eq(err, "");
    free(out);
    free(err);
    j1 = test_read_all(tmp_path("r1.json"));
    j2 = test_read_all(tmp_path("r2.json"));
    ck_assert_str_eq(json_cache_field(j1, "status"), "\"miss\"");
    ck_assert_str_eq(json_cache_field(j1, "saved"), "true");
    ck_assert_str_eq(json_cache_field(j2, "status"), "\"hit\"");
    ck_assert_str_eq(json_cache_field(j2, "saved"), "false");
    char l1[4096];
    snprintf(l1, sizeof l1, "%s", json_list(j1, "losses"));
    ck_assert_str_eq(l1, json_list(j2, "losses"));
    free(j1);
    free(j2);
    ck_assert_int_eq(count_entries(tmp_path("cache")), 1);

    /* --no-cache: off, and nothing new in the folder */
    ck_assert_msg(gcnrun(&out, &err, "--no-cache", NULL, NULL) == 0, "%s", err);
    ck_assert_msg(strstr(out, "data        cache off") != NULL, "%s", out);
    free(out);
    free(err);
    ck_assert_int_eq(count_entries(tmp_path("cache")), 1);

    /* --dataset-info says where the data came from */
    ck_assert_int_eq(gcnrun(&out, &err, "--dataset-info", NULL, NULL), 0);
    ck_assert_msg(strstr(out, "cache: hit\n") != NULL, "%s", out);
    free(out);
    free(err);
}
END_TEST

/* --dataset-info fills the dataset entry only; --prepare adds Â X when layer 1 is cached
 * (dropout 0), so the training run that follows reads both. */
START_TEST(test_gcnrun_prepare)
{
    char *out, *err;
    ck_assert_msg(gcnrun(&out, &err, "--conf=model.dropout=0", "--dataset-info", NULL) == 0,
                  "%s", err);
    ck_assert_msg(strstr(out, "cache: miss\n") && !strstr(out, "aggregate_cache_path"), "%s",
                  out);
    free(out);
    free(err);
    ck_assert_int_eq(count_entries(tmp_path("cache")), 1);
    ck_assert_msg(gcnrun(&out, &err, "--conf=model.dropout=0", "--prepare", NULL) == 0, "%s",
                  err);
    /* the dataset entry is read, Â X built: the run as a whole is a miss */
    ck_assert_msg(strstr(out, "cache: miss\n") && strstr(out, "aggregate_cache_path: "), "%s",
                  out);
    ck_assert_ptr_null(strstr(out, "epoch")); /* no training */
    free(out);
    free(err);
    ck_assert_int_eq(count_entries(tmp_path("cache")), 2);
    ck_assert_msg(gcnrun(&out, &err, "--conf=model.dropout=0", NULL, NULL) == 0, "%s", err);
    ck_assert_msg(strstr(out, "data        cache hit (") != NULL, "%s", out);
    free(out);
    free(err);
    ck_assert_int_eq(count_entries(tmp_path("cache")), 2);
}
END_TEST

START_TEST(test_gcnrun_unusable_folder)
{
    char *out, *err, conf[1200];
    test_write_file(tmpdir, "file", "x\n");
    snprintf(conf, sizeof conf, "--conf=dataset.cache_dir=%s/file/c", tmpdir);
    ck_assert_msg(gcnrun(&out, &err, conf, NULL, NULL) == 0, "%s", err);
    ck_assert_msg(strncmp(err, "gcnrun: warning: cannot use the cache folder", 44) == 0 &&
                  strchr(err, '\n') == err + strlen(err) - 1, "expected one line: %s", err);
    ck_assert_msg(strstr(out, "not saved") != NULL, "%s", out);
    free(out);
    free(err);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("cache");
    TCase *tc = tcase_create("cache");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_hash_vectors);
    tcase_add_loop_test(tc, test_miss_then_hit, 0,
                        (int)(sizeof roundtrip_cases / sizeof roundtrip_cases[0]));
    tcase_add_loop_test(tc, test_key_change_misses, 0,
                        (int)(sizeof key_cases / sizeof key_cases[0]));
    tcase_add_test(tc, test_key_contents);
    tcase_add_loop_test(tc, test_damaged_entry_rebuilt, 0,
                        (int)(sizeof damage_cases / sizeof damage_cases[0]));
    tcase_add_test(tc, test_damaged_features_under_missing_ax);
    tcase_add_test(tc, test_no_cache_writes_nothing);
    tcase_add_test(tc, test_unusable_folder_warns_once);
    tcase_add_test(tc, test_full_disk_warns_once);
    tcase_add_test(tc, test_concurrent_writers);
    tcase_add_test(tc, test_sweep_stale_temporaries);
    tcase_add_test(tc, test_gcnrun_hit_and_result);
    tcase_add_test(tc, test_gcnrun_prepare);
    tcase_add_test(tc, test_gcnrun_unusable_folder);
    suite_add_tcase(s, tc);
    return test_run_suite(s, CK_FORK_GETENV);
}
