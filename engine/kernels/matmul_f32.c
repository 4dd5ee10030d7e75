/* matmul_f32.c - portable float32 matrix-vector kernel.
 *
 * On a PC: eight (then four, then one) rows at a time: independent sums
 * keep the FPU pipeline busy (a single running sum stalls on each add's
 * latency). On an Arm microcontroller, one row at a time: there the f32
 * weights stream from PSRAM or flash through the XIP cache, and reading
 * them in address order lets the QSPI interface chain line fills (about
 * half the cycles per line of scattered reads: docs/performance.md). Each
 * row's sum runs in llama2.c's order either way, so results are
 * bit-identical to run.c.
 */
#include "matmul.h"

void pl_matmul_f32(float *out, const float *x, const float *w, int32_t n, int32_t row_begin,
                   int32_t row_end)
{
    int32_t r = row_begin;
#if !defined(__ARM_ARCH)
    for (; r + 8 <= row_end; r += 8) {
        const float *w0 = w + (size_t)r * n;
        float s[8] = {0};
        for (int32_t j = 0; j < n; j++) {
            float xj = x[j];
            for (int k = 0; k < 8; k++) s[k] += w0[(size_t)k * n + j] * xj;
        }
        for (int k = 0; k < 8; k++) out[r + k] = s[k];
    }
    for (; r + 4 <= row_end; r += 4) {
        const float *w0 = w + (size_t)r * n;
        const float *w1 = w0 + n, *w2 = w1 + n, *w3 = w2 + n;
        float s0 = 0.0f, s1 = 0.0f, s2 = 0.0f, s3 = 0.0f;
        for (int32_t j = 0; j < n; j++) {
            float xj = x[j];
            s0 += w0[j] * xj;
            s1 += w1[j] * xj;
            s2 += w2[j] * xj;
            s3 += w3[j] * xj;
        }
        out[r] = s0;
        out[r + 1] = s1;
        out[r + 2] = s2;
        out[r + 3] = s3;
    }
#endif
    for (; r < row_end; r++) {
        const float *wr = w + (size_t)r * n;
        float s = 0.0f;
        for (int32_t j = 0; j < n; j++) s += wr[j] * x[j];
        out[r] = s;
    }
}
