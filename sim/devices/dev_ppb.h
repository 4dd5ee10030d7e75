/* dev_ppb.h - the Cortex-M33 private peripheral bus of each core: SysTick,
 * NVIC (enable, pending, active, priority of the 52 IRQs and the system
 * exceptions), SCB (CPUID, ICSR, VTOR, AIRCR, SCR, CCR, SHPR, SHCSR, CPACR,
 * ...), MPU/SAU registers (kept), DWT cycle counter, and the RP2350 EPPB.
 * No atomic aliases (datasheet 2.1.3). The NVIC decides which exception a
 * core takes (Armv8-M ARM B3.9: priorities, preemption); the core stacks
 * and unstacks (cpu/cpu_exception.c).
 *
 * Signals: in: each core's SysTick reference tick stream (TICKS' PROC0 /
 * PROC1 generators); the interrupt lines (ppb_irq_line, n = core * 64 +
 * IRQ number, level-sensitive); out: AIRCR.SYSRESETREQ written (a reboot
 * request); exception_pending[core]: an exception became pending (the
 * board ends the running slice so the core can take it). The cores read
 * VTOR and CPACR. */
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
    uint32_t nvic_iabr[2];           /* active IRQs */
    uint32_t irq_level[2];           /* the interrupt lines as the devices drive them */
    uint64_t line_high_since[64];    /* when each line last went high (clk_sys cycles) */
    uint32_t irq_seen[2];            /* the high lines this core sees by its own time */
    uint32_t sys_pending, sys_active;   /* system exceptions, bit = exception number */
    uint32_t cfsr, hfsr;             /* fault causes (write 1 to clear) */
    uint32_t bfar;                   /* the address of the last precise BusFault */
    uint32_t shpr[3], mpu[16], sau[8], fpccr, fpcar, fpdscr, actlr;
    uint32_t eppb[3];
} ppb_core;

typedef struct {
    ppb_core c[2];
    const board_services *svc;
    sim_tick_input systick[2];       /* in: each core's SysTick reference ticks */
    sim_signal sysresetreq;          /* out: AIRCR.SYSRESETREQ written (pulse) */
    sim_signal exception_pending[2]; /* out: an exception became pending on core i (pulse) */
    sim_device dev, dev_eppb;
} ppb_dev;

void ppb_init(ppb_dev *p, const board_services *svc);
/* one core's registers to their reset values; the wiring stays */
void ppb_reset_core(ppb_dev *p, int core);

/* the interrupt line input: n = core * 64 + IRQ number, level 0/1. A
 * core sees a line from the cycle it went high on (the board's clock): the
 * cores run in turns, and a core running behind must not take an
 * interrupt the other core or a device raises later in its own time. */
void ppb_irq_line(void *ppb, int n, uint32_t level);
/* The first cycle after `after` at which a line of `core` that is high
 * now becomes visible to it (UINT64_MAX: none): the scheduler stops the
 * core there to let it take the interrupt. */
uint64_t ppb_next_line_cycle(const ppb_dev *d, int core, uint64_t after);
/* SysTick: when the next enabled SysTick exception is due (ps, 0 = none),
 * and pending the ones that are */
uint64_t ppb_next_event(ppb_dev *p);
void ppb_poll(ppb_dev *p);

/* The exception core takes now, given its PRIMASK/BASEPRI/FAULTMASK: the
 * highest-priority pending, enabled one whose priority beats the execution
 * priority; 0 = none. */
int ppb_exception_to_take(ppb_dev *p, int core, uint32_t primask, uint32_t basepri,
                          uint32_t faultmask);
/* exc's priority beats core's execution priority (a synchronous fault is
 * taken now, or escalates) */
int ppb_exception_can_preempt(ppb_dev *p, int core, int exc, uint32_t primask, uint32_t basepri,
                              uint32_t faultmask);
/* forgets a pending system exception (a fault that escalated) */
void ppb_exception_unpend(ppb_dev *p, int core, int exc);
/* Something is pending and enabled, whatever the masks (WFI wakes). */
int ppb_exception_waiting(ppb_dev *p, int core);
/* the core entered / returned from exception exc; pends a synchronous one
 * (SVCall, a fault: HardFault instead when the fault's handler is disabled)
 * and returns the exception number that is pending */
void ppb_exception_entered(ppb_dev *p, int core, int exc);
void ppb_exception_returned(ppb_dev *p, int core, int exc);
int ppb_exception_raise(ppb_dev *p, int core, int exc);
/* a fault's cause bits in CFSR; forced: escalated to HardFault (HFSR.FORCED);
 * bfar: the faulting address, kept when CFSR.BFARVALID is among the bits */
void ppb_fault_status(ppb_dev *p, int core, uint32_t cfsr, int forced, uint32_t bfar);

#endif
