/* progress.h: the live per-epoch line of gcnrun (issue 3, "What a run shows").
 *
 * gcn_progress_epoch has the signature of gcn_train_opts.on_epoch. On a terminal it redraws
 * one line in place, a bar sized to the terminal width:
 *   [######......] epoch 3/20 loss 1.2345 train_f1 0.612 val_f1 0.598 time 0.812s eta 14.6s
 * when the stream is not a terminal (a pipe, a log file, gcnbench reading a child) it writes
 * one plain line per epoch, flushed at once:
 *   epoch 3/20 loss 1.2345 train_f1 0.612 val_f1 0.598 time 0.812s eta 14.6s
 * and in quiet mode nothing. The ETA is the mean wall time between callbacks (so it includes
 * evaluation outside the timed epoch), warm-up epochs excluded once later ones exist, times
 * the epochs left. */
#ifndef GCNRUN_PROGRESS_H
#define GCNRUN_PROGRESS_H

#include <stddef.h>
#include <stdio.h>

#include "gcn/train.h"

enum gcn_progress_mode {
    GCN_PROGRESS_QUIET = 0,  /* print nothing */
    GCN_PROGRESS_LINES = 1,  /* one plain line per epoch */
    GCN_PROGRESS_BAR = 2,    /* one line redrawn with '\r' (terminals) */
};

struct gcn_progress {
    FILE *out;                   /* stream written (not owned) */
    enum gcn_progress_mode mode; /* chosen by gcn_progress_init */
    size_t warmup;               /* epochs left out of the ETA's mean once later ones exist */
    double last_s;               /* monotonic time of the previous callback (or of init) */
    double warm_sum_s;           /* wall time of the warm-up epochs seen */
    double sum_s;                /* wall time of the later epochs seen */
    size_t seen;                 /* callbacks so far */
    int drawn;                   /* a bar line is on screen without its newline */
};

/* Sets up p for out: QUIET when quiet, BAR when out is a terminal (isatty) and TERM is not
 * "dumb", LINES otherwise. Call right before training starts: the first epoch's wall time is
 * measured from here. */
void gcn_progress_init(struct gcn_progress *p, FILE *out, int quiet, size_t warmup);

/* The on_epoch callback: arg is a struct gcn_progress *, epoch is 0-based, epochs the total
 * asked for. Always returns 0 (never stops training). */
int gcn_progress_epoch(void *arg, size_t epoch, size_t epochs, const struct gcn_epoch_record *r);

/* Ends a bar line with a newline so later output starts on a fresh line (no-op otherwise).
 * Call after training, also when it failed, before printing anything else to out or stderr. */
void gcn_progress_finish(struct gcn_progress *p);

/* Formats seconds for people: "14.6s" below 100 s, "2m05s" below an hour, "1h02m" above
 * (negative or non-finite: "?"). Returns buf. */
char *gcn_format_duration(char *buf, size_t cap, double seconds);

#endif
