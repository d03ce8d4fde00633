/* model.h: GCN parameters, gradients and Adam moments, one allocation per family.
 *
 * Layer l maps dims[l] -> dims[l+1] with weight W_l (dims[l], dims[l+1]) and bias b_l
 * (dims[l+1]). Families share one layout (W_0 b_0 W_1 b_1 ...) carved by an offset table, so
 * a whole family is one contiguous vector for reductions and the Adam update. */
#ifndef GCN_MODEL_H
#define GCN_MODEL_H

#include <stddef.h>
#include <stdint.h>

#define GCN_MAX_LAYERS 8

enum gcn_wd_scope { GCN_WD_FIRST = 0, GCN_WD_ALL = 1, GCN_WD_NONE = 2 };

struct gcn_hparams {
    size_t layers;             /* GCN layers, 1..GCN_MAX_LAYERS */
    size_t hidden;             /* hidden width */
    float dropout;             /* drop probability on each layer's input, [0, 1) */
    float lr;                  /* Adam learning rate */
    float weight_decay;        /* L2 coefficient */
    enum gcn_wd_scope wd_scope; /* which layers' weights decay (Kipf & Welling: first) */
    float beta1, beta2, eps;   /* Adam */
};

struct gcn_model {
    size_t layers;                      /* L */
    size_t dims[GCN_MAX_LAYERS + 1];    /* dims[0] = features, dims[L] = classes */
    size_t w_off[GCN_MAX_LAYERS];       /* offset of W_l in each family */
    size_t b_off[GCN_MAX_LAYERS];       /* offset of b_l in each family */
    size_t count;                       /* floats per family */
    float *params;                      /* (count) weights and biases */
    float *grads;                       /* (count) gradients, zeroed each step */
    float *moments;                     /* (2 * count) Adam m then v */
    int step;                           /* Adam steps taken */
};

/* Allocates the families and Glorot-initializes the weights from seed (biases 0).
 * Errors: layers out of range, zero width, allocation failure. Free with gcn_model_free. */
int gcn_model_create(struct gcn_model *m, size_t layers, size_t features, size_t hidden,
                     size_t classes, uint64_t seed);

/* One Adam step over every parameter with the current grads (weight decay per hp). */
void gcn_model_adam_step(struct gcn_model *m, const struct gcn_hparams *hp);

/* 0.5 * weight_decay * sum of squares of the decayed weights: the L2 term of the loss. */
double gcn_model_l2(const struct gcn_model *m, const struct gcn_hparams *hp);

void gcn_model_free(struct gcn_model *m);

#endif
