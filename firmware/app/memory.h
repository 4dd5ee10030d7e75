/* memory.h - where the firmware's big buffers come from: a bump allocator
 * over the SRAM left after .bss, and another over the PSRAM. Nothing is
 * freed one by one: the model's buffers are all set up at once, and
 * memory_reset() empties both pools when another model takes their place. */
#ifndef PICOLLAMA_FW_MEMORY_H
#define PICOLLAMA_FW_MEMORY_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
    uintptr_t base, next, end;
} memory_pool;

extern memory_pool sram_pool;  /* __heap_start .. end of SRAM0-7 */
extern memory_pool psram_pool; /* empty until PSRAM is found */

void memory_init(void);
void memory_add_psram(uint32_t size);
void memory_reset(void);
/* 16-byte aligned block, or NULL when the pool is too small. */
void *memory_take(memory_pool *pool, size_t size);
size_t memory_free(const memory_pool *pool);

#endif
