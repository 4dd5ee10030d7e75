/* test_plmath.c - the engine's expf/sincosf/powf against the host's glibc,
 * bit for bit: these results are what makes host text equal llama2.c's.
 *
 * glibc picks an FMA variant of expf/sinf/cosf on CPUs that have FMA; it
 * rounds differently from the plain variant (which the engine reproduces) on
 * a handful of inputs, listed below. Every other input must match exactly.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "plmath.h"

static uint32_t bits(float f) { uint32_t u; memcpy(&u, &f, 4); return u; }
static float from_bits(uint32_t u) { float f; memcpy(&f, &u, 4); return f; }

static int same_float(float a, float b) { return bits(a) == bits(b) || (isnan(a) && isnan(b)); }

/* Inputs where glibc's FMA variant differs by one ulp from its plain one. */
static const float fma_expf_inputs[] = {0x1.04845ep+5f, -0x1.f8cbb2p+5f};
static const float fma_sincos_inputs[] = {
    0x1.1475b6p+4f, 0x1.1475b8p+4f, 0x1.1475bap+4f, 0x1.1475bcp+4f, 0x1.78edb2p+4f,
    0x1.05d696p+5f, 0x1.ab6152p+5f, 0x1.d0f4aap+5f, 0x1.019c5p+6f,  0x1.0e1c8p+6f,
    0x1.46b80ep+6f, 0x1.46ba88p+6f, 0x1.52e6cp+6f,  0x1.8abf54p+6f, 0x1.9eb0a8p+6f,
    0x1.b1a47cp+6f, 0x1.d0f4aap+6f};

static int in_list(float x, const float *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (fabsf(x) == fabsf(list[i])) return 1;
    return 0;
}

/* Every float from 0 to +inf and from -0 to -inf, in steps of `stride`. */
static void check_expf_range(uint32_t first, uint32_t last, uint32_t stride)
{
    long mismatches = 0;
    for (uint64_t u = first; u <= last; u += stride) {
        float x = from_bits((uint32_t)u);
        float want = expf(x), got = pl_expf(x);
        if (same_float(want, got)) continue;
        if (in_list(x, fma_expf_inputs, 2) && fabsf(got - want) <= fabsf(want) * 0x1p-23f) continue;
        if (mismatches++ < 5) print_error("expf(%a): glibc %a, engine %a\n", x, want, got);
    }
    assert_int_equal(mismatches, 0);
}

static void expf_matches_glibc_on_every_float(void **state)
{
    (void)state;
    check_expf_range(0x00000000u, 0x7f800000u, 1); /* +0 .. +inf */
    check_expf_range(0x80000000u, 0xff800000u, 1); /* -0 .. -inf */
}

/* The device's single-precision path must agree wherever it answers (a
 * full sweep of every float was run when it was written: no difference). */
static void expf_float_path_matches_glibc(void **state)
{
    (void)state;
    long mismatches = 0, answered = 0, tried = 0;
    for (uint64_t u = 0; u <= 0xffffffffu; u += 61) {
        float x = from_bits((uint32_t)u), got;
        if (!(x > -64.0f && x < 64.0f)) continue;
        tried++;
        if (!pl_expf_float_path(x, &got)) continue;
        answered++;
        float want = expf(x);
        if (same_float(want, got)) continue;
        if (in_list(x, fma_expf_inputs, 2)) continue;
        if (mismatches++ < 5) print_error("float path expf(%a): glibc %a, engine %a\n", x, want, got);
    }
    assert_int_equal(mismatches, 0);
    /* it must answer nearly always, or the device is slow */
    assert_true(answered > tried * 98 / 100);
}

static void expf_special_values(void **state)
{
    (void)state;
    assert_true(pl_expf(-INFINITY) == 0.0f);
    assert_true(isinf(pl_expf(INFINITY)));
    assert_true(isnan(pl_expf(NAN)));
    assert_true(pl_expf(0.0f) == 1.0f);
    assert_true(isinf(pl_expf(89.0f)));
    assert_true(pl_expf(-104.0f) == 0.0f);
}

/* pl_expf_fast: relative error below 4e-7 on every 61st float of its
 * normal range (both signs, ~35 million values), exact 0 / inf / nan at
 * the ends. */
static void expf_fast_error_bound(void **state)
{
    (void)state;
    double worst = 0.0;
    float worst_x = 0.0f;
    for (int sign = 0; sign < 2; sign++) {
        for (uint64_t b = 0; b < 0x7f800000u; b += 61) {
            uint32_t u = (uint32_t)b | (sign ? 0x80000000u : 0);
            float x;
            memcpy(&x, &u, 4);
            if (x <= -87.33654f || x > 88.72283f) continue;
            double want = exp((double)x);
            double err = fabs((double)pl_expf_fast(x) - want) / want;
            if (err > worst) {
                worst = err;
                worst_x = x;
            }
        }
    }
    print_message("pl_expf_fast: worst relative error %.3g at %a\n", worst, worst_x);
    assert_true(worst < 4e-7);
    assert_true(pl_expf_fast(-87.34f) == 0.0f && pl_expf_fast(-1000.0f) == 0.0f);
    assert_true(isinf(pl_expf_fast(88.73f)));
    assert_true(isnan(pl_expf_fast(NAN)));
    assert_true(pl_expf_fast(0.0f) == 1.0f);
    /* the two-step scaling at both ends of the range stays accurate */
    assert_true(fabs(pl_expf_fast(-87.0f) / exp(-87.0) - 1.0) < 4e-7);
    assert_true(fabs(pl_expf_fast(88.7f) / exp((double)88.7f) - 1.0) < 4e-7);
}

static void check_sincos(float x, long *mismatches)
{
    float s, c;
    pl_sincosf(x, &s, &c);
    float ws = sinf(x), wc = cosf(x);
    if (same_float(ws, s) && same_float(wc, c)) return;
    if (in_list(x, fma_sincos_inputs, sizeof(fma_sincos_inputs) / sizeof(float))) return;
    if ((*mismatches)++ < 5)
        print_error("sincos(%a): glibc %a %a, engine %a %a\n", x, ws, wc, s, c);
}

static void sincosf_matches_glibc(void **state)
{
    (void)state;
    long mismatches = 0;
    /* a dense sweep of all magnitudes (every 7th float), both signs; the
     * full sweep was run once when writing this (see the FMA list) */
    for (uint64_t u = 0; u <= 0x7f800000u; u += 7) {
        check_sincos(from_bits((uint32_t)u), &mismatches);
        check_sincos(-from_bits((uint32_t)u), &mismatches);
    }
    assert_int_equal(mismatches, 0);
}

/* The exact angles RoPE uses: pos * freq for every head size up to 256 and
 * positions up to 4096 (also covers the powf frequencies). */
static void rope_angles_match_glibc(void **state)
{
    (void)state;
    long mismatches = 0;
    for (int head_size = 2; head_size <= 256; head_size += 2) {
        for (int head_dim = 0; head_dim < head_size; head_dim += 2) {
            float e = head_dim / (float)head_size;
            float want_pow = powf(10000.0f, e), got_pow = pl_powf(10000.0f, e);
            if (!same_float(want_pow, got_pow) && mismatches++ < 5)
                print_error("powf(10000, %a): glibc %a, engine %a\n", e, want_pow, got_pow);
            float freq = 1.0f / got_pow;
            for (int pos = 0; pos < 4096; pos++) check_sincos(pos * freq, &mismatches);
        }
    }
    assert_int_equal(mismatches, 0);
}

/* The fast precisions' RoPE sin/cos: float arithmetic within about two
 * float ulp (1.2e-7 absolute: |sin|, |cos| <= 1) of the exact values over
 * every angle a 4096-position context makes, and glibc's beyond 8192. */
static void sincosf_fast_is_accurate(void **state)
{
    (void)state;
    double worst = 0;
    for (uint32_t u = 0; u < 0x46000000u; u += 1013) { /* |x| < 8192 */
        float x, s, c;
        memcpy(&x, &u, 4);
        for (int sign = 0; sign < 2; sign++, x = -x) {
            pl_sincosf_fast(x, &s, &c);
            worst = fmax(worst, fabs(s - sin((double)x)));
            worst = fmax(worst, fabs(c - cos((double)x)));
        }
    }
    for (int pos = 0; pos < 4096; pos++) /* the angles themselves */
        for (int j = 0; j < 64; j++) {
            float x = pos * (1.0f / pl_powf(10000.0f, 2 * j / 128.0f)), s, c;
            pl_sincosf_fast(x, &s, &c);
            worst = fmax(worst, fabs(s - sin((double)x)));
            worst = fmax(worst, fabs(c - cos((double)x)));
        }
    if (worst > 1.2e-7) print_error("worst error %g\n", worst);
    assert_true(worst <= 1.2e-7);
    float s, c, gs, gc;
    pl_sincosf_fast(1e6f, &s, &c);
    pl_sincosf(1e6f, &gs, &gc);
    assert_true(s == gs && c == gc);
}

static void powf_matches_glibc_on_positive_bases(void **state)
{
    (void)state;
    long mismatches = 0;
    for (uint32_t xb = 0x00800000u; xb < 0x7f800000u; xb += 4099) {
        float x = from_bits(xb);
        for (float y = -40.0f; y <= 40.0f; y += 0.37f) {
            float want = powf(x, y), got = pl_powf(x, y);
            if (!same_float(want, got) && mismatches++ < 5)
                print_error("powf(%a, %a): glibc %a, engine %a\n", x, y, want, got);
        }
    }
    assert_int_equal(mismatches, 0);
    assert_true(isnan(pl_powf(-2.0f, 2.0f))); /* outside the supported domain */
    assert_true(isnan(pl_powf(0.0f, 2.0f)));
    assert_true(pl_powf(3.0f, 0.0f) == 1.0f);
}

static void softmax_sums_to_one_and_orders(void **state)
{
    (void)state;
    float x[5] = {1.0f, 2.0f, 3.0f, 4.0f, 20.0f};
    pl_softmax(x, 5);
    assert_true(x[4] > 0.999f);
    assert_true(x[0] < x[1] && x[1] < x[2] && x[2] < x[3]);
    float y[3] = {0.5f, 0.5f, 0.5f};
    pl_softmax(y, 3);
    assert_true(fabsf(y[0] + y[1] + y[2] - 1.0f) < 1e-6f);
}

/* The fast softmax: within a few float steps of the exact one, including
 * odd sizes and logits so low that their exponential clamps at e^-86;
 * pl_max finds the largest at any position and ignores a NaN. */
static void softmax_fast_is_close_and_max_finds_the_largest(void **state)
{
    (void)state;
    for (int n = 1; n <= 9; n++) {
        float x[9], y[9];
        for (int i = 0; i < n; i++) x[i] = y[i] = sinf(i * 2.1f) * 6.0f - (i == 4 ? 500.0f : 0.0f);
        float want = x[0];
        for (int i = 1; i < n; i++) want = x[i] > want ? x[i] : want;
        assert_true(pl_max(x, n) == want);
        pl_softmax(x, n);
        pl_softmax_fast(y, n);
        float sum = 0.0f;
        for (int i = 0; i < n; i++) {
            assert_true(fabsf(x[i] - y[i]) <= 2e-6f * x[i] + 1e-37f);
            sum += y[i];
        }
        assert_true(fabsf(sum - 1.0f) < 1e-6f);
        if (n > 4) assert_true(y[4] < 1e-37f);
    }
    float z[4] = {1.0f, NAN, 3.0f, 2.0f};
    assert_true(pl_max(z, 4) == 3.0f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(expf_special_values),
        cmocka_unit_test(expf_float_path_matches_glibc),
        cmocka_unit_test(softmax_sums_to_one_and_orders),
        cmocka_unit_test(softmax_fast_is_close_and_max_finds_the_largest),
        cmocka_unit_test(expf_fast_error_bound),
        cmocka_unit_test(powf_matches_glibc_on_positive_bases),
        cmocka_unit_test(rope_angles_match_glibc),
        cmocka_unit_test(sincosf_fast_is_accurate),
        cmocka_unit_test(sincosf_matches_glibc),
        cmocka_unit_test(expf_matches_glibc_on_every_float),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
