/* synth.h: deterministic synthetic Reddit-shaped graphs for node classification.
 *
 * Degree-corrected stochastic block model: node degrees follow a power law (skew), each edge
 * end stays inside its class with probability `homophily` and is drawn by degree weight
 * otherwise; features are a class-dependent mean pattern scaled by `feature_signal` plus unit
 * Gaussian noise. The same parameters and seed give identical bytes for any thread count (and across
 * machines with the same libm). */
#ifndef GCN_SYNTH_H
#define GCN_SYNTH_H

#include <stdint.h>

#include "dataset.h"

struct gcn_synth_params {
    size_t nodes;          /* default 232,965 (Reddit) */
    size_t features;       /* default 602 */
    size_t classes;        /* default 41 */
    double avg_degree;     /* mean directed out-degree after coalescing, default 492 */
    double degree_skew;    /* expected-degree skew s: degree tail P(deg > d) ~ d^-(1 + 1/s),
                              0 = equal degrees, default 1.0 */
    double homophily;      /* probability an edge end is drawn inside its class (the other
                              branch may land there too: same-class fraction h + (1 - h)
                              sum p_c^2), default 0.7 */
    double feature_signal; /* class-mean strength against unit noise, default 0.5 */
    double label_noise;    /* fraction of nodes whose label is redrawn uniformly among the
                              other classes after graph and features are made (they keep
                              their community's edges and features), like Reddit's
                              overlapping communities: caps accuracy near 1 - label_noise;
                              default 0.05 */
    double train_fraction; /* default 0.66 */
    double val_fraction;   /* default 0.10; test gets the rest */
    uint64_t seed;         /* default 1 */
};

/* Fills p with the Reddit-shaped defaults above. */
void gcn_synth_defaults(struct gcn_synth_params *p);

/* Generates a dataset (undirected: every edge stored both ways, coalesced, no self-loops).
 * Errors: parameters out of range (each named), an avg_degree out of reach after duplicate
 * removal, allocation failure. Free with
 * gcn_dataset_free. */
int gcn_synth_generate(struct gcn_dataset *ds, const struct gcn_synth_params *p);

#endif
