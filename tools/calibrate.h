/* calibrate.h - input statistics for calibrated quantization: runs the
 * float model over a few sampled stories and accumulates, for every matrix,
 * H = sum of x x^T over the inputs x it saw (matrices sharing an input
 * share one H). */
#ifndef PICOLLAMA_CALIBRATE_H
#define PICOLLAMA_CALIBRATE_H

#include <stdint.h>

#include "../engine/tokenizer.h"
#include "../engine/transformer.h"

typedef struct {
    int32_t cols;
    int64_t samples;
    double *h;              /* cols x cols, symmetric */
    const void *tensors[3]; /* data pointers of the matrices that share it */
    int32_t tensor_count;
} calib_input;

typedef struct {
    calib_input *inputs;
    int32_t count, capacity;
} calibration;

/* Runs `positions` positions (sampled stories from BOS, fixed seeds) through
 * t and collects H for every matrix. Returns 0 on out-of-memory. */
int calibrate(pl_transformer *t, int32_t positions, calibration *out);

/* H (and its sample count) for the matrix whose data is at `data`; NULL
 * when that matrix never ran. */
const calib_input *calibration_find(const calibration *c, const void *data);

void calibration_free(calibration *c);

#endif
