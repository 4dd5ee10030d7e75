/* regtable.h - the list of every real RP2350 register (generated into
 * regtable.c from the Pico SDK register headers): lets the bus name any
 * register and tell an unmodelled real register from a hole. */
#ifndef SIM_REGTABLE_H
#define SIM_REGTABLE_H

#include <stdint.h>

typedef struct {
    uint32_t offset;
    const char *name;   /* as the datasheet names it, without the block prefix */
    uint32_t reset;
    uint32_t bits;      /* implemented bits */
} sim_regdef;

typedef struct {
    const char *name;   /* block name, e.g. "UART0" */
    uint32_t base;
    const sim_regdef *regs;
    int count;          /* registers, sorted by offset */
} sim_blockdef;

extern const sim_blockdef sim_blocks[];
extern const int sim_block_count;

#endif
