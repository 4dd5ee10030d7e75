/* core1.c - test image: launches core 1 through the boot ROM's FIFO
 * handshake (common/core1.c); core 1 enables its own FPU, sums in floating
 * point and replies through the FIFO. */
#include "hw.h"

volatile uint32_t core1_counter;

/* not inlined: the compiler must not start the sum before the FPU is on */
static __attribute__((noinline)) uint32_t sum_to_1000(void)
{
    float sum = 0;
    for (int i = 1; i <= 1000; i++) sum += (float)i;
    return (uint32_t)sum;
}

static void core1_main(void)
{
    REG(PPB_CPACR) |= 0xFu << 20;   /* each core enables its own FPU */
    __asm volatile("dsb; isb" ::: "memory");
    uint32_t sum = sum_to_1000();
    fifo_push(REG(SIO_BASE));       /* CPUID */
    fifo_push(sum);
    for (;;) core1_counter++;
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
