/* matmul.h - matrix-vector products, the engine's hot loop.
 *
 * Every kernel computes out[r] = sum_j W[r][j] * x[j] for a range of rows,
 * so callers (one core or two) can split a matrix by rows. The order of the
 * float operations is part of the result: a float row is summed strictly
 * from j = 0 upwards, as llama2.c does; a quantized row sums each group
 * exactly in int32 and adds the groups in order, as runq.c does. Faster
 * kernels (several rows at once, SIMD on the device) must keep that order.
 */
#ifndef PICOLLAMA_MATMUL_H
#define PICOLLAMA_MATMUL_H

#include <stdint.h>

#include "../model.h"
#include "../quant.h"

void pl_matmul_f32(float *out, const float *x, const float *w, int32_t cols, int32_t row_begin,
                   int32_t row_end);
void pl_matmul_q8(float *out, const pl_qvec *x, const int8_t *w, const float *scales,
                  int32_t cols, int32_t row_begin, int32_t row_end);
/* The portable int8 kernel, which pl_matmul_q8 is unless a SIMD version
 * takes over (the device's self-test compares the two). */
void pl_matmul_q8_portable(float *out, const pl_qvec *x, const int8_t *w, const float *scales,
                           int32_t cols, int32_t row_begin, int32_t row_end);
/* The Arm DSP version (matmul_q8_dsp.c): 0 when it cannot take these
 * arguments (no Q8-ordered x->pairs, unaligned rows or groups). */
int pl_matmul_q8_dsp(float *out, const pl_qvec *x, const int8_t *w, const float *scales,
                     int32_t cols, int32_t row_begin, int32_t row_end);
void pl_matmul_q4(float *out, const pl_qvec *x, const uint8_t *w, const uint16_t *scales,
                  int32_t cols, int32_t row_begin, int32_t row_end);
void pl_matmul_q4_portable(float *out, const pl_qvec *x, const uint8_t *w,
                           const uint16_t *scales, int32_t cols, int32_t row_begin,
                           int32_t row_end);
/* The Arm DSP version (matmul_q4_dsp.c): 0 when it cannot take these
 * arguments (no Q4-ordered pairs, a group not a multiple of 8, unaligned
 * rows). */
int pl_matmul_q4_dsp(float *out, const pl_qvec *x, const uint8_t *w, const uint16_t *scales,
                     int32_t cols, int32_t row_begin, int32_t row_end);

/* Dispatches on w->dtype. x is the float input (w->cols values); for a
 * quantized w, xq must hold x quantized with w->group. */
void pl_matmul_rows(float *out, const float *x, const pl_qvec *xq, const pl_tensor *w,
                    int32_t row_begin, int32_t row_end);

/* Row r of a matrix of any dtype, as floats (embedding lookup). */
void pl_tensor_row(const pl_tensor *w, int32_t r, float *out);

#endif
