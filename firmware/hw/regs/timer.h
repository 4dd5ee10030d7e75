/* timer.h - TIMER0/TIMER1 64-bit microsecond timers (facts 4.4; SDK
 * regs/timer.h). */
#ifndef PICOLLAMA_FW_REGS_TIMER_H
#define PICOLLAMA_FW_REGS_TIMER_H

#include "reg.h"

#define TIMER0_BASE 0x400B0000u
#define TIMER1_BASE 0x400B8000u

typedef struct {
    io_wo_32 timehw;
    io_wo_32 timelw;
    io_ro_32 timehr;
    io_ro_32 timelr; /* read LR first: it latches HR */
    io_rw_32 alarm[4];
    io_rw_32 armed;
    io_ro_32 timerawh;
    io_ro_32 timerawl;
    io_rw_32 dbgpause;
    io_rw_32 pause;
    io_rw_32 locked;
    io_rw_32 source;
    io_rw_32 intr, inte, intf, ints;
} timer_hw_t;
REG_CHECK(timer_hw_t, timerawl, 0x28);
REG_CHECK(timer_hw_t, source, 0x38);

#define timer0_hw ((timer_hw_t *)TIMER0_BASE)

#endif
