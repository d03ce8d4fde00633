/* train.h: full-batch GCN training, its options and what a run measured.
 *
 * gcn_train_seq (train_seq.c) is the sequential baseline: the kernels of kernels.h called
 * directly on whole matrices, no runtime. train_rdd.c runs the same model as StarPU task DAGs
 * over partitions and fills the same result, plus the runtime breakdown fields. */
#ifndef GCN_TRAIN_H
#define GCN_TRAIN_H

#include <stddef.h>
#include <stdint.h>

#include "dataset.h"
#include "metrics.h"
#include "model.h"

struct gcn_epoch_record {
    double seconds;          /* wall time of forward + backward + update, DAG waited for */
    double loss;             /* training loss: mean cross-entropy on train nodes + L2 term */
    double train_f1;         /* micro-F1 on train nodes, from the training forward pass */
    double val_loss;         /* mean cross-entropy on validation nodes: from the training
                                forward pass (before the update) when dropout is 0, else
                                from an untimed evaluation pass after the update */
    double val_f1;           /* micro-F1 on validation nodes, same pass as val_loss */
    double compute_s;        /* runtime only: summed compute task time */
    double communication_s;  /* runtime only: summed shuffle + reduce task time */
    double overhead_s;       /* runtime only: worker time that is neither */
    uint64_t tasks;          /* runtime only: tasks submitted */
    uint64_t shuffle_bytes;  /* runtime only: bytes copied by shuffle pack tasks */
    uint64_t net_bytes;      /* under mpirun: StarPU-MPI data bytes all ranks sent */
    double net_s;            /* under mpirun: the longest time any rank had data messages in
                                flight */
};

struct gcn_train_opts {
    struct gcn_hparams hp;   /* model and optimizer */
    size_t epochs;           /* epochs to run (at most) */
    size_t warmup_epochs;    /* excluded from the epoch-time mean */
    size_t patience;         /* early stop after this many epochs without a lower val loss;
                                0 = never */
    uint64_t seed;           /* weight init and dropout */
    int blas_threads;        /* BLAS threads for the sequential path */
    int forward_only;        /* time inference only: no backward, no update */
    /* Called after every completed epoch with its 0-based index (may be NULL); returning
     * non-zero stops training early. Not called for an epoch whose loss is not finite. */
    int (*on_epoch)(void *arg, size_t epoch, size_t epochs, const struct gcn_epoch_record *r);
    void *on_epoch_arg;
};

struct gcn_train_result {
    size_t epochs_run;                 /* epochs completed */
    int stopped_early;                 /* 1 when patience ended training */
    double total_time_s;               /* sum of epoch seconds */
    struct gcn_epoch_record *epochs;   /* (epochs_run) records; owned, freed by
                                          gcn_train_result_free */
    struct gcn_split_metrics train;    /* final eval pass (no dropout) */
    struct gcn_split_metrics val;
    struct gcn_split_metrics test;
    double final_loss;                 /* last epoch's training loss */
};

/* Seconds on the monotonic clock: the one clock of epoch, load and setup times. */
double gcn_now_s(void);

/* Sets opts to defaults (2 layers, hidden 128, Adam lr 0.01, no dropout, no decay). */
void gcn_train_opts_defaults(struct gcn_train_opts *opts);

/* Trains sequentially. Errors: NaN/Inf loss (message names the epoch and suggests a lower
 * learning rate), allocation failure, empty training split. On error res holds the epochs run
 * so far. Free res with gcn_train_result_free in every case. */
int gcn_train_seq(struct gcn_train_result *res, const struct gcn_dataset *ds,
                  const struct gcn_train_opts *opts);

/* Early-stopping state of one training run. */
struct gcn_early_stop {
    double best_val_loss;  /* lowest validation loss so far (INFINITY at start) */
    size_t since_best;     /* epochs since it was reached */
};

/* The bookkeeping both trainers do once epoch e's record is filled: totals, the non-finite
 * loss check, the on_epoch callback and early stopping on the validation loss (when
 * patience is set and val_nodes > 0). Returns GCN_ERR (message names the epoch and the
 * learning rate) on a NaN/Inf loss, 1 when training stops here, 0 to go on. */
int gcn_train_epoch_end(struct gcn_train_result *res, const struct gcn_train_opts *opts,
                        size_t e, struct gcn_early_stop *early, size_t val_nodes);

/* Mean and sample standard deviation of epoch seconds after the warm-up epochs (all epochs
 * when fewer remain). */
void gcn_train_epoch_stats(const struct gcn_train_result *res, size_t warmup, double *mean,
                           double *std);

void gcn_train_result_free(struct gcn_train_result *res);



/* The sequential forward/backward on whole matrices, exposed for gradient checks and the
 * performance benchmark. A gcn_seq holds the propagation pattern, dinv and every activation
 * and gradient buffer (one allocation each family); no allocation happens per epoch. */
struct gcn_seq;

/* Builds Â's pattern and buffers for ds and m's shapes. Errors: allocation failure.
 * Destroy with gcn_seq_destroy. */
int gcn_seq_create(struct gcn_seq **out, const struct gcn_dataset *ds, const struct gcn_model *m,
                   float dropout);

/* Forward pass with the current parameters. training: apply dropout with the keys of
 * (seed, epoch) and write dlogits for backward. Adds per-split statistics to stats
 * (GCN_STATS_LEN(classes) doubles, zeroed by the caller). */
void gcn_seq_forward(struct gcn_seq *s, const struct gcn_model *m, uint64_t seed, size_t epoch,
                     int training, double *stats);

/* Backward pass of the last training forward: zeroes m->grads and fills them. */
void gcn_seq_backward(struct gcn_seq *s, struct gcn_model *m, uint64_t seed, size_t epoch);

/* The logits of the last forward pass, (n, classes). */
const float *gcn_seq_logits(const struct gcn_seq *s);

void gcn_seq_destroy(struct gcn_seq *s);
#endif
