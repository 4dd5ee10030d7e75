/* test_attention.c - the compact KV cache's integer attention
 * (kernels/attention.h, kv_cache.h): the 2^(-i/64) table, the table index
 * taken from a score difference, softmax weights against the float
 * softmax, the weighted sum over values in pairs of positions against the
 * plain sum, and what the cache stores (exponents, keys at the running
 * maximum, the pair layout). The device's DSP versions are compared with
 * these portable ones at boot (firmware/app/selftest.c) and by the
 * board-equals-host tests.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "kernels/attention.h"
#include "kv_cache.h"
#include "plmath.h"

static uint64_t rng = 88172645463325252ull;

static uint32_t next_random(void)
{
    rng ^= rng << 13; /* xorshift64 */
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)(rng >> 32);
}

static int32_t random_in(int32_t lo, int32_t hi)
{
    return lo + (int32_t)(next_random() % (uint32_t)(hi - lo + 1));
}

static double random_unit(void) { return next_random() / 4294967296.0; }

/* Every entry is 2^15 * 2^(-(i + 0.5)/64) rounded; the last is 0. */
static void exp2_table_entries(void **state)
{
    (void)state;
    for (int i = 0; i < PL_EXP2_NEG64_SIZE - 1; i++)
        assert_int_equal(pl_exp2_neg64[i], (int)floor(32768.0 * exp2(-(i + 0.5) / 64.0) + 0.5));
    assert_int_equal(pl_exp2_neg64[PL_EXP2_NEG64_SIZE - 1], 0);
    assert_true(pl_exp2_neg64[0] <= 32767); /* an int16 for SMLAD */
}

/* The weight of a position d score steps below the best (value exponent
 * at the maximum: no shift). */
static int32_t weight_at(const pl_attention_softmax *sm, uint32_t d)
{
    int32_t s = (int32_t)((uint32_t)sm->best - d);
    int16_t w;
    pl_kv_exponents e = {0, 0, 0, 0};
    pl_attention_weights_int_portable(&w, &s, &e, sm, 1);
    return w;
}

/* The index is floor(d * logit_step * 64 / ln 2), the product computed from
 * the float step exactly (long double holds 64 bits of mantissa), saturated
 * at 1023. */
static void index_is_the_exact_product(void **state)
{
    (void)state;
    for (int i = 0; i < 2000; i++) {
        float step = (float)(ldexp(1.0 + random_unit(), -random_in(9, 42))); /* f < 1/2 */
        pl_attention_softmax sm;
        pl_attention_softmax_prepare(&sm, step, random_in(-100000, 100000), 0);
        float f = step * 0x1.715476p+6f; /* as the kernel takes it */
        assert_true(sm.mul < 0x80000000u && sm.shift >= 0 && sm.shift <= 31);
        for (int j = 0; j < 20; j++) {
            uint32_t d = next_random() >> random_in(0, 31);
            long double exact = floorl((long double)d * (long double)f);
            int index = exact > 1023 ? 1023 : (int)exact;
            assert_int_equal(weight_at(&sm, d), pl_exp2_neg64[index]);
        }
    }
}

/* Steps too small to move an index give every position the best's weight;
 * steps beyond the range count as half a table step; no step divides by
 * zero or shifts out of range. */
static void index_range_ends(void **state)
{
    (void)state;
    pl_attention_softmax sm;
    pl_attention_softmax_prepare(&sm, 0.0f, 5, 0);
    assert_int_equal(weight_at(&sm, 0xffffffffu), pl_exp2_neg64[0]);
    pl_attention_softmax_prepare(&sm, 1e-30f, 5, 0);
    assert_int_equal(weight_at(&sm, 0xffffffffu), pl_exp2_neg64[0]);
    pl_attention_softmax_prepare(&sm, 100.0f, 5, 0);
    assert_true(sm.mul < 0x80000000u && sm.shift == 0);
    assert_int_equal(weight_at(&sm, 2), pl_exp2_neg64[0]); /* 2 * ~0.5 rounds down to 0 */
    assert_int_equal(weight_at(&sm, 3), pl_exp2_neg64[1]);
    assert_int_equal(weight_at(&sm, 1u << 20), 0);
    pl_attention_softmax_prepare(&sm, NAN, 5, 0);
    assert_int_equal(weight_at(&sm, 1000), pl_exp2_neg64[0]);
}

/* The normalised weights are the softmax of the scores within the table's
 * steps (+-0.55 % each, 15 bits) - and a weight falls to 0 only past
 * 2^-15.9 of the best. */
static void weights_follow_the_softmax(void **state)
{
    (void)state;
    enum { N = 300 };
    int32_t s[N];
    int16_t w[N];
    pl_kv_exponents e[N];
    memset(e, 0, sizeof(e));
    for (int round = 0; round < 50; round++) {
        float step = (float)(1e-6 * (1.0 + 9.0 * random_unit())); /* natural-log units */
        int32_t best = INT32_MIN;
        for (int t = 0; t < N; t++) {
            s[t] = random_in(-(int32_t)(20.0 / step), (int32_t)(1.0 / step));
            best = s[t] > best ? s[t] : best;
        }
        pl_attention_softmax sm;
        pl_attention_softmax_prepare(&sm, step, best, 0);
        int32_t sum = pl_attention_weights_int_portable(w, s, e, &sm, N);
        double want_sum = 0, got_sum = 0;
        for (int t = 0; t < N; t++) want_sum += exp((double)(s[t] - best) * step);
        for (int t = 0; t < N; t++) got_sum += w[t];
        assert_int_equal((int32_t)got_sum, sum);
        for (int t = 0; t < N; t++) {
            double want = exp((double)(s[t] - best) * step) / want_sum, got = w[t] / got_sum;
            assert_true(fabs(got - want) <= 0.012 * want + 1.0 / got_sum);
            if (w[t] == 0) assert_true(exp((double)(s[t] - best) * step) < exp2(-15.5));
        }
    }
}

/* A position's weight is shifted down by its value exponent's distance to
 * the common one (at most 15), while the sum counts it unshifted. */
static void weights_shift_to_the_value_exponent(void **state)
{
    (void)state;
    int32_t s[4] = {0, 0, 0, 0};
    int16_t w[4];
    pl_kv_exponents e[4] = {{0, 7, 0, 0}, {0, 5, 0, 0}, {0, -30, 0, 0}, {0, 9, 0, 0}};
    pl_attention_softmax sm;
    pl_attention_softmax_prepare(&sm, 1e-3f, 0, 7);
    int32_t sum = pl_attention_weights_int_portable(w, s, e, &sm, 4);
    assert_int_equal(sum, 4 * pl_exp2_neg64[0]);
    assert_int_equal(w[0], pl_exp2_neg64[0]);
    assert_int_equal(w[1], pl_exp2_neg64[0] >> 2);
    assert_int_equal(w[2], 0);               /* 37 steps: shifted by 15 */
    assert_int_equal(w[3], pl_exp2_neg64[0]); /* above the maximum: no shift */
}

/* Scores are the dot products shifted down (rounding toward minus
 * infinity), and the best is their largest. */
static void scores_shift_and_best(void **state)
{
    (void)state;
    enum { HS = 8, N = 5 };
    int16_t q[HS], k[N * 2 * HS];
    for (int i = 0; i < HS; i++) q[i] = (int16_t)random_in(-16384, 16383);
    for (int i = 0; i < N * 2 * HS; i++) k[i] = (int16_t)random_in(-16383, 16383);
    int32_t s[N];
    for (int shift = 0; shift <= 31; shift += 3) {
        int32_t best = pl_attention_scores_int_portable(s, q, k + HS, 2 * HS, shift, HS, N);
        int32_t top = INT32_MIN;
        for (int t = 0; t < N; t++) {
            int64_t dot = 0;
            for (int i = 0; i < HS; i++) dot += (int64_t)q[i] * k[HS + t * 2 * HS + i];
            int64_t want = (int64_t)floorl((long double)dot / (long double)(1ull << shift));
            assert_int_equal(s[t], want);
            top = s[t] > top ? s[t] : top;
        }
        assert_int_equal(best, top);
    }
    assert_int_equal(pl_attention_scores_int_portable(s, q, k, HS, 0, HS, 0), INT32_MIN);
}

/* The weighted sum over values laid out in pairs of positions equals the
 * plain sum over positions, for stories260K's heads and stories15M's. */
static void mix_over_pairs(void **state)
{
    (void)state;
    static const int32_t heads[] = {8, 48};
    for (size_t hi = 0; hi < 2; hi++) {
        int32_t hs = heads[hi], kv_dim = 2 * hs, n = 37, pairs = (n + 1) / 2;
        int8_t *v = malloc((size_t)pairs * 2 * (size_t)kv_dim), plain[37][96];
        int16_t w[38];
        for (int t = 0; t < n; t++)
            for (int i = 0; i < kv_dim; i++) {
                plain[t][i] = (int8_t)random_in(-127, 127);
                v[(t / 2) * 2 * kv_dim + i / 2 * 4 + t % 2 * 2 + i % 2] = plain[t][i];
            }
        for (int i = 0; i < kv_dim; i++) v[(n / 2) * 2 * kv_dim + i / 2 * 4 + 2 + i % 2] = 99;
        for (int t = 0; t < n; t++) w[t] = (int16_t)random_in(0, 32767);
        w[n] = 0; /* the odd last position's partner */
        int32_t acc[48] = {0};
        acc[0] = 7; /* the sums add to what is there */
        pl_attention_mix_int_portable(acc, w, v + 2 * hs, 2 * (size_t)kv_dim, hs, pairs);
        for (int i = 0; i < hs; i++) {
            int64_t want = i == 0 ? 7 : 0;
            for (int t = 0; t < n; t++) want += (int64_t)w[t] * plain[t][hs + i];
            assert_int_equal(acc[i], want);
        }
        free(v);
    }
}

/* A head in one call (pl_attention_head_int_portable) is the kernels in
 * sequence: each run's scores at its own shift, the softmax weights from
 * the best of them all, the values weighed over the pairs (an odd last
 * position's partner weighed 0), the sums normalised, acc left zero. The
 * reference here sums positions plainly. */
static void head_in_one_call(void **state)
{
    (void)state;
    static const int32_t heads[] = {8, 48};
    enum { N = 37 };
    const float LOGIT_STEP = 2e-8f; /* about 2^-25.6 a score unit: the scores span a few nats */
    for (size_t hi = 0; hi < 2; hi++) {
        int32_t hs = heads[hi], kv_dim = 2 * hs;
        int16_t q[48], *k = malloc(sizeof(int16_t) * N * (size_t)kv_dim), w[N + 1];
        int8_t *v = malloc((size_t)(N + 1) / 2 * 2 * (size_t)kv_dim), plain[N][96];
        int32_t key_max = 16383 / (hs / 8); /* the dot product stays in int32 (kv_cache.h) */
        for (int i = 0; i < hs; i++) q[i] = (int16_t)random_in(-16384, 16383);
        for (int i = 0; i < N * kv_dim; i++) k[i] = (int16_t)random_in(-key_max, key_max);
        for (int t = 0; t < N; t++)
            for (int i = 0; i < kv_dim; i++) {
                plain[t][i] = (int8_t)random_in(-127, 127);
                v[(t / 2) * 2 * kv_dim + i / 2 * 4 + t % 2 * 2 + i % 2] = plain[t][i];
            }
        for (int i = 0; i < kv_dim; i++) v[(N / 2) * 2 * kv_dim + i / 2 * 4 + 2 + i % 2] = 99;
        pl_kv_exponents e[N];
        for (int t = 0; t < N; t++) { /* value_max rises to 2 at position 20 */
            int32_t max_t = t < 20 ? 1 : 2, value = max_t - random_in(0, 3);
            e[t] = (pl_kv_exponents){0, (int8_t)value, (int8_t)max_t,
                                     (int8_t)(max_t - value < 15 ? max_t - value : 15)};
        }
        const pl_key_run runs[3] = {{5, 2}, {19, 1}, {N, 0}};
        int32_t s[N], acc[48] = {0};
        pl_attention_head h = {q + 0, k + hs, (size_t)kv_dim, e, v + 2 * hs, 2 * (size_t)kv_dim,
                               runs, 3, hs, N, pl_attention_latest_run(e, N, 2), LOGIT_STEP, 2,
                               4.0f, s, w, acc};
        assert_int_equal(h.latest, 20);
        float out[48];
        pl_attention_head_int_portable(out, &h);

        int32_t want_s[N], best = INT32_MIN;
        for (int t = 0; t < N; t++) {
            int32_t shift = t < 5 ? 2 : (t < 19 ? 1 : 0);
            int64_t dot = 0;
            for (int i = 0; i < hs; i++) dot += (int64_t)q[i] * k[hs + t * kv_dim + i];
            want_s[t] = (int32_t)floorl((long double)dot / (long double)(1ull << shift));
            best = want_s[t] > best ? want_s[t] : best;
        }
        pl_attention_softmax sm;
        pl_attention_softmax_prepare(&sm, LOGIT_STEP, best, 2);
        int16_t want_w[N];
        int32_t sum = pl_attention_weights_int_portable(want_w, want_s, e, &sm, N);
        assert_memory_equal(s, want_s, sizeof(s));
        assert_memory_equal(w, want_w, sizeof(want_w));
        assert_int_equal(w[N], 0);
        int weighed = 0; /* the logit step spreads the weights: most of them count */
        for (int t = 0; t < N; t++) weighed += w[t] > 0;
        assert_true(weighed > N / 2);
        for (int i = 0; i < hs; i++) {
            int64_t dot = 0;
            for (int t = 0; t < N; t++) dot += (int64_t)want_w[t] * plain[t][hs + i];
            float want = (float)dot * (4.0f / (float)sum);
            assert_memory_equal(&out[i], &want, sizeof(float));
            assert_int_equal(acc[i], 0);
        }
        free(k);
        free(v);
    }
}

/* Stored keys and values: keys at the running maximum of their exponent
 * (never falling along the positions), values at their own exponent with
 * its running maximum and the distance to it beside it, each within half a
 * step of the float; two halves stored apart give the same bits as the
 * whole. */
static void kv_store_exponents_and_layout(void **state)
{
    (void)state;
    pl_config c = {32, 48, 1, 4, 2, 30, 12}; /* kv_dim 16, head_size 8 */
    size_t size = pl_kv_size(&c, PL_KV_COMPACT, c.seq_len);
    size_t rounded = (size + 15) / 16 * 16;
    void *mem = aligned_alloc(16, rounded), *mem2 = aligned_alloc(16, rounded);
    pl_kv_cache kv, kv2;
    pl_kv_init(&kv, &c, PL_KV_COMPACT, mem, c.seq_len, NULL);
    pl_kv_init(&kv2, &c, PL_KV_COMPACT, mem2, c.seq_len, NULL);
    static const float key_size[12] = {3, 1, 40, 2, 0.01f, 100, 5, 5, 0, 1000, 1, 1};
    static const float value_size[12] = {1, 8, 0.5f, 0, 3, 3, 60, 0.1f, 2, 1, 1, 9};
    int32_t key_run = -1000, value_run = -1000;
    for (int pos = 0; pos < c.seq_len; pos++) {
        float key[16], value[16];
        for (int i = 0; i < 16; i++) {
            key[i] = key_size[pos] * (float)(2 * random_unit() - 1);
            value[i] = value_size[pos] * (float)(2 * random_unit() - 1);
        }
        pl_kv_store_part(&kv, 0, pos, key, value, 0, 16);
        pl_kv_store_part(&kv2, 0, pos, key, value, 8, 16);
        pl_kv_store_part(&kv2, 0, pos, key, value, 0, 8);
        pl_kv_exponents e = pl_kv_exponents_of(&kv, 0, pos);
        float key_max = 0, value_max = 0;
        for (int i = 0; i < 16; i++) {
            key_max = fmaxf(key_max, fabsf(key[i]));
            value_max = fmaxf(value_max, fabsf(value[i]));
        }
        /* the value's own exponent: max |v| / 2^e in (63.5, 127] */
        if (value_max > 0)
            assert_true(value_max <= ldexpf(127, e.value) && value_max > ldexpf(63, e.value));
        value_run = e.value > value_run ? e.value : value_run;
        assert_int_equal(e.value_max, value_run);
        /* the weight's shift to it (kernels/attention.h), at most 15 */
        assert_int_equal(e.value_shift, value_run - e.value < 15 ? value_run - e.value : 15);
        /* the keys' running maximum */
        if (key_max > 0) {
            assert_true(key_max <= ldexpf((float)kv.key_max, e.key));
            int32_t own = e.key;
            while (key_max <= ldexpf((float)kv.key_max, own - 1)) own--;
            key_run = own > key_run ? own : key_run;
        }
        assert_int_equal(e.key, key_run);
        const int16_t *k = (const int16_t *)kv.seg[0].keys + (size_t)pos * 16;
        const int8_t *pair = (const int8_t *)kv.seg[0].values + (size_t)(pos / 2) * 32;
        for (int i = 0; i < 16; i++) {
            assert_true(fabsf(k[i] * ldexpf(1, e.key) - key[i]) <= ldexpf(0.5f, e.key));
            float got = pair[i / 2 * 4 + pos % 2 * 2 + i % 2] * ldexpf(1, e.value);
            assert_true(fabsf(got - value[i]) <= ldexpf(0.5f, e.value));
        }
    }
    assert_memory_equal(mem, mem2, size);
    free(mem);
    free(mem2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(exp2_table_entries),
        cmocka_unit_test(index_is_the_exact_product),
        cmocka_unit_test(index_range_ends),
        cmocka_unit_test(weights_follow_the_softmax),
        cmocka_unit_test(weights_shift_to_the_value_exponent),
        cmocka_unit_test(scores_shift_and_best),
        cmocka_unit_test(mix_over_pairs),
        cmocka_unit_test(head_in_one_call),
        cmocka_unit_test(kv_store_exponents_and_layout),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
