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
#define MAX_ROWS 9
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

typedef struct {
    int8_t w[MAX_ROWS * MAX_COLS];
    float scales[MAX_ROWS * MAX_COLS / 4], x[MAX_COLS], out_a[MAX_ROWS], out_b[MAX_ROWS];
    uint16_t f16_scales[MAX_ROWS * MAX_COLS / 8];
    int16_t q[MAX_COLS], pairs[MAX_COLS];
    float x_scales[MAX_COLS / 4];
    int16_t keys[MAX_POSITIONS * 2 * MAX_HEAD];
    int8_t values[MAX_POSITIONS * 2 * MAX_HEAD];
    float att_a[MAX_POSITIONS], att_b[MAX_POSITIONS], key_scale[MAX_POSITIONS];
    uint32_t t[MAX_POSITIONS];
    int32_t acc_a[MAX_HEAD], acc_b[MAX_HEAD];
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

/* Scores of a query against int16 keys, then the integer weighted sum of
 * int8 values over a random subset of the positions. */
static int attention_case(buffers *b)
{
    static const int32_t heads[] = {8, 16, 48};
    int32_t hs = heads[next_random() % 3], stride = 2 * hs, n = random_in(1, MAX_POSITIONS);
    for (int32_t i = 0; i < n * stride; i++) {
        b->keys[i] = (int16_t)random_in(-2730, 2730); /* key_max for 48-value heads */
        b->values[i] = (int8_t)random_in(-127, 127);
    }
    for (int32_t i = 0; i < hs; i++) b->q[i] = (int16_t)random_in(-16383, 16383);
    for (int32_t t = 0; t < n; t++) b->key_scale[t] = random_unit() * 0.001f;
    float qf = random_unit() * 0.01f, best_a;
    if (!pl_attention_scores_int_dsp(b->att_a, b->q, b->keys + hs, (size_t)stride, b->key_scale, qf,
                                     hs, n, &best_a))
        return 0;
    float best_b = pl_attention_scores_int_portable(b->att_b, b->q, b->keys + hs, (size_t)stride,
                                                    b->key_scale, qf, hs, n);
    int same = memcmp(b->att_a, b->att_b, (size_t)n * sizeof(float)) == 0 && best_a == best_b;
    int32_t count = 0;
    for (int32_t t = 0; t < n; t++)
        if (next_random() & 1) b->t[count++] = (uint32_t)t;
    for (int32_t j = 0; j < count; j++) b->att_a[j] = random_unit();
    memset(b->acc_a, 0, sizeof(b->acc_a));
    memset(b->acc_b, 0, sizeof(b->acc_b));
    if (pl_attention_mix_int_dsp(b->acc_a, b->t, b->att_a, 16383.0f, count, b->values,
                                 (size_t)stride, hs)) {
        pl_attention_mix_int_portable(b->acc_b, b->t, b->att_a, 16383.0f, count, b->values,
                                      (size_t)stride, hs);
        same &= memcmp(b->acc_a, b->acc_b, sizeof(b->acc_a)) == 0;
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
    for (int i = 0; i < 40; i++, cases += 3) {
        bad += !matmul_case(b);
        bad += !matmul_q4_case(b);
        bad += !attention_case(b);
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
