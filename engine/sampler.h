/* sampler.h - picks the next token from the logits: greedy, multinomial or
 * top-p, with llama2.c's xorshift generator so a seed tells the same story
 * on every platform. */
#ifndef PICOLLAMA_SAMPLER_H
#define PICOLLAMA_SAMPLER_H

#include <stdint.h>

#include "parallel.h"

typedef struct {
    float prob;
    int32_t index;
} pl_prob_index;

typedef struct {
    int32_t vocab_size;
    float temperature; /* 0 = greedy argmax */
    float topp;        /* in (0,1): nucleus sampling; otherwise plain multinomial */
    uint64_t rng_state;
    pl_prob_index *probindex; /* vocab_size entries of caller memory (top-p only) */
    int fast_math;            /* 1/temperature and the chunked fast softmax (the fast precisions) */
    /* fast_math only: the softmax and the top-p candidates in parts (one
     * per core; NULL: one part). The result does not depend on it: the
     * softmax always works in PL_SAMPLER_CHUNKS fixed chunks. */
    pl_parallel_fn parallel;
    void *parallel_ctx;
    int32_t parts;
} pl_sampler;

/* The fast softmax's fixed split of the vocabulary: each chunk sums its
 * exponentials in two running sums, the chunks' sums are added in order. */
#define PL_SAMPLER_CHUNKS 2

/* probindex may be NULL unless 0 < topp < 1 and temperature > 0. */
void pl_sampler_init(pl_sampler *s, int32_t vocab_size, float temperature, float topp,
                     uint64_t seed, pl_prob_index *probindex);

/* Samples a token id; modifies logits in place (temperature, softmax).
 * A temperature so small that some logit / temperature overflows a float
 * (softmax would turn the infinities into NaN, run.c then prints <unk>)
 * samples greedily, as temperature 0 does: its limit, and no random draw;
 * with fast_math so does T < 5.4e-37, where the table exponential's scale
 * 128 / (T ln 2) overflows. */
int32_t pl_sample(pl_sampler *s, float *logits);

/* llama2.c's generator: xorshift64* returning the top 32 bits. */
uint32_t pl_random_u32(uint64_t *state);
/* Uniform float in [0,1) with 24 random bits. */
float pl_random_f32(uint64_t *state);

int32_t pl_sample_argmax(const float *probabilities, int32_t n);
int32_t pl_sample_mult(const float *probabilities, int32_t n, float coin);
int32_t pl_sample_topp(const float *probabilities, int32_t n, float topp,
                       pl_prob_index *probindex, float coin);
/* The fast precisions' softmax of logits / temperature (in place), in
 * PL_SAMPLER_CHUNKS chunks run by s->parallel, its exponentials from a
 * table (exp2_table.h: each probability within 5e-6 + 1.5e-7 (max - x) / T
 * relative of the exact softmax's, tests/unit/test_sampler.c); with candidates not NULL
 * also the top-p candidates (probability >= (1 - topp) / (n - 1)) in index
 * order into candidates, their number returned (else 0). */
int32_t pl_softmax_chunked(const pl_sampler *s, float *logits, pl_prob_index *candidates);

#endif
