/* quant.h - int8 and 4-bit quantization, as llama2.c's runq.c does it:
 * symmetric, one scale per group of consecutive values in a row.
 *
 * q8 weights: int8 in [-127, 127], float32 scales.
 * q4 weights: 4-bit in [-7, 7] stored as value + 8, two per byte (low nibble
 *             first), float16 scales (halves the scale overhead, which
 *             matters for stories15M in 8 MB of PSRAM).
 * Activations are quantized on the fly to 15-bit integers (|q| <= 16383)
 * with float32 scales, in the weight tensor's group size, so each group's
 * dot product is an exact int32 sum (127 x 16383 x 1024 < 2^31: groups up to
 * 1024 cannot overflow). 16-bit activations cost the M33's SMLAD nothing
 * over 8-bit ones and remove most of the quantization error int8
 * activations add. These functions are the reference the device kernels
 * must equal.
 */
#ifndef PICOLLAMA_QUANT_H
#define PICOLLAMA_QUANT_H

#include <stddef.h>
#include <stdint.h>

#define PL_Q8_MAX 127
#define PL_Q4_MAX 7
#define PL_ACT_MAX 16383
#define PL_MAX_GROUP 1024

/* How pl_qvec.pairs is arranged:
 *  Q8: x0 x2 x1 x3 per four - the even and the odd bytes of a word of int8
 *      weights (kernels/matmul_q8_dsp.c);
 *  Q4: x0 x4 x2 x6 x1 x5 x3 x7 per eight - nibbles 0 and 4, 2 and 6, 1 and
 *      5, 3 and 7 of a word of 4-bit weights (kernels/matmul_q4_dsp.c). */
typedef enum { PL_PAIRS_Q8 = 0, PL_PAIRS_Q4 = 1 } pl_pair_order;

/* An activation vector quantized in groups. */
typedef struct {
    int16_t *q;       /* n values */
    float *scales;    /* n / group values */
    int32_t n;
    int32_t group;
    /* NULL, or the same n values reordered for a SIMD kernel's SMLAD, as
     * order says (filled for groups of a multiple of four, resp. eight) */
    int16_t *pairs;
    pl_pair_order order;
} pl_qvec;

/* Rounds half away from zero (C's roundf), exactly, for |x| < 1e9; maps
 * nan to 0, and larger values to some integer of their sign at least 1e9
 * away from zero (every caller clamps far below that). One VCVTA on an
 * FPv5 FPU (the M33's), which rounds the same way and saturates at 2^31. */
static inline int32_t pl_round(float x)
{
#if defined(__ARM_FP) && __ARM_ARCH >= 8 && !defined(PL_NO_DSP)
    float rounded;
    __asm__("vcvta.s32.f32 %0, %1" : "=t"(rounded) : "t"(x));
    union { float f; int32_t i; } v = {rounded};
    return v.i;
#else
    /* out-of-range and nan inputs (garbage weights) must not reach the
     * undefined float-to-int conversion; callers clamp to +-127 anyway */
    if (!(x > -1e9f)) return x != x ? 0 : -1000000000;
    if (x > 1e9f) return 1000000000;
    int32_t t = (int32_t)x;    /* truncates toward zero */
    float frac = x - (float)t; /* exact for |x| < 2^23; 0 beyond */
    if (frac >= 0.5f) return t + 1;
    if (frac <= -0.5f) return t - 1;
    return t;
#endif
}

/* IEEE binary16 <-> binary32, round to nearest even; exact both ways for
 * the values that survive the narrowing. */
uint16_t pl_f32_to_f16(float f);
float pl_f16_to_f32(uint16_t h);

/* The largest |x[i]| (nan values ignored; 0 for n = 0). */
float pl_max_abs(const float *x, int32_t n);

/* Quantizes n activations in groups of `group` (which divides n); fills
 * out->pairs too when it is not NULL. */
void pl_quantize_activations(pl_qvec *out, const float *x, int32_t n, int32_t group);

/* pl_quantize_activations(out, x, n, n) - one group - with max_abs =
 * pl_max_abs(x, n) known (found by the parts that made x): the same bits. */
void pl_quantize_activations_max(pl_qvec *out, const float *x, int32_t n, float max_abs);

/* Values [begin, end) of pl_quantize_activations_max(out, x, n, max_abs)
 * (out->n, out->group = n, out->order set), with their pairs: the same
 * bits, so that parts of the one group can be quantized by different
 * cores. Returns 0 (and does nothing) when the pairs cannot be made piece
 * by piece: Q8 order, n and the bounds multiples of four, else not. */
int pl_quantize_activations_max_part(pl_qvec *out, const float *x, float max_abs, int32_t begin,
                                     int32_t end);

/* Quantizes groups [g_begin, g_end) of x (out->group long, out->n and
 * out->group already set), with their pairs when out->pairs is not NULL:
 * exactly what pl_quantize_activations makes of those groups, so parts of
 * a vector can be quantized by different cores. Returns 0 (and does
 * nothing) for pairs it cannot make group by group: Q8 order needs groups
 * of a multiple of four. */
int pl_quantize_groups(pl_qvec *out, const float *x, int32_t g_begin, int32_t g_end);

/* RMSNorm's output quantized, for the fast precisions: the codes of group
 * g are pl_quantize_groups' codes of v = weight x over the group, its
 * scale max |v| / PL_ACT_MAX times RMSNorm's factor 1 / sqrt(mean(x^2) +
 * 1e-5). The codes need only the group's own values, so they can be made
 * where those values are (the part of a matrix product that computed
 * them); only the factor needs all of x. Mathematically the quantized
 * RMSNorm; in floats not the same bits (the factor applied once to the
 * scale instead of to every value).
 *
 * pl_quantize_normed_groups: groups [g_begin, g_end) (out->n, out->group
 * set), v = weight x written to v over them, each group's sum of squares
 * of x into sums[g]; returns 0 (and does nothing) for pairs it cannot make
 * group by group, as pl_quantize_groups. pl_quantize_normed_finish: once
 * every group is done, multiplies the scales by the factor (the group sums
 * added in group order: the same bits however the groups were shared).
 * pl_quantize_normed: both for all n values, any pair order. */
int pl_quantize_normed_groups(pl_qvec *out, float *v, const float *x, const float *weight,
                              int32_t g_begin, int32_t g_end, float *sums);
void pl_quantize_normed_finish(pl_qvec *out, const float *sums);
void pl_quantize_normed(pl_qvec *out, float *v, const float *x, const float *weight, int32_t n,
                        int32_t group, float *sums);

/* Bytes of quantized data and scales for a rows x cols tensor. */
size_t pl_q8_data_bytes(int32_t rows, int32_t cols);
size_t pl_q4_data_bytes(int32_t rows, int32_t cols);
size_t pl_q8_scale_bytes(int32_t rows, int32_t cols, int32_t group);
size_t pl_q4_scale_bytes(int32_t rows, int32_t cols, int32_t group);

/* Quantizes a float matrix (rows x cols, groups of `group` along a row). */
void pl_quantize_q8(const float *w, int32_t rows, int32_t cols, int32_t group, int8_t *q,
                    float *scales);
void pl_quantize_q4(const float *w, int32_t rows, int32_t cols, int32_t group, uint8_t *q,
                    uint16_t *scales);

/* Value k of row r of a 4-bit matrix. */
static inline int32_t pl_q4_get(const uint8_t *q, int32_t cols, int32_t r, int32_t k)
{
    size_t i = (size_t)r * (size_t)cols + (size_t)k;
    uint8_t b = q[i / 2];
    return (int32_t)((i & 1) ? b >> 4 : b & 15) - 8;
}

#endif
