/* dev_clocks.h - the clock tree: ROSC (fixed nominal frequency; its
 * registers are left to the generic stub), XOSC,
 * PLL_SYS, PLL_USB and the CLOCKS generators with their glitchless muxes.
 * The model computes every clock's frequency from what the firmware
 * programmed, and tells the machine when clk_sys changes. */
#ifndef SIM_DEV_CLOCKS_H
#define SIM_DEV_CLOCKS_H

#include <stdint.h>

#include "bus.h"
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
} clocks_state;

typedef struct {
    xosc_state xosc;
    pll_state pll[2];            /* 0 = PLL_SYS, 1 = PLL_USB */
    clocks_state c;
    sim_device dev_clocks, dev_xosc, dev_pll[2];
} clocks_dev;

#define ROSC_NOMINAL_HZ 11000000u   /* datasheet 8.3.1: nominal 11 MHz at boot (A2) */
#define LPOSC_NOMINAL_HZ 32768u

void clocks_setup(machine *m);
void clocks_reset(machine *m);
/* Frequency of a clock generator output in Hz (0 = stopped). */
uint64_t clocks_hz(machine *m, int clk);
/* Re-evaluates the tree after any change (PLL lock, XOSC stable...). */
void clocks_update(machine *m);
/* Called when a PLL is put into / released from reset. */
void clocks_pll_reset(machine *m, int pll);
/* Next time (ps) something in the tree changes by itself (lock, stable), or 0. */
uint64_t clocks_next_event(machine *m);

#endif
