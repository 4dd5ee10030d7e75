/* fuzz_checkpoint.c - libFuzzer target: llama2.c checkpoint parsing. A
 * header that passes validation must describe exactly the bytes given. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "checkpoint.h"
#include "transformer.h"

#define MAX_ARENA (64u << 20)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t *copy = aligned_alloc(8, (size + 8) & ~(size_t)7);
    if (!copy) return 0;
    memcpy(copy, data, size);
    pl_config cfg;
    int shared;
    if (pl_checkpoint_read_config(copy, size, &cfg, &shared, NULL) == PL_OK) {
        size_t arena_size = pl_transformer_arena_size(&cfg, NULL);
        void *arena = arena_size && arena_size <= MAX_ARENA ? malloc(arena_size) : NULL;
        pl_transformer t;
        if (arena && pl_transformer_init(&t, &cfg, NULL, arena, arena_size) == PL_OK &&
            pl_checkpoint_bind(copy, size, &cfg, shared, &t.w) == PL_OK) {
            if (pl_checkpoint_size(&cfg, shared) != size) abort();
            for (int32_t pos = 0; pos < 2 && pos < cfg.seq_len; pos++)
                pl_forward(&t, pos % cfg.vocab_size, pos);
        }
        free(arena);
    }
    free(copy);
    return 0;
}
