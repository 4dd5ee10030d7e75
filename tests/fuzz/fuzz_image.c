/* fuzz_image.c - libFuzzer target: the model image reader. Whatever the
 * bytes, pl_image_open must either refuse them or yield an image whose
 * tensors and tokenizer can be used without reading out of bounds. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "image.h"
#include "transformer.h"

#define MAX_ARENA (64u << 20)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* images are used in place, 8-byte aligned */
    uint8_t *copy = aligned_alloc(8, (size + 8) & ~(size_t)7);
    if (!copy) return 0;
    memcpy(copy, data, size);
    pl_image img;
    /* without the CRC check the fuzzer reaches the structural checks */
    if (pl_image_open(&img, copy, size, 0, NULL) == PL_OK) {
        pl_tokenizer tok;
        if (pl_image_bind_tokenizer(&img, &tok) != PL_OK) abort(); /* open vetted it */
        int32_t ids[64], n = 0;
        pl_encode(&tok, "Once upon a time \xe2\x82\xac", 1, 1, ids, 64, &n);
        for (int32_t i = 0; i < n; i++) {
            size_t len;
            pl_decode(&tok, i ? ids[i - 1] : 1, ids[i], &len);
        }
        /* the options the host picks for this image's precision */
        pl_options opt = pl_image_options(&img);
        size_t arena_size = pl_transformer_arena_size(&img.cfg, &opt);
        void *arena = arena_size && arena_size <= MAX_ARENA ? malloc(arena_size) : NULL;
        pl_transformer t;
        if (arena && pl_transformer_init(&t, &img.cfg, &opt, arena, arena_size) == PL_OK) {
            pl_image_bind_weights(&img, &t.w);
            for (int32_t pos = 0; pos < 2 && pos < img.cfg.seq_len; pos++)
                pl_forward(&t, pos % img.cfg.vocab_size, pos);
        }
        free(arena);
    }
    free(copy);
    return 0;
}
