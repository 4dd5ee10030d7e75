/* matmul_quant.c - portable int8 / 4-bit matrix-vector kernels: the
 * reference results the device's DSP kernels must reproduce bit for bit.
 *
 * For each group of a row: an exact int32 dot product of the weights and
 * the 15-bit activations, then val += ((float)isum * w_scale) * x_scale, groups in
 * order (runq.c's formula and order). The int8 kernel starts from val =
 * -0.0f, not runq.c's 0.0f: -0.0f + p is p exactly (+0.0f + p differs
 * from p only when p is -0.0f), so the fast kernels store the first
 * group's product without an addition.
 */
#include "matmul.h"

#include "dsp.h"

void pl_matmul_q8(float *out, const pl_qvec *x, const int8_t *w, const float *scales,
                  int32_t cols, int32_t row_begin, int32_t row_end)
{
#if PL_ARM_DSP
    if (pl_matmul_q8_dsp(out, x, w, scales, cols, row_begin, row_end)) return;
#endif
    pl_matmul_q8_portable(out, x, w, scales, cols, row_begin, row_end);
}

void pl_matmul_q8_portable(float *out, const pl_qvec *x, const int8_t *w, const float *scales,
                           int32_t cols, int32_t row_begin, int32_t row_end)
{
    int32_t group = x->group, groups = cols / group;
    for (int32_t r = row_begin; r < row_end; r++) {
        const int8_t *wr = w + (size_t)r * cols;
        const float *sr = scales + (size_t)r * groups;
        float val = -0.0f;
        for (int32_t g = 0; g < groups; g++) {
            const int8_t *wg = wr + (size_t)g * group;
            const int16_t *xg = x->q + (size_t)g * group;
            int32_t isum = 0;
            for (int32_t k = 0; k < group; k++) isum += (int32_t)xg[k] * (int32_t)wg[k];
            val += ((float)isum * sr[g]) * x->scales[g];
        }
        out[r] = val;
    }
}

void pl_matmul_q4(float *out, const pl_qvec *x, const uint8_t *w, const uint16_t *scales,
                  int32_t cols, int32_t row_begin, int32_t row_end)
{
#if PL_ARM_DSP
    if (pl_matmul_q4_dsp(out, x, w, scales, cols, row_begin, row_end)) return;
#endif
    pl_matmul_q4_portable(out, x, w, scales, cols, row_begin, row_end);
}

void pl_matmul_q4_portable(float *out, const pl_qvec *x, const uint8_t *w,
                           const uint16_t *scales, int32_t cols, int32_t row_begin,
                           int32_t row_end)
{
    /* groups are even, so every group starts on a byte: low nibble first */
    int32_t group = x->group, groups = cols / group;
    for (int32_t r = row_begin; r < row_end; r++) {
        const uint8_t *wr = w + (size_t)r * cols / 2;
        const uint16_t *sr = scales + (size_t)r * groups;
        float val = 0.0f;
        for (int32_t g = 0; g < groups; g++) {
            const uint8_t *wg = wr + (size_t)g * group / 2;
            const int16_t *xg = x->q + (size_t)g * group;
            int32_t isum = 0;
            for (int32_t k = 0; k < group / 2; k++) {
                int32_t lo = (wg[k] & 15) - 8, hi = (wg[k] >> 4) - 8;
                isum += (int32_t)xg[2 * k] * lo + (int32_t)xg[2 * k + 1] * hi;
            }
            val += ((float)isum * pl_f16_to_f32(sr[g])) * x->scales[g];
        }
        out[r] = val;
    }
}

void pl_matmul_rows(float *out, const float *x, const pl_qvec *xq, const pl_tensor *w,
                    int32_t row_begin, int32_t row_end)
{
    switch (w->dtype) {
    case PL_DTYPE_F32:
        pl_matmul_f32(out, x, w->data, w->cols, row_begin, row_end);
        break;
    case PL_DTYPE_Q8:
        pl_matmul_q8(out, xq, w->data, w->scales, w->cols, row_begin, row_end);
        break;
    case PL_DTYPE_Q4:
        pl_matmul_q4(out, xq, w->data, w->scales, w->cols, row_begin, row_end);
        break;
    }
}

void pl_tensor_row(const pl_tensor *w, int32_t r, float *out)
{
    int32_t cols = w->cols, groups = cols / w->group;
    switch (w->dtype) {
    case PL_DTYPE_F32: {
        const float *row = (const float *)w->data + (size_t)r * cols;
        for (int32_t i = 0; i < cols; i++) out[i] = row[i];
        break;
    }
    case PL_DTYPE_Q8: { /* group by group: no division per value */
        const int8_t *row = (const int8_t *)w->data + (size_t)r * cols;
        const float *s = (const float *)w->scales + (size_t)r * groups;
        for (int32_t g = 0, i = 0; g < groups; g++)
            for (int32_t end = i + w->group; i < end; i++) out[i] = row[i] * s[g];
        break;
    }
    case PL_DTYPE_Q4: {
        const uint16_t *s = (const uint16_t *)w->scales + (size_t)r * groups;
        for (int32_t i = 0; i < cols; i++)
            out[i] = pl_q4_get(w->data, cols, r, i) * pl_f16_to_f32(s[i / w->group]);
        break;
    }
    }
}
