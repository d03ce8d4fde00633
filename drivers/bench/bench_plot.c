/* bench_plot.c: gcnbench's plots (see bench_plot.h). Each plot is a data file plus a
 * section of one gnuplot script, drawn once per terminal (PNG, SVG) by a single gnuplot
 * child started with fork/exec in DIR/plots-data. */
#include "bench_plot.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench_run.h"
#include "drivers/atomic.h"
#include "base/error.h"
#include "drivers/json.h"

struct plot_ctx {
    const struct bench_set *set;
    const char *dir;                 /* the results folder */
    char data_dir[4200];             /* dir/plots-data */
    FILE *script;                    /* the gnuplot script being built (memstream) */
    char *script_buf;
    size_t script_len;
    struct bench_plots *out;
};

/* A memstream for one data file or plot body. */
struct text {
    FILE *f;
    char *buf;
    size_t len;
};

static int text_open(struct text *t)
{
    t->buf = NULL;
    t->len = 0;
    t->f = open_memstream(&t->buf, &t->len);
    return t->f ? GCN_OK : gcn_fail("out of memory building the plots");
}

static void text_free(struct text *t)
{
    if (t->f)
        fclose(t->f);
    free(t->buf);
    t->f = NULL;
    t->buf = NULL;
}

/* Closes t's stream (buf/len become final). */
static int text_close(struct text *t)
{
    int bad = ferror(t->f);
    int rc = fclose(t->f);
    t->f = NULL;
    return bad || rc != 0 ? gcn_fail("out of memory building the plots") : GCN_OK;
}

/* Writes t (closed first) as data_dir/name atomically. */
static int write_text(struct plot_ctx *p, const char *name, struct text *t)
{
    char path[4400];
    if (text_close(t) != GCN_OK)
        return GCN_ERR;
    snprintf(path, sizeof path, "%s/%s", p->data_dir, name);
    return gcn_atomic_write(path, "plot data file", t->buf, t->len);
}

/* label as a double-quoted gnuplot data-file string (a '"' inside becomes '\''). */
static void put_data_label(FILE *f, const char *label)
{
    fputc('"', f);
    for (const char *s = label; *s; s++)
        fputc(*s == '"' ? '\'' : *s, f);
    fputc('"', f);
}

/* s as a single-quoted gnuplot script string ('' stands for one quote). */
static void put_script_string(FILE *f, const char *s)
{
    fputc('\'', f);
    for (; *s; s++) {
        if (*s == '\'')
            fputc('\'', f);
        if (*s != '\n')
            fputc(*s, f);
    }
    fputc('\'', f);
}

static void put_num(FILE *f, double v)
{
    char buf[40];
    fputs(gcn_format_double(buf, sizeof buf, isfinite(v) ? v : 0.0), f);
}

/* Adds plot `name` to the script: body (a closed text, drawn once per terminal). */
static int add_plot(struct plot_ctx *p, const char *name, const char *title, struct text *body)
{
    static const char *const ext[2] = { "png", "svg" };
    struct bench_plots *o = p->out;
    if (text_close(body) != GCN_OK)
        return GCN_ERR;
    if (o->n == BENCH_PLOTS_MAX) /* more sweeps than the table holds: keep the first ones */
        return GCN_OK;
    for (int k = 0; k < 2; k++) {
        fprintf(p->script, "\n# %s.%s: %s\nset terminal @%s_term\nset output '%s.%s.part'\n",
                name, ext[k], title, ext[k], name, ext[k]);
        fwrite(body->buf, 1, body->len, p->script);
        fputs("set output\n", p->script);
    }
    snprintf(o->name[o->n], sizeof o->name[o->n], "%s", name);
    snprintf(o->title[o->n], sizeof o->title[o->n], "%s", title);
    o->n++;
    return GCN_OK;
}

/* Appends a sentence to out->note. */
static void note(struct bench_plots *o, const char *sentence)
{
    size_t len = strlen(o->note);
    snprintf(o->note + len, sizeof o->note - len, "%s%s", len ? " " : "", sentence);
}

/* Bars with error bars, one per configuration in cfgs[0..n): column 2 value, 3 error. */
static int bar_plot(struct plot_ctx *p, const char *name, const char *title,
                    const char *ylabel, const struct bench_group *const *cfgs,
                    const double *value, const double *err, size_t n, double ideal)
{
    struct text data = { 0 }, body = { 0 };
    char file[80];
    int rc = GCN_ERR;

    snprintf(file, sizeof file, "%s.dat", name);
    if (text_open(&data) != GCN_OK || text_open(&body) != GCN_OK)
        goto done;
    fputs("# config value error\n", data.f);
    for (size_t i = 0; i < n; i++) {
        put_data_label(data.f, cfgs[i]->label);
        fputc(' ', data.f);
        put_num(data.f, value[i]);
        fputc(' ', data.f);
        put_num(data.f, err ? err[i] : 0.0);
        fputc('\n', data.f);
    }
    if (write_text(p, file, &data) != GCN_OK)
        goto done;
    fprintf(body.f, "reset\nset title ");
    put_script_string(body.f, title);
    fprintf(body.f, "\nset ylabel ");
    put_script_string(body.f, ylabel);
    fprintf(body.f, "\nset style fill solid 0.8 border -1\nset boxwidth 0.7\nset grid ytics\n"
                    "set xrange [-0.6:%g]\nset xtics rotate by -30\nset key top right\n"
                    "set rmargin 10\n", (double)n - 0.4);
    if (isnan(ideal)) {
        fputs("set yrange [0:*]\n", body.f);
    } else { /* room above the ideal line, so it does not hide in the frame */
        double top = ideal;
        for (size_t i = 0; i < n; i++)
            top = isfinite(value[i]) && value[i] > top ? value[i] : top;
        fprintf(body.f, "set yrange [0:%g]\n", 1.15 * top);
    }
    fprintf(body.f, "plot '%s' using 0:2:xtic(1) with boxes lc rgb '#4878a8' notitle", file);
    if (err)
        fprintf(body.f, ", '%s' using 0:2:3 with yerrorbars lc rgb 'black' pt 7 ps 0 "
                        "title 'standard deviation'", file);
    if (!isnan(ideal))
        fprintf(body.f, ", %g with lines dt 2 lc rgb '#808080' title 'ideal'", ideal);
    fputc('\n', body.f);
    rc = add_plot(p, name, title, &body);
done:
    text_free(&data);
    text_free(&body);
    return rc;
}

/* The local[N] and mpi[RxN] configurations of the matrix with a speedup, in cfgs (capacity
 * n_cfgs), in report order (local[N] first); *n_local of them are local[N]. */
static size_t scaling_configs(const struct bench_set *set, const struct bench_group **cfgs,
                              size_t *n_local)
{
    size_t n = 0;
    *n_local = 0;
    for (size_t k = 0; k < set->n_cfgs; k++) {
        const struct bench_group *c = &set->cfgs[k];
        if (strcmp(c->sweep, "matrix") == 0 && c->workers > 0 && isfinite(c->speedup)) {
            cfgs[n++] = c;
            *n_local += c->ranks == 0;
        }
    }
    return n;
}

/* Writes the speedup points of cfgs[0..n) into data_dir/name: x = the workers in all (N, or
 * R x N for mpi[RxN]), speedup, its uncertainty, label. */
static int speedup_data(struct plot_ctx *p, const char *name,
                        const struct bench_group *const *cfgs, size_t n)
{
    struct text data = { 0 };
    int rc = GCN_ERR;
    if (text_open(&data) != GCN_OK)
        return GCN_ERR;
    fputs("# workers speedup uncertainty config\n", data.f);
    for (size_t i = 0; i < n; i++) {
        fprintf(data.f, "%d ", bench_group_workers_total(cfgs[i]));
        put_num(data.f, cfgs[i]->speedup);
        fputc(' ', data.f);
        put_num(data.f, cfgs[i]->speedup_unc);
        fputc(' ', data.f);
        put_data_label(data.f, cfgs[i]->label);
        fputc('\n', data.f);
    }
    rc = write_text(p, name, &data);
    text_free(&data);
    return rc;
}

/* Speedup against the workers in all, with the ideal line, and the efficiency bars. The
 * local[N] configurations form the measured line at x = N; mpi[RxN] ones are separate
 * labelled points at x = R x N (the partitions they train on, like local[R x N]), not on the
 * line, since R x N workers in R processes is another way of running than N in one. */
static int plot_speedup(struct plot_ctx *p, const struct bench_group **cfgs, double *v)
{
    size_t n_local;
    const size_t n = scaling_configs(p->set, cfgs, &n_local);
    struct text body = { 0 };
    int rc = GCN_ERR;

    if (n == 0) {
        note(p->out, "No speedup or efficiency plot: they need sequential and local[N] or "
                     "mpi[RxN] runs.");
        return GCN_OK;
    }
    if (text_open(&body) != GCN_OK ||
        (n_local && speedup_data(p, "speedup.dat", cfgs, n_local) != GCN_OK) ||
        (n > n_local && speedup_data(p, "speedup_mpi.dat", cfgs + n_local, n - n_local) !=
                            GCN_OK))
        goto done;
    int max_n = 1;
    for (size_t i = 0; i < n; i++) {
        const int w = bench_group_workers_total(cfgs[i]);
        max_n = w > max_n ? w : max_n;
    }
    /* log-log: the ideal line is the diagonal, and speedups far below it stay readable */
    fputs("reset\nset title 'Speedup over the sequential epoch'\n"
          "set xlabel 'workers in all: N (local[N]), R x N (mpi[RxN]); log scale'\n"
          "set ylabel 'speedup T_sequential / T_config, log scale'\n"
          "set logscale xy 2\nset grid\nset key top left\n", body.f);
    fprintf(body.f, "set xrange [0.8:%g]\nset xtics (", max_n * 1.25);
    for (size_t i = 0; i < n; i++) {
        const int w = bench_group_workers_total(cfgs[i]);
        int again = 0;
        for (size_t j = 0; j < i; j++)
            again |= bench_group_workers_total(cfgs[j]) == w;
        if (!again)
            fprintf(body.f, "%s%d", i ? ", " : "", w);
    }
    fputs(")\nplot ", body.f);
    if (n_local)
        fputs("'speedup.dat' using 1:2:3 with yerrorlines lw 2 pt 7 lc rgb '#4878a8' "
              "title 'local[N] (error bars: standard uncertainty)', ", body.f);
    if (n > n_local)
        fputs("'speedup_mpi.dat' using 1:2:3 with yerrorbars pt 5 ps 1.2 lc rgb '#c44e52' "
              "title 'mpi[RxN] at R x N', '' using 1:2:4 with labels left offset 1,0 "
              "tc rgb '#c44e52' notitle, ", body.f);
    fputs("x with lines dt 2 lc rgb '#808080' title 'ideal (speedup = workers)'\n", body.f);
    if (add_plot(p, "speedup", "Speedup vs workers, with the ideal line", &body) != GCN_OK)
        goto done;
    for (size_t i = 0; i < n; i++)
        v[i] = cfgs[i]->efficiency;
    rc = bar_plot(p, "efficiency", "Parallel efficiency (speedup / workers in all)",
                  "efficiency", cfgs, v, NULL, n, 1.0);
done:
    text_free(&body);
    return rc;
}

static int plot_breakdown(struct plot_ctx *p, const struct bench_group **cfgs)
{
    struct text data = { 0 }, body = { 0 };
    size_t n = 0;
    int rc = GCN_ERR;

    for (size_t k = 0; k < p->set->n_cfgs; k++) {
        if (isfinite(p->set->cfgs[k].compute_pct))
            cfgs[n++] = &p->set->cfgs[k];
    }
    if (n == 0)
        return GCN_OK;
    if (text_open(&data) != GCN_OK || text_open(&body) != GCN_OK)
        goto done;
    fputs("# config compute_pct communication_pct overhead_pct\n", data.f);
    for (size_t i = 0; i < n; i++) {
        put_data_label(data.f, cfgs[i]->label);
        fprintf(data.f, " %.6f %.6f %.6f\n", cfgs[i]->compute_pct, cfgs[i]->communication_pct,
                cfgs[i]->overhead_pct);
    }
    if (write_text(p, "breakdown.dat", &data) != GCN_OK)
        goto done;
    fputs("reset\nset title 'Where the worker time goes (means over runs)'\n"
          "set ylabel 'share of worker time (%)'\nset yrange [0:100]\n"
          "set style data histograms\nset style histogram rowstacked\n"
          "set style fill solid 0.85 border -1\nset boxwidth 0.7\nset grid ytics\n"
          "set xtics rotate by -30\nset key outside right top\n"
          "plot 'breakdown.dat' using 2:xtic(1) lc rgb '#4878a8' title 'compute', "
          "'' using 3 lc rgb '#e8a23c' title 'communication', "
          "'' using 4 lc rgb '#c44e52' title 'overhead'\n", body.f);
    rc = add_plot(p, "breakdown", "Compute / communication / overhead per configuration",
                  &body);
done:
    text_free(&data);
    text_free(&body);
    return rc;
}

static int plot_losses(struct plot_ctx *p)
{
    const struct bench_set *set = p->set;
    struct text body = { 0 }, data = { 0 };
    size_t cap = 0, curves = 0;
    double *mean = NULL;
    int rc = GCN_ERR;

    for (size_t i = 0; i < set->n_runs; i++)
        cap = set->runs[i].n_losses > cap ? set->runs[i].n_losses : cap;
    if (cap == 0)
        return GCN_OK;
    mean = malloc(cap * sizeof *mean);
    if (!mean || text_open(&body) != GCN_OK) {
        gcn_fail("out of memory building the loss plot");
        goto done;
    }
    fputs("reset\nset title 'Training loss per epoch (mean over seeds)'\n"
          "set xlabel 'epoch'\nset ylabel 'training loss'\nset grid\nset key top right\n"
          "plot", body.f);
    for (size_t k = 0; k < set->n_cfgs; k++) {
        const struct bench_group *c = &set->cfgs[k];
        if (strcmp(c->sweep, "matrix") != 0)
            continue;
        size_t len = bench_group_mean_losses(set, c, mean, cap);
        if (len == 0)
            continue;
        char file[64];
        snprintf(file, sizeof file, "loss_%zu.dat", k);
        if (text_open(&data) != GCN_OK)
            goto done;
        fprintf(data.f, "# %s: epoch mean_training_loss\n", c->label);
        for (size_t e = 0; e < len; e++) {
            fprintf(data.f, "%zu ", e + 1);
            put_num(data.f, mean[e]);
            fputc('\n', data.f);
        }
        if (write_text(p, file, &data) != GCN_OK)
            goto done;
        text_free(&data);
        /* dash patterns keep curves that lie on top of each other apart */
        fprintf(body.f, "%s '%s' using 1:2 with lines lw 2 dt %zu title ", curves ? "," : "",
                file, curves % 5 + 1);
        put_script_string(body.f, c->label);
        curves++;
    }
    fputc('\n', body.f);
    rc = curves ? add_plot(p, "loss_curves", "Training loss curves, all configurations",
                           &body) : GCN_OK;
done:
    free(mean);
    text_free(&data);
    text_free(&body);
    return rc;
}

static int plot_memory(struct plot_ctx *p, const struct bench_group **cfgs, double *v,
                       double *e)
{
    size_t n = 0;
    for (size_t k = 0; k < p->set->n_cfgs; k++) {
        const struct bench_group *c = &p->set->cfgs[k];
        if (isfinite(c->st[BM_PEAK_RSS].mean)) {
            cfgs[n] = c;
            v[n] = c->st[BM_PEAK_RSS].mean / 1048576.0;
            e[n] = c->st[BM_PEAK_RSS].std / 1048576.0;
            n++;
        }
    }
    if (n == 0)
        return GCN_OK;
    return bar_plot(p, "memory", "Peak memory per configuration (wait4 ru_maxrss)",
                    "peak resident memory (MiB)", cfgs, v, e, n, NAN);
}

/* One epoch-time chart per sweep (configurations of one sweep are adjacent). */
static int plot_sweeps(struct plot_ctx *p, const struct bench_group **cfgs, double *v,
                       double *e)
{
    const struct bench_set *set = p->set;
    for (size_t k = 0; k < set->n_cfgs;) {
        const char *sweep = set->cfgs[k].sweep;
        size_t n = 0;
        for (; k < set->n_cfgs && strcmp(set->cfgs[k].sweep, sweep) == 0; k++) {
            const struct bench_group *c = &set->cfgs[k];
            if (strcmp(sweep, "matrix") != 0 && c->n_ok) {
                cfgs[n] = c;
                v[n] = c->st[BM_EPOCH_TIME].mean;
                e[n] = c->st[BM_EPOCH_TIME].std;
                n++;
            }
        }
        if (n == 0)
            continue;
        char name[48], title[96];
        snprintf(name, sizeof name, "sweep_%s", sweep);
        snprintf(title, sizeof title, "Epoch time per %s sweep point", sweep);
        if (bar_plot(p, name, title, "epoch time (s)", cfgs, v, e, n, NAN) != GCN_OK)
            return GCN_ERR;
    }
    return GCN_OK;
}

/* Runs `gnuplot plots.gp` in data_dir and waits for it. */
static int run_gnuplot(const char *exe, const char *data_dir)
{
    int status;
    pid_t pid = fork();
    if (pid < 0)
        return gcn_fail("cannot start gnuplot: fork: %s", strerror(errno));
    if (pid == 0) {
        int fd = open("/dev/null", O_RDONLY);
        if (fd >= 0) {
            dup2(fd, STDIN_FILENO);
            close(fd);
        }
        if (chdir(data_dir) == 0)
            execl(exe, "gnuplot", "plots.gp", (char *)NULL);
        fprintf(stderr, "gcnbench: cannot run %s in %s: %s\n", exe, data_dir, strerror(errno));
        _exit(127);
    }
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR)
            return gcn_fail("cannot wait for gnuplot: %s", strerror(errno));
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
        return GCN_OK;
    if (WIFSIGNALED(status))
        return gcn_fail("gnuplot was killed by signal %d while drawing %s/plots.gp",
                        WTERMSIG(status), data_dir);
    return gcn_fail("gnuplot failed (exit status %d) on %s/plots.gp: its messages are above; "
                    "check the gnuplot installation (apt-get install gnuplot-nox)",
                    WEXITSTATUS(status), data_dir);
}

/* Moves every drawn NAME.EXT.part into dir as NAME.EXT (fsync first, so a crash cannot
 * leave an empty plot behind); with keep == 0 removes them instead. */
static int move_plots(struct plot_ctx *p, int keep)
{
    static const char *const ext[2] = { "png", "svg" };
    int rc = GCN_OK;
    for (size_t i = 0; i < p->out->n; i++) {
        for (int k = 0; k < 2; k++) {
            char part[4400], dst[4400];
            snprintf(part, sizeof part, "%s/%s.%s.part", p->data_dir, p->out->name[i], ext[k]);
            snprintf(dst, sizeof dst, "%s/%s.%s", p->dir, p->out->name[i], ext[k]);
            if (!keep || rc != GCN_OK) {
                unlink(part);
                continue;
            }
            int fd = open(part, O_RDONLY | O_CLOEXEC);
            if (fd < 0) {
                rc = gcn_fail("gnuplot did not draw %s: %s", part, strerror(errno));
                continue;
            }
            (void)fsync(fd);
            close(fd);
            if (rename(part, dst) != 0) {
                rc = gcn_fail("cannot write plot '%s': %s; check that the folder is "
                              "writable", dst, strerror(errno));
                unlink(part);
            }
        }
    }
    return rc;
}

int bench_plots_write(const struct bench_set *set, const char *dir, struct bench_plots *out)
{
    struct plot_ctx p = { .set = set, .dir = dir, .out = out };
    const struct bench_group **cfgs = NULL;
    double *v = NULL, *e = NULL;
    char exe[4200];
    int rc = GCN_ERR, drawn = 0;

    memset(out, 0, sizeof *out);
    if (!bench_find_program("gnuplot", exe, sizeof exe)) {
        snprintf(out->note, sizeof out->note, "No plots: gnuplot was not found on PATH "
                 "(install it: apt-get install gnuplot-nox).");
        fprintf(stderr, "gcnbench: gnuplot not found on PATH: no plots drawn (install "
                        "gnuplot-nox); every table is still written\n");
        return GCN_OK;
    }
    snprintf(p.data_dir, sizeof p.data_dir, "%s/plots-data", dir);
    if (mkdir(p.data_dir, 0777) != 0 && errno != EEXIST)
        return gcn_fail("cannot create the folder '%s': %s", p.data_dir, strerror(errno));
    const size_t cap = set->n_cfgs ? set->n_cfgs : 1;
    cfgs = calloc(cap, sizeof *cfgs);
    v = calloc(cap, sizeof *v);
    e = calloc(cap, sizeof *e);
    p.script = open_memstream(&p.script_buf, &p.script_len);
    if (!cfgs || !v || !e || !p.script) {
        gcn_fail("out of memory building the plots");
        goto done;
    }
    fputs("# gcnbench's plots (drivers/bench/bench_plot.c). `gnuplot plots.gp` in this folder draws\n"
          "# NAME.png.part and NAME.svg.part; gcnbench then renames them to ../NAME.png, .svg\n"
          "png_term = (strstrt(GPVAL_TERMINALS, 'pngcairo') > 0) ? "
          "\"pngcairo size 900,600 noenhanced font 'Sans,11'\" : "
          "\"png size 900,600 noenhanced\"\n"
          "svg_term = \"svg size 900,600 noenhanced font 'Sans,11'\"\n", p.script);
    if (plot_speedup(&p, cfgs, v) != GCN_OK || plot_breakdown(&p, cfgs) != GCN_OK ||
        plot_losses(&p) != GCN_OK || plot_memory(&p, cfgs, v, e) != GCN_OK ||
        plot_sweeps(&p, cfgs, v, e) != GCN_OK)
        goto done;
    int bad = ferror(p.script);
    if (fclose(p.script) != 0 || bad) {
        p.script = NULL;
        gcn_fail("out of memory building the plots");
        goto done;
    }
    p.script = NULL;
    if (out->n == 0) {
        note(out, "No plots: no configuration has an ok run.");
        rc = GCN_OK;
        goto done;
    }
    char script[4400];
    snprintf(script, sizeof script, "%s/plots.gp", p.data_dir);
    if (gcn_atomic_write(script, "gnuplot script", p.script_buf, p.script_len) != GCN_OK)
        goto done;
    drawn = 1;
    if (run_gnuplot(exe, p.data_dir) != GCN_OK)
        goto done;
    drawn = 0;
    rc = move_plots(&p, 1);
done:
    if (drawn)
        move_plots(&p, 0);
    if (rc != GCN_OK)
        out->n = 0;
    if (p.script)
        fclose(p.script);
    free(p.script_buf);
    free(cfgs);
    free(v);
    free(e);
    return rc;
}
