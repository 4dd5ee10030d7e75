/* attention_dsp.c - the compact cache's attention kernels with the Arm DSP
 * extension (dsp.h): SMLAD multiplies two int16 pairs of query and key and
 * adds both products; SXTB16 and SMLABB/SMLATB weigh int8 values. Integer
 * sums are exact, so the results are the portable kernels' bit for bit.
 */
#include "dsp.h"

#if PL_ARM_DSP
#include "attention.h"
#include "../quant.h"

static inline uint32_t word(const int16_t *p) { return *(const uint32_t *)(const void *)p; }

int pl_attention_scores_int_dsp(float *att, const int16_t *q, const int16_t *k, size_t stride,
                                const float *key_scale, float q_factor, int32_t head_size,
                                int32_t n, float *best)
{
    float top = -__builtin_inff();
    if (head_size % 2 != 0 || stride % 2 != 0 || (((uintptr_t)q | (uintptr_t)k) & 3) != 0)
        return 0;
    if (head_size == 8) { /* stories260K: the query stays in four registers */
        int16x2_t q0 = (int16x2_t)word(q), q1 = (int16x2_t)word(q + 2);
        int16x2_t q2 = (int16x2_t)word(q + 4), q3 = (int16x2_t)word(q + 6);
        for (int32_t t = 0; t < n; t++, k += stride) {
            int32_t sum = __smlad(q0, (int16x2_t)word(k), 0);
            sum = __smlad(q1, (int16x2_t)word(k + 2), sum);
            sum = __smlad(q2, (int16x2_t)word(k + 4), sum);
            sum = __smlad(q3, (int16x2_t)word(k + 6), sum);
            float a = (float)sum * (key_scale[t] * q_factor);
            att[t] = a;
            top = __builtin_fmaxf(top, a);
        }
        *best = top;
        return 1;
    }
    for (int32_t t = 0; t < n; t++, k += stride) {
        int32_t sum = 0;
        for (int32_t i = 0; i < head_size; i += 2)
            sum = __smlad((int16x2_t)word(q + i), (int16x2_t)word(k + i), sum);
        float a = (float)sum * (key_scale[t] * q_factor);
        att[t] = a;
        top = __builtin_fmaxf(top, a);
    }
    *best = top;
    return 1;
}

int pl_attention_mix_int_dsp(int32_t *acc, const uint32_t *t, const float *p, float inv,
                             int32_t count, const int8_t *v, size_t stride, int32_t head_size)
{
    if (head_size != 8 || stride % 4 != 0 || ((uintptr_t)v & 3) != 0) return 0;
    int32_t a0 = acc[0], a1 = acc[1], a2 = acc[2], a3 = acc[3];
    int32_t a4 = acc[4], a5 = acc[5], a6 = acc[6], a7 = acc[7];
    for (int32_t j = 0; j < count; j++) {
        const uint32_t *row = (const uint32_t *)(const void *)(v + t[j] * stride);
        int16x2_t w = (int16x2_t)pl_round(p[j] * inv);
        uint32_t lo = row[0], hi = row[1];
        int16x2_t e = __sxtb16((int8x4_t)lo), o = __sxtb16((int8x4_t)((lo >> 8) | (lo << 24)));
        a0 = __smlabb(e, w, a0);
        a2 = __smlatb(e, w, a2);
        a1 = __smlabb(o, w, a1);
        a3 = __smlatb(o, w, a3);
        e = __sxtb16((int8x4_t)hi);
        o = __sxtb16((int8x4_t)((hi >> 8) | (hi << 24)));
        a4 = __smlabb(e, w, a4);
        a6 = __smlatb(e, w, a6);
        a5 = __smlabb(o, w, a5);
        a7 = __smlatb(o, w, a7);
    }
    acc[0] = a0;
    acc[1] = a1;
    acc[2] = a2;
    acc[3] = a3;
    acc[4] = a4;
    acc[5] = a5;
    acc[6] = a6;
    acc[7] = a7;
    return 1;
}
#endif
