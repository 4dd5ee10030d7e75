/* matmul_q4_dsp.c - the 4-bit matrix-vector product with the Arm DSP
 * extension (dsp.h).
 *
 * A word of 4-bit weights holds eight nibbles, element 2i in the low half
 * of byte i, each the value + 8. Masking the word (shifted by 0, 8, 4, 12)
 * with 0x000F000F gives the pairs (e0, e4), (e2, e6), (e1, e5), (e3, e7)
 * as 16-bit lanes in one instruction each; SMLAD multiplies each with the
 * matching activation pair (qvec.pairs in Q4 order) and adds both
 * products: eight multiply-adds in nine instructions, two rows sharing the
 * activation loads. The nibbles are summed unsigned and 8 x (the group's
 * activation sum) taken off after: the group sums are the portable
 * kernel's exactly, and so is the float arithmetic after them.
 */
#include "dsp.h"

#if PL_ARM_DSP
#include "matmul.h"

#define MAX_GROUPS 96 /* per row; more falls back to the portable kernel */
#define NIBBLE_LANES 0x000F000Fu

/* The float value of an IEEE binary16 scale: one VCVTB (exact, as
 * pl_f16_to_f32). */
static inline float f16_to_f32(uint16_t h)
{
    float f;
    __asm__("vmov %0, %1\n\tvcvtb.f32.f16 %0, %0" : "=t"(f) : "r"((uint32_t)h));
    return f;
}

/* acc + the eight products of a word of nibbles with its activation pairs. */
static inline int32_t mac8(uint32_t w, const uint32_t *x, int32_t acc)
{
    uint32_t m = NIBBLE_LANES;
    acc = __smlad(w & m, x[0], acc);
    acc = __smlad((w >> 8) & m, x[1], acc);
    acc = __smlad((w >> 4) & m, x[2], acc);
    acc = __smlad((w >> 12) & m, x[3], acc);
    return acc;
}

int pl_matmul_q4_dsp(float *out, const pl_qvec *x, const uint8_t *w, const uint16_t *scales,
                     int32_t cols, int32_t row_begin, int32_t row_end)
{
    int32_t group = x->group, groups = cols / group, words = group / 8;
    if (!x->pairs || x->order != PL_PAIRS_Q4 || group % 8 || groups > MAX_GROUPS ||
        ((uintptr_t)w & 3) || ((uintptr_t)x->pairs & 3))
        return 0;
    int32_t offset[MAX_GROUPS]; /* 8 x each group's activation sum */
    for (int32_t g = 0; g < groups; g++) {
        int32_t sum = 0;
        for (int32_t k = 0; k < group; k++) sum += x->q[g * group + k];
        offset[g] = 8 * sum;
    }
    const uint32_t *xp = (const uint32_t *)(const void *)x->pairs;
    size_t row_words = (size_t)cols / 8; /* cols = groups x group: a multiple of 8 */
    int32_t r = row_begin;
    for (; r + 2 <= row_end; r += 2) {
        const uint32_t *w0 = (const uint32_t *)(const void *)w + (size_t)r * row_words;
        const uint32_t *w1 = w0 + row_words;
        const uint16_t *s0 = scales + (size_t)r * groups, *s1 = s0 + groups;
        float v0 = 0.0f, v1 = 0.0f;
        for (int32_t g = 0; g < groups; g++) {
            int32_t a0 = 0, a1 = 0;
            const uint32_t *xg = xp + (size_t)g * group / 2;
            for (int32_t k = 0; k < words; k++, xg += 4) {
                a0 = mac8(*w0++, xg, a0);
                a1 = mac8(*w1++, xg, a1);
            }
            v0 += ((float)(a0 - offset[g]) * f16_to_f32(s0[g])) * x->scales[g];
            v1 += ((float)(a1 - offset[g]) * f16_to_f32(s1[g])) * x->scales[g];
        }
        out[r] = v0;
        out[r + 1] = v1;
    }
    for (; r < row_end; r++) {
        const uint32_t *w0 = (const uint32_t *)(const void *)w + (size_t)r * row_words;
        const uint16_t *s0 = scales + (size_t)r * groups;
        float v0 = 0.0f;
        for (int32_t g = 0; g < groups; g++) {
            int32_t a0 = 0;
            const uint32_t *xg = xp + (size_t)g * group / 2;
            for (int32_t k = 0; k < words; k++, xg += 4) a0 = mac8(*w0++, xg, a0);
            v0 += ((float)(a0 - offset[g]) * f16_to_f32(s0[g])) * x->scales[g];
        }
        out[r] = v0;
    }
    return 1;
}
#endif
