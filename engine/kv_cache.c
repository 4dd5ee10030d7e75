/* kv_cache.c - layout and quantized storage of the KV cache (kv_cache.h). */
#include "kv_cache.h"

#include <string.h>

#include "quant.h"

#define KV_ALIGN 16

static uint64_t aligned(uint64_t n) { return (n + KV_ALIGN - 1) & ~(uint64_t)(KV_ALIGN - 1); }

static uint64_t key_bytes(pl_kv_type type) { return type == PL_KV_F32 ? 4 : 2; }
static uint64_t value_bytes(pl_kv_type type) { return type == PL_KV_F32 ? 4 : 1; }

/* The four arrays of a segment, each 16-byte aligned; offsets[4] = total. */
static void segment_offsets(const pl_config *c, pl_kv_type type, int32_t count,
                            uint64_t offsets[5])
{
    uint64_t rows = (uint64_t)c->n_layers * (uint64_t)count;
    uint64_t values = rows * (uint64_t)pl_kv_dim(c);
    int compact = type == PL_KV_COMPACT;
    offsets[0] = 0;
    offsets[1] = offsets[0] + aligned(values * key_bytes(type));
    offsets[2] = offsets[1] + aligned(values * value_bytes(type));
    offsets[3] = offsets[2] + (compact ? aligned(rows * sizeof(float)) : 0);
    offsets[4] = offsets[3] + (compact ? aligned(rows * sizeof(float)) : 0);
}

size_t pl_kv_size(const pl_config *c, pl_kv_type type, int32_t positions)
{
    if (positions < 0) return 0;
    uint64_t offsets[5];
    segment_offsets(c, type, positions, offsets);
    return offsets[4] > (uint64_t)SIZE_MAX ? 0 : (size_t)offsets[4];
}

int32_t pl_kv_positions(const pl_config *c, pl_kv_type type, size_t bytes)
{
    int32_t lo = 0, hi = c->seq_len; /* size(lo) fits; find the largest that does */
    while (lo < hi) {
        int32_t mid = lo + (hi - lo + 1) / 2;
        size_t size = pl_kv_size(c, type, mid);
        if (size != 0 && size <= bytes) lo = mid;
        else hi = mid - 1;
    }
    return lo;
}

/* The largest |key| that keeps a head's dot product with a 15-bit query in
 * int32: head_size * PL_ACT_MAX * key_max <= INT32_MAX. */
static int32_t key_max_for(int32_t head_size)
{
    int64_t m = (int64_t)INT32_MAX / ((int64_t)head_size * PL_ACT_MAX);
    return m > PL_ACT_MAX ? PL_ACT_MAX : (int32_t)m;
}

static void init_segment(pl_kv_segment *s, const pl_config *c, pl_kv_type type, void *mem,
                         int32_t first, int32_t count)
{
    uint64_t offsets[5];
    segment_offsets(c, type, count, offsets);
    uint8_t *base = mem;
    memset(base, 0, (size_t)offsets[4]);
    s->first = first;
    s->count = count;
    s->keys = base + offsets[0];
    s->values = base + offsets[1];
    s->key_scale = type == PL_KV_COMPACT ? (float *)(void *)(base + offsets[2]) : NULL;
    s->value_scale = type == PL_KV_COMPACT ? (float *)(void *)(base + offsets[3]) : NULL;
}

void pl_kv_init(pl_kv_cache *kv, const pl_config *c, pl_kv_type type, void *mem0,
                int32_t count0, void *mem1)
{
    memset(kv, 0, sizeof(*kv));
    kv->type = type;
    kv->kv_dim = pl_kv_dim(c);
    kv->key_max = key_max_for(pl_head_size(c));
    init_segment(&kv->seg[0], c, type, mem0, 0, count0);
    kv->segments = 1;
    if (count0 < c->seq_len) {
        init_segment(&kv->seg[1], c, type, mem1, count0, c->seq_len - count0);
        kv->segments = 2;
    }
}

/* The segment holding pos, and pos's index in it. */
static const pl_kv_segment *segment_of(const pl_kv_cache *kv, int32_t pos, int32_t *index)
{
    const pl_kv_segment *s = &kv->seg[kv->segments > 1 && pos >= kv->seg[1].first];
    *index = pos - s->first;
    return s;
}

/* Row (layer, pos): its index among the segment's rows. */
static size_t row_of(const pl_kv_cache *kv, int32_t layer, int32_t pos,
                     const pl_kv_segment **seg)
{
    int32_t i;
    *seg = segment_of(kv, pos, &i);
    return pl_kv_layer_offset(*seg, layer) + (size_t)i;
}

float *pl_kv_key_f32(const pl_kv_cache *kv, int32_t layer, int32_t pos)
{
    const pl_kv_segment *s;
    size_t row = row_of(kv, layer, pos, &s);
    return (float *)s->keys + row * (size_t)kv->kv_dim;
}

float *pl_kv_value_f32(const pl_kv_cache *kv, int32_t layer, int32_t pos)
{
    const pl_kv_segment *s;
    size_t row = row_of(kv, layer, pos, &s);
    return (float *)s->values + row * (size_t)kv->kv_dim;
}

/* Symmetric quantization of values [begin, end) of a row of n to [-limit,
 * limit] with the row's scale, which it returns. */
static float quantize_row(const float *x, int32_t n, int32_t begin, int32_t end, int32_t limit,
                          int16_t *q16, int8_t *q8)
{
    float m = pl_max_abs(x, n);
    float inv = m == 0.0f ? 0.0f : (float)limit / m;
    for (int32_t i = begin; i < end; i++) {
        int32_t v = pl_round(x[i] * inv);
        v = v > limit ? limit : (v < -limit ? -limit : v);
        if (q16) q16[i] = (int16_t)v;
        else q8[i] = (int8_t)v;
    }
    return m / (float)limit;
}

void pl_kv_store_part(pl_kv_cache *kv, int32_t layer, int32_t pos, const float *key,
                      const float *value, int32_t begin, int32_t end)
{
    const pl_kv_segment *s;
    size_t row = row_of(kv, layer, pos, &s);
    size_t at = row * (size_t)kv->kv_dim;
    s->key_scale[row] = quantize_row(key, kv->kv_dim, begin, end, kv->key_max,
                                     (int16_t *)s->keys + at, NULL);
    s->value_scale[row] = quantize_row(value, kv->kv_dim, begin, end, PL_Q8_MAX, NULL,
                                       (int8_t *)s->values + at);
}

void pl_kv_store(pl_kv_cache *kv, int32_t layer, int32_t pos, const float *key,
                 const float *value)
{
    pl_kv_store_part(kv, layer, pos, key, value, 0, kv->kv_dim);
}
