/* dev_clocks.h - the clock tree (datasheet chapter 8): ROSC (fixed nominal
 * frequency; its registers are left to the generic stub), XOSC, PLL_SYS,
 * PLL_USB and the CLOCKS generators with their glitchless muxes. The model
 * computes every clock's frequency from what the firmware programmed.
 *
 * Signals: in: whether PLL_SYS / PLL_USB is held in reset (probes of their
 * RESETS lines); out: clk_sys's new frequency on every change (the board
 * re-anchors modelled time), a pulse after every re-evaluation of the tree
 * (receivers caching a frequency, such as TICKS, re-read it), and clk_sys
 * losing its source (the chip would stop: the board reports a fault). */
#ifndef SIM_DEV_CLOCKS_H
#define SIM_DEV_CLOCKS_H

#include <stdint.h>

#include "device.h"
#include "services.h"
#include "signals.h"
#include "regs/clocks.h"

typedef struct {
    uint32_t ctrl, startup, count;
    int badwrite;
    int enabled;
    uint64_t enabled_at_ps;     /* when ENABLE went to 0xFAB */
    uint64_t count_at_ps;       /* when COUNT was written */
} xosc_state;

typedef struct {
    const char *name;
    uint32_t cs, pwr, fbdiv, prim, inte, intf, intr;
    uint64_t lock_at_ps;        /* when the current configuration locks; 0 = never */
} pll_state;

typedef struct {
    uint32_t ctrl[CLK_COUNT], div[CLK_COUNT];
    uint32_t resus_ctrl;
    uint32_t plain[64];          /* other registers kept as written (WAKE_EN, ...) */
    uint64_t hz[CLK_COUNT];      /* current output frequencies */
    uint32_t sel_ref, sel_sys;   /* glitchless mux positions actually selected */
    uint64_t reported[CLK_COUNT];
    int warned_aux_glitch[CLK_COUNT];
    const char *lost_src;        /* the stopped source clk_sys was switched to */
} clocks_state;

typedef struct {
    xosc_state xosc;
    pll_state pll[2];            /* 0 = PLL_SYS, 1 = PLL_USB */
    clocks_state c;
    uint64_t xosc_hz;            /* the board's crystal */
    uint64_t sys_hz_out;         /* what the sys_hz output carries */
    const board_services *svc;
    sim_probe pll_held[2];       /* in: PLL_SYS / PLL_USB held in reset */
    sim_signal sys_hz;           /* out: clk_sys in Hz, on every change (never 0) */
    sim_signal changed;          /* out: pulsed after every re-evaluation of the tree */
    sim_signal sys_lost;         /* out: clk_sys's source stopped (c.lost_src names it) */
    sim_device dev_clocks, dev_xosc, dev_pll[2];
} clocks_dev;

#define ROSC_NOMINAL_HZ 11000000u   /* datasheet 8.3.1: nominal 11 MHz at boot (A2) */
#define LPOSC_NOMINAL_HZ 32768u

/* xosc_hz: the crystal fitted on the board */
void clocks_init(clocks_dev *k, uint64_t xosc_hz, const board_services *svc);
/* the registers to their reset values; the wiring stays */
void clocks_reset(clocks_dev *k);
/* Frequency of a clock generator output in Hz (0 = stopped). */
uint64_t clocks_freq_hz(const clocks_dev *k, int clk);
/* Re-evaluates the tree after any change (PLL lock, XOSC stable...). */
void clocks_update(clocks_dev *k);
/* Next time (ps) something in the tree changes by itself (lock, stable), or 0. */
uint64_t clocks_next_event(clocks_dev *k);

#endif
