/* dev_ppb.c - per-core Cortex-M33 PPB registers (see dev_ppb.h). The engine
 * behind each core is Unicorn, whose own NVIC/SCB is not used: the sim keeps
 * the architectural values, enforces CPACR for FP instructions itself
 * (cpu.c), and times SysTick and DWT CYCCNT in modelled cycles. */
#include "dev_ppb.h"

#include <string.h>

#include "log.h"
#include "regs/ppb.h"

static int core_of(bus_access *a) { return a->master == BUS_MASTER_CORE1 ? 1 : 0; }

/* ---- SysTick ---- */

static uint64_t syst_source(ppb_dev *d, int core, ppb_core *p)
{
    if (p->syst_csr & SYST_CSR_CLKSOURCE) return svc_now_cycles(d->svc);
    return tick_count(&d->systick[core]);
}

/* current value; *wrapped = the counter counted down to 0 since the anchor.
 * The counter decrements once per source tick; from 0 it reloads RVR on the
 * next tick (Armv8-M ARM, SysTick). */
static uint32_t syst_value(ppb_dev *d, int core, ppb_core *p, int *wrapped)
{
    *wrapped = 0;
    if (!(p->syst_csr & SYST_CSR_ENABLE)) return p->syst_cvr;
    uint64_t t = syst_source(d, core, p) - p->syst_anchor;
    uint64_t cvr0 = p->syst_cvr, rvr = p->syst_rvr & 0xFFFFFF;
    if (cvr0 > 0 && t <= cvr0) {
        *wrapped = t == cvr0;
        return (uint32_t)(cvr0 - t);
    }
    if (rvr == 0) return 0;
    *wrapped = cvr0 > 0 || t >= rvr + 1;
    uint64_t after = t - (cvr0 + 1);   /* ticks since the first reload */
    return (uint32_t)(rvr - after % (rvr + 1));
}

static void syst_rebase(ppb_dev *d, int core, ppb_core *p)
{
    int wrapped;
    p->syst_cvr = syst_value(d, core, p, &wrapped);
    p->syst_countflag |= wrapped;
    p->syst_anchor = syst_source(d, core, p);
}

/* ---- DWT CYCCNT ---- */

static int cyccnt_on(ppb_core *p)
{
    return (p->demcr & DEMCR_TRCENA) && (p->dwt_ctrl & DWT_CTRL_CYCCNTENA);
}

static uint32_t cyccnt(ppb_dev *d, ppb_core *p)
{
    if (!cyccnt_on(p)) return p->cyccnt_base;
    return p->cyccnt_base + (uint32_t)(svc_now_cycles(d->svc) - p->cyccnt_anchor);
}

/* freezes the count at now (before its enable conditions change) */
static void cyccnt_rebase(ppb_dev *d, ppb_core *p)
{
    p->cyccnt_base = cyccnt(d, p);
    p->cyccnt_anchor = svc_now_cycles(d->svc);
}

/* ---- registers ---- */

/* identification registers: read-only, values from the register list */
static int is_id_register(uint32_t off)
{
    return off == SCB_CPUID || (off >= 0xED40 && off <= 0xED7C) || (off >= 0xEF40 && off <= 0xEF48) ||
           off == MPU_TYPE || off == 0xEDD4 || off == SYST_CALIB || off == 0xE004 ||
           (off & 0xFFF) >= 0xFBC;
}

static int ppb_read(void *st, bus_access *a, uint32_t *v)
{
    ppb_dev *d = st;
    int c = core_of(a);
    ppb_core *p = &d->c[c];
    uint32_t off = a->offset;
    int wrapped;
    switch (off) {
    case DWT_CTRL: *v = (regtable_find(d->dev.regs, off, NULL)->reset & 0xFFFF0000u) | (p->dwt_ctrl & 0x1FFF); return BUS_OK;
    case DWT_CYCCNT: *v = cyccnt(d, p); return BUS_OK;
    case SYST_CSR:
        syst_rebase(d, c, p);
        *v = p->syst_csr | (p->syst_countflag ? SYST_CSR_COUNTFLAG : 0);
        p->syst_countflag = 0;   /* reading clears COUNTFLAG */
        return BUS_OK;
    case SYST_RVR: *v = p->syst_rvr; return BUS_OK;
    case SYST_CVR: *v = syst_value(d, c, p, &wrapped); return BUS_OK;
    case SCB_ICSR: *v = 0; return BUS_OK;   /* thread mode, nothing pending */
    case SCB_VTOR: *v = p->vtor; return BUS_OK;
    case SCB_AIRCR: *v = 0xFA050000u | p->aircr_prio; return BUS_OK;
    case SCB_SCR: *v = p->scr; return BUS_OK;
    case SCB_CCR: *v = p->ccr; return BUS_OK;
    case SCB_SHCSR: *v = p->shcsr; return BUS_OK;
    case SCB_CPACR: *v = p->cpacr; return BUS_OK;
    case SCB_NSACR: *v = p->nsacr; return BUS_OK;
    case DEMCR: *v = p->demcr; return BUS_OK;
    case FPCCR: *v = p->fpccr; return BUS_OK;
    case FPCAR: *v = p->fpcar; return BUS_OK;
    case FPDSCR: *v = p->fpdscr; return BUS_OK;
    case SCB_CFSR: case SCB_HFSR: *v = 0; return BUS_OK;
    }
    if (off >= NVIC_ISER0 && off < NVIC_ISER0 + 8) { *v = p->nvic_iser[(off - NVIC_ISER0) / 4]; return BUS_OK; }
    if (off >= NVIC_ICER0 && off < NVIC_ICER0 + 8) { *v = p->nvic_iser[(off - NVIC_ICER0) / 4]; return BUS_OK; }
    if (off >= NVIC_ISPR0 && off < NVIC_ISPR0 + 8) { *v = p->nvic_ispr[(off - NVIC_ISPR0) / 4]; return BUS_OK; }
    if (off >= NVIC_ICPR0 && off < NVIC_ICPR0 + 8) { *v = p->nvic_ispr[(off - NVIC_ICPR0) / 4]; return BUS_OK; }
    if (off >= NVIC_IABR0 && off < NVIC_IABR0 + 8) { *v = 0; return BUS_OK; }
    if (off >= NVIC_ITNS0 && off < NVIC_ITNS0 + 8) { *v = p->nvic_itns[(off - NVIC_ITNS0) / 4]; return BUS_OK; }
    if (off >= NVIC_IPR0 && off < NVIC_IPR0 + 64) { *v = p->nvic_ipr[(off - NVIC_IPR0) / 4]; return BUS_OK; }
    if (off >= SCB_SHPR1 && off < SCB_SHPR1 + 12) { *v = p->shpr[(off - SCB_SHPR1) / 4]; return BUS_OK; }
    if (off >= MPU_CTRL && off <= 0xEDC4) { *v = p->mpu[(off - MPU_CTRL) / 4]; return BUS_OK; }
    if (off >= SAU_CTRL && off <= 0xEDE8 && off != 0xEDD4) { *v = p->sau[(off - SAU_CTRL) / 4]; return BUS_OK; }
    if (is_id_register(off)) {
        const sim_regdef *r = regtable_find(d->dev.regs, off, NULL);
        if (!r) return BUS_HOLE;
        *v = r->reset;
        return BUS_OK;
    }
    return BUS_UNMODELLED;
}

/* byte-addressable registers (NVIC_IPR, SHPR): write the lanes of the access */
static uint32_t lane_write(uint32_t old, uint32_t v, bus_access *a)
{
    if (a->size == 4) return v;
    uint32_t shift = (a->addr & 3) * 8, mask = (a->size == 1 ? 0xFFu : 0xFFFFu) << shift;
    return (old & ~mask) | (v & mask);
}

static void warn_irq(ppb_core *p, int core, uint32_t bits, int word)
{
    if (!bits || p->warned_irq) return;
    p->warned_irq = 1;
    int irq = word * 32 + __builtin_ctz(bits);
    sim_warn("core %d enabled NVIC interrupt %d: the virtual board does not deliver interrupts "
             "(firmware must poll)", core, irq);
}

static int ppb_write(void *st, bus_access *a, uint32_t v)
{
    ppb_dev *d = st;
    int c = core_of(a);
    ppb_core *p = &d->c[c];
    uint32_t off = a->offset;
    switch (off) {
    case DWT_CTRL: cyccnt_rebase(d, p); p->dwt_ctrl = v & 0x1FFF; return BUS_OK;
    case DWT_CYCCNT: p->cyccnt_base = v; p->cyccnt_anchor = svc_now_cycles(d->svc); return BUS_OK;
    case SYST_CSR:
        syst_rebase(d, c, p);
        p->syst_csr = v & 7;
        p->syst_anchor = syst_source(d, c, p);
        if ((v & SYST_CSR_TICKINT) && !p->warned_tickint) {
            p->warned_tickint = 1;
            sim_warn("core %d SysTick TICKINT set: the SysTick exception is not delivered", c);
        }
        return BUS_OK;
    case SYST_RVR: syst_rebase(d, c, p); p->syst_rvr = v & 0xFFFFFF; return BUS_OK;
    case SYST_CVR:
        p->syst_cvr = 0;   /* any write clears the counter and COUNTFLAG */
        p->syst_countflag = 0;
        p->syst_anchor = syst_source(d, c, p);
        return BUS_OK;
    case SCB_ICSR:
        if (v & 0xD6000000u) sim_warn("core %d ICSR write 0x%08x: exceptions are not modelled", c, v);
        return BUS_OK;
    case SCB_VTOR: p->vtor = v & 0xFFFFFF80u; return BUS_OK;
    case SCB_AIRCR:
        if ((v >> 16) != AIRCR_VECTKEY) return BUS_OK;   /* no key: ignored */
        p->aircr_prio = v & 0x0000E708u;
        if (v & AIRCR_SYSRESETREQ) {
            sim_warn("core %d AIRCR.SYSRESETREQ: modelled as a whole-board reboot (its scope on "
                     "the RP2350 is not documented as such; use the watchdog for a full reboot)", c);
            signal_set(&d->sysresetreq, 1);
        }
        return BUS_OK;
    case SCB_SCR: p->scr = v & 0x1E; return BUS_OK;
    case SCB_CCR: p->ccr = v & 0x0007071B; return BUS_OK;
    case SCB_SHCSR: p->shcsr = v & 0x003FFDBF; return BUS_OK;
    case SCB_CPACR: p->cpacr = v & 0x00F0FFFF; return BUS_OK;
    case SCB_NSACR: p->nsacr = v & 0xCFF; return BUS_OK;
    case DEMCR: cyccnt_rebase(d, p); p->demcr = v & 0x011F0FF1; return BUS_OK;
    case FPCCR: p->fpccr = v; return BUS_OK;
    case FPCAR: p->fpcar = v & ~7u; return BUS_OK;
    case FPDSCR: p->fpdscr = v & 0x07C00000; return BUS_OK;
    case SCB_CFSR: case SCB_HFSR: return BUS_OK;
    }
    if (off >= NVIC_ISER0 && off < NVIC_ISER0 + 8) {
        int w = (int)(off - NVIC_ISER0) / 4;
        uint32_t bits = v & (w ? 0xFFFFF : 0xFFFFFFFF);
        warn_irq(p, c, bits & ~p->nvic_iser[w], w);
        p->nvic_iser[w] |= bits;
        return BUS_OK;
    }
    if (off >= NVIC_ICER0 && off < NVIC_ICER0 + 8) { p->nvic_iser[(off - NVIC_ICER0) / 4] &= ~v; return BUS_OK; }
    if (off >= NVIC_ISPR0 && off < NVIC_ISPR0 + 8) { p->nvic_ispr[(off - NVIC_ISPR0) / 4] |= v; return BUS_OK; }
    if (off >= NVIC_ICPR0 && off < NVIC_ICPR0 + 8) { p->nvic_ispr[(off - NVIC_ICPR0) / 4] &= ~v; return BUS_OK; }
    if (off >= NVIC_IABR0 && off < NVIC_IABR0 + 8) return BUS_OK;
    if (off >= NVIC_ITNS0 && off < NVIC_ITNS0 + 8) { p->nvic_itns[(off - NVIC_ITNS0) / 4] = v; return BUS_OK; }
    if (off >= NVIC_IPR0 && off < NVIC_IPR0 + 64) {
        uint32_t *r = &p->nvic_ipr[(off - NVIC_IPR0) / 4];
        *r = lane_write(*r, v, a);
        return BUS_OK;
    }
    if (off >= SCB_SHPR1 && off < SCB_SHPR1 + 12) {
        uint32_t *r = &p->shpr[(off - SCB_SHPR1) / 4];
        *r = lane_write(*r, v, a);
        return BUS_OK;
    }
    if (off >= MPU_CTRL && off <= 0xEDC4) {
        p->mpu[(off - MPU_CTRL) / 4] = v;
        if (off == MPU_CTRL && (v & 1))
            sim_warn("core %d MPU enabled: MPU regions are not enforced by the virtual board", c);
        return BUS_OK;
    }
    if (off >= SAU_CTRL && off <= 0xEDE8 && off != 0xEDD4) { p->sau[(off - SAU_CTRL) / 4] = v; return BUS_OK; }
    if (is_id_register(off)) return regtable_find(d->dev.regs, off, NULL) ? BUS_OK : BUS_HOLE;
    return BUS_UNMODELLED;
}

/* EPPB: NMI masks and SLEEPCTRL, plain storage per core */
static int eppb_read(void *st, bus_access *a, uint32_t *v)
{
    ppb_dev *d = st;
    if (a->offset >= 12) return BUS_HOLE;
    *v = d->c[core_of(a)].eppb[a->offset / 4];
    return BUS_OK;
}

static int eppb_write(void *st, bus_access *a, uint32_t v)
{
    ppb_dev *d = st;
    if (a->offset >= 12) return BUS_HOLE;
    d->c[core_of(a)].eppb[a->offset / 4] = v;
    return BUS_OK;
}

void ppb_reset_core(ppb_dev *d, int core)
{
    ppb_core *p = &d->c[core];
    memset(p, 0, sizeof(*p));
    p->ccr = 0x201;
    p->fpccr = 0x20000472u;
    p->eppb[2] = 2;
}

void ppb_init(ppb_dev *d, const board_services *svc)
{
    memset(d, 0, sizeof(*d));
    d->svc = svc;
    bus_dev_setup(&d->dev, "PPB", PPB_BASE, PPB_SIZE, 0, -1, d, ppb_read, ppb_write);
    bus_dev_setup(&d->dev_eppb, "EPPB", EPPB_BASE, 0x1000, 0, -1, d, eppb_read, eppb_write);
}
