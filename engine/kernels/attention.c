/* attention.c - portable attention kernels (attention.h). */
#include "attention.h"

#include "../plmath.h"
#include "dsp.h"

/* Four positions at a time: their independent sums overlap in the
 * pipeline, and each sum keeps run.c's order. */
void pl_attention_scores_f32(float *att, const float *q, const float *k, size_t stride,
                             int32_t head_size, int32_t n)
{
    float scale = pl_sqrtf((float)head_size);
    int32_t t = 0;
    for (; t + 4 <= n; t += 4, k += 4 * stride) {
        float s0 = 0.0f, s1 = 0.0f, s2 = 0.0f, s3 = 0.0f;
        for (int32_t i = 0; i < head_size; i++) {
            s0 += q[i] * k[i];
            s1 += q[i] * k[stride + i];
            s2 += q[i] * k[2 * stride + i];
            s3 += q[i] * k[3 * stride + i];
        }
        att[t] = s0 / scale;
        att[t + 1] = s1 / scale;
        att[t + 2] = s2 / scale;
        att[t + 3] = s3 / scale;
    }
    for (; t < n; t++, k += stride) {
        float score = 0.0f;
        for (int32_t i = 0; i < head_size; i++) score += q[i] * k[i];
        att[t] = score / scale;
    }
}

void pl_attention_mix_f32(float *xb, const float *att, const float *v, size_t stride,
                          int32_t head_size, int32_t n)
{
    for (int32_t t = 0; t < n; t++, v += stride) {
        float a = att[t];
        for (int32_t i = 0; i < head_size; i++) xb[i] += a * v[i];
    }
}

int32_t pl_attention_scores_int(int32_t *s, const int16_t *q, const int16_t *k, size_t stride,
                                int32_t shift, int32_t head_size, int32_t n)
{
#if PL_ARM_DSP
    int32_t best;
    if (pl_attention_scores_int_dsp(s, q, k, stride, shift, head_size, n, &best)) return best;
#endif
    return pl_attention_scores_int_portable(s, q, k, stride, shift, head_size, n);
}

int32_t pl_attention_scores_int_portable(int32_t *s, const int16_t *q, const int16_t *k,
                                         size_t stride, int32_t shift, int32_t head_size,
                                         int32_t n)
{
    int32_t best = INT32_MIN;
    for (int32_t t = 0; t < n; t++, k += stride) {
        int32_t sum = 0;
        for (int32_t i = 0; i < head_size; i++) sum += (int32_t)q[i] * (int32_t)k[i];
        s[t] = sum >> shift;
        best = s[t] > best ? s[t] : best;
    }
    return best;
}

void pl_attention_softmax_prepare(pl_attention_softmax *sm, float logit_step, int32_t best,
                                  int32_t value_max)
{
    /* table steps per score step: 64 / ln 2 = 64 log2(e) per natural-log unit */
    union { float f; uint32_t u; } f = {logit_step * 0x1.715476p+6f};
    int32_t biased = (int32_t)(f.u >> 23) & 0xff, e = biased - 127;
    sm->best = best;
    sm->value_max = value_max;
    sm->mul = 0;
    sm->shift = 0;
    if (!(f.f > 0.0f) || biased == 0 || e < -33) return; /* every index 0 (d * f < 1/2) */
    if (e > -2 || biased == 0xff) {                        /* beyond the range: half a step */
        sm->mul = 0x7fffffffu;
        return;
    }
    /* f = 1.m * 2^e = mul * 2^-(32 + shift) with mul = 1.m * 2^30 */
    sm->mul = (0x800000u | (f.u & 0x7fffffu)) << 7;
    sm->shift = -e - 2;
}

/* The shift that brings exponent e to exponent max: within [0, limit] (one
 * USAT on the M33; max >= e always, the clamp keeps any input defined). */
static inline int32_t shift_to(int32_t max, int32_t e, int32_t limit)
{
    int32_t d = max - e;
    return d < 0 ? 0 : (d > limit ? limit : d);
}

int32_t pl_attention_weights_int(int16_t *w, const int32_t *s, const pl_kv_exponents *e,
                                 const pl_attention_softmax *sm, int32_t n)
{
#if PL_ARM_DSP
    int32_t sum;
    if (pl_attention_weights_int_dsp(w, s, e, sm, n, &sum)) return sum;
#endif
    return pl_attention_weights_int_portable(w, s, e, sm, n);
}

int32_t pl_attention_weights_int_portable(int16_t *w, const int32_t *s,
                                          const pl_kv_exponents *e,
                                          const pl_attention_softmax *sm, int32_t n)
{
    uint32_t best = (uint32_t)sm->best, mul = sm->mul;
    int32_t shift = sm->shift, value_max = sm->value_max, sum = 0;
    for (int32_t t = 0; t < n; t++) {
        /* best >= s[t]: the difference fits in 32 bits unsigned; mul < 2^31
         * keeps the index below 2^31 */
        uint32_t d = best - (uint32_t)s[t];
        uint32_t index = (uint32_t)(((uint64_t)d * mul) >> 32) >> shift;
        int32_t x = pl_exp2_neg64[index < PL_EXP2_NEG64_SIZE - 1 ? index : PL_EXP2_NEG64_SIZE - 1];
        sum += x;
        w[t] = (int16_t)(x >> shift_to(value_max, e[t].value, 15));
    }
    return sum;
}

void pl_attention_mix_int(int32_t *acc, const int16_t *w, const int8_t *v, size_t pair_stride,
                          int32_t head_size, int32_t pairs)
{
#if PL_ARM_DSP
    if (pl_attention_mix_int_dsp(acc, w, v, pair_stride, head_size, pairs)) return;
#endif
    pl_attention_mix_int_portable(acc, w, v, pair_stride, head_size, pairs);
}

void pl_attention_mix_int_portable(int32_t *acc, const int16_t *w, const int8_t *v,
                                   size_t pair_stride, int32_t head_size, int32_t pairs)
{
    for (int32_t p = 0; p < pairs; p++, v += pair_stride) {
        int32_t w0 = w[2 * p], w1 = w[2 * p + 1];
        for (int32_t i = 0; i < head_size; i += 2) {
            const int8_t *word = v + 2 * i; /* dims i, i + 1 of both positions */
            acc[i] += w0 * word[0] + w1 * word[2];
            acc[i + 1] += w0 * word[1] + w1 * word[3];
        }
    }
}

int32_t pl_attention_latest_run(const pl_kv_exponents *e, int32_t n, int32_t value_max)
{
    if (n <= 0 || e[n - 1].value_max != value_max) return n;
    if (e[0].value_max == value_max) return 0; /* most of a context */
    int32_t lo = 1, hi = n - 1; /* value_max never falls along the positions: halving finds it */
    while (lo < hi) {
        int32_t mid = lo + (hi - lo) / 2;
        if (e[mid].value_max == value_max) hi = mid;
        else lo = mid + 1;
    }
    return lo;
}

/* The head through the kernels one by one: the portable ones, or the
 * dispatching ones (their DSP versions where those take the arguments).
 * Not inlined: one copy in the device's SRAM, not one per caller. */
static __attribute__((noinline)) void head_by_kernels(float *out, const pl_attention_head *h,
                                                      int portable)
{
    int32_t best = INT32_MIN, begin = 0;
    for (int32_t r = 0; r < h->n_runs; r++) {
        const int16_t *k = h->k + (size_t)begin * h->key_stride;
        int32_t end = h->runs[r].end, shift = h->runs[r].shift, b;
        b = portable ? pl_attention_scores_int_portable(h->s + begin, h->q, k, h->key_stride,
                                                          shift, h->head_size, end - begin)
                     : pl_attention_scores_int(h->s + begin, h->q, k, h->key_stride, shift,
                                               h->head_size, end - begin);
        best = b > best ? b : best;
        begin = end;
    }
    pl_attention_softmax sm;
    pl_attention_softmax_prepare(&sm, h->logit_step, best, h->value_max);
    int32_t sum = portable ? pl_attention_weights_int_portable(h->w, h->s, h->e, &sm, h->n)
                           : pl_attention_weights_int(h->w, h->s, h->e, &sm, h->n);
    h->w[h->n] = 0; /* the partner of an odd last position */
    int32_t pairs = (h->n + 1) / 2;
    if (portable)
        pl_attention_mix_int_portable(h->acc, h->w, h->v, h->pair_stride, h->head_size, pairs);
    else
        pl_attention_mix_int(h->acc, h->w, h->v, h->pair_stride, h->head_size, pairs);
    pl_attention_output(out, h->acc, h->head_size, h->value_unit, sum);
}

void pl_attention_head_int(float *out, const pl_attention_head *h)
{
#if PL_ARM_DSP
    if (pl_attention_head_int_dsp(out, h)) return;
#endif
    head_by_kernels(out, h, 0);
}

void pl_attention_head_int_portable(float *out, const pl_attention_head *h)
{
    head_by_kernels(out, h, 1);
}
