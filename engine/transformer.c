/* transformer.c - Llama-2 forward pass, one position at a time.
 *
 * Follows llama2.c's run.c step by step (same operations in the same order,
 * so the same floats come out); the only departures are where the result is
 * unchanged: RoPE sines/cosines computed once per position instead of once
 * per head, matmuls that work on several rows at once.
 */
#include "transformer.h"

#include <string.h>

#include "kernels/matmul.h"
#include "plmath.h"

/* ---- arena layout ------------------------------------------------------- */

#define ARENA_ALIGN 16

typedef struct {
    uint8_t *base; /* NULL while only measuring */
    uint64_t used;
} arena_cursor;

static void *arena_take(arena_cursor *a, uint64_t bytes)
{
    a->used = (a->used + ARENA_ALIGN - 1) & ~(uint64_t)(ARENA_ALIGN - 1);
    void *p = a->base ? a->base + a->used : NULL;
    a->used += bytes;
    return p;
}

static float *take_floats(arena_cursor *a, uint64_t count)
{
    return arena_take(a, count * sizeof(float));
}

/* One function both measures and lays out, so the two cannot disagree. */
static void layout_arena(arena_cursor *a, const pl_config *c, pl_transformer *t)
{
    uint64_t dim = (uint64_t)c->dim, hidden = (uint64_t)c->hidden_dim;
    uint64_t kv = (uint64_t)c->n_layers * (uint64_t)c->seq_len * (uint64_t)pl_kv_dim(c);
    uint64_t half_head = (uint64_t)pl_head_size(c) / 2;
    pl_run_state s;
    s.x = take_floats(a, dim);
    s.xb = take_floats(a, dim);
    s.xb2 = take_floats(a, dim);
    s.hb = take_floats(a, hidden);
    s.hb2 = take_floats(a, hidden);
    s.q = take_floats(a, dim);
    s.att = take_floats(a, (uint64_t)c->n_heads * (uint64_t)c->seq_len);
    s.logits = take_floats(a, (uint64_t)c->vocab_size);
    s.key_cache = take_floats(a, kv);
    s.value_cache = take_floats(a, kv);
    s.rope_freq = take_floats(a, half_head);
    s.rope_cos = take_floats(a, half_head);
    s.rope_sin = take_floats(a, half_head);
    uint64_t widest = hidden > dim ? hidden : dim;
    s.xq.q = arena_take(a, widest * sizeof(int16_t));
    s.xq.scales = take_floats(a, widest);
    pl_layer_weights *layers =
        arena_take(a, (uint64_t)c->n_layers * sizeof(pl_layer_weights));
    if (t) {
        t->s = s;
        t->w.layers = layers;
    }
}

size_t pl_transformer_arena_size(const pl_config *cfg)
{
    arena_cursor a = {NULL, 0};
    layout_arena(&a, cfg, NULL);
    uint64_t total = a.used + ARENA_ALIGN; /* room to align the caller's base */
    return total > (uint64_t)SIZE_MAX ? 0 : (size_t)total;
}

/* Rotation frequency of each pair of a head, as run.c computes it. */
static void init_rope_frequencies(pl_transformer *t)
{
    int32_t head_size = pl_head_size(&t->cfg);
    for (int32_t j = 0; j < head_size / 2; j++) {
        int32_t head_dim = 2 * j;
        t->s.rope_freq[j] = 1.0f / pl_powf(10000.0f, head_dim / (float)head_size);
    }
}

pl_status pl_transformer_init(pl_transformer *t, const pl_config *cfg, void *arena,
                              size_t arena_size)
{
    if (!t || !cfg || !arena) return PL_E_ARG;
    if (pl_config_validate(cfg, NULL) != PL_OK) return PL_E_CONFIG;
    size_t need = pl_transformer_arena_size(cfg);
    if (need == 0) return PL_E_TOO_LARGE;
    if (arena_size < need) return PL_E_NO_MEMORY;
    uintptr_t misalign = (uintptr_t)arena & (ARENA_ALIGN - 1);
    uint8_t *base = (uint8_t *)arena + (misalign ? ARENA_ALIGN - misalign : 0);
    memset(arena, 0, need);
    memset(t, 0, sizeof(*t));
    t->cfg = *cfg;
    arena_cursor a = {base, 0};
    layout_arena(&a, cfg, t);
    init_rope_frequencies(t);
    return PL_OK;
}

/* ---- building blocks ---------------------------------------------------- */

static void rmsnorm(float *o, const float *x, const float *weight, int32_t size)
{
    float ss = 0.0f;
    for (int32_t j = 0; j < size; j++) ss += x[j] * x[j];
    ss /= size;
    ss += 1e-5f;
    ss = 1.0f / pl_sqrtf(ss);
    for (int32_t j = 0; j < size; j++) o[j] = weight[j] * (ss * x[j]);
}

static void rope_prepare(pl_transformer *t, int32_t pos)
{
    int32_t pairs = pl_head_size(&t->cfg) / 2;
    for (int32_t j = 0; j < pairs; j++) {
        float val = pos * t->s.rope_freq[j];
        pl_sincosf(val, &t->s.rope_sin[j], &t->s.rope_cos[j]);
    }
}

static void rotate_pair(float *vec, int32_t i, float fcr, float fci)
{
    float v0 = vec[i], v1 = vec[i + 1];
    vec[i] = v0 * fcr - v1 * fci;
    vec[i + 1] = v0 * fci + v1 * fcr;
}

/* RoPE: rotates each pair of q (all heads) and k (kv heads) by its angle. */
static void rope_apply(pl_transformer *t, float *q, float *k)
{
    const pl_config *c = &t->cfg;
    int32_t head_size = pl_head_size(c), kv_dim = pl_kv_dim(c);
    for (int32_t i = 0; i < c->dim; i += 2) {
        int32_t j = (i % head_size) / 2;
        float fcr = t->s.rope_cos[j], fci = t->s.rope_sin[j];
        rotate_pair(q, i, fcr, fci);
        if (i < kv_dim) rotate_pair(k, i, fcr, fci);
    }
}

/* att[t] = q . k_t / sqrt(head_size) for t in [0, n); k_t are kv_stride
 * floats apart. Four positions at a time: their independent sums overlap in
 * the pipeline, and each sum keeps run.c's order. */
static void attention_scores(const float *q, const float *k, size_t kv_stride,
                             int32_t head_size, int32_t n, float *att)
{
    float scale = pl_sqrtf((float)head_size);
    int32_t t = 0;
    for (; t + 4 <= n; t += 4, k += 4 * kv_stride) {
        float s0 = 0.0f, s1 = 0.0f, s2 = 0.0f, s3 = 0.0f;
        for (int32_t i = 0; i < head_size; i++) {
            s0 += q[i] * k[i];
            s1 += q[i] * k[kv_stride + i];
            s2 += q[i] * k[2 * kv_stride + i];
            s3 += q[i] * k[3 * kv_stride + i];
        }
        att[t] = s0 / scale;
        att[t + 1] = s1 / scale;
        att[t + 2] = s2 / scale;
        att[t + 3] = s3 / scale;
    }
    for (; t < n; t++, k += kv_stride) {
        float score = 0.0f;
        for (int32_t i = 0; i < head_size; i++) score += q[i] * k[i];
        att[t] = score / scale;
    }
}

/* xb = sum over t of att[t] * v_t, accumulated in t order. */
static void attention_mix(const float *att, const float *v, size_t kv_stride,
                          int32_t head_size, int32_t n, float *xb)
{
    memset(xb, 0, (size_t)head_size * sizeof(float));
    for (int32_t t = 0; t < n; t++, v += kv_stride) {
        float a = att[t];
        for (int32_t i = 0; i < head_size; i++) xb[i] += a * v[i];
    }
}

/* Attention of head h over positions 0..pos of layer l, into xb. */
static void attention_head(pl_transformer *t, int32_t layer, int32_t h, int32_t pos)
{
    const pl_config *c = &t->cfg;
    pl_run_state *s = &t->s;
    int32_t head_size = pl_head_size(c), kv_dim = pl_kv_dim(c);
    int32_t kv_mul = c->n_heads / c->n_kv_heads;
    size_t off = (size_t)layer * (size_t)c->seq_len * (size_t)kv_dim +
                 (size_t)(h / kv_mul) * (size_t)head_size;
    float *att = s->att + (size_t)h * c->seq_len;
    attention_scores(s->q + (size_t)h * head_size, s->key_cache + off, (size_t)kv_dim, head_size,
                     pos + 1, att);
    pl_softmax(att, pos + 1);
    attention_mix(att, s->value_cache + off, (size_t)kv_dim, head_size, pos + 1,
                  s->xb + (size_t)h * head_size);
}

/* outs[i] = ws[i] x for matrices sharing the input x (n = their cols);
 * x is quantized once for the quantized ones (per group size). */
static void matmul_shared(pl_transformer *t, const float *x, int32_t count, float *const *outs,
                          const pl_tensor *const *ws)
{
    pl_qvec *xq = &t->s.xq;
    xq->group = 0; /* nothing quantized yet for this input */
    if (t->observer) t->observer(t->observer_ctx, ws, count, x);
    for (int32_t i = 0; i < count; i++) {
        const pl_tensor *w = ws[i];
        if (w->dtype != PL_DTYPE_F32 && xq->group != w->group)
            pl_quantize_activations(xq, x, w->cols, w->group);
        pl_matmul_rows(outs[i], x, xq, w, 0, w->rows);
    }
}

static void matmul(pl_transformer *t, float *out, const float *x, const pl_tensor *w)
{
    matmul_shared(t, x, 1, &out, &w);
}

static void add_into(float *x, const float *y, int32_t n)
{
    for (int32_t i = 0; i < n; i++) x[i] += y[i];
}

/* SwiGLU: hb = silu(hb) * hb2. */
static void swiglu(float *hb, const float *hb2, int32_t n)
{
    for (int32_t i = 0; i < n; i++) {
        float val = hb[i];
        val *= (1.0f / (1.0f + pl_expf(-val)));
        val *= hb2[i];
        hb[i] = val;
    }
}

static void layer_forward(pl_transformer *t, int32_t l, int32_t pos)
{
    const pl_config *c = &t->cfg;
    const pl_layer_weights *L = &t->w.layers[l];
    pl_run_state *s = &t->s;
    int32_t kv_dim = pl_kv_dim(c);
    size_t loff = (size_t)l * (size_t)c->seq_len * (size_t)kv_dim;
    float *k = s->key_cache + loff + (size_t)pos * kv_dim;
    float *v = s->value_cache + loff + (size_t)pos * kv_dim;

    rmsnorm(s->xb, s->x, L->rms_att, c->dim);
    float *const qkv_out[3] = {s->q, k, v};
    const pl_tensor *const qkv[3] = {&L->wq, &L->wk, &L->wv};
    matmul_shared(t, s->xb, 3, qkv_out, qkv);
    rope_apply(t, s->q, k);
    for (int32_t h = 0; h < c->n_heads; h++) attention_head(t, l, h, pos);
    matmul(t, s->xb2, s->xb, &L->wo);
    add_into(s->x, s->xb2, c->dim);

    rmsnorm(s->xb, s->x, L->rms_ffn, c->dim);
    float *const ffn_out[2] = {s->hb, s->hb2};
    const pl_tensor *const ffn_in[2] = {&L->w1, &L->w3};
    matmul_shared(t, s->xb, 2, ffn_out, ffn_in);
    swiglu(s->hb, s->hb2, c->hidden_dim);
    matmul(t, s->xb, s->hb, &L->w2);
    add_into(s->x, s->xb, c->dim);
}

float *pl_forward(pl_transformer *t, int32_t token, int32_t pos)
{
    const pl_config *c = &t->cfg;
    if (token < 0 || token >= c->vocab_size || pos < 0 || pos >= c->seq_len) return NULL;
    pl_tensor_row(&t->w.embedding, token, t->s.x);
    rope_prepare(t, pos);
    for (int32_t l = 0; l < c->n_layers; l++) layer_forward(t, l, pos);
    rmsnorm(t->s.x, t->s.x, t->w.rms_final, c->dim);
    matmul(t, t->s.logits, t->s.x, &t->w.classifier);
    return t->s.logits;
}
