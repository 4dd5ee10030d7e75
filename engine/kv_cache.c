/* kv_cache.c - layout and quantized storage of the KV cache (kv_cache.h). */
#include "kv_cache.h"

#include <string.h>

#include "plmath.h"
#include "quant.h"

#define KV_ALIGN 16

static uint64_t aligned(uint64_t n) { return (n + KV_ALIGN - 1) & ~(uint64_t)(KV_ALIGN - 1); }

static uint64_t key_bytes(pl_kv_type type) { return type == PL_KV_F32 ? 4 : 2; }

/* The arrays of a segment, each 16-byte aligned: keys, values, exponents;
 * offsets[3] = total. Compact values take whole pairs of positions. */
static void segment_offsets(const pl_config *c, pl_kv_type type, int32_t count,
                            uint64_t offsets[4])
{
    uint64_t rows = (uint64_t)c->n_layers * (uint64_t)count;
    uint64_t kv_dim = (uint64_t)pl_kv_dim(c);
    int compact = type == PL_KV_COMPACT;
    uint64_t pairs = (uint64_t)c->n_layers * (((uint64_t)count + 1) / 2);
    uint64_t value_bytes = compact ? pairs * 2 * kv_dim : rows * kv_dim * 4;
    offsets[0] = 0;
    offsets[1] = offsets[0] + aligned(rows * kv_dim * key_bytes(type));
    offsets[2] = offsets[1] + aligned(value_bytes);
    offsets[3] = offsets[2] + (compact ? aligned(rows * sizeof(pl_kv_exponents)) : 0);
}

size_t pl_kv_size(const pl_config *c, pl_kv_type type, int32_t positions)
{
    if (positions < 0) return 0;
    uint64_t offsets[4];
    segment_offsets(c, type, positions, offsets);
    return offsets[3] > (uint64_t)SIZE_MAX ? 0 : (size_t)offsets[3];
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
    /* compact values lie in pairs of positions: a segment that is not the
     * whole cache holds whole pairs, so the next one starts on a pair */
    return type == PL_KV_COMPACT && lo < c->seq_len ? lo & ~1 : lo;
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
    uint64_t offsets[4];
    segment_offsets(c, type, count, offsets);
    uint8_t *base = mem;
    memset(base, 0, (size_t)offsets[3]);
    s->first = first;
    s->count = count;
    s->keys = base + offsets[0];
    s->values = base + offsets[1];
    s->exp = type == PL_KV_COMPACT ? (pl_kv_exponents *)(void *)(base + offsets[2]) : NULL;
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

/* The exponent of a row's power-of-two scale: the smallest e with
 * max_abs * 2^-e <= limit (so the rounded values stay within +-limit),
 * from the float's bits (the same on every platform); within
 * [-PL_KV_EXP_LIMIT, PL_KV_EXP_LIMIT] (beyond it values clamp, or round to
 * nearly nothing - nothing a model makes). */
#define PL_KV_EXP_LIMIT 100
static int32_t row_exponent(float max_abs, int32_t limit)
{
    union { float f; uint32_t u; } m = {max_abs};
    int32_t biased = (int32_t)(m.u >> 23) & 0xff;
    if (biased == 0 || biased == 0xff) return biased == 0 ? -PL_KV_EXP_LIMIT : PL_KV_EXP_LIMIT;
    int32_t log2_limit = 31 - __builtin_clz((uint32_t)limit);
    int32_t e = (biased - 127) - log2_limit; /* max_abs * 2^-e in [2^l, 2^(l+1)) */
    if (e < -PL_KV_EXP_LIMIT) return -PL_KV_EXP_LIMIT;
    if (e > PL_KV_EXP_LIMIT) return PL_KV_EXP_LIMIT;
    if (max_abs * pl_pow2f(-e) > (float)limit) e++;
    return e;
}

/* x quantized with the scale 2^e (inv = 2^-e: the product is exact) to
 * [-limit, limit]. */
static int32_t quantized(float x, float inv, int32_t limit)
{
    int32_t v = pl_round(x * inv);
    return v > limit ? limit : (v < -limit ? -limit : v);
}

/* The exponents of (layer, pos) from its key's and value's own: the keys'
 * and the values' running maxima with those of pos - 1. */
static pl_kv_exponents exponents_at(const pl_kv_cache *kv, int32_t layer, int32_t pos,
                                    int32_t key_e, int32_t value_e)
{
    pl_kv_exponents e = {(int8_t)key_e, (int8_t)value_e, (int8_t)value_e, 0};
    if (pos > 0) {
        pl_kv_exponents before = pl_kv_exponents_of(kv, layer, pos - 1);
        e.key = before.key > e.key ? before.key : e.key;
        e.value_max = before.value_max > e.value ? before.value_max : e.value;
    }
    int32_t d = e.value_max - e.value;
    e.value_shift = (int8_t)(d < 15 ? d : 15);
    return e;
}

pl_kv_exponents pl_kv_exponents_of(const pl_kv_cache *kv, int32_t layer, int32_t pos)
{
    const pl_kv_segment *s;
    size_t row = row_of(kv, layer, pos, &s);
    return s->exp[row];
}

void pl_kv_store_part(pl_kv_cache *kv, int32_t layer, int32_t pos, const float *key,
                      const float *value, int32_t begin, int32_t end)
{
    const pl_kv_segment *s;
    size_t row = row_of(kv, layer, pos, &s);
    int32_t kv_dim = kv->kv_dim, i = pos - s->first;
    pl_kv_exponents e =
        exponents_at(kv, layer, pos, row_exponent(pl_max_abs(key, kv_dim), kv->key_max),
                     row_exponent(pl_max_abs(value, kv_dim), PL_Q8_MAX));
    s->exp[row] = e;
    int16_t *k = (int16_t *)s->keys + row * (size_t)kv_dim;
    float key_inv = pl_pow2f(-e.key), value_inv = pl_pow2f(-e.value);
    for (int32_t d = begin; d < end; d++) k[d] = (int16_t)quantized(key[d], key_inv, kv->key_max);
    /* values: this position's half of each word of its pair, dims 2j and
     * 2j + 1 at bytes 4j and 4j + 1 of it */
    int8_t *half = (int8_t *)s->values +
                   (pl_kv_pair_offset(s, layer) + (size_t)(i / 2)) * 2 * (size_t)kv_dim +
                   (size_t)(i % 2) * 2;
    for (int32_t d = begin; d < end; d++)
        half[2 * d - (d & 1)] = (int8_t)quantized(value[d], value_inv, PL_Q8_MAX);
}
