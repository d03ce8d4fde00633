/* test_fault.c: Check suite for gcnrun under faults, run as a real process ($GCNRUN_BIN) on
 * Cora with 2 epochs: outputs (--result JSON, --epoch-log CSV) into a full disk (a file-size
 * limit, RLIMIT_FSIZE with SIGXFSZ ignored, which every file system honours), a read-only
 * folder (as root, whom permissions do not stop, the child drops to uid/gid 65534 first), a
 * path under a regular file, a missing folder and a FIFO in the target's place: each must exit
 * 1 with one stderr line and leave the folder as it was (no temporary file, an existing
 * target untouched). A run stopped by SIGINT or SIGTERM after its first epoch line must say
 * so and write no file. StarPU worker counts beyond the build's cap (65) or negative (-1)
 * are one-line errors, not aborts. A dataset larger than the memory left (RLIMIT_AS set in a
 * forked child, relative to its current size, so that it works under ASan too) is refused
 * with both sizes before anything is allocated, and one that fits still loads. */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "drivers/config.h"
#include "gcnrun_build.h"
#include "drivers/load.h"
#include "base/error.h"
#include "testutil.h"

#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif
#ifndef UNDER_ASAN
#define UNDER_ASAN 0
#endif

#define NOBODY 65534          /* uid and gid a root test drops to */
#define MAX_ARGS 32
#define OUT_CAP 16384
#define EPOCH_WAIT_S 120      /* longest wait for the first epoch line */

/* ---- running gcnrun ----------------------------------------------------------------------- */

/* What the child does between fork and exec. */
enum prepare {
    PREP_NONE,
    PREP_FSIZE,  /* RLIMIT_FSIZE 16 bytes, SIGXFSZ ignored: every file write past 16 fails */
    PREP_NOBODY, /* drop root to uid/gid NOBODY (a no-op for other users) */
    PREP_GUARD,  /* cap the address space (or ASan's allocation size) in case the memory
                    check failed to stop a huge allocation */
};

struct child {
    pid_t pid;
    int out, err; /* read ends of the child's stdout and stderr */
};

struct outcome {
    int status;         /* waitpid status */
    char out[OUT_CAP];  /* stdout */
    char err[OUT_CAP];  /* stderr */
};

static char tmpdir[512];

static void make_tmpdir(void)
{
    test_tmpdir_make(tmpdir, sizeof tmpdir, "fault");
}

static void remove_tmpdir(void)
{
    chmod(tmpdir, 0700);
    test_tree_remove(tmpdir);
}

/* Entries of dir (without . and ..); the first name into first. */
static int count_entries(const char *dir, char *first, size_t cap)
{
    DIR *d = opendir(dir);
    ck_assert_msg(d != NULL, "cannot list %s: %s", dir, strerror(errno));
    int n = 0;
    struct dirent *e;
    first[0] = '\0';
    while ((e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        if (!n++)
            snprintf(first, cap, "%s", e->d_name);
    }
    closedir(d);
    return n;
}

static void prepare_child(enum prepare p)
{
    struct rlimit rl;
    switch (p) {
    case PREP_NONE:
        break;
    case PREP_FSIZE:
        signal(SIGXFSZ, SIG_IGN); /* kept across exec: writes fail with EFBIG instead */
        rl.rlim_cur = rl.rlim_max = 16;
        if (setrlimit(RLIMIT_FSIZE, &rl) != 0)
            _exit(120);
        break;
    case PREP_NOBODY:
        if (geteuid() == 0 &&
            (setgroups(0, NULL) != 0 || setgid(NOBODY) != 0 || setuid(NOBODY) != 0))
            _exit(121);
        break;
    case PREP_GUARD:
        if (UNDER_ASAN) { /* ASan needs its address space: bound each allocation instead */
            const char *old = getenv("ASAN_OPTIONS");
            char opts[512];
            snprintf(opts, sizeof opts, "%s%sallocator_may_return_null=1:"
                     "max_allocation_size_mb=1024", old ? old : "", old && old[0] ? ":" : "");
            setenv("ASAN_OPTIONS", opts, 1);
        } else {
            rl.rlim_cur = rl.rlim_max = (rlim_t)8 << 30;
            if (setrlimit(RLIMIT_AS, &rl) != 0)
                _exit(122);
        }
        break;
    }
}

/* Starts gcnrun on Cora (2 epochs, quiet unless extra says otherwise) with the extra
 * arguments (NULL-terminated). */
static void spawn(struct child *c, enum prepare p, const char *first, ...)
{
    static char data_conf[4200], graph_conf[4200], config[4200];
    const char *cora = test_env("GCN_CORA_DIR");
    snprintf(config, sizeof config, "%s/configs/cora.ini", test_env("GCN_SOURCE_ROOT"));
    snprintf(data_conf, sizeof data_conf, "dataset.data=%s/cora_data.npz", cora);
    snprintf(graph_conf, sizeof graph_conf, "dataset.graph=%s/cora_graph.npz", cora);
    const char *bin = test_env("GCNRUN_BIN");
    /* --no-cache: these cases are about the outputs; the dataset cache under the same
     * faults is tests/test_cache.c's */
    const char *argv[MAX_ARGS] = { bin, "--config", config, "--conf", data_conf, "--conf",
                                   graph_conf, "--epochs", "2", "--no-cache" };
    int argc = 10;
    va_list ap;
    va_start(ap, first);
    for (const char *a = first; a; a = va_arg(ap, const char *)) {
        ck_assert_int_lt(argc, MAX_ARGS - 1);
        argv[argc++] = a;
    }
    va_end(ap);
    argv[argc] = NULL;

    int out[2], err[2];
    ck_assert_int_eq(pipe(out), 0);
    ck_assert_int_eq(pipe(err), 0);
    fflush(NULL);
    c->pid = fork();
    ck_assert_int_ge(c->pid, 0);
    if (c->pid == 0) {
        dup2(out[1], STDOUT_FILENO);
        dup2(err[1], STDERR_FILENO);
        close(out[0]);
        close(out[1]);
        close(err[0]);
        close(err[1]);
        prepare_child(p);
        execv(bin, (char *const *)argv);
        _exit(127);
    }
    close(out[1]);
    close(err[1]);
    c->out = out[0];
    c->err = err[0];
}

/* Reads what is ready on the child's pipes into o (waiting up to ms); returns the number of
 * pipes still open. */
static int pump(struct child *c, struct outcome *o, size_t *used_out, size_t *used_err, int ms)
{
    struct pollfd fds[2] = { { c->out, POLLIN, 0 }, { c->err, POLLIN, 0 } };
    int open_fds = (c->out >= 0) + (c->err >= 0);
    if (!open_fds)
        return 0;
    if (poll(fds, 2, ms) <= 0)
        return open_fds;
    int *fd[2] = { &c->out, &c->err };
    char *buf[2] = { o->out, o->err };
    size_t *used[2] = { used_out, used_err };
    for (int k = 0; k < 2; k++) {
        if (*fd[k] < 0 || !(fds[k].revents & (POLLIN | POLLHUP)))
            continue;
        char tmp[4096];
        ssize_t r = read(*fd[k], tmp, sizeof tmp);
        if (r <= 0) {
            close(*fd[k]);
            *fd[k] = -1;
            continue;
        }
        size_t keep = (size_t)r < OUT_CAP - 1 - *used[k] ? (size_t)r : OUT_CAP - 1 - *used[k];
        memcpy(buf[k] + *used[k], tmp, keep);
        *used[k] += keep;
        buf[k][*used[k]] = '\0';
    }
    return (c->out >= 0) + (c->err >= 0);
}

/* Collects the child's output until it exits. */
static void finish(struct child *c, struct outcome *o, size_t used_out, size_t used_err)
{
    while (pump(c, o, &used_out, &used_err, 1000) > 0)
        ;
    ck_assert_int_eq(waitpid(c->pid, &o->status, 0), c->pid);
}

static void run(struct outcome *o, enum prepare p, const char *first, ...)
{
    const char *extra[MAX_ARGS] = { 0 };
    int n = 0;
    va_list ap;
    va_start(ap, first);
    for (const char *a = first; a && n < MAX_ARGS - 12; a = va_arg(ap, const char *))
        extra[n++] = a;
    va_end(ap);
    struct child c;
    memset(o, 0, sizeof *o);
    spawn(&c, p, "--quiet", extra[0], extra[1], extra[2], extra[3], extra[4], extra[5],
          extra[6], extra[7], (const char *)NULL);
    finish(&c, o, 0, 0);
}

/* The child exited with code and wrote exactly one stderr line containing every needle. */
static void expect_one_line(const struct outcome *o, int code, const char *needle1,
                            const char *needle2)
{
    ck_assert_msg(WIFEXITED(o->status), "gcnrun did not exit normally (signal %d); stderr: %s",
                  WIFSIGNALED(o->status) ? WTERMSIG(o->status) : 0, o->err);
    ck_assert_msg(WEXITSTATUS(o->status) == code, "exit %d, expected %d; stderr: %s",
                  WEXITSTATUS(o->status), code, o->err);
    size_t len = strlen(o->err);
    const char *nl = strchr(o->err, '\n');
    ck_assert_msg(len > 0 && nl == o->err + len - 1, "expected one stderr line, got: '%s'",
                  o->err);
    ck_assert_msg(strncmp(o->err, "gcnrun: ", 8) == 0, "stderr does not start 'gcnrun: ': %s",
                  o->err);
    ck_assert_msg(strstr(o->err, needle1), "'%s' missing from: %s", needle1, o->err);
    ck_assert_msg(!needle2 || strstr(o->err, needle2), "'%s' missing from: %s", needle2,
                  o->err);
}

/* ---- output files ------------------------------------------------------------------------ */

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    ck_assert_int_eq(fclose(f), 0);
}

static void expect_text(const char *path, const char *text)
{
    char buf[256] = "";
    FILE *f = fopen(path, "r");
    ck_assert_msg(f != NULL, "%s is gone", path);
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    fclose(f);
    ck_assert_str_eq(buf, text);
}

static const char *const output_flags[] = { "--result", "--epoch-log" };
static const char *const output_names[] = { "r.json", "epochs.csv" };

/* A full disk: the temporary file cannot grow past 16 bytes. _i: bit 0 picks the output,
 * bit 1 puts an earlier version of it in place, which must survive. */
START_TEST(full_disk_leaves_nothing)
{
    const int which = _i & 1, existing = _i >> 1;
    char path[700], first[256];
    make_tmpdir();
    snprintf(path, sizeof path, "%s/%s", tmpdir, output_names[which]);
    if (existing)
        write_text(path, "previous run\n");
    struct outcome o;
    run(&o, PREP_FSIZE, output_flags[which], path, (const char *)NULL);
    expect_one_line(&o, 1, path, "File too large");
    int n = count_entries(tmpdir, first, sizeof first);
    if (existing) {
        ck_assert_msg(n == 1, "%d entries left (first: %s)", n, first);
        expect_text(path, "previous run\n");
    } else {
        ck_assert_msg(n == 0, "'%s' left behind in the output folder", first);
    }
    remove_tmpdir();
}
END_TEST

/* 1 when this process can drop to NOBODY (not root: nothing to drop, permissions apply). */
static int can_drop_root(void)
{
    if (geteuid() != 0)
        return 1;
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0)
        _exit(setgroups(0, NULL) == 0 && setgid(NOBODY) == 0 && setuid(NOBODY) == 0 ? 0 : 1);
    int st;
    ck_assert_int_eq(waitpid(pid, &st, 0), pid);
    return WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

/* A read-only folder (mode 0555), written by a user whom that stops. */
START_TEST(read_only_folder_leaves_nothing)
{
    char path[700], first[256];
    make_tmpdir();
    if (!can_drop_root()) {
        /* root without CAP_SETUID: permissions cannot be made to apply; the other
         * unwritable-folder cases (file as folder, missing folder) still run */
        fprintf(stderr, "test_fault: read-only case skipped: running as root without "
                        "the capability to drop to uid %d\n", NOBODY);
        remove_tmpdir();
        return;
    }
    ck_assert_int_eq(chmod(tmpdir, 0555), 0);
    for (int which = 0; which < 2; which++) {
        snprintf(path, sizeof path, "%s/%s", tmpdir, output_names[which]);
        struct outcome o;
        run(&o, PREP_NOBODY, output_flags[which], path, (const char *)NULL);
        expect_one_line(&o, 1, path, "Permission denied");
        ck_assert_int_eq(count_entries(tmpdir, first, sizeof first), 0);
    }
    remove_tmpdir();
}
END_TEST

/* Folders that cannot hold the output, and a FIFO in the target's place. */
START_TEST(unwritable_paths_fail_cleanly)
{
    char file[700], under_file[800], missing[800], fifo[700], first[256];
    make_tmpdir();
    snprintf(file, sizeof file, "%s/plain", tmpdir);
    write_text(file, "x\n");
    snprintf(under_file, sizeof under_file, "%s/r.json", file);
    snprintf(missing, sizeof missing, "%s/no/such/folder/r.json", tmpdir);
    snprintf(fifo, sizeof fifo, "%s/fifo", tmpdir);
    ck_assert_int_eq(mkfifo(fifo, 0644), 0);
    struct outcome o;
    run(&o, PREP_NONE, "--result", under_file, (const char *)NULL);
    expect_one_line(&o, 1, under_file, "Not a directory");
    run(&o, PREP_NONE, "--epoch-log", missing, (const char *)NULL);
    expect_one_line(&o, 1, missing, "mkdir -p");
    run(&o, PREP_NONE, "--result", fifo, (const char *)NULL);
    expect_one_line(&o, 1, fifo, "not a regular file");
    struct stat st;
    ck_assert_int_eq(stat(fifo, &st), 0);
    ck_assert(S_ISFIFO(st.st_mode));
    ck_assert_int_eq(count_entries(tmpdir, first, sizeof first), 2); /* plain, fifo */
    remove_tmpdir();
}
END_TEST

/* ---- interruption -------------------------------------------------------------------------- */

static const struct {
    int sig;
    const char *workers;
} interrupts[] = { { SIGINT, "0" }, { SIGTERM, "0" }, { SIGTERM, "2" } };

/* Many epochs, stopped by a signal right after the first epoch line: the run says so, exits
 * 128 + signal, and neither output nor a temporary file exists. */
START_TEST(interrupted_run_writes_nothing)
{
    char result[700], log[700], first[256];
    make_tmpdir();
    snprintf(result, sizeof result, "%s/r.json", tmpdir);
    snprintf(log, sizeof log, "%s/epochs.csv", tmpdir);
    struct child c;
    struct outcome o;
    memset(&o, 0, sizeof o);
    spawn(&c, PREP_NONE, "--epochs", "100000", "--workers", interrupts[_i].workers, "--result",
          result, "--epoch-log", log, (const char *)NULL);
    size_t used_out = 0, used_err = 0;
    time_t start = time(NULL);
    while (!strstr(o.out, "epoch 1/") && time(NULL) - start < EPOCH_WAIT_S &&
           pump(&c, &o, &used_out, &used_err, 200) == 2)
        ;
    int saw_epoch = strstr(o.out, "epoch 1/") != NULL;
    kill(c.pid, saw_epoch ? interrupts[_i].sig : SIGKILL);
    finish(&c, &o, used_out, used_err);
    ck_assert_msg(saw_epoch, "no first epoch line; stdout: %s stderr: %s", o.out, o.err);
    expect_one_line(&o, 128 + interrupts[_i].sig, "interrupted", "no result written");
    ck_assert_msg(strstr(o.out, "epoch 100000/") == NULL, "the run was not stopped");
    int n = count_entries(tmpdir, first, sizeof first);
    ck_assert_msg(n == 0, "'%s' left behind by the interrupted run", first);
    remove_tmpdir();
}
END_TEST

/* ---- StarPU start-up ----------------------------------------------------------------------- */

START_TEST(bad_worker_counts_are_errors)
{
    struct outcome o;
    run(&o, PREP_NONE, "--workers", "65", (const char *)NULL);
    expect_one_line(&o, 1, "local[65]", "between 1 and 64");
    run(&o, PREP_NONE, "--workers", "-1", (const char *)NULL);
    expect_one_line(&o, 2, "--workers -1", "0..1024");
    run(&o, PREP_NONE, "--workers", "100000", (const char *)NULL);
    expect_one_line(&o, 2, "--workers 100000", "0..1024");
}
END_TEST

/* Under an MPI launcher, what gcnrun refuses before MPI starts, in one line from rank 0 and
 * silently on the others: the sequential baseline (one process by definition) and, in a build
 * without StarPU-MPI, any run. A worker count out of range is still found first by the
 * runtime, before MPI starts. */
START_TEST(mpi_launcher_refusals)
{
    struct outcome o;
    setenv("OMPI_COMM_WORLD_SIZE", "2", 1);
    setenv("OMPI_COMM_WORLD_RANK", "0", 1);
    run(&o, PREP_NONE, "--workers", "0", (const char *)NULL);
    if (GCNRUN_HAVE_MPI)
        expect_one_line(&o, 2, "--workers 0", "--workers N");
    else
        expect_one_line(&o, 1, "without StarPU-MPI", "tools/setup.sh");
    setenv("OMPI_COMM_WORLD_RANK", "1", 1);
    run(&o, PREP_NONE, "--workers", "0", (const char *)NULL);
    ck_assert_msg(o.status != 0 && o.err[0] == '\0', "rank 1: status %d, stderr '%s'",
                  o.status, o.err);
    setenv("OMPI_COMM_WORLD_SIZE", "1", 1);
    setenv("OMPI_COMM_WORLD_RANK", "0", 1);
    run(&o, PREP_NONE, "--workers", "65", (const char *)NULL);
    if (GCNRUN_HAVE_MPI)
        expect_one_line(&o, 1, "local[65]", "between 1 and 64");
    unsetenv("OMPI_COMM_WORLD_SIZE");
    unsetenv("OMPI_COMM_WORLD_RANK");
}
END_TEST

/* ---- memory -------------------------------------------------------------------------------- */

/* This process's address-space size in bytes (/proc/self/statm). */
static rlim_t vm_bytes(void)
{
    unsigned long long pages = 0;
    FILE *f = fopen("/proc/self/statm", "r");
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(fscanf(f, "%llu", &pages), 1);
    fclose(f);
    return (rlim_t)pages * (rlim_t)sysconf(_SC_PAGESIZE);
}

/* gcn_load_dataset(cfg) in a child whose address space may grow by `room` bytes; returns
 * its status (GCN_OK or GCN_ERR) and the error line in msg. */
static int load_with_room(const struct gcn_config *cfg, rlim_t room, char *msg, size_t cap)
{
    int fd[2];
    ck_assert_int_eq(pipe(fd), 0);
    fflush(NULL);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        close(fd[0]);
        struct rlimit rl;
        if (getrlimit(RLIMIT_AS, &rl) != 0)
            _exit(3);
        rl.rlim_cur = vm_bytes() + room;
        if (setrlimit(RLIMIT_AS, &rl) != 0)
            _exit(3);
        struct gcn_dataset ds;
        int st = gcn_load_dataset(&ds, cfg);
        gcn_dataset_free(&ds);
        const char *m = st == GCN_OK ? "" : gcn_last_error();
        ssize_t w = write(fd[1], m, strlen(m));
        _exit(w < 0 ? 4 : st == GCN_OK ? 0 : 1);
    }
    close(fd[1]);
    size_t used = 0;
    ssize_t r;
    while (used < cap - 1 && (r = read(fd[0], msg + used, cap - 1 - used)) > 0)
        used += (size_t)r;
    msg[used] = '\0';
    close(fd[0]);
    int st;
    ck_assert_int_eq(waitpid(pid, &st, 0), pid);
    ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) <= 1, "loader child died (status %d): %s",
                  st, msg);
    return WEXITSTATUS(st) == 0 ? GCN_OK : GCN_ERR;
}

/* A synthetic dataset of about 4 GiB with 256 MiB of address space left is refused with both
 * sizes and the limit named; a small one loads under the same limit. */
START_TEST(synthetic_too_big_is_refused)
{
    struct gcn_config cfg;
    char msg[1024];
    gcn_config_defaults(&cfg);
    ck_assert_int_eq(gcn_config_override(&cfg, "synthetic.nodes=1000000"), GCN_OK);
    ck_assert_int_eq(gcn_config_override(&cfg, "synthetic.features=1000"), GCN_OK);
    ck_assert_int_eq(gcn_config_override(&cfg, "synthetic.avg_degree=10"), GCN_OK);
    ck_assert_int_eq(load_with_room(&cfg, (rlim_t)256 << 20, msg, sizeof msg), GCN_ERR);
    ck_assert_msg(strstr(msg, "synthetic dataset (1000000 nodes, 1000 features") &&
                  strstr(msg, "the dataset needs 3.") && strstr(msg, " GiB but only ") &&
                  strstr(msg, "(RLIMIT_AS, ulimit -v)"), "unexpected message: %s", msg);

    ck_assert_int_eq(gcn_config_override(&cfg, "synthetic.nodes=2000"), GCN_OK);
    ck_assert_int_eq(gcn_config_override(&cfg, "synthetic.features=16"), GCN_OK);
    ck_assert_msg(load_with_room(&cfg, (rlim_t)256 << 20, msg, sizeof msg) == GCN_OK,
                  "a small dataset was refused: %s", msg);
}
END_TEST

/* Cora (about 15.5 MiB of features) with 4 MiB of address space left is refused from its npz
 * headers alone, naming its data file; with 256 MiB it loads. */
START_TEST(dgl_too_big_is_refused)
{
    struct gcn_config cfg;
    char msg[1024], conf[4200];
    const char *cora = test_env("GCN_CORA_DIR");
    gcn_config_defaults(&cfg);
    ck_assert_int_eq(gcn_config_override(&cfg, "dataset.format=dgl"), GCN_OK);
    snprintf(conf, sizeof conf, "dataset.data=%s/cora_data.npz", cora);
    ck_assert_int_eq(gcn_config_override(&cfg, conf), GCN_OK);
    snprintf(conf, sizeof conf, "dataset.graph=%s/cora_graph.npz", cora);
    ck_assert_int_eq(gcn_config_override(&cfg, conf), GCN_OK);
    ck_assert_int_eq(load_with_room(&cfg, (rlim_t)4 << 20, msg, sizeof msg), GCN_ERR);
    ck_assert_msg(strstr(msg, "cora_data.npz: the dataset needs 15.") &&
                  strstr(msg, " MiB but only ") && strstr(msg, "free memory or use a smaller"),
                  "unexpected message: %s", msg);
    ck_assert_msg(load_with_room(&cfg, (rlim_t)256 << 20, msg, sizeof msg) == GCN_OK,
                  "Cora was refused with 256 MiB left: %s", msg);
}
END_TEST

/* gcnrun itself: a synthetic dataset of petabytes is a one-line error, exit 1. */
START_TEST(gcnrun_refuses_huge_dataset)
{
    struct outcome o;
    struct child c;
    memset(&o, 0, sizeof o);
    spawn(&c, PREP_GUARD, "--quiet", "--conf", "dataset.format=synthetic", "--conf",
          "synthetic.nodes=2000000000", "--conf", "synthetic.features=1000000",
          (const char *)NULL);
    finish(&c, &o, 0, 0);
    expect_one_line(&o, 1, "the dataset needs 7.1 PiB but only", "of memory is available");
}
END_TEST

static Suite *fault_suite(void)
{
    Suite *s = suite_create("fault");
    TCase *tw = tcase_create("writes");
    tcase_add_loop_test(tw, full_disk_leaves_nothing, 0, 4);
    tcase_add_test(tw, read_only_folder_leaves_nothing);
    tcase_add_test(tw, unwritable_paths_fail_cleanly);
    tcase_set_timeout(tw, 120);
    suite_add_tcase(s, tw);
    TCase *ti = tcase_create("interrupt");
    tcase_add_loop_test(ti, interrupted_run_writes_nothing, 0,
                        (int)(sizeof interrupts / sizeof interrupts[0]));
    tcase_add_test(ti, bad_worker_counts_are_errors);
    tcase_add_test(ti, mpi_launcher_refusals);
    tcase_set_timeout(ti, 2 * EPOCH_WAIT_S);
    suite_add_tcase(s, ti);
    TCase *tm = tcase_create("memory");
    tcase_add_test(tm, synthetic_too_big_is_refused);
    tcase_add_test(tm, dgl_too_big_is_refused);
    tcase_add_test(tm, gcnrun_refuses_huge_dataset);
    tcase_set_timeout(tm, 120);
    suite_add_tcase(s, tm);
    return s;
}

int main(void)
{
    return test_run_suite(fault_suite(), CK_FORK_GETENV);
}
