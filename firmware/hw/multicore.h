/* multicore.h - core 1: launching it through the boot ROM's handshake and
 * the SIO FIFOs between the cores (facts 12). */
#ifndef PICOLLAMA_FW_MULTICORE_H
#define PICOLLAMA_FW_MULTICORE_H

#include <stdbool.h>
#include <stdint.h>

/* Starts core 1 at entry with its stack below stack_top (the boot ROM sets
 * VTOR and SP, then calls entry); false if core 1 does not answer. entry
 * must enable its own FPU (multicore_core1_prepare). */
bool multicore_launch_core1(void (*entry)(void), uint32_t *stack_top);

/* What core 1 does first: FPU on (CPACR is per core), stack limit. */
void multicore_core1_prepare(uint32_t *stack_limit);

/* The FIFO to the other core (8 words deep each way). */
void multicore_fifo_push(uint32_t value);
uint32_t multicore_fifo_pop(void);

#endif
