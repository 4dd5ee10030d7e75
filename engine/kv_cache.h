/* kv_cache.h - the attention's memory of past positions: every layer's key
 * and value of every position computed so far.
 *
 * Two kinds:
 *  - float, as llama2.c keeps it (the reference);
 *  - compact: int16 keys and int8 values with power-of-two scales (an
 *    exponent byte per position and layer). Keys get the bits: with 8-value
 *    heads (stories260K) attention logits are sharp enough that int8 keys
 *    alone lose a point of agreement with the float model, while int8
 *    values cost nothing measurable (docs/performance.md). Powers of two
 *    let attention run in integers (kernels/attention.h): a key is stored
 *    at the largest key exponent of its layer so far (its position's and
 *    those before: the key's own would leave a shift per position in the
 *    scores; this one costs no measurable agreement, as the large keys of
 *    stories260K's slow RoPE pairs hardly change from one position to the
 *    next), so the exponents never fall along the positions and a head's
 *    scores shift only where they rise. A value keeps its own exponent (at
 *    the running maximum the values lost 0.06 points of agreement); each
 *    position also keeps the values' running maximum, which its softmax
 *    weight is shifted to, and its distance to it. Both maxima are
 *    functions of the positions up to pos only: the same bits whichever
 *    way the cache was filled or reused. A position takes n_layers * (3 *
 *    kv_dim + 4) bytes instead of n_layers * 8 * kv_dim.
 *
 * Compact values lie in pairs of positions, so that the weighted sum takes
 * two positions per SMLAD: per layer, pair p = positions 2p and 2p + 1, its
 * kv_dim values of both as words of two values of each, dims 2j and 2j + 1:
 * bytes {v_2p[2j], v_2p[2j+1], v_2p+1[2j], v_2p+1[2j+1]}. SXTB16 of the
 * word gives the pair of positions' values of dim 2j, SXTB16 of it rotated
 * by 8 those of dim 2j + 1.
 *
 * The positions may live in two segments (e.g. the first ones in SRAM, the
 * rest in PSRAM); results do not depend on where the split falls. A
 * compact segment holds whole pairs (pl_kv_positions gives an even count
 * unless it is all of seq_len).
 */
#ifndef PICOLLAMA_KV_CACHE_H
#define PICOLLAMA_KV_CACHE_H

#include <stddef.h>
#include <stdint.h>

#include "model.h"

typedef enum { PL_KV_F32 = 0, PL_KV_COMPACT = 1 } pl_kv_type;

/* The exponents of a compact position (one layer): key = int16 * 2^key,
 * key the largest key exponent among positions 0..pos of the layer; value
 * = int8 * 2^value; value_max: the largest value exponent among positions
 * 0..pos; value_shift = min(value_max - value, 15), the shift that brings
 * the position's softmax weight to value_max (kernels/attention.h: while
 * value_max stays the same - most of a context - the weights need no more
 * than this byte). */
typedef struct {
    int8_t key, value, value_max, value_shift;
} pl_kv_exponents;

/* Positions [first, first + count), every layer. */
typedef struct {
    int32_t first, count;
    void *keys;           /* (n_layers, count, kv_dim): float or int16 */
    void *values;         /* float (n_layers, count, kv_dim), or int8 in pairs
                           * (n_layers, (count + 1) / 2, kv_dim, 2 x 2) */
    pl_kv_exponents *exp; /* (n_layers, count); compact only */
} pl_kv_segment;

typedef struct {
    pl_kv_type type;
    int32_t kv_dim;
    int32_t key_max; /* compact keys lie in [-key_max, key_max] */
    int32_t segments;
    pl_kv_segment seg[2];
} pl_kv_cache;

/* Bytes that `positions` positions of a model take (0 on overflow), and how
 * many positions fit in `bytes` (compact: whole pairs, or seq_len). */
size_t pl_kv_size(const pl_config *c, pl_kv_type type, int32_t positions);
int32_t pl_kv_positions(const pl_config *c, pl_kv_type type, size_t bytes);

/* Lays the cache out for c->seq_len positions: the first count0 in mem0,
 * the rest in mem1 (NULL when count0 == seq_len). Sizes come from
 * pl_kv_size; the memory is zeroed. A compact cache's count0 must be even
 * or seq_len (as pl_kv_positions gives). */
void pl_kv_init(pl_kv_cache *kv, const pl_config *c, pl_kv_type type, void *mem0,
                int32_t count0, void *mem1);

/* Where the float key and value of (layer, pos) go (float cache only). */
float *pl_kv_key_f32(const pl_kv_cache *kv, int32_t layer, int32_t pos);
float *pl_kv_value_f32(const pl_kv_cache *kv, int32_t layer, int32_t pos);

/* Quantizes and stores values [begin, end) of the key and value of
 * (layer, pos) (compact only; positions before pos of the layer already
 * stored): [0, kv_dim) for all of them, or a core's heads. The exponents
 * come from the whole key and value, so the cache holds the same bits
 * whoever stores which part (cores storing parts at once write the same
 * exponents). */
void pl_kv_store_part(pl_kv_cache *kv, int32_t layer, int32_t pos, const float *key,
                      const float *value, int32_t begin, int32_t end);

/* The exponents of (layer, pos) (compact only). */
pl_kv_exponents pl_kv_exponents_of(const pl_kv_cache *kv, int32_t layer, int32_t pos);

/* Index of the first row of a layer in a segment: position seg->first + i
 * of that layer is row pl_kv_layer_offset(seg, layer) + i (keys, float
 * values, exponents). */
static inline size_t pl_kv_layer_offset(const pl_kv_segment *seg, int32_t layer)
{
    return (size_t)layer * (size_t)seg->count;
}

/* Index of the first pair of a layer among a compact segment's value pairs
 * (each 2 * kv_dim bytes): position seg->first + i is in pair
 * pl_kv_pair_offset(seg, layer) + i / 2. */
static inline size_t pl_kv_pair_offset(const pl_kv_segment *seg, int32_t layer)
{
    return (size_t)layer * (size_t)((seg->count + 1) / 2);
}

#endif
