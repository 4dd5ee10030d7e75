/* dma.h - the DMA controller's channel registers (datasheet 12.6; SDK
 * rp2350 hardware/regs/dma.h: CH0_READ_ADDR 0x000, WRITE_ADDR 0x004,
 * TRANS_COUNT 0x008 with MODE in bits 31:28, CTRL_TRIG 0x00C; channels
 * 0x40 apart; CTRL_TRIG fields as below, which moved since the RP2040). */
#ifndef PICOLLAMA_FW_REGS_DMA_H
#define PICOLLAMA_FW_REGS_DMA_H

#include "reg.h"

#define DMA_BASE 0x50000000u
#define DMA_CHANNELS 16

typedef struct {
    io_rw_32 read_addr;
    io_rw_32 write_addr;
    io_rw_32 trans_count;
    io_rw_32 ctrl_trig;
    io_rw_32 al1_ctrl;
    io_rw_32 _aliases[11];
} dma_channel_hw_t;
REG_CHECK(dma_channel_hw_t, ctrl_trig, 0x0C);
_Static_assert(sizeof(dma_channel_hw_t) == 0x40, "DMA channel stride");

#define dma_channel_hw(n) ((dma_channel_hw_t *)(DMA_BASE + 0x40u * (n)))

#define DMA_CTRL_EN (1u << 0)
#define DMA_CTRL_HIGH_PRIORITY (1u << 1)
#define DMA_CTRL_DATA_SIZE_WORD (2u << 2)
#define DMA_CTRL_INCR_READ (1u << 4)
#define DMA_CTRL_INCR_WRITE (1u << 6)
#define DMA_CTRL_CHAIN_TO(n) ((uint32_t)(n) << 13) /* to itself: no chaining */
#define DMA_CTRL_TREQ_SEL(n) ((uint32_t)(n) << 17)
#define DMA_CTRL_IRQ_QUIET (1u << 23)
#define DMA_CTRL_BUSY (1u << 26)
#define DMA_CTRL_WRITE_ERROR (1u << 29)
#define DMA_CTRL_READ_ERROR (1u << 30)
#define DMA_CTRL_AHB_ERROR (1u << 31)

/* Transfer requests (datasheet 12.6.4.1) */
#define DREQ_XIP_STREAM 49

#endif
