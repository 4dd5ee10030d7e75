/* core1.c - core 1 through the boot ROM's FIFO handshake (0, 0, 1, VTOR,
 * SP, entry; rp2350-facts.md 12.2) and the inter-core FIFO, waiting with
 * WFE and signalling with SEV as the SDK's multicore functions do. */
#include "hw.h"

#define FIFO_ST (SIO_BASE + 0x50)
#define FIFO_WR (SIO_BASE + 0x54)
#define FIFO_RD (SIO_BASE + 0x58)

extern uint32_t __stack1_top;

void fifo_push(uint32_t v)
{
    while (!(REG(FIFO_ST) & 2)) {}
    REG(FIFO_WR) = v;
    __asm volatile("sev");
}

uint32_t fifo_pop(void)
{
    while (!(REG(FIFO_ST) & 1)) __asm volatile("wfe");
    return REG(FIFO_RD);
}

void launch_core1(void (*entry)(void))
{
    const uint32_t cmds[6] = {0, 0, 1, REG(0xE000ED08), (uint32_t)&__stack1_top, (uint32_t)entry};
    int i = 0;
    while (i < 6) {
        if (cmds[i] == 0) {
            while (REG(FIFO_ST) & 1) (void)REG(FIFO_RD);   /* drain */
            __asm volatile("sev");
        }
        fifo_push(cmds[i]);
        uint32_t reply = fifo_pop();
        i = reply == cmds[i] ? i + 1 : 0;
    }
}
