/* calibrate.c - collecting x x^T statistics for calibrated quantization. */
#include "calibrate.h"

#include <stdlib.h>
#include <string.h>

#include "../engine/sampler.h"

/* The input slot for this group of matrices, created on first sight. */
static calib_input *slot_for(calibration *c, const pl_tensor *const *ws, int32_t count)
{
    for (int32_t i = 0; i < c->count; i++)
        if (c->inputs[i].tensors[0] == ws[0]->data) return &c->inputs[i];
    if (c->count == c->capacity) {
        int32_t cap = c->capacity ? 2 * c->capacity : 64;
        calib_input *grown = realloc(c->inputs, (size_t)cap * sizeof(*grown));
        if (!grown) return NULL;
        c->inputs = grown;
        c->capacity = cap;
    }
    calib_input *in = &c->inputs[c->count];
    memset(in, 0, sizeof(*in));
    in->cols = ws[0]->cols;
    in->h = calloc((size_t)in->cols * (size_t)in->cols, sizeof(double));
    if (!in->h) return NULL;
    for (int32_t i = 0; i < count && i < 3; i++) in->tensors[i] = ws[i]->data;
    in->tensor_count = count < 3 ? count : 3;
    c->count++;
    return in;
}

typedef struct {
    calibration *c;
    int failed;
} observer_state;

static void observe(void *ctx, const pl_tensor *const *ws, int32_t count, const float *x)
{
    observer_state *st = ctx;
    calib_input *in = st->failed ? NULL : slot_for(st->c, ws, count);
    if (!in) {
        st->failed = 1;
        return;
    }
    int32_t n = in->cols;
    for (int32_t i = 0; i < n; i++) { /* upper triangle; mirrored at the end */
        double xi = x[i];
        double *row = in->h + (size_t)i * n;
        for (int32_t j = i; j < n; j++) row[j] += xi * x[j];
    }
    in->samples++;
}

static void mirror(calib_input *in)
{
    int32_t n = in->cols;
    for (int32_t i = 0; i < n; i++)
        for (int32_t j = 0; j < i; j++) in->h[(size_t)i * n + j] = in->h[(size_t)j * n + i];
}

int calibrate(pl_transformer *t, int32_t positions, calibration *out)
{
    memset(out, 0, sizeof(*out));
    observer_state st = {out, 0};
    const pl_config *c = &t->cfg;
    pl_prob_index *probindex = malloc((size_t)c->vocab_size * sizeof(*probindex));
    if (!probindex) return 0;
    t->observer = observe;
    t->observer_ctx = &st;
    /* stories sampled as a user would (t=1, top-p 0.9), not the greedy text
     * the quality evaluation measures */
    for (uint64_t seed = 1; positions > 0 && !st.failed; seed++) {
        pl_sampler sampler;
        pl_sampler_init(&sampler, c->vocab_size, 1.0f, 0.9f, seed * 7919, probindex);
        int32_t token = PL_TOKEN_BOS;
        for (int32_t pos = 0; pos < c->seq_len && positions > 0 && !st.failed; pos++, positions--)
            token = pl_sample(&sampler, pl_forward(t, token, pos));
    }
    t->observer = NULL;
    free(probindex);
    for (int32_t i = 0; i < out->count; i++) mirror(&out->inputs[i]);
    return !st.failed;
}

const calib_input *calibration_find(const calibration *c, const void *data)
{
    for (int32_t i = 0; i < c->count; i++)
        for (int32_t k = 0; k < c->inputs[i].tensor_count; k++)
            if (c->inputs[i].tensors[k] == data) return &c->inputs[i];
    return NULL;
}

void calibration_free(calibration *c)
{
    for (int32_t i = 0; i < c->count; i++) free(c->inputs[i].h);
    free(c->inputs);
    memset(c, 0, sizeof(*c));
}
