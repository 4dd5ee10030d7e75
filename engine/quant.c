/* quant.c - quantization and float16 conversion (see quant.h). */
#include "quant.h"

#include "kernels/dsp.h"

#include <string.h>

uint16_t pl_f32_to_f16(float f)
{
    uint32_t x;
    memcpy(&x, &f, 4);
    uint32_t sign = (x >> 16) & 0x8000;
    uint32_t abs = x & 0x7fffffff;
    if (abs > 0x7f800000) return (uint16_t)(sign | 0x7e00);         /* nan */
    if (abs >= 0x477ff000) return (uint16_t)(sign | 0x7c00);        /* overflows to inf */
    if (abs < 0x38800000) {                                          /* f16 subnormal or 0 */
        if (abs < 0x33000000) return (uint16_t)sign;                 /* below half the smallest */
        uint32_t mant = (abs & 0x7fffff) | 0x800000;
        int shift = 126 - (int)(abs >> 23);                          /* 14..24 */
        uint32_t half = mant >> shift;
        uint32_t rest = mant & ((1u << shift) - 1), mid = 1u << (shift - 1);
        if (rest > mid || (rest == mid && (half & 1))) half++;
        return (uint16_t)(sign | half);
    }
    uint32_t h = ((abs >> 13) - (112u << 10));                       /* rebias exponent */
    uint32_t rest = abs & 0x1fff;
    if (rest > 0x1000 || (rest == 0x1000 && (h & 1))) h++;
    return (uint16_t)(sign | h);
}

float pl_f16_to_f32(uint16_t h)
{
    uint32_t sign = (uint32_t)(h & 0x8000) << 16;
    uint32_t exp = (h >> 10) & 0x1f, mant = h & 0x3ff;
    uint32_t x;
    if (exp == 0x1f) {
        x = sign | 0x7f800000 | (mant << 13);
    } else if (exp != 0) {
        x = sign | ((exp + 112) << 23) | (mant << 13);
    } else if (mant == 0) {
        x = sign;
    } else { /* subnormal: normalize */
        int e = -1;
        do {
            mant <<= 1;
            e++;
        } while (!(mant & 0x400));
        x = sign | ((uint32_t)(112 - e) << 23) | ((mant & 0x3ff) << 13);
    }
    float f;
    memcpy(&f, &x, 4);
    return f;
}

float pl_max_abs(const float *x, int32_t n)
{
    /* two running maxima: each VMAXNM waits for the one before it */
    float m0 = 0.0f, m1 = 0.0f;
    int32_t i = 0;
    for (; i + 2 <= n; i += 2) {
        m0 = __builtin_fmaxf(m0, __builtin_fabsf(x[i]));
        m1 = __builtin_fmaxf(m1, __builtin_fabsf(x[i + 1]));
    }
    if (i < n) m0 = __builtin_fmaxf(m0, __builtin_fabsf(x[i]));
    return __builtin_fmaxf(m0, m1);
}

static int32_t clamp(int32_t v, int32_t limit)
{
    return v > limit ? limit : (v < -limit ? -limit : v);
}

/* An activation code within [-PL_ACT_MAX - 1, PL_ACT_MAX]: one SSAT on the
 * M33. With inv finite (see below) |x * inv| <= PL_ACT_MAX * (1 + 2^-22)
 * rounds to at most PL_ACT_MAX, so codes stay symmetric and sums of
 * products keep their int32 headroom; the saturation only catches
 * what a NaN-free, finite input cannot produce. */
static inline int32_t saturate_activation(int32_t v)
{
#if PL_ARM_DSP
    return __ssat(v, 15);
#else
    return v > PL_ACT_MAX ? PL_ACT_MAX : (v < -PL_ACT_MAX - 1 ? -PL_ACT_MAX - 1 : v);
#endif
}

/* Two int16 codes in one word, lo first in memory (little-endian). */
static inline uint32_t pack2(int32_t lo, int32_t hi)
{
    return (uint32_t)(uint16_t)lo | (uint32_t)hi << 16;
}

/* r[k] = pl_round(x[k] * inv) for k < 4. On the M33 in one block, so each
 * VCVTA comes three instructions after its VMUL and none waits for a result
 * (the compiler keeps each pl_round right behind its multiply). */
static inline void round4(const float *x, float inv, int32_t r[4])
{
#if defined(__ARM_FP) && __ARM_ARCH >= 8 && !defined(PL_NO_DSP)
    float v[4] = {x[0], x[1], x[2], x[3]};
    __asm__("vmul.f32 %0, %0, %4\n\t"
            "vmul.f32 %1, %1, %4\n\t"
            "vmul.f32 %2, %2, %4\n\t"
            "vmul.f32 %3, %3, %4\n\t"
            "vcvta.s32.f32 %0, %0\n\t"
            "vcvta.s32.f32 %1, %1\n\t"
            "vcvta.s32.f32 %2, %2\n\t"
            "vcvta.s32.f32 %3, %3"
            : "+t"(v[0]), "+t"(v[1]), "+t"(v[2]), "+t"(v[3])
            : "t"(inv));
    memcpy(r, v, sizeof(v));
#else
    for (int k = 0; k < 4; k++) r[k] = pl_round(x[k] * inv);
#endif
}

/* Pairs in Q8 order (quant.h). */
static void q8_pairs(pl_qvec *out, int32_t n)
{
    int32_t i = 0;
    for (; i + 4 <= n; i += 4) {
        out->pairs[i] = out->q[i];
        out->pairs[i + 1] = out->q[i + 2];
        out->pairs[i + 2] = out->q[i + 1];
        out->pairs[i + 3] = out->q[i + 3];
    }
    for (; i < n; i++) out->pairs[i] = out->q[i];
}

/* Pairs in Q4 order (quant.h) for a group of a multiple of eight. */
static void q4_pairs(int16_t *pairs, const int16_t *q, int32_t n)
{
    static const uint8_t order[8] = {0, 4, 2, 6, 1, 5, 3, 7};
    for (int32_t i = 0; i < n; i += 8)
        for (int k = 0; k < 8; k++) pairs[i + k] = q[i + order[k]];
}

/* Stores of two int16 codes at once (the buffers are word aligned: the
 * callers check). */
typedef uint32_t __attribute__((may_alias)) code_pair;

/* Codes (and Q8 pairs, pairs not NULL) of group g, four at a time: the FPU
 * overlaps the four conversions. */
static void quantize_group_q8_now(const float *xg, int16_t *qg, int16_t *pg, int32_t group,
                                  float inv)
{
    int aligned = (((uintptr_t)qg | (uintptr_t)pg) & 3) == 0;
    for (int32_t i = 0; i < group; i += 4) {
        int32_t r[4];
        round4(xg + i, inv, r);
        int32_t a = saturate_activation(r[0]), b = saturate_activation(r[1]);
        int32_t c = saturate_activation(r[2]), d = saturate_activation(r[3]);
        uint32_t words[4] = {pack2(a, b), pack2(c, d), pack2(a, c), pack2(b, d)};
        if (aligned) {
            code_pair *q = (code_pair *)(void *)(qg + i), *p = (code_pair *)(void *)(pg + i);
            q[0] = words[0];
            q[1] = words[1];
            p[0] = words[2];
            p[1] = words[3];
        } else {
            memcpy(qg + i, words, 8);
            memcpy(pg + i, words + 2, 8);
        }
    }
}

/* Q8 pairs of groups of a multiple of four are written as the codes are
 * made; other pairs in a pass at the end (pl_quantize_activations). */
static int q8_pairs_now(const pl_qvec *out)
{
    return out->pairs && out->order == PL_PAIRS_Q8 && out->group % 4 == 0;
}

static void quantize_groups(pl_qvec *out, const float *x, int32_t g_begin, int32_t g_end)
{
    int32_t group = out->group;
    int now = q8_pairs_now(out);
    for (int32_t g = g_begin; g < g_end; g++) {
        const float *xg = x + (size_t)g * group;
        int16_t *qg = out->q + (size_t)g * group;
        float wmax = pl_max_abs(xg, group);
        out->scales[g] = wmax / PL_ACT_MAX;
        /* multiply by the inverse: one division per group, not per value;
         * a group below 1e-30 is all zeros (its inverse could overflow) */
        float inv = wmax < 1e-30f ? 0.0f : PL_ACT_MAX / wmax;
        if (now) {
            quantize_group_q8_now(xg, qg, out->pairs + (size_t)g * group, group, inv);
            continue;
        }
        for (int32_t i = 0; i < group; i++)
            qg[i] = (int16_t)saturate_activation(pl_round(xg[i] * inv));
    }
}

int pl_quantize_groups(pl_qvec *out, const float *x, int32_t g_begin, int32_t g_end)
{
    if (out->pairs && !q8_pairs_now(out)) return 0;
    quantize_groups(out, x, g_begin, g_end);
    return 1;
}

void pl_quantize_activations(pl_qvec *out, const float *x, int32_t n, int32_t group)
{
    out->n = n;
    out->group = group;
    quantize_groups(out, x, 0, n / group);
    if (!out->pairs || q8_pairs_now(out)) return;
    if (out->order == PL_PAIRS_Q8) q8_pairs(out, n);
    else if (group % 8 == 0) q4_pairs(out->pairs, out->q, n);
}

size_t pl_q8_data_bytes(int32_t rows, int32_t cols) { return (size_t)rows * (size_t)cols; }
size_t pl_q4_data_bytes(int32_t rows, int32_t cols) { return ((size_t)rows * (size_t)cols + 1) / 2; }

size_t pl_q8_scale_bytes(int32_t rows, int32_t cols, int32_t group)
{
    return (size_t)rows * (size_t)(cols / group) * sizeof(float);
}

size_t pl_q4_scale_bytes(int32_t rows, int32_t cols, int32_t group)
{
    return (size_t)rows * (size_t)(cols / group) * sizeof(uint16_t);
}

/* One weight quantized with a given scale, in [-limit, limit]. Division
 * (not a reciprocal) for accuracy: this runs offline in the packer. */
static int32_t quantize_weight(float w, float scale, int32_t limit)
{
    return scale == 0.0f ? 0 : clamp(pl_round(w / scale), limit);
}

/* Squared error of a group quantized with scale. */
static double group_error(const float *w, int32_t n, float scale, int32_t limit)
{
    double e = 0;
    for (int32_t k = 0; k < n; k++) {
        double d = (double)w[k] - (double)quantize_weight(w[k], scale, limit) * scale;
        e += d * d;
    }
    return e;
}

/* The scale minimising the group's squared error: max|w| / limit maps the
 * largest weight exactly, but clipping it a little often rounds the many
 * small weights better. Searched over 1/256 steps down to 70% of it. */
static float best_scale(const float *w, int32_t n, int32_t limit)
{
    float base = pl_max_abs(w, n) / limit, best = base;
    double best_error = group_error(w, n, base, limit);
    for (int step = 1; step <= 77; step++) {
        float s = base * (1.0f - step / 256.0f);
        double e = group_error(w, n, s, limit);
        if (e < best_error) {
            best_error = e;
            best = s;
        }
    }
    return best;
}

void pl_quantize_q8(const float *w, int32_t rows, int32_t cols, int32_t group, int8_t *q,
                    float *scales)
{
    size_t i = 0, s = 0;
    for (int32_t r = 0; r < rows; r++) {
        for (int32_t g = 0; g < cols / group; g++, s++) {
            const float *wg = w + i;
            float scale = best_scale(wg, group, PL_Q8_MAX);
            scales[s] = scale;
            for (int32_t k = 0; k < group; k++, i++)
                q[i] = (int8_t)quantize_weight(wg[k], scale, PL_Q8_MAX);
        }
    }
}

void pl_quantize_q4(const float *w, int32_t rows, int32_t cols, int32_t group, uint8_t *q,
                    uint16_t *scales)
{
    memset(q, 0, pl_q4_data_bytes(rows, cols));
    size_t i = 0, s = 0;
    for (int32_t r = 0; r < rows; r++) {
        for (int32_t g = 0; g < cols / group; g++, s++) {
            const float *wg = w + i;
            /* quantize with the scale as stored, so q * scale is what we meant */
            uint16_t h = pl_f32_to_f16(pl_max_abs(wg, group) / PL_Q4_MAX);
            float scale = pl_f16_to_f32(h);
            scales[s] = h;
            for (int32_t k = 0; k < group; k++, i++) {
                uint8_t nibble = (uint8_t)(quantize_weight(wg[k], scale, PL_Q4_MAX) + 8);
                q[i / 2] |= (uint8_t)((i & 1) ? nibble << 4 : nibble);
            }
        }
    }
}
