/* resets.h - taking peripheral blocks in and out of reset. */
#ifndef PICOLLAMA_FW_RESETS_H
#define PICOLLAMA_FW_RESETS_H

#include <stdint.h>

void reset_block(uint32_t bits);
/* Releases the blocks and waits until RESET_DONE says they are ready. */
void unreset_block_wait(uint32_t bits);

#endif
