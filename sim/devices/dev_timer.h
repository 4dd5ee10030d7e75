/* dev_timer.h - TICKS (the six tick generators counting clk_ref) and the two
 * 64-bit microsecond TIMERs with their alarms. Counts are derived from the
 * machine's modelled time when read. */
#ifndef SIM_DEV_TIMER_H
#define SIM_DEV_TIMER_H

#include <stdint.h>

#include "bus.h"
#include "simtime.h"
#include "regs/timer.h"

typedef struct {
    uint32_t ctrl, cycles;
    uint64_t ticks_base;     /* ticks counted up to the anchor */
    uint64_t rem;            /* clk_ref cycles into the current tick at the anchor */
    uint64_t anchor_ps;
    uint64_t f_ref;          /* clk_ref at the anchor (0 = stopped) */
} tick_gen;

typedef struct {
    tick_gen gen[TICK_COUNT];
    sim_device dev;
} ticks_dev;

typedef struct {
    int index;
    uint64_t base;           /* timer value at the anchor */
    uint64_t src_anchor;     /* source count (ticks or clk_sys cycles) at the anchor */
    uint32_t latched_hi, lw_pending;
    uint32_t alarm[4], armed_lo[4];
    uint32_t armed, intr, inte, intf, pause, locked, source, dbgpause;
    sim_device dev;
} timer_dev;

void ticks_setup(machine *m);
void ticks_reset(machine *m);
/* clk_ref may have changed: re-anchor all generators */
void ticks_clock_changed(machine *m);
/* ticks of generator g since power-on */
uint64_t ticks_count(machine *m, int g);
int ticks_running(machine *m, int g);
/* time (ps) at which generator g reaches tick count n (0 = never) */
uint64_t ticks_time_of(machine *m, int g, uint64_t n);

void timers_setup(machine *m);
void timer_reset(machine *m, int i);
/* the 64-bit microsecond count of TIMERi now */
uint64_t timer_now(machine *m, int i);

#endif
