/* dev_timer.h - TICKS (the six tick generators counting clk_ref, datasheet
 * 8.5) and the two 64-bit microsecond TIMERs with their alarms (datasheet
 * 12.8). Counts are derived from the board's modelled time when read.
 *
 * Signals: each TIMER counts a tick input (its TICKS generator) and drives
 * four interrupt lines (TIMERn_IRQ_0..3: INTS bits); the board feeds TICKS
 * a clock-change notification and each block its RESETS line. */
#ifndef SIM_DEV_TIMER_H
#define SIM_DEV_TIMER_H

#include <stdint.h>

#include "device.h"
#include "services.h"
#include "signals.h"
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
    const board_services *svc;
    sim_device dev;
} ticks_dev;

typedef struct {
    int index;
    uint64_t base;           /* timer value at the anchor */
    uint64_t src_anchor;     /* source count (ticks or clk_sys cycles) at the anchor */
    uint32_t latched_hi, lw_pending;
    uint32_t alarm[4], armed_lo[4];
    uint32_t armed, intr, inte, intf, pause, locked, source, dbgpause;
    uint32_t irq_level;      /* what the interrupt lines carry now (INTS) */
    const board_services *svc;
    sim_tick_input tick;     /* in: the TICKS generator counted when SOURCE = 0 */
    sim_signal irq[4];       /* out: TIMERn_IRQ_k */
    sim_device dev;
} timer_dev;

void ticks_init(ticks_dev *t, const board_services *svc);
void ticks_reset(ticks_dev *t);
/* the clock-change input: clk_ref may have changed, re-anchor all generators */
void ticks_clock_changed(void *ticks, int n, uint32_t unused);
/* the tick stream of generator gen, for a receiver's sim_tick_input */
sim_tick_input ticks_output(ticks_dev *t, int gen);

void timer_init(timer_dev *t, int index, const board_services *svc);
void timer_reset(timer_dev *t);
/* the RESETS input */
void timer_reset_line(void *timer, int n, uint32_t asserted);
/* the 64-bit microsecond count now */
uint64_t timer_now(timer_dev *t);
/* when an alarm whose interrupt is enabled fires (ps, 0 = none), and
 * bringing the interrupt lines up to date */
uint64_t timer_next_event(timer_dev *t);
void timer_poll(timer_dev *t);

#endif
