/* tokenizer.h - llama2.c's byte-pair tokenizer, read in place.
 *
 * File format (tokenizer.bin, tok512.bin): int32 max_token_length, then per
 * token: float32 score, int32 length, `length` bytes (no terminator). The
 * vocabulary size is not stored: it is the model's. Encoding follows run.c:
 * BOS, a dummy-prefix space, UTF-8 codepoints (unknown ones as <0xXX> byte
 * tokens), then repeated merges of the best-scoring adjacent pair.
 */
#ifndef PICOLLAMA_TOKENIZER_H
#define PICOLLAMA_TOKENIZER_H

#include <stddef.h>
#include <stdint.h>

#include "status.h"

#define PL_TOKEN_BOS 1
#define PL_TOKEN_EOS 2

typedef struct {
    int32_t vocab_size;
    uint32_t max_token_length;
    const uint8_t *data;     /* the tokenizer file */
    const uint32_t *offsets; /* vocab_size: offset in data of each token's record */
    const uint32_t *sorted;  /* vocab_size: token ids in strcmp order of their text */
    char byte_pieces[512];   /* "\x00\0\x01\0...": the text of byte tokens */
} pl_tokenizer;

/* Counts the token records in a tokenizer file; fails unless the file is
 * exactly a header plus whole records. */
pl_status pl_tokenizer_count(const void *data, size_t len, int32_t *count);

/* Bytes of index memory pl_tokenizer_init needs for vocab_size tokens. */
size_t pl_tokenizer_index_size(int32_t vocab_size);

/* Parses data (which must outlive t) holding exactly vocab_size tokens and
 * builds the offset and sorted indexes in index_mem. */
pl_status pl_tokenizer_init(pl_tokenizer *t, const void *data, size_t len, int32_t vocab_size,
                            void *index_mem, size_t index_len);

/* Encodes text (NUL-terminated) into tokens (capacity max_tokens; strlen+3
 * always suffices). bos/eos add the BOS/EOS tokens. */
pl_status pl_encode(const pl_tokenizer *t, const char *text, int bos, int eos, int32_t *tokens,
                    size_t max_tokens, int32_t *n_tokens);

/* The text of token following prev_token: leading space dropped after BOS,
 * <0xXX> tokens turned into their byte. Returns a pointer into t (valid as
 * long as t) and its length in *len; NULL for an id outside the vocabulary. */
const char *pl_decode(const pl_tokenizer *t, int32_t prev_token, int32_t token, size_t *len);

/* How much of a decoded piece to print: all of it, except a lone byte that
 * is neither printable ASCII nor whitespace (0 then), as run.c's safe_printf. */
size_t pl_printable_length(const char *piece, size_t len);

/* Score and text of a token (no bounds check beyond the vocabulary). */
float pl_token_score(const pl_tokenizer *t, int32_t id);
const char *pl_token_text(const pl_tokenizer *t, int32_t id, size_t *len);

#endif
