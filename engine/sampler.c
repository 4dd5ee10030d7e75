/* sampler.c - token sampling exactly as llama2.c's run.c does it. */
#include "sampler.h"

#include <float.h>

#include "plmath.h"

void pl_sampler_init(pl_sampler *s, int32_t vocab_size, float temperature, float topp,
                     uint64_t seed, pl_prob_index *probindex)
{
    s->vocab_size = vocab_size;
    s->temperature = temperature;
    s->topp = topp;
    s->rng_state = seed;
    s->probindex = probindex;
    s->fast_math = 0;
}

uint32_t pl_random_u32(uint64_t *state)
{
    *state ^= *state >> 12;
    *state ^= *state << 25;
    *state ^= *state >> 27;
    return (uint32_t)((*state * 0x2545F4914F6CDD1Dull) >> 32);
}

float pl_random_f32(uint64_t *state)
{
    return (pl_random_u32(state) >> 8) / 16777216.0f;
}

int32_t pl_sample_argmax(const float *p, int32_t n)
{
    int32_t max_i = 0;
    float max_p = p[0];
    for (int32_t i = 1; i < n; i++) {
        if (p[i] > max_p) {
            max_i = i;
            max_p = p[i];
        }
    }
    return max_i;
}

int32_t pl_sample_mult(const float *p, int32_t n, float coin)
{
    float cdf = 0.0f;
    for (int32_t i = 0; i < n; i++) {
        cdf += p[i];
        if (coin < cdf) return i;
    }
    return n - 1; /* rounding errors */
}

/* Order of the top-p candidate list: probability descending, then index
 * ascending. run.c sorts with glibc's qsort, a stable merge sort over
 * candidates collected in index order, which is this same total order; any
 * sort by it therefore gives run.c's list. */
static int ranks_before(const pl_prob_index *a, const pl_prob_index *b)
{
    if (a->prob != b->prob) return a->prob > b->prob;
    return a->index < b->index;
}

/* Heap with the candidate that ranks first on top. */
static void sift_down(pl_prob_index *v, int32_t root, int32_t n)
{
    for (;;) {
        int32_t child = 2 * root + 1;
        if (child >= n) return;
        if (child + 1 < n && ranks_before(&v[child + 1], &v[child])) child++;
        if (!ranks_before(&v[child], &v[root])) return;
        pl_prob_index tmp = v[root];
        v[root] = v[child];
        v[child] = tmp;
        root = child;
    }
}

int32_t pl_sample_topp(const float *p, int32_t n, float topp, pl_prob_index *probindex, float coin)
{
    /* values below (1 - topp) / (n - 1) cannot be in the nucleus */
    int32_t n0 = 0;
    const float cutoff = (1.0f - topp) / (n - 1);
    for (int32_t i = 0; i < n; i++) {
        if (p[i] >= cutoff) {
            probindex[n0].index = i;
            probindex[n0].prob = p[i];
            n0++;
        }
    }
    /* a tiny topp over a flat distribution leaves no candidate at all
     * (run.c then reads before its array); take the most likely token */
    if (n0 == 0) return pl_sample_argmax(p, n);

    /* Only the nucleus needs ordering: a heap hands candidates out best
     * first (the order a full sort gives) until their mass exceeds topp.
     * Each one popped lands at the end of the array, so the nucleus is
     * probindex[n0 - 1], probindex[n0 - 2], ... */
    for (int32_t i = n0 / 2 - 1; i >= 0; i--) sift_down(probindex, i, n0);
    float cumulative_prob = 0.0f;
    int32_t taken = 0, heap = n0;
    while (heap > 0) {
        pl_prob_index best = probindex[0];
        probindex[0] = probindex[heap - 1];
        probindex[heap - 1] = best;
        sift_down(probindex, 0, --heap);
        taken++;
        cumulative_prob += best.prob;
        if (cumulative_prob > topp) break;
    }

    float r = coin * cumulative_prob;
    float cdf = 0.0f;
    for (int32_t i = 0; i < taken; i++) {
        const pl_prob_index *c = &probindex[n0 - 1 - i];
        cdf += c->prob;
        if (r < cdf) return c->index;
    }
    return probindex[n0 - taken].index; /* rounding errors: the last one taken */
}

/* True when some logit divided by the temperature, as pl_sample scales
 * them, overflows a float. */
static int temperature_overflows(const pl_sampler *s, const float *logits)
{
    if (!(s->temperature < 1.0f)) return 0; /* dividing by T >= 1 never grows a logit */
    float largest = 0.0f;
    for (int32_t q = 0; q < s->vocab_size; q++) {
        float magnitude = logits[q] < 0.0f ? -logits[q] : logits[q];
        if (magnitude > largest) largest = magnitude;
    }
    /* as pl_sample scales them; 0 * (1/T = inf) is NaN, an overflow too */
    float scaled = s->fast_math ? largest * (1.0f / s->temperature) : largest / s->temperature;
    return !(scaled <= FLT_MAX);
}

int32_t pl_sample(pl_sampler *s, float *logits)
{
    if (s->temperature == 0.0f || temperature_overflows(s, logits))
        return pl_sample_argmax(logits, s->vocab_size);
    if (s->fast_math) { /* one division, not one per logit (14 cycles each on the M33) */
        float inv = 1.0f / s->temperature;
        for (int32_t q = 0; q < s->vocab_size; q++) logits[q] *= inv;
        pl_softmax_fast(logits, s->vocab_size);
    } else {
        for (int32_t q = 0; q < s->vocab_size; q++) logits[q] /= s->temperature;
        pl_softmax(logits, s->vocab_size);
    }
    float coin = pl_random_f32(&s->rng_state);
    if (s->topp <= 0 || s->topp >= 1) return pl_sample_mult(logits, s->vocab_size, coin);
    return pl_sample_topp(logits, s->vocab_size, s->topp, s->probindex, coin);
}
