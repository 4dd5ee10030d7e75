/* attention.c - portable attention kernels (attention.h). */
#include "attention.h"

#include "../plmath.h"
#include "../quant.h"
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

float pl_attention_scores_int(float *att, const int16_t *q, const int16_t *k, size_t stride,
                              const float *key_scale, float q_factor, int32_t head_size,
                              int32_t n)
{
#if PL_ARM_DSP
    float best;
    if (pl_attention_scores_int_dsp(att, q, k, stride, key_scale, q_factor, head_size, n, &best))
        return best;
#endif
    return pl_attention_scores_int_portable(att, q, k, stride, key_scale, q_factor, head_size, n);
}

float pl_attention_scores_int_portable(float *att, const int16_t *q, const int16_t *k,
                                       size_t stride, const float *key_scale, float q_factor,
                                       int32_t head_size, int32_t n)
{
    float best = -__builtin_inff();
    for (int32_t t = 0; t < n; t++, k += stride) {
        int32_t sum = 0;
        for (int32_t i = 0; i < head_size; i++) sum += (int32_t)q[i] * (int32_t)k[i];
        att[t] = (float)sum * (key_scale[t] * q_factor);
        best = __builtin_fmaxf(best, att[t]);
    }
    return best;
}

int32_t pl_attention_weights(const float *att, const float *value_scale, int32_t n, float best,
                             float threshold, float *p_out, uint32_t *t_out, float *sum,
                             float *pmax)
{
    /* first the positions that matter, scores moved down to p_out ... */
    int32_t m = 0;
    const float *a = att, *end = att + n;
    for (;;) {
        /* most positions fall below the threshold: a scan loop of their own */
        while (a < end && !(*a >= threshold)) a++;
        if (a == end) break;
        t_out[m] = (uint32_t)(a - att);
        p_out[m++] = *a++;
    }
    /* ... then their exponentials two at a time, so the FPU overlaps the
     * two polynomials instead of waiting on one chain */
    float s = *sum, pm = *pmax;
    int32_t j = 0;
    for (; j + 2 <= m; j += 2) {
        /* every load before the first store: p_out may alias the scales */
        float d0 = p_out[j] - best, d1 = p_out[j + 1] - best;
        float v0 = value_scale[t_out[j]], v1 = value_scale[t_out[j + 1]];
        float e0 = pl_expf_fast_in_range(d0), e1 = pl_expf_fast_in_range(d1);
        float p0 = e0 * v0, p1 = e1 * v1;
        p_out[j] = p0;
        p_out[j + 1] = p1;
        s += e0;
        s += e1;
        pm = p0 > pm ? p0 : pm;
        pm = p1 > pm ? p1 : pm;
    }
    if (j < m) {
        float e0 = pl_expf_fast_in_range(p_out[j] - best);
        float p0 = p_out[j] = e0 * value_scale[t_out[j]];
        s += e0;
        pm = p0 > pm ? p0 : pm;
    }
    *sum = s;
    *pmax = pm;
    return m;
}

void pl_attention_mix_int(int32_t *acc, const uint32_t *t, const float *p, float inv,
                          int32_t count, const int8_t *v, size_t stride, int32_t head_size)
{
#if PL_ARM_DSP
    if (pl_attention_mix_int_dsp(acc, t, p, inv, count, v, stride, head_size)) return;
#endif
    pl_attention_mix_int_portable(acc, t, p, inv, count, v, stride, head_size);
}

void pl_attention_mix_int_portable(int32_t *acc, const uint32_t *t, const float *p, float inv,
                                   int32_t count, const int8_t *v, size_t stride,
                                   int32_t head_size)
{
    for (int32_t j = 0; j < count; j++) {
        const int8_t *row = v + (size_t)t[j] * stride;
        int32_t w = pl_round(p[j] * inv);
        for (int32_t i = 0; i < head_size; i++) acc[i] += w * (int32_t)row[i];
    }
}
