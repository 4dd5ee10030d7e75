/* dev_ppb.c - per-core Cortex-M33 PPB registers (see dev_ppb.h). The engine
 * behind each core is Unicorn, whose own NVIC/SCB is not used: the sim keeps
 * the architectural values, decides which exception a core takes (the
 * NVIC), enforces CPACR for FP instructions itself (cpu.c), and times
 * SysTick and DWT CYCCNT in modelled cycles. */
#include "dev_ppb.h"

#include <string.h>

#include "log.h"
#include "regs/ppb.h"

static int core_of(bus_access *a) { return a->master == BUS_MASTER_CORE1 ? 1 : 0; }

/* ---- NVIC: pending, enabled, active, priorities (Armv8-M ARM B3.9) ---- */

static int bit_of(const uint32_t *w, int i) { return (w[i / 32] >> (i % 32)) & 1; }

/* programmable priorities are the top 4 bits of a byte; NMI and HardFault
 * are fixed at -2 and -1 */
static int exc_priority(const ppb_core *p, int exc)
{
    if (exc == EXC_NMI) return -2;
    if (exc == EXC_HARDFAULT) return -1;
    if (exc >= EXC_IRQ0) {
        int irq = exc - EXC_IRQ0;
        return (int)((p->nvic_ipr[irq / 4] >> (8 * (irq % 4))) & NVIC_PRIO_MASK);
    }
    int k = exc - 4;
    return (int)((p->shpr[k / 4] >> (8 * (k % 4))) & NVIC_PRIO_MASK);
}

/* the group priority that decides preemption (AIRCR.PRIGROUP splits off a
 * subpriority) */
static int group_priority(const ppb_core *p, int prio)
{
    if (prio < 0) return prio;
    int prigroup = (int)((p->aircr_prio >> 8) & 7);
    return prio & ~((2 << prigroup) - 1);
}

/* a level-sensitive line keeps its IRQ pending while asserted and not active */
static int exc_pending(const ppb_core *p, int exc)
{
    if (exc < EXC_IRQ0) return (p->sys_pending >> exc) & 1;
    int irq = exc - EXC_IRQ0;
    uint32_t w = (uint32_t)irq / 32;
    return ((p->nvic_ispr[w] | (p->irq_seen[w] & ~p->nvic_iabr[w])) >> (irq % 32)) & 1;
}

static int exc_enabled(const ppb_core *p, int exc)
{
    if (exc >= EXC_IRQ0) return bit_of(p->nvic_iser, exc - EXC_IRQ0);
    if (exc >= EXC_MEMMANAGE && exc <= EXC_SECUREFAULT)
        return (p->shcsr >> (16 + exc - EXC_MEMMANAGE)) & 1;   /* SHCSR.*ENA */
    return 1;
}

static int exc_active(const ppb_core *p, int exc)
{
    if (exc >= EXC_IRQ0) return bit_of(p->nvic_iabr, exc - EXC_IRQ0);
    return (p->sys_active >> exc) & 1;
}

static int anything_pending(const ppb_core *p)
{
    return p->sys_pending || p->nvic_ispr[0] || p->nvic_ispr[1] ||
           (p->irq_seen[0] & ~p->nvic_iabr[0]) || (p->irq_seen[1] & ~p->nvic_iabr[1]);
}

/* the pending, enabled exception of highest priority (lowest number among
 * equals) whose group priority is below limit; 0 = none */
static int best_pending(const ppb_core *p, int limit)
{
    if (!anything_pending(p)) return 0;
    int best = 0, best_prio = 0;
    for (int exc = EXC_NMI; exc < EXC_IRQ0 + NVIC_IRQS; exc++) {
        if (!exc_pending(p, exc) || !exc_enabled(p, exc)) continue;
        int prio = exc_priority(p, exc);
        if (group_priority(p, prio) >= limit || (best && prio >= best_prio)) continue;
        best = exc;
        best_prio = prio;
    }
    return best;
}

/* B3.9.2 ExecutionPriority: the active exceptions and the masks */
static int execution_priority(const ppb_core *p, uint32_t primask, uint32_t basepri,
                              uint32_t faultmask)
{
    int prio = 256;
    for (int exc = EXC_NMI; exc < EXC_IRQ0 + NVIC_IRQS; exc++)
        if (exc_active(p, exc)) {
            int g = group_priority(p, exc_priority(p, exc));
            if (g < prio) prio = g;
        }
    if ((basepri & NVIC_PRIO_MASK) && group_priority(p, (int)(basepri & NVIC_PRIO_MASK)) < prio)
        prio = group_priority(p, (int)(basepri & NVIC_PRIO_MASK));
    if ((primask & 1) && prio > 0) prio = 0;
    if ((faultmask & 1) && prio > -1) prio = -1;
    return prio;
}

/* p->irq_seen: the high lines whose rise the running core's time has
 * reached (the core asking is the one running, or, between turns, core
 * 0, which leads) */
static void see_lines(const ppb_dev *d, ppb_core *p)
{
    uint64_t now = svc_now_cycles(d->svc);
    for (int w = 0; w < 2; w++) {
        uint32_t seen = p->irq_level[w];
        for (uint32_t high = seen; high; high &= high - 1) {
            int bit = __builtin_ctz(high);
            if (p->line_high_since[32 * w + bit] > now) seen &= ~(1u << bit);
        }
        p->irq_seen[w] = seen;
    }
}

/* the core has an exception to consider: tell the board (it ends the
 * running slice), but only for an enabled one, so that lines nobody
 * listens to change no slice boundary */
static void exception_became_pending(ppb_dev *d, int core)
{
    see_lines(d, &d->c[core]);
    if (best_pending(&d->c[core], 257)) signal_set(&d->exception_pending[core], 1);
}

static void pend_system(ppb_dev *d, int core, int exc)
{
    d->c[core].sys_pending |= 1u << exc;
    exception_became_pending(d, core);
}

void ppb_irq_line(void *ppb, int n, uint32_t level)
{
    ppb_dev *d = ppb;
    int core = n / 64, irq = n % 64;
    uint32_t *w = &d->c[core].irq_level[irq / 32], bit = 1u << (irq % 32);
    uint32_t was = *w & bit;
    if (level) *w |= bit;
    else *w &= ~bit;
    if (level && !was) {
        d->c[core].line_high_since[irq] = svc_now_cycles(d->svc);
        exception_became_pending(d, core);
    }
}

uint64_t ppb_next_line_cycle(const ppb_dev *d, int core, uint64_t after)
{
    const ppb_core *p = &d->c[core];
    uint64_t first = UINT64_MAX;
    for (int w = 0; w < 2; w++)
        for (uint32_t high = p->irq_level[w]; high; high &= high - 1) {
            uint64_t t = p->line_high_since[32 * w + __builtin_ctz(high)];
            if (t > after && t < first) first = t;
        }
    return first;
}

int ppb_exception_to_take(ppb_dev *d, int core, uint32_t primask, uint32_t basepri,
                          uint32_t faultmask)
{
    ppb_core *p = &d->c[core];
    see_lines(d, p);
    if (!anything_pending(p)) return 0;
    return best_pending(p, execution_priority(p, primask, basepri, faultmask));
}

int ppb_exception_can_preempt(ppb_dev *d, int core, int exc, uint32_t primask, uint32_t basepri,
                              uint32_t faultmask)
{
    const ppb_core *p = &d->c[core];
    return group_priority(p, exc_priority(p, exc)) < execution_priority(p, primask, basepri, faultmask);
}

void ppb_exception_unpend(ppb_dev *d, int core, int exc) { d->c[core].sys_pending &= ~(1u << exc); }

int ppb_exception_waiting(ppb_dev *d, int core)
{
    see_lines(d, &d->c[core]);
    return best_pending(&d->c[core], 257) != 0;
}

static void set_irq_bit(uint32_t *w, int irq, int on)
{
    if (on) w[irq / 32] |= 1u << (irq % 32);
    else w[irq / 32] &= ~(1u << (irq % 32));
}

void ppb_exception_entered(ppb_dev *d, int core, int exc)
{
    ppb_core *p = &d->c[core];
    if (exc >= EXC_IRQ0) {
        set_irq_bit(p->nvic_ispr, exc - EXC_IRQ0, 0);
        set_irq_bit(p->nvic_iabr, exc - EXC_IRQ0, 1);
    } else {
        p->sys_pending &= ~(1u << exc);
        p->sys_active |= 1u << exc;
    }
}

void ppb_exception_returned(ppb_dev *d, int core, int exc)
{
    ppb_core *p = &d->c[core];
    if (exc >= EXC_IRQ0) set_irq_bit(p->nvic_iabr, exc - EXC_IRQ0, 0);
    else p->sys_active &= ~(1u << exc);
    exception_became_pending(d, core);   /* a line still asserted */
}

/* a configurable fault whose handler is disabled escalates to HardFault
 * (B3.9.3); whether it can preempt is the core's question */
int ppb_exception_raise(ppb_dev *d, int core, int exc)
{
    if (!exc_enabled(&d->c[core], exc)) exc = EXC_HARDFAULT;
    pend_system(d, core, exc);
    return exc;
}

void ppb_fault_status(ppb_dev *d, int core, uint32_t cfsr, int forced, uint32_t bfar)
{
    d->c[core].cfsr |= cfsr;
    if (cfsr & CFSR_BFARVALID) d->c[core].bfar = bfar;
    if (forced) d->c[core].hfsr |= 1u << 30;   /* HFSR.FORCED */
}

/* ICSR as read: the highest-priority active and pending exceptions */
static uint32_t icsr_value(const ppb_core *p)
{
    int active = 0, nactive = 0, active_prio = 257;
    for (int exc = EXC_NMI; exc < EXC_IRQ0 + NVIC_IRQS; exc++)
        if (exc_active(p, exc)) {
            nactive++;
            if (exc_priority(p, exc) < active_prio) {
                active = exc;
                active_prio = exc_priority(p, exc);
            }
        }
    int pending = best_pending(p, 257);
    uint32_t v = (uint32_t)active | (uint32_t)pending << ICSR_VECTPENDING_SHIFT;
    if (nactive <= 1) v |= ICSR_RETTOBASE;
    if ((p->nvic_ispr[0] | p->nvic_ispr[1] | p->irq_seen[0] | p->irq_seen[1])) v |= ICSR_ISRPENDING;
    if (p->sys_pending & (1u << EXC_PENDSV)) v |= ICSR_PENDSVSET;
    if (p->sys_pending & (1u << EXC_SYSTICK)) v |= ICSR_PENDSTSET;
    return v;
}

static void icsr_write(ppb_dev *d, int core, uint32_t v)
{
    ppb_core *p = &d->c[core];
    if (v & ICSR_PENDSVCLR) p->sys_pending &= ~(1u << EXC_PENDSV);
    if (v & ICSR_PENDSTCLR) p->sys_pending &= ~(1u << EXC_SYSTICK);
    if (v & ICSR_PENDSVSET) pend_system(d, core, EXC_PENDSV);
    if (v & ICSR_PENDSTSET) pend_system(d, core, EXC_SYSTICK);
    if (v & (1u << 31)) pend_system(d, core, EXC_NMI);   /* PENDNMISET */
}

/* SHCSR as read: the stored enables, and the active and pended bits of the
 * system exceptions (SDK m33.h M33_SHCSR_*) */
static uint32_t shcsr_value(const ppb_core *p)
{
    static const struct { int exc; uint32_t active, pended; } map[] = {
        {EXC_MEMMANAGE, 1u << 0, 1u << 13}, {EXC_BUSFAULT, 1u << 1, 1u << 14},
        {EXC_HARDFAULT, 1u << 2, 1u << 21}, {EXC_USAGEFAULT, 1u << 3, 1u << 12},
        {EXC_SECUREFAULT, 1u << 4, 1u << 20}, {EXC_NMI, 1u << 5, 0},
        {EXC_SVCALL, 1u << 7, 1u << 15}, {EXC_DEBUGMON, 1u << 8, 0},
        {EXC_PENDSV, 1u << 10, 0}, {EXC_SYSTICK, 1u << 11, 0},
    };
    uint32_t v = p->shcsr & SHCSR_ENABLES;
    for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
        if ((p->sys_active >> map[i].exc) & 1) v |= map[i].active;
        if ((p->sys_pending >> map[i].exc) & 1) v |= map[i].pended;
    }
    return v;
}

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
    if (t == 0) return (uint32_t)cvr0;   /* no tick since the anchor */
    if (cvr0 > 0 && t <= cvr0) {
        *wrapped = t == cvr0;
        return (uint32_t)(cvr0 - t);
    }
    if (rvr == 0) return 0;
    *wrapped = cvr0 > 0 || t >= rvr + 1;
    uint64_t after = t - (cvr0 + 1);   /* ticks since the first reload */
    return (uint32_t)(rvr - after % (rvr + 1));
}

/* folds the ticks since the anchor into CVR; a count to 0 sets COUNTFLAG
 * and, with TICKINT, pends the SysTick exception */
static void syst_rebase(ppb_dev *d, int core, ppb_core *p)
{
    int wrapped;
    p->syst_cvr = syst_value(d, core, p, &wrapped);
    p->syst_countflag |= wrapped;
    p->syst_anchor = syst_source(d, core, p);
    if (wrapped && (p->syst_csr & SYST_CSR_TICKINT)) pend_system(d, core, EXC_SYSTICK);
}

static int syst_interrupting(const ppb_core *p)
{
    return (p->syst_csr & (SYST_CSR_ENABLE | SYST_CSR_TICKINT)) == (SYST_CSR_ENABLE | SYST_CSR_TICKINT);
}

/* when the counter next reaches 0 (ps, 0 = never) */
static uint64_t syst_next_zero(ppb_dev *d, int core, ppb_core *p)
{
    int wrapped;
    uint32_t v = syst_value(d, core, p, &wrapped);
    uint64_t rvr = p->syst_rvr & 0xFFFFFF;
    if (!v && !rvr) return 0;
    uint64_t ticks = v ? v : rvr + 1;
    if (p->syst_csr & SYST_CSR_CLKSOURCE) return svc_now_ps(d->svc) + svc_cycles_to_ps(d->svc, ticks);
    return tick_time_of(&d->systick[core], syst_source(d, core, p) + ticks);
}

uint64_t ppb_next_event(ppb_dev *d)
{
    uint64_t next = 0;
    for (int core = 0; core < 2; core++) {
        if (!syst_interrupting(&d->c[core])) continue;
        uint64_t t = syst_next_zero(d, core, &d->c[core]);
        if (t && (!next || t < next)) next = t;
    }
    return next;
}

void ppb_poll(ppb_dev *d)
{
    for (int core = 0; core < 2; core++)
        if (syst_interrupting(&d->c[core])) syst_rebase(d, core, &d->c[core]);
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

static uint32_t ispr_value(const ppb_core *p, uint32_t w)
{
    return p->nvic_ispr[w] | (p->irq_seen[w] & ~p->nvic_iabr[w]);
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
    case SCB_ICSR:
        see_lines(d, p); /* what the core sees */
        *v = icsr_value(p);
        return BUS_OK;
    case SCB_VTOR: *v = p->vtor; return BUS_OK;
    case SCB_AIRCR: *v = 0xFA050000u | p->aircr_prio; return BUS_OK;
    case SCB_SCR: *v = p->scr; return BUS_OK;
    case SCB_CCR: *v = p->ccr; return BUS_OK;
    case SCB_SHCSR: *v = shcsr_value(p); return BUS_OK;
    case SCB_CPACR: *v = p->cpacr; return BUS_OK;
    case SCB_NSACR: *v = p->nsacr; return BUS_OK;
    case DEMCR: *v = p->demcr; return BUS_OK;
    case FPCCR: *v = p->fpccr; return BUS_OK;
    case FPCAR: *v = p->fpcar; return BUS_OK;
    case FPDSCR: *v = p->fpdscr; return BUS_OK;
    case SCB_CFSR: *v = p->cfsr; return BUS_OK;
    case SCB_HFSR: *v = p->hfsr; return BUS_OK;
    case SCB_BFAR: *v = p->bfar; return BUS_OK;
    }
    if (off >= NVIC_ISER0 && off < NVIC_ISER0 + 8) { *v = p->nvic_iser[(off - NVIC_ISER0) / 4]; return BUS_OK; }
    if (off >= NVIC_ICER0 && off < NVIC_ICER0 + 8) { *v = p->nvic_iser[(off - NVIC_ICER0) / 4]; return BUS_OK; }
    if ((off >= NVIC_ISPR0 && off < NVIC_ISPR0 + 8) || (off >= NVIC_ICPR0 && off < NVIC_ICPR0 + 8)) {
        see_lines(d, p); /* what the core sees */
        *v = ispr_value(p, (off - (off < NVIC_ICPR0 ? NVIC_ISPR0 : NVIC_ICPR0)) / 4);
        return BUS_OK;
    }
    if (off >= NVIC_IABR0 && off < NVIC_IABR0 + 8) { *v = p->nvic_iabr[(off - NVIC_IABR0) / 4]; return BUS_OK; }
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
        if (syst_interrupting(p)) svc_end_slice(d->svc);   /* the scheduler must see the next wrap */
        return BUS_OK;
    case SYST_RVR: syst_rebase(d, c, p); p->syst_rvr = v & 0xFFFFFF; return BUS_OK;
    case SYST_CVR:
        p->syst_cvr = 0;   /* any write clears the counter and COUNTFLAG */
        p->syst_countflag = 0;
        p->syst_anchor = syst_source(d, c, p);
        return BUS_OK;
    case SCB_ICSR: icsr_write(d, c, v); return BUS_OK;
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
    case FPCCR: p->fpccr = v & FPCCR_WRITABLE; return BUS_OK;
    case FPCAR: p->fpcar = v & ~7u; return BUS_OK;
    case FPDSCR: p->fpdscr = v & 0x07C00000; return BUS_OK;
    case SCB_CFSR: p->cfsr &= ~v; return BUS_OK;   /* write 1 to clear */
    case SCB_HFSR: p->hfsr &= ~v; return BUS_OK;
    case SCB_BFAR: p->bfar = v; return BUS_OK;
    }
    if (off >= NVIC_ISER0 && off < NVIC_ISER0 + 8) {
        int w = (int)(off - NVIC_ISER0) / 4;
        p->nvic_iser[w] |= v & (w ? 0xFFFFF : 0xFFFFFFFF);
        exception_became_pending(d, c);
        return BUS_OK;
    }
    if (off >= NVIC_ICER0 && off < NVIC_ICER0 + 8) { p->nvic_iser[(off - NVIC_ICER0) / 4] &= ~v; return BUS_OK; }
    if (off >= NVIC_ISPR0 && off < NVIC_ISPR0 + 8) {
        int w = (int)(off - NVIC_ISPR0) / 4;
        p->nvic_ispr[w] |= v & (w ? 0xFFFFF : 0xFFFFFFFF);
        exception_became_pending(d, c);
        return BUS_OK;
    }
    if (off >= NVIC_ICPR0 && off < NVIC_ICPR0 + 8) { p->nvic_ispr[(off - NVIC_ICPR0) / 4] &= ~v; return BUS_OK; }
    if (off >= NVIC_IABR0 && off < NVIC_IABR0 + 8) return BUS_OK;
    if (off >= NVIC_ITNS0 && off < NVIC_ITNS0 + 8) { p->nvic_itns[(off - NVIC_ITNS0) / 4] = v; return BUS_OK; }
    if (off >= NVIC_IPR0 && off < NVIC_IPR0 + 64) {
        uint32_t *r = &p->nvic_ipr[(off - NVIC_IPR0) / 4];
        *r = lane_write(*r, v, a) & (NVIC_PRIO_MASK * 0x01010101u);
        return BUS_OK;
    }
    if (off >= SCB_SHPR1 && off < SCB_SHPR1 + 12) {
        uint32_t *r = &p->shpr[(off - SCB_SHPR1) / 4];
        *r = lane_write(*r, v, a) & (NVIC_PRIO_MASK * 0x01010101u);
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
    p->fpccr = FPCCR_RESET;
    p->eppb[2] = 2;
}

void ppb_init(ppb_dev *d, const board_services *svc)
{
    memset(d, 0, sizeof(*d));
    d->svc = svc;
    bus_dev_setup(&d->dev, "PPB", PPB_BASE, PPB_SIZE, 0, -1, d, ppb_read, ppb_write);
    bus_dev_setup(&d->dev_eppb, "EPPB", EPPB_BASE, 0x1000, 0, -1, d, eppb_read, eppb_write);
}
