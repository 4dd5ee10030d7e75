/* fuzz_tokenizer.c - libFuzzer target: building a tokenizer from a
 * tokenizer.bin and encoding text with it. Input: 2 bytes (little-endian)
 * giving the length of the tokenizer part, the tokenizer file, then the
 * text to encode. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tokenizer.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2) return 0;
    size_t tok_len = (size_t)(data[0] | data[1] << 8);
    if (tok_len > size - 2) tok_len = size - 2;
    const uint8_t *tok_bytes = data + 2;
    size_t text_len = size - 2 - tok_len;
    int32_t vocab;
    if (pl_tokenizer_count(tok_bytes, tok_len, &vocab) != PL_OK) return 0;
    size_t mem_size = pl_tokenizer_build_size(tok_len, vocab);
    void *mem = mem_size ? malloc(mem_size) : NULL;
    char *text = malloc(text_len + 1);
    pl_tokenizer t;
    if (mem && text && pl_tokenizer_build(&t, tok_bytes, tok_len, vocab, mem, mem_size) == PL_OK) {
        memcpy(text, tok_bytes + tok_len, text_len);
        text[text_len] = '\0';
        size_t cap = PL_ENCODE_CAPACITY(strlen(text)); /* tokens + merge room */
        int32_t *ids = malloc(cap * sizeof(int32_t));
        int32_t n = 0;
        if (ids && pl_encode(&t, text, 1, 1, ids, cap, &n) == PL_OK) {
            for (int32_t i = 0; i < n; i++) {
                size_t len;
                if (ids[i] < 0 || ids[i] >= vocab) abort();
                const char *piece = pl_decode(&t, i ? ids[i - 1] : 0, ids[i], &len);
                if (piece) pl_printable_length(piece, len);
            }
        }
        free(ids);
    }
    free(mem);
    free(text);
    return 0;
}
