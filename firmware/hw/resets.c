/* resets.c - RESETS block helpers (facts 5: SET/CLR aliases, RESET_DONE). */
#include "resets.h"

#include "regs/resets.h"

void reset_block(uint32_t bits) { hw_set_bits(&resets_hw->reset, bits); }

void unreset_block_wait(uint32_t bits)
{
    hw_clear_bits(&resets_hw->reset, bits);
    while ((resets_hw->reset_done & bits) != bits) {
    }
}
