/* kv_cache.h - the attention's memory of past positions: every layer's key
 * and value of every position computed so far.
 *
 * Two kinds:
 *  - float, as llama2.c keeps it (the reference);
 *  - compact: int16 keys and int8 values, each with one float scale per
 *    position and layer. Keys get the bits: with 8-value heads (stories260K)
 *    attention logits are sharp enough that int8 keys alone lose a point of
 *    agreement with the float model, while int8 values cost nothing
 *    measurable (docs/performance.md). A position then takes
 *    n_layers * (3 * kv_dim + 8) bytes instead of n_layers * 8 * kv_dim.
 *
 * The positions may live in two segments (e.g. the first ones in SRAM, the
 * rest in PSRAM); results do not depend on where the split falls.
 */
#ifndef PICOLLAMA_KV_CACHE_H
#define PICOLLAMA_KV_CACHE_H

#include <stddef.h>
#include <stdint.h>

#include "model.h"

typedef enum { PL_KV_F32 = 0, PL_KV_COMPACT = 1 } pl_kv_type;

/* Positions [first, first + count), every layer. */
typedef struct {
    int32_t first, count;
    void *keys;         /* (n_layers, count, kv_dim): float or int16 */
    void *values;       /* (n_layers, count, kv_dim): float or int8 */
    float *key_scale;   /* (n_layers, count); compact only */
    float *value_scale; /* (n_layers, count); compact only */
} pl_kv_segment;

typedef struct {
    pl_kv_type type;
    int32_t kv_dim;
    int32_t key_max; /* compact keys lie in [-key_max, key_max] */
    int32_t segments;
    pl_kv_segment seg[2];
} pl_kv_cache;

/* Bytes that `positions` positions of a model take (0 on overflow), and how
 * many positions fit in `bytes`. */
size_t pl_kv_size(const pl_config *c, pl_kv_type type, int32_t positions);
int32_t pl_kv_positions(const pl_config *c, pl_kv_type type, size_t bytes);

/* Lays the cache out for c->seq_len positions: the first count0 in mem0,
 * the rest in mem1 (NULL when count0 == seq_len). Sizes come from
 * pl_kv_size; the memory is zeroed. */
void pl_kv_init(pl_kv_cache *kv, const pl_config *c, pl_kv_type type, void *mem0,
                int32_t count0, void *mem1);

/* Where the float key and value of (layer, pos) go (float cache only). */
float *pl_kv_key_f32(const pl_kv_cache *kv, int32_t layer, int32_t pos);
float *pl_kv_value_f32(const pl_kv_cache *kv, int32_t layer, int32_t pos);

/* Quantizes and stores the key and value of (layer, pos) (compact only). */
void pl_kv_store(pl_kv_cache *kv, int32_t layer, int32_t pos, const float *key,
                 const float *value);
/* The same for the values [begin, end) of the key and value alone (a
 * core's heads): the scales still come from the whole key and value, so
 * the cache holds the same bits whoever stores which part (cores storing
 * parts at once write the same scales). */
void pl_kv_store_part(pl_kv_cache *kv, int32_t layer, int32_t pos, const float *key,
                      const float *value, int32_t begin, int32_t end);

/* Index of the first row of a layer in a segment: position seg->first + i
 * of that layer is row pl_kv_layer_offset(seg, layer) + i. */
static inline size_t pl_kv_layer_offset(const pl_kv_segment *seg, int32_t layer)
{
    return (size_t)layer * (size_t)seg->count;
}

#endif
