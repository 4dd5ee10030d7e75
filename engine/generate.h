/* generate.h - the generation loop: prompt in, text out through a callback.
 *
 * Same loop as llama2.c's generate(): the prompt's tokens are forced one by
 * one, then tokens are sampled until `steps` positions have run or the model
 * produces BOS. Each new token's printable text goes to emit().
 */
#ifndef PICOLLAMA_GENERATE_H
#define PICOLLAMA_GENERATE_H

#include <stddef.h>
#include <stdint.h>

#include "sampler.h"
#include "tokenizer.h"
#include "transformer.h"

/* Receives the printable text of one generated token (len may be 0) and
 * returns nonzero to stop generating (e.g. the user pressed Ctrl-C). */
typedef int (*pl_emit_fn)(void *user, const char *text, size_t len);

typedef struct {
    int32_t prompt_tokens; /* tokens in the encoded prompt, BOS included */
    int32_t positions;     /* positions run through the transformer */
    int32_t generated;     /* tokens passed to emit() */
    int stopped;           /* emit() asked to stop */
} pl_generation;

/* run.c's rule: steps <= 0 or beyond the context means the whole context. */
int32_t pl_clamp_steps(int32_t steps, int32_t seq_len);

/* Number of int32 slots pl_generate needs to encode prompt. */
size_t pl_prompt_capacity(const char *prompt);

/* Generates from prompt (NULL = empty) for pl_clamp_steps(steps) positions.
 * token_buf holds the encoded prompt (pl_prompt_capacity entries). Fails
 * with PL_E_PROMPT_TOO_LONG when the prompt has more tokens than seq_len.
 * The sampler follows the transformer's fast_math option. */
pl_status pl_generate(pl_transformer *t, const pl_tokenizer *tok, pl_sampler *sampler,
                      const char *prompt, int32_t steps, int32_t *token_buf, size_t token_cap,
                      pl_emit_fn emit, void *user, pl_generation *result);

#endif
