/* transformer.h - the Llama-2 forward pass over caller-owned memory.
 *
 * Usage: pl_transformer_arena_size() tells how many bytes a config needs
 * (activations, KV cache, layer table); pl_transformer_init() carves them
 * from the caller's buffer; a loader (checkpoint or image) fills t->w; then
 * pl_forward() runs one position at a time.
 */
#ifndef PICOLLAMA_TRANSFORMER_H
#define PICOLLAMA_TRANSFORMER_H

#include <stddef.h>
#include <stdint.h>

#include "model.h"
#include "quant.h"

/* Activations of the position being computed, plus the KV cache. */
typedef struct {
    float *x;      /* residual stream (dim) */
    float *xb;     /* inside a residual branch (dim) */
    float *xb2;    /* (dim) */
    float *hb;     /* FFN hidden (hidden_dim) */
    float *hb2;    /* (hidden_dim) */
    float *q;      /* query (dim) */
    float *att;    /* attention scores (n_heads, seq_len) */
    float *logits; /* (vocab_size) */
    float *key_cache;   /* (n_layers, seq_len, kv_dim) */
    float *value_cache; /* (n_layers, seq_len, kv_dim) */
    float *rope_freq;   /* (head_size / 2) rotation frequency of each pair */
    float *rope_cos;    /* (head_size / 2) for the current position */
    float *rope_sin;    /* (head_size / 2) */
    pl_qvec xq;         /* the current matmul input, quantized (max(dim, hidden)) */
} pl_run_state;

/* Called with the float input x about to be multiplied by the count
 * matrices ws (which share it); used offline to collect calibration
 * statistics. NULL in normal runs. */
typedef void (*pl_matmul_observer)(void *ctx, const pl_tensor *const *ws, int32_t count,
                                   const float *x);

typedef struct {
    pl_config cfg;
    pl_weights w;
    pl_run_state s;
    pl_matmul_observer observer;
    void *observer_ctx;
} pl_transformer;

/* Bytes of arena a model with this config needs; 0 if it overflows size_t. */
size_t pl_transformer_arena_size(const pl_config *cfg);

/* Lays out the run state and the layer table in arena (zeroed). cfg must be
 * valid (pl_config_validate). Weights are bound afterwards by a loader. */
pl_status pl_transformer_init(pl_transformer *t, const pl_config *cfg, void *arena,
                              size_t arena_size);

/* Runs token at position pos (0 <= pos < seq_len) and returns the logits
 * (vocab_size floats, owned by t, overwritten by the next call); NULL when
 * token or pos is out of range. */
float *pl_forward(pl_transformer *t, int32_t token, int32_t pos);

#endif
