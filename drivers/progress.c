/* progress.c: the live epoch line (see progress.h). The bar line is cut to the terminal
 * width (TIOCGWINSZ, else $COLUMNS, else 80) so it never wraps, since a wrapped line cannot
 * be redrawn with '\r'. */
#include "progress.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

static double mono_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

void gcn_progress_init(struct gcn_progress *p, FILE *out, int quiet, size_t warmup)
{
    memset(p, 0, sizeof *p);
    p->out = out;
    p->warmup = warmup;
    p->last_s = mono_s();
    const char *term = getenv("TERM");
    if (quiet || !out)
        p->mode = GCN_PROGRESS_QUIET;
    else if (isatty(fileno(out)) && !(term && strcmp(term, "dumb") == 0))
        p->mode = GCN_PROGRESS_BAR;
    else
        p->mode = GCN_PROGRESS_LINES;
}

char *gcn_format_duration(char *buf, size_t cap, double s)
{
    if (!isfinite(s) || s < 0.0) {
        snprintf(buf, cap, "?");
    } else if (s < 99.95) {
        snprintf(buf, cap, "%.1fs", s);
    } else if (s < 3599.5) {
        const long t = lround(s);
        snprintf(buf, cap, "%ldm%02lds", t / 60, t % 60);
    } else {
        const long t = lround(s / 60.0);
        snprintf(buf, cap, "%ldh%02ldm", t / 60, t % 60);
    }
    return buf;
}

static int terminal_columns(FILE *out)
{
    struct winsize ws;
    if (ioctl(fileno(out), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
        return ws.ws_col;
    const char *cols = getenv("COLUMNS");
    const int c = cols ? atoi(cols) : 0;
    return c > 0 ? c : 80;
}

int gcn_progress_epoch(void *arg, size_t epoch, size_t epochs, const struct gcn_epoch_record *r)
{
    struct gcn_progress *p = arg;
    const double now = mono_s();
    const double wall = now - p->last_s;
    p->last_s = now;
    if (epoch < p->warmup)
        p->warm_sum_s += wall;
    else
        p->sum_s += wall;
    p->seen++;
    if (p->mode == GCN_PROGRESS_QUIET)
        return 0;

    const size_t done = epoch + 1;
    const size_t later = p->seen > p->warmup ? p->seen - p->warmup : 0;
    const double per_epoch = later ? p->sum_s / (double)later
                                   : (p->warm_sum_s + p->sum_s) / (double)p->seen;
    const double eta = done < epochs ? per_epoch * (double)(epochs - done) : 0.0;
    char eta_text[32], time_text[32], text[256];
    if (r->seconds < 100.0)
        snprintf(time_text, sizeof time_text, "%.3fs", r->seconds);
    else
        gcn_format_duration(time_text, sizeof time_text, r->seconds);
    gcn_format_duration(eta_text, sizeof eta_text, eta);
    int len = snprintf(text, sizeof text,
                       "epoch %zu/%zu loss %.4f train_f1 %.3f val_f1 %.3f time %s eta %s", done,
                       epochs, r->loss, r->train_f1, r->val_f1, time_text, eta_text);
    if (len < 0)
        return 0;

    if (p->mode == GCN_PROGRESS_LINES) {
        fprintf(p->out, "%s\n", text);
        fflush(p->out);
        return 0;
    }
    /* bar: "[####....] " + text, all within cols - 1 so the cursor never wraps */
    const int cols = terminal_columns(p->out) - 1;
    int bar = cols - len - 3;
    if (bar > 40)
        bar = 40;
    fputc('\r', p->out);
    if (bar >= 10) {
        const int fill = epochs ? (int)((double)bar * (double)done / (double)epochs) : bar;
        fputc('[', p->out);
        for (int i = 0; i < bar; i++)
            fputc(i < fill ? '#' : '.', p->out);
        fputs("] ", p->out);
    }
    fprintf(p->out, "%.*s\033[K", len < cols ? len : (cols > 0 ? cols : 0), text);
    fflush(p->out);
    p->drawn = 1;
    return 0;
}

void gcn_progress_finish(struct gcn_progress *p)
{
    if (p->mode == GCN_PROGRESS_BAR && p->drawn) {
        fputc('\n', p->out);
        fflush(p->out);
    }
    p->drawn = 0;
}
