/* dma_left_over.c - test image: a DMA channel paced by DMA timer 0 (one
 * transfer per 65535 clk_sys cycles, a million of them), writing one word
 * in SRAM, still running when a debugger resets the cores (the DMA is not
 * reset). The second run, unlike the SDK's runtime init and our firmware,
 * does not reset the DMA, and the channel writes under it. */
#include "hw.h"

#define DMA_BASE 0x50000000u
#define CH(n, r) (DMA_BASE + 0x40u * (n) + (r))
#define READ_ADDR 0x00
#define WRITE_ADDR 0x04
#define TRANS_COUNT 0x08
#define CTRL_TRIG 0x0C
#define DMA_TIMER0 (DMA_BASE + 0x440u)   /* SDK regs/dma.h DMA_TIMER0_OFFSET */
#define CTRL_EN 1u
#define SIZE_WORD (2u << 2)
#define TREQ(n) ((uint32_t)(n) << 17)
#define CHAIN_SELF(n) ((uint32_t)(n) << 13)
#define BUSY (1u << 26)
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
    uint32_t busy = second_run ? REG(CH(0, CTRL_TRIG)) & BUSY : 0;
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
    REG(CH(0, READ_ADDR)) = (uint32_t)&source;
    REG(CH(0, WRITE_ADDR)) = (uint32_t)&sink;
    REG(CH(0, TRANS_COUNT)) = TRANSFERS;
    REG(CH(0, CTRL_TRIG)) = CTRL_EN | SIZE_WORD | TREQ(DREQ_DMA_TIMER0) | CHAIN_SELF(0);
    print("dma started\r\n");
    for (;;) __asm volatile("wfi");
}
