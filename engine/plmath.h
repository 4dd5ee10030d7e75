/* plmath.h - the few libm functions the engine needs, computed the same way
 * on every platform.
 *
 * Host (glibc) and device (newlib) libm give different last-bit results, and
 * one flipped bit in a softmax is enough to change a sampled story. So the
 * engine never calls libm: these functions follow the algorithms glibc 2.28+
 * uses on x86-64 (table-driven, evaluated in double precision), which makes
 * the host output byte-identical to llama2.c built against glibc, and the
 * device output identical to the host. tests/unit/test_plmath.c checks them
 * against the host libm bit for bit.
 */
#ifndef PICOLLAMA_PLMATH_H
#define PICOLLAMA_PLMATH_H

#include <stdint.h>

/* e^x, bit-identical to glibc expf for every float input. */
float pl_expf(float x);

/* pl_expf's single-precision path (what the M33 runs first): e^x for
 * |x| < 64 when its rounding is certain, else 0 (then pl_expf falls back
 * to the double-precision algorithm). Exposed for tests. */
int pl_expf_float_path(float x, float *out);

/* sin and cos of x, bit-identical to glibc sinf/cosf for every float input. */
void pl_sincosf(float x, float *sin_out, float *cos_out);

/* sin and cos of x for the fast precisions (RoPE angles): float arithmetic
 * only (no double: the M33's FPU is single precision), error within two
 * ulp of the true values for |x| <= 8192; beyond that pl_sincosf. */
void pl_sincosf_fast(float x, float *sin_out, float *cos_out);

/* x^y for x > 0 finite and y finite (all the engine needs: RoPE frequencies);
 * bit-identical to glibc powf on that domain. Returns NaN outside it. */
float pl_powf(float x, float y);

/* e^x for the fast precisions, relative error below 4e-7 (tested over the
 * whole float range), 0 below -87.34 (the normal range ends there) and inf
 * above 88.72: about twenty float operations, no table, no double, the
 * same on every platform (plain float arithmetic, -ffp-contract=off).
 * Inline, so that loops over arrays overlap its operations. */
static inline float pl_expf_fast_in_range(float x);

static inline float pl_expf_fast(float x)
{
    if (!(x > -87.33654f)) return x != x ? x : 0.0f;
    if (x > 88.72283f) return __builtin_inff();
    if (x >= -86.0f && x <= 88.0f) return pl_expf_fast_in_range(x);
    /* near the ends 2^n leaves the exponent field's range: two steps */
    float fn = ((x * 0x1.715476p+0f) + 0x1.8p23f) - 0x1.8p23f;
    float r = (x - fn * 0x1.62e400p-1f) - fn * 0x1.7f7d1cp-20f;
    int32_t n = (int32_t)fn;
    union { float f; uint32_t u; } h1 = {0}, h2 = {0};
    h1.u = (uint32_t)(127 + n / 2) << 23;
    h2.u = (uint32_t)(127 + n - n / 2) << 23;
    return (pl_expf_fast_in_range(r) * h1.f) * h2.f;
}

/* pl_expf_fast for -86 <= x <= 88 (the checks left to the caller). */
static inline float pl_expf_fast_in_range(float x)
{
    /* x = n ln2 + r, |r| <= ln2/2; ln2 in two parts, n ln2_hi exact */
    float t = x * 0x1.715476p+0f;
    float fn = (t + 0x1.8p23f) - 0x1.8p23f; /* t rounded to an integer */
    float r = (x - fn * 0x1.62e400p-1f) - fn * 0x1.7f7d1cp-20f;
    /* e^r by its Taylor series to r^6/6! (error < 3e-7 for |r| <= 0.35) */
    float p = 0x1.6c16c2p-10f;      /* 1/720 */
    p = p * r + 0x1.111112p-7f;     /* 1/120 */
    p = p * r + 0x1.555556p-5f;     /* 1/24 */
    p = p * r + 0x1.555556p-3f;     /* 1/6 */
    p = p * r + 0.5f;
    p = p * r + 1.0f;
    p = p * r + 1.0f;
    /* times 2^n, n in [-125, 127]: p is in [0.7, 1.42], so adding n to its
     * exponent field is exact and the result stays normal */
    union { float f; uint32_t u; } v = {p};
    v.u += (uint32_t)(int32_t)fn << 23;
    return v.f;
}

/* pl_expf_fast for x <= 0: x clamped at -86 (e^-86 = 4e-38, below anything
 * a sum of at least one 1.0 notices) with one VMAXNM instead of branches. */
static inline float pl_expf_fast_nonpositive(float x)
{
    return pl_expf_fast_in_range(__builtin_fmaxf(x, -86.0f));
}

/* In-place softmax of x[0..size), as llama2.c computes it (max-subtracted
 * exponentials, summed in order, then divided). The fast one uses
 * pl_expf_fast_in_range, two partial sums, and multiplies by the inverse
 * of the sum instead of dividing by it. */
void pl_softmax(float *x, int size);
void pl_softmax_fast(float *x, int size);

/* The largest of x[0..size), size >= 1 (a NaN is ignored unless all are). */
float pl_max(const float *x, int size);

/* 2^e as a float for -126 <= e <= 127 (exact: built from its bits). */
static inline float pl_pow2f(int32_t e)
{
    union { uint32_t u; float f; } v = {(uint32_t)(e + 127) << 23};
    return v.f;
}

/* Softmax weights from integer score differences (kernels/attention.h):
 * pl_exp2_neg64[i] = 2^15 * 2^(-(i + 0.5)/64) rounded, for i < 1023: one
 * 64th of an octave a step (the half step centres the error of an index
 * rounded down: within +-0.55 %), 15 bits; 0 at 1023, where every larger
 * index saturates (2^-16 is below a 15-bit weight's last bit). */
#define PL_EXP2_NEG64_SIZE 1024
extern const uint16_t pl_exp2_neg64[PL_EXP2_NEG64_SIZE];

/* IEEE square root (exact on every platform; one VSQRT.F32 on the M33). */
static inline float pl_sqrtf(float x) { return __builtin_sqrtf(x); }

/* RMSNorm's factor from the sum of squares of n values: run.c's
 * 1 / sqrt(ss / n + 1e-5), its operations in its order. */
static inline float pl_rms_factor(float ss, int32_t n)
{
    ss /= n;
    ss += 1e-5f;
    return 1.0f / pl_sqrtf(ss);
}

#endif
