/* testutil.c: see testutil.h. */
#include "testutil.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "gcn/graph.h"
#include "gcn/rng.h"

void toy_dataset(struct gcn_dataset *ds, size_t n, size_t f, size_t c, size_t deg,
                 uint64_t seed)
{
    memset(ds, 0, sizeof *ds);
    strcpy(ds->name, "toy");
    ds->n = n;
    ds->f = f;
    ds->c = c;
    ds->x = malloc(n * f * sizeof *ds->x);
    ds->y = malloc(n * sizeof *ds->y);
    ds->split = malloc(n);
    size_t m = n * deg + 3;
    int64_t *src = malloc(2 * m * sizeof *src), *dst = malloc(2 * m * sizeof *dst);
    ck_assert(ds->x && ds->y && ds->split && src && dst);
    uint64_t st = seed;
    for (size_t i = 0; i < n; i++) {
        ds->y[i] = (int32_t)(gcn_next(&st) % c);
        ds->split[i] = (uint8_t)(i % 5 == 4 ? GCN_TEST : i % 5 == 3 ? GCN_VAL : GCN_TRAIN);
        for (size_t j = 0; j < f; j++)
            ds->x[i * f + j] = (float)(gcn_normal(&st) + (j % c == (size_t)ds->y[i] ? 1.0 : 0.0));
    }
    size_t k = 0;
    for (size_t e = 0; e < n * deg; e++) {
        int64_t a = (int64_t)(gcn_next(&st) % n), b = (int64_t)(gcn_next(&st) % n);
        src[k] = a; dst[k++] = b;
        src[k] = b; dst[k++] = a;
    }
    for (int rep = 0; rep < 2; rep++) { /* the same undirected edge twice: coalesced */
        src[k] = 0; dst[k++] = 1;
        src[k] = 1; dst[k++] = 0;
    }
    src[k] = 2; dst[k++] = 2; /* self-loop: dropped */
    ck_assert_int_eq(gcn_csr_from_coo(&ds->adj, n, src, dst, k), GCN_OK);
    free(src);
    free(dst);
    gcn_dataset_count_splits(ds);
}

const char *test_env(const char *name)
{
    const char *v = getenv(name);
    ck_assert_msg(v && *v, "environment variable %s is not set (run through meson test)", name);
    return v;
}

void test_tmpdir_make(char *dir, size_t cap, const char *tag)
{
    const char *base = getenv("TMPDIR");
    snprintf(dir, cap, "%s/gcn-%s-XXXXXX", base && base[0] ? base : "/tmp", tag);
    ck_assert_ptr_nonnull(mkdtemp(dir));
}

void test_tree_remove(const char *dir)
{
    char cmd[4200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    ck_assert_int_eq(system(cmd), 0);
}

const char *test_write_file(const char *dir, const char *name, const char *text)
{
    static char path[4200];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    ck_assert_msg(f != NULL, "cannot create %s", path);
    fputs(text, f);
    ck_assert_int_eq(fclose(f), 0);
    return path;
}

char *test_read_all(const char *path)
{
    FILE *f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "cannot open %s", path);
    char *buf = NULL;
    size_t cap = 0, len = 0;
    for (;;) {
        if (len + 4096 + 1 > cap) {
            cap = 2 * cap + 8192;
            buf = realloc(buf, cap);
            ck_assert_ptr_nonnull(buf);
        }
        size_t got = fread(buf + len, 1, 4096, f);
        len += got;
        if (got == 0)
            break;
    }
    buf[len] = '\0';
    fclose(f);
    return buf;
}

int test_run_suite(Suite *s, enum fork_status fork)
{
    SRunner *sr = srunner_create(s);
    srunner_set_fork_status(sr, fork);
    srunner_run_all(sr, CK_NORMAL);
    const int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
