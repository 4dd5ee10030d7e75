/* test_quant.c - quantization arithmetic: rounding, float16, activation
 * and weight quantization error bounds, and the quantized kernels against
 * plainly written formulas (bit-identical) and float math (close). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "kernels/matmul.h"
#include "quant.h"
#include "sigmoid_table.h"

static uint32_t bits(float f) { uint32_t u; memcpy(&u, &f, 4); return u; }
static float from_bits(uint32_t u) { float f; memcpy(&f, &u, 4); return f; }

static void round_matches_roundf(void **state)
{
    (void)state;
    const float special[] = {0.5f, -0.5f, 1.5f, -1.5f, 2.5f, 0.49999997f, -0.49999997f,
                             126.5f, -127.5f, 8388607.5f, 1e9f, -1e9f};
    for (size_t i = 0; i < sizeof(special) / sizeof(float); i++)
        assert_int_equal(pl_round(special[i]), (int32_t)roundf(special[i]));
    for (uint32_t u = 0; u < 0x4E000000u; u += 997) { /* |x| < 2^29 */
        float x = from_bits(u);
        assert_int_equal(pl_round(x), (int32_t)roundf(x));
        assert_int_equal(pl_round(-x), (int32_t)roundf(-x));
    }
    assert_int_equal(pl_round(NAN), 0);
    assert_int_equal(pl_round(INFINITY), 1000000000);
    assert_int_equal(pl_round(-INFINITY), -1000000000);
}

static void float16_matches_the_compiler(void **state)
{
    (void)state;
    for (uint32_t h = 0; h < 65536; h++) { /* every half converts exactly */
        _Float16 ref;
        uint16_t hb = (uint16_t)h;
        memcpy(&ref, &hb, 2);
        float want = (float)ref, got = pl_f16_to_f32(hb);
        if (isnan(want)) assert_true(isnan(got));
        else assert_int_equal(bits(got), bits(want));
    }
    for (uint64_t u = 0; u <= 0xFFFFFFFFu; u += 251) { /* rounding to nearest even */
        float f = from_bits((uint32_t)u);
        _Float16 ref = (_Float16)f;
        uint16_t want;
        memcpy(&want, &ref, 2);
        uint16_t got = pl_f32_to_f16(f);
        if (isnan(f)) assert_true((got & 0x7c00) == 0x7c00 && (got & 0x3ff));
        else if (got != want) fail_msg("f16(%a): got 0x%04x want 0x%04x", f, got, want);
    }
}

static void activations_quantize_within_half_a_step(void **state)
{
    (void)state;
    float x[64];
    int16_t q[64];
    float scales[4];
    pl_qvec v = {q, scales, 0, 0, NULL, PL_PAIRS_Q8};
    for (int i = 0; i < 64; i++) x[i] = sinf(i * 0.37f) * (i % 16 == 3 ? 50.0f : 1.0f);
    x[40] = x[41] = 0;
    for (int i = 48; i < 64; i++) x[i] = 0; /* an all-zero group */
    pl_quantize_activations(&v, x, 64, 16);
    assert_int_equal(v.group, 16);
    for (int i = 0; i < 64; i++) {
        float s = scales[i / 16];
        assert_true(abs(q[i]) <= PL_ACT_MAX);
        assert_true(fabsf(q[i] * s - x[i]) <= 0.5f * s * 1.0001f + 1e-12f);
    }
    assert_true(scales[3] == 0.0f);
    for (int i = 48; i < 64; i++) assert_int_equal(q[i], 0);
}

/* With pairs, groups of a multiple of four take a fused path and others a
 * reordering pass: both give the same codes as without pairs, the pairs
 * are the codes as x0 x2 x1 x3, and a group too small to invert (or not
 * finite) quantizes to zeros instead of overflowing. */
static void activation_pairs_match_the_codes(void **state)
{
    (void)state;
    static const int groups[] = {4, 8, 12, 6, 10, 16};
    for (size_t k = 0; k < sizeof(groups) / sizeof(groups[0]); k++) {
        int group = groups[k], n = group * 5;
        float x[96];
        int16_t q[96], q2[96], pairs[96];
        float scales[16], scales2[16];
        for (int i = 0; i < n; i++) x[i] = cosf(i * 1.3f + (float)k) * (i % 7 == 2 ? 9.0f : 0.5f);
        for (int i = group; i < 2 * group; i++) x[i] = 1e-35f; /* below 1e-30: zeros */
        x[2 * group] = INFINITY;                                /* inf scale: zeros */
        pl_qvec plain = {q, scales, 0, 0, NULL, PL_PAIRS_Q8};
        pl_qvec paired = {q2, scales2, 0, 0, pairs, PL_PAIRS_Q8};
        pl_quantize_activations(&plain, x, n, group);
        pl_quantize_activations(&paired, x, n, group);
        assert_memory_equal(q, q2, sizeof(int16_t) * (size_t)n);
        for (int i = 0; i + 4 <= n; i += 4) {
            assert_int_equal(pairs[i], q[i]);
            assert_int_equal(pairs[i + 1], q[i + 2]);
            assert_int_equal(pairs[i + 2], q[i + 1]);
            assert_int_equal(pairs[i + 3], q[i + 3]);
        }
        for (int i = n - n % 4; i < n; i++) assert_int_equal(pairs[i], q[i]);
        for (int i = group; i < 3 * group; i++) assert_int_equal(q[i], 0);
        for (int i = 0; i < n; i++) assert_true(abs(q[i]) <= PL_ACT_MAX);
        /* Q4 order: x0 x4 x2 x6 x1 x5 x3 x7 per eight, for groups of eight */
        pl_qvec q4 = {q2, scales2, 0, 0, pairs, PL_PAIRS_Q4};
        memset(pairs, 0, sizeof(pairs));
        pl_quantize_activations(&q4, x, n, group);
        assert_memory_equal(q, q2, sizeof(int16_t) * (size_t)n);
        static const int order[8] = {0, 4, 2, 6, 1, 5, 3, 7};
        for (int i = 0; group % 8 == 0 && i < n; i += 8)
            for (int j = 0; j < 8; j++) assert_int_equal(pairs[i + j], q[i + order[j]]);
    }
}

static float *random_matrix(int rows, int cols, unsigned seed)
{
    float *w = malloc(sizeof(float) * rows * cols);
    srand(seed);
    for (int i = 0; i < rows * cols; i++) w[i] = ((float)rand() / RAND_MAX - 0.5f) * 0.2f;
    return w;
}

static void weights_quantize_within_half_a_step(void **state)
{
    (void)state;
    int rows = 5, cols = 48, group = 24;
    float *w = random_matrix(rows, cols, 1);
    int8_t q8[5 * 48];
    float s8[10];
    uint8_t q4[5 * 48 / 2];
    uint16_t s4[10];
    pl_quantize_q8(w, rows, cols, group, q8, s8);
    pl_quantize_q4(w, rows, cols, group, q4, s4);
    for (int r = 0; r < rows; r++) {
        for (int k = 0; k < cols; k++) {
            float x = w[r * cols + k];
            float scale8 = s8[r * 2 + k / group], scale4 = pl_f16_to_f32(s4[r * 2 + k / group]);
            assert_true(fabsf(q8[r * cols + k] * scale8 - x) <= 0.5f * scale8 * 1.001f);
            int v4 = pl_q4_get(q4, cols, r, k);
            assert_true(v4 >= -7 && v4 <= 7);
            /* the f16 scale may round below max/7: then the largest clips */
            assert_true(fabsf(v4 * scale4 - x) <= 0.5f * scale4 * 1.01f + fabsf(x) * 2e-3f);
        }
    }
    free(w);
}

/* runq.c's formula written out plainly, from -0.0f (matmul_quant.c): must
 * equal the kernel bit for bit. */
static float plain_q8_row(const int8_t *w, const float *ws, const pl_qvec *x, int cols)
{
    float val = -0.0f;
    for (int g = 0; g < cols / x->group; g++) {
        int32_t isum = 0;
        for (int k = 0; k < x->group; k++) isum += w[g * x->group + k] * x->q[g * x->group + k];
        val += ((float)isum * ws[g]) * x->scales[g];
    }
    return val;
}

static void q8_kernel_is_the_formula_and_close_to_float(void **state)
{
    (void)state;
    int rows = 7, cols = 96, group = 32;
    float *w = random_matrix(rows, cols, 2), *x = random_matrix(1, cols, 3);
    int8_t q[7 * 96];
    float s[7 * 3], out[7];
    int16_t xq_q[96];
    float xq_s[3];
    pl_qvec xq = {xq_q, xq_s, 0, 0, NULL, PL_PAIRS_Q8};
    pl_quantize_q8(w, rows, cols, group, q, s);
    pl_quantize_activations(&xq, x, cols, group);
    pl_matmul_q8(out, &xq, q, s, cols, 0, rows);
    for (int r = 0; r < rows; r++) {
        assert_int_equal(bits(out[r]), bits(plain_q8_row(q + r * cols, s + r * 3, &xq, cols)));
        double exact = 0;
        for (int k = 0; k < cols; k++) exact += (double)w[r * cols + k] * x[k];
        assert_true(fabs(out[r] - exact) < 2e-3);
    }
    /* a row range computes only those rows */
    float partial[7] = {0};
    pl_matmul_q8(partial, &xq, q, s, cols, 2, 5);
    assert_true(partial[1] == 0 && partial[5] == 0);
    assert_int_equal(bits(partial[3]), bits(out[3]));
    free(w);
    free(x);
}

/* The first group's product stands as it is (the DSP kernels store it
 * without adding it to a zero): a row of one group whose product is -0.0f
 * (a zero sum times a negative scale) gives -0.0f, not 0 + -0.0f = +0.0f. */
static void q8_first_group_is_not_added_to_zero(void **state)
{
    (void)state;
    int8_t w[8] = {1, -1, 0, 0, 0, 0, 0, 0};
    int16_t x_q[8] = {5, 5, 0, 0, 0, 0, 0, 0}, pairs[8] = {5, 0, 5, 0, 0, 0, 0, 0}; /* Q8 order */
    float w_scale = -0.25f, x_scale = 1.0f, out = 1.0f;
    pl_qvec xq = {x_q, &x_scale, 8, 8, pairs, PL_PAIRS_Q8};
    pl_matmul_q8_portable(&out, &xq, w, &w_scale, 8, 0, 1);
    assert_int_equal(bits(out), bits(-0.0f));
    out = 1.0f;
    pl_matmul_q8(&out, &xq, w, &w_scale, 8, 0, 1);
    assert_int_equal(bits(out), bits(-0.0f));
}

static void q4_kernel_matches_dequantized_math(void **state)
{
    (void)state;
    int rows = 6, cols = 64, group = 32;
    float *w = random_matrix(rows, cols, 4), *x = random_matrix(1, cols, 5);
    uint8_t q[6 * 64 / 2];
    uint16_t s[6 * 2];
    float out[6];
    int16_t xq_q[64];
    float xq_s[2];
    pl_qvec xq = {xq_q, xq_s, 0, 0, NULL, PL_PAIRS_Q8};
    pl_quantize_q4(w, rows, cols, group, q, s);
    pl_quantize_activations(&xq, x, cols, group);
    pl_matmul_q4(out, &xq, q, s, cols, 0, rows);
    pl_tensor t = {PL_DTYPE_Q4, rows, cols, group, q, s};
    for (int r = 0; r < rows; r++) {
        float row[64];
        pl_tensor_row(&t, r, row);
        double deq = 0;
        for (int k = 0; k < cols; k++) deq += (double)row[k] * x[k];
        assert_true(fabs(out[r] - deq) < 1e-4);
    }
    free(w);
    free(x);
}

/* The fast SwiGLU's sigmoid table (transformer.c): each entry the nearest
 * float to 1 / (1 + e^-x) at x = k / 32, and linear interpolation between
 * entries within 1.2e-5 of the sigmoid over the whole range. */
static void sigmoid_table_is_the_sigmoid(void **state)
{
    (void)state;
    for (int k = 0; k < PL_SIGMOID_ENTRIES; k++) {
        double x = (double)k / PL_SIGMOID_STEPS_PER_UNIT, s = 1.0 / (1.0 + exp(-x));
        float entry = pl_sigmoid_table[k];
        /* the nearest float: within half an ulp of the exact value */
        double ulp = (double)nextafterf(entry, 2.0f) - (double)entry;
        assert_true(fabs((double)entry - s) <= 0.5 * ulp * 1.0001);
    }
    for (int j = 0; j < (PL_SIGMOID_ENTRIES - 1) * 16; j++) {
        double x = (double)j / (16 * PL_SIGMOID_STEPS_PER_UNIT);
        int k = j / 16;
        double f = (double)(j % 16) / 16;
        double lerp = pl_sigmoid_table[k] + f * (pl_sigmoid_table[k + 1] - pl_sigmoid_table[k]);
        assert_true(fabs(lerp - 1.0 / (1.0 + exp(-x))) < 1.2e-5);
    }
}

/* One group with its maximum given (pl_quantize_activations_max, as for
 * w2's input whose maximum the parts find) is pl_quantize_activations of
 * that group: codes, pairs and scale, in both pair orders. */
static void activations_with_known_max_are_the_same(void **state)
{
    (void)state;
    enum { N = 172 };
    float x[N];
    int16_t q[N], q2[N], pairs[N], pairs2[N];
    float scale, scale2;
    for (int i = 0; i < N; i++) x[i] = sinf(i * 0.71f) * (i == 99 ? -30.0f : 2.0f);
    for (int order = 0; order < 2; order++) {
        int n = order ? 168 : N; /* Q4 pairs: groups of a multiple of 8 */
        pl_qvec a = {q, &scale, 0, 0, pairs, (pl_pair_order)order};
        pl_qvec b = {q2, &scale2, 0, 0, pairs2, (pl_pair_order)order};
        pl_quantize_activations(&a, x, n, n);
        pl_quantize_activations_max(&b, x, n, pl_max_abs(x, n));
        assert_int_equal(b.n, n);
        assert_int_equal(b.group, n);
        assert_memory_equal(q, q2, sizeof(int16_t) * (size_t)n);
        assert_memory_equal(pairs, pairs2, sizeof(int16_t) * (size_t)n);
        assert_true(scale == scale2);
    }
}

/* The one group in pieces (pl_quantize_activations_max_part, as the cores
 * quantize w2's input): pieces at multiples of four, in any order, make
 * the whole group's codes, pairs and scale; Q4 pairs or bounds that are
 * not multiples of four are refused with nothing written. */
static void one_group_in_pieces_is_the_whole(void **state)
{
    (void)state;
    enum { N = 172 };
    float x[N], scale, scale2 = -1.0f;
    int16_t q[N], q2[N], pairs[N], pairs2[N];
    for (int i = 0; i < N; i++) x[i] = sinf(i * 0.37f) * (i == 17 ? 9.0f : 1.5f);
    float max_abs = pl_max_abs(x, N);
    pl_qvec whole = {q, &scale, 0, 0, pairs, PL_PAIRS_Q8};
    pl_quantize_activations_max(&whole, x, N, max_abs);
    pl_qvec parts = {q2, &scale2, N, N, pairs2, PL_PAIRS_Q8};
    memset(q2, 0x55, sizeof(q2));
    const int32_t cuts[] = {88, 172, 0, 4, 4, 88}; /* [88, 172), [0, 4), [4, 88) */
    for (int c = 0; c < 6; c += 2)
        assert_int_equal(pl_quantize_activations_max_part(&parts, x, max_abs, cuts[c], cuts[c + 1]), 1);
    assert_memory_equal(q, q2, sizeof(q));
    assert_memory_equal(pairs, pairs2, sizeof(pairs));
    assert_true(scale == scale2);
    int16_t before[N];
    memcpy(before, q2, sizeof(before));
    scale2 = -1.0f;
    assert_int_equal(pl_quantize_activations_max_part(&parts, x, max_abs, 2, 8), 0);
    parts.order = PL_PAIRS_Q4;
    assert_int_equal(pl_quantize_activations_max_part(&parts, x, max_abs, 0, 8), 0);
    assert_memory_equal(before, q2, sizeof(before));
    assert_true(scale2 == -1.0f);
}

/* RMSNorm's output quantized (pl_quantize_normed): within half a step (a
 * few float roundings more) of the float RMSNorm weight * x / rms(x) in
 * every group, a zero group all zeros; and the same codes, pairs and
 * scales when its groups are made in any split and order
 * (pl_quantize_normed_groups, as the parts of a matmul do) and finished
 * once. */
static void normed_quantize_is_rmsnorm_in_any_split(void **state)
{
    (void)state;
    enum { N = 96, GROUP = 16, GROUPS = N / GROUP };
    float x[N], weight[N], v[N], v2[N], sums[GROUPS], sums2[GROUPS];
    int16_t q[N], q2[N], pairs[N], pairs2[N];
    float scales[GROUPS], scales2[GROUPS];
    for (int i = 0; i < N; i++) {
        x[i] = sinf(i * 0.61f) * (i % 13 == 5 ? 20.0f : 1.5f);
        weight[i] = 0.5f + cosf(i * 0.23f) * 0.4f;
    }
    for (int i = 2 * GROUP; i < 3 * GROUP; i++) x[i] = 0.0f; /* an all-zero group */
    pl_qvec whole = {q, scales, 0, 0, pairs, PL_PAIRS_Q8};
    pl_quantize_normed(&whole, v, x, weight, N, GROUP, sums);
    double ss = 0;
    for (int i = 0; i < N; i++) ss += (double)x[i] * x[i];
    double factor = 1.0 / sqrt(ss / N + 1e-5);
    for (int i = 0; i < N; i++) {
        double s = scales[i / GROUP], normed = weight[i] * x[i] * factor;
        assert_true(abs(q[i]) <= PL_ACT_MAX);
        assert_true(fabs(q[i] * s - normed) <= 0.5 * s * 1.001 + 1e-6 * fabs(normed));
    }
    for (int i = 2 * GROUP; i < 3 * GROUP; i++) assert_int_equal(q[i], 0);
    for (int i = 0; i < N; i += 4) {
        assert_int_equal(pairs[i + 1], q[i + 2]);
        assert_int_equal(pairs[i + 2], q[i + 1]);
    }
    static const int splits[] = {3, 1, 5, 2};
    for (size_t k = 0; k < sizeof(splits) / sizeof(splits[0]); k++) {
        pl_qvec parts = {q2, scales2, N, GROUP, pairs2, PL_PAIRS_Q8};
        memset(q2, 0x55, sizeof(q2));
        /* the later groups first, as a faster core may */
        assert_int_equal(pl_quantize_normed_groups(&parts, v2, x, weight, splits[k], GROUPS, sums2),
                         1);
        assert_int_equal(pl_quantize_normed_groups(&parts, v2, x, weight, 0, splits[k], sums2), 1);
        pl_quantize_normed_finish(&parts, sums2);
        assert_memory_equal(q, q2, sizeof(q));
        assert_memory_equal(pairs, pairs2, sizeof(pairs));
        assert_memory_equal(scales, scales2, sizeof(scales));
    }
    /* Q4 pairs cannot be made group by group: refused, nothing written */
    pl_qvec q4 = {q2, scales2, N, GROUP, pairs2, PL_PAIRS_Q4};
    memset(q2, 0x55, sizeof(q2));
    assert_int_equal(pl_quantize_normed_groups(&q4, v2, x, weight, 0, GROUPS, sums2), 0);
    assert_int_equal(q2[0], 0x5555);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(round_matches_roundf),
        cmocka_unit_test(float16_matches_the_compiler),
        cmocka_unit_test(activations_quantize_within_half_a_step),
        cmocka_unit_test(activation_pairs_match_the_codes),
        cmocka_unit_test(weights_quantize_within_half_a_step),
        cmocka_unit_test(q8_kernel_is_the_formula_and_close_to_float),
        cmocka_unit_test(q8_first_group_is_not_added_to_zero),
        cmocka_unit_test(q4_kernel_matches_dequantized_math),
        cmocka_unit_test(sigmoid_table_is_the_sigmoid),
        cmocka_unit_test(activations_with_known_max_are_the_same),
        cmocka_unit_test(one_group_in_pieces_is_the_whole),
        cmocka_unit_test(normed_quantize_is_rmsnorm_in_any_split),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
