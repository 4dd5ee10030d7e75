/* ticks.h - TICKS: the tick generators that clock TIMER0/1, the watchdog
 * and SysTick's reference (facts 4.4; SDK regs/ticks.h). */
#ifndef PICOLLAMA_FW_REGS_TICKS_H
#define PICOLLAMA_FW_REGS_TICKS_H

#include "reg.h"

#define TICKS_BASE 0x40108000u

typedef struct {
    io_rw_32 ctrl;
    io_rw_32 cycles;
    io_ro_32 count;
} tick_hw_t;

enum tick_index { TICK_PROC0 = 0, TICK_PROC1, TICK_TIMER0, TICK_TIMER1, TICK_WATCHDOG, TICK_RISCV, TICK_COUNT };

typedef struct {
    tick_hw_t ticks[TICK_COUNT];
} ticks_hw_t;
REG_CHECK(ticks_hw_t, ticks[TICK_TIMER0], 0x18);
REG_CHECK(ticks_hw_t, ticks[TICK_WATCHDOG], 0x30);

#define ticks_hw ((ticks_hw_t *)TICKS_BASE)

#define TICKS_CTRL_ENABLE (1u << 0)
#define TICKS_CTRL_RUNNING (1u << 1)

#endif
