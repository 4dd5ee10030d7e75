/* regs/timer.h - TICKS and TIMER0/TIMER1 register facts (rp2350-facts.md
 * 4.4; datasheet 8.5 and 12.8). */
#ifndef SIM_REGS_TIMER_H
#define SIM_REGS_TIMER_H

#define TICKS_BASE 0x40108000u
/* generator n: CTRL at 0xC*n, CYCLES +4, COUNT +8 */
#define TICK_PROC0 0
#define TICK_PROC1 1
#define TICK_TIMER0 2
#define TICK_TIMER1 3
#define TICK_WATCHDOG 4
#define TICK_RISCV 5
#define TICK_COUNT 6
#define TICKS_CTRL_ENABLE 1u
#define TICKS_CTRL_RUNNING 2u

#define TIMER0_BASE 0x400B0000u
#define TIMER1_BASE 0x400B8000u
#define TIMER_TIMEHW 0x00u
#define TIMER_TIMELW 0x04u
#define TIMER_TIMEHR 0x08u
#define TIMER_TIMELR 0x0Cu
#define TIMER_ALARM0 0x10u
#define TIMER_ARMED 0x20u
#define TIMER_TIMERAWH 0x24u
#define TIMER_TIMERAWL 0x28u
#define TIMER_DBGPAUSE 0x2Cu
#define TIMER_PAUSE 0x30u
#define TIMER_LOCKED 0x34u
#define TIMER_SOURCE 0x38u      /* bit 0: 0 = TICKS.TIMERx, 1 = clk_sys */
#define TIMER_INTR 0x3Cu
#define TIMER_INTE 0x40u
#define TIMER_INTF 0x44u
#define TIMER_INTS 0x48u

#endif
