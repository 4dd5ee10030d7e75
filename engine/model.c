/* model.c - validation of model hyperparameters. */
#include "model.h"

/* Bounds that keep every size computation far from overflow while admitting
 * any real Llama-2 model (7B: dim 4096, hidden 11008, vocab 32000). */
#define PL_MAX_DIM (1 << 16)
#define PL_MAX_HIDDEN (1 << 18)
#define PL_MAX_LAYERS 1024
#define PL_MAX_VOCAB (1 << 20)
#define PL_MAX_SEQ (1 << 20)

static pl_status fail(pl_status status, const char *reason, const char **why)
{
    if (why) *why = reason;
    return status;
}

pl_status pl_config_validate(const pl_config *c, const char **why)
{
    if (c->dim <= 0 || c->hidden_dim <= 0 || c->n_layers <= 0 || c->n_heads <= 0 ||
        c->n_kv_heads <= 0 || c->vocab_size <= 0 || c->seq_len <= 0)
        return fail(PL_E_CONFIG, "every dimension must be positive", why);
    if (c->dim > PL_MAX_DIM || c->hidden_dim > PL_MAX_HIDDEN || c->n_layers > PL_MAX_LAYERS ||
        c->vocab_size > PL_MAX_VOCAB || c->seq_len > PL_MAX_SEQ)
        return fail(PL_E_TOO_LARGE, "a dimension exceeds the engine's limits", why);
    if (c->n_heads > c->dim || c->dim % c->n_heads != 0)
        return fail(PL_E_CONFIG, "dim must be a multiple of n_heads", why);
    if (c->n_kv_heads > c->n_heads || c->n_heads % c->n_kv_heads != 0)
        return fail(PL_E_CONFIG, "n_heads must be a multiple of n_kv_heads", why);
    if (pl_head_size(c) % 2 != 0) /* RoPE rotates pairs within a head */
        return fail(PL_E_CONFIG, "head size (dim / n_heads) must be even", why);
    if (why) *why = NULL;
    return PL_OK;
}
