/* test_report.c: Check suite for drivers/json.c, drivers/atomic.c, drivers/sysinfo.c,
 * drivers/progress.c and drivers/report.c: exact JSON bytes for escaping, numbers and
 * nesting, one table row per documented writer misuse, atomic writes (success, replace,
 * abort, interrupt cleanup, and every documented failure: missing folder, a file as folder,
 * a folder as target, /proc, ENOSPC through /dev/full; each must name the path and leave no
 * temporary file), the result JSON of a fake training result parsed back by Python with
 * every key of docs/result-schema.md checked, the epoch-log CSV, the progress line and the
 * summary. Files go into a mkdtemp folder removed at the end. Tests run as root in CI, where
 * chmod 0555 does not stop writes, so failures are forced with paths that cannot exist. */
#include <check.h>
#include <errno.h>
#include <glob.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "drivers/atomic.h"
#include "drivers/config.h"
#include "drivers/json.h"
#include "drivers/progress.h"
#include "drivers/report.h"
#include "drivers/sysinfo.h"
#include "base/error.h"
#include "testutil.h"

static char tmpdir[512];

static void make_tmpdir(void)
{
    test_tmpdir_make(tmpdir, sizeof tmpdir, "report");
}

static void remove_tree(const char *dir)
{
    test_tree_remove(dir);
}

static void remove_tmpdir(void)
{
    remove_tree(tmpdir);
}

/* tmpdir/name in a static buffer (one of 4 rotating). */
static const char *tmp_path(const char *name)
{
    static char buf[4][700];
    static int k;
    k = (k + 1) % 4;
    snprintf(buf[k], sizeof buf[k], "%s/%s", tmpdir, name);
    return buf[k];
}

/* Files matching pattern. */
static size_t count_glob(const char *pattern)
{
    glob_t g;
    size_t n = 0;
    if (glob(pattern, 0, NULL, &g) == 0)
        n = g.gl_pathc;
    globfree(&g);
    return n;
}


#define ASSERT_MSG_HAS(needle)                                                               \
    ck_assert_msg(strstr(gcn_last_error(), (needle)) != NULL,                                \
                  "message '%s' lacks '%s'", gcn_last_error(), (needle))

/* ---- JSON writer ----------------------------------------------------------------------- */

/* A compact writer into a memory buffer. */
struct mem_json {
    char *buf;
    size_t len;
    FILE *f;
    struct gcn_json j;
};

static void mem_open(struct mem_json *m, int pretty)
{
    m->buf = NULL;
    m->len = 0;
    m->f = open_memstream(&m->buf, &m->len);
    ck_assert_ptr_nonnull(m->f);
    gcn_json_init(&m->j, m->f, pretty);
}

/* Finishes (expecting rc), closes, returns the bytes (caller frees). */
static char *mem_close(struct mem_json *m, int want_rc)
{
    int rc = gcn_json_finish(&m->j);
    ck_assert_msg(rc == want_rc, "gcn_json_finish returned %d (%s)", rc, gcn_last_error());
    ck_assert_int_eq(fclose(m->f), 0);
    return m->buf;
}

START_TEST(test_json_escaping)
{
    static const struct {
        const char *in;
        size_t len;
        const char *out;
    } cases[] = {
        { "plain", 5, "\"plain\"\n" },
        { "", 0, "\"\"\n" },
        { "q\"b\\s/", 6, "\"q\\\"b\\\\s/\"\n" },
        { "\n\r\t\b\f", 5, "\"\\n\\r\\t\\b\\f\"\n" },
        { "\x01\x1f\x7f", 3, "\"\\u0001\\u001f\\u007f\"\n" },
        { "a\0b", 3, "\"a\\u0000b\"\n" },
        { "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", 14,
          "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"\n" }, /* valid UTF-8 passes */
        { "\xff", 1, "\"\\ufffd\"\n" },                        /* invalid byte */
        { "\xc0\xaf", 2, "\"\\ufffd\\ufffd\"\n" },             /* overlong '/' */
        { "\xed\xa0\x80", 3, "\"\\ufffd\\ufffd\\ufffd\"\n" },   /* UTF-16 surrogate */
        { "\xe2\x82", 2, "\"\\ufffd\\ufffd\"\n" },             /* truncated sequence */
        { "\xf4\x90\x80\x80", 4, "\"\\ufffd\\ufffd\\ufffd\\ufffd\"\n" }, /* > U+10FFFF */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct mem_json m;
        mem_open(&m, 0);
        gcn_json_string_n(&m.j, cases[i].in, cases[i].len);
        char *out = mem_close(&m, GCN_OK);
        ck_assert_msg(strcmp(out, cases[i].out) == 0, "case %zu: got %s want %s", i, out,
                      cases[i].out);
        free(out);
    }
    struct mem_json m;
    mem_open(&m, 0);
    gcn_json_string(&m.j, NULL);
    char *out = mem_close(&m, GCN_OK);
    ck_assert_str_eq(out, "null\n");
    free(out);
}
END_TEST

START_TEST(test_json_numbers)
{
    static const struct {
        double v;
        const char *out;
    } cases[] = {
        { 0.0, "0" },           { -0.0, "-0" },         { 1.0, "1" },
        { 0.1, "0.1" },         { 0.5, "0.5" },         { -2.25, "-2.25" },
        { 1e300, "1e+300" },    { 5e-324, "4.94065645841247e-324" },
        { 123456789012.0, "123456789012" },
        { 1.0 / 3.0, "0.3333333333333333" },
        { 0.1 + 0.2, "0.30000000000000004" },
        { NAN, "null" },        { INFINITY, "null" },   { -INFINITY, "null" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct mem_json m;
        mem_open(&m, 0);
        gcn_json_double(&m.j, cases[i].v);
        char *out = mem_close(&m, GCN_OK);
        char want[64];
        snprintf(want, sizeof want, "%s\n", cases[i].out);
        ck_assert_msg(strcmp(out, want) == 0, "case %zu: got %s want %s", i, out, want);
        if (isfinite(cases[i].v))
            ck_assert_msg(strtod(out, NULL) == cases[i].v, "case %zu does not round-trip", i);
        free(out);
    }
    /* round trip of many values: fewest digits, always exact */
    uint64_t x = 88172645463325252ull;
    for (int i = 0; i < 20000; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        double v;
        memcpy(&v, &x, sizeof v);
        char buf[40];
        gcn_format_double(buf, sizeof buf, v);
        if (isfinite(v))
            ck_assert_msg(strtod(buf, NULL) == v, "%s does not round-trip", buf);
    }
    static const struct {
        float v;
        const char *out;
    } floats[] = { { 0.01f, "0.01" }, { 5e-4f, "0.0005" }, { 0.9f, "0.9" },
                   { 16777217.0f, "16777216" }, { 1.0f / 3.0f, "0.33333334" },
                   { NAN, "null" } };
    for (size_t i = 0; i < sizeof floats / sizeof floats[0]; i++) {
        struct mem_json m;
        mem_open(&m, 0);
        gcn_json_float(&m.j, floats[i].v);
        char *out = mem_close(&m, GCN_OK);
        char want[64];
        snprintf(want, sizeof want, "%s\n", floats[i].out);
        ck_assert_msg(strcmp(out, want) == 0, "float case %zu: got %s want %s", i, out, want);
        free(out);
    }
    char buf[40];
    ck_assert_str_eq(gcn_format_double(buf, sizeof buf, NAN), "nan");
    ck_assert_str_eq(gcn_format_double(buf, sizeof buf, -INFINITY), "-inf");

    struct mem_json m;
    mem_open(&m, 0);
    gcn_json_begin_array(&m.j);
    gcn_json_int(&m.j, INT64_MIN);
    gcn_json_int(&m.j, -1);
    gcn_json_uint(&m.j, UINT64_MAX);
    gcn_json_bool(&m.j, 1);
    gcn_json_bool(&m.j, 0);
    gcn_json_null(&m.j);
    gcn_json_end_array(&m.j);
    char *out = mem_close(&m, GCN_OK);
    ck_assert_str_eq(out, "[-9223372036854775808,-1,18446744073709551615,true,false,null]\n");
    free(out);
}
END_TEST

START_TEST(test_json_nesting)
{
    struct mem_json m;
    mem_open(&m, 0);
    gcn_json_begin_object(&m.j);
    gcn_json_key(&m.j, "a");
    gcn_json_begin_array(&m.j);
    gcn_json_int(&m.j, 1);
    gcn_json_begin_object(&m.j);
    gcn_json_kv_null(&m.j, "b");
    gcn_json_end_object(&m.j);
    gcn_json_begin_array(&m.j);
    gcn_json_end_array(&m.j);
    gcn_json_end_array(&m.j);
    gcn_json_kv_bool(&m.j, "c", 1);
    gcn_json_key(&m.j, "e");
    gcn_json_begin_object(&m.j);
    gcn_json_end_object(&m.j);
    gcn_json_kv_string(&m.j, "k\"", "v");
    gcn_json_end_object(&m.j);
    char *out = mem_close(&m, GCN_OK);
    ck_assert_str_eq(out, "{\"a\":[1,{\"b\":null},[]],\"c\":true,\"e\":{},\"k\\\"\":\"v\"}\n");
    free(out);

    mem_open(&m, 1);
    gcn_json_begin_object(&m.j);
    gcn_json_kv_int(&m.j, "a", 1);
    gcn_json_key(&m.j, "l");
    gcn_json_begin_array(&m.j);
    gcn_json_double(&m.j, 0.5);
    gcn_json_double(&m.j, 2);
    gcn_json_end_array(&m.j);
    gcn_json_key(&m.j, "o");
    gcn_json_begin_object(&m.j);
    gcn_json_kv_string(&m.j, "x", "y");
    gcn_json_end_object(&m.j);
    gcn_json_end_object(&m.j);
    out = mem_close(&m, GCN_OK);
    ck_assert_str_eq(out, "{\n  \"a\": 1,\n  \"l\": [0.5, 2],\n  \"o\": {\n    \"x\": \"y\"\n  }\n}\n");
    free(out);
}
END_TEST

/* Each documented misuse: gcn_json_finish fails with "JSON writer: <problem>". */
enum misuse { M_VALUE_NO_KEY, M_KEY_IN_ARRAY, M_KEY_AT_TOP, M_TWO_KEYS, M_BAD_END,
              M_END_WITH_KEY, M_UNCLOSED, M_TWO_TOP, M_EMPTY, M_TOO_DEEP, M_NULL_KEY };

START_TEST(test_json_misuse)
{
    static const struct {
        enum misuse m;
        const char *msg;
    } cases[] = {
        { M_VALUE_NO_KEY, "without a key" },  { M_KEY_IN_ARRAY, "key inside an array" },
        { M_KEY_AT_TOP, "outside any object" }, { M_TWO_KEYS, "value was due" },
        { M_BAD_END, "without a matching" },  { M_END_WITH_KEY, "value was due" },
        { M_UNCLOSED, "left open" },          { M_TWO_TOP, "second top-level" },
        { M_EMPTY, "no value" },              { M_TOO_DEEP, "deeper" },
        { M_NULL_KEY, "NULL key" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct mem_json m;
        mem_open(&m, 0);
        struct gcn_json *j = &m.j;
        switch (cases[i].m) {
        case M_VALUE_NO_KEY: gcn_json_begin_object(j); gcn_json_int(j, 1); break;
        case M_KEY_IN_ARRAY: gcn_json_begin_array(j); gcn_json_key(j, "k"); break;
        case M_KEY_AT_TOP: gcn_json_key(j, "k"); break;
        case M_TWO_KEYS: gcn_json_begin_object(j); gcn_json_key(j, "a");
                         gcn_json_key(j, "b"); break;
        case M_BAD_END: gcn_json_begin_array(j); gcn_json_end_object(j); break;
        case M_END_WITH_KEY: gcn_json_begin_object(j); gcn_json_key(j, "a");
                             gcn_json_end_object(j); break;
        case M_UNCLOSED: gcn_json_begin_object(j); break;
        case M_TWO_TOP: gcn_json_int(j, 1); gcn_json_int(j, 2); break;
        case M_EMPTY: break;
        case M_TOO_DEEP:
            for (int d = 0; d <= GCN_JSON_MAX_DEPTH; d++)
                gcn_json_begin_array(j);
            break;
        case M_NULL_KEY: gcn_json_begin_object(j); gcn_json_key(j, NULL); break;
        }
        free(mem_close(&m, GCN_ERR));
        ck_assert_msg(strstr(gcn_last_error(), "JSON writer: ") == gcn_last_error(),
                      "case %zu: %s", i, gcn_last_error());
        ck_assert_msg(strstr(gcn_last_error(), cases[i].msg) != NULL, "case %zu: '%s' lacks '%s'",
                      i, gcn_last_error(), cases[i].msg);
    }
}
END_TEST

/* ---- atomic files ---------------------------------------------------------------------- */

START_TEST(test_atomic_success)
{
    make_tmpdir();
    const char *path = tmp_path("out.txt");
    ck_assert_int_eq(gcn_atomic_write(path, "test file", "hello\n", 6), GCN_OK);
    char *s = test_read_all(path);
    ck_assert_str_eq(s, "hello\n");
    free(s);
    struct stat st;
    ck_assert_int_eq(stat(path, &st), 0);
    mode_t mask = umask(0);
    umask(mask);
    ck_assert_uint_eq(st.st_mode & 0777, 0666 & ~mask); /* not mkstemp's 0600 */

    /* replacing: the old content stays until commit, an abort keeps it */
    struct gcn_atomic_file a;
    ck_assert_int_eq(gcn_atomic_open(&a, path, NULL), GCN_OK);
    ck_assert_ptr_nonnull(a.f);
    fputs("half", a.f);
    fflush(a.f);
    s = test_read_all(path);
    ck_assert_str_eq(s, "hello\n");
    free(s);
    ck_assert_uint_eq(count_glob(tmp_path("out.txt.*")), 1);
    gcn_atomic_abort(&a);
    ck_assert_ptr_null(a.f);
    gcn_atomic_abort(&a); /* twice is a no-op */
    s = test_read_all(path);
    ck_assert_str_eq(s, "hello\n");
    free(s);
    ck_assert_uint_eq(count_glob(tmp_path("out.txt.*")), 0);

    ck_assert_int_eq(gcn_atomic_open(&a, path, NULL), GCN_OK);
    fputs("new content\n", a.f);
    ck_assert_int_eq(gcn_atomic_commit(&a), GCN_OK);
    ck_assert_ptr_null(a.f);
    s = test_read_all(path);
    ck_assert_str_eq(s, "new content\n");
    free(s);
    ck_assert_uint_eq(count_glob(tmp_path("out.txt.*")), 0);
    /* commit without open */
    ck_assert_int_eq(gcn_atomic_commit(&a), GCN_ERR);
    ASSERT_MSG_HAS("not opened");

    /* a relative path (no folder part) works in the current directory */
    char cwd[600];
    ck_assert_ptr_nonnull(getcwd(cwd, sizeof cwd));
    ck_assert_int_eq(chdir(tmpdir), 0);
    ck_assert_int_eq(gcn_atomic_write("rel.txt", NULL, "x", 1), GCN_OK);
    ck_assert_int_eq(chdir(cwd), 0);
    ck_assert_int_eq(access(tmp_path("rel.txt"), F_OK), 0);
    remove_tmpdir();
}
END_TEST

START_TEST(test_atomic_interrupt_cleanup)
{
    make_tmpdir();
    struct gcn_atomic_file a, b;
    ck_assert_int_eq(gcn_atomic_open(&a, tmp_path("a.json"), NULL), GCN_OK);
    ck_assert_int_eq(gcn_atomic_open(&b, tmp_path("b.json"), NULL), GCN_OK);
    ck_assert_uint_eq(count_glob(tmp_path("*.json.*")), 2);
    gcn_atomic_abort_all(); /* what a SIGINT handler does */
    ck_assert_uint_eq(count_glob(tmp_path("*")), 0);
    gcn_atomic_abort(&a);
    gcn_atomic_abort(&b);
    ck_assert_uint_eq(count_glob(tmp_path("*")), 0);
    remove_tmpdir();
}
END_TEST

enum bad_target { T_MISSING_DIR, T_FILE_AS_DIR, T_DIR_AS_FILE, T_TRAILING_SLASH, T_EMPTY,
                  T_PROC, T_TOO_LONG };

START_TEST(test_atomic_failures)
{
    static const struct {
        enum bad_target t;
        const char *msg; /* besides the path */
    } cases[] = {
        { T_MISSING_DIR, "mkdir -p" },       { T_FILE_AS_DIR, "not a folder" },
        { T_DIR_AS_FILE, "is a folder" },    { T_TRAILING_SLASH, "is a folder" },
        { T_EMPTY, "path is empty" },        { T_PROC, "cannot write test file '/proc/" },
        { T_TOO_LONG, "shorter path" },
    };
    make_tmpdir();
    ck_assert_int_eq(gcn_atomic_write(tmp_path("plain"), NULL, "x", 1), GCN_OK);
    char path[GCN_PATH_MAX + 64];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        switch (cases[i].t) {
        case T_MISSING_DIR: snprintf(path, sizeof path, "%s/no/such/dir/r.json", tmpdir); break;
        case T_FILE_AS_DIR: snprintf(path, sizeof path, "%s/plain/r.json", tmpdir); break;
        case T_DIR_AS_FILE: snprintf(path, sizeof path, "%s", tmpdir); break;
        case T_TRAILING_SLASH: snprintf(path, sizeof path, "%s/newdir/", tmpdir); break;
        case T_EMPTY: path[0] = '\0'; break;
        case T_PROC: snprintf(path, sizeof path, "/proc/gcn-report-test.json"); break;
        case T_TOO_LONG:
            memset(path, 'a', GCN_PATH_MAX);
            path[GCN_PATH_MAX] = '\0';
            break;
        }
        ck_assert_msg(gcn_atomic_write(path, "test file", "{}", 2) == GCN_ERR, "case %zu", i);
        if (cases[i].t != T_EMPTY && cases[i].t != T_TOO_LONG)
            ck_assert_msg(strstr(gcn_last_error(), path) != NULL, "case %zu: '%s' lacks the path",
                          i, gcn_last_error());
        ASSERT_MSG_HAS(cases[i].msg);
        ck_assert_msg(strchr(gcn_last_error(), '\n') == NULL, "one line: %s", gcn_last_error());
        /* nothing left behind anywhere */
        ck_assert_uint_eq(count_glob(tmp_path("*")), 1);
        ck_assert_uint_eq(count_glob("/proc/gcn-report-test*"), 0);
    }
    remove_tmpdir();
}
END_TEST

/* ENOSPC: the stream is swapped for /dev/full, which fails every write with ENOSPC. */
START_TEST(test_atomic_enospc)
{
    make_tmpdir();
    struct gcn_atomic_file a;
    const char *path = tmp_path("full.json");
    ck_assert_int_eq(gcn_atomic_open(&a, path, "result file"), GCN_OK);
    FILE *full = fopen("/dev/full", "w");
    ck_assert_ptr_nonnull(full);
    fclose(a.f);
    a.f = full;
    for (int i = 0; i < 10000; i++)
        fputs("0123456789", a.f);
    ck_assert_int_eq(gcn_atomic_commit(&a), GCN_ERR);
    ASSERT_MSG_HAS(strerror(ENOSPC));
    ASSERT_MSG_HAS("free space");
    ASSERT_MSG_HAS(path);
    ck_assert_ptr_null(a.f);
    ck_assert_uint_eq(count_glob(tmp_path("*")), 0);
    remove_tmpdir();
}
END_TEST

/* ---- sysinfo --------------------------------------------------------------------------- */

START_TEST(test_sysinfo)
{
    struct gcn_sysinfo si;
    ck_assert_int_eq(gcn_sysinfo_collect(&si), GCN_OK);
    ck_assert_int_ge(si.cores, 1);
    ck_assert_int_ge(si.threads, si.cores);
    ck_assert_str_ne(si.cpu_model, "");
    ck_assert_uint_gt(si.memory_bytes, 0);
    ck_assert_str_ne(si.openblas_config, "unknown");
    ck_assert_str_ne(si.starpu_version, "unknown");
    ck_assert_str_ne(si.gcnrun_version, "unknown");
    ck_assert_int_ge(si.openblas_threads, 1);

    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    gcn_sysinfo_print(&si, f);
    fclose(f);
    ck_assert_ptr_nonnull(strstr(buf, si.cpu_model));
    ck_assert_ptr_nonnull(strstr(buf, "StarPU"));
    free(buf);

    static const struct {
        uint64_t v;
        const char *out;
    } bytes[] = { { 0, "0 B" },           { 1023, "1023 B" },      { 1024, "1 KiB" },
                  { 49152, "48 KiB" },    { 1536 * 1024, "1.50 MiB" },
                  { 12ull << 30, "12 GiB" }, { 13207024435ull, "12.3 GiB" } };
    char out[32];
    for (size_t i = 0; i < sizeof bytes / sizeof bytes[0]; i++)
        ck_assert_str_eq(gcn_format_bytes(out, sizeof out, bytes[i].v), bytes[i].out);
}
END_TEST

/* ---- result JSON, epoch log, summary --------------------------------------------------- */

#define FAKE_EPOCHS 5

static struct gcn_epoch_record fake_epochs[FAKE_EPOCHS];

/* A finished 5-epoch run on a fake 100-node dataset (no arrays needed by the report). */
static void fake_run(struct gcn_run_report *rep, struct gcn_train_result *res,
                     struct gcn_dataset *ds, struct gcn_config *cfg, int workers)
{
    memset(ds, 0, sizeof *ds);
    snprintf(ds->name, sizeof ds->name, "fake \"ds\"");
    ds->n = 100;
    ds->f = 8;
    ds->c = 3;
    ds->adj.nnz = 640;
    ds->n_split[GCN_TRAIN] = 60;
    ds->n_split[GCN_VAL] = 20;
    ds->n_split[GCN_TEST] = 20;
    gcn_config_defaults(cfg);
    snprintf(cfg->path, sizeof cfg->path, "configs/fake.ini");
    cfg->epochs = FAKE_EPOCHS;
    cfg->warmup_epochs = 1;
    cfg->workers = workers;
    for (size_t e = 0; e < FAKE_EPOCHS; e++) {
        fake_epochs[e] = (struct gcn_epoch_record){
            .seconds = 0.5 + 0.125 * (double)e, .loss = 1.0 / (double)(e + 1),
            .train_f1 = 0.5 + 0.1 * (double)e, .val_loss = e == 2 ? NAN : 1.5,
            .val_f1 = 0.25, .compute_s = 0.25, .communication_s = 0.125, .overhead_s = 0.0625,
            .tasks = 10 + e, .shuffle_bytes = 1000 };
    }
    memset(res, 0, sizeof *res);
    res->epochs_run = FAKE_EPOCHS;
    res->epochs = fake_epochs;
    for (size_t e = 0; e < FAKE_EPOCHS; e++)
        res->total_time_s += fake_epochs[e].seconds;
    res->final_loss = fake_epochs[FAKE_EPOCHS - 1].loss;
    res->train = (struct gcn_split_metrics){ 0.5, 0.9, 0.85, 60 };
    res->val = (struct gcn_split_metrics){ 0.75, 0.8, 0.7, 20 };
    res->test = (struct gcn_split_metrics){ 0.7, 0.75, 0.625, 20 };
    gcn_run_report_init(rep, cfg, ds, 0);
    rep->result = res;
    rep->load_s = 0.25;
    if (workers > 0) {
        snprintf(rep->scheduler, sizeof rep->scheduler, "lws");
        rep->starpu_workers = workers;
        rep->compute_s = 1.0;
        rep->communication_s = 0.5;
        rep->overhead_s = 0.25;
        rep->tasks = 60;
        rep->shuffle_bytes = 5000;
        rep->edge_cut = 123;
    }
}

/* The Python check: every required key with its type, list lengths, values of the fake. */
static const char *const py_check =
    "import json, math, sys\n"
    "d = json.load(open(sys.argv[1]))\n"
    "workers = int(sys.argv[2])\n"
    "num = (int, float)\n"
    "req = dict(schema_version=int, status=str, date=str, config=str, dataset=str, format=str,\n"
    "  nodes=int, edges=int, features=int, classes=int, train_nodes=int, val_nodes=int,\n"
    "  test_nodes=int, workers=int, partitions=int, partitioner=str, seed=int, layers=int,\n"
    "  hidden=int, lr=num, dropout=num, weight_decay=num, weight_decay_scope=str,\n"
    "  epochs=int, warmup_epochs=int, patience=int, forward_only=bool, blas_threads=int,\n"
    "  epochs_run=int, stopped_early=bool, load_time_s=num, total_time_s=num,\n"
    "  timed_epochs=int, epoch_time_mean_s=num, epoch_time_std_s=num,\n"
    "  throughput_edges_per_s=num, epoch_times_s=list, warmup_times_s=list, losses=list,\n"
    "  val_losses=list, train_f1s=list, val_f1s=list, final_loss=num, train_loss=num,\n"
    "  val_loss=num, test_loss=num, train_f1_micro=num, train_f1_macro=num,\n"
    "  val_f1_micro=num, val_f1_macro=num, test_f1_micro=num, test_f1_macro=num,\n"
    "  peak_rss_bytes=int, hardware=dict, software=dict, cache=dict)\n"
    "rt = dict(scheduler=str, starpu_workers=int, worker_s=num, compute_s=num,\n"
    "  communication_s=num, overhead_s=num, compute_pct=num, communication_pct=num,\n"
    "  overhead_pct=num, tasks=int, shuffle_bytes=int, edge_cut=int,\n"
    "  starpu_transferred_bytes=int, compute_s_per_epoch=list,\n"
    "  communication_s_per_epoch=list, overhead_s_per_epoch=list, tasks_per_epoch=list, shuffle_bytes_per_epoch=list)\n"
    "if workers: req.update(rt)\n"
    "for k, t in req.items():\n"
    "  assert k in d, 'missing ' + k\n"
    "  assert isinstance(d[k], t) and not (t is int and isinstance(d[k], bool)), k\n"
    "if not workers:\n"
    "  for k in rt: assert k not in d, 'sequential run has ' + k\n"
    "for k in ('cpu_model', 'cores', 'threads', 'caches', 'memory_bytes'):\n"
    "  assert k in d['hardware'], k\n"
    "for k in ('l1d_bytes', 'l2_bytes', 'l3_bytes'): assert k in d['hardware']['caches'], k\n"
    "cache = dict(status=str, path=str, aggregate_path=str, load_s=num, build_s=num,\n"
    "  save_s=num, saved=bool, read_bytes=int, written_bytes=int)\n"
    "for k, t in cache.items():\n"
    "  assert isinstance(d['cache'].get(k), t), 'cache.' + k\n"
    "assert d['cache']['status'] in ('off', 'hit', 'miss')\n"
    "for k in ('gcnrun_version', 'git_commit', 'starpu_version', 'openblas_config',\n"
    "          'openblas_threads', 'compiler'): assert k in d['software'], k\n"
    "assert d['status'] == 'ok' and d['dataset'] == 'fake \"ds\"'\n"
    "assert d['config'] == 'configs/fake.ini' and d['workers'] == workers\n"
    "assert d['nodes'] == 100 and d['edges'] == 640 and d['epochs_run'] == 5\n"
    "for k in ('epoch_times_s', 'losses', 'val_losses', 'train_f1s', 'val_f1s'):\n"
    "  assert len(d[k]) == 5, k\n"
    "assert d['epoch_times_s'] == [0.5, 0.625, 0.75, 0.875, 1.0]\n"
    "assert d['warmup_times_s'] == [0.5] and d['timed_epochs'] == 4\n"
    "assert d['val_losses'][2] is None and d['losses'][1] == 0.5\n"
    "assert abs(d['epoch_time_mean_s'] - 0.8125) < 1e-15\n"
    "assert abs(d['epoch_time_std_s'] - math.sqrt(0.078125 / 3)) < 1e-15\n"
    "assert d['total_time_s'] == 3.75 and d['test_f1_macro'] == 0.625\n"
    "assert d['lr'] == 0.01 and d['dropout'] == 0\n"
    "assert d['final_loss'] == 0.2 and d['peak_rss_bytes'] > 0\n"
    "assert d['date'].endswith('Z') and len(d['date']) == 20\n"
    "if workers:\n"
    "  assert d['partitions'] == workers and d['worker_s'] == 1.75\n"
    "  assert d['tasks_per_epoch'] == [10, 11, 12, 13, 14]\n"
    "  assert d['shuffle_bytes_per_epoch'] == [1000] * 5\n"
    "  assert abs(d['compute_pct'] + d['communication_pct'] + d['overhead_pct'] - 100) < 1e-9\n"
    "  assert d['trace_dir'] is None\n"
    "else:\n"
    "  assert d['partitions'] == 1\n";

static void python_check(const char *json_path, int workers)
{
    const char *script = tmp_path("check.py");
    ck_assert_int_eq(gcn_atomic_write(script, NULL, py_check, strlen(py_check)), GCN_OK);
    char cmd[2200];
    snprintf(cmd, sizeof cmd, "/usr/bin/python3 '%s' '%s' %d", script, json_path, workers);
    ck_assert_msg(system(cmd) == 0, "python check failed for %s (workers %d)", json_path,
                  workers);
    unlink(script);
}

START_TEST(test_result_json)
{
    make_tmpdir();
    struct gcn_run_report rep;
    struct gcn_train_result res;
    struct gcn_dataset ds;
    static struct gcn_config cfg;
    for (int workers = 0; workers <= 2; workers += 2) {
        fake_run(&rep, &res, &ds, &cfg, workers);
        const char *path = tmp_path(workers ? "par.json" : "seq.json");
        ck_assert_msg(gcn_report_write_result(&rep, path) == GCN_OK, "%s", gcn_last_error());
        python_check(path, workers);
    }
    ck_assert_uint_eq(count_glob(tmp_path("*.json.*")), 0);

    /* a run that failed is recorded as such */
    fake_run(&rep, &res, &ds, &cfg, 0);
    snprintf(rep.error, sizeof rep.error, "epoch 3: the training loss is nan");
    const char *path = tmp_path("err.json");
    ck_assert_int_eq(gcn_report_write_result(&rep, path), GCN_OK);
    char *s = test_read_all(path);
    ck_assert_ptr_nonnull(strstr(s, "\"status\": \"error\""));
    ck_assert_ptr_nonnull(strstr(s, "\"error\": \"epoch 3: the training loss is nan\""));
    free(s);

    /* an unwritable target fails with the path and leaves nothing */
    char bad[700];
    snprintf(bad, sizeof bad, "%s/missing/r.json", tmpdir);
    ck_assert_int_eq(gcn_report_write_result(&rep, bad), GCN_ERR);
    ASSERT_MSG_HAS(bad);
    ASSERT_MSG_HAS("result file");
    remove_tmpdir();
}
END_TEST

START_TEST(test_epoch_log)
{
    make_tmpdir();
    struct gcn_run_report rep;
    struct gcn_train_result res;
    struct gcn_dataset ds;
    static struct gcn_config cfg;
    fake_run(&rep, &res, &ds, &cfg, 0);
    const char *path = tmp_path("epochs.csv");
    ck_assert_int_eq(gcn_report_write_epoch_log(&res, path), GCN_OK);
    char *s = test_read_all(path);
    ck_assert_str_eq(s, "epoch,loss,train_f1,val_loss,val_f1,seconds\n"
                        "1,1,0.5,1.5,0.25,0.5\n"
                        "2,0.5,0.6,1.5,0.25,0.625\n"
                        "3,0.3333333333333333,0.7,nan,0.25,0.75\n"
                        "4,0.25,0.8,1.5,0.25,0.875\n"
                        "5,0.2,0.9,1.5,0.25,1\n");
    free(s);
    /* an empty run: header only */
    struct gcn_train_result none = { 0 };
    ck_assert_int_eq(gcn_report_write_epoch_log(&none, path), GCN_OK);
    s = test_read_all(path);
    ck_assert_str_eq(s, "epoch,loss,train_f1,val_loss,val_f1,seconds\n");
    free(s);
    char bad[700];
    snprintf(bad, sizeof bad, "%s/missing/e.csv", tmpdir);
    ck_assert_int_eq(gcn_report_write_epoch_log(&res, bad), GCN_ERR);
    ASSERT_MSG_HAS("epoch log");
    ASSERT_MSG_HAS(bad);
    ck_assert_uint_eq(count_glob(tmp_path("*")), 1);
    remove_tmpdir();
}
END_TEST

static char *summary_of(const struct gcn_run_report *rep)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    ck_assert_ptr_nonnull(f);
    gcn_report_print_summary(rep, f);
    fclose(f);
    return buf;
}

START_TEST(test_summary)
{
    struct gcn_run_report rep;
    struct gcn_train_result res;
    struct gcn_dataset ds;
    static struct gcn_config cfg;
    fake_run(&rep, &res, &ds, &cfg, 0);
    char *s = summary_of(&rep);
    static const char *const seq_has[] = {
        "fake \"ds\": 100 nodes, 640 edges, 8 features, 3 classes (train 60, val 20, test 20)",
        "configs/fake.ini: sequential", "epochs      5 of 5",
        "total time  3.750 s training, 0.250 s loading",
        "epoch time  812.50 ms ± ", "(mean ± std of 4 epochs; warm-up: 500.00 ms)",
        "test F1     micro 0.7500  macro 0.6250", "peak RSS    ",
    };
    for (size_t i = 0; i < sizeof seq_has / sizeof seq_has[0]; i++)
        ck_assert_msg(strstr(s, seq_has[i]) != NULL, "summary lacks '%s':\n%s", seq_has[i], s);
    ck_assert_ptr_null(strstr(s, "runtime"));
    free(s);

    fake_run(&rep, &res, &ds, &cfg, 2);
    snprintf(rep.trace_dir, sizeof rep.trace_dir, "/tmp/tr");
    s = summary_of(&rep);
    static const char *const par_has[] = {
        "local[2], 2 partitions (range), scheduler lws",
        "compute 1.000 s (57.1 %), communication 0.500 s (28.6 %), overhead 0.250 s (14.3 %) "
        "of 1.750 s worker time on 2 StarPU workers",
        "4.88 KiB (1000 B per epoch), 60 tasks, edge cut 123 of 640 edges",
        "StarPU moved 0 B between memory nodes", "vite /tmp/tr/paje.trace",
    };
    for (size_t i = 0; i < sizeof par_has / sizeof par_has[0]; i++)
        ck_assert_msg(strstr(s, par_has[i]) != NULL, "summary lacks '%s':\n%s", par_has[i], s);
    free(s);
}
END_TEST

/* ---- progress line --------------------------------------------------------------------- */

START_TEST(test_progress)
{
    static const struct {
        double s;
        const char *out;
    } durations[] = { { 0.0, "0.0s" },   { 14.6, "14.6s" }, { 99.9, "99.9s" },
                      { 125.0, "2m05s" }, { 3725.0, "1h02m" }, { -1.0, "?" },
                      { NAN, "?" } };
    char buf[32];
    for (size_t i = 0; i < sizeof durations / sizeof durations[0]; i++)
        ck_assert_str_eq(gcn_format_duration(buf, sizeof buf, durations[i].s), durations[i].out);

    /* not a TTY: one plain line per epoch */
    char *out = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);
    struct gcn_progress p;
    gcn_progress_init(&p, f, 0, 1);
    ck_assert_int_eq(p.mode, GCN_PROGRESS_LINES);
    struct gcn_epoch_record r = { .seconds = 0.8124, .loss = 1.23449, .train_f1 = 0.6124,
                                  .val_f1 = 0.598 };
    ck_assert_int_eq(gcn_progress_epoch(&p, 2, 20, &r), 0);
    r.seconds = 150.0;
    ck_assert_int_eq(gcn_progress_epoch(&p, 19, 20, &r), 0);
    gcn_progress_finish(&p);
    fclose(f);
    ck_assert_msg(strncmp(out, "epoch 3/20 loss 1.2345 train_f1 0.612 val_f1 0.598 time 0.812s eta ",
                          67) == 0, "got %s", out);
    ck_assert_ptr_nonnull(strstr(out, "\nepoch 20/20 loss 1.2345 train_f1 0.612 val_f1 0.598 "
                                      "time 2m30s eta 0.0s\n"));
    ck_assert_ptr_null(strchr(out, '\r'));
    free(out);

    /* quiet: nothing */
    out = NULL;
    f = open_memstream(&out, &len);
    gcn_progress_init(&p, f, 1, 1);
    ck_assert_int_eq(gcn_progress_epoch(&p, 0, 20, &r), 0);
    gcn_progress_finish(&p);
    fclose(f);
    ck_assert_uint_eq(len, 0);
    free(out);

    /* bar mode (forced; a memstream is no TTY): '\r', bar, clear-to-end, newline at finish */
    out = NULL;
    f = open_memstream(&out, &len);
    gcn_progress_init(&p, f, 0, 0);
    p.mode = GCN_PROGRESS_BAR;
    setenv("COLUMNS", "120", 1);
    r.seconds = 0.5;
    gcn_progress_epoch(&p, 9, 20, &r);
    gcn_progress_finish(&p);
    fclose(f);
    ck_assert_msg(strncmp(out, "\r[####################....................] epoch 10/20 ", 56) == 0,
                  "got %s", out);
    ck_assert_ptr_nonnull(strstr(out, "\033[K\n"));
    ck_assert_uint_le(strlen(out), 120 + 5);
    free(out);
}
END_TEST

static Suite *report_suite(void)
{
    Suite *s = suite_create("report");
    TCase *tc = tcase_create("json");
    tcase_add_test(tc, test_json_escaping);
    tcase_add_test(tc, test_json_numbers);
    tcase_add_test(tc, test_json_nesting);
    tcase_add_test(tc, test_json_misuse);
    suite_add_tcase(s, tc);
    tc = tcase_create("atomic");
    tcase_add_test(tc, test_atomic_success);
    tcase_add_test(tc, test_atomic_interrupt_cleanup);
    tcase_add_test(tc, test_atomic_failures);
    tcase_add_test(tc, test_atomic_enospc);
    suite_add_tcase(s, tc);
    tc = tcase_create("report");
    tcase_add_test(tc, test_sysinfo);
    tcase_add_test(tc, test_result_json);
    tcase_add_test(tc, test_epoch_log);
    tcase_add_test(tc, test_summary);
    tcase_add_test(tc, test_progress);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return test_run_suite(report_suite(), CK_FORK_GETENV);
}
