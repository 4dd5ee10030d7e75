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

#include "kv_cache.h"
#include "model.h"
#include "parallel.h"
#include "quant.h"

typedef struct {
    pl_kv_type kv;
    int fast_math; /* pl_expf_fast instead of the glibc-exact pl_expf */
    /* the most parts t->parallel splits work into (cores; 0 = 1): each
     * part gets its own attention scratch. Results do not depend on it. */
    int32_t parts;
} pl_options;

/* The reference: what llama2.c computes. */
extern const pl_options pl_reference_options;

/* Activations of the position being computed, plus the KV cache. */
typedef struct {
    float *x;      /* residual stream (dim) */
    float *xb;     /* inside a residual branch (dim) */
    float *xb2;    /* (dim) */
    float *hb;     /* FFN hidden (hidden_dim) */
    float *hb2;    /* (hidden_dim) */
    float *q;      /* query (dim) */
    float *k_new;  /* this position's key and value before quantization */
    float *v_new;  /* (kv_dim; compact KV) */
    float *att;    /* attention scores, per part (parts, seq_len); float KV */
    float *logits; /* (vocab_size) */
    pl_kv_cache kv;
    /* compact KV: the query quantized per head; per part, a head's integer
     * scores, its 15-bit softmax weights (kernels/attention.h) and the
     * integer sums of its values */
    int16_t *q16;      /* (dim) */
    float *q16_scale;  /* (n_heads) */
    int32_t *scores;   /* (parts, seq_len) */
    int16_t *weights;  /* (parts, seq_len + 1 rounded up to even) */
    int32_t *acc;      /* (parts, head_size) */
    float *rope_freq; /* (head_size / 2) rotation frequency of each pair */
    float *rope_cos;  /* (head_size / 2) for the current position */
    float *rope_sin;  /* (head_size / 2) */
    pl_qvec xq;       /* the current matmul input, quantized (max(dim, hidden)) */
    /* RMSNorm's output quantized by the parts of the matmul before it
     * (dim; groups of at least 8) while that matmul still reads xq, and
     * its groups' sums of squares (dim / 8 + 1): pl_quantize_normed_groups */
    pl_qvec xq_next;
    float *norm_sums;
} pl_run_state;

/* Called with the float input x about to be multiplied by the count
 * matrices ws (which share it); used offline to collect calibration
 * statistics. NULL in normal runs. */
typedef void (*pl_matmul_observer)(void *ctx, const pl_tensor *const *ws, int32_t count,
                                   const float *x);

/* Called before every matrix product of a forward pass (tens of times per
 * token), and before every tile of a streamed one: a device without
 * interrupts services its USB link there. */
typedef void (*pl_yield_fn)(void *ctx);

/* Work split into parts that may run at once (one per core): parallel.h.
 * max_parts is the options' parts. */

typedef struct pl_transformer pl_transformer;

/* Weights fetched into fast memory tile by tile (the device's DMA), for a
 * model whose quantized matrices stay in slow memory (XIP flash, PSRAM).
 * The engine asks for every quantized matrix in row tiles, in forward-pass
 * order (per layer wq wk wv wo w1 w3 w2, then the classifier, then layer 0
 * again), and before computing on a tile it announces the next one, so the
 * fetch overlaps the work. */
typedef struct {
    /* starts fetching rows [begin, end) of w */
    void (*prefetch)(void *ctx, const pl_tensor *w, int32_t begin, int32_t end);
    /* rows [begin, end) of w in fast memory, as a matrix of end - begin
     * rows: the ones prefetch started (waiting for them), or fetched now.
     * Valid until the next fetch (the prefetch after it may reuse the
     * memory: the engine is done with a tile when it fetches the next). */
    pl_tensor (*fetch)(void *ctx, const pl_tensor *w, int32_t begin, int32_t end);
    void *ctx;
    size_t tile_bytes; /* the most data + scale bytes one tile may hold */
} pl_weight_stream;

/* The smallest tile_bytes a stream needs for t's weights: the largest four
 * rows (data + scales) of any of its quantized matrices. */
size_t pl_stream_min_tile_bytes(const pl_transformer *t);
/* Bytes of data and of scales of rows [begin, end) of a quantized matrix,
 * and where they start. */
void pl_tensor_rows_span(const pl_tensor *w, int32_t begin, int32_t end, const void **data,
                         size_t *data_bytes, const void **scales, size_t *scale_bytes);

struct pl_transformer {
    pl_config cfg;
    pl_options opt;
    pl_weights w;
    pl_run_state s;
    pl_matmul_observer observer;
    void *observer_ctx;
    pl_yield_fn yield;
    void *yield_ctx;
    pl_parallel_fn parallel; /* NULL: everything in one part */
    void *parallel_ctx;
    const pl_weight_stream *stream; /* NULL: quantized weights used where they are */
};

/* Bytes of arena a model with this config and options needs, KV cache
 * included; 0 if it overflows size_t. opt NULL = pl_reference_options. */
size_t pl_transformer_arena_size(const pl_config *cfg, const pl_options *opt);
/* The same without the KV cache (see pl_kv_size for that). */
size_t pl_transformer_state_size(const pl_config *cfg, const pl_options *opt);

/* Lays out the run state, KV cache and layer table in arena (zeroed). cfg
 * must be valid (pl_config_validate). Weights are bound afterwards by a
 * loader. */
pl_status pl_transformer_init(pl_transformer *t, const pl_config *cfg, const pl_options *opt,
                              void *arena, size_t arena_size);
/* The same with the KV cache in memory of its own (16-byte aligned): kv0
 * holds as many of the first positions as fit (at least one), kv1 the rest
 * (may be NULL when kv0 holds them all) - e.g. SRAM, then PSRAM. */
pl_status pl_transformer_init_split(pl_transformer *t, const pl_config *cfg,
                                    const pl_options *opt, void *state, size_t state_size,
                                    void *kv0, size_t kv0_size, void *kv1, size_t kv1_size);

/* Runs token at position pos (0 <= pos < seq_len) and returns the logits
 * (vocab_size floats, owned by t, overwritten by the next call); NULL when
 * token or pos is out of range. */
float *pl_forward(pl_transformer *t, int32_t token, int32_t pos);

#endif
