/* generate.c - prompt -> tokens -> text, as llama2.c's generate(). */
#include "generate.h"

#include <string.h>

int32_t pl_clamp_steps(int32_t steps, int32_t seq_len)
{
    return (steps <= 0 || steps > seq_len) ? seq_len : steps;
}

size_t pl_prompt_capacity(const char *prompt)
{
    return PL_ENCODE_CAPACITY(prompt ? strlen(prompt) : 0); /* tokens + merge room */
}

pl_status pl_generate(pl_transformer *t, const pl_tokenizer *tok, pl_sampler *sampler,
                      const char *prompt, int32_t steps, int32_t *token_buf, size_t token_cap,
                      pl_emit_fn emit, void *user, pl_generation *result)
{
    memset(result, 0, sizeof(*result));
    if (!prompt) prompt = "";
    sampler->fast_math = t->opt.fast_math; /* one model, one exp: same text everywhere */
    /* the softmax split across the cores */
    sampler->parallel = t->parallel;
    sampler->parallel_ctx = t->parallel_ctx;
    sampler->parts = t->opt.parts;
    int32_t n_prompt = 0;
    pl_status st = pl_encode(tok, prompt, 1, 0, token_buf, token_cap, &n_prompt);
    if (st != PL_OK) return st;
    result->prompt_tokens = n_prompt;
    if (n_prompt > t->cfg.seq_len) return PL_E_PROMPT_TOO_LONG;
    steps = pl_clamp_steps(steps, t->cfg.seq_len);

    int32_t token = token_buf[0];
    int32_t pos = 0;
    while (pos < steps) {
        float *logits = pl_forward(t, token, pos);
        if (!logits) return PL_E_TOKEN;
        int32_t next = pos < n_prompt - 1 ? token_buf[pos + 1] : pl_sample(sampler, logits);
        pos++;
        result->positions = pos;
        if (next == PL_TOKEN_BOS) break; /* BOS delimits sequences */

        size_t len;
        const char *piece = pl_decode(tok, token, next, &len);
        if (!piece) return PL_E_TOKEN;
        result->generated++;
        if (emit(user, piece, pl_printable_length(piece, len))) {
            result->stopped = 1;
            break;
        }
        token = next;
    }
    return PL_OK;
}
