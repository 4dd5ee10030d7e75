/* gptq.h - calibrated weight quantization (GPTQ: Frantar et al., 2022).
 *
 * Quantizes a row's weights one column at a time and pushes each rounding
 * error onto the columns not yet quantized, weighted by the inverse of the
 * input statistics H = sum x x^T, so that W x (not W itself) stays as close
 * as possible to the float result on the inputs the model really sees.
 * The output format is the ordinary q8/q4 one: only the choice of integers
 * and scales changes, the engine does not know GPTQ was used.
 */
#ifndef PICOLLAMA_GPTQ_H
#define PICOLLAMA_GPTQ_H

#include <stdint.h>

#include "../engine/model.h"

/* w: rows x cols floats; h: cols x cols (sum of x x^T). Writes q8 data and
 * float scales, or q4 data and float16 scales, like pl_quantize_q8/_q4.
 * Returns 0 when H cannot be factorized even with strong damping. */
int gptq_quantize(pl_dtype dtype, const float *w, int32_t rows, int32_t cols, int32_t group,
                  const double *h, void *q, void *scales);

#endif
