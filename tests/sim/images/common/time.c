/* time.c - TIMER0 at 1 us ticks (rp2350-facts.md 4.4). */
#include "hw.h"

void timer_start_ticks(void)
{
    REG(TICKS_BASE + 0x18 + 4) = 12;   /* TIMER0 CYCLES: 12 clk_ref cycles = 1 us */
    REG(TICKS_BASE + 0x18) = 1;        /* ENABLE */
    reset_release(1u << RST_TIMER0);
}

uint64_t time_us(void)
{
    uint32_t lo = REG(TIMER0_BASE + 0x0C);   /* TIMELR latches TIMEHR */
    uint32_t hi = REG(TIMER0_BASE + 0x08);
    return (uint64_t)hi << 32 | lo;
}

void delay_us(uint32_t us)
{
    uint64_t end = time_us() + us;
    while (time_us() < end) {}
}
