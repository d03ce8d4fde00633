/* bench_run.c: fork + execv of one gcnrun child, its two output pipes, signal forwarding and
 * wait4 (see bench_run.h). One poll loop watches the child's stdout and stderr and the
 * self-pipe the signal handler writes to, with a one-second timeout for the caller's
 * elapsed-time display. */
#include "bench_run.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/error.h"
#include "gcn/train.h"

extern char **environ;

static volatile sig_atomic_t stop_signal;  /* first SIGINT / SIGTERM */
static volatile sig_atomic_t stop_count;   /* signals received */
static int wake_pipe[2] = { -1, -1 };      /* the handler writes a byte to [1] */

static void on_signal(int sig)
{
    const int saved = errno;
    if (!stop_signal)
        stop_signal = sig;
    stop_count++;
    if (wake_pipe[1] >= 0)
        (void)!write(wake_pipe[1], "", 1);
    errno = saved;
}

int bench_signals_install(void)
{
    if (wake_pipe[0] < 0 && pipe2(wake_pipe, O_CLOEXEC | O_NONBLOCK) != 0)
        return gcn_fail("cannot create a pipe for signal handling: %s", strerror(errno));
    struct sigaction sa = { .sa_handler = on_signal };
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    return GCN_OK;
}

int bench_stop_signal(void)
{
    return stop_signal;
}

/* A child's output stream, split into lines. */
struct line_reader {
    int fd;          /* read end, -1 once at EOF */
    char buf[4096];  /* the incomplete last line */
    size_t len;
};

/* A whole line of the child's stdout: an "epoch E/N ..." progress line updates res. */
static void stdout_line(struct bench_child_result *res, const char *line)
{
    size_t e, n;
    if (sscanf(line, "epoch %zu/%zu", &e, &n) == 2) {
        res->epoch = e;
        res->epochs = n;
    }
}

/* A whole line of the child's stderr: kept when not blank; a "gcnrun: " line wins over
 * later lines that are not (StarPU's warnings at shutdown, for instance). */
static void stderr_line(struct bench_child_result *res, const char *line, int *have_gcnrun)
{
    size_t n = strlen(line);
    while (n && (line[n - 1] == '\r' || line[n - 1] == ' ' || line[n - 1] == '\t'))
        n--;
    if (!n)
        return;
    const int is_gcnrun = strncmp(line, "gcnrun: ", 8) == 0;
    if (*have_gcnrun && !is_gcnrun)
        return;
    *have_gcnrun = is_gcnrun;
    if (n >= sizeof res->last_stderr)
        n = sizeof res->last_stderr - 1;
    memcpy(res->last_stderr, line, n);
    res->last_stderr[n] = '\0';
}

/* Reads what is available on r; returns 1 when lines were completed (or at EOF). */
static int drain(struct line_reader *r, struct bench_child_result *res, int is_stdout,
                 int *have_gcnrun)
{
    char chunk[4096];
    ssize_t got = read(r->fd, chunk, sizeof chunk);
    if (got < 0 && (errno == EINTR || errno == EAGAIN))
        return 0;
    if (got <= 0) { /* EOF or a read error: either way nothing more comes */
        close(r->fd);
        r->fd = -1;
        if (r->len) {
            r->buf[r->len] = '\0';
            is_stdout ? stdout_line(res, r->buf) : stderr_line(res, r->buf, have_gcnrun);
            r->len = 0;
        }
        return 1;
    }
    int lines = 0;
    for (ssize_t i = 0; i < got; i++) {
        const char c = chunk[i];
        if (c != '\n' && r->len + 1 < sizeof r->buf) {
            r->buf[r->len++] = c;
            continue;
        }
        if (c != '\n' && r->len + 1 >= sizeof r->buf) /* over-long line: cut, keep going */
            continue;
        r->buf[r->len] = '\0';
        is_stdout ? stdout_line(res, r->buf) : stderr_line(res, r->buf, have_gcnrun);
        r->len = 0;
        lines = 1;
    }
    return lines;
}

/* In the child, after fork (SIGINT and SIGTERM blocked, see bench_run_child): stdin from
 * /dev/null, stdout and stderr onto the pipes, default signal handling, then the signals
 * unblocked, so one forwarded before this point is delivered to gcnrun's own handler instead
 * of gcnbench's copy; envp was built before the fork. Only async-signal-safe calls (execvpe
 * allocates nothing when v[0] holds a '/', and searching PATH is what a shell's child does
 * too). */
static void exec_child(const struct bench_argv *a, char *const *envp, int out_fd, int err_fd,
                       const sigset_t *old_mask)
{
    struct sigaction dfl = { .sa_handler = SIG_DFL };
    sigemptyset(&dfl.sa_mask);
    sigaction(SIGINT, &dfl, NULL);
    sigaction(SIGTERM, &dfl, NULL);
    sigprocmask(SIG_SETMASK, old_mask, NULL);
    const int null_fd = open("/dev/null", O_RDONLY);
    if (null_fd >= 0) {
        dup2(null_fd, STDIN_FILENO);
        if (null_fd != STDIN_FILENO)
            close(null_fd);
    }
    if (dup2(out_fd, STDOUT_FILENO) < 0 || dup2(err_fd, STDERR_FILENO) < 0)
        _exit(127);
    if (a->search_path)
        execvpe(a->v[0], a->v, envp);
    else
        execve(a->v[0], a->v, envp);
    const char *why = strerror(errno); /* glibc: a static table for known errors */
    static const char pre[] = "gcnbench: cannot execute ";
    (void)!write(STDERR_FILENO, pre, sizeof pre - 1);
    (void)!write(STDERR_FILENO, a->v[0], strlen(a->v[0]));
    (void)!write(STDERR_FILENO, ": ", 2);
    (void)!write(STDERR_FILENO, why, strlen(why));
    (void)!write(STDERR_FILENO, "\n", 1);
    _exit(127);
}

int bench_run_child(const struct bench_argv *a, bench_tick_fn tick, void *arg,
                    struct bench_child_result *res)
{
    int out_pipe[2] = { -1, -1 }, err_pipe[2] = { -1, -1 };
    struct line_reader rd[2];
    int have_gcnrun = 0, status = 0, poll_failed = 0, rc = GCN_ERR;
    struct rusage ru;
    char **envp = environ;

    memset(res, 0, sizeof *res);
    if (a->env[0]) { /* this process's environment plus a->env, built before the fork */
        size_t n = 0, k = 0;
        while (environ[n])
            n++;
        envp = malloc((n + BENCH_ENV_MAX + 1) * sizeof *envp);
        if (!envp) {
            gcn_fail("out of memory starting %s", a->v[0]);
            goto done;
        }
        memcpy(envp, environ, n * sizeof *envp);
        while (k < BENCH_ENV_MAX && a->env[k]) {
            envp[n + k] = (char *)a->env[k];
            k++;
        }
        envp[n + k] = NULL;
    }
    if (pipe2(out_pipe, O_CLOEXEC) != 0 || pipe2(err_pipe, O_CLOEXEC) != 0) {
        gcn_fail("cannot create pipes for gcnrun: %s; raise the open-file limit (ulimit -n)",
                 strerror(errno));
        goto done;
    }
    const double t0 = gcn_now_s();
    /* the child must not run gcnbench's handler for a signal forwarded before its exec */
    sigset_t stop_set, old_mask;
    sigemptyset(&stop_set);
    sigaddset(&stop_set, SIGINT);
    sigaddset(&stop_set, SIGTERM);
    sigprocmask(SIG_BLOCK, &stop_set, &old_mask);
    const pid_t pid = fork();
    if (pid == 0)
        exec_child(a, envp, out_pipe[1], err_pipe[1], &old_mask);
    sigprocmask(SIG_SETMASK, &old_mask, NULL);
    if (pid < 0) {
        gcn_fail("cannot start gcnrun: fork: %s", strerror(errno));
        goto done;
    }
    close(out_pipe[1]);
    close(err_pipe[1]);
    out_pipe[1] = err_pipe[1] = -1;
    memset(rd, 0, sizeof rd);
    rd[0].fd = out_pipe[0];
    rd[1].fd = err_pipe[0];
    out_pipe[0] = err_pipe[0] = -1; /* owned by rd now */

    int forwarded = 0; /* signals passed on to the child */
    double last_tick = t0;
    while (rd[0].fd >= 0 || rd[1].fd >= 0) {
        if (stop_count > forwarded) {
            kill(pid, stop_count >= 2 ? SIGKILL : stop_signal); /* second Ctrl-C: at once */
            forwarded = stop_count;
        }
        struct pollfd p[3] = {
            { .fd = rd[0].fd, .events = POLLIN },
            { .fd = rd[1].fd, .events = POLLIN },
            { .fd = wake_pipe[0], .events = POLLIN },
        };
        const int n = poll(p, 3, 1000);
        if (n < 0 && errno != EINTR) {
            gcn_fail("waiting for gcnrun: poll: %s", strerror(errno));
            poll_failed = 1;
            kill(pid, SIGKILL);
            break;
        }
        int progressed = 0;
        if (n > 0 && p[2].revents) {
            char sink[64];
            while (read(wake_pipe[0], sink, sizeof sink) > 0)
                ;
        }
        for (int i = 0; n > 0 && i < 2; i++)
            if (rd[i].fd >= 0 && (p[i].revents & (POLLIN | POLLHUP | POLLERR)))
                progressed |= drain(&rd[i], res, i == 0, &have_gcnrun) && i == 0;
        const double now = gcn_now_s();
        if (tick && (progressed || now - last_tick >= 1.0)) {
            tick(arg, res->epoch, res->epochs);
            last_tick = now;
        }
    }
    for (int i = 0; i < 2; i++)
        if (rd[i].fd >= 0)
            close(rd[i].fd);
    pid_t w;
    while ((w = wait4(pid, &status, 0, &ru)) < 0 && errno == EINTR) {
        if (stop_count > forwarded) {
            kill(pid, SIGKILL);
            forwarded = stop_count;
        }
    }
    if (w < 0) {
        gcn_fail("waiting for gcnrun: wait4: %s", strerror(errno));
        goto done;
    }
    if (poll_failed)
        goto done;
    res->wall_s = gcn_now_s() - t0;
    res->peak_rss_bytes = (uint64_t)ru.ru_maxrss * 1024u;
    res->cpu_user_s = (double)ru.ru_utime.tv_sec + 1e-6 * (double)ru.ru_utime.tv_usec;
    res->cpu_sys_s = (double)ru.ru_stime.tv_sec + 1e-6 * (double)ru.ru_stime.tv_usec;
    if (WIFEXITED(status)) {
        res->exit_status = WEXITSTATUS(status);
    } else {
        res->exit_status = -1;
        res->term_signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
    }
    rc = GCN_OK;
done:
    for (int i = 0; i < 2; i++) {
        if (out_pipe[i] >= 0)
            close(out_pipe[i]);
        if (err_pipe[i] >= 0)
            close(err_pipe[i]);
    }
    if (envp != environ)
        free(envp);
    return rc;
}

int bench_find_program(const char *name, char *path, size_t cap)
{
    struct stat st;
    if (strchr(name, '/')) {
        if (snprintf(path, cap, "%s", name) >= (int)cap)
            return 0;
        return stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, X_OK) == 0;
    }
    const char *dirs = getenv("PATH");
    if (!dirs)
        dirs = "/usr/bin:/bin";
    for (const char *s = dirs;;) {
        const char *colon = strchr(s, ':');
        const size_t len = colon ? (size_t)(colon - s) : strlen(s);
        if (snprintf(path, cap, "%.*s/%s", (int)(len ? len : 1), len ? s : ".", name) <
                (int)cap &&
            stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, X_OK) == 0)
            return 1;
        if (!colon)
            return 0;
        s = colon + 1;
    }
}

int bench_online_cpus(void)
{
    cpu_set_t set;
    CPU_ZERO(&set);
    if (sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) > 0)
        return CPU_COUNT(&set);
    const long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (int)n : 1;
}

void bench_child_error(const struct bench_child_result *res, char *buf, size_t cap)
{
    if (res->exit_status < 0)
        snprintf(buf, cap, "killed by signal %d (%s)", res->term_signal,
                 strsignal(res->term_signal));
    else if (res->last_stderr[0])
        snprintf(buf, cap, "%s", res->last_stderr);
    else
        snprintf(buf, cap, "exit status %d", res->exit_status);
}
