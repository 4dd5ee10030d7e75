/* tokenizer.h - llama2.c's byte-pair tokenizer over a compact, read-only
 * representation that can live in flash.
 *
 * llama2.c's file (tokenizer.bin, tok512.bin): int32 max_token_length, then
 * per token float32 score, int32 length, bytes. pl_tokenizer_build() turns it
 * into the compact form below (the same arrays a model image stores, so the
 * device uses them in place): texts concatenated in id order, one length
 * byte per token, the text offset of every 16th token, a merge rank per
 * token and the ids sorted by text. Merge ranks preserve the order of the
 * scores (0 = never merged, as run.c's -1e10 threshold), so merges are
 * exactly run.c's. Encoding: BOS, a dummy-prefix space, UTF-8 codepoints
 * (unknown ones as <0xXX> byte tokens), then repeated merges of the
 * best-ranked adjacent pair.
 */
#ifndef PICOLLAMA_TOKENIZER_H
#define PICOLLAMA_TOKENIZER_H

#include <stddef.h>
#include <stdint.h>

#include "status.h"

#define PL_TOKEN_BOS 1
#define PL_TOKEN_EOS 2
#define PL_TOKEN_BLOCK 16         /* tokens per block_offsets entry */
#define PL_TOKENIZER_MAX_VOCAB 65535

typedef struct {
    int32_t vocab_size;
    uint32_t max_token_length;
    const uint8_t *lengths;        /* vocab_size: text length of each token */
    const uint32_t *block_offsets; /* pl_tokenizer_blocks(): text offset of token 16*k */
    const uint16_t *ranks;         /* vocab_size: merge rank (higher merges first) */
    const uint16_t *sorted;        /* vocab_size: ids in strcmp order of text, ties by id */
    const char *text;              /* every token's text, in id order */
    uint32_t text_size;
    char byte_pieces[512];         /* "\x00\0\x01\0...": the text of byte tokens */
} pl_tokenizer;

/* Number of block_offsets entries for a vocabulary. */
static inline int32_t pl_tokenizer_blocks(int32_t vocab_size)
{
    return (vocab_size + PL_TOKEN_BLOCK - 1) / PL_TOKEN_BLOCK + 1;
}

/* Counts the token records in a llama2.c tokenizer file; fails unless the
 * file is exactly a header plus whole records. */
pl_status pl_tokenizer_count(const void *bin, size_t len, int32_t *count);

/* Bytes of memory pl_tokenizer_build needs for a file of bin_len bytes. */
size_t pl_tokenizer_build_size(size_t bin_len, int32_t vocab_size);

/* Builds the compact form of a llama2.c tokenizer file holding exactly
 * vocab_size tokens into mem (which t then points into; bin may be freed). */
pl_status pl_tokenizer_build(pl_tokenizer *t, const void *bin, size_t len, int32_t vocab_size,
                             void *mem, size_t mem_len);

/* Points t at arrays stored elsewhere (a model image) after checking them:
 * lengths add up to text_size, block offsets agree with the lengths, sorted
 * holds valid ids in text order. byte_pieces is filled in. */
pl_status pl_tokenizer_attach(pl_tokenizer *t, int32_t vocab_size, uint32_t max_token_length,
                              const uint8_t *lengths, const uint32_t *block_offsets,
                              const uint16_t *ranks, const uint16_t *sorted, const char *text,
                              uint32_t text_size);

/* Slots pl_encode needs for a text of text_len bytes: one per initial
 * token (BOS, dummy prefix, one per byte at most: text_len + 2) and, to
 * merge them in O(n log n), one fewer again; an EOS fits in that room. */
#define PL_ENCODE_CAPACITY(text_len) (2 * (size_t)(text_len) + 3)

/* Encodes text (NUL-terminated) into tokens, a buffer of max_tokens slots
 * that also serves as the merges' working memory: with n initial tokens it
 * needs 2n - 1 slots (PL_E_ARG otherwise); PL_ENCODE_CAPACITY(strlen(text))
 * always suffices. bos/eos add the BOS/EOS tokens. The ids are run.c's:
 * repeatedly the best-ranked adjacent pair is merged, the leftmost of
 * equals. */
pl_status pl_encode(const pl_tokenizer *t, const char *text, int bos, int eos, int32_t *tokens,
                    size_t max_tokens, int32_t *n_tokens);

/* The text of token following prev_token: leading space dropped after BOS,
 * <0xXX> tokens turned into their byte. Returns a pointer into t (valid as
 * long as t) and its length in *len; NULL for an id outside the vocabulary. */
const char *pl_decode(const pl_tokenizer *t, int32_t prev_token, int32_t token, size_t *len);

/* How much of a decoded piece to print: all of it, except a lone byte that
 * is neither printable ASCII nor whitespace (0 then), as run.c's safe_printf. */
size_t pl_printable_length(const char *piece, size_t len);

/* Text of a token (id must be in range). */
const char *pl_token_text(const pl_tokenizer *t, int32_t id, size_t *len);

#endif
