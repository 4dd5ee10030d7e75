/* core1.c - test image: launches core 1 through the boot ROM's FIFO
 * handshake (0, 0, 1, VTOR, SP, entry; rp2350-facts.md 12.2); core 1 enables
 * its own FPU, sums in floating point and replies through the FIFO. */
#include "hw.h"

#define FIFO_ST (SIO_BASE + 0x50)
#define FIFO_WR (SIO_BASE + 0x54)
#define FIFO_RD (SIO_BASE + 0x58)

extern uint32_t __stack1_top;
volatile uint32_t core1_counter;

static void fifo_push(uint32_t v)
{
    while (!(REG(FIFO_ST) & 2)) {}
    REG(FIFO_WR) = v;
    __asm volatile("sev");
}

static uint32_t fifo_pop(void)
{
    while (!(REG(FIFO_ST) & 1)) __asm volatile("wfe");
    return REG(FIFO_RD);
}

static void core1_main(void)
{
    REG(PPB_CPACR) |= 0xFu << 20;   /* each core enables its own FPU */
    __asm volatile("dsb; isb");
    float sum = 0;
    for (int i = 1; i <= 1000; i++) sum += (float)i;
    fifo_push(REG(SIO_BASE));       /* CPUID */
    fifo_push((uint32_t)sum);
    for (;;) core1_counter++;
}

static void launch_core1(void (*entry)(void))
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

int main(void)
{
    clocks_150mhz();
    uart_init(150000000, 115200);
    print("launching core 1\r\n");
    launch_core1(core1_main);
    uint32_t id = fifo_pop();
    uint32_t sum = fifo_pop();
    print("core 1 CPUID ");
    print_dec(id);
    print(", sum ");
    print_dec(sum);
    print("\r\n");
    uint32_t c0 = core1_counter;
    for (volatile int i = 0; i < 100000; i++) {}
    print(core1_counter != c0 ? "core 1 is running\r\n" : "core 1 is stuck\r\n");
    print("done\r\n");
    return 0;
}
