/* attention_dsp.c - the compact cache's attention kernels with the Arm DSP
 * extension (dsp.h): SMLAD multiplies two int16 pairs and adds both
 * products - of query and key for the scores, of two positions' weights
 * and values for the weighted sum (the values lie in pairs of positions:
 * kv_cache.h); SXTB16 widens a word's even or (rotated) odd int8 bytes;
 * USAT saturates a table index. Integer arithmetic is exact, so the
 * results are the portable kernels' bit for bit.
 *
 * stories260K's 8-value heads run loops in assembly: the compiler spills
 * the eight sums of the weighted sum and reloads loop invariants, and the
 * loops are short enough that every cycle shows (docs/performance.md).
 */
#include "dsp.h"

#if PL_ARM_DSP
#include "../plmath.h"
#include "attention.h"

static inline uint32_t word16(const int16_t *p) { return *(const uint32_t *)(const void *)p; }
static inline uint32_t word8(const int8_t *p) { return *(const uint32_t *)(const void *)p; }
static inline uint32_t ror8(uint32_t x) { return (x >> 8) | (x << 24); }

/* The assembly loops take stories260K's cache rows: 4 kv heads of 8
 * values, so 64 bytes from a position's key to the next (int16) and from a
 * pair of positions' values to the next (int8); the row length is an
 * immediate of the post-indexed loads. Other layouts take the C loops. */
#define ASM_ROW_BYTES 64
#define STR_(x) #x
#define STR(x) STR_(x)
#define ROW STR(ASM_ROW_BYTES)

typedef struct {
    const int16_t *q; /* 0 */
    const int16_t *k; /* 4: ASM_ROW_BYTES from a key to the next */
    int32_t *s;       /* 8 */
    int32_t n;        /* 12: at least one */
    int32_t shift;    /* 16 */
} scores_job;

/* One position of attention_scores8: four SMLAD of the query (r4-r7) with
 * the key at r1 (its upper words first, then the lower ones with r1 moved
 * on to the next key), shifted (`shift`: empty for none), stored, the best
 * (lr) kept. */
#define SCORE_ONE(shift)                                                                           \
    "ldrd   r12, r0, [r1, #8]\n\t"                                                                 \
    "ldrd   r10, r11, [r1], #" ROW "\n\t"                                                          \
    "smuad  r10, r4, r10\n\t"                                                                      \
    "smlad  r10, r5, r11, r10\n\t"                                                                 \
    "smlad  r10, r6, r12, r10\n\t"                                                                 \
    "smlad  r10, r7, r0, r10\n\t" shift                                                            \
    "str    r10, [r3], #4\n\t"                                                                     \
    "cmp    r10, lr\n\t"                                                                           \
    "it     gt\n\t"                                                                                \
    "movgt  lr, r10\n\t"

#define SCORE_SHIFT "asr    r10, r10, r9\n\t"

/* The loop of attention_scores8 over the positions (r8 of them; r2 the
 * end of s): one alone when their number is odd, two when it leaves an
 * odd number of pairs, then four a pass. A, B, C: local labels. */
#define SCORE_LOOP(shift, A, B, C)                                                                 \
    "add    r2, r3, r8, lsl #2\n\t"                                                                \
    "tst    r8, #1\n\t"                                                                            \
    "beq    " A "f\n\t" SCORE_ONE(shift)                                                           \
    A ":\n\t"                                                                                      \
    "tst    r8, #2\n\t"                                                                            \
    "beq    " B "f\n\t" SCORE_ONE(shift) SCORE_ONE(shift)                                          \
    B ":\n\t"                                                                                      \
    "cmp    r3, r2\n\t"                                                                            \
    "beq    " C "f\n\t"                                                                            \
    "9:\n\t" SCORE_ONE(shift) SCORE_ONE(shift) SCORE_ONE(shift) SCORE_ONE(shift)                  \
    "cmp    r3, r2\n\t"                                                                            \
    "bne    9b\n\t"                                                                                \
    C ":\n\t"                                                                                      \
    "mov    r0, lr\n\t"                                                                            \
    "pop    {r4-r11, pc}\n\t"

/* Scores of an 8-value head; returns the best. The keys stored at the
 * layer's latest exponent (most of a context) need no shift: a loop
 * without it. */
__attribute__((naked, noinline)) static int32_t attention_scores8(const scores_job *job)
{
    __asm__("push   {r4-r11, lr}\n\t"
            "ldr    r1, [r0, #0]\n\t"
            "ldrd   r4, r5, [r1]\n\t" /* the query, for good */
            "ldrd   r6, r7, [r1, #8]\n\t"
            "ldrd   r1, r3, [r0, #4]\n\t"  /* k, s */
            "ldrd   r8, r9, [r0, #12]\n\t" /* n, shift */
            "mov    lr, #0x80000000\n\t"   /* best = INT32_MIN */
            "cmp    r9, #0\n\t"
            "beq    5f\n\t"
            SCORE_LOOP(SCORE_SHIFT, "1", "2", "3")
            "5:\n\t"
            SCORE_LOOP("", "6", "7", "8"));
}

int pl_attention_scores_int_dsp(int32_t *s, const int16_t *q, const int16_t *k, size_t stride,
                                int32_t shift, int32_t head_size, int32_t n, int32_t *best)
{
    int32_t top = INT32_MIN;
    if (head_size % 2 != 0 || stride % 2 != 0 || (((uintptr_t)q | (uintptr_t)k) & 3) != 0 ||
        shift < 0 || shift > 31)
        return 0;
    if (n <= 0) {
        *best = top;
        return 1;
    }
    if (head_size == 8 && stride * sizeof(int16_t) == ASM_ROW_BYTES) {
        scores_job job = {q, k, s, n, shift};
        *best = attention_scores8(&job);
        return 1;
    }
    for (int32_t t = 0; t < n; t++, k += stride) {
        int32_t sum = 0;
        for (int32_t i = 0; i < head_size; i += 2)
            sum = __smlad((int16x2_t)word16(q + i), (int16x2_t)word16(k + i), sum);
        int32_t a = sum >> shift;
        s[t] = a;
        top = a > top ? a : top;
    }
    *best = top;
    return 1;
}

typedef struct {
    const int32_t *s;      /* 0 */
    const int8_t *bytes;   /* 4: &e[0].value, or &e[0].value_shift when latest (one every four) */
    int16_t *w;            /* 8 */
    int32_t n;             /* 12: at least one */
    uint32_t best;         /* 16 */
    uint32_t mul;          /* 20 */
    int32_t shift;         /* 24 */
    int32_t value_max;     /* 28 */
    const uint16_t *table; /* 32 */
    int32_t latest;        /* 36: the positions' value_max is value_max */
} weights_job;

/* One position of attention_weights_asm: the index (UMULL's high word
 * shifted, USAT to 1023), the table's weight into the sum (r0), shifted to
 * the values' common exponent and stored: by value_max (r8) minus the
 * position's value exponent, saturated to [0, 15]. */
#define WEIGHT_ONE                                                                                 \
    "ldr    r10, [r1], #4\n\t"                                                                     \
    "ldrsb  r11, [r2], #4\n\t"                                                                     \
    "sub    r10, r5, r10\n\t"                                                                      \
    "umull  r12, r10, r10, r6\n\t"                                                                 \
    "sub    r11, r8, r11\n\t"                                                                      \
    "lsr    r10, r10, r7\n\t"                                                                      \
    "usat   r10, #10, r10\n\t"                                                                     \
    "ldrh   r10, [r9, r10, lsl #1]\n\t"                                                            \
    "usat   r11, #4, r11\n\t"                                                                      \
    "add    r0, r0, r10\n\t"                                                                       \
    "asr    r10, r10, r11\n\t"                                                                     \
    "strh   r10, [r3], #2\n\t"

/* The same in the run of the latest value_max: the position's value_shift
 * (within [0, 15]) is the shift. */
#define WEIGHT_ONE_LATEST                                                                          \
    "ldr    r10, [r1], #4\n\t"                                                                     \
    "ldrb   r11, [r2], #4\n\t"                                                                     \
    "sub    r10, r5, r10\n\t"                                                                      \
    "umull  r12, r10, r10, r6\n\t"                                                                 \
    "lsr    r10, r10, r7\n\t"                                                                      \
    "usat   r10, #10, r10\n\t"                                                                     \
    "ldrh   r10, [r9, r10, lsl #1]\n\t"                                                            \
    "add    r0, r0, r10\n\t"                                                                       \
    "asr    r10, r10, r11\n\t"                                                                     \
    "strh   r10, [r3], #2\n\t"

/* Two positions of the latest run interleaved (the second in r8, lr),
 * so that no instruction waits for a load's or UMULL's result; `cmp`, the
 * loop's compare (r1 against the end, r4) or nothing, in a free slot. */
#define WEIGHT_TWO_LATEST(cmp)                                                                     \
    "ldr    r10, [r1], #4\n\t"                                                                     \
    "ldrb   r11, [r2], #4\n\t"                                                                     \
    "sub    r10, r5, r10\n\t"                                                                      \
    "umull  r12, r10, r10, r6\n\t"                                                                 \
    "ldr    r8, [r1], #4\n\t"                                                                      \
    "lsr    r10, r10, r7\n\t"                                                                      \
    "usat   r10, #10, r10\n\t"                                                                     \
    "ldrh   r10, [r9, r10, lsl #1]\n\t"                                                            \
    "sub    r8, r5, r8\n\t"                                                                        \
    "add    r0, r0, r10\n\t"                                                                       \
    "asr    r10, r10, r11\n\t"                                                                     \
    "umull  r12, r8, r8, r6\n\t"                                                                   \
    "strh   r10, [r3], #2\n\t"                                                                     \
    "ldrb   lr, [r2], #4\n\t"                                                                      \
    "lsr    r8, r8, r7\n\t"                                                                        \
    "usat   r8, #10, r8\n\t"                                                                       \
    "ldrh   r8, [r9, r8, lsl #1]\n\t"                                                              \
    cmp                                                                                            \
    "add    r0, r0, r8\n\t"                                                                        \
    "asr    r8, r8, lr\n\t"                                                                        \
    "strh   r8, [r3], #2\n\t"

/* The weights of n positions; returns their sum before the shifts. One
 * position alone when n is odd, then two a pass; the latest run its own
 * loop, four a pass. */
__attribute__((naked, noinline)) static int32_t attention_weights_asm(const weights_job *job)
{
    __asm__("push   {r4-r11, lr}\n\t"
            "ldrd   r1, r2, [r0]\n\t"       /* s, value shifts */
            "ldrd   r3, r4, [r0, #8]\n\t"   /* w, n */
            "ldrd   r5, r6, [r0, #16]\n\t"  /* best, mul */
            "ldrd   r7, r8, [r0, #24]\n\t"  /* shift, value_max */
            "ldrd   r9, r10, [r0, #32]\n\t" /* table, latest */
            "movs   r0, #0\n\t"             /* the sum */
            "cmp    r10, #0\n\t"
            "bne    5f\n\t"
            "tst    r4, #1\n\t"
            "add    r4, r1, r4, lsl #2\n\t" /* the end of s */
            "beq    2f\n\t" WEIGHT_ONE "cmp    r1, r4\n\t"
            "beq    3f\n\t"
            "2:\n\t" WEIGHT_ONE WEIGHT_ONE "cmp    r1, r4\n\t"
            "bne    2b\n\t"
            "3:\n\t"
            "pop    {r4-r11, pc}\n\t"
            "5:\n\t" /* the latest run: one alone, two, then four a pass */
            "tst    r4, #1\n\t"
            "add    r4, r1, r4, lsl #2\n\t"
            "beq    6f\n\t" WEIGHT_ONE_LATEST
            "6:\n\t"
            "sub    r10, r4, r1\n\t"
            "tst    r10, #8\n\t"     /* an odd number of pairs left */
            "beq    8f\n\t" WEIGHT_TWO_LATEST("")
            "8:\n\t"
            "cmp    r1, r4\n\t"
            "beq    7f\n\t"
            "9:\n\t" WEIGHT_TWO_LATEST("") WEIGHT_TWO_LATEST("cmp    r1, r4\n\t")
            "bne    9b\n\t"
            "7:\n\t"
            "pop    {r4-r11, pc}\n\t");
}

/* The weights of n positions (sm in range), the run of the latest
 * value_max from position start on; returns their sum. */
static int32_t attention_weights_of(int16_t *w, const int32_t *s, const pl_kv_exponents *e,
                                    const pl_attention_softmax *sm, int32_t n, int32_t start)
{
    int32_t total = 0;
    if (start > 0) { /* the older runs: shifts from the exponents */
        weights_job job = {s,         &e[0].value,   w, start, (uint32_t)sm->best, sm->mul,
                           sm->shift, sm->value_max, pl_exp2_neg64, 0};
        total += attention_weights_asm(&job);
    }
    if (start < n) {
        weights_job job = {s + start, &e[start].value_shift, w + start, n - start,
                           (uint32_t)sm->best, sm->mul, sm->shift, sm->value_max,
                           pl_exp2_neg64, 1};
        total += attention_weights_asm(&job);
    }
    return total;
}

int pl_attention_weights_int_dsp(int16_t *w, const int32_t *s, const pl_kv_exponents *e,
                                 const pl_attention_softmax *sm, int32_t n, int32_t *sum)
{
    if (sm->mul >= 0x80000000u || sm->shift < 0 || sm->shift > 31) return 0;
    *sum = attention_weights_of(w, s, e, sm, n, pl_attention_latest_run(e, n, sm->value_max));
    return 1;
}

typedef struct {
    int32_t *acc;     /* 0 */
    const int16_t *w; /* 4 */
    const int8_t *v;  /* 8: ASM_ROW_BYTES from a pair to the next */
    int32_t pairs;    /* 12: at least one */
} mix_job;

/* A word of a pair's values (r10) into the sums of its two dims (lo, hi)
 * with the pair's weights (r0); `next` loads the following word while
 * SXTB16's rotated result settles. */
#define MIX_WORD_ASM(lo, hi, next)                                                                 \
    "sxtb16 r11, r10\n\t"                                                                          \
    "smlad  " lo ", r11, r0, " lo "\n\t"                                                           \
    "sxtb16 r11, r10, ror #8\n\t" next "smlad  " hi ", r11, r0, " hi "\n\t"

/* One pair of positions of attention_mix8: its weights, then its four
 * words of values - skipped when both weights are 0 (most pairs of a long
 * context: a weight is 0 once its score is 16 octaves below the best or
 * its value exponent far below the maximum). The first word's load moves
 * r12 on to the next pair, before the test, where it hides the weights'
 * load delay; the other words are read back from there. */
#define MIX_PAIR_ASM                                                                               \
    "ldr    r0, [lr], #4\n\t" /* the pair's two weights */                                         \
    "ldr    r10, [r12], #" ROW "\n\t"                                                              \
    "cbz    r0, 4f\n\t"                                                                            \
    MIX_WORD_ASM("r1", "r2", "ldr    r10, [r12, #4 - " ROW "]\n\t")                                \
    MIX_WORD_ASM("r3", "r4", "ldr    r10, [r12, #8 - " ROW "]\n\t")                                \
    MIX_WORD_ASM("r5", "r6", "ldr    r10, [r12, #12 - " ROW "]\n\t")                               \
    MIX_WORD_ASM("r7", "r8", "")                                                                   \
    "4:\n\t"

/* The weighted sum of an 8-value head: the eight sums in r1-r8 throughout;
 * r12 the values, lr the weights, r9 the end of the weights. Two pairs a
 * pass after one alone when their number is odd. */
__attribute__((naked, noinline)) static void attention_mix8(const mix_job *job)
{
    __asm__("push   {r0, r4-r11, lr}\n\t" /* r0: the job, for acc at the end */
            "ldrd   lr, r12, [r0, #4]\n\t" /* w, v */
            "ldr    r10, [r0, #12]\n\t"    /* pairs */
            "add    r9, lr, r10, lsl #2\n\t" /* the end of w */
            "ldr    r11, [r0]\n\t"
            "ldmia  r11, {r1-r8}\n\t"
            "tst    r10, #1\n\t"
            "beq    2f\n\t"
            MIX_PAIR_ASM
            "cmp    lr, r9\n\t"
            "beq    3f\n\t"
            "2:\n\t"
            MIX_PAIR_ASM
            MIX_PAIR_ASM
            "cmp    lr, r9\n\t"
            "bne    2b\n\t"
            "3:\n\t"
            "ldr    r10, [sp]\n\t"
            "ldr    r10, [r10]\n\t"
            "stmia  r10, {r1-r8}\n\t"
            "pop    {r0, r4-r11, pc}\n\t");
}

/* acc[i] and acc[i + 1] += the pair's weights times the word's values of
 * dims i and i + 1. */
#define MIX_WORD(x, wp, lo, hi)                                                                    \
    do {                                                                                           \
        lo = __smlad((int16x2_t)__sxtb16((int8x4_t)(x)), (wp), lo);                                \
        hi = __smlad((int16x2_t)__sxtb16((int8x4_t)ror8(x)), (wp), hi);                            \
    } while (0)

int pl_attention_mix_int_dsp(int32_t *acc, const int16_t *w, const int8_t *v, size_t pair_stride,
                             int32_t head_size, int32_t pairs)
{
    if (head_size % 2 != 0 || pair_stride % 4 != 0 || (((uintptr_t)v | (uintptr_t)w) & 3) != 0)
        return 0;
    if (pairs <= 0) return 1;
    if (head_size == 8 && pair_stride == ASM_ROW_BYTES) {
        mix_job job = {acc, w, v, pairs};
        attention_mix8(&job);
        return 1;
    }
    for (int32_t p = 0; p < pairs; p++, v += pair_stride) {
        int16x2_t wp = (int16x2_t)word16(w + 2 * p);
        for (int32_t i = 0; i < head_size; i += 2)
            MIX_WORD(word8(v + 2 * i), wp, acc[i], acc[i + 1]);
    }
    return 1;
}

/* stories260K's 8-value heads: the assembly loops called straight, one job
 * each set up once and moved along the key runs. */
int pl_attention_head_int_dsp(float *out, const pl_attention_head *h)
{
    if (h->head_size != 8 || h->key_stride * sizeof(int16_t) != ASM_ROW_BYTES ||
        h->pair_stride != ASM_ROW_BYTES ||
        (((uintptr_t)h->q | (uintptr_t)h->k | (uintptr_t)h->v | (uintptr_t)h->w) & 3) != 0)
        return 0;
    if (h->n < 1 || h->n_runs < 1 || h->runs[h->n_runs - 1].end != h->n) return 0;
    for (int32_t r = 0, end = 0; r < h->n_runs; end = h->runs[r++].end)
        if (h->runs[r].end <= end || h->runs[r].shift < 0 || h->runs[r].shift > 31) return 0;
    int32_t best = INT32_MIN, begin = 0;
    scores_job sj = {h->q, h->k, h->s, 0, 0};
    for (int32_t r = 0; r < h->n_runs; begin = h->runs[r++].end) {
        sj.k = h->k + (size_t)begin * h->key_stride;
        sj.s = h->s + begin;
        sj.n = h->runs[r].end - begin;
        sj.shift = h->runs[r].shift;
        int32_t b = attention_scores8(&sj);
        best = b > best ? b : best;
    }
    pl_attention_softmax sm; /* mul < 2^31, shift in [0, 31] by construction */
    pl_attention_softmax_prepare(&sm, h->logit_step, best, h->value_max);
    int32_t sum = attention_weights_of(h->w, h->s, h->e, &sm, h->n, h->latest);
    h->w[h->n] = 0; /* the partner of an odd last position */
    mix_job mj = {h->acc, h->w, h->v, (h->n + 1) / 2};
    attention_mix8(&mj);
    pl_attention_output(out, h->acc, 8, h->value_unit, sum); /* 8: unrolled */
    return 1;
}
#endif
