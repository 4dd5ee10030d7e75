/* plmath.c - expf, sincosf and powf reproducing glibc's results bit for bit.
 *
 * The algorithms and constants are those published with ARM's optimized
 * routines and used by glibc since 2.28 (sysdeps/ieee754/flt-32): reduce the
 * argument with a small table, evaluate a short polynomial in double
 * precision, round once to float. Reproducing them exactly (same constants,
 * same operation order, -ffp-contract=off) is what makes our floats equal to
 * glibc's; a merely accurate implementation differs in ~1% of sin/cos results
 * and in thousands of expf results, enough to change llama2.c's text.
 */
#include "plmath.h"

#include <stdint.h>
#include <string.h>

static uint32_t float_bits(float f) { uint32_t u; memcpy(&u, &f, 4); return u; }
static float bits_float(uint32_t u) { float f; memcpy(&f, &u, 4); return f; }
static uint64_t double_bits(double d) { uint64_t u; memcpy(&u, &d, 8); return u; }
static double bits_double(uint64_t u) { double d; memcpy(&d, &u, 8); return d; }

/* Top 12 bits of a float's representation without the sign: cheap range tests. */
static uint32_t abs_top12(float x) { return (float_bits(x) >> 20) & 0x7ff; }

/* ---- 2^x core shared by expf and powf ---------------------------------- */

#define EXP2_TABLE_BITS 5
#define EXP2_N (1 << EXP2_TABLE_BITS)

/* 2^(i/32) as doubles, with i << 47 subtracted from the bit pattern so that
 * adding k << 47 later yields 2^(k/32) for any integer k. */
static const uint64_t exp2_table[EXP2_N] = {
    0x3ff0000000000000, 0x3fefd9b0d3158574, 0x3fefb5586cf9890f, 0x3fef9301d0125b51,
    0x3fef72b83c7d517b, 0x3fef54873168b9aa, 0x3fef387a6e756238, 0x3fef1e9df51fdee1,
    0x3fef06fe0a31b715, 0x3feef1a7373aa9cb, 0x3feedea64c123422, 0x3feece086061892d,
    0x3feebfdad5362a27, 0x3feeb42b569d4f82, 0x3feeab07dd485429, 0x3feea47eb03a5585,
    0x3feea09e667f3bcd, 0x3fee9f75e8ec5f74, 0x3feea11473eb0187, 0x3feea589994cce13,
    0x3feeace5422aa0db, 0x3feeb737b0cdc5e5, 0x3feec49182a3f090, 0x3feed503b23e255d,
    0x3feee89f995ad3ad, 0x3feeff76f2fb5e47, 0x3fef199bdd85529c, 0x3fef3720dcef9069,
    0x3fef5818dcfba487, 0x3fef7c97337b9b5f, 0x3fefa4afa2a490da, 0x3fefd0765b6e4540,
};

/* 2^(r/32) ~ 1 + C2 r + C1 r^2 + C0 r^3 for |r| <= 1/2 (scaled by 1/32). */
static const double exp2_poly[3] = {
    0x1.c6af84b912394p-5 / EXP2_N / EXP2_N / EXP2_N,
    0x1.ebfce50fac4f3p-3 / EXP2_N / EXP2_N,
    0x1.62e42ff0c52d6p-1 / EXP2_N,
};

/* Adding this constant rounds a double of magnitude < 2^51 to an integer and
 * leaves that integer in the low mantissa bits. */
static const double round_shift = 0x1.8p+52;

/* 2^(z/32) for z already scaled by 32, as float. */
static float exp2_scaled(double z)
{
    double kd = z + round_shift;
    uint64_t ki = double_bits(kd);
    kd -= round_shift;
    double r = z - kd;
    uint64_t t = exp2_table[ki % EXP2_N] + (ki << (52 - EXP2_TABLE_BITS));
    double s = bits_double(t);
    double p = exp2_poly[0] * r + exp2_poly[1];
    double r2 = r * r;
    double y = exp2_poly[2] * r + 1;
    y = p * r2 + y;
    return (float)(y * s);
}

/* ---- expf fast path: float-float arithmetic --------------------------------
 *
 * The double-precision algorithm above is cheap on a PC but costly on a
 * Cortex-M33, whose FPU is single precision (every double operation is a
 * library call). So expf first computes e^x as an unevaluated sum of two
 * floats (~45 bits, exact products through fmaf), and rounds that when the
 * result is clearly on one side of a rounding boundary: then glibc's own
 * double result (within 2^-33 of e^x) rounds to the same float. Only the
 * ~1% of inputs whose e^x lies within 2^-32 (relative) of a boundary take the
 * double path. tests/unit/test_plmath.c checks every float against glibc. */

typedef struct {
    float hi, lo;
} ff;

static ff two_sum(float a, float b)
{
    float s = a + b;
    float bb = s - a;
    return (ff){s, (a - (s - bb)) + (b - bb)};
}

static ff fast_two_sum(float a, float b) /* |a| >= |b| */
{
    float s = a + b;
    return (ff){s, b - (s - a)};
}

static ff two_prod(float a, float b)
{
    float p = a * b;
    return (ff){p, __builtin_fmaf(a, b, -p)};
}

static ff ff_add(ff a, ff b)
{
    ff s = two_sum(a.hi, b.hi);
    return fast_two_sum(s.hi, s.lo + (a.lo + b.lo));
}

static ff ff_mul(ff a, ff b)
{
    ff p = two_prod(a.hi, b.hi);
    return fast_two_sum(p.hi, p.lo + (a.hi * b.lo + a.lo * b.hi));
}

/* 2^(j/32) as hi + lo floats. */
static const ff exp2_table_ff[EXP2_N] = {
    {0x1.000000p+0f, 0x0p+0f},          {0x1.059b0ep+0f, -0x1.9d4f52p-25f},
    {0x1.0b5586p+0f, 0x1.9f3122p-25f},  {0x1.11301ep+0f, -0x1.fdb496p-25f},
    {0x1.172b84p+0f, -0x1.c15742p-27f}, {0x1.1d4874p+0f, -0x1.d2e8cap-25f},
    {0x1.2387a6p+0f, 0x1.ceac48p-25f},  {0x1.29e9e0p+0f, -0x1.5c0424p-25f},
    {0x1.306fe0p+0f, 0x1.4636e2p-25f},  {0x1.371a74p+0f, -0x1.18aac6p-25f},
    {0x1.3dea64p+0f, 0x1.824684p-25f},  {0x1.44e086p+0f, 0x1.8624b4p-30f},
    {0x1.4bfdaep+0f, -0x1.593abcp-25f}, {0x1.5342b6p+0f, -0x1.2c5610p-25f},
    {0x1.5ab07ep+0f, -0x1.5bd5ecp-27f}, {0x1.6247ecp+0f, -0x1.f8b550p-25f},
    {0x1.6a09e6p+0f, 0x1.9fcef4p-26f},  {0x1.71f75ep+0f, 0x1.1d8beep-25f},
    {0x1.7a1148p+0f, -0x1.829fd0p-25f}, {0x1.82589ap+0f, -0x1.accc7cp-26f},
    {0x1.8ace54p+0f, 0x1.15506ep-27f},  {0x1.93737cp+0f, -0x1.e64744p-25f},
    {0x1.9c4918p+0f, 0x1.51f848p-27f},  {0x1.a5503cp+0f, -0x1.b83b54p-25f},
    {0x1.ae89fap+0f, -0x1.a94b14p-26f}, {0x1.b7f770p+0f, -0x1.a09438p-25f},
    {0x1.c199bep+0f, -0x1.3d56b2p-27f}, {0x1.cb720ep+0f, -0x1.8837ccp-27f},
    {0x1.d5818ep+0f, -0x1.822dbcp-27f}, {0x1.dfc974p+0f, -0x1.908c94p-25f},
    {0x1.ea4afap+0f, 0x1.52486cp-27f},  {0x1.f50766p+0f, -0x1.246eb0p-26f},
};

/* ln2/32 split so that k * each of the first three parts is exact. */
static const float ln2_32_parts[4] = {0x1.62cp-6f, 0x1.214p-17f, 0x1.fbcp-28f, 0x1.473de6p-39f};

/* Half the gap between f > 0 and its neighbour above (up) or below. */
static float half_gap(float f, int up)
{
    uint32_t b = float_bits(f);
    return (up ? bits_float(b + 1) - f : f - bits_float(b - 1)) * 0.5f;
}

/* Targets without a double-precision FPU (the RP2350's M33) try the float
 * path first; elsewhere doubles are cheaper than the float-float steps
 * (fmaf is a library call on x86-64 without -mfma). Both give the same
 * floats. */
#if defined(__ARM_ARCH) && !(defined(__ARM_FP) && (__ARM_FP & 8))
#define PL_EXPF_FLOAT_FIRST 1
#else
#define PL_EXPF_FLOAT_FIRST 0
#endif

int pl_expf_float_path(float x, float *out)
{
    if (!(x > -64.0f && x < 64.0f)) return 0;
    float kf = x * 0x1.715476p+5f; /* 32 / ln2 */
    int32_t k = (int32_t)(kf + (kf >= 0 ? 0.5f : -0.5f));
    float fk = (float)k;
    /* r = x - k ln2/32: the first three steps are exact (Cody-Waite) */
    float r1 = x - fk * ln2_32_parts[0];
    ff r = two_sum(r1, -(fk * ln2_32_parts[1]));
    r = ff_add(r, (ff){-(fk * ln2_32_parts[2]), 0.0f});
    ff t4 = two_prod(fk, ln2_32_parts[3]);
    r = ff_add(r, (ff){-t4.hi, -t4.lo});
    /* e^r - 1 = r + r^2/2 + r^3/6 + r^4/24 + r^5/120, |r| < 0.011 */
    float rh = r.hi;
    float tail = rh * rh * rh * (0x1.555556p-3f + rh * (0x1.555556p-5f + rh * 0x1.111112p-7f));
    ff r2 = two_prod(rh, rh);
    r2.lo += 2.0f * rh * r.lo;
    ff e = ff_add(r, (ff){r2.hi * 0.5f, r2.lo * 0.5f});
    e = ff_add(e, (ff){tail, 0.0f});
    /* 2^(k/32) e^r = T + T (e^r - 1), then times 2^(k / 32 rounded down) */
    ff t = exp2_table_ff[k & (EXP2_N - 1)];
    ff v = ff_add(t, ff_mul(t, e));
    float scale = bits_float((uint32_t)(127 + (k >> 5)) << 23);
    ff s = fast_two_sum(v.hi * scale, v.lo * scale);
    float f = s.hi, d = s.lo;
    float margin = f * 0x1p-32f; /* covers our error and glibc's */
    if ((d < 0 ? -d : d) + margin >= half_gap(f, d >= 0)) return 0;
    *out = f;
    return 1;
}

float pl_expf(float x)
{
    float fast;
    if (PL_EXPF_FLOAT_FIRST && pl_expf_float_path(x, &fast)) return fast;
    uint32_t top = abs_top12(x);
    if (top >= abs_top12(88.0f)) {            /* |x| >= 88, inf or nan */
        if (float_bits(x) == float_bits(-__builtin_inff())) return 0.0f;
        if (top >= abs_top12(__builtin_inff())) return x + x;
        if (x > 0x1.62e42ep6f) return __builtin_inff();   /* overflows */
        if (x < -0x1.9fe368p6f) return 0.0f;              /* underflows */
    }
    const double inv_ln2_scaled = 0x1.71547652b82fep+0 * EXP2_N;
    return exp2_scaled(inv_ln2_scaled * (double)x);
}

/* ---- sin / cos ---------------------------------------------------------- */

/* Polynomials for sin and cos on [-pi/4, pi/4]; the second set is the first
 * with cos negated, used for quadrants 2 and 3. */
typedef struct {
    double sign[4];
    double inv_half_pi_2p24;   /* 2/pi * 2^24 */
    double half_pi;
    double c0, c1, c2, c3, c4; /* cos */
    double s1, s2, s3;         /* sin */
} sincos_poly;

static const sincos_poly sincos_tables[2] = {
    {{1.0, -1.0, -1.0, 1.0}, 0x1.45F306DC9C883p+23, 0x1.921FB54442D18p0,
     0x1p0, -0x1.ffffffd0c621cp-2, 0x1.55553e1068f19p-5, -0x1.6c087e89a359dp-10,
     0x1.99343027bf8c3p-16, -0x1.555545995a603p-3, 0x1.1107605230bc4p-7,
     -0x1.994eb3774cf24p-13},
    {{1.0, -1.0, -1.0, 1.0}, 0x1.45F306DC9C883p+23, 0x1.921FB54442D18p0,
     -0x1p0, 0x1.ffffffd0c621cp-2, -0x1.55553e1068f19p-5, 0x1.6c087e89a359dp-10,
     -0x1.99343027bf8c3p-16, -0x1.555545995a603p-3, 0x1.1107605230bc4p-7,
     -0x1.994eb3774cf24p-13},
};

/* Bits of 4/pi, for reducing large arguments exactly with integer math. */
static const uint32_t inv_pio4_bits[24] = {
    0xa2,       0xa2f9,     0xa2f983,   0xa2f9836e, 0xf9836e4e, 0x836e4e44,
    0x6e4e4415, 0x4e441529, 0x441529fc, 0x1529fc27, 0x29fc2757, 0xfc2757d1,
    0x2757d1f5, 0x57d1f534, 0xd1f534dd, 0xf534ddc0, 0x34ddc0db, 0xddc0db62,
    0xc0db6295, 0xdb629599, 0x6295993c, 0x95993c43, 0x993c4390, 0x3c439041,
};

/* Evaluates sin and cos of the reduced argument x (x2 = x*x); odd quadrant n
 * swaps the two outputs. */
static void sincos_poly_eval(double x, double x2, const sincos_poly *p, int n,
                             float *sin_out, float *cos_out)
{
    if (n & 1) { float *t = sin_out; sin_out = cos_out; cos_out = t; }
    double x4 = x2 * x2;
    double x3 = x2 * x;
    double c2 = p->c3 + x2 * p->c4;
    double s1 = p->s2 + x2 * p->s3;
    double c1 = p->c0 + x2 * p->c1;
    double x5 = x3 * x2;
    double x6 = x4 * x2;
    double s = x + x3 * p->s1;
    double c = c1 + x4 * p->c2;
    *sin_out = (float)(s + x5 * s1);
    *cos_out = (float)(c + x6 * c2);
}

/* x - n*pi/2 for |x| < 120, n the nearest quadrant. */
static double reduce_small(double x, const sincos_poly *p, int *n)
{
    double r = x * p->inv_half_pi_2p24;
    *n = ((int32_t)r + 0x800000) >> 24;
    return x - *n * p->half_pi;
}

/* The same for any finite |x| >= 120, multiplying the mantissa by 4/pi bits. */
static double reduce_large(uint32_t xi, int *n)
{
    const uint32_t *arr = &inv_pio4_bits[(xi >> 26) & 15];
    int shift = (xi >> 23) & 7;
    xi = (xi & 0xffffff) | 0x800000;
    xi <<= shift;
    uint64_t res0 = xi * arr[0];
    uint64_t res1 = (uint64_t)xi * arr[4];
    uint64_t res2 = (uint64_t)xi * arr[8];
    res0 = (res2 >> 32) | (res0 << 32);
    res0 += res1;
    uint64_t q = (res0 + (1ULL << 61)) >> 62;
    res0 -= q << 62;
    *n = (int)q;
    return (double)(int64_t)res0 * 0x1.921FB54442D18p-62;
}

void pl_sincosf(float y, float *sin_out, float *cos_out)
{
    double x = y;
    const sincos_poly *p = &sincos_tables[0];
    int n;
    if (abs_top12(y) < abs_top12(0x1.921FB6p-1f)) {         /* |y| < pi/4 */
        if (abs_top12(y) < abs_top12(0x1p-12f)) {
            *sin_out = y;
            *cos_out = 1.0f;
            return;
        }
        sincos_poly_eval(x, x * x, p, 0, sin_out, cos_out);
    } else if (abs_top12(y) < abs_top12(120.0f)) {
        x = reduce_small(x, p, &n);
        double s = p->sign[n & 3];
        if (n & 2) p = &sincos_tables[1];
        sincos_poly_eval(x * s, x * x, p, n, sin_out, cos_out);
    } else if (abs_top12(y) < abs_top12(__builtin_inff())) {
        uint32_t xi = float_bits(y);
        int sign = (int)(xi >> 31);
        x = reduce_large(xi, &n);
        double s = p->sign[(n + sign) & 3];
        if ((n + sign) & 2) p = &sincos_tables[1];
        sincos_poly_eval(x * s, x * x, p, n, sin_out, cos_out);
    } else {
        *sin_out = *cos_out = y - y;                          /* nan */
    }
}

/* ---- powf --------------------------------------------------------------- */

#define LOG2_TABLE_BITS 4
#define LOG2_N (1 << LOG2_TABLE_BITS)

/* log2(x) = k + log2(c) + log2(z/c), with c near z from this table. */
static const struct { double invc, logc; } log2_table[LOG2_N] = {
    {0x1.661ec79f8f3bep+0, -0x1.efec65b963019p-2},
    {0x1.571ed4aaf883dp+0, -0x1.b0b6832d4fca4p-2},
    {0x1.49539f0f010bp+0, -0x1.7418b0a1fb77bp-2},
    {0x1.3c995b0b80385p+0, -0x1.39de91a6dcf7bp-2},
    {0x1.30d190c8864a5p+0, -0x1.01d9bf3f2b631p-2},
    {0x1.25e227b0b8eap+0, -0x1.97c1d1b3b7afp-3},
    {0x1.1bb4a4a1a343fp+0, -0x1.2f9e393af3c9fp-3},
    {0x1.12358f08ae5bap+0, -0x1.960cbbf788d5cp-4},
    {0x1.0953f419900a7p+0, -0x1.a6f9db6475fcep-5},
    {0x1p+0, 0x0p+0},
    {0x1.e608cfd9a47acp-1, 0x1.338ca9f24f53dp-4},
    {0x1.ca4b31f026aap-1, 0x1.476a9543891bap-3},
    {0x1.b2036576afce6p-1, 0x1.e840b4ac4e4d2p-3},
    {0x1.9c2d163a1aa2dp-1, 0x1.40645f0c6651cp-2},
    {0x1.886e6037841edp-1, 0x1.88e9c2c1b9ff8p-2},
    {0x1.767dcf5534862p-1, 0x1.ce0a44eb17bccp-2},
};

static const double log2_poly[5] = {
    0x1.27616c9496e0bp-2, -0x1.71969a075c67ap-2, 0x1.ec70a6ca7baddp-2,
    -0x1.7154748bef6c8p-1, 0x1.71547652ab82bp0,
};

/* log2 of a positive normal float given by its bits. */
static double log2_of_bits(uint32_t ix)
{
    const uint32_t off = 0x3f330000;   /* z lands in [off, 2*off] */
    uint32_t tmp = ix - off;
    int i = (int)((tmp >> (23 - LOG2_TABLE_BITS)) % LOG2_N);
    uint32_t top = tmp & 0xff800000;
    uint32_t iz = ix - top;
    int k = (int32_t)top >> 23;
    double invc = log2_table[i].invc;
    double logc = log2_table[i].logc;
    double z = (double)bits_float(iz);
    double r = z * invc - 1;
    double y0 = logc + (double)k;
    double r2 = r * r;
    double y = log2_poly[0] * r + log2_poly[1];
    double p = log2_poly[2] * r + log2_poly[3];
    double r4 = r2 * r2;
    double q = log2_poly[4] * r + y0;
    q = p * r2 + q;
    return y * r4 + q;
}

float pl_powf(float x, float y)
{
    uint32_t ix = float_bits(x);
    uint32_t iy = float_bits(y);
    int x_ok = ix >= 0x00800000 && ix < 0x7f800000;   /* positive, normal, finite */
    int y_ok = (iy & 0x7fffffff) < 0x7f800000;
    if (!x_ok || !y_ok) return __builtin_nanf("");
    if ((iy & 0x7fffffff) == 0) return 1.0f;
    double ylogx = y * log2_of_bits(ix);
    if (((double_bits(ylogx) >> 47) & 0xffff) >= (double_bits(126.0) >> 47)) {
        if (ylogx > 0x1.fffffffd1d571p+6) return __builtin_inff();
        if (ylogx <= -150.0) return 0.0f;
    }
    return exp2_scaled(ylogx * EXP2_N);
}

/* ---- softmax ------------------------------------------------------------ */

void pl_softmax(float *x, int size)
{
    float max_val = x[0];
    for (int i = 1; i < size; i++)
        if (x[i] > max_val) max_val = x[i];
    float sum = 0.0f;
    for (int i = 0; i < size; i++) {
        x[i] = pl_expf(x[i] - max_val);
        sum += x[i];
    }
    for (int i = 0; i < size; i++) x[i] /= sum;
}

float pl_max(const float *x, int size)
{
    /* two running maxima: each VMAXNM waits for the one before it */
    float m0 = x[0], m1 = x[0];
    int i = 1;
    for (; i + 2 <= size; i += 2) {
        m0 = __builtin_fmaxf(m0, x[i]);
        m1 = __builtin_fmaxf(m1, x[i + 1]);
    }
    if (i < size) m0 = __builtin_fmaxf(m0, x[i]);
    return __builtin_fmaxf(m0, m1);
}

static inline float exp_nonpositive(float x) { return pl_expf_fast_nonpositive(x); }

void pl_softmax_fast(float *x, int size)
{
    float max_val = pl_max(x, size);
    /* two values per step, each with its own sum, so the FPU overlaps
     * their polynomials instead of waiting on one chain */
    float s0 = 0.0f, s1 = 0.0f;
    int i = 0;
    for (; i + 2 <= size; i += 2) {
        float e0 = exp_nonpositive(x[i] - max_val);
        float e1 = exp_nonpositive(x[i + 1] - max_val);
        x[i] = e0;
        x[i + 1] = e1;
        s0 += e0;
        s1 += e1;
    }
    if (i < size) s0 += (x[i] = exp_nonpositive(x[i] - max_val));
    float inv = 1.0f / (s0 + s1);
    for (i = 0; i < size; i++) x[i] *= inv;
}


/* ---- sincos in float (the fast precisions) ------------------------------ */

/* pi/2 in three parts: the first two with few enough significant bits that
 * their products with a quadrant count below 2^13 are exact. */
#define HALF_PI_1 0x1.92p+0f /* 8 significant bits */
#define HALF_PI_2 0x1.fbp-12f /* 8 significant bits */
#define HALF_PI_3 0x1.5110b4611a626p-22f

void pl_sincosf_fast(float x, float *sin_out, float *cos_out)
{
    if (!(__builtin_fabsf(x) <= 8192.0f)) {
        pl_sincosf(x, sin_out, cos_out);
        return;
    }
    /* x = k pi/2 + r, |r| <= pi/4 (plus a rounding's worth) */
    float k = (x * 0x1.45f306p-1f + 0x1.8p23f) - 0x1.8p23f;
    float r = ((x - k * HALF_PI_1) - k * HALF_PI_2) - k * HALF_PI_3;
    float r2 = r * r;
    /* Taylor series: the first omitted terms are below 2e-9 at pi/4 */
    float sp = 0x1.71de3ap-19f;             /* 1/9! */
    sp = sp * r2 - 0x1.a01a02p-13f;         /* 1/7! */
    sp = sp * r2 + 0x1.111112p-7f;          /* 1/5! */
    sp = sp * r2 - 0x1.555556p-3f;          /* 1/3! */
    float sn = r + (r * r2) * sp;
    float cp = 0x1.a01a02p-16f;             /* 1/8! */
    cp = cp * r2 - 0x1.6c16c2p-10f;         /* 1/6! */
    cp = cp * r2 + 0x1.555556p-5f;          /* 1/4! */
    cp = cp * r2 - 0.5f;
    float cs = 1.0f + r2 * cp;
    switch ((int32_t)k & 3) {
    case 0: *sin_out = sn; *cos_out = cs; break;
    case 1: *sin_out = cs; *cos_out = -sn; break;
    case 2: *sin_out = -sn; *cos_out = -cs; break;
    default: *sin_out = -cs; *cos_out = sn; break;
    }
}


/* ---- 2^(-i/64) in 15 bits (integer softmax weights) ---------------------- */

/* round(2^15 * 2^(-(i + 0.5)/64)) for i < 1023, and 0 at 1023 (the slot
 * every larger index saturates to); made by a script in double precision,
 * checked entry by entry by tests/unit/test_attention.c. */
const uint16_t pl_exp2_neg64[PL_EXP2_NEG64_SIZE] = {
    32591, 32240, 31893, 31549, 31209, 30873, 30541, 30212, 29886, 29564, 29246, 28931,
    28619, 28311, 28006, 27704, 27406, 27110, 26818, 26530, 26244, 25961, 25681, 25405,
    25131, 24860, 24593, 24328, 24066, 23806, 23550, 23296, 23045, 22797, 22552, 22309,
    22068, 21831, 21595, 21363, 21133, 20905, 20680, 20457, 20237, 20019, 19803, 19590,
    19379, 19170, 18963, 18759, 18557, 18357, 18160, 17964, 17770, 17579, 17390, 17202,
    17017, 16834, 16652, 16473, 16296, 16120, 15946, 15775, 15605, 15437, 15270, 15106,
    14943, 14782, 14623, 14465, 14310, 14155, 14003, 13852, 13703, 13555, 13409, 13265,
    13122, 12981, 12841, 12702, 12566, 12430, 12296, 12164, 12033, 11903, 11775, 11648,
    11523, 11399, 11276, 11154, 11034, 10915, 10798, 10681, 10566, 10453, 10340, 10229,
    10118, 10009, 9902, 9795, 9689, 9585, 9482, 9380, 9279, 9179, 9080, 8982,
    8885, 8789, 8695, 8601, 8508, 8417, 8326, 8236, 8148, 8060, 7973, 7887,
    7802, 7718, 7635, 7553, 7472, 7391, 7311, 7233, 7155, 7078, 7001, 6926,
    6851, 6778, 6705, 6632, 6561, 6490, 6420, 6351, 6283, 6215, 6148, 6082,
    6016, 5952, 5887, 5824, 5761, 5699, 5638, 5577, 5517, 5458, 5399, 5341,
    5283, 5226, 5170, 5114, 5059, 5005, 4951, 4897, 4845, 4792, 4741, 4690,
    4639, 4589, 4540, 4491, 4443, 4395, 4347, 4301, 4254, 4208, 4163, 4118,
    4074, 4030, 3987, 3944, 3901, 3859, 3818, 3776, 3736, 3696, 3656, 3616,
    3577, 3539, 3501, 3463, 3426, 3389, 3352, 3316, 3280, 3245, 3210, 3176,
    3141, 3108, 3074, 3041, 3008, 2976, 2944, 2912, 2881, 2850, 2819, 2789,
    2759, 2729, 2699, 2670, 2642, 2613, 2585, 2557, 2530, 2502, 2475, 2449,
    2422, 2396, 2370, 2345, 2320, 2295, 2270, 2245, 2221, 2197, 2174, 2150,
    2127, 2104, 2082, 2059, 2037, 2015, 1993, 1972, 1951, 1930, 1909, 1888,
    1868, 1848, 1828, 1808, 1789, 1769, 1750, 1732, 1713, 1694, 1676, 1658,
    1640, 1623, 1605, 1588, 1571, 1554, 1537, 1520, 1504, 1488, 1472, 1456,
    1440, 1425, 1409, 1394, 1379, 1364, 1350, 1335, 1321, 1307, 1292, 1279,
    1265, 1251, 1238, 1224, 1211, 1198, 1185, 1172, 1160, 1147, 1135, 1123,
    1111, 1099, 1087, 1075, 1064, 1052, 1041, 1030, 1018, 1007, 997, 986,
    975, 965, 954, 944, 934, 924, 914, 904, 894, 885, 875, 866,
    856, 847, 838, 829, 820, 811, 803, 794, 785, 777, 769, 760,
    752, 744, 736, 728, 720, 712, 705, 697, 690, 682, 675, 668,
    660, 653, 646, 639, 632, 626, 619, 612, 606, 599, 593, 586,
    580, 574, 567, 561, 555, 549, 543, 538, 532, 526, 520, 515,
    509, 504, 498, 493, 488, 482, 477, 472, 467, 462, 457, 452,
    447, 442, 438, 433, 428, 424, 419, 415, 410, 406, 401, 397,
    393, 388, 384, 380, 376, 372, 368, 364, 360, 356, 352, 349,
    345, 341, 337, 334, 330, 327, 323, 320, 316, 313, 309, 306,
    303, 300, 296, 293, 290, 287, 284, 281, 278, 275, 272, 269,
    266, 263, 260, 257, 255, 252, 249, 246, 244, 241, 239, 236,
    233, 231, 228, 226, 224, 221, 219, 216, 214, 212, 210, 207,
    205, 203, 201, 198, 196, 194, 192, 190, 188, 186, 184, 182,
    180, 178, 176, 174, 172, 171, 169, 167, 165, 163, 162, 160,
    158, 156, 155, 153, 151, 150, 148, 147, 145, 143, 142, 140,
    139, 137, 136, 134, 133, 132, 130, 129, 127, 126, 125, 123,
    122, 121, 119, 118, 117, 115, 114, 113, 112, 111, 109, 108,
    107, 106, 105, 104, 103, 101, 100, 99, 98, 97, 96, 95,
    94, 93, 92, 91, 90, 89, 88, 87, 86, 85, 84, 83,
    83, 82, 81, 80, 79, 78, 77, 77, 76, 75, 74, 73,
    72, 72, 71, 70, 69, 69, 68, 67, 66, 66, 65, 64,
    64, 63, 62, 62, 61, 60, 60, 59, 58, 58, 57, 57,
    56, 55, 55, 54, 54, 53, 52, 52, 51, 51, 50, 50,
    49, 49, 48, 48, 47, 46, 46, 46, 45, 45, 44, 44,
    43, 43, 42, 42, 41, 41, 40, 40, 40, 39, 39, 38,
    38, 37, 37, 37, 36, 36, 35, 35, 35, 34, 34, 34,
    33, 33, 33, 32, 32, 31, 31, 31, 30, 30, 30, 30,
    29, 29, 29, 28, 28, 28, 27, 27, 27, 26, 26, 26,
    26, 25, 25, 25, 25, 24, 24, 24, 24, 23, 23, 23,
    23, 22, 22, 22, 22, 21, 21, 21, 21, 20, 20, 20,
    20, 20, 19, 19, 19, 19, 19, 18, 18, 18, 18, 18,
    17, 17, 17, 17, 17, 16, 16, 16, 16, 16, 16, 15,
    15, 15, 15, 15, 15, 14, 14, 14, 14, 14, 14, 14,
    13, 13, 13, 13, 13, 13, 13, 12, 12, 12, 12, 12,
    12, 12, 11, 11, 11, 11, 11, 11, 11, 11, 11, 10,
    10, 10, 10, 10, 10, 10, 10, 10, 9, 9, 9, 9,
    9, 9, 9, 9, 9, 9, 8, 8, 8, 8, 8, 8,
    8, 8, 8, 8, 8, 8, 7, 7, 7, 7, 7, 7,
    7, 7, 7, 7, 7, 7, 7, 6, 6, 6, 6, 6,
    6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 5,
    5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5,
    5, 5, 5, 5, 5, 4, 4, 4, 4, 4, 4, 4,
    4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
    4, 4, 4, 4, 3, 3, 3, 3, 3, 3, 3, 3,
    3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
    3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 2,
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 0,
};
