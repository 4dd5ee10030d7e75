/* attention.h - the inner loops of attention over one segment of the KV
 * cache: scores of a query against past keys, and the weighted sum of past
 * values.
 *
 * The compact-cache kernels are integer dot products, exact in any order,
 * so the device's SIMD versions equal these portable ones bit for bit. The
 * float kernels keep run.c's order of additions.
 */
#ifndef PICOLLAMA_ATTENTION_H
#define PICOLLAMA_ATTENTION_H

#include <stddef.h>
#include <stdint.h>

/* att[t] = q . k_t / sqrt(head_size) for t in [0, n); k_t = k + t * stride. */
void pl_attention_scores_f32(float *att, const float *q, const float *k, size_t stride,
                             int32_t head_size, int32_t n);

/* xb[i] += sum over t of att[t] * v_t[i], in t order. */
void pl_attention_mix_f32(float *xb, const float *att, const float *v, size_t stride,
                          int32_t head_size, int32_t n);

/* att[t] = (float)(q . k_t) * (key_scale[t] * q_factor): q holds 15-bit
 * values, k int16 ones small enough that the int32 sum cannot overflow
 * (kv_cache.h). Returns the largest att[t] (fmaxf: nan ignored). */
float pl_attention_scores_int(float *att, const int16_t *q, const int16_t *k, size_t stride,
                              const float *key_scale, float q_factor, int32_t head_size,
                              int32_t n);
float pl_attention_scores_int_portable(float *att, const int16_t *q, const int16_t *k,
                                       size_t stride, const float *key_scale, float q_factor,
                                       int32_t head_size, int32_t n);
/* The Arm DSP version (attention_dsp.c): 0 when it cannot take these
 * arguments (odd head size, unaligned rows), else 1 and *best. */
int pl_attention_scores_int_dsp(float *att, const int16_t *q, const int16_t *k, size_t stride,
                                const float *key_scale, float q_factor, int32_t head_size,
                                int32_t n, float *best);

/* The softmax numerators of the positions that matter, for the compact
 * cache: for each t in [0, n) with att[t] >= threshold (= best - cutoff),
 * in order, e = pl_expf_fast_in_range(att[t] - best), *sum += e, and
 * p = e * value_scale[t] is appended to p_out with t to t_out; *pmax is
 * the largest p. p_out may be att itself (entry m lands at or before
 * position t). Returns the number appended. */
int32_t pl_attention_weights(const float *att, const float *value_scale, int32_t n, float best,
                             float threshold, float *p_out, uint32_t *t_out, float *sum,
                             float *pmax);

/* The weighted sum of values over those positions, in integers: acc[i] +=
 * pl_round(p[j] * inv) * v[t[j] * stride + i]. With inv = 16383 / pmax the
 * weights have 15 bits; the caller keeps count <= PL_MIX_SPAN, so the
 * int32 sums cannot overflow (1024 * 16384 * 127 < 2^31). */
#define PL_MIX_SPAN 1024
void pl_attention_mix_int(int32_t *acc, const uint32_t *t, const float *p, float inv,
                          int32_t count, const int8_t *v, size_t stride, int32_t head_size);
void pl_attention_mix_int_portable(int32_t *acc, const uint32_t *t, const float *p, float inv,
                                   int32_t count, const int8_t *v, size_t stride,
                                   int32_t head_size);
/* The Arm DSP version: 0 when it cannot take these arguments (it handles
 * 8-value heads, word-aligned rows). */
int pl_attention_mix_int_dsp(int32_t *acc, const uint32_t *t, const float *p, float inv,
                             int32_t count, const int8_t *v, size_t stride, int32_t head_size);

#endif
