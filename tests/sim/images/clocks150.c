/* clocks150.c - test image: XOSC -> PLL_SYS 150 MHz / PLL_USB 48 MHz, then
 * counts DWT cycles over 1 ms of TIMER0 time. */
#include "hw.h"

int main(void)
{
    clocks_150mhz();
    uart_init(150000000, 115200);
    print("clk_sys configured for 150 MHz\r\n");
    timer_start_ticks();
    REG(PPB_DEMCR) |= 1u << 24;
    REG(DWT_CYCCNT) = 0;
    REG(DWT_CTRL) |= 1;
    uint64_t t0 = time_us();
    uint32_t c0 = REG(DWT_CYCCNT);
    while (time_us() - t0 < 1000) {}
    uint32_t c1 = REG(DWT_CYCCNT);
    print("cycles per ms: ");
    print_dec((c1 - c0 + 500) / 1000 * 1000);
    print("\r\ndone\r\n");
    return 0;
}
