/* dev_ppb.h - the Cortex-M33 private peripheral bus of each core: SysTick,
 * NVIC (kept, interrupts are not delivered), SCB (CPUID, VTOR, AIRCR, SCR,
 * CCR, CPACR, ...), MPU/SAU registers (kept), DWT cycle counter, and the
 * RP2350 EPPB. No atomic aliases (datasheet 2.1.3).
 *
 * Signals: in: each core's SysTick reference tick stream (TICKS' PROC0 /
 * PROC1 generators); out: AIRCR.SYSRESETREQ written (a reboot request).
 * The cores read VTOR and CPACR (whether it grants the FPU). */
#ifndef SIM_DEV_PPB_H
#define SIM_DEV_PPB_H

#include <stdint.h>

#include "device.h"
#include "services.h"
#include "signals.h"

typedef struct {
    uint32_t vtor, cpacr, nsacr, scr, ccr, aircr_prio, shcsr, demcr;
    uint32_t dwt_ctrl, cyccnt_base;
    uint64_t cyccnt_anchor;          /* machine cycles when CYCCNT was last set */
    int cyccnt_running;
    uint32_t syst_csr, syst_rvr, syst_cvr;
    uint64_t syst_anchor;            /* source count when CVR was last set */
    int syst_countflag;
    uint32_t nvic_iser[2], nvic_ispr[2], nvic_ipr[16], nvic_itns[2];
    uint32_t shpr[3], mpu[16], sau[8], fpccr, fpcar, fpdscr, actlr;
    uint32_t eppb[3];
    int warned_irq, warned_tickint;
} ppb_core;

typedef struct {
    ppb_core c[2];
    const board_services *svc;
    sim_tick_input systick[2];       /* in: each core's SysTick reference ticks */
    sim_signal sysresetreq;          /* out: AIRCR.SYSRESETREQ written (pulse) */
    sim_device dev, dev_eppb;
} ppb_dev;

void ppb_init(ppb_dev *p, const board_services *svc);
/* one core's registers to their reset values; the wiring stays */
void ppb_reset_core(ppb_dev *p, int core);

#endif
