/* plmath.h - the few libm functions the engine needs, computed the same way
 * on every platform.
 *
 * Host (glibc) and device (newlib) libm give different last-bit results, and
 * one flipped bit in a softmax is enough to change a sampled story. So the
 * engine never calls libm: these functions follow the algorithms glibc 2.28+
 * uses on x86-64 (table-driven, evaluated in double precision), which makes
 * the host output byte-identical to llama2.c built against glibc, and the
 * device output identical to the host. tests/unit/test_plmath.c checks them
 * against the host libm bit for bit.
 */
#ifndef PICOLLAMA_PLMATH_H
#define PICOLLAMA_PLMATH_H

/* e^x, bit-identical to glibc expf for every float input. */
float pl_expf(float x);

/* sin and cos of x, bit-identical to glibc sinf/cosf for every float input. */
void pl_sincosf(float x, float *sin_out, float *cos_out);

/* x^y for x > 0 finite and y finite (all the engine needs: RoPE frequencies);
 * bit-identical to glibc powf on that domain. Returns NaN outside it. */
float pl_powf(float x, float y);

/* In-place softmax of x[0..size), as llama2.c computes it (max-subtracted
 * exponentials, summed in order, then divided). */
void pl_softmax(float *x, int size);

/* IEEE square root (exact on every platform; one VSQRT.F32 on the M33). */
static inline float pl_sqrtf(float x) { return __builtin_sqrtf(x); }

#endif
