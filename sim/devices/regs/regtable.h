/* regtable.h - the list of every real RP2350 register (generated into
 * regtable.c from the Pico SDK register headers): lets the bus name any
 * register and tell an unmodelled real register from a hole. */
#ifndef SIM_REGTABLE_H
#define SIM_REGTABLE_H

#include <stddef.h>
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

/* The real register at offset of a block (NULL if none or no block);
 * *index (if given) = its place in the block's list, sorted by offset. */
static inline const sim_regdef *regtable_find(const sim_blockdef *blk, uint32_t offset, int *index)
{
    int lo = 0, hi = blk ? blk->count - 1 : -1;
    while (lo <= hi) {
        int mid = (lo + hi) / 2;
        uint32_t o = blk->regs[mid].offset;
        if (offset < o) hi = mid - 1;
        else if (offset > o) lo = mid + 1;
        else {
            if (index) *index = mid;
            return &blk->regs[mid];
        }
    }
    return NULL;
}

#endif
