/* quant.c - quantization and float16 conversion (see quant.h). */
#include "quant.h"

#include "kernels/dsp.h"
#include "plmath.h"

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
    /* four running maxima: each VMAXNM waits for the one before it (the
     * maximum is exact, so any order gives the same bits); eight values a
     * step */
    float m0 = 0.0f, m1 = 0.0f, m2 = 0.0f, m3 = 0.0f;
    int32_t i = 0;
    for (; i + 8 <= n; i += 8) {
        m0 = __builtin_fmaxf(m0, __builtin_fabsf(x[i]));
        m1 = __builtin_fmaxf(m1, __builtin_fabsf(x[i + 1]));
        m2 = __builtin_fmaxf(m2, __builtin_fabsf(x[i + 2]));
        m3 = __builtin_fmaxf(m3, __builtin_fabsf(x[i + 3]));
        m0 = __builtin_fmaxf(m0, __builtin_fabsf(x[i + 4]));
        m1 = __builtin_fmaxf(m1, __builtin_fabsf(x[i + 5]));
        m2 = __builtin_fmaxf(m2, __builtin_fabsf(x[i + 6]));
        m3 = __builtin_fmaxf(m3, __builtin_fabsf(x[i + 7]));
    }
    for (; i < n; i++) m0 = __builtin_fmaxf(m0, __builtin_fabsf(x[i]));
    return __builtin_fmaxf(__builtin_fmaxf(m0, m1), __builtin_fmaxf(m2, m3));
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

/* Codes of four values: r = pl_round(x * inv) saturated, as the portable
 * path computes them. */
static inline void quantize4_plain(const float *x, float inv, int32_t r[4])
{
    for (int k = 0; k < 4; k++) r[k] = saturate_activation(pl_round(x[k] * inv));
}

#if PL_ARM_DSP && defined(__ARM_FP) && __ARM_ARCH >= 8
/* The M33's step of four values: a VLDM, the conversions overlapped in
 * the FPU, the codes out in two VMOVs, packed in pairs (PKHBT) and stored
 * in words: the codes x0 x1 x2 x3 at %[q], and (QUANTIZE4_PAIRS) the Q8
 * pairs x0 x2 x1 x3 at %[p]. No SSAT: every code is within +-PL_ACT_MAX
 * already (|x| <= the group's max, so |x * inv| <= PL_ACT_MAX (1 + 2^-23)
 * rounds to at most PL_ACT_MAX; a nan or, with inv = 0, an infinite x
 * converts to 0), which saturate_activation leaves as they are. */
#define QUANTIZE4_HEAD(s0, s1, s2, s3)                          \
    "vmul.f32 " s0 ", " s0 ", %[inv]\n\t"                       \
    "vmul.f32 " s1 ", " s1 ", %[inv]\n\t"                       \
    "vmul.f32 " s2 ", " s2 ", %[inv]\n\t"                       \
    "vmul.f32 " s3 ", " s3 ", %[inv]\n\t"                       \
    "vcvta.s32.f32 " s0 ", " s0 "\n\t"                          \
    "vcvta.s32.f32 " s1 ", " s1 "\n\t"                          \
    "vcvta.s32.f32 " s2 ", " s2 "\n\t"                          \
    "vcvta.s32.f32 " s3 ", " s3 "\n\t"                          \
    "vmov     %[a], %[b], " s0 ", " s1 "\n\t"                   \
    "vmov     %[c], %[d], " s2 ", " s3 "\n\t"                   \
    "pkhbt    %[w0], %[a], %[b], lsl #16\n\t"                   \
    "pkhbt    %[w1], %[c], %[d], lsl #16\n\t"                   \
    "strd     %[w0], %[w1], [%[q]], #8\n\t"
#define QUANTIZE4_PAIRS                                         \
    "pkhbt    %[w0], %[a], %[c], lsl #16\n\t"                   \
    "pkhbt    %[w1], %[b], %[d], lsl #16\n\t"                   \
    "strd     %[w0], %[w1], [%[p]], #8\n\t"
#define QUANTIZE_OPERANDS                                                                   \
    : [a] "=&r"(a), [b] "=&r"(b), [c] "=&r"(c), [d] "=&r"(d), [w0] "=&r"(w0),               \
      [w1] "=&r"(w1), [x] "+r"(xg), [q] "+r"(qg), [p] "+r"(pg), [n] "+r"(n)                \
    : [inv] "t"(inv)                                                                        \
    : "s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7", "cc", "memory"

/* Codes (and Q8 pairs, pg not NULL) of a word-aligned group of a multiple
 * of four values: eight a step, then four when the group is not a
 * multiple of eight. */
static void quantize_group4_dsp(const float *xg, int16_t *qg, int16_t *pg, int32_t group,
                                float inv)
{
    uint32_t a, b, c, d, w0, w1;
    int32_t n = group / 8;
    if (pg) {
        if (n > 0)
            __asm__ volatile("1:\n\t"
                             "vldmia   %[x]!, {s0-s7}\n\t"
                             QUANTIZE4_HEAD("s0", "s1", "s2", "s3") QUANTIZE4_PAIRS
                             QUANTIZE4_HEAD("s4", "s5", "s6", "s7") QUANTIZE4_PAIRS
                             "subs     %[n], %[n], #1\n\t"
                             "bne      1b" QUANTIZE_OPERANDS);
        if (group & 4)
            __asm__ volatile("vldmia   %[x]!, {s0-s3}\n\t"
                             QUANTIZE4_HEAD("s0", "s1", "s2", "s3") QUANTIZE4_PAIRS
                             QUANTIZE_OPERANDS);
        return;
    }
    if (n > 0)
        __asm__ volatile("1:\n\t"
                         "vldmia   %[x]!, {s0-s7}\n\t"
                         QUANTIZE4_HEAD("s0", "s1", "s2", "s3")
                         QUANTIZE4_HEAD("s4", "s5", "s6", "s7")
                         "subs     %[n], %[n], #1\n\t"
                         "bne      1b" QUANTIZE_OPERANDS);
    if (group & 4)
        __asm__ volatile("vldmia   %[x]!, {s0-s3}\n\t"
                         QUANTIZE4_HEAD("s0", "s1", "s2", "s3") QUANTIZE_OPERANDS);
}
#endif

/* Codes (and Q8 pairs, pg not NULL) of a group of a multiple of four
 * values (at least four). */
static void quantize_group4(const float *xg, int16_t *qg, int16_t *pg, int32_t group, float inv)
{
#if PL_ARM_DSP && defined(__ARM_FP) && __ARM_ARCH >= 8
    if ((((uintptr_t)qg | (uintptr_t)pg) & 3) == 0) {
        quantize_group4_dsp(xg, qg, pg, group, inv);
        return;
    }
#endif
    for (int32_t i = 0; i < group; i += 4) {
        int32_t r[4];
        quantize4_plain(xg + i, inv, r);
        for (int k = 0; k < 4; k++) qg[i + k] = (int16_t)r[k];
        if (pg) {
            pg[i] = (int16_t)r[0];
            pg[i + 1] = (int16_t)r[2];
            pg[i + 2] = (int16_t)r[1];
            pg[i + 3] = (int16_t)r[3];
        }
    }
}

/* Q8 pairs of groups of a multiple of four are written as the codes are
 * made; other pairs in a pass at the end (pl_quantize_activations). */
static int q8_pairs_now(const pl_qvec *out)
{
    return out->pairs && out->order == PL_PAIRS_Q8 && out->group % 4 == 0;
}

/* The multiplier of a group's codes: the inverse of its scale, one
 * division per group, not per value; a group below 1e-30 is all zeros
 * (its inverse could overflow). */
static float inverse_scale(float wmax) { return wmax < 1e-30f ? 0.0f : PL_ACT_MAX / wmax; }

/* Codes of group g (xg: its values; wmax: their largest magnitude) and
 * its scale wmax / PL_ACT_MAX. */
static void quantize_group(pl_qvec *out, const float *xg, int32_t g, float wmax)
{
    int32_t group = out->group;
    int now = q8_pairs_now(out);
    int16_t *qg = out->q + (size_t)g * group;
    out->scales[g] = wmax / PL_ACT_MAX;
    float inv = inverse_scale(wmax);
    if (now || (!out->pairs && group % 4 == 0 && group > 0)) {
        quantize_group4(xg, qg, now ? out->pairs + (size_t)g * group : NULL, group, inv);
        return;
    }
    for (int32_t i = 0; i < group; i++)
        qg[i] = (int16_t)saturate_activation(pl_round(xg[i] * inv));
}

static void quantize_groups(pl_qvec *out, const float *x, int32_t g_begin, int32_t g_end)
{
    int32_t group = out->group;
    for (int32_t g = g_begin; g < g_end; g++) {
        const float *xg = x + (size_t)g * group;
        quantize_group(out, xg, g, pl_max_abs(xg, group));
    }
}

/* Pairs the groups could not get as their codes were made (Q4 order, Q8
 * order in groups of other lengths): one pass over all n values. */
static void pairs_after(pl_qvec *out, int32_t n)
{
    if (!out->pairs || q8_pairs_now(out)) return;
    if (out->order == PL_PAIRS_Q8) q8_pairs(out, n);
    else if (out->group % 8 == 0) q4_pairs(out->pairs, out->q, n);
}

/* v = weight x over one group; returns the group's sum of squares of x
 * (four running sums added in one fixed order) and sets *vmax = max |v|
 * (exact in any order). One pass, four values a step, instead of
 * RMSNorm's two and the quantizer's maximum. */
static float weigh_group(float *v, const float *x, const float *weight, int32_t n, float *vmax)
{
    float s0 = 0.0f, s1 = 0.0f, s2 = 0.0f, s3 = 0.0f;
    float m0 = 0.0f, m1 = 0.0f, m2 = 0.0f, m3 = 0.0f;
    int32_t i = 0;
    for (; i + 4 <= n; i += 4) {
        float x0 = x[i], x1 = x[i + 1], x2 = x[i + 2], x3 = x[i + 3];
        float v0 = weight[i] * x0, v1 = weight[i + 1] * x1;
        float v2 = weight[i + 2] * x2, v3 = weight[i + 3] * x3;
        s0 += x0 * x0;
        s1 += x1 * x1;
        s2 += x2 * x2;
        s3 += x3 * x3;
        m0 = __builtin_fmaxf(m0, __builtin_fabsf(v0));
        m1 = __builtin_fmaxf(m1, __builtin_fabsf(v1));
        m2 = __builtin_fmaxf(m2, __builtin_fabsf(v2));
        m3 = __builtin_fmaxf(m3, __builtin_fabsf(v3));
        v[i] = v0;
        v[i + 1] = v1;
        v[i + 2] = v2;
        v[i + 3] = v3;
    }
    for (; i < n; i++) {
        float vi = weight[i] * x[i];
        s0 += x[i] * x[i];
        m0 = __builtin_fmaxf(m0, __builtin_fabsf(vi));
        v[i] = vi;
    }
    *vmax = __builtin_fmaxf(__builtin_fmaxf(m0, m1), __builtin_fmaxf(m2, m3));
    return (s0 + s1) + (s2 + s3);
}

static void quantize_normed_groups(pl_qvec *out, float *v, const float *x, const float *weight,
                                   int32_t g_begin, int32_t g_end, float *sums)
{
    int32_t group = out->group;
    for (int32_t g = g_begin; g < g_end; g++) {
        size_t at = (size_t)g * group;
        float vmax;
        sums[g] = weigh_group(v + at, x + at, weight + at, group, &vmax);
        quantize_group(out, v + at, g, vmax);
    }
}

int pl_quantize_normed_groups(pl_qvec *out, float *v, const float *x, const float *weight,
                              int32_t g_begin, int32_t g_end, float *sums)
{
    if (out->pairs && !q8_pairs_now(out)) return 0;
    quantize_normed_groups(out, v, x, weight, g_begin, g_end, sums);
    return 1;
}

void pl_quantize_normed_finish(pl_qvec *out, const float *sums)
{
    /* RMSNorm's factor, as rmsnorm computes it from the sum of squares */
    int32_t groups = out->n / out->group;
    float ss = 0.0f;
    for (int32_t g = 0; g < groups; g++) ss += sums[g];
    ss = pl_rms_factor(ss, out->n);
    for (int32_t g = 0; g < groups; g++) out->scales[g] *= ss;
}

void pl_quantize_normed(pl_qvec *out, float *v, const float *x, const float *weight, int32_t n,
                        int32_t group, float *sums)
{
    out->n = n;
    out->group = group;
    quantize_normed_groups(out, v, x, weight, 0, n / group, sums);
    pairs_after(out, n);
    pl_quantize_normed_finish(out, sums);
}

int pl_quantize_groups(pl_qvec *out, const float *x, int32_t g_begin, int32_t g_end)
{
    if (out->pairs && !q8_pairs_now(out)) return 0;
    quantize_groups(out, x, g_begin, g_end);
    return 1;
}

void pl_quantize_activations_max(pl_qvec *out, const float *x, int32_t n, float max_abs)
{
    out->n = n;
    out->group = n;
    quantize_group(out, x, 0, max_abs);
    pairs_after(out, n);
}

int pl_quantize_activations_max_part(pl_qvec *out, const float *x, float max_abs, int32_t begin,
                                     int32_t end)
{
    if (!q8_pairs_now(out) || out->group != out->n || begin % 4 != 0 || end % 4 != 0) return 0;
    out->scales[0] = max_abs / PL_ACT_MAX;
    if (begin < end)
        quantize_group4(x + begin, out->q + begin, out->pairs + begin, end - begin,
                        inverse_scale(max_abs));
    return 1;
}

void pl_quantize_activations(pl_qvec *out, const float *x, int32_t n, int32_t group)
{
    out->n = n;
    out->group = group;
    quantize_groups(out, x, 0, n / group);
    pairs_after(out, n);
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
