/* selftest.c - at boot, the SIMD kernels against the portable ones on
 * pseudo-random inputs. The board must tell the host's story for the same
 * image and seed, which holds only if the two agree bit for bit; the
 * banner says whether they do. */
#include "selftest.h"

#include <string.h>

#include "../../engine/kernels/attention.h"
#include "../../engine/kernels/matmul.h"
#include "fmt.h"
#include "memory.h"

#define MAX_COLS 192
#define MAX_ROWS 20
#define MAX_POSITIONS 48
#define MAX_HEAD 48

static char status[96];
static uint32_t rng = 0x2545F491u;

static uint32_t next_random(void)
{
    rng ^= rng << 13; /* xorshift32 */
    rng ^= rng >> 17;
    rng ^= rng << 5;
    return rng;
}

static int32_t random_in(int32_t lo, int32_t hi) { return lo + (int32_t)(next_random() % (uint32_t)(hi - lo + 1)); }
static float random_unit(void) { return (float)(next_random() >> 8) / 16777216.0f; }

/* The kernels read the int8 and int16 arrays a word (or two) at a time:
 * each starts on a word. */
typedef struct {
    _Alignas(4) int8_t w[MAX_ROWS * MAX_COLS];
    float scales[MAX_ROWS * MAX_COLS / 4], x[MAX_COLS], out_a[MAX_ROWS], out_b[MAX_ROWS];
    uint16_t f16_scales[MAX_ROWS * MAX_COLS / 8];
    _Alignas(4) int16_t q[MAX_COLS];
    _Alignas(4) int16_t pairs[MAX_COLS];
    float x_scales[MAX_COLS / 4];
    _Alignas(4) int16_t keys[MAX_POSITIONS * 2 * MAX_HEAD];
    _Alignas(4) int8_t values[MAX_POSITIONS * 2 * MAX_HEAD];
    pl_kv_exponents exp[MAX_POSITIONS];
    int32_t s_a[MAX_POSITIONS], s_b[MAX_POSITIONS];
    _Alignas(4) int16_t weights[MAX_POSITIONS];
    _Alignas(4) int16_t weights_a[MAX_POSITIONS];
    int32_t acc_a[MAX_HEAD], acc_b[MAX_HEAD];
    float out_head_a[MAX_HEAD], out_head_b[MAX_HEAD];
} buffers;

/* One int8 matrix product: rows x cols in groups; 1 if both kernels agree
 * (so do the other cases). */
static int matmul_case(buffers *b)
{
    static const int32_t shapes[][2] = {{64, 32}, {172, 172}, {96, 16}, {192, 64}, {64, 64}};
    const int32_t *shape = shapes[next_random() % 5];
    int32_t cols = shape[0], group = shape[1], rows = random_in(1, MAX_ROWS);
    for (int32_t i = 0; i < rows * cols; i++) b->w[i] = (int8_t)random_in(-127, 127);
    for (int32_t i = 0; i < rows * cols / group; i++) b->scales[i] = random_unit() * 0.01f;
    if (next_random() % 4 == 0) { /* a zero row, negative scales: products of -0.0f */
        int32_t r = random_in(0, rows - 1), groups = cols / group;
        memset(b->w + r * cols, 0, (size_t)cols);
        for (int32_t g = 0; g < groups; g++) b->scales[r * groups + g] *= -1.0f;
    }
    for (int32_t i = 0; i < cols; i++) b->x[i] = random_unit() * 4.0f - 2.0f;
    pl_qvec xq = {b->q, b->x_scales, 0, 0, b->pairs, PL_PAIRS_Q8};
    pl_quantize_activations(&xq, b->x, cols, group);
    if (!pl_matmul_q8_dsp(b->out_a, &xq, b->w, b->scales, cols, 0, rows)) return 0;
    pl_matmul_q8_portable(b->out_b, &xq, b->w, b->scales, cols, 0, rows);
    return memcmp(b->out_a, b->out_b, (size_t)rows * sizeof(float)) == 0;
}

/* One 4-bit matrix product (random nibbles, float16 scales). */
static int matmul_q4_case(buffers *b)
{
    static const int32_t shapes[][2] = {{64, 32}, {192, 64}, {96, 96}, {128, 8}};
    const int32_t *shape = shapes[next_random() % 4];
    int32_t cols = shape[0], group = shape[1], rows = random_in(1, MAX_ROWS);
    uint8_t *w = (uint8_t *)b->w;
    for (int32_t i = 0; i < rows * cols / 2; i++) w[i] = (uint8_t)next_random();
    for (int32_t i = 0; i < rows * cols / group; i++)
        b->f16_scales[i] = (uint16_t)(0x1800 + (next_random() & 0x0FFF)); /* 2^-9 .. 2^-6 */
    for (int32_t i = 0; i < cols; i++) b->x[i] = random_unit() * 4.0f - 2.0f;
    pl_qvec xq = {b->q, b->x_scales, 0, 0, b->pairs, PL_PAIRS_Q4};
    pl_quantize_activations(&xq, b->x, cols, group);
    if (!pl_matmul_q4_dsp(b->out_a, &xq, w, b->f16_scales, cols, 0, rows)) return 0;
    pl_matmul_q4_portable(b->out_b, &xq, w, b->f16_scales, cols, 0, rows);
    return memcmp(b->out_a, b->out_b, (size_t)rows * sizeof(float)) == 0;
}

/* Integer scores of a query against int16 keys, shifted; softmax weights
 * of random scores from the table, shifted to random value exponents;
 * then the weighted sum of int8 values in pairs of positions. */
static int attention_case(buffers *b)
{
    static const int32_t heads[] = {8, 16, 48};
    /* 8-value heads in stories260K's rows (4 kv heads: the assembly's), others in 2 */
    int32_t hs = heads[next_random() % 3], stride = (hs == 8 ? 4 : 2) * hs;
    int32_t n = random_in(1, MAX_POSITIONS);
    for (int32_t i = 0; i < n * stride; i++) {
        b->keys[i] = (int16_t)random_in(-2730, 2730); /* key_max for 48-value heads */
        b->values[i] = (int8_t)random_in(-127, 127);
    }
    for (int32_t i = 0; i < hs; i++) b->q[i] = (int16_t)random_in(-16384, 16383);
    int32_t shift = random_in(0, 1) * random_in(1, 31), best_a; /* 0 half the time: its loop */
    if (!pl_attention_scores_int_dsp(b->s_a, b->q, b->keys + hs, (size_t)stride, shift, hs, n,
                                     &best_a))
        return 0;
    int32_t best_b = pl_attention_scores_int_portable(b->s_b, b->q, b->keys + hs, (size_t)stride,
                                                      shift, hs, n);
    int same = memcmp(b->s_a, b->s_b, (size_t)n * sizeof(int32_t)) == 0 && best_a == best_b;
    /* weights: scores spread over the table and past its end; value
     * exponents as the cache holds them, the running maximum rising in
     * steps to the latest one from position `split` on (none: split = n) */
    pl_attention_softmax sm;
    int32_t latest = random_in(-20, 3), split = random_in(0, n);
    pl_attention_softmax_prepare(&sm, random_unit() * 1e-4f, best_a, latest);
    for (int32_t t = 0; t < n; t++) {
        b->s_b[t] = (int32_t)((uint32_t)best_a - (next_random() >> random_in(1, 24)));
        int32_t value_max = t < split ? latest - 1 - (split - 1 - t) / 4 : latest;
        int32_t value = value_max - random_in(0, 20);
        b->exp[t].value = (int8_t)value;
        b->exp[t].value_max = (int8_t)value_max;
        b->exp[t].value_shift = (int8_t)(value_max - value < 15 ? value_max - value : 15);
    }
    int32_t sum_a;
    if (!pl_attention_weights_int_dsp(b->weights_a, b->s_b, b->exp, &sm, n, &sum_a)) return 0;
    int32_t sum_b = pl_attention_weights_int_portable(b->weights, b->s_b, b->exp, &sm, n);
    same &= sum_a == sum_b && memcmp(b->weights_a, b->weights, (size_t)n * sizeof(int16_t)) == 0;
    /* the weighted sum, with random weights of every size, and pairs of
     * positions with one or both weights 0 (the kernel skips the latter) */
    int32_t pairs = (n + 1) / 2;
    for (int32_t p = 0; p < pairs; p++) {
        int32_t zeros = random_in(0, 3); /* none, the first, the second, both */
        b->weights[2 * p] = (int16_t)(zeros & 1 ? 0 : random_in(0, 32767));
        b->weights[2 * p + 1] = (int16_t)(zeros & 2 ? 0 : random_in(0, 32767));
    }
    memset(b->acc_a, 0, sizeof(b->acc_a));
    memset(b->acc_b, 0, sizeof(b->acc_b));
    if (!pl_attention_mix_int_dsp(b->acc_a, b->weights, b->values + 2 * hs, (size_t)(2 * stride),
                                  hs, pairs))
        return 0;
    pl_attention_mix_int_portable(b->acc_b, b->weights, b->values + 2 * hs, (size_t)(2 * stride),
                                  hs, pairs);
    return same && memcmp(b->acc_a, b->acc_b, sizeof(b->acc_a)) == 0;
}

/* A whole 8-value head in one call (pl_attention_head_int): keys in up to
 * four runs, the older ones shifted by 1 to 3 (their scores stay near the
 * latest run's, so their weights count), a logit step that spreads the
 * weights over the table (a score step of 2^-20..2^-28 natural-log units,
 * as the cache's scales make them), value exponents rising to the latest
 * one from a random position, an odd or even number of positions; the
 * scores, the weights (and the odd position's partner), the sums and the
 * outputs compared. */
static int attention_head_case(buffers *b)
{
    enum { HS = 8, STRIDE = 4 * HS }; /* stories260K's rows: 4 kv heads */
    int32_t n = random_in(1, MAX_POSITIONS - 1), value_max = random_in(-20, 3);
    int32_t latest = random_in(0, n), runs_n = random_in(1, n < 4 ? n : 4);
    pl_key_run runs[4];
    for (int32_t r = 0, begin = 0; r < runs_n; r++) { /* none empty; the last at shift 0 */
        int32_t end = r + 1 == runs_n ? n : random_in(begin + 1, n - (runs_n - 1 - r));
        runs[r] = (pl_key_run){end, r + 1 == runs_n ? 0 : random_in(1, 3)};
        begin = end;
    }
    for (int32_t i = 0; i < n * STRIDE; i++) {
        b->keys[i] = (int16_t)random_in(-16383, 16383);
        b->values[i] = (int8_t)random_in(-127, 127);
    }
    for (int32_t i = 0; i < HS; i++) b->q[i] = (int16_t)random_in(-16384, 16383);
    for (int32_t t = 0; t < n; t++) {
        int32_t max_t = t < latest ? value_max - 1 - (latest - 1 - t) / 4 : value_max;
        int32_t value = max_t - random_in(0, 20);
        b->exp[t] = (pl_kv_exponents){0, (int8_t)value, (int8_t)max_t,
                                      (int8_t)(max_t - value < 15 ? max_t - value : 15)};
    }
    pl_attention_head h = {b->q, b->keys + HS, STRIDE, b->exp, b->values + 2 * HS, 2 * STRIDE,
                           runs, runs_n, HS, n, pl_attention_latest_run(b->exp, n, value_max),
                           random_unit() / (float)(1u << random_in(20, 28)), value_max, 0.5f,
                           b->s_a, b->weights_a, b->acc_a};
    memset(b->acc_a, 0, sizeof(b->acc_a));
    memset(b->acc_b, 0, sizeof(b->acc_b));
    if (!pl_attention_head_int_dsp(b->out_head_a, &h)) return 0;
    h.s = b->s_b;
    h.w = b->weights;
    h.acc = b->acc_b;
    pl_attention_head_int_portable(b->out_head_b, &h);
    return memcmp(b->out_head_a, b->out_head_b, HS * sizeof(float)) == 0 &&
           memcmp(b->acc_a, b->acc_b, sizeof(b->acc_a)) == 0 &&
           memcmp(b->s_a, b->s_b, (size_t)n * sizeof(int32_t)) == 0 &&
           memcmp(b->weights_a, b->weights, (size_t)(n + 1) * sizeof(int16_t)) == 0;
}

/* The activation quantizer (its M33 assembly path) against its formula
 * written out here: per group, scale = max|x| / 16383, codes = x * (16383 /
 * max|x|) rounded half away from zero, and the Q8 pairs x0 x2 x1 x3. */
static int quantize_case(buffers *b)
{
    static const int32_t shapes[][2] = {{64, 32}, {172, 172}, {64, 8}, {192, 64}, {96, 16}};
    const int32_t *shape = shapes[next_random() % 5];
    int32_t n = shape[0], group = shape[1];
    int with_pairs = (int)(next_random() & 1);
    float range = random_unit() * 8.0f;
    for (int32_t i = 0; i < n; i++) b->x[i] = (random_unit() * 2.0f - 1.0f) * range;
    pl_qvec xq = {b->q, b->x_scales, n, group, with_pairs ? b->pairs : NULL, PL_PAIRS_Q8};
    pl_quantize_groups(&xq, b->x, 0, n / group);
    int same = 1;
    for (int32_t g = 0; g < n / group; g++) {
        const float *xg = b->x + g * group;
        float wmax = 0.0f;
        for (int32_t i = 0; i < group; i++) wmax = __builtin_fmaxf(wmax, __builtin_fabsf(xg[i]));
        float inv = wmax < 1e-30f ? 0.0f : PL_ACT_MAX / wmax;
        same &= b->x_scales[g] == wmax / PL_ACT_MAX;
        for (int32_t i = 0; i < group; i++) {
            int32_t code = pl_round(xg[i] * inv);
            code = code > PL_ACT_MAX ? PL_ACT_MAX : (code < -PL_ACT_MAX - 1 ? -PL_ACT_MAX - 1 : code);
            int32_t k = g * group + i, paired = (k & ~3) + ((k & 1) << 1) + ((k & 2) >> 1);
            same &= b->q[k] == code;
            if (with_pairs) same &= b->pairs[paired] == code;
        }
    }
    return same;
}

void selftest_run(void)
{
    buffers *b = memory_take(&sram_pool, sizeof(buffers));
    if (!b) {
        fmt(status, sizeof(status), "kernels: no memory for the self-test");
        return;
    }
    int cases = 0, bad = 0;
    for (int i = 0; i < 40; i++, cases += 5) {
        bad += !quantize_case(b);
        bad += !matmul_case(b);
        bad += !matmul_q4_case(b);
        bad += !attention_case(b);
        bad += !attention_head_case(b);
    }
    memory_reset(); /* the model's placement starts from an empty pool */
    if (bad == 0)
        fmt(status, sizeof(status), "kernels: SIMD = portable, bit for bit, on %d random cases",
            cases);
    else
        fmt(status, sizeof(status), "kernels: SIMD and portable DIFFER on %d of %d cases", bad,
            cases);
}

const char *selftest_status(void) { return status; }
