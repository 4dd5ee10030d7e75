/* dma_left_over.c - test image: a DMA channel paced by DMA timer 0 (one
 * transfer per 65535 clk_sys cycles, a million of them), writing one word
 * in SRAM, still running when a debugger resets the cores (the DMA is not
 * reset). The second run, unlike the SDK's runtime init and our firmware,
 * does not reset the DMA, and the channel writes under it. */
#include "hw.h"

#define DMA_TIMER0 (DMA_BASE + 0x440u)   /* SDK regs/dma.h DMA_TIMER0_OFFSET */
#define DREQ_DMA_TIMER0 59
#define RESET_DMA (1u << 2)

#define PACING 0xFFFFu
#define TRANSFERS 1000000u

static uint32_t source = 0x5A5A5A5Au;
static volatile uint32_t sink;

int main(void)
{
    /* the DMA out of reset: a run before this one released it */
    int second_run = !(REG(RESETS_RESET) & RESET_DMA);
    uint32_t busy = second_run ? REG(DMA_CH(0, DMA_CTRL_TRIG)) & DMA_BUSY : 0;
    clocks_150mhz();
    uart_init(150000000, 115200);
    if (second_run) {
        print(busy ? "second run: channel 0 still busy\r\n" : "second run: channel 0 done\r\n");
        for (volatile int i = 0; i < 300000; i++) {}   /* a left-over channel writes meanwhile */
        print("done\r\n");
        return 0;
    }
    reset_release(RESET_DMA);
    REG(DMA_TIMER0) = 1u << 16 | PACING;   /* one transfer every PACING clk_sys cycles */
    REG(DMA_CH(0, DMA_READ_ADDR)) = (uint32_t)&source;
    REG(DMA_CH(0, DMA_WRITE_ADDR)) = (uint32_t)&sink;
    REG(DMA_CH(0, DMA_TRANS_COUNT)) = TRANSFERS;
    REG(DMA_CH(0, DMA_CTRL_TRIG)) = DMA_CTRL_EN | DMA_SIZE_WORD | DMA_TREQ(DREQ_DMA_TIMER0) | DMA_CHAIN_TO(0);
    print("dma started\r\n");
    for (;;) __asm volatile("wfi");
}
