/* checkpoint.c - parse and bind llama2.c checkpoints without copying. */
#include "checkpoint.h"

#include <string.h>

static int32_t read_i32le(const uint8_t *p)
{
    return (int32_t)((uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
                     (uint32_t)p[3] << 24);
}

pl_status pl_checkpoint_read_config(const void *data, size_t len, pl_config *cfg, int *shared,
                                    const char **why)
{
    if (why) *why = NULL;
    if (!data || len < PL_CHECKPOINT_HEADER_BYTES) return PL_E_TRUNCATED;
    const uint8_t *p = data;
    int32_t fields[7];
    for (int i = 0; i < 7; i++) fields[i] = read_i32le(p + 4 * i);
    pl_config c = {fields[0], fields[1], fields[2], fields[3], fields[4], fields[5], fields[6]};
    /* negative vocab_size signals an unshared classifier; INT32_MIN has no
     * positive counterpart and is rejected by validation below */
    *shared = c.vocab_size > 0;
    if (c.vocab_size < 0 && c.vocab_size != INT32_MIN) c.vocab_size = -c.vocab_size;
    *cfg = c;
    pl_status st = pl_config_validate(&c, why);
    if (st != PL_OK) return st;
    if (pl_checkpoint_size(&c, *shared) == 0) return PL_E_TOO_LARGE;
    return PL_OK;
}

/* Number of floats after the header; validated configs keep this < 2^50. */
static uint64_t checkpoint_floats(const pl_config *c, int shared)
{
    uint64_t dim = (uint64_t)c->dim, hidden = (uint64_t)c->hidden_dim;
    uint64_t layers = (uint64_t)c->n_layers, vocab = (uint64_t)c->vocab_size;
    uint64_t kv_dim = (uint64_t)pl_kv_dim(c), head = (uint64_t)pl_head_size(c);
    uint64_t n = vocab * dim;                 /* embedding */
    n += layers * dim;                        /* rms_att */
    n += layers * dim * dim;                  /* wq */
    n += 2 * layers * dim * kv_dim;           /* wk, wv */
    n += layers * dim * dim;                  /* wo */
    n += layers * dim;                        /* rms_ffn */
    n += 3 * layers * dim * hidden;           /* w1, w2, w3 */
    n += dim;                                 /* rms_final */
    n += 2 * ((uint64_t)c->seq_len * head / 2); /* legacy RoPE tables */
    if (!shared) n += vocab * dim;            /* classifier */
    return n;
}

size_t pl_checkpoint_size(const pl_config *cfg, int shared)
{
    uint64_t bytes = PL_CHECKPOINT_HEADER_BYTES + checkpoint_floats(cfg, shared) * 4;
    if (bytes > (uint64_t)SIZE_MAX) return 0;
    return (size_t)bytes;
}

pl_status pl_checkpoint_bind(const void *data, size_t len, const pl_config *c, int shared,
                             pl_weights *w)
{
    size_t expected = pl_checkpoint_size(c, shared);
    if (expected == 0) return PL_E_TOO_LARGE;
    if (len < expected) return PL_E_TRUNCATED;
    if (len > expected) return PL_E_TRAILING;
    if (((uintptr_t)data & 3) != 0) return PL_E_ALIGN;

    const float *p = (const float *)((const uint8_t *)data + PL_CHECKPOINT_HEADER_BYTES);
    const size_t dim = (size_t)c->dim, hidden = (size_t)c->hidden_dim;
    const size_t kv_dim = (size_t)pl_kv_dim(c), layers = (size_t)c->n_layers;

    w->embedding = pl_tensor_f32(p, c->vocab_size, c->dim);
    p += (size_t)c->vocab_size * dim;
    const float *rms_att = p;   p += layers * dim;
    const float *wq = p;        p += layers * dim * dim;
    const float *wk = p;        p += layers * dim * kv_dim;
    const float *wv = p;        p += layers * dim * kv_dim;
    const float *wo = p;        p += layers * dim * dim;
    const float *rms_ffn = p;   p += layers * dim;
    const float *w1 = p;        p += layers * dim * hidden;
    const float *w2 = p;        p += layers * dim * hidden;
    const float *w3 = p;        p += layers * dim * hidden;
    w->rms_final = p;           p += dim;
    p += 2 * ((size_t)c->seq_len * (size_t)pl_head_size(c) / 2);
    w->classifier = shared ? w->embedding : pl_tensor_f32(p, c->vocab_size, c->dim);

    for (size_t l = 0; l < layers; l++) {
        pl_layer_weights *L = &w->layers[l];
        L->rms_att = rms_att + l * dim;
        L->rms_ffn = rms_ffn + l * dim;
        L->wq = pl_tensor_f32(wq + l * dim * dim, c->dim, c->dim);
        L->wk = pl_tensor_f32(wk + l * dim * kv_dim, (int32_t)kv_dim, c->dim);
        L->wv = pl_tensor_f32(wv + l * dim * kv_dim, (int32_t)kv_dim, c->dim);
        L->wo = pl_tensor_f32(wo + l * dim * dim, c->dim, c->dim);
        L->w1 = pl_tensor_f32(w1 + l * dim * hidden, c->hidden_dim, c->dim);
        L->w2 = pl_tensor_f32(w2 + l * dim * hidden, c->dim, c->hidden_dim);
        L->w3 = pl_tensor_f32(w3 + l * dim * hidden, c->hidden_dim, c->dim);
    }
    return PL_OK;
}
