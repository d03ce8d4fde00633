/* metrics.h: loss and F1 scores from the per-split statistics of gcn_softmax_xent. */
#ifndef GCN_METRICS_H
#define GCN_METRICS_H

#include <stddef.h>

struct gcn_split_metrics {
    double loss;      /* mean cross-entropy over the split's nodes (NaN when empty) */
    double f1_micro;  /* micro-F1 = accuracy for single-label classification */
    double f1_macro;  /* unweighted mean of per-class F1 = 2tp / (2tp + fp + fn) over the
                         classes present in the split's labels or predictions (as
                         scikit-learn's f1_score(average='macro')); 0 when none */
    size_t count;     /* nodes in the split */
};

/* Reads split s (enum gcn_split) out of a GCN_STATS_LEN(c) stats vector. */
struct gcn_split_metrics gcn_metrics_from_stats(const double *stats, size_t c, int split);

#endif
