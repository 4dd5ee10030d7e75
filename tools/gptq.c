/* gptq.c - GPTQ quantization (see gptq.h). */
#include "gptq.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../engine/quant.h"

/* In-place Cholesky factorization a = L L^T (lower triangle of a). */
static int cholesky(double *a, int32_t n)
{
    for (int32_t j = 0; j < n; j++) {
        double d = a[(size_t)j * n + j];
        for (int32_t k = 0; k < j; k++) d -= a[(size_t)j * n + k] * a[(size_t)j * n + k];
        if (!(d > 0)) return 0;
        d = sqrt(d);
        a[(size_t)j * n + j] = d;
        for (int32_t i = j + 1; i < n; i++) {
            double s = a[(size_t)i * n + j];
            for (int32_t k = 0; k < j; k++) s -= a[(size_t)i * n + k] * a[(size_t)j * n + k];
            a[(size_t)i * n + j] = s / d;
        }
        for (int32_t i = 0; i < j; i++) a[(size_t)i * n + j] = 0; /* clear the upper part */
    }
    return 1;
}

/* The upper triangular U with H^-1 = U^T U, from the lower Cholesky factor
 * L of H: H^-1 = L^-T L^-1, then factorize that. */
static int inverse_cholesky_upper(double *l, int32_t n, double *u)
{
    /* u <- L^-1 (lower triangular), by forward substitution per column */
    memset(u, 0, (size_t)n * n * sizeof(double));
    for (int32_t c = 0; c < n; c++) {
        u[(size_t)c * n + c] = 1.0 / l[(size_t)c * n + c];
        for (int32_t i = c + 1; i < n; i++) {
            double s = 0;
            for (int32_t k = c; k < i; k++) s += l[(size_t)i * n + k] * u[(size_t)k * n + c];
            u[(size_t)i * n + c] = -s / l[(size_t)i * n + i];
        }
    }
    /* l <- H^-1 = (L^-1)^T L^-1 */
    for (int32_t i = 0; i < n; i++)
        for (int32_t j = 0; j <= i; j++) {
            double s = 0;
            for (int32_t k = i; k < n; k++) s += u[(size_t)k * n + i] * u[(size_t)k * n + j];
            l[(size_t)i * n + j] = l[(size_t)j * n + i] = s;
        }
    if (!cholesky(l, n)) return 0;
    for (int32_t i = 0; i < n; i++) /* U = lower factor transposed */
        for (int32_t j = 0; j < n; j++) u[(size_t)i * n + j] = j >= i ? l[(size_t)j * n + i] : 0;
    return 1;
}

/* H + damping, with unused input columns neutralized; then U. */
static int prepare(const double *h, int32_t n, double damp, double *work, double *u)
{
    memcpy(work, h, (size_t)n * n * sizeof(double));
    double mean = 0;
    for (int32_t i = 0; i < n; i++) mean += h[(size_t)i * n + i];
    mean = mean > 0 ? mean / n : 1.0;
    for (int32_t i = 0; i < n; i++) {
        double *d = &work[(size_t)i * n + i];
        if (*d == 0) *d = mean; /* a column no input ever used */
        *d += damp * mean;
    }
    return cholesky(work, n) && inverse_cholesky_upper(work, n, u);
}

static double max_abs(const double *x, int32_t n)
{
    double m = 0;
    for (int32_t i = 0; i < n; i++) m = fmax(m, fabs(x[i]));
    return m;
}

/* The scale of a group starting at w, as stored (float16-rounded for q4). */
static float group_scale(pl_dtype dtype, const double *w, int32_t group, void *scales, int32_t g)
{
    int32_t limit = dtype == PL_DTYPE_Q4 ? PL_Q4_MAX : PL_Q8_MAX;
    float scale = (float)(max_abs(w, group) / limit);
    if (dtype == PL_DTYPE_Q8) {
        ((float *)scales)[g] = scale;
        return scale;
    }
    uint16_t h = pl_f32_to_f16(scale);
    ((uint16_t *)scales)[g] = h;
    return pl_f16_to_f32(h);
}

/* Stores value v at element index idx of q8 or q4 data. */
static void store(pl_dtype dtype, void *q, size_t idx, int32_t v)
{
    if (dtype == PL_DTYPE_Q8) {
        ((int8_t *)q)[idx] = (int8_t)v;
        return;
    }
    uint8_t nibble = (uint8_t)(v + 8);
    ((uint8_t *)q)[idx / 2] |= (uint8_t)((idx & 1) ? nibble << 4 : nibble);
}

/* One row (element index first in the matrix): quantize column by column,
 * pushing each error onto the columns still to come. row_scales is the
 * row's first scale. */
static void quantize_row(pl_dtype dtype, double *w, int32_t cols, int32_t group, const double *u,
                         void *q, size_t first, void *row_scales)
{
    int32_t limit = dtype == PL_DTYPE_Q4 ? PL_Q4_MAX : PL_Q8_MAX;
    float scale = 0;
    for (int32_t j = 0; j < cols; j++) {
        if (j % group == 0) scale = group_scale(dtype, w + j, group, row_scales, j / group);
        int32_t v = scale == 0 ? 0 : pl_round((float)(w[j] / scale));
        v = v > limit ? limit : (v < -limit ? -limit : v);
        store(dtype, q, first + (size_t)j, v);
        const double *urow = u + (size_t)j * cols;
        double err = (w[j] - (double)v * scale) / urow[j];
        for (int32_t k = j + 1; k < cols; k++) w[k] -= err * urow[k];
    }
}

int gptq_quantize(pl_dtype dtype, const float *w, int32_t rows, int32_t cols, int32_t group,
                  const double *h, void *q, void *scales)
{
    size_t nn = (size_t)cols * (size_t)cols;
    double *work = malloc(nn * sizeof(double)), *u = malloc(nn * sizeof(double));
    double *row = malloc((size_t)cols * sizeof(double));
    int ok = work && u && row;
    double damp = 0.01;
    while (ok && !prepare(h, cols, damp, work, u)) {
        damp *= 10;
        ok = damp < 1e4;
    }
    if (ok && dtype == PL_DTYPE_Q4) memset(q, 0, pl_q4_data_bytes(rows, cols));
    size_t scale_bytes = dtype == PL_DTYPE_Q4 ? sizeof(uint16_t) : sizeof(float);
    size_t row_scale_bytes = (size_t)(cols / group) * scale_bytes;
    for (int32_t r = 0; ok && r < rows; r++) {
        for (int32_t j = 0; j < cols; j++) row[j] = w[(size_t)r * cols + j];
        quantize_row(dtype, row, cols, group, u, q, (size_t)r * cols,
                     (uint8_t *)scales + (size_t)r * row_scale_bytes);
    }
    free(work);
    free(u);
    free(row);
    return ok;
}
