/* attention.h - the inner loops of attention over one segment of the KV
 * cache: scores of a query against past keys, and the weighted sum of past
 * values.
 *
 * The compact-cache kernels are integer arithmetic, exact in any order,
 * so the device's SIMD versions equal these portable ones bit for bit. The
 * float kernels keep run.c's order of additions.
 */
#ifndef PICOLLAMA_ATTENTION_H
#define PICOLLAMA_ATTENTION_H

#include <stddef.h>
#include <stdint.h>

#include "../kv_cache.h"

/* att[t] = q . k_t / sqrt(head_size) for t in [0, n); k_t = k + t * stride. */
void pl_attention_scores_f32(float *att, const float *q, const float *k, size_t stride,
                             int32_t head_size, int32_t n);

/* xb[i] += sum over t of att[t] * v_t[i], in t order. */
void pl_attention_mix_f32(float *xb, const float *att, const float *v, size_t stride,
                          int32_t head_size, int32_t n);

/* ---- the compact cache: attention in integers ----------------------------
 *
 * Per head and segment of the cache: scores (pl_attention_scores_int), then
 * softmax weights from the integer differences to the best score through
 * a table of 2^(-i/64) (pl_attention_weights_int), then the values summed
 * with those weights (pl_attention_mix_int); the caller normalises once.
 * Every position takes part (no cutoff: a weight more than 16 octaves
 * below the best is 0 in 15 bits), so a head costs the same at every
 * position. */

/* s[t] = (q . k_t) >> shift for t in [0, n): the int32 dot product of the
 * 15-bit query with position t's int16 key (k_t = k + t * stride; small
 * enough that the sum cannot overflow: kv_cache.h), brought from the keys'
 * scale to a larger one by an arithmetic shift (rounding down; 0 <= shift
 * <= 31). Returns the largest s[t] (INT32_MIN for n = 0). */
int32_t pl_attention_scores_int(int32_t *s, const int16_t *q, const int16_t *k, size_t stride,
                                int32_t shift, int32_t head_size, int32_t n);
int32_t pl_attention_scores_int_portable(int32_t *s, const int16_t *q, const int16_t *k,
                                         size_t stride, int32_t shift, int32_t head_size,
                                         int32_t n);
/* The Arm DSP version (attention_dsp.c): 0 when it cannot take these
 * arguments (odd head size, unaligned rows, shift outside [0, 31]), else 1
 * and *best. */
int pl_attention_scores_int_dsp(int32_t *s, const int16_t *q, const int16_t *k, size_t stride,
                                int32_t shift, int32_t head_size, int32_t n, int32_t *best);

/* How a score's distance to the best becomes a table index: index =
 * ((uint32_t)(best - s) * mul) >> (32 + shift), saturated at 1023. */
typedef struct {
    int32_t best;      /* the head's best score */
    uint32_t mul;      /* below 2^31 */
    int32_t shift;     /* 0..31 */
    int32_t value_max; /* the values' common exponent (kv_cache.h) */
} pl_attention_softmax;

/* The table step for a score step worth `logit_step` (natural-log units:
 * the query and key scales over sqrt(head_size)): index = d * logit_step *
 * 64 / ln 2 rounded down, that product taken from the float's bits (the
 * same on every platform). A step worth more than half a table step (a
 * logit range beyond 10^7, nothing a model makes) counts as half one. */
void pl_attention_softmax_prepare(pl_attention_softmax *sm, float logit_step, int32_t best,
                                  int32_t value_max);

/* The softmax numerators in 15 bits: w[t] = pl_exp2_neg64[index of s[t]]
 * >> min(value_max - e[t].value, 15) for t in [0, n) (the shift brings
 * position t's value scale 2^e[t].value to the common 2^value_max, so the
 * values can be summed with these weights as they are). Returns the sum of
 * the weights before that shift (the softmax's denominator), exact: at most
 * 2^15 * n. The exponents are as the cache holds them (kv_cache.h):
 * e[t].value_max never falls along t and is at most value_max, and
 * e[t].value_shift = min(e[t].value_max - e[t].value, 15) - which is the
 * whole shift in the run of positions whose value_max is the latest (most
 * of a context), where the DSP kernel needs nothing else. */
int32_t pl_attention_weights_int(int16_t *w, const int32_t *s, const pl_kv_exponents *e,
                                 const pl_attention_softmax *sm, int32_t n);
int32_t pl_attention_weights_int_portable(int16_t *w, const int32_t *s,
                                          const pl_kv_exponents *e,
                                          const pl_attention_softmax *sm, int32_t n);
/* The Arm version (USAT for the saturations): 0 when it cannot take these
 * arguments (mul or shift out of range), else 1 and *sum. */
int pl_attention_weights_int_dsp(int16_t *w, const int32_t *s, const pl_kv_exponents *e,
                                 const pl_attention_softmax *sm, int32_t n, int32_t *sum);

/* The weighted sum of values: acc[i] += w[2p] * a_p[i] + w[2p+1] * b_p[i]
 * over pairs p in [0, pairs), a_p and b_p the two positions of pair p's
 * head values (kv_cache.h's layout: v is the head's first word in pair 0,
 * pair_stride bytes from one pair to the next). The caller keeps 2 * pairs
 * <= PL_MIX_SPAN, so the int32 sums cannot overflow (512 * 32591 * 127 <
 * 2^31), and w[t] = 0 for a position past the last one. */
#define PL_MIX_SPAN 512
void pl_attention_mix_int(int32_t *acc, const int16_t *w, const int8_t *v, size_t pair_stride,
                          int32_t head_size, int32_t pairs);
void pl_attention_mix_int_portable(int32_t *acc, const int16_t *w, const int8_t *v,
                                   size_t pair_stride, int32_t head_size, int32_t pairs);
/* The Arm DSP version: 0 when it cannot take these arguments (odd head
 * size, unaligned rows). */
int pl_attention_mix_int_dsp(int32_t *acc, const int16_t *w, const int8_t *v, size_t pair_stride,
                             int32_t head_size, int32_t pairs);

/* ---- a whole head in one call ------------------------------------------
 *
 * The three kernels above in sequence for one head over one stretch of the
 * cache (positions [0, n), n <= PL_MIX_SPAN, in one segment), then the
 * normalisation: what the engine does per head, with the per-call work
 * (argument checks, dispatch, job set-up) done once instead of once per
 * kernel and run. The same bits as the kernels called one by one. */

/* Positions [previous run's end, end) of a head's keys, stored at one
 * exponent: their scores shifted by `shift` (0..31). */
typedef struct {
    int32_t end, shift;
} pl_key_run;

typedef struct {
    const int16_t *q;         /* the head's 15-bit query */
    const int16_t *k;         /* its key at position 0 */
    size_t key_stride;        /* int16s from a position's key to the next */
    const pl_kv_exponents *e; /* position 0's exponents */
    const int8_t *v;          /* its values in pair 0 */
    size_t pair_stride;       /* bytes from a pair of positions to the next */
    const pl_key_run *runs;   /* ascending ends, the last one n; none empty */
    int32_t n_runs, head_size, n; /* n >= 1 */
    int32_t latest;           /* pl_attention_latest_run(e, n, value_max) */
    float logit_step;         /* pl_attention_softmax_prepare's */
    int32_t value_max;        /* the values' common exponent */
    float value_unit;         /* 2^value_max */
    int32_t *s;               /* scratch: n scores */
    int16_t *w;               /* scratch: n + 1 weights */
    int32_t *acc;             /* head_size sums, zero; left zero */
} pl_attention_head;

/* out[i] = the head's attention output i for i < head_size:
 * acc[i] * value_unit / (sum of the weights), acc the values weighed by
 * pl_attention_weights_int's weights (w[n] = 0 pairs an odd last
 * position). */
void pl_attention_head_int(float *out, const pl_attention_head *h);
void pl_attention_head_int_portable(float *out, const pl_attention_head *h);
/* The Arm DSP version: 0 when it cannot take these arguments (head size
 * not 8, rows other than stories260K's 64 bytes, unaligned rows, no
 * positions, runs that are empty or do not end at n, a shift outside
 * [0, 31]). */
int pl_attention_head_int_dsp(float *out, const pl_attention_head *h);
/* Its last step: out[i] = acc[i] * value_unit / sum (sum >= the best's
 * weight > 0), acc left zero. Inline, so that a constant head size
 * unrolls. */
static inline void pl_attention_output(float *out, int32_t *acc, int32_t head_size,
                                       float value_unit, int32_t sum)
{
    float scale = value_unit / (float)sum;
#pragma GCC unroll 8
    for (int32_t i = 0; i < head_size; i++) {
        out[i] = (float)acc[i] * scale;
        acc[i] = 0;
    }
}

/* Where the run of positions whose e[t].value_max is value_max (the
 * latest) starts among n: n when none has it (pl_attention_head's
 * latest). */
int32_t pl_attention_latest_run(const pl_kv_exponents *e, int32_t n, int32_t value_max);

#endif
