/* memory.c - bump allocators over SRAM and PSRAM (see memory.h). */
#include "memory.h"

#include "../hw/regs/xip.h"

extern uint8_t __heap_start[], __heap_end[];

memory_pool sram_pool;
memory_pool psram_pool;

void memory_init(void)
{
    sram_pool = (memory_pool){(uintptr_t)__heap_start, (uintptr_t)__heap_start, (uintptr_t)__heap_end};
    psram_pool = (memory_pool){0, 0, 0};
}

void memory_add_psram(uint32_t size)
{
    psram_pool = (memory_pool){XIP_PSRAM_BASE, XIP_PSRAM_BASE, XIP_PSRAM_BASE + size};
}

void memory_reset(void)
{
    sram_pool.next = sram_pool.base;
    psram_pool.next = psram_pool.base;
}

/* Where the pool's next 16-byte aligned block starts. */
static uintptr_t next_aligned(const memory_pool *pool) { return (pool->next + 15) & ~(uintptr_t)15; }

void *memory_take(memory_pool *pool, size_t size)
{
    uintptr_t start = next_aligned(pool);
    if (start > pool->end || size > pool->end - start) return NULL;
    pool->next = start + size;
    return (void *)start;
}

size_t memory_free(const memory_pool *pool)
{
    uintptr_t start = next_aligned(pool);
    return start < pool->end ? pool->end - start : 0;
}
