/* checkpoint.h - llama2.c checkpoints (legacy "v0" format) read in place.
 *
 * Layout: 7 little-endian int32 (pl_config order; a negative vocab_size
 * means the classifier is stored separately), then float32 tensors in
 * run.c's order: embedding, rms_att, wq, wk, wv, wo, rms_ffn, w1, w2, w3,
 * rms_final, two unused RoPE tables (seq_len * head_size / 2 each), and the
 * classifier when it is not shared with the embedding.
 */
#ifndef PICOLLAMA_CHECKPOINT_H
#define PICOLLAMA_CHECKPOINT_H

#include <stddef.h>
#include <stdint.h>

#include "model.h"

#define PL_CHECKPOINT_HEADER_BYTES 28

/* Reads and validates the header. *shared is 1 when the classifier is the
 * embedding table. On a config error *why names the rule (may be NULL). */
pl_status pl_checkpoint_read_config(const void *data, size_t len, pl_config *cfg, int *shared,
                                    const char **why);

/* Exact file size a checkpoint with this header must have, in bytes
 * (0 when it would not fit in a size_t). */
size_t pl_checkpoint_size(const pl_config *cfg, int shared);

/* Points w's tensors into data (which must outlive w) after checking that
 * data has exactly the size the header implies and is 4-byte aligned.
 * w->layers must already hold cfg->n_layers entries. */
pl_status pl_checkpoint_bind(const void *data, size_t len, const pl_config *cfg, int shared,
                             pl_weights *w);

#endif
