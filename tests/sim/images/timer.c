/* timer.c - test image: TIMER0 alarm and SysTick against the microsecond
 * timer, at 150 MHz. */
#include "hw.h"

#define SYST_CSR 0xE000E010u
#define SYST_RVR 0xE000E014u
#define SYST_CVR 0xE000E018u

int main(void)
{
    clocks_150mhz();
    uart_init(150000000, 115200);
    timer_start_ticks();
    uint64_t t0 = time_us();
    REG(TIMER0_BASE + 0x10) = (uint32_t)t0 + 500;      /* ALARM0 */
    while (!(REG(TIMER0_BASE + 0x3C) & 1)) {}         /* INTR bit 0 */
    uint64_t t1 = time_us();
    REG(TIMER0_BASE + 0x3C) = 1;
    print("alarm fired after ");
    print_dec((uint32_t)(t1 - t0));
    print(" us, armed ");
    print_dec(REG(TIMER0_BASE + 0x20));
    print("\r\n");
    REG(SYST_RVR) = 150000 - 1;                        /* 1 ms at 150 MHz */
    REG(SYST_CVR) = 0;
    REG(SYST_CSR) = 5;                                 /* ENABLE, processor clock */
    t0 = time_us();
    for (int i = 0; i < 10; i++)
        while (!(REG(SYST_CSR) & (1u << 16))) {}       /* COUNTFLAG */
    t1 = time_us();
    print("10 SysTick periods took ");
    print_dec((uint32_t)(t1 - t0));
    print(" us\r\n");
    delay_us(2000);
    print("timer ");
    print_dec((uint32_t)time_us());
    print(" us\r\ndone\r\n");
    return 0;
}
