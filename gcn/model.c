/* model.c: parameter, gradient and Adam-moment families of a GCN, Glorot initialization and
 * the Adam step (see model.h). */
#include "model.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "kernels.h"
#include "rng.h"

int gcn_model_create(struct gcn_model *m, size_t layers, size_t features, size_t hidden,
                     size_t classes, uint64_t seed)
{
    memset(m, 0, sizeof *m);
    if (layers < 1 || layers > GCN_MAX_LAYERS)
        return gcn_fail("model: %zu layers requested; use 1 to %d", layers, GCN_MAX_LAYERS);
    if (features == 0 || hidden == 0 || classes == 0)
        return gcn_fail("model: features, hidden and classes must all be at least 1");
    m->layers = layers;
    m->dims[0] = features;
    for (size_t l = 1; l < layers; l++)
        m->dims[l] = hidden;
    m->dims[layers] = classes;
    size_t off = 0;
    for (size_t l = 0; l < layers; l++) {
        m->w_off[l] = off;
        off += m->dims[l] * m->dims[l + 1];
        m->b_off[l] = off;
        off += m->dims[l + 1];
    }
    m->count = off;
    /* params, grads and the two moments in one block: four families carved by offset */
    float *block = calloc(4 * off, sizeof *block);
    if (!block)
        return gcn_fail("model: cannot allocate %zu parameters", 4 * off);
    m->params = block;
    m->grads = block + off;
    m->moments = block + 2 * off;
    for (size_t l = 0; l < layers; l++) {
        const size_t fan_in = m->dims[l], fan_out = m->dims[l + 1];
        const double limit = sqrt(6.0 / (double)(fan_in + fan_out));
        uint64_t state = gcn_mix64(seed ^ gcn_mix64(0x676c6f726f74ULL + l));
        float *w = m->params + m->w_off[l];
        for (size_t i = 0; i < fan_in * fan_out; i++)
            w[i] = (float)((2.0 * gcn_u01(gcn_next(&state)) - 1.0) * limit);
    }
    return GCN_OK;
}

static float layer_decay(const struct gcn_hparams *hp, size_t l)
{
    if (hp->wd_scope == GCN_WD_ALL || (hp->wd_scope == GCN_WD_FIRST && l == 0))
        return hp->weight_decay;
    return 0.0f;
}

void gcn_model_adam_step(struct gcn_model *m, const struct gcn_hparams *hp)
{
    m->step++;
    float *mom1 = m->moments, *mom2 = m->moments + m->count;
    for (size_t l = 0; l < m->layers; l++) {
        const size_t w = m->w_off[l], nw = m->dims[l] * m->dims[l + 1];
        const size_t b = m->b_off[l], nb = m->dims[l + 1];
        gcn_adam(m->params + w, mom1 + w, mom2 + w, m->grads + w, nw, hp->lr, hp->beta1,
                 hp->beta2, hp->eps, layer_decay(hp, l), m->step);
        gcn_adam(m->params + b, mom1 + b, mom2 + b, m->grads + b, nb, hp->lr, hp->beta1,
                 hp->beta2, hp->eps, 0.0f, m->step);
    }
}

double gcn_model_l2(const struct gcn_model *m, const struct gcn_hparams *hp)
{
    double l2 = 0.0;
    for (size_t l = 0; l < m->layers; l++) {
        const float wd = layer_decay(hp, l);
        if (wd > 0.0f)
            l2 += 0.5 * wd * gcn_sumsq(m->params + m->w_off[l], m->dims[l] * m->dims[l + 1]);
    }
    return l2;
}

void gcn_model_free(struct gcn_model *m)
{
    free(m->params);
    memset(m, 0, sizeof *m);
}
