/* metrics.c: loss, micro-F1 and macro-F1 of one split from summed per-split statistics. */
#include "metrics.h"

#include <math.h>

#include "kernels.h"

struct gcn_split_metrics gcn_metrics_from_stats(const double *stats, size_t c, int split)
{
    const double *st = stats + (size_t)split * GCN_STATS_STRIDE(c);
    const double *tp = st + 3, *fp = st + 3 + c, *fn = st + 3 + 2 * c;
    struct gcn_split_metrics m = { .count = (size_t)st[1] };
    if (m.count == 0) {
        m.loss = NAN;
        return m;
    }
    m.loss = st[0] / st[1];
    m.f1_micro = st[2] / st[1];
    double sum = 0.0;
    size_t classes = 0;
    for (size_t k = 0; k < c; k++) {
        const double denom = 2.0 * tp[k] + fp[k] + fn[k];
        if (denom == 0.0)
            continue; /* class absent from both truth and predictions: not counted */
        sum += 2.0 * tp[k] / denom;
        classes++;
    }
    m.f1_macro = classes ? sum / (double)classes : 0.0;
    return m;
}
