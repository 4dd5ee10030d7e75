/* matmul.h - matrix-vector products, the engine's hot loop.
 *
 * Every kernel computes out[r] = sum_j W[r][j] * x[j] for a range of rows,
 * so callers (one core or two) can split a matrix by rows. Each row is summed
 * strictly from j = 0 upwards, as llama2.c does: that order is part of the
 * result, and a faster kernel must keep it (it may work on several rows at
 * once, never reorder one row's sum).
 */
#ifndef PICOLLAMA_MATMUL_H
#define PICOLLAMA_MATMUL_H

#include <stdint.h>

#include "../model.h"

/* out[r] for r in [row_begin, row_end) of a float matrix with n columns. */
void pl_matmul_f32(float *out, const float *x, const float *w, int32_t n, int32_t row_begin,
                   int32_t row_end);

/* Dispatches on w->dtype; x has w->cols entries and out w->rows. */
void pl_matmul_rows(float *out, const float *x, const pl_tensor *w, int32_t row_begin,
                    int32_t row_end);

static inline void pl_matmul(float *out, const float *x, const pl_tensor *w)
{
    pl_matmul_rows(out, x, w, 0, w->rows);
}

#endif
