/* test_transformer.c - the forward pass against an independent, plain
 * double-precision Llama-2 implementation, on random weights in shapes no
 * published model has: grouped-query ratios 1:1, 2:1, 3:1, a separate
 * classifier. Logits must agree to float accuracy at every position. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "checkpoint.h"
#include "quant.h"
#include "transformer.h"

static uint64_t rng_state;

static float rnd(float a)
{
    rng_state = rng_state * 6364136223846793005ull + 1442695040888963407ull;
    return ((float)(rng_state >> 40) / 16777216.0f * 2.0f - 1.0f) * a;
}

/* A random checkpoint in memory: header + weights in run.c's order. */
static float *make_model(const pl_config *c, int shared, size_t *len)
{
    *len = pl_checkpoint_size(c, shared);
    float *buf = aligned_alloc(16, (*len + 15) & ~(size_t)15);
    int32_t header[7] = {c->dim, c->hidden_dim, c->n_layers, c->n_heads, c->n_kv_heads,
                         shared ? c->vocab_size : -c->vocab_size, c->seq_len};
    memcpy(buf, header, 28);
    float *w = (float *)((char *)buf + 28);
    size_t n = (*len - 28) / 4;
    for (size_t i = 0; i < n; i++) w[i] = rnd(0.3f);
    return buf;
}

/* ---- reference implementation (double precision, straight from the paper) */

typedef struct {
    const pl_config *c;
    const pl_weights *w;
    double *kcache, *vcache; /* (layers, seq, kv_dim) */
} ref_model;

static double f32(const pl_tensor *t, int r, int k) { return ((const float *)t->data)[(size_t)r * t->cols + k]; }

static void ref_matvec(double *out, const pl_tensor *t, const double *x)
{
    for (int r = 0; r < t->rows; r++) {
        double s = 0;
        for (int k = 0; k < t->cols; k++) s += f32(t, r, k) * x[k];
        out[r] = s;
    }
}

static void ref_rmsnorm(double *o, const double *x, const float *g, int n)
{
    double ss = 0;
    for (int i = 0; i < n; i++) ss += x[i] * x[i];
    double inv = 1.0 / sqrt(ss / n + 1e-5);
    for (int i = 0; i < n; i++) o[i] = g[i] * x[i] * inv;
}

static void ref_rope(double *v, int n, int head_size, int pos)
{
    for (int i = 0; i < n; i += 2) {
        double freq = pow(10000.0, -(double)(i % head_size) / head_size);
        double a = pos * freq, c = cos(a), s = sin(a);
        double v0 = v[i], v1 = v[i + 1];
        v[i] = v0 * c - v1 * s;
        v[i + 1] = v0 * s + v1 * c;
    }
}

static void ref_forward(ref_model *m, int token, int pos, double *logits)
{
    const pl_config *c = m->c;
    int dim = c->dim, hs = dim / c->n_heads, kv_dim = hs * c->n_kv_heads;
    int group = c->n_heads / c->n_kv_heads;
    double x[512], xb[512], q[512], att[2048], hb[1024], hb2[1024], tmp[512];
    assert_true(dim <= 512 && c->hidden_dim <= 1024 && c->seq_len <= 2048);
    for (int i = 0; i < dim; i++) x[i] = f32(&m->w->embedding, token, i);
    for (int l = 0; l < c->n_layers; l++) {
        const pl_layer_weights *L = &m->w->layers[l];
        double *kc = m->kcache + (size_t)l * c->seq_len * kv_dim;
        double *vc = m->vcache + (size_t)l * c->seq_len * kv_dim;
        ref_rmsnorm(xb, x, L->rms_att, dim);
        ref_matvec(q, &L->wq, xb);
        ref_matvec(kc + pos * kv_dim, &L->wk, xb);
        ref_matvec(vc + pos * kv_dim, &L->wv, xb);
        ref_rope(q, dim, hs, pos);
        ref_rope(kc + pos * kv_dim, kv_dim, hs, pos);
        for (int h = 0; h < c->n_heads; h++) {
            int kvh = h / group;
            double mx = -1e300, sum = 0;
            for (int t = 0; t <= pos; t++) {
                double s = 0;
                for (int i = 0; i < hs; i++) s += q[h * hs + i] * kc[t * kv_dim + kvh * hs + i];
                att[t] = s / sqrt(hs);
                if (att[t] > mx) mx = att[t];
            }
            for (int t = 0; t <= pos; t++) sum += (att[t] = exp(att[t] - mx));
            for (int i = 0; i < hs; i++) {
                double acc = 0;
                for (int t = 0; t <= pos; t++) acc += att[t] / sum * vc[t * kv_dim + kvh * hs + i];
                xb[h * hs + i] = acc;
            }
        }
        ref_matvec(tmp, &L->wo, xb);
        for (int i = 0; i < dim; i++) x[i] += tmp[i];
        ref_rmsnorm(xb, x, L->rms_ffn, dim);
        ref_matvec(hb, &L->w1, xb);
        ref_matvec(hb2, &L->w3, xb);
        for (int i = 0; i < c->hidden_dim; i++) hb[i] = hb[i] / (1 + exp(-hb[i])) * hb2[i];
        ref_matvec(tmp, &L->w2, hb);
        for (int i = 0; i < dim; i++) x[i] += tmp[i];
    }
    ref_rmsnorm(xb, x, m->w->rms_final, dim);
    ref_matvec(logits, &m->w->classifier, xb);
}

static int quantize_matrices(pl_transformer *t, const pl_config *c, int straddle, int8_t **q,
                             float **sc);

/* Runs every position of a random model of shape c with options opt (and
 * int8 matrices with q8) and checks the logits against the
 * double-precision reference of the float model: the worst error relative
 * to the largest logit stays within tolerance. */
static void check_shape_q8(pl_config c, int shared, uint64_t seed, const pl_options *opt,
                           double tolerance, int q8)
{
    rng_state = seed;
    size_t len;
    float *file = make_model(&c, shared, &len);
    pl_config got;
    int got_shared;
    assert_int_equal(pl_checkpoint_read_config(file, len, &got, &got_shared, NULL), PL_OK);
    assert_int_equal(got_shared, shared);
    size_t arena_size = pl_transformer_arena_size(&got, opt);
    void *arena = malloc(arena_size);
    pl_transformer t;
    assert_int_equal(pl_transformer_init(&t, &got, opt, arena, arena_size), PL_OK);
    assert_int_equal(pl_checkpoint_bind(file, len, &got, got_shared, &t.w), PL_OK);

    /* the reference keeps the float matrices */
    pl_weights float_w = t.w;
    float_w.layers = malloc(sizeof(pl_layer_weights) * (size_t)c.n_layers);
    memcpy(float_w.layers, t.w.layers, sizeof(pl_layer_weights) * (size_t)c.n_layers);
    int8_t *q[64];
    float *sc[64];
    int nq = q8 ? quantize_matrices(&t, &got, 0, q, sc) : 0;
    int kv_dim = c.dim / c.n_heads * c.n_kv_heads;
    ref_model ref = {&t.cfg, &float_w, calloc((size_t)c.n_layers * c.seq_len * kv_dim, sizeof(double)),
                     calloc((size_t)c.n_layers * c.seq_len * kv_dim, sizeof(double))};
    double *want = malloc(sizeof(double) * c.vocab_size);
    double worst = 0;
    for (int pos = 0; pos < c.seq_len; pos++) {
        int token = (pos * 7 + 3) % c.vocab_size;
        const float *logits = pl_forward(&t, token, pos);
        assert_non_null(logits);
        ref_forward(&ref, token, pos, want);
        double scale = 0;
        for (int i = 0; i < c.vocab_size; i++) scale = fmax(scale, fabs(want[i]));
        for (int i = 0; i < c.vocab_size; i++) worst = fmax(worst, fabs(logits[i] - want[i]) / scale);
    }
    if (worst > tolerance) print_error("worst relative logit error %g\n", worst);
    assert_true(worst <= tolerance);
    /* out-of-range inputs are refused, not read */
    assert_null(pl_forward(&t, c.vocab_size, 0));
    assert_null(pl_forward(&t, -1, 0));
    assert_null(pl_forward(&t, 0, c.seq_len));
    for (int i = 0; i < nq; i++) {
        free(q[i]);
        free(sc[i]);
    }
    free(float_w.layers);
    free(want);
    free(ref.kcache);
    free(ref.vcache);
    free(arena);
    free(file);
}

static void check_shape_with(pl_config c, int shared, uint64_t seed, const pl_options *opt,
                             double tolerance)
{
    check_shape_q8(c, shared, seed, opt, tolerance, 0);
}

static void check_shape(pl_config c, int shared, uint64_t seed)
{
    check_shape_with(c, shared, seed, NULL, 1e-4);
}

static const pl_options compact_fast = {PL_KV_COMPACT, 1, 1};

static void gqa_1_to_1(void **state) { (void)state; check_shape((pl_config){64, 96, 2, 8, 8, 64, 24}, 1, 1); }
static void gqa_2_to_1(void **state) { (void)state; check_shape((pl_config){64, 172, 2, 8, 4, 64, 24}, 1, 2); }
static void gqa_3_to_1(void **state) { (void)state; check_shape((pl_config){48, 80, 3, 6, 2, 50, 20}, 1, 3); }
static void separate_classifier(void **state) { (void)state; check_shape((pl_config){32, 64, 2, 4, 4, 40, 16}, 0, 4); }
static void multi_query(void **state) { (void)state; check_shape((pl_config){32, 48, 1, 4, 1, 30, 16}, 1, 5); }

/* int16 keys / int8 values: close to the exact model, in every shape. */
static void compact_kv_gqa_2_to_1(void **state)
{
    (void)state;
    check_shape_with((pl_config){64, 172, 2, 8, 4, 64, 24}, 1, 2, &compact_fast, 2e-2);
}
static void compact_kv_wide_heads(void **state) /* 48-value heads: a smaller key range */
{
    (void)state;
    check_shape_with((pl_config){96, 128, 2, 2, 1, 40, 16}, 0, 6, &compact_fast, 2e-2);
}
static void compact_kv_long_context(void **state) /* more positions than one int32 mix sum */
{
    (void)state;
    check_shape_with((pl_config){16, 24, 1, 2, 1, 20, 1100}, 1, 7, &compact_fast, 2e-2);
}

/* int8 matrices with the fast options (their RMSNorm outputs quantized
 * straight from the residual stream, SwiGLU from its table, integer
 * attention): close to the exact float model. */
static void q8_fast_is_close(void **state)
{
    (void)state;
    check_shape_q8((pl_config){64, 172, 2, 8, 4, 64, 24}, 1, 2, &compact_fast, 3e-2, 1);
}

/* The logits of every position of a model, its KV cache split after
 * count0 positions (0: not split). */
static float *run_split(const float *file, size_t len, const pl_config *c, const pl_options *opt,
                        int32_t count0)
{
    float *all = malloc(sizeof(float) * (size_t)c->vocab_size * (size_t)c->seq_len);
    pl_transformer t;
    size_t state_size = pl_transformer_state_size(c, opt);
    void *state = malloc(state_size), *arena = NULL, *kv0 = NULL, *kv1 = NULL;
    if (count0 == 0) {
        arena = malloc(pl_transformer_arena_size(c, opt));
        assert_int_equal(pl_transformer_init(&t, c, opt, arena, pl_transformer_arena_size(c, opt)),
                         PL_OK);
    } else {
        size_t size0 = pl_kv_size(c, opt->kv, count0);
        size_t size1 = pl_kv_size(c, opt->kv, c->seq_len - count0);
        assert_int_equal(pl_kv_positions(c, opt->kv, size0), count0);
        kv0 = aligned_alloc(16, size0);
        kv1 = aligned_alloc(16, size1 ? (size1 + 15) / 16 * 16 : 16);
        assert_int_equal(pl_transformer_init_split(&t, c, opt, state, state_size, kv0, size0,
                                                   kv1, size1),
                         PL_OK);
        assert_int_equal(t.s.kv.segments, count0 < c->seq_len ? 2 : 1);
    }
    assert_int_equal(pl_checkpoint_bind(file, len, c, 1, &t.w), PL_OK);
    for (int32_t pos = 0; pos < c->seq_len; pos++) {
        const float *logits = pl_forward(&t, (pos * 5 + 1) % c->vocab_size, pos);
        memcpy(all + (size_t)pos * c->vocab_size, logits, sizeof(float) * c->vocab_size);
    }
    free(state);
    free(arena);
    free(kv0);
    free(kv1);
    return all;
}

/* Where the KV cache is split between two memories changes no bit. */
static void kv_split_is_invisible(void **state)
{
    (void)state;
    pl_config c = {32, 48, 2, 4, 2, 30, 20};
    rng_state = 11;
    size_t len;
    float *file = make_model(&c, 1, &len);
    const pl_options *options[2] = {&pl_reference_options, &compact_fast};
    /* a compact segment holds whole pairs of positions (kv_cache.h) */
    const int32_t splits[2][4] = {{1, 7, 19, 20}, {2, 8, 18, 20}};
    for (int o = 0; o < 2; o++) {
        float *whole = run_split(file, len, &c, options[o], 0);
        for (size_t i = 0; i < 4; i++) {
            float *split = run_split(file, len, &c, options[o], splits[o][i]);
            assert_memory_equal(whole, split, sizeof(float) * c.vocab_size * c.seq_len);
            free(split);
        }
        free(whole);
    }
    free(file);
}

/* Runs the parts of a task one after another, first part first or (with
 * parts_last_first) last part first: a part that used another's results
 * too early sees them missing in one of the two orders. */
static int parts_last_first;

static void parts_in_order(void *ctx, pl_task_fn fn, void *arg, int32_t max_parts)
{
    (void)ctx;
    for (int32_t i = 0; i < max_parts; i++)
        fn(arg, parts_last_first ? max_parts - 1 - i : i, max_parts);
}

/* The quantization group of an int8 matrix of cols columns: 16, or 24 for
 * wo when asked (so that groups straddle two parts' heads), or the whole
 * row when 16 does not divide it. */
static int32_t group_for(int32_t cols, int is_wo, int straddle)
{
    if (is_wo && straddle) return 24;
    return cols % 16 == 0 ? 16 : cols;
}

/* The checkpoint's floats of t's layers as int8 matrices (groups of 16,
 * group_for); returns how many, their buffers in q and sc. */
static int quantize_matrices(pl_transformer *t, const pl_config *c, int straddle, int8_t **q,
                             float **sc)
{
    pl_layer_weights *L = t->w.layers;
    int nq = 0;
    for (int32_t l = 0; l < c->n_layers; l++) {
        pl_tensor *all[7] = {&L[l].wq, &L[l].wk, &L[l].wv, &L[l].wo, &L[l].w1, &L[l].w2, &L[l].w3};
        for (int i = 0; i < 7; i++, nq++) {
            pl_tensor *w = all[i];
            int32_t group = group_for(w->cols, i == 3, straddle);
            q[nq] = aligned_alloc(16, (size_t)(w->rows * w->cols + 15) / 16 * 16);
            sc[nq] = malloc(sizeof(float) * (size_t)(w->rows * w->cols / group));
            pl_quantize_q8(w->data, w->rows, w->cols, group, q[nq], sc[nq]);
            *w = (pl_tensor){PL_DTYPE_Q8, w->rows, w->cols, group, q[nq], sc[nq]};
        }
    }
    return nq;
}

/* The logits of every position of a model with its work in `parts` parts
 * (int8 weights: the parts quantize the attention's output for wo). */
static float *run_parts_of(const pl_config *c, int32_t parts, uint64_t seed, int straddle)
{
    rng_state = seed;
    size_t len;
    float *file = make_model(c, 1, &len);
    pl_options opt = compact_fast;
    opt.parts = parts;
    size_t arena_size = pl_transformer_arena_size(c, &opt);
    void *arena = malloc(arena_size);
    pl_transformer t;
    assert_int_equal(pl_transformer_init(&t, c, &opt, arena, arena_size), PL_OK);
    assert_int_equal(pl_checkpoint_bind(file, len, c, 1, &t.w), PL_OK);
    int8_t *q[64];
    float *sc[64];
    int nq = quantize_matrices(&t, c, straddle, q, sc);
    if (parts > 1) t.parallel = parts_in_order;
    float *all = malloc(sizeof(float) * (size_t)c->vocab_size * (size_t)c->seq_len);
    for (int32_t pos = 0; pos < c->seq_len; pos++) {
        const float *logits = pl_forward(&t, (pos * 5 + 1) % c->vocab_size, pos);
        memcpy(all + (size_t)pos * c->vocab_size, logits, sizeof(float) * c->vocab_size);
    }
    for (int i = 0; i < nq; i++) {
        free(q[i]);
        free(sc[i]);
    }
    free(arena);
    free(file);
    return all;
}

/* Splitting the work between cores changes no bit: per-head RoPE of the
 * queries, each part storing its heads' keys and values, query
 * quantization, the kv heads split evenly between the parts,
 * wo's input quantized by the parts (groups inside one part's heads, and
 * groups that straddle two), residual adds in the parts, and the RMSNorm
 * after wo and w2 quantized by their parts (pl_quantize_normed_groups). */
static void parts_are_invisible(void **state)
{
    (void)state;
    const pl_config shapes[] = {
        {64, 172, 2, 8, 4, 64, 24}, /* stories260K's ratios: whole groups per part */
        {48, 64, 2, 6, 3, 40, 12},  /* 3 kv heads, wo in groups of 24: some straddle parts */
        {32, 48, 1, 4, 1, 30, 10},  /* one kv head: one part does all the attention */
    };
    for (size_t i = 0; i < sizeof(shapes) / sizeof(shapes[0]); i++) {
        const pl_config *c = &shapes[i];
        float *one = run_parts_of(c, 1, 40 + i, i == 1);
        for (int32_t parts = 2; parts <= 3; parts++) {
            for (parts_last_first = 0; parts_last_first < 2; parts_last_first++) {
                float *many = run_parts_of(c, parts, 40 + i, i == 1);
                assert_memory_equal(one, many, sizeof(float) * c->vocab_size * c->seq_len);
                free(many);
            }
        }
        free(one);
    }
}

static void kv_split_bad_arguments(void **state)
{
    (void)state;
    pl_config c = {32, 48, 2, 4, 2, 30, 20};
    pl_transformer t;
    size_t state_size = pl_transformer_state_size(&c, &compact_fast);
    void *st = malloc(state_size);
    size_t half = pl_kv_size(&c, PL_KV_COMPACT, 10);
    uint8_t *kv0 = aligned_alloc(16, half), *kv1 = aligned_alloc(16, half);
    /* no first segment; misaligned; too small for one position */
    assert_int_equal(pl_transformer_init_split(&t, &c, &compact_fast, st, state_size, NULL, half,
                                               kv1, half), PL_E_ARG);
    assert_int_equal(pl_transformer_init_split(&t, &c, &compact_fast, st, state_size, kv0 + 4,
                                               half - 16, kv1, half), PL_E_ALIGN);
    assert_int_equal(pl_transformer_init_split(&t, &c, &compact_fast, st, state_size, kv0, 8,
                                               kv1, half), PL_E_NO_MEMORY);
    /* the rest has nowhere to go, or too little room */
    assert_int_equal(pl_transformer_init_split(&t, &c, &compact_fast, st, state_size, kv0, half,
                                               NULL, 0), PL_E_NO_MEMORY);
    assert_int_equal(pl_transformer_init_split(&t, &c, &compact_fast, st, state_size, kv0, half,
                                               kv1, half - 1), PL_E_NO_MEMORY);
    /* state too small */
    assert_int_equal(pl_transformer_init_split(&t, &c, &compact_fast, st, state_size / 2, kv0,
                                               half, kv1, half), PL_E_NO_MEMORY);
    assert_int_equal(pl_transformer_init_split(&t, &c, &compact_fast, st, state_size, kv0, half,
                                               kv1, half), PL_OK);
    /* a position of a layer: 8 bytes per kv value as floats, 3 (+ four
     * exponent bytes) compact, up to 16 bytes of alignment per array */
    size_t rows = (size_t)c.n_layers * 512, kv_dim = 16;
    assert_int_equal(pl_kv_size(&c, PL_KV_F32, 512), rows * 8 * kv_dim);
    size_t q = pl_kv_size(&c, PL_KV_COMPACT, 512);
    assert_true(q >= rows * (3 * kv_dim + 4) && q < rows * (3 * kv_dim + 4) + 48);
    /* compact segments hold whole pairs of positions, unless all of them */
    assert_int_equal(pl_kv_positions(&c, PL_KV_COMPACT, pl_kv_size(&c, PL_KV_COMPACT, 7)), 6);
    assert_int_equal(pl_kv_positions(&c, PL_KV_F32, pl_kv_size(&c, PL_KV_F32, 7)), 7);
    pl_config odd = c;
    odd.seq_len = 21;
    assert_int_equal(pl_kv_positions(&odd, PL_KV_COMPACT, pl_kv_size(&odd, PL_KV_COMPACT, 21)),
                     21);
    free(st);
    free(kv0);
    free(kv1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(gqa_1_to_1),
        cmocka_unit_test(gqa_2_to_1),
        cmocka_unit_test(gqa_3_to_1),
        cmocka_unit_test(separate_classifier),
        cmocka_unit_test(multi_query),
        cmocka_unit_test(compact_kv_gqa_2_to_1),
        cmocka_unit_test(compact_kv_wide_heads),
        cmocka_unit_test(compact_kv_long_context),
        cmocka_unit_test(q8_fast_is_close),
        cmocka_unit_test(parts_are_invisible),
        cmocka_unit_test(kv_split_is_invisible),
        cmocka_unit_test(kv_split_bad_arguments),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
