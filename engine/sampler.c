/* sampler.c - token sampling exactly as llama2.c's run.c does it. */
#include "sampler.h"

#include <float.h>
#include <string.h>

#include "exp2_table.h"
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
    s->parallel = NULL;
    s->parallel_ctx = NULL;
    s->parts = 1;
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

/* Values below this cannot be in the nucleus. */
static float topp_cutoff(float topp, int32_t n) { return (1.0f - topp) / (n - 1); }

/* Appends the candidates among p[begin, end) to out; returns their number. */
static int32_t collect_candidates(const float *p, int32_t begin, int32_t end, float cutoff,
                                  pl_prob_index *out)
{
    int32_t n0 = 0;
    for (int32_t i = begin; i < end; i++) {
        if (p[i] >= cutoff) {
            out[n0].index = i;
            out[n0].prob = p[i];
            n0++;
        }
    }
    return n0;
}

/* Top-p over the n0 candidates already in probindex (index order). */
static int32_t topp_of_candidates(const float *p, int32_t n, float topp, pl_prob_index *probindex,
                                  int32_t n0, float coin);

int32_t pl_sample_topp(const float *p, int32_t n, float topp, pl_prob_index *probindex, float coin)
{
    int32_t n0 = collect_candidates(p, 0, n, topp_cutoff(topp, n), probindex);
    return topp_of_candidates(p, n, topp, probindex, n0, coin);
}

static int32_t topp_of_candidates(const float *p, int32_t n, float topp, pl_prob_index *probindex,
                                  int32_t n0, float coin)
{
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

/* 128 / ln 2: the table exponential's steps (128ths of an octave) in one
 * unit of a logit / T. */
#define TABLE_STEPS_PER_NAT (PL_EXP2_STEPS_PER_OCTAVE * 0x1.715476p+0f)

/* True when some logit divided by the temperature, as pl_sample scales
 * them, overflows a float. */
static int temperature_overflows(const pl_sampler *s, const float *logits)
{
    if (!(s->temperature < 1.0f)) return 0; /* dividing by T >= 1 never grows a logit */
    /* the fast softmax's table scale, -128 / (T ln 2), overflows first
     * (T < 5.4e-37): the limit T -> 0 is greedy as well */
    if (s->fast_math && !(1.0f / s->temperature * TABLE_STEPS_PER_NAT <= FLT_MAX)) return 1;
    float largest = 0.0f;
    for (int32_t q = 0; q < s->vocab_size; q++) {
        float magnitude = logits[q] < 0.0f ? -logits[q] : logits[q];
        if (magnitude > largest) largest = magnitude;
    }
    /* as pl_sample scales them; 0 * (1/T = inf) is NaN, an overflow too */
    float scaled = s->fast_math ? largest * (1.0f / s->temperature) : largest / s->temperature;
    return !(scaled <= FLT_MAX);
}

/* ---- the fast precisions' softmax, in fixed chunks ---------------------- */

typedef struct {
    float *x;
    int32_t n;
    int phase; /* 0: maxima, 1: exponentials and sums, 2: normalised, candidates */
    float scale, max_logit, inv_sum, cutoff;
    pl_prob_index *candidates; /* NULL: none wanted */
    float max[PL_SAMPLER_CHUNKS], sum[PL_SAMPLER_CHUNKS];
    int32_t count[PL_SAMPLER_CHUNKS];
} softmax_job;

/* Chunk c of n values: [begin, end) (32-bit arithmetic: no 64-bit division on
 * the device). */
static int32_t chunk_start(int32_t n, int32_t c)
{
    return n / PL_SAMPLER_CHUNKS * c + n % PL_SAMPLER_CHUNKS * c / PL_SAMPLER_CHUNKS;
}

/* Where the table exponential stops: about 2^-125, still a normal float,
 * far below the last bit of any sum that holds the largest logit's 1.0. */
#define EXP2_LIMIT (125.0f * PL_EXP2_STEPS_PER_OCTAVE - 1.0f)

/* 2^(-t / 128) for t >= 0 (or nan: then about 2^-125): pl_exp2_table
 * interpolated linearly within an octave (3.7e-6 relative, exp2_table.h),
 * the whole octaves subtracted from the float's exponent field (the
 * interpolated value is in [0.5, 1], so it stays normal). About twenty
 * instructions, no branch: on the M33 a quarter fewer cycles than
 * pl_expf_fast's range reduction and seven-term polynomial. */
static inline __attribute__((always_inline)) float exp2_neg_steps(float t)
{
    t = __builtin_fminf(t, EXP2_LIMIT);
    int32_t k = (int32_t)t, i = k & (PL_EXP2_STEPS_PER_OCTAVE - 1);
    float f = t - __builtin_truncf(t); /* VRINTZ: no trip through a core register */
    float lo = pl_exp2_table[i], e = lo + f * (pl_exp2_table[i + 1] - lo);
    union { float f; uint32_t u; } v = {e};
    v.u -= ((uint32_t)k / PL_EXP2_STEPS_PER_OCTAVE) << 23;
    return v.f;
}

static void softmax_chunk(softmax_job *j, int32_t c)
{
    int32_t begin = chunk_start(j->n, c), end = chunk_start(j->n, c + 1);
    float *x = j->x;
    if (j->phase == 0) {
        j->max[c] = begin < end ? pl_max(x + begin, end - begin) : -__builtin_inff();
    } else if (j->phase == 1) {
        /* e^((x - max) / T) = 2^(-t / 128) with t = (x - max) a, a =
         * -128 / (T ln 2): 0 at the largest logit, >= 0 elsewhere, and
         * within a float's rounding of the exact exponent (x - max is exact
         * near the maximum, where the probabilities are); two sums, so the
         * FPU overlaps two exponentials */
        float a = j->scale, b = j->max_logit, s0 = 0.0f, s1 = 0.0f;
        int32_t i = begin;
        for (; i + 2 <= end; i += 2) {
            float e0 = exp2_neg_steps((x[i] - b) * a);
            float e1 = exp2_neg_steps((x[i + 1] - b) * a);
            x[i] = e0;
            x[i + 1] = e1;
            s0 += e0;
            s1 += e1;
        }
        if (i < end) s0 += (x[i] = exp2_neg_steps((x[i] - b) * a));
        j->sum[c] = s0 + s1;
    } else {
        float inv = j->inv_sum;
        if (!j->candidates) {
            for (int32_t i = begin; i < end; i++) x[i] *= inv;
            return;
        }
        /* normalised and collected in one pass, without a branch: every
         * value is written as the next candidate, kept when it is one
         * (collect_candidates' list; n0 <= i - begin stays in the chunk's
         * own stretch of the array) */
        float cutoff = j->cutoff;
        pl_prob_index *out = j->candidates + begin;
        int32_t n0 = 0;
        for (int32_t i = begin; i < end; i++) {
            float p = x[i] * inv;
            x[i] = p;
            out[n0].prob = p;
            out[n0].index = i;
            n0 += p >= cutoff;
        }
        j->count[c] = n0;
    }
}

static void softmax_part(void *arg, int32_t part, int32_t parts)
{
    /* whole chunks per part, the same ones whatever the number of parts */
    for (int32_t c = PL_SAMPLER_CHUNKS * part / parts; c < PL_SAMPLER_CHUNKS * (part + 1) / parts; c++)
        softmax_chunk(arg, c);
}

static void softmax_phase(const pl_sampler *s, softmax_job *j, int phase)
{
    j->phase = phase;
    if (s->parallel && s->parts > 1) s->parallel(s->parallel_ctx, softmax_part, j, s->parts);
    else softmax_part(j, 0, 1);
}

int32_t pl_softmax_chunked(const pl_sampler *s, float *logits, pl_prob_index *candidates)
{
    softmax_job j;
    memset(&j, 0, sizeof(j));
    j.x = logits;
    j.n = s->vocab_size;
    float inv_t = 1.0f / s->temperature; /* one division, not one per logit */
    j.candidates = candidates;
    j.cutoff = candidates ? topp_cutoff(s->topp, s->vocab_size) : 0.0f;
    softmax_phase(s, &j, 0);
    float m = j.max[0];
    for (int32_t c = 1; c < PL_SAMPLER_CHUNKS; c++) m = __builtin_fmaxf(m, j.max[c]);
    j.scale = inv_t * -TABLE_STEPS_PER_NAT; /* finite: temperature_overflows */
    j.max_logit = m;
    softmax_phase(s, &j, 1);
    float sum = j.sum[0];
    for (int32_t c = 1; c < PL_SAMPLER_CHUNKS; c++) sum += j.sum[c];
    j.inv_sum = 1.0f / sum;
    softmax_phase(s, &j, 2);
    if (!candidates) return 0;
    /* each chunk's candidates sit at its start: close the gaps, in order */
    int32_t n0 = j.count[0];
    for (int32_t c = 1; c < PL_SAMPLER_CHUNKS; c++) {
        memmove(candidates + n0, candidates + chunk_start(j.n, c),
                (size_t)j.count[c] * sizeof(*candidates));
        n0 += j.count[c];
    }
    return n0;
}

int32_t pl_sample(pl_sampler *s, float *logits)
{
    if (s->temperature == 0.0f || temperature_overflows(s, logits))
        return pl_sample_argmax(logits, s->vocab_size);
    if (s->fast_math) {
        int topp = s->topp > 0 && s->topp < 1;
        int32_t n0 = pl_softmax_chunked(s, logits, topp ? s->probindex : NULL);
        float coin = pl_random_f32(&s->rng_state);
        if (!topp) return pl_sample_mult(logits, s->vocab_size, coin);
        return topp_of_candidates(logits, s->vocab_size, s->topp, s->probindex, n0, coin);
    } else {
        for (int32_t q = 0; q < s->vocab_size; q++) logits[q] /= s->temperature;
        pl_softmax(logits, s->vocab_size);
    }
    float coin = pl_random_f32(&s->rng_state);
    if (s->topp <= 0 || s->topp >= 1) return pl_sample_mult(logits, s->vocab_size, coin);
    return pl_sample_topp(logits, s->vocab_size, s->topp, s->probindex, coin);
}
