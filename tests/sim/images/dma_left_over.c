/* dma_left_over.c - test image: two DMA channels still running when a
 * debugger resets the cores (the DMA is not reset), each copying a word a
 * million times: channel 0 (paced by DMA timer 0, one transfer per 1000
 * clk_sys cycles) to a word of SRAM no run uses, channel 1 (timer 1, one
 * per 65535) to a word of .bss. The second run, unlike the SDK's runtime
 * init and our firmware, does not reset the DMA: channel 1 writes over the
 * .bss the second run has cleared, channel 0 (first in the DMA's rotation)
 * only over its own word. */
#include "hw.h"

#define DMA_TIMER0 (DMA_BASE + 0x440u)   /* SDK regs/dma.h DMA_TIMER0_OFFSET */
#define DMA_TIMER1 (DMA_BASE + 0x444u)   /* DMA_TIMER1_OFFSET */
#define DREQ_DMA_TIMER0 59
#define DREQ_DMA_TIMER1 60
#define UNUSED_SRAM_WORD 0x20070000u     /* far from this image's data, bss and stack */
#define RESET_DMA (1u << 2)

#define TRANSFERS 1000000u

static uint32_t source = 0x5A5A5A5Au;
static volatile uint32_t sink;

/* channel ch copies source to *dst TRANSFERS times, one copy every
 * `pacing` clk_sys cycles of DMA timer `timer` (register, DREQ) */
static void start_copies(int ch, uint32_t timer, uint32_t dreq, uint32_t pacing,
                         volatile uint32_t *dst)
{
    REG(timer) = 1u << 16 | pacing;
    REG(DMA_CH(ch, DMA_READ_ADDR)) = (uint32_t)&source;
    REG(DMA_CH(ch, DMA_WRITE_ADDR)) = (uint32_t)dst;
    REG(DMA_CH(ch, DMA_TRANS_COUNT)) = TRANSFERS;
    REG(DMA_CH(ch, DMA_CTRL_TRIG)) =
        DMA_CTRL_EN | DMA_SIZE_WORD | DMA_TREQ(dreq) | DMA_CHAIN_TO(ch);
}

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
    start_copies(0, DMA_TIMER0, DREQ_DMA_TIMER0, 1000u, (volatile uint32_t *)UNUSED_SRAM_WORD);
    start_copies(1, DMA_TIMER1, DREQ_DMA_TIMER1, 0xFFFFu, &sink);
    print("dma started\r\n");
    for (;;) __asm volatile("wfi");
}
