/* test_sampler.c - llama2.c's generator and sampling rules. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "exp2_table.h"
#include "sampler.h"

/* xorshift64* as published (Vigna), written independently of the engine. */
static uint32_t reference_u32(uint64_t *s)
{
    uint64_t x = *s;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *s = x;
    return (uint32_t)((x * 2685821657736338717ull) >> 32);
}

static void rng_is_xorshift64star(void **state)
{
    (void)state;
    uint64_t a = 42, b = 42;
    for (int i = 0; i < 1000; i++) assert_int_equal(pl_random_u32(&a), reference_u32(&b));
    uint64_t s = 7;
    for (int i = 0; i < 1000; i++) {
        float f = pl_random_f32(&s);
        assert_true(f >= 0.0f && f < 1.0f);
    }
}

static void argmax_takes_the_first_maximum(void **state)
{
    (void)state;
    float p[5] = {0.1f, 0.3f, 0.3f, 0.2f, 0.1f};
    assert_int_equal(pl_sample_argmax(p, 5), 1);
}

static void multinomial_walks_the_cdf(void **state)
{
    (void)state;
    float p[4] = {0.25f, 0.25f, 0.25f, 0.25f};
    assert_int_equal(pl_sample_mult(p, 4, 0.0f), 0);
    assert_int_equal(pl_sample_mult(p, 4, 0.3f), 1);
    assert_int_equal(pl_sample_mult(p, 4, 0.99f), 3);
    float short_sum[2] = {0.1f, 0.1f}; /* rounding: falls back to the last */
    assert_int_equal(pl_sample_mult(short_sum, 2, 0.9f), 1);
}

static void topp_keeps_the_nucleus_in_order(void **state)
{
    (void)state;
    float p[6] = {0.05f, 0.4f, 0.05f, 0.3f, 0.1f, 0.1f};
    pl_prob_index buf[6];
    /* nucleus for 0.75: 0.4 (1), 0.3 (3), 0.1 (4, the lower index of the
     * two 0.1s); nothing outside it is ever drawn */
    assert_int_equal(pl_sample_topp(p, 6, 0.75f, buf, 0.0f), 1);
    for (float coin = 0.0f; coin < 1.0f; coin += 0.01f) {
        int32_t got = pl_sample_topp(p, 6, 0.75f, buf, coin);
        assert_true(got == 1 || got == 3 || got == 4);
    }
    /* coin scaled by the nucleus mass 0.8: 0.6 * 0.8 = 0.48 -> second */
    assert_int_equal(pl_sample_topp(p, 6, 0.75f, buf, 0.6f), 3);
    assert_int_equal(pl_sample_topp(p, 6, 0.75f, buf, 0.99f), 4);
}

static void topp_without_candidates_is_safe(void **state)
{
    (void)state;
    float p[4] = {0.25f, 0.25f, 0.25f, 0.25f};
    pl_prob_index buf[4];
    /* cutoff (1 - 1e-6) / 3 > 0.25: no candidate survives; run.c would read
     * before its array, we take the most likely token */
    assert_int_equal(pl_sample_topp(p, 4, 1e-6f, buf, 0.5f), 0);
    float one[1] = {1.0f};
    assert_int_equal(pl_sample_topp(one, 1, 0.9f, buf, 0.5f), 0);
}

static void sample_applies_temperature(void **state)
{
    (void)state;
    pl_sampler s;
    float logits[3] = {1.0f, 5.0f, 2.0f};
    pl_sampler_init(&s, 3, 0.0f, 0.9f, 1, NULL);
    assert_int_equal(pl_sample(&s, logits), 1);
    /* a very low temperature makes sampling effectively greedy */
    pl_prob_index buf[3];
    pl_sampler_init(&s, 3, 0.01f, 0.9f, 1234, buf);
    for (int i = 0; i < 20; i++) {
        float l[3] = {1.0f, 5.0f, 2.0f};
        assert_int_equal(pl_sample(&s, l), 1);
    }
}

/* 1e-45 (a denormal) or 1e-38 make logits / T overflow: softmax of
 * infinities is NaN, which sampled <unk> (id 0); it is greedy instead,
 * with the divide and with the fast path's one reciprocal, and draws no
 * random number (as temperature 0). */
static void overflowing_temperature_is_greedy(void **state)
{
    (void)state;
    const float temperatures[] = {1e-45f, 1e-38f, 1e-37f};
    for (int fast = 0; fast < 2; fast++) {
        for (int i = 0; i < 3; i++) {
            pl_sampler s;
            pl_prob_index buf[4];
            pl_sampler_init(&s, 4, temperatures[i], 0.9f, 99, buf);
            s.fast_math = fast;
            float logits[4] = {-80.0f, 30.0f, 50.0f, 40.0f};
            assert_int_equal(pl_sample(&s, logits), 2);
            assert_true(s.rng_state == 99);
        }
    }
    /* all-zero logits: 0 / T is fine, but 0 * (1/T = inf) is NaN */
    pl_sampler z;
    pl_prob_index zbuf[4];
    pl_sampler_init(&z, 4, 1e-45f, 0.9f, 99, zbuf);
    z.fast_math = 1;
    float zeros[4] = {0.0f, 0.0f, 0.0f, 0.0f};
    assert_int_equal(pl_sample(&z, zeros), 0);
    assert_true(z.rng_state == 99);
    /* the fast softmax's table scale -128 / (T ln 2) overflows before
     * logits / T do (T < 5.4e-37): greedy too, not a NaN exponent */
    for (int fast = 0; fast < 2; fast++) {
        pl_sampler t;
        pl_prob_index tbuf[4];
        pl_sampler_init(&t, 4, 1e-37f, 0.9f, 99, tbuf);
        t.fast_math = fast;
        float small[4] = {-1.0f, 0.5f, 1.0f, 0.25f};
        assert_int_equal(pl_sample(&t, small), 2);
        if (fast) assert_true(t.rng_state == 99);
    }
    /* small but harmless: sampled as before (one draw) */
    pl_sampler s;
    pl_prob_index buf[4];
    pl_sampler_init(&s, 4, 1e-30f, 0.9f, 99, buf);
    float logits[4] = {-80.0f, 30.0f, 50.0f, 40.0f};
    assert_int_equal(pl_sample(&s, logits), 2);
    assert_true(s.rng_state != 99);
}

/* Runs the parts of a task one after another, last part first: what a
 * device's cores may do in any interleaving. */
static void parts_backwards(void *ctx, pl_task_fn fn, void *arg, int32_t max_parts)
{
    (void)ctx;
    for (int32_t part = max_parts - 1; part >= 0; part--) fn(arg, part, max_parts);
}

/* The fast softmax gives the same bits and the same top-p candidates in
 * one part or in several (cores), sums to one, and its candidates are the
 * probabilities at or above top-p's cutoff, in index order. */
static void chunked_softmax_is_the_same_in_parts(void **state)
{
    (void)state;
    enum { N = 101 };
    float logits[N], one[N], many[N];
    uint64_t rng = 5;
    for (int i = 0; i < N; i++) logits[i] = (float)(pl_random_u32(&rng) % 2000) / 100.0f - 10.0f;
    pl_prob_index c1[N], c3[N];
    for (int parts = 2; parts <= 3; parts++) {
        pl_sampler s;
        pl_sampler_init(&s, N, 0.7f, 0.9f, 1, NULL);
        s.fast_math = 1;
        memcpy(one, logits, sizeof(one));
        int32_t n1 = pl_softmax_chunked(&s, one, c1);
        s.parallel = parts_backwards;
        s.parts = parts;
        memcpy(many, logits, sizeof(many));
        int32_t n3 = pl_softmax_chunked(&s, many, c3);
        assert_memory_equal(one, many, sizeof(one));
        assert_int_equal(n1, n3);
        assert_memory_equal(c1, c3, (size_t)n1 * sizeof(c1[0]));
    }
    double sum = 0;
    int32_t k = 0;
    float cutoff = (1.0f - 0.9f) / (N - 1);
    for (int i = 0; i < N; i++) {
        sum += one[i];
        if (one[i] >= cutoff) {
            assert_int_equal(c1[k].index, i);
            assert_true(c1[k++].prob == one[i]);
        }
    }
    assert_true(fabs(sum - 1.0) < 1e-5);
    pl_sampler s;
    pl_sampler_init(&s, N, 0.7f, 0.9f, 1, NULL);
    s.fast_math = 1;
    memcpy(one, logits, sizeof(one));
    assert_int_equal(pl_softmax_chunked(&s, one, c1), k);
}

/* Every entry of the sampler's table is 2^(-k/128) rounded to the nearest
 * float. */
static void exp2_table_is_exp2(void **state)
{
    (void)state;
    for (int k = 0; k < PL_EXP2_ENTRIES; k++) {
        double exact = exp2(-k / (double)PL_EXP2_STEPS_PER_OCTAVE);
        float entry = pl_exp2_table[k];
        assert_true(fabs(entry - exact) <= fabs(nextafterf(entry, 0.0f) - entry) / 2);
    }
}

/* The fast softmax (table exponentials) is the exact softmax of logits /
 * T within 5e-6 + 1.5e-7 (max - x) / T relative for every probability
 * down to 1e-30 (below: within 1e-30 absolute), on logits up to 40 apart
 * and temperatures from 0.1 to 2: the table's 3.7e-6, the sum's rounding,
 * and the float rounding of the exponent's argument that any float
 * softmax has (so within 8e-6 for every probability above e^-20 of the
 * largest). This is the sampling distribution's error: the eval is
 * teacher-forced on logits and does not see the sampler. */
static void chunked_softmax_is_the_exact_softmax(void **state)
{
    (void)state;
    enum { N = 512 };
    const float temperatures[] = {0.1f, 0.5f, 0.9f, 1.0f, 1.3f, 2.0f};
    uint64_t rng = 11;
    double worst = 0;
    for (int round = 0; round < 20; round++) {
        float logits[N], p[N];
        float spread = 1.0f + (float)(round * 2);
        for (int i = 0; i < N; i++)
            logits[i] = (float)(pl_random_u32(&rng) % 100000) / 100000.0f * spread - spread / 2;
        for (int ti = 0; ti < 6; ti++) {
            pl_sampler s;
            pl_sampler_init(&s, N, temperatures[ti], 0.9f, 1, NULL);
            s.fast_math = 1;
            memcpy(p, logits, sizeof(p));
            pl_softmax_chunked(&s, p, NULL);
            double max = logits[0], sum = 0, exact[N];
            for (int i = 1; i < N; i++) max = logits[i] > max ? logits[i] : max;
            for (int i = 0; i < N; i++) sum += exact[i] = exp((logits[i] - max) / temperatures[ti]);
            for (int i = 0; i < N; i++) {
                exact[i] /= sum;
                double err = fabs(p[i] - exact[i]);
                if (exact[i] >= 1e-30) {
                    err /= exact[i];
                    double bound = 5e-6 + 1.5e-7 * (max - logits[i]) / temperatures[ti];
                    worst = err / bound > worst ? err / bound : worst;
                    assert_true(err < bound);
                } else {
                    assert_true(err < 1e-30);
                }
            }
        }
    }
    print_message("worst error / bound %.3g\n", worst);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(rng_is_xorshift64star),
        cmocka_unit_test(argmax_takes_the_first_maximum),
        cmocka_unit_test(multinomial_walks_the_cdf),
        cmocka_unit_test(topp_keeps_the_nucleus_in_order),
        cmocka_unit_test(topp_without_candidates_is_safe),
        cmocka_unit_test(sample_applies_temperature),
        cmocka_unit_test(overflowing_temperature_is_greedy),
        cmocka_unit_test(chunked_softmax_is_the_same_in_parts),
        cmocka_unit_test(exp2_table_is_exp2),
        cmocka_unit_test(chunked_softmax_is_the_exact_softmax),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
