/* model.h - what a Llama-2 model is: its shape and its weights.
 *
 * Weights are views into memory the caller owns (a mapped file, XIP flash,
 * PSRAM...): the engine never copies or allocates them. Every matrix is a
 * pl_tensor so that later precisions (int8, int4) plug in without changing
 * the forward pass.
 */
#ifndef PICOLLAMA_MODEL_H
#define PICOLLAMA_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "status.h"

/* The hyperparameters, in the order of llama2.c's checkpoint header. */
typedef struct {
    int32_t dim;        /* transformer width */
    int32_t hidden_dim; /* FFN width */
    int32_t n_layers;
    int32_t n_heads;    /* query heads */
    int32_t n_kv_heads; /* key/value heads (fewer with grouped-query attention) */
    int32_t vocab_size;
    int32_t seq_len;    /* context length */
} pl_config;

/* Checks that a config describes a model the engine can run: positive
 * dimensions, heads dividing dim, kv heads dividing heads, even head size.
 * On failure *why (if not NULL) names the broken rule. */
pl_status pl_config_validate(const pl_config *cfg, const char **why);

static inline int32_t pl_head_size(const pl_config *c) { return c->dim / c->n_heads; }
static inline int32_t pl_kv_dim(const pl_config *c) { return c->dim / c->n_heads * c->n_kv_heads; }

typedef enum {
    PL_DTYPE_F32 = 0,
    PL_DTYPE_Q8 = 1, /* int8, one float32 scale per group of a row (quant.h) */
    PL_DTYPE_Q4 = 2, /* 4-bit, one float16 scale per group of a row (quant.h) */
} pl_dtype;

/* A rows x cols matrix (out x in, row-major), as llama2.c stores it. */
typedef struct {
    pl_dtype dtype;
    int32_t rows, cols;
    int32_t group;        /* quantization group length along a row; divides cols */
    const void *data;     /* f32: float[]; q8: int8_t[]; q4: two values per byte */
    const void *scales;   /* q8: float[rows*cols/group]; q4: uint16_t (f16); f32: NULL */
} pl_tensor;

typedef struct {
    const float *rms_att;  /* (dim) */
    const float *rms_ffn;  /* (dim) */
    pl_tensor wq, wk, wv, wo;
    pl_tensor w1, w2, w3;
} pl_layer_weights;

typedef struct {
    pl_tensor embedding;         /* (vocab_size, dim) */
    pl_layer_weights *layers;    /* n_layers entries, in the transformer's arena */
    const float *rms_final;      /* (dim) */
    pl_tensor classifier;        /* (vocab_size, dim); may alias embedding */
} pl_weights;

/* A float row-major matrix view, the only kind a llama2.c checkpoint holds. */
static inline pl_tensor pl_tensor_f32(const float *data, int32_t rows, int32_t cols)
{
    pl_tensor t = {PL_DTYPE_F32, rows, cols, cols, data, NULL};
    return t;
}

#endif
