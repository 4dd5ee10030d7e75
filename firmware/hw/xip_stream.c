/* xip_stream.c - background copies from XIP memory with the stream engine
 * and one DMA channel (facts 8.2: drain the FIFO, STREAM_ADDR, STREAM_CTR,
 * DMA from XIP_AUX paced by DREQ_XIP_STREAM). */
#include "xip_stream.h"

#include "platform.h"
#include "regs/dma.h"
#include "regs/resets.h"
#include "regs/xip.h"
#include "resets.h"

#define STREAM_DMA_CHANNEL 0

void xip_stream_init(void) { unreset_block_wait(RESETS_RESET_DMA); }

RAM_FUNC void xip_stream_start(const void *src, void *dst, size_t words)
{
    xip_stream_wait();
    /* words left from an aborted stream must not land in this copy */
    while (!(xip_ctrl_hw->stat & XIP_STAT_FIFO_EMPTY)) (void)xip_ctrl_hw->stream_fifo;
    dma_channel_hw_t *ch = dma_channel_hw(STREAM_DMA_CHANNEL);
    ch->read_addr = XIP_AUX_STREAM;
    ch->write_addr = (uint32_t)(uintptr_t)dst;
    ch->trans_count = (uint32_t)words; /* MODE 0: a normal, single transfer */
    ch->ctrl_trig = DMA_CTRL_EN | DMA_CTRL_DATA_SIZE_WORD | DMA_CTRL_INCR_WRITE |
                    DMA_CTRL_CHAIN_TO(STREAM_DMA_CHANNEL) | DMA_CTRL_TREQ_SEL(DREQ_XIP_STREAM) |
                    DMA_CTRL_IRQ_QUIET;
    xip_ctrl_hw->stream_addr = (uint32_t)(uintptr_t)src;
    xip_ctrl_hw->stream_ctr = (uint32_t)words;
}

static RAM_FUNC bool xip_stream_busy(void)
{
    return (dma_channel_hw(STREAM_DMA_CHANNEL)->ctrl_trig & DMA_CTRL_BUSY) != 0;
}

RAM_FUNC void xip_stream_wait(void)
{
    while (xip_stream_busy()) {
    }
}
